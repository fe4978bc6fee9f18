"""Build the report on every real export configured in data/real/*.yaml (``make real-data``).

For each config: ``custops run`` for the period before the config's own period and then for
that period, into one folder ``build/real/<name>/``, so the second report scores the first
one's forecasts (chapter 05, "Last quarter's forecasts, scored"); ``--periods 1`` builds the
config's period only. Then one line per dataset and period with the rows read and kept (from
its ledger), the run time, and the path of the book. A failing dataset does not stop the
others; the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from custops.core.config import Period


def _ledger_rows(build: Path, period: str) -> tuple[int, int]:
    ledger = build / period / "artifacts" / "ledger.csv"
    if not ledger.is_file():
        return -1, -1
    frame = pd.read_csv(ledger)
    first = frame.drop_duplicates("table", keep="first")
    last = frame.drop_duplicates("table", keep="last")
    return int(first["rows_in"].sum()), int(last["rows_out"].sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("build/real"))
    parser.add_argument("--custops", default=str(Path(sys.executable).with_name("custops")))
    parser.add_argument(
        "--periods",
        type=int,
        default=2,
        help="consecutive periods to build, ending with the config's own (default 2)",
    )
    args = parser.parse_args(argv)
    rows, failed = [], []
    for config in args.configs:
        name = config.stem
        period = str(yaml.safe_load(config.read_text(encoding="utf-8")).get("period", ""))
        out = args.out / name
        periods = [period] if period else [""]
        while period and len(periods) < args.periods:
            periods.insert(0, Period.parse(periods[0]).previous().label)
        for label in periods:
            cmd = [args.custops, "run", "--config", str(config), "--out", str(out)]
            if label:
                cmd += ["--period", label]
            print(f"== {name} {label}: {' '.join(cmd)}", flush=True)
            started = time.perf_counter()
            code = subprocess.run(cmd).returncode
            seconds = time.perf_counter() - started
            rows_in, kept = _ledger_rows(out, label)
            book = out / label / "html" / "index.html"
            ok = code == 0 and book.is_file()
            if not ok:
                failed.append(f"{name} {label}".strip())
            rows.append(
                (name, label, rows_in, kept, seconds, str(book) if ok else f"FAILED (exit {code})")
            )
    print()
    print(f"{'dataset':<18} {'period':<8} {'rows in':>10} {'kept':>10} {'seconds':>8}  book")
    for name, period, rows_in, kept, seconds, book in rows:
        print(f"{name:<18} {period:<8} {rows_in:>10,} {kept:>10,} {seconds:>8.1f}  {book}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
