"""environment.yml (conda-forge) and pyproject.toml list the same dependencies."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import ROOT

CONDA_ONLY = {"python", "pip"}


def split(req: str) -> list[tuple[str, str]]:
    """'dask[distributed]>=2024.1' -> [('dask', '>=2024.1'), ('distributed', '>=2024.1')]."""
    m = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]+\])?\s*(.*)$", req)
    assert m, req
    name, extras, spec = m.group(1).lower(), m.group(2), m.group(3).replace(" ", "")
    out = [(name, spec)]
    if extras:
        out += [(e.strip().lower(), spec) for e in extras[1:-1].split(",")]
    return out


def test_pyproject_and_environment_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    reqs = list(project["dependencies"]) + [
        r for group in extras.values() for r in group if not r.startswith(project["name"] + "[")
    ]
    pip_side = dict(pair for r in reqs for pair in split(r))
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    conda_side = dict(pair for r in env["dependencies"] if isinstance(r, str) for pair in split(r))
    for r in env["dependencies"]:  # packages conda-forge lacks, installed by pip in the same env
        if isinstance(r, dict):
            conda_side.update(pair for p in r.get("pip", []) for pair in split(p))
    for name in CONDA_ONLY:
        conda_side.pop(name, None)
    assert conda_side == pip_side


def test_all_extra_names_every_other_extra():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    (everything,) = extras["all"]
    named = set(everything.split("[", 1)[1].rstrip("]").split(","))
    assert named == set(extras) - {"all", "test"}
