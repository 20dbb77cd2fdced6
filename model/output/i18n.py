"""Every label and sentence a person reads, in Chinese (`zh`, the default) and English (`en`).

    t("target.coverage", "zh")                        # -> "覆盖率"
    t("workshop.title", "en", name="赣州", met=5, n=6)   # sentences take str.format fields

Figures, the report, the workshop deck and experiment folders take their words from here (the
console's lines are English for now); a key missing in one language is an error in the test
suite, not a silent fallback. Keys are "section.name": `target.*` and `grade.*` (one per name
in model.vocabulary's TARGETS and GRADES), `output.*` (sensitivity outputs), `fig.*`,
`report.*`, `workshop.*`, `experiments.*`.
"""

from __future__ import annotations

from typing import Any

from model.vocabulary import GRADE_NAMES_ZH, GRADES, TARGET_NAMES_ZH, TARGETS

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ targets and grades
    # target.* and grade.*: from model.vocabulary (TARGET_NAMES_ZH, GRADE_NAMES_ZH), below
    # ------------------------------------------------------------------ figures
    # plan: roll-out, maps, staffing, money, targets
    "fig.rollout_title": {
        "zh": "社工站建设进度与覆盖率（{n} 规划前已建）",
        "en": "Stations opened and coverage ({n} before the plan)",
    },
    "fig.opened": {"zh": "新建站点数", "en": "stations opened"},
    "fig.coverage": {"zh": "覆盖率", "en": "coverage"},
    "fig.coverage_pct": {"zh": "覆盖率 (%)", "en": "coverage (%)"},
    "fig.coverage_target": {"zh": "覆盖率目标", "en": "coverage target"},
    "fig.existing": {"zh": "规划前已建", "en": "before the plan"},
    "fig.tiles": {
        "zh": "各县乡镇（街道）社工站建成年份",
        "en": "Townships by county: year the station opens",
    },
    "fig.tiles_service": {
        "zh": "各乡镇（街道）模拟服务达标率",
        "en": "Townships by county: simulated service level",
    },
    "fig.no_station": {"zh": "未建站", "en": "no station"},
    "fig.no_boundary": {"zh": "无边界的乡镇：{ids}", "en": "no boundary: {ids}"},
    # catchments on the township maps (plan.csv served_by; model.output.figures.maps)
    "map.served_by": {
        "zh": "由邻近站点服务（{year} 年）",
        "en": "served by a nearby station ({year})",
    },
    "map.catchment_title": {
        "zh": "{year} 年服务片区：{stations} 个站点，{served} 个无站乡镇由邻近站点服务",
        "en": "Catchments {year}: {stations} stations, {served} townships served by a neighbour",
    },
    "map.catchment_station": {"zh": "有社工站", "en": "station"},
    "map.catchment_served": {"zh": "由邻近站点服务", "en": "served by a nearby station"},
    "map.catchment_none": {"zh": "无站、无人服务", "en": "no station, not served"},
    "map.caption_catchments": {
        "zh": "示意图：每乡镇（街道）一格，按区划代码顺序排列，不表示地理位置；连线指向服务站点",
        "en": "Schematic: one tile per township in code order, not geography; lines point to "
        "the serving station",
    },
    "map.catchment_link": {
        "zh": "服务片区连线（乡镇—服务站点）",
        "en": "catchment link (township to its station)",
    },
    # the county map (figures/map_counties.png)
    "map.coverage": {"zh": "{year} 年各县覆盖率", "en": "Coverage by county, {year}"},
    "map.workers": {"zh": "{year} 年各县社工人数", "en": "Workers by county, {year}"},
    "map.served": {"zh": "{year} 年各县服务需求满足率", "en": "Served share by county, {year}"},
    "map.caption_geo": {
        "zh": "示意图：每县一格，按县城经纬度的相对位置排列（坐标：cpca 0.5.5，MIT），"
        "非行政边界；开发区等无坐标者用所在市的位置",
        "en": "Schematic: one tile per county, placed by its seat's relative longitude and "
        "latitude (points: cpca 0.5.5, MIT), not boundaries; development zones take their "
        "prefecture's point",
    },
    "map.caption_townships": {
        "zh": "示意图：一县之内每乡镇（街道）一格，按区划代码顺序排列，不表示地理位置",
        "en": "Schematic: one tile per township of the county, in code order, not geography",
    },
    "map.caption_codes": {
        "zh": "示意图：合成区域的县按代码顺序排列，不表示地理位置",
        "en": "Schematic: the synthetic region's counties in code order, not geography",
    },
    "fig.staffing": {"zh": "各等级社工人数", "en": "Workers by grade"},
    "fig.workers": {"zh": "人数", "en": "workers"},
    "fig.certified_share_pct": {"zh": "持证比例 (%)", "en": "certified share (%)"},
    "fig.certified_share": {"zh": "持证比例", "en": "certified share"},
    "fig.per_1000": {"zh": "每千名老人社工数", "en": "workers per 1,000 elderly"},
    "fig.per_1000_axis": {
        "zh": "每千名老人社工数（人）",
        "en": "workers per 1,000 elderly (workers)",
    },
    "fig.other_counties": {"zh": "其他（{n} 个县区）", "en": "others ({n} counties)"},
    "fig.target_certified": {"zh": "目标: 持证比例", "en": "target: certified share"},
    "fig.target_per_1000": {
        "zh": "目标: 每千名老人社工数",
        "en": "target: workers per 1,000 elderly",
    },
    "fig.ratios": {
        "zh": "持证比例与每千名老人社工数",
        "en": "Certified share and workers per 1,000 elderly",
    },
    "fig.money": {"zh": "各项支出与年度预算", "en": "Spend by item against the budget"},
    "fig.setup": {"zh": "站点建设", "en": "station setup"},
    "fig.running": {"zh": "站点运营", "en": "station running"},
    "fig.salary": {"zh": "人员薪酬", "en": "salaries"},
    "fig.training": {"zh": "持证培训", "en": "certification training"},
    "fig.budget": {"zh": "预算", "en": "budget"},
    "fig.wan": {"zh": "万元", "en": "10,000 yuan"},
    "fig.funding": {
        "zh": "各资金来源每年使用的资金（短横线：可用资金）",
        "en": "Money used by source per year (dashes: money available)",
    },
    "fig.funding_available": {"zh": "{source} 可用", "en": "{source} available"},
    "fig.targets": {"zh": "目标完成情况", "en": "Targets: met or short"},
    "fig.target_with_key": {"zh": "{name}（{which}）", "en": "{name} ({which})"},
    "fig.achieved_pct": {"zh": "完成度（占目标 %）", "en": "achieved, % of required"},
    "fig.met": {"zh": "已完成", "en": "met"},
    "fig.short": {"zh": "未完成 {shortfall:.4g} {unit}", "en": "short {shortfall:.4g} {unit}"},
    # simulation
    "fig.service_title": {
        "zh": "模拟服务情况（{year}年）",
        "en": "Service in the simulation ({year})",
    },
    "fig.wait": {"zh": "平均等待（天）", "en": "mean wait (days)"},
    "fig.stations_n": {"zh": "站点数", "en": "stations"},
    "fig.unmet_by_group": {"zh": "各群体未满足服务时长", "en": "unmet client hours by group"},
    "fig.hours": {"zh": "小时/年", "en": "hours/year"},
    "fig.utilisation_pct": {"zh": "社工工作负荷 (%)", "en": "utilisation (%)"},
    # equity: served share against need
    "fig.equity_title": {
        "zh": "各乡镇（街道）服务需求满足率与需求量（{year}年）",
        "en": "Served share against need, by township ({year})",
    },
    "fig.need_hours": {
        "zh": "服务需求（小时/年，对数刻度）",
        "en": "need (client hours a year, log scale)",
    },
    "fig.planned": {"zh": "规划", "en": "plan"},
    "fig.simulated": {"zh": "模拟", "en": "simulation"},
    "fig.remote_q1": {"zh": "最不偏远的 1/4", "en": "least remote quarter"},
    "fig.remote_q2": {"zh": "较不偏远的 1/4", "en": "second quarter"},
    "fig.remote_q3": {"zh": "较偏远的 1/4", "en": "third quarter"},
    "fig.remote_q4": {"zh": "最偏远的 1/4", "en": "most remote quarter"},
    # experiments: frontier, comparison, sensitivity
    "fig.every_target_met": {"zh": "全部目标完成", "en": "every target met"},
    "fig.a_target_missed": {"zh": "有目标未完成", "en": "a target missed"},
    "fig.no_plan": {"zh": "无规划（原因见资金水平表）", "en": "no plan (why: see the table)"},
    "fig.served_in_simulation": {"zh": "模拟满足率", "en": "served in simulation"},
    "fig.knee": {"zh": "拐点", "en": "knee"},
    "fig.least_budget": {"zh": " 实现全部目标的最低预算", "en": " least budget for every target"},
    "fig.least_budget_why": {
        "zh": "最低预算按年最优分配资金；各资金水平按原年度预算同比例缩放，"
        "总额更高也可能因某年资金不足而未达标。",
        "en": "The least budget puts each year's money where it is needed; the levels scale the "
        "planned yearly budgets, so a level with more in total can still miss a target in a "
        "year that is short.",
    },
    "fig.total_budget": {
        "zh": "规划期总预算（万元）",
        "en": "total budget over the horizon (10,000 yuan)",
    },
    "fig.served_pct": {"zh": "服务需求满足率（%）", "en": "client hours served (% of need)"},
    "fig.served_pct_horizon": {
        "zh": "规划期平均服务需求满足率（%）",
        "en": "client hours served, average over the horizon (% of need)",
    },
    "fig.frontier_title": {"zh": "不同资金水平的服务产出", "en": "What each funding level buys"},
    "fig.compare_coverage": {"zh": "覆盖率（%）", "en": "coverage (%)"},
    "fig.compare_workers": {"zh": "社工人数", "en": "workers"},
    "fig.compare_spend": {"zh": "支出（万元）", "en": "spend (10,000 yuan)"},
    "fig.compare_served": {"zh": "服务需求满足率（%）", "en": "client hours served (%)"},
    "fig.access_title": {
        "zh": "到最近社工站的通行时间：人口累计比例",
        "en": "Travel time to the nearest station: share of the population within",
    },
    "fig.access_x": {
        "zh": "到最近社工站的通行时间（分钟）",
        "en": "minutes to the nearest station",
    },
    "fig.access_y": {"zh": "可到达的人口比例（%）", "en": "population within (%)"},
    "fig.access_year": {"zh": "{year} 年", "en": "{year}"},
    "fig.access_synthetic": {
        "zh": "通行时间为合成数据（按假定的几何生成，非实测）",
        "en": "synthetic travel times (an assumed geometry, not measured)",
    },
    "fig.compare_title": {"zh": "方案比较", "en": "Scenarios compared"},
    "fig.at_low": {"zh": "参数取低值", "en": "parameter at its low value"},
    "fig.at_high": {"zh": "参数取高值", "en": "parameter at its high value"},
    "fig.tornado_title": {
        "zh": "{name}的敏感性（单因素）",
        "en": "Sensitivity of {name} (one at a time)",
    },
    "fig.mu_star": {"zh": "mu*（平均绝对基本效应）", "en": "mu* (mean absolute elementary effect)"},
    "fig.sigma": {
        "zh": "sigma（离散度：交互与非线性）",
        "en": "sigma (spread: interactions, non-linearity)",
    },
    "fig.morris_title": {"zh": "{name}的 Morris 筛选", "en": "Morris screening of {name}"},
    "fig.s1": {"zh": "一阶指数 S1", "en": "first order S1"},
    "fig.st": {"zh": "总效应指数 ST", "en": "total ST"},
    "fig.sobol_title": {"zh": "{name}的 Sobol 指数", "en": "Sobol indices of {name}"},
    "output.workers_needed": {"zh": "所需社工人数", "en": "workers_needed"},
    "output.served_share": {"zh": "服务需求满足率", "en": "served_share"},
    "output.least_budget": {"zh": "最低预算（万元）", "en": "least_budget"},
    # ------------------------------------------------------------------ report
    "report.html_lang": {"zh": "zh-CN", "en": "en"},
    "report.title": {"zh": "社工站规划结果", "en": "Social work station plan"},
    "report.key": {"zh": "关键数字", "en": "Key numbers"},
    "report.coverage": {"zh": "覆盖率 {year}", "en": "Coverage {year}"},
    "report.coverage_value": {
        "zh": "{coverage:.0%} · {stations:,} / {townships:,} 个乡镇有站点",
        "en": "{coverage:.0%} · {stations:,} / {townships:,} townships with a station",
    },
    "report.certified": {"zh": "{year} 持证社工", "en": "Certified workers {year}"},
    "report.of_workers": {
        "zh": "{n:,} / {total:,} 名社工",
        "en": "{n:,} / {total:,} workers",
    },
    "report.of_budget": {
        "zh": "{amount:,.0f} / {budget:,.0f} 万元预算",
        "en": "{amount:,.0f} / {budget:,.0f} 万元 budget (10,000 yuan)",
    },
    "report.targets": {"zh": "目标完成", "en": "Targets met"},
    "report.spent": {"zh": "{years} 支出合计", "en": "Money spent, {years} total"},
    "report.wan": {"zh": "{amount:,.0f} 万元", "en": "{amount:,.0f} 万元 (10,000 yuan)"},
    "report.served_year": {"zh": "{year} 服务需求满足率", "en": "Client hours served {year}"},
    "report.served_sim": {"zh": "{share:.0%} 模拟满足率", "en": "{share:.0%} in the simulation"},
    "report.reached": {
        "zh": "{year} 服务对象（已服务 / 各类困难群体）",
        "en": "People reached {year} (of people in the groups served)",
    },
    "report.of_people": {
        "zh": "{n:,.0f} / {total:,.0f} 人",
        "en": "{n:,.0f} / {total:,.0f} people",
    },
    "report.least": {"zh": "实现全部目标的最低预算", "en": "Least budget meeting every target"},
    "report.unreachable": {
        "zh": "在招聘与编制限制下无法实现全部目标",
        "en": "no budget meets every target under the hiring and staffing limits",
    },
    "report.extra": {"zh": "需追加 {amount:,.0f}", "en": "extra needed {amount:,.0f}"},
    "report.figures": {"zh": "图表", "en": "Figures"},
    "report.tables": {"zh": "表格", "en": "Tables"},
    "report.summary": {"zh": "年度汇总", "en": "Summary by year"},
    "report.target_table": {"zh": "目标", "en": "Targets"},
    "report.tradeoffs": {
        "zh": "未达成目标的取舍：达成所需的资金，及在现有预算下优先达成对其他目标与服务的影响"
        "（tradeoffs.csv）",
        "en": "Trade-offs of the unmet targets: the money that would meet each, and what "
        "meeting it first at the present budget would cost the other targets and the service "
        "(tradeoffs.csv)",
    },
    "report.to_target": {"zh": "目标", "en": "Target"},
    "report.to_year": {"zh": "年份", "en": "Year"},
    "report.to_short": {"zh": "缺口", "en": "Short by"},
    "report.to_reachable": {"zh": "增加资金能否达成", "en": "Can money meet it"},
    "report.to_yes": {"zh": "能", "en": "yes"},
    "report.to_no": {"zh": "不能（招聘与编制限制）", "en": "no (hiring pools, staffing limits)"},
    "report.to_extra": {"zh": "当年需追加（万元）", "en": "Extra money that year (万元)"},
    "report.to_extra_all": {"zh": "各年合计需追加（万元）", "en": "Extra money, all years (万元)"},
    "report.to_first": {"zh": "优先达成后仍缺", "en": "Still short when put first"},
    "report.to_pushes": {"zh": "优先达成时挤出的目标", "en": "Targets it pushes out when first"},
    "report.to_hours": {"zh": "服务小时变化", "en": "Change in served client hours"},
    "report.to_note": {"zh": "说明", "en": "Note"},
    "report.unit_stations": {"zh": "个站点", "en": "stations"},
    "report.unit_workers": {"zh": "名社工", "en": "workers"},
    "report.unit_points": {"zh": "个百分点", "en": "share points"},
    "report.replication": {
        "zh": "与公开数据对照（通过区间事先设定；来源见 replication.csv）",
        "en": "Published figures and the model (pass bands set in advance; sources in "
        "replication.csv)",
    },
    "report.rep_figure": {"zh": "公开数据", "en": "Published figure"},
    "report.rep_published": {"zh": "公开值", "en": "Published"},
    "report.rep_band": {"zh": "通过区间", "en": "Pass band"},
    "report.rep_model": {"zh": "模型", "en": "Model"},
    "report.rep_unit": {"zh": "单位", "en": "Unit"},
    "report.rep_ok": {"zh": "是否通过", "en": "Within band"},
    "report.rep_yes": {"zh": "✓ 通过", "en": "✓ yes"},
    "report.rep_no": {"zh": "✗ 未通过", "en": "✗ no"},
    "report.rep_role": {"zh": "用途", "en": "Use"},
    "report.rep_fit": {"zh": "校准目标", "en": "fitted"},
    "report.rep_check": {"zh": "检验", "en": "check"},
    "report.loop": {"zh": "规划—模拟循环", "en": "Plan–simulation loop"},
    # why the loop stopped: English is model.loop's own sentence ({why})
    "report.loop_converged": {
        "zh": "已收敛：各站点规划的按时服务率与模拟结果一致（{rounds} 轮）",
        "en": "{why}",
    },
    "report.loop_stuck": {
        "zh": "未收敛：按时服务率表已不再变化，仍有站点年份不一致——实测的按时率使规划"
        "在两个人员配置之间来回（{rounds} 轮）",
        "en": "{why}",
    },
    "report.loop_rounds": {"zh": "未收敛：已达最多轮数（{rounds} 轮）", "en": "{why}"},
    "report.loop_judged": {
        "zh": "最终规划在循环未用过的随机种子（第 {replications} 次重复）上重新模拟，"
        "作样本外检验：{agree} / {total} 个站点年份的规划按时服务率落在模拟的 95% 置信区间内"
        "（即使规划完全准确，约二十分之一也会因随机波动落在区间外；逐一见 service_check.csv）。",
        "en": "The final plan was simulated again on seeds the loop never used (replications "
        "{replications}), out of sample: in {agree} of {total} station-years the planned on-time "
        "share lies within the simulation's 95% interval (even an exact plan would miss about 1 "
        "in 20 by chance; service_check.csv lists each).",
    },
    # equity (model.plan.equity; equity.csv)
    "report.equity": {"zh": "公平性", "en": "Equity"},
    "report.changes": {"zh": "减员与服务下降", "en": "Where the plan cuts staff or service"},
    "report.changes_lead": {
        "zh": "共有 {count} 个乡镇-年度的社工数或服务小时比上一年减少（changes.csv 逐一列出原因）；"
        "服务小时减少最多的 {n} 个：",
        "en": "Workers or served hours fall against the year before in {count} township-years "
        "(changes.csv gives each with its reason); the {n} that lose most served hours:",
    },
    "report.equity_note": {
        "zh": "服务需求满足率 = 可完成的服务时长 / 服务需求时长（未建站的乡镇为 0）。基尼系数"
        "（0 为完全均等）与帕尔马比值（满足率最高的 10% 需求所得服务时长 / 最低的 40% 所得；"
        "完全均等时为 0.25）按各乡镇需求时长加权；偏远度四分位按乡镇表的偏远度（remoteness）"
        "把乡镇分为数量相等的四组，各年相同。逐项见 equity.csv。",
        "en": "Served share = client hours served / client hours needed (0 in a township "
        "without a station). The Gini coefficient (0: all equal) and the Palma ratio (hours "
        "served to the best-served 10% of need over those to the worst-served 40%; 0.25 when "
        "all are equal) weigh each township by its need; the remoteness quartiles split the "
        "townships by the township table's remoteness into four groups of equal count, the "
        "same in every year. Every measure is in equity.csv.",
    },
    "report.equity_quartiles": {
        "zh": "{year}年（{source}）：最偏远的 1/4 乡镇服务需求满足率为 {remote:.0%}（平均每乡镇 "
        "{remote_workers:.1f} 名社工），最不偏远的 1/4 为 {near:.0%}（{near_workers:.1f} 名）。",
        "en": "{year} ({source}): the most remote quarter of townships gets {remote:.0%} of its "
        "need served ({remote_workers:.1f} workers each), the least remote {near:.0%} "
        "({near_workers:.1f}).",
    },
    "report.equity_lowest": {
        "zh": "{year}年（{source}）服务需求满足率最低的乡镇是{county}{name}，为 {share:.0%}；"
        "{below30} / {n} 个乡镇低于 30%，{below60} / {n} 个低于 60%。",
        "en": "{year} ({source}): the lowest served share is {name} ({county}), {share:.0%}; "
        "{below30} of {n} townships are under 30%, {below60} under 60%.",
    },
    "report.equity_lowest_station": {
        "zh": "有站点的乡镇中最低的是{county}{name}，为 {share:.0%}。",
        "en": "Among townships with a station the lowest is {name} ({county}), {share:.0%}.",
    },
    "report.eq_plan": {"zh": "规划", "en": "plan"},
    "report.eq_sim": {"zh": "模拟", "en": "simulation"},
    "report.eq_by_year": {"zh": "逐年公平性指标（{source}）", "en": "Equity by year ({source})"},
    "report.eq_by_county": {
        "zh": "各县（区）服务需求满足率（{year}年）",
        "en": "Served share by county ({year})",
    },
    "report.eq_by_group": {"zh": "各服务对象群体（{year}年）", "en": "By group ({year})"},
    "report.eq_year": {"zh": "年份", "en": "year"},
    "report.eq_served": {"zh": "满足率", "en": "served share"},
    "report.eq_gini": {"zh": "基尼系数", "en": "Gini"},
    "report.eq_palma": {"zh": "帕尔马比值", "en": "Palma"},
    "report.eq_lowest": {"zh": "最低满足率", "en": "lowest share"},
    "report.eq_lowest_town": {"zh": "最低的乡镇", "en": "lowest township"},
    "report.eq_below30": {"zh": "低于 30% 的乡镇", "en": "townships under 30%"},
    "report.eq_below60": {"zh": "低于 60% 的乡镇", "en": "townships under 60%"},
    "report.eq_q1": {"zh": "Q1 最不偏远", "en": "Q1 least remote"},
    "report.eq_q2": {"zh": "Q2", "en": "Q2"},
    "report.eq_q3": {"zh": "Q3", "en": "Q3"},
    "report.eq_q4": {"zh": "Q4 最偏远", "en": "Q4 most remote"},
    "report.eq_county": {"zh": "县（区）", "en": "county"},
    "report.eq_group": {"zh": "群体", "en": "group"},
    "report.eq_group_hours": {
        "zh": "服务时长满足率（规划）",
        "en": "client hours served (plan)",
    },
    "report.eq_group_reach": {"zh": "触达率（模拟，人）", "en": "persons reached (simulation)"},
    "report.made": {"zh": "由 stationplan 生成", "en": "Made by stationplan"},
    # access (model.plan.access; access.csv, nearest_station.csv)
    "report.access": {"zh": "到社工站的通行时间", "en": "Access: travel time to a station"},
    "report.access_line": {
        "zh": "{year} 年：{within} / {total} 人（{share:.0%}）在 {minutes} 分钟内可到达社工站。",
        "en": "{year}: {within} of {total} people ({share:.0%}) live within {minutes} minutes of "
        "a station.",
    },
    "report.access_note": {
        "zh": "每个乡镇按一个点计：全体居民到社工站的时间取该乡镇到最近的已建站乡镇的通行时间，"
        "本乡镇有站为 0 分钟。逐年逐档见 access.csv，各乡镇见 nearest_station.csv。",
        "en": "Each township counts as one point: all its residents are as far from a station as "
        "the township is from the nearest township with a station (0 minutes with its own). "
        "access.csv has every year and threshold, nearest_station.csv every township.",
    },
    "report.access_synthetic": {
        "zh": "注意：本情景的通行时间为合成数据（按县城位置、假定的县域面积、绕行系数和车速生成，"
        "见 docs/method.md“通行时间与可达性”），不是实测路网时间。",
        "en": "Note: this scenario's travel times are synthetic (from county seats, an assumed "
        "county area, detour factor and road speeds; docs/method.md, Travel times and access), "
        "not measured road times.",
    },
    "report.access_table": {
        "zh": "各年在一定时间内可到达社工站的人口比例",
        "en": "Share of the population within so many minutes of a station",
    },
    "report.access_minutes": {"zh": "{minutes} 分钟内", "en": "within {minutes} min"},
    # social work posts beyond the stations (sectors.csv; model.optimizer.sectors)
    "report.sectors": {"zh": "行业社工岗位", "en": "Social work posts beyond the stations"},
    "report.sector_line": {
        "zh": "{year} 年：站点之外的 {n} 个行业共设社工岗位 {posts} 个（需求 {needed} 个），"
        "其中持证 {junior} 个；规划期内新增 {added} 个，当年支出 {spend} 万元。",
        "en": "{year}: {posts} social work posts in {n} sectors beyond the stations ({needed} "
        "needed), {junior} of them certified; {added} added over the horizon, {spend} 万元 "
        "that year.",
    },
    "report.sector_note": {
        "zh": "岗位需求 = 驱动指标全区合计 ÷ 每岗位对应数（如每 100 张养老床位 1 名社工），"
        "或情景给定的数；岗位只增不减，每年新增不超过该行业的招聘能力（max_new_per_year）；"
        "行业岗位计入全区社工总数、持证比例等目标。",
        "en": "Posts needed = the driver's regional total ÷ its units per post (e.g. one social "
        "worker per 100 care beds), or the scenario's number; posts never fall and grow by at "
        "most the sector's max_new_per_year a year; they count toward the region's worker "
        "targets.",
    },
    # catchments (plan.csv served_by, catchments.csv; model.output.catchments)
    "report.catchments": {"zh": "服务片区", "en": "Catchments"},
    # funding sources (funding.csv; model.optimizer.funding)
    "report.funding": {"zh": "资金来源", "en": "Funding sources"},
    "report.funding_line": {
        "zh": "{sources} 个资金来源在规划期内共有 {available} 万元，方案使用 {used} 万元，"
        "{lost} 万元未用且不能结转。",
        "en": "{sources} funding sources have {available} 万元 over the plan's years; the plan "
        "uses {used} 万元 and {lost} 万元 go unspent and cannot be carried over.",
    },
    "report.funding_note": {
        "zh": "每个来源只支付它可以支付的支出类别（pays）、层级（levels）和县（counties）；"
        "每年最多使用当年的资金（含按站点数拨付的部分），可结转的来源还可使用以前年度的结余。"
        "可用资金不含结转；各县、各类别的明细见 funding.csv。",
        "en": "Each source pays only the cost categories (pays), levels and counties it may pay "
        "for, and spends in a year at most that year's money (with its money per station) plus, "
        "where it may carry money over, what it left before. Available money excludes what was "
        "carried in; funding.csv has every county and category.",
    },
    "report.funding_table": {"zh": "各资金来源逐年使用情况", "en": "Funding sources by year"},
    "report.catchment_line": {
        "zh": "{year} 年：{without} 个未建站乡镇中，{served} 个由邻近站点服务，"
        "共 {population} 人。",
        "en": "{year}: {served} of the {without} townships without a station are served by a "
        "neighbouring station; they hold {population} people.",
    },
    "report.catchment_largest": {
        "zh": "最大的服务片区：{items}。",
        "en": "Largest catchments: {items}.",
    },
    "report.catchment_item": {
        "zh": "{station}（{n} 个乡镇，{hours} 小时/年）",
        "en": "{station} ({n} townships, {hours} hours/year)",
    },
    "report.catchment_sep": {"zh": "；", "en": "; "},
    "report.catchment_note": {
        "zh": "没有站点的乡镇可由通行时间在 catchment.max_minutes 以内的邻近站点服务，"
        "每次服务另计往返路程；片区时长为该站为邻近乡镇完成的服务时长（含往返路程）。"
        "逐年各乡镇见 catchments.csv，乡镇地图上的连线为末年的服务关系。",
        "en": "A township without a station can be served by a station within "
        "catchment.max_minutes, each request adding the round trip; a catchment's hours are "
        "the client hours the station does for its neighbours, round trips included. "
        "catchments.csv has every year and served township; the township map's lines show the "
        "last year's.",
    },
    "report.catchment_table": {"zh": "各年服务片区", "en": "Catchments by year"},
    "report.centres": {"zh": "三级服务体系：县级社会工作指导中心", "en": "County guidance centres"},
    "report.centre_line": {
        "zh": "{year} 年：{counties} 个县（市、区）中 {open} 个设有社会工作指导中心，"
        "共 {supervisors} 名督导（社会工作师），督导 {stations} 个站点；"
        "督导和转介个案占用督导工时的 {used}。",
        "en": "{year}: {open} of the {counties} counties have a guidance centre, with "
        "{supervisors} supervisors (intermediate grade) for {stations} stations; supervision and "
        "referred cases take {used} of the supervisors' hours.",
    },
    "report.centre_note": {
        "zh": "指导中心的督导按 centre.supervision_hours 督导本县每个开办的站点，并承接站点转介的"
        "复杂个案（centre.referral_share × 新开个案 × centre.referral_hours）；县内站点参加持证培训"
        "的人数不超过督导人数 × centre.trainees_per_supervisor。逐县逐年见 centres.csv。",
        "en": "A centre's supervisors give each open station of the county "
        "centre.supervision_hours of supervision and take its complex cases on referral "
        "(centre.referral_share × new cases × centre.referral_hours); the county's trainees "
        "are at most supervisors × centre.trainees_per_supervisor. centres.csv has every "
        "county and year.",
    },
    "report.centre_simulated": {
        "zh": "模拟（{year} 年）：转介的复杂个案中 {share} 在接案时限内开始，督导走访 {visits} "
        "按时完成；最差的是 {county}（{worst}）。逐县见 centre_simulation.csv。",
        "en": "Simulated ({year}): {share} of referred complex cases start within the intake "
        "standard and {visits} of supervision visits are on time; the worst county is {county} "
        "({worst}). centre_simulation.csv has every county.",
    },
    "report.centre_open": {"zh": "设有中心的县", "en": "counties with a centre"},
    "report.centre_supervisors": {"zh": "督导人数", "en": "supervisors"},
    "report.centre_stations": {"zh": "督导的站点", "en": "stations supervised"},
    "report.centre_hours": {
        "zh": "督导与转介工时 / 督导可用工时（小时/年）",
        "en": "supervision and referral hours / supervisors' hours (hours/year)",
    },
    "report.centre_spend": {"zh": "中心支出（万元）", "en": "centres' spend (万元)"},
    "report.provinces": {"zh": "分省规划", "en": "Province by province"},
    "report.province_line": {
        "zh": "{n} 个省份各自按本省预算、目标和招聘上限规划（各为一个模型，分别求解）："
        "与各自最优界的差距最大 {gap}；{met} / {n} 个省份达成全部目标；用时最长的是 {slowest}"
        "（{seconds} 秒）。逐省见 provinces.csv，各省目标见 province_targets.csv。",
        "en": "The {n} provinces are planned each on its own budget, targets and hiring pools (a "
        "model each, solved apart): the largest gap to a province's bound is {gap}; {met} of "
        "{n} provinces meet every target; the slowest is {slowest} ({seconds} s). "
        "provinces.csv has every province, province_targets.csv their targets.",
    },
    "report.central_line": {
        "zh": "{what}按价格在各省之间协调（拉格朗日松弛，{steps} 轮）：最好的方案与拉格朗日界"
        "相差 {gap}，用时 {seconds} 秒；各轮见 central.csv。",
        "en": "{what} shared among the provinces by price (Lagrangian relaxation, {steps} steps): "
        "the best plan is within {gap} of the Lagrangian bound, in {seconds} s; central.csv has "
        "every step.",
    },
    "report.central_missed": {
        "zh": "{what}按价格在各省之间协调了 {steps} 轮（{seconds} 秒），各省仍未达到全国目标"
        "（{reached}）：价格再高，各省在预算和招聘能力内也做不到；下面是找到的最好方案，"
        "全国目标的缺口见目标表，各轮价格和各省达到的数量见 central.csv。",
        "en": "{what} shared among the provinces by price for {steps} steps ({seconds} s), and "
        "the provinces still fall short of the national targets ({reached}): no price gets more "
        "within their budgets and hiring pools. The best plan found is below; the targets table "
        "shows the shortfall, central.csv every step's prices and counts.",
    },
    "report.stopped": {
        "zh": "本方案在求解时限（{limit} 秒）内停止，{gap}。它满足全部规则（预算、招聘能力、站点"
        "人数），但不一定是最好的；什么起约束作用、达成全部目标所需的预算只对已证明的方案计算，"
        "本次没有计算。提高 solver.time_limit_s 可得到更好的、经过证明的方案。",
        "en": "This plan stopped at the solver's time limit ({limit} s), {gap}. It keeps every "
        "rule (budgets, hiring pools, staffing) but need not be the best; what binds and the "
        "budget that meets every target are worked out only for a proven plan and were not this "
        "time. Raise solver.time_limit_s for a better, proven plan.",
    },
    "report.stopped_gap": {
        "zh": "与最优界的差距为 {gap}",
        "en": "within {gap} of the bound",
    },
    "report.stopped_no_bound": {
        "zh": "尚未得到最优界（差距未知）",
        "en": "with no bound yet (its gap is unknown)",
    },
    "report.central_what_transfer": {"zh": "中央转移支付", "en": "The central transfer is"},
    "report.central_what_targets": {"zh": "全国目标", "en": "The national targets are"},
    "report.central_what_both": {
        "zh": "中央转移支付和全国目标",
        "en": "The central transfer and the national targets are",
    },
    "report.central_reached": {
        "zh": "{year} 年{family}：最多 {reached:,} / 需要 {need:,}",
        "en": "{family} in {year}: at most {reached:,} of {need:,}",
    },
    "report.province": {"zh": "省份", "en": "province"},
    "report.province_townships": {"zh": "乡镇数", "en": "townships"},
    "report.province_gap": {"zh": "与最优界差距", "en": "gap to its bound"},
    "report.province_coverage": {"zh": "末年覆盖率", "en": "coverage, last year"},
    "report.province_spend": {
        "zh": "末年支出 / 预算（万元）",
        "en": "spend / budget, last year (万元)",
    },
    "report.province_targets": {"zh": "达成目标", "en": "targets met"},
    "report.province_share": {
        "zh": "{year} 年转移支付（万元）",
        "en": "transfer {year} (万元)",
    },
    "report.points": {"zh": "三级服务体系：村（社区）社工点", "en": "Village and community points"},
    "report.point_line": {
        "zh": "{year} 年：{townships} 个乡镇中 {with_} 个设有村（社区）社工点，共 {points} 个；"
        "社工点全年承接入户探访约 {visits} 次，为站点社工节省 {hours} 小时；"
        "社工点支出 {spend} 万元。",
        "en": "{year}: {with_} of the {townships} townships have village points, {points} in all; "
        "they make about {visits} home visits a year and save the stations' workers {hours} "
        "hours; the points cost {spend} 万元.",
    },
    "report.point_simulated": {
        "zh": "模拟（{year} 年）：社工点完成入户探访 {visits} 次（每次重复试验平均），"
        "占全部入户探访的 {share}。",
        "en": "Simulated ({year}): the points make {visits} home visits (mean of the "
        "replications), {share} of all home visits.",
    },
    "report.point_note": {
        "zh": "社工点需所在乡镇已开办社工站；每个社工点每年有 point.visit_hours 小时用于入户探访"
        "（按服务对象优先级承接），每次探访占用探访时长 + point.travel_minutes；"
        "它承接的探访不再占用站点社工的时间（探访时长 + 乡镇往返时间）。"
        "社工点为兼职岗位或志愿服务，不计入社工人数指标。"
        "逐乡镇见 plan.csv 的 points 与 point_hours 列，逐县见 points.csv。",
        "en": "A point needs its township's station; it has point.visit_hours hours a year for "
        "home visits (taken by group priority), each taking the visit's hours plus "
        "point.travel_minutes; the visits it makes no longer take the station's workers' time "
        "(the visit plus the township's round trip). Points are part-time posts or volunteers, "
        "not counted as social workers. plan.csv has points and point_hours per township, "
        "points.csv per county.",
    },
    "report.point_count": {"zh": "社工点数", "en": "points"},
    "report.point_townships": {"zh": "设点乡镇 / 乡镇", "en": "townships with points / all"},
    "report.point_visits": {"zh": "入户探访（次/年）", "en": "home visits (a year)"},
    "report.point_hours": {"zh": "节省站点工时（小时/年）", "en": "station hours saved (a year)"},
    "report.point_spend": {"zh": "社工点支出（万元）", "en": "points' spend (万元)"},
    "report.catchment_without": {"zh": "未建站乡镇", "en": "townships without a station"},
    "report.catchment_served": {"zh": "由邻近站点服务", "en": "served by a neighbour"},
    "report.catchment_population": {"zh": "被服务乡镇人口", "en": "people in them"},
    "report.catchment_top": {"zh": "最大的服务片区", "en": "largest catchments"},
    "report.synthetic": {
        "zh": "注：乡镇数据为合成数据，非官方统计。",
        "en": "Note: the township table is synthetic, not official statistics.",
    },
    "report.divisions": {
        "zh": "注：乡镇（街道）名称与代码取自国家统计局统计用区划代码（2023）；人口与60岁及以上比例"
        "按第七次全国人口普查已公布的最细一级总数校准后分配到各乡镇，其余数据（服务对象、现有站点等）"
        "为合成数据，非官方统计。",
        "en": "Note: township names and codes are the NBS statistical division codes (2023); "
        "populations and 60+ shares match the 7th census totals at the finest published level "
        "and are spread over townships; everything else (recipients, today's stations) is "
        "synthetic, not official statistics.",
    },
    # what binds (limits.csv), at the top of the report and in the console
    "report.limits": {"zh": "约束与边际价值", "en": "What binds"},
    "limits.year": {"zh": "{year}年：{facts}。", "en": "{year}: {facts}."},
    "limits.sep": {"zh": "；", "en": "; "},
    "limits.nothing": {"zh": "没有限制起约束作用", "en": "no limit binds"},
    "limits.budget": {
        "zh": "预算用尽（{available:,.0f} 万元中支出 {used:,.0f} 万元）",
        "en": "the budget binds ({used:,.0f} of {available:,.0f} 万元 spent)",
    },
    "limits.hiring_pool": {
        "zh": "{total} 个县中有 {n} 个县的招聘人数达到上限",
        "en": "the hiring pool binds in {n} of {total} counties",
    },
    "limits.certified_pool": {
        "zh": "{total} 个县中有 {n} 个县的持证社工来源达到上限",
        "en": "the certified pool binds in {n} of {total} counties",
    },
    "limits.max_workers": {
        "zh": "{total} 个站点中有 {n} 个已达每站人数上限，仍有未满足的需求",
        "en": "{n} of {total} open stations have the most workers allowed and need left unserved",
    },
    "limits.exam_pass_rate": {
        "zh": "{total} 名未持证社工中有 {n} 名参加持证考试培训",
        "en": "{n} of {total} uncertified workers train for the exam",
    },
    "limits.money_idle": {
        "zh": "超出 {used:,.0f} 万元（预算 {available:,.0f} 万元）的资金{until}",
        "en": "money beyond {used:,.0f} 万元 (of {available:,.0f}) buys nothing {until}",
    },
    "limits.until_hiring_pool": {
        "zh": "在招聘上限提高之前不能带来更多服务",
        "en": "until hiring grows",
    },
    "limits.until_certified_pool": {
        "zh": "在持证社工来源扩大之前不能带来更多服务",
        "en": "until the certified pool grows",
    },
    "limits.until_max_workers": {
        "zh": "在每站人数上限提高之前不能带来更多服务",
        "en": "until stations may have more workers",
    },
    "limits.until_funding": {
        "zh": "在资金来源（额度或可支付的用途）放宽之前不能带来更多服务",
        "en": "until a funding source (its amount or what it may pay for) allows more",
    },
    "limits.funding": {"zh": "资金来源用尽：{items}", "en": "funding sources spent: {items}"},
    "limits.source_item": {
        "zh": "{source}（{available:,.0f} 万元中支出 {used:,.0f} 万元）",
        "en": "{source} ({used:,.0f} of {available:,.0f} 万元)",
    },
    "limits.until_nothing": {"zh": "不能带来更多服务", "en": "more"},
    "limits.worth_money": {
        "zh": "每多 1 万元预算，服务时长的变化：{items}（{method}）。",
        "en": "One more 万元 would change the client hours served by {items} ({method}).",
    },
    "limits.worth_source": {
        "zh": "资金来源每多 1 万元，服务时长的变化：{items}（{method}）。",
        "en": "One more 万元 from a funding source would change the client hours served by "
        "{items} ({method}).",
    },
    "limits.worth_source_item": {
        "zh": "{source} {year}年 {hours:+,.1f} 小时",
        "en": "{hours:+,.1f} from {source} in {year}",
    },
    "limits.worth_money_item": {
        "zh": "{year}年 {hours:+,.1f} 小时",
        "en": "{hours:+,.1f} in {year}",
    },
    "limits.worth_hiring_pool": {
        "zh": "{county}每年多招 1 人，{years}年可多服务 {hours:,.0f} 小时（{method}；"
        "招聘达到上限的 {n} 个县中最多，共 {total} 个县；各县见 limits.csv）。",
        "en": "One more hire a year in {county} would serve {hours:,.0f} more client hours in "
        "{years} ({method}; the most of the {n} of {total} counties where the pool "
        "binds; limits.csv has each).",
    },
    "limits.worth_certified_pool": {
        "zh": "{county}每年多 1 名持证社工来源，{years}年可多服务 {hours:,.0f} 小时"
        "（{method}；持证来源达到上限的 {n} 个县中最多，共 {total} 个县；各县见 limits.csv）。",
        "en": "One more certified hire a year in {county} would serve {hours:,.0f} more client "
        "hours in {years} ({method}; the most of the {n} of {total} counties where "
        "the certified pool binds; limits.csv has each).",
    },
    "limits.worth_pool_none": {
        "zh": "在上限起作用的 {n} 个县（共 {total} 个）中，每年多招 1 人都不能多服务（{method}）。",
        "en": "In none of the {n} of {total} counties where the pool binds would one more hire a "
        "year serve more client hours ({method}).",
    },
    "limits.worth_max_workers": {
        "zh": "每站人数上限多 1 人，{years}年可多服务 {hours:,.0f} 小时（{method}）。",
        "en": "One more worker allowed per station would serve {hours:,.0f} more client hours "
        "in {years} ({method}).",
    },
    "limits.worth_exam_pass_rate": {
        "zh": "考试通过率提高 0.1，{years}年可多服务 {hours:,.0f} 小时（{method}）。",
        "en": "An exam pass rate 0.1 higher would serve {hours:,.0f} more client hours in "
        "{years} ({method}).",
    },
    "limits.worth_max_workers_none": {
        "zh": "每站人数上限多 1 人，{years}年不能多服务（{method}）。",
        "en": "One more worker allowed per station would serve no more client hours in {years} "
        "({method}).",
    },
    "limits.worth_exam_pass_rate_none": {
        "zh": "考试通过率提高 0.1，{years}年不能多服务（{method}）。",
        "en": "An exam pass rate 0.1 higher would serve no more client hours in {years} "
        "({method}).",
    },
    "limits.method_re-solve": {"zh": "重新求解", "en": "re-solved"},
    "limits.method_LP": {"zh": "线性松弛估计", "en": "linear relaxation's estimate"},
    "limits.method_LP dual": {"zh": "线性松弛对偶估计", "en": "linear relaxation's duals"},
    # ------------------------------------------------------------------ workbooks (plan.xlsx …)
    # sheet names (at most 31 characters; stems without a key keep their file name)
    "sheet.plan": {"zh": "规划方案", "en": "plan"},
    "sheet.county_totals": {"zh": "各县汇总", "en": "county totals"},
    "sheet.summary": {"zh": "年度汇总", "en": "summary by year"},
    "sheet.hires": {"zh": "招聘", "en": "hires"},
    "sheet.service": {"zh": "服务", "en": "service"},
    "sheet.simulation": {"zh": "模拟", "en": "simulation"},
    "sheet.targets": {"zh": "目标", "en": "targets"},
    "sheet.limits": {"zh": "约束", "en": "what binds"},
    "sheet.budget_gap": {"zh": "预算缺口", "en": "budget gap"},
    "sheet.changes": {"zh": "减员与服务下降", "en": "changes"},
    "sheet.equity": {"zh": "公平性", "en": "equity"},
    "sheet.access": {"zh": "可达性", "en": "access"},
    "sheet.nearest_station": {"zh": "到最近站点", "en": "nearest station"},
    "sheet.catchments": {"zh": "服务片区", "en": "catchments"},
    "sheet.centres": {"zh": "指导中心", "en": "centres"},
    "sheet.funding": {"zh": "资金来源", "en": "funding sources"},
    "sheet.points": {"zh": "村社工点", "en": "village points"},
    "sheet.sectors": {"zh": "行业社工岗位", "en": "sector posts"},
    "sheet.region_summary": {"zh": "区域概况", "en": "region"},
    "sheet.region_counties": {"zh": "各县现状", "en": "counties today"},
    "sheet.region_groups": {"zh": "服务对象群体", "en": "recipient groups"},
    "sheet.frontier": {"zh": "资金水平", "en": "frontier"},
    "sheet.levels": {"zh": "各资金水平逐年", "en": "levels by year"},
    "sheet.least_budget": {"zh": "最低预算", "en": "least budget"},
    "sheet.comparison": {"zh": "方案比较", "en": "comparison"},
    "sheet.columns": {"zh": "列说明", "en": "columns"},
    # the columns sheet
    "wb.header": {"zh": "表头", "en": "header"},
    "wb.column": {"zh": "CSV 列名", "en": "CSV column"},
    "wb.meaning": {"zh": "含义", "en": "meaning"},
    "wb.left_out": {
        "zh": "{stem}.csv 有 {rows} 行，超过工作簿每表 {most} 行的上限，未放入工作簿："
        "请打开 CSV 文件",
        "en": "{stem}.csv has {rows} rows, more than a workbook sheet's {most}: it is not in the "
        "workbook; open the CSV",
    },
    "wb.unit": {"zh": "单位", "en": "unit"},
    "wb.header_unit": {"zh": "{label}（{unit}）", "en": "{label} ({unit})"},
    "wb.total": {"zh": "合计", "en": "total"},
    # units in headers (shares are formatted as percentages and need none)
    "unit.万元": {"zh": "万元", "en": "10,000 yuan"},
    "unit.workers": {"zh": "人", "en": "workers"},
    "unit.persons": {"zh": "人", "en": "persons"},
    "unit.stations": {"zh": "个", "en": "stations"},
    "unit.posts": {"zh": "个", "en": "posts"},
    "unit.points": {"zh": "个", "en": "points"},
    "unit.townships": {"zh": "个", "en": "townships"},
    "unit.hours/year": {"zh": "小时/年", "en": "hours/year"},
    "unit.hours": {"zh": "小时", "en": "hours"},
    "unit.s": {"zh": "秒", "en": "s"},
    "unit.targets": {"zh": "项", "en": "targets"},
    "unit.minutes": {"zh": "分钟", "en": "minutes"},
    "unit.requests/year": {"zh": "次/年", "en": "requests/year"},
    "unit.requests": {"zh": "次", "en": "requests"},
    "unit.activities/year": {"zh": "次/年", "en": "activities/year"},
    "unit.visits": {"zh": "人次", "en": "visits"},
    "unit.visits/year": {"zh": "人次/年", "en": "visits/year"},
    "unit.days": {"zh": "天", "en": "days"},
    "unit.sessions/person": {"zh": "次/人", "en": "sessions/person"},
    "unit.persons/1000": {"zh": "人/千人", "en": "per 1,000"},
    "unit.workers/1000": {"zh": "人/千名老人", "en": "per 1,000 elderly"},
    "unit.hours per unit": {"zh": "小时/单位", "en": "hours per unit"},
    "unit.per unit": {"zh": "每单位", "en": "per unit"},
    "unit.replications": {"zh": "次", "en": "replications"},
    "unit.万元/hour": {"zh": "万元/小时", "en": "10,000 yuan/hour"},
    "unit.hours per 100 万元": {"zh": "小时/100万元", "en": "hours per 1,000,000 yuan"},
    # column headers: col.<column>, or col.<sheet>.<column> where a sheet's column means
    # something else (the sweep's frontier sums the horizon: {years})
    "col.township_id": {"zh": "乡镇代码", "en": "township id"},
    "col.name": {"zh": "乡镇名称", "en": "township"},
    "col.county": {"zh": "县区", "en": "county"},
    "col.year": {"zh": "年份", "en": "year"},
    "col.station": {"zh": "建站", "en": "station"},
    "col.stations": {"zh": "站点数", "en": "stations"},
    "col.coverage": {"zh": "覆盖率", "en": "coverage"},
    "col.townships": {"zh": "乡镇数", "en": "townships"},
    "col.townships_rural": {"zh": "乡、镇数", "en": "rural townships"},
    "col.townships_urban": {"zh": "街道数", "en": "urban streets"},
    "col.townships_relocation": {"zh": "易地搬迁安置街道数", "en": "relocation settlements"},
    "col.population": {"zh": "常住人口", "en": "population"},
    "col.elderly": {"zh": "60岁及以上人口", "en": "residents 60+"},
    "col.workers_certified": {"zh": "持证社工", "en": "certified workers"},
    "col.workers_uncertified": {"zh": "未持证社工", "en": "uncertified workers"},
    "col.workers_junior": {"zh": "助理社会工作师", "en": "junior workers"},
    "col.workers_intermediate": {"zh": "社会工作师", "en": "intermediate workers"},
    "col.workers": {"zh": "社工总数", "en": "workers"},
    "col.spend_other": {"zh": "站外支出（指导中心、行业岗位）", "en": "spend beyond stations"},
    "col.workers_other": {
        "zh": "站外社工数（指导中心、行业岗位）",
        "en": "workers beyond stations (centres, sectors)",
    },
    "col.trained": {"zh": "参加持证培训", "en": "trained"},
    "col.client_hours": {"zh": "服务需求时长", "en": "client hours needed"},
    "col.served_hours": {"zh": "可完成服务时长", "en": "client hours served"},
    "col.served_share": {"zh": "服务需求满足率", "en": "served share"},
    "col.planned_service_level": {"zh": "规划按时服务率", "en": "planned on-time share"},
    "col.spend": {"zh": "支出", "en": "spend"},
    "col.spend_setup": {"zh": "建站支出", "en": "setup spend"},
    "col.spend_running": {"zh": "运营支出", "en": "running spend"},
    "col.spend_salary": {"zh": "薪酬支出", "en": "salary spend"},
    "col.spend_training": {"zh": "培训支出", "en": "training spend"},
    "col.spend_moves": {"zh": "调动支出", "en": "moves spend"},
    "col.spend_severance": {"zh": "辞退补偿", "en": "severance"},
    "col.spend_total": {"zh": "总支出", "en": "total spend"},
    "col.budget": {"zh": "预算", "en": "budget"},
    "col.moved_out": {"zh": "调出人数", "en": "moved out"},
    "col.laid_off": {"zh": "辞退人数", "en": "laid off"},
    "col.stations_opened": {"zh": "新建站点", "en": "stations opened"},
    "col.hires": {"zh": "招聘人数", "en": "hires"},
    "col.certified_share": {"zh": "持证比例", "en": "certified share"},
    "col.workers_per_1000_elderly": {"zh": "每千名老人社工数", "en": "workers per 1,000 elderly"},
    "col.gini_served_share": {"zh": "满足率基尼系数", "en": "Gini of served share"},
    "col.palma_served_share": {"zh": "满足率帕尔马比值", "en": "Palma of served share"},
    "col.lowest_served_share": {"zh": "最低乡镇满足率", "en": "lowest served share"},
    "col.townships_below_30pct": {"zh": "满足率低于30%的乡镇", "en": "townships under 30%"},
    "col.served_share_q1": {"zh": "满足率 Q1 最不偏远", "en": "served share Q1 least remote"},
    "col.served_share_q2": {"zh": "满足率 Q2", "en": "served share Q2"},
    "col.served_share_q3": {"zh": "满足率 Q3", "en": "served share Q3"},
    "col.served_share_q4": {"zh": "满足率 Q4 最偏远", "en": "served share Q4 most remote"},
    "col.source": {"zh": "来源", "en": "source"},
    "col.measure": {"zh": "指标", "en": "measure"},
    "col.key": {"zh": "对象", "en": "key"},
    "col.denominator": {"zh": "分母", "en": "denominator"},
    "col.limit": {"zh": "限制", "en": "limit"},
    "col.used": {"zh": "已用", "en": "used"},
    "col.available": {"zh": "上限", "en": "available"},
    "col.binds": {"zh": "是否起约束", "en": "binds"},
    "col.worth_hours_per_unit": {"zh": "每多一单位可多服务时长", "en": "hours per unit more"},
    "col.worth_objective_per_unit": {"zh": "每多一单位的目标值", "en": "objective per unit more"},
    "col.method": {"zh": "估计方法", "en": "method"},
    "col.metric": {"zh": "指标", "en": "metric"},
    "col.value": {"zh": "数值", "en": "value"},
    "col.unit": {"zh": "单位", "en": "unit"},
    "col.group": {"zh": "群体代码", "en": "group"},
    "col.label": {"zh": "群体", "en": "label"},
    "col.persons": {"zh": "人数", "en": "persons"},
    "col.minutes_to_station": {"zh": "到最近站点通行时间", "en": "minutes to station"},
    "col.minutes": {"zh": "通行时间不超过", "en": "within minutes"},
    "col.people": {"zh": "人群", "en": "people"},
    "col.persons_within": {"zh": "可到达人数", "en": "persons within"},
    "col.persons_total": {"zh": "总人数", "en": "persons in all"},
    "col.share_within": {"zh": "可到达比例", "en": "share within"},
    "col.served_by": {"zh": "服务站点（邻近乡镇代码）", "en": "served by"},
    "col.catchment_hours": {"zh": "片区服务时长", "en": "catchment hours"},
    "col.station_id": {"zh": "服务站点乡镇代码", "en": "station township id"},
    "col.station_name": {"zh": "服务站点乡镇", "en": "station township"},
    "col.station_county": {"zh": "服务站点县区", "en": "station county"},
    "col.catchments.minutes": {"zh": "通行时间", "en": "travel minutes"},
    "col.centres.centre": {"zh": "设有指导中心", "en": "centre open"},
    "col.centres.supervisors": {"zh": "督导人数", "en": "supervisors"},
    "col.centres.stations": {"zh": "督导站点数", "en": "stations supervised"},
    "col.centres.load_hours": {"zh": "督导与转介工时", "en": "supervision and referral hours"},
    "col.centres.capacity_hours": {"zh": "督导可用工时", "en": "supervisors' hours"},
    "col.centres.trainees": {"zh": "参加持证培训人数", "en": "trainees"},
    # funding.csv (model.optimizer.funding; model.plan.funding: COLUMN_DOCS)
    "col.funding.source": {"zh": "资金来源", "en": "source"},
    "col.funding.label": {"zh": "资金来源名称", "en": "source name"},
    "col.funding.level": {"zh": "层级", "en": "level"},
    "col.funding.category": {"zh": "支出类别", "en": "category"},
    "col.funding.used": {"zh": "使用金额", "en": "used"},
    "col.funding.available": {"zh": "可用资金", "en": "available"},
    "col.funding.unused": {"zh": "未用（作废）", "en": "unused (lost)"},
    "col.funding.carried_in": {"zh": "上年结转", "en": "carried in"},
    "col.funding.carried_out": {"zh": "结转下年", "en": "carried out"},
    "col.catchments.served_hours": {
        "zh": "由该站完成服务时长",
        "en": "hours served by the station",
    },
    "col.per_1000_population": {"zh": "每千人口", "en": "per 1,000 residents"},
    "col.persons_rural": {"zh": "乡镇人数", "en": "persons, rural"},
    "col.persons_urban": {"zh": "街道人数", "en": "persons, urban"},
    "col.persons_relocation": {"zh": "安置点人数", "en": "persons, relocation"},
    "col.persons_in_townships_with_station": {
        "zh": "所在乡镇有站点的人数",
        "en": "persons where a station is",
    },
    "col.share_with_station": {"zh": "所在乡镇有站点的比例", "en": "share with a station"},
    "col.workers_before": {"zh": "上年社工数", "en": "workers the year before"},
    "col.served_before": {"zh": "上年服务时长", "en": "served the year before"},
    "col.leavers_not_replaced": {"zh": "离职未补", "en": "leavers not replaced"},
    "col.moved_to": {"zh": "调往", "en": "moved to"},
    "col.county_laid_off": {"zh": "全县辞退人数", "en": "laid off in the county"},
    "col.warning": {"zh": "说明", "en": "warning"},
    "col.changes.binds": {"zh": "制约因素", "en": "what holds the county back"},
    "col.target": {"zh": "目标", "en": "target"},
    "col.required": {"zh": "要求", "en": "required"},
    "col.achieved": {"zh": "实现", "en": "achieved"},
    "col.met": {"zh": "是否完成", "en": "met"},
    "col.townships_below_60pct": {"zh": "满足率低于 60% 的乡镇", "en": "townships below 60%"},
    "col.round": {"zh": "轮次", "en": "round"},
    "col.station_years": {"zh": "站·年", "en": "station-years"},
    "col.station_years_disagreeing": {
        "zh": "规划与仿真不一致的站·年",
        "en": "station-years disagreeing",
    },
    "col.largest_difference": {"zh": "最大差距", "en": "largest difference"},
    "col.measured_levels": {"zh": "按仿真测定的按时率", "en": "levels measured"},
    "col.workers_last_year": {"zh": "末年社工", "en": "workers, last year"},
    "col.stations_last_year": {"zh": "末年站点", "en": "stations, last year"},
    "report.yes": {"zh": "是", "en": "yes"},
    "report.pushed": {
        "zh": "{target} {year} 年差 {amount} {unit}",
        "en": "{target} {year}: {amount} {unit}",
    },
    "report.no": {"zh": "否", "en": "no"},
    "col.shortfall": {"zh": "缺口", "en": "shortfall"},
    "col.least_cost_all_targets": {"zh": "实现全部目标的最低支出", "en": "least cost, all targets"},
    "col.extra_needed": {"zh": "需追加", "en": "extra needed"},
    "col.sector": {"zh": "行业", "en": "sector"},
    "col.points": {"zh": "村社工点数", "en": "village points"},
    "col.point_hours": {"zh": "社工点节省工时", "en": "hours points take"},
    "col.points.townships_with_points": {"zh": "设点乡镇数", "en": "townships with points"},
    "col.points.visits": {"zh": "社工点入户探访", "en": "points' home visits"},
    "col.points.hours_saved": {"zh": "节省站点工时", "en": "station hours saved"},
    "col.sectors.label": {"zh": "行业名称", "en": "label"},
    "col.posts_needed": {"zh": "岗位需求", "en": "posts needed"},
    "col.posts": {"zh": "已设岗位", "en": "posts"},
    "col.added": {"zh": "新增岗位", "en": "posts added"},
    "col.all_targets_reachable": {"zh": "全部目标可否实现", "en": "all targets reachable"},
    "col.demand_hours": {"zh": "服务需求时长", "en": "client hours needed"},
    "col.grade": {"zh": "等级", "en": "grade"},
    "col.replications": {"zh": "模拟次数", "en": "replications"},
    "col.unmet_hours": {"zh": "未满足服务时长", "en": "unmet client hours"},
    "col.unmet_requests": {"zh": "未按时服务请求", "en": "requests not on time"},
    "col.wait_mean_days": {"zh": "平均等待", "en": "mean wait"},
    "col.wait_p90_days": {"zh": "等待90%分位", "en": "90th percentile wait"},
    "col.utilisation": {"zh": "社工工作负荷", "en": "utilisation"},
    "col.service_level": {"zh": "按时服务率", "en": "on-time share"},
    "col.case_clients": {"zh": "个案服务对象", "en": "case clients"},
    "col.visits": {"zh": "入户探访", "en": "home visits"},
    "col.point_visits": {"zh": "村社工点入户探访", "en": "home visits by village points"},
    "col.sessions_per_client": {"zh": "每个案服务次数", "en": "sessions per case client"},
    "col.group_activities_held": {"zh": "小组活动", "en": "group activities"},
    "col.standard_333": {"zh": "达到三个3的比例", "en": "meets 三个3"},
    "col.departures": {"zh": "离职人数", "en": "departures"},
    "col.clients_reached": {"zh": "服务对象人数", "en": "clients reached"},
    "col.reach_rate": {"zh": "触达率", "en": "reach rate"},
    "col.on_time_share": {"zh": "按时服务率", "en": "on-time share"},
    "col.measured": {"zh": "模拟实测", "en": "measured"},
    "col.simulated_service_level": {"zh": "模拟按时服务率", "en": "simulated on-time share"},
    "col.simulated_low": {"zh": "模拟 95%区间下限", "en": "simulated, 95% low"},
    "col.simulated_high": {"zh": "模拟 95%区间上限", "en": "simulated, 95% high"},
    "col.planned_half": {"zh": "规划值区间半宽", "en": "planned half-width"},
    "col.difference": {"zh": "模拟 − 规划", "en": "simulated − planned"},
    "col.agrees": {"zh": "是否一致", "en": "agrees"},
    # the sweep's frontier: one row per level, sums and averages over the horizon
    "col.level": {"zh": "资金水平", "en": "level"},
    "col.frontier.label": {"zh": "资金水平说明", "en": "level"},
    "col.frontier.budget_total": {"zh": "{years} 预算合计", "en": "budget, {years} total"},
    "col.frontier.spend_total": {"zh": "{years} 支出合计", "en": "spend, {years} total"},
    "col.frontier.coverage": {"zh": "{last} 覆盖率", "en": "coverage {last}"},
    "col.frontier.served_hours": {
        "zh": "{years} 可完成服务时长合计",
        "en": "client hours served, {years} total",
    },
    "col.frontier.served_share": {
        "zh": "{years} 平均服务需求满足率",
        "en": "served share, {years} average",
    },
    "col.frontier.simulated_served_share": {
        "zh": "{years} 平均模拟满足率",
        "en": "simulated served share, {years} average",
    },
    "col.frontier.unmet_requests": {
        "zh": "{years} 未按时服务请求合计",
        "en": "requests not on time, {years} total",
    },
    "col.targets_met": {"zh": "完成目标数", "en": "targets met"},
    "col.targets_named": {"zh": "目标数", "en": "targets"},
    "col.cost_per_served_hour": {"zh": "每服务小时成本", "en": "cost per served hour"},
    "col.what_binds": {"zh": "约束", "en": "what binds"},
    "col.marginal_hours_per_100_wan": {
        "zh": "再增加100万元可多服务时长（规划期合计）",
        "en": "more hours the next 100 万元 buys (horizon)",
    },
    "col.all_targets_met": {"zh": "全部目标完成", "en": "every target met"},
    "col.scenario": {"zh": "方案", "en": "scenario"},
    "col.solver_status": {"zh": "求解状态", "en": "solver status"},
    "col.solver_gap": {"zh": "求解间隙", "en": "solver gap"},
    "col.plan_from_level": {"zh": "采用的规划（资金水平）", "en": "plan from level"},
    "col.knee": {"zh": "拐点", "en": "knee"},
    "col.status": {"zh": "结果", "en": "status"},
    "col.reason": {"zh": "原因", "en": "reason"},
    "status.planned": {"zh": "已规划", "en": "planned"},
    "status.infeasible": {"zh": "无可行方案", "en": "infeasible"},
    "status.no_plan": {"zh": "限时内未求得方案", "en": "no plan"},
    "status.worker_lost": {"zh": "工作进程中断", "en": "worker lost"},
    # ------------------------------------------------------------------ workshop
    "workshop.stations": {"zh": "站点数与覆盖率", "en": "Stations and coverage"},
    "workshop.workers": {"zh": "社工人数（按等级）", "en": "Workers by grade"},
    "workshop.spend": {"zh": "支出", "en": "spend"},
    "workshop.money": {"zh": "支出与预算（万元）", "en": "Spend and budget (10,000 yuan)"},
    "workshop.target": {"zh": "{name} {year}", "en": "{target} {year}"},
    "workshop.targets": {"zh": "目标完成度（%）", "en": "Targets (% of required)"},
    "workshop.title": {"zh": "{name}：目标完成 {met}/{n}", "en": "{name}: targets met {met}/{n}"},
    "workshop.budget_factor": {"zh": "年度预算倍数", "en": "budget ×"},
    "workshop.coverage": {"zh": "{year}年覆盖率目标", "en": "coverage {year}"},
    "workshop.certified_share": {"zh": "{year}年持证比例目标", "en": "certified {year}"},
    "workshop.first": {
        "zh": "下图：当前滑块设置下的方案；移动滑块后，新方案显示在滑块下方",
        "en": "Below: the plan at the sliders' starting values; a moved slider's plan shows "
        "under the sliders",
    },
    # ------------------------------------------------------------------ workshop deck
    "deck.metric": {"zh": "指标", "en": "measure"},
    "deck.value": {"zh": "数值", "en": "value"},
    "deck.townships": {"zh": "乡镇（街道）", "en": "townships"},
    "deck.counties": {"zh": "县（市、区）", "en": "counties"},
    "deck.elderly": {"zh": "60岁及以上老年人", "en": "elderly (60+)"},
    "deck.stations": {"zh": "已建社工站", "en": "stations"},
    "deck.workers": {"zh": "驻站社工", "en": "workers"},
    "deck.certified": {"zh": "其中持证社工", "en": "of whom certified"},
    "deck.per_1000": {"zh": "每千名老人社工数", "en": "workers per 1,000 elderly"},
    "deck.count_of": {
        "zh": "{n:,} / {total:,} 个（{share:.0%}）",
        "en": "{n:,} / {total:,} ({share:.0%})",
    },
    "deck.persons_of": {
        "zh": "{n:,} / {total:,} 人（{share:.0%}）",
        "en": "{n:,} / {total:,} ({share:.0%})",
    },
    "deck.persons": {"zh": "{n:,} 人", "en": "{n:,}"},
    "deck.served_title": {
        "zh": "谁在等待：规划能满足的服务需求（小时）",
        "en": "Who waits: the need the plan can serve (client hours)",
    },
    "deck.served": {"zh": "已满足", "en": "served"},
    "deck.waiting": {"zh": "未满足（等待）", "en": "not served (waiting)"},
    "deck.hours_axis": {"zh": "服务需求（万小时）", "en": "client hours (10,000)"},
    "deck.remote_title": {
        "zh": "偏远乡镇：{year}年各偏远程度四分位的服务满足率",
        "en": "Remote townships: served share by remoteness quartile, {year}",
    },
    "deck.q1": {"zh": "最近的1/4", "en": "least remote quarter"},
    "deck.q2": {"zh": "较近的1/4", "en": "second quarter"},
    "deck.q3": {"zh": "较远的1/4", "en": "third quarter"},
    "deck.q4": {"zh": "最偏远的1/4", "en": "most remote quarter"},
    "deck.share_axis": {"zh": "服务满足率（%）", "en": "served share (%)"},
    "deck.paths_title": {
        "zh": "三条资金路径：{year}年的结果",
        "en": "Three funding paths: where they stand in {year}",
    },
    "deck.path": {
        "zh": "预算 ×{factor:.1f}（{total:,.0f} 万元）",
        "en": "budget ×{factor:.1f} ({total:,.0f} 万元)",
    },
    "deck.coverage": {"zh": "覆盖率", "en": "coverage"},
    "deck.served_share": {"zh": "服务满足率", "en": "served share"},
    "deck.certified_share": {"zh": "持证比例", "en": "certified share"},
    "deck.targets_met": {"zh": "目标完成 {met}/{n}", "en": "targets met {met}/{n}"},
    "deck.percent_axis": {"zh": "%", "en": "%"},
    "deck.more_title": {
        "zh": "每年多 {extra:,.0f} 万元能买到什么（{year}年）",
        "en": "What {extra:,.0f} 万元 more a year buys ({year})",
    },
    "deck.more_stations": {
        "zh": "社工站：{a:,} → {b:,} / {n:,} 个乡镇",
        "en": "stations: {a:,} → {b:,} of {n:,} townships",
    },
    "deck.more_workers": {
        "zh": "驻站社工：{a:,} → {b:,} 人（{d:+,} 人）",
        "en": "workers: {a:,} → {b:,} ({d:+,})",
    },
    "deck.more_hours": {
        "zh": "服务需求满足：{a:,.0f} → {b:,.0f} / {n:,.0f} 小时（{sa:.0%} → {sb:.0%}）",
        "en": "client hours served: {a:,.0f} → {b:,.0f} of {n:,.0f} ({sa:.0%} → {sb:.0%})",
    },
    "deck.more_spend": {
        "zh": "支出：{a:,.0f} → {b:,.0f} 万元",
        "en": "spend: {a:,.0f} → {b:,.0f} 万元",
    },
    "deck.binds_none": {
        "zh": "在这个方案里没有限制起约束作用。",
        "en": "Nothing binds in this plan.",
    },
    # ------------------------------------------------------------------ experiments
    "experiments.sweep_title": {"zh": "资金水平扫描", "en": "budget sweep"},
    "experiments.sweep_levels": {"zh": "资金水平", "en": "Budget levels"},
    "experiments.sweep_served_share": {
        "zh": "{years} 平均服务需求满足率",
        "en": "Client hours served, {years} average",
    },
    "experiments.sweep_no_plan": {
        "zh": "无规划的资金水平（{n} 个）",
        "en": "Levels without a plan ({n})",
    },
    "experiments.sweep_knee": {
        "zh": "拐点（规划期总预算）",
        "en": "Knee (budget over the horizon)",
    },
    "experiments.sweep_least": {
        "zh": "实现全部目标的最低预算",
        "en": "Least budget for every target",
    },
    "experiments.sensitivity_title": {"zh": "敏感性分析", "en": "sensitivity"},
    "experiments.mincost_title": {"zh": "实现全部目标的最低预算", "en": "least budget"},
    "experiments.compare_last": {
        "zh": "{year}年：覆盖率 · 社工 · 支出 · 目标完成",
        "en": "{year}: coverage · workers · spend · targets met",
    },
}


CONSOLE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ the console (model.cli)
    "cli.error": {"zh": "错误：{message}", "en": "error: {message}"},
    "cli.internal": {
        "zh": "内部错误：{kind}: {message}（这是 stationplan 的缺陷；加 --debug 重新运行可看到"
        "调用栈，请报告）",
        "en": "internal error: {kind}: {message} (this is a bug in stationplan; run again with "
        "--debug for the traceback and report it)",
    },
    "cli.interrupted": {
        "zh": "已中断（{signal}）：已停止全部工作进程，未完成的结果已删除",
        "en": "interrupted ({signal}): every worker process stopped, unfinished results removed",
    },
    "cli.latest_folder": {
        "zh": "注意：{path} 是文件夹，不是指向最新结果的链接，已保持原样；本次结果在 {run}",
        "en": "note: {path} is a folder, not the link to the newest run; left as it is; this run "
        "is in {run}",
    },
    "cli.results": {"zh": "结果：  {path}", "en": "results: {path}"},
    "cli.report": {"zh": "报告：  {path}", "en": "report:  {path}"},
    "cli.validate": {
        "zh": "通过：{path} — {name}：{counties} 个县（市、区）{townships} 个乡镇（街道），"
        "{first}–{last} 年，{groups} 类服务对象，现有站点 {stations} / {townships} 个，"
        "优化目标 {objective}",
        "en": "ok: {path} — {name}: {townships} townships in {counties} counties, "
        "{first}–{last}, {groups} groups, {stations} stations now, objective {objective}",
    },
    "cli.plan": {
        "zh": "{name}：{solver} {status}{gap}，用时 {seconds:.1f} 秒；{year} 年：站点 "
        "{stations} / {townships} 个（覆盖率 {coverage:.0%}），社工 {workers} 人，服务需求满足率 "
        "{served:.0%}（按服务小时）；达成目标 {met} / {targets} 项",
        "en": "{name}: {solver} {status}{gap} in {seconds:.1f} s; {year}: {stations} of "
        "{townships} townships with a station ({coverage:.0%}), {workers} workers, served "
        "{served:.0%} of client hours; targets met {met}/{targets}",
    },
    "cli.levels": {
        "zh": "  站点以外（{year} 年）：{parts}；社会工作人员合计 {staff} 人，持证 {certified:.0%}",
        "en": "  Beyond the stations in {year}: {parts}; {staff} social work staff in all, "
        "{certified:.0%} certified",
    },
    "cli.levels_centres": {
        "zh": "{open} / {counties} 个县（区）设有社会工作指导中心（督导 {supervisors} 人）",
        "en": "{open} of {counties} counties have a guidance centre ({supervisors} supervisors)",
    },
    "cli.levels_sep": {"zh": "；", "en": "; "},
    "cli.levels_points": {
        "zh": "村社工点 {points} 个（{townships} 个乡镇中 {with_} 个设点）",
        "en": "{points} village points ({with_} of {townships} townships)",
    },
    "cli.levels_sectors": {
        "zh": "{sectors} 个行业的社工岗位 {posts} 个",
        "en": "{posts} posts in {sectors} sectors",
    },
    "cli.gap": {"zh": "，与最优界差距 {gap:.2%}", "en": ", gap {gap:.2%}"},
    "cli.no_bound": {
        "zh": "（在时限内尚未得到最优界，差距未知：可提高 solver.time_limit_s）",
        "en": " (no bound yet within the time limit, so no gap: raise solver.time_limit_s)",
    },
    "cli.stopped": {
        "zh": "  方案在时限内停止，未经证明：“什么起约束作用”和“达成全部目标所需预算”"
        "只对已证明的方案计算，本次未计算。",
        "en": "  The plan stopped at its time limit, unproven: what binds and the budget that "
        "meets every target are worked out only for a proven plan, not this time.",
    },
    "cli.unmet": {
        "zh": "  未达成：{target} {year} 年：要求 {required}，实际 {achieved}（差 {short}）",
        "en": "  unmet: {target} {year}: required {required}, achieved {achieved} (short {short})",
    },
    "cli.tradeoff": {
        "zh": "  取舍：{target} {year} 年（差 {short} {unit}）：{parts}",
        "en": "  trade-off: {target} {year} (short {short} {unit}): {parts}",
    },
    "cli.tradeoff_money": {
        "zh": "在其前面的目标之后达成需 {year} 年增加 {extra:+,.0f} 万元（各年合计 "
        "{extra_all:+,.0f} 万元）",
        "en": "met with the targets before it for {extra:+,.0f} 万元 in {year} "
        "({extra_all:+,.0f} over all years)",
    },
    "cli.tradeoff_first": {
        "zh": "在此预算下优先达成：{first}，服务小时变化 {hours:+,.0f}，挤出 {pushed}",
        "en": "put first at this budget: {first}, served hours {hours:+,.0f}, pushes out {pushed}",
    },
    "cli.tradeoff_met": {"zh": "可达成", "en": "met"},
    "cli.tradeoff_short": {"zh": "仍差 {short}", "en": "short {short}"},
    "cli.none": {"zh": "无", "en": "none"},
    "cli.changes": {
        "zh": "  提示：{n} 个乡镇·年的社工或服务小时比上一年减少（详见 changes.csv）；最多的：",
        "en": "  warning: workers or served hours fall against the year before in {n} "
        "township-years (changes.csv lists them all); largest:",
    },
    "change.sentence": {
        "zh": "{year} {county} {name}：社工 {before} → {workers} 人，服务小时 {served_before:,.0f} "
        "→ {served:,.0f}",
        "en": "{year} {county} {name}: workers {before} → {workers}, served hours "
        "{served_before:,.0f} → {served:,.0f}",
    },
    "change.leavers": {"zh": "离职未补 {n} 人", "en": "{n} leavers not replaced"},
    "change.moved": {"zh": "调出 {n} 人", "en": "{n} moved out"},
    "change.moved_to": {"zh": "调往 {names}", "en": "to {names}"},
    "change.laid_off": {"zh": "本县裁减 {n} 人", "en": "the county lays off {n}"},
    "cli.budget_gap_skipped": {
        "zh": "  本次未估算达成全部目标的最低预算（全国规模模型）：请加 --set objective=min_cost "
        "重新运行",
        "en": "  least budget for every target not estimated in this run (national-size model): "
        "run again with --set objective=min_cost",
    },
    "cli.unreachable": {
        "zh": "  部分目标在任何预算下都无法达成：招聘来源和站点人员上限起约束作用",
        "en": "  some targets cannot be met at any budget under the hiring pools and staffing "
        "limits",
    },
    "cli.extra_money": {
        "zh": "  达成可达目标每年还需增加的资金（万元）：{extra}",
        "en": "  extra money per year (万元) for the reachable targets: {extra}",
    },
    "cli.simulated": {
        "zh": "  仿真 {year} 年（{replications} 次重复）：服务需求满足率 {served:.0%}"
        "（按服务小时），未满足请求 {unmet:,.0f} 次，平均等待 {wait:.1f} 天，"
        "{standard:.0%} 的站点达到“三个3”",
        "en": "  simulated {year} ({replications} replications): served {served:.0%} of client "
        "hours, {unmet:,.0f} requests unmet, mean wait {wait:.1f} days, {standard:.0%} of "
        "stations meet 三个3",
    },
    "cli.loop": {
        "zh": "  规划—模拟循环：{why}；{agree} / {station_years} 个站·年一致；新随机种子下 "
        "{judged_agree} / {judged} 一致；{year} 年 {below} / {open} 个站点按时开始的请求少于 "
        "{level:.0%}",
        "en": "  plan-simulation loop {state} in {rounds} round(s): {agree} of {station_years} "
        "station-years agree ({why}); on fresh seeds {judged_agree} of {judged} agree; {below} "
        "of {open} stations start fewer than {level:.0%} of requests within their standard in "
        "{year}",
    },
    "cli.converged": {"zh": "已收敛", "en": "converged"},
    "cli.not_converged": {"zh": "未收敛", "en": "did not converge"},
    "cli.check_off": {
        "zh": "  在新随机种子仿真的 95% 区间之外：{off} / {total}（仅凭偶然约 1/20 会如此），"
        "差别最大：{named}（详见 service_check.csv）",
        "en": "  outside the simulation's 95% interval on fresh seeds ({off} of {total}; by "
        "chance alone about 1 in 20 would be), largest: {named} (service_check.csv lists them "
        "all)",
    },
    "cli.check_item": {
        "zh": "{where} 规划 {planned:.0%}，仿真 {simulated:.0%} [{low:.0%}–{high:.0%}]",
        "en": "{where} planned {planned:.0%}, simulated {simulated:.0%} [{low:.0%}–{high:.0%}]",
    },
    "cli.check_ok": {
        "zh": "  规划与仿真按时服务率差别最大：{where}，规划 {planned:.0%}，仿真 {simulated:.0%}"
        "（一致：规划值在仿真 95% 区间 ± 1 个百分点以内）",
        "en": "  largest difference between planned and simulated service levels: {where}, "
        "planned {planned:.0%}, simulated {simulated:.0%} (agreeing: planned within the "
        "simulation's 95% interval ± 1 point)",
    },
    "cli.replication": {
        "zh": "  公开数据对照（docs/replication.md）：{ok} / {n} 项在范围内{missed}",
        "en": "  published figures (docs/replication.md): {ok} of {n} within their band{missed}",
    },
    "cli.replication_missed": {"zh": "；范围外：{ids}", "en": "; outside: {ids}"},
    "cli.simulate": {
        "zh": "{name}：仿真{what}，{first}–{last} 年，{replications} 次重复；{year} 年：服务需求"
        "满足率 {served:.0%}（按服务小时），未满足请求 {unmet:,.0f} 次",
        "en": "{name}: simulated {what} over {first}–{last}, {replications} replications; "
        "{year}: served {served:.0%} of client hours, {unmet:,.0f} requests unmet",
    },
    "cli.simulate_plan": {"zh": "规划方案", "en": "the plan"},
    "cli.simulate_today": {"zh": "现有站点", "en": "today's stations"},
    "cli.synth": {
        "zh": "已写出 {path}：{counties} 个县的 {townships} 个合成乡镇（类型 {profile}，种子 "
        "{seed}）— 合成数据，不是官方统计",
        "en": "wrote {path}: {townships} synthetic townships in {counties} counties (profile "
        "{profile}, seed {seed}) — synthetic data, not official statistics",
    },
    "cli.template": {
        "zh": "已写出 {path}：请填写 年度预算（万元）、目标 和 乡镇表（每个乡镇一行），核对 "
        "基本设置 和 成本，然后运行：stationplan validate {path}",
        "en": "wrote {path}: fill in 年度预算 (万元), 目标 and 乡镇表 (one row per township), "
        "check 基本设置 and 成本, then: stationplan validate {path}",
    },
    "cli.sweep": {
        "zh": "{name}：{n} 个预算水平（{where}）；服务需求满足率 {first_served:.0%}（规划期合计 "
        "{first_total:,.0f} 万元）→ {last_served:.0%}（{last_total:,.0f} 万元）",
        "en": "{name}: {n} budget levels ({where}); served share {first_served:.0%} at "
        "{first_total:,.0f} → {last_served:.0%} at {last_total:,.0f} 万元 over the horizon",
    },
    "cli.sweep_knee": {
        "zh": "  拐点：第 {level} 个水平（{total:,.0f} 万元）",
        "en": "  knee at level {level} ({total:,.0f} 万元)",
    },
    "cli.sweep_met": {
        "zh": "  达成全部目标的最低预算水平：{total}",
        "en": "  least level meeting every target: {total}",
    },
    "cli.sweep_least": {
        "zh": "  达成全部目标的最低支出：规划期合计 {total:,.0f} 万元",
        "en": "  least spend meeting every target: {total:,.0f} 万元 over the horizon",
    },
    "cli.sweep_never": {
        "zh": "  任何资金都无法达成全部目标（招聘来源或站点人员上限起约束作用）",
        "en": "  no money meets every target (hiring pools or staffing limits bind)",
    },
    "cli.sweep_planned": {
        "zh": "{name}：{n} 个预算水平（{where}）中 {planned} 个得出规划",
        "en": "{name}: {planned} of {n} budget levels planned ({where})",
    },
    "cli.member_failed": {
        "zh": "  {member}：{status}——{reason}",
        "en": "  {member}: {status} — {reason}",
    },
    "cli.sweep_level": {
        "zh": "第 {level} 个水平（{label}，规划期合计 {total:,.0f} 万元）",
        "en": "level {level} ({label}, {total:,.0f} 万元 over the horizon)",
    },
    "cli.sweep_least_failed": {
        "zh": "  达成全部目标的最低预算：{status}——{reason}",
        "en": "  least budget for every target: {status} — {reason}",
    },
    "cli.where_serial": {"zh": "本机逐个计算", "en": "serial"},
    "cli.where_local": {
        "zh": "本机 Dask 集群，{n} 个进程",
        "en": "local Dask cluster, {n} processes",
    },
    "cli.where_scheduler": {"zh": "Dask 集群 {address}", "en": "Dask scheduler {address}"},
    "deck.more_at": {
        "zh": "，在情景预算 × {at:g} 的基础上",
        "en": ", on the scenario's budgets × {at:g}",
    },
    "cli.more_hours": {
        "zh": "{first}–{last} 年服务需求满足：{a:,.0f} → {b:,.0f} / {n:,.0f} 小时"
        "（{sa:.0%} → {sb:.0%}）",
        "en": "client hours served {first}–{last}: {a:,.0f} → {b:,.0f} of {n:,.0f} "
        "({sa:.0%} → {sb:.0%})",
    },
    "cli.more_spend": {
        "zh": "规划期支出：{a:,.0f} → {b:,.0f} 万元",
        "en": "spend over the horizon: {a:,.0f} → {b:,.0f} 万元",
    },
    "cli.mincost": {
        "zh": "{name}：达成全部目标的最低支出（万元）— {per_year}；合计 {total:,.0f}",
        "en": "{name}: least spend meeting every target (万元) — {per_year}; total {total:,.0f}",
    },
    "cli.mincost_extra": {
        "zh": "  比情景预算多：{extra}",
        "en": "  above the scenario's budgets by {extra}",
    },
    "cli.mincost_unreachable": {
        "zh": "  {n} 项目标在任何预算下都无法达成（招聘来源或站点人员上限起约束作用）",
        "en": "  {n} target(s) cannot be met at any budget (hiring pools or staffing limits bind)",
    },
    "cli.compare": {
        "zh": "{scenario}：{year} 年：覆盖率 {coverage:.0%}，社工 {workers:,} 人，支出 "
        "{spend:,.0f} 万元，服务需求满足率 {served:.0%}；达成目标 {met} / {named} 项",
        "en": "{scenario}: {year}: coverage {coverage:.0%}, {workers:,} workers, spend "
        "{spend:,.0f} 万元, served {served:.0%}; targets met {met}/{named}",
    },
    "cli.sensitivity": {
        "zh": "{name}：{output} = {base}；影响最大的参数 {parameter}（{low_value} 时 {at_low} … "
        "{high_value} 时 {at_high}）",
        "en": "{name}: {output} = {base}; widest swing from {parameter} ({at_low} at "
        "{low_value} … {at_high} at {high_value})",
    },
    "cli.replicate": {
        "zh": "{name}：{ok} / {n} 项公开数据在范围内",
        "en": "{name}: {ok} of {n} published figures within their band",
    },
    "cli.replicate_miss": {
        "zh": "  ✗ {figure}：公开 {published}，模型 {model} {unit}",
        "en": "  ✗ {figure}: published {published}, model {model} {unit}",
    },
    "cli.locate": {
        "zh": "{problem}：{sites} 个站点，目标值 {objective}（{status}，间隙 {gap}）",
        "en": "{problem}: {sites} sites, objective {objective} ({status}, gap {gap})",
    },
    "cli.locate_optimal": {"zh": "已证明最优", "en": "proven optimal"},
    "cli.locate_time_limit": {"zh": "达到时间上限", "en": "time limit reached"},
    "cli.locate_covered": {
        "zh": "  半径内覆盖的权重：{share}",
        "en": "  weight covered within the radius: {share}",
    },
    "cli.locate_time": {
        "zh": "  建模 {build} 秒，求解 {solve} 秒",
        "en": "  build {build} s, solve {solve} s",
    },
    "cli.calibrate": {
        "zh": "已按 {scenario}（{townships} 个乡镇）校准：{factors}；行政事务占比 {before:.2f} → "
        "{after:.2f}；{ok} / {n} 项公开数据在范围内",
        "en": "calibrated on {scenario} ({townships} townships): {factors}; admin_share "
        "{before:.2f} → {after:.2f}; {ok} of {n} published figures within their band",
    },
    "cli.calibrate_figure": {
        "zh": "  {mark} {figure}：公开 {published:g} [{low:g}–{high:g}]，模型 {before:g} → "
        "{after:g} {unit}（{role}）",
        "en": "  {mark} {figure}: published {published:g} [{low:g}–{high:g}], model "
        "{before:g} → {after:g} {unit} ({role})",
    },
    "cli.calibrate_failed": {
        "zh": "拟合未收敛：{message}",
        "en": "the fit did not converge: {message}",
    },
    "cli.calibrate_into": {
        "zh": "已改写 {path}（原文保存在结果文件夹中）",
        "en": "rewrote {path} (previous text kept in the folder)",
    },
}
"""What the command line prints (model.cli), in the language of the scenario's report.language
or --lang."""

TEXT |= CONSOLE

GRADE_EN = {
    "uncertified": "uncertified",
    "junior": "junior (助理社会工作师)",
    "intermediate": "intermediate (社会工作师)",
}
"""English labels of the grades (with the Chinese title of the certificate)."""

TEXT |= {f"target.{name}": {"zh": TARGET_NAMES_ZH[name], "en": name} for name in TARGETS}
TEXT |= {f"grade.{g}": {"zh": GRADE_NAMES_ZH[g], "en": GRADE_EN[g]} for g in GRADES}


# ------------------------------------------------------------------ workbook column meanings
MEANINGS_ZH: dict[str, str] = {
    # summary.csv and equity.csv (model.plan.equity: SUMMARY_COLUMNS, COLUMN_DOCS)
    "gini_served_share": "各乡镇服务需求满足率的基尼系数（按服务需求小时加权；0 为完全均衡）",
    "palma_served_share": (
        "帕尔马比值：满足率最高的 10% 服务需求所得的已服务小时 ÷ 满足率最低的 40% 所得的已服务小时"
    ),
    "lowest_served_share": "满足率最低的乡镇的服务需求满足率",
    "townships_below_30pct": "服务需求满足率低于 30% 的乡镇数",
    **{
        f"served_share_{q}": (
            f"偏远程度四分位 {q.upper()} 内乡镇的已服务小时 ÷ 服务需求小时（Q1 最不偏远，"
            "Q4 最偏远）"
        )
        for q in ("q1", "q2", "q3", "q4")
    },
    "source": "规划（plan）或模拟（simulation）",
    "measure": "公平性指标（见 docs/method.md，公平性指标一节）",
    "key": "指标所针对的对象：乡镇、县区、偏远程度四分位（Q1 最不偏远）或服务对象群体",
    "denominator": (
        "数值的分母：服务需求小时（小时占比）、人数（触达率）或乡镇数（计数；基尼系数、"
        "帕尔马比值和最低满足率按参与计算的乡镇数）"
    ),
    # limits.csv (model.optimizer.limits)
    "limit": (
        "限制规划的因素：预算（budget）、招聘来源（hiring_pool）、持证社工来源"
        "（certified_pool）、每站人数上限（max_workers）、考试通过率（exam_pass_rate）"
        "（见 docs/method.md，约束一节）"
    ),
    "used": "规划用掉的额度（资金、招聘人数、仍有未满足需求但已达人数上限的站点、参训人数）",
    "available": "该限制允许的额度（无年份的行：整个规划期合计）",
    "binds": (
        "约束表：该限制是否卡住了规划（剩余不足一个单位）；减员表：当年制约该县的因素"
        "（招聘来源、预算）"
    ),
    "worth_hours_per_unit": "该限制每放宽一个单位，规划期内可多服务的服务对象小时数",
    "worth_objective_per_unit": "该限制每放宽一个单位，规划目标值的增加",
    "method": (
        "估计方法：松弛量（slack）、重新求解（re-solve）、线性规划（LP）或其对偶值（LP dual）"
    ),
    "metric": "指标名称",
    "value": "指标数值",
    "unit": "数值的单位",
    # region profile, plan.csv, summary.csv, county_totals.csv
    "county": "乡镇所在的县（区）；各县现状表最后一行为合计",
    "townships": "乡镇级单位数（乡镇、街道）",
    "townships_rural": "乡、镇数",
    "townships_urban": "城市街道数",
    "townships_relocation": "易地扶贫搬迁安置区（街道）数",
    "population": "常住人口",
    "elderly": "60 岁及以上常住人口",
    "stations": "设有社工站的乡镇数",
    "coverage": "设有社工站的乡镇占全部乡镇的比例",
    "workers_certified": "持证社工人数（助理社会工作师 + 社会工作师）",
    "workers_uncertified": "未持证的社工站工作人员人数",
    "group": "情景文件中的服务对象群体代码",
    "label": "服务对象群体名称",
    "persons": "该群体的人数",
    "per_1000_population": "每千名常住人口中该群体的人数",
    "persons_rural": "该群体中住在乡、镇的人数",
    "persons_urban": "该群体中住在城市街道的人数",
    "persons_relocation": "该群体中住在易地搬迁安置区的人数",
    "persons_in_townships_with_station": "该群体中所在乡镇设有社工站的人数",
    "share_with_station": "该群体中所在乡镇设有社工站的人数比例",
    "township_id": "乡镇表中的乡镇代码",
    "name": "乡镇表中的乡镇（街道、镇）名称",
    "year": "规划年份",
    "station": "当年该乡镇有运行中的社工站为 1，否则为 0",
    "workers_junior": "在岗的助理社会工作师人数",
    "workers_intermediate": "在岗的社会工作师人数",
    "workers": "在岗社工总人数",
    "trained": "当年参加持证考试培训的未持证社工人数",
    "client_hours": "服务对象所需的服务小时（WISN 工作量法，不含站务工作）",
    "served_hours": "规划配备的社工按优先顺序能完成的服务小时",
    "served_share": "已服务小时 ÷ 服务需求小时（served_hours ÷ client_hours）",
    "planned_service_level": (
        "按规划配备的社工，在标准时限内开始服务的请求所占比例（排队论 M/M/c+D 估算）；"
        "年度汇总表中为全区按请求数加权的值"
    ),
    "spend": "该乡镇当年的支出",
    "spend_setup": "建站费用（station_setup）× 新建站点数",
    "spend_running": "站点运营费用（station_running）× 运行中的站点数",
    "spend_salary": "Σ 各等级年薪（salary[grade]）× 工资指数（wage_index）× 社工人数",
    "spend_training": "持证培训费用（certification_training）× 参训人数",
    "spend_moves": "调动费用（workforce.move_cost）× 调出人数",
    "spend_severance": "辞退社工的经济补偿（workforce.severance_months）",
    "spend_other": "站点以外各层级（县级指导中心、行业岗位）的支出，已含在总支出中",
    "workers_other": (
        "站点以外的社工人数：县级指导中心的督导和行业岗位（计入本表的持证比例和每千名老人社工数）"
    ),
    # sectors.csv (model.optimizer.sectors)
    "sector": "情景文件中的行业代码（sectors.<name>）",
    "sectors.label": "行业名称",
    "posts_needed": "该行业需要的社工岗位数：⌈驱动列全区合计 ÷ per⌉，或情景给定的 need",
    "posts": "当年该行业已设的社工岗位数",
    "added": "当年比上一年（首年比现有）新增的岗位数",
    "sectors.spend_salary": "行业每岗位年成本（cost，含各项费用）× 岗位数",
    "moved_out": "站点除自然离职外减少的社工人数（调往本县其他乡镇，或被辞退）",
    "laid_off": "被辞退的社工人数（仅在 workforce.layoffs 开启时）",
    # changes.csv (model.plan.changes)
    "workers_before": "上一年的社工人数（第一年为现状人数）",
    "served_before": "上一年已服务的服务对象小时",
    "leavers_not_replaced": "本站离职后县里未补充的人数",
    "moved_to": "当年本县人数增加的站点，即调出社工的去向",
    "county_laid_off": "本县当年辞退的社工人数",
    "warning": "变化情况的文字说明",
    "spend_total": "当年全部支出",
    "budget": "当年预算",
    "stations_opened": "当年新建的站点数",
    "hires": (
        "从本县招聘来源招聘的社工人数（新增岗位加预计补缺）；这是期望值，hires.csv 和 "
        "summary.csv 中可能带小数，工作簿和报告按县、年份、等级四舍五入为整人"
    ),
    "certified_share": "持证社工 ÷ 全部社工",
    "workers_per_1000_elderly": "每千名 60 岁及以上老人拥有的社工人数",
    "target": "目标名称（有群体或等级的，以 .群体 或 .等级 标明）",
    "required": "目标要求的数值",
    "achieved": "规划实际达到的数值",
    "met": "规划是否完成该目标",
    "shortfall": "未完成时的差距：要求 − 实现",
    "least_cost_all_targets": "不受预算限制时完成全部目标所需的最低支出",
    "extra_needed": "实现全部目标的最低支出 − 预算（为正时）",
    "all_targets_reachable": "投入多少资金能否完成全部目标（招聘来源和人员配备也会制约）",
    "demand_hours": "该群体所需的服务小时",
    "grade": "社工等级",
    # simulation.csv (each measure: the mean over replications)
    "replications": "求平均值所用的模拟次数",
    "unmet_hours": "未完成的服务小时：未在标准时限内开始的请求（及其后续服务）",
    "unmet_requests": "未在标准时限内开始的服务请求数（含其本应有的后续服务）",
    "wait_mean_days": "从提出请求到开始服务的平均等待天数",
    "wait_p90_days": "等待天数的第 90 百分位数",
    "utilisation": "社工忙碌时间 ÷ 在岗时间",
    "service_level": "在标准时限内开始服务的请求所占比例",
    "case_clients": "当年完成个案接案的服务对象人数",
    "visits": "当年社工、志愿者和村社工点入户探访的人次",
    "point_visits": "当年村社工点承接的入户探访次数（不经站点排队，计入 visits）",
    "sessions_per_client": "每个个案服务对象接受的个案服务次数",
    "group_activities_held": "站点开展的小组活动次数",
    "standard_333": (
        "达到“三个3”的模拟次数比例（个案服务对象不少于 30 人、小组活动不少于 3 次、"
        "每个个案服务不少于 3 次）"
    ),
    "departures": "当年离职的社工人数（人员流失）",
    "clients_reached": "当年至少接受过一次服务的服务对象人数（不重复计）",
    "reach_rate": "触达人数 ÷ 群体人数（clients_reached ÷ persons）",
    "on_time_share": (
        "该乡镇当年配备这么多社工时，在标准时限内开始服务的请求所占比例（排队论估算，或由模拟实测）"
    ),
    "measured": "该比例由模拟实测时为 True",
    "simulated_service_level": "模拟得到的在标准时限内开始服务的请求比例（各次模拟的平均值）",
    "simulated_low": "模拟比例 95% 置信区间的下限",
    "simulated_high": "模拟比例 95% 置信区间的上限",
    "planned_half": "规划比例自身 95% 置信区间的半宽（0：排队论估算；大于 0：由循环中的模拟实测）",
    "difference": "模拟比例 − 规划比例",
    "agrees": "规划值与模拟值在各自区间内一致（± 1 个百分点）时为 True",
    # access.csv and nearest_station.csv (model.plan.access: COLUMN_DOCS)
    "minutes_to_station": (
        "当年从该乡镇到最近的已建站乡镇的通行时间（本乡镇有站为 0；空：当年没有任何站点）"
    ),
    "minutes": "通行时间门槛：到最近的已建站乡镇不超过这么多分钟",
    "people": "人群：population（全体常住人口）或服务对象群体代码",
    "persons_within": "该人群中所在乡镇在门槛时间内可到达社工站的人数",
    "persons_total": "全区该人群的总人数（比例的分母）",
    "share_within": "可到达人数 ÷ 总人数（persons_within ÷ persons_total）",
    # the plan's catchments and catchments.csv (model.output.catchments: COLUMN_DOCS)
    "served_by": "当年为本乡镇提供服务的邻近已建站乡镇的代码（本乡镇无站时；否则为空）",
    "catchment_hours": (
        "站点所在乡镇：该站为服务片区内邻近乡镇完成的服务时长，含往返路程（其他乡镇为 0）；"
        "服务片区表：该服务站点当年的合计"
    ),
    "station_id": "服务站点所在乡镇的代码",
    "station_name": "服务站点所在乡镇的名称",
    "station_county": "服务站点所在的县（区）",
    "catchments.minutes": "从服务站点到被服务乡镇的通行时间（单程）",
    "catchments.served_hours": "被服务乡镇的服务需求中由该站点完成的时长",
    # centres.csv (model.optimizer.centres)
    "centres.centre": "当年该县（区）是否设有社会工作指导中心（1 为有）",
    "centres.supervisors": "指导中心的督导人数（社会工作师）",
    "centres.stations": "指导中心督导的本县已开办站点数",
    "centres.load_hours": (
        "这些站点的督导和转介复杂个案工时（每站 centre.supervision_hours + "
        "转介比例 × 新开个案 × 每案工时）"
    ),
    "centres.capacity_hours": "督导的可用工时（每人 hours_per_worker）",
    "centres.trainees": "本县站点参加持证培训的未持证社工人数",
    # provinces.csv and central.csv (model.optimizer.provinces)
    "province": "该行所属的省份",
    "provinces.status": "该省模型的求解状态",
    "provinces.gap": "该省方案与其最优界的差距（已证明）",
    "provinces.wall_s": "该省任务在工作进程中的用时",
    "provinces.solve_s": "该省求解器用时",
    "provinces.workers": "该省当年各层级社会工作人员合计",
    "provinces.targets_met": "该省达成的目标数",
    "provinces.targets": "该省的目标数",
    "step": "中央转移支付的价格更新轮次（拉格朗日松弛）",
    "central.bound": "本轮价格下的拉格朗日界（目标函数单位）",
    "central.plan": "按本轮分配转移支付后方案的目标函数值",
    "central.best_bound": "迄今最好的界",
    "central.best_plan": "迄今最好的方案",
    "central.gap": "最好方案与最好界的相对差距",
    "central.seconds": "自第一轮起的用时",
    # plan.csv and points.csv (model.optimizer.points)
    "points": "当年该乡镇的村（社区）社工点数；points.csv 中为该县各乡镇合计",
    "point_hours": (
        "社工点承接的入户探访为本乡镇社工站节省的工时"
        "（每次按社工入户所需：探访时长 + 本乡镇往返时间）"
    ),
    "points.townships_with_points": "本县设有社工点的乡镇数",
    "points.visits": "本县社工点当年承接的入户探访次数（规划值）",
    "points.hours_saved": "这些探访为本县社工节省的工时（plan.csv 中 point_hours 的合计）",
    "points.spend_setup": "社工点建设费（point.setup）× 新设社工点数",
    "points.spend_running": "社工点运营费（point.running）× 社工点数",
    # funding.csv (model.plan.funding: COLUMN_DOCS)
    "funding.source": "资金来源（情景 funding 部分中的键名）",
    "funding.label": "资金来源的名称",
    "funding.level": (
        "支付谁的支出：station（乡镇社工站）、centre（县级指导中心）、point（村社工点）、"
        "sector（社工站以外的岗位）；"
        "合计行为空"
    ),
    "funding.county": "所支付支出所在的县（区）（空：行业岗位或合计行）",
    "funding.category": (
        "支出类别（setup 建站、running 运营、salary 薪酬、training 培训、severance 辞退补偿、"
        "moves 调动），或 total：该来源当年的合计"
    ),
    "funding.used": "该来源支付的金额（合计行：当年支付总额）",
    "funding.available": (
        "合计行：该来源当年可用的资金（不含结转）：scale ×（amount + per_station × 其县内开办的"
        "站点数 + per_new_station × 当年新建站点数）"
    ),
    "funding.unused": "合计行：当年未用且未结转（作废）的资金",
    "funding.carried_in": "合计行：以前年度结转来的资金",
    "funding.carried_out": "合计行：结转到以后年度的资金",
    # calibration.xlsx (model.output.calibration)
    "published": "公开发布的数值",
    "low": "合格范围下限（拟合前确定）",
    "high": "合格范围上限（拟合前确定）",
    "model_before": "按情景原有参数算出的模型值",
    "model_after": "按拟合后参数算出的模型值",
    "relative_error": "拟合后模型值 ÷ 公开数值 − 1（model_after ÷ published − 1）",
    "in_band": "拟合后模型值是否在合格范围（下限–上限）内",
    "std_error": "拟合值的标准误（由最优点处的雅可比矩阵估计）",
    # sweep.xlsx (model.output.experiments: SWEEP_DOCS)
    "level": "资金水平（0 为最低一档）",
    "frontier.label": "该资金水平对每年预算所乘的系数，或其每年的预算",
    "frontier.budget_total": "该资金水平整个规划期的预算合计",
    "frontier.spend_total": "该规划整个规划期的支出合计",
    "frontier.coverage": "规划期最后一年设有社工站的乡镇比例",
    "frontier.served_hours": "整个规划期已服务小时合计",
    "frontier.served_share": "整个规划期已服务小时 ÷ 服务需求小时（各年按服务需求加权平均）",
    "frontier.simulated_served_share": "模拟得到的整个规划期已服务小时 ÷ 服务需求小时",
    "frontier.unmet_requests": "模拟中未按时开始服务的请求数，整个规划期合计",
    "targets_met": "该资金水平下规划完成的目标数",
    "targets_named": "情景设定的目标数",
    "cost_per_served_hour": "整个规划期支出 ÷ 已服务小时",
    "what_binds": "制约该资金水平下规划的因素",
    "marginal_hours_per_100_wan": "升到下一资金水平时，每多投入 100 万元整个规划期可多服务的小时数",
    "all_targets_met": "该资金水平下规划是否完成全部目标",
    "frontier.status": "已规划，或该资金水平没有规划的原因：无可行方案（预算和招聘来源"
    "容不下任何方案）、限时内未求得方案、工作进程中断（运行它的进程两次退出）",
    "frontier.reason": "该资金水平没有规划的原因（如必须继续开办的站点所需的最低预算）；"
    "已规划的为空",
}
"""The Chinese meaning of every column of the results workbooks' columns sheet (列说明), keyed
as model.output.runfolder.COLUMN_DOCS, model.output.calibration.COLUMN_DOCS and
model.output.experiments.SWEEP_DOCS are ("<sheet>.<column>" for a column of one sheet); formulas
and file names stay as they are. The group columns a scenario adds take MEANING_GROUP_ZH."""

MEANING_GROUP_ZH = "服务对象群体“{label}”的人数（情景文件中的群体代码 {group}）"
"""The Chinese meaning of a column the scenario adds per recipient group (persons in the group)."""

UNITS_ZH: dict[str, str] = {
    "share 0–1": "比例（0–1，表中以百分比显示）",
    "share": "比例（表中以百分比显示）",
    "index 0–1": "指数（0–1）",
    "ratio": "比值",
    "year": "年",
    "0/1": "0/1",
    "true/false": "是/否",
    "True/False": "是/否",
    "see unit": "见“单位”列",
    "see measure": "随指标而定",
    "bool (limits), text (changes)": "是/否（约束表）；文字（减员表）",
}
"""Chinese units of the columns sheet that have no `unit.*` header key (shares, flags, years):
headers leave them out, the columns sheet says them."""


def t(key: str, lang: str = "zh", **fields: Any) -> str:
    """The text `key` in `lang` ("zh" or "en"), with `fields` filled in (str.format)."""
    text = TEXT[key]["zh" if lang == "zh" else "en"]
    return text.format(**fields) if fields else text
