"""The canonical tables (the data contract) and their pandera schemas.

``CANONICAL`` names each table's required and optional columns and their kinds; the
pandera ``DataFrameModel`` classes state the row-level rules that cleaned tables satisfy.
:func:`row_failures` runs a schema lazily and returns one row per failing record, which
the cleaning step turns into rejects with a readable reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

__all__ = ["Table", "CANONICAL", "SCHEMAS", "row_failures"]


@dataclass(frozen=True)
class Table:
    """Columns of one canonical table and the kind of each (id, date, number, bool, text)."""

    name: str
    key: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    kinds: dict[str, str] = field(default_factory=dict)

    def kind(self, column: str) -> str:
        """The kind of a column; unknown columns are text."""
        return self.kinds.get(column, "text")


CANONICAL: dict[str, Table] = {
    "customers": Table(
        "customers",
        "customer_id",
        ("customer_id", "signup_date"),
        (
            "region",
            "acquisition_channel",
            "app_bound",
            "churned_at",
            "name",
            "phone",
            "email",
            "address",
            "id_number",
        ),
        {"customer_id": "id", "signup_date": "date", "churned_at": "date", "app_bound": "bool"},
    ),
    "orders": Table(
        "orders",
        "order_id",
        ("order_id", "customer_id", "order_date", "amount"),
        ("quantity", "channel", "category", "status"),
        {
            "order_id": "id",
            "customer_id": "id",
            "order_date": "date",
            "amount": "number",
            "quantity": "number",
        },
    ),
    "tickets": Table(
        "tickets",
        "ticket_id",
        ("ticket_id", "customer_id", "created_at"),
        ("first_response_at", "resolved_at", "channel", "category", "csat", "reopened", "agent"),
        {
            "ticket_id": "id",
            "customer_id": "id",
            "created_at": "date",
            "first_response_at": "date",
            "resolved_at": "date",
            "csat": "number",
            "reopened": "bool",
        },
    ),
    "surveys": Table(
        "surveys",
        "response_id",
        ("response_id", "customer_id", "responded_at", "score"),
        ("comment", "touchpoint"),
        {
            "response_id": "id",
            "customer_id": "id",
            "responded_at": "date",
            "score": "number",
            "comment": "free",
        },
    ),
    "touches": Table(
        "touches",
        "touch_id",
        ("touch_id", "customer_id", "sent_at", "channel"),
        ("campaign", "delivered", "opened", "clicked", "converted", "ab_group", "cost"),
        {
            "touch_id": "id",
            "customer_id": "id",
            "sent_at": "date",
            "delivered": "bool",
            "opened": "bool",
            "clicked": "bool",
            "converted": "bool",
            "cost": "number",
        },
    ),
}

# --------------------------------------------------------------------------- pandera models


class CustomersSchema(pa.DataFrameModel):
    """Cleaned customers: one row per customer."""

    customer_id: Series[str] = pa.Field(nullable=False, unique=True, str_length={"min_value": 1})
    signup_date: Series[pd.Timestamp] = pa.Field(nullable=False)

    class Config:
        strict = False
        coerce = False


class OrdersSchema(pa.DataFrameModel):
    """Cleaned order lines: amounts >= 0 (zero: a free item), known customers ids, readable dates."""

    order_id: Series[str] = pa.Field(nullable=False)
    customer_id: Series[str] = pa.Field(nullable=False, str_length={"min_value": 1})
    order_date: Series[pd.Timestamp] = pa.Field(nullable=False)
    amount: Series[float] = pa.Field(nullable=False, ge=0)

    class Config:
        strict = False


class TicketsSchema(pa.DataFrameModel):
    """Cleaned tickets; CSAT on a 1-5 scale."""

    ticket_id: Series[str] = pa.Field(nullable=False, unique=True)
    customer_id: Series[str] = pa.Field(nullable=False)
    created_at: Series[pd.Timestamp] = pa.Field(nullable=False)
    csat: Series[float] | None = pa.Field(nullable=True, ge=1, le=5)

    class Config:
        strict = False


class SurveysSchema(pa.DataFrameModel):
    """Cleaned survey answers; NPS score on 0-10."""

    response_id: Series[str] = pa.Field(nullable=False, unique=True)
    customer_id: Series[str] = pa.Field(nullable=False)
    responded_at: Series[pd.Timestamp] = pa.Field(nullable=False)
    score: Series[float] = pa.Field(nullable=False, ge=0, le=10)

    class Config:
        strict = False


class TouchesSchema(pa.DataFrameModel):
    """Cleaned marketing touches."""

    touch_id: Series[str] = pa.Field(nullable=False, unique=True)
    customer_id: Series[str] = pa.Field(nullable=False)
    sent_at: Series[pd.Timestamp] = pa.Field(nullable=False)
    channel: Series[str] = pa.Field(nullable=False)

    class Config:
        strict = False


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "customers": CustomersSchema,
    "orders": OrdersSchema,
    "tickets": TicketsSchema,
    "surveys": SurveysSchema,
    "touches": TouchesSchema,
}

_READABLE = {
    "not_nullable": "is empty",
    "greater_than": "must be greater than",
    "greater_than_or_equal_to": "must be at least",
    "less_than_or_equal_to": "must be at most",
    "in_range": "must be in range",
    "field_uniqueness": "is duplicated",
    "str_length": "is empty",
}


def row_failures(table: str, frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run the table's pandera schema lazily; one row per failing record and check.

    Parameters
    ----------
    table : str
        Canonical table name.
    frame : DataFrame
        Typed table (after parsing).
    skip : tuple of str
        Columns left out, as if ``frame`` did not have them (no copy of ``frame``).

    Returns
    -------
    DataFrame
        Columns ``index`` (label in ``frame``), ``column``, ``check``, ``value``, ``reason``;
        empty when every row passes. Table-level failures (a missing column, a wrong dtype)
        carry ``index`` = NA.

    Examples
    --------
    >>> df = pd.DataFrame({"response_id": ["a", "b"], "customer_id": ["x", "y"],
    ...                    "responded_at": pd.to_datetime(["2025-01-01"] * 2), "score": [5.0, 11.0]})
    >>> row_failures("surveys", df)[["index", "column", "reason"]].to_dict("records")
    [{'index': 1, 'column': 'score', 'reason': 'score must be at most 10 (got 11.0)'}]
    """
    schema = SCHEMAS[table].to_schema()
    # Table-level rules (missing columns, dtypes) through pandera on the empty frame; the
    # row-level rules vectorised below (pandera's element-wise checks on 20M text values were
    # most of notebook 01 at 1M customers). Same failures, checks and reasons.
    parts = []
    try:
        schema.validate(frame.iloc[:0].drop(columns=[c for c in skip if c in frame]), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.rename(columns={"failure_case": "value"})
        cases["column"] = cases["column"].fillna(cases.get("schema_context", "")).astype(str)
        cases["index"] = pd.Series(pd.NA, index=cases.index, dtype="Int64")
        parts.append(cases[["index", "column", "check", "value"]])
    for name, column in schema.columns.items():
        if name not in frame.columns or name in skip:
            continue
        values = frame[name]
        null = values.isna().to_numpy()
        rules: list[tuple[str, np.ndarray]] = []
        if not column.nullable:
            rules.append(("not_nullable", null))
        if column.unique:
            rules.append(("field_uniqueness", values.duplicated(keep=False).to_numpy() & ~null))
        for check in column.checks:
            bad = _check_fails(check.name, check.statistics, values)
            if bad is None:  # a check this function does not vectorise: pandera decides
                bad = ~check(values).check_output.to_numpy(dtype=bool)
            rules.append((str(check.error), bad & ~null))
        for check_name, bad in rules:
            if bad.any():
                hit = values[bad]
                parts.append(
                    pd.DataFrame(
                        {
                            "index": pd.array(hit.index, dtype="Int64"),
                            "column": name,
                            "check": check_name,
                            "value": hit.to_numpy(dtype=object),
                        }
                    )
                )
    if not parts:
        return pd.DataFrame(columns=["index", "column", "check", "value", "reason"])
    cases = pd.concat(parts, ignore_index=True)

    def reason(row: pd.Series) -> str:
        check = str(row["check"])
        name = check.split("(")[0]
        words = _READABLE.get(name, check)
        bound = check[len(name) :].strip("()") if "(" in check and name != "str_length" else ""
        value = "" if name in ("not_nullable", "str_length") else f" (got {row['value']})"
        return f"{row['column']} {words}{(' ' + bound) if bound else ''}{value}".strip()

    cases["reason"] = cases.apply(reason, axis=1)
    return cases[["index", "column", "check", "value", "reason"]].reset_index(drop=True)


def _check_fails(name: str, stats: dict, values: pd.Series) -> np.ndarray | None:
    """Rows failing one built-in pandera check, vectorised (nulls are not failures here)."""
    if name == "str_length":
        low, high, exact = stats.get("min_value"), stats.get("max_value"), stats.get("exact_value")
        if low == 1 and high is None and exact is None:
            return (values.to_numpy(dtype=object) == "") & values.notna().to_numpy()
        lengths = values.str.len()
        ok = pd.Series(True, index=values.index)
        if exact is not None:
            ok &= lengths == exact
        if low is not None:
            ok &= lengths >= low
        if high is not None:
            ok &= lengths <= high
        return ~ok.fillna(True).to_numpy(dtype=bool)
    compare = {
        "greater_than": lambda v: v > stats["min_value"],
        "greater_than_or_equal_to": lambda v: v >= stats["min_value"],
        "less_than": lambda v: v < stats["max_value"],
        "less_than_or_equal_to": lambda v: v <= stats["max_value"],
    }
    if name in compare:
        return ~compare[name](values).fillna(True).to_numpy(dtype=bool)
    if name == "in_range":
        low = (
            values >= stats["min_value"]
            if stats.get("include_min", True)
            else values > stats["min_value"]
        )
        high = (
            values <= stats["max_value"]
            if stats.get("include_max", True)
            else values < stats["max_value"]
        )
        return ~(low & high).fillna(True).to_numpy(dtype=bool)
    return None


def _row_failures_pandera(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Reference: the same failures from pandera's own lazy validation (slow on big tables)."""
    schema = SCHEMAS[table].to_schema()
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.rename(columns={"failure_case": "value"})
        cases["column"] = cases["column"].fillna(cases.get("schema_context", "")).astype(str)
        cases["index"] = cases["index"].astype("Int64")
        return cases[["index", "column", "check", "value"]].reset_index(drop=True)
    return pd.DataFrame(columns=["index", "column", "check", "value"])
