"""Catalog texts of scorecard, funnels, cohorts, unit economics, KPI alerts and the forecast check (custops.review).

Keys are mostly prefixed ``review.`` (figure captions: ``figure.``); each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
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
    "figure.scorecard": {
        "en": "On target: {green} of the {n} KPIs with a target; furthest from its target: "
        "{label}, at {ratio} of it.",
        "zh": "{n} 个有目标的 KPI 中 {green} 个达标；离目标最远的是{label}，达成 {ratio}。",
    },
    "figure.funnel": {
        "en": "The largest drop is at {step}: {rate} of the previous step go on ({group}).",
        "zh": "流失最多的一步是{step}：只有 {rate} 进入这一步（{group}）。",
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
    "figure.control_charts": {
        "en": "{hit} of the {n} monthly KPIs broke a control rule in the period: {names}.",
        "zh": "{n} 个月度 KPI 中有 {hit} 个在本期触发了控制规则：{names}。",
    },
    "figure.control_charts.none": {
        "en": "All {n} monthly KPIs stayed within their control limits in the period.",
        "zh": "本期 {n} 个月度 KPI 都在控制限以内。",
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
    # ------------------------------------------------------------------ review.economics
    "review.economics.note.definitions": {
        "en": (
            "> **Definitions.** New customers = customers who signed up in {period}, by "
            "acquisition channel. CAC = the channel's acquisition spend in the period ÷ its new "
            "customers (a realised figure, so no interval); cost per buyer = spend ÷ new customers "
            "who had ordered by the period end. CLV = margin earned up to the period end + the "
            "expected margin of the next {horizon} months (discounted) from "
            "notebook 03's survival model; churned customers add no future margin and sign-ups "
            "without an order count as 0, so channel means lean low. 95% intervals: bootstrap "
            "over customers (seeded); they cover customer-to-customer variation, not the churn "
            "model's own uncertainty."
        ),
        "zh": (
            "> **口径。** 新客户 = 注册日期在 {period} 内的客户，按获客渠道归属。CAC = 该渠道本期获客花费 ÷ 新客户数"
            "（实际发生的数字，不带区间）；每位首购客户成本 = 花费 ÷ 期末前已下单的新客户数。"
            "CLV = 至期末已实现的毛利 + 笔记本 03 的生存模型给出的未来 {horizon} 个月预期毛利（已折现）；"
            "已流失客户没有未来毛利，尚未下单的注册客户按 0 计，所以渠道均值偏保守。"
            "95% 区间为按客户重抽样（固定随机种子）的自助法区间，反映客户之间的差异，不含模型本身的不确定性。"
        ),
    },
    "review.economics.note.no_channel": {
        "en": (
            "> The customer table has no `acquisition_channel` column, so CAC and CLV "
            "cannot be split by channel; map that column in the config "
            "(`sources.customers.columns.acquisition_channel`)."
        ),
        "zh": (
            "> 客户表没有 `acquisition_channel` 列，无法按渠道计算 CAC 与 CLV；请在配置中映射该列"
            "（`sources.customers.columns.acquisition_channel`）。"
        ),
    },
    # no fields: t() returns the template as written (the braces stay)
    "review.economics.note.no_costs": {
        "en": (
            "> The config gives no acquisition spend (`costs.acquisition`), so the table "
            "shows each channel's CLV and no CAC. Add each channel's spend in the period (e.g. "
            "`costs: {acquisition: {search_ads: 180000}}`) to get CAC and CLV/CAC."
        ),
        "zh": (
            "> 配置中没有获客花费（`costs.acquisition`），下表只给出各渠道新客户的 CLV，CAC 未给出。"
            "填写每个渠道本期的花费（例如 `costs: {acquisition: {search_ads: 180000}}`）即可得到 CAC 与 CLV/CAC。"
        ),
    },
    "review.economics.note.no_clv": {
        "en": (
            "> Notebook 03's `churn_scores.parquet` is missing, so CLV and CLV/CAC are not "
            "shown (only the margin earned so far); run notebook 03 before this chapter."
        ),
        "zh": (
            "> 缺少笔记本 03 的 `churn_scores.parquet`，CLV 只含至期末已实现的毛利，不含预期毛利；"
            "先运行笔记本 03 再运行本章即可补全。"
        ),
    },
    "review.economics.note.unscored": {
        "en": "> {n} new buyers are missing from the churn scores; their expected margin counts as 0.",
        "zh": "> {n} 位已下单的新客户不在流失评分中，其预期毛利按 0 计。",
    },
    "review.economics.no_signups": {
        "en": "> No customer signed up in {period}.",
        "zh": "> {period} 没有新注册客户。",
    },
    "review.economics.small": {
        "en": " (only {n} new customers: too few to rank)",
        "zh": "（仅 {n} 位新客户，样本过小，不参与排名）",
    },
    "review.economics.verdict.pays": {"en": "returns more than it costs", "zh": "回报高于成本"},
    "review.economics.verdict.costs": {"en": "costs more than it returns", "zh": "成本高于回报"},
    "review.economics.verdict.unclear": {
        "en": "unclear whether it pays back",
        "zh": "回报是否覆盖成本尚不确定",
    },
    "review.economics.line.full": {
        "en": (
            "- **{channel}** cost {cac} per new customer "
            "({n} sign-ups for {spend}); a new customer "
            "from {channel} is worth {clv} (95% CI {low}–"
            "{high}) in margin, earned so far plus expected over the next "
            "{horizon} months: CLV/CAC {ratio} "
            "({ratio_low}–{ratio_high}) — {verdict}.{small}"
        ),
        "zh": (
            "- **{channel}**：每位新客户成本 {cac}（花费 {spend}，"
            "注册 {n} 人），而一位来自 {channel} 的新客户价值 {clv}"
            "（95% 区间 {low}–{high}）的毛利（已实现加未来 {horizon} 个月预期）："
            "CLV/CAC {ratio}（{ratio_low}–{ratio_high}），{verdict}。{small}"
        ),
    },
    "review.economics.line.no_clv": {
        "en": "- **{channel}** cost {cac} per new customer ({n} sign-ups); its CLV needs notebook 03's scores.",
        "zh": "- **{channel}**：每位新客户成本 {cac}（{n} 人）；CLV 需要笔记本 03 的结果。",
    },
    "review.economics.line.no_new": {
        "en": "- **{channel}** spent {spend} in the period but brought no new customer.",
        "zh": "- **{channel}**：本期花费 {spend}，但没有新注册客户。",
    },
    "review.economics.line.unpaid": {
        "en": (
            "- **{channel}** ({what}): {n} new customers worth "
            "{clv} each on average (95% CI {low}–{high}).{small}"
        ),
        "zh": "- **{channel}**（{what}）：{n} 位新客户，平均 CLV {clv}（95% 区间 {low}–{high}）。{small}",
    },
    "review.economics.what.free": {"en": "no acquisition spend", "zh": "无获客花费"},
    "review.economics.what.not_given": {"en": "spend not given", "zh": "配置中未给出花费"},
    "review.economics.col.channel": {"en": "channel", "zh": "渠道"},
    "review.economics.col.spend": {"en": "spend", "zh": "花费"},
    "review.economics.col.new_customers": {"en": "new customers", "zh": "新客户"},
    "review.economics.col.buyers": {"en": "of whom bought", "zh": "其中已下单"},
    "review.economics.col.cac": {"en": "CAC", "zh": "CAC"},
    "review.economics.col.cost_per_buyer": {"en": "cost per buyer", "zh": "每位首购成本"},
    "review.economics.col.margin_to_date": {"en": "margin so far", "zh": "已实现毛利"},
    "review.economics.col.expected_margin": {"en": "expected margin", "zh": "预期毛利"},
    "review.economics.col.clv": {"en": "CLV (95% CI)", "zh": "CLV（95% 区间）"},
    "review.economics.col.clv_to_cac": {"en": "CLV/CAC (95% CI)", "zh": "CLV/CAC（95% 区间）"},
    "review.economics.col.status": {"en": "note", "zh": "说明"},
    # the status of a channel in the table's note column ("ok" says nothing)
    "review.economics.status.ok": {"en": "", "zh": ""},
    "review.economics.status.no spend given": {"en": "no spend given", "zh": "未给出花费"},
    "review.economics.status.free": {"en": "free", "zh": "无花费"},
    "review.economics.status.no new customers": {"en": "no new customers", "zh": "无新客户"},
    "review.economics.small_n": {"en": "small n", "zh": "样本过小"},
    "review.economics.plot.no_spend": {"en": "no acquisition spend", "zh": "无获客花费"},
    "review.economics.plot.not_given": {"en": "spend not given", "zh": "未给出花费"},
    "review.economics.plot.xlabel": {"en": "per new customer{unit}", "zh": "每位新客户{unit}"},
    "review.economics.plot.title": {
        "en": "Acquisition cost vs new-customer value (CLV, 95% CI)",
        "zh": "获客成本与新客户价值（CLV，95% 区间）",
    },
    # ------------------------------------------------------------------ review.cohorts
    "review.cohorts.none": {
        "en": "No cohort has been observed long enough.",
        "zh": "没有足够长的队列数据。",
    },
    "review.cohorts.sentence": {
        "en": (
            "On average {mean} of a cohort bought again in month {k} after its first order "
            "({n} cohorts, weighted by size); the latest cohort observed that long, "
            "{latest}, reached {share}."
        ),
        "zh": (
            "按队列规模加权，平均 {mean} 的首购客户在第 {k} 个月再次购买（{n} 个队列）；"
            "最近一个观察满 {k} 个月的队列 {latest} 为 {share}。"
        ),
    },
    "review.cohorts.repurchase.none": {
        "en": "There are no repeat purchases to time.",
        "zh": "没有可用的复购数据。",
    },
    # one window: the first of the list says "bought again" in English
    "review.cohorts.repurchase.first": {
        "en": "{share} bought again within {days} days (95% CI {low}–{high})",
        "zh": "{days} 天内 {share}（95% 置信区间 {low}–{high}）",
    },
    "review.cohorts.repurchase.next": {
        "en": "{share} within {days} days (95% CI {low}–{high})",
        "zh": "{days} 天内 {share}（95% 置信区间 {low}–{high}）",
    },
    "review.cohorts.repurchase.sep": {"en": ", ", "zh": ","},
    "review.cohorts.repurchase.last_sep": {"en": " and ", "zh": ","},
    "review.cohorts.repurchase.sentence": {
        "en": "Of first-time buyers observed long enough, {joined}.",
        "zh": "在观察期足够长的首购客户中，再次购买的比例：{joined}。",
    },
    "review.cohorts.no_contact.no_data": {
        "en": "Without touches or tickets, follow-up after a repurchase cannot be checked.",
        "zh": "没有触达或工单数据，无法判断复购后是否有跟进。",
    },
    "review.cohorts.no_contact.none": {
        "en": "No customer made a first repurchase this period.",
        "zh": "本期没有首次复购的客户。",
    },
    "review.cohorts.no_contact.sentence": {
        "en": (
            "{no_contact} of the {repurchasers} customers who made their first repurchase "
            "this period ({share}, 95% CI {low}–{high}) received no "
            "touch and opened no ticket afterwards (median {days} days without contact by the period end)."
        ),
        "zh": (
            "本期首次复购的 {repurchasers} 位客户中，有 {no_contact} 位"
            "（{share}，95% 置信区间 {low}–{high}）之后既没有收到触达，"
            "也没有服务工单（到期末中位 {days} 天无联系）。"
        ),
    },
    "review.cohorts.plot.title": {
        "en": "First-order cohorts: share buying in month k",
        "zh": "首购月份队列：第 k 个月有购买的客户占比",
    },
    "review.cohorts.plot.xlabel": {
        "en": "months since first order (k)",
        "zh": "首购后第 k 个月",
    },
    # ------------------------------------------------------------------ review.alerts
    "review.alerts.kpi.activation_rate": {
        "en": "New-member activation (order in 30 days)",
        "zh": "新会员激活率",
    },
    "review.alerts.kpi.repurchase_rate": {"en": "Repurchase (last month's buyers)", "zh": "复购率"},
    "review.alerts.kpi.churn_rate": {"en": "Monthly churn (inactivity)", "zh": "月流失率"},
    "review.alerts.kpi.nps": {"en": "NPS (points)", "zh": "NPS（分）"},
    "review.alerts.kpi.first_response_hours": {
        "en": "Typical first response (geometric mean, hours)",
        "zh": "首次响应时长（几何平均，小时）",
    },
    "review.alerts.kpi.conversion": {
        "en": "Conversion per touch: {channel}",
        "zh": "{channel} 触达转化率",
    },
    "review.alerts.none_fired": {
        "en": "All {n} monthly KPIs stayed within their control limits in {period}; no alert fired.",
        "zh": "{period} 监控的 {n} 个月度指标均在控制限内，没有触发预警。",
    },
    "review.alerts.item": {
        "en": "{label} ({months}, {sigmas}σ off, rule: {rules})",
        "zh": "{label}（{months}，偏离 {sigmas}σ，规则：{rules}）",
    },
    "review.alerts.item_sep": {"en": "; ", "zh": "；"},
    "review.alerts.none_worse": {"en": "none", "zh": "无"},
    "review.alerts.fired": {
        "en": "In {period}, {n} KPI(s) fired an alert; those that got worse: {items}.",
        "zh": "{period} 共 {n} 个指标触发预警，其中变差的：{items}。",
    },
    "review.alerts.weak": {
        "en": (
            "Note: for {weak} of {n} KPIs a single-month 10% drop is less than 3σ "
            "(often only about 2σ), so one bad month alone is not flagged; the sustained-shift "
            "rules (2 of 3 months beyond 2σ, 3 months in a row beyond 1.5σ, EWMA) catch persistent changes."
        ),
        "zh": (
            "注意：对 {weak}/{n} 个指标而言，单月下降 10% 不足 3σ（往往只是约 2σ），"
            "单月波动不单独预警，需看连续偏移规则（3 个月中 2 个超过 2σ、连续 3 个月超过 1.5σ、EWMA）。"
        ),
    },
    "review.alerts.false_alarm": {
        "en": (
            "On stable simulated series these rules raise a false alarm in about 1% of "
            "series per three monitored months (per KPI)."
        ),
        "zh": "在平稳的模拟序列上，这些规则在 3 个监控月内的误报率约 1%（每个指标）。",
    },
    # two sentences of a paragraph, one after the other (an empty template would fall back
    # to English, so the pair is the template)
    # ------------------------------------------------------------------ review.funnels
    "review.funnels.step.sent": {"en": "sent", "zh": "发送"},
    "review.funnels.step.delivered": {"en": "delivered", "zh": "送达"},
    "review.funnels.step.opened": {"en": "opened", "zh": "打开"},
    "review.funnels.step.clicked": {"en": "clicked", "zh": "点击"},
    "review.funnels.step.converted": {"en": "converted", "zh": "转化"},
    "review.funnels.step.signed_up": {"en": "signed up", "zh": "注册"},
    "review.funnels.step.first_order": {"en": "first order", "zh": "首单"},
    "review.funnels.step.second_order": {"en": "second order", "zh": "二次购买"},
    "review.funnels.no_touches": {
        "en": "There are no touches to build a funnel from.",
        "zh": "没有可用的触达数据。",
    },
    "review.funnels.drop_off": {
        "en": (
            "The biggest drop-off is from {a} to {b}: {rate} of {a} touches went on "
            "(95% CI {low}–{high}), {lost} lost."
        ),
        "zh": (
            "流失最大的环节是从{a}到{b}：只有 {rate} 的{a}触达进入下一步"
            "（95% 置信区间 {low}–{high}），流失 {lost} 次。"
        ),
    },
    "review.funnels.drop_off.worst": {
        "en": " Of the channels, {group} loses the most at this step ({rate} of {a} went on).",
        "zh": "各渠道中 {group} 在这一步流失最多（{a}后仅 {rate} 继续）。",
    },
    "review.funnels.channels.too_few": {
        "en": "Too few touches to compare channels.",
        "zh": "没有足够的触达数据比较渠道。",
    },
    "review.funnels.channels.one": {
        "en": "Only one channel, {channel}: {rate} of touches sent converted (95% CI {low}–{high}).",
        "zh": "只有一个渠道 {channel}：转化率 {rate}（95% 置信区间 {low}–{high}）。",
    },
    "review.funnels.channels.real": {
        "en": "the lead is larger than noise",
        "zh": "领先超出随机波动",
    },
    "review.funnels.channels.noise": {
        "en": "the lead could be noise",
        "zh": "领先可能只是随机波动",
    },
    "review.funnels.channels.best": {
        "en": (
            "{channel} converts best: {rate} of touches sent (95% CI {low}–{high}), ahead of "
            "{runner_up} ({second}); {verdict} (p = {p})."
        ),
        "zh": (
            "转化最好的渠道是 {channel}：每次发送转化 {rate}（95% 置信区间 {low}–{high}），"
            "高于 {runner_up}（{second}）；{verdict}（p = {p}）。"
        ),
    },
    "review.funnels.reach.not_app_bound": {
        "en": "{share} of active customers (95% CI {ci}) are not bound to the APP, so APP push cannot reach them.",
        "zh": "{share} 的活跃客户（95% 置信区间 {ci}）没有绑定 APP,APP 推送触达不到他们。",
    },
    "review.funnels.reach.touched_only_weak": {
        "en": (
            "{share} (95% CI {ci}) were contacted this period only through weak channels "
            "(conversion below the all-channel rate)."
        ),
        "zh": "{share}（95% 置信区间 {ci}）本期只通过弱渠道（转化率低于全渠道平均）被触达。",
    },
    "review.funnels.reach.none": {
        "en": "There is no data on channel reachability.",
        "zh": "没有判断渠道可达性所需的数据。",
    },
    "review.funnels.acquisition.no_signup": {
        "en": "The customer table has no signup date, so there is no acquisition funnel.",
        "zh": "客户表没有注册日期，无法建立获客漏斗。",
    },
    "review.funnels.acquisition": {
        "en": (
            "Of the {n} customers who signed up in {cohort}, {first} placed "
            "a first order and {second} a second one by the period end{previous}."
        ),
        "zh": "{cohort} 注册的 {n} 位客户中，到期末 {first} 完成首单，{second} 完成第二单{previous}。",
    },
    "review.funnels.acquisition.previous": {
        "en": " ({cohort} cohort: {first} and {second})",
        "zh": "（上一期 {cohort} 为 {first} 和 {second}）",
    },
    "review.funnels.ab.none": {"en": "No A/B test ran this period.", "zh": "本期没有 A/B 实验。"},
    "review.funnels.ab.real": {
        "en": "the difference is unlikely to be noise",
        "zh": "差异不太可能是随机波动",
    },
    "review.funnels.ab.noise": {
        "en": "the difference could be noise",
        "zh": "差异可能只是随机波动",
    },
    "review.funnels.ab": {
        "en": (
            "Campaign {campaign}: treatment converted {treatment} vs "
            "{control} for control, {diff} points (95% CI {low} to {high}), "
            "{ratio} ({rci}); {verdict} (p = {p})."
        ),
        "zh": (
            "活动 {campaign}：实验组转化率 {treatment}，对照组 {control}，"
            "差 {diff} 个百分点（95% 置信区间 {low} 至 {high}），倍数 {ratio}（{rci}）；"
            "{verdict}（p = {p}）。"
        ),
    },
    "review.funnels.plot.funnel_title": {
        "en": "Touch funnel: step rates (95% CI)",
        "zh": "触达漏斗：各步转化率（95% 置信区间）",
    },
    "review.funnels.plot.channels_title": {
        "en": "Conversion by channel (95% CI)",
        "zh": "各渠道转化率（95% 置信区间）",
    },
    "review.funnels.plot.channels_xlabel": {
        "en": "conversion per touch sent",
        "zh": "每次发送的转化率",
    },
    # ------------------------------------------------------------------ review.scorecard
    "review.scorecard.kpi.active_customers": {"en": "Active customers", "zh": "活跃客户数"},
    "review.scorecard.kpi.new_customers": {
        "en": "New customers (first order)",
        "zh": "新客户数（首单）",
    },
    "review.scorecard.kpi.churn_rate": {
        "en": "Quarterly lapse rate (previous-period buyers who did not buy)",
        "zh": "季度断购率（上期购买客户本期未购）",
    },
    "review.scorecard.kpi.retention_rate": {"en": "Retention rate", "zh": "留存率"},
    "review.scorecard.kpi.repurchase_rate": {
        "en": "Repurchase rate (2+ orders)",
        "zh": "复购率（2单及以上）",
    },
    "review.scorecard.kpi.avg_order_value": {"en": "Average order value", "zh": "客单价（每单）"},
    "review.scorecard.kpi.revenue": {"en": "Revenue", "zh": "销售额"},
    "review.scorecard.kpi.revenue_per_customer": {
        "en": "Revenue per active customer",
        "zh": "每活跃客户销售额",
    },
    "review.scorecard.kpi.nps": {"en": "NPS", "zh": "净推荐值 (NPS)"},
    "review.scorecard.kpi.csat": {"en": "CSAT (1-5)", "zh": "满意度 CSAT (1-5)"},
    "review.scorecard.kpi.first_response_hours": {
        "en": "First response (median hours)",
        "zh": "首次响应时长（中位数，小时）",
    },
    "review.scorecard.kpi.sla_resolved_share": {
        "en": "Resolved within SLA",
        "zh": "SLA 内解决占比",
    },
    "review.scorecard.kpi.touch_reach": {
        "en": "Touch reach (delivered / sent)",
        "zh": "触达率（送达/发送）",
    },
    "review.scorecard.kpi.touch_conversion": {
        "en": "Touch conversion (converted / sent)",
        "zh": "触达转化率（转化/发送）",
    },
    # the report's own (contractual) churn, named churn
    "review.scorecard.kpi.churn_own": {
        "en": "Churn rate (the report's churn definition)",
        "zh": "流失率（本报告的流失口径）",
    },
    "review.scorecard.partial": {
        "en": " (partial: data end {until})",
        "zh": "（部分期，数据截至 {until}）",
    },
    "review.scorecard.status.green": {"en": "green", "zh": "达标"},
    "review.scorecard.status.amber": {"en": "amber", "zh": "接近"},
    "review.scorecard.status.red": {"en": "red", "zh": "未达标"},
    "review.scorecard.status.grey": {"en": "grey", "zh": "无目标"},
    "review.scorecard.bracket": {"en": " ({inner})", "zh": "（{inner}）"},
    "review.scorecard.to": {"en": " to ", "zh": " 至 "},
    "review.scorecard.col.period": {"en": "Period", "zh": "报告期"},
    "review.scorecard.col.kpi": {"en": "KPI", "zh": "指标"},
    "review.scorecard.col.value": {"en": "This period (95% CI)", "zh": "本期（95% 置信区间）"},
    "review.scorecard.col.previous": {"en": "Previous", "zh": "上期"},
    "review.scorecard.col.change": {"en": "Change", "zh": "变化"},
    "review.scorecard.col.target": {"en": "Target", "zh": "目标"},
    "review.scorecard.col.status": {"en": "Status", "zh": "状态"},
    "review.scorecard.col.noise": {
        "en": "Change vs noise (95% CI)",
        "zh": "变化是否超出随机波动（95% 置信区间）",
    },
    "review.scorecard.real_change": {"en": "real change", "zh": "超出随机波动"},
    "review.scorecard.could_be_noise": {"en": "could be noise", "zh": "可能是随机波动"},
    "review.scorecard.counts": {
        "en": "Of {n} KPIs with a target, {green} are green, {amber} amber and {red} red.",
        "zh": "有目标的 {n} 项 KPI 中，{green} 项达标，{amber} 项接近目标，{red} 项未达标。",
    },
    "review.scorecard.red_item": {
        "en": "{label} ({value} vs target {target})",
        "zh": "{label} ({value} 对比目标 {target})",
    },
    "review.scorecard.off_target": {"en": "Off target: {items}.", "zh": "未达标：{items}。"},
    "review.scorecard.real": {
        "en": (
            "Changes vs the previous period beyond noise (the 95% interval of the "
            "KPI's own change excludes 0): {items}."
        ),
        "zh": "与上期相比超出随机波动的变化（该指标自身变化量的 95% 置信区间不含 0）：{items}。",
    },
    "review.scorecard.no_real": {
        "en": (
            "No change vs the previous period is beyond noise (the 95% interval of every "
            "KPI's change contains 0)."
        ),
        "zh": "与上期相比，没有一项变化超出随机波动（每项指标变化量的 95% 置信区间都含 0）。",
    },
    "review.scorecard.did_you_mean": {
        "en": " (did you mean `{name}`?)",
        "zh": "（是否是 `{name}`?）",
    },
    "review.scorecard.unknown_target": {
        "en": "The target for `{name}` in the config is not a known KPI and was ignored{hint}.",
        "zh": "配置中的目标 `{name}` 不是已知 KPI，已忽略{hint}。",
    },
    "review.scorecard.plot.title": {
        "en": "KPIs against their targets",
        "zh": "KPI 相对目标的达成度",
    },
    "review.scorecard.plot.xlabel": {
        "en": "achievement vs target (1 = on target)",
        "zh": "相对目标的达成度（1 = 达标）",
    },
    "review.scorecard.upstream.complete": {
        "en": "> All artifacts of notebooks 01–04 are present; the findings below read their results and refit no model.",
        "zh": "> 前序笔记本（01–04）的产出齐全，以下结论读取它们的结果，不重新建模。",
    },
    "review.scorecard.upstream.item": {
        "en": "`{name}` (notebook {writer})",
        "zh": "`{name}`（笔记本 {writer}）",
    },
    "review.scorecard.upstream.missing": {
        "en": (
            "> Missing for this period: {items}. The findings that need it are skipped; "
            "run that notebook first to include them."
        ),
        "zh": "> 本期缺少：{items}。依赖它们的结论已跳过；先运行对应笔记本即可补上。",
    },
    "review.scorecard.finding.targets": {
        "en": "{green} of {n} KPIs with a target are on target and {red} are red{names}.",
        "zh": "有目标的 {n} 项 KPI 中 {green} 项达标、{red} 项未达标{names}。",
    },
    "review.scorecard.finding.red_names": {"en": " ({names})", "zh": "（未达标：{names}）"},
    "review.scorecard.finding.improved": {"en": "improved", "zh": "改善"},
    "review.scorecard.finding.worsened": {"en": "worsened", "zh": "恶化"},
    "review.scorecard.finding.clearest": {
        "en": (
            "The clearest change: {label} {word} from {previous} to "
            "{value} (change {change}, 95% CI {low} to {high})."
        ),
        "zh": (
            "最确定的变化：{label}从上期 {previous} {word}到 "
            "{value}（变化 {change}，95% 置信区间 {low} 至 {high}）。"
        ),
    },
    "review.scorecard.finding.tier": {
        "en": "Tier {top} customers are {share_c} of customers but bring {share_r} of the last 12 months' revenue.",
        "zh": "{top} 级客户占客户数的 {share_c}，却贡献了近 12 个月销售额的 {share_r}。",
    },
    "review.scorecard.finding.top_segment": {
        "en": "The largest RFM segment is '{name}' with {share} of customers ({n} segments).",
        "zh": "最大的 RFM 客群是「{name}」，占客户的 {share}（共 {n} 个客群）。",
    },
    "review.scorecard.finding.lifecycle": {
        "en": "{share} of customers are in the {names} lifecycle stage(s).",
        "zh": "{share} 的客户处于{names}阶段。",
    },
    "review.scorecard.finding.likely_churners": {
        "en": "{n} customers still active ({share}) have a churn probability of 50% or more within {horizon} days.",
        "zh": "仍活跃的客户中有 {n} 位（{share}）未来 {horizon} 天流失概率不低于 50%。",
    },
    "review.scorecard.finding.priority_list": {
        "en": "; the retention priority list holds {n} customers",
        "zh": "；挽留优先名单共 {n} 位客户",
    },
    "review.scorecard.finding.value_at_risk": {
        "en": "Value at risk (churn probability × CLV) totals {total}{listed}.",
        "zh": "风险价值（流失概率 × 客户终身价值）合计 {total}{listed}。",
    },
    "review.scorecard.finding.driver": {
        "en": "The most common main churn driver is '{driver}': {n} customers still active ({share}).",
        "zh": "最常见的首要流失风险因素是「{driver}」：{n} 位仍活跃的客户（{share}）。",
    },
    "review.scorecard.finding.nps_ci": {
        "en": "(95% CI {low} to {high})",
        "zh": "(95% 置信区间 {low} 至 {high})",
    },
    "review.scorecard.finding.nps": {
        "en": "NPS this period is {nps} {ci}{n}.",
        "zh": "本期 NPS 为 {nps}{ci}{n}。",
    },
    # the Chinese interval keeps its two spaces after the label, as the report always wrote it
    "review.scorecard.finding.lowest_ci": {
        "en": " (95% CI {low} to {high})",
        "zh": "（95% 置信区间  {low} 至 {high}）",
    },
    "review.scorecard.finding.lowest_nps": {
        "en": "The lowest NPS is {nps}{ci}, in the group {group}.",
        "zh": "NPS 最低的组是{group}，NPS 为 {nps}{ci}。",
    },
    "review.scorecard.findings.col.finding": {"en": "Finding", "zh": "结论"},
    "review.scorecard.findings.col.source": {"en": "Notebook", "zh": "来源笔记本"},
    "review.scorecard.findings.none": {
        "en": "There are no findings to report this period.",
        "zh": "本期没有可报告的结论。",
    },
    "review.scorecard.findings.item": {
        "en": "{i}. {text} *(notebook {source})*",
        "zh": "{i}. {text} *（来源：笔记本 {source}）*",
    },
    "review.scorecard.moved.desired": {"en": "desired", "zh": "向期望方向"},
    "review.scorecard.moved.wrong way": {"en": "wrong way", "zh": "反方向"},
    "review.scorecard.moved.unchanged": {"en": "unchanged", "zh": "不变"},
    "review.scorecard.moved.no data": {"en": "no data", "zh": "无数据"},
    "review.scorecard.moved.unknown KPI": {"en": "unknown KPI", "zh": "未知 KPI"},
    "review.scorecard.moved.beyond_noise": {"en": " (beyond noise)", "zh": "（超出随机波动）"},
    "review.scorecard.register.col.issue": {"en": "Issue", "zh": "问题"},
    "review.scorecard.register.col.action": {"en": "Action", "zh": "行动"},
    "review.scorecard.register.col.owner": {"en": "Owner", "zh": "负责人"},
    "review.scorecard.register.col.due": {"en": "Due", "zh": "截止"},
    "review.scorecard.register.col.status": {"en": "Status", "zh": "状态"},
    "review.scorecard.register.col.kpi": {"en": "KPI: previous → now", "zh": "KPI:上期 → 本期"},
    "review.scorecard.register.col.moved": {"en": "KPI moved", "zh": "KPI 变化"},
    "review.scorecard.register.col.overdue": {"en": "Overdue", "zh": "逾期"},
    "review.scorecard.register.yes": {"en": "yes", "zh": "是"},
    "review.scorecard.actions.none": {
        "en": "No action register is configured (`review.actions`), or it is empty.",
        "zh": "没有配置行动清单（`review.actions`），或清单为空。",
    },
    "review.scorecard.actions.moved": {
        "en": "{good} of {n} actions saw their KPI move the desired way{real}{bad}.",
        "zh": "{n} 项行动中，{good} 项对应的 KPI 向期望方向变化{real}{bad}。",
    },
    "review.scorecard.actions.real": {
        "en": " ({n} beyond noise)",
        "zh": "（其中 {n} 项超出随机波动）",
    },
    "review.scorecard.actions.bad": {"en": "; {n} did not: {items}", "zh": "；{n} 项没有：{items}"},
    # English names the issue as written (issue, status); Chinese marks a quote in another
    # language (issue_html) and names the status (status_label)
    "review.scorecard.actions.bad_item": {
        "en": "{issue} ({kpi})",
        "zh": "{issue_html}（{kpi}）",
    },
    "review.scorecard.actions.overdue_item": {
        "en": "{issue} ({owner}, due {due}, {status})",
        "zh": "{issue_html}（{owner_html}，截止 {due}，{status_label}）",
    },
    "review.scorecard.actions.overdue": {"en": "Overdue: {items}.", "zh": "逾期：{items}。"},
    "review.scorecard.actions.none_overdue": {
        "en": "No action is overdue.",
        "zh": "没有逾期的行动。",
    },
    "review.scorecard.lessons.none": {
        "en": "No KPI is red this period.",
        "zh": "本期没有未达标的 KPI。",
    },
    "review.scorecard.lessons.real": {"en": "the change is beyond noise", "zh": "变化超出随机波动"},
    "review.scorecard.lessons.noise": {
        "en": "the change could be noise",
        "zh": "变化可能只是随机波动",
    },
    "review.scorecard.lessons.head": {
        "en": "{label} is {value} against a target of {target} (previous {previous}; {noise}).",
        "zh": "{label} 为 {value}，目标 {target}（上期 {previous}；{noise}）。",
    },
    "review.scorecard.lessons.no_action": {
        "en": "No action in the register addresses it: add one with an owner and a due date for the next cycle.",
        "zh": "行动清单中没有针对它的行动：下个周期请补充一项，并明确负责人和截止日期。",
    },
    "review.scorecard.lessons.overdue": {"en": ", overdue", "zh": "，已逾期"},
    "review.scorecard.lessons.action": {"en": "'{action}' ({state})", "zh": "{action}（{state}）"},
    "review.scorecard.lessons.action_sep": {"en": "; ", "zh": "、"},
    "review.scorecard.lessons.done": {
        "en": "Actions on it: {joined}. An action is done yet the KPI is still red: revisit the cause we assumed.",
        "zh": "相关行动：{joined}。行动已完成但指标仍未达标：复查原因假设。",
    },
    "review.scorecard.lessons.open": {
        "en": "Actions on it: {joined}. No action on it is done yet: confirm resources and the due date.",
        "zh": "相关行动：{joined}。行动尚未完成：确认资源与截止日期。",
    },
}
