"""Travel minutes (model.inputs.travel): the CSV reader and the synthetic geometry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model import load_scenario
from model.errors import InputError
from model.inputs.travel import COUNTY_RADIUS_KM, synthetic_minutes, synthetic_places


def with_travel(case, rows: str | None, travel: str = "travel.csv"):
    """The mini scenario (T1, T2, T3) with region.travel, its CSV holding `rows`."""
    if rows is not None:
        (case.folder / "travel.csv").write_text("from,to,minutes\n" + rows, encoding="utf-8")
    data = yaml_data(case)
    data["region"]["travel"] = travel
    case.write(data)
    return load_scenario(case.yaml)


def yaml_data(case) -> dict:
    import yaml

    return yaml.safe_load(case.yaml.read_text(encoding="utf-8"))


def test_no_travel_is_none(case):
    sc = load_scenario(case.yaml)
    assert sc.travel is None and sc.travel_source == ""


def test_long_form_one_direction_is_both_and_the_diagonal_is_zero(case):
    sc = with_travel(case, "T1,T2,12\nT2,T3,20\nT3,T1,25\n")
    m = sc.travel
    assert list(m.index) == ["T1", "T2", "T3"] and list(m.columns) == ["T1", "T2", "T3"]
    assert m.loc["T2", "T1"] == 12 and m.loc["T1", "T2"] == 12
    assert m.loc["T1", "T3"] == 25 and m.loc["T3", "T1"] == 25
    assert (np.diag(m.to_numpy()) == 0).all()
    assert "travel.csv" in sc.travel_source


def test_both_directions_given_are_kept_and_a_repeated_pair_keeps_the_smaller(case):
    m = with_travel(case, "T1,T2,12\nT2,T1,15\nT2,T3,20\nT2,T3,18\nT3,T1,25\n").travel
    assert m.loc["T1", "T2"] == 12 and m.loc["T2", "T1"] == 15
    assert m.loc["T2", "T3"] == 18 and m.loc["T3", "T2"] == 18


def test_missing_pairs_are_completed_by_shortest_paths(case):
    m = with_travel(case, "T1,T2,12\nT2,T3,0\n").travel  # T1–T3 not given: via T2
    assert m.loc["T1", "T3"] == pytest.approx(12) and m.loc["T3", "T1"] == pytest.approx(12)
    assert m.loc["T2", "T3"] == 0


def test_an_unreachable_pair_names_both_townships(case):
    (case.folder / "travel.csv").write_text("from,to,minutes\nT1,T2,12\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        with_travel(case, None)
    text = str(err.value)
    assert "travel.csv" in text and "townships T1 and T3" in text
    zh = err.value.render("zh")
    assert "没有通行时间" in zh and "T3" in zh


@pytest.mark.parametrize(
    ("rows", "needles", "zh"),
    [
        ("T1,T9,12\n", ["row 2, column to", "township_id", "'T9'"], ["第 2 行，to 列", "乡镇代码"]),
        ("T1,T2,12\nT2,T3,-5\n", ["row 3, column minutes", "-5"], ["第 3 行", "不小于 0"]),
        ("T1,T2,abc\n", ["row 2, column minutes", "'abc'"], ["不小于 0 的分钟数"]),
        ("T1,T2,\n", ["row 2, column minutes", "empty cell"], ["空单元格"]),
    ],
)
def test_bad_rows_name_the_file_row_and_field(case, rows, needles, zh):
    with pytest.raises(InputError) as err:
        with_travel(case, rows)
    text = str(err.value)
    assert "travel.csv" in text
    for needle in needles:
        assert needle in text, text
    chinese = err.value.render("zh")
    for needle in zh:
        assert needle in chinese, chinese


def test_a_missing_column_and_a_missing_file(case):
    (case.folder / "travel.csv").write_text("from,to\nT1,T2\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column minutes") as err:
        with_travel(case, None)
    assert "缺少 minutes" in err.value.render("zh")
    with pytest.raises(InputError, match="region.travel") as err:
        with_travel(case, None, travel="nowhere.csv")
    assert "nowhere.csv" in err.value.render("zh")


def test_chinese_headers_are_read(case):
    (case.folder / "travel.csv").write_text(
        "起点,终点,分钟\nT1,T2,12\nT2,T3,20\n", encoding="utf-8"
    )
    assert with_travel(case, None).travel.loc["T3", "T1"] == 32


def test_the_travel_file_is_relative_to_the_scenario_and_set_works_too(case, tmp_path):
    (case.folder / "travel.csv").write_text("from,to,minutes\nT1,T2,1\nT2,T3,2\n", "utf-8")
    sc = load_scenario(case.yaml, ["region.travel=synthetic"])
    assert sc.travel.attrs["source"] == "synthetic"
    other = sc.with_overrides(["region.travel=" + str(case.folder / "travel.csv")])
    assert other.travel.loc["T1", "T3"] == 3


def test_synthetic_is_the_same_for_the_same_seed_and_differs_for_another():
    from model.inputs.synth import synthesize

    towns = synthesize("county", seed=3)
    a, b = synthetic_minutes(towns, 42), synthetic_minutes(towns, 42)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic_minutes(towns, 43))


def test_synthetic_is_symmetric_zero_on_the_diagonal_positive_and_nearer_within_a_county():
    from model.inputs.synth import synthesize

    towns = synthesize("prefecture", seed=5)
    m = synthetic_minutes(towns, 1).to_numpy()
    assert np.allclose(m, m.T) and (np.diag(m) == 0).all()
    off = ~np.eye(len(m), dtype=bool)
    assert (m[off] > 0).all()
    county = towns["county"].to_numpy()
    same = county[:, None] == county[None, :]
    assert m[same & off].mean() < m[~same].mean()


def test_synthetic_places_use_the_real_seats_of_official_codes():
    sc = load_scenario("scenarios/yanji.yaml", ["region.travel=synthetic"])
    places = synthetic_places(sc.townships, sc.simulation.seed)
    assert places["real_seats"].all()  # 延吉市 222401: seat near 129.5 E, 42.9 N
    assert places["longitude"].between(129.0, 130.0).all()
    assert places["latitude"].between(42.5, 43.3).all()
    remote = 1 + sc.townships["remoteness"].to_numpy()
    assert (places["km_from_seat"] <= COUNTY_RADIUS_KM * remote + 1e-9).all()
    assert "SYNTHETIC" in sc.travel_source
