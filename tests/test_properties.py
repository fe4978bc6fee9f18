"""Property-based tests (hypothesis): random messy frames never break the ledger and never
crash the cleaners (a DataError, with a message, is the only failure allowed); the parsers
and the redaction never raise; pseudonyms are stable and distinct.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custops.core.config import ReportConfig
from custops.core.errors import DataError
from custops.core.parsing import PLACEHOLDER_IDS, parse_bool, parse_dates, to_number
from custops.ingest.cleaning import LEDGER_COLUMNS, REJECT_COLUMNS, clean_table
from custops.ingest.privacy import pseudonymize, redact

NOW = datetime(2026, 1, 15)
CFG = ReportConfig.model_validate(
    {
        "sources": {
            "orders": {"path": "o.csv", "cancellation": {"invoice_prefix": "C"}},
            "customers": {"path": "c.csv"},
            "surveys": {"path": "s.csv"},
            "tickets": {"path": "t.csv"},
        }
    }
)
PROFILE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

ids = st.one_of(
    st.sampled_from(["c1", "c2", "c3", " c1 ", "C4", "007", "12345.0"]),
    st.just(""),
    st.none(),
    st.text(max_size=6),
)
dates = st.one_of(
    st.sampled_from(
        [
            "2025-10-03",
            "2025/1/3",
            "03.01.2025",
            "45660",
            "2025年1月3日",
            "2025-10-01T03:00:00+08:00",
            "2099-01-01",
            "1999-12-31",
            "not recorded",
            "2025-13-45",
            "",
        ]
    ),
    st.none(),
    st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2030, 1, 1).date()).map(str),
    st.text(max_size=12),
)
amounts = st.one_of(
    st.sampled_from(["10", "1,234.5", "¥12", "-5", "0", "abc", "", "1e12", "(3)", "nan", "inf"]),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**9), 10**9).map(str),
    st.text(max_size=8),
)


good_ids = st.sampled_from(["c1", "c2", "c3", " c1 ", "C4", "007", "12345.0", "r1", "r2"])
good_dates = st.sampled_from(
    ["2025-10-03", "2025/1/3", "03.01.2025", "45660", "2025年1月3日", "20250103"]
)
good_amounts = st.one_of(
    st.floats(0.01, 5000).map(lambda v: f"{v:.2f}"),
    st.sampled_from(["1,234.5", "¥12", "7", "9", "10"]),
)
GOOD = {"id": good_ids, "date": good_dates, "number": good_amounts}
MESSY = {"id": ids, "date": dates, "number": amounts}


def rows_of(columns: dict) -> st.SearchStrategy[list[dict]]:
    """Mostly plausible rows plus a few messy ones, some of them duplicated."""

    def row(kinds: dict) -> st.SearchStrategy[dict]:
        return st.fixed_dictionaries(
            {
                name: kinds.get(kind, kind) if isinstance(kind, str) else kind
                for name, kind in columns.items()
            }
        )

    rows = st.tuples(
        st.lists(row(GOOD), min_size=1, max_size=40), st.lists(row(MESSY), max_size=10)
    ).map(lambda parts: parts[0] + parts[1])
    # duplicate some rows: exact and key duplicates must be merged, not lost
    return rows.flatmap(
        lambda rows: st.lists(st.sampled_from(rows), max_size=10).map(lambda extra: rows + extra)
    )


def as_mapped(table: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["_src_file"] = f"{table}.csv"
    frame["_src_row"] = np.arange(1, len(frame) + 1)
    return frame


def assert_ledger_holds(table: str, mapped: pd.DataFrame) -> None:
    try:
        clean, ledger, rejects = clean_table(table, mapped, CFG, now=NOW)
    except DataError as exc:
        assert str(exc).strip() and exc.fix  # a message for people, never a bare failure
        return
    n = len(mapped)
    assert list(ledger.columns) == LEDGER_COLUMNS and list(rejects.columns) == REJECT_COLUMNS
    # per step: rows_out = rows_in - rejected - merged, and the steps chain
    assert (ledger["rows_out"] == ledger["rows_in"] - ledger["rejected"] - ledger["merged"]).all()
    assert (ledger["rows_in"].iloc[1:].to_numpy() == ledger["rows_out"].iloc[:-1].to_numpy()).all()
    assert (ledger[["rejected", "merged", "changed", "rows_out"]] >= 0).all().all()
    # per table: in = kept + merged + rejected
    assert ledger["rows_in"].iloc[0] == n
    assert len(clean) == ledger["rows_out"].iloc[-1]
    assert n == len(clean) + ledger["merged"].sum() + ledger["rejected"].sum()
    # the rejects are exactly the rejected rows, each once, traceable to the input
    assert len(rejects) == ledger["rejected"].sum()
    assert rejects["source_row"].is_unique
    assert set(rejects["source_row"]) <= set(mapped["_src_row"])
    assert (rejects["source_file"] == f"{table}.csv").all()
    for raw in rejects["raw"]:
        assert isinstance(json.loads(raw), dict)
    # what is kept is typed and valid
    key_dates = {"orders": "order_date", "customers": "signup_date", "surveys": "responded_at"}
    assert clean[key_dates[table]].notna().all()
    if table == "orders":
        # zero amounts are purchases (kept); negatives and non-numbers are set aside
        assert (clean["amount"] >= 0).all() and np.isfinite(clean["amount"]).all()
    if table == "surveys":
        assert clean["score"].between(0, 10).all()
    if table == "customers":
        assert clean["customer_id"].is_unique


@PROFILE
@given(
    rows_of(
        {
            "order_id": ids,
            "customer_id": ids,
            "order_date": dates,
            "amount": amounts,
            "quantity": amounts,
        }
    )
)
def test_orders_ledger_balances(rows):
    assert_ledger_holds("orders", as_mapped("orders", rows))


@PROFILE
@given(
    rows_of(
        {
            "customer_id": ids,
            "signup_date": dates,
            "region": st.sampled_from(["East", " east", "EAST", "", None]),
        }
    )
)
def test_customers_ledger_balances(rows):
    assert_ledger_holds("customers", as_mapped("customers", rows))


@PROFILE
@given(
    rows_of(
        {
            "response_id": ids,
            "customer_id": ids,
            "responded_at": dates,
            "score": amounts,
            "comment": st.text(max_size=20),
        }
    )
)
def test_surveys_ledger_balances(rows):
    assert_ledger_holds("surveys", as_mapped("surveys", rows))


@PROFILE
@given(
    st.lists(
        st.one_of(
            st.text(max_size=25),
            st.none(),
            st.integers(),
            st.floats(),
            st.booleans(),
            st.datetimes().map(pd.Timestamp),
        ),
        max_size=30,
    )
)
def test_parsers_never_raise(values):
    series = pd.Series(values, dtype=object)
    dates_out = parse_dates(series)
    assert len(dates_out) == len(series) and str(dates_out.dtype) == "datetime64[ns]"
    numbers = to_number(series.map(lambda v: v if v is None else str(v)))
    assert len(numbers) == len(series)
    assert len(parse_bool(series)) == len(series)


@PROFILE
@given(
    st.text(max_size=60),
    st.sampled_from(["13812345678", "+86 139-1234-5678", "li@example.cn", "11010519491231002X"]),
)
def test_redact_removes_planted_contact_details(noise, contact):
    text = f"{noise} {contact} {noise}"
    out = redact(text)
    assert contact not in out
    assert redact(out) == out  # redacting twice changes nothing more


@PROFILE
@given(
    st.lists(
        # placeholder ids (NULL, nan, #N/A, ...) are missing ids, not ids
        st.text(min_size=1, max_size=12).filter(
            lambda v: v.strip() and v.strip().lower() not in PLACEHOLDER_IDS
        ),
        min_size=1,
        max_size=50,
        unique_by=str.strip,
    )
)
def test_pseudonyms_are_stable_and_distinct(values):
    first = pseudonymize(values, b"k" * 32)
    assert first.tolist() == pseudonymize(list(reversed(values)), b"k" * 32).tolist()[::-1]
    normalised = {v.strip() for v in values}
    assert first.nunique() == len(normalised)
