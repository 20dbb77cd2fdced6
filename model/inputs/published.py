"""Published output figures of the station programmes: what calibration fits and replication
checks.

    published_figures()     # one row per figure: its measure, value, unit, pass band and source

`data/published_outputs.csv` (sources per row; data/README.md) holds figures the programmes
reported — the "三个3" standard, a district's visits, Ganzhou's people served, workers and money
per station — each with the model measure it is compared with and a pass band stated before any
fit (`low`–`high`). `role` says whether calibration fits it (`fit`) or only replication checks it
(`check`); `scope` whether it is a benchmark for every station (`benchmark`) or a figure of one
area (`area`, the division code in `area`) that only a scenario of that area is compared with.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

MEASURES = {
    "case_clients_per_station": "distinct case clients per station-year",
    "visits_per_station": "home visits per station-year",
    "people_reached_per_station": "distinct people reached per station-year",
    "workers_per_station": "workers per open station",
    "group_activities_per_station": "group activities per station-year",
    "sessions_per_case_client": "sessions per case client",
    "cost_per_station_year": "spending on stations per station-year, other levels apart (万元)",
    "coverage_start": "share of townships with a station at the start (the township table)",
    "coverage_first_year": "share of townships with a station, first plan year",
    "coverage_last_year": "share of townships with a station, last plan year",
    "workers_first_year": "workers in stations, first plan year",
    "workers_last_year": "workers in stations, last plan year",
    "certified_first_year": "certified workers in stations, first plan year",
    "certified_last_year": "certified workers in stations, last plan year",
    "staff_last_year": "social work staff of all levels (stations, centres, sectors), last year",
    "staff_certified_last_year": "certified social work staff of all levels, last plan year",
    "spend_last_year": "spending in the last plan year (万元)",
    "standard_333_share": 'share of station-years meeting "三个3"',
}
"""The model measures a published figure can be compared with."""

COLUMNS = "id scope area figure measure value unit low high role derivation source".split()


@cache
def published_figures() -> pd.DataFrame:
    """The published output figures, checked (one row per figure, in file order)."""
    path = resources.files("model.inputs").joinpath("data/published_outputs.csv")
    with path.open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype={"area": str})
    check_figures(table, "model/inputs/data/published_outputs.csv")
    return table


def compared(fig: Any, model: float) -> dict[str, Any]:
    """One figure (a row of the table) beside the model's value: the figure, its band, the
    model's value (3 decimals), the relative error and whether the value lies in the band."""
    got = round(model, 3)
    return {
        "id": fig.id,
        "figure": fig.figure,
        "measure": fig.measure,
        "published": float(fig.value),
        "low": float(fig.low),
        "high": float(fig.high),
        "unit": fig.unit,
        "model": got,
        "relative_error": round(model / float(fig.value) - 1.0, 4),
        "in_band": bool(fig.low <= got <= fig.high),
    }


def check_figures(table: pd.DataFrame, source: str) -> None:
    """Raise ValueError naming the row and column of the first figure that breaks the rules."""
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{source}: missing column {missing[0]!r}")
    if table["id"].duplicated().any():
        raise ValueError(f"{source}: id {table['id'][table['id'].duplicated()].iloc[0]!r} twice")
    for row, fig in enumerate(table.itertuples(index=False), start=2):
        where = f"{source} row {row} ({fig.id})"
        if fig.measure not in MEASURES:
            raise ValueError(
                f"{where}: measure {fig.measure!r} is not one of {', '.join(MEASURES)}"
            )
        if fig.role not in ("fit", "check") or fig.scope not in ("benchmark", "area"):
            raise ValueError(f"{where}: role must be fit or check, scope benchmark or area")
        if not fig.low <= fig.value <= fig.high or fig.value <= 0 and fig.role == "fit":
            raise ValueError(
                f"{where}: value {fig.value} must lie in its band [{fig.low}, {fig.high}]"
            )
        if not str(fig.source).strip():
            raise ValueError(f"{where}: no source")
