"""Speed-up of a budget sweep on a local Dask cluster against the same sweep run serially
(`python -m benchmarks sweep`). Same machine, same run; the frontiers must be equal."""

from __future__ import annotations

import os
import time

import numpy as np

from model import load_scenario, shipped_scenario


def main(scenario: str = "ganzhou", levels: int = 10, gap: float = 0.01) -> None:
    from model.executor import open_executor
    from model.experiments.sweep import budget_levels, sweep

    sc = load_scenario(shipped_scenario(scenario), [f"solver.gap={gap}"])
    lv = budget_levels(sc, factors=[round(float(f), 4) for f in np.linspace(0.6, 1.5, levels)])
    times, frontiers = {}, {}
    for where in ("serial", None):
        with open_executor(where) as ex:
            t0 = time.perf_counter()
            res = sweep(sc, lv, ex, least=False, progress=False)
            times[ex.where] = time.perf_counter() - t0
            frontiers[ex.where] = res.frontier
    (serial, s_t), (local, l_t) = times.items()
    a, b = frontiers[serial], frontiers[local]
    same = a.equals(b)
    if not same:
        cols = [c for c in a.columns if not a[c].equals(b[c])]
        print("columns that differ:", cols)
        print(
            a[["level", *cols]]
            .merge(b[["level", *cols]], on="level", suffixes=("_serial", "_dask"))
            .to_string()
        )
    print(
        f"| {scenario}, {levels} budget levels (optimize, gap {gap:g}) | "
        f"serial {s_t:.1f} s | {local} {l_t:.1f} s | "
        f"speed-up {s_t / l_t:.2f}x on {os.cpu_count()} cores | frontiers equal: {same} |"
    )
