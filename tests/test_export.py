"""Unit tests for sinosoviet.export: downloads in the upload's columns, safe to open in a spreadsheet, and accepted
again by the upload as they are."""

import csv
import io
import json
import re

import pandas as pd
import pytest

from sinosoviet.export import events_to_csv, events_to_json, neutralise_formula
from sinosoviet.loaders import load_dataset, load_events, load_places
from sinosoviet.schema import EVENTS
from sinosoviet.upload import UPLOAD_EVENTS, load_upload
from tests.conftest import REAL_DATA_DIR


@pytest.fixture
def places(fixture_data_dir):
    return load_places(fixture_data_dir)


def test_csv_export_reads_back_with_formulas_neutralised(fixture_data_dir, places):
    """Test that cells starting with =, +, - or @ come back prefixed with an apostrophe."""
    events = load_events(fixture_data_dir)
    events.loc[0, "title"] = '=HYPERLINK("http://evil.example","x")'
    events.loc[1, "summary"] = "+1+1"
    events.loc[2, "title"] = "@SUM(A1)"
    exported = pd.read_csv(io.BytesIO(events_to_csv(events, places)), dtype=str, keep_default_na=False)
    assert exported.columns.tolist() == UPLOAD_EVENTS.column_names
    assert exported.loc[0, "title"].startswith("'=HYPERLINK")
    assert exported.loc[1, "summary"] == "'+1+1"
    assert exported.loc[2, "title"] == "'@SUM(A1)"


def test_json_export_keeps_the_text_exactly(fixture_data_dir, places):
    """Test that JSON, which no spreadsheet runs, keeps text as it is."""
    events = load_events(fixture_data_dir)
    events.loc[0, "title"] = "'=1+1"
    records = json.loads(events_to_json(events, places))
    assert [record["id"] for record in records] == events["id"].tolist()
    assert set(records[0]) == set(UPLOAD_EVENTS.column_names)
    assert records[0]["title"] == "'=1+1"


def test_plain_cells_are_left_alone():
    """Test that ordinary text and numbers pass through unchanged: a negative longitude is no formula."""
    assert neutralise_formula("Mao") == "Mao"
    assert neutralise_formula(3) == 3
    assert neutralise_formula(-33.9) == -33.9


def test_a_line_break_cannot_smuggle_a_formula_into_a_spreadsheet(fixture_data_dir, places):
    """Regression: "harmless\\r=1+1" was written unquoted, so a spreadsheet began a new row with a live formula."""
    events = load_events(fixture_data_dir)
    events.loc[0, "summary"] = "harmless\r=1+1"
    events.loc[1, "summary"] = "two lines\n@SUM(A1)"
    text = events_to_csv(events, places).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(events) + 1  # no row was split by the carriage return
    summaries = [row[UPLOAD_EVENTS.column_names.index("summary")] for row in rows[1:]]
    assert summaries[0] == "harmless\r'=1+1"
    assert summaries[1] == "two lines\n'@SUM(A1)"
    # Every line a spreadsheet might read as the start of a cell is either quoted or neutralised.
    assert not re.search(r"(^|[\r\n])[=+\-@]", text.replace('"', ""))


def test_each_event_carries_its_places_name_and_coordinates(fixture_data_dir, places):
    """Test that the downloads give each event's place name, latitude and longitude beside its place_id."""
    events = load_events(fixture_data_dir)
    exported = pd.read_csv(io.BytesIO(events_to_csv(events, places)))
    expected = places.set_index("id").loc[events["place_id"], ["name", "lat", "lon"]].reset_index(drop=True)
    assert exported[["place_name", "lat", "lon"]].to_numpy().tolist() == expected.to_numpy().tolist()


def test_a_download_of_an_upload_with_its_own_places_uploads_again():
    """Regression: the download of an upload whose rows brought their own places dropped lat, lon and place_name,
    so uploading it again was refused for unknown places, and CSV titles came back with apostrophes."""
    bundled = load_dataset(REAL_DATA_DIR)
    row = {column: "" for column in UPLOAD_EVENTS.column_names} | {
        "id": "1950-01-05-elsewhere", "start": "1950-01-05", "date_precision": "day", "title": "-1 degrees",
        "summary": "=cold\n+colder", "chapter": "moscow-visit", "kind": "meeting", "place_id": "my-village",
        "place_name": "My village", "lat": "40.5", "lon": "-115.25", "certainty": "confirmed",
    }  # fmt: skip
    first = load_upload("mine.json", json.dumps([row]).encode(), bundled).dataset
    for filename, write in (("again.csv", events_to_csv), ("again.json", events_to_json)):
        again = load_upload(filename, write(first.events, first.places), bundled)
        assert again.problems == ()
        assert again.dataset.events[EVENTS.column_names].equals(first.events[EVENTS.column_names])
        assert again.dataset.places.equals(first.places)


@pytest.mark.parametrize("write", [events_to_csv, events_to_json], ids=["csv", "json"])
def test_every_download_of_the_bundled_data_uploads_again_unchanged(write):
    """Test that the bundled events, downloaded, are an upload the app accepts, holding the same events."""
    bundled = load_dataset(REAL_DATA_DIR)
    filename = "events." + write.__name__.rsplit("_", 1)[-1]
    result = load_upload(filename, write(bundled.events, bundled.places), bundled)
    assert result.problems == ()
    assert result.dataset.events[EVENTS.column_names].equals(bundled.events[EVENTS.column_names])
    assert result.dataset.places.equals(bundled.places)
