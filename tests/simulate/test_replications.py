"""Simulating a plan over its years: replications, intervals, status quo, determinism across
processes."""

from __future__ import annotations

import pytest

from model import load_scenario
from model.optimizer.optimize import optimize
from model.simulate.replications import simulate_plan, status_quo


def test_plan_simulation_has_means_and_intervals(case):
    sc = load_scenario(case.yaml)
    plan = optimize(sc).plan
    table = simulate_plan(sc, plan, replications=4, progress=False).table
    assert len(table) == 3 * 2 and set(table["replications"]) == {4}
    for m in ("served_hours", "unmet_hours", "utilisation"):
        assert (table[f"{m}_low"] <= table[m] + 1e-9).all() and (
            table[m] <= table[f"{m}_high"] + 1e-9
        ).all()
    open_ = table.merge(plan[["township_id", "year", "station"]])
    assert (open_.loc[open_["station"] == 1, "served_hours"] > 0).all()


def test_status_quo_serves_only_todays_stations(case):
    sc = load_scenario(case.yaml)
    table = simulate_plan(sc, None, replications=2, progress=False).table
    table = table.set_index(["township_id", "year"])
    assert table.loc[("T1", 2025), "served_hours"] > 0  # T1 has a station today
    assert table.loc[("T2", 2025), "served_hours"] == 0
    assert table.loc[("T2", 2025), "unmet_hours"] == pytest.approx(
        table.loc[("T2", 2025), "demand_hours"]
    )
    assert len(status_quo(sc)) == 6


def test_years_draw_different_recipients_and_processes_do_not_change_numbers(case):
    sc = load_scenario(case.yaml)
    serial = simulate_plan(sc, None, replications=3, processes=1, progress=False).table
    parallel = simulate_plan(sc, None, replications=3, processes=2, progress=False).table
    assert serial.equals(parallel)
    t1 = serial[serial["township_id"] == "T1"]
    assert t1["demand_hours"].iloc[0] != t1["demand_hours"].iloc[1]


def test_the_cache_only_skips_work_it_never_changes_numbers(case):
    sc = load_scenario(case.yaml)
    plan = optimize(sc).plan
    cache: dict = {}
    first = simulate_plan(sc, plan, replications=3, progress=False, cache=cache).table
    townships = plan["township_id"].nunique()
    assert len(cache) == 3 * townships  # one run over the years per township and replication
    changed = plan.copy()
    row = changed.index[(changed["station"] == 1)][-1]
    changed.loc[row, "workers_junior"] += 1  # one township-year gets another worker
    cached = simulate_plan(sc, changed, replications=3, progress=False, cache=cache).table
    fresh = simulate_plan(sc, changed, replications=3, progress=False).table
    assert len(cache) == 3 * (townships + 1)  # that township's run again, the others cached
    assert cached.equals(fresh) and not cached.equals(first)


def test_a_region_without_any_station_today_simulates_as_all_unmet():
    from conftest import SCENARIOS

    yanji = load_scenario(SCENARIOS / "yanji.yaml")  # no station before the plan
    sim = simulate_plan(yanji, None, replications=2, progress=False)
    table = sim.table
    assert (table["served_hours"] == 0).all() and (
        table["unmet_hours"] == table["demand_hours"]
    ).all()
    assert (sim.reach["clients_reached"] == 0).all() and sim.replications == 2
    assert sim.served_share() == 0.0


def test_regional_summary_adds_up_the_townships_with_intervals_over_replications(case):
    sc = load_scenario(case.yaml)
    plan = optimize(sc).plan
    sim = simulate_plan(sc, plan, replications=4, progress=False)
    regional, table = sim.regional, sim.table
    assert list(regional["year"]) == sc.years and set(regional["replications"]) == {4}
    for year, row in regional.set_index("year").iterrows():
        towns = table[table["year"] == year]
        # the mean of the replications' totals is the total of the townships' means
        for m in ("served_hours", "unmet_requests", "case_clients", "visits", "clients_reached"):
            assert row[m] == pytest.approx(towns[m].sum(), rel=1e-3, abs=1e-2), m
        for m in ("served_hours", "unmet_requests", "service_level", "wait_mean_days"):
            assert row[f"{m}_low"] - 1e-9 <= row[m] <= row[f"{m}_high"] + 1e-9, m
        assert 0 <= row["service_level"] <= 1
    assert (regional["served_requests"] <= regional["requests"]).all()
    # each kind of request against its own standard: all four, each a share
    for k in ("intake", "visit", "assessment", "session"):
        level = regional[f"service_level_{k}"].dropna()
        assert ((level >= 0) & (level <= 1)).all(), k
    # a stricter intake standard starts fewer intakes on time, and leaves visits as they were
    strict = load_scenario(case.yaml, ["simulation.standards.intake_days=0.5"])
    tight = simulate_plan(strict, plan, replications=4, progress=False).regional
    assert (tight["service_level_intake"] < regional["service_level_intake"]).all()
