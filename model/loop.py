"""The plan–simulation loop of `stationplan run`: the simulation verifies the plan's service levels.

The optimizer plans with the share of each township's requests started within `max_wait_days`
at each staffing level (queueing theory: model.workload.on_time_shares); the plan carries it as
`planned_service_level`. Each round:

1. optimize with the current table of on-time shares (townships × years × staffing levels);
2. simulate the plan (`simulation.replications` replications; common random numbers);
3. check every station-year: the planned share against the simulated mean and its 95% interval
   (`service_check`); where they disagree, that township-year's row of the table is
   re-estimated from the simulation — the share measured at the level it had, and the other
   levels shifted by the same difference from the closed form (clipped to 0–1, never falling
   with more workers) — and the plan is made again. The closed form's bias seen over all the
   round's station-years whose share came from it (simulated − planned = p(1 − p)(α + βp) at
   planned share p, least squares) is taken out of every value not measured, so that levels
   and townships the simulation has not seen are corrected too. The table has a row per year
   because a
   year's share may differ from the next at the same staffing: a station's first year starts
   without a backlog, a later one with the cases and queue of the year before.

until every station-year agrees (converged), the table stops changing (a rare cycle: a
measured share moves the plan to another level and back), or
`simulation.rounds` rounds have run. The last plan is the answer, and it is judged on fresh
seeds: simulated again with replications the loop never saw (numbered after its own), so that
the corrections fitted to the loop's replications are not graded on the same draws
(out-of-sample); that simulation and its check are the ones reported. Every round is recorded
(for manifest.json), and the table says which values were measured. A plan that
needs no on-time shares (max_service without a service-level target) does not change between
rounds: its planned levels are corrected, its staffing stays.
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
from model.tasks import Executor
from model.vocabulary import WORKER_COLUMNS, progress_words

SLACK = 0.01
"""Planned and simulated service levels agree when the planned lies within the simulation's 95%
interval widened by this (share) on each side."""


@dataclass
class LoopResult:
    """The final plan and its simulation, the on-time table it was planned with, the check of
    planned against simulated service levels, and what each round did."""

    plan: PlanResult
    simulation: SimulationResult  # the final plan on fresh seeds (out-of-sample)
    on_time: np.ndarray  # townships × years × staffing levels: share of requests on time
    measured: np.ndarray  # same shape: True where the share was measured by the simulation
    levels: list[int]
    check: pd.DataFrame  # planned against the out-of-sample simulation
    rounds: list[dict[str, Any]] = field(default_factory=list)
    converged: bool = False
    why: str = ""
    in_sample: pd.DataFrame = field(default_factory=pd.DataFrame)  # the last round's check

    def manifest(self) -> dict[str, Any]:
        sim = self.plan.scenario.simulation
        return {
            "max_rounds": sim.rounds,
            "rounds": self.rounds,
            "converged": self.converged,
            "stopped_because": self.why,
            "measured_levels": int(self.measured.sum()),
            "judged_on": {
                "replications": f"{sim.replications}–{2 * sim.replications - 1}",
                "note": "the final plan simulated again on seeds the loop never used",
            },
            "in_sample_check": service_check_summary(self.in_sample),
            "service_check": service_check_summary(self.check),
        }

    def on_time_table(self) -> pd.DataFrame:
        """Township, year, staffing level, share of requests started on time, and whether the
        share was measured by the simulation (else queueing theory): on_time_table.csv."""
        sc = self.plan.scenario
        ids = sc.townships["township_id"].to_numpy()
        n, y, m = self.on_time.shape
        return pd.DataFrame(
            {
                "township_id": np.repeat(ids, y * m),
                "year": np.tile(np.repeat(sc.years, m), n),
                "workers": np.tile(self.levels, n * y),
                "on_time_share": np.round(self.on_time.ravel(), 4),
                "measured": self.measured.ravel(),
            }
        )


def corrected_table(
    closed: np.ndarray,
    table: np.ndarray,
    measured: np.ndarray,
    levels: list[int],
    index: dict[str, int],
    check: pd.DataFrame,
    plan: pd.DataFrame,
    years: list[int],
    half: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The on-time table (townships × years × levels; `closed`: the closed form's) with the
    disagreeing township-years re-estimated from the simulation (see the module docstring);
    returns the new table, the new measured mask and the half-width of each measured value's
    95% interval (`half`: the ones so far; 0 where the closed form holds)."""
    out, mask = table.copy(), measured.copy()
    half = np.zeros(table.shape) if half is None else half.copy()
    check = check.assign(township_id=check["township_id"].astype(str))
    simulated = check.merge(plan_cells(plan, levels, years, index), on=["township_id", "year"])
    for row in simulated[~simulated["agrees"] & (simulated["j"] >= 0)].itertuples():
        i, y, j = int(row.i), int(row.y), int(row.j)
        out[i, y, j] = float(row.simulated_service_level)
        mask[i, y, j] = True
        half[i, y, j] = max(
            row.simulated_service_level - row.simulated_low,
            row.simulated_high - row.simulated_service_level,
        )
        known = np.flatnonzero(mask[i, y])
        for other in np.flatnonzero(~mask[i, y]):
            near = known[np.argmin(np.abs(known - other))]
            out[i, y, other] = closed[i, y, other] + (out[i, y, near] - closed[i, y, near])
        out[i, y] = np.maximum.accumulate(np.clip(out[i, y], 0.0, 1.0))
    return out, mask, half


def closed_form_bias(check: pd.DataFrame) -> tuple[float, float]:
    """(α, β) of the closed form's bias over the station-years whose planned share came from it
    (`planned_half` 0): simulated − p ≈ p(1 − p)(α + βp) at the closed form's share p (column
    `closed_form`; else the planned share), by least squares (no bias where p is 0 or 1, where
    nothing waits or nothing is served). Fitted on the raw closed form, not on the shares a
    round before corrected, so that a later round's fit replaces the earlier one rather than
    being applied on top of the wrong base. (0, 0) with fewer than 10 such station-years."""
    rows = check[check.get("planned_half", 0.0) == 0]
    base = rows["closed_form"] if "closed_form" in rows else rows["planned_service_level"]
    p = base.to_numpy(float)
    y = (rows["simulated_service_level"] - base).to_numpy(float)
    keep = np.isfinite(y)
    p, y = p[keep], y[keep]
    if len(p) < 10:
        return 0.0, 0.0
    x = np.column_stack([p * (1 - p), p * p * (1 - p)])
    (alpha, beta), *_ = np.linalg.lstsq(x, y, rcond=None)
    return float(alpha), float(beta)


def debiased(closed: np.ndarray, bias: tuple[float, float]) -> np.ndarray:
    """The closed form's shares with its bias (closed_form_bias) taken out, clipped to 0–1 and
    never falling with more workers (last axis: staffing levels)."""
    alpha, beta = bias
    out = closed + closed * (1 - closed) * (alpha + beta * closed)
    return np.maximum.accumulate(np.clip(out, 0.0, 1.0), axis=-1)


def plan_and_simulate(
    sc: Scenario,
    processes: int = 1,
    progress: bool = True,
    time_limit_s: float | None = None,
    executor: Executor | None = None,
) -> LoopResult:
    """Run the loop (module docstring) and return the last round's plan and simulation.
    `executor`: where the provinces' plans (a region of provinces) and the simulation's tasks
    run (model.executor); None: the provinces on a local Dask cluster of their own, the
    replications on `processes` local processes."""
    from model.optimizer.inputs import staffing_levels
    from model.optimizer.optimize import estimate_budget_gap, optimize
    from model.simulate.replications import simulate_plan
    from model.workload import on_time_shares

    levels = staffing_levels(sc)
    closed = np.repeat(on_time_shares(sc, levels)[:, None, :], len(sc.years), axis=1)
    table, measured = closed.copy(), np.zeros(closed.shape, dtype=bool)
    half = np.zeros(closed.shape)
    index = {str(tid): i for i, tid in enumerate(sc.townships["township_id"])}
    rounds: list[dict[str, Any]] = []
    cache: dict = {}  # township-years already simulated, by replication and staffing
    result = simulation = check = None
    many = "s" if sc.simulation.rounds > 1 else ""
    converged, why = False, f"{sc.simulation.rounds} round{many} run"
    with tqdm(
        total=sc.simulation.rounds,
        desc=progress_words("plan and simulate", sc.report.language),
        unit=progress_words("round", sc.report.language),
        disable=not progress,
        leave=False,
    ) as bar:
        for k in range(1, sc.simulation.rounds + 1):
            t0 = time.perf_counter()
            result = optimize(
                sc,
                time_limit_s=time_limit_s,
                estimate_gap=False,
                on_time=table,
                executor=executor,
            )
            t1 = time.perf_counter()
            simulation = simulate_plan(
                sc,
                result.plan,
                processes=processes,
                progress=progress,
                cache=cache,
                executor=executor,
            )
            t2 = time.perf_counter()
            check = service_check(
                result.plan,
                simulation.table,
                planned_half=planned_halves(result.plan, half, levels, sc.years, index),
            )
            disagree = int((~check["agrees"]).sum())
            last = result.plan[result.plan["year"] == sc.years[-1]]
            rounds.append(
                {
                    "round": k,
                    "objective": result.solver.objective,
                    "gap": result.solver.gap,
                    "stations_last_year": int(last["station"].sum()),
                    "workers_last_year": int(last[list(WORKER_COLUMNS)].to_numpy().sum()),
                    "station_years": len(check),
                    "station_years_disagreeing": disagree,
                    "largest_difference": round(float(check["difference"].abs().max()), 4)
                    if len(check)
                    else 0.0,
                    "measured_levels": int(measured.sum()),
                    "optimize_s": round(t1 - t0, 3),
                    "simulate_s": round(t2 - t1, 3),
                }
            )
            bar.update()
            said = progress_words("station-years disagree", sc.report.language)
            bar.set_postfix_str(f"{disagree} {said}")
            if disagree == 0:
                converged, why = True, "planned and simulated service levels agree everywhere"
                break
            if k == sc.simulation.rounds:
                break
            cells = plan_cells(result.plan, levels, sc.years, index)
            cells = cells[cells["j"] >= 0]
            raw = cells.assign(closed_form=closed[cells["i"], cells["y"], cells["j"]])
            bias = closed_form_bias(
                check.merge(raw[["township_id", "year", "closed_form"]], how="left")
            )
            base = debiased(closed, bias)
            rounds[-1]["closed_form_bias"] = [round(bias[0], 4), round(bias[1], 4)]
            new, mask, new_half = corrected_table(
                base,
                np.where(measured, table, base),
                measured,
                levels,
                index,
                check,
                result.plan,
                sc.years,
                half,
            )
            if np.allclose(new, table) and (mask == measured).all():
                why = (
                    "the table of on-time shares stopped changing while some station-years "
                    "still disagree: their measured share moved them to another staffing level, "
                    "and back"
                )
                break
            table, measured, half = new, mask, new_half
    assert result is not None and simulation is not None and check is not None
    estimate_budget_gap(result, time_limit_s, table)
    fresh = simulate_plan(
        sc,
        result.plan,
        processes=processes,
        progress=progress,
        first_replication=sc.simulation.replications,
        executor=executor,
    )
    judged = service_check(
        result.plan,
        fresh.table,
        planned_half=planned_halves(result.plan, half, levels, sc.years, index),
    )
    return LoopResult(
        result, fresh, table, measured, levels, judged, rounds, converged, why, in_sample=check
    )


def service_check(
    plan: pd.DataFrame,
    simulation: pd.DataFrame,
    slack: float = SLACK,
    planned_half: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per township-year with a station: the planned share of requests started on time (the
    plan's `planned_service_level`) beside the simulated one (mean and 95% interval over the
    replications), their difference, and whether they agree within their intervals, widened by
    `slack` (share) on each side. A planned value from queueing theory is exact: it agrees when
    it lies in the simulated interval. A planned value the loop measured by simulation
    (`planned_half`: township_id, year and the half-width of its own 95% interval) is an
    estimate too: the two agree when they differ by at most the half-widths combined,
    √(h_planned² + h_simulated²).
    """
    keys = ["township_id", "year"]
    planned = plan.loc[plan["station"] == 1, [*keys, "planned_service_level"]].copy()
    planned["township_id"] = planned["township_id"].astype(str)
    if planned_half is not None:
        halves = planned_half[[*keys, "planned_half"]].copy()
        halves["township_id"] = halves["township_id"].astype(str)
        planned = planned.merge(halves, on=keys, how="left")
    else:
        planned["planned_half"] = 0.0
    planned["planned_half"] = planned["planned_half"].fillna(0.0)
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
    inside = (out["planned_service_level"] >= out["simulated_low"] - slack) & (
        out["planned_service_level"] <= out["simulated_high"] + slack
    )
    both = np.hypot(out["planned_half"], (out["simulated_high"] - out["simulated_low"]) / 2)
    close = (out["simulated_service_level"] - out["planned_service_level"]).abs() <= both + slack
    out["agrees"] = np.where(out["planned_half"] > 0, close, inside)
    out["planned_half"] = out["planned_half"].round(4)
    columns = [c for c in out.columns if c not in ("planned_half", "difference", "agrees")]
    return out[[*columns, "planned_half", "difference", "agrees"]].reset_index(drop=True)


def plan_cells(
    plan: pd.DataFrame, levels: list[int], years: list[int], index: dict[str, int]
) -> pd.DataFrame:
    """Per township-year with a station: where the plan puts it in the on-time table (townships
    × years × levels) — `i` its township's row, `y` its year, `j` its staffing level (−1 for a
    staffing outside the levels)."""
    at = {k: j for j, k in enumerate(levels)}
    year_at = {int(y): n for n, y in enumerate(years)}
    p = plan[plan["station"] == 1]
    ids = p["township_id"].astype(str)
    k = p[list(WORKER_COLUMNS)].sum(axis=1).astype(int)
    return pd.DataFrame(
        {
            "township_id": ids,
            "year": p["year"].astype(int),
            "i": [index[t] for t in ids],
            "y": [year_at[int(y)] for y in p["year"]],
            "j": [at.get(int(n), -1) for n in k],
        }
    )


def planned_halves(
    plan: pd.DataFrame,
    half: np.ndarray,
    levels: list[int],
    years: list[int],
    index: dict[str, int],
) -> pd.DataFrame:
    """Per township-year with a station: the half-width of the 95% interval of its planned
    on-time share (0 where the closed form gave it; the loop's measurement where it was
    simulated), at the staffing the plan gives it."""
    cells = plan_cells(plan, levels, years, index)
    at = cells[["i", "y", "j"]].to_numpy()
    values = np.where(at[:, 2] >= 0, half[at[:, 0], at[:, 1], at[:, 2]], 0.0)
    return cells[["township_id", "year"]].assign(planned_half=values)


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
