"""stationplan: planning and simulation model for township social work station networks.

Money is in 10,000 yuan (万元) throughout; working time in hours, waits and lags in days.

The front door: one call per question, every name below imported from `model` itself::

    import model
    sc = model.load_scenario("scenarios/ganzhou.yaml", overrides=["budget.2024=5600"])
    result = model.optimize(sc)                  # a plan for the budgets: PlanResult
    model.least_budget(sc).budget_gap            # the least money per year for every target
    sim = model.simulate_plan(sc, result.plan)   # SimulationResult: waits, unmet need, reach
    loop = model.plan_and_simulate(sc)           # plan, simulate, re-plan where service falls short

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
    # planning
    "optimize": "model.optimizer.optimize",
    "least_budget": "model.optimizer.optimize",
    "PlanResult": "model.plan.result",
    "check_plan": "model.plan.check",
    "read_plan": "model.plan.io",
    # simulation
    "simulate_plan": "model.simulate.replications",
    "status_quo": "model.simulate.replications",
    "mmc_wait": "model.simulate.queueing",
    "erlang_c_wait": "model.simulate.queueing",
    "plan_and_simulate": "model.loop",
    "LoopResult": "model.loop",
    # experiments
    "Executor": "model.experiments.executor",
    "budget_levels": "model.experiments.sweep",
    "sweep": "model.experiments.sweep",
    "SweepResult": "model.experiments.sweep",
    "compare": "model.experiments.compare",
    # output
    "run_scenario": "model.output.run",
    "build_report": "model.output.report",
    "Workshop": "model.workshop",
}

__all__ = [
    "Executor",
    "InputError",
    "LoopResult",
    "MissingExtra",
    "PlanResult",
    "Scenario",
    "SweepResult",
    "Workshop",
    "budget_levels",
    "build_report",
    "check_plan",
    "compare",
    "erlang_c_wait",
    "least_budget",
    "load_scenario",
    "mmc_wait",
    "optimize",
    "plan_and_simulate",
    "read_plan",
    "read_townships",
    "region_profile",
    "run_scenario",
    "shipped_scenario",
    "simulate_plan",
    "status_quo",
    "sweep",
    "synthesize",
    "workload_table",
    "__version__",
]


def __getattr__(name: str) -> Any:
    """Import a front-door name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # for type checkers and editors; at run time the names come lazily
    from model.errors import InputError, MissingExtra
    from model.experiments.compare import compare
    from model.experiments.executor import Executor
    from model.experiments.sweep import SweepResult, budget_levels, sweep
    from model.inputs.profile import region_profile
    from model.inputs.scenario import Scenario, load_scenario, shipped_scenario
    from model.inputs.synth import synthesize
    from model.inputs.townships import read_townships
    from model.loop import LoopResult, plan_and_simulate
    from model.optimizer.optimize import least_budget, optimize
    from model.output.report import build_report
    from model.output.run import run_scenario
    from model.plan.check import check_plan
    from model.plan.io import read_plan
    from model.plan.result import PlanResult
    from model.simulate.queueing import erlang_c_wait, mmc_wait
    from model.simulate.replications import simulate_plan, status_quo
    from model.workload import workload_table
    from model.workshop import Workshop
