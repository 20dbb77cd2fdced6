"""Figures of the simulation: service levels, waits and unmet need by group."""

from __future__ import annotations

import pandas as pd

from model.output.figures.style import Figure, styled
from model.output.i18n import t


@styled
def service_figure(
    simulation: pd.DataFrame, service: pd.DataFrame | None, groups: dict[str, str], lang: str = "zh"
) -> Figure:
    """Simulated waits across stations, unmet client hours by group, utilisation by station."""
    last = simulation[simulation["year"] == simulation["year"].max()]
    open_ = last[last["workers"] > 0]
    fig = Figure(figsize=(13, 4.0), dpi=110)
    axes = fig.subplots(1, 3)
    axes[0].hist(open_["wait_mean_days"].dropna(), bins=20, color="#457b9d")
    axes[0].set_xlabel(t("fig.wait", lang))
    axes[0].set_ylabel(t("fig.stations_n", lang))
    if service is not None and len(service):
        s = (
            service[service["year"] == service["year"].max()]
            .groupby("group")[["demand_hours", "served_hours"]]
            .sum()
        )
        unmet = (s["demand_hours"] - s["served_hours"]).sort_values()
        axes[1].barh([groups.get(g, g) for g in unmet.index], unmet.to_numpy(), color="#e76f51")
        axes[1].set_xlabel(t("fig.hours", lang))
        axes[1].set_title(t("fig.unmet_by_group", lang), fontsize=10)
    axes[2].hist(open_["utilisation"] * 100, bins=20, color="#2a9d8f")
    axes[2].set_xlabel(t("fig.utilisation_pct", lang))
    fig.suptitle(t("fig.service_title", lang, year=int(last["year"].max())))
    fig.tight_layout()
    return fig
