"""Fuzzing township tables (issue 21): tables generated from the table contract
(model.inputs.townships: required, group and optional columns, English or Chinese headers, counts
with thousands separators, 是/否 and 乡镇/街道), as CSV in UTF-8, UTF-8 with BOM or GB18030, or
as XLSX, then mutated (cells, headers, rows, encodings, bytes), through `stationplan validate`.

A table as the contract describes it loads, each value as written; any other ends in exit 0 or
exit 2 with one line naming the file, never an internal error or a traceback; a cell that is no
count in range is refused, and a count accepted is the number written.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from pathlib import Path

import openpyxl
import yaml
from conftest import FUZZ, mini_scenario, obeys_exit_contract, stationplan
from hypothesis import assume, example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from model.inputs.scenario import load_scenario
from model.inputs.townships import (
    COUNT_MAX,
    HEADERS_ZH,
    KINDS,
    KINDS_ZH,
    OPTIONAL_DEFAULTS,
    REQUIRED_COLUMNS,
    THOUSANDS_RE,
    YES_NO_ZH,
)

GROUPS = {"dibao": "低保对象", "tekun": "特困人员"}
"""The mini scenario's groups and their labels (a table may head a group's column by either)."""

COUNTS = ("population", "elderly", *GROUPS, "has_station", "workers_certified")
COUNTS += ("workers_uncertified", "care_beds")
SHARES = {"remoteness": (0.0, 0.9), "travel_minutes": (0.0, 600.0), "wage_index": (0.2, 5.0)}
"""Columns of numbers that need not be whole, and their ranges."""

NAME = st.text(
    st.characters(whitelist_categories=("L", "N"), whitelist_characters="-_·()（）"),
    min_size=1,
    max_size=12,
)
"""Text of a township's id, name or county."""


@st.composite
def township(draw: st.DrawFn, tid: str, optional: list[str]) -> dict:
    """One township's row, as the contract wants it (numbers as numbers)."""
    population = draw(st.integers(0, COUNT_MAX["population"]))
    station = draw(st.integers(0, 1))
    row = {
        "township_id": tid,
        "name": draw(NAME),
        "county": draw(st.sampled_from(["东山县", "西河县", draw(NAME)])),
        "kind": draw(st.sampled_from(KINDS)),
        "population": population,
        "elderly": draw(st.integers(0, population)),
        "has_station": station,
        "workers_certified": draw(st.integers(0, 30)) * station,
        "workers_uncertified": draw(st.integers(0, 30)) * station,
    }
    row |= {g: draw(st.integers(0, min(population, 10**6))) for g in GROUPS}
    if "care_beds" in optional:
        row["care_beds"] = draw(st.integers(0, COUNT_MAX["care_beds"]))
    for col, (lo, hi) in SHARES.items():
        if col in optional:
            row[col] = draw(st.floats(lo, hi))
    return row


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[dict], list[str]]:
    """Rows of a valid table (1–5 townships) and its columns in their order."""
    optional = draw(st.lists(st.sampled_from([*OPTIONAL_DEFAULTS, "travel_minutes"]), unique=True))
    ids = draw(st.lists(NAME, min_size=1, max_size=5, unique=True))
    rows = [draw(township(tid, optional)) for tid in ids]
    columns = draw(st.permutations([*REQUIRED_COLUMNS, *GROUPS, *optional]))
    return rows, list(columns)


def shown(col: str, value: object, draw: st.DrawFn) -> str:
    """A cell as a person may write it: thousands separators, 是/否, 乡镇/街道, a float's repr."""
    if col == "kind":
        return draw(st.sampled_from([value] + [zh for zh, en in KINDS_ZH.items() if en == value]))
    if col == "has_station":
        return draw(
            st.sampled_from([str(value)] + [k for k, v in YES_NO_ZH.items() if v == str(value)])
        )
    if isinstance(value, int) and value >= 1000:
        return draw(st.sampled_from([str(value), f"{value:,}", f"{value:,}".replace(",", "，")]))
    return repr(value) if isinstance(value, float) else str(value)


def header(col: str, draw: st.DrawFn) -> str:
    """A column's header: its name, or a Chinese header (with a unit in brackets), or a group's
    label."""
    names = [col, *HEADERS_ZH.get(col, ())]
    if col in GROUPS:
        names.append(GROUPS[col])
    name = draw(st.sampled_from(names))
    return name + draw(st.sampled_from(["", "（人）", "(人)"])) if name != col else name


def csv_text(cells: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(cells)
    return out.getvalue()


class Folder:
    """A fresh folder holding mini.yaml, whose table is `table` (mini.csv or mini.xlsx)."""

    def __init__(self, suffix: str = ".csv") -> None:
        self.suffix = suffix

    def __enter__(self) -> Folder:
        self._tmp = tempfile.TemporaryDirectory()
        self.path = Path(self._tmp.name)
        self.yaml = self.path / "mini.yaml"
        self.table = self.path / f"mini{self.suffix}"
        data = mini_scenario() | {"region": {"townships": self.table.name}}
        self.yaml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()

    def write(self, cells: list[list[str]], encoding: str = "utf-8") -> None:
        if self.suffix == ".xlsx":
            book = openpyxl.Workbook()
            sheet = book.active
            for row in cells:
                sheet.append(row)
            book.save(self.table)
        else:
            self.table.write_bytes(csv_text(cells).encode(encoding))


def read_back(folder: Folder) -> list[dict]:
    return load_scenario(folder.yaml).townships.to_dict("records")


def same(wanted: object, got: object) -> bool:
    if isinstance(wanted, float):
        return math.isclose(float(got), wanted, rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]
    return str(got) == str(wanted) if isinstance(wanted, str) else got == wanted


# ------------------------------------------------------------------ properties


@FUZZ
@given(
    table=tables(),
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    suffix=st.sampled_from([".csv", ".csv", ".csv", ".xlsx"]),
)
def test_a_table_as_the_contract_describes_it_loads_as_written(table, data, encoding, suffix):
    rows, columns = table
    cells = [[header(c, data.draw) for c in columns]]
    cells += [[shown(c, row[c], data.draw) for c in columns] for row in rows]
    with Folder(suffix) as folder:
        folder.write(cells, encoding)
        for row, got in zip(rows, read_back(folder), strict=True):  # what validate loads
            for col, value in row.items():
                assert same(value, got[col]), (col, value, got[col])


NASTY_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "nan",
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "1e20",
            "1e308",
            "1e400",
            "-1",
            "-0",
            "2.5",
            "1e-400",
            "1,5",
            "1,000,000,000",
            "100，000，000，1",
            "0x10",
            "１２",
            "١٢",
            "²",
            "1_000",
            "+5",
            "5.",
            "9" * 400,
            "9223372036854775808",
            '"',
            "\n",
            "a,b",
            "是",
            "否",
            "无",
            "None",
            "null",
            "True",
            "=1/0",
            "#DIV/0!",
            "\x00",
            "\ufeff1",
        ]
    ),
    st.text(max_size=12),
    st.integers().map(str),
    st.floats().map(repr),
)
"""What a careless or hostile table holds in a cell."""


@st.composite
def mutated(draw: st.DrawFn) -> tuple[list[list[str]], list[tuple[str, str]], str]:
    """A valid table's cells with 1–3 changes; the (column, text) of each changed count cell
    (when every change is one), and how it is written."""
    rows, columns = draw(tables())
    cells = [list(columns)] + [[shown(c, row[c], draw) for c in columns] for row in rows]
    changed: dict[tuple[int, int], tuple[str, str]] = {}  # the last text of each cell changed
    only_cells = True
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["cell", "cell", "cell", "header", "drop", "twice", "longer", "shorter", "blank"]
            )
        )
        r = draw(st.integers(1, len(cells) - 1))
        k = draw(st.integers(0, len(cells[r]) - 1)) if cells[r] else 0
        if kind == "cell" and cells[r]:
            text = draw(NASTY_CELLS)
            cells[r][k] = text
            changed[r, k] = (cells[0][k], text)
        elif kind == "header" and cells[0]:
            cells[0][min(k, len(cells[0]) - 1)] = draw(NASTY_CELLS)
        elif kind == "drop" and cells[0]:
            j = draw(st.integers(0, len(cells[0]) - 1))
            cells = [row[:j] + row[j + 1 :] for row in cells]
        elif kind == "twice" and cells[0]:
            j = draw(st.integers(0, len(cells[0]) - 1))
            cells = [row + [row[j]] if j < len(row) else row for row in cells]
        elif kind == "longer":
            cells[r].append(draw(NASTY_CELLS))
        elif kind == "shorter" and cells[r]:
            cells[r].pop()
        elif kind == "blank":
            cells.insert(r, [""] * draw(st.integers(0, len(cells[0]))))
        only_cells = only_cells and kind == "cell"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]))
    return cells, list(changed.values()) if only_cells else [], encoding


def reference_count(text: str, col: str) -> int | None:
    """The count a cell of `col` holds by the contract (digits, thousands separators, a whole
    number at double precision from 0 to the column's limit; an empty cell of an optional column
    its default; 是/否 for has_station), or None when it holds none."""
    text = text.strip()
    if col == "has_station":
        text = YES_NO_ZH.get(text, text)
    if text == "" and col in OPTIONAL_DEFAULTS:
        return int(OPTIONAL_DEFAULTS[col])
    if THOUSANDS_RE.match(text):  # 23,456 or 23，456
        text = text.replace(",", "").replace("，", "")
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0 or not number.is_integer():
        return None
    return int(number) if number <= COUNT_MAX.get(col, 10**8) else None


ONE_ROW = [
    ["township_id", "name", "county", "kind", "population", "elderly", "has_station"],
    ["T1", "红旗镇", "东山县", "rural", "0", "0", "0"],
]


@FUZZ
@example(  # a formula's error read as missing: TypeError ('strip' of a float)
    case=([ONE_ROW[0], ["#DIV/0!", *ONE_ROW[1][1:]]], [("township_id", "#DIV/0!")], "utf-8"),
    suffix=".xlsx",
)
@given(case=mutated(), suffix=st.sampled_from([".csv", ".csv", ".csv", ".xlsx"]))
def test_a_mutated_table_is_loaded_or_refused_in_one_line(case, suffix):
    cells, changed, encoding = case
    if suffix == ".xlsx":  # a control character cannot be written in a workbook
        assume(not any(ILLEGAL_CHARACTERS_RE.search(cell) for row in cells for cell in row))
    with Folder(suffix) as folder:
        try:
            folder.write(cells, encoding)
        except (UnicodeEncodeError, ValueError):  # a cell latin-1 or a workbook cannot hold
            folder.write(cells, "utf-8")
        run = stationplan("validate", str(folder.yaml), "--lang", "en")
        obeys_exit_contract(run, folder.table.name, "mini.yaml")
        counts = [(col, text) for col, text in changed if col in COUNTS]
        if any(reference_count(text, col) is None for col, text in counts):
            assert run.code == 2, (counts, run.out)
        if run.code == 0 and counts and len(counts) == len(changed):
            loaded = read_back(folder)
            for col, text in counts:
                held = {int(row[col]) for row in loaded}
                assert reference_count(text, col) in held, (col, text, held)


@FUZZ
@given(
    table=tables(),
    at=st.integers(0, 10**6),
    junk=st.binary(max_size=16),
    cut=st.integers(0, 16),
    bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]),
)
def test_table_bytes_mutated(table, at, junk, cut, bom):
    rows, columns = table
    text = csv_text([list(columns)] + [[str(row[c]) for c in columns] for row in rows])
    data = text.encode("utf-8")
    at %= len(data) + 1
    with Folder() as folder:
        folder.table.write_bytes(bom + data[:at] + junk + data[at + cut :])
        run = stationplan("validate", str(folder.yaml))
        obeys_exit_contract(run, folder.table.name, "mini.yaml")
