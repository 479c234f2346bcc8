"""1950: The treaty: the 1945 and 1950 treaties compared, and the chapter's events."""

import streamlit as st

from sinosoviet.filters import events_in_chapters
from sinosoviet.tables import event_table, provisions_table
from sinosoviet.ui.components import show_event_table
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("1950: The treaty")
st.markdown(
    "The Treaty of Friendship, Alliance and Mutual Assistance, signed in Moscow on 14 February 1950, replaced the "
    "Treaty of Friendship and Alliance that Chiang Kai-shek's government had signed on 14 August 1945."
)
st.subheader("1945 and 1950, topic by topic")
st.dataframe(provisions_table(dataset.treaty_provisions), key="treaty_provisions", hide_index=True)
st.subheader("Negotiation, signing and implementation")
show_event_table(
    event_table(events_in_chapters(dataset.events, ["treaty-1950"]), dataset), key="treaty_events"
)
