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

from model.errors import InputError, display_path

EXPECTED = (
    "a GeoJSON FeatureCollection of township Polygon/MultiPolygon features with the township id"
    " in a property"
)


def read_boundaries(
    path: Path, id_field: str = "township_id", where: str = "report.boundaries"
) -> dict[str, list]:
    """Outer rings per township id (lists of (x, y) arrays); bad files are InputErrors naming
    `where`."""
    path = Path(path)
    if not path.exists():
        raise InputError(display_path(path), where, "an existing GeoJSON file", str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(display_path(path), where, EXPECTED, problem=f"not JSON: {exc}") from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise InputError(
            display_path(path), where, EXPECTED, problem="not a GeoJSON FeatureCollection"
        )
    shapes: dict[str, list] = {}
    for k, feature in enumerate(data["features"]):
        props = (feature or {}).get("properties") or {}
        geom = (feature or {}).get("geometry") or {}
        if id_field not in props:
            raise InputError(
                display_path(path),
                f"{where} (feature {k + 1})",
                f"a property {id_field!r} with the township id (report.boundary_id)",
                sorted(props),
            )
        kind, coords = geom.get("type"), geom.get("coordinates")
        polygons: list[Any] | None = (
            [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else None
        )
        if not polygons:
            raise InputError(
                display_path(path),
                f"{where} (feature {k + 1})",
                "a Polygon or MultiPolygon geometry",
                kind,
            )
        try:
            rings = [np.asarray(poly[0], dtype=float)[:, :2] for poly in polygons]
        except (IndexError, TypeError, ValueError):
            raise InputError(
                display_path(path),
                f"{where} (feature {k + 1})",
                "polygon rings of [x, y] positions",
                problem="malformed coordinates",
            ) from None
        shapes.setdefault(str(props[id_field]), []).extend(rings)
    return shapes
