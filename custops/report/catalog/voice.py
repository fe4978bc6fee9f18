"""Catalog texts of NPS, service experience, agents, sentiment and comment themes (custops.voice).

Keys are mostly prefixed ``voice.`` (figure captions: ``figure.``); each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "figure.nps_trend": {
        "en": "NPS went from {first} in {first_month} to {last} in {last_month}.",
        "zh": "NPS 从 {first_month} 的 {first} 变为 {last_month} 的 {last}。",
    },
    "figure.nps_panels": {
        "en": "NPS is highest for {high} ({high_nps}) and lowest for {low} ({low_nps}); "
        "overall {overall}.",
        "zh": "NPS 最高的是{high}（{high_nps}），最低的是{low}（{low_nps}）；总体为 {overall}。",
    },
    "figure.nps_panels.group": {"en": "{kind} {group}", "zh": "{kind}“{group}”"},
    "figure.agents": {
        "en": "Median resolution time ranges from {low} h ({low_agent}) to {high} h "
        "({high_agent}) across agents; the team's is {team} h.",
        "zh": "各坐席解决时长中位数从 {low} 小时（{low_agent}）到 {high} 小时（{high_agent}）不等，"
        "团队为 {team} 小时。",
    },
    "figure.response_time": {
        "en": "NPS is {first} when the first response came in {first_group} and {last} when "
        "it came in {last_group}.",
        "zh": "首次响应时长为{first_group}的客户 NPS 为 {first}，{last_group}的为 {last}。",
    },
    "figure.response_time.csat": {
        "en": "CSAT 4–5 is {first} when the first response came in {first_group} and {last} "
        "when it came in {last_group}.",
        "zh": "首次响应时长为{first_group}的工单满意度（4–5 分）为 {first}，{last_group}的为 {last}。",
    },
    "figure.odds_ratios": {
        "en": "{label} goes with the largest change in the odds of being a detractor: odds "
        "ratio {ratio:.2f} (95% CI {low:.2f}–{high:.2f}).",
        "zh": "与成为贬损者关系最大的是{label}：优势比 {ratio:.2f}（95% 置信区间 {low:.2f}–{high:.2f}）。",
    },
    "figure.odds_ratios.none": {
        "en": "No factor clearly changes the odds of being a detractor: every 95% interval "
        "includes 1.",
        "zh": "没有因素明确改变成为贬损者的可能：所有 95% 置信区间都包含 1。",
    },
    "figure.themes": {
        "en": "The theme {group} mention most is {theme}, in {share} of their comments.",
        "zh": "{group}最常提到的主题是{theme}，占其评论的 {share}。",
    },
    "figure.themes.promoter": {"en": "promoters", "zh": "推荐者"},
    "figure.themes.passive": {"en": "passives", "zh": "被动者"},
    "figure.themes.detractor": {"en": "detractors", "zh": "贬损者"},
    "figure.sentiment_map": {
        "en": "The most negative cell: {aspect} in {segment}, with {share} of mentions negative.",
        "zh": "最负面的是{segment}的{aspect}：{share} 的提及为负面。",
    },
    # ------------------------------------------------------------------ voice.nps: notes
    "voice.nps.scale_recoded": {
        "en": "> The survey scores were recoded to the 0–10 scale by the config "
        "(`sources.surveys.values.score`): {pairs}.",
        "zh": "> 问卷评分已按配置（`sources.surveys.values.score`）换算为 0–10 分：{pairs}。",
    },
    "voice.nps.no_column": {
        "en": "> The survey answers have no `{column}` column (config key "
        "`sources.surveys.columns.{column}`), so this section ({section}) is skipped.",
        "zh": "> 问卷答复中没有 `{column}` 列（配置项 `sources.surveys.columns.{column}`），"
        "本节（{section}）跳过。",
    },
    "voice.nps.no_answers": {
        "en": "> There are no survey answers (config key `sources.surveys`), so this section "
        "({section}) is skipped.",
        "zh": "> 没有问卷答复（配置项 `sources.surveys`），本节（{section}）跳过。",
    },
    "voice.nps.small_groups": {
        "en": "Groups with fewer than {min_n} answers (`nps.min_group_n`) are counted but not "
        "shown as estimates, plotted or ranked: {n_small} of {n_groups} groups ({by_type}).",
        "zh": "回复少于 {min_n} 份（`nps.min_group_n`）的分组只计数，不给出估计值、不画图、不排名："
        "{n_groups} 个分组中有 {n_small} 个（{by_type}）。",
    },
    # ------------------------------------------------------------------ voice.nps: service KPI table
    "voice.nps.kpi.channel": {"en": "Channel", "zh": "渠道"},
    "voice.nps.kpi.n_tickets": {"en": "Tickets", "zh": "工单数"},
    "voice.nps.kpi.frt": {
        "en": "First response, median h (95% CI)",
        "zh": "首次响应中位数（小时，95% 置信区间）",
    },
    "voice.nps.kpi.in_time": {"en": "Answered within {h:g} h", "zh": "{h:g} 小时内响应"},
    "voice.nps.kpi.resolve": {"en": "Time to resolve, median h", "zh": "解决时长中位数（小时）"},
    "voice.nps.kpi.fcr": {"en": "First-contact resolution", "zh": "首次解决率"},
    "voice.nps.kpi.reopen": {"en": "Reopen rate", "zh": "重开率"},
    "voice.nps.kpi.csat": {"en": "CSAT mean (1-5)", "zh": "满意度均值 (1-5)"},
    "voice.nps.kpi.satisfied": {"en": "CSAT 4-5", "zh": "满意度 4-5 分占比"},
    "voice.nps.kpi.small": {"en": "Small group", "zh": "样本过小"},
    "voice.nps.no_ticket": {"en": "no ticket", "zh": "无工单"},
    # ------------------------------------------------------------------ voice.nps: drivers
    "voice.nps.driver.slow_first_response": {
        "en": "Slow first response (median > {slow:g} h)",
        "zh": "首次响应慢（中位数 > {slow:g} 小时）",
    },
    "voice.nps.driver.unresolved_complaint": {
        "en": "Has an unresolved complaint",
        "zh": "有未解决的投诉",
    },
    "voice.nps.driver.n_tickets": {
        "en": "Each additional service ticket",
        "zh": "每多一张服务工单",
    },
    "voice.nps.driver.app_bound": {"en": "APP bound", "zh": "已绑定 APP"},
    "voice.nps.driver.orders_365d": {
        "en": "Each additional order in the last 365 days",
        "zh": "近 365 天每多一笔订单",
    },
    "voice.nps.driver.tenure_years": {
        "en": "Each additional year as a customer",
        "zh": "客户年限每多一年",
    },
    "voice.nps.driver.is_new": {"en": "New customer this period", "zh": "本期新客户"},
    "voice.nps.driver.level": {
        "en": "{name} {shown} (vs {versus})",
        "zh": "{name} {shown}（相对 {versus}）",
    },
    "voice.nps.driver.constant": {
        "en": "Left out (the same for every answer): {names}",
        "zh": "以下变量取值相同，未纳入：{names}",
    },
    "voice.nps.driver.collinear": {
        "en": "Left out (collinear with other variables): {names}",
        "zh": "以下变量与其他变量共线，未纳入：{names}",
    },
    "voice.nps.driver.one_class": {
        "en": "No model: all answers are in one class.",
        "zh": "无法建模：所有回答属于同一类。",
    },
    "voice.nps.driver.separation": {
        "en": "Some variable separates detractors from the others perfectly: its odds ratio is "
        "not reliable.",
        "zh": "有变量能把贬损者与其他回答完全分开：其优势比不可靠。",
    },
    "voice.nps.driver.no_convergence": {
        "en": "The model's fit did not converge: read the odds ratios as rough.",
        "zh": "模型拟合未收敛：优势比仅供粗略参考。",
    },
    # ------------------------------------------------------------------ voice.nps: summary sentence
    "voice.nps.summary.none": {
        "en": "No survey answers in {label}: the NPS cannot be computed.",
        "zh": "{label} 没有问卷回复，无法计算 NPS。",
    },
    "voice.nps.summary.head": {
        "en": "In {label} the NPS was **{nps}** ({ci}; n = {n:,} answers: {prom:.0%} promoters, "
        "{det:.0%} detractors).",
        "zh": "{label} 的 NPS 为 **{nps}**（{ci}；共 {n:,} 份回复：推荐者 {prom:.0%}，贬损者 {det:.0%}）。",
    },
    "voice.nps.comparison.previous": {"en": "the previous period", "zh": "上期"},
    "voice.nps.comparison.last_year": {"en": "the same period last year", "zh": "去年同期"},
    "voice.nps.summary.significant": {
        "en": "a statistically significant change (5% level)",
        "zh": "在 5% 水平上显著",
    },
    "voice.nps.summary.noise": {
        "en": "within what sampling noise produces (not significant at 5%)",
        "zh": "在抽样误差范围内（5% 水平不显著）",
    },
    "voice.nps.summary.change": {
        "en": " Against {name} ({baseline_period}: {baseline}, n = {n_baseline:,}) the change is "
        "**{change} points** ({ci}, z = {z}, {p}): {verdict}.",
        "zh": " 与{name}（{baseline_period}：{baseline}，{n_baseline:,} 份）相比，变化 **{change} 分**"
        "（{ci}，z = {z}，{p}）：{verdict}。",
    },
    "voice.nps.summary.no_comparison": {
        "en": " There are no answers from the previous period or a year earlier to compare with.",
        "zh": " 没有上期或去年同期的回复可供比较。",
    },
    # ------------------------------------------------------------------ voice.nps: slow-service gap
    "voice.nps.gap.none": {
        "en": "Service data are missing, so the NPS of slow-service customers cannot be compared.",
        "zh": "缺少服务数据，无法比较响应慢客户的 NPS。",
    },
    "voice.nps.gap": {
        "en": "Customers whose median first response was above {hours:g} h gave an NPS of "
        "**{nps_yes}** (n = {n_yes:,}), the others **{nps_no}** (n = {n_no:,}): a gap of "
        "**{gap} points** ({ci}, {p}).",
        "zh": "首次响应中位数超过 {hours:g} 小时的客户 NPS 为 **{nps_yes}**（{n_yes:,} 份），"
        "其他客户为 **{nps_no}**（{n_no:,} 份）：相差 **{gap} 分**（{ci}，{p}）。",
    },
    # ------------------------------------------------------------------ voice.nps: group changes
    "voice.nps.changes.none": {"en": "No groups to compare.", "zh": "没有可比较的分组。"},
    "voice.nps.changes.tested": {
        "en": "{n} groups were tested (Holm's correction over all of them)",
        "zh": "共检验 {n} 个分组（对全部分组做 Holm 校正）",
    },
    "voice.nps.changes.small": {
        "en": "; {small} small groups were not tested.",
        "zh": "；{small} 个样本过小的分组未检验。",
    },
    "voice.nps.changes.none_significant": {
        "en": " No group changed significantly on its own: with many comparisons, single-group "
        "moves of this size are within noise.",
        "zh": " 校正后没有单个分组的变化显著：多重比较下，这种幅度的单组变化属于噪声范围。",
    },
    "voice.nps.changes.item": {
        "en": "{group} ({change}, Holm {p})",
        "zh": "{group}（{change}，Holm {p}）",
    },
    "voice.nps.changes.significant": {
        "en": " Significant after correction: {items}.",
        "zh": " 校正后显著的分组：{items}。",
    },
    # ------------------------------------------------------------------ voice.nps: service KPIs
    "voice.nps.service.none": {
        "en": "No service tickets in this period.",
        "zh": "本期没有服务工单。",
    },
    "voice.nps.service.head": {
        "en": "{n:,} tickets were opened. Median first response **{frt:.1f} h** "
        "(95% CI {low:.1f}–{high:.1f}); {rate:.0%} answered within {hours:g} h ({ci}).",
        "zh": "本期共 {n:,} 张工单。首次响应中位数 **{frt:.1f} 小时**"
        "（95% 置信区间 {low:.1f}–{high:.1f}）；{hours:g} 小时内响应的占 {rate:.0%}（{ci}）。",
    },
    "voice.nps.service.fcr": {
        "en": " First-contact resolution {fcr:.0%} ({ci}), reopen rate {reopen:.0%} of resolved "
        "tickets; median time to resolve {resolve:.1f} h.",
        "zh": " 首次解决率 {fcr:.0%}（{ci}），已解决工单的重开率 {reopen:.0%}；解决时长中位数 {resolve:.1f} 小时。",
    },
    "voice.nps.service.csat": {
        "en": " Mean CSAT **{mean:.2f}** / 5 (95% CI {low:.2f}–{high:.2f}, {n:,} ratings).",
        "zh": " 满意度均值 **{mean:.2f}** / 5（95% 置信区间 {low:.2f}–{high:.2f}，{n:,} 个评分）。",
    },
    "voice.nps.service.slowest": {
        "en": " Slowest channel: {channel} (median {frt:.1f} h).",
        "zh": " 响应最慢的渠道：{channel}（中位数 {frt:.1f} 小时）。",
    },
    # ------------------------------------------------------------------ voice.nps: response time
    "voice.nps.rt.not_enough": {
        "en": "- {a} vs {b}: not enough answers.",
        "zh": "- {a} 对比 {b}：样本不足。",
    },
    "voice.nps.rt.points": {"en": "{value} pts", "zh": "{value} 分"},
    "voice.nps.rt.csat_share": {"en": "CSAT 4-5", "zh": "满意度 4-5 分占比"},
    "voice.nps.rt.significant": {"en": "significant", "zh": "显著"},
    "voice.nps.rt.not_significant": {"en": "not significant", "zh": "不显著"},
    "voice.nps.rt.line": {
        "en": "- {what}, first response {a} vs {b}: {va} (n = {na:,}) vs {vb} (n = {nb:,}); "
        "difference {d} ({ci}; Holm {p}, {verdict}).",
        "zh": "- {what}，首次响应 {a} 对比 {b}：{va}（{na:,}）对 {vb}（{nb:,}）；差 {d}（{ci}；Holm {p}，{verdict}）。",
    },
    "voice.nps.rt.verdict.slow_only": {
        "en": "\nVerdict: fast answers go with a higher NPS only because slow service goes with a "
        "much lower one; among customers answered within a day, the 2-hour mark makes no "
        "detectable difference.",
        "zh": "\n结论：快速响应对应更高 NPS，只是因为慢响应对应的 NPS 低得多；在一天内得到响应的客户中，"
        "“2 小时内”这一标准没有可检测到的差别。",
    },
    "voice.nps.rt.verdict.both": {
        "en": "\nVerdict: answering within the mark goes with a higher NPS even against answers "
        "within a day.",
        "zh": "\n结论：即使与一天内响应相比，在该时限内响应仍对应更高的 NPS。",
    },
    "voice.nps.rt.verdict.none": {
        "en": "\nVerdict: the data do not show a higher NPS for fast answers.",
        "zh": "\n结论：数据没有显示快速响应带来更高的 NPS。",
    },
    # ------------------------------------------------------------------ voice.nps: drivers text
    "voice.nps.drivers.none": {"en": "No model could be fitted.", "zh": "无法拟合模型。"},
    "voice.nps.drivers.head": {
        "en": "Logistic regression on {n:,} answers ({n_det:,} detractors). An odds ratio above 1 "
        "means more likely to be a detractor, holding the other factors fixed:",
        "zh": "基于 {n:,} 份回复（贬损者 {n_det:,} 份）的逻辑回归。优势比大于 1 表示在其他因素不变时更可能成为贬损者：",
    },
    "voice.nps.drivers.clear": {
        "en": "- **{label}**: {ratio:.2f} times the odds of being a detractor "
        "(95% CI {low:.2f}–{high:.2f}, {p}).",
        "zh": "- **{label}**：成为贬损者的优势是对照组的 {ratio:.2f} 倍（95% 置信区间 {low:.2f}–{high:.2f}，{p}）。",
    },
    "voice.nps.drivers.unclear": {
        "en": "- No clear effect (interval includes 1): {labels}.",
        "zh": "- 无明确影响（区间包含 1）：{labels}。",
    },
    "voice.nps.drivers.baseline_sep": {"en": ", ", "zh": "，"},
    "voice.nps.drivers.baselines": {"en": "Baselines: {items}.", "zh": "基准组：{items}。"},
    "voice.nps.drivers.association": {
        "en": "These are associations in survey data, not proof of cause.",
        "zh": "这些是问卷数据中的相关关系，不能证明因果。",
    },
    # ------------------------------------------------------------------ voice.nps: closed loop
    "voice.nps.loop.none": {
        "en": "No detractors with a complete follow-up window, or no contact data (touches/tickets).",
        "zh": "没有完整跟进窗口的贬损者，或缺少触达/工单数据。",
    },
    "voice.nps.loop.contacted": {
        "en": "**{rate:.0%}** of {n:,} detractors were contacted within {days} days of their "
        "answer ({ci}).",
        "zh": "{n:,} 位贬损者中 **{rate:.0%}** 在回复后 {days} 天内被联系（{ci}）。",
    },
    "voice.nps.loop.bought": {
        "en": " {rate_a:.0%} of contacted detractors bought again before the period end "
        "({ci_a}, n = {n_a:,}) against {rate_b:.0%} of the others ({ci_b}, n = {n_b:,})",
        "zh": " 被联系的贬损者中 {rate_a:.0%} 在期末前再次购买（{ci_a}，{n_a:,} 位），"
        "未被联系的为 {rate_b:.0%}（{ci_b}，{n_b:,} 位）",
    },
    "voice.nps.loop.p": {"en": "; {p}.", "zh": "；{p}。"},
    "voice.nps.loop.not_random": {
        "en": " Contact was not randomised, so this is not the effect of the call.",
        "zh": " 联系并非随机分配，因此这不是回访的因果效果。",
    },
    # ------------------------------------------------------------------ voice: comment themes
    "voice.theme.service_speed": {"en": "service speed", "zh": "响应速度"},
    "voice.theme.problem_resolution": {"en": "problem resolution", "zh": "问题解决"},
    "voice.theme.staff_attitude": {"en": "staff attitude", "zh": "服务态度"},
    "voice.theme.price": {"en": "price", "zh": "价格"},
    "voice.theme.product_quality": {"en": "product quality", "zh": "产品质量"},
    "voice.theme.delivery": {"en": "delivery", "zh": "物流配送"},
    "voice.theme.app_experience": {"en": "app / ordering", "zh": "APP / 下单"},
    "voice.theme.membership": {"en": "membership benefits", "zh": "会员权益"},
    "voice.nps.themes.none": {
        "en": "No comments to read in this period.",
        "zh": "本期没有可分析的评论。",
    },
    "voice.nps.themes.detractor": {"en": "Detractors", "zh": "贬损者"},
    "voice.nps.themes.promoter": {"en": "Promoters", "zh": "推荐者"},
    "voice.nps.themes.item": {
        "en": "{theme} {share:.0%} ({low:.0%}–{high:.0%})",
        "zh": "{theme} {share:.0%}（{low:.0%}–{high:.0%}）",
    },
    "voice.nps.themes.group": {
        "en": "{group} mention most ({n:,} comments): {items}.",
        "zh": "{group}提及最多（{n:,} 条评论）：{items}。",
    },
    # ------------------------------------------------------------------ voice.nps: segments note
    # English names the raw column, Chinese its label
    "voice.nps.segments.column": {"en": "{column}", "zh": "{label}"},
    "voice.nps.segments.joined": {
        "en": "Segments from notebook 02 joined ({columns}).",
        "zh": "已关联第 02 章的客群结果（{columns}）。",
    },
    "voice.nps.segments.missing": {
        "en": "> `segments.parquet` was not found (notebook 02 has not run for this period): "
        "the breakdowns by segment and value tier are skipped.",
        "zh": "> 未找到 `segments.parquet`（本期尚未运行第 02 章）：按客群和价值层级的拆分跳过。",
    },
    # ------------------------------------------------------------------ voice.nps: charts
    "voice.nps.group_title.segment": {"en": "Segment", "zh": "客群"},
    "voice.nps.group_title.tier": {"en": "Value tier", "zh": "价值层级"},
    "voice.nps.group_title.acquisition_channel": {"en": "Acquisition channel", "zh": "获客渠道"},
    "voice.nps.group_title.touchpoint": {"en": "Touchpoint", "zh": "触点"},
    "voice.nps.group_title.region": {"en": "Region", "zh": "地区"},
    "voice.nps.group_title.slow_first_response": {"en": "Slow first response", "zh": "首次响应慢"},
    "voice.nps.group_title.month": {"en": "Month", "zh": "月份"},
    # the grouping inside a caption sentence: lower case in English
    "voice.nps.panel_kind": {"en": "{lower}", "zh": "{kind}"},
    "voice.nps.plot.no_data": {"en": "no data", "zh": "无数据"},
    "voice.nps.plot.no_model": {"en": "no model", "zh": "无模型"},
    "voice.nps.plot.no_comments": {"en": "no comments", "zh": "无评论"},
    "voice.nps.plot.all_small": {
        "en": "every group is below the minimum n",
        "zh": "所有分组的样本都过小",
    },
    "voice.nps.plot.groups_title": {"en": "NPS by group", "zh": "分组 NPS"},
    "voice.nps.plot.groups_xlabel": {"en": "NPS (95% CI)", "zh": "NPS（95% 置信区间）"},
    "voice.nps.plot.trend_title": {"en": "NPS per month", "zh": "每月 NPS"},
    "voice.nps.plot.response_title": {
        "en": "First response time, NPS and CSAT",
        "zh": "首次响应时长与 NPS、满意度",
    },
    "voice.nps.plot.response_nps": {"en": "NPS by first response", "zh": "NPS（按首次响应时长）"},
    "voice.nps.plot.response_csat": {
        "en": "CSAT 4-5 by first response",
        "zh": "CSAT 4-5（按首次响应时长）",
    },
    "voice.nps.plot.odds_title": {"en": "Odds of detraction", "zh": "贬损的优势比"},
    "voice.nps.plot.odds_xlabel": {
        "en": "Odds ratio of being a detractor (95% CI, log scale)",
        "zh": "成为贬损者的优势比（95% 置信区间，对数刻度）",
    },
    "voice.nps.plot.themes_title": {"en": "Themes in comments", "zh": "评论主题"},
    "voice.nps.plot.themes_xlabel": {
        "en": "Share of comments mentioning (95% CI)",
        "zh": "提及该主题的评论占比（95% 置信区间）",
    },
    "voice.nps.plot.panels_xlabel": {
        "en": "NPS (95% CI); dashed: overall; groups below the minimum n not shown",
        "zh": "NPS（95% 置信区间）；虚线：总体；样本过小的分组未画出",
    },
    # ------------------------------------------------------------------ voice.agents
    "voice.agents.how.keyed": {
        "en": "Agents appear as keyed pseudonyms (A-xxxxxxxx): the same agent keeps the same "
        "label every quarter; the team lead, who holds the key, finds an agent's label with "
        "`custops.voice.agents.agent_lookup`, readers of the report cannot.",
        "zh": "坐席以带密钥的假名（A-xxxxxxxx）显示：同一坐席每季度标签不变；持有密钥的主管可用 "
        "`custops.voice.agents.agent_lookup` 查到某位坐席的标签，报告读者无法反推姓名。",
    },
    "voice.agents.how.ranked": {
        "en": "Agents are numbered by ticket volume in the period (Agent 01 has the most), "
        "never by name; numbers follow the volumes, so they do not carry over between "
        "quarters. Set the key variable `{key}` for keyed pseudonyms that stay the same "
        "every quarter.",
        "zh": "坐席按本期工单量编号（坐席 01 工单最多），不显示姓名；编号随工单量变化，各季度之间不可对照。"
        "设置环境变量 `{key}` 后改用每季度不变的带密钥假名。",
    },
    "voice.agents.how.raw": {
        "en": "Agents are shown as exported (the analyst's choice: for staff codes, not names).",
        "zh": "坐席按导出文件中的原值显示（分析师的选择：仅适用于工号，不适用于姓名）。",
    },
    "voice.agents.note.head": {
        "en": "> Tickets created in {period}: {n:,}",
        "zh": "> {period} 新建工单 {n:,} 张",
    },
    "voice.agents.note.unassigned": {
        "en": ", of which {n:,} have no agent and are left out.",
        "zh": "，其中 {n:,} 张没有坐席，不计入。",
    },
    "voice.agents.note.rest": {
        "en": " Agents with fewer than {min_n} tickets are flagged small and not compared with "
        "the team. Agents handle different mixes of categories and channels, so a difference is "
        "a question for the team lead, not a verdict.",
        "zh": "工单少于 {min_n} 张的坐席标记为样本过小，不与团队比较。"
        "各坐席处理的工单类别和渠道不同，差异是需要主管追问的问题，而非结论。",
    },
    "voice.agents.flag.small n": {"en": "small n", "zh": "样本过小"},
    "voice.agents.flag.slower": {"en": "slower", "zh": "解决较慢"},
    "voice.agents.flag.faster": {"en": "faster", "zh": "解决较快"},
    "voice.agents.flag.more reopens": {"en": "more reopens", "zh": "重开较多"},
    "voice.agents.flag.fewer reopens": {"en": "fewer reopens", "zh": "重开较少"},
    "voice.agents.none": {
        "en": "> The tickets have no `agent` column (or no ticket of the period names one), so "
        "this section is skipped. If the ticket system exports the handler, map it to `agent` "
        "in the config (it is shown under a pseudonym).",
        "zh": "> 工单表没有 `agent`（处理坐席）列，或本期工单都没有坐席，本节跳过。"
        "如果工单系统能导出处理人，请在配置中把它映射为 `agent`（显示时会替换为假名）。",
    },
    "voice.agents.workload": {
        "en": "- **Workload:** {n_agents} agents handled {tickets:,} tickets; the busiest took "
        "{top:.0%} (an even split is {even:.0%}). Team first response: median {frt:.1f} h "
        "(P90 {frt_p90:.1f} h); resolution: median {res:.1f} h (P90 {res_p90:.1f} h); reopen "
        "rate {reopen:.1%} ({reopen_low:.1%}–{reopen_high:.1%}).",
        "zh": "- **工作量：** {n_agents} 位坐席处理 {tickets:,} 张工单，最多的一位占 {top:.0%}"
        "（平均 {even:.0%}）。团队首次响应中位数 {frt:.1f} 小时（P90 {frt_p90:.1f}），解决时长中位数 "
        "{res:.1f} 小时（P90 {res_p90:.1f}），重开率 {reopen:.1%}（{reopen_low:.1%}–{reopen_high:.1%}）。",
    },
    "voice.agents.none_big": {
        "en": "- **Differences:** no agent has {min_n} tickets or more, so none is compared with "
        "the team.",
        "zh": "- **差异：** 没有坐席的工单达到 {min_n} 张，不作比较。",
    },
    "voice.agents.none_flagged": {
        "en": "- **Differences:** among the {n_big} agents with at least {min_n} tickets, none "
        "differs from the rest of the team in resolution time or reopen rate beyond chance "
        "(Holm-corrected); there is no basis for ranking agents.",
        "zh": "- **差异：** 在 {n_big} 位工单不少于 {min_n} 张的坐席中，没有人的解决时长或重开率"
        "与团队其他人的差异超出随机波动（Holm 校正后）；按坐席排名没有依据。",
    },
    "voice.agents.flagged": {
        "en": "- **{agent}** ({what}): median resolution {res:.1f} h ({res_low:.1f}–{res_high:.1f}), "
        "reopen rate {reopen:.1%} ({reopen_low:.1%}–{reopen_high:.1%}), {tickets} tickets. Check "
        "the ticket mix before drawing conclusions.",
        "zh": "- **{agent}**（{what}）：解决时长中位数 {res:.1f} 小时（{res_low:.1f}–{res_high:.1f}），"
        "重开率 {reopen:.1%}（{reopen_low:.1%}–{reopen_high:.1%}），{tickets} 张工单。"
        "先看其工单类别和渠道构成再下结论。",
    },
    "voice.agents.small": {
        "en": "- **Small n:** {names} (fewer than {min_n} tickets) are listed, not compared.",
        "zh": "- **样本过小：** {names}（工单少于 {min_n} 张）只列出数字，不作比较。",
    },
    "voice.agents.team": {"en": "team", "zh": "团队"},
    "voice.agents.numbered": {"en": "Agent {number}", "zh": "坐席 {number}"},
    # the agents' table: the English edition keeps the column names (labelled where shown)
    "voice.agents.column.agent": {"en": "agent", "zh": "坐席"},
    "voice.agents.column.tickets": {"en": "tickets", "zh": "工单数"},
    "voice.agents.column.share": {"en": "share", "zh": "占比"},
    "voice.agents.column.frt_median_h": {
        "en": "frt_median_h",
        "zh": "首次响应中位数（小时，95% 区间）",
    },
    "voice.agents.column.frt_p90_h": {"en": "frt_p90_h", "zh": "首次响应 P90（小时）"},
    "voice.agents.column.resolution_median_h": {
        "en": "resolution_median_h",
        "zh": "解决时长中位数（小时，95% 区间）",
    },
    "voice.agents.column.resolution_p90_h": {
        "en": "resolution_p90_h",
        "zh": "解决时长 P90（小时）",
    },
    "voice.agents.column.open_at_end": {"en": "open_at_end", "zh": "期末未解决"},
    "voice.agents.column.reopen_rate": {"en": "reopen_rate", "zh": "重开率（95% 区间）"},
    "voice.agents.column.csat_mean": {"en": "csat_mean", "zh": "满意度"},
    "voice.agents.column.flag": {"en": "flag", "zh": "标记"},
    "voice.agents.plot.resolution": {
        "en": "median resolution time (h)",
        "zh": "解决时长中位数（小时）",
    },
    "voice.agents.plot.reopen": {"en": "reopen rate", "zh": "重开率"},
    "voice.agents.plot.title": {
        "en": "Agents vs the team (dashed); hollow grey = small n",
        "zh": "各坐席与团队（虚线）对比；空心灰点为样本过小",
    },
    # ------------------------------------------------------------------ voice.sentiment
    "voice.sentiment.sample.item": {
        "en": "{k:,} of {n:,} comments in {q}",
        "zh": "{q} 的 {n:,} 条评论中随机抽取 {k:,} 条",
    },
    "voice.sentiment.sample": {
        "en": "The map and the comparison are from a random sample of {what} "
        "(stratified by segment; the intervals are of the sample).",
        "zh": "热力图和对比基于抽样：{what}（按分组分层抽样；置信区间为样本的区间）。",
    },
    "voice.sentiment.worst": {
        "en": "The most negative aspect is {name}: {share:.0%} of {mentions} mentions are "
        "negative (95% CI {low:.0%}–{high:.0%}).",
        "zh": "负面占比最高的方面是「{name}」：{share:.0%} 的提及为负面"
        "（95% 置信区间 {low:.0%}–{high:.0%}，{mentions} 次提及）。",
    },
    "voice.sentiment.moved": {
        "en": "Aspects whose negative share moved since the previous period (Holm-corrected): "
        "{items}.",
        "zh": "与上期相比，负面占比显著变化的方面：{items}。",
    },
    "voice.sentiment.moved.item": {
        "en": "{aspect} {before:.0%} → {after:.0%}",
        "zh": "{aspect} {before:.0%}→{after:.0%}",
    },
    "voice.sentiment.moved.none": {"en": "none", "zh": "无（Holm 校正后）"},
    # two sentences in a row: a space between them in English, none in Chinese
    "voice.sentiment.then": {"en": "{first} {second}", "zh": "{first}{second}"},
    "voice.sentiment.sparse": {
        "en": "Only {filled} of {cells} aspect × segment cells have enough mentions for a share, "
        "so no map is drawn; the aspect table below holds the totals.",
        "zh": "方面 × 细分的 {cells} 个格子中只有 {filled} 个有足够的提及次数，因此不绘制热力图；下表给出各方面的合计。",
    },
    "voice.sentiment.plot.title": {
        "en": "Share of negative mentions",
        "zh": "负面提及占比（方面 × 细分）",
    },
    # ------------------------------------------------------------------ voice.text_mining
    "voice.text_mining.withheld.one": {
        "en": "{n} comment that would have been quoted was left out: the redactor could not tell "
        "whether they hold personal data (an unknown name, a number that does not validate).",
        "zh": "有 {n} 条本应引用的评论未展示：脱敏程序无法确定其中是否含有个人信息"
        "（如无法识别的人名、无法校验的号码）。",
    },
    "voice.text_mining.withheld.other": {
        "en": "{n} comments that would have been quoted were left out: the redactor could not "
        "tell whether they hold personal data (an unknown name, a number that does not validate).",
        "zh": "有 {n} 条本应引用的评论未展示：脱敏程序无法确定其中是否含有个人信息"
        "（如无法识别的人名、无法校验的号码）。",
    },
}
