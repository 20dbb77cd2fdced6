"""Access (model.plan.access) by hand on three townships, and in a run folder."""

from __future__ import annotations

import pandas as pd
import pytest

from model import load_scenario
from model.plan.access import access_curve, access_table, nearest_station


@pytest.fixture
def sc(case):
    """The mini scenario: T1 (20,000 people, 1,200 dibao), T2 (40,000, 300), T3 (15,000, 1,500);
    T1–T2 20 minutes, T2–T3 40, T1–T3 50 (given: not the 60 via T2)."""
    (case.folder / "travel.csv").write_text(
        "from,to,minutes\nT1,T2,20\nT2,T3,40\nT1,T3,50\n", encoding="utf-8"
    )
    return load_scenario(case.yaml, ["region.travel=" + str(case.folder / "travel.csv")])


def plan(stations: dict[int, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"year": y, "township_id": t, "station": int(t in open_)}
            for y, open_ in stations.items()
            for t in ("T1", "T2", "T3")
        ]
    )


def test_nearest_station_by_hand(sc):
    near = nearest_station(sc, plan({2025: ["T1"], 2026: ["T1", "T3"]}))
    minutes = near.set_index(["year", "township_id"])["minutes_to_station"]
    assert minutes.loc[2025].tolist() == [0, 20, 50]
    assert minutes.loc[2026].tolist() == [0, 20, 0]
    assert near.groupby("year")["stations"].first().tolist() == [1, 2]


def test_access_table_by_hand(sc):
    table = access_table(sc, plan({2025: ["T1"], 2026: ["T1", "T3"]}), thresholds=(15, 30, 60))
    row = table.set_index(["year", "minutes", "people"])
    # 2025, station in T1 only: 15 min reaches T1; 30 reaches T1, T2; 60 reaches all
    assert row.loc[(2025, 15, "population"), "persons_within"] == 20000
    assert row.loc[(2025, 30, "population"), "persons_within"] == 60000
    assert row.loc[(2025, 60, "population"), "persons_within"] == 75000
    assert row.loc[(2025, 30, "population"), "persons_total"] == 75000
    assert row.loc[(2025, 30, "population"), "share_within"] == pytest.approx(0.8)
    assert row.loc[(2025, 30, "dibao"), "persons_within"] == 1500
    assert row.loc[(2025, 30, "dibao"), "persons_total"] == 3000
    assert row.loc[(2025, 30, "tekun"), "share_within"] == pytest.approx(160 / 240, abs=1e-4)
    # 2026, T3 opens: 15 min reaches T1 and T3
    assert row.loc[(2026, 15, "population"), "persons_within"] == 35000
    assert set(table["people"]) == {"population", "dibao", "tekun"}
    assert len(table) == 2 * 3 * 3


def test_a_year_without_stations_reaches_nobody(sc):
    table = access_table(sc, plan({2025: []}), thresholds=(60,))
    assert (table["persons_within"] == 0).all()
    assert table["stations"].eq(0).all()


def test_the_access_curve_steps_at_each_township(sc):
    near = nearest_station(sc, plan({2025: ["T1"]}))
    curve = access_curve(near, sc.townships, [0, 19, 20, 49, 50])
    assert curve[2025].tolist() == pytest.approx([20 / 75, 20 / 75, 60 / 75, 60 / 75, 1.0])


def test_without_travel_there_is_nothing_to_measure(case):
    sc = load_scenario(case.yaml)
    with pytest.raises(ValueError, match="region.travel"):
        access_table(sc, plan({2025: ["T1"]}))
