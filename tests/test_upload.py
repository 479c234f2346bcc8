"""Unit tests for sinosoviet.upload: every kind of malformed file is refused with a message naming the problem."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from sinosoviet.loaders import load_dataset
from sinosoviet.ui.upload_view import keep_uploads_in_memory
from sinosoviet.upload import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, load_upload, template_csv
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
    ("id with a trailing space", lambda: as_csv({**GOOD_ROW, "id": "1949-12-21-note "}), 2, "id"),
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
    """Test that .streamlit/config.toml's server.maxUploadSize (in MB) equals the page's limit, so a request made
    without the page cannot store a bigger file (tests/browser/test_hardening.py sends one)."""
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES


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
    """Test that once the app has set up the server, a file as big as the page allows is parsed without a
    temporary file; and that without that set-up the parser does write one, so the watch can see it."""
    content = b"x" * MAX_UPLOAD_BYTES
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024 * 1024)  # Starlette's own default
    with files_opened_for_writing() as written:
        assert _parse_multipart(content) == content
    assert written, "Starlette no longer spools big parts to disk: the set-up below may be unneeded"
    keep_uploads_in_memory()
    with files_opened_for_writing() as written:
        assert _parse_multipart(content) == content
    assert written == []
