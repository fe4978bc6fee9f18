"""custops.features.timing: order heads against the groupby, the weekday x hour table against
its definition written here order by order."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest


def test_order_heads_one_line_per_order_matches_the_groupby():
    from custops.features.timing import order_heads

    rng = np.random.default_rng(3)
    n = 500
    lines = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in rng.permutation(n)],
            "customer_id": [f"C{i % 40}" for i in range(n)],
            "order_date": pd.Timestamp("2025-10-01")
            + pd.to_timedelta(rng.integers(0, 10**6, n), "s"),
            "amount": rng.gamma(2.0, 50.0, n),
        }
    )
    lines.loc[7, "amount"] = np.nan
    want = (
        lines.groupby("order_id", sort=True)
        .agg(
            customer_id=("customer_id", "first"),
            order_ts=("order_date", "min"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )
    got = order_heads(lines)  # unique order ids: the sort path
    pd.testing.assert_frame_equal(got, want)
    assert got["amount"].isna().sum() == 0


def _reference_weekday_hour(orders, start, end, min_n):
    """The weekday x hour table from its definition, order by order in plain Python.

    An order is its id's lines that have a date: the earliest line's time, the lines' amounts
    summed (missing = 0). Orders in ``[start, end)`` only. Resolution: the share of them at
    exactly midnight (>= 98%: date only, > 10%: mixed, the midnight ones left out). Per
    weekday and hour: orders, revenue, mean order value with its t interval (two or more
    orders), the number of such weekdays in the window; the Kruskal-Wallis test of the order
    values over the hours with at least ``min_n`` orders (scipy).
    """
    from scipy import stats

    heads: dict = {}
    for oid, when, amount in zip(
        orders["order_id"], orders["order_date"], orders["amount"], strict=True
    ):
        if oid is None or (isinstance(oid, float) and math.isnan(oid)) or pd.isna(when):
            continue
        t, a = heads.get(oid, (when, 0.0))
        heads[oid] = (min(t, when), a + (0.0 if pd.isna(amount) else float(amount)))
    window = [(t, a) for t, a in heads.values() if start <= t < end]
    if not window:
        return "empty", 0, None, None, None
    midnight = [t == t.normalize() for t, _ in window]
    share = sum(midnight) / len(window)
    resolution = "date_only" if share >= 0.98 else "mixed" if share > 0.10 else "time"
    if resolution == "date_only":
        return resolution, len(window), None, None, None
    n_untimed = sum(midnight) if resolution == "mixed" else 0
    timed = [h for h, m in zip(window, midnight, strict=True) if not (resolution == "mixed" and m)]
    cells: dict = {}
    for t, a in timed:
        cells.setdefault((t.weekday(), t.hour), []).append(a)
    days = [0] * 7
    day = start
    while day < end:
        days[day.weekday()] += 1
        day += pd.Timedelta(days=1)
    rows = []
    for weekday in range(7):
        for hour in range(24):
            values = cells.get((weekday, hour), [])
            n = len(values)
            mean = sum(values) / n if n else math.nan
            if n >= 2:
                sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
                half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
            else:
                half = math.nan
            rows.append(
                {
                    "weekday": weekday,
                    "hour": hour,
                    "orders": n,
                    "days": days[weekday],
                    "orders_per_day": n / days[weekday],
                    "revenue": sum(values),
                    "aov": mean,
                    "aov_ci_low": mean - half,
                    "aov_ci_high": mean + half,
                    "small": n < min_n,
                }
            )
    by_hour: dict = {}
    for t, a in timed:
        by_hour.setdefault(t.hour, []).append(a)
    groups = [v for _, v in sorted(by_hour.items()) if len(v) >= min_n]
    test = {"hours": float(len(groups))}
    if len(groups) >= 2:
        h, p = stats.kruskal(*groups)
        test.update(statistic=float(h), p_value=float(p))
    return resolution, len(window), n_untimed, pd.DataFrame(rows), test


def _random_orders(n, seed, *, lines=False, midnight=0.0):
    rng = np.random.default_rng(seed)
    stamps = pd.Timestamp("2024-09-01") + pd.to_timedelta(rng.integers(0, 500 * 86400, n), "s")
    stamps = pd.Series(stamps)
    if midnight:
        at = rng.random(n) < midnight
        stamps[at] = stamps[at].dt.normalize()
    ids = [f"O{i:06d}" for i in rng.permutation(n)]
    if lines:  # about a third of the orders get a second line, later and at another amount
        ids = [ids[i // 3 * 3] if i % 3 == 1 else ids[i] for i in range(n)]
    return pd.DataFrame(
        {
            "order_id": ids,
            "customer_id": [f"C{i % 97}" for i in range(n)],
            "order_date": stamps,
            "amount": rng.gamma(2.0, 50.0, n).round(2),
        }
    )


def _compare(orders, period="2025Q4", window="year", min_n=5):
    from custops.core.config import Period
    from custops.features.timing import _window, weekday_hour_table

    start, end = _window(Period.parse(period), window)
    resolution, n_orders, n_untimed, table, test = _reference_weekday_hour(
        orders, start, end, min_n
    )
    got = weekday_hour_table(orders, period, window=window, min_n=min_n)
    assert (got.resolution, got.n_orders) == (resolution, n_orders)
    if table is None:
        assert got.table.empty
        return got
    assert got.n_untimed == n_untimed
    assert list(got.table.columns) == list(table.columns)
    for column in table:
        np.testing.assert_allclose(
            got.table[column].to_numpy(dtype=float),
            table[column].to_numpy(dtype=float),
            rtol=1e-9,
            err_msg=column,
        )
    assert got.table["orders"].dtype == np.int64 and got.table["small"].dtype == bool
    assert got.hour_test.keys() == test.keys()
    for key, value in test.items():
        assert got.hour_test[key] == pytest.approx(value, rel=1e-9), key
    return got


def test_weekday_hour_table_equals_the_two_key_groupby():
    import pyarrow  # noqa: F401  (string[pyarrow] ids below)

    orders = _random_orders(6000, 1)
    orders.loc[[3, 9], "amount"] = np.nan
    orders.loc[[11], "order_date"] = pd.NaT
    got = _compare(orders)
    assert got.resolution == "time" and got.table["orders"].sum() > 1000
    _compare(orders, window="period", min_n=30)
    _compare(orders.assign(order_id=orders["order_id"].astype("string[pyarrow]")))
    _compare(orders.assign(order_id=np.arange(len(orders))[::-1]))  # integer ids
    # ties: two orders at the same second in the same cell
    tied = orders.copy()
    tied.loc[5, "order_date"] = tied.loc[6, "order_date"]
    _compare(tied)


def test_weekday_hour_table_lines_missing_ids_mixed_and_empty():
    lines = _random_orders(3000, 2, lines=True)
    assert lines["order_id"].duplicated().any()
    _compare(lines)
    missing = _random_orders(3000, 3)
    missing.loc[[1, 2], "order_id"] = None
    _compare(missing)
    mixed = _compare(_random_orders(3000, 4, midnight=0.3))
    assert mixed.resolution == "mixed" and mixed.n_untimed > 0
    only_dates = _random_orders(500, 5, midnight=1.0)
    assert _compare(only_dates).resolution == "date_only"
    assert _compare(_random_orders(50, 6).iloc[:0]).resolution == "empty"


def test_weekday_hour_table_keeps_the_time_unit_dtypes():
    orders = _random_orders(2000, 7)
    for unit in ("s", "us", "ns"):
        _compare(orders.assign(order_date=orders["order_date"].astype(f"datetime64[{unit}]")))


def test_weekday_hour_table_with_empty_cells():
    orders = _random_orders(3000, 8)
    night = orders["order_date"].dt.hour.between(1, 5)
    got = _compare(orders[~night])  # no orders at night: the grid's int64 cell columns
    assert (got.table.loc[got.table["hour"].between(1, 5), "orders"] == 0).all()
    assert got.table["weekday"].dtype == np.int64
