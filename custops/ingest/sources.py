"""Read source exports and map their columns to the canonical tables.

Readers keep every value as the source wrote it (text for CSV, native values for Excel,
Parquet and SQL) and add ``_src_file`` and ``_src_row`` (1-based record number, header
excluded), so a rejected row can be traced back to the untouched raw file. Typing and
cleaning happen in :mod:`custops.ingest.cleaning`.
"""

from __future__ import annotations

import codecs
import csv
import glob
import re
from pathlib import Path

import numpy as np
import pandas as pd

from custops.core.config import ReportConfig, SourceConfig
from custops.core.errors import DataError
from custops.core.parsing import to_number
from custops.ingest.schema import CANONICAL, Table

__all__ = ["detect_encoding", "read_source", "map_columns", "load_raw", "to_number"]

_SNIFF_BYTES = 4 * 1024 * 1024
_SOURCE_COLUMNS = ["_src_file", "_src_row"]


def detect_encoding(path: str | Path) -> str:
    """Guess a CSV's encoding: UTF-8 with BOM, UTF-8, else GB18030 (a superset of GBK).

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "gbk.csv")
    >>> _ = open(f, "wb").write("客户,金额\\n张三,1\\n".encode("gbk"))
    >>> detect_encoding(f)
    'gb18030'
    """
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        return "latin-1"


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        sample = fh.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _files(pattern: str, cfg: ReportConfig) -> list[Path]:
    resolved = str(cfg.resolve(pattern))
    if any(ch in pattern for ch in "*?["):
        matches = sorted(Path(p) for p in glob.glob(resolved, recursive=True))
        if not matches:
            raise DataError(
                pattern,
                None,
                "no file matches this pattern",
                fix=f"Check the path (resolved to {resolved}).",
            )
        return matches
    path = Path(resolved)
    if not path.exists():
        raise DataError(
            str(path),
            None,
            "the file does not exist",
            fix="Check `path` in the config; relative paths start from the config file's folder.",
        )
    return [path]


def _format(src: SourceConfig, path: Path | None) -> str:
    if src.format:
        return src.format
    if src.query:
        return "sql"
    suffix = "".join(path.suffixes[-2:]).lower() if path else ""
    if suffix.endswith((".xlsx", ".xlsm", ".xls")):
        return "excel"
    if suffix.endswith(".parquet") or (path is not None and path.is_dir()):
        return "parquet"
    if suffix.endswith((".duckdb", ".db")):
        return "duckdb"
    return "csv"


def _read_csv(path: Path, src: SourceConfig) -> pd.DataFrame:
    encoding = detect_encoding(path) if src.encoding == "auto" else src.encoding
    if path.stat().st_size == 0:
        raise DataError(
            str(path), None, "the file is empty (0 bytes)", fix="Export the table again."
        )
    delimiter = src.delimiter or _sniff_delimiter(path, encoding)
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=encoding,
            sep=delimiter,
            skipinitialspace=False,
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        raise DataError(
            str(path),
            None,
            f"cannot be decoded as {encoding} ({exc.reason} at byte {exc.start})",
            fix="Set `encoding:` for this source in the config (e.g. gb18030, utf-8, latin-1).",
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(
            str(path), None, "the file has no header and no rows", fix="Export the table again."
        ) from None
    except pd.errors.ParserError as exc:
        raise DataError(
            str(path),
            None,
            f"is not a regular {delimiter!r}-separated table: {str(exc).strip()}",
            fix="Check the delimiter (set `delimiter:` in the config) and quoting of text fields.",
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.replace({"": None})


def read_parquet(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """``pd.read_parquet(path, columns=columns)`` (same dtypes, values and index), faster.

    Arrow's conversion makes one Python string per text value and, by default, looks every
    value up in a hash table to share equal strings: for text columns of mostly distinct
    values (order ids) that lookup was most of the read (5M order ids: 2.5 of 8 s) and of
    its peak memory. Columns whose first 100,000 values are (99.9 %) distinct are converted
    without it; the others (customer ids of orders, categories) keep sharing their strings.

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "t.parquet")
    >>> pd.DataFrame({"id": ["a", "b"], "n": [1, 2]}).to_parquet(f)
    >>> read_parquet(f).equals(pd.read_parquet(f))
    True
    """
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=columns, use_pandas_metadata=True)
    metadata = table.schema.pandas_metadata or {}
    plain_index = all(isinstance(i, dict) for i in metadata.get("index_columns", []))
    distinct = [
        name
        for name, kind in zip(table.column_names, table.schema.types, strict=True)
        if (pa.types.is_string(kind) or pa.types.is_large_string(kind))
        and _mostly_distinct(table.column(name))
    ]
    if not distinct:
        frame = table.to_pandas(split_blocks=True)
    elif len(distinct) == table.num_columns:
        frame = table.to_pandas(split_blocks=True, deduplicate_objects=False)
    else:
        frame = _to_pandas_in_two(table, distinct) if plain_index else None
        if frame is None:
            frame = table.to_pandas(split_blocks=True)
    if table.schema.metadata and b"PANDAS_ATTRS" in table.schema.metadata:
        frame.attrs = json.loads(table.schema.metadata[b"PANDAS_ATTRS"])
    return frame


def _to_pandas_in_two(table: object, distinct: list[str]) -> pd.DataFrame | None:
    """The mostly-distinct text columns converted apart, put back in their places."""
    others = [c for c in table.column_names if c not in distinct]
    frame = table.select(others).to_pandas(split_blocks=True)
    rest = table.select(distinct).to_pandas(split_blocks=True, deduplicate_objects=False)
    if isinstance(frame.columns, pd.MultiIndex) or not rest.index.equals(frame.index):
        return None
    for position, name in enumerate(table.column_names):
        if name in distinct:
            column = rest.iloc[:, distinct.index(name)]
            frame.insert(position, column.name, column.array)
    return frame


def _mostly_distinct(column: object, sample: int = 100_000) -> bool:
    import pyarrow.compute as pc

    head = column.slice(0, sample)
    present = len(head) - head.null_count
    return present > 0 and pc.count_distinct(head).as_py() >= present - present // 1000


def _excel_engine() -> str:
    """python-calamine reads .xlsx several times faster than openpyxl; fall back when absent."""
    try:
        import python_calamine  # noqa: F401

        return "calamine"
    except ImportError:
        return "openpyxl"


def _sqlite_read_only(url: str) -> str:
    """``sqlite:///x.db`` -> a read-only URI, so a missing file is an error, never created."""
    path = url.removeprefix("sqlite:///")
    if not url.startswith("sqlite:///") or "mode=" in url or path in ("", ":memory:"):
        return url
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_sql(src: SourceConfig, cfg: ReportConfig) -> pd.DataFrame:
    if not src.query:
        raise DataError(
            src.path or "?", None, "a database source needs `query:`", fix="Add a SELECT query."
        )
    url = src.url or (str(cfg.resolve(src.path)) if src.path else ":memory:")
    is_duckdb = (
        src.format == "duckdb"
        or url.startswith("duckdb:")
        or ("://" not in url and url.endswith((".duckdb", ".db")))
    )
    # what the analyst sees in messages: never the password of a database URL
    where = re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", url)
    try:
        if is_duckdb:
            import duckdb

            database = url.removeprefix("duckdb:///").removeprefix("duckdb:")
            with duckdb.connect(database, read_only=database != ":memory:") as con:
                return con.sql(src.query).df()
        import sqlalchemy

        engine = sqlalchemy.create_engine(_sqlite_read_only(url))
        try:
            with engine.connect() as con:
                return pd.read_sql(sqlalchemy.text(src.query), con)
        finally:
            engine.dispose()
    except Exception as exc:  # drivers raise their own error types
        raise DataError(
            where,
            None,
            f"the query failed: {type(exc).__name__}: {_first_line(exc)}",
            examples=[f"query: {src.query.strip()[:200]}"],
            cause="The database file or URL is wrong, or the query names a table or column "
            "that does not exist.",
            fix="Check `url`/`path` and `query` of this source; try the query in a SQL client.",
        ) from None


def read_source(table: str, src: SourceConfig, cfg: ReportConfig) -> pd.DataFrame:
    """Read one configured source as it is, adding ``_src_file`` and ``_src_row``.

    Parameters
    ----------
    table : str
        Canonical table name (for messages).
    src : SourceConfig
        Where the data is.
    cfg : ReportConfig
        The report config (resolves relative paths).

    Returns
    -------
    DataFrame
        The source columns, unchanged, plus ``_src_file`` and ``_src_row``.

    Raises
    ------
    DataError
        The file is missing, empty, undecodable or not tabular.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}}})
    >>> read_source("orders", cfg.sources["orders"], cfg)  # doctest: +SKIP
    """
    fmt = _format(
        src, None if src.query else Path(str(cfg.resolve(src.path))) if src.path else None
    )
    if fmt == "sql" or (fmt == "duckdb" and src.query):
        frame = _read_sql(src, cfg)
        frame["_src_file"] = f"{table}: SQL query"
        frame["_src_row"] = np.arange(1, len(frame) + 1)
        return frame
    parts = []
    for path in _files(src.path or "", cfg):
        fmt = _format(src, path)
        if fmt == "csv":
            frame = _read_csv(path, src)
        elif fmt == "excel":
            try:
                frame = pd.read_excel(
                    path,
                    sheet_name=src.sheet if src.sheet is not None else 0,
                    dtype=object,
                    engine=_excel_engine(),
                )
            except ValueError as exc:
                if "not found" not in str(exc):
                    raise DataError(
                        str(path),
                        None,
                        f"cannot be read as an Excel workbook: {_first_line(exc)}",
                        fix="Save the file again as .xlsx from Excel, or export it as CSV.",
                    ) from None
                raise DataError(
                    str(path),
                    None,
                    f"cannot read the sheet: {exc}",
                    fix="Set `sheet:` to an existing sheet name.",
                ) from None
            except Exception as exc:  # the Excel engines raise their own error types
                raise DataError(
                    str(path),
                    None,
                    f"cannot be read as an Excel workbook: {type(exc).__name__}: {_first_line(exc)}",
                    fix="Save the file again as .xlsx from Excel, or export it as CSV.",
                ) from None
            frame.columns = [str(c).strip() for c in frame.columns]
        elif fmt == "parquet":
            try:
                frame = read_parquet(path)
            except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
                raise DataError(
                    str(path),
                    None,
                    f"cannot be read as Parquet: {type(exc).__name__}: {_first_line(exc)}",
                    fix="Export the table again as Parquet, or point `path` at the right file.",
                ) from None
        else:
            raise DataError(
                str(path),
                None,
                f"format {fmt!r} needs a `query:`",
                fix="Add a SELECT query to the source.",
            )
        frame["_src_file"] = path.name
        frame["_src_row"] = np.arange(1, len(frame) + 1)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def _delimiter_cause(raw: pd.DataFrame) -> str | None:
    """When a file was read as one column whose name holds another delimiter, say so."""
    columns = [str(c) for c in raw.columns if c not in _SOURCE_COLUMNS]
    if len(columns) != 1:
        return None
    found = [sep for sep in (",", ";", "\t", "|") if sep in columns[0]]
    if not found:
        return None
    return (
        f"The file was read as a single column {columns[0][:60]!r}: it looks "
        f"{found[0]!r}-separated; set `delimiter: {found[0]!r}` for this source."
    )


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def map_columns(table: str, raw: pd.DataFrame, src: SourceConfig, file_label: str) -> pd.DataFrame:
    """Rename source columns to canonical names and evaluate derived columns.

    Unmapped canonical columns are matched by name (case, spaces and dashes ignored).
    ``derive`` expressions are pandas expressions over source columns; the columns they
    use are read as numbers (text that is not a number becomes missing, and the row is
    rejected later with its original value).

    Examples
    --------
    >>> raw = pd.DataFrame({"Qty": ["2"], "Price": ["3.5"], "Inv": ["1"], "Cust": ["a"], "Day": ["2025-01-01"],
    ...                     "_src_file": ["x.csv"], "_src_row": [1]})
    >>> src = SourceConfig(path="x.csv", columns={"order_id": "Inv", "customer_id": "Cust", "order_date": "Day"},
    ...                    derive={"amount": "Qty * Price"})
    >>> map_columns("orders", raw, src, "x.csv")[["order_id", "amount"]].to_dict("records")
    [{'order_id': '1', 'amount': 7.0}]
    """
    spec: Table = CANONICAL[table]
    known = {_normalise(c): c for c in raw.columns if c not in _SOURCE_COLUMNS}
    out = pd.DataFrame(index=raw.index)
    mapped = dict(src.columns)
    for name in [*spec.required, *spec.optional]:
        if name not in mapped and name not in src.derive and _normalise(name) in known:
            mapped[name] = known[_normalise(name)]
    problems = []
    for canonical, source in mapped.items():
        if source not in raw.columns:
            alt = known.get(_normalise(source))
            if alt is None:
                problems.append((canonical, source))
                continue
            source = alt
        out[canonical] = raw[source]
    if problems:
        canonical, source = problems[0]
        import difflib

        close = difflib.get_close_matches(source, [str(c) for c in raw.columns], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise DataError(
            file_label,
            source,
            f"the column mapped to {table}.{canonical} is not in the file. "
            f"The file has: {', '.join(map(str, raw.columns.drop(_SOURCE_COLUMNS, errors='ignore')))}.{hint}",
            cause=_delimiter_cause(raw),
            fix=f"Fix `sources.{table}.columns.{canonical}` in the config.",
        )
    for canonical, expression in src.derive.items():
        used = [
            c
            for c in raw.columns
            if re.search(rf"(?<![\w`]){re.escape(str(c))}(?![\w`])", expression)
        ]
        scope = pd.DataFrame({c: to_number(raw[c]) for c in used}, index=raw.index)
        try:
            out[canonical] = scope.eval(expression, engine="python") if used else np.nan
        except Exception as exc:  # pandas raises many types for a bad expression
            raise DataError(
                file_label,
                canonical,
                f"cannot compute `{expression}`: {exc}",
                fix=f"Fix `sources.{table}.derive.{canonical}`; it may use only the file's columns.",
            ) from None
    missing = [c for c in spec.required if c not in out.columns]
    if missing:
        available = ", ".join(map(str, raw.columns.drop(_SOURCE_COLUMNS, errors="ignore")))
        raise DataError(
            file_label,
            missing[0],
            f"the required column {table}.{missing[0]} is missing (the file has: {available})",
            cause=_delimiter_cause(raw),
            fix=f"Map it in the config: `sources.{table}.columns.{missing[0]}: <column in the file>`.",
        )
    for column in _SOURCE_COLUMNS:
        out[column] = raw[column].to_numpy()
    return out


def load_raw(cfg: ReportConfig) -> dict[str, pd.DataFrame]:
    """Read and map every configured source: canonical column names, values untouched.

    Examples
    --------
    >>> load_raw(load_config("data/sample/custops.yaml"))["orders"].columns[:3].tolist()  # doctest: +SKIP
    ['order_id', 'customer_id', 'order_date']
    """
    tables = {}
    for table, src in cfg.sources.items():
        raw = read_source(table, src, cfg)
        label = src.path or f"{table} query"
        if len(raw) == 0:
            raise DataError(
                label,
                None,
                "has a header but no rows",
                fix="Export the table again, including its rows.",
            )
        tables[table] = map_columns(table, raw, src, label)
    return tables


def describe_source(cfg: ReportConfig, table: str) -> str:
    """A short human label of where a table came from (file name or 'SQL query')."""
    src = cfg.sources[table]
    return Path(src.path).name if src.path else "SQL query"
