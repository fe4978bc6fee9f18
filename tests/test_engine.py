"""Engine connection settings and the stratified sample used before large fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custops.core.config import EngineConfig
from custops.core.errors import DataError
from custops.features.engine import _check_spark_parquet, connect, stratified_sample


def _setting(engine, name: str) -> str:
    return engine.backend.con.execute(f"SELECT current_setting('{name}')").fetchone()[0]


def test_duckdb_out_of_core_settings_are_applied(tmp_path):
    spill = tmp_path / "spill"
    engine = connect(
        EngineConfig(
            database=str(tmp_path / "db" / "features.duckdb"),
            memory_limit="512MB",
            temp_directory=str(spill),
            threads=1,
        )
    )
    assert engine.name == "duckdb"
    assert _setting(engine, "threads") == 1
    assert _setting(engine, "temp_directory") == str(spill)
    assert spill.is_dir() and (tmp_path / "db" / "features.duckdb").exists()
    # DuckDB reports the limit in its own units (512MB -> 488.2 MiB)
    assert _setting(engine, "memory_limit").startswith("488")
    engine.close()


def test_threads_must_be_positive():
    with pytest.raises(ValueError, match="greater than 0"):
        EngineConfig(threads=0)


def test_spark_parquet_check_names_the_column_and_fix(tmp_path):
    frame = pd.DataFrame({"order_date": pd.to_datetime(["2025-01-01"]), "amount": [1.0]})
    frame.to_parquet(tmp_path / "ns.parquet")
    with pytest.raises(DataError, match="column 'order_date': holds nanosecond timestamps"):
        _check_spark_parquet(str(tmp_path / "ns.parquet"), is_dir=False)
    frame.to_parquet(tmp_path / "us.parquet", coerce_timestamps="us")
    _check_spark_parquet(str(tmp_path / "us.parquet"), is_dir=False)  # no error


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 10_000
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "event": rng.binomial(1, 0.23, n),
            "region": rng.choice(
                ["north", "south", "east", "west", None], n, p=[0.4, 0.3, 0.2, 0.095, 0.005]
            ),
        }
    )


def test_sample_keeps_strata_shares_and_is_deterministic(customers):
    sample = stratified_sample(customers, ["event", "region"], 1000, seed=42)
    assert len(sample) == 1000
    assert sample["customer_id"].is_unique
    assert sample.index.is_monotonic_increasing  # original order kept
    population = customers.groupby(["event", "region"], dropna=False).size()
    drawn = sample.groupby(["event", "region"], dropna=False).size()
    expected = population * 1000 / len(customers)
    # largest-remainder allocation: each stratum within one row of its exact share
    assert (drawn.reindex(expected.index) - expected).abs().max() < 1
    assert drawn.index.equals(population.index)  # the 0.5% missing-region stratum is present
    again = stratified_sample(customers, ["event", "region"], 1000, seed=42)
    pd.testing.assert_frame_equal(sample, again)
    other = stratified_sample(customers, ["event", "region"], 1000, seed=43)
    assert not other["customer_id"].equals(sample["customer_id"])
    assert sample.attrs["sample"] == {
        "n_population": 10_000,
        "by": ["event", "region"],
        "seed": 42,
        "n_sample": 1000,
    }


def test_sample_small_strata_keep_one_row_and_total_is_exact():
    frame = pd.DataFrame({"g": ["a"] * 97 + ["b", "c", "d"]})
    sample = stratified_sample(frame, "g", 5, seed=0)
    assert len(sample) == 5
    assert sorted(sample["g"].unique()) == ["a", "b", "c", "d"]


def test_sample_without_strata_and_below_n(customers):
    simple = stratified_sample(customers, None, 250, seed=1)
    assert len(simple) == 250
    whole = stratified_sample(customers, "event", 50_000, seed=1)
    assert whole.equals(customers) and whole is not customers


def test_sample_errors(customers):
    with pytest.raises(ValueError, match="n must be positive, not 0"):
        stratified_sample(customers, "event", 0, seed=1)
    with pytest.raises(KeyError, match=r"columns \['segment'\] not in the frame"):
        stratified_sample(customers, "segment", 10, seed=1)
