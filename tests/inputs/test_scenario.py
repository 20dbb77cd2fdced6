"""Scenario loading: shipped files, extends chains, null removal, --set overrides, resolved YAML."""

from __future__ import annotations

import pytest
import yaml
from conftest import SHIPPED, mini_scenario

from model import InputError, load_scenario, shipped_scenario
from model.vocabulary import GRADES


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenarios_load(path):
    sc = load_scenario(path)
    assert sc.name == path.stem
    assert len(sc.townships) > 0
    assert set(sc.groups) <= set(sc.townships.columns)
    assert set(sc.budget) == set(sc.years)  # every shipped scenario budgets every year
    for year_map in (sc.targets.coverage, sc.targets.certified_share):
        assert set(year_map) <= set(sc.years)


def test_shipped_flagship_matches_published_figures():
    sc = load_scenario("scenarios/ganzhou.yaml")
    t = sc.townships
    assert len(t) == 293 and t["county"].nunique() == 18  # the official 2023 codes of 3607
    assert int(t["has_station"].sum()) == 178  # 60% covered at mid-term
    assert t["population"].sum() == 8_970_014  # 7th census, 2020
    assert sc.targets.coverage[sc.years[-1]] == 1.0 and len(sc.years) == 3


def test_mini_case_types(case):
    sc = load_scenario(case.yaml)
    assert sc.budget == {2025: 100.0, 2026: 120.0} and isinstance(sc.budget[2025], float)
    assert sc.years == [2025, 2026]
    assert sc.groups["tekun"].priority == 3
    assert sc.groups["tekun"].case_rate == 0.05  # documented default
    assert sc.costs.salary.junior == 5.5 and sc.staffing.min_workers == 2
    assert list(sc.townships["name"]) == ["红旗镇", "新华街道", "安居街道"]
    assert sc.townships["wage_index"].tolist() == [1.0, 1.0, 1.0]  # optional column default
    assert GRADES == ("uncertified", "junior", "intermediate")


def test_extends_merges_key_by_key_and_null_removes(case):
    base = mini_scenario()
    base["costs"] = {"station_setup": 9.0, "salary": {"junior": 6.0, "intermediate": 7.0}}
    (case.folder / "parent.yaml").write_text(
        yaml.safe_dump(base, allow_unicode=True), encoding="utf-8"
    )
    child = {
        "name": "child",
        "extends": "parent.yaml",
        "costs": {"salary": {"junior": 6.5}},
        "groups": {"tekun": None},
    }
    case.write(child)
    sc = load_scenario(case.yaml)
    assert sc.name == "child"
    assert sc.costs.salary.junior == 6.5 and sc.costs.salary.intermediate == 7.0
    assert sc.costs.station_setup == 9.0
    assert list(sc.groups) == ["dibao"]
    assert sc.budget == {2025: 100.0, 2026: 120.0}


def test_extends_chain_resolves_paths_relative_to_the_naming_file(case):
    sub = case.folder / "variants" / "deep"
    sub.mkdir(parents=True)
    (sub / "a.yaml").write_text(
        "name: a\nextends: ../b.yaml\nbudget: {2026: 150}\n", encoding="utf-8"
    )
    (case.folder / "variants" / "b.yaml").write_text(
        "name: b\nextends: ../mini.yaml\n", encoding="utf-8"
    )
    sc = load_scenario(sub / "a.yaml")
    assert sc.name == "a" and sc.budget == {2025: 100.0, 2026: 150.0}
    assert len(sc.townships) == 3  # mini.csv found beside mini.yaml


def test_extends_cycle_is_reported(case):
    (case.folder / "a.yaml").write_text("name: a\nextends: b.yaml\n", encoding="utf-8")
    (case.folder / "b.yaml").write_text("name: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scenario(case.folder / "a.yaml")
    msg = err.value.message
    assert "extends cycle" in msg and "a.yaml" in msg and "b.yaml" in msg


def test_extends_missing_file(case):
    case.write("name: x\nextends: nothere.yaml\n")
    with pytest.raises(
        InputError, match=r"mini.yaml: extends: expected an existing scenario file.*nothere.yaml"
    ):
        load_scenario(case.yaml)


def test_overrides_coerce_types(case):
    sc = load_scenario(
        case.yaml,
        [
            "budget.2025=150",
            "staffing.min_workers=3",
            "costs.salary.junior=6",
            "objective=min_cost",
            "description=2030",
            "targets.coverage.2025=0.5",
        ],
    )
    assert sc.budget[2025] == 150.0 and isinstance(sc.budget[2025], float)
    assert sc.staffing.min_workers == 3 and isinstance(sc.staffing.min_workers, int)
    assert sc.costs.salary.junior == 6.0 and isinstance(sc.costs.salary.junior, float)
    assert sc.objective == "min_cost"
    assert sc.description == "2030"
    assert sc.targets.coverage == {2025: 0.5, 2026: 1.0}
    assert sc.overrides == (
        "budget.2025=150",
        "staffing.min_workers=3",
        "costs.salary.junior=6",
        "objective=min_cost",
        "description=2030",
        "targets.coverage.2025=0.5",
    )


def test_override_null_removes_a_group(case):
    sc = load_scenario(case.yaml, ["groups.tekun=null"])
    assert list(sc.groups) == ["dibao"]


@pytest.mark.parametrize(
    "overrides, needle",
    [
        (
            ["costs.salry.junior=6"],
            "--set costs.salry.junior=6: costs.salry: unknown key; did you mean 'salary'?",
        ),
        (
            ["budget.2025=-1"],
            "--set budget.2025=-1: budget.2025: expected a number ≥ 0 in 万元/year, got -1",
        ),
        (["budget"], "--set: budget: expected path.to.key=value"),
        (["staffing.min_workers=2", "staffing.min_workers=3"], "set twice to different values"),
        (["horizon.start.x=1"], "horizon.start holds a single value"),
        (
            ["staffing.max_workers=abc"],
            "staffing.max_workers: expected a whole number from 1 to 100 in workers, got 'abc'",
        ),
    ],
)
def test_override_errors(case, overrides, needle):
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml, overrides)
    assert needle in err.value.message


def test_same_override_twice_with_same_value_is_fine(case):
    assert load_scenario(case.yaml, ["budget.2025=7", "budget.2025=7"]).budget[2025] == 7.0


def test_duplicate_yaml_key_is_an_error(case):
    case.write("name: mini\nname: other\n")
    with pytest.raises(
        InputError, match=r"mini.yaml: line 2, column 1: not valid YAML: key 'name' is given twice"
    ):
        load_scenario(case.yaml)


def test_invalid_yaml_names_the_line(case):
    case.write("name: mini\nhorizon: {start: 2025, years: 2\n")
    with pytest.raises(InputError, match=r"mini.yaml: line \d+, column \d+: not valid YAML"):
        load_scenario(case.yaml)


def test_resolved_scenario_reloads_to_the_same_settings(case, tmp_path):
    sc = load_scenario(case.yaml, ["budget.2026=130"])
    out = tmp_path / "run"
    out.mkdir()
    (out / "scenario.resolved.yaml").write_text(sc.resolved_yaml(), encoding="utf-8")
    sc.townships.to_csv(out / "townships.csv", index=False)
    again = load_scenario(out / "scenario.resolved.yaml")
    a, b = sc.settings_dict(), again.settings_dict()
    a.pop("region"), b.pop("region")
    assert a == b
    assert again.townships.equals(sc.townships)


def test_synthetic_region(case):
    data = mini_scenario()
    data["region"] = {"synthetic": {"profile": "county", "townships": 6, "seed": 3}}
    case.write(data)
    sc = load_scenario(case.yaml)
    assert len(sc.townships) == 6
    assert sc.townships_source.startswith("synthetic: profile=county")
    assert sc.townships["has_station"].sum() == 0  # the county profile: no stations yet
    half = load_scenario(case.yaml, ["region.synthetic.coverage=0.5"])
    assert half.townships["has_station"].sum() == 3 and "coverage=0.5" in half.townships_source
    with pytest.raises(InputError, match="region.synthetic.coverage"):
        load_scenario(case.yaml, ["region.synthetic.coverage=1.5"])


# --------------------------------------------------------------------------- with_overrides


def test_with_overrides_equals_loading_with_set():
    import dataclasses

    path = shipped_scenario("ganzhou")
    sc = load_scenario(path)
    changes = ["budget.2025=300", "staffing.max_workers=4", "targets.coverage.2024=0.9"]
    varied = sc.with_overrides(changes)
    loaded = load_scenario(path, changes)
    for f in dataclasses.fields(loaded):
        if f.name not in ("townships", "travel"):
            assert getattr(varied, f.name) == getattr(loaded, f.name), f.name
    assert varied.townships.equals(loaded.townships)
    assert varied.travel is sc.travel and varied.travel.equals(loaded.travel)  # kept, not redrawn
    assert varied.overrides == tuple(changes)
    assert "staffing.max_workers=4" in varied.resolved_yaml()


def test_with_overrides_takes_python_values_and_records_them():
    sc = load_scenario(shipped_scenario("yanji"))
    varied = sc.with_overrides({"budget.2022": 123.456, "objective": "min_cost"})
    assert varied.budget[2022] == 123.456 and varied.objective == "min_cost"
    assert varied.overrides[-2:] == ("budget.2022=123.456", "objective=min_cost")
    assert sc.objective != "min_cost"  # the original is left as it was


@pytest.mark.parametrize(
    "change, field",
    [
        (["staffing.max_workers=-1"], "staffing.max_workers"),
        ({"staffing.min_workers": 99}, "staffing.min_workers"),
        (["budget.2031=5"], "budget.2031"),
        (["groups.dibao.case_rat=0.1"], "case_rat"),
    ],
)
def test_with_overrides_runs_every_check(change, field):
    sc = load_scenario(shipped_scenario("ganzhou"))
    with pytest.raises(InputError) as err:
        sc.with_overrides(change)
    assert field in err.value.message


def test_with_overrides_rereads_the_table_when_groups_change():
    sc = load_scenario(shipped_scenario("ganzhou"))
    group = next(iter(sc.groups))
    varied = sc.with_overrides([f"groups.{group}=null"])
    assert group not in varied.groups and varied.townships is not sc.townships


def test_with_overrides_takes_a_one_shot_iterator():
    sc = load_scenario(shipped_scenario("yanji"))
    varied = sc.with_overrides(text for text in ["staffing.max_workers=4"])
    assert varied.staffing.max_workers == 4 and varied.overrides[-1] == "staffing.max_workers=4"
