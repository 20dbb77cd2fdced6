"""Shared fixtures: a small hand-made scenario with a three-township table, written to tmp_path."""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "base.yaml")

# Real units of Ganzhou by official code (南康区 360703, one street of 章贡区 360702), for tests
# that simulate one township of scenarios/ganzhou.yaml (which have a station is synthetic, seed 7)
GANZHOU_UNITS = {
    "麻双乡": "360703208",  # township, no station
    "坪市乡": "360703210",  # township with a station
    "横市镇": "360703106",  # town with a station
    "蓉江街道": "360703001",  # street with a station
    "唐江镇": "360703100",  # town, no station
    "凤岗镇": "360703101",  # town, no station
    "龙岭镇": "360703103",  # town with a station
    "镜坝镇": "360703105",  # town, no station
    "龙回镇": "360703104",  # small town with a station: 3 workers carry it at a load of 0.7
    "赣江街道": "360702002",  # street with a station, more work than one worker can do
}


def unit(sc, name: str) -> int:
    """Row of a Ganzhou unit (by name, see GANZHOU_UNITS) in the scenario's township table."""
    ids = sc.townships["township_id"].astype(str).tolist()
    return ids.index(GANZHOU_UNITS[name])


SMALL_HEADER = (
    "township_id,name,county,kind,population,elderly,dibao,tekun,has_station,workers_certified,"
    "workers_uncertified,wage_index,remoteness,care_beds\n"
)
"""Columns of the small township tables the optimizer's worked examples write."""


def small_data(**sections: object) -> dict:
    """A small one-year scenario for worked optima (its townships in t.csv): budget 30 万元,
    the costs every worked example uses and an exact HiGHS solve, with `sections` (top-level
    scenario keys) on top."""
    return {
        "name": "small",
        "region": {"townships": "t.csv"},
        "horizon": {"start": 2025, "years": 1},
        "budget": {2025: 30},
        "costs": {
            "station_setup": 5.0,
            "station_running": 2.0,
            "salary": {"uncertified": 3.0, "junior": 4.0, "intermediate": 5.0},
            "certification_training": 0.5,
        },
        "solver": {"name": "highs", "time_limit_s": 30, "gap": 0.0},
    } | sections


def two_groups() -> dict:
    """Two recipient groups with intake and visits, 低保 (priority 1) and 特困 (priority 3): a new
    mapping each call, since a test may change a scenario's sections in place."""
    return {
        "dibao": {
            "case_rate": 0.1,
            "sessions": 2,
            "session_hours": 2.0,
            "intake_hours": 1.0,
            "visit_rate": 0.5,
            "visit_hours": 2.0,
            "priority": 1,
        },
        "tekun": {
            "case_rate": 0.5,
            "sessions": 4,
            "session_hours": 1.5,
            "intake_hours": 1.0,
            "visit_rate": 2.0,
            "visit_hours": 1.5,
            "priority": 3,
        },
    }


def error_line(err: str) -> str:
    """The one error line of a command's stderr (its progress bars aside); no traceback and no
    internal error."""
    assert "Traceback" not in err and "内部错误" not in err and "internal error" not in err, err
    lines = [line for line in re.split(r"[\r\n]", err) if line.startswith(("错误：", "error: "))]
    assert len(lines) == 1, err
    return lines[0]


WORKED_GROUPS = {
    "dibao": {"case_rate": 0.1, "sessions": 2, "session_hours": 2.0, "priority": 1},
    "tekun": {"case_rate": 0.5, "sessions": 4, "session_hours": 1.5, "priority": 3},
}
"""Two recipient groups of the worked optima: 低保 (priority 1) and 特困 (priority 3)."""


def worked_data(
    *, staffing: dict | None = None, workforce: dict | None = None, **sections: object
) -> dict:
    """small_data for the worked optima of one level at a time (access, catchments, centres,
    funding, sectors): the two WORKED_GROUPS; a station of at least one worker, none of them
    certified necessarily, no supervision rule; a workforce that neither leaves nor trains,
    pools of 10 a county, no lay-offs, severance or move cost; service counted in
    priority-weighted hours (fairness α = 0). `staffing` and `workforce` are merged over those,
    `sections` (top-level scenario keys) put on top."""
    return (
        small_data(
            staffing={"min_workers": 1, "min_certified": 0, "stations_per_supervisor": 0}
            | (staffing or {}),
            groups=WORKED_GROUPS,
            workforce={
                "attrition": 0.0,
                "exam_pass_rate": 0.0,
                "hiring_pool_per_county": 10,
                "certified_pool_per_county": 10,
                "layoffs": False,
                "severance_months": 0.0,
                "move_cost": 0.0,
            }
            | (workforce or {}),
            fairness={"alpha": 0.0},
        )
        | sections
    )


def write_small(tmp_path: Path, rows: list[str], data: dict) -> object:
    """Write `rows` (SMALL_HEADER columns) as t.csv and `data` (small_data) as s.yaml in
    tmp_path, and load the scenario."""
    from model import load_scenario

    (tmp_path / "t.csv").write_text(SMALL_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_scenario(tmp_path / "s.yaml")


MINI_HEADER = (
    "township_id,name,county,kind,population,elderly,dibao,tekun,"
    "has_station,workers_certified,workers_uncertified\n"
)
MINI_TABLE = (
    MINI_HEADER
    + """T1,红旗镇,东山县,rural,20000,4000,1200,150,1,1,1
T2,新华街道,东山县,urban,40000,6000,300,10,0,0,0
T3,安居街道,西河县,relocation,15000,1500,1500,80,0,0,0
"""
)


def mini_scenario() -> dict:
    return {
        "name": "mini",
        "region": {"townships": "mini.csv"},
        "horizon": {"start": 2025, "years": 2},
        "budget": {2025: 100, 2026: 120},
        "groups": {
            "dibao": {"label": "低保对象", "case_rate": 0.05},
            "tekun": {"label": "特困人员", "priority": 3},
        },
        "targets": {"coverage": {2026: 1.0}},
    }


class Case:
    """A scenario folder in tmp_path: mini.yaml + mini.csv, both editable by the test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.yaml = folder / "mini.yaml"
        self.csv = folder / "mini.csv"
        self.write(mini_scenario())
        self.csv.write_text(MINI_TABLE, encoding="utf-8")

    def write(self, data: dict | str) -> Path:
        text = (
            data
            if isinstance(data, str)
            else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        )
        self.yaml.write_text(text, encoding="utf-8")
        return self.yaml

    def table(self, text: str, encoding: str = "utf-8") -> Path:
        self.csv.write_bytes(text.encode(encoding))
        return self.csv


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return Case(tmp_path)


# ------------------------------------------------------------------ fuzzing (tests/fuzz)

settings.register_profile(
    "fuzz",
    max_examples=50,
    derandomize=True,  # the same examples on every run and in CI
    database=None,  # no .hypothesis folder of found examples: the regressions are named tests
    deadline=timedelta(seconds=10),  # one example: a bounded run, even on a busy machine
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz-long",  # make fuzz (STATIONPLAN_FUZZ=long): new examples on every run
    max_examples=3000,
    derandomize=False,
    database=None,
    deadline=timedelta(seconds=10),
    print_blob=True,  # a failure prints the @reproduce_failure line that replays it
    suppress_health_check=[HealthCheck.too_slow],
)
FUZZ = settings.get_profile("fuzz-long" if os.environ.get("STATIONPLAN_FUZZ") == "long" else "fuzz")
"""Settings of the fuzz tests (a decorator): 50 fixed examples a property, or with
STATIONPLAN_FUZZ=long (make fuzz) 3,000 new ones."""


@dataclass
class Outcome:
    """What a command of the command line did: its exit code and what it printed."""

    code: int
    out: str
    err: str


def stationplan(*argv: str) -> Outcome:
    """Run `stationplan argv…` in this process (model.cli.commands.main), its output captured;
    argparse's exits count as exit codes."""
    from model.cli.commands import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Outcome(code, out.getvalue(), err.getvalue())


def obeys_exit_contract(run: Outcome, *names: str) -> None:
    """The contract of bad input (issue 21): exit 0, or exit 2 with one line that starts
    "error:" (错误：; argparse's "stationplan: error:") and names one of `names` (the files or
    options given); never an internal error (exit 1) or a traceback."""
    said = run.out + run.err
    assert "Traceback" not in said, said
    assert "internal error" not in said and "内部错误" not in said, said
    assert run.code in (0, 2), said
    if run.code == 2:
        assert run.err.startswith(("error: ", "错误：", "stationplan: error: ")), run.err
        assert run.err.count("\n") == 1, run.err
        assert any(name in run.err for name in names), (names, run.err)


def same_highs_model(sc, inp=None) -> int:
    """Build `sc`'s model both ways (every row a PuLP constraint, and the rows per township and
    year from arrays: model.optimizer.rows), put the objective on, and assert that HiGHS gets the
    same model from both: the same columns (names, bounds, integrality, costs) and the same rows
    (names, bounds, coefficients in the same order, rows in the same order), bit for bit, through
    the optimizer's session (HighsSession) and through PuLP's interface (WarmHiGHS, PuLP's own
    model building for the PuLP rows). Returns the number of array rows."""
    import numpy as np

    from model.optimizer.formulation import build, set_objective
    from model.optimizer.highs import HighsSession, WarmHiGHS
    from model.optimizer.inputs import Inputs

    inp = inp or Inputs.from_scenario(sc)
    models = [build(sc, inp, arrays=arrays) for arrays in (False, True)]
    for model in models:
        set_objective(model, sc)
    plain, arrays = (HighsSession(m.prob, sc) for m in models)
    assert [v.name for v in plain.variables] == [v.name for v in arrays.variables]
    for name in ("lower", "upper", "cost", "integer"):
        assert getattr(plain, name).tobytes() == getattr(arrays, name).tobytes(), name
    assert plain.rows.names == arrays.rows.names
    for name in ("lower", "upper", "starts", "indices", "values"):
        a, b = getattr(plain.rows, name), getattr(arrays.rows, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
    assert models[0].prob.numConstraints() == models[1].prob.numConstraints() == plain.m
    assert models[0].prob.numVariables() == models[1].prob.numVariables() == plain.n
    lps = []
    for model in models:
        solver = WarmHiGHS(msg=False)
        solver.createAndConfigureSolver(model.prob)
        solver.buildSolverModel(model.prob)
        lps.append(model.prob.solverModel.getLp())
    for name in ("col_cost_", "col_lower_", "col_upper_", "row_lower_", "row_upper_"):
        a, b = (np.asarray(getattr(lp, name)) for lp in lps)
        assert a.tobytes() == b.tobytes(), name
    assert list(lps[0].integrality_) == list(lps[1].integrality_)
    assert lps[0].a_matrix_.format_ == lps[1].a_matrix_.format_
    for name in ("start_", "index_", "value_"):
        a, b = (np.asarray(getattr(lp.a_matrix_, name)) for lp in lps)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name
    rows = models[0].prob.constraints()
    assert all(row.index == plain.row_of[row.name] for row in rows)  # PuLP reads back its rows
    rows = models[1].prob.constraints()
    assert all(row.index == arrays.row_of[row.name] for row in rows)
    assert not len(models[0].prob.array_rows)
    return len(models[1].prob.array_rows)
