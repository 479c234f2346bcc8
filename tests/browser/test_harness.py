"""The harness itself: a server serves the script it is asked for (the benchmarks compare the app with a bare page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench.browser import BARE_SCRIPT
from tests.browser.harness import HEADING, Chart, start_streamlit, wait_for_app, wait_for_chart


@pytest.mark.full
def test_a_server_serves_the_script_it_names(page, tmp_path):
    """Regression: the harness served app.py whatever script it was given, so the bare page was the app."""
    server = start_streamlit(tmp_path, script=BARE_SCRIPT)
    try:
        page.goto(server.url)
        wait_for_app(page)
        wait_for_chart(page, Chart("bare_chart_0"))  # the bare page draws one chart by default
        expect(page.locator(HEADING)).to_have_text("Bare page")
        expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    finally:
        server.stop()


def test_a_missing_script_is_refused_before_a_server_starts(tmp_path):
    """Test that asking for a script that does not exist fails at once, naming it."""
    with pytest.raises(FileNotFoundError, match=r"no_such_app\.py"):
        start_streamlit(tmp_path, script="no_such_app.py")
