"""Workload per township, WISN-style (Workload Indicators of Staffing Need, WHO 2010).

For a township i (hours per year):

    client_hours_i  = Σ_g persons_ig × ( case_rate_g × (intake_hours_g
                                                         + sessions_g × session_hours_g)
                                       + (1 − v_visit) × visit_rate_g × (visit_hours_g + travel_i)
                                       + assessment_rate_g × (assessment_hours_g + travel_i) )
    station_hours   = (1 − v_activity) × group_activities × group_activity_hours
                        × group_activity_workers
                      + overhead_hours
    need_hours_i    = client_hours_i + station_hours          (when the township has a station)
    travel_i        = travel_minutes_i / 60, or visit_travel_minutes / (1 − remoteness_i) / 60
                      (the round trip to a household, hours; home visits and assessments)
    available       = hours_per_worker × (1 − admin_share)
                      (hours a worker has for the station: township administration removed)
    workers_needed_i = need_hours_i / available_i

In WISN terms: client work is the service workload (each home trip's travel in its activity
standard), hours_per_worker the available working time (AWT), admin_share the category
allowance (CAS: the share of time all
workers spend on the township's administrative work; CAF = 1 / (1 − CAS)) and station_hours
an individual allowance (IAS) per station. v_visit and v_activity are
the volunteers' shares (`volunteers.visit_share`, `volunteers.activity_share`).
:func:`wisn_staff` is the general WISN formula, with the category allowance factor, used to
check this against a published worked example (tests/test_workload.py).

Requests started on time: :func:`on_time_by_group` (townships × staffing levels × groups) and
:func:`on_time_shares` (their request-weighted mean per township) from the queueing closed
forms of model.queues, each kind of request with its standard and each group with its
priority. See docs/method.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.inputs.scenario import Scenario
from model.queues import priority_patience_mix


def hours_by_kind(sc: Scenario) -> pd.DataFrame:
    """Hours of workers' work a year one person of each group brings (rows), by the rate that
    drives them (columns case_rate: intakes with their sessions; visit_rate: home visits less
    the volunteers' share; assessment_rate: assessments), hours/person-year, travel excluded
    (it depends on the township: :func:`trips_per_person`, :func:`travel_hours`)."""
    v = 1.0 - sc.volunteers.visit_share
    return pd.DataFrame(
        {
            name: {
                "case_rate": g.case_rate * (g.intake_hours + g.sessions * g.session_hours),
                "visit_rate": v * g.visit_rate * g.visit_hours,
                "assessment_rate": g.assessment_rate * g.assessment_hours,
            }
            for name, g in sc.groups.items()
        }
    ).T


def travel_hours(sc: Scenario) -> pd.Series:
    """Round trip from each township's station to a household (hours per home visit or
    assessment): the table's `travel_minutes` where given, else
    `staffing.visit_travel_minutes / (1 − remoteness)`."""
    t = sc.townships
    if "travel_minutes" in t:
        minutes = t["travel_minutes"].astype(float)
    else:
        minutes = sc.staffing.visit_travel_minutes / (1.0 - t["remoteness"].astype(float))
    return (minutes / 60.0).rename("travel_hours")


def group_hours_per_person(sc: Scenario) -> pd.Series:
    """Hours of workers' work a year one person of each group brings, travel excluded
    (hours/person-year)."""
    by_kind = hours_by_kind(sc)
    return (by_kind["case_rate"] + by_kind["visit_rate"] + by_kind["assessment_rate"]).rename(
        "hours_per_person"
    )


KINDS = ("intake", "visit", "assessment", "session")
"""Kinds of client request, in the order of `simulation.standards.by_kind()`."""


def requests_by_kind(sc: Scenario) -> pd.DataFrame:
    """Client requests workers take on per person of each group (rows) a year, by kind (columns
    `KINDS`): intakes (case_rate), their sessions (case_rate × sessions), home visits less the
    volunteers' share ((1 − visit_share) × visit_rate) and assessments (assessment_rate);
    requests/person-year."""
    v = 1.0 - sc.volunteers.visit_share
    return pd.DataFrame(
        {
            name: {
                "intake": g.case_rate,
                "visit": v * g.visit_rate,
                "assessment": g.assessment_rate,
                "session": g.case_rate * g.sessions,
            }
            for name, g in sc.groups.items()
        }
    ).T[list(KINDS)]


def trips_per_person(sc: Scenario) -> pd.Series:
    """Trips to a household a year one person of each group brings: home visits by workers
    (less the volunteers' share) and assessments (trips/person-year)."""
    return requests_by_kind(sc)[["visit", "assessment"]].sum(axis=1).rename("trips_per_person")


def group_requests(sc: Scenario) -> pd.DataFrame:
    """Client requests per township (rows, in table order) and group (columns), requests/year."""
    persons = sc.townships[list(sc.groups)].astype(float)
    return persons.mul(requests_by_kind(sc).sum(axis=1), axis=1)


def client_requests(sc: Scenario) -> pd.Series:
    """Client requests workers take on per township a year: case intakes with their sessions,
    home visits (less the volunteers' share) and assessments (requests/year)."""
    return group_requests(sc).sum(axis=1)


def on_time_by_group(sc: Scenario, levels: list[int]) -> np.ndarray:
    """Share of each group's client requests started within their standard with k workers at
    the township's station, for each k in `levels` (townships × levels × groups, 0–1; groups in
    scenario order; 1 where a township has no request of the group).

    The station as one queue (model.queues.priority_patience_mix): c = k workers; requests of
    group g and kind j (intake, visit, assessment, session) arrive as Poisson streams at
    persons × their rate (:func:`requests_by_kind`) / 365 a day, with the group's priority
    (higher first, non-preemptive, first come first served within a priority) and the kind's
    deterministic standard D_j (`simulation.standards`; not started within it: unmet). Every
    request takes an exponential time of mean (client hours / client requests) of the township
    (:func:`client_hours`, all groups and kinds together); a worker serves
    μ = (available hours − the station's own hours / k) / that mean / 365 requests a day — the
    station's own work (group activities, overhead) goes first and is taken out of every
    worker's time. Within one priority, kinds with different standards are the M/M/c+G queue
    with a discrete patience mixture (exact); across priorities, the approximation of
    :func:`model.queues.priority_patience_analytic`.

    Not in the closed form (docs/method.md): the working calendar (evenings, weekends), each
    kind's own mean work (one mean for all), work_cv and travel beyond the mean hours, a case's
    sessions coming weekly after its intake (here a Poisson stream of case_rate × sessions, as
    if every intake were started), workers leaving during the year, seasons, and the certified
    worker an intake needs.
    """
    kinds = requests_by_kind(sc)
    persons = sc.townships[list(sc.groups)].to_numpy(float)
    # rates per township and class (group g, kind j), requests/year; class index g * 4 + j
    rates = (persons[:, :, None] * kinds.to_numpy(float)[None, :, :]).reshape(len(persons), -1)
    patience = np.tile(sc.simulation.standards.by_kind(), len(sc.groups))
    priority = np.repeat([g.priority for g in sc.groups.values()], len(KINDS))
    requests = rates.sum(axis=1)
    hours = client_hours(sc).sum(axis=1).to_numpy(float)
    avail = available_hours(sc).to_numpy(float)
    fixed = station_hours(sc)
    by_group = rates.reshape(len(persons), len(sc.groups), len(KINDS)).sum(axis=2)
    out = np.ones((len(persons), len(levels), len(sc.groups)))
    busy = (requests > 0) & (hours > 0)
    for j, k in enumerate(levels):
        per_worker = avail - fixed / k if k > 0 else np.zeros_like(avail)
        works = busy & (per_worker > 0)
        out[busy & ~works, j, :] = np.where(by_group[busy & ~works] > 0, 0.0, 1.0)
        if not works.any():
            continue
        mean_hours = hours[works] / requests[works]
        mu = per_worker[works] / mean_hours / 365.0
        unmet = priority_patience_mix(rates[works] / 365.0, mu, k, patience, priority)["unmet"]
        lost = (rates[works] * unmet).reshape(-1, len(sc.groups), len(KINDS)).sum(axis=2)
        mine = by_group[works]
        out[works, j, :] = np.where(mine > 0, 1.0 - lost / np.where(mine > 0, mine, 1.0), 1.0)
    return out


def on_time_shares(sc: Scenario, levels: list[int]) -> np.ndarray:
    """Share of each township's client requests started within their standard with k workers
    at its station, for each k in `levels` (townships × levels, 0–1): the groups' shares of
    :func:`on_time_by_group` weighted by their requests (1 where a township has none)."""
    return overall_on_time(sc, on_time_by_group(sc, levels))


def overall_on_time(sc: Scenario, by_group: np.ndarray) -> np.ndarray:
    """Townships × levels: the groups' on-time shares (townships × levels × groups) weighted by
    each township's requests per group (1 where a township has none)."""
    weight = group_requests(sc).to_numpy(float)
    total = weight.sum(axis=1)
    got = np.einsum("ilg,ig->il", by_group, weight)
    return np.where(total[:, None] > 0, got / np.where(total > 0, total, 1.0)[:, None], 1.0)


def client_hours(sc: Scenario) -> pd.DataFrame:
    """Client work per township (rows, in table order) and group (columns), each home trip's
    travel included, hours/year."""
    persons = sc.townships[list(sc.groups)].astype(float)
    work = persons.mul(group_hours_per_person(sc), axis=1)
    trips = persons.mul(trips_per_person(sc), axis=1)
    return work + trips.mul(travel_hours(sc).to_numpy(float), axis=0)


def station_hours(sc: Scenario) -> float:
    """Fixed work of one open station per year (group activities + overhead), hours/year."""
    st = sc.station
    return (
        (1.0 - sc.volunteers.activity_share)
        * st.group_activities
        * st.group_activity_hours
        * st.group_activity_workers
        + st.overhead_hours
    )


def available_hours(sc: Scenario) -> pd.Series:
    """Hours a worker has for clients and station work per year, after the township's
    administrative work (hours/worker-year; the same in every township: travel is in the
    work of each home trip)."""
    staffing = sc.staffing
    hours = staffing.hours_per_worker * (1.0 - staffing.admin_share)
    return pd.Series(hours, index=sc.townships.index, dtype=float, name="available_hours")


def workload_table(sc: Scenario) -> pd.DataFrame:
    """Per township: client, station and total hours needed, hours per worker, workers needed."""
    clients = client_hours(sc)
    fixed = station_hours(sc)
    avail = available_hours(sc)
    out = pd.DataFrame({"township_id": sc.townships["township_id"]})
    for g in clients.columns:
        out[f"hours_{g}"] = clients[g].round(3)
    out["client_hours"] = clients.sum(axis=1)
    out["station_hours"] = fixed
    out["need_hours"] = out["client_hours"] + fixed
    out["available_hours_per_worker"] = avail
    awt = avail / (1.0 - sc.staffing.admin_share)
    out["workers_needed"] = np.array(
        [
            wisn_staff(n, a, category_allowance_share=sc.staffing.admin_share)
            for n, a in zip(out["need_hours"], awt)
        ]
    )
    return out


def wisn_staff(
    workload_hours: float,
    available_hours: float,
    category_allowance_share: float = 0.0,
    individual_allowance_hours: float = 0.0,
) -> float:
    """Staff required by the WISN method (WHO 2010 user's manual).

    workload_hours: annual service workload × activity standard (hours/year);
    available_hours: available working time of one worker (hours/year);
    category_allowance_share: share of working time all staff spend on support activities
    (CAS); individual_allowance_hours: hours/year of work only some staff do (IAS).
    Required = workload / AWT × CAF + IAS / AWT, with CAF = 1 / (1 − CAS).
    """
    if available_hours <= 0:
        raise ValueError("available working time must be positive")
    if not 0 <= category_allowance_share < 1:
        raise ValueError("category allowance share must be in [0, 1)")
    caf = 1.0 / (1.0 - category_allowance_share)
    return workload_hours / available_hours * caf + individual_allowance_hours / available_hours


def priority_fill(
    demand: dict[str, float], weight: dict[str, float], capacity_hours: float
) -> dict[str, float]:
    """Hours served per class when `capacity_hours` go to demand by priority, highest weight first.

    Classes of equal weight share what is left in proportion to their demand. Hours/year in
    and out; a negative capacity serves nothing.
    """
    left = max(0.0, float(capacity_hours))
    served = {c: 0.0 for c in demand}
    for w in sorted({weight[c] for c in demand}, reverse=True):
        tier = [c for c in demand if weight[c] == w and demand[c] > 0]
        total = sum(demand[c] for c in tier)
        if total <= 0:
            continue
        share = min(1.0, left / total)
        for c in tier:
            served[c] = demand[c] * share
        left -= total * share
        if left <= 0:
            break
    return served


CATCHMENT_COLUMNS = ("station", "township", "station_id", "township_id", "minutes", "trip_hours")
"""Columns of :func:`catchment_pairs`."""


def catchment_pairs(sc: Scenario) -> pd.DataFrame:
    """Every pair of townships (station i, township j ≠ i) with travel minutes from i to j within
    `catchment.max_minutes` (region.travel): the station at i may serve j when j has no station.

    Columns `station`, `township` (indices in table order), `station_id`, `township_id`,
    `minutes` (i to j, one way) and `trip_hours` (the round trip i → j → i, hours: what every
    request of j served from i adds to its work). Ordered by township, then minutes, then
    station. Empty when catchments are off (no catchment.max_minutes)."""
    limit = sc.catchment.max_minutes
    if limit is None or sc.travel is None:
        return pd.DataFrame({c: [] for c in CATCHMENT_COLUMNS})
    minutes = sc.travel.to_numpy(float)
    near = minutes <= limit
    np.fill_diagonal(near, False)
    i, j = np.nonzero(near)
    ids = sc.townships["township_id"].astype(str).to_numpy()
    out = pd.DataFrame(
        {
            "station": i,
            "township": j,
            "station_id": ids[i],
            "township_id": ids[j],
            "minutes": minutes[i, j],
            "trip_hours": (minutes[i, j] + minutes[j, i]) / 60.0,
        }
    )
    return out.sort_values(["township", "minutes", "station"], kind="stable").reset_index(drop=True)


def new_cases(sc: Scenario) -> pd.Series:
    """New cases opened per township a year: Σ over groups of case_rate × persons (cases/year,
    township-table order)."""
    persons = sc.townships[list(sc.groups)].astype(float)
    rates = pd.Series({g: spec.case_rate for g, spec in sc.groups.items()})
    return persons.mul(rates, axis=1).sum(axis=1)


def centre_hours(sc: Scenario) -> pd.Series:
    """Hours a county guidance centre gives each open station of its county in a year
    (township-table order): centre.supervision_hours plus the complex cases it takes on referral,
    referral_share × the township's new cases × referral_hours (hours/station-year)."""
    c = sc.centre
    return c.supervision_hours + c.referral_share * new_cases(sc) * c.referral_hours


def point_shares(sc: Scenario, points: np.ndarray) -> np.ndarray:
    """Share of each group's workers' home visits that a township's village points take
    (townships × groups in scenario order, 0–1), for `points[i]` points in township i.

    The points of a township have points × point.visit_hours hours a year; a visit takes
    visit_hours of its group plus point.travel_minutes / 60 of them (the point is in the
    village). They take visits by group priority, highest first, groups of one priority in
    proportion to the hours their visits need (as :func:`priority_fill`); a point's visits are
    made without waiting (the point's worker lives there). Visits are those left after the
    volunteers' (:func:`requests_by_kind`)."""
    points = np.asarray(points, dtype=float)
    persons = sc.townships[list(sc.groups)].to_numpy(float)
    visits = persons * requests_by_kind(sc)["visit"].to_numpy(float)[None, :]
    per_visit = np.array(
        [g.visit_hours + sc.point.travel_minutes / 60.0 for g in sc.groups.values()]
    )
    need = visits * per_visit[None, :]  # point hours all visits would take
    priority = np.array([g.priority for g in sc.groups.values()])
    left = np.maximum(0.0, points * sc.point.visit_hours)
    share = np.zeros_like(need)
    for p in sorted(set(priority.tolist()), reverse=True):
        tier = priority == p
        total = need[:, tier].sum(axis=1)
        got = np.where(total > 0, np.minimum(1.0, left / np.where(total > 0, total, 1.0)), 0.0)
        share[:, tier] = got[:, None]
        left = left - total * got
    return np.where(need > 0, share, 0.0)


def point_hours(sc: Scenario, points: np.ndarray) -> pd.DataFrame:
    """Station hours a year the township's village points take off its workers, per township
    (rows) and group (columns): the visits they take (:func:`point_shares`) times what each
    would have cost a worker, the group's visit_hours plus the township's round trip
    (:func:`travel_hours`) — part of :func:`client_hours`, and served (hours/year)."""
    persons = sc.townships[list(sc.groups)].astype(float)
    visits = persons.mul(requests_by_kind(sc)["visit"], axis=1)
    hours = np.array([g.visit_hours for g in sc.groups.values()])
    worker = np.add.outer(travel_hours(sc).to_numpy(float), hours)  # townships × groups
    return visits * worker * point_shares(sc, points)
