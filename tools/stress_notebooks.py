"""Execute notebooks with nbclient, many times in a row, and report any hang.

    python tools/stress_notebooks.py                       # every notebook 3 times
    python tools/stress_notebooks.py -n 10 notebooks/04_workshop.ipynb --limit 600
    python tools/stress_notebooks.py --save results/slides notebooks/04_workshop.ipynb

Each run is a child process (its own session, so a hung kernel goes with it) with a time
limit per notebook (seconds); a run over its limit is killed and reported as a hang. Prints one
line per run (seconds, late wake-ups, outcome) and exits 1 if any run failed or hung.
`STATIONPLAN_FAST=1` is set, as in the test suite. `--save DIR` instead executes each notebook
once (in DIR, without STATIONPLAN_FAST) and writes it there with its outputs (`make slides`).

`execute()` is also what tests/test_notebooks.py uses: finite time limits per cell and for
IOPub output, an error (not a warning and a silently empty cell) when IOPub output is late, and
the kernel client's channels polled in slices of half a second. The slices are the fix for
the idle hang: pyzmq's asyncio poll waits on an edge-triggered descriptor and can miss the
wake-up for a message that has already arrived (zeromq/pyzmq #1558, #2173); when its timeout
fires it polls once more and finds the message. nbclient waits for the execute reply with the
whole cell timeout as one poll (600 s in the old test: the kernel idle, the client waiting,
then the cell finishing as if nothing happened; nbclient #312) and for IOPub output with no
timeout at all. Polled in slices, a missed wake-up costs half a second; each one is counted
(a message found only when a slice ran out) and reported as a late wake-up.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT_S = 300  # the slowest cell (a re-plan at 80% of the budget) takes about 20 s
IOPUB_TIMEOUT_S = 30  # output after the execute reply (a figure is a few hundred kB)
SLICE_S = 0.5  # longest single poll of a kernel channel

LATE_WAKEUPS = 0  # messages found only when a poll slice ran out (this process)


def _patient_client_class() -> type:
    """An async kernel client whose channels poll in slices of SLICE_S seconds."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.channels import AsyncZMQSocketChannel
    from traitlets import Type

    class PatientChannel(AsyncZMQSocketChannel):
        """A channel whose get_msg polls at most SLICE_S seconds at a time."""

        async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
            global LATE_WAKEUPS
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                left = SLICE_S if deadline is None else max(0.0, deadline - time.monotonic())
                wait = min(SLICE_S, left)
                t0 = time.monotonic()
                try:
                    msg = await super().get_msg(timeout=wait)
                except Empty:
                    if deadline is not None and time.monotonic() >= deadline:
                        raise
                    continue
                if wait >= SLICE_S and time.monotonic() - t0 >= SLICE_S:
                    LATE_WAKEUPS += 1  # found by the poll after the slice's timeout
                return msg

    class PatientKernelClient(AsyncKernelClient):
        shell_channel_class = Type(PatientChannel)
        iopub_channel_class = Type(PatientChannel)
        control_channel_class = Type(PatientChannel)
        stdin_channel_class = Type(PatientChannel)

    return PatientKernelClient


def execute(path: Path, cwd: Path, cell_timeout: int = CELL_TIMEOUT_S) -> Any:
    """Execute one notebook in `cwd` and return it (an nbformat NotebookNode).

    Raises nbclient's CellExecutionError on an error, CellTimeoutError when a cell runs longer
    than `cell_timeout` seconds or its output comes more than IOPUB_TIMEOUT_S after its reply.
    """
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    config = Config()
    config.KernelManager.client_factory = _patient_client_class()
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        config=config,
        timeout=cell_timeout,
        iopub_timeout=IOPUB_TIMEOUT_S,
        raise_on_iopub_timeout=True,
        startup_timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    return nb


def _one(path: Path) -> int:
    """Child: execute one notebook in a fresh temporary folder; print a JSON line."""
    import tempfile

    os.environ["STATIONPLAN_FAST"] = "1"
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            nb = execute(path, Path(tmp))
            errors = [
                o
                for c in nb.cells
                if c.cell_type == "code"
                for o in c.outputs
                if o.output_type == "error"
            ]
            outcome = "error output" if errors else "ok"
        except Exception as e:  # noqa: BLE001 - reported, not handled
            outcome = f"{type(e).__name__}: {str(e).strip().splitlines()[-1][:200]}"
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "late_wakeups": LATE_WAKEUPS, "outcome": outcome}))
    return 0 if outcome == "ok" else 1


def run(path: Path, limit: float) -> dict[str, Any]:
    """Execute `path` in a child process killed after `limit` seconds."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--one", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        out, err = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the child and its kernel (one session)
        child.communicate()
        return {"seconds": time.perf_counter() - t0, "late_wakeups": None, "outcome": "HANG"}
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    if not lines:
        tail = err.strip().splitlines()[-1:] or ["no output"]
        return {"seconds": time.perf_counter() - t0, "late_wakeups": None, "outcome": tail[0]}
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    parser.add_argument("-n", "--runs", type=int, default=3, help="runs of each notebook")
    parser.add_argument("--limit", type=float, default=600, help="seconds per notebook run")
    parser.add_argument("--save", type=Path, help="execute once and write the notebook here")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return _one(args.one.resolve())
    if args.save:
        import nbformat

        args.save.mkdir(parents=True, exist_ok=True)
        for path in [p.resolve() for p in args.notebooks] or NOTEBOOKS:
            nb = execute(path, args.save.resolve())
            nbformat.write(nb, args.save / path.name)
            print(f"wrote {args.save / path.name}", flush=True)
        return 0
    failures = 0
    for path in [p.resolve() for p in args.notebooks] or NOTEBOOKS:
        times = []
        for k in range(1, args.runs + 1):
            r = run(path, args.limit)
            times.append(r["seconds"])
            failures += r["outcome"] != "ok"
            print(
                f"{path.name} run {k}/{args.runs}: {r['seconds']:.1f} s, "
                f"late wake-ups {r['late_wakeups']}, {r['outcome']}",
                flush=True,
            )
        print(
            f"{path.name}: {args.runs} runs, {min(times):.1f}–{max(times):.1f} s "
            f"(median {sorted(times)[len(times) // 2]:.1f} s)",
            flush=True,
        )
    print("FAILED" if failures else "all runs finished within their limits", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
