"""What a hostile upload costs: bounded by the limits (rows, problems listed, characters quoted), not by the file.

An attack audit (issue 22) sent one 20 MB file whose actors cell was `a;a;a;…`, about ten million unknown ids:
every id became a problem before the thousand-problem cap applied, and the server spent 40 s and 3,982 MB on
it. The measured test runs the upload in a fresh Python process, as a server would meet the file, and reads
that process's peak memory, which includes the interpreter, pandas and the bundled data (about 170 MB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from sinosoviet.loaders import DATA_DIR_VARIABLE, load_dataset
from sinosoviet.upload import MAX_UPLOAD_BYTES, load_upload
from tests.conftest import REAL_DATA_DIR
from tests.test_upload import GOOD_ROW

MAX_SECONDS = 5
MAX_PEAK_MB = 300
MAX_PROBLEM_TEXT = 300_000  # characters of all messages together: a thousand short lines

_MEASURE = """
import json, pathlib, resource, sys, time
from sinosoviet.loaders import load_dataset
from sinosoviet.upload import load_upload


def peak_mb():
    # Linux's VmHWM is this program's own peak. ru_maxrss is not: a child started by a big process (pytest,
    # holding the file it wrote) inherits its parent's peak across exec.
    status = pathlib.Path("/proc/self/status")
    if status.exists():
        line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 2**10
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # bytes on macOS
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


bundled = load_dataset()
with open(sys.argv[1], "rb") as file:
    content = file.read()
started = time.perf_counter()
result = load_upload(sys.argv[1], content, bundled)
seconds = time.perf_counter() - started
problems = [[problem.rule, problem.message, str(problem)] for problem in result.problems]
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "problems": problems}))
"""


@pytest.fixture(scope="module")
def bundled():
    return load_dataset(REAL_DATA_DIR)


def as_csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def filling(rows: list[dict], column: str, unit: str, fill_to: int = MAX_UPLOAD_BYTES) -> list[dict]:
    """The rows with `unit` repeated in one column of the first row, so that the file is just under `fill_to`."""
    spare = fill_to - len(as_csv(rows)) - 16 * len(rows[0])  # room for the quotes pandas may add
    return [{**rows[0], column: unit * (spare // len(unit.encode()))}, *rows[1:]]


def ten_million_ids() -> bytes:
    content = as_csv(filling([GOOD_ROW], "actors", "a;"))
    assert content.count(b"a;") > 9_900_000
    assert len(content) <= MAX_UPLOAD_BYTES
    return content


def measured_in_a_fresh_process(path) -> dict:
    environment = {**os.environ, DATA_DIR_VARIABLE: str(REAL_DATA_DIR)}
    finished = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        env=environment,
        timeout=120,
        check=True,
    )
    return json.loads(finished.stdout)


def test_ten_million_unknown_ids_are_refused_within_five_seconds_and_300_mb(tmp_path):
    """Regression (issue 22): one cell of ten million unknown ids, a 20 MB file, took 40 s and peaked at 3,982 MB
    with one problem record per id. It is refused in a fresh process within 5 s at under 300 MB, in a few short
    lines."""
    path = tmp_path / "ten-million-ids.csv"
    path.write_bytes(ten_million_ids())
    measured = measured_in_a_fresh_process(path)
    assert measured["seconds"] < MAX_SECONDS, measured["seconds"]
    assert measured["peak_mb"] < MAX_PEAK_MB, measured["peak_mb"]
    assert 1 <= len(measured["problems"]) <= 5, measured["problems"]
    assert sum(len(text) for _rule, _message, text in measured["problems"]) < 1_000


# Other columns, other shapes: each just under the size limit.
HOSTILE_FILES = {
    "a giant cell in every id column": lambda: as_csv([
        {**GOOD_ROW, **{column: "x;" * 1_400_000 for column in
                        ("id", "place_id", "origin_place_id", "destination_place_id", "related_place_ids",
                         "actors", "source_ids")}}
    ]),
    "a 20 MB title": lambda: as_csv(filling([GOOD_ROW], "title", "x")),
    "a 20 MB certainty note on a contested event": lambda: as_csv(
        filling([{**GOOD_ROW, "certainty": "contested"}], "certainty_note", "y")
    ),
    "a cell of ten million full-width ids": lambda: as_csv(filling([GOOD_ROW], "source_ids", "ａ；")),
    "ten million unknown ids in JSON": lambda: json.dumps(filling([GOOD_ROW], "related_place_ids", "a;")).encode(),
    "many rows, each with a long bad value": lambda: as_csv([
        {**GOOD_ROW, "id": f"e{number}", "kind": "k" * 150, "date_precision": "d" * 100, "actors": "zz;" * 20}
        for number in range(40_000)
    ]),
    "many rows, each with its own unknown ids": lambda: as_csv([
        {**GOOD_ROW, "id": f"e{number}", "actors": ";".join(f"p{number}-{i}" for i in range(60))}
        for number in range(20_000)
    ]),
}  # fmt: skip


@pytest.mark.parametrize("make", HOSTILE_FILES.values(), ids=HOSTILE_FILES)
def test_a_hostile_file_is_refused_quickly_in_a_few_short_lines(bundled, make):
    """Test that giant cells in any column, and many rows each wrong, are refused quickly, and their report is at
    most a thousand short lines and one saying there are more."""
    content = make()
    assert len(content) <= MAX_UPLOAD_BYTES
    started = time.perf_counter()
    result = load_upload("hostile.json" if content.startswith(b"[") else "hostile.csv", content, bundled)
    assert time.perf_counter() - started < MAX_SECONDS
    assert result.dataset is None
    assert 1 <= len(result.problems) <= 1_001
    assert sum(len(str(problem)) for problem in result.problems) < MAX_PROBLEM_TEXT
    assert max(len(problem.message) for problem in result.problems) < 300
