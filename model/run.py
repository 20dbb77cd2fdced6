"""The whole flow for one scenario, written to a new results folder.

At this stage the flow validates the scenario and writes the region profile; optimisation
and simulation join it as they are built.
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from model.profile import region_profile
from model.results import RunFolder, base_manifest, sha256
from model.scenario import Scenario


def run_scenario(sc: Scenario, out_root: str | Path = "results", command: str = "run") -> Path:
    """Write results/<scenario>/<run-id>/ for `sc` and return the folder.

    Files: region_summary.csv, region_counties.csv, region_groups.csv, region.xlsx,
    townships.csv (the table as used), scenario.resolved.yaml, manifest.json.
    """
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    with RunFolder(sc.name, out_root) as run:
        tables = region_profile(sc)
        for stem, frame in tables.items():
            run.table(stem, frame)
        group_docs = {g: (f"persons in group {g} ({spec.label})" if spec.label else f"persons in group {g}",
                          "persons") for g, spec in sc.groups.items()}
        run.workbook("region.xlsx", group_docs)
        timings["profile_s"] = round(time.perf_counter() - t0, 3)
        townships = run.table("townships", sc.townships, sheet=False)
        run.text("scenario.resolved.yaml", sc.resolved_yaml("townships.csv"))
        manifest = base_manifest(sc, command, started)
        manifest["townships_sha256"] = sha256(townships)
        manifest["stages"] = ["validate", "profile"]
        timings["total_s"] = round(time.perf_counter() - t0, 3)
        manifest["timings"] = timings
        return run.finish(manifest)
