"""The floor the Explore page is measured against: a bare script drawing as many Plotly Express charts
(a timeline and a map) from as many rows, with the data cached the same way and nothing else on the page."""

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
st.plotly_chart(px.timeline(events, x_start="start_first", x_end="end_last", y="chapter", color="kind"))
st.plotly_chart(px.scatter_geo(events, lat="lat", lon="lon", color="kind", hover_name="title"))
