"""Figures with Chinese labels (no missing glyphs) and report.html in every run folder."""

from __future__ import annotations

import io
import json
import warnings

import pandas as pd
import pytest

from model.cli.commands import main


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    from conftest import Case

    case = Case(tmp_path_factory.mktemp("report"))
    out = case.folder / "res"
    assert (
        main(
            [
                "run",
                str(case.yaml),
                "--set",
                "simulation.replications=2",
                "--set",
                "simulation.rounds=1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out / "mini" / "latest"


@pytest.mark.slow
def test_every_figure_renders_chinese_without_missing_glyphs(run_folder):
    from model.output import figures as plots
    from model.output.report import _read

    plan, summary = _read(run_folder, "plan.csv"), _read(run_folder, "summary.csv")
    targets, towns = _read(run_folder, "targets.csv"), _read(run_folder, "townships.csv")
    sim, service = _read(run_folder, "simulation.csv"), _read(run_folder, "service.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for lang in ("zh", "en"):
            figures = [
                plots.rollout_figure(plan, towns, targets, lang),
                plots.tile_map_figure(plan, towns, lang),
                plots.staffing_figure(summary, targets, lang),
                plots.money_figure(summary, lang),
                plots.targets_figure(targets, lang),
                plots.service_figure(
                    sim, service, {"dibao": "低保对象", "tekun": "特困人员"}, lang
                ),
                plots.equity_figure(plan, towns, lang, sim),
            ]
            for fig in figures:
                fig.savefig(io.BytesIO(), format="png")  # renders every text (Agg)
    missing = [
        str(w.message)
        for w in caught
        if "missing from" in str(w.message) or "Glyph" in str(w.message)
    ]
    assert missing == []


def test_run_writes_figures_and_a_self_contained_report(run_folder):
    report = (run_folder / "report.html").read_text(encoding="utf-8")
    assert report.count("data:image/png;base64,") >= 6 and "<img" in report
    assert "覆盖率" in report and "目标完成" in report  # key numbers first, in Chinese
    assert report.index("关键数字") < report.index("data:image/png")
    assert "规划—模拟循环" in report and ("收敛" in report)  # the loop's outcome, in Chinese
    figures = {p.name for p in (run_folder / "figures").iterdir()}
    assert {
        "rollout.png",
        "township_tiles.png",
        "staffing.png",
        "money.png",
        "targets.png",
        "service.png",
        "equity.png",
    } <= figures


def test_the_report_has_an_equity_section(run_folder):
    from model.plan.equity import SUMMARY_COLUMNS

    equity = pd.read_csv(run_folder / "equity.csv", encoding="utf-8-sig", dtype={"key": str})
    assert set(equity["source"]) == {"plan", "simulation"}
    assert {"gini", "palma", "lowest_served_share", "served_share_by_county"} <= set(
        equity["measure"]
    )
    assert {"served_share_by_group", "reach_rate_by_group"} <= set(equity["measure"])
    summary = pd.read_csv(run_folder / "summary.csv", encoding="utf-8-sig")
    assert set(SUMMARY_COLUMNS) - {"served_share_q1", "served_share_q2", "served_share_q3"} <= set(
        summary.columns
    )
    report = (run_folder / "report.html").read_text(encoding="utf-8")
    section = report[report.index("<h2>公平性</h2>") : report.index("<h2>图表</h2>")]
    last = int(equity["year"].max())
    low = equity[
        (equity["source"] == "plan")
        & (equity["year"] == last)
        & (equity["measure"] == "lowest_served_share")
    ].iloc[0]
    towns = pd.read_csv(run_folder / "townships.csv", encoding="utf-8-sig", dtype=str)
    name = towns.set_index("township_id").loc[low["key"]]
    # the lowest township by name and county, the year-by-year table, the figure in the section
    assert f"{last}年（规划）服务需求满足率最低的乡镇是{name['county']}{name['name']}" in section
    assert "逐年公平性指标（规划）" in section and "逐年公平性指标（模拟）" in section
    assert "基尼系数" in section and "帕尔马比值" in section and "各县（区）" in section
    assert section.count("data:image/png;base64,") == 1
    assert f"{last}年（规划）：最偏远的 1/4 乡镇" not in section  # mini has no remoteness


def test_report_command_rebuilds_in_english(run_folder, capsys, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    (copy / "report.html").unlink()
    resolved = (copy / "scenario.resolved.yaml").read_text(encoding="utf-8")
    (copy / "scenario.resolved.yaml").write_text(
        resolved.replace("language: zh", "language: en"), encoding="utf-8"
    )
    assert main(["report", str(copy)]) == 0
    text = (copy / "report.html").read_text(encoding="utf-8")
    assert "Key numbers" in text and "report:" in capsys.readouterr().out
    assert "<h2>Equity</h2>" in text and "the lowest served share is" in text
    assert main(["report", str(tmp_path / "nowhere")]) == 2


def test_a_region_of_more_townships_than_tiles_can_show_keeps_the_county_map(
    run_folder, capsys, tmp_path, monkeypatch
):
    # the country's report drew 38,642 township tiles for two minutes, every label overlapping
    import shutil

    from model.output import figures

    copy = tmp_path / "copy"
    shutil.copytree(run_folder, copy)
    shutil.rmtree(copy / "figures")
    towns = len(pd.read_csv(copy / "townships.csv", encoding="utf-8-sig"))
    monkeypatch.setattr(figures, "MAX_TOWNSHIP_TILES", towns - 1)
    assert main(["report", str(copy)]) == 0, capsys.readouterr().err
    made = {p.name for p in (copy / "figures").iterdir()}
    assert "map_counties.png" in made and "rollout.png" in made, made
    assert not made & {"township_tiles.png", "township_service.png"}, made


def test_language_is_checked(case, capsys):
    assert main(["validate", str(case.yaml), "--set", "report.language=fr"]) == 2
    assert "report.language" in capsys.readouterr().err


def test_experiment_figures_render_chinese_without_missing_glyphs():
    from model.output import figures as plots

    frontier = pd.DataFrame(
        {
            "budget_total": [100.0, 200.0, 300.0],
            "served_share": [0.5, 0.8, 0.85],
            "all_targets_met": [False, True, True],
            "knee": [False, True, False],
            "simulated_served_share": [0.45, 0.75, 0.8],
        }
    )
    oat = pd.DataFrame(
        {
            "parameter": ["groups.dibao.case_rate", "workforce.attrition"],
            "output": ["workers_needed"] * 2,
            "base": [10.0, 10.0],
            "at_low": [8.0, 9.5],
            "at_high": [13.0, 10.5],
        }
    )
    morris = pd.DataFrame(
        {
            "parameter": ["a", "b"],
            "output": ["served_share"] * 2,
            "mu_star": [0.1, 0.2],
            "sigma": [0.01, 0.05],
        }
    )
    table = pd.DataFrame(
        {
            "scenario": ["甲", "甲", "乙", "乙"],
            "year": [2025, 2026] * 2,
            "coverage": [0.5, 1, 0.6, 1],
            "workers": [10, 20, 12, 22],
            "spend_total": [50, 80, 60, 90],
            "served_share": [0.5, 0.7, 0.6, 0.8],
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fig in (
            plots.frontier_figure(frontier, 150.0),
            plots.tornado_figure(oat, "workers_needed"),
            plots.morris_figure(morris, "served_share"),
            plots.comparison_figure(table),
        ):
            fig.savefig(io.BytesIO(), format="png")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def test_the_page_carries_a_font_with_every_chinese_character_it_uses(run_folder):
    """Browsers on machines without a Chinese font showed boxes (headless chromium).

    The page embeds a subset.
    """
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    page = (run_folder / "report.html").read_text(encoding="utf-8")
    data = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert data, "no embedded font"
    cmap = TTFont(io.BytesIO(base64.b64decode(data.group(1)))).getBestCmap()
    text = re.sub(r"<style>.*?</style>|data:[^\"')]+", "", page, flags=re.S)
    needed = {ch for ch in text if ord(ch) > 0x2E7F}  # CJK and full-width characters
    assert needed and not {ch for ch in needed if ord(ch) not in cmap}


def _browser():
    from report_browser import chromium

    browser = chromium()
    if browser is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return browser


@pytest.mark.parametrize("size", ["desktop", "laptop", "projector"])
def test_report_reads_well_in_headless_chromium(run_folder, size):
    """Measured in the browser at 1920×1080, 1366×768 and 1024×768 (a projector): the page never
    scrolls sideways (wide tables scroll inside their own box), every figure loaded and fits the
    window, and the footer names the run."""
    from report_browser import SIZES, measure, problems, run_id

    measured = measure(run_folder, SIZES[size], _browser())
    assert measured["images"] and measured["clientWidth"] <= SIZES[size][0]
    assert problems(measured, run_id(run_folder)) == []
    assert run_id(run_folder) == run_folder.resolve().name


def test_the_browser_check_finds_a_page_that_overflows(tmp_path):
    """The check itself: a page wider than the window, a figure that does not load and a footer
    with the temporary folder's name each fail it."""
    from report_browser import SIZES, measure, problems

    (tmp_path / "report.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        '<div style="width:1500px">wide</div><img alt="gone" src="figures/missing.png">'
        "<footer>.tmp-20250101-000000-77</footer></body></html>",
        encoding="utf-8",
    )
    found = problems(measure(tmp_path, SIZES["projector"], _browser()), "20250101-000000")
    assert [p.split(" ")[:3] for p in found] == [
        ["the", "page", "scrolls"],
        ["image", "'gone'", "did"],
        ["the", "footer", "does"],
    ]


@pytest.mark.slow
def test_sweep_and_compare_reports_read_well_in_headless_chromium(case, tmp_path):
    from report_browser import SIZES, measure, problems, run_id

    browser = _browser()
    out = tmp_path / "res"
    fast = ["--no-simulate", "--scheduler", "serial", "--out", str(out)]
    assert main(["sweep", str(case.yaml), "--budgets", "0.5:1:2", *fast]) == 0
    other = case.folder / "other.yaml"
    text = case.yaml.read_text(encoding="utf-8")
    other.write_text(text.replace("name: mini", "name: other"), encoding="utf-8")
    assert main(["compare", str(case.yaml), str(other), *fast]) == 0
    for folder in (out / "mini" / "sweep" / "latest", out / "compare" / "latest"):
        for size in SIZES.values():
            assert problems(measure(folder, size, browser), run_id(folder)) == [], (folder, size)


def _squares(ids):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": tid},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[k, 0], [k + 1, 0], [k + 1, 1], [k, 1], [k, 0]]],
                },
            }
            for k, tid in enumerate(ids)
        ],
    }


@pytest.mark.slow
def test_maps_draw_real_boundaries_from_a_geojson(case, capsys):
    import json

    from conftest import mini_scenario

    (case.folder / "shapes.geojson").write_text(
        json.dumps(_squares(["T1", "T2", "T3"])), encoding="utf-8"
    )
    data = mini_scenario() | {"report": {"boundaries": "shapes.geojson", "boundary_id": "code"}}
    case.write(data)
    out = case.folder / "res"
    assert (
        main(
            [
                "run",
                str(case.yaml),
                "--set",
                "simulation.replications=1",
                "--set",
                "simulation.rounds=1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    run = out / "mini" / "latest"
    assert (run / "boundaries.geojson").exists() and (run / "figures" / "township_map.png").exists()
    assert not (run / "figures" / "township_tiles.png").exists()
    assert "boundaries: boundaries.geojson" in (run / "scenario.resolved.yaml").read_text(
        encoding="utf-8"
    )
    assert main(["report", str(run)]) == 0  # rebuilds from the folder's own copy
    # bad files are bad input naming the field
    (case.folder / "shapes.geojson").write_text("{not json", encoding="utf-8")
    assert main(["validate", str(case.yaml)]) == 2
    assert "report.boundaries" in capsys.readouterr().err
    (case.folder / "shapes.geojson").write_text(
        json.dumps(_squares(["X1", "X2"])), encoding="utf-8"
    )
    assert main(["validate", str(case.yaml)]) == 2
    assert "边界文件中没有一个要素与乡镇表中的乡镇对应" in capsys.readouterr().err
    case.write(mini_scenario() | {"report": {"boundaries": "shapes.geojson"}})  # default id field
    assert main(["validate", str(case.yaml)]) == 2
    assert "'township_id'" in capsys.readouterr().err


def test_the_report_names_the_run_id_not_the_temporary_folder(tmp_path):
    from model.output.runfolder import run_id_of

    assert run_id_of(tmp_path / ".tmp-20261129-090434") == "20261129-090434"
    assert run_id_of(tmp_path / ".tmp-20261129-090434-2") == "20261129-090434-2"
    assert run_id_of(tmp_path / "20261129-090434-2") == "20261129-090434-2"


def test_the_equity_section_says_how_the_remote_quarter_fares(tmp_path):
    from model.output.report import equity_section

    rows = [
        ("served_share", "", 0.80, 1000.0),
        ("lowest_served_share", "T9", 0.11, 293),
        ("lowest_served_share_with_station", "T9", 0.11, 290),
        ("townships_below_30pct", "", 39, 293),
        ("townships_below_60pct", "", 80, 293),
        ("served_share_by_remoteness", "q1", 0.97, 300.0),
        ("served_share_by_remoteness", "q4", 0.53, 200.0),
        ("workers_by_remoteness", "q1", 3.2, 73),
        ("workers_by_remoteness", "q4", 2.6, 73),
        ("served_share_by_group", "left_behind_women", 0.25, 50.0),
    ]
    pd.DataFrame(
        [
            {
                "source": "plan",
                "year": 2025,
                "measure": m,
                "key": k,
                "value": v,
                "unit": "",
                "denominator": d,
            }
            for m, k, v, d in rows
        ]
    ).to_csv(tmp_path / "equity.csv", index=False, encoding="utf-8-sig")
    pd.DataFrame({"township_id": ["T9"], "name": ["龙源坝镇"], "county": ["南康区"]}).to_csv(
        tmp_path / "townships.csv", index=False, encoding="utf-8-sig"
    )
    en = "\n".join(equity_section(tmp_path, "en", {"left_behind_women": "left-behind women"}))
    assert (
        "2025 (plan): the most remote quarter of townships gets 53% of its need served (2.6 "
        "workers each), the least remote 97% (3.2)." in en
    )
    assert "the lowest served share is 龙源坝镇 (南康区), 11%; 39 of 293 townships" in en
    assert "left-behind women" in en and "25%" in en
    zh = "\n".join(equity_section(tmp_path, "zh", {}))
    assert "2025年（规划）：最偏远的 1/4 乡镇服务需求满足率为 53%" in zh
    assert "最低的乡镇是南康区龙源坝镇，为 11%；39 / 293 个乡镇低于 30%" in zh
    assert "有站点的乡镇中最低" not in zh  # the same township: said once
    assert equity_section(tmp_path / "nowhere", "zh", {}) == []


def test_the_report_names_where_the_plan_cuts_staff_or_service():
    import pandas as pd

    from model.output.report import changes_section

    changes = pd.DataFrame(
        {
            "year": [2024, 2025],
            "county": ["宁都县", "于都县"],
            "name": ["安福乡", "某镇"],
            "workers_before": [3, 4],
            "workers": [2, 4],
            "served_before": [1510.0, 2000.0],
            "served_hours": [933.0, 1990.0],
            "leavers_not_replaced": [0.12, 0.0],
            "moved_out": [0.88, 0.0],
            "moved_to": ["甲镇, 乙镇, 丙镇 and 2 more", ""],
            "county_laid_off": [0.0, 0.0],
            "warning": [
                "2024 宁都县 安福乡: workers 3 → 2",
                "2025 于都县 某镇: served 2,000 → 1,990",
            ],
        }
    )
    page = "".join(changes_section(changes, "zh", n=1))
    assert "减员与服务下降" in page and "共有 2 个乡镇-年度" in page
    assert "安福乡" in page and "某镇" not in page  # the one that loses most hours
    assert (
        "2024 宁都县 安福乡：社工 3 → 2 人，服务小时 1,510 → 933（离职未补 0.1 人；调出 0.9 人，"
        "调往 甲镇、乙镇、丙镇 等（另 2 个））" in page
    )
    assert "workers 3 → 2" in "".join(changes_section(changes, "en", n=1))
    assert changes_section(changes.iloc[:0], "en") == []
    assert changes_section(None, "en") == []


def _cards(page: str) -> list[tuple[str, str]]:
    import re

    return re.findall(r'<div class="k">(.*?)</div><div class="v">(.*?)</div>', page)


def test_every_count_in_the_cards_has_its_denominator(run_folder):
    import re

    page = (run_folder / "report.html").read_text(encoding="utf-8")
    cards = dict(_cards(page))
    values = list(cards.values())
    assert any(re.search(r"\d+ / \d+ 个乡镇有站点$", v) for v in values)  # stations of townships
    assert any(re.search(r"^[\d,]+ / [\d,]+ 名社工$", v) for v in values)  # certified of all
    assert any(re.search(r"^[\d,]+ / [\d,]+ 万元预算$", v) for v in values)  # spent of budget
    reached = next(v for k, v in cards.items() if "服务对象" in k)
    n, total = (float(x.replace(",", "")) for x in re.findall(r"[\d,]+", reached))
    assert reached.endswith(" 人") and 0 < n <= total
    shares_and_money = ("服务需求满足率", "最低预算")
    for k, v in cards.items():
        assert "/" in v or any(s in k for s in shares_and_money), (k, v)


def test_cards_without_a_denominator_in_the_folder_still_say_the_count():
    from model.output.report import key_cards

    summary = pd.DataFrame(
        {
            "year": [2025],
            "stations": [3],
            "coverage": [0.75],
            "spend_total": [120.0],
            "workers": [10],
            "workers_junior": [3],
            "workers_intermediate": [1],
        }
    )
    towns = pd.DataFrame({"township_id": list("abcd"), "dibao": [10, 20, 30, 40]})
    reach = pd.DataFrame({"year": [2025, 2025], "clients_reached": [5.4, 6.0]})
    cards = key_cards(summary, towns, reach, ["dibao", "tekun"], "en")
    assert [v for _, v in cards] == [
        "75% · 3 / 4 townships with a station",
        "120 万元 (10,000 yuan)",  # no budget in the summary: the sum alone
        "4 / 10 workers",
        "11 / 100 people",
    ]
    assert [v for _, v in key_cards(summary, None, reach, ["dibao"], "zh")][:1] == ["75%"]


def test_the_footer_names_the_final_run_id(run_folder):
    page = (run_folder / "report.html").read_text(encoding="utf-8")
    footer = page[page.index("<footer>") :]
    run_id = json.loads((run_folder / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert run_id in footer and ".tmp" not in footer


def test_a_second_run_in_the_same_second_knows_its_own_folder_while_it_is_written(tmp_path):
    from model.output.runfolder import RunFolder, run_id_of

    rid = "20261129-090434"
    with RunFolder("s", tmp_path, run_id=rid) as first:
        with RunFolder("s", tmp_path, run_id=rid) as second:
            assert run_id_of(second.path("")) == f"{rid}-2"  # what its report's footer says
            second_final = second.finish({})
        assert run_id_of(first.path("")) == rid
        first_final = first.finish({})
    assert (first_final.name, second_final.name) == (rid, f"{rid}-2")
    with RunFolder("s", tmp_path, run_id=rid) as third:
        assert run_id_of(third.path("")) == f"{rid}-3"
        assert third.finish({}).name == f"{rid}-3"


def test_tables_scroll_inside_the_page(run_folder):
    from model.output.report import CSS

    page = (run_folder / "report.html").read_text(encoding="utf-8")
    assert page.count("<table") == page.count('<div class="scroll"><table') > 0
    assert ".scroll{max-width:100%;overflow-x:auto" in CSS
