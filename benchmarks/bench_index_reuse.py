"""Old vs new code side by side: notebook 05's order sections and notebook 03's index build.

    python benchmarks/bench_index_reuse.py [--customers 50000] [--runs 5] [--old REV]

``REV`` (default ``HEAD``) is checked out with ``git archive`` into a temp folder; the old and
the new package each run in their own subprocess (alternating, ``--runs`` times each) on the
same seeded tables, and the medians are printed side by side with the ratio old / new.

What one run times (seconds, after the tables are made):

* ``nb05 sections``: the notebook's one ``OrderIndex`` is built, then every order section of
  notebook 05 that takes ``index=`` is called with it: monthly KPIs, acquisition funnel,
  new-customer value, weak-channel reach, cohort retention, repurchase timing, follow-up gap;
* ``nb03 start``: the order-rate covariate plus the notebook's index. The old notebook built
  the index after ``churn.load`` (whose covariate factorised the orders itself); the new
  ``churn.load(with_index=True)`` builds one and returns it. ``load`` reads artifacts, so the
  script runs its two steps (``OrderIndex.from_orders`` and ``add_covariates``) the way each
  version's ``load`` and notebook do.

The tables: ``--customers`` customers, 20 order lines each (orders of one or two lines),
8 touches and 1 ticket per customer, over 2024-01 .. 2025-12.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2025Q4"


def make_tables(customers: int, seed: int = 7) -> dict:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    ids = np.array([f"C{i:08d}" for i in rng.permutation(customers)], dtype=object)
    n_orders = customers * 14
    start = pd.Timestamp("2024-01-01").value
    span = pd.Timestamp("2026-01-01").value - start
    order_cust = rng.choice(ids, n_orders)
    when = pd.to_datetime(start + rng.integers(0, span, n_orders))
    heads = pd.DataFrame(
        {
            "order_id": [f"O{i:09d}" for i in range(n_orders)],
            "customer_id": order_cust,
            "order_date": when,
            "amount": rng.gamma(2.0, 30.0, n_orders).round(2),
        }
    )
    lines = heads.sample(frac=0.43, random_state=seed)  # a second line for some orders
    orders = pd.concat([heads, lines], ignore_index=True)
    signup = pd.to_datetime(start + rng.integers(0, span, customers))
    customers_t = pd.DataFrame(
        {
            "customer_id": ids,
            "signup_date": signup,
            "app_bound": rng.random(customers) < 0.5,
            "acquisition_channel": rng.choice(["ads", "search", "referral"], customers),
        }
    )
    n_t = customers * 8
    touches = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, n_t),
            "sent_at": pd.to_datetime(start + rng.integers(0, span, n_t)),
            "channel": rng.choice(["sms", "email", "app_push"], n_t),
            "converted": rng.random(n_t) < 0.05,
        }
    )
    tickets = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, customers),
            "created_at": pd.to_datetime(start + rng.integers(0, span, customers)),
        }
    )
    return {"orders": orders, "customers": customers_t, "touches": touches, "tickets": tickets}


def worker(customers: int, runs: int) -> dict:
    """Time the sections with the package on ``sys.path`` (old or new); print JSON."""
    import numpy as np
    import pandas as pd

    from custops.core.index import OrderIndex
    from custops.review import alerts, cohorts, economics, funnels
    from custops.survival import churn

    t = make_tables(customers)
    weak = pd.DataFrame({"channel": ["sms", "email", "app_push"], "weak": [True, True, False]})
    surv = pd.DataFrame(
        {
            "customer_id": t["customers"]["customer_id"],
            "start_date": t["customers"]["signup_date"],
            "tenure_days": np.full(customers, 400.0),
        }
    )
    # the load moved to custops.chapters.churn.load, which builds the index as the new one did
    new_load = not hasattr(churn, "load") or "with_index" in churn.load.__code__.co_varnames
    out: dict[str, list[float]] = {"nb05 sections": [], "nb03 start": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        ix = OrderIndex.from_orders(t["orders"])
        alerts.monthly_kpis(t, PERIOD, index=ix)
        funnels.acquisition_funnel(t["customers"], t["orders"], PERIOD, index=ix)
        economics.new_customer_value(
            t["customers"], t["orders"], None, PERIOD, margin=0.3, index=ix
        )
        funnels.weak_channel_reach(
            t["customers"], t["orders"], t["touches"], PERIOD, weak, index=ix
        )
        cohorts.cohort_retention(t["orders"], PERIOD, n_cohorts=12, index=ix)
        cohorts.repurchase_timing(t["orders"], PERIOD, index=ix)
        cohorts.no_contact_after_repurchase(
            t["orders"], PERIOD, touches=t["touches"], tickets=t["tickets"], index=ix
        )
        out["nb05 sections"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        if new_load:  # load builds the index once and passes it to the covariates
            ix = OrderIndex.from_orders(t["orders"])
            churn.add_covariates(surv, t["orders"], index=ix)
        else:  # load's covariates factorised the orders, then the notebook built its index
            churn.add_covariates(surv, t["orders"])
            ix = OrderIndex.from_orders(t["orders"])
        out["nb03 start"].append(time.perf_counter() - t0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", default="HEAD", help="git revision of the old code")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.customers, 1)))
        return 0
    old_dir = Path(tempfile.mkdtemp(prefix="custops-old-"))
    archive = subprocess.run(
        ["git", "archive", args.old, "custops"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryFile() as fh:
        fh.write(archive)
        fh.seek(0)
        with tarfile.open(fileobj=fh) as tar:
            tar.extractall(old_dir, filter="data")
    rev = subprocess.run(
        ["git", "rev-parse", "--short", args.old], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"{args.customers:,} customers, {args.runs} runs each, old = {args.old} ({rev}), "
        f"new = working tree; load avg {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    times: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    for _ in range(args.runs):
        for name, path in (("old", old_dir), ("new", ROOT)):  # alternate: same machine load
            env = dict(os.environ, PYTHONPATH=str(path))
            cmd = [sys.executable, __file__, "--worker", "--customers", str(args.customers)]
            done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
            for key, values in json.loads(done.stdout.splitlines()[-1]).items():
                times[name].setdefault(key, []).extend(values)
    print(f"{'step':<16} {'old median s':>13} {'new median s':>13} {'old/new':>8}")
    for key in times["new"]:
        old, new = statistics.median(times["old"][key]), statistics.median(times["new"][key])
        print(f"{key:<16} {old:13.3f} {new:13.3f} {old / new:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
