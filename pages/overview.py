"""Overview: what the app is and for whom, the figures that sum it up, the whole period, and the chapter pages."""

import streamlit as st

from sinosoviet.registry import page
from sinosoviet.tables import key_figures
from sinosoviet.ui.chapter_views import show_chapter_cards, show_compact_timeline
from sinosoviet.ui.components import show_heading, show_key_figures
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import page_event_counts

ensure_routed()
entry = page("overview")
dataset = get_dataset()

show_heading(entry)
show_key_figures(derived(key_figures))
st.subheader("The whole period")
show_compact_timeline()
st.subheader("The chapters")
show_chapter_cards(derived(page_event_counts))
explore, sources = page("explore"), page("sources")
explore_column, sources_column = st.columns(2)
explore_column.page_link(explore.path, label="Explore all events: filter, select, share a link",
                         icon=":material/travel_explore:")  # fmt: skip
sources_column.page_link(sources.path, label="Sources & method: how we know, and what is disputed",
                         icon=":material/menu_book:")  # fmt: skip
