"""`python -m benchmarks service-levels`: the optimizer with the queueing-based service levels.

For each size (or a shipped scenario) three cases, each in its own process:

- `service`: objective max_service, no service-level target (the `optimize` scenario);
- `on_time`: objective max_on_time (the most client requests started on time);
- `target`: max_service with `targets.service_level` in every year at the midpoint of the
  regional service levels of the two plans before (rounded down to 0.0001). A half-and-half mix
  of those two plans reaches the midpoint in every year and keeps every linear row, so the
  target is feasible up to the MILP's whole numbers; it binds in every year in which the
  max_service plan is below it.

Each case reports its time per part: the on-time shares per township and staffing level
(model.workload.on_time_shares), the rest of the optimizer's inputs, building the model and each
stage of the solve, with the clock read when the solver reports each stage (so the times include
the work between stages); the time to the first plan and to a plan within the goal gap
(each of `GOALS`) of the best bound, counted from the start of the inputs; the final gap; the peak
resident memory of the process; rows, columns, integer and binary columns; the load average of
the machine before and after.
"""

from __future__ import annotations

import json
import logging
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import ROOT

GOALS = (0.005, 0.01)
"""Gaps of the goals (benchmarks/README.md): province 0.5%, whole country 1%."""

CASES = ("service", "on_time", "target")


def case_scenario(
    source: str, years: int, time_limit: float, gap: float, case: str, target: dict[int, float]
) -> Any:
    """The scenario of one case: `source` a number of townships (the `optimize` benchmark's
    synthetic region) or a shipped scenario's name; its solver's time limit (s) and gap."""
    from benchmarks.__main__ import scenario_file
    from model import load_scenario

    if source.isdigit():
        with tempfile.TemporaryDirectory() as tmp:
            sc = load_scenario(scenario_file(Path(tmp), int(source), years, time_limit, gap))
    else:
        sc = load_scenario(ROOT / "scenarios" / f"{source}.yaml")
    changes = [f"solver.time_limit_s={time_limit}", f"solver.gap={gap}"]
    if case == "on_time":
        changes.append("objective=max_on_time")
    if case == "target":
        changes += [f"targets.service_level.{y}={v}" for y, v in sorted(target.items())]
    return sc.with_overrides(changes)


class _StageClock(logging.Handler):
    """Reads the clock when relax and fix reports a stage (its log record carries the stage)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.marks: list[tuple[float, dict]] = []

    def emit(self, record: logging.LogRecord) -> None:
        # logging passes a lone dict argument as the record's args itself
        if isinstance(record.args, dict) and "stage" in record.args:
            self.marks.append((time.perf_counter(), dict(record.args)))


def milestones(marks: list[tuple[float, dict]], sense: float) -> dict[str, float]:
    """Clock of the first plan and of the first plan within each of `GOALS` of the best bound
    known then, from relax and fix's stages (`sense` +1 maximise, -1 minimise)."""
    out: dict[str, float] = {}
    bound = None
    for clock, st in marks:
        if st["stage"] == "linear relaxation":
            if st.get("status") == "Optimal":
                bound = st["objective"]
            continue
        if st.get("best_bound") is not None and (
            bound is None or sense * (st["best_bound"] - bound) < 0
        ):
            bound = st["best_bound"]
        if st.get("objective") is None:
            continue
        out.setdefault("first_plan", clock)
        for goal in GOALS:
            near = abs(bound - st["objective"]) <= goal * max(abs(st["objective"]), 1e-9)
            if bound is not None and near:
                out.setdefault(f"gap {goal:g}", clock)
    return out


def run_case(
    source: str, years: int, time_limit: float, gap: float, case: str, target: dict[int, float]
) -> dict:
    """Plan one case and report its times, size, gap, memory and service levels (one dict)."""
    import pulp

    from model.optimizer.formulation import build
    from model.optimizer.inputs import Inputs, staffing_levels
    from model.optimizer.solve import extract, solve
    from model.plan.targets import regional_service_level
    from model.workload import on_time_shares

    load_before = os.getloadavg()
    sc = case_scenario(source, years, time_limit, gap, case, target)
    clock = _StageClock()
    logger = logging.getLogger("stationplan.optimize")
    logger.addHandler(clock)
    logger.setLevel(logging.INFO)
    t0 = time.perf_counter()
    shares = on_time_shares(sc, staffing_levels(sc))
    t1 = time.perf_counter()
    inp = Inputs.from_scenario(sc, on_time=shares)
    t2 = time.perf_counter()
    model = build(sc, inp)
    t3 = time.perf_counter()
    prob = model.prob
    ints = [v for v in prob.variables() if v.cat == pulp.LpInteger]
    row: dict[str, Any] = {
        "source": source,
        "townships": len(inp.ids),
        "years": len(inp.years),
        "levels": len(model.levels),
        "case": case,
        "formulation": "binary" if model.exact_levels else "increments",
        "rows": prob.numConstraints(),
        "columns": prob.numVariables(),
        "integers": len(ints),
        "binaries": sum(1 for v in ints if v.upBound == 1),
        "on_time_s": round(t1 - t0, 2),
        "inputs_s": round(t2 - t1, 2),
        "build_s": round(t3 - t2, 2),
        "target": {str(y): v for y, v in target.items()},
    }
    try:
        info = solve(model, sc)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what happened
        row.update(status=f"{type(exc).__name__}: {exc}"[:100], gap=None)
        row["solve_s"] = round(time.perf_counter() - t3, 1)
    else:
        t4 = time.perf_counter()
        sense = 1.0 if prob.sense == pulp.LpMaximize else -1.0
        marks = milestones(clock.marks, sense)
        if not info.stages:  # one MILP solve: its plan is the first and the last
            marks = {"first_plan": t4}
            marks.update({f"gap {g:g}": t4 for g in GOALS if (info.gap or 1.0) <= g})
        row.update(
            status=info.status,
            gap=info.gap,
            solve_s=round(t4 - t3, 2),
            first_plan_s=round(marks["first_plan"] - t0, 1) if "first_plan" in marks else None,
            goal_s={
                f"{g:g}": round(marks[f"gap {g:g}"] - t0, 1) if f"gap {g:g}" in marks else None
                for g in GOALS
            },
            stages=[{**st, "at_s": round(c - t3, 2)} for c, st in clock.marks],
        )
        plan, _, _ = extract(model, sc)
        row["service_level"] = {
            str(y): round(regional_service_level(sc, plan[plan["year"] == y]), 5) for y in sc.years
        }
        row["shortfall"] = {
            str(y): round(max(0.0, v - row["service_level"][str(y)]), 5) for y, v in target.items()
        }
    row["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    row["load"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    return row


def midpoint_target(service: dict, on_time: dict) -> dict[int, float]:
    """Per year the midpoint of two plans' regional service levels, rounded down to 0.0001."""
    return {
        int(y): math.floor((service[y] + on_time[y]) / 2 * 10_000) / 10_000
        for y in service
        if y in on_time
    }


def _one(source: str, years: int, time_limit: float, gap: float, case: str, target: dict) -> dict:
    """Run one case in a process of its own (so its peak memory is its own)."""
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "service-levels-one",
            source,
            case,
            "--years",
            str(years),
            "--time-limit",
            str(time_limit),
            "--gap",
            str(gap),
            "--target",
            json.dumps({str(y): v for y, v in target.items()}),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if res.returncode != 0:
        tail = res.stderr.strip().splitlines()[-1] if res.stderr.strip() else res.returncode
        return {"source": source, "case": case, "status": f"failed: {tail}"}
    return json.loads(res.stdout.strip().splitlines()[-1])


def _fmt(value: Any, pattern: str = "{}") -> str:
    return "—" if value is None else pattern.format(value)


def print_row(r: dict) -> None:
    """One Markdown row per case (the header is in `main`)."""
    if "rows" not in r:
        print(f"| {r['source']} | {r['case']} | {r['status']} |", flush=True)
        return
    stages = "; ".join(
        f"{st['stage']} {st['at_s']:.1f}"
        + (f" ({st['fractional']} fractional)" if "fractional" in st else "")
        for st in r.get("stages", [])
    )
    levels = " ".join(f"{v:.4f}" for v in r.get("service_level", {}).values())
    target = " ".join(f"{v:.4f}" for v in r.get("target", {}).values()) or "—"
    short = max(r.get("shortfall", {}).values(), default=None)
    goals = " / ".join(_fmt(v) for v in r.get("goal_s", {}).values()) or "—"
    load = r["load"]
    print(
        f"| {r['townships']:,} × {r['years']} × {r['levels']} | {r['case']} | "
        f"{r['formulation']} | {r['rows']:,} | {r['columns']:,} | {r['integers']:,} | "
        f"{r['binaries']:,} | {r['on_time_s']} | {r['inputs_s']} | {r['build_s']} | "
        f"{r['solve_s']} | {_fmt(r.get('first_plan_s'))} | {goals} | "
        f"{r['status']} | {_fmt(r.get('gap'), '{:.3%}')} | {r['peak_mib']:,.0f} | "
        f"{load[0]:.2f} → {load[3]:.2f} | {levels} | {target} | {_fmt(short, '{:.4f}')} | "
        f"{stages} |",
        flush=True,
    )


def main(sources: list[str], years: int, time_limit: float, gap: float) -> None:
    print(
        "| townships × years × levels | case | levels as | rows | columns | integers | binaries "
        "| on-time shares s | other inputs s | build s | solve s | first plan s | "
        f"≤ {' / '.join(f'{g:.1%}' for g in GOALS)} gap s | status | gap | peak MiB | "
        "load (1 min) | service level by year | target by year | target shortfall | "
        "stages (s after build) |"
    )
    print("|" + "---|" * 21)
    for source in sources:
        rows = {}
        for case in ("service", "on_time"):
            rows[case] = _one(source, years, time_limit, gap, case, {})
            print_row(rows[case])
        levels = [rows[c].get("service_level") for c in ("service", "on_time")]
        if all(levels):
            target = midpoint_target(*levels)
            print_row(_one(source, years, time_limit, gap, "target", target))
