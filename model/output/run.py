"""The whole flow for one scenario, written to a new results folder.

`stationplan optimize` writes the plan; `stationplan simulate` a simulation of a given plan
or of today's stations; `stationplan run` the region profile, then plan and simulation
through the plan–simulation loop (model.loop). Every file is written to a temporary folder
and renamed into place (model.output.runfolder).

    run = run_scenario(sc, "results", command="run", stages=("profile", "optimize", "simulate"))
    run.folder, run.plan, run.simulation, run.loop
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from tqdm.auto import tqdm

from model.inputs.profile import region_profile
from model.inputs.scenario import Scenario
from model.output.runfolder import RunFolder, base_manifest, sha256, whole_hires
from model.plan import access, equity
from model.plan.check import check_plan, check_provinces
from model.plan.result import PlanResult
from model.simulate.replications import MEASURES
from model.tasks import Executor
from model.vocabulary import BUDGETED, progress_words

if TYPE_CHECKING:
    from model.loop import LoopResult
    from model.simulate.replications import SimulationResult


@dataclass
class RunResult:
    """What a run wrote and found.

    `folder`: the run folder; `plan`: the plan (optimize stage); `simulation`: the simulation
    (simulate stage); `loop`: the plan-simulation loop (both stages); `replication`: the
    published figures beside the model's (replication.csv; optimize stage); `service_check`:
    planned against simulated service levels per township-year (service_check.csv; both
    stages).
    """

    folder: Path
    plan: PlanResult | None = None
    simulation: SimulationResult | None = None
    loop: LoopResult | None = None
    replication: pd.DataFrame | None = None
    service_check: pd.DataFrame | None = None


def county_totals(plan: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """Per county and year: townships, stations, coverage, workers by grade and in all,
    spend (万元), client hours needed and served, served share; after each year's counties a
    row for the region (county "合计" / "total" in the report's language)."""
    from model.output.i18n import t

    towns = sc.townships
    county = dict(zip(towns["township_id"].astype(str), towns["county"]))
    grades = ["workers_uncertified", "workers_junior", "workers_intermediate"]
    frame = plan.assign(
        county=plan["township_id"].astype(str).map(county), townships=1, workers=0
    ).rename(columns={"station": "stations", "spend": "spend_total"})
    frame["workers"] = frame[grades].sum(axis=1)
    sums = ["townships", "stations", *grades, "workers", "spend_total"]
    sums += ["client_hours", "served_hours"]
    by_county = frame.groupby(["year", "county"], sort=True)[sums].sum().reset_index()
    total = frame.groupby("year", sort=True)[sums].sum().reset_index()
    total["county"] = t("wb.total", sc.report.language)
    out = pd.concat([by_county, total], ignore_index=True)
    out["_total"] = out.index >= len(by_county)
    out = out.sort_values(["year", "_total"], kind="stable").drop(columns="_total")
    out["coverage"] = (out["stations"] / out["townships"]).round(4)
    need = out["client_hours"].where(out["client_hours"] > 0)
    out["served_share"] = (out["served_hours"] / need).round(4)
    out["spend_total"] = out["spend_total"].round(2)
    first = ["county", "year", "townships", "stations", "coverage"]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


SIMULATION_SHEET = (
    "township_id",
    "year",
    "workers",
    *(
        m
        for m in MEASURES
        if m not in ("sessions_per_client", "group_activities_held", "departures")
    ),
)
"""Columns of the workbook's simulation sheet: the means of the simulation's measures a planner
reads (simulation.csv has them all, with their intervals)."""


def write_plan(
    run: RunFolder,
    result: PlanResult,
    budgets: bool | None = None,
    simulation: SimulationResult | None = None,
) -> list[str]:
    """Write plan.csv, county_totals.csv, summary.csv, targets.csv, service.csv, hires.csv,
    budget_gap.csv, limits.csv, tradeoffs.csv (a plan that misses targets), equity.csv (the
    plan's, and `simulation`'s when given), changes.csv, centres.csv (county centres),
    sectors.csv (posts beyond the stations), funding.csv (funding sources) and, when the
    scenario has travel minutes, access.csv and nearest_station.csv (model.plan.access) and,
    when the plan has catchments, catchments.csv (geography_tables), each a sheet of the
    workbook but tradeoffs (hires and summary's hires as whole people there); return what the
    checker finds wrong. `budgets`: whether the plan must keep within the budgets (default: when
    the scenario's objective is max_service; a least-budget plan need not)."""
    sc = result.scenario
    hires = whole_hires(result.hires)
    run.table("summary", result.summary)
    yearly = result.summary["year"].map(hires.groupby("year")["hires"].sum())
    run.sheet("summary", result.summary.assign(hires=yearly.fillna(0).astype(int)))
    run.table("targets", result.targets)
    run.table("plan", result.plan)
    run.table("county_totals", county_totals(result.plan, sc))
    if result.budget_gap is not None:
        run.table("budget_gap", result.budget_gap)
    if result.limits is not None:
        run.table("limits", result.limits)
    if result.tradeoffs is not None:
        run.table("tradeoffs", result.tradeoffs, sheet=False)
    run.table("service", result.service)
    run.table("hires", result.hires, sheet=False)
    run.sheet("hires", hires)
    tables = [equity.equity_table(sc, result.plan, result.service)]
    if simulation is not None:
        tables.append(equity.simulated_equity_table(sc, simulation.table, simulation.reach))
    run.table("equity", pd.concat(tables, ignore_index=True))
    run.table("changes", result.changes)
    if result.centres is not None:
        run.table("centres", result.centres)
    if result.points is not None:
        run.table("points", result.points)
    for name in ("provinces", "province_targets", "province_limits", "central"):
        table = getattr(result, name)
        if table is not None:
            run.table(name, table, sheet=name == "provinces")
    if result.sectors is not None:
        run.table("sectors", result.sectors)
    if result.funding is not None:
        run.table("funding", result.funding)
    geography_tables(run, sc, result.plan)
    if budgets is None:
        budgets = sc.objective in BUDGETED
    if sc.provinces:  # planned province by province: each checked against its own scenario
        return check_provinces(sc, result, budgets)
    return check_plan(
        sc,
        result.plan,
        result.targets,
        budgets=budgets,
        funding=result.funding,
        centres=result.centres,
        sectors=result.sectors,
        points=result.points,
    )


def geography_tables(run: RunFolder, sc: Scenario, plan: pd.DataFrame) -> None:
    """access.csv and nearest_station.csv when the scenario has travel minutes
    (model.plan.access), and catchments.csv when the plan has any (`served_by`,
    model.output.catchments), each a sheet of the workbook."""
    from model.output.catchments import catchment_table, has_catchments

    if sc.travel is not None:
        from model.output.i18n import t

        table = access.access_table(sc, plan)
        run.table("access", table)
        people = {access.POPULATION: t("col.population", sc.report.language), **group_labels(sc)}
        run.sheet("access", table.assign(people=table["people"].map(people)))  # names, not keys
        run.table("nearest_station", access.nearest_station(sc, plan))
    if has_catchments(plan):
        run.table("catchments", catchment_table(plan, sc.townships, sc.travel))


def group_labels(sc: Scenario) -> dict[str, str]:
    """The workbook's headers of the group columns: each group's label, else its key."""
    return {g: spec.label or g for g, spec in sc.groups.items()}


def scenario_files(run: RunFolder, sc: Scenario) -> Path:
    """townships.csv, scenario.resolved.yaml, the boundaries and the travel table (when the
    scenario has them: boundaries.geojson, travel.csv): what the report is built from besides
    the tables; returns townships.csv's path."""
    import shutil

    townships = run.table("townships", sc.townships, sheet=False)
    run.text("scenario.resolved.yaml", sc.resolved_yaml("townships.csv"))
    if sc.report.boundaries:
        shutil.copyfile(sc.report.boundaries, run.path("boundaries.geojson"))
    if sc.region.travel is not None and sc.region.travel != "synthetic":
        shutil.copyfile(sc.region.travel, run.path("travel.csv"))
    return townships


def simulation_tables(run: RunFolder, simulation: SimulationResult) -> None:
    """simulation.csv, simulation_reach.csv, simulation_summary.csv; the workbook's simulation
    sheet has the means (SIMULATION_SHEET)."""
    run.table("simulation", simulation.table, sheet=False)
    table = simulation.table
    shown = [c for c in SIMULATION_SHEET if c in table]
    if "point_visits" in table and not (table["point_visits"] > 0).any():
        shown.remove("point_visits")  # a scenario without village points
    run.sheet("simulation", table[shown])
    run.table("simulation_reach", simulation.reach, sheet=False)
    run.table("simulation_summary", simulation.regional, sheet=False)


def run_scenario(
    sc: Scenario,
    out_root: str | Path = "results",
    command: str = "run",
    stages: tuple[str, ...] = ("profile", "optimize"),
    progress: bool = True,
    plan: pd.DataFrame | None = None,
    processes: int = 1,
    executor: Executor | None = None,
) -> RunResult:
    """Run the stages for `sc` into results/<scenario>/<run-id>/; return the folder and the results.

    `command` is recorded in manifest.json. The "simulate" stage simulates `plan` (a plan
    table; None: today's stations and workers) and writes simulation.csv. With `executor` the
    simulation's tasks and a region's provinces run there; otherwise the replications run on
    `processes` local processes and the provinces on a local Dask cluster of their own.
    """
    from model.optimizer.limits import value_limits
    from model.optimizer.optimize import optimize

    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    result = simulation = loop = replication = check = None

    def words(text: str) -> str:
        return progress_words(text, sc.report.language)

    with (
        tqdm(
            total=len(stages) + 1,
            desc=sc.name,
            unit=words("stage"),
            disable=not progress,
            leave=False,
        ) as bar,
        RunFolder(sc.name, out_root, townships=sc.townships) as run,
    ):
        manifest = base_manifest(sc, command, started)
        docs = {
            g: (
                f"persons in group {g} ({spec.label})" if spec.label else f"persons in group {g}",
                "persons",
            )
            for g, spec in sc.groups.items()
        }
        if "profile" in stages:
            bar.set_postfix_str(words("region profile"))
            s = time.perf_counter()
            for stem, frame in region_profile(sc).items():
                run.table(stem, frame)
            timings["profile_s"] = round(time.perf_counter() - s, 3)
            bar.update()
        if "optimize" in stages and "simulate" in stages:
            from model.loop import plan_and_simulate

            bar.set_postfix_str(words("plan and simulate"))
            s = time.perf_counter()
            loop = plan_and_simulate(sc, processes=processes, progress=progress, executor=executor)
            timings["plan_and_simulate_s"] = round(time.perf_counter() - s, 3)
            result, simulation = loop.plan, loop.simulation
            bar.set_postfix_str(words("what binds"))
            value_limits(result, loop.on_time, progress=progress)
            problems = write_plan(run, result, simulation=loop.simulation)
            simulation_tables(run, loop.simulation)
            if result.centres is not None:
                from model.simulate.centre import simulate_centres

                bar.set_postfix_str(words("simulating"))
                centre_runs = simulate_centres(sc, result.plan, result.centres)
                run.table("centre_simulation", centre_runs, sheet=False)
            run.table("on_time_table", loop.on_time_table(), sheet=False)
            check = loop.check
            run.table("service_check", check, sheet=False)
            manifest["solver"] = result.solver.manifest()
            manifest["check"] = {"passed": not problems, "problems": problems}
            manifest["targets_met"] = f"{int(result.targets['met'].sum())}/{len(result.targets)}"
            manifest["simulation"] = {
                "replications": sc.simulation.replications,
                "seed": sc.simulation.seed,
                "plan": "optimized",
                "standards": asdict(sc.simulation.standards),
                "executor": executor.where if executor is not None else f"{processes} processes",
            }
            manifest["loop"] = loop.manifest()
            manifest["service_check"] = manifest["loop"]["service_check"]  # also at the top
            bar.update(2)
        elif "optimize" in stages:
            bar.set_postfix_str(f"{words('optimizing')} ({sc.solver.name})")
            s = time.perf_counter()
            result = optimize(sc, executor=executor)
            timings["optimize_s"] = round(time.perf_counter() - s, 3)
            problems = write_plan(run, result)
            manifest["solver"] = result.solver.manifest()
            manifest["check"] = {"passed": not problems, "problems": problems}
            manifest["targets_met"] = f"{int(result.targets['met'].sum())}/{len(result.targets)}"
            bar.update()
        elif "simulate" in stages:
            from model.simulate.replications import simulate_plan

            bar.set_postfix_str(
                f"{words('simulating')} {sc.simulation.replications} {words('replications')}"
            )
            s = time.perf_counter()
            simulation = simulate_plan(
                sc, plan, processes=processes, progress=progress, executor=executor
            )
            timings["simulate_s"] = round(time.perf_counter() - s, 3)
            simulation_tables(run, simulation)
            run.table(
                "equity",
                equity.simulated_equity_table(sc, simulation.table, simulation.reach),
                sheet=False,
            )
            if plan is not None:  # a given plan: its access and catchments too
                geography_tables(run, sc, plan)
            manifest["simulation"] = {
                "replications": sc.simulation.replications,
                "seed": sc.simulation.seed,
                "plan": "given" if plan is not None else "status quo",
                "standards": asdict(sc.simulation.standards),
                "executor": executor.where if executor is not None else f"{processes} processes",
            }
            bar.update()
        if result is not None and result.limits is not None:
            manifest["limits"] = dict(result.limits.attrs)
            timings["limits_s"] = result.limits.attrs.get("seconds", 0.0)
        if result is not None:
            from model.output.replication import replication_table

            replication = replication_table(
                sc.townships,
                result.summary,
                simulation.table if simulation is not None else None,
            )
            run.table("replication", replication, sheet=False)
            manifest["replication"] = (
                f"{int(replication['in_band'].sum())}/{len(replication)} published figures "
                "within their band"
            )
        if "optimize" in stages or "profile" in stages:
            name = "plan.xlsx" if "optimize" in stages else "region.xlsx"
            run.workbook(name, docs, lang=sc.report.language, labels=group_labels(sc))
        townships = scenario_files(run, sc)
        if "optimize" in stages or "simulate" in stages:
            from model.output.report import build_report

            bar.set_postfix_str(words("figures and report"))
            s = time.perf_counter()
            build_report(run.path(""), manifest=manifest)
            timings["report_s"] = round(time.perf_counter() - s, 3)
        manifest["townships_sha256"] = sha256(townships)
        manifest["stages"] = ["validate", *stages]
        timings["total_s"] = round(time.perf_counter() - t0, 3)
        manifest["timings"] = timings
        folder = run.finish(manifest)
        bar.update()
    return RunResult(folder, result, simulation, loop, replication, check)
