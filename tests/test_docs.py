"""The Python examples of the docs run as written (docs/python-api.md, README's Python section)."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def blocks(name: str) -> list[str]:
    return BLOCK.findall((ROOT / name).read_text(encoding="utf-8"))


def run_blocks(name: str, monkeypatch, tmp_path) -> None:
    """Execute every ```python block of `name` in order, in one namespace, from the repo root;
    runs write under a temporary folder (examples write to results/ and never overwrite)."""
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": "__docs__"}
    for k, code in enumerate(blocks(name)):
        code = code.replace('"results"', repr(str(tmp_path)))
        try:
            exec(compile(code, f"{name} block {k + 1}", "exec"), namespace)
        except Exception as exc:  # noqa: BLE001 - name the block that failed
            raise AssertionError(f"{name}, python block {k + 1} fails: {exc!r}\n{code}") from exc


@pytest.mark.slow
def test_python_api_examples_run(monkeypatch, tmp_path):
    assert len(blocks("docs/python-api.md")) >= 7
    run_blocks("docs/python-api.md", monkeypatch, tmp_path)


def test_readme_python_section_runs(monkeypatch, tmp_path):
    assert blocks("README.md")
    run_blocks("README.md", monkeypatch, tmp_path)


def test_examples_import_only_the_front_door():
    for name in ("docs/python-api.md", "README.md"):
        for code in blocks(name):
            for line in code.splitlines():
                if re.match(r"\s*(from|import) model\b", line):
                    assert re.match(r"\s*(import model$|from model import )", line), (name, line)


def test_notebooks_import_only_the_front_door():
    import json

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for line in "".join(cell["source"]).splitlines():
                if re.match(r"\s*(from|import) model\b", line):
                    assert re.match(r"\s*(import model$|from model import )", line), (
                        path.name,
                        line,
                    )


def test_the_readme_commands_parse_and_name_shipped_files():
    """Every `stationplan …` line of the README's shell blocks is a valid command line, and
    the shipped scenarios it names exist (a planner copies them as printed)."""
    import shlex

    from model.cli.commands import build_parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [
        line.split("#")[0].strip()
        for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)
        for line in block.splitlines()
        if line.strip().startswith("stationplan ")
    ]
    assert len(lines) >= 15
    parser = build_parser()
    for line in lines:
        words = shlex.split(line)[1:]
        parser.parse_args(words)  # exits (SystemExit 2) on a bad command line
        for word in words:
            if word.startswith("scenarios/"):
                assert (ROOT / word).is_file(), line
