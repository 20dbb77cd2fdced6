"""Village points (point.max_per_township): a point takes home visits off its township's
station, so the station's workers serve more of the rest.

Four townships in two counties; groups with home visits (低保 visits twice a year, 特困 six
times, 特困 first); a station has one or two uncertified workers (setup 5 + running 2 + 3 a
worker), a point costs setup 1 + running 1.5 and gives 300 hours a year to visits, each visit
taking its visit hours plus a 10-minute round trip of the point's time and saving the station
its visit hours plus the township's 30-minute round trip. The optimizer's plans are checked
against enumeration of every township's choice (no station; a station of k workers with p
points), the points' visits recomputed here from those definitions.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import worked_data, write_small

from model.optimizer.formulation import EPS_COST
from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.plan.funding import check_funding
from model.workload import available_hours, client_hours, priority_fill, station_hours

GROUPS = {
    "dibao": {
        "case_rate": 0.1,
        "sessions": 2,
        "session_hours": 2.0,
        "visit_rate": 2.0,
        "visit_hours": 1.5,
        "priority": 1,
    },
    "tekun": {
        "case_rate": 0.5,
        "sessions": 4,
        "session_hours": 1.5,
        "visit_rate": 6.0,
        "visit_hours": 2.0,
        "priority": 3,
    },
}

ROWS = [
    "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0",
    "B,乙镇,一县,rural,3000,500,200,20,0,0,0,1.0,0.0,0",
    "C,丙镇,二县,rural,4000,700,250,30,0,0,0,1.0,0.0,0",
    "D,丁镇,二县,rural,1000,200,20,2,0,0,0,1.0,0.0,0",
]

POINT = {"max_per_township": 2, "setup": 1.0, "running": 1.5, "visit_hours": 300.0}


def scenario(tmp_path, budget: float, years: int = 1, point: dict | None = None, **extra):
    """The two-county region with points (`point` on top of POINT) and `budget` 万元 a year."""
    data = worked_data(
        budget={2025 + k: budget for k in range(years)},
        horizon={"start": 2025, "years": years},
        staffing={"max_workers": 2, "visit_travel_minutes": 30},
        point=POINT | (point or {}),
        **extra,
    )
    data["groups"] = GROUPS
    return write_small(tmp_path, ROWS, data)


def taken_hours(sc, i: int, points: int) -> dict[str, float]:
    """Station hours per group that `points` points take in township i: their hours go to
    visits by priority (特困 first), each visit costing them visit_hours + 10 minutes and saving
    the station visit_hours + the township's round trip (30 minutes)."""
    row = sc.townships.iloc[i]
    left = points * sc.point.visit_hours
    out = {}
    for g in sorted(sc.groups, key=lambda g: -sc.groups[g].priority):
        spec = sc.groups[g]
        visits = float(row[g]) * spec.visit_rate
        made = min(visits, left / (spec.visit_hours + sc.point.travel_minutes / 60))
        left -= made * (spec.visit_hours + sc.point.travel_minutes / 60)
        out[g] = made * (spec.visit_hours + 0.5)
    return out


def township_value(sc, i: int, k: int, points: int) -> float:
    """Priority-weighted hours served in township i by a station of k workers and its points."""
    hours = client_hours(sc).iloc[i].to_dict()
    weights = {g: float(sc.groups[g].priority) for g in sc.groups}
    taken = taken_hours(sc, i, points)
    left = {g: hours[g] - taken[g] for g in hours}
    capacity = k * float(available_hours(sc).iloc[0]) - station_hours(sc)
    station = priority_fill(left, weights, capacity)
    return sum(weights[g] * (taken[g] + station[g]) for g in hours)


def enumerate_best(sc) -> tuple[dict[str, tuple[int, int]], float]:
    """The best one-year plan by enumeration: per open township (workers, points), and its
    objective (priority-weighted hours served less EPS_COST per 万元 spent), within the budget."""
    ids = list(sc.townships["township_id"].astype(str))
    c, pt = sc.costs, sc.point
    options = [None] + [
        (k, p)
        for k in range(1, sc.staffing.max_workers + 1)
        for p in range(pt.max_per_township + 1)
    ]
    worth = {(i, o): township_value(sc, i, *o) for i in range(len(ids)) for o in options if o}
    best: tuple[dict[str, tuple[int, int]], float] = ({}, -float("inf"))
    for choice in itertools.product(options, repeat=len(ids)):
        spend, value = 0.0, 0.0
        for i, o in enumerate(choice):
            if o is None:
                continue
            k, p = o
            spend += c.station_setup + c.station_running + k * c.salary.uncertified
            spend += p * (pt.setup + pt.running)
            value += worth[i, o]
        if spend > sc.budget[sc.years[0]] + 1e-9:
            continue
        objective = value - EPS_COST * spend
        if objective > best[1] + 1e-6:
            best = ({ids[i]: o for i, o in enumerate(choice) if o is not None}, objective)
    return best


@pytest.mark.parametrize("budget", [10, 20, 30, 45])
def test_the_plan_with_points_is_the_optimum_found_by_enumeration(tmp_path, budget):
    sc = scenario(tmp_path, budget=budget)
    result = optimize(sc, estimate_gap=False, worth=False)
    chosen, objective = enumerate_best(sc)
    assert result.solver.objective == pytest.approx(objective, rel=1e-6)
    plan = result.plan.set_index("township_id")
    got = {
        tid: (int(r.workers_uncertified + r.workers_junior + r.workers_intermediate), int(r.points))
        for tid, r in plan.iterrows()
        if r.station == 1
    }
    # the plan is worth the optimum (ties between equally good plans are allowed)
    spend = sum(
        sc.costs.station_setup
        + sc.costs.station_running
        + k * sc.costs.salary.uncertified
        + p * (sc.point.setup + sc.point.running)
        for k, p in got.values()
    )
    ids = list(sc.townships["township_id"].astype(str))
    value = sum(township_value(sc, ids.index(tid), k, p) for tid, (k, p) in got.items())
    assert value - EPS_COST * spend == pytest.approx(objective, rel=1e-6)
    assert spend <= budget + 1e-6
    if sum(p for _, p in chosen.values()) > 0:
        assert plan["points"].sum() > 0
    assert check_plan(sc, result.plan, result.targets, points=result.points) == []


def test_points_are_worth_opening_at_some_budget(tmp_path):
    """The worked region is built so that points matter: at 20 万元 the best plan has them."""
    chosen, _ = enumerate_best(scenario(tmp_path, budget=20))
    assert any(p > 0 for _, p in chosen.values())


def test_the_points_table_and_the_plan_agree_and_served_hours_include_the_points(tmp_path):
    sc = scenario(tmp_path, budget=45)
    result = optimize(sc, estimate_gap=False, worth=False)
    plan = result.plan
    assert plan["points"].sum() > 0
    assert result.points["points"].sum() == plan["points"].sum()
    for r in plan[plan["points"] > 0].itertuples():
        i = list(sc.townships["township_id"]).index(r.township_id)
        assert r.point_hours == pytest.approx(sum(taken_hours(sc, i, r.points).values()), rel=1e-6)
        k = r.workers_uncertified + r.workers_junior + r.workers_intermediate
        weights = {g: float(sc.groups[g].priority) for g in sc.groups}
        left = {g: client_hours(sc).iloc[i][g] - taken_hours(sc, i, r.points)[g] for g in sc.groups}
        capacity = k * float(available_hours(sc).iloc[0]) - station_hours(sc)
        station = sum(priority_fill(left, weights, capacity).values())
        assert r.served_hours == pytest.approx(r.point_hours + station, rel=1e-6)
    # points are not social workers: no worker columns, their spend in spend_other
    assert (result.points[["workers_uncertified", "workers_junior"]] == 0).all().all()
    spend = result.points["spend_setup"].sum() + result.points["spend_running"].sum()
    assert result.summary["spend_other"].sum() == pytest.approx(spend, abs=1e-3)


def test_points_need_a_station_and_stay_open(tmp_path):
    sc = scenario(tmp_path, budget=30, years=2)
    result = optimize(sc, estimate_gap=False, worth=False)
    plan = result.plan
    assert (plan.loc[plan["station"] == 0, "points"] == 0).all()
    wide = plan.pivot(index="township_id", columns="year", values="points")
    assert (wide[2026] >= wide[2025]).all()
    assert check_plan(sc, plan, result.targets, points=result.points) == []


def test_the_checker_refuses_points_without_a_station_beyond_the_limit_or_closing(tmp_path):
    sc = scenario(tmp_path, budget=30, years=2)
    result = optimize(sc, estimate_gap=False, worth=False)
    plan = result.plan.copy()
    closed = plan.index[plan["station"] == 0][0]
    bad = plan.copy()
    bad.loc[closed, "points"] = 1
    assert any("no station" in p for p in check_plan(sc, bad, budgets=False))
    bad = plan.copy()
    bad["points"] = bad["points"].astype(float)
    bad.loc[plan.index[plan["station"] == 1][0], "points"] = 3
    assert any("max_per_township" in p for p in check_plan(sc, bad, budgets=False))
    opened = plan[(plan["station"] == 1) & (plan["year"] == 2025)].index[0]
    tid = plan.loc[opened, "township_id"]
    bad = plan.copy()
    bad.loc[(bad["township_id"] == tid) & (bad["year"] == 2025), "points"] = 2
    bad.loc[(bad["township_id"] == tid) & (bad["year"] == 2026), "points"] = 1
    assert any("close after" in p for p in check_plan(sc, bad, budgets=False))
    bad = plan.copy()
    bad.loc[bad["points"] > 0, "point_hours"] *= 2
    if (plan["points"] > 0).any():
        assert any("recomputed" in p for p in check_plan(sc, bad, budgets=False))
    assert check_plan(sc, plan.drop(columns=["points"]), budgets=False) == [
        "the scenario has village points but the plan has no points column"
    ]


def test_a_source_that_pays_only_points_pays_for_nothing_else(tmp_path):
    """A village collective's fund pays only the points' running costs; the county budget the
    rest. The checker recomputes who may pay what."""
    funding = {
        "county": {"label": "县级财政", "amount": {2025: 30}},
        "village": {
            "label": "村集体",
            "amount": {2025: 4},
            "pays": ["running"],
            "levels": ["point"],
        },
    }
    sc = scenario(tmp_path, budget=34, funding=funding)
    result = optimize(sc, estimate_gap=False, worth=False)
    f = result.funding
    village = f[(f["source"] == "village") & (f["category"] != "total")]
    assert set(village["level"]) <= {"point"}
    assert set(village["category"]) <= {"running"}
    assert check_funding(sc, result.plan, f) == []
    assert check_plan(sc, result.plan, result.targets, funding=f, points=result.points) == []
    bad = f.copy()
    row = bad[(bad["source"] == "village") & (bad["category"] != "total")].index
    assert len(row) and village["used"].sum() > 0  # the village fund pays for points
    bad.loc[row[0], "level"] = "station"
    assert check_funding(sc, result.plan, bad) != []


def test_point_gains_match_the_definitions_at_every_level(tmp_path):
    """Inputs.point_served: the points' hours and what the station serves of the rest."""
    from model.optimizer.inputs import Inputs

    sc = scenario(tmp_path, budget=30)
    inp = Inputs.from_scenario(sc)
    for i in range(len(sc.townships)):
        for (k, p), served in inp.point_served[i].items():
            got = sum(served.values())
            weights = {g: float(sc.groups[g].priority) for g in sc.groups}
            assert inp.point_value[i][k, p] == pytest.approx(township_value(sc, i, k, p))
            assert got <= float(client_hours(sc).iloc[i].sum()) + 1e-6
            assert np.isfinite(got) and weights


def test_a_served_share_floor_that_only_points_reach_opens_them(tmp_path):
    """Township A's station serves at most 933 of its 2,910 client hours (32%) with its two
    workers; with two points 56%: a floor of 50% for every open station is met at A only with
    both points, and the optimizer, which must meet it, opens them there."""
    sc = scenario(tmp_path, budget=45, targets={"min_served_share": {2025: 0.5}})
    assert township_value(sc, 0, 2, 0) < township_value(sc, 0, 2, 2)
    result = optimize(sc, estimate_gap=False, worth=False)
    assert result.all_targets_met
    plan = result.plan.set_index("township_id")
    opened = plan[plan["station"] == 1]
    assert ((opened["served_hours"] / opened["client_hours"]) >= 0.5 - 1e-9).all()
    assert "A" in opened.index and plan.loc["A", "points"] == 2
    assert check_plan(sc, result.plan, result.targets, points=result.points) == []
