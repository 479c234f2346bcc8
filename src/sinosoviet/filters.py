"""Filters over the event table: pure functions, events in, the matching events out.

An `EventFilter` holds what the reader chose; an empty selection means "no restriction". Date ranges match any
event whose span of possible days overlaps the range, so a month-precision cable is found by a range that
covers any day of its month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from sinosoviet.search import matches, own_words
from sinosoviet.validation import split_ids


@dataclass(frozen=True)
class EventFilter:
    start: date | None = None
    end: date | None = None
    chapters: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    certainties: tuple[str, ...] = ()
    text: str = ""


def events_in_chapters(events: pd.DataFrame, chapters: Iterable[str]) -> pd.DataFrame:
    """The events of the given chapters, in date order."""
    return sort_events(events[events["chapter"].isin(list(chapters))])


DATE_ORDER = ["start_first", "end_last", "id"]


def sort_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events in date order: by first possible day, then last, then id.

    The loaders already hand events over in this order and a filter keeps it, so the usual case is a check
    that costs a few comparisons per row rather than a sort that copies every column of a large upload.
    """
    return events if in_date_order(events) else events.sort_values(DATE_ORDER)


def in_date_order(events: pd.DataFrame) -> bool:
    starts, ends = events["start_first"].to_numpy(), events["end_last"].to_numpy()
    earlier_start, same_start = starts[:-1] < starts[1:], starts[:-1] == starts[1:]
    if not (earlier_start | same_start).all():
        return False
    if (same_start & (ends[:-1] > ends[1:])).any():
        return False
    # Ids are compared only where both dates tie, which is rare enough to do one by one.
    ties = np.flatnonzero(same_start & (ends[:-1] == ends[1:]))
    ids = events["id"]
    return all(a <= b for a, b in zip(ids.iloc[ties].tolist(), ids.iloc[ties + 1].tolist(), strict=True))


def _any_listed(cells: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    wanted_set = set(wanted)
    return cells.map(lambda ids: not wanted_set.isdisjoint(split_ids(ids)))


def filter_mask(
    events: pd.DataFrame, chosen: EventFilter, search_texts: pd.Series | None = None
) -> pd.Series:
    """True for each event that passes every part of the filter; the search is over `search_texts` (a Dataset's,
    indexed as its events) when given, else over the events' own words."""
    mask = pd.Series(True, index=events.index)
    if chosen.start:
        mask &= events["end_last"] >= pd.Timestamp(chosen.start)
    if chosen.end:
        mask &= events["start_first"] <= pd.Timestamp(chosen.end)
    if chosen.chapters:
        mask &= events["chapter"].isin(chosen.chapters)
    if chosen.kinds:
        mask &= events["kind"].isin(chosen.kinds)
    if chosen.certainties:
        mask &= events["certainty"].isin(chosen.certainties)
    if chosen.actors:
        mask &= _any_listed(events["actors"], chosen.actors)
    if chosen.places:
        wanted = list(chosen.places)
        mask &= (
            events["place_id"].isin(wanted)
            | events["origin_place_id"].isin(wanted)
            | events["destination_place_id"].isin(wanted)
        )
    if chosen.text.strip():
        # With the dataset's texts, every name of the events' people and places (see search.py).
        texts = own_words(events) if search_texts is None else search_texts.reindex(events.index)
        mask &= matches(texts, chosen.text)
    return mask


def within(chosen: EventFilter, period: tuple[date, date] | None) -> EventFilter:
    """The filter narrowed to a period as well (the period a page shows); None leaves it as it is."""
    if period is None:
        return chosen
    start = max(chosen.start, period[0]) if chosen.start else period[0]
    end = min(chosen.end, period[1]) if chosen.end else period[1]
    return replace(chosen, start=start, end=end)


def apply_filter(
    events: pd.DataFrame, chosen: EventFilter, search_texts: pd.Series | None = None
) -> pd.DataFrame:
    """The events that pass the filter, in date order (see filter_mask for `search_texts`)."""
    return sort_events(events[filter_mask(events, chosen, search_texts)])
