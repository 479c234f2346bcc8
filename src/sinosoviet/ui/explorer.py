"""The linked timeline, map, details and table: the core of the Explore page, reused by the chapter pages.

Selection: a click on any view runs a callback that stores the event id, so the rerun draws it highlighted in
every view and opens its details. The table's rows are matched back to ids through the ids it was drawn with.
The table and the view's citation are drawn only once the reader opens them (see show_table).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from sinosoviet.citation import cite_view, describe_view, view_filters
from sinosoviet.export import events_to_csv, events_to_json
from sinosoviet.figures.map import build_map
from sinosoviet.figures.timeline import MAX_LANES, MAX_TIMELINE_MARKS, build_timeline, is_aggregated
from sinosoviet.filters import EventFilter, apply_filter
from sinosoviet.loaders import Dataset
from sinosoviet.registry import ALL_DATES, EVENT_MAP, TIMELINE, PageEntry, zoom_windows
from sinosoviet.tables import (
    data_date,
    event_details,
    event_table,
    events_at_the_same_place,
    mark_selected_row,
)
from sinosoviet.text import counted_noun, escape_markdown
from sinosoviet.ui.data import derived, per_dataset
from sinosoviet.ui.view_state import in_view, select_event, show_link_notices, timeline_options, write_url
from sinosoviet.urlstate import ViewState

TIMELINE_KEY, MAP_KEY, TABLE_KEY = TIMELINE.key, EVENT_MAP.key, "event_table"
CITE_EXPANDER, TABLE_EXPANDER = "cite_expander", "table_expander"
TABLE_IDS_KEY = "_table_ids"
# plotly.js looks for world_110m.json here; the app serves it from static/, so the map draws offline.
# No plotly toolbar: on a phone it sat over the legends of every chart, and the charts need none of it (drag pans,
# the range slider zooms, a click selects).
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}
MAP_CONFIG = {**CHART_CONFIG, "topojsonURL": "app/static/", "scrollZoom": False}
CERTAINTY_ICONS = {"confirmed": ":material/verified:", "single-source": ":material/looks_one:",
                   "contested": ":material/balance:"}  # fmt: skip


def select_from_chart(chart_key: str) -> None:
    """Callback: store the event id of the clicked mark; clicks on empty space keep the current selection."""
    points = st.session_state[chart_key].selection.get("points", [])
    ids = [point["customdata"][0] for point in points if point.get("customdata")]
    if ids:
        select_event(ids[0])


def select_from_table(table_key: str, ids_key: str) -> None:
    """Callback: store the event id of the clicked row, through the ids the table was drawn with."""
    selection = st.session_state[table_key].selection
    # A click on any cell of a row selects it, as the page promises; the row's own check box does too.
    rows = [*selection.get("rows", []), *(cell[0] for cell in selection.get("cells", []))]
    ids = st.session_state.get(ids_key, [])
    if rows and rows[0] < len(ids):
        select_event(ids[rows[0]])


# More rows than anyone scrolls (some eighty screens of the table); the downloads always hold every event in view.
# Each row costs every filter change about 0.2 kB sent and read by the browser.
MAX_TABLE_ROWS = 1000


@per_dataset
def filtered_events(dataset: Dataset, chosen: EventFilter) -> pd.DataFrame:
    """The events a filter keeps, computed once per filter and shared by the timeline, map and table."""
    # The search texts are made on a dataset's first search only (see search.py).
    return apply_filter(dataset.events, chosen, dataset.search_texts if chosen.text.strip() else None)


# Figures are cached by the view that produced them, so a rerun that changes nothing (or returns to an earlier
# view) reuses the built figure instead of validating every trace again. The cache hands back the same object
# without copying; nothing mutates a figure after it is built.
@per_dataset
def _timeline_figure(
    dataset: Dataset, chosen: EventFilter, lanes: str, colour: str, zoom: str, selected: str | None
):
    actor_names = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    events = filtered_events(chosen)
    return build_timeline(
        events, lane_by=lanes, colour_by=colour, selected_id=selected, actor_names=actor_names, zoom=zoom
    )


@per_dataset
def _map_figure(dataset: Dataset, chosen: EventFilter, selected: str | None):
    return build_map(filtered_events(chosen), dataset.places, dataset.routes, selected_id=selected)


def show_explorer(dataset: Dataset, entry: PageEntry, view: ViewState) -> pd.DataFrame:
    """The timeline, map, details and table of the events in the page's view (read from the sidebar by
    view_state.sidebar_view), which the timeline's pickers complete; returns the events in view."""
    show_link_notices()
    lanes, colour, zoom = timeline_options()
    state = replace(view, lanes=lanes, colour=colour, zoom=zoom)
    # The period shown narrows what the timeline, the map, the table and the downloads all hold.
    shown = in_view(state)
    events = filtered_events(shown)
    shown_in = "" if zoom == ALL_DATES.key else f" in {zoom_windows()[zoom].label}"
    st.caption(f"**{len(events):,} of {len(dataset.events):,} events** match the filters{shown_in}.")
    known = state.selected_event is not None and dataset.events["id"].eq(state.selected_event).any()
    selected = state.selected_event if known else None  # a vectorised look-up: no set of all ids per rerun
    write_url(state, entry)
    show_timeline(shown, state, selected=selected)
    map_column, details_column = st.columns([3, 2], gap="medium")
    with map_column:
        show_map(shown, selected=selected)
    with details_column:
        show_details(dataset, selected, events_in_view=events)
    show_table(events, dataset, selected)
    show_downloads_and_citation(events, dataset, page_title=entry.heading, state=state)
    return events


TIMELINE_CAPTION = (
    "Timeline of the events in view. Colour shows the kind (or the chapter, or the certainty, as chosen); marker "
    "shape shows certainty (circle confirmed, square single source, diamond contested); hollow markers have "
    "approximate dates; hatched bars span the month or year an event is dated to. Click a mark to select the "
    "event; drag to pan or use the slider below to zoom. The Show buttons choose the period that the timeline, "
    "the map and the table all show."
)
COUNTS_CAPTION = (
    "Timeline of the events in view, counted: each dot is the number of events of one colour on one lane in one "
    "period, sized by that number. Colour shows the kind (or the chapter, or the certainty, as chosen). Drag to "
    "pan. The Show buttons and the Period slider choose the period that the timeline, the map and the table all "
    "show, and a shorter period is counted more finely."
)


def show_timeline(shown: EventFilter, state: ViewState, *, selected: str | None) -> None:
    figure = _timeline_figure(shown, state.lanes, state.colour, state.zoom, selected)
    if is_aggregated(figure):
        st.info(
            f"{figure.layout.meta['events']:,} marks are too many to draw one by one, so the timeline shows how many "
            f"events fall in each {figure.layout.meta['period']}. Narrow the filters to {MAX_TIMELINE_MARKS:,} or fewer to see and click "
            "single events.",
            icon=":material/stacked_bar_chart:",
        )
    left_out = (figure.layout.meta or {}).get("lanes_left_out", 0)
    if left_out:
        st.caption(
            f"The timeline draws the {MAX_LANES} people with the most events in view; "
            f"{counted_noun(left_out, 'other person is', 'other people are')} not drawn. Choose people under "
            "People in the sidebar to draw theirs."
        )
    st.plotly_chart(figure, key=TIMELINE_KEY, on_select=partial(select_from_chart, TIMELINE_KEY), selection_mode="points", config=CHART_CONFIG, width="stretch")  # fmt: skip
    st.caption(COUNTS_CAPTION if is_aggregated(figure) else TIMELINE_CAPTION)


def show_map(shown: EventFilter, *, selected: str | None) -> None:
    figure = _map_figure(shown, selected)
    st.plotly_chart(figure, key=MAP_KEY, on_select=partial(select_from_chart, MAP_KEY), selection_mode="points",
                    config=MAP_CONFIG, width="stretch")  # fmt: skip
    st.caption(
        "Map of the places in view, sized by their number of events, with arcs for messages and lines for "
        "journeys. Click a dot on an arc to select that message or journey; click a place to select its "
        "earliest event."
    )


def show_details(
    dataset: Dataset,
    selected: str | None,
    *,
    key: str = "event_details",
    prompt: str = "Click an event on the timeline, the map or in the table.",
    events_in_view: pd.DataFrame | None = None,
) -> None:
    """The selected event whole: dates, places, people, summary, certainty with its note, and the sources.

    It grows with its content rather than scrolling inside a fixed box, so a contested event's note and its
    sources are never hidden below a fold the reader cannot see.
    """
    details = event_details(selected, dataset) if selected else None
    with st.container(border=True, key=key):
        if details is None:
            st.markdown(f"**No event selected.** {prompt}")
            return
        st.markdown(f"#### {escape_markdown(details.title)}")
        st.markdown(f"**{escape_markdown(details.date_label)}** · {details.precision}")
        where = details.movement or details.place
        st.markdown(f":material/place: {escape_markdown(where)}")
        if details.people:
            st.markdown(
                "\n".join(f"- :material/person: {escape_markdown(person)}" for person in details.people)
            )
        st.markdown(escape_markdown(details.summary))
        icon = CERTAINTY_ICONS[details.certainty]
        st.markdown(f"{icon} **Certainty: {details.certainty}**")
        if details.certainty_note:
            # Who says what is the heart of a contested event: full size, set off, never a small caption.
            st.markdown(f"> {escape_markdown(details.certainty_note)}")
        st.markdown("**Sources**")
        # Chicago citations, already Markdown with their text escaped and their links made.
        st.markdown("\n".join(f"- {source['citation']} ({source['kind']})" for source in details.sources))
        st.button("Clear selection", key=f"{key}_clear", on_click=select_event, args=(None,))
        if events_in_view is not None:
            _show_events_here(events_in_view, details.id, details.place, key)


MAX_EVENTS_HERE = 40  # past this, the reader is asked to narrow the filters


def _show_events_here(events: pd.DataFrame, event_id: str, place: str, key: str) -> None:
    """The other events in view at the same place, each a button that selects it: a place's dot on the map
    stands for all of them, and this is how each is reached from it."""
    here = events_at_the_same_place(events, event_id)
    if here.empty:
        return
    st.markdown(
        f"**{counted_noun(len(here), 'more event', 'more events')} in view at {escape_markdown(place)}**"
    )
    for event in here.head(MAX_EVENTS_HERE).itertuples():
        st.button(
            f"{escape_markdown(event.date_label)}: {escape_markdown(event.title)}",
            key=f"{key}_here_{event.id}", on_click=select_event, args=(event.id,), type="tertiary",
        )  # fmt: skip
    if len(here) > MAX_EVENTS_HERE:
        st.caption(f"The first {MAX_EVENTS_HERE} are listed; narrow the filters to see the others.")


def show_table(events: pd.DataFrame, dataset: Dataset, selected: str | None) -> None:
    """The events in view as rows, drawn once the reader opens them; they stay open as filters and clicks change.

    Closed at first: the browser code of a data grid loads alongside plotly.js's and held back every chart
    page's first view by about 0.4 s on a 2-core machine (issue 14), and most readers come for the charts.
    """
    table_box = st.expander("Table of the events in view", icon=":material/table_rows:", key=TABLE_EXPANDER,
                            on_change="rerun")  # fmt: skip
    if not table_box.open:
        return
    with table_box:
        _draw_table(events, dataset, selected)


def _draw_table(events: pd.DataFrame, dataset: Dataset, selected: str | None) -> None:
    if len(events) > MAX_TABLE_ROWS:
        st.caption(f"The table shows the first {MAX_TABLE_ROWS:,} of {len(events):,} events in view; the downloads "
                   "below hold them all.")  # fmt: skip
    table = event_table(events.head(MAX_TABLE_ROWS), dataset)
    st.session_state[TABLE_IDS_KEY] = table["id"].tolist()
    st.dataframe(
        mark_selected_row(table, selected),
        key=TABLE_KEY,
        on_select=partial(select_from_table, TABLE_KEY, TABLE_IDS_KEY),
        selection_mode=["single-row", "single-cell"],
        hide_index=True,
        height=420,
        column_order=["selected", "date", "title", "place", "people", "certainty", "first source"],
        column_config={
            "selected": st.column_config.TextColumn("", width=28, help="▶ marks the selected event"),
            "date": st.column_config.TextColumn("Date", width=120),
            "title": st.column_config.TextColumn("Event", width="large"),
            "place": st.column_config.TextColumn("Place"),
            "people": st.column_config.TextColumn("People"),
            "certainty": st.column_config.TextColumn("Certainty"),
            "first source": st.column_config.LinkColumn("Source", display_text="open"),
        },
    )


def show_downloads_and_citation(
    events: pd.DataFrame, dataset: Dataset, *, page_title: str, state: ViewState
) -> None:
    csv_column, json_column = st.columns(2)
    # The files are made only when a reader clicks: most reruns never need them. A click must not rerun the page
    # too: the rerun discarded the file being made, and the button hung on its spinner ("Deferred file not found";
    # 7 of 20 clicks in a row failed).
    csv_column.download_button("Download these events (CSV)", lambda: events_to_csv(events, dataset.places), "events.csv", "text/csv",
                               key="download_csv", icon=":material/download:", on_click="ignore")  # fmt: skip
    json_column.download_button("Download these events (JSON)", lambda: events_to_json(events, dataset.places), "events.json",
                                "application/json", key="download_json", icon=":material/download:", on_click="ignore")  # fmt: skip
    selected_title = None
    if state.selected_event:
        match = dataset.events.loc[dataset.events["id"] == state.selected_event, "title"]
        selected_title = match.iloc[0] if not match.empty else None
    url = _current_url()
    # Drawn only once opened: the citation is a code block (for its copy button), and the browser code that draws
    # one is a large download every chart page would otherwise wait for on its first view.
    cite = st.expander("Cite this view", icon=":material/format_quote:", key=CITE_EXPANDER, on_change="rerun")
    if cite.open:
        title = describe_view(
            page_title, len(events), len(dataset.events), selected_title, view_filters(state, dataset)
        )
        cite.code(cite_view(title, url, date.today(), derived(data_date)), language=None, wrap_lines=True)
        cite.caption(
            "The URL holds the filters and the selected event, so the link reopens exactly this view."
        )


def _current_url() -> str:
    base = st.context.url or ""
    query = urlencode({key: st.query_params[key] for key in st.query_params}, safe=",")
    return f"{base}?{query}" if query else base
