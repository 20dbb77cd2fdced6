"""The one error type for bad user input.

Every problem with a file the user wrote (scenario YAML, township table, command-line
value) is raised as :class:`InputError`; the command line prints its one-line message and
exits with code 2. Anything else is an internal error (exit code 1).
"""

from __future__ import annotations

from pathlib import Path


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class InputError(Exception):
    """Bad user input: names where (file, field or row/column), what was expected, what was
    found."""

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

    @property
    def message(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        if self.problem:
            return ": ".join(parts + [self.problem])
        text = ": ".join(parts + [f"expected {self.expected}" if self.expected else ""]).rstrip(
            ": "
        )
        if self.got is not None:
            text += f", got {describe(self.got)}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class Verbatim(str):
    """A description shown as it is in a message (not quoted as a value the user wrote)."""


def describe(value: object) -> str:
    """A short description of a value found in user input, for error messages."""
    if isinstance(value, Verbatim):
        return str(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 200 else repr(value[:197] + "...")
    if isinstance(value, bool):
        return f"{value} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty)"
    return str(value)


class MissingExtra(InputError):
    """A command or call needs an optional part of stationplan that is not installed."""


EXTRAS = {
    "lab": "JupyterLab and the notebooks' widgets",
    "dask": "Dask, to run experiments and replications on a cluster of processes",
    "sensitivity": "SALib, for the Morris and Sobol methods",
}
"""The optional extras of pyproject.toml and what each brings."""


def require(module: str, extra: str, purpose: str) -> None:
    """Raise MissingExtra naming the pip extra to install when `module` cannot be imported."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingExtra(
            None,
            None,
            "",
            problem=(
                f"{purpose} needs the optional package {module} ({EXTRAS[extra]}); install it "
                f"with pip install 'stationplan[{extra}]' (make demo installs every extra)"
            ),
        )
