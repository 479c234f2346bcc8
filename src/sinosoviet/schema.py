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
    DOI = "DOI"  # 10.<registrant>/<suffix>
    ISBN = "ISBN"  # 10 or 13 digits with a valid check digit; hyphens and spaces allowed


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
    allowed_hosts: tuple[str, ...] = ()  # for a URL: hosts (and their subdomains) it may point at
    # Longest text a cell may hold. Every cell is drawn somewhere (a hover, the details panel, a table), and a
    # browser asked to lay out megabytes of one label hangs; the bundled data's longest cell is under 600.
    max_length: int = 2000


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
    # ((columns), other column, values): at least one of `columns` must be filled when `other column` holds
    # one of the values.
    required_any_when: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = field(default=())
    # (column, other column, values, allowed): when `other column` holds one of the values, `column` must be
    # one of `allowed`.
    allowed_when: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = field(default=())
    # (date column, other column, values, (first year, last year)): the date must fall in those years.
    within_years_when: tuple[tuple[str, str, tuple[str, ...], tuple[int, int]], ...] = field(default=())

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
MESSAGE_KINDS = (
    "telegram",
    "letter",
)  # the arcs of the maps and the rows of the 1945 log; "travel" is a journey
# What a view needs to know of an event beyond its kind and chapter, kept as data so that no code reads
# meaning out of a title. Tag: the events it marks, and what is built from them.
EVENT_TAGS = {
    "journey-to-moscow": "Mao's train from Beijing to Moscow in December 1949: the day-by-day map follows its route.",
    "journey-home": "Mao's train from Moscow back to Beijing in 1950: the day-by-day map follows its route.",
    "uprising-plan": "The CCP's orders of August 1945 for uprisings in the cities and their calling off: the 1945 "
    "map marks their related places.",
    "treaty-signing": "The signing of one of the two treaties the treaty page compares; its first two people "
    "signed it.",
    "mao-stalin-meeting": "A meeting of Mao and Stalin, counted among the visit's key figures.",
    "visit-request": "Mao's requests of 1947–1949 to come to Moscow, and Stalin's answers: the visit's prelude.",
}
# Maps that print a place's name beside its dot whatever the filter (other names are in the hovers).
LABELLED_MAPS = {
    "events": "the maps of events (Explore, the chapter pages' explorers, the 1945 log)",
    "journey": "the day-by-day map of Mao's trains",
}
# Where a name sits around its dot (plotly's textposition), so that neighbours' names do not print over each
# other. Empty: above.
LABEL_POSITIONS = (
    "top left", "top center", "top right", "middle left", "middle right", "bottom left", "bottom center",
    "bottom right",
)  # fmt: skip
SIDES = ("ccp", "ussr", "nationalist", "usa", "comintern", "other")
# What kind of work a source is. The first three were written at the time by the people and institutions
# involved, and count as primary; a diary or memoir published later is its own kind, never "archival".
SOURCE_KINDS = (
    "archival-record",
    "official-publication",
    "contemporary-press",
    "memoir-or-diary",
    "scholarship",
    "reference",
)
PRIMARY_SOURCE_KINDS = ("archival-record", "official-publication", "contemporary-press")
SOURCE_KIND_LABELS = {
    "archival-record": "archival record",
    "official-publication": "official publication",
    "contemporary-press": "contemporary press",
    "memoir-or-diary": "memoir or diary",
    "scholarship": "scholarship",
    "reference": "reference work",
}
# The CSL item types the bibliography is written in (what Zotero and citeproc read), and which of them fit
# each kind of work: an archival record is a manuscript or a letter, never a journal article.
CSL_TYPES_BY_KIND = {
    "archival-record": ("manuscript", "letter", "interview", "speech", "report"),
    "official-publication": (
        "treaty",
        "letter",
        "legislation",
        "book",
        "chapter",
        "report",
        "speech",
        "webpage",
        "manuscript",
    ),
    "contemporary-press": ("article-newspaper", "article-magazine", "speech"),
    "memoir-or-diary": ("book", "chapter", "interview", "article-journal", "article-magazine", "manuscript"),
    "scholarship": (
        "book",
        "chapter",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "thesis",
        "report",
        "webpage",
    ),
    "reference": ("entry-encyclopedia", "entry-dictionary", "book", "webpage", "dataset"),
}
CSL_TYPES = tuple(dict.fromkeys(t for types in CSL_TYPES_BY_KIND.values() for t in types))
SOURCE_LANGUAGES = ("en", "zh", "ru", "ja", "ko", "mn", "vi", "de", "fr", "es")
# Press that is "contemporary" was printed while the story happened, or within a decade of its end.
CONTEMPORARY_YEARS = (1917, 1960)
# The canonical homes a source may link to, by what they are. A host matches itself and its subdomains.
# Everything else (copies of books, content farms, wiki mirrors, forums, test servers, bare IPs) is refused:
# a work read in such a copy is cited as the work itself, with its pages and no link.
CANONICAL_HOSTS = {
    "archive": (
        "digitalarchive.wilsoncenter.org",
        "history.state.gov",
        "treaties.un.org",
        "avalon.law.yale.edu",
        "worldjpn.grips.ac.jp",
        "www.archives.gov",
        "www.cia.gov",
    ),
    "official publisher": (
        "gov.cn",
        "parliament.uk",
        "people.com.cn",
        "china.org.cn",
        "kremlin.ru",
        "mid.ru",
    ),
    "scholarly publisher": (
        "doi.org",
        "www.jstor.org",
        "muse.jhu.edu",
        "www.tandfonline.com",
        "academic.oup.com",
        "www.cambridge.org",
        "link.springer.com",
        "www.sup.org",
        "press.uchicago.edu",
        "yalebooks.yale.edu",
        "www.hup.harvard.edu",
        "uncpress.org",
        "www.wilsoncenter.org",
    ),
    "press": ("time.com", "archive.spectator.co.uk", "www.nytimes.com", "www.theguardian.com"),
    "library catalogue": (
        "www.worldcat.org",
        "search.worldcat.org",
        "catalog.loc.gov",
        "lccn.loc.gov",
        "chroniclingamerica.loc.gov",
        "trove.nla.gov.au",
    ),
    "reference work": (
        "www.britannica.com",
        "en.wikipedia.org",
        "zh.wikipedia.org",
        "ru.wikipedia.org",
        "ja.wikipedia.org",
        "www.geonames.org",
    ),
}


def canonical_host_kind(host: str) -> str | None:
    """What sort of canonical home `host` is ("archive", "reference work", ...), or None if it is not one."""
    host = host.lower().rstrip(".")
    # A test or staging copy of an archive is not its home, however close the name: its links will break.
    if any(label.startswith(("test", "staging", "dev")) for label in host.split(".")[:-2]):
        return None
    for kind, hosts in CANONICAL_HOSTS.items():
        if any(host == allowed or host.endswith("." + allowed) for allowed in hosts):
            return kind
    return None


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
        Column("title", ColumnType.TEXT, "A short title (at most 200 characters).", max_length=200),
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
        Column(
            "tags",
            ColumnType.ID_LIST,
            "What a view is built from, ';'-separated; see the tags below.",
            required=False,
            allowed=tuple(EVENT_TAGS),
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
        Column(
            "name",
            ColumnType.TEXT,
            "The one name the app uses everywhere: today's pinyin for places in China (Lüshun, Beijing), the "
            "English name of the time elsewhere (Leningrad).",
        ),
        Column(
            "period_names",
            ColumnType.TEXT,
            "Other forms found in the sources of 1944–1950, ';'-separated (Port Arthur; Peiping; Peking); the "
            "app shows them in hovers and the glossary, in parentheses.",
            required=False,
        ),
        Column("name_zh", ColumnType.TEXT, "The Chinese name.", required=False),
        Column("name_ru", ColumnType.TEXT, "The Russian name, where relevant.", required=False),
        Column("modern_name", ColumnType.TEXT, "The name today, e.g. Lüshunkou."),
        Column("lat", ColumnType.FLOAT, "Latitude, WGS84 decimal degrees.", min_value=-90, max_value=90),
        Column("lon", ColumnType.FLOAT, "Longitude, WGS84 decimal degrees.", min_value=-180, max_value=180),
        Column("source_ids", ColumnType.ID_LIST, "Where the coordinates come from.", references="sources"),
        Column(
            "labelled_on",
            ColumnType.ID_LIST,
            "Maps that name the place beside its dot whatever the filter, ';'-separated: events, journey. "
            "Enough places to find one's way, not so many that names print over each other.",
            required=False,
            allowed=tuple(LABELLED_MAPS),
        ),
        Column(
            "label_position",
            ColumnType.TEXT,
            "Where the name sits around the dot, so that close neighbours' names stay apart; empty: above.",
            required=False,
            allowed=LABEL_POSITIONS,
        ),
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
    description="Every work the data rests on, described as a historian cites it: a record in an archive, a "
    "treaty in its official series, a book with its pages.",
    columns=(
        Column("id", ColumnType.SLUG, "Stable slug, e.g. 1949-12-16-stalin-mao-conversation."),
        Column(
            "kind",
            ColumnType.TEXT,
            "What sort of work it is. Archival records, official publications and contemporary press are "
            "primary sources; memoirs and diaries, scholarship and reference works are not.",
            allowed=SOURCE_KINDS,
        ),
        Column(
            "csl_type",
            ColumnType.TEXT,
            "Its type in the Citation Style Language, as reference managers such as Zotero read it.",
            allowed=CSL_TYPES,
        ),
        Column(
            "author",
            ColumnType.TEXT,
            "Authors, ';'-separated: 'Family, Given' for Western names; East Asian names and institutions as "
            "written, without a comma (Shen Zhihua). Empty for an unsigned treaty or article.",
            required=False,
        ),
        Column("title", ColumnType.TEXT, "Title of the work; a translation follows in [square brackets]."),
        Column(
            "container_title",
            ColumnType.TEXT,
            "The book, journal, newspaper, document series or encyclopedia it appears in.",
            required=False,
        ),
        Column(
            "publisher",
            ColumnType.TEXT,
            "Place and publisher, e.g. 'Stanford: Stanford University Press'.",
            required=False,
        ),
        Column(
            "issued",
            ColumnType.PARTIAL_DATE,
            "When it was written or published, at the precision known; for a record, the document's own date.",
            required=False,
        ),
        Column(
            "page",
            ColumnType.TEXT,
            "The pages, volume or document number that support the data.",
            required=False,
        ),
        Column("archive", ColumnType.TEXT, "The archive that holds a record.", required=False),
        Column(
            "archive_location",
            ColumnType.TEXT,
            "Where in the archive: fond, opis, delo and folios, or the document number in a digital archive "
            "or documentary series.",
            required=False,
        ),
        Column("doi", ColumnType.DOI, "Digital Object Identifier, without https://doi.org/.", required=False),
        Column("isbn", ColumnType.ISBN, "ISBN of a book.", required=False),
        Column(
            "language", ColumnType.TEXT, "Language of the work as read (ISO 639-1).", allowed=SOURCE_LANGUAGES
        ),
        Column(
            "url",
            ColumnType.URL,
            "The work's canonical home only (archive, publisher, DOI, library catalogue, reference work); "
            "empty for a book cited by its pages.",
            required=False,
            allowed_hosts=tuple(host for hosts in CANONICAL_HOSTS.values() for host in hosts),
        ),
        Column("accessed", ColumnType.PARTIAL_DATE, "The day the link was read.", required=False),
    ),
    required_when=(("accessed", "url", ()),),
    required_any_when=((("archive", "archive_location"), "kind", ("archival-record",)),),
    allowed_when=tuple(("csl_type", "kind", (kind,), types) for kind, types in CSL_TYPES_BY_KIND.items()),
    within_years_when=(("issued", "kind", ("contemporary-press",), CONTEMPORARY_YEARS),),
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
