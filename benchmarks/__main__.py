"""`python -m benchmarks optimize [--sizes 300,2500,38600] [--years 5] [--time-limit 600]`
(`national`, `central`, `simulate-scale`, `simulate`, `sweep`, `replan`, `locate`, `catchments`,
`service-levels`, `build`: see their modules)

For each size: a synthetic region (prefecture profile for up to 1,000 townships, province
above), a scenario extending scenarios/base.yaml with budgets rising from 85% to 100% of 85% of
what full coverage with three workers per station costs, targets of 80% coverage at mid-horizon
and 100% and 40% certified in the last year, then the optimizer. Each size runs in its own
process so its peak memory is its own. Prints a Markdown table: townships, years, levels,
variables, constraints, integers, build s, solve s, status, gap, peak MiB, stages.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks import ROOT


def scenario_file(folder: Path, townships: int, years: int, time_limit: float, gap: float) -> Path:
    profile = "prefecture" if townships <= 1000 else "province"
    counties = max(1, round(townships / 14.5))
    start = 2026
    per_year = townships * (4.0 + 3 * 5.2) * 0.85
    data = {
        "name": f"bench_{townships}",
        "extends": str(ROOT / "scenarios" / "base.yaml"),
        "region": {
            "synthetic": {
                "profile": profile,
                "townships": townships,
                "counties": counties,
                "seed": 11,
            }
        },
        "horizon": {"start": start, "years": years},
        "budget": {
            start + k: round(per_year * (0.85 + 0.15 * k / max(1, years - 1)), 1)
            for k in range(years)
        },
        "targets": {
            "coverage": {start + years // 2: 0.8, start + years - 1: 1.0},
            "certified_share": {start + years - 1: 0.4},
        },
        "workforce": {"hiring_pool_per_county": 25, "certified_pool_per_county": 25},
        "solver": {"name": "highs", "time_limit_s": time_limit, "gap": gap},
    }
    path = folder / f"bench_{townships}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run_one(townships: int, years: int, time_limit: float, gap: float) -> dict:
    from model import load_scenario
    from model.optimizer.formulation import build
    from model.optimizer.inputs import Inputs
    from model.optimizer.solve import solve

    with tempfile.TemporaryDirectory() as tmp:
        sc = load_scenario(scenario_file(Path(tmp), townships, years, time_limit, gap))
    t0 = time.perf_counter()
    inp = Inputs.from_scenario(sc)
    model = build(sc, inp)
    build_s = time.perf_counter() - t0
    row = {
        "townships": townships,
        "years": years,
        "variables": model.prob.numVariables(),
        "constraints": model.prob.numConstraints(),
        "levels": "binary" if model.exact_levels else "increments",
    }
    try:
        info = solve(model, sc)
        row.update(
            status=info.status,
            gap=info.gap,
            solve_s=info.solve_s,
            integers=info.integers,
            stages=info.stages,
        )
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what happened
        row.update(
            status=f"{type(exc).__name__}: {exc}"[:80],
            gap=None,
            solve_s=round(time.perf_counter() - t0 - build_s, 1),
        )
    row["build_s"] = round(build_s, 2)
    row["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return row


def stage_text(stages: list[dict] | None) -> str:
    """'relaxation 2.3 (26 fractional); townships 1.4' from the solver's stages (relax and fix)."""
    if not stages:
        return "one MILP solve"
    parts = []
    for st in stages:
        extra = f" ({st['fractional']} fractional)" if "fractional" in st else ""
        if "status" in st and st["status"] not in ("Optimal", "Interrupted by user"):
            extra += f" [{st['status']}]"
        seconds = f" {st['seconds']:.1f}" if "seconds" in st else ""
        parts.append(f"{st['stage']}{seconds}{extra}")
    return "; ".join(parts)


def print_machine() -> None:
    """The line every benchmark prints first: processor, cores, Python."""
    print(
        f"machine: {platform.processor() or platform.machine()}, "
        f"{__import__('os').cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    sub = p.add_subparsers(dest="what", required=True)
    q = sub.add_parser(
        "optimize", help="optimizer scale: variables, constraints, build/solve time, gap, memory"
    )
    q.add_argument("--sizes", default="300,2500,38600")
    q.add_argument("--years", type=int, default=5)
    q.add_argument("--time-limit", type=float, default=600.0)
    q.add_argument("--gap", default="0.001,0.005,0.01", help="target gap per size, comma-separated")
    q = sub.add_parser(
        "simulate", help="simulation speed: events/s against a bare SimPy loop, one replication"
    )
    q.add_argument("--scenario", default="ganzhou")
    q = sub.add_parser("simulate-count")
    q.add_argument("part", choices=["bare", "run", "whole"])
    q.add_argument("--scenario", default="ganzhou")
    q = sub.add_parser("sweep", help="budget sweep on a local Dask cluster against serial")
    q.add_argument("--scenario", default="ganzhou")
    q.add_argument("--levels", type=int, default=10)
    q = sub.add_parser(
        "replan", help="re-plans at budget factors: the workshop's sliders (or --full runs)"
    )
    q.add_argument("--scenario", default="ganzhou")
    q.add_argument("--factors", default="0.8,0.9,1.0,1.2")
    q.add_argument("--full", action="store_true", help="the scenario's solver, targets in order")
    q = sub.add_parser(
        "locate", help="location models: build and solve of a 700-client p-median and pmed"
    )
    q.add_argument("--clients", type=int, default=700)
    q.add_argument("--p", type=int, default=10)
    q.add_argument("--seed", type=int, default=1)
    q.add_argument("--orlib", default="pmed1,pmed4,pmed5")
    q.add_argument("--time-limit", type=float, default=600.0)
    q = sub.add_parser(
        "catchments", help="the province-size plan with catchments: build and solve, with/without"
    )
    q.add_argument("--scenario", default="henan_2025")
    q.add_argument("--minutes", type=float, default=30.0)
    q.add_argument("--time-limit", type=float, default=600.0)
    q = sub.add_parser(
        "national", help="the whole country province by province on a local Dask cluster"
    )
    q.add_argument("--workers", type=int, default=2)
    q.add_argument("--time-limit", type=float, default=None, help="per province (s)")
    q.add_argument("--scenario", default="national")
    q = sub.add_parser(
        "central", help="the whole country with a central transfer, by price on a Dask cluster"
    )
    q.add_argument("--workers", type=int, default=2)
    q.add_argument("--share", type=float, default=0.1, help="of every province's budget")
    q.add_argument("--iterations", type=int, default=4)
    q.add_argument("--gap", type=float, default=0.01)
    q.add_argument("--time-limit", type=float, default=None, help="per province (s)")
    q = sub.add_parser(
        "simulate-scale", help="simulation tasks on a local Dask cluster of 1 and of 2 workers"
    )
    q.add_argument("--scenario", default="henan_2025")
    q.add_argument("--replications", type=int, default=2)
    q.add_argument("--block", type=int, default=125)
    q = sub.add_parser(
        "build", help="the model of provinces built with PuLP rows and with array rows"
    )
    q.add_argument("--provinces", default="四川省,广东省")
    q.add_argument("--repeat", type=int, default=3)
    q.add_argument("--optimize", action="store_true", help="also each province's plan both ways")
    q = sub.add_parser("optimize-one")
    q.add_argument("townships", type=int)
    q.add_argument("--years", type=int, default=5)
    q.add_argument("--time-limit", type=float, default=600.0)
    q.add_argument("--gap", type=float, default=0.001)
    q = sub.add_parser(
        "service-levels",
        help="optimizer with queueing service levels: max_service, max_on_time, a service target",
    )
    q.add_argument("--sizes", default="2500,38600", help="townships, or shipped scenario names")
    q.add_argument("--years", type=int, default=5)
    q.add_argument("--time-limit", type=float, default=600.0)
    q.add_argument("--gap", type=float, default=0.005)
    q = sub.add_parser("service-levels-one")
    q.add_argument("source")
    q.add_argument("case", choices=["service", "on_time", "target"])
    q.add_argument("--years", type=int, default=5)
    q.add_argument("--time-limit", type=float, default=600.0)
    q.add_argument("--gap", type=float, default=0.005)
    q.add_argument("--target", default="{}", help="service level per year, JSON")
    args = p.parse_args(argv)
    if args.what == "simulate":
        from benchmarks.simulate import main as simulate_main

        print_machine()
        simulate_main(args.scenario)
        return 0
    if args.what == "simulate-count":  # run by `simulate` under valgrind
        from benchmarks.simulate import count_instructions

        print(f"EVENTS {count_instructions(args.part, args.scenario)}")
        return 0
    if args.what == "simulate-scale":
        from benchmarks.simulate_scale import main as scale_main

        print_machine()
        scale_main(args.scenario, args.replications, args.block)
        return 0
    if args.what == "national":
        from benchmarks.national import main as national_main

        print_machine()
        national_main(args.workers, args.time_limit, args.scenario)
        return 0
    if args.what == "central":
        from benchmarks.central import main as central_main

        print_machine()
        central_main(args.workers, args.share, args.iterations, args.gap, args.time_limit)
        return 0
    if args.what == "build":
        from benchmarks.build import main as build_main

        print_machine()
        build_main(args.provinces.split(","), args.repeat, args.optimize)
        return 0
    if args.what == "catchments":
        from benchmarks.catchments import main as catchments_main

        print_machine()
        catchments_main(args.scenario, args.minutes, args.time_limit)
        return 0
    if args.what == "sweep":
        from benchmarks.sweep import main as sweep_main

        print_machine()
        sweep_main(args.scenario, args.levels)
        return 0
    if args.what == "replan":
        from benchmarks.replan import main as replan_main

        print_machine()
        replan_main(args.scenario, [float(f) for f in args.factors.split(",")], args.full)
        return 0
    if args.what == "locate":
        from benchmarks.locate import main as locate_main

        print_machine()
        orlib = [s for s in args.orlib.split(",") if s]
        locate_main(args.clients, args.p, args.seed, orlib, args.time_limit)
        return 0
    if args.what == "service-levels-one":
        from benchmarks.service_levels import run_case

        target = {int(y): float(v) for y, v in json.loads(args.target).items()}
        row = run_case(args.source, args.years, args.time_limit, args.gap, args.case, target)
        print(json.dumps(row))
        return 0
    if args.what == "service-levels":
        from benchmarks.service_levels import main as levels_main

        print_machine()
        levels_main(args.sizes.split(","), args.years, args.time_limit, args.gap)
        return 0
    if args.what == "optimize-one":
        print(json.dumps(run_one(args.townships, args.years, args.time_limit, args.gap)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    gaps = [float(g) for g in args.gap.split(",")]
    gaps += [gaps[-1]] * (len(sizes) - len(gaps))
    print_machine()
    print(
        "| townships | years | levels | variables | constraints | integers "
        "| build s | solve s | status | gap | peak MiB "
        "| stages (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size, gap in zip(sizes, gaps):
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks",
                "optimize-one",
                str(size),
                "--years",
                str(args.years),
                "--time-limit",
                str(args.time_limit),
                "--gap",
                str(gap),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if res.returncode != 0:
            failure = res.stderr.strip().splitlines()[-1] if res.stderr else res.returncode
            print(f"| {size} | {args.years} | failed: {failure} |")
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        g = "—" if r.get("gap") is None else f"{r['gap']:.3%}"
        print(
            f"| {r['townships']:,} | {r['years']} | {r['levels']} | "
            f"{r['variables']:,} | {r['constraints']:,} | "
            f"{r.get('integers', '—')} | {r['build_s']} | {r['solve_s']} | {r['status']} | "
            f"{g} | {r['peak_mib']} | "
            f"{stage_text(r.get('stages'))} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
