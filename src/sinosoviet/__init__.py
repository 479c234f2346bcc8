"""Mao Zedong and Stalin, 1944–1950: a sourced event dataset and the Streamlit app that explores it."""
