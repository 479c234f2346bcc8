"""Unit tests for sinosoviet.validation on tiny in-memory tables."""

import pandas as pd
import pytest

from sinosoviet.schema import EVENTS, PLACES, ROUTES
from sinosoviet.validation import split_ids, validate_table

GOOD_EVENT = {
    "id": "1949-12-16-first-meeting",
    "start": "1949-12-16",
    "end": "",
    "date_precision": "day",
    "title": "Mao and Stalin meet",
    "summary": "They meet in the Kremlin.",
    "chapter": "moscow-visit",
    "kind": "meeting",
    "place_id": "moscow",
    "origin_place_id": "",
    "destination_place_id": "",
    "related_place_ids": "",
    "actors": "mao-zedong;stalin",
    "source_ids": "src-a",
    "certainty": "confirmed",
    "certainty_note": "",
}
KNOWN = {"places": {"moscow", "beiping"}, "actors": {"mao-zedong", "stalin"}, "sources": {"src-a"}}


def events(**changes) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD_EVENT, **changes}])


def rules(problems) -> list[tuple[str | None, str]]:
    return [(problem.column, problem.rule) for problem in problems]


def test_a_good_row_has_no_problems():
    """Test that a well-formed event with resolvable references passes."""
    assert validate_table(events(), EVENTS, KNOWN) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"start": "1949-12-32"}, ("start", "partial date")),
        ({"start": "1949-12"}, ("start", "precision")),
        ({"end": "1949-12-01"}, ("end", "date order")),
        ({"date_precision": "roughly"}, ("date_precision", "text")),
        ({"chapter": "epilogue"}, ("chapter", "text")),
        ({"place_id": "lushun"}, ("place_id", "unknown reference")),
        ({"actors": "mao-zedong;beria"}, ("actors", "unknown reference")),
        ({"source_ids": ""}, ("source_ids", "required")),
        ({"certainty": "contested"}, ("certainty_note", "required here")),
        ({"kind": "telegram"}, ("origin_place_id", "required here")),
        ({"id": "First Meeting"}, ("id", "slug")),
    ],
)
def test_each_broken_rule_is_reported_with_its_column(changes, expected):
    """Test that each kind of bad cell is caught and names its column and rule."""
    assert expected in rules(validate_table(events(**changes), EVENTS, KNOWN))


def test_problems_name_file_row_and_id():
    """Test that a problem reads like 'events.csv row 2 (id=...), column place_id: ...'."""
    [problem] = validate_table(events(place_id="lushun"), EVENTS, KNOWN)
    assert str(problem).startswith("events.csv row 2 (id=1949-12-16-first-meeting), column place_id:")
    assert "'lushun' is not an id in places.csv" in str(problem)


def test_a_missing_column_is_reported_once_not_per_row():
    """Test that a missing column yields one problem rather than one per row."""
    frame = pd.concat([events(), events(id="1949-12-17-x")]).drop(columns=["place_id"])
    assert rules(validate_table(frame, EVENTS, KNOWN)) == [("place_id", "missing column")]


def test_every_problem_is_reported_at_once():
    """Test that validation collects all problems instead of stopping at the first."""
    frame = pd.concat([events(start="1949-99-01"), events(id=GOOD_EVENT["id"], kind="dance")])
    found = rules(validate_table(frame, EVENTS, KNOWN))
    assert ("start", "partial date") in found
    assert ("kind", "text") in found
    assert ("id", "duplicate id") in found


def test_coordinates_out_of_range_are_rejected():
    """Test that latitude and longitude outside the globe are caught."""
    frame = pd.DataFrame(
        [
            {
                "id": "x",
                "name": "X",
                "name_zh": "",
                "name_ru": "",
                "modern_name": "X",
                "lat": "91",
                "lon": "abc",
                "source_ids": "src-a",
            }
        ]
    )
    assert rules(validate_table(frame, PLACES, KNOWN)) == [("lat", "number"), ("lon", "number")]


def test_a_route_date_needs_its_precision():
    """Test that a dated waypoint must say how precise its date is."""
    frame = pd.DataFrame(
        [
            {
                "event_id": "e",
                "seq": "1",
                "place_id": "moscow",
                "date": "1949-12",
                "date_precision": "",
                "source_ids": "src-a",
                "note": "",
            }
        ]
    )
    assert ("date_precision", "required here") in rules(validate_table(frame, ROUTES, {"events": {"e"}}))


def test_id_lists_ignore_blanks_around_separators():
    """Test that 'a; b;' splits into two ids."""
    assert split_ids("a; b;") == ["a", "b"]
