"""The dataset a session explores: the bundled one (cached for everyone), or the reader's own upload.

An upload lives in its session's state only, and so does everything derived from it: tables and figures
computed from an upload go into a session-scoped cache, which Streamlit clears when the session disconnects,
and the upload itself goes with the session (see `sinosoviet.ui.sessions`). Nothing module-level holds an
upload, so no session can reach another's data and none outlives its reader. What is derived from the bundled
data is shared by every session, in bounded caches whose entries expire when unused.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import streamlit as st

from sinosoviet.errors import DataError, DataValidationError
from sinosoviet.loaders import Dataset, default_data_dir, load_dataset
from sinosoviet.text import counted_noun, escape_markdown
from sinosoviet.ui.sessions import watch_session

T = TypeVar("T")
P = ParamSpec("P")


UPLOAD_KEY, UPLOAD_NAME, UPLOAD_DATASET = "upload_key", "upload_name", "upload_dataset"
# Entries per cache. The bundled data's tables and figures number a few dozen per page, plus one figure per
# view a reader asks for; an hour unused, an entry goes.
MAX_SHARED_ENTRIES, SHARED_TTL = 512, "1h"
MAX_SESSION_ENTRIES = 64


@st.cache_resource(show_spinner=False)
def _cached_dataset(data_dir: str) -> Dataset:
    # A thin wrapper: the cache key is the folder, the work is the pure loader. cache_resource shares one
    # copy between sessions instead of unpickling a new one on every run; nothing mutates it. One entry,
    # held for the life of the process: it is the app's own data.
    return load_dataset(Path(data_dir))


def bundled_dataset() -> Dataset:
    return _cached_dataset(str(default_data_dir()))


def dataset_key() -> str:
    """What identifies this session's dataset: an upload by the hash of its file, the bundled data by its folder."""
    return st.session_state.get(UPLOAD_KEY) or str(default_data_dir())


def use_upload(filename: str, content: bytes, dataset: Dataset) -> None:
    """Make an uploaded, validated dataset this session's data."""
    st.session_state[UPLOAD_KEY] = "upload:" + hashlib.sha256(content).hexdigest()
    st.session_state[UPLOAD_NAME], st.session_state[UPLOAD_DATASET] = filename, dataset


def use_bundled_data() -> None:
    for key in (UPLOAD_KEY, UPLOAD_NAME, UPLOAD_DATASET):
        st.session_state.pop(key, None)


# Streamlit names a cache by the function it decorates, so the two caches below serve every function decorated
# with `per_dataset`, told apart by its name: the registry holds functions, never data.
_FUNCTIONS: dict[str, Callable[..., object]] = {}


@st.cache_resource(max_entries=MAX_SHARED_ENTRIES, ttl=SHARED_TTL, show_spinner=False)
def _from_bundled(function_name: str, data_dir: str, *args):
    return _FUNCTIONS[function_name](_cached_dataset(data_dir), *args)


@st.cache_resource(scope="session", max_entries=MAX_SESSION_ENTRIES, show_spinner=False)
def _from_upload(function_name: str, upload_key: str, *args):
    return _FUNCTIONS[function_name](st.session_state[UPLOAD_DATASET], *args)


def per_dataset(function: Callable[..., T]) -> Callable[..., T]:
    """Decorate `function(dataset, *args)` to be called as `function(*args)` on this session's dataset, cached:
    shared by every session for the bundled data, kept in the session for an upload. The arguments must be
    hashable by Streamlit; nothing may mutate what the function returns."""
    name = f"{function.__module__}.{function.__qualname__}"
    _FUNCTIONS[name] = function

    @functools.wraps(function)
    def cached(*args):
        upload_key = st.session_state.get(UPLOAD_KEY)
        if upload_key:
            return _from_upload(name, upload_key, *args)
        return _from_bundled(name, str(default_data_dir()), *args)

    return cached


def derived(function: Callable[[Dataset], T]) -> T:
    """`function(dataset)` on this session's dataset, computed once and cached (see `per_dataset`): for the
    tables and figures a page derives from the whole dataset, so a rerun does not rebuild them."""
    return per_dataset(function)()


def current_dataset() -> Dataset:
    """This session's dataset: its upload, or the bundled data (which may raise a DataError)."""
    if st.session_state.get(UPLOAD_KEY):
        return st.session_state[UPLOAD_DATASET]
    return bundled_dataset()


def get_dataset() -> Dataset:
    """Return this session's dataset, or show an error page naming the problem and stop the page."""
    # A closed session (every session is closed once its reader has gone for good) lets its upload go too.
    watch_session(UPLOAD_DATASET)
    if st.session_state.get(UPLOAD_KEY):
        show_upload_banner()
    try:
        return current_dataset()
    except DataError as error:
        show_data_error_page(error)
        st.stop()


def show_upload_banner() -> None:
    dataset = st.session_state[UPLOAD_DATASET]
    with st.container(border=True, key="upload_banner"):
        st.markdown(
            f":material/upload_file: You are exploring **your own events** ({len(dataset.events):,} from "
            f"{escape_markdown(st.session_state[UPLOAD_NAME])}). Only this browser session sees them."
        )
        st.button("Back to the bundled data", key="back_to_bundled", on_click=use_bundled_data)


def show_data_error_page(error: DataError) -> None:
    st.title("The data could not be loaded")
    st.error(
        "The app's data files break the rules in the data dictionary, so nothing is shown rather than "
        "something wrong.",
        icon=":material/error:",
    )
    problems = error.problems if isinstance(error, DataValidationError) else None
    if problems:
        st.markdown(f"**{counted_noun(len(problems), 'problem', 'problems')}:**")
        st.code("\n".join(str(problem) for problem in problems), language=None, wrap_lines=True)
    else:
        st.code(str(error), language=None, wrap_lines=True)
    st.caption("Fix the file named above (rows count the header as row 1, as a spreadsheet does) and reload.")
