"""Notebooks 03 and 05's order-reading functions before and after the explicit OrderIndex.

    python benchmarks/bench_index.py --before DIR [--customers 100000] [--orders 2000000] [--rounds 2]

``--before`` is a checkout of the code before the index (e.g. ``git archive 333fc2e``). The
scaled demo of ``gen_report_data.py`` is generated (or reused), cleaned once into
``<data>/clean/`` and then, alternately for each tree and ``--rounds`` times, a fresh Python
process (``PYTHONPATH`` = the tree) reads the clean tables and times

* notebook 03: the covariates, early warnings, health score (weights, scores, validation,
  band history) and behaviour paths, as the notebook calls them;
* notebook 05: scorecard, monthly KPIs, acquisition funnel, weak-channel reach, cohorts,
  repurchase timing, follow-up gap and new-customer value.

Each notebook's part runs in a process of its own (as each notebook has its own kernel). The
"after" tree builds one ``OrderIndex`` per orders table (its time is included in the total)
and passes it, as the notebooks do; the "before" tree relies on its module caches. The best of the rounds
is printed per tree with the ratio, and the load average next to it (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

WORKER = r"""
import json, sys, time, inspect
from pathlib import Path
import pandas as pd
from custops.ingest.artifacts import read_clean_tables
from custops.survival import churn, clv, health, paths
from custops.review import alerts, cohorts, economics, funnels, scorecard
folder, period, part = Path(sys.argv[1]), "2025Q4", sys.argv[2]
tables = read_clean_tables(folder)
features = pd.read_parquet(folder / "customer_features.parquet")
new = "index" in inspect.signature(clv.early_warnings).parameters
times = {}
def step(name, fn):
    t = time.perf_counter(); out = fn(); times[name] = times.get(name, 0.0) + time.perf_counter() - t
    return out
kw = {}
t0 = time.perf_counter()
if new:
    from custops.core.index import OrderIndex
    kw = {"index": step(f"{part} index", lambda: OrderIndex.from_orders(tables["orders"]))}
if part == "03":
    surv = churn.survival_data(features, period)
    step("03 covariates", lambda: churn.add_covariates(surv, tables["orders"], **kw))
    step("03 early warnings", lambda: clv.early_warnings(tables, period, **kw))
    h = step("03 health prepare", lambda: health.prepare(tables, **kw)) if new else tables
    fit = {"seed": 42, "max_fit_customers": 200_000}
    step("03 health", lambda: (
        health.weight_table(h, "2025-12-31", "learned", **fit),
        health.health_scores(h, "2025-12-31", "learned", **fit),
        health.validate(h, "2025-10-02", "learned", data_end="2025-12-31", **fit),
        health.band_history(h, period, "learned", **fit),
    ))
    def run_paths():
        s = paths.events(tables, period, **kw) if new else paths.event_stream(tables, period)
        o = paths.outcomes(s, period)
        return (paths.path_differences(s, o), paths.no_interaction_after_repurchase(s, o),
                paths.step_matrix(s, o))
    step("03 paths", run_paths)
else:
    c, o = tables["customers"], tables["orders"]
    step("05 scorecard", lambda: scorecard.scorecard(tables, period, n_boot=200, **kw))
    step("05 monthly kpis", lambda: alerts.monthly_kpis(tables, period, **kw))
    step("05 funnels", lambda: (funnels.acquisition_funnel(c, o, period, **kw),
                                funnels.weak_channel_reach(c, o, tables.get("touches"), period, **kw)))
    step("05 cohorts", lambda: (
        cohorts.cohort_retention(o, period, **kw), cohorts.repurchase_timing(o, period, **kw),
        cohorts.no_contact_after_repurchase(o, period, touches=tables.get("touches"),
                                            tickets=tables.get("tickets"), **kw)))
    step("05 new-customer value",
         lambda: economics.new_customer_value(c, o, None, period, margin=0.3, **kw))
times[f"nb{part} total"] = time.perf_counter() - t0
print(json.dumps(times))
"""


def _clean(data: Path) -> Path:
    """notebook 01 once (clean tables + customer_features) with the current tree."""
    folder = data / "clean"
    if (folder / "customer_features.parquet").exists():
        return folder
    from custops.chapters import collection
    from custops.ingest.artifacts import write_artifact
    from custops.report import notebook as nb

    ctx = nb.start(str(data / "custops.yaml"), "2025Q4", str(data / "build"))
    result, features = collection.collect(ctx)
    for name, frame in result.tables.items():
        write_artifact(frame, folder, f"clean_{name}.parquet")
    write_artifact(features, folder, "customer_features.parquet")
    return folder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, type=Path)
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--orders", type=int, default=2_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="data folder (default benchmarks/data)")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from gen_report_data import generate

    data = generate(args.customers, args.orders, out=args.out)
    folder = _clean(data)
    trees = {"before": args.before.resolve(), "after": ROOT}
    best: dict[str, dict[str, float]] = {}
    loads = []
    for r in range(args.rounds):
        for (name, tree), part in [(t, p) for p in ("03", "05") for t in trees.items()]:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            loads.append(os.getloadavg()[0])
            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", WORKER, str(folder), part],
                env=env,
                cwd=tree,
                capture_output=True,
                text=True,
                check=True,
            )
            times = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"round {r + 1} {name} {part}: {time.perf_counter() - t:.1f} s", flush=True)
            for k, v in times.items():
                best.setdefault(name, {})[k] = min(v, best.get(name, {}).get(k, float("inf")))
    print(
        f"\n{args.customers:,} customers, {args.orders:,} orders; load avg "
        f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores; best of {args.rounds}"
    )
    print(f"{'step':26s} {'before s':>9s} {'after s':>9s} {'after/before':>12s}")
    for k in best["after"]:
        b, a = best["before"].get(k), best["after"][k]
        ratio = f"{a / b:.2f}" if b else "–"
        print(f"{k:26s} {b if b is not None else float('nan'):9.2f} {a:9.2f} {ratio:>12s}")


if __name__ == "__main__":
    main()
