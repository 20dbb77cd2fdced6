"""Validation of the simulation against queueing theory (public API, used by the tests).

    mmc_wait(arrival_rate=4.0, service_rate=1.5, servers=3, customers=200_000, seed=1)

runs the station service process of :mod:`model.simulate.station` configured as an M/M/c
queue — exponential inter-arrival and service times, one pool of workers, one priority, no
reneging, no calendar breaks — and returns the mean wait. :func:`erlang_c_wait` is the
analytic value (Erlang C): W_q = C(c, a) / (c μ − λ), a = λ / μ.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from model.simulate.station import Station
from model.simulate.streams import Streams


def erlang_c_probability(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Probability an arrival waits in an M/M/c queue (Erlang C formula)."""
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1:
        raise ValueError("the queue is unstable: arrival_rate must be below servers x service_rate")
    terms = sum(a**k / math.factorial(k) for k in range(servers))
    top = a**servers / math.factorial(servers) / (1 - rho)
    return top / (terms + top)


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (same time unit as the rates)."""
    return erlang_c_probability(arrival_rate, service_rate, servers) / (
        servers * service_rate - arrival_rate
    )


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
    if arrival_rate <= 0 or service_rate <= 0 or servers < 1 or customers < 10:
        raise ValueError("rates must be positive, servers ≥ 1, customers ≥ 10")
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
