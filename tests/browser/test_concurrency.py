"""Concurrency: twenty readers at once, each with their own filters, on one server."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from tests.browser.harness import APP_IDLE, CHROMIUM_ARGS, WAIT_TIMEOUT_MS, chromium_path
from tests.conftest import run_async

KINDS = ("telegram", "meeting", "travel", "treaty", "military", "ceremony", "press", "decision", "diplomatic",
         "implementation")  # fmt: skip
SESSIONS = 20
# Twenty pages drawn at once share two cores (one of them perhaps another test worker's): each session may
# wait several times longer than a lone page would.
SESSION_TIMEOUT_MS = 4 * WAIT_TIMEOUT_MS
COUNT = re.compile(r"\d+ of \d+ events")


def _views() -> list[tuple[str, str]]:
    """Twenty different views: a kind, and for half of them a search text as well."""
    views = []
    for index in range(SESSIONS):
        kind = KINDS[index % len(KINDS)]
        query = f"kind={kind}" + ("&q=Mao" if index >= len(KINDS) else "")
        views.append((kind, query))
    return views


async def _open_view(browser, base_url: str, kind: str, query: str, screenshot: Path) -> dict:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await page.goto(f"{base_url}/explore?{query}", timeout=SESSION_TIMEOUT_MS)
        await expect(page.locator(APP_IDLE)).to_be_attached(timeout=SESSION_TIMEOUT_MS)
        count = page.get_by_text(COUNT).first
        await expect(count).to_be_visible(timeout=SESSION_TIMEOUT_MS)
        kinds_filter = page.locator(".st-key-filter_kinds")
        await expect(kinds_filter).to_contain_text(kind, timeout=SESSION_TIMEOUT_MS)
        return {
            "kind": kind,
            "query": query,
            # Reading the texts waits as long as the checks above: a page still drawing its charts on a shared
            # core can leave Playwright waiting for the main thread beyond its 30 s default.
            "count": await count.inner_text(timeout=SESSION_TIMEOUT_MS),
            "chips": await kinds_filter.inner_text(timeout=SESSION_TIMEOUT_MS),
            "url": page.url,
            "exceptions": await page.locator("[data-testid='stException']").count(),
            "errors": errors,
        }
    except Exception:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=screenshot)
        raise
    finally:
        await context.close()


async def _open_all(base_url: str, output: Path) -> list[dict]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(*(
                _open_view(browser, base_url, kind, query, output / f"session-{index}-{kind}.png")
                for index, (kind, query) in enumerate(_views())
            ))  # fmt: skip
        finally:
            await browser.close()


@pytest.mark.full
@pytest.mark.timeout(600)
def test_twenty_sessions_each_see_only_their_own_filters(streamlit_server, output_path):
    """Test that 20 simultaneous sessions with different filters each show their own filter and count, error-free."""
    results = run_async(_open_all(streamlit_server.url, Path(output_path)))
    assert len(results) == SESSIONS
    for result in results:
        assert result["exceptions"] == 0, result
        assert result["errors"] == [], result
        assert result["kind"] in result["chips"], result
        others = [kind for kind in KINDS if kind != result["kind"] and kind in result["chips"].split()]
        assert others == [], result
        assert f"kind={result['kind']}" in result["url"], result
    # The same view gives the same count, and different kinds give different counts where the data differ.
    by_query: dict[str, set[str]] = {}
    for result in results:
        by_query.setdefault(result["query"], set()).add(result["count"])
    assert all(len(counts) == 1 for counts in by_query.values())
    assert len({result["count"] for result in results}) > 5
    assert "Traceback" not in streamlit_server.log()
