"""Benchmarks: print how the app's pages compare with a naive floor, as ratios measured side by side.

    make bench            (or: uv run python -m bench.run)

Never a timed test: the numbers depend on the machine, so they are printed, not asserted. Each measurement
alternates page and baseline runs in the same process, after warm-up runs, and reports medians.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[1]
WARMUP_RUNS = 3
MEASURED_RUNS = 15


def _app_on(page: str | None) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    return app


def _timed_run(app: AppTest) -> float:
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    assert not app.exception, app.exception
    return elapsed


def warm_rerun_ratio(page: str, baseline_script: str) -> tuple[float, float]:
    """Median warm rerun of a page and of its baseline script, alternating so both see the same machine."""
    app = _app_on(page)
    baseline = AppTest.from_file(str(REPO_ROOT / "bench" / baseline_script), default_timeout=60)
    for _ in range(WARMUP_RUNS):
        _timed_run(app)
        _timed_run(baseline)
    page_times, baseline_times = [], []
    for _ in range(MEASURED_RUNS):
        page_times.append(_timed_run(app))
        baseline_times.append(_timed_run(baseline))
    return statistics.median(page_times), statistics.median(baseline_times)


def main() -> None:
    print(f"{'benchmark':<34}{'page (ms)':>11}{'floor (ms)':>12}{'ratio':>8}")
    for label, page, baseline in (("Explore warm rerun", "pages/explore.py", "baseline_explore.py"),):
        page_s, floor_s = warm_rerun_ratio(page, baseline)
        print(f"{label:<34}{page_s * 1000:>11.1f}{floor_s * 1000:>12.1f}{page_s / floor_s:>8.2f}")


if __name__ == "__main__":
    main()
