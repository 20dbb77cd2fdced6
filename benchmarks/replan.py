"""Re-plans at budget factors, as the workshop's sliders make them (`python -m benchmarks
replan`): the scenario with every year's budget × factor, the workshop's solver settings
(model.workshop.FAST_SOLVER) and shortfalls weighed at once; or, with `--full`, the scenario's
own solver settings and targets in order (a `stationplan optimize` run without the least-budget
estimate). One row per factor: wall seconds, status, gap, relax and fix's stages."""

from __future__ import annotations

import time

from model import load_scenario, shipped_scenario


def main(scenario: str, factors: list[float], full: bool = False) -> None:
    from benchmarks.__main__ import stage_text
    from model.errors import InputError
    from model.optimizer.optimize import optimize
    from model.workshop import Workshop

    sc = load_scenario(shipped_scenario(scenario))
    ws = Workshop(sc)
    print(
        "| scenario | budget × | settings | wall s | status | gap | solves (s) "
        "| stages of the last solve (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for factor in factors:
        t0 = time.perf_counter()
        try:
            if full:
                variant = sc.with_overrides(
                    {f"budget.{y}": round(v * factor, 3) for y, v in sc.budget.items()}
                )
                result = optimize(variant, estimate_gap=False, worth=False)
            else:
                result = ws.replan(factor)
        except InputError as exc:
            first = str(exc).splitlines()[0]
            print(f"| {scenario} | {factor:g} | | {time.perf_counter() - t0:.1f} | {first} | | | |")
            continue
        s = result.solver
        wall = time.perf_counter() - t0
        gap = "—" if s.gap is None else f"{s.gap:.2%}"
        solves = ", ".join(
            f"{r['stage']} {r['seconds']:.1f}" for r in s.targets_in_order if "seconds" in r
        )
        settings = "scenario's" if full else "workshop"
        print(
            f"| {scenario} | {factor:g} | {settings} | {wall:.1f} | {s.status} | {gap} | "
            f"{solves or '—'} | {stage_text(s.stages)} |",
            flush=True,
        )
