"""The supervisor rows' convex hull (formulation._supervisor_hull), by enumeration."""

from __future__ import annotations

import math

import pytest

from model.optimizer.formulation import _supervisor_hull


def lp_least(least: int, most: int, per: int, stations: int) -> float:
    """The fewest supervisors the relaxation allows for `stations` open stations."""
    rows = _supervisor_hull(least, most, per)
    return max([stations / per] + [(rhs + ds * stations) / dn for dn, ds, rhs in rows])


@pytest.mark.parametrize("per", [1, 2, 3, 10])
def test_every_whole_plan_meets_the_rows(per):
    for least in range(0, 24):
        for most in range(least, 30):
            for n in range(least, most + 1):
                assert lp_least(least, most, per, n) <= math.ceil(n / per) + 1e-9


@pytest.mark.parametrize("per", [2, 3, 10])
def test_the_rows_are_the_hull(per):
    """At the hull's corners the relaxation needs as many supervisors as whole plans: at every
    township's station, at the stations of today, and at each multiple of `per` between."""
    for least in range(0, 24):
        for most in range(least, 30):
            for n in {least, most} | {k for k in range(least, most + 1) if k % per == 0}:
                assert lp_least(least, most, per, n) == pytest.approx(math.ceil(n / per))


def test_fifteen_townships():
    # 15 townships, none with a station today: 5 × supervisors ≥ stations − 5 beside the row
    assert _supervisor_hull(0, 15, 10) == [(5, 1, -5)]
    # 5 of them with a station: at least one supervisor, whatever opens
    assert _supervisor_hull(5, 15, 10) == [(1, 0, 1), (5, 1, -5)]
    # every township with a station today
    assert _supervisor_hull(15, 15, 10) == [(1, 0, 2)]
    # 20 townships: the row alone is the hull
    assert _supervisor_hull(0, 20, 10) == []
