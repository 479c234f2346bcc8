"""1945: The telegrams: the message log of the page's period, then the period's events in the explorer."""

import streamlit as st

from sinosoviet.dates import format_months
from sinosoviet.registry import page
from sinosoviet.ui.chapter_views import show_message_log
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import sidebar_view

ensure_routed()
entry = page("telegrams")
dataset = get_dataset()

show_heading(entry)
view = sidebar_view(dataset, entry)
st.subheader(f"The message log, {format_months(*entry.period)}")
show_message_log(dataset, entry, view.selected_event)
st.subheader("The period's events")
show_explorer(dataset, entry, view)
