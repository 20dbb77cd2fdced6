"""Access: who lives within so many minutes of an open station, in each year of a plan.

    nearest_station(sc, plan)                 # minutes from each township to its nearest station
    access_table(sc, plan, (15, 30, 45, 60))  # access.csv: persons within each threshold

A township is one point: all its residents (and all of a group's persons) are as far from a
station as the township is (sc.travel, model.inputs.travel: minutes from the township to the
station's township). A township with an open station is 0 minutes from it. A year without any
open station leaves every township out of reach. Both need the scenario's travel minutes
(region.travel); without them there are no access measures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario

THRESHOLDS = (15, 30, 45, 60)
"""Minutes of the access table's rows (the access curve of issue 18: 15/30/45/60)."""

POPULATION = "population"
"""`people` of the rows that count all residents (the other rows name a recipient group)."""

COLUMN_DOCS: dict[str, tuple[str, str]] = {
    "minutes_to_station": (
        "travel minutes from the township to the nearest open station that year (0: its own "
        "station; empty: no station open)",
        "minutes",
    ),
    "minutes": ("threshold: travel minutes to the nearest open station", "minutes"),
    "people": ("population (all residents) or a recipient group key", ""),
    "persons_within": (
        "persons (of `people`) whose township is within `minutes` of an open station",
        "persons",
    ),
    "persons_total": ("all persons of `people` in the region (the denominator)", "persons"),
    "share_within": ("persons_within / persons_total", "share 0–1"),
}
"""Columns of nearest_station.csv and access.csv (stations: open stations that year)."""


def _travel(sc: Scenario) -> pd.DataFrame:
    if sc.travel is None:
        raise ValueError(f"scenario {sc.name} has no travel minutes (region.travel)")
    return sc.travel


def nearest_station(sc: Scenario, plan: pd.DataFrame) -> pd.DataFrame:
    """township_id, year, stations (open that year) and minutes_to_station: the travel minutes
    from each township to the nearest township with an open station (plan.csv's station = 1);
    NaN in a year without any open station."""
    travel = _travel(sc)
    ids = travel.index.astype(str)
    minutes = travel.to_numpy(dtype=float)
    rows = []
    for year, p in plan.groupby("year", sort=True):
        open_ = set(p.loc[p["station"].astype(float) > 0.5, "township_id"].astype(str))
        mask = ids.isin(open_)
        nearest = minutes[:, mask].min(axis=1) if mask.any() else np.full(len(ids), np.nan)
        rows.append(
            pd.DataFrame(
                {
                    "township_id": ids,
                    "year": int(year),
                    "stations": int(mask.sum()),
                    "minutes_to_station": nearest,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def access_table(
    sc: Scenario, plan: pd.DataFrame, thresholds: Sequence[float] = THRESHOLDS
) -> pd.DataFrame:
    """Per year, threshold (`minutes`) and `people` (population, then each recipient group):
    the persons whose township is within that many minutes of an open station, all persons
    of the region (the denominator) and the share; `stations` open that year."""
    near = nearest_station(sc, plan)
    towns = sc.townships.assign(township_id=sc.townships["township_id"].astype(str))
    counts = towns.set_index("township_id")[[POPULATION, *sc.groups]].astype(float)
    rows = []
    for year, n in near.groupby("year", sort=True):
        reach = n.set_index("township_id")["minutes_to_station"].reindex(counts.index)
        for limit in thresholds:
            inside = (reach <= limit).to_numpy()  # NaN (no station) is never within
            for people in counts.columns:
                total = float(counts[people].sum())
                within = float(counts[people].to_numpy()[inside].sum())
                rows.append(
                    {
                        "year": int(year),
                        "minutes": limit,
                        "people": people,
                        "stations": int(n["stations"].iloc[0]),
                        "persons_within": round(within),
                        "persons_total": round(total),
                        "share_within": round(within / total, 4) if total > 0 else np.nan,
                    }
                )
    return pd.DataFrame(rows)


def access_curve(
    nearest: pd.DataFrame, townships: pd.DataFrame, minutes: Sequence[float]
) -> pd.DataFrame:
    """Share of the population within each of `minutes` of an open station, one column per
    year (index: minutes), from nearest_station's rows and the township table."""
    people = townships.set_index(townships["township_id"].astype(str))[POPULATION].astype(float)
    out = {}
    for year, n in nearest.groupby("year", sort=True):
        reach = n.set_index(n["township_id"].astype(str))["minutes_to_station"]
        reach = reach.reindex(people.index).to_numpy(dtype=float)
        total = people.sum()
        out[int(year)] = [
            float(people.to_numpy()[reach <= m].sum() / total) if total > 0 else np.nan
            for m in minutes
        ]
    return pd.DataFrame(out, index=pd.Index(list(minutes), name="minutes"))
