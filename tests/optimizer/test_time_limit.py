"""A time limit never means no plan: the solve's stages share `solver.time_limit_s`, and the plan
of today's network (model.optimizer.start) is the floor, written with its gap or with "no bound
yet", exit 0; what binds and the least budget are not claimed for an unproven plan."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from model import load_scenario
from model.optimizer.formulation import build, set_objective
from model.optimizer.optimize import optimize
from model.optimizer.start import today_start, today_values
from model.plan.check import check_plan

ROOT = Path(__file__).resolve().parents[2]


def ganzhou(limit: float):
    sc = load_scenario(ROOT / "scenarios" / "ganzhou.yaml")
    return dataclasses.replace(sc, solver=dataclasses.replace(sc.solver, time_limit_s=limit))


def test_todays_network_is_a_plan_that_fits_every_row():
    """Ganzhou's pools cannot replace every leaver of today's staff, so the start keeps today's
    stations and lets HiGHS staff them; the plan passes the checker and opens no station."""
    sc = ganzhou(60)
    model = build(sc)
    set_objective(model, sc)
    x = today_start(model, sc, 30)
    assert x is not None
    for var, value in zip(model.prob.variables(), x):
        var.varValue = value
    network, _ = today_values(model, sc)
    assert all(abs(var.varValue - value) < 1e-6 for var, value in network.items())
    from model.optimizer.solve import extract

    plan, _, _ = extract(model, sc)
    assert check_plan(sc, plan) == []
    existing = sc.townships["has_station"].to_numpy(int)
    for _, year in plan.groupby("year"):
        assert (year["station"].to_numpy(int) == existing).all()


def test_a_time_limit_too_short_for_the_relaxation_still_gives_a_plan():
    result = optimize(ganzhou(0.01), estimate_gap=False)
    info = result.solver
    assert info.status == "Time limit reached"
    assert info.gap is None and info.best_bound is None  # no bound yet
    assert check_plan(result.scenario, result.plan, result.targets) == []
    assert result.limits is None  # what binds is not claimed for an unproven plan


def test_a_run_stopped_by_its_time_limit_says_so_and_exits_0(tmp_path, capsys):
    from model.cli.commands import main

    out = tmp_path / "results"
    path = str(ROOT / "scenarios" / "ganzhou.yaml")
    assert main(["optimize", path, "--set", "solver.time_limit_s=0.01", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Time limit reached" in said and "尚未得到最优界" in said and "未经证明" in said
    run = out / "ganzhou" / "latest"
    plan = pd.read_csv(run / "plan.csv", encoding="utf-8-sig")
    assert len(plan) == 293 * 3
    assert not (run / "limits.csv").exists()
    report = (run / "report.html").read_text(encoding="utf-8")
    assert "本方案在求解时限（0.01 秒）内停止" in report and "尚未得到最优界" in report


@pytest.mark.slow
def test_henan_with_a_one_second_limit_writes_a_feasible_plan(tmp_path, capsys):
    # issue 21: "highs found no plan within 1.0 s", exit 1; now a plan with its gap or "no
    # bound yet", exit 0 (7,380 township-years)
    from model.cli.commands import main

    out = tmp_path / "results"
    path = str(ROOT / "scenarios" / "henan_2025.yaml")
    code = main(["optimize", path, "--set", "solver.time_limit_s=1", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    run = out / "henan_2025" / "latest"
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    solver = manifest["solver"]
    assert solver["status"] == "Time limit reached", solver
    assert solver["gap"] is None or solver["gap"] >= 0, solver
    assert manifest["check"] == {"passed": True, "problems": []}  # the plan checker's verdict
    sc = load_scenario(path)
    plan = pd.read_csv(run / "plan.csv", encoding="utf-8-sig", dtype={"township_id": str})
    assert len(plan) == len(sc.townships) * sc.horizon.years
