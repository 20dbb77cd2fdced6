"""report.html of a run folder: what binds and key numbers first, then figures and tables, in one
self-contained page.

    build_report(Path("results/ganzhou/latest"))      # also: stationplan report RUN_DIR

Everything is read from the folder's own files (plan, summary, targets, simulation, the
resolved scenario, the manifest), so a report can be rebuilt at any time; figures are written
to `figures/` as PNG and embedded in the page (base64), which opens anywhere without the folder.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import math
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import yaml

from model.errors import WRITE_PROBLEMS, Bi, InputError, cannot_write, display_path
from model.output import figures as plots
from model.output.catchments import catchment_years, has_catchments
from model.output.figures.funding import source_names
from model.output.i18n import TEXT, t
from model.output.runfolder import OWNER, clean_stale, owner, run_id_of, whole_hires
from model.vocabulary import target_unit


def _loop_reason(loop: dict, lang: str) -> str:
    """Why the plan-simulation loop stopped (model.loop's reasons), in the report's language."""
    why = str(loop.get("stopped_because", ""))
    rounds = len(loop.get("rounds", []))
    if why.startswith("planned and simulated service levels agree"):
        return t("report.loop_converged", lang, why=why, rounds=rounds)
    if why.startswith("the table of on-time shares stopped changing"):
        return t("report.loop_stuck", lang, why=why, rounds=rounds)
    if why.endswith((" rounds run", " round run")):
        return t("report.loop_rounds", lang, why=why, rounds=rounds)
    return why


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    return pd.read_csv(path, encoding="utf-8-sig") if path.exists() else None


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}"></figure>'
    )


def number(v: float) -> str:
    """A number for people: thousands separators, about four significant digits, never
    scientific notation (1,789,000 not 1.789e+06; 0.1235)."""
    if not math.isfinite(v):
        return "–" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    if v == round(v):
        return f"{v:,.0f}"
    digits = max(0, min(4, 3 - math.floor(math.log10(abs(v)))))
    return f"{v:,.{digits}f}"


LOOP_COLUMNS = (
    "round",
    "station_years",
    "station_years_disagreeing",
    "largest_difference",
    "measured_levels",
    "workers_last_year",
)
"""The plan-simulation loop's columns the report shows, one row per round."""


def for_people(frame: pd.DataFrame, stem: str, lang: str) -> pd.DataFrame:
    """A results table as the report shows it, in `lang`: headers as in the workbook (label and
    unit, model.output.runfolder.headers), shares as percentages, true/false as 是/否, target
    names and their units in words."""
    from model.output.runfolder import COLUMN_DOCS, SHARE_UNITS, headers

    out = frame.copy()
    for c in out.columns:
        unit = COLUMN_DOCS.get(f"{stem}.{c}", COLUMN_DOCS.get(c, ("", "")))[1]
        values = out[c]
        if unit in SHARE_UNITS and pd.api.types.is_numeric_dtype(values):
            out[c] = values.map(lambda v: "–" if pd.isna(v) else f"{v:.1%}")
        elif values.map(lambda v: isinstance(v, bool) or str(v) in ("True", "False")).all():
            out[c] = values.map(lambda v: t(f"report.{'yes' if str(v) == 'True' else 'no'}", lang))
    if "target" in out.columns:
        out["target"] = out["target"].map(lambda name: target_label(str(name), lang))
    if "unit" in out.columns and stem == "targets":
        for c in ("required", "achieved", "shortfall"):  # each row in its own unit
            if c in out.columns:
                out[c] = [target_value(float(v), str(u)) for v, u in zip(frame[c], frame["unit"])]
        out["unit"] = out["unit"].map(lambda u: target_unit(str(u), lang))
    out.columns = headers(frame, stem, lang)
    return out


def _is_share(unit: str) -> bool:
    return unit.startswith("share") or unit.startswith("lowest open station's share")


def target_value(value: float, unit: str) -> str:
    """A target's value in its unit (targets.csv `unit`), for people: shares as percentages
    (100%, 99.7%), other amounts as numbers (1.2)."""
    return f"{value:.1%}".replace(".0%", "%") if _is_share(unit) else number(value)


def target_amount(value: float, unit: str, lang: str) -> str:
    """A target's value with its unit where it is not a share (100%, 1.2 人/千名老人)."""
    text = target_value(value, unit)
    return text if _is_share(unit) else f"{text} {target_unit(unit, lang)}"


def target_label(name: str, lang: str) -> str:
    """A target of targets.csv ("coverage", "served_share.dibao") in `lang`."""
    family, _, rest = name.partition(".")
    key = f"target.{family}"
    return t(key, lang) + (f" · {rest}" if rest else "") if key in TEXT else name


def _table(frame: pd.DataFrame) -> str:
    """A table in a box that scrolls sideways when it is wider than the page (the page keeps its
    width; the first column stays in view)."""
    table = frame.to_html(index=False, border=0, classes="tbl", float_format=number)
    return f'<div class="scroll">{table}</div>'


def write_figures(folder: Path, lang: str | None = None, into: Path | None = None) -> list[Path]:
    """Draw the run's figures into folder/figures/ (PNG; `into`/figures/ when given); returns
    their paths."""
    scenario = _scenario(folder)
    lang = lang or scenario.get("report", {}).get("language", "zh")
    labels = _group_labels(scenario)
    plan, summary, targets = (
        _read(folder, "plan.csv"),
        _read(folder, "summary.csv"),
        _read(folder, "targets.csv"),
    )
    townships, simulation = _read(folder, "townships.csv"), _read(folder, "simulation.csv")
    service = _read(folder, "service.csv")
    out_dir = (into or folder) / "figures"
    out_dir.mkdir(exist_ok=True)
    made: list[Path] = []

    svg = bool(scenario.get("report", {}).get("svg", False))

    def keep(fig, name: str) -> None:
        path = out_dir / f"{name}.png"
        plots.save(fig, path, svg=svg)
        made.append(path)

    shapes = None
    if scenario.get("report", {}).get("boundaries") and (folder / "boundaries.geojson").exists():
        from model.inputs.boundaries import read_boundaries

        shapes = read_boundaries(
            folder / "boundaries.geojson", scenario["report"].get("boundary_id", "township_id")
        )

    def township_map(service_level=None):
        if shapes:
            return plots.boundary_map_figure(plan, townships, shapes, lang, service=service_level)
        return plots.tile_map_figure(plan, townships, lang, service=service_level)

    tiles = False  # the township maps: with boundaries, or tiles few enough to read
    if plan is not None and townships is not None:
        keep(plots.rollout_figure(plan, townships, targets, lang), "rollout")
        tiles = bool(shapes) or len(townships) <= plots.MAX_TOWNSHIP_TILES
        if tiles:
            keep(township_map(), "township_map" if shapes else "township_tiles")
        keep(plots.county_map_figure(plan, townships, lang), "map_counties")
        keep(plots.equity_figure(plan, townships, lang, simulation), "equity")
        if has_catchments(plan) and len(townships) <= plots.MAX_CATCHMENT_TILES:
            keep(plots.catchment_map_figure(plan, townships, lang), "catchments")
    funding = _read(folder, "funding.csv")
    if funding is not None and (funding["category"] == "total").any():
        keep(plots.funding_figure(funding, lang), "funding")
    nearest = _read(folder, "nearest_station.csv")
    if nearest is not None and townships is not None:
        synthetic = scenario.get("region", {}).get("travel") == "synthetic"
        keep(plots.access_figure(nearest, townships, lang, synthetic), "access")
    if summary is not None:
        keep(plots.staffing_figure(summary, targets, lang), "staffing")
        keep(plots.money_figure(summary, lang), "money")
    if targets is not None and len(targets):
        keep(plots.targets_figure(targets, lang), "targets")
    if simulation is not None:
        keep(plots.service_figure(simulation, service, labels, lang), "service")
        if plan is not None and townships is not None and tiles:
            open_ = simulation[simulation["workers"] > 0]
            level = open_.groupby("township_id")["service_level"].min()
            keep(township_map(level), "township_service")
    return made


def _group_labels(scenario: dict) -> dict[str, str]:
    """Each group's display name (its label in the scenario, else its key)."""
    return {g: (spec or {}).get("label") or g for g, spec in scenario.get("groups", {}).items()}


def _scenario(folder: Path) -> dict:
    path = folder / "scenario.resolved.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def build_report(
    folder: Path, lang: str | None = None, manifest: dict | None = None, into: Path | None = None
) -> Path:
    """Write figures/ and report.html for the run in `folder` (in `into` when given); returns
    the report's path.

    `manifest`: the run's manifest while it is being written (otherwise read from the folder).
    """
    folder = Path(folder)
    require_run_folder(folder)
    scenario = _scenario(folder)
    lang = lang or scenario.get("report", {}).get("language", "zh")
    if manifest is None:
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    figures = write_figures(folder, lang, into)
    equity_png = next((p for p in figures if p.stem == "equity"), None)  # in its own section
    access_png = next((p for p in figures if p.stem == "access"), None)  # so is access
    funding_png = next((p for p in figures if p.stem == "funding"), None)  # and funding
    figures = [p for p in figures if p not in (equity_png, access_png, funding_png)]
    summary, targets = _read(folder, "summary.csv"), _read(folder, "targets.csv")
    simulation, reach, gap = (
        _read(folder, "simulation.csv"),
        _read(folder, "simulation_reach.csv"),
        _read(folder, "budget_gap.csv"),
    )
    lead = limit_sentences(_read(folder, "limits.csv"), lang)
    townships = _read(folder, "townships.csv")
    cards = key_cards(summary, townships, reach, list(scenario.get("groups", {})), lang)
    if summary is not None and len(summary):
        last = summary.iloc[-1]
        if "served_share" in summary:
            extra = ""
            if simulation is not None:
                s = simulation[simulation["year"] == simulation["year"].max()]
                share = s["served_hours"].sum() / max(s["demand_hours"].sum(), 1e-9)
                extra = f" · {t('report.served_sim', lang, share=share)}"
            served = t("report.served_year", lang, year=int(last["year"]))
            cards.append((served, f"{last['served_share']:.0%}{extra}"))
    if targets is not None and len(targets):
        cards.append((t("report.targets", lang), f"{int(targets['met'].sum())} / {len(targets)}"))
    if gap is not None and len(gap):
        if bool(gap["all_targets_reachable"].all()):
            extra = gap["extra_needed"].fillna(0).sum()
            least = t("report.wan", lang, amount=gap["least_cost_all_targets"].sum())
            if extra > 0:
                least += f" ({t('report.extra', lang, amount=extra)})"
            cards.append((t("report.least", lang), least))
        else:
            cards.append((t("report.least", lang), t("report.unreachable", lang)))
    name = str(
        scenario.get("title")
        or (
            manifest.get("scenario", {}).get("name", scenario.get("name", folder.name))
            if isinstance(manifest.get("scenario"), dict)
            else scenario.get("name", folder.name)
        )
    )
    body: list[str] = []
    solver = manifest.get("solver")
    if isinstance(solver, dict) and solver.get("status") == "Time limit reached":
        gap = solver.get("gap")
        text = t(
            "report.stopped",
            lang,
            limit=format(float(solver.get("time_limit_s") or 0), ",g"),
            gap=t("report.stopped_gap", lang, gap=f"{float(gap):.2%}")
            if gap is not None
            else t("report.stopped_no_bound", lang),
        )
        body.append(f"<p class='note'>{html.escape(text)}</p>")
    loop = manifest.get("loop")
    if loop:
        rounds = pd.DataFrame(loop["rounds"])
        body.append(
            f"<h2>{t('report.loop', lang)}</h2><p>{html.escape(_loop_reason(loop, lang))}</p>"
        )
        judged, check = loop.get("judged_on"), loop.get("service_check", {})
        if judged and check.get("township_years"):
            line = t(
                "report.loop_judged",
                lang,
                replications=judged["replications"],
                agree=f"{check['agree']:,}",
                total=f"{check['township_years']:,}",
            )
            body.append(f"<p>{html.escape(line)}</p>")
        shown = [c for c in LOOP_COLUMNS if c in rounds]
        body.append(_table(for_people(rounds[shown], "loop", lang)))
    body += changes_section(_read(folder, "changes.csv"), lang)
    body += equity_section(folder, lang, _group_labels(scenario), equity_png)
    travel_synthetic = scenario.get("region", {}).get("travel") == "synthetic"
    body += access_section(folder, lang, access_png, travel_synthetic)
    body += catchment_section(folder, lang)
    body += province_section(folder, lang)
    body += centre_section(folder, lang)
    body += point_section(folder, lang)
    body += funding_section(_read(folder, "funding.csv"), lang, funding_png)
    body += sector_section(folder, lang)
    tables = {}
    if targets is not None:
        tables[t("report.target_table", lang)] = for_people(targets, "targets", lang)
    tradeoffs = _read(folder, "tradeoffs.csv")
    if tradeoffs is not None and len(tradeoffs):
        tables[t("report.tradeoffs", lang)] = tradeoffs_view(tradeoffs, lang)
    if summary is not None:
        whole = whole_hires_summary(summary, _read(folder, "hires.csv"))
        tables[t("report.summary", lang)] = for_people(whole, "summary", lang)
    replication = _read(folder, "replication.csv")
    if replication is not None and len(replication):
        tables[t("report.replication", lang)] = replication_view(replication, lang)
    # synthetic travel times have their own note (below), not the township table's
    region = {k: v for k, v in scenario.get("region", {}).items() if k != "travel"}
    tables_only = {**scenario, "region": region}
    synthetic = "synthetic" in str(tables_only).lower() or "SYNTHETIC" in str(
        {k: v for k, v in manifest.items() if k != "travel_source"}
    )
    note = t("report.synthetic", lang) if synthetic else ""
    if str(manifest.get("townships_source", "")).startswith("divisions:"):
        note = t("report.divisions", lang)  # real units, synthetic figures
    if travel_synthetic:
        note = f"{note} {t('report.access_synthetic', lang)}".strip()
    run_id = manifest.get("run_id") or run_id_of(folder)
    footer = f"{html.escape(str(run_id))}<br>{note}"
    return write_page(
        into or folder,
        f"{name} · {t('report.title', lang)}",
        str(scenario.get("description", "")),
        cards,
        body,
        figures,
        tables,
        footer,
        lang,
        lead,
    )


def key_cards(
    summary: pd.DataFrame | None,
    townships: pd.DataFrame | None,
    reach: pd.DataFrame | None,
    groups: list[str],
    lang: str,
) -> list[tuple[str, str]]:
    """The report's first cards, every count over its denominator: stations of townships and
    certified of all workers in the last year, money spent of the budget over the horizon
    (万元), people reached in the last simulated year of the people in the groups served (the
    township table's group columns); a denominator that is not in the folder is left out."""
    cards: list[tuple[str, str]] = []
    if summary is not None and len(summary):
        last = summary.iloc[-1]
        year = int(last["year"])
        n_towns = len(townships) if townships is not None else None
        stations = int(last["stations"])
        value = (
            t(
                "report.coverage_value",
                lang,
                coverage=last["coverage"],
                stations=stations,
                townships=n_towns,
            )
            if n_towns
            else f"{last['coverage']:.0%}"
        )
        cards.append((t("report.coverage", lang, year=year), value))
        spent = float(summary["spend_total"].sum())
        budget = summary["budget"] if "budget" in summary else pd.Series(dtype=float)
        if len(budget) and budget.notna().all():
            value = t("report.of_budget", lang, amount=spent, budget=float(budget.sum()))
        else:
            value = t("report.wan", lang, amount=spent)
        cards.append((t("report.spent", lang, years=_years(summary)), value))
        if {"workers", "workers_junior", "workers_intermediate"} <= set(summary):
            certified = int(last["workers_junior"] + last["workers_intermediate"])
            value = t("report.of_workers", lang, n=certified, total=int(last["workers"]))
            cards.append((t("report.certified", lang, year=year), value))
    if reach is not None and len(reach):
        year = int(reach["year"].max())
        reached = float(reach.loc[reach["year"] == year, "clients_reached"].sum())
        columns = [g for g in groups if townships is not None and g in townships]
        if columns and townships is not None:
            total = float(townships[columns].sum().sum())
            value = t("report.of_people", lang, n=reached, total=total)
            cards.append((t("report.reached", lang, year=year), value))
    return cards


def _years(summary: pd.DataFrame) -> str:
    """The years of a summary table: "2025–2027", or "2025" for one year."""
    first, last = int(summary["year"].min()), int(summary["year"].max())
    return f"{first}–{last}" if last > first else str(first)


def whole_hires_summary(summary: pd.DataFrame, hires: pd.DataFrame | None) -> pd.DataFrame:
    """summary.csv as the report shows it: hires in whole people (the sum over counties and
    grades of each one's expected hires rounded half up; summary.csv keeps the expected
    value)."""
    if hires is None or "hires" not in summary:
        return summary
    yearly = whole_hires(hires).groupby("year")["hires"].sum()
    return summary.assign(hires=summary["year"].map(yearly).fillna(0).astype(int))


EQUITY_COLUMNS = {
    "served_share": "report.eq_served",
    "gini": "report.eq_gini",
    "palma": "report.eq_palma",
    "lowest_served_share": "report.eq_lowest",
    "lowest_township": "report.eq_lowest_town",
    "townships_below_30pct": "report.eq_below30",
    "townships_below_60pct": "report.eq_below60",
    "q1": "report.eq_q1",
    "q2": "report.eq_q2",
    "q3": "report.eq_q3",
    "q4": "report.eq_q4",
}
"""Columns of the report's year-by-year equity table and their headers (i18n keys)."""

SOURCES = {"plan": "report.eq_plan", "simulation": "report.eq_sim"}
"""The sources of equity.csv and their names in the report (i18n keys)."""


def _pct(v: float) -> str:
    return "–" if pd.isna(v) else f"{v:.0%}"


def _index(v: float) -> str:
    return "–" if pd.isna(v) else ("∞" if v == float("inf") else f"{v:.2f}")


def equity_by_year(equity: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """One source's equity.csv rows as the report's year-by-year table (shares as percents,
    counts as "n / townships", the lowest township by name)."""
    rows = []
    for year, e in equity.groupby("year", sort=True):
        one = {m: r for m, r in zip(e["measure"], e.itertuples()) if m in EQUITY_COLUMNS}
        quartile = e[e["measure"] == "served_share_by_remoteness"].set_index("key")["value"]
        row = {"year": str(int(year))}
        for m, text in (("served_share", _pct), ("gini", _index), ("palma", _index)):
            row[m] = text(one[m].value) if m in one else "–"
        low = one.get("lowest_served_share")
        row["lowest_served_share"] = _pct(low.value) if low is not None else "–"
        row["lowest_township"] = names.get(str(low.key), str(low.key)) if low is not None else ""
        for m in ("townships_below_30pct", "townships_below_60pct"):
            r = one.get(m)
            row[m] = f"{int(r.value)} / {int(r.denominator)}" if r is not None else "–"
        for q in ("q1", "q2", "q3", "q4"):
            row[q] = _pct(quartile.get(q, float("nan")))
        rows.append(row)
    headers = {"year": t("report.eq_year", lang)} | {
        k: t(v, lang) for k, v in EQUITY_COLUMNS.items()
    }
    return pd.DataFrame(rows, columns=list(headers)).rename(columns=headers)


def change_sentences(changes: pd.DataFrame, lang: str, n: int = 3) -> list[str]:
    """The `n` township-years of changes.csv (model.plan.changes) that lose most served hours,
    then workers, in `lang`: year, county, township, workers and served hours before and after,
    and why (leavers not replaced, workers moved and where to, the county's lay-offs)."""
    from model.plan.changes import largest, largest_rows

    if lang != "zh":
        return largest(changes, n)
    sentences = []
    for row in largest_rows(changes, n).itertuples(index=False):
        why = []
        if row.leavers_not_replaced > 1e-9:
            why.append(t("change.leavers", lang, n=_people(row.leavers_not_replaced)))
        if row.moved_out > 1e-9:
            moved = t("change.moved", lang, n=_people(row.moved_out))
            if isinstance(row.moved_to, str) and row.moved_to:
                names = re.sub(r" and (\d+) more$", r" 等（另 \1 个）", row.moved_to)
                moved += "，" + t("change.moved_to", lang, names=names.replace(", ", "、"))
            why.append(moved)
        if row.county_laid_off > 1e-9:
            why.append(t("change.laid_off", lang, n=_people(row.county_laid_off)))
        text = t(
            "change.sentence",
            lang,
            year=row.year,
            county=row.county,
            name=row.name,
            before=_people(row.workers_before),
            workers=_people(row.workers),
            served_before=row.served_before,
            served=row.served_hours,
        )
        sentences.append(text + (f"（{'；'.join(why)}）" if why else ""))
    return sentences


def _people(v: float) -> str:
    """A count of people that may be an expectation: 3, 0.9, 12.5 (one decimal at most)."""
    return f"{float(v):,.1f}".removesuffix(".0")


def changes_section(changes: pd.DataFrame | None, lang: str, n: int = 5) -> list[str]:
    """Where the plan cuts a station's workers or served hours against the year before, in
    words (changes.csv, model.plan.changes): how many township-years, and the `n` that lose most
    served hours; empty when none does."""
    if changes is None or not len(changes):
        return []
    head = t("report.changes_lead", lang, count=len(changes), n=min(n, len(changes)))
    lines = change_sentences(changes, lang, n)
    items = "".join(f"<li>{html.escape(str(line))}</li>" for line in lines)
    return [f"<h2>{t('report.changes', lang)}</h2><p>{html.escape(head)}</p><ul>{items}</ul>"]


def equity_section(
    folder: Path, lang: str, groups: dict[str, str], figure: Path | None = None
) -> list[str]:
    """The report's equity section (HTML; empty without equity.csv): how the most and least
    remote quarters fare, the lowest township by name and county, the year-by-year measures
    of the plan and of the simulation, counties and groups in the last year, and the figure
    of served share against need."""
    path = folder / "equity.csv"
    if not path.exists():
        return []
    equity = pd.read_csv(path, encoding="utf-8-sig", dtype={"key": str})
    equity["key"] = equity["key"].fillna("")
    if equity.empty:
        return []
    towns = _read(folder, "townships.csv")
    names, counties = {}, {}
    if towns is not None:
        ids = towns["township_id"].astype(str)
        names = dict(zip(ids, towns["name"].astype(str)))
        counties = dict(zip(ids, towns["county"].astype(str)))
    last = int(equity["year"].max())
    out = [f"<h2>{t('report.equity', lang)}</h2>"]
    lines = []
    for source, key in SOURCES.items():
        e = equity[(equity["source"] == source) & (equity["year"] == last)]
        if e.empty:
            continue
        value = dict(zip(zip(e["measure"], e["key"]), zip(e["value"], e["denominator"])))
        where = t(key, lang)
        by_q, workers_q = "served_share_by_remoteness", "workers_by_remoteness"
        if (by_q, "q1") in value and (by_q, "q4") in value:
            lines.append(
                t(
                    "report.equity_quartiles",
                    lang,
                    year=last,
                    source=where,
                    remote=value[(by_q, "q4")][0],
                    remote_workers=value[(workers_q, "q4")][0],
                    near=value[(by_q, "q1")][0],
                    near_workers=value[(workers_q, "q1")][0],
                )
            )
        low = e[e["measure"] == "lowest_served_share"]
        if len(low):
            tid, share, n = low["key"].iloc[0], low["value"].iloc[0], low["denominator"].iloc[0]
            lines.append(
                t(
                    "report.equity_lowest",
                    lang,
                    year=last,
                    source=where,
                    name=names.get(tid, tid),
                    county=counties.get(tid, ""),
                    share=share,
                    below30=int(value[("townships_below_30pct", "")][0]),
                    below60=int(value[("townships_below_60pct", "")][0]),
                    n=int(n),
                )
            )
            station = e[e["measure"] == "lowest_served_share_with_station"]
            if len(station) and station["key"].iloc[0] != tid:
                sid = station["key"].iloc[0]
                lines.append(
                    t(
                        "report.equity_lowest_station",
                        lang,
                        name=names.get(sid, sid),
                        county=counties.get(sid, ""),
                        share=station["value"].iloc[0],
                    )
                )
    out += [f"<p>{html.escape(line)}</p>" for line in lines]
    out.append(f'<p class="desc">{html.escape(t("report.equity_note", lang))}</p>')
    for source, key in SOURCES.items():
        e = equity[equity["source"] == source]
        if len(e):
            title = t("report.eq_by_year", lang, source=t(key, lang))
            out.append(f"<h3>{html.escape(title)}</h3>" + _table(equity_by_year(e, names, lang)))
    if figure is not None:
        out.append(_img(figure))
    final = equity[equity["year"] == last]
    for title, header, labels, columns in (
        (
            "report.eq_by_county",
            "report.eq_county",
            {},
            (
                ("served_share_by_county", "plan", "report.eq_plan"),
                ("served_share_by_county", "simulation", "report.eq_sim"),
            ),
        ),
        (
            "report.eq_by_group",
            "report.eq_group",
            groups,
            (
                ("served_share_by_group", "plan", "report.eq_group_hours"),
                ("reach_rate_by_group", "simulation", "report.eq_group_reach"),
            ),
        ),
    ):
        found = {
            col: final[(final["measure"] == m) & (final["source"] == src)].set_index("key")["value"]
            for m, src, col in columns
        }
        found = {col: v for col, v in found.items() if len(v)}
        if not found:
            continue
        keys = list(dict.fromkeys(k for v in found.values() for k in v.index))
        table = pd.DataFrame({t(header, lang): [labels.get(k, k) for k in keys]})
        for col, v in found.items():
            table[t(col, lang)] = [_pct(v.get(k, float("nan"))) for k in keys]
        out.append(f"<h3>{html.escape(t(title, lang, year=last))}</h3>" + _table(table))
    return out


def access_section(
    folder: Path, lang: str, figure: Path | None = None, synthetic: bool = False
) -> list[str]:
    """The report's access section (HTML; empty without access.csv): one sentence for the last
    year (persons within 30 minutes of a station, of all), the shares by year and threshold,
    the access curve, and a warning when the travel times are synthetic."""
    access = _read(folder, "access.csv")
    if access is None or access.empty:
        return []
    everyone = access[access["people"] == "population"]
    last = int(everyone["year"].max())
    minutes = 30 if (everyone["minutes"] == 30).any() else int(everyone["minutes"].iloc[0])
    row = everyone[(everyone["year"] == last) & (everyone["minutes"] == minutes)].iloc[0]
    line = t(
        "report.access_line",
        lang,
        year=last,
        within=f"{int(row['persons_within']):,}",
        total=f"{int(row['persons_total']):,}",
        share=float(row["share_within"]),
        minutes=minutes,
    )
    out = [f"<h2>{t('report.access', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    if synthetic:
        out.append(f"<p><strong>{html.escape(t('report.access_synthetic', lang))}</strong></p>")
    out.append(f'<p class="desc">{html.escape(t("report.access_note", lang))}</p>')
    shares = everyone.pivot(index="year", columns="minutes", values="share_within")
    table = pd.DataFrame({t("report.eq_year", lang): shares.index.astype(int)})
    for m in shares.columns:
        label = t("report.access_minutes", lang, minutes=int(m))
        table[label] = [_pct(v) for v in shares[m]]
    out.append(f"<h3>{html.escape(t('report.access_table', lang))}</h3>" + _table(table))
    if figure is not None:
        out.append(_img(figure))
    return out


def funding_view(funding: pd.DataFrame, lang: str) -> pd.DataFrame:
    """funding.csv's total rows as the report shows them: per source and year, money available
    (with what it carried in), used, carried on and lost (万元)."""
    totals = funding[funding["category"] == "total"]
    names = source_names(funding)
    return pd.DataFrame(
        {
            t("col.funding.source", lang): [names[str(s)] for s in totals["source"]],
            t("report.eq_year", lang): totals["year"].astype(int).to_numpy(),
            t("col.funding.available", lang): totals["available"].to_numpy(float),
            t("col.funding.carried_in", lang): totals["carried_in"].to_numpy(float),
            t("col.funding.used", lang): totals["used"].to_numpy(float),
            t("col.funding.carried_out", lang): totals["carried_out"].to_numpy(float),
            t("col.funding.unused", lang): totals["unused"].to_numpy(float),
        }
    )


def funding_section(
    funding: pd.DataFrame | None, lang: str, figure: Path | None = None
) -> list[str]:
    """The report's funding section (HTML; empty without funding.csv): one sentence on the
    money used of what the sources had over the horizon, a table by source and year and the
    figure of money used by source."""
    if funding is None or not (funding["category"] == "total").any():
        return []
    totals = funding[funding["category"] == "total"]
    first = int(totals["year"].min())
    had = totals["available"].sum() + totals.loc[totals["year"] == first, "carried_in"].sum()
    line = t(
        "report.funding_line",
        lang,
        sources=totals["source"].nunique(),
        used=f"{totals['used'].sum():,.0f}",
        available=f"{had:,.0f}",
        lost=f"{totals['unused'].sum():,.0f}",
    )
    out = [f"<h2>{t('report.funding', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    out.append(f'<p class="desc">{html.escape(t("report.funding_note", lang))}</p>')
    out.append(
        f"<h3>{html.escape(t('report.funding_table', lang))}</h3>"
        + _table(funding_view(funding, lang))
    )
    if figure is not None:
        out.append(_img(figure))
    return out


CATCHMENTS_SHOWN = 3
"""The largest catchments the report names per year."""


def largest_catchments(
    catchments: pd.DataFrame, year: int, lang: str, n: int = CATCHMENTS_SHOWN
) -> str:
    """The `n` largest catchments of `year` (catchments.csv) in words: station (townships,
    hours/year), by catchment_hours (the served hours where the plan gives none)."""
    rows = catchments[catchments["year"] == year]
    if rows.empty:
        return "–"
    g = rows.groupby("station_id", sort=False)
    hours = g["catchment_hours"].max().where(lambda h: h > 0, g["served_hours"].sum())
    top = pd.DataFrame(
        {"name": g["station_name"].first(), "n": g.size(), "hours": hours}
    ).sort_values(["hours", "n"], ascending=False, kind="stable")
    items = [
        t("report.catchment_item", lang, station=r.name, n=int(r.n), hours=f"{r.hours:,.0f}")
        for r in top.head(n).itertuples()
    ]
    return t("report.catchment_sep", lang).join(items)


def catchment_section(folder: Path, lang: str) -> list[str]:
    """The report's catchments section (HTML; empty when the plan has none): one sentence for
    the last year (townships without a station served by a neighbouring station, the people in
    them) with its largest catchments, and a table of every year."""
    ids = {"township_id": str, "served_by": str, "station_id": str}
    plan_path, towns_path = folder / "plan.csv", folder / "townships.csv"
    path = folder / "catchments.csv"
    if not (path.exists() and plan_path.exists() and towns_path.exists()):
        return []
    plan = pd.read_csv(plan_path, encoding="utf-8-sig", dtype=ids)
    if not has_catchments(plan):
        return []
    catchments = pd.read_csv(path, encoding="utf-8-sig", dtype=ids)
    townships = pd.read_csv(towns_path, encoding="utf-8-sig", dtype=ids)
    years = catchment_years(plan, townships)
    last = years.iloc[-1]
    line = t(
        "report.catchment_line",
        lang,
        year=int(last["year"]),
        without=int(last["without"]),
        served=int(last["served"]),
        population=f"{int(last['population']):,}",
    )
    out = [f"<h2>{t('report.catchments', lang)}</h2>", f"<p>{html.escape(line)}"]
    if last["served"] > 0:
        top = largest_catchments(catchments, int(last["year"]), lang)
        out[-1] += " " + html.escape(t("report.catchment_largest", lang, items=top))
    out[-1] += "</p>"
    out.append(f'<p class="desc">{html.escape(t("report.catchment_note", lang))}</p>')
    table = pd.DataFrame(
        {
            t("report.eq_year", lang): years["year"],
            t("report.catchment_without", lang): years["without"],
            t("report.catchment_served", lang): years["served"],
            t("report.catchment_population", lang): [f"{int(v):,}" for v in years["population"]],
            t("report.catchment_top", lang): [
                largest_catchments(catchments, int(y), lang) for y in years["year"]
            ],
        }
    )
    out.append(f"<h3>{html.escape(t('report.catchment_table', lang))}</h3>" + _table(table))
    return out


POOLS = ("hiring_pool", "certified_pool")
"""County limits on hiring, in the order a sentence on idle money names them."""


SECTOR_COLUMNS = ("label", "year", "posts_needed", "posts", "added", "workers_junior")
"""Columns of sectors.csv the report's table shows."""


def centre_years(centres: pd.DataFrame) -> pd.DataFrame:
    """Per year: centres open, counties, supervisors, stations supervised, their load and the
    supervisors' hours (hours/year), the centres' spend (万元)."""
    spend = [c for c in centres.columns if c.startswith("spend_")]
    g = centres.groupby("year", sort=True)
    out = pd.DataFrame(
        {
            "open": g["centre"].sum().astype(int),
            "counties": g["county"].nunique(),
            "supervisors": g["supervisors"].sum().astype(int),
            "stations": g["stations"].sum().astype(int),
            "load_hours": g["load_hours"].sum(),
            "capacity_hours": g["capacity_hours"].sum(),
            "spend": g[spend].sum().sum(axis=1) if spend else 0.0,
        }
    )
    return out.reset_index()


def centre_section(folder: Path, lang: str) -> list[str]:
    """HTML: one sentence on the last year's centres (how many of the counties have one, their
    supervisors, the stations they supervise, the share of the supervisors' hours that work
    takes) and a table of every year; empty when the run has no centres.csv."""
    path = folder / "centres.csv"
    if not path.exists():
        return []
    centres = pd.read_csv(path, encoding="utf-8-sig", dtype={"county": str})
    if centres.empty:
        return []
    years = centre_years(centres)
    last = years.iloc[-1]
    used = last["load_hours"] / last["capacity_hours"] if last["capacity_hours"] > 0 else 0.0
    line = t(
        "report.centre_line",
        lang,
        year=int(last["year"]),
        open=int(last["open"]),
        counties=int(last["counties"]),
        supervisors=int(last["supervisors"]),
        stations=int(last["stations"]),
        used=f"{used:.0%}",
    )
    out = [f"<h2>{t('report.centres', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    simulated = folder / "centre_simulation.csv"
    if simulated.exists():
        runs = pd.read_csv(simulated, encoding="utf-8-sig", dtype={"county": str})
        runs = runs[runs["year"] == int(last["year"])]
        if len(runs):
            weight = runs["referrals"].where(runs["referrals"] > 0, 0.0)
            share = (
                float((runs["referral_on_time_share"] * weight).sum() / weight.sum())
                if weight.sum() > 0
                else 1.0
            )
            worst = runs.sort_values("referral_on_time_share").iloc[0]
            visits = float(
                (runs["visit_on_time_share"] * runs["visits"]).sum()
                / max(1.0, float(runs["visits"].sum()))
            )
            text = t(
                "report.centre_simulated",
                lang,
                year=int(last["year"]),
                share=f"{share:.1%}",
                visits=f"{visits:.1%}",
                county=str(worst["county"]),
                worst=f"{float(worst['referral_on_time_share']):.1%}",
            )
            out.append(f"<p>{html.escape(text)}</p>")
    out.append(f'<p class="desc">{html.escape(t("report.centre_note", lang))}</p>')
    table = pd.DataFrame(
        {
            t("report.eq_year", lang): years["year"],
            t("report.centre_open", lang): [
                f"{int(o):,} / {int(n):,}" for o, n in zip(years["open"], years["counties"])
            ],
            t("report.centre_supervisors", lang): years["supervisors"],
            t("report.centre_stations", lang): years["stations"],
            t("report.centre_hours", lang): [
                f"{a:,.0f} / {b:,.0f}" for a, b in zip(years["load_hours"], years["capacity_hours"])
            ],
            t("report.centre_spend", lang): [f"{v:,.1f}" for v in years["spend"]],
        }
    )
    out.append(_table(table))
    return out


def central_line(central: pd.DataFrame, lang: str) -> str:
    """One sentence on what the provinces shared by price (central.csv): the steps, the best
    plan's gap to the Lagrangian bound, or, when no plan reached every national target, the
    most the provinces reached of each."""
    last = central.iloc[-1]
    money = any(c.startswith("drawn_") for c in central.columns)
    needs = [c for c in central.columns if c.startswith("need_")]
    what = t(
        "report.central_what_"
        + ("both" if money and needs else "targets" if needs else "transfer"),
        lang,
    )
    seconds = f"{float(last['seconds']):,.0f}"
    meets = central.get("plan_meets_national_targets")
    if needs and meets is not None and not meets.astype(str).eq("True").any():
        reached = []
        for c in needs:
            family, _, year = c.removeprefix("need_").rpartition("_")
            reached.append(
                t(
                    "report.central_reached",
                    lang,
                    year=year,
                    family=target_label(family, lang),
                    reached=int(central[f"reached_{family}_{year}"].max()),
                    need=int(last[c]),
                )
            )
        sep = "；" if lang == "zh" else "; "
        return t(
            "report.central_missed",
            lang,
            what=what,
            steps=len(central),
            seconds=seconds,
            reached=sep.join(reached),
        )
    return t(
        "report.central_line",
        lang,
        what=what,
        steps=len(central),
        gap=f"{float(central['gap'].min()):.2%}",
        seconds=seconds,
    )


def province_section(folder: Path, lang: str) -> list[str]:
    """HTML: a plan made province by province (provinces.csv; empty without it): one sentence
    (provinces, their worst gap, how many meet every target, the slowest), one on a central
    transfer shared by price (central.csv), and a table of the provinces."""
    provinces = _read(folder, "provinces.csv")
    if provinces is None or not len(provinces):
        return []
    met = int((provinces["targets_met"] == provinces["targets"]).sum())
    slow = provinces.sort_values("wall_s", ascending=False).iloc[0]
    line = t(
        "report.province_line",
        lang,
        n=len(provinces),
        gap=f"{float(provinces['gap'].max()):.2%}",
        met=met,
        slowest=str(slow["province"]),
        seconds=f"{float(slow['wall_s']):,.0f}",
    )
    out = [f"<h2>{t('report.provinces', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    central = _read(folder, "central.csv")
    if central is not None and len(central):
        out.append(f"<p>{html.escape(central_line(central, lang))}</p>")
    shares = [c for c in provinces.columns if c.startswith("transfer_")]
    table = pd.DataFrame(
        {
            t("report.province", lang): provinces["province"],
            t("report.province_townships", lang): [f"{int(v):,}" for v in provinces["townships"]],
            t("report.province_gap", lang): [f"{float(v):.2%}" for v in provinces["gap"]],
            t("report.province_coverage", lang): [f"{float(v):.1%}" for v in provinces["coverage"]],
            t("report.province_spend", lang): [
                f"{a:,.0f} / {b:,.0f}"
                for a, b in zip(provinces["spend_total"], provinces["budget"])
            ],
            t("report.province_targets", lang): [
                f"{int(a)} / {int(b)}"
                for a, b in zip(provinces["targets_met"], provinces["targets"])
            ],
            **{
                t("report.province_share", lang, year=c.removeprefix("transfer_")): [
                    f"{float(v):,.0f}" for v in provinces[c]
                ]
                for c in shares
            },
        }
    )
    out.append(_table(table))
    return out


def point_section(folder: Path, lang: str) -> list[str]:
    """HTML: the village points (points.csv; empty without it): one sentence on the last year
    (points, townships with points of all townships, home visits they make, station hours they
    save, their spend), the simulated visits when simulation.csv has them, and a table of every
    year."""
    points = _read(folder, "points.csv")
    if points is None or not len(points):
        return []
    g = points.groupby("year", sort=True)
    years = pd.DataFrame(
        {
            "points": g["points"].sum().astype(int),
            "with": g["townships_with_points"].sum().astype(int),
            "townships": g["townships"].sum().astype(int),
            "visits": g["visits"].sum(),
            "hours": g["hours_saved"].sum(),
            "spend": g["spend_setup"].sum() + g["spend_running"].sum(),
        }
    ).reset_index()
    last = years.iloc[-1]
    line = t(
        "report.point_line",
        lang,
        year=int(last["year"]),
        points=f"{int(last['points']):,}",
        with_=f"{int(last['with']):,}",
        townships=f"{int(last['townships']):,}",
        visits=f"{float(last['visits']):,.0f}",
        hours=f"{float(last['hours']):,.0f}",
        spend=f"{float(last['spend']):,.1f}",
    )
    out = [f"<h2>{t('report.points', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    sim = _read(folder, "simulation.csv")
    if sim is not None and "point_visits" in sim and "visits" in sim:
        mine = sim[sim["year"] == int(last["year"])]
        runs = mine["replication"].nunique() if "replication" in mine else 1
        made = float(mine["point_visits"].sum()) / max(1, runs)
        all_visits = float(mine["visits"].sum()) / max(1, runs)
        if all_visits > 0:
            text = t(
                "report.point_simulated",
                lang,
                year=int(last["year"]),
                visits=f"{made:,.0f}",
                share=f"{made / all_visits:.0%}",
            )
            out.append(f"<p>{html.escape(text)}</p>")
    out.append(f'<p class="desc">{html.escape(t("report.point_note", lang))}</p>')
    table = pd.DataFrame(
        {
            t("report.eq_year", lang): years["year"],
            t("report.point_count", lang): [f"{int(v):,}" for v in years["points"]],
            t("report.point_townships", lang): [
                f"{int(a):,} / {int(b):,}" for a, b in zip(years["with"], years["townships"])
            ],
            t("report.point_visits", lang): [f"{v:,.0f}" for v in years["visits"]],
            t("report.point_hours", lang): [f"{v:,.0f}" for v in years["hours"]],
            t("report.point_spend", lang): [f"{v:,.1f}" for v in years["spend"]],
        }
    )
    out.append(_table(table))
    return out


def sector_section(folder: Path, lang: str) -> list[str]:
    """The report's section on the posts beyond the stations (HTML; empty without sectors.csv):
    one sentence for the last year and a table of the posts needed and filled per sector and
    year."""
    sectors = _read(folder, "sectors.csv")
    if sectors is None or not len(sectors):
        return []
    last = sectors[sectors["year"] == sectors["year"].max()]
    line = t(
        "report.sector_line",
        lang,
        year=int(last["year"].iloc[0]),
        n=len(last),
        posts=f"{int(last['posts'].sum()):,}",
        needed=f"{int(last['posts_needed'].sum()):,}",
        junior=f"{int(last['workers_junior'].sum()):,}",
        added=f"{int(sectors['added'].sum()):,}",
        spend=f"{float(last['spend_salary'].sum()):,.0f}",
    )
    table = sectors.assign(label=sectors["label"].fillna("").astype(str))
    table["label"] = table["label"].where(table["label"] != "", table["sector"])
    out = [f"<h2>{t('report.sectors', lang)}</h2>", f"<p>{html.escape(line)}</p>"]
    out.append(f'<p class="desc">{html.escape(t("report.sector_note", lang))}</p>')
    out.append(_table(for_people(table[list(SECTOR_COLUMNS)], "sectors", lang)))
    return out


def limit_sentences(limits: pd.DataFrame | None, lang: str) -> list[str]:
    """What binds, in words (limits.csv, model.optimizer.limits): per year what binds, with
    every count over its denominator, and where money is left what holds it back; then what
    one more unit is worth (money per year, the county where one more hire serves most, more
    workers per station, a higher pass rate) and how that was found."""
    if limits is None or not len(limits):
        return []
    table = limits.assign(
        year=pd.to_numeric(limits["year"], errors="coerce"),
        binds=limits["binds"].astype(str).str.lower() == "true",
        county=limits["county"].fillna("").astype(str),
    )
    yearly, whole = table[table["year"].notna()], table[table["year"].isna()]
    if not len(yearly):
        return []
    first, last = int(yearly["year"].min()), int(yearly["year"].max())
    years = f"{first}–{last}" if last > first else str(first)
    out = []
    for year, rows in yearly.groupby("year", sort=True):
        facts, binding = [], []
        money = rows[rows["limit"] == "budget"]
        if len(money) and money["binds"].iloc[0]:
            r = money.iloc[0]
            facts.append(t("limits.budget", lang, used=r["used"], available=r["available"]))
        sources = rows[(rows["limit"] == "funding") & rows["binds"]]
        if len(sources):
            binding.append("funding")
            items = [
                t("limits.source_item", lang, source=r.county, used=r.used, available=r.available)
                for r in sources.itertuples()
            ]
            facts.append(t("limits.funding", lang, items=t("limits.sep", lang).join(items)))
        for limit in (*POOLS, "max_workers", "exam_pass_rate"):
            part = rows[rows["limit"] == limit]
            if not part["binds"].any():
                continue
            binding.append(limit)
            if limit in POOLS:
                n, total = int(part["binds"].sum()), len(part)
            else:
                n, total = int(part["used"].iloc[0]), int(part["available"].iloc[0])
            facts.append(t(f"limits.{limit}", lang, n=n, total=total))
        if len(money) and not money["binds"].iloc[0]:
            r = money.iloc[0]
            why = next((b for b in binding if _holds_back(rows, b)), "nothing")
            until = t(f"limits.until_{why}", lang)
            used, available = r["used"], r["available"]
            facts.append(t("limits.money_idle", lang, used=used, available=available, until=until))
        facts = facts or [t("limits.nothing", lang)]
        out.append(t("limits.year", lang, year=int(year), facts=t("limits.sep", lang).join(facts)))
    return out + _worth_sentences(yearly, whole, lang, years)


def _holds_back(rows: pd.DataFrame, limit: str) -> bool:
    """Whether `limit` (a pool or the staffing limit) is what idle money waits for in a year:
    it binds there and one more unit of it is worth more service (or was not valued)."""
    if limit == "exam_pass_rate":
        return False
    part = rows[(rows["limit"] == limit) & rows["binds"]]
    worth = part["worth_hours_per_unit"]
    return bool((worth.isna() | (worth > 0.5)).any())


def _method(methods: pd.Series, lang: str) -> str:
    return "、".join(t(f"limits.method_{m}", lang) for m in dict.fromkeys(methods) if m)


def _worth_sentences(yearly: pd.DataFrame, whole: pd.DataFrame, lang: str, years: str) -> list[str]:
    """The worth of one more unit of each binding limit, in words."""
    out = []
    valued = yearly[yearly["binds"] & yearly["worth_hours_per_unit"].notna()]
    money = valued[valued["limit"] == "budget"]
    if len(money):
        items = (t("limits.sep", lang) if lang == "zh" else ", ").join(
            t("limits.worth_money_item", lang, year=int(r.year), hours=r.worth_hours_per_unit)
            for r in money.itertuples()
        )
        out.append(
            t("limits.worth_money", lang, items=items, method=_method(money["method"], lang))
        )
    sources = valued[(valued["limit"] == "funding") & (valued["worth_hours_per_unit"] > 0.05)]
    if len(sources):
        items = (t("limits.sep", lang) if lang == "zh" else ", ").join(
            t(
                "limits.worth_source_item",
                lang,
                source=r.county,
                year=int(r.year),
                hours=r.worth_hours_per_unit,
            )
            for r in sources.itertuples()
        )
        out.append(
            t("limits.worth_source", lang, items=items, method=_method(sources["method"], lang))
        )
    for limit in POOLS:
        counties = whole[whole["limit"] == limit]
        binding = counties[counties["binds"] & counties["worth_hours_per_unit"].notna()]
        if not len(binding):
            continue
        n, total = int(counties["binds"].sum()), len(counties)
        best = binding.loc[binding["worth_hours_per_unit"].idxmax()]
        if best["worth_hours_per_unit"] >= 0.5:
            out.append(
                t(
                    f"limits.worth_{limit}",
                    lang,
                    county=best["county"],
                    hours=best["worth_hours_per_unit"],
                    years=years,
                    method=_method(pd.Series([best["method"]]), lang),
                    n=n,
                    total=total,
                )
            )
        else:
            method = _method(binding["method"], lang)
            out.append(t("limits.worth_pool_none", lang, n=n, total=total, method=method))
    for limit in ("max_workers", "exam_pass_rate"):
        rows = whole[(whole["limit"] == limit) & whole["binds"]]
        rows = rows[rows["worth_hours_per_unit"].notna()]
        if len(rows):
            r = rows.iloc[0]
            method = _method(pd.Series([r["method"]]), lang)
            hours = r["worth_hours_per_unit"]
            if hours >= 0.5:
                key, fields = f"limits.worth_{limit}", {"hours": hours}
            else:
                key, fields = f"limits.worth_{limit}_none", {}
            out.append(t(key, lang, years=years, method=method, **fields))
    return out


def planner_unit(unit: str, lang: str) -> str:
    """A shortfall's unit in the planner's words (model.plan.targets.in_planner_units)."""
    key = {"stations": "stations", "workers": "workers", "share points": "points"}.get(unit)
    return t(f"report.unit_{key}", lang) if key else target_unit(unit, lang)


def pushes_out_words(text: object, lang: str) -> str:
    """tradeoffs.csv's pushes_out ("coverage 2025: 1 stations; …") with target names and units
    in `lang`."""
    if not isinstance(text, str) or not text:
        return ""
    parts = []
    for part in text.split("; "):
        m = re.fullmatch(r"(\S+) (\d{4}): (\S+) (.+)", part)
        if m is None:
            parts.append(part)
            continue
        name, year, value, unit = m.groups()
        parts.append(
            t(
                "report.pushed",
                lang,
                target=target_label(name, lang),
                year=year,
                amount=value,
                unit=planner_unit(unit, lang),
            )
        )
    return ("；" if lang == "zh" else "; ").join(parts)


def tradeoffs_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The trade-off table as the report shows it: target, year, shortfall in the planner's
    units, whether money meets it and how much more, and what meeting it first would cost."""

    def amount(value: float, unit: str) -> str:
        return "" if pd.isna(value) else f"{value:,.4g} {planner_unit(unit, lang)}"

    def text(column: str) -> list[str]:
        return [v if isinstance(v, str) else "" for v in table[column]]

    def reachable(value: object) -> str:
        if pd.isna(value):
            return ""
        return t("report.to_yes" if str(value) == "True" else "report.to_no", lang)

    return pd.DataFrame(
        {
            t("report.to_target", lang): [target_label(str(v), lang) for v in table["target"]],
            t("report.to_year", lang): table["year"],
            t("report.to_short", lang): [
                amount(v, u) for v, u in zip(table["short_by"], table["short_unit"])
            ],
            t("report.to_reachable", lang): table["reachable"].map(reachable),
            t("report.to_extra", lang): table["extra_money"],
            t("report.to_extra_all", lang): table["extra_money_all_years"],
            t("report.to_first", lang): [
                amount(v, u) for v, u in zip(table["short_when_first"], table["short_unit"])
            ],
            t("report.to_pushes", lang): [pushes_out_words(v, lang) for v in table["pushes_out"]],
            t("report.to_hours", lang): [
                "" if pd.isna(v) else f"{v:+,.0f}" for v in table["served_hours_change"]
            ],
            t("report.to_note", lang): text("note"),
        }
    )


def replication_view(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The replication table as the report shows it: figure, published, band, model, verdict."""
    from model.output.replication import number

    return pd.DataFrame(
        {
            t("report.rep_figure", lang): table["figure"],
            t("report.rep_published", lang): table["published"].map(number),
            t("report.rep_band", lang): [
                f"{number(a)}–{number(b)}" for a, b in zip(table["low"], table["high"])
            ],
            t("report.rep_model", lang): table["model"].map(number),
            t("report.rep_unit", lang): table["unit"].map(lambda u: target_unit(str(u), lang)),
            t("report.rep_ok", lang): [
                t("report.rep_yes" if ok else "report.rep_no", lang) for ok in table["in_band"]
            ],
            t("report.rep_role", lang): [t(f"report.rep_{r}", lang) for r in table["role"]],
        }
    )


def write_page(
    folder: Path,
    title: str,
    description: str,
    cards: list[tuple[str, str]],
    body: list[str],
    figures: list[Path],
    tables: dict[str, pd.DataFrame],
    footer: str,
    lang: str,
    lead: list[str] | None = None,
) -> Path:
    """Write folder/report.html: title, what binds (`lead`, sentences), key-number cards, extra
    sections, figures, tables, footer.

    `body` is HTML placed after the cards; every other text is escaped here.
    """
    parts = [
        f'<!doctype html><html lang="{t("report.html_lang", lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f'<h1>{html.escape(title)}</h1><p class="desc">{html.escape(description)}</p>',
    ]
    if lead:
        parts.append(f'<h2>{t("report.limits", lang)}</h2><div class="lead">')
        parts += [f"<p>{html.escape(line)}</p>" for line in lead]
        parts.append("</div>")
    parts += [
        f'<h2>{t("report.key", lang)}</h2><div class="cards">',
    ]
    parts += [
        f'<div class="card"><div class="k">{html.escape(k)}</div>'
        f'<div class="v">{html.escape(v)}</div></div>'
        for k, v in cards
    ]
    parts.append("</div>")
    parts += body
    parts.append(f"<h2>{t('report.figures', lang)}</h2>")
    parts += [_img(p) for p in figures]
    parts.append(f"<h2>{t('report.tables', lang)}</h2>")
    parts += [f"<h3>{html.escape(name)}</h3>" + _table(frame) for name, frame in tables.items()]
    parts.append(
        f"<footer>{t('report.made', lang)} · {dt.datetime.now():%Y-%m-%d %H:%M} · {footer}"
        "</footer></body></html>"
    )
    page = "\n".join(parts)
    page = page.replace("</style>", f"{embedded_font_css(page)}</style>", 1)
    out = folder / "report.html"
    out.write_text(page, encoding="utf-8")
    return out


def embedded_font_css(page: str) -> str:
    """An @font-face with the Noto Sans CJK SC glyphs the page uses (subset with fontTools, base64).

    Without it a browser on a machine with no Chinese font shows boxes (seen in headless
    chromium); the subset keeps the page self-contained at a few hundred kB instead of 16 MB.
    """
    import io
    from importlib import resources

    from fontTools import subset

    text = "".join(sorted(set(page) | set(" 0123456789%.,·—()（）")))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    subset.save_font(font, buf, options)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        "@font-face{font-family:'Report CJK';src:url(data:font/otf;base64,"
        + data
        + ") format('opentype');}"
        "body{font-family:'Report CJK','Noto Sans CJK SC',sans-serif}"
    )


# a backslash at a line's end continues the line (the CSS text itself is unchanged)
CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;\
margin:2rem auto;max-width:1100px;
color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}\
h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.desc{color:#555}.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{background:#f1f5f9;border-radius:8px;padding:.7rem 1rem;min-width:190px}
.k{font-size:.85rem;color:#555}.v{font-size:1.3rem;font-weight:600;margin-top:.2rem}
figure{margin:1rem 0}img{max-width:100%;height:auto;box-sizing:border-box;\
border:1px solid #eee}
.scroll{max-width:100%;overflow-x:auto;margin:.4rem 0}\
.tbl{border-collapse:collapse;font-size:.85rem}\
.tbl td,.tbl th{padding:.2rem .45rem;border-bottom:1px solid #eee;
text-align:right}.tbl th{vertical-align:bottom;min-width:4em;max-width:9rem;\
overflow-wrap:break-word}
.tbl td:first-child,.tbl th:first-child{position:sticky;left:0;background:#fff;text-align:left}
footer{margin-top:2rem;color:#777;font-size:.8rem}
"""


def experiment_report(
    folder: Path,
    title: str,
    cards: list[tuple[str, str]],
    tables: dict[str, pd.DataFrame],
    lang: str = "zh",
    description: str = "",
) -> Path:
    """report.html of an experiment folder: key numbers, the figures in folder/figures/, then
    tables; the footer names the run."""
    folder = Path(folder)
    figures = sorted((folder / "figures").glob("*.png")) if (folder / "figures").exists() else []
    footer = html.escape(run_id_of(folder))
    return write_page(folder, title, description, cards, [], figures, tables, footer, lang)


def require_run_folder(folder: Path) -> None:
    """Refuse (exit 2) a folder that is not a run folder written by stationplan."""
    if not folder.is_dir() or not any(
        (folder / f).exists() for f in ("manifest.json", "summary.csv", "simulation.csv")
    ):
        raise InputError(
            "RUN_DIR",
            None,
            Bi(
                "a run folder written by stationplan (with manifest.json)",
                "stationplan 写出的结果文件夹（含 manifest.json）",
            ),
            str(folder),
        )


READ_ONLY_HINT = Bi(
    "the report there is unchanged; copy the run folder somewhere you can write and run report "
    "on the copy",
    "原有报告未改动；请把结果文件夹复制到可写的位置，再对副本运行 report",
)


def report_command(folder: Path, lang: str = "zh") -> Path:
    """`stationplan report RUN_DIR`: rebuild the report; prints where it is (in `lang`).

    The new figures/ and report.html are drawn in a hidden folder inside the run folder and
    swapped in when complete, so a full disk or a read-only folder leaves the old report as it
    was (one clear error, exit 2)."""
    folder = Path(folder)
    require_run_folder(folder)
    staging = folder / f".report-{os.getpid()}"
    try:
        try:
            clean_stale(folder, prefix=".report-")  # a killed report's staging folder
            staging.mkdir()
            (staging / OWNER).write_text(owner(), encoding="utf-8")
            build_report(folder, into=staging)
            old, had = staging / "figures-old", (folder / "figures").exists()
            if had:
                os.rename(folder / "figures", old)
            try:
                os.rename(staging / "figures", folder / "figures")
            except OSError:
                if had:
                    os.rename(old, folder / "figures")
                raise
            os.replace(staging / "report.html", folder / "report.html")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        if exc.errno not in WRITE_PROBLEMS:
            raise
        raise cannot_write(folder, exc, READ_ONLY_HINT) from None
    out = folder / "report.html"
    print(t("cli.report", lang, path=display_path(out)))
    return out
