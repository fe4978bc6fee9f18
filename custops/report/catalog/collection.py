"""Catalog texts of chapter 01, data collection and cleaning (custops.chapters.collection).

Keys are prefixed ``collection.`` (``collection.large_removal`` lives with the cleaning texts
in ``segments``); each entry maps a language to a ``str.format`` template.
``custops.report.text.t`` looks them up.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "collection.overview": {
        "en": "This period we read {n_tables} tables ({tables}) with {rows_in} rows: {kept} kept, "
        "{merged} merged as duplicates and {rejected} rejected ({rejected_share}; every "
        "rejected row is in the rejects file with its reason). The customer view has "
        "{customers} customers: {buyers} have bought at least once, {active} bought in "
        "{period} and {new} signed up in {period}.",
        "zh": "本期读取了 {n_tables} 张表（{tables}），共 {rows_in} 行：保留 {kept} 行，合并重复 "
        "{merged} 行，隔离 {rejected} 行（{rejected_share}，原因见下表，每一行都写入 rejects "
        "文件）。客户视图共 {customers} 位客户，其中 {buyers} 位有购买记录，{active} 位在 "
        "{period} 有购买，{new} 位是本期新注册客户。",
    },
    "collection.ledger_title": {
        "en": "{period}: where every input row went",
        "zh": "{period}: 每张表的行去向",
    },
    "collection.ensure.building": {
        "en": "> The data collection artifacts of {period} ({missing}) are missing; building "
        "them now with chapter 01's code (the same as `{command} --only 01`).",
        "zh": "> 缺少 {period} 的数据采集产出（{missing}），现在按第 01 章的方法生成，等同于 "
        "`{command} --only 01`。",
    },
    "collection.ensure.written": {
        "en": "> Written to {folder}: {customers} customers.",
        "zh": "> 已写入 {folder}：{customers} 位客户。",
    },
}
