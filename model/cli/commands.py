"""The `stationplan` command (also `python -m model`).

Exit codes: 0 success, 2 bad input (one message naming the file, the field and what was
expected), 1 internal error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from model.errors import InputError, display_path
from model.optimizer.highs import SolverError

if TYPE_CHECKING:
    from model.inputs.scenario import Scenario
    from model.loop import LoopResult
    from model.output.run import RunResult
    from model.simulate.replications import SimulationResult


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's usage errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="stationplan", description="Plan and simulate township social work station networks."
    )
    p.add_argument("--debug", action="store_true", help="show the traceback of internal errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def scenario_args(q: argparse.ArgumentParser, many: bool = False) -> None:
        q.add_argument(
            "scenario",
            nargs="+" if many else None,
            help="scenario YAML file" + ("s" if many else ""),
        )
        q.add_argument(
            "--set",
            dest="overrides",
            action="append",
            default=[],
            metavar="PATH=VALUE",
            help="override one scenario value, e.g. --set budget.2024=5600 (repeatable)",
        )

    def out_arg(q: argparse.ArgumentParser) -> None:
        q.add_argument(
            "--out",
            type=Path,
            default=Path("results"),
            metavar="DIR",
            help="put the run folder under DIR/<scenario>/ (default: results/)",
        )

    q = sub.add_parser("validate", help="check scenario files and their township tables")
    scenario_args(q, many=True)

    q = sub.add_parser("run", help="run the whole flow for a scenario and write a results folder")
    scenario_args(q)
    out_arg(q)

    q = sub.add_parser(
        "optimize", help="plan stations and workers by grade for a scenario; write a results folder"
    )
    scenario_args(q)
    out_arg(q)

    q = sub.add_parser(
        "simulate",
        help="simulate a plan (or today's stations) with replications; "
        "write simulation.csv in a results folder",
    )
    scenario_args(q)
    q.add_argument(
        "--plan",
        type=Path,
        default=None,
        metavar="PLAN_CSV",
        help="plan.csv of an optimize run (default: today's stations and workers, no expansion)",
    )
    out_arg(q)

    q.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDR",
        help="spread the replications over a Dask cluster (tcp://HOST:PORT, or 'local' for a local "
        "cluster); default: processes on this machine",
    )

    q = sub.add_parser(
        "report", help="rebuild figures/ and report.html of a run folder from its files"
    )
    q.add_argument(
        "run_dir", type=Path, metavar="RUN_DIR", help="a run folder, e.g. results/ganzhou/latest"
    )

    from model.cli.experiments import add_parsers

    add_parsers(sub, scenario_args)

    from model.cli.calibrate import add_parser as add_calibrate

    add_calibrate(sub, scenario_args)

    from model.cli.replicate import add_parser as add_replicate

    add_replicate(sub, scenario_args)

    from model.cli.template import add_parser as add_template

    add_template(sub)

    q = sub.add_parser("synth", help="generate a synthetic township table (see docs/data.md)")
    q.add_argument("--profile", required=True, help="county, prefecture, province or relocation")
    q.add_argument(
        "--townships", type=int, default=None, help="number of townships (default: the profile's)"
    )
    q.add_argument(
        "--counties", type=int, default=None, help="number of counties (default: the profile's)"
    )
    q.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    q.add_argument(
        "--urban-share", type=float, default=None, help="share of townships that are urban streets"
    )
    q.add_argument(
        "--coverage",
        type=float,
        default=None,
        help="share of townships with a station at the start",
    )
    q.add_argument("-o", "--output", type=Path, required=True, help="output file, .csv or .xlsx")
    q.add_argument("--force", action="store_true", help="replace the output file if it exists")
    return p


def cmd_validate(args: argparse.Namespace) -> int:
    from model.inputs.scenario import load_scenario

    for path in args.scenario:
        sc = load_scenario(path, args.overrides)
        t = sc.townships
        print(
            f"ok: {display_path(path)} — {sc.name}: {len(t)} townships in "
            f"{t['county'].nunique()} counties, {sc.years[0]}–{sc.years[-1]}, "
            f"{len(sc.groups)} groups, {int(t['has_station'].sum())} stations now, "
            f"objective {sc.objective}"
        )
    return 0


def _report(run: RunResult) -> None:
    """What `run` and `optimize` print: the plan, its targets, the least budget, the simulation."""
    result = run.plan
    assert result is not None
    sc = result.scenario
    s = result.solver
    last = result.summary.iloc[-1]
    met = int(result.targets["met"].sum())
    gap = f", gap {s.gap:.2%}" if s.gap is not None else ""
    print(
        f"{sc.name}: {s.solver} {s.status}{gap} in {(s.build_s or 0.0) + s.solve_s:.1f} s; "
        f"{int(last['year'])}: {int(last['stations'])} stations ({last['coverage']:.0%}), "
        f"{int(last['workers'])} workers, served {last['served_share']:.0%} of client hours; "
        f"targets met {met}/{len(result.targets)}"
    )
    from model.output.report import limit_sentences

    for line in limit_sentences(result.limits, "en"):
        print(f"  {line}")
    for _, row in result.targets[~result.targets["met"]].iterrows():
        print(
            f"  unmet: {row['target']} {row['year']}: required {row['required']:g}, achieved "
            f"{row['achieved']:.4g} (short {row['shortfall']:.4g} {row['unit']})"
        )
    for r in result.tradeoffs.itertuples() if result.tradeoffs is not None else ():
        # the money that meets the target, and what meeting it first at the budget costs
        parts = []
        if r.reachable == r.reachable and r.reachable:  # no: said in the note; NaN: not costed
            parts.append(
                f"met with the targets before it for {r.extra_money:+,.0f} 万元 in {r.year} "
                f"({r.extra_money_all_years:+,.0f} over all years)"
            )
        if r.short_when_first == r.short_when_first:
            first = "met" if r.short_when_first <= 0 else f"short {r.short_when_first:,.4g}"
            pushed = r.pushes_out if isinstance(r.pushes_out, str) and r.pushes_out else "none"
            parts.append(
                f"put first at this budget: {first}, served hours {r.served_hours_change:+,.0f}, "
                f"pushes out {pushed}"
            )
        if isinstance(r.note, str) and r.note:
            parts.append(r.note)
        print(
            f"  trade-off: {r.target} {r.year} (short {r.short_by:,.4g} {r.short_unit}): "
            + "; ".join(parts)
        )
    if result.warnings:
        from model.plan.changes import largest

        print(
            f"  warning: workers or served hours fall against the year before in "
            f"{len(result.warnings)} township-years (changes.csv lists them all); largest:"
        )
        for sentence in largest(result.changes, 3):
            print(f"    {sentence}")
    if s.budget_gap == "skipped":
        print(
            "  least budget for every target not estimated in this run (national-size model): "
            "run again with --set objective=min_cost"
        )
    if result.budget_gap is not None:
        gap_rows = result.budget_gap
        extra = ", ".join(
            f"{int(r.year)}: +{r.extra_needed:,.0f}"
            for r in gap_rows.itertuples()
            if r.extra_needed > 0
        )
        if not bool(gap_rows["all_targets_reachable"].all()):
            print(
                "  some targets cannot be met at any budget under the hiring pools and "
                "staffing limits"
            )
        if extra:
            print(f"  extra money per year (万元) for the reachable targets: {extra}")
    if run.simulation is not None:
        _report_simulation(run.simulation, run.loop, sc)
    if run.service_check is not None and len(run.service_check):
        check = run.service_check
        town = sc.townships.set_index(sc.townships["township_id"].astype(str))

        def where(row) -> str:
            tid = str(row["township_id"])
            return f"{town.at[tid, 'name']} ({town.at[tid, 'county']}) {int(row['year'])}"

        off = check[~check["agrees"]]
        if len(off):
            worst = off.reindex(off["difference"].abs().sort_values(ascending=False).index)
            named = "; ".join(
                f"{where(r)} planned {r['planned_service_level']:.0%}, simulated "
                f"{r['simulated_service_level']:.0%} [{r['simulated_low']:.0%}–"
                f"{r['simulated_high']:.0%}]"
                for _, r in worst.head(3).iterrows()
            )
            print(
                f"  outside the simulation's 95% interval on fresh seeds ({len(off)} of "
                f"{len(check)}; by chance alone about 1 in 20 would be), largest: {named} "
                "(service_check.csv lists them all)"
            )
        else:
            worst = check.loc[check["difference"].abs().idxmax()]
            print(  # the loop's line above counts the station-years that agree
                f"  largest difference between planned and simulated service levels: "
                f"{where(worst)}, planned {worst['planned_service_level']:.0%}, simulated "
                f"{worst['simulated_service_level']:.0%} (agreeing: planned within the "
                "simulation's 95% interval ± 1 point)"
            )
    if run.replication is not None and len(run.replication):
        rep = run.replication
        missed = ", ".join(rep.loc[~rep["in_band"], "id"])
        print(
            f"  published figures (docs/replication.md): {int(rep['in_band'].sum())} of "
            f"{len(rep)} within their band" + (f"; outside: {missed}" if missed else "")
        )
    from model.output.runfolder import print_where

    print_where(run.folder)


def _report_simulation(simulation: SimulationResult, loop: LoopResult | None, sc: Scenario) -> None:
    """Two lines on the simulation and the plan-simulation loop."""
    table = simulation.table
    year = int(table["year"].max())
    last = table[table["year"] == year]
    open_ = last[last["workers"] > 0]
    print(
        f"  simulated {year} ({sc.simulation.replications} replications): served "
        f"{simulation.served_share(year):.0%} of client hours, "
        f"{last['unmet_requests'].sum():,.0f} requests unmet, "
        f"mean wait {open_['wait_mean_days'].mean():.1f} days, "
        f"{open_['standard_333'].mean():.0%} of stations meet 三个3"
    )
    if loop is not None:
        n, last = len(loop.rounds), loop.rounds[-1]
        lvl = sc.simulation.service_level
        below = int((open_["service_level"] < lvl).sum())
        state = "converged" if loop.converged else "did not converge"
        judged = loop.check
        print(
            f"  plan-simulation loop {state} in {n} round{'s' * (n > 1)}: "
            f"{last['station_years'] - last['station_years_disagreeing']} of "
            f"{last['station_years']} station-years agree ({loop.why}); on fresh seeds "
            f"{int(judged['agrees'].sum())} of {len(judged)} agree; {below} of "
            f"{len(open_)} stations start fewer than {lvl:.0%} of requests within their "
            f"standard in {year}"
        )


def _run(args: argparse.Namespace, stages: tuple[str, ...]) -> int:
    import os

    from model.inputs.scenario import load_scenario
    from model.output.run import run_scenario

    sc = load_scenario(args.scenario, args.overrides)
    processes = max(1, min(os.cpu_count() or 1, sc.simulation.replications))
    _report(run_scenario(sc, args.out, command=args.invocation, stages=stages, processes=processes))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    return _run(args, ("profile", "optimize", "simulate"))


def cmd_optimize(args: argparse.Namespace) -> int:
    return _run(args, ("optimize",))


def cmd_synth(args: argparse.Namespace) -> int:
    from model.inputs.synth import synthesize
    from model.inputs.townships import write_table

    out: Path = args.output
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError("-o/--output", None, "a file name ending in .csv or .xlsx", str(out))
    if out.exists() and not args.force:
        raise InputError(
            "-o/--output",
            None,
            "",
            problem=f"{display_path(out)} exists; choose another name or add --force to replace it",
        )
    table = synthesize(
        args.profile,
        townships=args.townships,
        counties=args.counties,
        seed=args.seed,
        urban_share=args.urban_share,
        coverage=args.coverage,
    )
    if not out.parent.exists():
        raise InputError(
            "-o/--output", None, "", problem=f"folder {display_path(out.parent)} does not exist"
        )
    write_table(table, out)
    print(
        f"wrote {display_path(out)}: {len(table)} synthetic townships in "
        f"{table['county'].nunique()} counties "
        f"(profile {args.profile}, seed {args.seed}) — synthetic data, not official statistics"
    )
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    import os

    from model.inputs.scenario import load_scenario
    from model.output.run import run_scenario
    from model.plan.io import read_plan

    sc = load_scenario(args.scenario, args.overrides)
    plan = read_plan(args.plan, sc) if args.plan is not None else None
    if args.scheduler:
        from model.experiments.executor import open_executor

        with open_executor(None if args.scheduler == "local" else args.scheduler) as ex:
            run = run_scenario(
                sc, args.out, command=args.invocation, stages=("simulate",), plan=plan, executor=ex
            )
    else:
        run = run_scenario(
            sc,
            args.out,
            command=args.invocation,
            stages=("simulate",),
            plan=plan,
            processes=max(1, min(os.cpu_count() or 1, sc.simulation.replications)),
        )
    assert run.simulation is not None
    table = run.simulation.table
    year = int(table["year"].max())
    last = table[table["year"] == year]
    print(
        f"{sc.name}: simulated "
        f"{'the plan' if plan is not None else 'today' + chr(39) + 's stations'} over "
        f"{sc.years[0]}–{sc.years[-1]}, {sc.simulation.replications} replications; {year}: "
        f"served {run.simulation.served_share(year):.0%} of client hours, "
        f"{last['unmet_requests'].sum():,.0f} requests unmet"
    )
    from model.output.runfolder import print_where

    print_where(run.folder)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from model.output.report import report_command

    report_command(args.run_dir)
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from model.cli.calibrate import cmd_calibrate

    return cmd_calibrate(args)


def _replicate(args: argparse.Namespace) -> int:
    from model.cli.replicate import cmd_replicate

    return cmd_replicate(args)


def _template(args: argparse.Namespace) -> int:
    from model.cli.template import cmd_template

    return cmd_template(args)


def _experiment(name: str):
    def run(args: argparse.Namespace) -> int:
        from model.cli.experiments import COMMANDS as EXPERIMENTS

        return EXPERIMENTS[name](args)

    return run


COMMANDS = {
    "validate": cmd_validate,
    "run": cmd_run,
    "optimize": cmd_optimize,
    "simulate": cmd_simulate,
    "synth": cmd_synth,
    "report": cmd_report,
    "calibrate": _calibrate,
    "replicate": _replicate,
    "template": _template,
    **{k: _experiment(k) for k in ("sweep", "mincost", "compare", "sensitivity")},
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `stationplan`; returns the exit code.

    `argv`: the arguments after the program name (default: this process's); the manifests of
    the folders written record them as the command, "stationplan " + the arguments.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.invocation = " ".join(["stationplan", *argv])
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except SolverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`stationplan … | head`): nothing to say
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 1, no traceback unless --debug
        if args.debug:
            traceback.print_exc()
        print(
            f"internal error: {type(exc).__name__}: {exc} (this is a bug in stationplan; "
            "run again with --debug for the traceback and report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
