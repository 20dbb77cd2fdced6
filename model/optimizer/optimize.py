"""The optimizer's calls: a plan for the budgets (`optimize`), the least money for every
target (`least_budget`) and, for a plan that misses targets, what meeting each would cost
(`estimate_budget_gap`: budget_gap and the trade-off table)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from model.inputs.provinces import national_targets
from model.inputs.scenario import Scenario
from model.optimizer.formulation import build
from model.optimizer.highs import Infeasible
from model.optimizer.inputs import Inputs
from model.optimizer.limits import limits_table
from model.optimizer.solve import (
    RELAX_AND_FIX,
    catchment_start,
    diagnose_limits,
    plan_result,
    solve,
    stopped,
    too_large_for_order,
)
from model.optimizer.tradeoffs import skipped_table, tradeoff_table
from model.plan.result import PlanResult
from model.vocabulary import BUDGETED

SECOND_SOLVE = 50_000
"""Township-years above which a run does not add the least-budget solve (ask for it with
objective=min_cost)."""


def optimize(
    sc: Scenario,
    objective: str | None = None,
    budgets: bool = True,
    time_limit_s: float | None = None,
    estimate_gap: bool = True,
    on_time: np.ndarray | None = None,
    worth: bool | None = None,
    in_order: bool = True,
    transfer: dict[int, tuple[float, float]] | None = None,
    executor: Any = None,
    reward: dict[tuple[str, int], float] | None = None,
) -> PlanResult:
    """Plan stations and workers for `sc` (objective max_service, max_on_time or min_cost; see
    module docstring).

    When max_service (or max_on_time) leaves a target unmet and `estimate_gap` is set, a
    second, min_cost solve without budgets gives the least spend per year that meets the
    targets (`budget_gap`), and two more plans per unmet target what meeting it would cost in
    money and in the other targets (`tradeoffs`, model.optimizer.tradeoffs).
    `on_time`: the on-time share per township and staffing level; see Inputs.from_scenario.
    `limits` of the result says what binds; with `worth` (default: as `estimate_gap`, a plan of
    its own rather than one of a loop's or an experiment's many) also what one more unit of each
    binding limit is worth, by re-solving within a time budget (model.optimizer.limits).
    `in_order`: False weighs unmet targets' shortfalls at once instead of meeting them in the
    order of targets.priority (model.optimizer.solve.solve), for quick re-plans.
    `transfer`: year -> (price, most), a central transfer the budget rows may draw on at a price
    (a province's Lagrangian subproblem; formulation.build); the money drawn is the result's
    `transfer`. `reward`: (measure, year) -> price, the region's stations or workers that year
    worth a price each (a province's subproblem under national targets; formulation.build).
    `executor`: where a region of provinces solves its provinces' tasks (default: a
    local Dask cluster opened for the call; model.executor); a single model ignores it.
    """

    if sc.provinces:  # every province a model of its own (model.optimizer.provinces)
        from model.optimizer.provinces import optimize_provinces

        if sc.central.transfer or national_targets(sc):
            from model.optimizer.provinces import optimize_central

            return optimize_central(sc, objective, time_limit_s, on_time, executor=executor)
        return optimize_provinces(
            sc, objective, budgets, time_limit_s, on_time, in_order, executor=executor
        )
    t0 = time.perf_counter()
    inp = Inputs.from_scenario(sc, on_time)
    model = build(sc, inp, objective=objective, budgets=budgets, transfer=transfer, reward=reward)
    build_s = time.perf_counter() - t0
    start = None
    if model.catch and len(inp.ids) * len(inp.years) >= RELAX_AND_FIX:
        limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
        start = catchment_start(model, sc, limit, in_order=in_order)
    try:
        info = solve(model, sc, time_limit_s, in_order=in_order, start=start is not None)
    except Infeasible:
        raise diagnose_limits(sc, inp, time_limit_s) from None
    info.build_s = round(build_s, 3)
    if start is not None:
        info.targets_in_order.insert(0, {"stage": "catchment start", "status": start})
    result = plan_result(model, sc, info)
    if model.transfer:
        result.transfer = {t: float(x.varValue or 0.0) for t, x in model.transfer.items()}
    worth = estimate_gap if worth is None else worth
    if not stopped(info):  # a plan stopped by its time limit says nothing of what binds
        result.limits = limits_table(model, result, worth, on_time, time_limit_s, progress=worth)
    if estimate_gap and budgets:
        estimate_budget_gap(result, time_limit_s, on_time, inp)
    return result


def estimate_budget_gap(
    result: PlanResult,
    time_limit_s: float | None = None,
    on_time: np.ndarray | None = None,
    inp: Inputs | None = None,
) -> None:
    """When `result` (a max_service or max_on_time plan) leaves a target unmet, attach the least
    budget that meets them (`budget_gap`) and the trade-off table (`tradeoffs`). `inp`: the
    arrays the plan was built from (default: built again from the scenario and `on_time`)."""
    sc = result.scenario
    info = result.solver
    info.budget_gap, info.budget_gap_reason = "not needed", ""
    if result.all_targets_met or info.objective_kind not in BUDGETED:
        return
    if stopped(info):
        info.budget_gap = "skipped"
        info.budget_gap_reason = "the plan stopped at its time limit, unproven"
        result.tradeoffs = skipped_table(result, info.budget_gap_reason)
        return
    if len(sc.townships) * sc.horizon.years > SECOND_SOLVE:
        # a national model takes minutes to relax; the least-budget solve is a run of its own
        info.budget_gap = "skipped"
        info.budget_gap_reason = "model too large for a second solve in the same run"
        result.tradeoffs = skipped_table(result, info.budget_gap_reason)
        return
    info.budget_gap = "estimated"
    # the least-money estimate and the trade-offs are further answers: each solve gets half the
    # time of the plan itself
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    result.budget_gap = least_budget(sc, limit / 2, on_time).budget_gap
    large = too_large_for_order(len(sc.townships), sc.horizon.years)  # trade-offs: in order
    if large:
        result.tradeoffs = skipped_table(result, large)
        return
    inp = inp or Inputs.from_scenario(sc, on_time)
    result.tradeoffs = tradeoff_table(result, inp, limit / 2)


def least_budget(
    sc: Scenario, time_limit_s: float | None = None, on_time: np.ndarray | None = None
) -> PlanResult:
    """The least spend per year that meets every target, budgets not binding (min_cost, no budget
    rows).

    `budget_gap` of the result: per year, the budget, the least spend, the extra money needed,
    and whether every target can be met at any money (hiring pools and staffing limits still bind).
    """
    result = optimize(
        sc,
        objective="min_cost",
        budgets=False,
        time_limit_s=time_limit_s,
        estimate_gap=False,
        on_time=on_time,
    )
    summary = result.summary.set_index("year")
    reachable = result.all_targets_met
    rows = []
    for year in sc.years:
        least = float(summary.loc[year, "spend_total"])
        budget = float(sc.budget[year]) if year in sc.budget else float("nan")
        rows.append(
            {
                "year": year,
                "budget": budget,
                "least_cost_all_targets": round(least, 2),
                "extra_needed": round(max(0.0, least - budget), 2)
                if budget == budget
                else float("nan"),
                "all_targets_reachable": reachable,
            }
        )
    result.budget_gap = pd.DataFrame(rows)
    return result
