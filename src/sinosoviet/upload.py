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
import math
from dataclasses import dataclass, replace

import pandas as pd

from sinosoviet.errors import Problem
from sinosoviet.loaders import Dataset, type_table
from sinosoviet.schema import EVENTS, PLACES, Column, ColumnType, TableSchema
from sinosoviet.validation import FIRST_RECORD_ROW, validate_table

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
    text, problem = _decode(filename, content)
    if text is None:
        return None, [problem]
    if filename.lower().endswith(".json"):
        return _read_json(filename, text)
    return _read_csv(filename, text)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS = "save it as CSV UTF-8 (comma delimited) or as UTF-8 JSON"


def _decode(filename: str, content: bytes) -> tuple[str | None, Problem | None]:
    # Spreadsheets on Windows offer "Unicode text", which is UTF-16: with a byte-order mark it fails to decode
    # at byte 0, and without one every other byte of plain text is a NUL, which UTF-8 would accept.
    if content.startswith(_UTF16_BOMS) or b"\x00" in content[:4096]:
        return None, _problem(filename, "encoding", f'the file looks like UTF-16 ("Unicode text"); {SAVE_AS}')
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, _problem(filename, "encoding", f"the file is not UTF-8 (byte {error.start}); {SAVE_AS}")


def _read_csv(filename: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        return None, [_problem(filename, "not CSV", f"the file is not readable CSV: {str(error)[:200]}")]
    if len(frame.columns) == 1:
        header = str(frame.columns[0])
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header:
                return None, [_problem(filename, "separator", f"the columns are separated by {name}, not commas; "
                                       f"{SAVE_AS}")]  # fmt: skip
    return frame, []


class _DuplicateKeyError(ValueError):
    pass


def _object_without_repeated_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    record: dict[str, object] = {}
    for key, value in pairs:
        if key in record:
            raise _DuplicateKeyError(key)
        record[key] = value
    return record


def _read_json(filename: str, text: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        # Numbers are kept as written, like CSV cells: "1.50" stays "1.50", and a number too long for Python's
        # int conversion is reported by the validator instead of raising.
        records = json.loads(text, parse_int=str, parse_float=str, parse_constant=str,
                             object_pairs_hook=_object_without_repeated_keys)  # fmt: skip
    except _DuplicateKeyError as error:
        return None, [_problem(filename, "repeated key", f"an object names {str(error)[:60]!r} twice; which value "
                               "is meant is unclear, so give each column once")]  # fmt: skip
    except json.JSONDecodeError as error:
        return None, [
            _problem(filename, "not JSON", f"the file is not valid JSON: {error.msg} at line {error.lineno}")
        ]
    except RecursionError:
        return None, [_problem(filename, "not JSON", "the JSON is nested too deeply to read")]
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return None, [_problem(filename, "JSON shape", "the JSON must be a list of objects, one per event")]
    nested = _first_nested_value(records)
    if nested:
        row, column = nested
        return None, [_problem(filename, "JSON shape", "a value must be text, a number, true, false or null, "
                               "not a list or an object", row=row, column=column)]  # fmt: skip
    frame = pd.DataFrame(records)
    for column in frame.columns:
        frame[column] = frame[column].map(_json_cell)
    return frame, []


def _first_nested_value(records: list[dict[str, object]]) -> tuple[int, str] | None:
    for position, record in enumerate(records):
        for key, value in record.items():
            if isinstance(value, (list, dict)):
                return position + FIRST_RECORD_ROW, key[:60]
    return None


def _json_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):  # null, or a key this object lacks
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
        return UploadResult(None, _reported(filename, problems), len(frame))
    events = type_table(frame[[c for c in frame.columns if c not in INLINE_PLACE_COLUMNS]], EVENTS)
    places = pd.concat([bundled.places, type_table(new_places, PLACES)], ignore_index=True)
    dataset = replace(bundled, events=events, places=places, routes=bundled.routes.iloc[0:0])
    return UploadResult(dataset, (), len(frame))


MAX_REPORTED_PROBLEMS = 1000  # a file wrong on every row would otherwise keep millions in the session


def _reported(filename: str, problems: list[Problem]) -> tuple[Problem, ...]:
    """The problems to show: all of them, or the first thousand and a line counting the rest."""
    if len(problems) <= MAX_REPORTED_PROBLEMS:
        return tuple(problems)
    rest = len(problems) - MAX_REPORTED_PROBLEMS
    summary = _problem(filename, "more problems", f"… and {rest:,} more problems like these; fix the ones above "
                       "and upload the file again to see what remains")  # fmt: skip
    return (*problems[:MAX_REPORTED_PROBLEMS], summary)


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
