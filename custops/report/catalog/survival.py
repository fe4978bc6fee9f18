"""Catalog texts of churn, Kaplan-Meier, Cox, CLV, health score, behaviour paths and BTYD (custops.survival).

Keys are mostly prefixed ``survival.`` (figure captions: ``figure.``); each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
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
    # how the section joins its parts: between parameters, around a convergence status
    "btyd.params_sep": {"en": ", ", "zh": "，"},
    "btyd.status_paren": {"en": " ({status})", "zh": "（{status}）"},
    "btyd.holdout_sampled": {
        "en": "With {of} customers known at the calibration end, the backtest scores a random "
        "sample of {n} of them (seed {seed}; `btyd.max_fit_customers`); the survival model is "
        "refitted on the same sample.",
        "zh": "校准期末已知客户共 {of} 位，回测对其中 {n} 位的随机样本评分（随机种子 {seed}；"
        "`btyd.max_fit_customers`），生存模型也在同一样本上重新拟合。",
    },
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
    # churn.py: NOT_MODELLED
    "survival.churn.not_modelled.tier": {
        "en": "value tier from the last 12 months' spend: a churned customer stops spending, so the tier is a consequence of churn, not a cause",
        "zh": "价值层级按近 12 个月消费划分：流失客户不再消费，层级是流失的结果而不是原因",
    },
    "survival.churn.not_modelled.nps_category": {
        "en": "last NPS answer: customers who stay longer are surveyed more often, so 'no answer' marks early leavers; detractor status follows slow service (it would take over part of that effect)",
        "zh": "最近一次 NPS 回答：留得越久被调研的机会越多，“未回答”本身就标记了早流失的客户；贬损者身份由慢服务导致（会吸收慢服务的效应）",
    },
    "survival.churn.not_modelled.log_complaints": {
        "en": "complaint count up to the landmark: most early complaints are the unresolved ones, so it carries nearly the same information as the unresolved-complaint flag and the two effects cannot be told apart (correlation about 0.7 in the demo); the flag is the one a service team can act on",
        "zh": "截至地标日的投诉次数：早期投诉大多就是未解决的那一次，与“投诉未解决”几乎是同一信息，两者的效应无法区分（演示数据中相关约 0.7）；服务团队能据以行动的是后者",
    },
    "survival.churn.not_modelled.n_orders": {
        "en": "order count over the whole history: it stops growing when a customer churns (the early-life rate is used instead)",
        "zh": "全部历史订单数：客户流失后就不再增长（改用早期购买频率）",
    },
    # churn.py: LABELS
    "survival.churn.label.unresolved_complaint": {"en": "unresolved complaint", "zh": "投诉未解决"},
    "survival.churn.label.slow_first_response": {"en": "slow first response", "zh": "首次响应慢"},
    "survival.churn.label.app_bound": {"en": "APP bound", "zh": "已绑定APP"},
    "survival.churn.label.log_complaints": {
        "en": "complaints (log 1+count)",
        "zh": "投诉次数（log 1+次数）",
    },
    "survival.churn.label.log_early_orders_per_year": {
        "en": "early order rate (log 1+orders/year, first 90 days)",
        "zh": "早期购买频率（log 1+次/年，首单后 90 天）",
    },
    "survival.churn.label.acquisition_channel": {"en": "acquisition channel", "zh": "获客渠道"},
    "survival.churn.label.tier": {"en": "value tier", "zh": "价值层级"},
    "survival.churn.label.nps_category": {"en": "NPS category", "zh": "NPS 类别"},
    "survival.churn.label.segment": {"en": "segment", "zh": "客群"},
    "survival.churn.label.app_binding": {"en": "APP binding", "zh": "APP 绑定"},
    "survival.churn.label.service_issue": {"en": "service issue", "zh": "服务问题"},
    "survival.churn.label.early_order_band": {
        "en": "early order rate band",
        "zh": "早期购买频率分档",
    },
    "survival.churn.label.region": {"en": "region", "zh": "地区"},
    "survival.churn.label.first_order_band": {"en": "first-order value band", "zh": "首单金额分档"},
    "survival.churn.label.signup_cohort": {"en": "signup cohort (year)", "zh": "注册年份队列"},
    # churn.py: _T
    "survival.churn.def.inactivity": {
        "en": (
            "**Churn definition.** There is no contract to cancel, so a customer counts as churned "
            "after **{days} days without an order**; the churn date is the last order plus {days} days "
            "and time is counted from the first order. Customers who ordered within the last {days} days "
            "of {period} are still active and *censored* at {end}: we know only that they have stayed "
            "so far. Of **{n:,}** customers who have ordered, **{events:,}** ({event_share:.0%}) are churn "
            "events and **{censored:,}** are censored. No churn can be dated before day {days}, so the "
            "survival curves start to fall only there."
        ),
        "zh": (
            "**流失口径。** 没有可取消的合同，因此客户**连续 {days} 天没有下单**即视为流失；流失日期为"
            "最后一单加 {days} 天，时间从首单起算。在 {period} 末之前 {days} 天内仍有下单的客户仍然活跃，"
            "在 {end} 被*删失*：我们只知道他们到目前为止还在。**{n:,}** 位下过单的客户中，"
            "**{events:,}** 位（{event_share:.0%}）为流失事件，**{censored:,}** 位为删失。"
            "流失最早只能在第 {days} 天被记录，所以生存曲线从那里才开始下降。"
        ),
    },
    "survival.churn.def.contractual": {
        "en": (
            "**Churn definition.** A customer churns on the date the contract or membership ended "
            "(`churned_at`); time is counted from sign-up. Customers without an end date are *censored* "
            "at {end}. Of **{n:,}** customers, **{events:,}** ({event_share:.0%}) are churn events and "
            "**{censored:,}** are censored."
        ),
        "zh": (
            "**流失口径。** 客户在合同或会员终止之日（`churned_at`）流失；时间从注册日起算。没有终止日期的"
            "客户在 {end} 被*删失*。**{n:,}** 位客户中，**{events:,}** 位（{event_share:.0%}）为流失事件，"
            "**{censored:,}** 位为删失。"
        ),
    },
    "survival.churn.def.snapshot": {
        "en": (
            "**Churn definition.** A contractual snapshot taken on {end}: each customer has a tenure "
            "(in {unit}) and a churned flag, with no dates. A churned customer's tenure is the time "
            "to churn; an active customer's is the time so far (*censored*). Of **{n:,}** customers, "
            "**{events:,}** ({event_share:.0%}) are marked churned and **{censored:,}** are active."
        ),
        "zh": (
            "**流失口径。** 截至 {end} 的合同制客户快照：每位客户有在网时长（单位：{unit}）和是否流失的标记，"
            "没有日期。已流失客户的在网时长即流失前的时长；仍在网客户的时长是到快照日为止（*删失*）。"
            "**{n:,}** 位客户中，**{events:,}** 位（{event_share:.0%}）标记为流失，**{censored:,}** 位仍在网。"
        ),
    },
    "survival.churn.rate.snapshot": {
        "en": (
            "The snapshot does not date the churn, so the report's churn rate is the churned share "
            "of the snapshot: **{rate:.1%}** (95% CI {low:.1%}–{high:.1%}; {k:,} of {n:,}); every "
            "churn figure of this report uses it."
        ),
        "zh": (
            "快照没有流失日期，所以本报告的流失率是快照中已流失客户的占比：**{rate:.1%}**（95% 置信区间 "
            "{low:.1%}–{high:.1%}；{n:,} 位中 {k:,} 位）；本报告所有流失数字都使用这一口径。"
        ),
    },
    "survival.churn.rate": {
        "en": (
            "Of the **{n:,}** customers active when {period} began, **{k:,}** churned during the period: "
            "a period churn rate of **{rate:.1%}** (95% CI {low:.1%}–{high:.1%})."
        ),
        "zh": (
            "{period} 期初活跃的 **{n:,}** 位客户中，有 **{k:,}** 位在本期流失，本期流失率 **{rate:.1%}**"
            "（95% 置信区间 {low:.1%}–{high:.1%}）。"
        ),
    },
    "survival.churn.km.overall": {
        "en": (
            "Half of all customers have churned by day **{median}** after their first order "
            "(95% CI {median_ci}). One year after the first order **{s365:.0%}** are still buying "
            "(95% CI {s365_low:.0%}–{s365_high:.0%}), i.e. a one-year churn of {c365:.0%}."
        ),
        "zh": (
            "一半客户在首单后第 **{median}** 天前流失（95% 置信区间 {median_ci}）。首单一年后仍有 **{s365:.0%}** "
            "的客户在购买（95% 置信区间 {s365_low:.0%}–{s365_high:.0%}），即一年流失率 {c365:.0%}。"
        ),
    },
    "survival.churn.km.group": {
        "en": (
            "By {group}: the longest-lived group is **{best}** (median {best_median}), the "
            "shortest-lived **{worst}** (median {worst_median}). {n_sig} of {n_pairs} pairwise "
            "log-rank tests remain significant after Holm's correction.{small}"
        ),
        "zh": (
            "按{group}：生命周期最长的是 **{best}**（中位数 {best_median}），最短的是 **{worst}**"
            "（中位数 {worst_median}）。{n_pairs} 组两两 log-rank 检验中，经 Holm 校正后仍显著的有 {n_sig} 组。{small}"
        ),
    },
    "survival.churn.km.small": {
        "en": " Groups with fewer than {min_events} churn events are flagged and not compared: {names}.",
        "zh": " 流失事件少于 {min_events} 个的组已标注，不参与比较：{names}。",
    },
    "survival.churn.not_reached": {"en": "not reached", "zh": "未达到"},
    "survival.churn.design.baseline": {
        "en": "`{column}` is one-hot encoded with **{baseline}** as the baseline (hazard ratios compare each level with it)",
        "zh": "`{column}` 做独热编码，以 **{baseline}** 为基准（风险比均与它比较）",
    },
    "survival.churn.design.rare": {
        "en": "levels of `{column}` with fewer than {min_n} customers were merged into `other`: {levels}",
        "zh": "`{column}` 中少于 {min_n} 位客户的取值合并为 `other`：{levels}",
    },
    "survival.churn.design.rare_base": {
        "en": "levels of `{column}` with fewer than {min_n} customers (too few even together) were merged into the baseline {baseline}: {levels}",
        "zh": "`{column}` 中少于 {min_n} 位客户的取值（合并后仍太少）并入基准 {baseline}：{levels}",
    },
    "survival.churn.design.constant": {
        "en": "`{column}` has the same value for everyone and was dropped",
        "zh": "`{column}` 对所有客户取值相同，已删除",
    },
    "survival.churn.design.collinear": {
        "en": "`{column}` was dropped: it is almost a copy of `{other}` (correlation {corr:.2f})",
        "zh": "`{column}` 已删除：与 `{other}` 几乎相同（相关系数 {corr:.2f}）",
    },
    "survival.churn.design.dependent": {
        "en": "`{column}` was dropped: it is a linear combination of other covariates",
        "zh": "`{column}` 已删除：它是其他协变量的线性组合",
    },
    "survival.churn.design.missing": {
        "en": "`{column}` is not in the data and was left out",
        "zh": "数据中没有 `{column}`，未纳入",
    },
    "survival.churn.design.ok": {
        "en": "no constant or collinear covariates were found (largest absolute correlation {corr:.2f})",
        "zh": "没有发现常数或共线的协变量（最大绝对相关系数 {corr:.2f}）",
    },
    "survival.churn.fit.sample": {
        "en": "The model was fitted on a random sample of **{n_fit:,}** of {n:,} customers, stratified by churn status (seed {seed}).",
        "zh": "模型在 {n:,} 位客户中按是否流失分层随机抽取的 **{n_fit:,}** 位上拟合（随机种子 {seed}）。",
    },
    "survival.churn.fit.all": {
        "en": "The model was fitted on all **{n_fit:,}** customers who have ordered.",
        "zh": "模型在全部 **{n_fit:,}** 位下过单的客户上拟合。",
    },
    "survival.churn.fit.penalizer0": {
        "en": "No penalty was needed (penalizer 0; the configured fallback is {pen:g}).",
        "zh": "无需惩罚项（`penalizer` 为 0；配置中的备用值为 {pen:g}）。",
    },
    "survival.churn.fit.penalizer": {
        "en": (
            "The unpenalized fit did not converge ({reason}), so a ridge penalty of **{pen:g}** was used; "
            "lifelines multiplies it by the number of customers and applies it to standardized "
            "covariates, which pulls hazard ratios slightly toward 1."
        ),
        "zh": (
            "无惩罚的拟合未收敛（{reason}），因此使用了 **{pen:g}** 的岭惩罚；lifelines 会把它乘以客户数并作用于"
            "标准化后的协变量，风险比会略微向 1 收缩。"
        ),
    },
    "survival.churn.ph.ok": {
        "en": "The proportional-hazards check (lifelines `proportional_hazard_test`, rank time, Holm-corrected) found no covariate whose effect changes over time.",
        "zh": "比例风险检验（lifelines `proportional_hazard_test`，秩时间变换，Holm 校正）未发现效应随时间变化的协变量。",
    },
    "survival.churn.ph.strata": {
        "en": (
            "The proportional-hazards check (lifelines `proportional_hazard_test`, rank time, "
            "Holm-corrected p < {alpha:g}) found that the effect of **{names}** changes over time. "
            "The model is therefore *stratified* on {strata}: each stratum gets its own baseline "
            "churn curve and no single hazard ratio is reported for it."
        ),
        "zh": (
            "比例风险检验（lifelines `proportional_hazard_test`，秩时间变换，Holm 校正 p < {alpha:g}）发现 "
            "**{names}** 的效应随时间变化，因此模型按 {strata} *分层*：每层有自己的基线流失曲线，不再给出它的单一风险比。"
        ),
    },
    "survival.churn.ph.sample": {
        "en": "The proportional-hazards check used a random sample of {n:,} of the fitted customers (seed {seed}).",
        "zh": "比例风险检验使用了拟合客户中随机抽取的 {n:,} 位（随机种子 {seed}）。",
    },
    "survival.churn.ph.left": {
        "en": " Still failing but not stratified (too many strata): {names}; read their hazard ratios as averages over time.",
        "zh": " 仍未通过但未分层（分层过多）：{names}；其风险比应理解为随时间的平均效应。",
    },
    "survival.churn.cv": {
        "en": (
            "Out of sample ({folds}-fold cross-validation, seed {seed}) the model ranks customers by "
            "churn risk with a concordance of **{c:.3f}** (fold range {lo:.3f}–{hi:.3f}; 0.5 is a coin "
            "flip, 1 is perfect). The risk score is the predicted survival at {days} days, which "
            "uses the stratum baselines."
        ),
        "zh": (
            "样本外（{folds} 折交叉验证，随机种子 {seed}）模型对客户流失风险排序的一致性指数为 **{c:.3f}**"
            "（各折范围 {lo:.3f}–{hi:.3f}；0.5 相当于抛硬币，1 为完美）。风险分数为 {days} 天时的预测生存率，已包含分层基线。"
        ),
    },
    "survival.churn.calib": {
        "en": (
            "Calibration at {days} days of the model's follow-up (out-of-fold predictions, by decile of "
            "predicted risk): the largest gap between predicted and observed (Kaplan-Meier) churn is "
            "{gap:.1f} percentage points; {inside} of {n} deciles have the prediction inside the observed 95% CI."
        ),
        "zh": (
            "模型随访第 {days} 天的校准（样本外预测，按预测风险十分位）：预测与实际（Kaplan-Meier）流失率的最大差距为 "
            "{gap:.1f} 个百分点；{n} 个分位组中有 {inside} 个的预测落在实际值的 95% 置信区间内。"
        ),
    },
    "survival.churn.hr.sentence": {
        "en": "{label}: hazard ratio **{hr:.2f}** (95% CI {low:.2f}–{high:.2f}), i.e. {effect}",
        "zh": "{label}：风险比 **{hr:.2f}**（95% 置信区间 {low:.2f}–{high:.2f}），即{effect}",
    },
    "survival.churn.hr.up": {
        "en": "churn risk {pct:.0%} higher at any moment",
        "zh": "任一时刻的流失风险高 {pct:.0%}",
    },
    "survival.churn.hr.down": {
        "en": "churn risk {pct:.0%} lower at any moment",
        "zh": "任一时刻的流失风险低 {pct:.0%}",
    },
    "survival.churn.hr.ns": {
        "en": " (not distinguishable from no effect)",
        "zh": "（与无效应无法区分）",
    },
    "survival.churn.landmark": {
        "en": (
            "**Landmark design.** Covariates are measured in the first {days} days after the first "
            "order (tickets created by then, the order rate of those days, APP binding and "
            "acquisition channel fixed at sign-up) and churn risk is counted only after day {days}, "
            "so a complaint raised after it (for instance while a customer drifts away) cannot "
            "enter the model. {n_in:,} customers still a customer on day {days} are in it; {n_out:,} observed "
            "for {days} days or less are not. The hazard ratios are associations: customers with "
            "an early unresolved complaint churn more often afterwards, which is not proof that "
            "the complaint causes it (customers may differ in ways the data do not show)."
        ),
        "zh": (
            "**地标设计。** 协变量只在首单后 {days} 天内测量（截至当时创建的工单、这段时间的购买频率，以及注册时"
            "已确定的 APP 绑定和获客渠道），流失风险从第 {days} 天之后才开始计算，因此此后才提出的投诉（例如客户已在流失途中）"
            "不会进入模型。第 {days} 天仍为客户的 {n_in:,} 位客户纳入模型；观察期不超过 {days} 天的 {n_out:,} "
            "位未纳入。风险比表示关联：早期有未解决投诉的客户之后流失更多，但这并不能证明投诉导致流失"
            "（客户之间可能存在数据未反映的差异）。"
        ),
    },
    # churn.py: _HEAD
    "survival.churn.head.group": {"en": "group", "zh": "分组"},
    "survival.churn.head.n": {"en": "customers", "zh": "客户数"},
    "survival.churn.head.events": {"en": "churned", "zh": "已流失"},
    "survival.churn.head.median": {
        "en": "median lifetime, days (95% CI)",
        "zh": "生命周期中位数（天，95% 置信区间）",
    },
    "survival.churn.head.surv": {"en": "still a customer at {t} days", "zh": "{t} 天时仍在"},
    "survival.churn.head.small": {"en": "note", "zh": "备注"},
    "survival.churn.head.small_flag": {"en": "small group: not compared", "zh": "样本过小：不比较"},
    "survival.churn.head.a": {"en": "group A", "zh": "组 A"},
    "survival.churn.head.b": {"en": "group B", "zh": "组 B"},
    "survival.churn.head.p": {"en": "p", "zh": "p 值"},
    "survival.churn.head.p_holm": {"en": "p (Holm)", "zh": "p 值 (Holm)"},
    "survival.churn.head.sig": {"en": "different?", "zh": "是否不同"},
    "survival.churn.head.yes": {"en": "yes", "zh": "是"},
    "survival.churn.head.no": {"en": "no", "zh": "否"},
    "survival.churn.head.covariate": {"en": "covariate", "zh": "协变量"},
    "survival.churn.head.hr": {"en": "hazard ratio (95% CI)", "zh": "风险比（95% 置信区间）"},
    "survival.churn.head.baseline": {"en": "compared with", "zh": "对照"},
    "survival.churn.head.ph_fail": {"en": "effect changes over time?", "zh": "效应是否随时间变化"},
    # clv.py: _NEGATIVE
    "survival.clv.negative.app_bound": {"en": "not APP bound", "zh": "未绑定APP"},
    "survival.clv.negative.slow_first_response": {"en": "fast first response", "zh": "首次响应快"},
    "survival.clv.negative.unresolved_complaint": {
        "en": "no unresolved complaint",
        "zh": "无未解决投诉",
    },
    # clv.py: _FLAG_LABELS
    "survival.clv.flag.flag_complaint_no_followup": {
        "en": "complaint not resolved in time",
        "zh": "投诉未及时解决",
    },
    "survival.clv.flag.flag_silent_after_repurchase": {
        "en": "silent after first repurchase",
        "zh": "首次复购后无互动",
    },
    "survival.clv.flag.flag_frequency_drop": {
        "en": "order frequency dropped",
        "zh": "购买频率骤降",
    },
    # clv.py: _T
    "survival.clv.holdout_note": {
        "en": (
            "**{n:,}** customers of the list, drawn at random (`review.retention_holdout_share`), "
            "are marked *do not contact* (column `holdout`): they are the control group against "
            "which the next report measures what the outreach achieved."
        ),
        "zh": (
            "名单中随机抽取的 **{n:,}** 位客户（`review.retention_holdout_share`）标记为请勿联系"
            "（`holdout` 列）：他们是对照组，下一期报告据此衡量挽留外呼的效果。"
        ),
    },
    "survival.clv.holdout": {
        "en": "Do not contact: control group of the retention outreach "
        "(review.retention_holdout_share)",
        "zh": "请勿联系：挽留外呼的对照组（review.retention_holdout_share）",
    },
    "survival.clv.clv": {
        "en": (
            "The **{n:,}** active customers are expected to bring **{total}** of margin over the next "
            "{months} months (95% interval {clv_low}–{clv_high}; survival-weighted, {margin:.0%} margin "
            "on their last-12-month monthly spend, discounted at {rate:.0%} a year). The model expects **{churners:,.0f}** of them to churn within "
            "{horizon} days, taking **{var}** of that value with them (95% interval {low}–{high}; "
            "bootstrap median {median})."
        ),
        "zh": (
            "**{n:,}** 位活跃客户预计在未来 {months} 个月贡献 **{total}** 的毛利（95% 区间 {clv_low}–{clv_high}；按生存概率加权，以近 12 个月"
            "月均消费的 {margin:.0%} 计毛利，年折现率 {rate:.0%}）。模型预计其中 **{churners:,.0f}** 位会在 {horizon} 天内"
            "流失，带走 **{var}** 的价值（95% 区间 {low}–{high}；自助法中位数 {median}）。"
        ),
    },
    "survival.clv.var_method": {
        "en": (
            " The intervals are the Cox model's uncertainty: the customers it was fitted on were "
            "resampled with replacement {n_boot} times and the model refitted each time "
            "(coefficients and baseline re-estimated); the active customers, their spend and "
            "the CLV settings were held fixed. Each is centred on its estimate (estimate ± 1.96 "
            "bootstrap standard deviations), so the estimate lies inside it; the bootstrap "
            "median of the value at risk is shown beside it. They do not cover the spend "
            "forecast or the choice of model."
        ),
        "zh": (
            "这些区间反映 Cox 模型的不确定性：对拟合模型所用的客户有放回地重抽样 {n_boot} 次，每次重新拟合模型"
            "（重新估计系数和基线风险）；活跃客户、其消费额以及 CLV 参数保持不变。每个区间以其估计值为中心（估计值 ± 1.96 "
            "倍自助法标准差），因此估计值一定落在区间内；风险价值的自助法中位数列在旁边。它们不包含消费预测或模型选择本身的不确定性。"
        ),
    },
    "survival.clv.follow_up": {
        "en": " For {n:,} long-standing customers the horizon reaches past the longest observed lifetime, where the model cannot see further churn; their probabilities are lower bounds.",
        "zh": " 有 {n:,} 位老客户的预测期超出了已观测到的最长生命周期，模型无法看到更远的流失，其概率为下限。",
    },
    "survival.clv.priority": {
        "en": (
            "The retention list ranks the {n:,} active customers by value at risk. The top {top} hold "
            "**{share:.0%}** of all value at risk. Among them, {flagged} carry at least one early-warning flag; "
            "the most common driver is *{driver}*. Customer ids are {ids}."
        ),
        "zh": (
            "挽留名单按风险价值对 {n:,} 位活跃客户排序。前 {top} 位占全部风险价值的 **{share:.0%}**，其中 "
            "{flagged} 位至少有一个预警信号；最常见的驱动因素是*{driver}*。客户编号{ids}。"
        ),
    },
    "survival.clv.ids.raw": {"en": "shown as in the CRM", "zh": "与 CRM 一致"},
    "survival.clv.ids.hashed": {
        "en": "pseudonymized with a keyed hash (the key stays with the CRM team)",
        "zh": "已用带密钥的哈希脱敏（密钥由 CRM 团队保管）",
    },
    "survival.clv.flags": {
        "en": (
            "Early warnings among active customers: **{a:,}** have a complaint not resolved within {days} days, "
            "**{b:,}** have been silent since their first repurchase (no order, ticket reply or marketing touch), "
            "**{c:,}** buy at less than half their previous 12-month rate in the last 90 days."
        ),
        "zh": (
            "活跃客户中的预警：**{a:,}** 位有 {days} 天内未解决的投诉，**{b:,}** 位首次复购后再无任何互动"
            "（无订单、无工单回复、无营销触达），**{c:,}** 位近 90 天购买频率不到此前 12 个月的一半。"
        ),
    },
    "survival.clv.bgnbd.missing": {
        "en": 'A BG/NBD + Gamma-Gamma CLV is set beside this one, and both are backtested, in "Two views of customer value" below; the retention list ranks by the survival-based CLV above.',
        "zh": "下文“客户价值的两种视角”并列给出 BG/NBD + Gamma-Gamma 的 CLV 并对两者做回测；挽留名单按上面基于生存分析的 CLV 排序。",
    },
    "survival.clv.bgnbd.present": {
        "en": 'A BG/NBD + Gamma-Gamma CLV is set beside this one, and both are backtested, in "Two views of customer value" below; the retention list ranks by the survival-based CLV above.',
        "zh": "下文“客户价值的两种视角”并列给出 BG/NBD + Gamma-Gamma 的 CLV 并对两者做回测；挽留名单按上面基于生存分析的 CLV 排序。",
    },
    "survival.clv.story": {
        "en": (
            "**Who leaves, when, with what — and what to do.** Customers do not leave in the first {days} days by "
            "definition; after that about {c365:.0%} are gone one year after their first order and half by day "
            "{median}. The strongest associations are in service (landmark design: measured before the risk is counted; "
            "associations, not proven causes): after an early **unresolved complaint** the churn risk is "
            "{hr_u:.1f} times as high, after a **slow first response** {hr_s:.1f} times, while customers **bound to the APP** churn at "
            "{hr_a:.1f} times the rate of the others. Those who buy rarely in their first months leave sooner too. "
            "The priority list turns this into a work queue: call the customers with the most value at risk first, "
            "starting with the suggested playbook (service recovery where a complaint is open)."
        ),
        "zh": (
            "**谁会流失、何时、与什么相关——以及怎么办。** 按定义，客户在首单后 {days} 天内不会被记为流失；此后，首单一年后约 "
            "{c365:.0%} 的客户已离开，第 {median} 天时一半客户已离开。最强的关联在服务（地标设计：先测量、后计风险；是关联而非已证实的原因）：早期**投诉未解决**的客户流失风险为 "
            "{hr_u:.1f} 倍，**首次响应慢**为 {hr_s:.1f} 倍，而**绑定 APP** 的客户流失风险只有其他客户的 {hr_a:.1f} 倍。"
            "首几个月购买少的客户也更早离开。挽留名单把这些变成工作清单：先联系风险价值最高的客户，按建议的打法执行"
            "（有未结投诉的先做服务补救）。"
        ),
    },
    # churn.py: readable group values of add_covariates / landmark_groups
    "survival.churn.group.app": {"en": "APP bound", "zh": "已绑定APP"},
    "survival.churn.group.no_app": {"en": "not bound", "zh": "未绑定"},
    "survival.churn.group.unresolved": {"en": "unresolved complaint", "zh": "投诉未解决"},
    "survival.churn.group.slow": {"en": "slow response only", "zh": "仅响应慢"},
    "survival.churn.group.none": {"en": "neither", "zh": "均无"},
    # churn.py: a one-hot column ``column=level``
    "survival.churn.label.level": {"en": "{column}: {level}", "zh": "{column}为{level}"},
    # churn.py: covariate_table status
    "survival.churn.status.stratified": {"en": "stratified", "zh": "分层"},
    "survival.churn.status.in_model": {"en": "in the model", "zh": "纳入模型"},
    "survival.churn.status.dropped": {"en": "dropped (see notes)", "zh": "已删除（见说明）"},
    "survival.churn.status.left_out": {"en": "left out", "zh": "未纳入"},
    # churn.py: km_section
    "survival.churn.km.all_customers": {"en": "all customers", "zh": "全部客户"},
    "survival.churn.km.title": {
        "en": "{period}: survival by {name}",
        "zh": "{period}：按{name}的生存曲线",
    },
    "survival.churn.km.xlabel": {"en": "days since first order", "zh": "首单后天数"},
    "survival.churn.km.xlabel_landmark": {
        "en": "days since the landmark (day {mark})",
        "zh": "地标日（第 {mark} 天）后天数",
    },
    "survival.churn.km.ylabel": {"en": "share still a customer", "zh": "仍为客户的比例"},
    "survival.churn.km.by": {"en": "### By {name}", "zh": "### 按{name}"},
    # churn.py: overall_logrank_text
    "survival.churn.logrank.differ": {"en": "the curves differ", "zh": "曲线之间存在差异"},
    "survival.churn.logrank.same": {
        "en": "no evidence that the curves differ",
        "zh": "没有证据表明曲线之间存在差异",
    },
    "survival.churn.logrank.overall": {
        "en": "Overall log-rank test across the {groups} groups (not small): "
        "χ² = {chi2:.1f}, df = {df}, p = {p} — {verdict}.",
        "zh": "{groups} 个分组（不含小样本组）的整体 log-rank 检验：χ² = {chi2:.1f}，"
        "自由度 {df}，p = {p}——{verdict}。",
    },
    # churn.py: needs_orders, fit_model
    "survival.churn.no_orders": {
        "en": "> There is no orders table (config key `sources.orders`), so this section "
        "({section}) is skipped.",
        "zh": "> 没有订单表（配置项 `sources.orders`），本节（{section}）跳过。",
    },
    "survival.churn.no_model": {
        "en": "> The Cox model cannot be fitted ({reason}): the sections built on it (hazard "
        "ratios, churn probabilities, lifetime value, the priority list) are skipped; the "
        "Kaplan-Meier curves above stand. Map customer attributes (e.g. "
        "`sources.customers.columns.acquisition_channel`, `app_bound`) or add tickets "
        "(`sources.tickets`) to fit it.",
        "zh": "> 无法拟合 Cox 模型（{reason}）：下面基于模型的各节（风险比、流失概率、生命周期价值、"
        "挽留名单）跳过，上面的 Kaplan-Meier 曲线不受影响。映射客户属性（如 "
        "`sources.customers.columns.acquisition_channel`、`app_bound`）或加入工单表"
        "（`sources.tickets`）后即可拟合。",
    },
    # churn.py: forest_figure, calibration_figure
    "survival.churn.forest.title": {
        "en": "{period}: hazard ratios, 95% CI",
        "zh": "{period}: 风险比与 95% 置信区间",
    },
    "survival.churn.forest.xlabel": {"en": "hazard ratio (log scale)", "zh": "风险比（对数刻度）"},
    "survival.churn.calibration.title": {
        "en": "{period}: calibration at {days:.0f} days",
        "zh": "{period}: {days:.0f} 天校准",
    },
    "survival.churn.calibration.xlabel": {"en": "predicted churn", "zh": "预测流失率"},
    "survival.churn.calibration.ylabel": {
        "en": "observed churn (Kaplan-Meier)",
        "zh": "实际流失率（Kaplan-Meier）",
    },
    # churn.py: group_missing_sentence (GROUP_SOURCES words)
    "survival.churn.source.acquisition_channel": {"en": "acquisition channel", "zh": "获客渠道"},
    "survival.churn.source.app_binding": {"en": "APP binding", "zh": "APP 绑定"},
    "survival.churn.source.service_issue": {"en": "service tickets", "zh": "服务工单"},
    "survival.churn.source.region": {"en": "region", "zh": "地区"},
    "survival.churn.source.first_order_band": {"en": "first-order value", "zh": "首单金额"},
    "survival.churn.source.signup_cohort": {"en": "signup date", "zh": "注册日期"},
    "survival.churn.source.tier": {"en": "value tier", "zh": "价值层级"},
    "survival.churn.source.segment": {"en": "segment", "zh": "客群"},
    "survival.churn.source.other": {"en": "`{group}`", "zh": "`{group}`"},
    "survival.churn.group_constant": {
        "en": "> Every customer has the same value of {what}, so the survival curves by it are "
        "skipped.",
        "zh": "> 所有客户的{what}都相同，按{what}的生存曲线跳过。",
    },
    "survival.churn.group_missing": {
        "en": "> The data have no {what} (config key `{key}`), so the survival curves by it are "
        "skipped.",
        "zh": "> 数据中没有{what}（配置项 `{key}`），按{what}的生存曲线跳过。",
    },
    # churn.py: skip_note
    "survival.churn.skip.tier": {
        "en": "> The customer view has no value tier, so the by-tier curves are skipped.",
        "zh": "> 客户视图中没有价值层级，按层级的曲线跳过。",
    },
    "survival.churn.skip.segment": {
        "en": "> `segments.parquet` (notebook 02) is not available for this period, so the "
        "by-segment curves are skipped.",
        "zh": "> 本期没有 `segments.parquet`（第 02 章），按客群的曲线跳过。",
    },
    # clv.py: PLAYBOOKS (segment or tier keyword -> playbook)
    "survival.clv.playbook.vip": {
        "en": "VIP care: personal call from the account manager, early access",
        "zh": "VIP 关怀：客户经理致电，抢先体验",
    },
    "survival.clv.playbook.win_back": {
        "en": "Win-back now: personal outreach with a tailored offer",
        "zh": "立即挽回：一对一联系并提供定制优惠",
    },
    "survival.clv.playbook.onboarding": {
        "en": "Onboarding: second-purchase incentive and a welcome call",
        "zh": "新客培育：二次购买激励与欢迎回访",
    },
    "survival.clv.playbook.grow": {
        "en": "Grow: recommendations and loyalty points",
        "zh": "成长培育：个性化推荐与积分激励",
    },
    "survival.clv.playbook.re_engage": {
        "en": "Re-engage: recommendations and a limited-time offer",
        "zh": "再激活：个性化推荐与限时优惠",
    },
    "survival.clv.playbook.reactivation": {
        "en": "Low-cost reactivation: automated coupon by SMS/WeChat",
        "zh": "低成本唤醒：短信/微信自动发券",
    },
    "survival.clv.playbook.tier_a": {
        "en": "Account manager call within a week",
        "zh": "客户经理一周内致电",
    },
    "survival.clv.playbook.tier_b": {
        "en": "Personal outreach with a tailored offer",
        "zh": "一对一联系并提供定制优惠",
    },
    "survival.clv.playbook.tier_c": {
        "en": "Targeted offer on favourite categories",
        "zh": "按偏好品类定向优惠",
    },
    "survival.clv.playbook.tier_d": {"en": "Automated reactivation coupon", "zh": "自动唤醒优惠券"},
    # clv.py: DRIVER_ACTIONS (the action that comes first for a driver or warning)
    "survival.clv.action.close_complaint": {
        "en": "close the open complaint (call within 48 h)",
        "zh": "先解决未结投诉（48 小时内致电）",
    },
    "survival.clv.action.priority_queue": {
        "en": "route to the priority service queue",
        "zh": "转入优先服务队列",
    },
    "survival.clv.action.bind_app": {
        "en": "invite to bind the APP (coupon)",
        "zh": "邀请绑定 APP（赠券）",
    },
    "survival.clv.action.ask_why": {
        "en": "ask why they buy less (short survey + offer)",
        "zh": "了解购买减少的原因（简短回访 + 优惠）",
    },
    "survival.clv.action.follow_up": {
        "en": "send a personal follow-up after the repurchase",
        "zh": "复购后进行一对一跟进",
    },
    "survival.clv.first_then": {
        "en": "First {action}, then: {play}",
        "zh": "先{action}，然后：{play}",
    },
    # clv.py: top_drivers, the low side of a driver without a name of its own
    "survival.clv.driver.absent": {"en": "no {label}", "zh": "无{label}"},
    "survival.clv.driver.low": {"en": "{label} (low)", "zh": "{label}（偏低）"},
    # clv.py: priority_text, the holdout note after the sentence
    "survival.clv.then": {"en": " {text}", "zh": "{text}"},
    # clv.py: value_at_risk_figure
    "survival.clv.var_title.segment": {
        "en": "{period}: value at risk by segment",
        "zh": "{period}：各客群的风险价值",
    },
    "survival.clv.var_title.tier": {
        "en": "{period}: value at risk by value tier",
        "zh": "{period}：各价值层级的风险价值",
    },
    # health.py: method_text
    "survival.health.method.learned": {
        "en": "The weights are learned from past churn: a logistic regression of “no order in the "
        "next {horizon_days} days” on the components, fitted on outcomes that were already observed",
        "zh": "权重从过去的流失中学习：用各分项对“此后 {horizon_days} 天没有下单”做逻辑回归，"
        "只使用当时已经观察到的结果",
    },
    "survival.health.method.config": {
        "en": "The weights are set in the configuration (health.weights)",
        "zh": "权重由配置给定（config 的 health.weights）",
    },
    "survival.health.method.default": {
        "en": "The weights are the defaults",
        "zh": "权重为默认值",
    },
    "survival.health.method.sample": {
        "en": ". It was fitted on a random sample of {fitted:,} of the {alive:,} active "
        "customers, stratified by the outcome and drawn with the report seed "
        "(health.max_fit_customers)",
        "zh": "。回归使用 {alive:,} 名活跃客户中按结果分层、用报告随机种子抽取的 "
        "{fitted:,} 名样本（config 的 health.max_fit_customers）",
    },
    "survival.health.method.bands": {
        "en": "{how}. Bands: **red** below {red:g}, **amber** {red:g} to {green:g}, "
        "**green** {green:g} and above.",
        "zh": "{how}。分区：**红**低于 {red:g} 分，**黄** {red:g}–{green:g} 分，"
        "**绿** {green:g} 分及以上。",
    },
    # health.py: baseline_text
    "survival.health.baseline.better": {
        "en": "the score ranks churners **better** than recency alone",
        "zh": "健康分对流失客户的排序**优于**仅用最近购买",
    },
    "survival.health.baseline.worse": {
        "en": "the score does **not** add to recency alone, it ranks churners worse: until its "
        "weights are revisited, days since the last order is the better early warning",
        "zh": "健康分**不如**仅用最近购买：在改进权重之前，“距上次下单天数”本身就是更好的预警",
    },
    "survival.health.baseline.same": {
        "en": "the score does **not** rank churners measurably better than recency alone",
        "zh": "健康分对流失客户的排序**并不明显优于**仅用最近购买",
    },
    "survival.health.baseline.text": {
        "en": "Against the obvious baselines on the same customers and outcome: recency alone (days "
        "since the last order) has AUC {auc:.2f} (95% CI {auc_low:.2f}–{auc_high:.2f}, top-decile "
        "lift {lift:.1f}), frequency alone (orders in the last 365 days) AUC {f_auc:.2f} "
        "({f_low:.2f}–{f_high:.2f}, lift {f_lift:.1f}). The score's AUC minus recency alone's is "
        "{diff:+.3f} (DeLong paired 95% CI {diff_low:+.3f} to {diff_high:+.3f}): {verdict}.",
        "zh": "与最直接的基准比较（同一批客户、同一结果）：仅用最近购买（距上次下单天数）AUC = {auc:.2f}"
        "（95% 置信区间 {auc_low:.2f}–{auc_high:.2f}，提升度 {lift:.1f}），"
        "仅用购买频次（近 365 天订单数）AUC = {f_auc:.2f}（{f_low:.2f}–{f_high:.2f}，"
        "提升度 {f_lift:.1f}）。健康分比仅用最近购买高 {diff:+.3f}"
        "（DeLong 配对 95% 置信区间 {diff_low:+.3f}–{diff_high:+.3f}）：{verdict}。",
    },
    # health.py: health_findings
    "survival.health.findings": {
        "en": "{red:.0%} of the {n:,} active customers are in the red health band (< {red_below:g}). "
        "Back-test: scored with data up to {as_of} and followed for {horizon} days, the score "
        "separates churners with AUC {auc:.2f} (95% CI {auc_low:.2f}–{auc_high:.2f}); the "
        "lowest-scoring 10% churn {lift:.1f}× as often as average ({lift_low:.1f}–{lift_high:.1f}), "
        "and {red_churners:.0%} of churners were red beforehand. {base}",
        "zh": "当前 {n:,} 名活跃客户中 {red:.0%} 处于红色健康区（<{red_below:g} 分）。"
        "回测：用截至 {as_of} 的数据打分、观察此后 {horizon} 天是否再购，"
        "AUC = {auc:.2f}（95% CI {auc_low:.2f}–{auc_high:.2f}）；"
        "得分最低 10% 的客户流失率是平均的 {lift:.1f} 倍（{lift_low:.1f}–{lift_high:.1f}）；"
        "{red_churners:.0%} 的流失客户事先处于红色区。{base}",
    },
    # health.py: plots
    "survival.health.calibration.xlabel": {
        "en": "health score (decile mean)",
        "zh": "健康分（十分位均值）",
    },
    "survival.health.calibration.ylabel": {
        "en": "churn in next {days} days",
        "zh": "此后 {days} 天流失率",
    },
    "survival.health.calibration.title": {"en": "Health score calibration", "zh": "健康分校准"},
    "survival.health.band.red": {"en": "red", "zh": "红"},
    "survival.health.band.amber": {"en": "amber", "zh": "黄"},
    "survival.health.band.green": {"en": "green", "zh": "绿"},
    "survival.health.bands.title": {"en": "Health bands by month", "zh": "各月健康分区分布"},
    # paths.py: event names (English: the event's own name)
    "survival.paths.event.first_order": {"en": "first_order", "zh": "首单"},
    "survival.paths.event.repurchase": {"en": "repurchase", "zh": "复购"},
    "survival.paths.event.ticket": {"en": "ticket", "zh": "工单"},
    "survival.paths.event.complaint": {"en": "complaint", "zh": "投诉"},
    "survival.paths.event.survey_promoter": {"en": "survey_promoter", "zh": "推荐者问卷"},
    "survival.paths.event.survey_passive": {"en": "survey_passive", "zh": "中立者问卷"},
    "survival.paths.event.survey_detractor": {"en": "survey_detractor", "zh": "贬损者问卷"},
    "survival.paths.event.touch": {"en": "touch", "zh": "触达"},
    "survival.paths.event.touch_opened": {"en": "touch_opened", "zh": "触达已读"},
    "survival.paths.event.touch_converted": {"en": "touch_converted", "zh": "触达转化"},
    "survival.paths.event.churned": {"en": "churned", "zh": "流失"},
    "survival.paths.event.retained": {"en": "retained", "zh": "留存"},
    # paths.py: paths_findings
    "survival.paths.findings.quiet": {
        "en": "{share:.0%} of churned customers (95% CI {low:.0%}–{high:.0%}) had no touch, "
        "ticket or survey after their first repurchase, against {r_share:.0%} "
        "({r_low:.0%}–{r_high:.0%}) of retained customers.",
        "zh": "流失客户中有 {share:.0%}（95% 置信区间 {low:.0%}–{high:.0%}）在首次复购后"
        "再无触达、工单或问卷互动，留存客户为 {r_share:.0%}（{r_low:.0%}–{r_high:.0%}）。",
    },
    "survival.paths.findings.top": {
        "en": " The final path that differs most is “{path}”：{churned:.0%} of churned vs "
        "{retained:.0%} of retained customers ({diff:+.0f} points, 95% CI {low:+.0f} to "
        "{high:+.0f}).",
        "zh": "差异最大的末段路径是「{path}」：流失客户占 {churned:.0%}，留存客户占 {retained:.0%}"
        "（差 {diff:+.0f} 个百分点，95% 置信区间 {low:+.0f} 至 {high:+.0f}）。",
    },
    # paths.py: plot_step_matrix
    "survival.paths.steps.title": {
        "en": "Churned minus retained: share at step k",
        "zh": "流失减留存：倒数第 k 步事件占比差",
    },
    "survival.paths.steps.xlabel": {"en": "step (-1 = last event)", "zh": "步（-1 = 最后一步）"},
    # btyd/holdout.py: plot_tracking, plot_by_frequency
    "survival.btyd.actual": {"en": "actual", "zh": "实际"},
    "survival.btyd.tracking_ylabel": {"en": "cumulative repeat purchases", "zh": "累计复购次数"},
    "survival.btyd.frequency_xlabel": {
        "en": "repeat purchases in calibration",
        "zh": "校准期复购次数",
    },
    "survival.btyd.frequency_ylabel": {"en": "mean holdout purchases", "zh": "验证期平均购买次数"},
}
