"""The 1949–50 journey day by day: Mao's trains on the map, and where he was on the chosen day."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from sinosoviet.chapters import DayPosition
from sinosoviet.figures.map import _layout
from sinosoviet.figures.style import SELECTION_COLOUR


def build_journey_map(positions: Sequence[DayPosition], day_index: int) -> go.Figure:
    """The whole journey as a faint line, the part travelled so far in colour, and Mao's marker on the day."""
    figure = go.Figure()
    figure.add_trace(
        go.Scattergeo(
            lon=[p.lon for p in positions], lat=[p.lat for p in positions], mode="lines", name="The journey",
            line={"color": "#999999", "width": 2, "dash": "dot"}, hoverinfo="skip",
        )
    )  # fmt: skip
    travelled = positions[: day_index + 1]
    figure.add_trace(
        go.Scattergeo(
            lon=[p.lon for p in travelled], lat=[p.lat for p in travelled], mode="lines", name="Travelled so far",
            line={"color": "#0072B2", "width": 3}, hoverinfo="skip",
        )
    )  # fmt: skip
    today = positions[day_index]
    figure.add_trace(
        go.Scattergeo(
            lon=[today.lon], lat=[today.lat], mode="markers+text", name="Mao on this day",
            text=[f"{today.day.day} {today.day:%b %Y}"], textposition="top center",
            marker={"size": 16, "color": SELECTION_COLOUR, "symbol": "circle-open" if today.estimated else "circle",
                    "line": {"width": 3, "color": SELECTION_COLOUR}},
            hovertext=[today.where], hoverinfo="text",
        )
    )  # fmt: skip
    _layout(figure)
    figure.update_geos(lonaxis_range=[30, 125], lataxis_range=[35, 62])
    return figure
