"""The six location models, built from numpy arrays straight into HiGHS (highspy).

Notation: clients i (n), facilities j (m), cost d_ij (np.inf: not allowed), client weight w_i
(1 unless given), facility capacity c_j, fixed cost f_j, binary y_j = 1 when site j opens.

- set-cover (LSCP, Toregas et al. 1971): min Σ y_j (or Σ f_j y_j) s.t. Σ_{j: d_ij ≤ r} y_j ≥ 1.
- max-cover (MCLP, Church & ReVelle 1974): max Σ w_i z_i s.t. z_i ≤ Σ_{j: d_ij ≤ r} y_j,
  Σ y_j = p, 0 ≤ z_i ≤ 1.
- p-median and facility-location (uncapacitated): the radius formulation of Elloumi (2010), "A
  computational study of a new formulation for the p-median problem", Discrete Applied
  Mathematics 158(8), 1053–1060 (first given by Cornuéjols, Nemhauser & Wolsey 1980), written
  as a chain so that it has O(nm) non-zeros (see `_radius`).
- p-center: binary search over the candidate radii (the distinct w_i d_ij), each step a set
  cover of at most p sites (Minieka 1970; the covering view of Daskin 2013, ch. 5).
- capacitated-p-median and facility-location with capacity: single-source assignment x_ij
  binary, Σ_j x_ij = 1, Σ_i w_i x_ij ≤ c_j y_j, x_ij ≤ y_j (the strong linking rows).

docs/method.md, Location models, gives each formulation and its validation.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from model.errors import Bi, InputError
from model.location.io import Costs, per_item, read_costs
from model.location.result import LocateResult

PROBLEMS = (
    "set-cover",
    "max-cover",
    "p-median",
    "p-center",
    "capacitated-p-median",
    "facility-location",
)
NEEDS_P = {"max-cover", "p-median", "p-center", "capacitated-p-median"}
NEEDS_RADIUS = {"set-cover", "max-cover"}
TAKES_CAPACITY = {"capacitated-p-median", "facility-location"}
TAKES_FIXED_COST = {"facility-location", "set-cover"}
EPS = 1e-9


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout while HiGHS is created (it prints a banner)."""
    try:
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError):
        pass
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


@dataclass
class _Model:
    """A MILP as arrays: columns (cost, bounds, integer mask), rows as CSR, `offset` added to
    the objective; `sense` 1 to minimise, -1 to maximise."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    rows: csr_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    offset: float = 0.0
    sense: float = 1.0
    info: dict[str, Any] = field(default_factory=dict)


def _coo(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], shape: tuple[int, int]) -> Any:
    """A CSR matrix from (rows, columns, values) blocks; a block's values may be one number."""
    rows = np.concatenate([p[0] for p in parts])
    cols = np.concatenate([p[1] for p in parts])
    vals = np.concatenate([np.broadcast_to(np.asarray(p[2], float), p[0].shape) for p in parts])
    return csr_matrix((vals, (rows, cols)), shape=shape)


def _solve(
    model: _Model, time_limit_s: float, gap: float, start: np.ndarray | None = None
) -> dict[str, Any]:
    """Solve `model` with HiGHS (one thread, quiet), from solution `start` if given: status, x,
    objective, bound, gap, seconds."""
    import highspy

    from model.optimizer.highs import run_highs

    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("time_limit", float(max(0.1, time_limit_s)))
    h.setOptionValue("mip_rel_gap", float(gap))
    n = len(model.cost)
    h.addCols(
        n,
        model.sense * model.cost,
        model.lower,
        model.upper,
        0,
        np.zeros(n, dtype=np.int32),
        np.zeros(0, dtype=np.int32),
        np.zeros(0),
    )
    a = model.rows
    if a.shape[0]:
        h.addRows(
            a.shape[0],
            model.row_lo,
            model.row_hi,
            a.nnz,
            a.indptr[:-1].astype(np.int32),
            a.indices.astype(np.int32),
            a.data.astype(float),
        )
    integer = np.flatnonzero(model.integer).astype(np.int32)
    if len(integer):
        h.changeColsIntegrality(
            len(integer),
            integer,
            np.full(len(integer), int(highspy.HighsVarType.kInteger), dtype=np.uint8),
        )
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        h.setSolution(solution)
    t0 = time.perf_counter()
    run_highs(h)
    seconds = time.perf_counter() - t0
    info = h.getInfo()
    status = h.getModelStatus()
    out: dict[str, Any] = {
        "status": h.modelStatusToString(status),
        "seconds": seconds,
        "x": None,
        "objective": None,
        "bound": None,
        "gap": None,
        "infeasible": status
        in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible),
    }
    if info.primal_solution_status == 2:
        out["x"] = np.asarray(h.getSolution().col_value)
        out["objective"] = model.sense * info.objective_function_value + model.offset
        if len(integer):
            out["bound"] = model.sense * float(info.mip_dual_bound) + model.offset
            out["gap"] = float(info.mip_gap)
        else:
            out["bound"], out["gap"] = out["objective"], 0.0
    return out


def _no_solution(result: dict[str, Any], time_limit_s: float) -> Exception:
    from model.optimizer.highs import SolverError

    return SolverError(
        Bi(
            f"HiGHS found no solution ({result['status']}) within {time_limit_s:g} s; "
            "raise time_limit_s (--time-limit)",
            f"HiGHS 在 {time_limit_s:g} 秒内没有找到解（{result['status']}）：请提高 time_limit_s"
            "（--time-limit）",
        )
    )


def _binary(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(m), np.ones(m), np.ones(m, dtype=bool)


def _cover_model(cover: np.ndarray, site_cost: np.ndarray, most: int | None = None) -> _Model:
    """Set cover: min Σ site_cost_j y_j s.t. every client has an open site j with cover[i, j];
    with `most`, also Σ y_j ≤ most."""
    n, m = cover.shape
    ii, jj = np.nonzero(cover)
    parts = [(ii, jj, np.ones(1))]
    lo, hi = np.ones(n), np.full(n, np.inf)
    if most is not None:
        parts.append((np.full(m, n), np.arange(m), np.ones(1)))
        lo, hi = np.append(lo, 0.0), np.append(hi, float(most))
    rows = _coo(parts, (len(lo), m))
    low, up, integer = _binary(m)
    return _Model(site_cost.astype(float), low, up, integer, rows, lo, hi)


def _radius(
    d: np.ndarray,
    w: np.ndarray,
    site_cost: np.ndarray,
    p: int | None,
    depth: np.ndarray | None = None,
) -> _Model:
    """The radius formulation (Elloumi 2010) of p-median (`p`) or uncapacitated facility
    location (`p` None, `site_cost` the fixed costs).

    Client i's distinct costs D_i^1 < … < D_i^K; z_i^k (k < K) is 1 when no open site is within
    D_i^k: min Σ_j site_cost_j y_j + Σ_i w_i (D_i^1 + Σ_k (D_i^{k+1} − D_i^k) z_i^k) s.t.
    z_i^k + Σ_{j: d_ij ≤ D_i^k} y_j ≥ 1. Elloumi's rows have O(n m²) non-zeros; here each is
    written against the one before, z_i^k − z_i^{k−1} + Σ_{j: d_ij = D_i^k} y_j ≥ 0 (z_i^0 ≡ 1),
    which has the same projection on (y, z) at any optimum (costs of z are positive) and O(nm)
    non-zeros. With p sites open, the (m−p+1)-th nearest site is always within reach (also in
    the LP: at most m − |N| of the p sites lie outside N), so levels beyond it are left out.

    With `depth` (per client), only the client's `depth` nearest sites have rows; its last z
    then costs up to the next site's cost (a lower bound of the cost beyond): a relaxation, exact
    for every client served within its depth (`_deepening`). `info["reach"]`: the largest cost
    modelled exactly per client (np.inf when all are).
    """
    n, m = d.shape
    order = np.argsort(d, axis=1, kind="stable")
    s = np.take_along_axis(d, order, axis=1)
    cut_all = m - p if p is not None else m - 1  # the last position that can matter
    cut = np.full(n, cut_all) if depth is None else np.minimum(cut_all, depth - 1)
    finite = np.isfinite(s)
    rows_n = np.arange(n)
    beyond = np.minimum(cut + 1, m - 1)
    truncated = (cut < cut_all) & finite[rows_n, beyond]
    positions = np.arange(m)[None, :]
    valid = finite & (positions <= cut[:, None])
    extra = np.zeros_like(valid)
    extra[rows_n[truncated], beyond[truncated]] = True  # the cost beyond: a level of no site
    new = np.ones_like(s, dtype=bool)
    new[:, 1:] = s[:, 1:] > s[:, :-1]
    new = (new & valid) | extra
    lev = np.cumsum(new, axis=1) - 1
    levels = new.sum(axis=1)  # K_i ≥ 1
    # fewer sites in reach than m − p + 1 (and none beyond): the last level needs its row
    final = ~finite[:, cut_all] & ~truncated
    nz = levels - 1
    nrows = nz + final
    zoff = np.concatenate([[0], np.cumsum(nz)[:-1]])
    roff = np.concatenate([[0], np.cumsum(nrows)[:-1]])
    loff = np.concatenate([[0], np.cumsum(levels)[:-1]])
    values = s[new]  # D_i^k, client by client
    z_total, r_total = int(nz.sum()), int(nrows.sum())
    zi = np.repeat(rows_n, nz)
    zk = np.arange(z_total) - np.repeat(zoff, nz)
    at = np.repeat(loff, nz) + zk
    z_cost = w[zi] * (values[at + 1] - values[at])
    ii, pp = np.nonzero(valid & (lev < nrows[:, None]))
    parts = [(roff[ii] + lev[ii, pp], order[ii, pp], np.ones(1))]
    parts.append((np.repeat(roff, nz) + zk, m + np.arange(z_total), np.ones(1)))
    back = np.maximum(nrows - 1, 0)
    bi = np.repeat(rows_n, back)
    bk = np.arange(int(back.sum())) - np.repeat(np.concatenate([[0], np.cumsum(back)[:-1]]), back)
    parts.append((roff[bi] + bk + 1, m + zoff[bi] + bk, -np.ones(1)))
    rk = np.arange(r_total) - np.repeat(roff, nrows)
    lo = (rk == 0).astype(float)
    hi = np.full(r_total, np.inf)
    if p is not None:
        parts.append((np.full(m, r_total), np.arange(m), np.ones(1)))
        lo, hi = np.append(lo, float(p)), np.append(hi, float(p))
    cols = m + z_total
    rows = _coo(parts, (len(lo), cols))
    low, up, integer = _binary(m)
    return _Model(
        np.concatenate([site_cost.astype(float), z_cost]),
        np.concatenate([low, np.zeros(z_total)]),
        np.concatenate([up, np.full(z_total, np.inf)]),
        np.concatenate([integer, np.zeros(z_total, dtype=bool)]),
        rows,
        lo,
        hi,
        offset=float((w * s[:, 0]).sum()),
        info={
            "reach": np.where(truncated, s[rows_n, np.minimum(cut, m - 1)], np.inf),
            "z_client": zi,
            "z_level": values[at],
        },
    )


def _interchange(d: np.ndarray, w: np.ndarray, p: int) -> np.ndarray:
    """A good p-median to start HiGHS from: greedy, then the best single swap of an open site
    for a closed one while it lowers Σ w_i d_i (Teitz & Bart 1968, vertex substitution), each
    pass over all swaps at once with numpy (nearest and second-nearest open sites)."""
    n, m = d.shape
    big = np.where(np.isfinite(d), d, 1e18 * (1 + d[np.isfinite(d)].max(initial=0)))
    open_ = np.zeros(m, dtype=bool)
    near = np.full(n, np.inf)
    for _ in range(p):  # greedy: the site that lowers the cost most
        gain = (w * near)[:, None] - np.minimum(near[:, None], big) * w[:, None]
        j = int(np.argmax(np.where(open_, -np.inf, gain.sum(axis=0))))
        open_[j] = True
        near = np.minimum(near, big[:, j])
    for _ in range(10 * p + 50):
        sites = np.flatnonzero(open_)
        part = big[:, sites]
        order = np.argsort(part, axis=1)[:, :2]
        first = sites[order[:, 0]]
        d1 = part[np.arange(n), order[:, 0]]
        d2 = part[np.arange(n), order[:, 1]] if p > 1 else np.full(n, np.inf)
        a = np.minimum(d1[:, None], big) * w[:, None]  # j added, nothing removed
        b = np.minimum(np.minimum(d2, 1e300)[:, None], big) * w[:, None] - a  # r removed too
        owner = np.zeros((p, n))
        owner[np.searchsorted(sites, first), np.arange(n)] = 1.0
        swap = a.sum(axis=0)[None, :] + owner @ b  # cost of (remove sites[r], add j)
        swap[:, open_] = np.inf
        out, into = (int(k) for k in np.unravel_index(int(np.argmin(swap)), swap.shape))
        if swap[out, into] >= (w * d1).sum() - 1e-9 * max(1.0, (w * d1).sum()):
            break
        open_[sites[out]], open_[into] = False, True
    return open_


def _deepening(
    d: np.ndarray,
    w: np.ndarray,
    site_cost: np.ndarray,
    p: int | None,
    limit: float,
    gap: float,
    t0: float,
    first: int | None = None,
) -> dict[str, Any]:
    """Solve the radius formulation with each client's nearest sites only, deepening where the
    solution serves a client beyond them, until it serves every client within them.

    Each round is a relaxation (its bound bounds the problem); a solution that serves every
    client within its modelled sites costs what the relaxation says, so it is optimal within
    the round's gap. Start: the 3m/p nearest sites (p-median) or 64 (facility location), at
    least 16 (or `first`); a client served beyond them gets twice as many.
    """
    n, m = d.shape
    start = first or max(16, 3 * -(-m // p) if p is not None else 64)
    depth = np.full(n, min(m, start))
    guess: np.ndarray | None = None
    if p is not None and first is None:
        guess = _interchange(d, w, p)
        # every client's sites reach at least twice as far as the guess serves it
        served = np.where(guess[None, :], d, np.inf).min(axis=1)
        rank = (d <= served[:, None] + EPS).sum(axis=1)
        depth = np.minimum(m, np.maximum(depth, 2 * rank))
    deadline = time.perf_counter() + limit
    rounds: list[dict[str, Any]] = []
    build_s, solve_s = time.perf_counter() - t0, 0.0  # from reading the inputs
    while True:
        t1 = time.perf_counter()
        model = _radius(d, w, site_cost, p, depth)
        build_s += time.perf_counter() - t1
        begin = None
        if guess is not None:
            served = np.where(guess[None, :], d, np.inf).min(axis=1)
            info = model.info
            z = served[info["z_client"]] > info["z_level"] + EPS
            begin = np.concatenate([guess, z]).astype(float)
        out = _solve(model, deadline - time.perf_counter(), gap, begin)
        solve_s += out["seconds"]
        rounds.append(
            {
                "depth_mean": round(float(depth.mean()), 1),
                "rows": model.rows.shape[0],
                "seconds": round(out["seconds"], 3),
                "status": out["status"],
            }
        )
        if out["x"] is None:
            break
        open_ = _open(out, m)
        facility = _nearest(d, open_)
        served = d[np.arange(n), facility]
        far = served > model.info["reach"] + EPS
        if not far.any() or out["status"] != "Optimal":
            if far.any():  # out of time with a relaxed answer: no bound, no proof
                out["status"], out["gap"], out["bound"] = "Time limit reached", None, None
            break
        depth = np.where(far, np.minimum(m, 2 * depth), depth)
        guess = open_
    out.update(
        variables=len(model.cost),
        constraints=model.rows.shape[0],
        build_s=build_s,
        solve_s=solve_s,
        details={"rounds": rounds},
    )
    if out["x"] is not None:
        out["open"], out["facility"] = open_, facility
        out["objective"] = float(site_cost[open_].sum() + (w * served).sum())
    return out


def _capacitated(
    d: np.ndarray, w: np.ndarray, cap: np.ndarray, site_cost: np.ndarray, p: int | None
) -> tuple[_Model, np.ndarray, np.ndarray]:
    """Single-source capacitated model: binary x_ij for the pairs a client may use (finite cost,
    its weight within the capacity); returns the model and the pairs' (client, facility)."""
    n, m = d.shape
    pi, pj = np.nonzero(np.isfinite(d) & (w[:, None] <= cap[None, :] + EPS))
    k = len(pi)
    x = m + np.arange(k)
    parts = [
        (pi, x, np.ones(1)),  # Σ_j x_ij = 1
        (n + pj, x, w[pi]),  # Σ_i w_i x_ij − c_j y_j ≤ 0
        (n + np.arange(m), np.arange(m), -cap),
        (n + m + np.arange(k), x, np.ones(1)),  # x_ij − y_j ≤ 0
        (n + m + np.arange(k), pj, -np.ones(1)),
    ]
    lo = np.concatenate([np.ones(n), np.full(m + k, -np.inf)])
    hi = np.concatenate([np.ones(n), np.zeros(m + k)])
    if p is not None:
        parts.append((np.full(m, n + m + k), np.arange(m), np.ones(1)))
        lo, hi = np.append(lo, float(p)), np.append(hi, float(p))
    rows = _coo(parts, (len(lo), m + k))
    cost = np.concatenate([site_cost.astype(float), w[pi] * d[pi, pj]])
    model = _Model(cost, np.zeros(m + k), np.ones(m + k), np.ones(m + k, dtype=bool), rows, lo, hi)
    return model, pi, pj


def _nearest(d: np.ndarray, open_: np.ndarray) -> np.ndarray:
    """Each client's nearest open facility (the first such in the facilities' order on ties)."""
    masked = np.where(open_[None, :], d, np.inf)
    return np.argmin(masked, axis=1)


def _min_sites(reach: np.ndarray, time_limit_s: float) -> int:
    """The fewest sites with every client in reach of one (a set cover; for messages)."""
    out = _solve(_cover_model(reach, np.ones(reach.shape[1])), time_limit_s, 0.0)
    return int(round(out["objective"])) if out["objective"] is not None else reach.shape[1]


def _number(value: float) -> str:
    return f"{value:,.6g}"


def _check_p(p: int | None, m: int, problem: str) -> int:
    if p is None:
        raise InputError(
            "p",
            None,
            Bi(f"the number of sites to open, for {problem}", f"{problem} 需要开设的站点数 p"),
        )
    if isinstance(p, bool) or int(p) != p or p < 1:
        raise InputError("p", None, Bi("a whole number ≥ 1", "不小于 1 的整数"), p)
    if p > m:
        raise InputError(
            "p",
            None,
            Bi("", ""),
            problem=Bi(
                f"p must be at most {m}, the number of facilities",
                f"p 最多为 {m}（候选设施的个数）",
            ),
        )
    return int(p)


def _not_for(name: str, problems: set[str], problem: str) -> InputError:
    listed = ", ".join(sorted(problems))
    return InputError(
        name,
        None,
        Bi("", ""),
        problem=Bi(
            f"{name} applies to {listed}, not to {problem}",
            f"{name} 只适用于 {listed}，不适用于 {problem}",
        ),
    )


def locate(
    costs: str | Path | pd.DataFrame | np.ndarray,
    problem: str,
    *,
    p: int | None = None,
    radius: float | None = None,
    weights: Any = None,
    capacity: Any = None,
    fixed_cost: Any = None,
    solver: str | None = None,
    time_limit_s: float = 600.0,
    gap: float = 0.0,
) -> LocateResult:
    """Solve a location model on a client × facility cost table.

    `problem`: "set-cover" (fewest sites, or cheapest with `fixed_cost`, with every client within
    `radius`), "max-cover" (`p` sites covering the most weight within `radius`), "p-median" (`p`
    sites, least Σ weight × cost), "p-center" (`p` sites, least largest weight × cost),
    "capacitated-p-median" (p-median with `capacity` per site, each client to one site, its
    weight the demand), "facility-location" (least Σ fixed cost + Σ weight × cost; with
    `capacity`, capacitated, each client to one site). `costs`: a long table client, facility,
    cost (CSV path or DataFrame) or a matrix (numpy array or DataFrame, clients × facilities),
    in the units of the radius (minutes, km). `weights` (client, weight; default 1 each),
    `capacity` (facility, capacity, in the weights' units), `fixed_cost` (facility, fixed_cost;
    万元 or any unit): tables, Series, dicts, arrays or one number. `solver`: "highs" (the only
    one; None is HiGHS); `time_limit_s` per solve, `gap` the relative MIP gap (0: proven
    optimal). Infeasible inputs raise InputError with the least change that makes them feasible.
    """
    if problem not in PROBLEMS:
        raise InputError(
            "problem",
            None,
            Bi("one of " + ", ".join(PROBLEMS), "以下之一：" + "、".join(PROBLEMS)),
            problem,
        )
    if solver not in (None, "highs"):
        raise InputError("solver", None, Bi("highs (HiGHS)", "highs（HiGHS）"), solver)
    if time_limit_s <= 0 or not 0 <= gap < 1:
        raise InputError(
            "time_limit_s, gap", None, Bi("time > 0 s, 0 ≤ gap < 1", "时间 > 0 秒，0 ≤ gap < 1")
        )
    t0 = time.perf_counter()
    c = read_costs(costs)
    d, n, m = c.matrix, *c.matrix.shape
    w = per_item(weights, c.clients, "client", "weight", default=1.0)
    assert w is not None
    cap = per_item(capacity, c.facilities, "facility", "capacity")
    fixed = per_item(fixed_cost, c.facilities, "facility", "fixed_cost")
    if p is not None and problem not in NEEDS_P:
        raise _not_for("p", NEEDS_P, problem)
    if radius is not None and problem not in NEEDS_RADIUS:
        raise _not_for("radius", NEEDS_RADIUS, problem)
    if cap is not None and problem not in TAKES_CAPACITY:
        raise _not_for("capacity", TAKES_CAPACITY, problem)
    if fixed is not None and problem not in TAKES_FIXED_COST:
        raise _not_for("fixed_cost", TAKES_FIXED_COST, problem)
    if problem in NEEDS_P:
        p = _check_p(p, m, problem)
    if problem in NEEDS_RADIUS:
        if radius is None or not np.isfinite(radius) or radius < 0:
            raise InputError(
                "radius",
                None,
                Bi(
                    f"a cost ≥ 0 within which a site covers a client, for {problem}",
                    f"{problem} 需要覆盖半径（不小于 0）",
                ),
                radius,
            )
    if problem == "capacitated-p-median" and cap is None:
        raise InputError(
            "capacity",
            None,
            Bi(
                "a capacity per facility (facility, capacity)",
                "每个设施的容量（facility, capacity）",
            ),
        )
    if problem == "facility-location" and fixed is None:
        raise InputError(
            "fixed_cost",
            None,
            Bi(
                "a fixed cost per facility (facility, fixed_cost)",
                "每个设施的固定成本（facility, fixed_cost）",
            ),
        )
    solve = {
        "set-cover": _set_cover,
        "max-cover": _max_cover,
        "p-median": _p_median,
        "p-center": _p_center,
        "capacitated-p-median": _capacitated_solve,
        "facility-location": _facility_location,
    }[problem]
    args = {"p": p, "radius": radius, "w": w, "cap": cap, "fixed": fixed}
    out = solve(c, args, time_limit_s, gap, t0)
    open_, facility = out["open"], out["facility"]
    rows = np.arange(n)
    assignment = pd.DataFrame(
        {
            "client": c.clients,
            "facility": c.facilities[facility],
            "cost": d[rows, facility],
            "weight": w,
        }
    )
    covered_share = None
    if problem in NEEDS_RADIUS:
        assert radius is not None
        covered = assignment["cost"].to_numpy() <= radius + EPS
        assignment["covered"] = covered
        total = float(w.sum())
        covered_share = float(w[covered].sum() / total) if total > 0 else 1.0
    return LocateResult(
        problem=problem,
        objective=float(out["objective"]),
        sites=list(c.facilities[np.flatnonzero(open_)]),
        assignment=assignment,
        status=out["status"],
        gap=out["gap"],
        best_bound=out.get("bound"),
        covered_share=covered_share,
        variables=out.get("variables", 0),
        constraints=out.get("constraints", 0),
        build_s=out.get("build_s", 0.0),
        solve_s=out.get("solve_s", 0.0),
        details=out.get("details", {}),
    )


def _run(model: _Model, time_limit_s: float, gap: float, t0: float) -> dict[str, Any]:
    """Solve; the sizes and times of the result (`build_s` since t0, `solve_s`)."""
    build_s = time.perf_counter() - t0
    out = _solve(model, time_limit_s, gap)
    out.update(
        variables=len(model.cost),
        constraints=model.rows.shape[0],
        build_s=build_s,
        solve_s=out["seconds"],
    )
    return out


def _finish(out: dict[str, Any], d: np.ndarray, open_: np.ndarray) -> dict[str, Any]:
    out["open"], out["facility"] = open_, _nearest(d, open_)
    return out


def _open(out: dict[str, Any], m: int) -> np.ndarray:
    return np.asarray(out["x"][:m]) > 0.5


def _set_cover(c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float) -> dict[str, Any]:
    d, r = c.matrix, float(a["radius"])
    need = float(d.min(axis=1).max())
    if r + EPS < need:
        far = c.clients[int(np.argmax(d.min(axis=1)))]
        raise InputError(
            "radius",
            None,
            Bi("", ""),
            problem=Bi(
                f"radius must be at least {_number(need)} for every client to be within reach "
                f"of some site (client {far} is {_number(need)} from its nearest facility)",
                f"半径至少应为 {_number(need)}，每个客户才都有站点可达（客户 {far} 离最近的设施 "
                f"{_number(need)}）",
            ),
        )
    site_cost = a["fixed"] if a["fixed"] is not None else np.ones(d.shape[1])
    out = _run(_cover_model(d <= r + EPS, site_cost), limit, gap, t0)
    if out["x"] is None:
        raise _no_solution(out, limit)
    return _finish(out, d, _open(out, d.shape[1]))


def _max_cover(c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float) -> dict[str, Any]:
    d, r, w, p = c.matrix, float(a["radius"]), a["w"], a["p"]
    n, m = d.shape
    ii, jj = np.nonzero(d <= r + EPS)
    parts = [
        (np.arange(n), m + np.arange(n), np.ones(1)),  # z_i − Σ_{j covers i} y_j ≤ 0
        (ii, jj, -np.ones(1)),
        (np.full(m, n), np.arange(m), np.ones(1)),  # Σ y_j = p
    ]
    lo = np.append(np.full(n, -np.inf), float(p))
    hi = np.append(np.zeros(n), float(p))
    model = _Model(
        np.concatenate([np.zeros(m), w]),
        np.zeros(m + n),
        np.ones(m + n),
        np.concatenate([np.ones(m, dtype=bool), np.zeros(n, dtype=bool)]),
        _coo(parts, (n + 1, m + n)),
        lo,
        hi,
        sense=-1.0,
    )
    out = _run(model, limit, gap, t0)
    if out["x"] is None:
        raise _no_solution(out, limit)
    open_ = _open(out, m)
    covered = (np.where(open_[None, :], d, np.inf) <= r + EPS).any(axis=1)
    out["objective"] = float(w[covered].sum())
    return _finish(out, d, open_)


def _too_few(c: Costs, p: int, limit: float) -> InputError:
    k = _min_sites(np.isfinite(c.matrix), limit)
    return InputError(
        "p",
        None,
        Bi("", ""),
        problem=Bi(
            f"p must be at least {k} for every client to reach an open site (the costs leave "
            f"pairs out)",
            f"p 至少应为 {k}，每个客户才都能到达一个开设的站点（成本表缺少部分客户—设施对）",
        ),
    )


def _p_median(c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float) -> dict[str, Any]:
    d, w, p = c.matrix, a["w"], a["p"]
    out = _deepening(d, w, np.zeros(d.shape[1]), p, limit, gap, t0)
    if out["infeasible"]:
        raise _too_few(c, p, limit)
    if out["x"] is None:
        raise _no_solution(out, limit)
    return out


def _facility_location(
    c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float
) -> dict[str, Any]:
    if a["cap"] is not None:
        return _capacitated_solve(c, a, limit, gap, t0)
    out = _deepening(c.matrix, a["w"], a["fixed"], None, limit, gap, t0)
    if out["x"] is None:
        raise _no_solution(out, limit)
    return out


def _capacitated_solve(
    c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float
) -> dict[str, Any]:
    d, w, cap, p = c.matrix, a["w"], a["cap"], a["p"]
    fixed = a["fixed"] if a["fixed"] is not None else np.zeros(d.shape[1])
    demand = float(w.sum())
    reach = np.where(np.isfinite(d), cap[None, :], 0.0).max(axis=1)
    short = w > reach + EPS
    if short.any():
        i = int(np.argmax(short))
        raise InputError(
            "capacity",
            None,
            Bi("", ""),
            problem=Bi(
                f"a facility that client {c.clients[i]} can reach must have a capacity of at "
                f"least {_number(w[i])}, its weight (each client goes to one site)",
                f"客户 {c.clients[i]} 可到达的设施中至少要有一个容量不小于 {_number(w[i])}"
                f"（其权重；每个客户只去一个站点）",
            ),
        )
    if cap.sum() + EPS < demand:
        raise InputError(
            "capacity",
            None,
            Bi("", ""),
            problem=Bi(
                f"capacity must total at least {_number(demand)}, the clients' total weight "
                f"(it totals {_number(cap.sum())})",
                f"容量合计至少应为 {_number(demand)}（客户权重之和；现为 {_number(cap.sum())}）",
            ),
        )
    if p is not None:
        largest = np.sort(cap)[::-1]
        if largest[:p].sum() + EPS < demand:
            k = int(np.searchsorted(np.cumsum(largest), demand - EPS) + 1)
            raise InputError(
                "p",
                None,
                Bi("", ""),
                problem=Bi(
                    f"p must be at least {k}: the {p} largest capacities total "
                    f"{_number(largest[:p].sum())}, less than the clients' total weight "
                    f"{_number(demand)}",
                    f"p 至少应为 {k}：最大的 {p} 个容量合计 {_number(largest[:p].sum())}，"
                    f"小于客户权重之和 {_number(demand)}",
                ),
            )
    model, pi, pj = _capacitated(d, w, cap, fixed, p)
    out = _run(model, limit, gap, t0)
    if out["infeasible"]:
        raise InputError(
            "capacity",
            None,
            Bi("", ""),
            problem=Bi(
                "no assignment of each client to one site fits the capacities"
                + (f" with {p} sites" if p is not None else "")
                + ": raise the capacities"
                + (" or p" if p is not None else ""),
                "每个客户只去一个站点时，没有分配方案能满足容量"
                + (f"（{p} 个站点）" if p is not None else "")
                + "：请提高容量"
                + ("或 p" if p is not None else ""),
            ),
        )
    if out["x"] is None:
        raise _no_solution(out, limit)
    m = d.shape[1]
    x = out["x"][m:] > 0.5
    facility = np.zeros(d.shape[0], dtype=int)
    facility[pi[x]] = pj[x]
    out["open"], out["facility"] = _open(out, m), facility
    out["objective"] = float(fixed[out["open"]].sum() + (w * d[np.arange(len(w)), facility]).sum())
    return out


def _p_center(c: Costs, a: dict[str, Any], limit: float, gap: float, t0: float) -> dict[str, Any]:
    """Binary search on the radius: the least candidate r (a distinct w_i d_ij) at which at most p
    sites cover every client within r (each step a set-cover MILP, solved to optimality)."""
    d, w, p = c.matrix, a["w"], a["p"]
    n, m = d.shape
    wd = np.where(np.isfinite(d), w[:, None] * d, np.inf)
    least = float(wd.min(axis=1).max())
    candidates = np.unique(wd[np.isfinite(wd)])
    candidates = candidates[candidates >= least - EPS]
    build_s = time.perf_counter() - t0
    deadline = time.perf_counter() + limit
    solves, solve_s, proven = 0, 0.0, True
    found: dict[int, np.ndarray] = {}

    def fits(k: int) -> bool:
        nonlocal solves, solve_s, proven
        model = _cover_model(wd <= candidates[k] + EPS, np.ones(m))
        out = _solve(model, max(0.1, deadline - time.perf_counter()), 0.0)
        solves, solve_s = solves + 1, solve_s + out["seconds"]
        if out["x"] is not None and out["objective"] <= p + EPS:
            found[k] = _open(out, m)
            return True
        if not out["infeasible"] and out["status"] != "Optimal":
            if out["bound"] is None or out["bound"] <= p + EPS:
                proven = False  # undecided in the time left: counted as not fitting
        return False

    lo, hi = 0, len(candidates) - 1
    if not fits(hi):
        if not proven:
            raise _no_solution({"status": "Time limit reached"}, limit)
        raise _too_few(c, p, limit)
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid + 1
    open_ = found[hi].copy()
    extra = np.flatnonzero(~open_)[: p - int(open_.sum())]  # p sites: the rest change nothing
    open_[extra] = True
    facility = _nearest(d, open_)
    objective = float(wd[np.arange(n), facility].max())
    return {
        "open": open_,
        "facility": facility,
        "objective": objective,
        "status": "Optimal" if proven else "Time limit reached",
        "gap": 0.0 if proven else None,
        "bound": objective if proven else None,
        "variables": m,
        "constraints": n,
        "build_s": build_s,
        "solve_s": solve_s,
        "details": {"set_cover_solves": solves, "candidate_radii": int(len(candidates))},
    }
