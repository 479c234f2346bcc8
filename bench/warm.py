"""Warm reruns: each page's script rerun in one process by AppTest, beside a floor (bench/floor_app.py) drawing as
many Plotly Express charts and tables from as many rows. Page and floor alternate after warm-up runs, so both
run with full caches and a change in the machine's load hits both alike; medians are reported."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[1]
FLOOR_SCRIPT = REPO_ROOT / "bench" / "floor_app.py"
WARMUP_RUNS = 3
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


@dataclass(frozen=True)
class WarmRerun:
    page: str
    page_s: float
    floor_s: float


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


def warm_reruns(runs: int) -> list[WarmRerun]:
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
        results.append(
            WarmRerun(Path(page).stem, statistics.median(page_times), statistics.median(floor_times))
        )
    return results
