"""AppTest tests of the 'Your events' flow: an upload in session state drives every page; broken data shows an
error page naming the file."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from streamlit.testing.v1 import AppTest

from sinosoviet.loaders import DATA_DIR_VARIABLE, load_dataset
from sinosoviet.registry import pages
from sinosoviet.schema import EVENTS
from sinosoviet.ui.data import UPLOAD_DATASET, UPLOAD_KEY, UPLOAD_NAME
from sinosoviet.upload import load_upload, template_csv
from tests.conftest import REAL_DATA_DIR, REPO_ROOT, examples, refuse_to_read
from tests.test_upload import GOOD_ROW
from tests.test_upload_fuzz import BUNDLED, accepted_uploads

APP = str(REPO_ROOT / "app.py")
_EVENT_COLUMNS = set(EVENTS.column_names)


@pytest.fixture(scope="module")
def uploaded():
    bundled = load_dataset(REAL_DATA_DIR)
    return load_upload("events-template.csv", template_csv(bundled), bundled).dataset


@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_every_page_explores_an_uploaded_dataset(spec, uploaded):
    """Test that with an upload in the session every page runs on it, says so, and raises nothing."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state[UPLOAD_KEY] = "upload:test"
    app.session_state[UPLOAD_NAME] = "events-template.csv"
    app.session_state[UPLOAD_DATASET] = uploaded
    app.run()
    if not spec.default:
        app.switch_page(f"pages/{spec.filename}")
        app.run()
    assert not app.exception, app.exception
    assert any("your own events" in block.value for block in app.markdown)
    if spec.slug == "explore":
        caption = next(c.value for c in app.caption if "match the filters" in c.value)
        assert "2 of 2 events" in caption


def test_your_events_shows_the_upload_at_a_glance(uploaded):
    """Test that once a file is loaded, Your events draws its events on a timeline and links to Explore; and that
    without an upload it draws no chart."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page("pages/upload.py")
    app.run()
    assert not app.get("plotly_chart")
    app.session_state[UPLOAD_KEY] = "upload:test"
    app.session_state[UPLOAD_NAME] = "events-template.csv"
    app.session_state[UPLOAD_DATASET] = uploaded
    app.run()
    assert not app.exception, app.exception
    assert [chart.proto.id for chart in app.get("plotly_chart")], "no timeline of the upload"
    assert any(header.value == "Your events at a glance" for header in app.subheader)
    assert any("one lane per chapter" in caption.value for caption in app.caption)


def test_back_to_the_bundled_data(uploaded):
    """Test that the banner's button returns the session to the bundled events."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state[UPLOAD_KEY] = "upload:test"
    app.session_state[UPLOAD_NAME] = "events-template.csv"
    app.session_state[UPLOAD_DATASET] = uploaded
    app.run()
    app.button(key="back_to_bundled").click().run()
    assert not any("your own events" in block.value for block in app.markdown)
    assert UPLOAD_KEY not in app.session_state


@pytest.mark.parametrize(
    ("filename", "damage", "expected"),
    [
        ("sources.csv", lambda path: path.unlink(), "sources.csv is missing"),
        (
            "events.csv",
            lambda path: path.write_bytes(b"\xff\xfe\x00garbage"),
            "events.csv is not valid UTF-8",
        ),
        ("places.csv", lambda path: path.write_text('id,name\n"unclosed,quote\n'), "places.csv"),
        ("actors.csv", "unreadable", "data/actors.csv could not be read (Permission denied)"),
    ],
)
def test_a_corrupt_or_missing_bundled_file_gives_an_error_page(filename, damage, expected, broken_data_dir,
                                                               monkeypatch):  # fmt: skip
    """Test that a missing, mis-encoded, malformed or unreadable bundled file shows an error page naming it,
    by its folder and name only: the server's absolute path stays out of the page."""
    folder = broken_data_dir(filename, lambda table: table)
    if damage == "unreadable":
        refuse_to_read(monkeypatch, filename)
    else:
        damage(folder / filename)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    assert not app.exception
    assert app.title[0].value == "The data could not be loaded"
    assert expected in " ".join(block.value for block in app.code)
    assert str(folder.parent) not in " ".join(block.value for block in app.code)


def test_a_single_event_upload_does_not_break_the_period_slider():
    """Regression: a file with one one-day event gave the period slider equal ends, and Explore crashed."""
    bundled = load_dataset(REAL_DATA_DIR)
    one_event = bundled.events.iloc[[0]][[c for c in bundled.events.columns if c in _EVENT_COLUMNS]]
    result = load_upload("one.csv", one_event.to_csv(index=False).encode(), bundled)
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state[UPLOAD_KEY], app.session_state[UPLOAD_NAME] = "upload:one", "one.csv"
    app.session_state[UPLOAD_DATASET] = result.dataset
    app.run()
    app.switch_page("pages/explore.py")
    app.run()
    assert not app.exception, app.exception
    assert any("1 of 1 events" in caption.value for caption in app.caption)


def test_events_at_both_ends_of_the_drawable_years_load_on_every_page():
    """Regression (issue 13): dates the validator accepted, before 1684 or after 2255, crashed the period sliders
    with StreamlitJSNumberBoundsError. Now the validator's range is what the sliders hold: both ends draw."""
    bundled = load_dataset(REAL_DATA_DIR)
    two = bundled.events.iloc[[0, 1]][[c for c in bundled.events.columns if c in _EVENT_COLUMNS]].copy()
    two["start"], two["end"], two["date_precision"] = ["1685", "2254-12-31"], "", ["year", "day"]
    two["id"] = ["1685-first", "2254-last"]
    result = load_upload("ends.csv", two.to_csv(index=False).encode(), bundled)
    assert result.problems == ()
    for spec in pages():
        app = AppTest.from_file(APP, default_timeout=30)
        app.session_state[UPLOAD_KEY], app.session_state[UPLOAD_NAME] = "upload:ends", "ends.csv"
        app.session_state[UPLOAD_DATASET] = result.dataset
        app.run()
        app.switch_page(f"pages/{spec.filename}")
        app.run()
        assert not app.exception, (spec.slug, app.exception)


def failures_on_every_page(dataset, name: str = "mine.csv") -> dict[str, list[str]]:
    """Each page that raises or shows an error box with this dataset uploaded, and what it showed."""
    failures = {}
    # A key of its own, as the app gives each file (the hash of its content): under one key for every file, the
    # caches of the pages' derived tables handed one example's tables to the next.
    upload_key = f"upload:{name}:{uuid.uuid4()}"
    for spec in pages():
        app = AppTest.from_file(APP, default_timeout=30)
        app.session_state[UPLOAD_KEY], app.session_state[UPLOAD_NAME] = upload_key, name
        app.session_state[UPLOAD_DATASET] = dataset
        app.run()
        if not spec.default:
            app.switch_page(f"pages/{spec.filename}")
            app.run()
        shown = [str(exception.message) for exception in app.exception] + [box.value for box in app.error]
        if shown:
            failures[spec.slug] = shown
    return failures


# Files that passed validation and then crashed pages (issue 22): the loader and the charts used the cell as
# written while the validator had trimmed it or read its digits as Python does.
CRASHED = {
    # Crashed Overview, Moscow, Explore and Your events.
    "certainty padded with a non-breaking space": {"certainty": "single-source\u00a0"},
    # Crashed Moscow and Explore.
    "date precision after a space": {"date_precision": " day"},
    "date in Arabic-Indic digits": {"start": "١٩٤٩-١٢-٢١"},
    # Raised in the loader, so uploading crashed the Your events page.
    "coordinates in full-width digits": {"place_id": "my-place", "lat": "３９.９", "lon": "１１６.４"},
    "coordinates padded with non-breaking spaces": {
        "place_id": "my-place",
        "lat": "\u00a039.9",
        "lon": "116.4\u00a0",
    },
}


def test_a_certainty_padded_with_a_non_breaking_space_loads_and_draws():
    """Regression (issue 22): "single-source\u00a0" passed validation, which trimmed it, and crashed Overview,
    Moscow, Explore and Your events, which did not."""
    assert_loads_and_draws(CRASHED["certainty padded with a non-breaking space"])


@pytest.mark.parametrize("name", list(CRASHED)[1:])
def test_a_cell_the_validator_trimmed_or_misread_loads_and_draws(name):
    """Regression (issue 22): a precision of " day", a date in Arabic-Indic digits, coordinates in full-width
    digits or padded with no-break spaces passed validation and crashed the loader or pages."""
    assert_loads_and_draws(CRASHED[name])


def assert_loads_and_draws(change: dict[str, str]) -> None:
    row = {**GOOD_ROW, "lat": "", "lon": "", "place_name": ""} | change
    result = load_upload("odd.csv", pd.DataFrame([row]).to_csv(index=False).encode(), BUNDLED)
    assert result.problems == ()
    assert failures_on_every_page(result.dataset, "odd.csv") == {}


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(upload=accepted_uploads())
def test_every_page_draws_any_file_the_validator_accepts(upload):
    """Test that every page draws datasets the validator accepts, written with other scripts' digits, full-width
    forms and invisible padding (the generator of tests/test_upload_fuzz.py), with no exception or error box."""
    filename, content, _events, _places = upload
    result = load_upload(filename, content, BUNDLED)
    assert result.problems == ()
    assert failures_on_every_page(result.dataset, filename) == {}
