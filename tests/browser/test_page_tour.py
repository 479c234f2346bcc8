"""The page tour: every page visited once at desktop width and once at phone width, and each visit checked for
everything a browser alone can show about a page as it first opens.

One visit per page and viewport instead of one page load per check (the suite used to open some 115 pages):

- desktop (light theme): every chart drawn; no exception and no reload notice; no request leaving the
  machine (the base map comes from the app's own static files); axe-core finds no serious or critical
  violation; no two place names on a map overlap; a narrative page calls each place by one name (other forms
  only in parentheses); and what is particular to the page: the journey's cities on the Moscow day map, the
  1945 log beside its map with the uprising cities' crosses, the treaty texts fitting their boxes with the
  obligations drawn, and the Explore map leaving little blank paper below it.
- phone (390 px): every chart drawn; nothing pushes the page wider than the screen; map labels still apart;
  the treaty texts still fit; the Explore map still fills its box.

The dark theme's accessibility check runs in the full run only (tests/browser/test_accessibility.py).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sinosoviet.chapters import uprising_plan
from sinosoviet.loaders import load_dataset
from sinosoviet.registry import PageRole, pages
from sinosoviet.ui.chapter_views import uprisings_label
from tests.browser.harness import (
    DAY_MAP,
    EVENT_MAP,
    MESSAGE_MAP,
    OBLIGATIONS,
    Chart,
    blocking_violations,
    page_charts,
    wait_for_page,
)
from tests.conftest import REAL_DATA_DIR
from tests.test_reader_text import forms_outside_parentheses, place_forms

DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}
PAGES = [spec.slug for spec in pages()]
NARRATIVE_PAGES = tuple(
    entry.slug for entry in pages() if entry.role in (PageRole.OVERVIEW, PageRole.CHAPTER, PageRole.EXPLORE)
)
JOURNEY_CITIES = {"Beijing", "Harbin", "Manzhouli", "Irkutsk", "Novosibirsk", "Sverdlovsk", "Moscow"}
BUNDLED = load_dataset(REAL_DATA_DIR)
# The 1945 map's crosses are named in its legend, dated from the data; the treaty comparison's first provision.
UPRISINGS_LABEL = uprisings_label(uprising_plan(BUNDLED.events).called_off)
FIRST_PROVISION = BUNDLED.treaty_provisions["id"].iloc[0]
MOST_BLANK_BELOW_MAP_PX = {"desktop": 40, "phone": 70}

# The names a map draws, with their boxes on screen, in page coordinates.
_LABEL_BOXES_JS = """(selector) => [...document.querySelectorAll(selector + ' g.trace.scattergeo text')]
  .filter(text => text.textContent.trim())
  .map(text => { const r = text.getBoundingClientRect(); return [text.textContent, r.left, r.top, r.right, r.bottom]; })"""
_BLANK_BELOW_MAP_JS = """(selector) => { const plot = document.querySelector(selector);
  return plot.getBoundingClientRect().bottom - plot.querySelector('.geolayer').getBoundingClientRect().bottom; }"""
_FITS_ITS_BOX_JS = "(box) => box.scrollWidth <= box.clientWidth + 1"
# How far the page, and Streamlit's main area (which scrolls on its own), reach past the screen's width.
_SIDEWAYS_OVERFLOW_JS = """() => [document.documentElement, document.querySelector('[data-testid="stMain"]')]
  .map((box) => box.scrollWidth - box.clientWidth)"""


@pytest.fixture(scope="module")
def place_name_forms() -> dict[str, str]:
    return place_forms(BUNDLED.places)


def map_labels(page: Page, chart: Chart) -> list[list]:
    return page.evaluate(_LABEL_BOXES_JS, chart.selector)


def overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def open_page(page: Page, base_url: str, url_path: str, viewport: dict) -> list[str]:
    """Open the page at the viewport as a deep link and wait until every chart is drawn; return every URL the
    browser asked for."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size(viewport)
    page.goto(f"{base_url}/{'' if url_path == 'overview' else url_path}")
    wait_for_page(page, url_path)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    return requests


def maps_on(url_path: str) -> list[Chart]:
    return [chart for chart in page_charts(url_path) if chart.is_map]


def check_map_labels_apart(page: Page, url_path: str) -> None:
    for chart in maps_on(url_path):
        labels = map_labels(page, chart)
        assert len(labels) >= 3, (chart.key, labels)
        assert overlapping(labels) == [], chart.key


def check_text_fits(page: Page, url_path: str) -> None:
    if url_path == "treaty":
        assert page.locator(".st-key-treaty_comparison").evaluate(_FITS_ITS_BOX_JS)
    if url_path == "explore":
        blank = page.evaluate(_BLANK_BELOW_MAP_JS, EVENT_MAP.selector)
        viewport = "phone" if page.viewport_size == PHONE else "desktop"
        assert blank <= MOST_BLANK_BELOW_MAP_PX[viewport], blank


@pytest.mark.parametrize("url_path", PAGES)
def test_desktop_tour(url_path, streamlit_server, page, axe, place_name_forms):
    """Test that the page, opened by deep link at desktop width, draws everything, sends nothing outside the
    machine, passes axe, keeps map labels apart and place names single, with no reload notice."""
    requests = open_page(page, streamlit_server.url, url_path, DESKTOP)
    expect(page.locator(".st-key-resumed_notice")).to_have_count(0)
    outside = [url for url in requests if not url.startswith((streamlit_server.url, "data:", "blob:"))]
    assert outside == []
    if maps_on(url_path):
        assert any(url.endswith("/app/static/world_110m.json") for url in requests)
    assert blocking_violations(axe.run(page)) == []
    check_map_labels_apart(page, url_path)
    check_text_fits(page, url_path)
    if url_path in NARRATIVE_PAGES:
        text = page.locator("[data-testid='stMain']").inner_text()
        assert forms_outside_parentheses(text, place_name_forms) == []
    if url_path == "moscow":
        assert {label[0] for label in map_labels(page, DAY_MAP)} >= JOURNEY_CITIES
    if url_path == "telegrams":
        expect(page.locator(".st-key-message_log")).to_be_visible()
        # The cities where uprisings were called off, as a layer of crosses named in the map's legend.
        expect(page.locator(f"{MESSAGE_MAP.selector} .legend")).to_contain_text(UPRISINGS_LABEL)
        expect(page.locator(f"{MESSAGE_MAP.selector} .scattergeo .point").first).to_be_attached()
    if url_path == "treaty":
        expect(page.locator(f".st-key-treaty_comparison .st-key-provision_{FIRST_PROVISION}")).to_be_visible()
        expect(page.locator(f"{OBLIGATIONS.selector} .scatterlayer .point").first).to_be_attached()


@pytest.mark.parametrize("url_path", PAGES)
def test_phone_tour(url_path, streamlit_server, page):
    """Test that the page at 390 px draws everything, never scrolls sideways, keeps map labels apart and its
    texts and maps within their boxes."""
    open_page(page, streamlit_server.url, url_path, PHONE)
    assert max(page.evaluate(_SIDEWAYS_OVERFLOW_JS)) <= 1, "the page scrolls sideways"
    check_map_labels_apart(page, url_path)
    check_text_fits(page, url_path)
    check_legends_leave_the_plot_free(page, url_path)


# How much of a chart's plotting area its legend covers, as a share of that area.
_LEGEND_OVER_PLOT_JS = """(selector) => {
    const chart = document.querySelector(selector);
    const plot = chart.querySelector('.nsewdrag'), legend = chart.querySelector('.legend');
    if (!plot || !legend) return 0;
    const a = plot.getBoundingClientRect(), b = legend.getBoundingClientRect();
    const width = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
    const height = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    return (width * height) / (a.width * a.height);
}"""


def check_legends_leave_the_plot_free(page: Page, url_path: str) -> None:
    """Regression (issue 25): on a phone the timeline's legend covered most of its plot."""
    for chart in page_charts(url_path):
        if not chart.is_map:
            covered = page.evaluate(_LEGEND_OVER_PLOT_JS, chart.selector)
            assert covered < 0.1, f"{chart.key}: the legend covers {covered:.0%} of the plot"
