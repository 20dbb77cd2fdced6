"""Figures change no global matplotlib state, draw in their own style and show once in notebooks."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.text import Text

from model.output import figures as plots
from model.output.i18n import t


def _oat() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "parameter": ["groups.dibao.case_rate", "workforce.attrition"],
            "output": ["workers_needed"] * 2,
            "base": [0.0, 0.0],
            "at_low": [-2.0, -0.5],
            "at_high": [3.0, 0.5],
        }
    )


def _targets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target": ["coverage", "workers_by_grade.junior"],
            "year": [2025, 2025],
            "required": [0.9, 100.0],
            "achieved": [0.95, 80.0],
            "met": [True, False],
            "shortfall": [0.0, 20.0],
            "unit": ["share of townships", "workers"],
        }
    )


def test_importing_the_figures_changes_nothing_global():
    code = textwrap.dedent("""
        import sys
        import matplotlib
        before = matplotlib.rcParams.copy()
        import model.output.figures, model.output.report, model.workshop
        after = matplotlib.rcParams.copy()
        print(sorted(k for k in before if before[k] != after[k]))
        print("matplotlib.pyplot" in sys.modules, "IPython" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "False False"]


def test_a_figure_changes_no_rcparams_and_draws_in_its_own_style():
    before = matplotlib.rcParams.copy()
    fig = plots.tornado_figure(_oat(), "workers_needed", lang="zh")
    png = fig._repr_png_()  # what IPython shows, once
    assert png.startswith(b"\x89PNG")
    assert matplotlib.rcParams.copy() == before
    assert isinstance(fig, matplotlib.figure.Figure)
    texts = [x for x in fig.findobj(Text) if x.get_text()]
    assert {x.get_fontname() for x in texts} == {"Noto Sans CJK SC"}  # ticks made at draw too
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # texts kept as text
        fig.savefig(svg, format="svg")
    drawn = re.findall(r">([^<>]*)</text>", svg.getvalue())
    assert "-2" in drawn and not any("\u2212" in s for s in drawn)  # the CJK font has no U+2212
    assert "所需社工人数的敏感性（单因素）" in drawn


def test_words_are_the_same_as_before_the_move():
    zh, en = plots.targets_figure(_targets(), "zh"), plots.targets_figure(_targets(), "en")

    def names(fig):
        return [x.get_text() for x in fig.axes[0].get_yticklabels()]

    assert names(zh) == ["覆盖率 2025", "分等级社工数（junior） 2025"]
    assert names(en) == ["coverage 2025", "workers_by_grade (junior) 2025"]
    assert zh.axes[0].get_title() == "目标完成情况"
    assert en.axes[0].get_title() == "Targets: met or short"
    assert {x.get_text() for x in zh.axes[0].texts} == {"已完成", "未完成 20 workers"}
    title = plots.tornado_figure(_oat(), "workers_needed", lang="en").axes[0].get_title()
    assert title == "Sensitivity of workers_needed (one at a time)"
    title = plots.tornado_figure(_oat(), "workers_needed").axes[0].get_title()
    assert title == "所需社工人数的敏感性（单因素）"


def _equity_frames(remoteness: list[float]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ids = [f"T{i}" for i in range(len(remoteness))]
    towns = pd.DataFrame({"township_id": ids, "remoteness": remoteness})
    need = [100.0 * 3**i for i in range(len(ids))]
    plan = pd.DataFrame(
        {
            "township_id": ids * 2,
            "year": [2025] * len(ids) + [2026] * len(ids),
            "client_hours": need * 2,
            "served_hours": [n * (i % 3) / 2 for i, n in enumerate(need)] + need,
        }
    )
    sim = plan.rename(columns={"client_hours": "demand_hours"}).assign(
        served_hours=plan["served_hours"] * 0.8
    )
    return towns, plan, sim


def test_the_equity_figure_puts_one_dot_per_township_by_remoteness_quartile():
    import warnings

    towns, plan, sim = _equity_frames([0.1, 0.4, 0.2, 0.0, 0.3, 0.5, 0.6, 0.05])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.equity_figure(plan, towns, "zh", sim, year=2025)
        fig.savefig(io.BytesIO(), format="png")
        english = plots.equity_figure(plan, towns, "en")
        english.savefig(io.BytesIO(), format="png")
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    planned, simulated = fig.axes
    assert sum(len(c.get_offsets()) for c in planned.collections) == 8  # every township a dot
    assert planned.get_xscale() == "log" and planned.get_legend() is None
    labels = [t.get_text() for t in simulated.get_legend().get_texts()]
    assert labels == ["最不偏远的 1/4", "较不偏远的 1/4", "较偏远的 1/4", "最偏远的 1/4"]
    # the two townships of the most remote quarter (0.5, 0.6: T5, T6), at their shares
    q4 = next(c for c in planned.collections if c.get_label() == "最偏远的 1/4")
    assert sorted(q4.get_offsets()[:, 1]) == [0.0, 100.0]  # T6 0/2, T5 2/2
    assert (
        len(english.axes) == 1
        and "least remote" in english.axes[0].get_legend().get_texts()[0].get_text()
    )


def test_the_equity_figure_without_remoteness_has_no_quartiles():
    towns, plan, _ = _equity_frames([0.0] * 5)
    fig = plots.equity_figure(plan, towns, "zh")
    fig.savefig(io.BytesIO(), format="png")
    (ax,) = fig.axes
    assert ax.get_legend() is None
    assert sum(len(c.get_offsets()) for c in ax.collections) == 5


def _rollout_frames(counties: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`counties` counties of 2 + k townships each (county k opens k + 2 stations in 2025)."""
    ids, county = [], []
    for k in range(counties):
        for j in range(k + 2):
            ids.append(f"C{k}T{j}")
            county.append(f"县{k}")
    towns = pd.DataFrame({"township_id": ids, "county": county, "has_station": False})
    plan = pd.DataFrame(
        {"township_id": ids * 2, "year": [2024] * len(ids) + [2025] * len(ids)}
    ).assign(station=lambda d: (d["year"] == 2025).astype(int))
    return plan, towns


def test_the_stations_legend_names_the_top_counties_and_groups_the_rest_outside_the_bars():
    plan, towns = _rollout_frames(18)
    fig = plots.rollout_figure(plan, towns, _targets(), "zh", top=8)
    fig.savefig(io.BytesIO(), format="png")
    legend = next(a.get_legend() for a in fig.axes if a.get_legend() is not None)
    names = [x.get_text() for x in legend.get_texts()]
    counties = [n for n in names if n.startswith("县") or n.startswith("其他")]
    assert len(counties) == 9 and "其他（10 个县区）" in counties
    assert {"县17", "县10"} <= set(counties) and "县9" not in counties  # most stations first
    bars = fig.axes[0]
    assert legend.get_window_extent().x0 >= bars.get_window_extent().x1  # as drawn last
    stacked = sum(p.get_height() for p in bars.patches)
    assert stacked == len(towns)  # every station opened is in a segment, "其他" included
    few = plots.rollout_figure(*_rollout_frames(9), None, "en", top=8)
    names = [x.get_text() for x in next(a for a in few.axes if a.get_legend()).get_legend().texts]
    assert len([n for n in names if n.startswith("县")]) == 9
    assert not any("other" in n for n in names)


def test_county_groups_keep_every_county_up_to_one_more_than_the_top():
    from model.output.figures.plan import county_groups

    counts = {f"c{k}": np.array([k, 1.0]) for k in range(5)}
    assert [c for c, _ in county_groups(counts, top=4)] == ["c4", "c3", "c2", "c1", "c0"]
    groups = county_groups(counts, top=2)
    assert [c for c, _ in groups] == ["c4", "c3", None]
    assert groups[-1][1].tolist() == [3.0, 3.0]  # c2 + c1 + c0
    assert county_groups({"a": np.zeros(2)}, top=2) == []  # no station opened: no segment


def test_the_staffing_chart_has_one_unit_per_axis():
    summary = pd.DataFrame(
        {
            "year": [2024, 2025],
            "workers_uncertified": [10, 12],
            "workers_junior": [5, 6],
            "workers_intermediate": [1, 2],
            "certified_share": [0.375, 0.4],
            "workers_per_1000_elderly": [0.41, 0.57],
        }
    )
    targets = pd.DataFrame(
        {"target": ["workers_per_1000_elderly"], "year": [2025], "required": [0.5]}
    )
    for lang in ("zh", "en"):
        fig = plots.staffing_figure(summary, targets, lang)
        fig.savefig(io.BytesIO(), format="png")
        texts = [x.get_text() for x in fig.findobj(Text)]
        assert not any("×100" in s for s in texts)
        _, share, per = fig.axes
        assert share.get_ylabel() == t("fig.certified_share_pct", lang)
        assert per.get_ylabel() == t("fig.per_1000_axis", lang)
        assert share.lines[0].get_ydata().tolist() == [37.5, 40.0]  # percent
        assert per.lines[0].get_ydata().tolist() == [0.41, 0.57]  # workers per 1,000 elderly
        assert per.collections[0].get_offsets()[0][1] == 0.5


def test_the_frontier_says_why_a_level_above_the_least_budget_misses_a_target():
    import pandas as pd

    from model.output.figures.experiments import frontier_figure
    from model.output.i18n import t

    levels = pd.DataFrame(
        {
            "budget_total": [100.0, 200.0, 300.0],
            "served_share": [0.5, 0.7, 0.8],
            "all_targets_met": [False, False, True],
            "knee": [False, True, False],
        }
    )
    why = t("fig.least_budget_why", "zh")
    texts = [x.get_text() for x in frontier_figure(levels, least_total=150.0).texts]
    assert why in texts  # the level at 200 has more money than the least budget and misses
    texts = [x.get_text() for x in frontier_figure(levels, least_total=250.0).texts]
    assert why not in texts
