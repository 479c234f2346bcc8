"""The limits a public server needs and Streamlit 1.67 does not set, put on the running server by the app.

An audit of a public deployment (issue 22) found that one reader, without breaking any rule the page shows,
could hold the server up for everyone:

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
- Rerun floods. A client sending 1,000 rerun requests held up another reader's rerun for 77 s here (208 s in
  the audit). Most of that is Streamlit's `runner.fastReruns`, which starts a script thread for every
  request: a one-line app stalls half as long. .streamlit/config.toml turns it off, so the requests a session
  sends while its script runs are folded into one rerun, taken up at the script's next Streamlit call. On top
  of that, each connection's reruns pass a token bucket (`RERUN_BURST` at once, then `RERUNS_PER_S` a
  second), which a reader clicking hardly ever meets (the Moscow player steps 1.25 times a second), while a
  flooding client's requests wait and go on together, to be folded into one rerun.
- Floods of messages. The server reads and parses every message a client sends before any of it reaches the
  app: a client writing rerun requests as fast as its connection takes them (a hundred thousand a second and
  more) kept a core busy and another reader waiting for seconds after it stopped. Each websocket may send
  `MESSAGE_BURST` messages at once and `MESSAGES_PER_S` a second after that (a page sends a few a second at
  most); past that the server drops the connection before reading more of it, so such a client has to
  connect again every few hundred messages, and what it had queued goes with the connection. Under 1,000
  reruns at once another reader now waits 0.13 s, and no flood bench/flood.py sends holds them up 0.4 s.
  What no app can mend is said in the README: many connections at once, each a session of its own.
- `/_stcore/metrics` told anyone the number of sessions and the memory of every cache: it answers 404.
- A static path no file can have (a name over 255 bytes, or a path over 1 KB) made Streamlit's static route
  fail with 500 while asking the file system; such paths answer 404, as a missing file does.
- Sessions are closed once their reader has left for good, whether or not they ran the script since they
  reconnected (`sinosoviet.ui.sessions.follow_sessions`).

Where it is installed. `streamlit run app.py` starts the server before any of the app's code runs, and Streamlit
1.67's `st.App(..., middleware=...)` would make app.py an ASGI definition instead of the page router that
Community Cloud serves, that `pages/` deep links (sinosoviet.ui.routing) rely on and that the AppTest suite
runs as a script. So the router calls `install_server_guard` on every run and it acts once per process: it
wraps the runtime's own methods and those of its upload store, which the websocket handler and the upload
route call through those objects, and Starlette's `__call__`, through which every request reaches the app.
Not covered: everything before the first script run on a freshly started server. Until the first visitor's
page has run once, the server behaves as plain Streamlit with this app's config: a client that connects and
uploads without ever asking for a run is not budgeted, reruns are folded (that is the config) but not limited
per connection, `/_stcore/metrics` answers, and sessions that leave before then are left to Streamlit; a
websocket opened before then is never limited in the messages it sends.
Community Cloud starts the server for a visitor, whose page runs within seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from streamlit.logger import get_logger
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.runtime import RuntimeStoppedError
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
)
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from sinosoviet.ui.sessions import close_after_s, follow_sessions, short_id

_LOGGER = get_logger(__name__)

MB = 2**20
SESSION_UPLOAD_SLACK = 1 * MB
SERVER_UPLOAD_SESSIONS = 10
RERUN_BURST, RERUNS_PER_S = 10, 2.0
# Any message a page sends: a browser sends a few a second at most (reruns, heartbeats, upload requests).
MESSAGE_BURST, MESSAGES_PER_S = 200, 20.0
# A browser sends one rerun per interaction; past this many waiting, the oldest are dropped (a flood's).
MAX_HELD_RERUNS = 64
MAX_STATIC_NAME_BYTES = 255  # NAME_MAX on Linux: a longer name makes stat() fail
MAX_STATIC_PATH_BYTES = 1024  # far past any file in static/, and under PATH_MAX with the folder before it
METRICS_PATH, STATIC_PREFIX = "_stcore/metrics", "app/static/"


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


# -- Reruns ---------------------------------------------------------------------------------------------------


@dataclass
class TokenBucket:
    """`capacity` requests at once, then `per_s` a second."""

    capacity: float
    per_s: float
    tokens: float
    updated: float  # when `tokens` was last topped up, in the clock's seconds

    def _top_up(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_s)
        self.updated = now

    def take(self, now: float) -> bool:
        """Use one request's worth, if there is one."""
        self._top_up(now)
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def wait_s(self, now: float) -> float:
        """How long until a request's worth is there."""
        self._top_up(now)
        return max(0.0, (1 - self.tokens) / self.per_s)


@dataclass
class _Connection:
    bucket: TokenBucket
    held: deque[BackMsg] = field(default_factory=lambda: deque(maxlen=MAX_HELD_RERUNS))
    release: asyncio.TimerHandle | None = None
    warned: bool = False


class RerunLimiter:
    """Stands in for `Runtime.handle_backmsg`: each connection's reruns pass a token bucket; those that find it
    empty wait and are handed on together, in order, once it has refilled, for Streamlit to fold into one
    rerun. Every other message goes straight on. Runs on the server's event loop."""

    def __init__(
        self,
        handle_backmsg: Callable[..., None],
        burst: int = RERUN_BURST,
        per_s: float = RERUNS_PER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._handle_backmsg = handle_backmsg
        self._burst, self._per_s, self._clock = burst, per_s, clock
        # By websocket client: a reconnect starts afresh, and a closed connection's entry goes with it.
        self._connections: weakref.WeakKeyDictionary[object, _Connection] = weakref.WeakKeyDictionary()

    def __call__(self, session_id: str, message: BackMsg, *, client: object | None = None) -> None:
        if client is None or message.WhichOneof("type") != "rerun_script":
            self._handle_backmsg(session_id, message, client=client)
            return
        connection = self._connections.get(client)
        if connection is None:
            bucket = TokenBucket(self._burst, self._per_s, self._burst, self._clock())
            connection = self._connections[client] = _Connection(bucket)
        if not connection.held and connection.bucket.take(self._clock()):
            self._handle_backmsg(session_id, message, client=client)
            return
        self._hold(session_id, message, client, connection)

    def _hold(self, session_id: str, message: BackMsg, client: object, connection: _Connection) -> None:
        if len(connection.held) == MAX_HELD_RERUNS and not connection.warned:
            connection.warned = True
            _LOGGER.warning(
                "Session %s asks for reruns faster than anyone clicks: slowed down", short_id(session_id)
            )
        connection.held.append(message)
        if connection.release is None:
            connection.release = asyncio.get_running_loop().call_later(
                connection.bucket.wait_s(self._clock()), self._release, session_id, client, connection
            )

    def _release(self, session_id: str, client: object, connection: _Connection) -> None:
        connection.release = None
        if not connection.bucket.take(self._clock()):  # woken a hair early
            connection.release = asyncio.get_running_loop().call_later(
                connection.bucket.wait_s(self._clock()), self._release, session_id, client, connection
            )
            return
        held = list(connection.held)
        connection.held.clear()
        with contextlib.suppress(RuntimeStoppedError):  # the server is shutting down
            for message in held:
                self._handle_backmsg(session_id, message, client=client)


# -- Requests -------------------------------------------------------------------------------------------------


def _url_path(base_url_path: str, route: str) -> str:
    base = base_url_path.strip("/")
    return f"/{base}/{route}" if base else f"/{route}"


def refusal_for(path: str, base_url_path: str = "") -> Response | None:
    """The answer to a request for `path` that must not reach Streamlit's routes; None for any other."""
    if path.rstrip("/") == _url_path(base_url_path, METRICS_PATH):
        return PlainTextResponse("Not Found", status_code=404)
    static = _url_path(base_url_path, STATIC_PREFIX)
    if path.startswith(static):
        relative = os.fsencode(path.removeprefix(static))
        too_long = len(relative) > MAX_STATIC_PATH_BYTES
        if too_long or any(len(name) > MAX_STATIC_NAME_BYTES for name in relative.split(b"/")):
            return PlainTextResponse("File not found", status_code=404)
    return None


def limit_messages(receive: Callable, clock: Callable[[], float] = time.monotonic) -> Callable:
    """`receive` for a websocket whose client may send `MESSAGE_BURST` messages at once, then `MESSAGES_PER_S` a
    second: past that, Streamlit is told the client has gone, and reads nothing more from it. The connection is
    then dropped, not closed: the server would otherwise read on for ten seconds, parsing whatever the client
    still sends, until the client answered the close. A page reconnects on its own; a flooding client has to
    connect again every few hundred messages, and what it had queued goes with the connection."""
    bucket = TokenBucket(MESSAGE_BURST, MESSAGES_PER_S, MESSAGE_BURST, clock())

    async def receive_within_limit() -> dict:
        message = await receive()
        if message["type"] == "websocket.receive" and not bucket.take(clock()):
            _LOGGER.warning("Dropped a connection sending more than %.0f messages a second", MESSAGES_PER_S)
            # Uvicorn drops the connection when the app returns without having closed it.
            return {"type": "websocket.disconnect", "code": 1008}
        return message

    return receive_within_limit


def guard_requests(base_url_path: str) -> None:
    """Answer the requests `refusal_for` names before Starlette routes them, and limit what each websocket
    takes in; once per process."""
    call = Starlette.__call__
    if getattr(call, "guarded", False):
        return

    async def guarded_call(app: Starlette, scope, receive, send) -> None:
        if scope["type"] == "http" and (refusal := refusal_for(scope["path"], base_url_path)) is not None:
            await refusal(scope, receive, send)
            return
        if scope["type"] == "websocket":
            receive = limit_messages(receive)
        await call(app, scope, receive, send)

    guarded_call.guarded = True
    Starlette.__call__ = guarded_call


# -- Links too long for Streamlit -----------------------------------------------------------------------------

# Session id to (characters, fields) of the query its last rerun request brought and Streamlit dropped whole.
# An entry lives from the request to the session's next request; the cap bounds what sessions that never ran
# could leave.
_DROPPED_QUERIES: OrderedDict[str, tuple[int, int]] = OrderedDict()
MAX_NOTED_QUERIES = 1024


def query_is_dropped(query: str) -> bool:
    """Whether Streamlit ignores this query whole (`sanitize_query_string`, without its log line)."""
    fields = query.count("&") + 1
    return len(query) > CLIENT_STATE_QUERY_STRING_MAX_LENGTH or fields > CLIENT_STATE_QUERY_STRING_MAX_FIELDS


def note_dropped_query(session_id: str, query: str) -> None:
    if query and query_is_dropped(query):
        _DROPPED_QUERIES[session_id] = (len(query), query.count("&") + 1)
        while len(_DROPPED_QUERIES) > MAX_NOTED_QUERIES:
            _DROPPED_QUERIES.popitem(last=False)
    else:
        _DROPPED_QUERIES.pop(session_id, None)


def dropped_query(session_id: str) -> tuple[int, int] | None:
    """(characters, fields) of the link Streamlit dropped in this session's latest run, if it dropped one.

    Streamlit hands a script the query only once it has checked it, and drops a link of more than 1,000 fields
    (or 512 Ki characters) whole, saying so only in the server's log; the browser's own address reaches the
    script without its query. So each rerun request is looked at on its way in.
    """
    return _DROPPED_QUERIES.get(session_id)


def note_dropped_queries() -> None:
    """Have every session's rerun requests looked at for a dropped link (see `dropped_query`); once per process."""
    request_rerun = AppSession.request_rerun
    if getattr(request_rerun, "noting", False):
        return

    def request_rerun_noting(session: AppSession, client_state) -> None:
        if client_state is not None:  # None reruns with the state the session already has
            note_dropped_query(session.id, client_state.query_string)
        request_rerun(session, client_state)

    request_rerun_noting.noting = True
    AppSession.request_rerun = request_rerun_noting


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
    guard_requests(st.get_option("server.baseUrlPath"))
    if isinstance(runtime.uploaded_file_mgr, MemoryUploadedFileManager):
        budget_uploads(runtime.uploaded_file_mgr)
    runtime.handle_backmsg = RerunLimiter(runtime.handle_backmsg)
    note_dropped_queries()
    follow_sessions(runtime)
    _LOGGER.info(
        "Server guard installed: upload budgets, rerun limits, sessions closed when their readers leave"
    )
