"""`python -m benchmarks catchments [--scenario henan_2025] [--minutes 30] [--time-limit 600]`

The province-size plan with catchments (issue 18): a shipped scenario (default Henan, 2,467
real township-level units × 3 years) with synthetic travel times (region.travel: synthetic,
model.inputs.travel) and catchment.max_minutes, planned twice, each in a process of its own:
without catchments and with them (`model.optimizer.optimize`'s path: build, the start without
catchments, relax and fix). Prints a Markdown table: townships,
years, catchment pairs within the limit, variables, constraints, integers, build s, start s,
solve s, status, gap, objective, township-years served by a neighbour, peak MiB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def run_one(name: str, minutes: float | None, time_limit: float) -> dict:
    """One plan of scenarios/`name`.yaml, with catchments of `minutes` (None: without)."""
    from benchmarks import ROOT
    from model import load_scenario
    from model.optimizer.formulation import build
    from model.optimizer.inputs import Inputs
    from model.optimizer.solve import RELAX_AND_FIX, catchment_start, solve
    from model.workload import catchment_pairs

    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    over: dict = {"region.travel": "synthetic", "solver.time_limit_s": time_limit}
    if minutes is not None:
        over["catchment.max_minutes"] = minutes
    sc = sc.with_overrides(over)
    townships, years = len(sc.townships), len(sc.years)
    t0 = time.perf_counter()
    inp = Inputs.from_scenario(sc)
    model = build(sc, inp)
    build_s = time.perf_counter() - t0
    row: dict = {
        "townships": townships,
        "years": years,
        "minutes": minutes,
        "pairs": len(catchment_pairs(sc)),
        "variables": model.prob.numVariables(),
        "constraints": model.prob.numConstraints(),
        "integers": sum(1 for v in model.prob.variables() if v.cat == "Integer"),
        "build_s": round(build_s, 2),
    }
    t1 = time.perf_counter()
    start = None
    if model.catch and townships * years >= RELAX_AND_FIX:
        start = catchment_start(model, sc, sc.solver.time_limit_s)
    row["start_s"] = round(time.perf_counter() - t1, 1)
    row["start"] = start or ""
    t2 = time.perf_counter()
    try:
        info = solve(model, sc, start=start is not None)
        row.update(status=info.status, gap=info.gap, objective=info.objective)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what happened
        row.update(status=f"{type(exc).__name__}: {exc}"[:80], gap=None, objective=None)
    row["solve_s"] = round(time.perf_counter() - t2, 1)
    row["served_by_neighbour"] = sum(1 for v in model.catch.values() if (v.varValue or 0) > 0.5)
    row["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def main(name: str, minutes: float, time_limit: float) -> None:
    """The scenario without and with catchments, each in its own process (its own peak
    memory)."""
    print(
        "| townships | years | catchment | pairs within | variables | constraints | integers "
        "| build s | start s | solve s | status | gap | objective | served by a neighbour "
        "| peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for m in (None, minutes):
        code = (
            "import json, sys; from benchmarks.catchments import run_one; "
            f"print('ROW', json.dumps(run_one({name!r}, {m!r}, {time_limit})))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        rows = [line[4:] for line in out.stdout.splitlines() if line.startswith("ROW ")]
        if not rows:
            print(f"| {name} | | {m} | failed: {out.stderr.strip()[-200:]} |")
            continue
        r = json.loads(rows[0])
        gap = "" if r["gap"] is None else f"{100 * r['gap']:.2f}%"
        objective = "" if r["objective"] is None else f"{r['objective']:,.0f}"
        label = "none" if m is None else f"{m:g} min"
        print(
            f"| {r['townships']:,} | {r['years']} | {label} | {r['pairs']:,} "
            f"| {r['variables']:,} | {r['constraints']:,} | {r['integers']:,} "
            f"| {r['build_s']} | {r['start_s']} | {r['solve_s']} | {r['status']} | {gap} "
            f"| {objective} | {r['served_by_neighbour']:,} | {r['peak_mib']:,} |",
            flush=True,
        )
