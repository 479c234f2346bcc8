"""Accessibility: axe-core (bundled by axe-playwright-python) on every page, in the light and the dark theme.

The test fails on any serious or critical violation anywhere on the page, Streamlit's own sidebar and
navigation markup included: none needed excluding once the theme's text and accent colours were set for
contrast in .streamlit/config.toml.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from sinosoviet.ui.routing import PAGE_SPECS
from tests.browser.harness import wait_for_page

BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _blocking(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("spec", PAGE_SPECS, ids=lambda spec: spec.url_path)
def test_no_serious_accessibility_violations(spec, scheme, streamlit_server, open_page, axe):
    """Test that axe finds no serious or critical violation on the page in the given colour scheme."""
    page = open_page(color_scheme=scheme)
    page.goto(f"{streamlit_server.url}/{'' if spec.default else spec.url_path}")
    # axe checks what is in the DOM: wait until the script has finished and every chart is drawn.
    wait_for_page(page, spec.url_path)
    assert _blocking(axe.run(page)) == []
