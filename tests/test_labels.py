"""Column headers shown to readers: raw names translated, formats still keyed by raw names."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from custops.report import notebook as nb
from custops.report.labels import COLUMN_LABELS, column_label


def _headers(html: str) -> list[str]:
    return re.findall(r'<th [^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', html)


def test_table_headers_follow_the_language_and_keep_formats() -> None:
    frame = pd.DataFrame({"share": [0.5], "ci_low": [0.25], "n_agents": [1200], "地区": ["华东"]})
    en = nb.table(frame, percent=("share", "ci_low"), lang="en").to_html()
    zh = nb.table(frame, percent=("share", "ci_low"), lang="zh").to_html()
    assert _headers(en) == ["share", "95% CI low", "n agents", "地区"]
    assert _headers(zh) == ["占比", "95% 置信下限", "n agents", "地区"]
    for html in (en, zh):  # the percent format still reaches the relabelled column
        assert ">25.0%<" in html and ">1,200<" in html


def test_table_language_defaults_to_the_config_given_to_start(monkeypatch) -> None:
    monkeypatch.setattr(nb, "_LANGUAGE", "zh")
    assert _headers(nb.table(pd.DataFrame({"customers": [3]})).to_html()) == ["客户数"]
    monkeypatch.setattr(nb, "_LANGUAGE", "en")
    assert _headers(nb.table(pd.DataFrame({"customers": [3]})).to_html()) == ["customers"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_label_is_filled_in_and_chinese_labels_are_chinese(lang: str) -> None:
    for raw, pair in COLUMN_LABELS.items():
        label = column_label(raw, lang)
        assert label.strip(), raw
        if lang == "zh" and raw not in {"nps", "R", "FM", "z", "n"}:
            assert re.search(r"[\u4e00-\u9fff]", label), (raw, label)
        if lang == "en":
            assert label == pair[0]
