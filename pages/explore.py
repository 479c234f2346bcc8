"""Explore events: every event, filterable, on a linked timeline, map and table."""

import streamlit as st

from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import PAGE_DEFAULTS

ensure_routed()
dataset = get_dataset()

st.title("Explore events")
st.markdown(
    "Every event in the dataset. Filter in the sidebar, click an event on the timeline, the map or in the table "
    "to see its details and sources, and copy the address bar to share exactly this view."
)
show_explorer(dataset, PAGE_DEFAULTS["explore"], page_title="Explore events")
