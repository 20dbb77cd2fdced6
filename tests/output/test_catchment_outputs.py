"""Catchments for planners: a plan whose townships without a station are served by a station
nearby (plan.csv `served_by`, `catchment_hours`) gets catchments.csv, a 服务片区 sheet, a report
section and lines on the township maps; a plan without them gets none of these, and plans
written before catchments (neither column) read and draw as before."""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest
from matplotlib.lines import Line2D

from model import load_scenario
from model.output import figures as plots
from model.output.catchments import (
    catchment_table,
    catchment_years,
    has_catchments,
    served_links,
)
from model.output.figures.maps import CATCHMENT_COLOUR
from model.output.run import run_scenario
from model.plan.io import township_ids

TRAVEL = "from,to,minutes\nT1,T2,20\nT2,T3,40\n"
WORKERS = ["workers_uncertified", "workers_junior", "workers_intermediate"]


def serve_t2_from_t1(plan: pd.DataFrame) -> pd.DataFrame:
    """`plan` (the mini scenario's) with T2 closed and served by T1 in every year: T2's client
    hours served from T1, T1's catchment hours those hours plus a tenth for the round trips."""
    out = plan.copy()
    out["served_by"] = ""
    out["catchment_hours"] = 0.0
    t2 = out["township_id"] == "T2"
    out.loc[t2, ["station", *WORKERS]] = 0
    out.loc[t2, "served_by"] = "T1"
    out.loc[t2, "served_hours"] = out.loc[t2, "client_hours"]
    for year in out["year"].unique():
        hours = float(out.loc[t2 & (out["year"] == year), "client_hours"].sum())
        out.loc[(out["township_id"] == "T1") & (out["year"] == year), "catchment_hours"] = (
            hours * 1.1
        )
    return out


@pytest.fixture
def travel_case(case):
    (case.folder / "travel.csv").write_text(TRAVEL, encoding="utf-8")
    return case


def scenario(case, *overrides: str):
    return load_scenario(
        case.yaml, ["region.travel=" + str(case.folder / "travel.csv"), *overrides]
    )


@pytest.fixture
def catchment_optimizer(monkeypatch):
    """The optimizer, its plan given catchments (until the optimizer makes them itself)."""
    import model.optimizer.optimize as optimizer

    real = optimizer.optimize

    def optimize(sc, *args, **kwargs):
        result = real(sc, *args, **kwargs)
        result.plan = serve_t2_from_t1(result.plan)
        return result

    monkeypatch.setattr(optimizer, "optimize", optimize)


def toy_plan() -> pd.DataFrame:
    rows = []
    for year in (2025, 2026):
        for tid in ("T1", "T2", "T3"):
            rows.append(
                {
                    "township_id": tid,
                    "year": year,
                    "station": int(tid != "T2"),
                    "client_hours": {"T1": 100.0, "T2": 50.0, "T3": 80.0}[tid],
                    "served_hours": {"T1": 100.0, "T2": 40.0, "T3": 80.0}[tid],
                }
            )
    return pd.DataFrame(rows)


def test_catchment_table_names_both_ends_with_minutes_and_hours(case):
    sc = load_scenario(case.yaml, ["region.travel=synthetic"])
    plan = toy_plan().assign(served_by="", catchment_hours=0.0)
    last = (plan["year"] == 2026) & (plan["township_id"] == "T2")
    plan.loc[last, "served_by"] = "T1"
    plan.loc[(plan["year"] == 2026) & (plan["township_id"] == "T1"), "catchment_hours"] = 44.0
    table = catchment_table(plan, sc.townships, sc.travel)
    assert table.columns.tolist() == [
        "year",
        "station_id",
        "station_name",
        "station_county",
        "township_id",
        "minutes",
        "client_hours",
        "served_hours",
        "catchment_hours",
    ]
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["year"], row["station_id"], row["township_id"]) == (2026, "T1", "T2")
    assert (row["station_name"], row["station_county"]) == ("红旗镇", "东山县")
    assert row["minutes"] == pytest.approx(float(sc.travel.loc["T1", "T2"]))
    assert (row["client_hours"], row["served_hours"], row["catchment_hours"]) == (50, 40, 44)
    years = catchment_years(plan, sc.townships)
    assert years.to_dict("records") == [
        {"year": 2025, "without": 1, "served": 0, "population": 0},
        {"year": 2026, "without": 1, "served": 1, "population": 40000},
    ]


def test_plans_without_catchments_have_none():
    old = toy_plan()  # written before catchments: neither column
    assert not has_catchments(old) and served_links(old).empty
    assert not has_catchments(old.assign(served_by="", catchment_hours=0.0))
    read_back = old.assign(served_by=float("nan"))  # an all-empty column read from CSV
    assert not has_catchments(read_back)
    assert township_ids(pd.Series([360703208.0, float("nan"), "T1"])).tolist() == [
        "360703208",
        "",
        "T1",
    ]


def test_a_run_writes_catchments_a_sheet_and_a_report_section(
    travel_case, catchment_optimizer, tmp_path
):
    sc = scenario(travel_case)
    folder = run_scenario(sc, tmp_path, stages=("optimize",), progress=False).folder
    table = pd.read_csv(folder / "catchments.csv", encoding="utf-8-sig")
    assert table.columns.tolist()[:7] == [
        "year",
        "station_id",
        "station_name",
        "station_county",
        "township_id",
        "name",
        "county",
    ]
    assert table["year"].tolist() == [2025, 2026]
    assert set(table["station_name"]) == {"红旗镇"} and set(table["name"]) == {"新华街道"}
    assert set(table["minutes"]) == {20.0}
    plan = pd.read_csv(folder / "plan.csv", encoding="utf-8-sig")
    t1 = plan[plan["township_id"] == "T1"].set_index("year")["catchment_hours"]
    assert table.set_index("year")["catchment_hours"].to_dict() == pytest.approx(t1.to_dict())

    book = pd.ExcelFile(folder / "plan.xlsx")
    assert "服务片区" in book.sheet_names
    sheet = pd.read_excel(book, "服务片区")
    assert "服务站点乡镇" in sheet.columns and "通行时间（分钟）" in sheet.columns
    defs = pd.read_excel(book, "列说明").set_index("CSV 列名")["含义"]
    for column in ("served_by", "catchment_hours", "station_id", "station_name", "minutes"):
        assert column in defs.index, column
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<h2>服务片区</h2>" in page
    assert "2026 年：1 个未建站乡镇中，1 个由邻近站点服务，共 40,000 人。" in page
    assert "红旗镇（1 个乡镇，" in page and "各年服务片区" in page


def test_the_report_says_catchments_in_english_on_the_switch(
    travel_case, catchment_optimizer, tmp_path
):
    sc = scenario(travel_case, "report.language=en")
    folder = run_scenario(sc, tmp_path, stages=("optimize",), progress=False).folder
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<h2>Catchments</h2>" in page
    assert "2026: 1 of the 1 townships without a station are served by a neighbouring" in page
    assert "Largest catchments: 红旗镇 (1 townships," in page


def test_a_run_without_catchments_writes_none(travel_case, tmp_path):
    folder = run_scenario(scenario(travel_case), tmp_path, stages=("optimize",), progress=False)
    out = folder.folder
    assert not (out / "catchments.csv").exists()
    assert "服务片区" not in pd.ExcelFile(out / "plan.xlsx").sheet_names
    assert "服务片区" not in (out / "report.html").read_text(encoding="utf-8")


def catchment_lines(fig) -> list[Line2D]:
    return [
        line
        for ax in fig.axes
        for line in ax.get_lines()
        if line.get_color() == CATCHMENT_COLOUR and len(line.get_xdata()) == 2
    ]


def legend_texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]


def test_the_township_maps_link_served_townships_to_their_station(case):
    sc = load_scenario(case.yaml)
    towns = sc.townships
    plain = toy_plan()
    served = plain.assign(served_by="", catchment_hours=0.0)
    served.loc[served["township_id"] == "T2", "served_by"] = "T1"
    square = {  # one unit square per township, side by side
        tid: [[(k, 0.0), (k + 1.0, 0.0), (k + 1.0, 1.0), (k, 1.0)]]
        for k, tid in enumerate(("T1", "T2", "T3"))
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lang, label in (("zh", "由邻近站点服务（2026 年）"), ("en", "served by a nearby")):
            for draw in (
                lambda p, lang=lang: plots.tile_map_figure(p, towns, lang),
                lambda p, lang=lang: plots.tile_map_figure(
                    p, towns, lang, service=pd.Series({"T1": 0.9, "T3": 0.7})
                ),
                lambda p, lang=lang: plots.boundary_map_figure(p, towns, square, lang),
            ):
                fig = draw(served)
                fig.savefig(io.BytesIO(), format="png")
                assert len(catchment_lines(fig)) == 1
                assert any(text.startswith(label) for text in legend_texts(fig))
                before = draw(plain)  # no catchments: the map as before
                assert catchment_lines(before) == []
                assert not any(text.startswith(label) for text in legend_texts(before))
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    boundary = plots.boundary_map_figure(served, towns, square, "zh")
    (line,) = catchment_lines(boundary)
    assert list(line.get_xdata()) == [1.5, 0.5] and list(line.get_ydata()) == [0.5, 0.5]


def test_the_map_of_a_one_county_region_links_its_township_tiles(case):
    towns = load_scenario(case.yaml).townships.assign(county="东山县")
    served = toy_plan().assign(served_by="", catchment_hours=0.0)
    served.loc[served["township_id"] == "T2", "served_by"] = "T1"
    fig = plots.county_map_figure(served, towns, "zh")
    assert len(catchment_lines(fig)) == len(fig.axes) // 2  # one per panel (axes: + colour bars)
    assert any(text.startswith("由邻近站点服务") for text in legend_texts(fig))
    assert catchment_lines(plots.county_map_figure(toy_plan(), towns, "zh")) == []


def test_simulate_with_a_plan_writes_access_and_catchments(travel_case, tmp_path):
    from model import optimize
    from model.cli.commands import main

    sc = scenario(travel_case, "simulation.replications=2")
    path = tmp_path / "plan.csv"
    serve_t2_from_t1(optimize(sc).plan).to_csv(path, index=False, encoding="utf-8-sig")
    travel = "region.travel=" + str(travel_case.folder / "travel.csv")
    out = tmp_path / "results"
    argv = ["simulate", str(travel_case.yaml), "--plan", str(path), "--out", str(out)]
    assert main([*argv, "--set", travel, "--set", "simulation.replications=2"]) == 0
    folder = (out / "mini" / "latest").resolve()
    for name in ("access.csv", "nearest_station.csv", "catchments.csv", "figures/access.png"):
        assert (folder / name).exists(), name
    table = pd.read_csv(folder / "catchments.csv", encoding="utf-8-sig")
    assert table["township_id"].tolist() == ["T2", "T2"] and set(table["minutes"]) == {20.0}
    bare = run_scenario(sc, tmp_path / "bare", stages=("simulate",), progress=False)
    for name in ("access.csv", "catchments.csv"):  # today's stations: no plan to measure
        assert not (bare.folder / name).exists(), name
