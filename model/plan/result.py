"""RESULT"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from model.inputs.scenario import Scenario
from model.plan.targets import targets_table
from model.vocabulary import WORKER_COLUMNS


@dataclass
class PlanResult:
    """A solved plan with its statistics and provenance (solver status, gap, timings)."""

    scenario: Scenario
    plan: pd.DataFrame
    service: pd.DataFrame
    hires: pd.DataFrame
    solver: dict[str, Any]
    summary: pd.DataFrame = field(init=False)
    targets: pd.DataFrame = field(init=False)
    budget_gap: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        self.summary = summary_table(self.scenario, self.plan, self.service, self.hires)
        self.targets = targets_table(self.scenario, self.plan, self.service)

    @property
    def all_targets_met(self) -> bool:
        return bool(self.targets["met"].all()) if len(self.targets) else True


def summary_table(sc: Scenario, plan: pd.DataFrame, service: pd.DataFrame, hires: pd.DataFrame) -> pd.DataFrame:
    """One row per year: stations, coverage, workers by grade, ratios, spend by item, budget, service."""
    t = sc.townships
    elderly = float(t["elderly"].sum())
    n = len(t)
    rows = []
    for year, p in plan.groupby("year", sort=True):
        workers = {c: int(p[c].sum()) for c in WORKER_COLUMNS}
        total = sum(workers.values())
        certified = workers["workers_junior"] + workers["workers_intermediate"]
        stations = int(p["station"].sum())
        items = {k: round(float(p[f"spend_{k}"].sum()), 4) for k in ("setup", "running", "salary", "training")}
        demand = float(p["client_hours"].sum())
        served = float(p["served_hours"].sum())
        rows.append({
            "year": int(year), "stations": stations, "coverage": round(stations / n, 4), **workers,
            "workers": total, "certified_share": round(certified / total, 4) if total else 0.0,
            "workers_per_1000_elderly": round(1000 * total / elderly, 4) if elderly else 0.0,
            **{f"spend_{k}": v for k, v in items.items()},
            "spend_total": round(sum(items.values()), 4),
            "budget": float(sc.budget[year]) if year in sc.budget else float("nan"),
            "stations_opened": int((p["spend_setup"] > 0).sum()),
            "trained": int(p["trained"].sum()),
            "hires": round(float(hires.loc[hires["year"] == year, "hires"].sum()), 2) if len(hires) else 0.0,
            "client_hours": round(demand, 1), "served_hours": round(served, 1),
            "served_share": round(served / demand, 4) if demand else 0.0,
        })
    return pd.DataFrame(rows)
