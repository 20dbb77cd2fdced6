"""The replication table: each published figure of the programmes next to the model's.

    replication_table(townships, summary, simulation)     # one row per figure that applies

A run's plan summary (`summary.csv`) and simulation (`simulation.csv`) give the model's side:
coverage at the start from the township table; coverage, workers, certified workers and
spending by year from the plan (the stations' workers; `staff_*` all social work staff,
county centres and sector posts too; the cost per station without those levels' spend); per
station-year
case clients, home visits, people reached, group activities, sessions per case client and the
"三个3" share from the simulation (means over every simulated township-year with workers).
Benchmark figures (a station's output, workers and cost per station) apply to every run; a
figure of one area (Ganzhou's coverage, Yanji's staff …) only to a run whose townships are
exactly that area's units. Each row says whether the model lies in the pass band stated in
model/inputs/data/published_outputs.csv before any fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from model.inputs.divisions import division_table
from model.inputs.published import compared, published_figures

COLUMNS = [
    "id",
    "figure",
    "measure",
    "published",
    "low",
    "high",
    "unit",
    "model",
    "relative_error",
    "in_band",
    "role",
    "derivation",
    "source",
]


def area_of(township_ids: pd.Series) -> str | None:
    """The division code whose township-level units are exactly these ids, if any."""
    ids = township_ids.astype(str)
    if not ids.str.fullmatch(r"\d{9}").all():
        return None
    units = division_table()
    units = units.loc[units["unit_kind"] != "other", "township_id"]
    for width in (6, 4, 2):
        prefixes = ids.str[:width].unique()
        if len(prefixes) == 1:
            area = str(prefixes[0])
            if set(units[units.str.startswith(area)]) == set(ids):
                return area
    return None


def model_values(summary: pd.DataFrame, simulation: pd.DataFrame | None) -> dict[str, float]:
    """The model's measures of a run (see the module docstring); missing ones are left out."""
    s = summary.sort_values("year")
    first, last = s.iloc[0], s.iloc[-1]
    certified = s["workers_junior"] + s["workers_intermediate"]
    out = {
        "coverage_first_year": float(first["coverage"]),
        "coverage_last_year": float(last["coverage"]),
        "workers_first_year": float(first["workers"]),
        "workers_last_year": float(last["workers"]),
        "certified_first_year": float(certified.iloc[0]),
        "certified_last_year": float(certified.iloc[-1]),
        "spend_last_year": float(last["spend_total"]),
    }
    # all social work staff (stations, county centres, sector posts) for the staff targets
    other = s["workers_other"] if "workers_other" in s else pd.Series(0.0, index=s.index)
    staff = s["workers"] + other
    out["staff_last_year"] = float(staff.iloc[-1])
    out["staff_certified_last_year"] = (
        float(staff.iloc[-1] * s["certified_share"].iloc[-1])  # the share counts every level
        if "workers_other" in s and "certified_share" in s
        else float(certified.iloc[-1])
    )
    stations = float(s["stations"].sum())
    if stations:
        own = s["spend_total"] - (s["spend_other"] if "spend_other" in s else 0.0)
        out["cost_per_station_year"] = float(own.sum()) / stations
        out["workers_per_station"] = float(s["workers"].sum()) / stations
    if simulation is not None and len(simulation):
        open_ = simulation[simulation["workers"] > 0]
        if len(open_):
            for measure, column in (
                ("case_clients_per_station", "case_clients"),
                ("visits_per_station", "visits"),
                ("people_reached_per_station", "clients_reached"),
                ("group_activities_per_station", "group_activities_held"),
                ("standard_333_share", "standard_333"),
            ):
                if column in open_:
                    out[measure] = float(open_[column].mean())
            cases = open_[open_["case_clients"] > 0]
            if len(cases) and "sessions_per_client" in cases:
                weights = cases["case_clients"].to_numpy(float)
                out["sessions_per_case_client"] = float(
                    np.average(cases["sessions_per_client"], weights=weights)
                )
    return out


def replication_table(
    townships: pd.DataFrame,
    summary: pd.DataFrame,
    simulation: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure that applies to this run and that the run can measure.

    `townships`: the run's township table (township_id, has_station).
    """
    table = published_figures() if figures is None else figures
    area = area_of(townships["township_id"])
    values = model_values(summary, simulation)
    if len(townships) and "has_station" in townships:
        values["coverage_start"] = float(townships["has_station"].astype(float).mean())
    rows = []
    for fig in table.itertuples(index=False):
        if fig.scope == "area" and fig.area != area:
            continue
        if fig.measure not in values:
            continue
        rows.append(
            compared(fig, values[fig.measure])
            | {"role": fig.role, "derivation": fig.derivation, "source": fig.source}
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def number(value: float) -> str:
    """A figure as a table shows it: thousands separated, else four significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def replicate(
    sc: Any, replications: int | None = None, processes: int = 1, progress: bool = True
) -> pd.DataFrame:
    """Plan `sc` (its budgets), simulate the plan, and set the published figures beside it: the
    replication table with a first column `scenario`."""
    from model.optimizer.optimize import optimize
    from model.simulate.replications import simulate_plan

    result = optimize(sc, estimate_gap=False)  # the plan only: no least budget, no worth
    sim = simulate_plan(
        sc, result.plan, replications=replications, processes=processes, progress=progress
    )
    table = replication_table(sc.townships, result.summary, sim.table)
    table.insert(0, "scenario", sc.name)
    return table


def replication_markdown(table: pd.DataFrame) -> str:
    """The replication table of several scenarios as Markdown (docs/replication.md's body)."""
    lines = [
        "| scenario | figure | published | pass band | model | unit | within band | use |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.scenario} | {r.figure} (`{r.id}`) | {number(r.published)} | "
            f"{number(r.low)}–{number(r.high)} | {number(r.model)} | {r.unit} | "
            f"{'yes' if r.in_band else '**no**'} | {r.role} |"
        )
    return "\n".join(lines) + "\n"


def write_replication(
    table: pd.DataFrame, scenarios: list, out_root, command: str, replications: int
):
    """results/replication/<run-id>/: replication.csv (all scenarios), replication.md,
    manifest.json."""
    import datetime as dt

    from model.output.runfolder import RunFolder, base_manifest

    manifest = base_manifest(scenarios[0], command, dt.datetime.now(dt.UTC))
    manifest["scenarios"] = [{"name": s.name, "file": s.source_label} for s in scenarios]
    manifest["replications"] = replications
    manifest["within_band"] = f"{int(table['in_band'].sum())}/{len(table)}"
    with RunFolder("replication", out_root) as run:
        run.table("replication", table, sheet=False)
        run.text("replication.md", replication_markdown(table))
        return run.finish(manifest)
