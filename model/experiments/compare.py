"""Scenarios side by side: each optimized (and simulated) as a task, one table by scenario and year.

Columns: scenario, year, status (planned, or why the scenario has no plan:
model.experiments.failures), stations, coverage, workers by grade and in all, certified_share,
spend_total and budget (万元), served_share (the plan's client hours served / needed), with
simulation unmet_requests and wait_mean_days, per scenario targets_met / targets_named, and
the reason a scenario has no plan (empty for the others, whose rows it does not hold up).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.errors import say
from model.experiments.failures import PLANNED, attempt
from model.inputs.scenario import Scenario
from model.simulate.replications import SimulationResult
from model.tasks import Executor, Failed
from model.vocabulary import progress_words

COLUMNS = (
    "scenario",
    "year",
    "status",
    "stations",
    "coverage",
    "workers_uncertified",
    "workers_junior",
    "workers_intermediate",
    "workers",
    "certified_share",
    "spend_total",
    "budget",
    "served_share",
    "targets_met",
    "targets_named",
)
"""comparison.csv's columns, then (with simulation) unmet_requests and wait_mean_days, and
`reason` last."""

WHOLE = (
    "stations",
    "workers_uncertified",
    "workers_junior",
    "workers_intermediate",
    "workers",
    "targets_met",
    "targets_named",
)
"""Columns of whole numbers (empty where a scenario has no plan)."""


@dataclass
class ScenarioOutcome:
    """One scenario's plan tables and, when asked, the simulation of its plan."""

    summary: pd.DataFrame
    targets: pd.DataFrame
    plan: pd.DataFrame
    simulation: SimulationResult | None = None


def run_one(sc: Scenario, simulate: bool, replications: int | None) -> ScenarioOutcome:
    """One task: optimize (and simulate) one scenario."""
    from model.optimizer.optimize import optimize
    from model.simulate.replications import simulate_plan

    result = optimize(sc, estimate_gap=False)
    sim = None
    if simulate:
        sim = simulate_plan(sc, result.plan, replications=replications, progress=False)
    return ScenarioOutcome(result.summary, result.targets, result.plan, sim)


def compare(
    scenarios: list[Scenario],
    executor: Executor,
    simulate: bool = False,
    replications: int | None = None,
    progress: bool = True,
) -> pd.DataFrame:
    """The comparison table (module docstring); a scenario without a plan has a row per year with
    its status and reason (in the first scenario's report language) and no figures."""
    lang = scenarios[0].report.language if scenarios else "zh"
    results = executor.map(
        attempt,
        [(run_one, sc, simulate, replications) for sc in scenarios],
        desc=progress_words("scenarios", lang),
        progress=progress,
        keep_going=True,
    )
    rows = []
    for sc, res in zip(scenarios, results, strict=True):
        if isinstance(res, Failed):
            why = {"status": res.status, "reason": say(res.reason, lang)}
            rows += [{"scenario": sc.name, "year": year} | why for year in sc.years]
            continue
        summary, plan, targets = res.summary, res.plan, res.targets
        sim = res.simulation.table if res.simulation is not None else None
        for _, s in summary.iterrows():
            year = int(s["year"])
            p = plan[plan["year"] == year]
            row = {
                "scenario": sc.name,
                "year": year,
                "stations": int(s["stations"]),
                "coverage": float(s["coverage"]),
                "workers_uncertified": int(s["workers_uncertified"]),
                "workers_junior": int(s["workers_junior"]),
                "workers_intermediate": int(s["workers_intermediate"]),
                "workers": int(s["workers"]),
                "certified_share": float(s["certified_share"]),
                "spend_total": float(s["spend_total"]),
                "budget": float(s["budget"]) if pd.notna(s["budget"]) else float("nan"),
                "served_share": round(
                    float(p["served_hours"].sum() / max(p["client_hours"].sum(), 1e-9)), 6
                ),
                "targets_met": int(targets["met"].sum()),
                "targets_named": int(len(targets)),
                "status": PLANNED,
                "reason": "",
            }
            if sim is not None:
                y = sim[sim["year"] == year]
                row["unmet_requests"] = round(float(y["unmet_requests"].sum()), 1)
                row["wait_mean_days"] = round(float(y["wait_mean_days"].mean()), 3)
            rows.append(row)
    columns = [*COLUMNS, *(("unmet_requests", "wait_mean_days") if simulate else ()), "reason"]
    table = pd.DataFrame(rows).reindex(columns=columns)
    if (table["status"] != PLANNED).any():
        table = table.astype({c: "Int64" for c in WHOLE})
    return table
