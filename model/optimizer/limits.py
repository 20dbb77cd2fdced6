"""What binds in a plan and what one more unit of it is worth: the table behind limits.csv.

    table = limits_table(model, result)          # after solve; optimize() attaches it
    value_limits(result, on_time)                # the same for a plan whose model is gone

One row per limit and year (and county, for a county's limit), with `used` against `available`
and whether the limit binds (exact, from the plan: the slack is less than one step of the
limit). Rows with no year are the whole horizon: one more hire a year in every year for a
county, one more worker allowed per station, a pass rate 0.1 higher. What a binding limit is
worth, per unit, in served client hours (summed over the years, like the summary's
served_hours) and in the planning objective (higher is better; for min_cost the 万元 saved):

- `re-solve`: the MILP solved again with the limit raised by a step, and without it, both to
  optimality (RESOLVE_GAP), every township outside those the step reaches held at the plan:
  those the linear relaxation moves when the limit is raised, and for a county's pool the
  county's own. A whole re-solve stops within the solver's gap, and on Ganzhou that gap
  (0.1% of the objective, ~2,000 weighted hours) is more than a hire is worth: the difference
  of two such solves would be noise. Models under RELAX_AND_FIX township-years are re-solved
  whole. The most binding limits first (the budgets, then staffing and the exam, then the
  counties by the relaxation's estimate), within a time budget (`time_budget`).
- `LP`: the linear relaxation solved again with the limit raised by the step (warm, from the
  optimal basis): for the limits not re-solved.
- `LP dual`: above SECOND_SOLVE township-years, the relaxation's row duals only (served hours
  from the same basis with served hours as the objective).
- `slack`: a limit that does not bind is worth 0.

Steps: 1% of a year's budget or the cheapest worker-year if more (`budget_step`; worth per
万元), one hire a year (per hire), one worker per station, 0.1 of the exam pass rate.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from model.inputs.scenario import Scenario
from model.optimizer.formulation import EPS_COST, Model, build, penalty_weight, set_objective
from model.optimizer.highs import HighsSession, Infeasible, SolverError, run_highs
from model.optimizer.inputs import Inputs
from model.optimizer.solution import value_of
from model.optimizer.solve import RELAX_AND_FIX, _township_of_columns, solve, stopped
from model.vocabulary import GRADES, progress_words

if TYPE_CHECKING:
    from model.plan.result import PlanResult

log = logging.getLogger("stationplan.limits")

LIMIT_ROWS: dict[str, str] = {
    "budget": "budget_{t}",
    "hiring_pool": "pool_c{c}_{t}",
    "certified_pool": "cpool_c{c}_{t}",
}
"""Each limit that is a row `expression <= available` of the model, by its row names ({t} the
year, {c} the county's index): a limit whose rows the model does not have is skipped. The budget
row's expression has constants (setup of today's stations), so its `available` is the
scenario's budget; the others' is the row's right-hand side."""

UNITS: dict[str, str] = {
    "budget": "万元",
    "funding": "万元",
    "hiring_pool": "hire a year",
    "certified_pool": "certified hire a year",
    "max_workers": "worker per station",
    "exam_pass_rate": "0.1 of pass rate",
}
"""What one unit of each limit is (the unit of its worth)."""

BUDGET_STEP = 0.01
"""Share of a year's budget by which it is raised to value it (the worth is per 万元)."""

PASS_RATE_STEP = 0.1
"""Exam pass rate step (the worth is per step)."""

RESOLVE_GAP = 1e-6
"""Relative MIP gap of the re-solves (both sides), unless ESTIMATE_SHARE allows more."""

ESTIMATE_SHARE = 0.01
"""The re-solves (both sides) may also stop within this share of the relaxation's estimate of
the change (an absolute gap in objective units): 1% of what the step is worth."""

NO_SUB_MIPS = {"mip_heuristic_run_rens": False, "mip_heuristic_run_rins": False}
"""HiGHS options for the re-solves: no RENS or RINS sub-MIPs. With them, HiGHS 1.16's presolve of a
RENS sub-MIP on Ganzhou's re-solve looped in `strengthenInequalities` for over 35 minutes, past
every time limit (a presolve takes no callback and reads no clock there); the re-solves start
from the plan and fix most townships, so the sub-MIPs have little to find."""

MAX_RESOLVES = 30
"""At most this many limits are re-solved; the others keep the relaxation's value."""

COLUMNS = [
    "year",
    "limit",
    "county",
    "used",
    "available",
    "binds",
    "worth_hours_per_unit",
    "worth_objective_per_unit",
    "unit",
    "method",
]


def budget_step(sc: Scenario, inp: Inputs, budget: float) -> float:
    """万元 by which a year's budget is raised to value it: BUDGET_STEP of it, or the cheapest
    worker-year (lowest salary at the lowest wage index) if that is more, so that the step can
    buy at least one worker. A budget binds when less than this step is left."""
    cheapest = min(sc.costs.salary.by_grade().values()) * float(np.min(inp.wage))
    return max(BUDGET_STEP * budget, cheapest)


def time_budget(result: PlanResult, time_limit_s: float | None = None) -> float:
    """Seconds the valuation may take: 5× the plan's own build and solve, at least 20 s, at most
    the solver's time limit (or `time_limit_s`)."""
    info = result.solver
    limit = result.scenario.solver.time_limit_s if time_limit_s is None else time_limit_s
    return float(min(limit, max(20.0, 5.0 * ((info.build_s or 0.0) + info.solve_s))))


@dataclass
class _Raise:
    """One way to raise a limit: rows of the model by `step`, or a scenario `override` (a
    rebuilt model), worth per unit = change / `units`; `rows_at`: the table rows it values."""

    rows_at: list[int]
    step: float
    units: float
    rows: list[str] = field(default_factory=list)
    override: tuple[str, float] | None = None
    towns: set[int] = field(default_factory=set)  # townships every re-solve frees
    resolve: bool = False  # a candidate for re-solving
    lp: tuple[float, float] | None = None  # worth per unit (hours, objective) from the LP
    moved: set[int] = field(default_factory=set)  # townships the LP moves


def _row(t: int | None, limit: str, county: str, used: float, available: float, binds: bool):
    return {
        "year": t,
        "limit": limit,
        "county": county,
        "used": round(float(used), 4),
        "available": round(float(available), 4),
        "binds": bool(binds),
        "worth_hours_per_unit": np.nan if binds else 0.0,
        "worth_objective_per_unit": np.nan if binds else 0.0,
        "unit": UNITS[limit],
        "method": "" if binds else "slack",
    }


def _row_limits(model: Model, sc: Scenario, rows: list[dict], raises: list[_Raise]) -> None:
    """Budget and pool rows: used against available per year (and county); a county's pool
    also over the horizon (one more hire in every year)."""
    prob, inp = model.prob, model.inp
    members: dict[int, set[int]] = {}
    for i, c in enumerate(inp.county):
        members.setdefault(int(c), set()).add(i)
    for limit, pattern in LIMIT_ROWS.items():
        for c in range(len(inp.counties)) if "{c}" in pattern else [None]:
            county = "" if c is None else inp.counties[c]
            found = []  # (row, used, available, binds) per year
            for t in inp.years:
                name = pattern.format(c=c, t=t)
                con = prob.get_constraint_by_name(name)
                if con is None:
                    continue
                slack = -float(con.value() or 0.0)  # value: expression less its bound
                available = float(sc.budget[t]) if limit == "budget" else -con.constant
                step = budget_step(sc, inp, available) if limit == "budget" else 1.0
                binds = slack < step - 1e-9
                rows.append(_row(t, limit, county, available - slack, available, binds))
                found.append((name, available - slack, available, binds))
                if binds:  # a county's rows are re-solved together, over the horizon
                    raises.append(_Raise([len(rows) - 1], step, step, [name], resolve=c is None))
            if c is None or not found:
                continue
            names, used, available, binds = zip(*found, strict=True)
            rows.append(_row(None, limit, county, sum(used), sum(available), any(binds)))
            if any(binds):
                raises.append(
                    _Raise([len(rows) - 1], 1.0, 1.0, list(names), towns=members[c], resolve=True)
                )


def _source_limits(model: Model, sc: Scenario, rows: list[dict], raises: list[_Raise]) -> None:
    """Funding sources (limit `funding`, the source's label or key in `county`): per year the
    money the source spent (used) against what it had (its amount, per-station money and what
    it carried in); it binds when less than a budget step of it is left unspent and not carried
    on. A binding source is valued like a budget: its row raised by the step."""
    prob, inp = model.prob, model.inp
    for (s, t), name in model.fund_row.items():
        con = prob.get_constraint_by_name(name)
        if con is None:
            continue
        slack = -float(con.value() or 0.0)
        spent = sum(
            value_of(var)
            for (src, _, _, _, year), var in model.funding.items()
            if src == s and year == t
        )
        kept = value_of(model.fund_carry.get((s, t), 0.0))
        available = spent + kept + slack
        step = budget_step(sc, inp, max(available, 1.0))
        # money carried on to later years is not held back; a source with nothing this year
        # (per-station money without new stations) holds nothing back either
        binds = slack + kept < step - 1e-9 and available > 1e-9
        label = sc.funding[s].label or s
        rows.append(_row(t, "funding", label, spent, available, binds))
        if binds:
            raises.append(_Raise([len(rows) - 1], step, step, [name]))


def _station_limits(
    sc: Scenario, plan: pd.DataFrame, index: dict[str, int], rows: list[dict], raises: list[_Raise]
) -> None:
    """Staffing and exam per year and over the horizon, from the plan.

    max_workers: used = open stations at the most workers that still leave need unserved,
    available = open stations; binds where there is one. exam_pass_rate: used = workers in training,
    available = uncertified workers (who may train); binds when the plan trains anyone (the
    rate decides how many of them pass)."""
    most, rate = sc.staffing.max_workers, sc.workforce.exam_pass_rate
    p = plan.copy()
    p["workers"] = p[[f"workers_{g}" for g in GRADES]].sum(axis=1)
    p["at_most"] = (p["station"] == 1) & (p["workers"] >= most)
    p["short"] = p["at_most"] & (p["served_hours"] < p["client_hours"] - 1e-6)
    years = sorted(int(y) for y in p["year"].unique())
    kinds = {
        "max_workers": lambda q: (int(q["short"].sum()), int(q["station"].sum()), q["short"]),
        "exam_pass_rate": lambda q: (
            int(q["trained"].sum()),
            int(q["workers_uncertified"].sum()),
            q["trained"] > 0,
        ),
    }
    for limit, measure in kinds.items():
        for year in years:
            used, available, binding = measure(p[p["year"] == year])
            rows.append(_row(year, limit, "", used, available, bool(binding.any())))
        used, available, binding = measure(p)
        rows.append(_row(None, limit, "", used, available, bool(binding.any())))
        if not binding.any():
            continue
        towns = {index[str(tid)] for tid in p.loc[binding, "township_id"]}
        if limit == "max_workers":
            raises.append(
                _Raise(
                    [len(rows) - 1],
                    1.0,
                    1.0,
                    override=(f"staffing.{limit}", most + 1),
                    towns=towns,
                    resolve=True,
                )
            )
        elif rate < 1.0:
            new = min(1.0, rate + PASS_RATE_STEP)
            raises.append(
                _Raise(
                    [len(rows) - 1],
                    new - rate,
                    (new - rate) / PASS_RATE_STEP,
                    override=(f"workforce.{limit}", new),
                    towns=towns,
                    resolve=True,
                )
            )


def _binding_rows(model: Model, result: PlanResult) -> tuple[list[dict], list[_Raise]]:
    """The table's rows with used, available and binds (worth 0 where a limit does not bind),
    and the ways to raise each binding one."""
    sc = result.scenario
    rows: list[dict] = []
    raises: list[_Raise] = []
    _row_limits(model, sc, rows, raises)
    _source_limits(model, sc, rows, raises)
    index = {str(tid): i for i, tid in enumerate(model.inp.ids)}
    _station_limits(sc, result.plan, index, rows, raises)
    return rows, raises


class _Solution:
    """Served client hours and the planning objective of a solution vector of one model,
    weighed with the plan's own penalty weight (so that a rebuilt model compares)."""

    def __init__(self, model: Model, n: int, big: float) -> None:
        self.model, self.big = model, big
        self.hours = np.zeros(n)
        inp, levels = model.inp, model.levels
        total = [{k: sum(s.values()) for k, s in by_level.items()} for by_level in inp.served]
        if model.exact_levels:
            for (i, _t, k), var in model.z.items():
                self.hours[var.index] = total[i][k]
        else:
            for (i, _t), var in model.st.items():
                self.hours[var.index] = total[i][levels[0]]
            for (i, _t, k), var in model.inc.items():
                self.hours[var.index] = total[i][k] - total[i][k - 1]
        self.terms = {}
        for name in ("service", "on_time", "spend_all", "violation"):
            expr = getattr(model, name)
            if expr is None:
                continue
            vec = np.zeros(n)
            for var, coef in expr.items():
                vec[var.index] += coef
            self.terms[name] = (vec, float(expr.constant or 0.0))

    def _term(self, name: str, x: np.ndarray) -> float:
        vec, const = self.terms[name]
        return float(vec @ x) + const

    def objective(self, x: np.ndarray) -> float:
        """The planning objective, higher is better (formulation.set_objective's terms)."""
        kind = self.model.objective
        penalty = self.big * self._term("violation", x)
        spend = self._term("spend_all", x)
        if kind == "max_service":
            return self._term("service", x) - EPS_COST * spend - penalty
        if kind == "max_on_time":
            return self._term("on_time", x) - EPS_COST * spend - penalty
        return -(spend + penalty)

    def value(self, x: np.ndarray) -> tuple[float, float]:
        """(served client hours, objective) of `x`."""
        return float(self.hours @ x), self.objective(x)


@dataclass
class _Variant:
    """A model rebuilt with a scenario override, its session and the plan in its columns."""

    model: Model
    session: HighsSession
    solution: _Solution
    start: np.ndarray  # the plan's values in the variant's columns (0 for new ones)
    base_index: np.ndarray  # each column's index in the plan's model (-1 for new ones)
    town: np.ndarray  # township of each column (-1 for the others)


class _Valuer:
    """Values the binding limits of one solved model (see the module docstring)."""

    def __init__(
        self, model: Model, sc: Scenario, budget_s: float, on_time: np.ndarray | None
    ) -> None:
        self.t0 = time.perf_counter()
        self.model, self.sc, self.budget_s, self.on_time = model, sc, budget_s, on_time
        self.session = HighsSession(model.prob, sc)
        s = self.session
        self.x0 = np.array([float(v.varValue or 0.0) for v in s.variables])
        self.big = penalty_weight(model, sc)
        self.solution = _Solution(model, s.n, self.big)
        self.town = _township_of_columns(model, s.n)
        self.whole = len(model.inp.ids) * len(model.inp.years) < RELAX_AND_FIX
        self.lp_x: np.ndarray | None = None
        self.variants: dict[tuple[str, float], _Variant | None] = {}
        self.lp_value = (0.0, 0.0)

    def left(self) -> float:
        return max(0.0, self.budget_s - (time.perf_counter() - self.t0))

    # ------------------------------------------------------------------ linear relaxation
    def relax(self) -> bool:
        lp = self.session.relax(self.left())
        if lp["status"] != "Optimal":
            log.info("limits: the relaxation ended %s; limits not valued", lp["status"])
            return False
        self.lp_x = np.array(lp["x"])
        self.lp_value = self.solution.value(self.lp_x)
        return True

    def _raised(self, rows: list[str], step: float) -> list[tuple[int, float, float]]:
        s = self.session
        out = []
        for name in rows:
            r = s.row_of[name]
            out.append((r, float(s.row_lo[r]), float(s.row_hi[r])))
            s.h.changeRowBounds(r, float(s.row_lo[r]), float(s.row_hi[r]) + step)
        return out

    def _restore(self, raised: list[tuple[int, float, float]]) -> None:
        for r, lo, hi in raised:
            self.session.h.changeRowBounds(r, lo, hi)

    def _moved(self, x: np.ndarray, base: np.ndarray, town: np.ndarray, ints: Any) -> set[int]:
        moved = ints[np.abs(x[ints] - base[ints]) > 1e-6]
        return {int(i) for i in town[moved] if i >= 0}

    def lp_step(self, r: _Raise) -> None:
        """The relaxation with the limit raised: worth per unit and the townships it moves."""
        assert self.lp_x is not None
        if r.override is not None:
            variant = self.variant(r.override)
            if variant is None:
                return
            lp = variant.session.relax(self.left())
            if lp["status"] != "Optimal":
                return
            x = np.array(lp["x"])
            hours, obj = variant.solution.value(x)
            base = np.where(variant.base_index >= 0, self.lp_x[variant.base_index], 0.0)
            r.moved = self._moved(x, base, variant.town, variant.session.integer)
        else:
            raised = self._raised(r.rows, r.step)
            try:
                lp = self.session.relax(self.left())
            finally:
                self._restore(raised)
            if lp["status"] != "Optimal":
                return
            x = np.array(lp["x"])
            hours, obj = self.solution.value(x)
            r.moved = self._moved(x, self.lp_x, self.town, self.session.integer)
        r.lp = ((hours - self.lp_value[0]) / r.units, (obj - self.lp_value[1]) / r.units)

    def duals(self, raises: list[_Raise]) -> dict[int, tuple[float, float]]:
        """Per raise, its rows' duals summed (hours, objective per unit of the rows): the
        objective's from the relaxation, the served hours' from its basis with served hours as
        the costs (no simplex iteration: the derivative of served hours along that basis)."""
        s = self.session
        h = s.h
        objective = np.array(h.getSolution().row_dual) * s.sign
        basis = h.getBasis()
        cost = np.array(h.getLp().col_cost_)
        idx = np.arange(s.n, dtype=np.int32)
        # some highspy versions return (status, value)
        raw: dict[str, Any] = {
            k: h.getOptionValue(k) for k in ("simplex_iteration_limit", "presolve")
        }
        saved = {k: v[1] if isinstance(v, tuple) else v for k, v in raw.items()}
        try:
            h.changeColsCost(s.n, idx, self.solution.hours)
            h.setBasis(basis)
            h.setOptionValue("simplex_iteration_limit", 0)
            h.setOptionValue("presolve", "off")
            run_highs(h)
            hours = np.array(h.getSolution().row_dual)
        finally:
            h.changeColsCost(s.n, idx, cost)
            for key, value in saved.items():
                h.setOptionValue(key, value)
            h.setBasis(basis)
        out = {}
        for k, r in enumerate(raises):  # per unit of the rows' bounds: 万元, hires
            at = [s.row_of[name] for name in r.rows]
            out[k] = (float(hours[at].sum()), float(objective[at].sum()))
        return out

    # ------------------------------------------------------------------ re-solves
    def variant(self, override: tuple[str, float]) -> _Variant | None:
        """The model rebuilt with `override` (staffing.max_workers or the exam pass rate), once."""
        if override not in self.variants:
            self.variants[override] = self._rebuild(override)
        return self.variants[override]

    def _rebuild(self, override: tuple[str, float]) -> _Variant | None:
        key, value = override
        sc2 = self.sc.with_overrides({key: value})
        on_time = self.on_time
        if on_time is not None and key == "staffing.max_workers":
            # the closed form's share for the new staffing level beside the plan's own table
            closed = Inputs.from_scenario(sc2).on_time
            on_time = np.asarray(on_time)
            if on_time.ndim == 2:
                on_time = np.repeat(on_time[:, None, :], len(sc2.years), axis=1)
            on_time = np.concatenate([on_time, closed[:, :, on_time.shape[2] :]], axis=2)
        try:
            model = build(
                sc2,
                Inputs.from_scenario(sc2, on_time),
                objective=self.model.objective,
                budgets=any(c.name.startswith("budget_") for c in self.model.prob.constraints()),
            )
            set_objective(model, sc2)
            session = HighsSession(model.prob, sc2)
        except ValueError as exc:  # e.g. an objective the rebuilt model cannot take
            log.info("limits: %s not valued: %s", key, exc)
            return None
        where = {v.name: k for k, v in enumerate(self.session.variables)}
        base_index = np.array([where.get(v.name, -1) for v in session.variables])
        start = np.where(base_index >= 0, self.x0[np.maximum(base_index, 0)], 0.0)
        town = _township_of_columns(model, session.n)
        solution = _Solution(model, session.n, self.big)
        return _Variant(model, session, solution, start, base_index, town)

    def _fixed(
        self, session: HighsSession, x: np.ndarray, town: np.ndarray, free: set[int]
    ) -> dict[int, float]:
        """Integer columns of the townships outside `free` at their values in `x` (none on a
        model small enough to re-solve whole)."""
        if self.whole:
            return {}
        return {int(k): float(round(x[k])) for k in session.integer if int(town[k]) not in free}

    def _mip(
        self, session: HighsSession, fixed: dict, start: np.ndarray, abs_gap: float
    ) -> dict | None:
        limit = self.left() / 2
        if limit < 0.2:
            return None
        out = session.mip(
            limit,
            gap=RESOLVE_GAP,
            fixed=fixed,
            start=list(start),
            options={**NO_SUB_MIPS, "mip_abs_gap": abs_gap},
        )
        return out if out["status"] == "Optimal" and out["feasible"] else None

    def resolve(self, r: _Raise) -> tuple[float, float] | None:
        """Worth per unit (hours, objective) from the MILP solved with and without the raise,
        the townships outside those it reaches held at the plan; None when either solve did not
        finish (time) or found no plan."""
        free = r.towns | r.moved
        gap = max(1e-6, ESTIMATE_SHARE * abs(r.lp[1] * r.units)) if r.lp else 1e-6
        if r.override is not None:
            variant = self.variant(r.override)
            if variant is None:
                return None
            raised = self._mip(
                variant.session,
                self._fixed(variant.session, variant.start, variant.town, free),
                variant.start,
                gap,
            )
            value = variant.solution
        else:
            changed = self._raised(r.rows, r.step)
            try:
                raised = self._mip(
                    self.session, self._fixed(self.session, self.x0, self.town, free), self.x0, gap
                )
            finally:
                self._restore(changed)
            value = self.solution
        if raised is None:
            return None
        fixed = self._fixed(self.session, self.x0, self.town, free)
        base = self._mip(self.session, fixed, self.x0, gap)
        if base is None:
            return None
        hours, obj = value.value(np.array(raised["x"]))
        hours0, obj0 = self.solution.value(np.array(base["x"]))
        return (hours - hours0) / r.units, (obj - obj0) / r.units


def _put(rows: list[dict], r: _Raise, worth: tuple[float, float], method: str) -> None:
    for at in r.rows_at:
        rows[at]["worth_hours_per_unit"] = round(worth[0], 4) + 0.0  # no -0.0
        rows[at]["worth_objective_per_unit"] = round(worth[1], 4) + 0.0
        rows[at]["method"] = method


def _value(
    model: Model,
    result: PlanResult,
    rows: list[dict],
    raises: list[_Raise],
    budget_s: float,
    on_time: np.ndarray | None,
    progress: bool,
) -> int:
    """Fill in the worth of the binding limits; returns how many were re-solved (both solves
    finished)."""
    from model.optimizer.optimize import SECOND_SOLVE

    sc = result.scenario
    if not raises:
        return 0
    v = _Valuer(model, sc, budget_s, on_time)
    if not v.relax():
        return 0
    if len(model.inp.ids) * len(model.inp.years) > SECOND_SOLVE:
        by_rows = [r for r in raises if r.override is None]
        for k, worth in v.duals(by_rows).items():
            _put(rows, by_rows[k], worth, "LP dual")
        return 0
    for r in (r for r in raises if r.override is None):  # warm, one after the other
        v.lp_step(r)
    for r in (r for r in raises if r.override is not None):
        if v.left() > 0:
            v.lp_step(r)
    for r in raises:
        if r.lp is not None:
            _put(rows, r, r.lp, "LP")
    order = sorted(
        (r for r in raises if r.resolve),
        key=lambda r: (
            0 if r.rows and r.rows[0].startswith("budget_") else 1 if r.override else 2,
            -(r.lp[1] if r.lp else 0.0),
        ),
    )[:MAX_RESOLVES]
    with tqdm(
        total=len(order),
        desc=progress_words("what limits are worth", sc.report.language),
        unit=progress_words("re-solve", sc.report.language),
        disable=not progress or len(order) <= 3,
        leave=False,
    ) as bar:
        done = 0
        for r in order:
            if v.left() < 0.5:
                break
            solved = v.resolve(r)
            if solved is not None:
                _put(rows, r, solved, "re-solve")
                done += 1
            bar.update()
    return done


def limits_table(
    model: Model,
    result: PlanResult,
    worth: bool = True,
    on_time: np.ndarray | None = None,
    time_limit_s: float | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """limits.csv for a solved `model` and its `result` (module docstring): what binds, and
    with `worth` what one more unit is worth, within `time_budget` seconds. `on_time`: the
    table the plan was made with (Inputs.from_scenario). `attrs` has the seconds taken, the
    time budget and the number of re-solves."""
    t0 = time.perf_counter()
    rows, raises = _binding_rows(model, result)
    budget_s = time_budget(result, time_limit_s)
    resolves = 0
    if worth:
        resolves = _value(model, result, rows, raises, budget_s, on_time, progress)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["year"] = table["year"].astype("Int64")
    table.attrs = {
        "seconds": round(time.perf_counter() - t0, 3),
        "time_budget_s": round(budget_s, 1) if worth else 0.0,
        "re_solves": resolves,
    }
    return table


def value_limits(
    result: PlanResult,
    on_time: np.ndarray | None = None,
    time_limit_s: float | None = None,
    progress: bool = False,
) -> None:
    """Attach `limits` with worth to a plan whose model is gone (the plan-simulation loop's):
    the model is built and solved again (as the plan was: same scenario and `on_time`), then
    valued. If it does not solve again, the plan keeps what binds without the worth. A plan of
    provinces keeps each province's own (`province_limits`, from its solve): the whole region is
    never built as one model (the country: 38,642 townships solved whole for minutes)."""
    if stopped(result.solver):  # a plan stopped by its time limit says nothing of what binds
        return
    if result.scenario.provinces:
        return
    t0 = time.perf_counter()
    sc = result.scenario
    model = build(sc, Inputs.from_scenario(sc, on_time), objective=result.solver.objective_kind)
    try:
        solve(model, sc, time_limit_s)
    except (Infeasible, SolverError) as exc:
        log.info("limits: the plan's model did not solve again (%s): binds only", exc)
        return
    result.limits = limits_table(model, result, True, on_time, time_limit_s, progress)
    result.limits.attrs["seconds"] = round(time.perf_counter() - t0, 3)  # with the solve


def what_binds(limits: pd.DataFrame | None, budget: dict[int, float] | None = None) -> str:
    """A short label of what binds over the horizon (for sweep tables), e.g. "budget 2/3 years;
    hiring pool 17/18 counties". `budget`: the yearly budgets to judge the money against (a
    level that carries a lower level's plan); default the table's own."""
    if limits is None or not len(limits):
        return ""
    parts = []
    year = pd.to_numeric(limits["year"], errors="coerce")
    money = limits[(limits["limit"] == "budget") & year.notna()]
    if len(money):
        binds = money["binds"].astype(bool)
        if budget is not None:  # more money than the plan had: binds if one step is not left
            avail = year[money.index].map(lambda y: float(budget[int(y)]))
            more = avail > money["available"] + 1e-9
            binds = binds.where(~more, avail - money["used"] < BUDGET_STEP * avail)
        if binds.any():
            parts.append(f"budget {int(binds.sum())}/{len(money)} years")
    whole = limits[year.isna()]
    names = {
        "hiring_pool": ("hiring pool", "counties"),
        "certified_pool": ("certified pool", "counties"),
    }
    for limit, (label, of) in names.items():
        rows = whole[whole["limit"] == limit]
        if len(rows) and rows["binds"].astype(bool).any():
            parts.append(f"{label} {int(rows['binds'].astype(bool).sum())}/{len(rows)} {of}")
    last = limits[year == year.max()]
    most = last[(last["limit"] == "max_workers") & last["binds"].astype(bool)]
    if len(most):
        parts.append(
            f"max workers {int(most['used'].iloc[0])}/{int(most['available'].iloc[0])} stations"
        )
    return "; ".join(parts) or "nothing binds"
