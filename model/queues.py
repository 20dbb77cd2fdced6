"""Closed forms of the queues a station is: waits and lost requests from queueing theory.

    erlang_c_probability(λ, μ, c), erlang_c_wait(λ, μ, c)   # M/M/c (Erlang C)
    mmc_patience_analytic(λ, μ, c, D)                        # M/M/c+D: deterministic patience
    mmc_patience_mix_analytic(λ, μ, c, [D1, …], [w1, …])     # M/M/c+G: a mixture of standards
    cobham_waits([λ1, λ2, …], μ, c)                          # non-preemptive priorities
    priority_patience_analytic([λ…], [priority…], [D…], μ, c)  # priorities with patience
                                                             # (an approximation)

Pure functions of rates (any one time unit). `patience_mix` and `priority_patience_mix` are
the last two for many queues at once (numpy arrays): the optimizer plans with them (the share
of each group's requests started within its kinds' standards at each staffing level,
model.workload.on_time_by_group); model.simulate.queueing runs the station's own simulation
beside each closed form.
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
def _m0(s: np.ndarray) -> np.ndarray:
    """∫_0^1 e^(−s u) du for s ≥ 0 (an array or a number)."""
    safe = np.where(s > 0, s, 1.0)
    return np.where(s > 0, -np.expm1(-safe) / safe, 1.0)


def _m1(s: np.ndarray) -> np.ndarray:
    """∫_0^1 u e^(−s u) du for s ≥ 0 (a series near 0, where the closed form cancels)."""
    safe = np.where(s < 1e-2, 1.0, s)
    closed = (-np.expm1(-safe) - safe * np.exp(-safe)) / (safe * safe)
    series = sum((-s) ** n / (math.factorial(n) * (n + 2)) for n in range(8))
    return np.where(s < 1e-2, series, closed)


def _log_idle_weights(a: np.ndarray, servers: int) -> np.ndarray:
    """ln E, E = Σ_{k<c} a^k / k! ÷ (a^(c−1) / (c−1)!), for offered loads a > 0 (an array or a
    number): the probability that fewer than c servers are busy, relative to the probability
    that exactly c − 1 are (log scale, so that large c or small a neither overflow nor
    underflow)."""
    k = np.arange(servers)
    logs = (
        math.lgamma(servers)
        - np.array([math.lgamma(j + 1) for j in k])
        + (k - servers + 1) * np.log(a)[..., None]
    )
    top = logs.max(axis=-1)
    return top + np.log(np.exp(logs - top[..., None]).sum(axis=-1))


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
    log_e = float(_log_idle_weights(np.asarray(lam / service_rate), servers))
    # Everything below is π_{c−1}-relative and, when λ > cμ, also divided by e^{(λ−cμ)D}
    # (the density grows up to D), so that nothing overflows at high loads or long patience.
    if math.isinf(d):
        if theta <= 0:
            raise ValueError("without patience the queue is unstable: arrival_rate ≥ c x mu")
        scale, before, moment, lost = 0.0, 1.0 / theta, 1.0 / theta**2, 0.0
    else:
        t = -theta * d  # ln of the density's growth up to D
        s = abs(t)
        m0, m1 = float(_m0(np.asarray(s))), float(_m1(np.asarray(s)))
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


# M/M/c+G with a discrete patience mixture ------------------------------------------------------
def patience_mix(
    rates: np.ndarray,
    service_rate: np.ndarray | float,
    servers: int,
    patiences: Sequence[float] | np.ndarray,
) -> dict[str, np.ndarray]:
    """The M/M/c+G queue whose patience is a discrete mixture, for many queues at once.

    `rates` (… × K): arrival rate of each patience class (Poisson; λ = Σ_k rates_k); `patiences`
    (K): each class's deterministic patience D_k ≥ 0 (inf: none); `service_rate` (…): μ,
    exponential work, the same for every class; `servers` c. One first-come-first-served
    queue; a customer of class k not started within D_k abandons. Rates per day, D in days.

    Returns arrays: `delayed` (…), P(V > 0) (all c servers busy); and, given V > 0, `tail`
    (… × K), P(V > D_k | V > 0), and `tail_wait` (… × K), E[V; V ≤ D_k | V > 0]. So class k's
    unmet share is delayed × tail and the mean wait of its served delayed × tail_wait /
    (1 − delayed × tail). The formulas are :func:`mmc_patience_mix_analytic`'s; the
    integrals are computed one segment of H at a time, on log scale (no overflow at any load
    or patience); the conditional ones are kept apart so that they stay exact when P(V > 0)
    underflows (nearly idle queues).
    """
    lam_k = np.asarray(rates, dtype=float)
    mu = np.broadcast_to(np.asarray(service_rate, dtype=float), lam_k.shape[:-1])
    d = np.asarray(patiences, dtype=float)
    if lam_k.shape[-1] != len(d) or np.any(lam_k < 0) or np.any(mu <= 0) or servers < 1:
        raise ValueError("one rate ≥ 0 per patience class, service rates > 0, servers ≥ 1")
    if np.any(np.isnan(d)) or np.any(d < 0):
        raise ValueError("patience must be ≥ 0")
    lam = lam_k.sum(axis=-1)
    c_mu = servers * mu
    some = lam > 0
    # breakpoints of H: 0 and the finite patiences; on segment j, λ Ḡ = the rates still patient
    cuts = np.unique(np.concatenate([[0.0], d[np.isfinite(d)]]))
    patient = [lam_k[..., d > b].sum(axis=-1) for b in cuts]
    slope_inf = patient[-1] - c_mu  # beyond the last finite patience
    if np.any(some & (slope_inf >= 0)):
        raise ValueError("without a finite patience the queue is unstable: load ≥ c x mu")
    # f(x) = λH(x) − cμx at the cuts; each segment's integrals as e^{max f} × a bounded factor
    f = [np.zeros_like(lam)]
    log_top, part, moment = [], [], []  # per segment: max of f, ∫e^{f − max}, ∫x e^{f − max}
    for j in range(len(cuts) - 1):
        length = cuts[j + 1] - cuts[j]
        theta = patient[j] - c_mu
        f.append(f[j] + theta * length)
        s = np.abs(theta) * length
        m0, m1 = _m0(s), _m1(s)
        log_top.append(np.maximum(f[j], f[j + 1]))
        part.append(length * m0)
        moment.append(length * (cuts[j] * m0 + length * np.where(theta <= 0, m1, m0 - m1)))
    tail_rate = np.where(some, -slope_inf, 1.0)
    log_top.append(f[-1])
    part.append(1.0 / tail_rate)
    moment.append(cuts[-1] / tail_rate + 1.0 / tail_rate**2)
    top = np.max(np.stack(log_top), axis=0)
    pieces = np.stack([np.exp(t - top) * p for t, p in zip(log_top, part)])  # ∫ per segment
    moments = np.stack([np.exp(t - top) * m for t, m in zip(log_top, moment)])
    busy = pieces.sum(axis=0)  # J, scaled by e^{−top}
    beyond = np.cumsum(pieces[::-1], axis=0)[::-1] / busy  # P(V > cut j | V > 0)
    below = np.concatenate([np.zeros_like(lam)[None], np.cumsum(moments, axis=0)]) / busy
    tail = np.zeros(lam_k.shape)
    tail_wait = np.zeros(lam_k.shape)
    for k, dk in enumerate(d):
        if math.isinf(dk):
            tail_wait[..., k] = below[-1]
        else:
            j = int(np.searchsorted(cuts, dk))
            tail[..., k] = beyond[j]
            tail_wait[..., k] = below[j]
    # P(V > 0) = λJ / (E + λJ): 1 / (1 + e^{ln E − ln λJ}), on log scale
    log_e = _log_idle_weights(np.where(some, lam, 1.0) / mu, servers)
    log_ratio = log_e - top - np.log(np.where(some, lam, 1.0) * busy)
    delayed = np.where(some, np.exp(-np.logaddexp(0.0, log_ratio)), 0.0)
    tail[~some], tail_wait[~some] = 0.0, 0.0
    return {"delayed": delayed, "tail": tail, "tail_wait": tail_wait}


def mmc_patience_mix_analytic(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    patiences: Sequence[float],
    weights: Sequence[float],
) -> dict[str, float | list[float]]:
    """The M/M/c+G queue where a customer's patience is the constant `patiences[k]` with
    probability `weights[k]` (normalised to sum 1): one first-come-first-served queue whose
    customers are of K kinds, each with its own deterministic standard D_k (a request of kind k
    not started within D_k is lost). Poisson arrivals λ, c servers of exponential work μ for
    every kind; rates per day, patience in days (inf: none).

    Returns `unmet_share` (Σ_k w_k P(V > D_k)), `unmet_by_class` (P(V > D_k) per kind),
    `mean_wait` (of those served, all kinds), `mean_wait_by_class` (of the served of each
    kind; 0 where none is served), `delayed_share` (P(V > 0)) and `utilisation`
    (λ(1 − unmet_share) / (cμ)).

    The virtual waiting time V (the wait of an arrival of infinite patience) has, when all c
    servers are busy, the density (Zeltyn & Mandelbaum 2005, §2; Mandelbaum & Zeltyn 2009)

        v(x) = λ π_{c−1} exp(λ H(x) − cμ x),   H(x) = ∫_0^x Ḡ(u) du = Σ_k w_k min(x, D_k),

    Ḡ(u) = P(patience > u) = Σ_{k: D_k > u} w_k; H is piecewise linear with breaks at the D_k,
    so v is a piecewise exponential and every integral below is in closed form, one segment
    at a time. π_{c−1} = 1 / (E + λ J), E = Σ_{k<c} a^k / k! ÷ (a^(c−1) / (c−1)!), a = λ/μ,
    J = ∫_0^∞ exp(λH(x) − cμx) dx. An arrival's kind is independent of V (Poisson arrivals,
    kinds drawn independently: PASTA), and it is lost exactly when V > D_k:

        P(lost | kind k) = ∫_{D_k}^∞ v(x) dx,   E[W | served, kind k] = ∫_0^{D_k} x v(x) dx /
        (1 − P(lost | kind k)).

    With one kind this is :func:`mmc_patience_analytic` (M/M/c+D). Sources: A. Mandelbaum &
    S. Zeltyn, "The M/M/n+G queue: summary of performance measures", technical note, Technion
    (2009), http://ie.technion.ac.il/serveng/References/MMNG_formulae.pdf; S. Zeltyn & A.
    Mandelbaum, "Call centers with impatient customers: many-server asymptotics of the M/M/n+G
    queue", Queueing Systems 51 (2005) 361–402.
    """
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or len(w) != len(patiences) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("one weight ≥ 0 per patience, not all 0")
    if arrival_rate <= 0:
        raise ValueError("arrival_rate must be positive")
    w = w / w.sum()
    got = patience_mix(arrival_rate * w, service_rate, servers, patiences)
    unmet, served_wait = got["delayed"] * got["tail"], got["delayed"] * got["tail_wait"]
    share = float(w @ unmet)
    return {
        "unmet_share": share,
        "unmet_by_class": [float(u) for u in unmet],
        "mean_wait": float(w @ served_wait) / (1.0 - share) if share < 1.0 else 0.0,
        "mean_wait_by_class": [
            float(m / (1.0 - u)) if u < 1.0 else 0.0 for m, u in zip(served_wait, unmet)
        ],
        "delayed_share": float(got["delayed"]),
        "utilisation": arrival_rate * (1.0 - share) / (servers * service_rate),
    }


# non-preemptive priorities with patience -------------------------------------------------------
def priority_patience_mix(
    rates: np.ndarray,
    service_rate: np.ndarray | float,
    servers: int,
    patiences: Sequence[float] | np.ndarray,
    priorities: Sequence[int] | np.ndarray,
) -> dict[str, np.ndarray]:
    """Approximate unmet share and mean wait of each class of an M/M/c queue with
    non-preemptive priorities and deterministic patience per class, for many queues at once.

    `rates` (… × K): Poisson arrival rate of each class; `patiences` (K): its patience D_k
    (days; inf: none); `priorities` (K): higher is served first, equal priorities share one
    first-come-first-served queue; `service_rate` (…): μ, exponential, the same for all;
    `servers` c. Returns `unmet` and `mean_wait` (of the served), both … × K. See
    :func:`priority_patience_analytic` for the approximation and how good it is.
    """
    lam_k = np.asarray(rates, dtype=float)
    mu = np.broadcast_to(np.asarray(service_rate, dtype=float), lam_k.shape[:-1])
    prio = np.asarray(priorities)
    if prio.shape != (lam_k.shape[-1],):
        raise ValueError("one priority per class")
    busy = patience_mix(lam_k, mu, servers, patiences)["delayed"][..., None]
    unmet = np.zeros(lam_k.shape)
    wait = np.zeros(lam_k.shape)
    c_mu = servers * mu
    for p in sorted(set(prio.tolist()), reverse=True):
        level, higher = prio == p, prio > p
        served_higher = (lam_k * (1.0 - unmet))[..., higher].sum(axis=-1)
        left = np.maximum(c_mu - served_higher, 1e-9 * c_mu)  # C: capacity the level has
        lam = lam_k[..., level].sum(axis=-1)
        gamma = np.maximum(left / c_mu, (lam + left) / (lam + c_mu + served_higher))
        own = np.where(level, lam_k, 0.0) * gamma[..., None]
        shape = patience_mix(own, gamma * left / servers, servers, patiences)
        got = busy * shape["tail"]
        unmet[..., level] = got[..., level]
        served = 1.0 - got[..., level]
        wait[..., level] = np.where(
            served > 0, (busy * shape["tail_wait"])[..., level] / np.maximum(served, 1e-300), 0.0
        )
    return {"unmet": unmet, "mean_wait": wait}


def priority_patience_analytic(
    arrival_rates: Sequence[float],
    priorities: Sequence[int],
    patiences: Sequence[float],
    service_rate: float,
    servers: int,
) -> dict[str, list[float]]:
    """Unmet share and mean wait of the served for each class of an M/M/c queue with
    non-preemptive priorities (higher first; first come, first served within a priority) where
    a class-k customer not started within the deterministic patience D_k is lost (Poisson
    arrivals at `arrival_rates[k]`, exponential work μ for all; rates per day, D in days).
    An approximation; classes in the order given.

    A customer of priority level ℓ waits exactly when all c servers are busy (PASTA), with
    probability B = P(V > 0) of the whole queue served first come, first served
    (:func:`patience_mix` over all classes). Given that it waits, its wait is taken to have the
    density of an M/M/c+G queue of its own level only,

        v_ℓ(x) ∝ exp(γ_ℓ (λ_ℓ H_ℓ(x) − C_ℓ x)),   C_ℓ = cμ − (served rate of higher levels),

    λ_ℓ H_ℓ(x) = Σ_{k in ℓ} λ_k min(x, D_k), so that P(lost | class k) = B ∫_{D_k}^∞ v_ℓ
    and E[W | served, k] = B ∫_0^{D_k} x v_ℓ / (1 − P(lost | k)); levels are done from the
    highest down, each seeing what the ones above it served. The factor

        γ_ℓ = max(C_ℓ / (cμ), (λ_ℓ + C_ℓ) / (λ_ℓ + cμ + (cμ − C_ℓ)))

    widens the density for the higher levels' traffic that passes a waiting customer:

    - The highest level (γ = 1, C = cμ) is exact given B: above 0 its virtual wait moves only
      with its own arrivals, each adding an exponential of rate cμ, whichever class holds the
      servers — the level-crossing argument of Zeltyn & Mandelbaum (2005) §2 for one class.
    - Without abandonment (D = inf), γ = C_ℓ / (cμ) gives every level exactly Cobham's mean
      wait (:func:`cobham_waits`), since then E[W_ℓ] = B / (γ (C_ℓ − λ_ℓ)).
    - A level loaded beyond its capacity (λ_ℓ > C_ℓ) is treated as a diffusion: its queue moves
      with its own arrivals (λ_ℓ), every completion (cμ) and the higher levels' starts
      (cμ − C_ℓ); a reflected diffusion's density is exp(2 ∫ drift / variance), which against
      the M/M/c+G density's own exponent is the second term of γ. The two terms meet at
      λ_ℓ = C_ℓ.
    - The whole queue's P(V > 0) is its FCFS value; with priorities, B is that of the same
      customers served in another order.

    This combination is ours, not a published result (exact analyses exist for two classes:
    V. Sarhangian & B. Balcıoğlu, "Waiting time analysis of multi-class queues with impatient
    customers", Probability in the Engineering and Informational Sciences 27 (2013) 333–352;
    O. Jouini & A. Roubos, "On multiple priority multi-server queues with impatience", Journal
    of the Operational Research Society 65 (2014) 616–632). Checked against the station's
    simulation (tests/simulate/test_queueing.py): where patience is many services long (the
    plans' regime: standards of 7–30 days, several requests a day per worker) each class's
    unmet share within 0.05 of the simulated one at loads 0.5–1.5; where patience is about one
    service long, the highest class within 0.005 and the lower ones over-estimated by up to
    0.15.
    """
    rates = np.asarray(arrival_rates, dtype=float)
    if rates.ndim != 1 or not len(rates) or rates.min() <= 0:
        raise ValueError("give at least one class, each with a positive arrival rate")
    if len(priorities) != len(rates) or len(patiences) != len(rates):
        raise ValueError("one priority and one patience per class")
    got = priority_patience_mix(rates, service_rate, servers, patiences, priorities)
    return {
        "unmet_share": [float(u) for u in got["unmet"]],
        "mean_wait": [float(w) for w in got["mean_wait"]],
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
