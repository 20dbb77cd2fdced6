"""What the optimizer is built from: arrays per township and the service each staffing level
gives."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.inputs.scenario import Scenario
from model.workload import (
    available_hours,
    client_hours,
    client_requests,
    group_requests,
    on_time_by_group,
    overall_on_time,
    priority_fill,
    station_hours,
)


@dataclass
class Inputs:
    """Arrays the model is built from, in township-table order."""

    ids: list[str]
    county: np.ndarray  # county index per township
    counties: list[str]
    years: list[int]
    existing: np.ndarray  # has_station 0/1
    w0: dict[str, np.ndarray]  # existing workers by grade (certified counted as junior)
    wage: np.ndarray
    avail: np.ndarray  # hours per worker-year after travel
    fixed_hours: float  # station hours per open station-year
    classes: list[str]  # service classes
    weight: dict[str, float]  # priority weight per class
    demand: dict[str, np.ndarray]  # client hours/year per class and township
    class_groups: dict[str, list[str]]
    elderly: float
    care_beds: float
    levels: list[int]
    served: list[dict[int, dict[str, float]]]  # township -> staffing level -> class -> hours served
    value: list[dict[int, float]]  # township -> staffing level -> priority-weighted hours
    group_demand: dict[str, np.ndarray]  # client hours/year per group and township
    requests: np.ndarray  # client requests/year per township
    on_time: np.ndarray
    """Share of a township's requests started within their standard, townships × years ×
    `levels` (a year's value may differ: a station's first year starts without a backlog)."""
    group_requests: dict[str, np.ndarray]  # client requests/year per group and township
    group_on_time: dict[str, np.ndarray]
    """Per group: the share of its requests in a township started within their standard,
    townships × `levels` (queueing theory, model.workload.on_time_by_group)."""

    @classmethod
    def from_scenario(cls, sc: Scenario, on_time: np.ndarray | None = None) -> Inputs:
        """`on_time` (townships × staffing levels, the same every year, or townships × years ×
        levels): the share of each township's requests started within their standard at each
        level; default the queueing closed form, the groups' shares weighted by their requests
        (model.workload.on_time_shares). The plan-simulation loop passes one corrected by
        simulation where the two disagree; the groups' shares (`group_on_time`, for
        targets.service_level_by_group) stay the closed form's."""
        t = sc.townships
        counties = list(dict.fromkeys(t["county"]))
        index = {c: k for k, c in enumerate(counties)}
        hours = client_hours(sc)
        named = set(sc.targets.served_share)
        class_groups: dict[str, list[str]] = {}
        weight: dict[str, float] = {}
        for g, spec in sc.groups.items():
            key = f"g_{g}" if g in named else f"p{spec.priority}"
            class_groups.setdefault(key, []).append(g)
            weight[key] = float(spec.priority)
        demand = {c: hours[gs].sum(axis=1).to_numpy(float) for c, gs in class_groups.items()}
        avail = available_hours(sc).to_numpy(float)
        fixed = station_hours(sc)
        levels = staffing_levels(sc)
        served, value = [], []
        for i in range(len(t)):
            need = {c: float(demand[c][i]) for c in class_groups}
            by_level = {k: priority_fill(need, weight, k * avail[i] - fixed) for k in levels}
            served.append(by_level)
            value.append(
                {k: sum(weight[c] * h for c, h in got.items()) for k, got in by_level.items()}
            )
        by_group = on_time_by_group(sc, levels)
        if on_time is None:
            on_time = overall_on_time(sc, by_group)
        if on_time.shape == (len(t), len(levels)):
            on_time = np.repeat(on_time[:, None, :], len(sc.years), axis=1)
        elif on_time.shape != (len(t), len(sc.years), len(levels)):
            raise ValueError(
                f"on_time must be townships × levels {(len(t), len(levels))} or townships × "
                f"years × levels {(len(t), len(sc.years), len(levels))}"
            )
        return cls(
            ids=list(t["township_id"]),
            county=t["county"].map(index).to_numpy(),
            counties=counties,
            years=sc.years,
            existing=t["has_station"].to_numpy(int),
            w0={
                "uncertified": t["workers_uncertified"].to_numpy(float),
                "junior": t["workers_certified"].to_numpy(float),
                "intermediate": np.zeros(len(t)),
            },
            wage=t["wage_index"].to_numpy(float),
            avail=avail,
            fixed_hours=fixed,
            classes=list(class_groups),
            weight=weight,
            demand=demand,
            class_groups=class_groups,
            elderly=float(t["elderly"].sum()),
            care_beds=float(t["care_beds"].sum()),
            levels=levels,
            served=served,
            value=value,
            group_demand={g: hours[g].to_numpy(float) for g in sc.groups},
            requests=client_requests(sc).to_numpy(float),
            on_time=on_time,
            group_requests={g: r.to_numpy(float) for g, r in group_requests(sc).items()},
            group_on_time={g: by_group[:, :, k] for k, g in enumerate(sc.groups)},
        )


def staffing_levels(sc: Scenario) -> list[int]:
    """Worker counts an open station may have: max(min_workers, min_certified) .. max_workers."""
    st = sc.staffing
    return list(range(max(st.min_workers, st.min_certified), st.max_workers + 1))
