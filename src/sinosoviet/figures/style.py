"""Colours, symbols and labels shared by the figures, chosen to survive colour-blindness and the dark theme.

Colour is never the only carrier of meaning: certainty is also a marker shape, and an approximate date is a
hollow marker or a hatched bar, so a reader who cannot tell the colours apart loses nothing.
"""

from __future__ import annotations

from sinosoviet.schema import CERTAINTIES, CHAPTER_TITLES, CHAPTERS, EVENT_KINDS

# Okabe–Ito, the palette designed to stay distinct for the common forms of colour-blindness, plus two greys.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
EXTRA = ("#999999", "#7F6A3F", "#4D8C8C", "#9C6FB0")
PALETTE = OKABE_ITO[:7] + EXTRA + ("#B0B0B0",)

CERTAINTY_SYMBOLS = {"confirmed": "circle", "single-source": "square", "contested": "diamond"}
CERTAINTY_LABELS = {
    "confirmed": "confirmed",
    "single-source": "single source",
    "contested": "contested",
}
KIND_LABELS = {
    "telegram": "Telegram",
    "letter": "Letter",
    "meeting": "Meeting",
    "travel": "Travel",
    "treaty": "Treaty",
    "military": "Military",
    "ceremony": "Ceremony",
    "press": "Press",
    "decision": "Decision",
    "diplomatic": "Diplomatic",
    "implementation": "Implementation",
    "commemoration": "Commemoration",
}
# "12 telegrams on this route": the map counts messages and journeys per pair of places when they are many.
PLURAL_NOUNS = {"telegram": "telegrams", "letter": "letters", "travel": "journeys"}
SELECTION_COLOUR = "#D55E00"


def colour_map(keys: tuple[str, ...]) -> dict[str, str]:
    """A stable colour for each key, in the given order."""
    return {key: PALETTE[index % len(PALETTE)] for index, key in enumerate(keys)}


KIND_COLOURS = colour_map(EVENT_KINDS)
CHAPTER_COLOURS = colour_map(CHAPTERS)
CERTAINTY_COLOURS = {"confirmed": "#0072B2", "single-source": "#E69F00", "contested": "#CC79A7"}
GROUP_COLOURS = {"kind": KIND_COLOURS, "chapter": CHAPTER_COLOURS, "certainty": CERTAINTY_COLOURS}
GROUP_LABELS = {"kind": KIND_LABELS, "chapter": CHAPTER_TITLES, "certainty": CERTAINTY_LABELS}
GROUP_ORDER = {"kind": EVENT_KINDS, "chapter": CHAPTERS, "certainty": CERTAINTIES}
COLOUR_LEGEND_TITLES = {
    "kind": "Colour: kind",
    "chapter": "Colour: chapter",
    "certainty": "Colour: certainty",
}
