"""One row per order on integer customer codes, built once per orders table.

The quarterly review asks the same questions of the orders many times (the scorecard for two
periods, the acquisition funnel, repurchase timing, the follow-up gap): one row per order
(lines summed) and each customer's first and second order. On 20M orders, grouping text order
ids and text customer ids for every question costs minutes; here the order heads are the
lazily computed :attr:`custops.core.index.OrderIndex.heads` of the orders table's index, built
once by whoever holds the index (numpy arrays on the shared integer customer codes).
"""

from __future__ import annotations

import pandas as pd

from custops.core.index import NONE, OrderHeads, OrderIndex, order_headers, order_index_of

__all__ = ["OrderHeads", "order_heads_of", "order_headers", "NONE"]


def order_heads_of(orders: pd.DataFrame, index: OrderIndex | None = None) -> OrderHeads:
    """:class:`OrderHeads` of an orders table (those of ``index`` when it is given).

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``order_id, customer_id, order_date, amount``).
    index : OrderIndex, optional
        The index of ``orders`` (:meth:`OrderIndex.from_orders`); its heads are computed once
        and shared by every caller holding it. Without it the heads are built here.

    Returns
    -------
    OrderHeads
        Orders without an order id or a date are left out (every use filters on the date).

    Examples
    --------
    >>> import numpy as np
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["b", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-01-03", "2025-01-01", "2025-01-02"]),
    ...     "amount": [1.0, 2.0, 4.0]})
    >>> h = order_heads_of(o)
    >>> h.labels.tolist(), h.code.tolist()
    (['a', 'b'], [1, 0, 1])
    >>> bool(h.second[1] == h.stamp("2025-01-03")), bool(h.second[0] == NONE)
    (True, True)
    """
    return order_index_of(orders, index).heads
