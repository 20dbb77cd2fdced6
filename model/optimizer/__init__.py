"""The multi-year plan as a MILP (PuLP, HiGHS or CBC).

- `inputs`: the arrays the model is built from and the service of each staffing level;
- `formulation`: the variables and one function per constraint family;
- `solve`: solving (relax and fix on large models), reading the plan back, diagnosing limits;
- `highs`: the HiGHS session behind PuLP;
- `optimize`: the calls — `optimize` (a plan for the budgets) and `least_budget`.
"""
