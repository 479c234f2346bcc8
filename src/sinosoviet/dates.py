"""Dates as precise as the evidence, and no more.

A stored date is an ISO 8601 string of 4, 7 or 10 characters (`1947`, `1949-12`, `1949-12-16`). It stands for a
span of days: a whole year, a whole month or one day. Charts use the span (a month-precision event is drawn
across its month, never pinned to a made-up day) and labels print only what is known.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from sinosoviet.cells import quoted

# ASCII digits only: Python's \d and int() also take the digits of other scripts ("١٩٤٩"), which the normal form
# of a cell (sinosoviet.cells) turns into ASCII; any it could not are refused here rather than accepted.
_PARTIAL_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?", re.ASCII)
# The years the app can draw. Streamlit's date sliders hold microseconds since 1970 in a JavaScript number,
# which reaches only from mid-1684 to mid-2255, and pandas' timestamps from 1677 to 2262; the widest whole
# years inside both are the limit, so a date the validator accepts can never break a page later.
EARLIEST_YEAR, LATEST_YEAR = 1685, 2254
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}  # a well-formed date's precision, by its length


class PartialDateError(ValueError):
    """A string is not an ISO date of the form YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True)
class DateSpan:
    """The days a partial date covers, and how finely it was written."""

    first: date
    last: date
    written_precision: str  # "day", "month" or "year": how many parts the string has


# Tables repeat the same dates many times over (100,000 events may use a few thousand days), and a span is
# immutable, so each distinct text is parsed once; the bound keeps a hostile file from growing the cache.
DATE_CACHE_SIZE = 1 << 16


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def parse_partial_date(text: str) -> DateSpan:
    """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into the span of days it covers."""
    # The whole text, as written: a cell arrives in normal form, already trimmed, so a date with space around it
    # (or a line break after it, which `$` would let through) is no date.
    match = _PARTIAL_DATE.fullmatch(text)
    if not match:
        raise PartialDateError(f"{quoted(text)} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PartialDateError(
            f"{quoted(text)} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}, the range the app's charts and date "
            "controls can show"
        )
    try:
        if match["day"]:
            day = date(year, int(match["month"]), int(match["day"]))
            return DateSpan(day, day, "day")
        if match["month"]:
            month = int(match["month"])
            last_day = calendar.monthrange(year, month)[1]
            return DateSpan(date(year, month, 1), date(year, month, last_day), "month")
    except ValueError as error:  # month 13, 30 February, ...
        raise PartialDateError(f"{quoted(text)} is not a real date ({error})") from None
    return DateSpan(date(year, 1, 1), date(year, 12, 31), "year")


def written_precision(text: str) -> str:
    """Return "day", "month" or "year" for a well-formed partial date, judged by its length."""
    return PRECISION_BY_LENGTH[len(text)]


def precision_matches(text: str, precision: str) -> bool:
    """Test that a date string is written exactly as precisely as its declared precision.

    An approximate date may be written at any precision; the others must match it exactly, so a date known only
    to the month cannot carry a day.
    """
    return precision == "approximate" or written_precision(text) == precision


def format_partial_date(text: str, precision: str) -> str:
    """Format a stored date for people: "16 Dec 1949", "Dec 1949", "1947", "c. 20 Aug 1945"."""
    span = parse_partial_date(text)
    if span.written_precision == "day":
        label = f"{span.first.day} {span.first:%b %Y}"
    elif span.written_precision == "month":
        label = f"{span.first:%b %Y}"
    else:
        label = str(span.first.year)
    return f"c. {label}" if precision == "approximate" else label


@functools.lru_cache(maxsize=DATE_CACHE_SIZE)
def format_date_range(start: str, end: str | None, precision: str) -> str:
    """Format a start and optional end: "16 Dec 1949 – 17 Feb 1950", or just the start."""
    start_label = format_partial_date(start, precision)
    if not end:
        return start_label
    return f"{start_label} – {format_partial_date(end, precision).removeprefix('c. ')}"


def format_day(day: date, *, long: bool = False) -> str:
    """A day for people: "6 Dec 1949", or with long=True "6 December 1949"."""
    return f"{day.day} {day:%B %Y}" if long else f"{day.day} {day:%b %Y}"


def format_months(first: date, last: date) -> str:
    """The months a period spans: "August–October 1945", "December 1949–March 1950", "August 1945"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B}–{last:%B %Y}"
    return f"{first:%B %Y}–{last:%B %Y}"
