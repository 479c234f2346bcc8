"""A small hierarchy of data errors, each saying which invariant broke and where.

The app shows `str(error)` on an error page; nothing here should ever reach a user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from sinosoviet.text import counted_noun


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place in one file."""

    filename: str
    row: int | None  # spreadsheet-style: the header is row 1, the first record row 2
    column: str | None
    rule: str  # a short name for the invariant, e.g. "unknown reference"
    message: str
    record_id: str | None = None

    def __str__(self) -> str:
        where = self.filename
        if self.row is not None:
            where += f" row {self.row}"
            if self.record_id:
                where += f" (id={self.record_id})"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message} [{self.rule}]"


class DataError(Exception):
    """Base class: the bundled or uploaded data cannot be used."""


class DataFileMissingError(DataError):
    """A data file the app needs is not there."""


class DataFileUnreadableError(DataError):
    """A data file exists but cannot be read as UTF-8 CSV."""


class DataValidationError(DataError):
    """A data file was read, but some of its rows break the schema. Holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"- {problem}" for problem in self.problems[:50])
        more = f"\n… and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        count = len(self.problems)
        super().__init__(f"{counted_noun(count, 'problem', 'problems')} in the data:\n{shown}{more}")
