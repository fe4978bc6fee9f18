"""One row per order on integer customer codes, built once per orders table.

The quarterly review asks the same questions of the orders many times (the scorecard for two
periods, the acquisition funnel, repurchase timing, the follow-up gap): one row per order
(lines summed) and each customer's first and second order. On 20M orders, grouping text order
ids and text customer ids for every question costs minutes; here the order heads are built
once per orders table (kept for the last table seen, by identity and length, like the
customer codes of :mod:`custops.survival.health`) as numpy arrays on the shared integer customer codes.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["OrderHeads", "order_heads_of", "order_headers"]

#: "no such order" in the per-customer first / second arrays (after every timestamp)
NONE = np.iinfo(np.int64).max


def order_headers(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per order (lines summed): ``order_id, customer_id, order_date, amount``.

    The pandas reference (a groupby on the order id, in order of first appearance).

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "1", "2"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-02", "2025-01-01", "2025-01-03"]),
    ...     "amount": [1.0, 2.0, 4.0]})
    >>> order_headers(o)["amount"].tolist()
    [3.0, 4.0]
    """
    return (
        orders.groupby("order_id", sort=False)
        .agg(
            customer_id=("customer_id", "first"),
            order_date=("order_date", "min"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )


@dataclass(frozen=True)
class OrderHeads:
    """The orders of a table, one row per order with a known date, as numpy arrays.

    Attributes
    ----------
    code : ndarray of int64
        Customer code per order (index into ``labels``; -1 for a missing customer id), in the
        row order of :func:`order_headers`.
    ts : ndarray of int64
        Order time (earliest line) in units of ``unit``.
    amount : ndarray of float
        Order amount (lines summed; a missing amount counts as 0).
    labels : ndarray
        Sorted customer ids of the orders table.
    first, second : ndarray of int64
        Per customer code: time of the earliest and the second earliest order (``NONE`` when
        there is none). Orders at the same time count separately.
    unit : str
        numpy datetime unit of ``ts`` (that of the ``order_date`` column).
    """

    code: np.ndarray
    ts: np.ndarray
    amount: np.ndarray
    labels: np.ndarray
    first: np.ndarray
    second: np.ndarray
    unit: str

    def stamp(self, when) -> int:
        """A timestamp as an integer in ``unit`` (comparable with ``ts``, ``first``, ``second``).

        Examples
        --------
        >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
        ...     "order_date": pd.to_datetime(["2025-01-02"]), "amount": [1.0]})
        >>> h = order_heads_of(o)
        >>> bool(h.stamp("2025-01-02") == h.ts[0])
        True
        """
        return int(np.datetime64(pd.Timestamp(when).to_datetime64(), self.unit).astype(np.int64))

    def codes_of(self, ids) -> np.ndarray:
        """Codes of customer ids (-1: no order in the table).

        Examples
        --------
        >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
        ...     "order_date": pd.to_datetime(["2025-01-02"]), "amount": [1.0]})
        >>> order_heads_of(o).codes_of(["a", "b"]).tolist()
        [0, -1]
        """
        return pd.Index(self.labels).get_indexer(pd.Index(ids)).astype(np.int64)

    def seconds(self, delta: np.ndarray) -> np.ndarray:
        """Differences of ``ts`` values in seconds, as pandas' ``total_seconds`` computes them.

        Examples
        --------
        >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
        ...     "order_date": pd.to_datetime(["2025-01-02"]), "amount": [1.0]})
        >>> order_heads_of(o).seconds(np.array([86_400 * 10**9])).tolist()
        [86400.0]
        """
        per_second = np.timedelta64(1, "s") / np.timedelta64(1, self.unit)
        return np.asarray(delta, dtype=np.int64) / per_second


def _first_two(code: np.ndarray, ts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and second earliest ``ts`` per code in ``range(n)`` (codes < 0 ignored)."""
    keep = code >= 0
    code, ts = code[keep], ts[keep]
    first = np.full(n, NONE, dtype=np.int64)
    np.minimum.at(first, code, ts)
    at_min = np.flatnonzero(ts == first[code])
    _, one = np.unique(code[at_min], return_index=True)  # one earliest order per customer
    rest = np.ones(len(code), dtype=bool)
    rest[at_min[one]] = False
    second = np.full(n, NONE, dtype=np.int64)
    np.minimum.at(second, code[rest], ts[rest])
    return first, second


def _build(orders: pd.DataFrame) -> OrderHeads:
    from custops.core.index import order_keys  # shared customer codes (sorted ids)

    line_codes, labels, unique = order_keys(orders)
    if unique:  # one row per order: the rows are the heads
        keep = orders["order_id"].notna().to_numpy()
        code = line_codes[keep]
        when = orders["order_date"].to_numpy()[keep]
        amount = orders["amount"].fillna(0.0).to_numpy(dtype=float)[keep]
    else:
        heads = order_headers(orders)
        code = pd.Index(labels).get_indexer(heads["customer_id"]).astype(np.int64)
        when = heads["order_date"].to_numpy()
        amount = heads["amount"].to_numpy(dtype=float)
    when = np.asarray(when)
    if when.dtype.kind != "M":
        when = pd.to_datetime(when).to_numpy()
    unit = np.datetime_data(when.dtype)[0]
    dated = ~np.isnat(when)
    code, ts, amount = code[dated], when[dated].astype(np.int64), amount[dated]
    first, second = _first_two(code, ts, len(labels))
    return OrderHeads(code, ts, amount, labels, first, second, unit)


_CACHE: dict = {}


def order_heads_of(orders: pd.DataFrame) -> OrderHeads:
    """:class:`OrderHeads` of an orders table, kept for the last table seen.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``order_id, customer_id, order_date, amount``).

    Returns
    -------
    OrderHeads
        Orders without an order id or a date are left out (every use filters on the date).

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["b", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-03", "2025-01-01", "2025-01-02"]),
    ...     "amount": [1.0, 2.0, 4.0]})
    >>> h = order_heads_of(o)
    >>> h.labels.tolist(), h.code.tolist()
    (['a', 'b'], [1, 0, 1])
    >>> bool(h.second[1] == h.stamp("2025-01-03")), bool(h.second[0] == NONE)
    (True, True)
    """
    hit = _CACHE.get("ref")
    if hit is not None and hit[0]() is orders and hit[1] == len(orders):
        return _CACHE["value"]
    value = _build(orders)
    _CACHE.clear()
    _CACHE["ref"], _CACHE["value"] = (weakref.ref(orders), len(orders)), value
    return value
