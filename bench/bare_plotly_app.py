"""A bare Streamlit page: what the browser benchmark compares each chart page's first view with.

`?charts=N&maps=M` draws N plain Plotly Express charts, the last M of them maps (px.scatter_geo), the others
alternately px.timeline and px.scatter, then one st.dataframe: all from 150 of the app's events, with no
styling, callbacks or caching beyond what Plotly Express does by default. So a page with a timeline and a
map (Explore) is set beside `?charts=2&maps=1`.

Each chart has the element key `bare_chart_<index>`, so the benchmark waits for it exactly as it waits for an
app chart. Maps read their base map from the topojson the app serves: plotly.js's default fetches it from a
CDN, so offline a default map draws no coastlines at all and would do less work than the app's. Streamlit serves
static/ from beside the main script (enabled in .streamlit/config.toml, which this page shares), hence the
link bench/static -> ../static.
"""

import pandas as pd
import plotly.express as px
import streamlit as st

from sinosoviet.loaders import load_events, load_places

BARE_ROWS = 150
MAP_CONFIG = {"topojsonURL": "app/static/"}


def bare_events() -> pd.DataFrame:
    places = load_places().rename(columns={"id": "place_id"})[["place_id", "lat", "lon"]]
    return load_events().head(BARE_ROWS).merge(places, on="place_id", how="left")


def plain_chart(events: pd.DataFrame, index: int):
    if index % 2 == 0:
        return px.timeline(events, x_start="start_first", x_end="end_last", y="chapter", color="kind")
    return px.scatter(events, x="start_first", y="chapter", color="kind", hover_name="title")


def plain_map(events: pd.DataFrame):
    return px.scatter_geo(events, lat="lat", lon="lon", color="kind", hover_name="title")


charts = int(st.query_params.get("charts", "1"))
maps = min(int(st.query_params.get("maps", "0")), charts)
events = bare_events()
st.title("Bare page")
for index in range(charts):
    if index < charts - maps:
        st.plotly_chart(plain_chart(events, index), key=f"bare_chart_{index}")
    else:
        st.plotly_chart(plain_map(events), key=f"bare_chart_{index}", config=MAP_CONFIG)
st.dataframe(events, key="bare_table")
