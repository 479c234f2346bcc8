"""Property-based tests of the upload reader: whatever a reader sends, it gets a dataset or a list of problems.

Hypothesis generates arbitrary bytes, and tables that are well formed but odd: every cell of a valid row may be
swapped for a value that once crashed the app or for arbitrary text, columns may be missing or extra, and
the file may be CSV or JSON with numbers, booleans, nulls and nesting. Each example must load or be refused,
never raise; and what loads must be drawable on every chart.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinosoviet.dates import EARLIEST_YEAR, LATEST_YEAR
from sinosoviet.figures.map import build_map
from sinosoviet.figures.timeline import build_timeline
from sinosoviet.loaders import load_dataset
from sinosoviet.schema import EVENTS, ROUTES, SOURCES, TREATY_PROVISIONS
from sinosoviet.upload import UPLOAD_EVENTS, load_upload
from sinosoviet.validation import check_row_rules
from tests.conftest import REAL_DATA_DIR
from tests.test_upload import GOOD_ROW

# A few hundred examples each in CI: enough to find the crashes listed in issue 13 in seconds, from scratch.
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values that broke the reader or a later page once, or sit on a boundary of a rule.
ODD_VALUES = [
    "", " ", "0000", "1684", "1685", "2254-12-31", "2255", "9999-12-31", "1949-02-30", "1949-13",
    "NaN", "nan", "inf", "-inf", "1_0", "1e400", "9" * 5000, "-0", "+90", "90.0000001", "180", "-180.5",
    "x" * 201, "\u202e", "a\u2066b", "\x00", "\r=1+1", "=HYPERLINK(\"x\")", "http://example.org", "me@x.org",
    "<script>alert(1)</script>", "[a](b)", "moscow", "mao-zedong;stalin", "contested", "approximate",
    "telegram", "journey", "moscow-visit", "a-", "-a", "A", "1949-12-21-note ", ";", ";;",
]  # fmt: skip
CELL = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=40))
COLUMNS = [column.name for column in UPLOAD_EVENTS.columns]
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), CELL
)


@pytest.fixture(scope="module")
def bundled():
    return load_dataset(REAL_DATA_DIR)


NUMBERISH = st.one_of(
    st.sampled_from(
        ["NaN", "nan", "1_0", "inf", "1e400", "9" * 5000, "-0", "+90", "90.0000001", "-180.5", "", "x"]
    ),
    st.floats().map(str),
    st.integers(-400, 400).map(str),
)


def odd_row(
    changes: dict[str, str], dropped: set[str], extra: dict[str, str], own_place: tuple | None
) -> dict:
    row = {**GOOD_ROW, "lat": "", "lon": "", "place_name": ""}
    if own_place:  # a row that brings its own place: the path where odd coordinates once crashed the page
        row |= dict(zip(("place_id", "lat", "lon", "place_name"), own_place, strict=True))
    row |= changes
    return {key: value for key, value in row.items() if key not in dropped} | extra


ODD_ROWS = st.lists(
    st.builds(
        odd_row,
        st.dictionaries(st.sampled_from(COLUMNS), CELL, max_size=4),
        st.sets(st.sampled_from(COLUMNS), max_size=2),
        st.dictionaries(st.text(min_size=1, max_size=8), CELL, max_size=1),
        st.none()
        | st.tuples(st.sampled_from(["my-place", "moscow", "My Place"]), NUMBERISH, NUMBERISH, CELL),
    ),
    min_size=1,
    max_size=6,
)


def assert_loads_or_is_refused(bundled, filename: str, content: bytes) -> None:
    result = load_upload(filename, content, bundled)
    assert (result.dataset is None) == bool(result.problems), "either a dataset or problems, never both"
    if result.dataset is None:
        assert all(problem.message for problem in result.problems)
        return
    events = result.dataset.events
    assert events["start_first"].dt.year.min() >= EARLIEST_YEAR
    assert events["end_last"].dt.year.max() <= LATEST_YEAR
    # What loads must draw: the charts every page builds from it.
    build_timeline(events)
    build_map(events, result.dataset.places, result.dataset.routes)


@FUZZ
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".json"]))
def test_arbitrary_bytes_never_raise(bundled, content, suffix):
    """Test that any bytes at all, as CSV or JSON, give a dataset or problems."""
    assert_loads_or_is_refused(bundled, "fuzz" + suffix, content)


@FUZZ
@given(rows=ODD_ROWS)
def test_odd_csv_tables_never_raise(bundled, rows):
    """Test that well-formed CSV with odd cells, missing and extra columns gives a dataset or problems."""
    assert_loads_or_is_refused(bundled, "fuzz.csv", pd.DataFrame(rows).to_csv(index=False).encode("utf-8"))


@FUZZ
@given(
    rows=ODD_ROWS,
    json_values=st.dictionaries(
        st.sampled_from(COLUMNS),
        st.one_of(
            JSON_SCALAR, st.lists(JSON_SCALAR, max_size=2), st.dictionaries(st.text(max_size=3), JSON_SCALAR)
        ),
        max_size=3,
    ),
)
def test_odd_json_tables_never_raise(bundled, rows, json_values):
    """Test that JSON with numbers, booleans, nulls, NaN and nesting in any column gives a dataset or problems."""
    records = [row | json_values for row in rows]
    assert_loads_or_is_refused(bundled, "fuzz.json", json.dumps(records, allow_nan=True).encode("utf-8"))


# Values that decide the row rules: dates of each precision, with and without space around them, and
# the triggers of the rules (kinds, precisions, certainties) beside arbitrary text.
RULE_DATES = ["1949-12-16", "1949-12", "1949", "1950-02-14 ", " 1945", "1945\x1f", "1950-01-01", "1944-06",
              "1949-02-30", "", " ", "\x1f"]  # fmt: skip


def rule_cell(column) -> st.SearchStrategy[str]:
    """A cell that may trigger or break a row rule: one of the column's allowed values, a date, or odd text."""
    allowed = [*column.allowed, *(f" {value}" for value in column.allowed[:2])]
    return st.one_of(st.sampled_from(allowed or [""]), st.sampled_from(RULE_DATES), CELL)


@FUZZ
@given(data=st.data(), schema=st.sampled_from([EVENTS, SOURCES, ROUTES, TREATY_PROVISIONS]))
def test_screening_rows_finds_every_row_rule_problem_that_checking_every_row_finds(data, schema):
    """Test that the column-wise screen before the row rules never lets a broken row through: on tables with
    columns missing and cells chosen to trigger and break the rules, the problems are the same, in order."""
    dropped = data.draw(st.lists(st.sampled_from(schema.columns), unique=True, max_size=3), label="dropped")
    columns = [column for column in schema.columns if column not in dropped]
    rows = data.draw(
        st.lists(st.fixed_dictionaries({column.name: rule_cell(column) for column in columns}), max_size=12),
        label="rows",
    )
    frame = pd.DataFrame(rows, columns=[column.name for column in columns], dtype=str)
    assert check_row_rules(frame, schema) == check_row_rules(frame, schema, screen=False)
