"""STYLE"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def _zh(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


OUTPUT_NAMES = {"workers_needed": "所需社工人数", "served_share": "服务需求满足率", "least_budget": "最低预算（万元）"}


def _png(fig: Figure) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def _show_figures_in_notebooks() -> None:
    """In IPython/Jupyter, display a returned Figure as a PNG (our figures do not use pyplot's state)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is not None and hasattr(ip, "display_formatter"):
        ip.display_formatter.formatters["image/png"].for_type(Figure, _png)


_show_figures_in_notebooks()


def save(fig: Figure, path, svg: bool = False) -> None:
    """Write a figure as PNG (and as SVG beside it when `svg`, for print and slides)."""
    fig.savefig(path, format="png")
    if svg:
        from pathlib import Path

        fig.savefig(Path(path).with_suffix(".svg"), format="svg")


_FONT_READY = False


def use_cjk_font() -> str:
    """Register the Noto Sans CJK SC font shipped by the mplfonts package and make it the default.

    Returns the family name. Chinese labels then render on any machine, with no system fonts.
    """
    global _FONT_READY
    from importlib import resources

    from matplotlib import font_manager

    family = "Noto Sans CJK SC"
    if not _FONT_READY:
        path = resources.files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"
        font_manager.fontManager.addfont(str(path))
        _FONT_READY = True
    plt.rcParams["font.family"] = [family, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False       # the CJK font has no U+2212 minus
    return family


LABELS: dict[str, dict[str, str]] = {
    "rollout": {"en": "Stations opened and coverage", "zh": "社工站建设进度与覆盖率"},
    "opened": {"en": "stations opened", "zh": "新建站点数"},
    "coverage": {"en": "coverage", "zh": "覆盖率"},
    "coverage_target": {"en": "coverage target", "zh": "覆盖率目标"},
    "year": {"en": "year", "zh": "年份"},
    "stations": {"en": "stations", "zh": "站点（个）"},
    "share": {"en": "share (%)", "zh": "比例（%）"},
    "existing": {"en": "before the plan", "zh": "规划前已建"},
    "tiles": {"en": "Townships by county: year the station opens", "zh": "各县乡镇（街道）社工站建成年份"},
    "tiles_service": {"en": "Townships by county: simulated service level", "zh": "各乡镇（街道）模拟服务达标率"},
    "no_station": {"en": "no station", "zh": "未建站"},
    "staffing": {"en": "Workers by grade", "zh": "各等级社工人数"},
    "uncertified": {"en": "uncertified", "zh": "未持证"},
    "junior": {"en": "junior (助理社会工作师)", "zh": "助理社会工作师"},
    "intermediate": {"en": "intermediate (社会工作师)", "zh": "社会工作师"},
    "workers": {"en": "workers", "zh": "人数"},
    "certified_share": {"en": "certified share", "zh": "持证比例"},
    "per_1000": {"en": "workers per 1,000 elderly", "zh": "每千名老人社工数"},
    "target": {"en": "target", "zh": "目标"},
    "money": {"en": "Spend by item against the budget", "zh": "各项支出与年度预算"},
    "setup": {"en": "station setup", "zh": "站点建设"},
    "running": {"en": "station running", "zh": "站点运营"},
    "salary": {"en": "salaries", "zh": "人员薪酬"},
    "training": {"en": "certification training", "zh": "持证培训"},
    "budget": {"en": "budget", "zh": "预算"},
    "wan": {"en": "10,000 yuan", "zh": "万元"},
    "targets": {"en": "Targets: met or short", "zh": "目标完成情况"},
    "achieved_pct": {"en": "achieved, % of required", "zh": "完成度（占目标 %）"},
    "met": {"en": "met", "zh": "已完成"},
    "short": {"en": "short", "zh": "未完成"},
    "service": {"en": "Service in the simulation", "zh": "模拟服务情况"},
    "wait": {"en": "mean wait (days)", "zh": "平均等待（天）"},
    "stations_n": {"en": "stations", "zh": "站点数"},
    "unmet_by_group": {"en": "unmet client hours by group", "zh": "各群体未满足服务时长"},
    "hours": {"en": "hours/year", "zh": "小时/年"},
    "utilisation": {"en": "utilisation", "zh": "社工工作负荷"},
    "ratios": {"en": "Certified share and workers per 1,000 elderly", "zh": "持证比例与每千名老人社工数"},
}


TARGET_NAMES = {"coverage": "覆盖率", "certified_share": "持证比例", "workers_per_1000_elderly": "每千名老人社工数",
                "workers_per_100_care_beds": "每百张养老床位社工数", "workers_total": "社工总数",
                "workers_by_grade": "分等级社工数", "served_share": "服务满足率"}
"""Chinese names of the targets (targets.csv keeps the scenario's keys)."""


def label(key: str, lang: str) -> str:
    """The label `key` in language `lang` (zh or en)."""
    return LABELS[key]["zh" if lang == "zh" else "en"]


def _setup(lang: str) -> None:
    """Fonts for a figure: the CJK font in either language (county and group names are Chinese)."""
    use_cjk_font()
