"""Figures of runs and experiments: one function per figure, result objects in, a Figure out.

Labels are in English for now (Chinese labels with a bundled CJK font come with the report).
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files only; notebooks show the returned Figure themselves

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def frontier_figure(frontier: pd.DataFrame, least_total: float | None = None, title: str = "") -> Figure:
    """Served share against total budget over the horizon; knee and least budget for every target marked."""
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    x = frontier["budget_total"].to_numpy(float)
    y = frontier["served_share"].to_numpy(float) * 100
    met = frontier["all_targets_met"].to_numpy(bool)
    ax.plot(x, y, "-", color="#4c72b0", lw=1.5, zorder=1)
    ax.scatter(x[met], y[met], color="#2a9d8f", s=36, zorder=2, label="every target met")
    ax.scatter(x[~met], y[~met], color="#e76f51", s=36, zorder=2, label="a target missed")
    if "simulated_served_share" in frontier:
        ax.plot(x, frontier["simulated_served_share"].to_numpy(float) * 100, "--", color="#8d99ae", lw=1.2,
                label="served in simulation")
    knee = np.flatnonzero(frontier["knee"].to_numpy(bool))
    if len(knee):
        k = int(knee[0])
        ax.annotate("knee", (x[k], y[k]), xytext=(28, -28), textcoords="offset points", ha="left",
                    arrowprops={"arrowstyle": "->", "color": "#333333"})
    if least_total is not None and np.isfinite(least_total):
        ax.axvline(least_total, color="#6d597a", ls=":", lw=1.3)
        ax.text(least_total, ax.get_ylim()[0], " least budget for every target", rotation=90, va="bottom",
                ha="right", fontsize=8, color="#6d597a")
    ax.set_xlabel("total budget over the horizon (10,000 yuan)")
    ax.set_ylabel("client hours served (% of need)")
    ax.set_title(title or "What each funding level buys")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def comparison_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Scenarios side by side by year: coverage, workers, spend, served share."""
    measures = [("coverage", "coverage (%)", 100), ("workers", "workers", 1), ("spend_total", "spend (10,000 yuan)", 1),
                ("served_share", "client hours served (%)", 100)]
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.6), dpi=110)
    for ax, (col, label, scale) in zip(axes, measures):
        for name, g in table.groupby("scenario", sort=False):
            ax.plot(g["year"], g[col] * scale, marker="o", label=name)
        ax.set_title(label, fontsize=10)
        ax.set_xticks(sorted(table["year"].unique()))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle(title or "Scenarios compared")
    fig.tight_layout()
    return fig


def tornado_figure(oat: pd.DataFrame, output: str, title: str = "") -> Figure:
    """One-at-a-time sensitivity of `output`: the swing from each parameter's low to high value."""
    d = oat[oat["output"] == output].copy()
    d["swing"] = (d["at_high"] - d["at_low"]).abs()
    d = d.sort_values("swing")
    base = float(d["base"].iloc[0]) if len(d) else 0.0
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(3, len(d)) + 1.2), dpi=120)
    ys = np.arange(len(d))
    ax.barh(ys, d["at_low"] - base, left=base, color="#8ecae6", label="parameter at its low value")
    ax.barh(ys, d["at_high"] - base, left=base, color="#fb8500", alpha=0.8, label="parameter at its high value")
    ax.axvline(base, color="#333333", lw=1)
    ax.set_yticks(ys, d["parameter"])
    ax.set_xlabel(output)
    ax.set_title(title or f"Sensitivity of {output} (one at a time)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def morris_figure(morris: pd.DataFrame, output: str, title: str = "") -> Figure:
    """Morris screening of `output`: mean absolute elementary effect (mu*) against its spread (sigma)."""
    d = morris[morris["output"] == output]
    fig, ax = plt.subplots(figsize=(6.5, 4.5), dpi=120)
    ax.scatter(d["mu_star"], d["sigma"], color="#3a86ff")
    for _, r in d.iterrows():
        ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), fontsize=8, xytext=(4, 2), textcoords="offset points")
    ax.set_xlabel("mu* (mean absolute elementary effect)")
    ax.set_ylabel("sigma (spread: interactions, non-linearity)")
    ax.set_title(title or f"Morris screening of {output}")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def save(fig: Figure, path) -> None:
    """Write a figure as PNG and close it."""
    fig.savefig(path, format="png")
    plt.close(fig)
