"""Rerun floods: how long another reader waits for a rerun while one client floods the server with rerun
requests, on this app now, on the app as it was before issue 22, and on a one-line Streamlit app.

    uv run python -m bench.flood [--quick] [--before REF]

Not part of `make bench`: a flood on the app as it was takes minutes to work through. Prints, never fails.

Each server is started afresh for each flood. A reader (tests/browser/stream_client.py: the websocket a page
opens, without a browser) reruns the default page a few times with no flood (the median is the quiet time);
then another client floods the server with rerun requests, connecting again whenever the server drops it, as
a determined client would:
- 1,000 at once (the audit's attack), after which the reader asks once;
- 100 a second for 10 s, and as fast as the connection takes them for 5 s; the reader asks once a second
  meanwhile (a reader asking back to back would meet the app's own limit of two reruns a second, and time
  that) and once more right after, when whatever the server still has to read tells.
The reader's worst wait is printed beside the server's quiet time, as a ratio, with the connections the
flooder needed. A wait past `READER_TIMEOUT_S` is printed as over it.

The servers:
- the app now: `streamlit run app.py` from this checkout, with its .streamlit/config.toml;
- the app before: the tree at `BEFORE_REF` (the last commit before issue 22), taken out with `git archive`
  and served from its own folder, with its own config and its own `src/` first on the path;
- a one-line app (bench/one_line_app.py) with Streamlit's defaults (served from an empty folder: no config),
  and the same with this app's config (fast reruns off), to show how much of the defence any app can have.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from tests.browser.harness import REPO_ROOT, SERVER_START_TIMEOUT_S, StreamlitServer, free_port
from tests.browser.stream_client import StreamClient

BEFORE_REF = "3ec23d2"  # the last commit before issue 22; `--before REF` measures another
ONE_LINE_SCRIPT = REPO_ROOT / "bench" / "one_line_app.py"
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


@dataclass(frozen=True)
class Flood:
    name: str
    batch: int  # rerun requests sent at once
    every_s: float  # from one batch to the next; 0: as soon as the connection has taken the last
    seconds: float  # for how long; 0: one batch


FLOODS = (
    Flood("1,000 at once", 1_000, 0, 0),
    Flood("100 a second, 10 s", 10, 0.1, 10),
    Flood("as fast as taken, 5 s", 50, 0, 5),
)
QUICK_FLOODS = (
    Flood("200 at once", 200, 0, 0),
    Flood("100 a second, 3 s", 10, 0.1, 3),
    Flood("as fast as taken, 2 s", 50, 0, 2),
)


@dataclass
class FloodResult:
    target: str
    flood: str
    quiet_s: float
    waits: list[float | None]  # None: over READER_TIMEOUT_S
    connections: int  # the flooder needed


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


async def send_flood(url: str, flood: Flood, sent: asyncio.Event, leave: asyncio.Event) -> int:
    """Send `flood`, connecting again whenever the server drops the connection, and stay connected until told
    to leave (a client that left would take what the server has not read yet with it); set `sent` once it is
    all sent. Returns the connections it took."""
    began, batches, connections = time.monotonic(), 0, 0

    def more() -> bool:
        return batches == 0 if flood.seconds == 0 else time.monotonic() - began < flood.seconds

    while more():
        connections += 1
        try:
            async with StreamClient.open(url) as flooder:
                while more():
                    await flooder.flood(flood.batch)
                    batches += 1
                    await asyncio.sleep(max(0.0, began + batches * flood.every_s - time.monotonic()))
                sent.set()
                await leave.wait()
        except (ConnectionClosed, OSError):
            batches += 1  # what the connection had taken went with it
    sent.set()
    return connections


async def reader_waits(url: str, flood: Flood) -> tuple[float, list[float | None], int]:
    """The reader's quiet time, its waits during `flood` and right after, and the connections the flood took."""
    async with StreamClient.open(url) as reader:
        quiet_s = await quiet_rerun_s(reader)  # its first run also puts the app's limits on the server
        sent, leave = asyncio.Event(), asyncio.Event()
        flooding = asyncio.create_task(send_flood(url, flood, sent, leave))
        waits: list[float | None] = []
        if flood.seconds == 0:
            await sent.wait()
        while not sent.is_set() and None not in waits:
            await asyncio.sleep(READER_EVERY_S)
            waits.append(await reader.rerun(READER_TIMEOUT_S))
        if None not in waits:
            waits.append(await reader.rerun(READER_TIMEOUT_S))
        leave.set()
        if None in waits:  # the server is too busy to take what the flooder still sends
            flooding.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            return quiet_s, waits, await flooding
        return quiet_s, waits, 0


def measure(target: Target, flood: Flood, log_dir: Path) -> FloodResult:
    server = serve(target, log_dir)
    try:
        quiet_s, waits, connections = asyncio.run(reader_waits(server.url, flood))
    finally:
        server.stop()
    return FloodResult(target.name, flood.name, quiet_s, waits, connections)


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


COLUMNS = (("server", 36), ("flood", 24), ("quiet", 7), ("worst", 8), ("ratio", 9), ("connections", 13))


def _row(cells: list[str]) -> str:
    return "".join(
        cell.ljust(width) if n < 2 else cell.rjust(width)
        for n, (cell, (_, width)) in enumerate(zip(cells, COLUMNS, strict=True))
    )


def result_row(result: FloodResult) -> str:
    worst = None if None in result.waits else max(result.waits)
    wait = f">{READER_TIMEOUT_S:.0f}" if worst is None else f"{worst:.2f}"
    ratio = (
        f">{READER_TIMEOUT_S / result.quiet_s:.0f}x" if worst is None else f"{worst / result.quiet_s:.1f}x"
    )
    connections = "?" if result.connections == 0 else str(result.connections)
    return _row([result.target, result.flood, f"{result.quiet_s:.2f}", wait, ratio, connections])


def print_results(results: list[FloodResult]) -> None:
    print(
        "\nAnother reader's rerun of the default page while one client floods the server with rerun requests "
        "(s): quiet, and its worst wait during the flood or right after; the connections the flooder needed"
    )
    print(_row([name for name, _ in COLUMNS]))
    for result in results:
        print(result_row(result))


def main() -> None:
    floods = QUICK_FLOODS if "--quick" in sys.argv else FLOODS
    before_ref = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else BEFORE_REF
    sys.stdout.reconfigure(line_buffering=True)
    work_dir = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    print(f"(server logs in {work_dir})")
    results = []
    for target in targets(before_ref, work_dir):
        for flood in floods:
            results.append(measure(target, flood, work_dir))
            print(result_row(results[-1]))
    print_results(results)


if __name__ == "__main__":
    main()
