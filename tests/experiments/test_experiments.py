"""Experiments: budget sweep, least budget, comparison, sensitivity, Monte Carlo.

Each runs serially and on Dask.
"""

from __future__ import annotations

import json
import logging

import pandas as pd
import pytest
import yaml
from conftest import ROOT, mini_scenario

from model.cli.commands import main


@pytest.fixture(scope="module")
def scheduler():
    """A real Dask scheduler with two worker processes on loopback, for the whole module."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        host="127.0.0.1",
        silence_logs=logging.ERROR,
    )
    yield cluster.scheduler_address
    cluster.close()


def _runs(folder):
    return sorted(p for p in folder.iterdir() if p.name != "latest")


@pytest.mark.slow
def test_a_sweep_on_a_dask_cluster_equals_the_same_sweep_run_serially(case, scheduler, capsys):
    out = case.folder / "res"
    args = [
        "sweep",
        str(case.yaml),
        "--budgets",
        "0.4:1.6:4",
        "--simulate",
        "--replications",
        "2",
        "--out",
        str(out),
    ]
    assert main([*args, "--scheduler", "serial"]) == 0
    assert main([*args, "--scheduler", scheduler]) == 0
    serial, dask = [
        pd.read_csv(r / "frontier.csv", encoding="utf-8-sig") for r in _runs(out / "mini" / "sweep")
    ]
    assert serial.equals(dask)
    said = capsys.readouterr().out
    assert "本机" not in said.split("mini：4 个预算水平")[2] and f"Dask 集群 {scheduler}" in said


def test_frontier_columns_money_never_serves_less_and_files(case):
    out = case.folder / "res"
    assert (
        main(
            [
                "sweep",
                str(case.yaml),
                "--budgets",
                "0.3:1.5:6",
                "--scheduler",
                "serial",
                "--no-simulate",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    run = _runs(out / "mini" / "sweep")[0]
    f = pd.read_csv(run / "frontier.csv", encoding="utf-8-sig")
    for col in (
        "budget_total",
        "spend_total",
        "coverage",
        "served_share",
        "targets_met",
        "targets_named",
        "cost_per_served_hour",
        "marginal_hours_per_100_wan",
        "knee",
        "all_targets_met",
    ):
        assert col in f.columns, col
    assert f["budget_total"].is_monotonic_increasing
    assert (
        f["served_share"].is_monotonic_increasing
        or (f["served_share"].diff().dropna() >= -1e-12).all()
    )
    assert (f["spend_total"] <= f["budget_total"] + 1e-6).all()
    assert {
        "frontier.csv",
        "levels.csv",
        "least_budget.csv",
        "sweep.xlsx",
        "manifest.json",
        "report.html",
    } <= {p.name for p in run.iterdir()}
    assert "data:image/png;base64" in (run / "report.html").read_text(encoding="utf-8")
    assert (run / "figures" / "frontier.png").stat().st_size > 10_000
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"] == "serial" and len(manifest["levels"]) == 6


@pytest.mark.parametrize(
    "budgets, expected",
    [("1:0.5:3", "0 < LOW ≤ HIGH"), ("0.5:1.5", "LOW:HIGH:N"), ("0.5:1.5:1", "N ≥ 2")],
)
def test_bad_sweep_levels_are_bad_input(case, capsys, budgets, expected):
    assert (
        main(
            [
                "sweep",
                str(case.yaml),
                "--budgets",
                budgets,
                "--scheduler",
                "serial",
                "--out",
                str(case.folder),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "--budgets" in err and expected in err


def test_explicit_totals_and_a_bad_scheduler_address(case, capsys):
    out = case.folder / "res"
    assert (
        main(
            [
                "sweep",
                str(case.yaml),
                "--totals",
                "40,80,160",
                "--scheduler",
                "serial",
                "--no-least",
                "--replications",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    f = pd.read_csv(_runs(out / "mini" / "sweep")[0] / "frontier.csv", encoding="utf-8-sig")
    assert list(f["budget_total"]) == [80.0, 160.0, 320.0]  # two years each
    assert {"unmet_requests", "simulated_served_share", "wait_mean_days"} <= set(
        f.columns
    )  # simulated by default
    assert (
        main(
            [
                "sweep",
                str(case.yaml),
                "--totals",
                "40,80",
                "--scheduler",
                "localhost:1",
                "--out",
                str(out),
            ]
        )
        == 2
    )
    assert "Dask 调度器地址" in capsys.readouterr().err


def test_mincost_gives_the_least_spend_per_year_and_its_plan(case, capsys):
    out = case.folder / "res"
    assert main(["mincost", str(case.yaml), "--out", str(out)]) == 0
    run = _runs(out / "mini" / "mincost")[0]
    gap = pd.read_csv(run / "budget_gap.csv", encoding="utf-8-sig")
    summary = pd.read_csv(run / "summary.csv", encoding="utf-8-sig")
    assert list(gap["least_cost_all_targets"].round(2)) == list(summary["spend_total"].round(2))
    assert gap["all_targets_reachable"].all()
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["check"]["passed"] and manifest["solver"]["budget_gap"] == "not needed"
    assert manifest["command"] == f"stationplan mincost {case.yaml} --out {out}"
    assert "达成全部目标的最低支出" in capsys.readouterr().out


def test_a_sweep_from_python_writes_the_folder_the_command_writes(case):
    from model import load_scenario
    from model.executor import open_executor
    from model.experiments.sweep import LevelResult, budget_levels, sweep
    from model.output.experiments import write_sweep

    sc = load_scenario(case.yaml)
    with open_executor("serial") as ex:
        result = sweep(
            sc,
            budget_levels(sc, factors=[0.5, 1.0, 1.5]),
            ex,
            simulate=True,
            replications=1,
            progress=False,
        )
    assert isinstance(result.results[0], LevelResult) and result.results[0].simulation is not None
    assert result.least_total == pytest.approx(
        float(result.least_budget["least_cost_all_targets"].sum())
    )
    folder = write_sweep(result, sc, case.folder / "py", "sweep from a notebook", ex.where)
    assert folder.parent == case.folder / "py" / "mini" / "sweep"
    assert {"frontier.csv", "levels.csv", "least_budget.csv", "sweep.xlsx", "report.html"} <= {
        p.name for p in folder.iterdir()
    }
    frontier = pd.read_csv(folder / "frontier.csv", encoding="utf-8-sig")
    assert list(frontier.columns) == list(result.frontier.columns) and len(frontier) == 3
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "sweep from a notebook" and manifest["executor"] == "serial"
    assert manifest["simulated"] is True and [lv["level"] for lv in manifest["levels"]] == [0, 1, 2]


def test_compare_puts_scenarios_side_by_side(case, scheduler):
    rich = mini_scenario() | {"name": "mini_rich", "budget": {2025: 200, 2026: 240}}
    (case.folder / "rich.yaml").write_text(
        yaml.safe_dump(rich, allow_unicode=True), encoding="utf-8"
    )
    out = case.folder / "res"
    assert (
        main(
            [
                "compare",
                str(case.yaml),
                str(case.folder / "rich.yaml"),
                "--scheduler",
                scheduler,
                "--replications",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    run = _runs(out / "compare")[0]
    table = pd.read_csv(run / "comparison.csv", encoding="utf-8-sig")
    assert list(table["scenario"].unique()) == ["mini", "mini_rich"] and len(table) == 4
    last = table[table["year"] == 2026].set_index("scenario")
    assert last.loc["mini_rich", "served_share"] >= last.loc["mini", "served_share"]
    assert (run / "figures" / "comparison.png").exists() and (run / "report.html").exists()
    assert (table["unmet_requests"] >= 0).all()


def _uncertain(case):
    data = mini_scenario()
    data["uncertainty"] = {
        "groups.dibao.case_rate": {"low": 0.02, "high": 0.10},
        "staffing.hours_per_worker": {"low": 1400, "high": 1800},
        "workforce.hiring_lag_days": {"low": 7, "high": 60},
    }
    case.write(data)


@pytest.mark.slow
def test_sensitivity_one_at_a_time_and_morris(case, scheduler):
    _uncertain(case)
    out = case.folder / "res"
    args = ["sensitivity", str(case.yaml), "--samples", "4", "--out", str(out)]
    assert main([*args, "--scheduler", "serial"]) == 0
    assert main([*args, "--scheduler", scheduler]) == 0
    first, second = _runs(out / "mini" / "sensitivity")
    oat = pd.read_csv(first / "sensitivity_oat.csv", encoding="utf-8-sig")
    wn = oat[oat["output"] == "workers_needed"].set_index("parameter")
    assert wn.loc["groups.dibao.case_rate", "at_high"] > wn.loc["groups.dibao.case_rate", "at_low"]
    assert (
        wn.loc["staffing.hours_per_worker", "at_high"]
        < wn.loc["staffing.hours_per_worker", "at_low"]
    )
    assert wn.loc["workforce.hiring_lag_days", "swing"] == 0  # the WISN need does not see the lag
    morris = pd.read_csv(first / "sensitivity_morris.csv", encoding="utf-8-sig")
    mw = morris[morris["output"] == "workers_needed"].set_index("parameter")
    assert (
        mw.loc["workforce.hiring_lag_days", "mu_star"]
        == 0
        < mw.loc["groups.dibao.case_rate", "mu_star"]
    )
    again = pd.read_csv(second / "sensitivity_morris.csv", encoding="utf-8-sig")
    assert morris.equals(again)  # same seed, same samples, anywhere
    assert (first / "figures" / "tornado_workers_needed.png").exists() and (
        first / "report.html"
    ).exists()


def test_sensitivity_needs_a_valid_uncertainty_section(case, capsys):
    assert (
        main(["sensitivity", str(case.yaml), "--scheduler", "serial", "--out", str(case.folder)])
        == 2
    )
    assert "uncertainty" in capsys.readouterr().err
    data = mini_scenario()
    data["uncertainty"] = {"groups.dibao.label": {"low": 1, "high": 2}}
    case.write(data)
    assert (
        main(["sensitivity", str(case.yaml), "--scheduler", "serial", "--out", str(case.folder)])
        == 2
    )
    assert "uncertainty.groups.dibao.label" in capsys.readouterr().err


@pytest.mark.slow
def test_monte_carlo_replications_on_dask_equal_local_processes(case, scheduler):
    out = case.folder / "res"
    assert (
        main(["simulate", str(case.yaml), "--set", "simulation.replications=3", "--out", str(out)])
        == 0
    )
    assert (
        main(
            [
                "simulate",
                str(case.yaml),
                "--set",
                "simulation.replications=3",
                "--scheduler",
                scheduler,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    local, dask = [
        pd.read_csv(r / "simulation.csv", encoding="utf-8-sig") for r in _runs(out / "mini")
    ]
    assert local.equals(dask)


@pytest.mark.slow
def test_experiments_on_a_shipped_scenario(tmp_path, capsys):
    from conftest import SCENARIOS

    yanji = str(SCENARIOS / "yanji.yaml")
    out = tmp_path / "res"
    assert (
        main(
            [
                "sweep",
                yanji,
                "--budgets",
                "0.8:1.4:3",
                "--scheduler",
                "serial",
                "--replications",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert main(["mincost", yanji, "--out", str(out)]) == 0
    assert (
        main(["sensitivity", yanji, "--samples", "2", "--scheduler", "serial", "--out", str(out)])
        == 0
    )
    said = capsys.readouterr().out
    assert "yanji：3 个预算水平" in said and "达成全部目标的最低支出" in said
    oat = pd.read_csv(
        _runs(out / "yanji" / "sensitivity")[0] / "sensitivity_oat.csv", encoding="utf-8-sig"
    )
    assert set(oat["parameter"]) == {
        "groups.dibao.case_rate",
        "groups.elderly_in_difficulty.visit_rate",
        "staffing.admin_share",
        "staffing.hours_per_worker",
        "costs.salary.junior",
    }


@pytest.mark.slow
def test_sobol_indices_with_their_figure_and_svg(case):
    _uncertain(case)
    out = case.folder / "res"
    assert (
        main(
            [
                "sensitivity",
                str(case.yaml),
                "--method",
                "sobol",
                "--samples",
                "8",
                "--outputs",
                "workers_needed",
                "--scheduler",
                "serial",
                "--set",
                "report.svg=true",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    run = _runs(out / "mini" / "sensitivity")[0]
    sobol = pd.read_csv(run / "sensitivity_sobol.csv", encoding="utf-8-sig").set_index("parameter")
    assert sobol.loc["groups.dibao.case_rate", "ST"] > sobol.loc["workforce.hiring_lag_days", "ST"]
    assert (run / "figures" / "sobol_workers_needed.png").exists() and (
        run / "figures" / "sobol_workers_needed.svg"
    ).exists()


def test_a_funding_level_scales_every_source_and_extra_money_is_a_source_of_its_own(tmp_path):
    from model import load_scenario
    from model.experiments.sweep import EXTRA_SOURCE, at_level, budget_levels, extra_levels

    sc = load_scenario(
        "scenarios/qingdao.yaml", ["funding.lottery.scale=0.5", "funding.assistance.scale=1"]
    )
    low, high = budget_levels(sc, factors=[0.8, 1.2])
    assert at_level(sc, low).funding["lottery"].scale == pytest.approx(0.4)
    assert at_level(sc, high).funding["assistance"].scale == pytest.approx(1.2)
    assert at_level(sc, high).budget[2022] == pytest.approx(1.2 * sc.budget[2022])
    base, more = extra_levels(sc, 100, at=0.9)
    plus = at_level(sc, more)
    assert EXTRA_SOURCE not in at_level(sc, base).funding
    extra = plus.funding[EXTRA_SOURCE]
    assert extra.amount == {y: 100.0 for y in sc.years} and len(extra.pays) == 6
    assert plus.funding["district"].scale == pytest.approx(0.9)
    # without sources, a level is its budgets alone
    plain = load_scenario("scenarios/jiangshan.yaml")
    assert at_level(plain, extra_levels(plain, 50)[1]).funding == {}


def test_a_sweep_whose_lowest_level_is_infeasible_completes_with_it_marked(case, scheduler, capsys):
    """Issue 21: at 10% of its budget the mini scenario cannot run the station it has (20.50
    万元 in 2025 at least): that level is recorded with its status and reason in frontier.csv,
    the manifest and the report, and the other levels complete, serially and on Dask alike."""
    out = case.folder / "res"
    args = ["sweep", str(case.yaml), "--budgets", "0.1:1.2:4", "--no-simulate", "--out", str(out)]
    assert main([*args, "--scheduler", "serial"]) == 0
    said = capsys.readouterr().out
    assert "mini：4 个预算水平（本机逐个计算）中 3 个得出规划" in said
    assert (
        "第 0 个水平（×0.1，规划期合计 22 万元）：无可行方案——budget.2025：应为至少 20.50 万元"
        in said
    )
    run = _runs(out / "mini" / "sweep")[0]
    f = pd.read_csv(run / "frontier.csv", encoding="utf-8-sig")
    assert list(f["status"]) == ["infeasible", "planned", "planned", "planned"]
    assert "budget.2025" in f.loc[0, "reason"] and "至少 20.50 万元" in f.loc[0, "reason"]
    assert f["reason"].iloc[1:].isna().all()  # empty for the planned levels
    assert pd.isna(f.loc[0, "served_share"]) and f["served_share"].iloc[1:].notna().all()
    assert not f.loc[0, "all_targets_met"] and f["spend_total"].iloc[1:].notna().all()
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert [lv["status"] for lv in manifest["levels"]] == list(f["status"])
    assert "20.50" in manifest["levels"][0]["reason"]
    report = (run / "report.html").read_text(encoding="utf-8")
    assert "无可行方案" in report and "至少 20.50 万元" in report
    levels = pd.read_csv(run / "levels.csv", encoding="utf-8-sig")
    assert sorted(levels["level"].unique()) == [1, 2, 3]
    assert main([*args, "--scheduler", scheduler]) == 0
    on_dask = pd.read_csv(_runs(out / "mini" / "sweep")[1] / "frontier.csv", encoding="utf-8-sig")
    assert on_dask.equals(f)


@pytest.mark.slow
def test_the_ganzhou_sweep_from_30_percent_completes_with_its_poorest_levels_marked(
    tmp_path, capsys
):
    """Issue 21: `sweep scenarios/ganzhou.yaml --budgets 0.3:1.5:7` aborted the whole sweep
    because the 0.3 level cannot pay for the stations that must stay open."""
    out = tmp_path / "res"
    ganzhou = str(ROOT / "scenarios" / "ganzhou.yaml")
    argv = ["sweep", ganzhou, "--budgets", "0.3:1.5:7", "--no-simulate", "--scheduler", "serial"]
    assert main([*argv, "--set", "solver.gap=0.01", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    f = pd.read_csv(_runs(out / "ganzhou" / "sweep")[0] / "frontier.csv", encoding="utf-8-sig")
    assert len(f) == 7 and set(f["status"]) == {"infeasible", "planned"}, f["status"]
    poor = f["status"] == "infeasible"
    assert poor.iloc[0] and not poor.iloc[-1]
    assert list(poor) == sorted(poor, reverse=True)  # the poorest levels, and only they
    assert f.loc[poor, "reason"].str.len().gt(0).all() and f.loc[~poor, "reason"].isna().all()
    planned = int((~poor).sum())
    assert f"ganzhou：7 个预算水平（本机逐个计算）中 {planned} 个得出规划" in said, said


def test_compare_records_a_scenario_without_a_plan(case, capsys):
    poor = mini_scenario() | {"name": "mini_poor", "budget": {2025: 5, 2026: 5}}
    (case.folder / "poor.yaml").write_text(
        yaml.safe_dump(poor, allow_unicode=True), encoding="utf-8"
    )
    out = case.folder / "res"
    argv = ["compare", str(case.yaml), str(case.folder / "poor.yaml"), "--no-simulate"]
    assert main([*argv, "--scheduler", "serial", "--out", str(out), "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert "mini_poor: infeasible — budget.2025: expected at least 20.50 万元" in said
    table = pd.read_csv(_runs(out / "compare")[0] / "comparison.csv", encoding="utf-8-sig")
    assert list(table["status"]) == ["planned", "planned", "infeasible", "infeasible"]
    poor_rows = table[table["scenario"] == "mini_poor"]
    assert poor_rows["coverage"].isna().all() and poor_rows["reason"].str.contains("20.50").all()
    assert table.loc[table["scenario"] == "mini", "coverage"].notna().all()


def test_sensitivity_records_samples_without_a_plan(case):
    """A station's running cost of 200 万元 leaves no plan within the budgets: the served share
    has no value there (the row says which and why), the WISN need has; Morris drops the
    trajectories that lost a value and computes its indices from the rest."""
    data = mini_scenario()
    data["uncertainty"] = {"costs.station_running": {"low": 1, "high": 200}}
    case.write(data)
    out = case.folder / "res"
    argv = ["sensitivity", str(case.yaml), "--samples", "6", "--scheduler", "serial"]
    assert main([*argv, "--out", str(out)]) == 0
    run = _runs(out / "mini" / "sensitivity")[0]
    oat = pd.read_csv(run / "sensitivity_oat.csv", encoding="utf-8-sig").set_index("output")
    assert oat.loc["served_share", "failed"] == "high" and pd.isna(
        oat.loc["served_share", "at_high"]
    )
    assert "budget.2025" in oat.loc["served_share", "reason"]
    assert pd.isna(oat.loc["workers_needed", "failed"])  # empty: computed everywhere
    morris = pd.read_csv(run / "sensitivity_morris.csv", encoding="utf-8-sig").set_index("output")
    served, need = morris.loc["served_share"], morris.loc["workers_needed"]
    assert served["failed_samples"] > 0 and served["samples"] < need["samples"] == 12
    assert served["samples"] % 2 == 0  # whole trajectories of two evaluations
    assert need["failed_samples"] == 0


def _crash_once(marker: str, value: int) -> int:
    """Kill the worker process the first time (no marker yet), then double `value`."""
    import os
    from pathlib import Path

    if not Path(marker).exists():
        Path(marker).write_text("crashed once", encoding="utf-8")
        os._exit(1)
    return value * 2


def _crash(value: int) -> int:
    import os

    os._exit(1)


def test_a_worker_that_dies_reruns_its_task_once_then_it_is_reported(tmp_path):
    """A task whose worker process dies runs once more on another worker; dying again, it is
    reported as lost (keep_going) while the other tasks complete, or raised."""
    from distributed import KilledWorker

    from model.executor import open_executor
    from model.tasks import Failed

    (tmp_path / "b").touch()  # only task a crashes its worker, once
    tasks = [(str(tmp_path / "a"), 1), (str(tmp_path / "b"), 2)]
    with open_executor(None, workers=2) as ex:
        assert ex.map(_crash_once, tasks, progress=False) == [2, 4]
        assert ex.map(_crash_once, tasks, progress=False, keep_going=True) == [2, 4]
        (lost,) = ex.map(_crash, [(1,)], progress=False, keep_going=True)
        assert isinstance(lost, Failed) and lost.status == "worker lost"
        assert "died 2 times" in lost.reason and "2 次" in lost.reason.zh
        with pytest.raises(KilledWorker):
            ex.map(_crash, [(1,)], progress=False)


def test_a_progress_bar_over_tasks_speaks_its_descriptions_language():
    from model.executor import task_unit

    assert task_unit("仿真") == "项" and task_unit("预算水平") == "项"
    assert task_unit("simulating") == "task" and task_unit("budget levels") == "task"
