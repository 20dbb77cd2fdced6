"""Social work posts beyond the stations (sc.sectors; model.optimizer.sectors).

One township with a station and one worker that stays (no attrition, no lay-offs, at most one
worker a station), two years, min_cost. Three sectors: care homes (one post per 100 of the
township's 450 care beds: 5 needed, all by 2025), schools (3 needed, 1 post today, all by 2026,
at most 1 new post a year: the cap binds, 2 posts in 2025 already) and community services (no
target, the cheapest post). A workers_total target in 2026 that only sector posts can reach
takes the cheapest posts. The optimizer's posts are checked against enumeration of every
sequence of posts within the rules.
"""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import worked_data, write_small

from model import InputError
from model.optimizer.optimize import optimize
from model.plan.check import check_plan
from model.plan.targets import required_targets, sector_posts_needed

ROWS = ["A,甲镇,一县,rural,5000,900,400,60,1,1,0,1.0,0.0,450"]

SECTORS = {
    "care": {
        "label": "养老机构",
        "driver": "care_beds",
        "per": 100,
        "certified_share": 0.3,
        "cost": 4.0,
        "target": {2025: 1.0},
    },
    "school": {
        "label": "学校",
        "need": 3,
        "posts": 1,
        "certified_share": 0.5,
        "cost": 3.0,
        "max_new_per_year": 1,
        "target": {2026: 1.0},
    },
    "community": {"label": "社区", "certified_share": 0.4, "cost": 1.0, "max_new_per_year": 10},
}


def scenario(tmp_path, sectors: dict | None = None, targets: dict | None = None, **extra):
    data = worked_data(
        budget={2025: 1000, 2026: 1000},
        horizon={"start": 2025, "years": 2},
        objective="min_cost",
        staffing={"max_workers": 1},
        sectors=SECTORS if sectors is None else sectors,
        targets=targets or {},
        **extra,
    )
    return write_small(tmp_path, ROWS, data)


def enumerate_best(sc, workers_total: int) -> tuple[float, dict]:
    """The least spend on sector posts (万元, both years) by enumeration: every sequence of
    posts per sector that never falls below last year's (today's), adds at most
    max_new_per_year a year, holds no more than the sector needs (if it needs any) and meets
    the sector's target, with all sectors' posts in 2026
    reaching `workers_total` less the station's one worker."""
    needed = sector_posts_needed(sc)
    options = {}
    for name, s in sc.sectors.items():
        seqs = []
        for p1, p2 in itertools.product(range(0, 15), repeat=2):
            if not (s.posts <= p1 <= p2) or p1 - s.posts > s.max_new_per_year:
                continue
            if p2 - p1 > s.max_new_per_year:
                continue
            if needed[name] > 0 and p2 > max(s.posts, needed[name]):
                continue  # no more posts than the sector needs
            posts = {2025: p1, 2026: p2}
            if any(
                posts[y] < math.ceil(share * needed[name] - 1e-9) for y, share in s.target.items()
            ):
                continue
            seqs.append(((p1, p2), s.cost * (p1 + p2)))
        options[name] = seqs
    best, arg = math.inf, {}
    names = list(options)
    for combo in itertools.product(*(options[n] for n in names)):
        if sum(seq[1] for seq, _ in combo) < workers_total - 1:
            continue
        cost = sum(c for _, c in combo)
        if cost < best - 1e-9:
            best, arg = cost, {n: seq for n, (seq, _) in zip(names, combo)}
    return best, arg


def posts_of(result) -> dict[str, tuple[int, int]]:
    s = result.sectors.sort_values(["sector", "year"])
    return {n: tuple(int(v) for v in g["posts"]) for n, g in s.groupby("sector")}


def test_posts_needed_and_required(tmp_path):
    sc = scenario(tmp_path)
    assert sector_posts_needed(sc) == {"care": 5, "school": 3, "community": 0}
    rows = [r for r in required_targets(sc) if r[0] == "sector_posts"]
    assert rows == [("sector_posts", 2025, "care", 5.0), ("sector_posts", 2026, "school", 3.0)]


def test_optimal_posts_match_enumeration(tmp_path):
    """Targets and a workers_total met by the cheapest posts; the school's cap binds."""
    sc = scenario(tmp_path, targets={"workers_total": {2026: 11}})
    result = optimize(sc, estimate_gap=False, worth=False)
    best, arg = enumerate_best(sc, 11)
    got = posts_of(result)
    assert got == arg
    assert got["school"] == (2, 3)  # 3 by 2026 at one new post a year: 2 already in 2025
    assert got["care"] == (5, 5)
    assert got["community"] == (0, 2)  # the cheapest posts reach workers_total 2026
    spend = float(result.sectors["spend_salary"].sum())
    assert spend == pytest.approx(best)
    assert result.all_targets_met
    row = result.targets.set_index(["target", "year"])
    assert row.loc[("workers_total", 2026), "achieved"] == 11  # station 1 + sectors 10
    assert row.loc[("sector_posts.care", 2025), "achieved"] == 5
    # junior = ⌈certified_share × posts⌉, the rest uncertified
    s = result.sectors.set_index(["sector", "year"])
    assert s.loc[("care", 2025), "workers_junior"] == 2  # ⌈0.3 × 5⌉
    assert s.loc[("care", 2025), "workers_uncertified"] == 3
    assert s.loc[("school", 2025), "workers_junior"] == 1  # 0.5 × 2
    assert s.loc[("community", 2026), "workers_junior"] == 1  # ⌈0.4 × 2⌉
    assert s.loc[("school", 2025), "added"] == 1
    # their spend is salary spend in the summary, their workers in workers_other
    summary = result.summary.set_index("year")
    assert summary.loc[2026, "workers_other"] == 10
    assert check_plan(sc, result.plan, result.targets, sectors=result.sectors) == []


def test_posts_within_need(tmp_path):
    """The cheapest sector fills no more posts than it needs: the rest of workers_total goes
    to the next cheapest."""
    sectors = {"care": SECTORS["care"] | {"cost": 0.5}, "community": SECTORS["community"]}
    sc = scenario(tmp_path, sectors=sectors, targets={"workers_total": {2026: 11}})
    result = optimize(sc, estimate_gap=False, worth=False)
    assert posts_of(result) == enumerate_best(sc, 11)[1] == {"care": (5, 5), "community": (0, 5)}
    too_many = result.sectors.copy()
    at = (too_many["sector"] == "care") & (too_many["year"] == 2026)
    cols = ["posts", "workers_uncertified", "workers_junior", "added", "spend_salary"]
    too_many.loc[at, cols] = [6, 4, 2, 1, 3.0]
    assert any("it needs" in p for p in check_plan(sc, result.plan, sectors=too_many))


def test_posts_never_fall(tmp_path):
    """A target in the first year only: the posts stay in the second (a sector keeps them)."""
    sectors = {"care": SECTORS["care"] | {"target": {2025: 1.0}}}
    sc = scenario(tmp_path, sectors=sectors)
    result = optimize(sc, estimate_gap=False, worth=False)
    assert posts_of(result) == {"care": (5, 5)}


def test_certified_share_counts_sector_posts(tmp_path):
    """certified_share counts the sectors' junior posts: with only uncertified-heavy posts the
    target is missed, with all-certified posts met."""
    sectors = {"care": SECTORS["care"] | {"certified_share": 1.0}}
    sc = scenario(tmp_path, sectors=sectors, targets={"certified_share": {2025: 1.0}})
    result = optimize(sc, estimate_gap=False, worth=False)
    assert result.all_targets_met
    s = result.sectors
    assert (s["workers_junior"] == s["posts"]).all()


def test_checker_refuses_falling_or_capped_posts(tmp_path):
    sc = scenario(tmp_path)
    result = optimize(sc, estimate_gap=False, worth=False)
    ok = result.sectors
    assert check_plan(sc, result.plan, result.targets, sectors=ok) == []
    fall = ok.copy()
    at = (fall["sector"] == "care") & (fall["year"] == 2026)
    fall.loc[at, ["posts", "workers_uncertified", "workers_junior", "added", "spend_salary"]] = [
        4,
        2,
        2,
        -1,
        16.0,
    ]
    problems = check_plan(sc, result.plan, sectors=fall)
    assert any("fewer than last year's" in p for p in problems)
    cap = ok.copy()
    at = (cap["sector"] == "school") & (cap["year"] == 2025)
    cap.loc[at, ["posts", "workers_uncertified", "workers_junior", "added", "spend_salary"]] = [
        3,
        1,
        2,
        2,
        9.0,
    ]
    problems = check_plan(sc, result.plan, sectors=cap)
    assert any("max_new_per_year" in p for p in problems)
    split = ok.copy()
    at = (split["sector"] == "care") & (split["year"] == 2025)
    split.loc[at, ["workers_uncertified", "workers_junior"]] = [4, 1]
    assert any("junior" in p for p in check_plan(sc, result.plan, sectors=split))
    assert any("sectors table" in p for p in check_plan(sc, result.plan))


def test_no_sectors_no_table(tmp_path):
    sc = scenario(tmp_path, sectors={})
    result = optimize(sc, estimate_gap=False, worth=False)
    assert result.sectors is None


def test_driver_column_must_exist(tmp_path):
    sectors = {"care": SECTORS["care"] | {"driver": "beds_in_homes"}}
    with pytest.raises(InputError, match="beds_in_homes"):
        scenario(tmp_path, sectors=sectors)
