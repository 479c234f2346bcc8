"""Browser-test fixtures on top of pytest-playwright: Debian's Chromium, one app server per test worker, a fresh
server for tests where the very first request matters, warm browser contexts, and screenshots and the server's
log kept when a test fails.

Under CI (CI=true) a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.harness import (
    CHROMIUM_ARGS,
    CHROMIUM_CANDIDATES,
    WAIT_TIMEOUT_MS,
    StreamlitServer,
    chromium_path,
    start_streamlit,
)

VIEWPORT = {"width": 1400, "height": 1000}
SERVER_FIXTURES = ("streamlit_server", "fresh_server")

expect.set_options(timeout=WAIT_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium where it is installed (Playwright cannot download its own here)."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser(launch_browser):
    try:
        launched = launch_browser()
    except PlaywrightError as error:
        message = f"no usable Chromium (looked for {', '.join(CHROMIUM_CANDIDATES)}): {error}"
        if os.environ.get("CI"):
            pytest.fail(f"{message}. CI must have a browser; .ci/run installs Debian's chromium")
        pytest.skip(message)
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core, as axe-playwright-python bundles it: no download."""
    return Axe()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT}


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory) -> Iterator[StreamlitServer]:
    """One app server per test worker, shared by the tests that do not need a server nobody has visited.

    Each page a test opens is a new Streamlit session, so sharing the server shares only its caches.
    """
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
def warm_context(browser, browser_context_args) -> Iterator[Callable[[str], BrowserContext]]:
    """Browser contexts kept for the whole run, one per colour scheme.

    Every test still gets a page of its own, and so a Streamlit session of its own, but the browser keeps
    Streamlit's and Plotly's scripts compiled in its cache instead of loading them anew for each test: the
    suite is bound by the CPU, and a cold page costs about a fifth more of it. A test about a new browser
    (a shared link opened elsewhere) uses pytest-playwright's `new_context` instead.
    """
    contexts: dict[str, BrowserContext] = {}

    def context_for(color_scheme: str) -> BrowserContext:
        if color_scheme not in contexts:
            contexts[color_scheme] = browser.new_context(**browser_context_args, color_scheme=color_scheme)
        return contexts[color_scheme]

    yield context_for
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(warm_context, request, output_path) -> Iterator[Callable[..., Page]]:
    """Open pages in the warm contexts; when the test fails, keep a screenshot of each."""
    pages: list[Page] = []

    def open_one(color_scheme: str = "light") -> Page:
        pages.append(warm_context(color_scheme).new_page())
        return pages[-1]

    yield open_one
    if folder := _failure_folder(request, output_path):
        for index, page in enumerate(pages):
            page.screenshot(path=folder / f"page-{index}.png")
    for page in pages:
        page.close()


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


_CALL_FAILED = pytest.StashKey[bool]()


def _failure_folder(request, output_path: str) -> Path | None:
    """The test's own folder under test-results/, made when its call failed; None when it passed."""
    if not request.node.stash.get(_CALL_FAILED, False):
        return None
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(autouse=True)
def _keep_server_logs_on_failure(request, output_path) -> Iterator[None]:
    """When a test fails, copy the log of every server it used next to its screenshots."""
    # Looked up before the test, not after it: by then a function-scoped server has been torn down (its log
    # file stays).
    servers = {
        name: request.getfixturevalue(name) for name in SERVER_FIXTURES if name in request.fixturenames
    }
    yield
    folder = _failure_folder(request, output_path)
    for name, server in servers.items():
        if folder:
            shutil.copyfile(server.log_path, folder / f"{name}.log")
