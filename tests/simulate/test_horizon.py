"""A township simulated over several years in one run: what carries over the New Year, the
warm-up, and a team the plan changes from one year to the next."""

from __future__ import annotations

import pytest
from conftest import ROOT, unit

from model import load_scenario
from model.simulate import Streams
from model.simulate.township import Staffing, simulate_horizon
from model.workload import workload_table


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(ROOT / "scenarios" / "ganzhou.yaml")


@pytest.mark.parametrize("workers", [1, 8])
def test_every_request_made_in_a_year_ends_served_or_unmet_that_year_or_the_next(ganzhou, workers):
    """Nothing is lost at the New Year: a year's requests (its sessions included) are served
    or unmet, whether the station is swamped (1 worker) or roomy (8)."""
    k = unit(ganzhou, "横市镇")
    staff = Staffing(certified=workers)
    years = simulate_horizon(
        ganzhou, k, [(2024, staff), (2025, staff), (2026, staff)], Streams(3), before=staff
    )
    for r in years:
        assert r.requests == r.served_requests + r.unmet_requests
        assert r.demand_hours == pytest.approx(r.served_hours + r.unmet_hours)


def test_sessions_of_cases_taken_on_before_new_year_are_held_after_it(ganzhou):
    """With a warm-up, the first year gets the sessions of the autumn's cases; without one
    the station starts empty and the year has fewer requests and shorter queues."""
    k = unit(ganzhou, "横市镇")
    staff = Staffing(certified=3)
    cold = ganzhou.with_overrides(["simulation.warmup_days=0"])
    warm = [
        simulate_horizon(ganzhou, k, [(2025, staff)], Streams(s), before=staff)[0] for s in range(6)
    ]
    empty = [
        simulate_horizon(cold, k, [(2025, staff)], Streams(s), before=staff)[0] for s in range(6)
    ]
    for a, b in zip(warm, empty):
        assert a.requests >= b.requests  # the same recipients, plus last year's cases' sessions
    assert sum(a.requests for a in warm) > sum(b.requests for b in empty)
    # the year's work on average is the analytic workload once the station runs in steady state
    wl = workload_table(ganzhou).iloc[k]
    mean = sum(r.demand_hours for r in warm) / len(warm)
    assert mean == pytest.approx(wl["client_hours"], rel=0.08)


def test_the_plans_team_each_year_closed_years_unmet_and_no_departures_from_a_smaller_team(
    ganzhou,
):
    k = unit(ganzhou, "横市镇")
    plan = [(2024, Staffing(certified=5)), (2025, Staffing()), (2026, Staffing(certified=2))]
    runs = [
        simulate_horizon(ganzhou, k, plan, Streams(s), before=Staffing(certified=5), dynamics=False)
        for s in range(3)
    ]
    for first, closed, last in runs:
        assert [first.workers, closed.workers, last.workers] == [5, 0, 2]
        assert closed.served_requests == 0 and closed.unmet_requests == closed.requests > 0
        assert last.served_requests > 0
        # the plan's cuts are not attrition: without dynamics nobody departs
        assert first.departures == closed.departures == last.departures == 0
    shrink = [(2024, Staffing(certified=6)), (2025, Staffing(certified=2))]
    for s in range(3):
        big, small = simulate_horizon(ganzhou, k, shrink, Streams(s), dynamics=False)
        assert small.workers == 2 and small.departures == 0
        assert small.utilisation > big.utilisation


def test_years_must_follow_one_another(ganzhou):
    with pytest.raises(ValueError, match="consecutive"):
        simulate_horizon(ganzhou, 0, [(2024, Staffing(1)), (2026, Staffing(1))], Streams(1))
