"""Save a screenshot of every page at desktop and phone size, to look at what the app shows a person.

uv run python -m tests.browser.screenshots [output-folder] [--query "?chapter=..."]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from sinosoviet.registry import pages
from tests.browser.harness import launch_chromium, start_streamlit, wait_for_page

VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}


def main(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    server = start_streamlit(Path(tempfile.mkdtemp()))
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for label, (width, height) in VIEWPORTS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for spec in pages():
                    page.goto(f"{server.url}/{'' if spec.default else spec.slug}")
                    wait_for_page(page, spec.slug)
                    # Streamlit scrolls inside its main container, so a "full page" shot would stop at the
                    # viewport: grow the viewport to the content instead, then restore it.
                    content_height = page.evaluate(
                        "document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
                    )
                    page.set_viewport_size({"width": width, "height": max(height, content_height)})
                    wait_for_page(page, spec.slug)
                    page.wait_for_timeout(
                        500
                    )  # plotly relayouts a resized chart on its next animation frames
                    path = output / f"{spec.slug}-{label}.png"
                    page.screenshot(path=str(path))
                    page.set_viewport_size({"width": width, "height": height})
                    print(path)
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
