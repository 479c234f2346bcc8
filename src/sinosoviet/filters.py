"""Filters over the event table: pure functions, events in, the matching events out."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def events_in_chapters(events: pd.DataFrame, chapters: Iterable[str]) -> pd.DataFrame:
    """The events of the given chapters, in date order."""
    return events[events["chapter"].isin(list(chapters))].sort_values(["start_first", "end_last", "id"])
