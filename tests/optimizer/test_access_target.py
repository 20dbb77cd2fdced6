"""targets.access: share of the population within access.minutes of an open station, per year.

Three townships on a road, A — B — C, 20 minutes apart (A–C 45): within 30 minutes, a station in
B reaches everyone, one in A reaches A and B, one in C reaches B and C. A has the most work, so
a plan without the target puts its one station there; with the target the station goes to B.
"""

from __future__ import annotations

import itertools

import pytest
from conftest import worked_data, write_small

from model import InputError
from model.optimizer.formulation import EPS_COST
from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.plan.targets import in_planner_units
from model.workload import available_hours, client_hours, priority_fill, station_hours

ROWS = [
    "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0",
    "B,乙镇,一县,rural,1000,200,20,2,0,0,0,1.0,0.0,0",
    "C,丙镇,一县,rural,4000,700,250,30,0,0,0,1.0,0.0,0",
]
TRAVEL = "from,to,minutes\nA,B,20\nB,C,20\nA,C,45\n"
POPULATION = {"A": 5000, "B": 1000, "C": 4000}
REACH = {"A": {"A", "B"}, "B": {"A", "B", "C"}, "C": {"B", "C"}}
"""Townships within 30 minutes of a station in each township."""


def scenario(
    tmp_path, budget: float, access: dict | None = None, travel: bool = True, minutes: float = 30
):
    """The A — B — C region for one year (2025): a station has exactly one worker (10 万元 a
    year with setup, uncertified), `budget` 万元, targets.access `access`."""
    data = worked_data(
        budget={2025: budget},
        staffing={"max_workers": 1, "hours_per_worker": 1700},
        workforce={"layoffs": True},
        access={"minutes": minutes},
        targets={"access": access or {}},
    )
    if travel:
        (tmp_path / "travel.csv").write_text(TRAVEL, encoding="utf-8")
        data["region"] = {"townships": "t.csv", "travel": "travel.csv"}
    return write_small(tmp_path, ROWS, data)


def share(stations: set[str]) -> float:
    reached = set().union(*(REACH[s] for s in stations)) if stations else set()
    return sum(POPULATION[t] for t in reached) / sum(POPULATION.values())


def enumerate_best(sc, required: float | None) -> tuple[set[str], float]:
    """The best station set by enumeration (a station: one uncertified worker, the cheapest
    grade): most priority-weighted hours less EPS_COST per 万元 within the budget, among the sets
    whose access share reaches `required`."""
    ids = list(sc.townships["township_id"])
    hours = client_hours(sc)
    weights = {g: float(sc.groups[g].priority) for g in sc.groups}
    avail, fixed = available_hours(sc).to_numpy(), station_hours(sc)
    c = sc.costs
    cost = c.station_setup + c.station_running + c.salary.uncertified
    best: tuple[set[str], float] = (set(), -float("inf"))
    for n in range(len(ids) + 1):
        for combo in itertools.combinations(range(len(ids)), n):
            stations = {ids[i] for i in combo}
            spend = cost * n
            if spend > sc.budget[2025] + 1e-9:
                continue
            if required is not None and share(stations) < required - 1e-9:
                continue
            value = sum(
                weights[g] * h
                for i in combo
                for g, h in priority_fill(
                    hours.iloc[i].to_dict(), weights, avail[i] - fixed
                ).items()
            )
            objective = value - EPS_COST * spend
            if objective > best[1] + 1e-9:
                best = (stations, objective)
    return best


def stations_of(result) -> set[str]:
    p = result.plan
    return set(p.loc[p["station"] == 1, "township_id"].astype(str))


def test_without_the_target_the_one_station_goes_to_the_busiest_township(tmp_path):
    sc = scenario(tmp_path, budget=15)
    assert stations_of(optimize(sc, estimate_gap=False)) == {"A"}
    assert enumerate_best(sc, None)[0] == {"A"}


@pytest.mark.parametrize("budget", [15, 25, 35])
def test_the_access_target_is_met_at_the_optimum_found_by_enumeration(tmp_path, budget):
    sc = scenario(tmp_path, budget=budget, access={2025: 1.0})
    result = optimize(sc, estimate_gap=False)
    stations, objective = enumerate_best(sc, 1.0)
    assert stations_of(result) == stations
    assert result.solver.objective == pytest.approx(objective, rel=1e-6)
    if budget == 15:
        assert stations == {"B"}  # the central township, which the plain objective passes over
    row = result.targets.set_index("target").loc["access"]
    assert row["met"] and row["achieved"] == pytest.approx(1.0)
    assert row["unit"] == "share of population within access.minutes"
    assert check_plan(sc, result.plan, targets=result.targets) == []


def test_an_access_target_the_budget_cannot_meet_is_missed_by_the_least(tmp_path):
    # 0.95 needs B (only B reaches more than 90%); a budget of 5 opens nothing
    sc = scenario(tmp_path, budget=5, access={2025: 0.95})
    result = optimize(sc, estimate_gap=False)
    row = result.targets.set_index("target").loc["access"]
    assert not row["met"] and row["achieved"] == 0
    assert in_planner_units("access", 0.95, 0.0, sc) == (pytest.approx(95.0), "share points")


def test_the_checker_catches_a_plan_that_misses_the_access_target(tmp_path):
    sc = scenario(tmp_path, budget=15, access={2025: 1.0})
    result = optimize(sc, estimate_gap=False)
    plan = result.plan.copy()
    in_a = (plan["township_id"].astype(str) == "A").astype(int)
    plan["station"] = in_a  # the station in A instead of B: A's 30 minutes miss C
    plan["workers_uncertified"], plan["workers_junior"], plan["workers_intermediate"] = in_a, 0, 0
    problems = check_plan(sc, plan, targets=result.targets, budgets=False)
    access = [p for p in problems if p.startswith("target access 2025")]
    assert any("recomputed 0.6" in p for p in access)
    assert any("recomputed met=False" in p for p in access)


def test_an_access_target_without_travel_times_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as err:
        scenario(tmp_path, budget=15, access={2025: 0.8}, travel=False)
    for lang, words in (("en", "add region.travel"), ("zh", "请填写 region.travel")):
        text = err.value.render(lang)
        assert "targets.access" in text and words in text


def test_access_minutes_must_be_positive(tmp_path):
    with pytest.raises(InputError) as err:
        scenario(tmp_path, budget=15, minutes=0)
    assert "access.minutes" in str(err.value)
