"""The integer view of an orders table, built once per table and passed to whoever needs it.

:class:`OrderIndex` holds the customer codes of an orders table (an index into its sorted
customer ids) and computes, on first use, the parts the analyses share: whether the order
ids are unique, the calendar day of every row, the distinct (customer, day) pairs and the
order heads (one row per order). Factorising 20M text ids costs seconds, so a notebook
builds the index once per orders table and passes it (``index=``) to every function that
groups orders by customer; a function called without one builds its own (correct, slower).

There is no hidden cache: an index describes its table as it was when the index was built.
After changing the table in place (``orders.loc[0, "customer_id"] = "z"``), build a new
index; a function given an index of another table raises an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from custops.core.arrays import distinct_code_days

__all__ = [
    "OrderIndex",
    "OrderHeads",
    "NONE",
    "order_headers",
    "order_index_of",
    "ids_one_per_row",
    "order_keys",
    "order_codes",
    "customer_codes",
]

#: "no such order" in the per-customer first / second arrays of :class:`OrderHeads`
NONE = np.iinfo(np.int64).max
_NAT = np.iinfo(np.int64).min


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
    label_index: pd.Index | None = field(default=None, repr=False, compare=False)

    def stamp(self, when) -> int:
        """A timestamp as an integer in ``unit`` (comparable with ``ts``, ``first``, ``second``).

        Examples
        --------
        >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
        ...     "order_date": pd.to_datetime(["2025-01-02"]), "amount": [1.0]})
        >>> h = OrderIndex.from_orders(o).heads
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
        >>> OrderIndex.from_orders(o).heads.codes_of(["a", "b"]).tolist()
        [0, -1]
        """
        labels = self.label_index if self.label_index is not None else pd.Index(self.labels)
        return labels.get_indexer(pd.Index(ids)).astype(np.int64)

    def seconds(self, delta: np.ndarray) -> np.ndarray:
        """Differences of ``ts`` values in seconds, as pandas' ``total_seconds`` computes them.

        Examples
        --------
        >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
        ...     "order_date": pd.to_datetime(["2025-01-02"]), "amount": [1.0]})
        >>> OrderIndex.from_orders(o).heads.seconds(np.array([86_400 * 10**9])).tolist()
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


@dataclass(frozen=True, eq=False)
class OrderIndex:
    """Customer codes of an orders table and the parts computed from them on first use.

    Build it with :meth:`from_orders`; it is immutable (its lazily computed parts are computed
    once from the table it was built from). Pass it as ``index=`` to the functions that read
    the same orders table.

    Attributes
    ----------
    orders : DataFrame
        The orders table the index describes (held, not copied).
    codes : ndarray of int64
        Customer code of every row (index into ``labels``; -1 for a missing id).
    labels : ndarray of object
        Sorted distinct customer ids.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "2"], "customer_id": ["b", "a", None],
    ...     "order_date": pd.to_datetime(["1970-01-02 10:00", "1970-01-03 00:00", None]),
    ...     "amount": [1.0, 2.0, 3.0]})
    >>> ix = OrderIndex.from_orders(o)
    >>> ix.codes.tolist(), ix.labels.tolist(), ix.day[:2].tolist()
    ([1, 0, -1], ['a', 'b'], [1, 2])
    >>> ix.ids_unique, ix.one_row_per_order
    (False, False)
    >>> ix.codes_of(pd.DataFrame({"customer_id": ["a", "c"]})).tolist()
    [0, -1]
    """

    orders: pd.DataFrame = field(repr=False)
    codes: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)

    @classmethod
    def from_orders(cls, orders: pd.DataFrame) -> OrderIndex:
        """The index of an orders table (factorises ``customer_id``, sorted).

        Examples
        --------
        >>> OrderIndex.from_orders(pd.DataFrame({"customer_id": ["b", "a"]})).labels.tolist()
        ['a', 'b']
        """
        codes, labels = pd.factorize(orders["customer_id"], sort=True)
        return cls(orders, codes.astype(np.int64), np.asarray(labels, dtype=object))

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def n_customers(self) -> int:
        """Number of distinct customer ids (``len(labels)``)."""
        return len(self.labels)

    def codes_of(self, frame: pd.DataFrame | pd.Series) -> np.ndarray:
        """Codes of another table's ``customer_id`` in ``labels`` (-1: not a customer with orders).

        ``frame`` is a table with a ``customer_id`` column, or the ids themselves.
        """
        ids = frame["customer_id"] if isinstance(frame, pd.DataFrame) else frame
        return self.label_index.get_indexer(ids).astype(np.int64)

    @cached_property
    def label_index(self) -> pd.Index:
        """``labels`` as a pandas Index, its hash table built once and shared by every lookup
        of another table's ids (:meth:`codes_of`, :meth:`OrderHeads.codes_of`)."""
        return pd.Index(self.labels)

    @cached_property
    def ids_unique(self) -> bool:
        """No order id repeats (pandas ``is_unique``: one missing id counts as one value).

        True when the table has no ``order_id`` column.
        """
        o = self.orders
        return "order_id" not in o or bool(o["order_id"].is_unique)

    @cached_property
    def one_row_per_order(self) -> bool:
        """Every row has an order id and no id repeats (see :func:`ids_one_per_row`)."""
        return ids_one_per_row(self.orders["order_id"])

    @cached_property
    def day(self) -> np.ndarray:
        """Calendar day of every row in days since 1970-01-01 (int64 min for a missing date)."""
        dates = pd.to_datetime(self.orders["order_date"]).to_numpy(dtype="datetime64[D]")
        return dates.astype(np.int64)  # NaT: int64 min

    @cached_property
    def code_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (customer code, day as datetime64[D]) of the rows with a customer and a date.

        Sorted by code then day.
        """
        ok = (self.codes >= 0) & (self.day != _NAT)
        return distinct_code_days(self.codes[ok], self.day[ok].astype("datetime64[D]"))

    @cached_property
    def heads(self) -> OrderHeads:
        """:class:`OrderHeads`: one row per order with an order id and a date."""
        orders, labels = self.orders, self.labels
        if self.ids_unique:  # one row per order: the rows are the heads
            keep = orders["order_id"].notna().to_numpy()
            code = self.codes[keep]
            when = orders["order_date"].to_numpy()[keep]
            amount = orders["amount"].fillna(0.0).to_numpy(dtype=float)[keep]
        else:
            heads = order_headers(orders)
            code = self.label_index.get_indexer(heads["customer_id"]).astype(np.int64)
            when = heads["order_date"].to_numpy()
            amount = heads["amount"].to_numpy(dtype=float)
        when = np.asarray(when)
        if when.dtype.kind != "M":
            when = pd.to_datetime(when).to_numpy()
        unit = np.datetime_data(when.dtype)[0]
        dated = ~np.isnat(when)
        code, ts, amount = code[dated], when[dated].astype(np.int64), amount[dated]
        first, second = _first_two(code, ts, len(labels))
        return OrderHeads(code, ts, amount, labels, first, second, unit, self.label_index)

    def check(self, orders: pd.DataFrame) -> OrderIndex:
        """This index, after checking it was built from ``orders`` (the same frame, same length).

        Raises
        ------
        ValueError
            When the index describes another table, or the table changed length since.
        """
        if self.orders is not orders or len(self.codes) != len(orders):
            raise ValueError(
                "The order index was built from another orders table (or the table changed "
                "since): build it again with OrderIndex.from_orders(orders) and pass that."
            )
        return self


def ids_one_per_row(ids: pd.Series) -> bool:
    """Whether every value is present and none repeats (order ids: one row per order).

    The ids are hashed to 64 bits and the hashes tested (an integer hash table, much cheaper
    than one of 20M strings); only when two hashes agree are the ids themselves compared, so
    the answer is exact.

    Examples
    --------
    >>> ids_one_per_row(pd.Series(["1", "2"])), ids_one_per_row(pd.Series(["1", "1"]))
    (True, False)
    >>> ids_one_per_row(pd.Series(["1", None]))
    False
    """
    if ids.isna().any():
        return False
    if pd.api.types.is_numeric_dtype(ids):
        return bool(ids.is_unique)
    values = ids.to_numpy(dtype=object) if ids.dtype != object else ids.to_numpy()
    hashes = np.sort(pd.util.hash_array(values, categorize=False))
    return not bool((hashes[1:] == hashes[:-1]).any()) or bool(ids.is_unique)


def order_index_of(orders: pd.DataFrame, index: OrderIndex | None = None) -> OrderIndex:
    """``index`` checked against ``orders``, or a new :class:`OrderIndex` of ``orders``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a"]})
    >>> ix = OrderIndex.from_orders(o)
    >>> order_index_of(o, ix) is ix, order_index_of(o).labels.tolist()
    (True, ['a'])
    """
    return OrderIndex.from_orders(orders) if index is None else index.check(orders)


def order_keys(
    orders: pd.DataFrame, index: OrderIndex | None = None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(customer codes, sorted customer ids, order ids unique?) of an orders table.

    Examples
    --------
    >>> codes, labels, unique = order_keys(pd.DataFrame({"customer_id": ["b", "a"],
    ...     "order_id": ["1", "1"]}))
    >>> codes.tolist(), labels.tolist(), unique
    ([1, 0], ['a', 'b'], False)
    """
    ix = order_index_of(orders, index)
    return ix.codes, ix.labels, ix.ids_unique


def order_codes(
    orders: pd.DataFrame, index: OrderIndex | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(customer codes, sorted customer ids) of an orders table (see :class:`OrderIndex`).

    Examples
    --------
    >>> order_codes(pd.DataFrame({"customer_id": ["b", "a"]}))[0].tolist()
    [1, 0]
    """
    ix = order_index_of(orders, index)
    return ix.codes, ix.labels


def customer_codes(frame: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    """Codes of ``frame.customer_id`` in ``labels`` (-1: not a customer with orders).

    Examples
    --------
    >>> customer_codes(pd.DataFrame({"customer_id": ["b", "x"]}), np.array(["a", "b"])).tolist()
    [1, -1]
    """
    return pd.Index(labels).get_indexer(frame["customer_id"]).astype(np.int64)
