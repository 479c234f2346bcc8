"""Tables for people: events joined to place, actor and source names, and the figures that sum the dataset up.

Pure functions over the loaded tables; pages hand the results to `st.dataframe` or `st.metric`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from sinosoviet.bibliography import formatted_citations
from sinosoviet.dates import format_partial_date
from sinosoviet.filters import sort_events
from sinosoviet.loaders import Dataset
from sinosoviet.schema import (
    ALL_TABLES,
    CANONICAL_HOSTS,
    CHAPTER_TITLES,
    CHAPTERS,
    PRIMARY_SOURCE_KINDS,
    SOURCE_KIND_LABELS,
    SOURCE_KINDS,
    TableSchema,
)
from sinosoviet.text import place_with_variants
from sinosoviet.validation import split_ids


def _names(ids: str, lookup: dict[str, str]) -> str:
    return "; ".join(lookup.get(item, item) for item in split_ids(ids))


def event_table(events: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """The events as a reader sees them: date at its precision, names instead of ids, sources as links."""
    place_names = dict(zip(dataset.places["id"], dataset.places["name"], strict=True))
    actor_names = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    source_urls = dict(zip(dataset.sources["id"], dataset.sources["url"], strict=True))
    return pd.DataFrame(
        {
            "id": events["id"],
            "date": events["date_label"],
            "title": events["title"],
            "place": events["place_id"].map(place_names),
            "people": events["actors"].map(lambda ids: _names(ids, actor_names)),
            "certainty": events["certainty"],
            "summary": events["summary"],
            # A reader's own events may cite nothing yet, and a book cited by its pages has no link.
            "first source": events["source_ids"].map(
                lambda ids: source_urls[split_ids(ids)[0]] or None if ids else None
            ),
        }
    ).reset_index(drop=True)


def primary_event_mask(events: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """True for each event that cites at least one primary source (a record, cable or treaty text)."""
    primary_ids = set(sources.loc[sources["kind"].isin(PRIMARY_SOURCE_KINDS), "id"])
    return events["source_ids"].map(lambda ids: any(item in primary_ids for item in split_ids(ids)))


@dataclass(frozen=True)
class KeyFigures:
    events: int
    sources: int
    primary_events: int
    contested_events: int
    first_year: int
    last_year: int

    @property
    def primary_share(self) -> float:
        return self.primary_events / self.events if self.events else 0.0


def key_figures(dataset: Dataset) -> KeyFigures:
    events = dataset.events
    return KeyFigures(
        events=len(events),
        sources=len(dataset.sources),
        primary_events=int(primary_event_mask(events, dataset.sources).sum()),
        contested_events=int((events["certainty"] == "contested").sum()),
        first_year=int(events["start_first"].min().year) if len(events) else 0,
        last_year=int(events["end_last"].max().year) if len(events) else 0,
    )


def chapter_summary(events: pd.DataFrame) -> pd.DataFrame:
    """One row per chapter, in story order: title, number of events, and the span they cover."""
    rows = []
    for chapter in CHAPTERS:
        in_chapter = events[events["chapter"] == chapter]
        if in_chapter.empty:
            continue
        rows.append(
            {
                "chapter": CHAPTER_TITLES[chapter],
                "events": len(in_chapter),
                "from": in_chapter.sort_values("start_first")["date_label"].iloc[0].split(" – ")[0],
                "to": in_chapter.sort_values("end_last")["date_label"].iloc[-1].split(" – ")[-1],
            }
        )
    return pd.DataFrame(rows, columns=["chapter", "events", "from", "to"])


# What cites a source, by table, in the words a reader would use.
_CITING_ROWS = (
    ("events", "event", "events"),
    ("routes", "stop on a journey", "stops on journeys"),
    ("treaty_provisions", "treaty topic", "treaty topics"),
    ("places", "place", "places"),
    ("actors", "person", "people"),
)


def _citation_counts(dataset: Dataset) -> pd.DataFrame:
    """How many rows of each table cite each source: one column per table, indexed by source id."""
    counts = {
        table: pd.Series(
            [i for ids in getattr(dataset, table)["source_ids"] for i in split_ids(ids)], dtype="string"
        )
        .value_counts()
        .reindex(dataset.sources["id"], fill_value=0)
        for table, _one, _many in _CITING_ROWS
    }
    return pd.DataFrame(counts)


def _cited_by(counts: pd.Series) -> str:
    """'cited by 2 events and 1 stop on a journey'."""
    parts = [
        f"{n} {one if n == 1 else many}" for (table, one, many) in _CITING_ROWS if (n := int(counts[table]))
    ]
    return "cited by " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts))


def sources_table(dataset: Dataset) -> pd.DataFrame:
    """Every source as a Chicago citation, with its kind and what cites it: primary sources first, then the
    rest by kind, each kind in bibliography order."""
    citations = formatted_citations(dataset.sources)
    counts = _citation_counts(dataset)
    table = pd.DataFrame({"id": list(citations), "citation": list(citations.values())}).merge(
        dataset.sources[["id", "kind"]], on="id"
    )
    return (
        table.assign(
            kind_order=table["kind"].map(SOURCE_KINDS.index),
            primary=table["kind"].isin(PRIMARY_SOURCE_KINDS),
            kind=table["kind"].map(SOURCE_KIND_LABELS),
            cited_by=table["id"].map(lambda source_id: _cited_by(counts.loc[source_id])),
        )
        .sort_values("kind_order", kind="stable")
        .drop(columns="kind_order")
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class BibliographySection:
    label: str  # "Archival records (41)"
    primary: bool
    markdown: str  # a bulleted list of citations, each with what cites it


def bibliography_sections(dataset: Dataset) -> list[BibliographySection]:
    """The bibliography split by kind of work, primary kinds first, for the Sources & method page."""
    sections = []
    for kind, works in sources_table(dataset).groupby("kind", sort=False):
        lines = [f"- {row.citation} *({row.cited_by})*" for row in works.itertuples()]
        sections.append(BibliographySection(f"{kind.capitalize()} ({len(works)})", bool(works["primary"].iloc[0]),
                                            "\n".join(lines)))  # fmt: skip
    return sections


def sources_by_kind(dataset: Dataset) -> pd.DataFrame:
    """How many sources of each kind there are, primary kinds first."""
    counts = dataset.sources["kind"].value_counts().reindex(SOURCE_KINDS, fill_value=0)
    return pd.DataFrame(
        {
            "kind": [SOURCE_KIND_LABELS[kind] for kind in SOURCE_KINDS],
            "primary": [kind in PRIMARY_SOURCE_KINDS for kind in SOURCE_KINDS],
            "sources": counts.to_numpy(),
        }
    )


def data_dictionary(schema: TableSchema) -> pd.DataFrame:
    """The schema of one table, for people: what each column holds and which values it allows."""
    return pd.DataFrame(
        [
            {
                "column": column.name,
                "type": column.type.value,
                "required": "yes" if column.required else "no",
                "meaning": column.description,
                "allowed values": ", ".join(column.allowed)
                or ("only the canonical homes listed below" if column.allowed_hosts else ""),
                "refers to": f"{column.references}.csv" if column.references else "",
            }
            for column in schema.columns
        ]
    )


def provisions_table(provisions: pd.DataFrame) -> pd.DataFrame:
    """The treaty comparison as a reader sees it, with deadlines and completion dates at their precision."""
    return pd.DataFrame(
        {
            "topic": provisions["topic"],
            "1945": provisions["provision_1945"],
            "1950": provisions["provision_1950"],
            "what changed": provisions["change"],
            "deadline": [
                _label(d, p)
                for d, p in zip(provisions["deadline"], provisions["deadline_precision"], strict=True)
            ],
            "carried out": [
                _label(d, p)
                for d, p in zip(provisions["carried_out"], provisions["carried_out_precision"], strict=True)
            ],
        }
    )


def _label(text: str, precision: str) -> str:
    return format_partial_date(text, precision) if text else ""


PRECISION_WORDS = {
    "day": "dated to the day",
    "month": "dated to the month only",
    "year": "dated to the year only",
    "approximate": "date approximate",
}


@dataclass(frozen=True)
class EventDetails:
    """Everything the details panel shows about one event, with names resolved and sources in order."""

    id: str
    title: str
    date_label: str
    precision: str
    place: str
    movement: str  # "Moscow → Yan'an" for messages and journeys, else ""
    people: list[str]
    summary: str
    certainty: str
    certainty_note: str
    sources: list[dict[str, str]]


def event_details(event_id: str, dataset: Dataset) -> EventDetails | None:
    """Resolve one event for the details panel; None if the id is not in the dataset."""
    matches = dataset.events[dataset.events["id"] == event_id]
    if matches.empty:
        return None
    event = matches.iloc[0]
    places = dataset.places.set_index("id")
    actors = dataset.actors.set_index("id")
    sources = dataset.sources.set_index("id")
    source_ids = split_ids(event["source_ids"])
    citations = formatted_citations(dataset.sources[dataset.sources["id"].isin(source_ids)])

    def place_name(place_id: str) -> str:
        place = places.loc[place_id]
        return place_with_variants(place["name"], place["period_names"], place["modern_name"])

    movement = ""
    if event["origin_place_id"] and event["destination_place_id"]:
        movement = f"{places.loc[event['origin_place_id'], 'name']} → {places.loc[event['destination_place_id'], 'name']}"
    return EventDetails(
        id=event["id"],
        title=event["title"],
        date_label=event["date_label"],
        precision=PRECISION_WORDS[event["date_precision"]],
        place=place_name(event["place_id"]),
        movement=movement,
        # The role in parentheses: roles hold semicolons of their own ("CCP leader; chairman of ...").
        people=[f"{actors.loc[a, 'name']} ({actors.loc[a, 'role']})" for a in split_ids(event["actors"])],
        summary=event["summary"],
        certainty=event["certainty"],
        certainty_note=event["certainty_note"],
        sources=[
            {"citation": citations[source_id], "kind": SOURCE_KIND_LABELS[sources.loc[source_id, "kind"]]}
            for source_id in source_ids
        ],
    )


def canonical_homes(dataset: Dataset | None = None) -> pd.DataFrame:
    """The hosts a source may link to, by what sort of home they are (a host also covers its subdomains)."""
    return pd.DataFrame(
        [{"home": kind, "hosts": ", ".join(hosts)} for kind, hosts in CANONICAL_HOSTS.items()]
    )


def full_data_dictionary(dataset: Dataset | None = None) -> pd.DataFrame:
    """The data dictionary of every table in one frame, file by file (pages cache it with the dataset)."""
    return pd.concat(
        [data_dictionary(schema).assign(file=schema.filename) for schema in ALL_TABLES], ignore_index=True
    )[["file", "column", "type", "required", "meaning", "allowed values", "refers to"]]


def seed_corrections_markdown(dataset: Dataset | None = None) -> str:
    """The list of what the commissioning article got wrong, kept as Markdown beside the code in docs/."""
    path = Path(__file__).resolve().parents[2] / "docs" / "seed-corrections.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return text.split("\n", 1)[1].strip() if text.startswith("# ") else text


def mark_selected_row(table: pd.DataFrame, selected_id: str | None) -> pd.DataFrame:
    """The table with a ▶ in its first column on the selected event's row, as the charts ring it.

    A text marker rather than a Styler: styling every cell costs more than the rest of the table.
    """
    marker = table["id"].eq(selected_id).map({True: "▶", False: ""})
    return table.assign(selected=marker)[["selected", *table.columns]]


def contested_claims(dataset: Dataset) -> pd.DataFrame:
    """The contested events with their notes, in date order: where the sources disagree."""
    events = dataset.events
    contested = events[events["certainty"] == "contested"].sort_values(["start_first", "id"])
    return contested[["date_label", "title", "certainty_note"]].rename(
        columns={"date_label": "date", "certainty_note": "who says what"}
    )


def glossary(dataset: Dataset) -> pd.DataFrame:
    """Name variants of places and people: the name used here, today's name, Chinese, Russian, and the other
    forms in the sources (period spellings of places, pseudonyms of people)."""
    places = dataset.places.assign(
        kind="place", other=dataset.places["modern_name"], aliases=dataset.places["period_names"]
    )
    actors = dataset.actors.assign(kind="person", other="", aliases=dataset.actors["aliases"])
    rows = pd.concat([places, actors], ignore_index=True)
    return (
        pd.DataFrame(
            {
                "name here": rows["name"],
                "kind": rows["kind"],
                "today": rows["other"],
                "Chinese": rows["name_zh"],
                "Russian": rows["name_ru"],
                "in the sources also": rows["aliases"].str.replace(r"\s*;\s*", "; ", regex=True),
            }
        )
        .sort_values("name here", key=lambda names: names.str.lower())
        .reset_index(drop=True)
    )


def data_date(dataset: Dataset) -> date | None:
    """When the data was last checked against its sources: the latest day a source was read."""
    read = [text for text in dataset.sources["accessed"] if len(text) == 10]
    return date.fromisoformat(max(read)) if read else None


def events_at_the_same_place(events: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """The other events in view at the place where this one happened, in date order: what a click on that place's
    dot on the map stands for, beyond its earliest event."""
    chosen = events[events["id"] == event_id]
    if chosen.empty:
        return events.iloc[0:0]
    here = events[(events["place_id"] == chosen["place_id"].iloc[0]) & (events["id"] != event_id)]
    return sort_events(here)
