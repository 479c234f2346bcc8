"""Page components shared by several pages: each takes prepared data and renders it, nothing more."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sinosoviet.tables import KeyFigures


def show_key_figures(figures: KeyFigures) -> None:
    columns = st.columns(4)
    columns[0].metric("Events", figures.events, help=f"From {figures.first_year} to {figures.last_year}")
    columns[1].metric("Sources opened", figures.sources)
    columns[2].metric(
        "Events citing a primary source",
        f"{figures.primary_share:.0%}",
        help="Records of conversations, cables and treaty texts",
    )
    columns[3].metric(
        "Contested events",
        figures.contested_events,
        help="Events whose date or substance the sources dispute",
    )


def show_event_table(table: pd.DataFrame, *, key: str, height: int | str = "auto") -> None:
    """Render the reader-facing event table made by `sinosoviet.tables.event_table`."""
    st.dataframe(
        table,
        key=key,
        hide_index=True,
        height=height,
        column_order=["date", "title", "place", "people", "certainty", "summary", "first source"],
        column_config={
            "date": st.column_config.TextColumn("Date", width="small"),
            "title": st.column_config.TextColumn("Event", width="medium"),
            "summary": st.column_config.TextColumn("Summary", width="large"),
            "place": st.column_config.TextColumn("Place"),
            "people": st.column_config.TextColumn("People"),
            "certainty": st.column_config.TextColumn("Certainty"),
            "first source": st.column_config.LinkColumn("Source", display_text="open"),
        },
    )
