"""Compare the artifacts and glued numbers of two builds of the same period.

    python tools/compare_artifacts.py BUILD_A BUILD_B [--period 2025Q4] [--ignore NAME ...]

For a restructuring step that must leave the report's numbers unchanged: build the demo with
the old code into BUILD_A and with the new code into BUILD_B (same config, seed and period),
then compare

* every file under ``<build>/<period>/artifacts``: CSV and Parquet tables cell by cell
  (same columns, same rows, numbers equal to 1e-9 relative), other files byte by byte;
* the glued values of every executed notebook (``<build>/<period>/notebooks/*.ipynb``),
  as text, key by key (a key that was renamed shows up as missing on one side and new on the
  other).

Prints one line per difference and a summary; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from custops.run.pipeline import glued_scalars  # noqa: E402


def _table(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, keep_default_na=True, low_memory=False)


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> str:
    """'' when equal, else what differs first."""
    if list(a.columns) != list(b.columns):
        return f"columns {sorted(set(a.columns) ^ set(b.columns)) or 'order'} differ"
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            xv, yv = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
            same = np.isclose(xv, yv, rtol=1e-9, atol=0, equal_nan=True)
        else:
            same = (x.astype(str) == y.astype(str)).to_numpy()
        if not same.all():
            i = int(np.flatnonzero(~same)[0])
            return f"column {column!r}: {(~same).sum()} cells differ, first row {i}: {x.iloc[i]!r} vs {y.iloc[i]!r}"
    return ""


def _same_text(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b
    return (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-9)


def compare(a: Path, b: Path, period: str, ignore: set[str]) -> list[str]:
    """Differences between two builds of ``period`` (artifacts, then glued values)."""
    out = []
    art_a, art_b = a / period / "artifacts", b / period / "artifacts"
    names = sorted(
        {p.relative_to(art_a).as_posix() for p in art_a.rglob("*") if p.is_file()}
        | {p.relative_to(art_b).as_posix() for p in art_b.rglob("*") if p.is_file()}
    )
    for name in names:
        if Path(name).name in ignore:
            continue
        pa, pb = art_a / name, art_b / name
        if not pa.exists() or not pb.exists():
            out.append(f"artifact {name}: only in {'B' if not pa.exists() else 'A'}")
        elif pa.suffix in (".csv", ".parquet"):
            diff = _same_frames(_table(pa), _table(pb))
            if diff:
                out.append(f"artifact {name}: {diff}")
        elif pa.read_bytes() != pb.read_bytes():
            out.append(f"artifact {name}: bytes differ")
    nb_a, nb_b = a / period / "notebooks", b / period / "notebooks"
    for path in sorted(nb_a.glob("*.ipynb")):
        other = nb_b / path.name
        if not other.exists():
            out.append(f"notebook {path.name}: only in A")
            continue
        ga = glued_scalars(nbformat.read(path, as_version=4))
        gb = glued_scalars(nbformat.read(other, as_version=4))
        for key in ga.keys() | gb.keys():
            if key not in gb:
                out.append(f"glue {path.stem}::{key}: only in A ({ga[key]})")
            elif key not in ga:
                out.append(f"glue {path.stem}::{key}: only in B ({gb[key]})")
            elif not _same_text(ga[key].strip(), gb[key].strip()):
                out.append(f"glue {path.stem}::{key}: {ga[key]} vs {gb[key]}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build_a", type=Path)
    parser.add_argument("build_b", type=Path)
    parser.add_argument("--period", default="2025Q4")
    parser.add_argument("--ignore", nargs="*", default=["run.json"], help="file names to skip")
    args = parser.parse_args(argv)
    diffs = compare(args.build_a, args.build_b, args.period, set(args.ignore))
    for line in sorted(diffs):
        print(line)
    n = len(list((args.build_a / args.period / "artifacts").rglob("*")))
    print(f"{len(diffs)} differences ({n} artifact files in A)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
