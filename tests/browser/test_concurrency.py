"""Concurrency: twenty readers at once, each with their own filters, on one server."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

from playwright.async_api import async_playwright, expect

from tests.browser.harness import CHROMIUM_ARGS, chromium_path

KINDS = ("telegram", "meeting", "travel", "treaty", "military", "ceremony", "press", "decision", "diplomatic",
         "implementation")  # fmt: skip
SESSIONS = 20


def _views() -> list[tuple[str, str]]:
    """Twenty different views: a kind, and for half of them a search text as well."""
    views = []
    for index in range(SESSIONS):
        kind = KINDS[index % len(KINDS)]
        query = f"kind={kind}" + ("&q=Mao" if index >= len(KINDS) else "")
        views.append((kind, query))
    return views


async def _open_view(browser, base_url: str, kind: str, query: str) -> dict:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await page.goto(f"{base_url}/explore?{query}", timeout=90_000)
        count = page.get_by_text(re.compile(r"\d+ of \d+ events")).first
        await count.wait_for(timeout=90_000)
        await page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
        )
        kinds_filter = page.locator("[class*='st-key-filter_kinds']")
        await expect(kinds_filter).to_contain_text(kind, timeout=60_000)
        chips = await kinds_filter.inner_text()
        return {
            "kind": kind,
            "query": query,
            "count": await count.inner_text(),
            "chips": chips,
            "url": page.url,
            "exceptions": await page.locator("[data-testid='stException']").count(),
            "errors": errors,
        }
    finally:
        await context.close()


async def _open_all(base_url: str) -> list[dict]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(*(_open_view(browser, base_url, kind, q) for kind, q in _views()))
        finally:
            await browser.close()


def test_twenty_sessions_each_see_only_their_own_filters(streamlit_server):
    """Test that 20 simultaneous sessions with different filters each show their own filter and count, error-free."""
    # Playwright's sync API (the other browser tests) keeps an event loop on this thread: run ours on another.
    with ThreadPoolExecutor(max_workers=1) as worker:
        results = worker.submit(asyncio.run, _open_all(streamlit_server.url)).result()
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
