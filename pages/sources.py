"""Sources & method: the bibliography with its downloads, the disputes, the names, and the data dictionary."""

from datetime import date

import streamlit as st

from sinosoviet.bibliography import CITATION_STYLE_NAME, to_bibtex, to_csl_json, to_ris
from sinosoviet.citation import cite_dataset
from sinosoviet.registry import page
from sinosoviet.schema import ALL_TABLES
from sinosoviet.tables import (
    bibliography_sections,
    canonical_homes,
    contested_claims,
    data_date,
    full_data_dictionary,
    glossary,
    key_figures,
    seed_corrections_markdown,
    sources_by_kind,
)
from sinosoviet.ui.components import show_contested_claims, show_heading
from sinosoviet.ui.data import derived, get_dataset
from sinosoviet.ui.routing import ensure_routed

BIBLIOGRAPHY_DOWNLOADS = (
    ("Bibliography (BibTeX)", to_bibtex, "sources.bib", "application/x-bibtex"),
    ("Bibliography (RIS)", to_ris, "sources.ris", "application/x-research-info-systems"),
    ("Bibliography (CSL-JSON)", to_csl_json, "sources.json", "application/vnd.citationstyles.csl+json"),
)

ensure_routed()
entry = page("sources")
dataset = get_dataset()

show_heading(entry)
figures = key_figures(dataset)
primary_column, sources_column = st.columns(2)
primary_column.metric(
    "Events resting on a primary source",
    f"{figures.primary_share:.0%}",
    help=f"{figures.primary_events} of {figures.events} events cite an archival record, an official "
    "publication or contemporary press.",
)
sources_column.metric("Works cited", figures.sources)
st.dataframe(
    derived(sources_by_kind),
    key="sources_by_kind",
    hide_index=True,
    column_config={
        "kind": "Kind of work",
        "primary": st.column_config.CheckboxColumn("Primary source"),
        "sources": st.column_config.NumberColumn("Works"),
    },
)
st.subheader("Bibliography")
st.markdown(
    f"Citations follow the {CITATION_STYLE_NAME}. Links go only to a work's own home: the archive that "
    "publishes it, its publisher, a library catalogue or a reference work. A book is cited by its pages."
)
download_columns = st.columns(3)
for column, (label, make, filename, mime) in zip(download_columns, BIBLIOGRAPHY_DOWNLOADS, strict=True):
    # Made only when a reader clicks: most visits never need the files.
    column.download_button(label, lambda make=make: make(dataset.sources), filename, mime,
                           key=f"download_{filename}", icon=":material/download:", on_click="ignore")  # fmt: skip
st.caption("BibTeX and RIS open in any reference manager; CSL-JSON is what Zotero imports most completely.")
with st.container(key="bibliography"):
    for section in derived(bibliography_sections):
        with st.expander(section.label, expanded=section.primary):
            st.markdown(section.markdown)
st.subheader("Contested claims")
st.markdown(
    "Where the sources disagree on a date or a claim, the event is marked *contested* and not decided "
    "silently. These are all of them, with who says what."
)
show_contested_claims(derived(contested_claims))
st.subheader("Names and their variants")
st.markdown(
    "Places in China appear under today's pinyin names (Lüshun, Dalian, Chongqing, Beijing); the forms in the "
    "sources of the time (Port Arthur, Dairen, Chungking, Peiping) are listed here and shown in the maps' hovers. "
    "Places elsewhere keep the English names of the time (Leningrad, Sverdlovsk), with today's names beside them. "
    "People appear under pinyin, with the pseudonyms they signed cables with."
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
with st.expander("Where a source may link", key="canonical_homes"):
    st.markdown(
        "A link in the bibliography goes to the work's own home, never to a copy of it. These are the homes the "
        "validator accepts; any other link is refused, and a work read elsewhere is cited by its pages instead."
    )
    st.dataframe(
        derived(canonical_homes),
        hide_index=True,
        column_config={"hosts": st.column_config.TextColumn(width="large")},
    )
st.subheader("How to cite")
st.markdown(
    "To cite one view, use *Cite this view* under any chart: its link reopens exactly that view. "
    "To cite the dataset as a whole:"
)
st.code(cite_dataset(st.context.url or "", date.today(), derived(data_date)), language=None, wrap_lines=True)
