"""Reading the inputs of the location models: costs, weights, capacities, fixed costs, and
OR-Library's p-median instances.

Costs come as a long table `client,facility,cost` (a CSV path or a DataFrame; pairs missing from
the table cannot be assigned) or as a matrix (numpy array, or a DataFrame with clients as rows
and facilities as columns). Per-client and per-facility values come as a two-column table
(`client,weight`, `facility,capacity`, `facility,fixed_cost`; CSV path or DataFrame), a Series
or dict keyed by id, an array in the clients' (facilities') order, or one number for all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.errors import Bi, InputError, display_path


@dataclass(frozen=True)
class Costs:
    """A cost matrix: `matrix[i, j]` the cost from client `clients[i]` to facility
    `facilities[j]` (np.inf where the pair cannot be assigned)."""

    clients: pd.Index
    facilities: pd.Index
    matrix: np.ndarray


def _table(source: str | Path | pd.DataFrame, what: str) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source, what
    path = Path(source)
    if not path.exists():
        raise InputError(display_path(path), None, Bi("an existing CSV file", "存在的 CSV 文件"))
    return pd.read_csv(path, encoding="utf-8-sig"), display_path(path)


def _numbers(values: Any, label: str, where: str) -> np.ndarray:
    out = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(out) | (out < 0)
    if bad.any():
        k = int(np.argmax(bad))
        raise InputError(
            where,
            Bi(f"row {k + 1}", f"第 {k + 1} 行"),
            Bi(f"a number ≥ 0 for {label}", f"{label} 为不小于 0 的数"),
            pd.Series(values).iloc[k],
        )
    return out


def read_costs(costs: str | Path | pd.DataFrame | np.ndarray) -> Costs:
    """The cost matrix of `costs` (long table or matrix, see the module's docstring)."""
    if isinstance(costs, np.ndarray):
        matrix = np.array(costs, dtype=float)
        if matrix.ndim != 2 or matrix.size == 0:
            raise InputError(
                "costs", None, Bi("a 2-D matrix, clients × facilities", "二维矩阵（客户 × 设施）")
            )
        clients, facilities = pd.RangeIndex(matrix.shape[0]), pd.RangeIndex(matrix.shape[1])
        where = "costs"
    else:
        frame, where = _table(costs, "costs")
        if {"client", "facility", "cost"} <= set(frame.columns):
            frame = frame[["client", "facility", "cost"]]
            cost = _numbers(frame["cost"], "cost", where)
            pairs = frame.assign(cost=cost)
            if pairs.duplicated(["client", "facility"]).any():
                row = pairs[pairs.duplicated(["client", "facility"])].iloc[0]
                raise InputError(
                    where,
                    Bi(f"client {row.client}, facility {row.facility}", "重复的客户—设施对"),
                    Bi("each client-facility pair once", "每个客户—设施对只出现一次"),
                )
            wide = pairs.pivot(index="client", columns="facility", values="cost")
            # clients and facilities in the order they first appear in the table
            clients = pd.Index(pd.unique(pairs["client"]))
            facilities = pd.Index(pd.unique(pairs["facility"]))
            matrix = np.array(wide.reindex(index=clients, columns=facilities), dtype=float)
            matrix[np.isnan(matrix)] = np.inf
        elif isinstance(costs, pd.DataFrame):
            matrix = np.array(costs.apply(pd.to_numeric, errors="coerce"), dtype=float)
            clients, facilities = pd.Index(costs.index), pd.Index(costs.columns)
        else:
            raise InputError(
                where,
                None,
                Bi("columns client, facility, cost", "列 client、facility、cost"),
                Bi(", ".join(map(str, frame.columns)), "、".join(map(str, frame.columns))),
            )
    if np.isnan(matrix).any() or (matrix < 0).any():
        i, j = np.argwhere(np.isnan(matrix) | (matrix < 0))[0]
        raise InputError(
            where,
            Bi(
                f"client {clients[i]}, facility {facilities[j]}",
                f"客户 {clients[i]}，设施 {facilities[j]}",
            ),
            Bi("a cost ≥ 0", "不小于 0 的成本"),
            matrix[i, j],
        )
    unreachable = np.isinf(matrix).all(axis=1)
    if unreachable.any():
        c = clients[int(np.argmax(unreachable))]
        raise InputError(
            where,
            Bi(f"client {c}", f"客户 {c}"),
            Bi("a cost to at least one facility", "至少到一个设施的成本"),
            hint=Bi("add a row for the client", "为该客户补一行"),
        )
    return Costs(clients, facilities, matrix)


def per_item(
    values: Any, ids: pd.Index, key: str, column: str, *, default: float | None = None
) -> np.ndarray | None:
    """`values` (table, Series, dict, array or one number; None gives `default` or None) as an
    array in the order of `ids` (`key` the id column: client or facility)."""
    if values is None:
        return None if default is None else np.full(len(ids), float(default))
    label = Bi(column, column)
    if np.isscalar(values):
        return np.full(len(ids), float(_numbers([values], label, column)[0]))
    where = column
    if isinstance(values, (str, Path)) or (
        isinstance(values, pd.DataFrame) and key in values.columns
    ):
        frame, where = _table(values, column)
        value_col = column if column in frame.columns else None
        others = [c for c in frame.columns if c != key]
        if key not in frame.columns or (value_col is None and len(others) != 1):
            raise InputError(
                where,
                None,
                Bi(f"columns {key}, {column}", f"列 {key}、{column}"),
                list(frame.columns),
            )
        values = frame.set_index(key)[value_col or others[0]]
    if isinstance(values, (pd.Series, Mapping)):
        series = pd.Series(values)
        # ids read from CSV may be numbers where the costs had text, or the other way round
        lookup = {str(k): v for k, v in series.items()}
        missing = [i for i in ids if str(i) not in lookup]
        if missing:
            raise InputError(
                where,
                Bi(f"{key} {missing[0]}", f"{key} {missing[0]}"),
                Bi(f"a {column} for every {key} of the costs", f"成本表中每个 {key} 的 {column}"),
                hint=Bi(f"{len(missing)} missing", f"缺 {len(missing)} 个"),
            )
        return _numbers([lookup[str(i)] for i in ids], label, where)
    array = np.asarray(values, dtype=float).ravel()
    if len(array) != len(ids):
        raise InputError(
            where,
            None,
            Bi(f"{len(ids)} values, one per {key}", f"{len(ids)} 个值，每个 {key} 一个"),
            Bi(f"{len(array)} values", f"{len(array)} 个值"),
        )
    return _numbers(array, label, where)


def read_orlib_pmed(path: str | Path) -> tuple[pd.DataFrame, int]:
    """An OR-Library p-median instance (Beasley 1985): the all-pairs shortest-path cost matrix
    (vertices 1..n as clients and facilities) and p.

    The file: `n m p`, then m lines `i j cost` of an undirected graph (1-based). Where an edge
    appears twice, the later line counts (OR-Library's files have such duplicates, and the
    published optima are those of the last line). Source of the format:
    https://people.brunel.ac.uk/~mastjjb/jeb/orlib/pmedinfo.html.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import shortest_path

    where = display_path(path)
    try:
        numbers = np.array(Path(path).read_text(encoding="utf-8").split(), dtype=np.int64)
    except (OSError, ValueError):
        raise InputError(
            where,
            None,
            Bi("an OR-Library p-median file of whole numbers", "OR-Library 格式的整数文件"),
        ) from None
    if len(numbers) < 3:
        raise InputError(where, None, Bi("a first line n m p", "首行 n m p"))
    n, m, p = (int(x) for x in numbers[:3])
    edges = numbers[3:]
    if len(edges) != 3 * m or n < 1:
        raise InputError(
            where,
            None,
            Bi(f"{m} edges of three numbers after `n m p`", f"`n m p` 之后 {m} 行边（每行三个数）"),
            Bi(f"{len(edges)} numbers", f"{len(edges)} 个数"),
        )
    edges = edges.reshape(m, 3)
    i, j, cost = edges[:, 0] - 1, edges[:, 1] - 1, edges[:, 2].astype(float)
    if (i < 0).any() or (j < 0).any() or (i >= n).any() or (j >= n).any():
        raise InputError(where, None, Bi(f"vertices 1 to {n}", f"顶点编号 1 至 {n}"))
    # the later duplicate wins: keep each unordered pair's last line
    a, b = np.minimum(i, j), np.maximum(i, j)
    key = a * n + b
    _, last_rev = np.unique(key[::-1], return_index=True)
    keep = m - 1 - last_rev
    a, b, cost = a[keep], b[keep], cost[keep]
    graph = csr_matrix((cost, (a, b)), shape=(n, n))
    dist = shortest_path(graph, method="D", directed=False)
    ids = pd.RangeIndex(1, n + 1)
    return pd.DataFrame(dist, index=ids, columns=ids), p
