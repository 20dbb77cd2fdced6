"""The station service process reproduces M/M/c (Erlang C) waiting times."""

from __future__ import annotations

import pytest
import simpy

from model.simulate import Station, Streams
from model.simulate.queueing import erlang_c_probability, erlang_c_wait, mmc_wait


def test_erlang_c_textbook_values():
    # M/M/1: W_q = ρ / (μ − λ); λ = 0.5, μ = 1 -> 1.0
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    # M/M/2 with a = 1 (λ = 1, μ = 1): C = 1/3, W_q = (1/3) / (2 − 1) = 1/3
    assert erlang_c_probability(1.0, 1.0, 2) == pytest.approx(1 / 3)
    assert erlang_c_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        erlang_c_wait(3.0, 1.0, 2)


@pytest.mark.slow
@pytest.mark.parametrize(
    "lam, mu, c", [(0.7, 1.0, 1), (1.6, 1.0, 2), (3.6, 1.5, 3), (8.0, 1.0, 10)]
)
def test_simulated_wait_matches_erlang_c(lam, mu, c):
    """Two replications of 100,000 customers at loads 0.7–0.8: each within 8%, their mean within 5%.

    (Measured: single replications fall within ±6% of Erlang C at these loads; waits are
    autocorrelated, so a sample of 100,000 customers holds a few thousand independent batches.)
    """
    expected = erlang_c_wait(lam, mu, c)
    runs = [mmc_wait(lam, mu, c, customers=100_000, seed=seed) for seed in (7, 8)]
    for got in runs:
        assert got == pytest.approx(expected, rel=0.08)
    assert sum(runs) / 2 == pytest.approx(expected, rel=0.05)


def test_same_seed_same_wait_other_seed_other_wait():
    a = mmc_wait(1.6, 1.0, 2, customers=5_000, seed=3)
    assert a == mmc_wait(1.6, 1.0, 2, customers=5_000, seed=3)
    assert a != mmc_wait(1.6, 1.0, 2, customers=5_000, seed=4)


def test_streams_are_independent_by_name():
    s = Streams(42, replication=0)
    a = s.get("arrivals", "dibao", "T1").random(3)
    b = Streams(42, replication=0)
    b.get("service", "dibao", "T1").random(10)  # another input drawn first
    assert (b.get("arrivals", "dibao", "T1").random(3) == a).all()
    assert not (Streams(42, replication=1).get("arrivals", "dibao", "T1").random(3) == a).all()


def test_deterministic_times_by_hand():
    env = simpy.Environment()
    station = Station(env, workers=1)

    def arrive():
        station.submit(2.0, priority=3, hours=2.0)  # starts 0, ends 2
        yield env.timeout(0.5)
        station.submit(1.0, priority=1, hours=1.0)  # waits for the worker
        yield env.timeout(0.5)
        station.submit(1.0, priority=3, hours=1.0)  # higher priority: served before the low one

    env.process(arrive())
    env.run()
    t = station.table()
    first, low, high = 0, 1, 2
    assert (t["start_day"][first], t["end_day"][first]) == (0.0, 2.0)
    assert (t["start_day"][high], t["end_day"][high]) == (2.0, 3.0)
    assert (t["start_day"][low], t["end_day"][low]) == (3.0, 4.0)
    assert t["hours"][t["served"]].sum() == 4.0
    assert list(station.waits()) == [0.0, 2.5, 1.0]
