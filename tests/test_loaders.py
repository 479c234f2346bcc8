"""Unit tests for sinosoviet.loaders on the fixture tables, including broken copies of them."""

import pytest

from sinosoviet.errors import DataFileMissingError, DataFileUnreadableError, DataValidationError
from sinosoviet.loaders import (
    load_actors,
    load_dataset,
    load_events,
    load_places,
    load_routes,
    load_sources,
    load_treaty_provisions,
)
from tests.conftest import refuse_to_read


def test_fixture_dataset_loads_with_typed_columns(fixture_data_dir):
    """Test that the loader types numbers and adds the derived date columns."""
    dataset = load_dataset(fixture_data_dir)
    assert dataset.places["lat"].dtype == "float64"
    gifts = dataset.events.set_index("id").loc["1949-12-gifts"]
    assert gifts["date_label"] == "Dec 1949"
    assert (gifts["start_first"].day, gifts["end_last"].day) == (1, 31)


def test_one_loader_per_table_reads_its_own_file(fixture_data_dir):
    """Test that each per-table loader reads, validates and types its own file on its own."""
    assert len(load_sources(fixture_data_dir)) == 2
    assert len(load_places(fixture_data_dir)) == 2
    assert len(load_actors(fixture_data_dir)) == 2
    assert len(load_events(fixture_data_dir)) == 3
    assert load_routes(fixture_data_dir)["seq"].tolist() == [1, 2]
    assert load_treaty_provisions(fixture_data_dir)["topic"].tolist() == ["Chinese Changchun Railway"]


def test_missing_column_names_the_file_and_column(broken_data_dir):
    """Test that a data file without a required column produces a message naming file and column."""
    folder = broken_data_dir("events.csv", lambda table: table.drop(columns=["place_id"]))
    with pytest.raises(DataValidationError) as caught:
        load_dataset(folder)
    assert "events.csv, column place_id: the column 'place_id' is missing" in str(caught.value)


def test_unknown_place_names_the_file_row_and_id(broken_data_dir):
    """Test that an unknown place id produces a message naming file, row, id, column and rule."""

    def break_place(table):
        table.loc[1, "place_id"] = "lushun"
        return table

    with pytest.raises(DataValidationError) as caught:
        load_dataset(broken_data_dir("events.csv", break_place))
    message = str(caught.value)
    assert "events.csv row 3 (id=1949-12-16-first-meeting), column place_id" in message
    assert "'lushun' is not an id in places.csv [unknown reference]" in message
    assert "Traceback" not in message


def test_missing_file_is_named(broken_data_dir):
    """Test that a missing table raises DataFileMissingError naming it."""
    folder = broken_data_dir("places.csv", lambda table: table)
    (folder / "routes.csv").unlink()
    with pytest.raises(DataFileMissingError, match=r"routes\.csv is missing"):
        load_dataset(folder)


def test_non_utf8_file_is_named(broken_data_dir):
    """Test that a file in another encoding raises DataFileUnreadableError naming it."""
    folder = broken_data_dir("places.csv", lambda table: table)
    (folder / "places.csv").write_bytes("id,name\nx,P\xe9kin\n".encode("latin-1"))
    with pytest.raises(DataFileUnreadableError, match=r"places\.csv is not valid UTF-8"):
        load_dataset(folder)


def test_missing_file_message_does_not_show_the_servers_path(broken_data_dir):
    """Test that the error page's text names the file in its folder, not the server's absolute path."""
    folder = broken_data_dir("places.csv", lambda table: table)
    (folder / "routes.csv").unlink()
    with pytest.raises(DataFileMissingError) as caught:
        load_dataset(folder)
    assert str(folder) not in str(caught.value)
    assert f"{folder.name}/routes.csv" in str(caught.value)


def test_a_file_that_cannot_be_read_is_a_data_error(broken_data_dir, monkeypatch):
    """Test that a bundled file the server may not read raises DataFileUnreadableError naming it (the app shows
    its data error page), not the PermissionError that gave Streamlit's generic error."""
    folder = broken_data_dir("places.csv", lambda table: table)
    refuse_to_read(monkeypatch, "routes.csv")
    with pytest.raises(DataFileUnreadableError, match=r"routes\.csv could not be read \(Permission denied\)"):
        load_dataset(folder)


def test_the_bundled_loader_reads_cells_in_the_same_normal_form_as_uploads(broken_data_dir):
    """Test that the bundled tables go through the upload's normal form before validation and typing: padding
    and full-width or Arabic-Indic digits load as ASCII, so the two paths agree on what a cell says."""

    def write_oddly(table):
        table.loc[0, "lat"] = "\u00a0３９.９٠"
        table.loc[0, "id"] = table.loc[0, "id"] + "\u200b "
        return table

    original = load_places(broken_data_dir("places.csv", lambda table: table))
    places = load_places(broken_data_dir("places.csv", write_oddly))
    assert places.loc[0, "lat"] == 39.9
    assert places.loc[0, "id"] == original.loc[0, "id"]
    assert load_dataset(broken_data_dir("places.csv", write_oddly)).places.loc[0, "lat"] == 39.9
