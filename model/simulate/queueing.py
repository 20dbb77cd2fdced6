"""Validation of the simulation against queueing theory (public API, used by the tests).

Each simulated function runs the station service process of :mod:`model.simulate.station` —
the same `Station` the full model feeds a year's requests — set up as a textbook queue:
exponential inter-arrival and service times, one pool of certified workers, no calendar
breaks (working time is calendar time), no leavers. Each has its closed form beside it, in
:mod:`model.queues` (where the formulas and their sources are):

    mmc_wait(λ, μ, c, customers, seed)              vs erlang_c_wait(λ, μ, c)
    mmc_patience(λ, μ, c, D, customers, seed)       vs mmc_patience_analytic(λ, μ, c, D)
    priority_waits([λ1, λ2, …], μ, c, customers, seed)  vs cobham_waits([λ1, λ2, …], μ, c)

M/M/c (Erlang C): W_q = C(c, a) / (c μ − λ), a = λ / μ.

M/M/c+D (deterministic patience D, the station's `max_wait_days`): a request not started
within D of its arrival is unmet. The station drops it when a worker reaches it; it never
used capacity, and requests of one priority are served first come, first served, so every
other request starts exactly when it would had the unmet one left the queue at D — the
station is an M/M/c+D queue (abandonment at the deadline), by construction.

M/M/c with non-preemptive priorities (the station's priorities; same exponential work for all
classes): Cobham's formula.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import simpy

from model.simulate.station import Station
from model.simulate.streams import Streams


def _check(arrival_rate: float, service_rate: float, servers: int, customers: int) -> None:
    if arrival_rate <= 0 or service_rate <= 0 or servers < 1 or customers < 10:
        raise ValueError("rates must be positive, servers ≥ 1, customers ≥ 10")


def _run(station: Station, env: simpy.Environment, day, work, priority) -> dict[str, np.ndarray]:
    """Feed the requests to the station (as the full model feeds a year's recipients), run it
    until every request is started or unmet, and return its request table."""
    station.feed(day, work, priority)
    env.run()
    return station.table()


def mmc_wait(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    customers: int,
    seed: int,
    warmup: float = 0.1,
) -> float:
    """Simulated mean wait of `customers` arrivals at a station set up as an M/M/c queue.

    Rates per unit of simulation time (days); the first `warmup` share of customers is left
    out of the mean so the empty start does not bias it.
    """
    _check(arrival_rate, service_rate, servers, customers)
    streams = Streams(seed)
    gaps = streams.get("arrivals", "mmc").exponential(1.0 / arrival_rate, size=customers)
    work = streams.get("service", "mmc").exponential(1.0 / service_rate, size=customers)
    env = simpy.Environment()
    station = Station(env, servers)

    def arrivals():
        for gap, days in zip(gaps, work):
            yield env.timeout(gap)
            station.submit(float(days))

    env.process(arrivals())
    env.run()
    waits = station.waits()
    return float(np.mean(waits[int(warmup * customers) :]))


def mmc_patience(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    patience: float,
    customers: int,
    seed: int,
    warmup: float = 0.1,
) -> dict[str, float]:
    """Simulated M/M/c+D queue: `customers` arrivals at a station with `max_wait_days` =
    `patience`, a request not started within it being unmet (the full model's rule).

    Rates per day, patience in days. Returns `unmet_share` (share of arrivals not started
    within `patience`), `mean_wait` (mean wait of those served, days) and `delayed_share`
    (share of arrivals not started at once, unmet ones included), over the arrivals after the
    first `warmup` share; compare with :func:`mmc_patience_analytic`.
    """
    _check(arrival_rate, service_rate, servers, customers)
    if not patience >= 0:
        raise ValueError("patience must be ≥ 0 days")
    streams = Streams(seed)
    gaps = streams.get("arrivals", "mmc").exponential(1.0 / arrival_rate, size=customers)
    work = streams.get("service", "mmc").exponential(1.0 / service_rate, size=customers)
    env = simpy.Environment()
    station = Station(env, servers, max_wait_days=patience)
    t = _run(station, env, np.cumsum(gaps), work, np.ones(customers, dtype=int))
    kept = slice(int(warmup * customers), None)
    started, unmet = t["started"][kept], t["unmet"][kept]
    if np.any(started == unmet):
        raise RuntimeError("every request ends started or unmet")  # the run went to the end
    waits = (t["start_day"] - t["day"])[kept][started]
    return {
        "unmet_share": float(unmet.mean()),
        "mean_wait": float(waits.mean()) if len(waits) else 0.0,
        "delayed_share": float(unmet.mean() + (waits > 0).sum() / len(unmet)),
    }


def priority_waits(
    arrival_rates: Sequence[float],
    service_rate: float,
    servers: int,
    customers: int,
    seed: int,
    warmup: float = 0.1,
) -> list[float]:
    """Simulated mean wait (days) of each priority class at a station set up as an M/M/c queue
    with non-preemptive priorities, classes highest priority first; the same exponential work
    for all. Arrivals of class k are Poisson with rate `arrival_rates[k]` (per day): the merged
    stream with each arrival's class drawn in proportion. The first `warmup` share of arrivals
    is left out. Compare with :func:`cobham_waits`.
    """
    rates = np.asarray(arrival_rates, dtype=float)
    if rates.ndim != 1 or not len(rates) or rates.min() <= 0:
        raise ValueError("give at least one class, each with a positive arrival rate")
    total = float(rates.sum())
    _check(total, service_rate, servers, customers)
    streams = Streams(seed)
    gaps = streams.get("arrivals", "mmc").exponential(1.0 / total, size=customers)
    work = streams.get("service", "mmc").exponential(1.0 / service_rate, size=customers)
    cls = streams.get("classes", "mmc").choice(len(rates), size=customers, p=rates / total)
    env = simpy.Environment()
    station = Station(env, servers)
    t = _run(station, env, np.cumsum(gaps), work, len(rates) - cls)  # higher number goes first
    kept = slice(int(warmup * customers), None)
    waits = (t["start_day"] - t["day"])[kept]
    return [float(waits[cls[kept] == k].mean()) for k in range(len(rates))]
