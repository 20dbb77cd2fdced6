"""Requests a township's recipients make in one year, drawn from named seeded streams.

For each recipient group g with persons P (township table) and the scenario's rates:

- case intakes: Poisson(P × case_rate) at uniform times of the year (a Poisson process),
  each `intake_hours` of work, followed by `sessions` sessions of `session_hours`, one a week;
- home visits: Poisson(P × visit_rate), `visit_hours` each plus the township's round trip to
  the household (model.workload.travel_hours);
- assessments for social assistance: Poisson(P × assessment_rate), `assessment_hours` each plus
  the same round trip;
- each request's recipient: one of the group's P persons, uniformly (so a person may ask twice);
- a group's `season` (relative demand by month, scaled so the year's total is unchanged) and
  the scenario's crises (`simulation.crisis`: weeks of demand × multiplier) shape the rate.

Every (group, township, year) has its own random stream, so two plans simulated with the same
seed see the same recipients (common random numbers), and changing one group's figures leaves
the other groups' requests as they were. Times in days from 1 January; work in hours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.inputs.scenario import Scenario
from model.simulate.streams import Streams
from model.vocabulary import MONTHS
from model.workload import available_hours, travel_hours

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


@dataclass(frozen=True)
class DemandTable:
    """The scenario's figures the simulation reads, as arrays: built once for a replication
    (`DemandTable.of(sc)`) instead of once per township-year.

    persons: townships × groups; available: hours a worker has per township-year
    (model.workload.available_hours); rates: groups × (case, visit, assessment) requests per
    person a year; hours: groups × the same kinds (hours of work each); priority, sessions and
    session_hours by group; curves: each group's seasonal curve (None when flat); travel: the
    round trip to a household per township (hours, added to each visit and assessment).
    """

    groups: list[str]
    township_ids: list[str]
    persons: np.ndarray
    available: np.ndarray
    rates: np.ndarray
    hours: np.ndarray
    priority: np.ndarray
    sessions: np.ndarray
    session_hours: np.ndarray
    curves: list
    travel: np.ndarray

    @classmethod
    def of(cls, sc: Scenario) -> DemandTable:
        t, specs = sc.townships, list(sc.groups.values())
        return cls(
            groups=list(sc.groups),
            township_ids=[str(v) for v in t["township_id"]],
            persons=t[list(sc.groups)].to_numpy(float),
            available=available_hours(sc).to_numpy(float),
            rates=np.array(
                [[g.case_rate, g.visit_rate, g.assessment_rate] for g in specs], dtype=float
            ),
            hours=np.array(
                [[g.intake_hours, g.visit_hours, g.assessment_hours] for g in specs], dtype=float
            ),
            priority=np.array([g.priority for g in specs], dtype=int),
            sessions=np.array([g.sessions for g in specs], dtype=int),
            session_hours=np.array([g.session_hours for g in specs], dtype=float),
            curves=[season_curve(g.season) for g in specs],
            travel=travel_hours(sc).to_numpy(float),
        )


MONTH_START = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]).astype(float)
"""Day of the year each month starts (days from 1 January; a 365-day year)."""


def season_curve(season: Mapping[Any, float]) -> np.ndarray | None:
    """Relative demand by month (12 values, mean over the year's days 1), or None when flat."""
    if not season or all(v == 1.0 for v in season.values()):
        return None
    w = np.array([float(season.get(m, 1.0)) for m in MONTHS])
    days = np.diff(MONTH_START)
    mean = float((w * days).sum() / days.sum())
    if mean <= 0:
        return None
    return w / mean


def crisis_windows(
    sc: Scenario, tid: str, streams: Streams, year: int
) -> list[tuple[float, float]]:
    """(start, end) days of the township's crises this year (none unless
    simulation.crisis.rate_per_year > 0)."""
    c = sc.simulation.crisis
    if c.rate_per_year <= 0 or c.multiplier <= 1:
        return []
    rng = streams.get("crisis", tid, str(year))
    starts = np.sort(rng.uniform(0.0, YEAR_DAYS, size=rng.poisson(c.rate_per_year)))
    return [(float(s), float(s) + 7.0 * c.weeks) for s in starts]


def township_arrivals(
    sc: Scenario, township: int, streams: Streams, year: int = 0, tables: DemandTable | None = None
) -> Arrivals:
    """All first requests of one township's recipients in one year, in time order.

    Each group's requests of the three kinds are one Poisson process of the summed rate, each
    request of kind k with probability rate_k / summed rate (the superposition of the three),
    drawn from the group's own stream with its recipients. A group's `season` and the
    scenario's crises make the rate vary over the year: the requests are then drawn by thinning
    (candidates at the highest rate, each kept with probability rate(t) / highest rate), exact
    for a Poisson process with varying rate. `tables`: the scenario's DemandTable, when the
    caller has it.
    """
    tables = DemandTable.of(sc) if tables is None else tables
    tid = tables.township_ids[township]
    crises = crisis_windows(sc, tid, streams, year)
    boost = sc.simulation.crisis.multiplier if crises else 1.0
    parts: list[tuple] = []
    for gi, name in enumerate(tables.groups):
        persons = float(tables.persons[township, gi])
        rates = tables.rates[gi] * persons
        total = float(rates.sum())
        if persons <= 0 or total <= 0:
            continue
        rng = streams.get("arrivals", name, tid, str(year))
        curve = tables.curves[gi]
        if curve is None and not crises:
            days = np.sort(rng.uniform(0.0, YEAR_DAYS, size=rng.poisson(total)))
        else:
            top = (1.0 if curve is None else float(curve.max())) * boost
            candidates = np.sort(rng.uniform(0.0, YEAR_DAYS, size=rng.poisson(total * top)))
            level = (
                np.ones(len(candidates))
                if curve is None
                else curve[np.searchsorted(MONTH_START, candidates, side="right") - 1]
            )
            for start, end in crises:
                level = np.where((candidates >= start) & (candidates < end), level * boost, level)
            days = candidates[rng.random(len(candidates)) < level / top]
        count = len(days)
        kind = np.minimum(
            np.searchsorted(np.cumsum(rates) / total, rng.random(count), side="right"), 2
        )
        who = rng.integers(0, max(1, int(persons)), size=count)
        hours = tables.hours[gi][kind] + tables.travel[township] * (kind >= 1)  # home trips
        parts.append((days, np.full(count, gi), kind, who, hours))
    if not parts:
        empty = np.zeros(0)
        return Arrivals(
            tables.groups, empty, empty.astype(int), empty.astype(int), empty.astype(int), empty
        )
    cols = [np.concatenate(c) for c in zip(*parts)]
    order = np.argsort(cols[0], kind="stable")
    return Arrivals(tables.groups, *(c[order] for c in cols))
