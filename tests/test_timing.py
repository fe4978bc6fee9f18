"""custops.features.timing at scale: the one-line-per-order path of order_heads against the groupby."""

from __future__ import annotations

import numpy as np
import pandas as pd


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


def _old_weekday_hour(orders, start, end, min_n):
    """The pandas implementation before the integer-key rewrite (heads of every order, then
    the window; two-key groupby; per-hour groupby for the Kruskal-Wallis test)."""
    from scipy import stats

    from custops.features.timing import _weekday_counts, order_heads, time_resolution

    heads = order_heads(orders)
    heads = heads[(heads["order_ts"] >= start) & (heads["order_ts"] < end)]
    resolution, share = time_resolution(heads["order_ts"])
    n_orders = len(heads)
    if resolution in ("date_only", "empty"):
        return resolution, n_orders, None, None, None
    untimed = heads["order_ts"] == heads["order_ts"].dt.normalize()
    if resolution == "mixed":
        heads = heads[~untimed]
    n_untimed = int(untimed.sum()) if resolution == "mixed" else 0
    ts = heads["order_ts"]
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    amount = heads["amount"].astype(float)
    g = amount.groupby([ts.dt.weekday.rename("weekday"), ts.dt.hour.rename("hour")])
    table = pd.DataFrame(
        {"orders": g.size(), "revenue": g.sum(), "aov": g.mean(), "sd": g.std(ddof=1)}
    ).reindex(grid)
    table["orders"] = table["orders"].fillna(0).astype(int)
    table["revenue"] = table["revenue"].fillna(0.0)
    table = table.reset_index()
    table["days"] = _weekday_counts(start, end)[table["weekday"].to_numpy()]
    table["orders_per_day"] = table["orders"] / table["days"]
    n = table["orders"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = stats.t.ppf(0.975, np.maximum(n - 1, 1))
        half = np.where(n >= 2, tq * table["sd"].to_numpy() / np.sqrt(n), np.nan)
    table["aov_ci_low"] = table["aov"] - half
    table["aov_ci_high"] = table["aov"] + half
    table["small"] = table["orders"] < min_n
    table = table[
        [
            "weekday",
            "hour",
            "orders",
            "days",
            "orders_per_day",
            "revenue",
            "aov",
            "aov_ci_low",
            "aov_ci_high",
            "small",
        ]
    ]
    hours = heads.assign(hour=ts.dt.hour)
    big = hours.groupby("hour")["amount"].transform("size") >= min_n
    groups = [v.to_numpy(dtype=float) for _, v in hours[big].groupby("hour")["amount"]]
    test = {"hours": float(len(groups))}
    if len(groups) >= 2:
        h, p = stats.kruskal(*groups)
        test.update(statistic=float(h), p_value=float(p))
    return resolution, n_orders, n_untimed, table, test


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
    resolution, n_orders, n_untimed, table, test = _old_weekday_hour(orders, start, end, min_n)
    got = weekday_hour_table(orders, period, window=window, min_n=min_n)
    assert (got.resolution, got.n_orders) == (resolution, n_orders)
    if table is None:
        assert got.table.empty
        return got
    assert got.n_untimed == n_untimed
    pd.testing.assert_frame_equal(got.table, table)  # bit for bit, dtypes too
    assert got.hour_test == test
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
