"""Accessibility in the dark theme: axe-core (bundled by axe-playwright-python) on every page, in the full run.
The light theme is checked on every page by the page tour (tests/browser/test_page_tour.py), in the default run.

The test fails on any serious or critical violation anywhere on the page, Streamlit's own sidebar and
navigation markup included: none needed excluding once the theme's text and accent colours were set for
contrast in .streamlit/config.toml.
"""

from __future__ import annotations

import pytest

from sinosoviet.registry import pages
from tests.browser.harness import blocking_violations, wait_for_page


@pytest.mark.full
@pytest.mark.parametrize("spec", pages(), ids=lambda spec: spec.slug)
def test_no_serious_accessibility_violations_in_the_dark_theme(spec, streamlit_server, open_page, axe):
    """Test that axe finds no serious or critical violation on the page in the dark colour scheme."""
    page = open_page(color_scheme="dark")
    page.goto(f"{streamlit_server.url}/{'' if spec.default else spec.slug}")
    # axe checks what is in the DOM: wait until the script has finished and every chart is drawn.
    wait_for_page(page, spec.slug)
    assert blocking_violations(axe.run(page)) == []
