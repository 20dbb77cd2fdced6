"""Scenario files as data: YAML read strictly, `extends` chains merged, `--set` overrides applied.

Every value remembers the file (or `--set` option) it came from (`Origin`), so an error names
the place the user has to fix. Mappings merge key by key down an `extends` chain; a key set to
`null` removes what it inherited. Paths in a file are relative to that file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from model.errors import Bi, InputError, Verbatim, display_path
from model.inputs.fields import dotted, path_part


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last silently)
    and a whole number too long for Python to read."""


MERGE_TAG = "tag:yaml.org,2002:merge"


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        if key_node.tag == MERGE_TAG:  # `<<: *base` merges a mapping; its keys may be replaced
            continue
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):  # a list or mapping as a key: SafeLoader says so
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                Bi(
                    f"key {key!r} is given twice in one mapping", f"同一映射中键 {key!r} 出现了两次"
                ),
                key_node.start_mark,
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

INT_DIGITS_MAX = 4000
"""Most characters of a whole number in a scenario file: Python reads at most 4,300 digits of
a number written in decimal, and the largest number a field takes has 16."""


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> int:
    if len(str(node.value)) > INT_DIGITS_MAX:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            Bi(
                f"a whole number of more than {INT_DIGITS_MAX:,} digits",
                f"超过 {INT_DIGITS_MAX:,} 位的整数",
            ),
            node.start_mark,
        )
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

YAML_DEPTH_MAX = 50
"""Most levels of nesting in a scenario file (its deepest setting, targets.served_share.<group>
.<year>, is at the fourth): deeper data is refused before it exhausts Python's stack."""

YAML_VALUES_MAX = 1_000_000
"""Most values a scenario file holds once its aliases (*name) are expanded: a few aliases
nested in one another can stand for billions of values."""

EXTENDS_MAX = 20
"""Most files in an `extends` chain (the file itself included)."""

SCENARIO_BYTES_MAX = 1_000_000
"""Largest scenario file read (bytes): a scenario holds settings (the shipped ones are at most
11 KB); the townships' figures belong in its township table. PyYAML reads about a megabyte of
settings a second, so a larger file is refused before it is parsed."""


def is_regular_file(path: str | Path) -> bool:
    """Whether `path` names a regular file that can be read: False for a folder, a device such
    as /dev/zero (read without end) and a name the system refuses (too long, a NUL byte)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


class _TooDeep(yaml.composer.ComposerError):
    """A YAML document nested deeper than YAML_DEPTH_MAX (raised while composing it)."""


def _compose_node(loader: _StrictLoader, parent: Any, index: Any) -> Any:
    depth = getattr(loader, "_depth", 0) + 1
    if depth > YAML_DEPTH_MAX:
        raise _TooDeep(None, None, "", loader.peek_event().start_mark)
    loader._depth = depth  # type: ignore[attr-defined]
    try:
        return yaml.SafeLoader.compose_node(loader, parent, index)
    finally:
        loader._depth = depth - 1  # type: ignore[attr-defined]


_StrictLoader.compose_node = _compose_node  # type: ignore[method-assign, assignment]


def too_deep(source: str | Path, where: str | None = None) -> InputError:
    """The error for data nested deeper than YAML_DEPTH_MAX levels."""
    return InputError(
        source,
        where,
        "",
        problem=Bi(
            f"nested more than {YAML_DEPTH_MAX} levels deep (a scenario needs four or five)",
            f"嵌套超过 {YAML_DEPTH_MAX} 层（情景文件只需四五层）",
        ),
    )


def check_shape(data: Any, source: str | Path) -> None:
    """Refuse data that aliases (*name) make deeper than YAML_DEPTH_MAX, larger than
    YAML_VALUES_MAX values or part of itself; walked without recursion, each shared part once."""
    done: dict[int, tuple[int, int]] = {}  # id -> (depth, values) of a finished list or mapping
    path: set[int] = set()  # the lists and mappings being walked, from the top down
    stack: list[tuple[Any, bool]] = [(data, False)]

    def parts(node: Any) -> list:
        items = node.values() if isinstance(node, dict) else node
        return [v for v in items if isinstance(v, (dict, list))]

    while stack:
        node, finished = stack.pop()
        if not isinstance(node, (dict, list)) or (not finished and id(node) in done):
            continue
        if finished:
            inner = [done[id(v)] for v in parts(node)]
            depth = 1 + max((d for d, _ in inner), default=0)
            values = len(node) - len(inner) + sum(n for _, n in inner)
            if depth > YAML_DEPTH_MAX:
                raise too_deep(source)
            if values > YAML_VALUES_MAX:
                raise InputError(
                    source,
                    None,
                    "",
                    problem=Bi(
                        f"holds more than {YAML_VALUES_MAX:,} values once its aliases (*name) "
                        "are expanded",
                        f"展开别名（*name）后包含超过 {YAML_VALUES_MAX:,} 个值",
                    ),
                )
            path.discard(id(node))
            done[id(node)] = (depth, values)
            continue
        if id(node) in path:
            raise InputError(
                source,
                None,
                "",
                problem=Bi(
                    "a list contains itself through an alias (*name)",
                    "某个列表通过别名（*name）包含了它自己",
                ),
            )
        path.add(id(node))
        stack.append((node, True))
        stack.extend((v, False) for v in parts(node))


def read_yaml(path: Path) -> dict:
    """Read one scenario file as a mapping; YAML errors name the line and column."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(SCENARIO_BYTES_MAX + 1)
        if len(raw) > SCENARIO_BYTES_MAX:
            raise InputError(
                path,
                None,
                Bi(
                    f"a scenario file of at most {SCENARIO_BYTES_MAX // 1_000_000} MB: settings "
                    "only (the townships' figures belong in the township table, region.townships)",
                    f"不超过 {SCENARIO_BYTES_MAX // 1_000_000} MB 的情景文件：只写设置"
                    "（乡镇数据应放在乡镇表 region.townships 中）",
                ),
                Verbatim("a larger file", "更大的文件"),
            )
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(
            path, None, "", problem=Bi("scenario file not found", "找不到情景文件")
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            path,
            None,
            "",
            problem=Bi(
                f"cannot read the scenario file as UTF-8 text ({exc})",
                f"无法以 UTF-8 文本读取情景文件（报错 '{exc}'）",
            ),
        ) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass
    except _TooDeep as exc:
        mark = exc.problem_mark
        raise too_deep(path, _line(mark) if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a control character: its position in the text
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(
            path,
            Bi(f"line {line}, column {column}", f"第 {line} 行第 {column} 列"),
            "",
            problem=Bi(
                f"not valid YAML: the character U+{exc.character:04X} cannot be in a YAML file "
                "(control characters are not allowed)",
                f"不是有效的 YAML：文件中不能出现字符 U+{exc.character:04X}（不允许控制字符）",
            ),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _line(mark) if mark else None
        raise InputError(
            path, where, "", problem=Bi("not valid YAML: ", "不是有效的 YAML：") + yaml_problem(exc)
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            path, None, "", problem=Bi("not valid YAML: ", "不是有效的 YAML：") + yaml_problem(exc)
        ) from None
    if data is None:
        data = {}
    check_shape(data, path)
    if not isinstance(data, dict):
        raise InputError(
            path,
            None,
            Bi(
                "a mapping of scenario keys (name:, horizon:, ...)",
                "由情景设置组成的映射（name:、horizon: 等）",
            ),
            data,
        )
    return data


def _line(mark: yaml.Mark) -> Bi:
    """Where a YAML mark points: line and column, counted from 1."""
    return Bi(
        f"line {mark.line + 1}, column {mark.column + 1}",
        f"第 {mark.line + 1} 行第 {mark.column + 1} 列",
    )


YAML_PROBLEMS_ZH: tuple[tuple[str, str], ...] = (
    (r"mapping values are not allowed here", "此处不能写“键: 值”（检查冒号和缩进）"),
    (r"found character (.+) that cannot start any token", r"此处不能出现字符 \1（缩进请用空格）"),
    (r"expected (.+), but (?:got|found) (.+)", r"此处应为 \1，实际为 \2"),
    (r"found unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    (r"found undefined alias (.+)", r"引用了未定义的锚点 \1"),
    (r"found unhashable key", "键不能是列表或映射"),
)
"""The YAML parser's usual problems (regular expressions) and their Chinese."""


def yaml_problem(exc: yaml.YAMLError) -> Bi:
    """The parser's description of a YAML error, in English and Chinese (the parser's words
    quoted when the problem is not one of YAML_PROBLEMS_ZH)."""
    problem = getattr(exc, "problem", None) or exc
    if isinstance(problem, Bi):
        return problem
    text = str(problem)
    for pattern, zh in YAML_PROBLEMS_ZH:
        if re.fullmatch(pattern, text):
            zh = re.sub(pattern, zh, text).replace("' or '", "' 或 '")
            return Bi(text, zh.replace("'<stream end>'", "文件末尾"))
    return Bi(text, f"解析器报错 '{text}'")


Origin = dict[tuple, str]


def _set_origin(origin: Origin, path: tuple, source: str, nested: bool) -> None:
    """`path`'s value came from `source`; with `nested` (the value it replaces was a mapping),
    the origins recorded inside it are dropped (a scan of all origins: only then, or a file of
    n keys would take n² steps)."""
    if nested:
        for key in [k for k in origin if k[: len(path)] == path]:
            del origin[key]
    origin[path] = source


def merge(base: dict, over: dict, origin: Origin, source: str, path: tuple = ()) -> None:
    """Merge `over` into `base` in place, recording each value's source in `origin`."""
    for key, value in over.items():
        p = path + (key,)
        nested = isinstance(base.get(key), dict)
        if value is None:
            base.pop(key, None)
            _set_origin(origin, p, source, nested)
        elif isinstance(value, dict) and nested:
            origin.setdefault(p, source)
            merge(base[key], value, origin, source, p)
        else:
            base[key] = copy.deepcopy(value)
            _set_origin(origin, p, source, nested)


def absolute(path: Path) -> Path:
    """`path` made absolute, symbolic links resolved where the system can (not in a name it
    refuses: a NUL byte, too long; such a file is then not found)."""
    try:
        return path.resolve()
    except (OSError, ValueError):
        return path.absolute()


def _absolute_townships(data: dict, folder: Path) -> None:
    """File paths in a scenario are relative to the file that names them: make them absolute."""
    for section, key in (("region", "townships"), ("region", "travel"), ("report", "boundaries")):
        part = data.get(section)
        if isinstance(part, dict) and isinstance(part.get(key), str) and part[key] != "synthetic":
            p = Path(part[key])
            part[key] = str(p if p.is_absolute() else absolute(folder / p))


def load_chain(path: Path, stack: tuple[Path, ...] = ()) -> tuple[dict, Origin]:
    """Read `path` and everything it extends; returns merged data and each value's source file."""
    path = path.resolve()
    if path in stack:
        chain = " → ".join(display_path(p) for p in stack + (path,))
        raise InputError(
            stack[-1],
            "extends",
            "",
            problem=Bi(f"extends cycle: {chain}", f"extends 形成循环：{chain}"),
        )
    if len(stack) >= EXTENDS_MAX:
        raise InputError(
            stack[-1],
            "extends",
            "",
            problem=Bi(
                f"the extends chain from {display_path(stack[0])} is longer than "
                f"{EXTENDS_MAX} files",
                f"从 {display_path(stack[0])} 开始的 extends 链超过 {EXTENDS_MAX} 个文件",
            ),
        )
    data = read_yaml(path)
    _absolute_townships(data, path.parent)
    parent = data.pop("extends", None)
    if parent is None:
        merged: dict = {}
        origin: Origin = {}
    else:
        if not isinstance(parent, str):
            raise InputError(
                path,
                "extends",
                Bi("the path of another scenario file", "另一个情景文件的路径"),
                parent,
            )
        parent_path = path.parent / parent
        if not is_regular_file(parent_path):
            raise InputError(
                path,
                "extends",
                Bi(
                    "an existing scenario file (relative to this file)",
                    "已存在的情景文件（路径相对于本文件）",
                ),
                parent,
            )
        merged, origin = load_chain(parent_path, stack + (path,))
    merge(merged, data, origin, display_path(path))
    return merged, origin


def parse_override(text: str) -> tuple[tuple, Any]:
    """`a.b.c=value` -> (("a","b","c"), value); the value is read as YAML (numbers, true, text)."""
    if "=" not in text:
        raise InputError(
            "--set",
            text,
            Bi(
                "path.to.key=value, e.g. budget.2024=5600", "path.to.key=value，如 budget.2024=5600"
            ),
        )
    key, raw = text.split("=", 1)
    parts = tuple(p.strip() for p in key.strip().split("."))
    if not key.strip() or any(not p for p in parts):
        raise InputError(
            "--set",
            text,
            Bi("path.to.key=value with no empty parts", "path.to.key=value，各段都不能为空"),
        )
    try:
        value = yaml.load(raw, Loader=_StrictLoader) if raw.strip() else None  # noqa: S506
    except yaml.YAMLError:
        value = raw
    check_shape(value, f"--set {key.strip()}")
    return parts, value


def override_text(path: str, value: Any) -> str:
    """`path=value` as --set would be written for a Python value (floats exactly, by repr)."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, float):
        shown = repr(value)
    else:
        shown = "" if value is None else str(value)
    return f"{path}={shown}"


def parse_overrides(overrides: Iterable[str] | Mapping[str, Any]) -> list[tuple[str, tuple, Any]]:
    """(text, path parts, value) of each override: `path=value` strings (values read as YAML) or a
    mapping of dotted paths to Python values (used as they are)."""
    if isinstance(overrides, Mapping):
        out = []
        for key, value in overrides.items():
            text = override_text(str(key), value)
            parts, _ = parse_override(text)
            out.append((text, parts, value))
        return out
    if isinstance(overrides, str):
        overrides = [overrides]
    return [(text, *parse_override(text)) for text in overrides]


def apply_overrides(
    data: dict, origin: Origin, overrides: Iterable[str] | Mapping[str, Any]
) -> None:
    """Apply `--set` options in order; the same key set twice to different values is an error."""
    apply_parsed(data, origin, parse_overrides(overrides))


def apply_parsed(data: dict, origin: Origin, parsed: list[tuple[str, tuple, Any]]) -> None:
    """Apply overrides as `parse_overrides` returns them (see apply_overrides)."""
    seen: dict[tuple, tuple[str, Any]] = {}
    for text, parts, value in parsed:
        source = f"--set {text}"
        norm = tuple(p.lower() for p in parts)
        if norm in seen and seen[norm][1] != value:
            raise InputError(
                "--set",
                ".".join(parts),
                "",
                problem=Bi(
                    f"set twice to different values ({seen[norm][0]!r} and {text!r})",
                    f"被设置了两次且取值不同（{seen[norm][0]!r} 和 {text!r}）",
                ),
            )
        seen[norm] = (text, value)
        node: dict = data
        path: tuple = ()
        for i, part in enumerate(parts):
            key = next((k for k in node if str(k) == part), path_part(part))
            path += (key,)
            if i == len(parts) - 1:
                nested = isinstance(node.get(key), dict)
                if value is None:
                    node.pop(key, None)
                else:
                    node[key] = value
                _set_origin(origin, path, source, nested)
            else:
                child = node.get(key)
                if child is None:
                    child = node[key] = {}
                    _set_origin(origin, path, source, False)
                if not isinstance(child, dict):
                    raise InputError(
                        source,
                        dotted(path),
                        "",
                        problem=Bi(
                            f"{dotted(path)} holds a single value, "
                            f"so {'.'.join(parts)} does not exist",
                            f"{dotted(path)} 只是一个值，因此不存在 {'.'.join(parts)}",
                        ),
                    )
                node = child
        is_file = isinstance(value, str) and value != "synthetic"  # travel: synthetic is a word
        if parts[:2] in (("region", "townships"), ("region", "travel")) and is_file:
            node[path[-1]] = str(absolute(Path(value)))


def make_locate(origin: Origin, default: str | None) -> Any:
    def locate(path: tuple) -> str | None:
        for n in range(len(path), -1, -1):
            if path[:n] in origin:
                return origin[path[:n]]
        return default

    return locate
