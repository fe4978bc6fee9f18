"""Bad input, source by source: each case gives either a clean result whose ledger explains
what happened, or `custops validate` exit 2 with a message naming the file, the column,
example rows and a fix. Never a traceback, and never a row lost without a trace.

Every failing case is run through the real command line (`custops validate --config F
--period P` in a subprocess, three at a time); the usable ones through the same entry point
in-process, and they are also cleaned in-process to check the ledger: rows in = kept + merged + rejected, and the rejects file holds exactly the
rejected rows with their source file, record number and original values.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from custops.core.config import load_config
from custops.ingest.cleaning import load_and_clean
from custops.run import cli

CLI = Path(sys.executable).with_name("custops")
PERIOD = "2025Q4"
CUSTOMERS = (
    "customer_id,signup_date,region\nc1,2024-01-05,East\nc2,2024-02-05,West\nc3,2024-03-05,east\n"
)
HEADER = "order_id,customer_id,order_date,amount\n"
ORDERS = HEADER + "o1,c1,2025-10-03,10\no2,c2,2025-11-03,20.5\no3,c3,2025-12-01,7\n"


def many_orders(n: int = 120, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    amounts = rng.lognormal(4, 0.5, n)
    return HEADER + "".join(
        f"o{i},c{i % 3 + 1},2025-10-{i % 28 + 1:02d},{a:.2f}\n" for i, a in enumerate(amounts)
    )


def excel_orders(**columns) -> pd.DataFrame:
    base = {
        "order_id": ["o1", "o2", "o3"],
        "customer_id": ["c1", "c2", "c3"],
        "order_date": [pd.Timestamp("2025-10-01"), "2025/10/3", 45935],
        "amount": [1.5, "x", 3],
    }
    return pd.DataFrame({**base, **columns})


def sqlite_orders(path: Path, rows: list[tuple]) -> None:
    with sqlite3.connect(path) as con:
        con.execute(
            "create table orders(order_id text, customer_id text, order_date text, amount real)"
        )
        con.executemany("insert into orders values (?,?,?,?)", rows)
    con.close()


def duckdb_orders(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table orders as select * from (values ('o1','c1', TIMESTAMP '2025-10-01 10:00', 5.0),"
            " ('o2','c2', TIMESTAMP '2025-10-02 11:00', -1.0), ('o3','zz', TIMESTAMP '2025-10-03 12:00', 2.0))"
            " t(order_id, customer_id, order_date, amount)"
        )


@dataclass
class Case:
    """One bad input: files to write, config overrides, and what must come out."""

    name: str
    files: dict = field(
        default_factory=dict
    )  # file name -> str | bytes | DataFrame | callable(path)
    orders: dict | None = None  # sources.orders override
    customers: dict | None = None
    tickets: dict | None = None  # sources.tickets (absent unless given)
    surveys: dict | None = None  # sources.surveys (absent unless given)
    period: str = PERIOD  # validate --period
    extra: dict = field(default_factory=dict)  # top-level config keys
    config_text: str | None = None  # raw YAML instead of a generated config
    rc: int = 0
    says: tuple[str, ...] = ()  # fragments of the error message (exit 2)
    env: dict = field(default_factory=dict)
    # exit 0: expected rejected rows per rule, merged rows, and notes
    rejected: dict = field(default_factory=dict)
    merged: int = 0
    ledger_note: str = ""
    note: str = ""
    kept: dict = field(default_factory=dict)  # table -> rows kept

    def write(self, root: Path) -> Path:
        folder = root / self.name
        folder.mkdir(parents=True)
        files = {"customers.csv": CUSTOMERS, "orders.csv": ORDERS, **self.files}
        for name, content in files.items():
            path = folder / name
            if callable(content):
                content(path)
            elif isinstance(content, bytes):
                path.write_bytes(content)
            elif isinstance(content, pd.DataFrame):
                if name.endswith(".xlsx"):
                    content.to_excel(path, index=False)
                else:
                    content.to_parquet(path, index=False)
            else:
                path.write_text(content, encoding="utf-8")
        config = folder / "custops.yaml"
        if self.config_text is not None:
            config.write_text(self.config_text, encoding="utf-8")
            return config
        sources = {
            "customers": self.customers or {"path": "customers.csv"},
            "orders": self.orders or {"path": "orders.csv"},
        }
        if self.tickets:
            sources["tickets"] = self.tickets
        if self.surveys:
            sources["surveys"] = self.surveys
        config.write_text(
            yaml.safe_dump({"sources": sources, **self.extra}, allow_unicode=True), encoding="utf-8"
        )
        return config


# ---- issue 19, the rest: numbers, dates, ids, headers and encodings read wrong silently
EURO_ORDERS = (
    "order_id;customer_id;order_date;Quantity;UnitPrice\n"
    "o1;c1;03.10.2025;2;2,55\no2;c2;04.11.2025;1;1.234,50\no3;c3;01.12.2025;3;10\n"
)
#: the amounts of EURO_ORDERS, computed by hand
EURO_AMOUNTS = {"o1": 2 * 2.55, "o2": 1234.50, "o3": 30.0}


def q4_days(n_per_day: int = 4) -> list[pd.Timestamp]:
    return [d for d in pd.date_range("2025-10-01", "2025-12-31") for _ in range(n_per_day)]


def swapped_orders() -> str:
    """Q4 orders whose dates with day <= 12 were exported with day and month swapped."""
    lines = [HEADER]
    for i, day in enumerate(q4_days()):
        stored = day.replace(month=day.day, day=day.month) if day.day <= 12 else day
        lines.append(f"o{i},c{i % 3 + 1},{stored.date()},5\n")
    return "".join(lines)


def padded_customers() -> str:
    return "customer_id,signup_date\n" + "".join(f"{i:05d},2024-01-05\n" for i in range(950, 970))


def unpadded_orders() -> str:
    return HEADER + "".join(f"o{i},{950 + i % 20},2025-10-{i % 28 + 1:02d},5\n" for i in range(40))


def gbk_customers(bad: bool) -> bytes:
    regions = ["华东", "华南", "西北", "东北"]
    rows = "".join(f"c{i},2024-01-05,{regions[i % 4]}\n" for i in range(1, 151))
    data = ("customer_id,signup_date,地区\n" + rows).encode("gbk")
    if bad:  # two damaged bytes (0xFF is no GB18030 byte) in the middle of records 40 and 90
        for marker in (b"c40,", b"c90,"):
            at = data.index(marker) + 2
            data = data[:at] + b"\xff" + data[at:]
    return data


def big_utf8_orders(path: Path) -> None:
    """A UTF-8 export past 4 MB (the encoding sniff window) with one latin-1 byte near the end."""
    line = "o{},c1,2025-10-03,10,Caf\u00e9 au lait and a long description of the item\n"
    body = "".join(line.format(i) for i in range(70_000))
    data = ("order_id,customer_id,order_date,amount,note\n" + body).encode("utf-8")
    data += b"late,c1,2025-10-03,10,Caf\xe9 (latin-1)\n"
    path.write_bytes(data)


def excel_as_csv(path: Path) -> None:
    frame = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3"],
            "customer_id": ["c1", "c2", "c3"],
            "order_date": ["2025-10-01", "2025-10-02", "2025-10-03"],
            "amount": [1.5, 2.5, 3.5],
        }
    )
    frame.to_excel(path, index=False, engine="openpyxl")


def swapped_tickets() -> str:
    """Tickets resolved on 1-8 November, the resolution dates exported day/month-swapped."""
    rows = "".join(f"t{d},c{d % 3 + 1},2025-10-2{d},2025-{d:02d}-11 09:00\n" for d in range(1, 9))
    return "ticket_id,customer_id,created_at,resolved_at\n" + rows


SURVEYS = (
    "response_id,customer_id,responded_at,score\n"
    "r1,c1,2025-10-02,9\nr2,c2,2025-10-03,7.5\nr3,c3,2025-10-04,3\n"
)


SQLITE_ROWS = [
    ("o1", "c1", "2025-10-01", 5.0),
    ("o2", "c2", "2025/10/2", None),
    ("o3", None, "2025-10-03", 3.0),
]

CASES = [
    # ---- CSV
    Case(
        "csv_empty_file",
        {"orders.csv": ""},
        rc=2,
        says=("orders.csv: the file is empty (0 bytes)", "fix: Export the table again"),
    ),
    Case(
        "csv_header_only",
        {"orders.csv": HEADER},
        rc=2,
        says=("orders.csv: has a header but no rows", "fix:"),
    ),
    Case("csv_semicolons_sniffed", {"orders.csv": ORDERS.replace(",", ";")}, kept={"orders": 3}),
    Case("csv_tabs_sniffed", {"orders.csv": ORDERS.replace(",", "\t")}, kept={"orders": 3}),
    Case(
        "csv_wrong_delimiter_configured",
        orders={"path": "orders.csv", "delimiter": ";"},
        rc=2,
        says=(
            "orders.csv, column 'order_id'",
            "required column orders.order_id is missing",
            "set `delimiter: ','`",
            "fix:",
        ),
    ),
    Case(
        "csv_missing_required_column",
        {"orders.csv": "order_id,customer_id,order_date\no1,c1,2025-10-03\n"},
        rc=2,
        says=(
            "orders.csv, column 'amount'",
            "the file has: order_id, customer_id, order_date",
            "sources.orders.columns.amount",
        ),
    ),
    Case(
        "csv_mapped_column_misspelt",
        orders={"path": "orders.csv", "columns": {"amount": "Amout"}},
        rc=2,
        says=(
            "orders.csv, column 'Amout'",
            "Did you mean 'amount'?",
            "sources.orders.columns.amount",
        ),
    ),
    Case(
        "csv_extra_columns_ignored",
        {"orders.csv": "order_id,customer_id,order_date,amount,note,x\no1,c1,2025-10-03,10,hi,1\n"},
        kept={"orders": 1},
    ),
    Case(
        "csv_text_in_amount_some",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,abc\no5,c1,2025-10-05,\n"},
        rejected={"not a number": 2},
    ),
    Case(
        "csv_text_in_amount_most",
        {"orders.csv": HEADER + "".join(f"o{i},c1,2025-10-03,see note {i}\n" for i in range(8))},
        rc=2,
        says=(
            "orders.csv, column 'amount': 8 of 8 values are not numbers",
            "example rows:",
            "row 1: 'see note 0'",
            "fix: Check `sources.orders.columns.amount`",
        ),
    ),
    Case(
        "csv_mixed_date_formats",
        {
            "orders.csv": HEADER
            + "o1,c1,2025-01-03,1\no2,c1,2025/1/3,1\no3,c1,03.01.2025,1\no4,c1,45660,1\no5,c1,2025年1月3日,1\no6,c1,20250103,1\n"
        },
        kept={"orders": 6},
        period="2025Q1",  # validate --period: the period of the data
    ),
    Case(
        "csv_unreadable_dates_most",
        {"orders.csv": HEADER + "".join(f"o{i},c1,someday {i},1\n" for i in range(8))},
        rc=2,
        says=(
            "orders.csv, column 'order_date': 8 of 8 values are not readable dates",
            "row 1: 'someday 0'",
            "date_format",
        ),
    ),
    Case(
        "csv_time_zones",
        {
            "orders.csv": HEADER
            + "o1,c1,2025-10-01T03:00:00+08:00,1\no2,c1,2025-10-01 03:00,1\no3,c1,2025-09-30T20:00:00Z,1\n"
        },
        orders={"path": "orders.csv", "timezone": "Asia/Shanghai"},
        kept={"orders": 3},
        ledger_note="2 order_date value(s) carried a UTC offset and were converted to Asia/Shanghai",
    ),
    Case(
        "csv_gbk_chinese_headers",
        {
            "customers.csv": "客户编号,注册日期,地区\nc1,2024-01-05,华东\nc2,2024/2/5,华南\nc3,2024年3月5日,华东\n".encode(
                "gbk"
            )
        },
        customers={
            "path": "customers.csv",
            "columns": {"customer_id": "客户编号", "signup_date": "注册日期", "region": "地区"},
        },
        kept={"customers": 3},
    ),
    Case(
        "csv_utf8_bom",
        {"customers.csv": b"\xef\xbb\xbf" + CUSTOMERS.encode()},
        kept={"customers": 3},
    ),
    Case(
        "csv_gbk_declared_utf8",
        {"customers.csv": "客户编号,注册日期\nc1,2024-01-05\n".encode("gbk")},
        customers={"path": "customers.csv", "encoding": "utf-8"},
        rc=2,
        says=("customers.csv: cannot be decoded as utf-8", "fix: Set `encoding:`"),
    ),
    Case(
        "csv_duplicate_ids_conflicting",
        {"customers.csv": CUSTOMERS + "c1,2024-06-01,North\nc2,2024-02-05,West\n"},
        merged=2,
        ledger_note="1 customer_id(s) appeared more than once with different values; the last row is kept",
        kept={"customers": 3},
    ),
    Case(  # a negative amount is a refund or credit: the cancellation rule sets it aside
        "csv_negative_amounts",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,-5\no5,c1,2025-10-05,(12)\n"},
        rejected={"cancellation": 2},
    ),
    Case(
        "csv_negative_amounts_out_of_range",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,-5\n"},
        orders={"path": "orders.csv", "cancellation": {"negative_amount": False}},
        rejected={"out of range": 1},
    ),
    Case(  # zero amounts are purchases (free items), kept and counted
        "csv_zero_amounts",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,0\no5,c2,2025-10-06,0.00\n"},
        kept={"orders": 5},
    ),
    Case(
        "csv_zero_amounts_min_amount",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,0\no5,c2,2025-10-06,0.00\n"},
        extra={"cleaning": {"min_amount": 0.01}},
        rejected={"below min_amount": 2},
        ledger_note="rule: amount < cleaning.min_amount 0.01",
    ),
    Case(  # flagged, not rejected, by default
        "csv_absurd_amount",
        {"orders.csv": many_orders() + "big,c1,2025-10-05,99999999\n"},
        kept={"orders": 121},
        ledger_note="1 line(s) flagged is_outlier and kept",
    ),
    Case(
        "csv_absurd_amount_rejected",
        {"orders.csv": many_orders() + "big,c1,2025-10-05,99999999\n"},
        extra={"cleaning": {"outlier_action": "reject"}},
        rejected={"outlier": 1},
    ),
    Case(  # a 1997 log is kept whole: no default date window
        "csv_old_export",
        {"orders.csv": HEADER + "o1,c1,1997-01-01,10\no2,c2,1997-03-05,20\no3,c1,1899-12-31,5\n"},
        kept={"orders": 2},
        rejected={"date out of range": 1},
        ledger_note="no date window (cleaning.min_date unset)",
        period="1997Q1",  # validate --period: the period of the data
    ),
    Case(  # a window the user set that leaves nothing: the error names the rule and its knob
        "csv_window_rejects_everything",
        {"orders.csv": HEADER + "o1,c1,1997-01-01,10\no2,c2,1997-03-05,20\n"},
        extra={"cleaning": {"min_date": "2000-01-01"}},
        rc=2,
        says=(
            "orders.csv: no usable rows remain after cleaning",
            "date out of range: order_date before cleaning.min_date 2000-01-01: 1997-01-01",
            "likely cause: The rule 'date out of range' removed 2 of 2 rows",
            "change `cleaning.min_date` or `cleaning.future_tolerance_days` if the rule",
        ),
    ),
    Case(  # lines of one invoice that differ only in an unmapped column are distinct lines
        "csv_duplicates_over_every_source_column",
        {
            "orders.csv": "order_id,customer_id,order_date,amount,StockCode\n"
            "o1,c1,2025-10-03,10,A\no1,c1,2025-10-03,10,B\no1,c1,2025-10-03,10,A\n"
        },
        kept={"orders": 2},
        merged=1,
        ledger_note="identical in every column of the source record (mapped or not)",
    ),
    Case(  # a log without order ids: identical records are repeated purchases
        "csv_log_without_order_ids",
        {"orders.csv": "customer_id,order_date,amount\nc1,2025-10-03,10\nc1,2025-10-03,10\n"},
        orders={"path": "orders.csv", "record_ids": True},
        kept={"orders": 2},
        ledger_note="identical records are kept as repeated purchases",
    ),
    Case(
        "csv_log_without_order_ids_not_configured",
        {"orders.csv": "customer_id,order_date,amount\nc1,2025-10-03,10\n"},
        rc=2,
        says=(
            "orders.csv, column 'order_id': the required column orders.order_id is missing",
            "set `sources.orders.record_ids: true`",
        ),
    ),
    Case(
        "csv_whitespace_headerless",
        {"orders.csv": " 1  c1 20251003  10.5\r\n 2  c2 20251104   7\r\n"},
        orders={
            "path": "orders.csv",
            "sep": "whitespace",
            "header": False,
            "names": ["order_id", "customer_id", "order_date", "amount"],
        },
        kept={"orders": 2},
    ),
    Case(
        "csv_headerless_read_with_a_header",
        {"orders.csv": "1,c1,2025-10-03,10.5\n2,c2,2025-11-04,7\n"},
        orders={"path": "orders.csv", "columns": {"order_id": "id"}},
        rc=2,
        says=(
            "orders.csv, column 'id': the column mapped to orders.order_id is not in the file",
            "looks like a data record, not a header",
            "set `header: false` and `names: [...]`",
        ),
    ),
    Case(
        "csv_space_aligned_without_delimiter",
        {"orders.csv": "order_id customer_id order_date amount\n1 c1 2025-10-03 10\n"},
        rc=2,
        says=("it looks whitespace-separated; set `delimiter: whitespace`",),
    ),
    Case(
        "csv_names_do_not_fit",
        {"orders.csv": "1,c1,2025-10-03,10.5\n"},
        orders={"path": "orders.csv", "header": False, "names": ["order_id", "customer_id"]},
        rc=2,
        says=(
            "orders.csv: `names` lists 2 column(s) but the file has 4 field(s) per record",
            "record 1: ['1', 'c1', '2025-10-03', '10.5']",
            "fix: Give one name per field",
        ),
    ),
    Case(
        "csv_derive_with_spaces_and_cjk",
        {
            "orders.csv": "order_id,customer_id,order_date,Unit Price,数量\n"
            "o1,c1,2025-10-03,2.5,4\no2,c2,2025-11-04,1,3\n"
        },
        orders={"path": "orders.csv", "derive": {"amount": "`Unit Price` * 数量"}},
        kept={"orders": 2},
    ),
    Case(
        "csv_derive_unquoted_name_with_a_space",
        {"orders.csv": "order_id,customer_id,order_date,Unit Price,Qty\no1,c1,2025-10-03,2.5,4\n"},
        orders={"path": "orders.csv", "derive": {"amount": "Unit Price * Qty"}},
        rc=2,
        says=(
            "orders.csv, column 'Unit': cannot compute `Unit Price * Qty` for orders.amount",
            "'Unit' is not a column of the file",
            "Did you mean `Unit Price` (in back quotes",
            "fix: Fix `sources.orders.derive.amount`",
        ),
    ),
    Case(  # orders alone: customers are derived from them
        "csv_orders_only",
        config_text="sources:\n  orders: {path: orders.csv}\n",
        kept={"orders": 3},
        note="There is no customers table (sources.customers): the customer view is derived from orders",
    ),
    Case(
        "csv_absurd_amount_capped",
        {"orders.csv": ORDERS + "big,c1,2025-10-05,99999999\n"},
        extra={"cleaning": {"max_amount": 100000}},
        rejected={"outlier": 1},
    ),
    Case(
        "csv_future_dates",
        {"orders.csv": ORDERS + "o4,c1,2099-10-05,5\n"},
        rejected={"date out of range": 1},
    ),
    Case(
        "csv_customer_only_in_orders",
        {"orders.csv": ORDERS + "o4,zz,2025-10-05,5\n"},
        kept={"orders": 4},
        note="1 orders rows belong to 1 customer ids that are not in the customer file",
    ),
    Case(
        "csv_missing_ids",
        {"orders.csv": ORDERS + "o4,,2025-10-05,5\n,c1,2025-10-05,5\n"},
        rejected={"missing id": 2},
    ),
    Case(
        "csv_ragged_rows",
        {"orders.csv": ORDERS + "o4,c1,2025-10-05,5,extra,more\n"},
        rc=2,
        says=(
            "orders.csv: is not a regular ','-separated table",
            "line 5",
            "fix: Check the delimiter",
        ),
    ),
    Case(
        "csv_all_rows_rejected",
        {"orders.csv": HEADER + "o1,,2025-10-01,1\no2,,2025-10-01,1\n"},
        rc=2,
        says=("orders.csv: no usable rows remain after cleaning", "missing id: empty customer_id"),
    ),
    Case(
        "csv_missing_file",
        orders={"path": "exports/orders.csv"},
        rc=2,
        says=("exports/orders.csv: the file does not exist", "fix: Check `path`"),
    ),
    # ---- Excel
    Case(
        "excel_header_only",
        {"orders.xlsx": pd.DataFrame(columns=["order_id", "customer_id", "order_date", "amount"])},
        orders={"path": "orders.xlsx"},
        rc=2,
        says=("orders.xlsx: has a header but no rows",),
    ),
    Case(
        "excel_mixed_types",
        {"orders.xlsx": excel_orders()},
        orders={"path": "orders.xlsx"},
        rejected={"not a number": 1},
        kept={"orders": 2},
    ),
    Case(
        "excel_missing_column",
        {"orders.xlsx": excel_orders().drop(columns="order_date")},
        orders={"path": "orders.xlsx"},
        rc=2,
        says=("orders.xlsx, column 'order_date'", "is missing"),
    ),
    Case(
        "excel_wrong_sheet",
        {"orders.xlsx": excel_orders()},
        orders={"path": "orders.xlsx", "sheet": "Orders 2025"},
        rc=2,
        says=("orders.xlsx: cannot read the sheet", "'Orders 2025' not found", "fix: Set `sheet:`"),
    ),
    Case(
        "excel_not_a_workbook",
        {"orders.xlsx": b"PK\x03\x04 not really"},
        orders={"path": "orders.xlsx"},
        rc=2,
        says=("orders.xlsx: cannot be read as an Excel workbook", "fix: Save the file again"),
    ),
    # ---- Parquet
    Case(
        "parquet_no_rows",
        {
            "orders.parquet": pd.DataFrame(
                {
                    "order_id": pd.Series([], dtype=str),
                    "customer_id": pd.Series([], dtype=str),
                    "order_date": pd.Series([], dtype="datetime64[ns]"),
                    "amount": pd.Series([], dtype=float),
                }
            )
        },
        orders={"path": "orders.parquet"},
        rc=2,
        says=("orders.parquet: has a header but no rows",),
    ),
    Case(  # the negative amount is a refund (cancellation rule)
        "parquet_zoned_and_negative",
        {
            "orders.parquet": pd.DataFrame(
                {
                    "order_id": ["o1", "o2"],
                    "customer_id": ["c1", "c2"],
                    "order_date": pd.to_datetime(
                        ["2025-10-01 01:00", "2025-10-02 00:00"]
                    ).tz_localize("Asia/Shanghai"),
                    "amount": [1.0, -2.0],
                }
            )
        },
        orders={"path": "orders.parquet"},
        rejected={"cancellation": 1},
        ledger_note="2 order_date value(s) carried a UTC offset and were converted to UTC",
        period="2025Q3",  # validate --period: the period of the data
    ),
    Case(
        "parquet_corrupt",
        {"orders.parquet": b"PAR1garbage"},
        orders={"path": "orders.parquet"},
        rc=2,
        says=("orders.parquet: cannot be read as Parquet", "fix: Export the table again"),
    ),
    # ---- SQL through a SQLite URL (the URL is filled in when the case is written)
    Case(
        "sqlite_query",
        {"shop.db": lambda p: sqlite_orders(p, SQLITE_ROWS)},
        orders={"query": "select * from orders", "url": "sqlite:///{dir}/shop.db"},
        rejected={"missing id": 1, "not a number": 1},
    ),
    Case(
        "sqlite_no_rows",
        {"shop.db": lambda p: sqlite_orders(p, [])},
        orders={"query": "select * from orders", "url": "sqlite:///{dir}/shop.db"},
        rc=2,
        says=("orders query: has a header but no rows",),
    ),
    Case(
        "sqlite_unknown_table",
        {"shop.db": lambda p: sqlite_orders(p, SQLITE_ROWS)},
        orders={"query": "select * from order_lines", "url": "sqlite:///{dir}/shop.db"},
        rc=2,
        says=(
            "shop.db: the query failed",
            "no such table: order_lines",
            "query: select * from order_lines",
            "fix:",
        ),
    ),
    Case(
        "sqlite_missing_database",
        orders={"query": "select * from orders", "url": "sqlite:///{dir}/nowhere.db"},
        rc=2,
        says=("nowhere.db: the query failed", "unable to open database file"),
    ),
    # ---- DuckDB file
    Case(
        "duckdb_query",
        {"shop.duckdb": duckdb_orders},
        orders={"path": "shop.duckdb", "query": "select * from orders"},
        rejected={"cancellation": 1},
        note="1 orders rows belong to 1 customer ids",
    ),
    Case(
        "duckdb_bad_sql",
        {"shop.duckdb": duckdb_orders},
        orders={"path": "shop.duckdb", "query": "select * form orders"},
        rc=2,
        says=("shop.duckdb: the query failed", "syntax error", "fix:"),
    ),
    Case(
        "duckdb_missing_file",
        orders={"path": "none.duckdb", "query": "select * from orders"},
        rc=2,
        says=("none.duckdb: the query failed", "database does not exist"),
    ),
    Case(
        "duckdb_no_query",
        {"shop.duckdb": duckdb_orders},
        orders={"path": "shop.duckdb"},
        rc=2,
        says=("shop.duckdb: format 'duckdb' needs a `query:`",),
    ),
    # ---- the config
    Case(
        "config_typos",
        extra={"churn": {"inactivty_days": 90}, "privcy": {}},
        rc=2,
        says=(
            "custops.yaml: 2 problem(s)",
            "churn.inactivty_days: unknown key (did you mean 'inactivity_days'?)",
            "privcy: unknown key (did you mean 'privacy'?)",
            "fix:",
        ),
    ),
    Case(
        "config_not_yaml",
        config_text="sources: [\n  orders\n",
        rc=2,
        says=("is not valid YAML", "fix: Check indentation"),
    ),
    Case(
        "config_bad_encoding_and_zone",
        orders={"path": "orders.csv", "encoding": "utf8-bom", "timezone": "Beijing"},
        rc=2,
        says=(
            "sources.orders.encoding: Value error, unknown encoding 'utf8-bom'",
            "sources.orders.timezone: Value error, unknown time zone 'Beijing'",
        ),
    ),
    # ---- issue 19: numbers read wrong, silently
    Case(
        "csv_utc_word_in_dates",
        {"orders.csv": ORDERS + "o4,c1,2025-11-05 10:00:00 UTC,5\no5,c2,2025-11-05 10:00:00,5\n"},
        kept={"orders": 5},
        ledger_note="1 order_date value(s) carried a UTC offset and were converted to UTC",
    ),
    Case(
        "csv_utc_word_to_local_zone",
        {
            "orders.csv": ORDERS
            + "o4,c1,2025-11-05 10:00:00 UTC,5\no5,c1,5 Nov 2025 10:00 GMT+8,5\n"
        },
        orders={"path": "orders.csv", "timezone": "Asia/Shanghai"},
        kept={"orders": 5},
        ledger_note="2 order_date value(s) carried a UTC offset and were converted to Asia/Shanghai",
    ),
    Case(
        "csv_placeholder_ids",
        {
            "customers.csv": CUSTOMERS + "NULL,2024-04-05,East\n#N/A,2024-04-05,East\n",
            "orders.csv": ORDERS
            + "".join(
                f"o{i},{pid},2025-10-0{i - 3},5\n"
                for i, pid in enumerate(["#N/A", "NULL", "-", "None", "nan", " ", "n/a"], start=4)
            )
            + "NULL,c1,2025-10-09,5\n",
        },
        rejected={"missing id": 10},
        kept={"customers": 3, "orders": 3},
    ),
    Case(
        "tickets_before_they_were_opened",
        {
            "tickets.csv": "ticket_id,customer_id,created_at,first_response_at,resolved_at\n"
            "t1,c1,2025-10-02 10:00,2025-10-02 11:00,2025-10-03 09:00\n"
            "t2,c1,2025-10-02 10:00,2025-10-02 09:00,2025-10-03 09:00\n"
            "t3,c2,2025-10-05 10:00,2025-10-05 10:30,2025-10-01 09:00\n"
            "t4,c3,2025-10-06 10:00,,\n"
            "t5,c3,2025-10-06 10:00,2025-10-06 10:00,2025-10-06 10:00\n"
        },
        tickets={"path": "tickets.csv"},
        rejected={"time order": 2},
        kept={"tickets": 3},
    ),
    Case(
        "config_pseudonymize_without_key",
        extra={"privacy": {"pseudonymize_ids": True, "id_key_env": "CUSTOPS_TEST_NO_SUCH_KEY"}},
        rc=2,
        says=("environment variable CUSTOPS_TEST_NO_SUCH_KEY", "fix: Set it before the run"),
    ),
    Case(  # a ';'-separated European export: decimal commas detected, amounts right
        "csv_european_export",
        {"orders.csv": EURO_ORDERS},
        orders={"path": "orders.csv", "derive": {"amount": "Quantity * UnitPrice"}},
        kept={"orders": 3},
        ledger_note="UnitPrice read with a decimal comma (2 value(s) such as '2,55' need it",
    ),
    Case(
        "csv_decimal_comma_amounts",
        {
            "orders.csv": HEADER.replace(",", ";")
            + "o1;c1;2025-10-03;98,31\no2;c2;2025-11-03;1.234,50\no3;c3;2025-12-01;7\n"
        },
        kept={"orders": 3},
        ledger_note="amount read with a decimal comma",
    ),
    Case(
        "csv_decimal_marks_mixed",
        {
            "orders.csv": HEADER.replace(",", ";")
            + "o1;c1;2025-10-03;98,31\no2;c2;2025-11-03;12.5\no3;c3;2025-12-01;7\n"
        },
        rc=2,
        says=(
            "orders.csv, column 'amount': the numbers mix two formats",
            "row 1: '98,31' (decimal comma)",
            "row 2: '12.5' (decimal point)",
            "`sources.orders.decimal: ','`",
        ),
    ),
    Case(  # 1.234 fits both marks: the config decides
        "csv_decimal_configured",
        {"orders.csv": HEADER.replace(",", ";") + "o1;c1;2025-10-03;1.234\no2;c2;2025-11-03;12\n"},
        orders={"path": "orders.csv", "decimal": ",", "thousands": "."},
        kept={"orders": 2},
    ),
    Case(  # 25/11/2025 can only be day first: 05/11/2025 in the same column is 5 November
        "csv_day_first_inferred",
        {"orders.csv": HEADER + "o1,c1,05/11/2025,1\no2,c2,25/11/2025,1\no3,c3,12/10/2025,1\n"},
        kept={"orders": 3},
        ledger_note="order_date read day first (1 value(s) such as '25/11/2025'",
    ),
    Case(
        "csv_day_month_mixed",
        {"orders.csv": HEADER + "o1,c1,25/11/2025,1\no2,c2,11/25/2025,1\no3,c3,05/11/2025,1\n"},
        rc=2,
        says=(
            "orders.csv, column 'order_date': the dates mix two orders",
            "row 1: '25/11/2025' (day first)",
            "row 2: '11/25/2025' (month first)",
            "`sources.orders.dayfirst: true`",
        ),
    ),
    Case(
        "csv_swapped_days",
        {"orders.csv": swapped_orders()},
        rc=2,
        says=(
            "orders.csv, column 'order_date': the dates look day/month-swapped for days up to 12",
            "days 1, 2, 3, 4, 5, 6, 7, 8, 9 occur 0-0 times while days 13-28 occur 12 times each",
            "144 of 368 values have a day <= 12",
            "row 1: '2025-01-10' read as 2025-01-10, swapped 2025-10-01",
            "`sources.orders.swap_day_month: [order_date]`",
        ),
    ),
    Case(
        "csv_swapped_days_repaired",
        {"orders.csv": swapped_orders()},
        orders={"path": "orders.csv", "swap_day_month": ["order_date"]},
        kept={"orders": 368},
        ledger_note="144 order_date value(s) with day <= 12 had day and month swapped back",
    ),
    Case(
        "csv_leading_zeros",
        {"customers.csv": padded_customers(), "orders.csv": unpadded_orders()},
        rc=2,
        says=(
            "orders.csv and customers.csv, column 'customer_id': only 0% of 40 orders belong to",
            "With leading zeros ignored, 100% of the orders would match",
            "customers write ids as 5 digits, 100% with leading zeros, e.g. '00950', '00951', '00952'",
            "orders write ids as 3 digits, no leading zeros, e.g. '950', '951', '952'",
            "`sources.orders.id_format: zero_pad` with `id_width:`",
        ),
    ),
    Case(
        "csv_leading_zeros_padded",
        {"customers.csv": padded_customers(), "orders.csv": unpadded_orders()},
        orders={"path": "orders.csv", "id_format": "zero_pad", "id_width": 5},
        kept={"orders": 40, "customers": 20},
    ),
    Case(  # a second export spells a header differently: matched by name, per file
        "csv_two_files_header_spelling",
        {
            "orders_1.csv": "InvoiceNo,CustomerID,InvoiceDate,Amount\no1,c1,2025-10-03,10\no2,c2,2025-10-04,5\n",
            "orders_2.csv": "InvoiceNo,Customer ID,InvoiceDate,Amount\no3,c3,2025-11-03,7\n",
        },
        orders={
            "path": "orders_*.csv",
            "columns": {
                "order_id": "InvoiceNo",
                "customer_id": "CustomerID",
                "order_date": "InvoiceDate",
            },
        },
        kept={"orders": 3},
        ledger_note="orders_2.csv: header spelt differently from orders_1.csv (Customer ID); matched by name",
    ),
    Case(
        "csv_two_files_header_mismatch",
        {
            "orders_1.csv": "InvoiceNo,CustomerID,InvoiceDate,Amount\no1,c1,2025-10-03,10\n",
            "orders_2.csv": "InvoiceNo,Kunde,InvoiceDate,Amount\no3,c3,2025-11-03,7\n",
        },
        orders={
            "path": "orders_*.csv",
            "columns": {
                "order_id": "InvoiceNo",
                "customer_id": "CustomerID",
                "order_date": "InvoiceDate",
            },
        },
        rc=2,
        says=(
            "orders_2.csv, column 'Kunde': its header differs from that of orders_1.csv",
            "only in orders_2.csv: Kunde; only in orders_1.csv: CustomerID",
            "fix: Export every file of this source with the same columns",
        ),
    ),
    Case(
        "csv_duplicate_column_after_trimming",
        {
            "orders.csv": "order_id,customer_id,order_date,amount,customer_id \no1,c1,2025-10-03,10,c9\n"
        },
        rc=2,
        says=(
            "orders.csv, column 'customer_id': the header names 'customer_id' twice (fields 2 and 5, after trimming spaces)",
            "`header: false`, `skip_rows: 1` and `names: [...]`",
        ),
    ),
    Case(
        "csv_second_quantity_column",
        {
            "orders.csv": "order_id,customer_id,order_date,amount,quantity,quantity\no1,c1,2025-10-03,10,1,2\n"
        },
        rc=2,
        says=("orders.csv, column 'quantity': the header names 'quantity' twice (fields 5 and 6)",),
    ),
    Case(
        "surveys_fractional_score",
        {"surveys.csv": SURVEYS},
        surveys={"path": "surveys.csv"},
        rejected={"out of range": 1},
        kept={"surveys": 2},
    ),
    Case(
        "csv_gbk_with_damaged_bytes",
        {"customers.csv": gbk_customers(bad=True)},
        customers={"path": "customers.csv", "columns": {"region": "地区"}},
        rc=2,
        says=(
            "customers.csv: cannot be decoded as gb18030",
            "line 41",
            "`encoding_errors: replace`",
        ),
    ),
    Case(
        "csv_gbk_with_damaged_bytes_replaced",
        {"customers.csv": gbk_customers(bad=True)},
        customers={
            "path": "customers.csv",
            "columns": {"region": "地区"},
            "encoding_errors": "replace",
        },
        kept={"customers": 150},
        ledger_note="customers.csv: 2 byte sequence(s) invalid in gb18030 were read as U+FFFD",
    ),
    Case(
        "csv_undecodable_past_4mb",
        {"orders.csv": big_utf8_orders},
        rc=2,
        says=("orders.csv: cannot be decoded as utf-8", "line 70,002"),
    ),
    Case(
        "excel_named_csv",
        {"orders.csv": excel_as_csv},
        kept={"orders": 3},
        ledger_note="orders.csv is an Excel workbook, not a text file: read as Excel",
    ),
    Case(
        "csv_title_row",
        {"orders.csv": "Sales export 2025Q4\n" + ORDERS},
        rc=2,
        says=(
            "orders.csv: line 1 ('Sales export 2025Q4') looks like a title above the header",
            "the header seems to be line 2 (order_id, customer_id, order_date, amount)",
            "fix: Set `skip_rows: 1`",
        ),
    ),
    Case(
        "csv_title_row_skipped",
        {"orders.csv": "Sales export 2025Q4\n" + ORDERS},
        orders={"path": "orders.csv", "skip_rows": 1},
        kept={"orders": 3},
    ),
    Case(  # a derived amount that cannot be computed: the rejects quote the source value
        "csv_derived_amount_from_null",
        {
            "orders.csv": "order_id,customer_id,order_date,Quantity,UnitPrice\no1,c1,2025-10-03,2,1.5\no2,c2,2025-10-04,3,NULL\n"
        },
        orders={"path": "orders.csv", "derive": {"amount": "Quantity * UnitPrice"}},
        rejected={"not a number": 1},
        kept={"orders": 1},
    ),
    Case(
        "validate_period_without_orders",
        config_text="sources:\n  orders: {path: orders.csv}\n",
        period="2030Q1",
        rc=2,
        says=(
            "orders.csv, column 'order_date': no orders in 2030Q1; the data cover 2025-10-03 … 2025-12-01",
        ),
    ),
    Case(  # events of one ticket running backwards: the ledger says the swap would fix them
        "tickets_resolved_dates_swapped",
        {"tickets.csv": swapped_tickets()},
        tickets={"path": "tickets.csv"},
        rc=2,
        says=(
            "tickets.csv: no usable rows remain after cleaning",
            "8 of the 8 would be in order with day and month swapped where the day is <= 12",
        ),
    ),
    Case(
        "tickets_resolved_dates_swapped_repaired",
        {"tickets.csv": swapped_tickets()},
        tickets={"path": "tickets.csv", "swap_day_month": ["resolved_at"]},
        kept={"tickets": 8},
        ledger_note="8 resolved_at value(s) with day <= 12 had day and month swapped back",
    ),
]
BY_NAME = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES)


def _resolve_urls(case: Case, folder: Path) -> Case:
    if case.orders and "url" in case.orders:
        case.orders = {**case.orders, "url": case.orders["url"].format(dir=folder / case.name)}
    return case


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Write every case and run `custops validate` on each (three at a time)."""
    root = tmp_path_factory.mktemp("bad-input")
    configs = {case.name: _resolve_urls(case, root).write(root) for case in CASES}
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOPS_TEST_")}
    env.update(COLUMNS="250", NO_COLOR="1")

    def run(name: str) -> subprocess.CompletedProcess:
        for _ in range(2):
            proc = subprocess.run(
                [
                    str(CLI),
                    "validate",
                    "--config",
                    str(configs[name]),
                    "--period",
                    BY_NAME[name].period,
                ],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
                check=False,
            )
            # pyarrow's thread pool can abort the interpreter at exit, after custops has
            # finished and printed its result (apache/arrow#34314, rare): try once more
            if not (proc.returncode < 0 and "terminate called" in proc.stderr):
                break
        return proc

    def run_in_process(name: str) -> subprocess.CompletedProcess:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(
                ["validate", "--config", str(configs[name]), "--period", BY_NAME[name].period]
            )
        return subprocess.CompletedProcess([], code, out.getvalue(), err.getvalue())

    before = fingerprints(root)
    # the failing cases run as a real command (a traceback would show there); the usable
    # ones run the same entry point in-process (any exception would fail the test)
    failing = [c.name for c in CASES if c.rc != 0]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(zip(failing, pool.map(run, failing), strict=True))
    results.update({c.name: run_in_process(c.name) for c in CASES if c.rc == 0})
    out: dict = {name: (configs[name], results[name]) for name in configs}
    assert fingerprints(root) == before, "validate changed or created a file next to the inputs"
    out["__fingerprints__"] = before
    return out


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_validate_exit_status_and_message(runs, name):
    case = BY_NAME[name]
    _, proc = runs[name]
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output
    assert proc.returncode == case.rc, output
    if case.rc == 2:
        assert proc.stderr.lstrip().startswith("error:"), output
        flat = " ".join(proc.stderr.split())
        for fragment in case.says:
            assert " ".join(fragment.split()) in flat, f"{fragment!r} not in:\n{proc.stderr}"
    else:
        assert "Row ledger" in proc.stdout


@pytest.mark.parametrize("name", [c.name for c in CASES if c.rc == 0])
def test_usable_input_loses_no_row(runs, name):
    case = BY_NAME[name]
    config, _ = runs[name]
    result = load_and_clean(load_config(config), PERIOD)
    summary = result.summary().set_index("table")
    assert summary["balanced"].all()
    assert (summary["rows_in"] == summary["kept"] + summary["merged"] + summary["rejected"]).all()
    for table, steps in result.ledger.groupby("table"):
        rejects = result.rejects[result.rejects["table"] == table]
        assert len(rejects) == steps["rejected"].sum()
        assert len(result.tables[table]) == steps["rows_out"].iloc[-1]
        assert rejects["source_row"].is_unique
    rules = result.rejects["rule"].value_counts().to_dict()
    assert rules == case.rejected
    assert int(summary["merged"].sum()) == case.merged
    for table, n in case.kept.items():
        assert summary.loc[table, "kept"] == n
    if case.ledger_note:
        assert result.ledger["note"].str.contains(case.ledger_note, regex=False).any()
    if case.note:
        assert any(case.note in note for note in result.notes), result.notes
    # every reject points back at its raw row with the original values
    for record in result.rejects.itertuples():
        assert record.source_file and record.source_row >= 1
        assert isinstance(json.loads(record.raw), dict)


def test_rejected_rows_keep_their_original_values(runs):
    config, _ = runs["csv_text_in_amount_some"]
    result = load_and_clean(load_config(config), PERIOD)
    rejects = result.rejects.set_index("source_row")
    assert rejects.loc[4, "reason"] == "amount is not a number: abc"
    assert json.loads(rejects.loc[4, "raw"]) == {
        "order_id": "o4",
        "customer_id": "c1",
        "order_date": "2025-10-05",
        "amount": "abc",
    }
    assert rejects.loc[5, "source_file"] == "orders.csv"


def test_mixed_formats_and_zones_land_on_the_intended_day(runs):
    result = load_and_clean(load_config(runs["csv_mixed_date_formats"][0]), PERIOD)
    assert (result.tables["orders"]["order_date"] == pd.Timestamp("2025-01-03")).all()
    result = load_and_clean(load_config(runs["csv_time_zones"][0]), PERIOD)
    # Shanghai wall time: the +08:00 order and the Z order are the same instant as written
    assert result.tables["orders"]["order_date"].tolist() == [
        pd.Timestamp("2025-10-01 03:00")
    ] * 2 + [pd.Timestamp("2025-10-01 04:00")]


def test_utc_word_lands_on_the_configured_zone(runs):
    result = load_and_clean(load_config(runs["csv_utc_word_to_local_zone"][0]), PERIOD)
    orders = result.tables["orders"].set_index("order_id")["order_date"]
    assert orders["o4"] == pd.Timestamp("2025-11-05 18:00")  # 10:00 UTC in Shanghai
    assert orders["o5"] == pd.Timestamp("2025-11-05 10:00")  # 10:00 at UTC+8 is Shanghai time
    result = load_and_clean(load_config(runs["csv_utc_word_in_dates"][0]), PERIOD)
    orders = result.tables["orders"].set_index("order_id")["order_date"]
    assert str(orders.dtype) == "datetime64[ns]"
    assert orders["o4"] == orders["o5"] == pd.Timestamp("2025-11-05 10:00")


def test_placeholder_ids_are_missing_ids_not_customers(runs):
    result = load_and_clean(load_config(runs["csv_placeholder_ids"][0]), PERIOD)
    for table in ("customers", "orders"):
        ids = set(result.tables[table]["customer_id"])
        assert ids == {"c1", "c2", "c3"}, ids
    rejects = result.rejects
    assert set(rejects["rule"]) == {"missing id"}
    orders = rejects[rejects["table"] == "orders"].set_index("source_row")
    assert orders.loc[4, "reason"] == "empty customer_id"
    assert json.loads(orders.loc[4, "raw"])["customer_id"] == "#N/A"  # the original value kept
    assert orders.loc[11, "reason"] == "empty order_id"  # order id NULL
    assert len(rejects[rejects["table"] == "customers"]) == 2


def test_tickets_answered_before_they_were_opened_are_set_aside(runs):
    result = load_and_clean(load_config(runs["tickets_before_they_were_opened"][0]), PERIOD)
    rejects = result.rejects.set_index("source_row")
    assert rejects.loc[2, "reason"] == (
        "first_response_at 2025-10-02 09:00:00 is before created_at 2025-10-02 10:00:00"
    )
    assert rejects.loc[3, "reason"] == (
        "resolved_at 2025-10-01 09:00:00 is before created_at 2025-10-05 10:00:00"
    )
    tickets = result.tables["tickets"]
    assert sorted(tickets["ticket_id"]) == ["t1", "t4", "t5"]
    for column in ("first_response_at", "resolved_at"):
        hours = (tickets[column] - tickets["created_at"]).dt.total_seconds().dropna()
        assert (hours >= 0).all()
    step = result.ledger.query("table == 'tickets' and rule == 'time order'")
    assert step["rejected"].tolist() == [2]
    assert "answered or resolved before it was opened" in step["note"].iloc[0]


def fingerprints(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_raw_inputs_are_untouched(runs):
    """Same hashes and modification times, and no new file (journal, WAL) after validate
    and after load_and_clean on every case."""
    root = runs[CASES[0].name][0].parent.parent
    before = runs["__fingerprints__"]
    for name, case in BY_NAME.items():
        if case.rc == 0:
            load_and_clean(load_config(runs[name][0]), PERIOD)
    assert fingerprints(root) == before


# ---- issue 19, the rest: the values behind the cases above, checked independently


def test_decimal_commas_give_the_amounts_written(runs):
    for name, expected in [
        ("csv_european_export", EURO_AMOUNTS),
        ("csv_decimal_comma_amounts", {"o1": 98.31, "o2": 1234.50, "o3": 7.0}),
        ("csv_decimal_configured", {"o1": 1234.0, "o2": 12.0}),
    ]:
        result = load_and_clean(load_config(runs[name][0]), PERIOD)
        amounts = result.tables["orders"].set_index("order_id")["amount"].to_dict()
        assert amounts == pytest.approx(expected), name
    # the European export: day-first dotted dates, revenue as written (not 74.7x)
    orders = load_and_clean(load_config(runs["csv_european_export"][0]), PERIOD).tables["orders"]
    assert orders["amount"].sum() == pytest.approx(2 * 2.55 + 1234.50 + 3 * 10)
    assert orders.set_index("order_id")["order_date"]["o2"] == pd.Timestamp("2025-11-04")


def test_day_first_inferred_from_the_column(runs):
    result = load_and_clean(load_config(runs["csv_day_first_inferred"][0]), PERIOD)
    dates = result.tables["orders"].set_index("order_id")["order_date"]
    assert dates.to_dict() == {
        "o1": pd.Timestamp("2025-11-05"),
        "o2": pd.Timestamp("2025-11-25"),
        "o3": pd.Timestamp("2025-10-12"),
    }


def test_swapped_days_repaired_give_the_true_dates(runs):
    result = load_and_clean(load_config(runs["csv_swapped_days_repaired"][0]), PERIOD)
    orders = result.tables["orders"]
    order = orders["order_id"].str[1:].astype(int)
    truth = pd.Series(q4_days(), name="order_date")
    assert (orders["order_date"].to_numpy() == truth[order].to_numpy()).all()


def test_zero_padded_ids_match_the_customer_file(runs):
    result = load_and_clean(load_config(runs["csv_leading_zeros_padded"][0]), PERIOD)
    ids = set(result.tables["orders"]["customer_id"])
    assert ids == {f"{950 + i:05d}" for i in range(20)}
    assert not any("not in the customer file" in n for n in result.notes)


def test_second_file_with_another_header_keeps_its_customers(runs):
    result = load_and_clean(load_config(runs["csv_two_files_header_spelling"][0]), PERIOD)
    orders = result.tables["orders"].set_index("order_id")
    assert orders["customer_id"].to_dict() == {"o1": "c1", "o2": "c2", "o3": "c3"}
    assert orders["amount"].to_dict() == {"o1": 10.0, "o2": 5.0, "o3": 7.0}


def test_fractional_nps_score_is_rejected_with_its_value(runs):
    result = load_and_clean(load_config(runs["surveys_fractional_score"][0]), PERIOD)
    rejects = result.rejects.set_index("source_row")
    assert rejects.loc[2, "reason"] == (
        "score is not a whole number (answers are 0, 1, ... 10): 7.5"
    )
    assert sorted(result.tables["surveys"]["score"]) == [3.0, 9.0]


def test_damaged_gbk_bytes_replaced_keep_every_customer(runs):
    result = load_and_clean(load_config(runs["csv_gbk_with_damaged_bytes_replaced"][0]), PERIOD)
    regions = result.tables["customers"]["region"]
    assert (regions.str.contains("\ufffd").sum()) == 0  # damaged bytes sit in the ids
    ids = result.tables["customers"]["customer_id"]
    assert ids.str.contains("\ufffd").sum() == 2
    assert regions.isin(["华东", "华南", "西北", "东北"]).all()


def test_decoding_error_names_the_real_byte_and_line(runs):
    config, proc = runs["csv_undecodable_past_4mb"]
    data = (config.parent / "orders.csv").read_bytes()
    offset = data.index(b"\xe9 (latin-1)")
    assert offset > 4 * 1024 * 1024
    line = data[:offset].count(b"\n") + 1
    assert f"at byte {offset:,} (line {line:,}: b'\\xe9')" in proc.stderr, proc.stderr


def test_rejected_derived_amount_quotes_its_source_values(runs):
    result = load_and_clean(load_config(runs["csv_derived_amount_from_null"][0]), PERIOD)
    (reject,) = result.rejects.itertuples()
    assert reject.source_row == 2 and reject.rule == "not a number"
    raw = json.loads(reject.raw)
    assert raw["UnitPrice"] == "NULL" and raw["Quantity"] == "3"
    assert "UnitPrice" not in result.tables["orders"].columns
    assert not any(c.startswith("_src_value") for c in result.tables["orders"].columns)
