"""Load a scenario: the Scenario object, validation across fields, townships, with_overrides.

    sc = load_scenario("scenarios/ganzhou.yaml", overrides=["budget.2024=5600"])

Reading the files (YAML, `extends`, `--set`) is in :mod:`model.inputs.files`; every value
remembers the file (or `--set` option) it came from, so an error names the place the user
has to fix.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from model.errors import Bi, InputError, Verbatim, display_path
from model.inputs.fields import build, did_you_mean, dotted
from model.inputs.files import (
    EXTENDS_MAX,
    SCENARIO_BYTES_MAX,
    Origin,
    apply_overrides,
    apply_parsed,
    is_regular_file,
    load_chain,
    make_locate,
    parse_overrides,
)
from model.inputs.schema import Settings
from model.vocabulary import BUDGETED, NATIONAL_TARGETS

SCENARIO_NAME_RE = re.compile(r"\w[\w.-]*")
"""A scenario's name (matched whole: no line break at its end): it names the results folder."""

SCENARIO_NAME_MAX = 64
"""Most characters of a scenario's name: a folder's name has at most 255 bytes on common file
systems, a Chinese character takes 3 in UTF-8, and a run adds its suffixes."""


SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
"""The shipped scenarios of a source checkout (the project is installed editable)."""


def shipped_scenario(name: str) -> Path:
    """Path of a shipped scenario by name, e.g. shipped_scenario("ganzhou")."""
    path = SCENARIO_DIR / f"{name}.yaml"
    if not is_regular_file(path):
        known = ", ".join(sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml") if p.stem != "base"))
        raise InputError(
            None,
            None,
            "",
            problem=Bi(
                f"no shipped scenario {name!r}; shipped: {known}",
                f"没有名为 {name!r} 的自带情景；自带情景有：{known}",
            ),
        )
    return path


@dataclass(frozen=True, kw_only=True)
class Scenario(Settings):
    """A validated scenario with its township table and provenance.

    All settings of :class:`model.inputs.schema.Settings` are attributes
    (``sc.costs.salary.junior``); ``townships`` is the validated township table; ``source`` the
    scenario file;
    ``overrides`` the ``--set`` options applied; ``townships_source`` where the table came from;
    ``travel`` the travel minutes between townships (model.inputs.travel; None without
    region.travel) and ``travel_source`` where they came from.
    """

    townships: pd.DataFrame = field(repr=False, compare=False)
    source: Path | None = None
    overrides: tuple[str, ...] = ()
    townships_source: str = ""
    travel: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    travel_source: str = ""

    @property
    def years(self) -> list[int]:
        """The planning years."""
        return self.horizon.year_list

    @property
    def group_names(self) -> list[str]:
        return list(self.groups)

    def settings_dict(self) -> dict:
        """The validated settings as plain data (no townships, no provenance)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(Settings)}

    def resolved(self, townships_file: str = "townships.csv") -> dict:
        """The fully merged scenario as data, re-runnable beside a copy of its township table
        (and of its travel table, travel.csv, when it has one: a run copies it)."""
        data = self.settings_dict()
        data.pop("extends", None)
        data["region"] = {"townships": townships_file}
        if self.region.travel is not None:
            synthetic = self.region.travel == "synthetic"
            data["region"]["travel"] = "synthetic" if synthetic else "travel.csv"
        if self.report.boundaries:
            data["report"]["boundaries"] = "boundaries.geojson"  # copied beside it by a run
        return _drop_none(data)

    def resolved_yaml(self, townships_file: str = "townships.csv") -> str:
        header = (
            f"# Fully merged scenario written by stationplan from {self.source_label}"
            + (f" with --set {' '.join(self.overrides)}" if self.overrides else "")
            + ".\n"
            "# Money in 10,000 yuan (万元); hours and days as documented in "
            "docs/scenario-reference.md.\n"
        )
        return header + yaml.safe_dump(
            self.resolved(townships_file), allow_unicode=True, sort_keys=False
        )

    @property
    def source_label(self) -> str:
        return display_path(self.source) if self.source else "(in memory)"

    def with_overrides(self, overrides: Iterable[str] | Mapping[str, Any]) -> Scenario:
        """A copy with values changed, validated by the same checks as loading a file.

            sc.with_overrides(["budget.2025=300", "staffing.max_workers=4"])
            sc.with_overrides({"budget.2025": 300.0, "objective": "max_service"})

        Strings are read as `--set` options (values as YAML); a mapping's values are used as
        they are. The changes are appended to `overrides`, so the resolved scenario and the
        manifest record them. Bad values raise InputError naming the field.
        """
        return with_overrides(self, overrides)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    return value


def check_settings(s: Settings, locate: Any) -> None:
    """Rules that span fields: one region source, min below max, years inside the horizon..."""

    def fail(
        path: tuple, expected: str = "", got: Any = None, problem: str | None = None
    ) -> InputError:
        return InputError(locate(path), dotted(path), expected, got, problem=problem)

    if not SCENARIO_NAME_RE.fullmatch(s.name) or len(s.name) > SCENARIO_NAME_MAX:
        raise fail(
            ("name",),
            Bi(
                f"a name of letters, digits, _ . - of at most {SCENARIO_NAME_MAX} characters "
                "(it names the results folder)",
                f"由字母、数字和 _ . - 组成、不超过 {SCENARIO_NAME_MAX} 个字符的名称"
                "（用作结果文件夹名）",
            ),
            s.name
            if len(s.name) <= SCENARIO_NAME_MAX
            else Verbatim(f"{len(s.name)} characters", f"{len(s.name)} 个字符"),
        )
    if s.region.divisions is not None and s.region.townships is not None:
        raise fail(
            ("region", "townships"),
            problem=Bi(
                "real units (region.divisions) take their figures from region.synthetic, "
                "not from a table: leave out region.townships or region.divisions",
                "真实行政区划（region.divisions）的人口等数字来自 region.synthetic，而不是乡镇表："
                "请删去 region.townships 或 region.divisions",
            ),
        )
    if s.region.divisions is not None and s.region.synthetic is None:
        raise fail(
            ("region", "synthetic"),
            problem=Bi(
                "region.divisions needs region.synthetic: the profile and seed that draw "
                "each unit's population and recipients (synthetic figures; see docs/data.md)",
                "region.divisions 需要 region.synthetic：用它的地区类型（profile）和随机种子"
                "生成每个单位的人口和服务对象（合成数字；见 docs/data.md）",
            ),
        )
    if (s.region.townships is None) == (s.region.synthetic is None):
        raise fail(
            ("region",),
            problem=Bi(
                "give exactly one of region.townships (a table file) "
                "and region.synthetic (a generated region, or figures for region.divisions)",
                "region.townships（乡镇表文件）和 region.synthetic（合成地区，或 region.divisions "
                "的数字来源）只能且必须填写一个",
            ),
        )
    syn = s.region.synthetic
    if s.region.divisions is not None and syn is not None and (syn.townships or syn.counties):
        raise fail(
            ("region", "synthetic", "townships" if syn.townships else "counties"),
            problem=Bi(
                "the units and counties come from region.divisions; leave it out",
                "单位和县区来自 region.divisions；请删去此项",
            ),
        )
    if syn and syn.townships and syn.counties and syn.counties > syn.townships:
        raise fail(
            ("region", "synthetic", "counties"),
            Bi(
                f"at most the number of townships ({syn.townships})",
                f"不超过乡镇数（{syn.townships}）",
            ),
            syn.counties,
        )
    st = s.staffing
    if st.min_workers > st.max_workers:
        raise fail(
            ("staffing", "min_workers"),
            Bi(
                f"at most staffing.max_workers ({st.max_workers})",
                f"不超过 staffing.max_workers（{st.max_workers}）",
            ),
            st.min_workers,
        )
    if st.min_certified > st.max_workers:
        raise fail(
            ("staffing", "min_certified"),
            Bi(
                f"at most staffing.max_workers ({st.max_workers})",
                f"不超过 staffing.max_workers（{st.max_workers}）",
            ),
            st.min_certified,
        )
    if not s.groups:
        raise fail(("groups",), Bi("at least one recipient group", "至少一个服务对象群体"))
    years = s.horizon.year_list
    span = Bi(
        f"a year of the horizon {years[0]}–{years[-1]}",
        f"规划期 {years[0]}–{years[-1]} 内的年份",
    )
    for year in s.budget:
        if year not in years:
            raise fail(("budget", year), span, year)
    if s.objective in BUDGETED:
        missing = [y for y in years if y not in s.budget]
        if missing:
            raise fail(
                ("budget",),
                problem=Bi(
                    f"no budget for {', '.join(map(str, missing))}: objective "
                    f"{s.objective} needs a budget for every year of the horizon",
                    f"{'、'.join(map(str, missing))} 年没有预算：目标函数 {s.objective} "
                    "需要规划期内每一年的预算",
                ),
            )
    twice = sorted({n for n in s.targets.priority if s.targets.priority.count(n) > 1})
    if twice:
        raise fail(
            ("targets", "priority"),
            problem=Bi(
                f"names {', '.join(twice)} more than once; each target family once, in "
                "the order it is to be met",
                f"{'、'.join(twice)} 出现了不止一次；每类目标只写一次，按要达成的先后排列",
            ),
        )
    every_targets: list[tuple[tuple, Any]] = [(("targets",), s.targets)]
    every_targets += [
        (("provinces", p, "targets"), part.targets) for p, part in s.provinces.items()
    ]
    every_targets.append((("central", "targets"), s.central.targets))
    for prefix, targets in every_targets:
        _check_targets(s, prefix, targets, years, span, fail)
    _check_national_targets(s, fail)
    for year in s.central.transfer:
        if year not in years:
            raise fail(("central", "transfer", year), span, year)
    if s.central.transfer and not s.provinces:
        raise fail(
            ("central", "transfer"),
            problem=Bi(
                "a central transfer is shared among provinces: give provinces (each with its "
                "budget), or add the money to `budget`",
                "中央转移支付在各省之间分配：请填写 provinces（每省自己的预算），"
                "或把这笔钱计入 budget",
            ),
        )
    for name, part in s.provinces.items():
        for year in part.budget:
            if year not in years:
                raise fail(("provinces", name, "budget", year), span, year)
        missing = [y for y in years if y not in part.budget]
        if s.objective in BUDGETED and missing:
            raise fail(
                ("provinces", name, "budget"),
                problem=Bi(
                    f"no budget for {', '.join(map(str, missing))}: objective "
                    f"{s.objective} needs each province's budget for every year of the horizon",
                    f"{'、'.join(map(str, missing))} 年没有预算：目标函数 {s.objective} "
                    "需要每个省份规划期内每一年的预算",
                ),
            )
    _check_levels(s, years, span, fail)
    _check_uncertainty(s, locate)


UNCERTAIN_MAX = 200
"""Most parameters in `uncertainty`: a sensitivity run evaluates the model at least once more
per parameter for each of its trajectories (Morris) or twice per parameter per sample (Sobol'),
and `stationplan sensitivity` runs at most 2,000 evaluations (model/cli/sizes.py)."""


def value_at(settings: Any, path: str) -> Any:
    """The value at a dotted path of scenario settings (groups.dibao.case_rate), or None when
    the path leads nowhere."""
    node: Any = settings
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif dataclasses.is_dataclass(node) and part in {f.name for f in dataclasses.fields(node)}:
            node = getattr(node, part)
        else:
            return None
    return node


def _check_uncertainty(s: Settings, locate: Any) -> None:
    """`uncertainty` names at most UNCERTAIN_MAX parameters (what each names is checked by
    `stationplan sensitivity`: a `--set` may take away a group whose rate it names)."""
    if len(s.uncertainty) > UNCERTAIN_MAX:
        beyond = list(s.uncertainty)[UNCERTAIN_MAX]  # the file that gave the parameters beyond
        raise InputError(
            locate(("uncertainty", beyond)),
            "uncertainty",
            Bi(
                f"at most {UNCERTAIN_MAX} uncertain parameters (a sensitivity run needs "
                "evaluations of the model in proportion to their number)",
                f"不超过 {UNCERTAIN_MAX} 个不确定参数（敏感性分析的模型求值次数与参数个数成正比）",
            ),
            Verbatim(f"{len(s.uncertainty):,} parameters", f"{len(s.uncertainty):,} 个参数"),
        )


def _check_national_targets(s: Settings, fail: Any) -> None:
    """central.targets name only families a price per station or worker can steer
    (NATIONAL_TARGETS), and need provinces to share them."""
    t = s.central.targets
    named = [f.name for f in dataclasses.fields(t) if f.name != "priority" and getattr(t, f.name)]
    other = [n for n in named if n not in NATIONAL_TARGETS]
    if other:
        raise fail(
            ("central", "targets", other[0]),
            problem=Bi(
                f"{other[0]} cannot be a national target shared by price; national targets are "
                f"counts of stations or workers: {', '.join(NATIONAL_TARGETS)} (give it to each "
                "province in provinces.<name>.targets, or in targets for every province)",
                f"{other[0]} 不能作为按价格在各省间分担的全国目标；全国目标须是站点或社工的数量："
                f"{'、'.join(NATIONAL_TARGETS)}（请写在各省的 provinces.<省>.targets 中，"
                "或写在 targets 中对每个省份适用）",
            ),
        )
    if named and not s.provinces:
        raise fail(
            ("central", "targets"),
            problem=Bi(
                "national targets are shared among provinces: give provinces (each with its "
                "budget), or put the targets in `targets`",
                "全国目标在各省之间分担：请填写 provinces（每省自己的预算），"
                "或把目标写在 targets 中",
            ),
        )


def _check_targets(
    s: Settings, prefix: tuple, targets: Any, years: list, span: Bi, fail: Any
) -> None:
    """Every target's years lie in the horizon and its groups are the scenario's (`prefix`: the
    path of the targets section, targets or provinces.<name>.targets)."""
    for f in dataclasses.fields(targets):
        if f.name == "priority":  # an order of target families, not a target
            continue
        value = getattr(targets, f.name)
        by_group = ("served_share", "service_level_by_group", "min_served_share_by_group")
        nested = f.name in ("workers_by_grade", *by_group)
        for key, inner in value.items() if nested else [(None, value)]:
            base = prefix + (f.name,) + ((key,) if nested else ())
            if f.name in by_group and key not in s.groups:
                close = difflib.get_close_matches(str(key), list(s.groups), n=1)
                raise fail(
                    base,
                    problem=Bi(
                        "names no recipient group of this scenario; expected one of "
                        f"{', '.join(s.groups)}"
                        + (f" (did you mean {close[0]!r}?)" if close else ""),
                        f"不是本情景的服务对象群体；应为以下之一：{'、'.join(s.groups)}"
                        + (f"（是否应为 {close[0]!r}？）" if close else ""),
                    ),
                )
            for year in inner:
                if year not in years:
                    raise fail(base + (year,), span, year)


def _check_levels(s: Settings, years: list, span: Bi, fail: Any) -> None:
    """Centres, sectors, funding sources and travel: rules that span their fields."""
    c = s.centre
    if c.min_supervisors > c.max_supervisors:
        raise fail(
            ("centre", "min_supervisors"),
            Bi(
                f"at most centre.max_supervisors ({c.max_supervisors})",
                f"不超过 centre.max_supervisors（{c.max_supervisors}）",
            ),
            c.min_supervisors,
        )
    for name, sector in s.sectors.items():
        for year in sector.target:
            if year not in years:
                raise fail(("sectors", name, "target", year), span, year)
        if sector.driver is None and sector.need <= 0 and sector.target:
            raise fail(
                ("sectors", name, "need"),
                Bi(
                    "posts needed (need > 0) or a driver column, for the sector's target",
                    "行业的目标需要岗位需求数（need > 0）或驱动列（driver）",
                ),
                sector.need,
            )
    for name, source in s.funding.items():
        for year in source.amount:
            if year not in years:
                raise fail(("funding", name, "amount", year), span, year)
    if s.funding:
        for level, category in (("station", "running"), ("station", "salary")):
            if not any(level in src.levels and category in src.pays for src in s.funding.values()):
                raise fail(
                    ("funding",),
                    problem=Bi(
                        f"no source may pay for the {category} of stations: every open station "
                        f"has that cost; add it to some source's pays (and station to its levels)",
                        f"没有任何资金来源可以支付站点的 {category}：每个开办的站点都有这项支出；"
                        f"请把它加入某个来源的 pays（并在 levels 中包含 station）",
                    ),
                )
    needs_travel = (
        (
            ("catchment", "max_minutes"),
            s.catchment.max_minutes is not None,
            "catchments need",
            "服务片区需要",
        ),
        (
            ("targets", "access"),
            bool(s.targets.access),
            "an access target needs",
            "可达人口比例目标需要",
        ),
    )
    for path, wanted, en, zh in needs_travel:
        if wanted and s.region.travel is None:
            raise fail(
                path,
                problem=Bi(
                    f"{en} travel minutes between townships: add region.travel "
                    "(a CSV of from,to,minutes, or synthetic)",
                    f"{zh}乡镇之间的出行时间：请填写 region.travel"
                    "（from,to,minutes 的 CSV 文件，或 synthetic）",
                ),
            )


def _check_provinces(s: Settings, table: pd.DataFrame, locate: Any) -> None:
    """With `provinces`, the township table has a `province` column, every province of the
    section is in it and every township's province is in the section; funding sources and
    sector posts, amounts for the whole region, cannot be split among provinces."""
    for section, present in (("funding", bool(s.funding)), ("sectors", bool(s.sectors))):
        if present:
            raise InputError(
                locate((section,)),
                section,
                "",
                problem=Bi(
                    f"a scenario planned province by province (provinces) cannot have {section}: "
                    "its amounts are the whole region's; plan a province's scenario on its own",
                    f"按省份分别规划的情景（provinces）不能包含 {section}：其金额针对整个地区；"
                    "请为单个省份的情景单独规划",
                ),
            )
    if "province" not in table.columns:
        raise InputError(
            locate(("provinces",)),
            "provinces",
            "",
            problem=Bi(
                "the township table has no province column (real divisions have one; a table "
                "file needs it to be planned province by province)",
                "乡镇表没有 province（省份）列（真实区划自带此列；乡镇表文件须有此列才能按省规划）",
            ),
        )
    have = list(dict.fromkeys(table["province"].astype(str)))
    for name in s.provinces:
        if name not in have:
            close = difflib.get_close_matches(name, have, n=1)
            raise InputError(
                locate(("provinces", name)),
                f"provinces.{name}",
                Bi("a province of the township table: ", "乡镇表中的省份：") + ", ".join(have[:40]),
                name,
                hint=did_you_mean(close[0]) if close else None,
            )
    left = [p for p in have if p not in s.provinces]
    if left:
        raise InputError(
            locate(("provinces",)),
            "provinces",
            "",
            problem=Bi(
                f"{len(left)} province(s) of the township table have no entry, e.g. {left[0]}: "
                "every province needs its budget",
                f"乡镇表中有 {len(left)} 个省份没有填写，如 {left[0]}：每个省份都需要自己的预算",
            ),
        )


BUDGET_PER_TOWNSHIP_MAX = 1000.0
"""万元 per township-year above which a budget is taken to be typed in 元: a station of the most
workers (8 × 6.5 万元 salary + 4 running + 6 setup ≈ 62 万元 a year at base.yaml's costs) costs a
sixteenth of it."""

BUDGET_TOTAL_MIN = 1.0
"""万元 over all years below which a budget (not zero) is taken to be typed in 亿元: less than a
single worker's salary for a month."""


def _money(value: float) -> str:
    """万元 or 元 for a message: thousands separators, at most two decimals."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text


def check_budget_units(s: Settings, townships: int, locate: Any) -> None:
    """A budget implausible for the region's size is an error that suggests the unit it was typed
    in: more than BUDGET_PER_TOWNSHIP_MAX 万元 per township in a year (元?) or, over all years,
    more than nothing but less than BUDGET_TOTAL_MIN 万元 (亿元?)."""
    for year, money in s.budget.items():
        if townships and money / townships > BUDGET_PER_TOWNSHIP_MAX:
            raise InputError(
                locate(("budget", year)),
                f"budget.{year}",
                "",
                problem=Bi(
                    f"{_money(money)} 万元 for {townships:,} townships is "
                    f"{_money(round(money / townships))} 万元 per township — was it typed in 元? "
                    f"{_money(money)} 元 = {_money(money / 1e4)} 万元 (the budget is in 万元, "
                    f"10,000 yuan; at most {BUDGET_PER_TOWNSHIP_MAX:,.0f} 万元 per township-year "
                    "is taken as plausible)",
                    f"{townships:,} 个乡镇共 {_money(money)} 万元，每个乡镇 "
                    f"{_money(round(money / townships))} 万元——是否按“元”填写了？"
                    f"{_money(money)} 元 = {_money(money / 1e4)} 万元（预算的单位是万元；"
                    f"每个乡镇每年不超过 {BUDGET_PER_TOWNSHIP_MAX:,.0f} 万元才算合理）",
                ),
            )
    total = sum(s.budget.values())
    if 0 < total < BUDGET_TOTAL_MIN:
        raise InputError(
            locate(("budget",)),
            "budget",
            "",
            problem=Bi(
                f"{_money(total)} 万元 in all for {townships:,} townships over "
                f"{len(s.budget)} year(s) is less than {BUDGET_TOTAL_MIN:g} 万元 — was it typed in "
                f"亿元? {_money(total)} 亿元 = {_money(total * 1e4)} 万元 (the budget is in 万元, "
                "10,000 yuan)",
                f"{townships:,} 个乡镇 {len(s.budget)} 年合计 {_money(total)} 万元，"
                f"不足 {BUDGET_TOTAL_MIN:g} 万元——是否按“亿元”填写了？"
                f"{_money(total)} 亿元 = {_money(total * 1e4)} 万元（预算的单位是万元）",
            ),
        )


def check_townships(s: Settings, table: pd.DataFrame, locate: Any) -> None:
    """Rules between the scenario and its township table (and its boundaries, when given),
    and the budget's unit (check_budget_units)."""
    check_budget_units(s, len(table), locate)
    if s.report.boundaries:
        from model.inputs.boundaries import read_boundaries

        if not is_regular_file(s.report.boundaries):  # named where it was set
            raise InputError(
                locate(("report", "boundaries")),
                "report.boundaries",
                Bi("an existing GeoJSON file", "已存在的 GeoJSON 文件"),
                display_path(s.report.boundaries),
            )
        shapes = read_boundaries(Path(s.report.boundaries), s.report.boundary_id)
        known = set(table["township_id"].astype(str))
        if not known & set(shapes):
            raise InputError(
                locate(("report", "boundaries")),
                "report.boundaries",
                Bi(
                    f"features whose {s.report.boundary_id!r} matches the township table's "
                    "township_id",
                    f"{s.report.boundary_id!r} 与乡镇表 township_id 一致的边界要素",
                ),
                problem=Bi(
                    "no feature matches a township of the table",
                    "边界文件中没有一个要素与乡镇表中的乡镇对应",
                ),
            )
    for name, sector in s.sectors.items():
        if sector.driver is not None and sector.driver not in table.columns:
            raise InputError(
                locate(("sectors", name, "driver")),
                f"sectors.{name}.driver",
                Bi(
                    "a column of the township table: " + ", ".join(map(str, table.columns)),
                    "乡镇表中的一列：" + "、".join(map(str, table.columns)),
                ),
                sector.driver,
            )
    if s.provinces:
        _check_provinces(s, table, locate)
    counties = set(table["county"].astype(str))
    for name, source in s.funding.items():
        unknown = [c for c in source.counties if c not in counties]
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(counties), n=1)
            raise InputError(
                locate(("funding", name, "counties")),
                f"funding.{name}.counties",
                Bi("county names of the township table", "乡镇表中的县区名称"),
                unknown[0],
                problem=Bi(
                    f"{unknown[0]!r} is not a county of this region"
                    + (f" (did you mean {close[0]!r}?)" if close else ""),
                    f"{unknown[0]!r} 不是本地区的县区"
                    + (f"（是否应为 {close[0]!r}？）" if close else ""),
                ),
            )
    if s.targets.workers_per_100_care_beds and table["care_beds"].sum() <= 0:
        raise InputError(
            locate(("targets", "workers_per_100_care_beds")),
            "targets.workers_per_100_care_beds",
            "",
            problem=Bi(
                "the township table has no care_beds (column missing or all zero), "
                "so this target cannot be measured",
                "乡镇表没有养老床位数（care_beds 列缺失或全为 0），无法衡量这一目标",
            ),
        )


def declared_language(path: str | Path, overrides: Iterable[str] = ()) -> str | None:
    """The `report.language` a scenario file (or a `--set report.language=...`) declares,
    following `extends`; None when none is declared or the file cannot be read.

    Used to speak the user's language before the scenario is validated (its error messages);
    never raises.
    """
    for text in overrides:
        key, _, value = str(text).partition("=")
        if key.strip() == "report.language" and value.strip() in ("zh", "en"):
            return value.strip()
    try:
        path = Path(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from model.inputs.workbook import read_workbook

            data, _ = read_workbook(path)
            chain = [data]
        else:
            chain = []
            seen: set[Path] = set()
            current: Path | None = path.resolve()
            while (
                current is not None
                and current not in seen
                and len(seen) < EXTENDS_MAX
                and current.is_file()
                and current.stat().st_size <= SCENARIO_BYTES_MAX  # load_scenario says why
            ):
                seen.add(current)
                data = yaml.safe_load(current.read_text(encoding="utf-8"))
                if not isinstance(data, dict):
                    break
                chain.append(data)
                parent = data.get("extends")
                current = (current.parent / parent).resolve() if isinstance(parent, str) else None
        for data in chain:
            report = data.get("report")
            if isinstance(report, dict) and report.get("language") in ("zh", "en"):
                return str(report["language"])
    except Exception:  # noqa: BLE001 - unreadable input is reported by load_scenario itself
        return None
    return None


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Load, merge, override and validate a scenario file and its township table.

    The file is YAML, or a workbook (.xlsx) as `stationplan template` writes, which is read to
    the same settings (model.inputs.workbook) and checked the same way.

    Raises :class:`model.errors.InputError` with one clear message on any bad input.
    """
    path = Path(path)
    if not is_regular_file(path):
        raise InputError(path, None, "", problem=Bi("scenario file not found", "找不到情景文件"))
    overrides = tuple(overrides)
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # a workbook (stationplan template)
        from model.inputs.workbook import read_workbook

        data, origin = read_workbook(path)
    else:
        data, origin = load_chain(path)
    apply_overrides(data, origin, overrides)
    locate = make_locate(origin, display_path(path))
    return _validated(data, locate, source=path.resolve(), overrides=overrides)


def with_overrides(sc: Scenario, overrides: Iterable[str] | Mapping[str, Any]) -> Scenario:
    """`sc` with values changed, checked exactly as a file with `--set` is; see
    Scenario.with_overrides."""
    parsed = parse_overrides(overrides)  # once: `overrides` may be an iterator
    before = sc.settings_dict()
    data = copy.deepcopy(before)
    origin: Origin = {}
    apply_parsed(data, origin, parsed)
    locate = make_locate(origin, sc.source_label)
    keep = travel = None
    if data.get("region") == before.get("region") and list(data.get("groups") or {}) == list(
        sc.groups
    ):  # same table, same groups: no need to read it again
        keep = (sc.townships, sc.townships_source)
        if (data.get("simulation") or {}).get("seed") == before["simulation"]["seed"]:
            travel = (sc.travel, sc.travel_source)  # synthetic travel is drawn from the seed
    return _validated(
        data,
        locate,
        source=sc.source,
        overrides=tuple(sc.overrides) + tuple(t for t, _, _ in parsed),
        table=keep,
        travel=travel,
    )


def _validated(
    data: dict,
    locate: Any,
    source: Path | None,
    overrides: tuple[str, ...],
    table: tuple[pd.DataFrame, str] | None = None,
    travel: tuple[pd.DataFrame | None, str] | None = None,
) -> Scenario:
    """The Scenario from merged data: settings built and checked, the township table read (or the
    given one kept) and checked against them, the travel minutes read or drawn (or the given
    ones kept)."""
    from model.inputs.census import calibrate_to_census, published_groups
    from model.inputs.divisions import select_divisions
    from model.inputs.synth import synthesize, synthesize_units
    from model.inputs.townships import read_townships, validate_townships

    settings = build(Settings, data, (), locate)
    check_settings(settings, locate)
    if table is not None:
        frame, table_source = table
    elif settings.region.townships is not None:
        table_path = Path(settings.region.townships)
        if not is_regular_file(table_path):
            raise InputError(
                locate(("region", "townships")),
                "region.townships",
                Bi("an existing township table (CSV or XLSX)", "已存在的乡镇表（CSV 或 XLSX）"),
                display_path(table_path),
            )
        labels = {g: group.label for g, group in settings.groups.items()}
        frame = read_townships(table_path, list(settings.groups), labels)
        table_source = display_path(table_path)
    else:
        syn = settings.region.synthetic
        if settings.region.divisions is not None:
            units = select_divisions(
                settings.region.divisions, source=locate(("region", "divisions"))
            )
            frame = calibrate_to_census(
                synthesize_units(units, syn.profile, seed=syn.seed, coverage=syn.coverage)
            )
        else:
            frame = synthesize(
                syn.profile,
                townships=syn.townships,
                counties=syn.counties,
                seed=syn.seed,
                coverage=syn.coverage,
            )
        missing = [g for g in settings.groups if g not in frame.columns]
        if missing:
            raise InputError(
                locate(("groups", missing[0])),
                f"groups.{missing[0]}",
                "",
                problem=Bi(
                    "a synthetic region has no column for this group; synthetic regions carry "
                    "the standard groups only (see docs/data.md)",
                    "合成地区没有这个群体的数据；合成地区只含标准服务对象群体（见 docs/data.md）",
                ),
            )
        synthetic = Bi("synthetic region", "合成地区")
        frame = validate_townships(frame, list(settings.groups), synthetic)
        coverage = "" if syn.coverage is None else f" coverage={syn.coverage:g}"
        table_source = (
            f"synthetic: profile={syn.profile} townships={syn.townships or 'profile'} "
            f"counties={syn.counties or 'profile'} seed={syn.seed}{coverage}"
        )
        if settings.region.divisions is not None:
            table_source = (
                f"divisions: {', '.join(settings.region.divisions)} (official 2023 codes and "
                f"names, {len(frame)} units); population and 60+ share matched to the 7th census "
                f"(2020) at the finest published level (population_source, elderly_source), "
                f"{', '.join(published_groups())} counts at the published civil-affairs rates "
                f"per resident (groups_source), spread over units and all other figures "
                f"synthetic: profile={syn.profile} seed={syn.seed}{coverage}"
            )
    check_townships(settings, frame, locate)
    values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(Settings)}
    sc = Scenario(
        **values, townships=frame, source=source, overrides=overrides, townships_source=table_source
    )
    if travel is None:
        from model.inputs.travel import travel_minutes, travel_source

        travel = (travel_minutes(sc, locate), travel_source(sc))
    if travel[0] is None:
        return sc
    return dataclasses.replace(sc, travel=travel[0], travel_source=travel[1])
