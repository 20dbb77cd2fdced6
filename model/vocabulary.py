"""The project's words, defined once: worker grades, the plan's worker columns, target names.

Labels of these words in Chinese and English are in `model.output.i18n`; here are the keys
every table, scenario field and constraint uses.
"""

from __future__ import annotations

from typing import Literal

GRADES: tuple[str, ...] = ("uncertified", "junior", "intermediate")
"""Worker grades: uncertified, junior (助理社会工作师), intermediate (社会工作师)."""

CERTIFIED_GRADES: tuple[str, ...] = ("junior", "intermediate")
"""Grades that count as certified (持证)."""

WORKER_COLUMNS = tuple(f"workers_{g}" for g in GRADES)
"""Columns of plan.csv and summary.csv with the workers of each grade."""

GRADE_SHORT = {"uncertified": "u", "junior": "j", "intermediate": "m"}
"""One-letter grade codes used in the optimizer's variable names."""

TARGETS = (
    "coverage",
    "access",
    "certified_share",
    "workers_per_1000_elderly",
    "workers_per_100_care_beds",
    "workers_total",
    "workers_by_grade",
    "sector_posts",
    "served_share",
    "service_level",
    "min_served_share",
)
"""Target names, as in the scenario's `targets:` (sector_posts: sectors.<name>.target) and
targets.csv."""

RATIO_TARGETS = (
    "coverage",
    "access",
    "certified_share",
    "workers_per_1000_elderly",
    "workers_per_100_care_beds",
    "workers_total",
    "service_level",
)
"""Targets that are one number per year for the whole region (the others are keyed by grade or
group)."""

NATIONAL_TARGETS: dict[str, str] = {
    "coverage": "stations",
    "workers_total": "workers",
    "workers_per_1000_elderly": "workers",
    "workers_per_100_care_beds": "workers",
}
"""Target families a region planned province by province may hold nationally (central.targets),
with the measure a price steers in each province: its stations or its workers."""

TARGET_NAMES_ZH: dict[str, str] = {
    "coverage": "覆盖率",
    "access": "可达人口比例",
    "certified_share": "持证比例",
    "workers_per_1000_elderly": "每千名老人社工数",
    "workers_per_100_care_beds": "每百张养老床位社工数",
    "workers_total": "社工总数",
    "workers_by_grade": "分等级社工数",
    "sector_posts": "行业社工岗位",
    "served_share": "服务满足率",
    "service_level": "按时服务率",
    "min_served_share": "最低服务满足率",
    "service_level_by_group": "分组按时服务率",
    "min_served_share_by_group": "分组最低服务满足率",
}
"""Chinese names of the targets (TARGETS, and the by-group forms of the workbook's 目标 sheet);
every Chinese label of a target comes from here."""

GRADE_NAMES_ZH: dict[str, str] = {
    "uncertified": "未持证",
    "junior": "助理社会工作师",
    "intermediate": "社会工作师",
}
"""Chinese names of the worker grades."""

TARGET_UNITS = {
    "coverage": "share of townships",
    "access": "share of population within access.minutes",
    "certified_share": "share of workers",
    "workers_per_1000_elderly": "workers/1000 elderly",
    "workers_per_100_care_beds": "workers/100 beds",
    "workers_total": "workers",
    "workers_by_grade": "workers",
    "sector_posts": "posts",
    "served_share": "share of the group's client hours",
    "service_level": "share of client requests started on time",
    "min_served_share": "lowest open station's share of its township's client hours",
}
"""The unit of each target's required and achieved values (targets.csv `unit`)."""

TARGET_UNITS_ZH = {
    "share of townships": "乡镇比例",
    "share of population within access.minutes": "距站点 access.minutes 内的人口比例",
    "share of workers": "社工比例",
    "workers/1000 elderly": "人/千名老人",
    "workers/100 beds": "人/百张床位",
    "workers": "人",
    "posts": "个岗位",
    "share of the group's client hours": "该群体服务小时比例",
    "share of client requests started on time": "按时开始的请求比例",
    "lowest open station's share of its township's client hours": "开放站点的最低服务满足率",
}
"""The targets' units (TARGET_UNITS) in Chinese."""


def target_unit(unit: str, lang: str) -> str:
    """A target's unit (TARGET_UNITS' values) in `lang`; other units word by word (unit_zh)."""
    if lang != "zh":
        return unit
    return TARGET_UNITS_ZH[unit] if unit in TARGET_UNITS_ZH else unit_zh(unit)


BUDGETED = ("max_service", "max_on_time")
"""Objectives that plan within the yearly budgets (min_cost asks what the targets cost)."""

Grade = Literal["uncertified", "junior", "intermediate"]
"""The type of a grade name in the scenario schema (the names of GRADES)."""

Profile = Literal["county", "prefecture", "province", "relocation"]
"""Kinds of region a synthetic township table can be drawn for."""

# fmt: off
MONTHS: tuple[str, ...] = ("jan", "feb", "mar", "apr", "may", "jun",
                           "jul", "aug", "sep", "oct", "nov", "dec")
# fmt: on
"""Month keys of a group's seasonal demand (groups.<g>.season)."""

Month = Literal["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
"""The type of a month key in the scenario schema."""

UNIT_WORDS_ZH = {
    "activities": "次活动",
    "persons": "人",
    "case client": "个案对象",
    "assessments": "次评估",
    "cases": "个案",
    "crises": "次危机",
    "visits": "次走访",
    "sessions": "次",
    "days": "天",
    "day": "天",
    "hours": "小时",
    "minutes": "分钟",
    "seconds": "秒",
    "weeks": "周",
    "months of salary": "个月工资",
    "year": "年",
    "years": "年",
    "workers": "人",
    "posts": "个岗位",
    "worker": "人",
    "worker-year": "人·年",
    "person-year": "人·年",
    "township-year": "乡镇·年",
    "station": "站",
    "station-year": "站·年",
    "stations": "站",
    "supervisor": "名督导",
    "county-year": "县·年",
    "relative": "相对值",
    "share": "比例 0–1",
    "share 0–1": "比例 0–1",
    "elderly": "名老人",
    "beds": "张床位",
    "1000 elderly": "千名老人",
    "100 beds": "百张床位",
    "万元": "万元",
}
"""Chinese for the words of the schema's units (spec(unit=...)); a unit "a/b" is translated
part by part (unit_zh)."""


def unit_zh(unit: str) -> str:
    """A schema unit in Chinese: "万元/worker-year" -> "万元/人·年", "hours" -> "小时"; words
    without a translation stay as they are."""
    if unit in UNIT_WORDS_ZH:
        return UNIT_WORDS_ZH[unit]
    return "/".join(UNIT_WORDS_ZH.get(part, part) for part in unit.split("/"))


PROGRESS_ZH: dict[str, str] = {
    "plan and simulate": "规划与仿真",
    "round": "轮",
    "station-years disagree": "个站·年不一致",
    "simulating": "仿真",
    "replication": "次重复",
    "replications": "次重复",
    "what limits are worth": "约束的价值",
    "re-solve": "次求解",
    "stage": "阶段",
    "region profile": "地区概况",
    "what binds": "约束分析",
    "optimizing": "优化",
    "figures and report": "图表与报告",
    "scenarios": "情景",
    "scenario": "个情景",
    "budget levels": "预算水平",
    "least budget": "最低预算",
    "one at a time": "逐一变动",
    "samples": "样本",
    "task": "项",
    "provinces": "各省规划",
    "provinces at prices": "各省按价格规划",
    "provinces with shares": "各省按分配规划",
}
"""Chinese for the words of progress bars (tqdm descriptions, units and status)."""


def progress_words(text: str, lang: str) -> str:
    """A progress bar's word in `lang` ("zh": PROGRESS_ZH, else as it is)."""
    return PROGRESS_ZH.get(text, text) if lang == "zh" else text


COST_CATEGORY_ZH: dict[str, str] = {
    "setup": "建站",
    "running": "运营",
    "salary": "薪酬",
    "training": "培训",
    "severance": "辞退补偿",
    "moves": "调动",
}
"""Chinese names of the cost categories (model.inputs.schema.COST_CATEGORIES): funding sources'
`pays` in a scenario workbook's 资金来源 sheet."""

LEVEL_ZH: dict[str, str] = {
    "station": "社工站",
    "centre": "指导中心",
    "point": "村社工点",
    "sector": "行业岗位",
}
"""Chinese names of the levels a funding source may pay (model.inputs.schema.LEVELS)."""
