"""Real township-level units from the 2023 statistical division codes (model.inputs.divisions)."""

from __future__ import annotations

import importlib.util

import pytest
import yaml
from conftest import ROOT

from model import InputError, load_scenario
from model.inputs.divisions import division_table, select_divisions, unit_kind


def test_counts_are_those_of_the_2023_codes():
    units = select_divisions(["全国"])
    assert len(units) == 38_642
    assert len(select_divisions(["全国"], include_other=True)) == len(division_table())
    ganzhou = select_divisions(["赣州市"])
    assert len(ganzhou) == 293 and ganzhou["county"].nunique() == 18
    assert len(select_divisions(["河南省"])) == 2_467
    yanji = select_divisions(["延吉市"])
    assert yanji["unit_kind"].value_counts().to_dict() == {"street": 6, "town": 4}
    assert len(select_divisions(["江山市"])) == 19


def test_the_shipped_file_passes_the_builders_checks():
    spec = importlib.util.spec_from_file_location(
        "make_divisions", ROOT / "tools" / "make_divisions.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = (ROOT / "model" / "inputs" / "data" / "divisions.csv").read_text(encoding="utf-8")
    rows = [tuple(line.split(",", 1)) for line in text.splitlines()[1:]]
    assert rows == sorted(rows)
    tool.check(rows)  # raises SystemExit on a wrong count


@pytest.mark.parametrize(
    "code, kind",
    [
        ("360702001", "street"),
        ("360721100", "town"),
        ("360721200", "township"),
        ("360721399", "township"),
        ("360721400", "other"),
        ("411025499", "other"),
    ],
)
def test_unit_kind_from_the_last_three_digits(code, kind):
    assert unit_kind(code) == kind


def test_codes_names_and_lists_select_the_same_units():
    by_name = select_divisions(["赣州市"])
    by_code = select_divisions(["3607"])
    assert by_name.equals(by_code)
    both = select_divisions(["延吉市", "330881"])
    assert len(both) == 29 and set(both["county"]) == {"延吉市", "江山市"}
    assert list(both["township_id"]) == sorted(both["township_id"])
    row = select_divisions(["360702001"]).iloc[0]
    assert (row["name"], row["county"], row["prefecture"], row["province"]) == (
        "解放街道",
        "章贡区",
        "赣州市",
        "江西省",
    )


def test_a_shared_name_lists_its_places_and_a_misspelt_one_gets_a_suggestion():
    with pytest.raises(InputError) as err:
        select_divisions(["朝阳区"], source="s.yaml")
    assert "110105" in err.value.message and "220104" in err.value.message
    assert err.value.message.startswith("s.yaml: region.divisions")
    with pytest.raises(InputError, match="did you mean 赣州市"):
        select_divisions(["赣洲市"])


def scenario(tmp_path, region: dict):
    data = {
        "name": "real",
        "extends": str(ROOT / "scenarios" / "yanji.yaml"),
        "region": {"townships": None, "divisions": None, "synthetic": None, **region},
    }
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_scenario_on_real_units_has_their_codes_and_says_its_figures_are_synthetic(tmp_path):
    path = scenario(
        tmp_path, {"divisions": "延吉市", "synthetic": {"profile": "county", "seed": 3}}
    )
    sc = load_scenario(path)
    t = sc.townships
    assert list(t["township_id"]) == list(select_divisions(["222401"])["township_id"])
    assert set(t["kind"]) == {"urban", "rural"}
    assert (t.loc[t["unit_kind"] == "street", "kind"] == "urban").all()
    assert "figures synthetic" in sc.townships_source
    assert load_scenario(path).townships.equals(t)  # same seed, same table
    other = load_scenario(path, ["region.synthetic.seed=4"]).townships
    assert not other["population"].equals(t["population"])
    pilot = load_scenario(path, ["region.synthetic.coverage=0.7"]).townships
    assert pilot["has_station"].sum() == 7 and t["has_station"].sum() == 0  # county profile: 0


@pytest.mark.parametrize(
    "region, field",
    [
        ({"divisions": "延吉市"}, "region.synthetic"),
        (
            {"divisions": "延吉市", "synthetic": {"profile": "county", "townships": 5}},
            "region.synthetic.townships",
        ),
        ({"divisions": "延吉市", "townships": "x.csv"}, "region.townships"),
    ],
)
def test_real_units_need_synthetic_figures_and_nothing_else(tmp_path, region, field):
    with pytest.raises(InputError) as err:
        load_scenario(scenario(tmp_path, region))
    assert f": {field}:" in err.value.message


def test_a_plan_on_real_units_names_them_by_code(tmp_path):
    from model import optimize

    sc = load_scenario(
        scenario(tmp_path, {"divisions": "延吉市", "synthetic": {"profile": "county", "seed": 3}})
    )
    result = optimize(sc, estimate_gap=False)
    assert set(result.plan["township_id"]) == set(select_divisions(["延吉市"])["township_id"])
