"""Solving a PuLP problem with HiGHS (through highspy) or CBC, with the scenario's limits.

`make_solver` picks and configures the solver; `solve_once` solves a problem as it stands and
returns status, objective, best bound, gap and time. HiGHS runs quiet and starts from the
variables' current values when every variable has one (a MIP start), in a thread of its own
(`run_highs`) so that Ctrl-C and SIGTERM stop the command during a long solve.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import warnings
from typing import Any

import pulp

from model.errors import Bi
from model.executor import end_at_once
from model.inputs.scenario import Scenario
from model.optimizer.rows import add_rows, matrix

LARGE = 5_000
"""Township-years above which a model counts as large (other HiGHS settings, see make_solver)."""


class SolverError(Exception):
    """The solver is missing, failed, or found no plan in its time limit (exit code 1, clear
    message)."""


class NoPlanInTime(SolverError):
    """The solver ran and found no plan within its time limit (a missing or failing solver is a
    plain SolverError)."""


class Infeasible(Exception):
    """No plan fits the budgets and hiring pools at all (targets are elastic, so it is one of
    those)."""


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


def run_highs(h: Any) -> Any:
    """h.run() for the highspy model `h`, in a thread of its own while this one waits.

    A signal's handler (Ctrl-C's KeyboardInterrupt, model.cli.interrupts' SIGTERM) runs only in
    the main thread and only between Python steps; HiGHS may hold that thread for minutes. So
    the solve runs in a daemon thread and the main thread waits in short steps, free to take
    the signal. It cannot unwind while HiGHS runs (the callers' `finally` blocks change the
    model; HiGHS has no safe way to be stopped from outside), so the command line's handler
    ends the process there (model.executor.end_at_once); without one (a notebook) the solve is
    waited for and the exception raised after it. Off the main thread (a Dask worker's task),
    h.run() runs here.
    """
    if threading.current_thread() is not threading.main_thread():
        return h.run()
    outcome: dict[str, Any] = {}

    def solve() -> None:
        try:
            outcome["status"] = h.run()
        except BaseException as exc:  # noqa: BLE001 - raised again in the waiting thread
            outcome["error"] = exc

    solver = threading.Thread(target=solve, name="stationplan-highs", daemon=True)
    solver.start()
    try:
        while solver.is_alive():
            solver.join(0.2)
    except BaseException as exc:
        end_at_once(exc)
        while solver.is_alive():
            with contextlib.suppress(BaseException):  # one interruption is enough
                solver.join(0.2)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("status")


class WarmHiGHS(pulp.HiGHS):
    """PuLP's HiGHS (highspy) interface, quiet, and started from the variables' current values;
    it takes a problem with rows built from arrays (model.optimizer.rows), passed in bulk."""

    takes_array_rows = True

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        with _quiet_stdout():
            super().createAndConfigureSolver(lp)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        """PuLP's model building, column by column and row by row; with array rows, the same
        model in bulk: every row in the problem's order (`matrix`), PuLP's rows indexed for
        PuLP to read the solution back."""
        if not len(getattr(lp, "array_rows", ())):
            super().buildSolverModel(lp)
            return
        import highspy
        import numpy as np

        inf = highspy.kHighsInf
        sign = -1 if lp.sense == pulp.LpMaximize else 1
        variables = lp.variables()
        for k, var in enumerate(variables):
            var.index = k
        n = len(variables)
        cost = np.array([sign * lp.objective.get(v, 0.0) for v in variables], float)
        lower = np.array([-inf if v.lowBound is None else v.lowBound for v in variables], float)
        upper = np.array([inf if v.upBound is None else v.upBound for v in variables], float)
        h = lp.solverModel
        h.addCols(n, cost, lower, upper, 0, np.zeros(n, np.int32), np.zeros(0, np.int32), [])
        if self.mip:
            ints = np.array(
                [k for k, v in enumerate(variables) if v.cat == pulp.LpInteger], np.int32
            )
            kind = int(highspy.HighsVarType.kInteger)
            h.changeColsIntegrality(len(ints), ints, np.full(len(ints), kind, np.uint8))
        add_rows(h, matrix(lp, index_pulp_rows=True))

    def callSolver(self, lp: pulp.LpProblem) -> None:
        start = [v.varValue for v in lp.variables()]
        if start and all(x is not None for x in start):
            import highspy

            sol = highspy.HighsSolution()
            sol.col_value = [float(x) for x in start]
            sol.value_valid = True
            lp.solverModel.setSolution(sol)
        run_highs(lp.solverModel)


def make_solver(
    sc: Scenario, time_limit_s: float | None = None, msg: bool = False, gap: float | None = None
) -> pulp.LpSolver:
    """The PuLP solver the scenario asks for, with its time limit and gap (or `gap`)."""
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    gap = sc.solver.gap if gap is None else gap
    if sc.solver.name == "highs":
        # More primal heuristics than HiGHS's default 0.05 (measured ~3x faster on the shipped
        # county and prefecture scenarios). On province-size models HiGHS's sub-MIP heuristics
        # (RENS, RINS, root reduced cost) spend minutes in objective propagation and overrun the
        # time limit: off there.
        options: dict[str, Any] = {"mip_heuristic_effort": 0.3}
        if len(sc.townships) * sc.horizon.years > LARGE:
            options = {
                "mip_heuristic_run_root_reduced_cost": False,
                "mip_heuristic_run_rens": False,
                "mip_heuristic_run_rins": False,
            }
        solver = WarmHiGHS(msg=msg, timeLimit=limit, gapRel=gap, threads=1, **options)
    else:
        with (
            warnings.catch_warnings()
        ):  # PuLP 3 deprecates its bundled CBC; it is still the CBC at hand
            warnings.simplefilter("ignore", DeprecationWarning)
            solver = pulp.PULP_CBC_CMD(msg=msg, timeLimit=limit, gapRel=gap)
    if not solver.available():
        raise SolverError(
            Bi(
                f"solver {sc.solver.name!r} is not available on this machine; install it "
                "(HiGHS comes with the highspy package) or set solver.name to the other one",
                f"本机没有求解器 {sc.solver.name!r}：请安装（HiGHS 随 highspy 包安装），"
                "或把 solver.name 改为另一个求解器",
            )
        )
    return solver


def solve_once(
    prob: pulp.LpProblem, sc: Scenario, time_limit_s: float | None = None, gap: float | None = None
) -> dict[str, Any]:
    """Solve the problem as it stands; return status, objective, best bound, gap and time."""
    solver = make_solver(sc, time_limit_s, gap=gap)
    t0 = time.perf_counter()
    try:
        prob.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverError(
            Bi(
                f"solver {sc.solver.name!r} failed: {exc}",
                f"求解器 {sc.solver.name!r} 出错（报错 '{exc}'）",
            )
        ) from None
    elapsed = time.perf_counter() - t0
    info: dict[str, Any] = {
        "solver": sc.solver.name,
        "status": pulp.LpStatus[prob.status],
        "objective": pulp.value(prob.objective),
        "best_bound": None,
        "gap": None,
        "solve_s": round(elapsed, 3),
        "time_limit_s": sc.solver.time_limit_s if time_limit_s is None else time_limit_s,
        "gap_limit": sc.solver.gap,
    }
    if sc.solver.name == "highs":
        h = prob.solverModel
        hinfo = h.getInfo()
        info["status"] = h.modelStatusToString(h.getModelStatus())
        is_mip = any(v.cat == pulp.LpInteger for v in prob.variables())
        sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        if is_mip:
            # HiGHS minimises sign × the objective without its constant (PuLP does not pass it)
            bound = float(hinfo.mip_dual_bound)
            info["best_bound"] = sign * bound + float(prob.objective.constant or 0.0)
            info["gap"] = float(hinfo.mip_gap)
            info["nodes"] = int(hinfo.mip_node_count)
        else:
            info["best_bound"], info["gap"] = info["objective"], 0.0
    if prob.status == pulp.LpStatusInfeasible:
        raise Infeasible(info["status"])
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        raise NoPlanInTime(no_plan(sc.solver.name, info["status"], info["time_limit_s"]))
    return info


def no_plan(solver: str, status: str, limit: float) -> Bi:
    """The message of a solve that found no plan within its time limit (s)."""
    return Bi(
        f"{solver} found no plan ({status}) within {limit} s; raise solver.time_limit_s or "
        "loosen solver.gap",
        f"{solver} 在 {limit} 秒内没有找到方案（{status}）：请提高 solver.time_limit_s 或放宽 "
        "solver.gap",
    )


class HighsSession:
    """One HiGHS model built in bulk from a PuLP problem (its PuLP rows and its rows built from
    arrays, model.optimizer.rows, in the problem's order), for a sequence of solves on it.

    The optimizer's large-model path relaxes, fixes and re-solves the same problem several times
    (see `model.optimizer.solve.relax_and_fix`); PuLP's own interface rebuilds the model column
    by column each time. Internally the session minimises (a maximisation's costs are negated);
    everything it returns is in the problem's own sense. `write_back` puts a solution into the
    PuLP variables.
    """

    def __init__(self, prob: pulp.LpProblem, sc: Scenario) -> None:
        import highspy
        import numpy as np

        self.prob, self.sc, self.hs = prob, sc, highspy
        self.variables = prob.variables()
        for k, var in enumerate(self.variables):
            var.index = k
        n = len(self.variables)
        self.sign = -1.0 if prob.sense == pulp.LpMaximize else 1.0
        inf = highspy.kHighsInf
        self.lower = np.array(
            [-inf if v.lowBound is None else float(v.lowBound) for v in self.variables]
        )
        self.upper = np.array(
            [inf if v.upBound is None else float(v.upBound) for v in self.variables]
        )
        self.integer = np.array(
            [k for k, v in enumerate(self.variables) if v.cat == pulp.LpInteger], dtype=np.int32
        )
        cost = np.zeros(n)
        for var, coef in prob.objective.items():
            cost[var.index] = self.sign * coef
        self.cost = cost
        self.offset = float(prob.objective.constant or 0.0)
        rows = matrix(prob)  # PuLP's rows and the array rows, in order (model.optimizer.rows)
        self.row_of: dict[str, int] = {name: r for r, name in enumerate(rows.names)}
        with _quiet_stdout():
            self.h = highspy.Highs()
        h = self.h
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.addCols(
            n,
            cost,
            self.lower,
            self.upper,
            0,
            np.zeros(n, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        m = len(rows.names)
        add_rows(h, rows)
        self.n, self.m = n, m
        self.row_lo, self.row_hi = rows.lower, rows.upper
        self.rows = rows  # the rows as passed to HiGHS
        self.basis: Any = None  # the relaxation's optimal basis, once solved
        self._stop: tuple[float, float] = (0.0, 0.0)  # (objective, HiGHS clock) for `mip`

    def _interrupt(self, event: Any) -> None:
        """HiGHS's MIP callback: stop at a plan that reaches the target after the grace time."""
        out = event.data_out
        if out.mip_primal_bound <= self._stop[0] and out.running_time >= self._stop[1]:
            event.interrupt()

    def _integrality(self, on: bool) -> None:
        kind = self.hs.HighsVarType.kInteger if on else self.hs.HighsVarType.kContinuous
        import numpy as np

        if len(self.integer):
            self.h.changeColsIntegrality(
                len(self.integer),
                self.integer,
                np.full(len(self.integer), int(kind), dtype=np.uint8),
            )

    def _bounds(self, fixed: dict[int, float] | None) -> None:
        import numpy as np

        lo, hi = self.lower.copy(), self.upper.copy()
        for k, v in (fixed or {}).items():
            lo[k] = hi[k] = v
        idx = np.arange(self.n, dtype=np.int32)
        self.h.changeColsBounds(self.n, idx, lo, hi)

    def _run(
        self, time_limit_s: float, gap: float | None, options: dict[str, Any], mip: bool
    ) -> dict[str, Any]:
        h = self.h
        # HiGHS 1.16 times a MIP from the start of its run (its time limit and the callback's
        # running_time) but an LP by the clock of all runs (getRunTime()): an LP's limit of 25 s
        # after 66 s of MIPs stopped it at once, a MIP's limit of 3 s after 4 s ran 3 s more
        limit = max(0.1, time_limit_s)
        h.setOptionValue("time_limit", float(limit if mip else h.getRunTime() + limit))
        h.setOptionValue("mip_rel_gap", float(self.sc.solver.gap if gap is None else gap))
        for key, value in options.items():
            h.setOptionValue(key, value)
        t0 = time.perf_counter()
        run_highs(h)
        info = h.getInfo()
        status = h.getModelStatus()
        out: dict[str, Any] = {
            "status": h.modelStatusToString(status),
            "seconds": time.perf_counter() - t0,
            "feasible": info.primal_solution_status == 2,
            "x": None,
            "objective": None,
        }
        if status in (
            self.hs.HighsModelStatus.kInfeasible,
            self.hs.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            out["infeasible"] = True
        if out["feasible"]:
            solution = h.getSolution()
            out["x"] = list(solution.col_value)
            out["rows"] = list(solution.row_value)
            out["objective"] = self.sign * info.objective_function_value + self.offset
        return out

    def relax(
        self,
        time_limit_s: float,
        fixed: dict[int, float] | None = None,
        row_lower: dict[int, float] | None = None,
        row_upper: dict[int, float] | None = None,
    ) -> dict[str, Any]:
        """Solve the linear relaxation; its objective is a bound on every plan. With `fixed`
        columns at their values or `row_lower` rows' lower bounds raised or `row_upper` rows'
        upper bounds lowered (for this solve only), it is a relaxation of a restricted problem,
        no longer a bound, solved from the first relaxation's basis (on 2,500 townships 70
        simplex iterations, 0.3 s, instead of 2.8 s)."""
        restricted = bool(fixed or row_lower or row_upper)
        changed = set(row_lower or {}) | set(row_upper or {})
        self._integrality(False)
        self._bounds(fixed)
        for row in changed:
            lower = (row_lower or {}).get(row, float(self.row_lo[row]))
            upper = (row_upper or {}).get(row, float(self.row_hi[row]))
            self.h.changeRowBounds(row, lower, upper)
        if restricted and self.basis is not None:
            self.h.setBasis(self.basis)
        try:
            out = self._run(time_limit_s, None, {}, mip=False)
        finally:
            for row in changed:
                self.h.changeRowBounds(row, float(self.row_lo[row]), float(self.row_hi[row]))
        if not restricted and out["status"] == "Optimal":
            self.basis = self.h.getBasis()
        return out

    def mip(
        self,
        time_limit_s: float,
        gap: float | None = None,
        fixed: dict[int, float] | None = None,
        start: list[float] | None = None,
        options: dict[str, Any] | None = None,
        target: float | None = None,
        grace_s: float = 0.0,
        any_plan: bool = False,
    ) -> dict[str, Any]:
        """Solve the MILP, with some columns fixed and from a start, if given; adds best bound and
        gap. With `target` (an objective value in the problem's own sense), HiGHS stops at a plan
        at least that good once it has run `grace_s` seconds. With `any_plan`, the objective is
        left out for this solve: HiGHS stops at the first plan that fits every row (its objective
        and bound are then the problem's objective of that plan, not a bound)."""
        import numpy as np

        self._integrality(True)
        self._bounds(fixed)
        if any_plan:
            every = np.arange(self.n, dtype=np.int32)
            self.h.changeColsCost(self.n, every, np.zeros(self.n))
            try:
                out = self._run(time_limit_s, None, options or {}, mip=True)
            finally:
                self.h.changeColsCost(self.n, every, self.cost)
            if out["feasible"]:
                x = np.asarray(out["x"])
                out["objective"] = self.sign * float(self.cost @ x) + self.offset
            out["best_bound"], out["gap"], out["nodes"] = None, None, 0
            return out
        if start is not None:
            self.h.setSolution(self.n, np.arange(self.n, dtype=np.int32), np.array(start, float))
        if target is not None:  # the callback only then: it costs HiGHS time (about 10%)
            # HiGHS minimises sign × (objective − offset); the callback's clock starts at the run
            self._stop = (self.sign * (target - self.offset), grace_s)
            self.h.cbMipInterrupt.subscribe(self._interrupt)
        try:
            out = self._run(time_limit_s, gap, options or {}, mip=True)
        finally:
            if target is not None:
                self.h.cbMipInterrupt.unsubscribe(self._interrupt)
        info = self.h.getInfo()
        out["best_bound"] = self.sign * float(info.mip_dual_bound) + self.offset
        out["gap"] = float(info.mip_gap)
        out["nodes"] = int(info.mip_node_count)
        return out

    def write_back(
        self,
        x: list[float],
        status: int = pulp.LpStatusOptimal,
        sol_status: int = pulp.LpSolutionIntegerFeasible,
    ) -> None:
        """Put solution `x` into the PuLP variables (so pulp.value and the optimizer's extract read
        it)."""
        for var, value in zip(self.variables, x):
            var.varValue = value
        self.prob.assignStatus(status, sol_status)
