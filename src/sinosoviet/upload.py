"""A reader's own events, uploaded as CSV or JSON, checked against the schema and turned into a Dataset.

Pure functions on bytes: nothing is written to disk, and the result lives only in the uploading session.
Every problem in a file is reported at once, up to a thousand, with row and column, and nothing is loaded until
there are none.

The upload schema is the events schema with three differences: `source_ids` may be empty (a researcher's own
notes may have no published source yet), and a row may bring its own place with `lat`, `lon` and an optional
`place_name` instead of naming one of the bundled places. Other ids (people, sources) must resolve against the
bundled tables. A row naming a bundled place may carry its name and coordinates too, as the app's downloads do,
but only the bundled ones: a place somewhere else is a different place, with an id of its own. A place of the
reader's own has one position and one name, however many rows give them.

Cells are read as text and put in the normal form of `sinosoviet.cells`, as the bundled tables are, before they
are checked; CSV cells first lose the apostrophe the app's downloads put before anything a spreadsheet would run.

What a file costs is bounded by the limits, not by what the file holds: the validator stops at the thousandth
problem and quotes at most 60 characters of a cell, and a header of a million columns is refused before pandas
builds them.
"""

from __future__ import annotations

import codecs
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import chain, islice

import numpy as np
import pandas as pd

from sinosoviet.cells import normalise_table, quoted, unescape_formula
from sinosoviet.errors import Problem
from sinosoviet.loaders import Dataset, type_table
from sinosoviet.schema import EVENTS, PLACES, Column, ColumnType, TableSchema
from sinosoviet.validation import FIRST_RECORD_ROW, cell_verdict, iter_problems, record_ids

# Streamlit counts upload sizes in megabytes, but not the same megabytes everywhere: its server takes
# `server.maxUploadSize` × 1024 × 1024 bytes, while its browser code refuses a file over `max_upload_size` ×
# 1000 × 1000 bytes (× 1024 × 1024 on Windows only), giving the reason only on hover. The page promises what
# every browser lets through; the server's limit, in .streamlit/config.toml, is the same number of its larger
# megabytes, which leaves room for the request's framing.
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1000 * 1000
SERVER_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UPLOAD_ROWS = 100_000
MAX_COLUMNS = 100  # an events file has 19; pandas given a header of millions takes minutes and gigabytes
INLINE_PLACE_COLUMNS = ("place_name", "lat", "lon")
# Degrees (about 10 cm) within which coordinates on a bundled place are its own: a download writes them exactly.
BUNDLED_PLACE_TOLERANCE = 1e-6

_PLACE_COLUMNS = (
    Column(
        "place_name",
        ColumnType.TEXT,
        "The name of the event's place. For a place of your own, the name to show "
        "(else its place_id); for a bundled place, empty or its own name, as the downloads write it.",
        required=False,
    ),
    Column(
        "lat",
        ColumnType.FLOAT,
        "Latitude of the event's place, needed for a place of your own (not in "
        "places.csv); for a bundled place, empty or its own, as the downloads write it.",
        required=False,
        min_value=-90,
        max_value=90,
    ),
    Column(
        "lon",
        ColumnType.FLOAT,
        "Longitude of the event's place, needed for a place of your own (not in "
        "places.csv); for a bundled place, empty or its own, as the downloads write it.",
        required=False,
        min_value=-180,
        max_value=180,
    ),
)
_EVENT_COLUMNS = tuple(
    replace(column, required=False) if column.name == "source_ids" else column for column in EVENTS.columns
)
# The place's name and coordinates come right after place_id, in the template, the data dictionary and the
# downloads alike.
_AFTER_PLACE = [column.name for column in _EVENT_COLUMNS].index("place_id") + 1
UPLOAD_EVENTS = replace(
    EVENTS,
    columns=(*_EVENT_COLUMNS[:_AFTER_PLACE], *_PLACE_COLUMNS, *_EVENT_COLUMNS[_AFTER_PLACE:]),
    required_when=(*EVENTS.required_when, ("lon", "lat", ()), ("lat", "lon", ())),
)


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
        return None, [
            _problem(
                filename,
                "too large",
                f"the file is {len(content):,} bytes; the limit is {MAX_UPLOAD_BYTES / 1e6:g} MB "
                f"({MAX_UPLOAD_BYTES:,} bytes)",
            )
        ]
    if not content.strip():
        return None, [_problem(filename, "empty", "the file is empty")]
    problem = _encoding_problem(filename, content)
    if problem:
        return None, [problem]
    if filename.lower().endswith(".json"):
        return _read_json(filename, content.decode("utf-8-sig"))
    return _read_csv(filename, content)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS = "save it as CSV UTF-8 (comma delimited) or as UTF-8 JSON"


def _encoding_problem(filename: str, content: bytes) -> Problem | None:
    # Spreadsheets on Windows offer "Unicode text", which is UTF-16: with a byte-order mark it fails to decode
    # at byte 0, and without one every other byte of plain text is a NUL, which UTF-8 would accept.
    if content.startswith(_UTF16_BOMS) or b"\x00" in content[:4096]:
        return _problem(filename, "encoding", f'the file looks like UTF-16 ("Unicode text"); {SAVE_AS}')
    # Checked a megabyte at a time, so that a CSV file is never held as text beside its bytes and the table
    # pandas reads from them (Python's text of 20 MB of Chinese takes 80 MB).
    decoder, view, step = codecs.getincrementaldecoder("utf-8")(), memoryview(content), 2**20
    for start in range(0, len(content), step):
        try:
            decoder.decode(view[start : start + step], final=start + step >= len(content))
        except UnicodeDecodeError as error:
            return _problem(
                filename, "encoding", f"the file is not UTF-8 (byte {start + error.start}); {SAVE_AS}"
            )
    return None


def _too_many_columns(filename: str, count: int) -> Problem:
    message = (
        f"the file has {count:,} columns; an events file has at most {len(UPLOAD_EVENTS.columns)} (the columns "
        "your file may have are listed on the page)"
    )
    return _problem(filename, "too many columns", message)


def _read_csv(filename: str, content: bytes) -> tuple[pd.DataFrame | None, list[Problem]]:
    header_end = content.find(b"\n") % (len(content) + 1)  # the whole file when it has one line
    columns = content.count(b",", 0, header_end) + 1  # at least as many as there are: a name may hold a comma
    if columns > MAX_COLUMNS:
        return None, [_too_many_columns(filename, columns)]
    try:
        frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        return None, [_problem(filename, "not CSV", f"the file is not readable CSV: {str(error)[:200]}")]
    if len(frame.columns) == 1:
        header = str(frame.columns[0])
        for separator, name in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header:
                return None, [_problem(filename, "separator", f"the columns are separated by {name}, not commas; "
                                       f"{SAVE_AS}")]  # fmt: skip
    for name in frame.columns:
        cells = frame[name]
        escaped = cells.str.contains("'", regex=False)
        if escaped.any():
            frame[name] = cells.mask(escaped, cells[escaped].map(unescape_formula))
    return frame, []


class _DuplicateKeyError(ValueError):
    pass


class _TooManyKeysError(ValueError):
    pass


def _object_without_repeated_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    if len(pairs) > MAX_COLUMNS:
        raise _TooManyKeysError(len(pairs))
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
    except _TooManyKeysError as error:
        return None, [_too_many_columns(filename, int(str(error)))]
    except RecursionError:
        return None, [_problem(filename, "not JSON", "the JSON is nested too deeply to read")]
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        return None, [_problem(filename, "JSON shape", "the JSON must be a list of objects, one per event")]
    names: set[str] = set()
    for record in records:  # each object may name columns the others do not: a table of all of them
        names.update(record)
        if len(names) > MAX_COLUMNS:
            return None, [_too_many_columns(filename, len(names))]
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


def _numbers(frame: pd.DataFrame, schema: TableSchema, name: str) -> pd.Series:
    """A number column as floats: NaN where a cell is empty or breaks the column's rules (reported as such)."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index)
    column, cells = schema.column(name), frame[name]
    valid = {value: bool(value) and cell_verdict(value, column) is None for value in cells.unique().tolist()}
    return pd.to_numeric(cells.where(cells.map(valid).astype(bool)), errors="coerce")


def _texts(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def _gives_places(frame: pd.DataFrame) -> bool:
    """Whether any row gives a place's name or coordinates."""
    return any((frame[name] != "").any() for name in INLINE_PLACE_COLUMNS if name in frame)


def _own_place_ids(frame: pd.DataFrame, bundled_places: pd.DataFrame) -> set[str]:
    """The place ids that rows define with coordinates, other than the bundled places."""
    if not {"place_id", "lat", "lon"} <= set(frame.columns):
        return set()
    return set(frame["place_id"][(frame["lat"] != "") & ~frame["place_id"].isin(bundled_places["id"])])


def _firsts(place_ids: pd.Series, columns: dict[str, pd.Series], where: pd.Series) -> pd.DataFrame:
    """For each place id, the values of the first row where `where` holds, indexed by place id."""
    rows = pd.DataFrame({"place": place_ids, **columns})[where]
    return rows.drop_duplicates("place").set_index("place")


def _place_problems(
    frame: pd.DataFrame, schema: TableSchema, bundled_places: pd.DataFrame
) -> Iterator[Problem]:
    """Rows that give a place's position or name: a bundled place keeps its own, a place of the reader's own
    has the one its first row gives. Cells that break their own column's rules are reported as such instead."""
    if "place_id" not in frame or not _gives_places(frame):
        return
    place_ids, names = frame["place_id"], _texts(frame, "place_name")
    lat, lon = _numbers(frame, schema, "lat"), _numbers(frame, schema, "lon")
    bundled = bundled_places.set_index("id")
    is_bundled = place_ids.isin(bundled.index)
    located = lat.notna() & lon.notna()
    row_numbers = pd.Series(np.arange(len(frame)) + FIRST_RECORD_ROW, index=frame.index)
    first = _firsts(place_ids, {"lat": lat, "lon": lon, "row": row_numbers}, located & ~is_bundled)
    first_name = _firsts(place_ids, {"name": names}, ~is_bundled & (names != ""))["name"]
    away = ((lat - place_ids.map(bundled["lat"])).abs() > BUNDLED_PLACE_TOLERANCE) | (
        (lon - place_ids.map(bundled["lon"])).abs() > BUNDLED_PLACE_TOLERANCE
    )

    def moved(place: str) -> str:
        return (
            f"{quoted(place)} is the bundled place {quoted(bundled.loc[place, 'name'])} at "
            f"{bundled.loc[place, 'lat']}, {bundled.loc[place, 'lon']}; these coordinates put it elsewhere: "
            "give a new place_id for a different place"
        )

    def renamed(place: str) -> str:
        return (
            f"{quoted(place)} is the bundled place {quoted(bundled.loc[place, 'name'])}: leave place_name empty, "
            "or give a new place_id for a place of your own"
        )

    def relocated(place: str) -> str:
        return (
            f"{quoted(place)} is at {first.loc[place, 'lat']}, {first.loc[place, 'lon']} in row "
            f"{first.loc[place, 'row']}; a place has one position: give a new place_id for a different place"
        )

    def own_renamed(place: str) -> str:
        return f"{quoted(place)} is named {quoted(first_name[place])} in an earlier row; a place has one name"

    checks = [
        ("lat", located & is_bundled & away, moved),
        ("place_name", is_bundled & (names != "") & (names != place_ids.map(bundled["name"])), renamed),
        (
            "lat",
            located
            & ~is_bundled
            & ((lat != place_ids.map(first["lat"])) | (lon != place_ids.map(first["lon"]))),
            relocated,
        ),
        ("place_name", ~is_bundled & (names != "") & (names != place_ids.map(first_name)), own_renamed),
    ]
    flags = [mask.to_numpy(dtype=bool) for _column, mask, _message in checks]
    ids, place_list = record_ids(frame, schema.key), place_ids.tolist()
    for position in np.flatnonzero(np.logical_or.reduce(flags)).tolist():
        for flagged, (column, _mask, message) in zip(flags, checks, strict=True):
            if flagged[position]:
                row, text = position + FIRST_RECORD_ROW, message(place_list[position])
                yield Problem(schema.filename, row, column, "one place, one position", text, ids[position])


def _inline_places(frame: pd.DataFrame, schema: TableSchema, bundled_places: pd.DataFrame) -> pd.DataFrame:
    """The reader's own places, as a text table: each at the position its first row gives, named by its first
    place_name (or else its place_id)."""
    if not {"place_id", "lat", "lon"} <= set(frame.columns) or not _gives_places(frame):
        return bundled_places.iloc[0:0]
    place_ids, names = frame["place_id"], _texts(frame, "place_name")
    own = ~place_ids.isin(bundled_places["id"])
    new = frame[own & _numbers(frame, schema, "lat").notna()].drop_duplicates("place_id")
    named = _firsts(place_ids, {"name": names}, own & (names != ""))["name"]
    # Text, as the bundled names are: a column of names that pandas had to mix with missing values would be
    # objects, and the places table, concatenated with the bundled one, would change type under every chart.
    name = new["place_id"].map(lambda place: named.get(place, place)).astype("str")
    return pd.DataFrame({
        "id": new["place_id"], "name": name, "period_names": "", "name_zh": "", "name_ru": "", "modern_name": name,
        "lat": new["lat"], "lon": new["lon"], "source_ids": "",
    })  # fmt: skip


def _missing_lat_or_lon(frame: pd.DataFrame, filename: str) -> Iterator[Problem]:
    for present, absent in (("lat", "lon"), ("lon", "lat")):
        if present in frame and absent not in frame:
            message = f"a {present} column needs a {absent} column too"
            yield _problem(filename, "missing column", message, column=absent)


def load_upload(filename: str, content: bytes, bundled: Dataset) -> UploadResult:
    """Check an uploaded events file and build the dataset it describes, or report its problems."""
    frame, problems = read_upload(filename, content)
    if frame is None:
        return UploadResult(None, tuple(problems))
    if len(frame) > MAX_UPLOAD_ROWS:
        return UploadResult(None, (_problem(filename, "too many rows",
                                            f"the file has {len(frame):,} rows; the limit is {MAX_UPLOAD_ROWS:,}"),))  # fmt: skip
    if frame.empty:
        return UploadResult(None, (_problem(filename, "no rows", "the file has a header but no events"),))
    schema: TableSchema = replace(UPLOAD_EVENTS, filename=filename)
    frame = normalise_table(frame.fillna(""), schema)
    known = {
        "places": set(bundled.places["id"]) | _own_place_ids(frame, bundled.places),
        "actors": set(bundled.actors["id"]),
        "sources": set(bundled.sources["id"]),
    }
    found = chain(
        _missing_lat_or_lon(frame, filename),
        iter_problems(frame, schema, known, allow_missing_optional=True),
        _place_problems(frame, schema, bundled.places),
    )
    problems = list(islice(found, MAX_REPORTED_PROBLEMS + 1))  # one more says there are more
    if problems:
        return UploadResult(None, _reported(filename, problems), len(frame))
    events = type_table(frame[[c for c in frame.columns if c not in INLINE_PLACE_COLUMNS]], EVENTS)
    new_places = type_table(_inline_places(frame, schema, bundled.places), PLACES)
    places = pd.concat([bundled.places, new_places], ignore_index=True)
    dataset = replace(bundled, events=events, places=places, routes=bundled.routes.iloc[0:0])
    return UploadResult(dataset, (), len(frame))


MAX_REPORTED_PROBLEMS = 1000  # problems listed; finding more would cost time and memory for nothing


def _reported(filename: str, problems: list[Problem]) -> tuple[Problem, ...]:
    """The problems to show: all of them, or the first thousand and a line saying there are more."""
    if len(problems) <= MAX_REPORTED_PROBLEMS:
        return tuple(problems)
    message = (
        f"… and more problems: only the first {MAX_REPORTED_PROBLEMS:,} are listed; fix them and upload the file "
        "again to see what remains"
    )
    summary = _problem(filename, "more problems", message)
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
    return rows[UPLOAD_EVENTS.column_names].to_csv(index=False).encode("utf-8")
