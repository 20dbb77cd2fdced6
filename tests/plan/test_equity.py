"""Equity measures: Gini and Palma against worked examples, the equity table of a small plan
computed by hand, and the plan summary's equity columns."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from model import load_scenario, optimize, shipped_scenario
from model.plan.equity import (
    MEASURES,
    SUMMARY_COLUMNS,
    equity_table,
    gini,
    palma,
    remoteness_quartiles,
    simulated_equity_table,
    summary_columns,
)


def _mean_difference_gini(x, w) -> float:
    """The definition, a double sum: Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    total = w.sum()
    mean = (w * x).sum() / total
    pairs = sum(
        wi * wj * abs(xi - xj) for (xi, wi), (xj, wj) in itertools.product(zip(x, w), repeat=2)
    )
    return pairs / (2 * total**2 * mean)


# ---------------------------------------------------------------------- Gini


def test_gini_of_equal_values_is_zero():
    assert gini([0.7, 0.7, 0.7]) == 0.0
    assert gini([0.4] * 5, [1, 9, 3, 2, 8]) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("n", [2, 4, 10])
def test_gini_when_one_of_n_equal_weights_holds_everything(n):
    assert gini([0.0] * (n - 1) + [1.0]) == pytest.approx((n - 1) / n)


def test_gini_of_one_to_n_is_the_textbook_value():
    # 1, 2, …, n: mean absolute difference (n² − 1)/(3n), mean (n + 1)/2 -> G = (n − 1)/(3n)
    assert gini([1, 2, 3, 4, 5]) == pytest.approx(4 / 15)
    assert gini([5, 3, 1, 4, 2]) == pytest.approx(4 / 15)  # order does not matter
    assert gini(np.arange(1, 101)) == pytest.approx(99 / 300)


def test_a_weight_counts_as_that_many_copies():
    # by hand: 1, 1, 3 -> pairs |1 − 3| four times (ordered) = 8; 2 W² μ = 2 · 9 · 5/3 = 30
    assert gini([1, 3], [2, 1]) == pytest.approx(8 / 30)
    assert gini([1, 1, 3]) == pytest.approx(8 / 30)


def test_gini_agrees_with_the_double_sum():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(2, 12))
        x, w = rng.uniform(0, 1, n), rng.uniform(0.1, 5, n)
        assert gini(x, w) == pytest.approx(_mean_difference_gini(x, w), rel=1e-12)


def test_gini_of_nothing_is_not_a_number_and_bad_input_fails():
    assert math.isnan(gini([0, 0, 0]))
    assert math.isnan(gini([1, 2], [0, 0]))
    assert gini([1, 2, 50], [1, 1, 0]) == pytest.approx(gini([1, 2]))  # zero weight: left out
    with pytest.raises(ValueError):
        gini([1, -1])
    with pytest.raises(ValueError):
        gini([1, 2], [1])


# ---------------------------------------------------------------------- Palma


def test_palma_of_equal_values_is_a_quarter():
    assert palma([0.5] * 10) == pytest.approx(0.25)
    assert palma([0.5] * 3, [1, 2, 7]) == pytest.approx(0.25)


def test_palma_of_one_to_ten():
    # bottom 40%: 1 + 2 + 3 + 4 = 10; top 10%: 10
    assert palma(range(1, 11)) == pytest.approx(1.0)


def test_palma_splits_a_township_at_the_boundary():
    # 1, 2, 3 of equal weight cover [0, 1/3], [1/3, 2/3], [2/3, 1]: the bottom 40% holds all of
    # the first and 1/15 of the second (1/3 · 1 + 1/15 · 2 = 7/15); the top 10% is 0.1 of the
    # third (0.3): 0.3 / (7/15) = 9/14
    assert palma([3, 1, 2]) == pytest.approx(9 / 14)
    # 1 with weight 4 and 2 with weight 6: bottom 0.4 · 1, top 0.1 · 2
    assert palma([1, 2], [4, 6]) == pytest.approx(0.5)
    assert palma([2, 1], [6, 4]) == pytest.approx(palma([1, 1, 1, 1, 2, 2, 2, 2, 2, 2]))


def test_palma_ties_do_not_depend_on_order():
    values, weights = [0.2, 0.5, 0.5, 0.9], [3, 1, 4, 2]
    assert palma(values, weights) == pytest.approx(palma(values[::-1], weights[::-1]))
    assert palma([0.5, 0.5, 0.2, 0.9], [4, 1, 3, 2]) == pytest.approx(palma(values, weights))


def test_palma_when_the_bottom_holds_nothing():
    assert palma([0] * 9 + [1]) == math.inf
    assert math.isnan(palma([0, 0, 0]))


# ---------------------------------------------------------------------- a small plan by hand

TABLE = """township_id,name,county,kind,population,elderly,dibao,tekun,has_station,\
workers_certified,workers_uncertified,remoteness
T1,红旗镇,东山县,rural,20000,4000,1200,150,1,1,1,0.1
T2,新华街道,东山县,urban,40000,6000,300,10,0,0,0,0.0
T3,安居街道,西河县,relocation,15000,1500,1500,80,0,0,0,0.5
T4,石门乡,西河县,rural,10000,2500,700,40,0,0,0,0.3
"""
# 2025: township, station, workers, need, served -> share
PLAN_2025 = [
    ("T1", 1, 2, 100.0, 80.0),  # 0.8
    ("T2", 1, 3, 200.0, 200.0),  # 1.0
    ("T3", 0, 0, 50.0, 0.0),  # 0 (no station)
    ("T4", 1, 1, 150.0, 30.0),  # 0.2
]


@pytest.fixture
def small(case):
    case.table(TABLE)
    sc = load_scenario(case.yaml)
    rows = []
    for year in (2025, 2026):
        for tid, station, workers, need, served in PLAN_2025:
            rows.append(
                {
                    "township_id": tid,
                    "year": year,
                    "station": station if year == 2025 else 1,
                    "workers_uncertified": workers if year == 2025 else 2,
                    "workers_junior": 0,
                    "workers_intermediate": 0,
                    "client_hours": need,
                    "served_hours": served if year == 2025 else need / 2,
                }
            )
    plan = pd.DataFrame(rows)
    service = pd.DataFrame(
        {
            "township_id": ["T1", "T1", "T2", "T2"] * 2,
            "year": [2025] * 4 + [2026] * 4,
            "group": ["dibao", "tekun"] * 4,
            "demand_hours": [60.0, 40.0, 150.0, 50.0] * 2,
            "served_hours": [40.0, 40.0, 150.0, 50.0, 30.0, 20.0, 75.0, 25.0],
        }
    )
    return sc, plan, service


def _value(table: pd.DataFrame, year: int, measure: str, key: str | None = "") -> pd.Series:
    """The row of `measure` in `year` (with `key`; None: whatever its key)."""
    row = table[(table["year"] == year) & (table["measure"] == measure)]
    if key is not None:
        row = row[row["key"] == key]
    assert len(row) == 1, (year, measure, key)
    return row.iloc[0]


def test_remoteness_quartiles_least_remote_first(small):
    sc, _, _ = small
    assert remoteness_quartiles(sc.townships).to_dict() == {
        "T1": "q2",
        "T2": "q1",
        "T3": "q4",
        "T4": "q3",
    }
    flat = sc.townships.assign(remoteness=0.0)
    assert remoteness_quartiles(flat).empty


def test_equity_table_of_a_small_plan_by_hand(small):
    sc, plan, service = small
    e = equity_table(sc, plan, service)
    assert set(e["source"]) == {"plan"}
    assert set(e["measure"].str.removesuffix("_with_station")) <= set(MEASURES)
    assert _value(e, 2025, "served_share")["value"] == pytest.approx(0.62)  # 310 / 500
    assert _value(e, 2025, "served_share")["denominator"] == 500
    # need-weighted Gini: Σ w_i w_j |x_i − x_j| over pairs = 52,500; / (W Σ w x) = 500 · 310
    assert _value(e, 2025, "gini")["value"] == pytest.approx(52500 / 155000, abs=1e-4)
    # need fractions T3 [0, .1], T4 [.1, .4], T1 [.4, .6], T2 [.6, 1]: bottom .1·0 + .3·.2,
    # top .1·1
    assert _value(e, 2025, "palma")["value"] == pytest.approx(0.1 / 0.06, abs=1e-4)
    lowest = _value(e, 2025, "lowest_served_share", None)
    assert (lowest["key"], lowest["value"], lowest["denominator"]) == ("T3", 0.0, 4)
    assert _value(e, 2025, "townships_below_30pct")["value"] == 2  # T3, T4
    assert _value(e, 2025, "townships_below_60pct")["value"] == 2
    # with a station: T4, T1, T2 (weights 150, 100, 200)
    assert _value(e, 2025, "gini_with_station")["value"] == pytest.approx(37000 / 139500, abs=1e-4)
    assert _value(e, 2025, "palma_with_station")["value"] == pytest.approx(0.1 / 0.12, abs=1e-4)
    low = _value(e, 2025, "lowest_served_share_with_station", None)
    assert (low["key"], low["value"], low["denominator"]) == ("T4", 0.2, 3)
    assert _value(e, 2025, "townships_below_30pct_with_station")["value"] == 1
    # remoteness quartiles: q1 T2, q2 T1, q3 T4, q4 T3
    for q, share, need, workers in (
        ("q1", 1.0, 200, 3),
        ("q2", 0.8, 100, 2),
        ("q3", 0.2, 150, 1),
        ("q4", 0.0, 50, 0),
    ):
        row = _value(e, 2025, "served_share_by_remoteness", q)
        assert (row["value"], row["denominator"]) == (pytest.approx(share), need)
        assert _value(e, 2025, "workers_by_remoteness", q)["value"] == workers
    assert _value(e, 2025, "served_share_by_county", "东山县")["value"] == pytest.approx(
        280 / 300, abs=1e-4
    )
    assert _value(e, 2025, "served_share_by_county", "西河县")["value"] == pytest.approx(0.15)
    assert _value(e, 2025, "served_share_by_group", "dibao")["value"] == pytest.approx(
        190 / 210, abs=1e-4
    )
    assert _value(e, 2025, "served_share_by_group", "tekun")["denominator"] == 90
    # 2026: every township served half its need
    assert _value(e, 2026, "gini")["value"] == pytest.approx(0.0)
    assert _value(e, 2026, "palma")["value"] == pytest.approx(0.25)
    assert _value(e, 2026, "townships_below_60pct")["value"] == 4


def test_summary_columns_come_from_the_plan_rows(small):
    sc, plan, service = small
    wide = summary_columns(equity_table(sc, plan, service), [2025, 2026]).set_index("year")
    assert list(wide.columns) == list(SUMMARY_COLUMNS)
    assert wide.loc[2025, "gini_served_share"] == pytest.approx(0.3387)
    assert wide.loc[2025, "townships_below_30pct"] == 2
    assert wide.loc[2025, "served_share_q4"] == 0.0 and wide.loc[2025, "served_share_q1"] == 1.0
    assert wide.loc[2026, "lowest_served_share"] == 0.5


def test_a_township_without_need_is_left_out(small):
    sc, plan, service = small
    plan.loc[plan["township_id"] == "T3", ["client_hours", "served_hours"]] = 0.0
    e = equity_table(sc, plan, service)
    assert _value(e, 2025, "gini")["denominator"] == 3
    assert math.isnan(_value(e, 2025, "served_share_by_remoteness", "q4")["value"])
    assert _value(e, 2025, "lowest_served_share", None)["key"] == "T4"


def test_simulated_equity_uses_the_simulated_hours_and_reach(small):
    sc, plan, _ = small
    p = plan[plan["year"] == 2025]
    table = pd.DataFrame(
        {
            "township_id": p["township_id"],
            "year": 2025,
            "workers": p["workers_uncertified"],
            "demand_hours": p["client_hours"] * 2,  # the simulation's own demand
            "served_hours": p["served_hours"] * 2,
        }
    )
    reach = pd.DataFrame(
        {
            "township_id": ["T1", "T2"],
            "year": 2025,
            "group": "dibao",
            "persons": [1200, 300],
            "clients_reached": [120.0, 30.0],
        }
    )
    e = simulated_equity_table(sc, table, reach)
    assert set(e["source"]) == {"simulation"}
    assert _value(e, 2025, "gini")["value"] == pytest.approx(0.3387)  # shares as in the plan
    assert _value(e, 2025, "served_share")["denominator"] == 1000
    assert (
        _value(e, 2025, "lowest_served_share_with_station", None)["key"] == "T4"
    )  # T3: no workers
    assert _value(e, 2025, "reach_rate_by_group", "dibao")["value"] == pytest.approx(0.1)
    assert _value(e, 2025, "reach_rate_by_group", "dibao")["denominator"] == 1500


def test_an_optimized_plan_summary_carries_the_equity_columns():
    sc = load_scenario(shipped_scenario("yanji"))
    result = optimize(sc, estimate_gap=False)
    summary = result.summary.set_index("year")
    assert set(SUMMARY_COLUMNS) <= set(summary.columns)
    for year, p in result.plan.groupby("year"):
        need = p["client_hours"].to_numpy(float)
        share = p["served_hours"].to_numpy(float) / need
        assert summary.loc[year, "gini_served_share"] == pytest.approx(gini(share, need), abs=1e-4)
        assert summary.loc[year, "lowest_served_share"] == pytest.approx(share.min(), abs=1e-4)
        assert summary.loc[year, "townships_below_30pct"] == int((share < 0.3).sum())
