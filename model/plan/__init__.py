"""A plan and what it achieves: `result` (PlanResult and its summary), `targets` (required and
achieved), `check` (the independent checker) and `io` (a plan read from a file)."""
