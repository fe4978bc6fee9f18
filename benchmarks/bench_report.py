"""Benchmark the whole report: ``custops run`` on the scaled demo company.

    python benchmarks/bench_report.py [--customers 1000000] [--orders 20000000] [--only 03]

Generates (or reuses) the Parquet sources of ``benchmarks/gen_report_data.py``, then runs
``custops run --config <data>/custops.yaml --period 2025Q4 --out <tmp>`` in a subprocess and
reports

* seconds per notebook and for the book build (from the run's ``run.json``) and the total
  wall time of the command;
* the slowest cells of every notebook (papermill records each cell's duration);
* peak memory: the largest resident set of the command's whole process tree (the CLI, the
  Jupyter kernels and the Sphinx build), sampled every 50 ms with psutil;
* the machine: cores, RAM and the 1-minute load average before, during (mean of samples)
  and after the run: the machine is shared, so read the times with the load next to them.

While it runs, ``benchmarks/data/report_bench_<customers>.partial.json`` holds the figures
so far (finished notebooks, peak memory, mean load), so a run stopped early still leaves them.

The last line reads ``report_minutes=<x> target=15``. Raw figures go to
``benchmarks/data/report_bench_<customers>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from gen_report_data import PERIOD, generate  # noqa: E402


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def _slowest_cells(notebook: Path, k: int = 4) -> list[tuple[float, str]]:
    nb = nbformat.read(notebook, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        seconds = (cell.metadata.get("papermill") or {}).get("duration") or 0.0
        first = next((line for line in cell.source.splitlines() if line.strip()), "")
        cells.append((float(seconds), first.strip()[:90]))
    return sorted(cells, reverse=True)[:k]


def _write_partial(args, log: Path, started: float, peak: int, loads: list[float]) -> None:
    """Figures so far (finished notebooks, peak, load), for a run that is stopped early."""
    done = [line for line in log.read_text().splitlines() if " done in " in line]
    record = {
        "date": str(date.today()),
        "elapsed_seconds": round(time.perf_counter() - started, 1),
        "finished": done,
        "peak_mb_so_far": round(peak / 2**20),
        "load_mean_so_far": round(statistics.mean(loads), 2),
    }
    name = f"report_bench_{args.customers}" + (f"_{args.only}" if args.only else "")
    (HERE / "data").mkdir(exist_ok=True)
    (HERE / "data" / f"{name}.partial.json").write_text(json.dumps(record, indent=2))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=None, help="default 20 per customer")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", default=None, help="run one notebook (custops run --only)")
    parser.add_argument("--out", type=Path, default=None, help="build root (default: a temp dir)")
    parser.add_argument("--language", default=None)
    parser.add_argument(
        "--data", type=Path, default=None, help="where the generated sources go (default: data/)"
    )
    args = parser.parse_args(argv)
    orders = args.orders if args.orders is not None else 20 * args.customers

    data = generate(args.customers, orders, args.seed, out=args.data)
    rows = json.loads((data / "_manifest.json").read_text())["rows"]
    out = args.out or Path(tempfile.mkdtemp(prefix="custops-report-bench-"))
    load_before = os.getloadavg()[0]
    print(
        f"custops report benchmark, {date.today()} — {platform.node()} {platform.machine()}, "
        f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
        f"Python {platform.python_version()}, load avg {load_before:.1f}"
    )
    print("data: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()) + f" ({data})")
    cmd = [
        str(Path(sys.executable).with_name("custops")),
        "run",
        "--config",
        str(data / "custops.yaml"),
        "--period",
        PERIOD,
        "--out",
        str(out),
        "--no-progress",
    ]
    if args.only:
        cmd += ["--only", args.only]
    if args.language:
        cmd += ["--language", args.language]
    print("command: " + " ".join(cmd), flush=True)
    started = time.perf_counter()
    log = out / "bench_report.log"
    out.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT, text=True)
        parent = psutil.Process(proc.pid)
        peak, loads, last_load = 0, [], 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(parent))
            if time.perf_counter() - last_load > 5:
                loads.append(os.getloadavg()[0])
                last_load = time.perf_counter()
                _write_partial(args, log, started, peak, loads)
            time.sleep(0.05)
    wall = time.perf_counter() - started
    text = log.read_text()
    for line in text.splitlines():
        if line.startswith("[") or "done" in line or "Error" in line or "failed" in line:
            print("  | " + line)
    if proc.returncode != 0:
        print(text[-3000:])
        print(f"report_minutes=failed target=15 (exit {proc.returncode}, log {log})")
        return 1
    manifest = json.loads((out / PERIOD / "run.json").read_text())
    print("seconds per step:")
    steps: dict[str, float] = {}
    for nb in manifest.get("notebooks", []):
        steps[nb["name"]] = nb["seconds"]
        print(f"  {nb['name']:<34} {nb['seconds']:8.1f} s")
        executed = out / PERIOD / "notebooks" / nb["name"]
        if executed.exists():
            for seconds, first in _slowest_cells(executed):
                print(f"      {seconds:7.1f} s  {first}")
    book = manifest.get("book_seconds")
    if book is not None:
        steps["book"] = book
        print(f"  {'book build':<34} {book:8.1f} s")
    print(f"  {'total (custops run, wall)':<34} {wall:8.1f} s")
    load_during = statistics.mean(loads) if loads else load_before
    load_after = os.getloadavg()[0]
    print(f"peak memory (process tree): {peak / 2**20:,.0f} MB")
    print(
        f"load average (1 min): before {load_before:.1f}, during {load_during:.1f} (mean), "
        f"after {load_after:.1f}; {os.cpu_count()} cores"
    )
    (HERE / "data").mkdir(exist_ok=True)
    record = {
        "date": str(date.today()),
        "rows": rows,
        "command": cmd,
        "seconds": steps,
        "total_seconds": wall,
        "peak_mb": peak / 2**20,
        "load_before": load_before,
        "load_during": load_during,
        "load_after": load_after,
        "only": args.only,
    }
    name = f"report_bench_{args.customers}" + (f"_{args.only}" if args.only else "")
    (HERE / "data" / f"{name}.json").write_text(json.dumps(record, indent=2))
    print(f"report_minutes={wall / 60:.1f} target=15")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
