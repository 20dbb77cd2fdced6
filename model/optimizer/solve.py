"""Solving the MILP: targets first, then the objective; relax and fix on large models; the plan
read back."""

from __future__ import annotations

import logging
import time
from typing import Any

import numpy as np
import pandas as pd
import pulp

from model.errors import Bi, InputError
from model.inputs.scenario import Scenario
from model.optimizer.formulation import Model, build, set_objective, severance_per_worker
from model.optimizer.highs import (
    LARGE,
    HighsSession,
    Infeasible,
    NoPlanInTime,
    SolverError,
    no_plan,
    solve_once,
)
from model.optimizer.inputs import Inputs
from model.optimizer.points import extract_points, has_points, township_points
from model.optimizer.solution import value_of
from model.optimizer.start import today_start
from model.plan.result import PlanResult, SolveInfo
from model.plan.targets import family, priority_order
from model.vocabulary import GRADES

log = logging.getLogger("stationplan.optimize")


RELAX_AND_FIX = 500
"""Township-years from which HiGHS solves go through relax_and_fix (LP bound, fix, small MILP)."""

MARGINS = (0.00025, 0.001, 0.004)
"""Margins by which relax_and_fix raises the service-level and served-share targets the
relaxation meets, one after the other, when the plan fixed from it misses one: a share of each
target (benchmarks/README.md)."""


BUDGET_MARGIN = 0.01
"""How much lower relax_and_fix sets every year's budget in the relaxation it fixes from when
fixing from the first finds no plan (`_tries`): on Ganzhou at 80% of its budget, 1% gives a plan
2.8% below the bound in 7 s where fixing from the first relaxation finds none in 4 s."""


HOLD = 1e-6
"""How far above its best a target family's shortfall may go once held (relative shortfall,
summed over the family's rows: a millionth of a target): above HiGHS's feasibility tolerance
(1e-7), far below one station or worker short of any target."""

TargetRow = tuple[str, int, str | None]
"""A target row of the model: (target, year, key), as in Model.target_slack."""


def target_stages(model: Model, sc: Scenario) -> list[tuple[str, list[TargetRow]]]:
    """The model's target rows by family (model.plan.targets.family), families in the order of
    targets.priority (`priority_order`); only families with a row."""
    rows: dict[str, list[TargetRow]] = {}
    for name, year, key in model.target_slack:
        rows.setdefault(family(name, key), []).append((name, year, key))
    order = priority_order(sc)
    return [(f, rows[f]) for f in order if f in rows] + [
        (f, r) for f, r in rows.items() if f not in order
    ]


def relative_shortfall(model: Model, rows: list[TargetRow]) -> Any:
    """Σ slack / scale over the target rows: their shortfall relative to each target's size."""
    return pulp.lpSum(model.target_slack[r][0] / model.target_slack[r][1] for r in rows)


def shortfalls(model: Model) -> dict[TargetRow, float]:
    """Each target row's relative shortfall in the plan the variables hold; each slack is set to
    its target's shortfall (a slack the objective does not price may sit above it)."""
    out = {}
    for (name, year, key), (var, scale) in model.target_slack.items():
        row = model.prob.get_constraint_by_name(f"target_{name}_{key or 'all'}_{year}")
        assert row is not None, "add_targets names each target's row so"
        slack = float(var.varValue or 0.0)
        short = max(0.0, slack - float(row.value() or 0.0))  # the target less the measure
        var.varValue = short
        out[name, year, key] = short / scale
    return out


IN_ORDER = 5_000
"""Township-years up to which unmet targets are met in the planner's order (one held MILP per
target family). Above, relax and fix cannot round a province's stage within its holds in the
time (Henan, 2,467 × 3: the fixed MILPs of the first stage infeasible or at their time limit),
so the first solve's plan, every shortfall weighed at once, is the answer."""


def too_large_for_order(townships: int, years: int) -> str | None:
    """Why targets are not met in order for a model of this size (above IN_ORDER
    township-years), or None when they are."""
    if townships * years <= IN_ORDER:
        return None
    return f"targets in order are not applied above {IN_ORDER:,} township-years"


def solve(
    model: Model,
    sc: Scenario,
    time_limit_s: float | None = None,
    stages: list[tuple[str, list[TargetRow]]] | None = None,
    in_order: bool = True,
    start: bool = False,
) -> SolveInfo:
    """Solve: targets in the planner's order, then the objective (lexicographic goal
    programming; docs/method.md "Targets in order").

    1. Every target at once, a relative shortfall costing `penalty_weight` (more than the whole
       objective is worth). A plan that meets every target is the answer: no order does better.
    2. Otherwise, stage by stage in order: the least relative shortfall of the stage's target
       rows (a family of targets.priority), every earlier stage held at its best plus `HOLD`
       by a row. A stage the plan at hand already meets is held at 0 without a solve; every
       solve starts from the plan before, which fits its rows (and is kept if the solver finds
       none in the time: `_held_stage`).
    3. The objective alone (max_service, max_on_time or min_cost as `set_objective` builds it,
       without penalty) with every stage held. Its status, bound and gap are the plan's.

    `stages`: (label, target rows) in the order to meet them; default the families in the order
    of targets.priority (`target_stages`). Target rows in no stage are neither priced nor held.
    `in_order`: False stops after step 1, the shortfalls weighed at once (the workshop's quick
    re-plans; also every model above IN_ORDER township-years). `start`: the variables hold a
    plan that fits every row (e.g. `catchment_start`'s), for the first solve to start from.
    Models of RELAX_AND_FIX township-years and more go through `relax_and_fix` (HiGHS) at every
    solve; smaller ones straight to the MILP solver.

    The time limit is the whole solve's: each stage gets what the stages before left. So that a
    time limit never means no plan, a plan of today's network (`model.optimizer.start`) is the
    floor: on large models built first and given to relax and fix as its start (it takes what it
    needs, Henan 1.7 s, beyond the limit); on small ones built only if the solver found no plan
    in the time. A plan stopped by the limit has the status "Time limit reached" and its proven
    gap, or none ("no bound yet").
    """
    prob = model.prob
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    stages = target_stages(model, sc) if stages is None else stages
    rows = [r for _, stage_rows in stages for r in stage_rows]
    big = set_objective(model, sc, relative_shortfall(model, rows))
    t_start = time.perf_counter()
    floor = None
    if not start and _relax_and_fix_path(model, sc):
        floor = today_start(model, sc, START_S)
        if floor is not None:
            _put(model, floor)
            start = True
    t0 = time.perf_counter()  # the time limit counts from here: the floor is beyond it

    def left() -> float:
        return max(0.1, limit - (time.perf_counter() - t0))

    try:
        report = _solve_stage(model, sc, left(), start=start, margins=True)
    except NoPlanInTime:  # no plan in the time: today's network, if it can be run
        floor = today_start(model, sc, START_S)
        if floor is None:
            raise
        _put(model, floor)
        report = {
            "solver": sc.solver.name,
            "status": "Time limit reached",
            "objective": pulp.value(model.prob.objective),
            "best_bound": None,
            "gap": None,
            "solve_s": round(time.perf_counter() - t0, 3),
            "time_limit_s": limit,
            "gap_limit": sc.solver.gap,
            "method": "today's network (the solver found no plan in the time)",
        }
    short = shortfalls(model)
    total = sum(short[r] for r in rows)
    record = [_record("all targets at one weight", total, report)] if rows else []
    large = too_large_for_order(len(model.inp.ids), len(model.inp.years))
    if total > HOLD and (large or not in_order):
        why = large or "targets in order are not applied on request (a quick re-plan)"
        record.append(
            {
                "stage": "targets in order",
                "status": f"{why}: the shortfalls are weighed at once, relative to each "
                "target's size",
            }
        )
    in_order = in_order and large is None
    if total > HOLD and in_order:
        for n, (label, stage_rows) in enumerate(stages):
            best = sum(short[r] for r in stage_rows)
            if best > HOLD:
                prob.sense = pulp.LpMinimize
                prob.setObjective(relative_shortfall(model, stage_rows))
                report = _held_stage(model, sc, left())
                short = shortfalls(model)
                best = sum(short[r] for r in stage_rows)
                record.append(_record(label, best, report))
            else:
                record.append({"stage": label, "shortfall": round(best, 9), "status": "met"})
            prob += relative_shortfall(model, stage_rows) <= best + HOLD, f"hold_{n}"
        set_objective(model, sc, penalty=False)
        report = _held_stage(model, sc, left())
        short = shortfalls(model)
        record.append(_record(f"objective {model.objective}", None, report))
    report["solve_s"] = round(time.perf_counter() - t_start, 3)
    report["time_limit_s"] = limit  # the whole solve's (each stage had what was left)
    return SolveInfo(
        **report,
        objective_kind=model.objective,
        penalty_weight=big,
        service_weighted_hours=round(float(pulp.value(model.hours) or 0.0), 3),
        spend_total=round(float(pulp.value(model.spend_all) or 0.0), 4),
        violation=round(sum(short.values()), 9),
        variables=prob.numVariables(),
        constraints=prob.numConstraints(),
        integers=sum(1 for v in prob.variables() if v.cat == pulp.LpInteger),
        targets_in_order=record,
    )


def catchment_start(model: Model, sc: Scenario, limit: float, in_order: bool = True) -> str:
    """Put a plan that fits every row of a model with catchments into its variables' values,
    for relax and fix to start from (its relaxation spreads catchments thinly: on Ganzhou with
    30-minute catchments it left 1,633 values fractional, and the townships' MILPs found no
    plan in their time).

    1. The same scenario without catchments (`build(..., catchments=False)`), solved as `solve`
       solves it: every one of its variables has a namesake here, the catchments' are 0.
    2. Its stations, workers, trainees and levels fixed, the catchments alone (a MILP in the
       catchment binaries) within the hours the stations have to spare, on the first stage's
       objective (`set_objective` with every target's shortfall priced).
    Returns what was done, for the solver's record. A plan with catchments is at least as good
    as this one: relax and fix keeps it unless it finds a better one."""
    budgets = any(name.startswith("budget_") for name in model.prob.constraints)
    base = build(sc, model.inp, objective=model.objective, budgets=budgets, catchments=False)
    solve(base, sc, limit, in_order=in_order)
    values = {v.name: v.varValue for v in base.prob.variables()}
    variables = model.prob.variables()

    def without_catchments() -> None:
        for var in variables:
            var.varValue = values.get(var.name) or 0.0

    without_catchments()
    fixed = [
        var for table in (model.st, model.w, model.tr, model.z, model.inc) for var in table.values()
    ]
    bounds = [(var.lowBound, var.upBound) for var in fixed]
    for var in fixed:
        var.lowBound = var.upBound = var.varValue
    set_objective(model, sc)
    try:
        report = solve_once(model.prob, sc, limit)
    finally:
        for var, (lo, hi) in zip(fixed, bounds):
            var.lowBound, var.upBound = lo, hi
    if report["objective"] is None or any(v.varValue is None for v in variables):
        without_catchments()
    served = sum(1 for v in model.catch.values() if (v.varValue or 0) > 0.5)
    return (
        f"start: the plan without catchments, then {served} township-years served by a "
        f"neighbouring station within its spare hours ({report['status']})"
    )


def stopped(info: Any) -> bool:
    """Whether a plan's solve (a SolveInfo or the solver's report) stopped at its time limit
    without proving its gap: what binds and the least budget are then not worked out (a poor
    plan's unspent money says nothing of what more money buys)."""
    status = info["status"] if isinstance(info, dict) else info.status
    return str(status) == "Time limit reached"


START_S = 30.0
"""Seconds the plan of today's network (model.optimizer.start) may take at most, whatever the
time limit (Henan: 1.7 s; Ganzhou, whose pools cannot replace every leaver: 4.4 s)."""


def _relax_and_fix_path(model: Model, sc: Scenario) -> bool:
    """Whether the model's solves go through relax and fix (HiGHS, RELAX_AND_FIX township-years
    or more)."""
    return sc.solver.name == "highs" and len(model.inp.ids) * len(model.inp.years) >= RELAX_AND_FIX


def _put(model: Model, x: list[float]) -> None:
    """Put a plan (each column's value, in the problem's order) into the variables."""
    for var, value in zip(model.prob.variables(), x):
        var.varValue = value


def _solve_stage(
    model: Model, sc: Scenario, limit: float, start: bool, margins: bool
) -> dict[str, Any]:
    """One solve of the problem as it stands: relax and fix on large models (HiGHS), else the
    MILP solver (HiGHS starts from the variables' values when every one has a value). `start`:
    the variables hold a plan that fits every row (the stage before's), for relax and fix to
    keep unless it finds a better one; `margins`: see relax_and_fix."""
    if _relax_and_fix_path(model, sc):
        x = [float(v.varValue or 0.0) for v in model.prob.variables()] if start else None
        return relax_and_fix(model, sc, limit, start=x, margins=margins)
    return solve_once(model.prob, sc, limit)


def _held_stage(model: Model, sc: Scenario, limit: float) -> dict[str, Any]:
    """A solve after the first, from the plan at hand (which fits every row); if the solver finds
    no plan in the time (CBC takes no start), that plan is kept and the status says so."""
    variables = model.prob.variables()
    before = [v.varValue for v in variables]
    t0 = time.perf_counter()
    try:
        return _solve_stage(model, sc, limit, start=True, margins=False)
    except (SolverError, Infeasible) as exc:
        for var, value in zip(variables, before):
            var.varValue = value
        return {
            "solver": sc.solver.name,
            "status": f"the plan before kept: {exc}",
            "objective": pulp.value(model.prob.objective),
            "best_bound": None,
            "gap": None,
            "solve_s": round(time.perf_counter() - t0, 3),
            "time_limit_s": limit,
            "gap_limit": sc.solver.gap,
        }


def _record(stage: str, shortfall: float | None, report: dict[str, Any]) -> dict[str, Any]:
    """A solve of `solve` as SolveInfo.targets_in_order has it."""
    out: dict[str, Any] = {"stage": stage}
    if shortfall is not None:
        out["shortfall"] = round(shortfall, 9)
    out |= {
        "seconds": report["solve_s"],
        "status": report["status"],
        "objective": report["objective"],
        "gap": report["gap"],
    }
    return out


def _township_of_columns(model: Model, n_cols: int) -> np.ndarray:
    """Township index of each column of a township's variables (-1 for the others)."""
    out = np.full(n_cols, -1, dtype=np.int64)
    for table in (model.st, model.w, model.tr, model.z, model.pt, model.pu):
        for key, var in table.items():
            out[var.index] = key[0]
    for (_, j, _), var in model.catch.items():  # a catchment belongs to the township it serves
        out[var.index] = j
    return out


def met_targets(model: Model, x: Any) -> dict[int, float]:
    """Columns of the target slacks the relaxation `x` leaves at zero, each held at zero: the
    targets it meets, to be met by the plans fixed from it.

    A target's slack costs `penalty_weight` (about twice the most the objective can be worth)
    per unit of relative shortfall, so a shortfall of a ten-thousandth costs about 0.02% of the
    objective, less than the sub-MIPs' gap: the townships' MILP fixed from the relaxation stops
    at a plan that misses a binding service-level target by 0.0001, though plans that meet it
    exist and are better (benchmarks/README.md)."""
    return {
        var.index: 0.0 for var, _ in model.target_slack.values() if abs(float(x[var.index])) <= 1e-9
    }


def within_gap(bound: float, gap: float, maximise: bool) -> float:
    """The worst objective whose gap to `bound` (|bound − objective| / |objective|) is `gap`: a
    MILP that reaches it may stop, its plan proven by the bound."""
    g = 0.999 * gap  # rounding
    return bound / (1 + g) if (bound > 0) == maximise else bound / (1 - g)


def _fixed_mip(
    session: HighsSession,
    x: Any,
    free: set[int],
    hold: dict[int, float],
    time_limit_s: float,
    sc: Scenario,
    target: float,
    start: list[float] | None = None,
) -> dict[str, Any]:
    """The MILP with every integer column outside `free` fixed at its rounded value in `x` and
    the columns in `hold` at their values: to a gap of a quarter of `solver.gap`, or, after a
    tenth of its time, until its plan reaches the objective `target`; from the plan `start`, if
    given (it must fit the fixed values). (Henan with max_on_time: a plan within 0.3% of the
    bound after 13 s, and no proof of 0.125% in 150 s.)"""
    fixed = _fixings(session, x, free)
    fixed.update(hold)
    return session.mip(
        time_limit_s,
        gap=sc.solver.gap / 4,
        fixed=fixed,
        start=start,
        target=target,
        grace_s=time_limit_s / 10,
    )


def _any_plan(session: HighsSession, x: Any, free: set[int], time_limit_s: float) -> dict[str, Any]:
    """The MILP fixed as `_fixed_mip` fixes it, without its objective: the first plan that fits
    every row, when the MILP with its objective found none. HiGHS finds one far sooner (a 300 ×
    5 synthetic region: 5 s, where the MILP with its objective found none in 60 s), and later
    tries improve on it (the relaxation's differences freed: 0.3% of the bound in 100 s). It is
    not a start for the first MILP: from a poor plan HiGHS stayed there (Ganzhou at 80% of its
    budget: 194,245 after 9 s, against 1,769,027 from no start)."""
    return session.mip(time_limit_s, fixed=_fixings(session, x, free), any_plan=True)


def _fixings(session: HighsSession, x: Any, free: set[int]) -> dict[int, float]:
    """Every integer column outside `free` at its rounded value in `x`."""
    return {int(k): float(round(x[k])) for k in session.integer if int(k) not in free}


def _fractional(session: HighsSession, x: Any) -> list[int]:
    """Integer columns the relaxation `x` leaves fractional."""
    return [int(k) for k in session.integer if abs(x[k] - round(x[k])) > 1e-6]


def _freed(session: HighsSession, owner: np.ndarray, frac: list[int]) -> set[int]:
    """Integer columns whose owner (township or county of each column) owns a fractional one:
    the columns a fixed MILP leaves free."""
    ints = session.integer
    return set(ints[np.isin(owner[ints], owner[frac])].tolist())


def _differing(session: HighsSession, town: np.ndarray, x: Any, plan: Any) -> set[int]:
    """Integer columns of the townships where the relaxation `x` and the plan differ: the
    columns a MILP that starts from the plan leaves free (RINS)."""
    ints = session.integer
    differ = ints[np.abs(np.asarray(x)[ints] - np.asarray(plan)[ints]) > 1e-6].tolist()
    return _freed(session, town, differ)


def _stage(name: str, sub: dict[str, Any], free: set[int]) -> dict[str, Any]:
    return {
        "stage": name,
        "seconds": round(sub["seconds"], 3),
        "status": sub["status"],
        "free_integers": len(free),
        "objective": sub["objective"],
    }


def _tries(
    session: HighsSession,
    lp: dict[str, Any],
    town: np.ndarray,
    county: np.ndarray,
    left: Any,
    plan: Any,
) -> Any:
    """The fixed MILPs of relax_and_fix's step 2, in order, as (name, values to fix from, free
    columns, the MILP's start), from the relaxation `lp`; a relaxation solved on the way is
    yielded as (name, its stage, None, None). `plan()`: the best plan so far (its values), or
    None.

    - The townships of the relaxation's fractional values freed.
    - From a relaxation with every year's budget `BUDGET_MARGIN` lower, the same: whole workers
      cost more than the relaxation's fractional ones (a county's survivors, (1 − attrition) ×
      its workers, are rarely whole, and its workers cannot be fewer), so where the budget binds
      the townships fixed from the first relaxation can leave the freed ones no money to round
      with. When the first relaxation spends a year's whole budget, this comes first (Henan:
      fixed from the first relaxation, no plan in 149 s; from this one, within 0.2% of the bound
      in 90 s).
    - With a plan at hand: that plan, with the townships where the relaxation differs from it
      freed (RINS, relaxation induced neighbourhood search). The plan fits the fixed values, so
      the MILP starts from it and can only improve on it.
    - The counties of the fractional values freed (hires couple a county's townships).
    """
    x = lp["x"]
    frac = _fractional(session, x)
    budgets = {
        r: float(session.row_hi[r])
        for name, r in session.row_of.items()
        if name.startswith("budget_")
    }
    binds = any(lp["rows"][r] >= hi - 1e-6 * max(1.0, abs(hi)) for r, hi in budgets.items())

    def fractional() -> Any:
        yield "free the townships of fractional values", x, _freed(session, town, frac), None

    def lower() -> Any:
        if not budgets or left() < 1.0:
            return
        rows = {r: hi - BUDGET_MARGIN * abs(hi) for r, hi in budgets.items()}
        low = session.relax(left() / 2, row_upper=rows)
        stage = {
            "stage": f"relaxation, budgets {BUDGET_MARGIN:.0%} lower",
            "seconds": round(low["seconds"], 3),
            "status": low["status"],
        }
        if low["status"] != "Optimal":
            yield "relaxation", stage, None, None
            return
        some = _fractional(session, low["x"])
        stage["fractional"] = len(some)
        yield "relaxation", stage, None, None
        yield "free the townships, budgets lower", low["x"], _freed(session, town, some), None

    for tries in (lower, fractional) if binds else (fractional, lower):
        yield from tries()
    at_hand = plan()
    if at_hand is not None:
        free = _differing(session, town, x, at_hand)
        if free:
            name = "free the townships where the relaxation and the plan differ"
            yield name, at_hand, free, at_hand
    yield "free their counties", x, _freed(session, county, frac), None


def _with_margin(
    model: Model,
    session: HighsSession,
    held: dict[int, float],
    town: np.ndarray,
    sc: Scenario,
    left: Any,
    time_limit_s: float,
    target: float,
) -> Any:
    """Plans that meet the targets `held` (met_targets), from relaxations with the service-level
    and served-share targets among them raised by each of `MARGINS` in turn: rounding the
    relaxation's few fractional townships then loses less than the margin. Yields (stage, the
    townships' MILP's result or None) per try, until the relaxation has no solution; each MILP
    may stop at a plan that reaches the objective `target`.

    The rows of those targets have fractional coefficients (requests on time, hours served per
    level), so the relaxation meets them exactly with a few fractional stations and rounding
    falls short; counts (coverage, workers) are whole on both sides and are held as they are.
    """
    rows = {}
    for (name, year, key), (var, _) in model.target_slack.items():
        row = session.row_of.get(f"target_{name}_{key or 'all'}_{year}")
        if var.index in held and name in ("service_level", "served_share") and row is not None:
            rows[row] = float(session.row_lo[row])
    if not rows:
        return
    for margin in MARGINS:
        if left() < 1.0:
            return
        raised = {row: rhs + margin * abs(rhs) for row, rhs in rows.items()}
        lp = session.relax(left() / 2, fixed=held, row_lower=raised)
        stage = {
            "stage": f"relaxation, targets raised {margin:.3%}",
            "seconds": round(lp["seconds"], 3),
            "status": lp["status"],
        }
        if lp["status"] != "Optimal":
            yield stage, None
            return
        x = lp["x"]
        frac = _fractional(session, x)
        stage["fractional"] = len(frac)
        yield stage, None
        free = _freed(session, town, frac)
        sub = _fixed_mip(session, x, free, held, min(left() / 2, time_limit_s / 10), sc, target)
        yield _stage("free the townships, targets held", sub, free), sub


def relax_and_fix(
    model: Model,
    sc: Scenario,
    time_limit_s: float,
    start: list[float] | None = None,
    margins: bool = True,
) -> dict[str, Any]:
    """Solve a large model by relaxing, fixing and re-solving, with the relaxation as proof of the
    gap.

    1. The linear relaxation (at most 80% of the time limit). Its objective bounds every plan, and
       it leaves a small share of stations and workers fractional.
    2. Every integer variable of a township the relaxation left whole is fixed there; the MILP
       over the townships with a fractional value (all their years) has half the time left.
       Until a plan is within `solver.gap` of the relaxation, the same from a relaxation with
       budgets `BUDGET_MARGIN` lower (first, when the budget binds), the best plan improved
       where the relaxation differs from it, then the counties of the fractional values freed
       (`_tries`); the best plan is kept. If the plan misses a target the relaxation meets
       (`met_targets`), the relaxation is solved again with those targets raised by a small
       margin and the townships' MILP fixed from it, with the targets held met
       (`_with_margin`); its plan is kept if it is better.
    3. If that plan is within `solver.gap` of the relaxation, it is the answer, proven by the
       relaxation's bound. Otherwise the full MILP starts from it for the time left; above LARGE
       township-years, where HiGHS overruns the limit on the whole MILP, the plan is improved
       where the relaxation differs from it instead.

    `start`: a plan that fits every row (each column's value, in the problem's order), kept
    unless a stage finds a better one, and the full MILP's start. `margins`: step 2's raised
    targets, for an objective that prices the targets' shortfall (a plan `solve` holds to its
    targets by rows cannot miss them).

    Returns the solver's report (SolveInfo's solve fields), with each stage's time and objective.
    """
    t0 = time.perf_counter()
    session = HighsSession(model.prob, sc)
    stages: list[dict[str, Any]] = []

    def left() -> float:
        return max(0.0, time_limit_s - (time.perf_counter() - t0))

    def note(stage: dict[str, Any]) -> None:
        stages.append(stage)
        log.info("relax and fix: %s", stage)

    def gap_of(objective: float, bound: float) -> float:
        return abs(bound - objective) / max(abs(objective), 1e-9)

    note({"stage": "pass model to HiGHS", "seconds": round(time.perf_counter() - t0, 3)})
    best: dict[str, Any] | None = None
    if start is not None:
        value = session.offset + sum(c * start[v.index] for v, c in model.prob.objective.items())
        best = {"x": list(start), "objective": value, "feasible": True}
        note({"stage": "the plan of the stage before", "objective": value})
    bound: float | None = None
    lp = session.relax(left() * 0.8)
    note(
        {
            "stage": "linear relaxation",
            "seconds": round(lp["seconds"], 3),
            "status": lp["status"],
            "objective": lp["objective"],
        }
    )
    if lp.get("infeasible"):
        raise Infeasible(lp["status"])
    if lp["status"] == "Optimal":
        bound = lp["objective"]
        x = lp["x"]
        frac = _fractional(session, x)
        town = _township_of_columns(model, session.n)
        county = np.where(town >= 0, model.inp.county[np.maximum(town, 0)], -1)
        log.info("relax and fix: %d fractional integer values", len(frac))
        stages[-1]["fractional"] = len(frac)
        enough = within_gap(bound, sc.solver.gap, session.sign < 0)

        def plan() -> list[float] | None:
            return None if best is None else list(best["x"])

        for name, xs, free, begin in _tries(session, lp, town, county, left, plan):
            if name.startswith("relaxation"):
                note(xs)
                continue
            if left() < 1.0:
                break
            sub = _fixed_mip(session, xs, free, {}, left() / 2, sc, enough, begin)
            note(_stage(name, sub, free))
            if not sub["feasible"] and best is None and left() >= 1.0:
                # no plan yet: any plan of the same MILP, for the later tries to improve on
                sub = _any_plan(session, xs, free, left() / 4)
                note(_stage(f"{name}, any plan", sub, free))
            if sub["feasible"]:
                if best is None or session.sign * (sub["objective"] - best["objective"]) <= 0:
                    best = sub
            if best is not None and gap_of(best["objective"], bound) <= sc.solver.gap:
                break  # proven by the relaxation
        held = met_targets(model, x)
        if margins and best is not None and any(best["x"][k] > 1e-9 for k in held):
            # a plan that meets them and is within the gap and no worse than the one at hand
            better = session.sign * min(session.sign * enough, session.sign * best["objective"])
            tries = _with_margin(model, session, held, town, sc, left, time_limit_s, better)
            for stage, sub in tries:
                note(stage)
                if sub is not None and sub["feasible"]:
                    if session.sign * (sub["objective"] - best["objective"]) <= 0:
                        best = sub
                    break
    proven = (
        best is not None and bound is not None and gap_of(best["objective"], bound) <= sc.solver.gap
    )
    # HiGHS needs a while to presolve the whole model; with less than a second (or a tenth of the
    # limit) left, the full MILP would only overrun the limit (Ganzhou: 15 s past it)
    time_for_more = left() >= (1.0 if best is None else max(1.0, 0.1 * time_limit_s))
    large = len(model.inp.ids) * len(model.inp.years) > LARGE
    if not proven and time_for_more and best is not None and large and bound is not None:
        # the whole MILP of a province overruns its limit by minutes (Henan: more than 6 minutes
        # past 75 s): improve the plan where the relaxation differs from it instead
        free = _differing(session, town, x, best["x"])
        sub = _fixed_mip(session, best["x"], free, {}, left(), sc, enough, best["x"])
        note(_stage("improve the plan where the relaxation differs", sub, free))
        if sub["feasible"] and session.sign * (sub["objective"] - best["objective"]) <= 0:
            best = sub
    elif not proven and time_for_more:
        full = session.mip(max(left(), 0.1), start=best["x"] if best else None)
        note(
            {
                "stage": "full MILP",
                "seconds": round(full["seconds"], 3),
                "status": full["status"],
                "objective": full["objective"],
                "best_bound": full["best_bound"],
            }
        )
        if full.get("infeasible"):
            raise Infeasible(full["status"])
        better = full["feasible"] and (
            best is None or session.sign * (full["objective"] - best["objective"]) <= 0
        )
        if better:
            best = full
        if bound is None or session.sign * (full["best_bound"] - bound) > 0:
            bound = full["best_bound"]
    if best is None:
        raise NoPlanInTime(no_plan("highs", "Time limit reached", time_limit_s))
    session.write_back(best["x"])
    gap = gap_of(best["objective"], bound) if bound is not None else None
    status = "Optimal" if gap is not None and gap <= sc.solver.gap + 1e-12 else "Time limit reached"
    return {
        "solver": "highs",
        "status": status,
        "objective": best["objective"],
        "best_bound": bound,
        "gap": gap,
        "solve_s": round(time.perf_counter() - t0, 3),
        "time_limit_s": time_limit_s,
        "gap_limit": sc.solver.gap,
        "method": "relax and fix",
        "stages": stages,
    }


def extract(model: Model, sc: Scenario) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The solved plan as tidy tables: plan (township × year), service (× group), hires (county ×
    year × grade: hires, lay-offs and their severance).

    A station's `moved_out` is the workers expected to be moved from it: the posts it cut (last
    year's workers, today's in the first year, less this year's, when positive), each held by a
    worker who stays (1 − attrition) and is moved to another township of the county (or laid
    off); each costs workforce.move_cost (`spend_moves`)."""
    inp = model.inp
    costs = sc.costs
    salary = costs.salary.by_grade()
    keep = 1 - sc.workforce.attrition
    rows, service = [], []
    level_at = {k: j for j, k in enumerate(model.levels)}
    # catchments: a township is served by the station whose binary is on, if it serves hours
    pair_hours: dict[tuple[int, int, int], dict[str, float]] = {}
    for (i, j, c, t), var in model.catch_hours.items():
        pair_hours.setdefault((i, j, t), {})[c] = max(0.0, value_of(var))
    server: dict[tuple[int, int], int] = {}  # (township, year) -> the station serving it
    for (i, j, t), var in model.catch.items():
        if value_of(var) > 0.5 and sum(pair_hours.get((i, j, t), {}).values()) > 1e-6:
            server[j, t] = i
    from_station: dict[tuple[int, int], dict[str, float]] = {}  # (township, year) -> class hours
    workload: dict[tuple[int, int], float] = {}  # (station, year) -> catchment hours, trips in
    for (j, t), i in server.items():
        from_station[j, t] = pair_hours[i, j, t]
        got = sum(pair_hours[i, j, t].values())
        workload[i, t] = workload.get((i, t), 0.0) + model.catch_load[i, j] * got
    with_points = has_points(sc)
    points = township_points(model) if with_points else {}
    for i, tid in enumerate(inp.ids):
        prev_station = int(inp.existing[i])
        prev_workers = float(sum(inp.w0[g][i] for g in GRADES))
        for t in inp.years:
            station = int(round(value_of(model.st[i, t])))
            workers = {g: int(round(value_of(model.w[i, t, g]))) for g in GRADES}
            level = sum(workers.values())
            trained = int(round(value_of(model.tr[i, t])))
            n_points = points.get((i, t), 0)
            by_class = (
                (inp.point_served[i][level, n_points] if n_points else inp.served[i][level])
                if station and level in inp.served[i]
                else {c: from_station.get((i, t), {}).get(c, 0.0) for c in inp.classes}
            )
            for c, groups in inp.class_groups.items():
                class_demand = float(inp.demand[c][i])
                for g in groups:
                    demand = float(inp.group_demand[g][i])
                    got = by_class[c] * demand / class_demand if class_demand > 0 else 0.0
                    service.append(
                        {
                            "township_id": tid,
                            "year": t,
                            "group": g,
                            "demand_hours": round(demand, 3),
                            "served_hours": round(got, 3),
                        }
                    )
            setup = costs.station_setup if station > prev_station else 0.0
            running = costs.station_running * station
            sal = sum(salary[g] * float(inp.wage[i]) * workers[g] for g in GRADES)
            training = costs.certification_training * trained
            moved = keep * max(0.0, prev_workers - level)
            moves = sc.workforce.move_cost * moved
            by_points = (
                {
                    "points": n_points,
                    "point_hours": round(
                        sum(float(inp.point_taken[n_points][c][i]) for c in inp.classes), 3
                    )
                    if n_points
                    else 0.0,
                }
                if with_points
                else {}
            )
            rows.append(
                {
                    "township_id": tid,
                    "year": t,
                    "station": station,
                    "workers_uncertified": workers["uncertified"],
                    "workers_junior": workers["junior"],
                    "workers_intermediate": workers["intermediate"],
                    "trained": trained,
                    "moved_out": round(moved, 4),
                    "client_hours": round(sum(float(inp.demand[c][i]) for c in inp.classes), 3),
                    "served_hours": round(sum(by_class.values()), 3),
                    **by_points,
                    "served_by": inp.ids[server[i, t]] if (i, t) in server else "",
                    "catchment_hours": round(workload.get((i, t), 0.0), 3),
                    "planned_service_level": round(
                        float(inp.on_time[i, inp.years.index(t), level_at[level]]), 4
                    )
                    if station and level in level_at
                    else 0.0,
                    "spend_setup": round(setup, 4),
                    "spend_running": round(running, 4),
                    "spend_salary": round(sal, 4),
                    "spend_training": round(training, 4),
                    "spend_moves": round(moves, 4),
                    "spend": round(setup + running + sal + training + moves, 4),
                }
            )
            prev_station, prev_workers = station, float(level)
    severance = severance_per_worker(sc, inp)
    hires = pd.DataFrame(
        [
            {
                "county": inp.counties[c],
                "year": t,
                "grade": g,
                "hires": round(value_of(v), 4),
                "laid_off": round(value_of(model.lay.get((c, t, g), 0.0)), 4),
                "spend_severance": round(
                    severance[c, g] * value_of(model.lay.get((c, t, g), 0.0)), 4
                ),
            }
            for (c, t, g), v in model.hire.items()
        ]
    )
    return pd.DataFrame(rows), pd.DataFrame(service), hires


def plan_result(model: Model, sc: Scenario, info: SolveInfo) -> PlanResult:
    """The solved model as a PlanResult: the plan, service and hires tables (`extract`), the
    levels beyond the stations (county centres, sector posts) and who pays what (funding
    sources)."""
    from model.optimizer.centres import extract_centres
    from model.optimizer.funding import extract_funding
    from model.optimizer.sectors import extract_sectors

    plan, service, hires = extract(model, sc)
    return PlanResult(
        sc,
        plan,
        service,
        hires,
        info,
        centres=extract_centres(model, sc),
        points=extract_points(model, sc) if has_points(sc) else None,
        sectors=extract_sectors(model, sc),
        funding=extract_funding(model, sc) if sc.funding else None,
    )


def diagnose_limits(sc: Scenario, inp: Inputs, time_limit_s: float | None = None) -> InputError:
    """Why no plan fits: the least budget, hiring-pool or certified-pool excess any plan needs,
    as an InputError.

    From the MILP with elastic budget and pool rows; on models of RELAX_AND_FIX township-years
    and more (HiGHS), from its linear relaxation: a MILP of the whole model can take minutes to
    find any plan, and the relaxation's least excess is one every plan needs too ("at least").
    """
    model = build(sc, inp, objective="min_cost", elastic_limits=True)
    model.prob.sense = pulp.LpMinimize
    model.prob.setObjective(model.limit_violation)
    if sc.solver.name == "highs" and len(inp.ids) * len(inp.years) >= RELAX_AND_FIX:
        session = HighsSession(model.prob, sc)
        limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
        lp = session.relax(limit)
        if lp["x"] is None:
            raise SolverError(
                Bi(
                    f"highs found no relaxation ({lp['status']}) within {limit} s",
                    f"highs 在 {limit} 秒内没有解出线性松弛（{lp['status']}）",
                )
            )
        session.write_back(lp["x"], sol_status=pulp.LpSolutionOptimal)
        if all((v.value() or 0.0) <= 1e-6 for v in model.hard_slack.values()):
            # the relaxation fits within the limits (whole stations and workers do not): the
            # elastic MILP says by how much they must give, if it finds a plan in the time
            try:
                solve_once(model.prob, sc, time_limit_s)
            except SolverError:
                session.write_back(lp["x"], sol_status=pulp.LpSolutionOptimal)
    else:
        solve_once(model.prob, sc, time_limit_s)
    src = display_source(sc)
    for key, var in sorted(model.hard_slack.items(), key=lambda kv: -(kv[1].value() or 0.0)):
        used = float(var.value() or 0.0)
        if used <= 1e-6:
            continue
        if key[0] == "budget":
            year = key[1]
            return InputError(
                src,
                f"budget.{year}",
                Bi(
                    f"at least {sc.budget[year] + used:,.2f} 万元: the stations that "
                    "must stay open (existing ones, and those opened before) cannot be run and "
                    "minimally staffed, and the workers in post (who stay unless they leave or "
                    "workforce.layoffs allows lay-offs) paid, for less",
                    f"至少 {sc.budget[year] + used:,.2f} 万元：少于此数，就无法维持必须继续开办的"
                    "站点（已有的和此前新开的）的运行和最低人员配置，也无法支付在岗社工"
                    "（除非离职或 workforce.layoffs 允许裁员，在岗社工都会留任）的工资",
                ),
                sc.budget[year],
            )
        if key[0] == "funding":
            name, year = key[1], key[2]
            return InputError(
                src,
                f"funding.{name}.amount.{year}",
                Bi(
                    f"at least {used:,.2f} 万元 more from source {name} in {year}: with less, "
                    "the sources, each paying only what it may (its pays, levels and counties), "
                    "cannot pay for the stations that must stay open and the workers in post",
                    f"资金来源 {name} {year} 年至少还需 {used:,.2f} 万元：少于此数，各资金来源"
                    "（各自只能支付其 pays、levels、counties 允许的支出）无法支付必须继续开办的"
                    "站点和在岗社工的支出",
                ),
                sc.funding[name].amount.get(year, 0.0),
            )
        if key[0] == "unpaid":
            _, level, category, c, year = key
            where = inp.counties[c] if c >= 0 else "sector"
            return InputError(
                src,
                "funding",
                "",
                problem=Bi(
                    f"no source may pay the {category} of {level} in {where} in {year} "
                    f"({used:,.2f} 万元 that no plan can avoid): add it to some source's pays, "
                    "levels and counties",
                    f"没有任何资金来源可以支付 {where} {year} 年 {level} 的 {category}"
                    f"（任何方案都无法避免的 {used:,.2f} 万元）：请把它加入某个来源的 pays、"
                    "levels 和 counties",
                ),
            )
        county, year = inp.counties[key[1]], key[2]
        if key[0] == "certified_pool":
            return InputError(
                src,
                "workforce.certified_pool_per_county",
                Bi(
                    f"at least {sc.workforce.certified_pool_per_county + used:.2f} "
                    f"workers: county {county} must hire that many certified workers in {year} "
                    "to keep its stations' certified workers and supervisors",
                    f"至少 {sc.workforce.certified_pool_per_county + used:.2f} 人：{county} "
                    f"{year} 年须招聘这么多持证社工，才能保证站点的持证社工和督导人数",
                ),
                sc.workforce.certified_pool_per_county,
            )
        return InputError(
            src,
            "workforce.hiring_pool_per_county",
            Bi(
                f"at least {sc.workforce.hiring_pool_per_county + used:.2f} "
                f"workers: county {county} must hire that many in {year} to keep its stations at "
                "the minimum staff",
                f"至少 {sc.workforce.hiring_pool_per_county + used:.2f} 人：{county} {year} 年"
                "须招聘这么多社工，才能让站点达到最低人员配置",
            ),
            sc.workforce.hiring_pool_per_county,
        )
    return InputError(
        src,
        None,
        "",
        problem=Bi(
            "no plan satisfies the staffing rules, budgets and hiring pools together "
            "(workers in post stay unless workforce.layoffs is true)",
            "没有任何方案能同时满足人员配置规则、预算和招聘人数上限"
            "（除非 workforce.layoffs 为 true，在岗社工都会留任）",
        ),
    )


def display_source(sc: Scenario) -> str:
    return sc.source_label + (Bi(" (with --set)", "（含 --set）") if sc.overrides else "")
