"""Unit tests for sinosoviet.chapters on the real data: the chapter pages' own views."""

from dataclasses import replace
from datetime import date

import pytest

from sinosoviet.chapters import (
    events_on_day,
    mao_positions,
    message_events,
    message_log,
    obligations,
    postponed_visits,
    signatories,
    tagged,
    uprising_cities,
    visit_figures,
)
from sinosoviet.figures.map import build_map, movement_paths
from sinosoviet.loaders import load_dataset
from sinosoviet.registry import page
from tests.conftest import REAL_DATA_DIR
from tests.railway import railway_latitude, within_line

TELEGRAMS_PERIOD = page("telegrams").period


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA_DIR)


def test_message_log_rows_are_the_maps_arcs(dataset):
    """Test that every row of the 1945 message log is one arc on its map, and nothing else is."""
    messages = message_events(dataset.events, TELEGRAMS_PERIOD)
    log = message_log(messages, dataset.places)
    arcs = movement_paths(messages, dataset.places, dataset.routes)
    assert log["id"].tolist() == arcs["id"].tolist()
    assert len(log) >= 6
    assert set(log["from → to"]) >= {"Moscow → Yan'an", "Chongqing → Yan'an"}


def test_uprising_cities_are_those_the_orders_name(dataset):
    """Test that the cancelled uprisings' cities come from the events' related places, Shanghai first."""
    cities = uprising_cities(dataset.events, dataset.places)
    assert cities["id"].iloc[0] == "shanghai"
    assert {"beiping", "tianjin", "nanjing"} <= set(cities["id"])
    figure = build_map(message_events(dataset.events, TELEGRAMS_PERIOD), dataset.places, dataset.routes, marked_places=cities,
                       marked_label="uprisings")  # fmt: skip
    assert any(trace.name == "uprisings" and len(trace.lon) == len(cities) for trace in figure.data)


def test_mao_is_in_beijing_then_on_the_train_then_in_moscow(dataset):
    """Test the day-by-day positions: dated stops exact, days between them estimated, Moscow in between."""
    positions = {p.day: p for p in mao_positions(dataset)}
    assert positions[date(1949, 12, 6)].where.startswith("At Beijing")
    assert positions[date(1949, 12, 10)].estimated
    assert positions[date(1950, 1, 22)].where == "In Moscow"
    assert positions[date(1950, 2, 26)].where.startswith("At Manzhouli")
    assert positions[date(1950, 3, 4)].where.startswith("At Beijing")
    assert len(positions) == 89


def test_the_days_events_change_with_the_day(dataset):
    """Test that 16 December lists the first meeting and 21 December the birthday gala."""
    first = events_on_day(dataset.events, date(1949, 12, 16))["id"].tolist()
    gala = events_on_day(dataset.events, date(1949, 12, 21))["id"].tolist()
    assert "1949-12-16-first-stalin-mao-meeting" in first
    assert "1949-12-21-bolshoi-gala" in gala
    assert "1949-12-21-bolshoi-gala" not in first


def test_visit_figures_are_counted_from_the_data(dataset):
    """Test days away and in Moscow (both ends counted, as the sources count them) and the recorded meetings."""
    figures = visit_figures(dataset)
    assert (figures.days_away, figures.days_in_moscow) == (89, 64)
    assert figures.meetings_with_stalin >= 3
    assert any("first time" in title for title in figures.meeting_titles)
    # The days the help texts name, counted from the routes.
    assert (figures.left, figures.arrived) == (date(1949, 12, 6), date(1949, 12, 16))
    assert (figures.departed, figures.home) == (date(1950, 2, 17), date(1950, 3, 4))


def test_the_meetings_counted_are_the_visits_meetings_of_mao_and_stalin(dataset):
    """Test that the tagged meetings are the four meetings of Mao and Stalin in Moscow that the visit's figure
    counted when it read titles (issue 24), and that Mao's talk with Kovalev is not among them."""
    meetings = visit_figures(dataset).meeting_titles
    assert len(meetings) == 4
    assert not any("Kovalev" in title for title in meetings)


@pytest.mark.parametrize("end", ["first", "last"])
def test_a_month_only_waypoint_at_either_end_of_the_journey_is_counted_at_its_widest(dataset, end):
    """Regression (issue 13): a waypoint known only to the month crashed the Moscow page (date.fromisoformat)."""
    routes = dataset.routes.copy()
    outbound_train = tagged(dataset.events, "journey-to-moscow")["id"].iloc[0]
    outbound = routes.index[routes["event_id"] == outbound_train]
    row = outbound[0] if end == "first" else outbound[-1]
    routes.loc[row, ["date", "date_precision"]] = ["1949-12", "month"]
    figures = visit_figures(replace(dataset, routes=routes))
    if end == "first":  # left at the earliest on 1 December, five days before the known 6th
        assert figures.days_away == 89 + 5
    else:  # arrived at the earliest on 1 December instead of the 16th
        assert figures.days_in_moscow == 64 + 15


def test_prelude_lists_the_postponed_visits_in_order(dataset):
    """Test that the prelude holds the 1947–49 requests and postponements, oldest first."""
    visits = postponed_visits(dataset)
    assert visits["id"].iloc[0].startswith("1947")
    assert visits["start_first"].is_monotonic_increasing
    assert visits["title"].str.contains("trip|visit|come to Moscow", case=False).all()


def test_obligations_and_signatories(dataset):
    """Test that the railway handover is an obligation with its 1952 deadline, and who signed each treaty."""
    dated = obligations(dataset.treaty_provisions).set_index("id")
    assert dated["deadline_day"].notna().any()
    railway = dated[dated["topic"].str.contains("Railway")].iloc[0]
    assert railway["carried_out"].startswith("1952")
    assert signatories(dataset) == {"1945": "Wang Shijie and Vyacheslav Molotov",
                                    "1950": "Andrei Vyshinsky and Zhou Enlai"}  # fmt: skip


def test_maos_estimated_positions_lie_on_the_trans_siberian_railway(dataset):
    """Regression (issue 25): the outbound train ran straight from the border to Moscow, 4–5° south of the
    railway at Krasnoyarsk, and Mao's estimated position sat on that line for days. Every position between
    Sverdlovsk and Chita, out and home, is now within a degree of latitude of the railway."""
    on_the_line = [p for p in mao_positions(dataset) if within_line(p.lon)]
    assert len(on_the_line) >= 8
    for position in on_the_line:
        assert abs(position.lat - railway_latitude(position.lon)) <= 1.0, position


def test_the_signing_day_lists_the_treaty_first(dataset):
    """Regression (issue 25): 14 February 1950 listed the treaty's signing last, after the day's other events
    in the order of their ids."""
    assert events_on_day(dataset.events, date(1950, 2, 14))["id"].iloc[0] == "1950-02-14-treaty-signed"
