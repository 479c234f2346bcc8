"""Your events: upload an events file of your own and explore it with every view, for this session only."""

from sinosoviet.registry import page
from sinosoviet.ui.components import show_heading
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.upload_view import (
    show_return_to_bundled,
    show_template_and_dictionary,
    show_upload_at_a_glance,
    show_uploader,
)

ensure_routed()
entry = page("upload")
get_dataset()

show_heading(entry)
show_template_and_dictionary()
show_uploader()
show_upload_at_a_glance()
show_return_to_bundled()
