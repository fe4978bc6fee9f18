"""Generate a synthetic order log of N rows as Parquet, in chunks (100M rows need no 100M in memory).

One row per order: ``order_id`` (int64, unique), ``customer_id`` (string ``C000000001``),
``order_date`` (timestamp, microseconds: Spark cannot read pandas' nanosecond Parquet),
``amount`` (float64, 2 decimals). About 20 orders per customer (``N // 20`` customers), each
customer active over a random window of 2023-01-01 .. 2026-01-31, so some orders fall after
the observation end 2025-12-31 and must be ignored by every engine.

The files go to ``benchmarks/data/orders_<N>/part-XXXXX.parquet`` (git-ignored) with a
``_manifest.json``; an existing complete data set with the same N and seed is reused.

    python benchmarks/gen_orders.py --rows 10000000
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent / "data"
START = np.datetime64("2023-01-01T00:00:00", "us")
END = np.datetime64("2026-02-01T00:00:00", "us")
OBSERVATION_END = "2025-12-31"
PERIOD = "2025Q4"
CHUNK = 4_000_000
ORDERS_PER_CUSTOMER = 20


def data_dir(rows: int, seed: int = 7) -> Path:
    """Folder of the data set with ``rows`` rows."""
    suffix = "" if seed == 7 else f"_s{seed}"
    return DATA / f"orders_{rows}{suffix}"


def generate(rows: int, seed: int = 7, *, chunk: int = CHUNK, force: bool = False) -> Path:
    """Write (or reuse) the order log; returns its folder."""
    out = data_dir(rows, seed)
    manifest = out / "_manifest.json"
    n_customers = max(100, rows // ORDERS_PER_CUSTOMER)
    meta = {"rows": rows, "seed": seed, "customers": n_customers, "chunk": chunk, "version": 1}
    if not force and manifest.exists() and json.loads(manifest.read_text()) == meta:
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    span_us = int((END - START) / np.timedelta64(1, "us"))
    # per-customer activity window: start anywhere, last 30 days .. the whole range
    first = rng.integers(0, span_us, n_customers, dtype=np.int64)
    length = (rng.beta(1.2, 1.5, n_customers) * span_us).astype(np.int64) + 30 * 86_400_000_000
    length = np.minimum(length, span_us - first + 1)
    ids = np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), 9)).astype(object)
    started = time.perf_counter()
    for part, begin in enumerate(range(0, rows, chunk)):
        n = min(chunk, rows - begin)
        customer = rng.integers(0, n_customers, n)
        offset = (rng.random(n) * length[customer]).astype(np.int64)
        when = START + (first[customer] + offset).astype("timedelta64[us]")
        amount = np.round(rng.lognormal(4.0, 0.8, n), 2)
        table = pa.table(
            {
                "order_id": pa.array(np.arange(begin, begin + n, dtype=np.int64)),
                "customer_id": pa.array(ids[customer], type=pa.string()),
                "order_date": pa.array(when, type=pa.timestamp("us")),
                "amount": pa.array(amount),
            }
        )
        pq.write_table(table, out / f"part-{part:05d}.parquet", row_group_size=1_000_000)
        del table, customer, offset, when, amount
    manifest.write_text(json.dumps(meta))
    print(
        f"wrote {rows:,} rows ({n_customers:,} customers) to {out} in {time.perf_counter() - started:.1f}s"
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args(argv)
    path = generate(args.rows, args.seed, chunk=args.chunk, force=args.force)
    print(path)


if __name__ == "__main__":
    main()
