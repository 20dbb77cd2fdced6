"""Input a hostile or careless user writes (issue 21): infinite and huge numbers, duplicate
headers, names unsafe for a folder, deep nesting and long `extends` chains, malformed GeoJSON.

Each ends in exit code 2 and one line naming the file, the field (row, cell, feature) and what
was expected: never an internal error (exit 1), a traceback or a silently wrong result.
"""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
import yaml
from conftest import MINI_HEADER, MINI_TABLE, ROOT, mini_scenario

from model.cli.commands import main
from model.inputs.files import EXTENDS_MAX, SCENARIO_BYTES_MAX, YAML_DEPTH_MAX
from model.inputs.scenario import UNCERTAIN_MAX


def refused(capsys, *argv: str) -> str:
    """The one line `stationplan validate … --lang en` prints, after checking it exits 2."""
    code = main(["validate", *argv, "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def with_value(path: tuple, value) -> dict:
    data = mini_scenario()
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return data


# ------------------------------------------------------------------ numbers in a scenario


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
@pytest.mark.parametrize(
    "path, expected",
    [
        (("budget", 2025), "a number ≥ 0 in 万元/year"),
        (("costs", "station_setup"), "a number ≥ 0 in 万元/station"),
        (("costs", "salary", "junior"), "a number ≥ 0"),
        (("station", "overhead_hours"), "a number ≥ 0 in hours/station-year"),
        (("workforce", "attrition"), "a number from 0 to 1"),
    ],
    ids=["budget", "station_setup", "salary", "overhead_hours", "attrition"],
)
def test_a_scenario_number_must_be_finite(case, capsys, path, expected, value):
    # .inf passed validation: a PulpError later, or overhead_hours .inf gave "Optimal" with no
    # station at all
    text = yaml.safe_dump(with_value(path, "PLACEHOLDER"), allow_unicode=True, sort_keys=False)
    case.write(text.replace("PLACEHOLDER", value))
    err = refused(capsys, str(case.yaml))
    field = ".".join(map(str, path))
    assert f"mini.yaml: {field}: expected {expected}" in err, err
    assert "a finite number" in err or "from 0 to 1" in err, err


def test_a_bad_key_given_with_set_is_blamed_on_set_not_the_file(case, capsys):
    # the year key's error named the scenario file, which had no such key
    case.write(mini_scenario())
    err = refused(capsys, str(case.yaml), "--set", "budget.20x5=100")
    assert err.startswith("error: --set budget.20x5=100: budget.20x5: expected a year"), err
    child = case.folder / "child.yaml"  # and a key in a file that extends another: that file
    child.write_text("extends: mini.yaml\nbudget:\n  20x5: 100\n", encoding="utf-8")
    err = refused(capsys, str(child))
    assert "child.yaml: budget.20x5: expected a year" in err and "mini.yaml" not in err, err


def test_a_huge_scenario_number_is_refused(case, capsys):
    case.write(with_value(("costs", "station_setup"), 1e300))
    err = refused(capsys, str(case.yaml))
    assert "costs.station_setup: expected a number ≥ 0 in 万元/station, got 1e+300" in err
    assert "at most 10^15 in size" in err


def test_a_huge_whole_number_is_refused_before_it_overflows(case, capsys):
    # 10^20 workers per station ended in "Python int too large to convert to C ssize_t"
    case.write(with_value(("staffing", "max_workers"), 10**20))
    err = refused(capsys, str(case.yaml))
    assert "staffing.max_workers: expected a whole number from 1 to 100 in workers" in err


def test_a_finite_set_value_is_checked_like_a_file_value(case, capsys):
    err = refused(capsys, str(case.yaml), "--set", "costs.station_setup=.inf")
    assert "--set costs.station_setup=.inf: costs.station_setup: expected a number ≥ 0" in err


# ------------------------------------------------------------------ township tables


def write_xlsx(path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "乡镇表"
    for row in rows:
        sheet.append(row)
    book.save(path)


def table_rows(text: str) -> list[list]:
    return [line.split(",") for line in text.strip().splitlines()]


@pytest.mark.parametrize(
    "old, new, where, expected",
    [
        (
            "40000",
            "inf",
            "row 3 (township T2), column population",
            "expected a whole number ≥ 0, got 'inf'",
        ),
        (
            "300,10,0",
            "-inf,10,0",
            "row 3 (township T2), column dibao",
            "expected a whole number ≥ 0, got '-inf'",
        ),
        (
            "40000",
            "1e20",
            "row 3 (township T2), column population",
            "expected a whole number from 0 to 100,000,000 (a township's population is at most "
            "that), got '1e20'",
        ),
        (
            "40000",
            "9223372036854775808",
            "row 3 (township T2), column population",
            "expected a whole number from 0 to 100,000,000",
        ),
        (
            "20000,4000,1200,150,1,1,1",
            "20000,4000,1200,150,1,1,99999",
            "row 2 (township T1), column workers_uncertified",
            "expected a whole number from 0 to 10,000 (a township's workers is at most that)",
        ),
    ],
    ids=["inf", "minus-inf", "1e20", "2^63", "workers"],
)
def test_a_township_count_is_a_whole_number_in_range(case, capsys, old, new, where, expected):
    case.table(MINI_TABLE.replace(old, new, 1))
    err = refused(capsys, str(case.yaml))
    assert f"mini.csv: {where}: {expected}" in err, err


def test_care_beds_beyond_the_limit_are_refused_not_read_as_negative(case, capsys):
    # care_beds 1e20 was read silently as -9223372036854775808
    lines = MINI_TABLE.strip().splitlines()
    lines[0] += ",care_beds"
    lines[1:] = [line + ",100" for line in lines[1:]]
    lines[2] = lines[2][: -len("100")] + "1e20"
    case.table("\n".join(lines) + "\n")
    err = refused(capsys, str(case.yaml))
    assert (
        "row 3 (township T2), column care_beds: expected a whole number from 0 to 1,000,000" in err
    )


def test_a_township_count_in_a_workbook_names_the_cell(case, capsys):
    rows = table_rows(MINI_TABLE)
    rows[2][4] = "1e20"  # T2's population
    write_xlsx(case.folder / "t.xlsx", rows)
    case.write(mini_scenario() | {"region": {"townships": "t.xlsx"}})
    err = refused(capsys, str(case.yaml))
    assert (
        "t.xlsx, sheet 乡镇表: cell E3 (township T2, column population): expected a whole " in err
    )
    assert "from 0 to 100,000,000" in err


def test_a_column_given_twice_is_refused_in_a_csv(case, capsys):
    # pandas renamed the second dibao.1, so the loader's own check never fired
    case.table(MINI_TABLE.replace(",tekun,", ",dibao,", 1))
    err = refused(capsys, str(case.yaml))
    assert "mini.csv: column 'dibao': column appears twice in the header" in err


def test_a_column_given_twice_is_refused_in_a_workbook(case, capsys):
    rows = table_rows(MINI_TABLE)
    rows[0][5] = "population"  # elderly's header made a second population
    write_xlsx(case.folder / "t.xlsx", rows)
    case.write(mini_scenario() | {"region": {"townships": "t.xlsx"}})
    err = refused(capsys, str(case.yaml))
    assert "t.xlsx, sheet 乡镇表: column 'population': column appears twice in the header" in err


def test_empty_headers_are_still_distinct_extra_columns(case):
    from model import load_scenario

    lines = MINI_TABLE.strip().splitlines()
    case.table("\n".join(line + ",," for line in lines) + "\n")  # Excel's trailing commas
    sc = load_scenario(case.yaml)
    assert list(sc.townships["population"]) == [20000, 40000, 15000]
    assert {"Unnamed: 11", "Unnamed: 12"} <= set(sc.townships.columns)


def test_rows_longer_than_the_header_are_refused_not_shifted(case, capsys):
    # every row one field longer than the header: pandas took the first column as an index
    lines = MINI_TABLE.strip().splitlines()
    case.table("\n".join([lines[0]] + [line + ",x" for line in lines[1:]]) + "\n")
    err = refused(capsys, str(case.yaml))
    assert "mini.csv: broken CSV: expected 11 fields (as in the header) in line 2, saw 12" in err
    assert MINI_HEADER.count(",") == 10


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(
    "name, shown",
    [("nl\n", "got 'nl\\n'"), ("a" * 300, "got 300 characters"), ("a" * 65, "65 characters")],
    ids=["trailing-newline", "300-characters", "65-characters"],
)
def test_a_scenario_name_must_be_safe_for_a_folder(case, capsys, name, shown):
    case.write(with_value(("name",), name))
    err = refused(capsys, str(case.yaml))
    assert "mini.yaml: name: expected a name of letters, digits, _ . - of at most 64 " in err
    assert shown in err, err


def test_a_name_of_64_chinese_characters_is_accepted(case, capsys):
    case.write(with_value(("name",), "赣" * 64))
    assert main(["validate", str(case.yaml)]) == 0, capsys.readouterr().err


# ------------------------------------------------------------------ depth


def write_chain(folder, n: int) -> object:
    """c0.yaml extends c1.yaml … extends c{n-1}.yaml, the last the mini scenario."""
    (folder / f"c{n - 1}.yaml").write_text(
        yaml.safe_dump(mini_scenario(), allow_unicode=True), encoding="utf-8"
    )
    for k in range(n - 1):
        (folder / f"c{k}.yaml").write_text(f"extends: c{k + 1}.yaml\n", encoding="utf-8")
    return folder / "c0.yaml"


def test_an_extends_chain_of_1500_files_is_refused(case, capsys):
    first = write_chain(case.folder, 1500)
    err = refused(capsys, str(first))
    assert f"c{EXTENDS_MAX - 1}.yaml: extends: the extends chain from " in err
    assert f"c0.yaml is longer than {EXTENDS_MAX} files" in err


def uncertain(n: int) -> dict:
    """`n` uncertainty entries, each a path to a number of the scenario in form only (the
    groups' case rates under names of their own)."""
    return {f"groups.dibao.case_rate{k}": {"low": 0.02, "high": 0.1} for k in range(n)}


def test_a_scenario_file_of_600000_uncertainty_keys_is_refused_unparsed(case, capsys):
    # 600,000 uncertainty keys validated after 451 s at 4.6 GB; a scenario holds settings
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    lines = "".join(
        f"  groups.dibao.case_rate{k}: {{low: 0.02, high: 0.1}}\n" for k in range(600_000)
    )
    case.write(text + "uncertainty:\n" + lines)
    assert case.yaml.stat().st_size > SCENARIO_BYTES_MAX
    err = refused(capsys, str(case.yaml))
    assert "mini.yaml: expected a scenario file of at most 1 MB: settings only" in err, err


def test_more_uncertain_parameters_than_the_limit_are_refused(case, capsys):
    data = mini_scenario()
    data["uncertainty"] = uncertain(UNCERTAIN_MAX + 1)
    case.write(data)
    err = refused(capsys, str(case.yaml))
    assert f"uncertainty: expected at most {UNCERTAIN_MAX} uncertain parameters" in err, err
    assert f"got {UNCERTAIN_MAX + 1} parameters" in err, err


def test_an_extends_chain_at_the_limit_loads(case, capsys):
    first = write_chain(case.folder, EXTENDS_MAX)
    assert main(["validate", str(first)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")], ids=["lists", "maps"])
def test_yaml_nested_5000_deep_is_refused(case, capsys, opening, closing):
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    case.write(text + "description: " + opening * 5000 + "1" + closing * 5000 + "\n")
    err = refused(capsys, str(case.yaml))
    line = text.count("\n") + 1
    assert f"mini.yaml: line {line}, column " in err
    assert f"nested more than {YAML_DEPTH_MAX} levels deep" in err


def test_aliases_cannot_nest_deeper_than_the_limit(case, capsys):
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    levels = "a0: &a0 [1]\n" + "".join(
        f"a{k}: &a{k} [[[[[[[[*a{k - 1}]]]]]]]]\n" for k in range(1, 9)
    )
    case.write(text + levels)
    err = refused(capsys, str(case.yaml))
    assert f"mini.yaml: nested more than {YAML_DEPTH_MAX} levels deep" in err


def test_aliases_cannot_stand_for_a_billion_values(case, capsys):
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    bomb = "b0: &b0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"b{k}: &b{k} [{', '.join([f'*b{k - 1}'] * 10)}]\n" for k in range(1, 9)
    )
    case.write(text + bomb + "description: *b8\n")
    err = refused(capsys, str(case.yaml))
    assert (
        "mini.yaml: holds more than 1,000,000 values once its aliases (*name) are expanded" in err
    )


def test_a_list_that_contains_itself_is_refused(case, capsys):
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    case.write(text + "description: &me [1, *me]\n")
    err = refused(capsys, str(case.yaml))
    assert "mini.yaml: a list contains itself through an alias (*name)" in err


def test_a_deep_set_value_is_taken_as_text(case, capsys):
    err = refused(capsys, str(case.yaml), "--set", "budget=" + "[" * 5000 + "]" * 5000)
    assert "budget: expected a mapping of year to values, got '[[[" in err


def test_deep_yaml_in_a_real_process_exits_2(case):
    # the command line's own stack, not pytest's
    text = yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)
    case.write(text + "description: " + "[" * 5000 + "]" * 5000 + "\n")
    res = subprocess.run(
        [sys.executable, "-m", "model", "validate", str(case.yaml), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and res.stderr.strip().count("\n") == 0
    assert f"nested more than {YAML_DEPTH_MAX} levels deep" in res.stderr


# ------------------------------------------------------------------ GeoJSON


def square(k: int, tid: object, coordinates: object = None) -> dict:
    ring = [[k, 0], [k + 1, 0], [k + 1, 1], [k, 1], [k, 0]]
    return {
        "type": "Feature",
        "properties": {"code": tid},
        "geometry": {"type": "Polygon", "coordinates": coordinates or [ring]},
    }


def collection(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


GEOJSON_CASES = [
    (
        "coordinate-1e308",
        collection(square(0, "T1"), square(1, "T2", [[[1e308, 0], [1, 0], [1, 1], [0, 0]]])),
        "(feature 2): expected positions [x, y] of finite numbers of at most 10^9 in size",
        "got [1e+308, 0]",
    ),
    (
        "coordinate-nan",
        collection(square(0, "T1"), square(1, "T2")).replace("[2, 0]", "[NaN, 0]", 1),
        "(feature 2): expected positions [x, y] of finite numbers",
        "got [NaN, 0]",
    ),
    (
        "coordinate-text",
        collection(square(0, "T1", [[["0", 0], [1, 0], [1, 1], [0, 0]]])),
        "(feature 1): expected positions [x, y] of finite numbers",
        'got ["0", 0]',
    ),
    (
        "features-numbers",
        json.dumps({"type": "FeatureCollection", "features": [1, 2, 3]}),
        "(feature 1): expected a Feature: a mapping with properties and geometry",
        "got 1",
    ),
    (
        "properties-text",
        collection(square(0, "T1"), {**square(1, "T2"), "properties": "T2"}),
        "(feature 2): expected properties as a mapping of names to values",
        "got 'T2'",
    ),
    (
        "geometry-list",
        collection(square(0, "T1"), {**square(1, "T2"), "geometry": [1, 2]}),
        "(feature 2): expected a Polygon or MultiPolygon geometry",
        "got a list",
    ),
    (
        "multipolygon-mapping",
        collection(
            square(0, "T1"),
            {**square(1, "T2"), "geometry": {"type": "MultiPolygon", "coordinates": {"a": 1}}},
        ),
        "(feature 2): expected MultiPolygon coordinates: a list of polygons",
        'got {"a": 1}',
    ),
    (
        "ring-of-two",
        collection(square(0, "T1", [[[0, 0], [1, 1]]])),
        "(feature 1): expected polygon rings of at least three [x, y] positions",
        "got [[[0, 0], [1, 1]]]",
    ),
    (
        "id-a-list",
        collection(square(0, ["T1"])),
        "(feature 1), property code: expected the township id as text or a whole number",
        "got a list",
    ),
    (
        "nested-200000-deep",
        '{"type": "FeatureCollection", "features": [' + "[" * 200_000 + "]" * 200_000 + "]}",
        "b.geojson: report.boundaries: nested too deeply to be GeoJSON",
        "",
    ),
]


@pytest.mark.parametrize(
    "text, where, got", [c[1:] for c in GEOJSON_CASES], ids=[c[0] for c in GEOJSON_CASES]
)
def test_malformed_geojson_names_the_feature(case, capsys, text, where, got):
    (case.folder / "b.geojson").write_text(text, encoding="utf-8")
    case.write(mini_scenario() | {"report": {"boundaries": "b.geojson", "boundary_id": "code"}})
    err = refused(capsys, str(case.yaml))
    assert "b.geojson: report.boundaries" in err and where in err and got in err, err


def test_a_geojson_too_large_to_hold_is_refused_unread(case, capsys):
    from model.inputs.boundaries import GEOJSON_BYTES_MAX

    with open(case.folder / "b.geojson", "wb") as big:  # sparse: no disk used, nothing to read
        big.truncate(GEOJSON_BYTES_MAX + 1)
    case.write(mini_scenario() | {"report": {"boundaries": "b.geojson", "boundary_id": "code"}})
    err = refused(capsys, str(case.yaml))
    assert "b.geojson: report.boundaries: expected a GeoJSON file of at most 200 MB" in err, err
    assert "got 200 MB" in err, err


def test_well_formed_geojson_still_loads(tmp_path):
    from model.inputs.boundaries import read_boundaries

    path = tmp_path / "b.geojson"
    multi = {
        "type": "Feature",
        "properties": {"code": 360703208.0},
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [[[[0, 0, 5], [1, 0, 5], [1, 1, 5]]], [[[2, 2], [3, 2], [3, 3]]]],
        },
    }
    path.write_text(collection(square(0, "T1"), multi), encoding="utf-8")
    shapes = read_boundaries(path, "code")
    assert sorted(shapes) == ["360703208", "T1"]
    assert [ring.shape for ring in shapes["360703208"]] == [(3, 2), (3, 2)]
