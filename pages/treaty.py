"""1950: The treaty: the 1945 and 1950 treaties compared, their obligations over time, places and events."""

import streamlit as st

from sinosoviet.chapters import signatories
from sinosoviet.registry import page
from sinosoviet.ui.chapter_views import show_obligations, show_treaty_comparison, show_treaty_places
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import sidebar_view

ensure_routed()
entry = page("treaty")
dataset = get_dataset()

show_heading(entry)
view = sidebar_view(dataset, entry)
st.subheader("1945 and 1950, topic by topic")
show_treaty_comparison(dataset, derived(signatories))
st.subheader("The obligations over time")
show_obligations(dataset)
st.subheader("The treaty places")
show_treaty_places(dataset)
st.subheader("Negotiation, signing and after")
show_explorer(dataset, entry, view)
