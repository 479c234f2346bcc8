"""One scale measurement, in its own process: `python -m bench.scale_one ROWS` prints one JSON line."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench.synthetic import write_synthetic_data
from sinosoviet.figures.map import build_map
from sinosoviet.figures.timeline import build_timeline, is_aggregated
from sinosoviet.loaders import DATA_DIR_VARIABLE, load_dataset

REPO_ROOT = Path(__file__).resolve().parents[1]
# Filter changes measured one after another: each is new to the caches, as a reader's next click would be.
FILTER_CHANGES = (
    ["telegram"],
    ["meeting", "travel"],
    ["treaty", "press"],
    ["decision"],
    ["military", "letter"],
)


def main(rows: int) -> dict:
    folder = write_synthetic_data(rows, Path(tempfile.mkdtemp()))
    os.environ[DATA_DIR_VARIABLE] = str(folder)
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
    started = time.perf_counter()
    app.run()
    app.switch_page("pages/explore.py")
    app.run()
    load_s = time.perf_counter() - started
    changes = []
    for kinds in FILTER_CHANGES:
        app.multiselect(key="filter_kinds").set_value(kinds)
        begin = time.perf_counter()
        app.run()
        changes.append(time.perf_counter() - begin)
        if app.exception:
            raise RuntimeError(app.exception)
    dataset = load_dataset(folder)
    timeline = build_timeline(dataset.events)
    json_bytes = len(timeline.to_json()) + len(
        build_map(dataset.events, dataset.places, dataset.routes).to_json()
    )
    return {
        "rows": rows,
        "load_s": load_s,
        "filter_change_ms": statistics.median(changes) * 1000,
        "figure_json_kb": json_bytes / 1024,
        "peak_memory_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "aggregated": is_aggregated(timeline),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
