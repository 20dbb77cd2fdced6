"""`simulate --plan` with a plan.csv that breaks the rules the optimizer's plans keep (issue 21):
each case is a real plan (from `stationplan optimize` of the mini scenario, at most 3 workers a
station) with one cell changed, refused with exit 2 and one line naming the file, the row
(township and year), the column and the rule, before any simulation starts."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from conftest import SMALL_HEADER, Case, mini_scenario, worked_data

from model import load_scenario, read_plan
from model.cli.commands import main
from model.errors import InputError

MOST = 3
"""staffing.max_workers of the scenario the plan is made and simulated for."""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The mini scenario with at most MOST workers a station, and the plan.csv text its
    `stationplan optimize` wrote."""
    case = Case(tmp_path_factory.mktemp("plan_rules"))
    case.write(mini_scenario() | {"staffing": {"max_workers": MOST}})
    assert main(["optimize", str(case.yaml), "--out", str(case.folder / "made")]) == 0
    plan = (case.folder / "made" / "mini" / "latest" / "plan.csv").resolve()
    return case, plan.read_text(encoding="utf-8-sig")


def rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def written(made, tmp_path, change) -> tuple[Case, object]:
    """The made plan with `change(rows)` applied (rows: cells per line, the header first),
    written to tmp_path/plan.csv."""
    case, text = made
    table = rows(text)
    change(table)
    path = tmp_path / "plan.csv"
    path.write_text("\n".join(",".join(r) for r in table) + "\n", encoding="utf-8")
    return case, path


def at(table, tid: str, year: int) -> list[str]:
    """The row of `tid` in `year` (cells of one line)."""
    head = table[0]
    return next(
        r
        for r in table[1:]
        if r[head.index("township_id")] == tid and r[head.index("year")] == str(year)
    )


def put(table, tid: str, when: int, **cells: object) -> None:
    """Set `cells` (column: value) of the row of `tid` in year `when`."""
    row = at(table, tid, when)
    for column, value in cells.items():
        row[table[0].index(column)] = str(value)


def refused(case, path, capsys, *extra: str, lang: str = "en") -> str:
    """Run simulate on the plan; it must exit 2 with one line, no traceback, no run folder."""
    out = case.folder / "sim"
    argv = ["simulate", str(case.yaml), "--plan", str(path), "--out", str(out), "--lang", lang]
    assert main([*argv, *extra]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert not out.exists() or not any((out / "mini").glob("2*")), "a run folder was written"
    assert "plan.csv" in err
    return err


def test_the_made_plan_reads_back_whole(made, tmp_path):
    case, path = written(made, tmp_path, lambda table: None)
    plan = read_plan(path, load_scenario(case.yaml))
    assert len(plan) == 6 and plan["workers_junior"].dtype == "int64"
    assert (
        plan[["workers_uncertified", "workers_junior", "workers_intermediate"]].sum(axis=1) <= MOST
    ).all()


def test_a_billion_junior_workers_is_refused_at_once(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: put(t, "T1", 2025, workers_junior=1000000000))
    err = refused(case, path, capsys)
    assert "row 2 (township T1, 2025), workers" in err
    assert f"at most staffing.max_workers = {MOST} workers at a station" in err


def test_negative_workers_are_refused(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: put(t, "T3", 2026, workers_uncertified=-1))
    err = refused(case, path, capsys)
    assert "row 7 (township T3, 2026), column workers_uncertified" in err
    assert "a whole number ≥ 0 (workers), got -1" in err


def test_a_fraction_of_a_worker_is_refused(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: put(t, "T2", 2026, workers_junior=2.7))
    err = refused(case, path, capsys)
    assert "row 5 (township T2, 2026), column workers_junior" in err
    assert "a whole number ≥ 0 (workers), got 2.7" in err


def test_station_5_is_refused(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: put(t, "T2", 2025, station=5))
    err = refused(case, path, capsys)
    assert "row 4 (township T2, 2025), column station: expected 0 or 1" in err
    assert "got 5" in err


def test_workers_without_a_station_are_refused(made, tmp_path, capsys):
    # T2 has no station today: closed in 2025 (its station opens in 2026), workers kept
    case, path = written(made, tmp_path, lambda t: put(t, "T2", 2025, station=0))
    err = refused(case, path, capsys)
    assert "row 4 (township T2, 2025), workers" in err
    assert "0 workers: workers only at a station" in err


def test_fifteen_workers_where_the_limit_is_three_are_refused(made, tmp_path, capsys):
    case, path = written(
        made,
        tmp_path,
        lambda t: put(
            t, "T3", 2025, workers_uncertified=7, workers_junior=7, workers_intermediate=1
        ),
    )
    err = refused(case, path, capsys)
    assert "row 6 (township T3, 2025), workers: expected at most staffing.max_workers = 3" in err
    assert "got 15" in err
    zh = refused(case, path, capsys, lang="zh")  # Chinese first for planners
    assert "第 6 行（乡镇 T3，2025 年），社工人数" in zh and "至多 staffing.max_workers = 3" in zh


def test_too_few_workers_and_too_few_certified_are_refused(made, tmp_path, capsys):
    def one_worker(t):
        put(t, "T1", 2026, workers_uncertified=0, workers_junior=1, workers_intermediate=0)

    case, path = written(made, tmp_path, one_worker)
    err = refused(case, path, capsys)
    assert "row 3 (township T1, 2026), workers: expected at least staffing.min_workers = 2" in err

    def uncertified(t):
        put(t, "T1", 2026, workers_uncertified=2, workers_junior=0, workers_intermediate=0)

    case, path = written(made, tmp_path, uncertified)
    err = refused(case, path, capsys)
    assert "at least staffing.min_certified = 1 certified workers" in err and "got 0" in err


def test_a_station_that_closes_is_refused(made, tmp_path, capsys):
    def close(t):  # T2's station (opened in 2025) closed in 2026, its workers gone
        put(t, "T2", 2026, station=0, workers_uncertified=0, workers_junior=0)
        put(t, "T2", 2026, workers_intermediate=0, trained=0)

    case, path = written(made, tmp_path, close)
    err = refused(case, path, capsys)
    assert "row 5 (township T2, 2026), column station" in err
    assert "a station stays open once opened" in err


def test_closing_a_station_of_today_is_refused(made, tmp_path, capsys):
    def close(t):
        put(t, "T1", 2025, station=0, workers_uncertified=0, workers_junior=0)
        put(t, "T1", 2025, workers_intermediate=0, trained=0)

    case, path = written(made, tmp_path, close)
    err = refused(case, path, capsys)
    assert "row 2 (township T1, 2025), column station" in err
    assert "the township has a station today (has_station" in err


def test_a_plan_over_the_budget_is_refused_naming_the_year(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: None)
    spend = pd.read_csv(path).groupby("year")["spend"].sum()
    low = float(spend[2025]) - 1  # a budget the plan overspends by 1 万元 in 2025
    err = refused(case, path, capsys, "--set", f"budget.2025={low}")
    assert f"year 2025: expected spend within budget.2025 = {low:,.2f} 万元" in err
    assert f"got {float(spend[2025]):,.2f} 万元" in err and "objective=min_cost" in err
    out = case.folder / "fits"  # the same plan with the budget it was made for simulates
    argv = ["simulate", str(case.yaml), "--plan", str(path), "--out", str(out)]
    assert main([*argv, "--set", "simulation.replications=1"]) == 0


@pytest.mark.parametrize("cell", ["nan", "NaN", "", "two", "inf", "1e999", "3,5"])
def test_a_cell_that_is_not_a_number_is_refused(made, tmp_path, capsys, cell):
    case, path = written(made, tmp_path, lambda t: put(t, "T3", 2025, workers_junior=cell))
    if cell == "3,5":  # a comma in a cell makes the row one value too long
        err = refused(case, path, capsys)
        assert "row 6: expected at most 21 values" in err
        return
    err = refused(case, path, capsys)
    assert "row 6 (township T3, 2025), column workers_junior" in err
    assert "expected a whole number ≥ 0 (workers)" in err
    assert ("got an empty cell" if cell == "" else f"got '{cell}'") in err


def test_a_line_cut_inside_the_worker_columns_is_refused(made, tmp_path, capsys):
    def cut(t):
        row = at(t, "T2", 2026)
        del row[t[0].index("workers_junior") :]

    case, path = written(made, tmp_path, cut)
    err = refused(case, path, capsys)
    assert "row 5 (township T2, 2026), column workers_junior" in err
    assert "the line ends before this column (cut short?)" in err


def test_a_township_year_twice_and_a_bad_year_are_refused(made, tmp_path, capsys):
    case, path = written(made, tmp_path, lambda t: t.append(list(at(t, "T1", 2025))))
    err = refused(case, path, capsys)
    assert "row 8 (township T1, 2025)" in err and "a second time (first in row 2)" in err
    case, path = written(made, tmp_path, lambda t: put(t, "T1", 2026, year="2026.5"))
    err = refused(case, path, capsys)
    assert "row 3 (township T1), column year: expected a year" in err


def test_read_plan_names_the_row_and_rule_in_both_languages(made, tmp_path):
    case, path = written(made, tmp_path, lambda t: put(t, "T3", 2026, trained=5))
    with pytest.raises(InputError) as err:
        read_plan(path, load_scenario(case.yaml))
    assert "row 7 (township T3, 2026), column trained" in str(err.value)
    assert "only uncertified workers in post are trained" in str(err.value)
    assert "第 7 行（乡镇 T3，2026 年），trained 列" in err.value.render("zh")


def test_a_plan_of_provinces_keeps_each_province_within_its_budget_and_the_transfer(tmp_path):
    from model.executor import open_executor
    from model.optimizer.provinces import optimize_provinces

    towns = [  # two provinces, as in tests/optimizer/test_provinces.py
        "A,甲镇,一县,rural,5000,900,400,60,0,0,0,1.0,0.0,0,东省",
        "B,乙镇,一县,rural,3000,500,200,20,1,1,0,1.0,0.0,0,东省",
        "C,丙镇,二县,rural,4000,700,250,30,0,0,0,1.0,0.0,0,东省",
        "D,丁镇,三县,rural,6000,1000,500,80,0,0,0,1.0,0.0,0,西省",
        "E,戊镇,三县,rural,2000,300,100,10,0,0,0,1.0,0.0,0,西省",
    ]
    (tmp_path / "t.csv").write_text(
        SMALL_HEADER.rstrip("\n") + ",province\n" + "\n".join(towns) + "\n", encoding="utf-8"
    )
    data = worked_data(
        budget={2025: 37, 2026: 45},
        horizon={"start": 2025, "years": 2},
        staffing={"max_workers": 2},
        provinces={
            "东省": {"budget": {2025: 25, 2026: 30}, "targets": {"coverage": {2026: 1.0}}},
            "西省": {"budget": {2025: 12, 2026: 15}, "hiring_pool_per_county": 1},
        },
    )
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    sc = load_scenario(tmp_path / "s.yaml")
    with open_executor("serial") as ex:
        made = optimize_provinces(sc, executor=ex, progress=False)
    path = tmp_path / "plan.csv"
    made.plan.to_csv(path, index=False, encoding="utf-8-sig")
    assert len(read_plan(path, sc)) == 10
    west = made.plan[made.plan["township_id"].isin(["D", "E"]) & (made.plan["year"] == 2025)]
    spent = float(west["spend"].sum())
    poorer = sc.with_overrides({"provinces.西省.budget.2025": spent - 2})
    with pytest.raises(InputError) as err:
        read_plan(path, poorer)
    assert "year 2025, province 西省: expected spend within provinces.西省.budget.2025" in str(
        err.value
    )
    assert "central.transfer.2025 = 0.00 万元 (they spend 2.00 万元 beyond)" in str(err.value)
    helped = poorer.with_overrides({"central.transfer.2025": 2.5})  # the transfer pays the rest
    assert len(read_plan(path, helped)) == 10
