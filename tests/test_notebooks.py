"""Every notebook runs top to bottom (with STATIONPLAN_FAST=1) and is stored without outputs;
the workshop deck exports to reveal.js slides whose results are static images, each with alt
text."""

from __future__ import annotations

import importlib.util
import re

import nbformat
import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DECK = "04_workshop.ipynb"
DECK_FIGURES = 6  # what the money buys, who waits, county map, remote, funding paths, sliders


def _stress():
    """tools/stress_notebooks.py: its execute() has the finite timeouts and the sliced polls."""
    spec = importlib.util.spec_from_file_location(
        "stress_notebooks", ROOT / "tools" / "stress_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{path.name}: clear outputs before committing"
            )


def test_deck_has_8_to_12_slides():
    nb = nbformat.read(ROOT / "notebooks" / DECK, as_version=4)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert 8 <= kinds.count("slide") <= 12


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path, tmp_path, monkeypatch):
    monkeypatch.setenv("STATIONPLAN_FAST", "1")
    monkeypatch.chdir(tmp_path)  # anything a notebook writes lands in tmp, not in the checkout
    nb = _stress().execute(path, tmp_path)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    if path.name == DECK:  # the exported deck shows every result without a front end
        from nbconvert import SlidesExporter

        html, _ = SlidesExporter().from_notebook_node(nb)
        images = re.findall(r"<img\b[^>]*>", html)
        assert len(images) >= DECK_FIGURES
        assert all(re.search(r'\balt="[^"]+"', img) for img in images), "an image without alt"
        assert "reveal" in html
