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
from custops.core.parsing import failed_examples, number_format, to_number
from custops.ingest.schema import CANONICAL, Table

__all__ = [
    "detect_encoding",
    "read_source",
    "map_columns",
    "load_raw",
    "to_number",
    "record_codes",
    "derive_names",
    "RECORD_COLUMN",
    "SOURCE_VALUE_PREFIX",
    "read_numbers",
    "first_invalid_byte",
]

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
        pass
    # a few invalid bytes in a UTF-8 or GBK export: still that encoding (the read then
    # names the first bad byte, or replaces them with `encoding_errors: replace`); latin-1
    # only when neither fits most of the non-ASCII bytes
    high = sum(head.count(bytes([b])) for b in range(0x80, 0x100))
    for encoding in ("utf-8", "gb18030"):
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)
        if high >= 20 and text.count("\ufffd") <= 0.01 * high:
            return encoding
    return "latin-1"


def first_invalid_byte(path: str | Path, encoding: str) -> tuple[int, int, bytes] | None:
    """The first byte of ``path`` that ``encoding`` cannot decode: (offset, line, bytes).

    Read in 1 MB pieces, so the offset is that of the file (pandas reports it within its
    read buffer, e.g. "byte 0" for a bad byte past 4 MB). None when the file decodes.

    Examples
    --------
    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "x.csv")
    >>> _ = open(f, "wb").write(b"a,b\\n1,2\\n3,\\xff\\n")
    >>> first_invalid_byte(f, "utf-8")
    (10, 3, b'\\xff')
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    position = 0
    lines = 1
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data = pending + chunk
                offset = position - len(pending) + exc.start
                line = lines + data[: exc.start].count(b"\n") - pending.count(b"\n")
                return offset, line, data[exc.start : exc.end]
            lines += chunk.count(b"\n")
            position += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return position, lines, b""
    return None


def _count_replaced(path: Path, encoding: str) -> int:
    """How many byte sequences ``encoding`` cannot decode (each becomes one U+FFFD)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    count = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            count += decoder.decode(chunk).count("\ufffd")
    return count + decoder.decode(b"", final=True).count("\ufffd")


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
    if src.header:
        _check_header(path, encoding, delimiter, src)
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=encoding,
            encoding_errors=src.encoding_errors,
            sep=delimiter,
            header=0 if src.header else None,
            skiprows=src.skip_rows or None,
            skipinitialspace=False,
            on_bad_lines="error",
        )
    except UnicodeDecodeError as exc:
        found = first_invalid_byte(path, encoding)
        where = (
            f"byte {found[0]:,} (line {found[1]:,}: {found[2]!r})" if found else f"byte {exc.start}"
        )
        raise DataError(
            str(path),
            None,
            f"cannot be decoded as {encoding} ({exc.reason} at {where})",
            cause=f"The file is {encoding} with a few damaged bytes, or in another encoding."
            if src.encoding == "auto"
            else None,
            fix="Set `encoding:` for this source in the config (e.g. gb18030, utf-8, latin-1), "
            "or `encoding_errors: replace` to read the damaged bytes as U+FFFD.",
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(
            str(path), None, "the file has no header and no rows", fix="Export the table again."
        ) from None
    except pd.errors.ParserError as exc:
        shown = "whitespace" if delimiter == r"\s+" else repr(delimiter)
        raise DataError(
            str(path),
            None,
            f"is not a regular {shown}-separated table: {str(exc).strip()}",
            fix="Check the delimiter (set `delimiter:` in the config) and quoting of text fields.",
        ) from None
    if src.names is not None:
        if len(src.names) != frame.shape[1]:
            first = frame.iloc[0].tolist() if len(frame) else []
            raise DataError(
                str(path),
                None,
                f"`names` lists {len(src.names)} column(s) but the file has {frame.shape[1]} "
                f"field(s) per record",
                examples=[f"record 1: {first!r}"] if first else [],
                fix="Give one name per field in `names:` (in file order), or check "
                "`delimiter:` (`whitespace` for space-aligned text).",
            )
        frame.columns = list(src.names)
    else:
        frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.replace({"": None})
    if src.encoding_errors == "replace":
        replaced = _count_replaced(path, encoding)
        if replaced:
            frame.attrs["notes"] = [
                f"{path.name}: {replaced:,} byte sequence(s) invalid in {encoding} were read as "
                "U+FFFD (encoding_errors: replace)"
            ]
    return frame


def _check_header(path: Path, encoding: str, delimiter: str, src: SourceConfig) -> None:
    """A title line above the header, or two columns with one name (after trimming): errors."""
    import itertools

    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        head = list(itertools.islice(fh, src.skip_rows, src.skip_rows + 50))
    if not head:
        return
    if delimiter == r"\s+":
        records = [line.split() for line in head]
    else:
        records = list(csv.reader(head, delimiter=delimiter))
    records = [r for r in records if r]
    if not records:
        return
    widths = [len(r) for r in records]
    common = max(set(widths[1:] or widths), key=(widths[1:] or widths).count)
    filled = [f for f in records[0] if f.strip()]
    if common >= 2 and len(filled) <= 1 and len(records[0]) < common:
        below = next((i for i, w in enumerate(widths) if w == common), 1)
        raise DataError(
            str(path),
            None,
            f"line {src.skip_rows + 1} ({records[0][0].strip()[:60]!r}) looks like a title above "
            f"the header: the header seems to be line {src.skip_rows + below + 1} "
            f"({', '.join(records[below])[:80]})",
            fix=f"Set `skip_rows: {src.skip_rows + below}` for this source (lines above the header).",
        )
    if src.names is not None:
        return
    names = [f.strip() for f in records[0]]
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen and name:
            raise DataError(
                str(path),
                name,
                f"the header names {name!r} twice (fields {seen[name]} and {position}"
                + (
                    ", after trimming spaces)"
                    if records[0][seen[name] - 1] != records[0][position - 1]
                    else ")"
                )
                + "; which one holds the values is unknown",
                examples=[f"header: {records[0]!r}"],
                fix="Rename one of the two columns in the export, or name every field yourself: "
                f"`header: false`, `skip_rows: {src.skip_rows + 1}` and `names: [...]`.",
            )
        seen[name] = position


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
    notes: list[str] = []
    reference: tuple[str, list[str]] | None = None
    for path in _files(src.path or "", cfg):
        fmt = _format(src, path)
        if fmt == "csv" and not src.format and _is_workbook(path):
            fmt = "excel"
            notes.append(f"{path.name} is an Excel workbook, not a text file: read as Excel")
        if fmt == "csv":
            frame = _read_csv(path, src)
            notes.extend(frame.attrs.pop("notes", []))
        elif fmt == "excel":
            try:
                frame = pd.read_excel(
                    path,
                    sheet_name=src.sheet if src.sheet is not None else 0,
                    dtype=object,
                    engine=_excel_engine(),
                    skiprows=src.skip_rows or None,
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
            _check_unique_columns(path, [str(c) for c in frame.columns])
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
        columns = [str(c) for c in frame.columns]
        if reference is None:
            reference = (path.name, columns)
        elif columns != reference[1]:
            frame.columns = _match_header(path, columns, *reference)
            notes.append(
                f"{path.name}: header spelt differently from {reference[0]} "
                f"({', '.join(a for a, b in zip(columns, frame.columns, strict=True) if a != b)}); "
                "matched by name"
            )
        frame["_src_file"] = path.name
        frame["_src_row"] = np.arange(1, len(frame) + 1)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    out.attrs["notes"] = notes
    return out


def _is_workbook(path: Path) -> bool:
    """An .xlsx (zip with xl/) or .xls (OLE2) file, whatever its name."""
    import zipfile

    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return True
    if magic.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                return any(n.startswith("xl/") for n in archive.namelist())
        except zipfile.BadZipFile:
            return False
    return False


def _check_unique_columns(path: Path, columns: list[str]) -> None:
    """Two columns with one name after trimming (or pandas' ``Quantity.1``): an error."""
    seen = set()
    for name in columns:
        base = re.sub(r"\.\d+$", "", name)
        twice = name in seen or (base != name and base in columns)
        if twice:
            raise DataError(
                str(path),
                base,
                f"the header names {base!r} twice (after trimming spaces); which one holds "
                "the values is unknown",
                examples=[f"header: {columns!r}"],
                fix="Rename one of the two columns in the export.",
            )
        seen.add(name)


def _loose(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", name.casefold())


def _match_header(path: Path, columns: list[str], first: str, expected: list[str]) -> list[str]:
    """The header of a further file of one source, renamed to the first file's spelling
    (``Customer ID`` = ``CustomerID``); other columns are an error naming the file."""
    by_key = {_loose(c): c for c in expected}
    renamed = [by_key.get(_loose(c), c) for c in columns]
    if sorted(renamed) == sorted(expected) and len(set(renamed)) == len(renamed):
        return renamed
    only_here = [c for c, r in zip(columns, renamed, strict=True) if r not in expected]
    only_first = [c for c in expected if c not in renamed]
    raise DataError(
        str(path),
        (only_here or only_first or [None])[0],
        f"its header differs from that of {first}, the first file of this source: "
        + "; ".join(
            part
            for part in (
                f"only in {path.name}: {', '.join(only_here)}" if only_here else "",
                f"only in {first}: {', '.join(only_first)}" if only_first else "",
            )
            if part
        ),
        fix=f"Export every file of this source with the same columns, or rename them in {path.name}.",
    )


def _delimiter_cause(raw: pd.DataFrame) -> str | None:
    """When a file was read as one column whose name holds another delimiter, say so;
    when its header looks like a data record, say that the file may have no header."""
    columns = [str(c) for c in raw.columns if c not in _SOURCE_COLUMNS]
    if len(columns) != 1:
        return _headerless_cause(columns)
    found = [sep for sep in (",", ";", "\t", "|") if sep in columns[0]]
    if not found:
        if len(columns[0].split()) > 1:
            return (
                f"The file was read as a single column {columns[0][:60]!r}: it looks "
                "whitespace-separated; set `delimiter: whitespace` for this source."
            )
        return None
    return (
        f"The file was read as a single column {columns[0][:60]!r}: it looks "
        f"{found[0]!r}-separated; set `delimiter: {found[0]!r}` for this source."
    )


def _headerless_cause(columns: list[str]) -> str | None:
    """Half or more of the header's names are numbers or dates: the file likely has no header."""
    looks_like_values = [c for c in columns if re.fullmatch(r"[-+]?[\d.,/: ]+", c.strip())]
    if columns and len(looks_like_values) * 2 >= len(columns):
        return (
            f"The first line ({', '.join(columns)[:80]}) looks like a data record, not a header: "
            "set `header: false` and `names: [...]` for this source."
        )
    return None


def _normalise(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


#: in a mapped frame: integer codes equal exactly where the source columns that map to no
#: canonical column are equal (exact duplicates compare the whole source record)
RECORD_COLUMN = "_src_record"
#: functions a ``derive`` expression may call (pandas ``eval``)
_EVAL_FUNCTIONS = frozenset(
    [
        "sin",
        "cos",
        "tan",
        "exp",
        "log",
        "log10",
        "log1p",
        "expm1",
        "sqrt",
        "sinh",
        "cosh",
        "tanh",
        "arcsin",
        "arccos",
        "arctan",
        "arccosh",
        "arcsinh",
        "arctanh",
        "abs",
        "arctan2",
        "True",
        "False",
        "None",
    ]
)


def record_codes(frame: pd.DataFrame) -> np.ndarray:
    """One int64 per row, equal exactly where the rows hold equal values in every column.

    Each column is factorised (missing values alike) and its codes folded into the running
    codes, which are factorised again so they stay below the number of rows: no hashing, no
    collisions, no text formatting of the values.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["x", "x", "y", None, None], "b": [1, 1, 1, 2.0, float("nan")]})
    >>> record_codes(f).tolist()
    [0, 0, 1, 2, 3]
    """
    codes = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        column_codes, uniques = pd.factorize(frame[name], use_na_sentinel=True)
        folded = codes * (len(uniques) + 1) + (column_codes.astype(np.int64) + 1)
        codes = pd.factorize(folded)[0].astype(np.int64)
    return codes


def derive_names(expression: str) -> list[str]:
    """The column names a ``derive`` expression uses: back-quoted ones and bare identifiers.

    Examples
    --------
    >>> derive_names("`Unit Price` * 数量 + abs(Fee) - 1e3")
    ['Unit Price', '数量', 'Fee']
    """
    import io
    import keyword
    import tokenize

    names = []
    rest = []
    for i, part in enumerate(re.split(r"`", expression)):
        if i % 2:  # inside back quotes
            names.append(part)
            rest.append(" 0 ")
        else:
            rest.append(part)
    bare = []
    try:
        for token in tokenize.generate_tokens(io.StringIO("".join(rest)).readline):
            if (
                token.type == tokenize.NAME
                and not keyword.iskeyword(token.string)
                and token.string not in _EVAL_FUNCTIONS
            ):
                bare.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # the evaluation reports the syntax error
    ordered = []  # in order of appearance, each once
    positions = {n: expression.find(f"`{n}`") for n in names}
    positions.update({n: expression.find(n) for n in bare if n not in positions})
    for name in sorted(positions, key=lambda n: positions[n]):
        if name not in ordered:
            ordered.append(name)
    return ordered


#: in a mapped frame: ``_src_value:UnitPrice`` holds the source column a ``derive`` expression
#: used, so a rejected derived value shows what it came from (dropped from the clean table)
SOURCE_VALUE_PREFIX = "_src_value:"


def read_numbers(
    values: pd.Series,
    rows: pd.Series,
    src: SourceConfig | None,
    file_label: str,
    column: str,
    table: str,
) -> tuple[pd.Series, str]:
    """A column of numbers read with its decimal mark (configured, else detected).

    Parameters
    ----------
    values : Series
        The source values (text from CSV, native from Excel/Parquet/SQL).
    rows : Series
        Source record numbers (``_src_row``) on the same index, for examples.
    src : SourceConfig or None
        ``decimal`` / ``thousands`` of the source, when set.
    file_label, column, table : str
        For messages.

    Returns
    -------
    parsed : Series of float
        NaN where a value is not a number.
    note : str
        Says when a decimal comma was detected (empty otherwise).

    Raises
    ------
    DataError
        Some values need a decimal comma (``98,31``) and others a decimal point (``12.5``).

    Examples
    --------
    >>> v = pd.Series(["98,31", "1.234,50"])
    >>> parsed, note = read_numbers(v, pd.Series([1, 2]), None, "o.csv", "amount", "orders")
    >>> parsed.tolist(), note.split(" (")[0]
    ([98.31, 1234.5], 'amount read with a decimal comma')
    """
    fmt = number_format(
        values,
        decimal=src.decimal if src is not None else None,
        thousands=src.thousands if src is not None else None,
    )
    if fmt.ambiguous:
        comma = pd.Series(fmt.comma, index=values.index)
        point = pd.Series(fmt.point, index=values.index)
        raise DataError(
            file_label,
            column,
            f"the numbers mix two formats: {int(fmt.comma.sum()):,} value(s) need a decimal "
            f"comma, {int(fmt.point.sum()):,} a decimal point, so one kind would be read "
            "100 or 1000 times off",
            examples=[
                *(f"{e} (decimal comma)" for e in failed_examples(values, comma, rows, 2)),
                *(f"{e} (decimal point)" for e in failed_examples(values, point, rows, 2)),
            ],
            cause="Files from different locales were combined, or the column is free text.",
            fix=f"Set `sources.{table}.decimal: ','` (with `thousands: '.'`) or `decimal: '.'` "
            "for this source, or correct the values in the export.",
        )
    parsed = to_number(values, decimal=fmt.decimal, thousands=fmt.thousands)
    note = ""
    if fmt.detected_comma:
        example = values[fmt.comma].iloc[0]
        note = (
            f"{column} read with a decimal comma ({int(fmt.comma.sum()):,} value(s) such as "
            f"{example!r} need it; set `sources.{table}.decimal` to override)"
        )
    return parsed, note


def _derive(
    table: str,
    canonical: str,
    expression: str,
    raw: pd.DataFrame,
    file_label: str,
    src: SourceConfig | None = None,
    notes: list[str] | None = None,
) -> pd.Series:
    """Evaluate one ``derive`` expression over the source columns it names (read as numbers)."""
    import difflib

    where = f"sources.{table}.derive.{canonical}"
    columns = [str(c) for c in raw.columns if c not in _SOURCE_COLUMNS]
    if expression.count("`") % 2:
        raise DataError(
            file_label,
            canonical,
            f"cannot compute `{expression}`: a back quote is not closed",
            fix=f"Fix `{where}`: write names with spaces or symbols in back quotes, "
            "e.g. `Unit Price` * Quantity.",
        )
    used = derive_names(expression)
    unknown = [n for n in used if n not in raw.columns]
    if unknown:
        name = unknown[0]
        close = difflib.get_close_matches(name, columns, n=1, cutoff=0.5)
        spaced = [c for c in columns if name in re.split(r"[^\w]+", c) and c != name]
        if spaced:
            hint = f" Did you mean `{spaced[0]}` (in back quotes: its name has a space or symbol)?"
        elif close:
            hint = f" Did you mean {close[0]!r}?"
        else:
            hint = ""
        raise DataError(
            file_label,
            name,
            f"cannot compute `{expression}` for {table}.{canonical}: {name!r} is not a column "
            f"of the file. The file has: {', '.join(columns)}.{hint}",
            fix=f"Fix `{where}`; it may use only the file's columns (names with spaces, "
            "symbols or a leading digit in back quotes).",
        )
    scope = pd.DataFrame(index=raw.index)
    for column in used:
        scope[column], note = read_numbers(
            raw[column], raw["_src_row"], src, file_label, column, table
        )
        if note and notes is not None:
            notes.append(note)
    try:
        value = scope.eval(expression, engine="python") if used else scope.eval(expression)
    except Exception as exc:  # pandas raises many types for a bad expression
        raise DataError(
            file_label,
            canonical,
            f"cannot compute `{expression}`: {exc}",
            fix=f"Fix `{where}`; it may use only the file's columns.",
        ) from None
    if not isinstance(value, pd.Series):
        value = pd.Series(value, index=raw.index, dtype=float)
    value = to_number(value) if value.dtype == object else value.astype(float)
    readable = pd.Series(True, index=raw.index)
    for column in used:
        readable &= scope[column].notna()
    if len(value) and readable.any() and value[readable].isna().all():
        rows = raw.loc[readable[readable].index[:3], ["_src_row", *used]]
        raise DataError(
            file_label,
            canonical,
            f"`{expression}` gives no value in any row, although its columns hold numbers",
            examples=[
                f"row {r['_src_row']}: " + ", ".join(f"{c}={r[c]!r}" for c in used)
                for _, r in rows.iterrows()
            ],
            fix=f"Fix `{where}`.",
        )
    return value


def map_columns(table: str, raw: pd.DataFrame, src: SourceConfig, file_label: str) -> pd.DataFrame:
    """Rename source columns to canonical names and evaluate derived columns.

    Unmapped canonical columns are matched by name (case, spaces and dashes ignored).
    ``derive`` expressions are pandas expressions over source columns (names with spaces
    or symbols in back quotes); the columns they use are read as numbers (text that is not
    a number becomes missing, and the row is rejected later). A name that is not a column
    of the file, or an expression that yields nothing where its columns hold numbers, is an
    error. ``keep_columns`` are carried through under their own names; the other unmapped
    columns are summarised in :data:`RECORD_COLUMN`, so exact duplicates compare the whole
    source record. ``record_ids`` numbers the records as the table's id.

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
    if src.record_ids and spec.key in mapped:
        raise DataError(
            file_label,
            mapped[spec.key],
            f"`record_ids: true` numbers the records as {table}.{spec.key}, but "
            f"`columns.{spec.key}` maps a column to it as well",
            fix=f"Remove `sources.{table}.record_ids` or `sources.{table}.columns.{spec.key}`.",
        )
    for name in [*spec.required, *spec.optional]:
        if src.record_ids and name == spec.key:
            continue
        if name not in mapped and name not in src.derive and _normalise(name) in known:
            mapped[name] = known[_normalise(name)]
    problems = []
    used_sources = set()
    for canonical, source in mapped.items():
        if source not in raw.columns:
            alt = known.get(_normalise(source))
            if alt is None:
                problems.append((canonical, source))
                continue
            source = alt
        used_sources.add(source)
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
    notes = list(raw.attrs.get("notes", []))
    for canonical, expression in src.derive.items():
        out[canonical] = _derive(table, canonical, expression, raw, file_label, src, notes)
        for column in derive_names(expression):  # what a rejected derived value came from
            if f"{SOURCE_VALUE_PREFIX}{column}" not in out.columns:
                out[f"{SOURCE_VALUE_PREFIX}{column}"] = raw[column].to_numpy()
    if src.record_ids:
        out.insert(0, spec.key, np.arange(1, len(raw) + 1).astype(str).astype(object))
    missing = [c for c in spec.required if c not in out.columns]
    if table == "customers" and "tenure" in out.columns and "signup_date" in missing:
        missing.remove("signup_date")  # a contract snapshot: signup = snapshot - tenure (cleaning)
    if missing:
        available = ", ".join(map(str, raw.columns.drop(_SOURCE_COLUMNS, errors="ignore")))
        no_key = (
            f" If the export has no id column (a transaction log), set "
            f"`sources.{table}.record_ids: true`."
            if missing[0] == spec.key
            else ""
        )
        raise DataError(
            file_label,
            missing[0],
            f"the required column {table}.{missing[0]} is missing (the file has: {available})",
            cause=_delimiter_cause(raw),
            fix=f"Map it in the config: `sources.{table}.columns.{missing[0]}: <column in the file>`."
            + no_key,
        )
    unmapped = [c for c in raw.columns if c not in _SOURCE_COLUMNS and c not in used_sources]
    keep = unmapped if src.keep_columns == "all" else list(src.keep_columns)
    for column in keep:
        if column not in raw.columns:
            import difflib

            close = difflib.get_close_matches(str(column), [str(c) for c in unmapped], n=1)
            raise DataError(
                file_label,
                column,
                f"`keep_columns` names a column that is not in the file. The file has: "
                f"{', '.join(map(str, raw.columns.drop(_SOURCE_COLUMNS, errors='ignore')))}."
                + (f" Did you mean {close[0]!r}?" if close else ""),
                fix=f"Fix `sources.{table}.keep_columns` in the config.",
            )
        if column in used_sources:
            raise DataError(
                file_label,
                column,
                f"`keep_columns` names a column that is already mapped to a canonical {table} column",
                fix=f"Remove it from `sources.{table}.keep_columns`.",
            )
        if (
            column in out.columns
            or column in (*spec.required, *spec.optional)
            or column.startswith("_")
        ):
            raise DataError(
                file_label,
                column,
                f"`keep_columns` would carry {column!r} under a name the clean {table} table "
                "already uses (a canonical column or an internal one)",
                fix=f"Map it under `sources.{table}.columns` instead, or rename it in the export.",
            )
        out[column] = raw[column]
    rest = [c for c in unmapped if c not in keep]
    if rest:
        out[RECORD_COLUMN] = record_codes(raw[rest])
    for column in _SOURCE_COLUMNS:
        out[column] = raw[column].to_numpy()
    out.attrs["notes"] = list(dict.fromkeys(notes))
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
