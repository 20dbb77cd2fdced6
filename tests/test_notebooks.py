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


def _tool(name: str):
    """tools/<name>.py as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _stress():
    """tools/stress_notebooks.py: its execute() has the finite timeouts and the sliced polls."""
    return _tool("stress_notebooks")


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
        slides = _tool("export_slides")
        nbformat.write(nb, tmp_path / DECK)
        page = slides.export(tmp_path / DECK, tmp_path / "slides")
        html = page.read_text(encoding="utf-8")
        images = re.findall(r"<img\b[^>]*>", html)
        assert len(images) >= DECK_FIGURES
        assert all(re.search(r'\balt="[^"]+"', img) for img in images), "an image without alt"
        # offline: reveal.js and its loaders beside the page, no code cells, Chinese embedded
        loaded = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
        loaded += re.findall(r'"([^"]*reveal[^"]*\.js)"', html)
        assert loaded and all(not u.startswith("http") for u in loaded), loaded
        assert all((page.parent / u).is_file() for u in loaded), loaded
        assert "Report CJK" in html and "ws.binds(" not in html
