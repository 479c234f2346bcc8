"""Explore events: every event in the dataset."""

import streamlit as st

from sinosoviet.filters import events_in_chapters
from sinosoviet.schema import CHAPTERS
from sinosoviet.tables import event_table
from sinosoviet.ui.components import show_event_table
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("Explore events")
all_events = events_in_chapters(dataset.events, CHAPTERS)
st.caption(f"{len(all_events)} events, in date order.")
show_event_table(event_table(all_events, dataset), key="explore_events", height=600)
