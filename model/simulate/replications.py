"""Simulate a plan (or today's status quo) over its years, with replications and 95% intervals.

    sim = simulate_plan(sc, result.plan, replications=10)
    sim.table        # one row per township and year
    sim.reach        # one row per township, year and group

Each replication simulates every township over the plan's years in one continuous run
(model.simulate.township.simulate_group): queues, cases in progress and their sessions carry
over from one year to the next, after a warm-up (`simulation.warmup_days`) with today's station
and workers. Each year starts from the plan's workers by grade for that year (certified =
junior + intermediate; `trained` uncertified workers sit the yearly exam; the plan already
carries leavers, hires and exam passes from year to year); within the year workers leave and
are replaced after the hiring lag. A township without a station in a year is served by the
station the plan's `served_by` names that year (its requests queue there, each with the round
trip; its rows keep its residents' measures, the station's rows the work), or by none: its
demand that year is unmet. Townships linked by `served_by` in any year are simulated together
(`by_group`: the connected components; a township never linked alone, as without
catchments). A plan's `points` (village points, 村社工点, per township-year; none without the
column) take a share of the home visits of a township-year with its station off its queue
(model.simulate.township: counted served, without a wait; `point_visits`). Replications draw
from independent streams of the scenario's seed (`simulation.seed`), keyed by replication,
year, township and input, so the numbers do not depend on how many processes run them;
`first_replication` numbers them from elsewhere (fresh seeds for an out-of-sample judgement of
a plan). Columns: for each measure its mean over replications and the 95% interval (Student
t): demand_hours, served_hours, unmet_hours (hours/year), unmet_requests, wait_mean_days,
wait_p90_days, utilisation, service_level (share of client requests started within
max_wait_days), case_clients, sessions_per_client, group_activities_held, standard_333
(share of replications meeting "三个3"), departures, visits and point_visits (home visits
made, and of those by village points).
`reach` has unique clients reached per township, year and group with the reach rate.
"""

from __future__ import annotations

import gc
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from tqdm.auto import tqdm

from model.executor import local_processes
from model.inputs.scenario import Scenario
from model.plan.io import township_ids
from model.simulate.demand import DemandTable
from model.simulate.streams import Streams
from model.simulate.township import REQUEST_KINDS, Run, Staffing, TownshipYear, simulate_group
from model.tasks import Executor
from model.vocabulary import progress_words

MEASURES = (
    "demand_hours",
    "served_hours",
    "unmet_hours",
    "unmet_requests",
    "wait_mean_days",
    "wait_p90_days",
    "utilisation",
    "service_level",
    "case_clients",
    "visits",
    "point_visits",
    "clients_reached",
    "sessions_per_client",
    "group_activities_held",
    "standard_333",
    "departures",
)


SHARES = ("utilisation", "service_level", "standard_333")
"""Measures that are shares (their interval is clipped to 0–1; every measure is clipped at 0)."""


@dataclass
class SimulationResult:
    """A simulated plan: its measures per township-year and the clients it reached.

    `table` is simulation.csv (per township and year, the mean and 95% interval of each
    measure), `reach` simulation_reach.csv (per township, year and group, the unique clients
    reached); `replications` stand behind each mean; `regional` is simulation_summary.csv (per
    year, the region's totals with their 95% intervals over the replications).
    """

    table: pd.DataFrame
    reach: pd.DataFrame
    replications: int
    regional: pd.DataFrame = field(default_factory=pd.DataFrame)

    def served_share(self, year: int | None = None) -> float:
        """Client hours served / client hours needed, in `year` (None: over the horizon)."""
        t = self.table if year is None else self.table[self.table["year"] == year]
        return float(t["served_hours"].sum() / max(t["demand_hours"].sum(), 1e-9))


def status_quo(sc: Scenario) -> pd.DataFrame:
    """Today's stations and workers kept unchanged over the horizon, as a plan table."""
    t = sc.townships
    rows = [
        {
            "township_id": tid,
            "year": y,
            "station": int(st),
            "workers": int(c + u),
            "workers_certified": int(c),
        }
        for tid, st, c, u in zip(
            t["township_id"], t["has_station"], t["workers_certified"], t["workers_uncertified"]
        )
        for y in sc.years
    ]
    return pd.DataFrame(rows)


Staffed = tuple[str, int, Staffing, str, int]
"""A plan row as the simulation reads it: township, year, Staffing, served_by, points."""


def staffing_of(plan: pd.DataFrame) -> list[Staffed]:
    """(township, year, Staffing, served_by, points) per plan row; no workers where there is no
    station.

    A status-quo table (`workers`, `workers_certified`) or an optimizer plan (workers by grade,
    `trained`) both work; a table with only `workers` counts them all as certified. `served_by`:
    the township whose station serves this one that year ("" when none, or without the column).
    `points`: its village points that year (0 without a station, or without the column).
    """
    out = []
    open_ = plan["station"].to_numpy(int) == 1
    if "workers_junior" in plan:
        cert = plan["workers_junior"] + plan.get("workers_intermediate", 0)
        unc = plan["workers_uncertified"]
    elif "workers_certified" in plan:
        cert, unc = plan["workers_certified"], plan["workers"] - plan["workers_certified"]
    else:
        cert, unc = plan["workers"], plan["workers"] * 0
    trained = plan["trained"] if "trained" in plan else plan["station"] * 0
    served = township_ids(plan["served_by"]).tolist() if "served_by" in plan else [""] * len(plan)
    points = plan["points"] if "points" in plan else plan["station"] * 0
    for tid, year, o, c, u, t, by, p in zip(
        plan["township_id"], plan["year"], open_, cert, unc, trained, served, points
    ):
        staff = Staffing(int(u), int(c), min(int(t), int(u))) if o else Staffing()
        out.append((str(tid), int(year), staff, by, int(p) if o else 0))
    return out


Group = tuple[tuple[str, tuple[tuple[int, Staffing, str, int], ...]], ...]
"""Townships simulated together: per township (in table order), its (year, Staffing,
served_by, points) in year order."""


def by_group(sc: Scenario, staffing: list[Staffed]) -> list[Group]:
    """The plan's staffing as groups of townships simulated together: the connected components
    of the links between a township and the one whose station serves it, over all years (a
    township never served by another, and serving none, is a group of its own)."""
    index = {str(tid): i for i, tid in enumerate(sc.townships["township_id"])}
    runs: dict[str, list[tuple[int, Staffing, str, int]]] = {}
    root: dict[str, str] = {}

    def find(tid: str) -> str:
        while root[tid] != tid:
            root[tid] = root[root[tid]]
            tid = root[tid]
        return tid

    for tid, year, staff, by, points in staffing:
        runs.setdefault(tid, []).append((year, staff, by, points))
        root.setdefault(tid, tid)
    for tid, _, _, by, _ in staffing:
        if not by:
            continue
        if by not in runs:
            raise ValueError(f"township {tid} is served by {by}, which is not in the plan")
        a, b = find(tid), find(by)
        if a != b:
            root[max(a, b, key=index.__getitem__)] = min(a, b, key=index.__getitem__)
    members: dict[str, list[str]] = {}
    for tid in runs:  # in the plan's order
        members.setdefault(find(tid), []).append(tid)
    return [
        tuple((tid, tuple(sorted(runs[tid]))) for tid in sorted(group, key=index.__getitem__))
        for group in members.values()
    ]


def today(sc: Scenario) -> dict[str, Staffing]:
    """Each township's station today (the warm-up's workers; no station: none): the status
    quo's first year."""
    first = sc.years[0]
    return {tid: staff for tid, year, staff, *_ in staffing_of(status_quo(sc)) if year == first}


def _one_replication(args: tuple) -> list[list[list[dict]]]:
    """One replication of groups' runs: per group, per township in it, one row per year."""
    sc, groups, replication = args
    streams = Streams(sc.simulation.seed, replication)
    index = {str(tid): i for i, tid in enumerate(sc.townships["township_id"])}
    before = today(sc)
    out = []
    # the scenario, its township table and the modules live as long as the replication: keep the
    # garbage collector from walking them again at every collection between townships
    gc.freeze()
    try:
        tables = DemandTable.of(sc)
        for group in groups:
            runs = [
                Run(
                    index[tid],
                    tuple((year, staff) for year, staff, _, _ in years),
                    before[tid],
                    tuple(index[by] if by else None for _, _, by, _ in years),
                    tuple(points for *_, points in years),
                )
                for tid, years in group
            ]
            results = simulate_group(sc, runs, streams, tables=tables)
            out.append([_rows(replication, years, r) for (_, years), r in zip(group, results)])
    finally:
        gc.unfreeze()
    return out


def _rows(replication: int, years: tuple, results: list[TownshipYear]) -> list[dict]:
    """A township's years as rows of the replication's table."""
    rows = []
    for (year, *_), r in zip(years, results):
        row = asdict(r)
        reached = row.pop("reached")
        for name, (asked, on_time) in row.pop("by_kind").items():
            row[f"requests_{name}"], row[f"on_time_{name}"] = asked, on_time
        row["standard_333"] = float(row["standard_333"])
        rows.append(
            {
                "replication": replication,
                "year": year,
                **row,
                **{f"reached_{g}": n for g, n in reached.items()},
            }
        )
    return rows


BLOCK = 250
"""Townships in one simulation task at most (a replication of a block of townships; benchmarks/
README.md "Simulation tasks on Dask")."""


def _blocks(groups: list[Group], size: int) -> list[list[Group]]:
    """`groups` in consecutive blocks of at most `size` townships (a larger group alone)."""
    out: list[list[Group]] = []
    count = 0
    for group in groups:
        if not out or count + len(group) > size:
            out.append([])
            count = 0
        out[-1].append(group)
        count += len(group)
    return out


def simulate_plan(
    sc: Scenario,
    plan: pd.DataFrame | None = None,
    replications: int | None = None,
    processes: int = 1,
    progress: bool = True,
    cache: dict | None = None,
    executor: Executor | None = None,
    first_replication: int = 0,
    block: int | None = None,
) -> SimulationResult:
    """Mean and 95% interval per township and year over replications (see module docstring).

    `cache` (a dict kept by the caller) holds each group's simulated run by replication and its
    townships' staffing and catchments over the years: with common random numbers the same
    staffing gives the same outcome, so a second plan that changes a few townships re-simulates
    only their groups (the plan-simulation loop). Replications are numbered from
    `first_replication`.
    `executor`: spread the replications over it (e.g. Dask) instead of local processes; the
    numbers are the same. A task is one replication of a block of at most `block` townships
    (default BLOCK; groups linked by catchments stay whole), so that a national run spreads over
    many workers; every township draws from its own streams, so blocks change no number.
    """
    staffing = staffing_of(status_quo(sc) if plan is None else plan)
    groups = by_group(sc, staffing)
    n = sc.simulation.replications if replications is None else int(replications)
    numbers = range(int(first_replication), int(first_replication) + n)
    done: dict = {} if cache is None else cache
    tasks = []
    size = BLOCK if block is None else max(1, int(block))
    for r in numbers:
        need = [group for group in groups if (r, group) not in done]
        for chunk in _blocks(need, size):
            tasks.append((sc, chunk, r))
    with tqdm(
        total=len(tasks),
        desc=progress_words("simulating", sc.report.language),
        unit=progress_words("replication" if len(tasks) <= n else "task", sc.report.language),
        disable=not progress or executor is not None,  # the executor's bar follows its tasks
        leave=False,
    ) as bar:

        def collect(task: tuple, part: list[list[list[dict]]]) -> None:
            for group, rows in zip(task[1], part):
                done[(task[2], group)] = rows
            bar.update()

        if executor is not None:
            for task, part in zip(
                tasks,
                executor.map(
                    _one_replication,
                    [(t,) for t in tasks],
                    desc=progress_words("simulating", sc.report.language),
                    progress=progress,
                ),
            ):
                collect(task, part)
        elif processes > 1 and len(tasks) > 1:
            with local_processes(processes) as pool:
                for task, part in zip(tasks, pool.map(_one_replication, tasks)):
                    collect(task, part)
        else:
            for task in tasks:
                collect(task, _one_replication(task))
    of_year = {
        (r, tid, row["year"]): row for r in numbers for group in groups
        for (tid, _), rows in zip(group, done[(r, group)]) for row in rows
    }  # fmt: skip
    rows = pd.DataFrame([of_year[(r, tid, year)] for r in numbers for tid, year, *_ in staffing])
    return SimulationResult(summarise(rows), reach_table(sc, rows), n, regional_summary(rows))


def reach_table(sc: Scenario, runs: pd.DataFrame) -> pd.DataFrame:
    """Per township, year and group: persons, unique clients reached (mean over replications),
    reach rate."""
    groups = list(sc.groups)
    persons = sc.townships.set_index("township_id")[groups]
    mean = runs.groupby(["township_id", "year"], sort=False)[
        [f"reached_{g}" for g in groups]
    ].mean()
    tids = mean.index.get_level_values(0)
    years = mean.index.get_level_values(1).astype(int)
    people = persons.loc[tids].to_numpy(float)  # township-years × groups
    got = mean.to_numpy(float)
    rate = np.divide(got, people, out=np.full_like(got, np.nan), where=people > 0)
    k = len(groups)
    return pd.DataFrame(
        {
            "township_id": np.repeat(np.asarray(tids, dtype=object), k),
            "year": np.repeat(np.asarray(years), k),
            "group": np.tile(np.asarray(groups, dtype=object), len(mean)),
            "persons": people.astype(int).ravel(),
            # Python's round (correctly rounded), as the tables have always been written
            "clients_reached": [round(float(v), 2) for v in got.ravel()],
            "reach_rate": [round(float(v), 4) for v in rate.ravel()],
        }
    )


REGIONAL = (
    "requests",
    "served_requests",
    "unmet_requests",
    "demand_hours",
    "served_hours",
    "unmet_hours",
    "clients_reached",
    "case_clients",
    "visits",
    "point_visits",
)
"""Counts the regional summary adds up over townships (each replication's total)."""


def regional_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per year: the region's totals (REGIONAL), its mean wait (of the client requests started),
    service level (client requests started on time / client requests) and the same per kind of
    request (`service_level_intake`, …: started within the kind's standard), each as the mean
    over replications with a 95% Student-t interval."""
    if runs.empty:
        return pd.DataFrame()
    runs = runs.assign(_wait=runs["wait_mean_days"].fillna(0.0) * runs["started_requests"])
    kinds = [k for k in REQUEST_KINDS if f"requests_{k}" in runs]
    by_kind = [f"{what}_{k}" for k in kinds for what in ("requests", "on_time")]
    columns = [
        *REGIONAL, "client_requests", "started_requests", "on_time_requests", "_wait", *by_kind
    ]  # fmt: skip
    per = runs.groupby(["year", "replication"])[columns].sum()
    per["wait_mean_days"] = per["_wait"] / per["started_requests"].where(
        per["started_requests"] > 0
    )
    per["service_level"] = per["on_time_requests"] / per["client_requests"].where(
        per["client_requests"] > 0
    )
    for k in kinds:
        asked = per[f"requests_{k}"]
        per[f"service_level_{k}"] = per[f"on_time_{k}"] / asked.where(asked > 0)
    levels = ["service_level", *(f"service_level_{k}" for k in kinds)]
    measures = [*REGIONAL, "wait_mean_days", *levels]
    rows = []
    for year, group in per.groupby(level="year"):
        row: dict = {"year": int(year), "replications": len(group)}
        for m in measures:
            x = group[m].dropna().to_numpy(float)
            mu = float(x.mean()) if len(x) else float("nan")
            half = (
                float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
                if len(x) > 1
                else 0.0
            )
            row[m] = round(mu, 4)
            row[f"{m}_low"] = round(max(0.0, mu - half), 4)
            row[f"{m}_high"] = round(mu + half if m not in levels else min(1.0, mu + half), 4)
        rows.append(row)
    return pd.DataFrame(rows)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per township and year: mean, low and high (95% Student-t interval) of each measure.

    NaN values (a wait where nothing started) are left out of their measure's mean and interval;
    intervals are clipped at 0, and at 1 for shares.
    """
    keys = ["township_id", "year"]
    grouped = runs.groupby(keys, sort=False)
    out = grouped.agg(workers=("workers", "first"), replications=("workers", "size")).reset_index()
    mean = grouped[list(MEASURES)].mean()
    std = grouped[list(MEASURES)].std(ddof=1)
    count = grouped[list(MEASURES)].count()
    tq = pd.DataFrame(
        stats.t.ppf(0.975, np.maximum(count.to_numpy(float) - 1, 1)),
        index=count.index,
        columns=count.columns,
    )
    half = (tq * std / np.sqrt(count)).where(count > 1, 0.0)
    for m in MEASURES:
        mu, h = mean[m].to_numpy(), half[m].to_numpy()
        high = mu + h
        if m in SHARES:
            high = np.minimum(1.0, high)
        out[m] = np.round(mu, 4)
        out[f"{m}_low"] = np.round(np.maximum(0.0, mu - h), 4)
        out[f"{m}_high"] = np.round(high, 4)
    out["workers"] = out["workers"].astype(int)
    return out
