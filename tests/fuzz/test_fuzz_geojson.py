"""Fuzzing GeoJSON boundaries (issue 21, `report.boundaries`): FeatureCollections of the mini
scenario's townships as Polygon and MultiPolygon features, then mutated (features, properties,
ids, geometries and coordinates of every type, NaN and infinities, huge numbers, deep nesting,
the JSON text cut or re-encoded), through `stationplan validate`.

Every file ends in exit 0 or exit 2 with one line naming it, never an internal error or a
traceback; a file that loads gives each township the shape written.
"""

from __future__ import annotations

import copy
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from conftest import FUZZ, MINI_TABLE, mini_scenario, obeys_exit_contract, stationplan
from hypothesis import example, given
from hypothesis import strategies as st

from model.inputs.boundaries import read_boundaries
from model.inputs.scenario import load_scenario

IDS = ("T1", "T2", "T3")
"""The mini table's township ids."""

COORDINATE = st.floats(-180, 180, allow_nan=False) | st.integers(-180, 180)


@st.composite
def ring(draw: st.DrawFn) -> list[list[float]]:
    points = draw(st.lists(st.tuples(COORDINATE, COORDINATE), min_size=3, max_size=6))
    return [list(p) for p in points]


@st.composite
def feature(draw: st.DrawFn, tid: str) -> dict:
    """A township's feature: a Polygon or a MultiPolygon (holes and a third coordinate allowed),
    its id text or, for a code of digits, a number."""
    if draw(st.booleans()):
        geometry = {
            "type": "Polygon",
            "coordinates": draw(st.lists(ring(), min_size=1, max_size=2)),
        }
    else:
        polygons = st.lists(st.lists(ring(), min_size=1, max_size=2), min_size=1, max_size=2)
        geometry = {"type": "MultiPolygon", "coordinates": draw(polygons)}
    return {"type": "Feature", "properties": {"township_id": tid}, "geometry": geometry}


@st.composite
def collections(draw: st.DrawFn) -> dict:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=4))
    return {"type": "FeatureCollection", "features": [draw(feature(tid)) for tid in ids]}


def nested(depth: int) -> Any:
    value: Any = [0, 0]
    for k in range(depth):
        value = [value] if k % 2 else {"a": value}
    return value


NASTY = st.one_of(
    st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            1e308,
            10**400,  # beyond every float
            -(10**20),
            True,
            None,
            "",
            "T1",
            "0",
            [],
            {},
            [1, 2],
            [[1, 2]],
            [[[1, 2], [3, 4]]],
            {"type": "Polygon"},
            {"type": "Polygon", "coordinates": None},
            {"type": "MultiPolygon", "coordinates": [[]]},
            {"type": "MultiPolygon", "coordinates": [[[]]]},
            {"type": "Point", "coordinates": [1, 2]},
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.integers(1, 300).map(nested),
)
"""Values a broken or hostile GeoJSON holds anywhere."""


def places(value: Any, path: tuple = ()) -> list[tuple]:
    """The path of every part of `value` (keys of mappings, indexes of lists) down to the depth
    of a feature's coordinates (not inside a deep value put there before)."""
    out = [path]
    if len(path) > 8:
        return out
    if isinstance(value, dict):
        for k, v in value.items():
            out += places(v, path + (k,))
    elif isinstance(value, list):
        for k, v in enumerate(value):
            out += places(v, path + (k,))
    return out


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = replaced(value[path[0]], path[1:], new)
    return value


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid collection with one to three parts replaced by nasty values, as JSON text
    (NaN and Infinity as Python writes them)."""
    data = draw(collections())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places(data)))
        data = replaced(data, path, copy.deepcopy(draw(NASTY)))  # not the shared constant
    return json.dumps(data, ensure_ascii=draw(st.booleans()))


class Folder:
    """A fresh folder with mini.yaml and mini.csv, whose report.boundaries is b.geojson."""

    def __enter__(self) -> Folder:
        self._tmp = tempfile.TemporaryDirectory()
        self.path = Path(self._tmp.name)
        self.yaml = self.path / "mini.yaml"
        self.geojson = self.path / "b.geojson"
        (self.path / "mini.csv").write_text(MINI_TABLE, encoding="utf-8")
        data = mini_scenario() | {"report": {"boundaries": "b.geojson"}}
        self.yaml.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()


def outer_rings(geometry: dict) -> list[list]:
    polygons = [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    return [[p[:2] for p in polygon[0]] for polygon in polygons]


@FUZZ
@given(data=collections())
def test_a_geojson_collection_loads_as_written(data):
    with Folder() as folder:
        folder.geojson.write_text(json.dumps(data), encoding="utf-8")
        load_scenario(folder.yaml)  # what validate does: the file checked against the table
        shapes = read_boundaries(folder.geojson)
        for tid in IDS:
            wanted = [
                r
                for f in data["features"]
                if f["properties"]["township_id"] == tid
                for r in outer_rings(f["geometry"])
            ]
            assert [ring.tolist() for ring in shapes.get(tid, [])] == wanted, tid


@FUZZ
@example(text='{"type": "FeatureCollection", "features": [' + "1" * 5000 + "]}")
@given(text=mutated())
def test_a_mutated_geojson_is_loaded_or_refused_in_one_line(text):
    with Folder() as folder:
        folder.geojson.write_text(text, encoding="utf-8")
        run = stationplan("validate", str(folder.yaml))
        obeys_exit_contract(run, "b.geojson", "mini.yaml")  # mini.yaml: no township matches


@FUZZ
@given(
    data=collections(),
    at=st.integers(0, 10**6),
    junk=st.binary(max_size=12),
    cut=st.integers(0, 12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
)
def test_geojson_bytes_mutated(data, at, junk, cut, encoding):
    raw = json.dumps(data, ensure_ascii=False).encode(encoding)
    at %= len(raw) + 1
    with Folder() as folder:
        folder.geojson.write_bytes(raw[:at] + junk + raw[at + cut :])
        obeys_exit_contract(stationplan("validate", str(folder.yaml)), "b.geojson", "mini.yaml")
