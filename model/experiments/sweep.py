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
- what_binds: what holds the level's plan back, from its slack (model.optimizer.limits.
  what_binds: e.g. "budget 3/3 years; hiring pool 17/18 counties"), so that a level whose
  service stays flat says why;
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

from model.errors import Bi, InputError, say
from model.experiments.failures import PLANNED, attempt, failed
from model.inputs.scenario import Scenario
from model.plan.result import PlanResult, SolveInfo
from model.simulate.replications import SimulationResult
from model.tasks import Executor, Failed
from model.vocabulary import progress_words


@dataclass(frozen=True)
class Level:
    """One funding level: its number and the budget per year (万元). With funding sources,
    `source_factor` multiplies every source (its `scale`) and `extra_source` adds a source that
    may pay for anything, of that many 万元 a year."""

    number: int
    label: str
    budget: dict[int, float]
    source_factor: float = 1.0
    extra_source: float = 0.0

    @property
    def total(self) -> float:
        return float(sum(self.budget.values()))


def budget_levels(
    sc: Scenario, factors: list[float] | None = None, totals: list[float] | None = None
) -> list[Level]:
    """Levels from factors on every year's budget, or from explicit yearly totals (万元 per year).

    Factors need a budget for every year of the scenario (an InputError names the first missing).
    """
    if factors is not None:
        missing = [y for y in sc.years if y not in sc.budget]
        if missing:
            raise InputError(
                sc.source_label,
                f"budget.{missing[0]}",
                Bi(
                    "a budget for every year to scale (or give --totals)",
                    "每一年都有可按比例缩放的预算（或改用 --totals）",
                ),
                None,
            )
        return [
            Level(
                k,
                f"×{f:g}",
                {y: round(float(sc.budget.get(y, 0.0)) * f, 4) for y in sc.years},
                source_factor=float(f),
            )
            for k, f in enumerate(sorted(factors))
        ]
    assert totals is not None
    mean = sum(float(sc.budget.get(y, 0.0)) for y in sc.years) / max(1, len(sc.years))
    return [
        Level(
            k,
            f"{t:g}/year",
            {y: float(t) for y in sc.years},
            source_factor=float(t) / mean if mean > 0 else 1.0,
        )
        for k, t in enumerate(sorted(totals))
    ]


def extra_levels(sc: Scenario, extra: float, at: float = 1.0) -> list[Level]:
    """Two levels that say what `extra` 万元 more a year buys: the scenario's budgets scaled by
    `at` (e.g. 0.8, where money binds), and the same plus `extra` in every year."""
    (base,) = budget_levels(sc, factors=[at])
    more = {y: round(b + float(extra), 4) for y, b in base.budget.items()}
    return [
        base,
        Level(1, f"{base.label} +{extra:g}", more, source_factor=at, extra_source=float(extra)),
    ]


EXTRA_SOURCE = "sweep_extra"
"""The funding source a level's extra money comes from (extra_levels, with funding sources)."""


def at_level(sc: Scenario, level: Level) -> Scenario:
    """The scenario with the level's budgets (recorded as overrides for provenance). With
    funding sources, every source is scaled by the level's factor (a funding level scales every
    purse, not only the cap on their sum) and its extra money, if any, is a source of its own
    that may pay for anything. With provinces, every province's budget and the central transfer
    are scaled, and the extra money is a central transfer any province may draw on."""
    changes: dict[str, object] = {f"budget.{y}": v for y, v in level.budget.items()}
    for name, source in sc.funding.items():
        changes[f"funding.{name}.scale"] = round(source.scale * level.source_factor, 6)
    if sc.funding and level.extra_source > 0:
        changes[f"funding.{EXTRA_SOURCE}.label"] = f"+{level.extra_source:g} 万元/年"
        for y in sc.years:
            changes[f"funding.{EXTRA_SOURCE}.amount.{y}"] = level.extra_source
    for name, part in sc.provinces.items():  # each province's budget, and the central transfer
        for y, v in part.budget.items():
            changes[f"provinces.{name}.budget.{y}"] = round(v * level.source_factor, 4)
    if sc.provinces:
        for y in sc.years:
            money = sc.central.transfer.get(y, 0.0) * level.source_factor + level.extra_source
            if y in sc.central.transfer or level.extra_source > 0:
                changes[f"central.transfer.{y}"] = round(money, 4)
    return sc.with_overrides({**changes, "objective": "max_service"})


@dataclass
class LevelResult:
    """What one funding level bought: its plan tables, the solver's report and the simulation."""

    level: Level
    plan: pd.DataFrame
    summary: pd.DataFrame
    targets: pd.DataFrame
    solver: SolveInfo
    simulation: SimulationResult | None = None
    limits: pd.DataFrame | None = None  # what binds (model.optimizer.limits, no worth)


def run_level(sc: Scenario, level: Level, simulate: bool, replications: int | None) -> LevelResult:
    """One task: optimize the level (and simulate its plan)."""
    from model.optimizer.optimize import optimize
    from model.simulate.replications import simulate_plan

    s = at_level(sc, level)
    result = optimize(s, estimate_gap=False)
    sim = None
    if simulate:
        sim = simulate_plan(s, result.plan, replications=replications, progress=False)
    return LevelResult(
        level, result.plan, result.summary, result.targets, result.solver, sim, result.limits
    )


def _metrics(level: Level, res: LevelResult) -> dict[str, Any]:
    from model.optimizer.limits import what_binds

    plan, summary, targets = res.plan, res.summary, res.targets
    served = float(plan["served_hours"].sum())
    need = float(plan["client_hours"].sum())
    spend = float(summary["spend_total"].sum())
    row = {
        "level": level.number,
        "label": level.label,
        "budget_total": round(level.total, 2),
        "spend_total": round(spend, 2),
        "coverage": float(summary["coverage"].iloc[-1]),
        "served_hours": round(served, 1),
        "served_share": round(served / need, 6) if need > 0 else float("nan"),
        "targets_met": int(targets["met"].sum()),
        "targets_named": int(len(targets)),
        "cost_per_served_hour": round(spend / served, 6) if served > 0 else float("nan"),
        "what_binds": what_binds(res.limits, level.budget),
        "solver_status": res.solver.status,
        "solver_gap": res.solver.gap,
    }
    sim = res.simulation
    if sim is not None:
        row["simulated_served_share"] = round(sim.served_share(), 6)
        row["unmet_requests"] = round(float(sim.table["unmet_requests"].sum()), 1)
        row["wait_mean_days"] = round(float(sim.table["wait_mean_days"].mean()), 3)
    return row


FRONTIER_COLUMNS = (
    "level",
    "label",
    "budget_total",
    "status",
    "spend_total",
    "coverage",
    "served_hours",
    "served_share",
    "targets_met",
    "targets_named",
    "cost_per_served_hour",
    "what_binds",
    "solver_status",
    "solver_gap",
    "plan_from_level",
    "marginal_hours_per_100_wan",
    "knee",
    "all_targets_met",
    "reason",
)
"""frontier.csv's columns in order (with simulation, SIMULATED before plan_from_level)."""

DERIVED = ("marginal_hours_per_100_wan", "knee", "all_targets_met")
"""frontier.csv's columns from the levels side by side (not from one level's plan)."""

SIMULATED = ("simulated_served_share", "unmet_requests", "wait_mean_days")
"""frontier.csv's columns from the simulation of each level's plan."""


@dataclass
class SweepResult:
    """The frontier, each planned level's result (after carrying plans forward), the knee, the
    least budget.

    `least_budget`: the least spend per year meeting every target (None when not asked for or
    when it failed: `least_failed`); `simulated`: whether the levels' plans were simulated;
    `levels`: every level asked for; `failures`: the levels without a plan (by level number),
    each with its status and reason (model.tasks.Failed); `results` holds the others.
    """

    frontier: pd.DataFrame
    results: list[LevelResult]
    knee: int | None
    least_budget: pd.DataFrame | None = None
    simulated: bool = False
    levels: list[Level] = dataclasses.field(default_factory=list)
    failures: dict[int, Failed] = dataclasses.field(default_factory=dict)
    least_failed: Failed | None = None

    @property
    def least_total(self) -> float | None:
        """The least spend over the horizon meeting every target (万元); None if not estimated or
        no money meets them all."""
        gap = self.least_budget
        if gap is None or not bool(gap["all_targets_reachable"].all()):
            return None
        return float(gap["least_cost_all_targets"].sum())

    def levels_table(self) -> pd.DataFrame:
        """levels.csv: each planned level's summary by year, with the level's number first."""
        rows = []
        for r in self.results:
            s = r.summary.copy()
            s.insert(0, "level", r.level.number)
            rows.append(s)
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"level": []})


def knee_of(x: np.ndarray, y: np.ndarray) -> int | None:
    """Index of the knee of a rising curve: farthest above the chord from first to last point
    (Kneedle)."""
    if len(x) < 3 or x[-1] == x[0] or y[-1] == y[0]:
        return None
    xn = (x - x[0]) / (x[-1] - x[0])
    yn = (y - y[0]) / (y[-1] - y[0])
    gain = yn - xn
    k = int(np.argmax(gain))
    return k if gain[k] > 0 else None


def sweep(
    sc: Scenario,
    levels: list[Level],
    executor: Executor,
    simulate: bool = False,
    replications: int | None = None,
    least: bool = True,
    progress: bool = True,
) -> SweepResult:
    """Run every level as a task (plus the least-budget solve), then build the frontier. A level
    without a plan (no plan fits its budgets, the solver found none, its worker was lost:
    model.experiments.failures) is a row of the frontier with its `status` and `reason` and no
    figures; the other levels complete."""
    tasks = [(run_level, sc, level, simulate, replications) for level in levels]
    outcomes = executor.map(
        attempt,
        tasks,
        desc=f"{sc.name}: {progress_words('budget levels', sc.report.language)}",
        progress=progress,
        keep_going=True,
    )
    least_table = least_failed = None
    if least:
        (got,) = executor.map(
            attempt, [(_least_task, sc)], desc="least budget", progress=False, keep_going=True
        )
        least_table, least_failed = (None, got) if isinstance(got, Failed) else (got, None)
    # more money never serves less: carry a better lower-level plan forward
    kept: list[LevelResult | None] = [None if failed(o) else o for o in outcomes]
    origin = list(range(len(levels)))
    last = None  # the level below with a plan
    for k, here in enumerate(kept):
        if here is None:
            continue
        if last is not None:
            lower = kept[last]
            assert lower is not None
            fits = all(levels[k].budget[y] >= levels[last].budget[y] - 1e-9 for y in sc.years)
            if fits and here.plan["served_hours"].sum() < lower.plan["served_hours"].sum() - 1e-6:
                kept[k] = dataclasses.replace(lower, level=levels[k])
                origin[k] = origin[last]
        last = k
    lang = sc.report.language
    rows = []
    for k, level in enumerate(levels):
        res = kept[k]
        if res is None:
            why: Failed = outcomes[k]
            row = {
                "level": level.number,
                "label": level.label,
                "budget_total": round(level.total, 2),
            }
            rows.append(row | {"status": why.status, "reason": say(why.reason, lang)})
        else:
            row = _metrics(level, res) | {"plan_from_level": origin[k]}
            rows.append(row | {"status": PLANNED, "reason": ""})
    columns = [*FRONTIER_COLUMNS]
    if simulate:
        columns[columns.index("plan_from_level") : columns.index("plan_from_level")] = SIMULATED
    frontier = pd.DataFrame(rows).reindex(columns=[c for c in columns if c not in DERIVED])
    planned = (frontier["status"] == PLANNED).to_numpy()
    served = frontier["served_hours"].to_numpy(float)[planned]
    budget = frontier["budget_total"].to_numpy(float)[planned]
    marginal = np.full(len(served), np.nan)
    step = np.diff(budget)
    marginal[:-1] = np.where(
        step > 0, np.diff(served) / np.where(step > 0, step, 1.0) * 100.0, np.nan
    )
    frontier["marginal_hours_per_100_wan"] = np.nan
    frontier.loc[planned, "marginal_hours_per_100_wan"] = np.round(marginal, 3)
    at = np.flatnonzero(planned)
    knee = knee_of(budget, frontier["served_share"].to_numpy(float)[planned])
    knee = int(at[knee]) if knee is not None else None
    frontier["knee"] = [k == knee for k in range(len(frontier))]
    frontier["all_targets_met"] = (
        planned & (frontier["targets_met"] == frontier["targets_named"]).to_numpy()
    )
    for column in ("targets_met", "targets_named", "plan_from_level"):
        if column in frontier and not planned.all():
            frontier[column] = frontier[column].astype("Int64")  # whole, empty where no plan
    frontier = frontier[columns]
    return SweepResult(
        frontier,
        [r for r in kept if r is not None],
        knee,
        least_table,
        simulated=simulate,
        levels=list(levels),
        failures={lv.number: o for lv, o in zip(levels, outcomes) if isinstance(o, Failed)},
        least_failed=least_failed,
    )


def _least_task(sc: Scenario) -> pd.DataFrame:
    from model.optimizer.optimize import least_budget

    return least_budget(sc).budget_gap


def mincost(sc: Scenario, executor: Executor, progress: bool = True) -> PlanResult:
    """The least spend per year that meets every target, with its plan, solved as one task.

    `budget_gap` of the result has, per year, the budget, the least spend, the extra money
    needed and whether every target can be met at any money (see optimizer.least_budget).
    """
    from model.optimizer.optimize import least_budget

    return executor.map(
        least_budget,
        [(sc,)],
        desc=progress_words("least budget", sc.report.language),
        progress=progress,
    )[0]
