"""The whole flow for one scenario, written to a new results folder.

`stationplan optimize` writes the plan; `stationplan run` writes the region profile and the
plan (the simulation joins with its stage). Every file is written to a temporary folder and
renamed into place (model.results).
"""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from tqdm.auto import tqdm

from model.check import check_plan
from model.plan import PlanResult
from model.profile import region_profile
from model.results import COLUMN_DOCS, RunFolder, base_manifest, sha256
from model.scenario import Scenario

PLAN_DOCS: dict[str, tuple[str, str]] = {
    "township_id": ("township id from the township table", ""),
    "year": ("planning year", "year"),
    "station": ("1 if the township has an open station that year", "0/1"),
    "workers_uncertified": ("uncertified workers in post", "workers"),
    "workers_junior": ("junior-certified workers (助理社会工作师) in post", "workers"),
    "workers_intermediate": ("intermediate-certified workers (社会工作师) in post", "workers"),
    "workers": ("all workers in post", "workers"),
    "trained": ("uncertified workers trained toward the exam that year", "workers"),
    "client_hours": ("client work needed (WISN workload, station work excluded)", "hours/year"),
    "served_hours": ("client work the planned staff can do, by priority", "hours/year"),
    "served_share": ("served_hours / client_hours", "share 0–1"),
    "spend": ("spend of the township that year", "万元"),
    "spend_setup": ("station_setup x stations opened", "万元"),
    "spend_running": ("station_running x open stations", "万元"),
    "spend_salary": ("Σ salary[grade] x wage_index x workers", "万元"),
    "spend_training": ("certification_training x workers trained", "万元"),
    "spend_total": ("all spend that year", "万元"),
    "budget": ("budget of the year", "万元"),
    "stations_opened": ("stations opened that year", "stations"),
    "hires": ("workers hired from the county pools (growth plus expected replacements)", "workers"),
    "certified_share": ("certified / all workers", "share 0–1"),
    "workers_per_1000_elderly": ("workers per 1,000 residents aged 60+", "workers/1000"),
    "target": ("target name (.group or .grade where it has one)", ""),
    "required": ("value the target asks for", "see unit"),
    "achieved": ("value the plan reaches", "see unit"),
    "met": ("whether the plan meets the target", "true/false"),
    "shortfall": ("required − achieved when not met", "see unit"),
    "least_cost_all_targets": ("least spend that meets every target, budgets not binding", "万元"),
    "extra_needed": ("least_cost_all_targets − budget, when positive", "万元"),
    "all_targets_reachable": ("whether any money meets every target (hiring pools and staffing bind)", "true/false"),
    "demand_hours": ("client work the group needs", "hours/year"),
    "grade": ("worker grade", ""),
}


def write_plan(run: RunFolder, result: PlanResult) -> list[str]:
    """Write plan.csv, summary.csv, targets.csv, service.csv, hires.csv, budget_gap.csv; return check problems."""
    sc = result.scenario
    run.table("summary", result.summary)
    run.table("targets", result.targets)
    run.table("plan", result.plan)
    if result.budget_gap is not None:
        run.table("budget_gap", result.budget_gap)
    run.table("service", result.service, sheet=False)
    run.table("hires", result.hires, sheet=False)
    return check_plan(sc, result.plan, result.targets, budgets=sc.objective == "max_service")


def run_scenario(sc: Scenario, out_root: str | Path = "results", command: str = "run",
                 stages: tuple[str, ...] = ("profile", "optimize"), progress: bool = True) -> tuple[Path, PlanResult | None]:
    """Run the stages for `sc` into results/<scenario>/<run-id>/; return the folder and the plan."""
    from model.optimize import optimize

    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    result = None
    with tqdm(total=len(stages) + 1, desc=sc.name, unit="stage", disable=not progress, leave=False) as bar, \
            RunFolder(sc.name, out_root) as run:
        manifest = base_manifest(sc, command, started)
        docs = dict(PLAN_DOCS)
        docs.update({g: (f"persons in group {g} ({spec.label})" if spec.label else f"persons in group {g}",
                         "persons") for g, spec in sc.groups.items()})
        if "profile" in stages:
            bar.set_postfix_str("region profile")
            s = time.perf_counter()
            for stem, frame in region_profile(sc).items():
                run.table(stem, frame)
            timings["profile_s"] = round(time.perf_counter() - s, 3)
            bar.update()
        if "optimize" in stages:
            bar.set_postfix_str(f"optimizing ({sc.solver.name})")
            s = time.perf_counter()
            result = optimize(sc)
            timings["optimize_s"] = round(time.perf_counter() - s, 3)
            problems = write_plan(run, result)
            manifest["solver"] = result.solver
            manifest["check"] = {"passed": not problems, "problems": problems}
            manifest["targets_met"] = f"{int(result.targets['met'].sum())}/{len(result.targets)}"
            bar.update()
        run.workbook("plan.xlsx" if "optimize" in stages else "region.xlsx", {**COLUMN_DOCS, **docs})
        townships = run.table("townships", sc.townships, sheet=False)
        run.text("scenario.resolved.yaml", sc.resolved_yaml("townships.csv"))
        manifest["townships_sha256"] = sha256(townships)
        manifest["stages"] = ["validate", *stages]
        timings["total_s"] = round(time.perf_counter() - t0, 3)
        manifest["timings"] = timings
        folder = run.finish(manifest)
        bar.update()
    return folder, result
