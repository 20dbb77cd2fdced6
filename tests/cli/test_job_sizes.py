"""Budgets for requests (issue 21): a job beyond a limit of model.cli.sizes is refused before it
starts, with exit 2 and one line naming the flag or the scenario, the size, the limit and its
reason, unless --allow-large; a long job within the limits is announced with its time."""

from __future__ import annotations

import pytest
import yaml
from conftest import SCENARIOS

from model.cli.commands import main
from model.cli.sizes import MAX_LEVELS, Job, check, variables
from model.errors import InputError


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A synthetic region of 6,000 townships planned over 5 years with up to 100 workers a
    station: 30,000 township-years, a model of about 3.15 million variables."""
    from model.inputs.synth import synthesize
    from model.inputs.townships import write_table

    folder = tmp_path_factory.mktemp("large")
    write_table(synthesize("province", townships=6000, seed=3), folder / "t.csv")
    data = {
        "name": "large",
        "extends": str(SCENARIOS / "base.yaml"),
        "region": {"townships": "t.csv"},
        "horizon": {"start": 2026, "years": 5},
        "budget": {2026 + k: 100_000 for k in range(5)},
        "staffing": {"max_workers": 100},
    }
    (folder / "s.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder / "s.yaml"


def refused(argv: list[str], capsys) -> str:
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "add --allow-large to run it anyway" in err
    return err


def test_a_sweep_of_a_hundred_million_levels_is_refused_before_they_are_made(case, capsys):
    argv = ["sweep", str(case.yaml), "--budgets", "0.5:1.5:100000000", "--out", str(case.folder)]
    err = refused([*argv, "--scheduler", "serial"], capsys)
    assert "error: --budgets: 100,000,000 budget levels, more than 200" in err
    assert "10–20 levels show a frontier and its knee" in err
    assert not (case.folder / "mini").exists()
    assert main([*argv[:-2], "--scheduler", "serial", "--out", str(case.folder)]) == 2
    assert "超过 200 个" in capsys.readouterr().err  # Chinese first for planners


def test_too_many_sensitivity_samples_are_refused(case, capsys):
    data = yaml.safe_load(case.yaml.read_text(encoding="utf-8"))
    data["uncertainty"] = {"groups.dibao.case_rate": {"low": 0.02, "high": 0.1}}
    case.write(data)
    argv = ["sensitivity", str(case.yaml), "--samples", "1000", "--scheduler", "serial"]
    err = refused([*argv, "--out", str(case.folder)], capsys)
    assert "error: --samples: 2,003 evaluations of the scenario, more than 2,000" in err


def test_a_model_too_large_to_build_is_refused(large, capsys):
    err = refused(["optimize", str(large), "--out", str(large.parent / "res")], capsys)
    assert "s.yaml: a model of about 3,150,000 variables, more than 3,000,000" in err
    assert "about 14 GB of memory to build" in err
    assert not (large.parent / "res").exists()


def test_a_simulation_too_large_to_keep_is_refused(large, capsys):
    argv = ["simulate", str(large), "--set", "simulation.replications=34"]
    err = refused([*argv, "--out", str(large.parent / "res")], capsys)
    assert "1,020,000 township-years to simulate (township-years × replications)" in err
    assert "more than 1,000,000" in err and "simulation.replications" in err
    argv = ["sweep", str(large), "--totals", "2000,3000", "--no-least", "--replications", "20"]
    err = refused([*argv, "--set", "staffing.max_workers=8", "--scheduler", "serial"], capsys)
    assert "1,200,000 township-years to simulate" in err  # 2 levels × 30,000 × 20


def test_allow_large_lets_a_job_beyond_the_limits_through(capsys):
    job = Job(levels=MAX_LEVELS + 1)
    with pytest.raises(InputError, match="201 budget levels, more than 200"):
        check(job, "s.yaml", allow_large=False, lang="en", flag="--budgets")
    check(job, "s.yaml", allow_large=True, lang="en", flag="--budgets")
    assert capsys.readouterr().err == ""  # quick: nothing to say


def test_a_long_job_is_announced_with_its_estimated_time(capsys):
    # 300,000 township-years simulated at 66 a second on two processes: about 38 minutes
    check(Job(simulated=300_000, processes=2), "s.yaml", allow_large=False, lang="en")
    err = capsys.readouterr().err
    assert err == (
        "note: a long job: 300,000 township-years simulated, about 38 minutes at the rates "
        "measured in benchmarks/README.md\n"
    )
    check(Job(planned=891, models=1), "s.yaml", allow_large=False, lang="zh")
    assert capsys.readouterr().err == ""  # a Ganzhou plan: seconds


def test_a_models_variables_are_estimated_per_township_year_and_staffing_level(case):
    from model import load_scenario

    sc = load_scenario(case.yaml)  # 3 townships × 2 years, staffing levels 2..8
    assert variables(sc) == 3 * 2 * (6 + 7)
