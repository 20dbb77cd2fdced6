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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, require, say
from model.experiments.failures import attempt
from model.inputs.scenario import Scenario, value_at
from model.tasks import Executor, Failed
from model.vocabulary import progress_words

OUTPUTS = ("workers_needed", "served_share", "least_budget")


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
        base = value_at(sc, path)
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
        changes[path] = int(round(v)) if isinstance(value_at(sc, path), int) else float(v)
    return sc.with_overrides(changes)


def evaluate(sc: Scenario, outputs: tuple[str, ...]) -> dict[str, float | Failed]:
    """One task: the outputs for one set of parameter values; an output whose plan cannot be
    made at these values (no plan fits, the solver found none) is `Failed` with the reason
    (model.experiments.failures), the others are computed."""
    from model.optimizer.optimize import least_budget, optimize
    from model.workload import workload_table

    def served_share() -> float:
        plan = optimize(sc, objective="max_service", estimate_gap=False).plan
        return float(plan["served_hours"].sum() / max(plan["client_hours"].sum(), 1e-9))

    def least() -> float:
        gap = least_budget(sc).budget_gap
        assert gap is not None  # least_budget always attaches it
        return float(gap["least_cost_all_targets"].sum())

    out: dict[str, float | Failed] = {}
    if "workers_needed" in outputs:
        out["workers_needed"] = float(workload_table(sc)["workers_needed"].sum())
    if "served_share" in outputs:
        out["served_share"] = attempt(served_share)
    if "least_budget" in outputs:
        out["least_budget"] = attempt(least)
    return out


def _value(result: dict[str, float | Failed] | Failed, output: str) -> float | Failed:
    """An output of an evaluation, or why there is none (the output's, or the whole task's
    when its worker was lost)."""
    return result if isinstance(result, Failed) else result[output]


def _number(value: float | Failed) -> float:
    return float("nan") if isinstance(value, Failed) else float(value)


def one_at_a_time(
    sc: Scenario, outputs: tuple[str, ...], executor: Executor, progress: bool = True
) -> pd.DataFrame:
    """Tornado table: each parameter at low and high, the others at the scenario's values. An
    evaluation without a value (`evaluate`) leaves its cells empty, and the row says which
    (`failed`: base, low, high) and why (`reason`, in the scenario's report language)."""
    params = parameters(sc)
    scenarios = [sc] + [with_values(sc, {p: v}) for p, lo, hi, _ in params for v in (lo, hi)]
    results = executor.map(
        evaluate,
        [(s, outputs) for s in scenarios],
        desc=progress_words("one at a time", sc.report.language),
        progress=progress,
        keep_going=True,
    )
    base = results[0]
    rows = []
    for k, (p, lo, hi, value) in enumerate(params):
        at_low, at_high = results[1 + 2 * k], results[2 + 2 * k]
        for o in outputs:
            got = {"base": _value(base, o), "low": _value(at_low, o), "high": _value(at_high, o)}
            lost = {w: v for w, v in got.items() if isinstance(v, Failed)}
            b, a_low, a_high = (_number(got[w]) for w in ("base", "low", "high"))
            rows.append(
                {
                    "parameter": p,
                    "low": lo,
                    "base_value": value,
                    "high": hi,
                    "output": o,
                    "base": b,
                    "at_low": a_low,
                    "at_high": a_high,
                    "swing": abs(a_high - a_low),
                    "failed": ", ".join(lost),
                    "reason": say(next(iter(lost.values())).reason, sc.report.language)
                    if lost
                    else "",
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
    """Morris (mu*, sigma) or Sobol (S1, ST) indices per parameter and output, via SALib.

    A sample without a value of an output (`evaluate`) drops its whole trajectory (Morris) or
    base sample (Sobol) from that output's indices, which come from the rest (`samples`: the
    evaluations used, `failed_samples`: those without a value, `reason`: the first one's
    why); with fewer than two left, the indices are empty."""
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
        block = len(params) + 1  # a trajectory
    elif method == "sobol":
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample

        X = sample.sample(problem, samples, calc_second_order=False, seed=seed)
        block = len(params) + 2  # a base sample: A, the k mixed rows, B
    else:
        raise InputError("--method", None, Bi("morris or sobol", "morris 或 sobol"), method)
    scenarios = [with_values(sc, dict(zip(names, row))) for row in X]
    results = executor.map(
        evaluate,
        [(s, outputs) for s in scenarios],
        desc=f"{method} {progress_words('samples', sc.report.language)}",
        progress=progress,
        keep_going=True,
    )
    rows = []
    for o in outputs:
        got = [_value(r, o) for r in results]
        Y = np.array([_number(v) for v in got], float)
        lost = [v for v in got if isinstance(v, Failed)]
        whole = np.isfinite(Y).reshape(-1, block).all(axis=1).repeat(block)
        x, y = X[whole], Y[whole]
        extra = {
            "samples": len(y),
            "failed_samples": len(lost),
            "reason": say(lost[0].reason, sc.report.language) if lost else "",
        }
        enough = len(y) >= 2 * block
        if method == "morris":
            res = analyze.analyze(problem, x, y, num_levels=4, seed=seed) if enough else None
            for k, p in enumerate(names):
                rows.append(
                    {
                        "parameter": p,
                        "output": o,
                        **{
                            key: float(res[key][k]) if res is not None else float("nan")
                            for key in ("mu_star", "mu_star_conf", "mu", "sigma")
                        },
                        **extra,
                    }
                )
        else:
            res = (
                analyze.analyze(problem, y, calc_second_order=False, seed=seed) if enough else None
            )
            for k, p in enumerate(names):
                rows.append(
                    {
                        "parameter": p,
                        "output": o,
                        **{
                            key: float(res[key][k]) if res is not None else float("nan")
                            for key in ("S1", "S1_conf", "ST", "ST_conf")
                        },
                        **extra,
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
