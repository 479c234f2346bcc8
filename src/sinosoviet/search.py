"""What the search box matches: every name an event's people and places have had, in any order, any accents.

Each event gets one folded text, made the first time a dataset is searched (Dataset.search_texts): its title, summary and kind, its places under
every name they carry (today's, the period forms such as Port Arthur, Peking and Chungking, the modern name, the
Chinese and Russian names), and its people under their names, aliases and pseudonyms (Mao Tse-tung, Filippov).
Folding drops accents and case (Lüshun is found by "lushun"), and a query matches an event when every one of its
words is in that text, in any order ("telegram Stalin").
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from sinosoviet.validation import split_ids

PLACE_NAME_COLUMNS = ("name", "period_names", "modern_name", "name_zh", "name_ru")
ACTOR_NAME_COLUMNS = ("name", "aliases", "name_zh", "name_ru")
_COMBINING_MARKS = r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def fold(text: str) -> str:
    """A text as the search compares it: compatibility forms, no accents, no case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _fold_column(texts: pd.Series) -> pd.Series:
    # Most texts are plain ASCII, which only needs lower case; decomposing and stripping marks is for the rest.
    plain = texts.str.isascii()
    folded = texts.str.lower()
    if not plain.all():
        rest = texts[~plain]
        folded[~plain] = (
            rest.str.normalize("NFKD").str.replace(_COMBINING_MARKS, "", regex=True).str.casefold()
        )
    return folded


def _names_by_id(table: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, str]:
    """Every name of each place or person, folded once per id rather than once per event."""
    present = [column for column in columns if column in table]
    names = table[present[0]].str.cat([table[column] for column in present[1:]], sep=" ")
    return dict(zip(table["id"], _fold_column(names.str.replace(";", " ", regex=False)), strict=True))


def _names_of_lists(cells: pd.Series, names: dict[str, str]) -> pd.Series:
    """The names of every id in each `;`-separated cell, worked out once per distinct cell (uploads repeat them)."""
    distinct = {cell: " ".join(names.get(part, "") for part in split_ids(cell)) for cell in cells.unique()}
    return cells.map(distinct)


def search_texts(events: pd.DataFrame, actors: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """One folded text per event, in the events' order, holding everything the search box may match."""
    place_names = _names_by_id(places, PLACE_NAME_COLUMNS)
    actor_names = _names_by_id(actors, ACTOR_NAME_COLUMNS)
    parts = [events[column].map(place_names).fillna("") for column in ("place_id", "origin_place_id",
                                                                        "destination_place_id")]  # fmt: skip
    parts.append(_names_of_lists(events["related_place_ids"], place_names))
    parts.append(_names_of_lists(events["actors"], actor_names))
    return own_words(events).str.cat(parts, sep=" ")


def own_words(events: pd.DataFrame) -> pd.Series:
    """Folded texts of the events' own words alone, for an events table searched without its people and places."""
    return _fold_column(events["title"].str.cat([events["summary"], events["kind"]], sep=" "))


def matches(texts: pd.Series, query: str) -> pd.Series:
    """True where the folded text holds every word of the query, in any order."""
    mask = pd.Series(True, index=texts.index)
    for word in dict.fromkeys(fold(query).split()):
        mask &= texts.str.contains(word, regex=False)
    return mask
