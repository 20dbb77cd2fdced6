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


def test_checker_catches_lay_offs_a_certified_pool_overrun_and_missing_supervisors(yanji):
    sc, result = yanji
    last = result.plan["year"] == sc.years[-1]
    assert not sc.workforce.layoffs and sc.staffing.stations_per_supervisor > 0
    # every junior of the last year replaced by an uncertified worker: the juniors in post are
    # laid off (workforce.layoffs is false)
    swapped = result.plan.copy()
    swapped.loc[last, "workers_uncertified"] += swapped.loc[last, "workers_junior"]
    swapped.loc[last, "workers_junior"] = 0
    assert any("lays off" in p and "junior" in p for p in check_plan(sc, swapped))
    # the first year's certified hires (every certified worker: Yanji starts with none)
    first = result.plan[result.plan["year"] == sc.years[0]]
    hired = int(first[["workers_junior", "workers_intermediate"]].sum().sum())
    smaller = sc.with_overrides({"workforce.certified_pool_per_county": hired - 1})
    assert any("certified pool" in p for p in check_plan(smaller, result.plan))
    # intermediates turned into juniors: no supervisor for the county's stations
    unsupervised = result.plan.copy()
    unsupervised["workers_junior"] += unsupervised["workers_intermediate"]
    unsupervised["workers_intermediate"] = 0
    assert any("supervisors" in p for p in check_plan(sc, unsupervised))


def test_staff_changes_say_where_workers_went(yanji):
    from model.plan.changes import staff_changes
    from model.plan.check import township_moves

    sc, result = yanji
    plan = result.plan.copy()
    last = plan["year"] == sc.years[-1]
    # the last year: the first township's workers moved to the second (totals kept)
    rows = plan.index[last & (plan["station"] == 1)][:2]
    grade = "workers_junior" if plan.loc[rows[0], "workers_junior"] > 0 else "workers_uncertified"
    plan.loc[rows[0], grade] -= 1
    plan.loc[rows[1], grade] += 1
    table = staff_changes(sc, plan)
    mine = table[(table["township_id"] == plan.loc[rows[0], "township_id"])]
    assert len(mine) == 1
    name = sc.townships.set_index("township_id").at[plan.loc[rows[1], "township_id"], "name"]
    assert name in mine["moved_to"].iloc[0] and name in mine["warning"].iloc[0]
    moves = township_moves(sc, plan).set_index(["township_id", "year"])
    assert mine["moved_out"].iloc[0] == pytest.approx(
        moves.loc[(mine["township_id"].iloc[0], sc.years[-1]), "moved_out"]
    )
    # a cut post's holder leaves (attrition) or is moved: the two add up to the posts cut
    cut = table["workers_before"] - table["workers"]
    fewer = cut > 0
    assert fewer.any()
    assert (table["leavers_not_replaced"] + table["moved_out"])[fewer].to_numpy() == pytest.approx(
        cut[fewer].to_numpy(), abs=1e-4
    )
    assert table["moved_out"][fewer].to_numpy() == pytest.approx(
        (1 - sc.workforce.attrition) * cut[fewer].to_numpy(), abs=1e-4
    )
    assert list(table.columns)[-1] == "warning"
    assert result.warnings == list(result.changes["warning"])
