"""Real units matched to the published 7th-census figures and recipient counts
(model.inputs.census)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from model.inputs import census as census_module
from model.inputs.census import (
    URBAN_RURAL_2020,
    calibrate_to_census,
    census_table,
    published_groups,
    recipients_table,
)
from model.inputs.divisions import select_divisions
from model.inputs.synth import GROUPS, PER_ELDERLY, synthesize_units

DIBAO_URBAN = 7_378_000 / 901_991_162  # MCA 2021 bulletin over the 2020 census urban residents
DIBAO_RURAL = 34_745_000 / 509_787_562
TEKUN_URBAN = 328_000 / 901_991_162
TEKUN_RURAL = 4_373_000 / 509_787_562


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
    assert set(henan["elderly_source"]) == {"census:41"}
    assert henan["elderly"].sum() / henan["population"].sum() == pytest.approx(0.1808, abs=1e-4)
    _, ganzhou = real("赣州市")
    assert ganzhou["population"].sum() == 8_970_014
    assert ganzhou["elderly"].sum() / ganzhou["population"].sum() == pytest.approx(0.1564, abs=1e-4)


def test_part_of_an_area_gets_its_mean_per_unit_and_keeps_the_synthetic_spread():
    drawn, county = real("360702")  # one county of Ganzhou
    assert county["population"].sum() == pytest.approx(8_970_014 / 293 * len(county), abs=1)
    ratio = county["population"] / drawn["population"]
    assert ratio.max() - ratio.min() < 1e-3 * ratio.mean() + 1 / drawn["population"].min()


def test_groups_without_a_published_count_keep_their_synthetic_rates():
    drawn, matched = real("延吉市", "county")
    for group in ("disabled", "children_in_distress"):
        assert group not in published_groups()
        before = drawn[group] / drawn["population"]
        after = matched[group] / matched["population"]
        assert np.allclose(before, after, atol=2 / matched["population"].min())
    assert (matched["elderly"] <= matched["population"]).all()
    for column in ("has_station", "workers_certified", "workers_uncertified", "remoteness"):
        assert matched[column].equals(drawn[column])


def test_the_recipient_table_holds_the_national_2021_counts_with_sources():
    table = recipients_table()
    assert list(table.columns) == ["code", "year", "group", "area", "persons", "source"]
    model_groups = {g for g in GROUPS if g not in PER_ELDERLY}
    assert set(table["group"]) <= model_groups | {"orphans"}
    assert set(table["area"]) <= {"urban", "rural", "all"}
    assert (table["persons"] > 0).all() and table["source"].str.len().gt(40).all()
    national = table[(table["code"] == "00") & (table["year"] == 2021)]
    counts = national.set_index(["group", "area"])["persons"]
    assert counts[("dibao", "urban")] == 7_378_000
    assert counts[("dibao", "rural")] == 34_745_000
    assert counts[("tekun", "urban")] == 328_000
    assert counts[("tekun", "rural")] == 4_373_000
    assert published_groups() == ["dibao", "tekun"]  # orphans are not the model's group
    assert sum(URBAN_RURAL_2020["00"]) == census_table().at["00", "population"]


def test_dibao_and_tekun_follow_the_published_rate_per_resident_split_urban_and_rural():
    """The country's count per resident overall; streets and other units in the published
    urban-to-rural ratio (streets are not all of the census's urban residents, so the rural
    rate on every town would overstate the total)."""
    drawn, ganzhou = real("赣州市")
    street = ganzhou["unit_kind"] == "street"
    people = ganzhou["population"].sum()
    for group, urban, rural, total in (
        ("dibao", DIBAO_URBAN, DIBAO_RURAL, 7_378_000 + 34_745_000),
        ("tekun", TEKUN_URBAN, TEKUN_RURAL, 328_000 + 4_373_000),
    ):
        assert ganzhou[group].sum() == round(total / 1_411_778_724 * people)
        rate_street = ganzhou.loc[street, group].sum() / ganzhou.loc[street, "population"].sum()
        rate_other = ganzhou.loc[~street, group].sum() / ganzhou.loc[~street, "population"].sum()
        # (whole persons in each unit: a street holds about ten 特困 persons)
        assert rate_street / rate_other == pytest.approx(urban / rural, rel=0.05)
    assert set(ganzhou.loc[street, "groups_source"]) == {"recipients:00:2021:urban (dibao, tekun)"}
    assert set(ganzhou.loc[~street, "groups_source"]) == {"recipients:00:2021:rural (dibao, tekun)"}
    # the synthetic spread across units stays: the scaling is one factor per figure set
    rural = ganzhou[~street & (drawn["dibao"] > 50)]
    ratio = rural["dibao"] / drawn.loc[rural.index, "dibao"]
    assert ratio.max() - ratio.min() < 2 / drawn.loc[rural.index, "dibao"].min()


@pytest.fixture
def jiangxi_dibao(monkeypatch):
    """The shipped counts plus a made-up `all` dibao count for Ganzhou (3607), for the tests."""
    table = pd.concat(
        [
            recipients_table(),
            pd.DataFrame(
                [["3607", 2022, "dibao", "all", 300_000, "test figure"]],
                columns=recipients_table().columns,
            ),
        ],
        ignore_index=True,
    )
    monkeypatch.setattr(census_module, "recipients_table", lambda: table)


def test_a_whole_area_with_an_all_count_adds_up_to_it_and_part_of_it_gets_its_rate(jiangxi_dibao):
    _, ganzhou = real("赣州市")
    assert ganzhou["dibao"].sum() == 300_000
    assert set(ganzhou["groups_source"]) == {
        "recipients:3607:2022:all (dibao); recipients:00:2021:urban (tekun)",
        "recipients:3607:2022:all (dibao); recipients:00:2021:rural (tekun)",
    }
    _, county = real("360702")  # one county of Ganzhou: Ganzhou's rate per resident
    assert county["dibao"].sum() == round(300_000 / 8_970_014 * county["population"].sum())
    _, yanji = real("延吉市", "county")  # elsewhere the national figures still hold
    assert "recipients:3607" not in " ".join(yanji["groups_source"])


def test_quzhou_and_yanbian_totals_set_jiangshan_and_yanbian():
    _, jiangshan = real("江山市", "county")
    assert set(jiangshan["population_source"]) == {"census:3308"}
    assert set(jiangshan["elderly_source"]) == {"census:33"}
    _, yanbian = real("延边朝鲜族自治州", "county")
    assert yanbian["population"].sum() == 1_941_700
    yanji = yanbian["township_id"].str.startswith("222401")
    assert yanbian.loc[yanji, "population"].sum() == 686_136
    assert set(yanbian.loc[~yanji, "population_source"]) == {"census:2224"}


@pytest.mark.slow
def test_the_whole_country_adds_up_to_the_31_provinces():
    _, china = real("全国", "province")
    assert len(china) == 38_642
    assert china["population"].sum() == 1_409_778_724
    # 低保 recipients add up to the published count per resident of the country (the 31
    # provinces hold all but the 2,000,000 active military of the census)
    assert china["dibao"].sum() == round((7_378_000 + 34_745_000) / 1_411_778_724 * 1_409_778_724)
    assert set(china["groups_source"]) == {
        "recipients:00:2021:urban (dibao, tekun)",
        "recipients:00:2021:rural (dibao, tekun)",
    }
