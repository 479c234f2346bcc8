"""Browser tests of moving between pages as a reader does: through the sidebar, and with the browser's back and
forward buttons, with the bundled data and with an upload (issue 22: Explore → Sources & method → Explore, and
1945 → Your events → 1945, showed "This app has encountered an error").

One walk per dataset passes through every ordered pair of pages once (an Eulerian circuit of the pages), then
goes back through all of it with the back button, which crosses every pair again in the other direction, and
forward again part of the way.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sinosoviet.loaders import load_dataset
from sinosoviet.registry import pages
from sinosoviet.upload import template_csv
from tests.browser.harness import (
    APP_IDLE,
    DAY_MAP,
    MESSAGE_MAP,
    NAVIGATION_LINK,
    UPLOAD_INPUT,
    UPLOAD_TIMELINE,
    page_charts,
    wait_for_app,
    wait_for_chart,
)
from tests.browser.test_deep_links import EXPECTED_HEADINGS
from tests.conftest import REAL_DATA_DIR

TITLES = {spec.slug: spec.nav_title for spec in pages()}
FORWARD_STEPS = 6
ERROR_SHOWN = "[data-testid='stException'], [data-testid='stAlertContentError']"
# The template upload holds no 1945 messages and nothing of Mao's journey: those two views say so instead.
NOT_DRAWN_FOR_THE_TEMPLATE = (MESSAGE_MAP, DAY_MAP)


def charts_drawn(url_path: str, *, uploaded: bool):
    if not uploaded:
        return page_charts(url_path)
    if url_path == "upload":
        return (UPLOAD_TIMELINE,)
    return tuple(chart for chart in page_charts(url_path) if chart not in NOT_DRAWN_FOR_THE_TEMPLATE)


def every_ordered_pair(nodes: list[str]) -> list[str]:
    """A walk from nodes[0] back to it that crosses every ordered pair of distinct nodes exactly once.

    Hierholzer's algorithm on the complete directed graph, which has such a circuit because every node has as
    many ways in as out.
    """
    unused = {node: [other for other in reversed(nodes) if other != node] for node in nodes}
    stack, walk = [nodes[0]], []
    while stack:
        if unused[stack[-1]]:
            stack.append(unused[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_crosses_every_ordered_pair_once():
    """Test that the walk the browser test follows covers each of the 42 ordered pairs of pages exactly once."""
    pages = list(TITLES)
    walk = every_ordered_pair(pages)
    pairs = list(itertools.pairwise(walk))
    assert sorted(pairs) == sorted((a, b) for a in pages for b in pages if a != b)
    assert walk[0] == walk[-1] == pages[0]


def expect_page_shown(page: Page, url_path: str, *, uploaded: bool = False) -> None:
    """Wait until the page is the one asked for and fully drawn, and fail at once on an error box."""
    path = "" if url_path == "overview" else url_path
    expect(page).to_have_url(re.compile(rf"/{path}(\?.*)?$"))
    expect(page.locator(APP_IDLE)).to_be_attached()
    expect(page.locator("[data-testid='stMainBlockContainer'] h1").first).to_have_text(
        EXPECTED_HEADINGS[url_path]
    )
    expect(page.locator(ERROR_SHOWN)).to_have_count(0)
    for chart in charts_drawn(url_path, uploaded=uploaded):
        wait_for_chart(page, chart)
    expect(page.locator(ERROR_SHOWN)).to_have_count(0)


def load_the_template(page: Page, base_url: str, tmp_path: Path) -> None:
    template = tmp_path / "events-template.csv"
    template.write_bytes(template_csv(load_dataset(REAL_DATA_DIR)))
    page.goto(f"{base_url}/upload")
    wait_for_app(page)
    page.locator(UPLOAD_INPUT).set_input_files(str(template))
    expect(page.get_by_text(re.compile(r"Loaded 2 events"))).to_be_visible()
    wait_for_chart(page, UPLOAD_TIMELINE)


@pytest.mark.full
@pytest.mark.parametrize("with_upload", [False, True], ids=["bundled", "upload"])
def test_every_page_to_every_page_through_the_sidebar_and_back(with_upload, streamlit_server, page, tmp_path):
    """Test that a reader can go from any page to any other through the sidebar, then all the way back and part
    of the way forward with the browser's buttons, and never meets an error; with an upload, that every page
    still shows it."""
    if with_upload:
        load_the_template(page, streamlit_server.url, tmp_path)
        page.locator(NAVIGATION_LINK, has_text=TITLES["overview"]).click()
    else:
        page.goto(streamlit_server.url)
    walk = every_ordered_pair(list(TITLES))
    expect_page_shown(page, walk[0], uploaded=with_upload)
    for url_path in walk[1:]:
        page.locator(NAVIGATION_LINK, has_text=TITLES[url_path]).click()
        expect_page_shown(page, url_path, uploaded=with_upload)
        if with_upload:
            expect(page.locator(".st-key-upload_banner")).to_be_visible()
    for url_path in reversed(walk[:-1]):
        page.go_back()
        expect_page_shown(page, url_path, uploaded=with_upload)
    for url_path in walk[1 : 1 + FORWARD_STEPS]:
        page.go_forward()
        expect_page_shown(page, url_path, uploaded=with_upload)


def test_back_after_the_sidebar_reopens_a_filtered_view(streamlit_server, page):
    """Test that a filtered Explore left through the sidebar comes back, filtered, with the back button."""
    page.goto(f"{streamlit_server.url}/explore?kind=telegram")
    expect_page_shown(page, "explore")
    filtered = page.get_by_text(re.compile(r"[\d,]+ of [\d,]+ events")).first.inner_text()
    page.locator(NAVIGATION_LINK, has_text=TITLES["sources"]).click()
    expect_page_shown(page, "sources")
    page.go_back()
    expect_page_shown(page, "explore")
    expect(page).to_have_url(re.compile(r"/explore\?kind=telegram$"))
    expect(page.get_by_text(re.compile(r"[\d,]+ of [\d,]+ events")).first).to_have_text(filtered)
