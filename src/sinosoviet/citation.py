"""How to cite a view of the app, or the dataset as a whole.

Title, maintainers and version come from the package's own metadata (pyproject.toml), the same values as in
CITATION.cff, so a citation copied from the app and one made from the repository name the same work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import metadata

from sinosoviet.registry import zoom_windows
from sinosoviet.schema import CHAPTER_TITLES

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


def describe_view(
    page_title: str, shown: int, total: int, selected_title: str | None, filters: Sequence[str] = ()
) -> str:
    """A short title for a view: the page, how much of the data it shows and by which filters, and the selected
    event."""
    scope = "all events" if shown == total else f"{shown} of {total} events"
    title = f"{page_title} ({'; '.join((scope, *filters))})"
    return f"{title}: {selected_title}" if selected_title else title


def view_filters(state, dataset) -> list[str]:
    """The view's filters as a reader would name them, for its citation's title: "kind: telegram", "people: Mao
    Zedong", "shown: Aug–Oct 1945", "search: Port Arthur"."""
    chosen = state.filter
    actors = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    places = dict(zip(dataset.places["id"], dataset.places["name"], strict=True))
    # Each list filter: how the title calls it, and the names of its ids (kinds and certainties are their own).
    fields = {"chapters": ("chapter", CHAPTER_TITLES), "kinds": ("kind", {}), "actors": ("people", actors),
              "places": ("places", places), "certainties": ("certainty", {})}  # fmt: skip
    described = [
        f"{label}: {', '.join(names.get(value, value) for value in getattr(chosen, field))}"
        for field, (label, names) in fields.items()
        if getattr(chosen, field)
    ]
    if chosen.start or chosen.end:
        described.append(f"from {chosen.start or 'the first event'} to {chosen.end or 'the last'}")
    window = zoom_windows().get(state.zoom)
    if window and window.period:
        described.append(f"shown: {window.label}")
    if chosen.text.strip():
        described.append(f"search: {chosen.text.strip()}")
    return described
