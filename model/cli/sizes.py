"""How large a job a command may start: the limits, each with its reason; the job's size and time
estimated before it starts; a job beyond a limit refused (exit 2), unless the command has
--allow-large; a long job announced with its estimated time.

    job = Job.of(sc, replications=10)                  # a run: one plan, its simulation
    check(job, "stationplan run", allow_large=False)   # InputError beyond a limit; a line if long

The rates are those measured on the project's machine (benchmarks/README.md; 2 cores): the
estimates say "about", and tell whether a job takes minutes or hours, not to the second.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from model.errors import Bi, InputError, say
from model.inputs.scenario import Scenario

MAX_LEVELS = 200
"""Budget levels of a sweep. Each level is a whole optimization whose plan is kept until the
frontier is written: 200 Ganzhou levels take about 20 minutes on one core (6.5 s a level,
benchmarks/README.md "Budget sweep on Dask"), and a frontier and its knee need 10–20 levels.
`sweep --budgets 0.5:1.5:100000000` grew past 7 GB before its first level."""

MAX_PLANNED = 5_000_000
"""Township-years planned by the optimizations of one command (township-years × levels,
scenarios or sensitivity evaluations): about 10 hours at the measured rate (PLANNED_PER_S);
the whole country (115,926 township-years) planned 43 times."""

MAX_SIMULATED = 1_000_000
"""Township-years simulated by one command (township-years × replications × levels or
scenarios): each keeps about 4.5 KB of results until the tables are written, twice that at its
peak (measured: 40 replications of a small scenario), so about 4.5–9 GB, and about 4 hours on
one process (SIMULATED_PER_S). The whole country with 10 replications is 1,159,260."""

MAX_VARIABLES = 3_000_000
"""Variables of the largest model one command builds (`variables`). The national model of
38,600 townships × 5 years peaked at 5.7–7.7 GB with 1.26–2.36 million columns (about 4.5 KB
a variable with PuLP's objects); 3 million would need about 13 GB, more than half the 24 GB of
the machine the benchmarks ran on. A table of 100,000 townships ran 25 minutes without word."""

MAX_EVALUATIONS = 2_000
"""Evaluations of a sensitivity analysis (one-at-a-time and the global method's samples),
each a copy of the scenario and, for served_share or least_budget, a whole optimization: 2,000
Ganzhou optimizations take about 3.6 hours on one core."""

WARN_SECONDS = 600.0
"""A job estimated to take longer than this (s) is announced with its estimated time."""

PLANNED_PER_S = 137.0
"""Township-years planned per second on one core: a Ganzhou sweep of 10 levels (297 townships
× 3 years each) optimized serially in 64.9 s (benchmarks/README.md "Budget sweep on Dask")."""

SIMULATED_PER_S = 66.0
"""Township-years simulated per second on one process: one replication of Ganzhou's plan (891
township-years) in 13.5 s CPU (benchmarks/README.md "Simulation speed")."""

BYTES_PER_VARIABLE = 4_500
"""Memory per model variable at the national size (1,567,148 variables, 6.9 GB)."""

BYTES_PER_SIMULATED = 4_500
"""Memory of the results of one simulated township-year, kept until the tables are written
(measured with tracemalloc over 40 replications of a small scenario; twice that at the peak)."""


def variables(sc: Scenario) -> int:
    """Variables of the largest model optimizing `sc` builds (each province's own model when it
    has provinces): per township-year a station, three grades, training, hours and one
    per staffing level, plus a link per station–township pair within catchment.max_minutes
    (region.travel) per year — an upper estimate (measured: 6.5 a township-year with 7 levels
    as increments, 12.2 with level binaries)."""
    from model.optimizer.inputs import staffing_levels

    per = 6 + len(staffing_levels(sc))
    years = len(sc.years)
    towns = sc.townships
    if sc.provinces:
        largest = int(towns["province"].astype(str).value_counts().max())
    else:
        largest = len(towns)
    pairs = 0
    if sc.travel is not None and sc.catchment.max_minutes is not None:
        minutes = sc.travel.to_numpy(float)
        pairs = int((minutes <= sc.catchment.max_minutes).sum()) - len(towns)
        pairs = max(0, math.ceil(pairs * largest / max(1, len(towns))))
    return largest * years * per + math.ceil(1.3 * pairs * years)


@dataclass(frozen=True)
class Job:
    """What a command will compute: `planned` township-years optimized (all models together),
    `simulated` township-years simulated (replications included), `models` optimizations,
    `variables` of the largest model, `evaluations` of a sensitivity analysis, `levels` of a
    sweep; the optimizations on `solvers` processes at once, the simulations on `processes`."""

    planned: int = 0
    simulated: int = 0
    models: int = 0
    variables: int = 0
    evaluations: int = 0
    levels: int = 0
    processes: int = 1
    solvers: int = 1

    @classmethod
    def of(
        cls,
        sc: Scenario,
        optimize: bool = True,
        replications: int | None = None,
        times: int = 1,
        processes: int = 1,
        solvers: int = 1,
    ) -> Job:
        """`times` optimizations of `sc` (when `optimize`; on `solvers` processes) and
        simulations of their plans with `replications` each (None: none; on `processes`)."""
        ty = len(sc.townships) * len(sc.years)
        return cls(
            planned=ty * times if optimize else 0,
            simulated=ty * times * (replications or 0),
            models=times if optimize else 0,
            variables=variables(sc) if optimize else 0,
            processes=max(1, processes),
            solvers=max(1, solvers),
        )

    def __add__(self, other: Job) -> Job:
        return Job(
            self.planned + other.planned,
            self.simulated + other.simulated,
            self.models + other.models,
            max(self.variables, other.variables),
            self.evaluations + other.evaluations,
            self.levels + other.levels,
            max(self.processes, other.processes),
            max(self.solvers, other.solvers),
        )

    @property
    def seconds(self) -> float:
        """The estimated wall time (s) at the measured rates, the work spread evenly over the
        processes."""
        return self.planned / (PLANNED_PER_S * self.solvers) + self.simulated / (
            SIMULATED_PER_S * self.processes
        )


def duration(seconds: float) -> Bi:
    """`seconds` for a planner: "about 25 minutes", "about 3.5 hours", "about 12 days"."""
    if seconds < 90:
        return Bi("about a minute", "约 1 分钟")
    if seconds < 5400:
        minutes = round(seconds / 60)
        return Bi(f"about {minutes} minutes", f"约 {minutes} 分钟")
    hours = seconds / 3600
    if hours < 48:
        return Bi(f"about {hours:.1f} hours", f"约 {hours:.1f} 小时")
    if hours < 24 * 365:
        return Bi(f"about {hours / 24:,.0f} days", f"约 {hours / 24:,.0f} 天")
    return Bi(f"about {hours / 24 / 365:,.0f} years", f"约 {hours / 24 / 365:,.0f} 年")


def check(
    job: Job, source: str, allow_large: bool, lang: str = "zh", flag: str | None = None
) -> None:
    """Refuse `job` when it is beyond a limit of this module and `allow_large` is false: an
    InputError naming `flag` (the option that asks for the levels or samples) when the levels or
    evaluations are too many, else `source` (the scenario, or the command); print one line
    (stderr, in `lang`) with its estimated time when that is longer than WARN_SECONDS."""
    if not allow_large:
        over = _over(job)
        if over is not None:
            counted = job.levels > MAX_LEVELS or job.evaluations > MAX_EVALUATIONS
            raise InputError(
                flag if flag is not None and counted else source,
                None,
                "",
                problem=over
                + Bi(
                    f" ({duration(job.seconds)} at the rates measured in benchmarks/README.md); "
                    "ask for less, or add --allow-large to run it anyway",
                    f"（按 benchmarks/README.md 测得的速度{duration(job.seconds).zh}）；"
                    "请缩小任务，或加 --allow-large 仍然运行",
                ),
            )
    if job.seconds > WARN_SECONDS:
        parts = []
        if job.planned:
            parts.append(
                Bi(
                    f"{job.planned:,} township-years planned in {job.models:,} model(s)",
                    f"{job.models:,} 次优化共 {job.planned:,} 个乡镇-年",
                )
            )
        if job.simulated:
            parts.append(
                Bi(
                    f"{job.simulated:,} township-years simulated",
                    f"模拟 {job.simulated:,} 个乡镇-年（含重复次数）",
                )
            )
        what = Bi("; ", "；").join_parts(parts)
        line = Bi(
            f"note: a long job: {what}, {duration(job.seconds)} at the rates measured in "
            "benchmarks/README.md",
            f"注意：这是耗时较长的任务：{what.zh}；按 benchmarks/README.md 测得的速度"
            f"{duration(job.seconds).zh}",
        )
        print(say(line, lang), file=sys.stderr)


def _over(job: Job) -> Bi | None:
    """The first limit `job` is beyond, said with its reason; None within every limit."""
    if job.levels > MAX_LEVELS:
        return Bi(
            f"{job.levels:,} budget levels, more than {MAX_LEVELS}: each level is a whole "
            "optimization, and 10–20 levels show a frontier and its knee",
            f"{job.levels:,} 个预算水平，超过 {MAX_LEVELS} 个：每个水平都是一次完整的优化，"
            "10–20 个水平即可看出资金与服务的关系及其拐点",
        )
    if job.evaluations > MAX_EVALUATIONS:
        return Bi(
            f"{job.evaluations:,} evaluations of the scenario, more than {MAX_EVALUATIONS:,}: "
            "each is a copy of the scenario and, for served_share or least_budget, a whole "
            "optimization (fewer --samples)",
            f"{job.evaluations:,} 次情景计算，超过 {MAX_EVALUATIONS:,} 次：每次都复制一份情景，"
            "served_share 或 least_budget 每次还要完整优化一次（请减少 --samples）",
        )
    if job.variables > MAX_VARIABLES:
        gb = job.variables * BYTES_PER_VARIABLE / 1e9
        return Bi(
            f"a model of about {job.variables:,} variables, more than {MAX_VARIABLES:,}: about "
            f"{gb:.0f} GB of memory to build",
            f"模型约有 {job.variables:,} 个变量，超过 {MAX_VARIABLES:,} 个：建模约需 {gb:.0f} GB "
            "内存",
        )
    if job.planned > MAX_PLANNED:
        return Bi(
            f"{job.planned:,} township-years to plan in {job.models:,} model(s), more than "
            f"{MAX_PLANNED:,}",
            f"{job.models:,} 次优化共 {job.planned:,} 个乡镇-年，超过 {MAX_PLANNED:,} 个",
        )
    if job.simulated > MAX_SIMULATED:
        gb = job.simulated * BYTES_PER_SIMULATED / 1e9
        return Bi(
            f"{job.simulated:,} township-years to simulate (township-years × replications), "
            f"more than {MAX_SIMULATED:,}: about {gb:.1f} GB of results kept until written "
            "(fewer replications: simulation.replications, or --replications of an experiment)",
            f"需模拟 {job.simulated:,} 个乡镇-年（乡镇-年 × 重复次数），超过 {MAX_SIMULATED:,} "
            f"个：结果写出前约占 {gb:.1f} GB 内存（请减少重复次数：simulation.replications，"
            "或实验命令的 --replications）",
        )
    return None
