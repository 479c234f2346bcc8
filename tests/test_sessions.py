"""Unit tests for closing sessions once their readers have left (sinosoviet.ui.sessions), on a stand-in runtime
and an event loop, with the two minutes made a few hundredths of a second."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from sinosoviet.ui.sessions import SessionCloser, follow_sessions, watch_session
from tests.conftest import run_async

# Stands in for server.disconnectedSessionTTL less a second. Long enough that a loaded machine (two test workers
# and a browser on two cores) oversleeping a wait by a tenth of a second cannot turn one step into the next: at
# 0.05 s a second disconnect was once closed early (seed 466652293).
DELAY_S = 0.4


@dataclass
class FakeSession:
    id: str
    session_state: dict = field(default_factory=dict)


class FakeRuntime:
    """What the closer uses of Streamlit's Runtime: sessions connect, disconnect (kept for a reconnect) and
    close."""

    def __init__(self) -> None:
        self.active: dict[str, FakeSession] = {}
        self.stored: dict[str, FakeSession] = {}
        self.closed: list[str] = []
        self.uploaded_file_mgr = MemoryUploadedFileManager("/_stcore/upload_file")

    def connect_session(self, existing_session_id: str | None = None, new_id: str = "new") -> str:
        session = self.stored.pop(existing_session_id, None) or FakeSession(new_id)
        self.active[session.id] = session
        return session.id

    def disconnect_session(self, session_id: str, client=None) -> None:
        if session_id in self.active:
            self.stored[session_id] = self.active.pop(session_id)

    def get_app_session(self, session_id: str) -> FakeSession | None:
        return self.active.get(session_id)

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active

    def close_session(self, session_id: str) -> None:
        if self.stored.pop(session_id, None) is not None:
            self.closed.append(session_id)
            self.uploaded_file_mgr.remove_session_files(session_id)


def _run(scenario) -> None:
    run_async(scenario())


async def _after(seconds: float) -> None:
    await asyncio.sleep(seconds)


def test_a_session_is_closed_once_its_reader_has_been_away_the_whole_time():
    """Test that a disconnected session is closed after the delay, not before."""
    runtime = FakeRuntime()
    follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        runtime.disconnect_session(session_id)
        await _after(DELAY_S / 2)
        assert runtime.closed == []
        await _after(DELAY_S)
        assert runtime.closed == ["reader"]

    _run(scenario)


def test_a_reconnect_cancels_the_pending_close():
    """Test that a reader who comes back within the time keeps their session however long they stay."""
    runtime = FakeRuntime()
    closer = follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        runtime.disconnect_session(session_id)
        runtime.connect_session(existing_session_id=session_id)
        assert closer.pending() == set()
        await _after(3 * DELAY_S)
        assert runtime.closed == []

    _run(scenario)


def test_a_second_disconnect_gives_the_whole_time_again():
    """Test that a reader who drops, comes back and drops again has the whole time from the last disconnect:
    the first disconnect's close never runs (it did, and took the upload early, before issue 22)."""
    runtime = FakeRuntime()
    follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        runtime.disconnect_session(session_id)
        await _after(DELAY_S * 0.6)
        runtime.connect_session(existing_session_id=session_id)
        runtime.disconnect_session(session_id)
        await _after(DELAY_S * 0.6)  # past the first disconnect's time, within the second's
        assert runtime.closed == []
        await _after(DELAY_S)
        assert runtime.closed == ["reader"]

    _run(scenario)


def test_a_session_that_came_back_without_a_rerun_is_closed_when_it_leaves():
    """Test that a session is followed through its connections, not its script runs: one that reconnected and
    never ran the script again is still closed when it leaves for good (before issue 22 it never was)."""
    runtime = FakeRuntime()
    follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        runtime.disconnect_session(session_id)
        runtime.connect_session(existing_session_id=session_id)
        await _after(2 * DELAY_S)  # connected through the time the first close would have taken
        runtime.disconnect_session(session_id)
        await _after(2 * DELAY_S)
        assert runtime.closed == ["reader"]

    _run(scenario)


def test_a_stale_websocket_closing_leaves_a_reconnected_session_alone():
    """Test that when a websocket closes after its session moved to a newer one (the runtime disconnects
    nothing), no close is scheduled."""
    runtime = FakeRuntime()
    runtime.disconnect_session = lambda session_id, client=None: None  # the session stays with its new client
    closer = follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        runtime.disconnect_session(session_id, client="the old websocket")
        assert closer.pending() == set()

    _run(scenario)


def test_closing_frees_the_files_and_the_heavy_state_even_of_a_session_streamlit_forgot():
    """Test that a closed session's uploaded files and registered heavy entries go, even when Streamlit had
    already dropped the session from its store (it keeps at most 128) and so closes nothing itself."""
    runtime = FakeRuntime()
    follow_sessions(runtime, SessionCloser(runtime, lambda: DELAY_S))
    watch_session("upload_dataset")

    async def scenario():
        session_id = runtime.connect_session(new_id="reader")
        session = runtime.active[session_id]
        session.session_state.update(upload_dataset="a big table", page="explore")
        runtime.uploaded_file_mgr.add_file(
            session_id, UploadedFileRec("file", "mine.csv", "text/csv", b"x" * 10)
        )
        runtime.disconnect_session(session_id)
        runtime.stored.clear()  # forgotten by Streamlit, unclosed
        await _after(2 * DELAY_S)
        assert runtime.uploaded_file_mgr.get_files(session_id, ["file"]) == []
        assert session.session_state == {"page": "explore"}

    _run(scenario)
