"""The one schema of the dataset: every table, column, rule and description lives here.

Validation at load time (`validation.py`), the data dictionary shown on the Sources & method page and the
integrity tests all read these definitions, so a rule is changed in exactly one place.

Dates are stored as ISO 8601 strings at the precision of the evidence: `1949-12-16` for a known day,
`1949-12` for a month, `1947` for a year. A date known only to the month is never given a made-up day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ColumnType(StrEnum):
    """How a column's text is read and checked."""

    TEXT = "text"
    SLUG = "slug"  # lowercase letters, digits and hyphens: a stable id
    PARTIAL_DATE = "partial date"  # YYYY, YYYY-MM or YYYY-MM-DD
    FLOAT = "number"
    INTEGER = "whole number"
    URL = "url"
    ID_LIST = "id list"  # `;`-separated slugs


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    references: str | None = None  # name of the table whose `id` this column refers to
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class TableSchema:
    name: str
    filename: str
    description: str
    columns: tuple[Column, ...]
    key: str | None = "id"
    # (column, other column, values): `column` must be filled when `other column` holds one of the values;
    # an empty tuple of values means whenever `other column` is filled at all.
    required_when: tuple[tuple[str, str, tuple[str, ...]], ...] = field(default=())
    # (date column, precision column): the date must be written exactly as precisely as the precision says.
    precision_of: tuple[tuple[str, str], ...] = field(default=())
    # (earlier, later): when both are filled, the first may not come after the second.
    ordered_dates: tuple[tuple[str, str], ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")


DATE_PRECISIONS = ("day", "month", "year", "approximate")
CERTAINTIES = ("confirmed", "single-source", "contested")
CHAPTERS = ("background", "telegrams-1945", "postponed-visits", "moscow-visit", "treaty-1950")
CHAPTER_TITLES = {
    "background": "Background, 1924–1944",
    "telegrams-1945": "The 1945 telegrams, 1944–1946",
    "postponed-visits": "Civil war and postponed visits, 1946–1949",
    "moscow-visit": "Mao in Moscow, 1949–1950",
    "treaty-1950": "The 1950 treaty and after",
}
# Short names for tight spaces: timeline lanes, legends.
CHAPTER_SHORT_TITLES = {
    "background": "Background",
    "telegrams-1945": "1945 telegrams",
    "postponed-visits": "Civil war",
    "moscow-visit": "Moscow visit",
    "treaty-1950": "Treaty and after",
}
EVENT_KINDS = (
    "telegram",
    "letter",
    "meeting",
    "travel",
    "treaty",
    "military",
    "ceremony",
    "press",
    "decision",
    "diplomatic",
    "implementation",
    "commemoration",
)
# Kinds that move something from one place to another, so the map can draw an arc or a route.
KINDS_WITH_ORIGIN_AND_DESTINATION = ("telegram", "letter", "travel")
SIDES = ("ccp", "ussr", "nationalist", "usa", "comintern", "other")
SOURCE_KINDS = ("archival document", "official text", "scholarly", "reference", "press")
# Records of conversations, cables and treaty texts: what the brief calls primary documents.
PRIMARY_SOURCE_KINDS = ("archival document", "official text")

EVENTS = TableSchema(
    name="events",
    filename="events.csv",
    description="One row per event: a cable, a meeting, a journey, a signing.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug, starting with the year, e.g. 1949-12-16-first-meeting."),
        Column(
            "start", ColumnType.PARTIAL_DATE, "When it happened or began, at the precision of the evidence."
        ),
        Column("end", ColumnType.PARTIAL_DATE, "When it ended; empty for a point event.", required=False),
        Column(
            "date_precision",
            ColumnType.TEXT,
            "How precisely the sources date it. 'approximate' means the sources only put it near this date.",
            allowed=DATE_PRECISIONS,
        ),
        Column("title", ColumnType.TEXT, "A short title."),
        Column("summary", ColumnType.TEXT, "One to three sentences in our own words."),
        Column("chapter", ColumnType.TEXT, "The part of the story it belongs to.", allowed=CHAPTERS),
        Column("kind", ColumnType.TEXT, "What sort of event it is.", allowed=EVENT_KINDS),
        Column(
            "place_id",
            ColumnType.SLUG,
            "Where it happened; for a message, where it was sent from.",
            references="places",
        ),
        Column(
            "origin_place_id",
            ColumnType.SLUG,
            "Where a message or journey started.",
            required=False,
            references="places",
        ),
        Column(
            "destination_place_id",
            ColumnType.SLUG,
            "Where a message or journey ended.",
            required=False,
            references="places",
        ),
        Column(
            "related_place_ids",
            ColumnType.ID_LIST,
            "Other places the event concerns, ';'-separated: the cities of a planned uprising, say.",
            required=False,
            references="places",
        ),
        Column(
            "actors",
            ColumnType.ID_LIST,
            "The people involved, as actor ids separated by ';'; empty when no person is named (a plebiscite).",
            required=False,
            references="actors",
        ),
        Column(
            "source_ids",
            ColumnType.ID_LIST,
            "The sources for it, as source ids separated by ';'.",
            references="sources",
        ),
        Column(
            "certainty",
            ColumnType.TEXT,
            "confirmed: a primary document or independent sources agree; single-source: one source only; "
            "contested: sources disagree.",
            allowed=CERTAINTIES,
        ),
        Column(
            "certainty_note",
            ColumnType.TEXT,
            "Who says what, when the event is not confirmed.",
            required=False,
        ),
    ),
    required_when=(
        ("origin_place_id", "kind", KINDS_WITH_ORIGIN_AND_DESTINATION),
        ("destination_place_id", "kind", KINDS_WITH_ORIGIN_AND_DESTINATION),
        ("certainty_note", "certainty", ("single-source", "contested")),
        ("certainty_note", "date_precision", ("approximate",)),
    ),
    precision_of=(("start", "date_precision"), ("end", "date_precision")),
    ordered_dates=(("start", "end"),),
)

PLACES = TableSchema(
    name="places",
    filename="places.csv",
    description="Every place an event, message or journey touches.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug."),
        Column("name", ColumnType.TEXT, "The English name used in 1944–1950, e.g. Port Arthur."),
        Column("name_zh", ColumnType.TEXT, "The Chinese name.", required=False),
        Column("name_ru", ColumnType.TEXT, "The Russian name, where relevant.", required=False),
        Column("modern_name", ColumnType.TEXT, "The name today, e.g. Lüshunkou."),
        Column("lat", ColumnType.FLOAT, "Latitude, WGS84 decimal degrees.", min_value=-90, max_value=90),
        Column("lon", ColumnType.FLOAT, "Longitude, WGS84 decimal degrees.", min_value=-180, max_value=180),
        Column("source_ids", ColumnType.ID_LIST, "Where the coordinates come from.", references="sources"),
    ),
)

ACTORS = TableSchema(
    name="actors",
    filename="actors.csv",
    description="The people in the events.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug."),
        Column("name", ColumnType.TEXT, "The name in English, pinyin for Chinese names."),
        Column("name_zh", ColumnType.TEXT, "The Chinese name.", required=False),
        Column("name_ru", ColumnType.TEXT, "The Russian name.", required=False),
        Column("role", ColumnType.TEXT, "Office or role in 1944–1950."),
        Column("side", ColumnType.TEXT, "Whose side they acted for.", allowed=SIDES),
        Column(
            "aliases",
            ColumnType.TEXT,
            "Other names, ';'-separated: spellings, pseudonyms used to sign cables.",
            required=False,
        ),
        Column(
            "source_ids", ColumnType.ID_LIST, "Where the role and aliases come from.", references="sources"
        ),
    ),
)

SOURCES = TableSchema(
    name="sources",
    filename="sources.csv",
    description="Every document, book or page the data rests on, with where and when it was read.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug."),
        Column("title", ColumnType.TEXT, "Title of the document, book or page."),
        Column("author_or_producer", ColumnType.TEXT, "Who wrote, recorded or published it."),
        Column(
            "year",
            ColumnType.INTEGER,
            "Year it was written or published; empty for an undated web page.",
            required=False,
            min_value=1900,
            max_value=2100,
        ),
        Column("url", ColumnType.URL, "Where the copy we read is."),
        Column(
            "kind",
            ColumnType.TEXT,
            "archival document and official text count as primary sources.",
            allowed=SOURCE_KINDS,
        ),
        Column("accessed", ColumnType.PARTIAL_DATE, "The day we read it."),
    ),
)

ROUTES = TableSchema(
    name="routes",
    filename="routes.csv",
    description="Ordered waypoints of the journeys; each belongs to a travel event.",
    key=None,
    columns=(
        Column(
            "event_id", ColumnType.SLUG, "The travel event this waypoint belongs to.", references="events"
        ),
        Column("seq", ColumnType.INTEGER, "Order along the journey, from 1.", min_value=1, max_value=999),
        Column("place_id", ColumnType.SLUG, "The waypoint.", references="places"),
        Column(
            "date", ColumnType.PARTIAL_DATE, "When the traveller was there, if a source says.", required=False
        ),
        Column(
            "date_precision",
            ColumnType.TEXT,
            "Precision of the date.",
            required=False,
            allowed=DATE_PRECISIONS,
        ),
        Column("source_ids", ColumnType.ID_LIST, "Sources for the waypoint.", references="sources"),
        Column("note", ColumnType.TEXT, "What happened there.", required=False),
    ),
    required_when=(("date_precision", "date", ()),),
    precision_of=(("date", "date_precision"),),
)

TREATY_PROVISIONS = TableSchema(
    name="treaty_provisions",
    filename="treaty_provisions.csv",
    description="The 1945 and 1950 treaties and their agreements compared topic by topic.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug for the topic."),
        Column("topic", ColumnType.TEXT, "What the provisions are about."),
        Column(
            "document_1945",
            ColumnType.TEXT,
            "The 1945 treaty or agreement that dealt with it.",
            required=False,
        ),
        Column(
            "provision_1945", ColumnType.TEXT, "What the 1945 documents said, in our words.", required=False
        ),
        Column(
            "document_1950",
            ColumnType.TEXT,
            "The 1950 treaty or agreement that dealt with it.",
            required=False,
        ),
        Column(
            "provision_1950", ColumnType.TEXT, "What the 1950 documents said, in our words.", required=False
        ),
        Column("change", ColumnType.TEXT, "What changed from 1945 to 1950."),
        Column("deadline", ColumnType.PARTIAL_DATE, "The 1950 deadline, if any.", required=False),
        Column(
            "deadline_precision",
            ColumnType.TEXT,
            "Precision of the deadline.",
            required=False,
            allowed=DATE_PRECISIONS,
        ),
        Column("carried_out", ColumnType.PARTIAL_DATE, "When it was carried out, if it was.", required=False),
        Column(
            "carried_out_precision",
            ColumnType.TEXT,
            "Precision of that date.",
            required=False,
            allowed=DATE_PRECISIONS,
        ),
        Column("carried_out_note", ColumnType.TEXT, "How it was carried out.", required=False),
        Column("source_ids", ColumnType.ID_LIST, "Sources for the row.", references="sources"),
    ),
    required_when=(
        ("deadline_precision", "deadline", ()),
        ("carried_out_precision", "carried_out", ()),
    ),
    precision_of=(("deadline", "deadline_precision"), ("carried_out", "carried_out_precision")),
)

# Load order matters: a table's references must be loaded before it.
ALL_TABLES: tuple[TableSchema, ...] = (SOURCES, PLACES, ACTORS, EVENTS, ROUTES, TREATY_PROVISIONS)
TABLES_BY_NAME = {table.name: table for table in ALL_TABLES}
