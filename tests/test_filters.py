"""Unit tests for sinosoviet.filters on the fixture events."""

from datetime import date

import pytest

from sinosoviet.filters import EventFilter, apply_filter, events_in_chapters, in_date_order, sort_events
from sinosoviet.loaders import load_events


@pytest.fixture
def events(fixture_data_dir):
    return load_events(fixture_data_dir)


def ids(frame) -> list[str]:
    return frame["id"].tolist()


def test_events_in_chapters_keeps_only_those_chapters_in_date_order(events):
    """Test that the chapter filter keeps matching events, sorted by their first possible day."""
    assert events_in_chapters(events, ["treaty-1950"]).empty
    assert ids(events_in_chapters(events, ["moscow-visit"])) == [
        "1949-12-gifts", "1949-12-06-mao-leaves", "1949-12-16-first-meeting",
    ]  # fmt: skip


def test_events_are_loaded_in_date_order_and_kept_so_without_a_sort(events):
    """Test that the loader hands events over in date order (first day, last day, id), which sort_events then
    recognises and returns as they are; events out of order, or tied on both days but not on id, are sorted."""
    assert in_date_order(events)
    assert sort_events(events) is events
    backwards = events.iloc[::-1]
    assert not in_date_order(backwards)
    assert ids(sort_events(backwards)) == ids(events)
    tied = events.head(2).assign(
        start_first=events["start_first"].iloc[0], end_last=events["end_last"].iloc[0]
    )
    assert in_date_order(tied) == (tied["id"].iloc[0] <= tied["id"].iloc[1])
    assert ids(sort_events(tied.iloc[::-1])) == sorted(ids(tied))


def test_an_empty_filter_keeps_everything(events):
    """Test that no choice means no restriction."""
    assert len(apply_filter(events, EventFilter())) == len(events)


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (EventFilter(kinds=("meeting",)), ["1949-12-16-first-meeting"]),
        (EventFilter(actors=("stalin",)), ["1949-12-16-first-meeting"]),
        (EventFilter(certainties=("single-source",)), ["1949-12-gifts", "1949-12-06-mao-leaves"]),
        (EventFilter(places=("beiping",)), ["1949-12-06-mao-leaves"]),
        (EventFilter(text="GIFTS"), ["1949-12-gifts"]),
        (EventFilter(text="immediate threat"), ["1949-12-16-first-meeting"]),
        (EventFilter(chapters=("treaty-1950",)), []),
    ],
)
def test_each_filter_narrows_to_the_matching_events(events, chosen, expected):
    """Test kinds, people, certainty, places (also as origin or destination) and case-blind text search."""
    assert ids(apply_filter(events, chosen)) == expected


def test_a_date_range_finds_events_whose_span_overlaps_it(events):
    """Test that a month-precision event is found by a range touching any day of its month."""
    late_december = EventFilter(start=date(1949, 12, 28), end=date(1949, 12, 31))
    assert ids(apply_filter(events, late_december)) == ["1949-12-gifts"]
    early = EventFilter(end=date(1949, 12, 6))
    assert ids(apply_filter(events, early)) == ["1949-12-gifts", "1949-12-06-mao-leaves"]


def test_search_text_is_literal_not_a_regular_expression(events):
    """Test that regex characters in the search box match literally and never raise."""
    assert apply_filter(events, EventFilter(text="(.*")).empty
