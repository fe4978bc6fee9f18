"""Purchase columns of the customer view straight from the order lines, on integer codes.

Notebook 02 needs, for the period before the report period, only what the segments read:
first purchase, recency, order count, total and 12-month revenue. :func:`purchase_view`
computes exactly these columns of :func:`custops.features.features.customer_features` with numpy on
customer codes (no engine pass, no service, survey or touch joins), and
:func:`code_days` gives the distinct (customer, purchase day) pairs the reactivated stage
reads. The customer codes, days and pairs of the last orders table seen are kept (by
identity and length), so the current and the previous period share one factorisation.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from custops.core.arrays import distinct_code_days
from custops.core.config import Period

__all__ = [
    "OrderIndex",
    "order_index",
    "code_days",
    "order_ids_unique",
    "purchase_view",
    "read_orders",
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


def read_orders(folder: str | Path, columns: Sequence[str] = ORDER_COLUMNS) -> pd.DataFrame:
    """``clean_orders.parquet`` with ``columns`` only, text columns as Arrow-backed strings.

    20M order lines as Python strings take most of a minute to read and gigabytes of memory;
    as Arrow strings they are read in seconds and factorised, tested and sorted by Arrow.

    Examples
    --------
    >>> orders = read_orders("build/2025Q4/artifacts")  # doctest: +SKIP
    >>> orders.dtypes["customer_id"]  # doctest: +SKIP
    string[pyarrow]
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(folder) / "clean_orders.parquet"
    if not path.exists():
        from custops.core.errors import CustopsError

        raise CustopsError(
            f"No clean tables in {folder}.",
            fix="Run notebooks/01_data_collection.ipynb (or `custops run`) for this period first.",
        )
    table = pq.read_table(path, columns=list(columns))
    strings = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}
    return table.to_pandas(types_mapper=strings.get)


@dataclass
class OrderIndex:
    """Integer view of an orders table.

    Attributes
    ----------
    codes : ndarray of int64
        Customer code of every row (index into ``labels``; -1 for a missing id).
    labels : ndarray of object
        Sorted distinct customer ids.
    day : ndarray of int64
        Calendar day of every row in days since 1970-01-01 (``_NAT`` for a missing date).
    """

    codes: np.ndarray
    labels: np.ndarray
    day: np.ndarray
    _pairs: tuple[np.ndarray, np.ndarray] | None = None


_CACHE: dict = {}
_UNIQUE: dict = {}


def order_index(orders: pd.DataFrame) -> OrderIndex:
    """Customer codes and days of ``orders``, kept for the last table seen.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["b", "a", None],
    ...     "order_date": pd.to_datetime(["1970-01-02 10:00", "1970-01-03 00:00", None])})
    >>> ix = order_index(o)
    >>> ix.codes.tolist(), ix.labels.tolist(), ix.day[:2].tolist()
    ([1, 0, -1], ['a', 'b'], [1, 2])
    """
    from custops.core.index import order_codes  # the customer codes every module shares

    hit = _CACHE.get("ref")
    if hit is not None and hit[0]() is orders and hit[1] == len(orders):
        return _CACHE["value"]
    codes, labels = order_codes(orders)
    dates = pd.to_datetime(orders["order_date"]).to_numpy(dtype="datetime64[D]")
    value = OrderIndex(codes=codes, labels=labels, day=dates.astype(np.int64))  # NaT: int64 min
    _CACHE.clear()
    _CACHE["ref"], _CACHE["value"] = (weakref.ref(orders), len(orders)), value
    return value


def code_days(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (customer code, day) pairs of the rows with a customer and a date.

    Sorted by code then day, ``day`` as datetime64[D]; codes index ``order_index(orders).labels``.
    Filtering the pairs by day gives the pairs of the rows before that day.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["b", "a", "b", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-02 00:00", "2025-01-05 00:00", "2025-01-02 13:00", None])})
    >>> c, d = code_days(o)
    >>> c.tolist(), d.astype(str).tolist()
    ([0, 1], ['2025-01-05', '2025-01-02'])
    """
    ix = order_index(orders)
    if ix._pairs is None:
        ok = (ix.codes >= 0) & (ix.day != _NAT)
        ix._pairs = distinct_code_days(ix.codes[ok], ix.day[ok].astype("datetime64[D]"))
    return ix._pairs


def order_ids_unique(orders: pd.DataFrame) -> bool:
    """Whether every row has an order id and no id repeats (one row per order).

    Kept for the last table seen. The ids are hashed to 64 bits and the hashes tested (an
    integer hash table, much cheaper than one of 20M strings); only when two hashes agree are
    the ids themselves compared, so the answer is exact.

    Examples
    --------
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", "2"]}))
    True
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", "1"]}))
    False
    >>> order_ids_unique(pd.DataFrame({"order_id": ["1", None]}))
    False
    """
    hit = _UNIQUE.get("ref")
    if hit is not None and hit[0]() is orders and hit[1] == len(orders):
        return _UNIQUE["value"]
    ids = orders["order_id"]
    if ids.isna().any():
        value = False
    elif pd.api.types.is_numeric_dtype(ids):
        value = bool(ids.is_unique)
    else:
        values = ids.to_numpy(dtype=object) if ids.dtype != object else ids.to_numpy()
        hashes = np.sort(pd.util.hash_array(values, categorize=False))
        value = not bool((hashes[1:] == hashes[:-1]).any()) or bool(ids.is_unique)
    _UNIQUE.clear()
    _UNIQUE["ref"], _UNIQUE["value"] = (weakref.ref(orders), len(orders)), value
    return value


def purchase_view(
    orders: pd.DataFrame, customers: pd.DataFrame | None, period: Period | str
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
    ix = order_index(orders)
    if (ix.codes < 0).any():
        raise ValueError("purchase_view needs a customer id on every order line")
    keep = (ix.day <= end) & (ix.day != _NAT)
    code, day = ix.codes[keep], ix.day[keep]
    amount = pd.to_numeric(orders["amount"], errors="coerce").to_numpy(dtype="float64")[keep]
    amount = np.where(np.isnan(amount), 0.0, amount)
    if order_ids_unique(orders):
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
