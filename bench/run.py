"""Benchmarks: how the app compares with naive floors, measured side by side and printed as ratios.

    make bench            (or: uv run python -m bench.run [--quick])

Never timed tests: the numbers depend on the machine, so they are printed, not asserted. Warm reruns alternate
page and floor in one process after warm-up runs and report medians; browser timings alternate app and bare
page over several loads; the scale runs each happen in a fresh Python process so memory is the run's own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOOR_SCRIPT = REPO_ROOT / "bench" / "floor_app.py"
WARMUP_RUNS = 3
MEASURED_RUNS = 15
# Per page: how many Plotly charts and tables it draws, so its floor draws as many from as many rows.
PAGE_LOAD = {
    "pages/overview.py": (1, 1),
    "pages/telegrams.py": (3, 2),
    "pages/moscow.py": (3, 1),
    "pages/treaty.py": (4, 2),
    "pages/explore.py": (2, 1),
    "pages/sources.py": (0, 4),  # sources, contested claims, glossary, data dictionary
    "pages/upload.py": (0, 1),  # the upload dictionary
}
SCALE_ROWS = (1_000, 10_000, 100_000)


def _timed_run(app: AppTest) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception:
        raise RuntimeError(app.exception)
    return elapsed


def _page_app(page: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(page)
    app.run()
    return app


def _floor_app(charts: int, tables: int) -> AppTest:
    os.environ["FLOOR_CHARTS"], os.environ["FLOOR_TABLES"] = str(charts), str(tables)
    return AppTest.from_file(str(FLOOR_SCRIPT), default_timeout=120)


def warm_reruns(runs: int) -> list[tuple[str, float, float]]:
    """Median warm rerun of each page beside its floor, alternating the two."""
    results = []
    for page, (charts, tables) in PAGE_LOAD.items():
        app, floor = _page_app(page), _floor_app(charts, tables)
        for _ in range(WARMUP_RUNS):
            _timed_run(app)
            _timed_run(floor)
        page_times, floor_times = [], []
        for _ in range(runs):
            page_times.append(_timed_run(app))
            floor_times.append(_timed_run(floor))
        results.append((page, statistics.median(page_times), statistics.median(floor_times)))
    return results


BARE_SCRIPT = "bench/bare_plotly_app.py"


def _browser_timings(loads: int) -> dict[str, float]:
    """Cold start (server start to first page drawn) and navigation-to-charts-drawn, app versus bare page."""
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import (
        Chart,
        launch_chromium,
        start_streamlit,
        wait_for_app,
        wait_for_chart,
        wait_for_page,
    )  # fmt: skip

    log_dir = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    app_server = start_streamlit(log_dir)
    bare_server = start_streamlit(log_dir, script=BARE_SCRIPT)
    bare_chart = Chart("bare_chart")

    def wait_for_bare_page(page) -> None:
        wait_for_app(page)
        wait_for_chart(page, bare_chart)

    timings: dict[str, list[float]] = {"app": [], "bare": []}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{app_server.url}/explore")
            wait_for_page(page, "explore")
            cold_start = time.perf_counter() - started
            # The bare server must serve the bare script, or the ratio compares the app with itself.
            page.goto(bare_server.url)
            wait_for_bare_page(page)
            if page.locator("[data-testid='stSidebarNav']").count():
                raise RuntimeError(f"{bare_server.url} serves the app, not {BARE_SCRIPT}")
            for _ in range(loads):
                for name, url in (("app", f"{app_server.url}/explore"), ("bare", bare_server.url)):
                    begin = time.perf_counter()
                    page.goto(url)
                    if name == "app":
                        wait_for_page(page, "explore")
                    else:
                        wait_for_bare_page(page)
                    timings[name].append(time.perf_counter() - begin)
            browser.close()
    finally:
        app_server.stop()
        bare_server.stop()
    return {"cold_start": cold_start, "app": statistics.median(timings["app"]),
            "bare": statistics.median(timings["bare"])}  # fmt: skip


def scale_runs() -> list[dict]:
    """Each size in a fresh process (bench/scale_one.py): filter-change rerun, figure JSON, peak memory."""
    results = []
    for rows in SCALE_ROWS:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.scale_one", str(rows)],
            cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return results


def main() -> None:
    quick = "--quick" in sys.argv
    print("Warm rerun of each page against a floor drawing as many Plotly Express charts and tables")
    print(f"{'page':<22}{'page (ms)':>11}{'floor (ms)':>12}{'ratio':>8}")
    for page, page_s, floor_s in warm_reruns(5 if quick else MEASURED_RUNS):
        print(f"{Path(page).stem:<22}{page_s * 1000:>11.1f}{floor_s * 1000:>12.1f}{page_s / floor_s:>8.2f}")

    browser = _browser_timings(2 if quick else 5)
    print("\nIn the browser (headless Chromium)")
    print(f"{'cold start: server start to Explore drawn':<48}{browser['cold_start']:>8.2f} s")
    print(f"{'Explore: navigation to all charts drawn':<48}{browser['app']:>8.2f} s")
    print(f"{'bare page with one Plotly chart':<48}{browser['bare']:>8.2f} s")
    print(f"{'ratio':<48}{browser['app'] / browser['bare']:>8.2f}")

    print("\nScale: Explore on synthetic event tables (each size in a fresh process)")
    print(f"{'events':>8}{'load (s)':>10}{'filter change (ms)':>20}{'figure JSON (kB)':>18}{'peak memory (MB)':>18}"
          f"{'timeline':>12}")  # fmt: skip
    for result in scale_runs():
        view = "counts" if result["aggregated"] else "events"
        print(f"{result['rows']:>8,}{result['load_s']:>10.2f}{result['filter_change_ms']:>20.0f}"
              f"{result['figure_json_kb']:>18,.0f}{result['peak_memory_mb']:>18,.0f}{view:>12}")  # fmt: skip


if __name__ == "__main__":
    main()
