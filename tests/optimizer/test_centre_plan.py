"""County guidance centres (centre.mode): a county's open stations need its centre, whose
supervisors' hours cover each station's supervision and referrals.

Four townships in two counties (A, B in 一县; C, D in 二县); a station has exactly one
uncertified worker (10 万元 a year with setup); a centre costs setup 4 + running 2 + 5 per
supervisor (intermediate salary), and one supervisor's 4,000 hours cover one station (2,500
hours of supervision each, referrals on top), so a county with two stations needs two. The
optimizer's plans are checked against enumeration: every set of stations, each county with a
station paying for its centre with the fewest supervisors that cover its stations.
"""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import worked_data, write_small

from model.optimizer.formulation import EPS_COST
from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.workload import available_hours, centre_hours, client_hours, priority_fill, station_hours

ROWS = [
    "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0",
    "B,乙镇,一县,rural,3000,500,200,20,0,0,0,1.0,0.0,0",
    "C,丙镇,二县,rural,4000,700,250,30,0,0,0,1.0,0.0,0",
    "D,丁镇,二县,rural,1000,200,20,2,0,0,0,1.0,0.0,0",
]

CENTRE = {
    "mode": "planned",
    "setup": 4.0,
    "running": 2.0,
    "min_supervisors": 1,
    "max_supervisors": 2,
    "supervision_hours": 2500.0,
    "referral_share": 0.05,
    "referral_hours": 6.0,
    "trainees_per_supervisor": 10,
}


def scenario(tmp_path, budget: float, centre: dict | None = None, years: int = 1, **extra):
    """The two-county region with centres (`centre` on top of CENTRE) and `budget` 万元 a year."""
    data = worked_data(
        budget={2025 + k: budget for k in range(years)},
        horizon={"start": 2025, "years": years},
        staffing={"max_workers": 1, "hours_per_worker": 4000, "stations_per_supervisor": 10},
        workforce={"layoffs": True},
        centre=CENTRE | (centre or {}),
        **extra,
    )
    return write_small(tmp_path, ROWS, data)


def centre_cost(sc, stations: list[int]) -> float | None:
    """What a county's centre costs in a year for its open `stations` (indices): setup (a
    planned centre opens), running and the fewest supervisors that cover their hours; None
    when no number of supervisors within max_supervisors does."""
    c = sc.centre
    if not stations:
        return 0.0
    load = float(centre_hours(sc).iloc[stations].sum())
    need = max(c.min_supervisors, math.ceil(load / sc.staffing.hours_per_worker - 1e-9))
    if need > c.max_supervisors:
        return None
    setup = c.setup if c.mode == "planned" else 0.0
    return setup + c.running + sc.costs.salary.intermediate * need


def enumerate_best(sc, fits=None) -> tuple[set[str], float]:
    """The best one-year plan by enumeration: its stations and objective (priority-weighted
    hours served less EPS_COST per 万元 spent). `fits(total, running)`: whether a year's spend
    (万元, and of it the running costs of stations and centres) can be paid; default within the
    budget."""
    t = sc.townships
    ids = list(t["township_id"].astype(str))
    county = list(t["county"].astype(str))
    hours = client_hours(sc)
    weights = {g: float(sc.groups[g].priority) for g in sc.groups}
    capacity = float(available_hours(sc).iloc[0]) - station_hours(sc)
    c = sc.costs
    per_station = c.station_setup + c.station_running + c.salary.uncertified
    year = sc.years[0]
    if fits is None:

        def fits(total: float, running: float) -> bool:
            return total <= sc.budget[year] + 1e-9

    best: tuple[set[str], float] = (set(), -float("inf"))
    for n in range(len(ids) + 1):
        for combo in itertools.combinations(range(len(ids)), n):
            spend = per_station * n
            running = c.station_running * n
            feasible = True
            for k in dict.fromkeys(county):
                members = [i for i in combo if county[i] == k]
                cost = centre_cost(sc, members)
                if cost is None:
                    feasible = False
                    break
                spend += cost
                running += sc.centre.running if members else 0.0
            if not feasible or not fits(spend, running):
                continue
            value = sum(
                weights[g] * h
                for i in combo
                for g, h in priority_fill(hours.iloc[i].to_dict(), weights, capacity).items()
            )
            objective = value - EPS_COST * spend
            if objective > best[1] + 1e-6:
                best = ({ids[i] for i in combo}, objective)
    return best


@pytest.mark.parametrize("budget", [20, 30, 45, 70])
def test_the_plan_with_centres_is_the_optimum_found_by_enumeration(tmp_path, budget):
    sc = scenario(tmp_path, budget=budget)
    result = optimize(sc, estimate_gap=False, worth=False)
    stations, objective = enumerate_best(sc)
    assert result.solver.objective == pytest.approx(objective, rel=1e-6)
    opened = set(result.plan.loc[result.plan["station"] == 1, "township_id"].astype(str))
    assert opened == stations
    assert check_plan(sc, result.plan, result.targets, centres=result.centres) == []


def test_a_county_with_a_station_has_its_centre_with_enough_supervisors(tmp_path):
    sc = scenario(tmp_path, budget=70)
    result = optimize(sc, estimate_gap=False, worth=False)
    centres = result.centres.set_index("county")
    plan = result.plan.assign(
        county=result.plan["township_id"].map({"A": "一县", "B": "一县", "C": "二县", "D": "二县"})
    )
    for county, rows in plan.groupby("county"):
        n = int(rows["station"].sum())
        assert centres.loc[county, "centre"] == (1 if n else 0)
        assert centres.loc[county, "stations"] == n
        assert centres.loc[county, "capacity_hours"] >= centres.loc[county, "load_hours"]
        if n == 2:  # two stations' 5,000+ hours need both supervisors
            assert centres.loc[county, "supervisors"] == 2
    # supervisors are intermediate workers beyond the stations: in the summary and the targets
    assert result.summary["workers_other"].iloc[0] == centres["supervisors"].sum()
    # with centres, stations need no intermediate worker of their own
    assert result.plan["workers_intermediate"].sum() == 0


def test_an_existing_centre_stays_open_and_needs_no_setup(tmp_path):
    sc = scenario(tmp_path, budget=45, centre={"mode": "existing"}, years=2)
    result = optimize(sc, estimate_gap=False, worth=False)
    assert (result.centres["centre"] == 1).all()
    assert (result.centres["spend_setup"] == 0).all()
    assert (result.centres["supervisors"] >= 1).all()
    assert check_plan(sc, result.plan, result.targets, centres=result.centres) == []


def test_centre_supervisors_count_toward_the_worker_targets(tmp_path):
    sc = scenario(tmp_path, budget=70, targets={"workers_by_grade": {"intermediate": {2025: 2}}})
    result = optimize(sc, estimate_gap=False, worth=False)
    row = result.targets.set_index("target").loc["workers_by_grade.intermediate"]
    assert row["achieved"] == result.centres["supervisors"].sum() >= 2
    assert bool(row["met"])


def test_the_checker_refuses_a_centre_that_cannot_cover_its_stations(tmp_path):
    sc = scenario(tmp_path, budget=70)
    result = optimize(sc, estimate_gap=False, worth=False)
    centres = result.centres.copy()
    busy = centres["stations"] > 0
    assert busy.any()
    centres.loc[busy, "supervisors"] = 0
    problems = check_plan(sc, result.plan, result.targets, centres=centres)
    assert any("supervisor hours" in p for p in problems)
    closed = result.centres.copy()
    closed.loc[busy, "centre"] = 0
    problems = check_plan(sc, result.plan, result.targets, centres=closed)
    assert any("is closed but has" in p for p in problems)
    assert check_plan(sc, result.plan, result.targets) == [
        "the scenario has county centres but the plan has no centres table"
    ]


def test_without_centres_stations_supervise_themselves(tmp_path):
    sc = scenario(tmp_path, budget=70, centre={"mode": "none"})
    result = optimize(sc, estimate_gap=False, worth=False)
    assert result.centres is None
    assert (result.summary["workers_other"] == 0).all()


def two_sources(county_money: float, lottery_money: float):
    """Whether a year's costs can be paid by two sources: the county budget pays anything up to
    `county_money`; the lottery fund pays only running costs (stations' and centres') up to
    `lottery_money`: the lottery's share of the running costs must leave the county enough for
    the rest."""

    def fits(total: float, running: float) -> bool:
        return total - min(lottery_money, running) <= county_money + 1e-9

    return fits


@pytest.mark.parametrize("county_money,lottery_money", [(20, 5), (26, 8), (40, 3), (50, 12)])
def test_two_sources_and_two_levels_give_the_optimum_found_by_enumeration(
    tmp_path, county_money, lottery_money
):
    funding = {
        "county": {"amount": {2025: county_money}},
        "lottery": {"amount": {2025: lottery_money}, "pays": ["running"]},
    }
    sc = scenario(tmp_path, budget=100, funding=funding)
    result = optimize(sc, estimate_gap=False, worth=False)
    stations, objective = enumerate_best(sc, two_sources(county_money, lottery_money))
    assert result.solver.objective == pytest.approx(objective, rel=1e-6)
    opened = set(result.plan.loc[result.plan["station"] == 1, "township_id"].astype(str))
    assert opened == stations
    f = result.funding
    lottery = f[(f["source"] == "lottery") & (f["category"] != "total")]
    assert set(lottery["category"]) <= {"running"}  # never a category it may not pay
    problems = check_plan(
        sc, result.plan, result.targets, centres=result.centres, funding=result.funding
    )
    assert problems == []
    # the checker refuses the lottery paying a centre's salary
    bad = f.copy()
    row = bad.index[(bad["source"] == "lottery") & (bad["category"] == "running")]
    if len(row):
        bad.loc[row[0], "category"] = "salary"
        assert (
            check_plan(sc, result.plan, result.targets, centres=result.centres, funding=bad) != []
        )


def test_a_spent_source_is_a_limit_that_binds_and_is_named(tmp_path):
    from model.output.report import limit_sentences

    funding = {
        "county": {"label": "县级财政", "amount": {2025: 40}},
        "lottery": {"label": "彩票公益金", "amount": {2025: 3}, "pays": ["running"]},
    }
    sc = scenario(tmp_path, budget=100, funding=funding)
    result = optimize(sc, estimate_gap=False, worth=True)
    rows = result.limits[result.limits["limit"] == "funding"].set_index("county")
    assert set(rows.index) == {"县级财政", "彩票公益金"}
    assert bool(rows.loc["彩票公益金", "binds"]) and rows.loc["彩票公益金", "used"] == 3
    assert rows.loc["彩票公益金", "worth_hours_per_unit"] > 0
    words = " ".join(limit_sentences(result.limits, "zh"))
    assert "资金来源用尽" in words and "彩票公益金（3 万元中支出 3 万元）" in words
