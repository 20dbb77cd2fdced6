"""`python -m benchmarks simulate-scale [--scenario henan_2025] [--replications 2] [--block 125]`:
the simulation's tasks (replications × blocks of townships) on a local Dask cluster of 1 and of
2 workers.

Prints township-years simulated per second per worker, the speed-up from 1 to 2 workers, and a
projection for 64 workers (stated as such: Amdahl's law with the serial part measured here —
building the tasks and summarising the runs — and the tasks' spread over 64 workers). Goal
(issue 20): ≥ 1.8× from 1 to 2 workers on this machine.
"""

from __future__ import annotations

import math
import time

from benchmarks import ROOT


def main(scenario: str, replications: int, block: int) -> None:
    from model import load_scenario
    from model.executor import open_executor
    from model.simulate.replications import simulate_plan

    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    township_years = len(sc.townships) * len(sc.years) * replications
    tasks = replications * math.ceil(len(sc.townships) / block)
    print(
        f"scenario: {scenario}, {len(sc.townships):,} townships × {len(sc.years)} years × "
        f"{replications} replications = {township_years:,} township-years in {tasks} tasks "
        f"(blocks of {block}); today's stations (no plan)"
    )
    walls = {}
    tables = {}
    for workers in (1, 2):
        with open_executor(None, workers=workers) as ex:
            t0 = time.perf_counter()
            result = simulate_plan(
                sc, replications=replications, progress=False, executor=ex, block=block
            )
            walls[workers] = time.perf_counter() - t0
            tables[workers] = result.table
        rate = township_years / walls[workers] / workers
        print(
            f"{workers} worker(s): {walls[workers]:.1f} s wall, {rate:,.1f} township-years/s "
            "per worker"
        )
    same = tables[1].equals(tables[2])
    speedup = walls[1] / walls[2]
    # serial part: what one worker cannot share (Amdahl), from the two measurements:
    # T(n) = s + p / n  →  p = 2 (T1 − T2), s = T1 − p
    parallel = 2 * (walls[1] - walls[2])
    serial = max(0.0, walls[1] - parallel)
    projected = serial + parallel / min(64, tasks)
    print(
        f"speed-up 1 → 2 workers: {speedup:.2f}× (same tables: {same}); serial part "
        f"{serial:.1f} s of {walls[1]:.1f} s"
    )
    print(
        f"projection (not measured) for 64 workers: {projected:.1f} s wall, "
        f"{walls[1] / projected:.1f}× one worker (at most {tasks} tasks run at once)"
    )
