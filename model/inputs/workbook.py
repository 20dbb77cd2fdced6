"""An Excel workbook as a scenario: the template a county planner fills in, and its reader.

    write_template(Path("my_county.xlsx"))        # 说明, 基本设置, 年度预算, 目标, 成本, 乡镇表
    data, origin = read_workbook(Path("my_county.xlsx"))

The reader returns what :func:`model.inputs.files.load_chain` returns for a YAML file: the merged
settings data (the workbook's values over scenarios/base.yaml, or over the YAML file 基本设置
names) and each value's origin, here its sheet and cell. :func:`model.inputs.scenario.load_scenario`
then validates it by the same schema and checks, so an error names the cell to fix. The township
table is the workbook's own 乡镇表 sheet unless 基本设置 names a table file. Money in 万元.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from model.errors import Bi, InputError, display_path, written_whole
from model.inputs.fields import dotted, is_optional, path_part, range_text, schema_fields
from model.inputs.files import Origin, is_regular_file, load_chain, merge
from model.inputs.schema import Settings
from model.inputs.townships import (
    HEADERS_ZH,
    KINDS_ZH,
    OPTIONAL_DEFAULTS,
    REQUIRED_COLUMNS,
    TABLE_SHEET,
    THOUSANDS_RE,
    canonical_headers,
    unreadable_workbook,
)
from model.vocabulary import COST_CATEGORY_ZH, GRADE_NAMES_ZH, LEVEL_ZH, TARGET_NAMES_ZH, unit_zh

BASE_YAML = Path(__file__).resolve().parents[2] / "scenarios" / "base.yaml"
"""The scenario a workbook extends unless its 基本设置 names another (or 无)."""

README, BASICS, BUDGET, TARGETS, COSTS = "说明", "基本设置", "年度预算", "目标", "成本"
FUNDING = "资金来源"
SHEETS = (README, BASICS, BUDGET, TARGETS, COSTS, FUNDING, TABLE_SHEET)
"""The sheets of a scenario workbook, in order."""

Row = tuple[tuple[str, ...], str, str]
"""A setting of a key-value sheet: its path, its Chinese name and what it means in Chinese."""

BASIC_ROWS: tuple[Row, ...] = (
    (("name",), "情景名称", "结果文件夹以此命名：字母、数字和 _ . -"),
    (("title",), "情景标题", "报告、演示和图表的标题，如“某某县社工站三年规划”；留空则用情景名称"),
    (("description",), "情景说明", "一两句话说明本情景，显示在报告中"),
    (
        ("extends",),
        "继承的情景文件",
        "留空：使用内置的 scenarios/base.yaml（成本、人员配置、九类服务对象的默认值）；"
        "也可填写相对于本工作簿的 YAML 情景文件；填“无”则不继承",
    ),
    (
        ("region", "townships"),
        "乡镇表文件",
        "留空：使用本工作簿的“乡镇表”工作表；也可填写相对于本工作簿的 CSV 或 XLSX 文件",
    ),
    (("horizon", "start"), "起始年份", "规划的第一年"),
    (("horizon", "years"), "规划年数", "规划几年（年度预算表每年一行）"),
    (
        ("objective",),
        "优化目标",
        "max_service：预算内服务量最大；max_on_time：预算内按时开始的服务最多；"
        "min_cost：满足全部目标的最低费用（不需要年度预算）",
    ),
    (("staffing", "min_workers"), "每站最少社工数", "每个开放站点至少配备的社工"),
    (
        ("staffing", "min_certified"),
        "每站最少持证社工数",
        "其中至少持证（助理社会工作师或社会工作师）的人数",
    ),
    (("staffing", "max_workers"), "每站最多社工数", "一个站点最多配备的社工"),
    (
        ("workforce", "hiring_pool_per_county"),
        "每县每年最多招聘社工数",
        "一个县一年能招到的社工（各等级合计）",
    ),
    (
        ("region", "travel"),
        "乡镇间通行时间文件",
        "留空：没有通行时间（不计算可达性和服务片区）；也可填写相对于本工作簿的 CSV 文件"
        "（from,to,minutes：乡镇代码和单程分钟数），或 synthetic（按县城位置生成的合成通行时间，"
        "仅作示意）",
    ),
    (
        ("access", "minutes"),
        "可达时间门槛",
        "到最近的已建站乡镇不超过这么多分钟的居民计为可到达（可达人口比例目标用；"
        "需要乡镇间通行时间文件）",
    ),
    (
        ("catchment", "max_minutes"),
        "服务片区最长通行时间",
        "留空：每个乡镇只由本乡镇的站点服务；填写后，没有站点的乡镇可由这么多分钟内的邻近站点"
        "服务，每次服务另计往返路程（需要乡镇间通行时间文件）",
    ),
    (
        ("centre", "mode"),
        "县级社会工作指导中心",
        "none：不设；existing：各县已有；planned：由方案开办（有站点的县须有中心督导）",
    ),
    (
        ("point", "max_per_township"),
        "每乡镇最多村社工点数",
        "0：不设村（社区）社工点；社工点须设在已开办社工站的乡镇，承接入户探访",
    ),
    (("simulation", "replications"), "仿真重复次数", "每个仿真年份独立重复的次数"),
    (("simulation", "seed"), "随机种子", "同一种子得到同样的仿真结果"),
    (("solver", "time_limit_s"), "求解时限", "一次优化求解最多用时"),
    (("report", "language"), "报告语言", "zh：中文；en：英文"),
)
"""Rows of 基本设置: the scenario's main settings (others come from base.yaml)."""

COST_ROWS: tuple[Row, ...] = (
    (("costs", "station_setup"), "站点建设费", "新建一个站点的一次性费用：场地改造、设备、标识"),
    (
        ("costs", "station_running"),
        "站点运行费",
        "一个开放站点每年的运行费用：房租、水电、活动、督导",
    ),
    (("costs", "salary", "uncertified"), "未持证社工年薪", "每人每年，乘以乡镇的工资指数"),
    (("costs", "salary", "junior"), "助理社会工作师年薪", "每人每年，乘以乡镇的工资指数"),
    (("costs", "salary", "intermediate"), "社会工作师年薪", "每人每年，乘以乡镇的工资指数"),
    (("costs", "certification_training"), "持证考试培训费", "培训一名未持证社工参加全国考试"),
    (("workforce", "move_cost"), "社工调动费", "站点减少岗位时每名调走社工的安置和入职费用"),
    (("point", "setup"), "村社工点建设费", "新设一个村（社区）社工点的一次性费用"),
    (("point", "running"), "村社工点运行费", "一个社工点每年的费用：兼职人员补贴、场地"),
)
"""Rows of 成本: unit costs in 万元, prefilled with base.yaml's values."""

TARGET_NAMES: dict[str, str] = {**TARGET_NAMES_ZH, "served_share": "分组服务满足率"}
"""Chinese names of the target families in 目标 (the English names are accepted too); served_share
is by group in 目标."""

NESTED = ("served_share", "service_level_by_group", "min_served_share_by_group", "workers_by_grade")
"""Target families with a group (or, workers_by_grade, a grade) in 目标's column D."""

TABLE_COLUMNS: dict[str, tuple[str, str]] = {
    "township_id": ("文本", "乡镇的唯一代码，如统计用区划代码 360703208"),
    "name": ("文本", "乡镇（街道）名称"),
    "county": ("文本", "所属县（市、区）"),
    "kind": ("乡镇/街道/安置区", "乡镇（农村）、街道（城区）或易地搬迁安置区"),
    "population": ("人", "常住人口"),
    "elderly": ("人", "60 岁及以上人口"),
    "has_station": ("1/0（是/否）", "规划开始时是否已有社工站"),
    "workers_certified": ("人", "现有持证社工（助理社会工作师或社会工作师）"),
    "workers_uncertified": ("人", "现有未持证社工"),
    "care_beds": ("张", "养老机构床位（可选；留空为 0）"),
    "remoteness": (
        "0–0.9",
        "村落偏远程度（可选；留空为 0）：入户往返时间 = 基本往返时间 /（1 − 偏远程度）",
    ),
    "travel_minutes": ("分钟", "实测入户往返时间（可选；填写后代替偏远程度）"),
    "wage_index": ("0.2–5", "工资指数（可选；留空为 1.0，即全区平均）"),
}
"""Unit and meaning (Chinese) of each township-table column of the template."""

TABLE_ROWS = 500
"""Rows of 乡镇表 (and of 目标) that carry data validation."""


# ---------------------------------------------------------------------------------- fields
def field_of(path: tuple[str, ...]) -> tuple[Any, dict]:
    """The schema type (optional unwrapped) and metadata of a settings path."""
    cls: Any = Settings
    tp: Any = None
    meta: dict = {}
    for key in path:
        f, tp = next((f, tp) for f, tp in schema_fields(cls) if f.name == key)
        meta = dict(f.metadata)
        _, tp = is_optional(tp)
        cls = tp
    return tp, meta


def default_of(path: tuple[str, ...]) -> Any:
    """The schema's default of a settings path (None where it has none)."""
    import dataclasses

    cls: Any = Settings
    value: Any = None
    for key in path:
        f, tp = next((f, tp) for f, tp in schema_fields(cls) if f.name == key)
        value = None if f.default is dataclasses.MISSING else f.default
        _, cls = is_optional(tp)
    return value


def _validation(tp: Any, meta: dict) -> Any:
    """An openpyxl DataValidation for a value of type `tp` (list, whole or decimal), or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if get_origin(tp) is Literal:
        return DataValidation(
            type="list",
            formula1='"' + ",".join(get_args(tp)) + '"',
            allow_blank=True,
            error="请从列表中选择：" + "、".join(get_args(tp)),
            errorTitle="无效的值",
        )
    if tp not in (int, float):
        return None
    lo, hi = meta.get("lo"), meta.get("hi")
    kind = "whole" if tp is int else "decimal"
    if lo is not None and hi is not None:
        op, f1, f2 = "between", lo, hi
    elif lo is not None:
        op, f1, f2 = ("greaterThan" if meta.get("lo_open") else "greaterThanOrEqual"), lo, None
    elif hi is not None:
        op, f1, f2 = "lessThanOrEqual", hi, None
    else:
        return None
    what = "整数" if tp is int else "数"
    return DataValidation(
        type=kind,
        operator=op,
        formula1=f"{f1:g}",
        formula2=None if f2 is None else f"{f2:g}",
        allow_blank=True,
        error=f"请输入{what}{range_text(meta)}",
        errorTitle="超出范围",
    )


# ---------------------------------------------------------------------------------- writing
def write_template(path: Path, start: int | None = None, years: int = 3) -> Path:
    """Write the scenario workbook a planner fills in (an existing file is an InputError).

    Settings and costs are prefilled with base.yaml's values, the name with the file's stem (or
    my_county), the horizon `years` years from `start` (default: next year) with empty budgets;
    目标 and 乡镇表 are empty but for their headers.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    path = Path(path)
    if path.exists():
        raise InputError(
            path,
            None,
            "",
            problem=Bi(
                "exists; choose another name (a template never replaces a file)",
                "文件已存在；请换一个文件名（模板不会覆盖已有文件）",
            ),
        )
    base, _ = load_chain(BASE_YAML)
    start = start or datetime.date.today().year + 1
    name = path.stem if re.match(r"^[\w][\w.-]*$", path.stem) else "my_county"
    given = {("name",): name, ("description",): "", ("horizon", "start"): start}
    given |= {("horizon", "years"): years, ("extends",): "", ("region", "townships"): ""}
    given |= {("region", "travel"): ""}
    bold, grey = Font(bold=True), Font(color="808080")
    fill = PatternFill("solid", fgColor="FFF2CC")  # the cells to fill in
    book = Workbook()
    book.remove(book.active)

    readme = book.create_sheet(README)
    for r, line in enumerate(_readme_lines(path.name), start=1):
        readme.cell(r, 1, line).font = bold if r == 1 else Font()
    readme.column_dimensions["A"].width = 110

    def comment(text: str) -> Any:
        return Comment(text, "stationplan", width=320, height=160)

    def key_values(title: str, rows: tuple[Row, ...]) -> None:
        ws = book.create_sheet(title)
        for c, head in enumerate(("项目", "值", "单位", "说明", "键（勿改）"), start=1):
            ws.cell(1, c, head).font = bold
        for r, (key, zh, meaning) in enumerate(rows, start=2):
            tp, meta = field_of(key)
            value = given.get(key, _get(base, key))
            value = default_of(key) if value is None else value
            ws.cell(r, 1, zh)
            cell = ws.cell(r, 2, value if value != "" else None)
            cell.fill = fill
            ws.cell(r, 3, unit_zh(meta.get("unit", "")))
            ws.cell(r, 4, meaning).alignment = Alignment(wrap_text=True)
            ws.cell(r, 5, dotted(key)).font = grey
            unit = unit_zh(meta.get("unit", ""))
            cell.comment = comment(
                f"{zh}" + (f"（{unit}）" if unit else "") + f"\n{meaning}\n"
                f"{meta.get('doc', '')}\n键：{dotted(key)}（docs/scenario-reference.md）"
            )
            dv = _validation(tp, meta)
            if dv is not None:
                ws.add_data_validation(dv)
                dv.add(cell.coordinate)
        for col, width in zip("ABCDE", (22, 16, 14, 70, 28), strict=True):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"

    key_values(BASICS, BASIC_ROWS)

    ws = book.create_sheet(BUDGET)
    ws.cell(1, 1, "年份").font = bold
    ws.cell(1, 2, "预算（万元）").font = bold
    ws.cell(1, 1).comment = comment("规划年份，每年一行（与基本设置的起始年份和规划年数一致）")
    tp, meta = field_of(("budget",))
    ws.cell(1, 2).comment = comment(
        f"该年可用于社工站的资金，单位万元（1 万元 = 10,000 元）。\n{meta['doc']}\n"
        "每个乡镇每年超过 1,000 万元或全部年份合计不足 1 万元时视为单位填错（元或亿元）。"
    )
    for r, year in enumerate(range(start, start + years), start=2):
        ws.cell(r, 1, year)
        ws.cell(r, 2).fill = fill
    years_dv = _validation(int, {"lo": 2000, "hi": 2100})
    money_dv = _validation(float, {"lo": 0})
    for dv, ref in ((years_dv, "A2:A60"), (money_dv, "B2:B60")):
        ws.add_data_validation(dv)
        dv.add(ref)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 10, 16
    ws.freeze_panes = "A2"

    ws = book.create_sheet(TARGETS)
    heads = ("目标", "年份", "值", "分组或等级", "说明")
    notes = (
        "目标名称（从列表中选择）：" + "；".join(f"{zh}（{k}）" for k, zh in TARGET_NAMES.items()),
        "目标所在年份（须在规划期内）",
        "目标值：比例填 0–1（如覆盖率 1 = 100%），人数填整数",
        "分组服务满足率、分组按时服务率、分组最低服务满足率填服务对象类别（如 低保对象）；"
        "分等级社工数填 未持证、助理社会工作师 或 社会工作师；行业社工岗位填行业（如 养老机构，"
        "行业在继承的情景文件中定义）；其他目标留空",
        "",
    )
    for c, (head, note) in enumerate(zip(heads, notes, strict=True), start=1):
        ws.cell(1, c, head).font = bold
        if note:
            ws.cell(1, c).comment = comment(note)
    names_dv = _validation(Literal[tuple(TARGET_NAMES.values())], {})
    for dv, ref in (
        (names_dv, f"A2:A{TABLE_ROWS}"),
        (_validation(int, {"lo": 2000, "hi": 2100}), f"B2:B{TABLE_ROWS}"),
        (_validation(float, {"lo": 0}), f"C2:C{TABLE_ROWS}"),
    ):
        ws.add_data_validation(dv)
        dv.add(ref)
    for col, width in zip("ABCDE", (22, 10, 10, 18, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"

    key_values(COSTS, COST_ROWS)

    ws = book.create_sheet(FUNDING)
    for c, (head, note) in enumerate(FUNDING_COLUMNS, start=1):
        ws.cell(1, c, head).font = bold
        ws.cell(1, c).comment = comment(note)
    for k, year in enumerate(range(start, start + years)):
        ws.cell(1, len(FUNDING_COLUMNS) + 1 + k, year).font = bold
        ws.cell(1, len(FUNDING_COLUMNS) + 1 + k).comment = comment(
            f"该来源 {year} 年的资金（万元）；空：0（每站、每新建站的资金另计）"
        )
    for dv, ref in (
        (_validation(float, {"lo": 0}), f"F2:{_column(len(FUNDING_COLUMNS) + years)}60"),
        (_validation(Literal["是", "否"], {}), "H2:H60"),
    ):
        ws.add_data_validation(dv)
        dv.add(ref)
    for col, width in zip("ABCDEFGH", (12, 24, 30, 22, 22, 14, 14, 8), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C2"

    ws = book.create_sheet(TABLE_SHEET)
    groups = {g: (v or {}).get("label") or g for g, v in (base.get("groups") or {}).items()}
    columns = list(REQUIRED_COLUMNS) + list(groups) + [*OPTIONAL_DEFAULTS, "travel_minutes"]
    from openpyxl.utils import get_column_letter

    for c, col in enumerate(columns, start=1):
        letter = get_column_letter(c)
        if col in groups:
            head, unit, meaning = groups[col], "人", f"{groups[col]}人数（列名也可写 {col}）"
            meaning += "；没有该类对象的数据时删除此列（该类对象不计入）"
        else:
            head, (unit, meaning) = HEADERS_ZH[col][0], TABLE_COLUMNS[col]
        ws.cell(1, c, head).font = bold
        ws.cell(1, c).comment = comment(f"{head}（{unit}）\n{meaning}\n英文列名：{col}")
        ws.column_dimensions[letter].width = max(10, 2 * len(head) + 2)
        rows = f"{letter}2:{letter}{TABLE_ROWS}"
        if col == "kind":
            dv = _validation(Literal[tuple(dict.fromkeys(KINDS_ZH))], {})
            dv.errorStyle = "warning"
        elif col == "has_station":
            dv = _validation(Literal["1", "0", "是", "否"], {})
            dv.errorStyle = "warning"
        elif col == "remoteness":
            dv = _validation(float, {"lo": 0, "hi": 0.9})
        elif col == "wage_index":
            dv = _validation(float, {"lo": 0.2, "hi": 5})
        elif col == "travel_minutes":
            dv = _validation(float, {"lo": 0, "hi": 600})
        elif col in ("township_id", "name", "county"):
            dv = None
        else:
            dv = _validation(int, {"lo": 0})
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(rows)
    ws.freeze_panes = "C2"
    data = io.BytesIO()  # saved in memory: openpyxl leaves its zip file open on a write error
    book.save(data)
    with written_whole(path) as partial:  # a full or read-only disk: one line, no half file
        partial.write_bytes(data.getvalue())
    return path


FUNDING_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "来源代码",
        "资金来源的代码：字母、数字和下划线，如 lottery（用于 --set funding.lottery.scale=0.5）",
    ),
    ("名称", "资金来源的名称，如 中央集中彩票公益金"),
    (
        "可支付的支出",
        "该来源可以支付的支出类别，用顿号或逗号分隔："
        + "、".join(COST_CATEGORY_ZH.values())
        + "；留空：全部",
    ),
    ("支付层级", "可以支付谁的支出：" + "、".join(LEVEL_ZH.values()) + "；留空：全部"),
    ("限定县区", "只能支付这些县区的支出（县区名称，用顿号分隔）；留空：所有县区"),
    ("每站每年（万元）", "按其县区内每个开办的站点每年另给的资金（如省级按站补助）"),
    ("每新建站（万元）", "按当年新建的站点每站另给的资金（如建站补助）"),
    ("可结转", "当年未用完的资金能否留到以后年度使用：是 / 否（留空：否）"),
)
"""The 资金来源 sheet's columns before the year columns (one source a row: funding.<code>)."""


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _get(data: dict, key: tuple[str, ...]) -> Any:
    value: Any = data
    for part in key:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _readme_lines(filename: str) -> list[str]:
    return [
        "社工站规划情景工作簿（stationplan）",
        "",
        "本工作簿就是一个规划情景：填好后运行",
        f"    stationplan validate {filename}      检查填写是否正确（出错时会指出工作表和单元格）",
        f"    stationplan run {filename}           规划、仿真并生成结果文件夹和报告",
        "",
        "单位：金额一律为万元（1 万元 = 10,000 元）；时间按各项说明（年、天、小时、分钟）；"
        "比例填 0–1 之间的小数（如 0.9 = 90%）。",
        "黄色单元格是需要填写或可以修改的值；“键（勿改）”一列是程序读取的名称，请不要改动。",
        "每个值的含义和单位见单元格批注；全部设置见 docs/scenario-reference.md。",
        "",
        "基本设置：情景名称、规划起始年份和年数、优化目标等。未列出的设置（服务对象的需求率、"
        "仿真标准等）取自内置的 scenarios/base.yaml，也可在“继承的情景文件”中指定其他 YAML 文件。",
        "年度预算：规划期内每年一行，填写该年的预算（万元）。优化目标为 max_service 或 "
        "max_on_time 时每年都要有预算；min_cost 不需要。"
        "每个乡镇每年超过 1,000 万元（可能按元填写）或合计不足 1 万元（可能按亿元填写）会报错。",
        "目标：每行一个目标，如 覆盖率 | 2026 | 1 表示 2026 年所有乡镇都有站点；"
        "预算不足以满足全部目标时按 base.yaml 的顺序（先覆盖率）尽量满足。",
        "成本：站点建设、运行、各等级社工年薪等单位成本（万元），默认值取自 scenarios/base.yaml"
        "（来源见其注释和 docs/calibration.md），请按本地实际修改。",
        "乡镇表：每个乡镇（街道）一行。必填列：乡镇代码、乡镇名称、县区、类型（乡镇/街道/安置区）、"
        "人口、60岁及以上人口、是否有站点（1/0）、持证社工人数、未持证社工人数，以及每类服务对象"
        "的人数（低保对象、特困人员等）。养老床位、偏远程度、入户往返分钟、工资指数可留空。",
        "数字可带千位分隔符（23,456）。列名也可用英文（township_id、population 等）。"
        "没有某类服务对象的数据时，删除该列，该类对象即不计入本情景。",
        "通行时间：在基本设置中填写乡镇间通行时间文件（CSV：from,to,minutes）后，结果中有可达性"
        "（access.csv）；再填写服务片区最长通行时间，没有站点的乡镇可由邻近站点服务"
        "（catchments.csv）。",
        "资金来源（可不填）：每个资金来源一行，写明可支付的支出类别（建站、运营、薪酬等）、层级、"
        "限定县区、按站补助、能否结转和各年金额；填写后每项支出都由允许支付它的来源支付"
        "（funding.csv），年度预算仍是各来源合计支出的上限。不填则年度预算支付一切。",
    ]


# ---------------------------------------------------------------------------------- reading
def read_workbook(path: Path) -> tuple[dict, Origin]:
    """The settings data of a scenario workbook over what it extends, and each value's origin
    (file, sheet and cell); the township table is its 乡镇表 unless 基本设置 names a file."""
    from openpyxl import load_workbook

    path = Path(path).resolve()
    label = display_path(path)
    try:
        book = load_workbook(path, data_only=True, read_only=False)
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl's own errors alike
        raise unreadable_workbook(path, exc) from None
    missing = [s for s in (BASICS, BUDGET) if s not in book.sheetnames]
    if missing:
        raise InputError(
            path,
            None,
            "",
            problem=Bi(
                f"no sheet {'、'.join(missing)}: a scenario workbook has the sheets "
                f"{'、'.join(SHEETS)} (write one with `stationplan template`)",
                f"缺少工作表 {'、'.join(missing)}：情景工作簿应有工作表 {'、'.join(SHEETS)}"
                "（可用 `stationplan template` 生成一个）",
            ),
        )

    def at(sheet: str, ref: str) -> str:
        return Bi(f"{label}, sheet {sheet}, cell {ref}", f"{label}，工作表 {sheet}，单元格 {ref}")

    data: dict = {}
    cells: Origin = {}

    def put(key: tuple, value: Any, where: str) -> None:
        node = data
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
        cells[key] = where

    special: dict[str, tuple[Any, str]] = {}
    for sheet in (BASICS, COSTS):
        if sheet not in book.sheetnames:
            continue
        ws = book[sheet]
        for r in range(2, ws.max_row + 1):
            key, value = ws.cell(r, 5).value, _value(ws.cell(r, 2).value)
            if not isinstance(key, str) or not key.strip():
                continue
            parts = tuple(path_part(p) for p in key.strip().split("."))
            where = at(sheet, f"B{r}")
            if key.strip() in ("extends", "region.townships", "region.travel"):
                special[key.strip()] = (value, where)
            elif value is not None:
                put(parts, value, where)
            elif parts == ("description",):
                put(parts, "", where)  # not base.yaml's "extend this file, do not run it"

    parent, where = special.get("extends", (None, at(BASICS, "B?")))
    if parent is None:
        merged, origin = load_chain(BASE_YAML)
    elif str(parent).strip() in ("无", "none"):
        merged, origin = {}, {}
    else:
        parent_path = path.parent / str(parent)
        if not is_regular_file(parent_path):
            raise InputError(
                where,
                "extends",
                Bi(
                    "an existing scenario file (relative to the workbook)",
                    "已存在的情景文件（路径相对于工作簿）",
                ),
                parent,
            )
        merged, origin = load_chain(parent_path)

    sheet_label = Bi(f"{label}, sheet {TABLE_SHEET}", f"{label}，工作表 {TABLE_SHEET}")
    table, where = special.get("region.townships", (None, sheet_label))
    if table is None:
        if TABLE_SHEET not in book.sheetnames:
            raise InputError(
                path,
                None,
                "",
                problem=Bi(
                    f"no sheet {TABLE_SHEET} and no 乡镇表文件 in {BASICS}",
                    f"没有工作表 {TABLE_SHEET}，{BASICS} 中也没有填写乡镇表文件",
                ),
            )
        put(("region",), {"townships": str(path)}, where)
        groups = merged.get("groups") or {}
        for group in _absent_groups(book[TABLE_SHEET], groups):
            data.setdefault("groups", {})[group] = None
            cells[("groups", group)] = where
    else:
        p = Path(str(table))
        put(("region",), {"townships": str(p if p.is_absolute() else path.parent / p)}, where)
    travel, where = special.get("region.travel", (None, at(BASICS, "B?")))
    if travel is not None:  # a file relative to the workbook, or synthetic
        p = Path(str(travel))
        synthetic = str(travel).strip() == "synthetic"
        given = "synthetic" if synthetic else str(p if p.is_absolute() else path.parent / p)
        put(("region", "travel"), given, where)

    if BUDGET in book.sheetnames:
        _read_budget(book[BUDGET], at, put, cells, label)
    if TARGETS in book.sheetnames:
        _read_targets(
            book[TARGETS], at, put, cells, merged.get("groups") or {}, merged.get("sectors") or {}
        )
    if FUNDING in book.sheetnames:
        _read_funding(book[FUNDING], at, put)
    merge(merged, data, origin, label)
    origin.update(cells)
    return merged, origin


def _value(value: Any) -> Any:
    """A cell's value as YAML would give it: None when empty, numbers written as text (with or
    without thousands separators) as numbers, other text stripped."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        bare = re.sub("[,，]", "", text) if THOUSANDS_RE.match(text) else text
        if re.fullmatch(r"[+-]?\d+", bare):
            return int(bare)
        if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", bare):
            return float(bare)
        return text
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _year(value: Any, where: str, what: str) -> int:
    value = _value(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(where, what, Bi("a year such as 2025", "年份（如 2025）"), value)
    return value


def _read_budget(ws: Any, at: Any, put: Any, cells: Origin, label: str) -> None:
    cells[("budget",)] = Bi(f"{label}, sheet {BUDGET}", f"{label}，工作表 {BUDGET}")
    seen: dict[int, int] = {}
    for r in range(2, ws.max_row + 1):
        year, money = ws.cell(r, 1).value, _value(ws.cell(r, 2).value)
        if _value(year) is None and money is None:
            continue
        year = _year(year, at(BUDGET, f"A{r}"), "year")
        if year in seen:
            raise InputError(
                at(BUDGET, f"A{r}"),
                Bi("year", "年份"),
                "",
                problem=Bi(
                    f"{year} is given twice (row {seen[year]})",
                    f"{year} 出现了两次（第 {seen[year]} 行已有）",
                ),
            )
        seen[year] = r
        if money is not None:
            put(("budget", year), money, at(BUDGET, f"B{r}"))


def _items(text: Any) -> list[str] | None:
    """The items of a list in a cell (separated by 、，, ; or spaces); None when it is empty."""
    value = _value(text)
    if value is None:
        return None
    return [part for part in re.split(r"[、，,;；\s]+", str(value).strip()) if part]


def _names(text: Any, names: dict[str, str], where: str, what: str) -> list[str] | None:
    """Keys of a list of names in a cell (Chinese or English, :func:`_items`); None when the
    cell is empty."""
    items = _items(text)
    if items is None:
        return None
    keys = {**{zh: k for k, zh in names.items()}, **{k: k for k in names}}
    out = []
    for part in items:
        if part not in keys:
            raise InputError(
                where,
                what,
                Bi(
                    "names among " + ", ".join(names),
                    "以下名称之一：" + "、".join(names.values()),
                ),
                part,
            )
        out.append(keys[part])
    return out


def _read_funding(ws: Any, at: Any, put: Any) -> None:
    """资金来源: one source a row (funding.<code>), its rules in the first columns and its money
    in the year columns (headers are years)."""
    first = len(FUNDING_COLUMNS) + 1
    years = {}
    for c in range(first, ws.max_column + 1):
        head = _value(ws.cell(1, c).value)
        if head is not None:
            years[c] = _year(head, at(FUNDING, f"{_column(c)}1"), "year")
    seen: dict[str, int] = {}
    for r in range(2, ws.max_row + 1):
        code = _value(ws.cell(r, 1).value)
        if code is None:
            if any(_value(ws.cell(r, c).value) is not None for c in range(2, ws.max_column + 1)):
                raise InputError(
                    at(FUNDING, f"A{r}"),
                    Bi("source code", "来源代码"),
                    Bi("a code such as lottery", "代码，如 lottery"),
                    None,
                )
            continue
        code = str(code)
        if code in seen:
            raise InputError(
                at(FUNDING, f"A{r}"),
                Bi("source code", "来源代码"),
                "",
                problem=Bi(
                    f"{code} is given twice (row {seen[code]})",
                    f"{code} 出现了两次（第 {seen[code]} 行已有）",
                ),
            )
        seen[code] = r
        key = ("funding", code)
        label = _value(ws.cell(r, 2).value)
        put(key + ("label",), str(label) if label is not None else "", at(FUNDING, f"B{r}"))
        for col, field, names in ((3, "pays", COST_CATEGORY_ZH), (4, "levels", LEVEL_ZH)):
            where = at(FUNDING, f"{_column(col)}{r}")
            got = _names(ws.cell(r, col).value, names, where, f"funding.{code}.{field}")
            if got is not None:
                put(key + (field,), got, where)
        counties = _items(ws.cell(r, 5).value)
        if counties is not None:
            put(key + ("counties",), counties, at(FUNDING, f"E{r}"))
        for col, field in ((6, "per_station"), (7, "per_new_station")):
            value = _value(ws.cell(r, col).value)
            if value is not None:
                put(key + (field,), value, at(FUNDING, f"{_column(col)}{r}"))
        carry = _value(ws.cell(r, 8).value)
        if carry is not None:
            flag = {"是": True, "否": False, "true": True, "false": False, 1: True, 0: False}
            if carry not in flag:
                raise InputError(
                    at(FUNDING, f"H{r}"),
                    f"funding.{code}.carry_over",
                    Bi("是 or 否", "是 或 否"),
                    carry,
                )
            put(key + ("carry_over",), flag[carry], at(FUNDING, f"H{r}"))
        for c, year in years.items():
            money = _value(ws.cell(r, c).value)
            if money is not None:
                put(key + ("amount", year), money, at(FUNDING, f"{_column(c)}{r}"))


def _read_targets(ws: Any, at: Any, put: Any, cells: Origin, groups: dict, sectors: dict) -> None:
    """目标: one target a row. A sector's target (行业社工岗位, with the sector in 分组或等级) is
    that sector's `target` (sectors.<name>.target), the sector defined in the YAML file the
    workbook extends."""
    families = {k: k for k in TARGET_NAMES} | {zh: k for k, zh in TARGET_NAMES.items()}
    by_label = {g: g for g in groups} | {
        (v or {}).get("label"): g for g, v in groups.items() if (v or {}).get("label")
    }
    grades = {g: g for g in GRADE_NAMES_ZH} | {zh: g for g, zh in GRADE_NAMES_ZH.items()}
    for r in range(2, ws.max_row + 1):
        name, year, value, of = (_value(ws.cell(r, c).value) for c in (1, 2, 3, 4))
        if name is None and year is None and value is None and of is None:
            continue
        if str(name) not in families:
            raise InputError(
                at(TARGETS, f"A{r}"),
                Bi("target", "目标"),
                Bi("one of ", "以下之一：")
                + Bi(", ", "、").join_parts(list(TARGET_NAMES.values()))
                + Bi(" (or ", "（或 ")
                + ", ".join(TARGET_NAMES)
                + Bi(")", "）"),
                name,
            )
        family = families[str(name)]
        year = _year(year, at(TARGETS, f"B{r}"), f"targets.{family}")
        if value is None:
            raise InputError(
                at(TARGETS, f"C{r}"),
                f"targets.{family}.{year}",
                Bi("a target value", "目标值"),
                value,
            )
        key: tuple = ("targets", family)
        if family == "sector_posts":
            labels = {str(k): k for k in sectors} | {
                str((v or {}).get("label")): k for k, v in sectors.items() if (v or {}).get("label")
            }
            if str(of) not in labels:
                raise InputError(
                    at(TARGETS, f"D{r}"),
                    "sectors",
                    Bi("a sector of the scenario: ", "本情景的行业：")
                    + (
                        ", ".join(labels)
                        if labels
                        else Bi(
                            "none (define sectors: in the YAML file the workbook extends)",
                            "无（请在工作簿继承的 YAML 情景文件中定义 sectors）",
                        )
                    ),
                    of,
                )
            where = at(TARGETS, f"C{r}")
            put(("sectors", labels[str(of)], "target", year), value, where)
            continue
        if family in NESTED:
            names = grades if family == "workers_by_grade" else by_label
            if str(of) not in names:
                raise InputError(
                    at(TARGETS, f"D{r}"),
                    f"targets.{family}",
                    Bi("a worker grade: ", "社工等级：")
                    + Bi(", ", "、").join_parts(list(GRADE_NAMES_ZH.values()))
                    if family == "workers_by_grade"
                    else Bi("a recipient group of the scenario: ", "本情景的服务对象群体：")
                    + Bi(", ", "、").join_parts([str(k) for k in by_label if k not in groups]),
                    of,
                )
            key += (names[str(of)],)
            cells[key] = at(TARGETS, f"D{r}")
        cells.setdefault(("targets", family), at(TARGETS, f"A{r}"))
        put(key + (year,), value, at(TARGETS, f"C{r}"))


def _absent_groups(ws: Any, groups: dict) -> list[str]:
    """Groups whose column the 乡镇表 leaves out (or leaves wholly empty), when it has rows."""
    rows = [[c for c in row] for row in ws.iter_rows(min_row=1, values_only=True)]
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [r for r in rows[1:] if any(_value(c) is not None for c in r)]
    if not body:
        return []  # an empty table: the table's own check says so
    labels = {g: (v or {}).get("label") or "" for g, v in groups.items()}
    names = canonical_headers(header, labels)
    filled = {
        names[h] for k, h in enumerate(header) if h and any(_value(r[k]) is not None for r in body)
    }
    return [g for g in groups if g not in filled]


__all__ = ["SHEETS", "read_workbook", "write_template"]
