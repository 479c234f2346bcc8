"""Explore events: every event, filterable, on a linked timeline, map and table."""

from sinosoviet.registry import page
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import sidebar_view

ensure_routed()
entry = page("explore")
dataset = get_dataset()

show_heading(entry)
show_explorer(dataset, entry, sidebar_view(dataset, entry))
