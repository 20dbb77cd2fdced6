"""Write scenarios/national.yaml: the whole country on its real township-level units, planned
province by province (`provinces`), each province with its own budget and target.

    python tools/make_national.py            # rewrite scenarios/national.yaml
    python tools/make_national.py --check    # exit 1 if the file is not what this writes

The units per province come from the shipped division codes (model/inputs/data/divisions.csv,
NBS 2023). Published: full coverage of townships by the end of 2025 (民政部, the 14th Five-Year
Plan for civil affairs: "乡镇（街道）社工站全覆盖"), about 78% coverage in January 2023
(docs/data.md). ASSUMED: every province's budget, a money per township-year that rises from
BUDGET_PER_TOWNSHIP's first to its last value (enough at base.yaml's costs for the stations in
post, with a margin for the rest), and the same target everywhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scenarios" / "national.yaml"
YEARS = (2023, 2024, 2025)
BUDGET_PER_TOWNSHIP = {2023: 15.0, 2024: 17.0, 2025: 19.0}
"""万元 per township-level unit and year at a wage index of 1 (ASSUMED): a station of 2.4 workers
costs about 4 running + 2.4 × 5 salary ≈ 16 万元 a year at base.yaml's costs, and 6 to open."""
MARGIN = 1.25
"""A province's budget is at least this times what its stations and workers in post cost a year
(running, and salaries of at least two workers a station at the grades in post): no province
starts unable to keep what it has."""
SEED, COVERAGE = 41, 0.78
"""The synthetic figures' seed and today's coverage (about 78% in January 2023, published)."""

HEADER = """\
# The whole country (全国) on its {units:,} real township-level units in {counties:,} county-level
# codes and 31 provinces (official 2023 division codes), planned province by province: each
# province is a model of its own with its budget and target, solved as one task on the executor
# (a local Dask cluster by default; --scheduler / STATIONPLAN_SCHEDULER for a cluster; docs/
# method.md "The whole country").
# Published: full coverage by the end of 2025 (民政部 "十四五"民政事业发展规划: 乡镇（街道）社工站
# 全覆盖); about 78% of units covered in January 2023 (docs/data.md); the census populations of
# every province (model/inputs/data/census_2020.csv).
# ASSUMED: each province's budget, {low:g}–{high:g} 万元 per township-level unit and year over
# 2023–2025 times its mean wage index (a station of 2.4 workers costs about 16 万元 a year at
# base.yaml's costs), and at least 1.25 times what its stations and workers in post cost; the
# same coverage target everywhere; base.yaml's costs; hiring pools as Henan's (henan_2025.yaml)
# and the 23.2万 certificates of 2023 spread evenly over the county-level codes. SYNTHETIC:
# every figure below the census level (docs/data.md "Real units").
# Written by tools/make_national.py; edit the tool, not this file.
"""


def render() -> str:
    """The scenario's text."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import yaml

    from model.inputs.divisions import select_divisions
    from model.inputs.synth import synthesize_units

    units = select_divisions(["全国"])
    units = units[units["unit_kind"] != "other"]
    table = synthesize_units(units, "province", seed=SEED, coverage=COVERAGE)
    costs = yaml.safe_load((ROOT / "scenarios" / "base.yaml").read_text(encoding="utf-8"))["costs"]
    pay = costs["salary"]
    staff = table["workers_certified"] + table["workers_uncertified"]
    salary = pay["junior"] * table["workers_certified"] + pay["uncertified"] * np.maximum(
        0, np.maximum(2, staff) - table["workers_certified"]
    )
    running = costs["station_running"]
    table["kept"] = table["has_station"] * (running + salary * table["wage_index"])
    g = table.groupby("province", sort=False)
    per = g.size()
    counties = units["county_code"].nunique()
    wage, kept = g["wage_index"].mean(), g["kept"].sum()

    def money(name: str, year: int) -> int:
        return round(max(per[name] * BUDGET_PER_TOWNSHIP[year] * wage[name], MARGIN * kept[name]))

    lines = [
        HEADER.format(
            units=len(units),
            counties=units["county_code"].nunique(),
            low=min(BUDGET_PER_TOWNSHIP.values()),
            high=max(BUDGET_PER_TOWNSHIP.values()),
        ),
        "name: national",
        "title: 全国乡镇（街道）社工站分省规划",
        "description: >-",
        "  全国 31 个省份的真实乡镇（街道）：各省按自己的预算和目标分别规划，"
        "到 2025 年乡镇（街道）社工站全覆盖。",
        "extends: base.yaml",
        "region:",
        '  divisions: "全国"',
        f"  synthetic: {{profile: province, seed: {SEED}, coverage: {COVERAGE}}}",
        f"horizon: {{start: {YEARS[0]}, years: {len(YEARS)}}}",
        "budget:                      # the country's total: the provinces' sum",
    ]
    for y in YEARS:
        total = sum(money(name, y) for name in per.index)
        lines.append(f"  {y}: {total}")
    lines += [
        "workforce:",
        "  hiring_pool_per_county: 60    # ASSUMED, as henan_2025.yaml: hires a year per county",
        f"  certified_pool_per_county: {round(232_000 / counties)}  # the 23.2万 new certificates "
        f"of 2023 over the {counties:,} county-level codes",
        "targets:",
        "  coverage: {2025: 1.0}      # published national target, measured on the whole plan",
        "provinces:                   # units: township-level units of the province",
    ]
    for name, n in per.items():
        amounts = ", ".join(f"{y}: {money(name, y)}" for y in YEARS)
        lines += [
            f"  {name}:  # {n:,} units, mean wage index {wage[name]:.3f}",
            f"    budget: {{{amounts}}}",
            "    targets: {coverage: {2025: 1.0}}",
        ]
    lines += ["solver:", "  gap: 0.005", "  time_limit_s: 120", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    args = p.parse_args(argv)
    text = render()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("scenarios/national.yaml is " + ("up to date" if same else "out of date"))
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
