"""Solving a PuLP problem with HiGHS (through highspy) or CBC, with the scenario's limits.

`make_solver` picks and configures the solver; `solve_once` solves a problem as it stands and
returns status, objective, best bound, gap and time. HiGHS runs quiet and starts from the
variables' current values when every variable has one (a MIP start).
"""
from __future__ import annotations

import contextlib
import os
import sys
import time
import warnings
from typing import Any

import pulp

from model.scenario import Scenario

LARGE = 5_000
"""Township-years above which a model counts as large (other HiGHS settings, see make_solver)."""


class SolverError(Exception):
    """The solver is missing, failed, or found no plan in its time limit (exit code 1, clear message)."""


class Infeasible(Exception):
    """No plan fits the budgets and hiring pools at all (targets are elastic, so it is one of those)."""


@contextlib.contextmanager
def _quiet_stdout() -> Any:
    """Silence C-level stdout (HiGHS prints a banner when created, whatever its options)."""
    fd = 1
    try:
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError):
        pass
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


class WarmHiGHS(pulp.HiGHS):
    """PuLP's HiGHS (highspy) interface, quiet, and started from the variables' current values."""

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        with _quiet_stdout():
            super().createAndConfigureSolver(lp)

    def callSolver(self, lp: pulp.LpProblem) -> None:
        start = [v.varValue for v in lp.variables()]
        if start and all(x is not None for x in start):
            import highspy

            sol = highspy.HighsSolution()
            sol.col_value = [float(x) for x in start]
            sol.value_valid = True
            lp.solverModel.setSolution(sol)
        lp.solverModel.run()


def make_solver(sc: Scenario, time_limit_s: float | None = None, msg: bool = False,
                gap: float | None = None) -> pulp.LpSolver:
    """The PuLP solver the scenario asks for, with its time limit and gap (or `gap`)."""
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    gap = sc.solver.gap if gap is None else gap
    if sc.solver.name == "highs":
        # More primal heuristics than HiGHS's default 0.05 (measured ~3x faster on the shipped county and
        # prefecture scenarios). On province-size models HiGHS's sub-MIP heuristics (RENS, RINS, root
        # reduced cost) spend minutes in objective propagation and overrun the time limit: off there.
        options: dict[str, Any] = {"mip_heuristic_effort": 0.3}
        if len(sc.townships) * sc.horizon.years > LARGE:
            options = {"mip_heuristic_run_root_reduced_cost": False, "mip_heuristic_run_rens": False,
                       "mip_heuristic_run_rins": False}
        solver = WarmHiGHS(msg=msg, timeLimit=limit, gapRel=gap, threads=1, **options)
    else:
        with warnings.catch_warnings():  # PuLP 3 deprecates its bundled CBC; it is still the CBC at hand
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=msg, timeLimit=limit, gapRel=gap)
    if not solver.available():
        raise SolverError(f"solver {sc.solver.name!r} is not available on this machine; install it "
                          f"(HiGHS comes with the highspy package) or set solver.name to the other one")
    return solver


def solve_once(prob: pulp.LpProblem, sc: Scenario, time_limit_s: float | None = None,
               gap: float | None = None) -> dict[str, Any]:
    """Solve the problem as it stands; return status, objective, best bound, gap and time."""
    solver = make_solver(sc, time_limit_s, gap=gap)
    t0 = time.perf_counter()
    try:
        prob.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(f"solver {sc.solver.name!r} failed: {exc}") from None
    elapsed = time.perf_counter() - t0
    info: dict[str, Any] = {"solver": sc.solver.name, "status": pulp.LpStatus[prob.status],
                            "objective": pulp.value(prob.objective), "best_bound": None, "gap": None,
                            "solve_s": round(elapsed, 3),
                            "time_limit_s": sc.solver.time_limit_s if time_limit_s is None else time_limit_s,
                            "gap_limit": sc.solver.gap}
    if sc.solver.name == "highs":
        h = prob.solverModel
        hinfo = h.getInfo()
        info["status"] = h.modelStatusToString(h.getModelStatus())
        is_mip = any(v.cat == pulp.LpInteger for v in prob.variables())
        sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        if is_mip:
            bound = float(hinfo.mip_dual_bound)
            info["best_bound"] = sign * bound   # HiGHS minimises the negated objective of a maximisation
            info["gap"] = float(hinfo.mip_gap)
            info["nodes"] = int(hinfo.mip_node_count)
        else:
            info["best_bound"], info["gap"] = info["objective"], 0.0
    if prob.status == pulp.LpStatusInfeasible:
        raise Infeasible(info["status"])
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise SolverError(f"{sc.solver.name} found no plan ({info['status']}) within "
                          f"{info['time_limit_s']} s; raise solver.time_limit_s or loosen solver.gap")
    return info
