"""The command line: run folders, exit codes, both entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SHIPPED

from model.cli import commands as cli
from model.cli.commands import main

FILES = {
    "region_summary.csv",
    "region_counties.csv",
    "region_groups.csv",
    "plan.xlsx",
    "townships.csv",
    "scenario.resolved.yaml",
    "manifest.json",
    "plan.csv",
    "county_totals.csv",
    "summary.csv",
    "replication.csv",
    "targets.csv",
    "service.csv",
    "hires.csv",
    "equity.csv",
    "limits.csv",
    "changes.csv",
    "simulation.csv",
    "simulation_reach.csv",
    "simulation_summary.csv",
    "on_time_table.csv",
    "service_check.csv",
    "figures",
    "report.html",
}


def test_validate_accepts_every_shipped_scenario(capsys):
    assert main(["validate", *map(str, SHIPPED)]) == 0
    out = capsys.readouterr().out
    assert out.count("通过：") == len(SHIPPED)
    assert main(["validate", *map(str, SHIPPED), "--lang", "en"]) == 0
    assert capsys.readouterr().out.count("ok: ") == len(SHIPPED)


@pytest.mark.slow
def test_run_writes_a_complete_results_folder(case, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["run", str(case.yaml), "--out", str(out), "--set", "budget.2026=130"]) == 0
    said = capsys.readouterr().out
    assert "仿真 2026 年（10 次重复）" in said and "规划—模拟循环" in said
    runs = [p for p in (out / "mini").iterdir() if p.name != "latest"]
    assert len(runs) == 1
    run = runs[0]
    assert {p.name for p in run.iterdir()} == FILES
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    for key in (
        "stationplan",
        "scenario",
        "overrides",
        "seed",
        "packages",
        "timings",
        "townships_sha256",
        "git_commit",
        "run_id",
        "started",
        "solver",
        "check",
    ):
        assert key in manifest, key
    assert manifest["overrides"] == ["budget.2026=130"] and manifest["seed"] == 42
    assert manifest["loop"]["rounds"] and manifest["loop"]["service_check"]["township_years"] > 0
    sim = pd.read_csv(run / "simulation.csv", encoding="utf-8-sig")
    assert len(sim) == 3 * 2 and {"service_level", "wait_p90_days_high", "standard_333"} <= set(
        sim.columns
    )
    reach = pd.read_csv(run / "simulation_reach.csv", encoding="utf-8-sig")
    assert (reach["clients_reached"] <= reach["persons"]).all() and set(reach["group"]) == {
        "dibao",
        "tekun",
    }
    assert manifest["check"]["passed"] is True
    for key in ("status", "objective", "best_bound", "gap", "solve_s", "build_s", "variables"):
        assert key in manifest["solver"], key
    assert set(manifest["files"]) == FILES
    summary = pd.read_csv(run / "region_summary.csv", encoding="utf-8-sig").set_index("metric")[
        "value"
    ]
    assert float(summary["townships"]) == 3 and float(summary["stations"]) == 1
    assert abs(float(summary["coverage"]) - 1 / 3) < 1e-3
    counties = pd.read_csv(run / "region_counties.csv", encoding="utf-8-sig")
    assert counties["townships"].iloc[-1] == 3 and counties["population"].iloc[-1] == 75000
    groups = pd.read_csv(run / "region_groups.csv", encoding="utf-8-sig").set_index("group")
    assert (
        groups.loc["dibao", "persons"] == 3000
        and groups.loc["dibao", "persons_in_townships_with_station"] == 1200
    )
    sheets = pd.read_excel(run / "plan.xlsx", sheet_name=None)
    assert list(sheets) == [
        "规划方案",
        "各县汇总",
        "年度汇总",
        "招聘",
        "服务",
        "模拟",
        "目标",
        "约束",
        "减员与服务下降",
        "公平性",
        "区域概况",
        "各县现状",
        "服务对象群体",
        "列说明",
    ]
    assert "总支出（万元）" in sheets["年度汇总"].columns
    assert "满足率基尼系数" in sheets["年度汇总"].columns
    assert "常住人口（人）" in sheets["各县现状"].columns
    defined = set(sheets["列说明"]["CSV 列名"])
    assert {"population", "coverage", "dibao", "share_with_station"} <= defined
    assert sheets["列说明"]["含义"].notna().all()
    assert "budget:\n  2025: 100.0\n  2026: 130.0" in (run / "scenario.resolved.yaml").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow
def test_new_run_never_overwrites_and_latest_names_the_newest(case, tmp_path):
    out = tmp_path / "results"
    for _ in range(3):
        assert main(["run", str(case.yaml), "--out", str(out)]) == 0
    runs = sorted(p for p in (out / "mini").iterdir() if p.name != "latest")
    assert len(runs) == 3
    latest = out / "mini" / "latest"
    assert latest.resolve() == max(runs, key=lambda p: p.stat().st_mtime).resolve()
    assert not [p for p in (out / "mini").iterdir() if p.name.startswith(".")]


def test_failed_run_leaves_no_folder(case, tmp_path, monkeypatch, capsys):
    import model.output.run

    def broken(sc):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(model.output.run, "region_profile", broken)
    out = tmp_path / "results"
    assert main(["run", str(case.yaml), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "内部错误：RuntimeError: disk on fire" in err and "Traceback" not in err
    assert list((out / "mini").iterdir()) == []


def test_unknown_command_and_missing_argument_exit_2():
    for argv in (["frobnicate"], ["run"], ["synth", "-o", "x.csv"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2


def test_later_stage_commands_do_not_exist_yet():
    # Commands are added with the stage that makes them work; none is a placeholder.
    assert set(cli.COMMANDS) == {
        "validate",
        "run",
        "optimize",
        "simulate",
        "synth",
        "report",
        "sweep",
        "mincost",
        "compare",
        "sensitivity",
        "calibrate",
        "replicate",
        "template",
        "locate",
    }


@pytest.mark.slow
def test_console_script_and_module_do_the_same(case):
    exe = Path(sys.executable).parent / "stationplan"
    if not exe.exists():
        pytest.skip("stationplan console script not installed next to this python")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    a = subprocess.run(
        [str(exe), "validate", str(case.yaml)], capture_output=True, text=True, env=env
    )
    b = subprocess.run(
        [sys.executable, "-m", "model", "validate", str(case.yaml)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert a.returncode == b.returncode == 0
    assert a.stdout.split("—")[1] == b.stdout.split("—")[1]


@pytest.mark.slow
def test_run_from_another_folder_uses_relative_out(case, tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "model", "run", str(case.yaml)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "results" / "mini" / "latest" / "manifest.json").exists()


@pytest.mark.slow
def test_optimize_writes_the_plan_folder_and_the_checker_passes(case, tmp_path, capsys):
    out = tmp_path / "results"
    assert main(["optimize", str(case.yaml), "--out", str(out)]) == 0
    run = (out / "mini" / "latest").resolve()
    names = {p.name for p in run.iterdir()}
    assert {
        "plan.csv",
        "summary.csv",
        "targets.csv",
        "townships.csv",
        "plan.xlsx",
        "scenario.resolved.yaml",
        "manifest.json",
    } <= names
    assert "region_summary.csv" not in names
    plan = pd.read_csv(run / "plan.csv", encoding="utf-8-sig")
    assert list(plan.columns[:9]) == [
        "township_id",
        "name",
        "county",
        "year",
        "station",
        "workers_uncertified",
        "workers_junior",
        "workers_intermediate",
        "trained",
    ]
    assert "spend" in plan.columns and len(plan) == 3 * 2
    summary = pd.read_csv(run / "summary.csv", encoding="utf-8-sig")
    for col in (
        "year",
        "stations",
        "coverage",
        "workers_uncertified",
        "workers_junior",
        "workers_intermediate",
        "certified_share",
        "workers_per_1000_elderly",
        "spend_setup",
        "spend_running",
        "spend_salary",
        "spend_training",
        "spend_total",
        "budget",
    ):
        assert col in summary.columns, col
    targets = pd.read_csv(run / "targets.csv", encoding="utf-8-sig")
    assert list(targets.columns[:6]) == [
        "target",
        "year",
        "required",
        "achieved",
        "met",
        "shortfall",
    ]
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["check"]["passed"] and manifest["stages"] == ["validate", "optimize"]
    out_text = capsys.readouterr().out
    assert "达成目标 1 / 1 项" in out_text and "结果：" in out_text


@pytest.mark.slow
def test_the_manifest_records_the_arguments_main_was_given(case, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["pytest", "-k", "something else"])  # not this process's argv
    args = [
        "optimize",
        str(case.yaml),
        "--out",
        str(tmp_path / "results"),
        "--set",
        "budget.2026=130",
    ]
    assert main(args) == 0
    folder = (tmp_path / "results" / "mini" / "latest").resolve()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "stationplan " + " ".join(args)


def test_budget_too_small_exits_2_naming_the_field(case, tmp_path, capsys):
    argv = ["optimize", str(case.yaml), "--out", str(tmp_path), "--set", "budget.2025=1"]
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "budget.2025: expected at least" in err and "got 1" in err
    assert not (tmp_path / "mini").exists() or not [
        p for p in (tmp_path / "mini").iterdir() if p.name != "latest"
    ]


@pytest.mark.slow
def test_simulate_status_quo_and_a_plan(case, tmp_path, capsys):
    out = tmp_path / "results"
    assert (
        main(["simulate", str(case.yaml), "--out", str(out), "--set", "simulation.replications=2"])
        == 0
    )
    run = (out / "mini" / "latest").resolve()
    assert {"simulation.csv", "manifest.json", "townships.csv", "scenario.resolved.yaml"} <= {
        p.name for p in run.iterdir()
    }
    table = pd.read_csv(run / "simulation.csv", encoding="utf-8-sig")
    assert {
        "served_hours",
        "served_hours_low",
        "served_hours_high",
        "wait_p90_days",
        "utilisation",
    } <= set(table.columns)
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["simulation"]["plan"] == "status quo"
    assert main(["optimize", str(case.yaml), "--out", str(out)]) == 0
    plan_csv = (out / "mini" / "latest").resolve() / "plan.csv"
    assert (
        main(
            [
                "simulate",
                str(case.yaml),
                "--plan",
                str(plan_csv),
                "--out",
                str(out),
                "--set",
                "simulation.replications=2",
            ]
        )
        == 0
    )
    assert "仿真规划方案" in capsys.readouterr().out


def test_simulate_rejects_a_plan_that_does_not_fit(case, tmp_path, capsys):
    bad = tmp_path / "plan.csv"
    bad.write_text("township_id,year,station\nT1,2025,1\n", encoding="utf-8")
    assert main(["simulate", str(case.yaml), "--plan", str(bad), "--out", str(tmp_path)]) == 2
    assert "缺少列 'workers_uncertified'" in capsys.readouterr().err
    assert (
        main(
            [
                "simulate",
                str(case.yaml),
                "--plan",
                str(tmp_path / "none.csv"),
                "--out",
                str(tmp_path),
            ]
        )
        == 2
    )


def test_a_reader_that_goes_away_is_not_an_internal_error(monkeypatch, capsys):
    """`stationplan … | head -1`: printing meets a closed pipe; exit quietly, no traceback."""

    class ClosedPipe:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    stderr = []
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    monkeypatch.setattr(
        sys,
        "stderr",
        type(
            "Err",
            (),
            {"write": stderr.append, "close": lambda self: None, "flush": lambda self: None},
        )(),
    )
    shipped = [str(p) for p in SHIPPED]
    assert cli.main(["validate", *shipped]) == 0
    assert not any("internal error" in line for line in stderr)
