"""Synthetic event tables for the scale benchmarks: the real events, copied and shifted until there are N.

Copies keep each event's chapter, kind, places, people, sources and date precision, with a new id and a date
moved by a random whole number of days (day precision) or months (month and year precision, written at the
same precision), so every table still passes the schema and the filters have realistic work to do.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd

from sinosoviet.dates import parse_partial_date
from sinosoviet.loaders import default_data_dir

SEED = 1950


def _shift(text: str, rng: random.Random) -> str:
    if not text:
        return text
    if len(text) == 10:
        return (pd.Timestamp(text) + pd.Timedelta(days=rng.randint(-3000, 3000))).strftime("%Y-%m-%d")
    if len(text) == 7:
        return (pd.Timestamp(text + "-01") + pd.DateOffset(months=rng.randint(-90, 90))).strftime("%Y-%m")
    return str(int(text) + rng.randint(-8, 8))


def write_synthetic_data(rows: int, folder: Path) -> Path:
    """Write a complete data folder whose events.csv has `rows` events; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    source = default_data_dir()
    for path in source.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    real = pd.read_csv(source / "events.csv", dtype=str, keep_default_na=False)
    rng = random.Random(SEED)
    copies = []
    for index in range(max(0, rows - len(real))):
        event = real.iloc[index % len(real)].to_dict()
        start, end = _shift(event["start"], rng), event["end"]
        if end:  # move the end by as much as the start moved, written at its own precision, never before it
            moved = parse_partial_date(start).first - parse_partial_date(event["start"]).first
            end = (pd.Timestamp(parse_partial_date(end).first) + moved).strftime("%Y-%m-%d")[: len(end)]
            start = min(start, end)
        event.update(id=f"{event['id']}-copy-{index}", start=start, end=end)
        copies.append(event)
    events = pd.concat([real, pd.DataFrame(copies, columns=real.columns)], ignore_index=True)
    events.to_csv(folder / "events.csv", index=False)
    return folder
