"""What each chapter page shows of its own: pure functions over the loaded tables.

- 1945: the message log of the page's period and the cities of the planned uprisings.
- 1949–50: Mao's position day by day on his journey, that day's events, and the visit's key figures.
- 1950: the treaty's obligations over time and the places it concerned.

Which events these views are built from is data: the events table's `tags` (schema.EVENT_TAGS), never a title.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from sinosoviet.dates import format_partial_date, parse_partial_date
from sinosoviet.filters import EventFilter, apply_filter, sort_events
from sinosoviet.loaders import Dataset
from sinosoviet.schema import MESSAGE_KINDS
from sinosoviet.text import short_name
from sinosoviet.validation import lists_id, split_ids

# The Chinese Changchun Railway as the 1950 agreement handed it back: the old Chinese Eastern line across
# Manchuria and the southern branch from Harbin to the ports (wiki-return-cer, d-treaties notes).
RAILWAY_LINES = (
    ("manzhouli", "hailar", "qiqihar", "harbin"),
    ("harbin", "changchun", "mukden", "dairen", "port-arthur"),
)
TREATY_PLACES = ("port-arthur", "dairen", "harbin", "changchun", "mukden", "manzhouli")


def tagged(events: pd.DataFrame, tag: str) -> pd.DataFrame:
    """The events that carry a tag (schema.EVENT_TAGS), in date order."""
    return sort_events(events[lists_id(events["tags"], tag)])


def _the_tagged(events: pd.DataFrame, tag: str) -> str | None:
    """The id of the one event that carries a tag, or None (a reader's own events may have none)."""
    found = tagged(events, tag)
    return found["id"].iloc[0] if len(found) else None


# --- 1945: the telegrams -------------------------------------------------------------------------------------


def message_events(events: pd.DataFrame, period: tuple[date, date]) -> pd.DataFrame:
    """The cables and letters of the period, in date order: one row of the log, one arc on the map each."""
    in_period = apply_filter(events, EventFilter(start=period[0], end=period[1]))
    return in_period[in_period["kind"].isin(MESSAGE_KINDS)]


def message_log(messages: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The message log as a reader sees it: date, from → to, gist and certainty."""
    names = dict(zip(places["id"], places["name"], strict=True))
    short = {place: short_name(name) for place, name in names.items()}
    return pd.DataFrame(
        {
            "id": messages["id"],
            "date": messages["date_label"],
            "from → to": messages["origin_place_id"].map(short)
            + " → "
            + messages["destination_place_id"].map(short),
            "gist": messages["title"],
            "certainty": messages["certainty"],
        }
    ).reset_index(drop=True)


def uprising_cities(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The cities named by the August 1945 uprising orders, with their coordinates."""
    named = tagged(events, "uprising-plan")["related_place_ids"]
    ids = list(dict.fromkeys(place for cell in named for place in split_ids(cell)))
    return places.set_index("id").loc[ids].reset_index()


@dataclass(frozen=True)
class UprisingPlan:
    ordered: str  # the date label of the first order, "20 August 1945"
    called_off: str  # of the last event of the plan, its calling off


def uprising_plan(events: pd.DataFrame) -> UprisingPlan | None:
    """When the uprisings were ordered and called off, for the map's legend and caption; None without them."""
    plan = tagged(events, "uprising-plan")
    if plan.empty:
        return None
    return UprisingPlan(plan["date_label"].iloc[0], plan["date_label"].iloc[-1])


# --- 1949–50: Mao in Moscow ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPosition:
    day: date
    lat: float
    lon: float
    where: str  # for people: "In Moscow", "On the train between Manzhouli and Harbin (position estimated)"
    estimated: bool


def _distance_km(a: pd.Series, b: pd.Series) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    angle = math.acos(
        min(1.0, math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1))
    )
    return 6371 * angle


def _route_stops(dataset: Dataset, event_id: str) -> pd.DataFrame:
    stops = dataset.routes[dataset.routes["event_id"] == event_id].sort_values("seq")
    if stops.empty:
        return stops.assign(km=[], day=[])
    places = dataset.places.set_index("id")
    located = stops.join(places[["name", "lat", "lon"]], on="place_id")
    distances = [0.0]
    for (_, previous), (_, current) in zip(located.iterrows(), located.iloc[1:].iterrows(), strict=False):
        distances.append(distances[-1] + _distance_km(previous, current))
    return located.assign(km=distances, day=[_day_of(text) for text in located["date"]])


def _day_of(text: str) -> date | None:
    """A waypoint's day if it is known to the day; month-precision dates do not pin a position."""
    return parse_partial_date(text).first if len(text) == 10 else None


def _position_on_route(stops: pd.DataFrame, day: date) -> DayPosition:
    dated = stops[stops["day"].notna()]
    at_stop = dated[dated["day"] == day]
    if not at_stop.empty:
        stop = at_stop.iloc[-1]
        return DayPosition(day, stop["lat"], stop["lon"], f"At {short_name(stop['name'])}", False)
    before = dated[dated["day"] < day].iloc[-1]
    after = dated[dated["day"] > day].iloc[0]
    share = (day - before["day"]).days / (after["day"] - before["day"]).days
    target_km = before["km"] + share * (after["km"] - before["km"])
    segment = stops[stops["km"] <= target_km].iloc[-1]
    following = stops[stops["km"] > target_km].iloc[0]
    along = (target_km - segment["km"]) / (following["km"] - segment["km"])
    lat = segment["lat"] + along * (following["lat"] - segment["lat"])
    lon = segment["lon"] + along * (following["lon"] - segment["lon"])
    where = f"On the train between {short_name(segment['name'])} and {short_name(following['name'])}"
    return DayPosition(day, lat, lon, where + " (position estimated from the dated stops)", True)


def _journeys(events: pd.DataFrame) -> tuple[str | None, str | None]:
    """The ids of Mao's train to Moscow and of his train home."""
    return _the_tagged(events, "journey-to-moscow"), _the_tagged(events, "journey-home")


def journey_stations(dataset: Dataset) -> pd.DataFrame:
    """The places Mao's trains passed, out and home, once each: id, name, coordinates and how they are labelled."""
    on_route = dataset.routes[dataset.routes["event_id"].isin(_journeys(dataset.events))]["place_id"]
    places = dataset.places.set_index("id")
    columns = ["name", "lat", "lon", "labelled_on", "label_position"]
    stations = places.loc[places.index.intersection(on_route.unique()), columns]
    return stations.rename_axis("id").reset_index()


def mao_positions(dataset: Dataset) -> list[DayPosition]:
    """Where Mao was on each day of the visit, from the day his train left to the day he was home: on the dated
    stops of his trains, and between the two at the place the first one reached.

    Between two dated stops his position is placed by distance along the route, pro rata to the days, and
    flagged as estimated; the sources give no day for the intermediate stations.
    """
    outbound_id, homeward_id = _journeys(dataset.events)
    outbound, homeward = _route_stops(dataset, outbound_id), _route_stops(dataset, homeward_id)
    if outbound["day"].dropna().empty or homeward["day"].dropna().empty:
        return []  # a reader's own events come without Mao's train routes
    arrival, departure = outbound["day"].dropna().max(), homeward["day"].dropna().min()
    stay = outbound[outbound["day"] == arrival].iloc[-1]
    staying = f"In {short_name(stay['name'])}"
    positions = []
    day, home = outbound["day"].dropna().min(), homeward["day"].dropna().max()
    while day <= home:
        if day < arrival:
            positions.append(_position_on_route(outbound, day))
        elif day > departure:
            positions.append(_position_on_route(homeward, day))
        else:
            positions.append(DayPosition(day, stay["lat"], stay["lon"], staying, False))
        day += timedelta(days=1)
    return positions


def journey_track(dataset: Dataset) -> pd.DataFrame:
    """Mao's journey as a line through every station of his trains, out and home, each with the moment he is
    estimated to have passed it (`when`, as days since the journey began): the day-by-day map draws the line and
    the part of it behind him, so that both follow the railway through its stations."""
    outbound_id, homeward_id = _journeys(dataset.events)
    legs = [_route_stops(dataset, event_id) for event_id in (outbound_id, homeward_id)]
    if any(leg["day"].dropna().empty for leg in legs):
        return pd.DataFrame(columns=["when", "lat", "lon"])
    start = legs[0]["day"].dropna().min()
    points = []
    for leg in legs:
        dated = leg[leg["day"].notna()]
        for stop in leg.itertuples():
            before = dated[dated["km"] <= stop.km].iloc[-1]
            after = dated[dated["km"] >= stop.km].iloc[0]
            span = after["km"] - before["km"]
            share = (stop.km - before["km"]) / span if span else 0.0
            days = (before["day"] - start).days + share * (after["day"] - before["day"]).days
            points.append({"when": days, "lat": stop.lat, "lon": stop.lon})
    return pd.DataFrame(points)


def events_on_day(events: pd.DataFrame, day: date) -> pd.DataFrame:
    """Events dated to that day, then longer spans that include it (journeys, weeks of talks)."""
    touching = apply_filter(events, EventFilter(start=day, end=day))
    one_day = touching["start"].str.len().eq(10) & touching["end"].eq("")
    # The day's own events by weight, a signing before the telegrams about it (14 February 1950 listed the treaty
    # last, after five others of the day, by their ids).
    rank = (
        touching["kind"]
        .map({kind: number for number, kind in enumerate(DAY_KIND_ORDER)})
        .fillna(len(DAY_KIND_ORDER))
    )
    rank[
        touching["id"].isin(tagged(touching, "treaty-signing")["id"])
    ] = -1  # the treaty before its agreements
    days_own = (
        touching[one_day].assign(_rank=rank[one_day]).sort_values(["_rank", "id"]).drop(columns="_rank")
    )
    return pd.concat([days_own, touching[~one_day & touching["end"].ne("")]])


DAY_KIND_ORDER = ("treaty", "ceremony", "meeting", "decision", "diplomatic", "travel", "press", "telegram", "letter",
                  "military", "implementation", "commemoration")  # fmt: skip


@dataclass(frozen=True)
class VisitFigures:
    days_away: int
    days_in_moscow: int
    meetings_with_stalin: int
    meeting_titles: tuple[str, ...]
    # The days counted, as the figures' help texts give them: left Beijing, arrived, left Moscow, home.
    left: date
    arrived: date
    departed: date
    home: date


def _first_day(text: str) -> date:
    return parse_partial_date(text).first


def _last_day(text: str) -> date:
    return parse_partial_date(text).last


def visit_figures(dataset: Dataset) -> VisitFigures | None:
    """Counted from the data: the journey's dated ends, and the meetings of Mao and Stalin on record.

    None when the data lack Mao's train routes (a reader's own events).
    """
    outbound_id, homeward_id = _journeys(dataset.events)
    outbound = dataset.routes[dataset.routes["event_id"] == outbound_id].sort_values("seq")
    homeward = dataset.routes[dataset.routes["event_id"] == homeward_id].sort_values("seq")
    if outbound.empty or homeward.empty:
        return None
    outbound, homeward = outbound[outbound["date"] != ""], homeward[homeward["date"] != ""]
    if outbound.empty or homeward.empty:
        return None
    # A waypoint's date may be known only to the month; the journey and the stay are then counted at their
    # widest: from the first day the train may have left or arrived to the last it may have left or come home.
    left, arrived = _first_day(outbound["date"].iloc[0]), _first_day(outbound["date"].iloc[-1])
    departed, home = _last_day(homeward["date"].iloc[0]), _last_day(homeward["date"].iloc[-1])
    in_visit = apply_filter(dataset.events, EventFilter(start=arrived, end=departed))
    meetings = tagged(in_visit, "mao-stalin-meeting")
    # Both ends counted, as the sources count them ("a trip of 89 days").
    return VisitFigures(
        days_away=(home - left).days + 1,
        days_in_moscow=(departed - arrived).days + 1,
        meetings_with_stalin=len(meetings),
        meeting_titles=tuple(
            f"{label}: {title}"
            for label, title in zip(meetings["date_label"], meetings["title"], strict=True)
        ),
        left=left,
        arrived=arrived,
        departed=departed,
        home=home,
    )


def postponed_visits(dataset: Dataset) -> pd.DataFrame:
    """The prelude: Mao's requests to come to Moscow in 1947–49 and Stalin's postponements."""
    return tagged(dataset.events, "visit-request")


# --- 1950: the treaty ----------------------------------------------------------------------------------------


def obligations(provisions: pd.DataFrame) -> pd.DataFrame:
    """Provisions with a deadline or a completion date, with both as days for a chart (first day of the span)."""
    dated = provisions[(provisions["deadline"] != "") | (provisions["carried_out"] != "")]

    def first_day(text: str):
        return pd.Timestamp(parse_partial_date(text).first) if text else pd.NaT

    return dated.assign(
        deadline_day=dated["deadline"].map(first_day),
        carried_out_day=dated["carried_out"].map(first_day),
    ).reset_index(drop=True)


def met_before_signing(dataset: Dataset) -> list[tuple[str, str]]:
    """(topic, when) of the obligations surely carried out before the last treaty signing (the 1950 one): a
    completion known only to the year 1950 may have come after February, and is not among them."""
    signings = tagged(dataset.events, "treaty-signing")
    if signings.empty:
        return []
    signed = signings["start_first"].max().date()
    dated = dataset.treaty_provisions[dataset.treaty_provisions["carried_out"] != ""]
    early = dated[dated["carried_out"].map(lambda day: parse_partial_date(day).last < signed)]
    return [
        (topic, format_partial_date(day, precision))
        for topic, day, precision in zip(
            early["topic"], early["carried_out"], early["carried_out_precision"], strict=True
        )
    ]


def signatories(dataset: Dataset) -> dict[str, str]:
    """Who signed each treaty, by the year of its signing: the first two people of each signing event."""
    names = dict(zip(dataset.actors["id"], dataset.actors["name"], strict=True))
    found = {}
    for signing in tagged(dataset.events, "treaty-signing").itertuples():
        people = split_ids(signing.actors)[:2]
        found[signing.start[:4]] = " and ".join(names.get(person, person) for person in people)
    return found
