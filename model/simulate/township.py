"""One township's station for one year: its recipients' requests served by its workers.

The clock is in calendar days from 1 January. A worker supplies `hours_per_worker × (1 −
admin_share) × (1 − remoteness)` hours of work a year (the township's administrative work and
travel taken out), on the scenario's working calendar (`simulation.calendar`:
Monday–Friday by default, the hours a day set so the year's total is that figure; or
"fluid", spread evenly over every day, where an hour of work occupies a worker for 365 / that
many days). The
station's own work — group activities once every 365 / group_activities days, run by
`group_activity_workers` workers, and overhead as a weekly task — goes first; client
requests follow by group priority. Case intakes need a certified worker; sessions, visits
and assessments any worker. A request not started within `max_wait_days` is unmet. After a
case intake is done, its sessions are requested one a week (within the year); the sessions
of an intake that went unmet count as unmet too.

Workforce within the year: each worker leaves at the yearly `attrition` rate (exponential
time to leaving, hazard −ln(1 − attrition) a year) and the post is filled again
`hiring_lag_days` later by a worker of the same grade; workers in certification training
sit the yearly exam on EXAM_DAY and pass with `exam_pass_rate`, certified from then on.

Work varies when the scenario says so (`simulation.work_cv`: a gamma factor of mean 1 on each
request's and each session's hours; `simulation.session_counts: poisson`: a Poisson number of
sessions per case), from streams of their own.

Volunteers (`volunteers`) make a share of the home visits — no worker time, no wait; the
recipient counts as reached — and cover a share of each group activity's hours; demand and
served hours are the workers'. Without a station there are no volunteers either.

Every recipient request names its recipient (drawn uniformly from the group's persons), so
the year's unique clients reached and the reach rate per group can be counted, as can the
station output standard "三个3": at least 30 case clients, 3 group activities and 3 sessions
per case client in the year.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from dataclasses import dataclass, field

import numpy as np
import simpy

from model.inputs.scenario import Scenario
from model.simulate.demand import SESSION_SPACING_DAYS, YEAR_DAYS, DemandTable, township_arrivals
from model.simulate.station import Station, Worker, WorkingCalendar
from model.simulate.streams import Streams

STATION_PRIORITY = 100
"""Priority of the station's own work (above every group's 1–9)."""
EXAM_DAY = 170.0
"""Day of the national social work qualification exam (mid-June), when trainees may pass."""
STANDARD_333 = (30, 3, 3.0)
"""三个3: case clients, group activities, sessions per case client in a year (at least)."""
ACTIVITY, OVERHEAD, SESSION = 3, 4, 5
"""Kinds of request beyond demand.KINDS (0 intake, 1 visit, 2 assessment)."""
CLIENTS = 2**32
"""(group, client) pairs are coded group × CLIENTS + client."""


@dataclass(frozen=True)
class Staffing:
    """Workers a station starts the year with: uncertified, certified, and uncertified in
    training."""

    uncertified: int = 0
    certified: int = 0
    trained: int = 0

    @property
    def total(self) -> int:
        return self.uncertified + self.certified

    @classmethod
    def of(cls, workers: int | Staffing) -> Staffing:
        """An int is that many certified workers."""
        return workers if isinstance(workers, Staffing) else cls(certified=int(workers))


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
    service_level: float = float("nan")  # share of client requests started within max_wait_days
    case_clients: int = 0
    sessions_per_client: float = 0.0
    group_activities_held: int = 0
    standard_333: bool = False
    departures: int = 0
    passed_exam: int = 0
    volunteer_visits: int = 0
    visits: int = 0  # home visits made, by workers and volunteers
    client_requests: int = 0  # client requests that reached a worker: started or unmet
    started_requests: int = 0  # of those, started (waits are theirs)
    on_time_requests: int = 0  # of those, started within max_wait_days
    clients_reached: int = 0  # distinct recipients served, all groups
    reached: dict[str, int] = field(default_factory=dict)  # group -> unique clients served


def simulate_township(
    sc: Scenario,
    township: int,
    workers: int | Staffing,
    streams: Streams,
    max_wait_days: float | None = None,
    year: int = 0,
    dynamics: bool = True,
    tables: DemandTable | None = None,
) -> TownshipYear:
    """Simulate one year of township `township` (row index) with `workers` at its station.

    `workers`: a Staffing, or an int (that many certified workers). `dynamics=False` turns off
    attrition and the exam (a fixed team all year). `tables`: the scenario's DemandTable, to
    build it once for many township-years.
    """
    # Python's cyclic garbage collector would walk the year's ~10^4 live requests again and again
    # (a third of the run time, measured); nothing here needs it until the year is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with streams.scoped():
            return _simulate(
                sc,
                township,
                workers,
                streams,
                max_wait_days,
                year,
                dynamics,
                DemandTable.of(sc) if tables is None else tables,
            )
    finally:
        if enabled:
            gc.enable()


def _simulate(
    sc: Scenario,
    township: int,
    workers: int | Staffing,
    streams: Streams,
    max_wait_days: float | None,
    year: int,
    dynamics: bool,
    tables: DemandTable,
) -> TownshipYear:
    staffing = Staffing.of(workers)
    tid = tables.township_ids[township]
    max_wait = sc.simulation.standards.intake_days if max_wait_days is None else max_wait_days
    arrivals = township_arrivals(sc, township, streams, year, tables)
    session_hours = tables.session_hours[arrivals.group]
    arrivals, n_sessions, scale, session_total = _vary(
        sc, tables, arrivals, session_hours, streams, tid, year
    )
    if staffing.total <= 0:
        demand_hours = float(arrivals.hours.sum() + session_total.sum())
        n_requests = int(len(arrivals) + n_sessions.sum())
        return TownshipYear(
            tid,
            0,
            n_requests,
            demand_hours,
            0,
            0.0,
            n_requests,
            demand_hours,
            float("nan"),
            float("nan"),
            0.0,
            0.0,
            0.0,
            reached={g: 0 for g in sc.groups},
        )
    # the station's volunteers make a share of the home visits (no worker time, no wait)
    by_volunteer = np.zeros(len(arrivals), dtype=bool)
    if sc.volunteers.visit_share > 0:
        draw = streams.get("volunteers", tid, str(year)).random(len(arrivals))
        by_volunteer = (arrivals.kind == 1) & (draw < sc.volunteers.visit_share)
    volunteer_group, volunteer_client = arrivals.group[by_volunteer], arrivals.client[by_volunteer]
    keep = ~by_volunteer
    arrivals = type(arrivals)(
        arrivals.groups,
        *(getattr(arrivals, f)[keep] for f in ("day", "group", "kind", "client", "hours")),
    )
    n_sessions, session_hours, session_total = (
        n_sessions[keep],
        session_hours[keep],
        session_total[keep],
    )
    if scale is not None:
        scale = [scale[j] for j in np.flatnonzero(keep).tolist()]
    demand_hours = float(arrivals.hours.sum() + session_total.sum())
    n_requests = int(len(arrivals) + n_sessions.sum())
    per_worker = float(tables.available[township])
    calendar = working_calendar(sc, per_worker, year)
    clock_per_hour = (
        1.0 / 24.0 if calendar is not None else YEAR_DAYS / per_worker
    )  # working days per hour
    env = simpy.Environment()
    wf = sc.workforce
    hazard = -math.log(1.0 - wf.attrition) / YEAR_DAYS if dynamics and 0 < wf.attrition < 1 else 0.0
    rng_staff = streams.get("attrition", tid, str(year))

    def leaving(now: float) -> float:
        return now + rng_staff.exponential(1.0 / hazard) if hazard > 0 else math.inf

    team = [Worker(certified=True, leaves_at=leaving(0.0)) for _ in range(staffing.certified)] + [
        Worker(certified=False, leaves_at=leaving(0.0), in_training=k < staffing.trained)
        for k in range(staffing.uncertified)
    ]
    station = Station(
        env,
        team,
        max_wait_days=max_wait,
        refill_days=float(wf.hiring_lag_days),
        on_leave=lambda w: Worker(
            certified=w.certified, leaves_at=leaving((w.left or 0.0) + wf.hiring_lag_days)
        ),
        calendar=calendar,
        follow_every=SESSION_SPACING_DAYS,
        horizon=YEAR_DAYS,
    )
    passed = [0]
    if dynamics and staffing.trained and wf.exam_pass_rate > 0:
        rng_exam = streams.get("exam", tid, str(year))

        def exam() -> None:
            for w in station.staff:
                if w.in_training and w.left is None:
                    w.in_training = False
                    if rng_exam.random() < wf.exam_pass_rate:
                        w.certified = True
                        passed[0] += 1

        station.at_day(EXAM_DAY, exam)

    # the year's requests known ahead: the recipients' first requests, then the station's own work
    st = sc.station
    own_days: list[float] = []
    own_hours: list[float] = []
    own_kind: list[int] = []
    activity_hours = st.group_activity_hours * (
        1.0 - sc.volunteers.activity_share
    )  # volunteers cover the rest
    parallel = min(st.group_activity_workers, staffing.total)
    if st.group_activities > 0 and activity_hours > 0:
        every = YEAR_DAYS / st.group_activities
        for k in range(1, st.group_activities + 1):
            own_days += [min(k * every, YEAR_DAYS - 1e-6)] * parallel
        own_hours += [activity_hours] * (st.group_activities * parallel)
        own_kind += [ACTIVITY] * (st.group_activities * parallel)
    if st.overhead_hours > 0:
        own_days += [k * 7.0 - 1e-6 for k in range(1, 53)]
        own_hours += [st.overhead_hours / 52.0] * 52
        own_kind += [OVERHEAD] * 52
    n_own = len(own_days)
    priorities = tables.priority
    day = np.concatenate([arrivals.day, own_days])
    group = np.concatenate([arrivals.group, np.full(n_own, -1)])
    kind = np.concatenate([arrivals.kind, own_kind]).astype(int)
    client = np.concatenate([arrivals.client, np.full(n_own, -1)])
    hours = np.concatenate([arrivals.hours, own_hours])
    follow_n = np.concatenate([n_sessions, np.zeros(n_own, dtype=int)])
    follow_hours = np.concatenate([session_hours * (n_sessions > 0), np.zeros(n_own)])
    session_total = np.concatenate([session_total, np.zeros(n_own)])
    order = np.argsort(day, kind="stable")
    day, group, kind, client, hours, follow_n, follow_hours, session_total = (
        a[order] for a in (day, group, kind, client, hours, follow_n, follow_hours, session_total)
    )
    if scale is not None:
        scale = scale + [None] * n_own
        scale = [scale[j] for j in order.tolist()]
    mine = group >= 0
    station.feed(
        day,
        hours * clock_per_hour,
        np.where(mine, priorities[np.maximum(group, 0)], STATION_PRIORITY),
        hours=hours,
        certified_only=kind == 0,
        renege=mine,
        follow_n=follow_n,
        follow_work=follow_hours * clock_per_hour,
        follow_hours=follow_hours,
        follow_scale=scale,
    )
    env.run(until=station.clock.work_time(YEAR_DAYS))

    # what happened, by request: follow-ups (sessions) belong to their intake's group and client
    t = station.table()
    station.close()
    fed = len(day)
    parent = t["parent"][fed:]
    group = np.concatenate([group, group[parent]])
    client = np.concatenate([client, client[parent]])
    kind = np.concatenate([kind, np.full(len(parent), SESSION)])
    hours = t["hours"]
    mine = group >= 0
    served, began, unmet = t["served"], t["started"] & mine, t["unmet"] & mine
    waits = (t["start_day"] - t["day"])[began]
    on_time = int(began.sum()) if max_wait is None else int((waits <= max_wait + 1e-9).sum())
    done = served & mine
    lost = unmet & (kind == 0)  # intakes unmet: their sessions never come
    lost_n = int(t["follow_n"][lost].sum())
    n_unmet = int(unmet.sum()) + lost_n
    unmet_hours = float(
        hours[unmet].sum() + session_total[lost[:fed]].sum()
    )  # lost intakes are fed rows
    # unique recipients reached: one flag per person of each group (the clients are 0 … persons − 1)
    slots = np.maximum(1, tables.persons[township].astype(int))
    first = np.concatenate([[0], np.cumsum(slots)[:-1]])
    seen = np.zeros(int(slots.sum()), dtype=bool)
    seen[first[group[done]] + client[done]] = True
    seen[first[volunteer_group] + volunteer_client] = True
    reached = np.add.reduceat(seen, first)
    intakes = done & (kind == 0)
    cases = len(np.unique(group[intakes] * CLIENTS + client[intakes]))
    sessions_done = int((done & (kind == SESSION)).sum())
    activities = int((served & (kind == ACTIVITY)).sum())
    client_requests = int(began.sum()) + int(unmet.sum())
    held = activities // max(1, parallel)
    if activity_hours <= 0 < st.group_activity_hours:
        held = st.group_activities  # volunteers ran them all
    per_client = sessions_done / cases if cases else 0.0
    workers_total = staffing.total
    return TownshipYear(
        tid,
        workers_total,
        n_requests,
        demand_hours,
        int(done.sum()),
        float(hours[done].sum()),
        n_unmet,
        unmet_hours,
        float(waits.mean()) if len(waits) else float("nan"),
        float(np.percentile(waits, 90)) if len(waits) else float("nan"),
        float(hours[served].sum()) / (workers_total * per_worker),
        float(sum(own_hours)),
        service_level=on_time / client_requests if client_requests else float("nan"),
        case_clients=cases,
        sessions_per_client=per_client,
        group_activities_held=held,
        standard_333=(
            cases >= STANDARD_333[0] and held >= STANDARD_333[1] and per_client >= STANDARD_333[2]
        ),
        departures=station.departures,
        passed_exam=passed[0],
        volunteer_visits=len(volunteer_group),
        visits=int((done & (kind == 1)).sum()) + len(volunteer_group),
        client_requests=client_requests,
        started_requests=int(began.sum()),
        on_time_requests=on_time,
        clients_reached=int(reached.sum()),
        reached={g: int(reached[k]) for k, g in enumerate(arrivals.groups)},
    )


def _vary(
    sc: Scenario,
    tables: DemandTable,
    arrivals,
    session_hours: np.ndarray,
    streams: Streams,
    tid: str,
    year: int,
) -> tuple:
    """Work and sessions as the scenario makes them vary, drawn from streams of their own so the
    arrivals stay the same (`simulation.work_cv`: each request's hours and each session's are
    the group's hours times a gamma draw of mean 1 and that coefficient of variation;
    `simulation.session_counts`: a case's sessions, fixed or Poisson).

    Returns the arrivals (with their hours), sessions per request (intakes only), each
    request's session scales (a list of arrays, None for a request without sessions; None
    altogether when work does not vary) and the hours of each request's sessions in all.
    """
    sim = sc.simulation
    intake = arrivals.kind == 0
    n_sessions = tables.sessions[arrivals.group] * intake
    if sim.session_counts == "poisson":
        n_sessions = np.zeros(len(arrivals), dtype=int)
        n_sessions[intake] = streams.get("sessions", tid, str(year)).poisson(
            tables.sessions[arrivals.group[intake]]
        )
    if sim.work_cv <= 0:
        return arrivals, n_sessions, None, n_sessions * session_hours
    rng = streams.get("work", tid, str(year))
    shape = 1.0 / sim.work_cv**2  # gamma(k, 1/k): mean 1, coefficient of variation 1/sqrt(k)
    hours = arrivals.hours * rng.gamma(shape, 1.0 / shape, size=len(arrivals))
    factors = rng.gamma(shape, 1.0 / shape, size=int(n_sessions.sum()))
    owner = np.repeat(np.arange(len(arrivals)), n_sessions)
    scale_sum = np.bincount(owner, weights=factors, minlength=len(arrivals))
    parts = np.split(factors, np.cumsum(n_sessions)[:-1]) if len(arrivals) else []
    scale = [part if n else None for part, n in zip(parts, n_sessions.tolist())]
    arrivals = type(arrivals)(
        arrivals.groups, arrivals.day, arrivals.group, arrivals.kind, arrivals.client, hours
    )
    return arrivals, n_sessions, scale, scale_sum * session_hours


def working_calendar(sc: Scenario, hours_a_year: float, year: int) -> WorkingCalendar | None:
    """The scenario's working calendar for a worker with `hours_a_year` available (None: fluid
    time)."""
    days = {"weekdays": 5, "six_days": 6}.get(sc.simulation.calendar)
    if days is None:
        return None
    first = dt.date(year, 1, 1).weekday() if 1900 <= year <= 9999 else 0
    return WorkingCalendar(
        hours_per_day=hours_a_year / (YEAR_DAYS * days / 7.0),
        days_per_week=days,
        first_weekday=first,
    )
