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

import dataclasses
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from model.errors import InputError
from model.inputs.provinces import (
    allotted,
    national_scenario,
    national_targets,
    province_names,
    province_scenario,
    with_national_parts,
)
from model.inputs.scenario import Scenario
from model.plan.result import PlanResult, SolveInfo
from model.vocabulary import progress_words


def _solve_one(
    sub: Scenario,
    name: str,
    objective: str | None,
    budgets: bool,
    time_limit_s: float | None,
    on_time: np.ndarray | None,
    in_order: bool,
    transfer: dict[int, tuple[float, float]] | None = None,
    reward: dict[tuple[str, int], float] | None = None,
) -> tuple[str, PlanResult, float]:
    """One province's plan (a task: built and solved in the worker), with its wall seconds.
    `transfer`: year -> (price, most), a central transfer drawn at a price (optimize_central,
    which weighs the shortfalls at once: `in_order` False, so that a price and a share mean the
    same in every solve)."""
    from model.optimizer.optimize import optimize

    t0 = time.perf_counter()
    try:
        result = optimize(
            sub,
            objective=objective,
            budgets=budgets,
            time_limit_s=time_limit_s,
            estimate_gap=False,
            on_time=on_time,
            worth=False,
            in_order=in_order,
            transfer=transfer,
            reward=reward,
        )
    except InputError as err:  # the province's own field: provinces.<name>.budget.2023
        where = err.where or ""
        if where.startswith(("budget", "targets", "workforce.hiring", "workforce.certified")):
            field = where.removeprefix("workforce.")
            err.where = f"provinces.{name}.{field}"
            err.args = (err.message,)
        raise
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
    lang = sc.report.language
    tasks = []
    for k, name in enumerate(names):
        sub = province_scenario(sc, name, k)
        share = None if on_time is None else on_time[province == name]
        tasks.append((sub, name, objective, budgets, time_limit_s, share, in_order))
    t0 = time.perf_counter()
    with _executor(executor) as ex:
        solved = _largest_first(ex, _solve_one, tasks, progress_words("provinces", lang), progress)
    wall = time.perf_counter() - t0
    return merge(sc, [(n, r, s) for n, r, s in solved], wall)


def _largest_first(ex: Any, fn: Any, tasks: list[tuple], desc: str, progress: bool) -> list:
    """fn(*task) for every task on `ex`, the provinces with most townships submitted first (the
    longest tasks start early, so the workers finish together), results in task order."""
    order = sorted(range(len(tasks)), key=lambda k: -len(tasks[k][0].townships))
    done = ex.map(fn, [tasks[k] for k in order], desc=desc, progress=progress)
    out: list = [None] * len(tasks)
    for k, result in zip(order, done):
        out[k] = result
    return out


@contextmanager
def _executor(executor: Any) -> Iterator[Any]:
    """`executor`, or when None one opened here (`open_executor()`: a local Dask cluster, or
    serial inside a Dask worker) and closed after."""
    if executor is not None:
        yield executor
        return
    from model.executor import open_executor

    with open_executor("serial" if _in_worker() else None) as ex:
        yield ex


def _in_worker() -> bool:
    """Whether this runs inside a Dask worker (a sweep's task): then provinces run serially."""
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def merge(
    sc: Scenario,
    solved: list[tuple[str, PlanResult, float]],
    wall_s: float,
    extra: dict[int, float] | None = None,
) -> PlanResult:
    """The provinces' plans as one PlanResult of the region (module docstring); `extra`: money
    per year on top of the provinces' budgets (a central transfer shared out, 万元)."""
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
    if extra:
        national = dataclasses.replace(national, budget=_plus(national.budget, extra))
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


def optimize_central(
    sc: Scenario,
    objective: str | None = None,
    time_limit_s: float | None = None,
    on_time: np.ndarray | None = None,
    executor: Any = None,
    progress: bool = True,
) -> PlanResult:
    """Plan the provinces with what they share, coordinated by price (Lagrangian relaxation): a
    central transfer T_t (central.transfer; Σ_p x_p,t ≤ T_t, x_p,t the money province p adds to
    its budget in year t) and national targets (central.targets; Σ_p m_p,k ≥ N_k, m_p,k the
    stations or workers of province p in target k's year, N_k the national count).

    At prices λ_t ≥ 0 (a 万元 of transfer) and μ_k ≥ 0 (a station or worker) every province is a
    task of its own: its plan with x_p,t ≤ T_t drawn at λ_t and m_p,k rewarded at μ_k
    (`_solve_one`). L(λ, μ) = Σ_p (its bound at the prices) + Σ_t λ_t T_t − Σ_k μ_k N_k bounds
    the shared plan from above (maximisation; below for min_cost). A feasible plan each step:
    the plans at the prices themselves when they draw no more than T_t and reach every N_k;
    otherwise each province solved again with its share of the transfer (in proportion to what
    it drew, all of it when the provinces drew no more than T_t) added to its budget and its
    part of each national count held as a target of its own (`allotted`: a shortfall spread in
    proportion to the room each province has). Prices move against the subgradients
    T_t − Σ_p x_p,t and Σ_p m_p,k − N_k with Polyak's step (L − best plan) / ‖g‖², halved when
    the bound stalls twice, for central.iterations steps or until the best plan is within
    central.gap of the best bound. The result is the best plan that reaches every national
    count (the best plan found, if none does); `central` (one row per step: prices, money
    drawn, counts reached, bound, plan, gap) and the provinces' shares (provinces.csv
    `transfer_<year>`, `national_<family>_<year>`) say how it was found."""
    c = sc.central
    lang = sc.report.language
    names = province_names(sc)
    province = sc.townships["province"].astype(str).to_numpy()
    subs = [province_scenario(sc, name, k) for k, name in enumerate(names)]
    shares = [None if on_time is None else on_time[province == n] for n in names]
    years = [t for t in sc.years if t in c.transfer]
    goals = national_targets(sc)
    size = np.array([len(s.townships) for s in subs], float)
    maximise = (objective or sc.objective) != "min_cost"
    sign = 1.0 if maximise else -1.0
    price = {t: 0.0 for t in years}
    mu = [0.0] * len(goals)
    theta, stall = 1.0, 0
    best_bound = float("inf")  # of sign × objective
    # (reaches every national count, sign × value, plans, shares of the transfer, target parts)
    best: tuple[bool, float, list, list[dict[int, float]], list[dict]] | None = None
    rows = []
    t_start = time.perf_counter()

    def reached(solved: list) -> np.ndarray:
        """Provinces × goals: each province's stations or workers in each goal's year."""
        return np.array(
            [[_measure(r, g.measure, g.year) for g in goals] for _, r, _ in solved], float
        ).reshape(len(solved), len(goals))

    def run(ex: Any) -> None:
        nonlocal theta, stall, best_bound, best
        for step in range(c.iterations):
            offer = {t: (price[t], float(c.transfer[t])) for t in years} or None
            reward: dict[tuple[str, int], float] = {}
            for g, m in zip(goals, mu):
                reward[g.measure, g.year] = reward.get((g.measure, g.year), 0.0) + m
            tasks = [
                (s, n, objective, True, time_limit_s, o, False, offer, reward or None)
                for s, n, o in zip(subs, names, shares)
            ]
            solved = _largest_first(
                ex,
                _solve_one,
                tasks,
                f"{progress_words('provinces at prices', lang)} ({step + 1})",
                progress,
            )
            drawn = {t: sum((r.transfer or {}).get(t, 0.0) for _, r, _ in solved) for t in years}
            got = reached(solved)
            total = got.sum(axis=0) if goals else np.zeros(0)
            bounds = [r.solver.best_bound for _, r, _ in solved]
            if any(b is None for b in bounds):
                bound = float("inf")
            else:
                bound = (
                    sign * sum(bounds)
                    + sum(price[t] * c.transfer[t] for t in years)
                    - sum(m * g.need for m, g in zip(mu, goals))
                )
            best_bound = min(best_bound, bound)
            fits = all(drawn[t] <= c.transfer[t] + 1e-6 for t in years) and all(
                total[k] >= g.need - 1e-6 for k, g in enumerate(goals)
            )
            parts: list[dict] = [{} for _ in names]
            if fits:  # the plans at the prices share what there is: no second solve
                plans = solved
                for k, g in enumerate(goals):
                    for p in range(len(names)):
                        parts[p][g.measure, g.year] = int(round(got[p, k]))
                given = [{t: (r.transfer or {}).get(t, 0.0) for t in years} for _, r, _ in solved]
                value = sum(
                    sign * (r.solver.objective or 0.0)
                    + sum(price[t] * given[p][t] for t in years)
                    - sum(m * got[p, k] for k, m in enumerate(mu))
                    for p, (_, r, _) in enumerate(solved)
                )
            else:
                cut = {
                    t: (1.0 if drawn[t] <= c.transfer[t] else c.transfer[t] / drawn[t])
                    for t in years
                }
                given = [
                    {t: (r.transfer or {}).get(t, 0.0) * cut[t] for t in years}
                    for _, r, _ in solved
                ]
                for k, g in enumerate(goals):
                    room = size - got[:, k] if g.measure == "stations" else got[:, k] + 1.0
                    for p, n in enumerate(allotted(g.need, got[:, k], room)):
                        key = (g.measure, g.year)
                        parts[p][key] = max(parts[p].get(key, 0), int(n))
                feasible = [
                    (
                        with_national_parts(
                            dataclasses.replace(s, budget=_plus(s.budget, gv)),
                            part,
                            len(s.townships),
                        ),
                        n,
                        objective,
                        True,
                        time_limit_s,
                        o,
                        False,
                    )
                    for s, n, o, gv, part in zip(subs, names, shares, given, parts)
                ]
                plans = _largest_first(
                    ex,
                    _solve_one,
                    feasible,
                    f"{progress_words('provinces with shares', lang)} ({step + 1})",
                    progress,
                )
                value = sign * sum(r.solver.objective or 0.0 for _, r, _ in plans)
            counts = reached(plans).sum(axis=0) if goals else np.zeros(0)
            meets = all(counts[k] >= g.need - 1e-6 for k, g in enumerate(goals))
            if best is None or (meets, value) > (best[0], best[1]):
                best = (meets, value, plans, given, parts)
            top = best[1]
            gap = _gap(best_bound, top) if best[0] else float("inf")
            g_money = {t: c.transfer[t] - drawn[t] for t in years}
            g_count = [float(total[k] - g.need) for k, g in enumerate(goals)]
            rows.append(
                {
                    "step": step + 1,
                    **{f"price_{t}": price[t] for t in years},
                    **{f"drawn_{t}": round(drawn[t], 4) for t in years},
                    **{f"price_{g.family}_{g.year}": mu[k] for k, g in enumerate(goals)},
                    **{
                        f"reached_{g.family}_{g.year}": float(total[k]) for k, g in enumerate(goals)
                    },
                    **{f"need_{g.family}_{g.year}": g.need for g in goals},
                    "bound": bound if maximise else -bound,
                    "plan": value if maximise else -value,
                    "plan_meets_national_targets": meets,
                    "best_bound": best_bound if maximise else -best_bound,
                    "best_plan": top if maximise else -top,
                    "gap": gap,
                    "seconds": round(time.perf_counter() - t_start, 2),
                }
            )
            steady = all(abs(v) < 1e-6 or (v > 0 and price[t] == 0) for t, v in g_money.items())
            steady = steady and all(
                abs(v) < 0.5 or (v > 0 and mu[k] == 0) for k, v in enumerate(g_count)
            )
            if gap <= c.gap or steady:
                return
            if bound > best_bound - 1e-9 and step:
                stall += 1
                if stall >= 2:
                    theta, stall = theta / 2, 0
            norm = sum(v * v for v in g_money.values()) + sum(v * v for v in g_count)
            if norm <= 0:
                return
            # Polyak's step aims at the best plan; with no plan reaching every national count
            # yet, at least 1% below the bound, so that the prices keep rising while counts fall
            # short (a count no price reaches leaves the bound falling without end)
            aim = top if best[0] else min(value, bound - 0.01 * max(1.0, abs(bound)))
            move = theta * max(bound - aim, 1e-9 * max(1.0, abs(aim))) / norm
            for t in years:
                price[t] = max(0.0, price[t] - move * g_money[t])
            for k in range(len(goals)):
                mu[k] = max(0.0, mu[k] - move * g_count[k])

    with _executor(executor) as ex:
        run(ex)
    assert best is not None
    wall = time.perf_counter() - t_start
    _, _, plans, given, parts = best
    result = merge(sc, plans, wall, {t: sum(g[t] for g in given) for t in years})
    result.central = pd.DataFrame(rows)
    table = result.provinces
    assert table is not None
    for t in years:
        table[f"transfer_{t}"] = [round(g[t], 4) for g in given]
    for g in goals:
        table[f"national_{g.family}_{g.year}"] = [
            part.get((g.measure, g.year), 0) for part in parts
        ]
    info = result.solver
    info.best_bound = rows[-1]["best_bound"]
    info.gap = min(r["gap"] for r in rows)
    what = ["central transfer"] if years else []
    what += ["national targets"] if goals else []
    info.method = (
        f"{' and '.join(what)} by price: {len(rows)} steps of {len(names)} provinces, "
        f"{round(wall, 1)} s wall"
    )
    return result


def _measure(result: PlanResult, measure: str, year: int) -> float:
    """A province's stations or workers (every grade and level) in `year`."""
    row = result.summary[result.summary["year"] == year].iloc[0]
    if measure == "stations":
        return float(row["stations"])
    return float(row["workers"] + row.get("workers_other", 0.0))


def _plus(budget: dict[int, float], extra: dict[int, float]) -> dict[int, float]:
    """A budget with `extra` added in its years (万元)."""
    return {t: round(v + extra.get(t, 0.0), 6) for t, v in budget.items()}


def _gap(bound: float, value: float) -> float:
    """Relative distance of the best plan's value below the bound (both of sign × objective)."""
    if bound == float("inf"):
        return float("inf")
    return max(0.0, bound - value) / max(abs(bound), 1e-9)
