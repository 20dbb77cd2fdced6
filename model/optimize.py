"""Multi-year plan of stations and workers by grade: a MILP built with PuLP, solved by HiGHS or CBC.

For every township i and year t the model decides

    st[i,t]    station open (binary; once open stays open; existing stations fixed open)
    w[i,t,g]   workers of grade g in post (integer; g = uncertified u, junior j, intermediate m)
    tr[i,t]    uncertified workers trained toward the exam (integer); a share exam_pass_rate
               of them are junior from the next year
    z[i,t,k]   the station is open with exactly k workers (binary, one level per open station;
               on large models continuous increments y[i,t,k] instead, see `build`)

and for every county c and year t, hires h[c,t,g] from the county's pool (continuous:
expected replacements of leavers count too; workers may move within a county).

Service at a station with k workers is computed beforehand: its k × available hours, less the
station's fixed hours, go to client work by priority (highest first; equal priorities share in
proportion to demand). Choosing among these levels gives the tightest linear relaxation of the
integer staffing decision, which is what lets the solver prove small gaps quickly.

These are subject to the budget per year, staffing rules per open station (min/max workers,
min certified, none without a station), the hiring pool per county-year, carry-over of
workers less attrition, and the targets of the scenario. Targets are elastic: a shortfall
is allowed at a penalty larger than anything else is worth, so an unreachable target is
reported with its shortfall instead of a bare "infeasible". Budgets and hiring pools are
hard; when no plan fits them, `diagnose_limits` names the field and the least value.

Money in 万元 (10,000 yuan), time in hours/year. See docs/method.md for the formulation.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp

from model.errors import InputError
from model.scenario import Scenario
from model.solver import HighsSession, Infeasible, SolverError, solve_once  # noqa: F401 (SolverError: re-exported)
from model.workload import available_hours, client_hours, priority_fill, station_hours

log = logging.getLogger("stationplan.optimize")
G = ("uncertified", "junior", "intermediate")
SHORT = {"uncertified": "u", "junior": "j", "intermediate": "m"}
EPS_COST = 0.01
"""max_service: weighted hours given up per 万元 spent, so that ties go to the cheaper plan."""
RELAX_AND_FIX = 500
"""Township-years from which HiGHS solves go through relax_and_fix (LP bound, fix, small MILP)."""
SECOND_SOLVE = 50_000
"""Township-years above which a run does not add the least-budget solve (ask for it with objective=min_cost)."""
LEVEL_BINARIES = 40_000
"""Up to this many level binaries the model uses one per staffing level; above, concave increments."""


@dataclass
class Inputs:
    """Arrays the model is built from, in township-table order."""

    ids: list[str]
    county: np.ndarray            # county index per township
    counties: list[str]
    years: list[int]
    existing: np.ndarray          # has_station 0/1
    w0: dict[str, np.ndarray]     # existing workers by grade (certified counted as junior)
    wage: np.ndarray
    avail: np.ndarray             # hours per worker-year after travel
    fixed_hours: float            # station hours per open station-year
    classes: list[str]            # service classes
    weight: dict[str, float]      # priority weight per class
    demand: dict[str, np.ndarray]  # client hours/year per class and township
    class_groups: dict[str, list[str]]
    elderly: float
    care_beds: float
    levels: list[int]
    served: list[dict[int, dict[str, float]]]   # township -> staffing level -> class -> hours served
    value: list[dict[int, float]]               # township -> staffing level -> priority-weighted hours
    group_demand: dict[str, np.ndarray]         # client hours/year per group and township
    served_nominal: list[dict[int, dict[str, float]]] | None = None
    """As `served` at workload factor 1 (what the plan reports; `served` is what the model plans with)."""

    @classmethod
    def from_scenario(cls, sc: Scenario, workload_factor: np.ndarray | None = None) -> "Inputs":
        """`workload_factor` (per township, ≥ 1): worker hours needed per client hour there (default 1);
        the plan-simulation loop raises it where the simulated service level falls short."""
        t = sc.townships
        factor = np.ones(len(t)) if workload_factor is None else np.asarray(workload_factor, float)
        counties = list(dict.fromkeys(t["county"]))
        index = {c: k for k, c in enumerate(counties)}
        hours = client_hours(sc)
        named = set(sc.targets.served_share)
        class_groups: dict[str, list[str]] = {}
        weight: dict[str, float] = {}
        for g, spec in sc.groups.items():
            key = f"g_{g}" if g in named else f"p{spec.priority}"
            class_groups.setdefault(key, []).append(g)
            weight[key] = float(spec.priority)
        demand = {c: hours[gs].sum(axis=1).to_numpy(float) for c, gs in class_groups.items()}
        avail = available_hours(sc).to_numpy(float)
        fixed = station_hours(sc)
        levels = staffing_levels(sc)
        served, value, nominal = [], [], []
        for i in range(len(t)):
            need = {c: float(demand[c][i]) for c in class_groups}
            by_level = {k: priority_fill(need, weight, (k * avail[i] - fixed) / factor[i]) for k in levels}
            served.append(by_level)
            nominal.append(by_level if factor[i] == 1.0 else
                           {k: priority_fill(need, weight, k * avail[i] - fixed) for k in levels})
            value.append({k: sum(weight[c] * h for c, h in got.items()) for k, got in by_level.items()})
        return cls(
            ids=list(t["township_id"]), county=t["county"].map(index).to_numpy(), counties=counties,
            years=sc.years, existing=t["has_station"].to_numpy(int),
            w0={"uncertified": t["workers_uncertified"].to_numpy(float),
                "junior": t["workers_certified"].to_numpy(float),
                "intermediate": np.zeros(len(t))},
            wage=t["wage_index"].to_numpy(float), avail=avail, fixed_hours=fixed, classes=list(class_groups),
            weight=weight, demand=demand, class_groups=class_groups, elderly=float(t["elderly"].sum()),
            care_beds=float(t["care_beds"].sum()), levels=levels, served=served, value=value, served_nominal=nominal,
            group_demand={g: hours[g].to_numpy(float) for g in sc.groups})


def _whole(count: float) -> float:
    """The least whole number of stations or workers that reaches `count` (rounding noise aside)."""
    return float(math.ceil(count - 1e-9))


def _concave(value: dict[int, float], levels: list[int]) -> bool:
    """Whether the value of a station's extra workers never rises from one level to the next."""
    steps = [value[k] - value[k - 1] for k in levels[1:]]
    return all(b <= a + 1e-9 for a, b in zip(steps, steps[1:]))


def staffing_levels(sc: Scenario) -> list[int]:
    """Worker counts an open station may have: max(min_workers, min_certified) .. max_workers."""
    st = sc.staffing
    return list(range(max(st.min_workers, st.min_certified), st.max_workers + 1))


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


def required_targets(sc: Scenario) -> list[tuple[str, int, str | None, float]]:
    """(target, year, key, required) for every target the scenario names."""
    out = []
    tg = sc.targets
    for name in ("coverage", "certified_share", "workers_per_1000_elderly", "workers_per_100_care_beds",
                 "workers_total"):
        for year, req in getattr(tg, name).items():
            out.append((name, year, None, float(req)))
    for grade, years in tg.workers_by_grade.items():
        for year, req in years.items():
            out.append(("workers_by_grade", year, grade, float(req)))
    for group, years in tg.served_share.items():
        for year, req in years.items():
            out.append(("served_share", year, group, float(req)))
    return sorted(out, key=lambda r: (r[1], r[0], r[2] or ""))


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


def solve(model: Model, sc: Scenario, time_limit_s: float | None = None) -> dict[str, Any]:
    """Solve: targets first (elastic, at a weight above anything else), then the objective.

    max_service maximises priority-weighted served hours less EPS_COST per 万元 (ties go to the
    cheaper plan); min_cost minimises total spend. A shortfall of any target costs
    `penalty_weight` per unit of relative shortfall, so the solver meets every target it can
    before it looks at service or money. Models of RELAX_AND_FIX township-years and more go
    through `relax_and_fix` (HiGHS); smaller ones straight to the MILP solver.
    """
    prob = model.prob
    big = set_objective(model, sc)
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    if sc.solver.name == "highs" and len(model.inp.ids) * len(model.inp.years) >= RELAX_AND_FIX:
        info = relax_and_fix(model, sc, limit)
    else:
        info = solve_once(model.prob, sc, limit)
    info["objective_kind"] = model.objective
    info["penalty_weight"] = big
    info["service_weighted_hours"] = round(float(pulp.value(model.service) or 0.0), 3)
    info["spend_total"] = round(float(pulp.value(model.spend_all) or 0.0), 4)
    info["violation"] = round(float(pulp.value(model.violation) or 0.0), 9)
    info["variables"] = prob.numVariables()
    info["constraints"] = prob.numConstraints()
    info["integers"] = sum(1 for v in prob.variables() if v.cat == pulp.LpInteger)
    return info


def _township_of_columns(model: Model, n_cols: int) -> np.ndarray:
    """Township index of each column of a township's variables (-1 for the others)."""
    out = np.full(n_cols, -1, dtype=np.int64)
    for table in (model.st, model.w, model.tr, model.z):
        for key, var in table.items():
            out[var.index] = key[0]
    return out


def relax_and_fix(model: Model, sc: Scenario, time_limit_s: float) -> dict[str, Any]:
    """Solve a large model by relaxing, fixing and re-solving, with the relaxation as proof of the gap.

    1. The linear relaxation (at most 80% of the time limit). Its objective bounds every plan, and
       on these models it leaves only a handful of stations and workers fractional.
    2. Every integer variable of a township the relaxation left whole is fixed there; the MILP
       over the few townships with a fractional value (all their years) is small and quick. If
       it has no plan, all integer variables of their counties are freed too (hires couple a
       county's townships).
    3. If that plan is within `solver.gap` of the relaxation, it is the answer, proven by the
       relaxation's bound. Otherwise the full MILP starts from it for the time left.

    Returns the solver info for the manifest, with each stage's time and objective.
    """
    t0 = time.perf_counter()
    session = HighsSession(model.prob, sc)
    stages: list[dict[str, Any]] = []

    def left() -> float:
        return max(0.0, time_limit_s - (time.perf_counter() - t0))

    def note(stage: dict[str, Any]) -> None:
        stages.append(stage)
        log.info("relax and fix: %s", stage)

    def gap_of(objective: float, bound: float) -> float:
        return abs(bound - objective) / max(abs(objective), 1e-9)

    note({"stage": "pass model to HiGHS", "seconds": round(time.perf_counter() - t0, 3)})
    best: dict[str, Any] | None = None
    bound: float | None = None
    lp = session.relax(left() * 0.8)
    note({"stage": "linear relaxation", "seconds": round(lp["seconds"], 3), "status": lp["status"],
                   "objective": lp["objective"]})
    if lp.get("infeasible"):
        raise Infeasible(lp["status"])
    if lp["status"] == "Optimal":
        bound = lp["objective"]
        x = lp["x"]
        frac = [int(k) for k in session.integer if abs(x[k] - round(x[k])) > 1e-6]
        town = _township_of_columns(model, session.n)
        county = np.where(town >= 0, model.inp.county[np.maximum(town, 0)], -1)
        log.info("relax and fix: %d fractional integer values", len(frac))
        stages[-1]["fractional"] = len(frac)
        ints = session.integer
        tries = [("free the townships of fractional values", set(ints[np.isin(town[ints], town[frac])].tolist())),
                 ("free their counties", set(ints[np.isin(county[ints], county[frac])].tolist()))]
        for name, free in tries:
            fixed = {int(k): float(round(x[k])) for k in session.integer if int(k) not in free}
            sub = session.mip(min(left() / 2, time_limit_s / 4), gap=sc.solver.gap / 4, fixed=fixed)
            note({"stage": name, "seconds": round(sub["seconds"], 3), "status": sub["status"],
                           "free_integers": len(free), "objective": sub["objective"]})
            if sub["feasible"]:
                best = sub
                break
    proven = best is not None and bound is not None and gap_of(best["objective"], bound) <= sc.solver.gap
    # HiGHS needs a while to presolve the whole model; with less than a second (or a tenth of the
    # limit) left, the full MILP would only overrun the limit
    if not proven and (best is None or left() >= max(1.0, 0.1 * time_limit_s)):
        full = session.mip(max(left(), 0.1), start=best["x"] if best else None)
        note({"stage": "full MILP", "seconds": round(full["seconds"], 3), "status": full["status"],
                       "objective": full["objective"], "best_bound": full["best_bound"]})
        if full.get("infeasible"):
            raise Infeasible(full["status"])
        better = full["feasible"] and (best is None or session.sign * (full["objective"] - best["objective"]) <= 0)
        if better:
            best = full
        if bound is None or session.sign * (full["best_bound"] - bound) > 0:
            bound = full["best_bound"]
    if best is None:
        raise SolverError(f"highs found no plan within {time_limit_s} s; raise solver.time_limit_s or loosen solver.gap")
    session.write_back(best["x"])
    gap = gap_of(best["objective"], bound) if bound is not None else None
    status = "Optimal" if gap is not None and gap <= sc.solver.gap + 1e-12 else "Time limit reached"
    return {"solver": "highs", "status": status, "objective": best["objective"], "best_bound": bound, "gap": gap,
            "solve_s": round(time.perf_counter() - t0, 3), "time_limit_s": time_limit_s, "gap_limit": sc.solver.gap,
            "method": "relax and fix", "stages": stages}


def _val(x: Any) -> float:
    v = pulp.value(x) if not isinstance(x, (int, float)) else x
    return 0.0 if v is None else float(v)


def extract(model: Model, sc: Scenario) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The solved plan as tidy tables: plan (township × year), service (× group), hires (county × year × grade)."""
    inp = model.inp
    costs = sc.costs
    salary = costs.salary.by_grade()
    rows, service = [], []
    for i, tid in enumerate(inp.ids):
        prev_station = int(inp.existing[i])
        for t in inp.years:
            station = int(round(_val(model.st[i, t])))
            workers = {g: int(round(_val(model.w[i, t, g]))) for g in G}
            level = sum(workers.values())
            trained = int(round(_val(model.tr[i, t])))
            table = inp.served_nominal or inp.served
            by_class = table[i][level] if station and level in table[i] else {c: 0.0 for c in inp.classes}
            for c, groups in inp.class_groups.items():
                class_demand = float(inp.demand[c][i])
                for g in groups:
                    demand = float(inp.group_demand[g][i])
                    got = by_class[c] * demand / class_demand if class_demand > 0 else 0.0
                    service.append({"township_id": tid, "year": t, "group": g, "demand_hours": round(demand, 3),
                                    "served_hours": round(got, 3)})
            setup = costs.station_setup if station > prev_station else 0.0
            running = costs.station_running * station
            sal = sum(salary[g] * float(inp.wage[i]) * workers[g] for g in G)
            training = costs.certification_training * trained
            rows.append({"township_id": tid, "year": t, "station": station,
                         "workers_uncertified": workers["uncertified"], "workers_junior": workers["junior"],
                         "workers_intermediate": workers["intermediate"], "trained": trained,
                         "client_hours": round(sum(float(inp.demand[c][i]) for c in inp.classes), 3),
                         "served_hours": round(sum(by_class.values()), 3),
                         "spend_setup": round(setup, 4), "spend_running": round(running, 4),
                         "spend_salary": round(sal, 4), "spend_training": round(training, 4),
                         "spend": round(setup + running + sal + training, 4)})
            prev_station = station
    hires = pd.DataFrame([{"county": inp.counties[c], "year": t, "grade": g, "hires": round(_val(v), 4)}
                          for (c, t, g), v in model.hire.items()])
    return pd.DataFrame(rows), pd.DataFrame(service), hires


def diagnose_limits(sc: Scenario, inp: Inputs, time_limit_s: float | None = None) -> InputError:
    """Why no plan fits: the least budget or hiring-pool excess any plan needs, as an InputError."""
    model = build(sc, inp, objective="min_cost", elastic_limits=True)
    model.prob.sense = pulp.LpMinimize
    model.prob.setObjective(model.limit_violation)
    solve_once(model.prob, sc, time_limit_s)
    src = display_source(sc)
    for key, var in sorted(model.hard_slack.items(), key=lambda kv: -(kv[1].value() or 0.0)):
        used = float(var.value() or 0.0)
        if used <= 1e-6:
            continue
        if key[0] == "budget":
            year = key[1]
            return InputError(src, f"budget.{year}", f"at least {sc.budget[year] + used:,.2f} 万元: the stations that "
                              "must stay open (existing ones, and those opened before) cannot be run and minimally "
                              "staffed for less", sc.budget[year])
        county, year = inp.counties[key[1]], key[2]
        return InputError(src, "workforce.hiring_pool_per_county", f"at least {sc.workforce.hiring_pool_per_county + used:.2f} "
                          f"workers: county {county} must hire that many in {year} to keep its stations at the "
                          "minimum staff", sc.workforce.hiring_pool_per_county)
    return InputError(src, None, "", problem="no plan satisfies the staffing rules, budgets and hiring pools together")


def display_source(sc: Scenario) -> str:
    return sc.source_label + (" (with --set)" if sc.overrides else "")


def optimize(sc: Scenario, objective: str | None = None, budgets: bool = True,
             time_limit_s: float | None = None, estimate_gap: bool = True,
             workload_factor: np.ndarray | None = None) -> "PlanResult":
    """Plan stations and workers for `sc` (objective max_service or min_cost; see module docstring).

    When max_service leaves a target unmet and `estimate_gap` is set, a second, min_cost solve
    without budgets gives the least spend per year that meets the targets: `budget_gap`.
    `workload_factor`: see Inputs.from_scenario.
    """
    from model.plan import PlanResult

    t0 = time.perf_counter()
    inp = Inputs.from_scenario(sc, workload_factor)
    model = build(sc, inp, objective=objective, budgets=budgets)
    build_s = time.perf_counter() - t0
    try:
        info = solve(model, sc, time_limit_s)
    except Infeasible:
        raise diagnose_limits(sc, inp, time_limit_s) from None
    info["build_s"] = round(build_s, 3)
    plan, service, hires = extract(model, sc)
    result = PlanResult(sc, plan, service, hires, info)
    result.solver["budget_gap"] = "not needed"
    if estimate_gap and budgets:
        estimate_budget_gap(result, time_limit_s, workload_factor)
    return result


def estimate_budget_gap(result: "PlanResult", time_limit_s: float | None = None,
                        workload_factor: np.ndarray | None = None) -> None:
    """When `result` (a max_service plan) leaves a target unmet, attach the least budget that meets them."""
    sc = result.scenario
    result.solver["budget_gap"] = "not needed"
    if result.all_targets_met:
        return
    if result.solver.get("objective_kind", sc.objective) != "max_service":
        return
    if len(sc.townships) * sc.horizon.years > SECOND_SOLVE:
        # a national model takes minutes to relax; the least-budget solve is a run of its own
        result.solver["budget_gap"] = "skipped: model too large for a second solve in the same run"
        return
    result.solver["budget_gap"] = "estimated"
    # the least-money estimate is a second answer: it gets half the time of the plan itself
    limit = sc.solver.time_limit_s if time_limit_s is None else time_limit_s
    result.budget_gap = least_budget(sc, limit / 2, workload_factor).budget_gap


def least_budget(sc: Scenario, time_limit_s: float | None = None,
                 workload_factor: np.ndarray | None = None) -> "PlanResult":
    """The least spend per year that meets every target, budgets not binding (min_cost, no budget rows).

    `budget_gap` of the result: per year, the budget, the least spend, the extra money needed,
    and whether every target can be met at any money (hiring pools and staffing limits still bind).
    """
    result = optimize(sc, objective="min_cost", budgets=False, time_limit_s=time_limit_s, estimate_gap=False,
                      workload_factor=workload_factor)
    summary = result.summary.set_index("year")
    reachable = result.all_targets_met
    rows = []
    for year in sc.years:
        least = float(summary.loc[year, "spend_total"])
        budget = float(sc.budget[year]) if year in sc.budget else float("nan")
        rows.append({"year": year, "budget": budget, "least_cost_all_targets": round(least, 2),
                     "extra_needed": round(max(0.0, least - budget), 2) if budget == budget else float("nan"),
                     "all_targets_reachable": reachable})
    result.budget_gap = pd.DataFrame(rows)
    return result
