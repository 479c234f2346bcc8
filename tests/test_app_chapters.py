"""AppTest tests of each chapter page's own view, addressed by widget and element keys."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from streamlit.testing.v1 import AppTest

from sinosoviet.bibliography import formatted_citations
from sinosoviet.loaders import load_dataset
from sinosoviet.registry import chapter_pages, pages
from sinosoviet.text import escape_markdown
from tests.conftest import REAL_DATA_DIR, REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def open_page(page: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    return app


def chart_spec(app: AppTest, key: str) -> dict:
    """The plotly figure a chart element was drawn with, found by its widget key in the element id."""
    for chart in app.get("plotly_chart"):
        if key in chart.proto.id:
            return json.loads(chart.proto.spec)
    raise AssertionError(f"no chart with key {key}")


def shown_text(app: AppTest) -> str:
    """The page's Markdown and the labels of its buttons (the day's events are buttons that open them)."""
    return " ".join([*(block.value for block in app.markdown), *(button.label for button in app.button)])


def log_ids(app: AppTest) -> list[str]:
    """The events of the 1945 message log, in its order: each row is a button keyed by its event's id."""
    return [b.key.removeprefix("log_message_") for b in app.button if b.key.startswith("log_message_")]


def test_day_slider_moves_the_marker_and_changes_the_days_events():
    """Test that moving the slider from 6 to 16 December moves Mao to Moscow and lists the first meeting."""
    app = open_page("pages/moscow.py")
    marker_before = chart_spec(app, "visit_day_map")["data"][-1]
    events_before = shown_text(app)
    app.select_slider(key="visit_day").set_value(10).run()
    marker_after = chart_spec(app, "visit_day_map")["data"][-1]
    events_after = shown_text(app)
    assert marker_before["lon"] != marker_after["lon"]
    assert round(marker_after["lon"][0], 1) == 37.6  # Moscow
    assert "16 December 1949" in events_after
    assert "16 December 1949" not in events_before
    assert "Mao and Stalin meet for the first time" in events_after


def test_play_button_advances_the_day():
    """Test that Play starts the player, which moves one day per step, and that it then offers Pause."""
    app = open_page("pages/moscow.py")
    app.button(key="visit_play").click().run()
    assert app.session_state["visit_playing"] is True
    assert app.button(key="visit_play").label == "Pause"
    assert app.session_state["visit_day"] == 1


def test_treaty_comparison_shows_every_provision_whole():
    """Test that the comparison prints every topic, in order, with its 1945 and 1950 texts and the change."""
    app = open_page("pages/treaty.py")
    shown = [element.value for element in app.markdown]
    provisions = load_dataset(REAL_DATA_DIR).treaty_provisions
    headings = [text.removeprefix("##### ") for text in shown if text.startswith("##### ")]
    assert [unescape(text) for text in headings] == provisions["topic"].tolist()
    for column in ("provision_1945", "provision_1950", "change"):
        for text in provisions[column]:
            assert any(escape_markdown(text) in element for element in shown), text


def test_message_log_rows_match_the_arcs_on_its_map():
    """Test that the log on the 1945 page and the arcs on its map name the same messages, in the same order."""
    app = open_page("pages/telegrams.py")
    spec = chart_spec(app, "message_map")
    arc_ids = [row[0] for trace in spec["data"] if trace.get("name", "").startswith("Messages")
               and trace.get("customdata") for row in trace["customdata"]]  # fmt: skip
    assert log_ids(app) == arc_ids
    assert len(arc_ids) >= 6


def test_choosing_a_message_opens_it_under_the_map():
    """Test that a message chosen in the log opens in the details box beside the log, not far below."""
    app = open_page("pages/telegrams.py")
    first_id = log_ids(app)[0]
    app.button(key=f"log_message_{first_id}").click().run()
    assert app.session_state["selected_event"] == first_id
    assert app.button(key=f"log_message_{first_id}").label.startswith("▶ ")
    title = load_dataset(REAL_DATA_DIR).events.set_index("id").loc[first_id, "title"]
    assert f"#### {escape_markdown(title)}" in [element.value for element in app.markdown]


def test_sources_page_cites_every_source_and_lists_every_contested_claim():
    """Test that Sources & method shows every source as a Chicago citation, and all contested events."""
    app = open_page("pages/sources.py")
    dataset = load_dataset(REAL_DATA_DIR)
    shown = "\n".join(element.value for element in app.markdown)
    missing = [
        key for key, citation in formatted_citations(dataset.sources).items() if f"- {citation} " not in shown
    ]
    assert not missing
    contested = dataset.events[dataset.events["certainty"] == "contested"]
    for note in contested["certainty_note"]:
        assert escape_markdown(note) in shown, note
    assert [button.label for button in app.get("download_button")] == [
        "Bibliography (BibTeX)",
        "Bibliography (RIS)",
        "Bibliography (CSL-JSON)",
    ]


def test_a_shared_link_marks_its_message_in_the_log():
    """Regression: a link with ?event= selected the message only below the log, which had already been drawn."""
    app = AppTest.from_file(APP, default_timeout=30)
    app.query_params["event"] = "1945-08-20-stalin-first-telegram"
    app.run()
    app.switch_page("pages/telegrams.py")
    app.run()
    marked = [
        b.key.removeprefix("log_message_")
        for b in app.button
        if b.key.startswith("log_message_") and b.label.startswith("▶")
    ]
    assert marked == ["1945-08-20-stalin-first-telegram"]


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def shown_count(app: AppTest) -> int:
    caption = next(c.value for c in app.caption if "match the filters" in c.value)
    return int(re.search(r"\*\*(\d+) of \d+ events\*\*", caption).group(1))


def test_overview_cards_count_what_each_chapter_page_shows():
    """Regression: the Overview counted events by chapter while the pages showed their periods' events."""
    overview = open_page("pages/overview.py")
    cards = {c.value for c in overview.caption if c.value.endswith("events on this page")}
    for page in ("telegrams", "moscow", "treaty"):
        assert f"{shown_count(open_page(f'pages/{page}.py'))} events on this page" in cards, page


def test_chapter_pages_period_slider_spans_the_chapter():
    """Test that each chapter page's Period slider runs over its own chapter, not 1924–1980."""
    spans = {}
    for page in ("telegrams", "moscow", "treaty"):
        slider = open_page(f"pages/{page}.py").slider(key="filter_period")
        # AppTest gives a date slider's bounds as microseconds since the epoch.
        spans[page] = tuple(
            datetime.fromtimestamp(bound / 1e6, tz=UTC).date() for bound in (slider.min, slider.max)
        )
    assert spans["telegrams"] == (date(1945, 8, 1), date(1945, 10, 31))
    assert spans["moscow"] == (date(1949, 12, 6), date(1950, 3, 4))
    assert spans["treaty"][0] == date(1950, 1, 1)


def test_the_overviews_links_lead_to_the_pages_they_name():
    """Test that each link on the Overview opens a page of the app's navigation, and a chapter card's link the
    page whose title it names."""
    titles = {spec.slug: spec.nav_title for spec in pages()}
    links = {link.proto.label: link.proto.page for link in open_page("pages/overview.py").get("page_link")}
    assert set(links.values()) == {*(entry.slug for entry in chapter_pages()), "explore", "sources"}
    for label, url_path in links.items():
        assert url_path in titles
        if label.startswith("Open "):
            assert label == f"Open {titles[url_path]}"


def test_the_obligations_caption_names_what_was_met_before_the_1950_signing():
    """Regression (issue 25): the chart was said to hold the obligations "from the signing on 14 February 1950"
    but drew Outer Mongolia's recognition of January 1946. The caption now names it, from the data."""
    caption = next(c.value for c in open_page("pages/treaty.py").caption if "obligation" in c.value)
    assert "before the 1950 treaty was signed, under the 1945 one: Outer Mongolia, 5 Jan 1946." in caption
    assert "from the signing on 14 February 1950" not in caption
