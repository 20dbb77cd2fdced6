"""A scenario's provinces (`provinces`): each province's own scenario, with its townships, budget,
targets and hiring pools, for a region planned province by province
(model.optimizer.provinces)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, NamedTuple

import numpy as np

from model.inputs.fields import PlaceName
from model.inputs.scenario import Scenario
from model.inputs.schema import Targets
from model.vocabulary import NATIONAL_TARGETS


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
    the provinces' sum and the national targets (central.targets) among its targets (the higher
    of the two where both name a year)."""
    years = sorted({y for part in sc.provinces.values() for y in part.budget})
    total = {y: round(sum(p.budget.get(y, 0.0) for p in sc.provinces.values()), 4) for y in years}
    return dataclasses.replace(sc, budget=total, targets=_raised(sc.targets, sc.central.targets))


def _raised(targets: Targets, more: Targets) -> Targets:
    """`targets` with each year of the families in NATIONAL_TARGETS that `more` names at least
    `more`'s value."""
    changed: dict[str, Any] = {}
    for name in NATIONAL_TARGETS:
        extra = getattr(more, name)
        if extra:
            mine = dict(getattr(targets, name))
            for year, value in extra.items():
                mine[year] = max(mine.get(year, value), value)
            changed[name] = mine
    return dataclasses.replace(targets, **changed) if changed else targets


class NationalTarget(NamedTuple):
    """A national target (central.targets) as a count: the region's stations or workers
    (`measure`) in `year` at least `need`."""

    family: str
    year: int
    measure: str
    need: int


def national_targets(sc: Scenario) -> list[NationalTarget]:
    """central.targets as counts of stations or workers the provinces reach together (rounded up
    as the optimizer rounds a target's count: 90% of 38,642 townships is 34,778 stations)."""
    t, table = sc.central.targets, sc.townships
    out = []
    for name, measure in NATIONAL_TARGETS.items():
        for year, req in sorted(getattr(t, name).items()):
            if name == "coverage":
                count = req * len(table)
            elif name == "workers_per_1000_elderly":
                count = req * float(table["elderly"].sum()) / 1000.0
            elif name == "workers_per_100_care_beds":
                count = req * float(table["care_beds"].sum()) / 100.0
            else:
                count = float(req)
            out.append(NationalTarget(name, int(year), measure, math.ceil(count - 1e-9)))
    return out


def allotted(need: int, got: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Each province's part of a national count `need` (whole numbers summing to `need`), from
    what the provinces reached at the prices (`got`): below `need`, the shortfall spread in
    proportion to each province's `room` to do more (at most its room); at or above it, each
    province's count scaled down in proportion. Largest remainders round."""
    got = np.asarray(got, float)
    room = np.maximum(np.asarray(room, float), 0.0)
    total = float(got.sum())
    if total >= need:
        share = got * (need / total) if total > 0 else np.zeros_like(got)
        cap = got
    else:
        spread = room / room.sum() if room.sum() > 0 else np.full(len(got), 1.0 / len(got))
        share = got + (need - total) * spread
        cap = got + np.where(room.sum() > 0, room, np.inf)
    base = np.minimum(np.floor(share + 1e-9), cap)
    left = int(round(need - base.sum()))
    order = np.argsort(-(share - base), kind="stable")
    for k in order:
        if left <= 0:
            break
        if base[k] + 1 <= cap[k] + 1e-9:
            base[k] += 1
            left -= 1
    return base.astype(int)


def with_national_parts(
    sub: Scenario, parts: dict[tuple[str, int], int], townships: int
) -> Scenario:
    """A province's scenario that holds its parts of the national targets ((measure, year) ->
    count): a coverage target of its part of the stations, a workers_total target of its part of
    the workers (each at least what the province's own target asks)."""
    more = Targets(
        coverage={
            t: min(1.0, n / townships) for (m, t), n in parts.items() if m == "stations" and n
        },
        workers_total={t: int(n) for (m, t), n in parts.items() if m == "workers" and n},
    )
    return dataclasses.replace(sub, targets=_raised(sub.targets, more))
