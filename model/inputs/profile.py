"""Region profile: what the scenario starts from — townships, recipients, stations, workers.

Each function takes a validated Scenario and returns a tidy table (also written as CSV/XLSX
by :mod:`model.output.runfolder`). Counts are persons, workers or townships.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from model.inputs.scenario import Scenario
from model.inputs.townships import KINDS


def counties_table(sc: Scenario) -> pd.DataFrame:
    """One row per county (and a total row): townships by kind, people, stations and workers."""
    t = sc.townships
    g = t.groupby("county", sort=False)
    out = pd.DataFrame({"townships": g.size()})
    for kind in KINDS:
        out[f"townships_{kind}"] = g["kind"].apply(lambda s, k=kind: int((s == k).sum()))
    out["population"] = g["population"].sum()
    out["elderly"] = g["elderly"].sum()
    out["stations"] = g["has_station"].sum()
    out["workers_certified"] = g["workers_certified"].sum()
    out["workers_uncertified"] = g["workers_uncertified"].sum()
    for group in sc.groups:
        out[group] = g[group].sum()
    out = out.reset_index()
    total = {"county": "合计 total", **out.drop(columns="county").sum(numeric_only=True).to_dict()}
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    out["coverage"] = (out["stations"].astype(float) / out["townships"].astype(float)).round(4)
    ints = [c for c in out.columns if c not in ("county", "coverage")]
    out[ints] = out[ints].astype("int64")
    return out


def groups_table(sc: Scenario) -> pd.DataFrame:
    """One row per recipient group: persons in all, per 1,000 residents, by kind, and covered."""
    t = sc.townships
    pop = t["population"].sum()
    rows = []
    for name, group in sc.groups.items():
        persons = int(t[name].sum())
        row: dict[str, Any] = {
            "group": name,
            "label": group.label,
            "persons": persons,
            "per_1000_population": round(1000 * persons / pop, 3) if pop else 0.0,
        }
        for kind in KINDS:
            row[f"persons_{kind}"] = int(t.loc[t["kind"] == kind, name].sum())
        row["persons_in_townships_with_station"] = int(t.loc[t["has_station"] == 1, name].sum())
        row["share_with_station"] = (
            round(row["persons_in_townships_with_station"] / persons, 4) if persons else 0.0
        )
        rows.append(row)
    return pd.DataFrame(rows)


def summary_table(sc: Scenario) -> pd.DataFrame:
    """Key numbers of the starting point as metric, value, unit rows."""
    t = sc.townships
    workers = int(t["workers_certified"].sum() + t["workers_uncertified"].sum())
    elderly = int(t["elderly"].sum())
    rows = [
        ("townships", len(t), "townships"),
        ("counties", t["county"].nunique(), "counties"),
        ("population", int(t["population"].sum()), "persons"),
        ("elderly", elderly, "persons aged 60+"),
        ("elderly_share", round(elderly / max(int(t["population"].sum()), 1), 4), "share"),
        ("stations", int(t["has_station"].sum()), "stations"),
        ("coverage", round(float(t["has_station"].mean()), 4), "share of townships"),
        ("workers", workers, "workers"),
        ("workers_certified", int(t["workers_certified"].sum()), "workers"),
        (
            "certified_share",
            round(int(t["workers_certified"].sum()) / workers, 4) if workers else 0.0,
            "share",
        ),
        (
            "workers_per_1000_elderly",
            round(1000 * workers / elderly, 4) if elderly else 0.0,
            "workers/1000 elderly",
        ),
        ("care_beds", int(t["care_beds"].sum()), "beds"),
        (
            "recipients",
            int(t[list(sc.groups)].sum().sum()),
            "persons (sum over groups; a person may be in several)",
        ),
    ]
    return pd.DataFrame(rows, columns=["metric", "value", "unit"], dtype=object)


def region_profile(sc: Scenario) -> dict[str, pd.DataFrame]:
    """All profile tables by file stem: region_summary, region_counties, region_groups."""
    return {
        "region_summary": summary_table(sc),
        "region_counties": counties_table(sc),
        "region_groups": groups_table(sc),
    }
