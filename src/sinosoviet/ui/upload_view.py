"""The 'Your events' page's pieces: template and dictionary, the upload, and the report of what is wrong."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from starlette.formparsers import MultiPartParser

from sinosoviet.figures.timeline import MAX_TIMELINE_MARKS, build_timeline, is_aggregated
from sinosoviet.loaders import Dataset
from sinosoviet.registry import UPLOAD_TIMELINE
from sinosoviet.tables import data_dictionary
from sinosoviet.text import counted_noun, escape_markdown
from sinosoviet.ui.components import show_column_dictionary
from sinosoviet.ui.data import UPLOAD_KEY, bundled_dataset, derived, use_bundled_data, use_upload
from sinosoviet.ui.explorer import CHART_CONFIG
from sinosoviet.upload import (
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    MAX_UPLOAD_ROWS,
    SERVER_UPLOAD_BYTES,
    UPLOAD_EVENTS,
    load_upload,
    template_csv,
)

UPLOADER_KEY = "events_upload"
_REPORT = "_upload_report"  # (file id, file name, problems) of the last file checked


def keep_uploads_in_memory() -> None:
    """Let the server hold a file being uploaded in memory up to the page's limit, never on disk.

    Streamlit's server reads an upload with Starlette's form parser, which spools any part over 1 MB to a
    temporary file until it has been read. The page promises that a reader's file is never written to the
    server's disk, and `server.maxUploadSize` (in .streamlit/config.toml) already refuses anything larger than
    SERVER_UPLOAD_BYTES, so the spool may as well hold the largest file the server takes (with room for the
    form's framing).
    """
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, SERVER_UPLOAD_BYTES + 2**20)


def upload_dictionary(dataset: Dataset) -> pd.DataFrame:
    return data_dictionary(UPLOAD_EVENTS)


def show_template_and_dictionary() -> None:
    # The template is made only when a reader asks for it.
    st.download_button("Download a template (CSV)", lambda: template_csv(bundled_dataset()), "events-template.csv",
                       "text/csv", key="download_template", icon=":material/download:", on_click="ignore")  # fmt: skip
    with st.expander("The columns your file may have", key="upload_dictionary", expanded=False):
        show_column_dictionary(derived(upload_dictionary), key="upload_dictionary_list")
        st.caption(
            "The downloads on every page can be uploaded here again as they are. They give each event's place "
            "with its name and coordinates, and in CSV an apostrophe before any text that begins with =, +, -, "
            "or @, so that a spreadsheet does not run it as a formula; the upload takes that apostrophe away again."
        )


def show_uploader() -> None:
    """Check a new file once; load it only if it has no problem, else report every problem."""
    uploaded = st.file_uploader(
        f"Your events, as CSV or JSON: at most {MAX_UPLOAD_MB} MB ({MAX_UPLOAD_BYTES:,} bytes) and "
        f"{MAX_UPLOAD_ROWS:,} rows",
        type=["csv", "json"], key=UPLOADER_KEY, max_upload_size=MAX_UPLOAD_MB,
    )  # fmt: skip
    if uploaded is not None and st.session_state.get(_REPORT, (None,))[0] != uploaded.file_id:
        content = uploaded.getvalue()
        result = load_upload(uploaded.name, content, bundled_dataset())
        if result.dataset is not None:
            use_upload(uploaded.name, content, result.dataset)
        st.session_state[_REPORT] = (uploaded.file_id, uploaded.name, result.problems, result.rows)
    _show_report()


def _show_report() -> None:
    report = st.session_state.get(_REPORT)
    if not report:
        return
    _, name, problems, rows = report
    if not problems:
        st.success(f"Loaded {rows:,} events from {escape_markdown(name)}. Every page now shows them, for this "
                   "session only.", icon=":material/check_circle:")  # fmt: skip
        return
    st.error(
        f"{counted_noun(len(problems), 'problem', 'problems')} in {escape_markdown(name)}, so nothing was "
        "loaded; the app "
        "keeps showing the bundled data. Rows count the header as row 1, as a spreadsheet does.",
        icon=":material/error:",
    )
    # A list, each problem whole; what the file contains is escaped, so it shows as plain text.
    with st.container(key="upload_problems"):
        st.markdown("\n".join(f"- {_problem_line(problem)}" for problem in problems))


def _problem_line(problem) -> str:
    where = "The whole file" if problem.row is None else f"Row {problem.row:,}"
    if problem.column:
        where += f", column {problem.column}"
    return (
        f"**{escape_markdown(where)}** ({escape_markdown(problem.rule)}): {escape_markdown(problem.message)}"
    )


def upload_timeline(dataset: Dataset):
    """Every event of an upload on one timeline, from its earliest date to its latest."""
    return build_timeline(dataset.events, lane_by="chapter", colour_by="kind", zoom="all")


def show_upload_at_a_glance() -> None:
    """The reader's events on a timeline as soon as they are loaded, to check their dates before exploring."""
    if not st.session_state.get(UPLOAD_KEY):
        return
    st.subheader("Your events at a glance")
    figure = derived(upload_timeline)
    st.plotly_chart(figure, key=UPLOAD_TIMELINE.key, config=CHART_CONFIG, width="stretch")
    counted = (
        f" More than {MAX_TIMELINE_MARKS:,} events are too many to draw one by one, so each dot counts the events "
        f"of one kind in one chapter and one {figure.layout.meta['period']}."
        if is_aggregated(figure)
        else ""
    )
    st.caption(
        "Every event of your file, one lane per chapter, coloured by kind, from the earliest date to the latest. "
        f"A date far from the rest is often a typing slip.{counted}"
    )
    st.page_link("pages/explore.py", label="Explore your events: filter, select, share a link",
                 icon=":material/travel_explore:")  # fmt: skip


def show_return_to_bundled() -> None:
    if st.session_state.get(UPLOAD_KEY):
        st.button(
            "Stop using my file: back to the bundled data", key="upload_back", on_click=use_bundled_data
        )
