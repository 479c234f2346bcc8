"""The text of a cell: its one normal form, how a problem quotes it, and how CSV keeps it from running as a formula.

A table is put into normal form once, as it is read (the bundled data in `loaders`, a reader's file in `upload`),
before it is checked and before it is typed, so the validator judges exactly the text the loader and the charts
will use. (They once read the same cell differently: the validator trimmed "confirmed\u00a0" and " day", the
charts used them as written, and a file that passed crashed a page.)

The normal form:
- Every cell loses the white space (any Unicode space: no-break, thin, ideographic, ...) and the zero-width
  characters (U+200B–U+200D, U+2060, U+FEFF) at its ends. Inside free text (titles, summaries, names, notes)
  nothing changes: a zero-width joiner may be part of a word.
- A structured cell (an id, an id list, a date, a number, a URL, a DOI, an ISBN, or a column with a fixed list
  of values such as certainty) also loses the zero-width characters inside it, is put in NFKC form, which turns
  full-width letters, digits and punctuation ("３９.９", "ｍｏｓｃｏｗ", "；") into ASCII, and has the decimal
  digits of every other script ("١٩٤٩") turned into ASCII digits. Whatever is still not ASCII is left for the
  validator to refuse by name: its patterns for structured values are ASCII only (a URL's path excepted).
- A cell longer than its column allows is left as it is: the validator refuses it for its length anyway, and
  normalising megabytes only to refuse them would cost more than the cell (NFKC can make a text 18 times
  longer). `normal_code` on its own only trims such a cell.

The form is idempotent: a table in normal form is its own normal form (the bundled tables are written in it).

A CSV download must not run code when a spreadsheet opens it, and must load again as it was. A spreadsheet
reads a cell, or a line inside one, that starts with =, +, -, @, a tab or a carriage return as a formula, and
shows a cell that starts with an apostrophe as the text after it. So `escape_formula` puts one more apostrophe
in front of every such start that is preceded by apostrophes only (`'*[=+-@\t\r]`), and `unescape_formula`,
which the upload applies to CSV cells, takes one away again from each of them. Every text escapes to a different
text and unescapes back (tests/test_cells.py proves it on arbitrary text); a cell that a reader's spreadsheet
wrote as "'=1+1" loads as "=1+1", as the spreadsheet showed it. JSON is neither escaped nor unescaped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sinosoviet.schema import Column, ColumnType, TableSchema

# Every character Python's str.isspace() counts as white space (tests/test_cells.py checks the list is complete),
# and the zero-width characters, which are invisible at the end of a cell as white space is.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
EDGE_CHARACTERS = WHITE_SPACE + ZERO_WIDTH
_REMOVE_ZERO_WIDTH = str.maketrans(dict.fromkeys(ZERO_WIDTH))
MAX_QUOTED = 60  # characters of a value quoted back in a problem


def shortened(value: object) -> str:
    """At most MAX_QUOTED characters of a value, then "…" if it goes on: a problem that quoted a cell whole let
    one file send megabytes of problem text to the page."""
    text = str(value)
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED] + "…"


def quoted(value: object) -> str:
    """A value as a problem quotes it: shortened, in quotes, with invisible characters made visible."""
    text = str(value)
    return repr(text[:MAX_QUOTED]) + ("…" if len(text) > MAX_QUOTED else "")


def is_structured(column: Column) -> bool:
    """True for a column whose cells are codes rather than prose: ids, dates, numbers, links, fixed values."""
    return column.type is not ColumnType.TEXT or bool(column.allowed)


@functools.cache
def _ascii_digits() -> dict[int, int]:
    # Built on first use, in about 0.2 s: the bundled data never needs it.
    return {
        code: ord("0") + unicodedata.decimal(chr(code))
        for code in range(128, 0x110000)
        if unicodedata.category(chr(code)) == "Nd"
    }


def normal_text(cell: str) -> str:
    """A free-text cell in normal form: white space and zero-width characters trimmed from its ends."""
    return cell.strip(EDGE_CHARACTERS)


def normal_code(cell: str, max_length: int) -> str:
    """A structured cell in normal form: trimmed, without zero-width characters, in NFKC, with ASCII digits."""
    cell = cell.strip(EDGE_CHARACTERS)
    if cell.isascii() or len(cell) > max_length:
        return cell
    # Zero-width characters go first: between two characters that NFKC would compose they keep them apart, so
    # removing them afterwards would leave a text that is not in NFKC form, and not idempotent.
    cell = unicodedata.normalize("NFKC", cell.translate(_REMOVE_ZERO_WIDTH))
    return cell.translate(_ascii_digits()).strip(EDGE_CHARACTERS)


def normal_cell(cell: str, column: Column) -> str:
    """One cell of a column in normal form."""
    return normal_code(cell, column.max_length) if is_structured(column) else normal_text(cell)


_FEW_ROWS = 1000


@dataclass(frozen=True)
class DistinctCells:
    """A column as codes into its distinct cells, so that each distinct cell is worked on once (a column holds
    few: kinds, places, dates). A cell longer than `longest` is never made a Python string, which for a 20 MB
    cell would cost another 20 MB or more: its text is None, and only its length is kept."""

    codes: np.ndarray  # one per row
    texts: list[str | None]  # one per code
    long_lengths: dict[int, int]  # the length of each cell left out, by its code

    @classmethod
    def of(cls, column: pd.Series, longest: int) -> DistinctCells:
        is_text_array = column.dtype != object  # pandas' own strings, stored in Arrow rather than as objects
        # A column of fewer bytes than `longest` cannot hold a cell longer than that: no need to measure.
        if is_text_array and column.array.nbytes > longest:
            lengths = column.str.len().to_numpy()
            long_rows = np.flatnonzero(lengths > longest)
        else:
            long_rows = np.array([], dtype=np.intp)
        keep = np.ones(len(column), dtype=bool)
        keep[long_rows] = False
        short = column[keep] if len(long_rows) else column
        # pandas factorizes a few Python objects faster than its own Arrow strings, and many Arrow strings faster
        # than the Python objects it would first have to make of them.
        few = len(short) <= _FEW_ROWS or not is_text_array
        codes, uniques = pd.factorize(short.to_numpy(dtype=object) if few else short)
        texts: list[str | None] = list(uniques)
        long_lengths = {}
        for code, text in enumerate(
            texts
        ):  # an object column's cells are Python strings already: measure them
            if len(text) > longest:
                texts[code], long_lengths[code] = None, len(text)
        if len(long_rows):  # each long cell has a code of its own
            all_codes = np.empty(len(column), dtype=np.intp)
            all_codes[keep] = codes
            all_codes[long_rows] = np.arange(len(texts), len(texts) + len(long_rows))
            long_lengths |= {len(texts) + i: int(lengths[row]) for i, row in enumerate(long_rows.tolist())}
            texts += [None] * len(long_rows)
            codes = all_codes
        return cls(codes, texts, long_lengths)

    def rows_with(self, codes: list[int]) -> np.ndarray:
        """The positions of the rows holding any of these codes, in table order."""
        return np.flatnonzero(np.isin(self.codes, codes))


def normalise_table(frame: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """A table of text cells with every cell of the schema's columns in normal form; other columns as they are.

    Each distinct cell of a column goes through `normal_cell` once, and a column is rewritten only in the rows
    whose cell changes (in the bundled tables, none). A cell longer than its column allows is left as it is, for
    the validator to refuse.
    """
    normal = frame.copy(deep=False)
    for column in schema.columns:
        if column.name not in frame:
            continue
        cells = frame[column.name]
        distinct = DistinctCells.of(cells, longest=column.max_length)
        changed = {}
        for code, text in enumerate(distinct.texts):
            if text is not None and (form := normal_cell(text, column)) != text:
                changed[code] = form
        if changed:
            rows = distinct.rows_with(list(changed))
            forms = pd.Series(
                [changed[code] for code in distinct.codes[rows].tolist()], index=cells.index[rows]
            )
            normal[column.name] = cells.mask(np.isin(np.arange(len(cells)), rows), forms)
    return normal


# A position at the start of a cell or of a line inside it, before apostrophes (perhaps none) and a character a
# spreadsheet takes for the start of a formula. Zero-width, so that the matches of adjacent lines never overlap.
_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))(?='*[=+\-@\t\r])")
_ESCAPED_FORMULA_START = re.compile(r"(?:^|(?<=[\r\n]))'(?='*[=+\-@\t\r])")


def escape_formula(text: str) -> str:
    """The text with an apostrophe before each start of a cell or a line that a spreadsheet would run."""
    return _FORMULA_START.sub("'", text)


def unescape_formula(text: str) -> str:
    """The text `escape_formula` was given: one apostrophe taken from each escaped start of the cell or a line."""
    return _ESCAPED_FORMULA_START.sub("", text)
