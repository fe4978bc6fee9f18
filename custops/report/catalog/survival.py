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
    # how the section joins its parts: between parameters, around a convergence status,
    # between the backtest's sentences
    "btyd.params_sep": {"en": ", ", "zh": "，"},
    "btyd.status_paren": {"en": " ({status})", "zh": "（{status}）"},
    "btyd.rows_sep": {"en": " ", "zh": ""},
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
}
