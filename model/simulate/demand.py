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


@dataclass(frozen=True, slots=True)
class Arrival:
    """A request arriving on a day: its group, kind (intake, visit, assessment), hours of work, recipient."""

    day: float
    group: str
    kind: str
    hours: float
    sessions: int = 0
    session_hours: float = 0.0
    client: int = -1


def township_arrivals(sc: Scenario, township: int, streams: Streams, year: int = 0) -> list[Arrival]:
    """All first requests of one township's recipients in one year, in time order."""
    row = sc.townships.iloc[township]
    tid = str(row["township_id"])
    out: list[Arrival] = []
    for name, g in sc.groups.items():
        persons = float(row[name])
        for kind, rate, hours in (("intake", g.case_rate, g.intake_hours), ("visit", g.visit_rate, g.visit_hours),
                                  ("assessment", g.assessment_rate, g.assessment_hours)):
            if persons <= 0 or rate <= 0:
                continue
            rng = streams.get("arrivals", kind, name, tid, str(year))
            count = rng.poisson(persons * rate)
            days = np.sort(rng.uniform(0.0, YEAR_DAYS, size=count)).tolist()
            who = streams.get("clients", kind, name, tid, str(year)).integers(0, max(1, int(persons)), size=count).tolist()
            sessions, session_hours = (g.sessions, g.session_hours) if kind == "intake" else (0, 0.0)
            out += [Arrival(d, name, kind, hours, sessions, session_hours, c) for d, c in zip(days, who)]
    out.sort(key=lambda a: a.day)
    return out
