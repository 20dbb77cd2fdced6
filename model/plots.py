"""Figures of runs and experiments: one function per figure, result objects in, a Figure out.

Labels in Chinese (`zh`, default) or English (`en`): `report.language` of the scenario. Chinese
renders on any machine with the Noto Sans CJK SC font shipped by the mplfonts package
(`use_cjk_font`), no system fonts needed. Figures are built without pyplot's global state, so
a notebook shows each returned Figure once and scripts need no display.
"""
from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


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


OUTPUT_NAMES = {"workers_needed": "所需社工人数", "served_share": "服务需求满足率", "least_budget": "最低预算（万元）"}


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


def _png(fig: Figure) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _show_figures_in_notebooks() -> None:
    """In IPython/Jupyter, display a returned Figure as a PNG (our figures do not use pyplot's state)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is not None and hasattr(ip, "display_formatter"):
        ip.display_formatter.formatters["image/png"].for_type(Figure, _png)


_show_figures_in_notebooks()


def save(fig: Figure, path, svg: bool = False) -> None:
    """Write a figure as PNG (and as SVG beside it when `svg`, for print and slides)."""
    fig.savefig(path, format="png")
    if svg:
        from pathlib import Path

        fig.savefig(Path(path).with_suffix(".svg"), format="svg")


# --------------------------------------------------------------------------- language and fonts

_FONT_READY = False


def use_cjk_font() -> str:
    """Register the Noto Sans CJK SC font shipped by the mplfonts package and make it the default.

    Returns the family name. Chinese labels then render on any machine, with no system fonts.
    """
    global _FONT_READY
    from importlib import resources

    from matplotlib import font_manager

    family = "Noto Sans CJK SC"
    if not _FONT_READY:
        path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
        font_manager.fontManager.addfont(str(path))
        _FONT_READY = True
    plt.rcParams["font.family"] = [family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False       # the CJK font has no U+2212 minus
    return family


LABELS: dict[str, dict[str, str]] = {
    "rollout": {"en": "Stations opened and coverage", "zh": "社工站建设进度与覆盖率"},
    "opened": {"en": "stations opened", "zh": "新建站点数"},
    "coverage": {"en": "coverage", "zh": "覆盖率"},
    "coverage_target": {"en": "coverage target", "zh": "覆盖率目标"},
    "year": {"en": "year", "zh": "年份"},
    "stations": {"en": "stations", "zh": "站点（个）"},
    "share": {"en": "share (%)", "zh": "比例（%）"},
    "existing": {"en": "before the plan", "zh": "规划前已建"},
    "tiles": {"en": "Townships by county: year the station opens", "zh": "各县乡镇（街道）社工站建成年份"},
    "tiles_service": {"en": "Townships by county: simulated service level", "zh": "各乡镇（街道）模拟服务达标率"},
    "no_station": {"en": "no station", "zh": "未建站"},
    "staffing": {"en": "Workers by grade", "zh": "各等级社工人数"},
    "uncertified": {"en": "uncertified", "zh": "未持证"},
    "junior": {"en": "junior (助理社会工作师)", "zh": "助理社会工作师"},
    "intermediate": {"en": "intermediate (社会工作师)", "zh": "社会工作师"},
    "workers": {"en": "workers", "zh": "人数"},
    "certified_share": {"en": "certified share", "zh": "持证比例"},
    "per_1000": {"en": "workers per 1,000 elderly", "zh": "每千名老人社工数"},
    "target": {"en": "target", "zh": "目标"},
    "money": {"en": "Spend by item against the budget", "zh": "各项支出与年度预算"},
    "setup": {"en": "station setup", "zh": "站点建设"},
    "running": {"en": "station running", "zh": "站点运营"},
    "salary": {"en": "salaries", "zh": "人员薪酬"},
    "training": {"en": "certification training", "zh": "持证培训"},
    "budget": {"en": "budget", "zh": "预算"},
    "wan": {"en": "10,000 yuan", "zh": "万元"},
    "targets": {"en": "Targets: met or short", "zh": "目标完成情况"},
    "achieved_pct": {"en": "achieved, % of required", "zh": "完成度（占目标 %）"},
    "met": {"en": "met", "zh": "已完成"},
    "short": {"en": "short", "zh": "未完成"},
    "service": {"en": "Service in the simulation", "zh": "模拟服务情况"},
    "wait": {"en": "mean wait (days)", "zh": "平均等待（天）"},
    "stations_n": {"en": "stations", "zh": "站点数"},
    "unmet_by_group": {"en": "unmet client hours by group", "zh": "各群体未满足服务时长"},
    "hours": {"en": "hours/year", "zh": "小时/年"},
    "utilisation": {"en": "utilisation", "zh": "社工工作负荷"},
    "ratios": {"en": "Certified share and workers per 1,000 elderly", "zh": "持证比例与每千名老人社工数"},
}

TARGET_NAMES = {"coverage": "覆盖率", "certified_share": "持证比例", "workers_per_1000_elderly": "每千名老人社工数",
                "workers_per_100_care_beds": "每百张养老床位社工数", "workers_total": "社工总数",
                "workers_by_grade": "分等级社工数", "served_share": "服务满足率"}
"""Chinese names of the targets (targets.csv keeps the scenario's keys)."""


def label(key: str, lang: str) -> str:
    """The label `key` in language `lang` (zh or en)."""
    return LABELS[key]["zh" if lang == "zh" else "en"]


def _setup(lang: str) -> None:
    """Fonts for a figure: the CJK font in either language (county and group names are Chinese)."""
    use_cjk_font()


# --------------------------------------------------------------------------- figures of a run

def rollout_figure(plan: pd.DataFrame, townships: pd.DataFrame, targets: pd.DataFrame | None,
                   lang: str = "zh") -> Figure:
    """Stations opened per year by county (stacked bars) and coverage against its target."""
    _setup(lang)
    t = townships.set_index("township_id")
    years = sorted(plan["year"].unique())
    open_ = plan.pivot(index="township_id", columns="year", values="station").reindex(t.index)
    before = t["has_station"].astype(int)
    first = {}
    for tid, row in open_.iterrows():
        if before[tid]:
            first[tid] = "before"
        else:
            opened = [y for y in years if row[y] == 1]
            first[tid] = opened[0] if opened else None
    counties = list(dict.fromkeys(t["county"]))
    fig = Figure(figsize=(9, 4.8), dpi=110)
    ax = fig.subplots()
    bottom = np.zeros(len(years))
    cmap = plt.get_cmap("tab20", max(1, len(counties)))
    for k, c in enumerate(counties):
        ids = t.index[t["county"] == c]
        counts = np.array([sum(1 for i in ids if first[i] == y) for y in years], float)
        if counts.sum() == 0:
            continue
        ax.bar([str(y) for y in years], counts, bottom=bottom, color=cmap(k % 20), label=c if len(counties) <= 20 else None)
        bottom += counts
    ax.set_ylabel(label("opened", lang))
    ax2 = ax.twinx()
    cov = [open_[y].mean() * 100 for y in years]
    ax2.plot([str(y) for y in years], cov, "o-", color="#1d3557", lw=2, label=label("coverage", lang))
    if targets is not None:
        tg = targets[targets["target"] == "coverage"]
        if len(tg):
            ax2.scatter([str(int(y)) for y in tg["year"]], tg["required"] * 100, marker="_", s=600, color="#e63946",
                        lw=3, label=label("coverage_target", lang), zorder=5)
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(f"{label('coverage', lang)} (%)")
    ax.set_title(f"{label('rollout', lang)}（{int(before.sum())} {label('existing', lang)}）" if lang == "zh" else
                 f"{label('rollout', lang)} ({int(before.sum())} {label('existing', lang)})")
    handles, names = ax.get_legend_handles_labels()
    h2, n2 = ax2.get_legend_handles_labels()
    ax.legend(handles[:12] + h2, names[:12] + n2, fontsize=7, ncol=2, loc="upper left", frameon=False)
    fig.tight_layout()
    return fig


def _township_colours(plan: pd.DataFrame, townships: pd.DataFrame,
                      service: pd.Series | None) -> tuple[dict[str, Any], Any]:
    """Colour per township: by opening year (palette returned) or by service level (colormap returned)."""
    years = sorted(plan["year"].unique())
    open_ = plan.pivot(index="township_id", columns="year", values="station")
    before = dict(zip(townships["township_id"], townships["has_station"].astype(int)))
    colours: dict[str, Any] = {}
    if service is None:
        palette: dict[Any, Any] = {"before": "#1d3557", None: "#dddddd"}
        seq = plt.get_cmap("YlGn", len(years) + 2)
        for k, y in enumerate(years):
            palette[y] = seq(k + 2)
        for tid in townships["township_id"]:
            if before[tid]:
                colours[tid] = palette["before"]
            else:
                opened = [y for y in years if tid in open_.index and open_.loc[tid, y] == 1]
                colours[tid] = palette[opened[0] if opened else None]
        return colours, palette
    cmap = plt.get_cmap("RdYlGn")
    for tid in townships["township_id"]:
        v = service.get(tid, np.nan)
        colours[tid] = "#dddddd" if pd.isna(v) else cmap(float(np.clip((v - 0.5) / 0.5, 0, 1)))
    return colours, cmap


def _map_legend(fig: Figure, ax: Any, key: Any, years: list, lang: str, service: bool) -> None:
    if not service:
        from matplotlib.patches import Patch

        handles = [Patch(color=key["before"], label=label("existing", lang))]
        handles += [Patch(color=key[y], label=str(y)) for y in years]
        handles += [Patch(color=key[None], label=label("no_station", lang))]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        ax.set_title(label("tiles", lang))
    else:
        sm = plt.cm.ScalarMappable(cmap=key, norm=plt.Normalize(50, 100))
        fig.colorbar(sm, ax=ax, fraction=0.03, label="%")
        ax.set_title(label("tiles_service", lang))


def tile_map_figure(plan: pd.DataFrame, townships: pd.DataFrame, lang: str = "zh",
                    service: pd.Series | None = None) -> Figure:
    """Every township a tile, grouped by county: coloured by opening year, or by simulated service level."""
    _setup(lang)
    t = townships.reset_index(drop=True)
    colours, key = _township_colours(plan, t, service)
    counties = list(dict.fromkeys(t["county"]))
    cols = min(max(int(t.groupby("county").size().max()), 1), 30)
    rows_per = {c: int(np.ceil((t["county"] == c).sum() / cols)) for c in counties}
    total_rows = sum(rows_per.values()) + len(counties)
    fig = Figure(figsize=(min(14, 3 + cols * 0.32), min(22, 1 + total_rows * 0.3)), dpi=110)
    ax = fig.subplots()
    r = 0
    for c in counties:
        ids = t.loc[t["county"] == c, "township_id"].tolist()
        ax.text(-0.6, -r - 0.5, c, ha="right", va="center", fontsize=8)
        for k, tid in enumerate(ids):
            x, y = k % cols, -(r + k // cols)
            ax.add_patch(plt.Rectangle((x, y - 1), 0.92, 0.92, color=colours[tid]))
        r += rows_per[c] + 1
    ax.set_xlim(-0.5, cols + 0.5)
    ax.set_ylim(-r - 0.5, 0.5)
    ax.set_axis_off()
    _map_legend(fig, ax, key, sorted(plan["year"].unique()), lang, service is not None)
    fig.tight_layout()
    return fig


def boundary_map_figure(plan: pd.DataFrame, townships: pd.DataFrame, shapes: dict[str, list], lang: str = "zh",
                        service: pd.Series | None = None) -> Figure:
    """Townships drawn with their real boundaries (report.boundaries), coloured like the tile map."""
    from matplotlib.patches import Polygon

    _setup(lang)
    colours, key = _township_colours(plan, townships.reset_index(drop=True), service)
    fig = Figure(figsize=(9, 8), dpi=110)
    ax = fig.subplots()
    for tid, rings in shapes.items():
        for ring in rings:
            ax.add_patch(Polygon(ring, closed=True, facecolor=colours.get(tid, "#f4f4f4"), edgecolor="white", lw=0.6))
    points = np.concatenate([ring for rings in shapes.values() for ring in rings])
    ax.set_xlim(points[:, 0].min(), points[:, 0].max())
    ax.set_ylim(points[:, 1].min(), points[:, 1].max())
    ax.set_aspect("equal")
    ax.set_axis_off()
    _map_legend(fig, ax, key, sorted(plan["year"].unique()), lang, service is not None)
    missing = sorted(set(townships["township_id"]) - set(shapes))
    if missing:
        fig.text(0.01, 0.01, ("无边界的乡镇：" if lang == "zh" else "no boundary: ") + ", ".join(missing[:12])
                 + (" …" if len(missing) > 12 else ""), fontsize=7)
    fig.tight_layout()
    return fig


def staffing_figure(summary: pd.DataFrame, targets: pd.DataFrame | None, lang: str = "zh") -> Figure:
    """Workers by grade per year (stacked), with certified share and workers per 1,000 elderly against targets."""
    _setup(lang)
    years = [str(int(y)) for y in summary["year"]]
    fig = Figure(figsize=(11, 4.2), dpi=110)
    ax, ax2 = fig.subplots(1, 2)
    bottom = np.zeros(len(years))
    for grade, color in (("uncertified", "#adb5bd"), ("junior", "#457b9d"), ("intermediate", "#1d3557")):
        v = summary[f"workers_{grade}"].to_numpy(float)
        ax.bar(years, v, bottom=bottom, color=color, label=label(grade, lang))
        bottom += v
    ax.set_ylabel(label("workers", lang))
    ax.set_title(label("staffing", lang))
    ax.legend(fontsize=8, frameon=False)
    ax2.plot(years, summary["certified_share"] * 100, "o-", color="#457b9d", label=label("certified_share", lang) + " (%)")
    ax2.plot(years, summary["workers_per_1000_elderly"] * 100, "s-", color="#e76f51",
             label=label("per_1000", lang) + " ×100")
    if targets is not None:
        for name, col, scale, color in (("certified_share", "certified_share", 100, "#457b9d"),
                                        ("workers_per_1000_elderly", "workers_per_1000_elderly", 100, "#e76f51")):
            tg = targets[targets["target"] == name]
            if len(tg):
                ax2.scatter([str(int(y)) for y in tg["year"]], tg["required"] * scale, marker="_", s=500, lw=3,
                            color=color, label=f"{label('target', lang)}: {label(col if col != 'workers_per_1000_elderly' else 'per_1000', lang)}")
    ax2.set_ylim(bottom=0)
    ax2.set_title(label("ratios", lang))
    ax2.legend(fontsize=8, frameon=False)
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def money_figure(summary: pd.DataFrame, lang: str = "zh") -> Figure:
    """Spend by item (setup, running, salary, training) per year against the budget (万元)."""
    _setup(lang)
    years = [str(int(y)) for y in summary["year"]]
    fig = Figure(figsize=(8, 4.4), dpi=110)
    ax = fig.subplots()
    bottom = np.zeros(len(years))
    for item, color in (("setup", "#f4a261"), ("running", "#2a9d8f"), ("salary", "#264653"), ("training", "#e9c46a")):
        v = summary[f"spend_{item}"].to_numpy(float)
        ax.bar(years, v, bottom=bottom, color=color, label=label(item, lang))
        bottom += v
    if "budget" in summary and summary["budget"].notna().any():
        ax.scatter(years, summary["budget"], marker="_", s=900, lw=3, color="#e63946", label=label("budget", lang), zorder=5)
    ax.set_ylabel(label("wan", lang))
    ax.set_title(label("money", lang))
    ax.legend(fontsize=8, frameon=False, ncol=3, loc="upper left")
    ax.set_ylim(0, max(bottom.max(), float(summary["budget"].max() if "budget" in summary else 0) or 0) * 1.25)
    fig.tight_layout()
    return fig


def targets_figure(targets: pd.DataFrame, lang: str = "zh") -> Figure:
    """Each target: achieved as a share of required, green when met, red with the shortfall when short."""
    _setup(lang)
    d = targets.copy()
    d["pct"] = np.where(d["required"] > 0, d["achieved"] / d["required"] * 100, 100.0)
    def name(target: str) -> str:
        base, _, key = target.partition(".")
        text = TARGET_NAMES.get(base, base) if lang == "zh" else base
        return f"{text}（{key}）" if key and lang == "zh" else (f"{text} ({key})" if key else text)
    names = [f"{name(r.target)} {int(r.year)}" for r in d.itertuples()]
    fig = Figure(figsize=(8, 0.5 * max(3, len(d)) + 1.2), dpi=110)
    ax = fig.subplots()
    colors = ["#2a9d8f" if m else "#e63946" for m in d["met"]]
    ax.barh(names, np.minimum(d["pct"], 150), color=colors)
    ax.axvline(100, color="#333333", lw=1)
    for k, r in enumerate(d.itertuples()):
        text = label("met", lang) if r.met else f"{label('short', lang)} {r.shortfall:.4g} {r.unit}"
        ax.text(min(r.pct, 150) + 2, k, text, va="center", fontsize=8)
    ax.set_xlim(0, 175)
    ax.set_xlabel(label("achieved_pct", lang))
    ax.set_title(label("targets", lang))
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def service_figure(simulation: pd.DataFrame, service: pd.DataFrame | None, groups: dict[str, str],
                   lang: str = "zh") -> Figure:
    """Simulated waits across stations, unmet client hours by group (planned), utilisation by station."""
    _setup(lang)
    last = simulation[simulation["year"] == simulation["year"].max()]
    open_ = last[last["workers"] > 0]
    fig = Figure(figsize=(13, 4.0), dpi=110)
    axes = fig.subplots(1, 3)
    axes[0].hist(open_["wait_mean_days"].dropna(), bins=20, color="#457b9d")
    axes[0].set_xlabel(label("wait", lang))
    axes[0].set_ylabel(label("stations_n", lang))
    if service is not None and len(service):
        s = service[service["year"] == service["year"].max()].groupby("group")[["demand_hours", "served_hours"]].sum()
        unmet = (s["demand_hours"] - s["served_hours"]).sort_values()
        axes[1].barh([groups.get(g, g) for g in unmet.index], unmet.to_numpy(), color="#e76f51")
        axes[1].set_xlabel(label("hours", lang))
        axes[1].set_title(label("unmet_by_group", lang), fontsize=10)
    axes[2].hist(open_["utilisation"] * 100, bins=20, color="#2a9d8f")
    axes[2].set_xlabel(label("utilisation", lang) + " (%)")
    fig.suptitle(f"{label('service', lang)} ({int(last['year'].max())})" if lang != "zh" else
                 f"{label('service', lang)}（{int(last['year'].max())}年）")
    fig.tight_layout()
    return fig
