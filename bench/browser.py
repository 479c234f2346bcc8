"""Browser benchmarks: what a reader waits for in headless Chromium, the app beside a bare Streamlit page.

- First view: from page.goto in a fresh browser context until the script has finished and every chart the
  page draws is drawn (tests.browser.harness.drawn_mark), checked on every animation frame, beside
  bench/bare_plotly_app.py drawing as many charts, as many of them maps, and one table.
- Cold server: the same for the very first request a freshly started server answers. Start-up (until
  /_stcore/health answers) is not counted: that is Python importing, not a reader's wait on a running server.
- A 100,000-event upload through the real Your events page: loaded and validated, Explore's first draw on it
  (from the click in the sidebar, once Your events has drawn the upload at a glance), a filter change
  redrawn, and the server's resident memory sampled throughout.

Decisions
- A fresh context for every load: no HTTP cache, no session, as for a new reader. The servers' own caches stay
  warm, so each page is loaded once on both servers before it is timed; the server's very first answer is what
  the cold measure is for.
- App and bare loads alternate, so a change in the machine's load hits both alike; medians are reported.
- A filter change is timed until the charts hold new data and then the script is idle. Waiting for idle alone
  can catch the idle state from before the rerun started and time nothing.
- Every timed wait checks the page on each animation frame (page.wait_for_function). Playwright's `expect`
  polls at 100, 250 and 500 ms and then once a second, which would add up to a second at random; the harness's
  own waits then confirm what was reached, untimed.
- The bare page's charts are found by the element keys bare_chart_<index> that bench/bare_plotly_app.py gives
  them; its maps are the last ones. Plain Plotly Express maps draw coastlines but no land, so a bare map counts
  as drawn when its coastlines are.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from sinosoviet.registry import explorer_pages
from tests.browser.harness import (
    APP_IDLE,
    HEADING,
    NAVIGATION_LINK,
    UPLOAD_INPUT,
    Chart,
    PeakMemory,
    StreamlitServer,
    drawn_mark,
    page_charts,
    start_streamlit,
    wait_for_app,
    wait_for_chart,
    wait_for_page,
    wait_for_uploaded_page,
)

BARE_SCRIPT = "bench/bare_plotly_app.py"
BARE_HEADING = "Bare page"
VIEWPORT = {"width": 1400, "height": 1000}
# Generous, like the harness's own: a passing wait returns as soon as its condition holds. The upload gets
# longer, so that a slow app is measured rather than reported as a timeout.
PAGE_TIMEOUT_MS = 120_000
UPLOAD_TIMEOUT_MS = 300_000
MEMORY_SAMPLE_S = 0.1

# The kinds filter on Explore (Streamlit key filter_kinds), and three changes to it, each new to the caches.
KINDS_FILTER = ".st-key-filter_kinds"
KINDS_PICKED = ("telegram", "meeting")
KIND_REMOVED = "telegram"

# The timed waits check the page on every animation frame. Playwright's `expect` polls at growing intervals
# (100 ms, 250 ms, 500 ms, then once a second), so a page drawn just after one of its polls would be counted up
# to a second late, at random, on the app and the bare page alike.
_DRAWN_JS = """([idle, heading, marks]) => {
    const shown = (element) => Boolean(element) && element.getClientRects().length > 0;
    return Boolean(document.querySelector(idle)) && shown(document.querySelector(heading))
        && marks.every(([selector, minChars]) => {
            const mark = document.querySelector(selector);
            return Boolean(mark) && (mark.getAttribute('d') || '').length >= minChars;
        });
}"""
_TEXT_SHOWN_JS = """(text) => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .some((element) => element.textContent.includes(text))"""
# Plain Plotly Express maps draw coastlines but no land.
BARE_MAP_LAYER = "coastlines"
_REMEMBER_CHART_DATA_JS = """(selectors) => {
    window.__benchChartData = selectors.map((selector) => document.querySelector(selector)?.data);
}"""
# plotly.js replaces a chart's `data` array whenever Streamlit hands it a new figure.
_CHART_DATA_CHANGED_JS = """(selectors) => selectors.every((selector, index) => {
    const chart = document.querySelector(selector);
    return chart && chart.data && chart.data !== window.__benchChartData[index];
})"""


@dataclass(frozen=True)
class PageShape:
    charts: int
    maps: int


def chart_pages() -> tuple[str, ...]:
    """The pages whose first view is timed against a bare page of as many charts: every page with the explorer,
    from the registry."""
    return tuple(entry.slug for entry in explorer_pages())


def page_shape(url_path: str) -> PageShape:
    """How many charts the app page draws and how many of them are maps, from the registry's entry for it."""
    charts = page_charts(url_path)
    return PageShape(len(charts), sum(chart.is_map for chart in charts))


def bare_path(shape: PageShape) -> str:
    return f"/?charts={shape.charts}&maps={shape.maps}"


def median_or_nan(times: tuple[float, ...]) -> float:
    return statistics.median(times) if times else float("nan")


@dataclass(frozen=True)
class FirstView:
    page: str
    charts: int
    app_times: tuple[float, ...]
    bare_times: tuple[float, ...]

    @property
    def app_s(self) -> float:
        return median_or_nan(self.app_times)

    @property
    def bare_s(self) -> float:
        return median_or_nan(self.bare_times)


@dataclass(frozen=True)
class ColdStart:
    app_s: float
    bare_s: float


@dataclass(frozen=True)
class UploadRun:
    rows: int
    file_mb: float
    loaded_s: float
    explore_s: float
    filter_change_times: tuple[float, ...]
    baseline_mb: float
    peak_mb: float

    @property
    def filter_change_s(self) -> float:
        return median_or_nan(self.filter_change_times)


def bare_charts(shape: PageShape) -> list[Chart]:
    return [
        Chart(f"bare_chart_{index}", is_map=index >= shape.charts - shape.maps)
        for index in range(shape.charts)
    ]


def wait_for_bare_page(page: Page, shape: PageShape, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until the bare page has run and drawn every chart, then check it is the bare page at all."""
    wait_for_app(page, timeout_ms)
    for chart in bare_charts(shape):
        wait_for_chart(page, chart, timeout_ms, map_layer=BARE_MAP_LAYER)
    # Were the bare server to serve the app, every ratio would compare the app with itself.
    heading = page.locator(HEADING).first.inner_text()
    if heading != BARE_HEADING or page.locator(NAVIGATION_LINK).count():
        raise RuntimeError(f"{page.url} serves a page headed {heading!r}, not {BARE_SCRIPT}")


def page_marks(url_path: str) -> list[tuple[str, int]]:
    """What shows that each chart of an app page is drawn (harness.drawn_mark)."""
    return [drawn_mark(chart) for chart in page_charts(url_path)]


def wait_until_drawn(page: Page, marks: list[tuple[str, int]], timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait, checking on every animation frame, until the script has finished, the heading shows and every
    mark (harness.drawn_mark) is drawn."""
    page.wait_for_function(_DRAWN_JS, arg=[APP_IDLE, HEADING, marks], polling="raf", timeout=timeout_ms)


def timed_first_view(
    browser: Browser, url: str, marks: list[tuple[str, int]], check: Callable[[Page], None]
) -> float:
    """Seconds from page.goto(url) in a fresh browser context until every mark is drawn; then, untimed,
    `check` confirms the page with the harness's own waits."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, timeout=PAGE_TIMEOUT_MS)
        wait_until_drawn(page, marks)
        elapsed = time.perf_counter() - started
        check(page)
        return elapsed
    finally:
        context.close()


def load_app_page(browser: Browser, server: StreamlitServer, url_path: str) -> float:
    check = partial(wait_for_page, url_path=url_path, timeout_ms=PAGE_TIMEOUT_MS)
    return timed_first_view(browser, f"{server.url}/{url_path}", page_marks(url_path), check)


def load_bare_page(browser: Browser, server: StreamlitServer, shape: PageShape) -> float:
    marks = [drawn_mark(chart, BARE_MAP_LAYER) for chart in bare_charts(shape)]
    check = partial(wait_for_bare_page, shape=shape)
    return timed_first_view(browser, f"{server.url}{bare_path(shape)}", marks, check)


def first_views(browser: Browser, app: StreamlitServer, bare: StreamlitServer, loads: int) -> list[FirstView]:
    """Each chart page's first view beside the bare page of the same shape: one untimed warm-up load each,
    then `loads` timed loads alternating app and bare."""
    results = []
    for url_path in chart_pages():
        shape = page_shape(url_path)
        load_app_page(browser, app, url_path)  # warm-up, untimed: fills both servers' caches for this page
        load_bare_page(browser, bare, shape)
        app_times, bare_times = [], []
        for _ in range(loads):
            app_times.append(load_app_page(browser, app, url_path))
            bare_times.append(load_bare_page(browser, bare, shape))
        results.append(FirstView(url_path, shape.charts, tuple(app_times), tuple(bare_times)))
    return results


def _first_request(browser: Browser, log_dir: Path, script: str, load: Callable[..., float]) -> float:
    """Start a fresh server for `script`, time `load(browser, server)` on it, stop it."""
    server = start_streamlit(log_dir, script=script)
    try:
        return load(browser, server)
    finally:
        server.stop()


def cold_start(browser: Browser, log_dir: Path) -> ColdStart:
    """The first request to a freshly started app server (Explore), then to a fresh bare server of its shape;
    one after the other, so neither start competes with the other for the cores."""
    app_s = _first_request(browser, log_dir, "app.py", partial(load_app_page, url_path="explore"))
    bare_s = _first_request(
        browser, log_dir, BARE_SCRIPT, partial(load_bare_page, shape=page_shape("explore"))
    )
    return ColdStart(app_s, bare_s)


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _upload(page: Page, csv_path: Path, rows: int) -> None:
    page.locator(UPLOAD_INPUT).set_input_files(str(csv_path), timeout=UPLOAD_TIMEOUT_MS)
    loaded = f"Loaded {rows:,} events"
    page.wait_for_function(_TEXT_SHOWN_JS, arg=loaded, polling="raf", timeout=UPLOAD_TIMEOUT_MS)
    expect(page.get_by_text(loaded)).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)


def _open_explore(page: Page) -> None:
    page.locator(NAVIGATION_LINK, has_text="Explore events").click(timeout=UPLOAD_TIMEOUT_MS)
    wait_until_drawn(page, page_marks("explore"), UPLOAD_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"/explore(\?|$)"), timeout=UPLOAD_TIMEOUT_MS)
    wait_for_page(page, "explore", UPLOAD_TIMEOUT_MS)
    # The upload page's idle state can satisfy the first wait; once Explore's charts are there, this one cannot.
    expect(page.locator(APP_IDLE)).to_be_attached(timeout=UPLOAD_TIMEOUT_MS)


def timed_filter_change(page: Page, change: Callable[[], None]) -> float:
    """Seconds from `change` until every Explore chart holds new data and the script has finished."""
    charts = page_charts("explore")
    selectors = [chart.selector for chart in charts]
    page.evaluate(_REMEMBER_CHART_DATA_JS, selectors)
    started = time.perf_counter()
    change()
    page.wait_for_function(_CHART_DATA_CHANGED_JS, arg=selectors, polling="raf", timeout=UPLOAD_TIMEOUT_MS)
    wait_until_drawn(page, page_marks("explore"), UPLOAD_TIMEOUT_MS)
    elapsed = time.perf_counter() - started
    for chart in charts:
        wait_for_chart(page, chart, UPLOAD_TIMEOUT_MS)
    return elapsed


def filter_changes(page: Page) -> tuple[float, ...]:
    """Pick two kinds one after the other, then remove the first: three reruns timed from the click.
    Opening the list is not timed; Escape closes it again so the chip's remove button can be clicked."""
    kinds = page.locator(KINDS_FILTER)
    times = []
    for kind in KINDS_PICKED:
        kinds.locator("input").click(timeout=UPLOAD_TIMEOUT_MS)
        option = page.get_by_role("option", name=kind, exact=True)
        times.append(timed_filter_change(page, lambda option=option: option.click(timeout=UPLOAD_TIMEOUT_MS)))
        page.keyboard.press("Escape")
    remove = kinds.get_by_role("button", name=f"Remove {KIND_REMOVED}", exact=True)
    times.append(timed_filter_change(page, lambda: remove.click(timeout=UPLOAD_TIMEOUT_MS)))
    return tuple(times)


def upload_run(browser: Browser, server: StreamlitServer, csv_path: Path, rows: int) -> UploadRun:
    """Upload `csv_path` on Your events, open Explore on it and change a filter, in one fresh browser context."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{server.url}/upload", timeout=PAGE_TIMEOUT_MS)
        wait_for_app(page, PAGE_TIMEOUT_MS)
        baseline_mb = server.rss_mb()
        with PeakMemory(server, every_s=MEMORY_SAMPLE_S) as memory:
            loaded_s = _timed(lambda: _upload(page, csv_path, rows))
            # Not timed: a reader looks at what was loaded before going on.
            wait_for_uploaded_page(page, UPLOAD_TIMEOUT_MS)
            explore_s = _timed(lambda: _open_explore(page))
            changes = filter_changes(page)
        file_mb = csv_path.stat().st_size / 1e6
        peak_mb = max(memory.peak_mb, server.rss_mb())  # and once more as the last filter change ends
        return UploadRun(rows, file_mb, loaded_s, explore_s, changes, baseline_mb, peak_mb)
    finally:
        context.close()
