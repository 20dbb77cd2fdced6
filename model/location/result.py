"""What a location model returns: `LocateResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class LocateResult:
    """The sites chosen and who goes where.

    `objective` in the problem's own terms: sites opened (set-cover, or their fixed cost when
    given), weight covered (max-cover), Σ weight × cost (p-median, capacitated-p-median; plus
    fixed costs for facility-location), the largest weight × cost (p-center). `sites`: the
    facility ids opened. `assignment`: one row per client: `client`, `facility` (the site it
    goes to: the nearest open one, or the model's choice under capacities), `cost`, `weight`,
    and `covered` (within the radius) for the covering problems. `covered_share`: the share of
    the weight within the radius of a site (set-cover, max-cover), else None. `status`: HiGHS's
    model status ("Optimal", "Time limit reached", …); `gap`: relative MIP gap (0 when proven
    optimal); `best_bound`: the solver's bound on the objective.
    """

    problem: str
    objective: float
    sites: list[Any]
    assignment: pd.DataFrame
    status: str
    gap: float | None
    best_bound: float | None = None
    covered_share: float | None = None
    variables: int = 0
    constraints: int = 0
    build_s: float = 0.0
    solve_s: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        """True when the solver proved the objective optimal (within a zero gap)."""
        return self.status == "Optimal"

    def summary(self) -> dict[str, Any]:
        """The numbers of the manifest: problem, objective, sites, status, gap, sizes, times."""
        return {
            "problem": self.problem,
            "objective": self.objective,
            "sites": len(self.sites),
            "covered_share": self.covered_share,
            "status": self.status,
            "gap": self.gap,
            "best_bound": self.best_bound,
            "variables": self.variables,
            "constraints": self.constraints,
            "build_s": round(self.build_s, 3),
            "solve_s": round(self.solve_s, 3),
            **self.details,
        }
