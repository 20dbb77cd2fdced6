"""Typed fields: the metadata of a schema field (`spec`) and the conversion of raw YAML data to
typed sections (`build`, `convert`), with one InputError naming the field on any bad value.

The sections themselves are in :mod:`model.inputs.schema`; this module knows nothing of them.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import types
from collections.abc import Callable
from dataclasses import MISSING, field
from typing import Any, Literal, Union, cast, get_args, get_origin, get_type_hints

from model.errors import Bi, InputError
from model.vocabulary import unit_zh

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")

DIGITS_RE = re.compile(r"[0-9]{1,18}")
"""A key of a --set path or a workbook written in the digits 0-9 (budget.2025): a whole number
(not ² or another digit Python cannot read; at most 18 digits, a longer one stays text)."""


def path_part(part: str) -> int | str:
    """One part of a dotted path as its key: digits (DIGITS_RE) as a whole number, else text."""
    return int(part) if DIGITS_RE.fullmatch(part) else part


class ParamPath(str):
    """A dotted path to a number of the scenario, e.g. groups.dibao.case_rate (keys of
    `uncertainty`)."""


class PlaceName(str):
    """The name of a place as the township table spells it, e.g. 河南省 (keys of `provinces`):
    1–50 characters, no dot (it would split a --set path), no line break, no spaces at its
    ends."""


PLACE_RE = re.compile(r"^[^.\s](?:[^.\n\r]{0,48}[^.\s])?$")


def spec(
    default: Any = MISSING,
    *,
    doc: str,
    unit: str = "",
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    factory: Callable[[], Any] | None = None,
    key: str = "",
) -> Any:
    """A schema field: its default, meaning (`doc`), unit and allowed range [lo, hi].

    `lo_open` makes the lower bound strict (> lo). For mappings, the range applies to the
    values and `key` describes the keys ("year", "group", "grade").
    """
    meta = {"doc": doc, "unit": unit, "lo": lo, "hi": hi, "lo_open": lo_open, "key": key}
    if factory is list:  # an empty list is the default: writing it out must read back
        meta["empty"] = True
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


Locate = Callable[[tuple], str | None]
"""Maps a field path to the file (or --set option) it came from."""


def dotted(path: tuple) -> str:
    """A field path as the user writes it: costs.salary.junior, budget.2024."""
    return ".".join(str(p) for p in path) if path else Bi("(top level)", "（顶层）")


def is_optional(tp: Any) -> tuple[bool, Any]:
    """(True, X) for `X | None`, else (False, tp)."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


def type_name(tp: Any, meta: dict | None = None) -> Bi:
    """Human description of what a field expects, including unit and range (English and
    Chinese)."""
    meta = meta or {}
    opt, tp = is_optional(tp)
    if dataclasses.is_dataclass(tp):
        text = Bi("a mapping of settings", "一组设置（键: 值）")
    elif get_origin(tp) is Literal:
        choices = ", ".join(repr(a) for a in get_args(tp))
        text = Bi("one of " + choices, "以下之一：" + choices)
    elif get_origin(tp) is dict:
        key = meta.get("key") or "name"
        text = Bi(f"a mapping of {key} to values", f"以{KEY_ZH.get(key, key)}为键的映射")
    elif get_origin(tp) is list:
        text = Bi("one text or a list of them", "一段文字或文字列表")
    elif tp is bool:
        text = Bi("true or false", "true 或 false")
    elif tp is int:
        text = Bi("a whole number", "整数") + range_text(meta)
    elif tp is float:
        text = Bi("a number", "数值") + range_text(meta)
    else:
        text = Bi("text", "文字")
    if meta.get("unit") and tp in (int, float):
        unit = str(meta["unit"])
        text += Bi(f" in {unit}", f"（单位：{unit_zh(unit)}）")
    if opt:
        text += Bi(" (or empty)", "（或留空）")
    return text


KEY_ZH = {"year": "年份", "group": "服务对象群体", "grade": "社工等级", "name": "名称"}
"""Chinese words for the keys of mappings (spec(key=...)), in error messages."""


def range_text(meta: dict) -> Bi:
    """The allowed range of a number, e.g. " ≥ 0" or " from 0 to 1", in both languages."""
    lo, hi = meta.get("lo"), meta.get("hi")
    fmt = lambda v: f"{v:g}" if isinstance(v, (int, float)) else str(v)  # noqa: E731
    if lo is not None and hi is not None:
        if meta.get("lo_open"):
            return Bi(
                f" above {fmt(lo)} and at most {fmt(hi)}", f"，大于 {fmt(lo)} 且不超过 {fmt(hi)}"
            )
        return Bi(f" from {fmt(lo)} to {fmt(hi)}", f"，{fmt(lo)} 至 {fmt(hi)}")
    if lo is not None:
        sign = ">" if meta.get("lo_open") else "≥"
        return Bi(f" {sign} {fmt(lo)}", f" {sign} {fmt(lo)}")
    if hi is not None:
        return Bi(f" ≤ {fmt(hi)}", f" ≤ {fmt(hi)}")
    return Bi("", "")


def convert(tp: Any, value: Any, path: tuple, meta: dict, locate: Locate) -> Any:
    """Validate `value` against type `tp` (with range/unit `meta`) and return it typed.

    Raises InputError naming the file (via `locate`), the field path and what was expected.
    """

    def fail(expected: str, got: Any = value, hint: str | None = None) -> InputError:
        return InputError(locate(path), dotted(path), expected, got, hint=hint)

    opt, inner = is_optional(tp)
    if value is None:
        if opt:
            return None
        raise fail(type_name(tp, meta), None)
    tp = inner
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise fail(type_name(tp, meta))
        return build(cast(type, tp), value, path, locate)
    origin = get_origin(tp)
    if origin is Literal:
        choices = get_args(tp)
        if value not in choices:
            close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
            raise fail(type_name(tp), hint=did_you_mean(close[0]) if close else None)
        return value
    if origin is list:
        (itp,) = get_args(tp)
        items = value if isinstance(value, list) else [value]  # one item may stand alone
        if (not items and not meta.get("empty")) or isinstance(value, dict):
            raise fail(type_name(tp, meta))
        return [convert(itp, v, path + (k,), meta, locate) for k, v in enumerate(items)]
    if origin is dict:
        ktp, vtp = get_args(tp)
        if not isinstance(value, dict):
            raise fail(type_name(tp, meta))
        out = {}
        for k, v in value.items():
            key = convert_key(ktp, k, path, locate)
            out[key] = convert(vtp, v, path + (key,), meta, locate)
        return out
    if tp is bool:
        if not isinstance(value, bool):
            raise fail(Bi("true or false", "true 或 false"))
        return value
    if tp is str:
        if isinstance(value, (dict, list)):
            raise fail(Bi("text", "文字"))
        return str(value)  # numbers given where text is expected are taken as text
    if tp in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise fail(type_name(tp, meta))
        if tp is int and isinstance(value, float) and not value.is_integer():
            raise fail(type_name(tp, meta))
        check_range(value, meta, fail, type_name(tp, meta))  # before float(): 10**400 has none
        return int(value) if tp is int else float(value)
    raise TypeError(
        f"schema type {tp!r} at {dotted(path)} is not supported"
    )  # a bug, not bad input


NUMBER_MAX = 1e15
"""The largest size of a number a field without its own upper bound takes: beyond it a
number cannot be a planning figure (10^15 万元 is ten thousand times the world's yearly
output), and it would overflow the model's whole numbers and the solver's arithmetic."""


def check_range(value: float, meta: dict, fail: Callable[..., InputError], expected: str) -> None:
    """Raise `fail(expected)` when value is not finite (NaN, ±infinity), outside [lo, hi] (lo
    strict when lo_open) or, without an upper bound, larger in size than NUMBER_MAX."""
    lo, hi = meta.get("lo"), meta.get("hi")
    if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf, -.inf
        raise fail(
            expected,
            hint=Bi(
                "a finite number: .inf and .nan are not numbers here",
                "须为有限数值：不能写 .inf 或 .nan",
            ),
        )
    if lo is not None and (value < lo or (meta.get("lo_open") and value == lo)):
        raise fail(expected)
    if hi is not None and value > hi:
        raise fail(expected)
    if hi is None and abs(value) > NUMBER_MAX:
        raise fail(
            expected,
            hint=Bi(
                "at most 10^15 in size: no planning figure is larger",
                "绝对值不超过 10^15：没有这么大的规划数字",
            ),
        )


def convert_key(ktp: Any, key: Any, path: tuple, locate: Locate) -> Any:
    """Mapping keys: years (int), grades (Literal) or names (identifier-like text)."""
    where = dotted(path + (key,))
    if ktp is int:
        if isinstance(key, int) and not isinstance(key, bool):
            return key
        if isinstance(key, str) and DIGITS_RE.fullmatch(key.strip()):
            return int(key)
        raise InputError(
            locate(path + (key,)),
            where,
            Bi("a year such as 2025 as the key", "年份（如 2025）作为键"),
            key,
        )
    if get_origin(ktp) is Literal:
        choices = get_args(ktp)
        if key not in choices:
            close = difflib.get_close_matches(str(key), list(choices), n=1)
            raise InputError(
                locate(path + (key,)),
                where,
                Bi("a key that is one of ", "以下之一作为键：") + ", ".join(choices),
                key,
                hint=did_you_mean(close[0]) if close else None,
            )
        return key
    if ktp is ParamPath:
        if not isinstance(key, str) or not PATH_RE.match(key):
            raise InputError(
                locate(path + (key,)),
                where,
                Bi(
                    "a dotted path to a scenario number, such as "
                    "groups.dibao.case_rate or workforce.attrition, as the key",
                    "以点分隔的情景数值路径作为键，"
                    "如 groups.dibao.case_rate 或 workforce.attrition",
                ),
                key,
            )
        return key
    if ktp is PlaceName:
        if not isinstance(key, str) or not PLACE_RE.fullmatch(key):
            raise InputError(
                locate(path + (key,)),
                where,
                Bi(
                    "a place name as the township table spells it (1–50 characters, no dot or "
                    "line break), such as 河南省, as the key",
                    "与乡镇表一致的地名（1–50 个字符，不含点号或换行），如 河南省，作为键",
                ),
                key,
            )
        return key
    if not isinstance(key, str) or not NAME_RE.match(key):
        raise InputError(
            locate(path + (key,)),
            where,
            Bi(
                "a name of letters, digits and _ (starting with a letter) as the key",
                "由字母、数字和 _ 组成（以字母开头）的名称作为键",
            ),
            key,
        )
    return key


def did_you_mean(name: object) -> Bi:
    """The hint for a near miss: "did you mean 'x'?"."""
    return Bi(f"did you mean {name!r}?", f"是否应为 {name!r}？")


def schema_fields(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    """The fields of a schema section with their resolved types."""
    hints = get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls)]


def build(cls: type, data: dict, path: tuple, locate: Locate) -> Any:
    """Build section `cls` from mapping `data`; unknown keys are errors with a suggestion."""
    fields = schema_fields(cls)
    names = [f.name for f, _ in fields]
    for key in data:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1)
            problem = (
                Bi("unknown key; ", "未知的键；") + did_you_mean(close[0])
                if close
                else Bi("unknown key; expected one of ", "未知的键；应为以下之一：")
                + ", ".join(names)
            )
            raise InputError(locate(path + (key,)), dotted(path + (key,)), "", problem=problem)
    kwargs = {}
    for f, tp in fields:
        if f.name in data:
            kwargs[f.name] = convert(tp, data[f.name], path + (f.name,), dict(f.metadata), locate)
        elif f.default is MISSING and f.default_factory is MISSING:
            raise InputError(
                locate(path),
                dotted(path + (f.name,)),
                type_name(tp, dict(f.metadata)),
                hint=Bi("required, and missing", "必填，但缺少"),
            )
    return cls(**kwargs)


def defaults(cls: type) -> dict:
    """The documented default values of a section, as plain data (for base.yaml checks)."""
    out = {}
    for f, _tp in schema_fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
        elif f.default_factory is not MISSING:
            value = f.default_factory()
            out[f.name] = defaults(type(value)) if dataclasses.is_dataclass(value) else value
    return out
