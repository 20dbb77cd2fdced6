"""Figures of experiments: the budget frontier, comparisons, sensitivity (tornado, Morris, Sobol)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.output.figures.style import OUTPUT_NAMES, _zh, use_cjk_font


def frontier_figure(frontier: pd.DataFrame, least_total: float | None = None, title: str = "",
                    lang: str = "zh") -> Figure:
    """Served share against total budget over the horizon; knee and least budget for every target marked."""
    use_cjk_font()
    fig = Figure(figsize=(7.5, 4.5), dpi=120)
    ax = fig.subplots()
    x = frontier["budget_total"].to_numpy(float)
    y = frontier["served_share"].to_numpy(float) * 100
    met = frontier["all_targets_met"].to_numpy(bool)
    ax.plot(x, y, "-", color="#4c72b0", lw=1.5, zorder=1)
    ax.scatter(x[met], y[met], color="#2a9d8f", s=36, zorder=2, label=_zh(lang, "全部目标完成", "every target met"))
    ax.scatter(x[~met], y[~met], color="#e76f51", s=36, zorder=2, label=_zh(lang, "有目标未完成", "a target missed"))
    if "simulated_served_share" in frontier:
        ax.plot(x, frontier["simulated_served_share"].to_numpy(float) * 100, "--", color="#8d99ae", lw=1.2,
                label=_zh(lang, "模拟满足率", "served in simulation"))
    knee = np.flatnonzero(frontier["knee"].to_numpy(bool))
    if len(knee):
        k = int(knee[0])
        ax.annotate(_zh(lang, "拐点", "knee"), (x[k], y[k]), xytext=(28, -28), textcoords="offset points", ha="left",
                    arrowprops={"arrowstyle": "->", "color": "#333333"})
    if least_total is not None and np.isfinite(least_total):
        ax.axvline(least_total, color="#6d597a", ls=":", lw=1.3)
        ax.text(least_total, ax.get_ylim()[0], _zh(lang, " 实现全部目标的最低预算", " least budget for every target"),
                rotation=90, va="bottom", ha="right", fontsize=8, color="#6d597a")
    ax.set_xlabel(_zh(lang, "规划期总预算（万元）", "total budget over the horizon (10,000 yuan)"))
    ax.set_ylabel(_zh(lang, "服务需求满足率（%）", "client hours served (% of need)"))
    ax.set_title(title or _zh(lang, "不同资金水平的服务产出", "What each funding level buys"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def comparison_figure(table: pd.DataFrame, title: str = "", lang: str = "zh") -> Figure:
    """Scenarios side by side by year: coverage, workers, spend, served share."""
    use_cjk_font()
    measures = [("coverage", _zh(lang, "覆盖率（%）", "coverage (%)"), 100), ("workers", _zh(lang, "社工人数", "workers"), 1),
                ("spend_total", _zh(lang, "支出（万元）", "spend (10,000 yuan)"), 1),
                ("served_share", _zh(lang, "服务需求满足率（%）", "client hours served (%)"), 100)]
    fig = Figure(figsize=(13, 3.6), dpi=110)
    axes = fig.subplots(1, 4)
    for ax, (col, label, scale) in zip(axes, measures):
        for name, g in table.groupby("scenario", sort=False):
            ax.plot(g["year"], g[col] * scale, marker="o", label=name)
        ax.set_title(label, fontsize=10)
        ax.set_xticks(sorted(table["year"].unique()))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(title or _zh(lang, "方案比较", "Scenarios compared"))
    fig.tight_layout()
    return fig


def tornado_figure(oat: pd.DataFrame, output: str, title: str = "", lang: str = "zh") -> Figure:
    """One-at-a-time sensitivity of `output`: the swing from each parameter's low to high value."""
    use_cjk_font()
    d = oat[oat["output"] == output].copy()
    d["swing"] = (d["at_high"] - d["at_low"]).abs()
    d = d.sort_values("swing")
    base = float(d["base"].iloc[0]) if len(d) else 0.0
    fig = Figure(figsize=(7.5, 0.45 * max(3, len(d)) + 1.2), dpi=120)
    ax = fig.subplots()
    ys = np.arange(len(d))
    ax.barh(ys, d["at_low"] - base, left=base, color="#8ecae6", label=_zh(lang, "参数取低值", "parameter at its low value"))
    ax.barh(ys, d["at_high"] - base, left=base, color="#fb8500", alpha=0.8,
            label=_zh(lang, "参数取高值", "parameter at its high value"))
    ax.axvline(base, color="#333333", lw=1)
    ax.set_yticks(ys, d["parameter"])
    name = OUTPUT_NAMES.get(output, output) if lang == "zh" else output
    ax.set_xlabel(name)
    ax.set_title(title or _zh(lang, f"{name}的敏感性（单因素）", f"Sensitivity of {output} (one at a time)"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def morris_figure(morris: pd.DataFrame, output: str, title: str = "", lang: str = "zh") -> Figure:
    """Morris screening of `output`: mean absolute elementary effect (mu*) against its spread (sigma)."""
    use_cjk_font()
    d = morris[morris["output"] == output]
    fig = Figure(figsize=(6.5, 4.5), dpi=120)
    ax = fig.subplots()
    ax.scatter(d["mu_star"], d["sigma"], color="#3a86ff")
    for _, r in d.iterrows():
        ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), fontsize=8, xytext=(4, 2), textcoords="offset points")
    ax.set_xlabel(_zh(lang, "mu*（平均绝对基本效应）", "mu* (mean absolute elementary effect)"))
    ax.set_ylabel(_zh(lang, "sigma（离散度：交互与非线性）", "sigma (spread: interactions, non-linearity)"))
    name = OUTPUT_NAMES.get(output, output) if lang == "zh" else output
    ax.set_title(title or _zh(lang, f"{name}的 Morris 筛选", f"Morris screening of {output}"))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def sobol_figure(sobol: pd.DataFrame, output: str, lang: str = "zh", title: str = "") -> Figure:
    """Sobol indices of `output`: first order (S1) and total (ST) per parameter, with 95% intervals."""
    use_cjk_font()
    d = sobol[sobol["output"] == output].sort_values("ST")
    fig = Figure(figsize=(7.5, 0.5 * max(3, len(d)) + 1.4), dpi=120)
    ax = fig.subplots()
    ys = np.arange(len(d))
    ax.barh(ys - 0.2, d["S1"], height=0.4, xerr=d["S1_conf"], color="#8ecae6",
            label=_zh(lang, "一阶指数 S1", "first order S1"))
    ax.barh(ys + 0.2, d["ST"], height=0.4, xerr=d["ST_conf"], color="#023047",
            label=_zh(lang, "总效应指数 ST", "total ST"))
    ax.set_yticks(ys, d["parameter"])
    name = OUTPUT_NAMES.get(output, output) if lang == "zh" else output
    ax.set_title(title or _zh(lang, f"{name}的 Sobol 指数", f"Sobol indices of {output}"))
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
