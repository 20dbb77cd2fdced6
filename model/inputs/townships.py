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
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from model.errors import InputError, Verbatim, display_path

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

ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030")
"""CSV encodings tried in order: UTF-8 (with or without BOM), then GB18030 (a superset of GBK)."""


def read_townships(path: str | Path, groups: Sequence[str]) -> pd.DataFrame:
    """Read and validate a township table (CSV or XLSX) for a scenario with these groups."""
    path = Path(path)
    raw = read_raw(path)
    return validate_townships(raw, groups, display_path(path))


def read_raw(path: Path) -> pd.DataFrame:
    """The table as text cells, header stripped; decoding and parsing errors become InputError."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, "", problem="township table not found") from None
    except OSError as exc:
        raise InputError(
            path, None, "", problem=f"cannot read the township table ({exc.strerror})"
        ) from None
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(
                io.BytesIO(data), sheet_name=0, dtype=str, keep_default_na=False, engine="openpyxl"
            )
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
            raise InputError(
                path, None, "", problem=f"not a readable .xlsx workbook ({exc})"
            ) from None
    elif suffix in (".csv", ".txt"):
        text = decode(data, path)
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
            )
        except pd.errors.EmptyDataError:
            raise InputError(path, None, "", problem="the township table is empty") from None
        except pd.errors.ParserError as exc:
            raise InputError(
                path, None, "", problem=f"broken CSV: {_parser_message(exc)}"
            ) from None
    else:
        raise InputError(path, None, "a township table ending in .csv or .xlsx", path.name)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def decode(data: bytes, path: Path) -> str:
    """Decode CSV bytes as UTF-8 (BOM or not) or GBK/GB18030, as Excel on Chinese Windows writes."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        path, None, "", problem="cannot decode the file: expected UTF-8 or GBK/GB18030 text"
    )


def _parser_message(exc: Exception) -> str:
    text = str(exc).strip()
    # "Error tokenizing data. C error: Expected 12 fields in line 5, saw 13"
    if "Expected" in text and "line" in text:
        tail = text[text.index("Expected") :]
        return tail.replace("Expected", "expected").replace(
            "fields in line", "fields (as in the header) in line"
        )
    return text


def validate_townships(raw: pd.DataFrame, groups: Sequence[str], source: str) -> pd.DataFrame:
    """Check every row and return a typed table: required, optional, group, then other columns."""
    cols = list(raw.columns)
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    if dupes:
        raise InputError(
            source, f"column {dupes[0]!r}", "", problem="column appears twice in the header"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise InputError(
            source,
            None,
            "",
            problem="missing column(s) "
            + ", ".join(repr(c) for c in missing)
            + f"; required: {', '.join(REQUIRED_COLUMNS)}",
        )
    missing_groups = [g for g in groups if g not in cols]
    if missing_groups:
        raise InputError(
            source,
            None,
            "",
            problem=(
                "missing group column(s) "
                + ", ".join(repr(g) for g in missing_groups)
                + ": the scenario names these recipient groups, so the table needs a column of "
                "persons for each (or remove a group from the scenario with `groups: {name: null}`)"
            ),
        )
    if len(raw) == 0:
        raise InputError(
            source, None, "", problem="the township table has a header but no townships"
        )
    frame = raw.astype(object).where(raw.notna(), "").map(lambda v: str(v).strip())

    ids = frame["township_id"]

    def where(i: int, col: str) -> str:
        tid = ids.iloc[i]
        return (
            f"row {i + 2}"
            + (f" (township {tid})" if tid and col != "township_id" else "")
            + f", column {col}"
        )

    for col in TEXT_COLUMNS:
        empty = np.flatnonzero(frame[col].to_numpy() == "")
        if len(empty):
            raise InputError(
                source, where(int(empty[0]), col), "a value", Verbatim("an empty cell")
            )
    first_seen: dict[str, int] = {}
    for i, tid in enumerate(ids):
        if tid in first_seen:
            raise InputError(
                source,
                where(i, "township_id"),
                "",
                problem=(
                    f"duplicate township id {tid!r} (first used in row {first_seen[tid] + 2})"
                ),
            )
        first_seen[tid] = i
    bad_kind = np.flatnonzero(~frame["kind"].isin(KINDS).to_numpy())
    if len(bad_kind):
        i = int(bad_kind[0])
        raise InputError(
            source, where(i, "kind"), "one of " + ", ".join(KINDS), frame["kind"].iloc[i]
        )

    out = pd.DataFrame({c: frame[c].astype(str) for c in TEXT_COLUMNS})
    for col in list(COUNT_COLUMNS) + list(groups) + (["care_beds"] if "care_beds" in cols else []):
        out[col] = _whole_numbers(frame[col], col, source, where)
    bad = np.flatnonzero(~out["has_station"].isin([0, 1]).to_numpy())
    if len(bad):
        i = int(bad[0])
        raise InputError(source, where(i, "has_station"), "0 or 1", frame["has_station"].iloc[i])
    for col in ["elderly"] + list(groups):
        over = np.flatnonzero((out[col] > out["population"]).to_numpy())
        if len(over):
            i = int(over[0])
            raise InputError(
                source,
                where(i, col),
                f"at most the population ({out['population'].iloc[i]})",
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
            problem=(
                "the township has workers but no station; set has_station to 1 or the workers to 0"
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
            "a remoteness from 0 to 0.9",
        )
    if "travel_minutes" in cols:
        out["travel_minutes"] = _numbers(
            frame["travel_minutes"],
            "travel_minutes",
            source,
            where,
            0.0,
            600.0,
            "minutes from 0 to 600 for the round trip to a household",
        )
    if "wage_index" in cols:
        out["wage_index"] = _numbers(
            frame["wage_index"],
            "wage_index",
            source,
            where,
            0.2,
            5.0,
            "a wage index from 0.2 to 5 (1.0 = regional average)",
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


def _parse(col: pd.Series) -> pd.Series:
    return pd.to_numeric(col.where(col != "", None), errors="coerce")


def _whole_numbers(col: pd.Series, name: str, source: str, where) -> pd.Series:
    values = _parse(col)
    bad = values.isna() | (values < 0) | (values != np.floor(values.fillna(0)))
    idx = np.flatnonzero(bad.to_numpy())
    if len(idx):
        i = int(idx[0])
        raise InputError(
            source,
            where(i, name),
            "a whole number ≥ 0",
            col.iloc[i] if col.iloc[i] != "" else Verbatim("an empty cell"),
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
            col.iloc[i] if col.iloc[i] != "" else Verbatim("an empty cell"),
        )
    return values.astype(float)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV (UTF-8 with BOM, so Excel on Chinese Windows shows 中文) or XLSX by
    suffix."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path
