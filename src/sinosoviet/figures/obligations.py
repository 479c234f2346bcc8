"""The 1950 treaty's obligations over time: each provision's deadline and when it was carried out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sinosoviet.figures.style import SELECTION_COLOUR
from sinosoviet.text import short_name

SIGNED = "1950-02-14"


def build_obligations_chart(obligations: pd.DataFrame) -> go.Figure:
    """One row per topic: a line from signing to completion, a hollow diamond at the deadline, a dot when done."""
    figure = go.Figure()
    # "Chinese Changchun Railway (ownership, management, term)" -> "Chinese Changchun Railway": long axis labels
    # would leave a phone screen no room for the chart.
    obligations = obligations.assign(topic=obligations["topic"].map(short_name))
    topics = obligations["topic"].tolist()
    for row in obligations.itertuples():
        end = row.carried_out_day if pd.notna(row.carried_out_day) else row.deadline_day
        figure.add_trace(
            go.Scatter(x=[pd.Timestamp(SIGNED), end], y=[row.topic, row.topic], mode="lines",
                       line={"color": "#BBBBBB", "width": 2}, showlegend=False, hoverinfo="skip")
        )  # fmt: skip
    deadlines = obligations[obligations["deadline_day"].notna()]
    figure.add_trace(
        go.Scatter(
            x=deadlines["deadline_day"], y=deadlines["topic"], mode="markers", name="Deadline in the 1950 texts",
            marker={"symbol": "diamond-open", "size": 13, "color": SELECTION_COLOUR, "line": {"width": 2}},
            hovertext=deadlines["deadline"], hovertemplate="%{y}<br>deadline %{hovertext}<extra></extra>",
        )
    )  # fmt: skip
    done = obligations[obligations["carried_out_day"].notna()]
    figure.add_trace(
        go.Scatter(
            x=done["carried_out_day"], y=done["topic"], mode="markers", name="Carried out",
            marker={"symbol": "circle", "size": 11, "color": "#0072B2"},
            hovertext=done["carried_out"], hovertemplate="%{y}<br>carried out %{hovertext}<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(
        height=max(260, 90 + 34 * len(topics)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        shapes=[{"type": "line", "x0": SIGNED, "x1": SIGNED, "yref": "paper", "y0": 0, "y1": 1,
                 "line": {"color": "#888888", "dash": "dot"}}],
    )  # fmt: skip
    figure.update_yaxes(
        categoryorder="array", categoryarray=list(reversed(topics)), automargin=True, title=None
    )
    figure.update_xaxes(type="date", title=None)
    return figure
