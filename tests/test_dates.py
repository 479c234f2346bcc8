"""Unit tests for sinosoviet.dates: parsing, precision and labels."""

from datetime import date

import pytest

from sinosoviet.dates import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    PartialDateError,
    format_date_range,
    format_partial_date,
    parse_partial_date,
    precision_matches,
)


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("1949-12-16", date(1949, 12, 16), date(1949, 12, 16), "day"),
        ("1949-12", date(1949, 12, 1), date(1949, 12, 31), "month"),
        ("1948-02", date(1948, 2, 1), date(1948, 2, 29), "month"),
        ("1947", date(1947, 1, 1), date(1947, 12, 31), "year"),
    ],
)
def test_partial_dates_cover_the_whole_span_they_name(text, first, last, precision):
    """Test that a month or year stands for all its days, not for a made-up first day."""
    span = parse_partial_date(text)
    assert (span.first, span.last, span.written_precision) == (first, last, precision)


@pytest.mark.parametrize("text", ["1949-13", "1950-02-30", "49-12-16", "16/12/1949", "", "1949-12-16T00:00"])
def test_malformed_dates_are_rejected(text):
    """Test that impossible or non-ISO dates raise PartialDateError naming the text."""
    with pytest.raises(PartialDateError, match=r"is not (a|a real) date"):
        parse_partial_date(text)


@pytest.mark.parametrize("text", ["0000", "1684-12-31", "2255", "9999-12"])
def test_dates_outside_the_years_the_app_can_draw_are_rejected(text):
    """Test that years the date sliders cannot hold are refused with the range, before any page draws them."""
    with pytest.raises(PartialDateError, match=f"outside the years {EARLIEST_YEAR}–{LATEST_YEAR}"):
        parse_partial_date(text)


def test_the_first_and_last_drawable_years_are_accepted():
    """Test both ends of the range: 1689 (the Treaty of Nerchinsk) and 2254 load."""
    assert parse_partial_date(str(EARLIEST_YEAR)).first == date(EARLIEST_YEAR, 1, 1)
    assert parse_partial_date(f"{LATEST_YEAR}-12-31").last == date(LATEST_YEAR, 12, 31)


def test_precision_must_match_how_the_date_is_written():
    """Test that a month-precision date cannot carry a day, while approximate dates may take any form."""
    assert precision_matches("1949-12", "month")
    assert not precision_matches("1949-12-01", "month")
    assert not precision_matches("1949", "day")
    assert precision_matches("1945-08-20", "approximate")


@pytest.mark.parametrize(
    ("text", "precision", "label"),
    [
        ("1949-12-16", "day", "16 Dec 1949"),
        ("1949-12", "month", "Dec 1949"),
        ("1947", "year", "1947"),
        ("1945-08-20", "approximate", "c. 20 Aug 1945"),
        ("1945-08", "approximate", "c. Aug 1945"),
    ],
)
def test_labels_print_only_what_is_known(text, precision, label):
    """Test that labels show a day only when the day is known, and mark approximate dates with c."""
    assert format_partial_date(text, precision) == label


def test_ranges_show_both_ends_and_mark_approximation_once():
    """Test that a range prints its end, with a single 'c.' for an approximate range."""
    assert format_date_range("1949-12-16", "1950-02-17", "day") == "16 Dec 1949 – 17 Feb 1950"
    assert format_date_range("1945-08-20", "1945-08-22", "approximate") == "c. 20 Aug 1945 – 22 Aug 1945"
    assert format_date_range("1949-12", "", "month") == "Dec 1949"
