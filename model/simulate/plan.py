"""Simulate a plan (or today's status quo) over its years, with replications and 95% intervals.

    table = simulate_plan(sc, result.plan, replications=10)     # one row per township and year

Each replication simulates every township-year with the plan's workers (a township without a
station serves nobody: its demand is unmet). Replications draw from independent streams of
the scenario's seed (`simulation.seed`), keyed by replication, year, township and input, so
the numbers do not depend on how many processes run them. Columns: for each measure its mean
over replications and the 95% interval (Student t): demand_hours, served_hours, unmet_hours
(hours/year), unmet_requests, wait_mean_days, wait_p90_days, utilisation.

Not yet modelled across years: attrition and hiring lag inside a year, the yearly exam.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict

import numpy as np
import pandas as pd
from scipy import stats
from tqdm.auto import tqdm

from model.scenario import Scenario
from model.simulate.streams import Streams
from model.simulate.township import simulate_township

MEASURES = ("demand_hours", "served_hours", "unmet_hours", "unmet_requests", "wait_mean_days",
            "wait_p90_days", "utilisation")


def status_quo(sc: Scenario) -> pd.DataFrame:
    """Today's stations and workers kept unchanged over the horizon, as a plan table."""
    t = sc.townships
    rows = [{"township_id": tid, "year": y, "station": int(st), "workers": int(c + u)}
            for tid, st, c, u in zip(t["township_id"], t["has_station"], t["workers_certified"],
                                     t["workers_uncertified"]) for y in sc.years]
    return pd.DataFrame(rows)


def _workers(plan: pd.DataFrame) -> pd.DataFrame:
    if "workers" not in plan:
        plan = plan.assign(workers=plan["workers_uncertified"] + plan["workers_junior"] + plan["workers_intermediate"])
    return plan.assign(workers=np.where(plan["station"] == 1, plan["workers"], 0))


def _one_replication(args: tuple) -> list[dict]:
    sc, staffing, replication = args
    streams = Streams(sc.simulation.seed, replication)
    index = {tid: i for i, tid in enumerate(sc.townships["township_id"])}
    out = []
    for tid, year, workers in staffing:
        r = simulate_township(sc, index[tid], int(workers), streams, year=int(year))
        out.append({"replication": replication, "year": int(year), **asdict(r)})
    return out


def simulate_plan(sc: Scenario, plan: pd.DataFrame | None = None, replications: int | None = None,
                  processes: int = 1, progress: bool = True) -> pd.DataFrame:
    """Mean and 95% interval per township and year over replications (see module docstring)."""
    plan = _workers(status_quo(sc) if plan is None else plan)
    n = sc.simulation.replications if replications is None else int(replications)
    staffing = list(zip(plan["township_id"], plan["year"], plan["workers"]))
    tasks = [(sc, staffing, r) for r in range(n)]
    rows: list[dict] = []
    with tqdm(total=n, desc="simulating", unit="replication", disable=not progress, leave=False) as bar:
        if processes > 1:
            with ProcessPoolExecutor(max_workers=processes) as pool:
                for part in pool.map(_one_replication, tasks):
                    rows += part
                    bar.update()
        else:
            for task in tasks:
                rows += _one_replication(task)
                bar.update()
    runs = pd.DataFrame(rows)
    return summarise(runs)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per township and year: mean, low and high (95% Student-t interval) of each measure."""
    out = []
    for (tid, year), g in runs.groupby(["township_id", "year"], sort=False):
        row = {"township_id": tid, "year": year, "workers": int(g["workers"].iloc[0]), "replications": len(g)}
        for m in MEASURES:
            values = g[m].to_numpy(float)
            values = values[~np.isnan(values)]
            if len(values) == 0:
                row.update({m: np.nan, f"{m}_low": np.nan, f"{m}_high": np.nan})
                continue
            mean = float(values.mean())
            half = (float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
                    if len(values) > 1 else 0.0)
            row.update({m: round(mean, 4), f"{m}_low": round(mean - half, 4), f"{m}_high": round(mean + half, 4)})
        out.append(row)
    return pd.DataFrame(out)
