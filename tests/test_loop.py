"""The plan-simulation loop: re-plan where the simulated service level falls short."""

from __future__ import annotations

import numpy as np

from model import load_scenario
from model.loop import plan_and_simulate
from model.plan.check import check_plan

BUSY = [
    "simulation.replications=3",
    "budget.2025=300",
    "budget.2026=300",
    "groups.dibao.case_rate=0.15",
    "groups.dibao.visit_rate=1.0",
    "simulation.max_wait_days=4",
    "simulation.service_level=0.99",
    "staffing.admin_share=0",  # the loads above were set for a worker's whole 1,650 hours
]


def test_a_station_short_of_the_service_level_gets_another_worker_and_the_loop_converges(case):
    sc = load_scenario(case.yaml, BUSY)
    loop = plan_and_simulate(sc, progress=False)
    first, last = loop.rounds[0], loop.rounds[-1]
    assert (
        first["townships_below_service_level"] >= 1
    )  # the workload plan alone leaves waits too long
    assert loop.converged and last["townships_below_service_level"] == 0
    assert last["workers_last_year"] > first["workers_last_year"]
    assert (loop.factor >= 1).all() and loop.factor.max() > 1
    assert loop.simulation.table["service_level"].min() >= 0.99 - 1e-9
    assert check_plan(sc, loop.plan.plan, loop.plan.targets) == []
    manifest = loop.manifest()
    assert manifest["converged"] and len(manifest["rounds"]) == len(loop.rounds) >= 2


def test_without_money_to_add_workers_the_loop_stops_and_says_why(case):
    sc = load_scenario(case.yaml, [*BUSY[:1], "budget.2025=40", "budget.2026=50", *BUSY[3:]])
    loop = plan_and_simulate(sc, progress=False)
    assert not loop.converged and "stopped changing" in loop.why
    assert len(loop.rounds) == 2 and loop.rounds[-1]["townships_below_service_level"] > 0


def test_one_round_is_plan_then_simulate(case):
    sc = load_scenario(case.yaml, [*BUSY, "simulation.rounds=1"])
    loop = plan_and_simulate(sc, progress=False)
    assert len(loop.rounds) == 1 and np.all(loop.factor == 1.0)


def test_service_check_sets_the_planned_level_beside_the_simulated_interval():
    import pandas as pd

    from model.loop import service_check, service_check_summary

    plan = pd.DataFrame(
        {
            "township_id": ["a", "b", "c"],
            "year": [2025] * 3,
            "station": [1, 1, 0],
            "planned_service_level": [0.90, 0.50, 0.0],
        }
    )
    sim = pd.DataFrame(
        {
            "township_id": ["a", "b", "c"],
            "year": [2025] * 3,
            "service_level": [0.91, 0.70, float("nan")],
            "service_level_low": [0.89, 0.65, float("nan")],
            "service_level_high": [0.93, 0.75, float("nan")],
        }
    )
    check = service_check(plan, sim)
    assert list(check["township_id"]) == ["a", "b"]  # c has no station: nothing to check
    assert list(check["agrees"]) == [True, False]
    assert check["difference"].tolist() == [0.01, 0.2]
    summary = service_check_summary(check)
    assert summary["agree"] == 1 and summary["township_years"] == 2
    assert summary["largest_difference"]["township_id"] == "b"
    # within one point of the interval still agrees
    assert service_check(plan.assign(planned_service_level=[0.935, 0.5, 0]), sim)["agrees"][0]


def test_run_of_plan_and_simulation_records_the_check(case, tmp_path):
    from model import run_scenario

    sc = load_scenario(case.yaml, ["simulation.replications=2", "simulation.rounds=1"])
    run = run_scenario(sc, tmp_path, stages=("optimize", "simulate"), progress=False)
    assert run.service_check is not None and len(run.service_check) > 0
    assert (run.folder / "service_check.csv").is_file()
    import json

    manifest = json.loads((run.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["service_check"]["township_years"] == len(run.service_check)
