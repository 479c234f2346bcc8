"""1945: The telegrams: the message log of August–October 1945, then the period's events in the explorer."""

import streamlit as st

from sinosoviet.ui.chapter_views import show_message_log
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.explorer import show_explorer
from sinosoviet.ui.routing import ensure_routed
from sinosoviet.ui.view_state import PAGE_DEFAULTS, load_view_from_url

ensure_routed()
dataset = get_dataset()

st.title("1945: The telegrams")
st.markdown(
    "In August 1945 the Soviet Union entered the war against Japan and signed a treaty with Chiang Kai-shek's "
    "government. Within days Stalin cabled Yan'an: China must not slide into civil war, and Mao should accept "
    "Chiang's invitation to talks in Chongqing. The CCP called off the city uprisings it had just ordered, and "
    "on 28 August Mao flew to Chongqing. The dates of Stalin's cables are disputed; the log says who says what."
)
defaults = PAGE_DEFAULTS["telegrams"]
# Read a shared link's view first, so its selected message is marked in the log and on its map too.
load_view_from_url(dataset, defaults)
st.subheader("The message log, August–October 1945")
show_message_log(dataset)
st.subheader("The period's events")
show_explorer(dataset, defaults, page_title="1945: The telegrams")
