"""A bare Streamlit page with one Plotly chart: what the browser benchmark compares the Explore page with."""

import plotly.express as px
import streamlit as st

from sinosoviet.loaders import load_events

st.title("Bare page")
st.plotly_chart(px.scatter(load_events(), x="start_first", y="chapter", color="kind"), key="bare_chart")
