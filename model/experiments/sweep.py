"""Budget sweep and frontier: what each funding level buys, and the least money for every target.

    levels = budget_levels(sc, factors=np.linspace(0.6, 1.4, 9))
    result = sweep(sc, levels, executor)          # one task per level, on Dask or serially

Each level is the scenario with every year's budget scaled (or set to an explicit yearly
total); its task optimizes (max_service) and, when asked, simulates the plan. `frontier`
has one row per level (money in 万元, hours/year summed over the horizon):

- budget_total, spend_total;
- coverage (last year), served_share (served / client hours over the horizon, the plan's
  WISN service), targets_met / targets_named;
- cost_per_served_hour (万元 per served hour over the horizon);
- marginal_hours_per_100_wan: extra served hours over the horizon the next 1,000,000 yuan
  (100 万元) buys, from this level to the next;
- with simulation: simulated_served_share, unmet_requests (over the horizon), wait_mean_days.

More money never serves less: a plan that fits a lower level's budgets fits every higher one,
so where the solver returns a plan serving less at a higher level (within its gap), the lower
level's plan is kept there instead (column `plan_from_level`). The knee is the level farthest
above the straight line from the first to the last level (Kneedle, Satopää et al. 2011).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario


@dataclass(frozen=True)
class Level:
    """One funding level: its number and the budget per year (万元)."""

    number: int
    label: str
    budget: dict[int, float]

    @property
    def total(self) -> float:
        return float(sum(self.budget.values()))


def budget_levels(sc: Scenario, factors: list[float] | None = None, totals: list[float] | None = None) -> list[Level]:
    """Levels from factors on every year's budget, or from explicit yearly totals (万元 per year)."""
    if factors is not None:
        return [Level(k, f"×{f:g}", {y: round(float(sc.budget.get(y, 0.0)) * f, 4) for y in sc.years})
                for k, f in enumerate(sorted(factors))]
    assert totals is not None
    return [Level(k, f"{t:g}/year", {y: float(t) for y in sc.years}) for k, t in enumerate(sorted(totals))]


def at_level(sc: Scenario, level: Level) -> Scenario:
    """The scenario with the level's budgets (recorded as overrides for provenance)."""
    extra = tuple(f"budget.{y}={v:g}" for y, v in level.budget.items())
    return dataclasses.replace(sc, budget=dict(level.budget), objective="max_service",
                               overrides=tuple(sc.overrides) + extra)


def run_level(sc: Scenario, level: Level, simulate: bool, replications: int | None) -> dict[str, Any]:
    """One task: optimize the level (and simulate its plan); plain data back."""
    from model.optimizer.optimize import optimize
    from model.simulate.replications import simulate_plan

    s = at_level(sc, level)
    result = optimize(s, estimate_gap=False)
    out: dict[str, Any] = {"level": level, "plan": result.plan, "summary": result.summary,
                           "targets": result.targets, "solver": result.solver}
    if simulate:
        out["simulation"] = simulate_plan(s, result.plan, replications=replications, progress=False)
    return out


def _metrics(sc: Scenario, level: Level, res: dict[str, Any]) -> dict[str, Any]:
    plan, summary, targets = res["plan"], res["summary"], res["targets"]
    served = float(plan["served_hours"].sum())
    need = float(plan["client_hours"].sum())
    spend = float(summary["spend_total"].sum())
    row = {"level": level.number, "label": level.label, "budget_total": round(level.total, 2),
           "spend_total": round(spend, 2), "coverage": float(summary["coverage"].iloc[-1]),
           "served_hours": round(served, 1), "served_share": round(served / need, 6) if need > 0 else float("nan"),
           "targets_met": int(targets["met"].sum()), "targets_named": int(len(targets)),
           "cost_per_served_hour": round(spend / served, 6) if served > 0 else float("nan"),
           "solver_status": res["solver"].status, "solver_gap": res["solver"].gap}
    sim = res.get("simulation")
    if sim is not None:
        row["simulated_served_share"] = round(float(sim["served_hours"].sum() / max(sim["demand_hours"].sum(), 1e-9)), 6)
        row["unmet_requests"] = round(float(sim["unmet_requests"].sum()), 1)
        row["wait_mean_days"] = round(float(sim["wait_mean_days"].mean()), 3)
    return row


@dataclass
class SweepResult:
    """The frontier table, each level's task result (after carrying plans forward), the knee and least budget."""

    frontier: pd.DataFrame
    results: list[dict[str, Any]]
    knee: int | None
    least_budget: pd.DataFrame | None = None


def knee_of(x: np.ndarray, y: np.ndarray) -> int | None:
    """Index of the knee of a rising curve: farthest above the chord from first to last point (Kneedle)."""
    if len(x) < 3 or x[-1] == x[0] or y[-1] == y[0]:
        return None
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y[0]) / (y[-1] - y[0])
    gain = yn - xn
    k = int(np.argmax(gain))
    return k if gain[k] > 0 else None


def sweep(sc: Scenario, levels: list[Level], executor: Any, simulate: bool = False,
          replications: int | None = None, least: bool = True, progress: bool = True) -> SweepResult:
    """Run every level as a task (plus the least-budget solve), then build the frontier."""
    tasks = [(sc, level, simulate, replications) for level in levels]
    results = executor.map(run_level, tasks, desc=f"{sc.name}: budget levels", progress=progress)
    least_table = None
    if least:
        least_table = executor.map(_least_task, [(sc,)], desc="least budget", progress=False)[0]
    # more money never serves less: carry a better lower-level plan forward
    kept = list(results)
    origin = list(range(len(results)))
    for k in range(1, len(kept)):
        lower, here = kept[k - 1], kept[k]
        fits = all(levels[k].budget[y] >= levels[k - 1].budget[y] - 1e-9 for y in sc.years)
        if fits and here["plan"]["served_hours"].sum() < lower["plan"]["served_hours"].sum() - 1e-6:
            kept[k] = {**lower, "level": levels[k]}
            origin[k] = origin[k - 1]
    rows = [_metrics(sc, levels[k], kept[k]) | {"plan_from_level": origin[k]} for k in range(len(kept))]
    frontier = pd.DataFrame(rows)
    served = frontier["served_hours"].to_numpy(float)
    budget = frontier["budget_total"].to_numpy(float)
    marginal = np.full(len(frontier), np.nan)
    step = np.diff(budget)
    marginal[:-1] = np.where(step > 0, np.diff(served) / np.where(step > 0, step, 1.0) * 100.0, np.nan)
    frontier["marginal_hours_per_100_wan"] = np.round(marginal, 3)
    knee = knee_of(budget, frontier["served_share"].to_numpy(float))
    frontier["knee"] = [k == knee for k in range(len(frontier))]
    all_met = frontier["targets_met"] == frontier["targets_named"]
    frontier["all_targets_met"] = all_met
    return SweepResult(frontier, kept, knee, least_table)


def _least_task(sc: Scenario) -> pd.DataFrame:
    from model.optimizer.optimize import least_budget

    return least_budget(dataclasses.replace(sc, objective="max_service")).budget_gap
