"""Catchments in the simulation: a township without a station served by a neighbour's station
(plan column served_by), each request taking the round trip on top of its work."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import MINI_HEADER

from model import load_scenario
from model.simulate import Streams
from model.simulate.replications import by_group, simulate_plan, staffing_of, status_quo
from model.simulate.township import (
    Run,
    Staffing,
    round_trip_hours,
    simulate_group,
    simulate_horizon,
)

ABC = (
    MINI_HEADER
    + """A,甲镇,东山县,rural,20000,4000,1200,150,1,3,0
B,乙乡,东山县,rural,8000,1500,600,50,0,0,0
C,丙镇,东山县,rural,12000,2500,800,100,1,3,0
"""
)
"""A and C have a station today, B has none."""


def scenario(
    case,
    table: str = ABC,
    travel: str | None = "A,B,120\nB,C,30\nA,C,60\n",
    years: int = 2,
    **simulation,
):
    """The mini scenario over `table` with travel minutes `travel` (from,to,minutes rows; None:
    no region.travel) and `simulation` settings."""
    case.table(table)
    data = yaml.safe_load(case.yaml.read_text(encoding="utf-8"))
    data["region"].pop("travel", None)
    if travel is not None:
        (case.folder / "travel.csv").write_text("from,to,minutes\n" + travel, encoding="utf-8")
        data["region"]["travel"] = "travel.csv"
    data["horizon"]["years"] = years
    data["budget"] = {2025 + k: 100 for k in range(years)}
    data.pop("targets", None)
    data["simulation"] = simulation
    case.write(data)
    return load_scenario(case.yaml)


def staffed(workers: int, years: int = 2) -> tuple[tuple[int, Staffing], ...]:
    return tuple((2025 + k, Staffing(certified=workers)) for k in range(years))


NONE = staffed(0)


def test_the_round_trip_is_both_ways_in_hours(case):
    sc = scenario(case, travel="A,B,120\nB,A,60\nB,C,30\nA,C,60\n")
    assert round_trip_hours(sc, 0, 1) == pytest.approx(3.0)
    assert round_trip_hours(sc, 2, 1) == pytest.approx(1.0)
    without = load_scenario(case.yaml, ["region.travel="])
    with pytest.raises(ValueError, match="region.travel"):
        round_trip_hours(without, 0, 1)


def test_a_township_served_by_a_neighbour_has_its_requests_served_and_each_takes_the_trip(case):
    """B (no station) served by A's station 2 hours away: B's requests are served, and A's
    workers spend exactly B's work plus a 4-hour round trip per request started (work without
    variation, so the accounting is exact)."""
    sc = scenario(case, work_cv=0.0)
    trip = round_trip_hours(sc, 0, 1)
    assert trip == pytest.approx(4.0)
    a_runs = Run(0, staffed(8), Staffing(certified=3))
    alone = simulate_group(sc, [a_runs, Run(1, NONE)], Streams(1), dynamics=False)
    served = simulate_group(
        sc, [a_runs, Run(1, NONE, served_by=(0, 0))], Streams(1), dynamics=False
    )
    capacity = 8 * _per_worker(sc)
    for k in range(2):
        a0, b0 = alone[0][k], alone[1][k]
        a, b = served[0][k], served[1][k]
        assert b0.served_requests == 0 and b0.unmet_requests == b0.requests > 0
        assert b.served_requests > 0.95 * b.requests  # A has room for B
        assert a.utilisation > a0.utilisation + 0.3
        # the station's work: its own requests and tasks, B's requests and B's round trips
        busy = a.utilisation * capacity
        extra = busy - (a.served_hours + a.station_hours + b.served_hours)
        assert extra == pytest.approx(b.served_requests * trip, rel=1e-9)
        # with the same recipients, A's workers' hours grow by B's work and trips
        grown = busy - a0.utilisation * capacity
        assert grown == pytest.approx(b.served_hours + b.served_requests * trip, rel=0.03)
        # B's hours are its residents' work (no trips); its station-only measures stay 0
        assert b.demand_hours == pytest.approx(b.served_hours + b.unmet_hours)
        assert (b.workers, b.utilisation, b.station_hours) == (0, 0.0, 0.0)
        assert (b.group_activities_held, b.departures, b.standard_333) == (0, 0, False)
        assert b.clients_reached > 0 and b.case_clients > 0


def _per_worker(sc) -> float:
    from model.workload import available_hours

    return float(available_hours(sc).iloc[0])


def test_with_varying_work_the_trips_add_their_hours_on_average(case):
    """Work varies (simulation.work_cv 0.8): each request's round trip varies with its work,
    and on average A's extra hours are B's requests times the trip."""
    sc = scenario(case, work_cv=0.8)
    trip, capacity = round_trip_hours(sc, 0, 1), 8 * _per_worker(sc)
    extra = asked = 0.0
    for seed in range(6):
        res = simulate_group(
            sc, [Run(0, staffed(8), Staffing(certified=3)), Run(1, NONE, served_by=(0, 0))],
            Streams(seed),
        )  # fmt: skip
        a, b = res[0][0], res[1][0]
        extra += a.utilisation * capacity - (a.served_hours + a.station_hours + b.served_hours)
        asked += b.served_requests * trip
    assert extra == pytest.approx(asked, rel=0.05)


def test_a_townships_results_do_not_depend_on_its_group(case):
    """C simulated with A and B (in one SimPy environment) or alone gives the same numbers: each
    station's requests and workers draw from their own streams; A alone equals A with an
    unserved B."""
    sc = scenario(case)
    before = Staffing(certified=3)
    group = simulate_group(
        sc,
        [Run(0, staffed(4), before), Run(1, NONE, served_by=(0, 0)), Run(2, staffed(3), before)],
        Streams(5),
    )
    assert repr(group[2]) == repr(simulate_horizon(sc, 2, list(staffed(3)), Streams(5), before))
    pair = simulate_group(sc, [Run(0, staffed(4), before), Run(1, NONE)], Streams(5))
    assert repr(pair[0]) == repr(simulate_horizon(sc, 0, list(staffed(4)), Streams(5), before))


def plan_abc(sc, served: dict[tuple[str, int], str] | None = None) -> pd.DataFrame:
    """Today's stations (A and C) with 6 certified workers each, B served as `served` says
    ((township, year) -> station)."""
    plan = status_quo(sc)
    plan.loc[plan["station"] == 1, ["workers", "workers_certified"]] = 6
    if served is not None:
        plan["served_by"] = [
            served.get((t, y), "") for t, y in zip(plan["township_id"], plan["year"])
        ]
    return plan


def test_a_plan_with_served_by_all_empty_equals_one_without_the_column(case):
    sc = scenario(case)
    old = simulate_plan(sc, plan_abc(sc), replications=3, progress=False)
    empty = simulate_plan(sc, plan_abc(sc, {}), replications=3, progress=False)
    assert old.table.equals(empty.table) and old.reach.equals(empty.reach)
    assert old.regional.equals(empty.regional)
    assert len(by_group(sc, staffing_of(plan_abc(sc, {})))) == 3  # each township alone


def test_a_catchment_that_changes_between_years_is_one_group(case):
    """B served by A in 2025 and by C in 2026: A, B and C are simulated together; C's 2025 is as
    without catchments (nothing of B's reaches it yet), its 2026 carries B's work."""
    sc = scenario(case)
    plan = plan_abc(sc, {("B", 2025): "A", ("B", 2026): "C"})
    groups = by_group(sc, staffing_of(plan))
    assert [[tid for tid, _ in g] for g in groups] == [["A", "B", "C"]]
    cache: dict = {}
    sim = simulate_plan(sc, plan, replications=3, progress=False, cache=cache)
    assert len(cache) == 3  # one group's run per replication
    base = simulate_plan(sc, plan_abc(sc), replications=3, progress=False)
    t = sim.table.set_index(["township_id", "year"])
    b0 = base.table.set_index(["township_id", "year"])
    assert len(t) == 6
    for year in (2025, 2026):
        assert b0.loc[("B", year), "served_hours"] == 0
        assert t.loc[("B", year), "served_hours"] > 0.5 * t.loc[("B", year), "demand_hours"]
        assert t.loc[("B", year), "utilisation"] == 0 and t.loc[("B", year), "workers"] == 0
    assert t.loc[("A", 2025), "utilisation"] > b0.loc[("A", 2025), "utilisation"]
    assert t.loc[("C", 2026), "utilisation"] > b0.loc[("C", 2026), "utilisation"]
    assert t.loc[("C", 2025)].equals(b0.loc[("C", 2025)])
    parallel = simulate_plan(sc, plan, replications=3, processes=2, progress=False)
    assert parallel.table.equals(sim.table)


def test_a_plan_whose_catchments_do_not_fit_its_stations_is_refused(case):
    sc = scenario(case)
    with pytest.raises(ValueError, match="not in the plan"):
        simulate_plan(sc, plan_abc(sc, {("B", 2025): "Z"}), replications=1, progress=False)
    with pytest.raises(ValueError, match="own station"):
        simulate_plan(sc, plan_abc(sc, {("C", 2025): "A"}), replications=1, progress=False)


def test_serving_a_neighbour_close_by_is_about_pooling_their_demand_at_one_station(case):
    """Validation: with a one-minute trip, A's station serving B serves about the same share of
    their demand as one station with the same workers whose township has A's and B's
    recipients (the same queue, the same priorities)."""
    sep = scenario(
        case,
        "\n".join(ABC.splitlines()[:3]) + "\n",
        travel="A,B,1\n",
        years=1,
    )
    pooled_table = MINI_HEADER + "P,甲镇,东山县,rural,28000,5500,1800,200,1,4,0\n"
    pooled = scenario(case, pooled_table, travel=None, years=1)
    four, year = Staffing(certified=4), ((2025, Staffing(certified=4)),)
    apart, together = [], []
    for seed in range(10):
        a, b = (
            r[0]
            for r in simulate_group(
                sep, [Run(0, year, four), Run(1, ((2025, Staffing()),), served_by=(0,))],
                Streams(seed),
            )
        )  # fmt: skip
        p = simulate_horizon(pooled, 0, list(year), Streams(seed), four)[0]
        apart.append((a.served_hours + b.served_hours) / (a.demand_hours + b.demand_hours))
        together.append(p.served_hours / p.demand_hours)
    assert 0.6 < np.mean(together) < 0.95  # a busy station: the queue matters
    assert np.mean(apart) == pytest.approx(np.mean(together), abs=0.03)
