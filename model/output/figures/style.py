"""The look of every figure: the CJK font, drawn without touching matplotlib's global settings.

Figure functions are decorated with `styled`: they build their figure inside `style()`, a
`matplotlib.rc_context` that ends with the call, and return a `Figure` that draws and saves in
the same style and shows itself in notebooks (`_repr_png_`). Importing this module changes
nothing; the Noto Sans CJK SC font (shipped by mplfonts) is registered with matplotlib's font
manager on the first figure.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import matplotlib
import matplotlib.figure

FONT_FAMILY = "Noto Sans CJK SC"
"""The font of every text: Chinese renders on any machine, with no system fonts."""

RC: dict[Any, Any] = {
    "font.family": [FONT_FAMILY, "DejaVu Sans"],
    "axes.unicode_minus": False,
}  # the CJK font has no U+2212 minus
"""matplotlib settings in force while a figure is built, drawn or saved (and only then)."""

_font_registered = False

P = ParamSpec("P")
R = TypeVar("R")


def _register_font() -> None:
    """Add the Noto Sans CJK SC font file of the mplfonts package to matplotlib (once)."""
    global _font_registered
    if not _font_registered:
        from importlib import resources

        from matplotlib import font_manager

        path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
        font_manager.fontManager.addfont(str(path))
        _font_registered = True


@contextmanager
def style() -> Iterator[None]:
    """The figures' matplotlib settings (RC) for the duration of the block; restored after."""
    _register_font()
    with matplotlib.rc_context(RC):
        yield


def styled(make: Callable[P, R]) -> Callable[P, R]:
    """Decorator: build the figure inside `style()`, so no global setting outlives the call."""

    @functools.wraps(make)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with style():
            return make(*args, **kwargs)

    return inner


class Figure(matplotlib.figure.Figure):
    """A matplotlib Figure that draws and saves in `style()` and shows as a PNG in notebooks.

    Made without pyplot, so nothing keeps it alive or shows it twice: IPython displays a
    returned Figure once through `_repr_png_`.
    """

    def draw(self, renderer: Any) -> None:
        with style():
            super().draw(renderer)

    def savefig(self, *args: Any, **kwargs: Any) -> None:
        with style():
            super().savefig(*args, **kwargs)

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", bbox_inches="tight")
        return buf.getvalue()


def save(fig: matplotlib.figure.Figure, path: str | Path, svg: bool = False) -> None:
    """Write a figure as PNG (and as SVG beside it when `svg`, for print and slides)."""
    fig.savefig(path, format="png")
    if svg:
        fig.savefig(Path(path).with_suffix(".svg"), format="svg")
