"""The `stationplan` command (also `python -m model`).

Exit codes: 0 success, 2 bad input (one message naming the file, the field and what was
expected) or a place that cannot be written (a read-only or full disk, a file where a folder
should be), 1 internal error, 128 + the signal's number when stopped (130 Ctrl-C, 143 SIGTERM;
model.cli.interrupts).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from model.cli import interrupts
from model.cli.console import echo, environment_language, language, say, set_language
from model.errors import WRITE_PROBLEMS, Bi, InputError, display_path, written_whole
from model.errors import say as say_text
from model.executor import ending_at_once
from model.optimizer.highs import SolverError

if TYPE_CHECKING:
    import pandas as pd

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
    p.add_argument("--lang", choices=("zh", "en"), default=None, help=LANG_HELP)
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

    def scheduler_arg(q: argparse.ArgumentParser) -> None:
        q.add_argument(
            "--scheduler",
            default=None,
            metavar="ADDR",
            help="run the provinces' plans and the simulation's tasks on a Dask cluster "
            "(tcp://HOST:PORT), a local cluster ('local') or here ('serial'); default: "
            "$STATIONPLAN_SCHEDULER, else the provinces on a local cluster and the replications "
            "on local processes",
        )

    q = sub.add_parser("run", help="run the whole flow for a scenario and write a results folder")
    scenario_args(q)
    out_arg(q)
    scheduler_arg(q)
    large_arg(q)

    q = sub.add_parser(
        "optimize", help="plan stations and workers by grade for a scenario; write a results folder"
    )
    scenario_args(q)
    out_arg(q)
    scheduler_arg(q)
    large_arg(q)

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
    large_arg(q)

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

    from model.cli.locate import add_parser as add_locate

    add_locate(sub)

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
    for q in sub.choices.values():  # --lang after the command too: run x.yaml --lang en
        q.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=LANG_HELP)
    return p


def large_arg(q: argparse.ArgumentParser) -> None:
    """--allow-large: run a job beyond the size limits of model.cli.sizes."""
    q.add_argument(
        "--allow-large",
        action="store_true",
        help="run a job beyond the size limits (sweep levels, township-years planned or "
        "simulated, model variables, sensitivity evaluations; docs/experiments.md) that would "
        "otherwise be refused",
    )


LANG_HELP = (
    "language of the console, errors, report, figures and workbooks: zh (中文, default) or en; "
    "default: the scenario's report.language, else STATIONPLAN_LANG"
)


def cmd_validate(args: argparse.Namespace) -> int:
    from model.inputs.scenario import load_scenario

    for path in args.scenario:
        sc = load_scenario(path, args.overrides)
        t = sc.townships
        echo(
            "cli.validate",
            path=display_path(path),
            name=sc.name,
            townships=f"{len(t):,}",
            counties=t["county"].nunique(),
            first=sc.years[0],
            last=sc.years[-1],
            groups=len(sc.groups),
            stations=f"{int(t['has_station'].sum()):,}",
            objective=sc.objective,
        )
    return 0


def _report(run: RunResult) -> None:
    """What `run` and `optimize` print: the plan, its targets, the least budget, the simulation."""
    from model.optimizer.solve import stopped
    from model.output.report import (
        change_sentences,
        limit_sentences,
        number,
        planner_unit,
        pushes_out_words,
        target_label,
    )

    lang = language()
    result = run.plan
    assert result is not None
    sc = result.scenario
    s = result.solver
    last = result.summary.iloc[-1]
    met = int(result.targets["met"].sum())
    echo(
        "cli.plan",
        name=sc.name,
        solver=s.solver,
        status=s.status,
        gap=say("cli.gap", gap=s.gap)
        if s.gap is not None
        else say("cli.no_bound")
        if stopped(s)
        else "",
        seconds=(s.build_s or 0.0) + s.solve_s,
        year=int(last["year"]),
        stations=f"{int(last['stations']):,}",
        townships=f"{len(sc.townships):,}",
        coverage=last["coverage"],
        workers=f"{int(last['workers']):,}",
        served=last["served_share"],
        met=met,
        targets=len(result.targets),
    )
    if result.centres is not None or result.sectors is not None or result.points is not None:
        year = int(last["year"])
        parts = []
        if result.centres is not None:
            centres = result.centres[result.centres["year"] == year]
            parts.append(
                say(
                    "cli.levels_centres",
                    open=int(centres["centre"].sum()),
                    counties=f"{sc.townships['county'].nunique():,}",
                    supervisors=f"{int(centres['supervisors'].sum()):,}",
                )
            )
        if result.points is not None:
            points = result.points[result.points["year"] == year]
            parts.append(
                say(
                    "cli.levels_points",
                    points=f"{int(points['points'].sum()):,}",
                    with_=f"{int(points['townships_with_points'].sum()):,}",
                    townships=f"{len(sc.townships):,}",
                )
            )
        if result.sectors is not None:
            posts = result.sectors[result.sectors["year"] == year]
            parts.append(
                say(
                    "cli.levels_sectors",
                    posts=f"{int(posts['posts'].sum()):,}",
                    sectors=len(sc.sectors),
                )
            )
        echo(
            "cli.levels",
            year=year,
            parts=say("cli.levels_sep").join(parts),
            staff=f"{int(last['workers'] + last.get('workers_other', 0)):,}",
            certified=float(last["certified_share"]),
        )
    for line in limit_sentences(result.limits, lang):
        print(f"  {line}")
    if stopped(s):
        echo("cli.stopped")

    for _, row in result.targets[~result.targets["met"]].iterrows():
        echo("cli.unmet", **unmet_fields(row, lang))
    tradeoffs = result.tradeoffs if result.tradeoffs is not None and not stopped(s) else None
    for r in tradeoffs.itertuples() if tradeoffs is not None else ():
        # the money that meets the target, and what meeting it first at the budget costs
        parts = []
        if r.reachable == r.reachable and r.reachable:  # no: said in the note; NaN: not costed
            parts.append(
                say(
                    "cli.tradeoff_money",
                    extra=r.extra_money,
                    year=r.year,
                    extra_all=r.extra_money_all_years,
                )
            )
        if r.short_when_first == r.short_when_first:
            first = (
                say("cli.tradeoff_met")
                if r.short_when_first <= 0
                else say("cli.tradeoff_short", short=number(float(r.short_when_first)))
            )
            pushed = pushes_out_words(r.pushes_out, lang) or say("cli.none")
            hours = r.served_hours_change
            parts.append(say("cli.tradeoff_first", first=first, hours=hours, pushed=pushed))
        if isinstance(r.note, str) and r.note:
            parts.append(r.note)
        echo(
            "cli.tradeoff",
            target=target_label(r.target, lang),
            year=r.year,
            short=number(float(r.short_by)),
            unit=planner_unit(str(r.short_unit), lang),
            parts=("；" if lang == "zh" else "; ").join(parts),
        )
    if result.warnings:
        echo("cli.changes", n=f"{len(result.warnings):,}")
        for line in change_sentences(result.changes, lang, 3):
            print(f"    {line}")
    if s.budget_gap == "skipped" and not stopped(s):  # a stopped plan: said above
        echo("cli.budget_gap_skipped")
    if result.budget_gap is not None:
        gap_rows = result.budget_gap
        extra = ", ".join(
            f"{int(r.year)}: +{r.extra_needed:,.0f}"
            for r in gap_rows.itertuples()
            if r.extra_needed > 0
        )
        if not bool(gap_rows["all_targets_reachable"].all()):
            echo("cli.unreachable")
        if extra:
            echo("cli.extra_money", extra=extra)
    if run.simulation is not None:
        _report_simulation(run.simulation, run.loop, sc)
    if run.service_check is not None and len(run.service_check):
        check = run.service_check
        town = sc.townships.set_index(sc.townships["township_id"].astype(str))

        def where(row) -> str:
            tid = str(row["township_id"])
            return f"{town.at[tid, 'county']} {town.at[tid, 'name']} {int(row['year'])}"

        off = check[~check["agrees"]]
        if len(off):
            worst = off.reindex(off["difference"].abs().sort_values(ascending=False).index)
            named = ("；" if lang == "zh" else "; ").join(
                say(
                    "cli.check_item",
                    where=where(r),
                    planned=r["planned_service_level"],
                    simulated=r["simulated_service_level"],
                    low=r["simulated_low"],
                    high=r["simulated_high"],
                )
                for _, r in worst.head(3).iterrows()
            )
            echo("cli.check_off", off=f"{len(off):,}", total=f"{len(check):,}", named=named)
        else:
            worst = check.loc[check["difference"].abs().idxmax()]
            echo(  # the loop's line above counts the station-years that agree
                "cli.check_ok",
                where=where(worst),
                planned=worst["planned_service_level"],
                simulated=worst["simulated_service_level"],
            )
    if run.replication is not None and len(run.replication):
        rep = run.replication
        missed = ", ".join(rep.loc[~rep["in_band"], "id"])
        echo(
            "cli.replication",
            ok=int(rep["in_band"].sum()),
            n=len(rep),
            missed=say("cli.replication_missed", ids=missed) if missed else "",
        )
    from model.output.runfolder import print_where

    print_where(run.folder, lang)


def unmet_fields(row: pd.Series, lang: str) -> dict[str, str]:
    """The fields of cli.unmet for a row of targets.csv that is not met."""
    from model.output.report import target_amount, target_label

    unit = str(row["unit"])
    return {
        "target": target_label(str(row["target"]), lang),
        "year": str(row["year"]),
        "required": target_amount(float(row["required"]), unit, lang),
        "achieved": target_amount(float(row["achieved"]), unit, lang),
        "short": target_amount(float(row["shortfall"]), unit, lang),
    }


def _report_simulation(simulation: SimulationResult, loop: LoopResult | None, sc: Scenario) -> None:
    """Two lines on the simulation and the plan-simulation loop."""
    table = simulation.table
    year = int(table["year"].max())
    last = table[table["year"] == year]
    open_ = last[last["workers"] > 0]
    echo(
        "cli.simulated",
        year=year,
        replications=sc.simulation.replications,
        served=simulation.served_share(year),
        unmet=last["unmet_requests"].sum(),
        wait=open_["wait_mean_days"].mean(),
        standard=open_["standard_333"].mean(),
    )
    if loop is not None:
        from model.output.report import _loop_reason

        n, final = len(loop.rounds), loop.rounds[-1]
        lvl = sc.simulation.service_level
        below = int((open_["service_level"] < lvl).sum())
        judged = loop.check
        why = _loop_reason({"stopped_because": loop.why, "rounds": loop.rounds}, language())
        echo(
            "cli.loop",
            state=say("cli.converged" if loop.converged else "cli.not_converged"),
            rounds=n,
            agree=f"{final['station_years'] - final['station_years_disagreeing']:,}",
            station_years=f"{final['station_years']:,}",
            why=why,
            judged_agree=f"{int(judged['agrees'].sum()):,}",
            judged=f"{len(judged):,}",
            below=below,
            open=len(open_),
            level=lvl,
            year=year,
        )


def _run(args: argparse.Namespace, stages: tuple[str, ...]) -> int:
    import os

    from model.cli.sizes import Job, check
    from model.executor import ENV, open_executor
    from model.inputs.scenario import load_scenario
    from model.output.run import run_scenario

    sc = load_scenario(args.scenario, args.overrides)
    processes = max(1, min(os.cpu_count() or 1, sc.simulation.replications))
    scheduler = args.scheduler or os.environ.get(ENV) or None
    replications = sc.simulation.replications if "simulate" in stages else None
    solvers = (os.cpu_count() or 1) if sc.provinces else 1  # provinces on a local cluster
    job = Job.of(sc, replications=replications, processes=processes, solvers=solvers)
    check(job, sc.source_label, args.allow_large, language())
    if scheduler is None:
        run = run_scenario(
            sc, args.out, command=args.invocation, stages=stages, processes=processes
        )
    else:
        with open_executor(None if scheduler == "local" else scheduler) as ex:
            run = run_scenario(
                sc,
                args.out,
                command=args.invocation,
                stages=stages,
                processes=processes,
                executor=ex,
            )
    _report(run)
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
        raise InputError(
            "-o/--output",
            None,
            Bi("a file name ending in .csv or .xlsx", "以 .csv 或 .xlsx 结尾的文件名"),
            str(out),
        )
    if out.exists() and not args.force:
        raise InputError(
            "-o/--output",
            None,
            "",
            problem=Bi(
                f"{display_path(out)} exists; choose another name or add --force to replace it",
                f"{display_path(out)} 已存在；请换一个文件名，或加 --force 覆盖它",
            ),
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
            "-o/--output",
            None,
            "",
            problem=Bi(
                f"folder {display_path(out.parent)} does not exist",
                f"文件夹 {display_path(out.parent)} 不存在",
            ),
        )
    with written_whole(out) as partial:  # a full or read-only disk: one line, no half file
        write_table(table, partial)
    echo(
        "cli.synth",
        path=display_path(out),
        townships=f"{len(table):,}",
        counties=table["county"].nunique(),
        profile=args.profile,
        seed=args.seed,
    )
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    import os

    from model.cli.sizes import Job, check
    from model.inputs.scenario import load_scenario
    from model.output.run import run_scenario
    from model.plan.io import read_plan

    sc = load_scenario(args.scenario, args.overrides)
    processes = max(1, min(os.cpu_count() or 1, sc.simulation.replications))
    job = Job.of(sc, optimize=False, replications=sc.simulation.replications, processes=processes)
    check(job, sc.source_label, args.allow_large, language())
    plan = read_plan(args.plan, sc) if args.plan is not None else None
    if args.scheduler:
        from model.executor import open_executor

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
            processes=processes,
        )
    assert run.simulation is not None
    table = run.simulation.table
    year = int(table["year"].max())
    last = table[table["year"] == year]
    echo(
        "cli.simulate",
        name=sc.name,
        what=say("cli.simulate_plan" if plan is not None else "cli.simulate_today"),
        first=sc.years[0],
        last=sc.years[-1],
        replications=sc.simulation.replications,
        year=year,
        served=run.simulation.served_share(year),
        unmet=last["unmet_requests"].sum(),
    )
    from model.output.runfolder import print_where

    print_where(run.folder, language())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from model.output.report import report_command

    report_command(args.run_dir, language())
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from model.cli.calibrate import cmd_calibrate

    return cmd_calibrate(args)


def _replicate(args: argparse.Namespace) -> int:
    from model.cli.replicate import cmd_replicate

    return cmd_replicate(args)


def _locate(args: argparse.Namespace) -> int:
    from model.cli.locate import cmd_locate

    return cmd_locate(args)


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
    "locate": _locate,
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
    lang = getattr(args, "lang", None)
    if lang and hasattr(args, "overrides"):  # one switch: --lang is the report's language too
        args.overrides = [*args.overrides, f"report.language={lang}"]
    set_language(lang or _declared_language(args) or environment_language() or "zh")
    with interrupts.stop_on_signals(), ending_at_once(_end_now):
        try:
            return COMMANDS[args.command](args)
        except InputError as exc:
            print(say("cli.error", message=exc.render(language())), file=sys.stderr)
            return 2
        except SolverError as exc:
            said = exc.args[0] if exc.args else str(exc)  # Bi: its Chinese twin in Chinese
            print(say("cli.error", message=say_text(said, language())), file=sys.stderr)
            return 1
        except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP: everything unwound
            return _stopped(interrupts.signal_of(exc))
        except BrokenPipeError:  # the reader went away (`stationplan … | head`): nothing to say
            sys.stderr.close()
            return 0
        except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 1, no traceback unless --debug
            if interrupts.received:  # a worker the signal reached failed first
                return _stopped(interrupts.received[0])
            too_long = getattr(exc, "errno", None) == errno.ENAMETOOLONG
            if isinstance(exc, OSError) and too_long and exc.filename is not None:
                # a name the user gave (a file, a folder, --out) that no file system takes
                said = InputError(
                    Path(os.fsdecode(exc.filename)),
                    None,
                    "",
                    problem=WRITE_PROBLEMS[errno.ENAMETOOLONG],
                )
                print(say("cli.error", message=said.render(language())), file=sys.stderr)
                return 2
            if args.debug:
                traceback.print_exc()
            print(say("cli.internal", kind=type(exc).__name__, message=exc), file=sys.stderr)
            return 1


def _stopped(signum: int) -> int:
    """The exit of a command a signal stopped (model.cli.interrupts.stopped)."""
    return interrupts.stopped(signum, say("cli.interrupted", signal=_signal_name(signum)))


def _end_now(exc: BaseException) -> None:
    """The end of a command a signal stopped during a solve (model.cli.interrupts.end_now)."""
    signum = interrupts.signal_of(exc) if isinstance(exc, KeyboardInterrupt) else None
    if signum is not None:
        interrupts.end_now(signum, say("cli.interrupted", signal=_signal_name(signum)))


def _signal_name(signum: int) -> str:
    import signal

    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def _declared_language(args: argparse.Namespace) -> str | None:
    """The report.language of the command's (first) scenario, or of a run folder's scenario."""
    from model.inputs.scenario import declared_language

    scenario = getattr(args, "scenario", None)
    if isinstance(scenario, list):
        scenario = scenario[0] if scenario else None
    if scenario:
        return declared_language(scenario, getattr(args, "overrides", ()))
    run_dir = getattr(args, "run_dir", None)
    if run_dir is not None:
        return declared_language(Path(run_dir) / "scenario.resolved.yaml")
    return None


if __name__ == "__main__":
    raise SystemExit(main())
