"""Social work posts beyond the stations (sc.sectors): elderly-care institutions, child welfare,
hospitals, schools, community services.

Per sector s and year t (variables `sp_{s}_{t}`, the sector's posts, whole numbers; s the
sector's index in sc.sectors):

- posts never fall and start at least at today's: posts_t ≥ posts_{t−1} (`sec_keep_{s}_{t}`),
  posts in the first year ≥ sector.posts (a bound);
- a sector that needs posts (model.plan.targets sector_posts_needed > 0) holds no more than it
  needs (or than it has today, if more): a bound;
- the sector adds at most max_new_per_year posts a year: posts_t − posts_{t−1} ≤ max_new_per_year
  (`sec_new_{s}_{t}`; the first year against today's posts, a bound);
- the posts' grades follow certified_share: the plan's junior posts are ⌈certified_share × posts
  − 10⁻⁴⌉ (`junior_posts`: the share rounded up to a whole worker; 10⁻⁴ takes off float noise),
  the rest uncertified. The MILP counts certified_share × posts junior and the rest uncertified
  (no variable): a whole junior count per post total is a lattice one point wide, on which
  HiGHS's rounding heuristics found no plan for Henan in minutes. The plan has at most one
  junior more and one uncertified fewer per sector and year than the MILP counted: targets on
  certified workers are met at least as well as planned; a target on uncertified workers
  (workers_by_grade.uncertified) can be short by up to a worker per sector;
- its cost, sector.cost × posts (万元, all-in per post-year: salary, on-costs and the
  replacement of leavers, which the sector recruits itself), is salary spend: the cell
  `model.cost["sector", "salary", -1, t]` (sector posts belong to no county), summed over the
  sectors;
- its workers count toward the region's worker targets (`model.extra_workers`).

A sector's target (sector.target, a share of the posts it needs; model.plan.targets
sector_posts_needed) is the elastic row `target_sector_posts_{s}_{t}` of add_targets.
Sector posts draw on no county's hiring pool.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd
import pulp

from model.inputs.scenario import Scenario
from model.optimizer.solution import value_of
from model.plan.targets import sector_posts_needed

if TYPE_CHECKING:
    from model.optimizer.formulation import Model

SPLIT_TOL = 1e-4
"""Float noise taken off before rounding up: junior = ⌈certified_share × posts − SPLIT_TOL⌉."""


def junior_posts(share: float, posts: int) -> int:
    """Junior (certified) posts of a sector with `posts` posts: ⌈share × posts − SPLIT_TOL⌉."""
    return max(0, math.ceil(share * posts - SPLIT_TOL))


def add_sectors(model: Model, sc: Scenario) -> None:
    """Every sector's posts by year (module docstring): variables in `model.posts`, the junior
    posts the MILP counts in `model.sector_junior` ((sector, year) -> expression), cost cells,
    extra workers."""
    prob, years = model.prob, model.inp.years
    spend: dict[int, list] = {t: [] for t in years}
    needed = sector_posts_needed(sc)
    for s, (name, sector) in enumerate(sc.sectors.items()):
        share, most = float(sector.certified_share), int(sector.max_new_per_year)
        today = int(sector.posts)
        for y, t in enumerate(years):
            top = today + most * (y + 1)
            if needed[name] > 0:
                top = min(top, max(today, needed[name]))
            posts = prob.add_variable(f"sp_{s}_{t}", today, top, cat=pulp.LpInteger)
            model.posts[name, t] = posts
            model.sector_junior[name, t] = share * posts
            if y > 0:
                last = model.posts[name, years[y - 1]]
                prob += posts >= last, f"sec_keep_{s}_{t}"
                prob += posts - last <= most, f"sec_new_{s}_{t}"
            spend[t].append(float(sector.cost) * posts)
            model.extra_workers.setdefault((t, "uncertified"), []).append((1 - share) * posts)
            model.extra_workers.setdefault((t, "junior"), []).append(share * posts)
    if sc.sectors:
        for t in years:
            model.cost["sector", "salary", -1, t] = pulp.lpSum(spend[t])


def extract_sectors(model: Model, sc: Scenario) -> pd.DataFrame | None:
    """sectors.csv: per sector and year its label, posts_needed (model.plan.targets
    sector_posts_needed), posts, workers_uncertified, workers_junior (`junior_posts`),
    workers_intermediate (0),
    added (posts against last year's, today's in the first year) and spend_salary (万元); None
    without sectors."""
    if not sc.sectors:
        return None
    needed = sector_posts_needed(sc)
    rows = []
    for name, sector in sc.sectors.items():
        before = int(sector.posts)
        for t in model.inp.years:
            posts = int(round(value_of(model.posts[name, t])))
            junior = junior_posts(float(sector.certified_share), posts)
            rows.append(
                {
                    "sector": name,
                    "label": sector.label,
                    "year": t,
                    "posts_needed": needed[name],
                    "posts": posts,
                    "workers_uncertified": posts - junior,
                    "workers_junior": junior,
                    "workers_intermediate": 0,
                    "added": posts - before,
                    "spend_salary": round(float(sector.cost) * posts, 4),
                }
            )
            before = posts
    return pd.DataFrame(rows)
