"""Township boundaries from a user's GeoJSON, for maps with real shapes (`report.boundaries`).

    shapes = read_boundaries(Path("data/my_county.geojson"), id_field="township_id")
    # {"T001": [array of (lon, lat) for each outer ring], ...}

A FeatureCollection of Polygon or MultiPolygon features, each with the township's id in the
property `id_field`; holes are ignored (a station map needs the outline). Plain JSON and
matplotlib draw it, so no GIS library is needed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from model.errors import Bi, InputError, Verbatim, display_path
from model.inputs.files import is_regular_file

EXPECTED = Bi(
    "a GeoJSON FeatureCollection of township Polygon/MultiPolygon features with the township id"
    " in a property",
    "GeoJSON 要素集合（FeatureCollection），每个乡镇一个 Polygon/MultiPolygon 要素，"
    "属性中带乡镇编号",
)


COORDINATE_MAX = 1e9
"""The largest size of a coordinate: longitudes and latitudes are in degrees, projected
coordinates in metres (at most about 2·10^7 on Earth); larger ones cannot be a map's."""


GEOJSON_BYTES_MAX = 200_000_000
"""Largest boundary file read (bytes). Python holds a parsed GeoJSON in about ten times its size
in memory; the report draws township outlines, for which boundaries simplified to a few hundred
points a township (mapshaper's -simplify) are a few megabytes for a province."""


def read_boundaries(
    path: Path, id_field: str = "township_id", where: str = "report.boundaries"
) -> dict[str, list]:
    """Outer rings per township id (lists of (x, y) arrays); bad files are InputErrors naming
    `where` and the feature (counted from 1)."""
    path = Path(path)
    source = display_path(path)
    if not is_regular_file(path):
        raise InputError(
            source, where, Bi("an existing GeoJSON file", "已存在的 GeoJSON 文件"), str(path)
        )
    size = path.stat().st_size
    if size > GEOJSON_BYTES_MAX:
        raise InputError(
            source,
            where,
            Bi(
                f"a GeoJSON file of at most {GEOJSON_BYTES_MAX // 1_000_000} MB: simplify the "
                "outlines (e.g. mapshaper -simplify 10%) — the report draws them small",
                f"不超过 {GEOJSON_BYTES_MAX // 1_000_000} MB 的 GeoJSON 文件：请先简化边界"
                "（如 mapshaper -simplify 10%），报告中的地图不需要精细边界",
            ),
            Verbatim(f"{size / 1_000_000:,.0f} MB"),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as exc:  # not UTF-8, not JSON, a number of more than 4,300 digits
        raise InputError(
            source,
            where,
            EXPECTED,
            problem=Bi(f"not JSON: {exc}", f"不是有效的 JSON（报错 '{exc}'）"),
        ) from None
    except RecursionError:
        raise InputError(
            source,
            where,
            EXPECTED,
            problem=Bi(
                "nested too deeply to be GeoJSON (a FeatureCollection needs about eight levels)",
                "嵌套层数过多，不是 GeoJSON（要素集合只需约八层）",
            ),
        ) from None
    except OSError as exc:
        raise InputError(
            source,
            where,
            EXPECTED,
            problem=Bi(
                f"cannot read the file ({exc.strerror})", f"无法读取该文件（报错 '{exc.strerror}'）"
            ),
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InputError(
            source,
            where,
            EXPECTED,
            problem=Bi(
                "not a GeoJSON FeatureCollection", "不是 GeoJSON 要素集合（FeatureCollection）"
            ),
        )
    shapes: dict[str, list] = {}
    for k, feature in enumerate(data["features"]):
        tid, rings = _feature(feature, id_field, source, where + _nth(k))
        shapes.setdefault(tid, []).extend(rings)
    return shapes


def _nth(k: int) -> Bi:
    """The feature's place in the file, counted from 1: " (feature 3)"."""
    return Bi(f" (feature {k + 1})", f"（第 {k + 1} 个要素）")


def _feature(feature: Any, id_field: str, source: str, where: str) -> tuple[str, list]:
    """The township id and outer rings of one feature, each part checked."""

    def fail(expected: Bi, got: Any) -> InputError:
        return InputError(source, where, expected, got)

    if not isinstance(feature, dict):
        raise fail(
            Bi(
                "a Feature: a mapping with properties and geometry",
                "要素（Feature）：含 properties 和 geometry 的映射",
            ),
            feature,
        )
    props = feature.get("properties")
    if props is None:
        props = {}
    if not isinstance(props, dict):
        raise fail(
            Bi(
                "properties as a mapping of names to values",
                "映射形式的 properties（属性名: 值）",
            ),
            props,
        )
    if id_field not in props:
        raise fail(
            Bi(
                f"a property {id_field!r} with the township id (report.boundary_id)",
                f"带乡镇编号的属性 {id_field!r}（report.boundary_id）",
            ),
            sorted(props),
        )
    tid = props[id_field]
    if isinstance(tid, float) and tid.is_integer():
        tid = int(tid)  # 360703208.0 is the code 360703208
    if isinstance(tid, bool) or not isinstance(tid, (str, int)) or str(tid) == "":
        raise InputError(
            source,
            where + Bi(f", property {id_field}", f"，属性 {id_field}"),
            Bi("the township id as text or a whole number", "乡镇编号（文字或整数）"),
            tid,
        )
    geom = feature.get("geometry")
    kind = geom.get("type") if isinstance(geom, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        raise fail(
            Bi("a Polygon or MultiPolygon geometry", "Polygon 或 MultiPolygon 几何图形"),
            kind if isinstance(geom, dict) else geom,
        )
    coords = geom.get("coordinates")  # type: ignore[union-attr]
    if kind == "MultiPolygon" and (not isinstance(coords, list) or not coords):
        raise fail(
            Bi(
                "MultiPolygon coordinates: a list of polygons, each a list of rings",
                "MultiPolygon 坐标：多边形的列表，每个多边形是环的列表",
            ),
            Verbatim(_shown(coords)),
        )
    polygons = [coords] if kind == "Polygon" else coords
    return str(tid), [_ring(poly, source, where) for poly in polygons]


def _ring(polygon: Any, source: str, where: str) -> np.ndarray:
    """The outer ring of a polygon (its first ring) as an array of (x, y): at least three
    positions of finite numbers no larger than COORDINATE_MAX."""
    ring = polygon[0] if isinstance(polygon, list) and polygon else None
    if not isinstance(ring, list) or len(ring) < 3:
        raise InputError(
            source,
            where,
            Bi(
                "polygon rings of at least three [x, y] positions",
                "多边形环，至少由三个 [x, y] 坐标组成",
            ),
            Verbatim(_shown(polygon)),
        )
    for pos in ring:
        if not (
            isinstance(pos, list)
            and len(pos) >= 2
            and all(
                isinstance(v, (int, float))
                and not isinstance(v, bool)
                and abs(v) <= COORDINATE_MAX  # False for NaN and ±infinity
                for v in pos[:2]
            )
        ):
            raise InputError(
                source,
                where,
                Bi(
                    "positions [x, y] of finite numbers of at most 10^9 in size (longitude and "
                    "latitude in degrees, or metres)",
                    "由有限数值组成、绝对值不超过 10^9 的坐标 [x, y]（经纬度或米）",
                ),
                Verbatim(_shown(pos)),
            )
    return np.asarray([pos[:2] for pos in ring], dtype=float)


def _shown(value: Any) -> str:
    """A part of the file as JSON for a message, cut after 60 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        return "…"
    return text if len(text) <= 60 else text[:57] + "..."
