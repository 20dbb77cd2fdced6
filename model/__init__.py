"""stationplan: planning and simulation model for township social work station networks.

Money is in 10,000 yuan (万元) throughout; working time in hours, waits and lags in days.

The public entry points::

    from model import load_scenario, read_townships, synthesize
    sc = load_scenario("scenarios/ganzhou.yaml", overrides=["budget.2024=5600"])
    sc.townships          # the validated township table (pandas DataFrame)
"""
from model.errors import InputError
from model.inputs.scenario import Scenario, load_scenario, shipped_scenario
from model.inputs.synth import synthesize
from model.inputs.townships import read_townships

__version__ = "0.1.0"

__all__ = ["InputError", "Scenario", "load_scenario", "shipped_scenario", "read_townships", "synthesize", "__version__"]
