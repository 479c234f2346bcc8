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


def place_with_variants(name: str, period_names: str, modern_name: str) -> str:
    """A place's one name with its other forms in parentheses, for hovers and the details panel:
    "Beijing (then Peiping, Peking)", "Leningrad (today Saint Petersburg)"."""
    then = [form.strip() for form in period_names.split(";") if form.strip() and form.strip() != name]
    notes = [f"then {', '.join(then)}"] if then else []
    if modern_name and modern_name != name and not modern_name.startswith(f"{name},"):
        notes.append(f"today {modern_name}")
    return f"{name} ({'; '.join(notes)})" if notes else name


def short_name(name: str) -> str:
    """A name without its explanation, for tight spaces: "Lüshun naval base (Port Arthur)" -> "Lüshun naval base"."""
    return name.split(" (")[0]
