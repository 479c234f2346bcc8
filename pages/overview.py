"""Overview: what the app is and for whom, the figures that sum it up, the whole period, and the chapters."""

import streamlit as st

from sinosoviet.tables import key_figures
from sinosoviet.ui.chapter_views import show_chapter_cards, show_compact_timeline
from sinosoviet.ui.components import show_key_figures
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import page_event_counts

ensure_routed()
dataset = get_dataset()

st.title("Mao and Stalin, 1944–1950")
st.markdown(
    "From Stalin's cables of August 1945 urging Mao not to fight a civil war and to go to Chongqing, to Mao's "
    "first journey to Moscow in December 1949 and the Sino-Soviet Treaty of Friendship, Alliance and Mutual "
    "Assistance signed on 14 February 1950. For students, teachers, researchers and readers of Cold War history: "
    "every event names its sources and shows how certain it is, dates are exactly as precise as the evidence, "
    "and where historians disagree the app says who says what."
)
show_key_figures(derived(key_figures))
st.subheader("The whole period")
show_compact_timeline()
st.subheader("The chapters")
show_chapter_cards(derived(page_event_counts))
explore_column, sources_column = st.columns(2)
explore_column.page_link("pages/explore.py", label="Explore all events: filter, select, share a link",
                         icon=":material/travel_explore:")  # fmt: skip
sources_column.page_link("pages/sources.py", label="Sources & method: how we know, and what is disputed",
                         icon=":material/menu_book:")  # fmt: skip
