"""Rerun floods: how long another reader waits for a rerun while one client floods the server with rerun
requests, on this app now, on the app as it was before its defence, and on a one-line Streamlit app.

    uv run python -m bench.flood [--quick] [--before REF]

Not part of `make bench`: a flood on the app as it was takes minutes to drain. Prints, never fails.

Each server is started afresh for each flood. A reader (tests/browser/stream_client.py: the websocket a page
opens, without a browser) reruns the default page a few times with no flood (the median is the quiet time);
then another client floods, and the reader asks for a rerun:
- burst: the flooder sends `BURST` rerun requests at once (the audit's attack), then the reader asks once;
- sustained: the flooder sends `SUSTAIN_PER_S` requests a second for `SUSTAIN_S` seconds, while the reader asks
  once every `READER_EVERY_S` (or as soon as its last rerun ends, if later); its median and worst wait are
  printed. A reader rerunning back to back would meet the app's own limit of two reruns a second and time that. (As fast as the connection takes
  them would be a flood of its own kind: the kernel's buffers take some 400,000 requests in a few seconds,
  which the app as it was would take hours to work through.)
Each is printed beside the same server's quiet time, as a ratio.

The servers:
- the app now: `streamlit run app.py` from this checkout, with its .streamlit/config.toml;
- the app before: the tree at `BEFORE_REF` (the last commit before issue 22), taken out with `git archive`
  and served from its own folder, with its own config and its own `src/` first on the path;
- a one-line app (bench/one_line_app.py) with Streamlit's defaults (served from an empty folder: no config),
  and the same with this app's config (fast reruns off), to show how much of the defence any app can have.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser.harness import REPO_ROOT, SERVER_START_TIMEOUT_S, StreamlitServer, free_port
from tests.browser.stream_client import StreamClient

BEFORE_REF = "3ec23d2"  # the last commit before issue 22; `--before REF` measures another
ONE_LINE_SCRIPT = REPO_ROOT / "bench" / "one_line_app.py"
BURST, QUICK_BURST = 1_000, 200
SUSTAIN_S, QUICK_SUSTAIN_S = 10.0, 4.0
SUSTAIN_PER_S = 100
QUIET_RERUNS = 5
READER_EVERY_S = 1.0  # a quick reader's pace
# How long the reader waits for one rerun before it is reported as "over" this: the app as it was took minutes.
READER_TIMEOUT_S = 300.0
# As tests/browser/harness.py starts a server; the port goes last.
SERVER_OPTIONS = (
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
    "--server.fileWatcherType=none",
    "--server.port",
)


@dataclass(frozen=True)
class Target:
    name: str
    script: Path
    cwd: Path  # where the server starts: its .streamlit/config.toml, if any, is the config
    python_path: Path | None = None  # put first on the path, for a checkout of the app other than this one


@dataclass
class FloodResult:
    target: str
    quiet_s: float
    burst_s: float | None  # None: over READER_TIMEOUT_S
    sustained_s: list[float | None]


def serve(target: Target, log_dir: Path) -> StreamlitServer:
    """Start `target` on a free port from its own folder, log to a file, wait until healthy."""
    port = free_port()
    log_path = log_dir / f"streamlit-{target.name.replace(' ', '-')}-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if target.python_path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target.python_path), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "streamlit", "run", str(target.script), *SERVER_OPTIONS, str(port)]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=target.cwd, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = StreamlitServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"{target.name} did not start:\n{server.log()}")


async def quiet_rerun_s(reader: StreamClient) -> float:
    await reader.rerun(READER_TIMEOUT_S)  # the first run of a session loads what later runs reuse
    times = [await reader.rerun(READER_TIMEOUT_S) for _ in range(QUIET_RERUNS)]
    return statistics.median(t for t in times if t is not None)


async def burst(url: str, reruns: int) -> tuple[float, float | None]:
    async with StreamClient.open(url) as reader, StreamClient.open(url) as flooder:
        quiet_s = await quiet_rerun_s(reader)
        await flooder.flood(reruns)
        return quiet_s, await reader.rerun(READER_TIMEOUT_S)


async def sustained(url: str, seconds: float) -> tuple[float, list[float | None]]:
    async with StreamClient.open(url) as reader, StreamClient.open(url) as flooder:
        quiet_s = await quiet_rerun_s(reader)
        flood = asyncio.create_task(_flood_for(flooder, seconds))
        waits = []
        while not flood.done():
            asked = time.monotonic()
            waits.append(await reader.rerun(READER_TIMEOUT_S))
            if waits[-1] is None:
                break
            await asyncio.sleep(max(0.0, asked + READER_EVERY_S - time.monotonic()))
        flood.cancel()
        return quiet_s, waits


async def _flood_for(flooder: StreamClient, seconds: float) -> None:
    began = time.monotonic()
    for tick in range(round(seconds * 10)):
        await flooder.flood(SUSTAIN_PER_S // 10)
        await asyncio.sleep(max(0.0, began + (tick + 1) / 10 - time.monotonic()))


def measure(target: Target, log_dir: Path, reruns: int, seconds: float) -> FloodResult:
    server = serve(target, log_dir)
    try:
        quiet_s, burst_s = asyncio.run(burst(server.url, reruns))
    finally:
        server.stop()
    server = serve(target, log_dir)
    try:
        _, waits = asyncio.run(sustained(server.url, seconds))
    finally:
        server.stop()
    return FloodResult(target.name, quiet_s, burst_s, waits)


def checkout(ref: str, folder: Path) -> Path:
    """The repository's tree at `ref`, written out to `folder`."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=REPO_ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def targets(before_ref: str, work_dir: Path) -> list[Target]:
    before = checkout(before_ref, work_dir / "before")
    empty = work_dir / "no-config"
    empty.mkdir()
    return [
        Target("app now", REPO_ROOT / "app.py", REPO_ROOT),
        Target(f"app before ({before_ref})", before / "app.py", before, python_path=before / "src"),
        Target("one-line app, Streamlit defaults", ONE_LINE_SCRIPT, empty),
        Target("one-line app, this app's config", ONE_LINE_SCRIPT, REPO_ROOT),
    ]


def _seconds(value: float | None) -> str:
    return f">{READER_TIMEOUT_S:.0f}" if value is None else f"{value:.2f}"


def _ratio(value: float | None, quiet_s: float) -> str:
    return f">{READER_TIMEOUT_S / quiet_s:.0f}x" if value is None else f"{value / quiet_s:.1f}x"


COLUMNS = (
    ("server", 36),
    ("quiet", 7),
    ("burst", 9),
    ("ratio", 9),
    ("sustained median", 18),
    ("worst", 8),
    ("ratio", 9),
)


def _row(cells: list[str]) -> str:
    return "".join(
        cell.ljust(width) if n == 0 else cell.rjust(width)
        for n, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    )


def print_results(results: list[FloodResult], reruns: int, seconds: float) -> None:
    print(
        f"\nAnother reader's rerun of the default page (s): quiet; right after one client sent {reruns:,} "
        f"reruns at once (burst); while one client sent reruns for {seconds:.0f} s, "
        f"{SUSTAIN_PER_S} a second (sustained)"
    )
    print(_row([name for name, _ in COLUMNS]))
    for result in results:
        finished = [wait for wait in result.sustained_s if wait is not None]
        median = statistics.median(finished) if finished else None
        worst = None if None in result.sustained_s or not finished else max(finished)
        burst_cells = [_seconds(result.burst_s), _ratio(result.burst_s, result.quiet_s)]
        sustained_cells = [_seconds(median), _seconds(worst), _ratio(worst, result.quiet_s)]
        print(_row([result.target, f"{result.quiet_s:.2f}", *burst_cells, *sustained_cells]))


def main() -> None:
    quick = "--quick" in sys.argv
    before_ref = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BEFORE_REF
    reruns, seconds = (QUICK_BURST, QUICK_SUSTAIN_S) if quick else (BURST, SUSTAIN_S)
    sys.stdout.reconfigure(line_buffering=True)
    work_dir = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    print(f"(server logs in {work_dir})")
    results = []
    for target in targets(before_ref, work_dir):
        results.append(measure(target, work_dir, reruns, seconds))
        print(f"measured: {target.name}")
    print_results(results, reruns, seconds)


if __name__ == "__main__":
    main()
