"""A station's workers as a SimPy resource serving requests by priority.

Time is in days of simulation clock. A request carries its group, priority (higher first)
and work in days; a worker takes the highest-priority waiting request (first come, first
served within a priority) and works on it without interruption. Every request's arrival,
start and end are logged, so waits and utilisation come from the log.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import simpy


@dataclass
class Request:
    """One piece of work: a case intake or session, a home visit, an assessment (days of work)."""

    group: str
    priority: int
    work_days: float
    arrived: float = 0.0
    started: float | None = None
    ended: float | None = None


@dataclass
class StationLog:
    """What happened at one station."""

    requests: list[Request] = field(default_factory=list)
    busy_days: float = 0.0

    def waits(self) -> np.ndarray:
        """Waits (days) of the requests that started."""
        return np.array([r.started - r.arrived for r in self.requests if r.started is not None])


class Station:
    """Workers of one station serving requests by priority (simpy.PriorityResource)."""

    def __init__(self, env: simpy.Environment, workers: int) -> None:
        if workers < 1:
            raise ValueError("a station needs at least one worker")
        self.env = env
        self.workers = simpy.PriorityResource(env, capacity=workers)
        self.log = StationLog()

    def submit(self, request: Request) -> simpy.Process:
        """Queue a request now; returns its SimPy process (done when the work ends)."""
        request.arrived = self.env.now
        self.log.requests.append(request)
        return self.env.process(self._serve(request))

    def _serve(self, request: Request):  # SimPy process
        # PriorityResource serves the lowest number first: negate so that higher priority goes first
        with self.workers.request(priority=-request.priority) as slot:
            yield slot
            request.started = self.env.now
            yield self.env.timeout(request.work_days)
            request.ended = self.env.now
            self.log.busy_days += request.work_days
