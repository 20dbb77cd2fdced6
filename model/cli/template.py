"""`stationplan template my_county.xlsx`: write the scenario workbook a county planner fills in
(docs/workbook.md); `stationplan run my_county.xlsx` then reads it like a YAML scenario."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser(
        "template",
        help="write a scenario workbook to fill in (说明, 基本设置, 年度预算, 目标, 成本, 乡镇表); "
        "run it like a scenario file (docs/workbook.md)",
    )
    q.add_argument(
        "workbook", type=Path, metavar="WORKBOOK", help="the file to write, e.g. my.xlsx"
    )
    q.add_argument(
        "--start", type=int, default=None, help="first planning year (default: next year)"
    )
    q.add_argument("--years", type=int, default=3, help="planning years (default 3)")


def cmd_template(args: argparse.Namespace) -> int:
    from model.cli.console import echo
    from model.errors import InputError, display_path
    from model.inputs.workbook import write_template

    out: Path = args.workbook
    if out.suffix.lower() != ".xlsx":
        raise InputError("WORKBOOK", None, "a file name ending in .xlsx", str(out))
    if not out.parent.exists():
        raise InputError(out, None, "", problem=f"folder {display_path(out.parent)} does not exist")
    if args.start is not None and not 2000 <= args.start <= 2100:
        raise InputError("--start", None, "a year from 2000 to 2100", args.start)
    if not 1 <= args.years <= 30:
        raise InputError("--years", None, "a whole number of years from 1 to 30", args.years)
    write_template(out, start=args.start, years=args.years)
    echo("cli.template", path=display_path(out))
    return 0
