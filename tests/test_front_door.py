"""`import model` is the front door: every public call from one place, imported lazily."""

from __future__ import annotations

import subprocess
import sys

import model


def test_import_model_loads_no_heavy_library():
    code = (
        "import sys, model; "
        "print(sorted(m for m in ('pandas', 'pulp', 'simpy', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_every_front_door_name_resolves():
    for name in model.__all__:
        assert getattr(model, name) is not None, name
    assert set(model.__all__) <= set(dir(model))


def test_optimize_is_the_call_even_after_the_optimizer_package_is_imported():
    import model.optimizer.optimize  # noqa: F401 - the subpackage must not shadow the call

    assert callable(model.optimize) and model.optimize.__module__ == "model.optimizer.optimize"


def test_unknown_name_is_an_attribute_error():
    try:
        model.no_such_call  # noqa: B018
    except AttributeError as exc:
        assert "no_such_call" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_all_lists_exactly_the_lazy_names():
    assert set(model.__all__) == set(model._EXPORTS) | set(model._MODULES) | {"__version__"}


def test_a_missing_extra_names_the_extra_to_install(monkeypatch, capsys):
    import importlib.util

    from model.cli.commands import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "distributed" else real(name, *a),
    )
    code = main(["sweep", "scenarios/yanji.yaml", "--budgets", "0.9:1.1:2"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'stationplan[dask]'" in err and "--scheduler serial" in err
