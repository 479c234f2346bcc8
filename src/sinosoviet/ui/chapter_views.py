"""Each chapter page's own view, and the Overview's and Sources page's pieces: render prepared data, no more."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from sinosoviet.chapters import (
    RAILWAY_LINES,
    TREATY_PLACES,
    VisitFigures,
    events_on_day,
    journey_stations,
    journey_track,
    mao_positions,
    message_events,
    message_log,
    met_before_signing,
    obligations,
    uprising_cities,
    uprising_plan,
)
from sinosoviet.dates import format_day, format_months
from sinosoviet.figures.journey import build_journey_map
from sinosoviet.figures.map import build_lines_map, build_map
from sinosoviet.figures.obligations import build_obligations_chart
from sinosoviet.figures.timeline import build_timeline
from sinosoviet.loaders import Dataset
from sinosoviet.registry import (
    ALL_DATES,
    DAY_MAP,
    MESSAGE_MAP,
    OBLIGATIONS,
    OVERVIEW_TIMELINE,
    STORY_YEARS,
    TREATY_MAP,
    PageEntry,
    PageRole,
    chapter_pages,
    pages,
)
from sinosoviet.tables import provisions_table
from sinosoviet.text import counted_noun, escape_markdown, short_name
from sinosoviet.ui.data import derived, per_dataset
from sinosoviet.ui.explorer import CERTAINTY_ICONS, CHART_CONFIG, MAP_CONFIG, select_from_chart, show_details
from sinosoviet.ui.view_state import select_event

MESSAGE_LOG_KEY, MESSAGE_BUTTON_KEY = "message_log", "log_message_{event_id}"
DAY_KEY, PLAYING_KEY, TIMER_KEY, SPEED_KEY = (
    "visit_day",
    "visit_playing",
    "_visit_timer_running",
    "visit_speed",
)
PLAY_STEP_SECONDS = 0.8  # a day's step at the first speed
PLAY_SPEEDS = (1.0, 2.0, 4.0)


# --- 1945 ---------------------------------------------------------------------------------------------------


def uprisings_label(called_off: str) -> str:
    """The legend of the 1945 map's crosses, dated by the calling off of the uprisings."""
    return f"Planned uprisings, called off {called_off}"


@per_dataset
def message_view(dataset: Dataset, period: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    messages = message_events(dataset.events, period)
    return messages, message_log(messages, dataset.places), uprising_cities(dataset.events, dataset.places)


def show_message_log(dataset: Dataset, entry: PageEntry, selected: str | None) -> pd.DataFrame:
    """The cables of the page's period as a log and as arcs on a map: one row, one arc; the selected one marked."""
    period = entry.period
    messages, log, cities = message_view(period)
    months = format_months(*period)
    if log.empty:
        st.info(
            f"The events you are exploring hold no messages of {months}, so there is no log to show. The "
            "period's events, if any, are below.",
            icon=":material/info:",
        )
        return log
    log_column, map_column = st.columns([1, 1], gap="medium")
    # The log as text, each message whole and a button that opens it, beside the map; and
    # the opened message shows under the map, where the reader is already looking.
    with log_column, st.container(key=MESSAGE_LOG_KEY, border=True):
        for row in log.to_dict(orient="records"):
            marker = "▶ " if row["id"] == selected else ""
            st.button(
                f"{marker}{CERTAINTY_ICONS[row['certainty']]} **{escape_markdown(row['date'])}** · "
                f"{escape_markdown(row['from → to'])}: {escape_markdown(row['gist'])}",
                key=MESSAGE_BUTTON_KEY.format(event_id=row["id"]), on_click=select_event, args=(row["id"],), type="tertiary",
                help=f"Certainty: {row['certainty']}",
            )  # fmt: skip
    plan = uprising_plan(dataset.events)
    with map_column:
        figure = build_map(
            messages, dataset.places, dataset.routes, selected_id=selected,
            marked_places=cities,
            marked_label=uprisings_label(plan.called_off) if plan else "",
        )  # fmt: skip
        st.plotly_chart(figure, key=MESSAGE_MAP.key, on_select=partial(select_from_chart, MESSAGE_MAP.key), selection_mode="points",
                        config=MAP_CONFIG, width="stretch")  # fmt: skip
        show_details(
            dataset, selected, key="message_details", prompt="Choose a message in the log or on the map."
        )
    st.caption(_message_log_caption(messages, dataset.places, cities, plan, months))
    return log


def _message_log_caption(
    messages: pd.DataFrame, places: pd.DataFrame, cities: pd.DataFrame, plan, months: str
) -> str:
    # The places the messages went between, by id in the log's order (not read back out of its display text).
    ends = [place for pair in zip(messages["origin_place_id"], messages["destination_place_id"], strict=True)
            for place in pair]  # fmt: skip
    names = dict(zip(places["id"], places["name"], strict=True))
    between_places = [short_name(names[place]) for place in dict.fromkeys(ends)]
    between = (
        ", ".join(between_places[:-1]) + f" and {between_places[-1]}"
        if len(between_places) > 1
        else between_places[0]
    )
    caption = (
        f"{counted_noun(len(messages), 'message', 'messages')} between {between}, {months}: each row of the log is "
        "one arc on the map; choose either to open the message under the map."
    )
    if plan is None or cities.empty:
        return caption
    return (
        f"{caption} Crosses mark the cities where the CCP ordered uprisings on {plan.ordered} and called them "
        f"off on {plan.called_off}: " + ", ".join(short_name(name) for name in cities["name"]) + "."
    )


# --- 1949–50 ------------------------------------------------------------------------------------------------


NEEDS_BUNDLED_DATA = (
    "This view is built from the app's own data on Mao's journey, which your events do not include."
)


def show_visit_figures(figures: VisitFigures | None) -> None:
    if figures is None:
        st.info(NEEDS_BUNDLED_DATA, icon=":material/info:")
        return
    columns = st.columns(3)
    columns[0].metric(
        "Days away from Beijing",
        figures.days_away,
        help=f"{format_day(figures.left)} to {format_day(figures.home)}, both counted",
    )
    columns[1].metric(
        "Days in Moscow",
        figures.days_in_moscow,
        help=f"{format_day(figures.arrived)} to {format_day(figures.departed)}, both counted",
    )
    columns[2].metric("Meetings with Stalin on record", figures.meetings_with_stalin,
                      help=escape_markdown("; ".join(figures.meeting_titles)))  # fmt: skip


def _advance_day(last_index: int) -> None:
    if st.session_state.get(PLAYING_KEY):
        if st.session_state[DAY_KEY] >= last_index:
            st.session_state[PLAYING_KEY] = False
        else:
            st.session_state[DAY_KEY] += 1


def _step_day(change: int, last_index: int) -> None:
    """Callback of the step buttons: one day back or on, paused."""
    st.session_state[PLAYING_KEY] = False
    st.session_state[DAY_KEY] = min(max(st.session_state.get(DAY_KEY, 0) + change, 0), last_index)


def _toggle_play(last_index: int) -> None:
    playing = not st.session_state.get(PLAYING_KEY, False)
    if playing and st.session_state.get(DAY_KEY, 0) >= last_index:
        st.session_state[DAY_KEY] = 0
    st.session_state[PLAYING_KEY] = playing


def show_day_player(dataset: Dataset) -> None:
    """A day slider with a play button; the map follows Mao's trains and the list shows the day's events.

    The player is a fragment: while playing it reruns itself every step, without rerunning the page. A
    fragment's timer is set when the page draws it, so pressing Play or Pause (a rerun of the fragment only)
    reruns the page once to start or stop the timer.
    """
    if DAY_KEY not in st.session_state:
        # The reader has just come to the page (Streamlit dropped the day slider's state when another page
        # ran): the visit starts again from its first day, paused, whatever was playing when they left.
        st.session_state[PLAYING_KEY] = False
    playing = st.session_state.get(PLAYING_KEY, False)
    speed = st.session_state.get(SPEED_KEY, 1.0)
    st.session_state[TIMER_KEY] = (playing, speed)
    st.fragment(_day_view, run_every=PLAY_STEP_SECONDS / speed if playing else None)(dataset)


def _day_view(dataset: Dataset) -> None:
    positions = derived(mao_positions)
    if not positions:
        st.info(NEEDS_BUNDLED_DATA, icon=":material/info:")
        return
    last_index = len(positions) - 1
    st.session_state.setdefault(DAY_KEY, 0)
    _advance_day(last_index)
    index = st.select_slider(
        "Day of the visit", options=range(len(positions)), key=DAY_KEY,
        format_func=lambda number: format_day(positions[number].day),
    )  # fmt: skip
    # One row that wraps, on a phone too (columns would stack the buttons into three full-width rows). The step
    # buttons stay enabled at the ends, where they do nothing; Play is not a primary button, whose white label on
    # the theme's light red fails contrast in the dark theme (2.5:1).
    with st.container(horizontal=True, vertical_alignment="bottom", key="visit_controls"):
        st.button("Day before", key="visit_back", on_click=_step_day, args=(-1, last_index),
                  icon=":material/skip_previous:")  # fmt: skip
        st.button("Day after", key="visit_on", on_click=_step_day, args=(1, last_index),
                  icon=":material/skip_next:")  # fmt: skip
        playing = st.session_state.get(PLAYING_KEY, False)
        st.button("Pause" if playing else "Play", key="visit_play", on_click=_toggle_play, args=(last_index,),
                  icon=":material/pause:" if playing else ":material/play_arrow:")  # fmt: skip
        st.segmented_control("Speed", PLAY_SPEEDS, key=SPEED_KEY, default=1.0, required=True,
                             format_func=lambda speed: f"{speed:g}×", label_visibility="collapsed")  # fmt: skip
    today = positions[index]
    # The day's text first: on a phone, where the columns stack, it stays in view above the map while Play runs.
    list_column, map_column = st.columns([2, 3], gap="medium")
    with map_column:
        st.plotly_chart(build_journey_map(positions, index, derived(journey_stations), derived(journey_track)), key=DAY_MAP.key, config=MAP_CONFIG,
                        width="stretch")  # fmt: skip
    with list_column, st.container(key="visit_day_events"):
        st.markdown(f"#### {format_day(today.day, long=True)}")
        st.markdown(f":material/place: {escape_markdown(today.where)}")
        todays = events_on_day(dataset.events, today.day)
        if todays.empty:
            st.markdown("No event of the dataset is dated to this day.")
        for event in todays.itertuples():
            # Each opens in the details of the visit's events below, and in the link.
            if st.button(f"**{escape_markdown(event.date_label)}**: {escape_markdown(event.title)}",
                         key=f"visit_day_event_{event.id}", type="tertiary", icon=":material/arrow_right:"):  # fmt: skip
                select_event(event.id)
                st.rerun(scope="app")  # the player is a fragment: the details and the link are outside it
    if (
        st.session_state.get(PLAYING_KEY, False),
        st.session_state.get(SPEED_KEY, 1.0),
    ) != st.session_state.get(TIMER_KEY):
        st.rerun(scope="app")  # Play or a speed was pressed, or the last day reached: set the timer again
    st.caption(
        "Mao's position on the chosen day. The sources date his departure, his arrival in Moscow and a few stops "
        "on the way home; between those days his position along the line is estimated and drawn as a hollow "
        "marker."
    )


def show_postponed_visits(visits: pd.DataFrame) -> None:
    with st.expander("Prelude: the visits asked for and put off, 1947–1949", key="prelude_expander"):
        for event in visits.itertuples():
            st.markdown(f"- **{escape_markdown(event.date_label)}**: {escape_markdown(event.title)} "
                        f"({event.certainty})")  # fmt: skip


# --- 1950 ---------------------------------------------------------------------------------------------------


def show_treaty_comparison(dataset: Dataset, signed_by: dict[str, str]) -> None:
    if signed_by:
        st.markdown(
            f"**Signed in 1945** by {escape_markdown(signed_by.get('1945', '?'))}; "
            f"**in 1950** by {escape_markdown(signed_by.get('1950', '?'))}, both in Moscow."
        )
    # Text, not grid cells: every provision is read whole, at desktop width side by side, on a phone one
    # under the other.
    with st.container(key="treaty_comparison"):
        provisions = dataset.treaty_provisions
        rows = provisions_table(provisions).to_dict(orient="records")
        for provision_id, row in zip(provisions["id"], rows, strict=True):
            with st.container(border=True, key=f"provision_{provision_id}"):
                st.markdown(f"##### {escape_markdown(row['topic'])}")
                then_column, now_column = st.columns(2, gap="medium")
                for column, year in ((then_column, "1945"), (now_column, "1950")):
                    text = escape_markdown(row[year]) if row[year] else "*Not covered.*"
                    column.markdown(f"**{year}** · {text}")
                st.markdown(
                    f":material/compare_arrows: **What changed:** {escape_markdown(row['what changed'])}"
                )
    st.caption("Every topic of the two treaties, the 1945 texts beside the 1950 ones, with what changed.")


def obligations_chart(dataset: Dataset):
    return build_obligations_chart(obligations(dataset.treaty_provisions))


def show_obligations(dataset: Dataset) -> None:
    st.plotly_chart(derived(obligations_chart), key=OBLIGATIONS.key,
                    config=CHART_CONFIG, width="stretch")  # fmt: skip
    st.caption(
        "Each obligation of the two treaties with a deadline or a day it was carried out: a hollow diamond at its "
        "deadline, a dot when it was carried out."
        + _met_before_1950(dataset)
        + " Lüshun (Port Arthur) was handed "
        "back later than first agreed, at China's request in 1952."
    )


def _met_before_1950(dataset: Dataset) -> str:
    """Name the obligations met before the 1950 treaty was signed: the chart is not all about 1950's promises."""
    met = "; ".join(f"{topic}, {day}" for topic, day in met_before_signing(dataset))
    return f" Met before the 1950 treaty was signed, under the 1945 one: {met}." if met else ""


def treaty_places_map(dataset: Dataset):
    return build_lines_map(
        dataset.places, RAILWAY_LINES, line_label="Chinese Changchun Railway", marked=TREATY_PLACES
    )


def show_treaty_places(dataset: Dataset) -> None:
    st.plotly_chart(derived(treaty_places_map), key=TREATY_MAP.key, config=MAP_CONFIG, width="stretch")
    st.caption(
        "The places the treaty concerned: the Chinese Changchun Railway (drawn schematically between its main "
        "stations), the naval base at Lüshun (Port Arthur) and the port of Dalian (Dairen)."
    )


# --- Overview -----------------------------------------------------------------------------------------------


def compact_timeline(dataset: Dataset):
    # The story's years: the background from 1924 and the lapse in 1980 would crush them into a few pixels.
    return build_timeline(dataset.events, lane_by="chapter", colour_by="kind", zoom=STORY_YEARS.key)


def show_compact_timeline() -> None:
    """The story's years at a glance; a click on an event opens it on Explore, in those years."""
    explore = next(entry for entry in pages() if entry.role is PageRole.EXPLORE)
    chosen = st.plotly_chart(
        derived(compact_timeline), key=OVERVIEW_TIMELINE.key, config=CHART_CONFIG, width="stretch",
        on_select="rerun", selection_mode="points",
    )  # fmt: skip
    ids = [point["customdata"][0] for point in chosen.selection.get("points", []) if point.get("customdata")]
    if ids:
        st.switch_page(explore.path, query_params={"event": ids[0], "zoom": STORY_YEARS.key})
    st.caption(
        f"The events of {STORY_YEARS.label}, one lane per chapter: click one to open it on {explore.nav_title}. "
        f"The background from 1924 and the treaty's later years, to its lapse in 1980, are there under "
        f"{ALL_DATES.label}."
    )


def show_chapter_cards(counts: dict[str, int]) -> None:
    """A card per chapter page of the registry, with the number of events it opens on and a link to it."""
    cards = chapter_pages()
    for column, entry in zip(st.columns(len(cards)), cards, strict=True):
        with column.container(border=True, key=f"card_{entry.slug}"):
            st.markdown(f"**{entry.nav_title}**")
            st.markdown(entry.card_blurb)
            st.caption(f"{counted_noun(counts.get(entry.slug, 0), 'event', 'events')} on this page")
            st.page_link(entry.path, label=f"Open {entry.nav_title}", icon=":material/arrow_forward:")
