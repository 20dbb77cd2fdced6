"""Fuzzing scenario files (issue 21): values generated from the schema (model.inputs.schema: each
field's type, range and keys), written as YAML and mutated (wrong types, NaN and infinities,
huge and negative numbers, deep nesting, unknown keys, encodings, bytes that are not UTF-8),
through `stationplan validate` and `--set`.

Every input ends in exit 0 or exit 2 with one line naming the file (never an internal error or
a traceback). A value the schema refuses must be refused (exit 2); a scenario accepted holds
each value as the YAML reader reads it (no silent change). Examples: conftest.FUZZ (50 fixed
ones a property; STATIONPLAN_FUZZ=long, make fuzz: 3,000 new ones).
"""

from __future__ import annotations

import copy
import dataclasses
import math
import tempfile
from dataclasses import MISSING
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from conftest import FUZZ, MINI_TABLE, mini_scenario, obeys_exit_contract, stationplan
from hypothesis import example, given
from hypothesis import strategies as st

from model.inputs.fields import NUMBER_MAX, ParamPath, PlaceName, is_optional, schema_fields
from model.inputs.files import YAML_DEPTH_MAX
from model.inputs.scenario import load_scenario
from model.inputs.schema import Settings

# ------------------------------------------------------------------ the schema's fields


class Leaf:
    """A place in a scenario (its path of keys) and what the schema expects there: the field's
    type `tp`, its `spec` metadata `meta` (range, unit) and whether it has a default."""

    def __init__(self, path: tuple, tp: Any, meta: dict, default: bool = True) -> None:
        self.path, self.tp, self.meta, self.default = path, tp, meta, default

    def __repr__(self) -> str:  # the dotted path, in hypothesis's report of an example
        return ".".join(map(str, self.path))


def key_for(ktp: Any) -> Any:
    """A key of a mapping the mini scenario can hold: a year of its horizon, a grade or month,
    one of its groups (names of sectors and sources too), a province, a parameter path."""
    if ktp is int:
        return 2026
    if get_origin(ktp) is Literal:
        return get_args(ktp)[0]
    if ktp is PlaceName:
        return "东山省"
    if ktp is ParamPath:
        return "groups.dibao.case_rate"
    return "dibao"


def walk(tp: Any, path: tuple, meta: dict, default: bool = True) -> list[Leaf]:
    """Every place under a field of type `tp`: the field itself and, below a section or a
    mapping, each of its fields (one key of a mapping)."""
    _, inner = is_optional(tp)
    here = [Leaf(path, tp, meta, default)]
    if dataclasses.is_dataclass(inner):
        return here + [
            leaf
            for f, ftp in schema_fields(inner)  # type: ignore[arg-type]
            for leaf in walk(
                ftp,
                path + (f.name,),
                dict(f.metadata),
                f.default is not MISSING or f.default_factory is not MISSING,
            )
        ]
    if get_origin(inner) is dict:
        ktp, vtp = get_args(inner)
        return here + walk(vtp, path + (key_for(ktp),), meta)
    return here


LEAVES = walk(Settings, (), {})[1:]
"""Every setting of a scenario, sections and mappings included (a few hundred)."""

SKIPPED = {("extends",), ("region",), ("region", "townships")}
"""Places whose values are other files (tried apart: test_paths_to_other_files)."""


PLACES = [leaf for leaf in LEAVES if leaf.path not in SKIPPED]
AT = {leaf.path: leaf for leaf in PLACES}


def accepts(leaf: Leaf, value: Any) -> bool | None:
    """Whether the schema, as documented, takes `value` at `leaf`: None when it cannot tell by
    the value alone (a mapping for a section). A key of the file's top level set to null is
    left out (its default, if it has one: docs/scenario-reference.md, `key: null`)."""
    if value is None and len(leaf.path) == 1:
        return leaf.default or is_optional(leaf.tp)[0]
    return takes(leaf.tp, leaf.meta, value)


def takes(tp: Any, meta: dict, value: Any) -> bool | None:
    """Whether a field of type `tp` (range in `meta`) takes `value` (see `accepts`)."""
    opt, tp = is_optional(tp)
    if value is None:
        return opt
    if dataclasses.is_dataclass(tp) or get_origin(tp) is dict:
        return None if isinstance(value, dict) else False
    if get_origin(tp) is Literal:
        return any(value == c and type(value) is type(c) for c in get_args(tp))
    if get_origin(tp) is list:
        (itp,) = get_args(tp)
        items = value if isinstance(value, list) else [value]
        if isinstance(value, dict) or (not items and not meta.get("empty")):
            return False
        return all(takes(itp, meta, v) for v in items)
    if tp is bool:
        return isinstance(value, bool)
    if tp in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        try:
            number = float(value)
        except OverflowError:  # a whole number beyond any float: beyond every limit too
            return False
        if not math.isfinite(number) or (tp is int and not number.is_integer()):
            return False
        lo, hi = meta.get("lo"), meta.get("hi")
        if lo is not None and (value < lo or (meta.get("lo_open") and value == lo)):
            return False
        if hi is not None and value > hi:
            return False
        return hi is not None or abs(value) <= NUMBER_MAX
    return not isinstance(value, (dict, list))  # text: numbers and dates are taken as text


def as_read(tp: Any, value: Any) -> Any:
    """The value a scenario holds for an accepted `value` of a field of type `tp`."""
    _, tp = is_optional(tp)
    if value is None:
        return None
    if get_origin(tp) is list:
        (itp,) = get_args(tp)
        return [as_read(itp, v) for v in (value if isinstance(value, list) else [value])]
    if tp is int:
        return int(value)
    if tp is float:
        return float(value)
    if tp is str:
        return str(value)
    return value


# ------------------------------------------------------------------ values


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
"""Any text a YAML file can hold (no lone surrogates: they cannot be written as UTF-8)."""


def valid(leaf: Leaf) -> st.SearchStrategy:
    """Values the schema takes at `leaf` (its type and range), sections left out."""
    opt, tp = is_optional(leaf.tp)
    meta = leaf.meta
    if get_origin(tp) is Literal:
        strategy: st.SearchStrategy = st.sampled_from(get_args(tp))
    elif get_origin(tp) is list:
        (itp,) = get_args(tp)
        items = st.sampled_from(get_args(itp)) if get_origin(itp) is Literal else TEXT
        strategy = st.lists(items, min_size=0 if meta.get("empty") else 1, max_size=4)
    elif tp is bool:
        strategy = st.booleans()
    elif tp in (int, float):
        lo = meta.get("lo")
        hi = meta.get("hi")
        lo = -NUMBER_MAX if lo is None else lo
        hi = NUMBER_MAX if hi is None else hi
        whole = st.integers(math.ceil(lo) + int(bool(meta.get("lo_open"))), math.floor(hi))
        strategy = (
            whole
            if tp is int
            else whole | st.floats(lo, hi, exclude_min=bool(meta.get("lo_open")), allow_nan=False)
        )
    elif tp is str:
        strategy = TEXT
    else:  # a section or a mapping: valid ones are not drawn value by value
        strategy = st.nothing()
    return st.none() | strategy if opt else strategy


def nested(depth: int) -> Any:
    value: Any = 1
    for k in range(depth):
        value = [value] if k % 2 else {"a": value}
    return value


NASTY = st.one_of(
    st.sampled_from(
        [
            math.nan,
            math.inf,
            -math.inf,
            -0.0,
            5e-324,
            1e308,
            -1e308,
            NUMBER_MAX * 1.0000001,
            2**53 + 1,
            2**63,
            -(2**63) - 1,
            2**64,
            10**20,
            10**400,  # beyond every float
            -1,
            0,
            1.5,
            True,
            False,
            None,
            "",
            " ",
            "1e5",
            "0x10",
            ".inf",
            "NaN",
            "二十",
            "null",
            "2025-01-01",
            [],
            {},
            [1, 2],
            {"a": 1},
            {2025: 1},
            {"2025": {"x": [1]}},
        ]
    ),
    st.integers(),
    st.floats(),
    TEXT,
    st.lists(st.integers() | TEXT, max_size=3),
    st.dictionaries(TEXT | st.integers(), st.integers() | TEXT, max_size=3),
    st.integers(1, 2 * YAML_DEPTH_MAX).map(nested),
)
"""Values a careless or hostile user writes anywhere."""


@st.composite
def edits(draw: st.DrawFn) -> list[tuple[Leaf, Any]]:
    """One to four places of the scenario, each with a value that fits it or a nasty one."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        leaf = draw(st.sampled_from(PLACES))
        out.append((leaf, copy.deepcopy(draw(valid(leaf) | NASTY))))  # edits below may change it
    return out


def put(data: dict, path: tuple, value: Any) -> None:
    """Set `path` of `data` to `value`, making (or replacing) mappings on the way."""
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value


def get(data: Any, path: tuple) -> tuple[bool, Any]:
    """(True, the value at `path`) of plain data, or (False, None) when nothing is there."""
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return False, None
        data = data[key]
    return True, data


def held(sc: Any, path: tuple) -> Any:
    """The value a loaded scenario holds at `path` (attributes of sections, keys of mappings)."""
    for key in path:
        sc = sc[key] if isinstance(sc, dict) else getattr(sc, key)
    return sc


class Folder:
    """A fresh folder holding mini.yaml and its township table mini.csv."""

    def __enter__(self) -> Folder:
        self._tmp = tempfile.TemporaryDirectory()
        self.path = Path(self._tmp.name)
        self.yaml = self.path / "mini.yaml"
        (self.path / "mini.csv").write_text(MINI_TABLE, encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        self._tmp.cleanup()


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# ------------------------------------------------------------------ properties


@FUZZ
@example(changes=[(AT["targets", "workers_total", 2026], 10**400)])  # OverflowError: int too large
@example(changes=[(AT["groups", "dibao", "case_rate"], 10**400)])
@example(changes=[(AT["report",], None)])  # a top-level null: the section's defaults
@given(changes=edits())
def test_scenario_values_from_the_schema(changes):
    data = mini_scenario()
    for leaf, value in changes:
        put(data, leaf.path, value)
    with Folder() as folder:
        folder.yaml.write_text(dump(data), encoding="utf-8")
        run = stationplan("validate", str(folder.yaml))  # Chinese, unless report.language
        obeys_exit_contract(run, "mini.yaml", "mini.csv")
        # what the file holds, as a YAML reader reads it; a later edit may have replaced an
        # earlier one or the mapping it was in
        written = yaml.safe_load(folder.yaml.read_text(encoding="utf-8"))
        final = {}
        for leaf, _ in changes:
            there, value = get(written, leaf.path)
            if there:
                final[leaf.path] = (leaf, value)
        verdicts = [accepts(leaf, value) for leaf, value in final.values()]
        if False in verdicts:
            assert run.code == 2, (final, run.out)
        if run.code == 0:
            sc = load_scenario(folder.yaml)
            for leaf, value in final.values():
                if accepts(leaf, value) and not (value is None and len(leaf.path) == 1):
                    assert held(sc, leaf.path) == as_read(leaf.tp, value), leaf


@st.composite
def scenario_text(draw: st.DrawFn) -> bytes:
    """The mini scenario's text changed as text: a line cut, doubled, moved or replaced, a key
    unknown or given twice, a YAML tag, an anchor and alias, deep nesting, a BOM, another
    encoding, bytes that are no text."""
    lines = dump(mini_scenario()).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(lines) - 1))
        indent = lines[k][: len(lines[k]) - len(lines[k].lstrip())]
        change = draw(
            st.sampled_from(
                [
                    "cut",
                    "double",
                    "swap",
                    "text",
                    "unknown",
                    "tag",
                    "alias",
                    "deep",
                    "flow",
                    "tab",
                    "merge",
                ]
            )
        )
        if change == "cut":
            del lines[k]
        elif change == "double":
            lines.insert(k, lines[k])
        elif change == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif change == "text":
            lines[k] = draw(TEXT)
        elif change == "unknown":
            lines.insert(k, indent + draw(TEXT.filter(lambda t: t.strip())) + ": 1")
        elif change == "tag":
            tag = draw(
                st.sampled_from(
                    [
                        "!!binary aGk=",
                        "!!set {a, b}",
                        "!!timestamp 2025-01-01",
                        "!!float 1",
                        "!!int 0x1F",
                        "!!str 5",
                        "!!omap [a: 1]",
                        "!!python/name:os.system",
                        "!x 1",
                    ]
                )
            )
            key = lines[k].split(":", 1)[0] if ":" in lines[k] else indent + "description"
            lines[k] = f"{key}: {tag}"
        elif change == "alias":
            lines.insert(0, "x-parts: &parts [" + ", ".join(["1"] * draw(st.integers(1, 9))) + "]")
            key = lines[k].split(":", 1)[0] if ":" in lines[k] else indent + "description"
            lines[k] = f"{key}: *parts"
        elif change == "deep":
            depth = draw(st.integers(1, 3 * YAML_DEPTH_MAX))
            opening, closing = draw(st.sampled_from([("[", "]"), ("{a: ", "}")]))
            key = lines[k].split(":", 1)[0] if ":" in lines[k] else indent + "description"
            lines[k] = f"{key}: " + opening * depth + "1" + closing * depth
        elif change == "flow":
            lines[k] = lines[k].replace(":", ": {", 1) + "}"
        elif change == "tab":
            lines[k] = "\t" + lines[k]
        elif change == "merge":
            lines.insert(0, "x-base: &base {objective: min_cost, title: base}")
            lines.insert(1, "<<: *base")
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n", "\n\n\x00"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at + draw(st.integers(0, 8)) :]
    return data


@FUZZ
@example(data=b"name: mini\nbudget:\n  ? [1]\n  : 3\n")  # a list as a key: TypeError, unhashable
@example(data=b"name: mini\ndescription: a\x00b\n")  # the parser's message spanned two lines
@given(data=scenario_text())
def test_scenario_text_mutated(data):
    with Folder() as folder:
        folder.yaml.write_bytes(data)
        obeys_exit_contract(stationplan("validate", str(folder.yaml)), "mini.yaml", "mini.csv")


SET_VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            ".inf",
            "-.inf",
            ".nan",
            "1e400",
            "9" * 400,
            "9" * 5000,
            "[1",
            "{a: [",
            "*x",
            "&a 1",
            "!!binary aGk=",
            "? [1]\n: 2",
            "null",
            "~",
            "true",
            "[" * 200 + "]" * 200,
        ]
    ),
    st.integers().map(str),
    st.floats().map(repr),
)
"""Values of `--set path=value`, read as YAML."""


@FUZZ
@example(path="\n", value="")  # the message spanned two lines
@example(path="budget." + "9" * 5000, value="1")  # ValueError: more than 4,300 digits
@example(path="budget.²", value="1")  # ValueError: ² is a digit to str.isdigit, not to int()
@example(path="report.boundaries", value="0")  # named the missing file as the source
@given(
    path=st.one_of(
        st.sampled_from(PLACES).map(lambda leaf: ".".join(map(str, leaf.path))),
        TEXT,
    ),
    value=SET_VALUES,
)
def test_set_options(path, value):
    with Folder() as folder:
        folder.yaml.write_text(dump(mini_scenario()), encoding="utf-8")
        run = stationplan("validate", str(folder.yaml), f"--set={path}={value}", "--lang", "en")
        obeys_exit_contract(run, "--set", "mini.yaml", "mini.csv")


PATHS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            ".",
            "..",
            "/",
            "~",
            "/dev/zero",
            "/dev/null",
            "/proc/self/status",
            "mini.yaml",  # the file itself
            "mini.csv",
            "../" * 60,
            "a" * 5000,
            "a\x00b",
            "a\nb.csv",
            "synthetic",
            "C:\\data\\t.csv",
        ]
    ),
    TEXT,
)
"""What a user writes where a scenario names another file."""


@FUZZ
@example(place=("report", "boundaries"), path="/dev/zero")  # read until the memory ran out
@example(place=("extends",), path="a" * 5000)  # OSError: File name too long
@example(place=("region", "townships"), path="a\x00b")  # ValueError: embedded null byte
@given(
    place=st.sampled_from(
        [("extends",), ("region", "townships"), ("region", "travel"), ("report", "boundaries")]
    ),
    path=PATHS,
)
def test_paths_to_other_files(place, path):
    data = mini_scenario()
    put(data, place, path)
    with Folder() as folder:
        folder.yaml.write_text(dump(data), encoding="utf-8")
        run = stationplan("validate", str(folder.yaml), "--lang", "en")
        other = [Path(path).name] if Path(path).name.strip() else []  # a file it names
        obeys_exit_contract(run, "mini.yaml", "mini.csv", *other)
