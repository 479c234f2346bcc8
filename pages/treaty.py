"""1950: The treaty: the 1945 and 1950 treaties compared, their obligations over time, places and events."""

import streamlit as st

from sinosoviet.chapters import signatories
from sinosoviet.ui.chapter_views import show_obligations, show_treaty_comparison, show_treaty_places
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import PAGE_DEFAULTS

ensure_routed()
dataset = get_dataset()

st.title("1950: The treaty")
st.markdown(
    "The Treaty of Friendship, Alliance and Mutual Assistance, signed in Moscow on 14 February 1950, replaced the "
    "Treaty of Friendship and Alliance that Chiang Kai-shek's government had signed on 14 August 1945. The railway "
    "and the naval base at Lüshun (Port Arthur) came back to China, the administration of Dalian (Dairen) at once, "
    "and Moscow lent 300 million US dollars."
)
st.subheader("1945 and 1950, topic by topic")
show_treaty_comparison(dataset, derived(signatories))
st.subheader("The obligations over time")
show_obligations(dataset)
st.subheader("The treaty places")
show_treaty_places(dataset)
st.subheader("Negotiation, signing and after")
show_explorer(dataset, PAGE_DEFAULTS["treaty"], page_title="1950: The treaty")
