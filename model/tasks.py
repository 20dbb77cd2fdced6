"""How independent tasks run: the Executor protocol.

`model.executor.open_executor` opens one (serially in this process, on a local
Dask cluster of processes, or on a Dask cluster); the simulation's replications and every
experiment take one. Tasks are pure functions of their arguments, so results are the same
wherever they run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Executor(Protocol):
    """Where independent tasks run (open one with model.executor.open_executor).

    `where` says where, for manifests; `map` returns fn(*task) for every task, in task order.
    """

    where: str

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple],
        desc: str = "tasks",
        progress: bool = True,
    ) -> list[Any]: ...
