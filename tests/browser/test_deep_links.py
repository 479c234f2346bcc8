"""Test that every page works as the very first request to a freshly started server (the legacy `pages/` trap)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sinosoviet.ui.routing import PAGE_SPECS
from tests.browser.harness import HEADING, wait_for_app

# Seven fresh servers: the full run. The default run opens one deep link as a fresh server's first request
# (tests/browser/test_explore.py, the shared link).
pytestmark = pytest.mark.full

EXPECTED_HEADINGS = {
    "overview": "Mao and Stalin, 1944–1950",
    "telegrams": "1945: The telegrams",
    "moscow": "1949–50: Mao in Moscow",
    "treaty": "1950: The treaty",
    "explore": "Explore events",
    "sources": "Sources & method",
    "upload": "Your events",
}


@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda spec: spec.url_path)
def test_deep_link_as_first_request_shows_the_apps_navigation(spec, fresh_server, page):
    """Test that a deep link opened first on a fresh server runs through app.py: our titles, our page, no error."""
    path = "" if spec.default else spec.url_path
    page.goto(f"{fresh_server.url}/{path}")
    wait_for_app(page)

    expect(page.locator(HEADING).first).to_have_text(EXPECTED_HEADINGS[spec.url_path])
    navigation = page.locator("[data-testid='stSidebarNav']")
    for other in PAGE_SPECS:
        expect(navigation).to_contain_text(other.title)
    assert "app" not in navigation.inner_text().split(), (
        "the sidebar lists the raw entrypoint name: legacy mode ran"
    )

    assert page.locator("[data-testid='stException']").count() == 0
    assert "Page not found" not in page.content()
    assert "Traceback" not in fresh_server.log()


def test_overview_links_lead_to_the_chapters(streamlit_server, page):
    """Test that the chapter links on the Overview open the chapter pages within the app."""
    page.goto(streamlit_server.url)
    wait_for_app(page)
    page.locator("[data-testid='stPageLink'] a", has_text="1950: The treaty").click()
    expect(page).to_have_url(re.compile(r"/treaty$"))
    wait_for_app(page)
    expect(page.locator(HEADING).first).to_have_text(EXPECTED_HEADINGS["treaty"])
