"""Property-based tests of the upload reader: whatever a reader sends, it gets a dataset or a list of problems.

Hypothesis generates arbitrary bytes, and tables that are well formed but odd: every cell of a valid row may be
swapped for a value that once crashed the app or for arbitrary text, columns may be missing or extra, and
the file may be CSV or JSON with numbers, booleans, nulls and nesting. Each example must load or be refused,
never raise; and what loads must be drawable on every chart.

It also generates files the validator accepts, written oddly (`accepted_uploads`: other scripts' digits,
full-width forms, invisible padding, places of the reader's own): each must load holding exactly the normal form
of its cells, and its download must upload again as the same events, places and people. tests/test_app_upload.py
draws a few of them on every page.
"""

from __future__ import annotations

import csv
import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from sinosoviet.cells import EDGE_CHARACTERS, escape_formula, is_structured
from sinosoviet.dates import EARLIEST_YEAR, LATEST_YEAR
from sinosoviet.export import events_to_csv, events_to_json
from sinosoviet.figures.map import build_map
from sinosoviet.figures.timeline import build_timeline
from sinosoviet.loaders import load_dataset
from sinosoviet.schema import (
    CERTAINTIES,
    CHAPTERS,
    DATE_PRECISIONS,
    EVENT_KINDS,
    EVENT_TAGS,
    EVENTS,
    KINDS_WITH_ORIGIN_AND_DESTINATION,
    ROUTES,
    SOURCES,
    TREATY_PROVISIONS,
)
from sinosoviet.upload import UPLOAD_EVENTS, load_upload
from sinosoviet.validation import check_row_rules
from tests.conftest import REAL_DATA_DIR, examples
from tests.test_upload import GOOD_ROW

# A few hundred examples each in CI: enough to find the crashes listed in issue 13 in seconds, from scratch.
FUZZ = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])

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


# -- Datasets the validator accepts, written oddly ------------------------------------------------------------
#
# Each example is a list of events in their normal form, as the typed dataset must hold them, and each cell as a
# reader's file may write it: padded with no-break, thin or ideographic spaces and zero-width characters, and
# in the structured columns with full-width letters, digits of another script (Arabic-Indic, Persian,
# Devanagari, full-width) or a zero-width space inside. Events name bundled places, people and sources, and some
# bring places of their own with coordinates.

BUNDLED = load_dataset(REAL_DATA_DIR)
DIGIT_SCRIPTS = {
    "ASCII": "0123456789",
    "full-width": "０１２３４５６７８９",
    "Arabic-Indic": "٠١٢٣٤٥٦٧٨٩",
    "Persian": "۰۱۲۳۴۵۶۷۸۹",
    "Devanagari": "०१२३४५६७८९",
}
PADDING = st.sampled_from(
    ["", "", " ", "\u00a0", "\u3000", "\u2009", "\u200b", "\ufeff", "\t", "\u00a0\u200b "]
)
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}  # "!" to "~" as NFKC maps them back
# Prose as readers write it: any letters, spaces and punctuation inside, line breaks and the characters a
# spreadsheet reads as a formula; no control or format characters (the validator refuses those that change how
# text shows), and nothing at the ends that the normal form trims.
PROSE = (
    st.text(
        st.one_of(
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
            st.sampled_from(["=", "+", "-", "@", "'", '"', ",", ";", "\n", "\r", "\u00a0", "\u200d", "３"]),
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda text: text.strip(EDGE_CHARACTERS))
    .filter(bool)
)
SLUG = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)


@st.composite
def written_oddly(draw, clean: str, *, structured: bool = True) -> str:
    """`clean` as a reader's file may write it: padded, and if structured, in other digits or full width."""
    text = clean
    if structured:
        text = text.translate(
            str.maketrans("0123456789", draw(st.sampled_from(list(DIGIT_SCRIPTS.values()))))
        )
        if draw(st.integers(0, 3)) == 0:
            text = text.translate(_FULL_WIDTH)
        if text and draw(st.integers(0, 3)) == 0:
            cut = draw(st.integers(0, len(text)))
            text = text[:cut] + "\u200b" + text[cut:]
    return draw(PADDING) + text + draw(PADDING)


@st.composite
def partial_dates(draw) -> tuple[str, str, str]:
    """(start, end, date_precision): a start and maybe a later end, both written as precisely as declared."""
    first = draw(st.dates(date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)))
    last = draw(st.none() | st.dates(first, date(LATEST_YEAR, 12, 31)))
    precision = draw(st.sampled_from(DATE_PRECISIONS))
    form = (
        draw(st.sampled_from([10, 7, 4]))
        if precision == "approximate"
        else {"day": 10, "month": 7, "year": 4}[precision]
    )
    return first.isoformat()[:form], last.isoformat()[:form] if last else "", precision


@st.composite
def own_places(draw) -> dict[str, tuple[str, str, str]]:
    """A few places of a reader's own: id to (latitude, longitude, name), coordinates as decimal text."""
    ids = draw(st.lists(SLUG.map(lambda slug: f"my-{slug}"), min_size=1, max_size=3, unique=True))

    def degrees(limit: int) -> st.SearchStrategy[str]:
        return st.integers(-limit * 10**5, limit * 10**5).map(
            lambda n: f"{n / 10**5:.5f}".rstrip("0").rstrip(".")
        )

    return {place: (draw(degrees(90)), draw(degrees(180)), draw(st.just("") | PROSE)) for place in ids}


@st.composite
def accepted_events(draw) -> tuple[list[dict], dict[str, tuple[str, str, str]]]:
    """Events in normal form, one to five, and the places of the reader's own that they use."""
    places = draw(own_places())
    bundled_places = BUNDLED.places["id"].tolist()
    count = draw(st.integers(1, 5))
    at = [draw(st.sampled_from(bundled_places) | st.sampled_from(list(places))) for _ in range(count)]
    usable = bundled_places + sorted(set(at) - set(bundled_places))
    events = []
    for number, place in enumerate(at):
        start, end, precision = draw(partial_dates())
        kind, certainty = draw(st.sampled_from(EVENT_KINDS)), draw(st.sampled_from(CERTAINTIES))
        moves = kind in KINDS_WITH_ORIGIN_AND_DESTINATION
        noted = certainty != "confirmed" or precision == "approximate"

        def ids(table: pd.DataFrame, most: int) -> str:
            return ";".join(draw(st.lists(st.sampled_from(table["id"].tolist()), max_size=most, unique=True)))

        events.append({
            "id": f"e{number}-{draw(SLUG)}", "start": start, "end": end, "date_precision": precision,
            "title": draw(PROSE), "summary": draw(PROSE), "chapter": draw(st.sampled_from(CHAPTERS)), "kind": kind,
            "place_id": place, "origin_place_id": draw(st.sampled_from(usable)) if moves else "",
            "destination_place_id": draw(st.sampled_from(usable)) if moves else "",
            "related_place_ids": ";".join(draw(st.lists(st.sampled_from(usable), max_size=2, unique=True))),
            "actors": ids(BUNDLED.actors, 3), "source_ids": ids(BUNDLED.sources, 2), "certainty": certainty,
            "certainty_note": draw(PROSE) if noted else draw(st.just("") | PROSE),
            "tags": ";".join(draw(st.lists(st.sampled_from(tuple(EVENT_TAGS)), max_size=2, unique=True))),
        })  # fmt: skip
    return events, {place: places[place] for place in set(at) if place in places}


@st.composite
def accepted_uploads(draw) -> tuple[str, bytes, list[dict], dict[str, tuple[str, str, str]]]:
    """(file name, content, events in normal form, own places): a CSV or JSON file the validator accepts, every
    cell written oddly. A row at a place of the reader's own gives its coordinates (in some rows, not all) and
    perhaps its name; a row at a bundled place may repeat the bundled name and coordinates."""
    events, places = draw(accepted_events())
    bundled = BUNDLED.places.set_index("id")
    defined, named = set(), set()
    rows = []
    for event in events:
        place = event["place_id"]
        if place in places and (place not in defined or draw(st.booleans())):
            defined.add(place)
            lat, lon, name = places[place]
            name = name if draw(st.booleans()) else ""
            named |= {place} if name else set()
        elif place not in places and draw(st.booleans()):
            lat, lon = str(float(bundled.loc[place, "lat"])), str(float(bundled.loc[place, "lon"]))
            name = bundled.loc[place, "name"] if draw(st.booleans()) else ""
        else:
            lat, lon, name = "", "", ""
        location = {"lat": lat, "lon": lon, "place_name": name}
        rows.append({
            column: draw(written_oddly(value, structured=is_structured(UPLOAD_EVENTS.column(column))))
            for column, value in (event | location).items()
        })  # fmt: skip
    # A place no row names is named by its id.
    places = {
        place: (lat, lon, name if place in named else place) for place, (lat, lon, name) in places.items()
    }
    if draw(st.booleans()):
        return "odd.json", json.dumps(rows, ensure_ascii=draw(st.booleans())).encode("utf-8"), events, places
    # Written as the app's own download writes CSV: escaped against formulas, every cell quoted.
    escaped = pd.DataFrame(rows).map(escape_formula)
    return "odd.csv", escaped.to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8"), events, places


ROUND_TRIPS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_holds(dataset, events: list[dict], places: dict[str, tuple[str, str, str]]) -> None:
    """Test that a typed dataset holds exactly these events and own places, in normal form."""
    loaded = dataset.events.set_index("id")[EVENTS.column_names[1:]]
    assert loaded.to_dict(orient="index") == {
        event["id"]: {k: v for k, v in event.items() if k != "id"} for event in events
    }
    own = dataset.places[~dataset.places["id"].isin(BUNDLED.places["id"])].set_index("id")
    assert own[["lat", "lon"]].to_dict(orient="index") == {
        place: {"lat": float(lat), "lon": float(lon)} for place, (lat, lon, _name) in places.items()
    }
    assert own["name"].to_dict() == {place: name for place, (_lat, _lon, name) in places.items()}
    assert_frame_equal(dataset.places.iloc[: len(BUNDLED.places)], BUNDLED.places)
    assert_frame_equal(dataset.actors, BUNDLED.actors)


@ROUND_TRIPS
@given(upload=accepted_uploads())
def test_odd_but_valid_files_load_in_normal_form(upload):
    """Test that files written with other scripts' digits, full-width forms and invisible padding load, and the
    typed dataset holds exactly the normal form of every cell: what the validator checked is what loaded."""
    filename, content, events, places = upload
    result = load_upload(filename, content, BUNDLED)
    assert result.problems == ()
    assert_holds(result.dataset, events, places)


@ROUND_TRIPS
@given(upload=accepted_uploads(), write=st.sampled_from([events_to_csv, events_to_json]))
def test_what_the_app_exports_it_accepts_again_unchanged(upload, write):
    """Test that the download of any accepted upload, as CSV or JSON, uploads again as the same events, the same
    places (ids, names, coordinates) and the same people."""
    filename, content, _events, _places = upload
    first = load_upload(filename, content, BUNDLED).dataset
    again = load_upload(
        "again." + write.__name__.rsplit("_", 1)[-1], write(first.events, first.places), BUNDLED
    )
    assert again.problems == ()
    assert_frame_equal(again.dataset.events[EVENTS.column_names], first.events[EVENTS.column_names])
    # The reader's own places in the order their first rows come: the download's is the events' date order.
    assert_frame_equal(places_by_id(again.dataset), places_by_id(first))
    assert_frame_equal(again.dataset.actors, first.actors)


def places_by_id(dataset) -> pd.DataFrame:
    return dataset.places[["id", "name", "lat", "lon"]].sort_values("id", ignore_index=True)
