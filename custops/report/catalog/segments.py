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
}
