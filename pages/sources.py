"""Sources & method: every source with a link, and the data dictionary generated from the schema."""

from datetime import date

import streamlit as st

from sinosoviet.schema import ALL_TABLES
from sinosoviet.tables import (
    contested_claims,
    dataset_citation,
    full_data_dictionary,
    glossary,
    seed_corrections_markdown,
    sources_table,
)
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.routing import ensure_routed

ensure_routed()
dataset = get_dataset()

st.title("Sources & method")
st.markdown(
    "Every event cites at least one source that we opened and read. Primary sources are records of "
    "conversations, cables and treaty texts; the rest are scholarship and reference works. Where sources "
    "disagree, the event is marked *contested* and its note says who says what."
)
st.subheader("Sources")
st.dataframe(
    derived(sources_table),
    key="sources_table",
    hide_index=True,
    column_order=["title", "author_or_producer", "year", "kind", "cited_by_events", "url", "accessed"],
    column_config={
        "url": st.column_config.LinkColumn("Link"),
        "author_or_producer": "Author or producer",
        "cited_by_events": st.column_config.NumberColumn("Cited by events"),
    },
)
st.subheader("Contested claims")
st.markdown(
    "Where the sources disagree on a date or a claim, the event is marked *contested* and not decided "
    "silently. These are all of them, with who says what."
)
st.dataframe(
    derived(contested_claims),
    key="contested_table",
    hide_index=True,
    row_height=70,
    column_config={"who says what": st.column_config.TextColumn(width="large")},
)
st.subheader("Names and their variants")
st.markdown(
    "Places appear under the names used in 1944–50 (Port Arthur, Dairen, Chungking, Peiping) with "
    "today's names beside them; people under pinyin, with the pseudonyms they signed cables with."
)
st.dataframe(derived(glossary), key="glossary_table", hide_index=True)
st.subheader("What the source article got wrong")
st.markdown(
    "The app was commissioned from a Chinese article on Mao and Stalin that had been put through a poor machine "
    "translation. Its garbled names, mistranslated figures and disputed claims were checked against the sources."
)
with st.expander("The corrections, in the article's order", key="seed_corrections"):
    st.markdown(derived(seed_corrections_markdown))
st.subheader("Data dictionary")
st.markdown("\n".join(f"- **{schema.filename}**: {schema.description}" for schema in ALL_TABLES))
st.dataframe(
    derived(full_data_dictionary),
    key="dictionary_table",
    hide_index=True,
    height=420,
    column_config={"meaning": st.column_config.TextColumn(width="large")},
)
st.subheader("How to cite")
st.markdown(
    "To cite one view, use *Cite this view* under any chart: its link reopens exactly that view. "
    "To cite the dataset as a whole:"
)
st.code(dataset_citation(date.today(), st.context.url or ""), language=None, wrap_lines=True)
