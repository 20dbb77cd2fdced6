"""The station service process reproduces queueing theory: M/M/c (Erlang C), M/M/c+D
(deterministic patience: requests not started within it are unmet) at loads 0.5–1.5, and
M/M/c with non-preemptive priorities (Cobham)."""

from __future__ import annotations

import math

import pytest
import simpy

from model.queues import cobham_waits, erlang_c_probability, erlang_c_wait, mmc_patience_analytic
from model.simulate import Station, Streams
from model.simulate.queueing import mmc_patience, mmc_wait, priority_waits


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


# M/M/c+D -----------------------------------------------------------------------------------------
def erlang_b(a: float, c: int) -> float:
    """Erlang B by its recursion B(0) = 1, B(k) = a B(k−1) / (k + a B(k−1))."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


@pytest.mark.parametrize(
    "lam, mu, c", [(0.7, 1.0, 1), (1.6, 1.0, 2), (3.6, 1.5, 3), (8.0, 1.0, 10)]
)
def test_patience_without_end_is_erlang_c(lam, mu, c):
    for d in (math.inf, 1e6):
        q = mmc_patience_analytic(lam, mu, c, d)
        assert q["mean_wait"] == pytest.approx(erlang_c_wait(lam, mu, c), rel=1e-12)
        assert q["delayed_share"] == pytest.approx(erlang_c_probability(lam, mu, c), rel=1e-12)
        assert q["unmet_share"] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError):
        mmc_patience_analytic(c * mu, mu, c, math.inf)  # no patience limit, no stability


@pytest.mark.parametrize(
    "lam, mu, c", [(0.7, 1.0, 1), (1.6, 1.0, 2), (5.0, 1.0, 3), (8.0, 1.0, 10)]
)
def test_no_patience_is_erlang_b(lam, mu, c):
    # D = 0: whoever finds every worker busy is lost, P(loss) = P(all busy) = B(c, a)
    q = mmc_patience_analytic(lam, mu, c, 0.0)
    assert q["unmet_share"] == pytest.approx(erlang_b(lam / mu, c), rel=1e-12)
    assert q["delayed_share"] == pytest.approx(q["unmet_share"], rel=1e-12)
    assert q["mean_wait"] == 0.0


@pytest.mark.parametrize("rho, d", [(0.5, 2.0), (1.0, 2.0), (1.5, 0.7)])
def test_one_worker_textbook_values(rho, d):
    # M/M/1+D: P(abandon) = ρ (1 − ρ) e^{−(μ−λ)D} / (1 − ρ² e^{−(μ−λ)D}); at ρ = 1, ρ / (1 + μD)
    q = mmc_patience_analytic(rho, 1.0, 1, d)
    e = math.exp(-(1.0 - rho) * d)
    expected = 1 / (2 + d) if rho == 1.0 else rho * (1 - rho) * e / (1 - rho**2 * e)
    assert q["unmet_share"] == pytest.approx(expected, rel=1e-12)
    # what is served is what the worker can do: served load λ(1 − P(abandon)) = P(busy) ≤ 1
    assert q["utilisation"] == pytest.approx(q["delayed_share"], rel=1e-12)


def test_patience_closed_form_against_the_density_integrated():
    # v(x) = λ π_{c−1} e^{−(cμ−λ)x} below D, e^{λD − cμx} above; integrate it numerically
    lam, mu, c, d = 6.0, 1.0, 5, 0.8
    a = lam / mu
    idle = sum(a**k / math.factorial(k) for k in range(c)) / (a ** (c - 1) / math.factorial(c - 1))
    n, top = 400_000, 40.0
    h = top / n
    xs = [(i + 0.5) * h for i in range(n)]
    v = [math.exp(lam * min(x, d) - c * mu * x) for x in xs]  # / (λ π_{c−1})
    before = sum(f for x, f in zip(xs, v) if x < d) * h
    after = sum(f for x, f in zip(xs, v) if x >= d) * h
    moment = sum(x * f for x, f in zip(xs, v) if x < d) * h
    total = idle + lam * (before + after)
    q = mmc_patience_analytic(lam, mu, c, d)
    assert q["unmet_share"] == pytest.approx(lam * after / total, rel=1e-4)
    assert q["delayed_share"] == pytest.approx(lam * (before + after) / total, rel=1e-4)
    assert q["mean_wait"] == pytest.approx(lam * moment / (idle + lam * before), rel=1e-4)


def test_patience_closed_form_is_smooth_at_full_load_and_safe_far_beyond():
    at, below, above = (
        mmc_patience_analytic(lam, 1.0, 5, 0.5) for lam in (5.0, 5 - 1e-7, 5 + 1e-7)
    )
    for key in at:
        assert at[key] == pytest.approx(below[key], rel=1e-6)
        assert at[key] == pytest.approx(above[key], rel=1e-6)
    # a hundred times the capacity, a month's patience: all but the capacity is lost
    q = mmc_patience_analytic(1000.0, 1.0, 10, 30.0)
    assert q["unmet_share"] == pytest.approx(1 - 10 / 1000)
    assert q["mean_wait"] == pytest.approx(30.0, rel=1e-3)
    # many workers, almost no work: nobody waits
    assert mmc_patience_analytic(0.01, 1.0, 200, 30.0)["delayed_share"] == pytest.approx(0.0)


def assert_agree(runs: list[float], expected: float, each: float, mean: float, floor=0.0) -> None:
    """Every replication within `each`, their mean within `mean` (relative; absolute `floor`
    where that is larger)."""
    for got in runs:
        assert got == pytest.approx(expected, rel=each, abs=floor)
    assert sum(runs) / len(runs) == pytest.approx(expected, rel=mean, abs=floor)


@pytest.mark.slow
@pytest.mark.parametrize("rho", [0.5, 0.9, 1.2, 1.5])
@pytest.mark.parametrize(
    "mu, c, d",
    [
        (1.0, 1, 2.0),  # one worker, patience of two mean works
        (1.0, 5, 0.5),  # five workers, patience of half a work: abandonment at every load
        (2.0, 3, 2.5),  # three workers, half-day work, patience of five works
    ],
)
def test_simulated_patience_matches_mmc_d(rho, mu, c, d):
    """Two replications of 100,000 customers at loads 0.5, 0.9, 1.2, 1.5 (λ = ρcμ): unmet
    share, mean wait of the served and share delayed against the closed form.

    Tolerances (relative) from the spread of single replications measured over 12 seeds
    (sd ≤ 4.5% at loads 0.5–0.9, where the rarer events are; ≤ 2.2% at 1.2–1.5; the mean
    bias over the seeds ≤ 1.1% everywhere): each replication within 15% at loads ≤ 0.9 and 8%
    above, the mean of the two within 10% and 5% (about three standard deviations); shares
    within 0.003 absolute where that is wider (the unmet share of three workers at load 0.5 is
    0.01%, a dozen customers).
    """
    lam = rho * c * mu
    expected = mmc_patience_analytic(lam, mu, c, d)
    runs = [mmc_patience(lam, mu, c, d, customers=100_000, seed=seed) for seed in (7, 8)]
    each, mean = (0.15, 0.10) if rho <= 0.9 else (0.08, 0.05)
    for key in ("unmet_share", "mean_wait", "delayed_share"):
        floor = 0.003 if key.endswith("share") else 0.0
        assert_agree([r[key] for r in runs], expected[key], each, mean, floor)


def test_the_station_path_and_the_fed_path_agree():
    # mmc_wait submits one request at a time; the others feed them at once, as the full model
    # does; same draws (same stream names), same waits
    w = mmc_wait(1.6, 1.0, 2, customers=5_000, seed=3)
    assert mmc_patience(1.6, 1.0, 2, math.inf, customers=5_000, seed=3)["mean_wait"] == (
        pytest.approx(w, rel=1e-12)
    )
    assert priority_waits([1.6], 1.0, 2, customers=5_000, seed=3)[0] == pytest.approx(w, rel=1e-12)
    got = mmc_patience(3.0, 1.0, 2, 0.5, customers=5_000, seed=3)
    assert got == mmc_patience(3.0, 1.0, 2, 0.5, customers=5_000, seed=3)
    assert got != mmc_patience(3.0, 1.0, 2, 0.5, customers=5_000, seed=4)
    assert got["unmet_share"] > 0.1


# priorities --------------------------------------------------------------------------------------
def test_cobham_textbook_values():
    # M/M/1, two classes λ1 = 0.3, λ2 = 0.4, μ = 1: W1 = ρ/μ / (1 − σ1) = 0.7 / 0.7 = 1,
    # W2 = 0.7 / (0.7 · 0.3) = 10/3
    assert cobham_waits([0.3, 0.4], 1.0, 1) == pytest.approx([1.0, 10 / 3])
    # one class is Erlang C; the classes' waits weighted by their rates conserve Erlang C's
    assert cobham_waits([3.6], 1.5, 3) == pytest.approx([erlang_c_wait(3.6, 1.5, 3)])
    rates = [1.0, 1.5, 1.0]
    waits = cobham_waits(rates, 1.0, 5)
    assert sum(r * w for r, w in zip(rates, waits)) / sum(rates) == pytest.approx(
        erlang_c_wait(3.5, 1.0, 5)
    )
    assert waits == sorted(waits)
    with pytest.raises(ValueError):
        cobham_waits([1.0, 1.0], 1.0, 2)


@pytest.mark.slow
@pytest.mark.parametrize(
    "rates, mu, c, seeds, each, mean",
    [
        # measured sd of a replication over 8 seeds: 1.2%, 2.7%
        ([0.3, 0.4], 1.0, 1, (7, 8), 0.10, 0.07),
        # three classes, five workers, load 0.7: sd 1.8%, 3.7%, 3.8%
        ([1.0, 1.5, 1.0], 1.0, 5, (7, 8), 0.15, 0.10),
        # three classes, three workers, load 0.9: sd 1.4%, 2.4%, 7.8% (the lowest class waits
        # 20 times as long as the highest, in long correlated spells): four replications
        ([0.6, 1.2, 0.9], 1.0, 3, (7, 8, 9, 10), 0.25, 0.10),
    ],
)
def test_simulated_priority_waits_match_cobham(rates, mu, c, seeds, each, mean):
    """Replications of 100,000 customers; each class's mean wait within `each` of Cobham's
    formula in every replication and within `mean` on average (relative; three to four
    standard deviations of a replication, and of the mean, measured over 8 seeds)."""
    expected = cobham_waits(rates, mu, c)
    runs = [priority_waits(rates, mu, c, customers=100_000, seed=seed) for seed in seeds]
    for k, w in enumerate(expected):
        assert_agree([r[k] for r in runs], w, each, mean)
