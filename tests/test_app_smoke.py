"""AppTest smoke tests: every page runs without an exception, and broken data shows an error page instead."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sinosoviet.loaders import DATA_DIR_VARIABLE
from sinosoviet.registry import pages
from tests.browser.harness import page_charts
from tests.conftest import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
TIMEOUT_S = 30


def run_page(spec_filename: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    app.run()
    if spec_filename != "overview.py":
        app.switch_page(f"pages/{spec_filename}")
        app.run()
    return app


@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_every_page_runs_without_exception_or_error(spec):
    """Test that each page renders on the real data with no exception and no error box."""
    app = run_page(spec.filename)
    assert not app.exception, app.exception
    assert not app.error, [element.value for element in app.error]
    assert app.title[0].value


@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_broken_data_shows_an_error_page_naming_file_and_row(spec, broken_data_dir, monkeypatch):
    """Test that an unknown place id gives an error page naming file and row on every page, not a traceback."""

    def break_place(table):
        table.loc[0, "place_id"] = "lushun"
        return table

    monkeypatch.setenv(DATA_DIR_VARIABLE, str(broken_data_dir("events.csv", break_place)))
    app = run_page(spec.filename)
    assert not app.exception
    assert app.title[0].value == "The data could not be loaded"
    shown = " ".join(block.value for block in app.code)
    assert "events.csv row 2 (id=1949-12-06-mao-leaves), column place_id" in shown


def test_page_files_are_named_after_their_url_paths():
    """Test the routing invariant: a deep link reaches ensure_routed only if pages/<url_path>.py exists."""
    for spec in pages():
        expected = "overview.py" if spec.default else f"{spec.slug}.py"
        assert spec.filename == expected
        assert (REPO_ROOT / "pages" / spec.filename).is_file()


@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_every_page_draws_the_charts_the_browser_tests_wait_for(spec):
    """Test that each page draws exactly the charts, by key and in order, that the browser tests wait for."""
    drawn = [chart.proto.id.rsplit("-", 1)[-1] for chart in run_page(spec.filename).get("plotly_chart")]
    assert drawn == [chart.key for chart in page_charts(spec.slug)]
