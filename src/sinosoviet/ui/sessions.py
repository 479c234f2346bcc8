"""A reader's session from start to end: memory given back when the reader leaves, and a notice when a page
outlived its session.

Memory. Streamlit keeps a disconnected session (its state, its uploaded files, its tables) for
`server.disconnectedSessionTTL` seconds, so that a reader whose connection drops for a moment can carry on.
When that time runs out, Streamlit 1.67 only forgets the session: it never shuts it down, so the session's
uploaded files stay in the upload store for the life of the process, and its state until some later visitor
happens to disconnect. (It also forgets the oldest disconnected sessions early, unclosed, once it holds 128.)
On a public server every reader who uploaded a file would leak it. So `follow_sessions` hooks the runtime's
own connect and disconnect: when a session disconnects, Streamlit's shutdown (`Runtime.close_session`, which
frees the state, the uploaded files and the media and table data) is scheduled for just before that time
runs out; a reconnect cancels it, so a reader who drops, comes back and drops again has the whole time from
their last disconnect. The hooks see every session, whether or not it ran the script since it reconnected.
(Before, a session-scoped cache entry's release scheduled the close: a reconnect never cancelled it, and a
session that came back without a rerun had no entry left, so nothing closed it when it left again.)
The hooks are installed by `sinosoviet.ui.server_guard` on the first script run of the process: see its
module doc for what that leaves uncovered on a fresh server.

Stale pages. After the server restarts (or a session is closed while its tab stays open), the browser
reconnects to a new, empty session but keeps showing the old page; its next click runs that page in the new
session without the old one's upload or the change just made. Such a first run is recognisable: the browser
sends the values of widgets this session never drew. The page then says plainly what happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import functools
import gc
from collections.abc import Callable
from typing import Any

import pyarrow
import streamlit as st
from streamlit.logger import get_logger
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Streamlit's own logger, so that these lines reach the server's log at its level (info by default).
_LOGGER = get_logger(__name__)

# How long before Streamlit would forget a disconnected session it is closed: after the time runs out the
# session can no longer be found, and so no longer be shut down.
CLOSE_BEFORE_EXPIRY_S = 1.0
RELEASE_AFTER_S = 1.0  # after the last of a burst of closes, memory is handed back once
_SESSION_BEGAN = "_session_began"
_RESUMED_NOTICE = "_resumed_notice"
# Names of the session-state entries to drop from a closed session, registered by `watch_session`: the same
# names for every session, and never their values.
_HEAVY_KEYS: set[str] = set()


def close_after_s() -> float:
    """How long after its reader left a session is closed."""
    return max(st.get_option("server.disconnectedSessionTTL") - CLOSE_BEFORE_EXPIRY_S, 0.0)


def short_id(session_id: str) -> str:
    # Enough to follow a session through the log; a whole id would let anyone who reads the log resume it.
    return session_id[:8]


class SessionCloser:
    """Closes each disconnected session just before Streamlit would forget it, unless its reader came back.

    One pending close per session, kept until it runs or is cancelled. Runs on the server's event loop, where
    the runtime connects and disconnects sessions.
    """

    def __init__(self, runtime: Runtime, delay_s: Callable[[], float] = close_after_s) -> None:
        self._runtime = runtime
        self._delay_s = delay_s
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._release: asyncio.TimerHandle | None = None

    def pending(self) -> set[str]:
        """The sessions waiting to be closed."""
        return set(self._pending)

    def left(self, session_id: str, state: Any) -> None:
        """The session's reader disconnected: close it (with `state`, its state object) once the time is up."""
        self.came_back(session_id, quietly=True)
        delay_s = self._delay_s()
        loop = asyncio.get_running_loop()
        self._pending[session_id] = loop.call_later(delay_s, self._close_if_abandoned, session_id, state)
        _LOGGER.info(
            "Session %s left: closing it in %.0f s unless it comes back", short_id(session_id), delay_s
        )

    def came_back(self, session_id: str, quietly: bool = False) -> None:
        """The session reconnected: it is no longer to be closed."""
        if (timer := self._pending.pop(session_id, None)) is not None:
            timer.cancel()
            if not quietly:
                _LOGGER.info("Session %s came back", short_id(session_id))

    def _close_if_abandoned(self, session_id: str, state: Any) -> None:
        del self._pending[session_id]
        if self._runtime.is_active_session(session_id):  # reconnected in a way the hooks did not see
            return
        files = getattr(self._runtime.uploaded_file_mgr, "file_storage", {}).get(session_id, {})
        file_count, file_bytes = len(files), sum(len(file.data) for file in files.values())
        self._runtime.close_session(session_id)
        # Streamlit may have forgotten the session already (it keeps at most 128): its files go all the same.
        self._runtime.uploaded_file_mgr.remove_session_files(session_id)
        # Streamlit's server loop keeps a reference to the last session it served, closed or not, until it
        # serves another: what that session held must not be kept with it.
        for key in _HEAVY_KEYS:
            if key in state:
                del state[key]
        _LOGGER.info(
            "Closed session %s: its reader did not come back. Uploaded files freed: %d (%.1f MB)",
            short_id(session_id),
            file_count,
            file_bytes / 2**20,
        )
        if self._release is not None:
            self._release.cancel()
        self._release = asyncio.get_running_loop().call_later(RELEASE_AFTER_S, give_memory_back)


def follow_sessions(runtime: Runtime, closer: SessionCloser | None = None) -> SessionCloser:
    """Hook the runtime's connect and disconnect so that every session is closed once its reader has left for
    good (see the module doc). Call once per runtime: each call wraps the methods again."""
    closer = closer or SessionCloser(runtime)
    connect_session, disconnect_session = runtime.connect_session, runtime.disconnect_session

    def connect_and_follow(*args, **kwargs) -> str:
        session_id = connect_session(*args, **kwargs)
        closer.came_back(session_id)
        return session_id

    def disconnect_and_follow(session_id: str, *args, **kwargs) -> None:
        # Taken before: a disconnected session is no longer the runtime's to hand out.
        session = runtime.get_app_session(session_id)
        disconnect_session(session_id, *args, **kwargs)
        # A websocket that closes after its session has moved to a newer one disconnects nothing.
        if session is not None and not runtime.is_active_session(session_id):
            closer.left(session_id, session.session_state)

    runtime.connect_session, runtime.disconnect_session = connect_and_follow, disconnect_and_follow
    return closer


_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD = 256 * 1024


@functools.cache
def tune_allocators() -> None:
    """Make the memory a session frees go back to the operating system; once per process.

    A session's big buffers (its table's columns, its figures' JSON, the messages sent to the browser) are
    allocated and freed many times over. glibc's malloc serves blocks over 128 KB by mapping fresh memory and
    unmaps them when freed, but each such free raises that threshold, so after a few uploads the big buffers come
    from the heap and leave it in pieces that cannot be handed back. A fixed threshold keeps them mapped.
    Pyarrow, which holds pandas' text columns, allocates from its own pool (mimalloc), which keeps what it frees;
    told to use malloc instead, its buffers follow the same rule. (The same could be had by starting the server
    with environment variables, which Community Cloud gives no way to set.)
    """
    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
    with contextlib.suppress(OSError, AttributeError):  # not glibc: its own allocator, nothing to tune
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def give_memory_back() -> None:
    """Return freed memory to the operating system, so a closed session's memory shows as free again.

    Freed small blocks stay with glibc's malloc for reuse, and on a small shared server that memory would be
    lost to everything else on the machine until the process restarts; trimming hands back every free page.
    Pyarrow's own pool, used before `tune_allocators` switched it to malloc, is emptied too.
    """
    gc.collect()  # a session's objects form cycles that reference counting alone does not free
    pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, Alpine's musl): nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def watch_session(*heavy_keys: str) -> None:
    """Have the session-state entries named dropped from a session once it is closed (see the module doc):
    every session is closed once its reader has left for good, whether or not it calls this."""
    _HEAVY_KEYS.update(heavy_keys)


def note_resumed_page() -> None:
    """On a session's first run, notice a page left over from an earlier session (see the module doc)."""
    if st.session_state.get(_SESSION_BEGAN):
        return
    st.session_state[_SESSION_BEGAN] = True
    context = get_script_run_ctx()
    if context is not None and context.session_state.get_widget_states():
        st.session_state[_RESUMED_NOTICE] = True


def show_resumed_notice() -> None:
    """Say why the page changed under the reader, until they dismiss it."""
    if not st.session_state.get(_RESUMED_NOTICE):
        return
    with st.container(border=True, key="resumed_notice"):
        st.warning(
            "**This page was reloaded.** The app's server restarted, or you were away long enough for your "
            "session to end, so your last change was not applied: the view was restored from the address "
            "bar. If you had uploaded your own events, upload the file again on *Your events*.",
            icon=":material/refresh:",
        )
        st.button(
            "OK", key="dismiss_resumed_notice", on_click=st.session_state.pop, args=(_RESUMED_NOTICE, None)
        )
