"""Scenarios side by side: each optimized (and simulated) as a task, one table by scenario and year.

Columns: scenario, year, stations, coverage, workers by grade and in all, certified_share,
spend_total and budget (万元), served_share (the plan's client hours served / needed), with
simulation unmet_requests and wait_mean_days, and per scenario targets_met / targets_named.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.inputs.scenario import Scenario
from model.simulate.replications import SimulationResult
from model.tasks import Executor
from model.vocabulary import progress_words


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
    """The comparison table (module docstring)."""
    results = executor.map(
        run_one,
        [(sc, simulate, replications) for sc in scenarios],
        desc=progress_words("scenarios", scenarios[0].report.language if scenarios else "zh"),
        progress=progress,
    )
    rows = []
    for sc, res in zip(scenarios, results, strict=True):
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
            }
            if sim is not None:
                y = sim[sim["year"] == year]
                row["unmet_requests"] = round(float(y["unmet_requests"].sum()), 1)
                row["wait_mean_days"] = round(float(y["wait_mean_days"].mean()), 3)
            rows.append(row)
    return pd.DataFrame(rows)
