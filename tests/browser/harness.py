"""Start a Streamlit script and a headless Chromium, and wait for what a test asserts: shared by the browser
tests, the screenshot tool and the benchmarks.

Playwright's own browser download cannot work on these machines, so we drive Debian's Chromium through
`executable_path`, falling back to a Playwright-managed browser where one is installed.

Waiting: every wait here retries until its condition holds or a generous timeout runs out (Playwright's
`expect` and `wait_for_function`), never a fixed sleep. "The app is ready" is Streamlit's own signal,
`[data-testid=stApp][data-test-script-state=notRunning]` (what Streamlit's e2e suite waits on); "a chart is
drawn" is the chart found by its element key with its marks, or for a map its land, in the DOM.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

from sinosoviet.registry import (
    DAY_MAP,
    EVENT_MAP,
    MESSAGE_MAP,
    OBLIGATIONS,
    OVERVIEW_TIMELINE,
    TIMELINE,
    TREATY_MAP,
    UPLOAD_TIMELINE,
    Chart,
    page,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Without the background-networking flags Chromium keeps trying to reach Google on a machine with no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 90
# Generous on purpose: a passing wait returns as soon as its condition holds, so only a real failure waits
# this long, and CI's 2 cores may be shared with a second test worker and a browser.
WAIT_TIMEOUT_MS = 60_000

APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
HEADING = "[data-testid='stMainBlockContainer'] h1"


# Re-exported for the tests: the charts each page draws are named in the registry.
__all__ = ["DAY_MAP", "EVENT_MAP", "MESSAGE_MAP", "OBLIGATIONS", "OVERVIEW_TIMELINE", "TIMELINE", "TREATY_MAP",
           "UPLOAD_TIMELINE", "Chart"]  # fmt: skip


def page_charts(slug: str) -> tuple[Chart, ...]:
    """The charts a page draws, from its registry entry; tests/test_app_smoke.py checks them against the page."""
    return page(slug).charts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def rss_mb(self) -> float:
        """The server process's resident memory, in MB (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class PeakMemory:
    """A server's resident memory, sampled every `every_s` seconds on a thread while the block runs: the peak."""

    def __init__(self, server: StreamlitServer, every_s: float) -> None:
        self.server, self.every_s, self.peak_mb = server, every_s, server.rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak_mb = max(self.peak_mb, self.server.rss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc_info) -> None:
        self._stop.set()
        self._thread.join()


def start_streamlit(
    log_dir: Path,
    env_overrides: dict[str, str] | None = None,
    script: str = "app.py",
    port: int | None = None,
) -> StreamlitServer:
    """Serve `script` (a path relative to the repository) on a free port (or `port`, to restart a server where
    it was), log to a file, wait until healthy."""
    if not (REPO_ROOT / script).is_file():
        raise FileNotFoundError(f"no script to serve at {REPO_ROOT / script}")
    port = port or free_port()
    log_path = Path(log_dir) / f"streamlit-{Path(script).stem}-{port}-{time.monotonic_ns()}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_overrides or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = StreamlitServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy in {SERVER_START_TIMEOUT_S}s:\n{server.log()}")


def holds_throughout(seconds: float, condition: Callable[[], bool], message: str) -> None:
    """Assert that `condition` stays true for the next `seconds`, checking it every 0.1 s.

    For a test that something does not happen for a while (a paused player stays put, a session is not closed
    too early): the only place a test lets time pass on purpose. Waiting for something to happen is
    Playwright's `expect`'s job, never this.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), message
        time.sleep(0.1)
    assert condition(), message


BLOCKING_IMPACTS = ("serious", "critical")


def blocking_violations(results) -> list[str]:
    """The serious and critical violations in axe-core's results, one line each."""
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def chromium_path() -> str | None:
    found = next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)
    return found or shutil.which("chromium")


def launch_chromium(playwright):
    """Launch Debian's Chromium if present, else Playwright's managed one; raises playwright's Error if neither."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page: Page, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running the page's script and its heading is drawn."""
    expect(page.locator(APP_IDLE)).to_be_attached(timeout=timeout_ms)
    expect(page.locator(HEADING).first).to_be_visible(timeout=timeout_ms)


# plotly.js draws a map's land (or coastlines) as one long path once it has the topojson; offline without our
# copy the layer stays empty.
MAP_PATH_MIN_CHARS = 1000


def drawn_mark(chart: Chart, map_layer: str = "land") -> tuple[str, int]:
    """What shows that a chart is drawn: the selector of its first such element, and how long that element's
    path must be (0 when being there is enough): a map's `map_layer` path, drawn from the app's own topojson,
    or a chart's first trace."""
    if chart.is_map:
        return f"{chart.selector} .geolayer .layer.{map_layer} path", MAP_PATH_MIN_CHARS
    return f"{chart.selector} .cartesianlayer .trace", 0


def wait_for_chart(
    page: Page, chart: Chart, timeout_ms: int = WAIT_TIMEOUT_MS, map_layer: str = "land"
) -> None:
    """Wait until the chart is drawn (see drawn_mark)."""
    selector, min_chars = drawn_mark(chart, map_layer)
    mark = page.locator(selector).first
    if min_chars:
        expect(mark).to_have_attribute(
            "d", re.compile(rf"^.{{{min_chars},}}$", re.DOTALL), timeout=timeout_ms
        )
    else:
        expect(mark).to_be_attached(timeout=timeout_ms)


UPLOAD_INPUT = "[data-testid='stFileUploaderDropzoneInput']"
NAVIGATION_LINK = "[data-testid='stSidebarNav'] a"


def upload_and_explore(page: Page, base_url: str, path: Path, events: int) -> None:
    """Upload an events file on Your events, see its events loaded, and open Explore on them."""
    page.goto(f"{base_url}/upload")
    wait_for_app(page)
    page.locator(UPLOAD_INPUT).set_input_files(str(path))
    expect(page.get_by_text(re.compile(f"Loaded {events:,} events"))).to_be_visible()
    wait_for_uploaded_page(page)
    page.locator(NAVIGATION_LINK, has_text="Explore events").click()
    expect(page).to_have_url(re.compile(r"/explore(\?|$)"))
    wait_for_page(page, "explore")


def wait_for_uploaded_page(page: Page, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Wait until Your events has finished drawing what it shows of a file it has just loaded."""
    wait_for_chart(page, UPLOAD_TIMELINE, timeout_ms)
    expect(page.locator(APP_IDLE)).to_be_attached(timeout=timeout_ms)


def wait_for_page(page: Page, url_path: str, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Wait until the page's script has finished and every chart it draws is drawn."""
    wait_for_app(page, timeout_ms)
    for chart in page_charts(url_path):
        wait_for_chart(page, chart, timeout_ms)


# Finds a mark to click: inside the plotting area and the viewport, and at least ISOLATION_PX from every other
# mark, so plotly's nearest-point click cannot pick a neighbour. Returns its centre and the event id the app put
# in its customdata, read from the data plotly bound to it; null until the chart has such a mark.
_MARK_TO_CLICK_JS = """([chartSelector, markSelector, isolationPx]) => {
    const chart = document.querySelector(chartSelector);
    const area = chart && chart.querySelector('.nsewdrag, .geolayer .bg rect');
    if (!area) return null;
    const bounds = area.getBoundingClientRect();
    const centre = (element) => {
        const box = element.getBoundingClientRect();
        return {x: box.x + box.width / 2, y: box.y + box.height / 2, box};
    };
    const others = [...chart.querySelectorAll('.point')].map((element) => ({element, ...centre(element)}));
    for (const mark of chart.querySelectorAll(markSelector)) {
        const {x, y, box} = centre(mark);
        const inside = box.width > 0 && x > bounds.left + 4 && x < bounds.right - 4 && y > bounds.top + 4
            && y < bounds.bottom - 4 && y > 0 && y < window.innerHeight;
        const crowded = others.some((other) => other.element !== mark && (
            Math.hypot(other.x - x, other.y - y) < isolationPx
            || (x >= other.box.left && x <= other.box.right && y >= other.box.top && y <= other.box.bottom)));
        const datum = mark.__data__, trace = mark.closest('g.trace');
        if (!inside || crowded || !datum || !trace || !trace.__data__) continue;
        const customdata = trace.__data__[0].trace.customdata;
        if (customdata && customdata[datum.i]) return {x, y, id: customdata[datum.i][0]};
    }
    return null;
}"""
ISOLATION_PX = 14
SCATTER_MARKS = ".scatterlayer .trace .point"
MAP_MARKS = ".geolayer .scattergeo .point"


def click_mark(page: Page, chart: Chart, timeout_ms: int = WAIT_TIMEOUT_MS) -> str:
    """Click a clearly separate mark on the chart and return the id of the event it stands for."""
    wait_for_chart(page, chart, timeout_ms)
    # While a rerun replaces a chart, Streamlit briefly keeps the old one beside the new: wait for one.
    expect(page.locator(chart.selector)).to_have_count(1, timeout=timeout_ms)
    page.locator(chart.selector).scroll_into_view_if_needed(timeout=timeout_ms)
    marks = MAP_MARKS if chart.is_map else SCATTER_MARKS
    found = page.wait_for_function(
        _MARK_TO_CLICK_JS, arg=[chart.selector, marks, ISOLATION_PX], timeout=timeout_ms
    ).json_value()
    page.mouse.click(found["x"], found["y"])
    return found["id"]


# Every mark a click can reach: its centre lies within no other mark's box and no other mark's centre is within a
# few pixels of it (plotly picks the nearest mark to a click). Returns [event id, kind of mark, x, y] per reachable
# mark: "point" for a marker or bar, "place" for a map place dot (which stands for every event at that place).
_REACHABLE_MARKS_JS = """([chartSelector, markSelector]) => {
    const chart = document.querySelector(chartSelector);
    const marks = [...chart.querySelectorAll(markSelector)].map((element) => {
        const box = element.getBoundingClientRect();
        return {element, box, x: box.x + box.width / 2, y: box.y + box.height / 2};
    }).filter((mark) => mark.box.width > 0);
    const reachable = [];
    for (const mark of marks) {
        const covered = marks.some((other) => other !== mark && (Math.hypot(other.x - mark.x, other.y - mark.y) < 3
            || (other.box.width < 40 && mark.x > other.box.left + 1 && mark.x < other.box.right - 1
                && mark.y > other.box.top + 1 && mark.y < other.box.bottom - 1)));
        const datum = mark.element.__data__, trace = mark.element.closest('g.trace');
        if (covered || !datum || !trace || !trace.__data__) continue;
        const data = trace.__data__[0].trace;
        if (data.customdata && data.customdata[datum.i]) {
            const kind = data.name.startsWith('Places') ? 'place' : 'point';
            reachable.push([data.customdata[datum.i][0], kind, mark.x, mark.y]);
        }
    }
    return reachable;
}"""
TIMELINE_MARKS = ".cartesianlayer .overplot .point"  # not the range slider's copies below it
MAP_CLICK_MARKS = ".geolayer .scattergeo .point"


def reachable_marks(page: Page, chart: Chart) -> list[tuple[str, str, float, float]]:
    """The event ids a click on the chart can reach (see _REACHABLE_MARKS_JS), with the kind of mark and where
    to click it."""
    wait_for_chart(page, chart)
    expect(page.locator(chart.selector)).to_have_count(
        1
    )  # not while a rerun keeps the old chart beside the new
    marks = MAP_CLICK_MARKS if chart.is_map else TIMELINE_MARKS
    return [tuple(mark) for mark in page.evaluate(_REACHABLE_MARKS_JS, [chart.selector, marks])]


def expect_selected(page: Page, event_id: str, title: str, timeout_ms: int = WAIT_TIMEOUT_MS) -> None:
    """Wait until the URL names the event as the selected one and the details panel shows its title."""
    expect(page).to_have_url(re.compile(rf"[?&]event={re.escape(event_id)}(&|$)"), timeout=timeout_ms)
    expect(page.locator(".st-key-event_details h4").first).to_have_text(title, timeout=timeout_ms)
