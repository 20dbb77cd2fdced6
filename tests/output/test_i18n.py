"""The words of figures, report and workshop: every key in both languages, every key used exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from model.output.i18n import LANGUAGES, TEXT, t

MODEL = Path(__file__).resolve().parents[2] / "model"


def _fields(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }


SPEAKERS = {"model.output.i18n": ("t",), "model.cli.console": ("say", "echo")}
"""The functions that take a text key: i18n's t, and the console's say and echo."""


def _calls() -> list[tuple[str, ast.Call]]:
    """Every call of model.output.i18n.t (and of the console's say and echo) in model/, where
    the module imports it under its own name."""
    found = []
    for path in sorted(MODEL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module in SPEAKERS
            for a in node.names
            if a.asname is None and a.name in SPEAKERS[node.module]
        }
        if not names:
            continue
        rel = str(path.relative_to(MODEL.parent))
        found += [
            (f"{rel}:{node.lineno}", node)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in names
            and node.args
        ]
    return found


CALLS = _calls()


def test_every_text_has_both_languages():
    for key, text in TEXT.items():
        assert set(text) == set(LANGUAGES), key
        assert all(isinstance(v, str) and v for v in text.values()), key


def test_the_code_uses_the_module():
    files = {where.split(":")[0] for where, _ in CALLS}
    assert {
        "model/output/report.py",
        "model/workshop.py",
        "model/output/figures/plan.py",
        "model/output/figures/service.py",
        "model/output/figures/experiments.py",
        "model/cli/commands.py",
        "model/cli/experiments.py",
    } <= files


def test_every_key_used_in_the_code_exists_with_the_fields_it_needs():
    for where, call in CALLS:
        key = call.args[0]
        fields = {k.arg for k in call.keywords if k.arg not in (None, "lang")}
        if any(k.arg is None for k in call.keywords):
            continue  # **fields: not checked here
        if isinstance(key, ast.Constant):
            assert key.value in TEXT, f"{where}: no text {key.value!r}"
            for lang in LANGUAGES:
                needed = _fields(TEXT[key.value][lang])
                assert needed <= fields, f"{where}: {key.value} ({lang}) needs {needed - fields}"
            used = set().union(*(_fields(TEXT[key.value][lang]) for lang in LANGUAGES))
            assert fields <= used, f"{where}: {key.value} takes no {fields - used}"
        elif isinstance(key, ast.JoinedStr):
            prefix = key.values[0].value if isinstance(key.values[0], ast.Constant) else ""
            assert prefix and any(k.startswith(prefix) for k in TEXT), f"{where}: {prefix!r}"


def test_every_figure_report_and_workshop_text_is_used():
    """Each key is written out somewhere in model/ (in a t() call or in a table of keys)."""
    literal = {
        node.value
        for path in MODEL.rglob("*.py")
        if path.name != "i18n.py"  # where every key is written: not a use
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    prefixes = tuple(  # keys built in the call, t(f"report.rep_{role}")
        call.args[0].values[0].value
        for _, call in CALLS
        if isinstance(call.args[0], ast.JoinedStr)
        and isinstance(call.args[0].values[0], ast.Constant)
    )
    mine = {k for k in TEXT if k.split(".")[0] in ("fig", "report", "workshop", "cli", "change")}
    assert {k for k in mine - literal if not k.startswith(prefixes)} == set()


def test_targets_grades_and_outputs_are_named_in_both_languages():
    from model.experiments.sensitivity import OUTPUTS
    from model.vocabulary import GRADES, TARGETS

    for prefix, names in (("target", TARGETS), ("grade", GRADES), ("output", OUTPUTS)):
        assert {k for k in TEXT if k.startswith(prefix + ".")} == {f"{prefix}.{n}" for n in names}


@pytest.mark.parametrize(
    ("key", "lang", "fields", "text"),
    [
        ("target.workers_per_100_care_beds", "zh", {}, "每百张养老床位社工数"),
        ("target.workers_per_100_care_beds", "en", {}, "workers_per_100_care_beds"),
        ("grade.junior", "en", {}, "junior (助理社会工作师)"),
        ("fig.short", "zh", {"shortfall": 0.123456, "unit": "workers"}, "未完成 0.1235 workers"),
        ("report.wan", "en", {"amount": 12345.6}, "12,346 万元 (10,000 yuan)"),
        ("workshop.title", "fr", {"name": "赣州", "met": 5, "n": 6}, "赣州: targets met 5/6"),
    ],
)
def test_t_fills_fields_and_falls_back_to_english(key, lang, fields, text):
    assert t(key, lang, **fields) == text


def _column_docs() -> dict[str, dict[str, tuple[str, str]]]:
    """Every module-level `*_DOCS` dict of model/ (the workbooks' column meanings and units),
    by "module.NAME"."""
    import importlib

    found = {}
    for path in sorted(MODEL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            target = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.endswith("DOCS"):
                parts = path.relative_to(MODEL.parent).with_suffix("").parts
                module = importlib.import_module(".".join(parts))
                found[f"{module.__name__}.{target.id}"] = getattr(module, target.id)
    return found


def chinese(text: str) -> bool:
    """Whether `text` reads as Chinese: it has Chinese characters and, outside brackets (where
    column names, settings and file names stand), no run of English words."""
    bare = re.sub(r"（[^）]*）|\([^)]*\)", "", text)
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and not re.search(
        r"[A-Za-z]{2,}\s+[a-z]{2,}", bare
    )


def test_every_column_of_the_workbooks_has_a_chinese_meaning():
    from model.output.i18n import MEANINGS_ZH

    docs = _column_docs()
    assert {
        "model.output.runfolder.COLUMN_DOCS",
        "model.plan.equity.COLUMN_DOCS",
        "model.output.calibration.COLUMN_DOCS",
        "model.output.experiments.SWEEP_DOCS",
    } <= set(docs)
    keys = set().union(*docs.values())
    assert keys - set(MEANINGS_ZH) == set(), "columns without a Chinese meaning (MEANINGS_ZH)"
    assert set(MEANINGS_ZH) - keys == set(), "Chinese meanings of columns no table has"
    for key, meaning in MEANINGS_ZH.items():
        assert chinese(meaning), (key, meaning)


def test_the_group_meaning_and_the_units_of_the_columns_sheet_are_chinese():
    from model.output.i18n import MEANING_GROUP_ZH, UNITS_ZH

    units = {u for d in _column_docs().values() for _, u in d.values()}
    assert units - {u[len("unit.") :] for u in TEXT if u.startswith("unit.")} - set(UNITS_ZH) <= {
        ""
    }
    assert chinese(MEANING_GROUP_ZH.format(label="低保对象", group="dibao"))
    assert not any(re.search(r"[A-Za-z]{2,}", u) for u in UNITS_ZH.values())
