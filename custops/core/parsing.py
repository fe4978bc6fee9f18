"""Parsers for the values real exports contain: dates in many formats, yes/no, ids, numbers.

Each parser returns the parsed values and leaves the decision (reject the row, blank the
value) to :mod:`custops.ingest.cleaning`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

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
    "NumberFormat",
    "number_format",
    "DayOrder",
    "day_order",
    "swapped_days",
    "swap_day_month",
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


def to_number(values: pd.Series, *, decimal: str = ".", thousands: str | None = None) -> pd.Series:
    """Parse numbers written as text: thousands separators, currency signs, spaces.

    ``decimal`` is the decimal mark (``"."`` or ``","``); ``thousands`` the grouping mark
    (default: ``","`` for a decimal point, ``"."`` for a decimal comma; spaces are always
    dropped). Non-numbers become NaN (the caller decides whether that rejects the row).
    :func:`number_format` tells which marks a column uses.

    Examples
    --------
    >>> to_number(pd.Series(["1,234.5", "¥12", " 7 ", "abc", None, "(3)"])).tolist()
    [1234.5, 12.0, 7.0, nan, nan, -3.0]
    >>> to_number(pd.Series(["98,31", "1.234,50", "7"]), decimal=",").tolist()
    [98.31, 1234.5, 7.0]
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    if decimal == ",":
        group = thousands if thousands is not None else "."
        text = values.astype("string").str.strip()
        text = text.str.replace(r"^\((.*)\)$", r"-\1", regex=True)
        text = text.str.replace(r"[¥$€£￥\s\u00a0']|RMB|CNY|EUR|元", "", regex=True)
        if group and group != ",":
            text = text.str.replace(group, "", regex=False)
        text = text.str.replace(",", ".", regex=False)
        parsed = pd.to_numeric(text, errors="coerce").astype(float)
        # values that are numbers already (Excel cells) stay as they are
        native = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
        if native.any():
            parsed[native] = pd.to_numeric(values[native], errors="coerce").astype(float)
        return parsed
    fast = pd.to_numeric(values, errors="coerce").astype(float)
    todo = fast.isna() & values.notna()
    if not todo.any():
        return fast
    text = values[todo].astype("string").str.strip()
    text = text.str.replace(r"^\((.*)\)$", r"-\1", regex=True)  # accounting negatives
    group = re.escape(thousands) if thousands and thousands != "." else ","
    text = text.str.replace(rf"[¥$€£￥\s\u00a0]|{group}|RMB|CNY|EUR|元", "", regex=True)
    fast[todo] = pd.to_numeric(text, errors="coerce").astype(float)
    return fast


#: a decimal comma: ``98,31``, ``12,5``, ``0,1234``, ``1.234,50``, ``1.234.567``
_COMMA_DECIMAL = (
    r"^[^,.]*\d,(?:\d{1,2}|\d{4,})\D*$|\d\.\d{3},\d|^\D*\d{1,3}(?:\.\d{3}){2,}\D*$|^\D*0,\d+\D*$"
)
#: a decimal point: ``98.31``, ``12.5``, ``0.1234``, ``1,234.50``, ``1,234,567``
_POINT_DECIMAL = (
    r"^[^,.]*\d\.(?:\d{1,2}|\d{4,})\D*$|\d,\d{3}\.\d|^\D*\d{1,3}(?:,\d{3}){2,}\D*$|^\D*0\.\d+\D*$"
)


@dataclass(frozen=True)
class NumberFormat:
    """The decimal and grouping marks of a column of numbers written as text.

    Attributes
    ----------
    decimal, thousands : str
        The marks to read the column with (:func:`to_number`).
    comma, point : ndarray of bool
        Values that can only be read with a decimal comma (``98,31``, ``1.234,50``) and
        values that can only be read with a decimal point (``98.31``, ``1,234.50``).
    configured : bool
        The marks came from the config, not from the values.
    """

    decimal: str
    thousands: str | None
    comma: np.ndarray
    point: np.ndarray
    configured: bool = False

    @property
    def ambiguous(self) -> bool:
        """Both kinds of evidence in one column (and no configured marks)."""
        return not self.configured and bool(self.comma.any() and self.point.any())

    @property
    def detected_comma(self) -> bool:
        """The decimal comma was read from the values (not configured)."""
        return not self.configured and self.decimal == ","


def number_format(
    values: pd.Series, *, decimal: str | None = None, thousands: str | None = None
) -> NumberFormat:
    """Which decimal mark a column of numbers uses, from its values (or the config).

    A value such as ``98,31`` or ``1.234,50`` can only be read with a decimal comma,
    ``98.31`` or ``1,234.50`` only with a decimal point; ``1,234`` and ``1.234`` fit both and
    decide nothing. A column with evidence of one kind is read that way, one without any
    with a decimal point (the marks of the config win: ``decimal``, ``thousands``); a column
    with both kinds is :attr:`NumberFormat.ambiguous` (the caller reports it).

    Examples
    --------
    >>> number_format(pd.Series(["98,31", "1.234,50", "7"])).decimal
    ','
    >>> number_format(pd.Series(["98.31", "1,234", None])).decimal
    '.'
    >>> number_format(pd.Series(["98,31", "12.5"])).ambiguous
    True
    """
    n = len(values)
    none = np.zeros(n, dtype=bool)
    if decimal is not None:
        return NumberFormat(decimal, thousands, none, none, configured=True)
    if (
        pd.api.types.is_numeric_dtype(values)
        or pd.api.types.is_bool_dtype(values)
        or not n
        or not matches(values, r"[,.]").any()
    ):
        return NumberFormat(".", thousands, none, none)
    comma = matches(values, _COMMA_DECIMAL)
    if not comma.any():  # the common case: no value needs a decimal comma
        return NumberFormat(".", thousands, none, none)
    point = matches(values, _POINT_DECIMAL)
    if point.any():
        return NumberFormat(".", thousands, comma, point)
    return NumberFormat(",", thousands, comma, point)


@dataclass(frozen=True)
class DayOrder:
    """Whether the ``dd/mm/yyyy``-like dates of a column put the day or the month first.

    Attributes
    ----------
    dayfirst : bool or None
        True (day first), False (month first), None (no value decides, e.g. ``05/11/2025``).
    day_first, month_first : ndarray of bool
        Values that can only be day first (``25/11/2025``) or only month first (``11/25/2025``).
    """

    dayfirst: bool | None
    day_first: np.ndarray
    month_first: np.ndarray

    @property
    def mixed(self) -> bool:
        """Values of both kinds in one column."""
        return bool(self.day_first.any() and self.month_first.any())


#: ``05/11/2025``, ``5.11.25``, ``05-11-2025 10:00``: two numbers up to 12 or 31 and a year
_DMY = r"^\s*(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4}|\d{2})(?:[\sT].*)?$"
_DMY_ANY = r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?:[\sT].*)?$"


def day_order(values: pd.Series) -> DayOrder:
    """Day first or month first, from the values of a column of dates written as text.

    ``25/11/2025`` is day first, ``11/25/2025`` month first, ``05/11/2025`` either.

    Examples
    --------
    >>> day_order(pd.Series(["05/11/2025", "25/11/2025"])).dayfirst
    True
    >>> day_order(pd.Series(["05/11/2025", "2025-11-05"])).dayfirst is None
    True
    >>> day_order(pd.Series(["25/11/2025", "11/25/2025"])).mixed
    True
    """
    n = len(values)
    none = np.zeros(n, dtype=bool)
    if (
        pd.api.types.is_datetime64_any_dtype(values)
        or pd.api.types.is_numeric_dtype(values)
        or not n
    ):
        return DayOrder(None, none, none)
    candidate = matches(values, _DMY_ANY)
    if not candidate.any():
        return DayOrder(None, none, none)
    parts = values[candidate].astype("string").str.extract(_DMY)
    first = pd.to_numeric(parts[0], errors="coerce").to_numpy()
    second = pd.to_numeric(parts[2], errors="coerce").to_numpy()
    day_first, month_first = none.copy(), none.copy()
    day_first[candidate] = (first > 12) & (first <= 31) & (second <= 12)
    month_first[candidate] = (second > 12) & (second <= 31) & (first <= 12)
    if day_first.any() and not month_first.any():
        return DayOrder(True, day_first, month_first)
    if month_first.any() and not day_first.any():
        return DayOrder(False, day_first, month_first)
    return DayOrder(None, day_first, month_first)


def swapped_days(dates: pd.Series, *, min_rows: int = 200) -> dict | None:
    """Evidence that the dates with day <= 12 were stored with day and month swapped.

    When an export writes ``05/11`` (5 November) as 11 May for the days that allow it, the
    stored days 1-12 come from the months of the data: a column covering October to
    December then has (almost) no days 1-9, while days 13-28 are as frequent as ever. The
    day-of-month histogram has a hole: days 1-12 seen less than a fifth as often as the
    median of days 13-28, for at least three of them.

    Returns
    -------
    dict or None
        ``hole_days`` (the rare days), ``counts`` (rows per day 1-12), ``median`` (of days
        13-28), ``low_days`` (rows with day <= 12) and ``rows``; None without evidence.

    Examples
    --------
    >>> true = pd.Series(pd.date_range("2025-10-01", "2025-12-31").repeat(5))
    >>> swapped_days(true) is None
    True
    >>> stored = swap_day_month(true, true.dt.day <= 12)
    >>> swapped_days(stored)["hole_days"][:3]
    [1, 2, 3]
    """
    day = dates.dropna().dt.day
    if len(day) < min_rows:
        return None
    counts = np.bincount(day.to_numpy(), minlength=32)
    median = float(np.median(counts[13:29]))
    if median < 10:
        return None
    hole = [d for d in range(1, 13) if counts[d] < 0.2 * median]
    if len(hole) < 3:
        return None
    return {
        "hole_days": hole,
        "counts": {d: int(counts[d]) for d in range(1, 13)},
        "median": median,
        "low_days": int(counts[1:13].sum()),
        "rows": len(day),
    }


def swap_day_month(dates: pd.Series, where: pd.Series | np.ndarray) -> pd.Series:
    """``dates`` with day and month exchanged where ``where`` holds (and the day is <= 12).

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2025-05-11 10:30", "2025-11-25"], format="ISO8601"))
    >>> swap_day_month(d, d.dt.day <= 12).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2025-11-05 10:30', '2025-11-25 00:00']
    """
    where = np.asarray(where, dtype=bool) & (dates.dt.day <= 12).fillna(False).to_numpy()
    out = dates.copy()
    if where.any():
        d = dates[where]
        swapped = pd.to_datetime(
            pd.DataFrame({"year": d.dt.year, "month": d.dt.day, "day": d.dt.month}),
            errors="coerce",
        )
        out[where] = (swapped + (d - d.dt.normalize())).to_numpy()
    return out


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
    dayfirst: bool | None = None,
    timezone: str | None = None,
) -> pd.Series:
    """Parse dates in the formats exports use; what cannot be read becomes NaT.

    Understands ISO (``2025-01-03``, with time or offset), ``2025/1/3``, ``03.01.2025``
    (day first), ``2025年1月3日``, Excel serial numbers (``45660``), ``20250103`` and
    datetime objects. Times with an offset (``+08:00``, ``Z``, ``UTC``, ``GMT+8``) are
    converted to ``timezone`` (default UTC) and returned without a zone, like the others;
    the result is always naive ``datetime64[ns]``, so zoned and plain values compare.
    ``dayfirst`` decides ``05/11/2025``-like values (``05.11.2025``, ``05-11-25``): True
    reads 5 November, False 11 May (a value that does not fit is unreadable); None (the
    default) reads dotted dates day first and the others month first, as pandas does;
    :func:`day_order` infers it from a column.

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
                    iso[parsed.isna()],
                    format="mixed",
                    dayfirst=bool(dayfirst),
                    errors="coerce",
                    utc=True,
                )
            out[parsed.index] = (
                parsed.dt.tz_convert(timezone or "UTC").dt.tz_localize(None).to_numpy()
            )
            todo = todo[~zoned]
        parsed = pd.to_datetime(todo, format="ISO8601", errors="coerce")
        out[parsed.index] = parsed.to_numpy()
        todo = todo[parsed.isna()]
        if dayfirst is not None and not todo.empty:
            dmy = pd.Series(matches(todo, _DMY_ANY), index=todo.index)
            if dmy.any():
                parts = todo[dmy].str.extract(
                    r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(.*)$"
                )
                day, month = (parts[0], parts[1]) if dayfirst else (parts[1], parts[0])
                year = pd.to_numeric(parts[2], errors="coerce")
                year = year.where(year >= 100, year + np.where(year < 69, 2000, 1900))
                iso = (
                    year.astype("Int64").astype("string")
                    + "-"
                    + month.str.zfill(2)
                    + "-"
                    + day.str.zfill(2)
                    + parts[3].str.replace(r"^[T\s]+", " ", regex=True).fillna("")
                )
                parsed = pd.to_datetime(iso, format="ISO8601", errors="coerce")
                out[parsed.index] = parsed.to_numpy()
                todo = todo[~dmy]
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
            parsed = pd.to_datetime(todo, format="mixed", dayfirst=bool(dayfirst), errors="coerce")
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
