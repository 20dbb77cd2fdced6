"""Location models' build and solve times (`python -m benchmarks locate`): a p-median of
random points (seeded, Euclidean distances, every point a client and a candidate site) and
OR-Library's pmed instances shipped in tests/data/locate (Beasley 1985; MIT, (c) J E Beasley).

Build: from the cost matrix to the arrays HiGHS gets, the full radius formulation of every
client's sites (`model.location.problems._radius`, as a 700-client model would be built without
the deepening). Solve: `model.locate`, which builds each client's nearest sites first and
deepens (docs/method.md, Location models); its own build time is in the row too.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks import ROOT

PUBLISHED = {"pmed1": 5819, "pmed4": 3034, "pmed5": 1355}
"""OR-Library's published optima (pmedopt; tests/data/locate/README.md)."""


def points(n: int, seed: int) -> np.ndarray:
    """n random points in a 100 × 100 square (seeded), their Euclidean distances."""
    pts = np.random.default_rng(seed).random((n, 2)) * 100
    return np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))


def row(name: str, costs, p: int, time_limit: float, published: float | None = None) -> str:
    from model.location.problems import _radius, locate

    d = np.asarray(costs, dtype=float)
    t0 = time.perf_counter()
    full = _radius(d, np.ones(len(d)), np.zeros(d.shape[1]), p)
    full_s = time.perf_counter() - t0
    r = locate(costs, "p-median", p=p, time_limit_s=time_limit)
    rounds = r.details.get("rounds", [])
    gap = "—" if r.gap is None else f"{r.gap:.2%}"
    known = "" if published is None else f" (published {published:g})"
    return (
        f"| {name} | {d.shape[0]} × {d.shape[1]} | {p} | {len(full.cost):,} / "
        f"{full.rows.shape[0]:,} / {full.rows.nnz:,} | {full_s:.2f} | "
        f"{r.variables:,} / {r.constraints:,} | {len(rounds)} | {r.build_s:.2f} | "
        f"{r.solve_s:.1f} | {r.objective:,.6g}{known} | {r.status} | {gap} |"
    )


def main(clients: int, p: int, seed: int, orlib: list[str], time_limit: float) -> None:
    from model.location.io import read_orlib_pmed

    print(
        "| instance | clients × sites | p | full model: columns / rows / non-zeros "
        "| full build s | solved model: columns / rows | rounds | build s | solve s "
        "| objective | status | gap |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in orlib:
        costs, q = read_orlib_pmed(ROOT / "tests" / "data" / "locate" / f"{name}.txt")
        print(row(name, costs, q, time_limit, PUBLISHED.get(name)), flush=True)
    print(row(f"random {clients} (seed {seed})", points(clients, seed), p, time_limit), flush=True)
