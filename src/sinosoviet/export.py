"""Downloads of the events in view, as CSV and JSON, in the columns an upload takes: what the app exports from any
dataset, bundled or uploaded, it accepts again unchanged.

Each event carries its place's name and coordinates beside `place_id` (`place_name`, `lat`, `lon`): a download
of an upload with places of its own names them where they are, and a reader's other tools get coordinates
without a join. (The upload accepts coordinates on a bundled place when they are the bundled ones.)

CSV cells are escaped as `sinosoviet.cells.escape_formula` says, so an exported file cannot run code when a
spreadsheet opens it and the upload reads the text back as it was; numbers are written as numbers (a negative
longitude is no formula). Every cell is quoted: a lone carriage return, which the csv module does not quote by
default, would otherwise start a new row in a spreadsheet whose first cell is the text after it
("harmless\r=1+1"). JSON keeps every text exactly.
"""

from __future__ import annotations

import csv
import json

import pandas as pd

from sinosoviet.cells import escape_formula
from sinosoviet.schema import EVENTS
from sinosoviet.upload import UPLOAD_EVENTS


def neutralise_formula(cell: object) -> object:
    """A CSV cell as it is written: text escaped against formulas, anything else as it is."""
    return escape_formula(cell) if isinstance(cell, str) else cell


def events_for_export(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The upload's columns, in its order: each event with its place's name and coordinates."""
    place = places.set_index("id").reindex(events["place_id"])
    located = events[EVENTS.column_names].assign(
        place_name=place["name"].to_numpy(), lat=place["lat"].to_numpy(), lon=place["lon"].to_numpy()
    )
    return located[UPLOAD_EVENTS.column_names].reset_index(drop=True)


def events_to_csv(events: pd.DataFrame, places: pd.DataFrame) -> bytes:
    safe = events_for_export(events, places).map(neutralise_formula)
    return safe.to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8")


def events_to_json(events: pd.DataFrame, places: pd.DataFrame) -> bytes:
    records = events_for_export(events, places).to_dict(orient="records")
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
