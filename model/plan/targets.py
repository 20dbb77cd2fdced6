"""The targets of a scenario and what a plan achieves on each: the one place that lists them.

    required_targets(sc)     # (target, year, key, required) for every target the scenario names
    targets_table(sc, plan, service)   # targets.csv: required, achieved, met, shortfall, unit
    priority_order(sc)       # target families in the order a plan meets them (targets.priority)

A group's service level (`targets.service_level_by_group`) is the target `service_level` with
the group as its key (targets.csv: service_level.<group>), as a grade's workers are
workers_by_grade.<grade>. A sector's posts (`sectors.<name>.target`, a share of the posts it
needs, `sector_posts_needed`) are the target `sector_posts` keyed by the sector, in whole posts
(targets.csv: sector_posts.<name>).

Both the optimizer (which writes a row per target) and the plan's tables read this module.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario
from model.inputs.schema import TARGET_ORDER
from model.plan.access import access_curve, nearest_station
from model.vocabulary import TARGET_UNITS, WORKER_COLUMNS
from model.workload import client_requests, group_requests, on_time_by_group


def sector_posts_needed(sc: Scenario) -> dict[str, int]:
    """Posts each sector needs (sc.sectors): ⌈its driver column's regional total / per⌉, or
    `need` when it has no driver."""
    out = {}
    for name, s in sc.sectors.items():
        if s.driver is None:
            out[name] = int(s.need)
        else:
            total = float(sc.townships[s.driver].astype(float).sum())
            out[name] = math.ceil(total / s.per - 1e-9)
    return out


def required_targets(sc: Scenario) -> list[tuple[str, int, str | None, float]]:
    """(target, year, key, required) for every target the scenario names; a sector's target
    (`sector_posts`, keyed by the sector) in whole posts: ⌈share × posts needed⌉."""
    out: list[tuple[str, int, str | None, float]] = []
    tg = sc.targets
    for name in (
        "coverage",
        "access",
        "certified_share",
        "workers_per_1000_elderly",
        "workers_per_100_care_beds",
        "workers_total",
        "service_level",
    ):
        for year, req in getattr(tg, name).items():
            out.append((name, year, None, float(req)))
    for grade, by_year in tg.workers_by_grade.items():
        for year, count in by_year.items():
            out.append(("workers_by_grade", year, grade, float(count)))
    needed = sector_posts_needed(sc)
    for name, sector in sc.sectors.items():
        for year, share in sector.target.items():
            posts = math.ceil(float(share) * needed[name] - 1e-9)
            out.append(("sector_posts", year, name, float(posts)))
    for group, shares in tg.served_share.items():
        for year, share in shares.items():
            out.append(("served_share", year, group, float(share)))
    for group, shares in tg.service_level_by_group.items():
        for year, share in shares.items():
            out.append(("service_level", year, group, float(share)))
    for year, share in tg.min_served_share.items():
        out.append(("min_served_share", year, None, float(share)))
    for group, shares in tg.min_served_share_by_group.items():
        for year, share in shares.items():
            out.append(("min_served_share", year, group, float(share)))
    return sorted(out, key=lambda r: (r[1], r[0], r[2] or ""))


def family(name: str, key: str | None) -> str:
    """The family of a target row (a name of targets.priority): the field of `targets` it comes
    from; a group's service level (target service_level keyed by the group) is
    service_level_by_group."""
    return "service_level_by_group" if name == "service_level" and key is not None else name


def priority_order(sc: Scenario) -> list[str]:
    """Target families in the order a plan meets them: targets.priority, then the families it
    does not list in their default order (model.inputs.schema.TARGET_ORDER)."""
    listed = list(sc.targets.priority)
    return listed + [f for f in TARGET_ORDER if f not in listed]


def in_planner_units(
    name: str, required: float, achieved: float, sc: Scenario
) -> tuple[float, str]:
    """What a plan is short of a target (required and achieved in its targets.csv unit) in the
    units a planner counts: whole stations short of coverage, whole workers short of a worker
    count or ratio (a requirement of 701.5 workers is 702, as the optimizer asks), share points
    (0–100) short of a share (access: points of the population within access.minutes)."""
    t = sc.townships
    per = {
        "coverage": len(t),
        "workers_per_1000_elderly": float(t["elderly"].sum()) / 1000.0,
        "workers_per_100_care_beds": float(t["care_beds"].sum()) / 100.0,
        "workers_total": 1.0,
        "workers_by_grade": 1.0,
        "sector_posts": 1.0,
    }
    if name not in per:
        return 100.0 * max(0.0, required - achieved), "share points"
    need = math.ceil(required * per[name] - 1e-9)
    have = round(achieved * per[name])  # whole stations and workers (targets.csv rounds)
    return float(max(0, need - have)), "stations" if name == "coverage" else "workers"


def planned_group_levels(sc: Scenario, plan: pd.DataFrame) -> np.ndarray:
    """Per plan row and group (rows × groups, in scenario order): the share of the group's
    client requests in the township started within their standard at its planned station and
    workers (0 without a station), by queueing theory (model.workload.on_time_by_group);
    recomputed from the scenario, so any plan — optimized or read from a file — gets the same
    value."""
    most = max(sc.staffing.max_workers, int(plan[list(WORKER_COLUMNS)].sum(axis=1).max() or 0))
    shares = on_time_by_group(sc, list(range(1, most + 1)))
    row = {tid: i for i, tid in enumerate(sc.townships["township_id"].astype(str))}
    workers = plan[list(WORKER_COLUMNS)].sum(axis=1).to_numpy(int)
    out = np.zeros((len(plan), len(sc.groups)))
    for j, (tid, station, k) in enumerate(
        zip(plan["township_id"].astype(str), plan["station"], workers)
    ):
        if int(station) == 1 and k > 0:
            out[j] = shares[row[tid], k - 1]
    return out


def planned_service_levels(sc: Scenario, plan: pd.DataFrame) -> np.ndarray:
    """Per plan row: the share of the township's client requests started within their standard
    at its planned station and workers (0 without a station): the groups' shares of
    :func:`planned_group_levels` weighted by the township's requests per group
    (model.workload.on_time_shares at the plan's level)."""
    row = {tid: i for i, tid in enumerate(sc.townships["township_id"].astype(str))}
    weight = group_requests(sc).to_numpy(float)[[row[t] for t in plan["township_id"].astype(str)]]
    total = weight.sum(axis=1)
    got = (planned_group_levels(sc, plan) * weight).sum(axis=1)
    share = np.divide(got, total, out=np.ones(len(plan)), where=total > 0)
    staffed = (plan["station"].to_numpy(int) == 1) & (
        plan[list(WORKER_COLUMNS)].sum(axis=1).to_numpy() > 0
    )
    return np.where(staffed, share, 0.0)


def regional_service_level(sc: Scenario, plan_year: pd.DataFrame) -> float:
    """Share of the region's client requests started on time in one year of a plan: each
    township's planned level (the plan's `planned_service_level`, else the closed form) weighted
    by its requests; townships without a station count with their requests and none on time."""
    requests = client_requests(sc)
    requests.index = sc.townships["township_id"].astype(str)
    total = float(requests.sum())
    if total <= 0:
        return 1.0
    levels = (
        plan_year["planned_service_level"].to_numpy(float)
        if "planned_service_level" in plan_year
        else planned_service_levels(sc, plan_year)
    )
    got = requests.reindex(plan_year["township_id"].astype(str)).fillna(0.0).to_numpy(float)
    return float((levels * got).sum()) / total


def group_service_level(sc: Scenario, plan_year: pd.DataFrame, group: str) -> float:
    """Share of the region's client requests of `group` started on time in one year of a plan
    (queueing theory at each township's planned level, :func:`planned_group_levels`, weighted by
    the township's requests of the group; townships without a station count with none on
    time); 1 when the group makes no request."""
    requests = group_requests(sc)[group]
    requests.index = sc.townships["township_id"].astype(str)
    total = float(requests.sum())
    if total <= 0:
        return 1.0
    levels = planned_group_levels(sc, plan_year)[:, list(sc.groups).index(group)]
    got = requests.reindex(plan_year["township_id"].astype(str)).fillna(0.0).to_numpy(float)
    return float((levels * got).sum()) / total


def extra_workers(*tables: pd.DataFrame | None) -> pd.DataFrame:
    """Workers beyond the stations (county centres' supervisors, sector posts) per year: the sum
    of each table's WORKER_COLUMNS by `year` (tables without rows or None count nothing)."""
    parts = [t[["year", *WORKER_COLUMNS]] for t in tables if t is not None and len(t)]
    if not parts:
        return pd.DataFrame(columns=["year", *WORKER_COLUMNS])
    return pd.concat(parts).groupby("year", as_index=False)[list(WORKER_COLUMNS)].sum()


def workers_in_year(plan_year: pd.DataFrame, extra: pd.DataFrame | None, year: int) -> dict:
    """Workers by worker column in one year: the plan's stations' plus `extra`'s
    (:func:`extra_workers`)."""
    out = {c: float(plan_year[c].sum()) for c in WORKER_COLUMNS}
    if extra is not None and len(extra):
        rows = extra[extra["year"] == year]
        for c in WORKER_COLUMNS:
            out[c] += float(rows[c].sum())
    return out


def achieved_value(
    name: str,
    key: str | None,
    year: int,
    sc: Scenario,
    plan: pd.DataFrame,
    service: pd.DataFrame,
    extra: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
) -> float:
    """What a plan achieves on one target in one year. `extra`: workers beyond the stations
    (:func:`extra_workers`), counted by the worker targets; `sectors`: the sectors table
    (sectors.csv: sector, year, posts), for sector_posts."""
    p = plan[plan["year"] == year]
    t = sc.townships
    workers = workers_in_year(p, extra, year)
    total = sum(workers.values())
    if name == "coverage":
        return float(p["station"].sum()) / len(t)
    if name == "access":
        return access_share(sc, p)
    if name == "certified_share":
        return (
            (workers["workers_junior"] + workers["workers_intermediate"]) / total if total else 0.0
        )
    if name == "workers_per_1000_elderly":
        return 1000.0 * total / float(t["elderly"].sum())
    if name == "workers_per_100_care_beds":
        return 100.0 * total / float(t["care_beds"].sum())
    if name == "workers_total":
        return total
    if name == "workers_by_grade":
        return workers[f"workers_{key}"]
    if name == "sector_posts":
        if sectors is None or not len(sectors):
            return 0.0
        rows = sectors[(sectors["sector"] == key) & (sectors["year"] == year)]
        return float(rows["posts"].sum())
    if name == "service_level":
        return regional_service_level(sc, p) if key is None else group_service_level(sc, p, key)
    if name == "served_share":
        s = service[(service["year"] == year) & (service["group"] == key)]
        demand = float(s["demand_hours"].sum())
        return float(s["served_hours"].sum()) / demand if demand else 1.0
    if name == "min_served_share":
        return lowest_served_share(p, service[service["year"] == year], key)
    raise ValueError(f"unknown target {name}")


def access_share(sc: Scenario, plan_year: pd.DataFrame) -> float:
    """Share of the region's population within access.minutes of an open station in one plan
    year (model.plan.access: a township with a station is 0 minutes from it)."""
    curve = access_curve(nearest_station(sc, plan_year), sc.townships, [sc.access.minutes])
    value = float(curve.iloc[0, 0]) if curve.shape[1] else 0.0
    return 1.0 if math.isnan(value) else value  # a region without residents: nobody is left out


def lowest_served_share(
    plan_year: pd.DataFrame, service_year: pd.DataFrame, group: str | None = None
) -> float:
    """The lowest served share of client hours among the townships with a station in one plan
    year (of `group`'s hours, or of all); townships with no client hours (of the group) do not
    count; 1 when no station has any."""
    open_ = set(plan_year.loc[plan_year["station"] == 1, "township_id"].astype(str))
    if group is None:
        rows = plan_year[plan_year["township_id"].astype(str).isin(open_)]
        demand, served = rows["client_hours"].to_numpy(float), rows["served_hours"].to_numpy(float)
    else:
        s = service_year[
            (service_year["group"] == group) & service_year["township_id"].astype(str).isin(open_)
        ]
        demand, served = s["demand_hours"].to_numpy(float), s["served_hours"].to_numpy(float)
    has = demand > 0
    return float((served[has] / demand[has]).min()) if has.any() else 1.0


def targets_table(
    sc: Scenario,
    plan: pd.DataFrame,
    service: pd.DataFrame,
    extra: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per target and year: required, achieved, met, shortfall (in the target's unit).
    `extra`: workers beyond the stations (:func:`extra_workers`); `sectors`: the sectors table
    (sector_posts)."""
    from model.plan.targets import required_targets

    rows = []
    for name, year, key, req in required_targets(sc):
        got = achieved_value(name, key, year, sc, plan, service, extra, sectors)
        tol = 1e-6 * max(1.0, abs(req))
        rows.append(
            {
                "target": f"{name}.{key}" if key else name,
                "year": year,
                "required": req,
                "achieved": round(got, 6),
                "met": bool(got >= req - tol),
                "shortfall": round(max(0.0, req - got), 6) if got < req - tol else 0.0,
                "unit": TARGET_UNITS[name],
            }
        )
    return pd.DataFrame(
        rows, columns=["target", "year", "required", "achieved", "met", "shortfall", "unit"]
    )
