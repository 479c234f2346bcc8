"""The map: places sized by how many events happened there, arcs for messages, lines for journeys.

Land and coastlines only. Present-day borders would be anachronistic for 1945–50 (Outer Mongolia's status, for
one, is part of the story), so the map draws none. The base map comes from topojson the app serves itself;
see `static/README.md`.

Every clickable mark carries an event id in `customdata`: a message or journey by the dot at its middle, a
place by its earliest event in the current view.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sinosoviet.figures.style import KIND_COLOURS, PLURAL_NOUNS, SELECTION_COLOUR
from sinosoviet.filters import sort_events
from sinosoviet.schema import KINDS_WITH_ORIGIN_AND_DESTINATION, MESSAGE_KINDS
from sinosoviet.text import counted_noun, place_with_variants, plotly_text, short_name
from sinosoviet.validation import lists_id


def labelled_on(places: pd.DataFrame, map_name: str) -> pd.Series:
    """Which places a map names beside their dots whatever the filter: the places table's `labelled_on`.

    Enough for a reader who does not know the region to find their way; close neighbours (Tianjin by Beijing)
    stay unnamed at this scale, their names in the hover.
    """
    return lists_id(places["labelled_on"], map_name)


def label_positions(places: pd.DataFrame) -> list[str]:
    """Where each name sits around its dot (the places table's `label_position`; above when empty), so that
    neighbours' names do not print over each other (Lüshun and Dalian are 30 km apart)."""
    return [position or "top center" for position in places["label_position"]]


MAP_HEIGHT = 330
MAP_VIEW = {"lon": (25.0, 145.0), "lat": (18.0, 66.0)}
MAP_NOTE = "Land and coastlines only: today's borders would be anachronistic for 1945–50."
HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
# Past this many messages and journeys, arcs are drawn once per pair of places with a count, not once each.
MAX_SINGLE_PATHS = 300


def place_counts(events: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Places with the number of events that happened there and the earliest of them (for clicks)."""
    counts = sort_events(events).groupby("place_id").agg(events=("id", "size"), first_event=("id", "first"))
    located = places.set_index("id").join(counts, how="inner").reset_index()
    return located.sort_values("events", ascending=False)


def _great_circle(lon1: float, lat1: float, lon2: float, lat2: float, steps: int = 24) -> tuple[list, list]:
    """Points along the great circle between two places, so arcs curve as they do on a globe."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    start = np.array([np.cos(lat1) * np.cos(lon1), np.cos(lat1) * np.sin(lon1), np.sin(lat1)])
    end = np.array([np.cos(lat2) * np.cos(lon2), np.cos(lat2) * np.sin(lon2), np.sin(lat2)])
    angle = np.arccos(np.clip(start @ end, -1, 1))
    if angle < 1e-6:  # the same place (arccos leaves a rounding error of about 1e-8)
        return [np.degrees(lon1)], [np.degrees(lat1)]
    fractions = np.linspace(0, 1, steps)
    points = (
        np.sin((1 - fractions)[:, None] * angle) * start + np.sin(fractions[:, None] * angle) * end
    ) / np.sin(angle)
    lats = np.degrees(np.arcsin(points[:, 2]))
    lons = np.degrees(np.arctan2(points[:, 1], points[:, 0]))
    return lons.tolist(), lats.tolist()


def _path(place_ids: Iterable[str], coordinates: pd.DataFrame, steps: int = 24) -> tuple[list, list]:
    """The great-circle path through a sequence of places, `steps` points per leg."""
    lons, lats = [], []
    stops = [coordinates.loc[place] for place in place_ids]
    for here, there in itertools.pairwise(stops):
        arc_lons, arc_lats = _great_circle(here["lon"], here["lat"], there["lon"], there["lat"], steps)
        lons += arc_lons
        lats += arc_lats
    return lons, lats


def _same_way(stops: list[str]) -> tuple[str, ...]:
    """One key for a path and the same path travelled the other way (Moscow→Beijing and Beijing→Moscow)."""
    return tuple(stops) if stops[0] <= stops[-1] else tuple(reversed(stops))


def movement_paths(events: pd.DataFrame, places: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    """One row per message or journey in the view: the places it passes, in order, and its midpoint.

    With more than MAX_SINGLE_PATHS of them, one row per kind and pair of places instead, titled with the
    count and clickable through its earliest event.
    """
    coordinates = places.set_index("id")[["lon", "lat"]]
    moving = events[events["kind"].isin(KINDS_WITH_ORIGIN_AND_DESTINATION)]
    waypoints = routes.sort_values(["event_id", "seq"]).groupby("event_id")["place_id"].agg(list)
    if len(moving) > MAX_SINGLE_PATHS:
        moving, waypoints = _one_per_pair(moving), pd.Series(dtype=object)
    rows = []
    stops_of = {
        event.id: waypoints.get(event.id) or [event.origin_place_id, event.destination_place_id]
        for event in moving.itertuples()
    }
    # Messages along the same way share one arc, drawn with more points when many share it, so that each has a
    # point of its own for its click dot (eleven Moscow→Beijing cables once shared one dot).
    ways = pd.Series([_same_way(stops) for stops in stops_of.values()], dtype=object).value_counts().to_dict()
    dots = _DotPlacer(coordinates.loc[coordinates.index.intersection(events["place_id"])])
    for event in moving.itertuples():
        stops = stops_of[event.id]
        lons, lats = _path(stops, coordinates, steps=max(24, 3 * ways[_same_way(stops)]))
        middle = dots.place(lons, lats)
        rows.append(
            {
                "id": event.id,
                "kind": event.kind,
                "title": event.title,
                "date_label": event.date_label,
                "lons": lons,
                "lats": lats,
                "mid_lon": lons[middle] if lons else None,
                "mid_lat": lats[middle] if lats else None,
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "kind", "title", "date_label", "lons", "lats", "mid_lon", "mid_lat"]
    )


class _DotPlacer:
    """Chooses where on its path each message's or journey's click dot goes: as near the middle as it can be while
    at least MIN_DOT_GAP_DEG from every dot placed before it and from the places' own dots, so that a click can
    reach each one. Paths that share a way, or run side by side (Beijing and Xibaipo to Moscow), spread along it.
    """

    def __init__(self, places: pd.DataFrame) -> None:
        self.lons = list(places["lon"])
        self.lats = list(places["lat"])

    def place(self, lons: list, lats: list) -> int:
        if len(lons) < 2:
            return 0
        middle = (len(lons) - 1) / 2
        # The middle three fifths of the path, nearest the middle first: the ends are under the places' dots.
        candidates = sorted(
            range(round(len(lons) * 0.2), round(len(lons) * 0.8) + 1), key=lambda i: abs(i - middle)
        )
        candidates = [i for i in candidates if i < len(lons)] or [round(middle)]
        chosen = max(candidates, key=lambda i: min(self._gap(lons[i], lats[i]), MIN_DOT_GAP_DEG))
        self.lons.append(lons[chosen])
        self.lats.append(lats[chosen])
        return chosen

    def _gap(self, lon: float, lat: float) -> float:
        """Degrees to the nearest dot already placed, with longitude shrunk by latitude as on the map."""
        if not self.lons:
            return math.inf
        east = (np.array(self.lons) - lon) * math.cos(math.radians(lat))
        north = np.array(self.lats) - lat
        return float(np.sqrt(east**2 + north**2).min())


MIN_DOT_GAP_DEG = 2.0  # some ten pixels on the 330-pixel map of Eurasia


def _one_per_pair(moving: pd.DataFrame) -> pd.DataFrame:
    pairs = (
        sort_events(moving)
        .groupby(["kind", "origin_place_id", "destination_place_id"], as_index=False)
        .agg(id=("id", "first"), date_label=("date_label", "first"), count=("id", "size"))
    )
    nouns = pairs["kind"].map(PLURAL_NOUNS)
    return pairs.assign(title=pairs["count"].map("{:,}".format) + " " + nouns + " on this route, first:")


def _joined(paths: pd.DataFrame) -> tuple[list, list]:
    """Concatenate paths into one trace, separated by gaps, so a hundred arcs cost one trace."""
    lons, lats = [], []
    for path_lons, path_lats in zip(paths["lons"], paths["lats"], strict=True):
        lons += [*path_lons, None]
        lats += [*path_lats, None]
    return lons, lats


def build_map(
    events: pd.DataFrame,
    places: pd.DataFrame,
    routes: pd.DataFrame,
    *,
    selected_id: str | None = None,
    marked_places: pd.DataFrame | None = None,
    marked_label: str = "",
) -> go.Figure:
    """Draw the events of the view on a projected map of Eurasia; `marked_places` adds a layer of crosses."""
    figure = go.Figure()
    paths = movement_paths(events, places, routes)
    for label, kinds, width in (("Messages", MESSAGE_KINDS, 1.2), ("Journeys", ("travel",), 2.2)):
        _add_paths(figure, paths[paths["kind"].isin(kinds)], label, KIND_COLOURS[kinds[0]], width)
    _add_places(figure, place_counts(events, places))
    if marked_places is not None and not marked_places.empty:
        # Close-set cities would print over each other; their names are in the hover and the caption.
        add_marked_places(figure, marked_places, marked_label, named=False)
    if selected_id is not None:
        _add_selection(figure, events, places, paths, selected_id)
    if not figure.data:
        # With no trace at all plotly.js draws empty x and y axes instead of the map: keep the map.
        figure.add_trace(go.Scattergeo(lon=[], lat=[], showlegend=False, hoverinfo="skip"))
    _layout(figure)
    return figure


def _add_paths(figure: go.Figure, paths: pd.DataFrame, label: str, colour: str, width: float) -> None:
    if paths.empty:
        return
    lons, lats = _joined(paths)
    figure.add_trace(
        go.Scattergeo(
            lon=lons, lat=lats, mode="lines", name=label, legendgroup=label,
            line={"color": colour, "width": width}, opacity=0.7, hoverinfo="skip",
        )
    )  # fmt: skip
    # A message sent within one city (Mao's birthday cable to Stalin, both in Moscow) has no arc: its dot would
    # sit on the city's own dot and hide it. It is reached through the city, like every event there.
    paths = paths[paths["lons"].map(len) > 1]
    figure.add_trace(
        go.Scattergeo(
            lon=paths["mid_lon"], lat=paths["mid_lat"], mode="markers", name=f"{label} (click the dot)",
            legendgroup=label, showlegend=False,
            marker={"size": 7, "color": colour, "symbol": "circle", "line": {"color": "white", "width": 1}},
            customdata=[
                [event_id, plotly_text(title), date_label]
                for event_id, title, date_label in zip(paths["id"], paths["title"], paths["date_label"], strict=True)
            ],
            hovertemplate=HOVER,
        )
    )  # fmt: skip


def _add_places(figure: go.Figure, counted: pd.DataFrame) -> None:
    if counted.empty:
        return
    sizes = 7 + 4 * np.sqrt(counted["events"].to_numpy())
    labelled = labelled_on(counted, "events")
    hover = [
        plotly_text(place_with_variants(name, then, modern))
        for name, then, modern in zip(
            counted["name"], counted["period_names"], counted["modern_name"], strict=True
        )
    ]
    figure.add_trace(
        go.Scattergeo(
            lon=counted["lon"], lat=counted["lat"], mode="markers+text", name="Places (size: events)",
            text=[plotly_text(short_name(name)) if show else "" for name, show in zip(counted["name"], labelled, strict=True)],
            textposition=label_positions(counted), textfont={"size": 11},
            marker={"size": sizes, "color": "#0072B2", "opacity": 0.75, "line": {"color": "white", "width": 1}},
            customdata=[
                [first, place, counted_noun(count, "event", "events")]
                for first, place, count in zip(counted["first_event"], hover, counted["events"], strict=True)
            ],
            hovertemplate=HOVER,
        )
    )  # fmt: skip


def _add_selection(
    figure: go.Figure, events: pd.DataFrame, places: pd.DataFrame, paths: pd.DataFrame, selected_id: str
) -> None:
    path = paths[paths["id"] == selected_id]
    if not path.empty:
        figure.add_trace(
            go.Scattergeo(
                lon=path["lons"].iloc[0], lat=path["lats"].iloc[0], mode="lines", name="selected",
                showlegend=False, line={"color": SELECTION_COLOUR, "width": 4}, hoverinfo="skip",
            )
        )  # fmt: skip
    event = events[events["id"] == selected_id]
    if event.empty:
        return
    place = places.set_index("id").loc[event["place_id"].iloc[0]]
    figure.add_trace(
        go.Scattergeo(
            lon=[place["lon"]], lat=[place["lat"]], mode="markers", name="selected place", showlegend=False,
            marker={"size": 26, "symbol": "circle-open", "color": SELECTION_COLOUR, "line": {"width": 3}},
            hoverinfo="skip",
        )
    )  # fmt: skip


def add_marked_places(figure: go.Figure, marked: pd.DataFrame, label: str, *, named: bool = True) -> None:
    """Crosses for places a view wants to point out (the cities of a planned uprising, the treaty ports)."""
    figure.add_trace(
        go.Scattergeo(
            lon=marked["lon"], lat=marked["lat"], mode="markers+text" if named else "markers", name=label,
            text=[plotly_text(short_name(name)) for name in marked["name"]],
            textposition=label_positions(marked),
            textfont={"size": 10}, marker={"symbol": "x", "size": 10, "color": "#CC79A7"},
            hovertext=[plotly_text(f"{short_name(name)}: {label}") for name in marked["name"]], hoverinfo="text",
        )
    )  # fmt: skip


def build_lines_map(
    places: pd.DataFrame, lines: Iterable[Iterable[str]], *, line_label: str, marked: Iterable[str]
) -> go.Figure:
    """A map of lines through places (a railway) with some places marked, on the same base map as the rest."""
    coordinates = places.set_index("id")
    figure = go.Figure()
    paths = [_path(list(line), coordinates[["lon", "lat"]]) for line in lines]
    lons = [lon for path in paths for lon in [*path[0], None]]
    lats = [lat for path in paths for lat in [*path[1], None]]
    figure.add_trace(
        go.Scattergeo(lon=lons, lat=lats, mode="lines", name=line_label, line={"color": "#0072B2", "width": 3},
                      hoverinfo="skip")
    )  # fmt: skip
    add_marked_places(figure, coordinates.loc[list(marked)].reset_index(), "treaty place")
    _layout(figure)
    # Zoomed in on Manchuria. The 110 m coastline still shows the Liaodong peninsula with Lüshun and Dalian at
    # its tip; the 50 m one was a 1.1 MB download and most of this page's drawing time, for finer bays.
    figure.update_geos(lonaxis_range=[112, 134], lataxis_range=[36, 52], projection_rotation_lon=123)
    figure.update_layout(height=420)  # Manchuria is taller than wide: this map fills its height
    return figure


def _layout(figure: go.Figure) -> None:
    figure.update_geos(
        projection_type="conic equal area",
        projection_parallels=[30, 55],
        projection_rotation_lon=85,
        lonaxis_range=list(MAP_VIEW["lon"]),
        lataxis_range=list(MAP_VIEW["lat"]),
        resolution=110,  # world_110m.json: 136 kB against 1.1 MB for 50m, plenty at the scale of Eurasia
        showland=True,
        landcolor="#EDE6D6",
        showocean=True,
        oceancolor="#D7E6EE",
        showcoastlines=True,
        coastlinecolor="#8C8C8C",
        showcountries=False,
        showlakes=False,
        showframe=False,
    )
    figure.update_layout(
        # Plotly keeps a map's aspect ratio: at 400 px the Eurasian view left bands of blank paper above and
        # below it, on a phone above all. 330 px fits the map at desktop width and halves the bands on a phone.
        height=MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom", "font": {"size": 11}},
        clickmode="event+select",
        annotations=[
            {
                "text": MAP_NOTE, "showarrow": False, "xref": "paper", "yref": "paper", "x": 1, "y": 0,
                "xanchor": "right", "yanchor": "top", "font": {"size": 10, "color": "#555555"},
            }
        ],
    )  # fmt: skip
