"""County names made unique among a selection's county codes (model.inputs.synth.county_labels):
the model keys counties by name, and China's 2,952 county-level codes share 2,916 names."""

from __future__ import annotations

from model.inputs.divisions import select_divisions
from model.inputs.synth import county_labels


def test_every_county_of_the_country_has_a_name_of_its_own():
    units = select_divisions(["全国"])
    labels = county_labels(units)
    assert labels.nunique() == units["county_code"].nunique()
    pairs = set(zip(labels, units["county_code"]))
    assert len(pairs) == units["county_code"].nunique()  # one code per label, one label per code
    by_code = dict(zip(units["county_code"], labels))
    names = dict(zip(units["county_code"], units["county"]))
    shared = [c for c in by_code if by_code[c] != names[c]]
    assert shared and all(by_code[c].startswith(names[c] + "（") for c in shared)
    assert "和平区（天津市）" in set(labels) and "和平区（沈阳市）" in set(labels)


def test_a_province_whose_names_are_its_own_keeps_them():
    units = select_divisions(["41"])
    assert (county_labels(units) == units["county"]).all()
