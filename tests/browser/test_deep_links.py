"""Test that every page works as the very first request to a freshly started server (the legacy `pages/` trap)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sinosoviet.registry import pages
from tests.browser.harness import HEADING, wait_for_app

# Seven fresh servers: the full run. The default run opens one deep link as a fresh server's first request
# (tests/browser/test_explore.py, the shared link).
pytestmark = pytest.mark.full

EXPECTED_HEADINGS = {entry.slug: entry.heading for entry in pages()}


@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_deep_link_as_first_request_shows_the_apps_navigation(spec, fresh_server, page):
    """Test that a deep link opened first on a fresh server runs through app.py: our titles, our page, no error."""
    path = "" if spec.default else spec.slug
    page.goto(f"{fresh_server.url}/{path}")
    wait_for_app(page)

    expect(page.locator(HEADING).first).to_have_text(EXPECTED_HEADINGS[spec.slug])
    navigation = page.locator("[data-testid='stSidebarNav']")
    for other in pages():
        expect(navigation).to_contain_text(other.nav_title)
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
