"""Funding sources with earmarks (scenario section `funding`, docs/method.md 'Funding sources').

Every cost cell of the optimizer (`Model.cost[(level, category, county, year)]`, 万元) is paid in
full by the sources that may pay it: a flow `f[s, level, category, county, year] ≥ 0` per source
s whose `pays` holds the category, whose `levels` holds the level and whose `counties` (empty:
every county) hold the county; sector posts (county -1) only by sources without counties.
A cell no source may pay is a cost the plan must not have (row `forbid_...`: cell == 0).

Each source-year spends at most what it has (row `fund_{source}_{year}`):

    Σ f[s, ·, ·, ·, t] + carry[s, t] ≤ scale × (amount[t] + per_station × open stations in its
    counties + per_new_station × stations opened that year in its counties) + carry[s, t − 1]

with `carry` (万元 left for the next years; none in the last year) only for sources with
carry_over: without it, money a year leaves unspent is lost. The yearly budget rows stay: a cap
on all sources together. Without budgets (the least-budget estimate) money does not bind, only
the earmarks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd
import pulp

from model.inputs.scenario import Scenario
from model.optimizer.solution import value_of

if TYPE_CHECKING:  # formulation.build calls add_funding
    from model.optimizer.formulation import Model

SECTOR = -1
"""County index of sector posts (they belong to no county)."""


def row_name(name: str) -> str:
    """A source's name as it appears in row and column names (letters, digits, _)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _is_zero(expr: Any) -> bool:
    """Whether a cost cell's expression is 0 whatever the plan (no variable, no constant)."""
    if isinstance(expr, int | float):
        return expr == 0
    return expr.constant == 0 and all(coef == 0 for _, coef in expr.items())


def may_pay(sc: Scenario, source: str, level: str, category: str, county: str | None) -> bool:
    """Whether `source` may pay `category` of `level` in `county` (None: sector posts)."""
    src = sc.funding[source]
    if category not in src.pays or level not in src.levels:
        return False
    if county is None:
        return not src.counties
    return not src.counties or county in src.counties


def _stations(model: Model, counties: list[str], year: int) -> tuple[Any, Any]:
    """Open stations and stations opened in `year` in `counties` (empty: all) as expressions."""
    inp, st, years = model.inp, model.st, model.inp.years
    names = set(counties) or set(inp.counties)
    idx = [i for i in range(len(inp.ids)) if inp.counties[int(inp.county[i])] in names]
    k = years.index(year)
    open_ = pulp.lpSum(st[i, year] for i in idx)
    before = pulp.lpSum(st[i, years[k - 1]] if k > 0 else int(inp.existing[i]) for i in idx)
    return open_, open_ - before


def add_funding(model: Model, sc: Scenario, budgets: bool = True, elastic: bool = False) -> None:
    """Flows from the sources to the cost cells, a row per cell that it is paid in full and,
    with `budgets`, a row per source-year that it spends at most what it has (without
    `budgets`, as for the least-budget estimate, money does not bind but earmarks do). Handles:
    `model.funding` (flows), `model.fund_carry`, `model.fund_available` (万元). With `elastic`
    (diagnosing infeasibility), a source-year's row has a slack `xfund_{source}_{year}` and a
    cell no source may pay one `xunpaid_...` (万元, `Model.hard_slack` keys ("funding", source,
    year) and ("unpaid", level, category, county, year))."""
    prob, inp = model.prob, model.inp
    names = {s: row_name(s) for s in sc.funding}
    if len(set(names.values())) < len(names):
        names = {s: f"{k}_{row_name(s)}" for k, s in enumerate(sc.funding)}
    by_source: dict[tuple[str, int], list[Any]] = {}
    for (level, category, c, t), expr in model.cost.items():
        if _is_zero(expr):
            continue
        county = None if c == SECTOR else inp.counties[c]
        where = "sector" if c == SECTOR else f"c{c}"
        flows = []
        for s in sc.funding:
            if may_pay(sc, s, level, category, county):
                var = prob.add_variable(f"f_{names[s]}_{level}_{category}_{where}_{t}", 0)
                model.funding[s, level, category, c, t] = var
                by_source.setdefault((s, t), []).append(var)
                flows.append(var)
        if flows:
            prob += pulp.lpSum(flows) == expr, f"pay_{level}_{category}_{where}_{t}"
        elif elastic:
            slack = prob.add_variable(f"xunpaid_{level}_{category}_{where}_{t}", 0)
            model.hard_slack["unpaid", level, category, c, t] = slack
            prob += expr - slack == 0, f"forbid_{level}_{category}_{where}_{t}"
        else:
            prob += expr == 0, f"forbid_{level}_{category}_{where}_{t}"
    for s, src in sc.funding.items():
        left: Any = 0
        for t in inp.years:
            open_, opened = _stations(model, src.counties, t)
            have = src.scale * (
                src.amount.get(t, 0.0) + src.per_station * open_ + src.per_new_station * opened
            )
            model.fund_available[s, t] = have
            if not budgets:
                continue
            used = pulp.lpSum(by_source.get((s, t), []))
            if elastic:
                model.hard_slack["funding", s, t] = prob.add_variable(f"xfund_{names[s]}_{t}", 0)
                used = used - model.hard_slack["funding", s, t]
            model.fund_row[s, t] = f"fund_{names[s]}_{t}"
            if src.carry_over and t != inp.years[-1]:  # nothing to carry beyond the horizon
                model.fund_carry[s, t] = prob.add_variable(f"carry_{names[s]}_{t}", 0)
                prob += used + model.fund_carry[s, t] <= have + left, f"fund_{names[s]}_{t}"
                left = model.fund_carry[s, t]
            else:
                prob += used <= have + left, f"fund_{names[s]}_{t}"


FUNDING_COLUMNS = (
    "source",
    "label",
    "year",
    "level",
    "county",
    "category",
    "used",
    "available",
    "unused",
    "carried_in",
    "carried_out",
)
"""Columns of funding.csv: one row per source, year, level, county and category it paid (used >
0, 万元) and one per source-year with category "total" (available, used, unused, carried in from
the year before and out to the next; 万元)."""


def extract_funding(model: Model, sc: Scenario) -> pd.DataFrame:
    """The solved flows as a table (FUNDING_COLUMNS; county "" for sector posts). A source with
    carry_over carries on all it leaves but in the last year (money lost there is `unused`)."""
    inp = model.inp
    rows = []
    for s, src in sc.funding.items():
        left = 0.0
        for t in inp.years:
            paid = []
            for (s2, level, category, c, t2), var in model.funding.items():
                if (s2, t2) != (s, t):
                    continue
                used = value_of(var)
                if used > 1e-6:
                    county = "" if c == SECTOR else inp.counties[c]
                    paid.append((level, county, category, round(used, 4)))
            used_all = sum(p[3] for p in paid)
            have = value_of(model.fund_available.get((s, t), 0.0))
            # all a carry-over source leaves is carried on (the solver may carry less, to the
            # same plan: a later year may spend it all the same)
            out = max(0.0, have + left - used_all) if (s, t) in model.fund_carry else 0.0
            base = {"source": s, "label": src.label or s, "year": t}
            for level, county, category, used in paid:
                rows.append(
                    base | {"level": level, "county": county, "category": category, "used": used}
                )
            rows.append(
                base
                | {
                    "level": "",
                    "county": "",
                    "category": "total",
                    "used": round(used_all, 4),
                    "available": round(have, 4),
                    "unused": round(max(0.0, have + left - used_all - out), 4),
                    "carried_in": round(left, 4),
                    "carried_out": round(out, 4),
                }
            )
            left = out
    return pd.DataFrame(rows, columns=list(FUNDING_COLUMNS))
