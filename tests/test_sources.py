"""Readers for every source kind (CSV, Excel, Parquet, SQL via a SQLite URL, DuckDB file)
and the column mapping: values are read as the source wrote them, each row knows its file
and record number, and every unreadable input is a DataError naming the file and the fix.
Raw inputs are opened read-only: hashes and modification times never change.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from custops.core.config import ReportConfig, SourceConfig
from custops.core.errors import DataError
from custops.ingest.sources import detect_encoding, load_raw, map_columns, read_source

ORDERS_CSV = "order_id,customer_id,order_date,amount\no1,c1,2025-10-03,10\no2,007,2025-11-03,20.5\n"


def cfg_for(folder: Path, orders: dict, customers: dict | None = None) -> ReportConfig:
    cfg = ReportConfig.model_validate(
        {"sources": {"orders": orders, "customers": customers or {"path": "customers.csv"}}}
    )
    cfg.base_dir = folder
    return cfg


def read_orders(folder: Path, **src) -> pd.DataFrame:
    cfg = cfg_for(folder, src)
    return read_source("orders", cfg.sources["orders"], cfg)


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# --------------------------------------------------------------------------- CSV


def test_csv_values_stay_text_with_source_file_and_row(tmp_path):
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    raw = read_orders(tmp_path, path="orders.csv")
    assert raw["customer_id"].tolist() == ["c1", "007"]  # leading zeros kept
    assert raw["amount"].tolist() == ["10", "20.5"]
    assert raw["_src_file"].tolist() == ["orders.csv"] * 2
    assert raw["_src_row"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_encodings_are_detected_and_headers_are_clean(tmp_path, encoding, expected):
    text = "客户编号,注册日期,地区\nC001,2024-01-05,华东\nC002,2024/2/5,华南\n"
    path = tmp_path / "customers.csv"
    path.write_bytes(text.encode(encoding))
    assert detect_encoding(path) == expected
    cfg = cfg_for(
        tmp_path,
        {"path": "orders.csv"},
        {
            "path": "customers.csv",
            "columns": {"customer_id": "客户编号", "signup_date": "注册日期"},
        },
    )
    raw = read_source("customers", cfg.sources["customers"], cfg)
    assert raw.columns[0] == "客户编号"  # no BOM glued to the first header
    assert raw["地区"].tolist() == ["华东", "华南"]
    mapped = map_columns("customers", raw, cfg.sources["customers"], "customers.csv")
    assert mapped["customer_id"].tolist() == ["C001", "C002"]


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, sep):
    (tmp_path / "orders.csv").write_text(ORDERS_CSV.replace(",", sep), encoding="utf-8")
    raw = read_orders(tmp_path, path="orders.csv")
    assert raw["amount"].tolist() == ["10", "20.5"]


def test_wrong_configured_delimiter_names_the_likely_one(tmp_path):
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    (tmp_path / "customers.csv").write_text("customer_id,signup_date\nc1,2024-01-01\n")
    cfg = cfg_for(tmp_path, {"path": "orders.csv", "delimiter": ";"})
    with pytest.raises(DataError) as info:
        load_raw(cfg)
    text = str(info.value)
    assert "orders.csv, column 'order_id': the required column orders.order_id is missing" in text
    assert "set `delimiter: ','`" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty (0 bytes)"),
        (b"\n\n", "the file has no header and no rows"),
        (
            ORDERS_CSV.encode() + b"o3,c1,2025-10-05,5,extra,more\n",
            "Expected 4 fields in line 4, saw 6",
        ),
    ],
)
def test_unreadable_csv_is_a_data_error(tmp_path, content, message):
    (tmp_path / "orders.csv").write_bytes(content)
    with pytest.raises(DataError, match=re.escape(message)) as info:
        read_orders(tmp_path, path="orders.csv")
    assert info.value.file.endswith("orders.csv")
    assert info.value.fix


def test_wrong_explicit_encoding_names_the_setting(tmp_path):
    (tmp_path / "orders.csv").write_bytes("订单,客户\n1,张三\n".encode("gbk"))
    with pytest.raises(DataError, match=r"cannot be decoded as utf-8") as info:
        read_orders(tmp_path, path="orders.csv", encoding="utf-8")
    assert "encoding:" in info.value.fix


def test_glob_reads_every_file_and_keeps_each_file_name(tmp_path):
    (tmp_path / "exports").mkdir()
    for month in ("10", "11"):
        (tmp_path / "exports" / f"orders_2025{month}.csv").write_text(ORDERS_CSV)
    raw = read_orders(tmp_path, path="exports/*.csv")
    assert raw["_src_file"].tolist() == ["orders_202510.csv"] * 2 + ["orders_202511.csv"] * 2
    assert raw["_src_row"].tolist() == [1, 2, 1, 2]
    with pytest.raises(DataError, match="no file matches this pattern"):
        read_orders(tmp_path, path="imports/*.csv")


def test_missing_file_names_the_resolved_path(tmp_path):
    with pytest.raises(DataError, match="the file does not exist") as info:
        read_orders(tmp_path, path="nothere.csv")
    assert str(tmp_path / "nothere.csv") in str(info.value)


# --------------------------------------------------------------------------- Excel


def test_excel_keeps_native_values_and_reads_the_named_sheet(tmp_path):
    path = tmp_path / "orders.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"x": [1]}).to_excel(xl, sheet_name="notes", index=False)
        pd.DataFrame(
            {
                "order_id": ["o1", "o2"],
                "customer_id": ["c1", "c2"],
                "order_date": [pd.Timestamp("2025-10-01"), "2025/10/3"],
                "amount": [1.5, "x"],
            }
        ).to_excel(xl, sheet_name="orders", index=False)
    raw = read_orders(tmp_path, path="orders.xlsx", sheet="orders")
    assert raw["order_date"].iloc[0] == pd.Timestamp("2025-10-01")
    assert raw["amount"].tolist() == [1.5, "x"]
    with pytest.raises(DataError, match="Worksheet named 'nope' not found") as info:
        read_orders(tmp_path, path="orders.xlsx", sheet="nope")
    assert "sheet:" in info.value.fix


@pytest.mark.parametrize("kind", ["garbage", "zip"])
def test_corrupt_excel_is_a_data_error(tmp_path, kind):
    path = tmp_path / "orders.xlsx"
    if kind == "garbage":
        path.write_bytes(b"this is not a workbook")
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
    with pytest.raises(DataError, match="cannot be read as an Excel workbook") as info:
        read_orders(tmp_path, path="orders.xlsx")
    assert "Save the file again" in info.value.fix


# --------------------------------------------------------------------------- Parquet


def test_parquet_keeps_types_and_a_corrupt_file_is_a_data_error(tmp_path):
    frame = pd.DataFrame(
        {
            "order_id": ["o1"],
            "customer_id": ["c1"],
            "order_date": pd.to_datetime(["2025-10-01 08:00"]).tz_localize("Asia/Shanghai"),
            "amount": [3.0],
        }
    )
    frame.to_parquet(tmp_path / "orders.parquet")
    raw = read_orders(tmp_path, path="orders.parquet")
    assert str(raw["order_date"].dt.tz) == "Asia/Shanghai"
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="cannot be read as Parquet"):
        read_orders(tmp_path, path="bad.parquet")


# --------------------------------------------------------------------------- SQL


@pytest.fixture
def sqlite_db(tmp_path) -> Path:
    path = tmp_path / "shop.db"  # .db: a SQLite URL must not be sent to DuckDB
    with sqlite3.connect(path) as con:
        con.execute(
            "create table orders(order_id text, customer_id text, order_date text, amount real)"
        )
        con.executemany(
            "insert into orders values (?,?,?,?)",
            [("o1", "c1", "2025-10-01", 5.0), ("o2", "c2", "2025/10/2", None)],
        )
    con.close()
    return path


def test_sqlite_url_reads_read_only(tmp_path, sqlite_db):
    before = fingerprint(sqlite_db)
    raw = read_orders(tmp_path, query="select * from orders", url=f"sqlite:///{sqlite_db}")
    assert raw["order_id"].tolist() == ["o1", "o2"]
    assert raw["_src_file"].iloc[0] == "orders: SQL query"
    assert raw["_src_row"].tolist() == [1, 2]
    assert fingerprint(sqlite_db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.db"]  # no journal left behind


def test_sqlite_missing_file_is_not_created(tmp_path):
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(DataError, match="unable to open database file") as info:
        read_orders(tmp_path, query="select 1", url=f"sqlite:///{missing}")
    assert not missing.exists()
    assert "query: select 1" in str(info.value)


@pytest.mark.parametrize(
    ("query", "url", "message"),
    [
        ("select * from nope", None, "no such table: nope"),
        ("select 1", "foo://x", "Can't load plugin"),
    ],
)
def test_sql_errors_are_data_errors(tmp_path, sqlite_db, query, url, message):
    with pytest.raises(DataError, match=message):
        read_orders(tmp_path, query=query, url=url or f"sqlite:///{sqlite_db}")


def test_database_password_is_not_shown(tmp_path):
    with pytest.raises(DataError) as info:
        read_orders(tmp_path, query="select 1", url="postgresql://analyst:s3cret@127.0.0.1:1/x")
    assert "s3cret" not in str(info.value)
    assert "analyst:***@" in str(info.value)


@pytest.fixture
def duck_db(tmp_path) -> Path:
    path = tmp_path / "shop.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table orders as select * from (values ('o1','c1', DATE '2025-10-01', 5.0),"
            " ('o2','c2', DATE '2025-10-02', -1.0)) t(order_id, customer_id, order_date, amount)"
        )
    return path


def test_duckdb_file_is_read_read_only(tmp_path, duck_db):
    before = fingerprint(duck_db)
    raw = read_orders(tmp_path, path="shop.duckdb", query="select * from orders order by order_id")
    assert raw["amount"].tolist() == [5.0, -1.0]
    assert fingerprint(duck_db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop.duckdb"]  # no WAL written


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ({"path": "nope.duckdb", "query": "select * from orders"}, "database does not exist"),
        ({"path": "shop.duckdb", "query": "selec * from orders"}, "syntax error"),
        ({"path": "shop.duckdb"}, "needs a `query:`"),
    ],
)
def test_duckdb_errors_are_data_errors(tmp_path, duck_db, src, message):
    with pytest.raises(DataError, match=message):
        read_orders(tmp_path, **src)
    assert not (tmp_path / "nope.duckdb").exists()


# --------------------------------------------------------------------------- mapping


def raw_frame(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame["_src_file"] = "x.csv"
    frame["_src_row"] = range(1, len(frame) + 1)
    return frame


def test_mapping_matches_names_ignoring_case_spaces_and_dashes_and_ignores_extras():
    raw = raw_frame(
        **{
            "Order ID": ["1"],
            "customer-id": ["a"],
            "ORDER_DATE": ["2025-01-01"],
            "Amount": ["5"],
            "Notes": ["x"],
        }
    )
    mapped = map_columns("orders", raw, SourceConfig(path="x.csv"), "x.csv")
    # the unmapped column is not carried through, only summarised for exact duplicates
    assert list(mapped.columns) == [
        "order_id",
        "customer_id",
        "order_date",
        "amount",
        "_src_record",
        "_src_file",
        "_src_row",
    ]


def test_mapping_to_a_missing_column_suggests_the_close_one():
    raw = raw_frame(InvoiceNo=["1"], CustomerID=["a"], InvoiceDate=["2025-01-01"], Amount=["5"])
    src = SourceConfig(
        path="x.csv",
        columns={
            "order_id": "InvoiceNumber",
            "customer_id": "CustomerID",
            "order_date": "InvoiceDate",
        },
    )
    with pytest.raises(DataError) as info:
        map_columns("orders", raw, src, "x.csv")
    text = str(info.value)
    assert "x.csv, column 'InvoiceNumber'" in text and "Did you mean 'InvoiceNo'?" in text
    assert "sources.orders.columns.order_id" in text


def test_derive_reads_text_numbers_and_a_bad_expression_is_named():
    raw = raw_frame(
        Inv=["1", "2"],
        Cust=["a", "b"],
        Day=["2025-01-01"] * 2,
        Qty=["2", "x"],
        Price=["1,000", "3"],
    )
    src = SourceConfig(
        path="x.csv",
        columns={"order_id": "Inv", "customer_id": "Cust", "order_date": "Day"},
        derive={"amount": "Qty * Price"},
    )
    mapped = map_columns("orders", raw, src, "x.csv")
    assert mapped["amount"].iloc[0] == 2000.0 and pd.isna(mapped["amount"].iloc[1])
    bad = src.model_copy(update={"derive": {"amount": "Qty * Prize"}})
    with pytest.raises(DataError, match=r"cannot compute `Qty \* Prize`"):
        map_columns("orders", raw, bad, "x.csv")


def _parquet_cases() -> dict[str, pd.DataFrame]:
    import numpy as np

    rng = np.random.default_rng(0)
    n = 300
    ids = [f"o{i}" for i in range(n)]
    return {
        "plain": pd.DataFrame(
            {"id": ids, "c": rng.choice(["a", "b", None], n), "x": rng.random(n)}
        ),
        "text_index": pd.DataFrame(
            {"id": ids, "c": rng.choice(["a", "b"], n)}, index=[f"r{i}" for i in range(n)]
        ),
        "range_index": pd.DataFrame(
            {"id": ids, "c": rng.choice(["a", "b"], n)}, index=pd.RangeIndex(5, 5 + n)
        ),
        "types": pd.DataFrame(
            {
                "c": pd.Categorical(rng.choice(["a", "b"], n)),
                "id": pd.array(ids, dtype="string"),
                "t": pd.date_range("2025-01-01", periods=n, freq="h", tz="Asia/Shanghai"),
                "i": pd.array(rng.integers(0, 5, n), dtype="Int64"),
                "b": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
                "id2": [f"p{i}" if i % 3 else None for i in range(n)],
            }
        ),
        "all_distinct": pd.DataFrame({"id": ids}),
        "no_text": pd.DataFrame({"x": rng.random(n)}),
        "empty": pd.DataFrame({"id": pd.Series([], dtype=object), "x": pd.Series([], dtype=float)}),
        "nulls": pd.DataFrame({"id": [None] * n, "c": ["a"] * n}),
    }


@pytest.mark.parametrize("case", list(_parquet_cases()))
def test_read_parquet_gives_what_pandas_gives(case, tmp_path):
    from custops.ingest.sources import read_parquet

    frame = _parquet_cases()[case]
    if case == "plain":
        frame.attrs = {"origin": "crm"}
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    got, want = read_parquet(path), pd.read_parquet(path)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs
    assert list(got.columns) == list(frame.columns)


def test_read_parquet_shares_strings_of_repeated_values_only(tmp_path):
    from custops.ingest.sources import read_parquet

    n = 1000
    path = tmp_path / "t.parquet"
    customers = [f"c{i % 600}" for i in range(n)]  # 60 % distinct: still shared
    pd.DataFrame(
        {"id": [f"o{i}" for i in range(n)], "c": ["same"] * n, "cust": customers}
    ).to_parquet(path)
    got = read_parquet(path)
    assert len({id(v) for v in got["c"]}) == 1  # one shared string, as pandas reads it
    assert len({id(v) for v in got["cust"]}) == 600
    assert got["id"].tolist() == [f"o{i}" for i in range(n)]


def test_read_clean_tables_gives_what_pandas_reads(tmp_path):
    from custops.ingest.artifacts import read_clean_tables, write_artifact

    frames = _parquet_cases()
    orders = frames["plain"].rename(columns={"id": "order_id"})
    write_artifact(orders, tmp_path, "clean_orders.parquet")
    write_artifact(frames["types"], tmp_path, "clean_touches.parquet")
    got = read_clean_tables(tmp_path)
    assert list(got) == ["orders", "touches"]
    for table, frame in got.items():
        want = pd.read_parquet(tmp_path / f"clean_{table}.parquet")
        pd.testing.assert_frame_equal(frame, want, check_exact=True)


def test_read_clean_tables_columns_and_skip_equal_pandas(tmp_path):
    """Chosen or skipped columns give the frames pd.read_parquet(columns=...) gives."""
    from custops.ingest.artifacts import read_clean_tables

    n = 3000
    orders = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(n)],  # all distinct: the fast conversion
            "customer_id": [f"客户{i % 97}" for i in range(n)],  # repeated: shared strings
            "order_date": pd.date_range("2025-01-01", periods=n, freq="h"),
            "amount": [i / 7 for i in range(n)],
            "channel": ["web", None, "app"] * (n // 3),
        }
    )
    touches = pd.DataFrame({"customer_id": ["a", "b"], "channel": ["sms", "email"]})
    orders.to_parquet(tmp_path / "clean_orders.parquet")
    touches.to_parquet(tmp_path / "clean_touches.parquet")
    got = read_clean_tables(
        tmp_path,
        columns={"orders": ["amount", "order_id", "customer_id", "missing"]},
        skip={"touches": ["channel", "nothing"]},
    )
    pd.testing.assert_frame_equal(
        got["orders"],
        pd.read_parquet(
            tmp_path / "clean_orders.parquet", columns=["amount", "order_id", "customer_id"]
        ),
    )
    pd.testing.assert_frame_equal(got["touches"], touches[["customer_id"]])
    both = read_clean_tables(
        tmp_path, columns={"orders": ["order_id", "channel"]}, skip={"orders": ["channel"]}
    )
    assert list(both["orders"]) == ["order_id"]
    with pytest.raises(Exception, match="No clean tables"):
        read_clean_tables(tmp_path / "empty", columns={"orders": ["order_id"]})


# --------------------------------------------------------------------------- real-export options


def test_whitespace_separated_text_with_crlf_and_leading_spaces(tmp_path):
    (tmp_path / "log.txt").write_bytes(
        b" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n"
        b" 00002 19970112  5   77.00\r\n"
    )
    raw = read_orders(tmp_path, path="log.txt", delimiter="whitespace")
    assert raw.drop(columns=["_src_file", "_src_row"]).to_dict("records") == [
        {"customer_id": "00001", "date": "19970101", "number_of_cds": "1", "dollar_value": "11.77"},
        {"customer_id": "00002", "date": "19970112", "number_of_cds": "5", "dollar_value": "77.00"},
    ]
    assert raw["_src_row"].tolist() == [1, 2]


def test_headerless_file_takes_the_names_and_every_record_is_a_row(tmp_path):
    (tmp_path / "s.txt").write_text("00004 0001 19970101 2 29.33\n00004 0001 19970118 2 29.73\n")
    names = ["customer_id", "customer_index", "date", "cds", "value"]
    raw = read_orders(tmp_path, path="s.txt", sep="whitespace", header=False, names=names)
    assert list(raw.columns[:5]) == names and len(raw) == 2
    assert raw["_src_row"].tolist() == [1, 2] and raw["value"].tolist() == ["29.33", "29.73"]
    with pytest.raises(DataError) as info:
        read_orders(tmp_path, path="s.txt", sep="whitespace", header=False, names=names[:3])
    text = str(info.value)
    assert "s.txt: `names` lists 3 column(s) but the file has 5 field(s) per record" in text
    assert "record 1: ['00004', '0001', '19970101', '2', '29.33']" in text
    assert "fix: Give one name per field" in text


def test_headerless_file_read_with_a_header_says_so(tmp_path):
    (tmp_path / "s.txt").write_text("00004 0001 19970101 2 29.33\n")
    cfg = cfg_for(
        tmp_path, {"path": "s.txt", "sep": "whitespace", "columns": {"customer_id": "cust"}}
    )
    raw = read_source("orders", cfg.sources["orders"], cfg)
    with pytest.raises(DataError) as info:
        map_columns("orders", raw, cfg.sources["orders"], "s.txt")
    text = str(info.value)
    assert (
        "s.txt, column 'cust': the column mapped to orders.customer_id is not in the file" in text
    )
    assert "looks like a data record, not a header: set `header: false` and `names: [...]`" in text


def test_derive_with_back_quoted_spaces_and_cjk_names():
    raw = raw_frame(
        Inv=["1", "2"],
        Cust=["a", "b"],
        Day=["2025-01-01"] * 2,
        **{"Unit Price": ["2.5", "1,000"], "数量": ["4", "3"], "Fee (CNY)": ["1", "0"]},
    )
    cols = {"order_id": "Inv", "customer_id": "Cust", "order_date": "Day"}
    for expression in ("`Unit Price` * `数量` + `Fee (CNY)`", "`Unit Price` * 数量 + `Fee (CNY)`"):
        src = SourceConfig(path="x.csv", columns=cols, derive={"amount": expression})
        assert map_columns("orders", raw, src, "x.csv")["amount"].tolist() == [11.0, 3000.0]


@pytest.mark.parametrize(
    ("expression", "fragments"),
    [
        (  # the silent-NaN case of the issue: a name with a space written without quotes
            "Unit Price * 数量",
            (
                "x.csv, column 'Unit': cannot compute `Unit Price * 数量` for orders.amount",
                "'Unit' is not a column of the file. The file has: Inv, Cust, Day, Unit Price, 数量",
                "Did you mean `Unit Price` (in back quotes",
                "fix: Fix `sources.orders.derive.amount`",
            ),
        ),
        ("`Unit Prize` * 数量", ("'Unit Prize' is not a column", "Did you mean 'Unit Price'?")),
        ("`Unit Price * 数量", ("a back quote is not closed",)),
        ("单价 * 数量", ("x.csv, column '单价'", "'单价' is not a column of the file")),
    ],
)
def test_derive_names_that_are_not_columns_fail_loudly(expression, fragments):
    raw = raw_frame(
        Inv=["1"], Cust=["a"], Day=["2025-01-01"], **{"Unit Price": ["2.5"], "数量": ["4"]}
    )
    src = SourceConfig(
        path="x.csv",
        columns={"order_id": "Inv", "customer_id": "Cust", "order_date": "Day"},
        derive={"amount": expression},
    )
    with pytest.raises(DataError) as info:
        map_columns("orders", raw, src, "x.csv")
    for fragment in fragments:
        assert fragment in str(info.value)


def test_derive_that_yields_nothing_where_its_columns_hold_numbers_fails():
    raw = raw_frame(Inv=["1", "2"], Cust=["a", "b"], Day=["2025-01-01"] * 2, Qty=["2", "3"])
    src = SourceConfig(
        path="x.csv",
        columns={"order_id": "Inv", "customer_id": "Cust", "order_date": "Day"},
        derive={"amount": "log(Qty - 5)"},
    )
    with pytest.raises(DataError) as info:
        map_columns("orders", raw, src, "x.csv")
    text = str(info.value)
    assert "`log(Qty - 5)` gives no value in any row, although its columns hold numbers" in text
    assert "row 1: Qty='2'" in text


def test_keep_columns_carries_unmapped_columns_and_the_rest_become_record_codes():
    raw = raw_frame(
        order_id=["1", "1", "1"],
        customer_id=["a"] * 3,
        order_date=["2025-01-01"] * 3,
        amount=["5"] * 3,
        Country=["UK", "UK", "FR"],
        StockCode=["A", "B", "A"],
    )
    mapped = map_columns("orders", raw, SourceConfig(path="x", keep_columns=["Country"]), "x")
    assert mapped["Country"].tolist() == ["UK", "UK", "FR"]
    # StockCode is not carried; its values still tell the three lines apart
    assert "StockCode" not in mapped and mapped["_src_record"].tolist() == [0, 1, 0]
    everything = map_columns("orders", raw, SourceConfig(path="x", keep_columns="all"), "x")
    assert {"Country", "StockCode"} <= set(everything) and "_src_record" not in everything
    for keep, message in [
        (["Contry"], "`keep_columns` names a column that is not in the file"),
        (["amount"], "already mapped to a canonical orders column"),
    ]:
        with pytest.raises(DataError, match=re.escape(message)) as info:
            map_columns("orders", raw, SourceConfig(path="x", keep_columns=keep), "x")
        assert "fix: " in str(info.value) and "sources.orders.keep_columns" in str(info.value)
    assert "Did you mean 'Country'?" in str(
        pytest.raises(
            DataError,
            map_columns,
            "orders",
            raw,
            SourceConfig(path="x", keep_columns=["Contry"]),
            "x",
        ).value
    )


def test_record_ids_number_the_records_and_conflict_with_a_mapped_id():
    raw = raw_frame(customer_id=["a", "a"], order_date=["2025-01-01"] * 2, amount=["5", "5"])
    mapped = map_columns("orders", raw, SourceConfig(path="x", record_ids=True), "x")
    assert mapped["order_id"].tolist() == ["1", "2"]
    with pytest.raises(DataError, match="the required column orders.order_id is missing") as info:
        map_columns("orders", raw, SourceConfig(path="x"), "x")
    assert "set `sources.orders.record_ids: true`" in str(info.value)
    raw["Inv"] = ["9", "9"]
    src = SourceConfig(path="x", record_ids=True, columns={"order_id": "Inv"})
    with pytest.raises(
        DataError, match="`record_ids: true` numbers the records as orders.order_id"
    ):
        map_columns("orders", raw, src, "x")


def test_record_codes_are_equal_exactly_where_every_column_is():
    from custops.ingest.sources import record_codes

    frame = pd.DataFrame(
        {
            "a": ["x", "x", "x", None, None, "x"],
            "b": [1.0, 1.0, 2.0, None, float("nan"), 1.0],
            "c": ["p", "p", "p", "q", "q", "r"],
        }
    )
    codes = record_codes(frame)
    groups = frame.astype(str).apply(tuple, axis=1)  # independent: the rows as text tuples
    same = groups.to_numpy()[:, None] == groups.to_numpy()[None, :]
    assert ((codes[:, None] == codes[None, :]) == same).all()
