"""PII redaction benchmark: recall per kind, precision, clean quotes wrongly withheld, speed.

    .venv/bin/python benchmarks/bench_pii.py [--seed 7] [--throughput 20000]

The labelled set is ``pii_corpus.make_corpus`` (480 comments: 320 with planted personal data,
every kind 40 times, a quarter of them with a second value; 160 clean comments with traps).
Throughput: ``redact_series`` + the unsure flags on N distinct generated comments, after a
warm-up (word lists and jieba loaded).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_corpus import KINDS, evaluate, make_corpus

from custops.ingest.redact import default_redactor, scan_series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--throughput", type=int, default=20000, help="comments timed")
    args = parser.parse_args()
    corpus = make_corpus(seed=args.seed)
    redactor = default_redactor()
    t0 = time.perf_counter()
    redactor.scan("预热 warm-up 张伟 13812345678")
    print(f"load (word lists, jieba, phonenumbers): {time.perf_counter() - t0:.1f} s")
    scans = [redactor.scan(r.comment) for r in corpus]
    result = evaluate(corpus, scans)
    print(
        f"labelled set: {len(corpus)} comments, {len(corpus) - result['clean_comments']} with PII"
    )
    for kind in KINDS:
        print(f"  recall {kind:<11} {result['recall'][kind]:.3f}  (n={result['n'][kind]})")
    print(f"precision of masks: {result['precision']:.3f}")
    print(f"clean comments withheld from quotes (unsure): {result['clean_dropped_share']:.1%}")
    print(f"comments with PII also flagged unsure: {result['pii_unsure_share']:.1%}")
    big = make_corpus(
        n_pii=args.throughput * 2 // 3, n_clean=args.throughput // 3, seed=args.seed + 1
    )
    comments = pd.Series([f"{r.comment} #{i}" for i, r in enumerate(big)])
    zh = comments.str.contains(r"[\u4e00-\u9fff]").mean()
    t0 = time.perf_counter()
    scan_series(comments, redactor)
    elapsed = time.perf_counter() - t0
    print(
        f"throughput: {len(comments) / elapsed:,.0f} distinct comments/s "
        f"({len(comments):,} comments, {zh:.0%} with Chinese, {elapsed:.1f} s)"
    )
    repeated = pd.concat([comments.head(len(comments) // 10)] * 10, ignore_index=True)
    t0 = time.perf_counter()
    scan_series(repeated, redactor)
    elapsed = time.perf_counter() - t0
    print(f"throughput with 10x repeats (deduplicated): {len(repeated) / elapsed:,.0f} comments/s")


if __name__ == "__main__":
    main()
