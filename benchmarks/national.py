"""`python -m benchmarks national [--workers 2] [--time-limit 120]`: the whole country planned
province by province (scenarios/national.yaml) on a local Dask cluster.

Prints the load time, the wall time of the provinces' tasks, every province's townships, status,
gap and seconds (wall in its worker), the slowest provinces, and each worker's peak memory
(the resident set's high-water mark, read in the worker after the run). Goals (issue 20): every
province within 0.5% of its bound, the whole country in under 2 minutes wall, under 2 GB a
worker.
"""

from __future__ import annotations

import resource
import time

from benchmarks import ROOT


def _peak_mib() -> float:
    """This process's resident-set high-water mark (MiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(workers: int, time_limit: float | None, scenario: str = "national") -> None:
    from model import load_scenario
    from model.executor import open_executor
    from model.optimizer.provinces import optimize_provinces

    t0 = time.perf_counter()
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    load_s = time.perf_counter() - t0
    print(f"scenario: {scenario}, {len(sc.townships):,} townships, {len(sc.provinces)} provinces")
    print(f"load: {load_s:.1f} s")
    with open_executor(None, workers=workers) as ex:
        t1 = time.perf_counter()
        result = optimize_provinces(sc, time_limit_s=time_limit, executor=ex, progress=False)
        wall = time.perf_counter() - t1
        peaks = ex.client.run(_peak_mib)
    p = result.provinces.sort_values("wall_s", ascending=False)
    worst = float(p["gap"].max())
    print(
        f"\nwall {wall:.1f} s for {len(p)} provinces on {workers} workers (sum of task walls "
        f"{p['wall_s'].sum():.1f} s); worst gap {worst:.3%}; "
        f"status {result.solver.status}; workers' peak "
        + ", ".join(f"{v:,.0f}" for v in peaks.values())
        + " MiB"
    )
    print("\n| province | townships | status | gap | wall s | solve s | targets met |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in p.itertuples():
        gap = f"{r.gap:.3%}" if r.gap == r.gap and r.gap is not None else "—"
        print(
            f"| {r.province} | {r.townships:,} | {r.status} | {gap} | {r.wall_s:.1f} | "
            f"{r.solve_s:.1f} | {r.targets_met} / {r.targets} |"
        )
