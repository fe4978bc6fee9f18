"""Absent columns end in one sentence, never an exception (chapter 03 helpers, fast)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from custops.core.config import ReportConfig
from custops.survival import churn


def _surv(n: int = 200, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "duration_days": rng.integers(10, 700, n).astype(float),
            "event": rng.integers(0, 2, n),
            "constant": 1.0,
        }
    )


def _ctx(**churn_cfg) -> SimpleNamespace:
    cfg = ReportConfig.model_validate(
        {"sources": {"orders": {"path": "o.csv"}}, "churn": churn_cfg}
    )
    return SimpleNamespace(
        cfg=cfg, language="en", seed=42, period=SimpleNamespace(label="2025Q4"), has=cfg.has
    )


def test_cox_model_without_covariates_says_so(monkeypatch):
    shown = []
    monkeypatch.setattr("custops.report.notebook.md", lambda text: shown.append(text))
    with pytest.raises(churn.NoCovariates, match="no covariate is left for the Cox model"):
        churn.ChurnModel(["missing", "constant"]).fit(_surv())
    ctx = _ctx(covariates=["missing", "constant"])
    assert churn.fit_model(ctx, _surv()) is None
    assert len(shown) == 1
    assert shown[0].startswith("> The Cox model cannot be fitted (no covariate is left")
    assert "`missing` is not in the data" in shown[0]
    assert "the Kaplan-Meier curves above stand" in shown[0]


def test_absent_survival_group_is_one_sentence(monkeypatch):
    shown = []
    monkeypatch.setattr("custops.report.notebook.md", lambda text: shown.append(text))
    km, tests = churn.km_section(_ctx(), _surv(), "acquisition_channel")
    assert km is None and tests.empty
    assert shown == [
        "> The data have no acquisition channel (config key "
        "`sources.customers.columns.acquisition_channel`), so the survival curves by it are skipped."
    ]


def test_contract_snapshot_rate_is_the_churned_share():
    f = pd.DataFrame({"customer_id": list("abcd"), "tenure": [1, 2, 3, 4], "churned": [1, 0, 0, 1]})
    surv = churn.contract_snapshot(f, pd.Timestamp("2025-12-31"), "years")
    assert surv["duration_days"].tolist() == [365.25, 730.5, 1095.75, 1461.0]
    rate = churn.period_churn_rate(surv, "2025Q4")
    assert (rate["n"], rate["churned"], rate["rate"]) == (4, 2, 0.5)
