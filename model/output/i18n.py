"""Every label and sentence a person reads, in Chinese (`zh`, the default) and English (`en`).

    t("coverage", "zh")         # -> "覆盖率"
    t("served_of", "en", share=0.67)   # sentences take str.format fields

Figures, the report, the workshop deck, experiment folders and the console all take their words
from here; a key missing in one language is an error in the test suite, not a silent fallback.
"""
from __future__ import annotations

from typing import Any

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ targets and grades

    # ------------------------------------------------------------------ figures

    # ------------------------------------------------------------------ report

    # ------------------------------------------------------------------ workshop

    # ------------------------------------------------------------------ experiments

    # ------------------------------------------------------------------ console
}


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text `key` in `lang` ("zh" or "en"), with `fields` filled in (str.format)."""
    text = TEXT[key]["zh" if lang == "zh" else "en"]
    return text.format(**fields) if fields else text
