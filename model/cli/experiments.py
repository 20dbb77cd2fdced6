"""`stationplan sweep | mincost | compare | sensitivity`: run an experiment, write its folder.

Each experiment writes one new folder (never overwriting one): `results/<scenario>/<kind>/<run-id>/`
(`results/compare/<run-id>/` for comparisons), with its tables, `figures/`, and a manifest
that records the scenario, the executor and the seeds. Only this process (the Dask client)
writes files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np

from model.errors import InputError
from model.output.report import experiment_report
from model.output.runfolder import RunFolder, base_manifest, print_where


def add_parsers(sub: argparse._SubParsersAction, scenario_args) -> None:
    """Register the experiment commands on the CLI's sub-parsers."""
    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--scheduler", default=None, metavar="ADDR",
                       help="Dask scheduler address (tcp://HOST:PORT), or 'serial'; default: $STATIONPLAN_SCHEDULER, "
                       "else a local cluster of processes sized to the machine")
        q.add_argument("--out", type=Path, default=Path("results"), metavar="DIR",
                       help="put the experiment folder under DIR/ (default: results/)")

    q = sub.add_parser("sweep", help="budget sweep: what each funding level buys; frontier.csv and figure")
    scenario_args(q)
    group = q.add_mutually_exclusive_group(required=True)
    group.add_argument("--budgets", metavar="LOW:HIGH:N", help="N factors from LOW to HIGH applied to every "
                       "year's budget, e.g. 0.6:1.4:9")
    group.add_argument("--totals", metavar="B1,B2,...", help="explicit budgets per year (万元/year), one level each")
    q.add_argument("--simulate", action=argparse.BooleanOptionalAction, default=True,
                   help="simulate each level's plan (unmet requests, waits; default); --no-simulate for a quick "
                   "frontier from the plans alone")
    q.add_argument("--replications", type=int, default=None, help="simulation replications per level "
                   "(default: the scenario's)")
    q.add_argument("--no-least", action="store_true", help="skip the least-budget solve")
    common(q)

    q = sub.add_parser("mincost", help="least spend per year that meets every target, with its plan")
    scenario_args(q)
    common(q)

    q = sub.add_parser("compare", help="scenarios side by side: coverage, workers, spend, service, targets")
    scenario_args(q, many=True)
    q.add_argument("--simulate", action=argparse.BooleanOptionalAction, default=True,
                   help="simulate each scenario's plan (default); --no-simulate to compare the plans alone")
    q.add_argument("--replications", type=int, default=None, help="simulation replications (default: each scenario's)")
    common(q)

    q = sub.add_parser("sensitivity", help="one-at-a-time and global (Morris or Sobol) sensitivity over the "
                       "scenario's uncertainty: section")
    scenario_args(q)
    q.add_argument("--outputs", default="workers_needed,served_share",
                   help="comma-separated: workers_needed, served_share, least_budget (default: the first two)")
    q.add_argument("--method", default="morris", help="global method: morris (default) or sobol")
    q.add_argument("--samples", type=int, default=10, help="Morris trajectories or Sobol base samples (default 10)")
    common(q)


def parse_budgets(text: str) -> list[float]:
    """'0.6:1.4:9' -> nine factors from 0.6 to 1.4."""
    parts = text.split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError("--budgets", None, "LOW:HIGH:N, e.g. 0.6:1.4:9 (factors on every year's budget)",
                         text) from None
    if not (0 < low <= high) or n < 2:
        raise InputError("--budgets", None, "0 < LOW ≤ HIGH and N ≥ 2 levels", text)
    return [round(float(x), 6) for x in np.linspace(low, high, n)]


def parse_totals(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError("--totals", None, "budgets per year separated by commas, e.g. 4000,5000,6000", text) from None
    if len(values) < 2 or any(v < 0 for v in values):
        raise InputError("--totals", None, "at least two budgets per year, none negative", text)
    return values


def _manifest(sc, command: str, ex, started) -> dict:
    m = base_manifest(sc, command, started)
    m["executor"] = ex.where
    return m


def cmd_sweep(args: argparse.Namespace) -> int:
    from model.experiments.executor import open_executor
    from model.experiments.sweep import budget_levels, sweep
    from model.inputs.scenario import load_scenario
    from model.output.figures.experiments import frontier_figure
    from model.output.figures.style import save

    sc = load_scenario(args.scenario, args.overrides)
    if args.budgets:
        levels = budget_levels(sc, factors=parse_budgets(args.budgets))
    else:
        levels = budget_levels(sc, totals=parse_totals(args.totals))
    if args.replications is not None and args.replications < 1:
        raise InputError("--replications", None, "at least 1", args.replications)
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    with open_executor(args.scheduler) as ex:
        res = sweep(sc, levels, ex, simulate=args.simulate, replications=args.replications, least=not args.no_least)
        manifest = _manifest(sc, " ".join(["stationplan"] + sys.argv[1:]), ex, started)
    least_total = None
    with RunFolder(f"{sc.name}/sweep", args.out) as run:
        run.table("frontier", res.frontier)
        levels_rows = []
        for level, r in zip(levels, res.results):
            s = r.summary.copy()
            s.insert(0, "level", level.number)
            levels_rows.append(s)
        import pandas as pd

        run.table("levels", pd.concat(levels_rows, ignore_index=True))
        if res.least_budget is not None:
            run.table("least_budget", res.least_budget)
            if bool(res.least_budget["all_targets_reachable"].all()):
                least_total = float(res.least_budget["least_cost_all_targets"].sum())
        run.path("figures").mkdir()
        save(frontier_figure(res.frontier, least_total, lang=sc.report.language),
             run.path("figures") / "frontier.png", svg=sc.report.svg)
        run.workbook("sweep.xlsx")
        zh = sc.report.language == "zh"
        f = res.frontier
        cards = [("资金水平" if zh else "Budget levels", f"{len(f)}"),
                 ("服务满足率" if zh else "Served share", f"{f['served_share'].iloc[0]:.0%} → {f['served_share'].iloc[-1]:.0%}")]
        if res.knee is not None:
            cards.append(("拐点（规划期总预算）" if zh else "Knee (budget over the horizon)",
                          f"{f['budget_total'].iloc[res.knee]:,.0f} 万元"))
        if least_total is not None:
            cards.append(("实现全部目标的最低预算" if zh else "Least budget for every target", f"{least_total:,.0f} 万元"))
        tables = {"frontier": f}
        if res.least_budget is not None:
            tables["least budget"] = res.least_budget
        experiment_report(run.path(""), f"{sc.name} · {'资金水平扫描' if zh else 'budget sweep'}", cards, tables,
                          sc.report.language, sc.description)
        manifest["levels"] = [{"level": lv.number, "label": lv.label, "budget": lv.budget} for lv in levels]
        manifest["simulated"] = bool(args.simulate)
        manifest["timings"] = {"total_s": round(time.perf_counter() - t0, 3)}
        folder = run.finish(manifest)
    f = res.frontier
    print(f"{sc.name}: {len(f)} budget levels ({ex.where}); served share {f['served_share'].iloc[0]:.0%} at "
          f"{f['budget_total'].iloc[0]:,.0f} → {f['served_share'].iloc[-1]:.0%} at {f['budget_total'].iloc[-1]:,.0f} 万元 "
          "over the horizon")
    if res.knee is not None:
        print(f"  knee at level {res.knee} ({f['budget_total'].iloc[res.knee]:,.0f} 万元)")
    met = f[f["all_targets_met"]]
    print("  least level meeting every target: " + (f"{met['budget_total'].iloc[0]:,.0f} 万元" if len(met) else "none"))
    if least_total is not None:
        print(f"  least spend meeting every target: {least_total:,.0f} 万元 over the horizon")
    elif res.least_budget is not None:
        print("  no money meets every target (hiring pools or staffing limits bind)")
    print_where(folder)
    return 0


def cmd_mincost(args: argparse.Namespace) -> int:
    from model.experiments.executor import open_executor
    from model.inputs.scenario import load_scenario
    from model.output.run import write_plan
    from model.plan.check import check_plan

    sc = load_scenario(args.scenario, args.overrides)
    started = dt.datetime.now(dt.timezone.utc)
    with open_executor(args.scheduler or "serial") as ex:
        result = ex.map(_least, [(sc,)], desc="least budget")[0]
        manifest = _manifest(sc, " ".join(["stationplan"] + sys.argv[1:]), ex, started)
    with RunFolder(f"{sc.name}/mincost", args.out) as run:
        write_plan(run, result)
        run.workbook("plan.xlsx")
        problems = check_plan(result.scenario, result.plan, result.targets, budgets=False)
        manifest["solver"] = result.solver.manifest()
        manifest["check"] = {"passed": not problems, "problems": problems}
        folder = run.finish(manifest)
    gap = result.budget_gap
    per_year = ", ".join(f"{int(r.year)}: {r.least_cost_all_targets:,.0f}" for r in gap.itertuples())
    print(f"{sc.name}: least spend meeting every target (万元) — {per_year}; total "
          f"{gap['least_cost_all_targets'].sum():,.0f}")
    extra = ", ".join(f"{int(r.year)}: +{r.extra_needed:,.0f}" for r in gap.itertuples() if r.extra_needed > 0)
    if extra:
        print(f"  above the scenario's budgets by {extra}")
    if not bool(gap["all_targets_reachable"].all()):
        unmet = result.targets[~result.targets["met"]]
        print(f"  {len(unmet)} target(s) cannot be met at any budget (hiring pools or staffing limits bind)")
    print_where(folder)
    return 0


def _least(sc):
    from model.optimizer.optimize import least_budget

    return least_budget(sc)


def cmd_compare(args: argparse.Namespace) -> int:
    from model.experiments.compare import compare
    from model.experiments.executor import open_executor
    from model.inputs.scenario import load_scenario
    from model.output.figures.experiments import comparison_figure
    from model.output.figures.style import save

    scenarios = [load_scenario(p, args.overrides) for p in args.scenario]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError("compare", None, "scenarios with different names", ", ".join(names))
    started = dt.datetime.now(dt.timezone.utc)
    with open_executor(args.scheduler) as ex:
        table = compare(scenarios, ex, simulate=args.simulate, replications=args.replications)
        manifest = _manifest(scenarios[0], " ".join(["stationplan"] + sys.argv[1:]), ex, started)
    manifest["scenarios"] = [{"name": s.name, "file": s.source_label} for s in scenarios]
    with RunFolder("compare", args.out) as run:
        run.table("comparison", table)
        run.path("figures").mkdir()
        save(comparison_figure(table, lang=scenarios[0].report.language), run.path("figures") / "comparison.png")
        run.workbook("comparison.xlsx")
        lang = scenarios[0].report.language
        final = table.groupby("scenario", sort=False).tail(1)
        cards = [(r.scenario, f"{r.coverage:.0%} · {r.workers:,} · {r.spend_total:,.0f} 万元 · "
                  f"{r.targets_met}/{r.targets_named}") for r in final.itertuples()]
        experiment_report(run.path(""), "方案比较" if lang == "zh" else "Scenarios compared", cards,
                          {"comparison": table}, lang)
        folder = run.finish(manifest)
    last = table.groupby("scenario", sort=False).tail(1)
    for r in last.itertuples():
        print(f"{r.scenario}: {r.year}: coverage {r.coverage:.0%}, {r.workers:,} workers, spend {r.spend_total:,.0f} 万元, "
              f"served {r.served_share:.0%}; targets met {r.targets_met}/{r.targets_named}")
    print_where(folder)
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from model.experiments.executor import open_executor
    from model.experiments.sensitivity import OUTPUTS, global_method, one_at_a_time, parameters
    from model.inputs.scenario import load_scenario
    from model.output.figures.experiments import morris_figure, sobol_figure, tornado_figure
    from model.output.figures.style import save

    sc = load_scenario(args.scenario, args.overrides)
    outputs = tuple(o.strip() for o in args.outputs.split(",") if o.strip())
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad or not outputs:
        raise InputError("--outputs", None, "some of " + ", ".join(OUTPUTS), args.outputs)
    if args.method not in ("morris", "sobol"):
        raise InputError("--method", None, "morris or sobol", args.method)
    if args.samples < 2:
        raise InputError("--samples", None, "at least 2", args.samples)
    params = parameters(sc)
    started = dt.datetime.now(dt.timezone.utc)
    with open_executor(args.scheduler) as ex:
        oat = one_at_a_time(sc, outputs, ex)
        glob = global_method(sc, outputs, ex, method=args.method, samples=args.samples)
        manifest = _manifest(sc, " ".join(["stationplan"] + sys.argv[1:]), ex, started)
    manifest["parameters"] = [{"path": p, "low": lo, "high": hi, "base": b} for p, lo, hi, b in params]
    manifest["method"] = {"name": args.method, "samples": args.samples, "seed": sc.simulation.seed}
    with RunFolder(f"{sc.name}/sensitivity", args.out) as run:
        run.table("sensitivity_oat", oat)
        run.table(f"sensitivity_{args.method}", glob)
        run.path("figures").mkdir()
        for o in outputs:
            save(tornado_figure(oat, o, lang=sc.report.language), run.path("figures") / f"tornado_{o}.png",
                 svg=sc.report.svg)
            if args.method == "morris":
                save(morris_figure(glob, o, lang=sc.report.language), run.path("figures") / f"morris_{o}.png",
                     svg=sc.report.svg)
            else:
                save(sobol_figure(glob, o, lang=sc.report.language), run.path("figures") / f"sobol_{o}.png",
                     svg=sc.report.svg)
        run.workbook("sensitivity.xlsx")
        cards = []
        for o in outputs:
            top = oat[oat["output"] == o].iloc[0]
            cards.append((o, f"{top['base']:.4g} · {top['parameter']} ±{top['swing'] / 2:.3g}"))
        experiment_report(run.path(""), f"{sc.name} · {'敏感性分析' if sc.report.language == 'zh' else 'sensitivity'}",
                          cards, {"one at a time": oat, args.method: glob}, sc.report.language, sc.description)
        folder = run.finish(manifest)
    for o in outputs:
        top = oat[oat["output"] == o].iloc[0]
        print(f"{sc.name}: {o} = {top['base']:.4g}; widest swing from {top['parameter']} "
              f"({top['at_low']:.4g} at {top['low']:g} … {top['at_high']:.4g} at {top['high']:g})")
    print_where(folder)
    return 0


COMMANDS = {"sweep": cmd_sweep, "mincost": cmd_mincost, "compare": cmd_compare, "sensitivity": cmd_sensitivity}
