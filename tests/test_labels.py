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
        if lang == "zh" and raw not in {"nps", "R", "FM", "z", "n", "auc"}:
            assert re.search(r"[\u4e00-\u9fff]", label), (raw, label)
        if lang == "en":
            assert label == pair[0]


def _cells(html: str) -> list[str]:
    return re.findall(r"<td [^>]*>(.*?)</td>", html)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["signed up", "yes", "<code>clean_orders.parquet</code>", "12", "Champions"]),
        ("zh", ["注册", "是", "<code>clean_orders.parquet</code>", "12", "冠军客户"]),
    ],
)
def test_table_cells_show_labels_yes_no_and_names_as_code(lang: str, expected: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "step": ["signed_up", "first_order"],
            "flag": [True, False],
            "artifact": ["clean_orders.parquet", "ledger.csv"],
            "n": [12.0, None],  # a count that went through a missing value
            "segment": ["Champions", "Lost"],
        }
    )
    cells = _cells(nb.table(frame, lang=lang).to_html())
    assert cells[:5] == expected
    assert cells[6] == ("no" if lang == "en" else "否") and cells[8] == "–"


def test_a_ledger_note_keeps_its_names_as_code() -> None:
    html = nb.table(
        pd.DataFrame({"note": ["no date window (cleaning.min_date unset)"]}), lang="en"
    ).to_html()
    assert "no date window (<code>cleaning.min_date</code> unset)" in _cells(html)


def test_chinese_value_labels_are_chinese() -> None:
    from custops.report.labels import VALUE_LABELS, value_label

    latin_only = {"app": "APP", "auc": "AUC"}  # acronyms read the same in Chinese
    for raw in VALUE_LABELS:
        label = value_label(raw, "zh")
        if raw in latin_only:
            assert label == latin_only[raw]
        else:
            assert re.search(r"[\u4e00-\u9fff]", label), (raw, label)


def test_empty_columns_are_left_out_and_repeated_names_are_kept() -> None:
    frame = pd.DataFrame([[1, "", 2.5, "x"]], columns=["a", "warnings", "a", "b"])
    html = nb.table(frame, lang="en").to_html()
    assert _headers(html) == ["a", "a", "b"]


def test_a_value_and_its_interval_share_one_column() -> None:
    frame = pd.DataFrame({"group": ["all"], "nps": [20.0], "ci_low": [7.7], "ci_high": [32.3]})
    en = nb.table(frame, decimals={"nps": 1}, lang="en").to_html()
    zh = nb.table(frame, decimals={"nps": 1}, lang="zh").to_html()
    assert _headers(en) == ["group", "NPS (95% CI)"] and "20.0 (7.7–32.3)" in _cells(en)
    assert _headers(zh) == ["组", "NPS（95% 置信区间）"] and _cells(zh)[0] == "全部"
