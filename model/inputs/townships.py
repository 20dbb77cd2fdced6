"""Township tables: read CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX and validate each row.

The table contract (docs/design.md): one row per township with ``township_id`` (unique), ``name``,
``county``, ``kind`` (rural | urban | relocation), ``population``, ``elderly`` (60+), one
column of persons per recipient group of the scenario, ``has_station`` (0/1),
``workers_certified``, ``workers_uncertified``; optional ``care_beds``, ``remoteness``
(0–0.9: how remote its villages are; a home visit's round trip is
``staffing.visit_travel_minutes / (1 − remoteness)``), ``travel_minutes`` (that round trip in
minutes, measured: it then replaces the remoteness rule) and ``wage_index`` (1.0 = regional
average).
Other columns are kept as text. Row numbers in messages are the spreadsheet's: the header
is row 1, the first township row 2.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, Verbatim, display_path

KINDS: tuple[str, ...] = ("rural", "urban", "relocation")
TEXT_COLUMNS: tuple[str, ...] = ("township_id", "name", "county", "kind")
COUNT_COLUMNS: tuple[str, ...] = (
    "population",
    "elderly",
    "has_station",
    "workers_certified",
    "workers_uncertified",
)
REQUIRED_COLUMNS: tuple[str, ...] = TEXT_COLUMNS + COUNT_COLUMNS
OPTIONAL_DEFAULTS: dict[str, float] = {"care_beds": 0, "remoteness": 0.0, "wage_index": 1.0}
"""Optional columns and the documented value used when a table leaves the column out."""

HEADERS_ZH: dict[str, tuple[str, ...]] = {
    "township_id": ("乡镇代码", "乡镇编码"),
    "name": ("乡镇名称", "乡镇"),
    "county": ("县区", "县（市、区）", "县市区"),
    "kind": ("类型", "乡镇类型"),
    "population": ("人口", "常住人口"),
    "elderly": ("60岁及以上人口", "老年人口"),
    "has_station": ("是否有站点", "有无站点"),
    "workers_certified": ("持证社工人数", "持证社工"),
    "workers_uncertified": ("未持证社工人数", "未持证社工"),
    "care_beds": ("养老床位", "养老床位数"),
    "remoteness": ("偏远程度",),
    "travel_minutes": ("入户往返分钟", "入户往返时间"),
    "wage_index": ("工资指数",),
}
"""Chinese headers a township table may use for each column (the first is the template's);
a header may carry its unit in brackets, e.g. 人口（人）. Group columns may be headed by the
group's label (低保对象 for dibao)."""

KINDS_ZH: dict[str, str] = {"乡镇": "rural", "乡": "rural", "镇": "rural", "街道": "urban"}
KINDS_ZH |= {"安置区": "relocation", "易地搬迁安置区": "relocation"}
"""Chinese names of the township kinds (the first of each is the template's)."""

YES_NO_ZH: dict[str, str] = {"是": "1", "有": "1", "否": "0", "无": "0"}
"""has_station may be written 是/否 (有/无)."""

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
"""CSV encodings tried in order: UTF-8 (with or without BOM), then GB18030 (a superset of GBK)."""


def unreadable_workbook(path: str | Path, exc: Exception) -> InputError:
    """The error for a file that is not a readable .xlsx workbook (with the reader's words)."""
    return InputError(
        path,
        None,
        "",
        problem=Bi(
            f"not a readable .xlsx workbook ({exc})",
            f"不是可读取的 .xlsx 工作簿（报错 '{exc}'）",
        ),
    )


def read_townships(
    path: str | Path, groups: Sequence[str], labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Read and validate a township table (CSV or XLSX) for a scenario with these groups.

    `labels`: group name -> label (低保对象), so a group's column may be headed by its label. In
    a workbook, the sheet named 乡镇表 is read when there is one (else the first sheet), and
    messages name the sheet and the cell.
    """
    path = Path(path)
    raw, sheet = read_raw(path)
    source = display_path(path) + (Bi(f", sheet {sheet}", f"，工作表 {sheet}") if sheet else "")
    return validate_townships(raw, groups, source, labels=labels, cells=sheet is not None)


TABLE_SHEET = "乡镇表"
"""The sheet of a workbook that holds the township table (the first sheet when none has this
name)."""


def read_raw(path: Path) -> tuple[pd.DataFrame, str | None]:
    """The table as text cells, header stripped, and its sheet's name (None for a CSV); trailing
    empty rows are dropped; decoding and parsing errors become InputError."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            path, None, "", problem=Bi("township table not found", "找不到乡镇表")
        ) from None
    except OSError as exc:
        raise InputError(
            path,
            None,
            "",
            problem=Bi(
                f"cannot read the township table ({exc.strerror})",
                f"无法读取乡镇表（报错 '{exc.strerror}'）",
            ),
        ) from None
    sheet: str | None = None
    if suffix in (".xlsx", ".xlsm"):
        try:
            book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
            sheet = TABLE_SHEET if TABLE_SHEET in book.sheet_names else book.sheet_names[0]
            frame = pd.read_excel(
                book, sheet_name=sheet, header=None, dtype=str, keep_default_na=False
            )
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
            raise unreadable_workbook(path, exc) from None
        failed = np.argwhere(frame.isna().to_numpy())  # only a formula's error reads as missing
        if len(failed):
            row, k = (int(n) for n in failed[0])
            raise InputError(
                display_path(path) + Bi(f", sheet {sheet}", f"，工作表 {sheet}"),
                Bi(f"cell {column_letter(k)}{row + 1}", f"单元格 {column_letter(k)}{row + 1}"),
                Bi("a value", "一个值"),
                Verbatim(
                    "a formula's error (#DIV/0!, #N/A, #REF! ...): Excel could not compute it",
                    "公式错误（#DIV/0!、#N/A、#REF! 等）：Excel 无法计算该单元格",
                ),
            )
    elif suffix in (".csv", ".txt"):
        text = decode(data, path)
        try:
            frame = pd.read_csv(
                io.StringIO(text),
                header=None,
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
            )
        except pd.errors.EmptyDataError:
            raise InputError(
                path, None, "", problem=Bi("the township table is empty", "乡镇表是空的")
            ) from None
        except pd.errors.ParserError as exc:
            raise InputError(
                path, None, "", problem=Bi("broken CSV: ", "CSV 格式有误：") + _parser_message(exc)
            ) from None
    else:
        raise InputError(
            path,
            None,
            Bi("a township table ending in .csv or .xlsx", "以 .csv 或 .xlsx 结尾的乡镇表"),
            path.name,
        )
    frame = with_header(frame)
    filled = np.flatnonzero((frame.astype(str).map(str.strip) != "").any(axis=1).to_numpy())
    frame = frame.iloc[: (int(filled[-1]) + 1 if len(filled) else 0)]
    return frame, sheet


def with_header(frame: pd.DataFrame) -> pd.DataFrame:
    """The first row of a table read without a header as its header, each name stripped, as the
    user wrote it: a name given twice stays twice (pandas would rename the second dibao.1, and
    validate_townships could not see it); an empty one is "Unnamed: k" (k from 0)."""
    if frame.empty:
        return pd.DataFrame()
    first = frame.iloc[0].tolist()
    names = [str(v).strip() if isinstance(v, str) else "" for v in first]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = [name or f"Unnamed: {k}" for k, name in enumerate(names)]
    return frame


def decode(data: bytes, path: Path) -> str:
    """Decode CSV bytes as UTF-8 (BOM or not) or GBK/GB18030, as Excel on Chinese Windows writes."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        path,
        None,
        "",
        problem=Bi(
            "cannot decode the file: expected UTF-8 or GBK/GB18030 text",
            "无法解码该文件：应为 UTF-8 或 GBK/GB18030 编码的文本",
        ),
    )


def _parser_message(exc: Exception) -> Bi:
    text = str(exc).strip()
    # "Error tokenizing data. C error: Expected 12 fields in line 5, saw 13"
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if found:
        n, line, saw = found.groups()
        return Bi(
            f"expected {n} fields (as in the header) in line {line}, saw {saw}",
            f"第 {line} 行应有 {n} 个字段（与表头一致），实际有 {saw} 个",
        )
    return Bi(text, f"无法解析该文件（报错 '{text}'）")


def canonical_headers(
    columns: Sequence[str], labels: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each header the table uses -> its column name: Chinese headers (HEADERS_ZH, with or
    without a unit in brackets) and group labels become the names the model uses; other
    headers stay as they are."""
    names = {zh: col for col, zhs in HEADERS_ZH.items() for zh in zhs}
    names |= {label: group for group, label in (labels or {}).items() if label}
    out = {}
    for header in columns:
        bare = re.sub(r"\s*[（(][^（）()]*[）)]\s*$", "", header)
        if header in names or bare in names:
            out[header] = names.get(header, names.get(bare, header))
        elif bare in REQUIRED_COLUMNS or bare in OPTIONAL_DEFAULTS or bare == "travel_minutes":
            out[header] = bare  # population (persons)
        else:
            out[header] = header
    return out


def column_letter(k: int) -> str:
    """Excel's letter of the k-th column (0-based): A, B, ..., Z, AA."""
    text = ""
    k += 1
    while k:
        k, rest = divmod(k - 1, 26)
        text = chr(65 + rest) + text
    return text


def validate_townships(
    raw: pd.DataFrame,
    groups: Sequence[str],
    source: str,
    labels: Mapping[str, str] | None = None,
    cells: bool = False,
) -> pd.DataFrame:
    """Check every row and return a typed table: required, optional, group, then other columns.

    Headers may be Chinese (HEADERS_ZH, or a group's label from `labels`); numbers may carry
    thousands separators (23,456 or 23，456); kind may be 乡镇/街道/安置区 and has_station 是/否.
    An optional column left wholly empty counts as left out, an empty cell of care_beds,
    remoteness or wage_index as its default (OPTIONAL_DEFAULTS). `cells`: messages name the
    spreadsheet cell (a workbook) rather than the row and column.
    """
    given = [str(c) for c in raw.columns]
    rename = canonical_headers(given, labels)
    cols = [rename[c] for c in given]
    header = {rename[c]: c for c in reversed(given)}  # the user's header of each column
    letter = {rename[c]: column_letter(k) for k, c in reversed(list(enumerate(given)))}
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    if dupes:
        twice = [g for g in given if rename[g] == dupes[0]]
        as_ = " and ".join(map(repr, twice))
        raise InputError(
            source,
            Bi(f"column {dupes[0]!r}", f"{dupes[0]!r} 列"),
            "",
            problem=Bi("column appears twice in the header", "表头中该列出现了两次")
            + (
                Bi(f" (as {as_})", f"（{'、'.join(map(repr, twice))}）")
                if len(set(twice)) > 1
                else ""
            ),
        )
    raw = raw.set_axis(cols, axis=1)
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise InputError(
            source,
            None,
            "",
            problem=Bi(
                "missing column(s) "
                + ", ".join(repr(c) for c in missing)
                + f"; required: {', '.join(REQUIRED_COLUMNS)} "
                + "(or in Chinese: "
                + ", ".join(HEADERS_ZH[c][0] for c in REQUIRED_COLUMNS)
                + ")",
                "缺少列 "
                + "、".join(repr(c) for c in missing)
                + "；必需的列："
                + "、".join(HEADERS_ZH[c][0] for c in REQUIRED_COLUMNS)
                + f"（或英文列名：{', '.join(REQUIRED_COLUMNS)}）",
            ),
        )
    missing_groups = [g for g in groups if g not in cols]
    if missing_groups:
        label = {g: (labels or {}).get(g) or "" for g in missing_groups}
        named = [
            Bi(
                repr(g) + (f" ({label[g]})" if label[g] else ""),
                repr(g) + (f"（{label[g]}）" if label[g] else ""),
            )
            for g in missing_groups
        ]
        raise InputError(
            source,
            None,
            "",
            problem=Bi("missing group column(s) ", "缺少服务对象群体列 ")
            + Bi(", ", "、").join_parts(named)
            + Bi(
                ": the scenario names these recipient groups, so the table needs a column of "
                "persons for each (or remove a group from the scenario with "
                "`groups: {name: null}`)",
                "：情景中列出了这些服务对象群体，乡镇表中每个群体都需要一列人数"
                "（或在情景中用 `groups: {name: null}` 删去该群体）",
            ),
        )
    if len(raw) == 0:
        raise InputError(
            source,
            None,
            "",
            problem=Bi(
                "the township table has a header but no townships", "乡镇表只有表头，没有乡镇"
            ),
        )
    frame = raw.astype(object).where(raw.notna(), "").map(lambda v: str(v).strip())
    for col in [*OPTIONAL_DEFAULTS, "travel_minutes"]:
        if col in cols and (frame[col] == "").all():
            frame = frame.drop(columns=col)
            cols.remove(col)
        elif col in cols and col in OPTIONAL_DEFAULTS:  # an empty cell: the documented default
            frame[col] = frame[col].replace("", f"{OPTIONAL_DEFAULTS[col]:g}")
    frame["kind"] = frame["kind"].replace(KINDS_ZH)
    frame["has_station"] = frame["has_station"].replace(YES_NO_ZH)

    ids = frame["township_id"]

    def where(i: int, col: str) -> Bi:
        tid = ids.iloc[i] if col != "township_id" else ""
        shown = header.get(col, col)
        named = shown if shown == col else f"{shown} ({col})"
        named_zh = shown if shown == col else f"{shown}（{col}）"
        if cells:
            cell = f"{letter.get(col, '?')}{i + 2}"
            return Bi(
                f"cell {cell} (" + (f"township {tid}, " if tid else "") + f"column {named})",
                f"单元格 {cell}（" + (f"乡镇 {tid}，" if tid else "") + f"{named_zh} 列）",
            )
        return Bi(
            f"row {i + 2}" + (f" (township {tid})" if tid else "") + f", column {named}",
            f"第 {i + 2} 行" + (f"（乡镇 {tid}）" if tid else "") + f"，{named_zh} 列",
        )

    for col in TEXT_COLUMNS:
        empty = np.flatnonzero(frame[col].to_numpy() == "")
        if len(empty):
            raise InputError(
                source,
                where(int(empty[0]), col),
                Bi("a value", "非空的值"),
                Verbatim("an empty cell", "空单元格"),
            )
    first_seen: dict[str, int] = {}
    for i, tid in enumerate(ids):
        if tid in first_seen:
            raise InputError(
                source,
                where(i, "township_id"),
                "",
                problem=Bi(
                    f"duplicate township id {tid!r} (first used in row {first_seen[tid] + 2})",
                    f"乡镇编号 {tid!r} 重复（第 {first_seen[tid] + 2} 行已用过）",
                ),
            )
        first_seen[tid] = i
    bad_kind = np.flatnonzero(~frame["kind"].isin(KINDS).to_numpy())
    if len(bad_kind):
        i = int(bad_kind[0])
        raise InputError(
            source,
            where(i, "kind"),
            Bi("one of ", "以下之一：") + ", ".join(KINDS) + Bi("", "（或 乡镇、街道、安置区）"),
            frame["kind"].iloc[i],
        )

    out = pd.DataFrame({c: frame[c].astype(str) for c in TEXT_COLUMNS})
    for col in list(COUNT_COLUMNS) + list(groups) + (["care_beds"] if "care_beds" in cols else []):
        out[col] = _whole_numbers(frame[col], col, source, where)
    for col in ["elderly"] + list(groups):
        over = np.flatnonzero((out[col] > out["population"]).to_numpy())
        if len(over):
            i = int(over[0])
            raise InputError(
                source,
                where(i, col),
                Bi(
                    f"at most the population ({out['population'].iloc[i]})",
                    f"不超过总人口（{out['population'].iloc[i]}）",
                ),
                int(out[col].iloc[i]),
            )
    staffed = np.flatnonzero(
        (
            (out["workers_certified"] + out["workers_uncertified"] > 0) & (out["has_station"] == 0)
        ).to_numpy()
    )
    if len(staffed):
        i = int(staffed[0])
        raise InputError(
            source,
            where(i, "has_station"),
            "",
            problem=Bi(
                "the township has workers but no station; set has_station to 1 or the workers to 0",
                "该乡镇有社工但没有社工站；请把 has_station 设为 1，或把社工人数设为 0",
            ),
        )
    if "remoteness" in cols:
        out["remoteness"] = _numbers(
            frame["remoteness"],
            "remoteness",
            source,
            where,
            0.0,
            0.9,
            Bi("a remoteness from 0 to 0.9", "0 至 0.9 之间的偏远程度"),
        )
    if "travel_minutes" in cols:
        out["travel_minutes"] = _numbers(
            frame["travel_minutes"],
            "travel_minutes",
            source,
            where,
            0.0,
            600.0,
            Bi(
                "minutes from 0 to 600 for the round trip to a household",
                "0 至 600 之间的入户往返分钟数",
            ),
        )
    if "wage_index" in cols:
        out["wage_index"] = _numbers(
            frame["wage_index"],
            "wage_index",
            source,
            where,
            0.2,
            5.0,
            Bi(
                "a wage index from 0.2 to 5 (1.0 = regional average)",
                "0.2 至 5 之间的工资指数（1.0 = 地区平均水平）",
            ),
        )
    for col, default in OPTIONAL_DEFAULTS.items():
        if col not in out:
            out[col] = default
    out["care_beds"] = out["care_beds"].astype("int64")
    out["remoteness"] = out["remoteness"].astype(float)
    out["wage_index"] = out["wage_index"].astype(float)
    measured = ["travel_minutes"] if "travel_minutes" in out else []
    order = list(REQUIRED_COLUMNS) + list(OPTIONAL_DEFAULTS) + measured + list(groups)
    extras = [c for c in cols if c not in order]
    for col in extras:
        out[col] = frame[col].astype(str)
    return out[order + extras].reset_index(drop=True)


THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}([,，]\d{3})+(\.\d*)?$")
"""A number written with thousands separators: 23,456 or 23，456 (not 1,5)."""


def _parse(col: pd.Series) -> pd.Series:
    text = col.map(lambda v: re.sub("[,，]", "", v) if THOUSANDS_RE.match(v) else v)
    return pd.to_numeric(text.where(text != "", None), errors="coerce")


COUNT_MAX: dict[str, int] = {
    "population": 10**8,
    "has_station": 1,
    "workers_certified": 10_000,
    "workers_uncertified": 10_000,
    "care_beds": 10**6,
}
"""The largest count a township's cell may hold, by column (group and other person columns:
the population's, 10^8; the largest townships have about a million residents); bigger numbers
are typing errors and would overflow the model's whole numbers."""

COUNT_WHAT: dict[str, Bi] = {
    "population": Bi("a township's population", "一个乡镇的人口"),
    "workers_certified": Bi("a township's workers", "一个乡镇的社工人数"),
    "workers_uncertified": Bi("a township's workers", "一个乡镇的社工人数"),
    "care_beds": Bi("a township's care beds", "一个乡镇的养老床位数"),
}
"""What each limit of COUNT_MAX bounds, for the message (else a township's persons)."""


def _whole_numbers(col: pd.Series, name: str, source: str, where) -> pd.Series:
    """The column's counts: whole numbers from 0 to COUNT_MAX (10^8 for columns not named
    there), else an InputError naming the first bad cell."""
    values = _parse(col)
    finite = np.isfinite(values.to_numpy(dtype=float))
    bad = ~finite | (values < 0) | (values != np.floor(values.where(finite, 0)))
    idx = np.flatnonzero(bad.to_numpy())
    if len(idx):
        i = int(idx[0])
        raise InputError(
            source,
            where(i, name),
            Bi("a whole number ≥ 0", "不小于 0 的整数"),
            col.iloc[i] if col.iloc[i] != "" else Verbatim("an empty cell", "空单元格"),
        )
    most = COUNT_MAX.get(name, 10**8)
    over = np.flatnonzero((values > most).to_numpy())
    if len(over):
        i = int(over[0])
        what = COUNT_WHAT.get(name, Bi("a township's persons", "一个乡镇的人数"))
        raise InputError(
            source,
            where(i, name),
            Bi("0 or 1", "数字 0 或 1（或 是、否）")
            if name == "has_station"
            else Bi(f"a whole number from 0 to {most:,} (", f"0 至 {most:,} 之间的整数（")
            + what
            + Bi(" is at most that)", "不会超过此数）"),
            col.iloc[i],
        )
    return values.astype("int64")


def _numbers(
    col: pd.Series, name: str, source: str, where, lo: float, hi: float, expected: str
) -> pd.Series:
    values = _parse(col)
    bad = values.isna() | (values < lo) | (values > hi)
    idx = np.flatnonzero(bad.to_numpy())
    if len(idx):
        i = int(idx[0])
        raise InputError(
            source,
            where(i, name),
            expected,
            col.iloc[i] if col.iloc[i] != "" else Verbatim("an empty cell", "空单元格"),
        )
    return values.astype(float)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV (UTF-8 with BOM, so Excel on Chinese Windows shows 中文) or XLSX by
    suffix."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        data = io.BytesIO()  # in memory first: openpyxl leaves its zip open on a write error
        frame.to_excel(data, index=False, engine="openpyxl")
        path.write_bytes(data.getvalue())
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path
