"""Unit tests for sinosoviet.text and sinosoviet.citation."""

from datetime import date

from sinosoviet.citation import cite_view, describe_view
from sinosoviet.text import escape_markdown, markdown_link


def test_markup_in_data_is_escaped():
    """Test that HTML and markdown links come out escaped so Streamlit shows them literally."""
    assert escape_markdown("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert escape_markdown("[click](javascript:x)") == r"\[click\]\(javascript\:x\)"


def test_links_keep_their_url_and_escape_their_label():
    """Test that a link label cannot inject markup and the URL keeps its parentheses."""
    link = markdown_link("A [b]", "https://example.org/wiki/Port_Arthur_(city)")
    assert link == r"[A \[b\]](<https://example.org/wiki/Port_Arthur_(city)>)"


def test_citation_names_view_url_and_access_date():
    """Test that a view citation carries its title, URL and the day accessed."""
    title = describe_view("Explore events", 12, 143, "Mao and Stalin meet")
    assert title == "Explore events (12 of 143 events): Mao and Stalin meet"
    citation = cite_view(title, "http://localhost/explore?kind=telegram", date(2026, 11, 25))
    assert "http://localhost/explore?kind=telegram" in citation
    assert citation.endswith("Accessed 25 November 2026.")
