"""`stationplan sweep | mincost | compare | sensitivity`: arguments, experiment, folder, summary.

The experiments are in model.experiments, their folders are written by model.output.experiments
(one new folder per run, never overwriting one); this module parses the arguments, opens the
executor, and prints what came out. Only this process (the Dask client) writes files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from model.cli.console import echo, language, say
from model.errors import Bi, InputError
from model.errors import say as say_text
from model.output.runfolder import print_where

if TYPE_CHECKING:
    import pandas as pd

    from model.inputs.scenario import Scenario


def add_parsers(sub: argparse._SubParsersAction, scenario_args: Callable[..., None]) -> None:
    """Register the experiment commands on the CLI's sub-parsers."""

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument(
            "--scheduler",
            default=None,
            metavar="ADDR",
            help="Dask scheduler address (tcp://HOST:PORT), or 'serial'; default: "
            "$STATIONPLAN_SCHEDULER, "
            "else a local cluster of processes sized to the machine",
        )
        q.add_argument(
            "--out",
            type=Path,
            default=Path("results"),
            metavar="DIR",
            help="put the experiment folder under DIR/ (default: results/)",
        )
        q.add_argument(
            "--allow-large",
            action="store_true",
            help="run a job beyond the size limits (at most 200 budget levels, township-years "
            "planned or simulated, model variables, sensitivity evaluations; "
            "docs/experiments.md) that would otherwise be refused",
        )

    q = sub.add_parser(
        "sweep", help="budget sweep: what each funding level buys; frontier.csv and figure"
    )
    scenario_args(q)
    group = q.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--budgets",
        metavar="LOW:HIGH:N",
        help="N factors from LOW to HIGH applied to every year's budget, e.g. 0.6:1.4:9",
    )
    group.add_argument(
        "--totals",
        metavar="B1,B2,...",
        help="explicit budgets per year (万元/year), one level each",
    )
    group.add_argument(
        "--extra",
        type=float,
        metavar="万元",
        help="what this much more money a year buys (e.g. 100 for 1,000,000 yuan): two levels, "
        "the scenario's budgets (× --at) and the same plus this amount every year",
    )
    q.add_argument(
        "--at",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="with --extra: scale the scenario's budgets by FACTOR first (default 1; e.g. 0.8 "
        "to ask where money binds)",
    )
    q.add_argument(
        "--simulate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="simulate each level's plan (unmet requests, waits; default); "
        "--no-simulate for a quick frontier from the plans alone",
    )
    q.add_argument(
        "--replications",
        type=int,
        default=None,
        help="simulation replications per level (default: the scenario's)",
    )
    q.add_argument("--no-least", action="store_true", help="skip the least-budget solve")
    common(q)

    q = sub.add_parser(
        "mincost", help="least spend per year that meets every target, with its plan"
    )
    scenario_args(q)
    common(q)

    q = sub.add_parser(
        "compare", help="scenarios side by side: coverage, workers, spend, service, targets"
    )
    scenario_args(q, many=True)
    q.add_argument(
        "--simulate",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="simulate each scenario's plan (default); --no-simulate to compare the plans alone",
    )
    q.add_argument(
        "--replications",
        type=int,
        default=None,
        help="simulation replications (default: each scenario's)",
    )
    common(q)

    q = sub.add_parser(
        "sensitivity",
        help="one-at-a-time and global (Morris or Sobol) sensitivity over the "
        "scenario's uncertainty: section",
    )
    scenario_args(q)
    q.add_argument(
        "--outputs",
        default="workers_needed,served_share",
        help="comma-separated: workers_needed, served_share, least_budget (default: the first two)",
    )
    q.add_argument("--method", default="morris", help="global method: morris (default) or sobol")
    q.add_argument(
        "--samples",
        type=int,
        default=10,
        help="Morris trajectories or Sobol base samples (default 10)",
    )
    common(q)


def parse_budgets(text: str) -> list[float]:
    """'0.6:1.4:9' -> nine factors from 0.6 to 1.4."""
    low, high, n = budget_range(text)
    return [round(float(x), 6) for x in np.linspace(low, high, n)]


def budget_range(text: str) -> tuple[float, float, int]:
    """'0.6:1.4:9' -> (0.6, 1.4, 9): the lowest and highest factor and the number of levels."""
    parts = text.split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(
            "--budgets",
            None,
            Bi(
                "LOW:HIGH:N, e.g. 0.6:1.4:9 (factors on every year's budget)",
                "LOW:HIGH:N，如 0.6:1.4:9（各年预算的倍数）",
            ),
            text,
        ) from None
    if not (0 < low <= high < float("inf")) or n < 2:
        raise InputError(
            "--budgets",
            None,
            Bi("0 < LOW ≤ HIGH and N ≥ 2 levels", "0 < LOW ≤ HIGH 且 N ≥ 2 档"),
            text,
        )
    return low, high, n


def _workers(scheduler: str | None) -> int:
    """Processes an experiment's tasks run on at once, for its estimated time: one serially or
    on a cluster elsewhere (unknown), one per core on a local cluster."""
    import os

    from model.executor import ENV

    where = scheduler or os.environ.get(ENV) or None
    return 1 if where is not None else max(1, os.cpu_count() or 1)


def parse_totals(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(
            "--totals",
            None,
            Bi(
                "budgets per year separated by commas, e.g. 4000,5000,6000",
                "用逗号分隔的每年预算，如 4000,5000,6000",
            ),
            text,
        ) from None
    if len(values) < 2 or any(v < 0 for v in values):
        raise InputError(
            "--totals",
            None,
            Bi("at least two budgets per year, none negative", "至少两档每年预算，且都不为负"),
            text,
        )
    return values


def _started() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cmd_sweep(args: argparse.Namespace) -> int:
    from model.cli.sizes import Job, check
    from model.executor import open_executor
    from model.experiments.failures import PLANNED
    from model.experiments.sweep import budget_levels, extra_levels, sweep
    from model.inputs.scenario import load_scenario
    from model.output.experiments import status_words, write_sweep

    sc = load_scenario(args.scenario, args.overrides)
    if args.replications is not None and args.replications < 1:
        raise InputError("--replications", None, Bi("at least 1", "不小于 1"), args.replications)
    totals = parse_totals(args.totals) if args.totals else None
    if args.budgets:
        low, high, n = budget_range(args.budgets)
    elif args.extra is not None:
        if not args.extra > 0 or not 0 < args.at <= 100:
            bad = ("--extra", args.extra) if not args.extra > 0 else ("--at", args.at)
            raise InputError(bad[0], None, Bi("a number above 0", "大于 0 的数"), bad[1])
        n = 2
    else:
        assert totals is not None
        n = len(totals)
    workers = _workers(args.scheduler)
    replications = (args.replications or sc.simulation.replications) if args.simulate else None
    job = Job(levels=n) + Job.of(
        sc,
        replications=replications,
        times=n + (0 if args.no_least else 1),
        processes=workers,
        solvers=workers,
    )
    flag = "--budgets" if args.budgets else "--totals" if args.totals else "--extra"
    check(job, sc.source_label, args.allow_large, language(), flag)
    if args.budgets:  # made only once their number is known to be within the limits
        factors = [round(float(x), 6) for x in np.linspace(low, high, n)]
        levels = budget_levels(sc, factors=factors)
    elif args.extra is not None:
        levels = extra_levels(sc, args.extra, args.at)
    else:
        levels = budget_levels(sc, totals=totals)
    started = _started()
    with open_executor(args.scheduler) as ex:
        res = sweep(
            sc,
            levels,
            ex,
            simulate=args.simulate,
            replications=args.replications,
            least=not args.no_least,
        )
    folder = write_sweep(res, sc, args.out, args.invocation, ex.where, started)
    f = res.frontier
    planned = f[f["status"] == PLANNED]
    if len(planned) == len(f):
        echo(
            "cli.sweep",
            name=sc.name,
            n=len(f),
            where=where_words(ex.where),
            first_served=f["served_share"].iloc[0],
            first_total=f["budget_total"].iloc[0],
            last_served=f["served_share"].iloc[-1],
            last_total=f["budget_total"].iloc[-1],
        )
    else:
        echo(
            "cli.sweep_planned",
            name=sc.name,
            n=len(f),
            planned=len(planned),
            where=where_words(ex.where),
        )
        for r in f[f["status"] != PLANNED].itertuples():
            member = say("cli.sweep_level", level=r.level, label=r.label, total=r.budget_total)
            why = res.failures[int(r.level)]
            echo(
                "cli.member_failed",
                member=member,
                status=status_words(why.status, language()),
                reason=say_text(why.reason, language()),
            )
    if res.knee is not None:
        echo("cli.sweep_knee", level=res.knee, total=f["budget_total"].iloc[res.knee])
    met = f[f["all_targets_met"]]
    echo(
        "cli.sweep_met",
        total=f"{met['budget_total'].iloc[0]:,.0f} 万元" if len(met) else say("cli.none"),
    )
    if res.least_total is not None:
        echo("cli.sweep_least", total=res.least_total)
    elif res.least_budget is not None:
        echo("cli.sweep_never")
    elif res.least_failed is not None:
        echo(
            "cli.sweep_least_failed",
            status=status_words(res.least_failed.status, language()),
            reason=say_text(res.least_failed.reason, language()),
        )
    if args.extra is not None and not res.failures:
        _more_money(sc, res.results[0].summary, res.results[1].summary, args.extra, args.at)
    print_where(folder, language())
    return 0


def where_words(where: str) -> str:
    """An executor's `where` ("serial", "local Dask cluster, 2 processes", "Dask scheduler
    tcp://…") in the console's language."""
    if language() != "zh":
        return where
    if where == "serial":
        return say("cli.where_serial")
    local = re.fullmatch(r"local Dask cluster, (\d+) processes", where)
    if local:
        return say("cli.where_local", n=local.group(1))
    if where.startswith("Dask scheduler "):
        return say("cli.where_scheduler", address=where.removeprefix("Dask scheduler "))
    return where


def _more_money(
    sc: Scenario, base: pd.DataFrame, more: pd.DataFrame, extra: float, at: float
) -> None:
    """What `extra` 万元 more a year buys at the scenario's budgets × `at`: stations and
    workers in the last year, client hours served over the horizon, spend."""
    from model.output.i18n import t

    lang = language()
    a, b = base.iloc[-1], more.iloc[-1]
    hours_a, hours_b = float(base["served_hours"].sum()), float(more["served_hours"].sum())
    need = float(base["client_hours"].sum())
    print(t("deck.more_title", lang, extra=extra, year=int(a["year"])) + say("deck.more_at", at=at))
    n = len(sc.townships)
    print("  " + t("deck.more_stations", lang, a=int(a["stations"]), b=int(b["stations"]), n=n))
    wa, wb = int(a["workers"]), int(b["workers"])
    print("  " + t("deck.more_workers", lang, a=wa, b=wb, d=wb - wa))
    print(
        "  "
        + say(
            "cli.more_hours",
            a=hours_a,
            b=hours_b,
            n=need,
            sa=hours_a / need if need else 0.0,
            sb=hours_b / need if need else 0.0,
            first=int(base["year"].iloc[0]),
            last=int(a["year"]),
        )
    )
    print(
        "  "
        + say(
            "cli.more_spend",
            a=float(base["spend_total"].sum()),
            b=float(more["spend_total"].sum()),
        )
    )


def cmd_mincost(args: argparse.Namespace) -> int:
    from model.cli.sizes import Job, check
    from model.executor import open_executor
    from model.experiments.sweep import mincost
    from model.inputs.scenario import load_scenario
    from model.output.experiments import write_mincost

    sc = load_scenario(args.scenario, args.overrides)
    check(Job.of(sc), sc.source_label, args.allow_large, language())
    started = _started()
    with open_executor(args.scheduler or "serial") as ex:
        result = mincost(sc, ex)
    folder = write_mincost(result, sc, args.out, args.invocation, ex.where, started)
    gap = result.budget_gap
    assert gap is not None  # least_budget always attaches it
    per_year = ", ".join(
        f"{int(r.year)}: {r.least_cost_all_targets:,.0f}" for r in gap.itertuples()
    )
    echo("cli.mincost", name=sc.name, per_year=per_year, total=gap["least_cost_all_targets"].sum())
    extra = ", ".join(
        f"{int(r.year)}: +{r.extra_needed:,.0f}" for r in gap.itertuples() if r.extra_needed > 0
    )
    if extra:
        echo("cli.mincost_extra", extra=extra)
    if not bool(gap["all_targets_reachable"].all()):
        unmet = result.targets[~result.targets["met"]]
        echo("cli.mincost_unreachable", n=len(unmet))
        from model.cli.commands import unmet_fields

        for _, row in unmet.iterrows():
            echo("cli.unmet", **unmet_fields(row, language()))
    print_where(folder, language())
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from model.cli.sizes import Job, check
    from model.executor import open_executor
    from model.experiments.compare import compare
    from model.experiments.failures import PLANNED
    from model.inputs.scenario import load_scenario
    from model.output.experiments import status_words, write_compare

    scenarios = [load_scenario(p, args.overrides) for p in args.scenario]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(
            "compare",
            None,
            Bi("scenarios with different names", "名称互不相同的情景"),
            ", ".join(names),
        )
    if args.replications is not None and args.replications < 1:
        raise InputError("--replications", None, Bi("at least 1", "不小于 1"), args.replications)
    workers = _workers(args.scheduler)
    job = Job()
    for s in scenarios:
        replications = (args.replications or s.simulation.replications) if args.simulate else None
        job = job + Job.of(s, replications=replications, processes=workers, solvers=workers)
    check(job, "compare", args.allow_large, language())
    started = _started()
    with open_executor(args.scheduler) as ex:
        table = compare(scenarios, ex, simulate=args.simulate, replications=args.replications)
    folder = write_compare(table, scenarios, args.out, args.invocation, ex.where, started)
    last = table.groupby("scenario", sort=False).tail(1)
    for r in last.itertuples():
        if r.status != PLANNED:
            echo(
                "cli.member_failed",
                member=r.scenario,
                status=status_words(r.status, language()),
                reason=r.reason,
            )
            continue
        echo(
            "cli.compare",
            scenario=r.scenario,
            year=r.year,
            coverage=r.coverage,
            workers=r.workers,
            spend=r.spend_total,
            served=r.served_share,
            met=r.targets_met,
            named=r.targets_named,
        )
    print_where(folder, language())
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from model.cli.sizes import Job, check
    from model.executor import open_executor
    from model.experiments.sensitivity import OUTPUTS, parameters, sensitivity
    from model.inputs.scenario import load_scenario
    from model.output.experiments import write_sensitivity

    sc = load_scenario(args.scenario, args.overrides)
    outputs = tuple(o.strip() for o in args.outputs.split(",") if o.strip())
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad or not outputs:
        raise InputError(
            "--outputs",
            None,
            Bi("some of ", "以下的一个或多个：") + ", ".join(OUTPUTS),
            args.outputs,
        )
    if args.method not in ("morris", "sobol"):
        raise InputError("--method", None, Bi("morris or sobol", "morris 或 sobol"), args.method)
    if args.samples < 2:
        raise InputError("--samples", None, Bi("at least 2", "不小于 2"), args.samples)
    k = len(parameters(sc))  # a bad uncertainty section is bad input before any cluster starts
    evaluations = 1 + 2 * k + args.samples * (k + 1 if args.method == "morris" else k + 2)
    solves = sum(o in ("served_share", "least_budget") for o in outputs)
    workers = _workers(args.scheduler)
    job = Job(evaluations=evaluations) + Job.of(
        sc, optimize=solves > 0, times=evaluations * solves, solvers=workers
    )
    check(job, sc.source_label, args.allow_large, language(), "--samples")
    started = _started()
    with open_executor(args.scheduler) as ex:
        result = sensitivity(sc, outputs, ex, method=args.method, samples=args.samples)
    folder = write_sensitivity(result, sc, args.out, args.invocation, ex.where, started)
    oat = result.one_at_a_time
    for o in outputs:
        top = oat[oat["output"] == o].iloc[0]
        echo(
            "cli.sensitivity",
            name=sc.name,
            output=o,
            base=f"{top['base']:.4g}",
            parameter=top["parameter"],
            at_low=f"{top['at_low']:.4g}",
            low_value=f"{top['low']:g}",
            at_high=f"{top['at_high']:.4g}",
            high_value=f"{top['high']:g}",
        )
    print_where(folder, language())
    return 0


COMMANDS = {
    "sweep": cmd_sweep,
    "mincost": cmd_mincost,
    "compare": cmd_compare,
    "sensitivity": cmd_sensitivity,
}
