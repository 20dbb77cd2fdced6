"""The folders of experiments: tables (CSV and one XLSX), figures, report.html and manifest.json.

    with open_executor("serial") as ex:
        result = sweep(sc, levels, ex)
    folder = write_sweep(result, sc, "results", "stationplan sweep …", ex.where)

One writer per experiment (sweep, mincost, compare, sensitivity), each writing one new folder
(never overwriting one): `<out_root>/<scenario>/<kind>/<run-id>/`, `<out_root>/compare/<run-id>/`
for comparisons. The manifest records the command, the scenario, the executor and the seeds;
`started` (when the experiment began; default now) dates it and times the sweep.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from model.experiments.sensitivity import SensitivityResult
from model.experiments.sweep import SweepResult
from model.inputs.scenario import Scenario
from model.output.figures.style import save
from model.output.i18n import t
from model.output.report import experiment_report
from model.output.runfolder import RunFolder, base_manifest
from model.plan.result import PlanResult


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _manifest(
    sc: Scenario, command: str, executor_where: str, started: dt.datetime
) -> dict[str, Any]:
    m = base_manifest(sc, command, started)
    m["executor"] = executor_where
    return m


def write_sweep(
    result: SweepResult,
    sc: Scenario,
    out_root: str | Path,
    command: str,
    executor_where: str,
    started: dt.datetime | None = None,
) -> Path:
    """frontier.csv, levels.csv, least_budget.csv, sweep.xlsx, figures/frontier.png, report.html."""
    from model.output.figures.experiments import frontier_figure

    started = started or _now()
    manifest = _manifest(sc, command, executor_where, started)
    lang = sc.report.language
    f = result.frontier
    least_total = result.least_total
    with RunFolder(f"{sc.name}/sweep", out_root) as run:
        run.table("frontier", f)
        run.table("levels", result.levels_table())
        if result.least_budget is not None:
            run.table("least_budget", result.least_budget)
        run.path("figures").mkdir()
        save(
            frontier_figure(f, least_total, lang=lang),
            run.path("figures") / "frontier.png",
            svg=sc.report.svg,
        )
        run.workbook("sweep.xlsx")
        cards = [
            (t("experiments.sweep_levels", lang), f"{len(f)}"),
            (
                t("experiments.sweep_served_share", lang),
                f"{f['served_share'].iloc[0]:.0%} → {f['served_share'].iloc[-1]:.0%}",
            ),
        ]
        if result.knee is not None:
            cards.append(
                (
                    t("experiments.sweep_knee", lang),
                    f"{f['budget_total'].iloc[result.knee]:,.0f} 万元",
                )
            )
        if least_total is not None:
            cards.append((t("experiments.sweep_least", lang), f"{least_total:,.0f} 万元"))
        tables = {"frontier": f}
        if result.least_budget is not None:
            tables["least budget"] = result.least_budget
        experiment_report(
            run.path(""),
            f"{sc.name} · {t('experiments.sweep_title', lang)}",
            cards,
            tables,
            lang,
            sc.description,
        )
        manifest["levels"] = [
            {"level": lv.number, "label": lv.label, "budget": lv.budget}
            for lv in (r.level for r in result.results)
        ]
        manifest["simulated"] = result.simulated
        manifest["timings"] = {"total_s": round((_now() - started).total_seconds(), 3)}
        return run.finish(manifest)


def write_mincost(
    result: PlanResult,
    sc: Scenario,
    out_root: str | Path,
    command: str,
    executor_where: str,
    started: dt.datetime | None = None,
) -> Path:
    """The least-budget plan's folder: plan, summary, targets, budget_gap, the other plan tables."""
    from model.output.run import write_plan

    manifest = _manifest(sc, command, executor_where, started or _now())
    with RunFolder(f"{sc.name}/mincost", out_root) as run:
        problems = write_plan(run, result, budgets=False)  # a least-budget plan has no budgets
        run.workbook("plan.xlsx")
        manifest["solver"] = result.solver.manifest()
        manifest["check"] = {"passed": not problems, "problems": problems}
        return run.finish(manifest)


def write_compare(
    table: pd.DataFrame,
    scenarios: list[Scenario],
    out_root: str | Path,
    command: str,
    executor_where: str,
    started: dt.datetime | None = None,
) -> Path:
    """comparison.csv and .xlsx, figures/comparison.png, report.html (first scenario's language)."""
    from model.output.figures.experiments import comparison_figure

    manifest = _manifest(scenarios[0], command, executor_where, started or _now())
    manifest["scenarios"] = [{"name": s.name, "file": s.source_label} for s in scenarios]
    lang = scenarios[0].report.language
    with RunFolder("compare", out_root) as run:
        run.table("comparison", table)
        run.path("figures").mkdir()
        save(comparison_figure(table, lang=lang), run.path("figures") / "comparison.png")
        run.workbook("comparison.xlsx")
        final = table.groupby("scenario", sort=False).tail(1)
        cards = [
            (
                r.scenario,
                f"{r.coverage:.0%} · {r.workers:,} · {r.spend_total:,.0f} 万元 · "
                f"{r.targets_met}/{r.targets_named}",
            )
            for r in final.itertuples()
        ]
        experiment_report(
            run.path(""), t("fig.compare_title", lang), cards, {"comparison": table}, lang
        )
        return run.finish(manifest)


def write_sensitivity(
    result: SensitivityResult,
    sc: Scenario,
    out_root: str | Path,
    command: str,
    executor_where: str,
    started: dt.datetime | None = None,
) -> Path:
    """sensitivity_oat.csv, sensitivity_<method>.csv, .xlsx, tornado and index figures, report."""
    from model.output.figures.experiments import morris_figure, sobol_figure, tornado_figure

    manifest = _manifest(sc, command, executor_where, started or _now())
    manifest["parameters"] = [
        {"path": p, "low": lo, "high": hi, "base": b} for p, lo, hi, b in result.parameters
    ]
    manifest["method"] = {
        "name": result.method,
        "samples": result.samples,
        "seed": sc.simulation.seed,
    }
    lang = sc.report.language
    oat, indices = result.one_at_a_time, result.indices
    index_figure = morris_figure if result.method == "morris" else sobol_figure
    with RunFolder(f"{sc.name}/sensitivity", out_root) as run:
        run.table("sensitivity_oat", oat)
        run.table(f"sensitivity_{result.method}", indices)
        run.path("figures").mkdir()
        figures = run.path("figures")
        for o in result.outputs:
            save(tornado_figure(oat, o, lang=lang), figures / f"tornado_{o}.png", svg=sc.report.svg)
            save(
                index_figure(indices, o, lang=lang),
                figures / f"{result.method}_{o}.png",
                svg=sc.report.svg,
            )
        run.workbook("sensitivity.xlsx")
        cards = []
        for o in result.outputs:
            top = oat[oat["output"] == o].iloc[0]
            cards.append((o, f"{top['base']:.4g} · {top['parameter']} ±{top['swing'] / 2:.3g}"))
        experiment_report(
            run.path(""),
            f"{sc.name} · {t('experiments.sensitivity_title', lang)}",
            cards,
            {"one at a time": oat, result.method: indices},
            lang,
            sc.description,
        )
        return run.finish(manifest)
