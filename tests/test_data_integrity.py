"""Data integrity on the real tables in data/: the checks a reviewer of the dataset would make by hand."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from sinosoviet.chapters import RAILWAY_LINES, TREATY_PLACES, tagged
from sinosoviet.dates import parse_partial_date
from sinosoviet.figures.map import labelled_on
from sinosoviet.loaders import load_dataset
from sinosoviet.registry import chapter_pages
from sinosoviet.schema import (
    ALL_TABLES,
    CHAPTERS,
    EVENT_TAGS,
    KINDS_WITH_ORIGIN_AND_DESTINATION,
    LABELLED_MAPS,
)
from sinosoviet.tables import primary_event_mask
from sinosoviet.ui.view_state import events_on_page
from sinosoviet.validation import split_ids, validate_table
from tests.conftest import REAL_DATA_DIR


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA_DIR)


def _cited(frame: pd.DataFrame, column: str = "source_ids") -> set[str]:
    return {item for ids in frame[column] for item in split_ids(ids)}


def test_every_table_passes_the_schema_with_all_references_resolved():
    """Test that keys are unique, references resolve, enums are known, dates ordered and precise as declared."""
    raw = {
        s.name: pd.read_csv(REAL_DATA_DIR / s.filename, dtype=str, keep_default_na=False) for s in ALL_TABLES
    }
    known = {s.name: set(raw[s.name][s.key]) for s in ALL_TABLES if s.key}
    problems = [problem for s in ALL_TABLES for problem in validate_table(raw[s.name], s, known)]
    assert not problems, "\n".join(map(str, problems))


def test_every_source_is_used(dataset):
    """Test that sources.csv lists only sources that something in the data cites."""
    cited = set()
    for name in ("events", "places", "actors", "routes", "treaty_provisions"):
        cited |= _cited(getattr(dataset, name))
    assert set(dataset.sources["id"]) - cited == set()


def test_every_place_and_actor_is_used(dataset):
    """Test that no place or person sits in the tables without an event or route touching it."""
    events = dataset.events
    used_places = (
        set(events["place_id"]) | set(events["origin_place_id"]) | set(events["destination_place_id"])
    )
    used_places |= set(dataset.routes["place_id"]) | _cited(events, "related_place_ids")
    assert set(dataset.places["id"]) - used_places == set()
    assert set(dataset.actors["id"]) - _cited(events, "actors") == set()


def test_coordinates_have_at_least_two_decimals_of_precision(dataset):
    """Test that no coordinate is a rounded whole degree, which would misplace a city by up to 50 km."""
    rounded = dataset.places[(dataset.places["lat"] % 1 == 0) | (dataset.places["lon"] % 1 == 0)]
    assert rounded.empty, rounded[["id", "lat", "lon"]]


def test_messages_and_journeys_have_both_ends(dataset):
    """Test that every telegram, letter and journey has an origin and destination for the map's arcs."""
    moving = dataset.events[dataset.events["kind"].isin(KINDS_WITH_ORIGIN_AND_DESTINATION)]
    assert (moving["origin_place_id"] != "").all()
    assert (moving["destination_place_id"] != "").all()


def test_routes_are_numbered_in_order_and_dated_forwards(dataset):
    """Test that each journey's waypoints run 1..n, belong to a travel event, and never go back in time.

    A month-precision waypoint ("Feb 1950") only goes back in time if its whole month ends before the
    previous waypoint's first possible day.
    """
    events = dataset.events.set_index("id")
    for event_id, waypoints in dataset.routes.groupby("event_id"):
        assert events.loc[event_id, "kind"] == "travel", event_id
        assert waypoints["seq"].tolist() == list(range(1, len(waypoints) + 1)), event_id
        spans = [parse_partial_date(text) for text in waypoints["date"] if text]
        for earlier, later in itertools.pairwise(spans):
            assert later.last >= earlier.first, f"{event_id} waypoints go back in time"


def test_routes_start_at_the_origin_and_reach_the_destination(dataset):
    """Test that a route starts at its journey's origin and passes its destination (a round trip ends at home)."""
    events = dataset.events.set_index("id")
    for event_id, waypoints in dataset.routes.sort_values("seq").groupby("event_id"):
        event = events.loc[event_id]
        assert waypoints["place_id"].iloc[0] == event["origin_place_id"], event_id
        assert event["destination_place_id"] in set(waypoints["place_id"]), event_id
        assert waypoints["place_id"].iloc[-1] in (event["destination_place_id"], event["origin_place_id"]), (
            event_id
        )


def test_uncertain_events_explain_themselves(dataset):
    """Test that every contested or single-source event carries a note saying who says what."""
    uncertain = dataset.events[dataset.events["certainty"] != "confirmed"]
    assert (uncertain["certainty_note"].str.len() > 20).all()


def test_coverage_meets_the_brief(dataset):
    """Test that the dataset spans 1924–1950 with at least 100 events, and every chapter has at least ten."""
    events = dataset.events
    assert len(events) >= 100
    assert events["start_first"].min().year <= 1924
    assert events["end_last"].max().year >= 1950
    per_chapter = events["chapter"].value_counts().reindex(CHAPTERS, fill_value=0)
    assert (per_chapter >= 10).all(), per_chapter.to_dict()


def test_chapters_follow_the_story_in_time(dataset):
    """Test that the chapters, in their reading order, are in chronological order by their median event."""
    medians = dataset.events.groupby("chapter")["start_first"].median().reindex(CHAPTERS)
    assert medians.is_monotonic_increasing, medians.to_dict()


def test_the_dense_periods_are_dense(dataset):
    """Test that August–October 1945 and December 1949–March 1950 hold the most events."""
    starts = dataset.events["start_first"]
    assert starts.between("1945-08-01", "1945-10-31").sum() >= 20
    assert starts.between("1949-12-01", "1950-03-31").sum() >= 30


def test_at_least_thirty_percent_of_events_cite_a_primary_source(dataset):
    """Test the brief's floor: records of conversations, cables or treaty texts behind 30% of events."""
    assert primary_event_mask(dataset.events, dataset.sources).mean() >= 0.30


def test_summaries_are_short_and_plain(dataset):
    """Test that summaries are one to three sentences of plain text, with no markup."""
    summaries = dataset.events["summary"]
    assert (summaries.str.len().between(20, 700)).all()
    assert not summaries.str.contains(r"<[a-z/]|\]\(|\*\*", regex=True).any()


# --- What the code reads out of the data (issue 24) ----------------------------------------------------------


def test_every_id_the_code_still_names_is_in_the_data(dataset):
    """Test that the places the treaty page's map draws, named in code, exist in places.csv."""
    named = {place for line in RAILWAY_LINES for place in line} | set(TREATY_PLACES)
    assert named <= set(dataset.places["id"])


@pytest.mark.parametrize("tag", ["journey-to-moscow", "journey-home"])
def test_each_of_maos_trains_is_one_tagged_event_with_a_dated_route(dataset, tag):
    """Test that exactly one event is each of Mao's trains, and its route is dated at both ends."""
    trains = tagged(dataset.events, tag)
    assert len(trains) == 1
    route = dataset.routes[dataset.routes["event_id"] == trains["id"].iloc[0]].sort_values("seq")
    assert len(route["date"].iloc[0]) == 10
    assert len(route["date"].iloc[-1]) == 10


def test_every_tag_marks_the_events_its_view_is_built_from(dataset):
    """Test that each tag of the schema is used, and on events of the kinds its view expects."""
    kinds = {
        "journey-to-moscow": {"travel"},
        "journey-home": {"travel"},
        "uprising-plan": {"decision"},
        "treaty-signing": {"treaty"},
        "mao-stalin-meeting": {"meeting"},
        "visit-request": {"telegram", "letter", "meeting"},
    }
    assert set(kinds) == set(EVENT_TAGS)
    for tag, expected in kinds.items():
        marked = tagged(dataset.events, tag)
        assert not marked.empty, tag
        assert set(marked["kind"]) <= expected, tag
    assert tagged(dataset.events, "uprising-plan")["related_place_ids"].ne("").all()
    meetings = tagged(dataset.events, "mao-stalin-meeting")["actors"].map(split_ids)
    assert meetings.map(lambda people: {"mao-zedong", "stalin"} <= set(people)).all()


def test_the_two_treaties_compared_are_the_two_signings(dataset):
    """Test that the signing events are one per year the treaty comparison shows."""
    years = tagged(dataset.events, "treaty-signing")["start"].str[:4].tolist()
    assert years == ["1945", "1950"]


def test_every_labelled_map_names_places_and_every_label_position_is_used(dataset):
    """Test that each map with labels names places, and that a label position is given only to a place that
    some map names or marks (a position on a place never labelled would be dead data)."""
    for map_name in LABELLED_MAPS:
        assert labelled_on(dataset.places, map_name).any(), map_name
    positioned = dataset.places[dataset.places["label_position"] != ""]
    named = positioned["labelled_on"].ne("") | positioned["id"].isin(
        set(TREATY_PLACES) | _journey_places(dataset)
    )
    assert named.all(), positioned[~named]["id"].tolist()


def _journey_places(dataset) -> set[str]:
    trains = [
        *tagged(dataset.events, "journey-to-moscow")["id"],
        *tagged(dataset.events, "journey-home")["id"],
    ]
    uprisings = {place for cell in tagged(dataset.events, "uprising-plan")["related_place_ids"] for place in
                 split_ids(cell)}  # fmt: skip
    return set(dataset.routes[dataset.routes["event_id"].isin(trains)]["place_id"]) | uprisings


def test_each_chapter_page_opens_on_events_of_the_data_chapters_it_is_about(dataset):
    """Test that every data chapter a chapter page names is a data chapter of the schema, and that the page's
    starting view holds events of each of them."""
    for entry in chapter_pages():
        shown = events_on_page(dataset, entry)
        for chapter in entry.data_chapters:
            assert chapter in CHAPTERS
            assert shown["chapter"].eq(chapter).any(), (entry.slug, chapter)
