"""The scenario schema: typed sections whose field metadata drives validation and docs.

This module is the single source of truth for the scenario file. Each section is a frozen
dataclass; each field carries its meaning, unit, default and allowed range in its metadata
(built with :func:`model.inputs.fields.spec`). :func:`model.inputs.fields.build` validates raw
YAML data against a section and returns typed objects; :mod:`model.inputs.reference` renders
``docs/scenario-reference.md`` from the same classes, and a test fails if the page and the
schema disagree.

Units: money in 10,000 yuan (万元), working time in hours, waits and lags in days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from model.inputs.fields import ParamPath, PlaceName, spec
from model.vocabulary import GRADES, Grade, Month, Profile


@dataclass(frozen=True, kw_only=True)
class Synthetic:
    """A synthetic township table generated at load time (see docs/data.md)."""

    profile: Profile = spec(doc="calibration profile of the synthetic region")
    townships: int | None = spec(
        None, doc="number of townships; empty: the profile's own number", lo=1, hi=50000
    )
    counties: int | None = spec(
        None, doc="number of counties; empty: the profile's own number", lo=1, hi=5000
    )
    seed: int = spec(7, doc="random seed of the generator", lo=0)
    coverage: float | None = spec(
        None,
        doc="share of townships with a station at the start (which ones is drawn, streets and "
        "large townships first); empty: the profile's own share",
        unit="share",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True, kw_only=True)
class Region:
    """Where the townships come from: a table file, a synthetic region, or real units.

    Give region.townships (a table file), or region.synthetic alone (an invented region), or
    region.divisions with region.synthetic (real units by their official codes, with synthetic
    figures drawn for each).
    """

    townships: str | None = spec(
        None,
        doc="township table (CSV in UTF-8/GBK, or XLSX), "
        "relative to the scenario file that names it",
    )
    synthetic: Synthetic | None = spec(None, doc="generate a synthetic township table instead")
    divisions: list[str] | None = spec(
        None,
        doc="real township-level units of these regions: names or codes of the 2023 statistical "
        "division codes (赣州市, 3607, [河南省], 全国); with region.synthetic, whose profile and "
        "seed draw each unit's figures (see docs/data.md)",
    )
    travel: str | None = spec(
        None,
        doc="travel times in minutes between townships: a CSV of from,to,minutes (township ids; "
        "relative to the scenario file that names it; docs/data.md), or synthetic: a matrix "
        "drawn from a stated geometry, seeded by simulation.seed (docs/method.md, 'Travel times "
        "and access'); empty: no travel times (no access measures)",
    )


@dataclass(frozen=True, kw_only=True)
class Horizon:
    """Planning horizon: whole calendar years start .. start + years - 1."""

    start: int = spec(doc="first planning year", unit="year", lo=2000, hi=2100)
    years: int = spec(doc="number of planning years", unit="years", lo=1, hi=30)

    @property
    def year_list(self) -> list[int]:
        """The planning years, in order."""
        return list(range(self.start, self.start + self.years))


@dataclass(frozen=True, kw_only=True)
class Salary:
    """Salary per worker-year by grade, before the township's wage_index."""

    uncertified: float = spec(
        4.5, doc="salary of an uncertified worker", unit="万元/worker-year", lo=0
    )
    junior: float = spec(
        5.5,
        doc="salary of a junior-certified worker (助理社会工作师)",
        unit="万元/worker-year",
        lo=0,
    )
    intermediate: float = spec(
        6.5,
        doc="salary of an intermediate-certified worker (社会工作师)",
        unit="万元/worker-year",
        lo=0,
    )

    def by_grade(self) -> dict[str, float]:
        """Salary per grade name, in GRADES order (万元/worker-year)."""
        return {g: getattr(self, g) for g in GRADES}


@dataclass(frozen=True, kw_only=True)
class Costs:
    """Unit costs. Spend on salaries is salary[grade] x wage_index x workers."""

    station_setup: float = spec(
        6.0, doc="one-off cost of opening a station", unit="万元/station", lo=0
    )
    station_running: float = spec(
        4.0, doc="running cost of an open station", unit="万元/station-year", lo=0
    )
    salary: Salary = spec(doc="salary per worker-year by grade", factory=Salary)
    certification_training: float = spec(
        0.3, doc="training one worker toward the certification exam", unit="万元/worker", lo=0
    )


@dataclass(frozen=True, kw_only=True)
class Staffing:
    """Staffing rules for every open station."""

    min_workers: int = spec(2, doc="least workers at an open station", unit="workers", lo=0)
    min_certified: int = spec(
        1,
        doc="least certified (junior or intermediate) workers at an open station",
        unit="workers",
        lo=0,
    )
    max_workers: int = spec(
        8,
        doc="most workers at one station (each count up to it is a staffing level of the model)",
        unit="workers",
        lo=1,
        hi=100,
    )
    stations_per_supervisor: int = spec(
        10,
        doc="open stations one intermediate worker (社会工作师) supervises (督导): in each "
        "county and year, intermediate workers ≥ open stations / this; 0: no rule (assumed; "
        "Jiangshan's 一长三员 has a supervisor; supervision time is within "
        "station.overhead_hours)",
        unit="stations/supervisor",
        lo=0,
    )
    hours_per_worker: float = spec(
        1650.0,
        doc="working hours a worker has per year",
        unit="hours/year",
        lo=1,
        hi=8760,
    )
    admin_share: float = spec(
        0.65,
        doc="share of working time spent on township administrative work, not on the station "
        "(WISN category allowance; fitted to published station output, docs/calibration.md)",
        unit="share 0–1",
        lo=0,
        hi=0.9,
    )
    visit_travel_minutes: float = spec(
        30.0,
        doc="round trip from the station to a household for a home visit or an assessment in a "
        "township of remoteness 0 (remoteness r: this / (1 − r)), unless the township table "
        "gives travel_minutes (docs/method.md, 'Travel')",
        unit="minutes",
        lo=0,
        hi=600,
    )


@dataclass(frozen=True, kw_only=True)
class Station:
    # one line in docs/scenario-reference.md: the backslash continues it
    """Work every open station does whatever its clients: group activities and overhead \
(WISN allowances)."""

    group_activities: int = spec(
        12,
        doc='group activities a station holds per year ("三个3": at least 3)',
        unit="activities/year",
        lo=0,
        hi=365,
    )
    group_activity_hours: float = spec(
        3.0, doc="hours of one group activity, preparation included", unit="hours", lo=0
    )
    group_activity_workers: int = spec(
        2, doc="workers who run one group activity", unit="workers", lo=1, hi=10
    )
    overhead_hours: float = spec(
        150.0,
        doc="station overhead per year: records, reports, meetings, supervision",
        unit="hours/station-year",
        lo=0,
    )


TargetFamily = Literal[
    "coverage",
    "access",
    "min_served_share",
    "served_share",
    "service_level_by_group",
    "service_level",
    "certified_share",
    "workers_per_1000_elderly",
    "workers_per_100_care_beds",
    "workers_total",
    "workers_by_grade",
    "sector_posts",
]
"""A family of targets (targets.priority): a field of `targets`, or sector_posts (every sector's
`target`, sectors.<name>.target); its rows are every year (and group, grade or sector) it names.
The names in their default order (docs/method.md "Targets in order")."""

TARGET_ORDER: tuple[str, ...] = get_args(TargetFamily)
"""Target families in the default order of targets.priority."""


@dataclass(frozen=True, kw_only=True)
class Targets:
    """Targets, each by year; a year not named carries no target. Years must lie in the horizon.

    When a plan cannot meet them all, they are met in the order of `priority` (docs/method.md
    "Targets in order").
    """

    coverage: dict[int, float] = spec(
        doc="share of townships with a station", unit="share", lo=0, hi=1, key="year", factory=dict
    )
    access: dict[int, float] = spec(
        doc="share of the region's population within access.minutes of an open station (a "
        "township with a station is 0 minutes from it); needs region.travel",
        unit="share",
        lo=0,
        hi=1,
        key="year",
        factory=dict,
    )
    certified_share: dict[int, float] = spec(
        doc="certified workers / all workers, whole region",
        unit="share",
        lo=0,
        hi=1,
        key="year",
        factory=dict,
    )
    workers_per_1000_elderly: dict[int, float] = spec(
        doc="workers per 1,000 elderly (60+), whole region",
        unit="workers/1000 elderly",
        lo=0,
        key="year",
        factory=dict,
    )
    workers_per_100_care_beds: dict[int, float] = spec(
        doc="workers per 100 elderly-care beds, whole region",
        unit="workers/100 beds",
        lo=0,
        key="year",
        factory=dict,
    )
    workers_total: dict[int, int] = spec(
        doc="least number of workers, all grades, whole region",
        unit="workers",
        lo=0,
        key="year",
        factory=dict,
    )
    workers_by_grade: dict[Grade, dict[int, int]] = spec(
        doc="least number of workers of a grade, whole region",
        unit="workers",
        lo=0,
        key="grade, then year",
        factory=dict,
    )
    service_level: dict[int, float] = spec(
        doc="share of all client requests started within their standard (simulation.standards), "
        "whole region (planned by queueing theory: docs/method.md)",
        unit="share",
        lo=0,
        hi=1,
        key="year",
        factory=dict,
    )
    service_level_by_group: dict[str, dict[int, float]] = spec(
        doc="share of a group's client requests started within their standard, whole region "
        "(targets.csv: service_level.<group>)",
        unit="share",
        lo=0,
        hi=1,
        key="group, then year",
        factory=dict,
    )
    served_share: dict[str, dict[int, float]] = spec(
        doc="share of a group's workload that is served",
        unit="share",
        lo=0,
        hi=1,
        key="group, then year",
        factory=dict,
    )
    min_served_share: dict[int, float] = spec(
        doc="floor on every open station's served share of its township's client hours "
        "(the lowest township counts; townships without a station are governed by coverage)",
        unit="share",
        lo=0,
        hi=1,
        key="year",
        factory=dict,
    )
    min_served_share_by_group: dict[str, dict[int, float]] = spec(
        doc="floor on a group's served share of its client hours in every township with a "
        "station (targets.csv: min_served_share.<group>)",
        unit="share",
        lo=0,
        hi=1,
        key="group, then year",
        factory=dict,
    )
    priority: list[TargetFamily] = spec(
        doc="the order in which targets are met when the budget cannot meet them all: each "
        "family's shortfall is made as small as it can be before the next one's is looked at "
        "(lexicographic), then the objective; families not listed follow in the default "
        "order, which is " + ", ".join(TARGET_ORDER) + " (docs/method.md, Targets in order)",
        factory=lambda: list(TARGET_ORDER),
    )


CostCategory = Literal["setup", "running", "salary", "training", "severance", "moves"]
"""What money is spent on (funding.<source>.pays; funding.csv's categories): opening a station or
centre, running one, salaries, certification training, severance of laid-off workers, moving
workers between stations."""

COST_CATEGORIES: tuple[str, ...] = get_args(CostCategory)

Level = Literal["station", "centre", "point", "sector"]
"""Who money is spent on (funding.<source>.levels): township stations, county guidance centres,
village and community points, social work posts in sectors beyond the stations."""

LEVELS: tuple[str, ...] = get_args(Level)


@dataclass(frozen=True, kw_only=True)
class Centre:
    # one line in docs/scenario-reference.md: the backslash continues it
    """County social work guidance centres (县级社会工作指导中心): one per county, whose \
supervisors (intermediate grade) supervise the county's stations, take referrals of complex cases \
and train uncertified workers (docs/method.md, "Three levels")."""

    mode: Literal["none", "existing", "planned"] = spec(
        "none",
        doc="none: no centres (stations supervise themselves, staffing.stations_per_supervisor); "
        "existing: every county has one from the first year; planned: the plan opens them (a "
        "county's stations need its centre, which supervises them instead of station workers, "
        "so a county with a station today opens its centre in the first year)",
    )
    setup: float = spec(
        10.0, doc="one-off cost of opening a centre (assumed)", unit="万元/centre", lo=0
    )
    running: float = spec(
        8.0,
        doc="running cost of an open centre, salaries apart: rent, training, activities (assumed)",
        unit="万元/centre-year",
        lo=0,
    )
    min_supervisors: int = spec(
        1, doc="least supervisors (intermediate grade) at an open centre", unit="workers", lo=1
    )
    max_supervisors: int = spec(6, doc="most supervisors at one centre", unit="workers", lo=1)
    supervision_hours: float = spec(
        120.0,
        doc="supervisor hours each open station of the county takes in a year: monthly "
        "supervision visits and case conferences (assumed: 12 visits of 10 hours, travel in)",
        unit="hours/station-year",
        lo=0,
    )
    referral_share: float = spec(
        0.05,
        doc="share of a station's new cases referred to the centre as complex cases (assumed)",
        unit="share",
        lo=0,
        hi=1,
    )
    referral_hours: float = spec(
        6.0,
        doc="centre hours of one referred case: assessment, a case conference, follow-up (assumed)",
        unit="hours/case",
        lo=0,
    )
    trainees_per_supervisor: int = spec(
        10,
        doc="uncertified workers one supervisor prepares for the certification exam in a year: "
        "with centres, a county's trainees need its centre (assumed)",
        unit="workers/supervisor-year",
        lo=0,
    )


@dataclass(frozen=True, kw_only=True)
class Point:
    # one line in docs/scenario-reference.md: the backslash continues it
    """Village and community social work points (村/社区社工点): a room and a part-time post \
(a stipended village worker or volunteers' hours) attached to the township's station, which take \
home visits near the people and so save the station's workers the trips (docs/method.md, \
"Village points")."""

    max_per_township: int = spec(
        0,
        doc="most points in one township (0: no points); a point needs a station in its "
        "township, and points once opened stay open",
        unit="points/township",
        lo=0,
        hi=50,
    )
    setup: float = spec(
        1.0,
        doc="one-off cost of opening a point: a room furnished (assumed)",
        unit="万元/point",
        lo=0,
    )
    running: float = spec(
        1.5,
        doc="cost of a point a year: the part-time post's stipend (about 1,000 yuan a month) and "
        "the room (assumed)",
        unit="万元/point-year",
        lo=0,
    )
    visit_hours: float = spec(
        300.0,
        doc="hours a point gives to home visits in a year (assumed: a part-time post of about "
        "6 hours a week); its visits take the station's workers none of their time",
        unit="hours/point-year",
        lo=0,
    )
    travel_minutes: float = spec(
        10.0,
        doc="round trip from a point to a household of its village (assumed); a station's "
        "worker makes the township's round trip (travel_minutes or visit_travel_minutes)",
        unit="minutes",
        lo=0,
    )


@dataclass(frozen=True, kw_only=True)
class Province:
    # one line in docs/scenario-reference.md: the backslash continues it
    """One province of a national scenario, planned as a model of its own with its own budget, \
targets and hiring pools; every province is a task on the executor (docs/method.md, "The whole \
country")."""

    budget: dict[int, float] = spec(
        doc="the province's budget per year (every year of the horizon, with a budgeted objective)",
        unit="万元/year",
        lo=0,
        key="year",
        factory=dict,
    )
    targets: Targets = spec(
        doc="the province's targets; a target family it leaves out is the scenario's",
        factory=Targets,
    )
    hiring_pool_per_county: int | None = spec(
        None,
        doc="hires a year per county in this province; empty: workforce.hiring_pool_per_county",
        unit="workers/county-year",
        lo=0,
    )
    certified_pool_per_county: int | None = spec(
        None,
        doc="certified hires a year per county in this province; empty: "
        "workforce.certified_pool_per_county",
        unit="workers/county-year",
        lo=0,
    )


@dataclass(frozen=True, kw_only=True)
class Central:
    # one line in docs/scenario-reference.md: the backslash continues it
    """Money of the central government any province may add to its own budget (中央转移支付) \
and national targets the provinces reach together, coordinated by price: Lagrangian relaxation \
with subgradient steps, a feasible plan recovered each step (docs/method.md, "The whole \
country")."""

    transfer: dict[int, float] = spec(
        doc="the central transfer per year, for all provinces together (needs provinces)",
        unit="万元/year",
        lo=0,
        key="year",
        factory=dict,
    )
    targets: Targets = spec(
        doc="national targets the provinces reach together (coverage, workers_total, "
        "workers_per_1000_elderly, workers_per_100_care_beds; needs provinces): a province may "
        "do more where it is cheaper, at a price per station or worker",
        factory=Targets,
    )
    iterations: int = spec(
        8,
        doc="price updates at most (each solves every province twice: at the price, and with "
        "the money shared out)",
        lo=1,
        hi=200,
    )
    gap: float = spec(
        0.01,
        doc="stop when the best plan is within this share of the Lagrangian bound",
        unit="share",
        lo=0,
        hi=1,
    )


@dataclass(frozen=True, kw_only=True)
class Sector:
    """Social work posts beyond the stations that count toward the region's worker targets:
    elderly-care institutions, child welfare, hospitals, schools, community services."""

    label: str = spec("", doc="display name, e.g. 养老机构")
    driver: str | None = spec(
        None,
        doc="township-table column whose regional total drives the posts needed (care_beds, "
        "a group's column such as children, population); empty: `need` is a number of posts",
    )
    per: float = spec(
        100.0,
        doc="driver units per post needed, e.g. 100 (one social worker per 100 care beds)",
        unit="driver units/post",
        lo=0,
        lo_open=True,
    )
    need: int = spec(
        0,
        doc="posts needed when there is no driver",
        unit="posts",
        lo=0,
    )
    posts: int = spec(
        0, doc="posts filled today, before the first planning year", unit="posts", lo=0
    )
    certified_share: float = spec(
        0.3,
        doc="share of the sector's posts held by certified (junior) workers; the rest are "
        "uncertified (assumed unless the scenario cites a figure)",
        unit="share",
        lo=0,
        hi=1,
    )
    cost: float = spec(
        6.0,
        doc="cost of a post per year to the plan's money: salary and on-costs the plan pays "
        "(a sector that pays its own staff: the subsidy per post)",
        unit="万元/post-year",
        lo=0,
    )
    max_new_per_year: int = spec(
        1000,
        doc="most posts the sector can add in a year (its recruiting capacity)",
        unit="posts/year",
        lo=0,
    )
    target: dict[int, float] = spec(
        doc="share of the posts needed that are filled, by year (targets.csv: sector_posts.<name>)",
        unit="share",
        lo=0,
        hi=1,
        key="year",
        factory=dict,
    )


@dataclass(frozen=True, kw_only=True)
class Source:
    """One purse (资金来源): how much it gives each year, what it may pay for, and its rules."""

    label: str = spec("", doc="display name, e.g. 中央集中彩票公益金")
    amount: dict[int, float] = spec(
        doc="money available by year (a year not named: 0 unless per_station or per_new_station "
        "give some)",
        unit="万元/year",
        lo=0,
        key="year",
        factory=dict,
    )
    per_station: float = spec(
        0.0,
        doc="money per open station-year in the source's counties (e.g. a provincial transfer "
        "per station), on top of amount",
        unit="万元/station-year",
        lo=0,
    )
    per_new_station: float = spec(
        0.0,
        doc="money per station opened that year in the source's counties (a start-up grant)",
        unit="万元/station",
        lo=0,
    )
    pays: list[CostCategory] = spec(
        doc="cost categories it may pay for: " + ", ".join(get_args(CostCategory)),
        factory=lambda: list(get_args(CostCategory)),
    )
    levels: list[Level] = spec(
        doc="whose costs it may pay: station (township stations), centre (county centres), "
        "point (village and community points), sector (posts beyond the stations)",
        factory=lambda: list(get_args(Level)),
    )
    counties: list[str] = spec(
        doc="the only counties whose costs it may pay (county names as in the township table); "
        "empty: every county (sector posts belong to no county: a source with counties cannot "
        "pay for them)",
        factory=list,
    )
    carry_over: bool = spec(
        False, doc="whether money left unspent in a year can be spent in the next years"
    )
    scale: float = spec(
        1.0,
        doc="multiplies every amount of the source (what if the fund is cut by half: 0.5)",
        unit="×",
        lo=0,
    )


@dataclass(frozen=True, kw_only=True)
class Access:
    """What counts as within reach of a station, for targets.access (travel minutes from
    region.travel)."""

    minutes: float = spec(
        30.0,
        doc="travel minutes from a township to the nearest open station within which its "
        "residents count as within reach",
        unit="minutes",
        lo=0,
        lo_open=True,
    )


@dataclass(frozen=True, kw_only=True)
class Catchment:
    """Stations that serve their neighbours: a township without a station may be served by one
    open station within max_minutes (travel minutes from region.travel), each of its requests
    then taking the round trip from that station on top of its own work."""

    max_minutes: float | None = spec(
        None,
        doc="travel minutes from a station to a township without a station within which the "
        "station may serve it (its workers travel there and back for every request); empty: "
        "every township is served only by its own station",
        unit="minutes",
        lo=0,
        lo_open=True,
    )


@dataclass(frozen=True, kw_only=True)
class Fairness:
    # one line in docs/scenario-reference.md: the backslash continues it
    """How max_service weighs service in different townships: an α-fair utility of each \
township's served share (docs/method.md, "Fairness")."""

    alpha: float = spec(
        1.0,
        doc="inequality aversion α: 0 counts every priority-weighted hour the same wherever it is "
        "served (most hours); 1 (proportional fairness) makes a point of served share worth more "
        "where fewer are served; large values approach max-min (the worst-served township first)",
        lo=0,
        hi=20,
    )
    weight: Literal["need", "equal"] = spec(
        "need",
        doc="each township's weight in the utility: need (its priority-weighted client hours: "
        "a township of 80,000 counts more than one of 8,000) or equal (every township the same)",
    )


@dataclass(frozen=True, kw_only=True)
class Group:
    """One recipient group; the township table has a column of persons with the group's name."""

    label: str = spec("", doc="display name, e.g. 低保对象")
    case_rate: float = spec(
        0.05, doc="new cases opened per person per year", unit="cases/person-year", lo=0, hi=10
    )
    intake_hours: float = spec(
        1.0, doc="hours of a case intake (done by a certified worker)", unit="hours", lo=0
    )
    sessions: int = spec(3, doc="follow-up sessions per case", unit="sessions", lo=0, hi=100)
    session_hours: float = spec(1.5, doc="hours of one case session", unit="hours", lo=0)
    visit_rate: float = spec(
        0.5, doc="home visits per person per year", unit="visits/person-year", lo=0, hi=52
    )
    visit_hours: float = spec(1.5, doc="hours of one home visit, before travel", unit="hours", lo=0)
    assessment_rate: float = spec(
        0.0,
        doc="assessments for social assistance per person per year",
        unit="assessments/person-year",
        lo=0,
        hi=12,
    )
    assessment_hours: float = spec(1.0, doc="hours of one assessment", unit="hours", lo=0)
    priority: int = spec(1, doc="service priority; higher is served first", lo=1, hi=9)
    season: dict[Month, float] = spec(
        doc="seasonal profile of the simulated requests: relative demand by month "
        "(months not named: 1), scaled so the year's total is unchanged; e.g. "
        "{jul: 1.5, aug: 1.5} for children in the summer holidays",
        unit="relative",
        lo=0,
        key="month",
        factory=dict,
    )


@dataclass(frozen=True, kw_only=True)
class Workforce:
    """Workforce dynamics and supply limits."""

    attrition: float = spec(
        0.12, doc="share of workers who leave in a year", unit="share/year", lo=0, hi=1
    )
    hiring_lag_days: int = spec(
        21, doc="days from a vacancy (or a contract) to a worker in post", unit="days", lo=0, hi=365
    )
    exam_pass_rate: float = spec(
        0.3,
        doc="share of trained uncertified workers who pass the yearly exam and become junior",
        unit="share",
        lo=0,
        hi=1,
    )
    hiring_pool_per_county: int = spec(
        12,
        doc="most workers a county can hire in a year, of any grade (the recruiting capacity of "
        "its social work organisations)",
        unit="workers/county-year",
        lo=0,
    )
    certified_pool_per_county: int = spec(
        12,
        doc="most certified (junior or intermediate) workers a county can hire in a year, within "
        "hiring_pool_per_county: certified social workers on the market; more come only from the "
        "exam (assumed from published counts: ≈ 11.6 new certificates per county-year in "
        "Ganzhou; docs/method.md, 'Labour market')",
        unit="workers/county-year",
        lo=0,
    )
    layoffs: bool = spec(
        False,
        doc="whether a plan may lay off workers in post (each at severance_months of salary); "
        "false: workers stay unless they leave (attrition), as a purchase contract keeps its posts",
    )
    severance_months: float = spec(
        3.0,
        doc="severance per laid-off worker, in months of the worker's salary (assumed: one month "
        "per year of service, Labour Contract Law arts. 46–47, for about 2 years, plus one month "
        "in lieu of notice, art. 40)",
        unit="months of salary/worker",
        lo=0,
        hi=60,
    )
    move_cost: float = spec(
        0.5,
        doc="cost of each worker moved from a station that cuts a post (to another township "
        "of the county, or laid off); a cut post's holder is moved unless they leave that year "
        "anyway (attrition): relocation allowance and induction (assumed)",
        unit="万元/worker",
        lo=0,
    )


@dataclass(frozen=True, kw_only=True)
class Volunteers:
    # one line in docs/scenario-reference.md: the backslash continues it
    """Volunteers (志愿者) who take part of the visiting and of the group activities off the \
workers."""

    visit_share: float = spec(
        0.0, doc="share of home visits volunteers make instead of workers", unit="share", lo=0, hi=1
    )
    activity_share: float = spec(
        0.0, doc="share of group-activity hours volunteers cover", unit="share", lo=0, hi=1
    )


@dataclass(frozen=True, kw_only=True)
class Report:
    """How results are presented."""

    language: Literal["zh", "en"] = spec(
        "zh", doc="language of figure labels and of report.html: zh (中文) or en"
    )
    svg: bool = spec(
        False, doc="also write every figure as SVG (vector, for print and slides) beside its PNG"
    )
    boundaries: str | None = spec(
        None,
        doc="GeoJSON of township boundaries (relative to the scenario file that "
        "names it): maps then draw real shapes instead of tiles",
    )
    boundary_id: str = spec(
        "township_id", doc="property of each GeoJSON feature that holds the township id"
    )


@dataclass(frozen=True, kw_only=True)
class Range:
    """The range a parameter may take, for sensitivity analysis."""

    low: float = spec(doc="lowest plausible value")
    high: float = spec(doc="highest plausible value")


@dataclass(frozen=True, kw_only=True)
class Crisis:
    # one line in docs/scenario-reference.md: the backslash continues it
    """Rare crisis events (disaster, public-health emergency) that multiply a township's demand \
for weeks."""

    rate_per_year: float = spec(
        0.0,
        doc="crises per township-year (0: none); each starts on a uniform day",
        unit="crises/township-year",
        lo=0,
        hi=12,
    )
    multiplier: float = spec(
        2.0, doc="demand during a crisis, relative to normal", unit="relative", lo=1, hi=20
    )
    weeks: int = spec(4, doc="length of a crisis", unit="weeks", lo=1, hi=52)


@dataclass(frozen=True, kw_only=True)
class Standards:
    # one line in docs/scenario-reference.md: the backslash continues it
    """How soon each kind of client request must start, in calendar days from when it is made \
(sources: docs/method.md, "Standards")."""

    intake_days: float = spec(
        7.0,
        doc="a case intake not started within this many days is unmet (5 working days: "
        "Hangzhou's first visit to a newly found child in distress, DB3301/T 0460-2024)",
        unit="days",
        lo=0,
        lo_open=True,
        hi=365,
    )
    visit_days: float = spec(
        30.0,
        doc="a home visit not made within this many days is unmet (探访关爱: key recipients "
        "visited at least monthly)",
        unit="days",
        lo=0,
        lo_open=True,
        hi=365,
    )
    assessment_days: float = spec(
        15.0,
        doc="an assessment for social assistance not started within this many days is unmet "
        "(低保: household investigation within 15 days of the application)",
        unit="days",
        lo=0,
        lo_open=True,
        hi=365,
    )
    session_days: float = spec(
        7.0,
        doc="a case's follow-up session not started this many days after it is due is missed "
        "(unmet)",
        unit="days",
        lo=0,
        lo_open=True,
        hi=365,
    )

    def by_kind(self) -> tuple[float, float, float, float]:
        """Days for intake, visit, assessment and session, in that order."""
        return (self.intake_days, self.visit_days, self.assessment_days, self.session_days)


@dataclass(frozen=True, kw_only=True)
class Simulation:
    """Settings of the stochastic service simulation."""

    replications: int = spec(
        10, doc="independent replications of each simulated year", lo=1, hi=10000
    )
    seed: int = spec(42, doc="root seed of every random draw of the run", lo=0)
    standards: Standards = spec(
        doc="how soon each kind of client request must start; a request not started by then is "
        "unmet",
        factory=Standards,
    )
    warmup_days: int = spec(
        91,
        doc="days simulated before the first year (today's stations and workers), not counted, "
        "so that the first year starts with the queues and cases a running station has",
        unit="days",
        lo=0,
        hi=365,
    )
    service_level: float = spec(
        0.9,
        doc="share of a station's requests started within their standard that the run reports "
        "stations below (targets.service_level asks the plan for a regional share)",
        unit="share",
        lo=0,
        lo_open=True,
        hi=1,
    )
    rounds: int = spec(
        3, doc="most rounds of the plan-simulation loop (1: plan and simulate once)", lo=1, hi=20
    )
    crisis: Crisis = spec(
        doc="crisis events in the simulation (off unless rate_per_year > 0)", factory=Crisis
    )
    calendar: Literal["weekdays", "six_days", "fluid"] = spec(
        "weekdays",
        doc="working calendar of the simulated workers: Monday-Friday or Monday-Saturday, "
        "from 8:30, hours a day = available hours a year / working days; fluid: work spread evenly "
        "over every day (no days off)",
    )
    work_cv: float = spec(
        0.8,
        doc="how much the work of a request varies: coefficient of variation of a "
        "gamma distribution whose mean is the group's hours (0: every request takes exactly its "
        "hours; 1: as spread as an exponential; 0.8: lognormal fits of appointment lengths, "
        "docs/method.md)",
        unit="share",
        lo=0,
        hi=3,
    )
    session_counts: Literal["fixed", "poisson"] = spec(
        "fixed",
        doc="sessions of a case: exactly groups.<group>.sessions, or a Poisson number with that "
        "mean",
    )


@dataclass(frozen=True, kw_only=True)
class Solver:
    """The MILP solver used through PuLP."""

    name: Literal["highs", "cbc"] = spec("highs", doc="solver: HiGHS (highspy) or CBC")
    time_limit_s: float = spec(
        60.0,
        doc="wall-clock limit of the whole optimization (its stages share it); at the limit "
        "the best plan found is kept with its gap (docs/method.md)",
        unit="seconds",
        lo=0,
        lo_open=True,
    )
    gap: float = spec(
        0.001, doc="relative MIP gap at which the solver may stop", unit="share", lo=0, hi=1
    )


@dataclass(frozen=True, kw_only=True)
class Settings:
    """A scenario file. `extends` is resolved on load; the rest is validated against this schema."""

    name: str = spec(
        doc="scenario name; names the results folder (letters, digits, _ . -; at most 64 "
        "characters)"
    )
    title: str = spec(
        "",
        doc="the scenario's name for people, e.g. 赣州市社工站三年规划: titles of the report, the "
        "deck and the figures (default: name)",
    )
    description: str = spec("", doc="one or two sentences on what the scenario is")
    extends: str | None = spec(
        None,
        doc="scenario file this one inherits from, relative to this file; "
        "mappings merge key by key, `key: null` removes an inherited key",
    )
    region: Region = spec(doc="where the townships come from")
    horizon: Horizon = spec(doc="planning horizon")
    budget: dict[int, float] = spec(
        doc="budget per year (needed for every year when objective is max_service or max_on_time)",
        unit="万元/year",
        lo=0,
        key="year",
        factory=dict,
    )
    costs: Costs = spec(doc="unit costs", factory=Costs)
    staffing: Staffing = spec(doc="staffing rules", factory=Staffing)
    station: Station = spec(doc="fixed work of every open station", factory=Station)
    targets: Targets = spec(doc="targets by year", factory=Targets)
    access: Access = spec(doc="reach of a station (targets.access)", factory=Access)
    catchment: Catchment = spec(
        doc="townships without a station served by a station nearby", factory=Catchment
    )
    centre: Centre = spec(doc="county guidance centres", factory=Centre)
    point: Point = spec(doc="village and community points", factory=Point)
    central: Central = spec(doc="a central transfer shared among the provinces", factory=Central)
    provinces: dict[PlaceName, Province] = spec(
        doc="provinces planned one by one, each with its budget, targets and pools, keyed by "
        "the township table's `province` column (real divisions have it); empty: one model "
        "for the whole region. With provinces, `budget` is the region's total, each year at "
        "least the provinces' sum",
        key="province",
        factory=dict,
    )
    sectors: dict[str, Sector] = spec(
        doc="social work posts beyond the stations, by sector", key="sector", factory=dict
    )
    funding: dict[str, Source] = spec(
        doc="sources of money and what each may pay for; empty: `budget` alone pays for "
        "everything (docs/method.md, 'Funding sources')",
        key="source",
        factory=dict,
    )
    groups: dict[str, Group] = spec(
        doc="recipient groups, one township-table column each", key="group"
    )
    workforce: Workforce = spec(doc="workforce dynamics", factory=Workforce)
    volunteers: Volunteers = spec(
        doc="volunteers' share of visits and group activities", factory=Volunteers
    )
    uncertainty: dict[ParamPath, Range] = spec(
        doc="ranges of uncertain parameters for `stationplan sensitivity`, by dotted path, e.g. "
        "groups.dibao.case_rate: {low: 0.03, high: 0.06}",
        key="parameter path",
        factory=dict,
    )
    objective: Literal["max_service", "max_on_time", "min_cost"] = spec(
        "max_service",
        doc="max_service: most priority-weighted service within the budgets; max_on_time: most "
        "client requests started within their standard within the budgets (queueing theory); "
        "min_cost: least spend that meets every target",
    )
    fairness: Fairness = spec(
        doc="how max_service weighs service across townships", factory=Fairness
    )
    simulation: Simulation = spec(doc="simulation settings", factory=Simulation)
    solver: Solver = spec(doc="solver settings", factory=Solver)
    report: Report = spec(doc="presentation of the results", factory=Report)
