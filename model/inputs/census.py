"""Published 7th-census figures (2020), recipient counts, and the calibration of real units.

    census_table()                   # code, name, level, population, 60+ share, 65+ share, source
    recipients_table()               # code, year, group, area, persons, source (civil affairs)
    calibrate_to_census(table)       # a table of real units, its population, elderly and groups
                                     # matched

`data/census_2020.csv` holds what the National Bureau of Statistics' 7th census bulletins and
the provincial and municipal census bulletins published (sources per row; data/README.md): the
country and every province, and some prefectures and counties. `data/recipients.csv` holds
published recipient counts: today the country's 2021 城市/农村 低保 and 特困 counts (and 孤儿,
kept for reference) from the Ministry of Civil Affairs' 2021 statistical bulletin. Below the
finest published level nothing is published: the figures of a single street or town stay
synthetic, spread so that they add up to the published totals or follow the published rates.
Groups without a published count (left-behind children, women and elderly, children in
distress, elderly in difficulty, disabled, relocated) keep their synthetic rates.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from model.inputs.divisions import division_table, unit_kind
from model.inputs.synth import GROUPS, PER_ELDERLY

PER_ELDERLY_COLUMNS = PER_ELDERLY | {"care_beds"}
"""Counts a synthetic table draws per elderly resident; the other groups are drawn per resident."""

URBAN_RURAL_2020: dict[str, tuple[int, int]] = {"00": (901_991_162, 509_787_562)}
"""Urban (城镇) and rural (乡村) residents by area code, persons: NBS 7th census bulletin No. 7
(2021-05-11); the country's include the 2,000,000 active military (sources/census_2020_notes.md).
The denominators of `urban` and `rural` recipient counts."""


@cache
def census_table() -> pd.DataFrame:
    """Published census figures by division code (00 is the whole country); persons, percent."""
    path = resources.files("model.inputs").joinpath("data/census_2020.csv")
    with path.open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype={"code": str})
    return table.set_index("code")


@cache
def recipients_table() -> pd.DataFrame:
    """Published recipient counts: code (00 the country), year, group, area, persons, source."""
    path = resources.files("model.inputs").joinpath("data/recipients.csv")
    with path.open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype={"code": str})
    return table


def published_groups() -> list[str]:
    """The model's recipient groups (per resident) with a published count, in GROUPS order."""
    named = set(recipients_table()["group"])
    return [g for g in GROUPS if g in named and g not in PER_ELDERLY]


def _recipient_rates() -> dict[tuple[str, str, str], tuple[float, str]]:
    """(area code, group, urban|rural|split) -> (persons per resident, label) of the latest
    year.

    An `all` count is divided by the area's census population and holds for both kinds; an
    `urban` or `rural` count by the area's urban or rural residents (URBAN_RURAL_2020), where
    known, and the two together by the area's population (`split`: the level the units of a
    split count hold in all). The label, e.g. `recipients:00:2021:urban`, names the figure set.
    """
    table = recipients_table()
    census = census_table()
    rates: dict[tuple[str, str, str], tuple[float, str]] = {}
    for (code, group), rows in table[table["group"].isin(published_groups())].groupby(
        ["code", "group"]
    ):
        rows = rows[rows["year"] == rows["year"].max()]
        rows = rows.sort_values("area", key=lambda a: a != "all")  # a split count beats `all`
        for area, persons in zip(rows["area"], rows["persons"].astype(float)):
            label = f"recipients:{code}:{int(rows['year'].iloc[0])}:{area}"
            if area == "all" and code in census.index and pd.notna(census.at[code, "population"]):
                rate = persons / float(census.at[code, "population"])
                rates[(code, group, "urban")] = rates[(code, group, "rural")] = (rate, label)
            elif area in ("urban", "rural") and code in URBAN_RURAL_2020:
                residents = URBAN_RURAL_2020[code][0 if area == "urban" else 1]
                rates[(code, group, area)] = (persons / residents, label)
        split = rows[rows["area"].isin(["urban", "rural"])]
        if set(split["area"]) == {"urban", "rural"} and code in census.index:
            rate = float(split["persons"].astype(float).sum()) / float(
                census.at[code, "population"]
            )
            rates[(code, group, "split")] = (rate, f"recipients:{code}:{int(rows['year'].iloc[0])}")
    return rates


def _finest(codes: list[str], column: str) -> str | None:
    """The first of `codes` (finest first) with a published `column`."""
    census = census_table()
    for code in codes:
        if code in census.index and pd.notna(census.at[code, column]):
            return code
    return None


def calibrate_to_census(table: pd.DataFrame) -> pd.DataFrame:
    """Population, elderly and recipient groups of real units matched to published figures.

    `table` is a township table of real units (township ids are 9-digit division codes), e.g.
    from `synthesize_units`. For each unit the finest area with a published population (its
    county, else its prefecture, else its province) sets the mean population of that area's
    streets, towns and townships; where the table holds the whole area, its units add up to
    the published total exactly. The 60+ share of the finest area that publishes one sets the
    elderly. Recipient groups and care beds are first scaled with the population they are
    drawn from. Then each group with a published count (`published_groups()`, today 低保 and
    特困) is scaled, over the units that follow the same figure, to that figure's rate per
    resident — the finest area that publishes one (county, prefecture, province, else the
    country); where the count is split into urban and rural, streets and the other units keep
    the ratio of the two published rates and together hold the area's count per resident —
    keeping the synthetic spread across units; where the table holds the whole area of an `all`
    count, the units add up to it exactly. Three columns say where each
    unit's figures come from: `population_source` and `elderly_source` (`census:<code>`) and
    `groups_source` (`recipients:<code>:<year>:<area> (groups)`, or `synthetic`).
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
    out["groups_source"] = _match_recipients(out, ids.tolist(), new_pop)
    return out


def _match_recipients(out: pd.DataFrame, ids: list[str], population: np.ndarray) -> list[str]:
    """Scale `out`'s published groups in place to their published rates; each unit's source."""
    rates = _recipient_rates()
    kinds = ["urban" if unit_kind(i) == "street" else "rural" for i in ids]
    used: list[dict[str, list[str]]] = [{} for _ in ids]
    for group in published_groups():
        found = [_published_rate(rates, code, group, kind) for code, kind in zip(ids, kinds)]
        counts = out[group].to_numpy(float)
        for label in {f[1] for f in found if f is not None}:
            rows = np.array([f is not None and f[1] == label for f in found])
            rate = next(f[0] for f in found if f is not None and f[1] == label)
            target = rate * population[rows].sum()
            spread = counts[rows] if counts[rows].sum() > 0 else population[rows]
            counts[rows] = _whole(spread * target / spread.sum(), round(target))
            for i in np.flatnonzero(rows):
                used[i].setdefault(label, []).append(group)
        _keep_split_totals(rates, group, counts, found, population)
        out[group] = np.minimum(counts, population).astype(np.int64)
    return [
        "; ".join(f"{label} ({', '.join(groups)})" for label, groups in u.items()) or "synthetic"
        for u in used
    ]


def _keep_split_totals(
    rates: dict[tuple[str, str, str], tuple[float, str]],
    group: str,
    counts: np.ndarray,
    found: list[tuple[float, str] | None],
    population: np.ndarray,
) -> None:
    """Rescale, in place, the units that follow an urban/rural split count of one area so that
    together they hold the area's count per resident (`split` in `_recipient_rates`).

    Streets are not the census's urban population: towns hold urban residents too (镇区), so
    streets at the urban rate and towns at the rural rate overstate the total (about 64 million
    低保 recipients instead of the published 42.1 million over the whole country). The split
    keeps its urban-to-rural ratio; the level follows the published total.
    """
    for (_, g, kind), (per_resident, prefix) in rates.items():
        if g != group or kind != "split":
            continue
        rows = np.array([f is not None and f[1].startswith(prefix + ":") for f in found])
        target = per_resident * population[rows].sum()
        if counts[rows].sum() > 0:
            counts[rows] = _whole(counts[rows] * target / counts[rows].sum(), round(target))


def _published_rate(
    rates: dict[tuple[str, str, str], tuple[float, str]], code: str, group: str, kind: str
) -> tuple[float, str] | None:
    """Rate per resident and label of the finest area of unit `code` publishing `group`."""
    for area in (code[:6], code[:4], code[:2], "00"):
        if (area, group, kind) in rates:
            return rates[(area, group, kind)]
    return None


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
