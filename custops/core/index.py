"""Integer customer codes of a table, shared by every module that groups by customer.

Codes index the sorted customer ids of the orders table (``-1``: a missing id, or a customer
without orders). Factorising 20M text ids costs seconds, so the codes of the last tables seen
are kept (by identity and length of the frame).
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = ["order_keys", "order_codes", "customer_codes"]

_ORDER_KEYS: dict = {}


def order_keys(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, bool]:
    """(customer codes, sorted customer ids, order ids unique?) of an orders table.

    Use :func:`order_codes` when the uniqueness of the order ids is not needed.

    Codes index the sorted ids (-1 for a missing id). Kept for the last table seen (by
    identity and length): notebook 03 reads the same 20M orders in the health score, the
    behaviour paths and the early warnings, and factorising the ids or testing the order ids
    for uniqueness costs seconds each time.
    """
    codes, labels = order_codes(orders)
    if "unique" not in _ORDER_KEYS:
        _ORDER_KEYS["unique"] = "order_id" not in orders or bool(orders["order_id"].is_unique)
    return codes, labels, _ORDER_KEYS["unique"]


def order_codes(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(customer codes, sorted customer ids) of an orders table (cached as :func:`order_keys`)."""
    hit = _ORDER_KEYS.get("ref")
    if hit is not None and hit[0]() is orders and hit[1] == len(orders):
        return _ORDER_KEYS["value"]
    codes, labels = pd.factorize(orders["customer_id"], sort=True)
    value = (codes.astype(np.int64), np.asarray(labels, dtype=object))
    _ORDER_KEYS.clear()
    _ORDER_KEYS["ref"], _ORDER_KEYS["value"] = (weakref.ref(orders), len(orders)), value
    return value


_TABLE_CODES: dict = {}


def customer_codes(frame: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    """Codes of ``frame.customer_id`` in ``labels`` (-1: not a customer with orders).

    Kept per table (by identity and length) for the labels of the last orders table seen.
    """
    key = id(frame)
    hit = _TABLE_CODES.get(key)
    if hit is not None and hit[0]() is frame and hit[1] == len(frame) and hit[2] is labels:
        return hit[3]
    codes = pd.Index(labels).get_indexer(frame["customer_id"]).astype(np.int64)
    for k in [k for k, v in _TABLE_CODES.items() if v[0]() is None or v[2] is not labels]:
        del _TABLE_CODES[k]
    _TABLE_CODES[key] = (weakref.ref(frame), len(frame), labels, codes)
    return codes
