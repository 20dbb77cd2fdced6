"""The report's section on the levels beyond the stations: county guidance centres
(centres.csv, model.optimizer.centres)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from model.output.i18n import t

CENTRE_DOCS: dict[str, tuple[str, str]] = {
    # centres.csv (model.optimizer.centres.extract_centres)
    "centres.centre": ("the county's guidance centre is open that year", "0/1"),
    "centres.supervisors": ("the centre's supervisors (intermediate grade)", "workers"),
    "centres.stations": ("open stations of the county the centre supervises", "stations"),
    "centres.load_hours": (
        "supervision and referred complex cases of those stations "
        "(centre.supervision_hours + referral_share × new cases × referral_hours each)",
        "hours/year",
    ),
    "centres.capacity_hours": (
        "the supervisors' working hours (hours_per_worker each)",
        "hours/year",
    ),
    "centres.trainees": (
        "uncertified workers of the county's stations trained for the exam",
        "workers",
    ),
}
"""Columns of centres.csv (meaning, unit)."""


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
    out.append(
        '<div class="scroll">'
        + table.to_html(index=False, border=0, classes="tbl", escape=True)
        + "</div>"
    )
    return out
