"""The feature engine: embedded DuckDB by default, Spark at scale, one set of expressions.

Feature code in :mod:`custops.features` is written as Ibis expressions against tables the
engine provides; only customer-level results come back to pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from custops.config import EngineConfig
from custops.errors import ConfigError

__all__ = ["Engine", "connect"]


class Engine:
    """A connection to DuckDB or Spark through Ibis.

    Parameters
    ----------
    backend : ibis backend
        A connected Ibis backend (``ibis.duckdb.connect()``, ``ibis.pyspark.connect(session)``).
    name : str
        ``"duckdb"`` or ``"spark"``.

    Examples
    --------
    >>> eng = connect()
    >>> t = eng.table("orders", pd.DataFrame({"customer_id": ["a"], "amount": [1.0]}))
    >>> eng.to_pandas(t.amount.sum())
    1.0
    """

    def __init__(self, backend: Any, name: str) -> None:
        self.backend = backend
        self.name = name

    def table(self, name: str, data: pd.DataFrame | str | Path | Any) -> ibis.Table:
        """Make ``data`` (a DataFrame, a Parquet/CSV path or glob, or an Ibis table) a table.

        Files are read where they are (out of core); DataFrames are registered.
        """
        if isinstance(data, ibis.Table):
            return data
        if isinstance(data, pd.DataFrame):
            return ibis.memtable(data)
        path = str(data)
        if path.endswith(".csv") or path.endswith(".csv.gz"):
            return self.backend.read_csv(path, table_name=name)
        return self.backend.read_parquet(path, table_name=name)

    def to_pandas(self, expr: Any) -> Any:
        """Execute an expression and return pandas objects."""
        return self.backend.execute(expr)

    def close(self) -> None:
        """Release the connection (DuckDB files are closed; a user's Spark session is left running)."""
        if self.name == "duckdb":
            self.backend.disconnect()


def connect(config: EngineConfig | None = None, spark_session: Any | None = None) -> Engine:
    """Connect to the configured engine.

    Parameters
    ----------
    config : EngineConfig, optional
        ``name`` (duckdb or spark), DuckDB ``database`` and ``memory_limit``, Spark ``spark_master``.
    spark_session : pyspark.sql.SparkSession, optional
        An existing session to use instead of starting one.

    Returns
    -------
    Engine

    Examples
    --------
    >>> connect().name
    'duckdb'
    """
    config = config or EngineConfig()
    if config.name == "duckdb" and spark_session is None:
        backend = ibis.duckdb.connect(config.database)
        if config.memory_limit:
            backend.raw_sql(f"SET memory_limit = '{config.memory_limit}'")
        return Engine(backend, "duckdb")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "engine.name is 'spark' but pyspark is not installed.",
            fix="Install the extra: pip install 'custops[spark]' (needs Java 17).",
        ) from None
    session = spark_session or (
        SparkSession.builder.master(config.spark_master)
        .appName("custops")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    return Engine(ibis.pyspark.connect(session), "spark")
