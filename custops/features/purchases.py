"""Purchase columns of the customer view straight from the order lines, on integer codes.

Notebook 02 needs, for the period before the report period, only what the segments read:
first purchase, recency, order count, total and 12-month revenue. :func:`purchase_view`
computes exactly these columns of :func:`custops.features.features.customer_features` with numpy on
customer codes (no engine pass, no service, survey or touch joins), and
:func:`code_days` gives the distinct (customer, purchase day) pairs the reactivated stage
reads. All of them read the :class:`~custops.core.index.OrderIndex` of the orders table
(``index=``), so the current and the previous period share one factorisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custops.core.config import Period
from custops.core.index import OrderIndex, ids_one_per_row, order_index_of

__all__ = [
    "OrderIndex",
    "order_index",
    "code_days",
    "order_ids_unique",
    "purchase_view",
    "ORDER_COLUMNS",
    "PURCHASE_COLUMNS",
]

#: columns of :func:`purchase_view` (as in :func:`custops.features.features.customer_features`)
PURCHASE_COLUMNS = (
    "customer_id",
    "first_purchase",
    "recency_days",
    "n_orders",
    "revenue_total",
    "revenue_365d",
)
#: the order columns notebook 02 reads (segments, migration, weekday × hour)
ORDER_COLUMNS = ("order_id", "customer_id", "order_date", "amount")
_NAT = np.iinfo(np.int64).min


def order_index(orders: pd.DataFrame) -> OrderIndex:
    """The :class:`~custops.core.index.OrderIndex` of ``orders`` (customer codes and days).

    Build it once per orders table and pass it (``index=``) to the functions reading the table.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["b", "a", None],
    ...     "order_date": pd.to_datetime(["1970-01-02 10:00", "1970-01-03 00:00", None])})
    >>> ix = order_index(o)
    >>> ix.codes.tolist(), ix.labels.tolist(), ix.day[:2].tolist()
    ([1, 0, -1], ['a', 'b'], [1, 2])
    """
    return OrderIndex.from_orders(orders)


def code_days(
    orders: pd.DataFrame, index: OrderIndex | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (customer code, day) pairs of the rows with a customer and a date.

    Sorted by code then day, ``day`` as datetime64[D]; codes index the index's ``labels``.
    Filtering the pairs by day gives the pairs of the rows before that day.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["b", "a", "b", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-02 00:00", "2025-01-05 00:00", "2025-01-02 13:00", None])})
    >>> c, d = code_days(o)
    >>> c.tolist(), d.astype(str).tolist()
    ([0, 1], ['2025-01-05', '2025-01-02'])
    """
    return order_index_of(orders, index).code_days


def order_ids_unique(orders: pd.DataFrame, index: OrderIndex | None = None) -> bool:
    """Whether every row has an order id and no id repeats (one row per order).

    Exact (see :func:`~custops.core.index.ids_one_per_row`); that of ``index`` when given.

    Examples
    --------
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", "2"]}))
    True
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", "1"]}))
    False
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", None]}))
    False
    """
    if index is None:
        return ids_one_per_row(orders["order_id"])
    return index.check(orders).one_row_per_order


def purchase_view(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    period: Period | str,
    *,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """The purchase columns of the customer view of ``period`` (see :data:`PURCHASE_COLUMNS`).

    Same rows, order and values as those columns of
    :func:`custops.features.features.customer_features`: customers who signed up before the period
    end or bought up to it, sorted by id; an order is one (customer, order id) with the day of
    its earliest line up to the period end and the sum of those lines' amounts (missing
    amounts count as 0, lines without an order id add no order); money sums are rounded to
    cents; ``recency_days`` is missing for customers who never bought (and is an
    integer column when every customer has bought).

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``customer_id, order_id, order_date, amount``), every customer id
        present (tables with missing ids need :func:`custops.features.features.customer_features`).
    customers : DataFrame or None
        Clean customers (``customer_id`` and optionally ``signup_date``).
    period : Period or str
    index : OrderIndex, optional
        The index of ``orders`` (built here when omitted).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["2025-01-10", "2025-11-02", "2025-12-31"]),
    ...     "amount": [10.0, 20.0, 5.0]})
    >>> c = pd.DataFrame({"customer_id": ["z"], "signup_date": pd.to_datetime(["2025-01-01"])})
    >>> purchase_view(o, c, "2025Q3")[["customer_id", "recency_days", "n_orders"]].to_dict("list")
    {'customer_id': ['a', 'z'], 'recency_days': [263.0, nan], 'n_orders': [1, 0]}
    """
    period = Period.parse(period)
    end = int((pd.Timestamp(period.end) - pd.Timestamp("1970-01-01")).days)
    ix = order_index_of(orders, index)
    if (ix.codes < 0).any():
        raise ValueError("purchase_view needs a customer id on every order line")
    keep = (ix.day <= end) & (ix.day != _NAT)
    code, day = ix.codes[keep], ix.day[keep]
    amount = pd.to_numeric(orders["amount"], errors="coerce").to_numpy(dtype="float64")[keep]
    amount = np.where(np.isnan(amount), 0.0, amount)
    if ix.one_row_per_order:
        counted = np.ones(len(code), dtype=np.int64)
    else:  # order lines: one order per (customer, order id), dated by its earliest line
        oid, _ = pd.factorize(orders["order_id"].to_numpy()[keep])  # missing -> -1
        key = code * (int(oid.max(initial=-1)) + 2) + (oid + 1)
        first = np.lexsort((day, key))
        key, day, code, oid = key[first], day[first], code[first], oid[first]
        head = np.r_[True, key[1:] != key[:-1]]
        group = np.cumsum(head) - 1
        amount = np.bincount(group, weights=amount[first])
        day, code = day[head], code[head]
        counted = (oid[head] >= 0).astype(np.int64)
    n = len(ix.labels)
    bought = np.bincount(code, minlength=n) > 0
    first_day = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_day, code, day)
    last_day = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_day, code, day)
    n_orders = np.bincount(code, weights=counted, minlength=n).astype(np.int64)
    revenue = np.round(np.bincount(code, weights=amount, minlength=n), 2)
    year = day > end - 365
    revenue_365d = np.round(np.bincount(code[year], weights=amount[year], minlength=n), 2)
    base = customers if customers is not None else pd.DataFrame({"customer_id": []})
    if "signup_date" in base:
        base = base[base["signup_date"] < pd.Timestamp(period.end_exclusive)]
    ids = pd.Index(base["customer_id"]).union(pd.Index(ix.labels[bought]))
    at = pd.Index(ix.labels).get_indexer(ids)
    has = at >= 0
    has[has] = bought[at[has]]
    pos = np.where(has, at, 0)
    first_purchase = (np.where(has, first_day[pos], 0)).astype("datetime64[D]")
    return pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "first_purchase": pd.to_datetime(
                np.where(has, first_purchase, np.datetime64("NaT"))
            ).astype("datetime64[ns]"),
            # int64 when every customer has bought (as after the engine's merge)
            "recency_days": (end - last_day[pos])
            if has.all()
            else np.where(has, end - last_day[pos], np.nan),
            "n_orders": np.where(has, n_orders[pos], 0).astype(np.int64),
            "revenue_total": np.where(has, revenue[pos], 0.0),
            "revenue_365d": np.where(has, revenue_365d[pos], 0.0),
        }
    )
