"""1945: The telegrams: the chapter's events."""

import streamlit as st

from sinosoviet.filters import events_in_chapters
from sinosoviet.tables import event_table
from sinosoviet.ui.components import show_event_table
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("1945: The telegrams")
st.markdown(
    "Stalin's cables to Yan'an in August 1945, the cancelled city uprisings, and Mao's flight to Chongqing."
)
chapter_events = events_in_chapters(dataset.events, ["telegrams-1945"])
show_event_table(event_table(chapter_events, dataset), key="telegrams_events")
