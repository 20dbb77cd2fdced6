"""A scenario's provinces (`provinces`): each province's own scenario, with its townships, budget,
targets and hiring pools, for a region planned province by province
(model.optimizer.provinces)."""

from __future__ import annotations

import dataclasses

from model.inputs.fields import PlaceName
from model.inputs.scenario import Scenario


def province_names(sc: Scenario) -> list[str]:
    """The provinces of the scenario in the township table's order."""
    return [str(p) for p in dict.fromkeys(sc.townships["province"].astype(str))]


def province_scenario(sc: Scenario, name: str, index: int = 0) -> Scenario:
    """The scenario of one province: its townships (and travel minutes), its budget, its targets
    (a family it names replaces the scenario's; the scenario's priority order), its hiring pools
    (the scenario's where it gives none), and no provinces. Named `<scenario>.p<index>`."""
    part = sc.provinces[PlaceName(name)]
    mine = (sc.townships["province"].astype(str) == name).to_numpy()
    rows = sc.townships[mine].reset_index(drop=True)
    targets = sc.targets
    changed = {
        f.name: getattr(part.targets, f.name)
        for f in dataclasses.fields(part.targets)
        if f.name != "priority" and getattr(part.targets, f.name)
    }
    if changed:
        targets = dataclasses.replace(sc.targets, **changed)
    wf = sc.workforce
    workforce = dataclasses.replace(
        wf,
        hiring_pool_per_county=wf.hiring_pool_per_county
        if part.hiring_pool_per_county is None
        else part.hiring_pool_per_county,
        certified_pool_per_county=wf.certified_pool_per_county
        if part.certified_pool_per_county is None
        else part.certified_pool_per_county,
    )
    travel = None
    if sc.travel is not None:
        ids = rows["township_id"].astype(str).tolist()
        travel = sc.travel.loc[ids, ids]
    return dataclasses.replace(
        sc,
        name=f"{sc.name}.p{index}",
        title=f"{sc.title or sc.name} · {name}",
        townships=rows,
        travel=travel,
        budget=dict(part.budget),
        targets=targets,
        workforce=workforce,
        provinces={},
    )


def national_scenario(sc: Scenario) -> Scenario:
    """The scenario the merged plan is measured against: the region's, with each year's budget
    the provinces' sum."""
    years = sorted({y for part in sc.provinces.values() for y in part.budget})
    total = {y: round(sum(p.budget.get(y, 0.0) for p in sc.provinces.values()), 4) for y in years}
    return dataclasses.replace(sc, budget=total)
