"""Experiments: budget sweeps and frontiers, least budget, scenario comparison, sensitivity
— on Dask."""
