"""Timing and scale runs of stationplan, outside the test suite: `python -m benchmarks optimize`."""
