"""`stationplan locate`: a location model on a cost table (model.locate), written as a run
folder: sites.csv, assignment.csv, manifest.json (docs/method.md, Location models)."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
    from model.location.problems import PROBLEMS

    q = sub.add_parser(
        "locate",
        help="where to put sites: set cover, max cover, p-median, p-center, capacitated "
        "p-median, facility location on a client × facility cost table",
    )
    q.add_argument(
        "--problem",
        required=True,
        choices=PROBLEMS,
        metavar="NAME",
        help="one of " + ", ".join(PROBLEMS),
    )
    source = q.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--costs",
        type=Path,
        metavar="CSV",
        help="long table client,facility,cost (e.g. travel minutes)",
    )
    source.add_argument(
        "--orlib",
        type=Path,
        metavar="FILE",
        help="an OR-Library p-median file (n m p, then i j cost edges)",
    )
    q.add_argument("--weights", type=Path, metavar="CSV", help="client,weight (default 1 each)")
    q.add_argument("--p", type=int, default=None, help="sites to open (with --orlib: its p)")
    q.add_argument("--radius", type=float, default=None, help="coverage radius, in cost units")
    q.add_argument("--capacity", type=Path, metavar="CSV", help="facility,capacity")
    q.add_argument("--fixed-cost", type=Path, metavar="CSV", help="facility,fixed_cost")
    q.add_argument(
        "--time-limit",
        type=float,
        default=600.0,
        metavar="S",
        help="solver time limit per solve, s (default 600)",
    )
    q.add_argument("--gap", type=float, default=0.0, help="relative MIP gap (default 0: optimal)")
    q.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="put the run folder under DIR/locate/ (default: results/)",
    )


STATUS_KEYS = {"Optimal": "cli.locate_optimal", "Time limit reached": "cli.locate_time_limit"}
"""HiGHS's model statuses the console says in words (others as HiGHS names them)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cmd_locate(args: argparse.Namespace) -> int:
    import datetime as dt

    import pandas as pd

    from model.cli.console import echo, language, say
    from model.errors import Bi, InputError, display_path
    from model.inputs.files import is_regular_file
    from model.location.io import read_orlib_pmed
    from model.location.problems import NEEDS_P, locate
    from model.output.runfolder import RunFolder, git_commit, package_versions, print_where

    started = dt.datetime.now(dt.UTC)
    files: dict[str, Path] = {
        name: path
        for name, path in (
            ("costs", args.costs),
            ("orlib", args.orlib),
            ("weights", args.weights),
            ("capacity", args.capacity),
            ("fixed_cost", args.fixed_cost),
        )
        if path is not None
    }
    for name, path in files.items():
        if not is_regular_file(path):
            raise InputError(
                display_path(path), None, Bi("an existing file", "存在的文件"), hint=f"--{name}"
            )
    costs: Any = args.costs
    p = args.p
    if args.orlib is not None:
        costs, orlib_p = read_orlib_pmed(args.orlib)
        if p is None and args.problem in NEEDS_P:
            p = orlib_p
    result = locate(
        costs,
        args.problem,
        p=p,
        radius=args.radius,
        weights=args.weights,
        capacity=args.capacity,
        fixed_cost=args.fixed_cost,
        time_limit_s=args.time_limit,
        gap=args.gap,
    )
    gap = "—" if result.gap is None else f"{result.gap:.2%}"
    echo(
        "cli.locate",
        problem=args.problem,
        sites=len(result.sites),
        objective=f"{result.objective:,.6g}",
        status=say(STATUS_KEYS[result.status]) if result.status in STATUS_KEYS else result.status,
        gap=gap,
    )
    if result.covered_share is not None:
        echo("cli.locate_covered", share=f"{result.covered_share:.1%}")
    echo("cli.locate_time", build=f"{result.build_s:.2f}", solve=f"{result.solve_s:.2f}")
    manifest = {
        "stationplan": package_versions()["stationplan"],
        "command": args.invocation,
        "started": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(Path(__file__).resolve().parents[2]),
        **result.summary(),
        "p": p,
        "radius": args.radius,
        "inputs": {
            name: {"file": display_path(path), "sha256": sha256(path)}
            for name, path in files.items()
        },
    }
    sites = pd.DataFrame({"facility": result.sites})
    sites = sites.merge(
        result.assignment.groupby("facility", as_index=False).agg(
            clients=("client", "size"), weight=("weight", "sum")
        ),
        on="facility",
        how="left",
    ).fillna({"clients": 0, "weight": 0.0})
    sites["clients"] = sites["clients"].astype(int)
    with RunFolder("locate", args.out) as run:
        run.table("sites", sites, sheet=False)
        run.table("assignment", result.assignment, sheet=False)
        folder = run.finish(manifest)
    print_where(folder, language())
    return 0
