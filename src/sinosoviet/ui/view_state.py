"""The sidebar filters and the selected event, kept in step with the URL so any view can be shared by link.

The URL is the one source of truth for a view; widget state only carries the reader's changes from one run
to the next. Flow on every run: unless the widgets already hold the view this page last wrote to the URL, the
URL (or, where it is silent, the page's starting view) is read into widget state, invalid values dropped with a
notice; the widgets are drawn; the resulting view is written back to the URL. A click on the timeline, map or
table sets the selection through a callback, before the rerun that draws it everywhere.

Why "unless": Streamlit forgets the state of every widget a run does not draw, so after a visit to a page
without the filters (Sources & method, the Overview) the filters come back empty; moving between pages
through the sidebar clears the URL's query, and the browser's back and forward buttons bring an older one
back. In each case the widgets no longer describe the URL, and the view is rebuilt from it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sinosoviet.figures.timeline import zoom_period
from sinosoviet.filters import EventFilter, apply_filter, within
from sinosoviet.loaders import Dataset
from sinosoviet.registry import PageEntry, chapter_pages, page, zoom_windows
from sinosoviet.schema import CERTAINTIES, CHAPTER_TITLES, CHAPTERS, EVENT_KINDS
from sinosoviet.text import escape_markdown
from sinosoviet.ui.data import current_dataset, dataset_key
from sinosoviet.ui.server_guard import dropped_query, query_is_dropped
from sinosoviet.urlstate import (
    COLOUR_LABELS,
    COLOUR_OPTIONS,
    LANE_LABELS,
    LANE_OPTIONS,
    ViewState,
    ignored_link_notice,
    parse_query,
    to_query,
    vocabulary_for,
    zoom_options,
)

SELECTED_KEY = "selected_event"
WIDGET_KEYS = {
    "period": "filter_period",
    "chapters": "filter_chapters",
    "kinds": "filter_kinds",
    "actors": "filter_actors",
    "places": "filter_places",
    "certainties": "filter_certainties",
    "text": "filter_text",
    "lanes": "view_lanes",
    "colour": "view_colour",
    "zoom": "view_zoom",
}
# (page, dataset, query) of the view the widgets hold: the URL they were read from or last wrote.
_VIEW_SOURCE = "_view_source"
_URL_NOTICES = "_url_notices"


def starting_view(entry: PageEntry) -> ViewState:
    """A page's view before the reader changes anything, from its registry entry: Explore shows everything, a
    chapter page its own period. The Overview's chapter cards count what these show, so the numbers agree."""
    return ViewState(
        filter=EventFilter(start=entry.period[0], end=entry.period[1]), zoom=entry.zoom.key, lanes=entry.lanes
    )


def in_view(state: ViewState) -> EventFilter:
    """What a view holds: its filter, narrowed to the period its Show choice stands for."""
    return within(state.filter, zoom_period(state.zoom))


def events_on_page(dataset: Dataset, entry: PageEntry) -> pd.DataFrame:
    """The events a page shows before the reader changes anything."""
    return apply_filter(dataset.events, in_view(starting_view(entry)))


def page_event_counts(dataset: Dataset) -> dict[str, int]:
    """How many events each chapter page opens on, by slug: the Overview's cards."""
    return {entry.slug: len(events_on_page(dataset, entry)) for entry in chapter_pages()}


def _full_period(dataset: Dataset) -> tuple[date, date]:
    first, last = dataset.events["start_first"].min().date(), dataset.events["end_last"].max().date()
    # A slider needs two distinct ends; a reader's file may hold a single one-day event.
    return first, max(last, first + timedelta(days=1))


def page_period(dataset: Dataset, entry: PageEntry) -> tuple[date, date]:
    """The span the Period slider offers on a page: its chapter's period, within what the data cover.

    On a chapter page the two handles then sit apart and a week of the chapter can be chosen; on Explore the
    slider spans every event.
    """
    first, last = _full_period(dataset)
    preset = starting_view(entry).filter
    start = min(max(preset.start or first, first), last)
    end = max(min(preset.end or last, last), start + timedelta(days=1))
    return start, end


def _slider_format(period: tuple[date, date]) -> str:
    # Days matter when the slider spans a few months; across decades they would only crowd the labels.
    return "D MMM YYYY" if (period[1] - period[0]).days <= 730 else "MMM YYYY"


def _url_query() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The address bar's query as this run sees it, comparable from run to run."""
    return tuple(sorted((key, tuple(st.query_params.get_all(key))) for key in st.query_params))


def _view_source(entry: PageEntry) -> tuple[str, str, tuple]:
    return entry.slug, dataset_key(), _url_query()


def _widgets_hold_a_view() -> bool:
    """Whether every filter widget still has a value of the right shape (Streamlit drops undrawn ones)."""
    if any(key not in st.session_state for key in WIDGET_KEYS.values()):
        return False
    period = st.session_state[WIDGET_KEYS["period"]]
    return isinstance(period, tuple | list) and len(period) == 2


def load_view_from_url(dataset: Dataset, entry: PageEntry) -> None:
    """Rebuild the widgets' view from the URL, unless they already hold the view the URL describes.

    Per page and dataset: switching page, or to an upload and back, must reset widgets whose ranges came from
    the other; per query: the browser's back and forward buttons change the URL under the widgets.
    """
    if st.session_state.get(_VIEW_SOURCE) == _view_source(entry) and _widgets_hold_a_view():
        return
    vocabulary = vocabulary_for(dataset.events, dataset.actors, dataset.places)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    parsed = parse_query(params, vocabulary, starting_view(entry))
    chosen = parsed.state.filter
    first, last = page_period(dataset, entry)
    # A link's period may lie outside the page's, and a page's outside a reader's own data: keep it inside.
    start = min(max(chosen.start or first, first), last)
    end = max(min(chosen.end or last, last), start)
    st.session_state[WIDGET_KEYS["period"]] = (start, end)
    for attribute in ("chapters", "kinds", "actors", "places", "certainties"):
        st.session_state[WIDGET_KEYS[attribute]] = list(getattr(chosen, attribute))
    st.session_state[WIDGET_KEYS["text"]] = chosen.text
    st.session_state[WIDGET_KEYS["lanes"]] = parsed.state.lanes
    st.session_state[WIDGET_KEYS["colour"]] = parsed.state.colour
    st.session_state[WIDGET_KEYS["zoom"]] = parsed.state.zoom
    st.session_state[SELECTED_KEY] = parsed.state.selected_event
    st.session_state[_VIEW_SOURCE] = _view_source(entry)
    st.session_state[_URL_NOTICES] = (*_ignored_link_notices(), *parsed.notices)


def _ignored_link_notices() -> tuple[str, ...]:
    """Say so when Streamlit dropped the whole query of a link too long for it, which it does silently."""
    context = get_script_run_ctx()
    if context is None:
        return ()
    # A server hands the script only the query it kept (see server_guard.dropped_query); AppTest, which has
    # no server, hands it the query whole.
    dropped = dropped_query(context.session_id)
    if dropped is None and context.query_string and query_is_dropped(context.query_string):
        dropped = (len(context.query_string), context.query_string.count("&") + 1)
    return (ignored_link_notice(*dropped),) if dropped else ()


def reset_view(slug: str) -> None:
    """Callback for the reset button: back to the page's starting view, selection cleared."""
    st.query_params.clear()
    st.session_state.pop(_VIEW_SOURCE, None)
    # The dataset and the page are looked up, not passed in: a callback's arguments stay in the session's
    # widget state.
    load_view_from_url(current_dataset(), page(slug))


def show_link_notices() -> None:
    """Say what a link asked for that could not be shown (read by sidebar_view)."""
    for notice in st.session_state.get(_URL_NOTICES, ()):
        st.warning(escape_markdown(notice), icon=":material/link_off:")


def sidebar_view(dataset: Dataset, entry: PageEntry) -> ViewState:
    """The page's view, read once per run: the URL read into the sidebar's filters where they do not already
    hold it, the filters drawn, and the view they describe returned, with the selected event. The page passes
    it to every component that shows events; the timeline's pickers complete it (see ui.explorer)."""
    load_view_from_url(dataset, entry)
    first, last = page_period(dataset, entry)
    every_first, every_last = _full_period(dataset)
    actor_names = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    place_names = dict(zip(dataset.places["id"], dataset.places["name"], strict=True))
    with st.sidebar:
        st.subheader("Filter events")
        start, end = st.slider(
            "Period", min_value=first, max_value=last, format=_slider_format((first, last)),
            key=WIDGET_KEYS["period"],
        )  # fmt: skip
        text = st.text_input(
            "Search events",
            key=WIDGET_KEYS["text"],
            max_chars=200,
            placeholder="Words, people, places",
            help="Finds events whose title, summary, people or places hold every word, in any order. People and "
            "places are found under any of their names: Port Arthur or Lüshun, Peking or Beijing, Mao Tse-tung or "
            "Mao Zedong, Stalin's pseudonym Filippov. Accents and capitals do not matter.",
        )
        chapters = st.multiselect(
            "Chapters",
            CHAPTERS,
            format_func=CHAPTER_TITLES.get,
            key=WIDGET_KEYS["chapters"],
            placeholder="All",
        )
        kinds = st.multiselect("Kinds", EVENT_KINDS, key=WIDGET_KEYS["kinds"], placeholder="All")
        actors = st.multiselect(
            "People", sorted(actor_names, key=actor_names.get), format_func=actor_names.get,
            key=WIDGET_KEYS["actors"], placeholder="Anyone",
        )  # fmt: skip
        places = st.multiselect(
            "Places", sorted(place_names, key=place_names.get), format_func=place_names.get,
            key=WIDGET_KEYS["places"], placeholder="Anywhere",
        )  # fmt: skip
        certainties = st.multiselect(
            "Certainty", CERTAINTIES, key=WIDGET_KEYS["certainties"], placeholder="Any"
        )
        st.button("Reset filters", key="reset_filters", on_click=reset_view, args=(entry.slug,),
                  icon=":material/restart_alt:")  # fmt: skip
    chosen = EventFilter(
        # Open-ended only where the slider reaches the ends of all the data, so a chapter page keeps its period.
        start=None if start <= every_first else start,
        end=None if end >= every_last else end,
        chapters=tuple(chapters), kinds=tuple(kinds), actors=tuple(actors), places=tuple(places),
        certainties=tuple(certainties), text=text,
    )  # fmt: skip
    state = ViewState(
        filter=chosen,
        selected_event=st.session_state.get(SELECTED_KEY),
    )
    return state


def timeline_options() -> tuple[str, str, str]:
    """The period shown, then the lane and colour pickers, above the timeline. The Show buttons have a row of
    their own: beside the other two they were cut off at laptop width ("Dec 1949–Mar 19…")."""
    windows = zoom_windows()
    zoom = st.segmented_control(
        "Show",
        zoom_options(),
        key=WIDGET_KEYS["zoom"],
        format_func=lambda key: windows[key].label,
        required=True,
    )
    lanes_column, colour_column = st.columns(2)
    lanes = lanes_column.segmented_control(
        "Lanes", LANE_OPTIONS, key=WIDGET_KEYS["lanes"], format_func=LANE_LABELS.get, required=True
    )
    colour = colour_column.segmented_control(
        "Colour by", COLOUR_OPTIONS, key=WIDGET_KEYS["colour"], format_func=COLOUR_LABELS.get, required=True
    )
    return lanes, colour, zoom


def write_url(state: ViewState, entry: PageEntry) -> None:
    """Put the current view in the address bar, so copying the URL shares exactly this view."""
    query = to_query(state, starting_view(entry))
    if query != {key: st.query_params[key] for key in st.query_params}:
        st.query_params.from_dict(query)
    # The widgets now hold the view the URL describes; the next run keeps them unless the URL moves on.
    st.session_state[_VIEW_SOURCE] = _view_source(entry)


def select_event(event_id: str | None) -> None:
    st.session_state[SELECTED_KEY] = event_id
