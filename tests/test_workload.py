"""Workload (WISN): the published worked example, and the township formula by hand."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario
from model.workload import (
    KINDS,
    client_hours,
    priority_fill,
    station_hours,
    travel_hours,
    wisn_staff,
    workload_table,
)


def test_wisn_kenya_hiv_clinic_worked_example():
    """Burmen, Owuor & Mitei (2017), Human Resources for Health 15:9, Table 3.

    JOOTRH HIV clinic, 2011.

    10,000 patients x 10 consultations x 0.25 h = 25,000 h = 3,125 eight-hour days; available
    working time 52 x 4.5 days − 10 public holidays − 30 annual leave − 15 sick leave = 179 days;
    baseline requirement 3,125 / 179 = 17.46 clinicians (as published). Category allowance: 10
    days a year on non-clinical work (CAS = 10/179), CAF = 1 / (1 − CAS) per the WHO WISN
    user's manual (2010), giving 18.5 clinicians.
    """
    workload_days = 10_000 * 10 * 0.25 / 8
    awt_days = 52 * 4.5 - 10 - 30 - 15
    assert workload_days == 3125 and awt_days == 179
    baseline = wisn_staff(workload_days, awt_days)
    assert round(baseline, 2) == 17.46
    total = wisn_staff(workload_days, awt_days, category_allowance_share=10 / 179)
    assert total == pytest.approx(3125 / 179 / (1 - 10 / 179))
    assert round(total, 1) == 18.5


def test_wisn_individual_allowance_adds_staff():
    assert wisn_staff(1650, 1650, individual_allowance_hours=825) == pytest.approx(1.5)
    with pytest.raises(ValueError):
        wisn_staff(10, 0)


def test_township_workload_by_hand(case):
    sc = load_scenario(case.yaml)
    # dibao: case_rate 0.05 (intake 1 h + 3 sessions x 1.5 h) + visit 0.5 x (1.5 h + the round
    #        trip to the household) = 0.275 + 0.75 + 0.5 x travel h/person
    # tekun: defaults, same rates
    remoteness = float(sc.townships.loc[0, "remoteness"])
    travel = 30 / (1 - remoteness) / 60  # staffing.visit_travel_minutes 30 by default
    assert travel_hours(sc)[0] == pytest.approx(travel)
    per_person = 1.025 + 0.5 * travel
    hours = client_hours(sc)
    assert hours.loc[0, "dibao"] == pytest.approx(1200 * per_person)
    assert hours.loc[0, "tekun"] == pytest.approx(150 * per_person)
    fixed = 12 * 3.0 * 2 + 150.0
    assert station_hours(sc) == fixed
    table = workload_table(sc)
    assert table.loc[0, "need_hours"] == pytest.approx(1350 * per_person + fixed)
    # a worker's 1,650 hours less the township's administrative work (admin_share, 0.65 by
    # default)
    share = sc.staffing.admin_share
    assert share == 0.65
    assert table.loc[0, "available_hours_per_worker"] == pytest.approx(1650 * (1 - share))
    assert table.loc[0, "workers_needed"] == pytest.approx(
        (1350 * per_person + fixed) / 1650 / (1 - share)
    )
    # the same as WISN with the administrative work as its category allowance
    assert table.loc[0, "workers_needed"] == pytest.approx(
        wisn_staff(1350 * per_person + fixed, 1650, category_allowance_share=share)
    )


def test_priority_fill_serves_higher_priority_first_and_shares_ties():
    demand = {"a": 100.0, "b": 50.0, "c": 150.0}
    weight = {"a": 3, "b": 1, "c": 1}
    assert priority_fill(demand, weight, 80) == {"a": 80.0, "b": 0.0, "c": 0.0}
    got = priority_fill(demand, weight, 200)
    assert got["a"] == 100 and got["b"] == pytest.approx(25) and got["c"] == pytest.approx(75)
    assert priority_fill(demand, weight, 1000) == demand
    assert priority_fill(demand, weight, -5) == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_on_time_with_one_standard_and_one_priority_is_mmc_d(case):
    """Every kind with the same standard and every group with the same priority: per township
    and staffing level, the M/M/c+D closed form with the township's requests, its mean hours
    per request and each worker's hours less the station's own."""
    from model.queues import mmc_patience_analytic
    from model.workload import available_hours, client_requests, on_time_shares

    same = [f"simulation.standards.{k}_days=10" for k in KINDS] + ["groups.tekun.priority=1"]
    sc = load_scenario(case.yaml, same)
    shares = on_time_shares(sc, [1, 2, 3])
    n = client_requests(sc)
    # T1: dibao 1,200 x (0.05 x (1 + 3 sessions) + 0.5 visits), tekun 150 x the same
    assert n[0] == pytest.approx(1350 * (0.05 * 4 + 0.5))
    hours = client_hours(sc).sum(axis=1)
    avail = available_hours(sc)
    fixed = station_hours(sc)
    for j, k in enumerate([1, 2, 3]):
        per_worker = avail[0] - fixed / k
        mu = per_worker / (hours[0] / n[0]) / 365
        expected = 1 - mmc_patience_analytic(n[0] / 365, mu, k, 10.0)["unmet_share"]
        assert shares[0, j] == pytest.approx(expected, rel=1e-12)


def test_on_time_by_group_is_the_priority_queue_of_each_township(case):
    """Groups with their priorities (tekun 3 before dibao 1), kinds with their standards: each
    group's share is its kinds' requests started on time by priority_patience_analytic, and the
    township's share is the groups' weighted by their requests."""
    from model.queues import priority_patience_analytic
    from model.workload import (
        available_hours,
        client_requests,
        group_requests,
        on_time_by_group,
        on_time_shares,
        requests_by_kind,
    )

    sc = load_scenario(case.yaml, ["simulation.standards.intake_days=20"])
    assert sc.simulation.standards.by_kind() == (20.0, 30.0, 15.0, 7.0)
    kinds = requests_by_kind(sc)
    assert list(kinds.columns) == list(KINDS)
    assert kinds.loc["dibao"].tolist() == pytest.approx([0.05, 0.5, 0.0, 0.15])
    levels = [1, 2, 3]
    by_group = on_time_by_group(sc, levels)
    assert by_group.shape == (3, 3, 2)
    n = client_requests(sc)
    hours = client_hours(sc).sum(axis=1)
    fixed = station_hours(sc)
    persons = sc.townships[["dibao", "tekun"]].to_numpy(float)
    for j, k in enumerate(levels):
        for i in range(3):
            mu = (available_hours(sc)[i] - fixed / k) / (hours[i] / n[i]) / 365
            rates = [persons[i, g] * r / 365 for g in range(2) for r in kinds.iloc[g]]
            keep = [r > 0 for r in rates]
            got = priority_patience_analytic(
                [r for r, y in zip(rates, keep) if y],
                [p for p, y in zip([1] * 4 + [3] * 4, keep) if y],
                [d for d, y in zip(sc.simulation.standards.by_kind() * 2, keep) if y],
                mu,
                k,
            )["unmet_share"]
            lost = dict(zip([c for c, y in enumerate(keep) if y], got))
            for g in range(2):
                mine = range(4 * g, 4 * g + 4)
                late = sum(rates[c] * lost.get(c, 0.0) for c in mine)
                assert by_group[i, j, g] == pytest.approx(1 - late / sum(rates[c] for c in mine))
    weight = group_requests(sc).to_numpy(float)
    overall = on_time_shares(sc, levels)
    weighted = (by_group * weight[:, None, :]).sum(axis=2) / n.to_numpy()[:, None]
    assert overall == pytest.approx(weighted)
    assert (by_group[:, :, 1] >= by_group[:, :, 0] - 1e-12).all()  # tekun goes first
    assert (np.diff(by_group, axis=1) >= -1e-12).all()  # another worker never makes it worse
    assert ((by_group >= 0) & (by_group <= 1)).all()
    # a station whose own hours take all of one worker's time starts nothing on time
    busy = load_scenario(case.yaml, ["station.overhead_hours=5000"])
    assert on_time_shares(busy, [1])[:, 0].max() == 0.0
    assert on_time_by_group(busy, [1]).max() == 0.0
