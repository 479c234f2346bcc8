"""Unit tests for sinosoviet.cells: the one normal form of a cell, quoting, and the CSV formula escape."""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinosoviet.cells import (
    EDGE_CHARACTERS,
    MAX_QUOTED,
    WHITE_SPACE,
    DistinctCells,
    escape_formula,
    is_structured,
    normal_cell,
    normalise_table,
    quoted,
    unescape_formula,
)
from sinosoviet.loaders import read_raw_table
from sinosoviet.schema import ALL_TABLES, EVENTS, Column, ColumnType, TableSchema
from tests.conftest import REAL_DATA_DIR, examples

CODE = EVENTS.column("start")  # a structured column
PROSE = EVENTS.column("summary")  # a free-text column
# Arbitrary text, weighted towards what the normal form and the escape work on.
ODD_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            [*EDGE_CHARACTERS, "'", "=", "+", "-", "@", "\t", "\r", "\n", "３", "١", "ｍ", "e", "\u0301"]
        ),
    ),
    max_size=30,
)
EXAMPLES = settings(max_examples=examples(300), deadline=None)


def test_white_space_is_every_character_python_calls_white_space():
    """Test that the list of white space trimmed from cells is exactly what str.isspace() accepts."""
    assert set(WHITE_SPACE) == {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}


@pytest.mark.parametrize(
    "padding", ["\u00a0", "\u2009", "\u3000", "\u200b", "\ufeff", "\u2060", "\u202f", " \t", "\r\n"]
)
@pytest.mark.parametrize("column", [CODE, PROSE], ids=["structured", "free text"])
def test_a_cell_loses_white_space_and_zero_width_characters_at_its_ends(padding, column):
    """Test that no-break, thin, ideographic and zero-width spaces and byte-order marks go from both ends."""
    assert normal_cell(f"{padding}1949-12{padding}", column) == "1949-12"


def test_free_text_keeps_its_inner_text():
    """Test that a summary keeps its inner spaces, joiners, line breaks and full-width digits as written."""
    text = "Mao\u00a0Zedong\u200d met ３ times\nin Moscow"
    assert normal_cell(f"\u3000{text}\u200b", PROSE) == text


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("３９.９", "39.9"),
        ("١٩٤٩-١٢-٠٦", "1949-12-06"),
        ("۱۹۴۹", "1949"),  # Persian digits
        ("१९४९-१२", "1949-12"),  # Devanagari
        ("１９４９－１２", "1949-12"),  # a full-width hyphen too
        ("ｍｏｓｃｏｗ", "moscow"),
        ("mao-\u200bzedong", "mao-zedong"),
        ("mao-zedong；\u3000stalin", "mao-zedong; stalin"),
        ("𝟏𝟗𝟒𝟗", "1949"),  # mathematical bold digits
    ],
)
def test_structured_cells_are_written_in_ascii(written, normal):
    """Test that full-width forms, other scripts' digits and zero-width characters become plain ASCII."""
    assert normal_cell(written, CODE) == normal


@pytest.mark.parametrize("written", ["−39.9", "39٫9", "ø", "\u0430", "e\u0301x"])
def test_what_has_no_ascii_form_is_left_for_the_validator(written):
    """Test that a minus sign, an Arabic decimal separator and letters of other alphabets stay as they are (in NFKC),
    for the validator's ASCII patterns to refuse."""
    assert not normal_cell(written, CODE).isascii()


def test_enumerations_are_structured_and_prose_is_not():
    """Test that a column with a fixed list of values (certainty) is normalised like an id, a summary is not."""
    assert is_structured(EVENTS.column("certainty"))
    assert is_structured(EVENTS.column("actors"))
    assert not is_structured(PROSE)
    assert normal_cell("ｃｏｎｆｉｒｍｅｄ\u00a0", EVENTS.column("certainty")) == "confirmed"


@EXAMPLES
@given(text=ODD_TEXT, structured=st.booleans())
def test_the_normal_form_of_a_normal_cell_is_itself(text, structured):
    """Test that normalising is idempotent, so a table can be read, normalised, exported and read again."""
    column = CODE if structured else PROSE
    once = normal_cell(text, column)
    assert normal_cell(once, column) == once
    assert once == once.strip(EDGE_CHARACTERS)


SMALL = TableSchema(
    "t",
    "t.csv",
    "",
    (Column("code", ColumnType.SLUG, "", max_length=12), Column("prose", ColumnType.TEXT, "", max_length=12)),
)


@EXAMPLES
@given(
    rows=st.lists(st.tuples(ODD_TEXT, ODD_TEXT), min_size=1, max_size=5),
    dtype=st.sampled_from([str, object]),
)
def test_normalising_a_table_normalises_each_cell_short_enough_to_keep(rows, dtype):
    """Test that a table in normal form is each of its cells in normal form, for pandas' own strings and for Python
    objects alike, except a cell longer than its column allows, which is left for the validator to refuse."""
    frame = pd.DataFrame(rows, columns=["code", "prose"], dtype=dtype).assign(other=" left alone ")
    normal = normalise_table(frame, SMALL)
    for name in ("code", "prose"):
        column = SMALL.column(name)
        expected = [normal_cell(cell, column) if len(cell) <= 12 else cell for cell in frame[name]]
        assert normal[name].tolist() == expected
    assert normal["other"].tolist() == frame["other"].tolist()


def test_the_bundled_tables_are_written_in_normal_form():
    """Test that normalising the bundled tables changes nothing: the files say exactly what the app uses."""
    for schema in ALL_TABLES:
        raw = read_raw_table(schema, REAL_DATA_DIR)
        assert normalise_table(raw, schema).equals(raw), schema.filename


def test_a_long_cell_is_measured_not_copied():
    """Test that a cell longer than the limit is left out of the distinct texts, with its length, in its own code."""
    distinct = DistinctCells.of(pd.Series(["a", "x" * 50, "a", "x" * 50], dtype=str), longest=10)
    assert distinct.texts[: distinct.codes[0] + 1] == ["a"]
    assert [distinct.texts[code] for code in distinct.codes] == ["a", None, "a", None]
    assert sorted(distinct.long_lengths.values()) == [50, 50]


@pytest.mark.parametrize("value", ["x" * 10_000, "\u202e" * 100, 12.5])
def test_a_quote_is_short_and_shows_invisible_characters(value):
    """Test that a problem quotes at most MAX_QUOTED characters of a value, in quotes, with escapes for controls."""
    shown = quoted(value)
    assert len(shown) <= 6 * MAX_QUOTED + 3
    assert "\u202e" not in shown
    assert shown.startswith("'")


@EXAMPLES
@given(text=ODD_TEXT)
def test_unescaping_undoes_escaping_exactly(text):
    """Test that the CSV formula escape is one-to-one and undone by the upload's unescape, on any text at all."""
    assert unescape_formula(escape_formula(text)) == text


@EXAMPLES
@given(text=ODD_TEXT)
def test_escaped_text_starts_no_line_with_a_formula(text):
    """Test that after escaping, no cell and no line inside one begins with =, +, -, @, a tab or a carriage return
    (each such start has an apostrophe before it), so a spreadsheet runs nothing."""
    escaped = escape_formula(text)
    assert not re.search(r"(?:^|(?<=[\r\n]))[=+\-@\t\r]", escaped)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("'=1+1", "''=1+1"),
        ("it's", "it's"),
        ("'quoted'", "'quoted'"),
        ("a\r=b\n@c", "a\r'=b\n'@c"),
        ("\r\r=", "'\r'\r'="),
        ("-5 degrees", "'-5 degrees"),
    ],
)
def test_an_apostrophe_goes_before_each_formula_start(text, escaped):
    """Test a few escapes written out: apostrophes already there are kept, and one more is added."""
    assert escape_formula(text) == escaped
    assert unescape_formula(escaped) == text


def test_a_spreadsheets_own_apostrophe_is_taken_as_the_spreadsheet_shows_it():
    """Test that "'=1+1", which a spreadsheet shows as =1+1, is read as =1+1."""
    assert unescape_formula("'=1+1") == "=1+1"
