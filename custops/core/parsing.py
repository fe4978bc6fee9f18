"""Parsers for the values real exports contain: dates in many formats, yes/no, ids, numbers.

Each parser returns the parsed values and leaves the decision (reject the row, blank the
value) to :mod:`custops.ingest.cleaning`.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

__all__ = [
    "PLACEHOLDER_IDS",
    "parse_dates",
    "parse_bool",
    "parse_ids",
    "to_number",
    "failed_examples",
    "matches",
]

#: what exports write where an id is missing (compared trimmed and lower-cased): these are
#: missing ids, never a customer called "NULL"
PLACEHOLDER_IDS = frozenset(
    {"#n/a", "n/a", "na", "null", "none", "nan", "nil", "-", "--", "—", "?", "(null)", "(blank)",
     "#null!", "#value!", "undefined"}
)  # fmt: skip

#: a time of day followed by a UTC offset, Z, UTC or GMT (a zoned timestamp)
TZ_SUFFIX = re.compile(
    r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"
    r"(?:Z|[+-]\d{2}:?\d{2}|(?:UTC|GMT)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)$"
)
_ZONE_WORD = re.compile(r"\s*(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$")
_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")
_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y%m%d",
)
_TRUE = {"true", "t", "yes", "y", "1", "1.0", "是", "已绑定", "绑定", "on"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "否", "未绑定", "off"}


def to_number(values: pd.Series) -> pd.Series:
    """Parse numbers written as text: thousands separators, currency signs, spaces.

    Non-numbers become NaN (the caller decides whether that rejects the row).

    Examples
    --------
    >>> to_number(pd.Series(["1,234.5", "¥12", " 7 ", "abc", None, "(3)"])).tolist()
    [1234.5, 12.0, 7.0, nan, nan, -3.0]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    fast = pd.to_numeric(values, errors="coerce").astype(float)
    todo = fast.isna() & values.notna()
    if not todo.any():
        return fast
    text = values[todo].astype("string").str.strip()
    text = text.str.replace(r"^\((.*)\)$", r"-\1", regex=True)  # accounting negatives
    text = text.str.replace(r"[¥$€£￥,\s]|RMB|CNY|元", "", regex=True)
    fast[todo] = pd.to_numeric(text, errors="coerce").astype(float)
    return fast


def parse_ids(values: pd.Series) -> pd.Series:
    """Ids as trimmed text; Excel's ``12345.0`` becomes ``12345``; blanks and placeholders
    (``#N/A``, ``NULL``, ``-``, ``None``, ``nan``: :data:`PLACEHOLDER_IDS`) become missing.

    Examples
    --------
    >>> parse_ids(pd.Series([" A1 ", 12345.0, "", None, 7, "#N/A", " NULL", "-"])).tolist()
    ['A1', '12345', None, None, '7', None, None, None]
    """

    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        if re.fullmatch(r"\d+\.0+", text):
            text = text.split(".")[0]
        if text.lower() in PLACEHOLDER_IDS:
            return None
        return text or None

    return pd.Series([one(v) for v in values], index=values.index, dtype=object)


def parse_bool(values: pd.Series, mapping: dict | None = None) -> pd.Series:
    """Yes/no values in English or Chinese (是/否), 1/0 and true/false; unknown -> missing.

    Examples
    --------
    >>> parse_bool(pd.Series(["是", "否", "Yes", 0, None, "maybe"])).tolist()
    [True, False, True, False, <NA>, <NA>]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    mapping = {str(k).strip().lower(): v for k, v in (mapping or {}).items()}
    out = []
    for v in values:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            out.append(pd.NA)
            continue
        key = str(v).strip().lower()
        if key in mapping:
            out.append(bool(mapping[key]))
        elif key in _TRUE:
            out.append(True)
        elif key in _FALSE:
            out.append(False)
        else:
            out.append(pd.NA)
    return pd.Series(out, index=values.index, dtype="boolean")


def _iso_offsets(text: pd.Series) -> pd.Series:
    """``10:00:00 UTC`` -> ``10:00:00+00:00``, ``GMT+8`` -> ``+08:00``, ``10:00 +0800`` -> ``10:00+0800``.

    Examples
    --------
    >>> _iso_offsets(pd.Series(["2025-11-05 10:00:00 UTC", "2025-11-05 10:00 GMT+8",
    ...                         "2025-11-05 10:00 +0800"])).tolist()
    ['2025-11-05 10:00:00+00:00', '2025-11-05 10:00+08:00', '2025-11-05 10:00+0800']
    """

    def offset(match: re.Match[str]) -> str:
        sign, hours, minutes = match.groups()
        if not sign:
            return "+00:00"
        return f"{sign}{int(hours):02d}:{minutes or '00'}"

    return text.str.replace(_ZONE_WORD, offset, regex=True).str.replace(
        _SPACED_OFFSET, r"\1", regex=True
    )


def _naive(parsed: pd.Series, timezone: str | None) -> pd.Series:
    """A parsed column as naive ``datetime64[ns]``: zoned values converted to ``timezone`` (UTC)."""
    if pd.api.types.is_datetime64_any_dtype(parsed):
        if getattr(parsed.dt, "tz", None) is not None:
            return parsed.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
        return parsed.astype("datetime64[ns]")

    def one(v: object) -> object:
        if isinstance(v, pd.Timestamp) and v.tzinfo is not None:
            return v.tz_convert(timezone or "UTC").tz_localize(None)
        return v

    return pd.to_datetime(parsed.map(one), errors="coerce").astype("datetime64[ns]")


def matches(text: pd.Series, pattern: str) -> np.ndarray:
    r"""Whether each (trimmed) text value contains ``pattern``; missing values do not.

    The same as ``text.astype("string").str.strip().str.contains(pattern)`` for text, run by
    Arrow's regex engine (RE2) over the whole column instead of Python's ``re`` value by value.

    Examples
    --------
    >>> matches(pd.Series([" 2025-01-01 10:00+08:00 ", "2025-01-01", None]), r"\+\d{2}:\d{2}$").tolist()
    [True, False, False]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array(text.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text
        values = text.astype("string").str.strip()
        return values.str.contains(pattern, regex=True, na=False).to_numpy(dtype=bool)
    found = pc.match_substring_regex(pc.utf8_trim_whitespace(array), pattern)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def parse_dates(
    values: pd.Series,
    *,
    date_format: str | None = None,
    dayfirst: bool = False,
    timezone: str | None = None,
) -> pd.Series:
    """Parse dates in the formats exports use; what cannot be read becomes NaT.

    Understands ISO (``2025-01-03``, with time or offset), ``2025/1/3``, ``03.01.2025``
    (day first), ``2025年1月3日``, Excel serial numbers (``45660``), ``20250103`` and
    datetime objects. Times with an offset (``+08:00``, ``Z``, ``UTC``, ``GMT+8``) are
    converted to ``timezone`` (default UTC) and returned without a zone, like the others;
    the result is always naive ``datetime64[ns]``, so zoned and plain values compare.

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-01-03", "2025/1/3", "03.01.2025", "2025年1月3日", "45660", "x"])).dt.day.tolist()
    [3.0, 3.0, 3.0, 3.0, 3.0, nan]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            return values.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
        return values.astype("datetime64[ns]")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    objects = values.astype(object)
    if pd.api.types.infer_dtype(objects, skipna=True) in ("string", "empty"):
        is_stamp = pd.Series(False, index=values.index)  # text only (CSV): no value map
    else:
        is_stamp = objects.map(
            lambda v: isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "isoformat")
        )
    if is_stamp.any():
        stamps = pd.to_datetime(objects[is_stamp], errors="coerce", utc=True)
        out[is_stamp] = stamps.dt.tz_convert(timezone or "UTC").dt.tz_localize(None).to_numpy()
    text = objects[~is_stamp].astype("string").str.strip()
    text = text[text.notna() & (text != "")]
    if text.empty:
        return out
    chinese = matches(text, "年")
    if chinese.any():
        text = text.copy()
        text[chinese] = text[chinese].str.replace(
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", r"\1-\2-\3", regex=True
        )
    todo = text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if date_format:
            out[todo.index] = pd.to_datetime(todo, format=date_format, errors="coerce").to_numpy()
            return out
        zoned = pd.Series(matches(todo, TZ_SUFFIX.pattern), index=todo.index)
        if zoned.any():
            iso = _iso_offsets(todo[zoned])
            parsed = pd.to_datetime(iso, format="ISO8601", errors="coerce", utc=True)
            if parsed.isna().any():  # "5 Nov 2025 10:00 UTC"
                parsed[parsed.isna()] = pd.to_datetime(
                    iso[parsed.isna()], format="mixed", dayfirst=dayfirst, errors="coerce", utc=True
                )
            out[parsed.index] = (
                parsed.dt.tz_convert(timezone or "UTC").dt.tz_localize(None).to_numpy()
            )
            todo = todo[~zoned]
        parsed = pd.to_datetime(todo, format="ISO8601", errors="coerce")
        out[parsed.index] = parsed.to_numpy()
        todo = todo[parsed.isna()]
        for fmt in _FORMATS:
            if todo.empty:
                break
            parsed = pd.to_datetime(todo, format=fmt, errors="coerce")
            hit = parsed.notna()
            out[parsed.index[hit]] = parsed[hit].to_numpy()
            todo = todo[~hit]
        if not todo.empty:
            serial = pd.to_numeric(todo, errors="coerce")
            excel = serial.between(20000, 80000).fillna(False).astype(bool)  # NA: not a serial
            if excel.any():
                out[serial.index[excel]] = (
                    pd.Timestamp("1899-12-30") + pd.to_timedelta(serial[excel], unit="D")
                ).to_numpy()
                todo = todo[~excel]
        if not todo.empty:
            parsed = pd.to_datetime(todo, format="mixed", dayfirst=dayfirst, errors="coerce")
            out[parsed.index] = _naive(parsed, timezone).to_numpy()
    return out


def failed_examples(
    raw: pd.Series, failed: pd.Series, rows: pd.Series, limit: int = 3
) -> list[str]:
    """Up to ``limit`` examples ``row N: 'value'`` for error messages.

    Examples
    --------
    >>> failed_examples(pd.Series(["a", "1"]), pd.Series([True, False]), pd.Series([2, 3]))
    ["row 2: 'a'"]
    """
    picked = raw[failed].head(limit)
    return [f"row {rows.loc[i]}: {v!r}" for i, v in picked.items()]
