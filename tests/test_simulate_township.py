"""One township-year of service: agreement with the analytic workload, common random numbers, reneging."""
from __future__ import annotations

import math

import pytest

from conftest import ROOT
from model import load_scenario
from model.simulate import Streams, simulate_township
from model.workload import workload_table


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(ROOT / "scenarios" / "ganzhou.yaml")


@pytest.mark.parametrize("township", [0, 1, 2, 40])
def test_utilisation_agrees_with_the_analytic_workload_below_saturation(ganzhou, township):
    wl = workload_table(ganzhou).iloc[township]
    workers = int(wl["need_hours"] / wl["available_hours_per_worker"] / 0.7) + 1     # load about 0.7
    r = simulate_township(ganzhou, township, workers, Streams(42), max_wait_days=10_000)
    analytic = wl["need_hours"] / (workers * wl["available_hours_per_worker"])
    assert r.utilisation == pytest.approx(analytic, rel=0.05)
    assert r.unmet_requests == 0
    assert r.demand_hours == pytest.approx(wl["client_hours"], rel=0.05)


def test_same_seed_same_recipients_whatever_the_staffing(ganzhou):
    a = simulate_township(ganzhou, 5, 3, Streams(7))
    b = simulate_township(ganzhou, 5, 6, Streams(7))
    assert (a.requests, a.demand_hours) == (b.requests, b.demand_hours)
    assert b.wait_mean_days <= a.wait_mean_days and b.served_hours >= a.served_hours
    again = simulate_township(ganzhou, 5, 3, Streams(7))
    assert again == a
    other = simulate_township(ganzhou, 5, 3, Streams(8))
    assert other.requests != a.requests or other.demand_hours != a.demand_hours


def test_overloaded_station_leaves_demand_unmet_and_waits_stay_within_the_limit(ganzhou):
    r = simulate_township(ganzhou, 1, 1, Streams(3), max_wait_days=20, dynamics=False)
    assert r.unmet_requests > 0 and r.unmet_hours > 0
    assert r.served_requests + r.unmet_requests <= r.requests
    assert r.wait_p90_days <= 20 + 1e-9
    assert r.utilisation > 0.95


def test_no_station_serves_nobody(ganzhou):
    r = simulate_township(ganzhou, 0, 0, Streams(1))
    assert r.served_requests == 0 and r.unmet_requests == r.requests > 0
    assert math.isnan(r.wait_mean_days) and r.utilisation == 0.0
