"""A reader's own events, uploaded as CSV or JSON, checked against the schema and turned into a Dataset.

Pure functions on bytes: nothing is written to disk, and the result lives only in the uploading session.
Every problem in a file is reported at once, with row and column, and nothing is loaded until there are none.

The upload schema is the events schema with three differences: `source_ids` may be empty (a researcher's own
notes may have no published source yet), and a row may bring its own place with `lat`, `lon` and an optional
`place_name` instead of naming one of the bundled places. Other ids (people, sources) must resolve against the
bundled tables.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace

import pandas as pd

from sinosoviet.errors import Problem
from sinosoviet.loaders import Dataset, type_table
from sinosoviet.schema import EVENTS, PLACES, Column, ColumnType, TableSchema
from sinosoviet.validation import validate_table

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_ROWS = 100_000
INLINE_PLACE_COLUMNS = ("lat", "lon", "place_name")

UPLOAD_EVENTS = replace(
    EVENTS,
    columns=(
        *[replace(column, required=False) if column.name == "source_ids" else column for column in EVENTS.columns],
        Column("lat", ColumnType.FLOAT, "Latitude of the event's place, if it is not a bundled place.",
               required=False, min_value=-90, max_value=90),
        Column("lon", ColumnType.FLOAT, "Longitude of the event's place, if it is not a bundled place.",
               required=False, min_value=-180, max_value=180),
        Column("place_name", ColumnType.TEXT, "Name of a new place given by lat and lon.", required=False),
    ),
    required_when=(*EVENTS.required_when, ("lon", "lat", ()), ("lat", "lon", ())),
)  # fmt: skip


@dataclass(frozen=True)
class UploadResult:
    """Either a dataset to explore, or the problems that stop the file from loading (never both)."""

    dataset: Dataset | None
    problems: tuple[Problem, ...]
    rows: int = 0


def _problem(
    filename: str, rule: str, message: str, row: int | None = None, column: str | None = None
) -> Problem:
    return Problem(filename, row, column, rule, message)


def read_upload(filename: str, content: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read CSV or JSON bytes into a frame of strings; report size, encoding and format problems."""
    if len(content) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        return None, [
            _problem(
                filename, "too large", f"the file is {len(content) / 1e6:.1f} MB; the limit is {limit} MB"
            )
        ]
    if not content.strip():
        return None, [_problem(filename, "empty", "the file is empty")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [_problem(filename, "encoding",
                               f"the file is not UTF-8 (byte {error.start}); save it as UTF-8 CSV or JSON")]  # fmt: skip
    if filename.lower().endswith(".json"):
        return _read_json(filename, text)
    return _read_csv(filename, text)


def _read_csv(filename: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        return None, [_problem(filename, "not CSV", f"the file is not readable CSV: {error}")]
    return frame, []


def _read_json(filename: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            _problem(filename, "not JSON", f"the file is not valid JSON: {error.msg} at line {error.lineno}")
        ]
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return None, [_problem(filename, "JSON shape", "the JSON must be a list of objects, one per event")]
    frame = pd.DataFrame(records)
    for column in frame.columns:
        frame[column] = frame[column].map(lambda value: "" if value is None else str(value))
    return frame, []


def _inline_places(events: pd.DataFrame, bundled_places: pd.DataFrame) -> pd.DataFrame:
    """New places that rows define with lat and lon, named by their place_id (or place_name)."""
    if "lat" not in events or "lon" not in events:
        return bundled_places.iloc[0:0]
    new = events[(events["lat"] != "") & ~events["place_id"].isin(bundled_places["id"])]
    new = new.drop_duplicates("place_id")
    names = new["place_name"] if "place_name" in new else new["place_id"]
    return pd.DataFrame({
        "id": new["place_id"], "name": names.where(names != "", new["place_id"]), "period_names": "", "name_zh": "", "name_ru": "",
        "modern_name": names.where(names != "", new["place_id"]), "lat": new["lat"], "lon": new["lon"],
        "source_ids": "",
    })  # fmt: skip


def load_upload(filename: str, content: bytes, bundled: Dataset) -> UploadResult:
    """Check an uploaded events file and build the dataset it describes, or report every problem in it."""
    frame, problems = read_upload(filename, content)
    if frame is None:
        return UploadResult(None, tuple(problems))
    if len(frame) > MAX_UPLOAD_ROWS:
        return UploadResult(None, (_problem(filename, "too many rows",
                                            f"the file has {len(frame):,} rows; the limit is {MAX_UPLOAD_ROWS:,}"),))  # fmt: skip
    if frame.empty:
        return UploadResult(None, (_problem(filename, "no rows", "the file has a header but no events"),))
    schema: TableSchema = replace(UPLOAD_EVENTS, filename=filename)
    frame = frame.fillna("")
    new_places = _inline_places(frame, bundled.places) if "place_id" in frame else bundled.places.iloc[0:0]
    known = {
        "places": set(bundled.places["id"]) | set(new_places["id"]),
        "actors": set(bundled.actors["id"]),
        "sources": set(bundled.sources["id"]),
    }
    problems = validate_table(frame, schema, known, allow_missing_optional=True)
    for present, absent in (("lat", "lon"), ("lon", "lat")):
        if present in frame and absent not in frame:
            problems.append(_problem(filename, "missing column", f"a {present} column needs a {absent} column too",
                                     column=absent))  # fmt: skip
    if problems:
        return UploadResult(None, tuple(problems), len(frame))
    events = type_table(frame[[c for c in frame.columns if c not in INLINE_PLACE_COLUMNS]], EVENTS)
    places = pd.concat([bundled.places, type_table(new_places, PLACES)], ignore_index=True)
    dataset = replace(bundled, events=events, places=places, routes=bundled.routes.iloc[0:0])
    return UploadResult(dataset, (), len(frame))


def template_csv(bundled: Dataset) -> bytes:
    """A template to fill in: every upload column, one real event as an example, one with its own place."""
    example = bundled.events[EVENTS.column_names].iloc[[0]].copy()
    own_place = example.copy().assign(
        id="1949-12-21-my-archive-note", start="1949-12", end="", date_precision="month",
        title="A note from my own archive work", summary="Replace this row with your event, in your own words.",
        place_id="my-place", certainty="single-source",
        certainty_note="Known to me from one document; replace with who says what.", source_ids="",
    )  # fmt: skip
    rows = pd.concat([example, own_place], ignore_index=True)
    rows["lat"] = ["", "55.75"]
    rows["lon"] = ["", "37.62"]
    rows["place_name"] = ["", "My place (give lat and lon for a place not in places.csv)"]
    return rows.to_csv(index=False).encode("utf-8")
