"""A region planned province by province: every province a model of its own, solved as a task on
the executor (a local Dask cluster by default), the plans merged into one.

    result = optimize(sc)          # sc.provinces given: optimize_provinces(sc) underneath

Without coupling between provinces (no shared budget or national target held by rows), the
national optimum is the provinces' optima side by side: each province's budget, targets and
hiring pools are its own (`provinces.<name>` in the scenario), every county belongs to one
province, and every rule of the model is within a county or a province. A province's model is
the ordinary one (model.optimizer.formulation) on its townships, built and solved in the worker
that runs its task, with one solver thread; the same numbers come back whether the tasks run
serially or on a cluster (each task is a pure function of its scenario).

The merged PlanResult has the plan, service, hires, centres and points of every province in the
township table's order, a SolveInfo that adds up the provinces' (objective, bound, sizes, CPU
seconds; the gap from the summed objective and bound, the status the provinces share or a
count of each), the national targets (the scenario's own `targets`, measured on the whole
plan), and `provinces`: one row per province (provinces.csv) with its solve and its targets.
Each province's targets and limits are in `province_targets` and `province_limits`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from model.inputs.provinces import (
    national_scenario,
    province_names,
    province_scenario,
)
from model.inputs.scenario import Scenario
from model.plan.result import PlanResult, SolveInfo


def _solve_one(
    sub: Scenario,
    name: str,
    objective: str | None,
    budgets: bool,
    time_limit_s: float | None,
    on_time: np.ndarray | None,
    in_order: bool,
) -> tuple[str, PlanResult, float]:
    """One province's plan (a task: built and solved in the worker), with its wall seconds."""
    from model.optimizer.optimize import optimize

    t0 = time.perf_counter()
    result = optimize(
        sub,
        objective=objective,
        budgets=budgets,
        time_limit_s=time_limit_s,
        estimate_gap=False,
        on_time=on_time,
        worth=False,
        in_order=in_order,
    )
    return name, result, time.perf_counter() - t0


def optimize_provinces(
    sc: Scenario,
    objective: str | None = None,
    budgets: bool = True,
    time_limit_s: float | None = None,
    on_time: np.ndarray | None = None,
    in_order: bool = True,
    executor: Any = None,
    progress: bool = True,
) -> PlanResult:
    """Plan every province of `sc` as a task on `executor` (default: `open_executor()`, a local
    Dask cluster, or serial inside a Dask worker) and merge the plans (module docstring).
    `on_time`: townships × levels (or × years × levels) of the whole region, split by province."""
    names = province_names(sc)
    province = sc.townships["province"].astype(str).to_numpy()
    tasks = []
    for k, name in enumerate(names):
        sub = province_scenario(sc, name, k)
        share = None if on_time is None else on_time[province == name]
        tasks.append((sub, name, objective, budgets, time_limit_s, share, in_order))
    t0 = time.perf_counter()
    if executor is None:
        from model.executor import open_executor

        with open_executor("serial" if _in_worker() else None) as ex:
            solved = ex.map(_solve_one, tasks, desc="provinces", progress=progress)
    else:
        solved = executor.map(_solve_one, tasks, desc="provinces", progress=progress)
    wall = time.perf_counter() - t0
    return merge(sc, [(n, r, s) for n, r, s in solved], wall)


def _in_worker() -> bool:
    """Whether this runs inside a Dask worker (a sweep's task): then provinces run serially."""
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def merge(sc: Scenario, solved: list[tuple[str, PlanResult, float]], wall_s: float) -> PlanResult:
    """The provinces' plans as one PlanResult of the region (module docstring)."""
    results = [r for _, r, _ in solved]
    order = {tid: k for k, tid in enumerate(sc.townships["township_id"].astype(str))}

    def table(tables: Iterable[pd.DataFrame | None], by_township: bool = False) -> Any:
        parts = [t for t in tables if t is not None]
        if not parts:
            return None
        out = pd.concat(parts, ignore_index=True)
        if by_township and len(out):
            key = out["township_id"].astype(str).map(order)
            out = out.assign(_k=key).sort_values(["_k", "year"], kind="stable").drop(columns="_k")
            out = out.reset_index(drop=True)
        return out

    national = national_scenario(sc)
    result = PlanResult(
        national,
        table((r.plan for r in results), by_township=True),
        table((r.service for r in results), by_township=True),
        table(r.hires for r in results),
        merged_info(sc, results, wall_s),
        centres=table(r.centres for r in results),
        points=table(r.points for r in results),
    )
    result.provinces = province_table(solved)
    result.province_targets = table(
        r.targets.assign(province=name) for name, r, _ in solved if r.targets is not None
    )
    result.province_limits = table(
        r.limits.assign(province=name) for name, r, _ in solved if r.limits is not None
    )
    return result


def merged_info(sc: Scenario, results: list[PlanResult], wall_s: float) -> SolveInfo:
    """One SolveInfo for the provinces' solves: sums of objective, bound, sizes and seconds; the
    gap of the sums; the status they share, else a count of each."""
    infos = [r.solver for r in results]
    statuses = [i.status for i in infos]
    kinds = dict.fromkeys(statuses)
    status = (
        statuses[0] if len(kinds) == 1 else ", ".join(f"{statuses.count(s)} {s}" for s in kinds)
    )
    objective = sum(i.objective or 0.0 for i in infos) if infos else None
    bounds = [i.best_bound for i in infos]
    bound = sum(b for b in bounds if b is not None) if all(b is not None for b in bounds) else None
    gap = None
    if bound is not None and objective is not None:
        gap = abs(bound - objective) / max(abs(bound), 1e-9) if bound else 0.0
    first = infos[0]
    return SolveInfo(
        solver=first.solver,
        status=status,
        objective=objective,
        best_bound=bound,
        gap=gap,
        solve_s=round(sum(i.solve_s for i in infos), 3),
        time_limit_s=first.time_limit_s,
        gap_limit=first.gap_limit,
        objective_kind=first.objective_kind,
        penalty_weight=max(i.penalty_weight for i in infos),
        service_weighted_hours=sum(i.service_weighted_hours for i in infos),
        spend_total=sum(i.spend_total for i in infos),
        violation=sum(i.violation for i in infos),
        variables=sum(i.variables for i in infos),
        constraints=sum(i.constraints for i in infos),
        integers=sum(i.integers for i in infos),
        nodes=sum(i.nodes or 0 for i in infos),
        method=f"by province ({len(infos)} models, {round(wall_s, 1)} s wall)",
        build_s=round(sum(i.build_s or 0.0 for i in infos), 3),
        budget_gap="skipped",
        budget_gap_reason="planned province by province: run a province's scenario on its own "
        "for its least budget",
    )


def province_table(solved: list[tuple[str, PlanResult, float]]) -> pd.DataFrame:
    """provinces.csv: per province its townships, the solve (status, gap, wall and solver
    seconds), and in the last year its stations, workers (all levels), spend and budget (万元),
    and its targets met of all."""
    rows = []
    for name, r, wall in solved:
        last = r.summary.iloc[-1]
        rows.append(
            {
                "province": name,
                "townships": len(r.scenario.townships),
                "status": r.solver.status,
                "gap": r.solver.gap,
                "wall_s": round(wall, 2),
                "solve_s": r.solver.solve_s,
                "year": int(last["year"]),
                "stations": int(last["stations"]),
                "coverage": float(last["coverage"]),
                "workers": round(float(last["workers"] + last.get("workers_other", 0.0)), 2),
                "spend_total": float(last["spend_total"]),
                "budget": float(last["budget"]),
                "targets_met": int(r.targets["met"].sum()) if len(r.targets) else 0,
                "targets": len(r.targets),
            }
        )
    return pd.DataFrame(rows)
