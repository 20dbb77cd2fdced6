"""`stationplan replicate`: the shipped (or given) scenarios planned and simulated, each
published figure of the programmes next to the model's (docs/replication.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction, scenario_args: Callable[..., None]) -> None:
    q = sub.add_parser(
        "replicate",
        help="plan and simulate scenarios and set each published figure beside the model's "
        "(docs/replication.md)",
    )
    scenario_args(q, many=True)
    q.add_argument(
        "--replications",
        type=int,
        default=None,
        help="simulation replications per scenario (default: each scenario's)",
    )
    q.add_argument("--processes", type=int, default=1, help="local processes for the replications")
    from model.cli.commands import large_arg

    large_arg(q)
    q.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="put the folder under DIR/replication/ (default: results/)",
    )


def cmd_replicate(args: argparse.Namespace) -> int:
    import pandas as pd
    from tqdm.auto import tqdm

    from model.cli.console import echo, language
    from model.cli.sizes import Job, check
    from model.errors import Bi, InputError
    from model.inputs.scenario import load_scenario
    from model.output.replication import replicate, write_replication
    from model.output.runfolder import print_where
    from model.vocabulary import progress_words

    if args.replications is not None and args.replications < 1:
        raise InputError(
            "--replications",
            None,
            Bi("a whole number of at least 1", "不小于 1 的整数"),
            args.replications,
        )
    scenarios = [load_scenario(p, args.overrides) for p in args.scenario]
    job = Job()
    for sc in scenarios:
        replications = args.replications or sc.simulation.replications
        job = job + Job.of(sc, replications=replications, processes=args.processes)
    check(job, "replicate", args.allow_large, language())
    tables = []
    for sc in tqdm(scenarios, desc="replicate", unit=progress_words("scenario", language())):
        table = replicate(sc, args.replications, args.processes)
        tables.append(table)
        ok = int(table["in_band"].sum())
        echo("cli.replicate", name=sc.name, ok=ok, n=len(table))
        for r in table[~table["in_band"]].itertuples(index=False):
            echo(
                "cli.replicate_miss",
                figure=r.figure,
                published=f"{r.published:,.4g}",
                model=f"{r.model:,.4g}",
                unit=r.unit,
            )
    table = pd.concat(tables, ignore_index=True)
    n = args.replications or scenarios[0].simulation.replications
    folder = write_replication(table, scenarios, args.out, args.invocation, n)
    print_where(folder, language())
    return 0
