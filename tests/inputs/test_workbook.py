"""A workbook as a scenario: the template, filled in, reads back as a valid scenario that
optimizes; errors name the sheet and the cell; an existing file is never replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from model import InputError, load_scenario, optimize
from model.cli.commands import main
from model.inputs.workbook import SHEETS

ROWS = [  # 乡镇表: required columns, then the nine groups of base.yaml (labels), then beds
    ["T1", "红旗镇", "东山县", "乡镇", "23,456", 4000, "是", 1, 1]
    + [1200, 150, 300, 100, 200, 150, 300, 200, 0, 40],
    ["T2", "新华街道", "东山县", "街道", "40，000", 6000, "否", 0, 0]
    + [300, 10, 100, 50, 300, 50, 300, 300, 0, ""],
    ["T3", "安居社区", "西河县", "安置区", 15000, 1500, 0, 0, 0]
    + [1500, 80, 200, 100, 100, 100, 150, 100, 900, 0],
]


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "my_county.xlsx"
    assert main(["template", str(path), "--start", "2025"]) == 0
    return path


def fill(path: Path, budgets=(60, "80", 100), rows=ROWS, targets=()) -> Path:
    """Fill the template's budgets, targets and township rows in place."""
    book = load_workbook(path)
    for r, money in enumerate(budgets, start=2):
        book["年度预算"].cell(r, 2, money)
    for row in targets:
        book["目标"].append(list(row))
    for row in rows:
        book["乡镇表"].append(list(row))
    book.save(path)
    return path


def test_template_has_its_sheets_validation_and_comments(template):
    book = load_workbook(template)
    assert tuple(book.sheetnames) == SHEETS
    basics = book["基本设置"]
    keys = {basics.cell(r, 5).value: r for r in range(2, basics.max_row + 1)}
    assert basics.cell(keys["name"], 2).value == "my_county"
    objective = basics.cell(keys["objective"], 2)
    assert objective.value == "max_service" and "min_cost" in objective.comment.text
    lists = [dv.formula1 for dv in basics.data_validations.dataValidation if dv.type == "list"]
    assert any("max_on_time" in f for f in lists)
    costs = book["成本"]
    salary = {costs.cell(r, 5).value: costs.cell(r, 2).value for r in range(2, costs.max_row + 1)}
    assert salary["costs.salary.junior"] == 5.5  # base.yaml's value
    assert "万元" in costs.cell(2, 3).value
    header = [c.value for c in book["乡镇表"][1]]
    assert header[:5] == ["乡镇代码", "乡镇名称", "县区", "类型", "人口"] and "低保对象" in header
    assert [c.value for c in book["年度预算"]["A"][1:]] == [2025, 2026, 2027]
    assert "万元" in book["年度预算"]["B1"].comment.text
    assert "万元" in book["说明"]["A7"].value


def test_template_refuses_to_replace_a_file(template, capsys):
    before = template.read_bytes()
    assert main(["template", str(template)]) == 2
    assert "文件已存在" in capsys.readouterr().err
    assert template.read_bytes() == before


def test_filled_template_round_trips_and_optimizes(template, tmp_path):
    fill(template, targets=[("覆盖率", 2027, 1), ("分组服务满足率", 2027, 0.5, "低保对象")])
    sc = load_scenario(template)
    assert sc.name == "my_county" and sc.years == [2025, 2026, 2027]
    assert sc.budget == {2025: 60.0, 2026: 80.0, 2027: 100.0}
    assert sc.targets.coverage == {2027: 1.0} and sc.targets.served_share == {"dibao": {2027: 0.5}}
    assert sc.costs.salary.junior == 5.5 and len(sc.groups) == 9  # from base.yaml
    assert sc.description == ""  # not base.yaml's "do not run it"
    t = sc.townships
    assert t["population"].tolist() == [23456, 40000, 15000]
    assert t["kind"].tolist() == ["rural", "urban", "relocation"]
    assert t["has_station"].tolist() == [1, 0, 0]
    assert t["care_beds"].tolist() == [40, 0, 0]
    assert "wage_index" in t and "travel_minutes" not in t  # empty optional columns: defaults
    result = optimize(sc)
    assert result.solver.status == "Optimal"
    assert result.summary["coverage"].iloc[-1] == 1.0  # the target of 目标
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(sc.resolved_yaml(), encoding="utf-8")
    sc.townships.to_csv(tmp_path / "townships.csv", index=False)
    again = load_scenario(resolved)  # what a run folder keeps reads back the same
    assert again.settings_dict() == sc.settings_dict() | {"region": again.settings_dict()["region"]}


def test_a_bad_cell_is_named_by_sheet_and_cell(template, capsys):
    fill(template, budgets=(60, "三百", 100))
    with pytest.raises(InputError) as err:
        load_scenario(template)
    assert err.value.message == (
        f"{err.value.source.split(',')[0]}, sheet 年度预算, cell B3: budget.2026: "
        "expected a number ≥ 0 in 万元/year, got '三百'"
    )
    assert main(["validate", str(template)]) == 2
    assert "工作表 年度预算，单元格 B3" in capsys.readouterr().err


def test_a_bad_township_cell_and_setting_are_named(template, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "六千"
    fill(template, rows=rows)
    with pytest.raises(InputError, match=r"sheet 乡镇表: cell F3 \(township T2, column 60岁"):
        load_scenario(template)
    other = tmp_path / "b.xlsx"
    shutil.copy(template, other)
    book = load_workbook(other)
    book["乡镇表"]["F3"] = 6000
    book["基本设置"]["B9"] = "max_servise"  # objective
    book.save(other)
    with pytest.raises(InputError, match=r"sheet 基本设置, cell B9: objective: .*'max_service'"):
        load_scenario(other)


def test_missing_budgets_and_unknown_targets_point_at_their_sheet(template):
    fill(template, budgets=(60,), targets=[("全覆盖", 2027, 1)])
    with pytest.raises(InputError, match=r"sheet 目标, cell A2: target: expected one of 覆盖率"):
        load_scenario(template)
    book = load_workbook(template)
    book["目标"].delete_rows(2)
    book.save(template)
    with pytest.raises(InputError, match=r"sheet 年度预算: budget: no budget for 2026, 2027"):
        load_scenario(template)


def test_a_group_column_left_out_drops_the_group(template):
    book = load_workbook(template)
    book["乡镇表"].delete_cols(18)  # 易地搬迁群众 (relocated)
    book.save(template)
    fill(template, rows=[r[:17] + r[18:] for r in ROWS])
    sc = load_scenario(template)
    assert "relocated" not in sc.groups and len(sc.groups) == 8


def test_a_budget_typed_in_yuan_is_refused_in_the_workbook(template):
    fill(template, budgets=(60, 3_000_000, 100))
    with pytest.raises(InputError) as err:
        load_scenario(template)
    assert (
        "cell B3: budget.2026: 3,000,000 万元 for 3 townships is 1,000,000 万元 per township"
        in (err.value.message)
    )
    assert "was it typed in 元? 3,000,000 元 = 300 万元" in err.value.message


def _set_basic(path: Path, values: dict[str, object]) -> None:
    """Fill 基本设置's value cells (column B) of the given keys (column E)."""
    book = load_workbook(path)
    ws = book["基本设置"]
    rows = {ws.cell(r, 5).value: r for r in range(2, ws.max_row + 1)}
    for key, value in values.items():
        ws.cell(rows[key], 2).value = value
    book.save(path)


def test_template_lists_travel_access_minutes_and_catchments(template):
    ws = load_workbook(template)["基本设置"]
    rows = {ws.cell(r, 5).value: r for r in range(2, ws.max_row + 1)}
    assert {"region.travel", "access.minutes", "catchment.max_minutes"} <= set(rows)
    assert ws.cell(rows["region.travel"], 2).value is None  # no travel times unless given
    assert ws.cell(rows["catchment.max_minutes"], 2).value is None  # catchments off
    assert ws.cell(rows["access.minutes"], 2).value == 30  # base.yaml's
    assert ws.cell(rows["access.minutes"], 3).value == "分钟"
    assert ws.cell(rows["objective"], 1).row == 9  # rows before the new ones stay where they were


def test_workbook_reads_travel_access_minutes_and_catchments(template, tmp_path):
    fill(template)
    (tmp_path / "travel.csv").write_text("from,to,minutes\nT1,T2,20\nT2,T3,40\n", encoding="utf-8")
    _set_basic(
        template,
        {"region.travel": "travel.csv", "access.minutes": 45, "catchment.max_minutes": "25"},
    )
    sc = load_scenario(template)
    assert sc.region.travel == str(tmp_path / "travel.csv")  # relative to the workbook
    assert sc.travel is not None and sc.travel.loc["T1", "T2"] == 20
    assert sc.access.minutes == 45.0 and sc.catchment.max_minutes == 25.0
    assert sc.region.townships == str(template.resolve())  # the table is still the 乡镇表

    _set_basic(template, {"region.travel": "synthetic", "catchment.max_minutes": None})
    sc = load_scenario(template)
    assert sc.region.travel == "synthetic" and sc.travel is not None
    assert sc.catchment.max_minutes is None


def test_catchments_without_travel_are_an_error_naming_the_setting(template):
    fill(template)
    _set_basic(template, {"catchment.max_minutes": 30})
    with pytest.raises(InputError, match="region.travel"):
        load_scenario(template)


def _funding_rows(path: Path, rows: list[list]) -> None:
    book = load_workbook(path)
    for row in rows:
        book["资金来源"].append(row)
    book.save(path)


def test_funding_sources_come_from_the_funding_sheet_and_pay_the_plan(template):
    fill(template, budgets=(200, 200, 200))
    header = [c.value for c in load_workbook(template)["资金来源"][1]]
    assert header[:2] == ["来源代码", "名称"] and header[-3:] == [2025, 2026, 2027]
    _funding_rows(
        template,
        [
            ["county", "县级财政", "", "", "", "", "", "否", 50, 55, 60],
            ["lottery", "彩票公益金", "运营、培训", "社工站", "东山县", "", 2, "是", 20, None, 5],
        ],
    )
    sc = load_scenario(template)
    lottery = sc.funding["lottery"]
    assert lottery.label == "彩票公益金" and lottery.pays == ["running", "training"]
    assert lottery.levels == ["station"] and lottery.counties == ["东山县"]
    assert lottery.per_new_station == 2 and lottery.carry_over is True
    assert lottery.amount == {2025: 20.0, 2027: 5.0}
    assert sc.funding["county"].pays == list(sc.funding["county"].pays)  # every category
    assert len(sc.funding["county"].pays) == 6 and sc.funding["county"].carry_over is False
    result = optimize(sc, estimate_gap=False, worth=False)
    used = result.funding[result.funding["category"] != "total"]
    assert set(used.loc[used["source"] == "lottery", "category"]) <= {"running", "training"}


def test_a_bad_funding_cell_is_named_by_sheet_and_cell(template):
    fill(template)
    _funding_rows(template, [["lottery", "彩票公益金", "运营、房租"]])
    with pytest.raises(InputError) as err:
        load_scenario(template)
    assert "资金来源" in str(err.value) and "C2" in str(err.value) and "房租" in str(err.value)
    fill_again = load_workbook(template)
    fill_again["资金来源"]["C2"] = "运营、薪酬"
    fill_again["资金来源"]["E2"] = "北山县"
    fill_again.save(template)
    with pytest.raises(InputError, match="北山县"):
        load_scenario(template)


def test_a_sector_target_in_the_targets_sheet_is_the_sectors_own(template, tmp_path):
    base = Path(__file__).resolve().parents[2] / "scenarios" / "base.yaml"
    (tmp_path / "with_sectors.yaml").write_text(
        f"extends: {base}\n"
        "sectors:\n"
        "  elderly_care: {label: 养老机构, driver: care_beds, per: 10, cost: 2.0}\n",
        encoding="utf-8",
    )
    _set_basic(template, {"extends": "with_sectors.yaml"})
    fill(template, targets=[("行业社工岗位", 2027, 0.5, "养老机构")])
    sc = load_scenario(template)
    assert sc.sectors["elderly_care"].target == {2027: 0.5}
    book = load_workbook(template)
    book["目标"]["D2"] = "医院"
    book.save(template)
    with pytest.raises(InputError) as err:
        load_scenario(template)
    assert "目标" in str(err.value) and "D2" in str(err.value) and "养老机构" in str(err.value)
