"""Page components shared by several pages: each takes prepared data and renders it, nothing more."""

from __future__ import annotations

import streamlit as st

from sinosoviet.registry import PageEntry, page
from sinosoviet.tables import KeyFigures


def show_heading(entry: PageEntry) -> None:
    """The page's heading and introduction, as its registry entry gives them."""
    st.title(entry.heading)
    st.markdown(entry.intro)


def show_key_figures(figures: KeyFigures) -> None:
    columns = st.columns(4)
    columns[0].metric("Events", figures.events, help=f"From {figures.first_year} to {figures.last_year}")
    columns[1].metric(
        "Works cited",
        figures.sources,
        help="Archival records, official publications, press, memoirs, scholarship and reference works, each "
        f"listed on {page('sources').nav_title}",
    )
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
