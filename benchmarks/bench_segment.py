"""Wall time of scoring and segmenting synthetic customers.

Usage::

    .venv/bin/python benchmarks/bench_segment.py --customers 1000000

Builds a synthetic customer view (the columns ``custops.segments.segmentation`` reads) and an order log of
three purchase days per buyer, then times each step of ``custops.segments.segmentation``: RFM scores and
named segments, value tiers, reactivation from the orders, lifecycle stages, and the
clusters (k chosen by silhouette on a seeded sample, fitted on a stratified sample of
``--max-cluster-rows`` customers, every customer assigned). Prints one line per step.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import pandas as pd

from custops.core.config import Period, SegmentConfig
from custops.segments import segmentation as seg

PERIOD = Period.parse("2025Q4")


def synthetic_view(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A customer view of ``n`` customers (8% never bought) and their purchase days."""
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(PERIOD.end)
    bought = rng.random(n) > 0.08
    high = rng.random(n) < 0.04
    tenure = rng.integers(0, 1000, n)
    recency = np.minimum(rng.exponential(150, n).astype("int64"), tenure)
    n_orders = 1 + rng.poisson(np.maximum(tenure - recency, 0) / 25 * np.where(high, 2, 1))
    aov = rng.gamma(4.0, 70.0, n) * np.where(high, 8.0, 1.0)
    revenue = n_orders * aov * rng.lognormal(0, 0.1, n)
    share_last_year = np.clip((365 - recency) / np.maximum(tenure - recency + 1, 1), 0, 1)
    ids = np.array([f"C{i:08d}" for i in range(n)], dtype=object)
    first = end - pd.to_timedelta(tenure, unit="D")
    view = pd.DataFrame(
        {
            "customer_id": ids,
            "first_purchase": first,
            "recency_days": recency.astype("float64"),
            "tenure_days": tenure.astype("float64"),
            "n_orders": n_orders,
            "revenue_total": revenue,
            "revenue_365d": revenue * share_last_year,
            "orders_365d": np.round(n_orders * share_last_year).astype("int64"),
            "avg_order_value": revenue / n_orders,
            "event": (recency > 180).astype("int64"),
        }
    )
    none = ~bought
    view.loc[none, ["recency_days", "tenure_days", "avg_order_value"]] = np.nan
    view.loc[none, ["n_orders", "orders_365d", "event"]] = 0
    view.loc[none, ["revenue_total", "revenue_365d"]] = 0.0
    view.loc[none, "first_purchase"] = pd.NaT
    view["has_ordered"] = bought
    # three purchase days per buyer: first, one in between, last
    b = np.flatnonzero(bought)
    middle = recency[b] + (rng.random(len(b)) * (tenure[b] - recency[b])).astype("int64")
    back = np.concatenate([tenure[b], middle, recency[b]])
    orders = pd.DataFrame(
        {
            "customer_id": np.tile(ids[b], 3),
            "order_date": end - pd.to_timedelta(back, unit="D"),
        }
    )
    return view, orders


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--max-cluster-rows", type=int, default=SegmentConfig().max_cluster_rows)
    parser.add_argument("--no-clusters", action="store_true", help="time scores and rules only")
    args = parser.parse_args(argv)
    settings = SegmentConfig(max_cluster_rows=args.max_cluster_rows)

    t0 = time.perf_counter()
    view, orders = synthetic_view(args.customers, args.seed)
    print(
        f"synthetic data: {len(view):,} customers, {len(orders):,} purchase days "
        f"({time.perf_counter() - t0:.1f} s to generate; not counted)"
    )
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")

    timings: list[tuple[str, float]] = []

    def step(name, fn):
        start = time.perf_counter()
        result = fn()
        timings.append((name, time.perf_counter() - start))
        print(f"  {name:<44s} {timings[-1][1]:8.2f} s", flush=True)
        return result

    table = step("RFM scores + named segments", lambda: seg.score_rfm(view, bins=settings.rfm_bins))
    step("value tiers", lambda: seg.value_tiers(view, settings.tiers))
    back = step(
        "reactivated (from purchase days)",
        lambda: seg.reactivated_customers(orders, PERIOD, settings.sleeping_days),
    )
    step(
        "lifecycle stages",
        lambda: seg.lifecycle_stages(
            view,
            PERIOD,
            new_days=settings.new_days,
            sleeping_days=settings.sleeping_days,
            churned_days=settings.churned_days,
            reactivated=back,
        ),
    )
    rules_total = sum(seconds for _, seconds in timings)
    if not args.no_clusters:
        bought = view["has_ordered"].to_numpy()
        model = step(
            f"clusters: choose k + fit ({min(args.max_cluster_rows, int(bought.sum())):,} rows)",
            lambda: seg.CustomerClusters(
                k_range=settings.k_range, max_rows=settings.max_cluster_rows, random_state=args.seed
            ).fit(view.loc[bought], strata=table.loc[bought, "rfm_segment"]),
        )
        step(
            f"clusters: assign all {int(bought.sum()):,} buyers",
            lambda: model.predict(view.loc[bought]),
        )
        print(f"  chosen k = {model.k_}; names: {model.names_}")
    total = sum(seconds for _, seconds in timings)
    print(f"scores + segments + tiers + lifecycle: {rules_total:.2f} s")
    print(f"total including clusters: {total:.2f} s for {len(view):,} customers")


if __name__ == "__main__":
    main()
