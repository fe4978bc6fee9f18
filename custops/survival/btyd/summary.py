"""The calibration summary and the holdout counts the BTYD models are fitted and checked on.

Purchases are counted per customer-day (several orders of one customer on one day are one
transaction, the convention of Fader, Hardie & Lee's CDNOW analyses). ``recency`` and ``T``
are in continuous units of ``time_unit_days`` days (weeks by default: 272 days = 38.86).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from custops.core.index import OrderHeads
from custops.features.engine import Engine
from custops.features.features import rfm_summary

__all__ = [
    "btyd_summary",
    "summary_from_heads",
    "PurchaseDays",
    "fit_sample",
    "holdout_counts",
    "holdout_days",
]


def fit_sample(
    summary: pd.DataFrame, max_customers: int | None, random_state: int | None = None
) -> pd.DataFrame:
    """The customers a model is fitted on: all of them, or a seeded random sample.

    Above ``max_customers`` rows the purchase-count models are fitted on a simple random
    sample of that many customers (rows kept in their order); predictions are still made for
    every customer. The parameters' intervals then reflect the sample size.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": list("abcdef"), "frequency": range(6)})
    >>> len(fit_sample(s, 4, random_state=1)), fit_sample(s, None) is s
    (4, True)
    >>> fit_sample(s, 4, random_state=1).equals(fit_sample(s, 4, random_state=1))
    True
    """
    if max_customers is None or len(summary) <= max_customers:
        return summary
    rng = np.random.default_rng(random_state)
    rows = np.sort(rng.choice(len(summary), size=max_customers, replace=False))
    return summary.iloc[rows]


def btyd_summary(
    orders: pd.DataFrame | str,
    calibration_end: date | str | pd.Timestamp,
    *,
    time_unit_days: float = 7.0,
    grain: str = "lines",
    engine: Engine | None = None,
) -> pd.DataFrame:
    """``frequency, recency, T, monetary_value`` per customer at ``calibration_end``.

    :func:`custops.features.features.rfm_summary` on purchase days (``time_unit="D"``), with
    ``recency`` and ``T`` divided by ``time_unit_days``. ``frequency`` = distinct purchase
    days - 1; ``monetary_value`` = mean revenue of the repeat purchase days (0 without).

    Parameters
    ----------
    orders : DataFrame or str
        Clean order lines (``customer_id, order_id, order_date, amount``) or a Parquet path.
    calibration_end : date-like
        Last calibration day (inclusive); later purchases are ignored.
    time_unit_days : float
        Days per time unit (7: weeks).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["1997-01-01", "1997-01-31", "1997-02-01"]),
    ...     "amount": [10.0, 20.0, 5.0]})
    >>> btyd_summary(o, "1997-09-30").round(2).to_dict("records")[0]
    {'customer_id': 'a', 'frequency': 1.0, 'recency': 4.29, 'T': 38.86, 'monetary_value': 20.0}
    """
    if not time_unit_days > 0:
        raise ValueError(f"time_unit_days must be > 0, not {time_unit_days}")
    out = rfm_summary(orders, calibration_end, time_unit="D", grain=grain, engine=engine)
    out["recency"] = out["recency"] / time_unit_days
    out["T"] = out["T"] / time_unit_days
    # the engine sums in parallel, so the last bits of a mean differ between runs: money to
    # the micro-unit makes the models' input, and so every fit, the same from the same data
    out["monetary_value"] = out["monetary_value"].round(6)
    return out


@dataclass(frozen=True)
class PurchaseDays:
    """Distinct (customer, day) purchases with their revenue, from the orders' heads.

    Sorted by customer code, then day. Built once from the heads (one hash aggregation of the
    orders), it gives the BTYD summary at any end up to the one it was built with
    (:meth:`summary`) without another pass over the orders.

    Attributes
    ----------
    code, day : ndarray of int64
        Customer code (index into ``labels``) and day since 1970-01-01.
    revenue : ndarray of float
        The day's order amounts summed.
    labels : ndarray
        Customer ids of the codes.
    """

    code: np.ndarray
    day: np.ndarray
    revenue: np.ndarray
    labels: np.ndarray

    @classmethod
    def from_heads(
        cls, heads: OrderHeads, end: date | str | pd.Timestamp | None = None
    ) -> PurchaseDays:
        """The purchase days of the orders' heads (up to the day ``end`` when given)."""
        per_day = np.timedelta64(1, "D") // np.timedelta64(1, heads.unit)
        day = heads.ts // per_day  # floor: days since 1970-01-01, also before 1970
        keep = heads.code >= 0
        if end is not None:
            keep &= day <= _epoch_day(end)
        code, day, amount = heads.code[keep], day[keep], heads.amount[keep]
        if len(code) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, empty, np.zeros(0), heads.labels)
        first = int(day.min())
        span = int(day.max()) - first + 1
        key = code * span + (day - first)  # customer-major, day-minor: sorted keys sort both
        revenue = pd.Series(amount).groupby(key, sort=True).sum()
        keys = revenue.index.to_numpy(dtype=np.int64)
        return cls(keys // span, keys % span + first, revenue.to_numpy(float), heads.labels)

    def summary(
        self, end: date | str | pd.Timestamp, *, time_unit_days: float = 7.0
    ) -> pd.DataFrame:
        """:func:`btyd_summary` at the day ``end`` (at most the end the days were built with).

        Examples
        --------
        >>> from custops.core.index import OrderIndex
        >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
        ...     "order_date": pd.to_datetime(["1997-01-01", "1997-01-31", "1997-02-01"]),
        ...     "amount": [10.0, 20.0, 5.0]})
        >>> days = PurchaseDays.from_heads(OrderIndex.from_orders(o).heads)
        >>> days.summary("1997-09-30").round(2).to_dict("records")[0]
        {'customer_id': 'a', 'frequency': 1.0, 'recency': 4.29, 'T': 38.86, 'monetary_value': 20.0}
        >>> days.summary("1997-01-15")["frequency"].tolist()
        [0.0]
        """
        if not time_unit_days > 0:
            raise ValueError(f"time_unit_days must be > 0, not {time_unit_days}")
        end_day = _epoch_day(end)
        keep = self.day <= end_day
        code, day, revenue = self.code[keep], self.day[keep], self.revenue[keep]
        new_customer = np.ones(len(code), dtype=bool)
        new_customer[1:] = code[1:] != code[:-1]
        first = np.flatnonzero(new_customer)
        last = np.append(first[1:], len(code)) - 1
        n_days = np.diff(np.append(first, len(code)))
        total = np.add.reduceat(revenue, first) if len(first) else np.zeros(0)
        repeat = n_days > 1
        monetary = np.zeros(len(first))
        monetary[repeat] = (total[repeat] - revenue[first][repeat]) / (n_days[repeat] - 1)
        return pd.DataFrame(
            {
                "customer_id": self.labels[code[first]],
                "frequency": (n_days - 1).astype(float),
                "recency": (day[last] - day[first]).astype(float) / time_unit_days,
                "T": (end_day - day[first]).astype(float) / time_unit_days,
                "monetary_value": np.round(monetary, 6),
            }
        )


def _epoch_day(when: date | str | pd.Timestamp) -> int:
    return int(np.datetime64(pd.Timestamp(when).date(), "D").astype(np.int64))


def summary_from_heads(
    heads: OrderHeads,
    calibration_end: date | str | pd.Timestamp,
    *,
    time_unit_days: float = 7.0,
) -> pd.DataFrame:
    """:func:`btyd_summary` from the orders' heads (one row per order), with numpy.

    The same summary without the engine, for an orders table with one row per order
    (:attr:`custops.core.index.OrderIndex.one_row_per_order`): there an order's day and amount
    are its row's, so nothing depends on how lines are grouped. For several ends of the same
    orders build :class:`PurchaseDays` once.

    Examples
    --------
    >>> from custops.core.index import OrderIndex
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["1997-01-01", "1997-01-31", "1997-02-01"]),
    ...     "amount": [10.0, 20.0, 5.0]})
    >>> summary_from_heads(OrderIndex.from_orders(o).heads, "1997-09-30").round(2).to_dict("records")[0]
    {'customer_id': 'a', 'frequency': 1.0, 'recency': 4.29, 'T': 38.86, 'monetary_value': 20.0}
    """
    days = PurchaseDays.from_heads(heads, calibration_end)
    return days.summary(calibration_end, time_unit_days=time_unit_days)


def holdout_days(
    orders: pd.DataFrame, start: date | str | pd.Timestamp, end: date | str | pd.Timestamp
) -> pd.DataFrame:
    """Distinct ``(customer_id, day)`` purchases with ``start <= day <= end`` (pandas)."""
    day = pd.to_datetime(orders["order_date"]).dt.normalize()
    keep = (day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))
    return (
        pd.DataFrame(
            {"customer_id": orders.loc[keep, "customer_id"].to_numpy(), "day": day[keep].to_numpy()}
        )
        .drop_duplicates()
        .reset_index(drop=True)
    )


def holdout_counts(
    orders: pd.DataFrame,
    customers: pd.Series,
    calibration_end: date | str | pd.Timestamp,
    holdout_end: date | str | pd.Timestamp,
) -> np.ndarray:
    """Purchase days of each of ``customers`` in ``(calibration_end, holdout_end]``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "order_date": pd.to_datetime(["1997-01-01", "1997-10-02", "1997-10-02", "1998-07-01"])})
    >>> holdout_counts(o, pd.Series(["a", "b"]), "1997-09-30", "1998-06-30").tolist()
    [1, 0]
    """
    start = pd.Timestamp(calibration_end) + pd.Timedelta(days=1)
    days = holdout_days(orders, start, holdout_end)
    counts = days["customer_id"].value_counts()
    return customers.map(counts).fillna(0).to_numpy(dtype=np.int64)
