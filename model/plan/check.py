"""An independent checker of plans: recomputes spend, coverage, staffing rules, hiring and targets.

Written from the scenario's definitions (docs/design.md) without using the optimizer's code, so a
formulation error in model/optimizer/ shows up here as a violation.

    problems = check_plan(sc, plan, targets=result.targets)   # [] when the plan is valid
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario
from model.vocabulary import WORKER_COLUMNS
from model.workload import group_requests, on_time_by_group

TOL = 1e-6


def _expected_spend(sc: Scenario, plan: pd.DataFrame) -> pd.DataFrame:
    """Spend per township-year recomputed from stations, workers and training."""
    t = sc.townships.set_index("township_id")
    p = plan.sort_values(["township_id", "year"]).copy()
    first = p["year"] == p.groupby("township_id")["year"].transform("min")
    before = p.groupby("township_id")["station"].shift(1)
    before[first] = p.loc[first, "township_id"].map(t["has_station"]).to_numpy()
    c = sc.costs
    wage = p["township_id"].map(t["wage_index"]).astype(float)
    p["x_setup"] = c.station_setup * ((p["station"] == 1) & (before == 0)).astype(float)
    p["x_running"] = c.station_running * p["station"]
    p["x_salary"] = wage * (
        c.salary.uncertified * p["workers_uncertified"]
        + c.salary.junior * p["workers_junior"]
        + c.salary.intermediate * p["workers_intermediate"]
    )
    p["x_training"] = c.certification_training * p.get("trained", 0)
    return p


def check_plan(
    sc: Scenario, plan: pd.DataFrame, targets: pd.DataFrame | None = None, budgets: bool = True
) -> list[str]:
    """Every rule the plan breaks, as sentences; an empty list means the plan is valid."""
    problems: list[str] = []
    t = sc.townships
    years = sc.years
    ids = set(t["township_id"])
    if (
        set(plan["township_id"]) != ids
        or sorted(plan["year"].unique()) != years
        or len(plan) != len(ids) * len(years)
    ):
        return ["the plan does not hold exactly one row per township and planning year"]
    stf = sc.staffing
    workers = plan["workers_uncertified"] + plan["workers_junior"] + plan["workers_intermediate"]
    certified = plan["workers_junior"] + plan["workers_intermediate"]
    for col in (*WORKER_COLUMNS, "station"):
        if (plan[col] < 0).any() or (plan[col] != plan[col].round()).any():
            problems.append(f"{col} must be whole numbers ≥ 0")
    open_ = plan["station"] == 1
    if ((~open_) & (workers > 0)).any():
        problems.append("workers placed where there is no station")
    if (open_ & (workers < stf.min_workers)).any():
        problems.append(f"an open station has fewer than {stf.min_workers} workers")
    if (open_ & (workers > stf.max_workers)).any():
        problems.append(f"a station has more than {stf.max_workers} workers")
    if (open_ & (certified < stf.min_certified)).any():
        problems.append(f"an open station has fewer than {stf.min_certified} certified workers")
    wide = plan.pivot(index="township_id", columns="year", values="station")
    if (wide.diff(axis=1).fillna(0) < 0).any().any():
        problems.append("a station closes after it opened")
    existing = t.loc[t["has_station"] == 1, "township_id"]
    if (wide.loc[existing] < 1).any().any():
        problems.append("an existing station is closed")
    if (
        "trained" in plan
        and ((plan["trained"] > plan["workers_uncertified"]) | (plan["trained"] < 0)).any()
    ):
        problems.append("more workers trained than uncertified workers in post")

    spend = _expected_spend(sc, plan)
    if "spend" in plan:
        mine = spend[["x_setup", "x_running", "x_salary", "x_training"]].sum(axis=1)
        theirs = plan.set_index(["township_id", "year"]).loc[
            list(zip(spend["township_id"], spend["year"])), "spend"
        ]
        if (abs(mine.to_numpy() - theirs.to_numpy()) > 1e-3).any():
            problems.append(
                "the plan's spend column disagrees with costs recomputed from the scenario"
            )
    by_year = (
        spend.groupby("year")[["x_setup", "x_running", "x_salary", "x_training"]].sum().sum(axis=1)
    )
    if budgets:
        for year, total in by_year.items():
            if year in sc.budget and total > sc.budget[year] + 1e-6 * max(1.0, sc.budget[year]):
                problems.append(
                    f"spend {total:.4f} 万元 exceeds the budget {sc.budget[year]} in {year}"
                )

    problems += _check_hiring(sc, plan)
    if targets is not None:
        problems += _check_targets(sc, plan, workers, certified, targets)
    return problems


def _check_hiring(sc: Scenario, plan: pd.DataFrame) -> list[str]:
    """Hires a county needs each year (growth plus replacement of leavers), against its pool."""
    wf = sc.workforce
    county = sc.townships.set_index("township_id")["county"]
    p = plan.assign(county=plan["township_id"].map(county))
    g = p.groupby(["county", "year"])[[*WORKER_COLUMNS, "trained"]].sum()
    t = sc.townships
    start = t.groupby("county")[["workers_uncertified", "workers_certified"]].sum()
    out = []
    for c in g.index.get_level_values(0).unique():
        prev_u, prev_j, prev_m = (
            float(start.loc[c, "workers_uncertified"]),
            float(start.loc[c, "workers_certified"]),
            0.0,
        )
        prev_trained, first = 0.0, True
        for year in sc.years:
            row = g.loc[(c, year)]
            keep = 1.0 if first else 1.0 - wf.attrition
            passed = 0.0 if first else wf.exam_pass_rate * prev_trained
            need = (
                max(0.0, row["workers_uncertified"] - keep * prev_u + passed)
                + max(0.0, row["workers_junior"] - keep * prev_j - passed)
                + max(0.0, row["workers_intermediate"] - keep * prev_m)
            )
            if need > wf.hiring_pool_per_county + 1e-6:
                out.append(
                    f"county {c} needs {need:.2f} hires in {year}, more than its pool of "
                    f"{wf.hiring_pool_per_county}"
                )
            prev_u, prev_j, prev_m = (
                row["workers_uncertified"],
                row["workers_junior"],
                row["workers_intermediate"],
            )
            prev_trained, first = row["trained"], False
    return out


def _check_targets(
    sc: Scenario,
    plan: pd.DataFrame,
    workers: pd.Series,
    certified: pd.Series,
    targets: pd.DataFrame,
) -> list[str]:
    """Recompute each target the table claims and compare."""
    t = sc.townships
    out = []
    for _, row in targets.iterrows():
        name, _, key = str(row["target"]).partition(".")
        sel = plan["year"] == row["year"]
        total = float(workers[sel].sum())
        if name == "coverage":
            got = plan.loc[sel, "station"].sum() / len(t)
        elif name == "certified_share":
            got = float(certified[sel].sum()) / total if total else 0.0
        elif name == "workers_per_1000_elderly":
            got = 1000 * total / t["elderly"].sum()
        elif name == "workers_per_100_care_beds":
            got = 100 * total / t["care_beds"].sum()
        elif name == "workers_total":
            got = total
        elif name == "workers_by_grade":
            got = float(plan.loc[sel, f"workers_{key}"].sum())
        elif name == "service_level":
            got = _service_level(sc, plan[sel], workers[sel], key or None)
        elif name == "min_served_share" and not key:
            p = plan[sel & (plan["station"] == 1) & (plan["client_hours"] > 0)]
            got = float((p["served_hours"] / p["client_hours"]).min()) if len(p) else 1.0
        else:
            # served_share (and a group's floor) depends on the service model; checked against the
            # simulation elsewhere
            continue
        if not math.isclose(got, float(row["achieved"]), rel_tol=1e-5, abs_tol=1e-5):
            out.append(
                f"target {row['target']} {row['year']}: claimed {row['achieved']}, "
                f"recomputed {got:.6f}"
            )
        really_met = got >= float(row["required"]) - 1e-6 * max(1.0, abs(float(row["required"])))
        if bool(row["met"]) != really_met:
            out.append(
                f"target {row['target']} {row['year']}: claimed met={row['met']}, "
                f"recomputed met={really_met}"
            )
    return out


def _service_level(sc: Scenario, p: pd.DataFrame, workers: pd.Series, group: str | None) -> float:
    """Share of the region's client requests (of `group`, or all) started within their
    standard in one plan year (one row per township): each township's share at its station's
    workers by queueing theory (model.workload.on_time_by_group; none without a station),
    weighted by its requests. For all requests, the plan's own `planned_service_level` where it
    has one (the plan-simulation loop may have corrected it by simulation)."""
    index = {tid: i for i, tid in enumerate(sc.townships["township_id"].astype(str))}
    rows = np.array([index[t] for t in p["township_id"].astype(str)], dtype=int)
    requests = group_requests(sc).to_numpy(float)[rows]  # plan rows × groups
    k = workers.to_numpy(int)
    staffed = (p["station"].to_numpy(int) == 1) & (k > 0)
    table = on_time_by_group(sc, list(range(1, max(int(k.max(initial=0)), 1) + 1)))
    share = np.zeros(requests.shape)
    share[staffed] = table[rows[staffed], k[staffed] - 1]
    if group is not None:
        g = list(sc.groups).index(group)
        weight, on_time = requests[:, g], share[:, g] * requests[:, g]
    elif "planned_service_level" in p:
        weight = requests.sum(axis=1)
        on_time = p["planned_service_level"].to_numpy(float) * weight
    else:
        weight, on_time = requests.sum(axis=1), (share * requests).sum(axis=1)
    total = float(weight.sum())
    return float(on_time.sum()) / total if total > 0 else 1.0
