"""Catalog texts of the book's landing page (custops.chapters.landing): the KPI tiles and the
findings "What happened, and why".

Keys are prefixed ``landing.``; each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up. The English findings open with Markdown bold
``**…**``, the Chinese ones with ``<strong>…</strong>`` (MyST does not render ``**`` next to
full-width punctuation).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ tile labels, by KPI
    "landing.kpi.revenue": {"en": "Revenue", "zh": "销售额"},
    "landing.kpi.active_customers": {"en": "Active customers", "zh": "活跃客户"},
    "landing.kpi.churn_rate": {
        "en": "Churn rate (last period's buyers who did not buy)",
        "zh": "流失率（上期购买、本期未购买）",
    },
    "landing.kpi.nps": {"en": "NPS", "zh": "净推荐值 (NPS)"},
    "landing.kpi.first_response_hours": {
        "en": "First response, median",
        "zh": "首次响应时长中位数",
    },
    "landing.kpi.value_at_risk": {
        "en": "Value at risk, next 90 days",
        "zh": "未来 90 天风险价值",
    },
    # ------------------------------------------------------------------ tiles
    "landing.vs": {"en": "vs {p}", "zh": "较 {p}"},
    "landing.target": {"en": "target {t}", "zh": "目标 {t}"},
    "landing.ci": {"en": "95% CI {lo} – {hi}", "zh": "95% 置信区间 {lo} – {hi}"},
    # the change of a share, in percentage points
    "landing.unit.points": {"en": "{value} pts", "zh": "{value} 个百分点"},
    "landing.status.green": {"en": "on target", "zh": "达标"},
    "landing.status.amber": {"en": "near target", "zh": "接近目标"},
    "landing.status.red": {"en": "off target", "zh": "未达标"},
    "landing.status.grey": {"en": "no target", "zh": "无目标"},
    # ------------------------------------------------------------------ page
    "landing.tiles": {"en": "The quarter at a glance", "zh": "本季度一览"},
    "landing.findings": {"en": "What happened, and why", "zh": "发生了什么，为什么"},
    "landing.all": {
        "en": "Every headline number of every chapter is on the page {link}.",
        "zh": "各章的全部核心指标见 {link} 一页。",
    },
    "landing.all.link": {"en": "All figures", "zh": "全部指标"},
    "landing.none": {
        "en": "No headline KPI was computed for this period; see the chapters.",
        "zh": "本期没有计算出核心 KPI，请查看各章节。",
    },
    "landing.more": {"en": "Details", "zh": "详见"},
    # ------------------------------------------------------------------ finding: service slowdown
    "landing.slowdown": {
        "en": "**Service slowed down and NPS fell with it.** The median first response went "
        "from {f_prev:.1f} h in {prev} to {f_now:.1f} h; NPS fell from {n_prev:.1f} "
        "to {n_now:.1f}{ci}.",
        "zh": "<strong>服务变慢，NPS 随之下降。</strong>首次响应时长中位数从 {prev} 的 "
        "{f_prev:.1f} 小时升至 {f_now:.1f} 小时；NPS 从 {n_prev:.1f} 降至 {n_now:.1f}{ci}。",
    },
    # the 95% interval of the NPS change, appended to the NPS numbers
    "landing.slowdown.ci": {
        "en": " (95% CI {lo:.1f} to {hi:.1f})",
        "zh": "（95% 置信区间 {lo:.1f} 至 {hi:.1f}）",
    },
    # appended when the slowly served customers score lower (gap: the positive difference)
    "landing.slowdown.gap": {
        "en": " Customers whose first response was slow score {gap:.1f} points lower.",
        "zh": "首次响应慢的客户 NPS 低 {gap:.1f} 分。",
    },
    # ------------------------------------------------------------------ finding: wrong-way action
    "landing.wrong_action": {
        "en": "**An action did not work.** “{action}” (status: {status}) was meant to improve "
        "{label}, which moved the wrong way: {before} → {now}.",
        "zh": "<strong>有一项行动没有奏效。</strong>“{action}”（状态：{status}）针对的是{label}，"
        "但该指标向相反方向变化：{before} → {now}。",
    },
    # the action register's status (lower case); English shows the register's own word
    "landing.action_status.done": {"en": "{status}", "zh": "已完成"},
    "landing.action_status.in_progress": {"en": "{status}", "zh": "进行中"},
    "landing.action_status.open": {"en": "{status}", "zh": "未开始"},
    "landing.action_status.closed": {"en": "{status}", "zh": "已关闭"},
    # ------------------------------------------------------------------ finding: revenue loss
    # kind: acquisition channel or region; name: the group carrying most of the drop
    "landing.loss": {
        "en": "**The revenue loss sits with the {kind} {name}.** Revenue is {money} below "
        "{prev}; {tail}",
        "zh": "<strong>收入下降集中在{kind}“{name}”。</strong>与 {prev} 相比销售额减少 {money}，{tail}",
    },
    "landing.loss.kind.acquisition_channel": {"en": "acquisition channel", "zh": "获客渠道"},
    "landing.loss.kind.region": {"en": "region", "zh": "地区"},
    # the group lost more than the whole drop (other groups grew)
    "landing.loss.whole": {
        "en": "its customers alone spent {lost} less, more than the whole drop (other groups grew).",
        "zh": "仅该{kind}客户就减少 {lost}，超过总降幅（其他分组有所增长）。",
    },
    "landing.loss.part": {
        "en": "{lost} of that ({share:.0%}) comes from its customers.",
        "zh": "其中 {lost}（{share:.0%}）来自该{kind}的客户。",
    },
    # ------------------------------------------------------------------ finding: churn drivers
    # drivers: the driver sentences joined by punct.semicolon (the first letter capitalised)
    "landing.churn": {
        "en": "**Service problems drive churn.** {drivers}.",
        "zh": "<strong>服务问题推高流失。</strong>{drivers}。",
    },
    "landing.churn.driver": {
        "en": "{name} multiplies the churn risk by {hr:.2f} (95% CI {lo:.2f}–{hi:.2f})",
        "zh": "{name}使流失风险变为 {hr:.2f} 倍（95% 置信区间 {lo:.2f}–{hi:.2f}）",
    },
    "landing.churn.driver.unresolved": {"en": "an unresolved complaint", "zh": "投诉未解决"},
    "landing.churn.driver.slow": {"en": "a slow first response", "zh": "首次响应慢"},
    # ------------------------------------------------------------------ finding: concentration
    "landing.concentration": {
        "en": "**Revenue is concentrated.** The top 20% of customers bring {top:.1%} of the "
        "last 12 months' revenue.",
        "zh": "<strong>收入高度集中。</strong>前 20% 的客户带来 {top:.1%} 的近 12 个月销售额。",
    },
}
