"""A reader's session from start to end: memory given back when the reader leaves, and a notice when a page
outlived its session.

Memory. Streamlit keeps a disconnected session (its state, its uploaded files, its tables) for
`server.disconnectedSessionTTL` seconds, so that a reader whose connection drops for a moment can carry on.
When that time runs out, Streamlit 1.67 only forgets the session: it never shuts it down, so the session's
uploaded files stay in the upload store for the life of the process, and its state until some later visitor
happens to disconnect. On a public server every reader who uploaded a file would leak it. So each session is
watched: when it disconnects, Streamlit's own shutdown (`Runtime.close_session`, which frees the state, the
uploaded files and the media and table data) is scheduled for just before that time runs out, and runs unless
the reader has come back by then.

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
import logging
from dataclasses import dataclass, field
from typing import Any

import pyarrow
import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

_LOGGER = logging.getLogger(__name__)

# How long before Streamlit would forget a disconnected session it is closed: after the time runs out the
# session can no longer be found, and so no longer be shut down.
CLOSE_BEFORE_EXPIRY_S = 1.0
RELEASE_AFTER_S = 1.0  # after the last of a burst of closes, memory is handed back once
_SESSION_BEGAN = "_session_began"
_RESUMED_NOTICE = "_resumed_notice"
_pending_release: asyncio.TimerHandle | None = None


@dataclass
class _Watched:
    session_id: str
    state: Any  # the session's state object
    heavy_keys: set[str] = field(default_factory=set)  # what to drop from it once the session is closed


def _schedule_close(watched: _Watched) -> None:
    # Called by Streamlit when the session disconnects (the session-scoped cache below is cleared then), on the
    # server's event loop; elsewhere (in AppTest) there is no server to close anything on.
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    time_to_live = st.get_option("server.disconnectedSessionTTL")
    loop.call_later(max(time_to_live - CLOSE_BEFORE_EXPIRY_S, 0), _close_if_abandoned, watched)


def _close_if_abandoned(watched: _Watched) -> None:
    global _pending_release
    runtime = Runtime.instance()
    if runtime.is_active_session(watched.session_id):
        return
    _LOGGER.debug("Closing session %s: its reader has not come back", watched.session_id)
    runtime.close_session(watched.session_id)
    # Streamlit's server loop keeps a reference to the last session it served, closed or not, until it
    # serves another: what that session held must not be kept with it.
    for key in watched.heavy_keys:
        if key in watched.state:
            del watched.state[key]
    if _pending_release is not None:
        _pending_release.cancel()
    _pending_release = asyncio.get_running_loop().call_later(RELEASE_AFTER_S, give_memory_back)


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


@st.cache_resource(scope="session", on_release=_schedule_close, show_spinner=False)
def _watch(session_id: str) -> _Watched:
    # The state object itself, not st.session_state: that proxy finds the session of the thread it is used on,
    # and the close runs on the server's event loop.
    return _Watched(session_id, get_script_run_ctx().session_state)


def watch_session(*heavy_keys: str) -> None:
    """Arrange for this session to be shut down once its reader has left for good (see the module doc), and
    for the session-state entries named to be dropped then. Called on every run: a reconnected session is
    watched afresh."""
    context = get_script_run_ctx()
    if context is not None:
        _watch(context.session_id).heavy_keys.update(heavy_keys)


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
