"""Figures of a plan: roll-out and coverage, township maps, workers by grade, money, targets."""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Polygon, Rectangle

from model.output.figures.maps import (
    CATCHMENT_COLOUR,
    SERVED_FACE,
    SERVED_HATCH,
    catchment_handles,
    draw_links,
    last_year_links,
)
from model.output.figures.style import Figure, styled
from model.output.i18n import t
from model.vocabulary import GRADES

LEGEND_COUNTIES = 8
"""Counties named in the stations chart's legend (most stations opened first); the rest are
one bar segment and one entry, "其他" (others)."""


def county_groups(
    counts: dict[str, np.ndarray], top: int = LEGEND_COUNTIES
) -> list[tuple[str | None, np.ndarray]]:
    """The bar segments of the stations chart: the `top` counties by stations opened (most
    first), then the rest summed as one segment named None ("其他"); every county by name when
    there are no more than `top` + 1 (one county is no group). Counties opening none are left
    out."""
    ranked = sorted(
        ((c, v) for c, v in counts.items() if v.sum() > 0), key=lambda cv: -float(cv[1].sum())
    )
    if len(ranked) <= top + 1:
        return list(ranked)
    rest = np.sum([v for _, v in ranked[top:]], axis=0)
    return [*ranked[:top], (None, rest)]


@styled
def rollout_figure(
    plan: pd.DataFrame,
    townships: pd.DataFrame,
    targets: pd.DataFrame | None,
    lang: str = "zh",
    top: int = LEGEND_COUNTIES,
) -> Figure:
    """Stations opened per year by county (stacked bars: the `top` counties by stations opened,
    the rest as "其他") and coverage (%) against its target; the legend beside the axes."""
    towns = townships.set_index("township_id")
    years = sorted(plan["year"].unique())
    open_ = plan.pivot(index="township_id", columns="year", values="station").reindex(towns.index)
    before = towns["has_station"].astype(int)
    first: dict[str, Any] = {}  # township -> year its station opens, 'before' or None
    for tid, row in open_.iterrows():
        if before[tid]:
            first[tid] = "before"
        else:
            opened = [y for y in years if row[y] == 1]
            first[tid] = opened[0] if opened else None
    counts = {}
    for c in dict.fromkeys(towns["county"]):
        ids = towns.index[towns["county"] == c]
        counts[c] = np.array([sum(1 for i in ids if first[i] == y) for y in years], float)
    groups = county_groups(counts, top)
    rest = sum(1 for v in counts.values() if v.sum() > 0) - len(groups) + 1  # in "其他"
    fig = Figure(figsize=(10, 4.8), dpi=110)
    ax = fig.subplots()
    bottom = np.zeros(len(years))
    cmap = matplotlib.colormaps["tab20"]
    for k, (c, v) in enumerate(groups):
        ax.bar(
            [str(y) for y in years],
            v,
            bottom=bottom,
            color="#bbbbbb" if c is None else cmap(k % 20),
            label=t("fig.other_counties", lang, n=rest) if c is None else c,
        )
        bottom += v
    ax.set_ylabel(t("fig.opened", lang))
    ax2 = ax.twinx()
    cov = [open_[y].mean() * 100 for y in years]
    ax2.plot(
        [str(y) for y in years], cov, "o-", color="#1d3557", lw=2, label=t("fig.coverage", lang)
    )
    if targets is not None:
        tg = targets[targets["target"] == "coverage"]
        if len(tg):
            ax2.scatter(
                [str(int(y)) for y in tg["year"]],
                tg["required"] * 100,
                marker="_",
                s=600,
                color="#e63946",
                lw=3,
                label=t("fig.coverage_target", lang),
                zorder=5,
            )
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(t("fig.coverage_pct", lang))
    ax.set_title(t("fig.rollout_title", lang, n=int(before.sum())))
    handles, names = ax.get_legend_handles_labels()
    h2, n2 = ax2.get_legend_handles_labels()
    ax2.legend(  # outside the bars, right of the coverage axis
        h2 + handles[::-1],  # the top segment first, as stacked
        n2 + names[::-1],
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.1, 1.0),
        frameon=False,
    )
    fig.tight_layout()
    return fig


def _township_colours(
    plan: pd.DataFrame, townships: pd.DataFrame, service: pd.Series | None
) -> tuple[dict[str, Any], Any]:
    """Colour per township: by opening year (returns a palette) or service level (a colormap)."""
    years = sorted(plan["year"].unique())
    open_ = plan.pivot(index="township_id", columns="year", values="station")
    before = dict(zip(townships["township_id"], townships["has_station"].astype(int), strict=True))
    colours: dict[str, Any] = {}
    if service is None:
        palette: dict[Any, Any] = {"before": "#1d3557", None: "#dddddd"}
        seq = matplotlib.colormaps["YlGn"].resampled(len(years) + 2)
        for k, y in enumerate(years):
            palette[y] = seq(k + 2)
        for tid in townships["township_id"]:
            if before[tid]:
                colours[tid] = palette["before"]
            else:
                opened = [y for y in years if tid in open_.index and open_.loc[tid, y] == 1]
                colours[tid] = palette[opened[0] if opened else None]
        _, links = last_year_links(plan)
        served = set(links["township_id"])
        for tid in townships["township_id"]:
            if str(tid) in served and colours[tid] == palette[None]:
                colours[tid] = SERVED_FACE
        return colours, palette
    cmap = matplotlib.colormaps["RdYlGn"]
    for tid in townships["township_id"]:
        v = service.get(tid, np.nan)
        colours[tid] = "#dddddd" if pd.isna(v) else cmap(float(np.clip((v - 0.5) / 0.5, 0, 1)))
    return colours, cmap


def _map_legend(
    fig: Figure, ax: Any, key: Any, plan: pd.DataFrame, lang: str, service: bool
) -> None:
    """The township map's legend (opening years, or a colour bar of service levels), with the
    catchments' entries when the plan's last year has any."""
    years = sorted(plan["year"].unique())
    last, links = last_year_links(plan)
    extra = catchment_handles(last, lang, filled=not service) if len(links) else []
    if not service:
        handles = [Patch(color=key["before"], label=t("fig.existing", lang))]
        handles += [Patch(color=key[y], label=str(y)) for y in years]
        handles += [Patch(color=key[None], label=t("fig.no_station", lang))]
        ax.legend(
            handles=handles + extra,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            fontsize=8,
            frameon=False,
        )
        ax.set_title(t("fig.tiles", lang))
    else:
        sm = ScalarMappable(cmap=key, norm=Normalize(50, 100))
        fig.colorbar(sm, ax=ax, fraction=0.03, label="%")
        if extra:
            ax.legend(
                handles=extra,
                loc="upper left",
                bbox_to_anchor=(0.0, 0.0),
                fontsize=8,
                frameon=False,
            )
        ax.set_title(t("fig.tiles_service", lang))


def _hatch(patch: Any) -> Any:
    """`patch` as the hatching over a served township (no fill, no outline)."""
    patch.set_fill(False)
    patch.set_hatch(SERVED_HATCH)
    patch.set_edgecolor(CATCHMENT_COLOUR)
    patch.set_linewidth(0.0)
    return patch


def centre(rings: list) -> tuple[float, float]:
    """A township's point on the boundary map: the area centroid of its largest ring (the
    mean of its vertices when the ring has no area)."""

    def cross(ring: np.ndarray) -> np.ndarray:
        x, y = ring[:, 0], ring[:, 1]
        return x * np.roll(y, -1) - np.roll(x, -1) * y

    arrays = [np.asarray(r, dtype=float).reshape(-1, 2) for r in rings]
    ring = max(arrays, key=lambda r: abs(cross(r).sum()))
    x, y = ring[:, 0], ring[:, 1]
    area = cross(ring).sum() / 2
    if abs(area) < 1e-12:
        return float(x.mean()), float(y.mean())
    cx = ((x + np.roll(x, -1)) * cross(ring)).sum() / (6 * area)
    cy = ((y + np.roll(y, -1)) * cross(ring)).sum() / (6 * area)
    return float(cx), float(cy)


@styled
def tile_map_figure(
    plan: pd.DataFrame, townships: pd.DataFrame, lang: str = "zh", service: pd.Series | None = None
) -> Figure:
    """Every township a tile, grouped by county, coloured by opening year or simulated service;
    when the plan's last year has catchments (plan.csv `served_by`), each served township
    hatched with a thin line to its station."""
    towns = townships.reset_index(drop=True)
    colours, key = _township_colours(plan, towns, service)
    counties = list(dict.fromkeys(towns["county"]))
    cols = min(max(int(towns.groupby("county").size().max()), 1), 30)
    rows_per = {c: int(np.ceil((towns["county"] == c).sum() / cols)) for c in counties}
    total_rows = sum(rows_per.values()) + len(counties)
    fig = Figure(figsize=(min(14, 3 + cols * 0.32), min(22, 1 + total_rows * 0.3)), dpi=110)
    ax = fig.subplots()
    _, links = last_year_links(plan)
    served = set(links["township_id"])
    centres: dict[str, tuple[float, float]] = {}
    r = 0
    for c in counties:
        ids = towns.loc[towns["county"] == c, "township_id"].tolist()
        ax.text(-0.6, -r - 0.5, c, ha="right", va="center", fontsize=8)
        for k, tid in enumerate(ids):
            x, y = k % cols, -(r + k // cols)
            ax.add_patch(Rectangle((x, y - 1), 0.92, 0.92, color=colours[tid]))
            if str(tid) in served:
                ax.add_patch(_hatch(Rectangle((x, y - 1), 0.92, 0.92)))
            centres[str(tid)] = (x + 0.46, y - 0.54)
        r += rows_per[c] + 1
    draw_links(ax, centres, links)
    ax.set_xlim(-0.5, cols + 0.5)
    ax.set_ylim(-r - 0.5, 0.5)
    ax.set_axis_off()
    _map_legend(fig, ax, key, plan, lang, service is not None)
    fig.tight_layout()
    return fig


@styled
def boundary_map_figure(
    plan: pd.DataFrame,
    townships: pd.DataFrame,
    shapes: dict[str, list],
    lang: str = "zh",
    service: pd.Series | None = None,
) -> Figure:
    """Townships drawn with their real boundaries (report.boundaries), coloured and with
    catchments as the tile map (lines between the townships' centroids)."""
    colours, key = _township_colours(plan, townships.reset_index(drop=True), service)
    fig = Figure(figsize=(9, 8), dpi=110)
    ax = fig.subplots()
    for tid, rings in shapes.items():
        for ring in rings:
            ax.add_patch(
                Polygon(
                    ring,
                    closed=True,
                    facecolor=colours.get(tid, "#f4f4f4"),
                    edgecolor="white",
                    lw=0.6,
                )
            )
    _, links = last_year_links(plan)
    if len(links):
        served = set(links["township_id"])
        for tid, rings in shapes.items():
            if str(tid) in served:
                for ring in rings:
                    ax.add_patch(_hatch(Polygon(ring, closed=True)))
        draw_links(ax, {str(k): centre(rings) for k, rings in shapes.items() if rings}, links)
    points = np.concatenate([ring for rings in shapes.values() for ring in rings])
    ax.set_xlim(points[:, 0].min(), points[:, 0].max())
    ax.set_ylim(points[:, 1].min(), points[:, 1].max())
    ax.set_aspect("equal")
    ax.set_axis_off()
    _map_legend(fig, ax, key, plan, lang, service is not None)
    missing = sorted(set(townships["township_id"]) - set(shapes))
    if missing:
        ids = ", ".join(missing[:12]) + (" …" if len(missing) > 12 else "")
        fig.text(0.01, 0.01, t("fig.no_boundary", lang, ids=ids), fontsize=7)
    fig.tight_layout()
    return fig


GRADE_COLOURS = {"uncertified": "#adb5bd", "junior": "#457b9d", "intermediate": "#1d3557"}
"""Colour of each worker grade in every figure that shows grades."""


def grade_bars(ax: Any, years: list[str], summary: pd.DataFrame, lang: str) -> None:
    """Workers by grade per year as stacked bars (uncertified at the bottom), labelled by grade."""
    bottom = np.zeros(len(years))
    for grade in GRADES:
        v = summary[f"workers_{grade}"].to_numpy(float)
        ax.bar(years, v, bottom=bottom, color=GRADE_COLOURS[grade], label=t(f"grade.{grade}", lang))
        bottom += v


@styled
def staffing_figure(
    summary: pd.DataFrame, targets: pd.DataFrame | None, lang: str = "zh"
) -> Figure:
    """Workers by grade per year (stacked); certified share (%, left axis) and workers per
    1,000 elderly (workers, right axis) with their targets: one unit per axis."""
    years = [str(int(y)) for y in summary["year"]]
    fig = Figure(figsize=(11, 4.2), dpi=110)
    ax, share_ax = fig.subplots(1, 2)
    grade_bars(ax, years, summary, lang)
    ax.set_ylabel(t("fig.workers", lang))
    ax.set_title(t("fig.staffing", lang))
    ax.legend(fontsize=8, frameon=False)
    per_ax = share_ax.twinx()
    lines = (  # axis, column, scale, marker, colour, line, axis label, target
        (share_ax, "certified_share", 100, "o-", "#457b9d")
        + ("fig.certified_share", "fig.certified_share_pct", "fig.target_certified"),
        (per_ax, "workers_per_1000_elderly", 1, "s-", "#e76f51")
        + ("fig.per_1000", "fig.per_1000_axis", "fig.target_per_1000"),
    )
    for axis, column, scale, mark, color, label, unit, target in lines:
        axis.plot(years, summary[column] * scale, mark, color=color, label=t(label, lang))
        axis.set_ylabel(t(unit, lang), color=color)
        axis.tick_params(axis="y", colors=color)
        if targets is not None and (targets["target"] == column).any():
            tg = targets[targets["target"] == column]
            axis.scatter(
                [str(int(y)) for y in tg["year"]],
                tg["required"] * scale,
                marker="_",
                s=500,
                lw=3,
                color=color,
                label=t(target, lang),
            )
        axis.set_ylim(bottom=0)
    share_ax.set_ylim(0, 105)
    per_ax.set_ylim(top=max(per_ax.get_ylim()[1], 0.1) * 1.15)  # room for the legend
    share_ax.set_title(t("fig.ratios", lang))
    h1, n1 = share_ax.get_legend_handles_labels()
    h2, n2 = per_ax.get_legend_handles_labels()
    per_ax.legend(h1 + h2, n1 + n2, fontsize=8, frameon=False, loc="lower right")
    share_ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


@styled
def money_figure(summary: pd.DataFrame, lang: str = "zh") -> Figure:
    """Spend by item (setup, running, salary, training) per year against the budget (万元)."""
    years = [str(int(y)) for y in summary["year"]]
    fig = Figure(figsize=(8, 4.4), dpi=110)
    ax = fig.subplots()
    bottom = np.zeros(len(years))
    for item, text, color in (
        ("setup", "fig.setup", "#f4a261"),
        ("running", "fig.running", "#2a9d8f"),
        ("salary", "fig.salary", "#264653"),
        ("training", "fig.training", "#e9c46a"),
    ):
        v = summary[f"spend_{item}"].to_numpy(float)
        ax.bar(years, v, bottom=bottom, color=color, label=t(text, lang))
        bottom += v
    if "budget" in summary and summary["budget"].notna().any():
        ax.scatter(
            years,
            summary["budget"],
            marker="_",
            s=900,
            lw=3,
            color="#e63946",
            label=t("fig.budget", lang),
            zorder=5,
        )
    ax.set_ylabel(t("fig.wan", lang))
    ax.set_title(t("fig.money", lang))
    ax.legend(fontsize=8, frameon=False, ncol=3, loc="upper left")
    budget = float(summary["budget"].max() if "budget" in summary else 0) or 0
    ax.set_ylim(0, max(bottom.max(), budget) * 1.25)
    fig.tight_layout()
    return fig


@styled
def targets_figure(targets: pd.DataFrame, lang: str = "zh") -> Figure:
    """Each target: achieved as a share of required; green when met, red with the shortfall."""
    d = targets.copy()
    d["pct"] = np.where(d["required"] > 0, d["achieved"] / d["required"] * 100, 100.0)

    def name(target: str) -> str:
        base, _, key = target.partition(".")
        text = t(f"target.{base}", lang)
        return t("fig.target_with_key", lang, name=text, which=key) if key else text

    names = [f"{name(r.target)} {int(r.year)}" for r in d.itertuples()]
    fig = Figure(figsize=(8, 0.5 * max(3, len(d)) + 1.2), dpi=110)
    ax = fig.subplots()
    colors = ["#2a9d8f" if m else "#e63946" for m in d["met"]]
    ax.barh(names, np.minimum(d["pct"], 150), color=colors)
    ax.axvline(100, color="#333333", lw=1)
    for k, r in enumerate(d.itertuples()):
        text = (
            t("fig.met", lang)
            if r.met
            else t("fig.short", lang, shortfall=r.shortfall, unit=r.unit)
        )
        ax.text(min(r.pct, 150) + 2, k, text, va="center", fontsize=8)
    ax.set_xlim(0, 175)
    ax.set_xlabel(t("fig.achieved_pct", lang))
    ax.set_title(t("fig.targets", lang))
    ax.invert_yaxis()
    fig.tight_layout()
    return fig
