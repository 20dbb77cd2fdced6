"""Rows built from arrays (model.optimizer.rows): on large models with HiGHS the rows per
township and year are CSR blocks instead of PuLP constraints; HiGHS gets the same model either
way (bit for bit, rows in the same order), and the optimizer finds the same plan."""

from __future__ import annotations

import warnings

import pulp
import pytest
from conftest import ROOT, same_highs_model, small_data, two_groups, write_small

import model.optimizer.formulation as formulation
import model.optimizer.optimize as optimize_module
import model.optimizer.solve as solve_module
from model import load_scenario
from model.optimizer.formulation import build
from model.optimizer.optimize import optimize

TOWNSHIPS = [  # three counties; stations and staff in post in some townships
    "A,甲镇,一县,rural,3000,600,300,40,0,0,0,1.0,0.1,0",
    "B,乙镇,一县,rural,2000,500,200,60,1,1,1,1.2,0.2,0",
    "C,丙街道,一县,urban,5000,700,100,10,1,1,0,1.0,0.0,0",
    "D,丁镇,二县,rural,2500,400,250,30,0,0,0,0.9,0.3,0",
    "E,戊镇,二县,rural,1500,300,150,20,1,0,2,0.9,0.1,0",
    "F,己街道,三县,urban,6000,900,120,15,1,2,1,1.1,0.0,0",
    "G,庚镇,三县,rural,1800,350,180,25,0,0,0,1.0,0.4,0",
]


def labour_market(tmp_path, **workforce):
    """Seven townships in three counties over three years, with supervisors (one per two
    stations), exam training, attrition, moves and a certified minimum per station."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    data = small_data(
        horizon={"start": 2025, "years": 3},
        budget={2025: 70, 2026: 85, 2027: 100},
        staffing={
            "min_workers": 1,
            "min_certified": 1,
            "max_workers": 4,
            "hours_per_worker": 1000,
            "stations_per_supervisor": 2,
        },
        groups=two_groups(),
        workforce={
            "attrition": 0.1,
            "exam_pass_rate": 0.4,
            "hiring_pool_per_county": 4,
            "certified_pool_per_county": 2,
            "layoffs": False,
            "move_cost": 0.5,
        }
        | workforce,
        targets={"coverage": {2025: 1.0, 2027: 1.0}},  # unmet in 2025: met in order
    )
    return write_small(tmp_path, TOWNSHIPS, data)


def test_the_small_labour_market_gives_highs_the_same_model(tmp_path):
    assert same_highs_model(labour_market(tmp_path)) > 0
    again = labour_market(tmp_path / "layoffs", layoffs=True, exam_pass_rate=0.0)
    assert same_highs_model(again) > 0


@pytest.mark.parametrize(
    ("scenario", "level_binaries", "exact"),
    [
        ("ganzhou", formulation.LEVEL_BINARIES, True),  # one binary per level, supervisors
        ("ganzhou", 0, False),  # concave increments
        ("qingdao", formulation.LEVEL_BINARIES, True),  # county centres supervise
    ],
)
def test_shipped_scenarios_give_highs_the_same_model(
    monkeypatch: pytest.MonkeyPatch, scenario: str, level_binaries: int, exact: bool
) -> None:
    monkeypatch.setattr(formulation, "LEVEL_BINARIES", level_binaries)
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    assert build(sc, arrays=False).exact_levels == exact
    assert same_highs_model(sc) > 0


def test_increments_with_no_least_level_give_highs_the_same_model(monkeypatch):
    # least level 0: PuLP drops the station's term from min_workers and increments
    monkeypatch.setattr(formulation, "LEVEL_BINARIES", 0)
    sets = ["staffing.min_workers=0", "staffing.min_certified=0", "workforce.layoffs=true"]
    sc = load_scenario(ROOT / "scenarios" / "ganzhou.yaml", sets)
    assert same_highs_model(sc) > 0


@pytest.mark.slow
def test_a_province_gives_highs_the_same_model():
    sc = load_scenario(ROOT / "scenarios" / "henan_2025.yaml")  # 2,467 townships × 3 years
    assert same_highs_model(sc) > 40_000


def test_large_models_with_highs_are_built_from_arrays(tmp_path):
    sc = load_scenario(ROOT / "scenarios" / "ganzhou.yaml")  # 293 townships × 3 years
    assert len(sc.townships) * sc.horizon.years >= formulation.ARRAY_ROWS
    model = build(sc)
    assert model.arrays and len(model.prob.array_rows) > 0
    names = {row.name for row in model.prob.constraints()}
    assert "budget_2023" in names and not any(n.startswith("one_level_") for n in names)
    assert not build(sc.with_overrides({"solver.name": "cbc"})).arrays
    small = labour_market(tmp_path)
    assert not build(small).arrays  # 21 township-years: every row in PuLP


def test_array_rows_are_not_written_nor_solved_elsewhere(tmp_path):
    sc = labour_market(tmp_path)
    model = build(sc, arrays=True)
    with pytest.raises(ValueError, match="rows built from arrays"):
        model.prob.writeLP(str(tmp_path / "x.lp"))
    with warnings.catch_warnings():  # PuLP 3 deprecates its bundled CBC
        warnings.simplefilter("ignore", DeprecationWarning)
        cbc = pulp.PULP_CBC_CMD(msg=False)
    with pytest.raises(ValueError, match="rows built from arrays"):
        model.prob.solve(cbc)
    with pytest.raises(ValueError, match="need solver highs"):
        build(sc.with_overrides({"solver.name": "cbc"}), arrays=True)


@pytest.mark.parametrize("relax_and_fix", [False, True])
def test_the_plan_is_the_same_both_ways(
    monkeypatch: pytest.MonkeyPatch, tmp_path, relax_and_fix: bool
) -> None:
    # PuLP's own HiGHS interface (solve_once) and the session of relax and fix, with targets
    # met in order (hold rows added after the build); with relax and fix, the limits valued by
    # re-solves (sessions of the model and of models rebuilt with a limit raised)
    if relax_and_fix:
        monkeypatch.setattr(solve_module, "RELAX_AND_FIX", 0)
        monkeypatch.setattr(optimize_module, "RELAX_AND_FIX", 0)
    sc = labour_market(tmp_path)
    results = []
    for threshold in (10**9, 0):  # every row in PuLP, then the rows per township-year arrays
        monkeypatch.setattr(formulation, "ARRAY_ROWS", threshold)
        results.append(optimize(sc, estimate_gap=False, worth=relax_and_fix))
    plain, arrays = results
    stages = [s["stage"] for s in plain.solver.targets_in_order]
    assert stages == ["all targets at one weight", "coverage", "objective max_service"]
    assert plain.plan.equals(arrays.plan) and plain.hires.equals(arrays.hires)
    assert plain.solver.objective == arrays.solver.objective
    assert plain.solver.constraints == arrays.solver.constraints
    assert _without_seconds(plain.solver.targets_in_order) == _without_seconds(
        arrays.solver.targets_in_order
    )
    limits = ["year", "limit", "county", "used", "available", "binds"]
    assert plain.limits[limits].equals(arrays.limits[limits])


def _without_seconds(stages: list[dict]) -> list[dict]:
    return [{k: v for k, v in stage.items() if k != "seconds"} for stage in stages]
