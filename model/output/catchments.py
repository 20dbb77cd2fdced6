"""Catchments of a plan: which station serves which township without a station of its own.

    catchment_table(plan, townships, travel)  # catchments.csv: a row per year, served township
    catchment_years(plan, townships)          # per year: townships served by a neighbour

A plan (plan.csv, PlanResult.plan) names in `served_by` the township id of the open station that
serves a township without its own station that year ("" otherwise), and gives each station's
`catchment_hours` (client hours it serves in the townships it serves, round trips included,
hours/year).
Plans written before catchments have neither column: they have no catchments.
"""

from __future__ import annotations

import pandas as pd

from model.plan.io import township_ids

COLUMN_DOCS: dict[str, tuple[str, str]] = {
    # plan.csv (model.optimizer; docs/method.md)
    "served_by": (
        "township id of the open station that serves this township that year, when it has no "
        "station of its own (empty otherwise)",
        "",
    ),
    "catchment_hours": (
        "at a station: client work it does for the townships it serves, round trips included "
        "(0 elsewhere); catchments: the serving station's total that year",
        "hours/year",
    ),
    # catchments.csv (catchment_table)
    "station_id": ("township id of the serving station", ""),
    "station_name": ("name of the serving station's township", ""),
    "station_county": ("county (县/区) of the serving station's township", ""),
    "catchments.minutes": (
        "travel minutes from the serving station to the served township (one way)",
        "minutes",
    ),
    "catchments.served_hours": (
        "client work of the served township that the serving station does",
        "hours/year",
    ),
}
"""Columns of the plan's catchments (plan.csv) and of catchments.csv."""


def served_links(plan: pd.DataFrame) -> pd.DataFrame:
    """year, station_id, township_id of every township-year served by a neighbouring station
    (plan rows with a `served_by`); empty when the plan has no catchments (no such column)."""
    if "served_by" not in plan.columns:
        return pd.DataFrame({"year": [], "station_id": [], "township_id": []})
    by = township_ids(plan["served_by"])
    rows = plan[by != ""]
    return pd.DataFrame(
        {
            "year": rows["year"].astype(int).to_numpy(),
            "station_id": by[by != ""].to_numpy(),
            "township_id": township_ids(rows["township_id"]).to_numpy(),
        }
    )


def has_catchments(plan: pd.DataFrame | None) -> bool:
    """Whether any township of the plan is served by a neighbouring station in any year."""
    return plan is not None and not served_links(plan).empty


def catchment_table(
    plan: pd.DataFrame, townships: pd.DataFrame, travel: pd.DataFrame | None
) -> pd.DataFrame:
    """catchments.csv: one row per year and served township, by year, station and minutes:
    year, station_id, station_name, station_county, township_id (a RunFolder adds its name and
    county), minutes (travel minutes from the station to the township, `travel` of
    model.inputs.travel; empty without it), the township's client_hours and served_hours, and
    the station's catchment_hours that year (plan.csv's, 0 where the plan has none)."""
    links = served_links(plan)
    ids = township_ids(townships["township_id"])
    names = dict(zip(ids, townships["name"]))
    counties = dict(zip(ids, townships["county"]))
    rows = plan.assign(
        township_id=township_ids(plan["township_id"]), year=plan["year"].astype(int)
    ).set_index(["township_id", "year"])
    keys = list(zip(links["township_id"], links["year"]))
    station_keys = list(zip(links["station_id"], links["year"]))
    out = links.assign(
        station_name=links["station_id"].map(names),
        station_county=links["station_id"].map(counties),
    )
    if travel is not None and len(links):
        minutes = travel.copy()
        minutes.index, minutes.columns = minutes.index.astype(str), minutes.columns.astype(str)
        stacked = minutes.stack()
        out["minutes"] = [
            float(stacked.get((s, j), float("nan")))
            for s, j in zip(links["station_id"], links["township_id"])
        ]
    else:
        out["minutes"] = float("nan")
    out["client_hours"] = [float(rows.at[k, "client_hours"]) for k in keys]
    out["served_hours"] = [float(rows.at[k, "served_hours"]) for k in keys]
    hours = rows["catchment_hours"] if "catchment_hours" in rows.columns else None
    out["catchment_hours"] = [
        float(hours.get(k, 0.0)) if hours is not None else 0.0 for k in station_keys
    ]
    columns = [
        "year",
        "station_id",
        "station_name",
        "station_county",
        "township_id",
        "minutes",
        "client_hours",
        "served_hours",
        "catchment_hours",
    ]
    out = out[columns].sort_values(["year", "station_id", "minutes", "township_id"], kind="stable")
    return out.reset_index(drop=True)


def catchment_years(plan: pd.DataFrame, townships: pd.DataFrame) -> pd.DataFrame:
    """Per year of the plan: townships without a station (`without`), those of them served by a
    neighbouring station (`served`) and the residents these hold (`population`, persons)."""
    ids = township_ids(townships["township_id"])
    people = dict(zip(ids, townships["population"].astype(float)))
    links = served_links(plan)
    rows = []
    for year, p in plan.groupby("year", sort=True):
        served = links.loc[links["year"] == int(year), "township_id"]
        rows.append(
            {
                "year": int(year),
                "without": int((p["station"].astype(float) < 0.5).sum()),
                "served": len(served),
                "population": round(sum(people.get(str(j), 0.0) for j in served)),
            }
        )
    return pd.DataFrame(rows)
