"""Unit tests for sinosoviet.filters on the fixture events."""

from sinosoviet.filters import events_in_chapters
from sinosoviet.loaders import load_events


def test_events_in_chapters_keeps_only_those_chapters_in_date_order(fixture_data_dir):
    """Test that the chapter filter keeps matching events, sorted by their first possible day."""
    events = load_events(fixture_data_dir)
    assert events_in_chapters(events, ["treaty-1950"]).empty
    chosen = events_in_chapters(events, ["moscow-visit"])
    assert chosen["id"].tolist() == ["1949-12-gifts", "1949-12-06-mao-leaves", "1949-12-16-first-meeting"]
