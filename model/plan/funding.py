"""An independent check of a plan's funding table (funding.csv) against the scenario's sources.

Written from the definitions (docs/method.md, 'Funding sources') without the optimizer's code:
every cost of the plan, recomputed per level, county, category and year, is paid in full by
sources that may pay it, and no source spends in a year more than it has (its amount, its money
per open and per new station in its counties, times its scale, plus with carry_over what it left
unspent before). Money in 万元.
"""

from __future__ import annotations

import pandas as pd

from model.inputs.scenario import Scenario

COLUMN_DOCS: dict[str, tuple[str, str]] = {
    # funding.csv (model.optimizer.funding.extract_funding); keys "funding.<column>"
    "funding.source": ("funding source (its key under the scenario's funding section)", ""),
    "funding.label": ("the source's display name", ""),
    "funding.level": (
        "whose cost: station (township stations), centre (county centres), point (village "
        "points), sector (posts beyond the stations); empty on a source-year's total row",
        "",
    ),
    "funding.county": ("county whose cost it pays (empty: sector posts, or a total row)", ""),
    "funding.category": (
        "cost category (setup, running, salary, training, severance, moves), or total: the "
        "source's year",
        "",
    ),
    "funding.used": ("money the source pays (total row: all it paid that year)", "万元"),
    "funding.available": (
        "total row: money the source has that year before carry-over (scale × (amount + "
        "per_station × open stations + per_new_station × stations opened, in its counties))",
        "万元",
    ),
    "funding.unused": (
        "total row: money left that year and not carried over (lost)",
        "万元",
    ),
    "funding.carried_in": ("total row: money carried in from the years before", "万元"),
    "funding.carried_out": ("total row: money carried on to the next years", "万元"),
}
"""Meaning and unit of funding.csv's columns (sheet-specific keys: their names mean other
things in other tables)."""

TOL = 1e-3
"""万元: the funding table's amounts are rounded to 0.0001 万元 a row."""

CellKey = tuple[str, str, str, int]
"""(level, county, category, year); county "" for sector posts."""


def may_pay(sc: Scenario, source: str, level: str, category: str, county: str) -> bool:
    """Whether `source` may pay `category` of `level` in `county` ("" for sector posts, which
    belong to no county: only sources without counties pay them)."""
    src = sc.funding[source]
    if category not in src.pays or level not in src.levels:
        return False
    if county == "":
        return not src.counties
    return not src.counties or county in src.counties


def _other_costs(table: pd.DataFrame | None, level: str, key: str | None) -> dict[CellKey, float]:
    """Costs of centres (`key` "county") or sector posts (`key` None: county "") from their
    tables' spend_<category> columns, per cell."""
    out: dict[CellKey, float] = {}
    if table is None or not len(table):
        return out
    for column in table.columns:
        if not str(column).startswith("spend_") or column == "spend_total":
            continue
        category = str(column).removeprefix("spend_")
        for r in table.itertuples(index=False):
            county = str(getattr(r, key)) if key else ""
            cell = (level, county, category, int(r.year))
            out[cell] = out.get(cell, 0.0) + float(getattr(r, str(column)))
    return out


def expected_costs(
    sc: Scenario,
    plan: pd.DataFrame,
    centres: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
) -> dict[CellKey, float]:
    """Every cost of the plan per (level, county, category, year), 万元: the stations' from the
    plan (model.plan.check.expected_spend per township, severance from the county's lay-offs,
    staff_flows), the centres' and sector posts' from their tables."""
    from model.plan.check import ITEMS, expected_spend, staff_flows

    county = sc.townships.set_index("township_id")["county"]
    spend = expected_spend(sc, plan)
    spend["county"] = spend["township_id"].map(county).astype(str)
    out: dict[CellKey, float] = {}
    by = spend.groupby(["county", "year"])[list(ITEMS)].sum()
    for (c, year), r in by.iterrows():
        for item in ITEMS:
            out["station", str(c), item.removeprefix("x_"), int(year)] = float(r[item])
    flows = staff_flows(sc, plan)
    wage = sc.townships.groupby("county")["wage_index"].mean().astype(float)
    salary = sc.costs.salary.by_grade()
    months = sc.workforce.severance_months / 12
    for r in flows.itertuples(index=False):
        cell = ("station", str(r.county), "severance", int(r.year))
        cost = float(r.laid_off) * salary[str(r.grade)] * float(wage[r.county]) * months
        out[cell] = out.get(cell, 0.0) + cost
    if "points" in plan:
        from model.plan.check import point_spend

        for r in point_spend(sc, plan).itertuples(index=False):
            out["point", str(r.county), "setup", int(r.year)] = float(r.setup)
            out["point", str(r.county), "running", int(r.year)] = float(r.running)
    out |= _other_costs(centres, "centre", "county")
    out |= _other_costs(sectors, "sector", None)
    return out


def available(sc: Scenario, plan: pd.DataFrame) -> dict[tuple[str, int], float]:
    """Money each source has per year before carry-over (万元): scale × (amount + per_station ×
    open stations in its counties + per_new_station × stations opened that year there)."""
    t = sc.townships.set_index("township_id")
    p = plan.sort_values(["township_id", "year"]).copy()
    first = p["year"] == p.groupby("township_id")["year"].transform("min")
    before = p.groupby("township_id")["station"].shift(1)
    before[first] = p.loc[first, "township_id"].map(t["has_station"]).to_numpy()
    p["opened"] = ((p["station"] == 1) & (before == 0)).astype(float)
    p["county"] = p["township_id"].map(t["county"]).astype(str)
    out = {}
    for name, src in sc.funding.items():
        mine = p[p["county"].isin(src.counties)] if src.counties else p
        by = mine.groupby("year")[["station", "opened"]].sum()
        for year in sc.years:
            stations = float(by.loc[year, "station"]) if year in by.index else 0.0
            opened = float(by.loc[year, "opened"]) if year in by.index else 0.0
            money = src.amount.get(year, 0.0) + src.per_station * stations
            out[name, year] = src.scale * (money + src.per_new_station * opened)
    return out


def check_funding(
    sc: Scenario,
    plan: pd.DataFrame,
    funding: pd.DataFrame,
    centres: pd.DataFrame | None = None,
    sectors: pd.DataFrame | None = None,
    budgets: bool = True,
) -> list[str]:
    """Every funding rule the table (funding.csv columns source, year, level, county, category,
    used; rows of category "total" are summaries and are compared, not summed) breaks, as
    sentences. Costs of centres and sector posts are checked when their tables are given.
    `budgets=False` (a least-budget plan): what a source has does not bind, earmarks do."""
    out: list[str] = []
    f = funding.copy()
    f["county"] = f["county"].fillna("").astype(str)
    totals = f[f["category"] == "total"]
    rows = f[f["category"] != "total"]
    for r in rows.itertuples(index=False):
        source, level, category = str(r.source), str(r.level), str(r.category)
        if source not in sc.funding:
            out.append(f"funding: {source!r} is not a source of the scenario")
        elif float(r.used) > TOL and not may_pay(sc, source, level, category, str(r.county)):
            where = f"in county {r.county}" if r.county else "of sector posts"
            out.append(
                f"funding: source {source} pays {float(r.used):.4f} 万元 of {category} of level "
                f"{level} {where} in {r.year}, which it may not pay for"
            )
    have = available(sc, plan)
    used = rows.groupby(["source", "year"])["used"].agg(["sum", "count"])
    for name, src in sc.funding.items():
        left = 0.0
        for year in sc.years:
            spent, n = (
                (float(used.loc[(name, year), "sum"]), int(used.loc[(name, year), "count"]))
                if (name, year) in used.index
                else (0.0, 0)
            )
            money = have[name, year] + left
            if budgets and spent > money + TOL + 1e-4 * n + 1e-6 * money:
                out.append(
                    f"funding: source {name} spends {spent:.4f} 万元 in {year}, more than the "
                    f"{money:.4f} it has"
                )
            claim = totals[(totals["source"] == name) & (totals["year"] == year)]
            if "available" in claim and len(claim):
                got = float(claim["available"].iloc[0])
                if abs(got - have[name, year]) > TOL + 1e-6 * abs(have[name, year]):
                    out.append(
                        f"funding: source {name} claims {got:.4f} 万元 available in {year}, "
                        f"recomputed {have[name, year]:.4f}"
                    )
            left = max(0.0, money - spent) if src.carry_over else 0.0
    costs = expected_costs(sc, plan, centres, sectors)
    levels = {"station"}
    levels |= {"centre"} if centres is not None else set()
    levels |= {"point"} if "points" in plan else set()
    levels |= {"sector"} if sectors is not None else set()
    paid = rows.groupby(["level", "county", "category", "year"])["used"].sum()
    cells = set(costs) | {(str(a), str(b), str(c), int(d)) for a, b, c, d in paid.index}
    for cell in sorted(cells):
        level, county, category, year = cell
        if level not in levels:
            continue
        cost = costs.get(cell, 0.0)
        got = float(paid.get(cell, 0.0))
        if abs(got - cost) > TOL + 1e-6 * abs(cost):
            where = f"county {county}" if county else "sector posts"
            out.append(
                f"funding: {category} of level {level} in {where} in {year} costs {cost:.4f} "
                f"万元 but the sources pay {got:.4f}"
            )
    return out
