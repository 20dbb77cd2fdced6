"""FORMULATION"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pulp

from model.inputs.scenario import Scenario
from model.optimizer.inputs import Inputs, staffing_levels
from model.plan.targets import required_targets

G = ("uncertified", "junior", "intermediate")


SHORT = {"uncertified": "u", "junior": "j", "intermediate": "m"}


EPS_COST = 0.01
"""max_service: weighted hours given up per 万元 spent, so that ties go to the cheaper plan."""


LEVEL_BINARIES = 40_000
"""Up to this many level binaries the model uses one per staffing level; above, concave increments."""


def _whole(count: float) -> float:
    """The least whole number of stations or workers that reaches `count` (rounding noise aside)."""
    return float(math.ceil(count - 1e-9))


def _concave(value: dict[int, float], levels: list[int]) -> bool:
    """Whether the value of a station's extra workers never rises from one level to the next."""
    steps = [value[k] - value[k - 1] for k in levels[1:]]
    return all(b <= a + 1e-9 for a, b in zip(steps, steps[1:]))


@dataclass
class Model:
    """The PuLP problem with handles on its variables and target rows."""

    prob: pulp.LpProblem
    st: dict
    w: dict
    tr: dict
    hire: dict
    z: dict                                            # (i, t, k) -> binary: open with k workers
    levels: list[int]
    inp: Inputs
    target_slack: dict = field(default_factory=dict)   # (target, year[, key]) -> (slack var, scale)
    hard_slack: dict = field(default_factory=dict)     # ("budget", year) / ("hiring_pool", county, year)
    spend: dict = field(default_factory=dict)          # year -> dict of spend expressions by item
    spend_all: Any = None                              # total spend over the horizon (万元)
    service: Any = None                                # priority-weighted served client hours
    violation: Any = None                              # relative target shortfall
    limit_violation: Any = None                        # budget (万元) and pool (workers) slack, if elastic
    objective: str = "max_service"
    exact_levels: bool = True                          # one binary per level, or concave increments


def build(sc: Scenario, inp: Inputs | None = None, objective: str | None = None,
          budgets: bool = True, elastic_limits: bool = False) -> Model:
    """Build the MILP for `sc`. `objective` overrides sc.objective; `budgets=False` drops the budget rows;
    `elastic_limits` gives budget and hiring-pool rows slack variables (for diagnosing infeasibility)."""
    inp = inp or Inputs.from_scenario(sc)
    objective = objective or sc.objective
    sense = pulp.LpMaximize if objective == "max_service" else pulp.LpMinimize
    prob = pulp.LpProblem(f"stationplan_{sc.name}_{objective}".replace("-", "_").replace(".", "_"), sense)
    n, years = len(inp.ids), inp.years
    stf, wf, costs = sc.staffing, sc.workforce, sc.costs
    a, p = wf.attrition, wf.exam_pass_rate
    salary = costs.salary.by_grade()

    # An intermediate worker does nothing a junior does not, at a higher salary: without a target
    # that asks for intermediates, plans never need them (dominance), so their variables are fixed at 0.
    needs_m = "intermediate" in sc.targets.workers_by_grade or salary["intermediate"] < salary["junior"]
    cap = {"uncertified": stf.max_workers, "junior": stf.max_workers,
           "intermediate": stf.max_workers if needs_m else 0}
    levels = staffing_levels(sc)
    # One binary per staffing level is exact for every target and branches best. On large models
    # (HiGHS spends minutes partitioning an objective over ~10^5 level binaries into cliques) and
    # when no target needs a group's service and each station's value rises concavely with its
    # workers beyond the least level, continuous increments give the same optimum instead.
    exact = (bool(sc.targets.served_share) or n * len(years) * len(levels) <= LEVEL_BINARIES
             or not all(_concave(inp.value[i], levels) for i in range(n)))
    st, w, tr, hire, z, inc, hard_pool = {}, {}, {}, {}, {}, {}, {}
    for i in range(n):
        for t in years:
            st[i, t] = prob.add_variable(f"st_{i}_{t}", 0, 1, cat=pulp.LpInteger)
            if inp.existing[i] == 1:
                st[i, t].lowBound = 1
            if exact:
                for k in levels:
                    z[i, t, k] = prob.add_variable(f"z{k}_{i}_{t}", 0, 1, cat=pulp.LpInteger)
            else:
                for k in levels[1:]:
                    if inp.value[i][k] - inp.value[i][k - 1] > 0:
                        inc[i, t, k] = prob.add_variable(f"y{k}_{i}_{t}", 0, 1)
            for g in G:
                w[i, t, g] = prob.add_variable(f"w{SHORT[g]}_{i}_{t}", 0, cap[g], cat=pulp.LpInteger)
            tr[i, t] = prob.add_variable(f"tr_{i}_{t}", 0, stf.max_workers if p > 0 else 0, cat=pulp.LpInteger)

    # station rules, staffing level, carry-over
    for i in range(n):
        for y, t in enumerate(years):
            s = st[i, t]
            if y > 0:
                prob += s >= st[i, years[y - 1]], f"stay_open_{i}_{t}"
            total = pulp.lpSum(w[i, t, g] for g in G)
            if exact:
                prob += pulp.lpSum(z[i, t, k] for k in levels) == s, f"one_level_{i}_{t}"
                prob += total == pulp.lpSum(k * z[i, t, k] for k in levels if k), f"workers_{i}_{t}"
            else:
                prob += total >= levels[0] * s, f"min_workers_{i}_{t}"
                prob += total <= levels[-1] * s, f"max_workers_{i}_{t}"
                steps = [inc[i, t, k] for k in levels[1:] if (i, t, k) in inc]
                if steps:
                    prob += pulp.lpSum(steps) <= total - levels[0] * s, f"increments_{i}_{t}"
                for k in levels[1:]:   # no increment without the station: keeps the relaxation as tight
                    if (i, t, k) in inc:  # as one binary per level
                        prob += inc[i, t, k] <= s, f"inc_open_{k}_{i}_{t}"
            if stf.min_certified > 0:
                prob += w[i, t, "junior"] + w[i, t, "intermediate"] >= stf.min_certified * s, f"min_cert_{i}_{t}"
            if p > 0:
                prob += tr[i, t] <= w[i, t, "uncertified"], f"train_{i}_{t}"

    # hires per county, year and grade: growth of the county's workforce plus replacement of
    # leavers; workers may move between townships of a county (one organisation deploys them)
    members: dict[int, list[int]] = {}
    for i, c in enumerate(inp.county):
        members.setdefault(int(c), []).append(i)
    for c, idx in members.items():
        for y, t in enumerate(years):
            stock = {g: pulp.lpSum(w[i, t, g] for i in idx) for g in G}
            if y == 0:
                prev = {g: float(sum(inp.w0[g][i] for i in idx)) for g in G}
                promoted = 0
            else:
                prev = {g: (1 - a) * pulp.lpSum(w[i, years[y - 1], g] for i in idx) for g in G}
                promoted = p * pulp.lpSum(tr[i, years[y - 1]] for i in idx) if p > 0 else 0
            for g in G:
                hire[c, t, g] = prob.add_variable(f"h{SHORT[g]}_c{c}_{t}", 0)
            prob += hire[c, t, "uncertified"] >= stock["uncertified"] - prev["uncertified"] + promoted, f"hire_u_c{c}_{t}"
            prob += hire[c, t, "junior"] >= stock["junior"] - prev["junior"] - promoted, f"hire_j_c{c}_{t}"
            prob += hire[c, t, "intermediate"] >= stock["intermediate"] - prev["intermediate"], f"hire_m_c{c}_{t}"
            hired = pulp.lpSum(hire[c, t, g] for g in G)
            if elastic_limits:
                hard_pool[c, t] = prob.add_variable(f"xpool_c{c}_{t}", 0)
                hired = hired - hard_pool[c, t]
            prob += hired <= wf.hiring_pool_per_county, f"pool_c{c}_{t}"

    model = Model(prob, st, w, tr, hire, z, levels, inp)

    for (c, t), slack in hard_pool.items():
        model.hard_slack["hiring_pool", c, t] = slack

    # spend per year
    for k, t in enumerate(years):
        opened = pulp.lpSum(st[i, t] - (st[i, years[k - 1]] if k > 0 else int(inp.existing[i])) for i in range(n))
        items = {
            "setup": costs.station_setup * opened,
            "running": costs.station_running * pulp.lpSum(st[i, t] for i in range(n)),
            "salary": pulp.lpSum(salary[g] * float(inp.wage[i]) * w[i, t, g] for i in range(n) for g in G),
            "training": costs.certification_training * pulp.lpSum(tr[i, t] for i in range(n)),
        }
        model.spend[t] = items
        if budgets and t in sc.budget:
            spent = pulp.lpSum(items.values())
            if elastic_limits:
                model.hard_slack["budget", t] = prob.add_variable(f"xbudget_{t}", 0)
                spent = spent - model.hard_slack["budget", t]
            prob += spent <= sc.budget[t], f"budget_{t}"

    # targets (elastic)
    n_towns = float(n)
    for name, year, key, req in required_targets(sc):
        slack = prob.add_variable(f"short_{name}_{key or 'all'}_{year}", 0)
        total = pulp.lpSum(w[i, year, g] for i in range(n) for g in G)
        # Counts of stations and workers are whole: a requirement of 762.03 workers is 763, so that
        # any shortfall is at least one whole worker and costs more than that worker would.
        if name == "coverage":
            rhs = _whole(req * n_towns)
            lhs, scale = pulp.lpSum(st[i, year] for i in range(n)), max(1.0, rhs)
        elif name == "certified_share":
            cert = pulp.lpSum(w[i, year, g] for i in range(n) for g in ("junior", "intermediate"))
            lhs, rhs, scale = cert - req * total, 0.0, max(1.0, req * n_towns * max(stf.min_workers, 1))
        elif name == "workers_per_1000_elderly":
            lhs, rhs = total, _whole(req * inp.elderly / 1000.0)
            scale = max(1.0, rhs)
        elif name == "workers_per_100_care_beds":
            lhs, rhs = total, _whole(req * inp.care_beds / 100.0)
            scale = max(1.0, rhs)
        elif name == "workers_total":
            lhs, rhs, scale = total, req, max(1.0, req)
        elif name == "workers_by_grade":
            lhs = pulp.lpSum(w[i, year, key] for i in range(n))
            rhs, scale = req, max(1.0, req)
        else:  # served_share of one group's client hours
            cls = f"g_{key}"
            lhs = pulp.lpSum(inp.served[i][k][cls] * z[i, year, k] for i in range(n) for k in levels
                             if inp.served[i][k][cls] > 0)
            rhs = req * float(inp.demand[cls].sum())
            scale = max(1.0, rhs)
        prob += lhs + slack >= rhs, f"target_{name}_{key or 'all'}_{year}"
        model.target_slack[name, year, key] = (slack, scale)

    model.spend_all = pulp.lpSum(e for items in model.spend.values() for e in items.values())
    if exact:
        model.service = pulp.lpSum(inp.value[i][k] * var for (i, t, k), var in z.items() if inp.value[i][k] > 0)
    else:
        model.service = (pulp.lpSum(inp.value[i][levels[0]] * st[i, t] for i in range(n) for t in years
                                    if inp.value[i][levels[0]] > 0)
                         + pulp.lpSum((inp.value[i][k] - inp.value[i][k - 1]) * var for (i, t, k), var in inc.items()))
    model.exact_levels = exact
    model.violation = pulp.lpSum(var / scale for var, scale in model.target_slack.values())
    model.limit_violation = pulp.lpSum(model.hard_slack.values())
    model.objective = objective
    return model


def penalty_weight(model: Model, sc: Scenario) -> float:
    """Weight of one unit of (relative) violation: more than the whole objective can ever be worth."""
    inp = model.inp
    if model.objective == "max_service":
        return 2.0 * sum(max(v.values(), default=0.0) for v in inp.value) * len(inp.years) + 1.0
    c = sc.costs
    top_salary = max(c.salary.uncertified, c.salary.junior, c.salary.intermediate) * float(inp.wage.max())
    per_year = len(inp.ids) * (c.station_setup + c.station_running
                               + sc.staffing.max_workers * (top_salary + c.certification_training))
    return 2.0 * per_year * len(inp.years) + 1.0


def set_objective(model: Model, sc: Scenario) -> float:
    """Put the scenario's objective, with the target penalty, on the problem; returns the penalty weight."""
    big = penalty_weight(model, sc)
    if model.objective == "max_service":
        model.prob.sense = pulp.LpMaximize
        model.prob.setObjective(model.service - EPS_COST * model.spend_all - big * model.violation)
    else:
        model.prob.sense = pulp.LpMinimize
        model.prob.setObjective(model.spend_all + big * model.violation)
    return big
