"""custops.core.arrays against an independent pandas computation."""

import numpy as np
import pandas as pd

from custops.core.arrays import distinct_code_days


def test_distinct_code_days_matches_pandas_drop_duplicates():
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 500, 20_000)
    days = np.datetime64("2019-03-01") + rng.integers(0, 2_000, 20_000).astype("timedelta64[D]")
    code, day = distinct_code_days(codes, days)
    expected = (
        pd.DataFrame({"c": codes, "d": days})
        .drop_duplicates()
        .sort_values(["c", "d"])
        .reset_index(drop=True)
    )
    assert code.tolist() == expected["c"].tolist()
    assert (
        day.astype("datetime64[D]").tolist()
        == expected["d"].to_numpy().astype("datetime64[D]").tolist()
    )
    assert len(code) < 20_000  # there were duplicates to drop


def test_distinct_code_days_empty():
    code, day = distinct_code_days(np.zeros(0, int), np.zeros(0, "datetime64[D]"))
    assert len(code) == 0 and len(day) == 0
