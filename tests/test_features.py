"""Customer features computed in the engine, checked against independent pandas code.

* ``rfm_summary`` (BG/NBD summary, time units D and W, observation end) against a pandas
  computation written here from the definition, on seeded random frames and on hypothesis
  examples; against ``pymc_marketing.clv.utils.rfm_summary`` where that is installed.
* ``order_features`` survival columns on hand-made customers; period / previous-period /
  365-day sums against pandas on random data.
* The same features from every place the data can live (Parquet file, glob, partitioned
  folder, CSV, DuckDB file, the engine's own database, a SQL database URL).
"""

from __future__ import annotations

import sqlite3

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custops.core.config import EngineConfig, Period
from custops.core.errors import DataError
from custops.features.engine import connect
from custops.features.features import order_features, rfm_summary

EPOCH = pd.Timestamp("1970-01-01")


# ----------------------------------------------------------------------------- data
def random_orders(seed: int, n_orders: int = 600, n_customers: int = 80) -> pd.DataFrame:
    """Order lines: 1-3 lines per order, times of day incl. 23:59, some after 2025-12-31."""
    rng = np.random.default_rng(seed)
    customer = rng.integers(0, n_customers, n_orders)
    day = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 760, n_orders), unit="D")
    when = day + pd.to_timedelta(rng.integers(0, 1440, n_orders), unit="m")
    lines = rng.choice([1, 2, 3], n_orders, p=[0.6, 0.3, 0.1])
    idx = np.repeat(np.arange(n_orders), lines)
    return pd.DataFrame(
        {
            "order_id": [f"{seed}-{i}" for i in idx],
            "customer_id": [f"c{c:03d}" for c in customer[idx]],
            "order_date": when[idx],
            "amount": np.round(rng.lognormal(3.0, 1.0, len(idx)), 2),
        }
    )


def pandas_summary(lines: pd.DataFrame, end: str, time_unit: str) -> pd.DataFrame:
    """BG/NBD summary from its definition, in plain pandas (the independent code path)."""
    end_day = pd.Timestamp(end).normalize()
    lines = lines.assign(day=lines["order_date"].dt.normalize())
    orders = lines.groupby(["customer_id", "order_id"], as_index=False).agg(
        day=("day", "min"), amount=("amount", "sum")
    )
    orders = orders[orders["day"] <= end_day]
    if time_unit == "D":
        orders["period"] = orders["day"]
        step = pd.Timedelta(days=1)
        end_period = end_day
    else:  # weeks Monday..Sunday, dated by their Monday (pandas W-SUN periods)
        orders["period"] = orders["day"].dt.to_period("W").dt.start_time
        step = pd.Timedelta(days=7)
        end_period = end_day.to_period("W").start_time
    periods = orders.groupby(["customer_id", "period"], as_index=False)["amount"].sum()
    rows = []
    for customer, g in periods.groupby("customer_id"):
        g = g.sort_values("period")
        first, last = g["period"].iloc[0], g["period"].iloc[-1]
        repeats = g["amount"].iloc[1:]
        rows.append(
            {
                "customer_id": customer,
                "frequency": float(len(g) - 1),
                "recency": (last - first) / step,
                "T": (end_period - first) / step,
                "monetary_value": float(repeats.mean()) if len(repeats) else 0.0,
            }
        )
    columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    return pd.DataFrame(rows, columns=columns).sort_values("customer_id").reset_index(drop=True)


@pytest.fixture(scope="module")
def engine():
    eng = connect()
    yield eng
    eng.close()


# ----------------------------------------------------------------------------- rfm_summary
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("time_unit", ["D", "W"])
@pytest.mark.parametrize("end", ["2025-09-17", "2025-12-31"])
def test_rfm_summary_equals_pandas_definition(seed, time_unit, end, engine):
    lines = random_orders(seed)
    got = rfm_summary(lines, end, time_unit=time_unit, engine=engine)
    expected = pandas_summary(lines, end, time_unit)
    assert len(got) == len(expected) > 40
    assert got["frequency"].gt(0).mean() > 0.5  # mostly repeat buyers: monetary is exercised
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)


def test_rfm_summary_hand_example_by_week():
    """Mon 2025-01-06 and Sun 2025-01-12 share a week; Mon 2025-01-13 starts the next."""
    lines = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a"],
            "order_id": ["1", "2", "3", "4"],
            "order_date": pd.to_datetime(
                ["2025-01-06 08:00", "2025-01-12 23:59", "2025-01-13 00:01", "2025-02-03 10:00"]
            ),
            "amount": [10.0, 5.0, 7.0, 99.0],
        }
    )
    # observation end Sunday 2025-02-02: the 02-03 order is later and ignored
    got = rfm_summary(lines, "2025-02-02", time_unit="W").iloc[0].to_dict()
    assert got == {
        "customer_id": "a",
        "frequency": 1.0,  # weeks of 01-06 and 01-13
        "recency": 1.0,
        "T": 3.0,  # week of 01-27 minus week of 01-06
        "monetary_value": 7.0,
    }
    by_day = rfm_summary(lines, "2025-02-02", time_unit="D").iloc[0].to_dict()
    assert by_day["frequency"] == 2.0 and by_day["recency"] == 7.0 and by_day["T"] == 27.0
    assert by_day["monetary_value"] == pytest.approx(6.0)


def test_rfm_summary_spend_does_not_depend_on_the_order_of_the_rows():
    """Money is summed exactly (integer micro-units): the same lines in another order give
    the same mean spend to the last bit (float sums of 0.1 + 0.2 + 0.3 depend on the order)."""
    lines = pd.DataFrame(
        {
            "customer_id": ["a"] * 4,
            "order_id": ["1", "2", "3", "4"],
            "order_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-02-01", "2025-02-01"]),
            "amount": [5.0, 0.1, 0.2, 0.3],
        }
    )
    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1  # the float sum that would differ
    forward = rfm_summary(lines, "2025-03-31")
    backward = rfm_summary(lines.iloc[::-1].reset_index(drop=True), "2025-03-31")
    assert forward["monetary_value"].tolist() == backward["monetary_value"].tolist() == [0.6]


def test_rfm_summary_rejects_other_time_units():
    with pytest.raises(ValueError, match=r"time_unit must be one of \['D', 'W'\], not 'M'"):
        rfm_summary(random_orders(1, 10), "2025-12-31", time_unit="M")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.integers(0, 120),  # day offset from 2025-01-01
            st.integers(0, 1439),  # minute of the day
            st.integers(1, 100_000),  # cents
        ),
        min_size=1,
        max_size=25,
    ),
    end_offset=st.integers(0, 130),
    time_unit=st.sampled_from(["D", "W"]),
)
def test_rfm_summary_property(rows, end_offset, time_unit, engine):
    lines = pd.DataFrame(rows, columns=["customer_id", "day", "minute", "cents"])
    lines["order_id"] = [str(i) for i in range(len(lines))]
    lines["order_date"] = (
        pd.Timestamp("2025-01-01")
        + pd.to_timedelta(lines["day"], unit="D")
        + pd.to_timedelta(lines["minute"], unit="m")
    )
    lines["amount"] = lines["cents"] / 100
    end = str((pd.Timestamp("2025-01-01") + pd.Timedelta(days=end_offset)).date())
    expected = pandas_summary(lines, end, time_unit)
    got = rfm_summary(lines, end, time_unit=time_unit, engine=engine)
    if expected.empty:
        assert got.empty
        return
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize(
    ("time_unit", "end"),
    # pymc-marketing keeps the whole week that contains the observation end, so by week we
    # compare with ends on a Sunday (where the two agree by definition)
    [("D", "2025-09-17"), ("D", "2025-12-31"), ("W", "2025-09-21"), ("W", "2025-12-28")],
)
def test_rfm_summary_equals_pymc_marketing(time_unit, end, engine):
    utils = pytest.importorskip(
        "pymc_marketing.clv.utils", reason="pymc-marketing not installed (not a dependency)"
    )
    lines = random_orders(5)
    # pymc-marketing sums rows, not orders: give it one row per order, dated by the order
    orders = lines.groupby(["customer_id", "order_id"], as_index=False).agg(
        order_date=("order_date", "min"), amount=("amount", "sum")
    )
    theirs = utils.rfm_summary(
        orders,
        customer_id_col="customer_id",
        datetime_col="order_date",
        monetary_value_col="amount",
        observation_period_end=end,
        time_unit=time_unit,
    )
    theirs = theirs.sort_values("customer_id").reset_index(drop=True)
    ours = rfm_summary(lines, end, time_unit=time_unit, engine=engine)
    pd.testing.assert_frame_equal(
        ours, theirs[ours.columns.tolist()], check_exact=False, rtol=1e-12
    )


# ----------------------------------------------------------------------------- order_features
def _lines(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]).assign(
        order_date=lambda d: pd.to_datetime(d["order_date"])
    )


def test_survival_columns_on_hand_made_customers():
    """Period 2025Q4 ends E = 2025-12-31; churn window W = 90 days."""
    lines = _lines(
        [
            # churned: last purchase 2025-08-01, E - last = 152 > 90 -> churn dated 2025-10-30
            ("churn", "1", "2025-03-01 09:00", 10.0),
            ("churn", "2", "2025-08-01 23:59", 20.0),
            # exactly W days quiet (E - last = 90): not churned, censored at E
            ("edge", "3", "2025-06-01 12:00", 5.0),
            ("edge", "4", "2025-10-02 12:00", 5.0),
            # 91 days quiet: churned at last + 90
            ("edge91", "5", "2025-10-01 00:00", 5.0),
            # active: censored at E, later purchase (2026) ignored
            ("active", "6", "2025-12-31 23:59", 8.0),
            ("active", "7", "2026-01-02 10:00", 1000.0),
            # one order of two lines counts once
            ("lines", "8", "2025-11-15 10:00", 3.0),
            ("lines", "8", "2025-11-15 10:00", 4.0),
        ]
    )
    f = order_features(lines, "2025Q4", inactivity_days=90).set_index("customer_id")
    day = pd.Timestamp
    assert f.loc["churn", "event"] == 1
    assert (
        f.loc["churn", "duration_days"]
        == (day("2025-08-01") + pd.Timedelta(days=90) - day("2025-03-01")).days
    )
    assert f.loc["churn", "recency_days"] == 152
    assert f.loc["edge", "recency_days"] == 90 and f.loc["edge", "event"] == 0
    assert f.loc["edge", "duration_days"] == (day("2025-12-31") - day("2025-06-01")).days
    assert f.loc["edge91", "event"] == 1 and f.loc["edge91", "duration_days"] == 90
    assert f.loc["active", "event"] == 0 and f.loc["active", "duration_days"] == 0
    assert f.loc["active", "n_orders"] == 1 and f.loc["active", "revenue_total"] == 8.0
    assert f.loc["lines", "n_orders"] == 1 and f.loc["lines", "revenue_period"] == 7.0
    assert f.loc["lines", "tenure_days"] == 46
    assert f.loc["churn", "first_purchase"] == day("2025-03-01")
    assert f.loc["churn", "last_purchase"] == day("2025-08-01")


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("period", ["2025Q2", "2025Q4", "2025-09"])
def test_period_sums_equal_pandas(seed, period, engine):
    lines = random_orders(seed, n_orders=900)
    p = Period.parse(period)
    got = order_features(lines, p, inactivity_days=120, engine=engine).set_index("customer_id")

    day = lines["order_date"].dt.normalize()
    orders = (
        lines.assign(day=day)
        .groupby(["customer_id", "order_id"], as_index=False)
        .agg(day=("day", "min"), amount=("amount", "sum"))
    )
    end = pd.Timestamp(p.end)
    orders = orders[orders["day"] <= end]

    def window(start, stop):
        inside = orders[
            (orders["day"] >= pd.Timestamp(start)) & (orders["day"] <= pd.Timestamp(stop))
        ]
        g = inside.groupby("customer_id")["amount"]
        return g.size(), g.sum()

    n_p, r_p = window(p.start, p.end)
    prev = p.previous()
    n_q, r_q = window(prev.start, prev.end)
    n_y, r_y = window(end - pd.Timedelta(days=364), end)
    g = orders.groupby("customer_id")
    assert sorted(got.index) == sorted(g.groups)
    ids = got.index
    for column, series in [
        ("n_orders_period", n_p),
        ("revenue_period", r_p),
        ("n_orders_prev", n_q),
        ("revenue_prev", r_q),
        ("orders_365d", n_y),
        ("revenue_365d", r_y),
        ("n_orders", g.size()),
        ("revenue_total", g["amount"].sum()),
        ("n_purchase_days", g["day"].nunique()),
    ]:
        expected = series.reindex(ids, fill_value=0).astype(float).to_numpy()
        np.testing.assert_allclose(
            got[column].astype(float).to_numpy(), expected, rtol=1e-12, err_msg=column
        )
    assert got["n_orders_period"].sum() > 0 and got["n_orders_prev"].sum() > 0
    last = g["day"].max().reindex(ids)
    first = g["day"].min().reindex(ids)
    churned = (end - last).dt.days > 120
    duration = np.where(
        churned, (last + pd.Timedelta(days=120) - first).dt.days, (end - first).dt.days
    )
    np.testing.assert_array_equal(got["event"].to_numpy(), churned.astype(int).to_numpy())
    np.testing.assert_array_equal(got["duration_days"].to_numpy(), duration)


# ----------------------------------------------------------------------------- sources
@pytest.fixture(scope="module")
def source_files(tmp_path_factory):
    lines = random_orders(21, n_orders=500)
    folder = tmp_path_factory.mktemp("sources")
    lines.to_parquet(folder / "orders.parquet")
    parts = folder / "parts"
    lines.assign(year=lines["order_date"].dt.year, month=lines["order_date"].dt.month).to_parquet(
        parts, partition_cols=["year", "month"]
    )
    lines.to_csv(folder / "orders.csv", index=False)
    con = duckdb.connect(str(folder / "warehouse.duckdb"))
    con.register("lines", lines)
    con.execute("CREATE TABLE orders AS SELECT * FROM lines")
    con.close()
    db = sqlite3.connect(folder / "shop.sqlite")
    lines.to_sql("orders", db, index=False)
    db.close()
    return lines, folder


def test_features_from_files_are_those_from_memory(source_files):
    lines, folder = source_files
    expected = order_features(lines, "2025Q4")
    engine = connect()
    for source in [
        folder / "orders.parquet",
        folder / "parts",  # hive-partitioned folder
        f"{folder}/parts/**/*.parquet",  # glob
        f"{folder}/parts/year=2025/*/*.parquet",  # part of it: only 2025 purchases
        folder / "orders.csv",
        folder / "warehouse.duckdb",  # attached read-only, table "orders"
    ]:
        got = order_features(source, "2025Q4", engine=engine)
        if "year=2025" in str(source):
            only_2025 = lines[lines["order_date"].dt.year == 2025]
            pd.testing.assert_frame_equal(got, order_features(only_2025, "2025Q4"))
            continue
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, obj=str(source))
    engine.close()


def test_features_from_a_database_table(source_files):
    lines, folder = source_files
    expected = rfm_summary(lines, "2025-12-31", time_unit="W")
    on_disk = connect(EngineConfig(database=str(folder / "warehouse.duckdb")))
    pd.testing.assert_frame_equal(
        rfm_summary("orders", "2025-12-31", time_unit="W", engine=on_disk), expected
    )
    on_disk.close()
    # a SQL database by URL: the features run inside it (SQLite here; Postgres alike)
    sql = connect(EngineConfig(database=f"sqlite:///{folder / 'shop.sqlite'}"))
    assert sql.name == "sqlite"
    pd.testing.assert_frame_equal(
        rfm_summary("orders", "2025-12-31", time_unit="W", engine=sql), expected
    )
    pd.testing.assert_frame_equal(
        order_features("orders", "2025Q4", engine=sql), order_features(lines, "2025Q4")
    )


def test_missing_table_names_the_tables_that_exist(source_files):
    _, folder = source_files
    engine = connect()
    with pytest.raises(DataError, match="has no table 'customers'") as info:
        engine.table("customers", folder / "warehouse.duckdb")
    assert "tables: orders" in str(info.value)
    engine.close()
    with pytest.raises(DataError, match="no such table") as info:
        connect(EngineConfig(database=str(folder / "warehouse.duckdb"))).table("x", "orderz")
    assert "orders" in str(info.value)
