"""What a reader sees, in headless Chromium at desktop and phone width: named maps whose labels stay apart,
one name per place, views that follow the filters, text that can be read whole, and no sideways scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from sinosoviet.loaders import load_dataset
from sinosoviet.ui.routing import PAGE_SPECS
from sinosoviet.ui.view_state import WIDGET_KEYS
from tests.browser.harness import DAY_MAP, EVENT_MAP, MESSAGE_MAP, TIMELINE, TREATY_MAP, Chart, wait_for_page
from tests.conftest import REAL_DATA_DIR
from tests.test_reader_text import forms_outside_parentheses, place_forms

PERIOD_KEY = WIDGET_KEYS["period"]

DESKTOP, PHONE = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}

# The names a map draws, with their boxes on screen, in page coordinates.
_LABEL_BOXES_JS = """(selector) => [...document.querySelectorAll(selector + ' g.trace.scattergeo text')]
  .filter(text => text.textContent.trim())
  .map(text => { const r = text.getBoundingClientRect(); return [text.textContent, r.left, r.top, r.right, r.bottom]; })"""


def map_labels(page: Page, chart: Chart) -> list[list]:
    return page.evaluate(_LABEL_BOXES_JS, chart.selector)


def overlapping(boxes: list[list]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]


def test_the_day_by_day_map_names_the_cities_of_the_journey(streamlit_server, page):
    """Test that the 1949–50 day map labels the journey's ends, the border and the Siberian cities."""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    names = {label[0] for label in map_labels(page, DAY_MAP)}
    assert {"Beijing", "Harbin", "Manzhouli", "Irkutsk", "Novosibirsk", "Sverdlovsk", "Moscow"} <= names


@pytest.mark.parametrize(
    ("url_path", "chart"),
    [("moscow", DAY_MAP), ("explore", EVENT_MAP), ("telegrams", MESSAGE_MAP), ("treaty", TREATY_MAP)],
    ids=["day-map", "explore-map", "message-map", "treaty-map"],
)
def test_map_labels_never_print_over_each_other(url_path, chart, streamlit_server, page):
    """Test that no two place names on a map overlap, at desktop width and again at phone width."""
    page.set_viewport_size(DESKTOP)
    page.goto(f"{streamlit_server.url}/{url_path}")
    wait_for_page(page, url_path)
    desktop = map_labels(page, chart)
    assert len(desktop) >= 3
    assert overlapping(desktop) == []
    page.set_viewport_size(PHONE)
    # Plotly redraws at the new width; wait until the labels have moved before measuring again.
    expect(page.locator(chart.selector)).to_be_visible()
    page.wait_for_function(
        "([selector, width]) => document.querySelector(selector).getBoundingClientRect().width < width",
        arg=[chart.selector, PHONE["width"]],
    )
    page.wait_for_timeout(500)
    assert overlapping(map_labels(page, chart)) == []


def test_a_filtered_explore_timeline_spans_only_the_filtered_events(streamlit_server, page):
    """Test that Explore filtered to the Moscow visit's meetings opens its timeline on those weeks, not on
    1924–1980, and that the map and the table hold the same events."""
    page.goto(f"{streamlit_server.url}/explore?chapter=moscow-visit&kind=meeting")
    wait_for_page(page, "explore")
    start, end = page.evaluate(
        "(selector) => document.querySelector(selector).layout.xaxis.range", TIMELINE.selector
    )
    assert "1949-11-15" <= start[:10] <= "1949-12-20"
    assert "1950-02-01" <= end[:10] <= "1950-03-31"


@pytest.mark.parametrize(
    ("url_path", "first", "last"),
    [("telegrams", "1 Aug 1945", "31 Oct 1945"), ("moscow", "6 Dec 1949", "4 Mar 1950")],
)
def test_a_chapter_pages_period_control_spans_the_chapter(url_path, first, last, streamlit_server, page):
    """Test that the Period slider's two handles sit at the chapter's ends, to the day, not on one spot."""
    page.goto(f"{streamlit_server.url}/{url_path}")
    wait_for_page(page, url_path)
    handles = page.locator(f".st-key-{PERIOD_KEY} [data-testid='stSliderThumbValue']")
    expect(handles).to_have_text([first, last])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_1950_provision_is_readable_whole_on_the_treaty_page(viewport, streamlit_server, page):
    """Test that each provision of the 1950 texts is on the page in full, as text that fits its box."""
    page.set_viewport_size(viewport)
    page.goto(f"{streamlit_server.url}/treaty")
    wait_for_page(page, "treaty")
    comparison = page.locator(".st-key-treaty_comparison")
    shown = " ".join(comparison.inner_text().split())
    provisions = load_dataset(REAL_DATA_DIR).treaty_provisions
    for text in provisions["provision_1950"]:
        assert " ".join(text.split()) in shown
    assert comparison.evaluate("(box) => box.scrollWidth <= box.clientWidth + 1")


@pytest.mark.parametrize("url_path", [spec.url_path for spec in PAGE_SPECS])
def test_no_page_scrolls_sideways_on_a_phone(url_path, streamlit_server, page):
    """Test that at 390 px wide nothing pushes the page wider than the screen."""
    page.set_viewport_size(PHONE)
    page.goto(f"{streamlit_server.url}/{url_path}")
    wait_for_page(page, url_path)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


@pytest.mark.parametrize("url_path", ["overview", "telegrams", "moscow", "treaty", "explore"])
def test_no_narrative_page_gives_one_place_two_names(url_path, streamlit_server, page):
    """Test that a page's text, captions and chart labels call each place by one name; other forms (Peiping,
    Port Arthur) appear only in parentheses."""
    page.goto(f"{streamlit_server.url}/{url_path}")
    wait_for_page(page, url_path)
    text = page.locator("[data-testid='stMain']").inner_text()
    forms = place_forms(load_dataset(REAL_DATA_DIR).places)
    assert forms_outside_parentheses(text, forms) == []


_BLANK_BELOW_MAP_JS = """(selector) => { const plot = document.querySelector(selector);
  return plot.getBoundingClientRect().bottom - plot.querySelector('.geolayer').getBoundingClientRect().bottom; }"""


@pytest.mark.parametrize(("viewport", "most"), [(DESKTOP, 40), (PHONE, 70)], ids=["desktop", "phone"])
def test_the_explore_map_leaves_little_blank_paper_below_it(viewport, most, streamlit_server, page):
    """Regression: at a fixed 400 px the map kept its aspect ratio and left ~95 px of blank below it on a phone."""
    page.set_viewport_size(viewport)
    page.goto(f"{streamlit_server.url}/explore")
    wait_for_page(page, "explore")
    assert page.evaluate(_BLANK_BELOW_MAP_JS, EVENT_MAP.selector) <= most
