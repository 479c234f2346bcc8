"""The router that runs the app's pages (described in sinosoviet.registry).

Why the guard: Streamlit still honours the old multipage convention of a `pages/` folder beside the entrypoint.
On a freshly started server nothing has called `st.navigation` yet, so if the very first request is a deep link
such as `/treaty`, Streamlit runs `pages/treaty.py` directly in that legacy mode: `app.py` never runs and the
sidebar lists raw file names. Community Cloud starts a fresh server for the first visitor, and people share deep
links, so every page begins with `ensure_routed()`. If the router is not running it, the page registers the
app's navigation (which switches legacy mode off for the whole server) and asks for a rerun; the rerun keeps
the page and the query string, and this time `app.py` routes it.
"""

from __future__ import annotations

import threading

import streamlit as st

from sinosoviet.registry import pages
from sinosoviet.ui.server_guard import install_server_guard
from sinosoviet.ui.sessions import note_resumed_page, show_resumed_notice, tune_allocators
from sinosoviet.ui.upload_view import keep_uploads_in_memory

_router_state = threading.local()  # each session's script runs on its own thread


def build_pages() -> list[st.Page]:
    return [
        # A relative path is resolved against app.py's folder, however the package is installed. No icons:
        # Streamlit makes a page's icon the favicon, fetched from Google's CDN for a Material icon, so an
        # offline reader would send a request that cannot succeed.
        st.Page(entry.path, title=entry.nav_title, url_path=entry.slug, default=entry.default)
        for entry in pages()
    ]


def run_router() -> None:
    """Register the navigation and run the page the visitor asked for. Called by app.py on every run."""
    install_server_guard()
    tune_allocators()
    note_resumed_page()
    keep_uploads_in_memory()
    page = st.navigation(build_pages(), position="sidebar")
    show_resumed_notice()
    _router_state.active = True
    try:
        page.run()
    finally:
        _router_state.active = False


def ensure_routed() -> None:
    """Hand a page that Streamlit ran directly (legacy `pages/` mode) back to the router; see the module doc."""
    if getattr(_router_state, "active", False):
        return
    st.navigation(build_pages(), position="hidden")
    st.rerun()
