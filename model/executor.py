"""Where experiment tasks run: serially, on a local Dask cluster of processes, or on a Dask cluster.

    with open_executor(scheduler=None) as ex:          # local cluster sized to the machine
        results = ex.map(task, [args1, args2, ...], desc="budget levels")

`scheduler`: None → a LocalCluster of processes (one per core, one thread each);
"serial" → in this process, one after another; "tcp://HOST:PORT" (or the environment variable
STATIONPLAN_SCHEDULER) → an existing Dask cluster, so a national sweep can run on many
machines. Results come back in task order whatever order they finish in; a progress bar
follows the tasks. Tasks are pure functions of their arguments: every seed they use comes
from the scenario's seed and the task's identity, so results are the same wherever they run.

Both executors here satisfy the `Executor` protocol (model.tasks): `where`
(for manifests) and `map(fn, tasks, desc, progress, keep_going)`. `local_processes` is the
pool of worker processes the simulation's replications use without an executor.

A worker process that dies while running a task (a crash, the memory killer) loses the task;
the local cluster runs it once more on another worker (`RERUNS`), then gives it up: `map`
raises Dask's KilledWorker, or with `keep_going` puts `Failed("worker lost", …)` in its place
and completes the other tasks. A task that raises (bad input, no plan) is never run again: it
would raise again. A cluster at a scheduler address reruns as its own configuration says
(Dask's `distributed.scheduler.allowed-failures`, default 3).

Stopping: when the block ends by an exception (Ctrl-C, SIGTERM — model.cli.interrupts — or an
error), every worker process ends with it: the local pool's workers are terminated, not waited
for, the local Dask cluster is closed, and a remote cluster's tasks are cancelled.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

from tqdm.auto import tqdm

from model.errors import Bi, InputError, require
from model.tasks import Executor, Failed
from model.vocabulary import progress_words

ENV = "STATIONPLAN_SCHEDULER"

RERUNS = 1
"""Times the local cluster runs a task again after its worker process died running it (Dask's
allowed-failures): once, in case the worker died of something else (another task's memory,
a signal); a task that kills its worker twice would keep killing them."""


class SerialExecutor:
    """Runs the tasks in this process, one after another."""

    where = "serial"

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple],
        desc: str = "tasks",
        progress: bool = True,
        keep_going: bool = False,
    ) -> list[Any]:
        """fn(*task) for every task, results in task order (no worker to lose here:
        `keep_going` changes nothing)."""
        results: list[Any] = []
        with tqdm(
            total=len(tasks), desc=desc, unit=task_unit(desc), disable=not progress, leave=False
        ) as bar:
            for task in tasks:
                results.append(fn(*task))
                bar.update()
        return results


class DaskExecutor:
    """Runs the tasks on a Dask cluster through `client`; `where` names the cluster."""

    def __init__(self, client: Any, where: str) -> None:
        self.client = client
        self.where = where

    def map(
        self,
        fn: Callable[..., Any],
        tasks: Sequence[tuple],
        desc: str = "tasks",
        progress: bool = True,
        keep_going: bool = False,
    ) -> list[Any]:
        """fn(*task) for every task, results in task order whatever order they finish in; with
        `keep_going`, `Failed("worker lost", …)` for a task whose workers died (module
        docstring)."""
        from dask.distributed import as_completed
        from distributed import KilledWorker

        results: list[Any] = [None] * len(tasks)
        tasks, sent = self._shared(tasks)
        with tqdm(
            total=len(tasks), desc=desc, unit=task_unit(desc), disable=not progress, leave=False
        ) as bar:
            futures = [self.client.submit(fn, *task, pure=False) for task in tasks]
            index = {f.key: k for k, f in enumerate(futures)}
            try:
                for future in as_completed(futures):
                    k = index[future.key]
                    try:
                        results[k] = future.result()
                    except KilledWorker as exc:
                        if not keep_going:
                            raise
                        results[k] = lost(desc, k, exc)
                    bar.update()
            except BaseException:  # Ctrl-C, SIGTERM, a task's error: nothing left running
                try:  # the shared arguments too: a scheduler telling a closed client of them
                    self.client.cancel(futures + sent)  # prints tracebacks
                except Exception:  # noqa: BLE001 - a scheduler already gone has nothing to cancel
                    pass
                raise
        return results

    def _shared(self, tasks: Sequence[tuple]) -> tuple[list[tuple], list[Any]]:
        """The tasks with every argument that several of them share (the same object, at the top
        of a task or inside a tuple argument, e.g. the scenario of every simulation block) sent to
        the cluster once and passed as its future: a national scenario is 10 MB pickled, and a
        replication of the country is 310 tasks. Functions (an experiment's task, run through
        model.experiments.failures.attempt) travel by name, as they are. Returns the tasks and
        the futures of what was sent."""

        def parts(task: tuple) -> Iterator[Any]:
            for arg in task:
                yield arg
                if isinstance(arg, tuple):
                    yield from arg

        count: dict[int, int] = {}
        objects: dict[int, Any] = {}
        for task in tasks:
            for arg in parts(task):
                if not isinstance(
                    arg, (str, bytes, int, float, bool, tuple, type(None))
                ) and not callable(arg):
                    count[id(arg)] = count.get(id(arg), 0) + 1
                    objects[id(arg)] = arg
        many = [k for k, n in count.items() if n > 1]
        if not many:
            return list(tasks), []
        sent = dict(zip(many, self.client.scatter([objects[k] for k in many], hash=False)))

        def swap(arg: Any) -> Any:
            if isinstance(arg, tuple):
                return tuple(sent.get(id(a), a) for a in arg)
            return sent.get(id(arg), arg)

        return [tuple(swap(arg) for arg in task) for task in tasks], list(sent.values())


HELD = ("SIGINT", "SIGTERM", "SIGHUP")
"""The signals `_signals_held` holds back (those this system has)."""


@contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Within: Ctrl-C, SIGTERM and SIGHUP are noted in the list yielded instead of acted on;
    the handlers before are put back after. When the block ends normally the caller raises
    what was held (`signal.raise_signal`) once it is ready to; when it fails, it is raised
    here, since the signal (the workers it reached, say) is what made it fail. Off the main
    thread nothing changes."""
    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    saved = {}
    for name in HELD:
        if hasattr(signal, name):
            number = getattr(signal, name)
            saved[number] = signal.signal(number, lambda signum, frame: held.append(signum))

    def restore() -> None:
        for number, handler in saved.items():
            signal.signal(number, handler)

    try:
        yield held
    except BaseException:
        restore()
        for number in held[:1]:
            signal.raise_signal(number)
        raise
    restore()


_ENDERS: list[Callable[[BaseException], None]] = []


@contextmanager
def ending_at_once(end: Callable[[BaseException], None]) -> Iterator[None]:
    """Within: `end_at_once(exc)` calls `end(exc)`, which ends the process (the command line's:
    it removes what the run wrote, says why and exits)."""
    _ENDERS.append(end)
    try:
        yield
    finally:
        _ENDERS.remove(end)


def end_at_once(exc: BaseException) -> None:
    """Ctrl-C or SIGTERM (`exc`) came where unwinding is not safe (a solve still running in its
    thread on a model the unwinding would change, model.optimizer.highs.run_highs): end the
    process through the `ending_at_once` handler. Without one, return: the caller waits for
    what runs, then raises `exc`."""
    for end in _ENDERS[-1:]:
        end(exc)


def task_unit(desc: str) -> str:
    """The unit of a progress bar over tasks, in the language its description (`desc`, already
    in the user's language) is written in: 项 beside Chinese, task otherwise."""
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in desc)
    return progress_words("task", "zh" if chinese else "en")


PR_SET_PDEATHSIG = 1
"""Linux prctl(2) option: the signal a process gets when its parent ends."""


def _worker_signals(parent: int | None = None) -> None:
    """In a worker process: Ctrl-C is the parent's to handle (a terminal sends it to every
    process of the command), SIGTERM ends the worker at once (the parent sends it). On Linux
    the worker also gets SIGTERM when its parent `parent` ends in any way, kill -9 included
    (prctl's parent-death signal), so no worker outlives the command."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is None or not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the parent's own cleanup still ends workers
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


@contextmanager
def local_processes(n: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `n` worker processes on this machine, its workers gone however the block ends.

    On an exception (Ctrl-C, SIGTERM, an error) queued tasks are cancelled and the workers
    terminated rather than waited for: a worker blocked writing its result to a parent that no
    longer reads would otherwise stay behind.
    """
    pool = ProcessPoolExecutor(max_workers=n, initializer=_worker_signals, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(5)
            if worker.is_alive():
                worker.kill()
        raise
    pool.shutdown(wait=True)


def lost(desc: str, k: int, exc: Exception) -> Failed:
    """The Failed of task `k` of the tasks `desc` whose worker processes died running it."""
    runs = int(getattr(exc, "allowed_failures", RERUNS)) + 1
    return Failed(
        "worker lost",
        Bi(
            f"the worker process running task {k + 1} of {desc} died {runs} times (a crash, or "
            "out of memory); see the Dask workers' logs",
            f"运行 {desc} 第 {k + 1} 个任务的工作进程 {runs} 次中途退出（崩溃或内存不足）；"
            "请查看 Dask 工作进程的日志",
        ),
    )


@contextmanager
def open_executor(scheduler: str | None = None, workers: int | None = None) -> Iterator[Executor]:
    """The executor for `scheduler` (module docstring); closes a cluster it started.

    `workers`: processes of the local cluster (default: one per core).
    """
    scheduler = scheduler or os.environ.get(ENV) or None
    if scheduler == "serial":
        yield SerialExecutor()
        return
    require(
        "distributed",
        "dask",
        Bi(
            "Running tasks on Dask (the default; --scheduler serial runs them here)",
            "用 Dask 运行任务（默认方式；--scheduler serial 则在本进程中运行）",
        ),
    )
    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler is None:
        n = workers or max(1, os.cpu_count() or 1)
        with (
            _signals_held() as held,  # a cluster cut off while it starts cannot be closed
            dask.config.set(
                {
                    "distributed.scheduler.allowed-failures": RERUNS,
                    "distributed.scheduler.worker-saturation": 1.0,
                }
            ),
        ):
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a worker's heartbeat racing the close is no error
            )
            client = Client(cluster)
        try:
            for number in held[:1]:  # now it can: Ctrl-C or SIGTERM act as they would have
                signal.raise_signal(number)
            yield DaskExecutor(client, f"local Dask cluster, {n} processes")
        finally:
            # the in-process scheduler, cut off by a signal, logs at CRITICAL (with a traceback)
            # what it could not tell the closed client: a closing cluster's race, no error
            logging.getLogger("distributed").setLevel(logging.CRITICAL + 1)
            client.close()
            cluster.close()
        return
    if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise InputError(
            "--scheduler",
            None,
            Bi(
                "a Dask scheduler address such as tcp://10.0.0.5:8786, or 'serial'",
                "Dask 调度器地址（如 tcp://10.0.0.5:8786）或 'serial'",
            ),
            scheduler,
        )
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise InputError(
            "--scheduler",
            None,
            "",
            problem=Bi(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                f"无法连接 {scheduler} 上的 Dask 调度器（报错 '{exc}'）",
            ),
        ) from None
    try:
        yield DaskExecutor(client, f"Dask scheduler {scheduler}")
    finally:
        client.close()
