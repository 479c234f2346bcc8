"""Unit tests for sinosoviet.tables on the fixture tables."""

import pytest

from sinosoviet.loaders import load_dataset
from sinosoviet.schema import EVENTS
from sinosoviet.tables import (
    chapter_summary,
    data_dictionary,
    event_table,
    key_figures,
    provisions_table,
    sources_table,
)


@pytest.fixture
def dataset(fixture_data_dir):
    return load_dataset(fixture_data_dir)


def test_event_table_uses_names_and_date_labels(dataset):
    """Test that the reader-facing table shows place and people names and the date at its precision."""
    table = event_table(dataset.events, dataset).set_index("id")
    assert table.loc["1949-12-16-first-meeting", "people"] == "Mao Zedong; Joseph Stalin"
    assert table.loc["1949-12-gifts", "date"] == "Dec 1949"
    assert table.loc["1949-12-06-mao-leaves", "place"] == "Beijing"
    assert table.loc["1949-12-16-first-meeting", "first source"].startswith(
        "https://digitalarchive.wilsoncenter.org/"
    )


def test_key_figures_count_primary_and_contested_events(dataset):
    """Test that one of three fixture events cites a primary source and none is contested."""
    figures = key_figures(dataset)
    assert (figures.events, figures.sources, figures.primary_events, figures.contested_events) == (3, 2, 1, 0)
    assert figures.primary_share == pytest.approx(1 / 3)


def test_chapter_summary_lists_only_chapters_with_events(dataset):
    """Test that the summary has one row per chapter that holds events."""
    summary = chapter_summary(dataset.events)
    assert summary["chapter"].tolist() == ["Mao in Moscow, 1949–1950"]
    assert summary["events"].tolist() == [3]


def test_data_dictionary_has_a_row_per_schema_column():
    """Test that the data dictionary is generated from the schema, column for column."""
    dictionary = data_dictionary(EVENTS)
    assert dictionary["column"].tolist() == EVENTS.column_names
    assert "contested" in dictionary.set_index("column").loc["certainty", "allowed values"]


def test_provisions_table_prints_dates_at_their_precision(dataset):
    """Test that a month-precision deadline is printed without a day."""
    row = provisions_table(dataset.treaty_provisions).iloc[0]
    assert (row["deadline"], row["carried out"]) == ("Dec 1952", "31 Dec 1952")


def test_sources_table_puts_primary_first_and_says_what_cites_each(dataset):
    """Test that the bibliography lists the archival record before the book, and counts citations in every table."""
    table = sources_table(dataset).set_index("id")
    assert table.index.tolist() == ["usc-stalin-mao-1949-12-16", "westad-brothers-in-arms"]
    assert table.loc["usc-stalin-mao-1949-12-16", "kind"] == "archival record"
    assert (
        table.loc["usc-stalin-mao-1949-12-16", "cited_by"] == "cited by 1 event, 1 treaty topic and 2 people"
    )
    assert table.loc["westad-brothers-in-arms", "cited_by"].startswith(
        "cited by 2 events, 2 stops on journeys"
    )
