"""Benchmarks: the app beside naive floors, measured side by side and printed as ratios, plus the upload's
absolute targets.

    make bench            (or: uv run python -m bench.run [--quick])

Never timed tests: the numbers depend on the machine, so they are printed, not asserted. This module only
orchestrates and prints; the measures live in bench/warm.py (warm reruns in AppTest), bench/browser.py (first
view, cold server and the 100,000-event upload in headless Chromium) and bench/scale.py (synthetic tables,
each size in a fresh process). `--quick` loads each page once instead of LOADS times, reruns fewer times and
runs the scale section at its smallest size only: for working on the benchmarks, not for numbers to quote.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import BARE_SCRIPT, ColdStart, FirstView, UploadRun, cold_start, first_views, upload_run
from bench.scale import SCALE_ROWS, scale_runs
from bench.synthetic import write_synthetic_upload
from bench.warm import WarmRerun, warm_reruns
from tests.browser.harness import launch_chromium, start_streamlit

# Fresh browser contexts per page and server; the median is reported. Five, not three: on two cores one load in
# three can land on a busy moment and move a page's ratio by 0.2.
LOADS, QUICK_LOADS = 5, 1
RERUNS, QUICK_RERUNS = 15, 5
UPLOAD_ROWS = 100_000
# The targets for a 100,000-event upload, in seconds.
TARGET_LOADED_S, TARGET_EXPLORE_S, TARGET_FILTER_S = 5, 3, 1


def print_warm_reruns(results: list[WarmRerun]) -> None:
    print(
        "Warm rerun of each page (AppTest) against a floor drawing as many Plotly Express charts and tables"
    )
    print(f"{'page':<22}{'page (ms)':>11}{'floor (ms)':>12}{'ratio':>8}")
    for result in results:
        ratio = result.page_s / result.floor_s
        print(f"{result.page:<22}{result.page_s * 1000:>11.1f}{result.floor_s * 1000:>12.1f}{ratio:>8.2f}")


def print_first_views(results: list[FirstView], loads: int) -> None:
    print(
        f"\nFirst view in headless Chromium: page.goto in a fresh context until every chart is drawn (median of {loads})"
    )
    print(f"beside {BARE_SCRIPT}: as many Plotly Express charts, as many of them maps, and one 150-row table")
    print(f"{'page':<12}{'charts':>7}{'first view app (s)':>20}{'bare page (s)':>15}{'ratio':>8}")
    for result in results:
        ratio = result.app_s / result.bare_s
        print(f"{result.page:<12}{result.charts:>7}{result.app_s:>20.2f}{result.bare_s:>15.2f}{ratio:>8.2f}")


def print_cold_start(result: ColdStart) -> None:
    print(
        "\nCold server: the first request after start-up, goto until every chart is drawn (start-up not counted)"
    )
    print(f"{'app, /explore (2 charts)':<40}{result.app_s:>8.2f} s")
    print(f"{'bare page, 2 charts':<40}{result.bare_s:>8.2f} s")
    print(f"{'ratio':<40}{result.app_s / result.bare_s:>8.2f}")


def print_upload(result: UploadRun) -> None:
    changes = ", ".join(f"{seconds:.2f}" for seconds in result.filter_change_times)
    print(
        f"\nUpload of {result.rows:,} events ({result.file_mb:.1f} MB CSV) through Your events, in the browser"
    )
    print(f"{'upload loaded and validated':<40}{result.loaded_s:>8.2f} s (target < {TARGET_LOADED_S} s)")
    print(f"{'Explore first draw':<40}{result.explore_s:>8.2f} s (target < {TARGET_EXPLORE_S} s)")
    print(f"{'filter change redrawn in browser':<40}{result.filter_change_s:>8.2f} s (target < {TARGET_FILTER_S} s; "
          f"median of {changes})")  # fmt: skip
    print(f"{'server memory before upload':<40}{result.baseline_mb:>8.0f} MB")
    print(f"{'peak server memory':<40}{result.peak_mb:>8.0f} MB")
    print(f"{'peak memory per 100k dataset':<40}{result.peak_mb - result.baseline_mb:>8.0f} MB")


def print_scale(results: list[dict]) -> None:
    print("\nScale: Explore on synthetic event tables in AppTest (each size in a fresh process)")
    print(f"{'events':>8}{'load (s)':>10}{'filter change (ms)':>20}{'figure JSON (kB)':>18}{'peak memory (MB)':>18}"
          f"{'timeline':>12}")  # fmt: skip
    for result in results:
        view = "counts" if result["aggregated"] else "events"
        print(f"{result['rows']:>8,}{result['load_s']:>10.2f}{result['filter_change_ms']:>20.0f}"
              f"{result['figure_json_kb']:>18,.0f}{result['peak_memory_mb']:>18,.0f}{view:>12}")  # fmt: skip


def browser_measures(loads: int, work_dir: Path) -> None:
    """First views on one app server and one bare server; cold starts on fresh ones, one after the other, while
    those two idle; then the upload on the first app server. Each section is printed as soon as it is measured."""
    upload_csv = write_synthetic_upload(UPLOAD_ROWS, work_dir / "events-100k.csv")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        app, bare = start_streamlit(work_dir), start_streamlit(work_dir, script=BARE_SCRIPT)
        try:
            print_first_views(first_views(browser, app, bare, loads), loads)
            print_cold_start(cold_start(browser, work_dir))
            print_upload(upload_run(browser, app, upload_csv, UPLOAD_ROWS))
        finally:
            app.stop()
            bare.stop()
            browser.close()


def main() -> None:
    quick = "--quick" in sys.argv
    sys.stdout.reconfigure(line_buffering=True)  # each table shows as soon as it is measured, even when piped
    work_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    print(f"(server logs and the upload file in {work_dir})\n")
    print_warm_reruns(warm_reruns(QUICK_RERUNS if quick else RERUNS))
    browser_measures(QUICK_LOADS if quick else LOADS, work_dir)
    print_scale(scale_runs(SCALE_ROWS[:1] if quick else SCALE_ROWS))


if __name__ == "__main__":
    main()
