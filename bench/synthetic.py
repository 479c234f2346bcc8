"""Synthetic event tables for the scale benchmarks: the real events, copied and shifted until there are N.

Copies keep each event's chapter, kind, places, people, sources and date precision, with a new id and a date
moved by a random whole number of days (day precision), months (month precision) or years (year precision,
approximate dates), written at the same precision, so every table still passes the schema and the filters have
realistic work to do. Built column-wise: writing 100,000 rows takes about a second.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from sinosoviet.loaders import default_data_dir

SEED = 1950
# An upload may be 20 MB and 100,000 rows, so a full-size upload has about 200 bytes a row: the copies of an
# upload keep a short title and summary, one source and a short certainty note, as a researcher's notes do.
UPLOAD_TITLE_CHARACTERS = 36
UPLOAD_SUMMARY_CHARACTERS = 30
UPLOAD_NOTE_CHARACTERS = 20


def _real_events() -> pd.DataFrame:
    return pd.read_csv(default_data_dir() / "events.csv", dtype=str, keep_default_na=False)


def _shifted(texts: pd.Series, days: np.ndarray) -> pd.Series:
    """Each date moved by about `days`, written at its own precision (YYYY-MM-DD, YYYY-MM or YYYY)."""
    length = texts.str.len()
    padded = texts.where(length != 7, texts + "-01").where(length != 4, texts + "-07-01")
    moved = pd.to_datetime(padded.where(length > 0, "1949-10-01")) + pd.to_timedelta(days, unit="D")
    written = moved.dt.strftime("%Y-%m-%d")
    return written.str.slice(0, 10).where(length == 10, written.str.slice(0, 7).where(length == 7, written.str.slice(0, 4))).where(length > 0, "")  # fmt: skip


def synthetic_events(rows: int, *, compact: bool = False) -> pd.DataFrame:
    """`rows` events: the real ones first, then shifted copies; `compact` trims text to an upload's size."""
    real = _real_events()
    copies = max(0, rows - len(real))
    template = real.iloc[np.arange(copies) % len(real)].reset_index(drop=True)
    days = np.random.default_rng(SEED).integers(-3000, 3000, size=copies)
    # Shifting start and end by the same days keeps the end after the start; both stay within the years allowed.
    template["start"] = _shifted(template["start"], days)
    template["end"] = _shifted(template["end"], days)
    template["id"] = template["id"] + "-copy-" + pd.Series(np.arange(copies)).astype(str)
    events = pd.concat([real, template], ignore_index=True).iloc[:rows]
    if compact:
        events = _compact(events)
    return events


def _compact(events: pd.DataFrame) -> pd.DataFrame:
    trimmed = events.copy()
    trimmed["id"] = "e" + pd.Series(np.arange(len(events))).astype(str)
    trimmed["title"] = events["title"].str.slice(0, UPLOAD_TITLE_CHARACTERS).str.strip()
    trimmed["summary"] = events["summary"].str.slice(0, UPLOAD_SUMMARY_CHARACTERS).str.strip()
    trimmed["source_ids"] = events["source_ids"].str.split(";").str[0]
    trimmed["actors"] = events["actors"].str.split(";").str[0]
    trimmed["related_place_ids"] = ""
    trimmed["certainty_note"] = events["certainty_note"].str.slice(0, UPLOAD_NOTE_CHARACTERS).str.strip()
    return trimmed


def write_synthetic_data(rows: int, folder: Path) -> Path:
    """Write a complete data folder whose events.csv has `rows` events; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in default_data_dir().glob("*.csv"):
        shutil.copy(path, folder / path.name)
    synthetic_events(rows).to_csv(folder / "events.csv", index=False)
    return folder


def write_synthetic_upload(rows: int, path: Path) -> Path:
    """Write an events file a reader could upload: `rows` valid events within the upload's size limit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    synthetic_events(rows, compact=True).to_csv(path, index=False)
    return path
