"""The one error type for bad user input.

Every problem with a file the user wrote (scenario YAML, township table, command-line
value) is raised as :class:`InputError`; the command line prints its one-line message in the
user's language (:meth:`InputError.render`) and exits with code 2. Anything else is an internal
error (exit code 1).

The parts of a message are English text, or :class:`Bi` text that carries its Chinese twin;
`str(error)` is English, `error.render("zh")` Chinese wherever a part has its twin.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class Bi(str):
    """English text (the string itself) with its Chinese twin `zh`.

    Joining keeps both: Bi("a number", "数字") + " in 万元" is Bi("a number in 万元",
    "数字 in 万元"); so text built from parts stays bilingual when every part is.
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> Bi:
        obj = super().__new__(cls, en)
        obj.zh = zh
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (str(self), self.zh)  # copy and pickle keep both languages

    def __add__(self, other: str) -> Bi:
        return Bi(str(self) + str(other), self.zh + (other.zh if isinstance(other, Bi) else other))

    def __radd__(self, other: str) -> Bi:
        return Bi(str(other) + str(self), (other.zh if isinstance(other, Bi) else other) + self.zh)

    def join_parts(self, parts: Sequence[str]) -> Bi:
        """`self` as the separator between `parts` (like str.join), in both languages."""
        return Bi(
            str(self).join(str(p) for p in parts),
            self.zh.join(p.zh if isinstance(p, Bi) else str(p) for p in parts),
        )


def say(text: str, lang: str) -> str:
    """`text` in `lang`: the Chinese twin of Bi text for "zh", else the English."""
    return text.zh if lang == "zh" and isinstance(text, Bi) else str(text)


CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters (line breaks, NUL, the escape of terminal sequences) and the Unicode
line and paragraph separators."""


def one_line(text: str) -> str:
    """`text` with each control character written as its escape (\\n, \\x00), so that a
    message holding text the user wrote (a key, a path, the parser's words) stays one line and
    prints as written."""
    return CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)


class InputError(Exception):
    """Bad user input: names where (file, field or row/column), what was expected, what was
    found; its message is one line (`message`, `render`)."""

    def __init__(
        self,
        source: str | Path | None,
        where: str | None,
        expected: str,
        got: object = None,
        *,
        hint: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.problem = problem
        self.source = display_path(source) if isinstance(source, Path) else source
        self.where = where
        self.expected = expected
        self.got = got
        self.hint = hint
        super().__init__(self.message)

    def __reduce__(self) -> tuple:
        # pickled (e.g. back from a worker process) with its parts, not only the message
        return (self.__class__, (self.source, self.where, self.expected, self.got), self.__dict__)

    @property
    def message(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        if self.problem:
            return one_line(": ".join(parts + [self.problem]))
        text = ": ".join(parts + [f"expected {self.expected}" if self.expected else ""]).rstrip(
            ": "
        )
        if self.got is not None:
            text += f", got {describe(self.got)}"
        if self.hint:
            text += f" ({self.hint})"
        return one_line(text)

    def render(self, lang: str = "zh") -> str:
        """The one-line message in `lang` ("zh" or "en"; English is `message`)."""
        if lang != "zh":
            return self.message
        parts = [say(p, lang) for p in (self.source, self.where) if p]
        if self.problem:
            return one_line("：".join(parts + [say(self.problem, lang)]))
        if self.expected:
            parts.append(spaced("应为", say(self.expected, lang)))
        text = "：".join(parts)
        if self.got is not None:
            text += "，" + spaced("实际为", describe(self.got, lang))
        if self.hint:
            text += "（" + say(self.hint, lang) + "）"
        return one_line(text)


def spaced(word: str, text: str) -> str:
    """Chinese `word` then `text`, a space between them when `text` starts with a letter, digit
    or quote (应为 0 或 1, 实际为 'six') and none before Chinese (应为整数, 实际为空单元格)."""
    return word + ("" if text[:1] >= "\u2e80" else " ") + text


class Verbatim(Bi):
    """A description shown as it is in a message (not quoted as a value the user wrote);
    `Verbatim(en)` or `Verbatim(en, zh)`."""

    def __new__(cls, en: str, zh: str | None = None) -> Verbatim:
        return super().__new__(cls, en, en if zh is None else zh)  # type: ignore[return-value]


def describe(value: object, lang: str = "en") -> str:
    """A short description of a value found in user input, for error messages in `lang`."""
    zh = lang == "zh"
    if isinstance(value, Verbatim):
        return say(value, lang)
    if isinstance(value, str):
        return repr(value) if len(value) <= 200 else repr(value[:197] + "...")
    if isinstance(value, bool):
        return f"{value}（true/false）" if zh else f"{value} (true/false)"
    if isinstance(value, dict):
        return "一个映射（键: 值）" if zh else "a mapping"
    if isinstance(value, list):
        return "一个列表" if zh else "a list"
    if value is None:
        return "空（未填写）" if zh else "nothing (empty)"
    return str(value)


class MissingExtra(InputError):
    """A command or call needs an optional part of stationplan that is not installed."""


EXTRAS = {
    "lab": Bi("JupyterLab and the notebooks' widgets", "JupyterLab 和笔记本的交互控件"),
    "dask": Bi(
        "Dask, to run experiments and replications on a cluster of processes",
        "Dask，用多个进程运行实验和重复模拟",
    ),
    "sensitivity": Bi(
        "SALib, for the Morris and Sobol methods", "SALib，用于 Morris 和 Sobol 方法"
    ),
}
"""The optional extras of pyproject.toml and what each brings."""


def require(module: str, extra: str, purpose: str) -> None:
    """Raise MissingExtra naming the pip extra to install when `module` cannot be imported;
    `purpose` (what needs it) is Bi text, so the message reads in either language."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingExtra(
            None,
            None,
            "",
            problem=Bi(
                f"{purpose} needs the optional package {module} ({EXTRAS[extra]}); install it "
                f"with pip install 'stationplan[{extra}]' (make demo installs every extra)",
                f"{say(purpose, 'zh')}需要可选软件包 {module}（{say(EXTRAS[extra], 'zh')}）；"
                f"请用 pip install 'stationplan[{extra}]' 安装（make demo 会安装全部可选包）",
            ),
        )


WRITE_PROBLEMS: dict[int, Bi] = {
    getattr(errno, name): text
    for name, text in (
        ("ENOSPC", Bi("the disk is full", "磁盘已满")),
        ("EDQUOT", Bi("the disk quota is used up", "磁盘配额已用完")),
        ("EFBIG", Bi("a file is too large for the file system", "文件超出文件系统的大小上限")),
        ("EROFS", Bi("it is on a read-only file system", "它位于只读文件系统上")),
        ("EACCES", Bi("no permission to write there", "没有写入权限")),
        ("EPERM", Bi("no permission to write there", "没有写入权限")),
        (
            "ENAMETOOLONG",
            Bi("a name is too long for the file system", "名称超出文件系统的长度上限"),
        ),
        ("ENOTDIR", Bi("a file is in the way", "路径中有文件挡住")),
        ("EEXIST", Bi("a file is in the way", "路径中有文件挡住")),
        ("EISDIR", Bi("a folder is in the way", "路径中有文件夹挡住")),
    )
    if hasattr(errno, name)
}
"""Why a file or folder cannot be written, by the error number the system gave (cannot_write)."""


def cannot_write(path: str | Path, exc: OSError, hint: Bi | None = None) -> InputError:
    """The one-line error for `path`, which could not be written because of `exc` (a full disk,
    a read-only folder, a file where a folder should be): it names the path and what is wrong,
    and exits 2 like bad input. `hint`: what to do."""
    path = Path(path)
    reason: str | None = WRITE_PROBLEMS.get(exc.errno or 0)
    blocking = _file_in_the_way(path) if exc.errno in (errno.ENOTDIR, errno.EEXIST) else None
    if blocking is not None:
        shown = display_path(blocking)
        reason = Bi(f"{shown} is a file, not a folder", f"{shown} 是文件，不是文件夹")
    elif reason is None:
        reason = Verbatim(exc.strerror or str(exc))
    shown = display_path(path)
    problem = Bi(f"cannot write {shown}: ", f"无法写入 {shown}：") + reason
    if hint is not None:
        problem = problem + Bi(f" ({hint})", f"（{hint.zh}）")
    return InputError(None, None, "", problem=problem)


@contextlib.contextmanager
def written_whole(path: str | Path, hint: Bi | None = None) -> Iterator[Path]:
    """Write a file in one step: the block writes the path it is given (a hidden file beside
    `path`, with the same suffix), which then replaces `path`. A file that cannot be written (a
    full disk, a read-only folder, a file where a folder should be) is `cannot_write`'s one-line
    error; whatever goes wrong, no half-written file is left and `path` is as it was."""
    path = Path(path)
    partial = path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
    try:
        yield partial
        os.replace(partial, path)
    except OSError as exc:
        raise cannot_write(path, exc, hint) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest of `path` and its parents that exists and is not a folder, if any."""
    for p in (path, *path.parents):
        if p.exists() or p.is_symlink():
            return None if p.is_dir() else p
    return None
