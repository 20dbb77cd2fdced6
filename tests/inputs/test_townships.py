"""Township tables: encodings Excel writes, XLSX, optional columns, Chinese names end to end."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import MINI_TABLE

from model import load_scenario, read_townships
from model.cli.commands import main

GROUPS = ["dibao", "tekun"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_read_the_same(tmp_path, encoding):
    path = tmp_path / "t.csv"
    path.write_bytes(MINI_TABLE.encode(encoding))
    table = read_townships(path, GROUPS)
    assert list(table["name"]) == ["红旗镇", "新华街道", "安居街道"]
    assert list(table["county"]) == ["东山县", "东山县", "西河县"]
    assert table.columns[0] == "township_id"  # no BOM glued to the first header
    assert table["population"].dtype == "int64"


def test_gbk_and_utf8_give_identical_tables(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_bytes(MINI_TABLE.encode("utf-8-sig"))
    b.write_bytes(MINI_TABLE.encode("gbk"))
    pd.testing.assert_frame_equal(read_townships(a, GROUPS), read_townships(b, GROUPS))


def test_xlsx_reads_like_csv(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text(MINI_TABLE, encoding="utf-8")
    from_csv = read_townships(csv, GROUPS)
    xlsx = tmp_path / "t.xlsx"
    raw = pd.read_csv(csv)  # numbers stored as numbers in the workbook
    raw.to_excel(xlsx, index=False, sheet_name="乡镇")
    pd.testing.assert_frame_equal(read_townships(xlsx, GROUPS), from_csv)


def test_optional_columns_default_and_extra_columns_kept(tmp_path):
    text = MINI_TABLE.replace("workers_uncertified\n", "workers_uncertified,备注,wage_index\n")
    lines = text.splitlines()
    lines[1] += ",试点,1.1"
    lines[2] += ",,0.9"
    lines[3] += ",新建,1.0"
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_townships(path, GROUPS)
    assert table["wage_index"].tolist() == [1.1, 0.9, 1.0]
    assert table["remoteness"].tolist() == [0.0, 0.0, 0.0] and table["care_beds"].tolist() == [
        0,
        0,
        0,
    ]
    assert table["备注"].tolist() == ["试点", "", "新建"]
    assert list(table.columns[-1:]) == ["备注"]


def test_whole_numbers_written_as_decimals_are_accepted(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(MINI_TABLE.replace("20000,4000", "20000.0,4000.0"), encoding="utf-8")
    assert read_townships(path, GROUPS)["population"].iloc[0] == 20000


@pytest.mark.slow
def test_chinese_names_survive_a_run(case, tmp_path):
    case.table(MINI_TABLE, encoding="gbk")
    assert main(["run", str(case.yaml), "--out", str(tmp_path / "out")]) == 0
    out = pd.read_csv(tmp_path / "out" / "mini" / "latest" / "townships.csv", encoding="utf-8-sig")
    assert list(out["name"]) == ["红旗镇", "新华街道", "安居街道"]
    assert "东山县" in (tmp_path / "out" / "mini" / "latest" / "region_counties.csv").read_text(
        encoding="utf-8-sig"
    )
    again = load_scenario(tmp_path / "out" / "mini" / "latest" / "scenario.resolved.yaml")
    assert list(again.townships["name"]) == ["红旗镇", "新华街道", "安居街道"]
