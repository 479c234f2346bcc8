"""One loader per table, each reading `data/<table>.csv`, validating it against the schema and typing it.

Pure functions: no Streamlit here (the app caches them in `sinosoviet.ui.data`). Every failure is a `DataError`
whose message names the file, row, column and rule.

Data quirks and decisions:
- Cells are read as text first (`dtype=str`, empty cells as ""), so "NA" stays a string rather than turning
  into a missing value, and then put in the normal form of `sinosoviet.cells` (trimmed; ids, dates and numbers
  in ASCII), the same step a reader's upload goes through: validation and typing read the same text.
- Event dates stay as written (`1949-12`) and gain derived columns: `start_first` and `end_last`, the first and
  last day the event may cover, and `date_label`, the date as people read it ("Dec 1949").
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sinosoviet.cells import normalise_table
from sinosoviet.dates import format_date_range, parse_partial_date
from sinosoviet.errors import DataFileMissingError, DataFileUnreadableError, DataValidationError, Problem
from sinosoviet.filters import sort_events
from sinosoviet.schema import (
    ACTORS,
    ALL_TABLES,
    EVENTS,
    PLACES,
    ROUTES,
    SOURCES,
    TREATY_PROVISIONS,
    ColumnType,
    TableSchema,
)
from sinosoviet.search import search_texts
from sinosoviet.validation import validate_table

DATA_DIR_VARIABLE = "SINOSOVIET_DATA_DIR"


def default_data_dir() -> Path:
    """The repository's `data/` folder; an environment variable may point elsewhere.

    Found from this file when the package is installed in place (`uv sync` installs it editable), else from the
    working directory, which is the repository root when Streamlit runs `app.py`.
    """
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    beside_package = Path(__file__).resolve().parents[2] / "data"
    return beside_package if beside_package.is_dir() else Path.cwd() / "data"


def read_raw_table(schema: TableSchema, data_dir: Path) -> pd.DataFrame:
    """Read one CSV as text, with every cell a string; raise a DataError naming the file if it cannot be read."""
    path = Path(data_dir) / schema.filename
    # Messages name the file within its folder, never the server's absolute path: readers see them.
    shown = f"{Path(data_dir).name}/{schema.filename}"
    if not path.is_file():
        raise DataFileMissingError(f"{shown} is missing: the app expects it in its data folder")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except OSError as error:  # no permission to read it, a broken disk, ...
        raise DataFileUnreadableError(
            f"{shown} could not be read ({error.strerror or 'read error'})"
        ) from None
    except UnicodeDecodeError as error:
        raise DataFileUnreadableError(
            f"{schema.filename} is not valid UTF-8 (byte {error.start}): save it as UTF-8 CSV"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DataFileUnreadableError(f"{schema.filename} is not a readable CSV file: {error}") from None


def read_normal_table(schema: TableSchema, data_dir: Path) -> pd.DataFrame:
    """Read one CSV as text with its cells in normal form: the text that is validated, then typed."""
    return normalise_table(read_raw_table(schema, data_dir), schema)


def type_table(raw: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """Convert a validated text table in normal form to typed columns; events also gain their derived date
    columns."""
    typed = raw.copy()
    for column in schema.columns:
        if column.name not in typed:
            typed[column.name] = ""
        if column.type is ColumnType.FLOAT:
            typed[column.name] = pd.to_numeric(typed[column.name]).astype("float64")
        elif column.type is ColumnType.INTEGER:  # nullable: an optional whole number may be empty
            typed[column.name] = pd.to_numeric(typed[column.name].replace("", None)).astype("Int64")
    if schema is EVENTS:
        # In date order once, here, so that every filter and figure after can keep it instead of sorting.
        typed = sort_events(_add_event_date_columns(typed)).reset_index(drop=True)
    return typed[[*schema.column_names, *[c for c in typed.columns if c not in schema.column_names]]]


def _add_event_date_columns(events: pd.DataFrame) -> pd.DataFrame:
    # Columns as lists of Python strings: iterating a Series boxes its Arrow-backed cells one by one.
    start_texts, end_texts = events["start"].tolist(), events["end"].tolist()
    starts = [parse_partial_date(start) for start in start_texts]
    ends = [parse_partial_date(end) if end else start for end, start in zip(end_texts, starts, strict=True)]
    return events.assign(
        start_first=pd.to_datetime([span.first for span in starts]),
        end_last=pd.to_datetime([span.last for span in ends]),
        date_label=[
            format_date_range(start, end, precision)
            for start, end, precision in zip(
                start_texts, end_texts, events["date_precision"].tolist(), strict=True
            )
        ],
    )


def load_table(
    schema: TableSchema, data_dir: Path | None = None, known_ids: Mapping[str, set[str]] | None = None
) -> pd.DataFrame:
    """Read, validate and type one table; references are checked against `known_ids` when given."""
    raw = read_normal_table(schema, data_dir or default_data_dir())
    problems = validate_table(raw, schema, known_ids)
    if problems:
        raise DataValidationError(problems)
    return type_table(raw, schema)


def load_sources(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(SOURCES, data_dir)


def load_places(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(PLACES, data_dir)


def load_actors(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(ACTORS, data_dir)


def load_events(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(EVENTS, data_dir)


def load_routes(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(ROUTES, data_dir)


def load_treaty_provisions(data_dir: Path | None = None) -> pd.DataFrame:
    return load_table(TREATY_PROVISIONS, data_dir)


@dataclass(frozen=True)
class Dataset:
    """All tables, validated together so that every reference between them resolves."""

    sources: pd.DataFrame
    places: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    routes: pd.DataFrame
    treaty_provisions: pd.DataFrame

    @functools.cached_property
    def search_texts(self) -> pd.Series:
        """What the search box matches, per event (index as `events`): made where all the tables meet, on the
        first search only, since most visits never search (see search.py)."""
        return search_texts(self.events, self.actors, self.places)


def load_dataset(data_dir: Path | None = None) -> Dataset:
    """Load every table and check references across them, reporting the problems of all files at once."""
    data_dir = data_dir or default_data_dir()
    raw = {schema.name: read_normal_table(schema, data_dir) for schema in ALL_TABLES}
    known_ids = {
        schema.name: set(raw[schema.name][schema.key]) if schema.key in raw[schema.name] else set()
        for schema in ALL_TABLES
        if schema.key
    }
    problems: list[Problem] = []
    for schema in ALL_TABLES:
        problems += validate_table(raw[schema.name], schema, known_ids)
    if problems:
        raise DataValidationError(problems)
    return Dataset(**{schema.name: type_table(raw[schema.name], schema) for schema in ALL_TABLES})
