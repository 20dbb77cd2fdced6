"""A plan's tables: targets achieved, the independent checker, plan.csv read back."""

from __future__ import annotations

import pytest

from model import InputError, check_plan, load_scenario, optimize, read_plan, shipped_scenario
from model.plan.targets import required_targets, targets_table


@pytest.fixture(scope="module")
def yanji():
    sc = load_scenario(shipped_scenario("yanji"))
    return sc, optimize(sc, estimate_gap=False)


def test_targets_table_counts_by_hand(yanji):
    sc, result = yanji
    last = sc.years[-1]
    plan = result.plan[result.plan["year"] == last]
    table = targets_table(sc, result.plan, result.service).set_index(["target", "year"])
    if ("coverage", last) in table.index:
        assert table.loc[("coverage", last), "achieved"] == pytest.approx(plan["station"].mean())
    assert len(table) == len(required_targets(sc))


def test_checker_passes_the_plan_and_catches_a_broken_one(yanji):
    sc, result = yanji
    assert check_plan(sc, result.plan, result.targets) == []
    broken = result.plan.copy()
    open_row = broken.index[broken["station"] == 1][0]
    broken.loc[open_row, ["workers_uncertified", "workers_junior", "workers_intermediate"]] = 0
    assert check_plan(sc, broken, result.targets)  # an open station with no one in it
    spendthrift = result.plan.copy()
    spendthrift.loc[open_row, "workers_junior"] += 50
    assert check_plan(sc, spendthrift, result.targets)  # over the staffing limit and budget


def test_plan_csv_reads_back(yanji, tmp_path):
    sc, result = yanji
    path = tmp_path / "plan.csv"
    result.plan.to_csv(path, index=False, encoding="utf-8-sig")
    back = read_plan(path, sc)
    assert back[["township_id", "year", "station"]].equals(
        result.plan[["township_id", "year", "station"]]
    )
    result.plan.iloc[1:].to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError, match="no row for township"):
        read_plan(path, sc)
