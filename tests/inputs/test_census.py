"""Real units' populations matched to the published 7th-census figures (model.inputs.census)."""

from __future__ import annotations

import numpy as np
import pytest

from model.inputs.census import calibrate_to_census, census_table
from model.inputs.divisions import select_divisions
from model.inputs.synth import synthesize_units


def real(region: str, profile: str = "prefecture", seed: int = 7):
    units = select_divisions([region])
    drawn = synthesize_units(units, profile, seed)
    return drawn, calibrate_to_census(drawn)


def test_the_table_holds_every_province_and_adds_up_to_the_published_total():
    census = census_table()
    provinces = census[census["level"] == "province"]
    assert len(provinces) == 31 and provinces["population"].notna().all()
    assert provinces["population"].sum() == 1_409_778_724
    assert census.at["00", "population"] == 1_409_778_724 + 2_000_000  # with active military
    assert census.at["00", "share_60plus"] == 18.70
    assert census["source"].str.len().gt(10).all()


def test_a_whole_published_area_adds_up_to_its_total():
    _, henan = real("河南省", "province")
    assert henan["population"].sum() == 99_365_519
    zhengzhou = henan[henan["township_id"].str.startswith("4101")]
    assert zhengzhou["population"].sum() == 12_600_574
    assert set(zhengzhou["population_source"]) == {"census:4101"}
    assert set(henan["elderly_source"]) == {"census:00"}  # Henan's ages are not in the table
    _, ganzhou = real("赣州市")
    assert ganzhou["population"].sum() == 8_970_014
    assert ganzhou["elderly"].sum() / ganzhou["population"].sum() == pytest.approx(0.1564, abs=1e-4)


def test_part_of_an_area_gets_its_mean_per_unit_and_keeps_the_synthetic_spread():
    drawn, county = real("360702")  # one county of Ganzhou
    assert county["population"].sum() == pytest.approx(8_970_014 / 293 * len(county), abs=1)
    ratio = county["population"] / drawn["population"]
    assert ratio.max() - ratio.min() < 1e-3 * ratio.mean() + 1 / drawn["population"].min()


def test_recipients_keep_their_synthetic_rates():
    drawn, matched = real("延吉市", "county")
    before = drawn["dibao"] / drawn["population"]
    after = matched["dibao"] / matched["population"]
    assert np.allclose(before, after, atol=2 / matched["population"].min())
    assert (matched["elderly"] <= matched["population"]).all()
    for column in ("has_station", "workers_certified", "workers_uncertified", "remoteness"):
        assert matched[column].equals(drawn[column])


@pytest.mark.slow
def test_the_whole_country_adds_up_to_the_31_provinces():
    _, china = real("全国", "province")
    assert len(china) == 38_642
    assert china["population"].sum() == 1_409_778_724
