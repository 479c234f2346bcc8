"""Unit tests for the figure builders: pure functions, a DataFrame in and a plotly Figure out."""

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from sinosoviet.figures.map import build_map, movement_paths, place_counts
from sinosoviet.figures.timeline import (
    MAX_COUNT_MARK_PX,
    MIN_COUNT_MARK_PX,
    NOTHING_MATCHES,
    _period_label,
    build_timeline,
    initial_range,
    is_aggregated,
    timeline_rows,
)
from sinosoviet.loaders import load_dataset
from sinosoviet.text import MAX_CHART_TEXT, short_name


@pytest.fixture
def dataset(fixture_data_dir):
    return load_dataset(fixture_data_dir)


def marks(figure: go.Figure, trace_type: str) -> dict[str, go.Figure]:
    """Event id -> trace, for every clickable mark of a trace type."""
    found = {}
    for trace in figure.data:
        if trace.type == trace_type and trace.customdata is not None:
            for row in trace.customdata:
                found[row[0]] = trace
    return found


def test_timeline_draws_day_events_as_markers_and_spans_as_bars(dataset):
    """Test that a one-day event is a marker, a journey a bar, and a month-precision event a bar, not a marker."""
    figure = build_timeline(dataset.events)
    assert isinstance(figure, go.Figure)
    assert "1949-12-16-first-meeting" in marks(figure, "scatter")
    bars = marks(figure, "bar")
    assert {"1949-12-06-mao-leaves", "1949-12-gifts"} <= set(bars)
    assert "1949-12-gifts" not in marks(figure, "scatter")


def test_month_precision_bar_covers_the_whole_month(dataset):
    """Test that a date known only to the month is drawn across the month, never on a made-up day."""
    figure = build_timeline(dataset.events)
    trace = marks(figure, "bar")["1949-12-gifts"]
    index = [row[0] for row in trace.customdata].index("1949-12-gifts")
    assert trace.base[index] == "1949-12-01"
    assert trace.x[index] == 31 * 86_400_000
    assert trace.marker.pattern.shape[index] == "/"


def test_certainty_is_a_marker_shape_not_only_a_colour(dataset):
    """Test that single-source and contested events get their own symbols, with a legend for the shapes."""
    rows = timeline_rows(dataset.events, lane_by="chapter", colour_by="kind")
    assert rows["is_bar"].sum() == 2
    figure = build_timeline(dataset.events, colour_by="certainty")
    legend_names = {trace.name for trace in figure.data if trace.showlegend is not False}
    assert {"contested", "single source", "hollow: date approximate"} <= legend_names


def test_the_legend_gives_each_meaning_one_visual_variable(dataset):
    """Regression: kinds appeared in the legend as squares, circles and hatched bars while shape meant certainty.

    Colour entries are plain line swatches; shapes appear only in grey, under "Shape: certainty"."""
    figure = build_timeline(dataset.events, colour_by="kind")
    shown = [trace for trace in figure.data if trace.showlegend is not False]
    colour_entries = [trace for trace in shown if trace.legendgroup not in ("certainty", "dates")]
    assert colour_entries
    assert all(trace.mode == "lines" for trace in colour_entries)
    shaped = [trace for trace in shown if trace.legendgroup == "certainty"]
    assert {trace.marker.color for trace in shaped} == {"#888888"}
    assert all(trace.showlegend is False for trace in figure.data if trace.customdata is not None)


def test_actor_lanes_repeat_an_event_on_each_persons_lane(dataset):
    """Test that lanes by actor place the first meeting on both Mao's and Stalin's lanes."""
    rows = timeline_rows(dataset.events, lane_by="actor", colour_by="kind",
                         actor_names={"mao-zedong": "Mao Zedong", "stalin": "Joseph Stalin"})  # fmt: skip
    meeting = rows[rows["id"] == "1949-12-16-first-meeting"]
    assert sorted(meeting["lane"]) == ["Joseph Stalin", "Mao Zedong"]


def test_selected_event_is_ringed(dataset):
    """Test that the selected event gets a highlight trace, and no other does."""
    figure = build_timeline(dataset.events, selected_id="1949-12-16-first-meeting")
    selected = [trace for trace in figure.data if trace.name == "selected"]
    assert len(selected) == 1
    assert selected[0].customdata[0][0] == "1949-12-16-first-meeting"
    assert not [trace for trace in build_timeline(dataset.events).data if trace.name == "selected"]


def test_the_timeline_opens_on_the_events_in_view_within_the_period_shown(dataset):
    """Test that the axis fits the events (padded), is cut to the period shown, and falls back to fitting by
    itself when the period holds none of them."""
    rows = timeline_rows(dataset.events, lane_by="chapter", colour_by="kind")
    first, last = rows["start_first"].min(), rows["end_last"].max()
    start, end = map(pd.Timestamp, initial_range(rows, "all"))
    assert start < first
    assert end > last
    assert (end - start) < (last - first) * 1.2 + pd.Timedelta(days=8)
    start, end = map(pd.Timestamp, initial_range(rows, "dec-1949-mar-1950"))
    assert pd.Timestamp("1949-11-20") <= start
    assert end <= pd.Timestamp("1950-03-20")
    assert initial_range(rows, "aug-oct-1945") is None


def test_a_few_events_of_one_week_fill_the_timeline(dataset):
    """Regression: filtered to a week's events, the axis stayed on 1944–1950 and squeezed them into one column."""
    week = dataset.events[dataset.events["start_first"].between("1949-12-06", "1949-12-16")]
    rows = timeline_rows(week, lane_by="chapter", colour_by="kind")
    start, end = map(pd.Timestamp, initial_range(rows, "1944-1950"))
    assert (end - start).days <= 20


def test_an_empty_view_still_builds_a_figure(dataset):
    """Test that filtering everything away gives an empty chart, not an exception."""
    empty = dataset.events.iloc[0:0]
    assert isinstance(build_timeline(empty), go.Figure)
    assert isinstance(build_map(empty, dataset.places, dataset.routes), go.Figure)


def test_an_empty_view_says_so_over_the_period_shown_and_keeps_its_map(dataset):
    """Regression (issue 22): a view with no event drew a timeline of made-up axes (lanes 0 to 4 in the year
    2000), and a map with no trace turned into empty x and y axes."""
    empty = dataset.events.iloc[0:0]
    timeline = build_timeline(empty, zoom="aug-oct-1945")
    assert [note.text for note in timeline.layout.annotations] == [NOTHING_MATCHES]
    assert timeline.layout.yaxis.visible is False
    assert list(timeline.layout.xaxis.range) == ["1945-07-25", "1945-11-05"]
    assert build_timeline(empty, zoom="all").layout.xaxis.visible is False
    figure = build_map(empty, dataset.places, dataset.routes)
    assert [trace.type for trace in figure.data] == ["scattergeo"]


def test_map_sizes_places_by_their_event_count(dataset):
    """Test that Moscow, with two of the three events, is counted twice, and clicking it selects its earliest."""
    counted = place_counts(dataset.events, dataset.places).set_index("id")
    assert counted.loc["moscow", "events"] == 2
    assert counted.loc["moscow", "first_event"] == "1949-12-gifts"


def test_map_draws_journeys_through_their_waypoints(dataset):
    """Test that a journey with a route becomes one path, clickable at its midpoint."""
    paths = movement_paths(dataset.events, dataset.places, dataset.routes)
    assert paths["id"].tolist() == ["1949-12-06-mao-leaves"]
    figure = build_map(dataset.events, dataset.places, dataset.routes, selected_id="1949-12-06-mao-leaves")
    assert "1949-12-06-mao-leaves" in marks(figure, "scattergeo")
    assert any(trace.name == "selected" for trace in figure.data)


def test_map_draws_coastlines_but_no_modern_borders(dataset):
    """Test that the base map shows land and coastlines only: today's borders are anachronistic for 1945–50."""
    geo = build_map(dataset.events, dataset.places, dataset.routes).layout.geo
    assert geo.showland
    assert geo.showcoastlines
    assert not geo.showcountries


def test_short_names_drop_the_explanations():
    """Test that map labels keep only the period name."""
    assert short_name("Lüshun naval base (Port Arthur)") == "Lüshun naval base"


def test_past_the_threshold_the_timeline_shows_counts_per_period(dataset, monkeypatch):
    """Test that too many marks turn into counts per month, flagged so the page can say so, with totals kept."""
    monkeypatch.setattr("sinosoviet.figures.timeline.MAX_TIMELINE_MARKS", 2)
    figure = build_timeline(dataset.events)
    assert is_aggregated(figure)
    assert figure.layout.meta["events"] == 3
    assert all(trace.type == "scatter" for trace in figure.data)
    assert sum(sum(trace.text) for trace in figure.data) == 3
    # Colours side by side within a lane, so that no count hides another of the same period.
    assert figure.layout.scattermode == "group"
    assert all(trace.orientation == "h" for trace in figure.data)
    # Zooming into counts would show nothing finer, so there is no range slider to draw them all twice.
    assert not figure.layout.xaxis.rangeslider.visible
    assert build_timeline(dataset.events.head(2)).layout.xaxis.rangeslider.visible


def shifted_copies(events: pd.DataFrame, offsets: list[pd.DateOffset]) -> pd.DataFrame:
    """The events once per offset, each copy starting that much later and with ids of its own."""
    return pd.concat(
        [events.assign(id=events["id"] + f"-{number}", start_first=events["start_first"] + offset)
         for number, offset in enumerate(offsets)],
        ignore_index=True,
    )  # fmt: skip


def test_counts_never_outgrow_the_limit_however_many_events(dataset, monkeypatch):
    """Test that the counting period lengthens until the marks fit, and each hover names its period."""
    # Six marks: one per century (two of them here) for each of the fixture's three events' lane and colour.
    monkeypatch.setattr("sinosoviet.figures.timeline.MAX_TIMELINE_MARKS", 2)
    monkeypatch.setattr("sinosoviet.figures.timeline.MAX_COUNT_MARKS", 6)
    spread = shifted_copies(dataset.events, [pd.DateOffset(years=year) for year in range(0, 60, 3)])
    figure = build_timeline(spread)
    marks = sum(len(trace.x) for trace in figure.data)
    assert marks <= 6
    assert sum(sum(trace.text) for trace in figure.data) == len(spread)
    assert figure.layout.meta["period"] in ("decade", "half-century", "century")
    assert all(
        re.fullmatch(r"\d{4}s|\d{4}–\d{4}", label) for trace in figure.data for label in trace.hovertext
    )


def test_count_marks_are_no_wider_than_the_space_between_periods(dataset, monkeypatch):
    """Test that counts over many periods are drawn as small dots, not a band of overlapping discs, and that
    counts over a few periods keep the full size."""
    monkeypatch.setattr("sinosoviet.figures.timeline.MAX_TIMELINE_MARKS", 2)
    monkeypatch.setattr("sinosoviet.figures.timeline.MAX_COUNT_MARKS", 10_000)
    monthly = shifted_copies(dataset.events, [pd.DateOffset(months=month) for month in range(0, 400, 7)])
    many = build_timeline(monthly, zoom="all")
    assert many.layout.meta["period"] == "month"
    assert max(max(trace.marker.size) for trace in many.data) <= 2 * MIN_COUNT_MARK_PX
    few = build_timeline(dataset.events)
    assert max(max(trace.marker.size) for trace in few.data) == pytest.approx(MAX_COUNT_MARK_PX)


@pytest.mark.parametrize(
    ("first_month", "months", "label"),
    [(1949 * 12 + 11, 1, "Dec 1949"), (1949 * 12 + 9, 3, "Q4 1949"), (1949 * 12, 12, "1949"),
     (1945 * 12, 60, "1945–1949"), (1940 * 12, 120, "1940s")],
)  # fmt: skip
def test_counting_periods_read_as_dates(first_month, months, label):
    """Test that a count's hover names its period as a reader would write it."""
    assert _period_label(first_month, months) == label


def test_past_the_threshold_the_map_draws_one_arc_per_route(dataset, monkeypatch):
    """Test that many messages become one arc per pair of places, titled with their count."""
    monkeypatch.setattr("sinosoviet.figures.map.MAX_SINGLE_PATHS", 0)
    doubled = pd.concat([dataset.events, dataset.events.assign(id=dataset.events["id"] + "-again")])
    paths = movement_paths(doubled, dataset.places, dataset.routes)
    assert len(paths) == 1
    assert paths["title"].iloc[0].startswith("2 journeys on this route")


def test_markup_in_titles_is_escaped_for_plotly(dataset):
    """Test that a title holding HTML reaches the chart's hover as escaped text, not as tags plotly would read."""
    hostile = dataset.events.assign(title="<b>bold</b> & <a href='x'>link</a>")
    for figure in (build_timeline(hostile), build_map(hostile, dataset.places, dataset.routes)):
        titles = [row[1] for trace in figure.data if trace.customdata is not None for row in trace.customdata]
        assert titles
        assert all("<" not in title for title in titles)
        assert any("&lt;b&gt;bold&lt;/b&gt; &amp;" in title for title in titles)


def test_hover_text_is_capped_however_long_a_title_or_place_name(dataset):
    """Regression (issue 13): a title of megabytes hung the browser when its mark was hovered. Whatever the data,
    no hover or label carries more than MAX_CHART_TEXT characters."""
    huge = "x" * 100_000
    events, places = dataset.events.assign(title=huge), dataset.places.assign(name=huge)
    for figure in (build_timeline(events), build_map(events, places, dataset.routes)):
        texts = [str(value) for trace in figure.data if trace.customdata is not None
                 for row in trace.customdata for value in row]  # fmt: skip
        texts += [str(value) for trace in figure.data for value in (getattr(trace, "text", None) or ())]
        assert any(text.startswith("xxx") for text in texts)
        assert max(len(text) for text in texts) <= MAX_CHART_TEXT
