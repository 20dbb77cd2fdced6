"""County guidance centres in the simulation: the supervisors' year of supervision visits and of
complex cases referred by the county's stations (centre.mode existing or planned).

Per county, year and replication, a centre with the plan's supervisors (SimPy, the same
`Station` and working calendar as a township station; each supervisor works
staffing.hours_per_worker hours a year, all of them on the centre's work):

- supervision: every open station of the county gets a visit each month, of
  centre.supervision_hours / 12 hours, due within the visit standard (simulation.standards);
- referrals: each open station refers complex cases as a Poisson stream of
  centre.referral_share × its township's new cases a year (a thinning of its case intakes,
  which arrive as a Poisson stream: model.simulate.demand), each of centre.referral_hours
  (spread by simulation.work_cv as a gamma with that coefficient of variation), to be started
  within the intake standard; referrals come first (priority), then supervision.

Each year starts empty (no backlog from the year before). Draws come from the scenario's seed
(model.simulate.streams, keyed by county and year), so a replication is the same whatever else
changes. The optimizer plans a centre's hours as their sum (model.optimizer.centres); the
simulation says how many referrals start on time with that many supervisors.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import simpy

from model.inputs.scenario import Scenario
from model.simulate.demand import YEAR_DAYS
from model.simulate.station import Station
from model.simulate.streams import Streams
from model.simulate.township import working_calendar
from model.workload import new_cases

MONTH_DAYS = YEAR_DAYS / 12.0


def simulate_centre_year(
    sc: Scenario, county: str, year: int, supervisors: int, cases: list[float], replication: int
) -> dict[str, float]:
    """One centre-year: `supervisors` working, `cases` the new cases a year of each open station
    of the county. Returns referrals made and started on time, supervision visits and those
    done on time, the supervisors' hours used and available (hours/year)."""
    c, std = sc.centre, sc.simulation.standards
    per_worker = sc.staffing.hours_per_worker
    streams = Streams(sc.simulation.seed, replication)
    rng = streams.get("centre", str(county), str(year))
    visit_hours = c.supervision_hours / 12.0
    days, work_h, prio, patience = [], [], [], []
    for _ in range(len(cases)):  # a monthly visit to each open station, at a random day
        offset = rng.uniform(0.0, MONTH_DAYS)
        for m in range(12):
            if visit_hours > 0:
                days.append(offset + m * MONTH_DAYS)
                work_h.append(visit_hours)
                prio.append(1)
                patience.append(std.visit_days)
    rate = c.referral_share * float(sum(cases)) / YEAR_DAYS  # referrals a calendar day
    referrals = int(rng.poisson(rate * YEAR_DAYS)) if rate > 0 and c.referral_hours > 0 else 0
    cv = sc.simulation.work_cv
    for day in np.sort(rng.uniform(0.0, YEAR_DAYS, size=referrals)):
        hours = (
            c.referral_hours if cv <= 0 else float(rng.gamma(1 / cv**2, c.referral_hours * cv**2))
        )
        days.append(float(day))
        work_h.append(hours)
        prio.append(2)
        patience.append(std.intake_days)
    out = {
        "referrals": float(referrals),
        "referrals_on_time": 0.0,
        "visits": float(len(days) - referrals),
        "visits_on_time": 0.0,
        "hours_used": 0.0,
        "hours_available": float(per_worker * supervisors),
    }
    if not days or supervisors <= 0:
        return out
    order = np.argsort(days, kind="stable")
    day = np.asarray(days)[order]
    hours_arr = np.asarray(work_h)[order]
    calendar = working_calendar(sc, per_worker, year)
    clock_per_hour = 1.0 / 24.0 if calendar is not None else YEAR_DAYS / per_worker
    env = simpy.Environment()
    centre = Station(env, supervisors, calendar=calendar)
    centre.feed(
        day,
        hours_arr * clock_per_hour,
        np.asarray(prio, dtype=int)[order],
        hours=hours_arr,
        renege=np.ones(len(day), dtype=bool),
        patience=np.asarray(patience, dtype=float)[order],
    )
    env.run(until=centre.clock.work_time(YEAR_DAYS + max(std.visit_days, std.intake_days) + 1.0))
    t = centre.table()
    on_time = ~np.isnan(t["start_day"])  # a request not started within its standard is dropped
    is_referral = np.asarray(prio, dtype=int)[order] == 2
    out["referrals_on_time"] = float((on_time & is_referral).sum())
    out["visits_on_time"] = float((on_time & ~is_referral).sum())
    out["hours_used"] = float(hours_arr[~np.isnan(t["start_day"])].sum())
    return out


def simulate_centres(
    sc: Scenario, plan: pd.DataFrame, centres: pd.DataFrame, replications: int | None = None
) -> pd.DataFrame:
    """centre_simulation.csv: per county and year with a centre, the mean over replications of
    referrals, the share started on time (with its 95% interval), supervision visits and the
    share done on time, and the supervisors' utilisation (hours used / hours available)."""
    n = sc.simulation.replications if replications is None else int(replications)
    t = sc.townships
    cases = dict(zip(t["township_id"].astype(str), new_cases(sc).to_numpy(float)))
    county_of = dict(zip(t["township_id"].astype(str), t["county"].astype(str)))
    p = plan.assign(township_id=plan["township_id"].astype(str))
    p = p[p["station"] == 1].assign(county=lambda d: d["township_id"].map(county_of))
    rows = []
    for r in centres.itertuples():
        if int(r.centre) != 1:
            continue
        county, year = str(r.county), int(r.year)
        stations = p[(p["county"] == county) & (p["year"] == year)]["township_id"]
        load = [cases[tid] for tid in stations]
        runs = [
            simulate_centre_year(sc, county, year, int(r.supervisors), load, k) for k in range(n)
        ]
        share = np.array(
            [x["referrals_on_time"] / x["referrals"] if x["referrals"] else 1.0 for x in runs]
        )
        half = 1.96 * share.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
        rows.append(
            {
                "county": county,
                "year": year,
                "supervisors": int(r.supervisors),
                "stations": len(load),
                "referrals": round(float(np.mean([x["referrals"] for x in runs])), 3),
                "referral_on_time_share": round(float(share.mean()), 4),
                "referral_on_time_low": round(float(max(0.0, share.mean() - half)), 4),
                "referral_on_time_high": round(float(min(1.0, share.mean() + half)), 4),
                "visits": round(float(np.mean([x["visits"] for x in runs])), 3),
                "visit_on_time_share": round(
                    float(
                        np.mean(
                            [
                                x["visits_on_time"] / x["visits"] if x["visits"] else 1.0
                                for x in runs
                            ]
                        )
                    ),
                    4,
                ),
                "utilisation": round(
                    float(
                        np.mean(
                            [
                                x["hours_used"] / x["hours_available"]
                                if x["hours_available"]
                                else 0.0
                                for x in runs
                            ]
                        )
                    ),
                    4,
                ),
            }
        )
    return pd.DataFrame(rows)
