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
}
