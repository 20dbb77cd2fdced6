"""County guidance centres in the simulation (model.simulate.centre): referrals of complex cases
and supervision visits at the centre's supervisors.

Validated against queueing theory: with no supervision visits, fluid time and exponential work,
a centre is an M/M/c+D queue (Poisson referrals, deterministic patience = the intake standard),
whose share of referrals not started in time is known in closed form (model.queues).
"""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario
from model.queues import mmc_patience_analytic
from model.simulate.centre import simulate_centre_year, simulate_centres
from model.simulate.demand import YEAR_DAYS


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario("scenarios/ganzhou.yaml", overrides=["centre.mode=existing"])


def test_a_centre_year_is_the_same_for_the_same_seed_and_replication(ganzhou):
    a = simulate_centre_year(ganzhou, "县", 2023, 1, [150.0] * 20, 3)
    b = simulate_centre_year(ganzhou, "县", 2023, 1, [150.0] * 20, 3)
    c = simulate_centre_year(ganzhou, "县", 2023, 1, [150.0] * 20, 4)
    assert a == b and a != c


def test_more_supervisors_start_more_referrals_and_visits_on_time(ganzhou):
    runs = [simulate_centre_year(ganzhou, "县", 2023, k, [150.0] * 30, 0) for k in (1, 2, 3)]
    referrals = {r["referrals"] for r in runs}
    assert len(referrals) == 1  # common random numbers: the same referrals whatever the staff
    on_time = [r["referrals_on_time"] + r["visits_on_time"] for r in runs]
    assert on_time[0] < on_time[1] <= on_time[2]
    assert runs[2]["visits_on_time"] == runs[2]["visits"] == 30 * 12


def test_referrals_follow_the_referral_share_of_the_stations_new_cases(ganzhou):
    cases = [120.0, 80.0, 200.0]
    counts = [
        simulate_centre_year(ganzhou, "县", 2024, 3, cases, r)["referrals"] for r in range(60)
    ]
    expected = ganzhou.centre.referral_share * sum(cases)
    assert np.mean(counts) == pytest.approx(expected, abs=3 * np.sqrt(expected / 60))


def test_a_centre_without_visits_matches_the_mmc_queue_with_patience():
    sc = load_scenario(
        "scenarios/ganzhou.yaml",
        overrides=[
            "centre.mode=existing",
            "centre.supervision_hours=0",
            "centre.referral_share=1.0",
            "centre.referral_hours=20",
            "simulation.calendar=fluid",
            "simulation.work_cv=1.0",
        ],
    )
    rate = 0.35  # referrals a day
    servers = 2
    per_day = sc.staffing.hours_per_worker / YEAR_DAYS  # a supervisor's hours a calendar day
    mu = per_day / sc.centre.referral_hours
    patience = sc.simulation.standards.intake_days
    made = late = 0.0
    for r in range(40):
        out = simulate_centre_year(sc, "M/M/c", 2023, servers, [rate * YEAR_DAYS], r)
        made += out["referrals"]
        late += out["referrals"] - out["referrals_on_time"]
    theory = mmc_patience_analytic(rate, mu, servers, patience)["unmet_share"]
    assert 0.02 < theory < 0.5  # a queue that matters
    assert late / made == pytest.approx(theory, abs=0.03)


def test_simulate_centres_reports_every_open_centre(ganzhou):
    import pandas as pd

    t = ganzhou.townships.head(6)
    plan = pd.DataFrame(
        {
            "township_id": list(t["township_id"]) * 2,
            "year": [2023] * 6 + [2024] * 6,
            "station": [1, 1, 0, 1, 0, 0] * 2,
        }
    )
    counties = list(dict.fromkeys(t["county"]))
    centres = pd.DataFrame(
        [
            {"county": c, "year": y, "centre": 1, "supervisors": 1}
            for c in counties
            for y in (2023, 2024)
        ]
    )
    out = simulate_centres(ganzhou, plan, centres, replications=3)
    assert len(out) == len(centres)
    assert out["stations"].sum() == 2 * 3
    assert out["referral_on_time_share"].between(0, 1).all()
    assert (out["referral_on_time_low"] <= out["referral_on_time_share"]).all()
