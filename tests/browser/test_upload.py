"""Browser test: an uploaded file whose text is hostile markup is explored with that text shown inert."""

from __future__ import annotations

import re

import pandas as pd
from playwright.sync_api import expect

from tests.browser.harness import TIMELINE, click_mark, expect_selected, upload_and_explore

HOSTILE_TITLE = "<script>window.hacked=1</script><img src=x onerror=alert(1)>"
HOSTILE_ID = "1949-12-21-hostile"
HOSTILE_SUMMARY = "[click me](javascript:alert(1)) **bold?** <b>not bold</b>"


def _hostile_csv(tmp_path):
    row = {
        "id": HOSTILE_ID, "start": "1949-12-21", "end": "", "date_precision": "day",
        "title": HOSTILE_TITLE, "summary": HOSTILE_SUMMARY, "chapter": "moscow-visit", "kind": "meeting",
        "place_id": "moscow", "origin_place_id": "", "destination_place_id": "", "related_place_ids": "",
        "actors": "mao-zedong", "source_ids": "", "certainty": "single-source", "certainty_note": "=1+1 test note",
    }  # fmt: skip
    path = tmp_path / "hostile.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    return path


def test_hostile_text_in_an_upload_is_shown_literally(streamlit_server, page, tmp_path):
    """Test that script tags, HTML and markdown links from an upload show as typed and never run or link."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    upload_and_explore(page, streamlit_server.url, _hostile_csv(tmp_path), events=1)
    expect(page.get_by_text(re.compile(r"1 of 1 events"))).to_be_visible()
    assert click_mark(page, TIMELINE) == HOSTILE_ID
    expect_selected(page, HOSTILE_ID, HOSTILE_TITLE)

    details = page.locator(".st-key-event_details")
    expect(details).to_contain_text(HOSTILE_SUMMARY)
    assert details.locator("a[href^='javascript']").count() == 0
    assert details.locator("script, img, b:has-text('not bold')").count() == 0
    assert page.evaluate("() => window.hacked") is None
    assert dialogs == []
