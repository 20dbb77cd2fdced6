"""Township tables: encodings Excel writes, XLSX, optional columns, Chinese names end to end."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import MINI_TABLE, mini_scenario

from model import InputError, load_scenario, read_townships
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


CHINESE_HEADER = "乡镇代码,乡镇名称,县区,类型,人口（人）,60岁及以上人口,低保对象,特困人员,是否有站点,持证社工人数,未持证社工人数\n"  # noqa: E501


def test_chinese_headers_kinds_and_thousands_separators_read_like_english(tmp_path):
    english = tmp_path / "en.csv"
    english.write_text(MINI_TABLE, encoding="utf-8")
    rows = MINI_TABLE.splitlines()[1:]
    rows[0] = (
        rows[0].replace("rural,20000,4000", '乡镇,"20,000","4,000"').replace(",1,1,1", ",是,1,1")
    )
    rows[1] = rows[1].replace("urban,40000", "街道,40，000").replace(",0,0,0", ",否,0,0")
    rows[2] = rows[2].replace("relocation,15000", "安置区,15000")
    chinese = tmp_path / "zh.csv"
    chinese.write_bytes((CHINESE_HEADER + "\n".join(rows) + "\n").encode("gbk"))
    labels = {"dibao": "低保对象", "tekun": "特困人员"}
    pd.testing.assert_frame_equal(
        read_townships(chinese, GROUPS, labels), read_townships(english, GROUPS)
    )


def test_a_decimal_comma_is_not_a_thousands_separator(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(MINI_TABLE.replace("20000,4000", '20000,"4,00"'), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"column elderly: expected a whole number ≥ 0, got '4,00'"
    ):
        read_townships(path, GROUPS)


def test_a_missing_column_names_its_chinese_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(CHINESE_HEADER.replace("县区,", "") + "T1,红旗镇,乡镇,1,1,1,1,0,0,0\n")
    with pytest.raises(InputError, match=r"missing column\(s\) 'county'.*\(or in Chinese: .*县区"):
        read_townships(path, GROUPS)


def test_xlsx_errors_name_the_cell(tmp_path):
    raw = pd.read_csv(io.StringIO(MINI_TABLE)).astype(object)
    raw.loc[1, "population"] = "四万"
    path = tmp_path / "t.xlsx"
    raw.to_excel(path, index=False, sheet_name="乡镇表")
    with pytest.raises(InputError) as err:
        read_townships(path, GROUPS)
    assert err.value.message.endswith(
        "t.xlsx, sheet 乡镇表: cell E3 (township T2, column population): "
        "expected a whole number ≥ 0, got '四万'"
    )


def test_a_budget_typed_in_yuan_suggests_the_unit(case):
    data = mini_scenario() | {"budget": {2025: 3_000_000, 2026: 120}}
    case.write(data)
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    assert err.value.message == (
        "mini.yaml: budget.2025: 3,000,000 万元 for 3 townships is 1,000,000 万元 per township — "
        "was it typed in 元? 3,000,000 元 = 300 万元 (the budget is in 万元, 10,000 yuan; at most "
        "1,000 万元 per township-year is taken as plausible)"
    ).replace("mini.yaml", err.value.source)


def test_a_budget_typed_in_yi_yuan_suggests_the_unit(case):
    case.write(mini_scenario() | {"budget": {2025: 0.03, 2026: 0.04}})
    with pytest.raises(InputError, match=r"0\.07 万元 in all .* 亿元\? 0\.07 亿元 = 700 万元"):
        load_scenario(case.yaml)


def test_a_plausible_budget_passes(case):
    case.write(mini_scenario() | {"budget": {2025: 2999, 2026: 1}})  # ≤ 1,000 per township
    assert load_scenario(case.yaml).budget[2025] == 2999
