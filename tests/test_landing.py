"""The landing page's findings and tiles read the same in English and Chinese (issue #17).

The texts come from the catalog (``custops/report/catalog/landing.py``); these tests pin the
sentences a hand-made period produces in both editions, with the numbers written out.
"""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest

from custops.chapters import landing
from custops.core.config import Period, ReportConfig
from custops.report.catalog import landing as landing_texts

PERIOD = Period.parse("2025Q4")

GLUE = {
    "04_nps": {"nps_slow_gap": "-5.34", "nps_change_low": "-14.2", "nps_change_high": "-1.8"},
    "03_churn_survival": {
        "churn_hr_unresolved": "2.3347",
        "churn_hr_unresolved_low": "1.668",
        "churn_hr_unresolved_high": "3.2676",
        "churn_hr_slow": "1.4588",
        "churn_hr_slow_low": "1.0687",
        "churn_hr_slow_high": "1.9456",
    },
    "02_segmentation": {"seg_top_share": "0.6752"},
}

EXPECTED = {
    "en": [
        "**Service slowed down and NPS fell with it.** The median first response went from "
        "4.6 h in 2025Q3 to 13.1 h; NPS fell from 20.0 to 12.0 (95% CI -14.2 to -1.8). "
        "Customers whose first response was slow score 5.3 points lower.",
        "**An action did not work.** “Add two chat agents” (status: in_progress) was meant to "
        "improve First response, median, which moved the wrong way: 4.6 h → 13.1 h.",
        "**The revenue loss sits with the acquisition channel Search ads.** Revenue is CNY 180 "
        "below 2025Q3; CNY 150 of that (83%) comes from its customers.",
        "**Service problems drive churn.** An unresolved complaint multiplies the churn risk by "
        "2.33 (95% CI 1.67–3.27); a slow first response multiplies the churn risk by 1.46 "
        "(95% CI 1.07–1.95).",
        "**Revenue is concentrated.** The top 20% of customers bring 67.5% of the last 12 "
        "months' revenue.",
    ],
    "zh": [
        "<strong>服务变慢，NPS 随之下降。</strong>首次响应时长中位数从 2025Q3 的 4.6 小时升至 "
        "13.1 小时；NPS 从 20.0 降至 12.0（95% 置信区间 -14.2 至 -1.8）。首次响应慢的客户 NPS "
        "低 5.3 分。",
        '<strong>有一项行动没有奏效。</strong>“<span lang="en">Add two chat agents</span>”'
        "（状态：进行中）针对的是首次响应时长中位数，但该指标向相反方向变化：4.6 小时 → 13.1 小时。",
        "<strong>收入下降集中在获客渠道“搜索广告”。</strong>与 2025Q3 相比销售额减少 CNY 180，"
        "其中 CNY 150（83%）来自该获客渠道的客户。",
        "<strong>服务问题推高流失。</strong>投诉未解决使流失风险变为 2.33 倍（95% 置信区间 "
        "1.67–3.27）；首次响应慢使流失风险变为 1.46 倍（95% 置信区间 1.07–1.95）。",
        "<strong>收入高度集中。</strong>前 20% 的客户带来 67.5% 的近 12 个月销售额。",
    ],
}


@pytest.fixture
def period_inputs(tmp_path):
    """A scorecard where service slowed and NPS fell, a customer view whose revenue dropped
    by 180 (150 of it in search ads) and an action on first response that did not work."""
    pd.DataFrame(
        {
            "kpi": ["first_response_hours", "nps"],
            "value": [13.09, 12.0],
            "previous": [4.625, 20.0],
            "change": [8.465, -8.0],
            "direction": ["lower", "higher"],
            "status": ["red", "red"],
            "significant": [True, False],
            "label": ["First response (median hours)", "NPS"],
            "unit": ["hours", "points"],
        }
    ).to_csv(tmp_path / "scorecard.csv", index=False)
    pd.DataFrame(
        {
            "acquisition_channel": ["search_ads", "wechat", "search_ads", "organic"],
            "region": ["华东", "华北", "华北", "华东"],
            "revenue_prev": [500.0, 300.0, 200.0, 100.0],
            "revenue_period": [400.0, 280.0, 150.0, 90.0],
        }
    ).to_parquet(tmp_path / "customer_features.parquet")
    (tmp_path / "actions.yaml").write_text(
        "actions:\n- {issue: slow chat, action: Add two chat agents, owner: o, "
        "due: 2025-10-01, status: in_progress, kpi: first_response_hours}\n",
        encoding="utf-8",
    )
    cfg = ReportConfig.model_validate(
        {
            "sources": {"orders": {"path": "o.csv"}},
            "currency": "CNY",
            "review": {"actions": str(tmp_path / "actions.yaml")},
        }
    )
    return tmp_path, cfg


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_findings_give_the_expected_sentences(period_inputs, lang):
    artifacts, cfg = period_inputs
    found = landing.findings(GLUE, artifacts, cfg, PERIOD, lang)
    assert [f.text for f in found] == EXPECTED[lang]


def test_findings_have_the_same_structure_in_both_languages(period_inputs):
    """Same findings, links and sources, the same numbers (word order differs); English bold is
    Markdown, Chinese bold is HTML (MyST does not render ** next to full-width punctuation)."""
    artifacts, cfg = period_inputs
    en, zh = (landing.findings(GLUE, artifacts, cfg, PERIOD, lang) for lang in ("en", "zh"))
    assert [(f.doc, f.anchor, f.sources) for f in en] == [(f.doc, f.anchor, f.sources) for f in zh]
    number = re.compile(r"-?\d+(?:\.\d+)?%?")
    for a, b in zip(en, zh, strict=True):
        assert sorted(number.findall(a.text)) == sorted(number.findall(b.text))
        assert a.text.startswith("**") and "<strong>" not in a.text
        assert b.text.startswith("<strong>") and "**" not in b.text


def test_a_single_churn_driver_and_a_revenue_loss_larger_than_the_drop(tmp_path):
    pd.DataFrame(
        {
            "acquisition_channel": ["offline_store", "wechat"],
            "region": ["east", "west"],
            "revenue_prev": [500.0, 300.0],
            "revenue_period": [300.0, 420.0],
        }
    ).to_parquet(tmp_path / "customer_features.parquet")
    cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o.csv"}}, "currency": "CNY"})
    glue = {"03_churn_survival": dict(GLUE["03_churn_survival"], churn_hr_unresolved_low="0.9")}
    en, zh = (landing.findings(glue, tmp_path, cfg, PERIOD, lang) for lang in ("en", "zh"))
    assert [f.text for f in en] == [
        "**The revenue loss sits with the acquisition channel Offline store.** Revenue is CNY 80 "
        "below 2025Q3; its customers alone spent CNY 200 less, more than the whole drop (other "
        "groups grew).",
        "**Service problems drive churn.** A slow first response multiplies the churn risk by "
        "1.46 (95% CI 1.07–1.95).",
    ]
    assert [f.text for f in zh] == [
        "<strong>收入下降集中在获客渠道“线下门店”。</strong>与 2025Q3 相比销售额减少 CNY 80，"
        "仅该获客渠道客户就减少 CNY 200，超过总降幅（其他分组有所增长）。",
        "<strong>服务问题推高流失。</strong>首次响应慢使流失风险变为 1.46 倍（95% 置信区间 "
        "1.07–1.95）。",
    ]


def test_units_and_changes_in_both_languages():
    assert landing.format_value(14.36, "hours", "", "en") == "14.4 h"
    assert landing.format_value(14.36, "hours", "", "zh") == "14.4 小时"
    assert landing.format_change(0.186, 0.169, "share", "", "en") == "▲ 1.7 pts"
    assert landing.format_change(0.186, 0.169, "share", "", "zh") == "▲ 1.7 个百分点"
    assert landing.format_change(4.0, 6.5, "hours", "", "zh") == "▼ 2.5 小时"
    assert landing.format_change(3.0, 3.0, "points", "", "en") == "＝ 0.0"


def test_every_landing_text_has_both_languages_and_the_same_numbers():
    """Each ``landing.*`` entry is in en and zh, and both format the same numbers the same
    way (the fields with a format spec); plain fields may differ (zh repeats the kind)."""
    formatter = string.Formatter()

    def numbers(template: str) -> set[tuple[str, str]]:
        return {(name, spec) for _, name, spec, _ in formatter.parse(template) if name and spec}

    for key, entry in landing_texts.TEXTS.items():
        assert key.startswith("landing.") and set(entry) == {"en", "zh"}, key
        assert numbers(entry["en"]) == numbers(entry["zh"]), key
