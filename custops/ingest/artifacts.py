"""Where a period's artifacts live, and how notebooks write and read them.

Notebook 01 writes the clean tables (personal data removed), the ledger, the rejects and
the customer view; later notebooks read these and never recompute them.

Layout: ``<build_dir>/<period>/artifacts/`` with ``ledger.csv``, ``rejects.csv``,
``customer_features.parquet``, ``clean_<table>.parquet`` and the later notebooks'
``segments.parquet``, ``churn_scores.parquet``, ``retention_priority.csv``,
``nps_summary.csv``, ``scorecard.csv``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from custops.core.config import Period
from custops.core.errors import CustopsError

#: set by ``custops run`` to ``<live artifacts dir><os.pathsep><staged copy>`` while the
#: notebooks execute, so that a failed or killed run never touches the live artifacts
STAGE_ENV = "CUSTOPS_ARTIFACTS_STAGE"

__all__ = [
    "STAGE_ENV",
    "artifacts_dir",
    "write_artifact",
    "read_artifact",
    "read_clean_tables",
    "read_columns",
    "has_artifact",
]


def artifacts_dir(build_dir: str | Path, period: Period | str, *, create: bool = True) -> Path:
    """The artifacts folder of a period: ``<build_dir>/<period>/artifacts``.

    Examples
    --------
    >>> artifacts_dir("/tmp/b", "2025Q4", create=False).as_posix()
    '/tmp/b/2025Q4/artifacts'
    """
    path = Path(build_dir).expanduser().resolve() / Period.parse(period).label / "artifacts"
    live, _, staged = os.environ.get(STAGE_ENV, "").partition(os.pathsep)
    if staged and Path(live) == path:  # inside `custops run`: write the staged copy
        path = Path(staged)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def write_artifact(frame: pd.DataFrame, folder: Path, name: str) -> Path:
    """Write ``frame`` as ``folder/name`` (``.parquet`` or ``.csv``, by the name's suffix).

    The file is written next to its final place and renamed, so a reader never sees half a file.

    Examples
    --------
    >>> import tempfile
    >>> p = write_artifact(pd.DataFrame({"a": [1]}), Path(tempfile.mkdtemp()), "x.csv")
    >>> read_artifact(p.parent, "x.csv")["a"].tolist()
    [1]
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = folder / f".{name}.tmp"
    if name.endswith(".parquet"):
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False, encoding="utf-8")
    tmp.replace(target)
    return target


def has_artifact(folder: Path, name: str) -> bool:
    """Whether an artifact exists."""
    return (folder / name).exists()


def _existing(folder: Path, name: str) -> Path:
    """The path of an artifact, or the error that says it is missing and what to run."""
    path = folder / name
    if not path.exists():
        raise CustopsError(
            f"The artifact {path} does not exist.",
            cause="The notebook that writes it has not run for this period.",
            fix="Run the earlier notebooks first: `custops run --config FILE --period P`.",
        )
    return path


def read_artifact(folder: Path, name: str) -> pd.DataFrame:
    """Read an artifact written by an earlier notebook, with a clear error if it is missing."""
    path = _existing(folder, name)
    return pd.read_parquet(path) if name.endswith(".parquet") else pd.read_csv(path)


def read_columns(folder: Path, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """A Parquet artifact with ``columns`` only, its text columns as Arrow-backed strings.

    20M order lines as Python strings take most of a minute to read and gigabytes of memory;
    as Arrow strings they are read in seconds and factorised, tested and sorted by Arrow.
    A missing artifact raises the error of :func:`read_artifact`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"a": ["x"], "b": [1.0]}).to_parquet(folder / "t.parquet")
    >>> read_columns(folder, "t.parquet", ["a"]).dtypes["a"]
    string[pyarrow]
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(_existing(folder, name), columns=list(columns))
    strings = {pa.string(): pd.StringDtype("pyarrow"), pa.large_string(): pd.StringDtype("pyarrow")}
    return table.to_pandas(types_mapper=strings.get)


def read_clean_tables(
    folder: Path,
    *,
    columns: dict[str, Sequence[str]] | None = None,
    skip: dict[str, Sequence[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The clean canonical tables written by notebook 01 (only those that exist).

    Read with :func:`custops.ingest.sources.read_parquet`: the frames ``pd.read_parquet`` gives,
    ids converted without Arrow's string-sharing lookup (2-3x faster on 20M order ids).

    Parameters
    ----------
    folder : Path
        The period's artifact folder.
    columns : dict, optional
        Per table, the only columns to read (those present, in this order).
    skip : dict, optional
        Per table, columns not to read (every other column is, including ones added later).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"order_id": ["1"], "customer_id": ["a"], "channel": ["web"]}).to_parquet(
    ...     folder / "clean_orders.parquet")
    >>> list(read_clean_tables(folder, columns={"orders": ["customer_id", "x"]})["orders"])
    ['customer_id']
    >>> list(read_clean_tables(folder, skip={"orders": ["channel"]})["orders"])
    ['order_id', 'customer_id']
    """
    import pyarrow.parquet as pq

    from custops.ingest.sources import read_parquet

    columns, skip = columns or {}, skip or {}
    tables = {}
    for path in sorted(Path(folder).glob("clean_*.parquet")):
        name = path.stem.removeprefix("clean_")
        wanted = None
        if name in columns or name in skip:
            present = pq.read_schema(path).names
            keep = columns.get(name, present)
            wanted = [c for c in keep if c in present and c not in set(skip.get(name, ()))]
        tables[name] = read_parquet(path, columns=wanted)
    if not tables:  # any clean table will do: a surveys- or tickets-only export has no orders
        raise CustopsError(
            f"No clean tables in {folder}.",
            fix="Run notebooks/01_data_collection.ipynb (or `custops run`) for this period first.",
        )
    return tables
