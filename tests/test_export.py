"""Unit tests for sinosoviet.export: downloads in the schema's columns, safe to open in a spreadsheet."""

import csv
import io
import json
import re

import pandas as pd

from sinosoviet.export import events_to_csv, events_to_json, neutralise_formula
from sinosoviet.loaders import load_events
from sinosoviet.schema import EVENTS


def test_csv_export_reads_back_with_formulas_neutralised(fixture_data_dir):
    """Test that cells starting with =, +, - or @ come back prefixed with an apostrophe."""
    events = load_events(fixture_data_dir)
    events.loc[0, "title"] = '=HYPERLINK("http://evil.example","x")'
    events.loc[1, "summary"] = "+1+1"
    events.loc[2, "title"] = "@SUM(A1)"
    exported = pd.read_csv(io.BytesIO(events_to_csv(events)), dtype=str, keep_default_na=False)
    assert exported.columns.tolist() == EVENTS.column_names
    assert exported.loc[0, "title"].startswith("'=HYPERLINK")
    assert exported.loc[1, "summary"] == "'+1+1"
    assert exported.loc[2, "title"] == "'@SUM(A1)"


def test_json_export_keeps_the_text_exactly(fixture_data_dir):
    """Test that JSON, which no spreadsheet runs, keeps text as it is."""
    events = load_events(fixture_data_dir)
    records = json.loads(events_to_json(events))
    assert [record["id"] for record in records] == events["id"].tolist()
    assert set(records[0]) == set(EVENTS.column_names)


def test_plain_cells_are_left_alone():
    """Test that ordinary text and numbers pass through unchanged."""
    assert neutralise_formula("Mao") == "Mao"
    assert neutralise_formula(3) == 3


def test_a_line_break_cannot_smuggle_a_formula_into_a_spreadsheet(fixture_data_dir):
    """Regression: "harmless\\r=1+1" was written unquoted, so a spreadsheet began a new row with a live formula."""
    events = load_events(fixture_data_dir)
    events.loc[0, "summary"] = "harmless\r=1+1"
    events.loc[1, "summary"] = "two lines\n@SUM(A1)"
    text = events_to_csv(events).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == len(events) + 1  # no row was split by the carriage return
    summaries = [row[EVENTS.column_names.index("summary")] for row in rows[1:]]
    assert summaries[0] == "harmless\r'=1+1"
    assert summaries[1] == "two lines\n'@SUM(A1)"
    # Every line a spreadsheet might read as the start of a cell is either quoted or neutralised.
    assert not re.search(r"(^|[\r\n])[=+\-@]", text.replace('"', ""))
