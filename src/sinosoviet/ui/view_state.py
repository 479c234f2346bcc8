"""The sidebar filters and the selected event, kept in step with the URL so any view can be shared by link.

The URL is the one source of truth for a view; widget state only carries the reader's changes from one run
to the next. Flow on every run: unless the widgets already hold the view this page last wrote to the URL, the
URL (or, where it is silent, the page's defaults) is read into widget state, invalid values dropped with a
notice; the widgets are drawn; the resulting view is written back to the URL. A click on the timeline, map or
table sets the selection through a callback, before the rerun that draws it everywhere.

Why "unless": Streamlit forgets the state of every widget a run does not draw, so after a visit to a page
without the filters (Sources & method, the Overview) the filters come back empty; moving between pages
through the sidebar clears the URL's query, and the browser's back and forward buttons bring an older one
back. In each case the widgets no longer describe the URL, and the view is rebuilt from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from sinosoviet.chapters import TELEGRAMS_PERIOD, TREATY_PERIOD_START, VISIT_PERIOD
from sinosoviet.figures.timeline import ZOOM_WINDOWS, zoom_period
from sinosoviet.filters import EventFilter, apply_filter, within
from sinosoviet.loaders import Dataset
from sinosoviet.schema import CERTAINTIES, CHAPTER_TITLES, CHAPTERS, EVENT_KINDS
from sinosoviet.text import escape_markdown
from sinosoviet.ui.data import current_dataset, dataset_key
from sinosoviet.ui.server_guard import dropped_query, query_is_dropped
from sinosoviet.urlstate import (
    COLOUR_OPTIONS,
    LANE_OPTIONS,
    ZOOM_OPTIONS,
    ViewState,
    ignored_link_notice,
    parse_query,
    to_query,
    vocabulary_for,
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


@dataclass(frozen=True)
class Defaults:
    """A page's starting view: the Explore page shows everything, a chapter page its own period."""

    page: str
    state: ViewState


# Each page's starting view. The Overview's chapter cards count what these show, so the numbers agree.
PAGE_DEFAULTS = {
    "telegrams": Defaults(
        "telegrams",
        ViewState(filter=EventFilter(start=TELEGRAMS_PERIOD[0], end=TELEGRAMS_PERIOD[1]), zoom="aug-oct-1945",
                  lanes="kind"),
    ),
    "moscow": Defaults(
        "moscow",
        ViewState(filter=EventFilter(start=VISIT_PERIOD[0], end=VISIT_PERIOD[1]), zoom="dec-1949-mar-1950",
                  lanes="kind"),
    ),
    # By date rather than by chapter: the negotiation in Moscow belongs to the visit's chapter too. The first
    # years open; "All dates" reaches the treaty's lapse in 1980.
    "treaty": Defaults("treaty", ViewState(filter=EventFilter(start=TREATY_PERIOD_START), zoom="1950-1955")),
    # Every event, as the page promises; the Show buttons narrow the period.
    "explore": Defaults("explore", ViewState(zoom="all")),
}  # fmt: skip


def in_view(state: ViewState) -> EventFilter:
    """What a view holds: its filter, narrowed to the period its Show choice stands for."""
    return within(state.filter, zoom_period(state.zoom))


def events_on_page(dataset: Dataset, page: str) -> pd.DataFrame:
    """The events a page shows before the reader changes anything."""
    return apply_filter(dataset.events, in_view(PAGE_DEFAULTS[page].state))


def page_event_counts(dataset: Dataset) -> dict[str, int]:
    return {page: len(events_on_page(dataset, page)) for page in PAGE_DEFAULTS}


def _full_period(dataset: Dataset) -> tuple[date, date]:
    first, last = dataset.events["start_first"].min().date(), dataset.events["end_last"].max().date()
    # A slider needs two distinct ends; a reader's file may hold a single one-day event.
    return first, max(last, first + timedelta(days=1))


def page_period(dataset: Dataset, defaults: Defaults) -> tuple[date, date]:
    """The span the Period slider offers on a page: its chapter's period, within what the data cover.

    On a chapter page the two handles then sit apart and a week of the chapter can be chosen; on Explore the
    slider spans every event.
    """
    first, last = _full_period(dataset)
    preset = defaults.state.filter
    start = min(max(preset.start or first, first), last)
    end = max(min(preset.end or last, last), start + timedelta(days=1))
    return start, end


def _slider_format(period: tuple[date, date]) -> str:
    # Days matter when the slider spans a few months; across decades they would only crowd the labels.
    return "D MMM YYYY" if (period[1] - period[0]).days <= 730 else "MMM YYYY"


def _url_query() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The address bar's query as this run sees it, comparable from run to run."""
    return tuple(sorted((key, tuple(st.query_params.get_all(key))) for key in st.query_params))


def _view_source(defaults: Defaults) -> tuple[str, str, tuple]:
    return defaults.page, dataset_key(), _url_query()


def _widgets_hold_a_view() -> bool:
    """Whether every filter widget still has a value of the right shape (Streamlit drops undrawn ones)."""
    if any(key not in st.session_state for key in WIDGET_KEYS.values()):
        return False
    period = st.session_state[WIDGET_KEYS["period"]]
    return isinstance(period, tuple | list) and len(period) == 2


def load_view_from_url(dataset: Dataset, defaults: Defaults) -> None:
    """Rebuild the widgets' view from the URL, unless they already hold the view the URL describes.

    Per page and dataset: switching page, or to an upload and back, must reset widgets whose ranges came from
    the other; per query: the browser's back and forward buttons change the URL under the widgets.
    """
    if st.session_state.get(_VIEW_SOURCE) == _view_source(defaults) and _widgets_hold_a_view():
        return
    vocabulary = vocabulary_for(dataset.events, dataset.actors, dataset.places)
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    parsed = parse_query(params, vocabulary, defaults.state)
    chosen = parsed.state.filter
    first, last = page_period(dataset, defaults)
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
    st.session_state[_VIEW_SOURCE] = _view_source(defaults)
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


def reset_view(defaults: Defaults) -> None:
    """Callback for the reset button: back to the page's defaults, selection cleared."""
    st.query_params.clear()
    st.session_state.pop(_VIEW_SOURCE, None)
    # The dataset is looked up, not passed in: a callback's arguments stay in the session's widget state.
    load_view_from_url(current_dataset(), defaults)


def sidebar_view_state(dataset: Dataset, defaults: Defaults) -> ViewState:
    """Draw the shared sidebar filters and return the view they describe; the URL is kept in step."""
    load_view_from_url(dataset, defaults)
    for notice in st.session_state.get(_URL_NOTICES, ()):
        st.warning(escape_markdown(notice), icon=":material/link_off:")
    first, last = page_period(dataset, defaults)
    every_first, every_last = _full_period(dataset)
    actor_names = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    place_names = dict(zip(dataset.places["id"], dataset.places["name"], strict=True))
    with st.sidebar:
        st.subheader("Filter events")
        start, end = st.slider(
            "Period", min_value=first, max_value=last, format=_slider_format((first, last)),
            key=WIDGET_KEYS["period"],
        )  # fmt: skip
        text = st.text_input("Search titles and summaries", key=WIDGET_KEYS["text"], max_chars=200)
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
        st.button("Reset filters", key="reset_filters", on_click=reset_view, args=(defaults,),
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
    """The lane, colour and zoom pickers above the timeline."""
    lanes_column, colour_column, zoom_column = st.columns([1, 1, 1.6])
    lanes = lanes_column.segmented_control(
        "Lanes", LANE_OPTIONS, key=WIDGET_KEYS["lanes"], format_func=str.capitalize, required=True
    )
    colour = colour_column.segmented_control(
        "Colour by", COLOUR_OPTIONS, key=WIDGET_KEYS["colour"], format_func=str.capitalize, required=True
    )
    zoom = zoom_column.segmented_control(
        "Show",
        ZOOM_OPTIONS,
        key=WIDGET_KEYS["zoom"],
        format_func=lambda key: ZOOM_WINDOWS[key][0],
        required=True,
    )
    return lanes, colour, zoom


def write_url(state: ViewState, defaults: Defaults) -> None:
    """Put the current view in the address bar, so copying the URL shares exactly this view."""
    query = to_query(state, defaults.state)
    if query != {key: st.query_params[key] for key in st.query_params}:
        st.query_params.from_dict(query)
    # The widgets now hold the view the URL describes; the next run keeps them unless the URL moves on.
    st.session_state[_VIEW_SOURCE] = _view_source(defaults)


def select_event(event_id: str | None) -> None:
    st.session_state[SELECTED_KEY] = event_id
