"""A plan read from a file (plan.csv of an earlier run), checked against the scenario; township
ids as text however a table holds them (`township_id`, `township_ids`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from model.errors import Bi, InputError
from model.inputs.scenario import Scenario
from model.vocabulary import WORKER_COLUMNS


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
    """A plan.csv as written by `stationplan optimize`, checked against the scenario; with
    `served_by` (str, "" where none) and `catchment_hours` (hours/year, 0 where none) when the
    file has them (plans written before catchments have neither and keep neither), and
    `points` (village points, whole numbers ≥ 0; an empty cell is 0) when it has them (a plan
    without points keeps none)."""
    if not path.is_file():
        raise InputError("--plan", None, Bi("an existing plan.csv", "已存在的 plan.csv"), str(path))
    try:
        plan = pd.read_csv(
            path,
            encoding="utf-8-sig",
            dtype={"township_id": str, "served_by": str, "points": str},
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            path,
            None,
            "",
            problem=Bi(f"not a readable plan table ({exc})", f"不是可读取的方案表（报错 '{exc}'）"),
        ) from None
    need = ["township_id", "year", "station", *WORKER_COLUMNS]
    missing = [c for c in need if c not in plan.columns]
    if missing:
        raise InputError(
            path,
            None,
            "",
            problem=Bi("missing column(s) ", "缺少列 ")
            + Bi(", ", "、").join_parts([repr(c) for c in missing]),
        )
    want = {(t, y) for t in sc.townships["township_id"] for y in sc.years}
    have = set(zip(plan["township_id"], plan["year"]))
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
    plan = plan[[k in want for k in zip(plan["township_id"], plan["year"])]].copy()
    if "served_by" in plan.columns:
        plan["served_by"] = plan["served_by"].fillna("").astype(str)
    if "catchment_hours" in plan.columns:
        plan["catchment_hours"] = pd.to_numeric(plan["catchment_hours"]).fillna(0.0).astype(float)
    if "points" in plan.columns:
        plan["points"] = _points(plan, path, sc)
    return plan


def _points(plan: pd.DataFrame, path: Path, sc: Scenario) -> pd.Series:
    """The plan's `points` column as whole numbers from 0 to point.max_per_township, none where
    the township has no station (an empty cell: 0), or an InputError naming the first bad cell
    (its row in the file: the header is row 1)."""
    text = plan["points"].fillna("").astype(str).str.strip()
    values = pd.to_numeric(text.where(text != "", "0"), errors="coerce")
    finite = values.where(values.abs() < float("inf"))
    most = sc.point.max_per_township
    station = pd.to_numeric(plan["station"], errors="coerce").fillna(0)
    bad = finite.isna() | (finite < 0) | (finite != finite.round())
    over = ~bad & (finite > most)
    alone = ~bad & ~over & (finite > 0) & (station != 1)
    if over.any() or alone.any():
        i = (over | alone).idxmax()
        tid, year = plan.at[i, "township_id"], plan.at[i, "year"]
        raise InputError(
            path,
            Bi(
                f"row {int(i) + 2} (township {tid}, {year}), column points",
                f"第 {int(i) + 2} 行（乡镇 {tid}，{year} 年），points 列",
            ),
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
            Bi(
                f"row {int(i) + 2} (township {tid}, {year}), column points",
                f"第 {int(i) + 2} 行（乡镇 {tid}，{year} 年），points 列",
            ),
            Bi("a whole number ≥ 0 (village points)", "不小于 0 的整数（村社工点数）"),
            text.at[i],
        )
    return values.astype("int64")
