"""Published 7th-census figures (2020) and the calibration of real units' populations to them.

    census_table()                   # code, name, level, population, 60+ share, 65+ share, source
    calibrate_to_census(table)       # a table of real units, its population and elderly matched

`data/census_2020.csv` holds what the National Bureau of Statistics' 7th census bulletins and
the municipal census bulletins published (sources per row; data/README.md): the country and
every province, and some prefectures and counties. Below the finest published level nothing
is published: the figures of a single street or town stay synthetic, spread so that they add
up to the published totals.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from model.inputs.divisions import division_table
from model.inputs.synth import GROUPS, PER_ELDERLY

PER_ELDERLY_COLUMNS = PER_ELDERLY | {"care_beds"}
"""Counts a synthetic table draws per elderly resident; the other groups are drawn per resident."""


@cache
def census_table() -> pd.DataFrame:
    """Published census figures by division code (00 is the whole country); persons, percent."""
    path = resources.files("model.inputs").joinpath("data/census_2020.csv")
    with path.open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype={"code": str})
    return table.set_index("code")


def _finest(codes: list[str], column: str) -> str | None:
    """The first of `codes` (finest first) with a published `column`."""
    census = census_table()
    for code in codes:
        if code in census.index and pd.notna(census.at[code, column]):
            return code
    return None


def calibrate_to_census(table: pd.DataFrame) -> pd.DataFrame:
    """Population and elderly of real units matched to the finest published census figures.

    `table` is a township table of real units (township ids are 9-digit division codes), e.g.
    from `synthesize_units`. For each unit the finest area with a published population (its
    county, else its prefecture, else its province) sets the mean population of that area's
    streets, towns and townships; where the table holds the whole area, its units add up to
    the published total exactly. The 60+ share of the finest area that publishes one sets the
    elderly. Recipient groups and care beds are scaled with the population they are drawn
    from, so their synthetic rates stay as they were. Two columns say where each unit's
    figures come from: `population_source` and `elderly_source` (the census area's code).
    """
    out = table.copy()
    census = census_table()
    units = division_table()
    units = units[units["unit_kind"] != "other"]
    ids = out["township_id"].astype(str)
    levels = [ids.str[:6], ids.str[:4], ids.str[:2]]
    pop_area = [_finest([lv[i] for lv in levels], "population") for i in range(len(out))]
    old_pop = out["population"].to_numpy(float)
    new_pop = old_pop.copy()
    for area in {a for a in pop_area if a is not None}:
        rows = np.array([a == area for a in pop_area])
        people, count = _remainder(area, units["township_id"])
        target = people / count * rows.sum()  # this table's share of what the area has left
        scaled = old_pop[rows] * target / old_pop[rows].sum()
        new_pop[rows] = _whole(scaled, round(target))
    old_elderly = out["elderly"].to_numpy(float)
    rate = np.divide(old_elderly, old_pop, out=np.zeros_like(old_pop), where=old_pop > 0)
    elderly = rate * new_pop
    old_area = [_finest([lv[i] for lv in levels] + ["00"], "share_60plus") for i in range(len(out))]
    for area in {a for a in old_area if a is not None}:
        rows = np.array([a == area for a in old_area])
        share = float(census.at[area, "share_60plus"]) / 100.0
        have = elderly[rows].sum() / max(new_pop[rows].sum(), 1.0)
        if have > 0:
            elderly[rows] *= share / have
    elderly = np.minimum(np.round(elderly), new_pop)
    for column in [*GROUPS, "care_beds"]:
        base_old, base_new = (
            (old_elderly, elderly) if column in PER_ELDERLY_COLUMNS else (old_pop, new_pop)
        )
        factor = np.divide(base_new, base_old, out=np.ones_like(base_new), where=base_old > 0)
        out[column] = np.round(out[column].to_numpy(float) * factor).astype(np.int64)
    out["population"] = new_pop.astype(np.int64)
    out["elderly"] = elderly.astype(np.int64)
    out["population_source"] = [f"census:{a}" if a else "synthetic" for a in pop_area]
    out["elderly_source"] = [f"census:{a}" if a else "synthetic" for a in old_area]
    return out


def _remainder(area: str, unit_ids: pd.Series) -> tuple[float, int]:
    """Population and number of units of `area` outside its published sub-areas.

    A province's units outside its published prefectures share what the prefectures leave of
    the province's total; only the largest published sub-areas count (a county inside a
    published prefecture is the prefecture's business).
    """
    census = census_table()
    published = [c for c in census.index[census["population"].notna()] if c != area]
    inside = [c for c in published if c.startswith(area) and len(c) > len(area)]
    top = [c for c in inside if not any(c.startswith(d) and d != c for d in inside)]
    people = float(census.at[area, "population"]) - sum(
        float(census.at[c, "population"]) for c in top
    )
    count = int(unit_ids.str.startswith(area).sum()) - sum(
        int(unit_ids.str.startswith(c).sum()) for c in top
    )
    return people, max(count, 1)


def _whole(values: np.ndarray, total: int) -> np.ndarray:
    """Round to whole numbers that add up to `total` (largest remainders get the extra ones)."""
    floor = np.floor(values)
    short = int(total - floor.sum())
    if short > 0:
        floor[np.argsort(floor - values)[:short]] += 1
    elif short < 0:
        floor[np.argsort(values - floor)[:-short]] -= 1
    return floor
