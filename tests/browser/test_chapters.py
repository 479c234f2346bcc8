"""Browser tests of the Moscow page's day-by-day player in headless Chromium (what the chapter pages draw is
checked by the page tour, tests/browser/test_page_tour.py)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from sinosoviet.figures.map import _great_circle
from sinosoviet.ui.chapter_views import DAY_KEY as DAY_SLIDER_KEY
from sinosoviet.ui.chapter_views import PLAY_STEP_SECONDS
from tests.browser.harness import DAY_MAP, WAIT_TIMEOUT_MS, holds_throughout, wait_for_chart, wait_for_page
from tests.railway import railway_latitude, within_line

DAY_EVENTS = ".st-key-visit_day_events"
PLAY = ".st-key-visit_play button"


@pytest.mark.full
def test_play_advances_several_days_by_itself_and_pauses(streamlit_server, page):
    """Test that one press of Play moves the visit on day after day with no other input, and Pause stops it.

    Regression: the fragment's timer was only set when the page was drawn, so Play moved one day and stopped.
    """
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("6 December 1949")
    page.locator(PLAY).click()
    expect(page.locator(PLAY)).to_contain_text("Pause")
    # Four or more steps later, with nothing pressed in between.
    expect(heading).to_have_text(re.compile(r"^(1\d|2\d|3[01]) December 1949$"), timeout=WAIT_TIMEOUT_MS)
    page.locator(PLAY).click()
    expect(page.locator(PLAY)).to_contain_text("Play")
    paused_on = heading.inner_text()
    holds_throughout(
        3 * PLAY_STEP_SECONDS, lambda: heading.inner_text() == paused_on, "a paused player moved"
    )


def test_play_runs_to_the_last_day_and_stops_there(streamlit_server, page):
    """Test that Play, started three days before the end, reaches Mao's return on 4 March 1950 and stops."""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    thumb = page.locator(f".st-key-{DAY_SLIDER_KEY} input[type='range']")
    thumb.focus()
    thumb.press("End")
    for _ in range(3):
        thumb.press("ArrowLeft")
    heading = page.locator(DAY_EVENTS).locator("h4")
    expect(heading).to_have_text("1 March 1950")
    page.locator(PLAY).click()
    expect(heading).to_have_text("4 March 1950", timeout=WAIT_TIMEOUT_MS)
    expect(page.locator(PLAY)).to_contain_text("Play")


_TRACE_POINTS_JS = """([selector, name]) => {
    const trace = document.querySelector(selector)._fullData.find((candidate) => candidate.name === name);
    return [Array.from(trace.lon), Array.from(trace.lat)];
}"""


def test_the_journey_is_drawn_along_the_railway_between_sverdlovsk_and_chita(streamlit_server, page):
    """Test that the day-by-day map draws Mao's journey, out and home, within a degree of latitude of the
    Trans-Siberian Railway all the way from Sverdlovsk to Chita (plotly draws a map's lines as great circles
    between their points),"""
    page.goto(f"{streamlit_server.url}/moscow")
    wait_for_page(page, "moscow")
    wait_for_chart(page, DAY_MAP)
    lons, lats = page.evaluate(_TRACE_POINTS_JS, [DAY_MAP.selector, "The journey"])
    drawn = list(zip(*_great_circles(lons, lats), strict=True))
    on_the_line = [(lon, lat) for lon, lat in drawn if within_line(lon)]
    assert len(on_the_line) > 100
    worst = max(abs(lat - railway_latitude(lon)) for lon, lat in on_the_line)
    assert worst <= 1.0, f"the journey is drawn {worst:.1f}° of latitude from the railway"


def _great_circles(lons: list[float], lats: list[float]) -> tuple[list[float], list[float]]:
    """The points plotly draws between each pair of a line's points, densely enough to measure."""
    all_lons, all_lats = [], []
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(zip(lons, lats, strict=True)):
        arc_lons, arc_lats = _great_circle(lon1, lat1, lon2, lat2, steps=50)
        all_lons += arc_lons
        all_lats += arc_lats
    return all_lons, all_lats
