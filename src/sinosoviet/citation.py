"""How to cite a view of the app, or the dataset as a whole.

Title, maintainers and version come from the package's own metadata (pyproject.toml), the same values as in
CITATION.cff, so a citation copied from the app and one made from the repository name the same work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import metadata

APP_TITLE = "Mao and Stalin, 1944–1950: An Interactive Sourced History"


@dataclass(frozen=True)
class WorkMetadata:
    title: str
    maintainers: str
    version: str


@cache
def work_metadata() -> WorkMetadata:
    package = metadata("sinosoviet")
    # pyproject's maintainers without e-mail addresses arrive in the Maintainer field.
    return WorkMetadata(title=APP_TITLE, maintainers=package["Maintainer"], version=package["Version"])


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _edition(version: str, data_date: date | None) -> str:
    return f"version {version}, data as of {_day(data_date)}" if data_date else f"version {version}"


def cite_view(view_title: str, url: str, accessed: date, data_date: date | None) -> str:
    """A citation for exactly this view: who made it, the view's title, version, data date, URL with its
    filters, and the day it was accessed."""
    work = work_metadata()
    return (
        f"{work.maintainers}. “{view_title}.” In {work.title}, {_edition(work.version, data_date)}. {url}. "
        f"Accessed {_day(accessed)}."
    )


def cite_dataset(url: str, accessed: date, data_date: date | None) -> str:
    """A citation for the dataset as a whole."""
    work = work_metadata()
    return (
        f"{work.maintainers}. {work.title}. Dataset of events, places, people, routes, treaty provisions and "
        f"sources, {_edition(work.version, data_date)}. {url}. Accessed {_day(accessed)}."
    )


def describe_view(page_title: str, shown: int, total: int, selected_title: str | None) -> str:
    """A short title for a view: the page, how much of the data it shows, and the selected event."""
    scope = "all events" if shown == total else f"{shown} of {total} events"
    title = f"{page_title} ({scope})"
    return f"{title}: {selected_title}" if selected_title else title
