"""The floor a page is measured against: a bare script drawing as many Plotly Express charts and tables
(FLOOR_CHARTS, FLOOR_TABLES) from as many rows, with the data cached the same way and nothing else."""

import os

import pandas as pd
import plotly.express as px
import streamlit as st

from sinosoviet.loaders import load_events, load_places


@st.cache_data
def rows() -> pd.DataFrame:
    events = load_events()
    places = load_places().rename(columns={"id": "place_id"})
    return events.merge(places[["place_id", "lat", "lon"]], on="place_id")


events = rows()
for index in range(int(os.environ.get("FLOOR_CHARTS", "2"))):
    if index % 2 == 0:
        figure = px.timeline(events, x_start="start_first", x_end="end_last", y="chapter", color="kind")
    else:
        figure = px.scatter_geo(events, lat="lat", lon="lon", color="kind", hover_name="title")
    st.plotly_chart(figure, key=f"chart_{index}")
for index in range(int(os.environ.get("FLOOR_TABLES", "1"))):
    st.dataframe(events[["id", "start", "title", "summary", "certainty"]], key=f"table_{index}")
