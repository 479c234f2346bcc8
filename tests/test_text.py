"""Unit tests for sinosoviet.text and sinosoviet.citation."""

from datetime import date
from pathlib import Path

import pytest

from sinosoviet.citation import cite_dataset, cite_view, describe_view, work_metadata
from sinosoviet.text import MAX_CHART_TEXT, WORD_JOINER, escape_markdown, markdown_link, plotly_text


def test_markup_in_data_is_escaped():
    """Test that HTML and markdown links come out escaped so Streamlit shows them literally."""
    assert escape_markdown("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert escape_markdown("[click](javascript:x)") == r"\[click\]\(javascript\:x\)"


@pytest.mark.parametrize(
    ("text", "broken_after"),
    [
        ("see http://example.org/x", "http"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS"),
        ("www.example.org", "www"),
        ("write to someone@example.org", "@"),
        ("mailto:someone@example.org", "mailto"),
    ],
)
def test_bare_addresses_in_data_cannot_become_links(text, broken_after):
    """Test that Markdown's autolink patterns are broken by an invisible joiner, and the text is otherwise kept."""
    escaped = escape_markdown(text)
    assert broken_after + WORD_JOINER in escaped
    assert escaped.replace(WORD_JOINER, "").replace("\\", "") == text


def test_words_that_merely_contain_www_or_http_are_left_alone():
    """Test that only the start of an address is broken: "httpd" and "awww." keep their letters together."""
    assert WORD_JOINER not in escape_markdown("httpd logs and awww.")


def test_chart_text_is_capped_and_escaped():
    """Test that a label longer than the cap is cut with an ellipsis, and markup in it is escaped."""
    shown = plotly_text("<b>" + "x" * 10_000)
    assert shown.startswith("&lt;b&gt;")
    assert len(shown.replace("&lt;", "<").replace("&gt;", ">")) == MAX_CHART_TEXT
    assert shown.endswith("…")
    assert plotly_text("Moscow") == "Moscow"


def test_links_keep_their_url_and_escape_their_label():
    """Test that a link label cannot inject markup and the URL keeps its parentheses."""
    link = markdown_link("A [b]", "https://example.org/wiki/Port_Arthur_(city)")
    assert link == r"[A \[b\]](<https://example.org/wiki/Port_Arthur_(city)>)"


def test_citation_names_work_maintainers_version_data_date_url_and_access_date():
    """Test that a view citation carries the work's title, maintainers and version, the view, the data's date,
    its URL and the day accessed; and that the dataset citation does too."""
    title = describe_view("Explore events", 12, 143, "Mao and Stalin meet")
    assert title == "Explore events (12 of 143 events): Mao and Stalin meet"
    citation = cite_view(
        title, "http://localhost/explore?kind=telegram", date(2026, 11, 25), date(2026, 11, 20)
    )
    work = work_metadata()
    assert citation.startswith(f"{work.maintainers}. “{title}.” In {work.title}, version {work.version}, ")
    assert "data as of 20 November 2026. http://localhost/explore?kind=telegram." in citation
    assert citation.endswith("Accessed 25 November 2026.")
    dataset = cite_dataset("http://localhost/", date(2026, 11, 25), None)
    assert work.version in dataset
    assert "data as of" not in dataset


def test_citation_cff_names_the_same_work_as_the_app():
    """Test that CITATION.cff and the package metadata (which the app cites from) agree."""
    cff = (Path(__file__).resolve().parents[1] / "CITATION.cff").read_text(encoding="utf-8")
    work = work_metadata()
    assert f'title: "{work.title}"' in cff
    assert f"version: {work.version}" in cff
    assert f'- name: "{work.maintainers}"' in cff
