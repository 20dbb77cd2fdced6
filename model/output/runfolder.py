"""The results folder of a run: results/<scenario>/<run-id>/, written atomically, never overwritten.

    with RunFolder("ganzhou", townships=sc.townships, lang="zh") as run:
        run.table("region_counties", frame)      # CSV now, and a sheet of the XLSX workbook
        run.text("scenario.resolved.yaml", text)
        path = run.finish(manifest)               # renamed into place; latest -> newest

Files are first written to a hidden temporary folder beside the final one, `.tmp-<run-id>`, and
renamed into place when complete, so an interrupted run leaves no half-written run folder. Creating
that folder claims the run id (os.mkdir: one process alone succeeds), so runs started in the same
second each get their own id (`-2`, `-3`, …) and runs finishing together all land; a temporary
folder left by a killed run (kill -9, a power cut) is removed by the next run in the same place
(`clean_stale`), and `latest` is replaced in one step (os.replace), so it always names a complete
run. A folder that cannot be written (read-only, a full disk, a file where a folder should be)
is one clear error (model.errors.cannot_write) and leaves nothing behind. Every table
written through a RunFolder that knows the township table carries each township's name and
county beside its id (`named`); the workbook's sheet names and headers are in the run's
language (model.output.i18n: `sheet.*`, `col.*`, `unit.*`), its numbers formatted for people.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.errors import WRITE_PROBLEMS, Bi, cannot_write
from model.output.catchments import COLUMN_DOCS as CATCHMENT_DOCS
from model.output.i18n import TEXT, t
from model.plan.access import COLUMN_DOCS as ACCESS_DOCS
from model.plan.equity import COLUMN_DOCS as EQUITY_DOCS
from model.plan.funding import COLUMN_DOCS as FUNDING_DOCS

COLUMN_DOCS: dict[str, tuple[str, str]] = {
    # column: (meaning, unit)
    **EQUITY_DOCS,
    **ACCESS_DOCS,
    **CATCHMENT_DOCS,
    **FUNDING_DOCS,
    # limits.csv (model.optimizer.limits)
    "limit": (
        "what limits the plan: budget, hiring_pool, certified_pool, max_workers, "
        "exam_pass_rate (docs/method.md, What binds)",
        "",
    ),
    "used": (
        "what the plan uses of the limit (money, hires, stations at the most workers with need "
        "unserved, trainees)",
        "",
    ),
    "available": ("what the limit allows (no year: the sum over the horizon)", ""),
    "binds": (
        "limits: the limit holds the plan back (less than one step of it is left); changes: "
        "what holds the county back that year (pools, budget)",
        "bool (limits), text (changes)",
    ),
    "worth_hours_per_unit": (
        "client hours served over the horizon that one more unit adds",
        "hours per unit",
    ),
    "worth_objective_per_unit": ("the planning objective that one more unit adds", "per unit"),
    "method": ("how the worth was found: slack, re-solve, LP, LP dual", ""),
    "metric": ("name of the quantity", ""),
    "value": ("value of the quantity", "see unit"),
    "unit": ("unit of the value", ""),
    "county": ("county (县/区) of the township; in region_counties the last row is the total", ""),
    "townships": ("township units (乡镇/街道)", "townships"),
    "townships_rural": ("rural townships and towns (乡/镇)", "townships"),
    "townships_urban": ("urban streets (街道)", "townships"),
    "townships_relocation": ("relocation-settlement streets (易地搬迁安置)", "townships"),
    "population": ("resident population", "persons"),
    "elderly": ("residents aged 60 and over", "persons"),
    "stations": ("townships with a social work station", "stations"),
    "coverage": ("share of townships with a station", "share 0–1"),
    "workers_certified": ("certified social workers (junior + intermediate)", "workers"),
    "workers_uncertified": ("uncertified social work staff", "workers"),
    "group": ("recipient group key in the scenario", ""),
    "label": ("display name of the group", ""),
    "persons": ("persons in the group", "persons"),
    "per_1000_population": ("persons in the group per 1,000 residents", "persons/1000"),
    "persons_rural": ("persons in the group living in rural townships", "persons"),
    "persons_urban": ("persons in the group living in urban streets", "persons"),
    "persons_relocation": ("persons in the group living in relocation settlements", "persons"),
    "persons_in_townships_with_station": (
        "persons in the group whose township has a station",
        "persons",
    ),
    "share_with_station": ("share of the group whose township has a station", "share 0–1"),
    "township_id": ("township id from the township table", ""),
    "name": ("township (street, town) name from the township table", ""),
    "year": ("planning year", "year"),
    "station": ("1 if the township has an open station that year", "0/1"),
    "workers_junior": ("junior-certified workers (助理社会工作师) in post", "workers"),
    "workers_intermediate": ("intermediate-certified workers (社会工作师) in post", "workers"),
    "workers": ("all workers in post", "workers"),
    "trained": ("uncertified workers trained toward the exam that year", "workers"),
    "client_hours": ("client work needed (WISN workload, station work excluded)", "hours/year"),
    "served_hours": ("client work the planned staff can do, by priority", "hours/year"),
    "served_share": ("served_hours / client_hours", "share 0–1"),
    "planned_service_level": (
        "share of client requests started within their standard at the planned staffing "
        "(queueing theory, M/M/c+D); summary: the region's, weighted by requests",
        "share 0–1",
    ),
    "spend": ("spend of the township that year", "万元"),
    "spend_setup": ("station_setup x stations opened", "万元"),
    "spend_running": ("station_running x open stations", "万元"),
    "spend_salary": ("Σ salary[grade] x wage_index x workers", "万元"),
    "spend_training": ("certification_training x workers trained", "万元"),
    "spend_moves": ("workforce.move_cost x workers moved out", "万元"),
    "spend_severance": ("severance of the workers laid off (workforce.severance_months)", "万元"),
    "spend_other": (
        "spend of the levels beyond the stations (county centres, village points, sector posts), "
        "within "
        "spend_total",
        "万元",
    ),
    "workers_other": (
        "workers beyond the stations: county centres' supervisors and sector posts (they count "
        "in certified_share and workers_per_1000_elderly of summary.csv)",
        "workers",
    ),
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
    # provinces.csv and central.csv (model.optimizer.provinces: province by province)
    "province": ("province (省份) of the row", ""),
    "provinces.status": ("the province's solver status", ""),
    "provinces.gap": ("the province's proven gap to its bound", "share"),
    "provinces.wall_s": ("seconds its task took in its worker", "s"),
    "provinces.solve_s": ("seconds its solver took", "s"),
    "provinces.workers": ("its social work staff in that year, every level", "workers"),
    "provinces.targets_met": ("its targets met", "targets"),
    "provinces.targets": ("its targets", "targets"),
    "step": ("price update of the central transfer (Lagrangian relaxation)", ""),
    "central.bound": ("Lagrangian bound at this step's prices (objective's units)", ""),
    "central.plan": ("objective of this step's plan with the transfer shared out", ""),
    "central.best_bound": ("best bound so far", ""),
    "central.best_plan": ("best plan so far", ""),
    "central.gap": ("best plan's distance below the best bound, relative", "share"),
    "central.seconds": ("seconds since the first step", "s"),
    # plan.csv and points.csv (model.optimizer.points: village points)
    "points": (
        "village and community points (村社工点) of the township that year; in points.csv, of "
        "all the county's townships",
        "points",
    ),
    "point_hours": (
        "station hours the township's points take off its workers: the home visits they make, "
        "each at what a worker's visit would have cost (visit hours + the township's round trip)",
        "hours/year",
    ),
    "points.townships_with_points": (
        "townships of the county with at least one point",
        "townships",
    ),
    "points.visits": ("home visits the county's points make in the year (planned)", "visits/year"),
    "points.hours_saved": (
        "station hours those visits save the county's workers (the plan's point_hours summed)",
        "hours/year",
    ),
    "points.spend_setup": ("point.setup x points opened", "万元"),
    "points.spend_running": ("point.running x points", "万元"),
    # sectors.csv (model.optimizer.sectors: posts beyond the stations)
    "sector": ("sector key in the scenario (sectors.<name>)", ""),
    "sectors.label": ("display name of the sector", ""),
    "posts_needed": (
        "posts the sector needs: ⌈driver column's regional total / per⌉, or its `need`",
        "posts",
    ),
    "posts": ("social work posts filled in the sector that year", "posts"),
    "added": ("posts added against last year's (today's in the first year)", "posts"),
    "sectors.spend_salary": ("sector cost x posts (all-in per post-year)", "万元"),
    "moved_out": (
        "workers a station lost beyond its own leavers (moved to another township of the "
        "county, or laid off)",
        "workers",
    ),
    "laid_off": ("workers laid off (only with workforce.layoffs)", "workers"),
    # changes.csv (model.plan.changes)
    "workers_before": ("workers the year before (today's in the first year)", "workers"),
    "served_before": ("client hours served the year before", "hours/year"),
    "leavers_not_replaced": ("the station's leavers the county did not replace", "workers"),
    "moved_to": ("the county's stations that grew that year, where moved workers went", ""),
    "county_laid_off": ("workers the county laid off that year", "workers"),
    "warning": ("the change in words", ""),
    "spend_total": ("all spend that year", "万元"),
    "budget": ("budget of the year", "万元"),
    "stations_opened": ("stations opened that year", "stations"),
    "hires": (
        "workers hired from the county pools (growth plus expected replacements); an expected "
        "value, so hires.csv and summary.csv can hold fractions: the workbook and the report "
        "show whole people, rounded half up per county, year and grade",
        "workers",
    ),
    "certified_share": ("certified / all workers", "share 0–1"),
    "workers_per_1000_elderly": ("workers per 1,000 residents aged 60+", "workers/1000"),
    "target": ("target name (.group or .grade where it has one)", ""),
    "required": ("value the target asks for", "see unit"),
    "achieved": ("value the plan reaches", "see unit"),
    "met": ("whether the plan meets the target", "true/false"),
    "shortfall": ("required − achieved when not met", "see unit"),
    "least_cost_all_targets": ("least spend that meets every target, budgets not binding", "万元"),
    "extra_needed": ("least_cost_all_targets − budget, when positive", "万元"),
    "all_targets_reachable": (
        "whether any money meets every target (hiring pools and staffing bind)",
        "true/false",
    ),
    "demand_hours": ("client work the group needs", "hours/year"),
    "grade": ("worker grade", ""),
    # simulation.csv (each measure: mean over replications, with *_low / *_high the 95% interval)
    "replications": ("simulation replications behind the mean", "replications"),
    "unmet_hours": (
        "client work not done: requests not started within their standard (and their sessions)",
        "hours/year",
    ),
    "unmet_requests": (
        "client requests not started within their standard, with the sessions they would have had",
        "requests/year",
    ),
    "wait_mean_days": ("mean wait from request to start of work", "days"),
    "wait_p90_days": ("90th percentile of the wait", "days"),
    "utilisation": ("worker time busy / worker time in post", "share 0–1"),
    "service_level": ("share of client requests started within their standard", "share 0–1"),
    "case_clients": ("recipients whose case intake was done that year", "persons"),
    "visits": (
        "home visits made that year, by workers, volunteers and village points",
        "visits",
    ),
    "point_visits": (
        "home visits the township's village points (村社工点) made that year, without the "
        "station's queue (within visits)",
        "visits",
    ),
    "sessions_per_client": ("case sessions done per case client", "sessions/person"),
    "group_activities_held": ("group activities the station held", "activities/year"),
    "standard_333": (
        "share of replications meeting 三个3 (≥30 case clients, ≥3 activities, ≥3 sessions each)",
        "share 0–1",
    ),
    "departures": ("workers who left during the year (attrition)", "workers"),
    "clients_reached": ("unique recipients served at least once that year", "persons"),
    "reach_rate": ("clients_reached / persons", "share 0–1"),
    "on_time_share": (
        "share of the township's client requests started within their standard at this many "
        "workers in that year (queueing theory, or measured by the simulation)",
        "share 0–1",
    ),
    "measured": ("True where the share was measured by the simulation", "True/False"),
    "simulated_service_level": (
        "simulated share of client requests started within their standard (mean over the "
        "replications)",
        "share 0–1",
    ),
    "simulated_low": ("low end of the simulated share's 95% interval", "share 0–1"),
    "simulated_high": ("high end of the simulated share's 95% interval", "share 0–1"),
    "planned_half": (
        "half-width of the planned share's own 95% interval (0: queueing theory; above 0: "
        "measured by the loop's simulation)",
        "share",
    ),
    "difference": ("simulated − planned share", "share"),
    "agrees": (
        "True when planned and simulated agree within their intervals (± 1 point)",
        "True/False",
    ),
}
"""Meaning and unit of every column the results tables use; group columns are added per scenario.
A key "<sheet>.<column>" defines a column of one sheet only (where it means something else)."""

SHEETS = (
    "plan",
    "county_totals",
    "summary",
    "hires",
    "service",
    "simulation",
    "targets",
    "limits",
    "budget_gap",
    "changes",
    "funding",
    "equity",
    "access",
    "nearest_station",
    "catchments",
    "centres",
    "points",
    "sectors",
    "region_summary",
    "region_counties",
    "region_groups",
)
"""The order of a run's workbook sheets (others follow in the order they were written)."""

SHEET_ROWS_MAX = 200_000
"""Rows of a table above which the workbook leaves it to its CSV (a national run's service table
has a million rows: openpyxl takes minutes, and Excel's sheets end at 1,048,576)."""

SHARE_UNITS = ("share 0–1", "share")
"""Units shown as percentages in a workbook."""


def named(frame: pd.DataFrame, townships: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each township's name and county beside its id (planners act on names):
    after `township_id`, or after `key` where keys are township ids (equity.csv; blank for
    the keys that are counties, groups or quartiles). A frame that has names already, or no
    township column, is returned as it is."""
    if "name" in frame.columns:
        return frame
    ids = townships["township_id"].astype(str)
    names = dict(zip(ids, townships["name"]))
    counties = dict(zip(ids, townships["county"]))
    if "township_id" in frame.columns:
        column = "township_id"
    elif "key" in frame.columns and frame["key"].astype(str).isin(names).any():
        column = "key"
    else:
        return frame
    keys = frame[column].astype(str)
    out = frame.copy()
    at = out.columns.get_loc(column) + 1
    out.insert(at, "county", keys.map(counties))
    out.insert(at, "name", keys.map(names))
    return out


def whole_hires(hires: pd.DataFrame) -> pd.DataFrame:
    """hires.csv with whole people: each county-year-grade's expected hires rounded half up
    (what the workbook and the report show; hires.csv keeps the expected value)."""
    out = hires.copy()
    out["hires"] = np.floor(out["hires"].astype(float).round(6) + 0.5).astype(int)
    return out


def package_versions() -> dict[str, str]:
    names = [
        "stationplan",
        "numpy",
        "pandas",
        "scipy",
        "simpy",
        "pulp",
        "highspy",
        "pyyaml",
        "openpyxl",
        "matplotlib",
        "dask",
        "distributed",
        "tqdm",
    ]
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(folder: Path) -> str | None:
    """The git commit of the project checkout, when there is one."""
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if res.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=5,
    ).stdout.strip()
    return res.stdout.strip() + ("-dirty" if dirty else "")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


OWNER = ".owner"
"""The file in a temporary run folder naming the process that writes it: host, pid and the
process's start (`clean_stale`); removed before the folder is renamed into place."""

STALE_AFTER_S = 24 * 3600
"""A temporary run folder whose owner cannot be checked (on another machine, or written by an
older stationplan) is removed when unchanged for this long (s)."""

OPEN: set[Path] = set()
"""The temporary folders of the runs this process is writing (`discard_open`)."""

OUT_HINT = Bi(
    "no run folder was written; choose another folder with --out",
    "未写出结果文件夹；请用 --out 选择另一个文件夹",
)


class RunFolder:
    """A run folder under `root/<scenario>/`, filled in a temporary folder and renamed into
    place."""

    def __init__(
        self,
        scenario: str,
        root: str | Path = "results",
        run_id: str | None = None,
        townships: pd.DataFrame | None = None,
    ) -> None:
        """`townships`: the scenario's township table; every table written here then names
        its townships (`named`)."""
        self.parent = Path(root) / scenario
        self.run_id = run_id or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.tmp: Path | None = None
        self.sheets: dict[str, pd.DataFrame] = {}
        self.left_out: dict[str, int] = {}  # tables too long for a sheet: stem -> rows
        self.started = dt.datetime.now(dt.UTC)
        self.townships = townships

    def __enter__(self) -> RunFolder:
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            clean_stale(self.parent)
            self.run_id = self._claim(self.run_id)
        except OSError as exc:
            self._discard()
            raise cannot_write(self.parent, exc, OUT_HINT) from None
        return self

    def _claim(self, run_id: str) -> str:
        """`run_id`, or `run_id-2`, `-3`, …: the first name with no finished folder whose
        temporary folder this process creates (os.mkdir fails when another process has it), so
        that what is written inside (the report's footer) names the final folder."""
        name, n = run_id, 1
        while True:
            tmp = self.parent / f".tmp-{name}"
            if not (self.parent / name).exists():
                try:
                    tmp.mkdir()
                except FileExistsError:
                    pass  # being written by another run
                else:
                    self.tmp = tmp
                    OPEN.add(tmp)
                    if not (self.parent / name).exists():  # not finished meanwhile by another
                        (tmp / OWNER).write_text(owner(), encoding="utf-8")
                        return name
                    self._discard()
            n += 1
            name = f"{run_id}-{n}"

    def _discard(self) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            OPEN.discard(self.tmp)
            self.tmp = None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._discard()
        if isinstance(exc, OSError) and _writing_here(exc, self.parent):
            raise cannot_write(self.parent, exc, OUT_HINT) from None

    def path(self, name: str) -> Path:
        assert self.tmp is not None, "use RunFolder as a context manager"
        return self.tmp / name

    def table(self, stem: str, frame: pd.DataFrame, sheet: bool = True) -> Path:
        """Write `stem`.csv (UTF-8 with BOM, opens in Excel with Chinese intact), townships
        named; queue an XLSX sheet."""
        if self.townships is not None:
            frame = named(frame, self.townships)
        path = self.path(f"{stem}.csv")
        frame.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
        if sheet and len(frame) > SHEET_ROWS_MAX:  # a national table: its CSV alone
            self.left_out[stem] = len(frame)
        elif sheet:
            self.sheets[stem] = frame
        return path

    def sheet(self, stem: str, frame: pd.DataFrame) -> None:
        """Queue a sheet of the workbook that differs from `stem`.csv (e.g. whole hires)."""
        self.sheets[stem] = named(frame, self.townships) if self.townships is not None else frame

    def text(self, name: str, content: str) -> Path:
        path = self.path(name)
        path.write_text(content, encoding="utf-8")
        return path

    def workbook(
        self,
        name: str,
        column_docs: dict[str, tuple[str, str]] | None = None,
        lang: str = "zh",
        labels: dict[str, str] | None = None,
        fields: dict[str, str] | None = None,
    ) -> Path:
        """Write the queued tables as one formatted XLSX (sheets in SHEETS' order) with a
        sheet defining each column; sheet names and headers in `lang` (i18n `sheet.<stem>`,
        `col.<stem>.<column>` or `col.<column>`, `unit.<unit>`; a column without a key keeps
        its name). `labels`: headers of columns the scenario adds (its groups); `fields`:
        what headers fill in (`years`: "2025–2027", `last`: "2027"). The columns sheet gives
        each column's meaning and unit, in Chinese when `lang` is "zh" (i18n MEANINGS_ZH,
        MEANING_GROUP_ZH for the group columns, `unit.*` or UNITS_ZH)."""
        from model.output.i18n import MEANING_GROUP_ZH, MEANINGS_ZH, UNITS_ZH

        docs = {**COLUMN_DOCS, **(column_docs or {})}
        labels = labels or {}

        def meaning_unit(stem: str, column: str) -> tuple[str, str]:
            key = f"{stem}.{column}" if f"{stem}.{column}" in docs else column
            meaning, unit = docs.get(key, ("", ""))
            if lang != "zh":
                return meaning, unit
            if key in MEANINGS_ZH:
                meaning = MEANINGS_ZH[key]
            elif column in labels:  # a recipient group of the scenario
                meaning = MEANING_GROUP_ZH.format(label=labels[column], group=column)
            unit = t(f"unit.{unit}", lang) if f"unit.{unit}" in TEXT else UNITS_ZH.get(unit, unit)
            return meaning, unit

        path = self.path(name)
        order = [s for s in SHEETS if s in self.sheets] + [
            s for s in self.sheets if s not in SHEETS
        ]
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            used: dict[str, tuple[str, str, str]] = {}
            for stem in order:
                frame = self.sheets[stem]
                sheet = _label(f"sheet.{stem}", lang, stem)[:31]
                heads = headers(frame, stem, lang, docs, labels, fields)
                units = [docs.get(f"{stem}.{c}", docs.get(c, ("", "")))[1] for c in frame.columns]
                for head, c in zip(heads, frame.columns):
                    used.setdefault(head, (c, *meaning_unit(stem, c)))
                out = frame.copy()
                for c in ("township_id", "key"):  # codes, not numbers
                    if c in out.columns:
                        out[c] = out[c].map(lambda v: "" if pd.isna(v) else str(v))
                if "grade" in out.columns:  # grades by name (junior: 助理社会工作师)
                    out["grade"] = out["grade"].map(lambda g: _label(f"grade.{g}", lang, g))
                out.set_axis(heads, axis=1).to_excel(xl, sheet_name=sheet, index=False)
                _format_sheet(xl.sheets[sheet], out, units)
            defs = pd.DataFrame(
                [
                    {
                        t("wb.header", lang): head,
                        t("wb.column", lang): c,
                        t("wb.meaning", lang): meaning,
                        t("wb.unit", lang): unit,
                    }
                    for head, (c, meaning, unit) in used.items()
                ]
                + [
                    {
                        t("wb.header", lang): _label(f"sheet.{stem}", lang, stem),
                        t("wb.column", lang): "",
                        t("wb.meaning", lang): t(
                            "wb.left_out",
                            lang,
                            stem=stem,
                            rows=f"{rows:,}",
                            most=f"{SHEET_ROWS_MAX:,}",
                        ),
                        t("wb.unit", lang): "",
                    }
                    for stem, rows in self.left_out.items()
                ]
            )
            columns = t("sheet.columns", lang)
            defs.to_excel(xl, sheet_name=columns, index=False)
            _format_sheet(xl.sheets[columns])
        return path

    def finish(self, manifest: dict[str, Any]) -> Path:
        """Write manifest.json, move the folder into place and point `latest` at it.

        The rename claims the final name too: should a folder of that name have appeared
        meanwhile (written by hand, or by an older stationplan), the run lands at the next free
        `-2`, `-3`, … and its manifest says so."""
        assert self.tmp is not None
        (self.tmp / OWNER).unlink(missing_ok=True)
        manifest = {
            **manifest,
            "run_id": self.run_id,
            "files": sorted(p.name for p in self.tmp.iterdir()) + ["manifest.json"],
        }
        _write_manifest(self.tmp, manifest)
        final, n = self.parent / self.run_id, 1
        while not _rename_into(self.tmp, final):
            n += 1
            final = self.parent / f"{self.run_id}-{n}"
        OPEN.discard(self.tmp)
        self.tmp = None
        if final.name != self.run_id:
            with contextlib.suppress(OSError):  # the run is in place; its id is the folder's
                _write_manifest(final, {**manifest, "run_id": final.name})
        _point_latest(self.parent, final.name)
        return final


def _rename_into(tmp: Path, final: Path) -> bool:
    """Rename `tmp` to `final` unless a folder (or file) of that name is there or another run is
    writing one (then False): the rename is the claim, no check-then-rename."""
    claim = final.parent / f".tmp-{final.name}"
    if claim != tmp and claim.exists():
        return False
    try:
        os.rename(tmp, final)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno in (errno.ENOTEMPTY, errno.ENOTDIR):
            return False
        raise
    return True


def discard_open() -> None:
    """Remove the temporary folders of the runs this process is writing (a command ending at
    once on a signal, model.cli.interrupts)."""
    for tmp in list(OPEN):
        shutil.rmtree(tmp, ignore_errors=True)
        OPEN.discard(tmp)


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _writing_here(exc: OSError, folder: Path) -> bool:
    """Whether `exc` is a failure to write in `folder`: one of WRITE_PROBLEMS on a path inside
    it, or a full disk (the system names no file then)."""
    if exc.errno not in WRITE_PROBLEMS:
        return False
    names = [os.path.abspath(n) for n in (exc.filename, exc.filename2) if isinstance(n, str)]
    if not names:
        return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG)
    inside = os.path.abspath(folder)
    return any(n.startswith(inside + os.sep) for n in names)


def owner() -> str:
    """This process as OWNER records it: host, pid and its start ("-" where unknown)."""
    return f"{socket.gethostname()} {os.getpid()} {_process_start(os.getpid()) or '-'}\n"


def _process_start(pid: int) -> str | None:
    """When process `pid` started, in clock ticks since boot (Linux), so that a pid used again
    by a later process is told apart; None where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None  # field 22 of proc(5): starttime


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: is there such a process (POSIX; not used on Windows)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def _gone(owner: str, age_s: float) -> bool:
    """Whether the run that wrote OWNER `owner` is over, its folder unchanged for `age_s`."""
    parts = owner.split()
    if os.name == "nt" or len(parts) != 3 or parts[0] != socket.gethostname():
        return age_s > STALE_AFTER_S  # its process cannot be looked at from here
    try:
        pid = int(parts[1])
    except ValueError:
        return age_s > STALE_AFTER_S
    if not _running(pid):
        return True
    return parts[2] != "-" and _process_start(pid) not in (None, parts[2])


def clean_stale(parent: Path, prefix: str = ".tmp-") -> list[Path]:
    """Remove what killed runs left in `parent` (kill -9, a power cut): temporary run folders
    (named `prefix`…; a report's staging folders in a run folder, `.report-`…) whose process
    is gone — its OWNER names host and pid; one on another machine, or without the file, only
    when unchanged for STALE_AFTER_S — and temporary `latest` links older than a minute (they
    live a moment). Returns what was removed."""
    removed = []
    now = time.time()
    for path in parent.glob(".latest-*"):
        with contextlib.suppress(OSError):
            if now - path.lstat().st_mtime > 60:
                path.unlink()
                removed.append(path)
    for path in parent.glob(f"{prefix}*"):
        try:
            age = now - path.stat().st_mtime
            owner = (path / OWNER).read_text(encoding="utf-8") if (path / OWNER).exists() else ""
        except OSError:
            continue
        if _gone(owner, age):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def run_id_of(folder: Path) -> str:
    """The run id of a run folder, also while it is still being written (`.tmp-<run-id>`)."""
    name = folder.resolve().name
    return name.removeprefix(".tmp-")


def print_where(folder: Path, lang: str = "zh") -> None:
    """The closing lines of every command that writes a folder: where the results and the report
    are (in `lang`)."""
    from model.errors import display_path
    from model.output.i18n import t

    print(t("cli.results", lang, path=display_path(folder)))
    if (folder / "report.html").exists():
        print(t("cli.report", lang, path=display_path(folder / "report.html")))
    latest = folder.parent / "latest"
    if latest.is_dir() and not latest.is_symlink():
        say = t("cli.latest_folder", lang, path=display_path(latest), run=display_path(folder))
        print(say, file=sys.stderr)


def _point_latest(parent: Path, name: str) -> None:
    """Point parent/latest at the run `name`: a new link (a text file naming the run where the
    system has no symbolic links) renamed over the old one, so `latest` names a complete run at
    every moment, also while runs finish together. A folder named `latest` (copied from
    elsewhere) is left as it is (print_where says so): the run itself is complete."""
    latest = parent / "latest"
    tmp = parent / f".latest-{os.getpid()}"
    try:
        tmp.unlink(missing_ok=True)
        try:
            os.symlink(name, tmp, target_is_directory=True)
        except OSError:  # no symlinks (some Windows set-ups)
            tmp.write_text(name + "\n", encoding="utf-8")
        os.replace(tmp, latest)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def headers(
    frame: pd.DataFrame,
    stem: str,
    lang: str = "zh",
    column_docs: dict[str, tuple[str, str]] | None = None,
    labels: dict[str, str] | None = None,
    fields: dict[str, str] | None = None,
) -> list[str]:
    """The headers of `frame` (the table `stem`) for people, in `lang`: each column's label
    (`labels`, i18n `col.<stem>.<column>` or `col.<column>`, else its name) with its unit
    (i18n `unit.<unit>` of its COLUMN_DOCS unit; shares have none, they show as percentages)."""
    docs = {**COLUMN_DOCS, **(column_docs or {})}
    labels, fields = labels or {}, fields or {}
    out = []
    for c in frame.columns:
        unit = docs.get(f"{stem}.{c}", docs.get(c, ("", "")))[1]
        label = labels.get(c) or _label(
            f"col.{stem}.{c}", lang, _label(f"col.{c}", lang, c), **fields
        )
        if f"unit.{unit}" in TEXT:
            label = t("wb.header_unit", lang, label=label, unit=t(f"unit.{unit}", lang))
        out.append(label)
    return out


def _label(key: str, lang: str, default: str, **fields: str) -> str:
    """The text `key` (fields filled in) where there is one, else `default`."""
    return t(key, lang, **fields) if key in TEXT else default


def number_format(values: pd.Series, unit: str) -> str | None:
    """The Excel number format of a column for people: percentages for shares, years as
    they are, thousands separators and a few decimals for the rest (never scientific
    notation); None for text."""
    if values.dtype == bool or not pd.api.types.is_numeric_dtype(values):
        return None
    if unit in SHARE_UNITS:
        return "0.0%"
    if unit == "year":
        return "0"
    v = values.dropna().astype(float)
    v = v[np.isfinite(v)]
    if not len(v) or (v == v.round()).all():
        return "#,##0"
    if unit == "万元" or v.abs().max() >= 100:
        return "#,##0.0"
    return "#,##0.00" if v.abs().max() >= 1 else "0.000"


def _width(text: str) -> int:
    """Display width of a cell's text (Chinese characters count twice)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _format_sheet(
    ws: Any, frame: pd.DataFrame | None = None, units: list[str] | None = None
) -> None:
    """Bold headers, the first row frozen, widths to fit, and number formats per column."""
    from openpyxl.styles import Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, column in enumerate(ws.columns):
        fmt = None
        if frame is not None and units is not None:
            fmt = number_format(frame.iloc[:, i], units[i])
        if fmt is not None:
            for cell in column[1:]:
                cell.number_format = fmt
        width = max(_width(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)


def base_manifest(sc: Any, command: str, started: dt.datetime) -> dict[str, Any]:
    """Provenance every run records: versions, scenario, overrides, seed, inputs, git commit."""
    project = Path(__file__).resolve().parents[2]
    return {
        "stationplan": package_versions()["stationplan"],
        "command": command,
        "scenario": sc.name,
        "scenario_file": sc.source_label,
        "overrides": list(sc.overrides),
        "townships_source": sc.townships_source,
        **({"travel_source": sc.travel_source} if getattr(sc, "travel_source", "") else {}),
        "seed": sc.simulation.seed,
        "started": started.isoformat(timespec="seconds"),
        "git_commit": git_commit(project),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
    }
