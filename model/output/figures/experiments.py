"""Figures of experiments: budget frontier, comparisons, sensitivity (tornado, Morris, Sobol)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.output.figures.style import Figure, styled
from model.output.i18n import t


@styled
def frontier_figure(
    frontier: pd.DataFrame, least_total: float | None = None, title: str = "", lang: str = "zh"
) -> Figure:
    """Served share against total budget over the horizon (万元); knee and least budget marked,
    levels without a plan (`status` other than planned) as crosses on the axis."""
    fig = Figure(figsize=(7.5, 4.5), dpi=120)
    ax = fig.subplots()
    planned = (
        (frontier["status"] == "planned").to_numpy(bool)
        if "status" in frontier
        else np.ones(len(frontier), bool)
    )
    x = frontier["budget_total"].to_numpy(float)
    y = frontier["served_share"].to_numpy(float) * 100
    met = frontier["all_targets_met"].to_numpy(bool)
    ax.plot(x[planned], y[planned], "-", color="#4c72b0", lw=1.5, zorder=1)
    ax.scatter(
        x[met], y[met], color="#2a9d8f", s=36, zorder=2, label=t("fig.every_target_met", lang)
    )
    missed = ~met & planned
    ax.scatter(
        x[missed], y[missed], color="#e76f51", s=36, zorder=2, label=t("fig.a_target_missed", lang)
    )
    if (~planned).any():
        bottom = np.nanmin(y[planned]) if planned.any() else 0.0
        ax.scatter(
            x[~planned],
            np.full(int((~planned).sum()), bottom),
            marker="x",
            color="#6c757d",
            s=48,
            zorder=3,
            label=t("fig.no_plan", lang),
        )
    if "simulated_served_share" in frontier:
        ax.plot(
            x[planned],
            frontier["simulated_served_share"].to_numpy(float)[planned] * 100,
            "--",
            color="#8d99ae",
            lw=1.2,
            label=t("fig.served_in_simulation", lang),
        )
    knee = np.flatnonzero(frontier["knee"].to_numpy(bool))
    if len(knee):
        k = int(knee[0])
        ax.annotate(
            t("fig.knee", lang),
            (x[k], y[k]),
            xytext=(28, -28),
            textcoords="offset points",
            ha="left",
            arrowprops={"arrowstyle": "->", "color": "#333333"},
        )
    if least_total is not None and np.isfinite(least_total):
        ax.axvline(least_total, color="#6d597a", ls=":", lw=1.3)
        ax.text(
            least_total,
            ax.get_ylim()[0],
            t("fig.least_budget", lang),
            rotation=90,
            va="bottom",
            ha="right",
            fontsize=8,
            color="#6d597a",
        )
        if (~met & (x > least_total)).any():  # a level with more money misses a target: say why
            fig.text(0.01, 0.01, t("fig.least_budget_why", lang), fontsize=7, color="#6d597a")
    ax.set_xlabel(t("fig.total_budget", lang))
    ax.set_ylabel(t("fig.served_pct_horizon", lang))
    ax.set_title(title or t("fig.frontier_title", lang))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


@styled
def comparison_figure(table: pd.DataFrame, title: str = "", lang: str = "zh") -> Figure:
    """Scenarios side by side by year: coverage, workers, spend, served share."""
    measures = [
        ("coverage", "fig.compare_coverage", 100),
        ("workers", "fig.compare_workers", 1),
        ("spend_total", "fig.compare_spend", 1),
        ("served_share", "fig.compare_served", 100),
    ]
    fig = Figure(figsize=(13, 3.6), dpi=110)
    axes = fig.subplots(1, 4)
    for ax, (col, label, scale) in zip(axes, measures, strict=True):
        for name, g in table.groupby("scenario", sort=False):
            ax.plot(g["year"], g[col] * scale, marker="o", label=name)
        ax.set_title(t(label, lang), fontsize=10)
        ax.set_xticks(sorted(table["year"].unique()))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(title or t("fig.compare_title", lang))
    fig.tight_layout()
    return fig


@styled
def tornado_figure(oat: pd.DataFrame, output: str, title: str = "", lang: str = "zh") -> Figure:
    """One-at-a-time sensitivity of `output`: the swing from each parameter's low to high value."""
    d = oat[oat["output"] == output].copy()
    d["swing"] = (d["at_high"] - d["at_low"]).abs()
    d = d.sort_values("swing")
    base = float(d["base"].iloc[0]) if len(d) else 0.0
    fig = Figure(figsize=(7.5, 0.45 * max(3, len(d)) + 1.2), dpi=120)
    ax = fig.subplots()
    ys = np.arange(len(d))
    ax.barh(ys, d["at_low"] - base, left=base, color="#8ecae6", label=t("fig.at_low", lang))
    ax.barh(
        ys, d["at_high"] - base, left=base, color="#fb8500", alpha=0.8, label=t("fig.at_high", lang)
    )
    ax.axvline(base, color="#333333", lw=1)
    ax.set_yticks(ys, d["parameter"])
    name = t(f"output.{output}", lang)
    ax.set_xlabel(name)
    ax.set_title(title or t("fig.tornado_title", lang, name=name))
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@styled
def morris_figure(morris: pd.DataFrame, output: str, title: str = "", lang: str = "zh") -> Figure:
    """Morris screening of `output`: mean absolute elementary effect (mu*) and spread (sigma)."""
    d = morris[morris["output"] == output]
    fig = Figure(figsize=(6.5, 4.5), dpi=120)
    ax = fig.subplots()
    ax.scatter(d["mu_star"], d["sigma"], color="#3a86ff")
    for _, r in d.iterrows():
        ax.annotate(
            r["parameter"],
            (r["mu_star"], r["sigma"]),
            fontsize=8,
            xytext=(4, 2),
            textcoords="offset points",
        )
    ax.set_xlabel(t("fig.mu_star", lang))
    ax.set_ylabel(t("fig.sigma", lang))
    ax.set_title(title or t("fig.morris_title", lang, name=t(f"output.{output}", lang)))
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


@styled
def sobol_figure(sobol: pd.DataFrame, output: str, lang: str = "zh", title: str = "") -> Figure:
    """Sobol indices of `output`: first order (S1) and total (ST) per parameter, 95% intervals."""
    d = sobol[sobol["output"] == output].sort_values("ST")
    fig = Figure(figsize=(7.5, 0.5 * max(3, len(d)) + 1.4), dpi=120)
    ax = fig.subplots()
    ys = np.arange(len(d))
    ax.barh(
        ys - 0.2, d["S1"], height=0.4, xerr=d["S1_conf"], color="#8ecae6", label=t("fig.s1", lang)
    )
    ax.barh(
        ys + 0.2, d["ST"], height=0.4, xerr=d["ST_conf"], color="#023047", label=t("fig.st", lang)
    )
    ax.set_yticks(ys, d["parameter"])
    ax.set_title(title or t("fig.sobol_title", lang, name=t(f"output.{output}", lang)))
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
