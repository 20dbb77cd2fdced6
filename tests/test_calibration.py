"""Calibration: the published figures table, the model's expected station output (validated
against the simulation), the least-squares fit (recovers known parameters), the rewrite of a
scenario file, the shipped base.yaml in step with its fit, and `stationplan calibrate`."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from model import load_scenario
from model.calibration import Calibration, calibrate, model_measures, station_output
from model.cli import main
from model.inputs.published import check_figures, published_figures
from model.simulate.streams import Streams
from model.simulate.township import simulate_township

ROOT = Path(__file__).resolve().parents[1]
GANZHOU = ROOT / "scenarios" / "ganzhou.yaml"


@pytest.fixture(scope="module")
def ganzhou():
    return load_scenario(GANZHOU)


def test_published_figures_have_sources_bands_and_known_measures():
    table = published_figures()
    assert table["id"].is_unique and (table["source"].str.len() > 10).all()
    assert ((table["low"] <= table["value"]) & (table["value"] <= table["high"])).all()
    fit = table[table["role"] == "fit"]
    assert set(fit["measure"]) == {
        "case_clients_per_station",
        "visits_per_station",
        "people_reached_per_station",
        "workers_per_station",
    }


def test_a_figure_outside_its_band_or_with_an_unknown_measure_is_refused_by_row():
    table = published_figures().copy()
    bad = table.copy()
    bad.loc[2, "value"] = 10_000
    with pytest.raises(ValueError, match=r"row 4 \(ganzhou_people_reached\).*band"):
        check_figures(bad, "figures.csv")
    bad = table.copy()
    bad.loc[0, "measure"] = "happiness"
    with pytest.raises(ValueError, match=r"row 2 .*measure 'happiness'"):
        check_figures(bad, "figures.csv")


def test_expected_station_output_agrees_with_the_simulation(ganzhou):
    """With workers to spare every request is served: the simulated case clients, visits and
    distinct people reached of a township-year match the closed forms Σ P (1 − e^−r), Σ P v."""
    townships = range(0, 290, 10)  # 29 units of every kind and county
    expected = station_output(ganzhou).iloc[list(townships)].sum()
    runs = [
        simulate_township(ganzhou, k, 12, Streams(s), max_wait_days=10_000, dynamics=False)
        for k in townships
        for s in range(2)
    ]
    assert all(r.unmet_requests == 0 for r in runs)
    for measure, column in (
        ("case_clients", "case_clients"),
        ("visits", "visits"),
        ("clients_reached", "people_reached"),
    ):
        simulated = sum(getattr(r, measure) for r in runs) / 2
        assert simulated == pytest.approx(expected[column], rel=0.03), measure


def _figures_at(sc, factors, admin):
    """Published figures made by the model itself at known parameters, with tight bands."""
    got = model_measures(sc, factors, admin)
    rows = []
    for k, m in enumerate(
        [
            "case_clients_per_station",
            "visits_per_station",
            "people_reached_per_station",
            "workers_per_station",
        ]
    ):
        rows.append(
            {
                "id": f"f{k}",
                "scope": "benchmark",
                "area": "00",
                "figure": m,
                "measure": m,
                "value": got[m],
                "unit": "",
                "low": got[m] * 0.9,
                "high": got[m] * 1.1,
                "role": "fit",
                "derivation": "",
                "source": "made by the test",
            }
        )
    return pd.DataFrame(rows)


def test_the_fit_recovers_the_parameters_that_made_the_figures(ganzhou):
    truth = {"case_rate": 0.2, "visit_rate": 0.35, "assessment_rate": 0.35}
    figures = _figures_at(ganzhou, truth, 0.55)
    cal = calibrate(ganzhou, figures, admin_prior=(0.55, 10.0))  # a prior that barely pulls
    for rate, value in truth.items():
        assert cal.factors[rate] == pytest.approx(value, rel=1e-3)
    assert cal.admin_share == pytest.approx(0.55, abs=1e-3)
    assert cal.figures["in_band"].all() and cal.success
    # with the administrative share held, the figures of workers cannot all be met: the fit
    # says so in the residuals instead of hiding it
    held = calibrate(ganzhou.with_overrides(["staffing.admin_share=0"]), figures, None)
    assert held.admin_share == 0 and abs(held.figures["relative_error"]).max() > 0.01


def test_rewrite_scales_the_rates_keeps_the_comments_and_names_the_fit(ganzhou):
    text = (ROOT / "scenarios" / "base.yaml").read_text(encoding="utf-8")
    cal = Calibration(
        "test",
        3,
        {"case_rate": 0.5, "visit_rate": 2.0, "assessment_rate": 2.0},
        0.6,
        0.3,
        pd.DataFrame(),
        pd.DataFrame(),
        pd.DataFrame(),
        True,
        "",
        0.0,
    )
    new = cal.rewrite(text)
    old_lines, new_lines = text.splitlines(), new.splitlines()
    assert sum(line.startswith("# Calibrated by") for line in new_lines) == 1
    assert [x for x in old_lines if "#" in x and "rate" not in x and "admin" not in x] == [
        x
        for x in new_lines
        if "#" in x and "rate" not in x and "admin" not in x and not x.startswith("# Calibrated")
    ]
    import yaml

    before, after = yaml.safe_load(text), yaml.safe_load(new)
    assert after["staffing"]["admin_share"] == 0.6
    for name, g in before["groups"].items():
        assert after["groups"][name]["case_rate"] == pytest.approx(g["case_rate"] * 0.5, rel=5e-3)
        assert after["groups"][name]["visit_rate"] == pytest.approx(g["visit_rate"] * 2, rel=5e-3)
        assert after["groups"][name].get("assessment_rate", 0) == pytest.approx(
            g.get("assessment_rate", 0) * 2, rel=5e-3
        )
    assert cal.rewrite(new).count("# Calibrated by") == 1  # a second fit replaces the note
    with pytest.raises(ValueError, match="groups.extra sets no case_rate"):
        cal.rewrite(text + "  extra:\n    label: 新组\n    visit_rate: 1.0\n")


def test_shipped_base_rates_are_the_fit_to_the_published_figures(ganzhou):
    """base.yaml carries the calibration: fitting again changes nothing beyond rounding."""
    cal = calibrate(ganzhou)
    assert cal.success
    for rate, factor in cal.factors.items():
        assert factor == pytest.approx(1.0, abs=0.01), rate
    assert cal.admin_share == pytest.approx(ganzhou.staffing.admin_share, abs=0.01)
    fit = cal.figures[cal.figures["role"] == "fit"]
    assert fit["in_band"].all()
    assert math.isfinite(cal.cost)


def test_calibrate_command_writes_its_folder_and_rewrites_only_a_named_copy(tmp_path, capsys):
    copy = tmp_path / "base.yaml"
    original = (ROOT / "scenarios" / "base.yaml").read_text(encoding="utf-8")
    copy.write_text(original, encoding="utf-8")
    code = main(["calibrate", str(GANZHOU), "--into", str(copy), "--out", str(tmp_path / "r")])
    assert code == 0
    folder = tmp_path / "r" / "ganzhou" / "calibration" / "latest"
    for name in (
        "figures.csv",
        "groups.csv",
        "parameters.csv",
        "calibration.xlsx",
        "manifest.json",
        "base.yaml.before",
    ):
        assert (folder / name).is_file(), name
    assert (folder / "base.yaml.before").read_text(encoding="utf-8") == original
    assert "# Calibrated by" in copy.read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert "项公开数据在范围内" in out
    code = main(["calibrate", str(GANZHOU), "--into", str(tmp_path / "nope.yaml")])
    assert code == 2 and "nope.yaml" in capsys.readouterr().err
