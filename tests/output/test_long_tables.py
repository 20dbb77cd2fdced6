"""A table longer than a workbook sheet should hold (a national run's service table) stays in its
CSV, and the workbook's columns sheet says so."""

from __future__ import annotations

import pandas as pd

from model.output import runfolder


def test_a_table_too_long_for_a_sheet_is_left_to_its_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(runfolder, "SHEET_ROWS_MAX", 5)
    with runfolder.RunFolder(tmp_path, "x") as run:
        run.table("service", pd.DataFrame({"year": range(10)}))
        run.table("summary", pd.DataFrame({"year": range(3)}))
        book = run.workbook("plan.xlsx")
        sheets = pd.read_excel(book, sheet_name=None)
        assert (run.path("service.csv")).exists()
        assert len(pd.read_csv(run.path("service.csv"))) == 10
    assert "年度汇总" in sheets and len(sheets) == 2  # the summary and the columns sheet
    columns = sheets["列说明"]
    assert columns["含义"].str.contains("service.csv 有 10 行").any()
