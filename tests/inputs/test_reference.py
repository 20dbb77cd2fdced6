"""One schema: the reference page and base.yaml agree with it."""

from __future__ import annotations

import yaml
from conftest import ROOT, SCENARIOS

from model.inputs.fields import defaults
from model.inputs.reference import render_reference
from model.inputs.schema import Settings
from model.inputs.synth import GROUPS


def test_reference_page_matches_the_schema():
    page = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert page == render_reference(), "docs/scenario-reference.md is stale: run `make docs`"


def test_reference_lists_every_contract_key():
    page = render_reference()
    for key in (
        "`region.townships`",
        "`horizon.start`",
        "`budget.<year>`",
        "`costs.station_setup`",
        "`costs.salary.junior`",
        "`staffing.hours_per_worker`",
        "`targets.coverage.<year>`",
        "`targets.workers_per_1000_elderly.<year>`",
        "`groups.<group>.case_rate`",
        "`workforce.hiring_pool_per_county`",
        "`simulation.standards.visit_days`",
        "`solver.gap`",
        "`objective`",
    ):
        assert key in page, key


def test_base_yaml_holds_the_documented_defaults():
    base = yaml.safe_load((SCENARIOS / "base.yaml").read_text(encoding="utf-8"))
    schema = defaults(Settings)
    for section in (
        "costs",
        "staffing",
        "station",
        "workforce",
        "fairness",
        "simulation",
        "solver",
    ):
        assert base[section] == schema[section], section
    assert base["objective"] == schema["objective"]


def test_base_yaml_groups_are_the_standard_groups():
    base = yaml.safe_load((SCENARIOS / "base.yaml").read_text(encoding="utf-8"))
    assert tuple(base["groups"]) == GROUPS
    assert all(g.get("label") for g in base["groups"].values())
