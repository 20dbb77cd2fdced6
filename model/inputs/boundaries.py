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

from model.errors import Bi, InputError, display_path

EXPECTED = Bi(
    "a GeoJSON FeatureCollection of township Polygon/MultiPolygon features with the township id"
    " in a property",
    "GeoJSON 要素集合（FeatureCollection），每个乡镇一个 Polygon/MultiPolygon 要素，"
    "属性中带乡镇编号",
)


def read_boundaries(
    path: Path, id_field: str = "township_id", where: str = "report.boundaries"
) -> dict[str, list]:
    """Outer rings per township id (lists of (x, y) arrays); bad files are InputErrors naming
    `where`."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            display_path(path),
            where,
            Bi("an existing GeoJSON file", "已存在的 GeoJSON 文件"),
            str(path),
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            display_path(path),
            where,
            EXPECTED,
            problem=Bi(f"not JSON: {exc}", f"不是有效的 JSON（报错 '{exc}'）"),
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InputError(
            display_path(path),
            where,
            EXPECTED,
            problem=Bi(
                "not a GeoJSON FeatureCollection", "不是 GeoJSON 要素集合（FeatureCollection）"
            ),
        )
    shapes: dict[str, list] = {}
    for k, feature in enumerate(data["features"]):
        props = (feature or {}).get("properties") or {}
        geom = (feature or {}).get("geometry") or {}
        if id_field not in props:
            raise InputError(
                display_path(path),
                Bi(f"{where} (feature {k + 1})", f"{where}（第 {k + 1} 个要素）"),
                Bi(
                    f"a property {id_field!r} with the township id (report.boundary_id)",
                    f"带乡镇编号的属性 {id_field!r}（report.boundary_id）",
                ),
                sorted(props),
            )
        kind, coords = geom.get("type"), geom.get("coordinates")
        polygons: list[Any] | None = (
            [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
        )
        if not polygons:
            raise InputError(
                display_path(path),
                Bi(f"{where} (feature {k + 1})", f"{where}（第 {k + 1} 个要素）"),
                Bi("a Polygon or MultiPolygon geometry", "Polygon 或 MultiPolygon 几何图形"),
                kind,
            )
        try:
            rings = [np.asarray(poly[0], dtype=float)[:, :2] for poly in polygons]
        except (IndexError, TypeError, ValueError):
            raise InputError(
                display_path(path),
                Bi(f"{where} (feature {k + 1})", f"{where}（第 {k + 1} 个要素）"),
                Bi("polygon rings of [x, y] positions", "由 [x, y] 坐标组成的多边形环"),
                problem=Bi("malformed coordinates", "坐标格式有误"),
            ) from None
        shapes.setdefault(str(props[id_field]), []).extend(rings)
    return shapes
