"""Location models: where to put stations so that clients (villages, townships) are served.

`locate(costs, problem, ...)` solves one of six classic models on a client × facility cost
table (travel minutes, kilometres): set cover, maximal cover, p-median, p-center, capacitated
p-median and (capacitated) facility location; `read_orlib_pmed` loads an OR-Library p-median
instance. Every model is built from numpy arrays straight into HiGHS (highspy), never one
Python object per variable. Formulations and validation: docs/method.md, Location models.

The package is `model.location` (not `model.locate`): `model.locate` is the front door's call,
and a subpackage of that name would replace it on `model` once imported.
"""
