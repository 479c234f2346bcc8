"""Page components shared by several pages: each takes prepared data and renders it, nothing more."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sinosoviet.registry import PageEntry, page
from sinosoviet.tables import KeyFigures
from sinosoviet.text import escape_markdown


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


def show_column_dictionary(dictionary: pd.DataFrame, *, key: str) -> None:
    """A data dictionary as text, a column per item, so that no meaning is cut off as in a grid's short rows."""
    with st.container(key=key):
        for column in dictionary.to_dict(orient="records"):
            details = [column["type"], "required" if column["required"] == "yes" else "optional"]
            if column["allowed values"]:
                details.append(f"one of: {column['allowed values']}")
            if column["refers to"]:
                details.append(f"an id in {column['refers to']}")
            st.markdown(
                f"**`{column['column']}`** ({escape_markdown('; '.join(details))}): "
                f"{escape_markdown(column['meaning'])}"
            )


def show_contested_claims(claims: pd.DataFrame) -> None:
    """Every contested event with who says what, whole, as text: a grid's rows cut the notes mid-sentence."""
    with st.container(key="contested_claims"):
        for claim in claims.to_dict(orient="records"):
            with st.container(border=True):
                st.markdown(f"**{escape_markdown(claim['date'])}** · {escape_markdown(claim['title'])}")
                st.markdown(escape_markdown(claim["who says what"]))
