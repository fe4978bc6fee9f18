"""Redaction of personal data in comments, Chinese tokens, keywords, themes and quotes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from custops.voice import text_mining as tm

PHONES = [
    ("请回电 13812345678", "请回电 [phone]"),
    ("电话：139 1234 5678。", "电话：[phone]。"),
    ("手机 139-1234-5678 谢谢", "手机 [phone] 谢谢"),
    ("call me at +86 139 1234 5678 or mail me@example.com", "call me at [phone] or mail [email]"),
    ("+8613912345678", "[phone]"),
    ("0086-139-1234-5678 anytime", "[phone] anytime"),
    ("(+86)13912345678", "[phone]"),
    ("手机号码15012345678谢谢", "手机号码[phone]谢谢"),
    ("８６ １３９１２３４５６７８", "[phone]"),  # full-width digits
    ("office 010-12345678", "office [phone]"),
    ("US line +1 415 555 0100", "US line [phone]"),
]


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phone_numbers_are_redacted(text, expected):
    assert tm.redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("邮箱 zhang.san@qq.com 联系", "邮箱 [email] 联系"),
        ("mail Li.Wei+cx@mail.example.com.cn.", "mail [email]."),
        ("身份证 11010519491231002X", "身份证 [id]"),
        ("ID 110105194912310021 and phone 13812345678", "ID [id] and phone [phone]"),
        ("旧身份证 110105491231002", "旧身份证 [id]"),
    ],
)
def test_emails_and_chinese_ids_are_redacted(text, expected):
    assert tm.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "订单号 536365",
        "价格 1299 元",
        "paid 12.99 on 2025-11-03 at 10:30",
        "order 20251231000123",
        "等了 2 天",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert tm.redact(text) == text


def test_redact_series_keeps_missing_values():
    out = tm.redact_series(pd.Series(["a@b.cn", None, float("nan"), "ok"]))
    assert out.tolist() == ["[email]", None, None, "ok"]


def test_language_detection():
    assert [tm.detect_language(t) for t in ("客服很好", "great", "APP好用", "  ", None)] == [
        "zh",
        "en",
        "zh",
        None,
        None,
    ]


def test_jieba_is_silent_and_never_enables_paddle():
    code = "from custops.voice import text_mining as tm; print(tm.tokenize_zh('客服回复太慢，等了两天没人理'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "'太慢'" in done.stdout and "'没人理'" in done.stdout
    assert done.stderr == ""
    source = Path(tm.__file__).read_text(encoding="utf-8")
    assert "enable_paddle(" not in source.replace("``enable_paddle``", "")


@pytest.fixture(scope="module")
def comments():
    rows = (
        [("客服回复太慢，等了两天没人理 请回电 13812345678", "detractor")] * 3
        + [("投诉一直没有解决，很差", "detractor")] * 4
        + [("Support was slow and never replied, call +86 139 1234 5678", "detractor")] * 3
        + [("My complaint was never resolved", "detractor")] * 2
        + [("会员权益很实用，还会继续买", "promoter")] * 5
        + [("Great member benefits, will buy again", "promoter")] * 4
        + [("The app is easy to use", "promoter")] * 2
        + [("还可以，价格有点贵", "passive")] * 3
        + [(None, "passive")]
    )
    return pd.DataFrame(rows, columns=["comment", "nps_category"])


def test_keywords_by_group_and_language(comments):
    kw = tm.keywords_by_group(comments, top_n=5)
    assert set(kw["language"]) == {"zh", "en"}
    det_zh = kw[(kw["group"] == "detractor") & (kw["language"] == "zh")]
    assert {"投诉", "很差"} & set(det_zh["term"])
    assert "phone" not in set(kw["term"]) and "13812345678" not in set(kw["term"])
    prom_en = kw[(kw["group"] == "promoter") & (kw["language"] == "en")]
    assert any("member" in t for t in prom_en["term"])
    # counts are real: every zh detractor comment about 投诉 is counted
    row = det_zh[det_zh["term"] == "投诉"]
    if len(row):
        assert int(row["n_comments"].iloc[0]) == 4


def test_themes_shares_with_wilson_intervals(comments):
    themes = tm.themes_by_group(comments).set_index(["theme", "group"])
    speed = themes.loc[("service_speed", "detractor")]
    assert speed["n_comments"] == 12 and speed["n_mentions"] == 6
    assert speed["share"] == pytest.approx(0.5)
    assert speed["ci_low"] < 0.5 < speed["ci_high"]
    assert themes.loc[("membership", "promoter"), "n_mentions"] == 9
    assert themes.loc[("price", "passive"), "n_comments"] == 3  # the missing comment is left out


def test_quotes_are_redacted_and_representative(comments):
    quotes = tm.representative_quotes(comments, per_group=2)
    text = " ".join(quotes["quote"])
    assert "13812345678" not in text and "139 1234 5678" not in text
    det_zh = quotes[(quotes["group"] == "detractor") & (quotes["language"] == "zh")]
    assert (
        det_zh.iloc[0]["quote"] == "投诉一直没有解决，很差"
    )  # the most common complaint comes first
    assert det_zh.iloc[0]["times"] == 4


def test_redact_series_once_per_distinct_comment_equals_the_map():
    import numpy as np
    import pandas as pd

    from custops.voice.text_mining import redact, redact_series

    values = [
        "call 13812345678",
        None,
        "mail a@b.cn",
        "call 13812345678",
        np.nan,
        "好",
        "身份证 11010519491231002X",
        "",
        "mail a@b.cn",
    ]
    comments = pd.Series(values, index=range(10, 19), name="comment")
    want = comments.map(redact, na_action="ignore").astype(object).where(comments.notna(), None)
    got = redact_series(comments)
    pd.testing.assert_series_equal(got, want)
    assert got.iloc[1] is None and got.iloc[4] is None and got.iloc[0] == "call [phone]"
    arrow = redact_series(comments.astype("string[pyarrow]"))
    assert arrow.tolist() == want.tolist() and arrow.dtype == object
    mixed = pd.Series([1, 1.0, True, "x 13812345678"])  # equal under ==, different text
    assert redact_series(mixed).tolist() == ["1", "1.0", "True", "x [phone]"]
    empty = redact_series(pd.Series([], dtype=object))
    assert empty.empty and empty.dtype == object


def test_quotes_leave_out_comments_the_redactor_is_unsure_about():
    """The most typical comment holds an unknown capitalised pair: it is not quoted, the
    next ones are, names the redactor knows are masked, and the note counts the one left out."""
    rows = (
        [("slow reply from Zorvath Quellon", "detractor")] * 5
        + [("slow reply again", "detractor")] * 2
        + [("slow reply, Emily Zhang-Hart never called", "detractor")]
    )
    frame = pd.DataFrame(rows, columns=["comment", "nps_category"])
    quotes = tm.representative_quotes(frame, per_group=2)
    assert quotes["quote"].tolist() == ["slow reply again", "slow reply, [name] never called"]
    assert quotes.attrs["withheld"] == 1
    assert tm.quotes_note(quotes).startswith("1 comment that would have been quoted was left out")
    assert "1 条" in tm.quotes_note(quotes, lang="zh")


def test_keyword_bigrams_are_phrases_written_in_the_comments():
    from custops.voice.text_mining import keywords_by_group

    comments = ["too expensive, and poor packaging"] * 3 + ["slow reply again"] * 3
    frame = pd.DataFrame({"comment": comments, "nps_category": ["detractor"] * 6})
    terms = set(keywords_by_group(frame, top_n=10)["term"])
    assert "slow reply" in terms and "poor packaging" in terms
    assert "expensive poor" not in terms  # joined across the removed "and" and the comma
