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
    "sweep_title": {"zh": "资金水平扫描", "en": "budget sweep"},
    "sweep_levels": {"zh": "资金水平", "en": "Budget levels"},
    "sweep_served_share": {"zh": "服务满足率", "en": "Served share"},
    "sweep_knee": {"zh": "拐点（规划期总预算）", "en": "Knee (budget over the horizon)"},
    "sweep_least": {"zh": "实现全部目标的最低预算", "en": "Least budget for every target"},
    "compare_title": {"zh": "方案比较", "en": "Scenarios compared"},
    "sensitivity_title": {"zh": "敏感性分析", "en": "sensitivity"},

    # ------------------------------------------------------------------ console
}


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text `key` in `lang` ("zh" or "en"), with `fields` filled in (str.format)."""
    text = TEXT[key]["zh" if lang == "zh" else "en"]
    return text.format(**fields) if fields else text
