"""Figures change no global matplotlib state, draw in their own style and show once in notebooks."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap

import matplotlib
import pandas as pd
from matplotlib.text import Text

from model.output import figures as plots


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
