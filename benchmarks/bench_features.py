"""Benchmark the customer-level RFM summary: custops on DuckDB and Spark vs pandas and pymc-marketing.

    python benchmarks/bench_features.py --rows 10000000 [--engines duckdb,features,pandas,rfm_summary,spark]

Generates (or reuses) an order log of N rows as Parquet (``benchmarks/gen_orders.py``,
cached under ``benchmarks/data/``), then runs each engine in a FRESH subprocess, one after
the other, and measures

* wall time of the computation (reading the data -> customer-level pandas result; process
  start-up, imports and the Spark JVM start are reported apart as ``process_s``), median of
  ``--runs`` runs (3 up to 10M rows, 1 above);
* peak memory: the largest resident set of the child's whole process tree (sampled every
  20 ms with psutil, so the Spark JVM counts) and the child's own ``ru_maxrss``.

Engines (each computes the daily BG/NBD summary ``customer_id, frequency, recency, T,
monetary_value`` with observation end 2025-12-31, except ``features``):

``duckdb``       ``custops.features.features.rfm_summary`` on DuckDB reading the Parquet glob directly
``features``     ``custops.features.features.order_features`` (the whole feature table) on DuckDB
``pandas``       a plain pandas groupby (read the Parquet, floor to days, two groupbys)
``rfm_summary``  ``pymc_marketing.clv.utils.rfm_summary`` on the pandas frame; runs in the
                 interpreter given by ``--pymc-python`` (default ``/tmp/pymc-venv/bin/python``,
                 or ``$PYMC_PYTHON``) because pymc-marketing is no dependency of custops
``spark``        ``custops.features.features.rfm_summary`` on Spark local mode reading the Parquet folder

The results are compared (same customers, values equal to 1e-6) and the last line reads
``speedup_vs_rfm_summary=<x> memory_ratio=<custops peak / rfm_summary peak>``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENGINES = ["duckdb", "features", "pandas", "rfm_summary", "spark"]
DEFAULT_PYMC = "/tmp/pymc-venv/bin/python"
SUMMARY = ["customer_id", "frequency", "recency", "T", "monetary_value"]


# ----------------------------------------------------------------------------- children
def _child(engine: str, data: str, out: str, options: dict) -> dict:
    """Run one engine in this (fresh) process; return timings."""
    import pandas as pd

    sys.path.insert(0, str(HERE))
    from gen_orders import OBSERVATION_END, PERIOD

    glob = f"{data}/*.parquet"
    info: dict = {}
    if engine in ("duckdb", "features"):
        sys.path.insert(0, str(ROOT))
        from custops.core.config import EngineConfig
        from custops.features.engine import connect
        from custops.features.features import order_features, rfm_summary

        config = EngineConfig(
            memory_limit=options.get("memory_limit"),
            temp_directory=options.get("temp_directory"),
            partitions=options.get("partitions", 1),
        )
        grain = options.get("grain", "orders")
        started = time.perf_counter()
        eng = connect(config)
        if engine == "duckdb":
            result = rfm_summary(glob, OBSERVATION_END, time_unit="D", grain=grain, engine=eng)
        else:
            result = order_features(glob, PERIOD, inactivity_days=180, grain=grain, engine=eng)
        seconds = time.perf_counter() - started
        eng.close()
    elif engine == "spark":
        sys.path.insert(0, str(ROOT))
        from custops.features.engine import connect, start_spark
        from custops.features.features import rfm_summary

        boot = time.perf_counter()
        session = start_spark(
            "local[*]", {"spark.driver.memory": options.get("spark_memory", "4g")}
        )
        eng = connect(spark_session=session)
        info["jvm_start_s"] = time.perf_counter() - boot
        started = time.perf_counter()
        result = rfm_summary(
            data, OBSERVATION_END, time_unit="D", grain=options.get("grain", "orders"), engine=eng
        )
        seconds = time.perf_counter() - started
    elif engine == "pandas":
        started = time.perf_counter()
        result = _pandas_summary(
            pd.read_parquet(data, columns=["customer_id", "order_date", "amount"]),
            OBSERVATION_END,
        )
        seconds = time.perf_counter() - started
    elif engine == "rfm_summary":
        from pymc_marketing.clv.utils import rfm_summary as pymc_rfm

        started = time.perf_counter()
        frame = pd.read_parquet(data, columns=["customer_id", "order_date", "amount"])
        result = pymc_rfm(
            frame,
            customer_id_col="customer_id",
            datetime_col="order_date",
            monetary_value_col="amount",
            observation_period_end=OBSERVATION_END,
            time_unit="D",
        )
        seconds = time.perf_counter() - started
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    if engine == "features":
        result = result[["customer_id", "frequency", "recency", "T"]].assign(
            monetary_value=float("nan")
        )
    result = result[SUMMARY].sort_values("customer_id").reset_index(drop=True)
    result.to_parquet(out)
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "ru_maxrss_mb": max(self_kb, kids_kb) / 1024,
        "customers": len(result),
        **info,
    }


def _pandas_summary(frame, end: str):
    """A plain pandas BG/NBD summary (daily): the independent reference."""
    import numpy as np
    import pandas as pd

    day = frame["order_date"].to_numpy().astype("datetime64[D]")
    end_day = np.datetime64(end, "D")
    keep = day <= end_day
    daily = (
        pd.DataFrame(
            {
                "customer_id": frame["customer_id"].to_numpy()[keep],
                "day": day[keep],
                "amount": frame["amount"].to_numpy()[keep],
            }
        )
        .groupby(["customer_id", "day"], sort=False)["amount"]
        .sum()
        .reset_index()
    )
    g = daily.groupby("customer_id", sort=True)
    first = g["day"].min()
    n = g.size()
    total = g["amount"].sum()
    first_amount = daily.loc[daily["day"].to_numpy() == daily["customer_id"].map(first).to_numpy()]
    first_amount = first_amount.set_index("customer_id")["amount"]
    repeats = n - 1
    out = pd.DataFrame(
        {
            "frequency": repeats.astype(float),
            "recency": ((g["day"].max() - first).dt.days).astype(float),
            "T": ((pd.Timestamp(end_day) - first).dt.days).astype(float),
            "monetary_value": np.where(
                repeats > 0, (total - first_amount) / repeats.where(repeats > 0, 1), 0.0
            ),
        }
    )
    return out.rename_axis("customer_id").reset_index()


# ----------------------------------------------------------------------------- parent
def _measure(cmd: list[str], env: dict) -> tuple[dict, float, float]:
    """Run a child; return its JSON report, process wall seconds and sampled tree peak (MB)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            rss = 0
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    rss += p.memory_info().rss
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        errors = [line for line in err.splitlines() if "Error" in line or "Exception" in line]
        last = errors[-1].strip() if errors else err.strip().splitlines()[-1:]
        raise RuntimeError(f"failed (exit {proc.returncode}): {last}")
    report = json.loads(out.strip().splitlines()[-1])
    return report, wall, peak / 2**20


def _python_for(engine: str, pymc_python: str) -> str | None:
    if engine != "rfm_summary":
        return sys.executable
    if not Path(pymc_python).exists():
        return None
    probe = subprocess.run(
        [pymc_python, "-c", "import pymc_marketing.clv.utils, pyarrow, psutil"],
        capture_output=True,
    )
    return pymc_python if probe.returncode == 0 else None


def _spark_ready() -> str | None:
    """None when pyspark and Java are available, else the reason."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark not installed (pip install 'custops[spark]')"
    if not (
        os.environ.get("JAVA_HOME")
        or any((Path(p) / "java").exists() for p in os.environ.get("PATH", "").split(os.pathsep))
    ):
        return "no Java runtime (Spark needs Java 17)"
    return None


def _compare(results: dict[str, Path]) -> list[str]:
    import numpy as np
    import pandas as pd

    lines = []
    reference = "pandas" if "pandas" in results else next(iter(results))
    ref = pd.read_parquet(results[reference])
    for engine, path in results.items():
        if engine == reference:
            continue
        other = pd.read_parquet(path)
        same_ids = len(other) == len(ref) and other["customer_id"].equals(ref["customer_id"])
        diffs = []
        for column in ("frequency", "recency", "T", "monetary_value"):
            if other[column].isna().all():
                continue
            if same_ids:
                diffs.append(
                    float(np.max(np.abs(other[column].to_numpy() - ref[column].to_numpy())))
                )
        agree = same_ids and all(d <= 1e-6 for d in diffs)
        lines.append(
            f"  {engine:<12} vs {reference}: {'agree' if agree else 'DISAGREE'} "
            f"(customers {len(other):,} vs {len(ref):,}, max abs diff {max(diffs, default=0):.2e})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--runs", type=int, default=None, help="default 3 up to 10M rows, else 1")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit")
    parser.add_argument(
        "--grain",
        default="orders",
        choices=["orders", "lines"],
        help="custops grain: 'orders' (the data is one row per order, as pymc-marketing "
        "assumes; default) or 'lines' (group rows to orders first)",
    )
    parser.add_argument(
        "--partitions", type=int, default=1, help="custops engine.partitions (DuckDB passes)"
    )
    parser.add_argument("--spark-memory", default="4g", help="spark.driver.memory")
    parser.add_argument("--pymc-python", default=os.environ.get("PYMC_PYTHON", DEFAULT_PYMC))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        report = _child(args.child, args.data, args.out, json.loads(args.options))
        print(json.dumps(report))
        return 0

    sys.path.insert(0, str(HERE))
    from gen_orders import generate

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engines {unknown}; choose from {ENGINES}")
    runs = args.runs or (3 if args.rows <= 10_000_000 else 1)
    data = generate(args.rows)
    size_mb = sum(p.stat().st_size for p in data.glob("*.parquet")) / 2**20
    print(
        f"custops feature benchmark, {date.today()} — {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, {_total_gib():.0f} GiB RAM, load avg {os.getloadavg()[0]:.1f}"
    )
    print(
        f"data: {args.rows:,} order rows, {size_mb:.0f} MB Parquet in {data}; runs per engine: {runs}"
    )
    print(
        f"custops (duckdb, features): grain={args.grain} partitions={args.partitions} "
        f"memory_limit={args.memory_limit}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="custops-bench-"))
    options = {
        "memory_limit": args.memory_limit,
        "grain": args.grain,
        "partitions": args.partitions,
        "temp_directory": str(tmp / "spill"),
        "spark_memory": args.spark_memory,
    }
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    rows: dict[str, dict] = {}
    outputs: dict[str, Path] = {}
    skipped: dict[str, str] = {}
    for engine in engines:
        python = _python_for(engine, args.pymc_python)
        if python is None:
            skipped[engine] = f"pymc-marketing not importable with {args.pymc_python}"
            continue
        if engine == "spark" and (reason := _spark_ready()):
            skipped[engine] = reason
            continue
        out = tmp / f"{engine}.parquet"
        times, walls, peaks, rss = [], [], [], []
        try:
            for _ in range(runs):
                cmd = [
                    python,
                    str(Path(__file__).resolve()),
                    "--rows",
                    str(args.rows),
                    "--child",
                    engine,
                    "--data",
                    str(data),
                    "--out",
                    str(out),
                    "--options",
                    json.dumps(options),
                ]
                report, wall, peak = _measure(cmd, env)
                times.append(report["seconds"])
                walls.append(wall)
                peaks.append(max(peak, report["ru_maxrss_mb"]))
                rss.append(report["ru_maxrss_mb"])
        except RuntimeError as err:
            skipped[engine] = str(err)[:400]
            continue
        rows[engine] = {
            "seconds": statistics.median(times),
            "process_s": statistics.median(walls),
            "peak_mb": max(peaks),
            "ru_maxrss_mb": max(rss),
            "all": times,
            "customers": report["customers"],
        }
        outputs[engine] = out
        print(
            f"  {engine:<12} {rows[engine]['seconds']:8.2f} s  (runs {', '.join(f'{t:.2f}' for t in times)}; "
            f"process {rows[engine]['process_s']:.1f} s)  peak {rows[engine]['peak_mb']:8.0f} MB  "
            f"ru_maxrss {rows[engine]['ru_maxrss_mb']:.0f} MB",
            flush=True,
        )
    for engine, reason in skipped.items():
        print(f"  {engine:<12} skipped: {reason}")
    print("agreement (daily BG/NBD summary, observation end 2025-12-31):")
    for line in _compare(outputs) if len(outputs) > 1 else ["  (one engine only)"]:
        print(line)
    (HERE / "data").mkdir(exist_ok=True)
    record = {
        "date": str(date.today()),
        "rows": args.rows,
        "runs": runs,
        "engines": rows,
        "skipped": skipped,
        "custops_options": {k: options[k] for k in ("memory_limit", "grain", "partitions")},
        "load_avg": os.getloadavg()[0],
    }
    (HERE / "data" / f"bench_{args.rows}.json").write_text(json.dumps(record, indent=2))
    if "duckdb" in rows and "rfm_summary" in rows:
        speed = rows["rfm_summary"]["seconds"] / rows["duckdb"]["seconds"]
        memory = rows["duckdb"]["peak_mb"] / rows["rfm_summary"]["peak_mb"]
        print(f"speedup_vs_rfm_summary={speed:.1f} memory_ratio={memory:.2f}")
    else:
        why = (
            skipped.get("rfm_summary")
            or skipped.get("duckdb")
            or "duckdb and rfm_summary not both run"
        )
        print(f"speedup_vs_rfm_summary=skipped memory_ratio=skipped ({why})")
    return 0


def _total_gib() -> float:
    try:
        import psutil

        return psutil.virtual_memory().total / 2**30
    except ImportError:
        return float("nan")


if __name__ == "__main__":
    raise SystemExit(main())
