"""Browser tests of the chapter pages' own views in headless Chromium."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.harness import MESSAGE_MAP, OBLIGATIONS, wait_for_page

DAY_EVENTS = ".st-key-visit_day_events"
PLAY = ".st-key-visit_play button"


def test_play_moves_the_day_and_its_events(streamlit_server, page):
    """Test that pressing Play advances the visit day by day: the day heading changes without a click."""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("6 December 1949")
    page.locator(PLAY).click()
    expect(heading).not_to_have_text("6 December 1949")
    expect(page.locator(PLAY)).to_contain_text("Pause")
    page.locator(PLAY).click()
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
    expect(page.locator(".st-key-treaty_comparison [data-testid='stDataFrame']")).to_be_visible()
    expect(page.locator(f"{OBLIGATIONS.selector} .scatterlayer .point").first).to_be_attached()
