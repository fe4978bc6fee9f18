"""The same feature expressions on Spark (local mode) and DuckDB give the same customer tables.

Needs pyspark and Java; skipped with the reason otherwise. One SparkSession serves the whole
test session (and the whole xdist worker: the tests share the ``spark`` group).
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest

from custops.core.errors import DataError
from custops.features.engine import connect
from custops.features.features import order_features, rfm_summary

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]


def _java_missing() -> bool:
    home = os.environ.get("JAVA_HOME")
    return not (
        (home and os.path.exists(os.path.join(home, "bin", "java"))) or shutil.which("java")
    )


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'custops[spark]')")
    if _java_missing():
        pytest.skip("no Java runtime on PATH or JAVA_HOME (Spark needs Java 17)")
    from custops.features.engine import start_spark

    session = start_spark("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_engine(spark):
    return connect(spark_session=spark)


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """Seeded order lines: multi-line orders, purchases near midnight and after the period."""
    rng = np.random.default_rng(8)
    n_orders = 1200
    customer = rng.integers(0, 150, n_orders)
    day = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 700, n_orders), unit="D")
    minute = rng.choice([5, 600, 1435, 1439], n_orders)  # 00:05, 10:00, 23:55, 23:59
    when = day + pd.to_timedelta(minute, unit="m")
    lines = rng.choice([1, 2, 3], n_orders, p=[0.6, 0.3, 0.1])
    idx = np.repeat(np.arange(n_orders), lines)
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in idx],
            "customer_id": [f"c{c:03d}" for c in customer[idx]],
            "order_date": when[idx],
            "amount": np.round(rng.lognormal(3.5, 0.7, len(idx)), 2),
        }
    )


def test_order_features_equal_on_spark_and_duckdb(orders, spark_engine):
    duck = order_features(orders, "2025Q4", inactivity_days=90)
    spark = order_features(orders, "2025Q4", inactivity_days=90, engine=spark_engine)
    buyers = orders.loc[orders["order_date"] < "2026-01-01", "customer_id"].nunique()
    assert len(duck) == buyers
    assert duck["event"].between(0, 1).all() and duck["event"].sum() > 0
    pd.testing.assert_frame_equal(duck, spark, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize(("time_unit", "end"), [("D", "2025-11-30"), ("W", "2025-12-31")])
def test_rfm_summary_equal_on_spark_and_duckdb(orders, spark_engine, time_unit, end):
    duck = rfm_summary(orders, end, time_unit=time_unit)
    spark = rfm_summary(orders, end, time_unit=time_unit, engine=spark_engine)
    assert (duck["frequency"] > 0).mean() > 0.5
    pd.testing.assert_frame_equal(duck, spark, check_exact=False, rtol=1e-12)


def test_spark_days_do_not_depend_on_the_session_time_zone(orders, spark, spark_engine):
    """A user's session in Asia/Shanghai: 23:59 purchases stay on their calendar day."""
    duck = order_features(orders, "2025Q4")
    previous = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "Asia/Shanghai")
    try:
        shifted = order_features(orders, "2025Q4", engine=spark_engine)
    finally:
        spark.conf.set("spark.sql.session.timeZone", previous)
    pd.testing.assert_frame_equal(duck, shifted, check_exact=False, rtol=1e-12)


def test_spark_reads_a_partitioned_parquet_folder(orders, spark_engine, tmp_path):
    folder = tmp_path / "orders"
    frame = orders.assign(year=orders["order_date"].dt.year)
    frame.to_parquet(
        folder, partition_cols=["year"], coerce_timestamps="us", allow_truncated_timestamps=True
    )
    duck = order_features(orders, "2025Q4")
    pd.testing.assert_frame_equal(
        duck,
        order_features(str(folder), "2025Q4", engine=spark_engine),
        check_exact=False,
        rtol=1e-12,
    )


def test_spark_reads_a_catalog_table_by_name(orders, spark, spark_engine):
    spark.createDataFrame(orders).createOrReplaceTempView("custops_test_orders")
    duck = rfm_summary(orders, "2025-12-31")
    by_name = rfm_summary("custops_test_orders", "2025-12-31", engine=spark_engine)
    pd.testing.assert_frame_equal(duck, by_name, check_exact=False, rtol=1e-12)


def test_nanosecond_parquet_is_refused_with_the_fix(orders, spark_engine, tmp_path):
    path = tmp_path / "ns.parquet"
    orders.to_parquet(path)  # pandas writes nanoseconds by default
    with pytest.raises(DataError, match="nanosecond timestamps") as info:
        spark_engine.table("orders", str(path))
    assert "coerce_timestamps='us'" in str(info.value)
