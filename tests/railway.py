"""The Trans-Siberian main line between Sverdlovsk and Chita as a reference for the tests of Mao's journey: its
stations west to east, with coordinates from the English Wikipedia articles on each city (Tyumen, Ishim,
Barabinsk, Achinsk, Taishet and Ulan-Ude are stations the journey's data do not name; the route is that of the
article "Trans-Siberian Railway")."""

from __future__ import annotations

import numpy as np

# (name, lon, lat)
TRANS_SIBERIAN = (
    ("Sverdlovsk", 60.58, 56.83),
    ("Tyumen", 65.533, 57.15),
    ("Ishim", 69.5, 56.117),
    ("Omsk", 73.37, 54.98),
    ("Barabinsk", 78.35, 55.35),
    ("Novosibirsk", 82.93, 55.03),
    ("Achinsk", 90.5, 56.25),
    ("Krasnoyarsk", 92.87, 56.01),
    ("Taishet", 98.017, 55.95),
    ("Irkutsk", 104.28, 52.28),
    ("Ulan-Ude", 107.6, 51.833),
    ("Chita", 113.47, 52.05),
)


def railway_latitude(lon: float) -> float:
    """The railway's latitude at a longitude between Sverdlovsk and Chita, straight between its stations."""
    lons = [station[1] for station in TRANS_SIBERIAN]
    lats = [station[2] for station in TRANS_SIBERIAN]
    return float(np.interp(lon, lons, lats))


def within_line(lon: float) -> bool:
    return TRANS_SIBERIAN[0][1] <= lon <= TRANS_SIBERIAN[-1][1]
