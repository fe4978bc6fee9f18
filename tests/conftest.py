"""Shared fixtures: a small demo company and its notebook-01 artifacts, built once per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from custops.core.config import load_config
from custops.demo.synth import write_demo_data
from custops.features.features import customer_features
from custops.ingest.artifacts import write_artifact
from custops.ingest.cleaning import load_and_clean
from custops.segments.segmentation import value_tiers

ROOT = Path(__file__).resolve().parents[1]
SMALL_CUSTOMERS = 1500
#: the real public exports of the team workspace (``../shared/data/real``; CI has the same folder)
REAL_DATA = Path(os.environ.get("CUSTOPS_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """Folder of the real public exports; the test fails (not skips) when it is absent."""
    assert REAL_DATA.is_dir(), f"the real exports are missing: {REAL_DATA} (set CUSTOPS_REAL_DATA)"
    return REAL_DATA


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Config path of a 1,500-customer demo company (seed 42)."""
    return write_demo_data(
        tmp_path_factory.mktemp("small-demo"), n_customers=SMALL_CUSTOMERS, seed=42
    )


@pytest.fixture(scope="session")
def demo_5k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Config path of the default 5,000-customer demo company (seed 42), for planted-effect checks."""
    return write_demo_data(tmp_path_factory.mktemp("demo-5k"), n_customers=5000, seed=42)


@pytest.fixture(scope="session")
def truth_5k(demo_5k: Path) -> dict:
    """The planted effects of the 5,000-customer demo."""
    return json.loads((demo_5k.parent / "truth.json").read_text(encoding="utf-8"))


def _artifacts(config_path: Path, build: Path, period: str = "2025Q4") -> Path:
    cfg = load_config(config_path)
    result = load_and_clean(cfg, period)
    features = customer_features(
        result.tables,
        period,
        inactivity_days=cfg.churn.inactivity_days,
        slow_response_hours=cfg.nps.slow_response_hours,
    )
    features["tier"] = value_tiers(features, cfg.segments.tiers)
    folder = build / period / "artifacts"
    for table, frame in result.tables.items():
        write_artifact(frame, folder, f"clean_{table}.parquet")
    write_artifact(features, folder, "customer_features.parquet")
    write_artifact(result.ledger, folder, "ledger.csv")
    write_artifact(result.rejects, folder, "rejects.csv")
    return folder


@pytest.fixture(scope="session")
def demo_5k_artifacts(demo_5k: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notebook-01 artifacts (clean tables, customer_features, ledger, rejects) of the 5k demo."""
    return _artifacts(demo_5k, tmp_path_factory.mktemp("build-5k"))


@pytest.fixture(scope="session")
def small_artifacts(small_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Notebook-01 artifacts of the small demo."""
    return _artifacts(small_demo, tmp_path_factory.mktemp("build-small"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Charts made by a test are closed after it, so memory does not grow across the suite."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def generated_small() -> dict:
    """The 1,500-customer demo generated in memory (clean tables, hidden truth columns, truth)."""
    from custops.demo.synth import DemoSpec, generate

    return generate(DemoSpec(n_customers=SMALL_CUSTOMERS))


@pytest.fixture(scope="session")
def generated_event_tables(generated_small: dict) -> dict:
    """Orders, tickets, surveys and touches of the in-memory demo, with canonical column names."""
    d = generated_small
    return {
        "orders": d["orders"].rename(columns={"order_ts": "order_date"}),
        "tickets": d["tickets"],
        "surveys": d["surveys"],
        "touches": d["touches"],
    }
