"""What the optimizer is built from: arrays per township and the service each staffing level
gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from model.inputs.scenario import Scenario
from model.workload import (
    available_hours,
    client_hours,
    client_requests,
    group_requests,
    on_time_by_group,
    overall_on_time,
    point_hours,
    priority_fill,
    station_hours,
)

K = TypeVar("K")
"""A staffing level, or a (staffing level, points) pair."""


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
    utility: list[dict[int, float]]
    """township -> staffing level -> the α-fair utility max_service maximises
    (:func:`fair_utility` of the served share of priority-weighted hours, times the township's
    weight; equal to `value` when fairness.alpha is 0)."""
    group_demand: dict[str, np.ndarray]  # client hours/year per group and township
    requests: np.ndarray  # client requests/year per township
    on_time: np.ndarray
    """Share of a township's requests started within their standard, townships × years ×
    `levels` (a year's value may differ: a station's first year starts without a backlog)."""
    group_requests: dict[str, np.ndarray]  # client requests/year per group and township
    group_on_time: dict[str, np.ndarray]
    """Per group: the share of its requests in a township started within their standard,
    townships × `levels` (queueing theory, model.workload.on_time_by_group)."""
    point_counts: list[int] = field(default_factory=list)
    """Village points a township may have beyond none: 1 .. point.max_per_township (empty:
    no points)."""
    point_taken: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    """points p -> class -> client hours/year per township the points take (visits, at what
    they would have cost the station: model.workload.point_hours)."""
    point_served: list[dict[tuple[int, int], dict[str, float]]] = field(default_factory=list)
    """township -> (staffing level k, points p ≥ 1) -> class -> hours served by the points and
    the station together (the station serves what the points leave, by priority)."""
    point_value: list[dict[tuple[int, int], float]] = field(default_factory=list)
    """township -> (k, p) -> priority-weighted hours served (as `value`, with p points)."""
    point_utility: list[dict[tuple[int, int], float]] = field(default_factory=list)
    """township -> (k, p) -> the α-fair utility (as `utility`, with p points)."""

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
        named = set(sc.targets.served_share) | set(sc.targets.min_served_share_by_group)
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
        needed = np.array(
            [sum(weight[c] * float(demand[c][i]) for c in class_groups) for i in range(len(t))]
        )
        utility = township_utility(value, needed, sc.fairness.alpha, sc.fairness.weight)
        counts = list(range(1, sc.point.max_per_township + 1))
        taken: dict[int, dict[str, np.ndarray]] = {}
        p_served: list[dict[tuple[int, int], dict[str, float]]] = []
        p_value: list[dict[tuple[int, int], float]] = []
        for p in counts:
            hours_p = point_hours(sc, np.full(len(t), p))
            taken[p] = {
                c: hours_p[gs].sum(axis=1).to_numpy(float) for c, gs in class_groups.items()
            }
        for i in range(len(t) if counts else 0):
            by_kp: dict[tuple[int, int], dict[str, float]] = {}
            for p in counts:
                got = {c: min(float(taken[p][c][i]), float(demand[c][i])) for c in class_groups}
                left = {c: float(demand[c][i]) - got[c] for c in class_groups}
                for k in levels:
                    station = priority_fill(left, weight, k * avail[i] - fixed)
                    by_kp[k, p] = {c: got[c] + station[c] for c in class_groups}
            p_served.append(by_kp)
            p_value.append(
                {kp: sum(weight[c] * h for c, h in got.items()) for kp, got in by_kp.items()}
            )
        p_utility = township_utility(p_value, needed, sc.fairness.alpha, sc.fairness.weight)
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
            utility=utility,
            group_demand={g: hours[g].to_numpy(float) for g in sc.groups},
            requests=client_requests(sc).to_numpy(float),
            on_time=on_time,
            group_requests={g: r.to_numpy(float) for g, r in group_requests(sc).items()},
            group_on_time={g: by_group[:, :, k] for k, g in enumerate(sc.groups)},
            point_counts=counts,
            point_taken=taken,
            point_served=p_served,
            point_value=p_value,
            point_utility=p_utility,
        )


def county_members(inp: Inputs) -> dict[int, list[int]]:
    """The townships of each county (indices), counties in order of first appearance."""
    members: dict[int, list[int]] = {}
    for i, c in enumerate(inp.county):
        members.setdefault(int(c), []).append(i)
    return members


def staffing_levels(sc: Scenario) -> list[int]:
    """Worker counts an open station may have: max(min_workers, min_certified) .. max_workers."""
    st = sc.staffing
    return list(range(max(st.min_workers, st.min_certified), st.max_workers + 1))


SHARE_OFFSET = 0.05
"""δ of :func:`fair_utility`: keeps the utility of a township with nothing served finite, so that
α ≥ 1 can be used (an hour there is worth at most ((1 + δ)/δ)^α = 21^α times one in a township
served in full)."""


def fair_utility(share: np.ndarray | float, alpha: float) -> np.ndarray | float:
    """The α-fair utility of a served share s in [0, 1], shifted by δ = SHARE_OFFSET and scaled so
    that f(0) = 0 and f(1) = 1: f(s) = ((s + δ)^(1−α) − δ^(1−α)) / ((1 + δ)^(1−α) − δ^(1−α)),
    log((s + δ)/δ) / log((1 + δ)/δ) at α = 1, s itself at α = 0 (Mo & Walrand 2000's α-fairness;
    concave and increasing for α > 0)."""
    d = SHARE_OFFSET
    s = np.asarray(share, dtype=float)
    if alpha == 0:
        out = s
    elif alpha == 1:
        out = np.log((s + d) / d) / np.log((1 + d) / d)
    else:
        e = 1.0 - alpha
        out = ((s + d) ** e - d**e) / ((1 + d) ** e - d**e)
    return float(out) if np.ndim(out) == 0 else out


def township_utility(
    value: list[dict[K, float]], need: np.ndarray, alpha: float, weight: str
) -> list[dict[K, float]]:
    """Per township and staffing level: the township's weight times :func:`fair_utility` of its
    served share (priority-weighted hours served / needed). Weight `need`: the township's
    priority-weighted client hours (so α = 0 gives the weighted hours themselves); `equal`: the
    mean of those over townships, the same for every township."""
    mean = float(need.mean()) if len(need) else 0.0
    out = []
    for i, by_level in enumerate(value):
        n = float(need[i])
        scale = n if weight == "need" else mean
        out.append(
            {
                k: scale * float(fair_utility(v / n, alpha)) if n > 0 else 0.0
                for k, v in by_level.items()
            }
        )
    return out
