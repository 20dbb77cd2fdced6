"""Discrete-event simulation (SimPy) of recipients' requests served by station workers.

This package is being built in stages (issue 4). What is here: the station service process
(`station.py`) with seeded, named random streams (`streams.py`); `model.validation.mmc_wait`
runs it configured as an M/M/c queue and is checked against Erlang C. Demand by group,
calendars, reneging, workforce dynamics and the `stationplan simulate` command follow.
"""
from model.simulate.station import Request, Station, StationLog
from model.simulate.streams import Streams

__all__ = ["Request", "Station", "StationLog", "Streams"]
