"""Reader-facing text is edited prose: no source ids, website names or notes on how the research was done.

Students read summaries, certainty notes, route notes, treaty texts, names and the list of the commissioning
article's errors. A reader should meet scholars and documents there ("Shen Zhihua gives…", "the Soviet record
of the conversation"), never a file's shorthand for them.
"""

from __future__ import annotations

import re

import pytest

from sinosoviet.loaders import load_dataset
from sinosoviet.tables import seed_corrections_markdown
from tests.conftest import REAL_DATA_DIR

# Columns a reader sees, table by table.
READER_COLUMNS = {
    "events": ("title", "summary", "certainty_note"),
    "routes": ("note",),
    "treaty_provisions": (
        "topic",
        "document_1945",
        "provision_1945",
        "document_1950",
        "provision_1950",
        "change",
        "carried_out_note",
    ),
    "places": ("name", "name_zh", "name_ru", "modern_name"),
    "actors": ("name", "role", "aliases"),
}
# A host name written out: "docslib.org", "fx361.cc", "en.wikipedia.org".
HOST_NAME = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|cn|ru|cc|io|info|tw|hk|wiki|online|us|edu|gov|uk)\b",
                       re.IGNORECASE)  # fmt: skip
# Websites by the nicknames notes gave them, and web encyclopedias a student essay would not cite as authority.
SITE_NAMES = re.compile(
    r"\b(?:wikisum|worldjpn|jxxfw|fx361|docslib|soolun|clateway|wikiwand|piglix|knowpia|tese5|daydaynews|szzy|"
    r"omniatlas|history-?maps|hprc|rt-?online|istmat|wikisource|wikipedia|wiki mirror|baidu|baike|bibliboba|"
    r"google books|kiwix|4721)\b",
    re.IGNORECASE,
)
# How the research was done is for the closing notes of an issue, not for readers.
RESEARCH_REMARKS = re.compile(
    r"pages? (?:we )?opened|online copy|the copy we read|not visible in|search results?|notes\.md|\bthe seed\b|"
    r"\bthe brief\b|\bsource id\b|\bwe could not (?:open|read)\b",
    re.IGNORECASE,
)


def _reader_texts() -> list[tuple[str, str]]:
    dataset = load_dataset(REAL_DATA_DIR)
    texts = [
        (f"{table}.csv {row.get('id') or row.get('event_id')} {column}", row[column])
        for table, columns in READER_COLUMNS.items()
        for row in getattr(dataset, table).to_dict(orient="records")
        for column in columns
        if row[column]
    ]
    return [*texts, ("docs/seed-corrections.md", seed_corrections_markdown())]


READER_TEXTS = _reader_texts()
SOURCE_IDS = frozenset(load_dataset(REAL_DATA_DIR).sources["id"])


@pytest.mark.parametrize(
    "pattern", [HOST_NAME, SITE_NAMES, RESEARCH_REMARKS], ids=["hosts", "sites", "research"]
)
def test_reader_text_names_no_website_and_no_research_step(pattern):
    """Test that no reader-facing text names a website or describes how the research was done."""
    found = [
        f"{where}: {match.group(0)!r}" for where, text in READER_TEXTS for match in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_reader_text_carries_no_source_id():
    """Test that no reader-facing text cites a source by its id instead of by its author or document."""
    token = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
    found = [
        f"{where}: {word!r}"
        for where, text in READER_TEXTS
        for word in token.findall(text)
        if word in SOURCE_IDS
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "text",
    [
        "as wikisum says",
        "see docslib.org",
        "(worldjpn text)",
        "his dates were not visible in the pages opened",
    ],
)
def test_the_checks_catch_what_they_are_for(text):
    """Test that each kind of forbidden text is caught, so the checks above cannot pass vacuously."""
    assert any(pattern.search(text) for pattern in (HOST_NAME, SITE_NAMES, RESEARCH_REMARKS))


def place_forms(places) -> dict[str, str]:
    """Every other form of a place's name (period spellings, today's name), mapped to the one name used."""
    forms = {}
    for place in places.to_dict(orient="records"):
        others = [form.strip() for form in place["period_names"].split(";")]
        if place["modern_name"] != place["name"] and not place["modern_name"].startswith(f"{place['name']},"):
            others.append(place["modern_name"].split(" (")[0])
        forms |= {form: place["name"] for form in others if form and form != place["name"]}
    return forms


def forms_outside_parentheses(text: str, forms: dict[str, str]) -> list[str]:
    """The other forms of place names that `text` uses outside parentheses (inside them they explain)."""
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    return [form for form in forms if re.search(rf"(?<![\w']){re.escape(form)}(?![\w'])", text)]


def test_reader_text_calls_each_place_by_one_name():
    """Test that events, routes, treaty texts and roles use each place's one name, other forms only in parentheses."""
    forms = place_forms(load_dataset(REAL_DATA_DIR).places)
    # Places' own names and people's names and pseudonyms are the glossary; roles are prose.
    prose = [
        (where, text)
        for where, text in READER_TEXTS[:-1]
        if not where.startswith("places.csv")
        and (not where.startswith("actors.csv") or where.endswith(" role"))
    ]
    found = [f"{where}: {form!r} (use {forms[form]!r})" for where, text in prose for form in forms_outside_parentheses(text, forms)]  # fmt: skip
    assert not found, "\n".join(found)


def test_the_place_name_check_ignores_parentheses_only():
    """Test the checker itself: a period form outside parentheses is found, inside them it is not."""
    forms = {"Port Arthur": "Lüshun", "Peiping": "Beijing"}
    assert forms_outside_parentheses("Lüshun (Port Arthur) and Peiping", forms) == ["Peiping"]
