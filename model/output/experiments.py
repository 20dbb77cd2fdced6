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

from model.errors import say
from model.experiments.failures import PLANNED
from model.experiments.sensitivity import SensitivityResult
from model.experiments.sweep import SweepResult
from model.inputs.scenario import Scenario
from model.output.figures.style import save
from model.output.i18n import TEXT, t
from model.output.report import experiment_report
from model.output.runfolder import RunFolder, base_manifest, headers
from model.plan.result import PlanResult


def people(
    frame: pd.DataFrame,
    stem: str,
    lang: str,
    docs: dict[str, tuple[str, str]] | None = None,
    fields: dict[str, str] | None = None,
) -> pd.DataFrame:
    """A table as a report shows it: the workbook's headers (model.output.runfolder.headers)."""
    return frame.set_axis(headers(frame, stem, lang, docs, fields=fields), axis=1)


def status_words(status: str, lang: str) -> str:
    """A member's status (planned, infeasible, no plan, worker lost) in `lang`."""
    key = "status." + str(status).replace(" ", "_")
    return t(key, lang) if key in TEXT else str(status)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _manifest(
    sc: Scenario, command: str, executor_where: str, started: dt.datetime
) -> dict[str, Any]:
    m = base_manifest(sc, command, started)
    m["executor"] = executor_where
    return m


def horizon(sc: Scenario) -> dict[str, str]:
    """What the labels of sums and averages over the horizon fill in: `years` ("2025–2027")
    and `last` ("2027")."""
    first, last = min(sc.years), max(sc.years)
    return {"years": f"{first}–{last}" if last > first else str(first), "last": str(last)}


SWEEP_DOCS: dict[str, tuple[str, str]] = {
    "level": ("funding level (0 the lowest)", ""),
    "frontier.label": ("the level's factor on every year's budget, or its budget per year", ""),
    "frontier.budget_total": ("the level's budgets summed over the horizon", "万元"),
    "frontier.spend_total": ("the plan's spend summed over the horizon", "万元"),
    "frontier.coverage": ("share of townships with a station in the last year", "share 0–1"),
    "frontier.served_hours": ("client hours served, summed over the horizon", "hours"),
    "frontier.served_share": (
        "client hours served / needed over the horizon (an average over the years, each "
        "weighted by its need)",
        "share 0–1",
    ),
    "frontier.simulated_served_share": (
        "simulated client hours served / needed over the horizon",
        "share 0–1",
    ),
    "frontier.unmet_requests": (
        "simulated requests not on time, summed over the horizon",
        "requests",
    ),
    "targets_met": ("targets the level's plan meets", ""),
    "targets_named": ("targets the scenario names", ""),
    "cost_per_served_hour": ("spend / served client hours over the horizon", "万元/hour"),
    "what_binds": ("what holds the level's plan back", ""),
    "marginal_hours_per_100_wan": (
        "extra client hours served over the horizon per 100 万元 more, to the next level",
        "hours per 100 万元",
    ),
    "all_targets_met": ("whether the level's plan meets every target", "true/false"),
    "frontier.status": (
        "planned, or why the level has no plan: infeasible (no plan fits its budgets and pools), "
        "no plan (the solver found none within its time limit), worker lost (its worker "
        "process died twice)",
        "",
    ),
    "frontier.reason": (
        "why the level has no plan, e.g. the least budget the stations that must stay open "
        "need; empty for a planned level",
        "",
    ),
}
"""The sweep's columns; the frontier's sums and averages are over the horizon, not per year."""


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
        years = horizon(sc)
        run.workbook("sweep.xlsx", SWEEP_DOCS, lang=lang, fields=years)
        planned = f[f["status"] == PLANNED]
        cards = [(t("experiments.sweep_levels", lang), f"{len(f)}")]
        if len(planned):
            first, last = planned["served_share"].iloc[0], planned["served_share"].iloc[-1]
            cards.append(
                (
                    t("experiments.sweep_served_share", lang, years=years["years"]),
                    f"{first:.0%} → {last:.0%}",
                )
            )
        if len(planned) < len(f):
            missing = f[f["status"] != PLANNED]
            cards.append(
                (
                    t("experiments.sweep_no_plan", lang, n=len(missing)),
                    ("、" if lang == "zh" else ", ").join(
                        f"{r.label}（{status_words(r.status, lang)}）"
                        if lang == "zh"
                        else f"{r.label} ({status_words(r.status, lang)})"
                        for r in missing.itertuples()
                    ),
                )
            )
        if result.knee is not None:
            cards.append(
                (
                    t("experiments.sweep_knee", lang),
                    f"{f['budget_total'].iloc[result.knee]:,.0f} 万元",
                )
            )
        if least_total is not None:
            cards.append((t("experiments.sweep_least", lang), f"{least_total:,.0f} 万元"))
        elif result.least_failed is not None:
            cards.append(
                (t("experiments.sweep_least", lang), say(result.least_failed.reason, lang))
            )
        shown = f.assign(status=f["status"].map(lambda v: status_words(v, lang)))
        tables = {t("sheet.frontier", lang): people(shown, "frontier", lang, SWEEP_DOCS, years)}
        if result.least_budget is not None:
            least = people(result.least_budget, "least_budget", lang)
            tables[t("sheet.least_budget", lang)] = least
        experiment_report(
            run.path(""),
            f"{sc.title or sc.name} · {t('experiments.sweep_title', lang)}",
            cards,
            tables,
            lang,
            sc.description,
        )
        manifest["levels"] = [
            {"level": lv.number, "label": lv.label, "budget": lv.budget}
            | (
                {"status": PLANNED}
                if lv.number not in result.failures
                else {
                    "status": result.failures[lv.number].status,
                    "reason": str(result.failures[lv.number].reason),
                }
            )
            for lv in result.levels
        ]
        if result.least_failed is not None:
            manifest["least_budget"] = {
                "status": result.least_failed.status,
                "reason": str(result.least_failed.reason),
            }
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
    """The least-budget plan's folder: plan, summary, targets, budget_gap, the other plan
    tables, plan.xlsx, figures and report.html (the run report's builder)."""
    from model.output.report import build_report
    from model.output.run import group_labels, scenario_files, write_plan

    manifest = _manifest(sc, command, executor_where, started or _now())
    with RunFolder(f"{sc.name}/mincost", out_root, townships=sc.townships) as run:
        problems = write_plan(run, result, budgets=False)  # a least-budget plan has no budgets
        run.workbook("plan.xlsx", lang=sc.report.language, labels=group_labels(sc))
        scenario_files(run, sc)
        manifest["solver"] = result.solver.manifest()
        manifest["check"] = {"passed": not problems, "problems": problems}
        manifest["targets_met"] = f"{int(result.targets['met'].sum())}/{len(result.targets)}"
        build_report(run.path(""), manifest=manifest)
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
        run.workbook("comparison.xlsx", lang=lang)
        final = table.groupby("scenario", sort=False).tail(1)
        cards = [
            (
                f"{r.scenario} · {t('experiments.compare_last', lang, year=r.year)}",
                f"{r.coverage:.0%} · {r.workers:,} · {r.spend_total:,.0f} 万元 · "
                f"{r.targets_met}/{r.targets_named}"
                if r.status == PLANNED
                else f"{status_words(r.status, lang)}: {r.reason}",
            )
            for r in final.itertuples()
        ]
        shown = table.assign(status=table["status"].map(lambda v: status_words(v, lang)))
        tables = {t("sheet.comparison", lang): people(shown, "comparison", lang)}
        experiment_report(run.path(""), t("fig.compare_title", lang), cards, tables, lang)
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
        run.workbook("sensitivity.xlsx", lang=lang)
        cards = []
        for o in result.outputs:
            top = oat[oat["output"] == o].iloc[0]
            cards.append((o, f"{top['base']:.4g} · {top['parameter']} ±{top['swing'] / 2:.3g}"))
        experiment_report(
            run.path(""),
            f"{sc.title or sc.name} · {t('experiments.sensitivity_title', lang)}",
            cards,
            {"one at a time": oat, result.method: indices},
            lang,
            sc.description,
        )
        return run.finish(manifest)
