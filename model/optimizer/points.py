"""Village and community points (村/社区社工点) in the MILP: the level below the stations.

With `point.max_per_township` P > 0, each township i and year t has

- `pt[i, t, p]` (0/1) for p = 1 .. P: the township has exactly p points (none on: no point);
- `pu[i, t, k, p]` in [0, 1]: the station has k workers and the township p points — the product
  z[i, t, k] × pt[i, t, p], which the value of a station with points needs (the points take home
  visits first, the station serves what they leave: Inputs.point_served, so a point's worth
  depends on the station's staffing and the other way round).

Rows, per township and year:

- `point_station_{i}_{t}`: Σ_p pt ≤ st (a point needs a station in its township; at most one
  count of points);
- `point_stay_{i}_{t}`: Σ_p p × pt ≥ last year's (points once opened stay open);
- `point_pair_{i}_{t}_{p}`: Σ_k pu[k, p] ≤ pt[p], and `point_level_{i}_{t}_{k}`:
  Σ_p pu[k, p] ≤ z[k]. With one binary per staffing level (exact levels, which points need),
  pu[k, p] can be 1 only for the station's level and the township's points: the product, exact
  (the gains below are never negative, so the maximisation or a target takes it up to it).

What points add: per township-year, Σ_k,p gain[k, p] × pu[k, p], the gain being the value (or
utility, or a class's served hours) at k workers and p points less at k workers and none —
to the objective's service and hours (`point_gain`) and to the served-share targets
(`point_served_gain`). Costs go to the cells ("point", setup | running, c, t): setup × points
opened, running × points in the year. Points are part-time posts and volunteers' hours, not
social workers: they count in no worker target. The on-time shares (service-level targets,
max_on_time) stay the station's queue's at its staffing level, a lower bound: the points take
visits off it (docs/method.md, "Village points").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from model.inputs.scenario import Scenario
from model.optimizer.inputs import county_members
from model.optimizer.solution import value_of
from model.workload import point_shares, requests_by_kind

if TYPE_CHECKING:
    from model.optimizer.formulation import Model


def has_points(sc: Scenario) -> bool:
    """Whether the scenario plans village points."""
    return sc.point.max_per_township > 0


def point_count(model: Model, i: int, t: int) -> Any:
    """Township i's points in year t: Σ_p p × pt[i, t, p] (0 without points)."""
    return pulp.lpSum(p * model.pt[i, t, p] for p in model.inp.point_counts)


def add_points(model: Model, sc: Scenario) -> None:
    """The points' variables, rows and cost cells (see the module's docstring); after the
    station rules (it needs st and z), before spend and budget (its cost cells)."""
    if not has_points(sc):
        return
    if not model.exact_levels:
        raise ValueError("village points need one binary per staffing level (exact levels)")
    prob, inp, levels = model.prob, model.inp, model.levels
    counts = inp.point_counts
    for i in range(len(inp.ids)):
        for y, t in enumerate(inp.years):
            for p in counts:
                model.pt[i, t, p] = prob.add_variable(f"pt{p}_{i}_{t}", 0, 1, cat=pulp.LpInteger)
            prob += (
                pulp.lpSum(model.pt[i, t, p] for p in counts) <= model.st[i, t],
                f"point_station_{i}_{t}",
            )
            if y > 0:
                prob += (
                    point_count(model, i, t) >= point_count(model, i, inp.years[y - 1]),
                    f"point_stay_{i}_{t}",
                )
            gains = _gains(model, i)
            for p in counts:
                for k in levels:
                    if gains[k, p]:
                        model.pu[i, t, k, p] = prob.add_variable(f"pu{k}x{p}_{i}_{t}", 0, 1)
            for p in counts:
                pairs = [model.pu[i, t, k, p] for k in levels if (i, t, k, p) in model.pu]
                if pairs:
                    prob += pulp.lpSum(pairs) <= model.pt[i, t, p], f"point_pair_{i}_{t}_{p}"
            for k in levels:
                pairs = [model.pu[i, t, k, p] for p in counts if (i, t, k, p) in model.pu]
                if pairs:
                    prob += pulp.lpSum(pairs) <= model.z[i, t, k], f"point_level_{i}_{t}_{k}"
    for c, idx in county_members(inp).items():
        for y, t in enumerate(inp.years):
            now = pulp.lpSum(point_count(model, i, t) for i in idx)
            before: Any = (
                pulp.lpSum(point_count(model, i, inp.years[y - 1]) for i in idx) if y > 0 else 0
            )
            model.cost["point", "setup", c, t] = sc.point.setup * (now - before)
            model.cost["point", "running", c, t] = sc.point.running * now


def _gains(model: Model, i: int) -> dict[tuple[int, int], bool]:
    """Whether township i's points add anything at (k, p): value, or a class's served hours."""
    inp = model.inp
    out = {}
    for (k, p), got in inp.point_served[i].items():
        base = inp.served[i][k]
        out[k, p] = any(got[c] - base[c] > 1e-9 for c in inp.classes)
    return out


def point_gain(model: Model, value: str) -> Any:
    """What points add to the objective's terms over all township-years: "hours",
    priority-weighted client hours (Inputs.point_value − Inputs.value); "service", the α-fair
    utility (Inputs.point_utility − Inputs.utility)."""
    if not model.pu:
        return 0
    inp = model.inp
    table, base = (
        (inp.point_value, inp.value) if value == "hours" else (inp.point_utility, inp.utility)
    )
    return pulp.lpSum(
        (table[i][k, p] - base[i][k]) * var
        for (i, _, k, p), var in model.pu.items()
        if table[i][k, p] - base[i][k] > 0
    )


def point_served_gain(model: Model, year: int, cls: str | None, township: int | None = None) -> Any:
    """Client hours the points add to what is served in `year`: of class `cls` (None: every
    class), in `township` (None: every township)."""
    inp = model.inp
    towns = range(len(inp.ids)) if township is None else [township]
    pairs = [
        (i, k, p, model.pu[i, year, k, p])
        for i in towns
        for k in model.levels
        for p in inp.point_counts
        if (i, year, k, p) in model.pu
    ]
    terms = []
    for i, k, p, var in pairs:
        got, base = inp.point_served[i][k, p], inp.served[i][k]
        classes = inp.classes if cls is None else [cls]
        gain = sum(got[c] - base[c] for c in classes)
        if gain > 0:
            terms.append(gain * var)
    return pulp.lpSum(terms)


def township_points(model: Model) -> dict[tuple[int, int], int]:
    """The solved points of every township-year: (township index, year) -> points."""
    inp = model.inp
    return {
        (i, t): int(round(value_of(point_count(model, i, t))))
        for i in range(len(inp.ids))
        for t in inp.years
    }


def extract_points(model: Model, sc: Scenario) -> pd.DataFrame:
    """points.csv: per county and year, the points, the townships with points (of the county's
    townships), the home visits they take and the station hours they save (hours/year), their
    spend (万元) and zero worker columns (points are not social work posts)."""
    inp = model.inp
    points = township_points(model)
    visits = sc.townships[list(sc.groups)].to_numpy(float) * requests_by_kind(sc)["visit"].to_numpy(
        float
    )
    n = len(inp.ids)
    shares = {p: point_shares(sc, np.full(n, p)) for p in inp.point_counts}
    rows = []
    for c, idx in county_members(inp).items():
        before = 0
        for t in inp.years:
            count = [points[i, t] for i in idx]
            taken = 0.0
            hours = 0.0
            for i, p in zip(idx, count):
                if p:
                    taken += float((shares[p][i] * visits[i]).sum())
                    hours += sum(float(inp.point_taken[p][cl][i]) for cl in inp.classes)
            now = sum(count)
            rows.append(
                {
                    "county": inp.counties[c],
                    "year": t,
                    "points": now,
                    "townships_with_points": sum(1 for p in count if p),
                    "townships": len(idx),
                    "visits": round(taken, 2),
                    "hours_saved": round(hours, 3),
                    "workers_uncertified": 0,
                    "workers_junior": 0,
                    "workers_intermediate": 0,
                    "spend_setup": round(sc.point.setup * max(0, now - before), 4),
                    "spend_running": round(sc.point.running * now, 4),
                }
            )
            before = now
    return pd.DataFrame(rows)
