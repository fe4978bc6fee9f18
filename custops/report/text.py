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

__all__ = ["CATALOG", "LANGUAGES", "glue_label", "join_names", "t"]

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
    "forecast.no_previous": {
        "en": (
            "There is no earlier report to score: {previous} has not been built into this build "
            "folder. Build it with `custops run --config {config} --period {previous}` (same "
            "`--out`), and the next run of this period scores its forecasts here."
        ),
        "zh": (
            "没有可以评估的上期报告：{previous} 尚未生成到本构建目录。运行 "
            "`custops run --config {config} --period {previous}`（相同的 `--out`）后，"
            "本期再次运行时会在这里评估它的预测。"
        ),
    },
    "forecast.no_scores": {
        "en": (
            "The report of {previous} has no churn scores (`churn_scores.parquet`) to score; "
            "rebuild it with `custops run --config {config} --period {previous}`."
        ),
        "zh": (
            "{previous} 的报告没有流失评分（`churn_scores.parquet`）可供评估；请运行 "
            "`custops run --config {config} --period {previous}` 重新生成。"
        ),
    },
    "forecast.no_orders": {
        "en": "Without an orders table there are no actuals to score {previous}'s forecasts against.",
        "zh": "没有订单表，无法用实际结果评估 {previous} 的预测。",
    },
    "forecast.partial": {
        "en": (
            "**Partial**: the data end on {until}, before the forecast horizon ends on {due}; "
            "churn, purchases and revenue below are counted up to {until} only."
        ),
        "zh": (
            "**不完整**：数据截至 {until}，早于预测期结束日 {due}；以下流失、购买和收入只统计到 {until}。"
        ),
    },
    "forecast.churn": {
        "en": (
            "The {previous} report gave **{n}** active customers a probability of churning within "
            "{h} days: on average **{predicted}**; **{actual}** actually churned. Brier score "
            "**{brier}** (a constant forecast of the observed rate would score {brier0}; lower is "
            "better), AUC **{auc}** (0.5 = no better than chance)."
        ),
        "zh": (
            "{previous} 的报告为 **{n}** 位活跃客户给出了 {h} 天内流失的概率：平均 **{predicted}**；"
            "实际流失 **{actual}**。Brier 分数 **{brier}**（用实际流失率作常数预测为 {brier0}，"
            "越低越好），AUC **{auc}**（0.5 相当于随机）。"
        ),
    },
    "forecast.purchases": {
        "en": (
            "BTYD expected **{expected}** purchase days in the horizon; the customers had "
            "**{actual}** (error {error}). Revenue predicted from them (expected purchase days × "
            "each customer's mean revenue per purchase day so far): {rev_pred}; actual: {rev}."
        ),
        "zh": (
            "BTYD 模型预计预测期内有 **{expected}** 个购买日；客户实际为 **{actual}** 个（误差 {error}）。"
            "据此预测的收入（预期购买日 × 客户至今每个购买日的平均消费）：{rev_pred}；实际：{rev}。"
        ),
    },
    "forecast.top": {
        "en": (
            "Of the top **{n}** customers of last quarter's retention priority list, **{retained}** "
            "({rate}) were retained (not churned within the horizon); the list predicted {predicted}."
        ),
        "zh": (
            "上季度挽留优先名单前 **{n}** 位客户中，**{retained}** 位（{rate}）留存（预测期内未流失）；"
            "名单预测的留存率为 {predicted}。"
        ),
    },
    "forecast.uplift.no_list": {
        "en": "Last quarter's report has no retention priority list, so the outreach cannot be measured.",
        "zh": "上季度报告没有挽留优先名单，无法评估挽留外呼的效果。",
    },
    "forecast.uplift.no_holdout": {
        "en": (
            "Last quarter's priority list had no control group, so the outreach cannot be "
            "measured; lists now mark a seeded random share 'do not contact' "
            "(`review.retention_holdout_share`, default 10%)."
        ),
        "zh": (
            "上季度的优先名单没有对照组，无法评估挽留外呼的效果；现在的名单会按固定随机种子把一部分客户"
            "标记为“请勿联系”（`review.retention_holdout_share`，默认 10%）。"
        ),
    },
    "forecast.uplift.itt": {
        "en": (
            "**Outreach, intention to treat** (causal: the control group was drawn at random): "
            "of the {n_contact} list customers assigned to be contacted, **{p_contact}** were "
            "retained, against **{p_holdout}** of the {n_holdout} held out ('do not contact'): "
            "a difference of **{diff} percentage points** (95% CI {low} to {high}; two-proportion "
            "z-test p = {p})."
        ),
        "zh": (
            "**挽留外呼，意向性分析**（因果结论：对照组随机抽取）：名单中被安排联系的 {n_contact} 位客户"
            "留存 **{p_contact}**，被留作对照（“请勿联系”）的 {n_holdout} 位留存 **{p_holdout}**："
            "相差 **{diff} 个百分点**（95% 置信区间 {low} 至 {high}；两比例 z 检验 p = {p}）。"
        ),
    },
    "forecast.uplift.as_treated": {
        "en": (
            "**As treated** (descriptive, not causal: who is actually reached is not random): "
            "the retention campaign's touches reached {reached} of the {n_contact} assigned "
            "customers and {holdout_reached} held-out ones; reached customers were retained at "
            "{p_touched} against {p_untouched} of the others ({diff} pp, 95% CI {low} to {high})."
        ),
        "zh": (
            "**按实际接触分析**（仅描述，非因果：实际触达到谁并不随机）：挽留活动的触达覆盖了被安排联系的 "
            "{n_contact} 位中的 {reached} 位、对照组中的 {holdout_reached} 位；被触达客户留存 {p_touched}，"
            "其他客户 {p_untouched}（{diff} 个百分点，95% 置信区间 {low} 至 {high}）。"
        ),
    },
    "forecast.baselines": {
        "en": (
            "**Against the naive baselines** on the same {n} customers and outcome: days since "
            "the last purchase alone ranks churners with AUC {auc_r} (95% CI {low_r}–{high_r}), "
            "purchase days in the last 365 days alone with AUC {auc_f} ({low_f}–{high_f})."
        ),
        "zh": (
            "**与朴素基准比较**（同样 {n} 位客户、同一结果）：仅用距上次购买天数对流失客户排序，"
            "AUC 为 {auc_r}（95% 置信区间 {low_r}–{high_r}）；仅用近 365 天购买日数，AUC 为 "
            "{auc_f}（{low_f}–{high_f}）。"
        ),
    },
    "forecast.baseline.better": {
        "en": (
            "The {model} does better (AUC {auc}; minus recency alone's: {diff}, DeLong paired "
            "95% CI {low} to {high}; calibration index ICI {ici})."
        ),
        "zh": (
            "{model}**优于**仅用最近购买（AUC {auc}；与之相差 {diff}，DeLong 配对 95% 置信区间 "
            "{low} 至 {high}；校准指数 ICI {ici}）。"
        ),
    },
    "forecast.baseline.no_better": {
        "en": (
            "The {model} does **not** rank churners measurably better than recency alone "
            "(AUC {auc}; difference {diff}, DeLong paired 95% CI {low} to {high}; ICI {ici})."
        ),
        "zh": (
            "{model}对流失客户的排序**并不明显优于**仅用最近购买（AUC {auc}；相差 {diff}，"
            "DeLong 配对 95% 置信区间 {low} 至 {high}；ICI {ici}）。"
        ),
    },
    "forecast.baseline.worse": {
        "en": (
            "The {model} ranks churners **worse** than recency alone (AUC {auc}; difference "
            "{diff}, DeLong paired 95% CI {low} to {high}; ICI {ici}): for ranking, days since "
            "the last purchase is the better forecast."
        ),
        "zh": (
            "{model}对流失客户的排序**不如**仅用最近购买（AUC {auc}；相差 {diff}，DeLong 配对 95% "
            "置信区间 {low} 至 {high}；ICI {ici}）：就排序而言，距上次购买天数是更好的预测。"
        ),
    },
    "forecast.score.cox": {"en": "churn probability (Cox model)", "zh": "流失概率（Cox 模型）"},
    "forecast.score.btyd": {"en": "BTYD 1 − P(alive)", "zh": "BTYD 模型的 1 − 存活概率"},
    "forecast.score.recency": {"en": "days since the last purchase", "zh": "距上次购买天数"},
    "forecast.score.frequency": {
        "en": "purchase days in the last 365 days (fewer = riskier)",
        "zh": "近 365 天购买日数（越少风险越高）",
    },
    "forecast.col.score": {"en": "score", "zh": "评分"},
    "forecast.col.auc": {"en": "AUC (95% CI)", "zh": "AUC（95% 置信区间）"},
    "forecast.col.lift": {"en": "top-decile lift (95% CI)", "zh": "前 10% 提升度（95% 置信区间）"},
    "forecast.col.brier": {"en": "Brier score", "zh": "Brier 分数"},
    "forecast.col.ici": {"en": "calibration index (ICI)", "zh": "校准指数（ICI）"},
    "forecast.col.auc_diff": {
        "en": "AUC minus recency alone (95% CI)",
        "zh": "AUC 减仅用最近购买（95% 置信区间）",
    },
    "forecast.col.decile": {"en": "decile of the prediction", "zh": "预测十分位"},
    "forecast.col.n": {"en": "customers", "zh": "客户数"},
    "forecast.col.predicted": {"en": "predicted churn", "zh": "预测流失率"},
    "forecast.col.actual": {"en": "actual churn", "zh": "实际流失率"},
    "forecast.col.low": {"en": "95% CI low", "zh": "95% 置信下限"},
    "forecast.col.high": {"en": "95% CI high", "zh": "95% 置信上限"},
    "forecast.col.expected": {"en": "expected purchase days", "zh": "预期购买日"},
    "forecast.col.actual_purchases": {"en": "actual purchase days", "zh": "实际购买日"},
    "forecast.col.predicted_revenue": {"en": "predicted revenue", "zh": "预测收入"},
    "forecast.col.revenue": {"en": "actual revenue", "zh": "实际收入"},
    "forecast.col.comparison": {"en": "comparison", "zh": "比较"},
    "forecast.col.n1": {"en": "customers (contacted)", "zh": "客户数（联系）"},
    "forecast.col.p1": {"en": "retained (contacted)", "zh": "留存率（联系）"},
    "forecast.col.n2": {"en": "customers (not contacted)", "zh": "客户数（未联系）"},
    "forecast.col.p2": {"en": "retained (not contacted)", "zh": "留存率（未联系）"},
    "forecast.col.diff": {"en": "difference (pp)", "zh": "差值（百分点）"},
    "forecast.col.diff_ci": {"en": "95% CI (pp)", "zh": "95% 置信区间（百分点）"},
    "forecast.col.p_value": {"en": "p-value", "zh": "p 值"},
    "forecast.col.causal": {"en": "causal", "zh": "因果结论"},
    "forecast.row.itt": {
        "en": "intention to treat: assigned vs held out",
        "zh": "意向性分析：安排联系 vs 对照组",
    },
    "forecast.row.as_treated": {
        "en": "as treated: reached vs not reached",
        "zh": "按实际接触：已触达 vs 未触达",
    },
    "forecast.yes": {"en": "yes", "zh": "是"},
    "forecast.no": {"en": "no", "zh": "否"},
    "forecast.hist.period": {"en": "period", "zh": "报告期"},
    "forecast.hist.partial": {"en": "partial", "zh": "不完整"},
    "forecast.hist.brier": {"en": "Brier", "zh": "Brier 分数"},
    "forecast.hist.auc": {"en": "AUC", "zh": "AUC"},
    "forecast.hist.predicted": {"en": "predicted churn", "zh": "预测流失率"},
    "forecast.hist.actual": {"en": "actual churn", "zh": "实际流失率"},
    "forecast.hist.top": {"en": "top of the list retained", "zh": "名单前列留存率"},
    "forecast.hist.uplift": {
        "en": "outreach uplift, pp (95% CI)",
        "zh": "挽留外呼提升，百分点（95% 置信区间）",
    },
    "forecast.plot.ideal": {"en": "perfect calibration", "zh": "完美校准"},
    "forecast.plot.deciles": {"en": "deciles (95% CI)", "zh": "十分位（95% 置信区间）"},
    "forecast.plot.x": {
        "en": "churn probability predicted in {previous}",
        "zh": "{previous} 预测的流失概率",
    },
    "forecast.plot.y": {"en": "share churned within {h} days", "zh": "{h} 天内实际流失占比"},
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
    # ------------------------------------------------------------------ chapter 01, cleaning
    "collection.large_removal": {
        "en": (
            "> **Warning: one cleaning rule removed more than {threshold} of a table.** "
            "{table}: the rule “{rule}” removed {removed} of {rows_in} rows ({share}). "
            "If that does not fit this export, see {knob} in the config."
        ),
        "zh": (
            "> **注意 一条清洗规则移除了超过 {threshold} 的行** "
            "表 {table} 的规则“{rule}”移除了 {rows_in} 行中的 {removed} 行（{share}）。"
            "如果这不符合本数据导出的实际情况，请检查配置中的 {knob}。"
        ),
    },
    # ------------------------------------------------------------------ chapter 03, BTYD
    "btyd.contractual": {
        "en": "> The churn definition here is contractual (a recorded `churned_at` or a tenure "
        "snapshot): we see when each customer leaves. BG/NBD and Pareto/NBD are models for "
        "non-contractual purchases, where that moment is never observed and has to be inferred "
        "from silence; with a known end date they add nothing the survival model does not "
        "already know, so this section is skipped.",
        "zh": "> 本期的流失口径是合同制（有记录的 `churned_at` 或在网时长快照）：每位客户何时离开是已知的。"
        "BG/NBD 与 Pareto/NBD 是非合同制购买的模型，离开的时刻观察不到、只能从沉默中推断；"
        "离开日期已知时，它们不能提供生存模型之外的信息，因此本节跳过。",
    },
    "btyd.disabled": {
        "en": "> The BTYD comparison is switched off (`btyd.enabled: false`).",
        "zh": "> BTYD 对比已在配置中关闭（`btyd.enabled: false`）。",
    },
    "btyd.no_orders": {
        "en": "> No orders table for this period, so the BTYD models cannot be fitted.",
        "zh": "> 本期没有订单表，无法拟合 BTYD 模型。",
    },
    "btyd.too_few": {
        "en": "> Only {n} customers bought more than once by {end} (at least {need} are needed), "
        "so the BTYD models are not fitted this period.",
        "zh": "> 截至 {end} 只有 {n} 位客户有过复购（至少需要 {need} 位），本期不拟合 BTYD 模型。",
    },
    "btyd.fits": {
        "en": "The BTYD models are fitted by maximum likelihood on {n} customers' purchase days up to "
        "{end} (time unit {unit:g} days). BG/NBD: r = {r:.3f}, α = {alpha:.3f}, a = {a:.3f}, b = {b:.3f} "
        "({bg_conv}); Pareto/NBD: {pn_conv}; Gamma-Gamma on {n_rep} repeat customers: "
        "p = {p:.2f}, q = {q:.2f}, v = {v:.2f} ({gg_conv}). The `{model}` model gives the "
        "P(alive), expected purchases and BTYD CLV columns.",
        "zh": "BTYD 模型用截至 {end} 的 {n} 位客户的购买日按最大似然拟合（时间单位 {unit:g} 天）。"
        "BG/NBD：r = {r:.3f}，α = {alpha:.3f}，a = {a:.3f}，b = {b:.3f}（{bg_conv}）；Pareto/NBD：{pn_conv}；"
        "Gamma-Gamma 基于 {n_rep} 位复购客户：p = {p:.2f}，q = {q:.2f}，v = {v:.2f}（{gg_conv}）。"
        "P（存活）、预期购买次数和 BTYD CLV 列来自 `{model}` 模型。",
    },
    "btyd.sampled": {
        "en": "With {of} customers, the BG/NBD and Pareto/NBD parameters are estimated on a "
        "random sample of {n} of them (seed {seed}; `btyd.max_fit_customers`), as in the "
        "backtest below; every customer is scored with them.",
        "zh": "客户共 {of} 位，BG/NBD 与 Pareto/NBD 的参数用其中 {n} 位的随机样本估计"
        "（随机种子 {seed}；`btyd.max_fit_customers`），下方回测同样如此；所有客户都用这些参数评分。",
    },
    "btyd.converged": {"en": "converged", "zh": "已收敛"},
    "btyd.not_converged": {"en": "NOT converged", "zh": "未收敛"},
    "btyd.compare": {
        "en": "On the {n} active customers both models value, the survival CLV totals {surv} and the "
        "BTYD CLV {btyd} (95% interval of the BTYD total from the parameter uncertainty: {low} to "
        "{high}). Their rankings agree with a Spearman correlation of {rho:.2f}; {overlap:.0%} of "
        "the survival model's top 10% are also in the BTYD top 10%.",
        "zh": "在两种模型都能估值的 {n} 位活跃客户中，生存模型 CLV 合计 {surv}，BTYD CLV 合计 {btyd}"
        "（参数不确定性给出的 BTYD 合计 95% 区间：{low} 至 {high}）。两者排序的 Spearman 相关系数为 "
        "{rho:.2f}；生存模型前 10% 的客户中有 {overlap:.0%} 也在 BTYD 前 10%。",
    },
    "btyd.no_compare": {
        "en": "No active customer has both a survival and a BTYD CLV, so the two are not compared.",
        "zh": "没有同时具有生存模型 CLV 与 BTYD CLV 的活跃客户，二者不做比较。",
    },
    "btyd.holdout": {
        "en": "Backtest: every model is fitted on the purchases up to {cal} and predicts each "
        "customer's purchase days from then to {end} ({days} days). The {n} customers made "
        "{actual:,.0f} purchases in that window. {rows} By the mean absolute error per customer "
        "the backtest favours **{winner}** on this data.",
        "zh": "回测：每个模型只用截至 {cal} 的购买拟合，预测每位客户此后到 {end}（{days} 天）的购买天数。"
        "这 {n} 位客户在此期间实际购买 {actual:,.0f} 次。{rows}按每位客户的平均绝对误差，"
        "本数据上回测更支持 {winner}。",
    },
    "btyd.holdout_row": {
        "en": "{model} expected {expected:,.0f} ({error:+.0%}, MAE {mae:.2f}).",
        "zh": "{model} 预期 {expected:,.0f}（{error:+.0%}，平均绝对误差 {mae:.2f}）。",
    },
    "btyd.holdout_short": {
        "en": "> The holdout window from {cal} to {end} is too short or has too few repeat "
        "customers before it ({n}), so the backtest is skipped.",
        "zh": "> 从 {cal} 到 {end} 的验证窗口太短，或此前的复购客户太少（{n} 位），回测跳过。",
    },
    "btyd.no_survival": {
        "en": "The survival model could not be refitted on the calibration window ({why}), so "
        "only the BTYD models are backtested.",
        "zh": "生存模型无法在校准窗口上重新拟合（{why}），因此只回测 BTYD 模型。",
    },
    "btyd.survival_note": {
        "en": "The survival model's prediction is its expected remaining days alive in the window "
        "(conditional survival from the Cox model refitted on the calibration window) times the "
        "customer's order rate over the preceding 12 months; customers it counts as churned at "
        "the calibration end get 0.",
        "zh": "生存模型的预测 = 窗口内预期仍存活的天数（在校准窗口上重新拟合的 Cox 模型的条件生存）× "
        "客户此前 12 个月的下单频率；在校准期末已被判为流失的客户预测为 0。",
    },
    "btyd.gg_ok": {
        "en": "Gamma-Gamma assumes spend per purchase is independent of purchase frequency: among "
        "the {n} repeat customers the correlation is {r:.2f} (Spearman {rho:.2f}), below the "
        "{threshold:.2f} the check allows.",
        "zh": "Gamma-Gamma 假设单次消费额与购买频次无关：{n} 位复购客户中二者相关系数为 {r:.2f}"
        "（Spearman {rho:.2f}），低于检验允许的 {threshold:.2f}。",
    },
    "btyd.gg_fail": {
        "en": "> **Warning:** Gamma-Gamma assumes spend per purchase is independent of purchase "
        "frequency, but among the {n} repeat customers the correlation is {r:.2f} (Spearman "
        "{rho:.2f}, p = {p:.3g}). The BTYD CLV is biased for the most and least frequent buyers; "
        "read it as a ranking, not as an amount.",
        "zh": "> 警告：Gamma-Gamma 假设单次消费额与购买频次无关，但 {n} 位复购客户中二者相关系数为 "
        "{r:.2f}（Spearman {rho:.2f}，p = {p:.3g}）。对购买最频繁和最不频繁的客户，BTYD CLV 有偏，"
        "请把它当作排序而不是金额。",
    },
    "btyd.tracking_title": {
        "en": "{period}: cumulative purchases in the holdout",
        "zh": "{period}：验证期累计购买次数",
    },
    "btyd.scatter_title": {
        "en": "{period}: survival CLV vs BTYD CLV",
        "zh": "{period}：生存模型 CLV 与 BTYD CLV",
    },
    "btyd.scatter_x": {"en": "survival CLV", "zh": "生存模型 CLV"},
    "btyd.scatter_y": {"en": "BTYD CLV", "zh": "BTYD CLV"},
    "btyd.survival_name": {"en": "survival (Cox)", "zh": "生存模型 (Cox)"},
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
    "figure.ledger": {
        "en": "{kept} of the {rows} input rows were kept; the {table} table had the largest "
        "share set aside ({rejected}).",
        "zh": "{rows} 行输入中保留了 {kept}；{table} 表被隔离的比例最高（{rejected}）。",
    },
    "figure.ledger.clean": {
        "en": "{kept} of the {rows} input rows were kept and none was set aside.",
        "zh": "{rows} 行输入中保留了 {kept}，没有行被隔离。",
    },
    "figure.share_vs_revenue": {
        "en": "{group} carry {revenue} of 12-month revenue with {customers} of customers.",
        "zh": "{group}以 {customers} 的客户贡献了近 12 个月 {revenue} 的销售额。",
    },
    "figure.silhouette": {
        "en": "{k} clusters separate the customers best (silhouette {score:.2f}).",
        "zh": "分为 {k} 类时客户分得最清楚（轮廓系数 {score:.2f}）。",
    },
    "figure.cluster_levels": {
        "en": "The cluster furthest from the average customer is {name}: {measure} "
        "{sd:+.1f} standard deviations.",
        "zh": "离平均客户最远的聚类是{name}：{measure}偏离平均 {sd:+.1f} 个标准差。",
    },
    "figure.pareto": {
        "en": "The top {top} of customers bring in {share} of 12-month revenue.",
        "zh": "消费额最高的 {top} 客户贡献了近 12 个月 {share} 的销售额。",
    },
    "figure.transition": {
        "en": "{stay} of customers kept their {what}; the largest move was {n} customers from "
        "{source} to {target}.",
        "zh": "{stay} 的客户保持原{what}；最大的迁移是 {n} 位客户从{source}变为{target}。",
    },
    "figure.transition.none": {
        "en": "Every customer kept their {what}.",
        "zh": "所有客户都保持原{what}。",
    },
    "figure.weekday_hour": {
        "en": "Orders peak on {weekday} at {hour}:00, with {orders} orders on an average "
        "{weekday} in that hour.",
        "zh": "下单高峰在{weekday} {hour} 点，平均每个{weekday}该时段 {orders} 单。",
    },
    "figure.km": {
        "en": "{share} of customers are still buying {days} days after their first order.",
        "zh": "首单 {days} 天后仍有 {share} 的客户在购买。",
    },
    "figure.km.landmark": {
        "en": "{share} of customers are still buying {days} days after the landmark.",
        "zh": "地标日 {days} 天后仍有 {share} 的客户在购买。",
    },
    "figure.km.one": {
        "en": "{share} of the customers of {group} are still buying {days} days after their "
        "first order; the other groups are too small to compare.",
        "zh": "{group}组首单 {days} 天后仍有 {share} 的客户在购买；其他分组样本过小，不作比较。",
    },
    "figure.km.groups": {
        "en": "The group {best} keeps customers longest: {best_share} are still buying after "
        "{days} days, against {worst_share} for {worst}.",
        "zh": "{best}组的客户留存最久：{days} 天后仍有 {best_share} 在购买，{worst}组只有 {worst_share}。",
    },
    "figure.forest": {
        "en": "{label} goes with the largest change in churn risk: hazard ratio {hr:.2f} "
        "(95% CI {low:.2f}–{high:.2f}).",
        "zh": "与流失风险关系最大的是{label}：风险比 {hr:.2f}（95% 置信区间 {low:.2f}–{high:.2f}）。",
    },
    "figure.forest.none": {
        "en": "No factor is clearly associated with churn: every 95% interval includes 1.",
        "zh": "没有因素与流失有明确关联：所有 95% 置信区间都包含 1。",
    },
    "figure.churn_calibration": {
        "en": "Predicted churn is {gap:.1f} points from the observed churn on average over "
        "the {n} deciles.",
        "zh": "{n} 个十分位的预测流失率与实际流失率平均相差 {gap:.1f} 个百分点。",
    },
    "figure.value_at_risk": {
        "en": "{group} hold the most value at risk: {amount}, {share} of the total.",
        "zh": "{group}的风险价值最高：{amount}，占总额的 {share}。",
    },
    "figure.health_calibration": {
        "en": "Churn in the next {days} days falls from {low} in the lowest health-score decile "
        "to {high} in the highest.",
        "zh": "健康分最低的十分位此后 {days} 天流失率为 {low}，最高的十分位为 {high}。",
    },
    "figure.health_bands": {
        "en": "The red band held {last} of scored customers in {last_month}, against {first} "
        "in {first_month}.",
        "zh": "{last_month} 红色区间客户占 {last}，{first_month} 为 {first}。",
    },
    "figure.btyd_scatter": {
        "en": "The two lifetime values rank the {n} active customers {how} (Spearman ρ = "
        "{rho:.2f}).",
        "zh": "两种生命周期价值对 {n} 位活跃客户的排序{how}（Spearman ρ = {rho:.2f}）。",
    },
    "figure.btyd_scatter.close": {"en": "much alike", "zh": "高度一致"},
    "figure.btyd_scatter.partly": {"en": "partly alike", "zh": "部分一致"},
    "figure.btyd_scatter.apart": {"en": "differently", "zh": "差异较大"},
    "figure.btyd_holdout": {
        "en": "Customers made {actual} repeat purchases in the holdout; {model} came closest "
        "per customer with {expected} expected.",
        "zh": "验证期客户复购 {actual} 次；按客户误差最小的是{model}，预期 {expected} 次。",
    },
    "figure.step_matrix.more": {
        "en": "The largest difference is {event} {k} step(s) before the end: {points} "
        "points more common among churned than retained customers.",
        "zh": "差异最大的是倒数第 {k} 步的{event}：流失客户比留存客户多 {points} 个百分点。",
    },
    "figure.step_matrix.less": {
        "en": "The largest difference is {event} {k} step(s) before the end: {points} "
        "points less common among churned than retained customers.",
        "zh": "差异最大的是倒数第 {k} 步的{event}：流失客户比留存客户少 {points} 个百分点。",
    },
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
    "figure.scorecard": {
        "en": "On target: {green} of the {n} KPIs with a target; furthest from its target: "
        "{label}, at {ratio} of it.",
        "zh": "{n} 个有目标的 KPI 中 {green} 个达标；离目标最远的是{label}，达成 {ratio}。",
    },
    "figure.control_charts": {
        "en": "{hit} of the {n} monthly KPIs broke a control rule in the period: {names}.",
        "zh": "{n} 个月度 KPI 中有 {hit} 个在本期触发了控制规则：{names}。",
    },
    "figure.control_charts.none": {
        "en": "All {n} monthly KPIs stayed within their control limits in the period.",
        "zh": "本期 {n} 个月度 KPI 都在控制限以内。",
    },
    "figure.funnel": {
        "en": "The largest drop is at {step}: {rate} of the previous step go on ({group}).",
        "zh": "流失最多的一步是{step}：只有 {rate} 进入这一步（{group}）。",
    },
    "figure.funnel.all": {"en": "all channels", "zh": "全部渠道"},
    "figure.channels": {
        "en": "{best} converts best with {best_rate} per touch sent; {worst} converts least "
        "with {worst_rate}.",
        "zh": "{best}的转化率最高，每次发送 {best_rate}；{worst}最低，为 {worst_rate}。",
    },
    "figure.channels.one": {
        "en": "{best} converts {best_rate} of the touches sent.",
        "zh": "{best}每次发送的转化率为 {best_rate}。",
    },
    "figure.cac_clv": {
        "en": "{channel} gives the most value per acquisition cost: a new customer is worth "
        "{clv} and cost {cac}.",
        "zh": "{channel}的获客性价比最高：一位新客户价值 {clv}，获客成本 {cac}。",
    },
    "figure.cac_clv.no_cost": {
        "en": "No channel has an acquisition cost given; new customers from {channel} are "
        "worth the most ({clv}).",
        "zh": "各渠道均未给出获客花费；{channel}的新客户价值最高（{clv}）。",
    },
    "figure.cohorts": {
        "en": "In month {k} after their first order, {share} of a cohort bought again on "
        "average ({n} cohorts).",
        "zh": "首购后第 {k} 个月，各队列平均有 {share} 的客户再次购买（{n} 个队列）。",
    },
    "figure.forecast_calibration": {
        "en": "The {previous} forecast expected {predicted} of these customers to churn; "
        "{actual} did.",
        "zh": "{previous} 的预测认为这些客户中 {predicted} 会流失，实际流失 {actual}。",
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
    """
    if lang not in LANGUAGES:
        raise KeyError(f"unknown language {lang!r}; use one of {list(LANGUAGES)}")
    try:
        entry = CATALOG[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(CATALOG), n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        raise KeyError(f"no text for {key!r}{hint}") from None
    template = entry.get(lang) or entry["en"]
    return template.format(**kwargs) if kwargs else template


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
