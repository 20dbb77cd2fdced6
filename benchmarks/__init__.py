"""Timing and scale runs of stationplan, outside the test suite: `python -m benchmarks optimize`."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root folder."""
