"""County guidance centres (县级社会工作指导中心) in the MILP: the level above the stations.

With `centre.mode` existing or planned, each county c and year t has

- `ce[c, t]` (0/1): the county's centre is open (existing: 1 in every year; planned: chosen,
  and once open it stays open; a county with a station today opens it in the first year, as its
  stations need it);
- `sup[c, t]` (whole): its supervisors, intermediate grade, between min_supervisors and
  max_supervisors while it is open, 0 otherwise.

Rows, per county and year:

- `centre_load_c{c}_{t}`: hours_per_worker × sup ≥ Σ_i∈c centre_hours_i × st[i, t]: every open
  station of the county takes supervision_hours of supervision and its complex cases' referral
  hours (model.workload.centre_hours), so a station needs its county's centre;
- `centre_train_c{c}_{t}` (when the exam is used): the county's trainees ≤
  trainees_per_supervisor × sup (the centre prepares uncertified workers for the exam);
- `centre_open_c{c}_{t}` (planned): ce[c, t] ≥ ce[c, t − 1].

Supervisors are the county's intermediate workers beyond the stations: they are in the county's
staff balance and pools (formulation.add_hiring), in the region's worker targets
(`model.extra_workers`), and their salary is intermediate salary × the county's mean wage_index.
Costs go to the cells ("centre", setup | running | salary, c, t). With centres, stations do not
supervise one another: staffing.stations_per_supervisor is not applied (the centre does it).
Today's centres (mode existing) have min_supervisors in post at the start (an assumption: the
township table holds no centre staff).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pulp

from model.inputs.scenario import Scenario
from model.optimizer.inputs import county_members
from model.optimizer.solution import value_of
from model.workload import centre_hours

if TYPE_CHECKING:
    from model.optimizer.formulation import Model


def has_centres(sc: Scenario) -> bool:
    """Whether the scenario plans county guidance centres."""
    return sc.centre.mode != "none"


def centre_staff_today(sc: Scenario, counties: int) -> np.ndarray:
    """Supervisors in post at the start in each county: min_supervisors where centres exist
    today (mode existing), else 0."""
    start = sc.centre.min_supervisors if sc.centre.mode == "existing" else 0
    return np.full(counties, float(start))


def add_centre_variables(model: Model, sc: Scenario) -> None:
    """`ce[c, t]` and `sup[c, t]` for every county and year (only with centres)."""
    if not has_centres(sc):
        return
    prob, c, inp = model.prob, sc.centre, model.inp
    hours = centre_hours(sc).to_numpy(float)
    for k, idx in county_members(inp).items():
        # a county with a station today needs its centre from the first year (centre_load)
        needed = any(inp.existing[i] == 1 and hours[i] > 0 for i in idx)
        for t in inp.years:
            ce = prob.add_variable(f"ce_c{k}_{t}", 0, 1, cat=pulp.LpInteger)
            if c.mode == "existing" or needed:
                ce.lowBound = 1
            model.ce[k, t] = ce
            model.sup[k, t] = prob.add_variable(
                f"sup_c{k}_{t}", 0, c.max_supervisors, cat=pulp.LpInteger
            )


def add_centres(model: Model, sc: Scenario) -> None:
    """The centres' rows and cost cells (see the module's docstring)."""
    if not has_centres(sc):
        return
    prob, inp, c = model.prob, model.inp, sc.centre
    hours = centre_hours(sc).to_numpy(float)
    per_worker = sc.staffing.hours_per_worker
    salary = sc.costs.salary.intermediate
    exam = sc.workforce.exam_pass_rate > 0
    for k, idx in county_members(inp).items():
        wage = float(inp.wage[idx].mean())
        for y, t in enumerate(inp.years):
            ce, sup = model.ce[k, t], model.sup[k, t]
            prob += sup >= c.min_supervisors * ce, f"centre_least_c{k}_{t}"
            prob += sup <= c.max_supervisors * ce, f"centre_most_c{k}_{t}"
            if y > 0:
                prob += ce >= model.ce[k, inp.years[y - 1]], f"centre_open_c{k}_{t}"
            load = pulp.lpSum(float(hours[i]) * model.st[i, t] for i in idx if hours[i] > 0)
            prob += per_worker * sup >= load, f"centre_load_c{k}_{t}"
            if exam:
                trainees = pulp.lpSum(model.tr[i, t] for i in idx)
                prob += trainees <= c.trainees_per_supervisor * sup, f"centre_train_c{k}_{t}"
            before: Any = model.ce[k, inp.years[y - 1]] if y > 0 else int(c.mode == "existing")
            model.cost["centre", "setup", k, t] = c.setup * (ce - before)
            model.cost["centre", "running", k, t] = c.running * ce
            model.cost["centre", "salary", k, t] = salary * wage * sup
            model.extra_workers.setdefault((t, "intermediate"), []).append(sup)


def extract_centres(model: Model, sc: Scenario) -> pd.DataFrame | None:
    """centres.csv: per county and year, the centre (0/1), its supervisors, the stations it
    supervises, its load and capacity (hours/year), the county's trainees, the worker columns
    (supervisors are intermediate) and its spend by category (万元). None without centres."""
    if not has_centres(sc):
        return None
    inp, c = model.inp, sc.centre
    hours = centre_hours(sc).to_numpy(float)
    salary = sc.costs.salary.intermediate
    rows = []
    for k, idx in county_members(inp).items():
        wage = float(inp.wage[idx].mean())
        before = int(c.mode == "existing")
        for t in inp.years:
            ce = int(round(value_of(model.ce[k, t])))
            sup = int(round(value_of(model.sup[k, t])))
            open_ = [i for i in idx if round(value_of(model.st[i, t])) == 1]
            rows.append(
                {
                    "county": inp.counties[k],
                    "year": t,
                    "centre": ce,
                    "supervisors": sup,
                    "stations": len(open_),
                    "load_hours": round(float(sum(hours[i] for i in open_)), 3),
                    "capacity_hours": round(sc.staffing.hours_per_worker * sup, 3),
                    "trainees": int(sum(round(value_of(model.tr[i, t])) for i in idx)),
                    "workers_uncertified": 0,
                    "workers_junior": 0,
                    "workers_intermediate": sup,
                    "spend_setup": round(c.setup * max(0, ce - before), 4),
                    "spend_running": round(c.running * ce, 4),
                    "spend_salary": round(salary * wage * sup, 4),
                }
            )
            before = ce
    return pd.DataFrame(rows)
