"""The scale options of the feature engine: customer hash partitions and the order grain.

* ``partitions``: K passes over hash partitions of the customers give the same table as one
  pass (rfm_summary by day and week, order_features), from a frame and from Parquet files;
  the number of passes is the config's unless given.
* ``grain="orders"``: on one row per order, the same summary as grouping lines to orders, and
  the pandas definition; on lines of one order spread over two days it counts both days (the
  documented contract, as pymc-marketing's ``rfm_summary`` sums rows).
* repeat revenue as total - first period stays within float rounding of the repeat mean.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from custops.core.config import EngineConfig
from custops.features.engine import connect
from custops.features.features import order_features, rfm_summary

sys.path.insert(0, str(Path(__file__).parent))
from test_features import pandas_summary, random_orders


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return random_orders(5, n_orders=1500, n_customers=150)


@pytest.fixture(scope="module")
def per_order(lines) -> pd.DataFrame:
    """The same purchases as one row per order (lines of an order share their timestamp)."""
    return lines.groupby(["customer_id", "order_id"], as_index=False).agg(
        order_date=("order_date", "min"), amount=("amount", "sum")
    )


@pytest.mark.parametrize("time_unit", ["D", "W"])
@pytest.mark.parametrize("partitions", [2, 5])
def test_rfm_summary_partitioned_equals_one_pass(lines, time_unit, partitions):
    one = rfm_summary(lines, "2025-10-31", time_unit=time_unit, partitions=1)
    parts = rfm_summary(lines, "2025-10-31", time_unit=time_unit, partitions=partitions)
    assert len(one) > 100 and one["customer_id"].is_monotonic_increasing
    pd.testing.assert_frame_equal(parts, one, check_exact=False, rtol=1e-12, atol=1e-9)
    expected = pandas_summary(lines, "2025-10-31", time_unit)
    pd.testing.assert_frame_equal(parts, expected, check_exact=False, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("partitions", [3, 8])
def test_order_features_partitioned_equals_one_pass(lines, partitions):
    one = order_features(lines, "2025Q3", partitions=1)
    parts = order_features(lines, "2025Q3", partitions=partitions)
    assert len(one) > 100 and parts["customer_id"].is_unique
    pd.testing.assert_frame_equal(parts, one)  # money is rounded to cents: exact


def test_partitioned_from_parquet_files(lines, tmp_path):
    folder = tmp_path / "orders"
    folder.mkdir()
    half = len(lines) // 2
    lines.iloc[:half].to_parquet(folder / "a.parquet")
    lines.iloc[half:].to_parquet(folder / "b.parquet")
    got = rfm_summary(f"{folder}/*.parquet", "2025-12-31", partitions=4)
    pd.testing.assert_frame_equal(
        got, rfm_summary(lines, "2025-12-31"), check_exact=False, rtol=1e-12, atol=1e-9
    )


def test_engine_partitions_come_from_the_config(lines, monkeypatch):
    engine = connect(EngineConfig(partitions=3))
    assert engine.partitions == 3
    calls = []
    original = engine.backend.to_pyarrow
    monkeypatch.setattr(
        engine.backend, "to_pyarrow", lambda expr, **kw: calls.append(1) or original(expr, **kw)
    )
    got = rfm_summary(lines, "2025-12-31", engine=engine)
    assert len(calls) == 3  # one pass per partition
    calls.clear()
    rfm_summary(lines, "2025-12-31", engine=engine, partitions=1)
    assert len(calls) == 1
    engine.close()
    pd.testing.assert_frame_equal(
        got, rfm_summary(lines, "2025-12-31"), check_exact=False, rtol=1e-12, atol=1e-9
    )


def test_partitions_below_one_are_refused(lines):
    with pytest.raises(ValueError, match="partitions must be at least 1, not 0"):
        rfm_summary(lines, "2025-12-31", partitions=0)
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        EngineConfig(partitions=0)


@pytest.mark.parametrize("time_unit", ["D", "W"])
def test_grain_orders_on_one_row_per_order(lines, per_order, time_unit):
    by_lines = rfm_summary(lines, "2025-12-31", time_unit=time_unit)
    by_orders = rfm_summary(per_order, "2025-12-31", time_unit=time_unit, grain="orders")
    pd.testing.assert_frame_equal(by_orders, by_lines, check_exact=False, rtol=1e-12, atol=1e-9)
    features = order_features(per_order, "2025Q4", grain="orders")
    pd.testing.assert_frame_equal(features, order_features(lines, "2025Q4"))
    assert (
        features["n_orders"].sum()
        == lines.loc[lines["order_date"] < "2026-01-01", "order_id"].nunique()
    )


def test_grain_orders_counts_rows_as_orders():
    """One order whose two lines fall on two days: one purchase day by lines, two by rows."""
    rows = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a"],
            "order_id": ["1", "1", "2"],
            "order_date": pd.to_datetime(
                ["2025-03-01 23:50", "2025-03-02 00:10", "2025-03-09 12:00"]
            ),
            "amount": [10.0, 4.0, 6.0],
        }
    )
    by_lines = rfm_summary(rows, "2025-03-31").iloc[0]
    by_rows = rfm_summary(rows, "2025-03-31", grain="orders").iloc[0]
    assert (by_lines["frequency"], by_lines["monetary_value"]) == (1.0, 6.0)
    assert (by_rows["frequency"], by_rows["monetary_value"]) == (2.0, 5.0)
    features = order_features(rows, "2025Q1", grain="orders").iloc[0]
    assert (features["n_orders"], features["n_purchase_days"]) == (3, 3)


def test_unknown_grain_is_refused(lines):
    with pytest.raises(ValueError, match=r"grain must be one of \['lines', 'orders'\], not 'line'"):
        rfm_summary(lines, "2025-12-31", grain="line")


def test_repeat_revenue_from_total_minus_first_is_within_rounding():
    """A huge first purchase and fractions afterwards: total - first vs the exact repeat mean.

    The engine sums money in integer micro-units (exact in any order), so the result is the
    mean of the amounts to the micro-unit, without the cancellation of a float total - first.
    """
    rng = np.random.default_rng(3)
    n = 400
    rows = pd.DataFrame(
        {
            "customer_id": np.repeat([f"c{i}" for i in range(40)], n // 40),
            "order_id": [str(i) for i in range(n)],
            "order_date": pd.Timestamp("2025-01-01")
            + pd.to_timedelta(np.tile(np.arange(n // 40), 40), unit="D"),
            "amount": np.where(np.tile(np.arange(n // 40), 40) == 0, 1e7, rng.uniform(0, 1, n)),
        }
    )
    got = rfm_summary(rows, "2025-12-31").set_index("customer_id")["monetary_value"]
    repeat = rows[rows["amount"] < 1e7]
    micro = (repeat["amount"] * 1e6).round()
    exact = (micro.groupby(repeat["customer_id"]).sum() / 1e6 / (n // 40 - 1)).sort_index()
    assert got.index.equals(exact.index)
    assert np.abs(got - exact).max() < 1e-12  # float division of exact sums only
    plain = repeat.groupby("customer_id")["amount"].mean().sort_index()
    assert np.abs(got - plain).max() < 5e-7  # each amount to the micro-unit


def test_partitioned_order_is_the_engines_order_for_any_text():
    """Upper/lower case, accents, CJK and digits sort the same in Arrow (parts) and DuckDB."""
    ids = ["b", "B", "a10", "a9", "é", "e", "客户2", "客户10", "Z", "_x", "10", "9"]
    rows = pd.DataFrame(
        {
            "customer_id": ids * 2,
            "order_id": [str(i) for i in range(2 * len(ids))],
            "order_date": pd.Timestamp("2025-02-01")
            + pd.to_timedelta(np.arange(2 * len(ids)), unit="D"),
            "amount": np.arange(2 * len(ids), dtype=float) + 1,
        }
    )
    one = order_features(rows, "2025Q1", partitions=1)
    for k in (2, 5):
        pd.testing.assert_frame_equal(order_features(rows, "2025Q1", partitions=k), one)
    assert one["customer_id"].tolist() == sorted(ids, key=lambda t: t.encode())
