"""Shared fixtures: paths to the real data and to the tiny fixture tables, and a way to break a copy of them."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pytest

# The full run (`make test-all`, what CI runs) sets this: property tests draw all their examples, and tests
# marked `full` run too (the Makefile chooses them).
T = TypeVar("T")
FULL_RUN = os.environ.get("SINOSOVIET_FULL_RUN") == "1"


def examples(full: int) -> int:
    """How many examples a property test draws: `full` in the full run, a fifth of that (at least 5) in the fast
    default run."""
    return full if FULL_RUN else max(5, full // 5)


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on a thread of its own, and return what it returns.

    pytest-playwright's sync API keeps an event loop running on the test thread once a browser test has run
    there, and asyncio.run() refuses to start another beside it: a test run on its own thread passes or fails
    whatever ran before it on the same worker.
    """
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


REPO_ROOT = Path(__file__).resolve().parents[1]
REAL_DATA_DIR = REPO_ROOT / "data"
FIXTURE_DATA_DIR = Path(__file__).resolve().parent / "fixtures" / "valid"


@pytest.fixture
def fixture_data_dir() -> Path:
    return FIXTURE_DATA_DIR


@pytest.fixture
def broken_data_dir(tmp_path: Path) -> Callable[[str, Callable[[pd.DataFrame], pd.DataFrame]], Path]:
    """Copy the fixture tables to a temporary folder, apply `change` to one table, and return the folder."""

    def make(filename: str, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
        target = tmp_path / "data"
        shutil.copytree(FIXTURE_DATA_DIR, target, dirs_exist_ok=True)
        table = pd.read_csv(target / filename, dtype=str, keep_default_na=False)
        change(table).to_csv(target / filename, index=False)
        return target

    return make


def refuse_to_read(monkeypatch, filename: str) -> None:
    """Make reading `filename` fail as a file without read permission does (tests run as root, which may read
    anything, so the permission itself cannot be taken away)."""
    read_csv = pd.read_csv

    def refusing(path, *args, **kwargs):
        if str(path).endswith(filename):
            raise PermissionError(13, "Permission denied", str(path))
        return read_csv(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", refusing)


LOG_TAIL_LINES = 40


def pytest_terminal_summary(terminalreporter, config):
    """After a failed browser test, say where its trace, screenshot and server log are, and show the log's end.

    CI keeps only what the run prints, so the end of each kept server log is printed too.
    """
    output = Path(config.getoption("--output", "test-results"))
    folders = sorted(path for path in output.iterdir() if path.is_dir()) if output.is_dir() else []
    if not folders:
        return
    terminalreporter.section("what the failed browser tests left")
    terminalreporter.write_line(f"Screenshots, server logs and any Playwright traces (open one with `uv run playwright "
                                f"show-trace FILE`) are in {output.resolve()}:")  # fmt: skip
    for folder in folders:
        for path in sorted(folder.iterdir()):
            terminalreporter.write_line(f"  {path.relative_to(output)}")
            if path.suffix == ".log":
                tail = path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
                terminalreporter.write_line("\n".join(f"    | {line}" for line in tail))
