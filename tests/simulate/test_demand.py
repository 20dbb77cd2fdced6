"""Seasonal profiles and crisis events shape when requests arrive.

Inhomogeneous Poisson arrivals by thinning.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario
from model.simulate import Streams
from model.simulate.demand import MONTH_START, crisis_windows, season_curve, township_arrivals


def test_season_curve_keeps_the_yearly_total():
    curve = season_curve({"jul": 2.0, "aug": 2.0})
    days = np.diff(MONTH_START)
    assert (curve * days).sum() == pytest.approx(365.0)
    assert curve[6] == pytest.approx(2 * curve[0])
    assert season_curve({}) is None and season_curve({"may": 1.0}) is None


def _counts(sc, replications=40):
    july, total = 0, 0
    for r in range(replications):
        a = township_arrivals(sc, 0, Streams(sc.simulation.seed, r), 2025)
        july += int(((a.day >= MONTH_START[6]) & (a.day < MONTH_START[7])).sum())
        total += len(a)
    return july / replications, total / replications


def test_a_summer_peak_moves_requests_into_july_but_not_more_of_them(case):
    flat = load_scenario(case.yaml)
    summer = load_scenario(case.yaml, ["groups.dibao.season.jul=3", "groups.tekun.season.jul=3"])
    july_flat, total_flat = _counts(flat)
    july_summer, total_summer = _counts(summer)
    share = 3 * 31 / (365 + 2 * 31)  # July's share of the year with a triple July
    assert july_summer / total_summer == pytest.approx(share, rel=0.1)
    assert july_flat / total_flat == pytest.approx(31 / 365, rel=0.15)
    assert total_summer == pytest.approx(total_flat, rel=0.05)


def test_crises_add_demand_inside_their_weeks(case):
    calm = load_scenario(case.yaml)
    stormy = load_scenario(
        case.yaml,
        [
            "simulation.crisis.rate_per_year=2",
            "simulation.crisis.multiplier=4",
            "simulation.crisis.weeks=6",
        ],
    )
    more, inside, outside = 0, [], []
    for r in range(30):
        s = Streams(42, r)
        windows = crisis_windows(stormy, "T1", s, 2025)
        a = township_arrivals(stormy, 0, Streams(42, r), 2025)
        b = township_arrivals(calm, 0, Streams(42, r), 2025)
        more += len(a) - len(b)
        if windows:
            start, end = windows[0]
            end = min(end, 365.0)
            if len(windows) == 1 and end - start > 7:
                inside.append(((a.day >= start) & (a.day < end)).sum() / (end - start))
                outside.append(((a.day < start) | (a.day >= end)).sum() / (365 - (end - start)))
    assert more > 0
    assert np.mean(inside) == pytest.approx(4 * np.mean(outside), rel=0.2)
    assert crisis_windows(calm, "T1", Streams(42), 2025) == []
