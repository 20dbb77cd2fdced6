"""`stationplan locate`: a run folder with sites, assignment and a manifest; clear errors."""

from __future__ import annotations

import json

import pandas as pd
from conftest import ROOT

from model.cli.commands import main

DATA = ROOT / "tests" / "data" / "locate"


def test_orlib_p_median_writes_a_run_folder(tmp_path, capsys):
    args = ["locate", "--problem", "p-median", "--orlib", str(DATA / "pmed1.txt")]
    assert main([*args, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "5,819" in out and "已证明最优" in out
    folder = tmp_path / "locate" / "latest"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["objective"] == 5819 and manifest["problem"] == "p-median"
    assert manifest["p"] == 5 and len(manifest["inputs"]["orlib"]["sha256"]) == 64
    sites = pd.read_csv(folder / "sites.csv", encoding="utf-8-sig")
    assignment = pd.read_csv(folder / "assignment.csv", encoding="utf-8-sig")
    assert len(sites) == 5 and sites["clients"].sum() == 100
    assert assignment["cost"].sum() == 5819 and set(assignment["facility"]) == set(
        sites["facility"]
    )
    assert main([*args, "--out", str(tmp_path)]) == 0  # a second folder, the first kept
    assert len([p for p in (tmp_path / "locate").iterdir() if p.name != "latest"]) == 2


def test_csv_inputs_and_a_radius_too_small(tmp_path, capsys):
    costs = pd.DataFrame(
        [("甲村", "A", 10), ("甲村", "B", 290), ("乙村", "A", 300), ("乙村", "B", 20)],
        columns=["client", "facility", "cost"],
    )
    costs.to_csv(tmp_path / "costs.csv", index=False)
    pd.DataFrame({"client": ["甲村", "乙村"], "weight": [3, 1]}).to_csv(
        tmp_path / "w.csv", index=False
    )
    base = ["locate", "--costs", str(tmp_path / "costs.csv"), "--out", str(tmp_path)]
    assert (
        main(
            [
                *base,
                "--problem",
                "max-cover",
                "--p",
                "1",
                "--radius",
                "15",
                "--weights",
                str(tmp_path / "w.csv"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "75.0%" in out
    assert main([*base, "--problem", "set-cover", "--radius", "5"]) == 2
    assert "半径至少应为 20" in capsys.readouterr().err
    assert main(["--lang", "en", *base, "--problem", "set-cover", "--radius", "5"]) == 2
    assert "radius must be at least 20" in capsys.readouterr().err
