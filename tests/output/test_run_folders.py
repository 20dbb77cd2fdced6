"""Run folders: claimed atomically, stale temporary folders cleaned, `latest` always complete,
folders that cannot be written refused with one clear line (model.output.runfolder)."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import error_line

from model.cli.commands import main
from model.output import runfolder
from model.output.runfolder import OWNER, RunFolder, clean_stale

RID = "20260101-000000"


def _finish_together(root: str, barrier, k: int) -> None:
    """One process of the race: claim the same run id, write, wait for the others, finish."""
    with RunFolder("s", root, run_id=RID) as run:
        run.text("who.txt", str(k))
        barrier.wait()
        run.finish({})


def _runs(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name != "latest" and not p.name.startswith("."))


def test_runs_with_the_same_id_finishing_together_all_land(tmp_path):
    # issue 21: two runs with the same-second id finishing at once lost one ("Directory not empty")
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    n = 6
    barrier = ctx.Barrier(n)
    procs = [
        ctx.Process(target=_finish_together, args=(str(tmp_path), barrier, k)) for k in range(n)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0] * n
    parent = tmp_path / "s"
    runs = _runs(parent)
    assert [p.name for p in runs] == sorted([RID] + [f"{RID}-{k}" for k in range(2, n + 1)])
    assert sorted((p / "who.txt").read_text() for p in runs) == [str(k) for k in range(n)]
    for p in runs:  # each manifest names its own folder
        assert json.loads((p / "manifest.json").read_text(encoding="utf-8"))["run_id"] == p.name
        assert OWNER not in json.loads((p / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert (parent / "latest").resolve() in [p.resolve() for p in runs]
    assert [p.name for p in parent.iterdir() if p.name.startswith(".")] == []


def test_a_folder_that_appears_at_the_final_name_meanwhile_moves_the_run_to_the_next_id(tmp_path):
    with RunFolder("s", tmp_path, run_id=RID) as run:
        run.text("mine.txt", "x")
        (tmp_path / "s" / RID).mkdir()  # made by hand (or an older stationplan) while we ran
        (tmp_path / "s" / RID / "theirs.txt").write_text("y")
        final = run.finish({})
    assert final.name == f"{RID}-2" and (final / "mine.txt").exists()
    assert json.loads((final / "manifest.json").read_text(encoding="utf-8"))["run_id"] == f"{RID}-2"
    assert (tmp_path / "s" / RID / "theirs.txt").read_text() == "y"
    assert (tmp_path / "s" / "latest").resolve() == final.resolve()


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    return int(done.stdout)


@pytest.mark.skipif(os.name == "nt", reason="processes are looked up with POSIX signal 0")
def test_stale_temporary_folders_of_dead_runs_are_cleaned_and_live_ones_kept(tmp_path):
    host = socket.gethostname()
    dead = tmp_path / ".tmp-20250101-000000"
    dead.mkdir()
    (dead / OWNER).write_text(f"{host} {_dead_pid()} -\n")
    (dead / "plan.csv").write_text("half")
    live = tmp_path / ".tmp-20250101-000001"
    live.mkdir()
    (live / OWNER).write_text(runfolder.owner())
    elsewhere = tmp_path / ".tmp-20250101-000002"  # another machine's run on a shared folder
    elsewhere.mkdir()
    (elsewhere / OWNER).write_text(f"not-{host} 1 -\n")
    unknown = tmp_path / ".tmp-20250101-000003-4242"  # an older stationplan's, no owner file
    unknown.mkdir()
    old_link = tmp_path / ".latest-4242"
    os.symlink("nowhere", old_link)
    a_day_ago = time.time() - runfolder.STALE_AFTER_S - 60
    os.utime(old_link, (a_day_ago, a_day_ago), follow_symlinks=False)
    assert sorted(p.name for p in clean_stale(tmp_path)) == sorted([dead.name, old_link.name])
    assert live.exists() and elsewhere.exists() and unknown.exists()
    for folder in (elsewhere, unknown):
        os.utime(folder, (a_day_ago, a_day_ago))
    assert sorted(p.name for p in clean_stale(tmp_path)) == sorted([elsewhere.name, unknown.name])
    assert [p.name for p in tmp_path.iterdir()] == [live.name]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process start times from /proc")
def test_a_stale_folder_whose_pid_now_belongs_to_another_process_is_cleaned(tmp_path):
    # a container restarted: the same pid, a different process (it started later)
    stale = tmp_path / ".tmp-20250101-000000"
    stale.mkdir()
    (stale / OWNER).write_text(f"{socket.gethostname()} {os.getpid()} 1\n")
    assert clean_stale(tmp_path) == [stale]


@pytest.fixture
def mini(case):
    """The mini scenario, simulated with two replications (a fast run)."""
    return [str(case.yaml), "--set", "simulation.replications=2"]


def test_latest_existing_as_a_folder_is_left_alone_and_the_run_is_complete(mini, tmp_path, capsys):
    out = tmp_path / "res"
    latest = out / "mini" / "latest"
    latest.mkdir(parents=True)
    (latest / "notes.txt").write_text("mine")
    assert main(["simulate", *mini, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "latest 是文件夹，不是指向最新结果的链接，已保持原样" in err and "Traceback" not in err
    (run,) = _runs(out / "mini")
    assert (run / "manifest.json").exists() and (run / "simulation.csv").exists()
    assert [p.name for p in latest.iterdir()] == ["notes.txt"]
    assert [p.name for p in (out / "mini").iterdir() if p.name.startswith(".")] == []


def test_out_pointing_at_a_file_is_one_clear_line(mini, tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    assert main(["simulate", *mini, "--out", str(notes), "--lang", "en"]) == 2
    err = error_line(capsys.readouterr().err)
    assert "cannot write" in err and "notes.txt is a file, not a folder" in err
    assert "choose another folder with --out" in err
    assert notes.read_text() == "mine"


def _refuse(monkeypatch, under: Path, code: int) -> None:
    """Make creating folders under `under` fail with `code` (a read-only folder, as root sees
    none: permissions do not stop root)."""
    real = os.mkdir

    def mkdir(path, *args, **kwargs):
        if os.path.abspath(path).startswith(str(under)):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)


@pytest.mark.parametrize(
    "code, zh",
    [(errno.EACCES, "没有写入权限"), (errno.EROFS, "它位于只读文件系统上")],
)
def test_a_read_only_out_is_one_clear_line(mini, tmp_path, capsys, monkeypatch, code, zh):
    out = tmp_path / "res"
    (out / "mini").mkdir(parents=True)
    _refuse(monkeypatch, out, code)
    assert main(["simulate", *mini, "--out", str(out)]) == 2
    err = error_line(capsys.readouterr().err)
    assert f"无法写入 {out / 'mini'}：{zh}" in err and "请用 --out 选择另一个文件夹" in err
    assert list((out / "mini").iterdir()) == []


def _disk_fills_at(monkeypatch, name: str) -> None:
    """A full disk: writing `name` puts part of it down, then fails as a real full disk does
    (ENOSPC, no file name)."""
    real = pd.DataFrame.to_csv

    def to_csv(self, path=None, *args, **kwargs):
        if path is not None and str(path).endswith(name):
            Path(path).write_text("township_id,ye")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


def test_a_full_disk_during_a_run_is_one_clear_line_and_leaves_nothing(
    mini, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "res"
    before = out / "mini" / RID
    before.mkdir(parents=True)
    os.symlink(RID, out / "mini" / "latest", target_is_directory=True)
    _disk_fills_at(monkeypatch, "simulation_reach.csv")
    assert main(["simulate", *mini, "--out", str(out)]) == 2
    err = error_line(capsys.readouterr().err)
    assert f"无法写入 {out / 'mini'}：磁盘已满" in err
    assert _runs(out / "mini") == [before]
    assert [p.name for p in (out / "mini").iterdir() if p.name.startswith(".")] == []
    assert (out / "mini" / "latest").resolve() == before.resolve()


@pytest.fixture(scope="module")
def made_run(tmp_path_factory):
    from conftest import Case

    case = Case(tmp_path_factory.mktemp("made"))
    out = case.folder / "res"
    assert (
        main(["simulate", str(case.yaml), "--set", "simulation.replications=2", "--out", str(out)])
        == 0
    )
    return (out / "mini" / "latest").resolve()


@pytest.fixture
def run_folder(made_run, tmp_path):
    """A copy of a simulate run's folder, the test's own."""
    return Path(shutil.copytree(made_run, tmp_path / made_run.name, symlinks=True))


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_report_on_a_read_only_run_folder_is_one_clear_line(run_folder, capsys, monkeypatch):
    before = _contents(run_folder)
    capsys.readouterr()
    _refuse(monkeypatch, run_folder, errno.EROFS)
    assert main(["report", str(run_folder), "--lang", "en"]) == 2
    err = error_line(capsys.readouterr().err)
    assert f"cannot write {run_folder}: it is on a read-only file system" in err
    assert "the report there is unchanged" in err
    assert _contents(run_folder) == before


def test_report_on_a_full_disk_keeps_the_old_report(run_folder, capsys, monkeypatch):
    from model.output import figures

    before = _contents(run_folder)
    capsys.readouterr()

    def save(fig, path, svg=False):  # the disk is full: the figure half-written
        Path(path).write_bytes(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(figures, "save", save)
    assert main(["report", str(run_folder)]) == 2
    assert f"无法写入 {run_folder}：磁盘已满" in error_line(capsys.readouterr().err)
    assert _contents(run_folder) == before
    assert [p.name for p in run_folder.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(os.name == "nt", reason="processes are looked up with POSIX signal 0")
def test_a_killed_reports_staging_folder_is_cleaned_by_the_next_report(run_folder, capsys):
    host = socket.gethostname()
    dead = run_folder / f".report-{_dead_pid()}"  # report killed with -9 while drawing
    (dead / "figures").mkdir(parents=True)
    (dead / OWNER).write_text(f"{host} {_dead_pid()} -\n")
    (dead / "report.html").write_text("<html>half")
    live = run_folder / ".report-1"  # another report of this folder, still drawing
    live.mkdir()
    (live / OWNER).write_text(runfolder.owner())
    assert main(["report", str(run_folder)]) == 0, capsys.readouterr().err
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in run_folder.iterdir() if p.name.startswith(".")) == [live.name]


def test_report_rebuilds_in_place(run_folder, capsys):
    (run_folder / "figures" / "stale.png").write_bytes(b"old")
    assert main(["report", str(run_folder)]) == 0
    assert not (run_folder / "figures" / "stale.png").exists()
    assert (run_folder / "report.html").exists() and any((run_folder / "figures").glob("*.png"))
    assert [p.name for p in run_folder.iterdir() if p.name.startswith(".")] == []
