"""Stopping a command cleanly on Ctrl-C (SIGINT), SIGTERM or SIGHUP.

Each raises an exception in the main thread — KeyboardInterrupt for Ctrl-C, `Stopped` (a
KeyboardInterrupt too) for SIGTERM and SIGHUP — so every `with` around the work unwinds: worker
processes stop (model.executor), the run's temporary folder is removed
(model.output.runfolder.RunFolder) and `latest` stays as it was. The command then prints one
line and exits with 128 + the signal's number: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP
(`stopped`). Further SIGTERMs while it unwinds are ignored (a second Ctrl-C is not). During a
HiGHS solve (model.optimizer.highs.run_highs) nothing can unwind: the run's temporary folder is
removed and the process ends at once (`end_now`). A solver running as a child process (CBC) is
sent SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

STOPPING = ("SIGTERM", "SIGHUP")
"""The signals besides Ctrl-C's SIGINT that stop a command (those this system has)."""

received: list[int] = []
"""The stopping signals received during the command, first first."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP asked the command to stop (`signum`); unwinds like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_owner: list[int] = []
"""The process whose handlers these are (a worker forked from it has them too, for a moment)."""


def _stop(signum: int, frame: FrameType | None) -> None:
    if _owner[:1] != [os.getpid()]:  # a worker not yet past its start: the signal's default
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    received.append(signum)
    if len(received) == 1:  # the first stops the command; the rest must not break its clean-up
        raise Stopped(signum)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    if _owner[:1] != [os.getpid()]:  # a worker: Ctrl-C is the command's to handle
        return
    received.append(signum)
    raise KeyboardInterrupt  # every time, as Python's own: a second Ctrl-C cuts the clean-up short


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: Ctrl-C, SIGTERM and SIGHUP raise in the main thread (module docstring); the
    handlers before are put back after. Off the main thread nothing changes (Python handles
    signals there only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received.clear()
    _owner[:] = [os.getpid()]
    saved = {n: signal.signal(n, _interrupt if n == signal.SIGINT else _stop) for n in _numbers()}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _numbers() -> list[int]:
    """Ctrl-C's SIGINT and the STOPPING signals this system has."""
    return [signal.SIGINT, *(getattr(signal, n) for n in STOPPING if hasattr(signal, n))]


def _ignore_further() -> None:
    if threading.current_thread() is threading.main_thread():
        for number in _numbers():
            signal.signal(number, signal.SIG_IGN)


def signal_of(exc: KeyboardInterrupt) -> int:
    """The signal behind `exc`: SIGTERM or SIGHUP for Stopped, else SIGINT (Ctrl-C)."""
    return exc.signum if isinstance(exc, Stopped) else int(signal.SIGINT)


def stopped(signum: int, line: str) -> int:
    """End a command a signal stopped, after its `with` blocks unwound: print `line`, send
    SIGTERM to child processes still running (a CBC solver), and return the exit code (128 +
    `signum`)."""
    _ignore_further()  # the line and the exit, undisturbed
    print(line, file=sys.stderr)
    _stop_children()
    return 128 + int(signum)


def end_now(signum: int, line: str) -> NoReturn:
    """End a command a signal stopped where nothing can unwind (during a solve): remove the
    temporary folders of the runs being written, then as `stopped`, and end the process at once
    (a process that ends normally while HiGHS runs in a thread aborts)."""
    from model.output.runfolder import discard_open

    _ignore_further()
    discard_open()
    code = stopped(signum, "\n" + line)  # below the progress bars, which stay
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _stop_children() -> None:
    """SIGTERM to this process's child processes still running (Linux: read from /proc; worker
    pools and Dask clusters have stopped their own by now)."""
    me = str(os.getpid())
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if len(fields) > 1 and fields[1] == me:  # field 4 of proc(5): the parent's pid
            try:
                os.kill(int(entry.name), signal.SIGTERM)
            except OSError:
                pass
