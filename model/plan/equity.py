"""Who gets their need served: equity of a plan or a simulation across townships.

    gini(shares, weights)                     # 0 equal … (n − 1)/n one township has it all
    palma(shares, weights)                    # top 10% over bottom 40%; 0.25 when all are equal
    equity_table(sc, plan, service)           # equity.csv rows of a plan (source "plan")
    simulated_equity_table(sc, table, reach)  # equity.csv rows of a simulation

A township's *served share* is the client hours served over the client hours needed that year:
for a plan, plan.csv's served_hours / client_hours (what the planned workers can do, by
priority); for a simulation, simulation.csv's served_hours / demand_hours (hours of requests
started within their standard, the mean over replications). A township without a station
serves nobody: its share is 0 and it counts in every measure (the measures `*_with_station`
leave it out). A township with no need (0 hours) has no share and is left out.

Gini and Palma weigh each township by its need (hours), so they describe how a client hour's
chance of being served varies across townships, and the need-weighted mean share is the
region's served share. Remoteness quartiles (q1 least remote … q4 most remote) split the
township table by `remoteness` into four groups of equal count (table order breaks ties) and
stay the same in every year; with one remoteness for all (the column left out) there are none.

equity.csv has one row per source, year, measure and key: `value` in `unit`, out of
`denominator` (client hours for a share of hours, persons for a reach rate, townships for a
count, townships measured for gini, palma and the lowest share). MEASURES lists the measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario

Source = Literal["plan", "simulation"]

THRESHOLDS = (0.3, 0.6)
"""Served shares below which townships are counted (townships_below_30pct, …_60pct)."""

QUARTILES = ("q1", "q2", "q3", "q4")
"""Remoteness quartiles, least remote first."""

MEASURES: dict[str, tuple[str, str]] = {
    # measure: (meaning, unit of its value)
    "served_share": ("the region's client hours served / needed", "share 0–1"),
    "gini": ("Gini of townships' served shares, weighted by need", "index 0–1"),
    "palma": (
        "served hours of the best-served 10% of need over those of the worst-served 40% (0.25 "
        "when every township has the same share; inf when the worst-served 40% get nothing)",
        "ratio",
    ),
    "lowest_served_share": ("lowest township's served share; key: the township", "share 0–1"),
    "townships_below_30pct": ("townships served under 30% of their need", "townships"),
    "townships_below_60pct": ("townships served under 60% of their need", "townships"),
    "served_share_by_remoteness": (
        "client hours served / needed in a remoteness quartile (q1 least remote)",
        "share 0–1",
    ),
    "workers_by_remoteness": ("workers per township in a remoteness quartile", "workers"),
    "served_share_by_county": ("client hours served / needed in a county", "share 0–1"),
    "served_share_by_group": ("a group's client hours served / needed (plan)", "share 0–1"),
    "reach_rate_by_group": (
        "a group's persons reached at least once / persons (simulation)",
        "share 0–1",
    ),
}
"""Every measure of equity.csv; gini, palma, lowest_served_share and townships_below_* have a
`_with_station` twin over the townships with a station."""

SUMMARY_COLUMNS: dict[str, tuple[str, str]] = {
    "gini_served_share": ("gini: Gini of townships' served shares, weighted by need", "index 0–1"),
    "palma_served_share": (
        "palma: served hours of the best-served 10% of need / the worst-served 40%",
        "ratio",
    ),
    "lowest_served_share": ("the lowest township's served share", "share 0–1"),
    "townships_below_30pct": ("townships served under 30% of their need", "townships"),
    **{
        f"served_share_{q}": (
            f"client hours served / needed in remoteness quartile {q} (q1 least remote)",
            "share 0–1",
        )
        for q in QUARTILES
    },
}
"""The equity columns of summary.csv (from the plan's rows of equity.csv): meaning and unit."""

COLUMN_DOCS: dict[str, tuple[str, str]] = {
    **SUMMARY_COLUMNS,
    "source": ("plan or simulation", ""),
    "measure": ("equity measure (docs/method.md, Equity measures)", ""),
    "key": ("township, county, remoteness quartile (q1 least remote) or group", ""),
    "denominator": (
        "what the value is out of: client hours (shares of hours), persons (reach rates), "
        "townships (counts; townships measured for gini, palma, lowest share)",
        "see measure",
    ),
}
"""Meaning and unit of the columns equity.csv and summary.csv add (for plan.xlsx)."""


def _checked(values: Sequence[float], weights: Sequence[float] | None) -> tuple:
    x = np.asarray(values, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    if x.ndim != 1 or w.shape != x.shape:
        raise ValueError(f"values and weights must be 1-d of one length: {x.shape}, {w.shape}")
    if np.isnan(x).any() or np.isnan(w).any() or (x < 0).any() or (w < 0).any():
        raise ValueError("values and weights must be numbers ≥ 0")
    keep = w > 0
    order = np.argsort(x[keep], kind="stable")
    return x[keep][order], w[keep][order]


def gini(values: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Gini coefficient of `values` (≥ 0), each with its `weight` (≥ 0; None: equal).

    G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ), W = Σ w, μ = Σ w x / W: half the weighted mean
    absolute difference over the weighted mean, with no small-sample correction, so a weight
    counts as that many copies of its value. 0 when all values are equal; (n − 1)/n when one
    of n equal weights holds everything; (n − 1)/(3n) for the values 1, 2, …, n. NaN when there
    is no weight or every value is 0 (nothing to share). Computed in O(n log n) from the values
    in order: Σ_i w_i x_i (2 W_<i + w_i − W) / (W Σ w x), W_<i the weight before i.
    """
    x, w = _checked(values, weights)
    total, mass = w.sum(), (w * x).sum()
    if total <= 0 or mass <= 0:
        return float("nan")
    before = np.cumsum(w) - w
    return float((w * x * (2 * before + w - total)).sum() / (total * mass))


def palma(values: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Palma ratio of `values` (≥ 0) with `weights` (≥ 0; None: equal): what the top 10% of the
    weight holds over what the bottom 40% holds.

    Order the values from lowest to highest; value i covers the stretch [W_<i, W_<i + w_i] of
    the cumulative weight W_<i before it, out of W. The bottom 40% is the stretch [0, 0.4 W],
    the top 10% [0.9 W, W]; each value counts with the part of its stretch inside (a township
    that straddles a boundary is split there, as if its weight were that many people with its
    value). Equal values are interchangeable, so their order does not matter. Palma =
    Σ top part_i x_i / Σ bottom part_i x_i: 0.25 when all values are equal; inf when the bottom
    40% hold nothing and the top something; NaN when both hold nothing or there is no weight.
    """
    x, w = _checked(values, weights)
    total = w.sum()
    if total <= 0:
        return float("nan")
    lo = (np.cumsum(w) - w) / total
    hi = lo + w / total
    bottom = (np.clip(np.minimum(hi, 0.4) - lo, 0.0, None) * x).sum()
    top = (np.clip(hi - np.maximum(lo, 0.9), 0.0, None) * x).sum()
    if bottom <= 0:
        return float("inf") if top > 0 else float("nan")
    return float(top / bottom)


def remoteness_quartiles(townships: pd.DataFrame) -> pd.Series:
    """Each township's remoteness quartile ("q1" least remote … "q4" most remote), by
    township_id: four groups of equal count (±1) in order of `remoteness`, ties in table order.
    Empty when every township has the same remoteness (no quartiles to compare)."""
    r = townships["remoteness"].astype(float).reset_index(drop=True)
    ids = townships["township_id"].astype(str).to_numpy()
    if r.nunique() < 2:
        return pd.Series([], dtype=object, index=pd.Index([], dtype=object))
    rank = r.rank(method="first").to_numpy(int) - 1  # 0 … n − 1
    k = (4 * rank) // len(r)
    return pd.Series([QUARTILES[i] for i in k], index=ids, name="quartile")


def _ratio(part: float, whole: float) -> float:
    """part / whole; NaN when whole is 0 (a share of no need)."""
    return float(part) / float(whole) if whole else float("nan")


def _row(source: str, year: int, measure: str, key: str, value: float, denominator: float) -> dict:
    unit = MEASURES[measure.removesuffix("_with_station")][1]
    return {
        "source": source,
        "year": int(year),
        "measure": measure,
        "key": key,
        "value": round(float(value), 4) if np.isfinite(value) else float(value),
        "unit": unit,
        "denominator": round(float(denominator), 1),
    }


def _spread(source: str, year: int, part: pd.DataFrame, suffix: str) -> list[dict]:
    """Gini, Palma, the lowest share and the counts under each threshold over `part`'s
    townships with need (part: township_id, need, share)."""
    part = part[part["need"] > 0]
    n = len(part)
    if n == 0:
        return []
    share, need = part["share"].to_numpy(float), part["need"].to_numpy(float)
    # the lowest share; among equal shares the township with most need
    low = part.sort_values(["share", "need"], ascending=[True, False], kind="stable").iloc[0]
    rows = [
        _row(source, year, f"gini{suffix}", "", gini(share, need), n),
        _row(source, year, f"palma{suffix}", "", palma(share, need), n),
        _row(
            source, year, f"lowest_served_share{suffix}", str(low["township_id"]), low["share"], n
        ),
    ]
    for cut in THRESHOLDS:
        below = int((share < cut - 1e-9).sum())
        rows.append(
            _row(source, year, f"townships_below_{round(cut * 100)}pct{suffix}", "", below, n)
        )
    return rows


def _measures(sc: Scenario, frame: pd.DataFrame, source: str) -> list[dict]:
    """Rows of equity.csv from per township-year need, served hours, station and workers."""
    towns = sc.townships.assign(township_id=sc.townships["township_id"].astype(str))
    towns = towns.set_index("township_id")
    quartile = remoteness_quartiles(sc.townships)
    frame = frame.assign(township_id=frame["township_id"].astype(str))
    frame["county"] = frame["township_id"].map(towns["county"])
    frame["quartile"] = frame["township_id"].map(quartile)
    frame["share"] = frame["served"] / frame["need"].where(frame["need"] > 0)
    rows: list[dict] = []
    for year, p in frame.groupby("year", sort=True):
        need, served = float(p["need"].sum()), float(p["served"].sum())
        rows.append(_row(source, year, "served_share", "", _ratio(served, need), need))
        rows += _spread(source, year, p, "")
        rows += _spread(source, year, p[p["station"]], "_with_station")
        by_q = p.groupby("quartile")[["need", "served", "workers"]].agg(
            need=("need", "sum"),
            served=("served", "sum"),
            workers=("workers", "mean"),
            townships=("workers", "size"),
        )
        for q in QUARTILES:
            if q not in by_q.index:
                continue
            g = by_q.loc[q]
            share = _ratio(g["served"], g["need"])
            rows.append(_row(source, year, "served_share_by_remoteness", q, share, g["need"]))
            rows.append(
                _row(source, year, "workers_by_remoteness", q, g["workers"], g["townships"])
            )
        by_c = p.groupby("county", sort=False)[["need", "served"]].sum()
        for county, g in by_c.iterrows():
            share = _ratio(g["served"], g["need"])
            rows.append(_row(source, year, "served_share_by_county", str(county), share, g["need"]))
    return rows


def equity_table(sc: Scenario, plan: pd.DataFrame, service: pd.DataFrame) -> pd.DataFrame:
    """equity.csv rows of a plan (source "plan"; module docstring): per year every measure on
    the townships' served shares (plan.csv served_hours / client_hours) and each group's share
    of client hours served (service.csv)."""
    workers = plan[[c for c in plan.columns if c.startswith("workers_")]].sum(axis=1)
    frame = pd.DataFrame(
        {
            "township_id": plan["township_id"],
            "year": plan["year"],
            "need": plan["client_hours"].astype(float),
            "served": plan["served_hours"].astype(float),
            "station": plan["station"].astype(int) == 1,
            "workers": workers.astype(float),
        }
    )
    rows = _measures(sc, frame, "plan")
    if len(service):
        hours = service.groupby(["year", "group"], sort=False)[["demand_hours", "served_hours"]]
        for (year, group), g in hours.sum().iterrows():
            need = float(g["demand_hours"])
            share = _ratio(g["served_hours"], need)
            rows.append(_row("plan", year, "served_share_by_group", str(group), share, need))
    return _frame(rows)


def simulated_equity_table(
    sc: Scenario, table: pd.DataFrame, reach: pd.DataFrame | None = None
) -> pd.DataFrame:
    """equity.csv rows of a simulation (source "simulation"): the same measures on simulated
    served shares (simulation.csv served_hours / demand_hours; a township with workers has a
    station) and each group's reach rate (simulation_reach.csv)."""
    frame = pd.DataFrame(
        {
            "township_id": table["township_id"],
            "year": table["year"],
            "need": table["demand_hours"].astype(float),
            "served": table["served_hours"].astype(float),
            "station": table["workers"].astype(float) > 0,
            "workers": table["workers"].astype(float),
        }
    )
    rows = _measures(sc, frame, "simulation")
    if reach is not None and len(reach):
        per = reach.groupby(["year", "group"], sort=False)[["persons", "clients_reached"]].sum()
        for (year, group), g in per.iterrows():
            persons = float(g["persons"])
            rate = _ratio(g["clients_reached"], persons)
            rows.append(_row("simulation", year, "reach_rate_by_group", str(group), rate, persons))
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["source", "year", "measure", "key", "value", "unit", "denominator"]
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["year"], kind="stable").reset_index(drop=True)


def summary_columns(equity: pd.DataFrame, years: Sequence[int]) -> pd.DataFrame:
    """The equity columns of summary.csv (SUMMARY_COLUMNS) per year, from a plan's equity
    table; NaN where a measure has no value (no need that year, no remoteness quartiles)."""
    e = equity[equity["source"] == "plan"]
    wide = pd.DataFrame({"year": [int(y) for y in years]}).set_index("year")
    for column, measure in (
        ("gini_served_share", "gini"),
        ("palma_served_share", "palma"),
        ("lowest_served_share", "lowest_served_share"),
        ("townships_below_30pct", "townships_below_30pct"),
    ):
        wide[column] = e[e["measure"] == measure].set_index("year")["value"]
    wide["townships_below_30pct"] = wide["townships_below_30pct"].round().astype("Int64")
    quartiles = e[e["measure"] == "served_share_by_remoteness"]
    for q in QUARTILES:
        wide[f"served_share_{q}"] = quartiles[quartiles["key"] == q].set_index("year")["value"]
    return wide.reset_index()
