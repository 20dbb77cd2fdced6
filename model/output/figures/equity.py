"""Figure of equity: each township's served share against its need, by remoteness quartile."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from model.output.figures.style import Figure, styled
from model.output.i18n import t
from model.plan.equity import QUARTILES, THRESHOLDS, remoteness_quartiles

QUARTILE_LABELS = {
    "q1": "fig.remote_q1",
    "q2": "fig.remote_q2",
    "q3": "fig.remote_q3",
    "q4": "fig.remote_q4",
}
"""The legend's words for each remoteness quartile (model.output.i18n keys)."""


def _shares(frame: pd.DataFrame, need: str, year: int) -> pd.DataFrame:
    """township_id, need (hours) and served share in `year`; townships with no need left out."""
    f = frame[(frame["year"] == year) & (frame[need] > 0)]
    return pd.DataFrame(
        {
            "township_id": f["township_id"].astype(str),
            "need": f[need].astype(float),
            "share": f["served_hours"].astype(float) / f[need].astype(float),
        }
    )


@styled
def equity_figure(
    plan: pd.DataFrame,
    townships: pd.DataFrame,
    lang: str = "zh",
    simulation: pd.DataFrame | None = None,
    year: int | None = None,
) -> Figure:
    """Served share (y, %) against need (x, client hours a year, log scale): one dot per
    township, coloured by remoteness quartile, in `year` (None: the plan's last); a second
    panel with the simulated shares when `simulation` (simulation.csv) is given. Dashed lines
    at 30% and 60%; a township without a station sits at 0."""
    year = int(plan["year"].max()) if year is None else int(year)
    panels = [("fig.planned", _shares(plan, "client_hours", year))]
    if simulation is not None and (simulation["year"] == year).any():
        panels.append(("fig.simulated", _shares(simulation, "demand_hours", year)))
    quartile = remoteness_quartiles(townships)
    colours = matplotlib.colormaps["plasma"].resampled(5)
    fig = Figure(figsize=(5.2 * len(panels) + 1.5, 4.6), dpi=110)
    axes = np.atleast_1d(fig.subplots(1, len(panels), sharey=True))
    for ax, (which, d) in zip(axes, panels):
        d = d.assign(quartile=d["township_id"].map(quartile))
        if quartile.empty:
            ax.scatter(d["need"], d["share"] * 100, s=14, color="#457b9d", alpha=0.75, lw=0)
        for k, q in enumerate(QUARTILES if not quartile.empty else ()):
            g = d[d["quartile"] == q]
            ax.scatter(
                g["need"],
                g["share"] * 100,
                s=14,
                color=colours(k),
                alpha=0.8,
                lw=0,
                label=t(QUARTILE_LABELS[q], lang),
            )
        for cut in THRESHOLDS:
            ax.axhline(cut * 100, color="#888888", lw=0.8, ls="--")
            ax.text(
                0.01,
                cut * 100 + 1,
                f"{cut:.0%}",
                fontsize=7,
                color="#666666",
                transform=ax.get_yaxis_transform(),  # x: a share of the axis, y: the share
            )
        ax.set_xscale("log")
        # plain numbers (1,000, 10,000), not mathtext powers: the CJK style has no TeX fonts
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(-3, 105)
        ax.set_xlabel(t("fig.need_hours", lang))
        ax.set_title(t(which, lang), fontsize=10)
        ax.grid(alpha=0.25)
    axes[0].set_ylabel(t("fig.served_pct", lang))
    if not quartile.empty:
        axes[-1].legend(
            fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), markerscale=1.5
        )
    fig.suptitle(t("fig.equity_title", lang, year=year))
    fig.tight_layout()
    return fig
