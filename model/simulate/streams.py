"""Named random streams: one independent numpy Generator per stochastic input and replication.

    streams = Streams(seed=42, replication=3)
    arrivals = streams.get("arrivals", "dibao", "T001")   # the same draws whatever the staffing

Streams are derived from the scenario seed with numpy's SeedSequence, keyed by the
replication and a stable hash of the input's name, so adding an input or changing the
staffing never shifts another input's draws (common random numbers across plans).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np


def _key(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class Streams:
    """Independent generators by name for one replication of one seed."""

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = int(seed)
        self.replication = int(replication)
        self._cache: dict[tuple[str, ...], np.random.Generator] = {}

    def get(self, *name: str) -> np.random.Generator:
        """The generator of input `name` (e.g. "arrivals", group, township); the same object on
        every call."""
        if name not in self._cache:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, _key(*name)))
            self._cache[name] = np.random.default_rng(seq)
        return self._cache[name]

    @contextmanager
    def scoped(self) -> Iterator[Streams]:
        """Streams first asked for inside the block are forgotten after it (one township-year's
        inputs, never asked for again): the cache stays small over a replication, and running
        the block again gives the same draws."""
        before = set(self._cache)
        try:
            yield self
        finally:
            for name in set(self._cache) - before:
                del self._cache[name]
