"""Check raw tables against the schema and report every problem with file, row, column and rule.

Tables arrive as DataFrames of strings (empty string for an empty cell), exactly as read from CSV, so that a
problem can quote the text the user wrote. Checks are collected, never raised one at a time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import TypeVar
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from sinosoviet.dates import PRECISION_BY_LENGTH, PartialDateError, parse_partial_date, precision_matches
from sinosoviet.errors import Problem
from sinosoviet.schema import Column, ColumnType, TableSchema, canonical_host_kind

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# Numbers as a spreadsheet writes them. Python's float() also takes "nan", "inf" and "1_0", which would slip
# past the range check and then break pandas when the column is typed.
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
# Control characters other than tab and line breaks, and the bidirectional embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069) that make a browser show text in a different order from the one stored.
_INVISIBLE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
V = TypeVar("V")
FIRST_RECORD_ROW = 2  # the header is row 1, as in a spreadsheet
MAX_QUOTED = 60  # characters of a column name quoted back in a problem


def split_ids(cell: str) -> list[str]:
    """Split a `;`-separated id list, ignoring blanks around the separators."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def _record_rows(
    frame: pd.DataFrame, key: str | None, positions: list[int]
) -> Iterator[tuple[int, str | None, Mapping[str, str]]]:
    """(spreadsheet row, id, record) of the rows at the given positions."""
    # Whole columns become lists once: pandas' own row records box every Arrow-backed cell one at a time, which
    # was most of the time a 100,000-row upload took to validate.
    names = list(frame.columns)
    chosen = frame.iloc[positions]
    columns = zip(*(chosen[name].tolist() for name in names), strict=True)
    for position, values in zip(positions, columns, strict=True):
        record = dict(zip(names, values, strict=True))
        record_id = record.get(key) if key else None
        yield position + FIRST_RECORD_ROW, record_id or None, record


def _record_ids(frame: pd.DataFrame, key: str | None) -> list[str | None]:
    """The id of the record at each position, or None where the table has no key or the cell is empty."""
    if not key or key not in frame.columns:
        return [None] * len(frame)
    return [value or None for value in frame[key].tolist()]


def _flagged_cells(values: pd.Series, verdict_of: Callable[[str], V]) -> Iterator[tuple[int, V]]:
    """(position, verdict) of every cell whose verdict is not empty, in table order. A column holds few distinct
    values (kinds, places, dates), so each is judged once, and only the rows holding a bad one are visited."""
    verdicts = {value: verdict_of(value) for value in values.unique().tolist()}
    bad = [value for value, verdict in verdicts.items() if verdict]
    if not bad:
        return
    cells = values.tolist()
    for position in np.flatnonzero(values.isin(bad).to_numpy()).tolist():
        yield position, verdicts[cells[position]]


def _in_table_order(found: list[tuple[int, int, Problem]]) -> list[Problem]:
    """Problems found column by column, put back in spreadsheet order: by row, then by column (stably)."""
    return [problem for _position, _order, problem in sorted(found, key=lambda item: item[:2])]


def check_columns(
    frame: pd.DataFrame, schema: TableSchema, *, allow_missing_optional: bool = False
) -> list[Problem]:
    """Report missing and unexpected columns; cell checks only make sense once these pass."""
    problems = []
    present = set(frame.columns)
    for column in schema.columns:
        if column.name not in present and (column.required or not allow_missing_optional):
            problems.append(
                Problem(
                    schema.filename,
                    None,
                    column.name,
                    "missing column",
                    f"the column {column.name!r} is missing",
                )
            )
    for name in frame.columns:
        if name not in schema.column_names:
            problems.append(
                Problem(
                    schema.filename,
                    None,
                    str(name)[:MAX_QUOTED],
                    "unknown column",
                    f"{str(name)[:MAX_QUOTED]!r} is not a column of {schema.filename}; expected "
                    f"{', '.join(schema.column_names)}",
                )
            )
    return problems


def _check_cell(value: str, column: Column) -> str | None:
    """Return what is wrong with one non-empty cell, or None."""
    if len(value) > column.max_length:
        return f"the text is {len(value):,} characters long; the limit is {column.max_length:,}"
    control = _INVISIBLE_CONTROLS.search(value)
    if control:
        return (
            f"contains the invisible control character U+{ord(control.group()):04X} at position "
            f"{control.start() + 1}, which would change how the text is shown; delete it"
        )
    if column.type is ColumnType.SLUG and not _SLUG.match(value):
        return f"{value!r} is not an id (lowercase letters, digits and single hyphens)"
    if column.type is ColumnType.ID_LIST:
        bad = [part for part in split_ids(value) if not _SLUG.match(part)]
        if bad:
            return f"{bad[0]!r} is not an id (lowercase letters, digits and single hyphens)"
    if column.type is ColumnType.PARTIAL_DATE:
        try:
            parse_partial_date(value)
        except PartialDateError as error:
            return str(error)
    if column.type is ColumnType.URL:
        return _check_url(value, column)
    if column.type is ColumnType.DOI and not _DOI.match(value):
        return f"{value!r} is not a DOI (10.<registrant>/<suffix>, without https://doi.org/)"
    if column.type is ColumnType.ISBN and not isbn_is_valid(value):
        return f"{value!r} is not a valid ISBN-10 or ISBN-13"
    if column.type in (ColumnType.FLOAT, ColumnType.INTEGER):
        return _check_number(value, column)
    if column.allowed and value not in column.allowed:
        return f"{value!r} is not one of: {', '.join(column.allowed)}"
    return None


def _check_url(value: str, column: Column) -> str | None:
    if not _URL.match(value):
        return f"{value!r} is not an http(s) URL"
    if column.allowed_hosts and canonical_host_kind(urlsplit(value).hostname or "") is None:
        return (
            f"{urlsplit(value).hostname!r} is not a canonical home for a source (an archive, publisher, DOI, "
            "library catalogue or reference work); cite the work itself, with its pages, and no link"
        )
    return None


def isbn_is_valid(text: str) -> bool:
    """True for an ISBN-10 or ISBN-13 whose check digit is right; hyphens and spaces are ignored."""
    digits = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def _check_number(value: str, column: Column) -> str | None:
    whole = column.type is ColumnType.INTEGER
    if not (_WHOLE_NUMBER if whole else _DECIMAL).match(value) or not math.isfinite(float(value)):
        return f"{value[:40]!r} is not a {column.type.value}"
    number = int(value) if whole else float(value)
    if column.min_value is not None and number < column.min_value:
        return f"{value} is below the minimum {column.min_value:g}"
    if column.max_value is not None and number > column.max_value:
        return f"{value} is above the maximum {column.max_value:g}"
    return None


def check_cells(frame: pd.DataFrame, schema: TableSchema) -> list[Problem]:
    """Check every cell against its column: required, type, allowed values, ranges."""
    ids = _record_ids(frame, schema.key)
    found: list[tuple[int, int, Problem]] = []
    columns = [column for column in schema.columns if column.name in frame.columns]
    for order, column in enumerate(columns):
        for position, (rule, message) in _flagged_cells(
            frame[column.name], partial(_cell_verdict, column=column)
        ):
            row = position + FIRST_RECORD_ROW
            found.append(
                (position, order, Problem(schema.filename, row, column.name, rule, message, ids[position]))
            )
    return _in_table_order(found)


def _cell_verdict(raw: str, column: Column) -> tuple[str, str] | None:
    """(rule, message) for what is wrong with one cell as written, or None."""
    value = raw.strip()
    if column.type is ColumnType.SLUG and value and value != raw:
        return "spaces around id", f"{raw!r} has spaces before or after it"
    if not value:
        return ("required", "is empty but required") if column.required else None
    message = _check_cell(value, column)
    return (column.type.value, message) if message else None


def check_row_rules(frame: pd.DataFrame, schema: TableSchema, *, screen: bool = True) -> list[Problem]:
    """Check the rules that tie columns of one row together: conditional requirements, precision, order.

    Whole columns are screened first for rows that could break a rule, and only those rows are checked one by
    one, so a valid file of 100,000 rows costs a few column operations. `screen=False` checks every row (the
    tests compare the two).
    """
    positions = _may_break_row_rules(frame, schema) if screen else range(len(frame))
    problems = []
    for row, record_id, record in _record_rows(frame, schema.key, list(positions)):
        problems += _conditional_requirements(record, schema, row, record_id)
        problems += _precision_consistency(record, schema, row, record_id)
        problems += _date_order(record, schema, row, record_id)
        problems += [
            Problem(schema.filename, row, column, rule, message, record_id)
            for column, rule, message in _rules_given_other_columns(record, schema)
        ]
    return problems


def _cells(frame: pd.DataFrame, name: str) -> list[str]:
    """A column's cells as Python strings; a column the file leaves out reads as empty, as in a record."""
    return frame[name].tolist() if name in frame else [""] * len(frame)


class _StrippedColumns:
    """A table's cells stripped of surrounding space, a column at a time, as Python strings: Python's strip,
    as the row rules use, since Arrow's idea of white space is not quite Python's."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame, self._stripped = frame, {}

    def __call__(self, name: str) -> pd.Series:
        if name not in self._stripped:
            self._stripped[name] = pd.Series(
                [cell.strip() for cell in _cells(self._frame, name)], dtype=object
            )
        return self._stripped[name]


def _may_break_row_rules(frame: pd.DataFrame, schema: TableSchema) -> list[int]:
    """Positions of the rows that could break a row rule: each rule's necessary conditions, for whole columns at
    once. A row flagged here may still pass; a row not flagged cannot fail."""
    text = _StrippedColumns(frame)
    suspect = pd.Series(False, index=range(len(frame)))
    for needed, trigger, values in schema.required_when:
        if trigger in frame:
            triggered = text(trigger).isin(values) if values else text(trigger) != ""
            suspect |= triggered & (text(needed) == "")
    for date_column, precision_column in schema.precision_of:
        precision = text(precision_column)
        written = text(date_column).str.len().map(PRECISION_BY_LENGTH)
        strict = precision.isin(PRECISION_BY_LENGTH.values())  # "approximate" may be written at any precision
        suspect |= strict & (text(date_column) != "") & (written != precision)
    for earlier, later in schema.ordered_dates:
        suspect |= _day_bounds(frame, earlier)[0] > _day_bounds(frame, later)[1]
    for needed, trigger, values in schema.required_any_when:
        suspect |= text(trigger).isin(values) & np.logical_and.reduce([text(c) == "" for c in needed])
    for column, trigger, values, allowed in schema.allowed_when:
        suspect |= text(trigger).isin(values) & (text(column) != "") & ~text(column).isin(allowed)
    for _column, trigger, values, _years in schema.within_years_when:
        suspect |= text(trigger).isin(values)
    return np.flatnonzero(suspect.to_numpy()).tolist()


def _day_bounds(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Ordinals of the first and last possible day of each row's date in a column, NaN where it is empty or not a
    date: the row rules' own parse, once per distinct text."""
    cells = _cells(frame, column)
    bounds = {}
    for text in set(cells):
        span = _safe_span(text)
        bounds[text] = (span.first.toordinal(), span.last.toordinal()) if span else (math.nan, math.nan)
    days = np.array([bounds[cell] for cell in cells], dtype="float64").reshape(-1, 2)
    return days[:, 0], days[:, 1]


def _rules_given_other_columns(record, schema) -> Iterator[tuple[str, str, str]]:
    """(column, rule, message) for each broken rule that applies because of another column's value."""

    def applies(trigger: str, values: tuple[str, ...]) -> bool:
        return record.get(trigger, "").strip() in values

    for needed, trigger, values in schema.required_any_when:
        if applies(trigger, values) and not any(record.get(c, "").strip() for c in needed):
            because = f"because {trigger} is {record[trigger].strip()!r}"
            yield needed[0], "required here", f"{' or '.join(needed)} must be filled {because}"
    for column, trigger, values, allowed in schema.allowed_when:
        value = record.get(column, "").strip()
        if value and applies(trigger, values) and value not in allowed:
            expected = f"expected one of: {', '.join(allowed)}"
            yield (
                column,
                f"consistent with {trigger}",
                f"{value!r} does not fit {trigger} " + (f"{record[trigger].strip()!r}; {expected}"),
            )
    for column, trigger, values, (first, last) in schema.within_years_when:
        span = _safe_span(record.get(column, ""))
        if applies(trigger, values) and (
            span is None or not first <= span.first.year <= span.last.year <= last
        ):
            shown = record.get(column, "").strip() or "an empty date"
            required_by = f"{trigger} {record[trigger].strip()!r}"
            yield (
                column,
                f"consistent with {trigger}",
                f"{shown} is not within {first}–{last}, as {required_by} requires",
            )


def _conditional_requirements(record, schema, row, record_id) -> list[Problem]:
    problems = []
    for needed, trigger, values in schema.required_when:
        # A missing optional column counts as empty: leaving out certainty_note must not excuse a contested row.
        if trigger not in record or record.get(needed, "").strip():
            continue
        trigger_value = record[trigger].strip()
        if (values and trigger_value in values) or (not values and trigger_value):
            reason = f"{trigger} is {trigger_value!r}" if values else f"{trigger} is filled"
            problems.append(
                Problem(
                    schema.filename,
                    row,
                    needed,
                    "required here",
                    f"is empty but required because {reason}",
                    record_id,
                )
            )
    return problems


def _precision_consistency(record, schema, row, record_id) -> list[Problem]:
    problems = []
    for date_column, precision_column in schema.precision_of:
        text, precision = record.get(date_column, "").strip(), record.get(precision_column, "").strip()
        if not text or not precision or _safe_span(text) is None or precision not in _PRECISIONS:
            continue
        if not precision_matches(text, precision):
            problems.append(
                Problem(
                    schema.filename,
                    row,
                    date_column,
                    "precision",
                    f"{text!r} does not match {precision_column} {precision!r}: write a {precision} as "
                    f"{_PRECISION_FORMS[precision]}",
                    record_id,
                )
            )
    return problems


_PRECISIONS = ("day", "month", "year", "approximate")
_PRECISION_FORMS = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY", "approximate": "any form"}


def _date_order(record, schema, row, record_id) -> list[Problem]:
    problems = []
    for earlier, later in schema.ordered_dates:
        first, second = _safe_span(record.get(earlier, "")), _safe_span(record.get(later, ""))
        if first and second and first.first > second.last:
            problems.append(
                Problem(
                    schema.filename,
                    row,
                    later,
                    "date order",
                    f"{record[later]!r} is before {earlier} {record[earlier]!r}",
                    record_id,
                )
            )
    return problems


def _safe_span(text: str):
    if not text.strip():
        return None
    try:
        return parse_partial_date(text)
    except PartialDateError:
        return None


def check_unique_key(frame: pd.DataFrame, schema: TableSchema) -> list[Problem]:
    """Report every repeated id after its first use."""
    if not schema.key or schema.key not in frame.columns:
        return []
    column = frame[schema.key]
    repeated = column.duplicated() & (column != "")
    if not repeated.any():
        return []
    ids, first_row = column.tolist(), {}
    for position, record_id in enumerate(ids):
        first_row.setdefault(record_id, position + FIRST_RECORD_ROW)
    return [
        Problem(schema.filename, position + FIRST_RECORD_ROW, schema.key, "duplicate id",
                f"{ids[position]!r} is already used in row {first_row[ids[position]]}", ids[position])
        for position in np.flatnonzero(repeated.to_numpy()).tolist()
    ]  # fmt: skip


def check_references(
    frame: pd.DataFrame, schema: TableSchema, known_ids: Mapping[str, set[str]]
) -> list[Problem]:
    """Report ids that point at nothing in the table they reference."""
    ids = _record_ids(frame, schema.key)
    found: list[tuple[int, int, Problem]] = []
    referencing = [
        c for c in schema.columns if c.references and c.references in known_ids and c.name in frame
    ]
    for order, column in enumerate(referencing):
        unknown_in = partial(_unknown_ids, known=known_ids[column.references])
        for position, unknown in _flagged_cells(frame[column.name], unknown_in):
            found += [
                (position, order, Problem(schema.filename, position + FIRST_RECORD_ROW, column.name,
                                          "unknown reference", f"{ref!r} is not an id in {column.references}.csv",
                                          ids[position]))
                for ref in unknown
            ]  # fmt: skip
    return _in_table_order(found)


def _unknown_ids(cell: str, known: set[str]) -> list[str]:
    return [ref for ref in split_ids(cell) if ref not in known]


def validate_table(
    frame: pd.DataFrame,
    schema: TableSchema,
    known_ids: Mapping[str, set[str]] | None = None,
    *,
    allow_missing_optional: bool = False,
) -> list[Problem]:
    """Run every check on one table and return all problems (an empty list means the table is valid)."""
    problems = check_columns(frame, schema, allow_missing_optional=allow_missing_optional)
    if any(problem.rule == "missing column" for problem in problems):
        return problems  # cell checks would only repeat the same complaint on every row
    problems += check_cells(frame, schema)
    problems += check_row_rules(frame, schema)
    problems += check_unique_key(frame, schema)
    problems += check_references(frame, schema, known_ids or {})
    return problems
