"""Browser tests of the Explore page in headless Chromium with no internet: map, clicks, shared links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sinosoviet.figures.timeline import zoom_period
from sinosoviet.filters import EventFilter, apply_filter, within
from sinosoviet.loaders import load_dataset, load_events
from tests.browser.harness import EVENT_MAP, TIMELINE, click_mark, expect_selected, wait_for_page

FOCUSED_VIEW = "/explore?kind=meeting&zoom=dec-1949-mar-1950"
FOCUSED_FILTER = within(EventFilter(kinds=("meeting",)), zoom_period("dec-1949-mar-1950"))
# Streamlit's data grid draws on a canvas: a row is found by its position. Rows and the header are 35 px tall,
# and in single-row selection mode the first column holds each row's selection box.
GRID_ROW_PX, ROW_SELECTOR_X_PX = 35, 14
COUNT = re.compile(r"\d+ of \d+ events")


@pytest.fixture(scope="module")
def titles() -> dict[str, str]:
    events = load_events()
    return dict(zip(events["id"], events["title"], strict=True))


def test_map_draws_land_with_no_request_leaving_localhost(streamlit_server, page):
    """Test that the base map's land is drawn from the app's own topojson and nothing is fetched from outside."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{streamlit_server.url}/explore")
    wait_for_page(page, "explore")
    outside = [url for url in requests if not url.startswith((streamlit_server.url, "data:", "blob:"))]
    assert outside == []
    assert any(url.endswith("/app/static/world_110m.json") for url in requests)


def test_clicking_a_timeline_marker_opens_its_details(streamlit_server, page, titles):
    """Test that a click on a timeline marker selects that very event: its id in the URL, its title in details."""
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_page(page, "explore")
    expect(page.locator(".st-key-event_details")).to_contain_text("No event selected")
    clicked = click_mark(page, TIMELINE)
    expect_selected(page, clicked, titles[clicked])


def test_clicking_a_map_marker_opens_its_details(streamlit_server, page, titles):
    """Test that a click on a place on the map selects the event that mark stands for (its earliest in view)."""
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_page(page, "explore")
    clicked = click_mark(page, EVENT_MAP)
    expect_selected(page, clicked, titles[clicked])


def test_a_copied_url_reopens_the_same_view_on_a_fresh_server(
    streamlit_server, fresh_server, new_context, titles
):
    """Test that filters and selection survive being copied to a new browser on a newly started server."""
    page = new_context().new_page()
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_page(page, "explore")
    clicked = click_mark(page, TIMELINE)
    expect_selected(page, clicked, titles[clicked])
    copied = page.url.removeprefix(streamlit_server.url)
    count = page.get_by_text(COUNT).first.inner_text()
    page.context.close()

    reopened = new_context().new_page()
    reopened.goto(fresh_server.url + copied)
    wait_for_page(reopened, "explore")
    expect_selected(reopened, clicked, titles[clicked])
    expect(reopened.get_by_text(COUNT).first).to_have_text(count)
    expect(reopened.locator(".st-key-filter_kinds")).to_contain_text("meeting")
    expect(reopened).to_have_url(re.compile(r"[?&]kind=meeting(&|$)"))


def test_the_opened_table_selects_the_event_of_a_clicked_row(streamlit_server, page, titles):
    """Test that the table opens on request and that choosing its second row selects that event everywhere."""
    second = apply_filter(load_dataset().events, FOCUSED_FILTER)["id"].iloc[1]
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_page(page, "explore")
    page.get_by_text("Table of the events in view").click()
    grid = page.locator(".st-key-event_table [data-testid='stDataFrameResizable']")
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + ROW_SELECTOR_X_PX, box["y"] + GRID_ROW_PX * 1.5 + GRID_ROW_PX)
    expect_selected(page, second, titles[second])
