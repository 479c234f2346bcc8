"""The limits a public server needs and Streamlit 1.67 does not set, put on the running server by the app.

An audit of a public deployment (issue 22) found that one reader, without breaking any rule the page shows,
could hold the server up for everyone. Here:

- Sessions are closed once their reader has left for good, whether or not they ran the script since they
  reconnected (`sinosoviet.ui.sessions.follow_sessions`).

Where it is installed. `streamlit run app.py` starts the server before any of the app's code runs, and Streamlit
1.67's `st.App(..., middleware=...)` would make app.py an ASGI definition instead of the page router that
Community Cloud serves, that `pages/` deep links (sinosoviet.ui.routing) rely on and that the AppTest suite
runs as a script. So the router calls `install_server_guard` on every run and it acts once per process: it
wraps the runtime's own methods, which the websocket handler calls through the runtime object. Not covered:
everything before the first script run on a freshly started server. Until the first visitor's page has run
once, the server behaves as plain Streamlit: sessions that leave before then are left to Streamlit.
Community Cloud starts the server for a visitor, whose page runs within seconds.
"""

from __future__ import annotations

import functools
import threading

from streamlit.logger import get_logger
from streamlit.runtime import Runtime

from sinosoviet.ui.sessions import follow_sessions

_LOGGER = get_logger(__name__)


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
    follow_sessions(runtime)
    _LOGGER.info("Server guard installed: sessions closed when their readers leave")
