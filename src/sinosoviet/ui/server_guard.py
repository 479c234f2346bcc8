"""The limits a public server needs and Streamlit 1.67 does not set, put on the running server by the app.

An audit of a public deployment (issue 22) found that one reader, without breaking any rule the page shows,
could hold the server up for everyone. Here:

- Uploaded files. `server.maxUploadSize` bounds each file, not what a session stores: one session stored 40
  files of 19 MB (760 MB) in 5 s by calling the upload endpoint directly. Now a session may hold one file of
  the page's limit plus `SESSION_UPLOAD_SLACK` (1 MB: room for the template or a small file beside it), which
  is all the page ever needs, since its single-file uploader deletes the old file before it sends a new one;
  and all sessions together may hold `SERVER_UPLOAD_SESSIONS` (ten) times that, about 210 MB. A file that
  would go over is refused before it is stored, 413 for the session's budget and 503 (with Retry-After) for
  the server's, each with a message saying what to do. Why ten: a stored file is the small part of what a
  reader's upload costs; once loaded and explored, a 19.9 MB file of 100,000 events holds about 115 MB of the
  process (peaking near 165 MB), so ten full-size uploads at once take it from about 210 MB to some 1.4 GB,
  more at their peaks: as much as a small shared server can give. Readers' files are rarely a hundredth of
  the limit, so the server's budget is reached only when someone fills it on purpose, and it frees itself as
  their sessions are closed (two minutes after they leave, see `sinosoviet.ui.sessions`).
- Sessions are closed once their reader has left for good, whether or not they ran the script since they
  reconnected (`sinosoviet.ui.sessions.follow_sessions`).

Where it is installed. `streamlit run app.py` starts the server before any of the app's code runs, and Streamlit
1.67's `st.App(..., middleware=...)` would make app.py an ASGI definition instead of the page router that
Community Cloud serves, that `pages/` deep links (sinosoviet.ui.routing) rely on and that the AppTest suite
runs as a script. So the router calls `install_server_guard` on every run and it acts once per process: it
wraps the runtime's own methods and those of its upload store, which the websocket handler and the upload
route call through those objects. Not covered: everything before the first script run on a freshly started
server. Until the first visitor's page has run once, the server behaves as plain Streamlit: a client that
connects and uploads without ever asking for a run is not budgeted, and sessions that leave before then are
left to Streamlit. Community Cloud starts the server for a visitor, whose page runs within seconds.
"""

from __future__ import annotations

import functools
import threading

import streamlit as st
from starlette.exceptions import HTTPException
from streamlit.logger import get_logger
from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from sinosoviet.ui.sessions import close_after_s, follow_sessions, short_id

_LOGGER = get_logger(__name__)

MB = 2**20
SESSION_UPLOAD_SLACK = 1 * MB
SERVER_UPLOAD_SESSIONS = 10


# -- Uploads --------------------------------------------------------------------------------------------------


def session_upload_budget(max_upload_mb: int) -> int:
    """What one session may hold, in bytes: one file of the server's limit, and a little."""
    return max_upload_mb * MB + SESSION_UPLOAD_SLACK


def server_upload_budget(max_upload_mb: int) -> int:
    """What all sessions together may hold, in bytes."""
    return SERVER_UPLOAD_SESSIONS * session_upload_budget(max_upload_mb)


def upload_refusal(
    session_bytes: int, server_bytes: int, file_bytes: int, max_upload_mb: int
) -> HTTPException | None:
    """Why a file of `file_bytes` may not be stored when its session holds `session_bytes` and the server
    `server_bytes` (the file it replaces, if any, not counted); None when it may."""
    session_budget, server_budget = session_upload_budget(max_upload_mb), server_upload_budget(max_upload_mb)
    if session_bytes + file_bytes > session_budget:
        return HTTPException(
            413,
            f"This session already holds {session_bytes / MB:.1f} MB of uploaded files and may hold at most "
            f"{session_budget / MB:.0f} MB: remove a file before uploading another.",
        )
    if server_bytes + file_bytes > server_budget:
        return HTTPException(
            503,
            f"The server is holding as many uploaded files as it can ({server_budget / MB:.0f} MB). Try again "
            "in a few minutes: files are let go two minutes after their readers leave.",
            headers={"Retry-After": str(round(close_after_s()) + 10)},
        )
    return None


def _stored_bytes(manager: MemoryUploadedFileManager, session_id: str | None = None) -> int:
    # Files are added on the event loop, as this runs, but may be removed from a script's thread: list() copies
    # a dict in one step, which no other thread can change halfway.
    sessions = (
        [manager.file_storage.get(session_id, {})] if session_id else list(manager.file_storage.values())
    )
    return sum(len(file.data) for files in sessions for file in list(files.values()))


def budget_uploads(manager: MemoryUploadedFileManager) -> None:
    """Refuse, from the upload route, a file that would take its session or the server over budget."""
    add_file = manager.add_file

    def add_file_within_budget(session_id: str, file: UploadedFileRec) -> None:
        replaced = manager.file_storage.get(session_id, {}).get(file.file_id)
        replaced_bytes = len(replaced.data) if replaced else 0
        refusal = upload_refusal(
            _stored_bytes(manager, session_id) - replaced_bytes,
            _stored_bytes(manager) - replaced_bytes,
            len(file.data),
            st.get_option("server.maxUploadSize"),
        )
        if refusal is not None:
            _LOGGER.warning("Refused an upload to session %s: %s", short_id(session_id), refusal.detail)
            raise refusal  # the route's caller, Starlette, answers with its status and message
        add_file(session_id, file)

    manager.add_file = add_file_within_budget


# -- Installation ---------------------------------------------------------------------------------------------

_installing = threading.Lock()  # two sessions' first runs may come at once, each on its own thread


def install_server_guard() -> None:
    """Put the limits above on this process's server (see the module doc); called by the router on every run,
    acts once."""
    runtime = Runtime.instance() if Runtime.exists() else None
    if type(runtime) is not Runtime:  # AppTest stands a mock in for it: no server to guard
        return
    with _installing:
        _install(runtime)


@functools.cache
def _install(runtime: Runtime) -> None:
    if isinstance(runtime.uploaded_file_mgr, MemoryUploadedFileManager):
        budget_uploads(runtime.uploaded_file_mgr)
    follow_sessions(runtime)
    _LOGGER.info("Server guard installed: upload budgets, sessions closed when their readers leave")
