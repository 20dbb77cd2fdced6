"""An independent checker of plans: recomputes spend, coverage, staffing rules, hiring and targets.

Written from the scenario's definitions (docs/design.md) without using the optimizer's code, so a
formulation error in model/optimizer/ shows up here as a violation.

    problems = check_plan(sc, plan, targets=result.targets)   # [] when the plan is valid
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from model.errors import Bi
from model.inputs.provinces import province_names, province_scenario
from model.inputs.scenario import Scenario
from model.plan.funding import check_funding
from model.plan.targets import sector_posts_needed
from model.vocabulary import GRADES, WORKER_COLUMNS

if TYPE_CHECKING:
    from model.plan.result import PlanResult

from model.workload import (
    available_hours,
    centre_hours,
    client_hours,
    client_requests,
    group_requests,
    on_time_by_group,
    point_hours,
    station_hours,
)

TOL = 1e-6

ITEMS = ("x_setup", "x_running", "x_salary", "x_training", "x_moves")
"""Spend items of a township-year recomputed by `expected_spend` (万元)."""


def township_moves(sc: Scenario, plan: pd.DataFrame) -> pd.DataFrame:
    """Per township-year (plan order sorted by township and year): its workers `before` (last
    year's; today's, from the township table, in the first year), `workers` now, the workers
    expected to be moved from it, `moved_out` = (1 − attrition) × max(0, before − workers) (the
    holders of the posts it cut who do not leave anyway, moved to another township of the
    county or laid off), and the posts it added, `moved_in` = max(0, workers − before)."""
    t = sc.townships.set_index("township_id")
    p = plan.sort_values(["township_id", "year"])[["township_id", "year"]].copy()
    workers = plan.loc[p.index, list(WORKER_COLUMNS)].sum(axis=1).astype(float)
    first = p["year"] == p.groupby("township_id")["year"].transform("min")
    before = workers.groupby(p["township_id"]).shift(1)
    today = (t["workers_uncertified"] + t["workers_certified"]).astype(float)
    before[first] = p.loc[first, "township_id"].map(today).to_numpy()
    keep = 1 - sc.workforce.attrition
    p["before"], p["workers"] = before, workers
    p["moved_out"] = (keep * (before - workers).clip(lower=0)).round(9)
    p["moved_in"] = (workers - before).clip(lower=0).round(9)
    return p


def staff_flows(
    sc: Scenario, plan: pd.DataFrame, centres: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each county's workers by grade and year and how they came, from the definitions.

    Columns county, year, grade, before (the county's workers of the grade last year; today's
    in the first year, certified ones counted as junior), survivors ((1 − attrition) × before),
    promoted (exam_pass_rate × last year's trainees: + for junior, − for uncertified), workers,
    hires = max(0, workers − survivors − promoted) and laid_off = max(0, the opposite).
    With `centres` (centres.csv), a county's intermediate workers include its centre's
    supervisors (today's: centre.min_supervisors where centres exist at the start).
    """
    wf = sc.workforce
    keep = 1 - wf.attrition
    t = sc.townships
    p = plan.assign(county=plan["township_id"].map(t.set_index("township_id")["county"]))
    if "trained" not in p:
        p["trained"] = 0
    by = p.groupby(["county", "year"])[[*WORKER_COLUMNS, "trained"]].sum().to_dict("index")
    today = t.groupby("county")[["workers_uncertified", "workers_certified"]].sum()
    today = today.to_dict("index")
    supervisors: dict[tuple[str, int], float] = {}
    if centres is not None and len(centres):
        for r in centres.itertuples():
            supervisors[str(r.county), int(r.year)] = float(r.supervisors)
    start = float(sc.centre.min_supervisors) if sc.centre.mode == "existing" else 0.0
    rows = []
    for c in dict.fromkeys(t["county"]):
        before = {
            "uncertified": float(today[c]["workers_uncertified"]),
            "junior": float(today[c]["workers_certified"]),
            "intermediate": start if supervisors else 0.0,
        }
        trained = 0.0
        for year in sc.years:
            now = {g: float(by[c, year][f"workers_{g}"]) for g in GRADES}
            now["intermediate"] += supervisors.get((str(c), year), 0.0)
            passed = wf.exam_pass_rate * trained
            shift = {"uncertified": -passed, "junior": passed, "intermediate": 0.0}
            for g in GRADES:
                net = round(now[g] - keep * before[g] - shift[g], 9)
                rows.append(
                    {
                        "county": c,
                        "year": year,
                        "grade": g,
                        "before": before[g],
                        "survivors": keep * before[g],
                        "promoted": shift[g],
                        "workers": now[g],
                        "hires": max(0.0, net),
                        "laid_off": max(0.0, -net),
                    }
                )
            before, trained = now, float(by[c, year]["trained"])
    return pd.DataFrame(rows)


def severance_by_year(sc: Scenario, flows: pd.DataFrame) -> pd.Series:
    """Severance per year (万元): each laid-off worker costs severance_months of the grade's
    salary at the mean wage_index of the county's townships."""
    t = sc.townships
    wage = t.groupby("county")["wage_index"].mean().astype(float)
    salary = sc.costs.salary.by_grade()
    cost = (
        flows["laid_off"]
        * flows["grade"].map(salary)
        * flows["county"].map(wage)
        * sc.workforce.severance_months
        / 12
    )
    return cost.groupby(flows["year"]).sum().reindex(sc.years, fill_value=0.0)


def expected_spend(sc: Scenario, plan: pd.DataFrame) -> pd.DataFrame:
    """Spend per township-year recomputed from stations, workers, training and moves (万元;
    columns `ITEMS`)."""
    t = sc.townships.set_index("township_id")
    p = plan.sort_values(["township_id", "year"]).copy()
    first = p["year"] == p.groupby("township_id")["year"].transform("min")
    before = p.groupby("township_id")["station"].shift(1)
    before[first] = p.loc[first, "township_id"].map(t["has_station"]).to_numpy()
    c = sc.costs
    wage = p["township_id"].map(t["wage_index"]).astype(float)
    p["x_setup"] = c.station_setup * ((p["station"] == 1) & (before == 0)).astype(float)
    p["x_running"] = c.station_running * p["station"]
    p["x_salary"] = wage * (
        c.salary.uncertified * p["workers_uncertified"]
        + c.salary.junior * p["workers_junior"]
        + c.salary.intermediate * p["workers_intermediate"]
    )
    p["x_training"] = c.certification_training * p.get("trained", 0)
    p["x_moves"] = sc.workforce.move_cost * township_moves(sc, plan)["moved_out"]
    return p


def spend_by_year(
    sc: Scenario,
    plan: pd.DataFrame,
    others: list[pd.DataFrame] | None = None,
    flows: pd.DataFrame | None = None,
    spend: pd.DataFrame | None = None,
) -> pd.Series:
    """Spend per planning year (万元) recomputed from the plan: stations, salaries, training and
    moves (`expected_spend`), severance of the workers laid off (`staff_flows`), village points
    (`point_spend`, when the plan has a points column) and the spend columns of `others` (tables
    of centres or sector posts). `flows` and `spend`: already computed, to reuse."""
    spend = expected_spend(sc, plan) if spend is None else spend
    flows = staff_flows(sc, plan) if flows is None else flows
    by_year = spend.groupby("year")[list(ITEMS)].sum().sum(axis=1) + severance_by_year(sc, flows)
    if "points" in plan:
        paid = point_spend(sc, plan).groupby("year")[["setup", "running"]].sum().sum(axis=1)
        by_year = by_year.add(paid, fill_value=0.0)
    for table in others or ():
        cols = [c for c in table.columns if c.startswith("spend_")]
        by_year = by_year.add(table.groupby("year")[cols].sum().sum(axis=1), fill_value=0.0)
    return by_year


ROW_RULES = (
    "station",
    "whole",
    "no_station",
    "min_workers",
    "max_workers",
    "min_certified",
    "existing",
    "closes",
    "trained",
)
"""The rules each row of a plan keeps (`broken_rules`), in the order a row is checked."""

RULE_SENTENCES = {
    "station": "station must be 0 or 1",
    "whole": "{columns} must be whole numbers ≥ 0",
    "no_station": "workers placed where there is no station",
    "min_workers": "an open station has fewer than {s.min_workers} workers",
    "max_workers": "a station has more than {s.max_workers} workers",
    "min_certified": "an open station has fewer than {s.min_certified} certified workers",
    "existing": "an existing station is closed",
    "closes": "a station closes after it opened",
    "trained": "more workers trained than uncertified workers in post",
}
"""check_plan's sentence for each of ROW_RULES broken (`columns`: the columns that break it,
`s`: the scenario's staffing)."""


def broken_rules(sc: Scenario, plan: pd.DataFrame) -> list[tuple[str, str, pd.Series]]:
    """The rules of ROW_RULES some row of `plan` (one row per township and planning year, numbers
    in its station, worker and trained columns) breaks: (rule, column, mask of the rows that
    break it), in ROW_RULES order. The rules: station 0 or 1; workers whole numbers ≥ 0; no
    workers without a station; an open station within staffing.min_workers..max_workers and
    with at least staffing.min_certified certified (junior and intermediate) workers; a
    township with a station today (has_station) keeps it every year; a station once open stays
    open; at most the uncertified workers in post trained (`trained`, when the plan has it)."""
    stf = sc.staffing
    w = plan[list(WORKER_COLUMNS)].astype(float)
    workers = w.sum(axis=1)
    certified = w["workers_junior"] + w["workers_intermediate"]
    station = plan["station"].astype(float)
    open_ = station == 1
    masks: list[tuple[str, str, pd.Series]] = [("station", "station", ~station.isin((0.0, 1.0)))]
    masks += [("whole", c, (w[c] < 0) | (w[c] != w[c].round())) for c in WORKER_COLUMNS]
    masks += [
        ("no_station", "station", (station == 0) & (workers > 0)),
        ("min_workers", "workers", open_ & (workers < stf.min_workers)),
        ("max_workers", "workers", open_ & (workers > stf.max_workers)),
        ("min_certified", "workers", open_ & (certified < stf.min_certified)),
    ]
    ids = plan["township_id"].astype(str)
    today = dict(zip(sc.townships["township_id"].astype(str), sc.townships["has_station"]))
    masks.append(("existing", "station", (ids.map(today) == 1) & ~open_))
    order = plan.assign(_open=open_.astype(float)).sort_values(["township_id", "year"])
    before = order.groupby("township_id")["_open"].cummax().groupby(order["township_id"]).shift(1)
    masks.append(("closes", "station", (before.reindex(plan.index).fillna(0) > 0) & ~open_))
    if "trained" in plan:
        trained = plan["trained"].astype(float)
        bad = (trained < 0) | (trained != trained.round()) | (trained > w["workers_uncertified"])
        masks.append(("trained", "trained", bad))
    return [(kind, column, mask) for kind, column, mask in masks if mask.any()]


@dataclass(frozen=True)
class Breach:
    """A plan row that breaks a rule of ROW_RULES: `kind` (the rule), `row` (the row's index
    label), `column` it concerns ("workers": the three worker columns together), `rule` (what
    the rule asks, Bi text) and `value` (what the row has)."""

    kind: str
    row: Hashable
    column: str
    rule: Bi
    value: object


def first_breach(sc: Scenario, plan: pd.DataFrame) -> Breach | None:
    """The first row of `plan` (in its order) that breaks a rule (`broken_rules`), with the
    first rule it breaks described for a planner; None when every row keeps every rule."""
    broken = broken_rules(sc, plan)
    if not broken:
        return None
    at = {label: k for k, label in enumerate(plan.index)}
    row = min((mask[mask].index[0] for _, _, mask in broken), key=at.__getitem__)
    kind, column, _ = next(b for b in broken if b[2].at[row])
    r = plan.loc[row]
    stf = sc.staffing
    w = {c: float(r[c]) for c in WORKER_COLUMNS}
    workers, certified = sum(w.values()), w["workers_junior"] + w["workers_intermediate"]
    count = Bi(
        " (workers_uncertified + workers_junior + workers_intermediate)",
        "（workers_uncertified + workers_junior + workers_intermediate 之和）",
    )
    if kind == "station":
        rule = Bi("0 or 1 (1: a station that year)", "0 或 1（1 表示当年设有社工站）")
        value: object = r["station"]
    elif kind == "whole":
        rule = Bi("a whole number ≥ 0 (workers)", "不小于 0 的整数（社工人数）")
        value = r[column]
    elif kind == "no_station":
        column = "workers"
        rule = Bi(
            "0 workers: workers only at a station, and this row's station is 0",
            "0 名社工：社工只能配置在社工站，而本行 station 为 0",
        )
        value = workers
    elif kind == "min_workers":
        rule = Bi(
            f"at least staffing.min_workers = {stf.min_workers} workers at an open station",
            f"开办的社工站至少 staffing.min_workers = {stf.min_workers} 名社工",
        )
        value = workers
    elif kind == "max_workers":
        rule = Bi(
            f"at most staffing.max_workers = {stf.max_workers} workers at a station",
            f"每个社工站至多 staffing.max_workers = {stf.max_workers} 名社工",
        )
        value = workers
    elif kind == "min_certified":
        rule = Bi(
            f"at least staffing.min_certified = {stf.min_certified} certified workers "
            "(workers_junior + workers_intermediate) at an open station",
            f"开办的社工站至少 staffing.min_certified = {stf.min_certified} 名持证社工"
            "（workers_junior + workers_intermediate）",
        )
        value = certified
    elif kind == "existing":
        rule = Bi(
            "1: the township has a station today (has_station in the township table), and an "
            "existing station stays open",
            "1：该乡镇现已设有社工站（乡镇表 has_station），现有站点须继续开办",
        )
        value = r["station"]
    elif kind == "closes":
        rule = Bi(
            "1: a station stays open once opened (open in an earlier year of the plan)",
            "1：社工站一经开办须继续开办（方案中此前年份已开办）",
        )
        value = r["station"]
    else:  # trained
        rule = Bi(
            f"a whole number from 0 to workers_uncertified = {w['workers_uncertified']:g} "
            "(only uncertified workers in post are trained)",
            f"0 至 workers_uncertified = {w['workers_uncertified']:g} 之间的整数"
            "（只有在岗的未持证社工参加培训）",
        )
        value = r["trained"]
    if kind in ("no_station", "min_workers", "max_workers"):
        rule = rule + count
    return Breach(kind, row, column, rule, _plain(value))


def _plain(value: object) -> object:
    """A number of a plan row as a planner wrote it: 3, not 3.0; 2.7 as it is."""
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if isinstance(value, np.integer):
        return int(value)
    return value


def check_plan(
    sc: Scenario,
    plan: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    budgets: bool = True,
    *,
    funding: pd.DataFrame | None = None,
    centres: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
    points: pd.DataFrame | None = None,
) -> list[str]:
    """Every rule the plan breaks, as sentences; an empty list means the plan is valid.

    Village points (point.max_per_township > 0): the plan's `points` and `point_hours` columns
    (`_check_points`); their spend is recomputed from the plan (`point_spend`) and counts in the
    budgets; `points` (points.csv), when given, must agree with the plan.

    `centres`: the plan's county guidance centres (centres.csv), required when the scenario has
    them (centre.mode existing or planned). `funding` (funding.csv): who pays each cost
    (model.plan.funding.check_funding), with the costs of the centres and sector posts from
    their tables `centres` and `sectors` when given. `sectors`: the posts beyond the
    stations (sectors.csv; `_check_sectors`), whose spend counts in the budgets and whose
    workers count in the worker targets.
    """
    problems: list[str] = []
    t = sc.townships
    years = sc.years
    ids = set(t["township_id"])
    if (
        set(plan["township_id"]) != ids
        or sorted(plan["year"].unique()) != years
        or len(plan) != len(ids) * len(years)
    ):
        return ["the plan does not hold exactly one row per township and planning year"]
    workers = plan["workers_uncertified"] + plan["workers_junior"] + plan["workers_intermediate"]
    certified = plan["workers_junior"] + plan["workers_intermediate"]
    broken: dict[str, list[str]] = {}
    for kind, column, _ in broken_rules(sc, plan):
        broken.setdefault(kind, []).append(column)
    for kind, columns in broken.items():
        problems.append(RULE_SENTENCES[kind].format(columns=", ".join(columns), s=sc.staffing))

    spend = expected_spend(sc, plan)
    if "spend" in plan:
        mine = spend[list(ITEMS)].sum(axis=1)
        theirs = plan.set_index(["township_id", "year"]).loc[
            list(zip(spend["township_id"], spend["year"])), "spend"
        ]
        if (abs(mine.to_numpy() - theirs.to_numpy()) > 1e-3).any():
            problems.append(
                "the plan's spend column disagrees with costs recomputed from the scenario"
            )
    if sc.centre.mode != "none":
        if centres is None:
            return problems + ["the scenario has county centres but the plan has no centres table"]
        problems += _check_centres(sc, plan, centres)
    if sc.point.max_per_township > 0:
        if "points" not in plan:
            return problems + ["the scenario has village points but the plan has no points column"]
        problems += _check_points(sc, plan, points)
    others = [x for x in (centres, sectors) if x is not None and len(x)]
    flows = staff_flows(sc, plan, centres if sc.centre.mode != "none" else None)
    by_year = spend_by_year(sc, plan, others, flows, spend)
    if sc.sectors:
        problems += _check_sectors(sc, sectors)
    if budgets:
        for year, total in by_year.items():
            if year in sc.budget and total > sc.budget[year] + 1e-6 * max(1.0, sc.budget[year]):
                problems.append(
                    f"spend {total:.4f} 万元 exceeds the budget {sc.budget[year]} in {year}"
                )

    if "served_by" in plan:
        problems += _check_catchments(sc, plan)
    problems += _check_hiring(sc, flows)
    if sc.centre.mode == "none":
        problems += _check_supervision(sc, plan)
    if targets is not None:
        problems += _check_targets(sc, plan, workers, certified, targets, others, sectors)
    if funding is not None:
        problems += check_funding(sc, plan, funding, centres, sectors, budgets)
    return problems


def point_spend(sc: Scenario, plan: pd.DataFrame) -> pd.DataFrame:
    """The village points' spend per county and year from the plan's `points` column (万元):
    setup × points opened (this year's less last year's; none before the first year) and
    running × points. Columns county, year, points, setup, running."""
    t = sc.townships
    county = dict(zip(t["township_id"].astype(str), t["county"].astype(str)))
    p = plan.assign(township_id=plan["township_id"].astype(str)).sort_values(
        ["township_id", "year"]
    )
    p["county"] = p["township_id"].map(county)
    p["opened"] = p["points"] - p.groupby("township_id")["points"].shift(1).fillna(0.0)
    by = p.groupby(["county", "year"], sort=True)[["points", "opened"]].sum().reset_index()
    by["setup"] = sc.point.setup * by["opened"].clip(lower=0.0)
    by["running"] = sc.point.running * by["points"]
    return by[["county", "year", "points", "setup", "running"]]


def _check_points(sc: Scenario, plan: pd.DataFrame, table: pd.DataFrame | None) -> list[str]:
    """Village points (plan columns `points`, `point_hours`): whole numbers from 0 to
    point.max_per_township, only where the township has a station that year, never fewer than
    the year before; the station hours they take (`point_hours`) are those of the visits they
    can make (model.workload.point_hours: their visit hours, by group priority), at most the
    township's client hours; `table` (points.csv), when given, has each county-year's points
    and spend as recomputed (`point_spend`)."""
    out: list[str] = []
    most = sc.point.max_per_township
    n = plan["points"].astype(float)
    if ((n < 0) | (n > most) | (n != n.round())).any():
        return [f"points must be whole numbers from 0 to point.max_per_township = {most}"]
    if ((n > 0) & (plan["station"] != 1)).any():
        bad = plan.loc[(n > 0) & (plan["station"] != 1)].iloc[0]
        out.append(
            f"township {bad['township_id']} has {int(bad['points'])} village points in "
            f"{int(bad['year'])} but no station (a point needs its township's station)"
        )
    wide = plan.pivot(index="township_id", columns="year", values="points")
    if (wide.diff(axis=1).fillna(0) < 0).any().any():
        out.append("a township's village points close after they opened")
    if "point_hours" in plan:
        ids = sc.townships["township_id"].astype(str).tolist()
        at = {tid: k for k, tid in enumerate(ids)}
        need = client_hours(sc).sum(axis=1).to_numpy(float)
        cache: dict[int, np.ndarray] = {}
        for r in plan.itertuples():
            k = int(r.points)
            if k not in cache:
                cache[k] = point_hours(sc, np.full(len(ids), k)).sum(axis=1).to_numpy(float)
            i = at[str(r.township_id)]
            expected = min(float(cache[k][i]), float(need[i])) if k else 0.0
            if abs(float(r.point_hours) - expected) > 1e-2 + 1e-6 * expected:
                out.append(
                    f"township {r.township_id}'s {k} points take {float(r.point_hours):g} "
                    f"station hours in {r.year}, recomputed {expected:.3f}"
                )
    if table is not None:
        spend = point_spend(sc, plan).set_index(["county", "year"])
        got = table.assign(county=table["county"].astype(str)).set_index(["county", "year"])
        if set(got.index) != set(spend.index):
            return out + ["the points table does not hold one row per county and planning year"]
        for key, r in spend.iterrows():
            mine = got.loc[key]
            for col, value in (
                ("points", r["points"]),
                ("spend_setup", r["setup"]),
                ("spend_running", r["running"]),
            ):
                if col in got and abs(float(mine[col]) - float(value)) > 1e-3:
                    out.append(
                        f"county {key[0]}'s points in {key[1]}: {col} {float(mine[col]):g}, "
                        f"recomputed {float(value):.4f}"
                    )
    return out


def _check_centres(sc: Scenario, plan: pd.DataFrame, centres: pd.DataFrame) -> list[str]:
    """County guidance centres (centre.mode existing or planned; centres.csv): one row per
    county and year; a centre exists every year (existing) or stays open once opened (planned);
    its supervisors are whole, within min_supervisors..max_supervisors while open and 0 while
    closed; its supervisors' hours (hours_per_worker each) cover every open station of the
    county (centre.supervision_hours plus referral_share × the township's new cases ×
    referral_hours); the county's trainees are at most trainees_per_supervisor × supervisors
    (when the exam is used); its spend (setup on opening, running, supervisors' intermediate
    salary at the county's mean wage_index) is recomputed."""
    c = sc.centre
    t = sc.townships
    out: list[str] = []
    counties = list(dict.fromkeys(t["county"].astype(str)))
    got = centres.assign(county=centres["county"].astype(str))
    keys = set(zip(got["county"], got["year"].astype(int)))
    if len(got) != len(keys) or keys != {(k, y) for k in counties for y in sc.years}:
        return ["the centres table does not hold exactly one row per county and planning year"]
    county = t["county"].astype(str).to_numpy()
    hours = pd.Series(centre_hours(sc).to_numpy(float), index=t["township_id"].astype(str))
    wage = t.groupby(t["county"].astype(str))["wage_index"].mean().astype(float)
    p = plan.assign(
        township_id=plan["township_id"].astype(str),
        county=plan["township_id"].map(dict(zip(t["township_id"], county))),
    )
    load = (
        p[p["station"] == 1]
        .assign(h=lambda d: d["township_id"].map(hours))
        .groupby(["county", "year"])["h"]
        .sum()
    )
    trainees = p.groupby(["county", "year"])["trained"].sum() if "trained" in p else None
    exam = sc.workforce.exam_pass_rate > 0
    salary = sc.costs.salary.intermediate
    for k in counties:
        rows = got[got["county"] == k].sort_values("year")
        before = 1 if c.mode == "existing" else 0
        for r in rows.itertuples():
            year, ce, sup = int(r.year), float(r.centre), float(r.supervisors)
            where = f"county {k}'s centre in {year}"
            if ce not in (0.0, 1.0) or sup < 0 or sup != round(sup):
                out.append(f"{where}: centre must be 0 or 1 and supervisors whole ≥ 0")
                continue
            if c.mode == "existing" and ce != 1:
                out.append(f"{where} is closed, but centre.mode is existing")
            if ce < before:
                out.append(f"{where} closes after it opened")
            if ce == 1 and not c.min_supervisors <= sup <= c.max_supervisors:
                out.append(
                    f"{where} has {sup:g} supervisors, outside {c.min_supervisors}–"
                    f"{c.max_supervisors}"
                )
            if ce == 0 and sup > 0:
                out.append(f"{where} is closed but has {sup:g} supervisors")
            need = float(load.get((k, year), 0.0))
            have = sc.staffing.hours_per_worker * sup
            if need > have + 1e-6 * max(1.0, need):
                out.append(
                    f"{where} has {have:.1f} supervisor hours for {need:.1f} hours of its "
                    "stations' supervision and referrals"
                )
            if exam and trainees is not None:
                n = float(trainees.get((k, year), 0.0))
                if n > c.trainees_per_supervisor * sup + TOL:
                    out.append(
                        f"county {k} trains {n:g} workers in {year}, more than its centre's "
                        f"{sup:g} supervisors can prepare ({c.trainees_per_supervisor} each)"
                    )
            expected = {
                "spend_setup": c.setup * max(0.0, ce - before),
                "spend_running": c.running * ce,
                "spend_salary": salary * float(wage[k]) * sup,
            }
            for col, value in expected.items():
                if col in got and abs(float(getattr(r, col)) - value) > 1e-3:
                    out.append(
                        f"{where}: {col} {float(getattr(r, col)):g} 万元, recomputed {value:.4f}"
                    )
            if "workers_intermediate" in got and float(r.workers_intermediate) != sup:
                out.append(f"{where}: workers_intermediate must equal its supervisors")
            before = int(ce)
    return out


def _check_sectors(sc: Scenario, sectors: pd.DataFrame | None) -> list[str]:
    """The posts beyond the stations (sectors.csv), per sector and year: whole posts ≥ 0; junior
    posts ⌈certified_share × posts − 10⁻⁴⌉ (the share rounded up to a whole worker), the rest
    uncertified, no intermediate; posts never below last year's (today's, sector.posts, in the
    first year) and at most max_new_per_year more; no more than the sector needs (⌈driver
    total / per⌉ or `need`; today's posts if more) when it needs any; `added` and spend_salary
    (cost × posts) as recomputed."""
    if sectors is None:
        return ["the scenario has sectors but the plan has no sectors table"]
    out: list[str] = []
    needed = sector_posts_needed(sc)
    for name, sector in sc.sectors.items():
        most = max(int(sector.posts), needed[name]) if needed[name] > 0 else math.inf
        rows = sectors[sectors["sector"] == name].sort_values("year")
        if list(rows["year"]) != sc.years:
            out.append(f"sector {name} does not have exactly one row per planning year")
            continue
        before = float(sector.posts)
        for r in rows.itertuples():
            posts = float(r.posts)
            if posts < 0 or posts != round(posts):
                out.append(f"sector {name} has {posts:g} posts in {r.year}: not a whole number ≥ 0")
            junior = max(0, math.ceil(sector.certified_share * posts - 1e-4))
            split = (float(r.workers_junior), float(r.workers_uncertified))
            if split != (junior, posts - junior) or float(r.workers_intermediate) != 0:
                out.append(
                    f"sector {name} has {r.workers_junior:g} junior and "
                    f"{r.workers_uncertified:g} uncertified of {posts:g} posts in {r.year}: "
                    f"certified_share {sector.certified_share:g} asks for {junior} junior"
                )
            if posts < before - TOL:
                what = "today's" if r.year == sc.years[0] else "last year's"
                out.append(
                    f"sector {name} has {posts:g} posts in {r.year}, fewer than {what} {before:g}"
                )
            if posts > most:
                out.append(
                    f"sector {name} has {posts:g} posts in {r.year}, more than the {most} it needs"
                )
            if posts - before > sector.max_new_per_year + TOL:
                out.append(
                    f"sector {name} adds {posts - before:g} posts in {r.year}, more than its "
                    f"max_new_per_year {sector.max_new_per_year}"
                )
            if "added" in rows and abs(float(r.added) - (posts - before)) > TOL:
                out.append(
                    f"sector {name} claims {r.added:g} posts added in {r.year}, "
                    f"recomputed {posts - before:g}"
                )
            cost = sector.cost * posts
            if "spend_salary" in rows and abs(float(r.spend_salary) - cost) > 1e-3:
                out.append(
                    f"sector {name} claims {r.spend_salary:g} 万元 in {r.year}, "
                    f"recomputed {cost:.4f}"
                )
            before = posts
    return out


def _check_catchments(sc: Scenario, plan: pd.DataFrame) -> list[str]:
    """Catchments (plan column served_by): a township served by a neighbour has no station of
    its own and the neighbour has one that year, within catchment.max_minutes (region.travel,
    station to township); a township served by no one has no served hours, a served one at most
    its client hours; and each station's work fits its workers: its own served hours plus, per
    township it serves, the served hours × (1 + round trip in hours × the township's client
    requests per client hour) ≤ workers × hours_per_worker × (1 − admin_share) − its station
    work (model.workload's definitions), which is also the plan's catchment_hours."""
    out: list[str] = []
    served_by = plan["served_by"].fillna("").astype(str)
    if not (served_by != "").any():
        return out
    limit = sc.catchment.max_minutes
    if limit is None or sc.travel is None:
        return [
            "townships are served by a neighbour's station but catchment.max_minutes is not set"
        ]
    ids = sc.townships["township_id"].astype(str).tolist()
    at = {tid: k for k, tid in enumerate(ids)}
    minutes = sc.travel.to_numpy(float)
    need = client_hours(sc).sum(axis=1).to_numpy(float)
    per_hour = np.divide(
        client_requests(sc).to_numpy(float), need, out=np.zeros(len(ids)), where=need > 0
    )
    avail = float(available_hours(sc).iloc[0]) if len(ids) else 0.0
    fixed = station_hours(sc)
    rows = plan.assign(township_id=plan["township_id"].astype(str), served_by=served_by)
    station = rows.set_index(["township_id", "year"])["station"]
    load: dict[tuple[str, int], float] = {}
    for r in rows.itertuples():
        served = float(r.served_hours) if "served_hours" in rows else 0.0
        if r.served_by == "":
            if r.station != 1 and served > TOL:
                out.append(
                    f"township {r.township_id} has {served:g} served hours in {r.year} without "
                    "a station or a neighbour's"
                )
            continue
        if r.station == 1:
            out.append(
                f"township {r.township_id} has its own station in {r.year} and is also served "
                f"by {r.served_by}'s"
            )
            continue
        if r.served_by not in at:
            out.append(f"township {r.township_id} is served by {r.served_by!r}, not a township")
            continue
        if station.get((r.served_by, r.year), 0) != 1:
            out.append(
                f"township {r.township_id} is served by {r.served_by} in {r.year}, which has no "
                "station that year"
            )
        i, j = at[r.served_by], at[r.township_id]
        if minutes[i, j] > limit + TOL:
            out.append(
                f"township {r.township_id} is {minutes[i, j]:g} minutes from the station at "
                f"{r.served_by} that serves it in {r.year}, beyond catchment.max_minutes = "
                f"{limit:g}"
            )
        if "client_hours" in rows and served > float(r.client_hours) + 1e-3:
            out.append(
                f"township {r.township_id} has {served:g} served hours in {r.year}, more than "
                f"its {float(r.client_hours):g} client hours"
            )
        trip = (minutes[i, j] + minutes[j, i]) / 60.0
        key = (r.served_by, int(r.year))
        load[key] = load.get(key, 0.0) + served * (1.0 + trip * per_hour[j])
    workers = rows[list(WORKER_COLUMNS)].sum(axis=1).to_numpy(float)
    for k, r in enumerate(rows.itertuples()):
        if r.station != 1:
            continue
        extra = load.get((r.township_id, int(r.year)), 0.0)
        own = float(r.served_hours) if "served_hours" in rows else 0.0
        own -= float(r.point_hours) if "point_hours" in rows else 0.0  # the points' visits
        hours = workers[k] * avail - fixed
        if own + extra > hours + 1e-3 * max(1.0, hours):
            out.append(
                f"the station at {r.township_id} has {hours:.1f} hours in {r.year} for "
                f"{own:.1f} hours of its own township and {extra:.1f} of its catchment"
            )
        if (
            "catchment_hours" in rows
            and abs(float(r.catchment_hours) - extra) > 1e-2 + 1e-6 * extra
        ):
            out.append(
                f"the station at {r.township_id} claims {float(r.catchment_hours):g} catchment "
                f"hours in {r.year}, recomputed {extra:.3f}"
            )
    return out


def _check_hiring(sc: Scenario, flows: pd.DataFrame) -> list[str]:
    """A county's hires of a year (growth plus replacement of leavers, `staff_flows`) against its
    hiring pool, its certified hires against its certified pool; lay-offs only where allowed."""
    wf = sc.workforce
    out = []
    cert = flows["grade"].isin(("junior", "intermediate"))
    hires = flows.groupby(["county", "year"], sort=False)["hires"].sum()
    certified = flows[cert].groupby(["county", "year"], sort=False)["hires"].sum()
    for (c, year), need in hires.items():
        if need > wf.hiring_pool_per_county + TOL:
            out.append(
                f"county {c} needs {need:.2f} hires in {year}, more than its pool of "
                f"{wf.hiring_pool_per_county}"
            )
        if certified[c, year] > wf.certified_pool_per_county + TOL:
            out.append(
                f"county {c} needs {certified[c, year]:.2f} certified hires in {year}, more than "
                f"its certified pool of {wf.certified_pool_per_county}"
            )
    if not wf.layoffs:
        for r in flows[flows["laid_off"] > TOL].itertuples():
            out.append(
                f"county {r.county} lays off {r.laid_off:.2f} {r.grade} workers in {r.year} "
                f"({r.workers:g} in post, {r.survivors:.2f} stay of last year's): "
                "workforce.layoffs is false"
            )
    return out


def _check_supervision(sc: Scenario, plan: pd.DataFrame) -> list[str]:
    """One intermediate worker per staffing.stations_per_supervisor open stations, per county
    and year."""
    per = sc.staffing.stations_per_supervisor
    if per <= 0:
        return []
    county = plan["township_id"].map(sc.townships.set_index("township_id")["county"])
    g = plan.groupby([county, plan["year"]])[["station", "workers_intermediate"]].sum()
    short = g[per * g["workers_intermediate"] < g["station"]]
    return [
        f"county {c} has {int(r.workers_intermediate)} intermediate workers (supervisors) for "
        f"{int(r.station)} open stations in {year}: staffing.stations_per_supervisor = {per} asks "
        f"for {math.ceil(r.station / per)}"
        for (c, year), r in short.iterrows()
    ]


def _check_targets(
    sc: Scenario,
    plan: pd.DataFrame,
    workers: pd.Series,
    certified: pd.Series,
    targets: pd.DataFrame,
    others: list[pd.DataFrame] | None = None,
    sectors: pd.DataFrame | None = None,
) -> list[str]:
    """Recompute each target the table claims and compare. `others`: tables of workers beyond
    the stations (centres, sectors; year and worker columns), counted by the worker targets;
    `sectors` (sectors.csv) for the sectors' own targets."""
    t = sc.townships
    out = []
    beyond = {g: pd.Series(dtype=float) for g in GRADES}
    if others:
        both = pd.concat([x[["year", *WORKER_COLUMNS]] for x in others])
        by = both.groupby("year")[list(WORKER_COLUMNS)].sum()
        beyond = {g: by[f"workers_{g}"] for g in GRADES}

    def extra(year: int, grades: tuple[str, ...]) -> float:
        return float(sum(beyond[g].get(year, 0.0) for g in grades))

    for _, row in targets.iterrows():
        name, _, key = str(row["target"]).partition(".")
        sel = plan["year"] == row["year"]
        year = int(row["year"])
        total = float(workers[sel].sum()) + extra(year, GRADES)
        if name == "coverage":
            got = plan.loc[sel, "station"].sum() / len(t)
        elif name == "certified_share":
            cert = float(certified[sel].sum()) + extra(year, ("junior", "intermediate"))
            got = cert / total if total else 0.0
        elif name == "access":
            got = _access_share(sc, plan[sel])
        elif name == "workers_per_1000_elderly":
            got = 1000 * total / t["elderly"].sum()
        elif name == "workers_per_100_care_beds":
            got = 100 * total / t["care_beds"].sum()
        elif name == "workers_total":
            got = total
        elif name == "workers_by_grade":
            got = float(plan.loc[sel, f"workers_{key}"].sum()) + extra(year, (key,))
        elif name == "sector_posts":
            posts = sectors[sectors["year"] == year] if sectors is not None else None
            got = (
                float(posts.loc[posts["sector"] == key, "posts"].sum())
                if posts is not None
                else 0.0
            )
        elif name == "service_level":
            got = _service_level(sc, plan[sel], workers[sel], key or None)
        elif name == "min_served_share" and not key:
            p = plan[sel & (plan["station"] == 1) & (plan["client_hours"] > 0)]
            got = float((p["served_hours"] / p["client_hours"]).min()) if len(p) else 1.0
        else:
            # served_share (and a group's floor) depends on the service model; checked against the
            # simulation elsewhere
            continue
        if not math.isclose(got, float(row["achieved"]), rel_tol=1e-5, abs_tol=1e-5):
            out.append(
                f"target {row['target']} {row['year']}: claimed {row['achieved']}, "
                f"recomputed {got:.6f}"
            )
        really_met = got >= float(row["required"]) - 1e-6 * max(1.0, abs(float(row["required"])))
        if bool(row["met"]) != really_met:
            out.append(
                f"target {row['target']} {row['year']}: claimed met={row['met']}, "
                f"recomputed met={really_met}"
            )
    return out


def _access_share(sc: Scenario, p: pd.DataFrame) -> float:
    """Share of the region's population whose township is within access.minutes (sc.travel,
    minutes from the township to the station's) of a township with an open station in one plan
    year; a township's own station is 0 minutes away."""
    if sc.travel is None:
        raise ValueError(f"scenario {sc.name}: an access target needs region.travel")
    ids = sc.townships["township_id"].astype(str).tolist()
    minutes = sc.travel.set_axis(sc.travel.index.astype(str), axis=0)
    minutes = minutes.set_axis(minutes.columns.astype(str), axis=1).loc[ids, ids].to_numpy(float)
    open_ = set(p.loc[p["station"].astype(float) > 0.5, "township_id"].astype(str))
    has = np.array([tid in open_ for tid in ids])
    reached = ((minutes <= sc.access.minutes) & has[None, :]).any(axis=1) | has
    people = sc.townships["population"].to_numpy(float)
    total = float(people.sum())
    return float(people[reached].sum()) / total if total > 0 else 1.0


def _service_level(sc: Scenario, p: pd.DataFrame, workers: pd.Series, group: str | None) -> float:
    """Share of the region's client requests (of `group`, or all) started within their
    standard in one plan year (one row per township): each township's share at its station's
    workers by queueing theory (model.workload.on_time_by_group; none without a station),
    weighted by its requests. For all requests, the plan's own `planned_service_level` where it
    has one (the plan-simulation loop may have corrected it by simulation)."""
    index = {tid: i for i, tid in enumerate(sc.townships["township_id"].astype(str))}
    rows = np.array([index[t] for t in p["township_id"].astype(str)], dtype=int)
    requests = group_requests(sc).to_numpy(float)[rows]  # plan rows × groups
    k = workers.to_numpy(int)
    staffed = (p["station"].to_numpy(int) == 1) & (k > 0)
    table = on_time_by_group(sc, list(range(1, max(int(k.max(initial=0)), 1) + 1)))
    share = np.zeros(requests.shape)
    share[staffed] = table[rows[staffed], k[staffed] - 1]
    if group is not None:
        g = list(sc.groups).index(group)
        weight, on_time = requests[:, g], share[:, g] * requests[:, g]
    elif "planned_service_level" in p:
        weight = requests.sum(axis=1)
        on_time = p["planned_service_level"].to_numpy(float) * weight
    else:
        weight, on_time = requests.sum(axis=1), (share * requests).sum(axis=1)
    total = float(weight.sum())
    return float(on_time.sum()) / total if total > 0 else 1.0


def check_provinces(sc: Scenario, result: PlanResult, budgets: bool = True) -> list[str]:
    """The independent checker (model.plan.check.check_plan) on each province's part of a plan
    made province by province, against the province's own scenario (budget, targets, pools);
    each problem is prefixed with the province."""
    problems: list[str] = []
    ids = result.plan["township_id"].astype(str)
    shares = _transfer_shares(sc, result, problems)
    for k, name in enumerate(province_names(sc)):
        sub = province_scenario(sc, name, k)
        if name in shares:  # its budget and its share of the central transfer
            extra = shares[name]
            budget = {t: v + extra.get(t, 0.0) for t, v in sub.budget.items()}
            sub = dataclasses.replace(sub, budget=budget)
        mine = set(sub.townships["township_id"].astype(str))
        plan = result.plan[ids.isin(mine)].reset_index(drop=True)
        counties = set(sub.townships["county"].astype(str))

        targets = None
        if result.province_targets is not None:
            got = result.province_targets
            targets = got[got["province"] == name].drop(columns="province").reset_index(drop=True)
        found = check_plan(
            sub,
            plan,
            targets,
            budgets=budgets,
            centres=_of_counties(result.centres, counties),
            points=_of_counties(result.points, counties),
        )
        problems += [f"{name}: {p}" for p in found]
    return problems


def _of_counties(table: pd.DataFrame | None, counties: set[str]) -> pd.DataFrame | None:
    """The rows of a county table (centres, points) for `counties`."""
    if table is None:
        return None
    return table[table["county"].astype(str).isin(counties)].reset_index(drop=True)


def _transfer_shares(
    sc: Scenario, result: PlanResult, problems: list[str]
) -> dict[str, dict[int, float]]:
    """Each province's share of the central transfer per year (provinces.csv `transfer_<year>`),
    and a problem when the shares of a year add up to more than central.transfer."""
    table = result.provinces
    if not sc.central.transfer or table is None:
        return {}
    out: dict[str, dict[int, float]] = {str(p): {} for p in table["province"]}
    for t, total in sc.central.transfer.items():
        column = f"transfer_{t}"
        if column not in table:
            continue
        if float(table[column].sum()) > total + 1e-6 * max(1.0, total):
            problems.append(
                f"the provinces' shares of the central transfer add up to "
                f"{float(table[column].sum()):.4f} 万元 in {t}, more than its {total:g}"
            )
        for p, v in zip(table["province"], table[column]):
            out[str(p)][int(t)] = float(v)
    return out
