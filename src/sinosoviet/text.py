"""Text from data shown safely: Streamlit renders markdown, and data must never become markup or links."""

from __future__ import annotations

import re

# Every character that means something to CommonMark or to Streamlit's extensions (:colour[...], $math$).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")


def escape_markdown(text: str) -> str:
    """Backslash-escape markdown so the text shows literally: `<script>` and `[a](b)` stay as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def markdown_link(label: str, url: str) -> str:
    """A markdown link whose label shows literally; angle brackets keep parentheses in the URL intact."""
    safe_url = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"[{escape_markdown(label)}](<{safe_url}>)"


def plotly_text(text: str) -> str:
    """Text for a Plotly label or hover: plotly.js reads a few HTML tags in them, so escape the markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def short_name(name: str) -> str:
    """A name without its explanation, for tight spaces: "Peiping (Beiping; Beijing from Sept 1949)" -> "Peiping"."""
    return name.split(" (")[0]
