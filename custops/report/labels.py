"""Column headers for people: the raw column names of custops tables shown in English or Chinese.

Tables keep machine-friendly column names (``ci_low``, ``rate_treatment``) in artifacts and code;
:func:`custops.report.notebook.table` shows them through :func:`column_label`, so a stakeholder reads
"95% CI low" or "95% 置信下限" instead. Names not listed here are shown as they are, with
underscores turned into spaces.
"""

from __future__ import annotations

__all__ = ["COLUMN_LABELS", "VALUE_LABELS", "column_label", "value_label"]

#: raw column name -> (English, Chinese)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    # generic statistics
    "n": ("n", "样本数"),
    "count": ("count", "计数"),
    "mean": ("mean", "均值"),
    "std": ("std", "标准差"),
    "min": ("min", "最小值"),
    "max": ("max", "最大值"),
    "25%": ("25%", "25% 分位"),
    "50%": ("median", "中位数"),
    "75%": ("75%", "75% 分位"),
    "share": ("share", "占比"),
    "rate": ("rate", "比率"),
    "ratio": ("ratio", "倍数"),
    "ratio_low": ("ratio, 95% CI low", "倍数 95% 置信下限"),
    "ratio_high": ("ratio, 95% CI high", "倍数 95% 置信上限"),
    "ci_low": ("95% CI low", "95% 置信下限"),
    "ci_high": ("95% CI high", "95% 置信上限"),
    "diff": ("difference", "差值"),
    "diff_low": ("difference, 95% CI low", "差值 95% 置信下限"),
    "diff_high": ("difference, 95% CI high", "差值 95% 置信上限"),
    "p": ("p", "p 值"),
    "p_value": ("p-value", "p 值"),
    "p_holm": ("p (Holm)", "p 值（Holm 校正）"),
    "p (Holm)": ("p (Holm)", "p 值（Holm 校正）"),
    "z": ("z", "z 值"),
    "significant": ("significant", "显著"),
    "small": ("small sample", "样本偏少"),
    "small_group": ("small group", "小样本组"),
    "Small group": ("Small group", "小样本组"),
    "weak": ("weak", "弱"),
    "rank": ("rank", "排名"),
    "note": ("note", "说明"),
    "meaning": ("meaning", "含义"),
    "measure": ("measure", "指标"),
    "method": ("method", "方法"),
    "value": ("value", "数值"),
    "change": ("change", "变化"),
    "Change": ("Change", "变化"),
    "changed": ("changed", "有变化"),
    "period": ("period", "期间"),
    "baseline": ("baseline", "基线"),
    "baseline_period": ("baseline period", "基线期"),
    "compared with": ("compared with", "对比对象"),
    "comparison": ("comparison", "比较"),
    "different?": ("different?", "是否不同？"),
    "group": ("group", "组"),
    "group A": ("group A", "A 组"),
    "group B": ("group B", "B 组"),
    "group_type": ("group type", "分组类型"),
    "of": ("of", "基数"),
    "times": ("times", "次数"),
    "window_days": ("window, days", "窗口（天）"),
    "median_days": ("median days", "中位天数"),
    "reason": ("reason", "原因"),
    "why": ("why", "原因"),
    "drivers": ("drivers", "主要因素"),
    "quote": ("quote", "原话摘录"),
    "term": ("term", "词语"),
    "similarity": ("similarity", "相似度"),
    "language": ("language", "语言"),
    "name": ("name", "名称"),
    "warnings": ("warnings", "警告"),
    "status": ("status", "状态"),
    "Status": ("Status", "状态"),
    # data collection / ledger
    "table": ("table", "数据表"),
    "source": ("source", "来源"),
    "source_file": ("source file", "源文件"),
    "source_row": ("source row", "源文件行号"),
    "rows": ("rows", "行数"),
    "rows_in": ("rows in", "输入行数"),
    "rows_out": ("rows out", "输出行数"),
    "kept": ("kept", "保留"),
    "merged": ("merged (duplicates)", "合并（重复）"),
    "rejected": ("rejected", "剔除"),
    "rejected_share": ("rejected share", "剔除占比"),
    "balanced": ("balanced", "收支平衡"),
    "lost": ("lost", "丢失"),
    "artifact": ("artifact", "产出文件"),
    "bytes": ("bytes", "字节数"),
    "column": ("column", "列"),
    "columns": ("columns", "列"),
    # customers and segments
    "customer": ("customer", "客户"),
    "customer_id": ("customer id", "客户编号"),
    "customers": ("customers", "客户数"),
    "region": ("region", "地区"),
    "acquisition_channel": ("acquisition channel", "获客渠道"),
    "app_bound": ("app bound", "绑定 APP"),
    "segment": ("segment", "分群"),
    "touchpoint": ("touchpoint", "触点"),
    "slow_first_response": ("slow first response", "首次响应慢"),
    "tier": ("value tier", "价值层级"),
    "cluster": ("cluster", "聚类"),
    "stage": ("lifecycle stage", "生命周期阶段"),
    "R": ("R", "R（最近）"),
    "FM": ("FM", "FM（频次金额）"),
    "recency_days": ("days since last order", "距上次下单天数"),
    "n_orders": ("orders", "订单数"),
    "revenue_365d": ("revenue, 12 months", "近 12 个月收入"),
    "revenue, 12 months": ("revenue, 12 months", "近 12 个月收入"),
    "orders, 12 months": ("orders, 12 months", "近 12 个月订单"),
    "average order": ("average order", "客单价"),
    "median average order": ("median average order", "客单价中位数"),
    "median orders": ("median orders", "订单数中位数"),
    "median revenue to date": ("median revenue to date", "累计收入中位数"),
    "median days since first order": ("median days since first order", "首单至今天数中位数"),
    "median days since last order": ("median days since last order", "末单至今天数中位数"),
    "share of customers": ("share of customers", "客户占比"),
    "share of revenue to date": ("share of revenue to date", "累计收入占比"),
    "share of revenue, 12 months": ("share of revenue, 12 months", "近 12 个月收入占比"),
    "playbook": ("playbook", "运营打法"),
    "suggested action": ("suggested action", "建议动作"),
    # churn and value
    "covariate": ("covariate", "变量"),
    "hazard ratio (95% CI)": ("hazard ratio (95% CI)", "风险比（95% 置信区间）"),
    "effect changes over time?": ("effect changes over time?", "效应是否随时间变化？"),
    "churned": ("churned", "已流失"),
    "churn rate (95% CI)": ("churn rate (95% CI)", "流失率（95% 置信区间）"),
    "churn_prob_90d": ("churn probability, 90 days", "90 天流失概率"),
    "churn_prob_180d": ("churn probability, 180 days", "180 天流失概率"),
    "churn_prob_30d": ("churn probability, 30 days", "30 天流失概率"),
    "clv": ("CLV", "客户终身价值"),
    "value_at_risk": ("value at risk", "风险价值"),
    "median lifetime, days (95% CI)": (
        "median lifetime, days (95% CI)",
        "中位生命周期（天，95% 置信区间）",
    ),
    "still a customer at 90 days": ("still a customer at 90 days", "90 天仍在"),
    "still a customer at 180 days": ("still a customer at 180 days", "180 天仍在"),
    "still a customer at 365 days": ("still a customer at 365 days", "365 天仍在"),
    "last_nps_score": ("last NPS score", "最近一次 NPS 评分"),
    "repurchased": ("repurchased", "已复购"),
    "repurchase rate (95% CI)": ("repurchase rate (95% CI)", "复购率（95% 置信区间）"),
    "cohort": ("cohort", "同期群"),
    # NPS and service
    "nps": ("NPS", "NPS"),
    "nps_baseline": ("NPS, baseline", "基线 NPS"),
    "n_baseline": ("n, baseline", "基线样本数"),
    "promoters": ("promoters", "推荐者"),
    "passives": ("passives", "中立者"),
    "detractors": ("detractors", "贬损者"),
    "n_comments": ("comments", "评论数"),
    "n_tickets": ("tickets", "工单数"),
    "Tickets": ("Tickets", "工单数"),
    "Channel": ("Channel", "渠道"),
    "Answered within 3 h": ("Answered within 3 h", "3 小时内响应"),
    "CSAT 4-5": ("CSAT 4-5", "满意度 4–5 分"),
    "CSAT mean (1-5)": ("CSAT mean (1-5)", "满意度均值（1–5）"),
    "First response, median h (95% CI)": (
        "First response, median h (95% CI)",
        "首次响应中位数，小时（95% 置信区间）",
    ),
    "First-contact resolution": ("First-contact resolution", "首次解决率"),
    "Reopen rate": ("Reopen rate", "重开率"),
    "Time to resolve, median h": ("Time to resolve, median h", "解决时长中位数（小时）"),
    # sentiment map
    "aspect": ("aspect", "方面"),
    "mentions": ("mentions", "提及次数"),
    "mentions_prev": ("mentions, previous period", "上期提及次数"),
    "negative": ("negative", "负面"),
    "negative_prev": ("negative, previous period", "上期负面"),
    "share_negative": ("share negative", "负面占比"),
    "share_negative_prev": ("share negative, previous period", "上期负面占比"),
    # KPI alerts
    "kpi": ("KPI", "指标"),
    "label": ("KPI name", "指标名称"),
    "month": ("month", "月份"),
    "expected": ("expected", "预期值"),
    "lower": ("lower limit", "控制下限"),
    "upper": ("upper limit", "控制上限"),
    "sigmas": ("sigmas from expected", "偏离（σ）"),
    "sigma_of_10pct": ("sigmas of a 10% change", "10% 变化相当于几个 σ"),
    # review, funnels, A/B
    "KPI": ("KPI", "指标"),
    "KPI moved": ("KPI moved", "变动指标"),
    "KPI: previous → now": ("KPI: previous → now", "指标：上期 → 本期"),
    "Target": ("Target", "目标"),
    "Previous": ("Previous", "上期"),
    "This period (95% CI)": ("This period (95% CI)", "本期（95% 置信区间）"),
    "Change vs noise": ("Change vs noise", "变化与噪声对比"),
    "Action": ("Action", "行动"),
    "Issue": ("Issue", "问题"),
    "Owner": ("Owner", "负责人"),
    "Due": ("Due", "截止"),
    "Overdue": ("Overdue", "已逾期"),
    "rule": ("rule", "触发规则"),
    "channel": ("channel", "渠道"),
    "campaign": ("campaign", "活动"),
    "step": ("step", "步骤"),
    "step_no": ("step no.", "步骤序号"),
    "step_rate": ("rate from previous step", "较上一步转化率"),
    "rate_from_sent": ("rate from sent", "相对发送的比率"),
    "rate_from_signup": ("rate from sign-up", "相对注册的比率"),
    "sent": ("sent", "发送"),
    "delivered": ("delivered", "送达"),
    "converted": ("converted", "转化"),
    "conversion": ("conversion", "转化率"),
    "conversion_low": ("conversion, 95% CI low", "转化率 95% 置信下限"),
    "conversion_high": ("conversion, 95% CI high", "转化率 95% 置信上限"),
    "reach": ("reach", "触达率"),
    "reach_low": ("reach, 95% CI low", "触达率 95% 置信下限"),
    "reach_high": ("reach, 95% CI high", "触达率 95% 置信上限"),
    "eligible": ("eligible", "符合条件"),
    "n_control": ("n, control", "对照组人数"),
    "n_treatment": ("n, treatment", "实验组人数"),
    "conv_control": ("conversions, control", "对照组转化数"),
    "conv_treatment": ("conversions, treatment", "实验组转化数"),
    "rate_control": ("conversion, control", "对照组转化率"),
    "rate_treatment": ("conversion, treatment", "实验组转化率"),
}


def column_label(column: object, lang: str = "en") -> str:
    """The header a reader sees for a raw column name.

    Parameters
    ----------
    column : object
        Column name as it is in the table.
    lang : {"en", "zh"}
        Report language.

    Returns
    -------
    str
        The listed label; otherwise the name with underscores as spaces.

    Examples
    --------
    >>> column_label("ci_low"), column_label("ci_low", "zh"), column_label("n_agents")
    ('95% CI low', '95% 置信下限', 'n agents')
    """
    name = str(column)
    pair = COLUMN_LABELS.get(name)
    if pair is not None:
        return pair[1] if lang == "zh" else pair[0]
    return name.replace("_", " ")


#: category values (channel keys, ticket categories, touchpoints) -> (English, Chinese)
VALUE_LABELS: dict[str, tuple[str, str]] = {
    # acquisition channels
    "search_ads": ("Search ads", "搜索广告"),
    "organic": ("Organic", "自然流量"),
    "offline_store": ("Offline store", "线下门店"),
    "referral": ("Referral", "老带新"),
    "social": ("Social media", "社交媒体"),
    "unknown": ("Unknown", "未知"),
    # marketing touch and service channels
    "app_push": ("App push", "APP 推送"),
    "sms": ("SMS", "短信"),
    "wechat": ("WeChat", "微信"),
    "email": ("E-mail", "邮件"),
    "phone": ("Phone", "电话"),
    "online_chat": ("Online chat", "在线客服"),
    "chat": ("Chat", "在线客服"),
    # ticket categories and survey touchpoints
    "return": ("Return", "退货"),
    "inquiry": ("Inquiry", "咨询"),
    "delivery": ("Delivery", "配送"),
    "complaint": ("Complaint", "投诉"),
    "app": ("App", "APP"),
    "purchase": ("Purchase", "购买"),
    "service": ("Service", "服务"),
    # NPS categories and generic values
    "promoter": ("promoter", "推荐者"),
    "passive": ("passive", "中立者"),
    "detractor": ("detractor", "贬损者"),
    "all": ("all", "全部"),
    "previous": ("previous period", "上期"),
    "last_year": ("same period last year", "去年同期"),
    "overall": ("overall", "总体"),
}


#: RFM segment names (custops.segments.segmentation) -> (English, Chinese)
SEGMENT_LABELS: dict[str, tuple[str, str]] = {
    "Champions": ("Champions", "冠军客户"),
    "Loyal": ("Loyal", "忠诚客户"),
    "Potential loyalist": ("Potential loyalist", "潜力忠诚客户"),
    "New": ("New", "新客户"),
    "Promising": ("Promising", "有潜力客户"),
    "Need attention": ("Need attention", "需要关注"),
    "About to sleep": ("About to sleep", "即将沉睡"),
    "Cannot lose them": ("Cannot lose them", "不能失去"),
    "At risk": ("At risk", "流失风险"),
    "Hibernating": ("Hibernating", "休眠客户"),
    "Lost": ("Lost", "已流失"),
    "Never bought": ("Never bought", "未购买"),
    "Other": ("Other", "其他"),
    "(not yet a customer)": ("(not yet a customer)", "（上期尚未注册）"),
}
VALUE_LABELS.update(SEGMENT_LABELS)
# weekdays (``seg_peak_weekday``, weekday columns)
VALUE_LABELS.update(
    zip(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        zip(
            ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
            ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
            strict=True,
        ),
        strict=True,
    )
)


def value_label(value: object, lang: str = "en") -> str:
    """The label a reader sees for a category value (``wechat`` -> "WeChat" / "微信").

    Parameters
    ----------
    value : object
        A raw key as it is in the data.
    lang : {"en", "zh"}

    Returns
    -------
    str
        The listed label; otherwise the value as text (a ``snake_case`` key with its
        underscores as spaces).

    Examples
    --------
    >>> value_label("wechat"), value_label("search_ads", "zh"), value_label("华东")
    ('WeChat', '搜索广告', '华东')
    >>> value_label("new_channel")
    'new channel'
    """
    name = str(value)
    pair = VALUE_LABELS.get(name)
    if pair is not None:
        return pair[1] if lang == "zh" else pair[0]
    return name.replace("_", " ") if "_" in name and " " not in name else name
