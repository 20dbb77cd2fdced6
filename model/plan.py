"""A plan and its statistics: summary per year and targets met, each a table (CSV/XLSX) too.

    result = optimize(sc)                 # model.optimize
    result.summary, result.targets        # pandas tables, as written to summary.csv / targets.csv

Definitions (DESIGN.md): spend_setup = station_setup x stations opened that year;
spend_running = station_running x open stations; spend_salary = Σ salary[grade] x wage_index
x workers; spend_training = certification_training x workers trained. Money in 万元.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from model.errors import InputError
from model.scenario import Scenario

WORKER_COLUMNS = ("workers_uncertified", "workers_junior", "workers_intermediate")

TARGET_UNITS = {
    "coverage": "share of townships",
    "certified_share": "share of workers",
    "workers_per_1000_elderly": "workers/1000 elderly",
    "workers_per_100_care_beds": "workers/100 beds",
    "workers_total": "workers",
    "workers_by_grade": "workers",
    "served_share": "share of the group's client hours",
}


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


def achieved_value(name: str, key: str | None, year: int, sc: Scenario, plan: pd.DataFrame,
                   service: pd.DataFrame) -> float:
    """What a plan achieves on one target in one year."""
    p = plan[plan["year"] == year]
    t = sc.townships
    total = float(p[list(WORKER_COLUMNS)].to_numpy().sum())
    if name == "coverage":
        return float(p["station"].sum()) / len(t)
    if name == "certified_share":
        return float(p["workers_junior"].sum() + p["workers_intermediate"].sum()) / total if total else 0.0
    if name == "workers_per_1000_elderly":
        return 1000.0 * total / float(t["elderly"].sum())
    if name == "workers_per_100_care_beds":
        return 100.0 * total / float(t["care_beds"].sum())
    if name == "workers_total":
        return total
    if name == "workers_by_grade":
        return float(p[f"workers_{key}"].sum())
    if name == "served_share":
        s = service[(service["year"] == year) & (service["group"] == key)]
        demand = float(s["demand_hours"].sum())
        return float(s["served_hours"].sum()) / demand if demand else 1.0
    raise ValueError(f"unknown target {name}")


def targets_table(sc: Scenario, plan: pd.DataFrame, service: pd.DataFrame) -> pd.DataFrame:
    """One row per target and year: required, achieved, met, shortfall (in the target's unit)."""
    from model.optimize import required_targets

    rows = []
    for name, year, key, req in required_targets(sc):
        got = achieved_value(name, key, year, sc, plan, service)
        tol = 1e-6 * max(1.0, abs(req))
        rows.append({"target": f"{name}.{key}" if key else name, "year": year, "required": req,
                     "achieved": round(got, 6), "met": bool(got >= req - tol),
                     "shortfall": round(max(0.0, req - got), 6) if got < req - tol else 0.0,
                     "unit": TARGET_UNITS[name]})
    return pd.DataFrame(rows, columns=["target", "year", "required", "achieved", "met", "shortfall", "unit"])


def read_plan(path: Path, sc: Scenario) -> pd.DataFrame:
    """A plan.csv as written by `stationplan optimize`, checked against the scenario."""
    if not path.is_file():
        raise InputError("--plan", None, "an existing plan.csv", str(path))
    try:
        plan = pd.read_csv(path, encoding="utf-8-sig", dtype={"township_id": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, None, "", problem=f"not a readable plan table ({exc})") from None
    need = ["township_id", "year", "station", "workers_uncertified", "workers_junior", "workers_intermediate"]
    missing = [c for c in need if c not in plan.columns]
    if missing:
        raise InputError(path, None, "", problem="missing column(s) " + ", ".join(repr(c) for c in missing))
    want = {(t, y) for t in sc.townships["township_id"] for y in sc.years}
    have = set(zip(plan["township_id"], plan["year"]))
    if want - have:
        tid, year = sorted(want - have)[0]
        raise InputError(path, None, "", problem=f"no row for township {tid} in {year}: the plan must cover every "
                         f"township of the scenario in {sc.years[0]}–{sc.years[-1]}")
    plan = plan[[k in want for k in zip(plan["township_id"], plan["year"])]]
    return plan
