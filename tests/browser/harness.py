"""Start the real app and a headless Chromium: shared by the browser tests and the screenshot tool.

Playwright's own browser download cannot work on these machines, so we drive Debian's Chromium through
`executable_path`, falling back to a Playwright-managed browser where one is installed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Without the background-networking flags Chromium keeps trying to reach Google on a machine with no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SERVER_START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_streamlit(
    log_dir: Path, env_overrides: dict[str, str] | None = None, script: str = "app.py"
) -> StreamlitServer:
    """Start `streamlit run app.py` (or another script) on a free port, log to a file, wait until healthy."""
    port = free_port()
    log_path = Path(log_dir) / f"streamlit-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_overrides or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = StreamlitServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.log()}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy in {SERVER_START_TIMEOUT_S}s:\n{server.log()}")


def chromium_path() -> str | None:
    found = next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)
    return found or shutil.which("chromium")


def launch_chromium(playwright):
    """Launch Debian's Chromium if present, else Playwright's managed one; raises playwright's Error if neither."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script and drawn the page's heading."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )
