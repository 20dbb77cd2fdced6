"""A region planned province by province (`provinces`): each province's plan is the plan of its
own scenario, the merged plan holds them side by side, serially and on a Dask cluster alike, and
the checker holds each province to its own budget."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
import yaml
from conftest import SMALL_HEADER, worked_data

from model import load_scenario
from model.errors import InputError
from model.executor import SerialExecutor, open_executor
from model.inputs.provinces import province_scenario
from model.optimizer.optimize import optimize
from model.optimizer.provinces import optimize_provinces
from model.plan.check import check_provinces

ROWS = [
    ("A", "甲镇", "一县", "东省", "5000,900,400,60,0,0,0,1.0,0.0,0"),
    ("B", "乙镇", "一县", "东省", "3000,500,200,20,1,1,0,1.0,0.0,0"),
    ("C", "丙镇", "二县", "东省", "4000,700,250,30,0,0,0,1.0,0.0,0"),
    ("D", "丁镇", "三县", "西省", "6000,1000,500,80,0,0,0,1.0,0.0,0"),
    ("E", "戊镇", "三县", "西省", "2000,300,100,10,0,0,0,1.0,0.0,0"),
]

PROVINCES = {
    "东省": {"budget": {2025: 25, 2026: 30}, "targets": {"coverage": {2026: 1.0}}},
    "西省": {"budget": {2025: 12, 2026: 15}, "hiring_pool_per_county": 1},
}


def write(tmp_path, provinces=PROVINCES, **extra):
    """Five townships in two provinces (a `province` column), planned over two years."""
    header = SMALL_HEADER.rstrip("\n") + ",province\n"
    lines = [
        f"{tid},{name},{county},{'rural'},{rest},{province}"
        for tid, name, county, province, rest in ROWS
    ]
    (tmp_path / "t.csv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    data = worked_data(
        budget={2025: 37, 2026: 45},
        horizon={"start": 2025, "years": 2},
        staffing={"max_workers": 2},
        provinces=provinces,
        **extra,
    )
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path / "s.yaml"


def test_each_province_is_planned_as_its_own_scenario(tmp_path):
    sc = load_scenario(write(tmp_path))
    with open_executor("serial") as ex:
        merged = optimize_provinces(sc, executor=ex, progress=False)
    objective = 0.0
    for k, name in enumerate(["东省", "西省"]):
        sub = province_scenario(sc, name, k)
        alone = optimize(sub, estimate_gap=False, worth=False)
        objective += alone.solver.objective
        mine = merged.plan[merged.plan["township_id"].isin(sub.townships["township_id"])]
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.plan)
        row = merged.provinces.set_index("province").loc[name]
        assert row["townships"] == len(sub.townships)
        assert row["spend_total"] <= sub.budget[2026] + 1e-6
    assert merged.solver.objective == pytest.approx(objective)
    # the plan is in the township table's order, and the region's budget is the provinces' sum
    assert list(merged.plan["township_id"].unique()) == [r[0] for r in ROWS]
    assert merged.scenario.budget == {2025: 37.0, 2026: 45.0}
    assert set(merged.province_targets["province"]) == {"东省"}
    assert check_provinces(sc, merged) == []


def test_a_province_takes_its_own_pools_and_the_scenarios_targets_where_it_names_none(tmp_path):
    sc = load_scenario(write(tmp_path))
    east, west = province_scenario(sc, "东省", 0), province_scenario(sc, "西省", 1)
    assert east.targets.coverage == {2026: 1.0}
    assert west.targets.coverage == sc.targets.coverage
    assert west.workforce.hiring_pool_per_county == 1
    assert east.workforce.hiring_pool_per_county == sc.workforce.hiring_pool_per_county
    assert list(east.townships["township_id"]) == ["A", "B", "C"]
    assert east.budget == {2025: 25.0, 2026: 30.0} and not east.provinces


def test_optimize_plans_a_scenario_with_provinces_province_by_province(tmp_path):
    sc = load_scenario(write(tmp_path))
    result = optimize(sc.with_overrides({"provinces.西省.budget.2026": 16}), worth=False)
    assert result.provinces is not None and len(result.provinces) == 2
    assert result.solver.method.startswith("by province (2 models")


def test_the_checker_holds_each_province_to_its_own_budget(tmp_path):
    sc = load_scenario(write(tmp_path))
    with open_executor("serial") as ex:
        merged = optimize_provinces(sc, executor=ex, progress=False)
    # the same plan, but 西省's budget cut: the region's total no longer matters
    tight = sc.with_overrides(
        {"provinces.西省.budget.2026": 0.5, "provinces.西省.budget.2025": 0.5}
    )
    problems = check_provinces(tight, merged)
    assert problems and all(p.startswith("西省: spend") for p in problems)
    assert all("exceeds the budget" in p for p in problems)


def test_provinces_on_a_dask_cluster_give_the_serial_plan(tmp_path):
    from dask.distributed import Client, LocalCluster

    from model.executor import DaskExecutor

    sc = load_scenario(write(tmp_path))
    with open_executor("serial") as ex:
        serial = optimize_provinces(sc, executor=ex, progress=False)
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        spread = optimize_provinces(sc, executor=DaskExecutor(client, "test"), progress=False)
    finally:
        client.close()
        cluster.close()
    pd.testing.assert_frame_equal(serial.plan, spread.plan)
    assert serial.solver.objective == pytest.approx(spread.solver.objective)


@pytest.mark.parametrize(
    ("provinces", "extra", "says"),
    [
        ({"北省": {"budget": {2025: 1, 2026: 1}}} | PROVINCES, {}, "a province of the township"),
        ({"东省": PROVINCES["东省"]}, {}, "have no entry, e.g. 西省"),
        ({"东省": {"budget": {2025: 1}}, "西省": PROVINCES["西省"]}, {}, "no budget for 2026"),
        (PROVINCES, {"sectors": {"schools": {"need": 3, "cost": 5}}}, "cannot have sectors"),
    ],
)
def test_bad_provinces_are_refused_with_the_field_named(tmp_path, provinces, extra, says):
    with pytest.raises(InputError) as err:
        load_scenario(write(tmp_path, provinces, **extra))
    assert says in str(err.value)
    assert "provinces" in str(err.value) or "sectors" in str(err.value)


def test_a_table_without_a_province_column_cannot_be_planned_by_province(tmp_path):
    from conftest import write_small

    rows = [f"{tid},{name},{county},rural,{rest}" for tid, name, county, _, rest in ROWS]
    data = worked_data(horizon={"start": 2025, "years": 2}, budget={2025: 9, 2026: 9})
    with pytest.raises(InputError) as err:
        write_small(tmp_path, rows, data | {"provinces": PROVINCES})
    assert "no province column" in str(err.value)


def shared_value(sc, shares: dict[str, float], year: int = 2026) -> float:
    """The region's objective (shortfalls weighed at once) with each province's budget in `year`
    raised by its share of the transfer."""
    import dataclasses

    from model.optimizer.provinces import _solve_one

    total = 0.0
    for k, name in enumerate(["东省", "西省"]):
        sub = province_scenario(sc, name, k)
        budget = dict(sub.budget)
        budget[year] += shares[name]
        shared = dataclasses.replace(sub, budget=budget)
        _, result, _ = _solve_one(shared, name, None, True, None, None, False)
        total += result.solver.objective
    return total


def test_a_central_transfer_shared_by_price_is_within_its_bound_and_beats_every_split(tmp_path):
    """Weak duality: no way of sharing the transfer beats the Lagrangian bound; the plan found
    is within central.gap of it, so within that of the best split of a grid."""
    from model.optimizer.provinces import optimize_central

    transfer = 10.0
    sc = load_scenario(
        write(tmp_path, central={"transfer": {2026: transfer}, "iterations": 12, "gap": 0.001})
    )
    with open_executor("serial") as ex:
        result = optimize_central(sc, executor=ex, progress=False)
    steps = result.central
    bound = float(steps["best_bound"].iloc[-1])
    plan = float(steps["best_plan"].iloc[-1])
    assert plan <= bound + 1e-6
    assert result.solver.gap <= 0.001 + 1e-9
    grid = [shared_value(sc, {"东省": a, "西省": transfer - a}) for a in range(0, 11, 2)]
    assert max(grid) <= bound + 1e-6
    assert plan >= max(grid) - 0.001 * abs(bound) - 1e-6
    shares = result.provinces["transfer_2026"]
    assert shares.sum() <= transfer + 1e-6 and (shares >= 0).all()
    assert check_provinces(sc, result) == []
    # a province spending beyond its budget and its share is caught
    greedy = result.provinces.copy()
    greedy["transfer_2026"] = transfer  # both provinces claim all of it
    result.provinces = greedy
    assert any("more than its 10" in p for p in check_provinces(sc, result))


def test_without_money_to_share_each_province_plans_on_its_own_budget(tmp_path):
    from model.optimizer.provinces import optimize_central

    sc = load_scenario(write(tmp_path, central={"transfer": {2026: 0.0}, "iterations": 3}))
    with open_executor("serial") as ex:
        result = optimize_central(sc, executor=ex, progress=False)
    alone = shared_value(sc, {"东省": 0.0, "西省": 0.0})
    assert result.solver.objective == pytest.approx(alone)
    assert (result.provinces["transfer_2026"] == 0).all()


def test_a_central_transfer_needs_provinces(tmp_path):
    from conftest import write_small

    rows = [f"{tid},{name},{county},rural,{rest}" for tid, name, county, _, rest in ROWS]
    data = worked_data(horizon={"start": 2025, "years": 2}, budget={2025: 9, 2026: 9})
    with pytest.raises(InputError) as err:
        write_small(tmp_path, rows, data | {"central": {"transfer": {2026: 5}}})
    assert "central.transfer" in str(err.value) and "provinces" in str(err.value)


def test_a_sweep_level_scales_every_provinces_budget_and_puts_its_extra_money_in_a_transfer(
    tmp_path,
):
    from model.experiments.sweep import at_level, budget_levels, extra_levels

    sc = load_scenario(write(tmp_path))
    (half,) = budget_levels(sc, factors=[0.5])
    scaled = at_level(sc, half)
    assert scaled.provinces["东省"].budget == {2025: 12.5, 2026: 15.0}
    assert scaled.provinces["西省"].budget == {2025: 6.0, 2026: 7.5}
    assert not scaled.central.transfer
    _, more = extra_levels(sc, 100.0)
    richer = at_level(sc, more)
    assert richer.central.transfer == {2025: 100.0, 2026: 100.0}


def test_a_run_planned_by_province_writes_its_tables_and_report_section(tmp_path, monkeypatch):
    from model.cli.commands import main

    monkeypatch.setenv("STATIONPLAN_SCHEDULER", "serial")
    path = write(tmp_path)
    out = tmp_path / "results"
    assert main(["optimize", str(path), "--out", str(out)]) == 0
    run = out / "small" / "latest"
    provinces = pd.read_csv(run / "provinces.csv", encoding="utf-8-sig")
    assert list(provinces["province"]) == ["东省", "西省"]
    assert (run / "province_targets.csv").exists()
    report = (run / "report.html").read_text(encoding="utf-8")
    assert "分省规划" in report and "2 个省份各自按本省预算" in report


def test_a_whole_run_on_a_dask_cluster_gives_the_serial_run(tmp_path, monkeypatch):
    """`stationplan run --scheduler`: the provinces' plans and the simulation's tasks on one
    executor; a local Dask cluster gives the plan and the simulated tables of a serial run."""
    from model.cli.commands import main

    monkeypatch.delenv("STATIONPLAN_SCHEDULER", raising=False)
    path = write(tmp_path, simulation={"replications": 2, "rounds": 1})
    tables = {}
    for scheduler in ("serial", "local"):
        out = tmp_path / scheduler
        assert main(["run", str(path), "--out", str(out), "--scheduler", scheduler]) == 0
        run = out / "small" / "latest"
        manifest = yaml.safe_load((run / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["simulation"]["executor"].startswith(
            "serial" if scheduler == "serial" else "local Dask cluster"
        )
        tables[scheduler] = {
            stem: pd.read_csv(run / f"{stem}.csv", encoding="utf-8-sig")
            for stem in ("plan", "simulation", "provinces")
        }
    for stem in ("plan", "simulation"):
        pd.testing.assert_frame_equal(tables["serial"][stem], tables["local"][stem])
    assert list(tables["local"]["provinces"]["province"]) == ["东省", "西省"]


def test_what_binds_in_a_plan_of_provinces_is_each_provinces_own(tmp_path, monkeypatch):
    # `stationplan run` valued the limits of the national plan by building and solving the
    # whole country as one model (38,642 townships: minutes, several GB)
    from model.optimizer import limits

    sc = load_scenario(write(tmp_path))
    result = optimize(sc, executor=SerialExecutor())
    assert result.province_limits is not None and len(result.province_limits)
    assert set(result.province_limits["province"]) == {"东省", "西省"}

    def whole(*args, **kwargs):
        raise AssertionError("the whole region built as one model")

    monkeypatch.setattr(limits, "build", whole)
    limits.value_limits(result)
    assert result.limits is None


RICH = {"东省": {"budget": {2025: 40, 2026: 40}}, "西省": {"budget": {2025: 30, 2026: 30}}}


def split_cost(sc, east: int, west: int) -> float:
    """The region's spend (min_cost, shortfalls weighed at once) with 东省 holding `east` and 西省
    `west` of the national stations in 2026."""
    from model.inputs.provinces import with_national_parts
    from model.optimizer.provinces import _solve_one

    total = 0.0
    for k, (name, count) in enumerate([("东省", east), ("西省", west)]):
        sub = province_scenario(sc, name, k)
        held = with_national_parts(sub, {("stations", 2026): count}, len(sub.townships))
        _, result, _ = _solve_one(held, name, None, True, None, None, False)
        assert bool(result.targets["met"].all())
        total += result.solver.objective
    return total


def test_a_national_target_shared_by_price_is_met_within_its_bound_and_beats_every_split(
    tmp_path,
):
    """Four of the five townships covered in 2026 nationally, the provinces with no coverage
    target of their own (min_cost): no split of the four stations between the provinces costs
    less than the Lagrangian bound, and the plan found is within central.gap of it."""
    from model.optimizer.provinces import optimize_central

    central = {"targets": {"coverage": {2026: 0.8}}, "iterations": 12, "gap": 0.001}
    sc = load_scenario(write(tmp_path, provinces=RICH, objective="min_cost", central=central))
    with open_executor("serial") as ex:
        result = optimize_central(sc, executor=ex, progress=False)
    steps = result.central
    bound, cost = float(steps["best_bound"].iloc[-1]), float(steps["best_plan"].iloc[-1])
    assert bound <= cost + 1e-6
    assert result.solver.gap <= 0.001 + 1e-9
    splits = [split_cost(sc, east, 4 - east) for east in (2, 3)]  # 西省 has two townships
    assert bound <= min(splits) + 1e-6
    assert cost <= min(splits) + 0.001 * abs(bound) + 1e-6
    plan_2026 = result.plan[result.plan["year"] == 2026]
    assert int(plan_2026["station"].sum()) >= 4
    row = result.targets[(result.targets["target"] == "coverage")].iloc[0]
    assert bool(row["met"]) and row["required"] == pytest.approx(0.8)
    assert result.provinces["national_coverage_2026"].sum() >= 4
    assert check_provinces(sc, result) == []


def test_a_national_target_the_provinces_reach_on_their_own_needs_one_pass(tmp_path):
    from model.optimizer.provinces import optimize_central

    central = {"targets": {"coverage": {2026: 0.8}}}
    sc = load_scenario(write(tmp_path, provinces=RICH, central=central))  # max_service
    with open_executor("serial") as ex:
        result = optimize_central(sc, executor=ex, progress=False)
        alone = optimize_provinces(load_scenario(write(tmp_path, provinces=RICH)), executor=ex)
    assert len(result.central) == 1 and result.central["price_coverage_2026"].iloc[0] == 0
    pd.testing.assert_frame_equal(result.plan, alone.plan)
    of = dict(zip(sc.townships["township_id"].astype(str), sc.townships["province"]))
    last = result.plan[result.plan["year"] == 2026]
    reached = last.groupby(last["township_id"].astype(str).map(of))["station"].sum()
    parts = dict(zip(result.provinces["province"], result.provinces["national_coverage_2026"]))
    assert {k: int(v) for k, v in reached.items()} == parts


def test_a_national_target_no_price_reaches_is_reported_missed(tmp_path):
    """Four stations in 2025 cost more than the provinces' 2025 budgets: the best plan is kept,
    its national target marked missed, and no gap is claimed."""
    from model.optimizer.provinces import optimize_central

    central = {"targets": {"coverage": {2025: 0.8}}, "iterations": 3}
    sc = load_scenario(write(tmp_path, central=central))
    with open_executor("serial") as ex:
        result = optimize_central(sc, executor=ex, progress=False)
    row = result.targets[
        (result.targets["target"] == "coverage") & (result.targets["year"] == 2025)
    ]
    assert not bool(row["met"].iloc[0])
    assert not result.central["plan_meets_national_targets"].any()
    assert result.solver.gap == float("inf")
    prices = result.central["price_coverage_2025"].to_numpy()
    assert (prices[1:] > prices[:-1]).all()  # the price keeps rising while the count falls short


@pytest.mark.parametrize(
    ("central", "provinces", "says"),
    [
        ({"targets": {"service_level": {2026: 0.8}}}, PROVINCES, "central.targets.service_level"),
        ({"targets": {"coverage": {2026: 0.8}}}, None, "provinces"),
    ],
)
def test_national_targets_are_counts_shared_among_provinces(tmp_path, central, provinces, says):
    from conftest import write_small

    if provinces is None:
        rows = [f"{tid},{name},{county},rural,{rest}" for tid, name, county, _, rest in ROWS]
        data = worked_data(horizon={"start": 2025, "years": 2}, budget={2025: 9, 2026: 9})
        with pytest.raises(InputError) as err:
            write_small(tmp_path, rows, data | {"central": central})
    else:
        with pytest.raises(InputError) as err:
            load_scenario(write(tmp_path, central=central))
    assert says in str(err.value)


def test_a_national_count_is_allotted_in_whole_parts_within_each_provinces_room():
    import numpy as np

    from model.inputs.provinces import allotted

    # short by 5: spread by room (10 and 0), never beyond it
    assert allotted(25, np.array([12.0, 8.0]), np.array([10.0, 0.0])).tolist() == [17, 8]
    # more than enough: scaled down in proportion, whole, summing to the need
    parts = allotted(10, np.array([9.0, 6.0, 0.0]), np.array([1.0, 1.0, 1.0]))
    assert parts.sum() == 10 and (parts <= [9, 6, 0]).all() and parts.tolist() == [6, 4, 0]
    # a shortfall of 6 split 1 : 5 by room
    assert allotted(10, np.array([2.0, 2.0]), np.array([1.0, 5.0])).tolist() == [3, 7]
    # 3.5 and 6.5: the largest remainders (a tie: the first) round up
    assert allotted(10, np.array([2.0, 2.0]), np.array([3.0, 9.0])).tolist() == [4, 6]


def test_a_run_with_a_national_target_no_price_reaches_says_so_in_its_report(tmp_path, monkeypatch):
    from model.cli.commands import main

    monkeypatch.setenv("STATIONPLAN_SCHEDULER", "serial")
    path = write(tmp_path, central={"targets": {"coverage": {2025: 0.8}}, "iterations": 2})
    out = tmp_path / "results"
    assert main(["optimize", str(path), "--out", str(out)]) == 0
    run = out / "small" / "latest"
    central = pd.read_csv(run / "central.csv", encoding="utf-8-sig")
    assert list(central["need_coverage_2025"]) == [4, 4]
    report = (run / "report.html").read_text(encoding="utf-8")
    assert "各省仍未达到全国目标" in report and "最多 3 / 需要 4" in report
