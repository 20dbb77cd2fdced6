"""A plan that fits every row, built before the solver starts: today's stations and workers
carried through the horizon, so that a time limit never means no plan.

Every station open today stays open with the workers it has today, by grade, in every year; a
station below the least staffing level or the least certified workers gets the missing workers
(certified first, then uncertified), one above the most keeps the most; with
staffing.stations_per_supervisor and no centres, each county's first stations with room get an
intermediate worker each until the county has its supervisors; no new station, no
trainee, no village point, no catchment. Those whole numbers are fixed and HiGHS finds the rest
(hires replacing the leavers, spend, the centres' supervisors, sector posts, target shortfalls)
as a MILP with only the county-level integers free, which presolve all but solves. The plan
exists when today's network can be run at all: the budgets pay for it and the hiring pools
replace its leavers (otherwise the scenario cannot keep its stations open, and
`diagnose_limits` says why). Its objective is a floor: the optimizer keeps it only when it finds
nothing better in its time.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from model.inputs.scenario import Scenario
from model.optimizer.centres import has_centres
from model.optimizer.formulation import Model
from model.optimizer.highs import HighsSession
from model.optimizer.inputs import county_members
from model.vocabulary import GRADES

log = logging.getLogger(__name__)


def today_values(model: Model, sc: Scenario) -> tuple[dict[Any, float], dict[Any, float]]:
    """The township-level integer variables of today's network carried through the horizon
    (module docstring), as {PuLP variable: value}: the network (stations, trainees, village
    points, catchments) and its staff (workers by grade, staffing levels)."""
    inp, levels = model.inp, model.levels
    least, most = levels[0], levels[-1]
    need_cert = sc.staffing.min_certified
    network: dict[Any, float] = {}
    values: dict[Any, float] = {}  # the staff
    staffs = []
    for i in range(len(inp.ids)):
        open_ = int(inp.existing[i]) == 1
        staff = {g: int(round(float(inp.w0[g][i]))) if open_ else 0 for g in GRADES}
        if open_:
            certified = staff["junior"] + staff["intermediate"]
            staff["junior"] += max(0, need_cert - certified)
            staff["uncertified"] += max(0, least - sum(staff.values()))
            over = sum(staff.values()) - most
            for g in GRADES:  # too many for the most: keep the most, the uncertified go first
                cut = min(over, staff[g]) if over > 0 else 0
                staff[g] -= cut
                over -= cut
        staffs.append(staff)
    per = sc.staffing.stations_per_supervisor
    if per > 0 and not has_centres(sc):  # a supervisor per `per` open stations, hired on top
        for idx in county_members(inp).values():
            stations = [i for i in idx if int(inp.existing[i]) == 1]
            short = -(-len(stations) // per) - sum(staffs[i]["intermediate"] for i in stations)
            for i in stations:
                if short <= 0:
                    break
                if sum(staffs[i].values()) < most:
                    staffs[i]["intermediate"] += 1
                    short -= 1
    for i, staff in enumerate(staffs):
        open_ = int(inp.existing[i]) == 1
        total = sum(staff.values())
        for t in inp.years:
            network[model.st[i, t]] = float(open_)
            for g in GRADES:
                values[model.w[i, t, g]] = float(staff[g])
            network[model.tr[i, t]] = 0.0
            for k in levels:
                if (i, t, k) in model.z:
                    values[model.z[i, t, k]] = float(open_ and k == total)
    for var in model.pt.values():
        network[var] = 0.0
    for var in model.catch.values():
        network[var] = 0.0
    return network, values


def today_start(model: Model, sc: Scenario, time_limit_s: float) -> list[float] | None:
    """Today's network carried through the horizon (module docstring) as a plan that fits every
    row of the model with its objective set: each column's value in the problem's order, or None
    when today's network cannot be run (budget, pools) or HiGHS found the rest in no time. The
    variables keep no values (write them back to use the plan)."""
    if sc.solver.name != "highs":
        return None
    t0 = time.perf_counter()
    session = HighsSession(model.prob, sc)
    network, staff = today_values(model, sc)
    fixed = {var.index: value for var, value in network.items()}
    both = fixed | {var.index: value for var, value in staff.items()}
    out = session.mip(max(0.5, time_limit_s / 2), fixed=both)
    log.info("start, today's staff: %s in %.1f s", out["status"], time.perf_counter() - t0)
    if out["feasible"]:
        return list(out["x"])
    # today's staff cannot all be kept (the pools cannot replace every leaver, or a county's
    # staff must shrink toward its stations' least): today's stations fixed, the staffing the
    # first that HiGHS finds to fit every row
    left = max(0.5, time_limit_s - (time.perf_counter() - t0))
    out = session.mip(left, fixed=fixed, any_plan=True)
    log.info("start, today's stations: %s in %.1f s", out["status"], time.perf_counter() - t0)
    return list(out["x"]) if out["feasible"] else None
