"""The HiGHS session behind relax and fix (model.optimizer.highs.HighsSession) and relax and
fix's tries (model.optimizer.solve._tries), on Ganzhou at 80% of its budget: a model whose
relaxation binds the budget and whose MILP HiGHS cannot finish in seconds."""

from __future__ import annotations

import numpy as np
import pulp
import pytest

from model import load_scenario, shipped_scenario
from model.optimizer.formulation import build, set_objective
from model.optimizer.highs import HighsSession, solve_once
from model.optimizer.inputs import Inputs
from model.optimizer.solve import (
    _fixed_mip,
    _fractional,
    _freed,
    _township_of_columns,
    _tries,
    relative_shortfall,
    target_stages,
    within_gap,
)


@pytest.fixture(scope="module")
def tight():
    sc = load_scenario(shipped_scenario("ganzhou"))
    sc = sc.with_overrides({f"budget.{y}": round(0.8 * v, 3) for y, v in sc.budget.items()})
    model = build(sc, Inputs.from_scenario(sc))
    rows = [r for _, stage in target_stages(model, sc) for r in stage]
    set_objective(model, sc, relative_shortfall(model, rows))
    return sc, model


def test_a_relaxation_after_long_mips_gets_its_own_time(tight):
    # HiGHS times a MIP from the start of its run but an LP by the clock of all runs: a limit
    # passed as is would stop the relaxation at once after more MIP time than its limit
    sc, model = tight
    session = HighsSession(model.prob, sc)
    first = session.mip(3.0)
    assert first["status"] == "Time limit reached"  # it ran its 3 s
    again = session.relax(2.0)
    assert again["status"] == "Optimal"


def test_lower_budgets_hold_for_one_relaxation_only(tight):
    sc, model = tight
    session = HighsSession(model.prob, sc)
    base = session.relax(30.0)
    budgets = {r: float(session.row_hi[r]) for n, r in session.row_of.items() if "budget_" in n}
    assert len(budgets) == len(sc.years)
    lower = session.relax(30.0, row_upper={r: 0.97 * hi for r, hi in budgets.items()})
    assert lower["status"] == "Optimal" and lower["objective"] < base["objective"]
    x = np.asarray(lower["x"])
    name = {r: n for n, r in session.row_of.items()}
    for r, hi in budgets.items():  # every year's spend within the lower budget
        row = model.prob.get_constraint_by_name(name[r])
        spent = sum(coef * x[var.index] for var, coef in row.items())
        assert spent <= 0.97 * hi + 1e-6
    assert session.relax(30.0)["objective"] == pytest.approx(base["objective"], rel=1e-9)


@pytest.mark.slow
def test_the_plan_at_hand_improved_where_the_relaxation_differs_is_no_worse(tight):
    # RINS: the plan at hand fits the fixed values, so the MILP starts from it
    sc, model = tight
    session = HighsSession(model.prob, sc)
    lp = session.relax(30.0)
    x = lp["x"]
    town = _township_of_columns(model, session.n)
    county = np.where(town >= 0, model.inp.county[np.maximum(town, 0)], -1)
    # a plan at hand: the townships' MILP from a relaxation with budgets 3% lower
    budgets = {r: float(session.row_hi[r]) for n, r in session.row_of.items() if "budget_" in n}
    low = session.relax(30.0, row_upper={r: 0.97 * hi for r, hi in budgets.items()})["x"]
    free = _freed(session, town, _fractional(session, low))
    rough = within_gap(lp["objective"], 0.05, maximise=True)  # any plan within 5% will do
    plan = _fixed_mip(session, low, free, {}, 30.0, sc, target=rough, start=None)
    assert plan["feasible"]
    tries = list(_tries(session, lp, town, county, lambda: 60.0, lambda: plan["x"]))
    names = [t[0] for t in tries]
    # the relaxation spends the budget: the lower budgets first
    assert names[:2] == ["relaxation", "free the townships, budgets lower"]
    assert names[2] == "free the townships of fractional values"
    assert names[3] == "free the townships where the relaxation and the plan differ"
    assert names[-1] == "free their counties"
    _, fix_from, free, start = tries[3]
    assert start == plan["x"] and fix_from == plan["x"]
    ints = session.integer
    differ = set(ints[np.abs(np.asarray(x)[ints] - np.asarray(plan["x"])[ints]) > 1e-6].tolist())
    assert differ <= free
    better = _fixed_mip(session, fix_from, free, {}, 5.0, sc, target=np.inf, start=start)
    assert better["feasible"]
    assert better["objective"] >= plan["objective"] - 1e-6 * abs(plan["objective"])


@pytest.mark.parametrize("sense", [pulp.LpMaximize, pulp.LpMinimize])
def test_a_solves_bound_counts_the_objectives_constant(sense):
    # a region with a station that must stay open has a constant in its objective
    sc = load_scenario(shipped_scenario("yanji"))
    prob = pulp.LpProblem("constant", sense)
    x = prob.add_variable("x", 0, 3, cat=pulp.LpInteger)
    y = prob.add_variable("y", 0, 3, cat=pulp.LpInteger)
    prob += 2 * x + 3 * y + 100
    prob += (x + y <= 4.5) if sense == pulp.LpMaximize else (x + y >= 1.5)
    info = solve_once(prob, sc, 10.0)
    best = 111.0 if sense == pulp.LpMaximize else 104.0  # x, y = 1, 3 or 2, 0
    assert info["objective"] == pytest.approx(best)
    assert info["best_bound"] == pytest.approx(best)
