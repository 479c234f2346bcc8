"""Tests of the page registry: it is complete, and it alone decides which pages exist and what each shows.

The proof that it drives everything: a chapter page registered only by a test (an entry, and its page file in
a copy of the app) appears in the navigation, on the Overview, in the URL's vocabulary, in the browser tests'
harness and in the bench, with no other edit.
"""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sinosoviet import registry
from sinosoviet.loaders import load_dataset
from sinosoviet.registry import (
    EXPLORER_CHARTS,
    PageEntry,
    PageRole,
    ZoomWindow,
    chapter_pages,
    explorer_pages,
    pages,
    zoom_windows,
)
from sinosoviet.schema import CHAPTERS
from sinosoviet.ui.view_state import events_on_page, starting_view
from sinosoviet.urlstate import parse_query, vocabulary_for, zoom_options
from tests.browser.harness import page_charts
from tests.conftest import REAL_DATA_DIR, REPO_ROOT

KOREA = PageEntry(
    slug="korea-test",
    nav_title="1950: Korea (test page)",
    heading="1950: Korea (test page)",
    intro="A chapter page that only this test registers.",
    role=PageRole.CHAPTER,
    charts=EXPLORER_CHARTS,
    card_blurb="The war in Korea and the alliance's first test.",
    period=(date(1950, 6, 1), date(1950, 12, 31)),
    zoom=ZoomWindow("jun-dec-1950", "Jun–Dec 1950", date(1950, 5, 25), date(1951, 1, 5)),
    data_chapters=("treaty-1950",),
)
# The whole of a chapter page with no views of its own: it composes the registry's heading and the explorer.
KOREA_PAGE_FILE = """
from sinosoviet.registry import page
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import sidebar_view

ensure_routed()
entry = page("korea-test")
dataset = get_dataset()
show_heading(entry)
show_explorer(dataset, entry, sidebar_view(dataset, entry))
"""


@pytest.fixture
def app_with_korea(tmp_path, monkeypatch):
    """A copy of the app with the Korea page's file, and the registry with its entry after the treaty's."""
    for name in ("app.py", "pages", "static", ".streamlit"):
        source = REPO_ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / "pages" / KOREA.filename).write_text(KOREA_PAGE_FILE, encoding="utf-8")
    treaty = [entry.slug for entry in registry.PAGES].index("treaty")
    monkeypatch.setattr(
        registry, "PAGES", (*registry.PAGES[: treaty + 1], KOREA, *registry.PAGES[treaty + 1 :])
    )
    st.cache_resource.clear()  # the Overview's counts are cached per dataset, from before the page existed
    yield str(tmp_path / "app.py")
    st.cache_resource.clear()


def open_app(script: str, page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(script, default_timeout=30)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, app.exception
    return app


def test_a_page_registered_only_in_the_registry_is_in_the_navigation_and_draws(app_with_korea):
    """Test that the registered page can be navigated to and shows its heading, its period and its charts."""
    app = open_app(app_with_korea, KOREA.path)
    assert app.title[0].value == KOREA.heading
    drawn = [chart.proto.id.rsplit("-", 1)[-1] for chart in app.get("plotly_chart")]
    assert drawn == [chart.key for chart in page_charts(KOREA.slug)] == [c.key for c in EXPLORER_CHARTS]
    assert app.segmented_control(key="view_zoom").value == KOREA.zoom.key


def test_a_page_registered_only_in_the_registry_has_its_card_on_the_overview(app_with_korea):
    """Test that the Overview gives the new chapter page a card, counting what the page opens on, and a link."""
    overview = open_app(app_with_korea)
    links = {link.proto.label: link.proto.page for link in overview.get("page_link")}
    assert links[f"Open {KOREA.nav_title}"] == KOREA.slug
    opened = len(events_on_page(load_dataset(REAL_DATA_DIR), KOREA))
    assert opened > 0
    assert f"{opened} events on this page" in [caption.value for caption in overview.caption]
    assert KOREA.card_blurb in [block.value for block in overview.markdown]


def test_a_page_registered_only_in_the_registry_is_in_the_urls_vocabulary(app_with_korea):
    """Test that its Show choice is a zoom a link may name, offered on every page with the explorer, and that a
    link naming it opens that period on Explore."""
    assert KOREA.zoom.key in zoom_options()
    dataset = load_dataset(REAL_DATA_DIR)
    vocabulary = vocabulary_for(dataset.events, dataset.actors, dataset.places)
    parsed = parse_query({"zoom": KOREA.zoom.key}, vocabulary, starting_view(registry.page("explore")))
    assert (parsed.state.zoom, parsed.notices) == (KOREA.zoom.key, ())
    app = open_app(app_with_korea, "pages/explore.py", {"zoom": KOREA.zoom.key})
    assert app.segmented_control(key="view_zoom").value == KOREA.zoom.key
    assert KOREA.zoom.label in app.segmented_control(key="view_zoom").options
    assert not app.warning


def test_a_page_registered_only_in_the_registry_is_in_the_harness_and_the_bench(app_with_korea):
    """Test that the browser tests' harness and the bench list the page among those they open."""
    from bench.browser import chart_pages

    assert page_charts(KOREA.slug) == EXPLORER_CHARTS
    assert KOREA.slug in chart_pages()
    assert KOREA in chapter_pages()
    assert KOREA in explorer_pages()


# --- The registry itself ---------------------------------------------------------------------------------------


def test_every_page_file_is_registered_and_every_entry_has_its_file():
    """Test that pages/ holds exactly the registry's pages, so nothing names a page the registry does not."""
    assert sorted(path.name for path in (REPO_ROOT / "pages").glob("*.py")) == sorted(
        entry.filename for entry in pages()
    )


def test_every_entry_is_complete():
    """Test that slugs and titles are unique, one page is the default, and each chapter page has what its
    card, its period and its Show choice need; pages with the explorer draw its two charts last."""
    slugs = [entry.slug for entry in pages()]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in slugs)
    assert len({entry.nav_title for entry in pages()}) == len(slugs)
    assert [entry.default for entry in pages()].count(True) == 1
    assert all(entry.heading and entry.intro for entry in pages())
    for entry in chapter_pages():
        assert entry.card_blurb, entry.slug
        assert entry.period[0], entry.slug
        assert entry.zoom.period, entry.slug
        assert entry.zoom.first <= entry.period[0], entry.slug
        assert set(entry.data_chapters) <= set(CHAPTERS), entry.slug
    for entry in explorer_pages():
        assert entry.charts[-2:] == EXPLORER_CHARTS, entry.slug
    for entry in pages():
        if not entry.shows_events:
            assert entry.period == (None, None), entry.slug


def test_zoom_windows_are_unique_and_in_button_order():
    """Test that the Show choices are the shared two, then each chapter page's own, each key once."""
    windows = [window.key for window in zoom_windows().values()]
    assert windows == ["1944-1950", "all", *(entry.zoom.key for entry in chapter_pages())]
    assert all(window.label for window in zoom_windows().values())
