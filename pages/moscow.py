"""1949–50: Mao in Moscow: the visit day by day, its key figures and prelude, then its events."""

import streamlit as st

from sinosoviet.chapters import postponed_visits, visit_figures
from sinosoviet.registry import page
from sinosoviet.ui.chapter_views import show_day_player, show_postponed_visits, show_visit_figures
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import sidebar_view

ensure_routed()
entry = page("moscow")
dataset = get_dataset()

show_heading(entry)
view = sidebar_view(dataset, entry)
show_visit_figures(derived(visit_figures))
show_postponed_visits(derived(postponed_visits))
st.subheader("Day by day")
show_day_player(dataset)
st.subheader("The visit's events")
show_explorer(dataset, entry, view)
