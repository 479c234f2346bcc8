"""Text from data shown safely: Streamlit renders markdown, and data must never become markup or links."""

from __future__ import annotations

import re

# Every character that means something to CommonMark or to Streamlit's extensions (:colour[...], $math$).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")


# Streamlit's Markdown also turns bare addresses into links (GitHub's "autolink literals": http://…, www.…,
# name@host). It finds them in the text after backslash escapes are undone, so escaping cannot stop it; an
# invisible word joiner (U+2060) inside the pattern does, without changing what the reader sees.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?i)(?<![a-z0-9])(https?|ftp|mailto|xmpp|www)(?=[:.])|(@)")


def escape_markdown(text: str) -> str:
    """Show the text literally: `<script>`, `[a](b)` and bare addresses stay as typed, never markup or links."""
    return _escape_specials(_AUTOLINK_STARTS.sub(lambda match: match.group() + WORD_JOINER, text))


def _escape_specials(text: str) -> str:
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def markdown_link(label: str, url: str) -> str:
    """A markdown link whose label shows literally; angle brackets keep parentheses in the URL intact."""
    safe_url = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    # No word joiners in the label: Markdown makes no link inside a link, and a reader copying a citation's
    # address must get the address.
    return f"[{_escape_specials(label)}](<{safe_url}>)"


MAX_CHART_TEXT = 120  # characters of one label or hover line: a chart is no place for a paragraph


def plotly_text(text: str, limit: int = MAX_CHART_TEXT) -> str:
    """Text for a Plotly label or hover: cut to `limit` characters, with its markup escaped, since plotly.js
    reads a few HTML tags in labels (and lays out megabytes of one with the browser frozen)."""
    shown = text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
    return shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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


def counted_noun(count: int, one: str, many: str) -> str:
    """ "1 event", "2,041 events": both forms given whole, never made by adding an "s"."""
    return f"{count:,} {one if count == 1 else many}"
