"""AppTest tests of moving between pages: any order of page visits, filter changes, back and forward, with the
bundled data or an upload, and the view on screen is always the one its URL reopens.

Streamlit forgets the state of every widget a run does not draw, the sidebar clears the URL's query when it
changes page, and the browser's back and forward buttons bring an older query back: the pages must rebuild
their view from the URL in each case (issue 22: Explore → Sources & method → Explore crashed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from sinosoviet.loaders import load_dataset
from sinosoviet.registry import explorer_pages, pages
from sinosoviet.registry import page as page_entry
from sinosoviet.schema import CERTAINTIES, CHAPTERS, EVENT_KINDS
from sinosoviet.ui.data import UPLOAD_DATASET, UPLOAD_KEY, UPLOAD_NAME
from sinosoviet.ui.view_state import WIDGET_KEYS, page_period
from sinosoviet.upload import load_upload, template_csv
from sinosoviet.urlstate import COLOUR_OPTIONS, LANE_OPTIONS, zoom_options
from tests.conftest import REAL_DATA_DIR, REPO_ROOT, examples

APP = str(REPO_ROOT / "app.py")
PAGES = {spec.slug: f"pages/{spec.filename}" for spec in pages()}
EXPLORER_PAGES = tuple(entry.slug for entry in explorer_pages())
BUNDLED = load_dataset(REAL_DATA_DIR)
UPLOAD = load_upload("events-template.csv", template_csv(BUNDLED), BUNDLED).dataset


class Reader:
    """One reader's tab: the page open, the URL in its address bar and the history behind it."""

    def __init__(self, *, with_upload: bool) -> None:
        self.app = AppTest.from_file(APP, default_timeout=30)
        if with_upload:
            self.app.session_state[UPLOAD_KEY] = "upload:template"
            self.app.session_state[UPLOAD_NAME] = "events-template.csv"
            self.app.session_state[UPLOAD_DATASET] = UPLOAD
        self.page = "overview"
        self.history: list[tuple[str, dict]] = []
        self.position = -1
        self._run()

    def _run(self) -> None:
        self.app.run()
        self.check()
        # What the address bar now holds (the page may have rewritten its query): one entry of history.
        entry = (self.page, dict(self.app.query_params))
        if self.position < 0 or self.history[self.position] != entry:
            del self.history[self.position + 1 :]
            self.history.append(entry)
            self.position += 1

    def check(self) -> None:
        assert not self.app.exception, (self.page, [e.value for e in self.app.exception])
        assert not self.app.error, (self.page, [e.value for e in self.app.error])

    def visit(self, page: str) -> None:
        """Click the page in the sidebar: Streamlit clears the query when it changes page."""
        self.page = page
        self.app.query_params.clear()
        self.app.switch_page(PAGES[page])
        self._run()

    def go(self, steps: int) -> None:
        """The browser's back (negative) or forward button: the page and query of that history entry."""
        target = min(max(self.position + steps, 0), len(self.history) - 1)
        if target == self.position:
            return
        self.position = target
        self.page, query = self.history[target]
        self.app.query_params.clear()
        self.app.query_params.update(query)
        self.app.switch_page(PAGES[self.page])
        self.app.run()
        self.check()

    def change_filter(self, change: FilterChange) -> None:
        if self.page not in EXPLORER_PAGES:
            return
        change.apply(self.app, UPLOAD if UPLOAD_KEY in self.app.session_state else BUNDLED, self.page)
        self._run()

    def shown(self) -> tuple:
        """What the page shows of its view: the count line, the period and the options, the selection."""
        count = [c.value for c in self.app.caption if "match the filters" in c.value]
        if not count:
            return ("no explorer",)
        period = self.app.slider(key=WIDGET_KEYS["period"]).value
        options = tuple(
            self.app.segmented_control(key=WIDGET_KEYS[key]).value for key in ("lanes", "colour", "zoom")
        )
        details = [block.value for block in self.app.markdown if block.value.startswith("#### ")]
        return count[0], tuple(period), options, tuple(details)


@dataclass(frozen=True)
class FilterChange:
    widget: str
    choice: int  # which value, counted modulo the widget's options

    def apply(self, app: AppTest, dataset, page: str) -> None:
        key = WIDGET_KEYS.get(self.widget, self.widget)
        if self.widget == "period":
            first, last = page_period(dataset, page_entry(page))
            start = first + timedelta(days=self.choice % ((last - first).days + 1))
            app.slider(key=key).set_range(start, min(start + timedelta(days=30 + self.choice % 400), last))
        elif self.widget in ("lanes", "colour", "zoom"):
            options = {"lanes": LANE_OPTIONS, "colour": COLOUR_OPTIONS, "zoom": zoom_options()}[self.widget]
            app.segmented_control(key=key).set_value(options[self.choice % len(options)])
        elif self.widget == "text":
            app.text_input(key=key).set_value(("Stalin", "treaty", "", "no such words")[self.choice % 4])
        elif self.widget == "reset":
            app.button(key="reset_filters").click()
        else:
            options = {
                "chapters": CHAPTERS,
                "kinds": EVENT_KINDS,
                "certainties": CERTAINTIES,
                "actors": tuple(dataset.actors["id"]),
                "places": tuple(dataset.places["id"]),
            }[self.widget]
            chosen = [options[self.choice % len(options)]] if self.choice % 5 else []
            app.multiselect(key=key).set_value(chosen)


filter_changes = st.builds(
    FilterChange,
    st.sampled_from(
        [
            "period",
            "chapters",
            "kinds",
            "actors",
            "places",
            "certainties",
            "text",
            "lanes",
            "colour",
            "zoom",
            "reset",
        ]
    ),
    st.integers(min_value=0, max_value=10_000),
)
steps = st.one_of(
    st.tuples(st.just("visit"), st.sampled_from(list(PAGES))),
    st.tuples(st.just("filter"), filter_changes),
    st.tuples(st.just("history"), st.sampled_from([-2, -1, 1])),
)


def reopened(page: str, query: dict, *, with_upload: bool) -> tuple:
    """What a fresh tab shows for this page and query: the view the URL alone describes."""
    fresh = Reader(with_upload=with_upload)
    if page != "overview":
        fresh.app.query_params.update(query)
        fresh.app.switch_page(PAGES[page])
        fresh.page = page
        fresh.app.run()
        fresh.check()
    return fresh.shown()


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_upload=st.booleans(), walk=st.lists(steps, min_size=3, max_size=9))
def test_any_walk_through_the_pages_keeps_a_view_its_url_reopens(with_upload, walk):
    """Test that random page visits, filter changes, back and forward never raise or show an error, and that
    the view the last page shows is the one its URL reopens in a fresh tab."""
    reader = Reader(with_upload=with_upload)
    for action, argument in walk:
        if action == "visit":
            reader.visit(argument)
        elif action == "filter":
            reader.change_filter(argument)
        else:
            reader.go(argument)
    query = dict(reader.app.query_params)
    assert reader.shown() == reopened(reader.page, query, with_upload=with_upload)


@pytest.mark.parametrize(
    ("there", "back"),
    [("explore", "sources"), ("explore", "overview"), ("telegrams", "upload"), ("moscow", "treaty")],
)
@pytest.mark.parametrize("with_upload", [False, True], ids=["bundled", "upload"])
def test_returning_to_a_page_through_the_sidebar_opens_its_default_view(there, back, with_upload):
    """Regression (issue 22): Explore → Sources & method → Explore crashed with the Period slider holding one
    date, because Streamlit had dropped the filters' state on the page that does not draw them."""
    reader = Reader(with_upload=with_upload)
    reader.visit(there)
    reader.change_filter(FilterChange("kinds", 1))
    reader.change_filter(FilterChange("period", 20))
    reader.visit(back)
    reader.visit(there)
    assert reader.app.query_params == {}
    assert reader.shown() == reopened(there, {}, with_upload=with_upload)


def test_the_back_button_brings_back_the_filtered_view():
    """Test that after leaving a filtered Explore through the sidebar, Back reopens the filtered view."""
    reader = Reader(with_upload=False)
    reader.visit("explore")
    reader.change_filter(FilterChange("kinds", 1))
    filtered = reader.shown()
    query = dict(reader.app.query_params)
    assert "kind" in query
    reader.visit("sources")
    reader.go(-1)
    assert reader.page == "explore"
    assert dict(reader.app.query_params) == query
    assert reader.shown() == filtered


def test_a_link_too_long_for_streamlit_says_it_was_ignored():
    """Test that a link with more than the 1,000 query fields Streamlit reads opens the defaults with a notice,
    instead of dropping the view silently."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.query_params.update({f"x{n}": "1" for n in range(1001)})
    app.switch_page(PAGES["explore"])
    app.run()
    assert not app.exception
    notices = " ".join(warning.value for warning in app.warning).replace("\\", "")  # markdown escapes
    assert re.search(r"too long to read \([\d,]+ characters in 1,001 fields\)", notices), notices
