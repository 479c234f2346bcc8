"""Cached access to the bundled dataset, and the error page shown when it cannot be loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from sinosoviet.errors import DataError, DataValidationError
from sinosoviet.loaders import Dataset, default_data_dir, load_dataset

T = TypeVar("T")


@st.cache_data(show_spinner=False)
def _cached_dataset(data_dir: str) -> Dataset:
    # A thin wrapper: the cache key is the folder, the work is the pure loader.
    return load_dataset(Path(data_dir))


def dataset_key() -> str:
    """What identifies the bundled dataset in caches of things derived from it."""
    return str(default_data_dir())


def dataset_for(key: str) -> Dataset:
    """The dataset a cache key names (already validated and cached by get_dataset)."""
    return _cached_dataset(key)


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
    """Return the validated dataset, or show an error page naming the problem and stop the page."""
    try:
        return _cached_dataset(dataset_key())
    except DataError as error:
        show_data_error_page(error)
        st.stop()


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
