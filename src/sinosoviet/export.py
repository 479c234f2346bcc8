"""Downloads of the events in view, as CSV and JSON in the schema's own columns.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or carriage return)
are prefixed with an apostrophe, the usual neutralisation, so an exported file cannot run code when opened.
"""

from __future__ import annotations

import json

import pandas as pd

from sinosoviet.schema import EVENTS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def events_for_export(events: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns only, in the schema's order: what a researcher can load back in."""
    return events[EVENTS.column_names].reset_index(drop=True)


def events_to_csv(events: pd.DataFrame) -> bytes:
    safe = events_for_export(events).map(neutralise_formula)
    return safe.to_csv(index=False).encode("utf-8")


def events_to_json(events: pd.DataFrame) -> bytes:
    records = events_for_export(events).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
