"""The cleaning ledger's notes and the rejects' reasons in the report's language.

:func:`custops.ingest.cleaning.load_and_clean` writes them in English (the ledger and the
rejects file are data, read by people and scripts alike); the book shows them in the
edition's language through :func:`ledger_text`. A clause it does not know stays in English.
"""

from __future__ import annotations

import re

from custops.report.labels import value_label

__all__ = ["ledger_text"]


_V = r"(?P<v>.*)"  # the offending value at the end of a reason
#: the ledger's notes and the rejects' reasons in Chinese: (English clause, Chinese template);
#: names (columns, config keys, files) are code spans
_LEDGER_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"$"), zh)
    for pattern, zh in (
        (r"from (?P<f>.+)", "来源 `{f}`"),
        (r"implausible: before (?P<a>\S+) or after (?P<b>\S+)", "不合理：早于 {a} 或晚于 {b}"),
        (
            r"no date window \(cleaning\.min_date unset\)",
            "无日期窗口（未设置 `cleaning.min_date`）",
        ),
        (r"window: from cleaning\.min_date (?P<d>\S+)", "日期窗口：自 `cleaning.min_date` {d} 起"),
        (
            r"identical in every column of the source record \(mapped or not\), exported twice",
            "源记录的每一列（无论是否映射）都相同，被导出了两次",
        ),
        (r"the first is kept", "保留第一条"),
        (r"the last row is kept", "保留最后一行"),
        (
            r"(?P<n>[\d,]+) (?P<k>\w+)\(s\) appeared more than once with different values",
            "{n} 个 `{k}` 出现多次且取值不同",
        ),
        (r"categories trimmed, case variants unified", "类别值去掉首尾空白、统一大小写"),
        (r"unreadable optional values blanked", "无法读取的可选值置空"),
        (r"orders are lines", "订单按明细行导出"),
        (r"duplicates are checked on whole rows", "按整行检查重复"),
        (
            r"the export has no (?P<k>\w+): every record is its own row \(record_ids\), (?P<rest>.*)",
            "导出没有 `{k}`：每条记录单独成行（`record_ids`），{rest}",
        ),
        (
            r"rule: amount > exp\(Q3 \+ (?P<k>[\d.]+)\*IQR of log amount\) = (?P<v>[\d,.]+)",
            "规则：金额 > exp(Q3 + {k} × 对数金额的四分位距) = {v}",
        ),
        (
            r"or amount > max_amount (?P<v>[\d,.]+) \(rejected\)",
            "或金额 > `max_amount` {v}（剔除）",
        ),
        (
            r"rule: amount < cleaning\.min_amount (?P<v>\S+)",
            "规则：金额 < `cleaning.min_amount` {v}",
        ),
        (
            r"no minimum \(cleaning\.min_amount unset\): zero amounts are kept as purchases",
            "无最低金额（未设置 `cleaning.min_amount`）：零金额按购买保留",
        ),
        (
            r"(?P<n>[\d,]+) line\(s\) flagged is_outlier and kept "
            r"\(cleaning\.outlier_action: reject sets them aside\)",
            "{n} 行标记为 `is_outlier` 并保留（`cleaning.outlier_action: reject` 会剔除）",
        ),
        (
            r"answered or resolved before it was opened \(a negative duration\)",
            "响应或解决早于创建（时长为负）",
        ),
        (
            r"(?P<n>[\d,]+) of the (?P<m>[\d,]+) would be in order with day and month swapped "
            r"where the day is <= 12: a day/month-swapped export\? \((?P<k>\S+)\)",
            "{m} 行中有 {n} 行在日 ≤ 12 时互换日和月即顺序正确：导出时日月颠倒？（`{k}`）",
        ),
        (
            r"(?P<n>[\d,]+) (?P<c>\w+) value\(s\) carried a UTC offset and were converted to "
            r"(?P<z>\S+) \(set `timezone:` for local dates\)",
            "{n} 个 `{c}` 值带有 UTC 时差，已换算为 {z}（本地日期请设置 `timezone:`）",
        ),
        # reasons of rejected rows
        (r"empty (?P<c>[\w, ]+)", "空值：`{c}`"),
        (r"(?P<c>\w+) cannot be read as a date: " + _V, "`{c}` 无法识别为日期：{v}"),
        (r"(?P<c>\w+) is not a number: " + _V, "`{c}` 不是数字：{v}"),
        (
            r"order_id starts with (?P<p>.+) \(cancellation invoice\)",
            "`order_id` 以 {p} 开头（取消单）",
        ),
        (r"negative quantity \(return\)", "数量为负（退货）"),
        (r"status is " + _V, "状态为 {v}"),
        (r"amount is an outlier: " + _V, "金额异常：{v}"),
        (
            r"amount below cleaning\.min_amount (?P<f>\S+): " + _V,
            "金额低于 `cleaning.min_amount` {f}：{v}",
        ),
        (r"(?P<c>\w+) before (?P<d>\S+) \(implausible\): " + _V, "`{c}` 早于 {d}（不合理）：{v}"),
        (
            r"(?P<c>\w+) in the future \(after (?P<d>\S+), today \+ "
            r"cleaning\.future_tolerance_days\): " + _V,
            "`{c}` 在未来（晚于 {d}，即今天 + `cleaning.future_tolerance_days`）：{v}",
        ),
        (
            r"(?P<c>\w+) before cleaning\.min_date (?P<d>\S+): " + _V,
            "`{c}` 早于 `cleaning.min_date` {d}：{v}",
        ),
        (r"(?P<c>\w+) (?P<a>.+) is before created_at (?P<b>.+)", "`{c}` {a} 早于 `created_at` {b}"),
        (
            r"score is not a whole number \(answers are 0, 1, \.\.\. 10\): " + _V,
            "评分不是整数（应为 0、1……10）：{v}",
        ),
    )
)


#: whole notes of :func:`load_and_clean` (``CleanResult.notes``) in Chinese
_NOTES_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"$"), zh)
    for pattern, zh in (
        (
            r"(?P<n>[\d,]+) (?P<t>\w+) rows belong to (?P<m>[\d,]+) customer ids that are not in "
            r"the customer file; they are kept \(the customer view adds them\)\.",
            "{t}表有 {n} 行属于 {m} 个不在客户表中的客户编号：这些行保留（客户视图会补上这些客户）。",
        ),
        (
            r"There is no customers table \(sources\.customers\): the customer view is derived "
            r"from (?P<e>[\w, ]+?)(?P<first>, with the first order as the signup date)?\.",
            "没有客户表（`sources.customers`）：客户视图由 {e} 推导{first}。",
        ),
    )
)


def ledger_text(text: object, lang: str = "en") -> object:
    """A note of the ledger or a reason of the rejects in the report language.

    The English text is what :func:`custops.ingest.cleaning.load_and_clean` writes; in Chinese each ``; ``-separated
    clause it knows is translated (names as code spans), other clauses stay as they are.
    Values that are not text (a missing note) are returned unchanged.

    Examples
    --------
    >>> ledger_text("no date window (cleaning.min_date unset)", "zh")
    '无日期窗口（未设置 `cleaning.min_date`）'
    >>> ledger_text("7 customer_id(s) appeared more than once with different values; the last row is kept", "zh")
    '7 个 `customer_id` 出现多次且取值不同；保留最后一行'
    >>> ledger_text("signup_date cannot be read as a date: 未知", "zh")
    '`signup_date` 无法识别为日期：未知'
    >>> ledger_text("14 orders rows belong to 1 customer ids that are not in the customer file; "
    ...             "they are kept (the customer view adds them).", "zh")
    '订单表有 14 行属于 1 个不在客户表中的客户编号：这些行保留（客户视图会补上这些客户）。'
    >>> ledger_text("from crm.csv")
    'from crm.csv'
    """
    if lang != "zh" or not isinstance(text, str) or not text:
        return text
    for pattern, zh in _NOTES_ZH:  # whole notes of load_and_clean
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            if "first" in parts:
                parts["first"] = "，以首单日期作为注册日期" if parts["first"] else ""
            if "t" in parts:
                parts["t"] = value_label(parts["t"], "zh")
            return zh.format(**parts)
    clauses = []
    for clause in text.split("; "):
        for pattern, zh in _LEDGER_ZH:
            match = pattern.match(clause)
            if match:
                clause = zh.format(**match.groupdict())
                break
        clauses.append(clause)
    return "；".join(clauses)
