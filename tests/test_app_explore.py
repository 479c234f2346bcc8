"""AppTest interaction tests for the Explore page, addressed by widget key."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from sinosoviet.bibliography import formatted_citations
from sinosoviet.citation import work_metadata
from sinosoviet.loaders import load_dataset
from sinosoviet.tables import data_date
from sinosoviet.ui.explorer import CITE_EXPANDER, TABLE_EXPANDER
from sinosoviet.validation import split_ids
from tests.conftest import REAL_DATA_DIR, REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def open_explore(query: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=30)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    app.switch_page("pages/explore.py")
    app.run()
    assert not app.exception, app.exception
    return app


def shown_count(app: AppTest) -> tuple[int, int]:
    caption = next(c.value for c in app.caption if "match the filters" in c.value)
    shown, total = re.search(r"([\d,]+) of ([\d,]+) events", caption).groups()
    return int(shown.replace(",", "")), int(total.replace(",", ""))


@pytest.fixture(scope="module")
def total() -> int:
    return shown_count(open_explore())[1]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("filter_chapters", ["telegrams-1945"]),
        ("filter_kinds", ["telegram"]),
        ("filter_actors", ["zhou-enlai"]),
        ("filter_places", ["chongqing"]),
        ("filter_certainties", ["contested"]),
    ],
)
def test_each_multiselect_filter_narrows_the_count(key, value, total):
    """Test that choosing one value in each sidebar filter shows fewer events, and at least one."""
    app = open_explore()
    app.multiselect(key=key).set_value(value).run()
    shown, _ = shown_count(app)
    assert 0 < shown < total


def test_search_and_period_narrow_the_count(total):
    """Test that the free-text search and the period slider narrow the count."""
    app = open_explore()
    app.text_input(key="filter_text").input("Chongqing").run()
    assert 0 < shown_count(app)[0] < total
    app = open_explore()
    app.slider(key="filter_period").set_range(date(1945, 8, 1), date(1945, 10, 31)).run()
    assert 0 < shown_count(app)[0] < total


def test_filters_are_written_to_the_url():
    """Test that a filter change shows up in the query string, ready to share."""
    app = open_explore()
    app.multiselect(key="filter_kinds").set_value(["telegram", "letter"]).run()
    assert app.query_params["kind"] == ["telegram,letter"] or app.query_params["kind"] == "telegram,letter"


def test_query_parameters_restore_the_view(total):
    """Test that opening a shared link restores its filters, selection and timeline options."""
    app = open_explore({"kind": "telegram", "place": "moscow", "event": "1945-08-20-stalin-first-telegram",
                        "lanes": "actor", "zoom": "aug-oct-1945"})  # fmt: skip
    assert app.multiselect(key="filter_kinds").value == ["telegram"]
    assert app.multiselect(key="filter_places").value == ["moscow"]
    assert app.session_state["selected_event"] == "1945-08-20-stalin-first-telegram"
    assert app.segmented_control(key="view_lanes").value == "actor"
    assert 0 < shown_count(app)[0] < total
    details = " ".join(block.value for block in app.markdown)
    assert "Stalin" in details
    assert "Certainty: contested" in details


def test_hostile_query_values_show_a_notice_and_no_exception(total):
    """Test that garbage and markup in the URL fall back to defaults with a visible, inert notice."""
    app = open_explore({"chapter": "<script>alert(1)</script>", "from": "yesterday", "event": "../../etc/passwd",
                        "lanes": "'; DROP TABLE events;--"})  # fmt: skip
    notices = [warning.value for warning in app.warning]
    assert len(notices) == 4
    assert all("<script>" not in notice for notice in notices)  # escaped, so it shows as text
    assert shown_count(app) == (total, total)
    assert not app.error


def test_reset_returns_to_all_events(total):
    """Test that the reset button clears the filters and the selection."""
    app = open_explore({"kind": "telegram", "event": "1945-08-20-stalin-first-telegram"})
    app.button(key="reset_filters").click().run()
    assert shown_count(app) == (total, total)
    assert app.session_state["selected_event"] is None


def test_details_panel_cites_each_source_in_chicago_style_and_cite_this_view_is_complete():
    """Test that a selected event's sources appear as Chicago citations, and the view citation names the work,
    its version and data date, the view's URL and the access date."""
    event_id = "1950-10-02-mao-reply-two-versions"
    app = open_explore({"event": event_id})
    dataset = load_dataset(REAL_DATA_DIR)
    cited = split_ids(dataset.events.set_index("id").loc[event_id, "source_ids"])
    citations = formatted_citations(dataset.sources[dataset.sources["id"].isin(cited)])
    shown = "\n".join(element.value for element in app.markdown)
    assert all(f"- {citation} (" in shown for citation in citations.values())
    assert not app.code, "the citation is drawn only when its expander is opened"
    app.session_state[CITE_EXPANDER] = True  # the reader opens "Cite this view"
    app.run()
    view_citation = next(code.value for code in app.code if "Accessed" in code.value)
    work = work_metadata()
    assert view_citation.startswith(f"{work.maintainers}. “Explore events (all events): ")
    assert f"version {work.version}, data as of {data_date(dataset).day} " in view_citation
    assert f"event={event_id}" in view_citation
    assert view_citation.endswith(f"Accessed {date.today().day} {date.today():%B %Y}.")


def test_the_table_is_drawn_once_opened_marks_the_selection_and_stays_open_as_filters_change():
    """Test that the events table waits until the reader opens it, then lists every event in view with the
    selected one marked, and is still open, with the new events, after a filter change."""
    event_id = "1945-08-20-stalin-first-telegram"
    app = open_explore({"kind": "telegram", "event": event_id})
    assert not app.dataframe, "the table is drawn only when its expander is opened"
    app.session_state[TABLE_EXPANDER] = True  # the reader opens "Table of the events in view"
    app.run()
    table = app.dataframe[0].value
    assert len(table) == shown_count(app)[0]
    assert table.loc[table["selected"] == "▶", "id"].tolist() == [event_id]
    app.multiselect(key="filter_kinds").set_value(["telegram", "meeting"]).run()
    assert len(app.dataframe) == 1
    assert len(app.dataframe[0].value) == shown_count(app)[0] > len(table)


def test_thousands_of_unknown_values_in_a_link_give_one_notice(total):
    """Test that a tampered link naming 5,000 unknown kinds draws one notice and the page, not 5,000 notices."""
    kinds = ",".join(f"bogus-{n}" for n in range(5_000))
    app = open_explore({"kind": f"{kinds},telegram"})
    notices = [warning.value.replace("\\", "") for warning in app.warning]
    assert len(notices) == 1
    assert "Ignored 5,000 values of kind" in notices[0]
    assert shown_count(app)[0] < total


def test_a_filtered_explore_timeline_opens_on_the_filtered_events_not_on_every_year():
    """Test that Explore filtered to the Moscow visit's meetings opens its timeline on those weeks, not on
    1924–1980."""
    app = open_explore({"chapter": "moscow-visit", "kind": "meeting"})
    timeline = next(chart for chart in app.get("plotly_chart") if chart.proto.id.endswith("-timeline_chart"))
    start, end = json.loads(timeline.proto.spec)["layout"]["xaxis"]["range"]
    assert "1949-11-15" <= start[:10] <= "1949-12-20"
    assert "1950-02-01" <= end[:10] <= "1950-03-31"
