"""A point (longitude, latitude in degrees) for each county-level unit, to place counties on a
schematic map by their relative positions.

    seats = county_seats()          # indexed by the 6-digit county code: name, longitude, ...

Source: the PyPI package cpca 0.5.5 (MIT), converted by tools/make_county_seats.py into
`data/county_seats.csv`; `match` says whether a county has its own point (`code`, `name`) or
borrows its prefecture's or province's (data/README.md).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd


@cache
def county_seats() -> pd.DataFrame:
    """Every county-level code with its name, longitude, latitude (degrees) and match."""
    path = resources.files("model.inputs").joinpath("data/county_seats.csv")
    with path.open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype={"code": str}).set_index("code")
