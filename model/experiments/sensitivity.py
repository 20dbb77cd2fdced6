"""Sensitivity of the staffing need, the service and the least budget to what we assumed.

The scenario's `uncertainty:` section gives a range per parameter (a dotted path to a number
of the scenario: `groups.dibao.case_rate: {low: 0.03, high: 0.06}`). Outputs, over the horizon:

- workers_needed: workers the whole region needs by the WISN workload, every township with a
  station (last year's population), no optimization;
- served_share: client hours the max_service plan serves / client hours needed;
- least_budget: the least spend over the horizon that meets every target (万元; min_cost).

Methods: one-at-a-time (each parameter at its low and high value, the others at the
scenario's: a tornado), and a global method through SALib — Morris elementary effects
(Morris 1991, with the trajectories of Campolongo et al. 2007) or Sobol indices (Saltelli
2002; Jansen estimators in SALib). Every sample is a task; samples are drawn from the
scenario's `simulation.seed`, so the same scenario gives the same samples anywhere.

    result = sensitivity(sc, ("workers_needed",), executor, method="morris", samples=10)
    result.one_at_a_time      # tornado table;  result.indices: Morris or Sobol indices
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, require
from model.inputs.scenario import Scenario
from model.tasks import Executor
from model.vocabulary import progress_words

OUTPUTS = ("workers_needed", "served_share", "least_budget")


def _value_at(sc: Scenario, path: str) -> Any:
    node: Any = sc
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif dataclasses.is_dataclass(node) and part in {f.name for f in dataclasses.fields(node)}:
            node = getattr(node, part)
        else:
            return None
    return node


def parameters(sc: Scenario) -> list[tuple[str, float, float, float]]:
    """(path, low, high, base value) of each uncertain parameter; bad entries are InputErrors."""
    if not sc.uncertainty:
        raise InputError(
            sc.source_label,
            "uncertainty",
            Bi(
                "a section naming at least one parameter with its range, "
                "e.g. uncertainty: {groups.dibao.case_rate: {low: 0.03, high: 0.06}}",
                "至少列出一个参数及其取值范围，"
                "如 uncertainty: {groups.dibao.case_rate: {low: 0.03, high: 0.06}}",
            ),
            None,
        )
    out = []
    for path, rng in sc.uncertainty.items():
        base = _value_at(sc, path)
        if isinstance(base, bool) or not isinstance(base, (int, float)):
            raise InputError(
                sc.source_label,
                f"uncertainty.{path}",
                Bi(
                    "a path to a number of the scenario, such as "
                    "groups.dibao.case_rate or workforce.attrition",
                    "情景中某个数值的路径，如 groups.dibao.case_rate 或 workforce.attrition",
                ),
                path,
            )
        if not rng.low < rng.high:
            raise InputError(
                sc.source_label,
                f"uncertainty.{path}",
                Bi("low below high", "low 小于 high"),
                f"{rng.low} .. {rng.high}",
            )
        out.append((str(path), float(rng.low), float(rng.high), float(base)))
    return out


def with_values(sc: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with parameters set (validated like --set; integers rounded)."""
    changes: dict[str, float | int] = {}
    for path, v in values.items():
        changes[path] = int(round(v)) if isinstance(_value_at(sc, path), int) else float(v)
    return sc.with_overrides(changes)


def evaluate(sc: Scenario, outputs: tuple[str, ...]) -> dict[str, float]:
    """One task: the outputs for one set of parameter values."""
    from model.optimizer.optimize import least_budget, optimize
    from model.workload import workload_table

    out: dict[str, float] = {}
    if "workers_needed" in outputs:
        out["workers_needed"] = float(workload_table(sc)["workers_needed"].sum())
    if "served_share" in outputs:
        plan = optimize(sc, objective="max_service", estimate_gap=False).plan
        out["served_share"] = float(
            plan["served_hours"].sum() / max(plan["client_hours"].sum(), 1e-9)
        )
    if "least_budget" in outputs:
        gap = least_budget(sc).budget_gap
        assert gap is not None  # least_budget always attaches it
        out["least_budget"] = float(gap["least_cost_all_targets"].sum())
    return out


def one_at_a_time(
    sc: Scenario, outputs: tuple[str, ...], executor: Executor, progress: bool = True
) -> pd.DataFrame:
    """Tornado table: each parameter at low and high, the others at the scenario's values."""
    params = parameters(sc)
    scenarios = [sc] + [with_values(sc, {p: v}) for p, lo, hi, _ in params for v in (lo, hi)]
    results = executor.map(
        evaluate,
        [(s, outputs) for s in scenarios],
        desc=progress_words("one at a time", sc.report.language),
        progress=progress,
    )
    base = results[0]
    rows = []
    for k, (p, lo, hi, value) in enumerate(params):
        at_low, at_high = results[1 + 2 * k], results[2 + 2 * k]
        for o in outputs:
            rows.append(
                {
                    "parameter": p,
                    "low": lo,
                    "base_value": value,
                    "high": hi,
                    "output": o,
                    "base": base[o],
                    "at_low": at_low[o],
                    "at_high": at_high[o],
                    "swing": abs(at_high[o] - at_low[o]),
                }
            )
    return (
        pd.DataFrame(rows)
        .sort_values(["output", "swing"], ascending=[True, False])
        .reset_index(drop=True)
    )


def global_method(
    sc: Scenario,
    outputs: tuple[str, ...],
    executor: Executor,
    method: str = "morris",
    samples: int = 10,
    progress: bool = True,
) -> pd.DataFrame:
    """Morris (mu*, sigma) or Sobol (S1, ST) indices per parameter and output, via SALib."""
    params = parameters(sc)
    names = [p for p, *_ in params]
    problem = {
        "num_vars": len(params),
        "names": names,
        "bounds": [[lo, hi] for _, lo, hi, _ in params],
    }
    seed = int(sc.simulation.seed)
    require("SALib", "sensitivity", Bi(f"The {method} method", f"{method} 方法"))
    if method == "morris":
        from SALib.analyze import morris as analyze
        from SALib.sample import morris as sample

        X = sample.sample(problem, samples, num_levels=4, seed=seed)
    elif method == "sobol":
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample

        X = sample.sample(problem, samples, calc_second_order=False, seed=seed)
    else:
        raise InputError("--method", None, Bi("morris or sobol", "morris 或 sobol"), method)
    scenarios = [with_values(sc, dict(zip(names, row))) for row in X]
    results = executor.map(
        evaluate,
        [(s, outputs) for s in scenarios],
        desc=f"{method} {progress_words('samples', sc.report.language)}",
        progress=progress,
    )
    rows = []
    for o in outputs:
        Y = np.array([r[o] for r in results], float)
        if method == "morris":
            res = analyze.analyze(problem, X, Y, num_levels=4, seed=seed)
            for k, p in enumerate(names):
                rows.append(
                    {
                        "parameter": p,
                        "output": o,
                        "mu_star": float(res["mu_star"][k]),
                        "mu_star_conf": float(res["mu_star_conf"][k]),
                        "mu": float(res["mu"][k]),
                        "sigma": float(res["sigma"][k]),
                        "samples": len(Y),
                    }
                )
        else:
            res = analyze.analyze(problem, Y, calc_second_order=False, seed=seed)
            for k, p in enumerate(names):
                rows.append(
                    {
                        "parameter": p,
                        "output": o,
                        "S1": float(res["S1"][k]),
                        "S1_conf": float(res["S1_conf"][k]),
                        "ST": float(res["ST"][k]),
                        "ST_conf": float(res["ST_conf"][k]),
                        "samples": len(Y),
                    }
                )
    return pd.DataFrame(rows)


@dataclass
class SensitivityResult:
    """Both methods' tables for the scenario's uncertain parameters.

    `parameters`: (path, low, high, base value) of each; `one_at_a_time`: the tornado table;
    `indices`: the `method`'s indices (Morris mu*, sigma or Sobol S1, ST) from `samples` samples.
    """

    outputs: tuple[str, ...]
    parameters: list[tuple[str, float, float, float]]
    one_at_a_time: pd.DataFrame
    method: str
    samples: int
    indices: pd.DataFrame


def sensitivity(
    sc: Scenario,
    outputs: tuple[str, ...],
    executor: Executor,
    method: str = "morris",
    samples: int = 10,
    progress: bool = True,
) -> SensitivityResult:
    """One-at-a-time and the global `method` (morris or sobol) over the scenario's uncertainty.

    `outputs`: some of OUTPUTS; `samples`: Morris trajectories or Sobol base samples (≥ 2).
    """
    params = parameters(sc)
    oat = one_at_a_time(sc, outputs, executor, progress=progress)
    indices = global_method(
        sc, outputs, executor, method=method, samples=samples, progress=progress
    )
    return SensitivityResult(tuple(outputs), params, oat, method, samples, indices)
