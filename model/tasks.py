"""How independent tasks run: the Executor protocol.

`model.executor.open_executor` opens one (serially in this process, on a local
Dask cluster of processes, or on a Dask cluster); the simulation's replications and every
experiment take one. Tasks are pure functions of their arguments, so results are the same
wherever they run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Failed:
    """What a task gave instead of its result when it could not give one: `status` says why —
    "infeasible" (no plan fits the member's limits, e.g. a budget level below what the stations
    that must stay open cost), "no plan" (the solver found none within its time limit), "worker
    lost" (the process running it died twice: a crash or the memory killer) — and `reason` is
    one line (Bi text where it has its Chinese twin). An experiment records its failed members
    and completes the others."""

    status: str
    reason: str


class Executor(Protocol):
    """Where independent tasks run (open one with model.executor.open_executor).

    `where` says where, for manifests; `map` returns fn(*task) for every task, in task order.
    A task whose worker process dies is run once more, on another worker; with `keep_going`, a
    task lost a second time gives `Failed("worker lost", …)` in its place and the other tasks
    complete (without, the loss is raised).
    """

    where: str

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple],
        desc: str = "tasks",
        progress: bool = True,
        keep_going: bool = False,
    ) -> list[Any]: ...
