"""What binds and what one more unit is worth (model.optimizer.limits): exact slack, worth equal
to the difference of two solves, worth 0 where a limit does not bind, the sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import small_data, write_small

from model.optimizer.inputs import Inputs
from model.optimizer.limits import COLUMNS, budget_step, what_binds
from model.optimizer.optimize import optimize
from model.output.report import limit_sentences

ONE_COUNTY = [  # C's worker in post is uncertified: no lay-off or move is worth a plan's while
    "A,甲镇,一县,rural,3000,600,300,40,0,0,0,1.0,0.1,0",
    "B,乙镇,一县,rural,2000,500,200,60,0,0,0,1.2,0.2,0",
    "C,丙街道,一县,urban,5000,700,100,10,1,0,1,1.0,0.0,0",
]
TWO_COUNTIES = [  # 一县: two townships of great need; 二县: one station whose need is small
    "A,甲镇,一县,rural,3000,600,300,40,1,1,0,1.0,0.1,0",
    "B,乙镇,一县,rural,2000,500,200,60,1,1,0,1.2,0.2,0",
    "C,丙街道,二县,urban,5000,700,10,1,1,1,0,1.0,0.0,0",
]


def region(tmp_path, rows: list[str], **overrides) -> object:
    """A small scenario (two groups, one year, exact solves) with these townships."""
    data = small_data(
        staffing={
            "min_workers": 1,
            "min_certified": 0,
            "max_workers": 3,
            "hours_per_worker": 1000,
            "stations_per_supervisor": 0,  # no supervision rule: budgets and pools alone
        },
        groups={
            "dibao": {"case_rate": 0.1, "sessions": 2, "session_hours": 2.0, "priority": 1},
            "tekun": {"case_rate": 0.5, "sessions": 4, "session_hours": 1.5, "priority": 3},
        },
        workforce={
            "attrition": 0.0,
            "hiring_lag_days": 0,
            "exam_pass_rate": 0.0,
            "hiring_pool_per_county": 10,
        },
        fairness={"alpha": 0.0},  # the plans worked out here count hours as hours
    )
    data.update(overrides)
    return write_small(tmp_path, rows, data)


def served(result) -> float:
    return float(result.plan["served_hours"].sum())


def row(limits: pd.DataFrame, limit: str, year=None, county: str = "") -> pd.Series:
    years = limits["year"].isna() if year is None else limits["year"] == year
    found = limits[years & (limits["limit"] == limit) & (limits["county"] == county)]
    assert len(found) == 1, (limit, year, county)
    return found.iloc[0]


def test_the_budget_binds_and_one_step_more_is_worth_the_difference_of_two_solves(tmp_path):
    sc = region(tmp_path, ONE_COUNTY, budget={2025: 16})
    result = optimize(sc)
    limits = result.limits
    assert list(limits.columns) == COLUMNS
    money = row(limits, "budget", 2025)
    assert money["binds"] and money["used"] == pytest.approx(15.0)
    assert money["method"] == "re-solve" and money["unit"] == "万元"
    step = budget_step(sc, Inputs.from_scenario(sc), 16.0)
    assert step == pytest.approx(3.0)  # 1% of 16 buys no worker: the cheapest worker-year
    more = optimize(sc.with_overrides({"budget.2025": 16.0 + step}), estimate_gap=False)
    assert money["worth_hours_per_unit"] > 0
    gained = served(more) - served(result)  # the plan's hours are rounded to 0.001 a row
    assert money["worth_hours_per_unit"] * step == pytest.approx(gained, abs=0.01)
    gain = more.solver.objective - result.solver.objective
    assert money["worth_objective_per_unit"] * step == pytest.approx(gain, abs=1e-3)
    assert what_binds(limits) == "budget 1/1 years"
    assert what_binds(limits, {2025: 40.0}) == "nothing binds"  # a richer level, same plan


def test_the_pool_binds_where_money_does_not_and_more_money_buys_nothing(tmp_path):
    sc = region(tmp_path, TWO_COUNTIES, budget={2025: 100})
    sc = sc.with_overrides({"workforce.hiring_pool_per_county": 2})
    result = optimize(sc)
    limits = result.limits
    money = row(limits, "budget", 2025)
    assert not money["binds"] and money["used"] < 100
    one, two = row(limits, "hiring_pool", None, "一县"), row(limits, "hiring_pool", None, "二县")
    assert one["binds"] and one["used"] == pytest.approx(2.0) and one["available"] == 2.0
    assert one["method"] == "re-solve" and one["worth_hours_per_unit"] > 0
    more = optimize(sc.with_overrides({"workforce.hiring_pool_per_county": 3}), estimate_gap=False)
    assert one["worth_hours_per_unit"] == pytest.approx(served(more) - served(result), abs=0.01)
    assert not two["binds"]
    richer = optimize(sc.with_overrides({"budget.2025": 200}), estimate_gap=False)
    assert served(richer) == pytest.approx(served(result))  # what "buys nothing" says
    assert what_binds(limits) == "hiring pool 1/2 counties"


def test_a_limit_that_does_not_bind_is_worth_nothing(tmp_path):
    sc = region(tmp_path, TWO_COUNTIES, budget={2025: 100})
    limits = optimize(sc.with_overrides({"workforce.hiring_pool_per_county": 2})).limits
    loose = limits[~limits["binds"].astype(bool)]
    assert {"budget", "hiring_pool", "max_workers", "exam_pass_rate"} <= set(loose["limit"])
    assert (loose["worth_hours_per_unit"] == 0).all()
    assert (loose["worth_objective_per_unit"] == 0).all()
    assert (loose["method"] == "slack").all()
    cpool = limits[limits["limit"] == "certified_pool"]
    assert cpool["county"].nunique() == 2 and not cpool["binds"].astype(bool).any()


def test_a_limit_whose_rows_the_model_lacks_is_skipped(tmp_path):
    sc = region(tmp_path, ONE_COUNTY, budget={2025: 16})
    limits = optimize(sc, budgets=False, estimate_gap=False).limits
    assert "budget" not in set(limits["limit"])
    assert limits["method"].isin(["slack", ""]).all()  # binds only: no worth asked for


def test_the_staffing_limit_is_worth_the_difference_of_two_solves(tmp_path):
    sc = region(tmp_path, ONE_COUNTY, budget={2025: 100})
    sc = sc.with_overrides({"staffing.max_workers": 1})
    result = optimize(sc)
    most = row(result.limits, "max_workers")
    assert most["binds"] and most["method"] == "re-solve"
    assert row(result.limits, "max_workers", 2025)["used"] == 3  # all three stations at 1
    more = optimize(sc.with_overrides({"staffing.max_workers": 2}), estimate_gap=False)
    assert most["worth_hours_per_unit"] > 0
    assert most["worth_hours_per_unit"] == pytest.approx(served(more) - served(result), abs=0.01)


def test_large_models_get_the_relaxations_duals(tmp_path, monkeypatch):
    monkeypatch.setattr("model.optimizer.optimize.SECOND_SOLVE", 0)
    sc = region(tmp_path, TWO_COUNTIES, budget={2025: 100})
    limits = optimize(sc.with_overrides({"workforce.hiring_pool_per_county": 2})).limits
    binding = limits[limits["binds"].astype(bool)]
    assert set(binding["method"]) == {"LP dual"}
    one = row(limits, "hiring_pool", None, "一县")
    assert one["worth_objective_per_unit"] > 0 and np.isfinite(one["worth_hours_per_unit"])


def test_the_sentences_name_the_county_where_one_more_hire_serves_most(tmp_path):
    sc = region(tmp_path, TWO_COUNTIES, budget={2025: 100})
    limits = optimize(sc.with_overrides({"workforce.hiring_pool_per_county": 2})).limits
    used = row(limits, "budget", 2025)["used"]
    en = limit_sentences(limits, "en")
    assert en[0] == (
        f"2025: the hiring pool binds in 1 of 2 counties; money beyond {used:,.0f} 万元 (of 100) "
        "buys nothing until hiring grows."
    )
    hire = next(s for s in en if s.startswith("One more hire a year"))
    assert "in 一县 would serve" in hire and "二县" not in hire and "1 of 2 counties" in hire
    zh = limit_sentences(limits, "zh")
    assert zh[0].startswith("2025年：2 个县中有 1 个县的招聘人数达到上限")
    assert any(s.startswith("一县每年多招 1 人") for s in zh)
    # the same sentences from limits.csv as the report reads it
    path = tmp_path / "limits.csv"
    limits.to_csv(path, index=False, encoding="utf-8-sig")
    assert limit_sentences(pd.read_csv(path, encoding="utf-8-sig"), "en") == en


def test_the_report_starts_with_what_binds(tmp_path):
    from model.output.run import run_scenario

    sc = region(tmp_path, TWO_COUNTIES, budget={2025: 100})
    sc = sc.with_overrides({"workforce.hiring_pool_per_county": 2})
    run = run_scenario(sc, tmp_path / "out", command="test", stages=("optimize",), progress=False)
    limits = pd.read_csv(run.folder / "limits.csv", encoding="utf-8-sig")
    assert list(limits.columns) == COLUMNS
    page = (run.folder / "report.html").read_text(encoding="utf-8")
    first = limit_sentences(limits, "zh")[0]
    assert first in page and page.index(first) < page.index("关键数字")


def test_a_sweep_says_what_binds_at_each_level(tmp_path):
    from model.executor import open_executor
    from model.experiments.sweep import budget_levels, sweep

    sc = region(tmp_path, ONE_COUNTY, budget={2025: 16})
    with open_executor("serial") as ex:
        result = sweep(sc, budget_levels(sc, factors=[1.0, 10.0]), ex, least=False, progress=False)
    binds = result.frontier["what_binds"].tolist()
    assert binds[0] == "budget 1/1 years"
    assert binds[1] == "nothing binds"  # all need served: money to spare, no limit holds it
