"""A station's workers serving requests by priority, in SimPy.

Requests are rows of a table the station holds (ids 0, 1, …; Python lists for what the running
model reads, numpy arrays for the rest): arrival day, priority (higher first), work, hours,
whether only a certified worker may do it (case intake), its deadline, and follow-ups (a
case's sessions). Each worker takes the highest-priority waiting request it may do (first
come, first served within a priority) and works on it without interruption. A worker's day is
a chain of SimPy timeouts, one per request, whose callback takes the next request when one
ends — the way SimPy's own resources are built, with event callbacks; an idle worker is
handed work as soon as some arrives. Waiting requests sit in one first-come-first-served queue
per priority (and one for the certified-only requests of that priority).

The clock. SimPy's clock runs in *working time*: the open hours of the station's working
calendar laid end to end (in days of 24 h; without a calendar, working time is calendar time
and time is fluid). A request's work is then one timeout of its length, with no arithmetic over
evenings and weekends while the model runs; the calendar maps calendar days to working time
(arrivals, deadlines, leaving days, the exam) and back (when a request started and ended).
Work left at a window's end goes on at the next opening; a request that arrives out of hours
is taken, at the earliest, at the next opening.

Requests known ahead (`feed`: a year's recipients at once, as arrays) wait in arrival order and
join the queue lazily, when a worker looks for work; only when workers are idle does an alarm
wake one at the next arrival. So a request costs one SimPy event (its work) while the station is
busy, which keeps year-long simulations of hundreds of stations fast. `schedule` and `submit`
add single requests (later, or now).

Each request has a patience (calendar days): one not started that long after it arrived is
unmet — a worker drops it when it reaches it (it never used any capacity, so this is the same
as leaving the queue on time); `table()` counts the ones still queued at the end. `feed` takes
each request's patience (`patience`, e.g. the standard of its kind); `max_wait_days` is the
station's default, and `follow_patience` that of follow-ups.

Follow-ups: a request with `follow_n` > 0 asks for that many more, one every `follow_every`
days after it ends (within `horizon`), each of `follow_work` (times its own scale, when the
sessions of a case differ in length) — a case's weekly sessions. They are added when the
request starts, since its end is known then (work is never interrupted).

Workers may leave (`Worker.leaves_at`, calendar day): a worker leaves when it is next free
after that day, and its post is filled again `refill_days` later by a new worker of the same
grade (`on_leave` says who, and may draw the newcomer's own leaving day). `dismiss` takes a
worker out of post for good (a smaller team planned): no one fills the post, and it is not
counted among the departures. A station may start with no workers and `hire` them later.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import simpy
from simpy.events import Timeout

INF = math.inf
RECORD = ("hours", "certified_only", "follow_work", "follow_hours", "parent")
"""Columns of the request table not read while the model runs: hours of work (for the record),
whether only a certified worker may do it (the queue it joins says so while running),
follow-ups' work on the clock and hours, the request followed (-1: none)."""
TOLERANCE = 1e-9
"""Days: how close two times must be to count as the same (deadlines, window edges)."""


class FluidTime:
    """No calendar: working time is calendar time (days)."""

    def work_time(self, day):
        """Working time (days) at calendar `day` (a float or an array)."""
        return day

    def start_day(self, w):
        """Calendar day at which work begins at working time `w` (float or array)."""
        return w

    def end_day(self, w):
        """Calendar day at which work that ends at working time `w` ends (float or array)."""
        return w

    def deadline(self, day):
        """Latest working time at which a start is still on or before calendar `day`."""
        return day + TOLERANCE

    @property
    def week(self) -> float:
        """Working time (days) in 7 calendar days."""
        return 7.0


@dataclass(frozen=True)
class WorkingCalendar:
    """When workers work: `days_per_week` working days (Monday first), each a window of
    `hours_per_day` hours from `start_hour`. Day 0 of the clock is a `first_weekday` (0 = Monday).

    Working time (days) is the open time elapsed since day 0: 1 January's first window ends at
    working time hours_per_day / 24, and so on. `work_time` maps calendar days to working time
    and `start_day` / `end_day` map back; all take floats or numpy arrays.
    """

    hours_per_day: float
    days_per_week: int = 5
    start_hour: float = 8.5
    first_weekday: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.hours_per_day <= 24 - self.start_hour or not 1 <= self.days_per_week <= 7:
            raise ValueError(
                "a working day must fit in the day and a week must have 1-7 working days"
            )
        working = [(self.first_weekday + r) % 7 < self.days_per_week for r in range(7)]
        before = [sum(working[:r]) for r in range(7)]  # working days before offset r
        offsets = [r for r in range(7) if working[r]]  # offsets of the working days
        set_ = object.__setattr__
        set_(self, "_open", self.start_hour / 24.0)
        set_(self, "_length", self.hours_per_day / 24.0)
        set_(self, "_working", tuple(working))  # tuples for single values,
        set_(self, "_before", tuple(float(b) for b in before))  # arrays for numpy arrays
        set_(self, "_offsets", tuple(float(o) for o in offsets))
        set_(
            self,
            "_arrays",
            (np.array(working), np.array(before, dtype=float), np.array(offsets, dtype=float)),
        )

    @property
    def week(self) -> float:
        """Working time (days) in 7 calendar days."""
        return self.days_per_week * self._length  # type: ignore[attr-defined]

    # Each mapping has a plain-Python path for one value (they run once per case during the
    # simulation) and a numpy path for arrays (a year's arrivals at once); the same arithmetic.
    def work_time(self, day):
        """Working time (days) at calendar `day` (≥ 0; float or array)."""
        # whole working days before, plus the part of today's window gone by; counted in days of
        # work first so that every out-of-hours time between two windows maps to the very same float
        if isinstance(day, (float, int)):
            whole = math.floor(day)
            weeks, r = divmod(whole, 7)
            done = (
                min(max((day - whole - self._open) / self._length, 0.0), 1.0)
                if self._working[r]
                else 0.0
            )
            return (weeks * self.days_per_week + self._before[r] + done) * self._length
        working, before, _ = self._arrays
        t = np.asarray(day, dtype=float)
        whole = np.floor(t)
        weeks, r = np.divmod(whole, 7.0)
        r = r.astype(int)
        done = np.where(working[r], np.clip((t - whole - self._open) / self._length, 0.0, 1.0), 0.0)
        return (weeks * self.days_per_week + before[r] + done) * self._length

    def start_day(self, w):
        """Calendar day at which work begins at working time `w`: at a window's end, the next
        opening."""
        if isinstance(w, (float, int)):
            return self._calendar(w, math.floor(w / self._length + TOLERANCE))
        w = np.asarray(w, dtype=float)
        return self._calendar(w, np.floor(w / self._length + TOLERANCE))

    def end_day(self, w):
        """Calendar day at which work ending at working time `w` ends: at a window's end, that
        end."""
        if isinstance(w, (float, int)):  # _calendar's arithmetic, inline (once per case;
            k = (
                math.ceil(w / self._length - TOLERANCE) - 1
            )  # comparisons instead of max(), twice as fast)
            if k < 0:
                k = 0
            weeks, r = divmod(k, self.days_per_week)
            into = w - k * self._length
            return weeks * 7.0 + self._offsets[r] + self._open + (into if into > 0.0 else 0.0)
        w = np.asarray(w, dtype=float)
        return self._calendar(w, np.maximum(np.ceil(w / self._length - TOLERANCE) - 1.0, 0.0))

    def _calendar(self, w, k):
        """Calendar day of working time w inside the k-th working day (k counted from 0)."""
        if isinstance(k, int):
            weeks, r = divmod(k, self.days_per_week)
            return weeks * 7.0 + self._offsets[r] + self._open + max(0.0, w - k * self._length)
        weeks, r = np.divmod(k, float(self.days_per_week))
        return (
            weeks * 7.0
            + self._arrays[2][r.astype(int)]
            + self._open
            + np.maximum(0.0, w - k * self._length)
        )

    def deadline(self, day):
        """Latest working time at which a start is still on or before calendar `day`: a start at
        the working time of an out-of-hours day is at the next opening, after that day."""
        if isinstance(day, (float, int)):  # work_time's arithmetic, inline (once per case)
            whole = math.floor(day)
            weeks, r = divmod(whole, 7)
            done, inside = 0.0, False
            if self._working[r]:
                frac = day - whole
                done = (frac - self._open) / self._length
                done = 0.0 if done < 0.0 else (1.0 if done > 1.0 else done)
                inside = self._open <= frac < self._open + self._length
            return (weeks * self.days_per_week + self._before[r] + done) * self._length + (
                TOLERANCE if inside else -TOLERANCE
            )
        t = np.asarray(day, dtype=float)
        frac = t - np.floor(t)
        inside = (
            self._arrays[0][np.mod(np.floor(t), 7.0).astype(int)]
            & (frac >= self._open)
            & (frac < self._open + self._length)
        )
        return self.work_time(t) + np.where(inside, TOLERANCE, -TOLERANCE)


@dataclass(slots=True, eq=False)
class Worker:
    """A worker in post: certified or not, and the calendar day they leave (inf: stays)."""

    certified: bool = True
    leaves_at: float = INF
    in_training: bool = False
    left: float | None = None  # calendar day they left
    replace: bool = True  # False: dismissed (the post is not filled again, not a departure)
    cancelled: bool = False  # a hire that was called off before the worker started
    _leave_w: float = INF  # leaves_at in working time (set by the station)
    _free: Callable | None = None  # the station's callback when their current request is done
    _until: float = 0.0  # working time their current request ends (SimPy's now, then)


class Station:
    """Workers of one station serving requests by priority; certified-only intake; optional
    reneging."""

    def __init__(
        self,
        env: simpy.Environment,
        workers: int | list[Worker],
        max_wait_days: float | None = None,
        refill_days: float | None = None,
        on_leave: Callable[[Worker], Worker | None] | None = None,
        calendar: WorkingCalendar | None = None,
        follow_every: float = 7.0,
        horizon: float = INF,
        follow_patience: float | None = None,
    ) -> None:
        staff = [Worker() for _ in range(workers)] if isinstance(workers, int) else list(workers)
        self.env = env
        self.clock = calendar if calendar is not None else FluidTime()
        self.max_wait = max_wait_days
        self.follow_patience = max_wait_days if follow_patience is None else follow_patience
        self.refill_days = refill_days
        self.on_leave = on_leave
        self.follow_every = follow_every
        if follow_every <= 0 or (calendar is not None and follow_every % 7 != 0):
            raise ValueError(
                "follow-ups come a whole number of weeks apart with a calendar (it repeats weekly)"
            )
        self.horizon = horizon
        self.departures = 0
        self.departure_days: list[float] = []  # calendar day of each departure
        self.arrivals_of_staff = 0
        self.pending: list[Worker] = []  # hired for a later day, not yet in post
        # The request table; a request's id is its row. The worker loop reads full-length lists:
        self.day: list[float] = []  # arrival, calendar day
        self.deadline: list[float] = []  # working time after which it is unmet (inf: never)
        self.work: list[float] = []  # length on the clock (working days)
        self.follow_n: list[int] = []  # follow-ups it asks for
        self.started: list[float] = []  # working time it started (nan: not started)
        # fed requests only: the queue each joins (its priority's, certified-only or not), arrival
        # in working time, follow-ups' work on the clock; the RECORD columns as arrays
        self.queue_of: list[deque] = []
        self.at: list[float] = []
        self._follow_work: list[float] = []
        self._fed_arrays: dict[str, np.ndarray] = {name: np.zeros(0) for name in RECORD}
        # requests added one by one: id -> (queue, RECORD values); a case's
        # follow-ups: blocks of consecutive ids (first id, count, the case's id, scales or None)
        self._single: dict[int, tuple] = {}
        self._blocks: list[tuple] = []
        self._weekly = self.clock.week * follow_every / 7.0  # working time between follow-ups
        # Waiting requests: for each priority (highest first) a queue any worker may take from and
        # one only certified workers may; each first come, first served, since requests join in
        # the order they arrive. A queue's oldest request is the one nearest its deadline.
        self._levels: list[tuple[deque, deque]] = []
        self._queues: dict[int, tuple[deque, deque]] = {}
        self._any_of: dict[int, deque] = {}  # a queue's id -> the any-worker queue of its priority
        self._any_levels: list[deque] = []
        self._cert_levels: list[deque] = []
        self._later: list[tuple] = []  # (working time, id, queue) of requests not yet arrived
        self._fed = 0  # rows [0, _fed) came from feed(), in arrival order
        self._follow_scale: list | None = None
        self._pos = 0  # next fed row not yet in the queue
        self._due = INF  # working time of the next arrival not yet in the queue
        self._idle: list[Worker] = []
        self._alarm_at = INF
        self.staff: list[Worker] = []
        for w in staff:
            self.hire(w)

    @property
    def workers(self) -> int:
        """Workers in post now."""
        return sum(1 for w in self.staff if w.left is None)

    def __len__(self) -> int:
        return len(self.day)

    # adding requests ---------------------------------------------------------------------------
    def feed(
        self,
        day: np.ndarray,
        work: np.ndarray,
        priority: np.ndarray,
        *,
        hours: np.ndarray | None = None,
        certified_only: np.ndarray | None = None,
        renege: np.ndarray | None = None,
        follow_n: np.ndarray | None = None,
        follow_work: np.ndarray | None = None,
        follow_hours: np.ndarray | None = None,
        follow_scale: list | None = None,
        patience: np.ndarray | None = None,
    ) -> range:
        """Requests known ahead, arriving on calendar `day` (ascending, ≥ now), as arrays: a year's
        recipients at once. `work` on the clock (working days), `hours` for the record. Once, before
        any other request. Returns their ids. `patience`: days each may wait before it is unmet
        (default the station's `max_wait_days`; only for those that `renege`).

        `follow_scale`: for each request, None or an array scaling its k-th follow-up's work and
        hours (a length for each session of a case; at least follow_n long)."""
        if len(self):
            raise RuntimeError("feed() comes first and once per station")
        day = np.asarray(day, dtype=float)
        n = len(day)
        if n and (np.any(np.diff(day) < 0) or day[0] < self.env.now):
            raise ValueError("fed requests must arrive in time order, from now on")
        zeros = np.zeros(n)
        renege = np.ones(n, dtype=bool) if renege is None else np.asarray(renege, dtype=bool)
        deadline = np.full(n, INF)
        if patience is not None:
            wait = np.broadcast_to(np.asarray(patience, dtype=float), (n,))
            deadline[renege] = self.clock.deadline(day[renege] + wait[renege])
        elif self.max_wait is not None:
            deadline[renege] = self.clock.deadline(day[renege] + self.max_wait)
        cert = (
            zeros.astype(bool) if certified_only is None else np.asarray(certified_only, dtype=bool)
        )
        follows = zeros.astype(int) if follow_n is None else np.asarray(follow_n, dtype=int)
        priority = np.broadcast_to(np.asarray(priority, dtype=int), (n,))
        self.day = day.tolist()
        # each request's queue, looked up once per (priority, certified-only) pair
        codes = (priority * 2 + cert).tolist()
        queues = {code: self._queue(code // 2, bool(code % 2)) for code in set(codes)}
        self.queue_of = [queues[code] for code in codes]
        self.deadline = deadline.tolist()
        self.work = np.asarray(work, dtype=float).tolist()
        self._follow_work = (
            zeros.tolist() if follow_work is None else np.asarray(follow_work, dtype=float).tolist()
        )
        self.follow_n = follows.tolist()
        self.started = [math.nan] * n
        # arrival in working time (read only for fed requests: without a calendar it is the day)
        self.at = (
            self.day
            if isinstance(self.clock, FluidTime)
            else np.asarray(self.clock.work_time(day)).tolist()
        )
        given = {
            "hours": hours,
            "certified_only": cert,
            "follow_work": follow_work,
            "follow_hours": follow_hours,
            "parent": np.full(n, -1),
        }
        self._fed_arrays = {
            name: zeros if given[name] is None else np.asarray(given[name], dtype=float)
            for name in RECORD
        }
        self._fed_arrays.update(
            day=day, work=np.asarray(work, dtype=float), deadline=deadline, follow_n=follows
        )
        self._fed, self._pos = n, 0
        self._due = self.at[0] if n else INF
        self._follow_scale = follow_scale
        if self._idle and n and self.at[0] < self._alarm_at:
            self._set_alarm(self.at[0])
        return range(n)

    def schedule(
        self,
        day: float,
        work: float,
        priority: int = 1,
        *,
        hours: float = 0.0,
        certified_only: bool = False,
        renege: bool = True,
        follow_n: int = 0,
        follow_work: float = 0.0,
        follow_hours: float = 0.0,
        parent: int = -1,
    ) -> int:
        """One request arriving on calendar `day` (≥ now); returns its id."""
        return self._add(
            day,
            self.clock.work_time(day),
            work,
            priority,
            hours,
            certified_only,
            renege,
            follow_n,
            follow_work,
            follow_hours,
            parent,
        )

    def _add(
        self,
        day: float,
        at: float,
        work: float,
        priority: int,
        hours: float,
        certified_only: bool,
        renege: bool,
        follow_n: int,
        follow_work: float,
        follow_hours: float,
        parent: int,
    ) -> int:
        i = len(self)
        queue = self._queue(priority, certified_only)
        self.day.append(day)
        self.deadline.append(
            self.clock.deadline(day + self.max_wait)
            if renege and self.max_wait is not None
            else INF
        )
        self.work.append(work)
        self.follow_n.append(follow_n)
        self.started.append(math.nan)
        self._single[i] = (queue, (hours, certified_only, follow_work, follow_hours, parent))
        heapq.heappush(self._later, (at, i, queue))
        self._due = min(self._due, at)
        if self._idle and at < self._alarm_at:
            self._set_alarm(at)
        return i

    def submit(
        self,
        work: float,
        priority: int = 1,
        *,
        hours: float = 0.0,
        certified_only: bool = False,
        renege: bool = True,
        follow_n: int = 0,
        follow_work: float = 0.0,
        follow_hours: float = 0.0,
    ) -> int:
        """One request arriving now; an idle worker who may do it takes it at once. Returns its
        id."""
        now = self.env.now
        i = self._add(
            self.clock.end_day(now),
            now,
            work,
            priority,
            hours,
            certified_only,
            renege,
            follow_n,
            follow_work,
            follow_hours,
            -1,
        )
        self._release(now)
        self._dispatch()
        return i

    def _follow_ups(self, i: int, now: float) -> None:
        """The follow-ups of request i, which starts now: one every follow_every days after it ends.

        Once per case while the model runs: they get consecutive ids, and their record (hours,
        the case they follow) is one block, spelled out by `table()`."""
        end = now + self.work[i]
        clock, every, horizon = self.clock, self.follow_every, self.horizon
        first = clock.end_day(end) + every
        if first >= horizon:
            return
        n = self.follow_n[i]
        room = math.ceil((horizon - first) / every)  # follow-ups within the horizon
        if room < n:
            n = room
        if i < self._fed:
            queue, work = self.queue_of[i], self._follow_work[i]
            scale = self._follow_scale[i] if self._follow_scale is not None else None
        else:
            queue, values = self._single[i]
            work, scale = values[RECORD.index("follow_work")], None
        # a calendar repeats every 7 days, so follow-ups a whole number of weeks apart are a fixed
        # working time apart (without a calendar, working time is calendar time)
        weekly = self._weekly
        wait = self.follow_patience
        deadline = clock.deadline(first + wait) if wait is not None else INF
        j = len(self.day)
        ks = range(n)
        self.day += [first + k * every for k in ks]
        self.deadline += [deadline + weekly * k for k in ks]
        self.work += [work] * n if scale is None else (work * scale[:n]).tolist()
        self.follow_n += [0] * n
        self.started += [math.nan] * n
        self._blocks.append((j, n, i, scale))
        later, heappush, sessions = self._later, heapq.heappush, self._any_of[id(queue)]
        for k in ks:
            heappush(later, (end + weekly * (k + 1), j + k, sessions))
        if later[0][0] < self._due:
            self._due = later[0][0]

    def _queue(self, priority: int, certified_only: bool) -> deque:
        """The queue of requests of `priority`, certified-only or not (made on first use)."""
        if priority not in self._queues:
            pair = self._queues[priority] = (deque(), deque())
            self._levels = [self._queues[p] for p in sorted(self._queues, reverse=True)]
            self._any_levels = [a for a, _ in self._levels]
            self._cert_levels = [c for _, c in self._levels]
            self._any_of.update({id(pair[0]): pair[0], id(pair[1]): pair[0]})
        return self._queues[priority][1 if certified_only else 0]

    def _release(self, now: float) -> None:
        """Move every request whose arrival has come by working time `now` into its queue, in order
        of arrival."""
        at, day, queue_of = self.at, self.day, self.queue_of
        pos, fed, later = self._pos, self._fed, self._later
        heappop = heapq.heappop
        while later and later[0][0] <= now:  # requests added later (a case's follow-ups),
            _, i, queue = later[0]  # earliest first; fed ones that came the same
            d = day[i]  # day or before go ahead of each
            while pos < fed and at[pos] <= now and day[pos] <= d:
                queue_of[pos].append(pos)
                pos += 1
            heappop(later)
            queue.append(i)
        while pos < fed and at[pos] <= now:
            queue_of[pos].append(pos)
            pos += 1
        self._pos = pos
        nxt = at[pos] if pos < fed else INF
        self._due = later[0][0] if later and later[0][0] < nxt else nxt

    # idle workers and the alarm ----------------------------------------------------------------
    def _set_alarm(self, at: float) -> None:
        """Wake an idle worker at working time `at` (an alarm set for earlier replaces this one)."""
        self._alarm_at = at
        delay = at - self.env.now
        Timeout(self.env, delay if delay > 0.0 else 0.0).callbacks.append(partial(self._ring, at))

    def _ring(self, at: float, _event: simpy.Event | None = None) -> None:
        if at != self._alarm_at:
            return  # a later alarm replaced this one
        self._alarm_at = INF
        self._release(self.env.now)
        self._dispatch()
        if self._idle:
            if self._due < INF:
                self._set_alarm(self._due)

    def _dispatch(self) -> None:
        """Give waiting work to idle workers who may do it."""
        idle = self._idle
        if not idle:
            return
        now = self.env.now
        self._idle = []
        any_levels, cert_levels = self._any_levels, self._cert_levels
        waiting = any(any_levels) or any(cert_levels)  # once nothing waits, the rest of a large
        for worker in idle:  # station's idle staff need not look
            if worker._leave_w <= now:
                self._leave(worker, worker.leaves_at)  # it left while idle, on its leaving day
            elif waiting and (any(any_levels) or (worker.certified and any(cert_levels))):
                worker._until = now
                self._next(worker)  # takes work (or, finding only stale, waits again)
                waiting = any(any_levels) or any(cert_levels)
            else:
                self._idle.append(worker)

    # workers --------------------------------------------------------------------------------
    def at_day(self, day: float, callback: Callable[[], None]) -> None:
        """Call `callback()` at calendar `day` (at its working time; ≥ now)."""
        self.env.timeout(max(0.0, self.clock.work_time(day) - self.env.now)).callbacks.append(
            lambda _e: callback()
        )

    def hire(self, worker: Worker, on_day: float | None = None) -> None:
        """Put a worker in post now, or on calendar day `on_day`."""

        def start() -> None:
            if worker.cancelled:
                return
            if on_day is not None:
                self.pending.remove(worker)
            worker._leave_w = (
                self.clock.work_time(worker.leaves_at) if worker.leaves_at < INF else INF
            )
            worker._free = partial(self._next, worker)
            self.staff.append(worker)
            self.arrivals_of_staff += 1
            worker._until = self.env.now
            self._next(worker)

        if on_day is None:
            start()
        else:
            self.pending.append(worker)
            self.at_day(on_day, start)

    def dismiss(self, worker: Worker) -> None:
        """Take `worker` out of post for good: now if idle or not yet started, else when its
        current request ends. The post is not filled again and it is not a departure."""
        worker.replace = False
        if worker in self.pending:
            worker.cancelled = True
            self.pending.remove(worker)
        elif worker.left is None:
            now = self.env.now
            if worker in self._idle:
                self._idle.remove(worker)
                self._leave(worker, self.clock.end_day(now))
            else:
                worker._leave_w = min(worker._leave_w, now)

    def _leave(self, worker: Worker, day: float) -> None:
        """The worker left on calendar `day`; the post is filled again refill_days after (unless
        the worker was dismissed)."""
        worker.left = day
        if not worker.replace:
            return
        self.departures += 1
        self.departure_days.append(day)
        if self.refill_days is None:
            return
        newcomer = self.on_leave(worker) if self.on_leave else Worker(certified=worker.certified)
        if newcomer is not None:
            self.hire(
                newcomer, on_day=max(day + self.refill_days, self.clock.end_day(self.env.now))
            )

    def _next(self, worker: Worker, _event: simpy.Event | None = None) -> None:
        """The worker is free now: it leaves, takes the best waiting request it may do, or waits
        idle.

        A worker's day is a chain of SimPy timeouts, one per request, each calling this when it
        ends (the way SimPy's own resources are built, with event callbacks); an idle worker is
        called again by `_dispatch` when work it may do arrives. This runs once per request, so
        it calls out only when arrivals are due or a case's sessions begin.
        """
        now = worker._until  # SimPy's now (the very float)
        if now >= worker._leave_w:
            self._leave(worker, self.clock.end_day(now))
            return
        if self._due <= now:
            self._release(now)  # arrivals join their queues
        deadline, day, certified = self.deadline, self.day, worker.certified
        for any_q, cert_q in self._levels:  # highest priority first
            while any_q and deadline[any_q[0]] < now:
                any_q.popleft()  # waited too long: unmet
            if certified and cert_q:
                while cert_q and deadline[cert_q[0]] < now:
                    cert_q.popleft()
                if cert_q and (not any_q or day[cert_q[0]] < day[any_q[0]]):
                    i = cert_q.popleft()
                    break
            if any_q:
                i = any_q.popleft()
                break
        else:
            self._idle.append(worker)
            if self._due < self._alarm_at:
                self._set_alarm(self._due)
            return
        self.started[i] = now
        if self.follow_n[i]:
            self._follow_ups(i, now)
        work = self.work[i]
        worker._until = now + work  # as SimPy computes the timeout's time
        Timeout(self.env, work).callbacks.append(worker._free)  # type: ignore[arg-type]  # set on hiring

    def close(self) -> None:
        """Free the request table once the run is over and `table()` has been read.

        SimPy's Environment refers to itself, and its pending events (work still running at the
        end, alarms) refer back to the station, so the station is freed only by Python's cyclic
        garbage collector, which would walk the year's thousands of queue entries first: a few
        milliseconds per township-year. Emptying the table here lets them go at once."""
        for name in (
            "day",
            "queue_of",
            "deadline",
            "work",
            "follow_n",
            "started",
            "at",
            "_follow_work",
            "_levels",
            "_any_levels",
            "_cert_levels",
            "_later",
            "_idle",
            "_blocks",
        ):
            setattr(self, name, [])
        self._queues, self._any_of, self._single = {}, {}, {}
        self._fed_arrays = {}
        for worker in self.staff:
            worker._free = None

    # results --------------------------------------------------------------------------------
    def table(self) -> dict[str, np.ndarray]:
        """The requests so far, as arrays by column (one entry per id): `day` (arrival), the
        RECORD columns, `work` (on the clock, working days), `start_day` and `end_day` (calendar
        days, nan if not started / not done),
        `started`, `served` (done by now), `unmet` (not started and past its deadline),
        `certified_only`, `follow_n`."""
        now, fed, n = self.env.now, self._fed, len(self)
        col = {name: np.zeros(n) for name in RECORD}
        col["parent"][fed:] = -1
        for name in RECORD:
            col[name][:fed] = self._fed_arrays[name]
        if self._single:
            ids = np.fromiter(self._single, dtype=int, count=len(self._single))
            values = np.array([v[1] for v in self._single.values()], dtype=float)
            for c, name in enumerate(RECORD):
                col[name][ids] = values[:, c]
        if self._blocks:
            first, count, parent = (np.array(c, dtype=int) for c in list(zip(*self._blocks))[:3])
            parents = np.repeat(parent, count)
            ids = np.arange(int(count.sum())) + np.repeat(first - (np.cumsum(count) - count), count)
            hours = col["follow_hours"][parents]
            if any(b[3] is not None for b in self._blocks):
                hours = hours * np.concatenate(
                    [np.ones(k) if scale is None else scale[:k] for _, k, _, scale in self._blocks]
                )
            col["hours"][ids] = hours
            col["parent"][ids] = parents
        for name, kind in (("day", float), ("work", float), ("deadline", float), ("follow_n", int)):
            fed_part = self._fed_arrays.get(name, np.zeros(0, dtype=kind))
            col[name] = np.concatenate([fed_part, np.array(getattr(self, name)[fed:], dtype=kind)])
        col["parent"] = col["parent"].astype(int)
        col["certified_only"] = col["certified_only"].astype(bool)
        started = np.array(self.started, dtype=float)
        ends = started + col["work"]
        begun = ~np.isnan(started)
        served = begun & (ends <= now + TOLERANCE)
        start_day = np.full(len(started), np.nan)
        end_day = np.full(len(started), np.nan)
        start_day[begun] = self.clock.start_day(started[begun])
        end_day[served] = self.clock.end_day(ends[served])
        unmet = ~begun & (col.pop("deadline") < now)
        return {
            **col,
            "start_day": start_day,
            "end_day": end_day,
            "started": begun,
            "served": served,
            "unmet": unmet,
        }

    def waits(self) -> np.ndarray:
        """Waits (calendar days) of the requests that started, in id order."""
        t = self.table()
        return t["start_day"][t["started"]] - t["day"][t["started"]]
