"""Translated strings for the book pages, the run summary and shared labels.

One catalog holds every string in English and Chinese. ``t(key, lang, **kwargs)`` looks a
key up and fills ``str.format`` fields; a key missing in Chinese falls back to English, and
an unknown key raises ``KeyError`` with suggestions (a typo should fail a test, not print
the key to stakeholders).

Glued headline numbers are labelled through keys ``glue.<glue key>``; ``glue_label`` turns a
key without an entry into a readable label so that a new headline number still appears.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Literal

from custops.report import catalog as _catalog

__all__ = ["CATALOG", "LANGUAGES", "glue_label", "join_names", "paragraph", "t", "t_or"]

Language = Literal["en", "zh"]
LANGUAGES: tuple[str, ...] = ("en", "zh")

#: key -> {language: template}: the shared texts (book, landing page, glue labels, units);
#: the domains' sentences live in ``custops.report.catalog`` and are merged in below
SHARED: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ units and punctuation
    "unit.pp": {"en": "{value} pp", "zh": "{value} 个百分点"},
    "unit.hours": {"en": "{value} h", "zh": "{value} 小时"},
    "unit.days": {"en": "{value} days", "zh": "{value} 天"},
    "unit.ci95": {"en": "95% CI {inner}", "zh": "95% 置信区间 {inner}"},
    "punct.colon": {"en": ": ", "zh": "："},
    "punct.semicolon": {"en": "; ", "zh": "；"},
    "punct.list": {"en": ", ", "zh": "、"},
    "punct.sentence_end": {"en": ".", "zh": "。"},
    "punct.sentence_sep": {"en": " ", "zh": ""},
    # ------------------------------------------------------------------ book, shared
    "book.title": {
        "en": "{company} — customer operations review {period}",
        "zh": "{company} — 客户运营复盘 {period}",
    },
    "book.author": {"en": "Customer operations", "zh": "客户运营部"},
    "book.part.guide": {"en": "Reading this report", "zh": "阅读指南"},
    "book.part.chapters": {"en": "Analyses", "zh": "分析"},
    "book.part.reference": {"en": "Reference", "zh": "参考"},
    # the link to the same page in the other edition, written in that edition's language
    "book.edition.switch": {"en": "English edition", "zh": "中文版"},
    "book.analysts.title": {"en": "For analysts", "zh": "供分析师参考"},
    "book.list.file": {
        "en": "The customer-level list ({rows} rows) is not shown in the report. The operations "
        "team finds it as the file `{file}` in the period's artifacts folder.",
        "zh": "客户明细名单（{rows} 行）不在报告中展示。运营团队可在本期的 artifacts 文件夹中找到文件 `{file}`。",
    },
    "book.list.notebook": {
        "en": "A customer-level table ({rows} rows) is not shown in the report; analysts see it "
        "in the notebook.",
        "zh": "一张客户明细表（{rows} 行）不在报告中展示；分析人员可在 notebook 中查看。",
    },
    "book.analysts.lead": {
        "en": "Method notes, diagnostics and the files this chapter wrote. The findings above "
        "do not depend on reading this part.",
        "zh": "方法说明、诊断结果以及本章写出的文件。上面的结论不依赖于这一部分。",
    },
    "book.code.show": {"en": "Show code cell {type}", "zh": "显示代码"},
    "book.code.hide": {"en": "Hide code cell {type}", "zh": "隐藏代码"},
    "book.footer": {
        "en": "Built by custops on {built_at} from the period {period}.",
        "zh": "由 custops 于 {built_at} 生成，报告期 {period}。",
    },
    # ------------------------------------------------------------------ landing page
    "intro.headlines.title": {"en": "Headline numbers", "zh": "核心指标"},
    "intro.headlines.none": {
        "en": "No chapter of this edition has published headline numbers yet.",
        "zh": "本期各章节尚未发布核心指标。",
    },
    "intro.headlines.figure": {"en": "Figure", "zh": "指标"},
    "intro.headlines.value": {"en": "Value", "zh": "数值"},
    "intro.headlines.chapter": {"en": "Chapter", "zh": "章节"},
    "intro.edition.title": {"en": "About this edition", "zh": "关于本期报告"},
    "intro.edition.executed": {"en": "Computed at (UTC)", "zh": "计算时间 (UTC)"},
    "intro.edition.seconds": {"en": "Run time (s)", "zh": "运行时间（秒）"},
    "intro.edition.missing": {
        "en": "Not part of this edition (not run for {period}): {names}.",
        "zh": "本期未包含（尚未针对 {period} 运行）：{names}。",
    },
    # ------------------------------------------------------------------ team commentary
    "commentary.title": {"en": "Team commentary", "zh": "团队点评"},
    "commentary.template.title": {
        "en": "Team commentary — {period}",
        "zh": "团队点评 — {period}",
    },
    "commentary.template.help": {
        "en": (
            "Written by the team. Each section below appears, marked as the team's commentary, "
            "at the top of its chapter and under the chapter's headline numbers on the landing "
            "page. Write markdown under a heading; a section left empty (or holding only these "
            "comments) shows nothing. A heading names a chapter by number or name (## 03 or "
            "## churn). Phone numbers, e-mail addresses and ID numbers are masked in the book."
        ),
        "zh": (
            "由团队撰写。下面每一节会以“团队点评”的形式显示在对应章节的开头，以及首页该章节核心指标的下方。"
            "在标题下用 markdown 书写；留空（或只有这些注释）的小节不会显示。标题用章节编号或名称指明章节"
            "（## 03 或 ## churn）。书中会遮盖手机号、邮箱和身份证号。"
        ),
    },
    "commentary.template.findings": {
        "en": "{title}. The chapter's key findings, to explain:",
        "zh": "{title}。本章的核心结论，供点评参考：",
    },
    "commentary.template.unbuilt": {
        "en": (
            "{period} has not been built in {build} yet, so there are no key findings to quote; "
            "run `custops run --config {config} --period {period}` and `custops notes` again "
            "(with --force) for a template with them."
        ),
        "zh": (
            "{period} 尚未在 {build} 中生成，因此没有可引用的核心结论；运行 "
            "`custops run --config {config} --period {period}` 后再执行 `custops notes`"
            "（加 --force）即可得到带核心结论的模板。"
        ),
    },
    # ------------------------------------------------------------------ methods page
    "methods.churn.inactivity": {
        "en": (
            "A customer counts as churned after **{days} days without an order** (an inactivity "
            "definition: there is no contract to cancel). The churn date is the last order plus "
            "{days} days. Churn probabilities look {horizon} days ahead."
        ),
        "zh": (
            "客户**连续 {days} 天没有下单**即视为流失（按不活跃定义：没有可以取消的合同）。"
            "流失日期为最后一次下单日加 {days} 天。流失概率预测未来 {horizon} 天。"
        ),
    },
    "methods.churn.contractual": {
        "en": (
            "A customer counts as churned on the date the contract or membership ended "
            "(`churned_at` in the customer table). Churn probabilities look {horizon} days ahead."
        ),
        "zh": (
            "客户在合同或会员终止之日视为流失（客户表中的 `churned_at`）。流失概率预测未来 {horizon} 天。"
        ),
    },
    "methods.ledger.none": {
        "en": "The row ledger (`ledger.csv`) was not produced for this period.",
        "zh": "本期没有生成数据台账（`ledger.csv`）。",
    },
    "methods.sources.table": {"en": "Table", "zh": "数据表"},
    "methods.sources.source": {"en": "Source", "zh": "来源"},
    "methods.sources.format": {"en": "Format", "zh": "格式"},
    "methods.sources.query": {"en": "SQL query", "zh": "SQL 查询"},
    # ------------------------------------------------------------------ archive index
    "archive.title": {"en": "{company} — report archive", "zh": "{company} — 报告归档"},
    "archive.intro": {
        "en": "Every period published from this build folder, newest first.",
        "zh": "本构建目录中已发布的全部报告期，按时间倒序排列。",
    },
    "archive.period": {"en": "Period", "zh": "报告期"},
    "archive.built": {"en": "Built (UTC)", "zh": "生成时间（UTC）"},
    "archive.kpis.title": {"en": "Headline KPIs by period", "zh": "各报告期核心 KPI"},
    "archive.kpis.intro": {
        "en": (
            "The quarter's headline KPIs in every published period, oldest first, with the "
            "status against the target where one is set (each period's scorecard)."
        ),
        "zh": "各已发布报告期的核心 KPI，按时间先后排列；设有目标的附达标状态（取自各期计分卡）。",
    },
    "archive.open": {"en": "Open the report", "zh": "打开报告"},
    "archive.none": {"en": "No period has been published yet.", "zh": "尚未发布任何报告期。"},
    # ------------------------------------------------------------------ forecast check (05)
    "archive.forecast.title": {"en": "Forecasts, scored", "zh": "预测复盘"},
    "archive.forecast.intro": {
        "en": (
            "Each report scores the previous report's churn forecasts and retention outreach "
            "(chapter 05); every row of forecast_checks.csv, one per period, model and metric."
        ),
        "zh": "每期报告都会评估上期报告的流失预测和挽留外呼（第 05 章）；明细见 forecast_checks.csv（每个报告期、模型、指标一行）。",
    },
    "glue.forecast_brier": {
        "en": "Last quarter's churn forecast: Brier score",
        "zh": "上季度流失预测：Brier 分数",
    },
    "glue.forecast_auc": {"en": "Last quarter's churn forecast: AUC", "zh": "上季度流失预测：AUC"},
    "glue.forecast_top_retained_rate": {
        "en": "Top of last quarter's priority list retained",
        "zh": "上季度优先名单前列的留存率",
    },
    "glue.forecast_uplift_pp": {
        "en": "Retention uplift of the outreach vs control, pp",
        "zh": "挽留外呼相对对照组的留存提升（百分点）",
    },
    # ------------------------------------------------------------------ run summary (CLI)
    "run.summary.notebook": {"en": "Notebook", "zh": "笔记本"},
    "run.summary.seconds": {"en": "Seconds", "zh": "秒"},
    "run.summary.status": {"en": "Status", "zh": "状态"},
    "run.summary.book": {"en": "Book build", "zh": "生成书籍"},
    "run.summary.total": {"en": "Total", "zh": "合计"},
    "run.summary.open": {"en": "Open {path}", "zh": "打开 {path}"},
    # ------------------------------------------------------------------ glued headline labels
    # 01 data collection (keys as glued by notebooks/01_data_collection.ipynb)
    "glue.data_customers": {"en": "Customers", "zh": "客户数"},
    "glue.data_active_customers": {
        "en": "Customers who ordered in the period",
        "zh": "本期下单客户数",
    },
    "glue.data_revenue_period": {"en": "Revenue in the period", "zh": "本期销售额"},
    "glue.data_rows_in": {"en": "Source rows read", "zh": "读入源数据行数"},
    "glue.data_reject_share": {"en": "Share of rows set aside", "zh": "剔除行占比"},
    # 04 NPS and service
    "glue.nps_value": {"en": "NPS", "zh": "净推荐值 (NPS)"},
    "glue.nps_n": {"en": "Survey answers", "zh": "问卷回复数"},
    "glue.nps_change_p": {"en": "NPS change, p-value", "zh": "NPS 变化的 p 值"},
    "glue.nps_slow_gap": {
        "en": "NPS gap after a slow first response",
        "zh": "首次响应慢的 NPS 差距",
    },
    "glue.nps_contacted_share": {"en": "Detractors contacted", "zh": "已回访贬损者占比"},
    "glue.csat_mean": {"en": "Average CSAT (1-5)", "zh": "平均满意度 (1-5)"},
    "glue.frt_median_hours": {
        "en": "Median first response (hours)",
        "zh": "首次响应时间中位数（小时）",
    },
    # 05 review
    "glue.seg_top_share": {
        "en": "Revenue share of the top 20% of customers",
        "zh": "前 20% 客户的销售额占比",
    },
    "glue.seg_n_champions": {"en": "Champions", "zh": "冠军客户数"},
    "glue.seg_n_at_risk": {"en": "Customers at risk", "zh": "有流失风险的客户数"},
    "glue.seg_peak_weekday": {"en": "Busiest weekday", "zh": "下单最多的星期"},
    "glue.seg_peak_hour": {"en": "Busiest hour on that weekday", "zh": "该日下单最多的时段"},
    "glue.seg_peak_hour_block": {"en": "Busiest 3-hour block", "zh": "下单最多的 3 小时时段"},
    "glue.seg_peak_block_order_share": {
        "en": "Share of orders in the busiest 3-hour block",
        "zh": "最忙 3 小时时段的订单占比",
    },
    "glue.service_agents": {"en": "Agents handling tickets", "zh": "处理工单的客服人数"},
    "glue.service_agents_flagged": {
        "en": "Agents different from the rest of the team",
        "zh": "与团队其他人差异显著的客服人数",
    },
    "glue.service_agent_top_share": {
        "en": "Busiest agent's share of tickets",
        "zh": "工单最多的客服所占比例",
    },
    "glue.review_cac": {"en": "Acquisition cost per new customer (CAC)", "zh": "获客成本 (CAC)"},
    "glue.review_clv_to_cac": {"en": "CLV / CAC", "zh": "客户终身价值 / 获客成本"},
    "glue.review_clv_to_cac_low": {
        "en": "CLV / CAC, lower 95% bound",
        "zh": "CLV / CAC 95% 置信下限",
    },
    "glue.review_clv_to_cac_high": {
        "en": "CLV / CAC, upper 95% bound",
        "zh": "CLV / CAC 95% 置信上限",
    },
    "glue.review_best_clv_cac_channel": {
        "en": "Channel with the best CLV / CAC",
        "zh": "CLV / CAC 最高的获客渠道",
    },
    "glue.seg_n_cannot_lose": {"en": "Customers we cannot lose", "zh": "不能失去的客户数"},
    "glue.seg_n_tier_a": {"en": "Tier A customers", "zh": "A 级客户数"},
    "glue.seg_n_reactivated": {"en": "Reactivated customers", "zh": "回流客户数"},
    "glue.seg_n_clusters": {"en": "Customer clusters", "zh": "客户聚类数"},
    "glue.seg_high_value_cluster_share": {
        "en": "High-value cluster, share of buyers",
        "zh": "高价值客群占购买客户比例",
    },
    "glue.seg_high_value_cluster_revenue_share": {
        "en": "High-value cluster, share of revenue",
        "zh": "高价值客群销售额占比",
    },
    "glue.churn_km_1y": {
        "en": "Churned within a year of first order (Kaplan-Meier)",
        "zh": "首单后一年内流失比例（KM）",
    },
    "glue.churn_median_days": {
        "en": "Median customer lifetime (days)",
        "zh": "客户生命周期中位数（天）",
    },
    "glue.churn_hr_unresolved": {
        "en": "Churn hazard ratio: unresolved complaint",
        "zh": "流失风险比：投诉未解决",
    },
    "glue.churn_hr_slow": {
        "en": "Churn hazard ratio: slow first response",
        "zh": "流失风险比：首次响应慢",
    },
    "glue.churn_hr_app": {
        "en": "Churn hazard ratio: bound to the APP",
        "zh": "流失风险比：绑定 APP",
    },
    "glue.churn_concordance": {
        "en": "Churn model concordance (held out)",
        "zh": "流失模型一致性指数（留出）",
    },
    "glue.churn_value_at_risk_total": {
        "en": "Expected value at risk (90 days)",
        "zh": "未来 90 天预期流失价值",
    },
    "glue.churn_expected_churners": {
        "en": "Expected churners (90 days)",
        "zh": "未来 90 天预计流失人数",
    },
    "glue.churn_clv_total": {
        "en": "Remaining customer lifetime value",
        "zh": "客户剩余生命周期价值合计",
    },
    "glue.churn_n_events": {"en": "Customers churned (events)", "zh": "已流失客户数（事件）"},
    "glue.churn_n_censored": {
        "en": "Customers still active (censored)",
        "zh": "仍活跃客户数（删失）",
    },
    "glue.churn_health_auc": {"en": "Health score AUC (back-test)", "zh": "健康分回测 AUC"},
    "glue.churn_health_auc_recency": {
        "en": "AUC of recency alone (same back-test)",
        "zh": "仅用最近购买间隔的 AUC（同一回测）",
    },
    "glue.churn_health_auc_gain": {
        "en": "Health score AUC minus recency alone",
        "zh": "健康分 AUC 减去仅用最近购买间隔的 AUC",
    },
    "glue.btyd_clv_spearman": {
        "en": "Rank agreement of survival and BTYD CLV (Spearman)",
        "zh": "生存模型与 BTYD 的 CLV 排序一致性（Spearman）",
    },
    "glue.btyd_clv_top_decile_overlap": {
        "en": "Survival top 10% also in the BTYD top 10%",
        "zh": "生存模型前 10% 同时位于 BTYD 前 10% 的比例",
    },
    "glue.btyd_clv_total": {
        "en": "BTYD CLV of the active customers",
        "zh": "活跃客户的 BTYD CLV 合计",
    },
    "glue.btyd_spend_frequency_corr": {
        "en": "Correlation of spend and purchase frequency (Gamma-Gamma check)",
        "zh": "客单价与购买频次的相关系数（Gamma-Gamma 检验）",
    },
    "glue.btyd_holdout_actual": {
        "en": "Backtest: actual purchase days",
        "zh": "回测：实际购买天数",
    },
    "glue.btyd_holdout_expected": {
        "en": "Backtest: purchase days the chosen model expected",
        "zh": "回测：所选模型预期的购买天数",
    },
    "glue.btyd_holdout_winner": {"en": "Backtest: closest model", "zh": "回测：最接近的模型"},
    "glue.churn_health_red_share": {
        "en": "Active customers in the red health band",
        "zh": "红色健康区客户占比",
    },
    "glue.churn_quiet_after_repurchase_share": {
        "en": "Churned repurchasers with no interaction after their first repurchase",
        "zh": "首次复购后再无互动的流失客户占比",
    },
    "glue.review_n_green": {"en": "KPIs on target", "zh": "达标 KPI 数"},
    "glue.review_n_amber": {"en": "KPIs near target", "zh": "接近目标的 KPI 数"},
    "glue.review_n_red": {"en": "KPIs off target", "zh": "未达标 KPI 数"},
    "glue.review_active_customers": {"en": "Active customers", "zh": "活跃客户数"},
    "glue.review_churn_rate": {
        "en": "Churn rate (last period's buyers who did not buy)",
        "zh": "流失率（上期购买、本期未购买）",
    },
    "glue.review_revenue": {"en": "Revenue in the period", "zh": "本期销售额"},
    "glue.review_top_finding": {"en": "Top finding", "zh": "首要发现"},
    "glue.review_best_channel": {"en": "Best marketing channel", "zh": "效果最好的营销渠道"},
    "glue.review_kpi_alerts_worse": {
        "en": "Monthly KPI alerts (worse)",
        "zh": "月度 KPI 预警（变差）",
    },
    # generic names (also matched after a chapter prefix: seg_n_segments -> n_segments)
    "glue.n_customers": {"en": "Customers", "zh": "客户数"},
    "glue.n_active_customers": {"en": "Active customers", "zh": "活跃客户数"},
    "glue.n_new_customers": {"en": "New customers", "zh": "新客户数"},
    "glue.n_orders": {"en": "Orders", "zh": "订单数"},
    "glue.revenue": {"en": "Revenue", "zh": "销售额"},
    "glue.rows_in": {"en": "Rows read", "zh": "读入行数"},
    "glue.rows_kept": {"en": "Rows kept", "zh": "保留行数"},
    "glue.rows_rejected": {"en": "Rows rejected", "zh": "剔除行数"},
    "glue.reject_rate": {"en": "Share of rows rejected", "zh": "剔除比例"},
    "glue.n_segments": {"en": "Segments", "zh": "客群数"},
    "glue.top_segment": {"en": "Largest segment", "zh": "最大客群"},
    "glue.churn_rate": {"en": "Churn rate", "zh": "流失率"},
    "glue.churn_period_rate": {
        "en": "Churn rate (active at the period start, churn dated in the period)",
        "zh": "流失率（期初活跃、本期内流失）",
    },
    "glue.retention_rate": {"en": "Retention rate", "zh": "留存率"},
    "glue.median_lifetime_days": {
        "en": "Median customer lifetime (days)",
        "zh": "客户生命周期中位数（天）",
    },
    "glue.nps": {"en": "NPS", "zh": "净推荐值 (NPS)"},
    "glue.nps_low": {"en": "NPS, lower 95% bound", "zh": "NPS 95% 置信下限"},
    "glue.nps_high": {"en": "NPS, upper 95% bound", "zh": "NPS 95% 置信上限"},
    "glue.nps_change": {"en": "NPS change vs previous period", "zh": "NPS 环比变化"},
    "glue.csat": {"en": "CSAT", "zh": "客户满意度 (CSAT)"},
    "glue.n_responses": {"en": "Survey responses", "zh": "问卷回复数"},
    "glue.kpis_on_target": {"en": "KPIs on target", "zh": "达标 KPI 数"},
    "glue.kpis_off_target": {"en": "KPIs off target", "zh": "未达标 KPI 数"},
    # ------------------------------------------------------------------ stale chapters (--only)
    "stale.title": {"en": "Computed before a re-run", "zh": "计算早于重新运行"},
    "stale.rerun": {"en": "{chapter} was re-run on {time}", "zh": "{chapter}于 {time} 重新运行"},
    "stale.and": {"en": " and ", "zh": "、"},
    "stale.chapter": {
        "en": "This chapter was computed before {reruns}, so it may quote the results "
        "that run replaced. Run `custops run --period {period}` without `--only` to refresh it.",
        "zh": "本章的计算早于{reruns}之前，可能引用了已被替换的结果。请运行 "
        "`custops run --period {period}`（不带 `--only`）以刷新本章。",
    },
    "stale.item": {
        "en": "{chapter}: computed before {reruns}.",
        "zh": "{chapter}：计算早于{reruns}之前。",
    },
    "stale.landing": {
        "en": "Some chapters were computed before an earlier chapter they read was re-run with "
        "`--only`; their numbers below may be out of date. Run `custops run --period {period}` "
        "without `--only` to refresh them.",
        "zh": "部分章节的计算早于其所依赖的前序章节用 `--only` 重新运行之前，下面引用的数字可能已经过时。"
        "请运行 `custops run --period {period}`（不带 `--only`）以刷新。",
    },
    "run.summary.stale": {"en": "stale", "zh": "已过期"},
    # ------------------------------------------------------------------ figure captions
    # "Figure 3.2 — <takeaway>": the number is the chapter's and the figure's order in it
    # (custops.run.pipeline.prepare_notebook); each takeaway is one sentence computed from the
    # data the chart shows (the plot functions, custops.report.plots.set_takeaway)
    "figure.caption": {"en": "Figure {number} — {takeaway}", "zh": "图 {number} — {takeaway}"},
    "figure.caption.bare": {"en": "Figure {number}", "zh": "图 {number}"},
    "figure.no_data": {
        "en": "There are too few data to draw this chart for the period.",
        "zh": "本期数据太少，无法画出这张图。",
    },
    "figure.too_small": {
        "en": "Every group in this chart is too small to compare; it is shown for reference.",
        "zh": "图中各组样本都过小，不作比较，仅供参考。",
    },
}


#: the one catalog: shared texts and every domain's (``custops.report.catalog``)
CATALOG: dict[str, dict[str, str]] = _catalog.merge(SHARED, _catalog.DOMAINS)


def join_names(names: Iterable[object], lang: str = "en") -> str:
    """A list of names inside a sentence: ``、`` between them in Chinese, ``, `` in English.

    Examples
    --------
    >>> join_names(["华南", "华北"], "zh"), join_names(["north", "south"])
    ('华南、华北', 'north, south')
    """
    return ("、" if lang == "zh" else ", ").join(str(n) for n in names)


def paragraph(sentences: Iterable[str], lang: str = "en") -> str:
    """Sentences one after the other as the language writes them: a space between them in
    English, nothing in Chinese (the full stop 。 ends a sentence).

    Examples
    --------
    >>> paragraph(["NPS fell.", "CSAT held."]), paragraph(["NPS 下降。", "CSAT 持平。"], "zh")
    ('NPS fell. CSAT held.', 'NPS 下降。CSAT 持平。')
    """
    return t("punct.sentence_sep", lang).join(sentences)


def t(key: str, lang: str = "en", /, **kwargs: object) -> str:
    """Translate ``key`` into ``lang`` and fill its ``{fields}``.

    Parameters
    ----------
    key : str
        A catalog key such as ``"intro.headlines.title"``.
    lang : {"en", "zh"}
        Language; a key without a Chinese entry falls back to English.
    **kwargs
        Values for the template's ``str.format`` fields.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        For an unknown key (with the closest known keys) or an unknown language.

    Examples
    --------
    >>> t("archive.period", "zh")
    '报告期'
    >>> t("book.title", "en", company="Acme", period="2025Q4")
    'Acme — customer operations review 2025Q4'
    >>> t("punct.sentence_sep", "en"), t("punct.sentence_sep", "zh")  # "" is a translation
    (' ', '')
    """
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; use one of {list(LANGUAGES)}")
    try:
        entry = CATALOG[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(CATALOG), n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        raise KeyError(f"no text for {key!r}{hint}") from None
    template = entry[lang] if lang in entry else entry["en"]  # "" is a translation too
    return template.format(**kwargs) if kwargs else template


def t_or(key: str, lang: str, default: object) -> str:
    """The catalog text of ``key`` in ``lang``, or ``default`` as text when there is none (a
    value the catalog does not name, such as a theme or grouping of the user's own).

    Examples
    --------
    >>> t_or("punct.colon", "zh", "?"), t_or("voice.theme.my_own", "en", "my_own")
    ('：', 'my_own')
    """
    return t(key, lang) if key in CATALOG else str(default)


def glue_label(key: str, lang: str = "en") -> str:
    """A readable label for a glued value: the catalog entry, else the key made readable.

    Parameters
    ----------
    key : str
        The glue key used in the notebook (``myst_nb.glue(key, ...)``).
    lang : {"en", "zh"}

    Returns
    -------
    str

    Examples
    --------
    >>> glue_label("nps", "zh")
    '净推荐值 (NPS)'
    >>> glue_label("data_customers"), glue_label("churn_churn_rate", "zh")
    ('Customers', '流失率')
    >>> glue_label("avg_basket_cny")
    'Avg basket cny'
    """
    candidates = [key]
    if "_" in key:
        candidates.append(key.split("_", 1)[1])  # chapter prefix: nps_score -> score
    for candidate in candidates:
        entry = CATALOG.get(f"glue.{candidate}")
        if entry is not None:
            return entry.get(lang) or entry["en"]
    words = key.replace("-", "_").strip("_").split("_")
    return " ".join(words).capitalize() if words else key
