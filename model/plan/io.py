"""A plan read from a file (plan.csv of an earlier run), checked against the scenario; township
ids as text however a table holds them (`township_id`, `township_ids`).

A plan from a file passes the rules the optimizer's plans pass before anything uses it
(`read_plan`): every value is read strictly first (a number where a number belongs, no line cut
short), then each row keeps the plan checker's row rules (model.plan.check.broken_rules:
stations 0 or 1, whole workers, workers only at stations, staffing limits, stations stay
open), the catchments name real stations, and each year's spend keeps within its budget.
Anything else is an InputError naming the file, the row (township and year) and the rule.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, Verbatim
from model.inputs.files import is_regular_file
from model.inputs.provinces import province_names, province_scenario
from model.inputs.scenario import Scenario
from model.plan.check import first_breach, spend_by_year
from model.vocabulary import BUDGETED, WORKER_COLUMNS

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
"""A number as a plan cell may hold it (no NaN, no infinity, no thousands separators)."""

NUMBERS = ("year", "station", *WORKER_COLUMNS, "trained")
"""Columns read strictly as numbers (`trained` when the plan has it)."""

HOURS = ("catchment_hours", "client_hours", "served_hours")
"""Hour columns read strictly as numbers ≥ 0 when the plan has them (an empty cell: 0)."""


def township_id(value: object) -> str:
    """A township id as text, as a plan read back from CSV may hold it: a number without a
    decimal point (360703208, not 360703208.0), "" for an empty cell (None, NaN)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def township_ids(values: pd.Series) -> pd.Series:
    """`township_id` of each value."""
    return values.map(township_id)


def read_plan(path: Path, sc: Scenario) -> pd.DataFrame:
    """A plan.csv as written by `stationplan optimize`, checked against the scenario (module
    docstring): township_id as text, year, station, the worker columns (and `trained`) as whole
    numbers; with `served_by` (str, "" where none) and `catchment_hours` (hours/year, 0 where
    none) when the file has them (plans written before catchments have neither and keep
    neither), and `points` (village points, whole numbers ≥ 0; an empty cell is 0) when it has
    them (a plan without points keeps none). Other columns as read (numbers where every cell is
    one). Rows are numbered as in the file (the header is row 1)."""
    if not is_regular_file(path):
        raise InputError("--plan", None, Bi("an existing plan.csv", "已存在的 plan.csv"), str(path))
    cells, lines = _read_cells(path)
    need = ["township_id", "year", "station", *WORKER_COLUMNS]
    missing = [c for c in need if c not in cells.columns]
    if missing:
        raise InputError(
            path,
            None,
            "",
            problem=Bi("missing column(s) ", "缺少列 ")
            + Bi(", ", "、").join_parts([repr(c) for c in missing]),
        )
    plan = _values(path, cells, lines)
    want = {(t, y) for t in sc.townships["township_id"].astype(str) for y in sc.years}
    keys = list(zip(plan["township_id"], plan["year"]))
    have = set(keys)
    if want - have:
        tid, year = sorted(want - have)[0]
        raise InputError(
            path,
            None,
            "",
            problem=Bi(
                f"no row for township {tid} in {year}: the plan must cover every "
                f"township of the scenario in {sc.years[0]}–{sc.years[-1]}",
                f"没有乡镇 {tid} {year} 年的行：方案须包含情景中每个乡镇 "
                f"{sc.years[0]}–{sc.years[-1]} 年的数据",
            ),
        )
    seen: dict[tuple[str, int], int] = {}
    for i, key in zip(plan.index, keys):
        if key in want and key in seen:
            raise InputError(
                path,
                _row(lines, i, *key),
                "",
                problem=Bi(
                    f"township {key[0]} in {key[1]} a second time (first in row "
                    f"{lines[seen[key]]}): one row per township and year",
                    f"乡镇 {key[0]} {key[1]} 年的行重复出现（第一次在第 {lines[seen[key]]} 行）："
                    "每个乡镇每年只能有一行",
                ),
            )
        seen[key] = i
    plan = plan[[k in want for k in keys]].copy()
    _check_rows(path, plan, lines, sc)
    for c in ("year", "station", *WORKER_COLUMNS, "trained"):
        if c in plan.columns:
            plan[c] = plan[c].astype("int64")
    if "served_by" in plan.columns:
        plan["served_by"] = plan["served_by"].astype(str).str.strip()
        _check_catchments(path, plan, lines, sc)
    if "points" in plan.columns:
        plan["points"] = _points(plan, path, sc, lines)
    _check_budget(path, plan, sc)
    return plan


def _read_cells(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """Every cell of the CSV as text (a header of unique names, every row as long as it), and
    each row's line in the file; rows with nothing in them are skipped."""

    def unreadable(why: str | Bi) -> InputError:
        zh = why.zh if isinstance(why, Bi) else why
        return InputError(
            path,
            None,
            "",
            problem=Bi(f"not a readable plan table ({why})", f"不是可读取的方案表（{zh}）"),
        )

    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            end = 0
            for record in reader:
                start, end = end + 1, reader.line_num
                if any(cell.strip() for cell in record):
                    rows.append(record)
                    lines.append(start)
    except UnicodeDecodeError as exc:
        raise unreadable(Bi(f"not UTF-8 text: {exc}", f"不是 UTF-8 文本：{exc}")) from None
    except csv.Error as exc:
        raise unreadable(str(exc)) from None
    if not rows:
        raise unreadable(Bi("no header and no rows", "没有表头，也没有数据行"))
    header = [name.strip() for name in rows[0]]
    twice = sorted({n for n in header if header.count(n) > 1})
    if twice:
        raise InputError(
            path,
            Bi("row 1 (the header)", "第 1 行（表头）"),
            "",
            problem=Bi(f"column {twice[0]!r} appears twice", f"列 {twice[0]!r} 出现了两次"),
        )
    for record, line in zip(rows[1:], lines[1:]):
        if len(record) > len(header):
            raise InputError(
                path,
                Bi(f"row {line}", f"第 {line} 行"),
                Bi(
                    f"at most {len(header)} values, one per column of the header",
                    f"至多 {len(header)} 个值（表头每列一个）",
                ),
                Verbatim(f"{len(record)} values", f"{len(record)} 个值"),
            )
    cells = pd.DataFrame(
        [r + [None] * (len(header) - len(r)) for r in rows[1:]], columns=header, dtype=object
    )
    return cells, lines[1:]


def _row(lines: list[int], i: int, tid: object = None, year: object = None) -> Bi:
    """Where a row is: "row 7 (township 360703208, 2025)" (its line in the file; the township
    and year when known)."""
    if tid is None:
        return Bi(f"row {lines[i]}", f"第 {lines[i]} 行")
    if year is None:
        return Bi(f"row {lines[i]} (township {tid})", f"第 {lines[i]} 行（乡镇 {tid}）")
    return Bi(
        f"row {lines[i]} (township {tid}, {year})", f"第 {lines[i]} 行（乡镇 {tid}，{year} 年）"
    )


def _cell(lines: list[int], i: int, column: str, tid: object = None, year: object = None) -> Bi:
    """Where a cell is: "row 7 (township 360703208, 2025), column station"."""
    return _row(lines, i, tid, year) + Bi(f", column {column}", f"，{column} 列")


CUT = Verbatim(
    "nothing: the line ends before this column (cut short?)",
    "无：该行在此列之前就结束了（是否被截断？）",
)
EMPTY = Verbatim("an empty cell", "空单元格")


def _values(path: Path, cells: pd.DataFrame, lines: list[int]) -> pd.DataFrame:
    """The plan's values from its cells, read strictly: every row as long as the header,
    township_id text (not empty), the NUMBERS columns finite numbers (year a whole one), the
    HOURS columns numbers ≥ 0 (an empty cell: 0), other columns numbers where every cell is one
    (else text); or an InputError naming the first bad cell (its row, township and year,
    column, and what it holds)."""
    text = cells.fillna("").astype(str).apply(lambda c: c.str.strip())
    ids = text["township_id"]
    raw_year = text["year"]

    def where(i: int, column: str) -> Bi:
        tid = ids.at[i] or None
        year = raw_year.at[i] if column not in ("township_id", "year") else None
        return _cell(lines, i, column, tid, year or None)

    cut = cells.isna()
    if cut.any().any():
        i = int(cut.any(axis=1).idxmax())
        column = str(cut.loc[i].idxmax())
        raise InputError(path, where(i, column), Bi("a value", "一个值"), CUT)
    if (ids == "").any():
        i = int((ids == "").idxmax())
        raise InputError(path, where(i, "township_id"), Bi("a township id", "乡镇代码"), EMPTY)
    plan = pd.DataFrame({"township_id": ids}, index=cells.index)
    for column in cells.columns:
        if column == "township_id":
            continue
        col = text[column]
        if column in NUMBERS or column in HOURS:
            if column in HOURS:
                col = col.where(col != "", "0")
            ok = col.str.fullmatch(NUMBER.pattern)
            numbers = pd.to_numeric(col.where(ok, None), errors="coerce").astype(float)
            ok &= np.isfinite(numbers)
            if column == "year":
                ok &= (numbers == numbers.round()) & (numbers.abs() < 10_000)
            if column in HOURS:
                ok &= numbers >= 0
            if not ok.all():
                i = int((~ok).idxmax())
                got = col.at[i]
                raise InputError(path, where(i, column), _expected(column), got or EMPTY)
            plan[column] = numbers.astype("int64") if column == "year" else numbers
        elif column in ("served_by", "points"):
            plan[column] = col
        else:
            plan[column] = _as_read(col)
    return plan


def _expected(column: str) -> Bi:
    """What a NUMBERS or HOURS column holds, for a message."""
    if column == "year":
        return Bi("a year (a whole number such as 2025)", "年份（如 2025 的整数）")
    if column == "station":
        return Bi("0 or 1 (1: a station that year)", "0 或 1（1 表示当年设有社工站）")
    if column in HOURS:
        return Bi("a number ≥ 0 (hours per year)", "不小于 0 的数（小时/年）")
    return Bi("a whole number ≥ 0 (workers)", "不小于 0 的整数（社工人数）")


def _as_read(col: pd.Series) -> pd.Series:
    """A column (stripped text) the plan's rules do not use, as pandas would read it: numbers
    when every cell is a number or empty (NaN), else text."""
    try:
        return pd.to_numeric(col.where(col != "", None))
    except (ValueError, TypeError):
        return col


def _check_rows(path: Path, plan: pd.DataFrame, lines: list[int], sc: Scenario) -> None:
    """The plan checker's row rules (model.plan.check.first_breach): the first row that breaks
    one, as an InputError naming the row and the rule."""
    breach = first_breach(sc, plan)
    if breach is None:
        return
    i = int(breach.row)  # type: ignore[call-overload]
    tid, year = plan.at[i, "township_id"], int(plan.at[i, "year"])
    where = (
        _row(lines, i, tid, year) + Bi(", workers", "，社工人数")
        if breach.column == "workers"
        else _cell(lines, i, breach.column, tid, year)
    )
    raise InputError(path, where, breach.rule, breach.value)


def _check_catchments(path: Path, plan: pd.DataFrame, lines: list[int], sc: Scenario) -> None:
    """A township served by a neighbour's station (`served_by`) names a township of the
    scenario other than itself, has no station of its own that year, and the neighbour has
    one; the scenario has travel minutes (region.travel), within catchment.max_minutes when
    that is set; the plan has the hours its catchments table needs (client_hours,
    served_hours)."""
    served = plan["served_by"]
    if not (served != "").any():
        return
    ids = sc.townships["township_id"].astype(str).tolist()
    station = dict(zip(zip(plan["township_id"], plan["year"]), plan["station"]))
    minutes = sc.travel
    if minutes is not None:
        minutes = minutes.set_axis(minutes.index.astype(str), axis=0)
        minutes = minutes.set_axis(minutes.columns.astype(str), axis=1)
    limit = sc.catchment.max_minutes
    for i in served[served != ""].index:
        tid, year, by = plan.at[i, "township_id"], int(plan.at[i, "year"]), served.at[i]
        where = _cell(lines, int(i), "served_by", tid, year)
        if by not in ids or by == tid:
            rule = Bi(
                "empty, or another township of the scenario whose station serves this one",
                "空，或情景中另一个为本乡镇提供服务的乡镇代码",
            )
        elif plan.at[i, "station"] == 1:
            rule = Bi(
                "empty: a township with its own station (station = 1) is served by it",
                "空：设有本乡镇社工站（station = 1）的乡镇由本站服务",
            )
        elif station.get((by, year)) != 1:
            rule = Bi(
                f"a township with a station in {year}: {by} has none that year",
                f"{year} 年设有社工站的乡镇：{by} 当年没有社工站",
            )
        elif minutes is None:
            rule = Bi(
                "empty: a township served by a neighbour's station needs region.travel (travel "
                "minutes between townships) in the scenario",
                "空：由邻近站点服务需要情景提供 region.travel（乡镇间的出行时间）",
            )
        elif not np.isfinite(float(minutes.at[by, tid])):
            rule = Bi(
                f"a station with a travel time to this township: region.travel has none from {by}",
                f"与本乡镇之间有出行时间的社工站：region.travel 中没有从 {by} 出发的时间",
            )
        elif limit is not None and float(minutes.at[by, tid]) > limit + 1e-6:
            rule = Bi(
                f"a station within catchment.max_minutes = {limit:g} minutes: {by}'s is "
                f"{float(minutes.at[by, tid]):g} minutes away",
                f"catchment.max_minutes = {limit:g} 分钟以内的社工站：{by} 的站点相距 "
                f"{float(minutes.at[by, tid]):g} 分钟",
            )
        elif "client_hours" not in plan or "served_hours" not in plan:
            rule = Bi(
                "empty, or a plan with columns client_hours and served_hours (as stationplan "
                "optimize writes them) for its catchments",
                "空，或方案带有 client_hours 和 served_hours 列（stationplan optimize 输出的方案"
                "都有）以列出服务片区",
            )
        else:
            continue
        raise InputError(path, where, rule, by)


def _points(plan: pd.DataFrame, path: Path, sc: Scenario, lines: list[int]) -> pd.Series:
    """The plan's `points` column as whole numbers from 0 to point.max_per_township, none where
    the township has no station (an empty cell: 0), or an InputError naming the first bad cell
    (its row in the file: the header is row 1)."""
    text = plan["points"].fillna("").astype(str).str.strip()
    values = pd.to_numeric(text.where(text != "", "0"), errors="coerce")
    finite = values.where(values.abs() < float("inf"))
    most = sc.point.max_per_township
    station = plan["station"]
    bad = finite.isna() | (finite < 0) | (finite != finite.round())
    over = ~bad & (finite > most)
    alone = ~bad & ~over & (finite > 0) & (station != 1)
    if over.any() or alone.any():
        i = (over | alone).idxmax()
        tid, year = plan.at[i, "township_id"], plan.at[i, "year"]
        raise InputError(
            path,
            _cell(lines, int(i), "points", tid, year),
            Bi(
                f"at most point.max_per_township = {most} village points",
                f"不超过 point.max_per_township = {most} 个村社工点",
            )
            if over.at[i]
            else Bi(
                "0: a village point needs its township's station (station = 1)",
                "0：村社工点须设在已开办社工站的乡镇（station = 1）",
            ),
            text.at[i],
        )
    if bad.any():
        i = bad[bad].index[0]
        tid, year = plan.at[i, "township_id"], plan.at[i, "year"]
        raise InputError(
            path,
            _cell(lines, int(i), "points", tid, year),
            Bi("a whole number ≥ 0 (village points)", "不小于 0 的整数（村社工点数）"),
            text.at[i],
        )
    return values.astype("int64")


def _check_budget(path: Path, plan: pd.DataFrame, sc: Scenario) -> None:
    """Each year's spend of the plan (model.plan.check.spend_by_year: stations, salaries,
    training, moves, severance, village points; county centres and sector posts are not in
    plan.csv) within the year's budget, when the scenario's objective keeps to its budgets (as
    for the optimizer's plans); with provinces, each province's within its own budget, what they
    spend beyond them together within the central transfer."""
    if sc.objective not in BUDGETED:
        return
    hint = Bi(
        "a plan meant to cost more, such as a mincost plan, simulates with --set "
        "objective=min_cost, or with the budget raised by --set",
        "需要更多资金的方案（如 mincost 的方案）可加 --set objective=min_cost，或用 --set "
        "提高预算后再仿真",
    )
    if not sc.provinces:
        spent = spend_by_year(sc, plan)
        for year in sc.years:
            total, budget = float(spent.get(year, 0.0)), sc.budget.get(year)
            if budget is not None and total > budget + 1e-6 * max(1.0, budget):
                raise InputError(
                    path,
                    Bi(f"year {year}", f"{year} 年"),
                    Bi(
                        f"spend within budget.{year} = {budget:,.2f} 万元 (stations, workers, "
                        "training, moves and severance as the plan's rows imply)",
                        f"支出不超过 budget.{year} = {budget:,.2f} 万元（按方案各行推算的站点、"
                        "社工、培训、调动和遣散支出）",
                    ),
                    Verbatim(f"{total:,.2f} 万元"),
                    hint=hint,
                )
        return
    ids = plan["township_id"].astype(str)
    over: dict[int, dict[str, tuple[float, float]]] = {y: {} for y in sc.years}
    for k, name in enumerate(province_names(sc)):
        sub = province_scenario(sc, name, k)
        part = plan[ids.isin(set(sub.townships["township_id"].astype(str)))]
        spent = spend_by_year(sub, part.reset_index(drop=True))
        for year in sc.years:
            budget = sub.budget.get(year)
            if budget is not None and float(spent.get(year, 0.0)) > budget + 1e-6 * budget:
                over[year][name] = (float(spent.get(year, 0.0)), budget)
    for year, parts in over.items():
        excess = sum(s - b for s, b in parts.values())
        transfer = float(sc.central.transfer.get(year, 0.0))
        if excess > transfer + 1e-6 * max(1.0, transfer):
            name, (total, budget) = max(parts.items(), key=lambda kv: kv[1][0] - kv[1][1])
            raise InputError(
                path,
                Bi(f"year {year}, province {name}", f"{year} 年，{name}"),
                Bi(
                    f"spend within provinces.{name}.budget.{year} = {budget:,.2f} 万元, what "
                    f"the provinces spend beyond their budgets within central.transfer.{year} = "
                    f"{transfer:,.2f} 万元 (they spend {excess:,.2f} 万元 beyond)",
                    f"支出不超过 provinces.{name}.budget.{year} = {budget:,.2f} 万元，各省超出"
                    f"预算的部分合计不超过 central.transfer.{year} = {transfer:,.2f} 万元（实际"
                    f"超出 {excess:,.2f} 万元）",
                ),
                Verbatim(f"{total:,.2f} 万元"),
                hint=hint,
            )
