"""1949–50: Mao in Moscow: the visit day by day, its key figures and prelude, then its events."""

import streamlit as st

from sinosoviet.chapters import postponed_visits, visit_figures
from sinosoviet.ui.chapter_views import show_day_player, show_postponed_visits, show_visit_figures
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import PAGE_DEFAULTS

ensure_routed()
dataset = get_dataset()

st.title("1949–50: Mao in Moscow")
st.markdown(
    "Mao's first journey abroad. He left Beijing by train on 6 December 1949, met Stalin on the evening he "
    "arrived, sat beside him at the seventieth-birthday gala, and then waited for weeks while Stalin declined "
    "to replace the 1945 treaty. In early January Moscow gave way; Zhou Enlai came to negotiate, and the new "
    "treaty was signed on 14 February. Mao was back in Beijing on 4 March 1950."
)
show_visit_figures(derived(visit_figures))
show_postponed_visits(derived(postponed_visits))
st.subheader("Day by day")
show_day_player(dataset)
st.subheader("The visit's events")
show_explorer(dataset, PAGE_DEFAULTS["moscow"], page_title="1949–50: Mao in Moscow")
