"""Where a plan takes workers or service away, and why, in words.

For any plan (max_service, min_cost, a plan read from a file), every township-year whose
workers or served client hours fall against the year before (against today's station in the
first year) gets a row and a sentence: how many of its workers left (attrition) and were not
replaced, and why not (the county's hiring pool, its certified pool or the year's budget binds,
or the plan's objective put its workers elsewhere); how many were moved to which townships of
its county, or laid off.

    table = staff_changes(sc, plan)      # one row per township-year that falls
    table["warning"]                     # "2024 南康区 龙岭镇: workers 4 → 3 (…)"

The flows are the independent checker's (model.plan.check: staff_flows, township_moves), read
from the plan and the scenario's definitions, never from the optimizer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario
from model.plan.check import (
    ITEMS,
    expected_spend,
    severance_by_year,
    staff_flows,
    township_moves,
)
from model.vocabulary import CERTIFIED_GRADES, WORKER_COLUMNS
from model.workload import available_hours, client_hours, station_hours

COLUMNS = (
    "year",
    "county",
    "name",
    "township_id",
    "workers_before",
    "workers",
    "served_before",
    "served_hours",
    "leavers_not_replaced",
    "moved_out",
    "moved_to",
    "county_laid_off",
    "binds",
    "warning",
)
"""Columns of the table `staff_changes` returns (changes.csv)."""

NAMED = 3
"""Receiving townships named in a sentence; the others are counted."""


def today_served(sc: Scenario) -> pd.Series:
    """Client hours each township's station serves today (hours/year): its workers' hours less
    the station's own, up to its client hours, by township id (0 without a station)."""
    t = sc.townships
    workers = (t["workers_uncertified"] + t["workers_certified"]).to_numpy(float)
    capacity = np.maximum(0.0, workers * available_hours(sc).to_numpy(float) - station_hours(sc))
    need = client_hours(sc).sum(axis=1).to_numpy(float)
    staffed = (t["has_station"].to_numpy(int) == 1) & (workers > 0)
    return pd.Series(np.where(staffed, np.minimum(capacity, need), 0.0), index=t["township_id"])


def _served(sc: Scenario, plan: pd.DataFrame) -> pd.Series:
    """Served client hours per plan row: the plan's own column, else recomputed like today's."""
    if "served_hours" in plan:
        return plan["served_hours"].astype(float)
    t = sc.townships.set_index("township_id")
    i = plan["township_id"].map({tid: k for k, tid in enumerate(t.index)}).to_numpy(int)
    workers = plan[list(WORKER_COLUMNS)].sum(axis=1).to_numpy(float)
    avail = available_hours(sc).to_numpy(float)[i]
    need = client_hours(sc).sum(axis=1).to_numpy(float)[i]
    got = np.minimum(np.maximum(0.0, workers * avail - station_hours(sc)), need)
    return pd.Series(np.where(plan["station"].to_numpy(int) == 1, got, 0.0), index=plan.index)


def _count(x: float) -> str:
    """A number of workers: whole when it is, else to one decimal (expected leavers are
    fractional)."""
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def _limits(
    sc: Scenario, flows: pd.DataFrame, plan: pd.DataFrame
) -> tuple[dict[tuple[str, int], list[str]], dict[int, float]]:
    """What binds in each county-year (within one hire of the hiring or certified pool), and the
    money left under each year's budget (万元; inf without a budget)."""
    wf = sc.workforce
    cert = flows["grade"].isin(CERTIFIED_GRADES)
    hires = flows.groupby(["county", "year"])["hires"].sum()
    certified = flows[cert].groupby(["county", "year"])["hires"].sum()
    binds: dict[tuple[str, int], list[str]] = {}
    for key, n in hires.items():
        found = []
        if n > wf.hiring_pool_per_county - 1:
            found.append(f"the hiring pool ({n:.1f} of {wf.hiring_pool_per_county} hires)")
        if certified[key] > wf.certified_pool_per_county - 1:
            found.append(
                f"the certified pool ({certified[key]:.1f} of {wf.certified_pool_per_county} "
                "certified hires)"
            )
        binds[key] = found
    costs = expected_spend(sc, plan)
    spend = costs.groupby("year")[list(ITEMS)].sum().sum(axis=1) + severance_by_year(sc, flows)
    left = {
        year: float(sc.budget[year]) - float(spend[year]) if year in sc.budget else float("inf")
        for year in sc.years
    }
    return binds, left


def staff_changes(sc: Scenario, plan: pd.DataFrame, objective: str | None = None) -> pd.DataFrame:
    """Every township-year whose workers or served hours fall against the year before (today in
    the first year), with why, largest loss of served hours first within each year.

    `objective`: the plan's objective (default the scenario's), named when no limit explains a
    leaver not replaced. Columns `COLUMNS`; hours in hours/year, workers in workers (expected
    leavers are fractional).
    """
    t = sc.townships.set_index("township_id")
    keep = 1 - sc.workforce.attrition
    objective = objective or sc.objective
    moves = township_moves(sc, plan)
    served = _served(sc, plan).loc[moves.index]
    first = moves["year"] == moves.groupby("township_id")["year"].transform("min")
    served_before = served.groupby(moves["township_id"]).shift(1)
    served_before[first] = moves.loc[first, "township_id"].map(today_served(sc)).to_numpy()
    flows = staff_flows(sc, plan)
    laid_off = flows.groupby(["county", "year"])["laid_off"].sum()
    binds, money_left = _limits(sc, flows, plan)
    county = moves["township_id"].map(t["county"])
    salary = sc.costs.salary.uncertified
    rows = []
    members = moves.groupby([county, moves["year"]], sort=False).indices  # rows per county-year
    gaining: dict[tuple[str, int], list[str]] = {}

    def receivers_in(c: str, year: int) -> list[str]:
        """Names of the county's townships that gained workers that year, most first."""
        if (c, year) not in gaining:
            rows_cy = moves.iloc[members.get((c, year), [])]
            gain = rows_cy[rows_cy["moved_in"] > 1e-9].sort_values("moved_in", ascending=False)
            gaining[c, year] = [str(t.at[tid, "name"]) for tid in gain["township_id"]]
        return gaining[c, year]

    fewer_all = moves["workers"] < moves["before"] - 1e-9
    less_all = served < served_before - np.maximum(0.5, 1e-6 * served_before)
    for k in moves.index[(fewer_all | less_all).to_numpy()]:
        m = moves.loc[k]
        fewer, less = bool(fewer_all[k]), bool(less_all[k])
        c, year = county[k], int(m["year"])
        # each cut post's holder leaves anyway (attrition) or is moved (township_moves)
        leavers = (1 - keep) * (m["before"] - m["workers"]) if fewer else 0.0
        why = []
        if leavers > 1e-9:
            limits = list(binds[c, year])
            # a plan over its budget was not held to it (a least-budget plan): no limit there
            left = money_left[year]
            if -1e-6 <= left < salary * float(t.at[m["township_id"], "wage_index"]):
                limits.append(f"the {year} budget ({max(left, 0.0):,.1f} 万元 left)")
            because = (
                " and ".join(limits) + " bind" + ("s" if len(limits) == 1 else "")
                if limits
                else f"no pool or budget binds: the plan ({objective}, within the solver's "
                "gap) does without them"
            )
            why.append(f"{_count(leavers)} leavers not replaced: {because}")
        receivers = ""
        if m["moved_out"] > 1e-9:
            names = receivers_in(c, year)
            receivers = ", ".join(names[:NAMED]) + (
                f" and {len(names) - NAMED} more" if len(names) > NAMED else ""
            )
            where = (
                f"to the county's stations that grew ({receivers})"
                if names
                else "out of the county's stations"
            )
            why.append(f"{_count(m['moved_out'])} moved {where}")
        out = float(laid_off.get((c, year), 0.0))
        if out > 1e-9:
            why.append(f"the county lays off {_count(out)} this year")
        if not fewer:
            why.append("same workers, fewer hours served")
        elif not less:
            why.append("served hours kept")
        rows.append(
            {
                "year": year,
                "county": c,
                "name": t.at[m["township_id"], "name"],
                "township_id": m["township_id"],
                "workers_before": m["before"],
                "workers": m["workers"],
                "served_before": round(float(served_before[k]), 1),
                "served_hours": round(float(served[k]), 1),
                "leavers_not_replaced": round(leavers, 4),
                "moved_out": round(float(m["moved_out"]), 4),
                "moved_to": receivers,
                "county_laid_off": round(out, 4),
                "binds": "; ".join(binds[c, year]),
                "warning": (
                    f"{year} {c} {t.at[m['township_id'], 'name']}: workers "
                    f"{_count(m['before'])} → {_count(m['workers'])}, served hours "
                    f"{served_before[k]:,.0f} → {served[k]:,.0f} ({'; '.join(why)})"
                ),
            }
        )
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    if len(table):
        table["lost"] = table["served_before"] - table["served_hours"]
        table = table.sort_values(["year", "lost"], ascending=[True, False], kind="stable")
        table = table.drop(columns="lost").reset_index(drop=True)
    return table


def largest_rows(table: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The `n` rows of `table` (staff_changes) that lose most served hours, then workers."""
    if not len(table):
        return table
    lost = table["served_before"] - table["served_hours"]
    fewer = table["workers_before"] - table["workers"]
    order = pd.DataFrame({"lost": lost, "fewer": fewer}).sort_values(
        ["lost", "fewer"], ascending=False, kind="stable"
    )
    return table.loc[order.index[:n]]


def largest(table: pd.DataFrame, n: int = 3) -> list[str]:
    """The `n` sentences of `table` (staff_changes) that lose most served hours, then workers."""
    return list(largest_rows(table, n)["warning"]) if len(table) else []
