"""A solved plan with its tables (PlanResult) and what the solver did to find it (SolveInfo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from model.inputs.scenario import Scenario
from model.plan.changes import staff_changes
from model.plan.equity import equity_table, summary_columns
from model.plan.targets import extra_workers, regional_service_level, targets_table
from model.vocabulary import WORKER_COLUMNS

BudgetGapState = Literal["not needed", "estimated", "skipped"]
"""Whether a plan's least-budget estimate (PlanResult.budget_gap) was made."""


@dataclass
class SolveInfo:
    """What the solver did: status, objective, bound and gap, sizes, timings (seconds).

    `nodes` comes from a HiGHS MILP solve; `method` and `stages` from relax and fix (one dict
    per stage: its name, seconds, status, objective; of the last solve); `build_s` from
    `optimize`. `targets_in_order`: one dict per solve of the targets in order
    (model.optimizer.solve.solve): what it minimised (all targets at one weight, a target
    family, the objective), the relative shortfall it reached and held, seconds, status, gap.
    Status, objective, bound and gap are the last solve's, on the planning objective;
    `penalty_weight` is the first solve's (the later ones hold the targets by rows instead).
    `budget_gap`: whether the least budget for every target was estimated, and
    `budget_gap_reason` why not when it was skipped.
    """

    solver: str
    status: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    solve_s: float
    time_limit_s: float | None
    gap_limit: float
    objective_kind: str
    penalty_weight: float
    service_weighted_hours: float
    spend_total: float
    violation: float
    variables: int
    constraints: int
    integers: int
    nodes: int | None = None
    method: str | None = None
    stages: list[dict[str, Any]] = field(default_factory=list)
    targets_in_order: list[dict[str, Any]] = field(default_factory=list)
    build_s: float | None = None
    budget_gap: BudgetGapState = "not needed"
    budget_gap_reason: str = ""

    def manifest(self) -> dict[str, Any]:
        """The solver entry of manifest.json (keys in the order the manifest has always had)."""
        out: dict[str, Any] = {
            "solver": self.solver,
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "solve_s": self.solve_s,
            "time_limit_s": self.time_limit_s,
            "gap_limit": self.gap_limit,
        }
        if self.nodes is not None:
            out["nodes"] = self.nodes
        if self.method is not None:
            out["method"] = self.method
            out["stages"] = [dict(stage) for stage in self.stages]
        out |= {
            "objective_kind": self.objective_kind,
            "penalty_weight": self.penalty_weight,
            "service_weighted_hours": self.service_weighted_hours,
            "spend_total": self.spend_total,
            "violation": self.violation,
            "variables": self.variables,
            "constraints": self.constraints,
            "integers": self.integers,
        }
        if self.targets_in_order:
            out["targets_in_order"] = [dict(stage) for stage in self.targets_in_order]
        if self.build_s is not None:
            out["build_s"] = self.build_s
        out["budget_gap"] = (
            f"skipped: {self.budget_gap_reason}"
            if self.budget_gap == "skipped"
            else self.budget_gap
        )
        return out


@dataclass
class PlanResult:
    """A solved plan with its statistics and provenance (solver status, gap, timings).

    `limits`: what binds and what one more unit of it is worth (limits.csv;
    model.optimizer.limits), None when not analysed.
    `hires`: per county, year and grade, hires, lay-offs and their severance (万元). `changes`:
    every township-year whose workers or served hours fall against the year before, and why
    (model.plan.changes.staff_changes); `warnings`: its sentences.
    """

    scenario: Scenario
    plan: pd.DataFrame
    service: pd.DataFrame
    hires: pd.DataFrame
    solver: SolveInfo
    summary: pd.DataFrame = field(init=False)
    targets: pd.DataFrame = field(init=False)
    changes: pd.DataFrame = field(init=False)
    warnings: list[str] = field(init=False)
    budget_gap: pd.DataFrame | None = None
    limits: pd.DataFrame | None = None
    tradeoffs: pd.DataFrame | None = None
    """For each target the plan leaves unmet: what meeting it would cost in money and in the
    other targets and service (model.optimizer.tradeoffs; tradeoffs.csv)."""
    centres: pd.DataFrame | None = None
    """County guidance centres per county and year (centres.csv), None without centres."""
    points: pd.DataFrame | None = None
    """Village points per county and year (points.csv), None without points."""
    provinces: pd.DataFrame | None = None
    """A plan made province by province (model.optimizer.provinces): one row per province with
    its solve and its last year (provinces.csv); None otherwise."""
    province_targets: pd.DataFrame | None = None
    """Each province's targets (targets.csv's columns and `province`), None otherwise."""
    transfer: dict[int, float] | None = None
    """Money drawn from a central transfer per year (万元): a province's Lagrangian
    subproblem; None otherwise."""
    central: pd.DataFrame | None = None
    """The central transfer shared by price (model.optimizer.provinces.optimize_central): one
    row per iteration (central.csv); None otherwise."""
    province_limits: pd.DataFrame | None = None
    """Each province's limits (limits.csv's columns and `province`), None otherwise."""
    sectors: pd.DataFrame | None = None
    """Posts beyond the stations per sector and year (sectors.csv), None without sectors."""
    funding: pd.DataFrame | None = None
    """Money by source, year, level, county and category (funding.csv), None without sources."""

    def __post_init__(self) -> None:
        extra = extra_workers(self.centres, self.sectors)
        others = [t for t in (self.centres, self.points, self.sectors) if t is not None and len(t)]
        self.summary = summary_table(self.scenario, self.plan, self.service, self.hires, others)
        self.targets = targets_table(self.scenario, self.plan, self.service, extra, self.sectors)
        self.changes = staff_changes(self.scenario, self.plan, self.solver.objective_kind)
        self.warnings = list(self.changes["warning"])

    @property
    def all_targets_met(self) -> bool:
        return bool(self.targets["met"].all()) if len(self.targets) else True


def _total(frame: pd.DataFrame, column: str) -> float:
    """The sum of `column` of `frame`, 0 when it has no such column."""
    return float(frame[column].sum()) if column in frame else 0.0


def summary_table(
    sc: Scenario,
    plan: pd.DataFrame,
    service: pd.DataFrame,
    hires: pd.DataFrame,
    others: list[pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per year: stations, coverage, workers by grade, ratios, spend by item (severance
    from the county table `hires`, the others from the plan), budget, hires and lay-offs, workers
    moved, service, and how evenly the service is spread (model.plan.equity.SUMMARY_COLUMNS).

    `others`: tables of the levels beyond the stations (centres, points, sectors), each with `year`,
    WORKER_COLUMNS and spend_<category> columns: their workers are in `workers_other` and in the
    region's ratios (certified_share, workers_per_1000_elderly), their spend in the items; the
    worker columns and `workers` stay the stations'."""
    others = others or []
    t = sc.townships
    elderly = float(t["elderly"].sum())
    n = len(t)
    rows = []
    for year, p in plan.groupby("year", sort=True):
        workers = {c: int(p[c].sum()) for c in WORKER_COLUMNS}
        total = sum(workers.values())
        certified = workers["workers_junior"] + workers["workers_intermediate"]
        stations = int(p["station"].sum())
        items = {
            k: round(float(p[f"spend_{k}"].sum()), 4)
            for k in ("setup", "running", "salary", "training", "moves")
        }
        counties = hires[hires["year"] == year] if len(hires) else hires
        items["severance"] = round(_total(counties, "spend_severance"), 4)
        other = {c: 0.0 for c in WORKER_COLUMNS}
        spend_other = 0.0
        for table in others:
            rows_y = table[table["year"] == year]
            for c in WORKER_COLUMNS:
                other[c] += _total(rows_y, c)
            for k in items:
                part = _total(rows_y, f"spend_{k}")
                items[k] = round(items[k] + part, 4)
                spend_other += part
        everyone = total + sum(other.values())
        certified_all = certified + other["workers_junior"] + other["workers_intermediate"]
        demand = float(p["client_hours"].sum())
        served = float(p["served_hours"].sum())
        rows.append(
            {
                "year": int(year),
                "stations": stations,
                "coverage": round(stations / n, 4),
                **workers,
                "workers": total,
                "workers_other": round(everyone - total, 2),
                "certified_share": round(certified_all / everyone, 4) if everyone else 0.0,
                "workers_per_1000_elderly": round(1000 * everyone / elderly, 4) if elderly else 0.0,
                **{f"spend_{k}": v for k, v in items.items()},
                "spend_total": round(sum(items.values()), 4),
                "spend_other": round(spend_other, 4),
                "budget": float(sc.budget[year]) if year in sc.budget else float("nan"),
                "stations_opened": int((p["spend_setup"] > 0).sum()),
                "trained": int(p["trained"].sum()),
                "hires": round(float(hires.loc[hires["year"] == year, "hires"].sum()), 2)
                if len(hires)
                else 0.0,
                "laid_off": round(_total(counties, "laid_off"), 2),
                "moved_out": round(_total(p, "moved_out"), 2),
                "client_hours": round(demand, 1),
                "served_hours": round(served, 1),
                "served_share": round(served / demand, 4) if demand else 0.0,
                "planned_service_level": round(regional_service_level(sc, p), 4),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    equity = summary_columns(equity_table(sc, plan, service), out["year"])
    return out.merge(equity, on="year", how="left")
