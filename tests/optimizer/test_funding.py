"""Funding sources with earmarks (scenario section funding): the optimizer against enumeration.

Three townships in two counties (A, B in 一县, C in 二县), no stations today. A station has one
or two uncertified workers (setup 5, running 2, salary 3 a worker, 万元). Two sources: `wages`
pays only salaries and only in 二县; `general` pays everything, with less money. The budget is
large: the sources bind. Every plan (no station, one or two workers, per township and year) is
enumerated; a plan is feasible when a small LP finds flows from the sources to its costs (each
cost paid in full by sources that may pay it, each source-year within what it has, with
carry-over where allowed); the best feasible plan's objective (priority-weighted hours less
EPS_COST per 万元) must be the optimizer's.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import small_data, worked_data, write_small
from scipy.optimize import linprog
from test_relax_and_fix import synthetic

from model import InputError
from model.optimizer.formulation import EPS_COST, build
from model.optimizer.optimize import optimize
from model.optimizer.solve import RELAX_AND_FIX
from model.plan.check import check_plan
from model.workload import available_hours, client_hours, priority_fill, station_hours

ROWS = [
    "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0",
    "B,乙镇,一县,rural,1000,200,150,20,0,0,0,1.0,0.0,0",
    "C,丙镇,二县,rural,4000,700,250,30,0,0,0,1.0,0.0,0",
]
CATEGORIES = ("setup", "running", "salary")


def scenario(tmp_path, funding: dict, years: int = 1, **extra):
    """The three townships with `funding`, `years` years from 2025, budget 1000 万元 a year."""
    data = worked_data(
        budget={2025 + k: 1000 for k in range(years)},
        horizon={"start": 2025, "years": years},
        staffing={"max_workers": 2, "hours_per_worker": 600},
        funding=funding,
        **extra,
    )
    return write_small(tmp_path, ROWS, data)


def two_sources(
    wages: float = 4.0, general: float = 12.0, carry: bool = False, years: int = 1
) -> dict:
    """`wages` (salaries in 二县 only) and `general` (everything), 万元 a year."""
    return {
        "wages": {
            "label": "工资专项",
            "amount": {2025 + k: wages for k in range(years)},
            "pays": ["salary"],
            "levels": ["station"],
            "counties": ["二县"],
        },
        "general": {
            "label": "一般预算",
            "amount": {2025 + k: general for k in range(years)},
            "carry_over": carry,
        },
    }


def fundable(sc, cells: dict[tuple[str, int], dict[str, float]], stations: dict) -> bool:
    """Whether the sources can pay `cells` ((county, year) -> category -> 万元): a feasibility LP
    over flows (source, county, category, year) and carry-overs (source, year)."""
    names = list(sc.funding)
    flows = [
        (s, c, k, t)
        for (c, t), items in cells.items()
        for k, v in items.items()
        if v > 1e-9
        for s in names
        if k in sc.funding[s].pays and (not sc.funding[s].counties or c in sc.funding[s].counties)
    ]
    carries = [(s, t) for s in names for t in sc.years if sc.funding[s].carry_over]
    n = len(flows) + len(carries)
    a_eq, b_eq = [], []
    for (c, t), items in cells.items():
        for k, v in items.items():
            if v <= 1e-9:
                continue
            row = np.zeros(n)
            for j, f in enumerate(flows):
                if f[1:] == (c, k, t):
                    row[j] = 1
            a_eq.append(row)
            b_eq.append(v)
    a_ub, b_ub = [], []
    for s in names:
        src = sc.funding[s]
        for y, t in enumerate(sc.years):
            row = np.zeros(n)
            for j, f in enumerate(flows):
                if f[0] == s and f[3] == t:
                    row[j] = 1
            if (s, t) in carries:
                row[len(flows) + carries.index((s, t))] = 1
            if y > 0 and (s, sc.years[y - 1]) in carries:
                row[len(flows) + carries.index((s, sc.years[y - 1]))] = -1
            mine = [c for c in stations if not src.counties or c in src.counties]
            have = src.amount.get(t, 0.0)
            have += src.per_station * sum(stations[c][t][0] for c in mine)
            have += src.per_new_station * sum(stations[c][t][1] for c in mine)
            a_ub.append(row)
            b_ub.append(src.scale * have)
    if any(not row.any() and b > 1e-9 for row, b in zip(a_eq, b_eq, strict=True)):
        return False
    if n == 0:
        return all(b >= -1e-9 for b in b_ub)
    res = linprog(
        np.zeros(n),
        A_ub=np.array(a_ub) if a_ub else None,
        b_ub=b_ub or None,
        A_eq=np.array(a_eq) if a_eq else None,
        b_eq=b_eq or None,
        bounds=[(0, None)] * n,
        method="highs",
    )
    return bool(res.status == 0)


def enumerate_best(sc) -> float:
    """The best objective over every plan whose costs the sources can pay."""
    t = sc.townships
    hours = client_hours(sc)
    weights = {g: float(sc.groups[g].priority) for g in sc.groups}
    avail, fixed = available_hours(sc).to_numpy(), station_hours(sc)
    c = sc.costs
    n, years = len(t), sc.years
    county = list(t["county"])
    need = [hours.iloc[i].to_dict() for i in range(n)]
    value = {
        (i, k): sum(
            weights[g] * h for g, h in priority_fill(need[i], weights, k * avail[i] - fixed).items()
        )
        for i in range(n)
        for k in (1, 2)
    }
    best = -float("inf")
    for combo in itertools.product((0, 1, 2), repeat=n * len(years)):
        plan = [combo[i * len(years) : (i + 1) * len(years)] for i in range(n)]
        if any(p[y] == 0 and p[y - 1] > 0 for p in plan for y in range(1, len(years))):
            continue  # a station stays open
        cells: dict[tuple[str, int], dict[str, float]] = {}
        stations: dict[str, dict[int, list[int]]] = {k: {y: [0, 0] for y in years} for k in county}
        got = spend = 0.0
        for i in range(n):
            for y, year in enumerate(years):
                k = plan[i][y]
                if not k:
                    continue
                new = y == 0 or plan[i][y - 1] == 0
                items = cells.setdefault((county[i], year), dict.fromkeys(CATEGORIES, 0.0))
                items["setup"] += c.station_setup * new
                items["running"] += c.station_running
                items["salary"] += c.salary.uncertified * k
                stations[county[i]][year][0] += 1
                stations[county[i]][year][1] += new
                got += value[i, k]
                spend += c.station_setup * new + c.station_running + c.salary.uncertified * k
        objective = got - EPS_COST * spend
        if objective > best + 1e-9 and fundable(sc, cells, stations):
            best = objective
    return best


def objective_value(result) -> float:
    return result.solver.service_weighted_hours - EPS_COST * result.solver.spend_total


def solve(sc):
    result = optimize(sc, estimate_gap=False, worth=False)
    assert check_plan(sc, result.plan, result.targets, funding=result.funding) == []
    return result


@pytest.mark.parametrize(
    ("wages", "general", "years"),
    [(4.0, 12.0, 1), (0.0, 12.0, 1), (7.0, 14.0, 1), (4.0, 10.0, 2)],
)
def test_the_plan_with_two_sources_is_the_optimum_found_by_enumeration(
    tmp_path, wages, general, years
):
    sc = scenario(tmp_path, two_sources(wages, general, years=years), years=years)
    result = solve(sc)
    assert objective_value(result) == pytest.approx(enumerate_best(sc), abs=1e-3)


def test_without_the_earmarked_source_fewer_stations_open(tmp_path):
    sc = scenario(tmp_path, two_sources(7.0, 12.0))
    with_wages = solve(sc)
    (tmp_path / "none").mkdir()
    sc0 = scenario(tmp_path / "none", two_sources(0.0, 12.0))
    without = solve(sc0)
    assert objective_value(with_wages) > objective_value(without)
    f = with_wages.funding
    wages = f[(f["source"] == "wages") & (f["category"] != "total")]
    assert set(wages["category"]) == {"salary"} and set(wages["county"]) == {"二县"}
    assert with_wages.plan.set_index("township_id").loc["C", "station"] == 1


def test_the_funding_table_has_a_total_row_per_source_and_year(tmp_path):
    sc = scenario(tmp_path, two_sources(4.0, 10.0, years=2), years=2)
    f = solve(sc).funding
    totals = f[f["category"] == "total"]
    assert len(totals) == 4
    assert set(zip(totals["source"], totals["year"])) == {
        (s, y) for s in ("wages", "general") for y in (2025, 2026)
    }
    for r in totals.itertuples():
        paid = f[(f["source"] == r.source) & (f["year"] == r.year) & (f["category"] != "total")]
        assert r.used == pytest.approx(paid["used"].sum(), abs=1e-3)
        assert r.unused == pytest.approx(r.available + r.carried_in - r.used - r.carried_out)
    assert (f.loc[f["category"] != "total", "used"] > 0).all()


def test_carry_over_lets_a_later_year_spend_an_earlier_years_money(tmp_path):
    # 8 万元 a year; a station worth having (two workers) costs 13 in its first year. Without
    # carry-over no year has enough and nothing opens; with it, 2025's 8 wait for 2026: 16
    funding = {"general": {"amount": {2025: 8.0, 2026: 8.0}, "carry_over": False}}
    lost = solve(scenario(tmp_path, funding, years=2))
    assert lost.plan["station"].sum() == 0
    (tmp_path / "carry").mkdir()
    funding["general"]["carry_over"] = True
    sc = scenario(tmp_path / "carry", funding, years=2)
    kept = solve(sc)
    assert objective_value(kept) > objective_value(lost) + 1e-6
    assert objective_value(kept) == pytest.approx(enumerate_best(sc), abs=1e-3)
    f = kept.funding.set_index(["source", "year", "category"])
    assert f.loc[("general", 2026, "total"), "used"] == pytest.approx(13.0)
    assert f.loc[("general", 2025, "total"), "carried_out"] == pytest.approx(8.0)
    assert f.loc[("general", 2026, "total"), "carried_in"] == pytest.approx(8.0)
    assert f.loc[("general", 2026, "total"), "unused"] == pytest.approx(3.0)


def test_per_station_money_grows_with_the_stations(tmp_path):
    # 4 万元 per open station and 9 per new one: a station with two workers (13 in its first
    # year) pays for itself with no amount; the plan opens every station that adds service
    funding = {"transfer": {"amount": {2025: 0.0}, "per_station": 4.0, "per_new_station": 9.0}}
    sc = scenario(tmp_path, funding)
    result = solve(sc)
    stations = int(result.plan["station"].sum())
    assert stations >= 1
    totals = result.funding[result.funding["category"] == "total"].set_index("source")
    assert stations == 3
    assert totals.loc["transfer", "available"] == pytest.approx(13.0 * stations)
    assert objective_value(result) == pytest.approx(enumerate_best(sc), abs=1e-3)


def test_scale_halves_a_source(tmp_path):
    sc = scenario(tmp_path, two_sources(4.0, 20.0))
    half = sc.with_overrides(["funding.general.scale=0.5"])
    assert half.funding["general"].scale == 0.5
    assert half.funding["wages"].scale == 1.0
    result = solve(half)
    totals = result.funding[result.funding["category"] == "total"].set_index("source")
    assert totals.loc["general", "available"] == pytest.approx(10.0)
    assert totals.loc["general", "used"] <= 10.0 + 1e-6
    assert objective_value(result) == pytest.approx(enumerate_best(half), abs=1e-3)
    assert objective_value(result) < objective_value(solve(sc)) - 1e-6


def test_a_cost_no_source_may_pay_is_forbidden_and_impossible_costs_get_no_flows(tmp_path):
    # no source pays training: its cells are rows "= 0"; severance (no lay-offs) and moves
    # (free) cannot arise: no flows, no rows
    funding = {"general": {"amount": {2025: 30.0}, "pays": ["setup", "running", "salary"]}}
    sc = scenario(tmp_path, funding)
    model = build(sc)
    rows = {row.name for row in model.prob.constraints()}
    assert {"forbid_station_training_c0_2025", "forbid_station_training_c1_2025"} <= rows
    assert "pay_station_salary_c1_2025" in rows and "fund_general_2025" in rows
    assert {k[2] for k in model.funding} == {"setup", "running", "salary"}
    assert not any("severance" in r or "moves" in r for r in rows)


def test_a_source_too_small_for_the_stations_in_post_is_named(tmp_path):
    # C has a station with one worker today: its running and salary (5 万元) need a source
    rows = [*ROWS[:2], "C,丙镇,二县,rural,4000,700,250,30,1,0,1,1.0,0.0,0"]
    funding = {
        "wages": {"amount": {2025: 1.0}, "pays": "salary", "levels": "station"},
        "general": {"amount": {2025: 2.0}, "pays": ["setup", "running"]},
    }
    data = small_data(
        staffing={
            "min_workers": 1,
            "min_certified": 0,
            "max_workers": 2,
            "stations_per_supervisor": 0,
        },
        workforce={"layoffs": False, "attrition": 0.0},
        groups={"dibao": {"case_rate": 0.1}},
        funding=funding,
    )
    sc = write_small(tmp_path, rows, data)
    with pytest.raises(InputError) as info:
        optimize(sc, estimate_gap=False, worth=False)
    assert "funding.wages.amount.2025" in str(info.value)
    assert "2.00" in str(info.value)  # salary 3, wages has 1


@pytest.mark.slow
def test_relax_and_fix_plans_with_sources_and_the_checker_agrees(tmp_path):
    # 260 townships × 2 years: relax and fix (RELAX_AND_FIX township-years); the flows are
    # continuous, owned by no township, free in every fixed MILP
    sc = synthetic(tmp_path, 260, 2)
    assert len(sc.townships) * len(sc.years) >= RELAX_AND_FIX
    counties = list(dict.fromkeys(sc.townships["county"]))[:3]
    budget = {year: float(money) for year, money in sc.budget.items()}
    sc = sc.with_overrides(
        {
            "funding": {
                "transfer": {
                    "amount": dict.fromkeys(budget, 0.0),
                    "per_station": 6.0,
                    "pays": ["salary"],
                    "counties": counties,
                },
                "general": {
                    "amount": {year: 0.9 * money for year, money in budget.items()},
                    "carry_over": True,
                },
            },
            "solver.time_limit_s": 60,
        }
    )
    result = optimize(sc, estimate_gap=False, worth=False)
    assert result.solver.method == "relax and fix"
    assert check_plan(sc, result.plan, result.targets, funding=result.funding) == []
    f = result.funding
    transfer = f[(f["source"] == "transfer") & (f["category"] != "total")]
    assert len(transfer) and set(transfer["county"]) <= set(counties)
