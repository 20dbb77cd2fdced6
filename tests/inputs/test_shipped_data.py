"""The shipped township tables are exactly what scenarios/data/make_data.sh makes."""

from __future__ import annotations

import shlex

import pytest
from conftest import SCENARIOS

from model.cli.commands import main

SCRIPT = SCENARIOS / "data" / "make_data.sh"
LINES = [
    shlex.split(line)
    for line in SCRIPT.read_text(encoding="utf-8").splitlines()
    if line.startswith("stationplan synth")
]


def test_every_shipped_table_has_a_line():
    made = {args[args.index("-o") + 1] for args in LINES}
    shipped = {p.name for p in (SCENARIOS / "data").glob("*.csv")}
    assert made == shipped


@pytest.mark.parametrize("args", LINES, ids=lambda a: a[a.index("-o") + 1])
def test_shipped_table_regenerates_byte_for_byte(tmp_path, args):
    name = args[args.index("-o") + 1]
    argv = args[1:]
    argv[argv.index("-o") + 1] = str(tmp_path / name)
    assert main(argv) == 0
    assert (tmp_path / name).read_bytes() == (SCENARIOS / "data" / name).read_bytes()
