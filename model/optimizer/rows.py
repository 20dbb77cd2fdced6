"""Rows built from arrays: on large models solved with HiGHS, the families whose rows are per
township and year are built as CSR blocks with numpy instead of one PuLP constraint per row
(model.optimizer.formulation), where PuLP's per-row objects dominate the time of a build.

The columns stay PuLP variables (their names, bounds and values are what everything else reads);
a block refers to them by id (`ArrayRows.ids`). A `Problem` is a PuLP problem with its array
rows beside its own constraints; each block remembers how many PuLP rows came before it, so that
`matrix` lays every row out in exactly the order the PuLP path adds them (HiGHS's path through
the search depends on it), with the same coefficients in the same order within each row.

Only HiGHS sees the array rows, through `matrix` (model.optimizer.highs: `HighsSession` and
`WarmHiGHS`); `prob.constraints()` and `prob.get_constraint_by_name` see the PuLP rows alone,
and writing the problem (writeLP, writeMPS) or solving it with another solver is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pulp


@dataclass
class RowBlock:
    """Rows of the problem as CSR arrays: row r has `values[starts[r]:starts[r + 1]]` at the
    columns `ids[...]` (ids of `ArrayRows.columns`), within [lower[r], upper[r]] (±inf: none).
    `at[r]`: the PuLP rows added before row r (its place among the problem's rows)."""

    at: np.ndarray
    names: list[str]
    lower: np.ndarray
    upper: np.ndarray
    starts: np.ndarray
    ids: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.names)


class ArrayRows:
    """A problem's rows built from arrays: blocks in the order they were added (rows added one by
    one are gathered into a block when the blocks are read) and the variables they refer to
    (`columns`, each once; a block's ids index it)."""

    def __init__(self) -> None:
        self.columns: list[pulp.LpVariable] = []
        self._id: dict[int, int] = {}
        self._blocks: list[RowBlock] = []
        self._pending: list[tuple[int, str, np.ndarray, np.ndarray, float, float]] = []

    def __len__(self) -> int:
        return sum(len(b) for b in self._blocks) + len(self._pending)

    def ids(self, variables: Iterable[Any]) -> np.ndarray:
        """Each variable's id, -1 for None (no variable there); a variable seen for the first time
        is added to `columns`."""
        out = []
        for var in variables:
            if var is None:
                out.append(-1)
                continue
            k = self._id.get(var.hash)
            if k is None:
                k = self._id[var.hash] = len(self.columns)
                self.columns.append(var)
            out.append(k)
        return np.array(out, dtype=np.int64)

    @property
    def blocks(self) -> list[RowBlock]:
        """The blocks, the rows added one by one since the last block as one more."""
        if self._pending:
            at, names, ids, values, lower, upper = zip(*self._pending, strict=True)
            self._pending = []
            counts = np.array([len(k) for k in ids], np.int64)
            self._blocks.append(
                RowBlock(
                    np.array(at, np.int64),
                    list(names),
                    np.array(lower, float),
                    np.array(upper, float),
                    np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                    np.concatenate(ids).astype(np.int64),
                    np.concatenate(values).astype(float),
                )
            )
        return self._blocks

    def add_block(self, block: RowBlock) -> None:
        if len(block):
            self.blocks.append(block)

    def add_row(
        self, at: int, name: str, ids: np.ndarray, values: np.ndarray, lower: float, upper: float
    ) -> None:
        self._pending.append((at, name, ids, values, lower, upper))


class Problem(pulp.LpProblem):
    """A PuLP problem whose rows are its PuLP constraints and, beside them, `array_rows`."""

    def __init__(self, name: str = "NoName", sense: int = pulp.LpMinimize) -> None:
        super().__init__(name, sense)
        self.array_rows = ArrayRows()
        self._registered: set[int] = set()  # ids of the columns registered

    def add_rows(self, kinds: Sequence[RowKind], items: int) -> None:
        """Add the rows of `kinds` as one block after the PuLP rows so far, interleaved as the
        PuLP path adds them: item by item (e.g. township-year by township-year), within an item in
        the order of `kinds` (`interleave`)."""
        block = interleave(kinds, items, len(self._constraints))
        self._register(block.ids)
        self.array_rows.add_block(block)

    def add_row(
        self, name: str, ids: np.ndarray, values: np.ndarray, lower: float, upper: float
    ) -> None:
        """Add one array row after the PuLP rows so far (for a family whose rows interleave with
        PuLP rows): `values` at the columns `ids` (`ArrayRows.ids`), in PuLP's order."""
        self._register(ids)
        self.array_rows.add_row(len(self._constraints), name, ids, values, lower, upper)

    def _register(self, ids: np.ndarray) -> None:
        """Register the variables of the columns `ids`, as adding PuLP constraints does (a
        variable in no row nor the objective is no column)."""
        fresh = set(ids.tolist()) - self._registered
        self._registered |= fresh
        cols = self.array_rows.columns
        self._add_variables(cols[k] for k in sorted(fresh))

    def numConstraints(self) -> int:
        """Rows of the problem: its PuLP constraints and its array rows."""
        return len(self._constraints) + len(self.array_rows)

    def _refuse(self, what: str) -> None:
        if len(self.array_rows):
            raise ValueError(
                f"{what}: the problem has {len(self.array_rows):,} rows built from arrays "
                "(model.optimizer.rows), which only HiGHS sees; build it with arrays=False"
            )

    def writeLP(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse("writeLP")
        return super().writeLP(*args, **kwargs)

    def writeMPS(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse("writeMPS")
        return super().writeMPS(*args, **kwargs)

    def solve(self, solver: Any = None, **kwargs: Any) -> Any:
        """PuLP's solve; a problem with array rows only with a solver that takes them
        (`takes_array_rows`: model.optimizer.highs.WarmHiGHS)."""
        if not getattr(solver, "takes_array_rows", False):
            self._refuse(f"solve with {type(solver).__name__}")
        return super().solve(solver, **kwargs)


@dataclass
class RowKind:
    """One kind of row of a family, one row per item where `where` holds (items e.g. the
    township-years in the order the PuLP path visits them).

    `ids`: items × width, the columns' ids (`ArrayRows.ids`; -1: no entry), `values` their
    coefficients (one per column of the width, or items × width), in the order PuLP's
    expression has them; entries with a zero coefficient are left out, as HiGHS gets them.
    `lower`, `upper`: the bounds (scalars or one per item; ±inf: none), `names(items)`: the
    rows' names for those items."""

    names: Any
    where: np.ndarray
    ids: np.ndarray
    values: np.ndarray
    lower: Any
    upper: Any


def interleave(kinds: Sequence[RowKind], items: int, at: int) -> RowBlock:
    """The rows of `kinds` as one block: ordered by item, then by kind (see `RowKind`)."""
    keys, names, lower, upper, counts, ids, values = [], [], [], [], [], [], []
    for r, kind in enumerate(kinds):
        rows = np.flatnonzero(kind.where)
        if not len(rows):
            continue
        keys.append(rows * len(kinds) + r)
        names.extend(kind.names(rows))
        lower.append(np.broadcast_to(np.asarray(kind.lower, float), kind.where.shape)[rows])
        upper.append(np.broadcast_to(np.asarray(kind.upper, float), kind.where.shape)[rows])
        cols = kind.ids[rows]
        vals = np.broadcast_to(np.asarray(kind.values, float), kind.ids.shape)[rows]
        keep = (cols >= 0) & (vals != 0)
        counts.append(keep.sum(axis=1))
        ids.append(cols[keep])  # row-major: each row's entries in its order
        values.append(vals[keep])
    if not keys:
        empty = np.zeros(0)
        none = empty.astype(np.int64)
        return RowBlock(none, [], empty, empty, np.zeros(1, np.int64), none, empty)
    order = np.argsort(np.concatenate(keys), kind="stable")
    start = np.concatenate([[0], np.cumsum(np.concatenate(counts))]).astype(np.int64)
    new_start, take = _reordered(start, order)
    return RowBlock(
        np.full(len(order), at, np.int64),
        [names[q] for q in order.tolist()],
        np.concatenate(lower)[order],
        np.concatenate(upper)[order],
        new_start,
        np.concatenate(ids)[take],
        np.concatenate(values)[take],
    )


def _reordered(starts: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR rows put in `order`: the new rows' starts, and for each new entry its old place."""
    count = np.diff(starts)[order]
    new = np.concatenate([[0], np.cumsum(count)]).astype(np.int64)
    # entry k of new row q is old entry starts[order[q]] + k
    return new, np.repeat(starts[:-1][order] - new[:-1], count) + np.arange(new[-1])


@dataclass
class Matrix:
    """Every row of a problem, PuLP's and the array rows, in the problem's order, as CSR arrays
    over the columns' positions (`var.index`)."""

    names: list[str]
    lower: np.ndarray
    upper: np.ndarray
    starts: np.ndarray  # one per row, and the number of entries last
    indices: np.ndarray
    values: np.ndarray


def add_rows(h: Any, rows: Matrix) -> None:
    """Pass `rows` to the highspy model `h` in one call (its columns already added)."""
    h.addRows(
        len(rows.names),
        rows.lower,
        rows.upper,
        len(rows.indices),
        rows.starts[:-1].astype(np.int32),
        rows.indices.astype(np.int32),
        rows.values,
    )


def matrix(prob: pulp.LpProblem, index_pulp_rows: bool = False) -> Matrix:
    """Every row of `prob` in order, with the columns' positions `var.index` (set by the caller
    for every variable of prob.variables()): each array row after the PuLP rows added before it
    (`RowBlock.at`), array rows in the order they were added. With `index_pulp_rows`, each PuLP
    constraint's `index` is set to its row (for PuLP's HiGHS interface to read its solution
    back)."""
    inf = float("inf")
    constraints = prob.constraints()
    names: list[str] = []
    lower, upper, counts, indices, values = [], [], [], [], []
    for con in constraints:
        names.append(con.name)
        n = 0
        for var, coef in con.items():
            if coef:
                indices.append(var.index)
                values.append(coef)
                n += 1
        counts.append(n)
        lb, ub = con.getLb(), con.getUb()
        lower.append(-inf if lb is None else lb)
        upper.append(inf if ub is None else ub)
    blocks = prob.array_rows.blocks if isinstance(prob, Problem) else []
    if not blocks:  # PuLP's rows alone
        starts = np.concatenate([[0], np.cumsum(np.array(counts, np.int64))]).astype(np.int64)
        if index_pulp_rows:
            for r, con in enumerate(constraints):
                con.index = r
        return Matrix(
            names,
            np.array(lower, float),
            np.array(upper, float),
            starts,
            np.array(indices, np.int64),
            np.array(values, float),
        )
    # PuLP row j after the array rows with at <= j: keys 2j + 1 and 2 at, in a stable sort
    where = np.array([var.index for var in prob.array_rows.columns], dtype=np.int64)
    m = len(names)
    keys = np.concatenate([2 * np.arange(m) + 1] + [2 * b.at for b in blocks])
    count = np.concatenate([np.array(counts, np.int64)] + [np.diff(b.starts) for b in blocks])
    order = np.argsort(keys, kind="stable")
    starts, take = _reordered(np.concatenate([[0], np.cumsum(count)]).astype(np.int64), order)
    every_name = names + [name for b in blocks for name in b.names]
    if index_pulp_rows:
        row = np.empty(len(order), np.int64)
        row[order] = np.arange(len(order))
        for r, con in zip(row[:m].tolist(), constraints, strict=True):
            con.index = r
    return Matrix(
        [every_name[q] for q in order.tolist()],
        np.concatenate([np.array(lower, float)] + [b.lower for b in blocks])[order],
        np.concatenate([np.array(upper, float)] + [b.upper for b in blocks])[order],
        starts,
        np.concatenate([np.array(indices, np.int64)] + [where[b.ids] for b in blocks])[take],
        np.concatenate([np.array(values, float)] + [b.values for b in blocks])[take],
    )
