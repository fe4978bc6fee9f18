"""purchase_view and the cached order codes against customer_features (the engine pass)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custops.core.config import Period, load_config
from custops.features.features import customer_features
from custops.features.purchases import (
    PURCHASE_COLUMNS,
    code_days,
    order_ids_unique,
    order_index,
    purchase_view,
)
from custops.ingest.cleaning import load_and_clean
from custops.segments import segmentation as seg

PERIOD = "2025Q4"


@pytest.fixture(scope="module")
def demo(small_demo):
    cfg = load_config(small_demo)
    return cfg, load_and_clean(cfg, PERIOD).tables


def _engine_view(tables, period):
    return customer_features(tables, period)[list(PURCHASE_COLUMNS)]


@pytest.mark.parametrize("period", ["2025Q4", "2025Q3", "2024Q4", "2023Q1"])
def test_purchase_view_equals_customer_features_on_demo(demo, period):
    _, tables = demo
    got = purchase_view(tables["orders"], tables["customers"], period)
    pd.testing.assert_frame_equal(got, _engine_view(tables, period))


def test_purchase_view_on_order_lines_and_missing_values():
    day = pd.Timestamp
    orders = pd.DataFrame(
        {
            # o1: two lines on two days (earliest day counts); o2 spans the period end;
            # o3 has no amount; two lines without an order id (no order, revenue counts);
            # "e" only buys after the end; "f" on the last day at 23:59
            "customer_id": ["a", "a", "a", "a", "b", "b", "b", "c", "d", "d", "e", "f", "f"],
            "order_id": [
                "o1",
                "o1",
                "o2",
                "o2",
                "o3",
                None,
                None,
                "o4",
                "o5",
                "o5",
                "o6",
                "o7",
                "o8",
            ],
            "order_date": [
                day("2025-09-10 10:00"),
                day("2025-07-01 09:00"),
                day("2025-09-30 23:00"),
                day("2025-10-02"),
                day("2024-05-01"),
                day("2025-08-08"),
                day("2025-08-01"),
                day("2025-01-01"),
                None,
                day("2025-03-03"),
                day("2025-11-01"),
                day("2025-09-30 23:59"),
                day("2024-09-30"),
            ],
            "amount": [10.105, 5.0, 7.25, 100.0, np.nan, 3.0, 4.0, 0.0, 9.0, 1.0, 50.0, 2.5, 1.0],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "z", "late", "nodate"],
            "signup_date": [day("2024-01-01"), day("2025-09-30"), day("2025-10-01"), None],
        }
    )
    tables = {"orders": orders, "customers": customers}
    for period in ("2025Q3", "2025Q4", "2024Q2"):
        got = purchase_view(orders, customers, period)
        pd.testing.assert_frame_equal(got, _engine_view(tables, period))
    got = purchase_view(orders, customers, "2025Q3").set_index("customer_id")
    assert got.loc["a", "n_orders"] == 2 and got.loc["a", "recency_days"] == 0  # o2: 09-30
    assert got.loc["b", "n_orders"] == 1 and got.loc["b", "revenue_total"] == 7.0
    assert got.loc["f", "recency_days"] == 0 and "e" not in got.index
    assert "late" not in got.index and "nodate" not in got.index
    assert np.isnan(got.loc["z", "recency_days"]) and got.loc["z", "n_orders"] == 0


def test_purchase_view_one_row_per_order_ties_and_empty():
    orders = pd.DataFrame(
        {
            "customer_id": ["b", "a", "b", "c"],
            "order_id": ["1", "2", "3", "4"],
            "order_date": pd.to_datetime(["2025-09-01", "2025-09-01", "2025-09-01", "2026-01-01"]),
            "amount": [1.0, 1.0, 2.0, 3.0],
        }
    )
    tables = {"orders": orders, "customers": pd.DataFrame({"customer_id": ["a"]})}
    pd.testing.assert_frame_equal(
        purchase_view(orders, tables["customers"], "2025Q3"), _engine_view(tables, "2025Q3")
    )
    got = purchase_view(orders, tables["customers"], "2025Q2")  # nobody has bought yet
    assert got["customer_id"].tolist() == ["a"] and got["n_orders"].tolist() == [0]
    pd.testing.assert_frame_equal(got, _engine_view(tables, "2025Q2"), check_dtype=False)
    with pytest.raises(ValueError, match="customer id"):
        purchase_view(orders.assign(customer_id=[None, "a", "b", "c"]), None, "2025Q3")


def test_previous_segmentation_equals_the_customer_view_path(demo):
    cfg, tables = demo
    before = seg.previous_segmentation(tables, PERIOD, cfg)
    view = customer_features(
        tables,
        Period.parse(PERIOD).previous(),
        inactivity_days=cfg.churn.inactivity_days,
        slow_response_hours=cfg.nps.slow_response_hours,
    )
    expected = seg.segment_customers(view, tables["orders"], "2025Q3", cfg, clusters=False)
    pd.testing.assert_frame_equal(before.table, expected.table)
    assert (before.table["rfm_segment"] != seg.NEVER_BOUGHT).sum() > 100
    # missing customer ids: the engine path
    orders = tables["orders"].copy()
    orders.loc[orders.index[:3], "customer_id"] = None
    fallback = seg.previous_segmentation({**tables, "orders": orders}, PERIOD, cfg)
    assert len(fallback.table) > 0


def _reactivated_recount(orders, period, sleeping):
    period = Period.parse(period)
    days: dict[str, set] = {}
    for cid, ts in zip(orders["customer_id"], orders["order_date"], strict=True):
        if isinstance(cid, str) and not pd.isna(ts) and ts.date() <= period.end:
            days.setdefault(cid, set()).add(ts.date())
    found = set()
    for cid, dates in days.items():
        ordered = sorted(dates)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if period.contains(after) and (after - before).days > sleeping:
                found.add(cid)
    return sorted(found)


def test_reactivated_shares_the_cached_pairs_across_periods(demo):
    _, tables = demo
    orders = tables["orders"]
    for period in ("2025Q4", "2025Q3", "2025Q1", "2025Q4"):
        got = seg.reactivated_customers(orders, period, 60)
        assert got.tolist() == _reactivated_recount(orders, period, 60)
    # one index shared by the periods (as notebook 02 passes it) gives the same answers
    ix = order_index(orders)
    for period in ("2025Q4", "2025Q3"):
        got = seg.reactivated_customers(orders, period, 60, index=ix)
        assert got.tolist() == _reactivated_recount(orders, period, 60)
    # another table of the same length gets its own codes
    other = orders.assign(customer_id=orders["customer_id"].to_numpy()[::-1])
    assert order_index(other).codes.tolist() != order_index(orders).codes.tolist()
    got = seg.reactivated_customers(other, "2025Q4", 60)
    assert got.tolist() == _reactivated_recount(other, "2025Q4", 60)
    with pytest.raises(ValueError, match="another orders table"):
        seg.reactivated_customers(other, "2025Q4", 60, index=ix)


def test_a_frame_edited_in_place_gets_the_correct_answer():
    orders = pd.DataFrame(
        {
            "order_id": ["1", "2", "3"],
            "customer_id": ["a", "b", "b"],
            "order_date": pd.to_datetime(["2025-10-01", "2025-10-02", "2025-10-03"]),
            "amount": [1.0, 2.0, 4.0],
        }
    )
    assert order_index(orders).labels.tolist() == ["a", "b"]
    assert order_ids_unique(orders)
    orders.loc[0, "customer_id"] = "z"  # in place, as an analyst does in JupyterLab
    assert order_index(orders).labels.tolist() == ["b", "z"]
    assert order_index(orders).codes.tolist() == [1, 0, 0]
    orders.loc[2, "order_id"] = "2"  # a duplicated order id
    assert not order_ids_unique(orders)
    assert not order_index(orders).one_row_per_order
    # the purchase view counts the merged order once and credits "z"
    view = purchase_view(orders, None, "2025Q4").set_index("customer_id")
    assert view["n_orders"].to_dict() == {"b": 1, "z": 1}
    assert view["revenue_total"].to_dict() == {"b": 6.0, "z": 1.0}


def test_code_days_skip_missing_ids_and_dates():
    orders = pd.DataFrame(
        {
            "customer_id": ["b", None, "a", "b", "a"],
            "order_date": pd.to_datetime(
                [
                    "2025-01-02 00:00",
                    "2025-01-01 00:00",
                    None,
                    "2025-01-02 08:00",
                    "2024-12-31 00:00",
                ]
            ),
        }
    )
    codes, days = code_days(orders)
    labels = order_index(orders).labels
    assert list(zip(labels[codes], days.astype(str), strict=True)) == [
        ("a", "2024-12-31"),
        ("b", "2025-01-02"),
    ]
    got = seg.reactivated_customers(orders.iloc[:0], "2025Q1", 1)
    assert got.tolist() == []


def test_arrow_string_orders_give_the_same_segments_and_timing(demo, tmp_path):
    from custops.core.errors import CustopsError
    from custops.features import timing
    from custops.features.purchases import ORDER_COLUMNS
    from custops.ingest.artifacts import read_columns

    cfg, tables = demo
    tables["orders"].to_parquet(tmp_path / "clean_orders.parquet")
    arrow = read_columns(tmp_path, "clean_orders.parquet", ORDER_COLUMNS)
    assert list(arrow.columns) == list(ORDER_COLUMNS)
    assert arrow["customer_id"].dtype == pd.StringDtype("pyarrow")
    plain = tables["orders"][list(ORDER_COLUMNS)]
    pd.testing.assert_frame_equal(arrow.astype({"order_id": object, "customer_id": object}), plain)
    for period in (PERIOD, "2025Q2"):
        assert (
            seg.reactivated_customers(arrow, period, 90).tolist()
            == seg.reactivated_customers(plain, period, 90).tolist()
        )
    before_a = seg.previous_segmentation(
        {"orders": arrow, "customers": tables["customers"]}, PERIOD, cfg
    )
    before_p = seg.previous_segmentation(tables, PERIOD, cfg)
    pd.testing.assert_frame_equal(before_a.table, before_p.table)
    got = timing.weekday_hour_table(arrow, PERIOD)
    want = timing.weekday_hour_table(plain, PERIOD)
    pd.testing.assert_frame_equal(got.table, want.table)
    assert got.hour_test == want.hour_test
    with pytest.raises(CustopsError, match="does not exist"):
        read_columns(tmp_path / "missing", "clean_orders.parquet", ORDER_COLUMNS)
