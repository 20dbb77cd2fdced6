"""Discrete-event simulation (SimPy) of recipients' requests served by station workers.

`station.py`: the station service process (priorities, certified-only intake, working
calendar, reneging, leavers replaced after the hiring lag); `streams.py`: seeded, named random
streams (common random numbers); `demand.py`: recipients' requests by group, with seasons and
crises; `township.py`: one township's station over the plan's years in one continuous run,
after a warm-up (volunteers, the yearly exam, reach, the "三个3" standard);
`replications.py`: a plan or the status quo over its years, with replications, 95% intervals
and a cache across plans; `queueing.py`: the station process run as textbook queues beside
their closed forms (M/M/c and Erlang C, M/M/c+D with deterministic patience, non-preemptive
priorities and Cobham's formula); `model.loop` closes the plan–simulation loop.
"""

from model.simulate.replications import simulate_plan, status_quo
from model.simulate.station import Station, Worker, WorkingCalendar
from model.simulate.streams import Streams
from model.simulate.township import (
    Run,
    Staffing,
    TownshipYear,
    simulate_group,
    simulate_horizon,
    simulate_township,
)

__all__ = [
    "Run",
    "Station",
    "Staffing",
    "Streams",
    "TownshipYear",
    "simulate_group",
    "simulate_horizon",
    "simulate_plan",
    "simulate_township",
    "status_quo",
    "Worker",
    "WorkingCalendar",
]
