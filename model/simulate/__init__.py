"""Discrete-event simulation (SimPy) of recipients' requests served by station workers.

This package is being built in stages (issue 4). What is here: the station service process
(`station.py`) with seeded, named random streams (`streams.py`); recipients' requests by
group (`demand.py`); one township's station for one year with priorities, weekly case
sessions, station work and reneging (`township.py`); a plan or the status quo over its years
with replications and 95% intervals, optionally in several processes (`plan.py`). `model.validation.mmc_wait` runs the
station process configured as an M/M/c queue and is checked against Erlang C. Certified-only
intake, seasonal profiles, crises, workforce dynamics within and across years, and the
`stationplan simulate` command follow.
"""
from model.simulate.station import Request, Station, StationLog
from model.simulate.township import TownshipYear, simulate_township
from model.simulate.plan import simulate_plan, status_quo
from model.simulate.streams import Streams

__all__ = ["Request", "Station", "StationLog", "Streams", "TownshipYear", "simulate_plan", "simulate_township",
           "status_quo"]
