"""Location models against brute-force enumeration on small random instances, and against
OR-Library's published p-median optima (tests/data/locate, MIT, (c) J E Beasley)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

import model
from model.errors import InputError

DATA = ROOT / "tests" / "data" / "locate"
SEEDS = range(6)


def instance(seed: int, n: int = 7, m: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Integer costs (many ties) and integer weights."""
    rng = np.random.default_rng(seed)
    return rng.integers(1, 30, size=(n, m)).astype(float), rng.integers(1, 5, size=n).astype(float)


def subsets(m: int, sizes: range | list[int]):
    for k in sizes:
        for s in itertools.combinations(range(m), k):
            yield list(s)


@pytest.mark.parametrize("seed", SEEDS)
def test_set_cover_is_the_fewest_sites(seed):
    d, _ = instance(seed)
    radius = float(np.sort(d.min(axis=1))[-1] + 3)
    best = min(len(s) for s in subsets(5, range(1, 6)) if (d[:, s] <= radius).any(axis=1).all())
    r = model.locate(d, "set-cover", radius=radius)
    assert r.objective == best == len(r.sites)
    assert r.covered_share == 1.0 and r.assignment["covered"].all()


@pytest.mark.parametrize("seed", SEEDS)
def test_set_cover_with_fixed_costs_is_the_cheapest(seed):
    d, _ = instance(seed)
    f = np.random.default_rng(seed + 50).integers(1, 9, size=5).astype(float)
    radius = float(np.sort(d.min(axis=1))[-1] + 3)
    best = min(f[s].sum() for s in subsets(5, range(1, 6)) if (d[:, s] <= radius).any(axis=1).all())
    assert model.locate(d, "set-cover", radius=radius, fixed_cost=f).objective == best


@pytest.mark.parametrize("seed", SEEDS)
def test_max_cover_covers_the_most_weight(seed):
    d, w = instance(seed)
    radius, p = 8.0, 2
    best = max(w[(d[:, s] <= radius).any(axis=1)].sum() for s in subsets(5, [p]))
    r = model.locate(d, "max-cover", p=p, radius=radius, weights=w)
    assert r.objective == best and len(r.sites) == p
    assert r.covered_share == pytest.approx(best / w.sum())
    assert r.assignment.loc[r.assignment["covered"], "weight"].sum() == best


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_p_median_is_the_least_weighted_cost(seed, p):
    d, w = instance(seed)
    best = min((w * d[:, s].min(axis=1)).sum() for s in subsets(5, [p]))
    r = model.locate(d, "p-median", p=p, weights=w)
    assert r.objective == pytest.approx(best) and r.gap == 0 and len(r.sites) == p
    assert (r.assignment["weight"] * r.assignment["cost"]).sum() == pytest.approx(best)


def test_p_median_with_pairs_left_out_stays_within_the_table():
    d, w = instance(3)
    d[0, :4] = np.inf  # client 0 can only go to facility 4
    best = min((w * d[:, s].min(axis=1)).sum() for s in subsets(5, [2]))
    r = model.locate(d, "p-median", p=2, weights=w)
    assert r.objective == pytest.approx(best) and 4 in r.sites


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_p_center_is_the_least_largest_weighted_cost(seed, p):
    d, w = instance(seed)
    best = min((w * d[:, s].min(axis=1)).max() for s in subsets(5, [p]))
    r = model.locate(d, "p-center", p=p, weights=w)
    assert r.objective == best and r.status == "Optimal" and len(r.sites) == p


@pytest.mark.parametrize("seed", SEEDS)
def test_facility_location_is_the_least_total_cost(seed):
    d, w = instance(seed)
    f = np.random.default_rng(seed + 100).integers(5, 40, size=5).astype(float)
    best = min(f[s].sum() + (w * d[:, s].min(axis=1)).sum() for s in subsets(5, range(1, 6)))
    r = model.locate(d, "facility-location", weights=w, fixed_cost=f)
    assert r.objective == pytest.approx(best)


def single_source_best(d, w, cap, f, p=None):
    """Enumerate every assignment of clients to facilities (m^n) within the capacities."""
    n, m = d.shape
    best = np.inf
    for choice in itertools.product(range(m), repeat=n):
        load = np.bincount(choice, weights=w, minlength=m)
        if (load > cap + 1e-9).any():
            continue
        used = sorted(set(choice))
        if p is not None and len(used) > p:
            continue
        best = min(best, f[used].sum() + (w * d[np.arange(n), choice]).sum())
    return best


@pytest.mark.parametrize("seed", SEEDS)
def test_capacitated_p_median_is_the_least_cost_within_capacities(seed):
    d, w = instance(seed, n=6, m=4)
    cap = np.random.default_rng(seed + 7).integers(5, 10, size=4).astype(float)
    p = 2 if np.sort(cap)[-2:].sum() >= w.sum() else 3
    best = single_source_best(d, w, cap, np.zeros(4), p)
    r = model.locate(d, "capacitated-p-median", p=p, weights=w, capacity=cap)
    assert r.objective == pytest.approx(best) and len(r.sites) == p
    load = r.assignment.groupby("facility")["weight"].sum()
    assert all(load[j] <= cap[j] for j in load.index)


@pytest.mark.parametrize("seed", SEEDS)
def test_capacitated_facility_location_is_the_least_total_cost(seed):
    d, w = instance(seed, n=6, m=4)
    cap = np.random.default_rng(seed + 7).integers(5, 10, size=4).astype(float)
    f = np.random.default_rng(seed + 100).integers(5, 40, size=4).astype(float)
    best = single_source_best(d, w, cap, f)
    r = model.locate(d, "facility-location", weights=w, capacity=cap, fixed_cost=f)
    assert r.objective == pytest.approx(best)


def test_long_table_and_files_give_the_same_answer(tmp_path):
    d, w = instance(1)
    long = pd.DataFrame(
        [(f"v{i}", f"s{j}", d[i, j]) for i in range(7) for j in range(5)],
        columns=["client", "facility", "cost"],
    )
    long.to_csv(tmp_path / "costs.csv", index=False)
    pd.DataFrame({"client": [f"v{i}" for i in range(7)], "weight": w}).to_csv(
        tmp_path / "w.csv", index=False
    )
    a = model.locate(d, "p-median", p=2, weights=w)
    b = model.locate(tmp_path / "costs.csv", "p-median", p=2, weights=tmp_path / "w.csv")
    assert a.objective == b.objective
    assert [f"s{j}" for j in a.sites] == b.sites
    assert list(b.assignment["client"]) == [f"v{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("problem", "kwargs", "english", "chinese"),
    [
        ("set-cover", {"radius": 5}, "radius must be at least 290", "半径至少应为 290"),
        ("p-median", {"p": 4}, "p must be at most 3", "p 最多为 3"),
        (
            "capacitated-p-median",
            {"p": 2, "capacity": [1, 1, 1]},
            "capacity must total at least 4",
            "容量合计至少应为 4",
        ),
        (
            "capacitated-p-median",
            {"p": 1, "capacity": [2, 2, 2]},
            "p must be at least 2",
            "p 至少应为 2",
        ),
        (
            "facility-location",
            {"fixed_cost": 1, "capacity": [5, 5, 5], "weights": [6, 1, 1, 1]},
            "capacity of at least 6",
            "容量不小于 6",
        ),
        ("facility-location", {}, "fixed cost per facility", "固定成本"),
        ("p-center", {"radius": 5, "p": 1}, "radius applies to", "只适用于"),
    ],
)
def test_infeasible_inputs_name_the_least_change(problem, kwargs, english, chinese):
    d = np.array([[10.0, 290, 400], [300, 20, 500], [600, 290, 30], [700, 290, 800]])
    with pytest.raises(InputError) as err:
        model.locate(d, problem, **kwargs)
    assert english in str(err.value)
    assert chinese in err.value.render("zh")
    assert english_runs(err.value.render("zh")) == []


def english_runs(text: str) -> list[str]:
    """English phrases (three words in a row) left in a Chinese message once quoted values,
    names with - _ . / and options are taken out (as tests/inputs/test_input_errors.py)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", " ", text)
    text = re.sub(r"\S*[/\\]\S*|[\w-]+(?:\.[\w-]+)+|\w*_\w*|--[\w-]+|\w+-[\w-]+", " ", text)
    return re.findall(r"[A-Za-z]+(?:[ \t]+[A-Za-z]+){2,}", text)


def test_unknown_problem_lists_the_six():
    with pytest.raises(InputError, match="p-median"):
        model.locate(np.ones((2, 2)), "k-means")


def test_orlib_reader_takes_the_later_duplicate_edge(tmp_path):
    (tmp_path / "g.txt").write_text("3 3 1\n1 2 5\n2 3 4\n1 2 1\n", encoding="utf-8")
    costs, p = model.read_orlib_pmed(tmp_path / "g.txt")
    assert p == 1 and costs.loc[1, 2] == 1 and costs.loc[1, 3] == 5 and costs.loc[3, 1] == 5


@pytest.mark.parametrize(("name", "optimum"), [("pmed1", 5819), ("pmed4", 3034), ("pmed5", 1355)])
def test_orlib_p_median_reaches_the_published_optimum(name, optimum):
    costs, p = model.read_orlib_pmed(DATA / f"{name}.txt")
    r = model.locate(costs, "p-median", p=p)
    assert r.objective == optimum and r.status == "Optimal" and len(r.sites) == p


@pytest.mark.parametrize(("problem", "p"), [("p-median", 8), ("facility-location", None)])
def test_deepening_reaches_the_optimum_of_the_full_formulation(problem, p):
    from model.location.problems import _deepening, _radius, _solve

    rng = np.random.default_rng(5)
    pts = rng.random((90, 2)) * 100
    d = np.round(np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)), 1)
    w = rng.integers(1, 4, size=90).astype(float)
    f = np.full(90, 120.0) if p is None else np.zeros(90)
    full = _solve(_radius(d, w, f, p), 60, 0.0)
    r = model.locate(d, problem, p=p, weights=w, fixed_cost=None if p else f)
    assert r.objective == pytest.approx(full["objective"]) and r.gap == 0
    shallow = _deepening(d, w, f, p, 60, 0.0, 0.0, first=2)  # two nearest sites, then deeper
    assert shallow["objective"] == pytest.approx(full["objective"]) and shallow["gap"] == 0
    assert len(shallow["details"]["rounds"]) > 1


@pytest.mark.parametrize(("name", "radius"), [("pmed1", 127), ("pmed4", 74), ("pmed5", 48)])
def test_orlib_p_center_reaches_the_radius_in_the_literature(name, radius):
    """The optimal p-center radii of these instances in the literature (e.g. Elloumi, Labbé &
    Pochet 2004, INFORMS Journal on Computing 16(1), 84–94, on OR-Library's pmed set)."""
    costs, p = model.read_orlib_pmed(DATA / f"{name}.txt")
    r = model.locate(costs, "p-center", p=p)
    assert r.objective == radius and r.status == "Optimal"
