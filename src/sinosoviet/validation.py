"""Check tables against the schema and report every problem with file, row, column and rule.

Tables arrive as DataFrames of strings (empty string for an empty cell) in the normal form of
`sinosoviet.cells`, the very text the loader will type, so the validator judges what the charts will use.
Patterns for structured values are ASCII only: a digit or letter the normal form could not make ASCII is
refused by name instead of slipping through to a chart.

Checks are collected, never raised one at a time, and lazily (`iter_problems`), in spreadsheet order, so that
a caller who shows only the first thousand stops the work there. Each column's distinct values are judged once
and only the verdict is kept, never a message: messages are written for the problems actually taken, and quote
at most 60 characters of a cell. A cell that breaks its column's own rules (too long, not an id list) is not
also searched for unknown ids, and one cell yields at most a few unknown ids and a line counting the rest. So a
file costs about what a valid file of its size costs, however wrong it is: one cell of ten million unknown ids
once made ten million problem records and took gigabytes.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from sinosoviet.cells import MAX_QUOTED, DistinctCells, quoted, shortened
from sinosoviet.dates import PRECISION_BY_LENGTH, PartialDateError, parse_partial_date, precision_matches
from sinosoviet.errors import Problem
from sinosoviet.schema import Column, ColumnType, TableSchema, canonical_host_kind

# Every pattern ends at \Z, the end of the text: `$` also matches before a final line break.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", re.ASCII)
# A link's path may be an IRI (the bundled sources link to Wikipedia pages named in Cyrillic); white space of
# any script is refused, and the host must be one of the canonical homes, which are ASCII.
_URL = re.compile(r"^https?://[^\s<>\"]+\Z")
_DOI = re.compile(r"^10\.[0-9]{4,9}/[!-~]+\Z", re.ASCII)  # printable ASCII after the slash, no space
# Numbers as a spreadsheet writes them, in ASCII digits. Python's float() also takes "nan", "inf", "1_0" and
# the digits of any script, which would slip past the range check and then break pandas when the column is typed.
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+\Z", re.ASCII)
# Control characters other than tab and line breaks, and the bidirectional embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069) that make a browser show text in a different order from the one stored.
_INVISIBLE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
V = TypeVar("V")
FIRST_RECORD_ROW = 2  # the header is row 1, as in a spreadsheet
# Unknown ids listed from one cell; the rest of the cell's unknown ids are counted in one more line.
MAX_UNKNOWN_IDS_PER_CELL = 5


def split_ids(cell: str) -> list[str]:
    """Split a `;`-separated id list, ignoring blanks around the separators."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def lists_id(cells: pd.Series, wanted: str) -> pd.Series:
    """True where a `;`-separated id list holds the id, for a whole column at once (as split_ids reads a cell)."""
    return (";" + cells.str.replace(" ", "", regex=False) + ";").str.contains(f";{wanted};", regex=False)


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
        yield position + FIRST_RECORD_ROW, _shown_id(record.get(key, "") if key else ""), record


def _shown_id(value: str) -> str | None:
    """A record's id as a problem names it: shortened like a quote, None when empty."""
    return shortened(value) or None


def record_ids(frame: pd.DataFrame, key: str | None) -> list[str | None]:
    """The id of the record at each position as a problem names it (shortened like a quote), or None where the
    table has no key or the cell is empty."""
    if not key or key not in frame.columns:
        return [None] * len(frame)
    # Sliced before they become Python strings: an id cell may be megabytes long.
    return [_shown_id(value) for value in frame[key].str.slice(0, MAX_QUOTED + 1).tolist()]


def _flagged(distinct: DistinctCells, verdicts: Sequence[V]) -> Iterator[tuple[int, int, V]]:
    """(position, code, verdict) of every row whose cell's verdict is not empty, in table order: each distinct
    cell is judged once, and only the rows holding a bad one are visited."""
    bad = [code for code, verdict in enumerate(verdicts) if verdict]
    if not bad:
        return
    for position in distinct.rows_with(bad).tolist():
        code = int(distinct.codes[position])
        yield position, code, verdicts[code]


def _in_table_order(columns: Iterable[Iterator[tuple[int, int, Problem]]]) -> Iterator[Problem]:
    """Problems found column by column, each column in row order, merged lazily into spreadsheet order: by row,
    then by column, then as each column found them."""
    for _position, _order, problem in heapq.merge(*columns, key=lambda item: item[:2]):
        yield problem


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
                    shortened(name),
                    "unknown column",
                    f"{quoted(name)} is not a column of {schema.filename}; expected "
                    f"{', '.join(schema.column_names)}",
                )
            )
    return problems


def _too_long(length: int, column: Column) -> str:
    return f"the text is {length:,} characters long; the limit is {column.max_length:,}"


def _check_cell(value: str, column: Column) -> str | None:
    """Return what is wrong with one non-empty cell, or None."""
    if len(value) > column.max_length:
        return _too_long(len(value), column)
    control = _INVISIBLE_CONTROLS.search(value)
    if control:
        return (
            f"contains the invisible control character U+{ord(control.group()):04X} at position "
            f"{control.start() + 1}, which would change how the text is shown; delete it"
        )
    if column.type is ColumnType.SLUG and not _SLUG.match(value):
        return f"{quoted(value)} is not an id (lowercase letters, digits and single hyphens)"
    if column.type is ColumnType.ID_LIST:
        bad = next((part for part in split_ids(value) if not _SLUG.match(part)), None)
        if bad is not None:
            return f"{quoted(bad)} is not an id (lowercase letters, digits and single hyphens)"
        unknown = next(
            (part for part in split_ids(value) if column.allowed and part not in column.allowed), None
        )
        if unknown is not None:
            return f"{quoted(unknown)} is not one of: {', '.join(column.allowed)}"
        return None
    if column.type is ColumnType.PARTIAL_DATE:
        try:
            parse_partial_date(value)
        except PartialDateError as error:
            return str(error)
    if column.type is ColumnType.URL:
        return _check_url(value, column)
    if column.type is ColumnType.DOI and not _DOI.match(value):
        return f"{quoted(value)} is not a DOI (10.<registrant>/<suffix>, without https://doi.org/)"
    if column.type is ColumnType.ISBN and not isbn_is_valid(value):
        return f"{quoted(value)} is not a valid ISBN-10 or ISBN-13"
    if column.type in (ColumnType.FLOAT, ColumnType.INTEGER):
        return _check_number(value, column)
    if column.allowed and value not in column.allowed:
        return f"{quoted(value)} is not one of: {', '.join(column.allowed)}"
    return None


def _check_url(value: str, column: Column) -> str | None:
    if not _URL.match(value):
        return f"{quoted(value)} is not an http(s) URL"
    if column.allowed_hosts and canonical_host_kind(urlsplit(value).hostname or "") is None:
        return (
            f"{quoted(urlsplit(value).hostname)} is not a canonical home for a source (an archive, publisher, "
            "DOI, library catalogue or reference work); cite the work itself, with its pages, and no link"
        )
    return None


_ISBN_SEPARATORS = re.compile(r"[\s-]", re.ASCII)
_ISBN_10 = re.compile(r"[0-9]{9}[0-9X]", re.ASCII)
_ISBN_13 = re.compile(r"97[89][0-9]{10}", re.ASCII)


def isbn_is_valid(text: str) -> bool:
    """True for an ISBN-10 or ISBN-13 in ASCII digits whose check digit is right; hyphens and spaces are ignored."""
    digits = _ISBN_SEPARATORS.sub("", text).upper()
    if _ISBN_10.fullmatch(digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if _ISBN_13.fullmatch(digits):
        return sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def _check_number(value: str, column: Column) -> str | None:
    whole = column.type is ColumnType.INTEGER
    if not (_WHOLE_NUMBER if whole else _DECIMAL).match(value) or not math.isfinite(float(value)):
        return f"{quoted(value)} is not a {column.type.value}"
    number = int(value) if whole else float(value)
    if column.min_value is not None and number < column.min_value:
        return f"{shortened(value)} is below the minimum {column.min_value:g}"
    if column.max_value is not None and number > column.max_value:
        return f"{shortened(value)} is above the maximum {column.max_value:g}"
    return None


def check_cells(frame: pd.DataFrame, schema: TableSchema) -> list[Problem]:
    """Check every cell against its column: required, type, allowed values, ranges."""
    return list(_cell_problems(frame, schema, _cell_rules(frame, schema)))


_Judged = dict[str, tuple[DistinctCells, list[str | None]]]


def _cell_rules(frame: pd.DataFrame, schema: TableSchema) -> _Judged:
    """For each of the schema's columns in the table, its distinct values and the rule each breaks, or None."""
    judged = {}
    for column in schema.columns:
        if column.name in frame.columns:
            distinct = DistinctCells.of(frame[column.name], longest=column.max_length)
            rules = [column.type.value if v is None else _broken_rule(v, column) for v in distinct.texts]
            judged[column.name] = (distinct, rules)
    return judged


def _cell_problems(frame: pd.DataFrame, schema: TableSchema, judged: _Judged) -> Iterator[Problem]:
    ids = record_ids(frame, schema.key)

    def in_column(order: int, column: Column) -> Iterator[tuple[int, int, Problem]]:
        distinct, rules = judged[column.name]
        for position, code, rule in _flagged(distinct, rules):
            value = distinct.texts[code]
            message = (
                _too_long(distinct.long_lengths[code], column)
                if value is None
                else cell_verdict(value, column)[1]
            )
            row = position + FIRST_RECORD_ROW
            yield position, order, Problem(schema.filename, row, column.name, rule, message, ids[position])

    columns = [schema.column(name) for name in judged]
    yield from _in_table_order(in_column(order, column) for order, column in enumerate(columns))


def _broken_rule(value: str, column: Column) -> str | None:
    """The rule one cell breaks, or None: `cell_verdict` without its message, which is not kept (it is written
    again for the problems that are shown)."""
    verdict = cell_verdict(value, column)
    return verdict[0] if verdict else None


def cell_verdict(value: str, column: Column) -> tuple[str, str] | None:
    """(rule, message) for what is wrong with one cell in normal form, or None."""
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
    return list(_row_rule_problems(frame, schema, screen=screen))


def _row_rule_problems(frame: pd.DataFrame, schema: TableSchema, *, screen: bool = True) -> Iterator[Problem]:
    positions = _may_break_row_rules(frame, schema) if screen else range(len(frame))
    for row, record_id, record in _record_rows(frame, schema.key, list(positions)):
        yield from _conditional_requirements(record, schema, row, record_id)
        yield from _precision_consistency(record, schema, row, record_id)
        yield from _date_order(record, schema, row, record_id)
        for column, rule, message in _rules_given_other_columns(record, schema):
            yield Problem(schema.filename, row, column, rule, message, record_id)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as it is; a column the file leaves out reads as empty, as in a record."""
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def _may_break_row_rules(frame: pd.DataFrame, schema: TableSchema) -> list[int]:
    """Positions of the rows that could break a row rule: each rule's necessary conditions, for whole columns at
    once. A row flagged here may still pass; a row not flagged cannot fail."""
    text = functools.partial(_column, frame.reset_index(drop=True))
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
    for _column_name, trigger, values, _years in schema.within_years_when:
        suspect |= text(trigger).isin(values)
    return np.flatnonzero(suspect.to_numpy(dtype=bool)).tolist()


_LONGEST_DATE = max(PRECISION_BY_LENGTH)


def _day_bounds(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Ordinals of the first and last possible day of each row's date in a column, NaN where it is empty or not a
    date: the row rules' own parse, once per distinct text (and none for a text too long to be a date)."""
    distinct = DistinctCells.of(_column(frame, column), longest=_LONGEST_DATE)
    bounds = [(math.nan, math.nan)] * len(distinct.texts)
    for code, text in enumerate(distinct.texts):
        span = _safe_span(text) if text else None
        if span:
            bounds[code] = (span.first.toordinal(), span.last.toordinal())
    days = np.array(bounds, dtype="float64").reshape(-1, 2)[distinct.codes]
    return days[:, 0], days[:, 1]


def _rules_given_other_columns(record, schema) -> Iterator[tuple[str, str, str]]:
    """(column, rule, message) for each broken rule that applies because of another column's value."""

    def applies(trigger: str, values: tuple[str, ...]) -> bool:
        return record.get(trigger, "") in values

    for needed, trigger, values in schema.required_any_when:
        if applies(trigger, values) and not any(record.get(c, "") for c in needed):
            because = f"because {trigger} is {quoted(record[trigger])}"
            yield needed[0], "required here", f"{' or '.join(needed)} must be filled {because}"
    for column, trigger, values, allowed in schema.allowed_when:
        value = record.get(column, "")
        if value and applies(trigger, values) and value not in allowed:
            expected = f"expected one of: {', '.join(allowed)}"
            yield (
                column,
                f"consistent with {trigger}",
                f"{quoted(value)} does not fit {trigger} {quoted(record[trigger])}; {expected}",
            )
    for column, trigger, values, (first, last) in schema.within_years_when:
        span = _safe_span(record.get(column, ""))
        if applies(trigger, values) and (
            span is None or not first <= span.first.year <= span.last.year <= last
        ):
            written = record.get(column, "")
            shown = quoted(written) if written else "an empty date"
            required_by = f"{trigger} {quoted(record[trigger])}"
            yield (
                column,
                f"consistent with {trigger}",
                f"{shown} is not within {first}–{last}, as {required_by} requires",
            )


def _conditional_requirements(record, schema, row, record_id) -> Iterator[Problem]:
    for needed, trigger, values in schema.required_when:
        # A missing optional column counts as empty: leaving out certainty_note must not excuse a contested row.
        if trigger not in record or record.get(needed, ""):
            continue
        trigger_value = record[trigger]
        if (values and trigger_value in values) or (not values and trigger_value):
            reason = f"{trigger} is {quoted(trigger_value)}" if values else f"{trigger} is filled"
            message = f"is empty but required because {reason}"
            yield Problem(schema.filename, row, needed, "required here", message, record_id)


def _precision_consistency(record, schema, row, record_id) -> Iterator[Problem]:
    for date_column, precision_column in schema.precision_of:
        text, precision = record.get(date_column, ""), record.get(precision_column, "")
        if not text or not precision or _safe_span(text) is None or precision not in _PRECISIONS:
            continue
        if not precision_matches(text, precision):
            message = (
                f"{quoted(text)} does not match {precision_column} {quoted(precision)}: write a {precision} as "
                f"{_PRECISION_FORMS[precision]}"
            )
            yield Problem(schema.filename, row, date_column, "precision", message, record_id)


_PRECISIONS = ("day", "month", "year", "approximate")
_PRECISION_FORMS = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY", "approximate": "any form"}


def _date_order(record, schema, row, record_id) -> Iterator[Problem]:
    for earlier, later in schema.ordered_dates:
        first, second = _safe_span(record.get(earlier, "")), _safe_span(record.get(later, ""))
        if first and second and first.first > second.last:
            message = f"{quoted(record[later])} is before {earlier} {quoted(record[earlier])}"
            yield Problem(schema.filename, row, later, "date order", message, record_id)


def _safe_span(text: str):
    if not text:
        return None
    try:
        return parse_partial_date(text)
    except PartialDateError:
        return None


def check_unique_key(frame: pd.DataFrame, schema: TableSchema) -> list[Problem]:
    """Report every repeated id after its first use."""
    return list(_repeated_keys(frame, schema))


def _repeated_keys(frame: pd.DataFrame, schema: TableSchema) -> Iterator[Problem]:
    if not schema.key or schema.key not in frame.columns:
        return
    column = frame[schema.key]
    repeated = column.duplicated() & (column != "")
    if not repeated.any():
        return
    ids, first_row = column.tolist(), {}
    for position, record_id in enumerate(ids):
        first_row.setdefault(record_id, position + FIRST_RECORD_ROW)
    for position in np.flatnonzero(repeated.to_numpy()).tolist():
        record_id = ids[position]
        message = f"{quoted(record_id)} is already used in row {first_row[record_id]}"
        row = position + FIRST_RECORD_ROW
        yield Problem(schema.filename, row, schema.key, "duplicate id", message, _shown_id(record_id))


def check_references(
    frame: pd.DataFrame, schema: TableSchema, known_ids: Mapping[str, set[str]]
) -> list[Problem]:
    """Report ids that point at nothing in the table they reference."""
    return list(_reference_problems(frame, schema, known_ids, _cell_rules(frame, schema)))


def _reference_problems(
    frame: pd.DataFrame, schema: TableSchema, known_ids: Mapping[str, set[str]], judged: _Judged
) -> Iterator[Problem]:
    ids = record_ids(frame, schema.key)
    referencing = [
        c for c in schema.columns if c.references and c.references in known_ids and c.name in frame
    ]

    def in_column(order: int, column: Column) -> Iterator[tuple[int, int, Problem]]:
        known, table = known_ids[column.references], f"{column.references}.csv"
        distinct, rules = judged[column.name]
        # Only values that pass their own column's rules: a cell refused for its length or form is not also
        # split into (perhaps millions of) ids.
        unknown = [
            _unknown_ids(value, known) if rule is None and value else None
            for value, rule in zip(distinct.texts, rules, strict=True)
        ]
        for position, _code, (first_unknown, count) in _flagged(distinct, unknown):
            messages = [f"{quoted(ref)} is not an id in {table}" for ref in first_unknown]
            if count > len(first_unknown):
                messages.append(
                    f"… and {count - len(first_unknown):,} more ids in this cell that are not in {table}"
                )
            row = position + FIRST_RECORD_ROW
            for message in messages:
                problem = Problem(
                    schema.filename, row, column.name, "unknown reference", message, ids[position]
                )
                yield position, order, problem

    yield from _in_table_order(in_column(order, column) for order, column in enumerate(referencing))


def _unknown_ids(cell: str, known: set[str]) -> tuple[tuple[str, ...], int] | None:
    """The first few ids of a cell that are not known, and how many there are; None when all are known."""
    unknown = [ref for ref in split_ids(cell) if ref not in known]
    return (tuple(unknown[:MAX_UNKNOWN_IDS_PER_CELL]), len(unknown)) if unknown else None


def iter_problems(
    frame: pd.DataFrame,
    schema: TableSchema,
    known_ids: Mapping[str, set[str]] | None = None,
    *,
    allow_missing_optional: bool = False,
) -> Iterator[Problem]:
    """Every problem of one table, in the order `validate_table` lists them, found only as far as they are read."""
    problems = check_columns(frame, schema, allow_missing_optional=allow_missing_optional)
    yield from problems
    if any(problem.rule == "missing column" for problem in problems):
        return  # cell checks would only repeat the same complaint on every row
    judged = _cell_rules(frame, schema)
    yield from _cell_problems(frame, schema, judged)
    yield from _row_rule_problems(frame, schema)
    yield from _repeated_keys(frame, schema)
    yield from _reference_problems(frame, schema, known_ids or {}, judged)


def validate_table(
    frame: pd.DataFrame,
    schema: TableSchema,
    known_ids: Mapping[str, set[str]] | None = None,
    *,
    allow_missing_optional: bool = False,
) -> list[Problem]:
    """Run every check on one table and return all problems (an empty list means the table is valid)."""
    return list(iter_problems(frame, schema, known_ids, allow_missing_optional=allow_missing_optional))
