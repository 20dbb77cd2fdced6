"""The project's words, defined once: worker grades, the plan's worker columns, target names.

Labels of these words in Chinese and English are in `model.output.i18n`; here are the keys
every table, scenario field and constraint uses.
"""

from __future__ import annotations

from typing import Literal

GRADES: tuple[str, ...] = ("uncertified", "junior", "intermediate")
"""Worker grades: uncertified, junior (助理社会工作师), intermediate (社会工作师)."""

CERTIFIED_GRADES: tuple[str, ...] = ("junior", "intermediate")
"""Grades that count as certified (持证)."""

WORKER_COLUMNS = tuple(f"workers_{g}" for g in GRADES)
"""Columns of plan.csv and summary.csv with the workers of each grade."""

GRADE_SHORT = {"uncertified": "u", "junior": "j", "intermediate": "m"}
"""One-letter grade codes used in the optimizer's variable names."""

TARGETS = (
    "coverage",
    "certified_share",
    "workers_per_1000_elderly",
    "workers_per_100_care_beds",
    "workers_total",
    "workers_by_grade",
    "served_share",
    "service_level",
    "min_served_share",
)
"""Target names, as in the scenario's `targets:` and targets.csv."""

RATIO_TARGETS = (
    "coverage",
    "certified_share",
    "workers_per_1000_elderly",
    "workers_per_100_care_beds",
    "workers_total",
    "service_level",
)
"""Targets that are one number per year for the whole region (the others are keyed by grade or
group)."""

TARGET_UNITS = {
    "coverage": "share of townships",
    "certified_share": "share of workers",
    "workers_per_1000_elderly": "workers/1000 elderly",
    "workers_per_100_care_beds": "workers/100 beds",
    "workers_total": "workers",
    "workers_by_grade": "workers",
    "served_share": "share of the group's client hours",
    "service_level": "share of client requests started on time",
    "min_served_share": "lowest open station's share of its township's client hours",
}
"""The unit of each target's required and achieved values (targets.csv `unit`)."""

BUDGETED = ("max_service", "max_on_time")
"""Objectives that plan within the yearly budgets (min_cost asks what the targets cost)."""

Grade = Literal["uncertified", "junior", "intermediate"]
"""The type of a grade name in the scenario schema (the names of GRADES)."""

Profile = Literal["county", "prefecture", "province", "relocation"]
"""Kinds of region a synthetic township table can be drawn for."""

# fmt: off
MONTHS: tuple[str, ...] = ("jan", "feb", "mar", "apr", "may", "jun",
                           "jul", "aug", "sep", "oct", "nov", "dec")
# fmt: on
"""Month keys of a group's seasonal demand (groups.<g>.season)."""

Month = Literal["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
"""The type of a month key in the scenario schema."""
