"""custops.timing at scale: the one-line-per-order path of order_heads against the groupby."""

from __future__ import annotations

import numpy as np
import pandas as pd


def test_order_heads_one_line_per_order_matches_the_groupby():
    from custops.timing import order_heads

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
