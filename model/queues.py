"""Closed forms of the queues a station is: waits and lost requests from queueing theory.

    erlang_c_probability(λ, μ, c), erlang_c_wait(λ, μ, c)   # M/M/c (Erlang C)
    mmc_patience_analytic(λ, μ, c, D)                        # M/M/c+D: deterministic patience
    cobham_waits([λ1, λ2, …], μ, c)                          # non-preemptive priorities

Pure functions of rates (any one time unit). The optimizer plans with them (the share of a
township's requests started within `max_wait_days` at each staffing level, model.workload);
model.simulate.queueing runs the station's own simulation beside each of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


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


# M/M/c+D: deterministic patience ----------------------------------------------------------------
def _log_idle_weight(a: float, servers: int) -> float:
    """ln E, E = Σ_{k<c} a^k / k! ÷ (a^(c−1) / (c−1)!): the probability that fewer than c
    servers are busy, relative to the probability that exactly c − 1 are (log scale, so that
    large c or small a neither overflow nor underflow)."""
    logs = [
        math.lgamma(servers) - math.lgamma(k + 1) + (k - servers + 1) * math.log(a)
        for k in range(servers)
    ]
    top = max(logs)
    return top + math.log(sum(math.exp(x - top) for x in logs))


def _m0(s: float) -> float:
    """∫_0^1 e^(−s u) du, s ≥ 0."""
    return -math.expm1(-s) / s if s > 0 else 1.0


def _m1(s: float) -> float:
    """∫_0^1 u e^(−s u) du, s ≥ 0 (a series near 0, where the closed form cancels)."""
    if s < 1e-2:
        return sum((-s) ** n / (math.factorial(n) * (n + 2)) for n in range(8))
    return (-math.expm1(-s) - s * math.exp(-s)) / (s * s)


def mmc_patience_analytic(
    arrival_rate: float, service_rate: float, servers: int, patience: float
) -> dict[str, float]:
    """The M/M/c+D queue: Poisson arrivals λ, c servers of exponential work μ, first come first
    served, and every customer abandons if not started within the deterministic patience D
    (same time unit as the rates; D = inf is M/M/c, which then needs λ < cμ).

    Returns `unmet_share` (P(abandon)), `mean_wait` (mean wait of those served),
    `delayed_share` (P(wait > 0), abandoners included) and `utilisation` (served load per
    server, λ(1 − P(abandon)) / (cμ)). Stable at any load: abandonment bounds the queue.

    The virtual waiting time V (the wait of an arrival of infinite patience) has, when all c
    servers are busy, the density (Baccelli & Hébuterne 1981; Zeltyn & Mandelbaum 2005)

        v(x) = λ π_{c−1} exp(λ H(x) − cμ x),   H(x) = ∫_0^x P(patience > u) du = min(x, D),

    with π_k = π_0 a^k / k! for k < c busy servers (a = λ/μ). With E = Σ_{k<c} π_k / π_{c−1}
    and J = ∫_0^∞ exp(λ H(x) − cμ x) dx, normalisation gives π_{c−1} = 1 / (E + λ J), and by
    PASTA an arrival abandons when V > D:

        P(abandon) = λ π_{c−1} e^{−(cμ−λ) D} / (cμ),
        J          = (1 − e^{−(cμ−λ) D}) / (cμ − λ) + e^{−(cμ−λ) D} / (cμ)   (D if cμ = λ),
        P(wait > 0) = λ J / (E + λ J),
        E[W | served] = λ ∫_0^D x e^{−(cμ−λ) x} dx / (E + λ ∫_0^D e^{−(cμ−λ) x} dx).

    P(abandon) = (1 + (λ − cμ) J) / (E + λ J) is P{Ab} of A. Mandelbaum & S. Zeltyn, "The
    M/M/n+G queue: summary of performance measures", technical note, Technion (2009),
    http://ie.technion.ac.il/serveng/References/MMNG_formulae.pdf, with G the point mass at D;
    derivation: S. Zeltyn & A. Mandelbaum, "Call centers with impatient customers: many-server
    asymptotics of the M/M/n+G queue", Queueing Systems 51 (2005) 361–402, §2; F. Baccelli &
    G. Hébuterne, "On queues with impatient customers", Performance '81, North-Holland (1981)
    159–179. Deterministic patience was first solved by D. Y. Barrer, "Queuing with impatient
    customers and ordered service", Operations Research 5 (1957) 650–656. Checks: D → ∞ gives
    Erlang C; D = 0 gives Erlang B (a customer who finds every server busy is lost).
    """
    if arrival_rate <= 0 or service_rate <= 0 or servers < 1 or not patience >= 0:
        raise ValueError("rates must be positive, servers ≥ 1, patience ≥ 0")
    lam, c_mu, d = arrival_rate, servers * service_rate, patience
    theta = c_mu - lam
    log_e = _log_idle_weight(lam / service_rate, servers)
    # Everything below is π_{c−1}-relative and, when λ > cμ, also divided by e^{(λ−cμ)D}
    # (the density grows up to D), so that nothing overflows at high loads or long patience.
    if math.isinf(d):
        if theta <= 0:
            raise ValueError("without patience the queue is unstable: arrival_rate ≥ c x mu")
        scale, before, moment, lost = 0.0, 1.0 / theta, 1.0 / theta**2, 0.0
    else:
        t = -theta * d  # ln of the density's growth up to D
        s = abs(t)
        m0, m1 = _m0(s), _m1(s)
        scale = max(t, 0.0)
        before = d * m0  # ∫_0^D e^{−θx} dx, scaled
        moment = d * d * (m1 if t <= 0 else m0 - m1)  # ∫_0^D x e^{−θx} dx, scaled
        lost = math.exp(min(t, 0.0)) / c_mu  # ∫_D^∞ of the density / λ, scaled
    idle = math.exp(min(log_e - scale, 700.0))
    served_waiting, waiting_lost = lam * before, lam * lost
    total = idle + served_waiting + waiting_lost
    unmet = waiting_lost / total
    return {
        "unmet_share": unmet,
        "mean_wait": lam * moment / (idle + served_waiting),
        "delayed_share": (served_waiting + waiting_lost) / total,
        "utilisation": lam * (1.0 - unmet) / c_mu,
    }


# non-preemptive priorities ----------------------------------------------------------------------
def cobham_waits(arrival_rates: Sequence[float], service_rate: float, servers: int) -> list[float]:
    """Mean wait in queue of each class of an M/M/c queue with non-preemptive priorities and the
    same exponential work μ for all classes, classes listed highest priority first (Cobham):

        W_k = C(c, a) / (cμ) / ((1 − σ_{k−1}) (1 − σ_k)),   σ_k = Σ_{j≤k} λ_j / (cμ),

    C(c, a) the Erlang C probability of the total load a = Σ λ_j / μ. A. Cobham, "Priority
    assignment in waiting line problems", Journal of the Operations Research Society of America
    2 (1954) 70–76; D. Gross, J. F. Shortle, J. M. Thompson & C. M. Harris, *Fundamentals of
    Queueing Theory*, 4th ed., Wiley (2008), §3.4.1 (eq. for W_q^(k), multiple servers).
    Needs Σ λ_j < cμ.
    """
    rates = [float(r) for r in arrival_rates]
    if not rates or min(rates) <= 0:
        raise ValueError("give at least one class, each with a positive arrival rate")
    c_mu = servers * service_rate
    head = erlang_c_probability(sum(rates), service_rate, servers) / c_mu
    sigma = np.cumsum(rates) / c_mu
    above = np.concatenate([[0.0], sigma[:-1]])
    return [float(w) for w in head / ((1.0 - above) * (1.0 - sigma))]
