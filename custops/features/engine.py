"""The feature engine: embedded DuckDB by default, Spark at scale, one set of expressions.

Feature code in :mod:`custops.features.features` is written as Ibis expressions against tables the
engine provides; only customer-level results come back to pandas.

Where the data lives decides how it is read (:meth:`Engine.table`):

* a pandas DataFrame: registered (an Ibis memtable; on Spark a Spark DataFrame built with Arrow);
* a Parquet or CSV file, a glob (``orders/*.parquet``), or a folder of them, hive-partitioned
  (``orders/year=2025/month=11/part-0.parquet``) or not: read in place, out of core;
* a DuckDB file (``warehouse.duckdb``): attached read-only, the table of that name is used;
* a bare table name (``orders``, ``sales.orders``): a table of the engine's own database, i.e.
  of the on-disk DuckDB file ``engine.database``, of a SQL database when ``engine.database`` is
  a URL (``postgres://...``, ``mysql://...``, ``sqlite:///file.db``; the features then run
  inside that database), or a Spark catalog table or view.

Out of core on one machine: DuckDB streams Parquet from disk and spills aggregations to
``temp_directory`` when they exceed ``memory_limit``; on 100M order rows the benchmark
(``benchmarks/README.md``) stays within a few GB. Spark runs the same expressions on a
cluster (``spark_master``) or in local mode.

Large model fits (Cox, clustering) use :func:`stratified_sample` above
``churn.max_fit_rows`` / ``segments.max_cluster_rows``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd

from custops.core.config import EngineConfig
from custops.core.errors import ConfigError, DataError

__all__ = ["Engine", "connect", "start_spark", "stratified_sample"]

_CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
_DUCKDB_SUFFIXES = (".duckdb", ".ddb")
_GLOB_CHARS = set("*?[")


def _is_url(text: str) -> bool:
    return "://" in text and not text.startswith("file://")


def _is_file_like(text: str) -> bool:
    lowered = text.lower()
    return (
        any(ch in text for ch in _GLOB_CHARS)
        or "/" in text
        or os.sep in text
        or lowered.endswith(_CSV_SUFFIXES + _PARQUET_SUFFIXES + _DUCKDB_SUFFIXES)
        or Path(text).exists()
    )


def _check_spark_parquet(path: str, is_dir: bool) -> None:
    """Spark cannot read nanosecond Parquet timestamps (pandas' default): say so up front."""
    if _is_url(path):
        return
    import glob

    import pyarrow as pa
    import pyarrow.parquet as pq

    if is_dir:
        first = next((p for p in sorted(Path(path).rglob("*.parquet"))), None)
    else:
        first = next(iter(sorted(glob.glob(path, recursive=True))), None)
    if first is None:
        return
    schema = pq.read_schema(first)
    nanos = [f.name for f in schema if pa.types.is_timestamp(f.type) and f.type.unit == "ns"]
    if nanos:
        raise DataError(
            str(first),
            nanos[0],
            "holds nanosecond timestamps (Parquet INT64 TIMESTAMP(NANOS)), which Spark cannot read",
            fix="Write the Parquet with microseconds: "
            "df.to_parquet(path, coerce_timestamps='us', allow_truncated_timestamps=True) "
            "(DuckDB's COPY ... TO 'x.parquet' already does), or read it with the duckdb engine.",
        )


class Engine:
    """A connection to DuckDB, Spark or a SQL database through Ibis.

    Parameters
    ----------
    backend : ibis backend
        A connected Ibis backend (``ibis.duckdb.connect()``, ``ibis.pyspark.connect(session)``).
    name : str
        ``"duckdb"``, ``"spark"`` or the Ibis backend name of a SQL database.

    Examples
    --------
    >>> eng = connect()
    >>> t = eng.table("orders", pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}))
    >>> eng.to_pandas(t.amount.sum())
    1.0
    """

    def __init__(self, backend: Any, name: str, partitions: int = 1) -> None:
        self.backend = backend
        self.name = name
        self.partitions = partitions
        self._attached: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Engine({self.name!r})"

    def table(self, name: str, data: pd.DataFrame | str | Path | Any) -> ibis.Table:
        """Make ``data`` a table of this engine, reading files where they are.

        Parameters
        ----------
        name : str
            The table's role (``"orders"``); also the table looked up in a DuckDB file.
        data : DataFrame, str, Path or ibis.Table
            A DataFrame (registered); a Parquet/CSV file, glob or folder (read in place, out of
            core; hive partitions become columns); a ``.duckdb`` file (attached read-only, table
            ``name``); a bare table name of the engine's database or Spark catalog
            (``"orders"``, ``"sales.orders"``); or an Ibis table of this engine (returned as is).

        Returns
        -------
        ibis.Table

        Examples
        --------
        >>> eng = connect()
        >>> eng.table("orders", "data/orders/**/*.parquet")  # doctest: +SKIP
        >>> eng.table("orders", "warehouse.duckdb")  # doctest: +SKIP
        >>> eng.to_pandas(eng.table("t", pd.DataFrame({"x": [1, 2]})).x.max())
        2
        """
        if isinstance(data, ibis.Table):
            return data
        if isinstance(data, pd.DataFrame):
            return self._frame(name, data)
        if self.name == "spark" and type(data).__name__ == "DataFrame" and hasattr(data, "rdd"):
            view = ibis.util.gen_name(name)
            data.createOrReplaceTempView(view)
            return self.backend.table(view)
        text = str(data)
        if not _is_file_like(text):
            return self._named(text)
        return self._files(name, text)

    # ------------------------------------------------------------------ sources
    def _frame(self, name: str, frame: pd.DataFrame) -> ibis.Table:
        # A memtable is registered by the backend that executes it: DuckDB scans the frame
        # in place; Spark builds a DataFrame (with Arrow) from the Ibis schema and a temp view.
        return ibis.memtable(frame)

    def _named(self, text: str) -> ibis.Table:
        parts = text.split(".")
        try:
            if len(parts) == 1:
                return self.backend.table(text)
            return self.backend.table(
                parts[-1], database=tuple(parts[:-1]) if len(parts) > 2 else parts[0]
            )
        except Exception as err:  # the backends raise different types for a missing table
            known = self._list_tables()[:20]
            raise DataError(
                text,
                None,
                f"no such table in the {self.name} engine ({type(err).__name__})",
                examples=[f"tables in it: {', '.join(known) or 'none'}"],
                fix="Give a Parquet/CSV path or glob, or the name of an existing table "
                "(engine.database points at the database that holds it).",
            ) from err

    def _files(self, name: str, text: str) -> ibis.Table:
        path = text[len("file://") :] if text.startswith("file://") else text
        lowered = path.lower()
        if lowered.endswith(_DUCKDB_SUFFIXES):
            return self._duckdb_file(name, path)
        is_dir = not _is_url(path) and Path(path).is_dir()
        if is_dir:
            files = (p for p in Path(path).rglob("*") if p.is_file())
            first = next((p for p in files if not p.name.startswith(("_", "."))), None)
            if first is None:
                raise DataError(path, None, "the folder holds no data files")
            csv = first.name.lower().endswith(_CSV_SUFFIXES)
            suffix = "".join(first.suffixes[-2:]) if first.name.endswith(".gz") else first.suffix
        else:
            csv = lowered.endswith(_CSV_SUFFIXES)
            suffix = ""
        if self.name == "spark":
            if not csv:
                _check_spark_parquet(path, is_dir)
            # Spark reads a folder with partition discovery; Hadoop globs do not know '**'
            target = path
            if "**" in target:
                target = target.split("**")[0].rstrip("/") or "."
            if csv:
                return self.backend.read_csv(target)
            return self.backend.read_parquet(target)
        if self.name != "duckdb":
            raise ConfigError(
                f"The {self.name} engine cannot read files ({path}).",
                fix="Load them into that database first, or use engine.name duckdb or spark.",
            )
        target = f"{path.rstrip('/')}/**/*{suffix}" if is_dir else path
        if csv:
            return self.backend.read_csv(target, hive_partitioning=True, union_by_name=True)
        return self.backend.read_parquet(target, hive_partitioning=True, union_by_name=True)

    def _duckdb_file(self, name: str, path: str) -> ibis.Table:
        if self.name != "duckdb":
            raise ConfigError(
                f"A DuckDB file ({path}) can only be read by the duckdb engine, not {self.name}.",
                fix="Export the table to Parquet (COPY orders TO 'orders.parquet') for Spark.",
            )
        if not Path(path).exists():
            raise DataError(path, None, "the DuckDB file does not exist")
        resolved = str(Path(path).resolve())
        alias = self._attached.get(resolved)
        if alias is None:
            alias = ibis.util.gen_name("src")
            self.backend.attach(resolved, name=alias, read_only=True)
            self._attached[resolved] = alias
        try:
            return self.backend.table(name, database=alias)
        except Exception as err:
            tables = self._list_tables(alias)
            raise DataError(
                path,
                None,
                f"has no table {name!r}",
                examples=[f"tables: {', '.join(sorted(tables)) or 'none'}"],
            ) from err

    def _list_tables(self, catalog: str | None = None) -> list[str]:
        try:
            if self.name == "duckdb":  # ibis 12's list_tables fails on duckdb 2.0
                sql = "SELECT table_name FROM information_schema.tables"
                args: list[str] = []
                if catalog:
                    sql += " WHERE table_catalog = ?"
                    args.append(catalog)
                rows = self.backend.con.execute(sql, args).fetchall()
                return sorted({row[0] for row in rows})
            return sorted(self.backend.list_tables())
        except Exception:
            return []

    # ------------------------------------------------------------------ results
    def to_pandas(self, expr: Any) -> Any:
        """Execute an expression and return pandas objects (customer-level results only).

        On DuckDB a table result is converted column by column from Arrow (same values and
        dtypes as Ibis' ``execute``, without its copies: Ibis turns every numeric column that
        holds a NULL into a Python list and builds the frame twice, which took 7.4 GB for the
        5M-customer feature table of the 100M-row benchmark).
        """
        if self.name == "duckdb" and isinstance(expr, ibis.Table):
            table = self.backend.to_pyarrow(expr)
            names, columns = table.column_names, table.columns
            del table  # the columns list holds the only references: freed as converted
            return _arrow_frame(columns, names, expr.schema())
        return self.backend.execute(expr)

    def customer_frame(
        self,
        lines: ibis.Table,
        build: Callable[[ibis.Table], ibis.Table],
        *,
        partitions: int | None = None,
        key: str = "customer_id",
    ) -> pd.DataFrame:
        """Run a per-customer query, in hash partitions of the customers, sorted by ``key``.

        ``build`` turns a table of rows (orders, lines) into a table with one row per
        customer. On DuckDB with ``partitions`` = K > 1 it runs K times, each time on the rows
        whose ``hash(key) mod K`` is one value, so every pass holds 1/K of the aggregation
        state (the per-customer-and-day hash tables dominate the memory of the features);
        the parts are concatenated and sorted in Arrow, then converted to pandas once. Every
        customer falls in exactly one part, so the result equals one pass. Other engines run
        one pass (Spark partitions by itself).

        Parameters
        ----------
        lines : ibis.Table
            The input rows, with a ``key`` column.
        build : callable
            ``ibis.Table -> ibis.Table`` aggregating rows to one row per ``key``.
        partitions : int, optional
            Number of passes; defaults to the engine's (``engine.partitions`` in the config).
        key : str
            Customer column: the partition key and the sort order of the result.

        Returns
        -------
        DataFrame
            One row per ``key``, sorted by it (byte order of the UTF-8 text, as DuckDB sorts).

        Examples
        --------
        >>> eng = connect()
        >>> t = eng.table("o", pd.DataFrame({"customer_id": list("cabca"), "x": [1, 2, 3, 4, 5]}))
        >>> per = lambda rows: rows.group_by("customer_id").aggregate(x=rows.x.sum())
        >>> eng.customer_frame(t, per, partitions=3).to_dict("list")
        {'customer_id': ['a', 'b', 'c'], 'x': [7, 3, 5]}
        """
        k = self.partitions if partitions is None else partitions
        if k < 1:
            raise ValueError(f"partitions must be at least 1, not {k}")
        if self.name != "duckdb" or k == 1:
            return self.to_pandas(build(lines).order_by(key))
        import pyarrow as pa
        import pyarrow.compute as pc

        bucket = (lines[key].hash() % k + k) % k
        parts, schema = [], None
        for part in range(k):
            expr = build(lines.filter(bucket == part))
            schema = expr.schema()
            parts.append(self.backend.to_pyarrow(expr))
        table = pa.concat_tables(parts)
        del parts
        # sort by index, one column at a time while converting: never two copies of the table
        order = pc.sort_indices(table, sort_keys=[(key, "ascending")])
        names, columns = table.column_names, table.columns
        del table
        return _arrow_frame(columns, names, schema, order=order)

    def close(self) -> None:
        """Release the connection (DuckDB files are closed; a Spark session is left running).

        The Spark session is shared by the process (``getOrCreate``); stop it yourself with
        ``engine.backend._session.stop()`` when done.
        """
        if self.name != "spark":
            self.backend.disconnect()


def _arrow_frame(columns: list, names: list[str], schema: Any, order: Any = None) -> pd.DataFrame:
    """The Arrow columns of a DuckDB result as a pandas DataFrame, one column at a time.

    ``columns`` is emptied: pass a list no one else holds, so each column is freed once
    converted.

    Numeric columns become NumPy arrays directly (NULL -> NaN, as Ibis' own conversion ends up);
    other columns with NULLs, nested and dictionary columns take Ibis' path (Python objects).
    Each column passes through Ibis' converter for the schema's dtype, and its Arrow buffers are
    released once converted, so the peak is about one copy of the result, not three. ``order``
    (row indices) reorders each column as it is converted.
    """
    import pyarrow.types as pat
    from ibis.backends.duckdb.converter import DuckDBPandasData

    converted = {}
    for name, dtype in zip(names, schema.values(), strict=True):
        col = columns.pop(0)
        if order is not None:
            col = col.take(order)
        numeric = pat.is_floating(col.type) or pat.is_integer(col.type)
        python = pat.is_nested(col.type) or pat.is_dictionary(col.type)
        if python or (col.null_count and not numeric):
            values = pd.Series(col.to_pylist(), name=name)
        else:
            values = col.to_pandas()
            values.name = name
        del col
        converted[name] = DuckDBPandasData.convert_column(values, dtype)
        del values
    # copy=False: the columns stay separate blocks (no consolidation copy of the numerics)
    return pd.DataFrame(converted, columns=names, copy=False)


def start_spark(master: str = "local[2]", conf: dict[str, str] | None = None) -> Any:
    """Start (or reuse) a Spark session configured for custops.

    Sets the session time zone to UTC, turns off the web UI and console progress bars, enables
    Arrow for pandas conversion and, in local mode, uses few shuffle partitions.

    Parameters
    ----------
    master : str
        ``local[N]``, ``spark://host:7077``, ``yarn``...
    conf : dict, optional
        Further Spark settings, e.g. ``{"spark.driver.memory": "4g"}``; they win over ours.

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    >>> spark = start_spark("local[2]", {"spark.driver.memory": "2g"})  # doctest: +SKIP
    >>> eng = connect(spark_session=spark)  # doctest: +SKIP
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "engine.name is 'spark' but pyspark is not installed.",
            fix="Install the extra: pip install 'custops[spark]' (needs Java 17).",
        ) from None
    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    if master.startswith("local"):
        settings["spark.sql.shuffle.partitions"] = str(max(2, 2 * (os.cpu_count() or 1)))
        settings["spark.driver.host"] = "127.0.0.1"
    settings.update({key: str(value) for key, value in (conf or {}).items()})
    builder = SparkSession.builder.master(master).appName("custops")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(
    config: EngineConfig | None = None,
    spark_session: Any | None = None,
) -> Engine:
    """Connect to the configured engine.

    Parameters
    ----------
    config : EngineConfig, optional
        ``name`` (duckdb or spark); DuckDB ``database`` (``:memory:``, a file, or a SQL
        database URL such as ``postgres://user@host/db``), ``memory_limit``, ``temp_directory``
        and ``threads``; Spark ``spark_master``.
    spark_session : pyspark.sql.SparkSession, optional
        An existing session to use instead of starting one (implies Spark). Its settings are
        left as they are; features do not depend on its time zone.

    Returns
    -------
    Engine

    Examples
    --------
    >>> connect().name
    'duckdb'
    >>> eng = connect(EngineConfig(memory_limit="1GB", threads=1))
    >>> eng.backend.con.execute("SELECT current_setting('threads')").fetchone()[0]
    1
    """
    config = config or EngineConfig()
    if spark_session is not None or config.name == "spark":
        session = spark_session or start_spark(config.spark_master)
        return Engine(ibis.pyspark.connect(session), "spark", config.partitions)
    if _is_url(config.database):
        try:
            backend = ibis.connect(config.database)
        except Exception as err:
            raise ConfigError(
                f"Cannot connect to engine.database {config.database!r}: {err}",
                fix="Check the URL and that the Ibis backend for it is installed "
                "(pip install 'ibis-framework[postgres]').",
            ) from err
        return Engine(backend, backend.name, config.partitions)
    if config.database != ":memory:":
        Path(config.database).parent.mkdir(parents=True, exist_ok=True)
    backend = ibis.duckdb.connect(config.database)
    settings = {"preserve_insertion_order": "false"}
    if config.memory_limit:
        settings["memory_limit"] = config.memory_limit
    if config.temp_directory:
        Path(config.temp_directory).mkdir(parents=True, exist_ok=True)
        settings["temp_directory"] = str(config.temp_directory)
    if config.threads:
        settings["threads"] = str(config.threads)
    for key, value in settings.items():
        backend.raw_sql(f"SET {key} = '{value}'")
    return Engine(backend, "duckdb", config.partitions)


# ---------------------------------------------------------------------------- sampling
def stratified_sample(
    frame: pd.DataFrame,
    by: str | list[str] | None,
    n: int,
    seed: int,
) -> pd.DataFrame:
    """A deterministic stratified random sample of ``n`` rows, in the frame's original order.

    Used before fits that do not scale (Cox PH, clustering) when a table has more than
    ``churn.max_fit_rows`` / ``segments.max_cluster_rows`` rows. Each stratum (a combination
    of the ``by`` columns; missing values form their own stratum) gets rows in proportion to
    its size, rounded by largest remainder so the total is exactly ``n``; every stratum keeps
    at least one row while ``n`` allows. Within a stratum rows are drawn without replacement
    with ``numpy.random.default_rng(seed)``: the same frame, ``n`` and seed give the same rows.

    With ``len(frame) <= n`` the frame is returned unchanged (a copy). The result's
    ``attrs["sample"]`` records ``n_population``, ``n_sample``, ``by`` and ``seed`` so a
    notebook can state what was done.

    Parameters
    ----------
    frame : DataFrame
        The rows to sample (e.g. the survival table or the customer features).
    by : str, list of str or None
        Stratification columns (e.g. ``"event"`` for a Cox fit, ``"region"``); None for a
        simple random sample.
    n : int
        Sample size (> 0).
    seed : int
        ``cfg.seed``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> df = pd.DataFrame({"event": [1] * 20 + [0] * 80, "x": range(100)})
    >>> s = stratified_sample(df, "event", 10, seed=42)
    >>> len(s), int(s["event"].sum())
    (10, 2)
    >>> s.equals(stratified_sample(df, "event", 10, seed=42))
    True
    >>> s.attrs["sample"]["n_population"]
    100
    """
    if n <= 0:
        raise ValueError(f"n must be positive, not {n}")
    columns = [by] if isinstance(by, str) else list(by or [])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"stratified_sample: columns {missing} not in the frame")
    info = {"n_population": len(frame), "by": columns, "seed": seed}
    if len(frame) <= n:
        out = frame.copy()
        out.attrs["sample"] = {**info, "n_sample": len(frame)}
        return out
    rng = np.random.default_rng(seed)
    if columns:
        codes = frame.groupby(columns, dropna=False, sort=True).ngroup().to_numpy()
    else:
        codes = np.zeros(len(frame), dtype=np.int64)
    sizes = np.bincount(codes)
    quota = sizes * n / len(frame)
    alloc = np.floor(quota).astype(np.int64)
    if n >= len(sizes):
        alloc = np.maximum(alloc, 1)
    # largest remainder until the total is n (ties: first stratum); trim overshoot from the
    # one-row minimum off the most over-allocated strata that have rows to spare
    while alloc.sum() < n:
        gap = np.where(alloc < sizes, quota - alloc, -np.inf)
        alloc[int(np.argmax(gap))] += 1
    while alloc.sum() > n:
        excess = np.where(alloc > 1, alloc - quota, -np.inf)
        alloc[int(np.argmax(excess))] -= 1
    positions = np.argsort(codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    chosen = [
        rng.choice(positions[s : s + size], size=k, replace=False)
        for s, size, k in zip(starts, sizes, alloc, strict=True)
        if k > 0
    ]
    picked = np.sort(np.concatenate(chosen))
    out = frame.iloc[picked].copy()
    out.attrs["sample"] = {**info, "n_sample": len(out)}
    return out
