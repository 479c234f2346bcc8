"""Unit tests for sinosoviet.upload: every kind of malformed file is refused with a message naming the problem."""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from sinosoviet.loaders import load_dataset
from sinosoviet.ui.upload_view import keep_uploads_in_memory
from sinosoviet.upload import (
    MAX_COLUMNS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    MAX_UPLOAD_ROWS,
    SERVER_UPLOAD_BYTES,
    UPLOAD_EVENTS,
    load_upload,
    template_csv,
)
from tests.conftest import REAL_DATA_DIR, REPO_ROOT

GOOD_ROW = {
    "id": "1949-12-21-note", "start": "1949-12-21", "end": "", "date_precision": "day",
    "title": "A note", "summary": "Something happened.", "chapter": "moscow-visit", "kind": "meeting",
    "place_id": "moscow", "origin_place_id": "", "destination_place_id": "", "related_place_ids": "",
    "actors": "mao-zedong", "source_ids": "", "certainty": "single-source", "certainty_note": "My own notes only.",
}  # fmt: skip


@pytest.fixture(scope="module")
def bundled():
    return load_dataset(REAL_DATA_DIR)


def as_csv(*rows: dict) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def problems_of(bundled, content: bytes, filename: str = "mine.csv") -> list[tuple]:
    result = load_upload(filename, content, bundled)
    assert result.dataset is None, "a file with problems must not load"
    return [(p.row, p.column, p.rule, p.message) for p in result.problems]


def test_a_clean_file_loads_with_its_own_place(bundled):
    """Test that a valid file loads, and a row with lat and lon brings its own place onto the map."""
    own = {**GOOD_ROW, "id": "1950-01-05-elsewhere", "place_id": "my-village", "lat": "40.5", "lon": "115.25",
           "place_name": "My village"}  # fmt: skip
    result = load_upload(
        "mine.csv", as_csv({**GOOD_ROW, "lat": "", "lon": "", "place_name": ""}, own), bundled
    )
    assert result.problems == ()
    assert result.dataset.events["id"].tolist() == ["1949-12-21-note", "1950-01-05-elsewhere"]
    village = result.dataset.places.set_index("id").loc["my-village"]
    assert (village["name"], village["lat"]) == ("My village", 40.5)
    assert result.dataset.routes.empty


def test_the_template_loads_as_it_is(bundled):
    """Test that the downloadable template is itself a valid upload."""
    result = load_upload("events-template.csv", template_csv(bundled), bundled)
    assert result.problems == ()
    assert len(result.dataset.events) == 2


def test_json_lists_of_objects_load(bundled):
    """Test that JSON in the export's shape loads too."""
    result = load_upload("mine.json", json.dumps([GOOD_ROW]).encode("utf-8"), bundled)
    assert result.problems == ()


CASES = [
    ("missing column", lambda: as_csv({k: v for k, v in GOOD_ROW.items() if k != "title"}), None, "title"),
    ("bad date", lambda: as_csv({**GOOD_ROW, "start": "21/12/1949"}), 2, "start"),
    ("impossible date", lambda: as_csv({**GOOD_ROW, "start": "1950-02-30"}), 2, "start"),
    ("end before start", lambda: as_csv({**GOOD_ROW, "end": "1949-12-01"}), 2, "end"),
    ("unknown precision", lambda: as_csv({**GOOD_ROW, "date_precision": "roughly"}), 2, "date_precision"),
    ("precision mismatch", lambda: as_csv({**GOOD_ROW, "date_precision": "month"}), 2, "start"),
    ("latitude out of range", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "95", "lon": "10"}), 2, "lat"),
    ("longitude without latitude", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "", "lon": "10"}), 2, "lat"),
    ("duplicate id", lambda: as_csv(GOOD_ROW, GOOD_ROW), 3, "id"),
    ("unknown place", lambda: as_csv({**GOOD_ROW, "place_id": "atlantis"}), 2, "place_id"),
    ("unknown person", lambda: as_csv({**GOOD_ROW, "actors": "mao-zedong;napoleon"}), 2, "actors"),
    ("unknown source", lambda: as_csv({**GOOD_ROW, "source_ids": "my-diary"}), 2, "source_ids"),
    ("unknown kind", lambda: as_csv({**GOOD_ROW, "kind": "picnic"}), 2, "kind"),
    ("contested without a note", lambda: as_csv({**GOOD_ROW, "certainty": "contested", "certainty_note": ""}), 2,
     "certainty_note"),
    ("contested without a note column", lambda: as_csv({k: v for k, v in GOOD_ROW.items() if k != "certainty_note"}
                                                       | {"certainty": "contested"}), 2, "certainty_note"),
    ("id not a slug", lambda: as_csv({**GOOD_ROW, "id": "My Event!"}), 2, "id"),
    ("unknown column", lambda: as_csv({**GOOD_ROW, "colour": "red"}), None, "colour"),
    ("telegram without ends", lambda: as_csv({**GOOD_ROW, "kind": "telegram"}), 2, "origin_place_id"),
    # Each of these crashed the page with Streamlit's generic error instead of being reported (issue 13).
    ("year 0000", lambda: as_csv({**GOOD_ROW, "start": "0000", "date_precision": "year"}), 2, "start"),
    ("year before the app's range", lambda: as_csv({**GOOD_ROW, "start": "1600", "date_precision": "year"}), 2,
     "start"),
    ("year after the app's range", lambda: as_csv({**GOOD_ROW, "end": "9999-12-31"}), 2, "end"),
    ("NaN latitude", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "NaN", "lon": "10"}), 2, "lat"),
    ("nan longitude", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "10", "lon": "nan"}), 2, "lon"),
    ("infinite latitude", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "-inf", "lon": "10"}), 2, "lat"),
    ("underscored number", lambda: as_csv({**GOOD_ROW, "place_id": "x", "lat": "1_0", "lon": "10"}), 2, "lat"),
    ("id with a space inside", lambda: as_csv({**GOOD_ROW, "id": "1949-12-21 note"}), 2, "id"),
    ("bidi override in a summary", lambda: as_csv({**GOOD_ROW, "summary": "safe \u202etxt.exe"}), 2, "summary"),
    ("control character in a title", lambda: as_csv({**GOOD_ROW, "title": "bell\x07"}), 2, "title"),
    ("overlong title", lambda: as_csv({**GOOD_ROW, "title": "x" * 201}), 2, "title"),
    ("overlong summary", lambda: as_csv({**GOOD_ROW, "summary": "x" * 20_000}), 2, "summary"),
    ("5,000-digit number", lambda: json.dumps([{**GOOD_ROW, "place_id": "x", "lon": "10"}]).replace(
        '"lon": "10"', '"lon": 10, "lat": ' + "9" * 5000).encode(), 2, "lat"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "row", "column"), CASES, ids=[case[0] for case in CASES])
def test_each_malformed_row_is_reported_with_row_and_column(bundled, name, make, row, column):
    """Test that each kind of bad content is refused, naming the row and the column."""
    content = make()
    found = problems_of(bundled, content, "mine.json" if content.startswith(b"[") else "mine.csv")
    assert any(r == row and c == column for r, c, _rule, _message in found), found


def test_a_lat_column_without_a_lon_column_is_reported_not_raised(bundled):
    """Regression: a file with a lat column but no lon column crashed the upload page instead of saying so."""
    row = {key: value for key, value in GOOD_ROW.items()} | {"place_id": "atlantis", "lat": "40"}
    found = problems_of(bundled, as_csv(row))
    assert (None, "lon", "missing column") in [(r, c, rule) for r, c, rule, _message in found]
    assert (2, "place_id", "unknown reference") in [(r, c, rule) for r, c, rule, _message in found]


def test_every_problem_is_reported_at_once(bundled):
    """Test that one file with three bad rows yields all three problems in one report."""
    found = problems_of(bundled, as_csv({**GOOD_ROW, "start": "x"}, {**GOOD_ROW, "id": "b", "kind": "y"},
                                        {**GOOD_ROW, "id": "c", "place_id": "z"}))  # fmt: skip
    assert {(r, c) for r, c, _rule, _message in found} >= {(2, "start"), (3, "kind"), (4, "place_id")}


@pytest.mark.parametrize(
    ("name", "content", "filename", "rule"),
    [
        ("wrong encoding", "id,title\nx,Pékin\n".encode("latin-1"), "mine.csv", "encoding"),
        ("empty file", b"   \n", "mine.csv", "empty"),
        ("header only", b"id,start\n", "mine.csv", "no rows"),
        ("not JSON", b"{not json", "mine.json", "not JSON"),
        ("JSON not a list", b'{"id": "x"}', "mine.json", "JSON shape"),
        ("binary garbage", bytes(range(256)) * 4, "mine.csv", "encoding"),
        ("ragged CSV", b'id,start\n"a,1949\n', "mine.csv", "not CSV"),
        ("semicolon-separated", b"id;start;title\na;1949;x\n", "mine.csv", "separator"),
        ("tab-separated", b"id\tstart\ta\t1949\n", "mine.csv", "separator"),
        ("UTF-16 with a byte-order mark", "id,start\na,1949\n".encode("utf-16"), "mine.csv", "encoding"),
        (
            "UTF-16 without a byte-order mark",
            "id,start\na,1949\n".encode("utf-16-le"),
            "mine.csv",
            "encoding",
        ),
        ("JSON nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "mine.json", "not JSON"),
        ("JSON object as a value", b'[{"id": {"a": 1}}]', "mine.json", "JSON shape"),
        ("repeated JSON key", b'[{"id": "a", "title": "x", "id": "b"}]', "mine.json", "repeated key"),
    ],
)
def test_unreadable_files_are_refused_with_their_reason(bundled, name, content, filename, rule):
    """Test that encoding, emptiness and format problems are named, never raised."""
    assert [r for _row, _column, r, _message in problems_of(bundled, content, filename)] == [rule]


def test_encoding_problems_say_how_to_save_the_file(bundled):
    """Test that a UTF-16 file is named as such, with the spreadsheet's own name for the format to choose."""
    [(_, _, _, message)] = problems_of(bundled, "id,start\na,1949\n".encode("utf-16-le"))
    assert "UTF-16" in message
    assert "CSV UTF-8 (comma delimited)" in message


def test_json_numbers_are_kept_as_written(bundled):
    """Test that JSON numbers reach the validator as their text: 40.50 stays 40.50, and huge numbers do not raise."""
    row = {**GOOD_ROW, "place_id": "x", "place_name": "X"}
    text = json.dumps([row])[:-2] + ', "lat": 40.50, "lon": 1e3}]'
    found = problems_of(bundled, text.encode(), "mine.json")
    assert [(c, m) for _r, c, _rule, m in found] == [("lon", "1e3 is above the maximum 180")]


def test_size_and_row_caps(bundled, monkeypatch):
    """Test that files over the size cap or the row cap are refused with the limits in the message."""
    monkeypatch.setattr("sinosoviet.upload.MAX_UPLOAD_BYTES", 100)
    [(_, _, rule, message)] = problems_of(bundled, as_csv(GOOD_ROW) * 2)
    assert rule == "too large"
    assert "limit" in message
    monkeypatch.undo()
    many = pd.DataFrame([GOOD_ROW] * (MAX_UPLOAD_ROWS + 1)).to_csv(index=False).encode()
    [(_, _, rule, message)] = problems_of(bundled, many)
    assert rule == "too many rows"
    assert f"{MAX_UPLOAD_ROWS:,}" in message


def test_markup_loads_as_plain_text(bundled):
    """Test that HTML and markdown in a summary are kept as typed: they are shown escaped, not refused."""
    hostile = {**GOOD_ROW, "title": "<script>alert(1)</script>", "summary": "[click](javascript:alert(1))"}
    result = load_upload("mine.csv", as_csv(hostile), bundled)
    assert result.dataset.events.loc[0, "title"] == "<script>alert(1)</script>"


def test_an_id_padded_with_spaces_loads_trimmed(bundled):
    """Test that spaces around an id, once refused because the loader used the cell as written, are now trimmed
    by the one normal form that validation and loading share (an id with a space inside is still refused)."""
    result = load_upload(
        "mine.csv", as_csv({**GOOD_ROW, "id": " 1949-12-21-note\u00a0", "place_id": "moscow "}), bundled
    )
    assert result.problems == ()
    assert result.dataset.events.loc[0, ["id", "place_id"]].tolist() == ["1949-12-21-note", "moscow"]


# Cells that passed validation but reached the loader and the charts as written, and crashed pages (issue 22),
# with what the typed dataset now holds.
ODD_CELLS = [
    ("certainty padded with a no-break space", {"certainty": "single-source\u00a0"}, "certainty", "single-source"),
    ("precision after a space", {"date_precision": " day"}, "date_precision", "day"),
    ("date in Arabic-Indic digits", {"start": "١٩٤٩-١٢-٢١"}, "start", "1949-12-21"),
    ("date in full-width digits", {"start": "１９４９-１２-２１"}, "start", "1949-12-21"),
    ("date in Devanagari digits", {"start": "१९४९-१२-२१"}, "start", "1949-12-21"),
    ("kind in full-width letters", {"kind": "ｍｅｅｔｉｎｇ"}, "kind", "meeting"),
    ("zero-width space inside an id", {"id": "1949-12-21\u200b-note"}, "id", "1949-12-21-note"),
    ("ideographic space and full-width semicolon in a list", {"actors": "mao-zedong；\u3000stalin"}, "actors",
     "mao-zedong; stalin"),
    ("byte-order mark before a place", {"place_id": "\ufeffmoscow"}, "place_id", "moscow"),
    ("title padded with a thin space", {"title": "\u2009A note\u2009"}, "title", "A note"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "change", "column", "expected"), ODD_CELLS, ids=[case[0] for case in ODD_CELLS]
)
def test_cells_in_odd_unicode_load_in_normal_form(bundled, name, change, column, expected):
    """Test that each odd but readable cell loads, and the typed dataset holds its normal form, the very text the
    validator checked."""
    result = load_upload("mine.csv", as_csv({**GOOD_ROW, **change}), bundled)
    assert result.problems == ()
    assert result.dataset.events.loc[0, column] == expected


@pytest.mark.parametrize(
    ("name", "lat", "expected"),
    [("full-width digits", "３９.９", 39.9), ("no-break space padding", "\u00a039.9", 39.9),
     ("Arabic-Indic digits", "٣٩.٩", 39.9), ("zero-width joiner inside", "39\u200d.9", 39.9)],
)  # fmt: skip
def test_coordinates_in_odd_digits_load_as_numbers(bundled, name, lat, expected):
    """Test that coordinates with other scripts' digits or invisible padding, which passed validation and then
    crashed the loader, load as the numbers they write."""
    row = {**GOOD_ROW, "place_id": "my-place", "lat": lat, "lon": "１１６.４", "place_name": "Mine"}
    result = load_upload("mine.csv", as_csv(row), bundled)
    assert result.problems == ()
    place = result.dataset.places.set_index("id").loc["my-place"]
    assert (place["lat"], place["lon"]) == (expected, 116.4)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("lat", "−39.9"),
        ("lat", "٣٩٫٩"),
        ("start", "1949-12-21\u0301"),
        ("id", "note-\u0430"),
        ("kind", "méeting"),
    ],
)
def test_what_the_normal_form_cannot_make_ascii_is_refused_by_name(bundled, column, value):
    """Test that a structured cell still not ASCII after normalising (a minus sign, an Arabic decimal separator, a
    combining accent, a Cyrillic a that looks Latin, an accented letter) is refused, quoting what is not ASCII."""
    row = {**GOOD_ROW, "place_id": "my-place", "lat": "39.9", "lon": "116.4", column: value}
    [(row_number, where, _rule, message)] = problems_of(bundled, as_csv(row))
    assert (row_number, where) == (2, column)
    assert any(not character.isascii() for character in message)


def test_a_row_may_repeat_its_bundled_places_own_name_and_coordinates(bundled):
    """Test that a row naming a bundled place may carry its name and coordinates, as the downloads write them."""
    moscow = bundled.places.set_index("id").loc["moscow"]
    row = {
        **GOOD_ROW,
        "place_name": moscow["name"],
        "lat": str(moscow["lat"]),
        "lon": str(moscow["lon"] + 1e-7),
    }
    result = load_upload("mine.csv", as_csv(row), bundled)
    assert result.problems == ()
    assert len(result.dataset.places) == len(bundled.places)


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"lat": "10", "lon": "20"}, "lat", "give a new place_id for a different place"),
        ({"place_name": "Moskva"}, "place_name", "leave place_name empty, or give a new place_id"),
    ],
)
def test_a_bundled_place_cannot_be_moved_or_renamed(bundled, change, column, words):
    """Test that coordinates or a name other than a bundled place's own are refused, saying to use a new id."""
    [(row, where, rule, message)] = problems_of(bundled, as_csv({**GOOD_ROW, **change}))
    assert (row, where, rule) == (2, column, "one place, one position")
    assert words in message


def test_a_place_of_your_own_has_one_position_and_one_name(bundled):
    """Test that rows giving one new place two positions or two names are refused at the later row."""
    here = {**GOOD_ROW, "place_id": "my-place", "lat": "40.5", "lon": "115.25", "place_name": "Here"}
    same = {**here, "id": "b", "lat": "40.50", "place_name": ""}  # the same number, written differently
    moved = {**here, "id": "c", "lat": "41"}
    renamed = {**here, "id": "d", "place_name": "There"}
    found = problems_of(bundled, as_csv(here, same, moved, renamed))
    assert [(row, column) for row, column, _rule, _message in found] == [(4, "lat"), (5, "place_name")]
    assert "in row 2" in found[0][3]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("wide.csv", b"a," * 2_000_000 + b"\n"),
        ("wide.json", ("[{" + ", ".join(f'"c{i}": 1' for i in range(MAX_COLUMNS + 1)) + "}]").encode()),
        ("keys.json", json.dumps([{f"c{i}": 1} for i in range(MAX_COLUMNS + 1)]).encode()),
    ],
)
def test_a_table_of_too_many_columns_is_refused_before_it_is_built(bundled, filename, content):
    """Test that a header of millions of columns, which pandas took minutes and gigabytes to read, or JSON objects
    naming more columns than an events file has, are refused with the count."""
    [(_, _, rule, message)] = problems_of(bundled, content, filename)
    assert rule == "too many columns"
    assert f"at most {len(UPLOAD_EVENTS.columns)}" in message


def test_a_downloads_apostrophe_before_a_formula_is_taken_away_in_csv_only(bundled):
    """Test that CSV cells lose the one apostrophe the downloads put before a formula (and a spreadsheet hides),
    and JSON cells, which are never escaped, keep theirs."""
    row = {**GOOD_ROW, "title": "'=1+1", "summary": "''-x\n'@y", "certainty_note": "it's '+ fine"}
    from_csv = load_upload("mine.csv", as_csv(row), bundled).dataset.events.loc[0]
    assert from_csv[["title", "summary", "certainty_note"]].tolist() == ["=1+1", "'-x\n@y", "it's '+ fine"]
    from_json = load_upload("mine.json", json.dumps([row]).encode(), bundled).dataset.events.loc[0]
    assert from_json[["title", "summary"]].tolist() == ["'=1+1", "''-x\n'@y"]


def test_the_template_has_the_columns_of_the_downloads(bundled):
    """Test that the template's columns are the upload's, in its order: a place's name and coordinates beside
    place_id, as the downloads write them."""
    columns = pd.read_csv(io.BytesIO(template_csv(bundled)), dtype=str).columns.tolist()
    assert columns == UPLOAD_EVENTS.column_names
    assert columns[columns.index("place_id") + 1 : columns.index("place_id") + 4] == [
        "place_name",
        "lat",
        "lon",
    ]


def test_a_file_wrong_on_every_row_lists_a_thousand_problems_and_says_there_are_more(bundled):
    """Test that the report stops at a thousand problems and a line saying there are more, with short messages."""
    rows = [{**GOOD_ROW, "id": f"e{i}", "kind": "k" * 150, "actors": "zz;" * 20} for i in range(2_000)]
    found = problems_of(bundled, as_csv(*rows))
    assert len(found) == 1_001
    assert found[-1][2] == "more problems"
    assert max(len(message) for _row, _column, _rule, message in found) < 300


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_writes_seen: list[str] | None = None  # a list while a block is being watched, else None


def _note_file_writes(event: str, args: tuple) -> None:
    # An audit hook sees every file the interpreter opens, by open(), os.open(), tempfile or a C extension
    # going through Python's io; it cannot be removed, so it only records while a block is being watched.
    if _writes_seen is None or event != "open":
        return
    path, mode, flags = args
    if (isinstance(mode, str) and set(mode) & set("wax+")) or (flags or 0) & _WRITE_FLAGS:
        _writes_seen.append(str(path))


sys.addaudithook(_note_file_writes)


@contextmanager
def files_opened_for_writing() -> Iterator[list[str]]:
    global _writes_seen
    _writes_seen = seen = []
    try:
        yield seen
    finally:
        _writes_seen = None


def test_the_file_write_watch_sees_a_temporary_file():
    """Test that the watch used below notices a file written to disk, so its silence means something."""
    with files_opened_for_writing() as written, tempfile.TemporaryFile() as spill:
        spill.write(b"spilled")
    assert written


@pytest.mark.parametrize("filename", ["mine.csv", "mine.json"])
def test_uploads_are_read_in_memory_only(bundled, filename):
    """Test that loading an upload, clean or malformed, opens no file for writing anywhere on disk."""
    clean = as_csv(GOOD_ROW) if filename.endswith(".csv") else json.dumps([GOOD_ROW]).encode()
    with files_opened_for_writing() as written:
        assert load_upload(filename, clean, bundled).dataset is not None
        assert load_upload(filename, clean[: len(clean) // 2] + b"\xff", bundled).dataset is None
    assert written == []


def test_the_servers_upload_limit_is_the_pages():
    """Test that .streamlit/config.toml's server.maxUploadSize is the page's number of megabytes, so a request made
    without the page cannot store a much bigger file (tests/browser/test_hardening.py sends one): Streamlit's
    server counts it in megabytes of 1024 × 1024 bytes, which hold the page's limit with room for the request's
    framing, and no whole number of megabytes less would."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    server_limit = config["server"]["maxUploadSize"]
    assert server_limit == MAX_UPLOAD_MB
    assert server_limit * 2**20 == SERVER_UPLOAD_BYTES
    assert (server_limit - 1) * 2**20 < MAX_UPLOAD_BYTES < SERVER_UPLOAD_BYTES - 2**16


def test_the_pages_limit_is_what_the_browser_enforces():
    """Test that the page's limit is what Streamlit's uploader refuses in the browser: it counts max_upload_size in
    megabytes of 1000 × 1000 bytes (of 1024 × 1024 only on Windows), so a file of 20 MiB, which the page once
    called allowed, was refused with the reason shown only on hover. The bundle is read to check it still does."""
    bundle = Path(streamlit.__file__).parent / "static"
    units = [path for path in bundle.rglob("*.js") if "Megabyte=`mb`" in path.read_text(errors="replace")]
    assert units, "Streamlit's size units moved: check how its uploader counts megabytes"
    assert "?1024:1e3" in units[0].read_text(), (
        "Streamlit's uploader no longer counts 1000 × 1000 bytes a megabyte"
    )
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 1000 * 1000


def test_a_file_just_over_the_limit_is_refused_in_bytes(bundled):
    """Test that a file one byte over the limit is refused with both sizes in bytes, not rounded to "20.0 MB"."""
    [(_, _, rule, message)] = problems_of(bundled, b"x" * (MAX_UPLOAD_BYTES + 1))
    assert rule == "too large"
    assert f"{MAX_UPLOAD_BYTES + 1:,} bytes" in message
    assert f"{MAX_UPLOAD_BYTES:,} bytes" in message


def _parse_multipart(content: bytes) -> bytes:
    """Parse one file upload the way Streamlit's server does (Starlette's form parser) and return its bytes."""
    boundary = "sinosoviet-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="mine.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())]

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def read() -> bytes:
        form = await Request({"type": "http", "method": "PUT", "headers": headers}, receive).form()
        return await form["file"].read()

    return asyncio.run(read())


def test_an_upload_at_the_limit_is_received_in_memory_only(monkeypatch):
    """Test that once the app has set up the server, a file as big as the server takes (a Windows browser sends
    up to 20 MiB) is parsed without a temporary file; and that without that set-up the parser does write one, so
    the watch can see it."""
    content = b"x" * SERVER_UPLOAD_BYTES
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024 * 1024)  # Starlette's own default
    with files_opened_for_writing() as written:
        assert _parse_multipart(content) == content
    assert written, "Starlette no longer spools big parts to disk: the set-up below may be unneeded"
    keep_uploads_in_memory()
    with files_opened_for_writing() as written:
        assert _parse_multipart(content) == content
    assert written == []
