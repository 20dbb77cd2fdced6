"""One township's station for one year: its recipients' requests served by its workers.

The clock is in calendar days. A worker supplies `hours_per_worker × (1 − remoteness)` hours
of work a year, spread evenly over the year (a fluid calendar: weekends and holidays are in
that yearly figure), so an hour of work occupies a worker for 365 / that many days. The
station's own work — group activities once every 365 / group_activities days, run by
`group_activity_workers` workers, and overhead as a weekly task — goes first; client
requests follow by group priority. A request not started within `max_wait_days` is unmet.
After a case intake is done, its sessions are requested one a week (within the year); the
sessions of an intake that went unmet count as unmet too.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from model.scenario import Scenario
from model.simulate.demand import SESSION_SPACING_DAYS, YEAR_DAYS, township_arrivals
from model.simulate.station import Request, Station
from model.simulate.streams import Streams

STATION_PRIORITY = 100
"""Priority of the station's own work (above every group's 1–9)."""


@dataclass
class TownshipYear:
    """Outcome of one township-year: counts of requests, hours (work), waits (days), utilisation."""

    township_id: str
    workers: int
    requests: int
    demand_hours: float
    served_requests: int
    served_hours: float
    unmet_requests: int
    unmet_hours: float
    wait_mean_days: float
    wait_p90_days: float
    utilisation: float
    station_hours: float


def simulate_township(sc: Scenario, township: int, workers: int, streams: Streams,
                      max_wait_days: float | None = None, year: int = 0) -> TownshipYear:
    """Simulate one year of township `township` (row index) with `workers` workers at its station."""
    row = sc.townships.iloc[township]
    tid = str(row["township_id"])
    max_wait = sc.simulation.max_wait_days if max_wait_days is None else max_wait_days
    arrivals = township_arrivals(sc, township, streams, year)
    demand_hours = sum(a.hours + a.sessions * a.session_hours for a in arrivals)
    n_requests = sum(1 + a.sessions for a in arrivals)
    if workers <= 0:
        return TownshipYear(tid, 0, n_requests, demand_hours, 0, 0.0, n_requests, demand_hours,
                            float("nan"), float("nan"), 0.0, 0.0)
    per_worker = sc.staffing.hours_per_worker * (1.0 - float(row["remoteness"]))
    days_per_hour = YEAR_DAYS / per_worker
    env = simpy.Environment()
    station = Station(env, workers, max_wait_days=max_wait)
    hours_of: dict[int, float] = {}
    follow_ups: dict[int, tuple[int, float]] = {}      # intake -> (sessions, hours each)
    priority = {name: g.priority for name, g in sc.groups.items()}

    def submit(group: str, hours: float, on_done=None, sessions: tuple[int, float] = (0, 0.0)) -> None:
        req = Request(group, priority[group], hours * days_per_hour, on_done=on_done)
        hours_of[id(req)] = hours
        if sessions[0]:
            follow_ups[id(req)] = sessions
        station.submit(req)

    def sessions_after(a):
        def start(_req: Request) -> None:
            for k in range(1, a.sessions + 1):
                when = env.now + k * SESSION_SPACING_DAYS
                if when >= YEAR_DAYS:
                    break
                env.timeout(k * SESSION_SPACING_DAYS).callbacks.append(
                    lambda _e, g=a.group, h=a.session_hours: submit(g, h))
        return start

    def recipients():
        for a in arrivals:
            yield env.timeout(max(0.0, a.day - env.now))
            if a.kind == "intake" and a.sessions:
                submit(a.group, a.hours, sessions_after(a), (a.sessions, a.session_hours))
            else:
                submit(a.group, a.hours)

    st = sc.station
    own_hours = 0.0

    def own_work(every_days: float, hours: float, parallel: int):
        while env.now + every_days <= YEAR_DAYS + 1e-9:
            yield env.timeout(every_days)
            for _ in range(parallel):
                station.submit(Request("station", STATION_PRIORITY, hours * days_per_hour, renege=False))

    if st.group_activities > 0 and st.group_activity_hours > 0:
        every = YEAR_DAYS / st.group_activities
        env.process(own_work(every, st.group_activity_hours, min(st.group_activity_workers, workers)))
        own_hours += st.group_activities * st.group_activity_hours * min(st.group_activity_workers, workers)
    if st.overhead_hours > 0:
        env.process(own_work(7.0, st.overhead_hours / 52.0, 1))
        own_hours += st.overhead_hours
    env.process(recipients())
    env.run(until=YEAR_DAYS)
    station.close()
    clients = [r for r in station.log.requests if r.group != "station"]
    served = [r for r in clients if r.ended is not None]
    unmet = [r for r in clients if r.unmet]
    lost = [follow_ups[id(r)] for r in unmet if id(r) in follow_ups]   # sessions of cases never taken in
    outcome = {"served": len(served), "served_hours": sum(hours_of[id(r)] for r in served),
               "unmet": len(unmet) + sum(n for n, _ in lost),
               "unmet_hours": sum(hours_of[id(r)] for r in unmet) + sum(n * h for n, h in lost),
               "waits": [r.started - r.arrived for r in clients if r.started is not None]}
    # requests still waiting or in service at the year's end: not unmet, not served this year
    waits = np.array(outcome["waits"])
    return TownshipYear(
        tid, workers, n_requests, demand_hours, outcome["served"], outcome["served_hours"],
        outcome["unmet"], outcome["unmet_hours"],
        float(waits.mean()) if len(waits) else float("nan"),
        float(np.percentile(waits, 90)) if len(waits) else float("nan"),
        station.log.busy_days / (workers * YEAR_DAYS), own_hours)
