"""Townships' stations over the plan's years: their recipients' requests served by workers.

One continuous run per township (`simulate_horizon`), or per group of townships linked by
catchments (`simulate_group`): day 0 of the clock is `simulation.warmup_days` before 1 January
of the first year; the warm-up runs today's stations (their own townships' requests and their
workers; none without a station) and is not counted; then each year in turn, each 365 days.
Queues, cases in progress and their weekly sessions carry over from one year to the next; a
request belongs to the year it is made (a session to the year it is due). On each 1 January
the team becomes the plan's for that year: workers beyond it leave (not departures: the plan
chose it), missing ones are hired that day. In a year without a station a township's
recipients' requests are all unmet, unless another township's station serves it. The run goes
on past the last year until every request made in it has started or waited past its
standard; sessions due after the last year are not made. `simulate_township` is one year after
the warm-up, with the same team.

Catchments (`Run.served_by`, from the plan's `served_by`): in a year township j has no station
and the station of township i serves it, j's requests (intakes, visits, assessments, and the
sessions of cases taken on) join i's queue by group priority like i's own, each taking its
work plus the round trip i → j → i (`round_trip_hours`: region.travel's minutes both ways, as
model.workload.catchment_pairs' trip_hours), varying with the work as a household trip does.
A case's sessions stay at the station that took its intake. j's TownshipYear has its
residents' requests (hours: their work, trips left out); its station measures (workers,
utilisation, group activities, departures) are 0; i's utilisation counts the trips. A group is
one SimPy environment with one Station per township that has a station in some year; every
draw comes from the streams of its own township (arrivals, work, volunteers; a station's
leaving days and exam), and stations never touch each other's events, so a township's numbers
are the same whatever group it is simulated in.

A worker supplies `hours_per_worker × (1 − admin_share)` hours of work a year (the township's
administrative work taken out; travel is in each home visit's and assessment's work: the
township's round trip to a household, model.workload.travel_hours), on the scenario's working
calendar (`simulation.calendar`: Monday–Friday by default, the hours a day set so the year's
total is that figure; or "fluid", spread evenly over every day, where an hour of work occupies
a worker for 365 / that many days). The station's own work — group activities once every
365 / group_activities days, run by `group_activity_workers` workers, and overhead as a weekly
task — goes first; client requests follow by group priority. Case intakes need a certified
worker; sessions, visits and assessments any worker. Each kind of request has its standard
(`simulation.standards`, days): an intake, visit or assessment not started within its own is
unmet; after a case intake is done its sessions are requested one a week, and a session not
started within `session_days` of its due day is missed (unmet); the sessions of an intake that
went unmet count as unmet too.

Workforce within a year: each worker leaves at the yearly `attrition` rate (exponential
time to leaving, hazard −ln(1 − attrition) a year) and the post is filled again
`hiring_lag_days` later by a worker of the same grade; workers in certification training
sit the yearly exam on EXAM_DAY and pass with `exam_pass_rate`, certified from then on.

Work varies when the scenario says so (`simulation.work_cv`: a gamma factor of mean 1 on each
request's and each session's hours; `simulation.session_counts: poisson`: a Poisson number of
sessions per case), from streams of their own.

Volunteers (`volunteers`) make a share of the home visits — no worker time, no wait; the
recipient counts as reached — and cover a share of each group activity's hours; demand and
served hours are the workers'. Without a station there are no volunteers either.

Village points (村社工点, `Run.points`: the plan's points per year): in a year a township has
its own station and p > 0 points, each home visit left after the volunteers' is taken by the
points with the probability model.workload.point_shares gives its group for p points (a draw
per request from the stream "points", made only then, so a run without points draws what it
drew before). A point's visit never reaches the station's queue: no worker time, no wait. It
counts in the township's requests, demand, served requests and hours (its hours: the work of
the visit as the demand table has it, round trip to the household included, as the optimizer
counts the hours points take as the township's served hours), in its visits (`point_visits`
too) and its reach; not in the station queue's measures — client, started and on-time
requests, service level, waits, by kind — nor in utilisation. No points in the warm-up, in a
year the township is served by another's station or by none.

Every recipient request names its recipient (drawn uniformly from the group's persons), so
the year's unique clients reached and the reach rate per group can be counted, as can the
station output standard "三个3": at least 30 case clients, 3 group activities and 3 sessions
per case client in the year.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import partial

import numpy as np
import simpy

from model.inputs.scenario import Scenario
from model.simulate.demand import SESSION_SPACING_DAYS, YEAR_DAYS, DemandTable, township_arrivals
from model.simulate.station import Station, Worker, WorkingCalendar
from model.simulate.streams import Streams
from model.workload import KINDS, point_shares

STATION_PRIORITY = 100
"""Priority of the station's own work (above every group's 1–9)."""
EXAM_DAY = 170.0
"""Day of the national social work qualification exam (mid-June), when trainees may pass."""
STANDARD_333 = (30, 3, 3.0)
"""三个3: case clients, group activities, sessions per case client in a year (at least)."""
ACTIVITY, OVERHEAD, SESSION = 3, 4, 5
"""Kinds of request beyond demand.KINDS (0 intake, 1 visit, 2 assessment)."""
REQUEST_KINDS = dict(zip(KINDS, (0, 1, 2, SESSION)))
"""The recipients' kinds of request (model.workload.KINDS, each with its standard in
simulation.standards) and their codes here."""
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
    service_level: float = float("nan")  # share of client requests started within their standard
    case_clients: int = 0
    sessions_per_client: float = 0.0
    group_activities_held: int = 0
    standard_333: bool = False
    departures: int = 0
    passed_exam: int = 0
    volunteer_visits: int = 0
    point_visits: int = 0  # home visits the township's village points made (no wait, no queue)
    visits: int = 0  # home visits made, by workers, volunteers and village points
    client_requests: int = 0  # client requests that reached a worker: started or unmet
    started_requests: int = 0  # of those, started (waits are theirs)
    on_time_requests: int = 0  # of those, started within their standard
    clients_reached: int = 0  # distinct recipients served, all groups
    reached: dict[str, int] = field(default_factory=dict)  # group -> unique clients served
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Kind of request (REQUEST_KINDS) -> (client requests that reached a worker, of those
    started within the kind's standard)."""


def simulate_township(
    sc: Scenario,
    township: int,
    workers: int | Staffing,
    streams: Streams,
    max_wait_days: float | None = None,
    year: int = 0,
    dynamics: bool = True,
    tables: DemandTable | None = None,
    points: int = 0,
) -> TownshipYear:
    """Simulate one year of township `township` (row index) with `workers` at its station, after
    the scenario's warm-up with the same workers (:func:`simulate_horizon` for one year).

    `workers`: a Staffing, or an int (that many certified workers). `max_wait_days`: one
    standard for every kind of request instead of `simulation.standards`. `dynamics=False` turns
    off attrition and the exam (a fixed team all year). `tables`: the scenario's DemandTable, to
    build it once for many township-years. `points`: village points in the township that year
    (none in the warm-up).
    """
    staff = Staffing.of(workers)
    return simulate_horizon(
        sc,
        township,
        [(year, staff)],
        streams,
        before=staff,
        max_wait_days=max_wait_days,
        dynamics=dynamics,
        tables=tables,
        points=(points,),
    )[0]


@dataclass(frozen=True)
class Run:
    """One township of a group simulated together (:func:`simulate_group`): its row in the
    township table, its station's staffing per year ((year, Staffing), consecutive years), today's
    station (the warm-up's), per year the row of the township whose station serves it when it
    has none of its own (None: none; an empty tuple: never served by another) and per year its
    village points (in `years`' order; an empty tuple: none; they count only in a year it has
    its own station)."""

    township: int
    years: tuple[tuple[int, Staffing | int], ...]
    before: Staffing = Staffing()
    served_by: tuple[int | None, ...] = ()
    points: tuple[int, ...] = ()


def simulate_horizon(
    sc: Scenario,
    township: int,
    years: list[tuple[int, Staffing]],
    streams: Streams,
    before: Staffing | None = None,
    max_wait_days: float | None = None,
    dynamics: bool = True,
    tables: DemandTable | None = None,
    points: Sequence[int] = (),
) -> list[TownshipYear]:
    """Simulate township `township` (row index) over consecutive `years`, each with its staffing,
    in one run: queues, cases in progress and their sessions carry over from one year to the
    next. `before`: the station before the first year (today's workers), simulated for
    `simulation.warmup_days` and not counted (None or no workers: no warm-up demand, the station
    starts empty). `points`: its village points per year (empty: none). Returns one
    TownshipYear per year, in order.
    """
    run = Run(
        township,
        tuple(years),
        before if before is not None else Staffing(),
        points=tuple(int(p) for p in points),
    )
    return simulate_group(
        sc, [run], streams, max_wait_days=max_wait_days, dynamics=dynamics, tables=tables
    )[0]


def simulate_group(
    sc: Scenario,
    runs: Sequence[Run],
    streams: Streams,
    max_wait_days: float | None = None,
    dynamics: bool = True,
    tables: DemandTable | None = None,
) -> list[list[TownshipYear]]:
    """Simulate townships linked by catchments (`runs`, one per township, over the same years) in
    one run: one SimPy environment, one Station for each township with a station in some year
    (or today). In a year a township is served by another's station (Run.served_by), its
    requests go to that station's queue, each taking its work plus the round trip
    (:func:`round_trip_hours`); its measures stay its own, the station's workers carry the work.
    In a year it has its own station, its village points (Run.points) take a share of its home
    visits off the queue (see the module docstring).
    Each township's requests come from its own streams, so its draws do not depend on the group.
    Returns, per run in order, one TownshipYear per year.
    """
    # Python's cyclic garbage collector would walk the run's ~10^4 live requests again and again
    # (a third of the run time, measured); nothing here needs it until the run is done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with streams.scoped():
            return _simulate(
                sc,
                list(runs),
                streams,
                max_wait_days,
                dynamics,
                DemandTable.of(sc) if tables is None else tables,
            )
    finally:
        if enabled:
            gc.enable()


def round_trip_hours(sc: Scenario, station: int, township: int) -> float:
    """Hours of the round trip station → township → station (rows of the township table) from
    region.travel: what every request of `township` served from `station` adds to its work (as
    model.workload.catchment_pairs' trip_hours)."""
    if sc.travel is None:
        raise ValueError(
            "a township served by another township's station needs region.travel (travel minutes)"
        )
    minutes = float(sc.travel.iat[station, township]) + float(sc.travel.iat[township, station])
    if not math.isfinite(minutes):
        ids = sc.townships["township_id"].astype(str).tolist()
        raise ValueError(f"no travel time between {ids[station]} and {ids[township]}")
    return minutes / 60.0


@dataclass
class _Requests:
    """Requests known ahead for the whole run, as arrays in the order built (sorted later):
    `hours` their residents' work, `work` the hours a worker spends (round trip included);
    `origin` the township whose residents made them, `trip` its round trip from the station
    (hours, 0 at its own station)."""

    day: list = field(default_factory=list)
    group: list = field(default_factory=list)
    kind: list = field(default_factory=list)
    client: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    work: list = field(default_factory=list)
    follow_n: list = field(default_factory=list)
    follow_hours: list = field(default_factory=list)
    follow_work: list = field(default_factory=list)
    session_total: list = field(default_factory=list)
    origin: list = field(default_factory=list)
    trip: list = field(default_factory=list)
    scale: list = field(default_factory=list)

    def add(self, **columns) -> None:
        for name, values in columns.items():
            getattr(self, name).append(values)

    def arrays(self) -> dict[str, np.ndarray]:
        """Each column but `scale` as one array (whole numbers for group, kind, client,
        follow_n, origin)."""
        out = {
            f.name: np.concatenate(parts) if (parts := getattr(self, f.name)) else np.zeros(0)
            for f in fields(self)
            if f.name != "scale"
        }
        for name in ("group", "kind", "client", "follow_n", "origin"):
            out[name] = out[name].astype(int)
        return out


@dataclass
class _Site:
    """A station of the group's run and, once run, its requests' outcomes by row (arrays)."""

    township: int
    station: Station
    per_worker: float
    clock_per_hour: float
    req: dict[str, np.ndarray]
    patience: np.ndarray
    passed: list[int]
    rows: dict[str, np.ndarray] = field(default_factory=dict)
    fed_rows: dict[str, np.ndarray] = field(default_factory=dict)
    departed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # year index

    def of(self, township: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Its rows (all, and the fed ones) of the requests `township`'s residents made (the
        station's own work counts as its township's)."""
        every, fed = self.rows["origin"] == township, self.fed_rows["origin"] == township
        if every.all():
            return self.rows, self.fed_rows
        return (
            {name: values[every] for name, values in self.rows.items()},
            {name: values[fed] for name, values in self.fed_rows.items()},
        )


def _servers(
    run: Run, staffs: dict[int, list[Staffing]], labels: list[int], tables: DemandTable
) -> list[int | None]:
    """Per year, the row of the station serving the run's township: its own (a station with
    workers), the one it is served by (if that station has workers that year), or None."""
    j = run.township
    own = staffs[j]
    by = run.served_by or (None,) * len(own)
    if len(by) != len(own):
        raise ValueError("served_by needs one entry per year")
    out: list[int | None] = []
    for k, (year, s, staff) in enumerate(zip(labels, by, own)):
        if s is None:
            out.append(j if staff.total > 0 else None)
            continue
        name = tables.township_ids[j]
        if staff.total > 0:
            raise ValueError(f"township {name} has its own station in {year}: no other serves it")
        if s == j or s not in staffs:
            raise ValueError(
                f"township {name} is served by {tables.township_ids[s]} in {year}, "
                "which is not a station simulated with it"
            )
        out.append(s if staffs[s][k].total > 0 else None)  # no workers: it serves no one
    return out


def _points(run: Run, tables: DemandTable) -> list[int]:
    """The run's village points per year (0 where none)."""
    if not run.points:
        return [0] * len(run.years)
    if len(run.points) != len(run.years):
        raise ValueError("points needs one entry per year")
    if any(int(p) != p or p < 0 for p in run.points):
        name = tables.township_ids[run.township]
        raise ValueError(f"township {name}: points must be whole numbers >= 0, not {run.points}")
    return [int(p) for p in run.points]


def _simulate(
    sc: Scenario,
    runs: list[Run],
    streams: Streams,
    max_wait_days: float | None,
    dynamics: bool,
    tables: DemandTable,
) -> list[list[TownshipYear]]:
    if not runs:
        return []
    labels = [int(y) for y, _ in runs[0].years]
    if not labels or any(b != a + 1 for a, b in zip(labels, labels[1:])):
        raise ValueError("simulate_horizon needs consecutive years")
    if any([int(y) for y, _ in r.years] != labels for r in runs):
        raise ValueError("the townships of a group are simulated over the same years")
    rows = [r.township for r in runs]
    if len(set(rows)) != len(rows):
        raise ValueError("a township is simulated twice in one group")
    staffs = {r.township: [Staffing.of(w) for _, w in r.years] for r in runs}
    server = {r.township: _servers(r, staffs, labels, tables) for r in runs}
    points = {r.township: _points(r, tables) for r in runs}
    shares: dict[int, np.ndarray] = {}  # points in a township -> point_shares of every township
    tids = tables.township_ids
    standards = (
        sc.simulation.standards.by_kind() if max_wait_days is None else (float(max_wait_days),) * 4
    )
    patience_of_kind = np.array(standards[:3])  # intake, visit, assessment
    session_patience = standards[3]
    warm = float(sc.simulation.warmup_days)
    end = warm + YEAR_DAYS * len(labels)  # calendar day the last year ends (day 0: warm-up start)
    st = sc.station
    activity_hours = st.group_activity_hours * (1.0 - sc.volunteers.activity_share)
    # the warm-up runs today's stations, each serving its own township (no catchments before the
    # plan); a station for each township with one today or in some year
    before = {r.township: r.before for r in runs}
    warmed = {j: warm > 0 and before[j].total > 0 for j in rows}
    stations = [j for j in rows if warmed[j] or any(s.total > 0 for s in staffs[j])]
    trips = {
        (s, j): round_trip_hours(sc, s, j)
        for j in rows
        for s in sorted({s for s in server[j] if s is not None and s != j})
    }

    # the run's requests known ahead, segment by segment and township by township: the warm-up
    # (the end of the year before the first, with today's station), then each year, at the
    # station serving the township that year (none: its requests are unmet at once, and only
    # counted)
    fed = {i: _Requests() for i in stations}
    closed: dict[tuple[int, int], tuple[int, float]] = {}  # (township, year index): (requests,
    # hours) in a year it has no station and none serves it
    volunteers: dict[int, list[tuple[int, np.ndarray, np.ndarray]]] = {j: [] for j in rows}
    by_points: dict[int, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]] = {
        j: [] for j in rows
    }  # per township: (year index, group, client, hours) of the visits its points made
    for j in rows:
        tid = tids[j]
        segments: list[tuple[int, int, int | None]] = [(-1, labels[0] - 1, j)] if warmed[j] else []
        segments += [(k, y, server[j][k]) for k, y in enumerate(labels)]
        for k, year, s in segments:
            offset = warm + YEAR_DAYS * k if k >= 0 else warm - YEAR_DAYS
            arrivals = township_arrivals(sc, j, streams, year, tables)
            session_hours = tables.session_hours[arrivals.group]
            arrivals, n_sessions, scale, session_total, factor = _vary(
                sc, tables, arrivals, session_hours, streams, tid, year
            )
            keep = arrivals.day + offset >= 0.0  # the warm-up: the year's last warmup_days only
            if s is None:
                closed[j, k] = (
                    int(len(arrivals) + n_sessions.sum()),
                    float(arrivals.hours.sum() + session_total.sum()),
                )
                continue
            if sc.volunteers.visit_share > 0:
                draw = streams.get("volunteers", tid, str(year)).random(len(arrivals))
                by_volunteer = (arrivals.kind == 1) & (draw < sc.volunteers.visit_share)
                if k >= 0:
                    volunteers[j].append(
                        (k, arrivals.group[by_volunteer], arrivals.client[by_volunteer])
                    )
                keep &= ~by_volunteer
            p = points[j][k] if k >= 0 and s == j else 0
            if p > 0:  # its village points take visits left after the volunteers', no queue
                if p not in shares:
                    shares[p] = point_shares(sc, np.full(len(tids), p))
                draw = streams.get("points", tid, str(year)).random(len(arrivals))
                by_point = (arrivals.kind == 1) & keep & (draw < shares[p][j][arrivals.group])
                by_points[j].append(
                    (
                        k,
                        arrivals.group[by_point],
                        arrivals.client[by_point],
                        arrivals.hours[by_point],
                    )
                )
                keep &= ~by_point
            follow_hours = session_hours * (n_sessions > 0)
            trip = trips.get((s, j), 0.0)
            work, follow_work = arrivals.hours, follow_hours
            if trip > 0:  # the round trip, varying with the work as a household trip does
                work = arrivals.hours + trip * (1.0 if factor is None else factor)
                follow_work = (session_hours + trip) * (n_sessions > 0)
            n_keep = int(keep.sum())
            into = fed[s]
            into.add(
                day=arrivals.day[keep] + offset,
                group=arrivals.group[keep],
                kind=arrivals.kind[keep],
                client=arrivals.client[keep],
                hours=arrivals.hours[keep],
                work=work[keep],
                follow_n=n_sessions[keep],
                follow_hours=follow_hours[keep],
                follow_work=follow_work[keep],
                session_total=session_total[keep],
                origin=np.full(n_keep, j),
                trip=np.full(n_keep, trip),
            )
            into.scale += (
                [None] * n_keep
                if scale is None
                else [scale[i] for i in np.flatnonzero(keep).tolist()]
            )
            if s != j:
                continue
            # the station's own work: group activities and weekly overhead
            staff = before[j] if k < 0 else staffs[j][k]
            own_days: list[float] = []
            parallel = min(st.group_activity_workers, staff.total)
            if st.group_activities > 0 and activity_hours > 0:
                every = YEAR_DAYS / st.group_activities
                for i in range(1, st.group_activities + 1):
                    own_days += [min(i * every, YEAR_DAYS - 1e-6)] * parallel
            n_act = len(own_days)
            if st.overhead_hours > 0:
                own_days += [i * 7.0 - 1e-6 for i in range(1, 53)]
            days = np.array(own_days) + offset
            mine = days >= 0.0
            n_own = int(mine.sum())
            own_hours = np.array(
                [activity_hours] * n_act + [st.overhead_hours / 52.0] * (len(own_days) - n_act)
            )[mine]
            into.add(
                day=days[mine],
                group=np.full(n_own, -1),
                kind=np.array([ACTIVITY] * n_act + [OVERHEAD] * (len(own_days) - n_act))[mine],
                client=np.full(n_own, -1),
                hours=own_hours,
                work=own_hours,
                follow_n=np.zeros(n_own, dtype=int),
                follow_hours=np.zeros(n_own),
                follow_work=np.zeros(n_own),
                session_total=np.zeros(n_own),
                origin=np.full(n_own, j),
                trip=np.zeros(n_own),
            )
            into.scale += [None] * n_own

    env = simpy.Environment()
    wf = sc.workforce
    hazard = -math.log(1.0 - wf.attrition) / YEAR_DAYS if dynamics and 0 < wf.attrition < 1 else 0.0

    def open_station(i: int) -> _Site:
        """The station of township i: its team, the plan's staffing each 1 January, the exam,
        and its requests fed."""
        tid = tids[i]
        staffing = staffs[i]
        req = fed[i].arrays()
        order = np.argsort(req["day"], kind="stable")
        req = {name: values[order] for name, values in req.items()}
        scale = fed[i].scale
        scale_list = (
            [scale[r] for r in order.tolist()] if any(x is not None for x in scale) else None
        )
        mine = req["group"] >= 0
        patience = np.where(mine, patience_of_kind[np.clip(req["kind"], 0, 2)], np.inf)
        per_worker = float(tables.available[i])
        calendar = working_calendar(sc, per_worker, labels[0], warm)
        clock_per_hour = 1.0 / 24.0 if calendar is not None else YEAR_DAYS / per_worker
        rng_staff = streams.get("attrition", tid, "run")

        def leaving(now: float) -> float:
            return now + rng_staff.exponential(1.0 / hazard) if hazard > 0 else math.inf

        def team(staff: Staffing, now: float) -> list[Worker]:
            return [
                Worker(certified=True, leaves_at=leaving(now)) for _ in range(staff.certified)
            ] + [
                Worker(certified=False, leaves_at=leaving(now), in_training=j < staff.trained)
                for j in range(staff.uncertified)
            ]

        station = Station(
            env,
            team(before[i], 0.0) if warmed[i] else [],
            refill_days=float(wf.hiring_lag_days),
            on_leave=lambda w: Worker(
                certified=w.certified, leaves_at=leaving((w.left or 0.0) + wf.hiring_lag_days)
            ),
            calendar=calendar,
            follow_every=SESSION_SPACING_DAYS,
            horizon=end,
            follow_patience=session_patience,
        )

        def restaff(k: int) -> None:
            """1 January of year k: the plan's staffing — workers beyond it leave, missing ones
            are hired that day (no one is hired for a year without a station)."""
            target, now = staffing[k], warm + YEAR_DAYS * k
            current = [w for w in station.staff if w.left is None and w.replace] + station.pending
            for certified, want in ((True, target.certified), (False, target.uncertified)):
                have = [w for w in current if w.certified == certified]
                # called-off hires first, then the latest to join
                have.sort(key=lambda w: (w not in station.pending,))
                for w in have[: max(0, len(have) - want)]:
                    station.dismiss(w)
                for _ in range(want - len(have)):
                    station.hire(Worker(certified=certified, leaves_at=leaving(now)))
            trainees = [
                w
                for w in station.staff + station.pending
                if w.left is None and w.replace and not w.certified
            ]
            for j, w in enumerate(trainees):
                w.in_training = j < target.trained

        passed = [0] * len(labels)
        rng_exam = streams.get("exam", tid, "run")

        def exam(k: int) -> None:
            for w in station.staff:
                if w.in_training and w.left is None:
                    w.in_training = False
                    if rng_exam.random() < wf.exam_pass_rate:
                        w.certified = True
                        passed[k] += 1

        for k in range(len(labels)):
            station.at_day(warm + YEAR_DAYS * k, partial(restaff, k))
            if dynamics and wf.exam_pass_rate > 0 and staffing[k].trained:
                station.at_day(warm + YEAR_DAYS * k + EXAM_DAY, partial(exam, k))

        station.feed(
            req["day"],
            req["work"] * clock_per_hour,
            np.where(mine, tables.priority[np.maximum(req["group"], 0)], STATION_PRIORITY),
            hours=req["hours"],
            certified_only=req["kind"] == 0,
            renege=mine,
            follow_n=req["follow_n"],
            follow_work=req["follow_work"] * clock_per_hour,
            follow_hours=req["follow_hours"],
            follow_scale=scale_list,
            patience=patience,
        )
        return _Site(i, station, per_worker, clock_per_hour, req, patience, passed)

    sites = [open_station(i) for i in stations]
    # run past the last year until every request made in it has started or waited too long
    if sites:
        env.run(until=max(s.station.clock.work_time(end + max(standards) + 1.0) for s in sites))
    for site in sites:
        _outcomes(site, warm, session_patience)
    by_station = {site.township: site for site in sites}
    groups = list(tables.groups)
    out = []
    for j in rows:
        # its residents' requests at every station (a township served by none has no rows)
        parts = [site.of(j) for site in sites]
        mine_rows, mine_fed = (
            {name: np.concatenate([p[m][name] for p in parts]) for name in parts[0][m]}
            if parts
            else {}
            for m in (0, 1)
        )
        years = []
        for k, staff in enumerate(staffs[j]):
            if server[j][k] is None:
                years.append(_empty_year(tids[j], *closed[j, k], groups))
                continue
            own = by_station.get(j) if server[j][k] == j else None
            years.append(
                _year(
                    sc,
                    tables,
                    j,
                    k,
                    staff,
                    mine_rows,
                    mine_fed,
                    volunteers[j],
                    [v for v in by_points[j] if v[0] == k],
                    own,
                )
            )
        out.append(years)
    return out


def _outcomes(site: _Site, warm: float, session_patience: float) -> None:
    """What happened at the station, by request (site.rows; the fed ones, site.fed_rows):
    follow-ups (sessions) belong to their intake's township, group and client."""
    station, req = site.station, site.req
    t = station.table()
    station.close()
    n_fed = len(req["day"])
    parent = t["parent"][n_fed:]
    group = np.concatenate([req["group"], req["group"][parent]])
    trip = np.concatenate([req["trip"], req["trip"][parent]])
    hours = t["hours"]
    arrived = np.floor((t["day"] - warm) / YEAR_DAYS).astype(int)  # year index; < 0: warm-up
    mine = group >= 0
    served = t["started"]  # work is never interrupted: a request started is done
    began = served & mine
    waits = t["start_day"] - t["day"]
    wait_allowed = np.concatenate([site.patience, np.full(len(parent), session_patience)])
    unmet = t["unmet"] & mine
    site.rows = {
        "origin": np.concatenate([req["origin"], req["origin"][parent]]),
        "group": group,
        "client": np.concatenate([req["client"], req["client"][parent]]),
        "kind": np.concatenate([req["kind"], np.full(len(parent), SESSION)]),
        "hours": hours,
        # the workers' hours, round trips included
        "busy": np.where(trip > 0, t["work"] / site.clock_per_hour, hours),
        "arrived": arrived,
        "mine": mine,
        "served": served,
        "began": began,
        "unmet": unmet,
        "waits": waits,
        "on_time": began & (waits <= wait_allowed + 1e-9),
    }
    site.fed_rows = {
        "origin": req["origin"],
        "arrived": arrived[:n_fed],
        "lost": unmet[:n_fed] & (req["kind"] == 0),  # intakes unmet: their sessions never come
        "follow_n": req["follow_n"],
        "session_total": req["session_total"],
    }
    site.departed = np.floor((np.array(station.departure_days) - warm) / YEAR_DAYS).astype(int)


def _year(
    sc: Scenario,
    tables: DemandTable,
    township: int,
    k: int,
    staff: Staffing,
    rows: dict[str, np.ndarray],
    fed: dict[str, np.ndarray],
    volunteers: list[tuple[int, np.ndarray, np.ndarray]],
    points: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]],
    site: _Site | None,
) -> TownshipYear:
    """Year k of a township served by a station: the measures of its residents' requests
    (`rows`, `fed`: theirs at every station; `points`: (k, group, client, hours) of the visits
    its village points made that year, served without a queue) and, at its own station
    (`site`), the station's."""
    st = sc.station
    group, client, kind, hours = rows["group"], rows["client"], rows["kind"], rows["hours"]
    slots = np.maximum(1, tables.persons[township].astype(int))
    first = np.concatenate([[0], np.cumsum(slots)[:-1]])
    this = rows["arrived"] == k
    y_began, y_unmet = rows["began"] & this, rows["unmet"] & this
    y_lost = fed["lost"] & (fed["arrived"] == k)
    lost_n = int(fed["follow_n"][y_lost].sum())
    y_waits = rows["waits"][y_began]
    client_requests = int(y_began.sum()) + int(y_unmet.sum())
    on_time_all = rows["on_time"]
    on_time = int((on_time_all & this).sum())
    seen = np.zeros(int(slots.sum()), dtype=bool)
    seen[first[group[y_began]] + client[y_began]] = True
    for kv, vg, vc in volunteers:
        if kv == k:
            seen[first[vg] + vc] = True
    n_volunteer = sum(len(vg) for kv, vg, _ in volunteers if kv == k)
    for _, pg, pc, _ in points:
        seen[first[pg] + pc] = True
    n_point = sum(len(pg) for _, pg, _, _ in points)
    point_hours = float(sum(ph.sum() for _, _, _, ph in points))
    reached = np.add.reduceat(seen, first)
    intakes = y_began & (kind == 0)
    cases = len(np.unique(group[intakes] * CLIENTS + client[intakes]))
    sessions_done = int((y_began & (kind == SESSION)).sum())
    per_client = sessions_done / cases if cases else 0.0
    requested = this & rows["mine"]  # the recipients' requests made this year, sessions included
    demand_hours = float(hours[requested].sum() + fed["session_total"][y_lost].sum())
    demand_hours += point_hours
    utilisation, station_hours, held, departures, passed = 0.0, 0.0, 0, 0, 0
    if site is not None:  # its own station: the work of every request it served, round trips in
        at = site.rows
        now = at["arrived"] == k
        utilisation = float(at["busy"][at["served"] & now].sum()) / (staff.total * site.per_worker)
        station_hours = float(at["hours"][now & ~at["mine"]].sum())
        parallel = max(1, min(st.group_activity_workers, staff.total))
        held = int((at["served"] & now & (at["kind"] == ACTIVITY)).sum()) // parallel
        if (
            st.group_activity_hours * (1.0 - sc.volunteers.activity_share)
            <= 0
            < (st.group_activity_hours)
        ):
            held = st.group_activities  # volunteers ran them all
        departures = int((site.departed == k).sum())
        passed = site.passed[k]
    return TownshipYear(
        tables.township_ids[township],
        staff.total,
        int(requested.sum()) + lost_n + n_point,
        demand_hours,
        int(y_began.sum()) + n_point,
        float(hours[y_began].sum()) + point_hours,
        int(y_unmet.sum()) + lost_n,
        float(hours[y_unmet].sum() + fed["session_total"][y_lost].sum()),
        float(y_waits.mean()) if len(y_waits) else float("nan"),
        float(np.percentile(y_waits, 90)) if len(y_waits) else float("nan"),
        utilisation,
        station_hours,
        service_level=on_time / client_requests if client_requests else float("nan"),
        case_clients=cases,
        sessions_per_client=per_client,
        group_activities_held=held,
        standard_333=(
            cases >= STANDARD_333[0] and held >= STANDARD_333[1] and per_client >= STANDARD_333[2]
        ),
        departures=departures,
        passed_exam=passed,
        volunteer_visits=n_volunteer,
        point_visits=n_point,
        visits=int((y_began & (kind == 1)).sum()) + n_volunteer + n_point,
        client_requests=client_requests,
        started_requests=int(y_began.sum()),
        on_time_requests=on_time,
        clients_reached=int(reached.sum()),
        reached={g: int(reached[j]) for j, g in enumerate(tables.groups)},
        by_kind={
            name: (
                int(((y_began | y_unmet) & (kind == code)).sum()),
                int((on_time_all & this & (kind == code)).sum()),
            )
            for name, code in REQUEST_KINDS.items()
        },
    )


def _empty_year(tid: str, requests: int, hours: float, groups: list[str]) -> TownshipYear:
    """A year without a station: every request is unmet."""
    return TownshipYear(
        tid,
        0,
        requests,
        hours,
        0,
        0.0,
        requests,
        hours,
        float("nan"),
        float("nan"),
        0.0,
        0.0,
        reached={g: 0 for g in groups},
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
    altogether when work does not vary), the hours of each request's sessions in all and each
    request's factor (None when work does not vary).
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
        return arrivals, n_sessions, None, n_sessions * session_hours, None
    rng = streams.get("work", tid, str(year))
    shape = 1.0 / sim.work_cv**2  # gamma(k, 1/k): mean 1, coefficient of variation 1/sqrt(k)
    factor = rng.gamma(shape, 1.0 / shape, size=len(arrivals))
    hours = arrivals.hours * factor
    factors = rng.gamma(shape, 1.0 / shape, size=int(n_sessions.sum()))
    owner = np.repeat(np.arange(len(arrivals)), n_sessions)
    scale_sum = np.bincount(owner, weights=factors, minlength=len(arrivals))
    parts = np.split(factors, np.cumsum(n_sessions)[:-1]) if len(arrivals) else []
    scale = [part if n else None for part, n in zip(parts, n_sessions.tolist())]
    arrivals = type(arrivals)(
        arrivals.groups, arrivals.day, arrivals.group, arrivals.kind, arrivals.client, hours
    )
    return arrivals, n_sessions, scale, scale_sum * session_hours, factor


def working_calendar(
    sc: Scenario, hours_a_year: float, year: int, before_days: float = 0.0
) -> WorkingCalendar | None:
    """The scenario's working calendar for a worker with `hours_a_year` available (None: fluid
    time), its day 0 `before_days` before 1 January of `year`."""
    days = {"weekdays": 5, "six_days": 6}.get(sc.simulation.calendar)
    if days is None:
        return None
    first = (
        (dt.date(year, 1, 1) - dt.timedelta(days=int(before_days))).weekday()
        if 1900 <= year <= 9999
        else 0
    )
    return WorkingCalendar(
        hours_per_day=hours_a_year / (YEAR_DAYS * days / 7.0),
        days_per_week=days,
        first_weekday=first,
    )
