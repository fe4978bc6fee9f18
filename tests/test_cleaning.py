"""Every cleaning rule on small hand-made frames: what it rejects, merges or changes, the
reason it gives, and that the ledger balances (in = kept + merged + rejected) at every step.

The parsers it relies on (dates, numbers, ids, yes/no) are checked against values written
out by hand.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from custops.core.config import ReportConfig
from custops.core.errors import DataError
from custops.core.parsing import parse_bool, parse_dates, parse_ids, to_number
from custops.ingest.cleaning import LEDGER_COLUMNS, REJECT_COLUMNS, clean_table, mask_value

NOW = datetime(2026, 1, 15)


def make_cfg(**sources_extra) -> ReportConfig:
    sources = {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}}
    cleaning = sources_extra.pop("cleaning", {})
    for table, extra in sources_extra.items():
        sources.setdefault(table, {"path": f"{table}.csv"}).update(extra)
    return ReportConfig.model_validate({"sources": sources, "cleaning": cleaning})


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A mapped frame as sources.map_columns returns it: text values plus source columns."""
    out = pd.DataFrame(rows)
    out["_src_file"] = f"{table}.csv"
    out["_src_row"] = np.arange(1, len(out) + 1)
    return out


def orders(rows: list[tuple]) -> pd.DataFrame:
    cols = ["order_id", "customer_id", "order_date", "amount"]
    return frame("orders", [dict(zip(cols, r, strict=False)) for r in rows])


def check_ledger(ledger: pd.DataFrame, rejects: pd.DataFrame, n_in: int, n_out: int) -> None:
    """The ledger is a chain: each step starts where the last ended and balances."""
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert list(rejects.columns) == REJECT_COLUMNS
    assert ledger["rows_in"].iloc[0] == n_in
    assert (ledger["rows_out"] == ledger["rows_in"] - ledger["rejected"] - ledger["merged"]).all()
    assert (ledger["rows_in"].iloc[1:].to_numpy() == ledger["rows_out"].iloc[:-1].to_numpy()).all()
    assert ledger["rows_out"].iloc[-1] == n_out
    assert n_in == n_out + ledger["merged"].sum() + ledger["rejected"].sum()
    assert len(rejects) == ledger["rejected"].sum()
    assert rejects["source_row"].is_unique


def step(ledger: pd.DataFrame, rule: str) -> pd.Series:
    return ledger.set_index("rule").loc[rule]


# --------------------------------------------------------------------------- parsers


def test_parse_dates_reads_every_export_format_as_the_same_day():
    values = pd.Series(
        [
            "2025-01-03",
            "2025/1/3",
            "03.01.2025",
            "45660",
            45660,
            "2025年1月3日",
            "2025 年 1 月 3 日",
            "20250103",
            "2025-01-03 18:30",
            pd.Timestamp("2025-01-03"),
            "3 Jan 2025",
        ],
        dtype=object,
    )
    parsed = parse_dates(values)
    assert parsed.notna().all()
    assert (parsed.dt.normalize() == pd.Timestamp("2025-01-03")).all()


def test_parse_dates_dayfirst_and_explicit_format():
    assert parse_dates(pd.Series(["03/01/2025"]), dayfirst=True).iloc[0] == pd.Timestamp(
        "2025-01-03"
    )
    assert parse_dates(pd.Series(["03/01/2025"])).iloc[0] == pd.Timestamp("2025-03-01")
    assert parse_dates(pd.Series(["03-01-2025"]), dayfirst=True).iloc[0] == pd.Timestamp(
        "2025-01-03"
    )
    fixed = parse_dates(pd.Series(["03/01/2025", "2025-01-03"]), date_format="%d/%m/%Y")
    assert fixed.iloc[0] == pd.Timestamp("2025-01-03") and pd.isna(fixed.iloc[1])


def test_parse_dates_converts_offsets_to_the_configured_zone():
    values = pd.Series(["2025-10-01T03:00:00+08:00", "2025-10-01T03:00:00Z", "2025-10-01 03:00"])
    utc = parse_dates(values)
    assert utc.tolist() == [
        pd.Timestamp("2025-09-30 19:00"),  # an order of 1 October in Shanghai is 30 September UTC
        pd.Timestamp("2025-10-01 03:00"),
        pd.Timestamp("2025-10-01 03:00"),  # no offset: taken as written
    ]
    local = parse_dates(values, timezone="Asia/Shanghai")
    assert local.iloc[0] == pd.Timestamp("2025-10-01 03:00")
    assert local.iloc[1] == pd.Timestamp("2025-10-01 11:00")
    aware = pd.Series(pd.to_datetime(["2025-10-01 03:00"]).tz_localize("Asia/Shanghai"))
    assert parse_dates(aware, timezone="Asia/Shanghai").iloc[0] == pd.Timestamp("2025-10-01 03:00")


def test_parse_dates_garbage_becomes_missing_not_an_error():
    values = pd.Series(["not recorded", "2025-13-45", "00/00/0000", "", None, "未知", "12"])
    assert parse_dates(values).isna().all()


def test_to_number_parses_what_exports_write():
    values = pd.Series(
        ["1,234.5", "¥12", "￥3", "RMB 8", "12元", " 7 ", "(3)", "-2", "1e3", "abc", None, ""]
    )
    expected = [1234.5, 12, 3, 8, 12, 7, -3, -2, 1000, np.nan, np.nan, np.nan]
    np.testing.assert_array_equal(to_number(values).to_numpy(), np.array(expected, dtype=float))


def test_parse_ids_and_bools():
    assert parse_ids(pd.Series([" A1 ", 12345.0, "12345.00", "", None])).tolist() == [
        "A1",
        "12345",
        "12345",
        None,
        None,
    ]
    assert parse_bool(
        pd.Series(["是", "否", "已绑定", "未绑定", "Y", "n", 1, "1.0", "?"])
    ).tolist() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        True,
        pd.NA,
    ]
    assert parse_bool(pd.Series(["vip", "normal"]), {"VIP": True, "normal": False}).tolist() == [
        True,
        False,
    ]


def test_mask_value_keeps_only_a_hint():
    assert mask_value("13812345678") == "138****5678"
    assert mask_value("li.wei@example.com") == "l***@example.com"
    assert mask_value("欧阳娜娜") == "欧***"
    assert mask_value(None) == "" and mask_value(float("nan")) == ""


# --------------------------------------------------------------------------- rules


def test_rule_1_missing_id_rejects_with_the_empty_column_named():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o2", "  ", "2025-10-01", "5"),
            (None, None, "2025-10-01", "5"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    assert clean["order_id"].tolist() == ["o1"]
    assert step(ledger, "missing id")["rejected"] == 2
    assert rejects["reason"].tolist() == ["empty customer_id", "empty order_id, customer_id"]
    assert rejects["source_row"].tolist() == [2, 3]
    check_ledger(ledger, rejects, 3, 1)


def test_rule_2_unreadable_date_keeps_the_original_text():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o2", "c1", "someday", "5"),
            ("o3", "c1", "2025/10/3", "5"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    assert clean["order_date"].tolist() == [pd.Timestamp("2025-10-01"), pd.Timestamp("2025-10-03")]
    assert rejects["rule"].tolist() == ["unreadable date"]
    assert rejects["reason"].iloc[0] == "order_date cannot be read as a date: someday"
    assert json.loads(rejects["raw"].iloc[0])["order_date"] == "someday"
    check_ledger(ledger, rejects, 3, 2)


def test_rule_2_mostly_unreadable_dates_stop_with_file_column_examples_and_fix():
    raw = orders(
        [(f"o{i}", "c1", f"day {i}", "5") for i in range(8)] + [("o9", "c1", "2025-10-01", "5")]
    )
    with pytest.raises(DataError) as info:
        clean_table("orders", raw, make_cfg(), file_label="exports/orders.csv", now=NOW)
    text = str(info.value)
    assert "exports/orders.csv, column 'order_date': 8 of 9 values are not readable dates" in text
    assert "row 1: 'day 0'" in text and "date_format" in text


def test_rule_2_offsets_are_explained_in_the_ledger():
    raw = orders([("o1", "c1", "2025-10-01T03:00:00+08:00", "5"), ("o2", "c1", "2025-10-01", "5")])
    _, ledger, _ = clean_table("orders", raw, make_cfg(), now=NOW)
    assert (
        "1 order_date value(s) carried a UTC offset and were converted to UTC"
        in step(ledger, "unreadable date")["note"]
    )
    cfg = make_cfg(orders={"timezone": "Asia/Shanghai"})
    clean, ledger, _ = clean_table("orders", raw, cfg, now=NOW)
    assert "converted to Asia/Shanghai" in step(ledger, "unreadable date")["note"]
    assert clean["order_date"].iloc[0] == pd.Timestamp("2025-10-01 03:00")


def test_rule_3_not_a_number():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "1,200"),
            ("o2", "c1", "2025-10-01", "n/a"),
            ("o3", "c1", "2025-10-01", "¥7"),
            ("o4", "c1", "2025-10-01", "inf"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    assert clean["amount"].tolist() == [1200.0, 7.0]
    assert rejects["reason"].tolist() == [
        "amount is not a number: n/a",
        "amount is not a number: inf",
    ]
    check_ledger(ledger, rejects, 4, 2)


def test_rule_3_mostly_text_in_amount_stops():
    raw = orders([(f"o{i}", "c1", "2025-10-01", f"see note {i}") for i in range(6)])
    with pytest.raises(DataError, match=r"column 'amount': 6 of 6 values are not numbers"):
        clean_table("orders", raw, make_cfg(), now=NOW)


def test_rule_4_cancellations_by_prefix_negative_quantity_and_status():
    raw = frame(
        "orders",
        [
            {
                "order_id": "1",
                "customer_id": "a",
                "order_date": "2025-10-01",
                "amount": "5",
                "quantity": "1",
                "status": "paid",
            },
            {
                "order_id": "C1",
                "customer_id": "a",
                "order_date": "2025-10-01",
                "amount": "5",
                "quantity": "1",
                "status": "paid",
            },
            {
                "order_id": "2",
                "customer_id": "a",
                "order_date": "2025-10-01",
                "amount": "5",
                "quantity": "-1",
                "status": "paid",
            },
            {
                "order_id": "3",
                "customer_id": "a",
                "order_date": "2025-10-01",
                "amount": "5",
                "quantity": "1",
                "status": " Refunded ",
            },
        ],
    )
    cfg = make_cfg(orders={"cancellation": {"invoice_prefix": "C"}})
    clean, ledger, rejects = clean_table("orders", raw, cfg, now=NOW)
    assert clean["order_id"].tolist() == ["1"]
    assert rejects["reason"].tolist() == [
        "order_id starts with 'C' (cancellation invoice)",
        "negative quantity (return)",
        "status is refunded",
    ]
    check_ledger(ledger, rejects, 4, 1)


def test_rule_5_out_of_range_amount_and_score():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o2", "c1", "2025-10-01", "-5"),
            ("o3", "c1", "2025-10-01", "0"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    # a zero amount is a purchase (a free item); a negative one is a refund (cancellation rule)
    assert clean["order_id"].tolist() == ["o1", "o3"]
    assert rejects["rule"].tolist() == ["cancellation"]
    assert rejects["reason"].tolist() == ["negative amount (refund or credit): -5.0"]
    check_ledger(ledger, rejects, 3, 2)
    no_refunds = make_cfg(orders={"cancellation": {"negative_amount": False}})
    clean, ledger, rejects = clean_table("orders", raw, no_refunds, now=NOW)
    assert clean["order_id"].tolist() == ["o1", "o3"]
    assert rejects["rule"].tolist() == ["out of range"]
    assert rejects["reason"].tolist() == ["amount must be at least 0 (got -5.0)"]
    surveys = frame(
        "surveys",
        [
            {"response_id": "r1", "customer_id": "a", "responded_at": "2025-10-01", "score": "9"},
            {"response_id": "r2", "customer_id": "a", "responded_at": "2025-10-01", "score": "11"},
        ],
    )
    clean, ledger, rejects = clean_table("surveys", surveys, make_cfg(surveys={}), now=NOW)
    assert clean["score"].tolist() == [9.0]
    assert rejects["reason"].tolist() == ["score must be at most 10 (got 11.0)"]
    check_ledger(ledger, rejects, 2, 1)


def test_rule_6_future_and_too_old_dates():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o2", "c1", "2099-01-01", "5"),
            ("o3", "c1", "1999-12-31", "5"),
            ("o4", "c1", "2026-01-16", "5"),
            ("o5", "c1", "1899-12-30", "5"),
            ("o6", "c1", "1997-01-01", "5"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    # one day of tolerance: 16 January is accepted on 15 January; no default window: a 1997
    # log is kept, only implausible dates (before 1900, in the future) are rejected
    assert clean["order_id"].tolist() == ["o1", "o3", "o4", "o6"]
    assert rejects["reason"].tolist() == [
        "order_date in the future (after 2026-01-16, today + cleaning.future_tolerance_days): "
        "2099-01-01",
        "order_date before 1900-01-01 (implausible): 1899-12-30",
    ]
    assert "no date window (cleaning.min_date unset)" in step(ledger, "date out of range")["note"]
    check_ledger(ledger, rejects, 6, 4)
    window = make_cfg(cleaning={"min_date": "2000-01-01"})
    clean, ledger, rejects = clean_table("orders", raw, window, now=NOW)
    assert clean["order_id"].tolist() == ["o1", "o4"]
    assert rejects.set_index("source_row").loc[[3, 6], "reason"].tolist() == [
        "order_date before cleaning.min_date 2000-01-01: 1999-12-31",
        "order_date before cleaning.min_date 2000-01-01: 1997-01-01",
    ]
    check_ledger(ledger, rejects, 6, 2)


def test_min_amount_is_opt_in_and_zero_amounts_are_purchases():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o2", "c1", "2025-10-01", "0"),
            ("o3", "c1", "2025-10-01", "0.004"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    assert clean["amount"].tolist() == [5.0, 0.0, 0.004] and rejects.empty
    assert "zero amounts are kept" in step(ledger, "below min_amount")["note"]
    cfg = make_cfg(cleaning={"min_amount": 0.01})
    clean, ledger, rejects = clean_table("orders", raw, cfg, now=NOW)
    assert clean["order_id"].tolist() == ["o1"]
    assert rejects["rule"].unique().tolist() == ["below min_amount"]
    assert rejects["reason"].tolist() == [
        "amount below cleaning.min_amount 0.01: 0.0",
        "amount below cleaning.min_amount 0.01: 0.004",
    ]
    assert step(ledger, "below min_amount")["rejected"] == 2
    check_ledger(ledger, rejects, 3, 1)


def test_rule_7_exact_duplicates_are_merged_into_the_first():
    raw = orders(
        [
            ("o1", "c1", "2025-10-01", "5"),
            ("o1", "c1", "2025-10-01", "5"),
            ("o1", "c1", "2025-10-01", "6"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    # an order has several lines: the same order id with another amount is a second line
    assert clean["amount"].tolist() == [5.0, 6.0]
    assert step(ledger, "exact duplicate")["merged"] == 1
    assert rejects.empty
    check_ledger(ledger, rejects, 3, 2)


def test_rule_8_key_duplicates_with_conflicting_values_keep_the_last():
    customers = frame(
        "customers",
        [
            {"customer_id": "c1", "signup_date": "2024-01-01", "region": "East"},
            {"customer_id": "c2", "signup_date": "2024-02-01", "region": "West"},
            {"customer_id": "c1", "signup_date": "2024-01-01", "region": "North"},
        ],
    )
    clean, ledger, rejects = clean_table("customers", customers, make_cfg(), now=NOW)
    assert clean.set_index("customer_id")["region"].to_dict() == {"c2": "West", "c1": "North"}
    row = step(ledger, "key duplicate")
    assert row["merged"] == 1
    assert row["note"].startswith("1 customer_id(s) appeared more than once with different values")
    check_ledger(ledger, rejects, 3, 2)


def test_rule_9_outliers_by_log_iqr_and_by_cap():
    rng = np.random.default_rng(0)
    rows = [
        (f"o{i}", "c1", "2025-10-01", f"{v:.2f}") for i, v in enumerate(rng.lognormal(4, 0.5, 200))
    ]
    rows += [("big", "c1", "2025-10-01", "999999"), ("typo", "c1", "2025-10-01", "1e12")]
    rows += [("free", "c1", "2025-10-01", "0")]  # log(0): never an outlier, never an error
    # default: flagged and kept (a large real wholesale line is not an error)
    clean, ledger, rejects = clean_table("orders", orders(rows), make_cfg(), now=NOW)
    assert rejects.empty and len(clean) == 203
    assert clean.loc[clean["is_outlier"], "order_id"].tolist() == ["big", "typo"]
    assert step(ledger, "outlier")["changed"] == 2
    assert "2 line(s) flagged is_outlier and kept" in step(ledger, "outlier")["note"]
    check_ledger(ledger, rejects, 203, 203)
    rejecting = make_cfg(cleaning={"outlier_action": "reject"})
    clean, ledger, rejects = clean_table("orders", orders(rows), rejecting, now=NOW)
    assert set(rejects["source_row"]) == {201, 202}
    assert (rejects["rule"] == "outlier").all() and not clean["is_outlier"].any()
    assert "exp(Q3 + 3*IQR of log amount)" in step(ledger, "outlier")["note"]
    check_ledger(ledger, rejects, 203, 201)
    capped = make_cfg(cleaning={"outlier_method": "none", "max_amount": 100})
    clean, ledger, rejects = clean_table("orders", orders(rows), capped, now=NOW)
    assert (clean["amount"] <= 100).all()
    over = int((pd.Series([float(r[3]) for r in rows]) > 100).sum())
    assert over > 2 and len(rejects) == over
    assert "max_amount 100" in step(ledger, "outlier")["note"]


def test_rule_10_standardise_unifies_case_and_blanks_unreadable_optionals():
    raw = frame(
        "tickets",
        [
            {
                "ticket_id": "t1",
                "customer_id": "a",
                "created_at": "2025-10-01 09:00",
                "channel": "Phone",
                "csat": "5",
                "reopened": "是",
                "first_response_at": "2025-10-01 10:00",
            },
            {
                "ticket_id": "t2",
                "customer_id": "a",
                "created_at": "2025-10-01 09:00",
                "channel": " phone ",
                "csat": "9",
                "reopened": "否",
                "first_response_at": "later",
            },
            {
                "ticket_id": "t3",
                "customer_id": "a",
                "created_at": "2025-10-01 09:00",
                "channel": "Phone",
                "csat": "x",
                "reopened": "maybe",
                "first_response_at": None,
            },
        ],
    )
    clean, ledger, rejects = clean_table("tickets", raw, make_cfg(tickets={}), now=NOW)
    assert clean["channel"].tolist() == ["Phone", "Phone", "Phone"]
    assert clean["csat"].tolist()[0] == 5.0 and clean["csat"].isna().tolist() == [False, True, True]
    assert clean["reopened"].tolist() == [True, False, pd.NA]
    assert clean["first_response_at"].iloc[0] == pd.Timestamp("2025-10-01 10:00")
    assert clean["first_response_at"].isna().tolist() == [False, True, True]
    # changed: ' phone ' (1), csat 9 and x (2), 'maybe' (1), 'later' (1)
    assert step(ledger, "standardise values")["changed"] == 5
    check_ledger(ledger, rejects, 3, 3)


def test_standardise_counts_no_change_for_missing_categories():
    raw = frame(
        "touches",
        [
            {
                "touch_id": f"m{i}",
                "customer_id": "a",
                "sent_at": "2025-10-01",
                "channel": "sms",
                "ab_group": None,
            }
            for i in range(4)
        ],
    )
    _, ledger, _ = clean_table("touches", raw, make_cfg(touches={}), now=NOW)
    assert step(ledger, "standardise values")["changed"] == 0


def test_value_recoding_from_config():
    raw = frame(
        "surveys",
        [
            {
                "response_id": "r1",
                "customer_id": "a",
                "responded_at": "2025-10-01",
                "score": "非常满意",
            },
            {
                "response_id": "r2",
                "customer_id": "a",
                "responded_at": "2025-10-01",
                "score": "不满意",
            },
        ],
    )
    cfg = make_cfg(surveys={"values": {"score": {"非常满意": 10, "不满意": 2}}})
    clean, _, _ = clean_table("surveys", raw, cfg, now=NOW)
    assert clean["score"].tolist() == [10.0, 2.0]


def test_no_usable_rows_is_a_data_error_with_reasons():
    raw = orders([("o1", None, "2025-10-01", "5"), ("o2", "", "2025-10-01", "5")])
    with pytest.raises(DataError) as info:
        clean_table("orders", raw, make_cfg(), file_label="orders.csv", now=NOW)
    assert "orders.csv: no usable rows remain after cleaning" in str(info.value)
    assert "missing id: empty customer_id" in str(info.value)


def test_rejects_mask_personal_data_and_keep_everything_else():
    customers = frame(
        "customers",
        [
            {
                "customer_id": "c1",
                "signup_date": "2024-01-01",
                "name": "张伟",
                "phone": "13812345678",
                "email": "zw@example.com",
            },
            {
                "customer_id": "c2",
                "signup_date": "未知",
                "name": "李娜",
                "phone": "13987654321",
                "email": "ln@example.com",
            },
        ],
    )
    _, _, rejects = clean_table("customers", customers, make_cfg(), now=NOW)
    record = json.loads(rejects["raw"].iloc[0])
    assert record == {
        "customer_id": "c2",
        "signup_date": "未知",
        "name": "李*",
        "phone": "139****4321",
        "email": "l***@example.com",
    }
    assert rejects[["table", "source_file", "source_row"]].iloc[0].tolist() == [
        "customers",
        "customers.csv",
        2,
    ]


@pytest.mark.parametrize(
    "table,frame",
    [
        (
            "orders",
            pd.DataFrame(
                {
                    "order_id": ["a", "b", None, "d", "e"],
                    "customer_id": ["x", "", "y", None, "z"],
                    "order_date": pd.to_datetime(
                        ["2025-01-01", None, "2025-01-02", "2025-01-03", "2025-01-04"]
                    ),
                    "amount": [1.0, -5, 0, np.nan, 3],
                },
                index=[10, 11, 12, 13, 14],
            ),
        ),
        (
            "surveys",
            pd.DataFrame(
                {
                    "response_id": ["a", "a", "c", "d"],
                    "customer_id": ["x", "y", "z", "w"],
                    "responded_at": pd.to_datetime(["2025-01-01"] * 4),
                    "score": [5.0, 11.0, -1, np.nan],
                }
            ),
        ),
        (
            "tickets",
            pd.DataFrame(
                {
                    "ticket_id": ["a", "b", "c"],
                    "customer_id": ["x", "y", "z"],
                    "created_at": pd.to_datetime(["2025-01-01"] * 3),
                    "csat": [0.0, 6.0, np.nan],
                }
            ),
        ),
        ("customers", pd.DataFrame({"customer_id": ["x", "y"]})),
    ],
)
def test_row_failures_vectorised_match_pandera_own_validation(table, frame):
    from custops.ingest.schema import _row_failures_pandera, row_failures

    fast = row_failures(table, frame).drop(columns="reason")
    slow = _row_failures_pandera(table, frame)
    assert len(fast) > 0
    pd.testing.assert_frame_equal(
        fast.astype({"value": str}), slow.astype({"value": str}), check_dtype=False
    )


def test_arrow_id_parsing_gives_what_parse_ids_gives():
    from custops.ingest.cleaning import _parse_ids

    text = pd.Series([" A1 ", "12345.0", "", None, "7", "  ", "00012.00", "1.5", np.nan, "\u3000x"])
    mixed = pd.Series([" A1 ", 12345.0, "", None, 7])
    for values in (text, mixed):
        assert _parse_ids(values).tolist() == parse_ids(values).tolist()
    assert _parse_ids(text).tolist()[:4] == ["A1", "12345", None, None]


@pytest.mark.parametrize("case", ["lower", "upper", "most_common", "keep"])
def test_category_rules_on_distinct_values_match_the_row_by_row_rules(case):
    from custops.ingest.cleaning import _most_common_spelling, _standardise_category

    values = pd.Series(
        [
            " Online ",
            "online",
            "ONLINE",
            None,
            "store  front",
            "Store Front",
            "",
            "  ",
            np.nan,
            3,
            "online",
            "Store Front",
            "app",
            "APP",
            "App",
        ],
        index=range(100, 115),
    )
    # the per-row rules the cleaning step applied before (reference, another code path)
    text = values.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    if case == "lower":
        text = text.str.lower()
    elif case == "upper":
        text = text.str.upper()
    elif case == "most_common":
        text = _most_common_spelling(text)
    text = text.replace("", pd.NA)
    changed = int((text.fillna("\0") != values.astype("string").fillna("\0")).sum())
    want = text.astype(object).where(text.notna(), None)
    n_changed, got = _standardise_category(values, case)
    assert n_changed == changed and n_changed > 0
    assert got.index.equals(values.index)
    assert got.tolist() == want.tolist()


# --------------------------------------------------------------------------- fast paths


def _text_keys_reference(frame: pd.DataFrame) -> pd.DataFrame:
    """The exact-duplicate key as the cleaning step built it for every row before."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        kind = col.dtype.kind
        zero = col.to_numpy()[col.to_numpy() == 0] if kind == "f" else None
        if kind in "Mmbiu" or (kind == "f" and not np.signbit(zero).any()):
            out[name] = col
        else:
            out[name] = col.astype(object).where(col.notna(), None).astype(str)
    return pd.DataFrame(out, index=frame.index)


def _duplicate_cases() -> list[pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 400
    base = pd.DataFrame(
        {
            "order_id": rng.choice(["1", "2", "C3", None, "4"], n).astype(object),
            "customer_id": rng.choice(["a", "b", "None", None], n).astype(object),
            "order_date": pd.to_datetime(
                rng.choice(["2025-01-01", "2025-01-02 10:00", None], n), format="ISO8601"
            ),
            "amount": rng.choice([1.0, 2.5, np.nan, 0.0], n),
            "quantity": rng.choice([1, 2], n),
            "flag": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        }
    )
    negative_zero = base.copy()
    negative_zero.loc[::7, "amount"] = -0.0  # prints "-0.0": not a duplicate of 0.0
    mixed = base.copy()
    mixed["order_id"] = mixed["order_id"].astype(object)
    mixed.loc[::5, "order_id"] = 1  # the int 1 prints like the text "1"
    mixed.loc[::11, "customer_id"] = np.nan  # NaN and None both print as missing
    zoned = base.copy()
    zoned["order_date"] = zoned["order_date"].dt.tz_localize("Asia/Shanghai")
    text_only = base[["order_id", "customer_id"]]
    lines = pd.concat([base, base.iloc[::3]], ignore_index=True)  # order lines exported twice
    return [base, negative_zero, mixed, zoned, text_only, lines, base.iloc[:0], base.iloc[:1]]


@pytest.mark.parametrize("case", range(8))
def test_exact_duplicates_match_the_text_key_of_every_row(case, monkeypatch):
    from custops.ingest import cleaning

    frame = _duplicate_cases()[case]
    want = _text_keys_reference(frame).duplicated(keep="first").to_numpy()
    got = cleaning.exact_duplicates(frame)
    assert got.dtype == bool and got.tolist() == want.tolist()
    assert want.any() == (len(frame) > 1)  # the cases do have duplicates
    # every row colliding in the typed hash: the text comparison alone decides
    monkeypatch.setattr(cleaning, "_row_hash", lambda f, c: np.zeros(len(f), dtype=np.uint64))
    assert cleaning.exact_duplicates(frame).tolist() == want.tolist()


def test_row_hash_is_equal_for_equal_values():
    from custops.ingest.cleaning import _row_hash

    f = pd.DataFrame(
        {
            "x": [0.0, -0.0, np.nan, np.array([0x7FF8000000000001]).view(float)[0], 1.0],
            "d": pd.to_datetime(["2025-01-01", "2025-01-01", None, None, "2025-01-02"]),
            "b": pd.array([True, True, None, None, False], dtype="boolean"),
        }
    )
    h = _row_hash(f, ["x", "d", "b"])
    assert h[0] == h[1] and h[2] == h[3] and h[0] != h[2] and h[4] != h[0]


@pytest.mark.parametrize(
    "values",
    [
        pd.Series(["x", None, 3, 2.5, pd.Timestamp("2025-01-01 10:00")], dtype=object),
        pd.Series([1.5, np.nan, 0.1, -0.0, 1e20]),
        pd.Series([1, 2, 3, 4, 5]),
        pd.Series(pd.to_datetime(["2025-01-01", None, "2025-01-03", None, "2025-01-05"])),
        pd.Series(
            pd.to_datetime(
                ["2025-01-01", None, "2025-01-03 10:00", None, "2025-01-05"], format="ISO8601"
            )
        ),
        pd.Series(
            pd.to_datetime(["2025-01-01", "2025-01-03 10:00", None, None, None], format="ISO8601")
        ),
        pd.Series(pd.to_datetime(["2025-01-01", None, None, None, None]).tz_localize("UTC")),
    ],
)
def test_reasons_format_only_the_hits_as_the_whole_column_did(values):
    from custops.ingest.cleaning import _reasons

    values.index = range(10, 15)
    for picks in ([1, 3], [0, 2], [], [0, 1, 2, 3, 4]):
        mask = pd.Series(values.index.isin(values.index[picks]), index=values.index)
        want = values.astype(str).radd("p: ")[mask]
        got = _reasons("p: ", values, mask)
        pd.testing.assert_series_equal(got, want)


def test_not_in_matches_get_indexer():
    from custops.ingest.cleaning import _not_in

    known = pd.Index(["a", "b", "c"])
    for values in (
        pd.Series(["a", None, "z", "c", "b"]),
        pd.Series([], dtype=object),
        pd.Series(["a", 1, None, "c"], dtype=object),  # not all text: the pandas lookup
    ):
        want = known.get_indexer(values) < 0
        assert _not_in(values, known).tolist() == want.tolist()
    assert _not_in(pd.Series(["a"]), pd.Index([], dtype=object)).tolist() == [True]


def test_keep_rows_is_a_boolean_selection():
    from custops.ingest.cleaning import _keep_rows

    f = pd.DataFrame({"a": [1, 2, 3], "b": ["x", None, "z"]}, index=[5, 7, 9])
    f["c"] = f["a"] * 2.0  # a second block
    keep = np.array([True, False, True])
    got = _keep_rows(f, keep)
    pd.testing.assert_frame_equal(got, f.loc[keep].copy())
    got["a"] = 0  # an independent frame
    assert f["a"].tolist() == [1, 2, 3]


def test_exact_duplicates_treat_missing_as_the_text_none():
    from custops.ingest.cleaning import exact_duplicates

    f = pd.DataFrame(
        {"id": ["None", None, np.nan, "x", "x", None], "n": [1.0, 1.0, 1.0, 2.0, 2.0, 3.0]}
    )
    want = _text_keys_reference(f).duplicated(keep="first").tolist()
    assert want == [False, True, True, False, True, False]
    assert exact_duplicates(f).tolist() == want
    text = f[["id"]]
    assert exact_duplicates(text).tolist() == _text_keys_reference(text).duplicated().tolist()


@pytest.mark.parametrize(
    "key",
    [
        pd.Series(["a", "b", "a", "c", "b", "a"], index=range(3, 9)),
        pd.Series(["a", None, "b", None, np.nan]),
        pd.Series(["x", "y"]),
        pd.Series([], dtype=object),
    ],
)
def test_key_duplicates_match_duplicated_and_nunique(key):
    from custops.ingest.cleaning import _key_duplicates

    frame = pd.DataFrame({"k": key, "v": range(len(key))}, index=key.index)
    want = frame.duplicated(subset=["k"], keep="last")
    want_n = int(frame.loc[frame["k"].duplicated(keep=False), "k"].nunique())
    got, n = _key_duplicates(frame["k"])
    pd.testing.assert_series_equal(got, want, check_names=False)
    assert n == want_n


def test_row_failures_skip_is_dropping_the_column():
    from custops.ingest.schema import row_failures

    frame = pd.DataFrame(
        {
            "ticket_id": ["a", "a", "c"],
            "customer_id": ["x", None, "z"],
            "created_at": pd.to_datetime(["2025-01-01"] * 3),
            "csat": [0.0, 6.0, np.nan],
        }
    )
    want = row_failures("tickets", frame.drop(columns="csat"))
    got = row_failures("tickets", frame, skip=("csat",))
    pd.testing.assert_frame_equal(got, want)
    assert len(want) == 3 and "csat" not in set(got["column"])
    assert "csat" in set(row_failures("tickets", frame)["column"])  # the skipped failures
    text_csat = frame.assign(csat=["1", "x", None])  # not parsed yet: a dtype failure, skipped
    pd.testing.assert_frame_equal(row_failures("tickets", text_csat, skip=("csat",)), want)


# --------------------------------------------------------------------------- real-export defaults


def test_exact_duplicates_compare_the_whole_source_record():
    from custops.ingest.sources import map_columns

    raw = frame(
        "orders",
        [
            {
                "InvoiceNo": "1",
                "Cust": "a",
                "Day": "2025-10-01",
                "Qty": "6",
                "Price": "2.55",
                "Stock": "A",
            },
            {
                "InvoiceNo": "1",
                "Cust": "a",
                "Day": "2025-10-01",
                "Qty": "6",
                "Price": "2.55",
                "Stock": "B",
            },
            {
                "InvoiceNo": "1",
                "Cust": "a",
                "Day": "2025-10-01",
                "Qty": "6",
                "Price": "2.55",
                "Stock": "A",
            },
            # the same amount from another quantity and price: another line
            {
                "InvoiceNo": "1",
                "Cust": "a",
                "Day": "2025-10-01",
                "Qty": "3",
                "Price": "5.10",
                "Stock": "A",
            },
        ],
    )
    cfg = make_cfg(
        orders={
            "columns": {"order_id": "InvoiceNo", "customer_id": "Cust", "order_date": "Day"},
            "derive": {"amount": "Qty * Price"},
        }
    )
    mapped = map_columns("orders", raw, cfg.sources["orders"], "orders.csv")
    clean, ledger, rejects = clean_table("orders", mapped, cfg, now=NOW)
    # only the third record repeats one before it in every column (mapped or not)
    assert len(clean) == 3 and step(ledger, "exact duplicate")["merged"] == 1
    assert (
        "every column of the source record (mapped or not)"
        in step(ledger, "exact duplicate")["note"]
    )
    assert "_src_record" not in clean and "Stock" not in clean
    check_ledger(ledger, rejects, 4, 3)


def test_a_log_without_ids_keeps_identical_records_as_repeated_purchases():
    from custops.ingest.sources import map_columns

    raw = frame("orders", [{"customer_id": "a", "order_date": "19970112", "amount": "12"}] * 3)
    cfg = make_cfg(orders={"record_ids": True, "date_format": "%Y%m%d"})
    mapped = map_columns("orders", raw, cfg.sources["orders"], "orders.csv")
    clean, ledger, rejects = clean_table("orders", mapped, cfg, now=NOW)
    assert clean["order_id"].tolist() == ["1", "2", "3"]
    assert (clean["order_date"] == pd.Timestamp("1997-01-12")).all()
    row = step(ledger, "exact duplicate")
    assert row["merged"] == 0 and "identical records are kept as repeated purchases" in row["note"]
    check_ledger(ledger, rejects, 3, 3)


def test_missing_ids_name_every_empty_id_column():
    raw = orders(
        [
            ("o1", None, "2025-10-01", "5"),
            (None, None, "2025-10-01", "5"),
            (None, "c", "2025-10-01", "1"),
            ("o4", "c", "2025-10-01", "1"),
        ]
    )
    clean, ledger, rejects = clean_table("orders", raw, make_cfg(), now=NOW)
    assert clean["order_id"].tolist() == ["o4"]
    assert rejects["reason"].tolist() == [
        "empty customer_id",
        "empty order_id, customer_id",
        "empty order_id",
    ]
    check_ledger(ledger, rejects, 4, 1)


def test_large_removals_name_the_rule_share_and_knob():
    from custops.ingest.cleaning import large_removals

    raw = orders(
        [(f"o{i}", "c1" if i % 4 else None, "2025-10-01", "5") for i in range(20)]
        + [("o1", "c1", "2025-10-01", "5")]  # one exact duplicate: 1 of 21, below 5 %
    )
    _, ledger, _ = clean_table("orders", raw, make_cfg(), now=NOW)
    large = large_removals(ledger)
    assert large[["table", "rule", "removed", "rows_in"]].to_dict("records") == [
        {"table": "orders", "rule": "missing id", "removed": 5, "rows_in": 21}
    ]
    assert large["share"].iloc[0] == pytest.approx(5 / 21)
    assert large["knob"].iloc[0] == "sources.orders.columns"
    assert large_removals(ledger, threshold=0.5).empty


def test_coverage_reports_the_date_range_and_the_period_rows():
    from custops.ingest.cleaning import coverage

    tables = {
        "orders": pd.DataFrame(
            {
                "order_date": pd.to_datetime(
                    ["2011-09-30 09:00", "2011-10-01 00:00", "2011-12-09 12:50"]
                )
            }
        ),
        "customers": pd.DataFrame({"signup_date": pd.to_datetime(["2011-01-05"])}),
        "surveys": pd.DataFrame({"responded_at": pd.to_datetime(["2010-05-01"])}),
    }
    cover = coverage(tables, "2011Q4").set_index("table")
    assert cover.loc["orders", ["rows", "in_period", "period_days_covered"]].tolist() == [3, 2, 70]
    assert cover.loc["orders", "last"] == pd.Timestamp("2011-12-09 12:50")
    assert (
        cover.loc["orders", "note"] == "the data end on 2011-12-09: 70 of 92 days of 2011Q4 (76%)"
    )
    assert cover.loc["customers", "note"] == "no signups in 2011Q4"
    assert cover.loc["surveys", "note"] == "no surveys rows in 2011Q4"
    assert coverage(tables)["in_period"].isna().all()


def test_orders_only_config_derives_customers_from_the_first_order(tmp_path):
    from custops.chapters.collection import derived_customers
    from custops.core.config import load_config
    from custops.ingest.cleaning import load_and_clean

    (tmp_path / "o.csv").write_text(
        "order_id,customer_id,order_date,amount\n1,b,2025-01-05,3\n2,a,2025-02-01,0\n3,b,2025-01-02,4\n"
    )
    (tmp_path / "c.yaml").write_text("sources: {orders: {path: o.csv}}\n")
    result = load_and_clean(load_config(tmp_path / "c.yaml"), "2025Q1", now=NOW)
    assert "customers" not in result.tables  # chapter 01 derives them from the customer view
    assert len(result.tables["orders"]) == 3  # the zero amount is a purchase
    assert any("the customer view is derived from orders" in n for n in result.notes)
    assert set(result.ledger["table"]) == {"orders"}  # derived rows are not input rows
    orders = result.tables["orders"]
    first = orders.groupby("customer_id")["order_date"].min().dt.normalize()  # independent
    view = pd.DataFrame({"customer_id": first.index, "signup_date": first.to_numpy()})
    assert derived_customers(view).to_dict("records") == [
        {"customer_id": "a", "signup_date": pd.Timestamp("2025-02-01")},
        {"customer_id": "b", "signup_date": pd.Timestamp("2025-01-02")},
    ]
