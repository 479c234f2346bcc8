"""Browser tests of the chapter pages' own views in headless Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from sinosoviet.ui.chapter_views import DAY_KEY as DAY_SLIDER_KEY
from tests.browser.harness import MESSAGE_MAP, OBLIGATIONS, WAIT_TIMEOUT_MS, wait_for_page

DAY_EVENTS = ".st-key-visit_day_events"
PLAY = ".st-key-visit_play button"


def test_play_advances_several_days_by_itself_and_pauses(streamlit_server, page):
    """Test that one press of Play moves the visit on day after day with no other input, and Pause stops it.

    Regression: the fragment's timer was only set when the page was drawn, so Play moved one day and stopped.
    """
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("6 December 1949")
    page.locator(PLAY).click()
    expect(page.locator(PLAY)).to_contain_text("Pause")
    # Four or more steps later, with nothing pressed in between.
    expect(heading).to_have_text(re.compile(r"^(1\d|2\d|3[01]) December 1949$"), timeout=WAIT_TIMEOUT_MS)
    page.locator(PLAY).click()
    expect(page.locator(PLAY)).to_contain_text("Play")
    paused_on = heading.inner_text()
    page.wait_for_timeout(2500)  # three steps' time: a paused player must not move
    expect(heading).to_have_text(paused_on)


def test_play_runs_to_the_last_day_and_stops_there(streamlit_server, page):
    """Test that Play, started three days before the end, reaches Mao's return on 4 March 1950 and stops."""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    thumb = page.locator(f".st-key-{DAY_SLIDER_KEY} input[type='range']")
    thumb.focus()
    thumb.press("End")
    for _ in range(3):
        thumb.press("ArrowLeft")
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("1 March 1950")
    page.locator(PLAY).click()
    expect(heading).to_have_text("4 March 1950", timeout=WAIT_TIMEOUT_MS)
    expect(page.locator(PLAY)).to_contain_text("Play")


def test_telegrams_page_draws_log_map_and_uprising_cities(streamlit_server, page):
    """Test that the 1945 page shows the message log and its map with the uprising cities' crosses."""
    page.goto(f"{streamlit_server.url}/telegrams")
    wait_for_page(page, "telegrams")
    expect(page.locator(".st-key-message_log")).to_be_visible()
    # Arcs, their clickable midpoints and the crosses are separate traces.
    expect(page.locator(f"{MESSAGE_MAP.selector} .scattergeo").nth(2)).to_be_attached()


def test_treaty_page_draws_comparison_obligations_and_places(streamlit_server, page):
    """Test that the treaty page renders its comparison table, obligations chart and railway map."""
    page.goto(f"{streamlit_server.url}/treaty")
    wait_for_page(page, "treaty")
    expect(page.get_by_text("1945 and 1950, topic by topic")).to_be_visible()
    expect(page.locator(".st-key-treaty_comparison .st-key-provision_0")).to_be_visible()
    expect(page.locator(f"{OBLIGATIONS.selector} .scatterlayer .point").first).to_be_attached()
