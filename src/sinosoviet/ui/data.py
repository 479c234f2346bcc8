"""The dataset a session explores: the bundled one (cached for everyone), or the reader's own upload.

An upload lives in its session's state only. Derived tables and figures are cached by a key naming the
dataset; for an upload the key is a hash of the file's bytes, so two sessions share a cache entry only if
they uploaded identical files, and no session can reach another's data.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from sinosoviet.errors import DataError, DataValidationError
from sinosoviet.loaders import Dataset, default_data_dir, load_dataset
from sinosoviet.text import escape_markdown

T = TypeVar("T")


UPLOAD_KEY, UPLOAD_NAME, UPLOAD_DATASET = "upload_key", "upload_name", "upload_dataset"
MAX_REMEMBERED_UPLOADS = 16
# Uploads by key, for the cached functions that receive only a key. Bounded; a session whose upload was
# dropped here puts it back from its own state on its next run (get_dataset).
_UPLOADS: OrderedDict[str, Dataset] = OrderedDict()


@st.cache_resource(show_spinner=False)
def _cached_dataset(data_dir: str) -> Dataset:
    # A thin wrapper: the cache key is the folder, the work is the pure loader. cache_resource shares one
    # copy between sessions instead of unpickling a new one on every run; nothing mutates it.
    return load_dataset(Path(data_dir))


def bundled_dataset() -> Dataset:
    return _cached_dataset(str(default_data_dir()))


def dataset_key() -> str:
    """What identifies this session's dataset in caches of things derived from it."""
    return st.session_state.get(UPLOAD_KEY) or str(default_data_dir())


def dataset_for(key: str) -> Dataset:
    """The dataset a cache key names: an upload by its hash, the bundled data by its folder."""
    if key.startswith("upload:"):
        return _UPLOADS[key]
    return _cached_dataset(key)


def use_upload(filename: str, content: bytes, dataset: Dataset) -> None:
    """Make an uploaded, validated dataset this session's data."""
    key = "upload:" + hashlib.sha256(content).hexdigest()
    st.session_state[UPLOAD_KEY], st.session_state[UPLOAD_NAME] = key, filename
    st.session_state[UPLOAD_DATASET] = dataset
    _remember(key, dataset)


def use_bundled_data() -> None:
    for key in (UPLOAD_KEY, UPLOAD_NAME, UPLOAD_DATASET):
        st.session_state.pop(key, None)


def _remember(key: str, dataset: Dataset) -> None:
    _UPLOADS[key] = dataset
    _UPLOADS.move_to_end(key)
    while len(_UPLOADS) > MAX_REMEMBERED_UPLOADS:
        _UPLOADS.popitem(last=False)


_DERIVING_FUNCTIONS: dict[str, Callable[[Dataset], object]] = {}


@st.cache_resource(max_entries=128, show_spinner=False)
def _derived(data_key: str, function_name: str):
    # Keyed by the function's name: Streamlit's cache cannot hash a function object.
    return _DERIVING_FUNCTIONS[function_name](dataset_for(data_key))


def derived(function: Callable[[Dataset], T]) -> T:
    """`function(dataset)`, computed once per dataset and shared: for the tables and figures a page derives
    from the whole dataset, so a rerun does not rebuild them. Nothing may mutate what it returns."""
    name = f"{function.__module__}.{function.__qualname__}"
    _DERIVING_FUNCTIONS[name] = function
    return _derived(dataset_key(), name)


def get_dataset() -> Dataset:
    """Return this session's dataset, or show an error page naming the problem and stop the page."""
    if st.session_state.get(UPLOAD_KEY):
        _remember(st.session_state[UPLOAD_KEY], st.session_state[UPLOAD_DATASET])
        show_upload_banner()
        return st.session_state[UPLOAD_DATASET]
    try:
        return bundled_dataset()
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
        st.markdown(f"**{len(problems)} problem{'s' if len(problems) != 1 else ''}:**")
        st.code("\n".join(str(problem) for problem in problems), language=None, wrap_lines=True)
    else:
        st.code(str(error), language=None, wrap_lines=True)
    st.caption("Fix the file named above (rows count the header as row 1, as a spreadsheet does) and reload.")
