"""Overview: what the app is, the figures that sum the dataset up, and the way into each chapter."""

import streamlit as st

from sinosoviet.tables import chapter_summary, key_figures
from sinosoviet.ui.components import show_key_figures
from sinosoviet.ui.data import get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("Mao and Stalin, 1944–1950")
st.markdown(
    "From Stalin's cables of August 1945 urging Mao not to fight a civil war and to go to Chongqing, to Mao's first "
    "journey to Moscow in December 1949 and the Sino-Soviet Treaty of Friendship, Alliance and Mutual Assistance "
    "signed on 14 February 1950. Every event here names its sources, shows how certain it is, and is dated "
    "exactly as precisely as the evidence allows."
)
show_key_figures(key_figures(dataset))

st.subheader("The chapters")
st.dataframe(chapter_summary(dataset.events), key="overview_chapters", hide_index=True)
columns = st.columns(3)
columns[0].page_link("pages/telegrams.py", label="1945: The telegrams", icon=":material/mail:")
columns[1].page_link("pages/moscow.py", label="1949–50: Mao in Moscow", icon=":material/train:")
columns[2].page_link("pages/treaty.py", label="1950: The treaty", icon=":material/handshake:")
