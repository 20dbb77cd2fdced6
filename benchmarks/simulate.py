"""Simulation speed: events per second of the station model against a bare SimPy loop, and
the wall time of one replication of a shipped scenario (`python -m benchmarks simulate`).

Events are counted the same way for both (every event SimPy schedules), in the same process
and run, one core.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

import simpy

from model import load_scenario, shipped_scenario


@contextmanager
def counting_events():
    """Count every event SimPy schedules while the block runs (the same small overhead for both loops)."""
    count = [0]
    original = simpy.Environment.schedule

    def schedule(self, event, priority=1, delay=0):
        count[0] += 1
        return original(self, event, priority, delay)

    simpy.Environment.schedule = schedule
    try:
        yield count
    finally:
        simpy.Environment.schedule = original


def bare_loop(events: int = 300_000) -> float:
    """Events per second of a bare SimPy process yielding timeouts."""
    env = simpy.Environment()

    def ticker():
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(ticker())
    with counting_events() as count:
        t0 = time.process_time()
        env.run()
        seconds = time.process_time() - t0
    return count[0] / seconds


def station_model(scenario: str = "ganzhou", township_years: int = 60) -> tuple[float, float, float]:
    """(events per second, requests per second, ms per township-year) of the full township-year
    model, 3 workers a station."""
    from model.simulate import Streams, simulate_township

    sc = load_scenario(shipped_scenario(scenario))
    streams = Streams(sc.simulation.seed)
    n = len(sc.townships)
    requests = 0
    with counting_events() as count:
        t0 = time.process_time()
        for k in range(township_years):
            requests += simulate_township(sc, k % n, 3, streams, year=sc.years[0] + k // n).requests
        seconds = time.process_time() - t0
    return count[0] / seconds, requests / seconds, 1000 * seconds / township_years


def one_replication(scenario: str = "ganzhou") -> dict:
    """Optimize the scenario, then time one replication of its plan over the horizon on one core."""
    from model.optimize import optimize
    from model.simulate.plan import simulate_plan

    sc = load_scenario(shipped_scenario(scenario), ["solver.gap=0.01"])
    plan = optimize(sc, estimate_gap=False).plan
    t0 = time.perf_counter()
    simulate_plan(sc, plan, replications=1, processes=1, progress=False)
    return {"scenario": scenario, "township_years": len(plan), "seconds": round(time.perf_counter() - t0, 1)}


def main(scenario: str = "ganzhou") -> None:
    bare = bare_loop()
    model_rate, request_rate, per_ty = station_model(scenario)
    rep = one_replication(scenario)
    print(f"| bare SimPy loop | {bare:,.0f} events/s |")
    print(f"| station model ({scenario} township-years, 3 workers) | {model_rate:,.0f} events/s "
          f"({model_rate / bare:.0%} of the bare loop), {request_rate:,.0f} requests/s "
          f"({request_rate / bare:.0%}); {per_ty:.1f} ms per township-year |")
    print(f"| one replication of {rep['scenario']} ({rep['township_years']} township-years, its plan) | "
          f"{rep['seconds']} s |")
