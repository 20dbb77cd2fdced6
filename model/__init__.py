"""stationplan: planning and simulation model for township social work station networks.

Money is in 10,000 yuan (万元) throughout; working time in hours, waits and lags in days.

The front door: one call per question, every name below imported from `model` itself::

    import model
    sc = model.load_scenario("scenarios/ganzhou.yaml", overrides=["budget.2024=5600"])
    result = model.optimize(sc)                  # a plan for the budgets: PlanResult
    model.least_budget(sc).budget_gap            # the least money per year for every target
    sim = model.simulate_plan(sc, result.plan)   # SimulationResult: waits, unmet need, reach
    loop = model.plan_and_simulate(sc)           # plan, simulate, re-plan where service falls short
    model.locate("costs.csv", "p-median", p=5)   # where sites go: LocateResult (six models)

Names are imported lazily (PEP 562), so `import model` stays fast; docs/python-api.md shows
each call with an example.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # inputs
    "InputError": "model.errors",
    "MissingExtra": "model.errors",
    "Scenario": "model.inputs.scenario",
    "load_scenario": "model.inputs.scenario",
    "shipped_scenario": "model.inputs.scenario",
    "read_townships": "model.inputs.townships",
    "synthesize": "model.inputs.synth",
    "region_profile": "model.inputs.profile",
    "workload_table": "model.workload",
    "published_figures": "model.inputs.published",
    "calibrate": "model.calibration",
    "Calibration": "model.calibration",
    # planning
    "optimize": "model.optimizer.optimize",
    "least_budget": "model.optimizer.optimize",
    "PlanResult": "model.plan.result",
    "SolveInfo": "model.plan.result",
    "check_plan": "model.plan.check",
    "read_plan": "model.plan.io",
    # simulation
    "simulate_plan": "model.simulate.replications",
    "SimulationResult": "model.simulate.replications",
    "status_quo": "model.simulate.replications",
    "mmc_wait": "model.simulate.queueing",
    "erlang_c_wait": "model.queues",
    "mmc_patience": "model.simulate.queueing",
    "mmc_patience_analytic": "model.queues",
    "priority_waits": "model.simulate.queueing",
    "cobham_waits": "model.queues",
    "plan_and_simulate": "model.loop",
    "LoopResult": "model.loop",
    # experiments
    "Executor": "model.tasks",
    "open_executor": "model.executor",
    "budget_levels": "model.experiments.sweep",
    "Level": "model.experiments.sweep",
    "sweep": "model.experiments.sweep",
    "SweepResult": "model.experiments.sweep",
    "LevelResult": "model.experiments.sweep",
    "mincost": "model.experiments.sweep",
    "compare": "model.experiments.compare",
    "sensitivity": "model.experiments.sensitivity",
    "SensitivityResult": "model.experiments.sensitivity",
    "one_at_a_time": "model.experiments.sensitivity",
    # output
    "run_scenario": "model.output.run",
    "RunResult": "model.output.run",
    "write_sweep": "model.output.experiments",
    "write_mincost": "model.output.experiments",
    "write_compare": "model.output.experiments",
    "write_sensitivity": "model.output.experiments",
    "build_report": "model.output.report",
    "replication_table": "model.output.replication",
    "Workshop": "model.workshop",
    # for researchers: one township's station for one year, and its random streams
    "simulate_township": "model.simulate.township",
    "simulate_horizon": "model.simulate.township",
    "Staffing": "model.simulate.township",
    "Streams": "model.simulate.streams",
    # location models: where stations go, on a client × facility cost table
    "locate": "model.location.problems",
    "LocateResult": "model.location.result",
    "read_orlib_pmed": "model.location.io",
}

_MODULES: dict[str, str] = {"figures": "model.output.figures"}
"""Modules of the front door: `model.figures.frontier_figure(...)`, one function per figure."""

__all__ = [
    "budget_levels",
    "build_report",
    "calibrate",
    "Calibration",
    "check_plan",
    "cobham_waits",
    "compare",
    "erlang_c_wait",
    "Executor",
    "figures",
    "InputError",
    "least_budget",
    "Level",
    "LevelResult",
    "load_scenario",
    "locate",
    "LocateResult",
    "LoopResult",
    "mincost",
    "MissingExtra",
    "mmc_patience",
    "mmc_patience_analytic",
    "mmc_wait",
    "one_at_a_time",
    "published_figures",
    "open_executor",
    "optimize",
    "plan_and_simulate",
    "PlanResult",
    "priority_waits",
    "read_orlib_pmed",
    "read_plan",
    "read_townships",
    "region_profile",
    "replication_table",
    "run_scenario",
    "RunResult",
    "Scenario",
    "sensitivity",
    "SensitivityResult",
    "shipped_scenario",
    "simulate_plan",
    "simulate_township",
    "simulate_horizon",
    "Staffing",
    "SimulationResult",
    "SolveInfo",
    "status_quo",
    "Streams",
    "sweep",
    "SweepResult",
    "synthesize",
    "workload_table",
    "Workshop",
    "write_compare",
    "write_mincost",
    "write_sensitivity",
    "write_sweep",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Import a front-door name on first use (PEP 562)."""
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_MODULES))


if TYPE_CHECKING:  # for type checkers and editors; at run time the names come lazily
    from model.calibration import Calibration, calibrate
    from model.errors import InputError, MissingExtra
    from model.executor import open_executor
    from model.experiments.compare import compare
    from model.experiments.sensitivity import SensitivityResult, one_at_a_time, sensitivity
    from model.experiments.sweep import (
        Level,
        LevelResult,
        SweepResult,
        budget_levels,
        mincost,
        sweep,
    )
    from model.inputs.profile import region_profile
    from model.inputs.published import published_figures
    from model.inputs.scenario import Scenario, load_scenario, shipped_scenario
    from model.inputs.synth import synthesize
    from model.inputs.townships import read_townships
    from model.location.io import read_orlib_pmed
    from model.location.problems import locate
    from model.location.result import LocateResult
    from model.loop import LoopResult, plan_and_simulate
    from model.optimizer.optimize import least_budget, optimize
    from model.output import figures
    from model.output.experiments import (
        write_compare,
        write_mincost,
        write_sensitivity,
        write_sweep,
    )
    from model.output.replication import replication_table
    from model.output.report import build_report
    from model.output.run import RunResult, run_scenario
    from model.plan.check import check_plan
    from model.plan.io import read_plan
    from model.plan.result import PlanResult, SolveInfo
    from model.queues import cobham_waits, erlang_c_wait, mmc_patience_analytic
    from model.simulate.queueing import mmc_patience, mmc_wait, priority_waits
    from model.simulate.replications import SimulationResult, simulate_plan, status_quo
    from model.simulate.streams import Streams
    from model.simulate.township import Staffing, simulate_horizon, simulate_township
    from model.tasks import Executor
    from model.workload import workload_table
    from model.workshop import Workshop
