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
    from model.errors import Bi, InputError, display_path
    from model.inputs.workbook import write_template

    out: Path = args.workbook
    if out.suffix.lower() != ".xlsx":
        raise InputError(
            "WORKBOOK", None, Bi("a file name ending in .xlsx", "以 .xlsx 结尾的文件名"), str(out)
        )
    if not out.parent.exists():
        folder = display_path(out.parent)
        raise InputError(
            out,
            None,
            "",
            problem=Bi(f"folder {folder} does not exist", f"文件夹 {folder} 不存在"),
        )
    if args.start is not None and not 2000 <= args.start <= 2100:
        raise InputError(
            "--start", None, Bi("a year from 2000 to 2100", "2000 至 2100 之间的年份"), args.start
        )
    if not 1 <= args.years <= 30:
        raise InputError(
            "--years",
            None,
            Bi("a whole number of years from 1 to 30", "1 至 30 之间的整数年数"),
            args.years,
        )
    write_template(out, start=args.start, years=args.years)
    echo("cli.template", path=display_path(out))
    return 0
