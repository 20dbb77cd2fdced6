"""What meeting each target a plan leaves unmet would cost: the trade-off table (tradeoffs.csv).

    tradeoff_table(result, inp, time_limit_s)   # one row per unmet target (targets.csv row)

For each target the plan misses, two more plans, each with the targets in order
(model.optimizer.solve.solve):

(a) money: the least spend per year that meets the target and every target of a family before
    it in targets.priority (min_cost, no budget rows; later targets left out), as extra 万元 over
    each year's budget; if even that plan misses the target, no money meets it: the hiring pools
    and staffing limits bind (`reachable` false);
(b) the other targets and the service: the plan again at the budgets, with the target moved to
    the front of the order: the targets it pushes out, by how much in their planner's units
    (stations, workers, share points: model.plan.targets.in_planner_units), and the change in
    served client hours.

Money in 万元; served client hours summed over the horizon's years.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from model.inputs.scenario import Scenario
from model.optimizer.formulation import build
from model.optimizer.highs import Infeasible, SolverError
from model.optimizer.inputs import Inputs
from model.optimizer.sectors import extract_sectors
from model.optimizer.solve import TargetRow, extract, solve, target_stages
from model.plan.result import PlanResult
from model.plan.targets import family, in_planner_units

COLUMNS = [
    "target",
    "year",
    "shortfall",
    "unit",
    "short_by",
    "short_unit",
    "reachable",
    "least_spend",
    "extra_money",
    "extra_money_all_years",
    "short_when_first",
    "pushes_out",
    "served_hours_change",
    "first_gap",
    "note",
]
"""Columns of tradeoffs.csv: the target, its year, shortfall and unit (as in targets.csv); the
shortfall in the planner's unit (short_by, short_unit); (a) whether any money meets it with the
targets before it (reachable), the least spend that does in its year (least_spend, 万元), the
extra over that year's budget (extra_money, 万元) and over every year's (extra_money_all_years,
万元); (b) with it first at the budgets, what is left of its shortfall (short_when_first, in
short_unit), the targets it pushes out (pushes_out: target year: by how much, in their planner's
units), the change in served client hours (hours, all years) and that plan's gap on its
objective (first_gap, share: the served hours of a plan stopped at its time limit may be
improved on); note: why a part is missing or uncertain."""

_TOL = 1e-4
"""A target's shortfall in planner's units (stations, workers, share points) counts as changed
above this (targets.csv's tolerance on a share, in points)."""


def label(row: TargetRow) -> str:
    """A target row as targets.csv names it, with its year: coverage 2025, served_share.tekun
    2024."""
    name, year, key = row
    return f"{name}.{key} {year}" if key else f"{name} {year}"


def _row_of(target: str, year: int) -> TargetRow:
    name, _, key = target.partition(".")
    return (name, int(year), key or None)


def _replan(
    sc: Scenario,
    inp: Inputs,
    objective: str,
    budgets: bool,
    time_limit_s: float | None,
    order: Literal["first", "money"],
    row: TargetRow,
) -> PlanResult:
    """A plan with the targets in order, `row` moved: "first" (every target, `row` at the
    front) or "money" (only the families before `row`'s, then `row`)."""
    model = build(sc, inp, objective=objective, budgets=budgets)
    stages = target_stages(model, sc)
    own = family(row[0], row[2])
    if order == "first":
        rest = [(f, [r for r in rows if r != row]) for f, rows in stages]
        stages = [(label(row), [row])] + [(f, rows) for f, rows in rest if rows]
    else:
        before = [f for f, _ in stages].index(own)
        stages = stages[:before] + [(label(row), [row])]
    info = solve(model, sc, time_limit_s, stages=stages)
    plan, service, hires = extract(model, sc)
    return PlanResult(sc, plan, service, hires, info, sectors=extract_sectors(model, sc))


def _short(targets: pd.DataFrame, sc: Scenario) -> dict[TargetRow, tuple[float, str]]:
    """What a plan is short of each target of its targets table, and the unit: in the planner's
    units (model.plan.targets.in_planner_units)."""
    return {
        _row_of(r.target, r.year): in_planner_units(
            r.target.partition(".")[0], r.required, r.achieved, sc
        )
        for r in targets.itertuples()
    }


def tradeoff_table(
    result: PlanResult, inp: Inputs, time_limit_s: float | None = None, budgets: bool = True
) -> pd.DataFrame:
    """One row per target `result` leaves unmet, in targets.csv's order (COLUMNS). `inp`: the
    arrays the plan was built from; each of the two plans per target gets `time_limit_s` per
    solve; `budgets`: whether the plan kept within the budgets (the plans of (b) do too)."""
    sc = result.scenario
    objective = result.solver.objective_kind
    base = _short(result.targets, sc)
    served = float(result.summary["served_hours"].sum())
    rows = []
    for r in result.targets[~result.targets["met"]].itertuples():
        row = _row_of(r.target, r.year)
        out = _head(r, sc)
        notes = []
        try:
            money = _replan(sc, inp, "min_cost", False, time_limit_s, "money", row)
            spend = money.summary.set_index("year")["spend_total"]
            extra = {y: max(0.0, float(spend[y]) - float(b)) for y, b in sc.budget.items()}
            reachable = bool(
                money.targets.set_index(["target", "year"]).loc[(r.target, r.year), "met"]
            )
            out |= {
                "reachable": reachable,
                "least_spend": round(float(spend[row[1]]), 2),
                "extra_money": round(extra.get(row[1], float("nan")), 2),
                "extra_money_all_years": round(sum(extra.values()), 2),
            }
            if not reachable:
                notes.append(
                    "no money meets it: the hiring pools and staffing limits bind (least_spend "
                    "is the plan that comes closest)"
                )
        except (SolverError, Infeasible) as exc:
            notes.append(f"least money not found: {exc}")
        try:
            first = _replan(sc, inp, objective, budgets, time_limit_s, "first", row)
            now = _short(first.targets, sc)
            pushed = [
                f"{label(other)}: {short - base[other][0]:,.4g} {unit}"
                for other, (short, unit) in now.items()
                if other != row and short - base[other][0] > _TOL
            ]
            out |= {
                "short_when_first": round(now[row][0], 2),
                "pushes_out": "; ".join(pushed),
                "served_hours_change": round(first.summary["served_hours"].sum() - served, 1),
                "first_gap": first.solver.gap,
            }
            if first.solver.status != "Optimal":
                gap = "" if first.solver.gap is None else f", {first.solver.gap:.2%} from its bound"
                notes.append(
                    f"the plan with it first stopped at its time limit{gap}: a better one may "
                    "serve more (raise solver.time_limit_s)"
                )
        except (SolverError, Infeasible) as exc:
            notes.append(f"plan with it first not found: {exc}")
        out["note"] = "; ".join(notes)
        rows.append(out)
    return pd.DataFrame(rows, columns=COLUMNS)


def skipped_table(result: PlanResult, reason: str) -> pd.DataFrame:
    """The trade-off table's rows for the unmet targets, with only `reason` in the note."""
    rows = [
        _head(r, result.scenario) | {"note": f"skipped: {reason}"}
        for r in result.targets[~result.targets["met"]].itertuples()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _head(r: Any, sc: Scenario) -> dict[str, Any]:
    """The columns of a trade-off row that come from the plan's targets.csv row `r`."""
    short_by, unit = in_planner_units(r.target.partition(".")[0], r.required, r.achieved, sc)
    return {
        "target": r.target,
        "year": int(r.year),
        "shortfall": float(r.shortfall),
        "unit": r.unit,
        "short_by": round(short_by, 2),
        "short_unit": unit,
    }
