"""Browser tests of the chapter pages' own views in headless Chromium."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.harness import wait_for_app

DAY_EVENTS = "[class*='st-key-visit_day_events']"


def test_play_moves_the_day_and_its_events(streamlit_server, page):
    """Test that pressing Play advances the visit day by day: the day heading changes without a click."""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_app(page)
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("6 December 1949", timeout=20_000)
    page.locator("[class*='st-key-visit_play'] button").click()
    expect(heading).not_to_have_text("6 December 1949", timeout=20_000)
    expect(page.locator("[class*='st-key-visit_play'] button")).to_contain_text("Pause")
    page.locator("[class*='st-key-visit_play'] button").click()
    expect(page.locator("[class*='st-key-visit_play'] button")).to_contain_text("Play", timeout=10_000)


def test_telegrams_page_draws_log_map_and_uprising_cities(streamlit_server, page):
    """Test that the 1945 page shows the message log and its map with the uprising cities' crosses."""
    page.goto(f"{streamlit_server.url}/telegrams")
    wait_for_app(page)
    expect(page.locator("[class*='st-key-message_log']")).to_be_visible(timeout=20_000)
    page.wait_for_selector("[class*='st-key-message_map'] .geolayer .layer.land path", timeout=30_000)
    assert page.locator("[class*='st-key-message_map'] .scattergeo").count() >= 3


def test_treaty_page_draws_comparison_obligations_and_places(streamlit_server, page):
    """Test that the treaty page renders its comparison table, obligations chart and railway map."""
    page.goto(f"{streamlit_server.url}/treaty")
    wait_for_app(page)
    expect(page.get_by_text("1945 and 1950, topic by topic")).to_be_visible(timeout=20_000)
    page.wait_for_selector("[class*='st-key-obligations_chart'] .scatterlayer .point", timeout=30_000)
    page.wait_for_selector("[class*='st-key-treaty_places_map'] .geolayer .layer.land path", timeout=30_000)
