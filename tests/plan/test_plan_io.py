"""read_plan keeps a plan's catchment columns (served_by, catchment_hours) when the file has
them, and reads plans written before catchments as they are."""

from __future__ import annotations

import pandas as pd

from model import load_scenario, read_plan
from model.vocabulary import WORKER_COLUMNS


def plan_rows() -> pd.DataFrame:
    rows = [
        {"township_id": tid, "year": year, "station": int(tid != "T2")}
        | {c: int(tid != "T2") for c in WORKER_COLUMNS}
        for year in (2025, 2026)
        for tid in ("T1", "T2", "T3")
    ]
    return pd.DataFrame(rows)


def test_read_plan_keeps_served_by_and_catchment_hours(case, tmp_path):
    sc = load_scenario(case.yaml, ["region.travel=synthetic"])  # catchments need travel times
    plan = plan_rows().assign(client_hours=100.0, served_hours=90.0)
    plan["served_by"] = ["", "T1", "", "", "T1", ""]
    plan["catchment_hours"] = [12.5, 0, 0, 13.0, 0, 0]
    path = tmp_path / "plan.csv"
    plan.to_csv(path, index=False, encoding="utf-8-sig")
    back = read_plan(path, sc)
    assert back["served_by"].tolist() == ["", "T1", "", "", "T1", ""]  # empty cells: ""
    assert back["served_by"].map(type).eq(str).all()
    assert back["catchment_hours"].tolist() == [12.5, 0, 0, 13.0, 0, 0]
    assert back["catchment_hours"].dtype == float

    # ids that look like numbers stay text; empty hours are 0
    case.table(case.csv.read_text(encoding="utf-8").replace("T1,", "1,"))
    sc = load_scenario(case.yaml, ["region.travel=synthetic"])
    numeric = plan.assign(
        township_id=plan["township_id"].replace("T1", "1"),
        served_by=["", "1", "", "", "1", ""],
        catchment_hours="",
    )
    numeric.to_csv(path, index=False, encoding="utf-8-sig")
    back = read_plan(path, sc)
    assert back["served_by"].tolist() == ["", "1", "", "", "1", ""]
    assert back["township_id"].tolist()[0] == "1"
    assert back["catchment_hours"].tolist() == [0.0] * 6


def test_read_plan_of_a_plan_written_before_catchments(case, tmp_path):
    sc = load_scenario(case.yaml)
    path = tmp_path / "plan.csv"
    plan_rows().to_csv(path, index=False, encoding="utf-8-sig")
    back = read_plan(path, sc)
    assert "served_by" not in back.columns and "catchment_hours" not in back.columns
    assert back["station"].tolist() == [1, 0, 1, 1, 0, 1]
