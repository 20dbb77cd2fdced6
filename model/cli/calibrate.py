"""`stationplan calibrate`: fit the request rates to the published station output figures."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from model.errors import Bi, InputError, display_path
from model.inputs.files import is_regular_file


def add_parser(sub: argparse._SubParsersAction, scenario_args: Callable[..., None]) -> None:
    q = sub.add_parser(
        "calibrate",
        help="fit the request rates and the administrative share to published station output "
        "(docs/calibration.md)",
    )
    scenario_args(q)
    q.add_argument(
        "--fixed-admin",
        action="store_true",
        help="keep staffing.admin_share as the scenario sets it (default: fitted too)",
    )
    q.add_argument(
        "--into",
        type=Path,
        default=None,
        metavar="YAML",
        help="rewrite this scenario file's group rates and admin_share with the fit "
        "(its previous text is kept in the calibration folder), e.g. scenarios/base.yaml",
    )
    q.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="put the calibration folder under DIR/<scenario>/calibration/ (default: results/)",
    )


def cmd_calibrate(args: argparse.Namespace) -> int:
    from model.calibration import calibrate
    from model.cli.console import echo, language
    from model.inputs.scenario import load_scenario
    from model.output.calibration import write_calibration
    from model.output.runfolder import print_where

    sc = load_scenario(args.scenario, args.overrides)
    if args.into is not None and not is_regular_file(args.into):
        raise InputError(
            "--into",
            None,
            Bi("an existing scenario YAML file", "已存在的情景 YAML 文件"),
            display_path(args.into),
        )
    cal = calibrate(sc, admin_prior=None if args.fixed_admin else (0.3, 0.15))
    try:
        folder = write_calibration(cal, sc, args.out, args.invocation, into=args.into)
    except ValueError as exc:
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
        raise InputError(None, None, "", problem=reason) from exc  # Bi: in both languages
    echo(
        "cli.calibrate",
        scenario=cal.scenario,
        townships=f"{cal.townships:,}",
        factors=cal.factor_text(),
        before=cal.admin_before,
        after=cal.admin_share,
        ok=int(cal.figures["in_band"].sum()),
        n=len(cal.figures),
    )
    for fig in cal.figures.itertuples(index=False):
        mark = "✓" if fig.in_band else "✗"
        echo(
            "cli.calibrate_figure",
            mark=mark,
            figure=fig.figure,
            published=fig.published,
            low=fig.low,
            high=fig.high,
            before=fig.model_before,
            after=fig.model_after,
            unit=fig.unit,
            role=fig.role,
        )
    if not cal.success:
        echo("cli.calibrate_failed", message=cal.message)
    if args.into is not None:
        echo("cli.calibrate_into", path=display_path(args.into))
    print_where(folder, language())
    return 0
