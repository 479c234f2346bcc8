"""Unit tests for sinosoviet.search on the real data: every name a person or place has had finds its events."""

import pytest

from sinosoviet.filters import EventFilter, apply_filter
from sinosoviet.loaders import load_dataset
from sinosoviet.search import fold
from tests.conftest import REAL_DATA_DIR

DATASET = load_dataset(REAL_DATA_DIR)


def found(query: str) -> set[str]:
    return set(apply_filter(DATASET.events, EventFilter(text=query), DATASET.search_texts)["id"])


def at_place(place: str) -> set[str]:
    events = DATASET.events
    return set(events[(events["place_id"] == place) | (events["destination_place_id"] == place)]["id"])


@pytest.mark.parametrize(
    ("query", "place"),
    [("Port Arthur", "port-arthur"), ("Lushun", "port-arthur"), ("Peking", "beiping"), ("Chungking", "chongqing"),
     ("dalny", "dairen"), ("旅顺", "port-arthur"), ("Пекин", "beiping")],
)  # fmt: skip
def test_a_place_is_found_under_any_of_its_names(query, place):
    """Test that period forms, names without accents and the Chinese and Russian names find the place's events."""
    assert at_place(place) <= found(query)


def test_a_person_is_found_under_an_old_romanisation_or_a_pseudonym():
    """Test that Mao Tse-tung finds Mao's events and Filippov, Stalin's cable name, finds Stalin's."""
    events = DATASET.events
    assert set(events[events["actors"].str.contains("mao-zedong")]["id"]) == found("Mao Tse-tung")
    assert set(events[events["actors"].str.contains("stalin")]["id"]) <= found("filippov")


def test_words_match_in_any_order_and_all_must_match():
    """Test that "telegram Stalin" finds Stalin's telegrams, as "Stalin telegram" does, and a word that is
    nowhere finds nothing."""
    events = DATASET.events
    stalins_telegrams = events[events["kind"].eq("telegram") & events["actors"].str.contains("stalin")]
    assert set(stalins_telegrams["id"]) <= found("telegram Stalin") == found("Stalin telegram")
    assert not found("telegram Stalin zzzz")


def test_without_the_datasets_texts_the_search_reads_the_events_own_words():
    """Test that a bare events table is searched in its titles and summaries only, with the same folding."""
    events = DATASET.events
    assert apply_filter(events, EventFilter(text="Chungking")).empty
    assert not apply_filter(events, EventFilter(text="KREMLIN")).empty


def test_folding_drops_accents_case_and_width():
    """Test that the search compares Lüshun, LUSHUN and full-width letters alike."""
    assert fold("Lüshun") == fold("LUSHUN") == fold("ｌｕｓｈｕｎ") == "lushun"
