"""Figure of a plan's funding sources (funding.csv): money used per source and year."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd

from model.output.figures.style import Figure, styled
from model.output.i18n import t


def source_names(funding: pd.DataFrame) -> dict[str, str]:
    """Each source's display name (its label, else its key), in the table's order."""
    names: dict[str, str] = {}
    for r in funding.itertuples(index=False):
        label = r.label if isinstance(r.label, str) and r.label else str(r.source)
        names.setdefault(str(r.source), label)
    return names


@styled
def funding_figure(funding: pd.DataFrame, lang: str = "zh") -> Figure:
    """Money used per year by source (stacked bars, 万元), each source's money available that
    year (with what it carried in) as a marker of its colour."""
    totals = funding[funding["category"] == "total"].copy()
    totals["source"] = totals["source"].astype(str)
    years = sorted(int(y) for y in totals["year"].unique())
    labels = [str(y) for y in years]
    names = source_names(funding)
    cmap = matplotlib.colormaps["tab10"]
    fig = Figure(figsize=(8, 4.4), dpi=110)
    ax = fig.subplots()
    x = np.arange(len(years))
    width = 0.6
    bottom = np.zeros(len(years))
    top = 0.0
    for k, (source, name) in enumerate(names.items()):
        rows = totals[totals["source"] == source].set_index("year")
        used = rows["used"].reindex(years).fillna(0).to_numpy(float)
        have = (rows["available"] + rows["carried_in"]).reindex(years).to_numpy(float)
        colour = cmap(k % 10)
        ax.bar(x, used, width, bottom=bottom, color=colour, label=name)
        bottom += used
        offset = (k + 0.5) / len(names) - 0.5  # markers side by side across the bar
        ax.scatter(
            x + offset * width,
            have,
            marker="_",
            s=300,
            lw=2.5,
            color=colour,
            zorder=5,
            label=t("fig.funding_available", lang, source=name),
        )
        top = max(top, float(np.nanmax(have, initial=0.0)))
    ax.set_xticks(x, labels)
    ax.set_ylabel(t("fig.wan", lang))
    ax.set_title(t("fig.funding", lang))
    ax.legend(fontsize=8, frameon=False, ncol=2, loc="upper left")
    ax.set_ylim(0, max(float(bottom.max(initial=0.0)), top, 1.0) * 1.35)
    fig.tight_layout()
    return fig
