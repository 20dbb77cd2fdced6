"""Every bad input ends in one clear message naming the file, the field and what was expected."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT, mini_scenario

from model import InputError, load_scenario
from model.cli.commands import main


def mutate(path: tuple, value):
    def apply(data: dict) -> dict:
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        return data

    return apply


CASES = [
    # (id, mutation of the mini scenario, substrings the message must hold)
    (
        "unknown-key",
        mutate(("budjet",), {2025: 1}),
        ["mini.yaml: budjet: unknown key; did you mean 'budget'?"],
    ),
    (
        "unknown-nested-key",
        mutate(("costs", "salry"), {"junior": 6}),
        ["mini.yaml: costs.salry: unknown key; did you mean 'salary'?"],
    ),
    (
        "unknown-key-no-suggestion",
        mutate(("staffing", "zzz"), 1),
        ["staffing.zzz: unknown key; expected one of min_workers, min_certified, max_workers"],
    ),
    (
        "wrong-type-text",
        mutate(("costs", "station_setup"), "six"),
        ["mini.yaml: costs.station_setup: expected a number ≥ 0 in 万元/station, got 'six'"],
    ),
    (
        "wrong-type-bool",
        mutate(("budget", 2025), True),
        ["budget.2025: expected a number", "true/false"],
    ),
    (
        "wrong-type-section",
        mutate(("horizon",), 2025),
        ["horizon: expected a mapping of settings, got 2025"],
    ),
    (
        "not-whole",
        mutate(("staffing", "max_workers"), 2.5),
        ["staffing.max_workers: expected a whole number"],
    ),
    (
        "negative-money",
        mutate(("budget", 2025), -100),
        ["mini.yaml: budget.2025: expected a number ≥ 0 in 万元/year, got -100"],
    ),
    (
        "negative-salary",
        mutate(("costs", "salary", "junior"), -1),
        ["costs.salary.junior: expected a number ≥ 0"],
    ),
    (
        "negative-count",
        mutate(("workforce", "hiring_pool_per_county"), -3),
        ["workforce.hiring_pool_per_county: expected a whole number ≥ 0"],
    ),
    (
        "share-above-1",
        mutate(("targets", "coverage", 2026), 1.5),
        ["mini.yaml: targets.coverage.2026: expected a number from 0 to 1 in share, got 1.5"],
    ),
    (
        "share-below-0",
        mutate(("workforce", "attrition"), -0.1),
        ["workforce.attrition: expected a number from 0 to 1"],
    ),
    (
        "zero-wait",
        mutate(("simulation", "standards", "visit_days"), 0),
        ["simulation.standards.visit_days: expected a number above 0"],
    ),
    (
        "min-above-max",
        lambda d: mutate(("staffing",), {"min_workers": 5, "max_workers": 3})(d),
        ["mini.yaml: staffing.min_workers: expected at most staffing.max_workers (3), got 5"],
    ),
    (
        "min-certified-above-max",
        mutate(("staffing",), {"min_certified": 9}),
        ["staffing.min_certified: expected at most staffing.max_workers (8), got 9"],
    ),
    (
        "target-year-outside",
        mutate(("targets", "coverage", 2030), 1.0),
        ["mini.yaml: targets.coverage.2030: expected a year of the horizon 2025–2026, got 2030"],
    ),
    (
        "budget-year-outside",
        mutate(("budget", 2024), 50),
        ["budget.2024: expected a year of the horizon 2025–2026"],
    ),
    ("budget-year-missing", mutate(("budget",), {2025: 100}), ["budget: no budget for 2026"]),
    (
        "target-year-not-a-year",
        mutate(("targets", "certified_share"), {"soon": 0.4}),
        ["targets.certified_share.soon: expected a year such as 2025 as the key"],
    ),
    (
        "target-unknown-group",
        mutate(("targets", "served_share"), {"dibaoo": {2026: 0.5}}),
        ["targets.served_share.dibaoo: names no recipient group", "did you mean 'dibao'?"],
    ),
    (
        "service-level-unknown-group",
        mutate(("targets", "service_level_by_group"), {"tekunn": {2026: 0.9}}),
        [
            "targets.service_level_by_group.tekunn: names no recipient group",
            "did you mean 'tekun'?",
        ],
    ),
    (
        "service-level-group-year-outside",
        mutate(("targets", "service_level_by_group"), {"tekun": {2030: 0.9}}),
        ["targets.service_level_by_group.tekun.2030: expected a year of the horizon"],
    ),
    (
        "target-unknown-grade",
        mutate(("targets", "workers_by_grade"), {"senior": {2026: 3}}),
        [
            "targets.workers_by_grade.senior: expected a key that is one of "
            "uncertified, junior, intermediate"
        ],
    ),
    (
        "unknown-objective",
        mutate(("objective",), "max_servce"),
        [
            "objective: expected one of 'max_service', 'max_on_time', 'min_cost', got 'max_servce'",
            "did you mean 'max_service'?",
        ],
    ),
    (
        "unknown-solver",
        mutate(("solver", "name"), "gurobi"),
        ["solver.name: expected one of 'highs', 'cbc'"],
    ),
    (
        "missing-required",
        lambda d: {k: v for k, v in d.items() if k != "horizon"},
        ["mini.yaml: horizon: expected a mapping of settings (required, and missing)"],
    ),
    (
        "two-regions",
        mutate(("region", "synthetic"), {"profile": "county"}),
        ["region: give exactly one of"],
    ),
    ("no-region", mutate(("region",), {}), ["region: give exactly one of"]),
    (
        "bad-profile",
        mutate(("region",), {"synthetic": {"profile": "city"}}),
        [
            "region.synthetic.profile: expected one of "
            "'county', 'prefecture', 'province', 'relocation'"
        ],
    ),
    (
        "missing-table",
        mutate(("region", "townships"), "nope.csv"),
        [
            "mini.yaml: region.townships: expected an existing township table (CSV or XLSX), got",
            "nope.csv",
        ],
    ),
    ("bad-name", mutate(("name",), "a/b"), ["name: expected a name of letters, digits"]),
    (
        "bad-group-name",
        mutate(("groups", "low income"), {}),
        ["groups.low income: expected a name of letters"],
    ),
    (
        "no-care-beds",
        mutate(("targets", "workers_per_100_care_beds"), {2026: 1.0}),
        ["targets.workers_per_100_care_beds: the township table has no care_beds"],
    ),
]


@pytest.mark.parametrize("mutation, needles", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_scenario_values(case, mutation, needles):
    case.write(mutation(mini_scenario()))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    msg = err.value.message
    assert "\n" not in msg
    for needle in needles:
        assert needle in msg, msg


TABLE_CASES = [
    (
        "duplicate-id",
        lambda t: t.replace("T3,", "T1,"),
        ["mini.csv: row 4, column township_id: duplicate township id 'T1' (first used in row 2)"],
    ),
    (
        "missing-group-column",
        lambda t: (
            t.replace(",tekun", "").replace(",150,", ",").replace(",10,", ",").replace(",80,", ",")
        ),
        ["mini.csv: missing group column(s) 'tekun'", "groups: {name: null}"],
    ),
    (
        "missing-required-column",
        lambda t: (
            t.replace(",elderly", "")
            .replace(",4000", "")
            .replace(",6000", "")
            .replace(",1500,1500", ",1500")
        ),
        ["mini.csv: missing column(s) 'elderly'"],
    ),
    (
        "not-a-number",
        lambda t: t.replace("40000", "4万"),
        [
            "mini.csv: row 3 (township T2), column population: "
            "expected a whole number ≥ 0, got '4万'"
        ],
    ),
    (
        "negative-count",
        lambda t: t.replace(",300,", ",-300,"),
        ["row 3 (township T2), column dibao: expected a whole number ≥ 0"],
    ),
    (
        "group-above-population",
        lambda t: t.replace(",1500,80,", ",15001,80,"),
        ["row 4 (township T3), column dibao: expected at most the population (15000), got 15001"],
    ),
    (
        "bad-kind",
        lambda t: t.replace(",urban,", ",city,"),
        ["row 3 (township T2), column kind: expected one of rural, urban, relocation, got 'city'"],
    ),
    (
        "bad-has-station",
        lambda t: t.replace("150,1,1,1", "150,2,1,1"),
        ["column has_station: expected 0 or 1, got '2'"],
    ),
    (
        "workers-without-station",
        lambda t: t.replace("10,0,0,0", "10,0,2,0"),
        ["row 3 (township T2), column has_station: the township has workers but no station"],
    ),
    (
        "empty-name",
        lambda t: t.replace("新华街道", ""),
        ["row 3 (township T2), column name: expected a value, got an empty cell"],
    ),
    (
        "broken-row",
        lambda t: t.replace("T3,安居街道", "T3,安居,街道"),
        ["mini.csv: broken CSV: expected 11 fields", "line 4, saw 12"],
    ),
    ("empty-file", lambda t: "", ["mini.csv: the township table is empty"]),
    (
        "header-only",
        lambda t: t.splitlines()[0] + "\n",
        ["mini.csv: the township table has a header but no townships"],
    ),
    (
        "bad-remoteness",
        lambda t: (
            t.replace("workers_uncertified\n", "workers_uncertified,remoteness\n")
            .replace(",1,1,1\n", ",1,1,1,0.1\n")
            .replace(",0,0,0\n", ",0,0,0,1.5\n", 1)
        ),
        ["row 3 (township T2), column remoteness: expected a remoteness from 0 to 0.9"],
    ),
]


@pytest.mark.parametrize(
    "edit, needles", [c[1:] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES]
)
def test_bad_township_tables(case, edit, needles):
    case.table(edit(case.csv.read_text(encoding="utf-8")))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    msg = err.value.message
    for needle in needles:
        assert needle in msg, msg


def test_undecodable_table(case):
    case.csv.write_bytes(b"\x81\xff\xfe\x00garbage" * 10)
    with pytest.raises(
        InputError, match="mini.csv: cannot decode the file: expected UTF-8 or GBK/GB18030"
    ):
        load_scenario(case.yaml)


def test_unreadable_xlsx(case):
    bad = case.folder / "bad.xlsx"
    bad.write_bytes(b"not a zip file")
    case.write({**mini_scenario(), "region": {"townships": "bad.xlsx"}})
    with pytest.raises(InputError, match="bad.xlsx: not a readable .xlsx workbook"):
        load_scenario(case.yaml)


def test_wrong_table_suffix(case):
    (case.folder / "t.json").write_text("{}", encoding="utf-8")
    case.write({**mini_scenario(), "region": {"townships": "t.json"}})
    with pytest.raises(
        InputError, match=r"t.json: expected a township table ending in .csv or .xlsx"
    ):
        load_scenario(case.yaml)


@pytest.mark.parametrize(
    "mutation", [CASES[0][1], CASES[7][1], CASES[15][1]], ids=["unknown", "negative", "year"]
)
def test_cli_bad_input_exits_2_with_one_line(case, mutation, capsys):
    case.write(mutation(mini_scenario()))
    assert main(["validate", str(case.yaml)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and "Traceback" not in err


def test_cli_bad_input_subprocess_has_no_traceback(case):
    case.write(mutate(("budget", 2025), -5)(mini_scenario()))
    res = subprocess.run(
        [sys.executable, "-m", "model", "validate", str(case.yaml)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and res.stderr.strip().count("\n") == 0
    assert "budget.2025：应为数值 ≥ 0（单位：万元/年），实际为 -5" in res.stderr
    english = subprocess.run(
        [sys.executable, "-m", "model", "validate", str(case.yaml), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert "budget.2025: expected a number ≥ 0 in 万元/year, got -5" in english.stderr


def test_the_scenario_language_and_the_environment_choose_the_console_language(
    case, tmp_path, capsys, monkeypatch
):
    # report.language is the one switch: errors and summaries follow it; STATIONPLAN_LANG
    # speaks for commands without a scenario; --lang overrides both
    case.write(mutate(("report", "language"), "en")(mutate(("budget", 2025), -5)(mini_scenario())))
    assert main(["validate", str(case.yaml)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "budget.2025: expected a number" in err
    assert main(["validate", str(case.yaml), "--lang", "zh"]) == 2
    assert capsys.readouterr().err.startswith("错误：")
    monkeypatch.setenv("STATIONPLAN_LANG", "en")
    assert main(["validate", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: scenario file not found" in capsys.readouterr().err


def test_cli_extends_cycle_exits_2(case, capsys):
    (case.folder / "a.yaml").write_text("name: a\nextends: a.yaml\n", encoding="utf-8")
    assert main(["validate", str(case.folder / "a.yaml")]) == 2
    assert "extends 形成循环" in capsys.readouterr().err


def test_cli_missing_scenario_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml：找不到情景文件" in capsys.readouterr().err


# ------------------------------------------------------------------ Chinese first (issue 17)
QUOTED_RE = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
"""Values the user wrote, quoted as they are."""

NAME_RE = re.compile(r"\S*[/\\]\S*|[\w-]+(?:\.[\w-]+)+|\w*_\w*|--[\w-]+")
"""File paths, file names and dotted field paths, names with _ (columns, fields) and options."""

ENGLISH_RUN_RE = re.compile(r"[A-Za-z]+(?:[ \t]+[A-Za-z]+){2,}")
"""Three or more English words in a row: an English phrase left in a Chinese message."""


def english_runs(text: str) -> list[str]:
    """The English phrases of `text` once quoted values, paths and field names are taken out."""
    return ENGLISH_RUN_RE.findall(NAME_RE.sub(" ", QUOTED_RE.sub(" ", text)))


def test_the_checker_finds_english_phrases_only():
    assert english_runs("mini.yaml：budget.2025：应为数值 ≥ 0，实际为 'a b c d'") == []
    assert english_runs("--set：path.to.key=value，如 budget.2024=5600") == []
    assert english_runs("第 3 行，population 列：应为整数") == []
    assert english_runs("mini.csv：missing the column 'x'") == ["missing the column"]
    assert english_runs("预算：expected a number") == ["expected a number"]


def chinese_of(err: InputError) -> str:
    text = err.render("zh")
    assert "\n" not in text and text != err.message, text
    return text


@pytest.mark.parametrize("mutation", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_scenario_values_read_in_chinese(case, mutation):
    case.write(mutation(mini_scenario()))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    text = chinese_of(err.value)
    assert english_runs(text) == [], text


@pytest.mark.parametrize("edit", [c[1] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES])
def test_bad_township_tables_read_in_chinese(case, edit):
    case.table(edit(case.csv.read_text(encoding="utf-8")))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    text = chinese_of(err.value)
    assert english_runs(text) == [], text


BAD_FILES = [
    # (id, the scenario's data, file name -> bytes written next to it)
    ("undecodable", mini_scenario(), {"mini.csv": b"\x81\xff\xfe\x00garbage" * 10}),
    (
        "unreadable-xlsx",
        {**mini_scenario(), "region": {"townships": "bad.xlsx"}},
        {"bad.xlsx": b"not a zip file"},
    ),
    ("wrong-suffix", {**mini_scenario(), "region": {"townships": "t.json"}}, {"t.json": b"{}"}),
    ("bad-yaml", "name: a: b\n", {}),
    ("tab-yaml", "name: a\nhorizon:\n\tstart: 2025\n", {}),
    ("duplicate-yaml-key", "name: a\nname: b\n", {}),
    ("not-a-mapping", "- a\n- b\n", {}),
    ("extends-missing", {**mini_scenario(), "extends": "nope.yaml"}, {}),
    ("extends-cycle", {**mini_scenario(), "extends": "mini.yaml"}, {}),
]


@pytest.mark.parametrize("data, files", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_files_read_in_chinese(case, data, files):
    case.write(data)
    for name, content in files.items():
        (case.folder / name).write_bytes(content)
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    text = chinese_of(err.value)
    assert english_runs(text) == [], text


@pytest.mark.parametrize(
    "overrides",
    [["budget"], ["budget..x=1"], ["budget.2025=1", "budget.2025=2"], ["name.first=x"]],
    ids=["no-equals", "empty-part", "set-twice", "into-a-value"],
)
def test_bad_set_options_read_in_chinese(case, overrides):
    case.write(mini_scenario())
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml, overrides)
    text = chinese_of(err.value)
    assert english_runs(text) == [], text


def test_a_missing_optional_package_reads_in_chinese(monkeypatch):
    import importlib.util

    from model.errors import Bi, require

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(InputError) as err:
        require("SALib", "sensitivity", Bi("The morris method", "morris 方法"))
    assert err.value.message.startswith("The morris method needs the optional package SALib")
    assert err.value.render("zh") == (
        "morris 方法需要可选软件包 SALib（SALib，用于 Morris 和 Sobol 方法）；请用 "
        "pip install 'stationplan[sensitivity]' 安装（make demo 会安装全部可选包）"
    )


def zh_message(case, mutation=None, edit=None) -> str:
    """The Chinese message of the mini scenario changed by `mutation` and its table by `edit`."""
    original = case.csv.read_text(encoding="utf-8")
    case.write((mutation or (lambda d: d))(mini_scenario()))
    if edit:
        case.table(edit(original))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    case.table(original)
    return err.value.render("zh")


def test_the_most_common_errors_in_chinese_exactly(case, monkeypatch):
    monkeypatch.chdir(case.folder)  # file names as the user typed them
    missing = dict(TABLE_CASES_BY_ID)["missing-required-column"]
    assert zh_message(case, edit=missing) == (
        "mini.csv：缺少列 'elderly'；必需的列：乡镇代码、乡镇名称、县区、类型、人口、"
        "60岁及以上人口、是否有站点、持证社工人数、未持证社工人数（或英文列名："
        "township_id, name, county, kind, population, elderly, has_station, workers_certified, "
        "workers_uncertified）"
    )
    not_a_number = dict(TABLE_CASES_BY_ID)["not-a-number"]
    assert zh_message(case, edit=not_a_number) == (
        "mini.csv：第 3 行（乡镇 T2），population 列：应为不小于 0 的整数，实际为 '4万'"
    )
    assert zh_message(case, mutation=mutate(("budjet",), {2025: 1})) == (
        "mini.yaml：budjet：未知的键；是否应为 'budget'？"
    )
    assert zh_message(case, mutation=mutate(("budget",), {2025: 4_000_000, 2026: 120})) == (
        "mini.yaml：budget.2025：3 个乡镇共 4,000,000 万元，每个乡镇 1,333,333 万元——"
        "是否按“元”填写了？4,000,000 元 = 400 万元（预算的单位是万元；"
        "每个乡镇每年不超过 1,000 万元才算合理）"
    )
    with pytest.raises(InputError) as err:
        load_scenario(case.folder / "none.yaml")
    assert err.value.render("zh") == "none.yaml：找不到情景文件"


TABLE_CASES_BY_ID = [(c[0], c[1]) for c in TABLE_CASES]


CLI_CASES = [
    # (id, arguments; MINI is the mini scenario)
    ("synth-townships", ["synth", "--profile", "county", "--townships", "0", "-o", "x.csv"]),
    ("synth-counties", ["synth", "--profile", "county", "--counties", "999", "-o", "x.csv"]),
    ("synth-share", ["synth", "--profile", "county", "--coverage", "2", "-o", "x.csv"]),
    ("synth-suffix", ["synth", "--profile", "county", "-o", "x.txt"]),
    ("synth-folder", ["synth", "--profile", "county", "-o", "nofolder/x.csv"]),
    ("template-suffix", ["template", "x.txt"]),
    ("template-years", ["template", "x.xlsx", "--years", "40"]),
    ("template-start", ["template", "x.xlsx", "--start", "1900"]),
    ("report-not-a-run", ["report", "."]),
    ("set-no-equals", ["validate", "MINI", "--set", "budget"]),
    ("sweep-budgets", ["sweep", "MINI", "--budgets", "0.6:1.4"]),
    ("sweep-totals", ["sweep", "MINI", "--totals", "5000"]),
    ("sensitivity-method", ["sensitivity", "MINI", "--method", "fast"]),
    ("sensitivity-no-uncertainty", ["sensitivity", "MINI"]),
    ("simulate-no-plan", ["simulate", "MINI", "--plan", "none.csv"]),
]


@pytest.mark.parametrize("args", [c[1] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_bad_command_options_read_in_chinese(case, monkeypatch, capsys, args):
    case.write(mini_scenario())
    monkeypatch.chdir(case.folder)
    assert main([str(case.yaml) if a == "MINI" else a for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1, err
    assert english_runs(err) == [], err


def test_an_error_keeps_both_languages_through_pickle(case):
    # errors come back from worker processes (Dask, replications) pickled
    import copy
    import pickle

    case.write(mutate(("budget", 2025), -5)(mini_scenario()))
    with pytest.raises(InputError) as err:
        load_scenario(case.yaml)
    for back in (pickle.loads(pickle.dumps(err.value)), copy.deepcopy(err.value)):
        assert type(back) is InputError
        assert back.message == err.value.message
        assert back.render("zh") == err.value.render("zh")
