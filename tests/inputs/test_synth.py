"""Synthetic regions: determinism, calibration against the profile's targets, validity."""

from __future__ import annotations

import numpy as np
import pytest

from model import InputError, synthesize
from model.cli.commands import main
from model.inputs.synth import GROUPS, PER_ELDERLY, PREVALENCE, PROFILES
from model.inputs.townships import validate_townships


@pytest.mark.parametrize("profile", list(PROFILES))
def test_same_seed_same_file_other_seed_other_file(tmp_path, profile):
    files = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        out = tmp_path / f"{name}.csv"
        assert main(["synth", "--profile", profile, "--seed", str(seed), "-o", str(out)]) == 0
        files.append(out.read_bytes())
    assert files[0] == files[1]
    assert files[0] != files[2]


def test_changing_one_ingredient_keeps_the_other_streams():
    a = synthesize("prefecture", seed=3)
    b = synthesize("prefecture", seed=3, coverage=0.9)
    assert (a["population"] == b["population"]).all() and (a["dibao"] == b["dibao"]).all()
    assert b["has_station"].sum() > a["has_station"].sum()


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("seed", [1, 2])
def test_aggregates_land_on_the_profile_targets(profile, seed):
    spec = PROFILES[profile]
    t = synthesize(profile, seed=seed)
    n = spec.townships
    assert len(t) == n and t["county"].nunique() == spec.counties
    assert t["township_id"].is_unique
    pop = t["population"].sum()
    assert abs(pop / (n * spec.mean_population) - 1) < 0.01
    assert abs(t["elderly"].sum() / pop - spec.elderly_share) < 0.01
    assert (t["kind"] == "urban").sum() == round(spec.urban_share * n)
    assert (t["kind"] == "relocation").sum() == round(spec.relocation_share * n)
    assert t["has_station"].sum() == round(spec.coverage * n)
    stations = t["has_station"].sum()
    workers = (t["workers_certified"] + t["workers_uncertified"]).sum()
    if stations >= 50:
        assert abs(workers / stations - spec.workers_per_station) < 0.25
        assert abs(t["workers_certified"].sum() / workers - spec.certified_share) < 0.06
    assert abs(t["wage_index"].mean() - 1.0) < 0.001
    for group in ("dibao", "tekun", "disabled", "relocated"):
        base = "elderly" if group in PER_ELDERLY else "population"
        expected = sum(
            PREVALENCE[group][k] * t.loc[t["kind"] == k, base].sum()
            for k in ("rural", "urban", "relocation")
        )
        got = t[group].sum()
        if expected == 0:
            assert got == 0
        else:
            tol = (
                0.15 if spec.counties >= 10 else 0.35
            )  # county need factors average out over many counties
            assert abs(got / expected - 1) < tol, (group, got, expected)


def test_rural_older_and_poorer_than_urban():
    t = synthesize("province", seed=4)
    share = t.groupby("kind")[["elderly", "dibao", "population"]].sum()
    assert (
        share.loc["rural", "elderly"] / share.loc["rural", "population"]
        > share.loc["urban", "elderly"] / share.loc["urban", "population"]
    )
    assert (
        share.loc["rural", "dibao"] / share.loc["rural", "population"]
        > 3 * share.loc["urban", "dibao"] / share.loc["urban", "population"]
    )
    means = t.groupby("kind")["remoteness"].mean()
    assert means["rural"] > 2 * means["urban"]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_synthetic_tables_pass_table_validation(profile):
    t = synthesize(profile, seed=9)
    checked = validate_townships(t.astype(str), list(GROUPS), "synthetic")
    assert (checked["population"] == t["population"]).all()
    assert checked["name"].str.match(r"^\w+(镇|乡|街道)$").all()


def test_sizes_can_be_chosen():
    t = synthesize("county", townships=30, counties=3, seed=1, urban_share=0.5)
    assert len(t) == 30 and t["county"].nunique() == 3 and (t["kind"] == "urban").sum() == 15


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        (
            {"profile": "city"},
            "--profile: expected one of county, prefecture, province, relocation, got 'city'",
        ),
        (
            {"profile": "county", "townships": 3, "counties": 5},
            "--counties: expected a whole number from 1 to",
        ),
        ({"profile": "county", "townships": 0}, "--townships: expected a whole number ≥ 1"),
        ({"profile": "county", "coverage": 1.5}, "--coverage: expected a share from 0 to 1"),
    ],
)
def test_bad_synth_arguments(kwargs, needle):
    with pytest.raises(InputError) as err:
        synthesize(**kwargs)
    assert needle in err.value.message


def test_synth_cli_never_overwrites_without_force(tmp_path, capsys):
    out = tmp_path / "t.csv"
    out.write_text("mine", encoding="utf-8")
    assert main(["synth", "--profile", "county", "-o", str(out)]) == 2
    assert "已存在；请换一个文件名，或加 --force 覆盖它" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["synth", "--profile", "county", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("township_id,")


def test_synth_cli_writes_xlsx(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["synth", "--profile", "relocation", "--seed", "2", "-o", str(out)]) == 0
    from model import read_townships

    t = read_townships(out, list(GROUPS))
    assert len(t) == 64 and (t["kind"] == "relocation").all()
    assert np.isclose(t["relocated"].sum() / t["population"].sum(), 0.85, atol=0.1)
