"""Funding sources for planners: a run with a funding section writes funding.csv, a 资金来源
sheet, a report section with a table and figures/funding.png (Chinese; English on the switch);
a run without sources writes none of these."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import mini_scenario

from model import load_scenario
from model.output import figures as plots
from model.output.run import run_scenario

FUNDING = {
    "lottery": {
        "label": "彩票公益金",
        "amount": {2025: 30, 2026: 30},
        "pays": ["setup", "running"],
        "carry_over": True,
    },
    "county": {"label": "县级财政", "amount": {2025: 80, 2026: 100}},
}


def run(case, tmp_path, *overrides: str, funding: dict | None = FUNDING):
    data = mini_scenario()
    if funding:
        data["funding"] = funding
    case.write(data)
    sc = load_scenario(case.yaml, list(overrides))
    return run_scenario(sc, tmp_path / "results", stages=("optimize",), progress=False)


def test_a_run_with_sources_writes_funding_a_sheet_and_a_report_section(case, tmp_path):
    folder = run(case, tmp_path).folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["check"] == {"passed": True, "problems": []}  # the funding checked too
    table = pd.read_csv(folder / "funding.csv", encoding="utf-8-sig", keep_default_na=False)
    assert table.columns.tolist() == [
        "source",
        "label",
        "year",
        "level",
        "county",
        "category",
        "used",
        "available",
        "unused",
        "carried_in",
        "carried_out",
    ]
    lottery = table[(table["source"] == "lottery") & (table["category"] != "total")]
    assert set(lottery["category"]) <= {"setup", "running"}
    totals = table[table["category"] == "total"]
    assert len(totals) == 4
    lot = totals[totals["source"] == "lottery"].set_index("year")
    lot = lot.astype({c: float for c in ("used", "carried_out", "carried_in", "unused")})
    assert lot.loc[2025, "carried_out"] == pytest.approx(30 - lot.loc[2025, "used"])  # carried
    assert lot.loc[2025, "unused"] == 0 and lot.loc[2026, "carried_in"] > 0
    book = pd.ExcelFile(folder / "plan.xlsx")
    assert "资金来源" in book.sheet_names
    sheet = pd.read_excel(book, "资金来源")
    for head in ("资金来源", "资金来源名称", "支出类别", "使用金额", "可用资金", "结转下年"):
        assert any(str(c).startswith(head) for c in sheet.columns), head
    defs = pd.read_excel(book, "列说明").set_index("CSV 列名")["含义"]
    assert "carried_out" in defs.index
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<h2>资金来源</h2>" in page and "各资金来源逐年使用情况" in page
    assert "彩票公益金" in page and "个资金来源在规划期内共有" in page
    assert (folder / "figures" / "funding.png").exists()


def test_the_report_says_funding_in_english_on_the_switch(case, tmp_path):
    folder = run(case, tmp_path, "report.language=en").folder
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<h2>Funding sources</h2>" in page and "Funding sources by year" in page
    assert "2 funding sources have" in page


def test_a_run_without_sources_writes_none(case, tmp_path):
    folder = run(case, tmp_path, funding=None).folder
    assert not (folder / "funding.csv").exists()
    assert "资金来源" not in pd.ExcelFile(folder / "plan.xlsx").sheet_names
    assert "<h2>资金来源</h2>" not in (folder / "report.html").read_text(encoding="utf-8")
    assert not (folder / "figures" / "funding.png").exists()


@pytest.mark.parametrize(("lang", "title"), [("zh", "各资金来源"), ("en", "Money used by source")])
def test_the_funding_figure_stacks_money_used_and_marks_money_available(lang, title):
    rows = []
    for source, label, used, have in (("a", "甲", (5, 6), (8, 8)), ("b", "", (3, 2), (3, 4))):
        for k, year in enumerate((2025, 2026)):
            rows.append(
                {"source": source, "label": label, "year": year, "level": "station"}
                | {"county": "一县", "category": "salary", "used": used[k]}
            )
            rows.append(
                {"source": source, "label": label, "year": year, "level": "", "county": ""}
                | {"category": "total", "used": used[k], "available": have[k]}
                | {"unused": have[k] - used[k], "carried_in": 0.0, "carried_out": 0.0}
            )
    fig = plots.funding_figure(pd.DataFrame(rows), lang)
    ax = fig.axes[0]
    assert ax.get_title().startswith(title)
    heights = [p.get_height() for p in ax.patches]
    assert heights == [5, 6, 3, 2]
    texts = [t.get_text() for t in ax.get_legend().texts]
    assert "甲" in texts and "b" in texts
