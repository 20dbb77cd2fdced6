"""The plan–simulation loop of `stationplan run`: plan, simulate, re-plan where service falls short.

The optimizer plans against average workload (WISN); queues need slack. Each round:

1. optimize with a workload factor per township (worker hours needed per client hour; 1 at first);
2. simulate the plan (`simulation.replications` replications);
3. a township whose station, in some year, starts fewer than `simulation.service_level` of its
   client requests within `max_wait_days` gets its factor raised so that the workers it has
   no longer cover its workload — the plan then gives it one more worker where money and the
   hiring pool allow (waits fall steeply with one more server; a proportional rise of the
   factor by service_level / achieved is used when that is larger, at most × 2 a round);

until every station reaches the level (converged), the plan stops changing, or
`simulation.rounds` rounds have run. The last round's plan and simulation are the answer;
every round is recorded (for manifest.json). With common random numbers a township-year with
the same staffing gives the same outcome, so later rounds simulate only what changed. Townships
without a station have no service level: coverage is the optimizer's business, and their demand
shows up as unmet.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from model.inputs.scenario import Scenario
from model.plan.result import PlanResult
from model.simulate.replications import SimulationResult

MAX_STEP = 2.0
"""Largest rise of a township's workload factor in one round."""


@dataclass
class LoopResult:
    """The final plan and its simulation, the workload factors, and what each round did."""

    plan: PlanResult
    simulation: SimulationResult
    factor: np.ndarray
    rounds: list[dict[str, Any]] = field(default_factory=list)
    converged: bool = False
    why: str = ""

    def manifest(self) -> dict[str, Any]:
        sim = self.plan.scenario.simulation
        return {
            "service_level": sim.service_level,
            "max_rounds": sim.rounds,
            "rounds": self.rounds,
            "converged": self.converged,
            "stopped_because": self.why,
            "townships_with_raised_workload": int((self.factor > 1.0).sum()),
        }

    def factor_table(self) -> pd.DataFrame:
        """Township, workload factor used by the final plan (1 = as the workload model says)."""
        ids = self.plan.scenario.townships["township_id"]
        return pd.DataFrame({"township_id": ids, "workload_factor": np.round(self.factor, 4)})


def service_by_township(sc: Scenario, simulation: SimulationResult) -> pd.Series:
    """Worst yearly service level of each township's station (NaN where it never had one),
    township order."""
    table = simulation.table
    open_ = table[table["workers"] > 0]
    worst = open_.groupby("township_id")["service_level"].min()
    return worst.reindex(sc.townships["township_id"])


def raised_factor(
    sc: Scenario, factor: np.ndarray, below: pd.Series, plan: pd.DataFrame
) -> np.ndarray:
    """New workload factors for the townships `below` the service level (township id -> achieved
    level)."""
    from model.workload import available_hours, client_hours, station_hours

    need = client_hours(sc).sum(axis=1).to_numpy(float)
    avail = available_hours(sc).to_numpy(float)
    fixed = station_hours(sc)
    index = {tid: i for i, tid in enumerate(sc.townships["township_id"])}
    workers = (
        (plan["workers_uncertified"] + plan["workers_junior"] + plan["workers_intermediate"])
        .where(plan["station"] == 1, 0)
        .groupby(plan["township_id"])
        .max()
    )
    out = factor.copy()
    for tid, got in below.items():
        i = index[tid]
        proportional = out[i] * min(MAX_STEP, sc.simulation.service_level / max(float(got), 1e-9))
        one_more = (workers[tid] * avail[i] - fixed) / need[i] * 1.02 if need[i] > 0 else out[i]
        out[i] = min(out[i] * MAX_STEP, max(proportional, one_more))
    return out


def plan_and_simulate(
    sc: Scenario, processes: int = 1, progress: bool = True, time_limit_s: float | None = None
) -> LoopResult:
    """Run the loop (module docstring) and return the last round's plan and simulation."""
    from model.optimizer.optimize import estimate_budget_gap, optimize
    from model.simulate.replications import simulate_plan

    target = sc.simulation.service_level
    factor = np.ones(len(sc.townships))
    rounds: list[dict[str, Any]] = []
    cache: dict = {}  # township-years already simulated, by replication and staffing
    previous: pd.DataFrame | None = None
    result = simulation = None
    converged, why = False, f"{sc.simulation.rounds} rounds run"
    with tqdm(
        total=sc.simulation.rounds,
        desc="plan and simulate",
        unit="round",
        disable=not progress,
        leave=False,
    ) as bar:
        for k in range(1, sc.simulation.rounds + 1):
            t0 = time.perf_counter()
            result = optimize(
                sc, time_limit_s=time_limit_s, estimate_gap=False, workload_factor=factor
            )
            t1 = time.perf_counter()
            simulation = simulate_plan(
                sc, result.plan, processes=processes, progress=progress, cache=cache
            )
            t2 = time.perf_counter()
            level = service_by_township(sc, simulation)
            below = level[level < target]
            staffing = result.plan[
                ["station", "workers_uncertified", "workers_junior", "workers_intermediate"]
            ]
            rounds.append(
                {
                    "round": k,
                    "objective": result.solver.objective,
                    "gap": result.solver.gap,
                    "stations_last_year": int(
                        result.plan.loc[result.plan["year"] == sc.years[-1], "station"].sum()
                    ),
                    "workers_last_year": int(
                        staffing[result.plan["year"] == sc.years[-1]].iloc[:, 1:].to_numpy().sum()
                    ),
                    "townships_below_service_level": int(len(below)),
                    "worst_service_level": None
                    if level.isna().all()
                    else round(float(level.min()), 4),
                    "mean_service_level": None
                    if level.isna().all()
                    else round(float(level.mean()), 4),
                    "largest_workload_factor": round(float(factor.max()), 4),
                    "optimize_s": round(t1 - t0, 3),
                    "simulate_s": round(t2 - t1, 3),
                }
            )
            bar.update()
            bar.set_postfix_str(f"{len(below)} below {target:.0%}")
            if below.empty:
                converged, why = True, "every station reaches the service level"
                break
            if previous is not None and staffing.reset_index(drop=True).equals(previous):
                why = (
                    "the plan stopped changing (no money or workers left to add where service "
                    "falls short)"
                )
                break
            if k == sc.simulation.rounds:
                break
            previous = staffing.reset_index(drop=True)
            factor = raised_factor(sc, factor, below, result.plan)
    assert result is not None and simulation is not None
    estimate_budget_gap(result, time_limit_s, factor)
    return LoopResult(result, simulation, factor, rounds, converged, why)


def service_check(
    plan: pd.DataFrame, simulation: pd.DataFrame, slack: float = 0.01
) -> pd.DataFrame:
    """Per township-year with a station: the planned share of requests started on time (the
    plan's `planned_service_level`, queueing theory) beside the simulated one (mean and 95%
    interval over the replications), their difference, and whether they agree: the planned
    value lies in the simulated interval widened by `slack` (share) on each side.
    """
    keys = ["township_id", "year"]
    planned = plan.loc[plan["station"] == 1, [*keys, "planned_service_level"]].copy()
    planned["township_id"] = planned["township_id"].astype(str)
    sim = simulation[[*keys, "service_level", "service_level_low", "service_level_high"]].copy()
    sim["township_id"] = sim["township_id"].astype(str)
    out = planned.merge(sim, on=keys, how="inner")
    out = out.rename(
        columns={
            "service_level": "simulated_service_level",
            "service_level_low": "simulated_low",
            "service_level_high": "simulated_high",
        }
    )
    out["difference"] = (out["simulated_service_level"] - out["planned_service_level"]).round(4)
    out["agrees"] = (out["planned_service_level"] >= out["simulated_low"] - slack) & (
        out["planned_service_level"] <= out["simulated_high"] + slack
    )
    return out.reset_index(drop=True)


def service_check_summary(check: pd.DataFrame) -> dict[str, Any]:
    """For manifest.json: how many township-years agree, the mean and largest differences."""
    if check.empty:
        return {"township_years": 0}
    worst = check.loc[check["difference"].abs().idxmax()]
    return {
        "township_years": len(check),
        "agree": int(check["agrees"].sum()),
        "mean_difference": round(float(check["difference"].mean()), 4),
        "largest_difference": {
            "township_id": str(worst["township_id"]),
            "year": int(worst["year"]),
            "planned": float(worst["planned_service_level"]),
            "simulated": float(worst["simulated_service_level"]),
        },
    }
