"""`python -m benchmarks central [--workers 2] [--share 0.1] [--iterations 4]`: the whole country
with a central transfer (scenarios/national.yaml, each province's budget cut by `share` and the
money cut from all of them given back as one central transfer a year, 中央转移支付), planned by
price on a local Dask cluster (`model.optimizer.provinces.optimize_central`).

The split of the money is ASSUMED (a benchmark, not a published figure). Prints each price step
(its seconds from the start, the prices, the money drawn at them, the Lagrangian bound, the plan
and the gap) and the provinces that gain most from the transfer. Goal (issue 20): within 1% of
the Lagrangian bound in under 5 minutes.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from benchmarks import ROOT


def scenario_file(folder: Path, share: float, iterations: int, gap: float) -> Path:
    """national.yaml with every province's budget (万元/year) `share` lower and the money taken
    from them given as the central transfer of each year."""
    base = yaml.safe_load((ROOT / "scenarios" / "national.yaml").read_text(encoding="utf-8"))
    provinces = {}
    transfer: dict[int, float] = {}
    for name, p in base["provinces"].items():
        cut = {int(t): round(v * (1 - share), 1) for t, v in p["budget"].items()}
        provinces[name] = {"budget": cut}
        for t, v in p["budget"].items():
            transfer[int(t)] = transfer.get(int(t), 0.0) + v - cut[int(t)]
    data = {
        "name": "national_central",
        "extends": str(ROOT / "scenarios" / "national.yaml"),
        "provinces": provinces,
        "central": {
            "transfer": {t: round(v, 1) for t, v in transfer.items()},
            "iterations": iterations,
            "gap": gap,
        },
    }
    path = folder / "national_central.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def main(workers: int, share: float, iterations: int, gap: float, time_limit: float | None) -> None:
    from model import load_scenario
    from model.executor import open_executor
    from model.optimizer.provinces import optimize_central

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sc = load_scenario(scenario_file(Path(tmp), share, iterations, gap))
    print(
        f"scenario: national with {share:.0%} of every province's budget as a central transfer "
        f"({', '.join(f'{t}: {v:,.0f} 万元' for t, v in sc.central.transfer.items())}); "
        f"load {time.perf_counter() - t0:.1f} s"
    )
    with open_executor(None, workers=workers) as ex:
        t1 = time.perf_counter()
        result = optimize_central(sc, time_limit_s=time_limit, executor=ex, progress=False)
        wall = time.perf_counter() - t1
    steps = result.central
    assert steps is not None
    years = sorted(sc.central.transfer)
    print(f"\nwall {wall:.1f} s on {workers} workers; {result.solver.method}")
    print(f"best plan {result.solver.objective:,.2f}, gap {result.solver.gap:.3%}")
    head = " | ".join(f"price {t} | drawn {t}" for t in years)
    print(f"\n| step | s from start | {head} | bound | plan | best gap |")
    print("|---:|---:|" + "---:|" * (2 * len(years)) + "---:|---:|---:|")
    for r in steps.to_dict("records"):
        cells = " | ".join(f"{r[f'price_{t}']:.4f} | {r[f'drawn_{t}']:,.0f}" for t in years)
        print(
            f"| {r['step']} | {r['seconds']:.0f} | {cells} | {r['bound']:,.2f} | "
            f"{r['plan']:,.2f} | {r['gap']:.3%} |"
        )
    p = result.provinces
    assert p is not None
    cols = [f"transfer_{t}" for t in years]
    p = p.assign(transfer=p[cols].sum(axis=1)).sort_values("transfer", ascending=False)
    print("\n| province | transfer 万元 (all years) | status | gap |")
    print("|---|---:|---|---:|")
    for r in p.head(8).itertuples():
        print(f"| {r.province} | {r.transfer:,.0f} | {r.status} | {r.gap:.3%} |")
