"""Build model/inputs/data/county_seats.csv from the PyPI package cpca 0.5.5 (MIT licence).

    python tools/make_county_seats.py                  # runs `pip download cpca==0.5.5` itself
    python tools/make_county_seats.py --wheel FILE     # a downloaded cpca-0.5.5 wheel

cpca (chinese_province_city_area_mapper, by DQinYuan, MIT) ships `cpca/resources/adcodes.csv`:
an administrative code, a name and a longitude and latitude (degrees) for each province,
prefecture and county of about 2018. For every county-level code of divisions.csv (2023) the
shipped file gives one point, found in this order (column `match`):

- `code`: the same 6-digit code in cpca;
- `name`: a county of the same prefecture whose name, less a trailing 区/县/市 (repeated),
  is the same (a county renamed or recoded since, e.g. 赣县 → 赣县区);
- `prefecture`: neither found (development zones, new districts): the prefecture's point,
  an approximation a schematic map may use but should not be read as the county's place.

Only used to place counties as tiles by their relative positions (model/output/figures/maps.py),
never as boundaries or distances.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "cpca==0.5.5"
DATA = Path(__file__).resolve().parents[1] / "model" / "inputs" / "data"
OUT = DATA / "county_seats.csv"


def download(target: Path) -> Path:
    """`pip download` the wheel into `target`; returns its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(target), PACKAGE],
        check=True,
    )
    (wheel,) = target.glob("cpca-*.whl")
    return wheel


def read_points(wheel: Path) -> dict[str, tuple[str, float, float]]:
    """6-digit code -> (name, longitude, latitude) for every cpca row with a point."""
    with zipfile.ZipFile(wheel) as z:
        text = z.read("cpca/resources/adcodes.csv").decode("utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["adcode"]
        if code[6:] != "000000" or not row["longitude"] or not row["latitude"]:
            continue
        out[code[:6]] = (row["name"], float(row["longitude"]), float(row["latitude"]))
    return out


def stem(name: str) -> str:
    """A county's name less its trailing 区, 县 or 市 (repeated: 赣县区 -> 赣)."""
    while True:
        short = re.sub(r"(自治县|区|县|市)$", "", name)
        if short == name or not short:
            return name
        name = short


def rows_of(
    divisions: list[tuple[str, str]], points: dict[str, tuple[str, float, float]]
) -> list[tuple[str, str, float, float, str]]:
    """(code, name, longitude, latitude, match) for every county-level code of divisions.csv."""
    by_name = {(c[:4], stem(n)): c for c, (n, _, _) in points.items() if c[4:] != "00"}
    rows = []
    for code, name in divisions:
        if len(code) != 6:
            continue
        if code in points:
            hit, how = code, "code"
        elif (code[:4], stem(name)) in by_name:
            hit, how = by_name[(code[:4], stem(name))], "name"
        elif code[:4] + "00" in points:
            hit, how = code[:4] + "00", "prefecture"
        elif code[:2] + "0000" in points:
            hit, how = code[:2] + "0000", "province"
        else:
            continue
        _, lon, lat = points[hit]
        rows.append((code, name, lon, lat, how))
    return rows


def check(rows: list[tuple[str, str, float, float, str]]) -> None:
    """Stop unless every county of Ganzhou, Yanji's prefecture and Jiangshan has its own point."""
    for prefix, want in (("3607", 18), ("2224", 8), ("3308", 6)):
        got = [r for r in rows if r[0].startswith(prefix) and r[4] in ("code", "name")]
        if len(got) != want:
            raise SystemExit(f"{prefix}: {len(got)} counties with a point, expected {want}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded cpca-0.5.5 wheel")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with (DATA / "divisions.csv").open(encoding="utf-8", newline="") as f:
        divisions = [(r["code"], r["name"]) for r in csv.DictReader(f)]
    with tempfile.TemporaryDirectory() as tmp:
        points = read_points(args.wheel or download(Path(tmp)))
    rows = rows_of(divisions, points)
    check(rows)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "longitude", "latitude", "match"])
    writer.writerows(rows)
    args.output.write_text(buf.getvalue(), encoding="utf-8")
    counts = {k: sum(r[4] == k for r in rows) for k in ("code", "name", "prefecture", "province")}
    print(f"wrote {args.output}: {len(rows)} counties {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
