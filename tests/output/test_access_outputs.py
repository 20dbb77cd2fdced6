"""A run with travel minutes writes access.csv, nearest_station.csv, a sheet, a figure and a
report section; a run without them writes none of these."""

from __future__ import annotations

import json

import pandas as pd
import yaml

from model import load_scenario
from model.output.run import run_scenario


def test_a_run_with_travel_measures_access_and_a_run_without_has_none(case, tmp_path):
    (case.folder / "travel.csv").write_text(
        "from,to,minutes\nT1,T2,20\nT2,T3,40\n", encoding="utf-8"
    )
    plain = load_scenario(case.yaml)
    sc = plain.with_overrides(["region.travel=" + str(case.folder / "travel.csv")])
    folder = run_scenario(sc, tmp_path / "out", stages=("optimize",), progress=False).folder
    access = pd.read_csv(folder / "access.csv")
    assert set(access["minutes"]) == {15, 30, 45, 60}
    assert set(access["people"]) == {"population", "dibao", "tekun"}
    near = pd.read_csv(folder / "nearest_station.csv")
    assert {"name", "county", "minutes_to_station"} <= set(near.columns)
    assert (folder / "travel.csv").read_text(encoding="utf-8").startswith("from,to,minutes")
    resolved = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["region"]["travel"] == "travel.csv"
    again = load_scenario(folder / "scenario.resolved.yaml")
    pd.testing.assert_frame_equal(again.travel, sc.travel)
    assert "可达性" in pd.ExcelFile(folder / "plan.xlsx").sheet_names
    assert (folder / "figures" / "access.png").exists()
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "到社工站的通行时间" in page and "分钟内可到达社工站" in page
    assert "合成数据（按县城位置" not in page  # measured (given) travel times: no warning
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["travel_source"].startswith("travel table:")

    bare = run_scenario(plain, tmp_path / "bare", stages=("optimize",), progress=False).folder
    for name in ("access.csv", "nearest_station.csv", "travel.csv", "figures/access.png"):
        assert not (bare / name).exists(), name
    assert "可达性" not in pd.ExcelFile(bare / "plan.xlsx").sheet_names
    assert "到社工站的通行时间" not in (bare / "report.html").read_text(encoding="utf-8")
    assert "travel_source" not in json.loads((bare / "manifest.json").read_text("utf-8"))


def test_synthetic_travel_is_labelled_in_the_report_and_the_manifest(case, tmp_path):
    sc = load_scenario(case.yaml, ["region.travel=synthetic"])
    folder = run_scenario(sc, tmp_path, stages=("optimize",), progress=False).folder
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.count("本情景的通行时间为合成数据") >= 2  # the access section and the footer
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["travel_source"].startswith("SYNTHETIC")
    resolved = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["region"]["travel"] == "synthetic"
    pd.testing.assert_frame_equal(
        load_scenario(folder / "scenario.resolved.yaml").travel, sc.travel
    )


def test_the_access_figure_renders_chinese_without_missing_glyphs(case):
    import io
    import warnings

    from model.output import figures as plots
    from model.plan.access import nearest_station

    sc = load_scenario(case.yaml, ["region.travel=synthetic"])
    plan = pd.DataFrame(
        [
            {"year": y, "township_id": t, "station": int(t == "T1" or y == 2026)}
            for y in (2025, 2026)
            for t in ("T1", "T2", "T3")
        ]
    )
    near = nearest_station(sc, plan)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lang in ("zh", "en"):
            fig = plots.access_figure(near, sc.townships, lang, synthetic=True)
            fig.savefig(io.BytesIO(), format="png")
            texts = [fig.axes[0].get_title(), fig.axes[0].get_xlabel()]
            assert any("合成" in x for x in texts) == (lang == "zh")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
