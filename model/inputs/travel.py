"""Travel times between townships, in minutes: from a CSV the user supplies, or synthetic.

    minutes = travel_minutes(sc)     # square DataFrame, township_id x township_id, or None

`region.travel` names a CSV in long form ``from,to,minutes`` (township ids of the township
table; headers 起点, 终点, 分钟 also read): a pair given in one direction only is the same both
ways; a township to itself is 0; a pair not given is completed by the shortest path over the
pairs given (scipy.sparse.csgraph), and a pair that no path joins is an error naming both
townships. A pair given twice in the same direction keeps the smaller time.

``region.travel: synthetic`` draws a matrix from a stated geometry (docs/method.md, "Travel
times and access"); every number in it is invented, and the run labels it so:

- each county's seat at its real longitude and latitude (model/inputs/data/county_seats.csv,
  from cpca 0.5.5, MIT) when every township id is an official 9-digit code whose first six
  digits name a county there; otherwise the counties on a square grid COUNTY_SPACING_KM apart
  (seeded jitter), around a nominal point;
- each township at a seeded random bearing and distance from its county's seat: uniform over a
  disc of the area of a typical county (COUNTY_AREA_KM2, radius sqrt(area / π)), the distance
  lengthened by the township's remoteness (× (1 + remoteness)); urban streets and relocation
  settlements within URBAN_RADIUS_SHARE of that radius (they sit in or by the seat town);
- minutes = great-circle km × DETOUR / speed × 60, at URBAN_KMH between two urban units and
  RURAL_KMH otherwise.

The random draws come from ``simulation.seed`` (the root seed of the run) on a stream of their
own, so the same scenario gives the same matrix and the resolved scenario a run writes
(``travel: synthetic``) gives it again.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, Verbatim, display_path
from model.inputs.files import is_regular_file

if TYPE_CHECKING:
    from model.inputs.scenario import Scenario

SYNTHETIC = "synthetic"
"""The word in region.travel that asks for a synthetic matrix."""

COUNTY_AREA_KM2 = 2200.0
"""Area of a typical county (km²), assumed: about Ganzhou's 39,379 km² over its 18 counties
(赣州市人民政府, 赣州概况, https://www.ganzhou.gov.cn, 2023); China's mean is larger (≈ 9.6 million
km² over ≈ 2,840 county-level units ≈ 3,400 km²) because western counties are vast."""

COUNTY_RADIUS_KM = math.sqrt(COUNTY_AREA_KM2 / math.pi)
"""Radius of a disc of COUNTY_AREA_KM2 (≈ 26.5 km)."""

URBAN_RADIUS_SHARE = 0.2
"""Urban streets and relocation settlements lie within this share of COUNTY_RADIUS_KM of the
seat (assumed: they are parts of the seat town)."""

COUNTY_SPACING_KM = 2 * COUNTY_RADIUS_KM
"""Distance between neighbouring county seats when the counties are laid out on a grid."""

DETOUR = 1.3
"""Road km per great-circle km (assumed; road network circuity is typically 1.2–1.4: Ballou,
Rahardja and Sakai 2002, "Selected country circuity factors for road travel distance
estimation", Transportation Research Part A 36(9): 843–848)."""

RURAL_KMH = 40.0
"""Door-to-door road speed between townships when either is rural (km/h; assumed: county and
township roads)."""

URBAN_KMH = 25.0
"""Door-to-door road speed between two urban units (streets, relocation settlements) (km/h;
assumed: town traffic)."""

NOMINAL_ORIGIN = (115.0, 28.0)
"""Longitude and latitude (degrees) of the grid's centre when the counties have no real seats:
a nominal point (only distances matter)."""

MAX_TOWNSHIPS = 20000
"""Most townships a full travel matrix is made for (20,000² minutes are 3.2 GB)."""

EARTH_RADIUS_KM = 6371.0
"""Mean Earth radius (IUGG)."""

TRAVEL_STREAM = 0x7472
"""Spawn key of the synthetic geometry's random stream under simulation.seed."""

HEADERS = {"from": ("from", "起点"), "to": ("to", "终点"), "minutes": ("minutes", "分钟")}
"""Accepted headers of the travel CSV's columns."""


def travel_minutes(sc: Scenario, locate: Any = None) -> pd.DataFrame | None:
    """Travel minutes between every two townships of `sc` (square, indexed and columned by
    township_id in the township table's order; 0 on the diagonal), or None when the scenario
    gives no region.travel. `locate`: where a settings path was written (for messages)."""
    given = sc.region.travel
    if given is None:
        return None
    ids = sc.townships["township_id"].astype(str).tolist()
    where = locate(("region", "travel")) if locate is not None else sc.source_label
    if len(ids) > MAX_TOWNSHIPS:
        raise InputError(
            where,
            "region.travel",
            "",
            problem=Bi(
                f"{len(ids):,} townships are too many for a full travel matrix (at most "
                f"{MAX_TOWNSHIPS:,}); choose a smaller region",
                f"{len(ids):,} 个乡镇过多，无法生成完整的通行时间矩阵"
                f"（最多 {MAX_TOWNSHIPS:,} 个）；请选择较小的地区",
            ),
        )
    if given == SYNTHETIC:
        return synthetic_minutes(sc.townships, sc.simulation.seed)
    path = Path(given)
    if not is_regular_file(path):
        raise InputError(
            where,
            "region.travel",
            Bi(
                "an existing CSV of from,to,minutes, or the word synthetic",
                "已存在的 from,to,minutes 通行时间 CSV 文件，或 synthetic",
            ),
            display_path(path),
        )
    return read_travel(path, ids)


def read_travel(path: Path, ids: list[str]) -> pd.DataFrame:
    """The travel CSV at `path` (from,to,minutes) as a full matrix over `ids` (module doc)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import shortest_path

    from model.inputs.townships import decode

    text = decode(path.read_bytes(), path)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            path, None, "", problem=Bi(f"cannot read the CSV: {exc}", f"无法读取该 CSV：{exc}")
        ) from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    columns = {}
    for field, names in HEADERS.items():
        found = next((c for c in raw.columns if c.lower() in names), None)
        if found is None:
            raise InputError(
                path,
                None,
                "",
                problem=Bi(
                    f"no column {field}: a travel table has the columns from, to, minutes "
                    "(township ids and minutes one way)",
                    f"缺少 {field}（{names[1]}）列：通行时间表应有 from（起点）、to（终点）、"
                    "minutes（分钟）三列（乡镇代码和单程分钟数）",
                ),
            )
        columns[field] = found
    frame = raw[[columns["from"], columns["to"], columns["minutes"]]].map(lambda v: v.strip())
    frame.columns = ["from", "to", "minutes"]
    if frame.empty:
        raise InputError(
            path, None, "", problem=Bi("the travel table has no rows", "通行时间表没有数据行")
        )
    index = {tid: k for k, tid in enumerate(ids)}

    def where(i: int, field: str) -> Bi:
        return Bi(f"row {i + 2}, column {field}", f"第 {i + 2} 行，{field} 列")

    for field in ("from", "to"):
        unknown = np.flatnonzero(~frame[field].isin(index).to_numpy())
        if len(unknown):
            i = int(unknown[0])
            value = frame[field].iloc[i]
            raise InputError(
                path,
                where(i, field),
                Bi("a township_id of the township table", "乡镇表中的乡镇代码（township_id）"),
                value if value else Verbatim("an empty cell", "空单元格"),
            )
    minutes = pd.to_numeric(frame["minutes"], errors="coerce")
    bad = np.flatnonzero((minutes.isna() | (minutes < 0) | ~np.isfinite(minutes)).to_numpy())
    if len(bad):
        i = int(bad[0])
        value = frame["minutes"].iloc[i]
        raise InputError(
            path,
            where(i, "minutes"),
            Bi("minutes of at least 0", "不小于 0 的分钟数"),
            value if value else Verbatim("an empty cell", "空单元格"),
        )
    n = len(ids)
    src = frame["from"].map(index).to_numpy()
    dst = frame["to"].map(index).to_numpy()
    given = np.full((n, n), np.inf)
    np.minimum.at(given, (src, dst), minutes.to_numpy(dtype=float))
    given = np.where(np.isinf(given), given.T, given)  # one direction given: the same back
    np.fill_diagonal(given, 0.0)
    if np.isinf(given).any():
        # zero minutes are edges too: stored as a tiny length (a sparse zero is no edge)
        rows, cols = np.nonzero(np.isfinite(given) & ~np.eye(n, dtype=bool))
        lengths = np.maximum(given[rows, cols], 1e-9)
        graph = csr_matrix((lengths, (rows, cols)), shape=(n, n))
        paths = shortest_path(graph, method="D", directed=True)
        paths[paths < 1e-6] = 0.0
        given = np.where(np.isinf(given), paths, given)
        np.fill_diagonal(given, 0.0)
        apart = np.argwhere(np.isinf(given))
        if len(apart):
            a, b = (ids[int(k)] for k in apart[0])
            raise InputError(
                path,
                None,
                "",
                problem=Bi(
                    f"no travel time between townships {a} and {b}: no row joins them, even "
                    f"through other townships ({len(apart):,} ordered pairs unreachable); add "
                    "a row from,to,minutes that links them",
                    f"乡镇 {a} 与 {b} 之间没有通行时间：没有任何行（包括经由其他乡镇）"
                    f"把它们连起来（共 {len(apart):,} 个有序乡镇对无法到达）；"
                    "请添加一行 from,to,minutes 连接它们",
                ),
            )
    return pd.DataFrame(given, index=pd.Index(ids, name="township_id"), columns=ids)


def county_positions(townships: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Longitude and latitude (degrees) of each county's seat, indexed by county in the order
    the table first names them; `real` says whether they are the real seats (module doc)."""
    from model.inputs.seats import county_seats

    ids = townships["township_id"].astype(str)
    counties = list(dict.fromkeys(townships["county"].astype(str)))
    seats = county_seats()
    code = ids.str[:6].groupby(townships["county"].astype(str)).first()
    official = bool(ids.str.fullmatch(r"\d{9}").all()) and bool(code.isin(seats.index).all())
    if official:
        found = seats.loc[code.loc[counties]]
        return pd.DataFrame(
            {
                "longitude": found["longitude"].to_numpy(dtype=float),
                "latitude": found["latitude"].to_numpy(dtype=float),
                "real": True,
            },
            index=pd.Index(counties, name="county"),
        )
    side = math.ceil(math.sqrt(len(counties)))
    k = np.arange(len(counties))
    jitter = rng.uniform(-0.25, 0.25, size=(len(counties), 2)) * COUNTY_SPACING_KM
    east = (k % side - (side - 1) / 2) * COUNTY_SPACING_KM + jitter[:, 0]
    north = (k // side - (side - 1) / 2) * COUNTY_SPACING_KM + jitter[:, 1]
    lon0, lat0 = NOMINAL_ORIGIN
    km_per_degree = math.pi * EARTH_RADIUS_KM / 180
    return pd.DataFrame(
        {
            "longitude": lon0 + east / (km_per_degree * math.cos(math.radians(lat0))),
            "latitude": lat0 + north / km_per_degree,
            "real": False,
        },
        index=pd.Index(counties, name="county"),
    )


def synthetic_places(townships: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each township's invented place: township_id, longitude, latitude (degrees) and its
    distance from its county's seat (km), drawn from `seed` (module doc)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(TRAVEL_STREAM,)))
    seats = county_positions(townships, rng)
    n = len(townships)
    u, bearing = rng.uniform(size=n), rng.uniform(0, 2 * math.pi, size=n)
    urban = townships["kind"].isin(("urban", "relocation")).to_numpy()
    remoteness = (
        townships["remoteness"].to_numpy(dtype=float) if "remoteness" in townships else np.zeros(n)
    )
    radius = np.where(urban, URBAN_RADIUS_SHARE, 1.0) * COUNTY_RADIUS_KM
    km = radius * np.sqrt(u) * (1 + remoteness)
    seat = seats.loc[townships["county"].astype(str)]
    lat0 = seat["latitude"].to_numpy(dtype=float)
    km_per_degree = math.pi * EARTH_RADIUS_KM / 180
    latitude = lat0 + km * np.cos(bearing) / km_per_degree
    longitude = seat["longitude"].to_numpy(dtype=float) + km * np.sin(bearing) / (
        km_per_degree * np.cos(np.radians(lat0))
    )
    return pd.DataFrame(
        {
            "township_id": townships["township_id"].astype(str).to_numpy(),
            "longitude": longitude,
            "latitude": latitude,
            "km_from_seat": km,
            "real_seats": seat["real"].to_numpy(dtype=bool),
        }
    )


def great_circle_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Great-circle distances (km) between every two points (degrees), by the haversine."""
    lam, phi = np.radians(lon), np.radians(lat)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def synthetic_minutes(townships: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The synthetic travel matrix (minutes) of a township table, drawn from `seed` (module
    doc): symmetric, 0 on the diagonal, SYNTHETIC in its attrs["source"]."""
    places = synthetic_places(townships, seed)
    km = great_circle_km(places["longitude"].to_numpy(), places["latitude"].to_numpy())
    urban = townships["kind"].isin(("urban", "relocation")).to_numpy()
    speed = np.where(urban[:, None] & urban[None, :], URBAN_KMH, RURAL_KMH)
    minutes = np.round(km * DETOUR / speed * 60, 1)
    np.fill_diagonal(minutes, 0.0)
    ids = places["township_id"].tolist()
    out = pd.DataFrame(minutes, index=pd.Index(ids, name="township_id"), columns=ids)
    out.attrs["source"] = SYNTHETIC
    return out


def travel_source(sc: Scenario) -> str:
    """Where the travel minutes came from, for the manifest ('' when there are none)."""
    given = sc.region.travel
    if given is None:
        return ""
    if given == SYNTHETIC:
        return (
            f"SYNTHETIC travel times: seed={sc.simulation.seed}, county area "
            f"{COUNTY_AREA_KM2:g} km², detour {DETOUR:g}, {RURAL_KMH:g} km/h rural, "
            f"{URBAN_KMH:g} km/h urban (assumed; docs/method.md, Travel times and access)"
        )
    return f"travel table: {display_path(given)}"
