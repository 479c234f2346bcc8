"""How to cite a view of the app, or the dataset as a whole."""

from __future__ import annotations

from datetime import date

APP_TITLE = "Mao and Stalin, 1944–1950: an interactive sourced history"


def cite_view(view_title: str, url: str, accessed: date) -> str:
    """A citation for exactly this view: title, URL (with its filters) and the day it was accessed."""
    return f"“{view_title}”. In {APP_TITLE}. {url}. Accessed {accessed.day} {accessed:%B %Y}."


def describe_view(page_title: str, shown: int, total: int, selected_title: str | None) -> str:
    """A short title for a view: the page, how much of the data it shows, and the selected event."""
    scope = "all events" if shown == total else f"{shown} of {total} events"
    title = f"{page_title} ({scope})"
    return f"{title}: {selected_title}" if selected_title else title
