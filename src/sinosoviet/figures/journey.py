"""The 1949–50 journey day by day: Mao's trains on the map, and where he was on the chosen day."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from sinosoviet.chapters import DayPosition
from sinosoviet.figures.map import _layout, label_positions, labelled_on
from sinosoviet.figures.style import SELECTION_COLOUR
from sinosoviet.text import plotly_text


def build_journey_map(
    positions: Sequence[DayPosition], day_index: int, stations: pd.DataFrame, track: pd.DataFrame
) -> go.Figure:
    """The whole journey as a faint line through the stations of the railway (`track`, see
    chapters.journey_track), the part travelled so far in colour up to Mao's marker on the day, and the stations
    on the way with their names."""
    figure = go.Figure()
    figure.add_trace(
        go.Scattergeo(
            lon=track["lon"], lat=track["lat"], mode="lines", name="The journey",
            line={"color": "#999999", "width": 2, "dash": "dot"}, hoverinfo="skip",
        )
    )  # fmt: skip
    today = positions[day_index]
    behind = track[track["when"] < day_index]
    figure.add_trace(
        go.Scattergeo(
            lon=[*behind["lon"], today.lon], lat=[*behind["lat"], today.lat], mode="lines", name="Travelled so far",
            line={"color": "#0072B2", "width": 3}, hoverinfo="skip",
        )
    )  # fmt: skip
    # Named: the stations labelled on the journey map in the places table (the ends, the border and Siberian
    # cities far enough apart to read on a phone); the others' names are in the hover.
    named = labelled_on(stations, "journey")
    figure.add_trace(
        go.Scattergeo(
            lon=stations["lon"], lat=stations["lat"], mode="markers+text", name="Stations on the way",
            text=[plotly_text(name) if show else "" for name, show in zip(stations["name"], named, strict=True)],
            textposition=label_positions(stations), textfont={"size": 11, "color": "#333333"},
            marker={"size": 6, "color": "#555555", "line": {"color": "white", "width": 1}},
            hovertext=[plotly_text(name) for name in stations["name"]], hoverinfo="text",
        )
    )  # fmt: skip
    figure.add_trace(
        go.Scattergeo(
            lon=[today.lon], lat=[today.lat], mode="markers", name="Mao on this day",
            marker={"size": 16, "color": SELECTION_COLOUR, "symbol": "circle-open" if today.estimated else "circle",
                    "line": {"width": 3, "color": SELECTION_COLOUR}},
            hovertext=[plotly_text(today.where)], hoverinfo="text",
        )
    )  # fmt: skip
    _layout(figure)
    # Wide enough for Harbin and Changchun on the way home; low enough for Beijing.
    figure.update_geos(lonaxis_range=[30, 130], lataxis_range=[36, 62])
    return figure
