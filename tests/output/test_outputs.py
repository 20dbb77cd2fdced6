"""Outputs a planner can act on: township names and counties in every table, plan.xlsx in
Chinese with sheets per purpose and numbers for people, whole hires, a report in every folder."""

from __future__ import annotations

import math
import re

import openpyxl
import pandas as pd
import pytest
import yaml

from model.cli.commands import main
from model.output.i18n import TEXT, t
from model.output.runfolder import COLUMN_DOCS, whole_hires

FAST = ["--set", "simulation.replications=2", "--set", "simulation.rounds=1"]


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    from conftest import Case

    case = Case(tmp_path_factory.mktemp("outputs"))
    out = case.folder / "res"
    assert main(["run", str(case.yaml), *FAST, "--out", str(out)]) == 0
    return (out / "mini" / "latest").resolve()


def _csv(folder, name):
    return pd.read_csv(folder / name, encoding="utf-8-sig", dtype={"township_id": str, "key": str})


@pytest.mark.parametrize(
    "name",
    [
        "plan.csv",
        "service.csv",
        "changes.csv",
        "simulation.csv",
        "simulation_reach.csv",
        "on_time_table.csv",
        "service_check.csv",
    ],
)
def test_every_township_table_names_the_township_and_its_county(run_folder, name):
    frame = _csv(run_folder, name)
    towns = _csv(run_folder, "townships.csv").set_index("township_id")
    assert {"township_id", "name", "county"} <= set(frame.columns)
    if name != "changes.csv":  # changes.csv reads county, name, id
        at = list(frame.columns).index("township_id")
        assert list(frame.columns[at : at + 3]) == ["township_id", "name", "county"]
    for r in frame.itertuples():
        assert (r.name, r.county) == (
            towns.loc[r.township_id, "name"],
            towns.loc[r.township_id, "county"],
        )


def test_equity_names_the_townships_among_its_keys(run_folder):
    equity = _csv(run_folder, "equity.csv")
    lowest = equity[equity["measure"] == "lowest_served_share"]
    assert len(lowest) and lowest["name"].notna().all() and lowest["county"].notna().all()
    by_county = equity[equity["measure"] == "served_share_by_county"]
    assert by_county["name"].isna().all()  # keys that are counties are not townships


def test_county_totals_add_up_to_the_summary(run_folder):
    totals = _csv(run_folder, "county_totals.csv")
    summary = _csv(run_folder, "summary.csv").set_index("year")
    region = totals[totals["county"] == t("wb.total", "zh")].set_index("year")
    assert set(totals["county"]) == {"东山县", "西河县", "合计"}
    for col in ("stations", "workers", "workers_junior"):
        assert (region[col] == summary.loc[region.index, col]).all(), col
    assert region["spend_total"].round(1).tolist() == summary["spend_total"].round(1).tolist()
    counties = totals[totals["county"] != "合计"]
    assert (counties.groupby("year")["townships"].sum() == 3).all()
    assert ((counties["served_share"] >= 0) & (counties["served_share"] <= 1)).all()


def test_the_workbook_has_a_chinese_sheet_for_each_purpose(run_folder):
    sheets = pd.read_excel(run_folder / "plan.xlsx", sheet_name=None)
    for stem in ("plan", "county_totals", "summary", "hires", "service", "simulation", "targets"):
        assert t(f"sheet.{stem}", "zh") in sheets, stem
    for stem in ("limits", "changes", "equity", "columns"):
        assert t(f"sheet.{stem}", "zh") in sheets, stem
    assert list(sheets)[:2] == ["规划方案", "各县汇总"]
    plan = sheets["规划方案"]
    assert list(plan.columns[:4]) == ["乡镇代码", "乡镇名称", "县区", "年份"]
    assert "总支出（万元）" in sheets["各县汇总"].columns
    assert "服务需求满足率" in sheets["各县汇总"].columns
    assert "低保对象（人）" in sheets["各县现状"].columns  # a group by its label
    assert "service_level_low" not in " ".join(sheets["模拟"].columns)  # means only
    # every header of the plan's sheets is a label, not a CSV column name
    for name in ("规划方案", "各县汇总", "年度汇总", "招聘", "服务", "模拟", "目标", "约束"):
        raw = [c for c in sheets[name].columns if c in COLUMN_DOCS]
        assert raw == [], (name, raw)


def test_the_workbook_shows_whole_hires_and_says_the_csv_keeps_the_expected_value(run_folder):
    csv = _csv(run_folder, "hires.csv")
    sheets = pd.read_excel(run_folder / "plan.xlsx", sheet_name=None)
    hires = sheets["招聘"]["招聘人数（人）"]
    assert (hires == hires.round()).all()
    assert hires.tolist() == [math.floor(round(h, 6) + 0.5) for h in csv["hires"]]
    assert set(sheets["招聘"]["等级"]) <= {t(f"grade.{g}", "zh") for g in csv["grade"]}
    yearly = sheets["年度汇总"].set_index("年份")["招聘人数（人）"]
    assert yearly.tolist() == hires.groupby(sheets["招聘"]["年份"]).sum().tolist()
    defs = sheets["列说明"].set_index("CSV 列名")
    assert "hires.csv" in defs.loc["hires", "含义"] and "整人" in defs.loc["hires", "含义"]


def test_the_columns_sheet_of_a_chinese_workbook_is_chinese(run_folder):
    """Every column the workbook shows has a meaning in Chinese (English only in brackets:
    column names, settings, file names) and its unit in Chinese; the groups by their label."""
    defs = pd.read_excel(run_folder / "plan.xlsx", sheet_name="列说明", dtype=str).fillna("")
    assert list(defs.columns) == ["表头", "CSV 列名", "含义", "单位"]
    for r in defs.itertuples(index=False):
        column, meaning, unit = r[1], r[2], r[3]
        assert meaning and re.search(r"[\u4e00-\u9fff]", meaning), (column, meaning)
        bare = re.sub(r"（[^）]*）|\([^)]*\)", "", meaning)
        assert not re.search(r"[A-Za-z]{2,}\s+[a-z]{2,}", bare), (column, meaning)
        assert not re.search(r"[A-Za-z]{2,}", unit), (column, unit)
    meanings = defs.set_index("CSV 列名")["含义"]
    assert "低保对象" in meanings["dibao"]  # a group the scenario adds, by its label
    assert meanings["served_share"].startswith("已服务小时 ÷ 服务需求小时")


def test_the_report_summary_shows_whole_hires(run_folder):
    from model.output.report import whole_hires_summary

    summary = _csv(run_folder, "summary.csv")
    shown = whole_hires_summary(summary, _csv(run_folder, "hires.csv"))
    assert shown["hires"].dtype.kind == "i"


def test_numbers_are_formatted_for_people(run_folder):
    book = openpyxl.load_workbook(run_folder / "plan.xlsx")
    ws = book["各县汇总"]
    formats = {c.value: ws.cell(row=2, column=c.column).number_format for c in ws[1]}
    assert formats["覆盖率"] == "0.0%" and formats["服务需求满足率"] == "0.0%"
    assert formats["年份"] == "0" and formats["总支出（万元）"].startswith("#,##0")
    assert formats["社工总数（人）"] == "#,##0"
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2, max_row=3):
            for cell in row:
                assert "E" not in cell.number_format, (ws.title, cell.number_format)
                if isinstance(cell.value, float):
                    assert cell.number_format != "General", (
                        ws.title,
                        ws.cell(1, cell.column).value,
                    )
    assert isinstance(book["规划方案"]["A2"].value, str)  # township codes are text


def test_the_report_says_which_year_its_served_share_is(run_folder):
    page = (run_folder / "report.html").read_text(encoding="utf-8")
    assert "2026 服务需求满足率" in page and "2025–2026 支出合计" in page
    assert "e+0" not in page.split("<h2>")[-1]  # tables without scientific notation


def test_round_half_up_per_county_year_grade():
    hires = pd.DataFrame({"county": list("abcde"), "hires": [0.5, 1.49, 2.5, 0.4999999999, 3.0]})
    assert whole_hires(hires)["hires"].tolist() == [1, 1, 3, 1, 3]


def test_report_numbers_have_no_scientific_notation():
    from model.output.report import number

    assert number(1789000.0) == "1,789,000" and number(1789000.4) == "1,789,000"
    assert number(0.123456) == "0.1235" and number(12.3456) == "12.35"
    assert number(float("nan")) == "–"


@pytest.mark.slow
def test_an_english_scenario_gets_an_english_workbook(tmp_path):
    from conftest import Case, mini_scenario

    case = Case(tmp_path)
    case.write(mini_scenario() | {"report": {"language": "en"}})
    out = tmp_path / "res"
    assert main(["optimize", str(case.yaml), "--out", str(out)]) == 0
    sheets = pd.read_excel(out / "mini" / "latest" / "plan.xlsx", sheet_name=None)
    assert {"plan", "county totals", "hires", "columns"} <= set(sheets)
    assert list(sheets["plan"].columns[:3]) == ["township id", "township", "county"]
    assert "total" in set(sheets["county totals"]["county"])
    defs = sheets["columns"].set_index("CSV column")
    assert defs.loc["served_share", "meaning"] == "served_hours / client_hours"
    assert defs.loc["served_share", "unit"] == "share 0–1"


def test_every_sheet_and_column_label_has_both_languages():
    for key in (k for k in TEXT if k.split(".")[0] in ("sheet", "col", "unit", "wb")):
        assert set(TEXT[key]) == {"zh", "en"}, key
    assert all(
        len(t(k, lang)) <= 31 for k in TEXT if k.startswith("sheet.") for lang in "zh en".split()
    )


@pytest.mark.slow
def test_min_cost_folders_have_a_report(case, tmp_path):
    out = tmp_path / "res"
    assert main(["optimize", str(case.yaml), "--set", "objective=min_cost", "--out", str(out)]) == 0
    assert (out / "mini" / "latest" / "report.html").exists()
    assert main(["mincost", str(case.yaml), "--out", str(out)]) == 0
    folder = (out / "mini" / "mincost" / "latest").resolve()
    assert {"report.html", "plan.xlsx", "townships.csv", "county_totals.csv"} <= {
        p.name for p in folder.iterdir()
    }
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert t("report.least", "zh") in page
    assert "budget_gap" not in pd.read_excel(folder / "plan.xlsx", sheet_name=None)
    assert "预算缺口" in pd.read_excel(folder / "plan.xlsx", sheet_name=None)


def test_sweep_and_compare_folders_have_a_report_with_labels_that_say_what_they_are(case, tmp_path):
    out = tmp_path / "res"
    fast = ["--no-simulate", "--scheduler", "serial", "--out", str(out)]
    assert main(["sweep", str(case.yaml), "--budgets", "0.5:1:2", *fast]) == 0
    sweep = (out / "mini" / "sweep" / "latest").resolve()
    page = (sweep / "report.html").read_text(encoding="utf-8")
    assert "2025–2026 平均服务需求满足率" in page
    frontier = pd.read_excel(sweep / "sweep.xlsx", sheet_name="资金水平")
    assert "2025–2026 平均服务需求满足率" in frontier.columns
    assert "2025–2026 支出合计（万元）" in frontier.columns
    assert "2025–2026 可完成服务时长合计（小时）" in frontier.columns
    assert not [c for c in frontier.columns if "/年" in c]  # sums are not per year
    other = case.folder / "other.yaml"
    other.write_text(
        yaml.safe_dump({**yaml.safe_load(case.yaml.read_text(encoding="utf-8")), "name": "other"}),
        encoding="utf-8",
    )
    assert main(["compare", str(case.yaml), str(other), *fast]) == 0
    compare = (out / "compare" / "latest").resolve()
    page = (compare / "report.html").read_text(encoding="utf-8")
    assert "other · 2026年" in page and "方案比较" in page
