"""Last quarter's forecasts, scored (custops.review.forecast) and the priority list's holdout.

Every number is recomputed here by hand (plain loops, sklearn's AUC, the Wilson formula),
never by calling the code under test.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from custops.chapters.review import read_previous
from custops.core.config import ReviewConfig
from custops.core.stats import holdout_flags
from custops.review import forecast
from custops.survival import clv

PREV_END = date(2025, 9, 30)
W, H = 180, 90


def _wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (0.0 if x == 0 else centre - half), (1.0 if x == n else centre + half)


def _world(n: int = 400, seed: int = 7):
    """Customers active at PREV_END with a churn probability, and orders before and after."""
    rng = np.random.default_rng(seed)
    ids = [f"C{i:04d}" for i in range(n)]
    rows = []
    prob = rng.uniform(0.02, 0.9, n)
    for cid, p in zip(ids, prob, strict=True):
        last = PREV_END - timedelta(days=int(rng.integers(0, W)))
        for k in range(int(rng.integers(0, 3))):
            rows.append((cid, last - timedelta(days=30 * (k + 1)), float(rng.gamma(2, 50))))
        rows.append((cid, last, float(rng.gamma(2, 50))))
        # after the period end: more purchases for those with a low churn probability
        if rng.random() > p:
            for _ in range(int(rng.integers(1, 4))):
                day = PREV_END + timedelta(days=int(rng.integers(1, 120)))
                rows.append((cid, day, float(rng.gamma(2, 50))))
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    orders["order_date"] = pd.to_datetime(orders["order_date"]) + pd.to_timedelta(
        rng.integers(0, 20, len(orders)), unit="h"
    )
    orders["order_id"] = [f"o{i}" for i in range(len(orders))]
    scores = pd.DataFrame(
        {
            "customer_id": ids,
            "event": 0,
            "churn_prob_90d": prob,
            "expected_purchases_90d": rng.gamma(2, 0.5, n),
            "clv_btyd": rng.gamma(2, 300, n),
            "value_at_risk": prob * rng.gamma(2, 300, n),
        }
    )
    # a churned customer (event 1) is not scored
    scores = pd.concat(
        [
            scores,
            pd.DataFrame({"customer_id": ["X"], "event": [1], "churn_prob_90d": [np.nan]}),
        ],
        ignore_index=True,
    )
    return orders, scores


def _hand_outcomes(orders: pd.DataFrame, until: date) -> dict[str, tuple[bool, int, float]]:
    """churned, purchase days and revenue in (PREV_END, until], one customer at a time."""
    out = {}
    end = min(until, PREV_END + timedelta(days=H))
    for cid, g in orders.groupby("customer_id"):
        days = sorted({d.date() for d in g["order_date"]} - set())
        days = [d for d in days if d <= end]
        before = [d for d in days if d <= PREV_END]
        after = [d for d in days if d > PREV_END]
        seq = [max(before)] + after
        churned = False
        for i, d in enumerate(seq):
            nxt = seq[i + 1] if i + 1 < len(seq) else end
            if (nxt - d).days > W:
                churned = True
        g_after = g[(g["order_date"].dt.date > PREV_END) & (g["order_date"].dt.date <= end)]
        out[cid] = (churned, len(after), float(g_after["amount"].sum()))
    return out


def _previous(scores: pd.DataFrame, priority: pd.DataFrame | None = None):
    return forecast.PreviousReport(
        period=forecast.Period.parse("2025Q3"), folder=None, scores=scores, priority=priority
    )


def test_churn_calibration_brier_and_auc_equal_a_hand_recount() -> None:
    orders, scores = _world()
    check = forecast.score_forecasts(
        _previous(scores), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    truth = _hand_outcomes(orders, date(2025, 12, 31))
    active = scores[scores["event"] == 0]
    y = np.array([truth[c][0] for c in active["customer_id"]], dtype=float)
    p = active["churn_prob_90d"].to_numpy()
    assert check.n == len(active) == 400 and not check.partial
    assert check.churned == int(y.sum()) and 0 < y.sum() < len(y)
    assert check.brier == pytest.approx(
        sum((a - b) ** 2 for a, b in zip(p, y, strict=True)) / len(y)
    )
    assert check.brier_constant == pytest.approx(y.mean() * (1 - y.mean()))
    assert check.auc == pytest.approx(roc_auc_score(y, p))
    assert check.auc > 0.6  # the world makes low-probability customers buy again
    # deciles: sorted by probability, 40 customers each
    order = np.argsort(p, kind="stable")
    table = check.calibration
    assert table["n"].tolist() == [40] * 10
    for k, chunk in enumerate(np.array_split(order, 10)):
        row = table.iloc[k]
        x = int(y[chunk].sum())
        assert row["predicted"] == pytest.approx(p[chunk].mean())
        assert row["actual"] == pytest.approx(x / 40)
        low, high = _wilson(x, 40)
        assert row["low"] == pytest.approx(low) and row["high"] == pytest.approx(high)


def _hand_known_at_start(orders: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Days since the last purchase day up to PREV_END, purchase days in the year before."""
    out = {}
    for cid, g in orders.groupby("customer_id"):
        days = sorted({d.date() for d in g["order_date"]})
        before = [d for d in days if d <= PREV_END]
        year = [d for d in before if (PREV_END - d).days < 365]
        out[cid] = ((PREV_END - max(before)).days, len(year))
    return out


def _hand_lift(y: np.ndarray, risk: np.ndarray) -> float:
    """Churn rate of the riskiest ceil(10%) (the first listed wins a tie) over the overall rate."""
    order = sorted(range(len(y)), key=lambda i: (-risk[i], i))
    top = order[: math.ceil(0.1 * len(y))]
    return float(np.mean(y[top]) / np.mean(y))


def test_scores_are_set_beside_recency_and_frequency_baselines_recounted_by_hand() -> None:
    orders, scores = _world(n=600, seed=11)
    truth = _hand_outcomes(orders, date(2025, 12, 31))
    known = _hand_known_at_start(orders)
    active = scores[scores["event"] == 0].copy()
    y = np.array([truth[c][0] for c in active["customer_id"]], dtype=bool)
    # a planted BTYD P(alive) that knows the outcome, blurred by noise
    rng = np.random.default_rng(5)
    active["p_alive"] = np.clip(1 - (0.6 * y + 0.4 * rng.uniform(size=len(y))), 0, 1)
    scores = pd.concat([active, scores[scores["event"] == 1]], ignore_index=True)
    check = forecast.score_forecasts(
        _previous(scores), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    b = check.baselines.set_index("score")
    assert list(b.index) == ["cox", "btyd", "recency", "frequency"]
    recency = np.array([known[c][0] for c in active["customer_id"]], dtype=float)
    year = np.array([known[c][1] for c in active["customer_id"]], dtype=float)
    risks = {
        "cox": active["churn_prob_90d"].to_numpy(),
        "btyd": 1 - active["p_alive"].to_numpy(),
        "recency": recency,
        "frequency": -year,
    }
    for name, risk in risks.items():
        assert b.loc[name, "n"] == len(y) == 600
        assert b.loc[name, "auc"] == pytest.approx(roc_auc_score(y, risk)), name
        assert b.loc[name, "lift"] == pytest.approx(_hand_lift(y.astype(float), risk)), name
    for name in ("cox", "btyd"):
        p = 1 - active["p_alive"].to_numpy() if name == "btyd" else risks["cox"]
        assert b.loc[name, "brier"] == pytest.approx(np.mean((p - y) ** 2))
        assert 0 <= b.loc[name, "ici"] < 1
    assert np.isnan(b.loc["recency", "brier"]) and np.isnan(b.loc["frequency", "ici"])
    # the AUC difference from recency alone, and its DeLong interval against a paired bootstrap
    boot = []
    for _ in range(1000):
        i = rng.integers(0, len(y), len(y))
        if y[i].all() or not y[i].any():
            continue
        boot.append(roc_auc_score(y[i], risks["btyd"][i]) - roc_auc_score(y[i], recency[i]))
    diff = roc_auc_score(y, risks["btyd"]) - roc_auc_score(y, recency)
    half = b.loc["btyd", "diff_high"] - b.loc["btyd", "auc_diff"]
    assert b.loc["btyd", "auc_diff"] == pytest.approx(diff)
    assert half == pytest.approx(1.96 * np.std(boot), rel=0.2)
    assert b.loc["btyd", "verdict"] == "better"  # it was planted to know the outcome
    assert b.loc["recency", "verdict"] == "reference"
    cox = b.loc["cox"]
    expected = "better" if cox["diff_low"] > 0 else "worse" if cox["diff_high"] < 0 else "no_better"
    assert cox["verdict"] == expected
    text = forecast.forecast_text(check)
    assert f"AUC {roc_auc_score(y, recency):.2f}" in text
    assert "BTYD 1 − P(alive) does better" in text
    rows = check.summary.set_index(["model", "metric"])
    assert rows.loc[("score_btyd", "auc_minus_recency"), "value"] == pytest.approx(diff)
    assert rows.loc[("score_recency", "auc"), "value"] == pytest.approx(roc_auc_score(y, recency))


def test_a_score_that_knows_nothing_does_not_beat_recency() -> None:
    orders, scores = _world(n=600, seed=12)
    active = scores[scores["event"] == 0].copy()
    active["churn_prob_90d"] = np.random.default_rng(1).uniform(0.1, 0.5, len(active))
    check = forecast.score_forecasts(
        _previous(active), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    cox = check.baselines.set_index("score").loc["cox"]
    assert cox["verdict"] in ("no_better", "worse") and cox["diff_low"] <= 0
    assert "does **not** rank churners" in forecast.forecast_text(check) or "**worse**" in (
        forecast.forecast_text(check)
    )


def test_the_calibration_index_recovers_a_planted_miscalibration() -> None:
    """ICI: ~0 for probabilities that generated the outcome, ~mean(p) when they are halved."""
    from custops.core.stats import calibration_ici

    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.6, 20000)
    y = rng.uniform(size=p.size) < p
    assert calibration_ici(p, y) < 0.01
    # predictions of half the true rate: the observed rate at q is 2q, so |q - 2q| = q
    assert calibration_ici(p / 2, y) == pytest.approx(np.mean(p / 2), abs=0.01)


def test_purchases_and_revenue_totals_and_deciles_equal_a_hand_recount() -> None:
    orders, scores = _world()
    check = forecast.score_forecasts(
        _previous(scores), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    truth = _hand_outcomes(orders, date(2025, 12, 31))
    active = scores[scores["event"] == 0].reset_index(drop=True)
    actual = np.array([truth[c][1] for c in active["customer_id"]])
    revenue = np.array([truth[c][2] for c in active["customer_id"]])
    spend = []
    for cid in active["customer_id"]:
        g = orders[(orders["customer_id"] == cid) & (orders["order_date"].dt.date <= PREV_END)]
        spend.append(g["amount"].sum() / g["order_date"].dt.date.nunique())
    predicted_revenue = active["expected_purchases_90d"].to_numpy() * np.array(spend)
    assert check.totals["actual_purchases"] == actual.sum()
    assert check.totals["expected_purchases"] == pytest.approx(
        active["expected_purchases_90d"].sum()
    )
    assert check.totals["actual_revenue"] == pytest.approx(revenue.sum())
    assert check.totals["predicted_revenue"] == pytest.approx(predicted_revenue.sum())
    order = np.argsort(active["expected_purchases_90d"].to_numpy(), kind="stable")
    top = np.array_split(order, 10)[-1]
    last = check.purchases.iloc[-1]
    assert last["actual"] == actual[top].sum()
    assert last["revenue"] == pytest.approx(revenue[top].sum())
    order = np.argsort(active["clv_btyd"].to_numpy(), kind="stable")
    top = np.array_split(order, 10)[-1]
    assert check.revenue.iloc[-1]["revenue"] == pytest.approx(revenue[top].sum())


def test_a_horizon_not_yet_elapsed_is_partial_and_counts_to_the_data_end() -> None:
    orders, scores = _world()
    until = date(2025, 11, 15)
    cut = orders[orders["order_date"].dt.date <= until]
    check = forecast.score_forecasts(
        _previous(scores), cut, "2025Q4", inactivity_days=W, observation_end=until
    )
    truth = _hand_outcomes(cut, until)
    assert check.partial and check.observed_until == until
    assert check.churned == sum(truth[c][0] for c in scores["customer_id"] if c in truth)
    assert check.totals["actual_purchases"] == sum(v[1] for v in truth.values())
    text = forecast.forecast_text(check, "en")
    assert text.startswith("**Partial**: the data end on 2025-11-15, before")
    assert "2025-12-29" in text
    assert forecast.history_rows(check)["partial"].all()


def test_top_n_retention_and_the_outreach_uplift_equal_a_hand_recount() -> None:
    orders, scores = _world()
    active = scores[scores["event"] == 0].sort_values("value_at_risk", ascending=False)
    held = holdout_flags(active["customer_id"], 0.3, seed=5, salt="2025Q3")
    priority = pd.DataFrame(
        {
            "rank": np.arange(1, len(active) + 1),
            "customer": active["customer_id"].to_numpy(),
            "churn_prob_90d": active["churn_prob_90d"].to_numpy(),
            "holdout": held,
        }
    )
    # touches of the retention campaign reach 70% of the assigned, none of the holdout
    reached = priority.loc[~priority["holdout"], "customer"].iloc[::10].tolist()
    reached = priority.loc[~priority["holdout"], "customer"]
    reached = reached[np.arange(len(reached)) % 10 < 7].tolist()
    touches = pd.DataFrame(
        {
            "customer_id": reached + ["C0001"],
            "sent_at": pd.Timestamp("2025-10-05"),
            "campaign": ["2025Q4_retention"] * len(reached) + ["2025Q4_newsletter"],
        }
    )
    check = forecast.score_forecasts(
        _previous(scores, priority),
        orders,
        "2025Q4",
        inactivity_days=W,
        observation_end=date(2025, 12, 31),
        top_n=50,
        touches=touches,
        retention_campaign="retention",
    )
    truth = _hand_outcomes(orders, date(2025, 12, 31))
    head = priority.head(50)
    assert check.top_n == 50
    assert check.top_retained == sum(not truth[c][0] for c in head["customer"])
    assert check.top_predicted_retention == pytest.approx(1 - head["churn_prob_90d"].mean())

    retained = np.array([not truth[c][0] for c in priority["customer"]])
    x1, n1 = int(retained[~held].sum()), int((~held).sum())
    x2, n2 = int(retained[held].sum()), int(held.sum())
    u = check.uplift
    assert (u.n_contact, u.n_holdout, u.retained_contact, u.retained_holdout) == (n1, n2, x1, x2)
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    assert u.itt.diff == pytest.approx(p1 - p2)
    assert u.itt.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
    (l1, h1), (l2, h2) = _wilson(x1, n1), _wilson(x2, n2)
    assert u.itt.diff_low == pytest.approx(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (h2 - p2) ** 2))
    assert u.itt.diff_high == pytest.approx(p1 - p2 + math.sqrt((h1 - p1) ** 2 + (p2 - l2) ** 2))
    # as treated: reached (the retention campaign only) vs everyone else on the list
    touched = priority["customer"].isin(reached).to_numpy()
    assert u.touched_among_contact == len(reached) and u.touched_among_holdout == 0
    assert u.as_treated.p1 == pytest.approx(retained[touched].mean())
    assert u.as_treated.p2 == pytest.approx(retained[~touched].mean())
    text = forecast.forecast_text(check, "en")
    assert "intention to treat** (causal" in text and "not causal" in text
    table = forecast.uplift_display(check, "zh")
    assert table["因果结论"].tolist() == ["是", "否"]
    heads = forecast.forecast_headlines(check)
    assert heads["forecast_uplift_pp"] == pytest.approx(round((p1 - p2) * 100, 2))


def test_without_a_previous_report_one_sentence_says_how_to_get_one(tmp_path) -> None:
    previous = read_previous(tmp_path, "2025Q4")
    check = forecast.score_forecasts(previous, pd.DataFrame(), "2025Q4", inactivity_days=W)
    text = forecast.forecast_text(check, "en", config="demo/custops.yaml")
    assert previous is None and not check.available
    assert text.count(". ") <= 1
    assert "`custops run --config demo/custops.yaml --period 2025Q3`" in text
    assert "`custops run --config demo/custops.yaml --period 2025Q3`" in forecast.forecast_text(
        check, "zh", config="demo/custops.yaml"
    )
    assert forecast.forecast_headlines(check) == {}
    assert forecast.history_rows(check).empty


def test_a_list_without_holdout_says_there_is_no_control_group(tmp_path) -> None:
    orders, scores = _world(n=60)
    folder = tmp_path / "2025Q3" / "artifacts"
    folder.mkdir(parents=True)
    scores.to_parquet(folder / "churn_scores.parquet")
    pd.DataFrame({"rank": [1, 2], "customer": ["C0001", "C0002"]}).to_csv(
        folder / "retention_priority.csv", index=False
    )
    previous = read_previous(tmp_path, "2025Q4")
    check = forecast.score_forecasts(
        previous, orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    assert previous.horizon_days == 90 and check.n == 60
    assert check.uplift.reason == "no_holdout"
    assert "no control group" in forecast.forecast_text(check, "en")


def test_holdout_flags_are_a_seeded_hash_of_the_id() -> None:
    ids = [f"C{i:05d}" for i in range(5000)]
    flags = holdout_flags(ids, 0.1, seed=42, salt="2025Q3")
    by_hand = [
        int(hashlib.sha256(f"42:2025Q3:{i}".encode()).hexdigest()[:16], 16) / 2**64 < 0.1
        for i in ids
    ]
    assert flags.tolist() == by_hand
    assert abs(flags.mean() - 0.1) < 3 * math.sqrt(0.09 / 5000)
    # the flag of a customer does not depend on the others or the order
    assert holdout_flags(ids[::-1], 0.1, seed=42, salt="2025Q3").tolist() == by_hand[::-1]
    assert holdout_flags(ids, 0.1, seed=43, salt="2025Q3").tolist() != by_hand
    with pytest.raises(ValueError, match="between 0 and 1"):
        holdout_flags(ids, 1.5, seed=1)


def test_priority_list_marks_the_holdout_do_not_contact() -> None:
    assert ReviewConfig().retention_holdout_share == 0.10
    n = 2000
    rng = np.random.default_rng(3)
    scores = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "event": 0,
            "churn_prob_90d": rng.random(n),
            "clv": rng.gamma(2, 100, n),
            "top_driver": "",
            "drivers": "",
            "tier": "A",
        }
    )
    scores["value_at_risk"] = scores["churn_prob_90d"] * scores["clv"]
    out = clv.priority_list(scores, horizon_days=90, holdout_share=0.1, seed=42, period="2025Q3")
    expected = holdout_flags(out["customer"], 0.1, seed=42, salt="2025Q3")
    assert out["holdout"].tolist() == expected.tolist()
    assert 150 < out["holdout"].sum() < 250
    assert out.loc[out["holdout"], "playbook"].str.startswith("Do not contact").all()
    assert not out.loc[~out["holdout"], "playbook"].str.contains("Do not contact").any()
    zh = clv.priority_list(
        scores, horizon_days=90, holdout_share=0.1, seed=42, period="2025Q3", lang="zh"
    )
    assert zh.loc[zh["holdout"], "playbook"].str.startswith("请勿联系").all()
    assert not clv.priority_list(scores, horizon_days=90)["holdout"].any()
    out["warnings"] = ""
    text = clv.priority_text(out)
    assert f"**{int(out['holdout'].sum()):,}** customers of the list" in text
    assert "*do not contact*" in text


def test_history_accumulates_one_row_per_period_model_and_metric() -> None:
    orders, scores = _world()
    check = forecast.score_forecasts(
        _previous(scores), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    rows = forecast.history_rows(check)
    assert not rows.duplicated(["period", "model", "metric"]).any()
    auc = rows.set_index(["model", "metric"]).loc[("churn", "auc"), "value"]
    assert auc == pytest.approx(check.auc)
    older = rows.assign(period="2025Q3", previous="2025Q2", value=rows["value"] / 2)
    history = forecast.collect_history([older, rows, rows])
    assert len(history) == 2 * len(rows)
    table = forecast.history_table(history, "en")
    assert table["period"].tolist() == ["2025Q3", "2025Q4"]
    assert table.loc[1, "AUC"] == f"{check.auc:.2f}"


# --------------------------------------------------------------------------- the archive


def test_the_archive_accumulates_forecast_checks_and_shows_the_trend(tmp_path) -> None:
    from custops.run.pipeline import write_archive_index

    orders, scores = _world()
    check = forecast.score_forecasts(
        _previous(scores), orders, "2025Q4", inactivity_days=W, observation_end=date(2025, 12, 31)
    )
    rows = forecast.history_rows(check)
    older = rows.assign(period="2025Q3", previous="2025Q2", value=0.25)
    for period, frame in (("2025Q3", older), ("2025Q4", rows)):
        (tmp_path / period / "html").mkdir(parents=True)
        (tmp_path / period / "html" / "index.html").write_text("x")
        (tmp_path / period / "artifacts").mkdir()
        frame.to_csv(tmp_path / period / "artifacts" / "forecast_checks.csv", index=False)
    page = write_archive_index(tmp_path, company="Acme").read_text()
    history = pd.read_csv(tmp_path / "forecast_checks.csv")
    assert len(history) == 2 * len(rows)
    assert not history.duplicated(["period", "model", "metric"]).any()
    assert "Forecasts, scored" in page and f"{check.auc:.2f}" in page and "0.250" in page
    # a period whose folder is gone keeps its rows in the archive's file
    (tmp_path / "2025Q3" / "artifacts" / "forecast_checks.csv").unlink()
    write_archive_index(tmp_path, company="Acme")
    assert len(pd.read_csv(tmp_path / "forecast_checks.csv")) == 2 * len(rows)


# --------------------------------------------------------------------------- the demo


def test_demo_outreach_is_opt_in_and_only_adds_rows() -> None:
    from custops.demo.synth import DemoSpec, generate

    plain = generate(DemoSpec(n_customers=400, seed=5))
    planted = generate(DemoSpec(n_customers=400, seed=5, outreach=True))
    assert "outreach" not in plain["truth"] and "outreach" in planted["truth"]
    for name in ("customers", "tickets", "surveys", "src_customers"):
        pd.testing.assert_frame_equal(plain[name], planted[name])
    for name in ("orders", "src_orders", "touches"):
        n = len(plain[name])
        pd.testing.assert_frame_equal(plain[name], planted[name].iloc[:n])
    truth = planted["truth"]["outreach"]
    added = planted["orders"].iloc[len(plain["orders"]) :]
    assert len(added) == truth["won_back"] > 0
    touches = planted["touches"].iloc[len(plain["touches"]) :]
    assert (touches["campaign"] == "2025Q4_retention").all()
    assert len(touches) == truth["reached_customers"]


def test_demo_outreach_effect_is_recovered_inside_the_95pct_interval() -> None:
    """5,000 customers: the intention-to-treat difference covers the planted one and excludes 0."""
    from custops.demo.synth import DemoSpec, generate

    demo = generate(DemoSpec(n_customers=5000, outreach=True))
    truth = demo["truth"]["outreach"]
    orders = demo["orders"].rename(columns={"order_ts": "order_date"})
    last = orders[orders["order_date"].dt.date <= PREV_END].groupby("customer_id")["order_date"]
    recency = (pd.Timestamp(PREV_END) - last.max().dt.normalize()).dt.days
    listed = sorted(recency[recency <= W].index)
    assert len(listed) == truth["list_customers"]
    priority = pd.DataFrame(
        {
            "customer": listed,
            "holdout": holdout_flags(listed, 0.10, seed=42, salt="2025Q3"),
        }
    )
    assert priority["holdout"].sum() == truth["holdout_customers"]
    outcomes = forecast.actual_outcomes(
        orders,
        listed,
        start=PREV_END,
        horizon_days=H,
        inactivity_days=W,
        observed_until=date(2025, 12, 31),
    )
    u = forecast.outreach_uplift(
        priority,
        outcomes,
        touches=demo["touches"],
        campaign="retention",
        start=PREV_END,
        end=PREV_END + timedelta(days=H),
    )
    assert u.itt.diff_low <= truth["itt_retention_difference"] <= u.itt.diff_high
    assert u.itt.diff_low > 0
    assert u.touched_among_contact == truth["reached_customers"]
    assert u.touched_among_holdout == 0


# --------------------------------------------------------------------------- end to end


def check_two_period_build(demo: Path, build: Path) -> dict[str, float]:
    """Recount the 2025Q4 report's scoring of 2025Q3 from the artifacts (returns the figures).

    Shared by the slow test below and by a manual run of the same two commands.
    """
    truth = json.loads((demo / "truth.json").read_text(encoding="utf-8"))["outreach"]
    q3, q4 = build / "2025Q3" / "artifacts", build / "2025Q4" / "artifacts"
    scores = pd.read_parquet(q3 / "churn_scores.parquet")
    priority = pd.read_csv(q3 / "retention_priority.csv", dtype={"customer": str})
    orders = pd.read_parquet(q4 / "clean_orders.parquet")
    rows = pd.read_csv(q4 / "forecast_checks.csv").set_index(["model", "metric"])
    assert (rows["period"] == "2025Q4").all() and (rows["previous"] == "2025Q3").all()
    assert not rows["partial"].any()
    assert (
        priority["holdout"].tolist()
        == holdout_flags(priority["customer"], 0.10, seed=42, salt="2025Q3").tolist()
    )
    assert priority.loc[priority["holdout"], "playbook"].str.startswith("Do not contact").all()
    outcome = _hand_outcomes(
        orders[orders["customer_id"].isin(scores["customer_id"])], date(2025, 12, 31)
    )
    active = scores[(scores["event"] == 0) & scores["churn_prob_90d"].notna()]
    y = np.array([outcome[c][0] for c in active["customer_id"]], dtype=float)
    p = active["churn_prob_90d"].to_numpy()
    brier = float(np.mean((p - y) ** 2))
    auc = float(roc_auc_score(y, p))
    assert rows.loc[("churn", "actual_rate"), "value"] == pytest.approx(y.mean())
    assert rows.loc[("churn", "brier"), "value"] == pytest.approx(brier)
    assert rows.loc[("churn", "auc"), "value"] == pytest.approx(auc)
    # the naive baseline on the same customers: days since the last purchase at 2025-09-30
    known = _hand_known_at_start(orders[orders["customer_id"].isin(active["customer_id"])])
    recency = np.array([known[c][0] for c in active["customer_id"]], dtype=float)
    assert rows.loc[("score_recency", "auc"), "value"] == pytest.approx(roc_auc_score(y, recency))
    assert rows.loc[("score_cox", "auc_minus_recency"), "value"] == pytest.approx(
        auc - roc_auc_score(y, recency)
    )
    retained = np.array([not outcome[c][0] for c in priority["customer"]])
    held = priority["holdout"].to_numpy()
    diff = retained[~held].mean() - retained[held].mean()
    itt = rows.loc[("outreach_itt", "retention_diff")]
    assert itt["value"] == pytest.approx(diff)
    assert itt["low"] <= truth["itt_retention_difference"] <= itt["high"]
    page = (build / "2025Q4" / "html" / "notebooks" / "05_review_retrospective.html").read_text()
    assert "Last quarter’s forecasts, scored" in page or "Last quarter's forecasts, scored" in page
    assert "Against the naive baselines" in page and "calibration index (ICI)" in page
    before = (build / "2025Q3" / "html" / "notebooks" / "05_review_retrospective.html").read_text()
    assert "There is no earlier report to score: 2025Q2 has not been built" in before
    assert "Forecasts, scored" in (build / "index.html").read_text()
    return {
        "n": len(y),
        "actual_churn": float(y.mean()),
        "predicted_churn": float(p.mean()),
        "brier": brier,
        "auc": auc,
        "itt": float(diff),
        "itt_low": float(itt["low"]),
        "itt_high": float(itt["high"]),
        "truth_itt": truth["itt_retention_difference"],
    }


@pytest.mark.slow
def test_two_consecutive_periods_score_the_previous_report(tmp_path) -> None:
    from custops.demo.synth import write_demo_data
    from custops.run.cli import main

    config = write_demo_data(tmp_path / "demo", n_customers=500, outreach=True)
    for period in ("2025Q3", "2025Q4"):
        code = main(
            ["run", "--config", str(config), "--period", period, "--out", str(tmp_path / "b")]
        )
        assert code == 0, period
    check_two_period_build(tmp_path / "demo", tmp_path / "b")
