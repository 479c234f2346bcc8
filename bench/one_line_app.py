"""A one-line Streamlit app: what bench/flood.py sets beside the app under the same rerun flood."""

import streamlit as st

st.write("Hello")
