"""Benchmark the BTYD models: custops vs pymc-marketing's BetaGeoModel (MAP) and lifetimes.

    python benchmarks/bench_btyd.py --customers 10000,100000,1000000 [--impls custops,pymc,lifetimes]

For each size, customers are simulated from BG/NBD with known parameters (seeded; purchases
on whole days, summaries in weeks as custops computes them from a daily log: recency and T
are whole days / 7; T uniform on 1..546 days), with Gamma-Gamma spend, and written to a
Parquet file under ``--workdir``. Every implementation then runs in a FRESH subprocess on the
same file, one after the other, and reports

* ``import_s``: importing the library; ``fit_s``: the BG/NBD fit (for pymc-marketing:
  model build + ``fit(method="map")``); ``predict_s`` (custops only): Gamma-Gamma fit and
  P(alive), expected purchases, expected spend and CLV with 95% intervals for every
  customer (:func:`custops.survival.btyd.customer_value`);
* ``peak_mb``: the child's peak resident set (``ru_maxrss``, the whole process incl. imports);
* the fitted r, alpha, a, b and their largest relative difference from the truth and from
  custops' estimates.

pymc-marketing and lifetimes are no custops dependencies: they run in their own venvs
(``--pymc-python``, default ``/tmp/pymc-venv/bin/python`` or ``$PYMC_PYTHON``;
``--lifetimes-python``, default ``/tmp/lifetimes-venv/bin/python`` or ``$LIFETIMES_PYTHON``),
made with ``python -m venv DIR && DIR/bin/pip install pymc-marketing psutil pyarrow`` (and
``lifetimes pyarrow``). An implementation whose interpreter cannot import it is reported as
skipped. The last lines print the ratios custops / pymc-marketing and the holdout check on
CDNOW (total expected vs actual repeat purchases 1997-10-01 .. 1998-06-30) when the real data
folder is present.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TRUTH = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
SPEND = {"p": 6.25, "q": 3.74, "v": 15.44}
IMPLS = ["custops", "pymc", "lifetimes"]


def simulate(n: int, seed: int, path: Path) -> None:
    """BG/NBD customers (daily purchase days, weekly units) with Gamma-Gamma spend -> Parquet."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUTH.values()
    lam = rng.gamma(r, 1.0 / alpha, n)  # purchases per week
    p = rng.beta(a, b, n)
    T_days = rng.integers(1, 547, n)
    T = T_days / 7.0
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        t[idx] += rng.exponential(1.0 / lam[idx])
        inside = t[idx] <= T[idx]
        buy = idx[inside]
        x[buy] += 1
        tx[buy] = t[buy]
        alive[idx[~inside]] = False
        alive[buy[rng.random(len(buy)) < p[buy]]] = False
    # purchases on whole days (several on one day are one transaction in a real summary;
    # with these rates that is rare and ignored here); recency in whole days too
    tx = np.minimum(np.floor(tx * 7.0), T_days - 0) / 7.0
    tx = np.where(x > 0, tx, 0.0)
    pp, q, v = SPEND.values()
    nu = rng.gamma(q, 1.0 / v, n)
    mean = rng.gamma(pp * np.maximum(x, 1), 1.0 / (nu * np.maximum(x, 1)))
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "frequency": x,
            "recency": tx,
            "T": T,
            "monetary_value": np.where(x > 0, mean, 0.0),
        }
    )
    frame.to_parquet(path, index=False)


# ----------------------------------------------------------------------------- children
def child_custops(data: str) -> dict:
    t0 = time.perf_counter()
    import pandas as pd

    from custops.survival.btyd import BetaGeoFitter, GammaGammaFitter, customer_value

    import_s = time.perf_counter() - t0
    frame = pd.read_parquet(data)
    t0 = time.perf_counter()
    model = BetaGeoFitter().fit(frame)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    spend = GammaGammaFitter().fit(frame)
    value = customer_value(model, spend, frame, random_state=42)
    predict_s = time.perf_counter() - t0
    return {
        "import_s": import_s,
        "fit_s": fit_s,
        "predict_s": predict_s,
        "params": model.params_.to_dict(),
        "spend_params": spend.params_.to_dict(),
        "converged": model.converged_,
        "interval_method": value.attrs["interval_method"],
        "clv_total": float(value["clv_btyd"].sum()),
        "iterations": model.iterations_,
    }


def child_pymc(data: str) -> dict:
    t0 = time.perf_counter()
    import warnings

    warnings.filterwarnings("ignore")
    import pandas as pd
    from pymc_marketing.clv import BetaGeoModel

    import_s = time.perf_counter() - t0
    frame = pd.read_parquet(data)[["customer_id", "frequency", "recency", "T"]]
    t0 = time.perf_counter()
    model = BetaGeoModel(data=frame)
    model.fit(method="map")
    fit_s = time.perf_counter() - t0
    post = model.idata.posterior
    params = {k: float(post[k].values.ravel()[0]) for k in ("r", "alpha", "a", "b")}
    return {"import_s": import_s, "fit_s": fit_s, "params": params}


def child_lifetimes(data: str) -> dict:
    t0 = time.perf_counter()
    import warnings

    warnings.filterwarnings("ignore")
    import pandas as pd
    from lifetimes import BetaGeoFitter

    import_s = time.perf_counter() - t0
    frame = pd.read_parquet(data)
    t0 = time.perf_counter()
    model = BetaGeoFitter().fit(frame["frequency"], frame["recency"], frame["T"])
    fit_s = time.perf_counter() - t0
    return {
        "import_s": import_s,
        "fit_s": fit_s,
        "params": {k: float(v) for k, v in model.params_.items()},
    }


def _child_main(impl: str, data: str) -> None:
    import resource

    result = {"custops": child_custops, "pymc": child_pymc, "lifetimes": child_lifetimes}[impl](
        data
    )
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


# ----------------------------------------------------------------------------- parent
def _run(impl: str, python: str, data: Path, timeout: float) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="ignore")
    cmd = [python, str(Path(__file__).resolve()), "--child", impl, "--data", str(data)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"skipped": f"timed out after {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {"skipped": "failed: " + " | ".join(tail)}


def _importable(python: str, module: str) -> bool:
    if not Path(python).exists():
        return False
    probe = subprocess.run([python, "-c", f"import {module}, pandas, pyarrow"], capture_output=True)
    return probe.returncode == 0


def _max_rel(a: dict, b: dict) -> float:
    return max(abs(a[k] / b[k] - 1.0) for k in TRUTH)


def _cdnow_holdout(real: Path) -> str | None:
    sample = real / "CDNOW_sample.txt"
    if not sample.exists():
        return None
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from custops.survival.btyd.holdout import holdout_validation

    raw = pd.read_csv(sample, sep=r"\s+", header=None, dtype={0: str, 2: str})
    orders = pd.DataFrame(
        {
            "customer_id": raw[0],
            "order_id": np.arange(len(raw)).astype(str),
            "order_date": pd.to_datetime(raw[2], format="%Y%m%d"),
            "amount": raw[4].astype(float),
        }
    )
    totals = holdout_validation(orders, "1997-09-30", "1998-06-30").totals()
    return "; ".join(
        f"{r.model}: expected {r.expected:,.1f} vs actual {r.actual:,.0f} ({r.error_pct:+.1%}), MAE {r.mae:.3f}"
        for r in totals.itertuples()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", default="10000,100000,1000000")
    parser.add_argument("--impls", default=",".join(IMPLS))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workdir", default="/tmp/bench_btyd")
    parser.add_argument(
        "--pymc-python", default=os.environ.get("PYMC_PYTHON", "/tmp/pymc-venv/bin/python")
    )
    parser.add_argument(
        "--lifetimes-python",
        default=os.environ.get("LIFETIMES_PYTHON", "/tmp/lifetimes-venv/bin/python"),
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="per child, seconds")
    parser.add_argument("--real-data", default=str(ROOT.parent / "shared" / "data" / "real"))
    parser.add_argument("--child")
    parser.add_argument("--data")
    args = parser.parse_args(argv)
    if args.child:
        _child_main(args.child, args.data)
        return 0

    pythons = {
        "custops": sys.executable,
        "pymc": args.pymc_python,
        "lifetimes": args.lifetimes_python,
    }
    modules = {"custops": "custops", "pymc": "pymc_marketing.clv", "lifetimes": "lifetimes"}
    impls = [i for i in args.impls.split(",") if i]
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"# bench_btyd  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  {platform.node()}  "
        f"{platform.processor() or platform.machine()}  cpus={os.cpu_count()}"
    )
    print(
        "# load before: "
        + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    )
    print("# truth: " + ", ".join(f"{k}={v}" for k, v in TRUTH.items()))
    header = f"{'customers':>10} {'impl':>10} {'import_s':>9} {'fit_s':>8} {'predict_s':>10} {'peak_mb':>8}  params (r, alpha, a, b)  max_rel_vs_truth  max_rel_vs_custops"
    rows = []
    for n in [int(v) for v in args.customers.split(",")]:
        data = work / f"bgnbd_{n}_{args.seed}.parquet"
        if not data.exists():
            t0 = time.perf_counter()
            simulate(n, args.seed, data)
            print(f"# simulated {n:,} customers in {time.perf_counter() - t0:.1f} s -> {data}")
        results = {}
        for impl in impls:
            if not _importable(pythons[impl], modules[impl]):
                results[impl] = {"skipped": f"{modules[impl]} not importable with {pythons[impl]}"}
                continue
            results[impl] = _run(impl, pythons[impl], data, args.timeout)
        print(header)
        for impl, res in results.items():
            if "skipped" in res:
                print(f"{n:>10,} {impl:>10}  skipped: {res['skipped']}")
                continue
            ps = res["params"]
            vs_ours = (
                _max_rel(ps, results["custops"]["params"])
                if "params" in results.get("custops", {})
                else float("nan")
            )
            print(
                f"{n:>10,} {impl:>10} {res['import_s']:>9.2f} {res['fit_s']:>8.2f} "
                f"{res.get('predict_s', float('nan')):>10.2f} {res['peak_mb']:>8.0f}  "
                f"({ps['r']:.4f}, {ps['alpha']:.4f}, {ps['a']:.4f}, {ps['b']:.4f})  "
                f"{_max_rel(ps, TRUTH):>8.3f}  {vs_ours:>8.4f}"
            )
        ours = results.get("custops", {})
        if "fit_s" in ours:
            print(
                f"#   custops: converged={ours['converged']} iterations={ours['iterations']} "
                f"intervals={ours['interval_method']} gamma-gamma={ours['spend_params']}"
            )
        for other in ("pymc", "lifetimes"):
            theirs = results.get(other, {})
            if "fit_s" in ours and "fit_s" in theirs:
                print(
                    f"#   ratio custops/{other}: fit time {ours['fit_s'] / theirs['fit_s']:.3f}, "
                    f"fit+predict time {(ours['fit_s'] + ours['predict_s']) / theirs['fit_s']:.3f}, "
                    f"peak memory {ours['peak_mb'] / theirs['peak_mb']:.3f}"
                )
        rows.append({"customers": n, **{k: v for k, v in results.items()}})
    holdout = _cdnow_holdout(Path(args.real_data))
    if holdout:
        print("# CDNOW holdout 1997-10-01..1998-06-30: " + holdout)
    print(
        "# load after: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
