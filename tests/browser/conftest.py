"""Browser-test fixtures: a real `streamlit run app.py` server on a free port, and headless Chromium.

Under CI (CI=true) a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.harness import CHROMIUM_CANDIDATES, StreamlitServer, launch_chromium, start_streamlit


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def streamlit_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    server = start_streamlit(tmp_path_factory.mktemp("server-logs"))
    yield server
    server.stop()


@pytest.fixture
def fresh_server(tmp_path) -> Iterator[StreamlitServer]:
    """A server nobody has visited yet: for tests where the very first request matters."""
    server = start_streamlit(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = launch_chromium(playwright)
        except PlaywrightError as error:
            message = f"no usable Chromium (looked for {', '.join(CHROMIUM_CANDIDATES)}): {error}"
            if os.environ.get("CI"):
                pytest.fail(f"{message}. CI must have a browser; .ci/run installs Debian's chromium")
            pytest.skip(message)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
