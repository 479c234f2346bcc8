"""The view as a URL query string, and back: pure functions, so a shared link reproduces the exact view.

Only what differs from the page's defaults goes into the URL, lists are comma-separated ids
(`?chapter=telegrams-1945,moscow-visit&kind=telegram&event=1949-12-16-first-stalin-mao-meeting`), and dates are
ISO days. Reading is forgiving: an unknown or malformed value is dropped with a notice saying what was ignored,
never an exception, since links are typed, truncated and tampered with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sinosoviet.filters import EventFilter
from sinosoviet.registry import STORY_YEARS, zoom_windows
from sinosoviet.schema import CERTAINTIES, CHAPTERS, EVENT_KINDS

MAX_TEXT_LENGTH = 200
MAX_SHOWN_VALUE = 40  # characters of a rejected value quoted back in a notice

LIST_PARAMS = {
    "chapter": "chapters",
    "kind": "kinds",
    "actor": "actors",
    "place": "places",
    "certainty": "certainties",
}
# The timeline's pickers: the value a link writes, and the label of its button.
LANE_LABELS = {"chapter": "Chapter", "kind": "Kind", "actor": "Actor"}
COLOUR_LABELS = {"kind": "Kind", "chapter": "Chapter", "certainty": "Certainty"}
LANE_OPTIONS = tuple(LANE_LABELS)
COLOUR_OPTIONS = tuple(COLOUR_LABELS)


def zoom_options() -> tuple[str, ...]:
    """The Show choices a link may name: the registry's zoom windows, in the order of their buttons."""
    return tuple(zoom_windows())


@dataclass(frozen=True)
class Vocabulary:
    """The values a URL may name: ids present in the dataset, and the date range it covers."""

    chapters: frozenset[str]
    kinds: frozenset[str]
    actors: frozenset[str]
    places: frozenset[str]
    certainties: frozenset[str]
    event_ids: frozenset[str]
    first_day: date
    last_day: date


@dataclass(frozen=True)
class ViewState:
    """Everything a link reproduces: the filter, the selected event and how the timeline is drawn."""

    filter: EventFilter = field(default_factory=EventFilter)
    selected_event: str | None = None
    lanes: str = "chapter"
    colour: str = "kind"
    zoom: str = STORY_YEARS.key


@dataclass(frozen=True)
class ParsedQuery:
    state: ViewState
    notices: tuple[str, ...]


def _first(values: str | Sequence[str]) -> str:
    if isinstance(values, str):
        return values
    return values[-1] if values else ""


def _shown(value: str) -> str:
    """A value from a link, safe to quote back: short, and with every invisible character written out.

    A bidirectional override (U+202E) quoted as it is would reverse the text after it, the app's own words
    included; zero-width characters would make two different values look the same.
    """
    short = value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…"
    return "".join(f"<U+{ord(char):04X}>" if _is_invisible(char) else char for char in short)


def _is_invisible(char: str) -> bool:
    # Cc: controls; Cf: format characters (bidirectional controls, zero-width spaces and joiners); Zl, Zp:
    # line and paragraph separators.
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def ignored_link_notice(characters: int, fields: int) -> str:
    """The notice for a link whose query Streamlit drops whole: more fields or characters than it reads."""
    return (
        f"This link was too long to read ({characters:,} characters in {fields:,} fields), so the page opened "
        "with its own view. Links made with this app stay far shorter; ask whoever sent it for the view's link "
        "again."
    )


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_query(
    params: Mapping[str, str | Sequence[str]], vocabulary: Vocabulary, defaults: ViewState
) -> ParsedQuery:
    """Read a query string into a view, starting from the page's defaults; report what had to be ignored."""
    notices: list[str] = []
    chosen = defaults.filter
    allowed = {
        "chapters": vocabulary.chapters,
        "kinds": vocabulary.kinds,
        "actors": vocabulary.actors,
        "places": vocabulary.places,
        "certainties": vocabulary.certainties,
    }
    for param, attribute in LIST_PARAMS.items():
        if param not in params:
            continue
        wanted = [part.strip() for part in _first(params[param]).split(",") if part.strip()]
        known = tuple(dict.fromkeys(value for value in wanted if value in allowed[attribute]))
        unknown = [value for value in dict.fromkeys(wanted) if value not in allowed[attribute]]
        if unknown:
            notices.append(_unknown_values_notice(param, unknown))
        chosen = replace(chosen, **{attribute: known})

    for param, attribute in (("from", "start"), ("to", "end")):
        if param not in params:
            continue
        text = _first(params[param]).strip()
        day = _parse_day(text)
        if day is None or not vocabulary.first_day <= day <= vocabulary.last_day:
            notices.append(
                f"Ignored {param} “{_shown(text)}”: use a day between {vocabulary.first_day} and "
                f"{vocabulary.last_day}, written YYYY-MM-DD."
            )
        else:
            chosen = replace(chosen, **{attribute: day})
    if chosen.start and chosen.end and chosen.start > chosen.end:
        notices.append("Ignored the date range: its start is after its end.")
        chosen = replace(chosen, start=defaults.filter.start, end=defaults.filter.end)

    if "q" in params:
        text = _first(params["q"])
        if len(text) > MAX_TEXT_LENGTH:
            notices.append(f"Shortened the search text to its first {MAX_TEXT_LENGTH} characters.")
        chosen = replace(chosen, text=text[:MAX_TEXT_LENGTH])

    selected = defaults.selected_event
    if "event" in params:
        event_id = _first(params["event"]).strip()
        if event_id in vocabulary.event_ids:
            selected = event_id
        elif event_id:
            notices.append(f"Ignored event “{_shown(event_id)}”: there is no event with that id.")

    lanes = _choice(params, "lanes", LANE_OPTIONS, defaults.lanes, notices)
    colour = _choice(params, "colour", COLOUR_OPTIONS, defaults.colour, notices)
    zoom = _choice(params, "zoom", zoom_options(), defaults.zoom, notices)
    return ParsedQuery(ViewState(chosen, selected, lanes, colour, zoom), tuple(notices))


MAX_QUOTED_VALUES = 3


def _unknown_values_notice(param: str, unknown: list[str]) -> str:
    """One notice for all the unknown values of a parameter: a tampered link may hold thousands."""
    if len(unknown) == 1:
        return f"Ignored {param} “{_shown(unknown[0])}”: it is not a {param} in this dataset."
    quoted = ", ".join(f"“{_shown(value)}”" for value in unknown[:MAX_QUOTED_VALUES])
    more = len(unknown) - MAX_QUOTED_VALUES
    listed = f"{quoted} and {more:,} more" if more > 0 else quoted
    return f"Ignored {len(unknown):,} values of {param} that are not in this dataset: {listed}."


def _choice(params, name: str, options: tuple[str, ...], default: str, notices: list[str]) -> str:
    if name not in params:
        return default
    value = _first(params[name]).strip()
    if value in options:
        return value
    notices.append(f"Ignored {name} “{_shown(value)}”: choose one of {', '.join(options)}.")
    return default


def to_query(state: ViewState, defaults: ViewState) -> dict[str, str]:
    """Write the view as query parameters, leaving out whatever equals the page's defaults."""
    query: dict[str, str] = {}
    chosen, base = state.filter, defaults.filter
    for param, attribute in LIST_PARAMS.items():
        values = getattr(chosen, attribute)
        if values != getattr(base, attribute):
            query[param] = ",".join(values)
    if chosen.start and chosen.start != base.start:
        query["from"] = chosen.start.isoformat()
    if chosen.end and chosen.end != base.end:
        query["to"] = chosen.end.isoformat()
    if chosen.text.strip() and chosen.text != base.text:
        query["q"] = chosen.text.strip()
    if state.selected_event and state.selected_event != defaults.selected_event:
        query["event"] = state.selected_event
    if state.lanes != defaults.lanes:
        query["lanes"] = state.lanes
    if state.colour != defaults.colour:
        query["colour"] = state.colour
    if state.zoom != defaults.zoom:
        query["zoom"] = state.zoom
    return query


def vocabulary_for(events, actors, places) -> Vocabulary:
    """The ids a URL may name, from the loaded tables."""
    return Vocabulary(
        chapters=frozenset(CHAPTERS),
        kinds=frozenset(EVENT_KINDS),
        actors=frozenset(actors["id"]),
        places=frozenset(places["id"]),
        certainties=frozenset(CERTAINTIES),
        event_ids=frozenset(events["id"]),
        first_day=events["start_first"].min().date(),
        last_day=events["end_last"].max().date(),
    )
