"""Validate, deduplicate, standardise and quarantine: the row ledger.

Every input row ends in exactly one place: kept, merged into another row as a duplicate,
or rejected with a reason. The ledger records each rule's effect per table
(``rows_in - rejected - merged = rows_out``) and the rejects table keeps the source file,
the record number and the original values (personal data masked) of every rejected row.

Rules, in the order they run on each table:

1. missing id: a required id (``customer_id``, ``order_id`` ...) is empty -> rejected
2. unreadable date: a required date cannot be parsed -> rejected
3. not a number: ``amount`` / ``score`` is not a number -> rejected
4. cancellation (orders): invoice prefix (``C``), negative quantity, negative amount
   (``cancellation.negative_amount``) or a cancelled status -> rejected
5. out of range: pandera rules (amount >= 0, score 0-10) -> rejected; zero amounts are
   purchases (free items) and are kept
6. below min_amount (orders): amount below ``cleaning.min_amount`` (default: no minimum) -> rejected
7. date out of range: implausible (before 1900-01-01, or later than today +
   ``cleaning.future_tolerance_days``) or before ``cleaning.min_date`` (default: none) -> rejected
8. exact duplicate: the same values in every column of the source record, mapped or not
   -> merged into the first; with ``record_ids`` (no id in the export) identical records
   are repeated purchases and are kept
9. key duplicate: the same key (``customer_id`` ...) with other values -> merged into the last
10. outlier (orders): log(amount) above Q3 + k * IQR -> flagged (``is_outlier``, kept) or,
    with ``cleaning.outlier_action: reject``, rejected; above ``max_amount`` -> rejected
11. standardise: categories trimmed and cased, optional values parsed (changed, not removed)
12. time order (tickets): answered or resolved before it was opened -> rejected

A rule that removes more than 5 % of a table is announced (:func:`large_removals`) with the
config key that controls it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from custops.core.config import TENURE_DAYS, Period, ReportConfig
from custops.core.errors import DataError
from custops.core.parsing import (
    PLACEHOLDER_IDS,
    TZ_SUFFIX,
    day_order,
    failed_examples,
    matches,
    parse_bool,
    parse_dates,
    parse_ids,
    swap_day_month,
    swapped_days,
    to_number,
)
from custops.ingest.privacy import (
    allowed_pii_note,
    mask_value,
    pii_columns,
    pseudonymize_agents,
    pseudonymize_result,
    redact,
    redact_series,
)
from custops.ingest.schema import CANONICAL, row_failures
from custops.ingest.sources import RECORD_COLUMN, SOURCE_VALUE_PREFIX, load_raw, read_numbers

__all__ = [
    "signup_from_tenure",
    "CleanResult",
    "clean_table",
    "format_ids",
    "load_and_clean",
    "mask_value",
    "large_removals",
    "coverage",
    "LEDGER_COLUMNS",
    "RULE_KNOBS",
    "ANNOUNCE_SHARE",
    "EARLIEST_DATE",
]

LEDGER_COLUMNS = [
    "table",
    "step",
    "rule",
    "rows_in",
    "rejected",
    "merged",
    "changed",
    "rows_out",
    "note",
]
REJECT_COLUMNS = ["table", "source_file", "source_row", "rule", "reason", "raw"]
CATEGORY_COLUMNS = (
    "region",
    "acquisition_channel",
    "channel",
    "category",
    "touchpoint",
    "status",
    "ab_group",
)
_MOSTLY_BAD = 0.5
#: a rule removing (rejecting or merging) more than this share of a table is announced
ANNOUNCE_SHARE = 0.05
#: dates before this are implausible in any export (sentinels such as 0001-01-01, 1899-12-30)
EARLIEST_DATE = pd.Timestamp("1900-01-01")
#: the config keys that control each rule (what to change when a rule removes too much)
RULE_KNOBS = {
    "missing id": "sources.<table>.columns",
    "unreadable date": "sources.<table>.columns, sources.<table>.date_format, sources.<table>.dayfirst",
    "not a number": "sources.<table>.columns, sources.<table>.derive, sources.<table>.decimal",
    "cancellation": "sources.orders.cancellation",
    "out of range": "sources.<table>.values, nps.scale_max",
    "below min_amount": "cleaning.min_amount",
    "date out of range": "cleaning.min_date, cleaning.future_tolerance_days",
    "exact duplicate": "sources.<table>.record_ids",
    "key duplicate": "sources.<table>.columns",
    "outlier": "cleaning.outlier_action, cleaning.outlier_k, cleaning.max_amount",
}
#: the date column that places each table's rows in time
DATE_COLUMNS = {
    "customers": "signup_date",
    "orders": "order_date",
    "tickets": "created_at",
    "surveys": "responded_at",
    "touches": "sent_at",
}


#: free-text fields beyond the schema's ``free`` kind: redacted like comments
_FREE_TEXT_FIELDS = {("tickets", "category")}


def _is_free_text(table: str, column: str) -> bool:
    return CANONICAL[table].kind(column) == "free" or (table, column) in _FREE_TEXT_FIELDS


def _keep_rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``frame.loc[keep].copy()`` in one pass: a take per column, no block consolidation."""
    return frame.take(np.flatnonzero(keep))


@dataclass
class _Run:
    """Bookkeeping while one table is cleaned."""

    table: str
    frame: pd.DataFrame
    raw: pd.DataFrame
    pii: tuple[str, ...]
    free_text: tuple[str, ...] = ()
    steps: list[dict] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)

    def reject(self, mask: pd.Series, rule: str, reasons: pd.Series | str, note: str = "") -> None:
        mask = mask.reindex(self.frame.index, fill_value=False).astype(bool)
        n_in = len(self.frame)
        hit = self.frame.index[mask]
        if len(hit):
            why = reasons if isinstance(reasons, str) else reasons.reindex(hit).astype(str)
            raw = self.raw.loc[hit]
            self.rejects.append(
                pd.DataFrame(
                    {
                        "table": self.table,
                        "source_file": raw["_src_file"].astype(str),
                        "source_row": raw["_src_row"].astype(int),
                        "rule": rule,
                        "reason": why,
                        "raw": self._raw_jsons(raw),
                    },
                    index=hit,
                )
            )
        if len(hit):  # no copy of the (20M-row) frame when a rule rejects nothing
            self.frame = _keep_rows(self.frame, ~mask.to_numpy())
        self.log(rule, n_in, rejected=len(hit), note=note)

    def merge(self, mask: pd.Series, rule: str, note: str = "") -> None:
        n_in = len(self.frame)
        keep = ~mask.reindex(self.frame.index, fill_value=False).astype(bool).to_numpy()
        if not keep.all():
            self.frame = _keep_rows(self.frame, keep)
        self.log(rule, n_in, merged=n_in - len(self.frame), note=note)

    def log(
        self,
        rule: str,
        n_in: int,
        *,
        rejected: int = 0,
        merged: int = 0,
        changed: int = 0,
        note: str = "",
    ) -> None:
        self.steps.append(
            {
                "table": self.table,
                "step": len(self.steps) + 1,
                "rule": rule,
                "rows_in": n_in,
                "rejected": rejected,
                "merged": merged,
                "changed": changed,
                "rows_out": n_in - rejected - merged,
                "note": note,
            }
        )

    def _raw_jsons(self, raw: pd.DataFrame) -> list[str]:
        """The original values of each row as JSON (personal data masked, free text redacted).

        Column by column (a text column of a CSV is taken as it is, not value by value);
        missing values are ``null``, values that are not JSON types are written as text.
        """
        frame = raw.drop(columns=["_src_file", "_src_row", RECORD_COLUMN], errors="ignore")
        # the source columns a derived value came from, under their own names
        keys = [
            str(k).removeprefix(SOURCE_VALUE_PREFIX)
            if str(k).startswith(SOURCE_VALUE_PREFIX)
            and str(k).removeprefix(SOURCE_VALUE_PREFIX) not in frame.columns
            else str(k)
            for k in frame.columns
        ]
        columns = []
        for key in frame.columns:
            col = frame[key]
            kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
            if kind == "f":
                values = [None if v != v else v for v in col.tolist()]
            elif kind in ("i", "u", "b"):
                values = col.tolist()
            elif kind == "O" and pd.api.types.infer_dtype(col, skipna=True) in ("string", "empty"):
                values = col.where(col.notna(), None).tolist()
            else:
                values = [_plain(v) for v in col.astype(object).tolist()]
            key = str(key).removeprefix(SOURCE_VALUE_PREFIX)
            if key in self.pii:
                values = [None if v is None else mask_value(v) for v in values]
            elif key in self.free_text:
                values = [redact(v) if isinstance(v, str) else v for v in values]
            columns.append(values)
        return [
            json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False, default=str)
            for row in zip(*columns, strict=True)
        ] or [json.dumps({})] * len(frame)


def _plain(value: object) -> object:
    """A value as JSON can hold it: missing -> None, numpy scalars -> Python, others -> text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None if value is not pd.NaT else "NaT"
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value if isinstance(value, bool | int | float | str) else str(value)


def _parse_ids(values: pd.Series) -> pd.Series:
    """:func:`custops.core.parsing.parse_ids`, through Arrow's string kernels when every value is text.

    Same result (trimmed, ``12345.0`` -> ``12345``, blanks missing); the per-value Python
    loop took ~0.7 µs a value, ~30 s for the order and customer ids of 20M orders.
    """
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "string":
        return parse_ids(values)
    import pyarrow as pa
    import pyarrow.compute as pc

    source = pa.array(values, type=pa.string(), from_pandas=True)
    text = pc.utf8_trim_whitespace(source)
    if pc.any(pc.match_substring(text, ".")).as_py():  # the regex only when it can match
        text = pc.replace_substring_regex(text, r"^(\d+)\.0+$", r"\1")
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    text = _blank_placeholder_ids(text)
    # keep the original string objects where nothing changed (shared with the raw frame:
    # new copies of 40M ids cost ~2 GB); only changed or missing values are replaced
    same = pc.fill_null(pc.equal(text, source), False).to_numpy(zero_copy_only=False)
    out = values.to_numpy(dtype=object, copy=True)
    if not same.all():
        out[~same] = text.filter(pa.array(~same)).to_numpy(zero_copy_only=False)
    return pd.Series(out, index=values.index, dtype=object)


def _blank_placeholder_ids(text):
    """Arrow strings with ``#N/A``, ``NULL``, ``-`` ... (``PLACEHOLDER_IDS``) made missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    placeholder = pc.is_in(pc.utf8_lower(text), value_set=pa.array(sorted(PLACEHOLDER_IDS)))
    return pc.if_else(pc.fill_null(placeholder, False), pa.scalar(None, pa.string()), text)


def _standardise_category(values: pd.Series, case: str) -> tuple[int, pd.Series]:
    """Trim, collapse spaces and unify case of a category column; (values changed, result).

    The text rules run on the distinct values only (a few per column) and are mapped back by
    code: the same result as running them on every row (20M order rows at 1M customers).
    """
    codes, uniques = pd.factorize(values)
    raw = pd.Series(uniques, dtype=object).astype("string")
    text = raw.str.strip().str.replace(r"\s+", " ", regex=True)
    if case == "lower":
        text = text.str.lower()
    elif case == "upper":
        text = text.str.upper()
    elif case == "most_common" and len(text):
        rows = np.bincount(codes[codes >= 0], minlength=len(text))
        # value_counts of the full column: spellings in order of first appearance, then sorted
        counts = (
            pd.Series(rows, index=text.to_numpy(dtype=object)).groupby(level=0, sort=False).sum()
        )
        counts = counts.sort_values(ascending=False)
        best: dict[str, str] = {}
        for spelling in counts.index:  # most frequent first
            best.setdefault(spelling.casefold(), spelling)
        text = text.map(lambda v: best.get(v.casefold(), v)).astype("string")
    text = text.replace("", pd.NA)
    differs = (text.fillna("\0") != raw.fillna("\0")).to_numpy()
    n_changed = int(np.bincount(codes[codes >= 0], minlength=len(text))[differs].sum())
    mapped = text.astype(object).where(text.notna(), None).to_numpy(dtype=object)
    out = np.empty(len(codes), dtype=object)
    out[:] = None
    out[codes >= 0] = mapped[codes[codes >= 0]]
    return n_changed, pd.Series(out, index=values.index, dtype=object)


def _most_common_spelling(text: pd.Series) -> pd.Series:
    """Spellings that differ only in case become the most frequent spelling of the group."""
    present = text.dropna()
    if present.empty:
        return text
    counts = present.value_counts()
    best = {}
    for spelling in counts.index:  # most frequent first
        best.setdefault(spelling.casefold(), spelling)
    return text.map(lambda v: best.get(v.casefold(), v) if isinstance(v, str) else v).astype(
        text.dtype
    )


def _missing_reasons(frame: pd.DataFrame, columns: list[str], empty: pd.Series) -> pd.Series:
    """``"empty a, b"`` per row of ``empty``: the pattern of missing ids, one text per pattern.

    Examples
    --------
    >>> f = pd.DataFrame({"a": [None, "x", None], "b": [None, None, "y"]})
    >>> _missing_reasons(f, ["a", "b"], pd.Series([True, True, True])).tolist()
    ['empty a, b', 'empty b', 'empty a']
    """
    hit = empty.to_numpy(dtype=bool)
    pattern = np.zeros(int(hit.sum()), dtype=np.int64)
    for bit, column in enumerate(columns):
        pattern |= frame[column].isna().to_numpy()[hit].astype(np.int64) << bit
    texts = {
        code: "empty " + ", ".join(c for bit, c in enumerate(columns) if code >> bit & 1)
        for code in np.unique(pattern).tolist()
    }
    return pd.Series(
        pd.Series(pattern).map(texts).to_numpy(dtype=object), index=frame.index[hit], dtype=object
    )


def _count_zoned(values: pd.Series) -> int:
    """How many date values carry a UTC offset (``+08:00``, ``Z``, a tz-aware column)."""
    if getattr(getattr(values, "dt", None), "tz", None) is not None:
        return int(values.notna().sum())
    if pd.api.types.is_datetime64_any_dtype(values):
        return 0
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in (
        "string",
        "empty",
    ):  # text only (CSV): no value can carry a tzinfo; the regex in Arrow, not per value
        return int(matches(values, TZ_SUFFIX.pattern).sum())
    stamps = values.map(lambda v: getattr(v, "tzinfo", None) is not None)
    text = values[~stamps].astype("string").str.strip()
    return int(stamps.sum()) + int(text.str.contains(TZ_SUFFIX, na=False).sum())


def _text_keys(frame: pd.DataFrame, as_is: set | None = None) -> pd.DataFrame:
    """Columns whose equality is that of their text (missing values all alike), cheaply.

    Rows are exact duplicates when every cell prints the same. Formatting 20M timestamps
    and floats as text took minutes, so typed columns keep their values where value
    equality is text equality: datetimes, booleans, integers, and floats without a
    negative zero (NaN/NaT/None are all "missing"). Object columns are turned to text.

    Examples
    --------
    >>> f = pd.DataFrame({"a": [1.0, 1.0, float("nan"), None], "b": ["x", "x", None, float("nan")]})
    >>> _text_keys(f).duplicated().tolist()
    [False, True, False, True]
    """
    out = {}
    for name in frame.columns:
        col = frame[name]
        if (name in as_is) if as_is is not None else _as_is(col):
            out[name] = col
        else:
            out[name] = col.astype(object).where(col.notna(), None).astype(str)
    return pd.DataFrame(out, index=frame.index)


def _as_is(col: pd.Series) -> bool:
    """Whether :func:`_text_keys` keeps a column's values (their equality is text equality)."""
    kind = col.dtype.kind
    if kind == "f":
        values = col.to_numpy()
        return not np.signbit(values[values == 0]).any()
    return kind in "Mmbiu"


def _row_hash(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """A uint64 per row, equal for rows whose ``columns`` hold equal values (NaN, NaT, NA alike).

    Different rows may collide; callers use it to find candidates and compare them exactly.
    """
    out = np.zeros(len(frame), dtype=np.uint64)
    for name in columns:
        col = frame[name]
        values = col.to_numpy() if isinstance(col.dtype, np.dtype) else None
        if values is None or values.dtype.kind not in "Mmbiuf":
            bits = pd.factorize(col)[0].astype(np.int64)  # extension types; NA -> -1
        elif values.dtype.kind == "f":
            values = values.astype(np.float64)  # a copy; +0/-0 and every NaN made alike
            values[values == 0] = 0.0
            values[np.isnan(values)] = np.nan
            bits = values.view(np.int64)
        elif values.dtype.kind in "Mm":
            bits = values.view(np.int64)  # NaT is one value
        else:
            bits = values.astype(np.int64)
        out = out * np.uint64(0x9E3779B97F4A7C15) + bits.view(np.uint64)
    return out


def exact_duplicates(frame: pd.DataFrame, record: np.ndarray | None = None) -> np.ndarray:
    """Rows that print the same as an earlier row in every column (``keep="first"``).

    ``record`` (int64 codes per row, :func:`custops.ingest.sources.record_codes` of the source
    columns that are not in ``frame``) must be equal as well: rows are then duplicates only
    when the whole source record is.

    The same flags as ``_text_keys(frame).duplicated(keep="first")``, without turning every
    text cell into a key: rows can only be duplicates if their typed columns (dates,
    numbers, booleans) are equal, and then if each text column is equal, so candidates are
    narrowed column by column on hashes and integer codes, and only the few rows left
    (the duplicates and rare hash collisions) are compared as text.

    Examples
    --------
    >>> f = pd.DataFrame({"id": ["a", "a", "b", "a"], "amount": [1.0, 1.0, 1.0, 2.0]})
    >>> exact_duplicates(f).tolist()
    [False, True, False, False]
    >>> exact_duplicates(f, record=np.array([0, 1, 0, 0])).tolist()
    [False, False, False, False]
    """
    n = len(frame)
    out = np.zeros(n, dtype=bool)
    typed = [c for c in frame.columns if frame[c].dtype.kind in "Mmbiuf"]
    rows = np.arange(n)
    # equal text implies equal values, which imply equal hashes: a superset of the duplicates
    hashes = _row_hash(frame, typed)
    if record is not None:
        record = np.asarray(record, dtype=np.int64)
        hashes = hashes * np.uint64(0x9E3779B97F4A7C15) + record.view(np.uint64)
    for name in [None, *[c for c in frame.columns if c not in typed]]:
        if name is not None:
            codes = _text_codes(frame[name].iloc[rows])
            if codes is None:  # not all text: left to the comparison below
                continue
            hashes = hashes * np.uint64(0x9E3779B97F4A7C15) + codes.view(np.uint64)
        candidate = pd.Series(hashes).duplicated(keep=False).to_numpy(dtype=bool)
        rows, hashes = rows[candidate], hashes[candidate]
        if not len(rows):
            return out
    as_is = {c for c in frame.columns if _as_is(frame[c])}  # decided on the whole column
    sub = _text_keys(frame.iloc[rows], as_is=as_is)
    if record is not None:
        sub[RECORD_COLUMN] = record[rows]
    out[rows] = sub.duplicated(keep="first").to_numpy(dtype=bool)
    return out


def _text_codes(col: pd.Series) -> np.ndarray | None:
    """Integer codes equal where the text keys are equal, for a column of text only.

    Missing values print as ``None``, like the text ``"None"``: they share its code.
    ``None`` for columns holding anything else (``1`` and ``"1"`` print alike).
    """
    if isinstance(col.dtype, pd.StringDtype):
        pass
    elif col.dtype != object or pd.api.types.infer_dtype(col, skipna=True) not in (
        "string",
        "empty",
    ):
        return None
    codes, uniques = pd.factorize(col)
    codes = codes.astype(np.int64)
    literal = np.flatnonzero(np.asarray(uniques, dtype=object) == "None")
    if len(literal):
        codes[codes < 0] = literal[0]
    return codes


def _reasons(prefix: str, values: pd.Series, mask: pd.Series) -> pd.Series:
    """``values.astype(str).radd(prefix)[mask]``, formatting only the masked values.

    Text and numbers print value by value; a datetime column prints all its values alike
    (dates without a time when every value is at midnight), so when a masked value is a
    date it is formatted with its whole column, as before.

    Examples
    --------
    >>> _reasons("x: ", pd.Series([1.5, float("nan")]), pd.Series([False, True])).tolist()
    ['x: nan']
    """
    hit = values[mask.reindex(values.index, fill_value=False).to_numpy(dtype=bool)]
    dtype = values.dtype
    elementwise = (isinstance(dtype, np.dtype) and dtype.kind in "Obiuf") or isinstance(
        dtype, pd.StringDtype
    )
    if not elementwise and hit.notna().any():
        return values.astype(str).radd(prefix).loc[hit.index]
    return hit.astype(str).radd(prefix)


def _key_duplicates(key: pd.Series) -> tuple[pd.Series, int]:
    """Rows whose key comes again later (``keep="last"``) and how many keys repeat.

    One factorisation of the key instead of two ``duplicated`` and a ``nunique`` on text.

    Examples
    --------
    >>> dup, n = _key_duplicates(pd.Series(["a", "b", "a", None, None]))
    >>> dup.tolist(), n
    ([True, False, False, True, False], 1)
    """
    codes = pd.Series(pd.factorize(key)[0], index=key.index)  # missing keys: -1
    repeated = codes.duplicated(keep=False).to_numpy()
    n_repeated = len(np.unique(codes.to_numpy()[repeated & (codes.to_numpy() >= 0)]))
    if (codes.to_numpy() < 0).any():  # duplicated() tells None from NaN, factorize does not
        return key.duplicated(keep="last"), n_repeated
    return codes.duplicated(keep="last"), n_repeated


def format_ids(values: pd.Series, id_format: str, width: int | None = None) -> pd.Series:
    """All-digit ids without leading zeros (``strip_zeros``) or zero-padded to ``width``
    (``zero_pad``); other ids and missing ones unchanged.

    Examples
    --------
    >>> ids = pd.Series(["00961", "961", "A07", None])
    >>> format_ids(ids, "strip_zeros").tolist(), format_ids(ids, "zero_pad", 5).tolist()
    (['961', '961', 'A07', None], ['00961', '00961', 'A07', None])
    """
    if id_format == "as_is":
        return values
    text = values.astype("string")
    digits = text.str.fullmatch(r"\d+").fillna(False).astype(bool)
    if id_format == "strip_zeros":
        new = text.str.lstrip("0").replace("", "0")
    else:
        new = text.str.zfill(int(width or 1))
    out = values.copy()
    out[digits] = new[digits].astype(object)
    return out


def _id_shape(ids: pd.Series) -> str:
    """``5 digits, with leading zeros, e.g. '00961', '00962'``: how a table writes its ids."""
    present = ids.dropna().astype(str)
    if present.empty:
        return "no ids"
    digits = present[present.str.fullmatch(r"\d+")]
    examples = ", ".join(repr(v) for v in present.drop_duplicates().head(3))
    if len(digits) * 2 >= len(present):
        lengths = digits.str.len()
        width = (
            f"{lengths.min()} digits"
            if lengths.min() == lengths.max()
            else f"{lengths.min()}-{lengths.max()} digits"
        )
        zeros = digits.str.startswith("0") & (lengths > 1)
        lead = f", {zeros.mean():.0%} with leading zeros" if zeros.any() else ", no leading zeros"
        return f"{width}{lead}, e.g. {examples}"
    return f"text, e.g. {examples}"


def _read_numbers(run: _Run, column: str, src, label: str) -> pd.Series:
    """A number column read with its decimal mark (:func:`custops.ingest.sources.read_numbers`)."""
    parsed, note = read_numbers(
        run.frame[column], run.raw["_src_row"], src, label, column, run.table
    )
    if note:
        run.steps[0]["note"] += f"; {note}"
    return parsed


def _read_dates(run: _Run, column: str, src, label: str) -> pd.Series:
    """A date column read day first or month first (configured, else inferred from the
    values; both kinds in one column are an error), with day/month swaps repaired or found."""
    values = run.frame[column]
    table = run.table
    dayfirst = src.dayfirst if src is not None else None
    if dayfirst is None and not (src is not None and src.date_format):
        order = day_order(values)
        if order.mixed:
            rows = run.raw["_src_row"]
            day = pd.Series(order.day_first, index=values.index)
            month = pd.Series(order.month_first, index=values.index)
            raise DataError(
                label,
                column,
                f"the dates mix two orders: {int(order.day_first.sum()):,} value(s) can only be "
                f"day first (25/11/2025), {int(order.month_first.sum()):,} only month first "
                "(11/25/2025); the others (05/11/2025) could be either",
                examples=[
                    *(f"{e} (day first)" for e in failed_examples(values, day, rows, 2)),
                    *(f"{e} (month first)" for e in failed_examples(values, month, rows, 2)),
                ],
                cause="Files from different locales were combined, or the column was edited by hand.",
                fix=f"Set `sources.{table}.dayfirst: true` (or false) to read every value one "
                "way (the others are rejected as unreadable), or correct the export.",
            )
        dayfirst = order.dayfirst
        if dayfirst:
            run.steps[0]["note"] += (
                f"; {column} read day first ({int(order.day_first.sum()):,} value(s) such as "
                f"{values[order.day_first].iloc[0]!r} can only be day first; "
                f"`sources.{table}.dayfirst` overrides)"
            )
    parsed = parse_dates(
        values,
        date_format=src.date_format if src else None,
        dayfirst=dayfirst,
        timezone=src.timezone if src else None,
    )
    if src is not None and column in src.swap_day_month:
        low = (parsed.dt.day <= 12).fillna(False).to_numpy(dtype=bool)
        parsed = swap_day_month(parsed, low)
        run.steps[0]["note"] += (
            f"; {int(low.sum()):,} {column} value(s) with day <= 12 had day and month swapped "
            f"back (sources.{table}.swap_day_month)"
        )
    elif src is None or src.check_swapped_days:
        found = swapped_days(parsed)
        if found is not None:
            low = (parsed.dt.day <= 12).fillna(False)
            rows = run.raw["_src_row"]
            repaired = swap_day_month(parsed[low].head(3), np.ones(min(3, int(low.sum())), bool))
            examples = [
                f"{e} read as {d.date()}, swapped {r.date()}"
                for e, d, r in zip(
                    failed_examples(values, low, rows, 3),
                    parsed[low].head(3),
                    repaired,
                    strict=False,
                )
            ]
            counts = found["counts"]
            raise DataError(
                label,
                column,
                "the dates look day/month-swapped for days up to 12: days "
                + ", ".join(str(d) for d in found["hole_days"])
                + f" occur {min(counts[d] for d in found['hole_days'])}-"
                f"{max(counts[d] for d in found['hole_days'])} times while days 13-28 occur "
                f"{found['median']:.0f} times each (median); {found['low_days']:,} of "
                f"{found['rows']:,} values have a day <= 12",
                examples=examples,
                cause="The export wrote 5 November as 11 May wherever the day allows it (a "
                "day-first system read month first).",
                fix=f"Set `sources.{table}.swap_day_month: [{column}]` to swap them back, or "
                f"`sources.{table}.check_swapped_days: false` if the dates are right.",
            )
    return parsed


def _check_mostly_bad(
    run: _Run, column: str, failed: pd.Series, what: str, label: str, fix: str
) -> None:
    present = run.raw.loc[run.frame.index, column].notna()
    n_present = int(present.sum())
    n_failed = int(failed.sum())
    if n_present and n_failed >= 5 and n_failed / n_present > _MOSTLY_BAD:
        raise DataError(
            label,
            column,
            f"{n_failed:,} of {n_present:,} values are not {what}",
            examples=failed_examples(
                run.raw.loc[run.frame.index, column], failed, run.raw["_src_row"]
            ),
            cause="The column is mapped to the wrong source column, or its format is unusual.",
            fix=fix,
        )


def clean_table(
    table: str,
    mapped: pd.DataFrame,
    cfg: ReportConfig,
    *,
    file_label: str = "",
    now: datetime | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean one mapped table.

    Parameters
    ----------
    table : str
        Canonical table name.
    mapped : DataFrame
        Output of :func:`custops.ingest.sources.map_columns` (canonical names, raw values,
        ``_src_file``/``_src_row``).
    cfg : ReportConfig
        Cleaning policy, value recodings and PII columns.
    file_label : str
        Name used in error messages.
    now : datetime, optional
        Reference for "future" dates (default: the current time).

    Returns
    -------
    clean, ledger, rejects : DataFrame
        Typed clean rows, the ledger steps, and the rejected rows with reasons.

    Raises
    ------
    DataError
        When a required column is mostly unreadable (wrong mapping or format).

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> raw = pd.DataFrame({"order_id": ["1", "C2", "3"], "customer_id": ["a", "a", None],
    ...     "order_date": ["2025-01-01"] * 3, "amount": ["5", "-5", "7"], "quantity": ["1", "-1", "1"],
    ...     "_src_file": "o.csv", "_src_row": [1, 2, 3]})
    >>> clean, ledger, rejects = clean_table("orders", raw, cfg)
    >>> len(clean), rejects["rule"].tolist()
    (1, ['missing id', 'cancellation'])
    """
    spec = CANONICAL[table]
    src = cfg.sources.get(table)
    label = file_label or (src.path if src and src.path else table)
    pii = tuple(pii_columns(cfg)) + (("agent",) if "agent" not in cfg.privacy.allow_pii else ())
    raw = mapped  # only read (rejects quote it); columns of `frame` are replaced, never written
    frame = mapped.drop(
        columns=[
            "_src_file",
            "_src_row",
            RECORD_COLUMN,
            *(c for c in mapped.columns if str(c).startswith(SOURCE_VALUE_PREFIX)),
        ],
        errors="ignore",
    )
    free_text = tuple(c for c in frame.columns if _is_free_text(table, c))
    run = _Run(table, frame, raw, pii, free_text)
    read_notes = list(mapped.attrs.get("notes", []))
    run.log("read and map columns", len(frame), note="; ".join([f"from {label}", *read_notes]))
    recode = src.values if src else {}
    for column, mapping in recode.items():
        if column in run.frame.columns:
            normalised = {str(k).strip(): v for k, v in mapping.items()}
            run.frame[column] = run.frame[column].map(
                lambda v, m=normalised: m.get(str(v).strip(), v) if v is not None else v
            )

    # 1. ids
    ids = [c for c in spec.required if spec.kind(c) == "id"]
    for column in ids:
        run.frame[column] = _parse_ids(run.frame[column])
    if "customer_id" in run.frame.columns and "customer_id" not in ids:
        run.frame["customer_id"] = _parse_ids(run.frame["customer_id"])
    if src is not None and src.id_format != "as_is" and "customer_id" in run.frame.columns:
        run.frame["customer_id"] = format_ids(run.frame["customer_id"], src.id_format, src.id_width)
    empty = pd.Series(np.zeros(len(run.frame), dtype=bool), index=run.frame.index)
    for column in ids:  # column by column: run.frame[ids] would copy the id columns
        empty |= run.frame[column].isna()
    reasons = _missing_reasons(run.frame, ids, empty) if empty.any() else ""
    run.reject(empty, "missing id", reasons)

    # 2. required dates
    dates = [c for c in spec.required if spec.kind(c) == "date"]
    for column in dates:
        parsed = _read_dates(run, column, src, label)
        failed = parsed.isna()
        _check_mostly_bad(
            run,
            column,
            failed & run.frame[column].notna(),
            "readable dates",
            label,
            f"Check `sources.{table}.columns.{column}`, or set `date_format:` (e.g. '%d/%m/%Y') for this source.",
        )
        original = run.frame[column]
        run.frame[column] = parsed
        zone = src.timezone if src and src.timezone else "UTC"
        n_zoned = _count_zoned(original)
        run.reject(
            failed,
            "unreadable date",
            _reasons(f"{column} cannot be read as a date: ", original, failed),
            note=f"{n_zoned:,} {column} value(s) carried a UTC offset and were converted to "
            f"{zone} (set `timezone:` for local dates)"
            if n_zoned
            else "",
        )

    # 3. required numbers
    numbers = [c for c in spec.required if spec.kind(c) == "number"]
    for column in numbers:
        parsed = _read_numbers(run, column, src, label)
        failed = parsed.isna() | np.isinf(parsed)  # "inf" is no amount (it would be kept now)
        _check_mostly_bad(
            run,
            column,
            failed & run.frame[column].notna(),
            "numbers",
            label,
            f"Check `sources.{table}.columns.{column}` (or the `derive` expression) in the config.",
        )
        original = run.frame[column]
        run.frame[column] = parsed
        run.reject(
            failed, "not a number", _reasons(f"{column} is not a number: ", original, failed)
        )

    # 4. cancellations
    if table == "orders":
        rule = src.cancellation if src else None
        cancel = pd.Series(False, index=run.frame.index)
        why = pd.Series("", index=run.frame.index, dtype=object)
        if rule and rule.invoice_prefix:
            hit = run.frame["order_id"].str.upper().str.startswith(rule.invoice_prefix.upper())
            cancel |= hit
            why[hit] = f"order_id starts with {rule.invoice_prefix!r} (cancellation invoice)"
        if "quantity" in run.frame.columns:
            run.frame["quantity"] = _read_numbers(run, "quantity", src, label)
            if rule and rule.negative_quantity:
                hit = run.frame["quantity"] < 0
                why[hit & ~cancel] = "negative quantity (return)"
                cancel |= hit
        if "status" in run.frame.columns and rule:
            status = run.frame["status"].astype("string").str.strip().str.lower()
            hit = status.isin([s.lower() for s in rule.status_values]).fillna(False).astype(bool)
            why[hit & ~cancel] = "status is " + status[hit & ~cancel].astype(str)
            cancel |= hit
        if rule and rule.negative_amount:
            hit = run.frame["amount"] < 0
            why[hit & ~cancel] = _reasons(
                "negative amount (refund or credit): ", run.frame["amount"], hit & ~cancel
            )
            cancel |= hit
        run.reject(cancel, "cancellation", why)

    # 5. pandera row rules (positive amounts, score range, ...)
    failures = row_failures(table, run.frame, skip=("csat",))  # csat: blanked in step 10
    failures = failures.dropna(subset=["index"])
    failures = failures[~failures["check"].str.startswith("field_uniqueness")]
    if table == "surveys" and "score" in run.frame.columns:  # 7.5 is no NPS answer
        score = run.frame["score"]
        fraction = score.notna() & (score != np.floor(score))
        fraction &= ~run.frame.index.isin(failures["index"].dropna())
        if fraction.any():
            failures = pd.concat(
                [
                    failures,
                    pd.DataFrame(
                        {
                            "index": run.frame.index[fraction],
                            "check": "whole score",
                            "reason": _reasons(
                                "score is not a whole number (answers are 0, 1, ... 10): ",
                                score,
                                fraction,
                            ).to_numpy(),
                        }
                    ),
                ],
                ignore_index=True,
            )
    if len(failures):
        first = failures.drop_duplicates("index").set_index("index")["reason"]
        first.index = first.index.astype(run.frame.index.dtype)
        run.reject(run.frame.index.to_series().isin(first.index), "out of range", first)
    else:
        run.log("out of range", len(run.frame))

    # 6. a minimum amount (opt-in: zero amounts are purchases)
    if table == "orders":
        floor = cfg.cleaning.min_amount
        low_amount = (
            run.frame["amount"] < floor
            if floor is not None
            else pd.Series(False, index=run.frame.index)
        )
        run.reject(
            low_amount,
            "below min_amount",
            _reasons(
                f"amount below cleaning.min_amount {floor:g}: ", run.frame["amount"], low_amount
            )
            if floor is not None
            else "",
            note=f"rule: amount < cleaning.min_amount {floor:g}"
            if floor is not None
            else "no minimum (cleaning.min_amount unset): zero amounts are kept as purchases",
        )

    # 7. implausible dates, and an optional window
    if dates:
        reference = pd.Timestamp(now or datetime.now()) + pd.Timedelta(
            days=cfg.cleaning.future_tolerance_days
        )
        window = pd.Timestamp(cfg.cleaning.min_date) if cfg.cleaning.min_date else None
        bad = pd.Series(False, index=run.frame.index)
        why = pd.Series("", index=run.frame.index, dtype=object)
        for column in dates:
            values = run.frame[column]
            checks = [
                (values < EARLIEST_DATE, f"{column} before {EARLIEST_DATE.date()} (implausible): "),
                (
                    values > reference,
                    f"{column} in the future (after {reference.date()}, today + "
                    f"cleaning.future_tolerance_days): ",
                ),
            ]
            if window is not None and window > EARLIEST_DATE:
                checks.append(
                    (values < window, f"{column} before cleaning.min_date {window.date()}: ")
                )
            for hit, prefix in checks:
                new = hit & ~bad
                if new.any():
                    why[new] = _reasons(prefix, values, new)
                bad |= hit
        run.reject(
            bad,
            "date out of range",
            why,
            note=f"implausible: before {EARLIEST_DATE.date()} or after {reference.date()}"
            + (
                f"; window: from cleaning.min_date {window.date()}"
                if window is not None
                else "; no date window (cleaning.min_date unset)"
            ),
        )

    # 8. exact duplicates over the whole source record (mapped columns and the others)
    if src is not None and src.record_ids:
        run.log(
            "exact duplicate",
            len(run.frame),
            note=f"the export has no {spec.key}: every record is its own row (record_ids), "
            "identical records are kept as repeated purchases",
        )
    else:
        record = (
            raw.loc[run.frame.index, RECORD_COLUMN].to_numpy(dtype=np.int64)
            if RECORD_COLUMN in raw.columns
            else None
        )
        dup = pd.Series(exact_duplicates(run.frame, record), index=run.frame.index)
        run.merge(
            dup,
            "exact duplicate",
            note="identical in every column of the source record (mapped or not), exported "
            "twice; the first is kept",
        )

    # 9. key duplicates (orders are lines: one order_id has several lines)
    if table != "orders":
        key = spec.key
        dup_key, n_conflict = _key_duplicates(run.frame[key])
        run.merge(
            dup_key,
            "key duplicate",
            note=f"{n_conflict} {key}(s) appeared more than once with different values; the last row is kept",
        )
    else:
        run.log(
            "key duplicate",
            len(run.frame),
            note="orders are lines; duplicates are checked on whole rows",
        )

    # 10. outliers: flagged (kept) by default, rejected on request; above max_amount rejected
    if table == "orders" and len(run.frame):
        amount = run.frame["amount"]
        unusual = pd.Series(False, index=run.frame.index)
        capped = pd.Series(False, index=run.frame.index)
        notes = []
        positive = amount[amount > 0].to_numpy()  # log(0) is undefined: zero amounts never count
        if cfg.cleaning.outlier_method == "log_iqr" and len(positive) >= 20:
            logs = np.log(positive)
            q1, q3 = np.percentile(logs, [25, 75])
            limit = float(np.exp(q3 + cfg.cleaning.outlier_k * (q3 - q1)))
            unusual |= amount > limit
            notes.append(
                f"rule: amount > exp(Q3 + {cfg.cleaning.outlier_k:g}*IQR of log amount) = {limit:,.2f}"
            )
        if cfg.cleaning.max_amount:
            capped |= amount > cfg.cleaning.max_amount
            notes.append(f"or amount > max_amount {cfg.cleaning.max_amount:,.0f} (rejected)")
        reject = capped | unusual if cfg.cleaning.outlier_action == "reject" else capped
        flagged = unusual & ~reject
        if cfg.cleaning.outlier_action == "flag" and cfg.cleaning.outlier_method != "none":
            notes.append(
                f"{int(flagged.sum()):,} line(s) flagged is_outlier and kept "
                "(cleaning.outlier_action: reject sets them aside)"
            )
        run.reject(
            reject,
            "outlier",
            _reasons("amount is an outlier: ", amount, reject),
            note="; ".join(notes),
        )
        run.frame["is_outlier"] = flagged.reindex(run.frame.index).to_numpy(dtype=bool)
        run.steps[-1]["changed"] = int(flagged.sum())

    # 11. standardise optional values
    changed = 0
    for column in run.frame.columns:
        kind = spec.kind(column)
        values = run.frame[column]
        if column in spec.required and kind != "text":
            continue
        if kind == "date":
            parsed = _read_dates(run, column, src, label)
            changed += int((parsed.isna() & values.notna()).sum())
            run.frame[column] = parsed
        elif kind == "number":
            parsed = _read_numbers(run, column, src, label)
            if column == "csat":
                parsed = parsed.where(parsed.between(1, 5))
            changed += int((parsed.isna() & values.notna()).sum())
            run.frame[column] = parsed
        elif kind == "bool":
            parsed = parse_bool(values, recode.get(column))
            changed += int((parsed.isna() & values.notna()).sum())
            run.frame[column] = parsed
        elif kind == "id":
            run.frame[column] = _parse_ids(values)
        elif column in CATEGORY_COLUMNS:
            n_changed, run.frame[column] = _standardise_category(values, cfg.cleaning.category_case)
            changed += n_changed
    run.log(
        "standardise values",
        len(run.frame),
        changed=changed,
        note="categories trimmed, case variants unified; unreadable optional values blanked",
    )
    if table == "tickets":
        _reject_time_travel(run)
    if run.frame.empty:
        steps = pd.DataFrame(run.steps)
        removed = steps["rejected"] + steps["merged"]
        worst = steps.loc[removed.idxmax()] if removed.max() > 0 else None
        knob = RULE_KNOBS.get(str(worst["rule"]), "") if worst is not None else ""
        by_rule = (
            f"The rule {worst['rule']!r} removed {int(removed.max()):,} of "
            f"{int(steps['rows_in'].iloc[0]):,} rows"
            + (f" ({worst['note']})" if worst["note"] else "")
            + "."
            if worst is not None
            else None
        )
        raise DataError(
            label,
            None,
            "no usable rows remain after cleaning",
            examples=[f"{r.rule}: {r.reason}" for r in pd.concat(run.rejects).head(3).itertuples()]
            if run.rejects
            else [],
            cause=by_rule,
            fix="Look at the reasons above: "
            + (
                "change "
                + " or ".join(f"`{k}`" for k in knob.replace("<table>", table).split(", "))
                + " if the rule does not fit this export, or check the column mapping."
                if knob
                else "most likely a column is mapped wrongly."
            ),
        )
    rejects = (
        pd.concat(run.rejects, ignore_index=True)
        if run.rejects
        else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    clean = run.frame  # a frame of this run (take/setitem results), not the caller's
    clean.index = pd.RangeIndex(len(clean))  # reset_index(drop=True) without a copy
    return clean, pd.DataFrame(run.steps, columns=LEDGER_COLUMNS), rejects[REJECT_COLUMNS]


#: ticket times that cannot come before the ticket was opened
_AFTER_CREATED = ("first_response_at", "resolved_at")


def _reject_time_travel(run: _Run) -> None:
    """11. (tickets) answered or resolved before it was opened -> rejected with both times.

    A negative first-response or resolution time would pass as "answered in time" and pull
    the service KPIs down; the row is set aside with the two times in its reason.
    """
    frame = run.frame
    if "created_at" not in frame.columns:
        return
    bad = pd.Series(False, index=frame.index)
    why = pd.Series("", index=frame.index, dtype=object)
    for column in _AFTER_CREATED:
        if column not in frame.columns:
            continue
        early = (frame[column] < frame["created_at"]).fillna(False).astype(bool) & ~bad
        why[early] = (
            f"{column} "
            + frame.loc[early, column].astype(str)
            + " is before created_at "
            + frame.loc[early, "created_at"].astype(str)
        )
        bad |= early
    note = "answered or resolved before it was opened (a negative duration)" if bad.any() else ""
    if bad.sum() >= 5:  # events running backwards: a day/month-swapped export?
        created = frame.loc[bad, "created_at"]
        fixed = pd.Series(False, index=created.index)
        for column in _AFTER_CREATED:
            if column in frame.columns:
                later = frame.loc[bad, column]
                low = (later.dt.day <= 12).fillna(False).to_numpy()
                swapped = swap_day_month(later, low)
                low_created = (created.dt.day <= 12).fillna(False).to_numpy()
                fixed |= (swapped >= created).fillna(False) & (later < created).fillna(False)
                fixed |= (later >= swap_day_month(created, low_created)).fillna(False) & (
                    later < created
                ).fillna(False)
        if fixed.sum() * 2 >= bad.sum():
            note += (
                f"; {int(fixed.sum()):,} of the {int(bad.sum()):,} would be in order with day "
                "and month swapped where the day is <= 12: a day/month-swapped export? "
                "(sources.tickets.swap_day_month)"
            )
    run.reject(bad, "time order", why, note=note)


def _not_in(values: pd.Series, known: pd.Index) -> np.ndarray:
    """``known.get_indexer(values) < 0``: Arrow's hash lookup when both are text (2x faster).

    Examples
    --------
    >>> _not_in(pd.Series(["a", None, "c"]), pd.Index(["a", "b"])).tolist()
    [False, True, True]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        ids = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        value_set = pa.array(known.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # not all text
        return known.get_indexer(values) < 0
    return ~pc.is_in(ids, value_set=value_set).to_numpy(zero_copy_only=False)


def _raise_unmatched(tables: dict, cfg: ReportConfig, missing: np.ndarray) -> None:
    """Most orders belong to no customer of the customer file: the ids are written two ways."""
    orders, customers = tables["orders"]["customer_id"], tables["customers"]["customer_id"]
    stripped = format_ids(orders, "strip_zeros")
    known = pd.Index(format_ids(customers, "strip_zeros").dropna().unique())
    again = 1 - float(_not_in(stripped, known).mean())
    hint = (
        f" With leading zeros ignored, {again:.0%} of the orders would match."
        if again > 1 - float(missing.mean())
        else ""
    )
    raise DataError(
        f"{cfg.sources['orders'].path or 'orders query'} and "
        f"{cfg.sources['customers'].path or 'customers query'}",
        "customer_id",
        f"only {1 - float(missing.mean()):.0%} of {len(orders):,} orders belong to a customer of "
        f"the customer file (at least half must).{hint}",
        examples=[
            f"customers write ids as {_id_shape(customers)}",
            f"orders write ids as {_id_shape(orders)}",
        ],
        cause="The two exports write the ids differently (leading zeros, prefixes), or a "
        "column is mapped wrongly.",
        fix="Set `sources.orders.id_format: zero_pad` with `id_width:` (or "
        "`sources.customers.id_format: strip_zeros`) so both write the ids alike, or check "
        "`sources.<table>.columns.customer_id`.",
    )


def large_removals(ledger: pd.DataFrame, threshold: float = ANNOUNCE_SHARE) -> pd.DataFrame:
    """The rules that removed (rejected or merged) more than ``threshold`` of a table.

    Parameters
    ----------
    ledger : DataFrame
        ``CleanResult.ledger`` (``LEDGER_COLUMNS``).
    threshold : float
        Share of the table's input rows above which a rule is announced (default 5 %).

    Returns
    -------
    DataFrame
        ``table, rule, removed, rows_in, share, note, knob`` (the config keys that control
        the rule), largest share first; empty when no rule removed that much.

    Examples
    --------
    >>> ledger = pd.DataFrame({"table": ["orders"] * 2, "step": [1, 2],
    ...     "rule": ["read and map columns", "exact duplicate"], "rows_in": [100, 100],
    ...     "rejected": [0, 0], "merged": [0, 30], "changed": [0, 0], "rows_out": [100, 70],
    ...     "note": ["", ""]})
    >>> large_removals(ledger)[["table", "rule", "removed", "share"]].to_dict("records")
    [{'table': 'orders', 'rule': 'exact duplicate', 'removed': 30, 'share': 0.3}]
    """
    columns = ["table", "rule", "removed", "rows_in", "share", "note", "knob"]
    rows = []
    for table, steps in ledger.groupby("table", sort=False):
        rows_in = int(steps["rows_in"].iloc[0])
        for step in steps.itertuples():
            removed = int(step.rejected) + int(step.merged)
            if rows_in and removed / rows_in > threshold:
                knob = RULE_KNOBS.get(str(step.rule), "").replace("<table>", str(table))
                rows.append(
                    (table, step.rule, removed, rows_in, removed / rows_in, step.note, knob)
                )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("share", ascending=False, kind="stable", ignore_index=True)


def coverage(tables: dict[str, pd.DataFrame], period: Period | str | None = None) -> pd.DataFrame:
    """Per clean table: the date range its rows cover and how many fall in ``period``.

    Parameters
    ----------
    tables : dict of DataFrame
        ``CleanResult.tables``.
    period : Period or str, optional
        The reporting period; without it the ``in_period`` columns are left empty.

    Returns
    -------
    DataFrame
        ``table, date_column, rows, first, last, in_period, period_days_covered, note``;
        ``period_days_covered`` counts the period's days up to the table's last date (not
        for customers: signups end when a cohort is closed).

    Examples
    --------
    >>> t = {"orders": pd.DataFrame({"order_date": pd.to_datetime(["2011-10-02", "2011-12-09"])})}
    >>> coverage(t, "2011Q4")[["rows", "in_period", "period_days_covered"]].to_dict("records")
    [{'rows': 2, 'in_period': 2, 'period_days_covered': 70}]
    """
    p = Period.parse(period) if period is not None else None
    rows = []
    for table, frame in tables.items():
        column = DATE_COLUMNS.get(table)
        if column is None or column not in frame.columns:
            continue
        dates = frame[column]
        first, last = dates.min(), dates.max()
        in_period = covered = None
        note = ""
        if p is not None:
            start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
            in_period = int(((dates >= start) & (dates < end)).sum())
            covered = (
                0
                if pd.isna(last) or last < start
                else min(p.days, (last.normalize() - start).days + 1)
            )
            if table == "customers":  # signups: a closed cohort has none later, that is no gap
                covered = None
                note = f"no signups in {p.label}" if in_period == 0 else ""
            elif in_period == 0:
                note = f"no {table} rows in {p.label}"
            elif covered < p.days:
                note = (
                    f"the data end on {last.date()}: {covered} of {p.days} days of {p.label} "
                    f"({covered / p.days:.0%})"
                )
        rows.append((table, column, len(frame), first, last, in_period, covered, note))
    return pd.DataFrame(
        rows,
        columns=[
            "table",
            "date_column",
            "rows",
            "first",
            "last",
            "in_period",
            "period_days_covered",
            "note",
        ],
    )


@dataclass
class CleanResult:
    """Clean canonical tables with their ledger and rejects.

    Attributes
    ----------
    tables : dict of DataFrame
        Clean tables by canonical name; personal-data columns are dropped unless asked for.
    ledger : DataFrame
        One row per table and rule (``LEDGER_COLUMNS``).
    rejects : DataFrame
        One row per rejected input row (``REJECT_COLUMNS``), personal data masked.
    notes : list of str
        Observations that do not remove rows (e.g. orders of customers missing from the
        customer file).
    written : dict of Path
        Clean tables already written as artifacts, by name (set by
        :func:`custops.chapters.collection.collect`, which writes the orders before the features).
    """

    tables: dict[str, pd.DataFrame]
    ledger: pd.DataFrame
    rejects: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    written: dict[str, Path] = field(default_factory=dict)

    def large_removals(self, threshold: float = ANNOUNCE_SHARE) -> pd.DataFrame:
        """Rules that removed more than ``threshold`` of a table (:func:`large_removals`).

        Examples
        --------
        >>> CleanResult({}, pd.DataFrame(columns=LEDGER_COLUMNS), pd.DataFrame()).large_removals().empty
        True
        """
        return large_removals(self.ledger, threshold)

    def coverage(self, period: Period | str | None = None) -> pd.DataFrame:
        """Date range and rows in ``period`` of every clean table (:func:`coverage`).

        Examples
        --------
        >>> CleanResult({}, pd.DataFrame(columns=LEDGER_COLUMNS), pd.DataFrame()).coverage().empty
        True
        """
        return coverage(self.tables, period)

    def summary(self) -> pd.DataFrame:
        """Per table: rows in, kept, merged, rejected and whether they balance.

        Examples
        --------
        >>> CleanResult({}, pd.DataFrame(columns=LEDGER_COLUMNS), pd.DataFrame()).summary().columns.tolist()
        ['table', 'rows_in', 'kept', 'merged', 'rejected', 'balanced']
        """
        rows = []
        for table, steps in self.ledger.groupby("table", sort=False):
            rows_in = int(steps["rows_in"].iloc[0])
            kept = int(steps["rows_out"].iloc[-1])
            merged = int(steps["merged"].sum())
            rejected = int(steps["rejected"].sum())
            rows.append(
                (table, rows_in, kept, merged, rejected, rows_in == kept + merged + rejected)
            )
        return pd.DataFrame(
            rows, columns=["table", "rows_in", "kept", "merged", "rejected", "balanced"]
        )


def signup_from_tenure(
    mapped: pd.DataFrame,
    cfg: ReportConfig,
    period: Period | str | None,
    *,
    file_label: str = "customers",
) -> tuple[pd.DataFrame, str]:
    """A contract snapshot's ``signup_date``: the snapshot day minus the tenure.

    A CRM snapshot has a ``tenure`` (in ``churn.tenure_unit``) and a churned flag but no
    dates. It is taken at ``observation_end`` when the config sets one, else at the period
    end. A tenure that is not a number leaves the date empty, so the row is rejected as an
    unreadable date (the note says so). The raw ``tenure`` column is left as it was.

    Parameters
    ----------
    mapped : DataFrame
        The mapped customers table (``customer_id``, ``tenure``, ...).
    cfg : ReportConfig
    period : Period or str or None
        The reporting period (needed unless ``observation_end`` is set).
    file_label : str
        The file named in errors.

    Returns
    -------
    (DataFrame, str)
        The table with ``signup_date`` added, and the sentence for the notes.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"customers": {"path": "c.csv"}},
    ...     "churn": {"definition": "contractual", "tenure_unit": "months"}})
    >>> m = pd.DataFrame({"customer_id": ["a", "b"], "tenure": ["12", "x"]})
    >>> out, note = signup_from_tenure(m, cfg, "2025Q4")
    >>> out["signup_date"].tolist()
    [Timestamp('2024-12-31 00:00:00'), NaT]
    """
    if "tenure" not in mapped:
        raise DataError(
            file_label,
            "signup_date",
            "the customers table has neither a signup date nor a tenure",
            fix="Map `sources.customers.columns.signup_date`, or for a contract snapshot "
            "`tenure` and `churned` (with `churn.definition: contractual`).",
        )
    if cfg.observation_end is not None:
        snapshot = pd.Timestamp(cfg.observation_end)
    elif period is not None:
        snapshot = pd.Timestamp(Period.parse(period).end)
    else:
        raise DataError(
            file_label,
            "tenure",
            "a contract snapshot without dates needs the day it was taken",
            fix="Give the period (`--period`) or set `observation_end:` in the config.",
        )
    unit = cfg.churn.tenure_unit
    src = cfg.sources.get("customers")
    tenure = to_number(
        mapped["tenure"],
        decimal=(src.decimal if src is not None and src.decimal else "."),
        thousands=src.thousands if src is not None else None,
    )
    tenure = tenure.where(tenure >= 0)
    days = (tenure * TENURE_DAYS[unit]).round()
    out = mapped.copy()
    out["signup_date"] = snapshot.normalize() - pd.to_timedelta(days, unit="D")
    bad = int(tenure.isna().sum())
    note = (
        f"The customers table is a contract snapshot without dates: signup_date = "
        f"{snapshot.date()} (the snapshot day) minus the tenure in {unit}"
        + (
            f"; {bad:,} row(s) with no readable tenure are rejected as unreadable dates."
            if bad
            else "."
        )
    )
    return out, note


def load_and_clean(
    cfg: ReportConfig,
    period: Period | str | None = None,
    *,
    keep_pii: bool = False,
    now: datetime | None = None,
) -> CleanResult:
    """Read every configured source, map it, clean it and keep the ledger.

    Parameters
    ----------
    cfg : ReportConfig
        The report configuration.
    period : Period or str, optional
        Reporting period; cleaning keeps rows after it (features filter by period).
    keep_pii : bool
        Keep the personal-data columns (:func:`custops.ingest.privacy.pii_columns`: the
        built-in ones plus ``privacy.pii_columns``, less ``privacy.allow_pii``) and the raw
        free text and agent names
        (default: drop them, keeping ``has_phone``/``has_email`` flags).
        With ``privacy.pseudonymize_ids`` every ``customer_id`` (also in the rejects) is
        replaced by its keyed hash (:func:`custops.ingest.privacy.pseudonymize_result`).
    now : datetime, optional
        Reference for "future" dates.

    Returns
    -------
    CleanResult

    Examples
    --------
    >>> result = load_and_clean(load_config("data/sample/custops.yaml"))  # doctest: +SKIP
    >>> result.summary()["balanced"].all()  # doctest: +SKIP
    True
    """
    raw = load_raw(cfg)
    tables, ledgers, rejects = {}, [], []
    notes = []
    for table in list(raw):
        mapped = raw.pop(table)  # freed once its table is clean (the rejects quote it)
        label = cfg.sources[table].path or f"{table} query"
        if table == "customers" and "signup_date" not in mapped:
            mapped, note = signup_from_tenure(mapped, cfg, period, file_label=label)
            notes.append(note)
        clean, ledger, rej = clean_table(table, mapped, cfg, file_label=label, now=now)
        tables[table] = clean
        ledgers.append(ledger)
        rejects.append(rej)
        del mapped
    if "customers" not in tables:  # derived in the customer view (first order = signup)
        events = [t for t in ("orders", "tickets", "surveys", "touches") if t in tables]
        first = ", with the first order as the signup date" if "orders" in tables else ""
        notes.append(
            f"There is no customers table (sources.customers): the customer view is derived from "
            f"{', '.join(events)}{first}."
        )
    known = (
        pd.Index(tables["customers"]["customer_id"].dropna().unique())
        if "customers" in tables
        else None
    )
    for table in ("orders", "tickets", "surveys", "touches"):
        if (
            table in tables and known is not None
        ):  # hash-table lookup on arrays (a Python set was 41 % of this step)
            missing = _not_in(tables[table]["customer_id"], known)
            orphan = pd.Series(missing, index=tables[table].index)
            if table == "orders" and len(missing) and missing.mean() > 0.5:
                _raise_unmatched(tables, cfg, missing)
            if orphan.any():
                notes.append(
                    f"{int(orphan.sum()):,} {table} rows belong to {tables[table].loc[orphan, 'customer_id'].nunique():,} "
                    "customer ids that are not in the customer file; they are kept (the customer view adds them)."
                )
    # the built-in personal-data columns always, plus the configured ones, less allow_pii
    pii = pii_columns(cfg)
    customers = tables.get("customers")
    for column in pii:
        if customers is not None and column in customers.columns:
            if column in ("phone", "email"):
                customers[f"has_{column}"] = customers[column].notna()
            if not keep_pii:
                customers = customers.drop(columns=column)
    if customers is not None:
        tables["customers"] = customers
    if not keep_pii:
        for table, frame in list(tables.items()):
            if table != "customers" and set(pii) & set(frame.columns):
                tables[table] = frame = frame.drop(columns=[c for c in pii if c in frame])
            # personal data typed into free text (survey comments, ticket categories)
            for column in frame.columns:
                if _is_free_text(table, column):
                    frame[column] = redact_series(frame[column])
        tickets = tables.get("tickets")
        if tickets is not None and "agent" in tickets and "agent" not in cfg.privacy.allow_pii:
            tickets["agent"] = pseudonymize_agents(tickets["agent"], cfg).to_numpy()
    allowed = allowed_pii_note(cfg)
    if allowed:
        notes.append(allowed)
    non_empty = [r for r in rejects if len(r)]
    result = CleanResult(
        tables=tables,
        ledger=pd.concat(ledgers, ignore_index=True),
        rejects=pd.concat(non_empty, ignore_index=True)
        if non_empty
        else pd.DataFrame(columns=REJECT_COLUMNS),
        notes=notes,
    )
    if (
        cfg.privacy.pseudonymize_ids
    ):  # keyed hash of customer_id everywhere (custops.ingest.privacy)
        result = pseudonymize_result(result, cfg)
    return result
