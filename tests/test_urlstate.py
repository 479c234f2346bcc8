"""Unit tests for sinosoviet.urlstate: views to query strings and back, and hostile links."""

from datetime import date

import pytest

from sinosoviet.filters import EventFilter
from sinosoviet.urlstate import MAX_TEXT_LENGTH, ViewState, Vocabulary, parse_query, to_query

VOCABULARY = Vocabulary(
    chapters=frozenset({"moscow-visit", "telegrams-1945"}),
    kinds=frozenset({"telegram", "meeting"}),
    actors=frozenset({"mao-zedong", "stalin"}),
    places=frozenset({"moscow"}),
    certainties=frozenset({"confirmed", "contested"}),
    event_ids=frozenset({"1949-12-16-first-meeting"}),
    first_day=date(1924, 1, 21),
    last_day=date(1980, 4, 11),
)
DEFAULTS = ViewState()


def test_a_view_survives_the_round_trip_through_the_url():
    """Test that writing a view to the query string and reading it back gives the same view."""
    view = ViewState(
        filter=EventFilter(start=date(1945, 8, 1), end=date(1945, 10, 31), chapters=("telegrams-1945",),
                           kinds=("telegram", "meeting"), actors=("stalin",), places=("moscow",),
                           certainties=("contested",), text="Chongqing"),
        selected_event="1949-12-16-first-meeting", lanes="actor", colour="certainty", zoom="aug-oct-1945",
    )  # fmt: skip
    query = to_query(view, DEFAULTS)
    assert query["kind"] == "telegram,meeting"
    parsed = parse_query(query, VOCABULARY, DEFAULTS)
    assert parsed.state == view
    assert parsed.notices == ()


def test_defaults_leave_the_url_clean():
    """Test that an unfiltered view writes no query parameters."""
    assert to_query(DEFAULTS, DEFAULTS) == {}


@pytest.mark.parametrize(
    ("params", "mentions"),
    [
        ({"chapter": "epilogue"}, "chapter “epilogue”"),
        ({"kind": "telegram,<script>alert(1)</script>"}, "kind “<script>"),
        ({"from": "1945-13-01"}, "from “1945-13-01”"),
        ({"to": "2999-01-01"}, "to “2999-01-01”"),
        ({"event": "no-such-event"}, "event “no-such-event”"),
        ({"lanes": "diagonal"}, "lanes “diagonal”"),
        ({"zoom": "x" * 500}, "zoom “xxxxxxxx"),
        ({"from": "1950-01-01", "to": "1945-01-01"}, "start is after its end"),
    ],
)
def test_hostile_values_fall_back_with_a_notice(params, mentions):
    """Test that unknown, malformed or out-of-range values are dropped with a notice, never an exception."""
    parsed = parse_query(params, VOCABULARY, DEFAULTS)
    assert any(mentions in notice for notice in parsed.notices), parsed.notices
    assert parsed.state.selected_event is None
    assert parsed.state.lanes == "chapter"


def test_valid_values_are_kept_beside_invalid_ones():
    """Test that one bad id in a list drops only itself."""
    parsed = parse_query({"kind": "telegram,dance"}, VOCABULARY, DEFAULTS)
    assert parsed.state.filter.kinds == ("telegram",)
    assert len(parsed.notices) == 1


def test_thousands_of_unknown_values_give_one_notice():
    """Test that a tampered link with 5,000 unknown kinds gives one short notice, not 5,000 (issue 13)."""
    params = {"kind": ",".join(f"bogus-{n}" for n in range(5_000)) + ",telegram"}
    parsed = parse_query(params, VOCABULARY, DEFAULTS)
    assert parsed.state.filter.kinds == ("telegram",)
    [notice] = parsed.notices
    assert "Ignored 5,000 values of kind" in notice
    assert "“bogus-0”, “bogus-1”, “bogus-2” and 4,997 more" in notice
    assert len(notice) < 300


def test_long_search_text_is_cut_with_a_notice():
    """Test that a huge search string is shortened rather than processed whole."""
    parsed = parse_query({"q": "a" * 10_000}, VOCABULARY, DEFAULTS)
    assert len(parsed.state.filter.text) == MAX_TEXT_LENGTH
    assert parsed.notices


def test_repeated_parameters_use_the_last_value():
    """Test that ?event=a&event=b reads as b, as browsers show the last one."""
    parsed = parse_query({"event": ["nope", "1949-12-16-first-meeting"]}, VOCABULARY, DEFAULTS)
    assert parsed.state.selected_event == "1949-12-16-first-meeting"


@pytest.mark.parametrize("invisible", ["\u202e", "\u2066", "\u200b", "\x07", "\u2028"])
def test_invisible_characters_in_a_link_are_written_out_in_its_notice(invisible):
    """Regression (issue 22): a right-to-left override in `event=` reversed the text of the app's own notice.
    Now every control, format or separator character is quoted as its code point, never as itself."""
    parsed = parse_query({"event": f"abc{invisible}def"}, VOCABULARY, DEFAULTS)
    (notice,) = parsed.notices
    assert invisible not in notice
    assert f"“abc<U+{ord(invisible):04X}>def”" in notice
