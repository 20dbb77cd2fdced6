"""Catchments (catchment.max_minutes): a station also serves townships without one nearby.

The A — B — C road of test_access_target (20 minutes between neighbours, A–C 45): within 30
minutes a station in B may serve A and C, one in A or C only B. A station has one worker; what
it has left after its own township (hours_per_worker × (1 − admin_share) − station work −
its own served hours) goes to the townships it serves, each served hour costing
1 + round trip × the township's requests per client hour. The optimizer's plans are checked
against enumeration: every set of stations within the budget, every assignment of the others to
a station within reach, the hours each station has to spare split greedily (a fractional
knapsack: most priority per hour of the station's time first).
"""

from __future__ import annotations

import itertools

import pytest
from conftest import worked_data, write_small
from test_access_target import ROWS, TRAVEL

from model import InputError
from model.optimizer.formulation import EPS_COST
from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.workload import (
    available_hours,
    catchment_pairs,
    client_hours,
    client_requests,
    priority_fill,
    station_hours,
)


def scenario(
    tmp_path,
    budget: float,
    minutes: float | None = 30,
    years: int = 1,
    travel: bool = True,
    **extra,
):
    """The A — B — C region: a station has exactly one worker (10 万元 a year with setup),
    `budget` 万元 a year, catchments within `minutes` (None: off)."""
    data = worked_data(
        budget={2025 + k: budget for k in range(years)},
        horizon={"start": 2025, "years": years},
        staffing={"max_workers": 1, "hours_per_worker": 4000},
        workforce={"layoffs": True},
        **extra,
    )
    if travel:
        (tmp_path / "travel.csv").write_text(TRAVEL, encoding="utf-8")
        data["region"] = {"townships": "t.csv", "travel": "travel.csv"}
    if minutes is not None:
        data["catchment"] = {"max_minutes": minutes}
    return write_small(tmp_path, ROWS, data)


def enumerate_best(sc) -> tuple[set[str], dict[str, str], float]:
    """The best plan of one year by enumeration: stations, who serves whom, objective (most
    priority-weighted hours less EPS_COST per 万元 within the budget)."""
    ids = list(sc.townships["township_id"].astype(str))
    hours = client_hours(sc)
    weights = {g: float(sc.groups[g].priority) for g in sc.groups}
    requests = client_requests(sc).to_numpy(float)
    total = hours.sum(axis=1).to_numpy(float)
    avail, fixed = float(available_hours(sc).iloc[0]), station_hours(sc)
    minutes = sc.travel.to_numpy(float)
    c = sc.costs
    cost = c.station_setup + c.station_running + c.salary.uncertified
    year = sc.years[0]
    best: tuple[set[str], dict[str, str], float] = (set(), {}, -float("inf"))
    for n in range(len(ids) + 1):
        for combo in itertools.combinations(range(len(ids)), n):
            spend = cost * n
            if spend > sc.budget[year] + 1e-9:
                continue
            own = {i: priority_fill(hours.iloc[i].to_dict(), weights, avail - fixed) for i in combo}
            spare = {i: avail - fixed - sum(own[i].values()) for i in combo}
            value = sum(weights[g] * h for i in combo for g, h in own[i].items())
            others = [j for j in range(len(ids)) if j not in combo]
            options = [
                [None] + [i for i in combo if minutes[i, j] <= sc.catchment.max_minutes]
                if sc.catchment.max_minutes is not None
                else [None]
                for j in others
            ]
            for pick in itertools.product(*options):
                extra = 0.0
                for i in combo:
                    served = [j for j, s in zip(others, pick, strict=True) if s == i]
                    # fractional knapsack: each class of each served township, by priority per
                    # hour of the station's time
                    items = []
                    for j in served:
                        load = 1 + (minutes[i, j] + minutes[j, i]) / 60 * requests[j] / total[j]
                        for g in sc.groups:
                            items.append((weights[g] / load, float(hours.iloc[j][g]) * load))
                    left = spare[i]
                    for per_hour, need in sorted(items, reverse=True):
                        take = min(need, left)
                        extra += per_hour * take
                        left -= take
                objective = value + extra - EPS_COST * spend
                if objective > best[2] + 1e-6:
                    served_by = {
                        ids[j]: ids[s] for j, s in zip(others, pick, strict=True) if s is not None
                    }
                    best = ({ids[i] for i in combo}, served_by, objective)
    return best


def served_by(result) -> dict[str, str]:
    p = result.plan
    p = p[p["served_by"] != ""]
    return dict(zip(p["township_id"].astype(str), p["served_by"]))


@pytest.mark.parametrize("budget", [15, 25])
def test_the_plan_with_catchments_is_the_optimum_found_by_enumeration(tmp_path, budget):
    sc = scenario(tmp_path, budget=budget)
    result = optimize(sc, estimate_gap=False, worth=False)
    stations, serves, objective = enumerate_best(sc)
    assert result.solver.objective == pytest.approx(objective, rel=1e-6)
    if budget == 15:  # one station: in B, the only one within 30 minutes of both others
        assert stations == {"B"} and set(serves) == {"A", "C"}
        assert served_by(result) == {"A": "B", "C": "B"}
    assert check_plan(sc, result.plan, targets=result.targets) == []


def test_catchments_never_make_a_plan_worse_and_reach_unserved_townships(tmp_path):
    with_catchments = optimize(scenario(tmp_path, budget=15), estimate_gap=False, worth=False)
    (tmp_path / "off").mkdir()
    without = optimize(scenario(tmp_path / "off", 15, None), estimate_gap=False, worth=False)
    assert with_catchments.solver.objective >= without.solver.objective - 1e-6
    assert (without.plan["served_by"] == "").all()
    assert (without.plan["catchment_hours"] == 0).all()
    served = with_catchments.plan.set_index("township_id")
    assert served.loc["A", "served_hours"] > 0 and served.loc["C", "served_hours"] > 0
    assert served.loc["B", "catchment_hours"] > 0


def test_a_station_serves_its_catchment_only_with_the_hours_it_has_to_spare(tmp_path):
    sc = scenario(tmp_path, budget=15)
    result = optimize(sc, estimate_gap=False, worth=False)
    p = result.plan.set_index("township_id")
    avail, fixed = float(available_hours(sc).iloc[0]), station_hours(sc)
    # the worker's year: B's own work, then A's and C's served hours with their round trips
    used = p.loc["B", "served_hours"] + p.loc["B", "catchment_hours"]
    assert used == pytest.approx(avail - fixed, rel=1e-6)  # binding: A and C need more
    assert p.loc["A", "served_hours"] < p.loc["A", "client_hours"]
    pairs = catchment_pairs(sc)
    assert set(zip(pairs["station_id"], pairs["township_id"])) == {
        ("A", "B"),
        ("B", "A"),
        ("B", "C"),
        ("C", "B"),
    }
    assert pairs["trip_hours"].tolist() == pytest.approx([40 / 60] * 4)


def test_over_several_years_catchments_follow_the_stations(tmp_path):
    # 15 万元 a year: one station in 2025 (B, serving A and C); in 2026 B runs for 5 and a
    # second station (10 with its setup) opens: the township left without one is served by B
    sc = scenario(tmp_path, budget=15, years=2)
    result = optimize(sc, estimate_gap=False, worth=False)
    p = result.plan.set_index(["township_id", "year"])
    assert p.loc[("A", 2025), "served_by"] == "B" and p.loc[("C", 2025), "served_by"] == "B"
    opened = {t for t in ("A", "C") if p.loc[(t, 2026), "station"] == 1}
    assert len(opened) == 1
    (other,) = {"A", "C"} - opened
    assert p.loc[(other, 2026), "served_by"] == "B"
    assert p.loc[(opened.pop(), 2026), "served_by"] == ""
    assert check_plan(sc, result.plan, targets=result.targets) == []


def test_the_checker_refuses_catchments_that_break_the_rules(tmp_path):
    sc = scenario(tmp_path, budget=15)
    plan = optimize(sc, estimate_gap=False, worth=False).plan.copy()
    far = plan.copy()  # C served from A: 45 minutes, beyond the 30
    far["station"] = (far["township_id"] == "A").astype(int)
    far["workers_uncertified"] = far["station"]
    far["served_by"] = far["township_id"].map({"A": "", "B": "A", "C": "A"})
    problems = check_plan(sc, far, budgets=False)
    assert any("45 minutes" in p and "catchment.max_minutes = 30" in p for p in problems)
    over = plan.copy()  # more served hours than the station has
    over.loc[over["township_id"] == "A", "served_hours"] = over["client_hours"]
    over.loc[over["township_id"] == "C", "served_hours"] = over["client_hours"]
    problems = check_plan(sc, over, budgets=False)
    assert any(p.startswith("the station at B has") for p in problems)
    own = plan.copy()  # a township with a station of its own served by another
    own.loc[own["township_id"] == "B", "served_by"] = "A"
    assert any("has its own station" in p for p in check_plan(sc, own, budgets=False))


def test_catchments_without_travel_times_are_an_input_error(tmp_path):
    with pytest.raises(InputError) as err:
        scenario(tmp_path, budget=15, travel=False)
    for lang, words in (("en", "add region.travel"), ("zh", "请填写 region.travel")):
        text = err.value.render(lang)
        assert "catchment.max_minutes" in text and words in text
