"""Requests a township's recipients make in one year, drawn from named seeded streams.

For each recipient group g with persons P (township table) and the scenario's rates:

- case intakes: Poisson(P × case_rate) at uniform times of the year (a Poisson process),
  each `intake_hours` of work, followed by `sessions` sessions of `session_hours`, one a week;
- home visits: Poisson(P × visit_rate), `visit_hours` each;
- assessments for social assistance: Poisson(P × assessment_rate), `assessment_hours` each;
- each request's recipient: one of the group's P persons, uniformly (so a person may ask twice).

Every (kind, group, township) has its own random stream, so two plans simulated with the same
seed see the same recipients (common random numbers). Times in days from 1 January; work in hours.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.scenario import Scenario
from model.simulate.streams import Streams

YEAR_DAYS = 365.0
SESSION_SPACING_DAYS = 7.0


KINDS = ("intake", "visit", "assessment")


@dataclass(frozen=True)
class Arrivals:
    """A township-year's first requests, in time order, as arrays (one entry per request).

    day (days from 1 January), group (index into `groups`), kind (index into KINDS), client
    (index of the recipient within its group), hours (work of the request).
    """

    groups: list[str]
    day: np.ndarray
    group: np.ndarray
    kind: np.ndarray
    client: np.ndarray
    hours: np.ndarray

    def __len__(self) -> int:
        return len(self.day)


def township_arrivals(sc: Scenario, township: int, streams: Streams, year: int = 0) -> Arrivals:
    """All first requests of one township's recipients in one year, in time order."""
    row = sc.townships.iloc[township]
    tid = str(row["township_id"])
    groups = list(sc.groups)
    parts: list[tuple] = []
    for gi, (name, g) in enumerate(sc.groups.items()):
        persons = float(row[name])
        for ki, (kind, rate, hours) in enumerate(((KINDS[0], g.case_rate, g.intake_hours),
                                                  (KINDS[1], g.visit_rate, g.visit_hours),
                                                  (KINDS[2], g.assessment_rate, g.assessment_hours))):
            if persons <= 0 or rate <= 0:
                continue
            rng = streams.get("arrivals", kind, name, tid, str(year))
            count = rng.poisson(persons * rate)
            days = np.sort(rng.uniform(0.0, YEAR_DAYS, size=count))
            who = streams.get("clients", kind, name, tid, str(year)).integers(0, max(1, int(persons)), size=count)
            parts.append((days, np.full(count, gi), np.full(count, ki), who, np.full(count, float(hours))))
    if not parts:
        empty = np.zeros(0)
        return Arrivals(groups, empty, empty.astype(int), empty.astype(int), empty.astype(int), empty)
    cols = [np.concatenate(c) for c in zip(*parts)]
    order = np.argsort(cols[0], kind="stable")
    return Arrivals(groups, *(c[order] for c in cols))
