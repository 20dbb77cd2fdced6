"""Validation of the simulation against queueing theory (public API, used by the tests).

Each simulated function runs the station service process of :mod:`model.simulate.station` —
the same `Station` the full model feeds a year's requests — set up as a textbook queue:
exponential inter-arrival and service times, one pool of certified workers, no calendar
breaks (working time is calendar time), no leavers. Each has its closed form beside it, in
:mod:`model.queues` (where the formulas and their sources are):

    mmc_wait(λ, μ, c, customers, seed)              vs erlang_c_wait(λ, μ, c)
    mmc_patience(λ, μ, c, D, customers, seed)       vs mmc_patience_analytic(λ, μ, c, D)
    mmc_patience(λ, μ, c, [D…], …, weights=[w…])    vs mmc_patience_mix_analytic(…)
    priority_waits([λ1, λ2, …], μ, c, customers, seed)  vs cobham_waits([λ1, λ2, …], μ, c)
    priority_patience([λ…], [priority…], [D…], μ, c, customers, seed)
                                                    vs priority_patience_analytic(…)

M/M/c (Erlang C): W_q = C(c, a) / (c μ − λ), a = λ / μ.

M/M/c+D and M/M/c+G (each request's deadline D days after its arrival, `Station.feed`'s
`patience`; one D for all, or each request's drawn from a mixture, as each kind of request has
its own standard): a request not started by its deadline is unmet. The station drops it when
a worker reaches it; it never used capacity, and requests of one priority are served first
come, first served, so every other request starts exactly when it would had the unmet one
left the queue at its deadline — the station is an M/M/c+G queue (abandonment at the
deadline), by construction.

M/M/c with non-preemptive priorities (the station's priorities; same exponential work for all
classes): Cobham's formula; with a patience per class, the approximation of
`priority_patience_analytic`.
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
    patience: float | Sequence[float],
    customers: int,
    seed: int,
    warmup: float = 0.1,
    weights: Sequence[float] | None = None,
) -> dict[str, float | list[float]]:
    """Simulated M/M/c+D queue: `customers` arrivals at a station where a request not started
    within `patience` days of its arrival is unmet (the full model's rule).

    With `weights`, `patience` is a list and each arrival's own patience is `patience[k]` with
    probability `weights[k]` (drawn independently): the M/M/c+G queue of
    :func:`mmc_patience_mix_analytic`, kinds of request with their own standards in one
    first-come-first-served queue. Rates per day, patience in days. Returns `unmet_share`
    (share of arrivals not started in time), `mean_wait` (mean wait of those served, days),
    `delayed_share` (share of arrivals not started at once, unmet ones included), and per kind
    `unmet_by_class` and `mean_wait_by_class`, over the arrivals after the first `warmup`
    share; compare with :func:`mmc_patience_analytic` / :func:`mmc_patience_mix_analytic`.
    """
    _check(arrival_rate, service_rate, servers, customers)
    days = np.atleast_1d(np.asarray(patience, dtype=float))
    if days.ndim != 1 or np.any(np.isnan(days)) or np.any(days < 0):
        raise ValueError("patience must be ≥ 0 days")
    streams = Streams(seed)
    gaps = streams.get("arrivals", "mmc").exponential(1.0 / arrival_rate, size=customers)
    work = streams.get("service", "mmc").exponential(1.0 / service_rate, size=customers)
    if weights is None:
        if len(days) != 1:
            raise ValueError("give weights with a list of patiences")
        cls = np.zeros(customers, dtype=int)
    else:
        p = np.asarray(weights, dtype=float)
        if len(p) != len(days) or np.any(p < 0) or p.sum() <= 0:
            raise ValueError("one weight ≥ 0 per patience, not all 0")
        cls = streams.get("classes", "mmc").choice(len(days), size=customers, p=p / p.sum())
    env = simpy.Environment()
    station = Station(env, servers)
    station.feed(np.cumsum(gaps), work, np.ones(customers, dtype=int), patience=days[cls])
    env.run()
    return _outcome(station.table(), cls, len(days), int(warmup * customers))


def _outcome(t: dict[str, np.ndarray], cls: np.ndarray, classes: int, skip: int) -> dict:
    """Unmet share and mean wait of the served, all and per class, after the first `skip`."""
    started, unmet, cls = t["started"][skip:], t["unmet"][skip:], cls[skip:]
    if np.any(started == unmet):
        raise RuntimeError("every request ends started or unmet")  # the run went to the end
    wait = (t["start_day"] - t["day"])[skip:]

    def mean(x: np.ndarray) -> float:
        return float(x.mean()) if len(x) else 0.0

    return {
        "unmet_share": float(unmet.mean()),
        "mean_wait": mean(wait[started]),
        "delayed_share": float(unmet.mean() + (wait[started] > 0).sum() / len(unmet)),
        "unmet_by_class": [mean(unmet[cls == k]) for k in range(classes)],
        "mean_wait_by_class": [mean(wait[started & (cls == k)]) for k in range(classes)],
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
    arrivals, work, cls = _classed(rates, service_rate, servers, customers, seed)
    env = simpy.Environment()
    station = Station(env, servers)
    t = _run(station, env, arrivals, work, len(rates) - cls)  # higher number goes first
    kept = slice(int(warmup * customers), None)
    waits = (t["start_day"] - t["day"])[kept]
    return [float(waits[cls[kept] == k].mean()) for k in range(len(rates))]


def _classed(
    rates: np.ndarray, service_rate: float, servers: int, customers: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`customers` arrivals of classes with Poisson rates `rates` (per day): the merged stream's
    arrival days, each one's exponential work and its class (drawn in proportion)."""
    if rates.ndim != 1 or not len(rates) or rates.min() <= 0:
        raise ValueError("give at least one class, each with a positive arrival rate")
    total = float(rates.sum())
    _check(total, service_rate, servers, customers)
    streams = Streams(seed)
    gaps = streams.get("arrivals", "mmc").exponential(1.0 / total, size=customers)
    work = streams.get("service", "mmc").exponential(1.0 / service_rate, size=customers)
    cls = streams.get("classes", "mmc").choice(len(rates), size=customers, p=rates / total)
    return np.cumsum(gaps), work, cls


def priority_patience(
    arrival_rates: Sequence[float],
    priorities: Sequence[int],
    patiences: Sequence[float],
    service_rate: float,
    servers: int,
    customers: int,
    seed: int,
    warmup: float = 0.1,
) -> dict[str, list[float]]:
    """Simulated M/M/c queue with non-preemptive priorities and deterministic patience per
    class: arrivals of class k are Poisson at `arrival_rates[k]` a day (the merged stream, each
    arrival's class drawn in proportion), have priority `priorities[k]` (higher first; classes
    of equal priority share one first-come-first-served queue) and are unmet when not started
    within `patiences[k]` days; the same exponential work for all. Returns `unmet_share` and
    `mean_wait` (of the served, days) per class, over the arrivals after the first `warmup`
    share. Compare with :func:`priority_patience_analytic`.
    """
    rates = np.asarray(arrival_rates, dtype=float)
    prio = np.asarray(priorities, dtype=int)
    days = np.asarray(patiences, dtype=float)
    if len(prio) != len(rates) or len(days) != len(rates) or np.any(days < 0):
        raise ValueError("one priority and one patience ≥ 0 per class")
    arrivals, work, cls = _classed(rates, service_rate, servers, customers, seed)
    env = simpy.Environment()
    station = Station(env, servers)
    station.feed(arrivals, work, prio[cls], patience=days[cls])
    env.run()
    got = _outcome(station.table(), cls, len(rates), int(warmup * customers))
    return {"unmet_share": got["unmet_by_class"], "mean_wait": got["mean_wait_by_class"]}
