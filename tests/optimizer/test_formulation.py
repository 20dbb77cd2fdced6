"""The formulation adds its families of rows in a fixed order (HiGHS's path depends on it)."""

from __future__ import annotations

import re

import pytest

import model.optimizer.formulation as formulation
from model.inputs.scenario import load_scenario
from model.optimizer.formulation import build
from model.optimizer.rows import matrix

FAMILIES = [
    (
        "station rules",
        r"(stay_open|one_level|workers|min_workers|max_workers|increments|inc_open"
        r"|min_cert|train|supervise)_",
    ),
    ("hiring", r"(hire_[ujm]_c|pool_c|cpool_c|move_)"),
    ("budget", r"budget_"),
    ("targets", r"target_"),
]


def _family(row: str) -> int:
    for k, (_, pattern) in enumerate(FAMILIES):
        if re.match(pattern, row):
            return k
    raise AssertionError(f"row {row} belongs to no family")


@pytest.mark.parametrize("arrays", [False, True])
@pytest.mark.parametrize("level_binaries", [formulation.LEVEL_BINARIES, 0])
def test_rows_come_family_by_family(
    monkeypatch: pytest.MonkeyPatch, level_binaries: int, arrays: bool
) -> None:
    # rows built from arrays take their places among the PuLP rows (model.optimizer.rows)
    monkeypatch.setattr(formulation, "LEVEL_BINARIES", level_binaries)
    sc = load_scenario("scenarios/yanji.yaml")
    model = build(sc, elastic_limits=True, arrays=arrays)
    assert model.exact_levels == (level_binaries > 0)
    assert bool(model.z) == model.exact_levels and bool(model.inc) != model.exact_levels
    assert bool(len(model.prob.array_rows)) == arrays
    for k, var in enumerate(model.prob.variables()):  # the columns' positions, for matrix
        var.index = k
    order = [_family(name) for name in matrix(model.prob).names]
    assert order == sorted(order) and set(order) == set(range(len(FAMILIES)))
    kinds = [key[0] for key in model.hard_slack]
    family = {"hiring_pool": 0, "certified_pool": 0, "budget": 1}
    assert kinds == sorted(kinds, key=family.get) and "budget" in kinds
    assert "certified_pool" in kinds
