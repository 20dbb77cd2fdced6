"""The shipped scenarios plan real township-level units by their official codes.

Ganzhou, Yanji, Henan, Jiangshan and Qingdao name their region by division code; the units come
from the 2023 statistical division codes (model/inputs/divisions.py). Guizhou's relocation
streets cannot be picked out of the codes and stay a synthetic region generated at load time.
"""

from __future__ import annotations

import pytest
from conftest import SCENARIOS, SHIPPED

from model import load_scenario
from model.inputs.divisions import select_divisions

REAL = {
    # scenario: (division code, units, counties, province, a unit with its county)
    "ganzhou": ("3607", 293, 18, "江西省", ("360702001", "解放街道", "章贡区")),
    "yanji": ("222401", 10, 1, "吉林省", ("222401100", "小营镇", "延吉市")),
    "henan_2025": ("41", 2467, 178, "河南省", ("410102001", "林山寨街道", "中原区")),
    "jiangshan": ("330881", 19, 1, "浙江省", ("330881112", "廿八都镇", "江山市")),
    "qingdao": ("3702", 134, 10, "山东省", ("370202001", "香港中路街道", "市南区")),
    "national": ("", 38642, 2952, "", ("110101001", "东华门街道", "东城区")),
}
"""The national scenario: every code, 31 provinces ("" for its code and province)."""


@pytest.fixture(scope="module", params=sorted(REAL))
def shipped(request):
    return request.param, load_scenario(SCENARIOS / f"{request.param}.yaml")


def test_every_shipped_scenario_but_guizhou_is_on_real_units():
    assert {p.stem for p in SHIPPED} == set(REAL) | {"guizhou_relocation"}
    guizhou = load_scenario(SCENARIOS / "guizhou_relocation.yaml")
    assert guizhou.townships_source.startswith("synthetic: profile=relocation")
    assert len(guizhou.townships) == 64 and guizhou.townships["county"].nunique() == 40
    assert guizhou.townships["has_station"].sum() == round(0.3 * 64)


def test_real_units_carry_official_codes_names_and_counties(shipped):
    name, sc = shipped
    code, units, counties, province, (unit, unit_name, county) = REAL[name]
    t = sc.townships
    assert len(t) == units and t["county"].nunique() == counties
    ids = t["township_id"].astype(str)
    assert ids.str.fullmatch(r"\d{9}").all() and ids.str.startswith(code).all()
    assert list(ids) == list(select_divisions([code or "全国"])["township_id"])
    assert (t["name"].str.len() > 0).all() and (t["county"].str.len() > 0).all()
    assert set(t["province"]) == ({province} if province else set(t["province"]))
    assert t["province"].nunique() == (1 if province else 31)
    row = t.set_index("township_id").loc[unit]
    assert (row["name"], row["county"]) == (unit_name, county)
    assert sc.townships_source.startswith(f"divisions: {code or '全国'} ")
    assert "figures synthetic" in sc.townships_source


def test_stations_at_the_start(shipped):
    name, sc = shipped
    # Ganzhou: the 178 stations published at mid-term; Yanji and Jiangshan: none before their
    # pilots; Henan: 60% (assumed); Qingdao: 122 in August 2022 less 47 opened that year.
    # Which units have them is drawn (synthetic).
    start = {
        "ganzhou": 178,
        "yanji": 0,
        "henan_2025": round(0.6 * 2467),
        "jiangshan": 0,
        "qingdao": 122 - 47,
        "national": round(0.78 * 38642),  # about 78% in January 2023 (published)
    }
    assert sc.townships["has_station"].sum() == start[name]


def test_units_below_the_census_say_so(shipped):
    name, sc = shipped
    t = sc.townships
    assert t["population_source"].str.startswith(("census:", "synthetic")).all()
    totals = {
        "ganzhou": 8_970_014,
        "yanji": 686_136,
        "henan_2025": 99_365_519,
        "national": 1_411_778_724 - 2_000_000,  # the 31 provinces: the census less the military
    }
    if name in totals:  # a published total: the units add up to it
        assert t["population"].sum() == totals[name]


def test_the_national_scenario_is_what_its_tool_writes():
    """scenarios/national.yaml is generated (tools/make_national.py): every province with its
    budget, the provinces' sum the country's."""
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "make_national", ROOT / "tools" / "make_national.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main(["--check"]) == 0
    sc = load_scenario(SCENARIOS / "national.yaml")
    assert len(sc.provinces) == 31
    for year in sc.years:
        assert sc.budget[year] == sum(p.budget[year] for p in sc.provinces.values())
