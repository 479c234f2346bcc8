"""The app's pages, each described once. Everything else that names a page is derived from here: the
navigation (`ui/routing.py`), each page's starting view (`ui/view_state.py`), the Show choices of the timeline
and the `zoom=` values a link may hold (`urlstate.py`), the Overview's chapter cards, the page titles in
"Cite this view", and the page lists of the browser tests' harness and of the bench.

Two words, two things:
- A *data chapter* is the part of the story an event belongs to: a value of the events table's `chapter` column
  (`schema.CHAPTERS`: background, the 1945 telegrams, the postponed visits, Mao in Moscow, the treaty and after).
  Readers filter, lane and colour events by data chapter, on every page, in an upload too.
- A *chapter page* is one of the app's narrative pages ("1945: The telegrams"). It opens on a period of its own,
  draws charts of its own, and is mostly about one or two data chapters, which it names in `data_chapters`; its
  events are chosen by period, not by data chapter, so its explorer also shows what else happened then.

Adding a chapter page: an entry here, its file `pages/<slug>.py` (which composes the page's views), and its
events in `data/`. Nothing else names the page.

Everything here is read at call time through `pages()`, so a test can register a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class PageRole(StrEnum):
    OVERVIEW = "overview"  # the front page: the chapter cards come from the chapter pages below
    CHAPTER = "chapter"  # a narrative page with its own views, then the explorer on its period
    EXPLORE = "explore"  # the explorer on every event
    REFERENCE = "reference"  # sources, method, names: no events view
    UPLOAD = "upload"  # a reader's own events


@dataclass(frozen=True)
class ZoomWindow:
    """A Show choice above the timeline: the period that the timeline, the map and the table all keep to."""

    key: str  # as a link writes it: ?zoom=aug-oct-1945
    label: str  # on its button
    first: date | None = None  # None: every date
    last: date | None = None

    @property
    def period(self) -> tuple[date, date] | None:
        return (self.first, self.last) if self.first and self.last else None


@dataclass(frozen=True)
class Chart:
    """A chart a page draws, by the element key it is drawn with (Streamlit gives its container the class
    st-key-<key>, by which the browser tests find it)."""

    key: str
    is_map: bool = False

    @property
    def selector(self) -> str:
        return f".st-key-{self.key} .js-plotly-plot"


TIMELINE = Chart("timeline_chart")
EVENT_MAP = Chart("map_chart", is_map=True)
OVERVIEW_TIMELINE = Chart("overview_timeline")
MESSAGE_MAP = Chart("message_map", is_map=True)
DAY_MAP = Chart("visit_day_map", is_map=True)
OBLIGATIONS = Chart("obligations_chart")
TREATY_MAP = Chart("treaty_places_map", is_map=True)
UPLOAD_TIMELINE = Chart("upload_timeline")  # on Your events once a file is loaded, so not in its entry below
EXPLORER_CHARTS = (TIMELINE, EVENT_MAP)

# Show choices that belong to no one page: the story's core years (the Overview's timeline, and the starting
# zoom of a view that names none) and every date.
STORY_YEARS = ZoomWindow("1944-1950", "1944–1950", date(1944, 1, 1), date(1950, 12, 31))
ALL_DATES = ZoomWindow("all", "All dates")


@dataclass(frozen=True)
class PageEntry:
    """One page: where it lives, what it is called, what it shows first, and what it draws."""

    # The address /<slug> and the file pages/<slug>.py (pages/overview.py for the default page): the legacy
    # mode that ui.routing.ensure_routed undoes finds pages by file name, so the two must agree.
    slug: str
    nav_title: str  # in the sidebar's navigation, on the Overview's card, in "Open …" links
    heading: str  # the page's h1, and its title in "Cite this view"
    intro: str  # Markdown under the heading
    role: PageRole
    charts: tuple[Chart, ...] = ()  # every chart the page draws first, in order
    card_blurb: str = ""  # a chapter page's line on the Overview's card
    # The starting view of a page with the explorer: its Period (either end open), its Show choice, its lanes.
    period: tuple[date | None, date | None] = (None, None)
    zoom: ZoomWindow = STORY_YEARS
    lanes: str = "chapter"
    data_chapters: tuple[str, ...] = field(default=())  # see the module doc
    default: bool = False

    @property
    def filename(self) -> str:
        return f"{self.slug}.py"

    @property
    def path(self) -> str:
        """The page file, as st.Page and st.page_link take it."""
        return f"pages/{self.filename}"

    @property
    def shows_events(self) -> bool:
        """Whether the page has the explorer: the sidebar filters, the linked timeline, map and table."""
        return self.role in (PageRole.CHAPTER, PageRole.EXPLORE)


PAGES: tuple[PageEntry, ...] = (
    PageEntry(
        slug="overview",
        nav_title="Overview",
        heading="Mao and Stalin, 1944–1950",
        intro=(
            "From Stalin's cables of August 1945 urging Mao not to fight a civil war and to go to Chongqing, to "
            "Mao's first journey to Moscow in December 1949 and the Sino-Soviet Treaty of Friendship, Alliance and "
            "Mutual Assistance signed on 14 February 1950. For students, teachers, researchers and readers of Cold "
            "War history: every event names its sources and shows how certain it is, dates are exactly as precise "
            "as the evidence, and where historians disagree the app says who says what."
        ),
        role=PageRole.OVERVIEW,
        charts=(OVERVIEW_TIMELINE,),
        default=True,
    ),
    PageEntry(
        slug="telegrams",
        nav_title="1945: The telegrams",
        heading="1945: The telegrams",
        intro=(
            "In August 1945 the Soviet Union entered the war against Japan and signed a treaty with Chiang "
            "Kai-shek's government. Within days Stalin cabled Yan'an: China must not slide into civil war, and Mao "
            "should accept Chiang's invitation to talks in Chongqing. The CCP called off the city uprisings it had "
            "just ordered, and on 28 August Mao flew to Chongqing. The dates of Stalin's cables are disputed; the "
            "log says who says what."
        ),
        role=PageRole.CHAPTER,
        charts=(MESSAGE_MAP, *EXPLORER_CHARTS),
        card_blurb=(
            "Stalin's cables urging Mao to avoid civil war and go to Chongqing; the uprisings called off."
        ),
        period=(date(1945, 8, 1), date(1945, 10, 31)),
        zoom=ZoomWindow("aug-oct-1945", "Aug–Oct 1945", date(1945, 7, 25), date(1945, 11, 5)),
        lanes="kind",
        data_chapters=("telegrams-1945",),
    ),
    PageEntry(
        slug="moscow",
        nav_title="1949–50: Mao in Moscow",
        heading="1949–50: Mao in Moscow",
        intro=(
            "Mao's first journey abroad. He left Beijing by train on 6 December 1949, met Stalin on the evening he "
            "arrived, sat beside him at the seventieth-birthday gala, and then waited for weeks while Stalin "
            "declined to replace the 1945 treaty. In early January Moscow gave way; Zhou Enlai came to negotiate, "
            "and the new treaty was signed on 14 February. Mao was back in Beijing on 4 March 1950."
        ),
        role=PageRole.CHAPTER,
        charts=(DAY_MAP, *EXPLORER_CHARTS),
        card_blurb="Ten weeks in Moscow, day by day, from the first meeting to the signing and the train home.",
        period=(date(1949, 12, 6), date(1950, 3, 4)),
        zoom=ZoomWindow("dec-1949-mar-1950", "Dec 1949–Mar 1950", date(1949, 11, 28), date(1950, 3, 10)),
        lanes="kind",
        data_chapters=("moscow-visit",),  # and its prelude, the visit requests tagged in the chapter before
    ),
    PageEntry(
        slug="treaty",
        nav_title="1950: The treaty",
        heading="1950: The treaty",
        intro=(
            "The Treaty of Friendship, Alliance and Mutual Assistance, signed in Moscow on 14 February 1950, "
            "replaced the Treaty of Friendship and Alliance that Chiang Kai-shek's government had signed on 14 "
            "August 1945. The railway and the naval base at Lüshun (Port Arthur) came back to China, the "
            "administration of Dalian (Dairen) at once, and Moscow lent 300 million US dollars."
        ),
        role=PageRole.CHAPTER,
        charts=(OBLIGATIONS, TREATY_MAP, *EXPLORER_CHARTS),
        card_blurb="The 1945 and 1950 treaties side by side, and how the 1950 promises were kept.",
        # By date rather than by data chapter: the negotiation in Moscow belongs to the visit's chapter too.
        # The first years open; "All dates" reaches the treaty's lapse in 1980.
        period=(date(1950, 1, 1), None),
        zoom=ZoomWindow("1950-1955", "1950–1955", date(1950, 1, 1), date(1955, 12, 31)),
        data_chapters=("treaty-1950",),
    ),
    PageEntry(
        slug="explore",
        nav_title="Explore events",
        heading="Explore events",
        intro=(
            "Every event in the dataset. Filter in the sidebar, click an event on the timeline, the map or in the "
            "table to see its details and sources, and copy the address bar to share exactly this view."
        ),
        role=PageRole.EXPLORE,
        charts=EXPLORER_CHARTS,
        zoom=ALL_DATES,  # every event, as the page promises; the Show buttons narrow the period
    ),
    PageEntry(
        slug="sources",
        nav_title="Sources & method",
        heading="Sources & method",
        intro=(
            "Every event cites at least one work, listed below as a historian would cite it. Primary sources were "
            "written at the time by those involved: records of conversations and cables kept in archives, treaties "
            "and other official publications, and the press of the day. Memoirs and diaries, the work of "
            "historians and reference works come after. Where the sources disagree, the event is marked "
            "*contested* and its note says who says what."
        ),
        role=PageRole.REFERENCE,
    ),
    PageEntry(
        slug="upload",
        nav_title="Your events",
        heading="Your events",
        intro=(
            "Bring the events you have gathered in the archives and explore them with every view of the app. Your "
            "file stays in this browser session: the server holds it in memory, never on its disk, no one else "
            "sees it, and it is let go two minutes after you close the page. Use the template (the same columns "
            "as the app's own events; places and sources are optional, and a row may give its own place with "
            "`lat` and `lon`). Every problem in the file is listed at once, with its row and column, and nothing "
            "is loaded until there are none."
        ),
        role=PageRole.UPLOAD,
    ),
)


def pages() -> tuple[PageEntry, ...]:
    return PAGES


def page(slug: str) -> PageEntry:
    for entry in pages():
        if entry.slug == slug:
            return entry
    raise KeyError(f"no page {slug!r} in the registry")


def chapter_pages() -> tuple[PageEntry, ...]:
    return tuple(entry for entry in pages() if entry.role is PageRole.CHAPTER)


def explorer_pages() -> tuple[PageEntry, ...]:
    return tuple(entry for entry in pages() if entry.shows_events)


def zoom_windows() -> dict[str, ZoomWindow]:
    """Every Show choice by key, in the order of its buttons: the shared ones, then each page's own."""
    windows = [STORY_YEARS, ALL_DATES, *(entry.zoom for entry in explorer_pages())]
    return {window.key: window for window in windows}
