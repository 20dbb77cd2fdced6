"""Render docs/scenario-reference.md from the schema (`python -m model.reference > docs/...`).

The page lists every field with its meaning, unit, type, default and allowed range; a test
fails when the committed page differs from what this module renders.
"""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import MISSING
from typing import Any, Literal, cast, get_args, get_origin

from model.inputs.boundaries import GEOJSON_BYTES_MAX
from model.inputs.fields import is_optional, range_text, schema_fields
from model.inputs.files import EXTENDS_MAX, SCENARIO_BYTES_MAX, YAML_DEPTH_MAX
from model.inputs.scenario import UNCERTAIN_MAX
from model.inputs.schema import Settings

SCENARIO_MB = SCENARIO_BYTES_MAX // 1_000_000
GEOJSON_MB = GEOJSON_BYTES_MAX // 1_000_000

# a backslash at a line's end continues the line (the page text itself is unchanged)
INTRO = f"""# Scenario reference

<!-- Generated from model/inputs/schema.py by `make docs`; \
do not edit by hand (a test compares). -->

A scenario is one YAML file. `extends: other.yaml` inherits another file (paths relative to
the file that names them); mappings merge key by key and `key: null` removes an inherited
key. On the command line `--set path.to.key=value` overrides one value (the value is read as
YAML, so `--set budget.2024=5600` is a number and `--set objective=min_cost` is text); the
same key set twice to different values is an error. Every value is validated on load: a bad
value stops with exit code 2 and one message naming the file, the field and what was expected.
Numbers are finite (no `.inf` or `.nan`) and, where no upper bound is given below, at most
10^15 in size; an `extends` chain has at most {EXTENDS_MAX} files, and a file at most
{YAML_DEPTH_MAX} levels of nesting and {SCENARIO_MB} MB; `uncertainty` names at most
{UNCERTAIN_MAX} parameters, and a `report.boundaries` GeoJSON file is at most {GEOJSON_MB} MB.

Units: money in 10,000 yuan (万元); working time in hours; waits and lags in days; shares
from 0 to 1. `<year>` stands for a calendar year of the horizon, `<group>` for a recipient
group key, `<grade>` for a worker grade (`uncertified`, `junior`, `intermediate`; certified
= junior + intermediate).

`scenarios/base.yaml` holds these defaults and the standard recipient groups; the shipped
scenarios extend it.
"""


def _type(tp: Any) -> str:
    opt, tp = is_optional(tp)
    if dataclasses.is_dataclass(tp):
        text = "section"
    elif get_origin(tp) is Literal:
        text = " \\| ".join(f"`{a}`" for a in get_args(tp))
    elif get_origin(tp) is dict:
        text = "mapping"
    elif get_origin(tp) is list:
        text = "text or list of texts"
    else:
        text = {int: "integer", float: "number", str: "text", bool: "true/false"}.get(tp, str(tp))
    return text + (" or empty" if opt else "")


def _default(f: dataclasses.Field) -> str:
    if f.default is not MISSING:
        return "—" if f.default is None else (f"`{f.default}`" if f.default != "" else '`""`')
    if f.default_factory is not MISSING:
        value = f.default_factory()
        return "see below" if dataclasses.is_dataclass(value) else "none"
    return "**required**"


def _rows(cls: type, prefix: str) -> tuple[list[str], list[tuple[str, type]]]:
    rows, sections = [], []
    for f, tp in schema_fields(cls):
        meta = dict(f.metadata)
        path = f"{prefix}{f.name}"
        _, inner = is_optional(tp)
        if get_origin(inner) is dict:
            keys = [k.strip() for k in (meta.get("key") or "name").split(", then ")]
            path += "".join(f".<{k}>" for k in keys)
            value_tp = get_args(inner)[1]
            while get_origin(value_tp) is dict:
                value_tp = get_args(value_tp)[1]
            if dataclasses.is_dataclass(value_tp):
                sections.append((path + ".", cast(type, value_tp)))
                rows.append(_row(path, meta, "mapping of sections", _default(f), ""))
                continue
            rows.append(_row(path, meta, _type(value_tp), _default(f), range_text(meta).strip()))
        elif dataclasses.is_dataclass(inner):
            sections.append((path + ".", cast(type, inner)))
            rows.append(_row(path, meta, _type(tp), _default(f), ""))
        else:
            rows.append(_row(path, meta, _type(tp), _default(f), range_text(meta).strip()))
    return rows, sections


def _row(path: str, meta: dict, type_text: str, default: str, allowed: str) -> str:
    return (
        f"| `{path}` | {meta['doc']} | {meta.get('unit') or ''} | {type_text} | {default} "
        f"| {allowed} |"
    )


def render_reference() -> str:
    """The whole reference page as Markdown."""
    out = [INTRO]
    queue: list[tuple[str, type]] = [("", Settings)]
    while queue:
        prefix, cls = queue.pop(0)
        title = prefix.rstrip(".") or "top level"
        out.append(f"\n## `{title}`\n")
        out.append(inspect.cleandoc(cls.__doc__ or "") + "\n")
        out.append("| field | meaning | unit | type | default | allowed |")
        out.append("|---|---|---|---|---|---|")
        rows, sections = _rows(cls, prefix)
        out += rows
        queue += sections
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_reference())
