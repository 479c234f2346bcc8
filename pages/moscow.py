"""1949–50: Mao in Moscow: the chapter's events."""

import streamlit as st

from sinosoviet.filters import events_in_chapters
from sinosoviet.tables import event_table
from sinosoviet.ui.components import show_event_table
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("1949–50: Mao in Moscow")
st.markdown("Mao's first journey abroad: ten weeks in Moscow, from 16 December 1949 to 17 February 1950.")
chapter_events = events_in_chapters(dataset.events, ["moscow-visit"])
show_event_table(event_table(chapter_events, dataset), key="moscow_events")
