"""The independent check of funding.csv (model.plan.funding): earmarks, what a source has, every
cost paid in full, with the costs recomputed from the plan (and the centres' and sectors'
tables)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import worked_data, write_small

from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.plan.funding import available, expected_costs
from model.vocabulary import WORKER_COLUMNS

ROWS = [
    "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0",
    "B,乙镇,一县,rural,1000,200,150,20,1,0,1,1.0,0.0,0",
    "C,丙镇,二县,rural,4000,700,250,30,0,0,0,1.0,0.0,0",
]


def scenario(tmp_path, general: dict | None = None, years: int = 2):
    """Three townships (B has a station with one worker), two sources: `wages` pays salaries in
    二县 only (6 万元 a year), `general` everything (30 a year, or `general`)."""
    span = [2025 + k for k in range(years)]
    data = worked_data(
        budget=dict.fromkeys(span, 1000),
        horizon={"start": 2025, "years": years},
        staffing={"max_workers": 2, "hours_per_worker": 600},
        funding={
            "wages": {
                "amount": dict.fromkeys(span, 6.0),
                "pays": "salary",
                "levels": "station",
                "counties": "二县",
            },
            "general": general or {"amount": dict.fromkeys(span, 30.0)},
        },
    )
    return write_small(tmp_path, ROWS, data)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    sc = scenario(tmp_path_factory.mktemp("funding"))
    return sc, optimize(sc, estimate_gap=False, worth=False)


def problems(sc, result, funding, **tables):
    return check_plan(sc, result.plan, result.targets, funding=funding, **tables)


def test_the_optimizers_funding_passes_the_check(solved):
    sc, result = solved
    assert result.funding is not None
    assert problems(sc, result, result.funding) == []
    f = result.funding
    assert set(f.loc[f["source"] == "wages", "category"]) <= {"salary", "total"}


def test_a_source_paying_a_category_it_may_not_is_refused(solved):
    sc, result = solved
    f = result.funding.copy()
    wages = f.index[(f["source"] == "wages") & (f["category"] == "salary")]
    assert len(wages)
    general = f.index[(f["source"] == "general") & (f["category"] == "running")][0]
    # wages takes over the running cost general paid in the same county and year
    moved = f.loc[general].copy()
    moved["source"] = "wages"
    f = pd.concat([f.drop(general), moved.to_frame().T], ignore_index=True)
    found = problems(sc, result, f)
    assert any("which it may not pay for" in p and "running" in p for p in found)


def test_a_source_outside_its_counties_is_refused(solved):
    sc, result = solved
    f = result.funding.copy()
    row = f.index[(f["source"] == "wages") & (f["category"] == "salary")][0]
    f.loc[row, "county"] = "一县"
    found = problems(sc, result, f)
    assert any("which it may not pay for" in p for p in found)


def test_an_overspent_source_is_refused(solved):
    sc, result = solved
    f = result.funding.copy()
    totals = f[f["category"] == "total"].set_index(["source", "year"])
    # wages pays all of 二县's salaries it can; give it more than its 6 万元
    row = f.index[(f["source"] == "general") & (f["category"] == "salary")]
    extra = f.loc[row[0]].copy()
    extra["source"], extra["county"], extra["used"] = "wages", "二县", 7.0
    f = pd.concat([f, extra.to_frame().T], ignore_index=True)
    found = problems(sc, result, f)
    year = int(extra["year"])
    assert totals.loc[("wages", year), "available"] == pytest.approx(6.0)
    assert any("source wages spends" in p and str(year) in p for p in found)


def test_a_cost_left_unpaid_is_refused(solved):
    sc, result = solved
    f = result.funding
    row = f.index[(f["category"] == "running")][0]
    found = problems(sc, result, f.drop(row))
    assert any("running of level station" in p and "but the sources pay 0.0000" in p for p in found)


def test_carry_over_lets_a_later_year_spend_an_earlier_years_money(tmp_path):
    # general pays every cost of the plan; it has 5 万元 more than them in 2025, 3 less in 2026
    sc = scenario(tmp_path)
    plan = optimize(sc, estimate_gap=False, worth=False).plan
    costs = expected_costs(sc, plan)
    rows = [
        {"source": "general", "year": year, "level": level, "county": county}
        | {"category": category, "used": cost}
        for (level, county, category, year), cost in costs.items()
        if cost > 0
    ]
    table = pd.DataFrame(rows)
    by_year = table.groupby("year")["used"].sum()
    money = [f"funding.general.amount.2025={by_year[2025] + 5}"]
    money.append(f"funding.general.amount.2026={by_year[2026] - 3}")
    lost = sc.with_overrides(money)
    refused = check_plan(lost, plan, funding=table)
    assert len(refused) == 1 and "source general spends" in refused[0] and "2026" in refused[0]
    kept = lost.with_overrides(["funding.general.carry_over=true"])
    assert check_plan(kept, plan, funding=table) == []


def test_money_per_station_grows_with_the_stations(tmp_path):
    general = {"amount": {2025: 4.0, 2026: 4.0}, "per_station": 2.0, "per_new_station": 5.0}
    sc = scenario(tmp_path, general)
    plan = optimize(sc, estimate_gap=False, worth=False).plan
    have = available(sc, plan)
    opened = plan[plan["station"] == 1].groupby("year").size()
    first = int(opened.get(2025, 0))
    new = first - 1  # B's station exists
    assert have["general", 2025] == pytest.approx(4.0 + 2.0 * first + 5.0 * new)
    more = plan.assign(station=1)
    assert available(sc, more)["general", 2025] == pytest.approx(4.0 + 2.0 * 3 + 5.0 * 2)
    half = sc.with_overrides(["funding.general.scale=0.5"])
    assert available(half, more)["general", 2025] == pytest.approx(0.5 * (4.0 + 6.0 + 10.0))


def test_centre_and_sector_costs_are_checked_when_their_tables_are_given(solved):
    sc, result = solved
    sc = sc.with_overrides(["funding.general.amount.2025=100"])  # money for the others too
    nobody = dict.fromkeys(WORKER_COLUMNS, [0])  # tables of other levels have worker columns
    centres = pd.DataFrame(
        {"year": [2025], "county": ["一县"], "spend_setup": [0.0], "spend_running": [4.0]} | nobody
    )
    sectors = pd.DataFrame({"year": [2025], "sector": ["elderly"], "spend_salary": [3.0]} | nobody)
    f = result.funding[result.funding["category"] != "total"]  # the totals claim 30 万元
    found = problems(sc, result, f, centres=centres, sectors=sectors)
    assert any("running of level centre in county 一县 in 2025 costs 4.0000" in p for p in found)
    assert any("salary of level sector in sector posts in 2025 costs 3.0000" in p for p in found)
    paid = pd.DataFrame(
        [
            {"source": "general", "year": 2025, "level": "centre", "county": "一县"}
            | {"category": "running", "used": 4.0},
            {"source": "general", "year": 2025, "level": "sector", "county": ""}
            | {"category": "salary", "used": 3.0},
        ]
    )
    both = pd.concat([f, paid], ignore_index=True)
    assert problems(sc, result, both, centres=centres, sectors=sectors) == []
    wages = paid.assign(source="wages")  # salary of sector posts: wages has counties
    found = problems(sc, result, pd.concat([f, wages], ignore_index=True), sectors=sectors)
    assert any("of sector posts" in p and "may not pay" in p for p in found)
