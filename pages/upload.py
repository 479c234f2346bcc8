"""Your events: upload an events file of your own and explore it with every view, for this session only."""

import streamlit as st

from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.upload_view import (
    show_return_to_bundled,
    show_template_and_dictionary,
    show_upload_at_a_glance,
    show_uploader,
)

ensure_routed()
get_dataset()

st.title("Your events")
st.markdown(
    "Bring the events you have gathered in the archives and explore them with every view of the app. Your file "
    "stays in this browser session: the server holds it in memory, never on its disk, no one else sees it, "
    "and it is let go two minutes after you close the page. Use the "
    "template (the same columns as the app's own events; places and sources are optional, and a row may give "
    "its own place with `lat` and `lon`). Every problem in the file is listed at once, with its row and column, "
    "and nothing is loaded until there are none."
)
show_template_and_dictionary()
show_uploader()
show_upload_at_a_glance()
show_return_to_bundled()
