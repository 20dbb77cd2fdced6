"""Village points (村社工点) in the simulation: a township-year with its own station and points
has a share of its home visits (model.workload.point_shares, after the volunteers') made by the
points, off the station's queue, counted served; a plan's `points` column reaches the runs."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from model import load_scenario, read_plan
from model.errors import InputError
from model.simulate import Streams, simulate_township
from model.simulate.replications import simulate_plan
from model.simulate.township import Run, Staffing, simulate_group, simulate_horizon
from model.vocabulary import WORKER_COLUMNS
from model.workload import available_hours, point_shares, travel_hours

ROOMY = 8
"""Certified workers at T1's station that serve every request (with a long standard)."""
LONG = 10_000
"""A standard (days) no request waits past at a roomy station."""


def scenario(case, **overrides):
    """The mini scenario (T1 with a station; two years) with a short warm-up and `overrides`
    (dotted keys)."""
    sc = load_scenario(case.yaml)
    return sc.with_overrides({"simulation.warmup_days": 30, **overrides})


def shares(sc, points: int, township: int = 0) -> np.ndarray:
    """point_shares of `township` (row) with `points` points, by group."""
    n = np.zeros(len(sc.townships), dtype=int)
    n[township] = points
    return point_shares(sc, n)[township]


def same(a, b) -> bool:
    """Byte-identical results (NaN waits included)."""
    return pickle.dumps(a) == pickle.dumps(b)


def test_points_that_take_every_visit_leave_none_to_the_station_queue(case):
    sc = scenario(case, **{"point.visit_hours": 1e6, "volunteers.visit_share": 0.3})
    assert (shares(sc, 1) == 1.0).all()
    for seed in (1, 2):
        alone = simulate_township(sc, 0, ROOMY, Streams(seed), max_wait_days=LONG, dynamics=False)
        helped = simulate_township(
            sc, 0, ROOMY, Streams(seed), max_wait_days=LONG, dynamics=False, points=1
        )
        assert helped.by_kind["visit"] == (0, 0)  # no visit reached the station's queue
        assert helped.point_visits == alone.by_kind["visit"][0] > 0  # the workers' visits
        assert helped.volunteer_visits == alone.volunteer_visits > 0  # volunteers' first
        assert alone.point_visits == 0
        # the station's queue measures lose the visits; the township's counts keep them
        assert helped.client_requests == alone.client_requests - helped.point_visits
        assert helped.started_requests == alone.started_requests - helped.point_visits
        assert helped.on_time_requests == alone.on_time_requests - helped.point_visits
        for name in ("requests", "served_requests", "visits", "clients_reached", "reached"):
            assert getattr(helped, name) == getattr(alone, name), name
        assert helped.demand_hours == pytest.approx(alone.demand_hours, rel=1e-12)
        assert helped.served_hours == pytest.approx(alone.served_hours, rel=1e-12)
        assert helped.utilisation < alone.utilisation


def test_points_take_their_share_of_the_visits_within_binomial_noise(case):
    # one priority: every group's visits are taken with the same probability
    sc = scenario(case, **{"groups.tekun.priority": 1, "point.visit_hours": 150.0})
    share = shares(sc, 2)
    assert 0.2 < share[0] < 0.8 and share[0] == pytest.approx(share[1])
    taken = asked = 0
    for seed in range(3):
        years = [(2025, Staffing(certified=ROOMY)), (2026, Staffing(certified=ROOMY))]
        for r in simulate_horizon(
            sc, 0, years, Streams(seed), max_wait_days=LONG, dynamics=False, points=(2, 2)
        ):
            taken += r.point_visits
            asked += r.point_visits + r.by_kind["visit"][0]
    sigma = np.sqrt(share[0] * (1 - share[0]) / asked)
    assert asked > 2000
    assert abs(taken / asked - share[0]) < 4 * sigma


def test_points_count_served_hours_not_worker_time_and_leave_demand_as_it_was(case):
    """Work without variation, so a visit's hours are its group's visit_hours plus the
    township's round trip to the household: the point visits' hours are counted served beside
    what the workers served, and the workers' served hours fall by as much."""
    sc = scenario(case, **{"simulation.work_cv": 0.0, "point.visit_hours": 150.0})
    per_visit = 1.5 + float(travel_hours(sc).iloc[0])  # both groups' visit_hours: 1.5
    capacity = ROOMY * float(available_hours(sc).iloc[0])
    for seed in (3, 4):
        alone, helped = (
            simulate_township(
                sc, 0, ROOMY, Streams(seed), max_wait_days=LONG, dynamics=False, points=p
            )
            for p in (0, 2)
        )
        assert helped.point_visits > 0
        point_hours = helped.point_visits * per_visit
        by_workers = helped.utilisation * capacity - helped.station_hours  # no trips: own queue
        assert helped.served_hours - by_workers == pytest.approx(point_hours, rel=1e-9)
        assert alone.served_hours - by_workers == pytest.approx(point_hours, rel=1e-9)
        assert helped.demand_hours == pytest.approx(alone.demand_hours, rel=1e-12)
    # a busy station: demand is the same in expectation, and the points relieve the workers
    demand, served = {0: [], 2: []}, {0: [], 2: []}
    for seed in range(4):
        for p in (0, 2):
            r = simulate_township(sc, 0, 2, Streams(seed), dynamics=False, points=p)
            demand[p].append(r.demand_hours)
            served[p].append(r.served_hours)
    assert np.mean(demand[2]) == pytest.approx(np.mean(demand[0]), rel=0.02)
    assert np.mean(served[2]) > np.mean(served[0])


def test_no_points_in_a_year_without_the_townships_own_station(case):
    """B has no station: points it is given count for nothing, whether another station serves
    it or none does; the warm-up has none either."""
    data = case.folder / "travel.csv"
    data.write_text("from,to,minutes\nT1,T2,30\nT1,T3,30\nT2,T3,30\n", encoding="utf-8")
    sc = load_scenario(case.yaml, [f"region.travel={data}", "simulation.warmup_days=30"])
    years = tuple((2025 + k, Staffing(certified=ROOMY)) for k in range(2))
    closed = tuple((2025 + k, Staffing()) for k in range(2))
    for served_by in ((0, 0), (None, None), (0, None)):
        plain = simulate_group(
            sc, [Run(0, years, Staffing(certified=2)), Run(1, closed, served_by=served_by)],
            Streams(5),
        )  # fmt: skip
        given = simulate_group(
            sc,
            [
                Run(0, years, Staffing(certified=2)),
                Run(1, closed, served_by=served_by, points=(3, 3)),
            ],
            Streams(5),
        )
        assert same(plain, given)
    with pytest.raises(ValueError, match="one entry per year"):
        simulate_group(sc, [Run(0, years, points=(1,))], Streams(5))
    with pytest.raises(ValueError, match="whole numbers"):
        simulate_group(sc, [Run(0, years, points=(1, -1))], Streams(5))


def plan(sc, points: list[int] | None = None) -> pd.DataFrame:
    """A plan keeping T1's station with ROOMY junior workers and opening T3's with 3 (T2 none),
    with `points` per row (township-major, like the rows) when given."""
    rows = [
        {"township_id": tid, "year": year, "station": int(n > 0)}
        | {c: 0 for c in WORKER_COLUMNS}
        | {"workers_junior": n}
        for tid, n in (("T1", ROOMY), ("T2", 0), ("T3", 3))
        for year in sc.years
    ]
    out = pd.DataFrame(rows)
    if points is not None:
        out["points"] = points
    return out


def test_a_plan_without_points_simulates_as_one_whose_points_are_all_zero(case):
    sc = scenario(case)
    absent = simulate_plan(sc, plan(sc), replications=2, progress=False)
    zero = simulate_plan(sc, plan(sc, [0] * 6), replications=2, progress=False)
    # points where there is no station count for nothing
    idle = simulate_plan(sc, plan(sc, [0, 0, 4, 4, 0, 0]), replications=2, progress=False)
    for other in (zero, idle):
        assert absent.table.equals(other.table) and absent.reach.equals(other.reach)
        assert absent.regional.equals(other.regional)
    assert (absent.table["point_visits"] == 0).all()
    assert (absent.regional["point_visits"] == 0).all()
    # the runs themselves: no points drawn, the same bytes
    years = ((2025, ROOMY), (2026, ROOMY))
    without = simulate_group(sc, [Run(0, years, Staffing(certified=2))], Streams(7))
    with_zero = simulate_group(
        sc, [Run(0, years, Staffing(certified=2), points=(0, 0))], Streams(7)
    )
    assert same(without, with_zero)


def test_the_same_seed_gives_the_same_results_and_the_cache_tells_points_apart(case):
    sc = scenario(case, **{"point.visit_hours": 150.0})
    points = [2, 3, 0, 0, 0, 1]
    first = simulate_plan(sc, plan(sc, points), replications=2, progress=False)
    again = simulate_plan(sc, plan(sc, points), replications=2, progress=False)
    assert first.table.equals(again.table) and first.regional.equals(again.regional)
    t = first.table.set_index(["township_id", "year"])
    assert t.loc[("T1", 2025), "point_visits"] > 0 and t.loc[("T3", 2026), "point_visits"] > 0
    assert t.loc[("T3", 2025), "point_visits"] == 0
    assert (t.loc[("T2", 2025), "point_visits"], t.loc[("T2", 2026), "point_visits"]) == (0, 0)
    assert t.loc[("T1", 2026), "point_visits"] > t.loc[("T1", 2025), "point_visits"]
    cache: dict = {}
    simulate_plan(sc, plan(sc), replications=2, progress=False, cache=cache)
    cached = simulate_plan(sc, plan(sc, points), replications=2, progress=False, cache=cache)
    assert cached.table.equals(first.table)  # not the run without points from the cache
    parallel = simulate_plan(sc, plan(sc, points), replications=2, processes=2, progress=False)
    assert parallel.table.equals(first.table)


def test_read_plan_reads_points_and_refuses_bad_cells(case, tmp_path):
    sc = scenario(case, **{"point.visit_hours": 150.0, "point.max_per_township": 3})
    path = tmp_path / "plan.csv"
    plan(sc).to_csv(path, index=False, encoding="utf-8-sig")
    assert "points" not in read_plan(path, sc).columns
    table = plan(sc, [2, 3, 0, 0, 1, 1]).astype({"points": object})
    table.loc[2, "points"] = ""  # an empty cell: no points
    table.to_csv(path, index=False, encoding="utf-8-sig")
    back = read_plan(path, sc)
    assert back["points"].tolist() == [2, 3, 0, 0, 1, 1] and back["points"].dtype == "int64"
    sim = simulate_plan(sc, back, replications=1, progress=False)
    assert sim.table.set_index(["township_id", "year"]).loc[("T1", 2026), "point_visits"] > 0
    for bad in ("-1", "1.5", "two", "inf"):
        table.loc[4, "points"] = bad
        table.to_csv(path, index=False, encoding="utf-8-sig")
        with pytest.raises(InputError) as err:
            read_plan(path, sc)
        assert "row 6 (township T3, 2025), column points" in str(err.value)
        assert f"got '{bad}'" in str(err.value)
        assert "第 6 行（乡镇 T3，2025 年），points 列" in err.value.render("zh")
    table.loc[4, "points"] = "4"  # more than point.max_per_township
    table.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_plan(path, sc)
    assert "at most point.max_per_township = 3" in str(err.value)
    table.loc[4, "points"] = "1"
    table.loc[2, "points"] = "1"  # T2 has no station
    table.to_csv(path, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_plan(path, sc)
    assert "row 4 (township T2, 2025), column points" in str(err.value)
    assert "needs its township's station" in str(err.value)


def test_blocks_of_townships_as_tasks_change_no_number(case):
    """A replication split into blocks of townships (tasks of a national run) gives the same
    tables as one task a replication."""
    sc = scenario(case, **{"point.visit_hours": 150.0, "point.max_per_township": 3})
    whole = simulate_plan(sc, plan(sc, [2, 3, 0, 0, 1, 1]), replications=2, progress=False)
    split = simulate_plan(
        sc, plan(sc, [2, 3, 0, 0, 1, 1]), replications=2, progress=False, block=1, processes=2
    )
    pd.testing.assert_frame_equal(whole.table, split.table)
    pd.testing.assert_frame_equal(whole.reach, split.reach)
