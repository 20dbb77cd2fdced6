"""What the fuzz suite found (tests/fuzz, issue 21), each a named case: an internal error (exit 1)
or a message broken over lines before, now exit 2 with one line naming the file and the place,
or read as the user meant it.
"""

from __future__ import annotations

import json

import openpyxl
import yaml
from conftest import MINI_TABLE, Outcome, mini_scenario, obeys_exit_contract, stationplan

from model import load_scenario


def validate(case, *extra: str) -> Outcome:
    return stationplan("validate", str(case.yaml), "--lang", "en", *extra)


def refused(run: Outcome, *parts: str) -> None:
    obeys_exit_contract(run, "mini.yaml", "mini.csv", "--set", "b.geojson", "t.xlsx")
    assert run.code == 2, run.out
    for part in parts:
        assert part in run.err, run.err


def mini_text() -> str:
    return yaml.safe_dump(mini_scenario(), allow_unicode=True, sort_keys=False)


# ------------------------------------------------------------------ numbers


def test_a_whole_number_beyond_any_float_is_refused(case):
    # 10^400 in a field: OverflowError (int too large to convert to float)
    case.write(mini_text().replace("priority: 3", "priority: 1" + "0" * 400))
    refused(validate(case), "groups.tekun.priority: expected a whole number from 1 to 9, got 1000")
    case.write(mini_text().replace("case_rate: 0.05", "case_rate: 1" + "0" * 400))
    refused(validate(case), "groups.dibao.case_rate: expected a number from 0 to 10")
    case.write(mini_text() + "simulation: {seed: 1" + "0" * 400 + "}\n")
    refused(validate(case), "simulation.seed: expected a whole number ≥ 0", "at most 10^15")


def test_a_number_of_more_digits_than_python_reads_is_refused(case):
    # 5,000 digits: ValueError (Exceeds the limit (4300 digits) for integer string conversion)
    case.write(mini_text().replace("priority: 3", "priority: " + "9" * 5000))
    refused(validate(case), "mini.yaml: line 16, column 15: not valid YAML: a whole number of ")
    case.write(mini_scenario())
    refused(validate(case, "--set", "budget.2025=" + "9" * 5000), "budget.2025: expected a number")
    refused(validate(case, "--set", "budget." + "9" * 5000 + "=1"), "expected a year such as 2025")


def test_a_key_of_other_digits_is_not_a_year(case):
    # ² passed str.isdigit but not int(): ValueError; ١٢ was read silently as the year 12
    case.write(mini_text().replace("2026: 120", "2026: 120\n  '²': 5"))
    refused(validate(case), "budget.²: expected a year such as 2025 as the key, got '²'")
    case.write(mini_scenario())
    refused(validate(case, "--set", "budget.²=5"), "expected a year such as 2025 as the key")
    refused(validate(case, "--set", "budget.١٢=5"), "got '١٢'")


# ------------------------------------------------------------------ YAML


def test_a_list_as_a_key_is_refused(case):
    # TypeError: unhashable type: 'list'
    case.write(mini_text().replace("2025: 100", "2025: 100\n  ? [1]\n  : 3"))
    refused(validate(case), "mini.yaml: line 9, column 5: not valid YAML: found unhashable key")
    run = stationplan("validate", str(case.yaml), "--lang", "zh")
    assert "不是有效的 YAML：键不能是列表或映射" in run.err, run.err


def test_a_merge_key_merges(case):
    # `<<: *base` was refused: could not determine a constructor for the tag merge
    case.write(mini_text() + "costs: {<<: {station_setup: 7.5}, station_running: 3}\n")
    sc = load_scenario(case.yaml)
    assert (sc.costs.station_setup, sc.costs.station_running) == (7.5, 3.0)
    case.write(mini_text() + "costs: {<<: {station_setup: 7.5}, station_setup: 8}\n")
    assert load_scenario(case.yaml).costs.station_setup == 8.0  # a key written wins
    case.write(mini_text() + "costs: {station_setup: 7.5, station_setup: 8}\n")
    refused(validate(case), "key 'station_setup' is given twice in one mapping")


def test_a_control_character_in_yaml_is_named_on_one_line(case):
    # the parser's message spanned two lines ('... not allowed\n  in "<unicode string>", ...')
    case.yaml.write_text(mini_text() + "description: a\x00b\n", encoding="utf-8")
    line = mini_text().count("\n") + 1
    refused(
        validate(case),
        f"mini.yaml: line {line}, column 15: not valid YAML: the character U+0000 cannot be in",
    )


def test_text_the_user_wrote_stays_on_one_line(case):
    # a --set path with a line break printed the message over two lines
    refused(validate(case, "--set", "\n=1"), r"--set: \n=1: expected path.to.key=value")
    case.write(mini_scenario() | {"extends": "a\nb\x1b[31m.yaml"})
    refused(validate(case), r"got 'a\nb\x1b[31m.yaml'")


# ------------------------------------------------------------------ paths


def test_a_path_the_system_refuses_is_not_found(case):
    # a 5,000-character name: OSError (File name too long); a NUL byte: ValueError
    long = "a" * 5000 + ".yaml"
    case.write(mini_scenario() | {"extends": long})
    refused(validate(case), "mini.yaml: extends: expected an existing scenario file")
    case.write(mini_scenario() | {"region": {"townships": "a" * 5000 + ".csv"}})
    refused(validate(case), "mini.yaml: region.townships: expected an existing township table")
    case.write(mini_scenario() | {"region": {"townships": "a\x00b.csv"}})
    refused(validate(case), "region.townships: expected an existing township table")
    case.write(mini_scenario() | {"report": {"boundaries": "a\x00b.geojson"}})
    refused(validate(case), r"mini.yaml: report.boundaries: expected an existing GeoJSON file")
    assert "\x00" not in validate(case).err
    run = stationplan("validate", long, "--lang", "en")
    obeys_exit_contract(run, long)
    assert run.code == 2 and run.err.endswith(".yaml: scenario file not found\n"), run.err


def test_a_device_is_not_a_boundary_file(case):
    # /dev/zero exists: it was read without end, until the memory ran out
    case.write(mini_scenario() | {"report": {"boundaries": "/dev/zero"}})
    refused(validate(case), "mini.yaml: report.boundaries: expected an existing GeoJSON file")


def test_a_missing_boundary_file_is_named_where_it_was_set(case):
    # the message named the missing file as its source: "error: 0: report.boundaries: ..."
    refused(
        validate(case, "--set", "report.boundaries=0"),
        "error: --set report.boundaries=0: report.boundaries: expected an existing GeoJSON file",
    )


# ------------------------------------------------------------------ township tables


def test_a_formula_error_in_a_workbook_is_named_by_its_cell(case):
    # pandas reads #DIV/0! as missing: an internal error (TypeError: 'strip' of a float) with
    # pandas 3, and with pandas 2 the text 'nan' (a township id 'nan', silently)
    for value, cell in (("#DIV/0!", "E3"), ("#N/A", "A2")):
        rows = [line.split(",") for line in MINI_TABLE.strip().splitlines()]
        row, col = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
        rows[row][col] = value  # openpyxl writes a text of an error's form as that error
        book = openpyxl.Workbook()
        for line in rows:
            book.active.append(line)
        book.save(case.folder / "t.xlsx")
        case.write(mini_scenario() | {"region": {"townships": "t.xlsx"}})
        refused(
            validate(case),
            f"t.xlsx, sheet Sheet: cell {cell}: expected a value, got a formula's error (#DIV/0!",
        )
    run = stationplan("validate", str(case.yaml), "--lang", "zh")
    assert "t.xlsx，工作表 Sheet：单元格 A2：应为一个值，实际为公式错误" in run.err, run.err


# ------------------------------------------------------------------ GeoJSON


def boundaries(case, text: str) -> Outcome:
    (case.folder / "b.geojson").write_text(text, encoding="utf-8")
    case.write(mini_scenario() | {"report": {"boundaries": "b.geojson"}})
    return validate(case)


def test_a_geojson_number_of_more_digits_than_python_reads_is_refused(case):
    # ValueError: Exceeds the limit (4300 digits) for integer string conversion
    text = '{"type": "FeatureCollection", "features": [' + "1" * 5000 + "]}"
    refused(boundaries(case, text), "b.geojson: report.boundaries: not JSON: Exceeds the limit")


def test_a_geojson_coordinate_beyond_any_float_is_refused(case):
    # OverflowError: int too large to convert to float
    ring = [[10**400, 0], [1, 0], [1, 1]]
    feature = {
        "type": "Feature",
        "properties": {"township_id": "T1"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    refused(boundaries(case, text), "(feature 1): expected positions [x, y] of finite numbers")
    assert MINI_TABLE.startswith("township_id")
