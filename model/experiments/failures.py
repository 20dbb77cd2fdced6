"""Members of an experiment that give no result, recorded instead of stopping the experiment.

A budget level, a compared scenario or a sensitivity sample is one task; when its plan cannot be
made — no plan fits its limits (the optimizer's InputError from diagnose_limits, e.g. a budget
below what the stations that must stay open cost), or the solver finds none in its time limit
(SolverError) — the task gives `Failed` (model.tasks) with the reason, and the experiment
records the member as failed and completes the others. Such a task is not run again: it would
fail again. A task whose worker process died is rerun once by the executor (model.executor).

    outcome = attempt(run_level, sc, level, False, None)   # LevelResult, or Failed
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from model.errors import Bi, InputError
from model.optimizer.highs import SolverError
from model.tasks import Failed

INFEASIBLE = "infeasible"
NO_PLAN = "no plan"
LOST = "worker lost"
PLANNED = "planned"
"""The status of a member with a result (frontier.csv, comparison.csv)."""


def attempt(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), or `Failed` when no plan fits the member's limits (status "infeasible") or
    the solver found none in its time (status "no plan"); other errors are raised."""
    try:
        return fn(*args)
    except InputError as exc:
        return Failed(INFEASIBLE, reason(exc))
    except SolverError as exc:
        said = exc.args[0] if exc.args else str(exc)
        return Failed(NO_PLAN, said if isinstance(said, str) else str(said))


def reason(exc: InputError) -> Bi:
    """The error's message without its file (the scenario every member shares), in both
    languages: "budget.2025: expected at least 2,502.00 万元: the stations that must stay open
    … cannot be run … for less, got 750.0"."""
    bare = InputError(None, exc.where, exc.expected, exc.got, hint=exc.hint, problem=exc.problem)
    return Bi(bare.message, bare.render("zh"))


def failed(outcome: object) -> bool:
    """Whether a task's outcome is a failure (`Failed`) rather than its result."""
    return isinstance(outcome, Failed)
