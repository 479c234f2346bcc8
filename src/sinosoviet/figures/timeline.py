"""The timeline: events on lanes, each drawn exactly as precisely as it is dated.

- An event known to the day with no end is a marker; its shape says how certain it is (circle confirmed,
  square single source, diamond contested) and a hollow marker means the date is approximate.
- An event with an end is a solid bar from its first to its last day.
- An event known only to the month or year is a hatched bar across the whole span it may fall in, never a
  marker on a made-up day.
Every mark carries its event id in `customdata`, so a click can select it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sinosoviet.figures.style import (
    CERTAINTY_LABELS,
    CERTAINTY_SYMBOLS,
    COLOUR_LEGEND_TITLES,
    GROUP_COLOURS,
    GROUP_LABELS,
    GROUP_ORDER,
    SELECTION_COLOUR,
)
from sinosoviet.registry import STORY_YEARS, zoom_windows
from sinosoviet.schema import CHAPTER_SHORT_TITLES, CHAPTERS
from sinosoviet.text import plotly_text
from sinosoviet.validation import split_ids

DAY_MS = 86_400_000
NO_ACTOR = "(no named person)"
LANE_HEIGHT_PX = 34
MAX_LANES = 14  # more would not fit a screen; with lanes by person, the others are named as left out
# Past this many marks the timeline shows counts per month (or longer period) instead of single events: a
# browser cannot draw (or a reader use) a hundred thousand markers, and the figure's JSON would run to tens of
# megabytes.
MAX_TIMELINE_MARKS = 2000
# Counts are drawn with fewer marks still: a count is read as a pattern, not one by one, and every mark costs the
# browser about half a millisecond each time the filters change, the whole of a reader's wait at 100,000 events.
MAX_COUNT_MARKS = 600
HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"


def timeline_rows(
    events: pd.DataFrame, *, lane_by: str, colour_by: str, actor_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per mark: the event's lane and colour group, and whether it is drawn as a bar or a marker.

    With lanes by actor an event appears once on each of its people's lanes.
    """
    rows = events.assign(
        lane=_lane_labels(events, lane_by, actor_names or {}),
        group=events[colour_by],
        is_bar=(events["end"] != "") | events["start"].str.len().lt(10),
        is_span_of_uncertainty=(events["end"] == "") & events["start"].str.len().lt(10),
        is_approximate=events["date_precision"] == "approximate",
    )
    return rows.explode("lane") if lane_by == "actor" else rows


def _lane_labels(events: pd.DataFrame, lane_by: str, actor_names: Mapping[str, str]) -> pd.Series:
    if lane_by == "chapter":
        return events["chapter"].map(CHAPTER_SHORT_TITLES)
    if lane_by == "kind":
        return events["kind"].map(GROUP_LABELS["kind"])
    return events["actors"].map(lambda ids: [actor_names.get(i, i) for i in split_ids(ids)] or [NO_ACTOR])


def lane_order(rows: pd.DataFrame, lane_by: str) -> list[str]:
    """Lanes top to bottom: chapters in story order, kinds by the schema, people by how often they appear."""
    present = set(rows["lane"].unique().tolist())  # distinct values first: a set of 100,000 cells is slow
    if lane_by == "chapter":
        return [CHAPTER_SHORT_TITLES[c] for c in CHAPTERS if CHAPTER_SHORT_TITLES[c] in present]
    if lane_by == "kind":
        return [label for label in GROUP_LABELS["kind"].values() if label in present]
    return rows["lane"].value_counts().index.tolist()


def _customdata(rows: pd.DataFrame) -> list[list[str]]:
    certainty = rows["certainty"].map(CERTAINTY_LABELS)
    titles = rows["title"].map(plotly_text)  # plotly.js would read tags in a title as markup
    return [list(values) for values in zip(rows["id"], titles, rows["date_label"], certainty, strict=True)]


def build_timeline(
    events: pd.DataFrame,
    *,
    lane_by: str = "chapter",
    colour_by: str = "kind",
    selected_id: str | None = None,
    actor_names: Mapping[str, str] | None = None,
    zoom: str = STORY_YEARS.key,
    max_lanes: int = MAX_LANES,
) -> go.Figure:
    """Draw the events on a date axis, one lane per chapter, kind or person, coloured by kind, chapter or certainty."""
    rows = timeline_rows(events, lane_by=lane_by, colour_by=colour_by, actor_names=actor_names)
    every_lane = lane_order(rows, lane_by)
    lanes = every_lane[:max_lanes]
    rows = rows[rows["lane"].isin(lanes)]
    if len(rows) > MAX_TIMELINE_MARKS:
        figure = _aggregated_timeline(rows, lanes, colour_by, zoom)
        return figure.update_layout(
            meta={**figure.layout.meta, "lanes_left_out": len(every_lane) - len(lanes)}
        )
    focus = initial_range(rows, zoom)
    rows, lane_centres, units = _in_rows(rows, lanes, focus)
    figure = go.Figure()
    colours, labels = GROUP_COLOURS[colour_by], GROUP_LABELS[colour_by]
    groups = [(group, rows[rows["group"] == group]) for group in GROUP_ORDER[colour_by]]
    # All bars first, then all markers: a long span must never hide a one-day event drawn over it.
    for group, in_group in groups:
        _add_bars(figure, in_group[in_group["is_bar"]], colours[group], labels[group])
    for group, in_group in groups:
        _add_markers(figure, in_group[~in_group["is_bar"]], colours[group], labels[group])
    _add_colour_legend(figure, [(colours[group], labels[group]) for group, in_group in groups if not in_group.empty],
                       COLOUR_LEGEND_TITLES[colour_by])  # fmt: skip
    _add_certainty_legend(figure)
    if selected_id is not None:
        _add_selection(figure, rows[rows["id"] == selected_id])
    _layout(figure, lanes, focus, lane_centres=lane_centres, units=units)
    figure.update_layout(meta={"lanes_left_out": len(every_lane) - len(lanes)})
    if rows.empty:
        _say_nothing_matches(figure, zoom)
    return figure


MARK_PX = 15  # a marker's width and the space it needs from its neighbours, in pixels on a laptop's timeline
MAX_ROWS_PER_LANE = 8
MAX_SPAN_FOR_ROWS_DAYS = 3653  # ten years: the story's core years and every chapter page's period
LANE_GAP = 0.7  # between two lanes, in rows
ROW_PX = LANE_HEIGHT_PX / (1 + LANE_GAP)


def _in_rows(
    rows: pd.DataFrame, lanes: list[str], focus: list[str] | None
) -> tuple[pd.DataFrame, list, float]:
    """Each mark's height on the axis: within its lane, marks that would touch on a laptop's screen at the dates
    the axis opens on go on rows of their own, as TimelineJS does, so that every event can be seen and clicked
    (Stalin's cables of 20 and 21 August 1945, the six events of 14 February 1950). Returns the rows with a `y`,
    each lane's centre (top lane highest) and the axis's height in rows."""
    if rows.empty:
        return (
            rows.assign(y=[]),
            [-i * (1 + LANE_GAP) for i in range(len(lanes))],
            len(lanes) * (1 + LANE_GAP),
        )
    if focus:
        first, last = (pd.Timestamp(day) for day in focus)
    else:
        first, last = rows["start_first"].min(), rows["end_last"].max()
    span_days = max((last - first).days, 1)
    room = pd.Timedelta(days=MARK_PX * span_days / TYPICAL_PLOT_WIDTH_PX)
    # Across decades a mark is a year wide and rows would stack a lane into a staircase: one row, and the Show
    # buttons narrow the period to where rows separate close events.
    most_rows = MAX_ROWS_PER_LANE if span_days <= MAX_SPAN_FOR_ROWS_DAYS else 1
    positions = rows.reset_index(drop=True)
    # The span each mark covers on screen: a marker its own width, a bar its days, both with room around them.
    begins = (positions["start_first"] - room / 2).to_numpy()
    bar_ends = positions["end_last"] + pd.Timedelta(days=1)
    ends = (bar_ends.where(positions["is_bar"], positions["start_first"]) + room / 2).to_numpy()
    row_of = np.zeros(len(positions), dtype=int)
    lane_rows = {}
    for lane, members in positions.groupby("lane", sort=False).indices.items():
        free_from: list = []  # the date from which each row of the lane is free again
        for position in members[np.argsort(begins[members], kind="stable")]:
            number = next((n for n, free in enumerate(free_from) if free <= begins[position]), None)
            if number is None and len(free_from) < most_rows:
                number = len(free_from)
                free_from.append(ends[position])
            elif number is None:  # a lane full of marks on one day: share the row that frees first
                number = int(np.argmin(free_from))
            free_from[number] = max(free_from[number], ends[position])
            row_of[position] = number
        lane_rows[lane] = len(free_from)
    centres, top, height = [], 0.0, 0.0
    offsets = {}
    for lane in lanes:
        count = lane_rows.get(lane, 1)
        centres.append(-(top + (count - 1) / 2))
        offsets[lane] = -top
        top += count + LANE_GAP
        height = top - LANE_GAP
    y = [offsets[lane] - row for lane, row in zip(positions["lane"], row_of, strict=True)]
    return rows.assign(y=y), centres, height


NOTHING_MATCHES = "No event matches the filters in the period shown."


def _say_nothing_matches(figure: go.Figure, zoom: str) -> None:
    """An empty timeline says so, over the period shown, instead of plotly's made-up axes (0 to 4, the year 2000)."""
    window = zoom_period(zoom)
    figure.update_yaxes(visible=False)
    figure.update_xaxes(
        visible=window is not None,
        range=[day.isoformat() for day in window] if window else None,
        rangeslider_visible=False,
    )
    figure.add_annotation(
        text=NOTHING_MATCHES, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 14}
    )


def is_aggregated(figure: go.Figure) -> bool:
    """Whether a timeline shows counts per period rather than single, clickable events."""
    return bool(figure.layout.meta and figure.layout.meta.get("aggregated"))


# Counting periods, finest first, in months: the timeline counts by the finest that keeps it within
# MAX_COUNT_MARKS, so its size (and the browser's work) stays bounded however many events there are.
COUNT_PERIODS = ((1, "month"), (3, "quarter"), (12, "year"), (60, "five-year period"), (120, "decade"),
                 (600, "half-century"), (1200, "century"))  # fmt: skip


def _period_label(first_month: int, months: int) -> str:
    """How a counting period reads in a hover: "Dec 1949", "Q4 1949", "1949", "1945–1949", "1940s"."""
    year, month = divmod(first_month, 12)
    if months == 1:
        return f"{date(year, month + 1, 1):%b %Y}"
    if months == 3:
        return f"Q{month // 3 + 1} {year}"
    if months == 12:
        return str(year)
    if months == 120:
        return f"{year}s"
    return f"{year}–{year + months // 12 - 1}"


def _counts(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Events per lane, colour group and counting period, in the finest period that keeps within the limit;
    and that period's length in months."""
    month_numbers = rows["start_first"].dt.year * 12 + rows["start_first"].dt.month - 1
    for months, _name in COUNT_PERIODS[:-1]:
        counts = _counts_by(rows, month_numbers // months * months)
        if len(counts) <= MAX_COUNT_MARKS:
            return _placed(counts, months), months
    # The last resort: at most 6 centuries × 14 lanes × 13 groups, and that only for data spread over every
    # century the app can draw.
    months = COUNT_PERIODS[-1][0]
    return _placed(_counts_by(rows, month_numbers // months * months), months), months


def _counts_by(rows: pd.DataFrame, periods: pd.Series) -> pd.DataFrame:
    grouped = rows.assign(period=periods).groupby(["group", "lane", "period"], observed=True)
    return grouped.size().rename("events").reset_index()


def _placed(counts: pd.DataFrame, months: int) -> pd.DataFrame:
    """Counts with each period's label and the date its mark is drawn at."""
    labels = {period: _period_label(period, months) for period in counts["period"].unique().tolist()}
    years, first_months = counts["period"] // 12, counts["period"] % 12 + 1
    starts = pd.to_datetime(pd.DataFrame({"year": years, "month": first_months, "day": 1}))
    # Each mark sits in the middle of its period, so a decade's count is not drawn at its first day.
    ends = starts + pd.DateOffset(months=months)
    return counts.assign(x=starts + (ends - starts) / 2, label=counts["period"].map(labels))


MAX_COUNT_MARK_PX, MIN_COUNT_MARK_PX = 22, 3
TYPICAL_PLOT_WIDTH_PX = 900  # the timeline's plotting area on a laptop


def _count_mark_size(counts: pd.DataFrame, months: int) -> Callable[[pd.Series], pd.Series]:
    """Mark sizes by count (area grows with the count), the largest no wider than the space between two periods
    on a laptop's timeline, so that a year of monthly counts reads as twelve dots and not as one band."""
    periods_shown = (counts["period"].max() - counts["period"].min()) // months + 1
    largest_px = min(MAX_COUNT_MARK_PX, max(2 * MIN_COUNT_MARK_PX, TYPICAL_PLOT_WIDTH_PX / periods_shown))
    largest = max(int(counts["events"].max()), 1)
    return lambda events: MIN_COUNT_MARK_PX + (largest_px - MIN_COUNT_MARK_PX) * (events / largest) ** 0.5


def _aggregated_timeline(rows: pd.DataFrame, lanes: list[str], colour_by: str, zoom: str) -> go.Figure:
    """Counts per lane, colour group and period (month, or longer where months would be too many): as many
    marks as any small selection, exact in its totals, drawn as ordinary SVG like every other chart."""
    counts, months = _counts(rows)
    figure = go.Figure()
    colours, labels = GROUP_COLOURS[colour_by], GROUP_LABELS[colour_by]
    size_of = _count_mark_size(counts, months)
    for group in GROUP_ORDER[colour_by]:
        in_group = counts[counts["group"] == group]
        if in_group.empty:
            continue
        figure.add_trace(
            go.Scatter(
                x=in_group["x"], y=in_group["lane"], mode="markers", name=labels[group], orientation="h",
                marker={"color": colours[group], "size": size_of(in_group["events"]), "opacity": 0.7},
                text=in_group["events"], hovertext=in_group["label"],
                hovertemplate="%{text:,} events, %{hovertext}<extra>" + labels[group] + "</extra>",
            )
        )  # fmt: skip
    # No range slider: it would draw every count a second time, and zooming into counts per year shows nothing
    # finer. Narrowing the period (the Period slider, the Show buttons) counts again, by a finer period.
    _layout(figure, lanes, initial_range(rows, zoom), range_slider=False)
    # Each colour's counts sit side by side within their lane, as grouped bars would, not one over another.
    figure.update_layout(scattermode="group", scattergap=0.3,
                         meta={"aggregated": True, "events": len(rows), "period": dict(COUNT_PERIODS)[months]})  # fmt: skip
    return figure


def _add_bars(figure: go.Figure, bars: pd.DataFrame, colour: str, label: str) -> None:
    if bars.empty:
        return
    durations = (bars["end_last"] - bars["start_first"]).dt.days.add(1) * DAY_MS
    figure.add_trace(
        go.Bar(
            orientation="h",
            base=bars["start_first"].dt.strftime("%Y-%m-%d"),
            x=durations,
            y=bars["y"],
            name=label,
            legendgroup=label,
            showlegend=False,  # the legend shows colour once, as a swatch (see _add_colour_legend)
            marker={
                "color": colour,
                "line": {"color": colour, "width": 1},
                # Hatching marks a bar that shows where an event may fall, not how long it lasted.
                "pattern": {
                    "shape": ["/" if s else "" for s in bars["is_span_of_uncertainty"]],
                    "solidity": 0.4,
                },
            },
            opacity=0.45 if bars["is_span_of_uncertainty"].all() else 0.75,
            width=0.4,
            customdata=_customdata(bars),
            hovertemplate=HOVER,
        )
    )


def _add_markers(figure: go.Figure, points: pd.DataFrame, colour: str, label: str) -> None:
    if points.empty:
        return
    symbols = [
        CERTAINTY_SYMBOLS[certainty] + ("-open" if approximate else "")
        for certainty, approximate in zip(points["certainty"], points["is_approximate"], strict=True)
    ]
    figure.add_trace(
        go.Scatter(
            x=points["start_first"],
            y=points["y"],
            mode="markers",
            name=label,
            legendgroup=label,
            showlegend=False,
            marker={"color": colour, "symbol": symbols, "size": 11, "line": {"color": colour, "width": 1.5}},
            customdata=_customdata(points),
            hovertemplate=HOVER,
        )
    )


def _add_colour_legend(figure: go.Figure, entries: list[tuple[str, str]], title: str) -> None:
    """Legend-only colour swatches, drawn as short lines so that no shape in the legend stands for a kind:
    shape means certainty, and nothing else."""
    for number, (colour, label) in enumerate(entries):
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="lines", name=label, legendgroup=label,
                legendgrouptitle_text=title if number == 0 else None,
                line={"color": colour, "width": 8}, hoverinfo="skip",
            )
        )  # fmt: skip


def _add_certainty_legend(figure: go.Figure) -> None:
    """Legend-only entries in grey for what shape, hollowness and hatching mean, so they never read as colour."""
    for number, (certainty, symbol) in enumerate(CERTAINTY_SYMBOLS.items()):
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name=CERTAINTY_LABELS[certainty], legendgroup="certainty",
                legendgrouptitle_text="Shape: certainty" if number == 0 else None,
                marker={"symbol": symbol, "size": 10, "color": "#888888"}, hoverinfo="skip",
            )
        )  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="markers", name="hollow: date approximate", legendgroup="dates",
            legendgrouptitle_text="Dates",
            marker={"symbol": "circle-open", "size": 10, "color": "#888888"}, hoverinfo="skip",
        )
    )  # fmt: skip
    figure.add_trace(
        go.Bar(
            x=[None], y=[None], orientation="h", name="hatched bar: month or year only", legendgroup="dates",
            marker={"color": "#888888", "pattern": {"shape": "/", "solidity": 0.4}}, opacity=0.6, hoverinfo="skip",
        )
    )  # fmt: skip


def _add_selection(figure: go.Figure, selected: pd.DataFrame) -> None:
    if selected.empty:
        return
    middle = selected["start_first"] + (selected["end_last"] - selected["start_first"]) / 2
    figure.add_trace(
        go.Scatter(
            x=middle,
            y=selected["y"],
            mode="markers",
            name="selected",
            showlegend=False,
            marker={"symbol": "circle-open", "size": 24, "color": SELECTION_COLOUR, "line": {"width": 3}},
            customdata=_customdata(selected),
            hovertemplate=HOVER,
        )
    )


def zoom_period(zoom: str) -> tuple[date, date] | None:
    """The period a Show choice (registry.zoom_windows) stands for; None for all dates."""
    return zoom_windows()[zoom].period


def initial_range(rows: pd.DataFrame, zoom: str) -> list[str] | None:
    """The dates the axis opens on: the events in view, padded a little, and never beyond the period shown.

    A few events of one week fill the width instead of one pixel column of the period. None lets the axis fit.
    """
    if rows.empty:
        return None
    first, last = rows["start_first"].min(), rows["end_last"].max()
    window = zoom_period(zoom)
    if window is not None:
        first, last = max(first, pd.Timestamp(window[0])), min(last, pd.Timestamp(window[1]))
        if first > last:
            return None
    pad = max(pd.Timedelta(days=3), (last - first) * 0.04)
    return [(first - pad).strftime("%Y-%m-%d"), (last + pad + pd.Timedelta(days=1)).strftime("%Y-%m-%d")]


def _layout(
    figure: go.Figure,
    lanes: list[str],
    focus: list[str] | None,
    *,
    range_slider: bool = True,
    lane_centres: list[float] | None = None,
    units: float | None = None,
) -> None:
    """The axes and size; with `lane_centres` the lanes are blocks of rows on a numeric axis (see _in_rows),
    without them one category each (the counts)."""
    figure.update_layout(
        barmode="overlay",
        # A lane of one row and its gap take LANE_HEIGHT_PX, as one category lane does.
        height=max(
            420, 230 + (LANE_HEIGHT_PX * len(lanes) if units is None else ROW_PX * (units + LANE_GAP))
        ),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        # The legend below everything, outside the plot: above it, on a phone it covered most of the plot.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "x": 0,
            "font": {"size": 11},
        },
        hovermode="closest",
        clickmode="event+select",
        dragmode="pan",
    )
    if lane_centres is None:
        figure.update_yaxes(categoryorder="array", categoryarray=list(reversed(lanes)))
    else:
        # Rows run down from 0; each lane's name sits at the middle of its rows.
        figure.update_yaxes(
            type="linear", tickmode="array", tickvals=lane_centres, ticktext=lanes, zeroline=False,
            range=[-(max(units, 1) - 1) - 0.6, 0.6],
        )  # fmt: skip
    figure.update_yaxes(title=None, automargin=True, fixedrange=True)
    figure.update_xaxes(
        type="date", title=None, rangeslider={"visible": range_slider, "thickness": 0.08}, range=focus
    )
