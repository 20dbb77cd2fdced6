"""The optimizer's MILP: where stations open and how many workers of each grade they have, by year.

Indices: township i, year t, county c, grade g (`GRADES`), staffing level k (workers at an open
station). Units: money in 万元 (a year's spend, summed over the horizon in the objective);
service in priority-weighted client hours (hours/year, summed over the years); stations,
workers, trainees and hires are counts.

`build` adds the formulation one family at a time, in this order (the order of variables and
rows is part of the result: HiGHS's path through the search depends on it):

1. `add_variables`: per township and year, station open `st` (0/1, at least 1 where a station
   exists), its staffing level (one binary `z` per level k, or on large models continuous
   increments `y`, one per worker above the least level that adds service), workers `w` of each
   grade and trainees `tr` (whole numbers).
2. `add_station_rules`: a station stays open; an open station has exactly one staffing level
   (or between the least and most workers, its increments within the workers above the least);
   at least `min_certified` certified workers; trainees are drawn from the uncertified; in each
   county, one intermediate worker (supervisor) per `stations_per_supervisor` open stations.
3. `add_hiring`: a county's workers of each grade are last year's (today's in the first year)
   less leavers (attrition), plus hires, less lay-offs (only where the scenario allows them),
   with promotions (trainees passing the exam); hires stay within the county's hiring pool,
   certified hires within its certified pool; a station that cuts posts has their holders moved
   away (or laid off), unless they leave anyway.
4. `add_centres` (model.optimizer.centres): county guidance centres and their supervisors, when
   the scenario has them. `add_points` (model.optimizer.points): village points per township
   and year, which take home visits off the station. `add_sectors` (model.optimizer.sectors):
   posts beyond the stations per sector and year, by grade, never falling, their cost and their
   workers toward the region's worker targets. `add_spend_and_budget`: spend per year (setup of
   new stations, running, salaries, training, severance of lay-offs, moves; 万元) within the
   year's budget.
   With funding sources, `add_funding` (model.optimizer.funding): each cost paid by the
   sources that may pay it, each source within what it has.
5. `add_targets`: every required target is a row with a slack (elastic): a shortfall is allowed,
   at the penalty `set_objective` puts on it. The service level counts each station's requests
   started on time at its staffing level (queueing theory, `Inputs.on_time`); a group's service
   level (targets.service_level_by_group, target `service_level` keyed by the group) the
   group's (`Inputs.group_on_time`). The access target (targets.access) counts the persons of
   the townships within access.minutes of an open station (`covered_population`).
   With catchments (catchment.max_minutes), `add_catchments` first: per pair (station i,
   township j) within reach and year, j in i's catchment `cb` (0/1) and the client hours of
   each class of j that i serves `ch`; a township is in at most one catchment and only while it
   has no station; a station serves its catchment with the hours its staffing level leaves
   after its own township, each hour of j costing (1 + round trip × j's requests per client
   hour) of them.
6. `add_objective_terms`: total spend (万元), service (weighted hours) and relative target
   shortfall, which `set_objective` weighs into the objective.

With `elastic_limits`, budget and hiring- and certified-pool rows get slacks too
(`Model.hard_slack`), so that an infeasible scenario still solves and shows which limits bind.

Array rows. On large models solved with HiGHS (`uses_arrays`: ARRAY_ROWS township-years and
more; `build(..., arrays=)` forces either way) the rows per township and year and the county
balances built from them — station rules and supervisors (`_station_rows_from_arrays`,
`_supervisor_rows_from_arrays`), hiring balances (`_hire_rows_from_arrays`) and moves
(`_move_rows_from_arrays`) — are CSR blocks built with numpy (model.optimizer.rows), not PuLP
constraints: the same rows, coefficients in the same order and bounds, each in its place among
the PuLP rows, so that HiGHS gets the same model bit for bit (tests/optimizer/test_array_rows.py).
The variables stay PuLP variables, and the rows anything reads by name (budget, pools, funding,
targets, catchments, points, centres, sectors) stay PuLP constraints. Cost cells and objective
terms are PuLP expressions built from (variable, coefficient) pairs (`linear`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import pulp

from model.inputs.scenario import Scenario
from model.optimizer.centres import (
    add_centre_variables,
    add_centres,
    centre_staff_today,
    has_centres,
)
from model.optimizer.funding import add_funding
from model.optimizer.inputs import Inputs, county_members, fair_utility, staffing_levels
from model.optimizer.points import add_points, has_points, point_gain, point_served_gain
from model.optimizer.rows import Problem, RowKind
from model.optimizer.sectors import add_sectors
from model.plan.targets import required_targets
from model.vocabulary import BUDGETED, CERTIFIED_GRADES, GRADE_SHORT, GRADES
from model.workload import catchment_pairs

EPS_COST = 0.01
"""max_service: weighted hours given up per 万元 spent, so that ties go to the cheaper plan."""


LEVEL_BINARIES = 40_000
"""Up to this many level binaries, one binary per staffing level; above, concave increments."""


ARRAY_ROWS = 500
"""Township-years from which, with solver highs, the rows per township and year (station rules,
moves) are built from arrays (model.optimizer.rows) instead of PuLP constraints: the size from
which the optimizer's HiGHS solves go through a session built in bulk
(model.optimizer.solve.RELAX_AND_FIX); smaller models keep every row in PuLP, readable and
written by writeLP."""


def linear(pairs: Iterable[tuple[Any, float]], constant: float = 0.0) -> Any:
    """Σ coefficient × variable as one PuLP expression, from (variable, coefficient) pairs, each
    variable at most once: the expression `pulp.lpSum(c * v for v, c in pairs) + constant` is
    (the same terms in the same order, a term times 0 left out), without an expression object per
    term (those took about a second of a province's build)."""
    return pulp.LpAffineExpression(((v, c) for v, c in pairs if c != 0), constant)


def _whole(count: float) -> float:
    """The least whole number of stations or workers that reaches `count` (rounding noise aside)."""
    return float(math.ceil(count - 1e-9))


def _concave(value: dict[int, float], levels: list[int]) -> bool:
    """Whether the value of a station's extra workers never rises from one level to the next."""
    steps = [value[k] - value[k - 1] for k in levels[1:]]
    return all(b <= a + 1e-9 for a, b in pairwise(steps))


@dataclass
class Model:
    """The PuLP problem with handles on its variables, spend, target rows and objective terms."""

    prob: Problem
    inp: Inputs
    levels: list[int]  # workers an open station may have
    exact_levels: bool  # one binary per level, or concave increments
    objective: str = "max_service"
    fair_weight: str = "need"  # fairness.weight
    arrays: bool = False  # rows per township and year built from arrays (prob.array_rows)
    column_ids: dict = field(default_factory=dict)  # see _column_ids
    st: dict = field(default_factory=dict)  # (i, t) -> 0/1: station open
    w: dict = field(default_factory=dict)  # (i, t, grade) -> workers
    tr: dict = field(default_factory=dict)  # (i, t) -> uncertified workers in training
    hire: dict = field(default_factory=dict)  # (county, t, grade) -> hires
    lay: dict = field(default_factory=dict)  # (county, t, grade) -> lay-offs (workforce.layoffs)
    moved: dict = field(default_factory=dict)  # (i, t) -> workers lost beyond the leavers
    z: dict = field(default_factory=dict)  # (i, t, k) -> binary: open with k workers
    inc: dict = field(default_factory=dict)  # (i, t, k) -> 0..1: the k-th worker (increments)
    target_slack: dict = field(default_factory=dict)  # (target, year, key) -> (slack, scale)
    hard_slack: dict = field(default_factory=dict)  # ("budget", t) / (pool, c, t) / funding
    spend: dict = field(default_factory=dict)  # year -> spend expression by category (万元)
    cost: dict = field(default_factory=dict)
    """(level, category, county index, year) -> cost expression (万元); sector posts belong to no
    county (index -1). Levels and categories: model.inputs.schema LEVELS, COST_CATEGORIES."""
    spend_all: Any = None  # total spend over the horizon (万元)
    service: Any = None  # max_service's service term: α-fair utility (Inputs.utility)
    hours: Any = None  # priority-weighted served client hours
    on_time: Any = None  # client requests started on time, all years (objective max_on_time)
    violation: Any = None  # relative target shortfall
    limit_violation: Any = None  # budget (万元) and pools (workers) slack, if elastic
    pt: dict = field(default_factory=dict)  # (i, t, p) -> 0/1: township i has p village points
    pu: dict = field(default_factory=dict)  # (i, t, k, p) -> z[i, t, k] × pt[i, t, p]
    ce: dict = field(default_factory=dict)  # (county, t) -> 0/1: the county's centre is open
    sup: dict = field(default_factory=dict)  # (county, t) -> the centre's supervisors
    extra_workers: dict = field(default_factory=dict)
    """(year, grade) -> list of expressions: workers beyond the stations (centre supervisors,
    sector posts), counted by the region's worker targets."""
    posts: dict = field(default_factory=dict)  # (sector, t) -> posts (model.optimizer.sectors)
    sector_junior: dict = field(default_factory=dict)  # (sector, t) -> junior posts counted
    catch: dict = field(default_factory=dict)  # (i, j, t) -> 0/1: station i serves township j
    catch_hours: dict = field(default_factory=dict)  # (i, j, class, t) -> j's hours i serves
    catch_load: dict = field(default_factory=dict)  # (i, j) -> i's hours per hour of j served
    catch_utility: dict = field(default_factory=dict)  # (j, t) -> utility of j's catchment service
    funding: dict = field(default_factory=dict)
    """(source, level, category, county index, year) -> money the source pays of that cost cell
    (万元; model.optimizer.funding)."""
    fund_carry: dict = field(default_factory=dict)  # (source, year) -> 万元 left for later years
    fund_available: dict = field(default_factory=dict)  # (source, year) -> 万元 it has that year
    fund_row: dict = field(default_factory=dict)  # (source, year) -> name of its money row
    transfer: dict = field(default_factory=dict)
    """year -> money drawn from a central transfer on top of the year's budget (万元), with
    `transfer_price` (value per 万元 in the objective's units): a province's Lagrangian
    subproblem (model.optimizer.provinces)."""
    transfer_price: dict = field(default_factory=dict)
    reward: dict = field(default_factory=dict)
    """(measure, year) -> price: the region's stations ("stations") or workers ("workers", every
    grade and level) in that year, each worth `price` in the objective's units: a province's
    Lagrangian subproblem under national targets (central.targets, model.optimizer.provinces)."""


def build(
    sc: Scenario,
    inp: Inputs | None = None,
    objective: str | None = None,
    budgets: bool = True,
    elastic_limits: bool = False,
    catchments: bool = True,
    transfer: dict[int, tuple[float, float]] | None = None,
    reward: dict[tuple[str, int], float] | None = None,
    arrays: bool | None = None,
) -> Model:
    """Build the MILP for `sc`. `objective` overrides sc.objective; `budgets=False` drops the
    budget rows; `elastic_limits` gives budget, hiring- and certified-pool rows slack variables
    (for diagnosing infeasibility); `catchments=False` leaves catchments out (every township
    served only by its own station); `transfer`: year -> (price, most): the year's budget row
    may draw up to `most` 万元 more (`Model.transfer`), each 万元 costing `price` in the
    objective (set_objective); `reward`: (measure, year) -> price, the region's stations or workers
    that year worth `price` each in the objective (`Model.reward`). `arrays`: build the rows per
    township and year from arrays (True) or as PuLP constraints (False); default from the
    model's size (`uses_arrays`). Both give HiGHS the same model."""
    inp = inp or Inputs.from_scenario(sc)
    objective = objective or sc.objective
    sense = pulp.LpMaximize if objective in BUDGETED else pulp.LpMinimize
    name = f"stationplan_{sc.name}_{objective}".replace("-", "_").replace(".", "_")
    levels = staffing_levels(sc)
    if arrays is None:
        arrays = uses_arrays(sc, len(inp.ids) * len(inp.years))
    elif arrays and sc.solver.name != "highs":
        raise ValueError(f"rows built from arrays need solver highs, not {sc.solver.name}")
    model = Model(
        Problem(name, sense),
        inp,
        levels,
        _exact_levels(sc, inp, levels),
        objective,
        sc.fairness.weight,
        arrays,
    )
    model.transfer_price = {t: price for t, (price, _) in (transfer or {}).items()}
    model.reward = {key: float(price) for key, price in (reward or {}).items() if price}
    model.transfer = {
        t: model.prob.add_variable(f"transfer_{t}", 0, most)
        for t, (_, most) in (transfer or {}).items()
    }
    add_variables(model, sc)
    add_centre_variables(model, sc)
    add_station_rules(model, sc)
    add_hiring(model, sc, elastic_limits)
    add_centres(model, sc)
    add_points(model, sc)
    add_sectors(model, sc)
    add_spend_and_budget(model, sc, budgets, elastic_limits)
    if sc.funding:
        add_funding(model, sc, budgets, elastic_limits)
    if catchments:
        add_catchments(model, sc)
    add_targets(model, sc)
    add_objective_terms(model)
    return model


def uses_arrays(sc: Scenario, township_years: int) -> bool:
    """Whether `build` builds the rows per township and year from arrays by default: with solver
    highs, from ARRAY_ROWS township-years."""
    return sc.solver.name == "highs" and township_years >= ARRAY_ROWS


def _exact_levels(sc: Scenario, inp: Inputs, levels: list[int]) -> bool:
    """Whether to use one binary per staffing level (else continuous concave increments).

    One binary per level is exact for every target and branches best. On large models (HiGHS
    spends minutes partitioning an objective over ~10^5 level binaries into cliques) and when no
    target needs a group's service and each station's value rises concavely with its workers
    beyond the least level, continuous increments give the same optimum instead.
    """
    n = len(inp.ids)
    return (
        bool(sc.targets.served_share)
        or bool(sc.targets.min_served_share)
        or bool(sc.targets.min_served_share_by_group)
        or bool(sc.targets.service_level)
        or bool(sc.targets.service_level_by_group)
        or sc.objective == "max_on_time"
        or has_points(sc)
        or n * len(inp.years) * len(levels) <= LEVEL_BINARIES
        or not all(_concave(inp.utility[i], levels) for i in range(n))
    )


def add_variables(model: Model, sc: Scenario) -> None:
    """Each township's variables, year by year: st, then z (or y), then w by grade, then tr."""
    prob, inp, levels = model.prob, model.inp, model.levels
    most = sc.staffing.max_workers
    salary = sc.costs.salary.by_grade()
    # Apart from supervising (staffing.stations_per_supervisor), an intermediate worker does
    # nothing a junior does not, at a higher salary: without supervision or a target that asks
    # for intermediates, plans never need them (dominance), so their variables are fixed at 0.
    needs_m = (
        (sc.staffing.stations_per_supervisor > 0 and not has_centres(sc))
        or "intermediate" in sc.targets.workers_by_grade
        or salary["intermediate"] < salary["junior"]
    )
    cap = {"uncertified": most, "junior": most, "intermediate": most if needs_m else 0}
    most_trainees = most if sc.workforce.exam_pass_rate > 0 else 0
    for i in range(len(inp.ids)):
        for t in inp.years:
            model.st[i, t] = prob.add_variable(f"st_{i}_{t}", 0, 1, cat=pulp.LpInteger)
            if inp.existing[i] == 1:
                model.st[i, t].lowBound = 1
            if model.exact_levels:
                for k in levels:
                    model.z[i, t, k] = prob.add_variable(f"z{k}_{i}_{t}", 0, 1, cat=pulp.LpInteger)
            else:
                for k in levels[1:]:
                    if inp.value[i][k] - inp.value[i][k - 1] > 0:
                        model.inc[i, t, k] = prob.add_variable(f"y{k}_{i}_{t}", 0, 1)
            for g in GRADES:
                model.w[i, t, g] = prob.add_variable(
                    f"w{GRADE_SHORT[g]}_{i}_{t}", 0, cap[g], cat=pulp.LpInteger
                )
            model.tr[i, t] = prob.add_variable(f"tr_{i}_{t}", 0, most_trainees, cat=pulp.LpInteger)


def add_station_rules(model: Model, sc: Scenario) -> None:
    """Per township and year: stay open, staffing level, least certified workers, training; per
    county and year: supervisors (`supervise_c{c}_{t}`: stations_per_supervisor × intermediate
    workers ≥ open stations)."""
    prob, levels, years = model.prob, model.levels, model.inp.years
    st, w, tr, z, inc = model.st, model.w, model.tr, model.z, model.inc
    min_certified = sc.staffing.min_certified
    if model.arrays:
        _station_rows_from_arrays(model, sc)
    for i in range(0 if model.arrays else len(model.inp.ids)):
        for y, t in enumerate(years):
            s = st[i, t]
            if y > 0:
                prob += s >= st[i, years[y - 1]], f"stay_open_{i}_{t}"
            total = pulp.lpSum(w[i, t, g] for g in GRADES)
            if model.exact_levels:
                prob += pulp.lpSum(z[i, t, k] for k in levels) == s, f"one_level_{i}_{t}"
                prob += total == pulp.lpSum(k * z[i, t, k] for k in levels if k), f"workers_{i}_{t}"
            else:
                prob += total >= levels[0] * s, f"min_workers_{i}_{t}"
                prob += total <= levels[-1] * s, f"max_workers_{i}_{t}"
                steps = [inc[i, t, k] for k in levels[1:] if (i, t, k) in inc]
                if steps:
                    prob += pulp.lpSum(steps) <= total - levels[0] * s, f"increments_{i}_{t}"
                for k in levels[1:]:  # no increment without the station: keeps the relaxation
                    if (i, t, k) in inc:  # as tight as one binary per level
                        prob += inc[i, t, k] <= s, f"inc_open_{k}_{i}_{t}"
            if min_certified > 0:
                certified = w[i, t, "junior"] + w[i, t, "intermediate"]
                prob += certified >= min_certified * s, f"min_cert_{i}_{t}"
            if sc.workforce.exam_pass_rate > 0:
                prob += tr[i, t] <= w[i, t, "uncertified"], f"train_{i}_{t}"
    per = sc.staffing.stations_per_supervisor
    if per > 0 and not has_centres(sc):  # with centres, the centres supervise (add_centres)
        if model.arrays:
            _supervisor_rows_from_arrays(model, per)
            return
        for c, idx in county_members(model.inp).items():
            edges = _supervisor_hull(int(model.inp.existing[idx].sum()), len(idx), per)
            for t in years:
                supervisors = pulp.lpSum(w[i, t, "intermediate"] for i in idx)
                stations = pulp.lpSum(st[i, t] for i in idx)
                prob += per * supervisors >= stations, f"supervise_c{c}_{t}"
                for e, (dn, ds, rhs) in enumerate(edges):
                    prob += dn * supervisors - ds * stations >= rhs, f"supervise_c{c}_{t}_{e}"


def _item_names(model: Model, prefix: str) -> Any:
    """Names `{prefix}_{i}_{t}` of rows per township-year item (item i × years + year index)."""
    years = model.inp.years
    per = len(years)

    def names(items: np.ndarray) -> list[str]:
        return [f"{prefix}_{p // per}_{years[p % per]}" for p in items.tolist()]

    return names


def _column_ids(model: Model) -> dict[str, np.ndarray]:
    """Ids (model.optimizer.rows.ArrayRows.ids) of the township-year variables, per item i ×
    years + year index: "st", "tr", and "w" (items × GRADES)."""
    if not model.column_ids:
        keys = [(i, t) for i in range(len(model.inp.ids)) for t in model.inp.years]
        ids = model.prob.array_rows.ids
        model.column_ids["st"] = ids(model.st[key] for key in keys)
        model.column_ids["tr"] = ids(model.tr[key] for key in keys)
        model.column_ids["w"] = np.stack(
            [ids(model.w[i, t, g] for i, t in keys) for g in GRADES], axis=1
        )
    return model.column_ids


def _station_rows_from_arrays(model: Model, sc: Scenario) -> None:
    """add_station_rules' rows per township and year as one block of array rows: the same rows,
    coefficients (in the order of PuLP's expressions) and bounds (each zero's sign as PuLP's
    constant arithmetic leaves it), item by item in the PuLP loop's order."""
    prob, levels, years, n = model.prob, model.levels, model.inp.years, len(model.inp.ids)
    keys = [(i, t) for i in range(n) for t in years]
    ids = prob.array_rows.ids
    cols = _column_ids(model)
    st, w = cols["st"], cols["w"]
    year = np.tile(np.arange(len(years)), n)
    every = np.ones(len(keys), bool)
    inf = math.inf
    kinds = [
        RowKind(  # s >= st last year: constant PuLP's int 0
            _item_names(model, "stay_open"),
            year > 0,
            np.stack([st, np.where(year > 0, np.roll(st, 1), -1)], axis=1),
            np.array([1.0, -1.0]),
            0.0,
            inf,
        )
    ]
    if model.exact_levels:
        z = np.stack([ids(model.z[i, t, k] for i, t in keys) for k in levels], axis=1)
        positive = [j for j, k in enumerate(levels) if k]
        kinds += [
            RowKind(  # Σ_k z == s
                _item_names(model, "one_level"),
                every,
                np.column_stack([z, st]),
                np.array([1.0] * len(levels) + [-1.0]),
                -0.0,
                -0.0,
            ),
            RowKind(  # Σ_g w == Σ_k k z
                _item_names(model, "workers"),
                every,
                np.column_stack([w, z[:, positive]]),
                np.array([1.0, 1.0, 1.0] + [-float(levels[j]) for j in positive]),
                -0.0,
                -0.0,
            ),
        ]
    else:
        least, most = levels[0], levels[-1]
        steps = sorted({k for (_, _, k) in model.inc})  # levels with an increment somewhere
        y = np.zeros((len(keys), len(steps)), np.int64)
        for j, k in enumerate(steps):
            y[:, j] = ids(model.inc.get((i, t, k)) for i, t in keys)
        with_least = [st] if least else []  # PuLP drops a term times 0
        kinds += [
            RowKind(  # Σ_g w >= least × s
                _item_names(model, "min_workers"),
                every,
                np.column_stack([w, *with_least]),
                np.array([1.0, 1.0, 1.0, -float(least)][: 3 + len(with_least)]),
                -0.0,
                inf,
            ),
            RowKind(  # Σ_g w <= most × s
                _item_names(model, "max_workers"),
                every,
                np.column_stack([w, *([st] if most else [])]),
                np.array([1.0, 1.0, 1.0, -float(most)][: 3 + (1 if most else 0)]),
                -inf,
                -0.0,
            ),
            RowKind(  # Σ_k y_k <= Σ_g w − least × s
                _item_names(model, "increments"),
                np.asarray((y >= 0).any(axis=1)),
                np.column_stack([y, w, *with_least]),
                np.array([1.0] * len(steps) + [-1.0, -1.0, -1.0, float(least)])[
                    : len(steps) + 3 + len(with_least)
                ],
                -inf,
                -0.0,
            ),
        ]
        kinds += [
            RowKind(  # y_k <= s: constant PuLP's int 0
                _item_names(model, f"inc_open_{k}"),
                y[:, j] >= 0,
                np.stack([y[:, j], st], axis=1),
                np.array([1.0, -1.0]),
                -inf,
                0.0,
            )
            for j, k in enumerate(steps)
        ]
    min_certified = sc.staffing.min_certified
    if min_certified > 0:
        kinds.append(
            RowKind(  # w_j + w_m >= min_certified × s; the constant as PuLP computes it
                _item_names(model, "min_cert"),
                every,
                np.column_stack([w[:, 1:], st]),
                np.array([1.0, 1.0, -float(min_certified)]),
                float(-(0 + 0 * min_certified * -1)),
                inf,
            )
        )
    if sc.workforce.exam_pass_rate > 0:
        tr = cols["tr"]
        kinds.append(
            RowKind(  # tr <= w_u: constant PuLP's int 0
                _item_names(model, "train"),
                every,
                np.stack([tr, w[:, 0]], axis=1),
                np.array([1.0, -1.0]),
                -inf,
                0.0,
            )
        )
    prob.add_rows(kinds, len(keys))


def _supervisor_rows_from_arrays(model: Model, per: int) -> None:
    """add_station_rules' supervisor rows as array rows (see `_station_rows_from_arrays`): per
    county and year, per × supervisors − stations ≥ 0 and the hull's edges."""
    prob, inp, years = model.prob, model.inp, model.inp.years
    cols = _column_ids(model)
    for c, idx in county_members(inp).items():
        edges = _supervisor_hull(int(inp.existing[idx].sum()), len(idx), per)
        for y, t in enumerate(years):
            items = np.array(idx) * len(years) + y
            supervisors, stations = cols["w"][items, 2], cols["st"][items]
            both = np.concatenate([supervisors, stations])
            ones = np.ones(len(idx))
            prob.add_row(
                f"supervise_c{c}_{t}",
                both,
                np.concatenate([per * ones, -ones]),
                -0.0,
                math.inf,
            )
            for e, (dn, ds, rhs) in enumerate(edges):
                parts = ([supervisors] if dn else []) + ([stations] if ds else [])
                coefs = ([dn * ones] if dn else []) + ([-ds * ones] if ds else [])
                prob.add_row(
                    f"supervise_c{c}_{t}_{e}",
                    np.concatenate(parts),
                    np.concatenate(coefs),
                    -(0.0 - rhs),  # PuLP's constant: 0.0 − rhs
                    math.inf,
                )


def _supervisor_hull(least: int, most: int, per: int) -> list[tuple[int, int, int]]:
    """Rows `dn × supervisors − ds × stations ≥ rhs` that, with `per × supervisors ≥ stations`,
    describe the convex hull of a county's whole supervisors ⌈stations / per⌉ for its `least`
    (stations that exist, and stay open) to `most` (its townships) stations.

    The same plans, a tighter relaxation: alone, the row lets the relaxation hire stations / per
    supervisors (1.5 for 15 stations), spread as fractions of intermediates over the county's
    townships; whole plans need ⌈1.5⌉ = 2, and relax and fix then frees the townships of those
    fractions (a 300 × 5 synthetic region: 200 of 247 fractional values, 94 townships). Only the
    hull's edges that `per × supervisors ≥ stations` does not already give are returned.
    """
    points = [(n, -(-n // per)) for n in range(least, most + 1)]
    hull: list[tuple[int, int]] = []  # lower convex hull, left to right (monotone chain)
    for p in points:
        while len(hull) >= 2:
            (x1, y1), (x2, y2) = hull[-2], hull[-1]
            if (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1) <= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    if len(hull) == 1:  # every township has a station today: a bound
        (x1, y1) = hull[0]
        return [] if y1 * per == x1 else [(1, 0, y1)]
    edges = []
    for (x1, y1), (x2, y2) in pairwise(hull):
        dn, ds = x2 - x1, y2 - y1
        if ds * per == dn and y1 * per == x1:
            continue  # on per × supervisors ≥ stations
        rhs = dn * y1 - ds * x1
        g = math.gcd(dn, ds, rhs)
        edges.append((dn // g, ds // g, rhs // g))
    return edges


def add_hiring(model: Model, sc: Scenario, elastic: bool) -> None:
    """Hires and lay-offs per county, year and grade; the county's pools; moves per township.

    One organisation deploys a county's workers, so the balance is the county's: its workers of
    a grade are the survivors of last year's ((1 − attrition) × them; in the first year of
    today's staff), plus hires, less lay-offs, with trainees who pass the exam moving from
    uncertified to junior (row `hire_{g}_c{c}_{t}`, an equality). Lay-off variables exist only
    with workforce.layoffs: otherwise workers in post stay unless they leave. Hires of all grades
    stay within hiring_pool_per_county (`pool_c{c}_{t}`), junior and intermediate hires within
    certified_pool_per_county (`cpool_c{c}_{t}`); with `elastic`, both get slacks
    (`xpool_c{c}_{t}`, `xcpool_c{c}_{t}`, workers). A station whose workers fall below the
    survivors of its own (last year's or today's) has lost workers to other townships of the
    county or to lay-offs: `moved[i, t]` ≥ the posts it cut, last year's workers (today's in the
    first year) less this year's (`move_{i}_{t}`), when moves cost money. The holder of a cut post
    is moved unless they leave that year anyway, so a cut post costs (1 − attrition) × move_cost
    (add_spend_and_budget). Whole posts rather than posts beyond the expected leavers ((1 −
    attrition) × last year's less this year's) keep the row's data whole: on Ganzhou at 80% of
    its budget the relaxation leaves 288 values fractional instead of 563, and relax and fix finds
    a plan where it found none in 30 s.

    In the first year the survivors are a known number and workers are whole, so without
    lay-offs the hires of a grade are at least what makes its survivors whole (a lower bound), and
    the pools' right-hand sides are rounded down to what whole workers can use (unless
    `elastic`): the same plans, a tighter relaxation (Ganzhou: the relaxation's bound 0.2% above
    the plan instead of 0.5%, and the solve about 8 s instead of 30 s).
    """
    prob, inp, years = model.prob, model.inp, model.inp.years
    w, tr, hire, wf = model.w, model.tr, model.hire, sc.workforce
    keep, p = 1 - wf.attrition, wf.exam_pass_rate
    centre_today = centre_staff_today(sc, len(inp.counties))

    def county_stock(c: int, idx: list[int], t: int, g: str) -> Any:
        """The county's workers of grade g in year t: its stations' and its centre's."""
        stations = pulp.lpSum(w[i, t, g] for i in idx)
        if g == "intermediate" and (c, t) in model.sup:
            return stations + model.sup[c, t]
        return stations

    for c, idx in county_members(inp).items():
        for y, t in enumerate(years):
            if y == 0:
                survivors = {g: keep * float(sum(inp.w0[g][i] for i in idx)) for g in GRADES}
                survivors["intermediate"] += keep * float(centre_today[c])
                promoted: Any = 0
            elif not model.arrays:  # the rows' right-hand sides (array rows: their columns)
                last = years[y - 1]
                survivors = {g: keep * county_stock(c, idx, last, g) for g in GRADES}
                promoted = p * pulp.lpSum(tr[i, last] for i in idx) if p > 0 else 0
            whole = y == 0 and not wf.layoffs  # survivors known, kept: round to whole workers
            for g in GRADES:
                least = max(0.0, _whole(survivors[g]) - survivors[g]) if whole else 0.0
                hire[c, t, g] = prob.add_variable(f"h{GRADE_SHORT[g]}_c{c}_{t}", least)
            if wf.layoffs:
                for g in GRADES:
                    model.lay[c, t, g] = prob.add_variable(f"lay{GRADE_SHORT[g]}_c{c}_{t}", 0)
            if model.arrays:
                _hire_rows_from_arrays(model, sc, c, idx, y, survivors if y == 0 else None)
            else:
                moves = {"uncertified": -promoted, "junior": promoted, "intermediate": 0}
                for g in GRADES:
                    out = model.lay.get((c, t, g), 0)
                    prob += (
                        county_stock(c, idx, t, g) - hire[c, t, g] + out == survivors[g] + moves[g],
                        f"hire_{GRADE_SHORT[g]}_c{c}_{t}",
                    )
            pools = (
                ("hiring_pool", "pool", wf.hiring_pool_per_county, GRADES),
                ("certified_pool", "cpool", wf.certified_pool_per_county, CERTIFIED_GRADES),
            )
            for key, row, most, grades in pools:
                hired = pulp.lpSum(hire[c, t, g] for g in grades)
                if elastic:
                    slack = prob.add_variable(f"x{row}_c{c}_{t}", 0)
                    model.hard_slack[key, c, t] = slack
                    hired = hired - slack
                elif whole:  # whole workers: survivors + hires ≤ ⌊survivors + pool⌋
                    kept = sum(survivors[g] for g in grades)
                    most = math.floor(kept + most + 1e-9) - kept  # type: ignore[assignment]
                prob += hired <= most, f"{row}_c{c}_{t}"
    if wf.move_cost <= 0:
        return
    if model.arrays:
        _move_rows_from_arrays(model)
        return
    for i in range(len(inp.ids)):
        for y, t in enumerate(years):
            if y == 0:
                before: Any = float(sum(inp.w0[g][i] for g in GRADES))
                if before <= 0:
                    continue  # no one to lose
            else:
                before = pulp.lpSum(w[i, years[y - 1], g] for g in GRADES)
            now = pulp.lpSum(w[i, t, g] for g in GRADES)
            model.moved[i, t] = prob.add_variable(f"mv_{i}_{t}", 0)
            prob += model.moved[i, t] + now >= before, f"move_{i}_{t}"


def _hire_rows_from_arrays(
    model: Model, sc: Scenario, c: int, idx: list[int], y: int, today: dict[str, float] | None
) -> None:
    """add_hiring's balance rows of county c in year index y (`hire_{g}_c{c}_{t}`) as array rows
    (see `_station_rows_from_arrays`): Σ_i w[i, t, g] (+ the centre's supervisors) − hires
    (+ lay-offs) − keep × (last year's of the same) ∓ pass rate × last year's trainees
    = `today` (the survivors of today's staff by grade) in the first year, else 0."""
    prob, years, cols = model.prob, model.inp.years, _column_ids(model)
    wf = sc.workforce
    keep, p = 1 - wf.attrition, wf.exam_pass_rate
    t = years[y]
    items = np.array(idx) * len(years) + y
    ids = prob.array_rows.ids
    for k, g in enumerate(GRADES):
        parts = [cols["w"][items, k]]
        coefs = [np.ones(len(idx))]
        extra = [(model.sup.get((c, t)) if g == "intermediate" else None, 1.0)]
        extra += [(model.hire[c, t, g], -1.0), (model.lay.get((c, t, g)), 1.0)]
        if y > 0:
            if keep != 0:  # PuLP drops a term times 0
                parts.append(cols["w"][items - 1, k])
                coefs.append(np.full(len(idx), -keep))
                if g == "intermediate" and (c, years[y - 1]) in model.sup:
                    parts.append(ids([model.sup[c, years[y - 1]]]))
                    coefs.append(np.array([-keep]))
            if p > 0 and g in ("uncertified", "junior"):
                parts.append(cols["tr"][items - 1])
                coefs.append(np.full(len(idx), p if g == "uncertified" else -p))
        known = [(var, coef) for var, coef in extra if var is not None]
        parts.insert(1, ids(var for var, _ in known))
        coefs.insert(1, np.array([coef for _, coef in known]))
        rhs = -(0.0 - today[g]) if today is not None else -0.0  # PuLP's constant: 0.0 − today
        prob.add_row(
            f"hire_{GRADE_SHORT[g]}_c{c}_{t}",
            np.concatenate(parts),
            np.concatenate(coefs),
            rhs,
            rhs,
        )


def _move_rows_from_arrays(model: Model) -> None:
    """add_hiring's move rows (`move_{i}_{t}`: moved + this year's workers ≥ last year's, today's
    in the first year) and their variables, as one block of array rows (see
    `_station_rows_from_arrays`)."""
    prob, inp, years, n = model.prob, model.inp, model.inp.years, len(model.inp.ids)
    keys = [(i, t) for i in range(n) for t in years]
    year = np.tile(np.arange(len(years)), n)
    today = np.repeat(np.asarray(sum(inp.w0[g] for g in GRADES), float), len(years))
    where = (year > 0) | (today > 0)  # no one to lose: no row
    for p in np.flatnonzero(where).tolist():
        i, t = keys[p]
        model.moved[i, t] = prob.add_variable(f"mv_{i}_{t}", 0)
    moved = prob.array_rows.ids(model.moved.get(key) for key in keys)
    w = _column_ids(model)["w"]
    last = np.where(year[:, None] > 0, np.roll(w, 1, axis=0), -1)
    kind = RowKind(
        _item_names(model, "move"),
        where,
        np.column_stack([moved, w, last]),
        np.array([1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0]),
        np.where(year > 0, -0.0, -(0.0 - today)),  # PuLP's constant: 0.0 − today's workers
        math.inf,
    )
    prob.add_rows([kind], len(keys))


def severance_per_worker(sc: Scenario, inp: Inputs) -> dict[tuple[int, str], float]:
    """Severance of one laid-off worker per county and grade (万元): severance_months of the
    grade's salary at the county's mean wage_index (lay-offs are the county's, not a station's)."""
    salary = sc.costs.salary.by_grade()
    months = sc.workforce.severance_months
    return {
        (c, g): months / 12 * salary[g] * float(inp.wage[idx].mean())
        for c, idx in county_members(inp).items()
        for g in GRADES
    }


def add_station_costs(model: Model, sc: Scenario) -> None:
    """The stations' costs into `model.cost` cells (level "station", category, county index,
    year; 万元): setup, running, salary, training, severance (lay-offs × severance_per_worker) and
    moves (posts cut × (1 − attrition) × move_cost: the workers expected to be moved)."""
    inp, st, years = model.inp, model.st, model.inp.years
    costs = sc.costs
    salary = costs.salary.by_grade()
    severance = severance_per_worker(sc, inp)
    move_cost = (1 - sc.workforce.attrition) * sc.workforce.move_cost  # per cut post
    for c, idx in county_members(inp).items():
        for k, t in enumerate(years):
            if k > 0:  # Σ_i st[i, t] − st[i, t − 1]
                opened = linear(
                    (v, a) for i in idx for v, a in ((st[i, t], 1), (st[i, years[k - 1]], -1))
                )
            else:  # Σ_i st[i, t] − today's stations
                opened = linear(
                    ((st[i, t], 1) for i in idx), 0.0 - sum(int(inp.existing[i]) for i in idx)
                )
            items = {
                "setup": costs.station_setup * opened,
                "running": costs.station_running * pulp.lpSum(st[i, t] for i in idx),
                "salary": linear(
                    (model.w[i, t, g], salary[g] * float(inp.wage[i])) for i in idx for g in GRADES
                ),
                "training": costs.certification_training * pulp.lpSum(model.tr[i, t] for i in idx),
                "severance": pulp.lpSum(
                    severance[c, g] * model.lay[c, t, g] for g in GRADES if (c, t, g) in model.lay
                ),
                "moves": move_cost
                * pulp.lpSum(model.moved[i, t] for i in idx if (i, t) in model.moved),
            }
            for category, expr in items.items():
                model.cost["station", category, c, t] = expr


def add_spend_and_budget(model: Model, sc: Scenario, budgets: bool, elastic: bool) -> None:
    """Spend per year by category (万元), into `model.spend`: the sum of every level's cost cells
    (`model.cost`: stations, centres, sector posts); with `budgets`, the yearly budget rows
    (with `elastic`, with slacks `xbudget_{t}` in 万元): all sources together spend at most the
    year's budget."""
    add_station_costs(model, sc)
    prob = model.prob
    by_year: dict[int, dict[str, list[Any]]] = {t: {} for t in model.inp.years}
    for (_, category, _, t), expr in model.cost.items():
        by_year[t].setdefault(category, []).append(expr)
    for t in model.inp.years:
        items = {category: pulp.lpSum(parts) for category, parts in by_year[t].items()}
        model.spend[t] = items
        if budgets and t in sc.budget:
            spent = pulp.lpSum(items.values())
            if t in model.transfer:  # money from a central transfer (a Lagrangian subproblem)
                spent = spent - model.transfer[t]
            if elastic:
                model.hard_slack["budget", t] = prob.add_variable(f"xbudget_{t}", 0)
                spent = spent - model.hard_slack["budget", t]
            prob += spent <= sc.budget[t], f"budget_{t}"


def _need(inp: Inputs, weighted: bool) -> np.ndarray:
    """Client hours per township (hours/year), priority-weighted or not."""
    out = np.zeros(len(inp.ids))
    for c in inp.classes:
        out += (inp.weight[c] if weighted else 1.0) * np.asarray(inp.demand[c], float)
    return out


def catchment_load(sc: Scenario, inp: Inputs, pairs: Any) -> np.ndarray:
    """Hours of a station's work per client hour of township j it serves, per pair of
    `model.workload.catchment_pairs`: 1 + the round trip (trip_hours) × j's client requests per
    client hour (every request of j served from the station takes the trip; a served hour
    brings j's mean requests per hour)."""
    hours = _need(inp, weighted=False)
    j = pairs["township"].to_numpy(int)
    per_hour = np.divide(
        inp.requests[j], hours[j], out=np.zeros(len(j)), where=np.asarray(hours[j]) > 0
    )
    return 1.0 + pairs["trip_hours"].to_numpy(float) * per_hour


def add_catchments(model: Model, sc: Scenario) -> None:
    """Stations that serve townships without one nearby (catchment.max_minutes).

    Per pair (i, j) of `model.workload.catchment_pairs` where j has clients and no station
    today (a station stays open), and year t: `cb_{i}_{j}_{t}` (0/1) puts j in i's catchment,
    `ch{c}_{i}_{j}_{t}` are the client hours of class c of j that i serves. Rows:
    `cbopen_{i}_{j}_{t}`: cb ≤ st_i; `cbone_{j}_{t}`: Σ_i cb_ij + st_j ≤ 1 (in one catchment at
    most, and only without a station); `cbhours{c}_{i}_{j}_{t}`: ch ≤ j's class-c client hours ×
    cb; `cbcap_{i}_{t}`: Σ_j,c load_ij × ch ≤ the hours i's staffing leaves after its own
    township (`catchment_load`). With one binary per level those spare hours are Σ_k (k ×
    available − station hours − hours served at i at level k)⁺ z_k: the station serves its own
    township first (priority_fill). With increments they are available × workers − station
    hours × st − i's own served hours (the least level's and each increment's), so a station
    whose least level cannot do its own station work gets no catchment."""
    pairs = catchment_pairs(sc)
    if pairs.empty:
        return
    inp, prob, levels, years = model.inp, model.prob, model.levels, model.inp.years
    hours = _need(inp, weighted=False)
    load = catchment_load(sc, inp, pairs)
    fixed = inp.fixed_hours
    keep = []
    for n, (i, j) in enumerate(zip(pairs["station"].to_numpy(int), pairs["township"])):
        j = int(j)
        if inp.existing[j] == 1 or hours[j] <= 0:
            continue
        if not model.exact_levels and inp.avail[i] * levels[0] < fixed:
            continue
        keep.append((int(i), j))
        model.catch_load[int(i), j] = float(load[n])
    if not keep:
        return
    by_station: dict[int, list[int]] = {}
    by_township: dict[int, list[int]] = {}
    for i, j in keep:
        by_station.setdefault(i, []).append(j)
        by_township.setdefault(j, []).append(i)
    for t in years:
        for i, j in keep:
            a = prob.add_variable(f"cb_{i}_{j}_{t}", 0, 1, cat=pulp.LpInteger)
            model.catch[i, j, t] = a
            prob += a <= model.st[i, t], f"cbopen_{i}_{j}_{t}"
            for c in inp.classes:
                need = float(inp.demand[c][j])
                if need <= 0:
                    continue
                h = prob.add_variable(f"ch{c}_{i}_{j}_{t}", 0, need)
                model.catch_hours[i, j, c, t] = h
                prob += h <= need * a, f"cbhours{c}_{i}_{j}_{t}"
        for j, stations in by_township.items():
            prob += (
                pulp.lpSum(model.catch[i, j, t] for i in stations) + model.st[j, t] <= 1,
                f"cbone_{j}_{t}",
            )
        for i, served in by_station.items():
            work = pulp.lpSum(
                model.catch_load[i, j] * model.catch_hours[i, j, c, t]
                for j in served
                for c in inp.classes
                if (i, j, c, t) in model.catch_hours
            )
            own = {k: sum(inp.served[i][k].values()) for k in levels}
            if model.exact_levels:
                spare = pulp.lpSum(
                    max(0.0, k * float(inp.avail[i]) - fixed - own[k]) * model.z[i, t, k]
                    for k in levels
                    if k * float(inp.avail[i]) - fixed - own[k] > 0
                )
            else:
                workers = pulp.lpSum(model.w[i, t, g] for g in GRADES)
                own_served = own[levels[0]] * model.st[i, t] + pulp.lpSum(
                    (own[k] - own[k - 1]) * model.inc[i, t, k]
                    for k in levels[1:]
                    if (i, t, k) in model.inc
                )
                spare = float(inp.avail[i]) * workers - fixed * model.st[i, t] - own_served
            prob += work <= spare, f"cbcap_{i}_{t}"
    add_catchment_utility(model, sc)


CATCHMENT_BREAKS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0)
"""Served shares at which a catchment township's α-fair utility is exact: between them it is
the straight line joining them (below the concave curve, so never overvalued)."""


def add_catchment_utility(model: Model, sc: Scenario) -> None:
    """max_service's utility of the townships served in catchments (α > 0): per township j and
    year, `cu_{j}_{t}` in [0, its weight] with one row `cbutil{k}_{j}_{t}` per segment k of
    CATCHMENT_BREAKS: cu ≤ weight × (f(s_k) + slope_k × (s − s_k)), s the served share of j's
    priority-weighted hours (Σ_i,c priority_c × ch / Σ_c priority_c × hours_c) and f
    model.optimizer.inputs.fair_utility. The least of these lines is the curve's piecewise-linear
    interpolation, which the maximisation reaches. Each line's constant is taken times Σ_i cb_ij
    (1 in a catchment, 0 outside: the same rows in a plan) — the perspective of the curve, so
    that the relaxation cannot value a township's half-served catchment on the steep start of
    the curve while half a station of its own gives it the rest."""
    inp, alpha = model.inp, sc.fairness.alpha
    if not model.catch_hours or alpha == 0:
        return
    need = _need(inp, weighted=True)
    mean = float(need.mean()) if len(need) else 0.0
    breaks = np.array(CATCHMENT_BREAKS)
    heights = np.asarray(fair_utility(breaks, alpha), dtype=float)
    slopes = np.diff(heights) / np.diff(breaks)
    served: dict[tuple[int, int], list] = {}
    for (_, j, c, t), h in model.catch_hours.items():
        served.setdefault((j, t), []).append(inp.weight[c] * h)
    assigned: dict[tuple[int, int], list] = {}
    for (_, j, t), a in model.catch.items():
        assigned.setdefault((j, t), []).append(a)
    for (j, t), terms in served.items():
        scale = float(need[j]) if model.fair_weight == "need" else mean
        u = model.prob.add_variable(f"cu_{j}_{t}", 0, scale)
        model.catch_utility[j, t] = u
        share = pulp.lpSum(terms) / float(need[j])
        inside = pulp.lpSum(assigned[j, t])
        for k, slope in enumerate(slopes):
            model.prob += (
                u
                <= scale
                * (float(heights[k]) * inside + float(slope) * (share - float(breaks[k]) * inside)),
                f"cbutil{k}_{j}_{t}",
            )


def catchment_value(model: Model, value: str) -> Any:
    """What the hours served in catchments add to `value`: "hours", priority-weighted client
    hours; "service", max_service's utility: at α = 0 each township's weight × its served share
    (linear), above the piecewise-linear utility of add_catchment_utility."""
    inp = model.inp
    if not model.catch_hours:
        return 0
    if value == "service" and model.catch_utility:
        return pulp.lpSum(model.catch_utility.values())
    need = _need(inp, weighted=True)
    mean = float(need.mean()) if len(need) else 0.0
    terms = []
    for (_, j, c, _), h in model.catch_hours.items():
        per_hour = inp.weight[c]
        if value == "service" and model.fair_weight == "equal":
            per_hour *= mean / float(need[j])
        terms.append(per_hour * h)
    return pulp.lpSum(terms)


def add_targets(model: Model, sc: Scenario) -> None:
    """One elastic row per required target and year: its measure plus a slack reaches the target.

    The slack's scale (the target's size) makes shortfalls of different targets comparable in
    `model.violation`.
    """
    for name, year, key, req in required_targets(sc):
        if name == "min_served_share":
            add_floor(model, year, key, req)
            continue
        slack = model.prob.add_variable(f"short_{name}_{key or 'all'}_{year}", 0)
        lhs, rhs, scale = _target_row(model, sc, name, year, key, req)
        model.prob += lhs + slack >= rhs, f"target_{name}_{key or 'all'}_{year}"
        model.target_slack[name, year, key] = (slack, scale)


def add_floor(model: Model, year: int, group: str | None, floor: float) -> None:
    """targets.min_served_share (group None) or min_served_share_by_group: per township, an open
    station serves at least `floor` of its client hours (of the group's): one elastic row per
    township, Σ_k (hours served at level k) z_k + slack ≥ floor × client hours × station open;
    a slack's scale is the township's client hours, so its relative shortfall is in share points.
    Rows `target_min_served_share_{group or all}_t{i}_{year}`."""
    inp = model.inp
    cls = None if group is None else f"g_{group}"
    for i in range(len(inp.ids)):
        if cls is None:
            need = sum(float(inp.demand[c][i]) for c in inp.classes)
            got = {k: sum(inp.served[i][k].values()) for k in model.levels}
        else:
            need = float(inp.demand[cls][i])
            got = {k: inp.served[i][k][cls] for k in model.levels}
        if need <= 0:
            continue
        key = f"{group or 'all'}_t{i}"
        slack = model.prob.add_variable(f"short_min_served_share_{key}_{year}", 0)
        served = pulp.lpSum(got[k] * model.z[i, year, k] for k in model.levels if got[k] > 0)
        served += point_served_gain(model, year, cls, i)
        model.prob += (
            served + slack >= floor * need * model.st[i, year],
            f"target_min_served_share_{key}_{year}",
        )
        model.target_slack["min_served_share", year, key] = (slack, need)


def _target_row(
    model: Model, sc: Scenario, name: str, year: int, key: str | None, req: float
) -> tuple[Any, float, float]:
    """A target's measure, right-hand side and scale in `year`.

    Counts of stations and workers are whole: a requirement of 762.03 workers is 763, so that
    any shortfall is at least one whole worker and costs more than that worker would.
    """
    inp = model.inp
    n = len(inp.ids)
    towns = range(n)
    total = region_workers(model, year, GRADES)
    if name == "coverage":
        rhs = _whole(req * float(n))
        return pulp.lpSum(model.st[i, year] for i in towns), rhs, max(1.0, rhs)
    if name == "access":
        people = sc.townships["population"].to_numpy(float)
        rhs = req * float(people.sum())
        return covered_population(model, sc, year), rhs, max(1.0, rhs)
    if name == "certified_share":
        cert = region_workers(model, year, CERTIFIED_GRADES)
        return (cert - req * total, 0.0, max(1.0, req * float(n) * max(sc.staffing.min_workers, 1)))
    if name == "workers_per_1000_elderly":
        rhs = _whole(req * inp.elderly / 1000.0)
        return total, rhs, max(1.0, rhs)
    if name == "workers_per_100_care_beds":
        rhs = _whole(req * inp.care_beds / 100.0)
        return total, rhs, max(1.0, rhs)
    if name == "workers_total":
        return total, req, max(1.0, req)
    if name == "workers_by_grade":
        return region_workers(model, year, (str(key),)), req, max(1.0, req)
    if name == "sector_posts":  # req: whole posts (model.plan.targets.required_targets)
        return model.posts[str(key), year], req, max(1.0, req)
    if name == "service_level":  # the region's (key None) or one group's requests
        weight = inp.requests if key is None else inp.group_requests[key]
        rhs = req * float(weight.sum())
        return on_time_requests(model, [year], key), rhs, max(1.0, rhs)
    # served_share of one group's client hours
    cls = f"g_{key}"
    lhs = pulp.lpSum(
        inp.served[i][k][cls] * model.z[i, year, k]
        for i in towns
        for k in model.levels
        if inp.served[i][k][cls] > 0
    )
    lhs += pulp.lpSum(h for (_, _, c, t), h in model.catch_hours.items() if c == cls and t == year)
    lhs += point_served_gain(model, year, cls)
    rhs = req * float(inp.demand[cls].sum())
    return lhs, rhs, max(1.0, rhs)


def region_workers(model: Model, year: int, grades: tuple[str, ...]) -> Any:
    """The region's workers of `grades` in `year`: the stations' and those beyond them
    (`model.extra_workers`: centre supervisors, sector posts)."""
    w = model.w
    parts = [w[i, year, g] for i in range(len(model.inp.ids)) for g in grades]
    for g in grades:
        parts += model.extra_workers.get((year, g), [])
    return pulp.lpSum(parts)


def covered_population(model: Model, sc: Scenario, year: int) -> Any:
    """Persons within access.minutes of an open station in `year` (targets.access): per township
    i with residents, a share covered `acc_{i}_{year}` in [0, 1] with rows `reach_{i}_{year}`:
    covered ≤ Σ st_j over the townships j within access.minutes of i (sc.travel, minutes from i
    to j; i itself at 0). Returns Σ_i population_i × covered_i."""
    if sc.travel is None:
        raise ValueError(f"scenario {sc.name}: targets.access needs region.travel")
    people = sc.townships["population"].to_numpy(float)
    minutes = sc.travel.to_numpy(float)
    within = minutes <= sc.access.minutes
    np.fill_diagonal(within, True)  # a township's own station is 0 minutes away
    terms = []
    for i in range(len(model.inp.ids)):
        if people[i] <= 0:
            continue
        covered = model.prob.add_variable(f"acc_{i}_{year}", 0, 1)
        near = pulp.lpSum(model.st[int(j), year] for j in np.flatnonzero(within[i]))
        model.prob += covered <= near, f"reach_{i}_{year}"
        terms.append(float(people[i]) * covered)
    return pulp.lpSum(terms)


def on_time_requests(model: Model, years: list[int], group: str | None = None) -> Any:
    """Client requests started within their standard in `years`: each township's requests times
    the on-time share of the staffing level its binary picks (`Inputs.on_time`); with `group`,
    that group's requests and shares (`Inputs.group_requests`, `Inputs.group_on_time`)."""
    inp = model.inp
    at = {y: n for n, y in enumerate(inp.years)}
    if group is None:
        requests = inp.requests
        shares = {t: inp.on_time[:, at[t], :] for t in years}  # townships × levels, that year
    else:
        requests = inp.group_requests[group]
        shares = {t: inp.group_on_time[group] for t in years}
    return pulp.lpSum(
        float(requests[i] * shares[t][i, j]) * model.z[i, t, k]
        for i in range(len(inp.ids))
        for t in years
        for j, k in enumerate(model.levels)
        if requests[i] * shares[t][i, j] > 0
    )


def add_objective_terms(model: Model) -> None:
    """The terms `set_objective` weighs: spend_all (万元), service (the α-fair utility of each
    township's served share, Inputs.utility; priority-weighted hours when fairness.alpha is 0),
    hours (priority-weighted client hours served, summed over the years), violation (relative
    target shortfall), limit_violation."""
    inp = model.inp
    model.hours = _by_level(model, inp.value)  # a new expression: added to in place
    model.hours += catchment_value(model, "hours")
    model.hours += point_gain(model, "hours")
    model.service = _by_level(model, inp.utility)
    model.service += catchment_value(model, "service")
    model.service += point_gain(model, "service")
    if model.objective == "max_on_time" and model.exact_levels:
        model.on_time = on_time_requests(model, inp.years)
    model.spend_all = pulp.lpSum(e for items in model.spend.values() for e in items.values())
    model.violation = pulp.lpSum(var / scale for var, scale in model.target_slack.values())
    model.limit_violation = pulp.lpSum(model.hard_slack.values())


def _by_level(model: Model, value: list[dict[int, float]]) -> Any:
    """Σ over township-years of value[i][level]: through the level binaries, or the least
    level's value with the station plus each worker's increment (concave values)."""
    inp, levels, n = model.inp, model.levels, len(model.inp.ids)
    if model.exact_levels:
        return linear((var, value[i][k]) for (i, t, k), var in model.z.items() if value[i][k] > 0)
    least = levels[0]
    return linear(
        (model.st[i, t], value[i][least])
        for i in range(n)
        for t in inp.years
        if value[i][least] > 0
    ) + linear((var, value[i][k] - value[i][k - 1]) for (i, t, k), var in model.inc.items())


def penalty_weight(model: Model, sc: Scenario) -> float:
    """Weight of one unit of (relative) violation: more than the whole objective can ever be
    worth (weighted hours for max_service, 万元 for min_cost)."""
    inp = model.inp
    if model.objective == "max_service":
        best = [max(v.values(), default=0.0) for v in inp.utility]
        for i, v in enumerate(inp.point_utility):  # points raise what a township can be worth
            best[i] = max(best[i], max(v.values(), default=0.0))
        return 2.0 * sum(best) * len(inp.years) + 1.0
    if model.objective == "max_on_time":
        return 2.0 * float(inp.requests.sum()) * len(inp.years) + 1.0
    c = sc.costs
    top_salary = max(c.salary.uncertified, c.salary.junior, c.salary.intermediate) * float(
        inp.wage.max()
    )
    per_year = len(inp.ids) * (
        c.station_setup
        + c.station_running
        + sc.staffing.max_workers * (top_salary + c.certification_training)
        + sc.point.max_per_township * (sc.point.setup + sc.point.running)
    )
    return 2.0 * per_year * len(inp.years) + 1.0


def set_objective(model: Model, sc: Scenario, shortfall: Any = None, penalty: bool = True) -> float:
    """Put the scenario's objective on the problem: max_service's weighted hours or max_on_time's
    requests on time, less EPS_COST per 万元, or min_cost's spend; with `penalty`, less (plus)
    `penalty_weight` times `shortfall` (default `model.violation`, every target's relative
    shortfall); less (plus) the price of the money drawn from a central transfer
    (`Model.transfer`) and plus (less) the worth of the rewarded measures (`Model.reward`).
    Returns the penalty weight (0 without `penalty`: the planning objective
    alone, for plans whose targets are held by rows, model.optimizer.solve)."""
    big = penalty_weight(model, sc) if penalty else 0.0
    short = (model.violation if shortfall is None else shortfall) if penalty else 0
    price = pulp.lpSum(model.transfer_price[t] * x for t, x in model.transfer.items())
    price -= pulp.lpSum(p * rewarded(model, m, t) for (m, t), p in model.reward.items())
    # in place after the first term (`-=`: the same sums as `a - b - c`, without a copy of the
    # whole objective per term)
    if model.objective == "max_service":
        model.prob.sense = pulp.LpMaximize
        objective = model.service - EPS_COST * model.spend_all
        objective -= big * short
        objective -= price
    elif model.objective == "max_on_time":
        if model.on_time is None:
            raise ValueError("max_on_time needs one binary per staffing level (exact levels)")
        model.prob.sense = pulp.LpMaximize
        objective = model.on_time - EPS_COST * model.spend_all
        objective -= big * short
        objective -= price
    else:
        model.prob.sense = pulp.LpMinimize
        objective = model.spend_all + big * short
        objective += price
    model.prob.setObjective(objective)
    return big


def rewarded(model: Model, measure: str, year: int) -> Any:
    """The region's stations ("stations") or workers ("workers") in `year`: a national target's
    measure in a province (`Model.reward`)."""
    if measure == "stations":
        return pulp.lpSum(model.st[i, year] for i in range(len(model.inp.ids)))
    return region_workers(model, year, GRADES)
