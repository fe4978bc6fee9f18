"""Benchmark the churn chapter's model at scale: Cox fit, PH check, probabilities and CLV.

Usage::

    .venv/bin/python benchmarks/bench_churn.py --customers 500000 [--base 5000] [--seed 42]

Generating a 500,000-customer demo company with ``custops.demo.synth`` takes far longer than the
model itself, so the survival table is built once for a ``--base``-customer demo (cleaned and
featurized the normal way) and then resampled with replacement, with new customer ids, to
``--customers`` rows. Durations keep their whole-day resolution (ties included), as in real data.

Printed figures (seconds, wall clock): building the survival table; ``ChurnModel.fit``
(design, the stratified sample above ``cfg.churn.max_fit_rows``, a first fit, lifelines'
``proportional_hazard_test`` and the stratified refit); a single lifelines ``CoxPHFitter``
fit on *all* rows for comparison; 90-day churn probabilities and 24-month CLV for every
active customer.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd


def _clock(label: str, start: float) -> float:
    took = time.perf_counter() - start
    print(f"{label:<58s} {took:8.2f} s", flush=True)
    return took


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=500_000)
    parser.add_argument("--base", type=int, default=5000, help="customers of the generated demo")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-full-fit", action="store_true", help="no all-rows lifelines fit")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")

    from lifelines import CoxPHFitter

    from custops.core.config import load_config
    from custops.demo.synth import write_demo_data
    from custops.features.features import customer_features
    from custops.ingest.cleaning import load_and_clean
    from custops.survival import churn, clv

    print(f"custops churn benchmark: {args.customers:,} customers (base demo {args.base:,})")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        config = write_demo_data(Path(tmp), n_customers=args.base, seed=args.seed)
        cfg = load_config(config)
        tables = load_and_clean(cfg, "2025Q4").tables
    features = customer_features(
        tables,
        "2025Q4",
        inactivity_days=cfg.churn.inactivity_days,
        slow_response_hours=cfg.nps.slow_response_hours,
    )
    base = churn.add_covariates(
        churn.survival_data(features, "2025Q4", cfg.churn), tables["orders"]
    )
    _clock(f"base demo: generate, clean, featurize ({len(base):,} buyers)", start)

    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    surv = base.iloc[rng.integers(0, len(base), args.customers)].reset_index(drop=True)
    surv["customer_id"] = [f"B{i:07d}" for i in range(len(surv))]
    _clock(f"resampled survival table ({len(surv):,} rows)", start)

    start = time.perf_counter()
    model = churn.ChurnModel(
        penalizer=cfg.churn.penalizer,
        max_fit_rows=cfg.churn.max_fit_rows,
        random_state=args.seed,
    ).fit(surv)
    fit_s = _clock(
        f"ChurnModel.fit (sample {model.n_fit_:,}, PH test, strata {model.strata_})", start
    )

    for step, seconds in model.timings_.items():
        print(f"    {step:<54s} {seconds:8.2f} s")

    if not args.skip_full_fit:
        data = model.design_.transform(surv).assign(
            duration_days=surv["duration_days"], event=surv["event"]
        )
        start = time.perf_counter()
        CoxPHFitter().fit(data, "duration_days", "event")
        _clock(f"lifelines CoxPHFitter on all {len(data):,} rows (no strata)", start)

    active = surv[surv["event"] == 0]
    start = time.perf_counter()
    prob = model.churn_probability(active, cfg.churn.horizon_days)
    _clock(f"churn probability for {len(active):,} active customers", start)
    start = time.perf_counter()
    value = clv.clv(model, active, cfg.clv)
    _clock(f"CLV ({cfg.clv.horizon_months} months) for {len(active):,} active customers", start)

    hr = model.hazard_ratios().set_index("covariate")
    print()
    print(f"Cox fit (ChurnModel.fit) on {model.n_fit_:,} rows: {fit_s:.1f} s")
    for column in ("unresolved_complaint", "slow_first_response", "app_bound"):
        row = hr.loc[column]
        print(f"  HR {column:<22s} {row['hr']:.3f} [{row['hr_low']:.3f}, {row['hr_high']:.3f}]")
    print(f"  expected churners in {cfg.churn.horizon_days} days: {prob.sum():,.0f}")
    print(f"  total CLV: {value['clv'].sum():,.0f}")
    pd.set_option("display.width", 120)


if __name__ == "__main__":
    main()
