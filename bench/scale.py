"""Scale: Explore on synthetic event tables of growing size, each size in a fresh Python process
(bench/scale_one.py) so that its peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SCALE_ROWS = (1_000, 10_000, 100_000)


def scale_runs(sizes: tuple[int, ...] = SCALE_ROWS) -> list[dict]:
    """Per size: Explore's load, a filter-change rerun, the figures' JSON size and peak memory."""
    results = []
    for rows in sizes:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.scale_one", str(rows)],
            cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        results.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    return results
