"""Files that cannot be written, on real file systems (issue 21): a full disk (a small tmpfs,
filled) and a place the system refuses (sysfs, which even root cannot write). Each command gets
one line, exit 2, and leaves no half-written file; the in-process cases (a disk that fills
part-way through a run, a read-only run folder) are in test_run_folders.py."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import error_line

from model.cli.commands import main


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a real file system with no space left: a 64 KB tmpfs filled to the last
    byte (skipped where this machine does not let the tests mount one)."""
    where = tmp_path / "full"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        _fill(where)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def _fill(folder: Path) -> None:
    """Fill the file system of `folder` to the last byte (with its hidden file .filler)."""
    fd = os.open(folder / ".filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 512)
    finally:
        os.close(fd)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".filler")


# openpyxl left its zip file open on a write error, which printed a traceback at exit
NO_UNRAISABLE = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")


@NO_UNRAISABLE
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_synth_on_a_full_disk_is_one_line_and_leaves_no_file(full_disk, capsys, suffix):
    out = full_disk / f"towns{suffix}"
    assert (
        main(["synth", "--profile", "county", "-o", str(out), "--townships", "200", "--lang", "en"])
        == 2
    )
    err = error_line(capsys.readouterr().err)
    assert f"cannot write {out}: the disk is full" in err, err
    assert _files(full_disk) == []


def test_synth_over_an_old_table_on_a_full_disk_keeps_the_old_table(full_disk, capsys):
    out = full_disk / "towns.csv"
    os.remove(full_disk / ".filler")
    old = "township_id,name\n1,old\n"
    out.write_text(old)
    _fill(full_disk)
    assert (
        main(["synth", "--profile", "county", "-o", str(out), "--townships", "200", "--force"]) == 2
    )
    assert "磁盘已满" in error_line(capsys.readouterr().err)
    assert out.read_text() == old and _files(full_disk) == ["towns.csv"]


@NO_UNRAISABLE
def test_template_on_a_full_disk_is_one_line_and_leaves_no_file(full_disk, capsys):
    out = full_disk / "county.xlsx"
    assert main(["template", str(out)]) == 2
    assert f"无法写入 {out}：磁盘已满" in error_line(capsys.readouterr().err)
    assert _files(full_disk) == []


def test_a_run_on_a_full_disk_is_one_line_and_leaves_no_folder(case, full_disk, capsys):
    argv = [str(case.yaml), "--set", "simulation.replications=2", "--out", str(full_disk)]
    assert main(["simulate", *argv]) == 2
    assert "磁盘已满" in error_line(capsys.readouterr().err)
    left = [p for p in full_disk.rglob("*") if p.name != ".filler"]
    assert all(p.is_dir() for p in left) and not any(p.name.startswith(".") for p in left), left


def _refusing_folder() -> Path:
    """A folder of a real file system the system refuses to write in, even for root."""
    sysfs = Path("/sys/kernel")
    if not sysfs.is_dir():
        pytest.skip("no /sys here")
    try:
        (sysfs / "stationplan-probe").write_text("x")
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return sysfs
        pytest.skip(f"/sys refuses writing with {exc}")
    pytest.skip("/sys is writable here")


@pytest.mark.parametrize(
    "argv",
    [
        ["synth", "--profile", "county", "-o", "{folder}/towns.csv"],
        ["template", "{folder}/county.xlsx"],
    ],
    ids=["synth", "template"],
)
def test_writing_where_the_system_refuses_is_one_line(argv, capsys):
    folder = _refusing_folder()
    argv = [a.replace("{folder}", str(folder)) for a in argv]
    assert main([*argv, "--lang", "en"]) == 2
    err = error_line(capsys.readouterr().err)
    assert f"cannot write {argv[-1]}" in err, err
    assert "no permission to write there" in err, err


def test_a_run_where_the_system_refuses_is_one_line(case, capsys):
    folder = _refusing_folder()
    argv = [str(case.yaml), "--set", "simulation.replications=2", "--out", str(folder)]
    assert main(["simulate", *argv, "--lang", "en"]) == 2
    err = error_line(capsys.readouterr().err)
    assert f"cannot write {folder / 'mini'}: no permission to write there" in err, err


def test_a_table_that_fails_part_way_leaves_no_half_file(tmp_path, capsys, monkeypatch):
    # any error while the table is written (here one the disk gives after a first part)
    def to_csv(self, path=None, *args, **kwargs):
        Path(path).write_text("township_id,na")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)
    out = tmp_path / "towns.csv"
    assert main(["synth", "--profile", "county", "-o", str(out), "--lang", "en"]) == 2
    assert f"cannot write {out}: Input/output error" in error_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


LONG = "a" * 300  # longer than any file system's name (255 bytes)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", LONG],
        ["synth", "--profile", "county", "-o", f"{LONG}.csv"],
        ["template", f"{LONG}.xlsx"],
        ["simulate", "{scenario}", "--plan", f"{LONG}.csv"],
        ["simulate", "{scenario}", "--out", LONG],
    ],
    ids=["report", "synth", "template", "plan", "out"],
)
def test_a_name_too_long_for_the_file_system_is_one_line(case, tmp_path, monkeypatch, argv, capsys):
    # an internal error (OSError: File name too long) before
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{scenario}", str(case.yaml)) for a in argv]
    assert main([*argv, "--lang", "en"]) == 2
    err = error_line(capsys.readouterr().err)
    assert LONG[:50] in err, err
    assert "a name is too long for the file system" in err or "expected an existing plan.csv" in err
