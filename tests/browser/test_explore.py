"""Browser tests of the Explore page in headless Chromium with no internet: map, clicks, shared links."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.harness import start_streamlit, wait_for_app

DETAILS = "[class*='st-key-event_details']"
FOCUSED_VIEW = "/explore?kind=meeting&zoom=dec-1949-mar-1950"


def wait_for_charts(page) -> None:
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    page.wait_for_selector(".js-plotly-plot .geolayer path", timeout=30_000)


VISIBLE_POINT_JS = """([chartIndex, pointSelector]) => {
    const chart = document.querySelectorAll('.js-plotly-plot')[chartIndex];
    chart.scrollIntoView({block: 'center'});
    const area = chart.querySelector('.nsewdrag, .geolayer .bg rect, .geolayer .bg path').getBoundingClientRect();
    for (const point of chart.querySelectorAll(pointSelector)) {
        const box = point.getBoundingClientRect();
        const x = box.x + box.width / 2, y = box.y + box.height / 2;
        if (box.width > 0 && x > area.left + 4 && x < area.right - 4 && y > area.top + 4 && y < area.bottom - 4) {
            return [x, y];
        }
    }
    return null;
}"""


def click_visible_point(page, chart_index: int, point_selector: str) -> None:
    """Click the centre of the first mark drawn inside the chart's plotting area (others are scrolled off)."""
    centre = page.evaluate(VISIBLE_POINT_JS, [chart_index, point_selector])
    assert centre, "no mark is visible in the chart"
    page.mouse.click(*centre)


def wait_for_selection(page) -> str:
    page.wait_for_function(
        "sel => { const box = document.querySelector(sel); return box && box.querySelector('h4'); }",
        arg=DETAILS,
        timeout=20_000,
    )
    return page.locator(DETAILS).locator("h4").first.inner_text().strip()


def test_map_draws_land_with_no_request_leaving_localhost(streamlit_server, page):
    """Test that the base map's land is drawn from the app's own topojson and nothing is fetched from outside."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{streamlit_server.url}/explore")
    wait_for_app(page)
    wait_for_charts(page)
    # plotly.js draws land as one long path inside g.layer.land once it has the topojson; offline without
    # our static copy the layer stays empty.
    page.wait_for_function("() => { const p = document.querySelector('.geolayer .layer.land path'); "
                           "return p && (p.getAttribute('d') || '').length > 1000; }", timeout=20_000)  # fmt: skip
    outside = [url for url in requests if not url.startswith((streamlit_server.url, "data:", "blob:"))]
    assert outside == []
    assert any(url.endswith("/app/static/world_110m.json") for url in requests)


def test_clicking_a_timeline_marker_opens_its_details(streamlit_server, page):
    """Test that a click on a timeline marker selects that event, shows its details and puts it in the URL."""
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_app(page)
    wait_for_charts(page)
    assert "No event selected" in page.locator(DETAILS).inner_text()
    click_visible_point(page, 0, ".scatterlayer .trace .point")
    title = wait_for_selection(page)
    assert title
    page.wait_for_url(re.compile(r"event="), timeout=10_000)


def test_clicking_a_map_marker_opens_its_details(streamlit_server, page):
    """Test that a click on a place on the map selects its earliest event in view."""
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_app(page)
    wait_for_charts(page)
    click_visible_point(page, 1, ".geolayer .scattergeo .point")
    assert wait_for_selection(page)
    page.wait_for_url(re.compile(r"event="), timeout=10_000)


def test_a_copied_url_reopens_the_same_view_on_a_fresh_server(streamlit_server, browser, tmp_path):
    """Test that filters and selection survive being copied to a new browser on a newly started server."""
    first = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = first.new_page()
    page.goto(streamlit_server.url + FOCUSED_VIEW)
    wait_for_app(page)
    wait_for_charts(page)
    click_visible_point(page, 0, ".scatterlayer .trace .point")
    title = wait_for_selection(page)
    page.wait_for_url(re.compile(r"event="), timeout=10_000)
    copied = page.url.removeprefix(streamlit_server.url)
    count = page.get_by_text(re.compile(r"\d+ of \d+ events")).first.inner_text()
    first.close()

    fresh = start_streamlit(tmp_path)
    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        reopened = second.new_page()
        reopened.goto(fresh.url + copied)
        wait_for_app(reopened)
        assert wait_for_selection(reopened) == title
        assert reopened.get_by_text(re.compile(r"\d+ of \d+ events")).first.inner_text() == count
        expect(reopened.locator("[class*='st-key-filter_kinds']")).to_contain_text("meeting", timeout=10_000)
        assert "event=" in reopened.url
        assert "kind=meeting" in reopened.url
    finally:
        second.close()
        fresh.stop()
