"""Column headers for people: the raw column names of custops tables shown in English or Chinese.

Tables keep machine-friendly column names (``ci_low``, ``rate_treatment``) in artifacts and code;
:func:`custops.report.notebook.table` shows them through :func:`column_label`, so a stakeholder reads
"95% CI low" or "95% 置信下限" instead. Names not listed here are shown as they are, with
underscores turned into spaces.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "COLUMN_LABELS",
    "VALUE_LABELS",
    "cell_html",
    "cell_text",
    "column_label",
    "group_label",
    "Quoted",
    "quoted_html",
    "value_label",
    "yes_no",
]

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
    "estimate": ("estimate", "估计值"),
    "se": ("standard error", "标准误"),
    "metric": ("measure", "指标"),
    "component": ("component", "组成部分"),
    "coefficient": ("coefficient", "系数"),
    "odds_ratio": ("odds ratio", "优势比"),
    "weight": ("weight", "权重"),
    "auc_diff": ("AUC difference", "AUC 差值"),
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
    "holdout": ("control group (do not contact)", "对照组（不联系）"),
    "model": ("model", "模型"),
    "error_pct": ("error of the total", "总量误差"),
    "mae": ("mean absolute error", "平均绝对误差"),
    "lift_low": ("top-decile lift, 95% CI low", "前 10% 提升度 95% 置信下限"),
    "lift_high": ("top-decile lift, 95% CI high", "前 10% 提升度 95% 置信上限"),
    # the customer view (custops.features.features)
    "signup_date": ("signup date", "注册日期"),
    "first_purchase": ("first purchase", "首次购买"),
    "last_purchase": ("last purchase", "最近一次购买"),
    "n_purchase_days": ("purchase days", "购买天数"),
    "revenue_total": ("revenue to date", "累计收入"),
    "orders_365d": ("orders, 12 months", "近 12 个月订单"),
    "n_orders_period": ("orders this period", "本期订单数"),
    "revenue_period": ("revenue this period", "本期收入"),
    "n_orders_prev": ("orders previous period", "上期订单数"),
    "revenue_prev": ("revenue previous period", "上期收入"),
    "tenure_days": ("days since first order", "首单至今天数"),
    "duration_days": ("days from first to last order", "首单至末单天数"),
    "avg_order_value": ("average order", "客单价"),
    "customer_age_days": ("days since signup", "注册至今天数"),
    "n_complaints": ("complaints", "投诉数"),
    "n_unresolved_complaints": ("unresolved complaints", "未解决投诉数"),
    "median_first_response_hours": ("first response, median hours", "首次响应中位数（小时）"),
    "csat_mean": ("CSAT mean", "满意度均值"),
    "n_touches": ("marketing touches", "营销触达次数"),
    "n_touch_conversions": ("touch conversions", "触达转化次数"),
    "score": ("score", "评分"),
    "auc": ("AUC", "AUC"),
    "lift": ("top-decile lift", "前 10% 提升度"),
    "top_decile_lift": ("top-decile lift", "前 10% 提升度"),
    "frequency": ("frequency", "购买频次"),
    "actual": ("actual", "实际值"),
    "path": ("path", "路径"),
    "churned_n": ("churned customers", "流失客户数"),
    "churned_share": ("share of churned", "流失客户占比"),
    "retained_n": ("retained customers", "留存客户数"),
    "retained_share": ("share of retained", "留存客户占比"),
    "p_alive": ("probability still active", "仍活跃概率"),
    "expected_purchases_90d": ("expected purchases, 90 days", "未来 90 天预期购买次数"),
    "clv_btyd": ("CLV, purchase model", "购买模型 CLV"),
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
    "conv_control": ("converted / n, control", "对照组转化数/人数"),
    "conv_treatment": ("converted / n, treatment", "实验组转化数/人数"),
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
    >>> column_label("expected: BG/NBD", "zh")
    '预期值：BG/NBD'
    """
    name = str(column)
    pair = COLUMN_LABELS.get(name)
    if pair is not None:
        return pair[1] if lang == "zh" else pair[0]
    head, sep, tail = name.partition(": ")
    if sep and head in COLUMN_LABELS:  # "expected: BG/NBD"
        return column_label(head, lang) + ("：" if lang == "zh" else ": ") + tail
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
    "True": ("yes", "是"),
    "False": ("no", "否"),
    # languages of comments (custops.voice.text_mining)
    "en": ("English", "英文"),
    "zh": ("Chinese", "中文"),
    # source tables and the cleaning rules of the ledger (custops.ingest.cleaning)
    "customers": ("customers", "客户"),
    "orders": ("orders", "订单"),
    "tickets": ("tickets", "工单"),
    "surveys": ("surveys", "问卷"),
    "touches": ("marketing touches", "营销触达"),
    "read and map columns": ("read and map columns", "读取并映射列"),
    "missing id": ("missing id", "缺少编号"),
    "unreadable date": ("unreadable date", "日期无法识别"),
    "not a number": ("not a number", "不是数字"),
    "cancellation": ("cancellation", "取消单"),
    "out of range": ("out of range", "超出范围"),
    "below min_amount": ("below the minimum amount", "低于最低金额"),
    "date out of range": ("date out of range", "日期超出范围"),
    "exact duplicate": ("exact duplicate", "完全重复"),
    "key duplicate": ("duplicate id", "编号重复"),
    "standardise values": ("standardise values", "规范取值"),
    "outlier": ("outlier", "异常值"),
    "time order": ("time order", "时间顺序"),
    "SQL query": ("SQL query", "SQL 查询"),
    # NPS intervals (custops.voice.nps.nps_estimate)
    "wald": ("Wald", "Wald 区间"),
    "adjusted-wald": ("adjusted Wald", "调整 Wald 区间"),
    # closing the loop with detractors (custops.voice.nps.closed_loop)
    "contacted": ("contacted", "已联系"),
    "bought_again_contacted": ("bought again, contacted", "已联系者复购"),
    "bought_again_not_contacted": ("bought again, not contacted", "未联系者复购"),
    "difference": ("difference", "差值"),
    # funnel steps (custops.review.funnels)
    "signed_up": ("signed up", "注册"),
    "first_order": ("first order", "首单"),
    "second_order": ("second order", "二次购买"),
    # reach of the active customers (custops.review.funnels.reach_gaps)
    "not_app_bound": ("not bound to the APP", "未绑定 APP"),
    "touched_only_weak": ("touched by weak channels only", "仅被弱渠道触达"),
    "not_touched": ("not touched", "未被触达"),
    # action register status (actions.yaml)
    "done": ("done", "已完成"),
    "in_progress": ("in progress", "进行中"),
    "open": ("open", "未开始"),
    "closed": ("closed", "已关闭"),
    # KPI alert rules (custops.review.alerts)
    "beyond_3sigma": ("beyond 3σ", "超出 3σ"),
    "2_of_3_beyond_2sigma": ("2 of 3 beyond 2σ", "3 个月中 2 个超出 2σ"),
    "3_in_a_row_beyond_1.5sigma": ("3 in a row beyond 1.5σ", "连续 3 个月超出 1.5σ"),
    "ewma": ("EWMA drift", "EWMA 漂移"),
    # health score components and checks (custops.survival.health)
    "recency": ("recency", "最近购买"),
    "frequency_trend": ("frequency trend", "购买频次趋势"),
    "spend_trend": ("spend trend", "消费趋势"),
    "complaints": ("complaints", "投诉与解决"),
    "nps_csat": ("NPS and CSAT", "NPS/满意度"),
    "engagement": ("engagement", "营销互动"),
    "auc": ("AUC", "AUC"),
    "top_decile_lift": ("top-decile lift", "前 10% 提升度"),
    "red_share_of_churners": ("churners in the red band", "流失者中红色档占比"),
    "churn_rate": ("churn rate", "流失率"),
    # behaviour path events (custops.survival.paths)
    "repurchase": ("repurchase", "复购"),
    "ticket": ("ticket", "工单"),
    "survey_promoter": ("survey, promoter", "推荐者问卷"),
    "survey_passive": ("survey, passive", "中立者问卷"),
    "survey_detractor": ("survey, detractor", "贬损者问卷"),
    "touch": ("touch", "触达"),
    "touch_opened": ("touch opened", "触达已读"),
    "health score": ("health score", "健康分"),
    "recency only": ("recency only", "仅最近购买"),
    "frequency only": ("frequency only", "仅购买频次"),
    "opened": ("opened", "打开"),
    "clicked": ("clicked", "点击"),
    "touch_converted": ("touch converted", "触达转化"),
    "retained": ("retained", "留存"),
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


def _aspect_labels() -> dict[str, tuple[str, str]]:
    """Labels of the comment aspects (``custops/resources/aspects.yaml``)."""
    from importlib import resources

    import yaml

    text = resources.files("custops").joinpath("resources", "aspects.yaml").read_text("utf-8")
    return {
        key: (str(spec["label"]["en"]), str(spec["label"]["zh"]))
        for key, spec in (yaml.safe_load(text) or {}).items()
        if isinstance(spec, dict) and isinstance(spec.get("label"), dict)
    }


for _key, _pair in _aspect_labels().items():
    VALUE_LABELS.setdefault(_key, _pair)


def yes_no(value: object, lang: str = "en") -> str:
    """A truth value as a reader says it: "yes"/"no" ("是"/"否").

    Examples
    --------
    >>> yes_no(True), yes_no(False, "zh"), yes_no("True")
    ('yes', '否', 'yes')
    """
    truth = value if isinstance(value, bool) else str(value).strip().lower() == "true"
    return value_label(str(bool(truth)), lang)


def group_label(group_type: object, group: object, lang: str = "en") -> str:
    """A group of a breakdown named for people: its column label and its value's label.

    Examples
    --------
    >>> group_label("slow_first_response", True), group_label("acquisition_channel", "search_ads", "zh")
    ('slow first response: yes', '获客渠道：搜索广告')
    >>> group_label("overall", "all")
    'overall'
    """
    if str(group_type) == "overall":
        return value_label("overall", lang)
    value = (
        yes_no(group, lang)
        if isinstance(group, bool) or str(group) in ("True", "False")
        else value_label(group, lang)
    )
    return column_label(group_type, lang) + ("：" if lang == "zh" else ": ") + value


#: a raw key: lower-case letters and digits joined by underscores (``n_orders``, ``signed_up``)
_KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")
#: a file name (``clean_orders.parquet``) or a list of column names: shown as code
_FILE = re.compile(r"[\w.-]+\.(?:csv|parquet|xlsx?|json|ya?ml|txt|png|html|ipynb)")
_NAMES = re.compile(r"\w+(?:, \w+)+")
_CODE_SPAN = re.compile(r"`([^`]+)`")
#: a raw name inside a sentence: a config key, column or file name (``cleaning.min_date``,
#: ``customer_id``, ``crm_customers.csv``)
_NAME_IN_TEXT = re.compile(
    r"(?<![\w`.])(?:[a-z]\w*\.)*[a-z][a-z0-9]*(?:_[a-z0-9]+)+"
    r"(?:\.(?:csv|parquet|xlsx?|json|ya?ml|txt))?(?![\w`])"
)


def cell_text(value: object, lang: str = "en") -> str:
    """A table cell as Markdown text for people: keys as labels, truth values as yes/no,
    names as code spans.

    * a listed category value, a listed column name or a raw ``snake_case`` name
      (``signed_up``, ``segment``, ``n_orders``) -> its label (:func:`value_label`,
      :func:`column_label`);
    * ``True``/``False`` -> "yes"/"no" ("是"/"否");
    * a file name or a list of column names -> a code span; in other text, raw names
      (``cleaning.min_date``, ``customer_id``, ``crm_customers.csv``) become code spans and
      code spans stay.

    Examples
    --------
    >>> cell_text("signed_up"), cell_text(True, "zh"), cell_text("n_orders"), cell_text("segment", "zh")
    ('signed up', '是', 'orders', '分群')
    >>> cell_text("clean_orders.parquet"), cell_text("customer_id, r_score")
    ('`clean_orders.parquet`', '`customer_id, r_score`')
    >>> cell_text("no date window (cleaning.min_date unset); from crm_customers.csv")
    'no date window (`cleaning.min_date` unset); from `crm_customers.csv`'
    >>> cell_text("repurchase → touch_opened", "zh")
    '复购 → 触达已读'
    >>> cell_text("amount > `max_amount` 200,000"), cell_text("Search ads")
    ('amount > `max_amount` 200,000', 'Search ads')
    """
    if isinstance(value, Quoted):
        return str(value)
    if isinstance(value, bool) or str(value) in ("True", "False"):
        return yes_no(value, lang)
    text = str(value)
    if text in VALUE_LABELS:
        return value_label(text, lang)
    if _KEY.fullmatch(text) or (text in COLUMN_LABELS and not text[:1].isdigit()):
        return column_label(text, lang)  # a column named in a cell (``segment``)
    steps = text.split(" → ")
    if len(steps) > 1 and all(step in VALUE_LABELS for step in steps):  # a path of events
        return " → ".join(value_label(step, lang) for step in steps)
    if _FILE.fullmatch(text) or (_NAMES.fullmatch(text) and "_" in text):
        return f"`{text}`"
    parts = _CODE_SPAN.split(text)  # names inside a sentence (a ledger note) become code spans
    return "".join(
        f"`{part}`" if i % 2 else _NAME_IN_TEXT.sub(r"`\g<0>`", part)
        for i, part in enumerate(parts)
    )


def cell_html(value: object, lang: str = "en") -> str:
    """:func:`cell_text` as HTML: escaped, its code spans as ``<code>``.

    Examples
    --------
    >>> cell_html("clean_orders.parquet"), cell_html(False)
    ('<code>clean_orders.parquet</code>', 'no')
    >>> cell_html("no minimum (`cleaning.min_amount` unset) & more")
    'no minimum (<code>cleaning.min_amount</code> unset) &amp; more'
    """
    if isinstance(value, Quoted):
        return quoted_html(value, lang)
    parts = _CODE_SPAN.split(cell_text(value, lang))
    return "".join(
        f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part)
        for i, part in enumerate(parts)
    )


class Quoted(str):
    """Text people wrote (an action of the register, a customer's comment), shown as written.

    Never relabelled by :func:`cell_text`; :func:`cell_html` and :func:`quoted_html` mark it
    with its language (``lang``: ``zh`` when it has Chinese characters, else ``en``) when that
    is not the edition's, so screen readers and spell checkers switch language.

    Examples
    --------
    >>> Quoted("delivery").lang, Quoted("配送很慢").lang, cell_text(Quoted("delivery"), "zh")
    ('en', 'zh', 'delivery')
    """

    lang: str

    def __new__(cls, text: object, lang: str | None = None) -> Quoted:
        obj = super().__new__(cls, str(text))
        obj.lang = lang or ("zh" if re.search(r"[\u4e00-\u9fff]", obj) else "en")
        return obj


def quoted_html(text: object, lang: str) -> str:
    """``text`` escaped, in ``<span lang="..">`` when written in another language than ``lang``.

    Examples
    --------
    >>> quoted_html("Call every detractor", "zh"), quoted_html("回访每位贬损者", "zh")
    ('<span lang="en">Call every detractor</span>', '回访每位贬损者')
    >>> quoted_html("回访每位贬损者", "en"), quoted_html("a < b", "en")
    ('<span lang="zh">回访每位贬损者</span>', 'a &lt; b')
    """
    quote = text if isinstance(text, Quoted) else Quoted(text)
    safe = html.escape(str(quote), quote=False)
    return safe if quote.lang == lang else f'<span lang="{quote.lang}">{safe}</span>'
