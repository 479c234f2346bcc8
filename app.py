"""Entrypoint: page config and navigation only. The pages live in pages/, the logic in src/sinosoviet/."""

import streamlit as st

from sinosoviet.ui.routing import run_router

st.set_page_config(page_title="Mao and Stalin, 1944–1950", page_icon="static/favicon.png", layout="wide")
run_router()
