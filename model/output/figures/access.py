"""Figure of access: the share of the population within 0–90 minutes of a station, by year."""

from __future__ import annotations

import matplotlib
import pandas as pd

from model.output.figures.style import Figure, styled
from model.output.i18n import t
from model.plan.access import THRESHOLDS, access_curve

CURVE_MINUTES: list[float] = [float(m) for m in range(91)]
"""Minutes of the access curve (0–90, each minute)."""


@styled
def access_figure(
    nearest: pd.DataFrame, townships: pd.DataFrame, lang: str = "zh", synthetic: bool = False
) -> Figure:
    """Share of the population (y, %) whose township is within x minutes (0–90) of an open
    station, one line per year (nearest_station.csv and the township table); dotted lines at
    15/30/45/60 minutes; `synthetic` says under the title that the travel times are invented."""
    curve = access_curve(nearest, townships, CURVE_MINUTES)
    colours = matplotlib.colormaps["viridis"].resampled(max(len(curve.columns), 2) + 1)
    fig = Figure(figsize=(6.4, 4.4), dpi=110)
    ax = fig.subplots()
    styles = ("-", "--", "-.", ":")
    for k, year in enumerate(curve.columns):
        ax.plot(  # later years thinner and dashed: where two years coincide both show
            curve.index,
            curve[year] * 100,
            color=colours(k),
            lw=max(3.0 - 0.6 * k, 1.2),
            ls=styles[k % len(styles)],
            drawstyle="steps-post",
            label=t("fig.access_year", lang, year=year),
        )
    for cut in THRESHOLDS:
        ax.axvline(cut, color="#888888", lw=0.8, ls=":")
    ax.set_xlim(0, CURVE_MINUTES[-1])
    ax.set_ylim(0, 102)
    ax.set_xticks([0, *THRESHOLDS, 75, 90])
    ax.set_xlabel(t("fig.access_x", lang))
    ax.set_ylabel(t("fig.access_y", lang))
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    title = t("fig.access_title", lang)
    if synthetic:
        title += "\n" + t("fig.access_synthetic", lang)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
