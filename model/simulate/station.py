"""A station's workers serving requests by priority, in SimPy.

Time is in days of simulation clock. A request carries its group, priority (higher first)
and work in days. Each worker is a SimPy process that takes the highest-priority waiting
request (first come, first served within a priority) and works on it without interruption;
idle workers sleep until a request arrives. With `max_wait_days`, a request still waiting
that long is unmet: a worker drops it when it reaches it (it never used any capacity, so
this is the same as leaving the queue on time), and `close()` counts those still queued at
the end. Two events per request (arrival, end of work) keep it fast.
"""
from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import simpy


@dataclass
class Request:
    """One piece of work: a case intake or session, a home visit, an assessment (days of work)."""

    group: str
    priority: int
    work_days: float
    renege: bool = True                      # may go unmet after max_wait_days
    on_done: Callable[["Request"], None] | None = None
    arrived: float = 0.0
    started: float | None = None
    ended: float | None = None
    unmet: bool = False


@dataclass
class StationLog:
    """What happened at one station."""

    requests: list[Request] = field(default_factory=list)
    busy_days: float = 0.0

    def waits(self) -> np.ndarray:
        """Waits (days) of the requests that started."""
        return np.array([r.started - r.arrived for r in self.requests if r.started is not None])


class Station:
    """Workers of one station serving requests by priority; optional reneging after max_wait_days."""

    def __init__(self, env: simpy.Environment, workers: int, max_wait_days: float | None = None) -> None:
        if workers < 1:
            raise ValueError("a station needs at least one worker")
        self.env = env
        self.workers = workers
        self.max_wait = max_wait_days
        self.log = StationLog()
        self._queue: list[tuple[int, float, int, Request]] = []
        self._seq = itertools.count()
        self._sleeping: list[simpy.Event] = []
        for _ in range(workers):
            env.process(self._worker())

    def submit(self, request: Request) -> None:
        """Queue a request now; an idle worker, if any, takes it at once."""
        request.arrived = self.env.now
        self.log.requests.append(request)
        heapq.heappush(self._queue, (-request.priority, request.arrived, next(self._seq), request))
        if self._sleeping:
            self._sleeping.pop().succeed()

    def _expired(self, request: Request) -> bool:
        return (request.renege and self.max_wait is not None
                and self.env.now - request.arrived > self.max_wait + 1e-12)

    def _worker(self):  # SimPy process
        env = self.env
        while True:
            while self._queue:
                request = heapq.heappop(self._queue)[3]
                if self._expired(request):
                    request.unmet = True
                    continue
                request.started = env.now
                yield env.timeout(request.work_days)
                request.ended = env.now
                self.log.busy_days += request.work_days
                if request.on_done is not None:
                    request.on_done(request)
            wake = env.event()
            self._sleeping.append(wake)
            yield wake

    def close(self) -> None:
        """At the end of the run: requests still queued longer than max_wait_days are unmet."""
        for _, _, _, request in self._queue:
            if self._expired(request):
                request.unmet = True
