"""Reading a solved model: the value of a variable or an expression."""

from __future__ import annotations

from typing import Any

import pulp


def value_of(x: Any) -> float:
    """The value of a PuLP variable or expression after a solve (a number is itself); 0 when it
    has none (a variable the solver never set)."""
    v = x if isinstance(x, int | float) else pulp.value(x)
    return 0.0 if v is None else float(v)
