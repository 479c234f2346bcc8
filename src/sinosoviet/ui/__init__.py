"""The Streamlit side: routing, cached data access and page components. Only this package imports streamlit."""
