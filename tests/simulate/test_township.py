"""One township-year of service: agreement with the analytic workload, common random numbers,
reneging."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import ROOT, unit

from model import load_scenario
from model.simulate import Streams, simulate_township
from model.workload import workload_table


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(ROOT / "scenarios" / "ganzhou.yaml")


@pytest.mark.parametrize("name", ["麻双乡", "坪市乡", "横市镇", "镜坝镇"])
def test_utilisation_agrees_with_the_analytic_workload_below_saturation(ganzhou, name):
    township = unit(ganzhou, name)
    wl = workload_table(ganzhou).iloc[township]
    workers = int(wl["need_hours"] / wl["available_hours_per_worker"] / 0.7) + 1  # load about 0.7
    runs = [
        simulate_township(ganzhou, township, workers, Streams(s), max_wait_days=10_000)
        for s in range(12)
    ]
    capacity = workers * wl["available_hours_per_worker"]
    for r in runs:  # each year: the client work done and the station's own fill the workers
        assert r.unmet_requests == 0
        assert r.utilisation == pytest.approx(
            (r.served_hours + wl["station_hours"]) / capacity, rel=0.03
        )
        # all of the year's work is done but sessions due after 31 December
        assert r.demand_hours * 0.93 <= r.served_hours <= r.demand_hours
    # on average the work drawn is the analytic workload (a year has a few hundred requests
    # here: one year alone is off by several percent); the year's last sessions and overhead
    # fall outside it, about 2% of the work
    assert np.mean([r.demand_hours for r in runs]) == pytest.approx(wl["client_hours"], rel=0.05)
    analytic = wl["need_hours"] / capacity
    assert np.mean([r.utilisation for r in runs]) == pytest.approx(analytic, rel=0.06)


def test_same_seed_same_recipients_whatever_the_staffing(ganzhou):
    k = unit(ganzhou, "凤岗镇")
    a = simulate_township(ganzhou, k, 3, Streams(7))
    b = simulate_township(ganzhou, k, 6, Streams(7))
    assert (a.requests, a.demand_hours) == (b.requests, b.demand_hours)
    assert b.wait_mean_days <= a.wait_mean_days and b.served_hours >= a.served_hours
    again = simulate_township(ganzhou, k, 3, Streams(7))
    assert again == a
    other = simulate_township(ganzhou, k, 3, Streams(8))
    assert other.requests != a.requests or other.demand_hours != a.demand_hours


def test_overloaded_station_leaves_demand_unmet_and_waits_stay_within_the_limit(ganzhou):
    r = simulate_township(
        ganzhou, unit(ganzhou, "坪市乡"), 1, Streams(3), max_wait_days=20, dynamics=False
    )
    assert r.unmet_requests > 0 and r.unmet_hours > 0
    assert r.served_requests + r.unmet_requests <= r.requests
    assert r.wait_p90_days <= 20 + 1e-9
    assert r.utilisation > 0.95


def test_no_station_serves_nobody(ganzhou):
    r = simulate_township(ganzhou, unit(ganzhou, "麻双乡"), 0, Streams(1))
    assert r.served_requests == 0 and r.unmet_requests == r.requests > 0
    assert math.isnan(r.wait_mean_days) and r.utilisation == 0.0


def test_varying_work_keeps_the_workload_and_the_arrivals_but_lengthens_waits():
    # on the fluid calendar waits are queueing alone (on weekdays the weekend's closure, about
    # 0.7 days on average, hides the effect of varying work when a station has many workers)
    path = ROOT / "scenarios" / "ganzhou.yaml"
    ganzhou = load_scenario(path, ["simulation.calendar=fluid"])
    varied = load_scenario(path, ["simulation.calendar=fluid", "simulation.work_cv=1.0"])
    k = unit(ganzhou, "龙回镇")  # few workers: the spread of the work shows in the waits
    wl = workload_table(ganzhou).iloc[k]
    workers = int(wl["need_hours"] / wl["available_hours_per_worker"] / 0.7) + 1  # load about 0.7
    capacity = workers * wl["available_hours_per_worker"]
    seeds = range(1, 9)
    fixed = [
        simulate_township(ganzhou, k, workers, Streams(s), max_wait_days=10_000, dynamics=False)
        for s in seeds
    ]
    spread = [
        simulate_township(varied, k, workers, Streams(s), max_wait_days=10_000, dynamics=False)
        for s in seeds
    ]
    for a, b in zip(fixed, spread):
        # same recipients and sessions; only a session due near 1 January may fall on the other
        # side of the year when its intake's length varies
        assert b.requests == pytest.approx(a.requests, abs=3)
        assert b.demand_hours != a.demand_hours
        assert b.utilisation == pytest.approx(
            (b.served_hours + wl["station_hours"]) / capacity, rel=0.03
        )
    # the spread keeps the mean: varied years' work averages the analytic workload
    assert np.mean([r.demand_hours for r in spread]) == pytest.approx(wl["client_hours"], rel=0.08)
    assert np.mean([r.wait_mean_days for r in spread]) > np.mean([r.wait_mean_days for r in fixed])


def test_poisson_session_counts_keep_the_mean_number_of_sessions(ganzhou):
    poisson = load_scenario(
        ROOT / "scenarios" / "ganzhou.yaml", ["simulation.session_counts=poisson"]
    )
    ids = ganzhou.townships["township_id"].astype(str)
    nankang = np.flatnonzero(ids.str.startswith("360703"))[:12]  # 12 units of 南康区
    fixed = [simulate_township(ganzhou, k, 0, Streams(4)) for k in nankang]
    drawn = [simulate_township(poisson, k, 0, Streams(4)) for k in nankang]
    assert [r.requests for r in drawn] != [r.requests for r in fixed]
    assert sum(r.requests for r in drawn) == pytest.approx(sum(r.requests for r in fixed), rel=0.03)
    assert sum(r.demand_hours for r in drawn) == pytest.approx(
        sum(r.demand_hours for r in fixed), rel=0.03
    )
