"""Downloads of the events in view, as CSV and JSON in the schema's own columns.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or carriage return)
are prefixed with an apostrophe, the usual neutralisation, so an exported file cannot run code when opened.
A line break inside a cell gets the same treatment for the line after it, and every cell is quoted: a lone
carriage return, which the csv module does not quote by default, would otherwise start a new row in a
spreadsheet whose first cell is the text after it ("harmless\r=1+1").
"""

from __future__ import annotations

import csv
import json
import re

import pandas as pd

from sinosoviet.schema import EVENTS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula character at the start of a line inside a cell, after a CR or LF.
_FORMULA_AFTER_BREAK = re.compile(r"([\r\n])(?=[=+\-@\t])")


def neutralise_formula(cell: object) -> object:
    if not isinstance(cell, str):
        return cell
    cell = _FORMULA_AFTER_BREAK.sub(r"\1'", cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def events_for_export(events: pd.DataFrame) -> pd.DataFrame:
    """The schema's columns only, in the schema's order: what a researcher can load back in."""
    return events[EVENTS.column_names].reset_index(drop=True)


def events_to_csv(events: pd.DataFrame) -> bytes:
    safe = events_for_export(events).map(neutralise_formula)
    return safe.to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8")


def events_to_json(events: pd.DataFrame) -> bytes:
    records = events_for_export(events).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
