"""Units of the format detection behind issue 19: decimal marks, day/month order, swaps, ids.

Expected values are written by hand (what the export means), never produced by the code
under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custops.core.config import SourceConfig
from custops.core.errors import DataError
from custops.core.parsing import (
    day_order,
    number_format,
    parse_dates,
    swap_day_month,
    swapped_days,
    to_number,
)
from custops.ingest.cleaning import format_ids
from custops.ingest.sources import first_invalid_byte, read_numbers


@pytest.mark.parametrize(
    ("values", "decimal", "expected"),
    [
        (["98,31", "1.234,50", "7", None], ",", [98.31, 1234.5, 7.0, np.nan]),
        (["0,5", "12,345", "1.234.567"], ",", [0.5, 12.345, 1234567.0]),
        (["98.31", "1,234.50", "1,234"], ".", [98.31, 1234.5, 1234.0]),
        (["1,234", "5,000"], ".", [1234.0, 5000.0]),  # nothing needs a comma: as before
        (["€ 1.234,50", "(2,00)"], ",", [1234.5, -2.0]),
    ],
)
def test_number_format_detected_per_column(values, decimal, expected):
    series = pd.Series(values, dtype=object)
    fmt = number_format(series)
    assert fmt.decimal == decimal and not fmt.ambiguous
    parsed = to_number(series, decimal=fmt.decimal, thousands=fmt.thousands)
    np.testing.assert_allclose(parsed.to_numpy(), expected, equal_nan=True)


def test_mixed_decimal_marks_are_an_error_naming_both_kinds():
    values = pd.Series(["98,31", "7", "12.5", "3,5"])
    with pytest.raises(DataError) as err:
        read_numbers(values, pd.Series([2, 3, 4, 5]), None, "o.csv", "amount", "orders")
    text = str(err.value)
    assert "o.csv, column 'amount'" in text
    assert "2 value(s) need a decimal comma, 1 a decimal point" in text
    assert "row 2: '98,31' (decimal comma)" in text and "row 4: '12.5' (decimal point)" in text
    src = SourceConfig(path="o.csv", decimal=",")
    parsed, note = read_numbers(values, pd.Series([2, 3, 4, 5]), src, "o.csv", "amount", "orders")
    assert parsed.tolist() == [98.31, 7.0, 125.0, 3.5] and note == ""  # as configured


def test_day_order_inferred_and_applied():
    column = pd.Series(["05/11/2025", "25/11/2025", "01/02/2025 10:30"])
    order = day_order(column)
    assert order.dayfirst is True and not order.mixed
    assert parse_dates(column, dayfirst=order.dayfirst).tolist() == [
        pd.Timestamp("2025-11-05"),
        pd.Timestamp("2025-11-25"),
        pd.Timestamp("2025-02-01 10:30"),
    ]
    us = pd.Series(["11/25/2025", "05/11/25"])
    assert day_order(us).dayfirst is False
    assert parse_dates(us, dayfirst=False).tolist() == [
        pd.Timestamp("2025-11-25"),
        pd.Timestamp("2025-05-11"),
    ]
    assert day_order(pd.Series(["25/11/2025", "11/25/2025"])).mixed
    assert day_order(pd.Series(["2025-11-05", "05/11/2025"])).dayfirst is None


def test_swapped_days_found_and_repaired():
    rng = np.random.default_rng(3)
    true = pd.Series(pd.to_datetime("2025-10-01") + pd.to_timedelta(rng.integers(0, 92, 600), "D"))
    stored = pd.Series([d.replace(month=d.day, day=d.month) if d.day <= 12 else d for d in true])
    assert swapped_days(true) is None
    found = swapped_days(stored)
    assert found is not None
    assert found["hole_days"] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert found["low_days"] == int((true.dt.day <= 12).sum())
    repaired = swap_day_month(stored, (stored.dt.day <= 12).to_numpy())
    assert (repaired == true).all()
    # a whole year of the same export has no hole: the check stays quiet (no false alarm)
    year = pd.Series(pd.date_range("2025-01-01", "2025-12-31").repeat(3))
    assert swapped_days(year) is None


def test_id_formats():
    ids = pd.Series(["00961", "961", "0", "A-007", None], dtype=object)
    assert format_ids(ids, "strip_zeros").tolist() == ["961", "961", "0", "A-007", None]
    assert format_ids(ids, "zero_pad", 5).tolist() == ["00961", "00961", "00000", "A-007", None]
    with pytest.raises(ValueError, match="id_width"):
        SourceConfig(path="c.csv", id_format="zero_pad")


def test_first_invalid_byte_is_counted_from_the_start_of_the_file(tmp_path):
    path = tmp_path / "big.csv"
    body = b"a,b\n" + b"x,1\n" * 1_500_000  # 6 MB: past pandas' read buffer and 1 MB pieces
    path.write_bytes(body + "\u4e2d".encode("utf-8")[:2] + b",2\n")
    assert first_invalid_byte(path, "utf-8") == (len(body), 1_500_002, b"\xe4\xb8")
