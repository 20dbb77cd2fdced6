"""Fuzzing plan files (issue 21): the plan.csv of a small optimize run, mutated (cells, columns,
rows, encodings, bytes), read as `stationplan simulate --plan` reads it (model.plan.io.read_plan).

A plan file is refused with one line naming it (an InputError), or read into a plan the plan
checker (model.plan.check.check_plan) finds nothing wrong with: never an internal error, never
a plan simulated that breaks the rules the optimizer's plans keep.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FUZZ, Case
from hypothesis import given
from hypothesis import strategies as st

from model.errors import InputError
from model.inputs.scenario import load_scenario
from model.optimizer.optimize import optimize
from model.output.runfolder import named
from model.plan.io import read_plan
from model.vocabulary import WORKER_COLUMNS


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> tuple[object, str]:
    """The mini scenario and the text of its optimized plan.csv, written as a run writes it."""
    case = Case(tmp_path_factory.mktemp("plan"))
    sc = load_scenario(case.yaml)
    buffer = io.StringIO()
    named(optimize(sc).plan, sc.townships).to_csv(buffer, index=False, lineterminator="\n")
    return sc, buffer.getvalue()


NASTY_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "nan",
            "inf",
            "-inf",
            "1e20",
            "1000000000",
            "-1",
            "2.7",
            "two",
            "0.0",
            "1.0",
            "5",
            "15",
            "2024",
            "9" * 400,
            "T9",
            "T1",
            "True",
            '"',
        ]
    ),
    st.text(max_size=8),
    st.integers(-5, 20).map(str),
    st.floats().map(repr),
)
"""What a hand-edited plan holds in a cell."""


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """The plan's CSV with one to three changes: a cell, a column dropped or doubled, a row cut,
    doubled or cut short, a line cut in two, another encoding, bytes changed."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop", "row", "double"]))
        if kind == "cell":
            r = draw(st.integers(0, len(frame) - 1))
            c = draw(st.sampled_from(list(frame.columns)))
            frame.loc[frame.index[r], c] = draw(NASTY_CELLS)
        elif kind == "drop" and len(frame.columns) > 1:
            frame = frame.drop(columns=draw(st.sampled_from(list(frame.columns))))
        elif kind == "row" and len(frame) > 1:
            frame = frame.drop(index=frame.index[draw(st.integers(0, len(frame) - 1))])
        elif kind == "double":
            r = draw(st.integers(0, len(frame) - 1))
            frame = pd.concat([frame, frame.iloc[[r]]])
    data = frame.to_csv(index=False, lineterminator="\n")
    if draw(st.integers(0, 3)) == 0:  # a line cut short, inside the worker columns or anywhere
        lines = data.splitlines(keepends=True)
        k = draw(st.integers(1, len(lines) - 1))
        lines[k] = lines[k][: draw(st.integers(0, len(lines[k])))] + "\n"
        data = "".join(lines)
    raw = data.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])))
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=8)) + raw[at + draw(st.integers(0, 8)) :]
    return raw


def whole(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce")
    return bool(numbers.notna().all() and (numbers >= 0).all() and (numbers % 1 == 0).all())


def keeps_the_rules(sc, plan: pd.DataFrame) -> None:
    """The rules a plan simulated keeps, as docs/design.md states them: one row per township and
    year of the scenario; stations, years and workers whole numbers ≥ 0; a station 0 or 1,
    open from today's stations on and never closed; workers only at a station, within the
    staffing limits; no more trained than uncertified workers; hours finite and ≥ 0."""
    t, stf = sc.townships, sc.staffing
    keys = list(zip(plan["township_id"].astype(str), plan["year"]))
    assert sorted(keys) == sorted((str(i), y) for i in t["township_id"] for y in sc.years)
    for col in ("year", "station", *WORKER_COLUMNS, "trained"):
        if col in plan:
            assert whole(plan[col]), (col, plan[col].tolist())
    workers = plan[list(WORKER_COLUMNS)].sum(axis=1)
    certified = plan["workers_junior"] + plan["workers_intermediate"]
    open_ = plan["station"] == 1
    assert plan["station"].isin([0, 1]).all()
    assert (workers[~open_] == 0).all()
    assert workers[open_].between(stf.min_workers, stf.max_workers).all()
    assert (certified[open_] >= stf.min_certified).all()
    by_year = plan.sort_values("year").groupby(plan["township_id"].astype(str))["station"]
    assert (by_year.diff().fillna(0) >= 0).all()  # a station stays open
    today = set(t.loc[t["has_station"] == 1, "township_id"].astype(str))
    assert open_[plan["township_id"].astype(str).isin(today)].all()
    if "trained" in plan:
        assert (plan["trained"] <= plan["workers_uncertified"]).all()
    for col in ("catchment_hours", "client_hours", "served_hours"):
        if col in plan:
            hours = pd.to_numeric(plan[col], errors="coerce")
            assert (hours.notna() & np.isfinite(hours) & (hours >= 0)).all(), col


@FUZZ
@given(data=st.data())
def test_a_plan_file_is_refused_or_keeps_the_rules(planned, data, tmp_path_factory):
    sc, text = planned
    raw = data.draw(mutated(text))
    path = Path(tmp_path_factory.mktemp("fuzz")) / "plan.csv"
    path.write_bytes(raw)
    try:
        plan = read_plan(path, sc)  # what simulate --plan reads
    except InputError as exc:
        for lang in ("en", "zh"):
            said = exc.render(lang)
            assert "\n" not in said and "plan.csv" in said, said
        return
    keeps_the_rules(sc, plan)
