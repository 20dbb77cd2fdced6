"""Regenerate the table of docs/replication.md: every shipped scenario planned and simulated,
each published figure beside the model's (`make replication`).

    python tools/make_replication.py            # rewrite the table between the markers
    python tools/make_replication.py --check    # exit 1 if the table is not what the model gives

The table sits between `<!-- replication:start -->` and `<!-- replication:end -->`; the prose
around it is written by hand. Same code and seeds, same table (tests/output/test_replication.py
recomputes the rows of the small scenarios and compares them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "replication.md"
SCENARIOS = ("ganzhou", "yanji", "jiangshan", "henan_2025")
REPLICATIONS = 3
START, END = "<!-- replication:start -->", "<!-- replication:end -->"


def scenario_rows(name: str, processes: int = 1) -> pd.DataFrame:
    """The replication rows of one shipped scenario, as the docs show them."""
    from model.inputs.scenario import load_scenario
    from model.output.replication import replicate

    sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    return replicate(sc, REPLICATIONS, processes, progress=False)


def render(tables: list[pd.DataFrame]) -> str:
    from model.output.replication import replication_markdown

    table = pd.concat(tables, ignore_index=True)
    ok = int(table["in_band"].sum())
    head = (
        f"{ok} of {len(table)} comparisons within their band; {REPLICATIONS} replications per "
        f"scenario, each scenario's seed (`python tools/make_replication.py`).\n\n"
    )
    return head + replication_markdown(table)


def table_in_doc(text: str) -> str:
    """The generated part of docs/replication.md."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare instead of writing")
    p.add_argument("--processes", type=int, default=2, help="local processes per simulation")
    args = p.parse_args(argv)
    body = render([scenario_rows(n, args.processes) for n in SCENARIOS])
    text = DOC.read_text(encoding="utf-8")
    if args.check:
        same = table_in_doc(text) == body
        print("docs/replication.md is up to date" if same else "docs/replication.md differs")
        return 0 if same else 1
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{body}{END}{after}", encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
