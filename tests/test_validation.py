"""Unit tests for sinosoviet.validation on tiny in-memory tables."""

import itertools

import pandas as pd
import pytest

from sinosoviet import validation
from sinosoviet.errors import Problem
from sinosoviet.schema import EVENTS, PLACES, ROUTES, SOURCES
from sinosoviet.validation import (
    MAX_UNKNOWN_IDS_PER_CELL,
    check_row_rules,
    isbn_is_valid,
    iter_problems,
    split_ids,
    validate_table,
)

GOOD_EVENT = {
    "id": "1949-12-16-first-meeting",
    "start": "1949-12-16",
    "end": "",
    "date_precision": "day",
    "title": "Mao and Stalin meet",
    "summary": "They meet in the Kremlin.",
    "chapter": "moscow-visit",
    "kind": "meeting",
    "place_id": "moscow",
    "origin_place_id": "",
    "destination_place_id": "",
    "related_place_ids": "",
    "actors": "mao-zedong;stalin",
    "source_ids": "src-a",
    "certainty": "confirmed",
    "certainty_note": "",
    "tags": "",
}
KNOWN = {"places": {"moscow", "beiping"}, "actors": {"mao-zedong", "stalin"}, "sources": {"src-a"}}


def events(**changes) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD_EVENT, **changes}])


def rules(problems) -> list[tuple[str | None, str]]:
    return [(problem.column, problem.rule) for problem in problems]


def test_a_good_row_has_no_problems():
    """Test that a well-formed event with resolvable references passes."""
    assert validate_table(events(), EVENTS, KNOWN) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"start": "1949-12-32"}, ("start", "partial date")),
        ({"start": "1949-12"}, ("start", "precision")),
        ({"end": "1949-12-01"}, ("end", "date order")),
        ({"date_precision": "roughly"}, ("date_precision", "text")),
        ({"chapter": "epilogue"}, ("chapter", "text")),
        ({"place_id": "lushun"}, ("place_id", "unknown reference")),
        ({"actors": "mao-zedong;beria"}, ("actors", "unknown reference")),
        ({"source_ids": ""}, ("source_ids", "required")),
        ({"certainty": "contested"}, ("certainty_note", "required here")),
        ({"kind": "telegram"}, ("origin_place_id", "required here")),
        ({"id": "First Meeting"}, ("id", "slug")),
    ],
)
def test_each_broken_rule_is_reported_with_its_column(changes, expected):
    """Test that each kind of bad cell is caught and names its column and rule."""
    assert expected in rules(validate_table(events(**changes), EVENTS, KNOWN))


def test_problems_name_file_row_and_id():
    """Test that a problem reads like 'events.csv row 2 (id=...), column place_id: ...'."""
    [problem] = validate_table(events(place_id="lushun"), EVENTS, KNOWN)
    assert str(problem).startswith("events.csv row 2 (id=1949-12-16-first-meeting), column place_id:")
    assert "'lushun' is not an id in places.csv" in str(problem)


def test_a_missing_column_is_reported_once_not_per_row():
    """Test that a missing column yields one problem rather than one per row."""
    frame = pd.concat([events(), events(id="1949-12-17-x")]).drop(columns=["place_id"])
    assert rules(validate_table(frame, EVENTS, KNOWN)) == [("place_id", "missing column")]


def test_every_problem_is_reported_at_once():
    """Test that validation collects all problems instead of stopping at the first."""
    frame = pd.concat([events(start="1949-99-01"), events(id=GOOD_EVENT["id"], kind="dance")])
    found = rules(validate_table(frame, EVENTS, KNOWN))
    assert ("start", "partial date") in found
    assert ("kind", "text") in found
    assert ("id", "duplicate id") in found


def test_problems_come_in_row_order_then_column_order_whatever_repeats():
    """Test that checks run once per distinct value still report every row holding it, in spreadsheet order:
    by row, then by the schema's column order, then by the id's place in its cell."""
    frame = pd.concat([
        events(id="a", kind="dance", actors="beria;mao-zedong;yezhov"),
        events(id="b"),
        events(id="c", kind="dance", place_id="lushun", actors="beria"),
        events(id="a", start="1949-99-01"),
    ])  # fmt: skip
    found = [(problem.row, problem.column, problem.rule) for problem in validate_table(frame, EVENTS, KNOWN)]
    assert found == [
        (2, "kind", "text"),
        (4, "kind", "text"),
        (5, "start", "partial date"),
        (5, "id", "duplicate id"),
        (2, "actors", "unknown reference"),
        (2, "actors", "unknown reference"),
        (4, "place_id", "unknown reference"),
        (4, "actors", "unknown reference"),
    ]
    unknown = [problem.message for problem in validate_table(frame, EVENTS, KNOWN) if problem.row == 2]
    assert "'beria'" in unknown[1]
    assert "'yezhov'" in unknown[2]


def test_coordinates_out_of_range_are_rejected():
    """Test that latitude and longitude outside the globe are caught."""
    frame = pd.DataFrame(
        [
            {
                "id": "x",
                "name": "X",
                "period_names": "",
                "name_zh": "",
                "name_ru": "",
                "modern_name": "X",
                "lat": "91",
                "lon": "abc",
                "source_ids": "src-a",
                "labelled_on": "",
                "label_position": "",
            }
        ]
    )
    assert rules(validate_table(frame, PLACES, KNOWN)) == [("lat", "number"), ("lon", "number")]


def test_a_route_date_needs_its_precision():
    """Test that a dated waypoint must say how precise its date is."""
    frame = pd.DataFrame(
        [
            {
                "event_id": "e",
                "seq": "1",
                "place_id": "moscow",
                "date": "1949-12",
                "date_precision": "",
                "source_ids": "src-a",
                "note": "",
            }
        ]
    )
    assert ("date_precision", "required here") in rules(validate_table(frame, ROUTES, {"events": {"e"}}))


def test_id_lists_ignore_blanks_around_separators():
    """Test that 'a; b;' splits into two ids."""
    assert split_ids("a; b;") == ["a", "b"]


GOOD_SOURCE = {
    "id": "1949-12-16-stalin-mao-conversation",
    "kind": "archival-record",
    "csl_type": "manuscript",
    "author": "",
    "title": "Record of Conversation between Stalin and Mao Zedong",
    "container_title": "Wilson Center Digital Archive",
    "publisher": "Wilson Center",
    "issued": "1949-12-16",
    "page": "",
    "archive": "Archive of the President of the Russian Federation (APRF)",
    "archive_location": "f. 45, op. 1, d. 329, ll. 9–17",
    "doi": "",
    "isbn": "",
    "language": "en",
    "url": "https://digitalarchive.wilsoncenter.org/document/111240",
    "accessed": "2026-11-26",
}


def sources(**changes) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD_SOURCE, **changes}])


def test_a_good_source_has_no_problems():
    """Test that an archival record with its archive, a canonical link and an access date passes."""
    assert validate_table(sources(), SOURCES) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Copies that no teacher could hand out: a test mirror, a bare IP, a content farm, a wiki mirror.
        ({"url": "https://wilson-center-digital-archive.dvincitest.com/document/111240"}, ("url", "url")),
        ({"url": "https://test.history.state.gov/historicaldocuments/frus1945v07/d1"}, ("url", "url")),
        ({"url": "http://185.165.169.88/read/mao"}, ("url", "url")),
        ({"url": "https://docslib.org/doc/123/stalin"}, ("url", "url")),
        ({"url": "https://www.wikiwand.com/en/Port_Arthur"}, ("url", "url")),
        ({"archive": "", "archive_location": ""}, ("archive", "required here")),
        ({"url": "https://history.state.gov/x", "accessed": ""}, ("accessed", "required here")),
        ({"csl_type": "article-journal"}, ("csl_type", "consistent with kind")),
        ({"kind": "memoir", "csl_type": "book"}, ("kind", "text")),
        (
            {"kind": "contemporary-press", "csl_type": "article-newspaper", "issued": "1998"},
            ("issued", "consistent with kind"),
        ),
        ({"isbn": "978-0-8047-4484-4"}, ("isbn", "ISBN")),
        ({"doi": "https://doi.org/10.1017/x"}, ("doi", "DOI")),
        ({"language": "english"}, ("language", "text")),
    ],
)
def test_each_broken_source_rule_is_reported(changes, expected):
    """Test that the bibliographic rules catch bad hosts, missing archives, mistyped kinds, bad identifiers."""
    assert expected in rules(validate_table(sources(**changes), SOURCES))


@pytest.mark.parametrize(
    "url",
    [
        "https://history.state.gov/historicaldocuments/frus1950v06/d157",
        "https://treaties.un.org/doc/Publication/UNTS/Volume%20226/v226.pdf",
        "https://doi.org/10.2307/2620655",
        "https://www.britannica.com/event/Sino-Soviet-Treaty",
        "https://trove.nla.gov.au/newspaper/article/1",
    ],
)
def test_canonical_homes_are_accepted(url):
    """Test that archives, DOIs, reference works and library catalogues are accepted as links."""
    assert validate_table(sources(url=url), SOURCES) == []


def test_a_book_is_cited_by_its_pages_without_a_link():
    """Test that a scholarly book with a valid ISBN and no URL passes."""
    book = sources(
        id="westad-2003-decisive-encounters", kind="scholarship", csl_type="book", author="Westad, Odd Arne",
        title="Decisive Encounters", container_title="", publisher="Stanford: Stanford University Press",
        issued="2003", page="263–270", archive="", archive_location="", isbn="0-8047-4484-X", url="",
        accessed="",
    )  # fmt: skip
    assert validate_table(book, SOURCES) == []
    assert isbn_is_valid("978-0-306-40615-7")
    assert not isbn_is_valid("978-0-306-40615-8")


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"start": "١٩٤٩-١٢-١٦"}, "start"),
        ({"start": "１９４９-１２-１６"}, "start"),
        ({"id": "1949-12-16-ｆirst"}, "id"),
        ({"certainty": "confirmed\u00a0"}, "certainty"),
        ({"date_precision": " day"}, "date_precision"),
    ],
)
def test_patterns_for_structured_values_are_ascii_only(changes, column):
    """Test that the validator, given cells not in normal form, refuses other scripts' digits and padding rather
    than reading them as Python's \\d, int() and strip() would: it checks exactly the text it is given."""
    assert column in [problem.column for problem in validate_table(events(**changes), EVENTS, KNOWN)]


def test_numbers_and_identifiers_in_other_digits_are_refused():
    """Test that coordinates, ISBNs and DOIs written with non-ASCII digits are not numbers, ISBNs or DOIs."""
    place = {"id": "x", "name": "X", "period_names": "", "name_zh": "", "name_ru": "", "modern_name": "X",
             "lat": "３９.９", "lon": "٣٩", "source_ids": "src-a", "labelled_on": "", "label_position": ""}  # fmt: skip
    assert rules(validate_table(pd.DataFrame([place]), PLACES, KNOWN)) == [
        ("lat", "number"),
        ("lon", "number"),
    ]
    assert not isbn_is_valid("٠-٨٠٤٧-٤٤٨٤-X")
    assert ("doi", "DOI") in rules(validate_table(sources(doi="10.１０１７/x"), SOURCES))


def test_one_cell_lists_a_few_unknown_ids_and_counts_the_rest():
    """Regression (issue 22): a cell of ten million unknown ids made ten million problems; now one cell gives at
    most MAX_UNKNOWN_IDS_PER_CELL of them and a line counting the others."""
    unknown = ";".join(f"ghost-{number}" for number in range(150))
    found = [problem.message for problem in validate_table(events(actors=unknown), EVENTS, KNOWN)]
    assert len(found) == MAX_UNKNOWN_IDS_PER_CELL + 1
    assert (
        found[-1]
        == f"… and {150 - MAX_UNKNOWN_IDS_PER_CELL} more ids in this cell that are not in actors.csv"
    )


def test_a_cell_refused_for_its_form_is_not_also_searched_for_unknown_ids():
    """Test that a list cell too long or with a malformed id gives that one problem, not one per id in it."""
    too_long = validate_table(events(actors="a;" * 5_000), EVENTS, KNOWN)
    malformed = validate_table(events(actors="Bad Id;ghost"), EVENTS, KNOWN)
    assert rules(too_long) == [("actors", "id list")]
    assert rules(malformed) == [("actors", "id list")]


def test_problems_quote_at_most_sixty_characters_of_a_cell():
    """Test that a long bad value, and a long id naming its row, are quoted short, however long the cell."""
    [problem] = validate_table(events(id="x" * 1500, kind="k" * 1500), EVENTS, KNOWN)
    assert len(problem.message) < 300
    assert len(str(problem)) < 400


def test_problems_are_found_only_as_far_as_they_are_read(monkeypatch):
    """Test that taking the first problems of a table wrong on every row does not build the rest."""
    built = []
    monkeypatch.setattr(validation, "Problem", lambda *args: built.append(args) or Problem(*args))
    frame = pd.DataFrame(
        [{**GOOD_EVENT, "id": f"e{number}", "kind": f"dance-{number}"} for number in range(2_000)]
    )
    first = list(itertools.islice(iter_problems(frame, EVENTS, KNOWN), 10))
    assert len(first) == 10
    assert len(built) < 20


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"start": "1949-12-16\n"}, "start"),
        ({"id": "first-meeting\n"}, "id"),
        ({"end": " 1949-12-17"}, "end"),
    ],
)
def test_a_value_with_a_line_break_or_space_around_it_is_not_that_value(changes, column):
    """Test that the patterns match the whole text: `$` also matched before a final line break, and dates were
    read trimmed, so a cell the validator passed was not the text the loader typed."""
    assert column in [problem.column for problem in validate_table(events(**changes), EVENTS, KNOWN)]


def test_screening_rows_agrees_with_checking_every_row_on_a_padded_date():
    """Regression: the row screen skipped a date longer than ten characters while the row check read it trimmed,
    so "1950-02-14 " before an end of 1949 was a problem only when every row was checked."""
    frame = events(start="1950-02-14 ", end="1949-12-16")
    assert check_row_rules(frame, EVENTS) == check_row_rules(frame, EVENTS, screen=False)
