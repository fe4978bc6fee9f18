"""Catalog texts of segmentation (custops.segments), features and timing (custops.features), cleaning (custops.ingest).

Keys are mostly prefixed ``segments.`` (figure captions: ``figure.``); each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
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
    "figure.ledger": {
        "en": "{kept} of the {rows} input rows were kept; the {table} table had the largest "
        "share set aside ({rejected}).",
        "zh": "{rows} 行输入中保留了 {kept}；{table}表被隔离的比例最高（{rejected}）。",
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
    # ------------------------------------------------------------------ segments.segmentation
    # segment descriptions and actions, lifecycle stages and cluster names (keys: slugs of the names)
    "segments.segmentation.description.champions": {
        "en": "bought very recently, often and for a lot",
        "zh": "最近刚买过，购买频繁且金额高",
    },
    "segments.segmentation.description.loyal": {
        "en": "buy often and spend well, fairly recently",
        "zh": "购买频繁、金额较高，近期仍在购买",
    },
    "segments.segmentation.description.potential_loyalist": {
        "en": "recent customers with average frequency and spend",
        "zh": "近期购买，频次和金额中等",
    },
    "segments.segmentation.description.new": {
        "en": "bought very recently, once or twice and for little",
        "zh": "刚刚购买，次数少、金额低",
    },
    "segments.segmentation.description.promising": {
        "en": "recent but low frequency and spend",
        "zh": "近期购买，但频次和金额低",
    },
    "segments.segmentation.description.need_attention": {
        "en": "average on recency, frequency and spend",
        "zh": "最近购买时间、频次、金额都居中",
    },
    "segments.segmentation.description.about_to_sleep": {
        "en": "below-average recency and low frequency and spend",
        "zh": "有一段时间没买，频次和金额低",
    },
    "segments.segmentation.description.cannot_lose_them": {
        "en": "were among the best customers but have not bought for long",
        "zh": "曾是最好的客户，但很久没有购买",
    },
    "segments.segmentation.description.at_risk": {
        "en": "bought often and well, but long ago",
        "zh": "曾经购买频繁、金额不低，但已很久没买",
    },
    "segments.segmentation.description.hibernating": {
        "en": "low frequency and spend, last purchase long ago",
        "zh": "频次和金额低，上次购买已较久",
    },
    "segments.segmentation.description.lost": {
        "en": "lowest recency, frequency and spend",
        "zh": "最久没买，频次和金额最低",
    },
    "segments.segmentation.description.never_bought": {
        "en": "registered but no purchase yet",
        "zh": "已注册但从未购买",
    },
    "segments.segmentation.description.other": {
        "en": "not matched by any rule",
        "zh": "未匹配任何规则",
    },
    "segments.segmentation.description.not_yet_a_customer": {
        "en": "signed up after the previous period",
        "zh": "上期结束后才注册",
    },
    "segments.segmentation.action.champions": {
        "en": "Reward: early access, VIP service; ask for reviews and referrals",
        "zh": "回馈：新品优先体验、VIP 服务；邀请评价和转介绍",
    },
    "segments.segmentation.action.loyal": {
        "en": "Upsell higher-value products; loyalty points; ask for reviews",
        "zh": "推荐更高价值商品；积分激励；邀请评价",
    },
    "segments.segmentation.action.potential_loyalist": {
        "en": "Membership or loyalty programme; personalised recommendations",
        "zh": "引导加入会员/积分计划；个性化推荐",
    },
    "segments.segmentation.action.new": {
        "en": "Onboarding journey; second-purchase incentive within 30 days",
        "zh": "新客引导；30 天内复购激励",
    },
    "segments.segmentation.action.promising": {
        "en": "Build the relationship: content, free trials, small first-repeat offer",
        "zh": "加强联系：内容推送、试用、小额复购优惠",
    },
    "segments.segmentation.action.need_attention": {
        "en": "Limited-time, personalised offer based on past purchases",
        "zh": "基于历史购买的限时个性化优惠",
    },
    "segments.segmentation.action.about_to_sleep": {
        "en": "Reactivate now: popular products, reminder of benefits, small discount",
        "zh": "尽快唤醒：推荐热销品、提醒权益、小额折扣",
    },
    "segments.segmentation.action.cannot_lose_them": {
        "en": "Personal outreach by an account manager; win-back offer; find out what went wrong",
        "zh": "专属客户经理一对一联系；挽回礼遇；了解流失原因",
    },
    "segments.segmentation.action.at_risk": {
        "en": "Win-back campaign with a personal message and a strong offer",
        "zh": "挽回活动：个性化沟通加力度较大的优惠",
    },
    "segments.segmentation.action.hibernating": {
        "en": "Low-cost reactivation (push, SMS); do not overspend",
        "zh": "低成本唤醒（推送、短信）；控制投入",
    },
    "segments.segmentation.action.lost": {
        "en": "Only cheap mass campaigns; otherwise stop spending",
        "zh": "仅做低成本群发；否则停止投入",
    },
    "segments.segmentation.action.never_bought": {
        "en": "Welcome journey with a first-purchase incentive",
        "zh": "欢迎旅程加首单激励",
    },
    "segments.segmentation.action.other": {"en": "Review manually", "zh": "人工复核"},
    "segments.segmentation.lifecycle.new": {"en": "new", "zh": "新客"},
    "segments.segmentation.lifecycle.active": {"en": "active", "zh": "活跃"},
    "segments.segmentation.lifecycle.reactivated": {"en": "reactivated", "zh": "回流"},
    "segments.segmentation.lifecycle.sleeping": {"en": "sleeping", "zh": "沉睡"},
    "segments.segmentation.lifecycle.churned": {"en": "churned", "zh": "流失"},
    "segments.segmentation.lifecycle.never_bought": {"en": "never bought", "zh": "未购买"},
    "segments.segmentation.cluster.high_value_loyal": {
        "en": "high-value loyal",
        "zh": "高价值忠诚",
    },
    "segments.segmentation.cluster.high_value_occasional": {
        "en": "high-value occasional",
        "zh": "高价值偶购",
    },
    "segments.segmentation.cluster.lapsed_high_value": {
        "en": "lapsed high-value",
        "zh": "流失的高价值",
    },
    "segments.segmentation.cluster.lapsed": {"en": "lapsed", "zh": "已流失"},
    "segments.segmentation.cluster.lapsed_regular": {"en": "lapsed regular", "zh": "流失常客"},
    "segments.segmentation.cluster.lapsed_low_spend": {
        "en": "lapsed low-spend",
        "zh": "流失低消费",
    },
    "segments.segmentation.cluster.occasional_low_spend": {
        "en": "occasional low-spend",
        "zh": "偶购低消费",
    },
    "segments.segmentation.cluster.new_low_spend": {"en": "new low-spend", "zh": "新客低消费"},
    "segments.segmentation.cluster.new": {"en": "new", "zh": "新客"},
    "segments.segmentation.cluster.price_sensitive_impulsive": {
        "en": "price-sensitive impulsive",
        "zh": "价格敏感冲动型",
    },
    "segments.segmentation.cluster.loyal_regular": {"en": "loyal regular", "zh": "忠诚常客"},
    "segments.segmentation.cluster.price_sensitive_occasional": {
        "en": "price-sensitive occasional",
        "zh": "价格敏感偶购",
    },
    "segments.segmentation.cluster.occasional": {"en": "occasional", "zh": "偶尔购买"},
    "segments.segmentation.cluster.steady_mid_value": {
        "en": "steady mid-value",
        "zh": "稳定中等价值",
    },
    "segments.segmentation.cluster.never_bought": {"en": "never bought", "zh": "未购买"},
    "segments.segmentation.concentration": {
        "en": "Among the {n:,} customers who bought in the last 12 months, the **top {top:.0%} of customers bring {share:.1%} of revenue**, and half of the revenue comes from {half:.1%} of them.",
        "zh": "在近 12 个月有购买的 {n:,} 位客户中，**前 {top:.0%} 的客户贡献了 {share:.1%} 的销售额**，一半的销售额来自其中 {half:.1%} 的客户。",
    },
    "segments.segmentation.segment_line": {
        "en": "- **{name}** ({what}): {n:,} customers ({share:.1%}), {rev_share:.1%} of 12-month revenue{churn}. *Do:* {action}.",
        "zh": "- **{name}**（{what}）：{n:,} 人（{share:.1%}），贡献近 12 个月销售额的 {rev_share:.1%}{churn}。*建议：*{action}。",
    },
    "segments.segmentation.segment_churn": {
        "en": "; churned {rate} (95% CI {lo}–{hi})",
        "zh": "；流失率 {rate}（95% 置信区间 {lo}–{hi}）",
    },
    "segments.segmentation.cluster_choice": {
        "en": "The silhouette is highest at **k = {k}** ({sil:.2f}; checked k = {k_lo}–{k_hi} on a seeded sample of {n_sil:,} customers). {fit}",
        "zh": "轮廓系数在 **k = {k}** 时最高（{sil:.2f}；在 {n_sil:,} 位客户的固定种子样本上比较了 k = {k_lo}–{k_hi}）。{fit}",
    },
    "segments.segmentation.fit_all": {
        "en": "The model was fitted on all {n:,} customers who have bought.",
        "zh": "模型使用全部 {n:,} 位有购买的客户拟合。",
    },
    "segments.segmentation.fit_sample": {
        "en": "The model was fitted on a sample of {m:,} of the {n:,} customers who have bought (proportional, stratified by RFM segment, seed {seed}); every customer was then assigned to the nearest cluster centre.",
        "zh": "模型在 {n:,} 位有购买客户中按 RFM 客群分层、等比例抽取的 {m:,} 人样本上拟合（种子 {seed}），再把每位客户分到最近的聚类中心。",
    },
    "segments.segmentation.cluster_high": {
        "en": "The **{name}** cluster is {share:.1%} of the customers who have bought but brings {rev:.1%} of all revenue to date (and {rev365:.1%} of the last 12 months); its median order is {aov} against {aov_all} for everyone.",
        "zh": "**{name}** 聚类占有购买客户的 {share:.1%}，却贡献了累计销售额的 {rev:.1%}（近 12 个月为 {rev365:.1%}）；其客单价中位数为 {aov}，全体为 {aov_all}。",
    },
    "segments.segmentation.move": {
        "en": "- {n:,} customers moved from **{src}** to **{dst}**.",
        "zh": "- {n:,} 位客户从 **{src}** 变为 **{dst}**。",
    },
    "segments.segmentation.stay": {
        "en": "{stay:.1%} of the customers who were already customers in {prev} are in the same {what} in {cur}; {new:,} customers are new since {prev}.",
        "zh": "{prev} 已有的客户中，{stay:.1%} 在 {cur} 仍处于相同的{what}；自 {prev} 以来新增 {new:,} 位客户。",
    },
    "segments.segmentation.what.segment": {"en": "RFM segment", "zh": "RFM 客群"},
    "segments.segmentation.what.tier": {"en": "value tier", "zh": "价值等级"},
    "segments.segmentation.col.segment": {"en": "segment", "zh": "客群"},
    "segments.segmentation.col.customers": {"en": "customers", "zh": "客户数"},
    "segments.segmentation.col.share_customers": {"en": "share of customers", "zh": "客户占比"},
    "segments.segmentation.col.share_revenue": {"en": "share of revenue", "zh": "销售额占比"},
    "segments.segmentation.plot.share_title": {
        "en": "Share of customers vs share of 12-month revenue",
        "zh": "客户占比与近 12 个月销售额占比",
    },
    "segments.segmentation.plot.pareto_title": {
        "en": "Revenue concentration (Pareto curve)",
        "zh": "销售额集中度（帕累托曲线）",
    },
    "segments.segmentation.plot.pareto_x": {
        "en": "share of customers (largest first)",
        "zh": "客户占比（按销售额从高到低）",
    },
    "segments.segmentation.plot.pareto_y": {"en": "share of revenue", "zh": "销售额占比"},
    "segments.segmentation.plot.transition_title": {
        "en": "{what}: {prev} → {cur}",
        "zh": "{what}：{prev} → {cur}",
    },
    "segments.segmentation.plot.from": {"en": "previous period", "zh": "上期"},
    "segments.segmentation.plot.to": {"en": "this period", "zh": "本期"},
    "segments.segmentation.plot.silhouette_title": {
        "en": "Silhouette by number of clusters",
        "zh": "不同聚类数的轮廓系数",
    },
    "segments.segmentation.plot.levels_title": {
        "en": "Cluster centres (standard deviations from the average customer)",
        "zh": "聚类中心（相对平均客户的标准差）",
    },
    "segments.segmentation.display.customers": {"en": "customers", "zh": "客户数"},
    "segments.segmentation.display.share_customers": {"en": "share of customers", "zh": "客户占比"},
    "segments.segmentation.display.revenue": {"en": "revenue, 12 months", "zh": "近12个月销售额"},
    "segments.segmentation.display.share_revenue": {
        "en": "share of revenue, 12 months",
        "zh": "近12个月销售额占比",
    },
    "segments.segmentation.display.share_revenue_total": {
        "en": "share of revenue to date",
        "zh": "累计销售额占比",
    },
    "segments.segmentation.display.orders": {"en": "orders, 12 months", "zh": "近12个月订单数"},
    "segments.segmentation.display.aov": {"en": "average order", "zh": "客单价"},
    "segments.segmentation.display.repurchase": {
        "en": "repurchase rate (95% CI)",
        "zh": "复购率（95% 置信区间）",
    },
    "segments.segmentation.display.churn": {
        "en": "churn rate (95% CI)",
        "zh": "流失率（95% 置信区间）",
    },
    "segments.segmentation.display.cluster": {"en": "cluster", "zh": "聚类"},
    "segments.segmentation.display.name": {"en": "name", "zh": "名称"},
    "segments.segmentation.display.median_recency_days": {
        "en": "median days since last order",
        "zh": "距上次购买天数（中位数）",
    },
    "segments.segmentation.display.median_n_orders": {
        "en": "median orders",
        "zh": "订单数（中位数）",
    },
    "segments.segmentation.display.median_revenue_total": {
        "en": "median revenue to date",
        "zh": "累计销售额（中位数）",
    },
    "segments.segmentation.display.median_avg_order_value": {
        "en": "median average order",
        "zh": "客单价（中位数）",
    },
    "segments.segmentation.display.median_tenure_days": {
        "en": "median days since first order",
        "zh": "距首次购买天数（中位数）",
    },
    "segments.segmentation.display.share_revenue_365d": {
        "en": "share of revenue, 12 months",
        "zh": "近12个月销售额占比",
    },
    "segments.segmentation.group.rfm_segment": {"en": "segment", "zh": "客群"},
    "segments.segmentation.group.tier": {"en": "tier", "zh": "价值等级"},
    "segments.segmentation.group.lifecycle": {"en": "stage", "zh": "生命周期阶段"},
    "segments.segmentation.group.cluster_name": {"en": "cluster", "zh": "聚类"},
    "segments.segmentation.level.recency_days": {
        "en": "days since\nlast order",
        "zh": "距上次下单天数",
    },
    "segments.segmentation.level.n_orders": {"en": "orders", "zh": "订单数"},
    "segments.segmentation.level.revenue_total": {"en": "revenue\nto date", "zh": "累计销售额"},
    "segments.segmentation.level.avg_order_value": {"en": "average\norder", "zh": "客单价"},
    "segments.segmentation.level.tenure_days": {
        "en": "days since\nfirst order",
        "zh": "距首次购买天数",
    },
    "segments.segmentation.rules.segment": {"en": "segment", "zh": "客群"},
    "segments.segmentation.rules.meaning": {"en": "meaning", "zh": "含义"},
    "segments.segmentation.rules.suggested_action": {"en": "suggested action", "zh": "建议动作"},
    # ------------------------------------------------------------------ segments.timing
    # weekday × hour (custops.features.timing computes, custops.segments.timing words)
    **{
        f"segments.timing.weekday.{day}": {"en": en, "zh": zh}
        for day, (en, zh) in enumerate(
            zip(
                ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
                strict=True,
            )
        )
    },
    **{
        f"segments.timing.weekday_short.{day}": {"en": en, "zh": zh}
        for day, (en, zh) in enumerate(
            zip(
                ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
                strict=True,
            )
        )
    },
    "segments.timing.note.empty": {
        "en": "> There are no orders from {first} to {last}, so there is no weekday × hour heatmap.",
        "zh": "> {first} 至 {last} 没有订单，不绘制星期 × 时段热力图。",
    },
    "segments.timing.note.date_only": {
        "en": "> The order timestamps carry only a date ({share:.0%} are exactly "
        "00:00:00), so the time of day is unknown and no weekday × hour heatmap is drawn "
        "(it would show a fake midnight spike). If the source system can export the time "
        "of the order, map `order_date` to that column in the config.",
        "zh": "> 订单时间只有日期（{share:.0%} 的时间戳恰为 00:00:00），无法看出一天中的时段，"
        "因此不绘制星期 × 时段热力图（否则会在午夜出现一个虚假的高峰）。如果源系统能导出下单时刻，"
        "请在配置中把 `order_date` 映射到带时间的列。",
    },
    "segments.timing.note.scope": {
        "en": "> Scope: {n:,} orders in {scope} ({first} to {last}), lines merged by "
        "order id (an order's time is its earliest line).",
        "zh": "> 范围：{scope}（{first} 至 {last}）的 {n:,} 笔订单"
        "（按订单号合并订单行，时间取最早一行）。",
    },
    "segments.timing.note.scope.year": {"en": "the trailing 12 months", "zh": "近 12 个月"},
    "segments.timing.note.scope.period": {"en": "the period", "zh": "本期"},
    "segments.timing.note.untimed": {
        "en": " {n:,} of them ({share:.0%}) carry only "
        "a date (exactly 00:00:00) and are left out of the heatmap.",
        "zh": "其中 {n:,} 笔（{share:.0%}）只有日期（恰为 00:00:00），不计入热力图。",
    },
    "segments.timing.note.min_n": {
        "en": " Cells with fewer than {min_n} orders show no average order value. ",
        "zh": "少于 {min_n} 笔订单的格子不显示客单价。",
    },
    "segments.timing.note.timezone": {"en": "Times are in {zone}.", "zh": "时间为 {zone} 时间。"},
    "segments.timing.note.no_timezone": {
        "en": "Times are as recorded in the export (no time-zone conversion).",
        "zh": "时间为导出文件中记录的时间（未做时区换算）。",
    },
    "segments.timing.findings.hours": {
        "en": "- **Busiest hours:** {share:.0%} of orders fall in the three hours {block}; "
        "the busiest single cell is {day} {span}, with {per_day:.1f} orders on an average {day}.",
        "zh": "- **最忙的时段：** {share:.0%} 的订单落在 {block} 这三个小时；单格最高是"
        "{day} {span}，平均每个{day}该小时 {per_day:.1f} 笔。",
    },
    "segments.timing.findings.days": {
        "en": "- **Weekdays:** {best} brings the most orders ({best_n:.0f} a day on average) "
        "and {worst} the fewest ({worst_n:.0f}).",
        "zh": "- **星期：** {best}平均每天 {best_n:.0f} 笔订单最多，{worst} {worst_n:.0f} 笔最少。",
    },
    "segments.timing.findings.aov.none": {
        "en": "- **Order value:** fewer than two hours have {min_n} orders or more, so "
        "order values cannot be compared across hours.",
        "zh": "- **客单价：** 订单数不少于 {min_n} 的时段不足两个，无法比较各时段客单价。",
    },
    "segments.timing.findings.aov": {
        "en": "- **Order value:** highest at {hi_span} ({cur}{hi:,.0f}), lowest at "
        "{lo_span} ({cur}{lo:,.0f}); {verdict} (Kruskal-Wallis test, p = {p:.3g}, "
        "hours with at least {min_n} orders).",
        "zh": "- **客单价：** 最高 {hi_span}（{cur}{hi:,.0f}），最低 {lo_span}"
        "（{cur}{lo:,.0f}）；{verdict}（Kruskal-Wallis 检验，p = {p:.3g}，"
        "仅含订单数不少于 {min_n} 的时段）。",
    },
    "segments.timing.findings.aov.differs": {
        "en": "the differences between hours are larger than chance",
        "zh": "各时段客单价的差异超出随机波动",
    },
    "segments.timing.findings.aov.chance": {
        "en": "the differences between hours are within chance, so there is no case for "
        "hour-specific pricing or basket offers on this evidence",
        "zh": "各时段客单价的差异在随机波动范围内，不宜按时段调整客单价策略",
    },
    "segments.timing.plot.orders": {
        "en": "Orders per day (weekday × hour)",
        "zh": "每天订单数（星期 × 时段）",
    },
    "segments.timing.plot.aov": {
        "en": "Average order value{unit}; cells with too few orders left blank",
        "zh": "客单价{unit}，订单过少的格子留空",
    },
    "segments.timing.plot.aov.unit": {"en": " ({currency})", "zh": "（{currency}）"},
    "segments.timing.plot.hour": {"en": "hour of day", "zh": "时段（点）"},
    # ------------------------------------------------------------------ segments.features
    # the partial-period note of custops.features.features.Observation (chapters word it:
    # day = observation_end.isoformat(), share, period)
    "segments.features.observation": {
        "en": "> **The data end on {day}: {share:.0%} of {period}.** Recency, tenure, T "
        "and churn censoring are measured to {day}; the period's totals and KPIs cover a "
        "partial period (marked partial).",
        "zh": "> **数据截止于 {day}：覆盖 {period} 的 {share:.0%}。** 最近购买间隔、客户年龄、"
        "T 和流失删失都按 {day} 计算；本期的合计与 KPI 是不完整时期的数值（标为部分期）。",
    },
}
