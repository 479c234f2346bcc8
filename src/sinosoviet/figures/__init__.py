"""Figure builders: pure functions, a DataFrame and keyword options in, a plotly Figure out. No Streamlit here."""
