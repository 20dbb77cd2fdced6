"""A station's workers serving requests by priority, in SimPy.

Time is in days of simulation clock. A request carries its group, priority (higher first),
work in days, and whether only a certified worker may do it (case intake). Each worker is a
SimPy process that takes the highest-priority waiting request it may do (first come, first
served within a priority) and works on it without interruption.

Requests are known ahead (`schedule`: a request that arrives on a given day) or arrive now
(`submit`). Scheduled requests wait in a calendar and join the queue lazily, when a worker
looks for work; only when workers are idle does an alarm wake one at the next arrival. So a
request costs one SimPy event (its work) while the station is busy, which is what keeps
year-long simulations of hundreds of stations fast.

With `max_wait_days`, a request still waiting that long is unmet: a worker drops it when it
reaches it (it never used any capacity, so this is the same as leaving the queue on time),
and `close()` counts those still queued at the end.

With a `WorkingCalendar`, work is done only in working hours (see there); without one, time
is fluid (a request occupies its worker for `work_days` of the clock).

Workers may leave (`Worker.leaves_at`, day): a worker leaves when it is next free after that
day, and its post is filled again `refill_days` later by a new worker of the same grade
(`on_leave` says when, and may draw the newcomer's own leaving day).
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import simpy

INF = float("inf")


@dataclass(slots=True, eq=False)
class Request:
    """One piece of work: a case intake or session, a home visit, an assessment (days of work)."""

    group: str
    priority: int
    work_days: float
    renege: bool = True                      # may go unmet after max_wait_days
    on_done: Callable[["Request"], None] | None = None
    certified_only: bool = False             # case intake: certified workers only
    client: int = -1                         # the recipient (index within its group), when known
    kind: str = ""                           # intake, session, visit, assessment, activity, overhead
    hours: float = 0.0                       # hours of work (work_days is the same on the clock)
    arrived: float = 0.0
    started: float | None = None
    ended: float | None = None
    unmet: bool = False


@dataclass(frozen=True)
class WorkingCalendar:
    """When workers work: `days_per_week` working days (Monday first), each a window of
    `hours_per_day` hours from `start_hour`. Day 0 of the clock is a `first_weekday` (0 = Monday).

    With a calendar, a request's work is its `hours`, done only inside windows: work left at a
    window's end goes on at the next one, and a worker who picks up work outside the windows
    starts at the next opening.
    """

    hours_per_day: float
    days_per_week: int = 5
    start_hour: float = 8.5
    first_weekday: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.hours_per_day <= 24 - self.start_hour or not 1 <= self.days_per_week <= 7:
            raise ValueError("a working day must fit in the day and a week must have 1-7 working days")
        # day fractions, precomputed: these run once or twice per request
        object.__setattr__(self, "_open", self.start_hour / 24.0)
        object.__setattr__(self, "_length", self.hours_per_day / 24.0)

    def next_open(self, t: float) -> float:
        """The earliest time ≥ t inside a working window (days)."""
        day = int(t // 1)
        while True:
            if (day + self.first_weekday) % 7 < self.days_per_week:
                start = day + self._open
                if t < start + self._length:
                    return start if t < start else t
            day += 1

    def finish(self, t: float, hours: float) -> float:
        """When `hours` of work started at time t (days) are done, working only inside windows."""
        t = self.next_open(t)
        left = hours / 24.0
        while True:
            end = int(t // 1) + self._open + self._length
            if t + left <= end + 1e-12:
                return t + left
            left -= end - t
            t = self.next_open(end + 1e-9)


@dataclass(slots=True, eq=False)
class Worker:
    """A worker in post: certified or not, and the day they leave (inf: stays)."""

    certified: bool = True
    leaves_at: float = INF
    in_training: bool = False
    busy_days: float = 0.0
    left: float | None = None


@dataclass
class StationLog:
    """What happened at one station."""

    requests: list[Request] = field(default_factory=list)
    busy_days: float = 0.0
    busy_hours: float = 0.0
    departures: int = 0
    arrivals_of_staff: int = 0

    def waits(self) -> np.ndarray:
        """Waits (days) of the requests that started."""
        return np.array([r.started - r.arrived for r in self.requests if r.started is not None])


class Station:
    """Workers of one station serving requests by priority; certified-only intake; optional reneging."""

    def __init__(self, env: simpy.Environment, workers: int | list[Worker], max_wait_days: float | None = None,
                 refill_days: float | None = None, on_leave: Callable[[Worker], Worker | None] | None = None,
                 calendar: WorkingCalendar | None = None) -> None:
        staff = [Worker() for _ in range(workers)] if isinstance(workers, int) else list(workers)
        if not staff:
            raise ValueError("a station needs at least one worker")
        self.env = env
        self.calendar = calendar
        self.max_wait = max_wait_days
        self.refill_days = refill_days
        self.on_leave = on_leave
        self.log = StationLog()
        self._any: list[tuple] = []            # waiting requests any worker may do
        self._cert: list[tuple] = []           # waiting requests only a certified worker may do
        self._calendar: list[tuple] = []       # requests scheduled for later: (day, seq, request)
        self._feed_days: list[float] = []      # requests known ahead, in time order (see feed)
        self._feed: list[Request] = []
        self._pos = 0
        self._seq = itertools.count()
        self._idle: list[tuple[Worker, simpy.Event]] = []
        self._alarm_at = INF
        self.staff: list[Worker] = []
        for w in staff:
            self.hire(w)

    @property
    def workers(self) -> int:
        """Workers in post now."""
        return sum(1 for w in self.staff if w.left is None)

    # requests -------------------------------------------------------------------------------
    def submit(self, request: Request) -> None:
        """Queue a request now; an idle worker who may do it takes it at once."""
        request.arrived = self.env.now
        self._enqueue(request)
        self._dispatch()

    def schedule(self, request: Request, day: float) -> None:
        """A request that arrives on `day` (≥ now): it joins the queue then."""
        heapq.heappush(self._calendar, (day, next(self._seq), request))
        if self._idle and day < self._alarm_at:
            self._set_alarm(day)

    def feed(self, days: list[float], requests: list[Request]) -> None:
        """Requests known ahead, arriving on `days` (ascending, ≥ now): a year's recipients at once.

        Cheaper than `schedule` for each (no heap); may be called once, before the run."""
        if self._pos < len(self._feed):
            raise RuntimeError("feed() may be called once per station")
        self._feed_days[:], self._feed[:], self._pos = days, requests, 0
        if self._idle and self._feed_days and self._feed_days[0] < self._alarm_at:
            self._set_alarm(self._feed_days[0])

    def _next_day(self) -> float:
        """Day of the next request not yet in the queue (inf: none)."""
        a = self._feed_days[self._pos] if self._pos < len(self._feed_days) else INF
        return min(a, self._calendar[0][0]) if self._calendar else a

    def _enqueue(self, request: Request) -> None:
        self.log.requests.append(request)
        heap = self._cert if request.certified_only else self._any
        heapq.heappush(heap, (-request.priority, request.arrived, next(self._seq), request))

    def _release(self) -> None:
        """Move every scheduled or fed request whose day has come into the queue."""
        now, cal = self.env.now, self._calendar
        while cal and cal[0][0] <= now:
            day, _, request = heapq.heappop(cal)
            request.arrived = day
            self._enqueue(request)
        days, pos = self._feed_days, self._pos
        while pos < len(days) and days[pos] <= now:
            request = self._feed[pos]
            request.arrived = days[pos]
            self._enqueue(request)
            pos += 1
        self._pos = pos

    def _expired(self, request: Request) -> bool:
        return (request.renege and self.max_wait is not None
                and self.env.now - request.arrived > self.max_wait + 1e-12)

    # idle workers and the alarm ----------------------------------------------------------------
    def _set_alarm(self, day: float) -> None:
        self._alarm_at = day
        alarm = self.env.timeout(max(0.0, day - self.env.now))
        alarm.callbacks.append(lambda _e, at=day: self._ring(at))

    def _ring(self, at: float) -> None:
        if at != self._alarm_at:
            return                                  # a later alarm replaced this one
        self._alarm_at = INF
        self._release()
        self._dispatch()
        if self._idle:
            day = self._next_day()
            if day < INF:
                self._set_alarm(day)

    def _dispatch(self) -> None:
        """Wake idle workers while there is waiting work they may do."""
        if not self._idle:
            return
        now = self.env.now
        want_any = len(self._any)
        want_cert = len(self._cert)
        keep = []
        for worker, wake in self._idle:
            if worker.leaves_at <= now:
                wake.succeed()                      # it left while idle: its process ends
            elif want_cert and worker.certified:
                want_cert -= 1
                wake.succeed()
            elif want_any:
                want_any -= 1
                wake.succeed()
            else:
                keep.append((worker, wake))
        self._idle = keep

    # workers --------------------------------------------------------------------------------
    def hire(self, worker: Worker, delay: float = 0.0) -> None:
        """Put a worker in post now, or after `delay` days."""
        def start(_e=None) -> None:
            self.staff.append(worker)
            self.log.arrivals_of_staff += 1
            self.env.process(self._work(worker))
        if delay <= 0:
            start()
        else:
            self.env.timeout(delay).callbacks.append(start)

    def _leave(self, worker: Worker, day: float) -> None:
        """The worker left on `day` (≤ now); the post is filled again refill_days after."""
        worker.left = day
        self.log.departures += 1
        if self.refill_days is None:
            return
        newcomer = self.on_leave(worker) if self.on_leave else Worker(certified=worker.certified)
        if newcomer is not None:
            self.hire(newcomer, delay=max(0.0, day + self.refill_days - self.env.now))

    def _work(self, worker: Worker):  # SimPy process
        # The loop below releases due requests (as _release does) and takes the best one this
        # worker may do, dropping expired ones on the way, with local names: it runs once per
        # request, and the calls and attribute look-ups were a third of a year's run time.
        env = self.env
        heappop, heappush, seq = heapq.heappop, heapq.heappush, self._seq
        any_q, cert_q, calendar = self._any, self._cert, self._calendar
        feed_days, feed, log = self._feed_days, self._feed, self.log
        max_wait, calendar_ = self.max_wait, self.calendar
        while True:
            now = env.now
            if now >= worker.leaves_at:
                self._leave(worker, now)
                return
            if calendar_ is not None:
                opening = calendar_.next_open(now)
                if opening > now + 1e-12:           # out of hours: back at the next opening
                    yield env.timeout(opening - now)
                    continue
            pos = self._pos
            if pos < len(feed_days) and feed_days[pos] <= now:
                end = len(feed_days)
                while pos < end and feed_days[pos] <= now:
                    request = feed[pos]
                    request.arrived = day = feed_days[pos]
                    log.requests.append(request)
                    heappush(cert_q if request.certified_only else any_q, (-request.priority, day, next(seq), request))
                    pos += 1
                self._pos = pos
            if calendar and calendar[0][0] <= now:
                self._release()
            if max_wait is not None:
                oldest = now - max_wait - 1e-12
                while any_q and any_q[0][1] < oldest and any_q[0][3].renege:
                    heappop(any_q)[3].unmet = True
                if worker.certified:
                    while cert_q and cert_q[0][1] < oldest and cert_q[0][3].renege:
                        heappop(cert_q)[3].unmet = True
            if worker.certified and cert_q and (not any_q or cert_q[0] < any_q[0]):
                request = heappop(cert_q)[3]
            elif any_q:
                request = heappop(any_q)[3]
            else:
                wake = env.event()
                self._idle.append((worker, wake))
                day = self._next_day()
                if day < self._alarm_at:
                    self._set_alarm(day)
                yield wake
                if env.now >= worker.leaves_at:   # it left while idle, on its leaving day
                    self._leave(worker, worker.leaves_at)
                    return
                continue
            request.started = now
            if calendar_ is None:
                yield env.timeout(request.work_days)
            else:                                   # work inside the windows only
                yield env.timeout(calendar_.finish(now, request.hours) - now)
            request.ended = env.now
            worker.busy_days += request.work_days
            log.busy_days += request.work_days
            log.busy_hours += request.hours
            if request.on_done is not None:
                request.on_done(request)

    def close(self) -> None:
        """At the end of the run: requests still queued longer than max_wait_days are unmet."""
        self._release()
        for heap in (self._any, self._cert):
            for _, _, _, request in heap:
                if self._expired(request):
                    request.unmet = True
