"""`python -m benchmarks build [--provinces 四川省,广东省|all] [--repeat 3] [--optimize]`

The optimizer's model built both ways (issue 20): every row a PuLP constraint, and the rows per
township and year from arrays (model.optimizer.rows, the default with HiGHS from
formulation.ARRAY_ROWS township-years), for provinces of scenarios/national.yaml. Per province
and way, `--repeat` times, alternating: `build` with the objective on (`set_objective`), then the
HiGHS session relax and fix solves on (`HighsSession`), in wall and CPU seconds of this process
(CPU time says more than wall time on a machine shared with other work); the least and the
median. Checks that HiGHS gets the same model both ways (columns, rows, coefficients, bounds).
With `--optimize`, the province's whole plan both ways (`optimize`, as a province's task runs
it: no second solve, no worth), wall and CPU seconds, build and solve seconds, and whether the
plans are the same. With more than one province, a last row adds up each way's least seconds.
"""

from __future__ import annotations

import gc
import statistics
import time
from typing import Any

from benchmarks import ROOT

WAYS = {"PuLP rows": False, "array rows": True}


def _seconds(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f}"


def _timed(fn: Any) -> tuple[Any, float, float]:
    gc.collect()
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def build_both_ways(sub: Any, repeat: int) -> dict[str, dict[str, list[float]]]:
    """Seconds of build and session per way (wall and CPU), `repeat` times each."""
    import numpy as np

    from model.optimizer.formulation import build, set_objective
    from model.optimizer.highs import HighsSession
    from model.optimizer.inputs import Inputs

    inp = Inputs.from_scenario(sub)
    out: dict[str, dict[str, list[float]]] = {w: {} for w in WAYS}
    sessions: dict[str, HighsSession] = {}
    for _ in range(repeat):
        for way, arrays in WAYS.items():
            model, bw, bc = _timed(lambda a=arrays: build(sub, inp, arrays=a))
            _, ow, oc = _timed(lambda m=model: set_objective(m, sub))
            session, sw, scpu = _timed(lambda m=model: HighsSession(m.prob, sub))
            for key, value in (("build", bw + ow), ("build cpu", bc + oc)):
                out[way].setdefault(key, []).append(value)
            for key, value in (("session", sw), ("session cpu", scpu)):
                out[way].setdefault(key, []).append(value)
            sessions[way] = session
            del model, session
    a, b = sessions.values()
    same = (
        [v.name for v in a.variables] == [v.name for v in b.variables]
        and a.rows.names == b.rows.names
        and all(
            np.array_equal(getattr(a, k), getattr(b, k))
            for k in ("lower", "upper", "cost", "integer")
        )
        and all(
            np.array_equal(getattr(a.rows, k), getattr(b.rows, k))
            for k in ("lower", "upper", "starts", "indices", "values")
        )
    )
    out["same model"] = {"rows": [float(a.m)], "columns": [float(a.n)], "same": [float(same)]}
    return out


def optimize_both_ways(sub: Any) -> dict[str, dict[str, Any]]:
    """A province's plan both ways: seconds, its build and solve seconds, objective, status."""
    import model.optimizer.formulation as formulation
    from model.optimizer.optimize import optimize

    saved = formulation.ARRAY_ROWS
    out: dict[str, dict[str, Any]] = {}
    plans = {}
    try:
        for way, arrays in WAYS.items():
            formulation.ARRAY_ROWS = 0 if arrays else 10**12
            result, wall, cpu = _timed(
                lambda: optimize(sub, estimate_gap=False, worth=False)  # as a province's task
            )
            s = result.solver
            out[way] = {
                "wall": wall,
                "cpu": cpu,
                "build": s.build_s,
                "solve": s.solve_s,
                "status": s.status,
                "objective": s.objective,
            }
            plans[way] = result
    finally:
        formulation.ARRAY_ROWS = saved
    a, b = plans.values()
    out["same plan"] = {
        "same": a.plan.equals(b.plan) and a.hires.equals(b.hires) and a.service.equals(b.service)
    }
    return out


def main(provinces: list[str], repeat: int, whole: bool) -> None:
    from model import load_scenario
    from model.inputs.provinces import province_names, province_scenario

    t0 = time.perf_counter()
    sc = load_scenario(ROOT / "scenarios" / "national.yaml")
    names = province_names(sc)
    print(f"load: {time.perf_counter() - t0:.1f} s; seconds are least / median of {repeat}")
    print()
    print(
        "| province | township-years | rows | way | build s | build CPU s | session s "
        "| session CPU s | same model |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---|")
    subs = {}
    provinces = names if provinces == ["all"] else provinces
    total: dict[str, list[float]] = {way: [0.0] * 4 for way in WAYS}
    rows, years, same_all = 0, 0, True
    for name in provinces:
        sub = province_scenario(sc, name, names.index(name))
        subs[name] = sub
        out = build_both_ways(sub, repeat)
        same = out.pop("same model")
        same_all = same_all and bool(same["same"][0])
        rows += int(same["rows"][0])
        years += len(sub.townships) * sub.horizon.years
        size = f"{len(sub.townships):,} × {sub.horizon.years}"
        for way, t in out.items():
            for k, key in enumerate(("build", "build cpu", "session", "session cpu")):
                total[way][k] += min(t[key])
            print(
                f"| {name} | {size} | {int(same['rows'][0]):,} | {way} | "
                f"{_seconds(t['build'])} | {_seconds(t['build cpu'])} | "
                f"{_seconds(t['session'])} | {_seconds(t['session cpu'])} | "
                f"{'yes' if same['same'][0] else '**no**'} |"
            )
    if len(provinces) > 1:
        for way, t in total.items():
            print(
                f"| all {len(provinces)} | {years:,} | {rows:,} | {way} | "
                + " | ".join(f"{v:.2f}" for v in t)
                + f" | {'yes' if same_all else '**no**'} |"
            )
    if not whole:
        return
    print()
    print(
        "| province | way | wall s | CPU s | build s | solve s | status | objective | same plan |"
    )
    print("|---|---|---:|---:|---:|---:|---|---:|---|")
    for name, sub in subs.items():
        res = optimize_both_ways(sub)
        same = res.pop("same plan")["same"]
        for way, r in res.items():
            print(
                f"| {name} | {way} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['build']:.2f} | "
                f"{r['solve']:.1f} | {r['status']} | {r['objective']:,.3f} | "
                f"{'yes' if same else '**no**'} |"
            )
