"""The bibliography: CSL items, Chicago citations, and exports that reference managers read back."""

from __future__ import annotations

import json

import bibtexparser
import pandas as pd
import pytest
import rispy

from sinosoviet.bibliography import (
    csl_item,
    csl_names,
    formatted_citations,
    plain_citations,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from sinosoviet.loaders import load_sources
from tests.conftest import FIXTURE_DATA_DIR, REAL_DATA_DIR


@pytest.fixture(scope="module")
def real_sources() -> pd.DataFrame:
    return load_sources(REAL_DATA_DIR)


def test_names_split_into_family_and_given_or_stay_whole():
    """Test that 'Family, Given' names are split and East Asian names and institutions stay as written."""
    assert csl_names("Westad, Odd Arne; Shen Zhihua; Wilson Center") == [
        {"family": "Westad", "given": "Odd Arne"},
        {"literal": "Shen Zhihua"},
        {"literal": "Wilson Center"},
    ]


def test_an_archival_record_becomes_a_csl_manuscript_with_its_archive():
    """Test that the archive, its location, the dates and the link reach the CSL item."""
    record = load_sources(FIXTURE_DATA_DIR).set_index("id", drop=False).loc["usc-stalin-mao-1949-12-16"]
    item = csl_item(record.to_dict())
    assert item["type"] == "manuscript"
    assert item["archive_location"] == "f. 45, op. 1, d. 329, ll. 9–17"
    assert item["issued"] == {"date-parts": [[1949, 12, 16]]}
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]}


def test_a_chicago_citation_names_author_title_publisher_and_year():
    """Test the Chicago bibliography form of a book, and of a record with its archive and link."""
    citations = plain_citations(load_sources(FIXTURE_DATA_DIR))
    assert citations["westad-brothers-in-arms"] == (
        "Westad, Odd Arne. Brothers in Arms: The Rise and Fall of the Sino-Soviet Alliance, 1945–1963. "
        "Washington: Woodrow Wilson Center Press, 1998."
    )
    record = citations["usc-stalin-mao-1949-12-16"]
    assert "December 16, 1949" in record
    assert "Archive of the President of the Russian Federation" in record
    assert record.endswith("https://digitalarchive.wilsoncenter.org/document/111240.")


def test_markup_in_a_title_shows_literally_and_links_are_links():
    """Test that a title cannot inject Markdown or HTML, while the source's own URL becomes a link."""
    sources = load_sources(FIXTURE_DATA_DIR)
    sources.loc[sources["id"] == "westad-brothers-in-arms", "title"] = "A [link](http://evil) <b>x</b>"
    citations = formatted_citations(sources)
    assert "\\[link\\]\\(http\u2060\\:" in citations["westad-brothers-in-arms"]
    assert "<b>" not in citations["westad-brothers-in-arms"]
    assert (
        "(<https://digitalarchive.wilsoncenter.org/document/111240>)"
        in citations["usc-stalin-mao-1949-12-16"]
    )


def test_every_real_source_has_a_citation(real_sources):
    """Test that citeproc formats every source in the data, none empty."""
    citations = plain_citations(real_sources)
    assert set(citations) == set(real_sources["id"])
    assert all(len(text) > 20 for text in citations.values())


def test_bibtex_parses_back_with_every_source(real_sources):
    """Test that bibtexparser reads the BibTeX export back without errors and finds every source by key."""
    library = bibtexparser.parse_string(to_bibtex(real_sources))
    assert not library.failed_blocks
    assert {entry.key for entry in library.entries} == set(real_sources["id"])
    titles = {entry.key: entry["title"] for entry in library.entries}
    assert titles == dict(zip(real_sources["id"], real_sources["title"], strict=True))


def test_ris_parses_back_with_every_source(real_sources):
    """Test that rispy reads the RIS export back and finds every source by its ID tag."""
    records = rispy.loads(to_ris(real_sources))
    assert [record["id"] for record in records] == real_sources["id"].tolist()
    linked = real_sources[real_sources["url"] != ""]
    assert {record["id"]: record["urls"][0] for record in records if "urls" in record} == dict(
        zip(linked["id"], linked["url"], strict=True)
    )


def test_csl_json_parses_back_with_every_source(real_sources):
    """Test that the CSL-JSON export is a JSON list of items, one per source, with id, type and title."""
    items = json.loads(to_csl_json(real_sources))
    assert [item["id"] for item in items] == real_sources["id"].tolist()
    assert all(item["type"] and item["title"] for item in items)
