"""Tests of the quarterly review: custops.review.scorecard (scorecard, findings, PDCA), custops.review.funnels
(funnels, channels, A/B) and custops.review.cohorts (cohorts, repurchase, follow-up gaps), and the
execution of notebooks/05_review_retrospective.ipynb.

Every KPI is recomputed here with plain pandas along a different path (quarters from
``dt.to_period``, Python sets), the statistics are checked against statsmodels / scipy, and
the planted channel funnels and the A/B uplift of the demo company (truth.json) are recovered.
"""

from __future__ import annotations

import json
import math
import shutil
from datetime import date
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from custops.core.config import Target, load_config
from custops.core.errors import ConfigError
from custops.ingest.actions import load_actions
from custops.ingest.artifacts import read_clean_tables, write_artifact
from custops.review import cohorts, funnels
from custops.review import scorecard as review

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_review_retrospective.ipynb"
PERIOD = "2025Q4"
STEP_TRUTH = {
    "delivered": "delivered_given_sent",
    "opened": "opened_given_delivered",
    "clicked": "clicked_given_opened",
    "converted": "converted_given_clicked",
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tables(small_artifacts: Path) -> dict[str, pd.DataFrame]:
    return read_clean_tables(small_artifacts)


@pytest.fixture(scope="module")
def cfg(small_demo: Path):
    return load_config(small_demo)


@pytest.fixture(scope="module")
def truth(small_demo: Path) -> dict:
    return json.loads((small_demo.parent / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def card(tables, cfg) -> pd.DataFrame:
    return review.scorecard(
        tables, PERIOD, cfg.review.targets, sla_hours=cfg.nps.sla_hours, seed=cfg.seed
    )


def fake_upstream(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Artifacts shaped like notebooks 02-04 write them (values made up, columns as documented)."""
    ids = tables["customers"]["customer_id"].sort_values().to_numpy()
    n = len(ids)
    idx = np.arange(n)
    segments = pd.DataFrame(
        {
            "customer_id": ids,
            "r_score": idx % 5 + 1,
            "f_score": idx % 4 + 1,
            "m_score": idx % 3 + 1,
            "rfm_segment": np.where(
                idx % 10 < 4, "Champions", np.where(idx % 10 < 7, "At risk", "Lost")
            ),
            "tier": np.where(idx % 20 == 0, "A", np.where(idx % 5 == 0, "B", "D")),
            "lifecycle": np.where(
                idx % 4 == 0, "sleeping", np.where(idx % 4 == 1, "churned", "active")
            ),
            "cluster": idx % 3,
            "cluster_name": np.where(idx % 3 == 0, "high-value loyal", "lapsed"),
        }
    )
    churn = pd.DataFrame(
        {
            "customer_id": ids,
            "duration_days": 100 + idx % 300,
            "event": (idx % 5 == 0).astype(int),
            "churn_prob_90d": (idx % 10) / 10,
            "clv": 1000.0 + idx,
            "value_at_risk": (idx % 10) / 10 * (1000.0 + idx),
            "top_driver": np.where(idx % 3 == 0, "app_bound", ""),
            "drivers": np.where(idx % 3 == 0, "not APP bound; slow first response", ""),
        }
    )
    priority = churn.sort_values("value_at_risk", ascending=False).head(200)
    nps = pd.DataFrame(
        {
            "group_type": ["overall", "region", "region", "region", "month"],
            "group": ["all", "华东", "华南", "西南", "2025-10"],
            "n": [400, 150, 120, 10, 130],
            "promoters": [160, 70, 40, 1, 50],
            "passives": [120, 40, 40, 4, 40],
            "detractors": [120, 40, 40, 5, 40],
            "nps": [10.0, 20.0, 0.0, -40.0, -90.0],
            "ci_low": [2.0, 8.0, -12.0, -90.0, -95.0],
            "ci_high": [18.0, 32.0, 12.0, 10.0, -80.0],
            "small_group": [False, False, False, True, False],
        }
    )
    return {
        "segments": segments,
        "churn_scores": churn,
        "retention_priority": priority,
        "nps_summary": nps,
    }


# --------------------------------------------------------------------------- independent KPIs


def expected_kpis(tables: dict[str, pd.DataFrame], quarter: str, sla_hours: float) -> dict:
    """Every scorecard KPI for one quarter, in plain pandas (quarters via dt.to_period)."""
    q = pd.Period(quarter, freq="Q")
    end = q.end_time.normalize() + pd.Timedelta(days=1)
    lines = tables["orders"][tables["orders"]["order_date"] < end]
    order_q = lines.groupby("order_id")["order_date"].min().dt.to_period("Q")
    owner = lines.drop_duplicates("order_id").set_index("order_id")["customer_id"]
    amount = lines.groupby("order_id")["amount"].sum()
    now_ids = set(order_q.index[order_q == q])
    prev_ids = set(order_q.index[order_q == q - 1])
    buyers = {owner[o] for o in now_ids}
    prev_buyers = {owner[o] for o in prev_ids}
    first_q = order_q.groupby(owner.reindex(order_q.index)).min()
    orders_per_buyer = pd.Series([owner[o] for o in now_ids]).value_counts()
    revenue = float(sum(amount[o] for o in now_ids))
    out = {
        "active_customers": len(buyers),
        "new_customers": int((first_q == q).sum()),
        "churn_rate": len(prev_buyers - buyers) / len(prev_buyers),
        "retention_rate": len(prev_buyers & buyers) / len(prev_buyers),
        "repurchase_rate": float((orders_per_buyer >= 2).mean()),
        "avg_order_value": revenue / len(now_ids),
        "revenue": revenue,
        "revenue_per_customer": revenue / len(buyers),
    }
    s = tables["surveys"]
    scores = s.loc[s["responded_at"].dt.to_period("Q") == q, "score"]
    out["nps"] = 100 * (np.mean(scores >= 9) - np.mean(scores <= 6))
    t = tables["tickets"][tables["tickets"]["created_at"].dt.to_period("Q") == q]
    out["csat"] = t["csat"].mean()
    answered = t[t["first_response_at"] < end]
    out["first_response_hours"] = float(
        np.median((answered["first_response_at"] - answered["created_at"]) / pd.Timedelta(hours=1))
    )
    eligible = t[t["created_at"] + pd.Timedelta(hours=sla_hours) < end]
    hours = (eligible["resolved_at"] - eligible["created_at"]) / pd.Timedelta(hours=1)
    out["sla_resolved_share"] = float((hours <= sla_hours).sum() / len(eligible))
    m = tables["touches"][tables["touches"]["sent_at"].dt.to_period("Q") == q]
    out["touch_reach"] = m["delivered"].astype(bool).sum() / len(m)
    out["touch_conversion"] = m["converted"].astype(bool).sum() / len(m)
    return out


def test_every_kpi_matches_an_independent_pandas_computation(card, tables, cfg):
    now = expected_kpis(tables, "2025Q4", cfg.nps.sla_hours)
    before = expected_kpis(tables, "2025Q3", cfg.nps.sla_hours)
    got = card.set_index("kpi")
    assert set(got.index) == set(now), "the scorecard has one row per KPI"
    for kpi in now:
        assert got.loc[kpi, "value"] == pytest.approx(now[kpi], rel=1e-9), kpi
        assert got.loc[kpi, "previous"] == pytest.approx(before[kpi], rel=1e-9), kpi
        assert got.loc[kpi, "change"] == pytest.approx(now[kpi] - before[kpi], rel=1e-9, abs=1e-12)
    # the demo's planted NPS dip shows in the scorecard as a fall from the previous quarter
    assert got.loc["nps", "change"] < 0


def test_scorecard_artifact_columns_and_statuses_follow_the_targets(card, cfg):
    for column in ("kpi", "value", "previous", "target", "status", "direction", "change"):
        assert column in card.columns
    for column in ("p_value", "significant", "unit", "label"):
        assert column in card.columns
    by_kpi = {t.kpi: t for t in cfg.review.targets}
    for row in card.itertuples():
        t = by_kpi.get(row.kpi)
        if t is None:
            assert row.status == "grey" and math.isnan(row.target)
        else:
            assert row.target == t.target and row.direction == t.direction
            assert row.status == review.kpi_status(
                row.value, t.target, t.direction, t.amber_tolerance
            )
    # demo targets: 771-ish active customers vs 2,000 is red; repurchase 0.83 vs 0.45 is green
    assert card.set_index("kpi").loc["active_customers", "status"] == "red"
    assert card.set_index("kpi").loc["repurchase_rate", "status"] == "green"


def test_change_tests_match_reference_implementations(card, tables, cfg):
    got = card.set_index("kpi")
    # rates: pooled two-proportion z-test (statsmodels)
    now = review.period_measures(tables, "2025Q4", sla_hours=cfg.nps.sla_hours)
    before = review.period_measures(tables, "2025Q3", sla_hours=cfg.nps.sla_hours)
    for kpi in (
        "churn_rate",
        "repurchase_rate",
        "sla_resolved_share",
        "touch_reach",
        "touch_conversion",
    ):
        a, b = now[kpi], before[kpi]
        _, p = proportions_ztest([a.x, b.x], [a.n, b.n])
        assert got.loc[kpi, "p_raw"] == pytest.approx(p, rel=1e-9), kpi
    # counts: exact conditional Poisson test (statsmodels)
    from statsmodels.stats.rates import test_poisson_2indep

    now_n, before_n = (int(got.loc["active_customers", c]) for c in ("value", "previous"))
    res = test_poisson_2indep(now_n, 92, before_n, 92, method="exact-cond")
    assert got.loc["active_customers", "p_raw"] == pytest.approx(res.pvalue, rel=1e-9)
    # means: Welch's t from the textbook formula
    a, b = now["avg_order_value"].sample, before["avg_order_value"].sample
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = (a.mean() - b.mean()) / math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    assert got.loc["avg_order_value", "p_raw"] == pytest.approx(
        2 * stats.t.sf(abs(t), dof), rel=1e-9
    )
    # NPS: z-test with summed variances, as DESIGN.md (n >= 100 here, so plain Wald variances)
    nps_var = {}
    for key, m in (("now", now["nps"]), ("before", before["nps"])):
        p, _, d = (c / m.n for c in m.counts)
        nps_var[key] = 100**2 * (p + d - (p - d) ** 2) / m.n
    z = got.loc["nps", "change"] / math.sqrt(nps_var["now"] + nps_var["before"])
    assert got.loc["nps", "p_raw"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    # each KPI's own 95% interval of the change decides its noise mark; no correction across
    # unrelated KPIs (p_value is the KPI's own test)
    for kpi in ("churn_rate", "repurchase_rate", "sla_resolved_share", "touch_conversion"):
        m1, m0 = now[kpi], before[kpi]
        low, high = confint_proportions_2indep(m1.x, m1.n, m0.x, m0.n, method="newcomb")
        assert got.loc[kpi, "change_low"] == pytest.approx(low, rel=1e-9), kpi
        assert got.loc[kpi, "change_high"] == pytest.approx(high, rel=1e-9), kpi
    half = 1.959964 * math.sqrt(now_n + before_n)  # two 92-day quarters: no scaling
    assert got.loc["active_customers", "change_low"] == pytest.approx(
        now_n - before_n - half, rel=1e-6
    )
    half = stats.t.ppf(0.975, dof) * math.sqrt(va + vb)
    assert got.loc["avg_order_value", "change_low"] == pytest.approx(a.mean() - b.mean() - half)
    assert got.loc["avg_order_value", "change_high"] == pytest.approx(a.mean() - b.mean() + half)
    half = 1.959964 * math.sqrt(nps_var["now"] + nps_var["before"])
    assert got.loc["nps", "change_high"] == pytest.approx(got.loc["nps", "change"] + half, rel=1e-6)
    tested = got["change_low"].notna()
    assert tested.sum() >= 10
    np.testing.assert_array_equal(got["p_value"].to_numpy(), got["p_raw"].to_numpy())
    beyond = (got.loc[tested, "change_low"] > 0) | (got.loc[tested, "change_high"] < 0)
    assert (got.loc[tested, "significant"] == beyond).all()
    for kpi in got.index[tested]:  # the point change sits inside its interval
        assert got.loc[kpi, "change_low"] <= got.loc[kpi, "change"] <= got.loc[kpi, "change_high"]
    assert got.loc["revenue", "test"].startswith("not tested") and pd.isna(
        got.loc["revenue", "p_value"]
    )


def test_bootstrap_of_the_median_is_seeded_and_sensible(tables, cfg, card):
    again = review.scorecard(
        tables, PERIOD, cfg.review.targets, sla_hours=cfg.nps.sla_hours, seed=cfg.seed
    )
    pd.testing.assert_frame_equal(card, again)
    row = card.set_index("kpi").loc["first_response_hours"]
    assert row["ci_low"] <= row["value"] <= row["ci_high"]
    assert 0 < row["p_raw"] <= 1


def test_nps_interval_agrees_with_the_nps_chapter():
    nps = pytest.importorskip("custops.voice.nps")
    for counts in ((500, 300, 200), (12, 5, 20), (3, 0, 0), (0, 0, 40)):
        mine = review.nps_interval(*counts)
        theirs = nps.nps_estimate(*counts)
        assert mine[0] == pytest.approx(theirs.nps)
        assert mine[2] == pytest.approx(theirs.ci_low) and mine[3] == pytest.approx(theirs.ci_high)


def test_scorecard_without_the_optional_tables_greys_their_kpis(tables):
    card = review.scorecard(
        {"orders": tables["orders"], "customers": tables["customers"]},
        PERIOD,
        [Target(kpi="nps", target=30), Target(kpi="active_customers", target=10)],
    )
    got = card.set_index("kpi")
    for kpi in ("nps", "csat", "first_response_hours", "sla_resolved_share", "touch_reach"):
        assert math.isnan(got.loc[kpi, "value"]) and got.loc[kpi, "status"] == "grey", kpi
    assert got.loc["active_customers", "status"] == "green"


def test_contractual_churn_and_partial_periods_reach_every_kpi_label(tables):
    """One churn definition per report; a partial period marks every KPI."""
    small = {"orders": tables["orders"], "customers": tables["customers"]}
    # a contract snapshot's rate (notebook 03's churn_rate.csv): 89 of 300, Wilson by hand
    n, k, z = 300, 89, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    rate = {"rate": p, "low": centre - half, "high": centre + half, "n": n}
    card = review.scorecard(small, PERIOD, churn=rate, partial_until="2025-12-09").set_index("kpi")
    assert card.loc["churn_rate", "value"] == pytest.approx(89 / 300)
    assert card.loc["retention_rate", "value"] == pytest.approx(211 / 300)
    assert card.loc["retention_rate", "ci_low"] == pytest.approx(1 - rate["high"])
    assert math.isnan(card.loc["churn_rate", "previous"])  # a snapshot has no history
    assert card["label"].str.endswith("(partial: data end 2025-12-09)").all()
    zh = review.scorecard(small, PERIOD, lang="zh", partial_until="2025-12-09")
    assert zh["label"].str.endswith("（部分期，数据截至 2025-12-09）").all()
    whole = review.scorecard(small, PERIOD)
    assert not whole["label"].str.contains("partial").any()


def test_unknown_target_kpi_is_reported_with_a_suggestion(card):
    text = review.scorecard_sentences(card, [Target(kpi="churn_rte", target=0.1)])
    assert any("`churn_rte`" in s and "did you mean `churn_rate`" in s for s in text)
    zh = review.scorecard_sentences(card, [Target(kpi="churn_rte", target=0.1)], lang="zh")
    assert any("不是已知 KPI" in s for s in zh)


# --------------------------------------------------------------------------- status rules


@pytest.mark.parametrize(
    ("value", "target", "direction", "tol", "expected"),
    [
        (0.45, 0.45, "higher", 0.05, "green"),  # exactly on target
        (0.4275, 0.45, "higher", 0.05, "amber"),  # gap exactly 5%: amber (inclusive)
        (0.4274, 0.45, "higher", 0.05, "red"),  # just beyond the tolerance
        (0.46, 0.45, "higher", 0.05, "green"),
        (8.0, 8.0, "lower", 0.10, "green"),
        (8.8, 8.0, "lower", 0.10, "amber"),  # gap exactly 10%
        (8.81, 8.0, "lower", 0.10, "red"),
        (7.0, 8.0, "lower", 0.10, "green"),
        (0.01, 0.0, "higher", 0.05, "green"),
        (-0.01, 0.0, "higher", 0.05, "red"),  # a missed target of 0 has no relative gap
        (0.30, 0.31, "higher", 0.0, "red"),  # no tolerance: any miss is red
        (float("nan"), 0.45, "higher", 0.05, "grey"),
        (0.5, None, "higher", 0.05, "grey"),
    ],
)
def test_status_rules_at_the_boundaries(value, target, direction, tol, expected):
    assert review.kpi_status(value, target, direction, tol) == expected


def test_status_rejects_an_unknown_direction():
    with pytest.raises(ValueError, match="direction must be 'higher' or 'lower'"):
        review.kpi_status(1.0, 2.0, "up")


# --------------------------------------------------------------------------- rate statistics


def test_wilson_and_two_proportion_statistics_match_statsmodels():
    low, high = funnels.wilson_ci([0, 7, 40, 100], [50, 80, 200, 100])
    ref = [
        proportion_confint(x, n, method="wilson")
        for x, n in ((0, 50), (7, 80), (40, 200), (100, 100))
    ]
    np.testing.assert_allclose(low, [r[0] for r in ref], atol=1e-12)
    np.testing.assert_allclose(high, [r[1] for r in ref], atol=1e-12)
    r = funnels.two_proportion_test(45, 700, 30, 720)
    _, p = proportions_ztest([45, 30], [700, 720])
    assert r.p_value == pytest.approx(p, rel=1e-12)
    newcombe = confint_proportions_2indep(45, 700, 30, 720, method="newcomb", compare="diff")
    assert (r.diff_low, r.diff_high) == pytest.approx(newcombe, rel=1e-9)
    katz = confint_proportions_2indep(45, 700, 30, 720, method="log", compare="ratio")
    assert (r.ratio_low, r.ratio_high) == pytest.approx(katz, rel=1e-9)
    assert np.isnan(funnels.two_proportion_test(0, 10, 0, 10).p_value)


# --------------------------------------------------------------------------- funnels and channels


def test_touch_funnel_counts_match_pandas_and_the_drop_off_is_named(tables):
    t = tables["touches"]
    q4 = t[t["sent_at"].dt.to_period("Q") == pd.Period("2025Q4")]
    funnel = funnels.touch_funnel(t, PERIOD)
    for channel, g in q4.groupby("channel"):
        reached = np.ones(len(g), dtype=bool)
        for step in funnels.FUNNEL_STEPS:
            if step != "sent":
                reached &= g[step].astype(bool).to_numpy()
            row = funnel[(funnel["group"] == channel) & (funnel["step"] == step)].iloc[0]
            assert row["n"] == reached.sum(), (channel, step)
    total = funnel[funnel["group"] == "all"].set_index("step")["n"]
    assert total["sent"] == len(q4)
    top = funnels.biggest_drop_off(funnel)
    steps = funnel[funnel["group"] == "all"].set_index("step")
    assert top["step_rate"] == steps.loc[steps.index[1:], "step_rate"].min()
    sentence = funnels.funnel_sentence(funnel)
    assert f"from {top['from_step']} to {top['to_step']}" in sentence
    assert f"{top['step_rate']:.1%}" in sentence
    assert "从" in funnels.funnel_sentence(funnel, "zh")


def test_planted_channel_funnels_are_recovered(demo_5k_artifacts, truth_5k):
    """truth.json touches.funnel_rates_planted, within tolerance.rate_abs (all touches, 5k demo).

    The last step (converted | clicked) rests on a few hundred clicks per channel, where one
    standard error is 0.02-0.03, so it is checked against the 99% Wilson interval instead.
    """
    touches = read_clean_tables(demo_5k_artifacts)["touches"]
    planted = truth_5k["touches"]["funnel_rates_planted"]
    tol = truth_5k["touches"]["tolerance"]["rate_abs"]
    funnel = funnels.touch_funnel(touches)
    for channel, rates in planted.items():
        rows = funnel[funnel["group"] == channel].set_index("step")
        for step in ("delivered", "opened", "clicked"):
            assert abs(rows.loc[step, "step_rate"] - rates[STEP_TRUTH[step]]) <= tol, (
                channel,
                step,
            )
        conv = rows.loc["converted"]
        low, high = funnels.wilson_ci(conv["n"], rows.loc["clicked", "n"], z=stats.norm.ppf(0.995))
        assert low <= rates["converted_given_clicked"] <= high, channel
    channels = funnels.channel_effectiveness(touches).set_index("channel")
    for channel, rates in planted.items():
        assert abs(channels.loc[channel, "conversion"] - rates["converted_per_sent"]) <= tol
    # the planted differences: wechat and app_push convert far better than sms and email
    assert set(channels.index[channels["weak"]]) == {"sms", "email"}
    assert funnels.best_channel(channels.reset_index())["channel"] == "wechat"
    app_push_bound = touches.merge(
        read_clean_tables(demo_5k_artifacts)["customers"][["customer_id", "app_bound"]],
        on="customer_id",
    )
    assert app_push_bound.loc[app_push_bound["channel"] == "app_push", "app_bound"].all()


def test_channel_table_and_sentence(tables):
    ch = funnels.channel_effectiveness(tables["touches"], PERIOD)
    q4 = tables["touches"][tables["touches"]["sent_at"].dt.to_period("Q") == pd.Period("2025Q4")]
    expected = q4.groupby("channel")["converted"].apply(lambda s: s.astype(bool).mean())
    got = ch.set_index("channel")["conversion"]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    assert list(ch["rank"]) == [1.0, 2.0, 3.0, 4.0]
    assert ch["conversion"].is_monotonic_decreasing
    best = funnels.best_channel(ch)
    assert funnels.channel_sentence(ch).startswith(f"{best['channel']} converts best")
    small = funnels.channel_effectiveness(tables["touches"], PERIOD, min_n=10_000)
    assert small["rank"].isna().all() and funnels.best_channel(small) == {}


def test_weak_channel_reach_counts_active_customers_without_the_app(tables):
    reach = funnels.weak_channel_reach(
        tables["customers"], tables["orders"], tables["touches"], PERIOD
    ).set_index("measure")
    o = tables["orders"]
    active = set(o.loc[o["order_date"].dt.to_period("Q") == pd.Period("2025Q4"), "customer_id"])
    bound = set(
        tables["customers"].loc[
            tables["customers"]["app_bound"].fillna(False).astype(bool), "customer_id"
        ]
    )
    assert reach.loc["not_app_bound", "of"] == len(active)
    assert reach.loc["not_app_bound", "n"] == len(active - bound)
    parts = reach.loc["touched_only_weak", "n"] + reach.loc["not_touched", "n"]
    assert parts <= len(active)
    assert "not bound to the APP" in funnels.weak_reach_sentence(reach.reset_index())


def test_acquisition_funnel_matches_pandas(tables):
    f = funnels.acquisition_funnel(tables["customers"], tables["orders"], PERIOD)
    c, o = tables["customers"], tables["orders"]
    for quarter in ("2025Q3", "2025Q4"):
        q = pd.Period(quarter, freq="Q")
        end = q.end_time.normalize() + pd.Timedelta(days=1)
        cohort = set(c.loc[c["signup_date"].dt.to_period("Q") == q, "customer_id"])
        seen = o[o["customer_id"].isin(cohort) & (o["order_date"] < end)]
        n_orders = seen.groupby("customer_id")["order_id"].nunique()
        got = f[f["cohort"] == quarter].set_index("step")["n"]
        assert got.tolist() == [len(cohort), int((n_orders >= 1).sum()), int((n_orders >= 2).sum())]
    assert "signed up in 2025Q4" in funnels.acquisition_sentence(f)


def test_ab_readout_recovers_the_planted_uplift(tables, truth):
    ab = funnels.ab_readout(tables["touches"], PERIOD)
    planted = truth["touches"]["ab_test"]
    assert ab["campaign"].tolist() == [planted["campaign"]]
    row = ab.iloc[0]
    realized = planted["conversion_per_sent_realized"]
    assert row["rate_control"] == pytest.approx(realized["control"], abs=1e-12)
    assert row["rate_treatment"] == pytest.approx(realized["treatment"], abs=1e-12)
    # direction and size: treatment converts more; the planted 1.6x multiplier is inside the CI
    assert row["diff"] > 0 and row["ratio"] > 1
    assert (
        row["ratio_low"]
        <= planted["converted_given_clicked_uplift_multiplier"]
        <= row["ratio_high"]
    )
    assert row["diff_low"] < row["diff"] < row["diff_high"]
    ref = confint_proportions_2indep(
        row["conv_treatment"],
        row["n_treatment"],
        row["conv_control"],
        row["n_control"],
        method="newcomb",
    )
    assert (row["diff_low"], row["diff_high"]) == pytest.approx(ref, rel=1e-9)
    text = funnels.ab_sentence(ab)[0]
    assert (
        planted["campaign"] in text and f"{row['rate_treatment']:.1%}" in text and "95% CI" in text
    )
    assert funnels.ab_sentence(ab.iloc[0:0]) == ["No A/B test ran this period."]


# --------------------------------------------------------------------------- cohorts


def test_cohort_retention_matches_a_pandas_pivot(tables):
    retention = cohorts.cohort_retention(tables["orders"], PERIOD, n_cohorts=12)
    o = tables["orders"][tables["orders"]["order_date"] < "2026-01-01"]
    month = o["order_date"].dt.to_period("M")
    first = month.groupby(o["customer_id"]).transform("min")
    k = (month - first).map(lambda off: off.n)
    active = pd.DataFrame(
        {"c": o["customer_id"], "cohort": first.astype(str), "k": k}
    ).drop_duplicates()
    pivot = active.pivot_table(
        index="cohort", columns="k", values="c", aggfunc="nunique", fill_value=0
    )
    share = pivot.div(pivot[0], axis=0)
    assert sorted(retention["cohort"].unique()) == [f"2025-{m:02d}" for m in range(1, 13)]
    for row in retention.itertuples():
        expected = share.loc[row.cohort, row.k] if row.k in share.columns else 0.0
        assert row.share == pytest.approx(expected), (row.cohort, row.k)
    assert (retention.loc[retention["k"] == 0, "share"] == 1).all()
    # months after the period end are not observed: 2025-12 has only k = 0
    assert retention.loc[retention["cohort"] == "2025-12", "k"].tolist() == [0]
    matrix = cohorts.cohort_matrix(retention)
    assert matrix.shape == (12, 12)
    assert "bought again in month 1" in cohorts.cohort_sentence(retention)


def test_repurchase_timing_matches_pandas(tables):
    timing = cohorts.repurchase_timing(tables["orders"], PERIOD, windows=(30, 90))
    o = tables["orders"][tables["orders"]["order_date"] < "2026-01-01"]
    heads = o.groupby("order_id").agg(c=("customer_id", "first"), d=("order_date", "min"))
    dates = heads.sort_values("d").groupby("c")["d"].apply(list)
    end = pd.Timestamp("2026-01-01")
    for row in timing.itertuples():
        eligible = [d for d in dates if (end - d[0]) >= pd.Timedelta(days=row.window_days)]
        hits = [
            d for d in eligible if len(d) > 1 and d[1] - d[0] <= pd.Timedelta(days=row.window_days)
        ]
        assert (row.eligible, row.repurchased) == (len(eligible), len(hits))
    assert timing["share"].is_monotonic_increasing


def test_no_contact_after_first_repurchase_matches_pandas(tables):
    got = cohorts.no_contact_after_repurchase(
        tables["orders"], PERIOD, touches=tables["touches"], tickets=tables["tickets"]
    )
    o = tables["orders"][tables["orders"]["order_date"] < "2026-01-01"]
    heads = (
        o.groupby("order_id")
        .agg(c=("customer_id", "first"), d=("order_date", "min"))
        .sort_values("d")
    )
    second = heads.groupby("c")["d"].apply(lambda s: s.iloc[1] if len(s) > 1 else pd.NaT).dropna()
    second = second[second >= "2025-10-01"]
    contact_times = pd.concat(
        [
            tables["touches"][["customer_id", "sent_at"]].set_axis(["c", "t"], axis=1),
            tables["tickets"][["customer_id", "created_at"]].set_axis(["c", "t"], axis=1),
        ]
    )
    contact_times = contact_times[contact_times["t"] < "2026-01-01"]
    silent = [
        c
        for c, when in second.items()
        if not (contact_times.loc[contact_times["c"] == c, "t"] > when).any()
    ]
    assert got["repurchasers"] == len(second)
    assert got["no_contact"] == len(silent)
    assert got["ci_low"] <= got["share"] <= got["ci_high"]
    assert f"{len(silent):,} of the {len(second):,}" in cohorts.no_contact_sentence(got)
    assert cohorts.no_contact_after_repurchase(tables["orders"], PERIOD) == {}
    assert "cannot be checked" in cohorts.no_contact_sentence({})


# --------------------------------------------------------------------------- findings


def test_findings_without_upstream_artifacts_come_from_the_scorecard_only(card, tables):
    from custops.chapters import review as chapter

    up = {name: None for name in chapter.UPSTREAM}
    writers = {name: notebook for name, (_, notebook) in chapter.UPSTREAM.items()}
    note = review.upstream_note(up, writers=writers)
    assert "segments.parquet" in note and "nps_summary.csv" in note and "skipped" in note
    assert "`segments.parquet` (notebook 02_segmentation)" in note
    items = review.findings(card, {key: None for key in review.UPSTREAM_KEYS})
    assert items and {f["source"] for f in items} == {"05_review_retrospective"}
    n_red = int((card["status"] == "red").sum())
    assert f"{n_red} are red" in items[0]["text"]


def test_findings_quote_the_numbers_of_notebooks_02_to_04(card, tables, small_artifacts):
    up = {"features": pd.read_parquet(small_artifacts / "customer_features.parquet")}
    up.update(fake_upstream(tables))
    channels = funnels.channel_effectiveness(tables["touches"], PERIOD)
    ab = funnels.ab_readout(tables["touches"], PERIOD)
    items = review.findings(card, up, channels=channels, ab=ab, currency="CNY")
    by_kind = {f["kind"]: f for f in items}
    assert {f["source"] for f in items} >= {"02_segmentation", "03_churn_survival", "04_nps"}
    # NPS overall and the lowest non-small group (month rows and the n=10 group are not ranked)
    assert by_kind["nps"]["value"] == 10.0 and "NPS this period is 10.0" in by_kind["nps"]["text"]
    assert "The lowest NPS is 0.0" in by_kind["lowest_nps_group"]["text"]
    assert "in the group region: 华南." in by_kind["lowest_nps_group"]["text"]
    # churn: customers still active with p >= 0.5, and the value at risk
    churn = up["churn_scores"]
    alive = churn[churn["event"] == 0]
    likely = int((alive["churn_prob_90d"] >= 0.5).sum())
    assert by_kind["likely_churners"]["value"] == likely
    assert f"{likely:,} customers" in by_kind["likely_churners"]["text"]
    assert by_kind["value_at_risk"]["value"] == pytest.approx(churn["value_at_risk"].sum())
    assert "200 customers" in by_kind["value_at_risk"]["text"]
    n_driver = int(((alive.index % 3) == 0).sum())
    assert by_kind["top_churn_driver"]["value"] == "not APP bound"
    assert f"{n_driver:,} customers still active" in by_kind["top_churn_driver"]["text"]
    # segments: largest RFM segment, tier A revenue share from the customer view
    seg = up["segments"]
    assert by_kind["top_segment"]["value"] == "Champions"
    rev = seg.merge(up["features"][["customer_id", "revenue_365d"]], on="customer_id")
    share = rev.loc[rev["tier"] == "A", "revenue_365d"].sum() / rev["revenue_365d"].sum()
    assert by_kind["tier_revenue_share"]["value"] == pytest.approx(share)
    at_risk = seg["lifecycle"].isin(["sleeping", "churned"]).mean()
    assert by_kind["at_risk_lifecycle"]["value"] == pytest.approx(at_risk)
    assert (
        f"{at_risk:.1%} of customers are in the churned, sleeping"
        in by_kind["at_risk_lifecycle"]["text"]
    )
    assert by_kind["best_channel"]["value"] == funnels.best_channel(channels)["channel"]
    zh = review.findings(card, up, channels=channels, ab=ab, lang="zh", currency="CNY")
    assert len(zh) == len(items)
    assert any("NPS" in f["text"] and "置信区间" in f["text"] for f in zh)
    assert "沉睡" in {f["kind"]: f for f in zh}["at_risk_lifecycle"]["text"]
    md = review.findings_markdown(items)
    assert md.startswith("1. ") and "*(notebook 04_nps)*" in md


# --------------------------------------------------------------------------- PDCA


def write_actions(folder: Path, actions: list[dict], kind: str = "yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "csv":
        path = folder / "actions.csv"
        pd.DataFrame(actions).to_csv(path, index=False)
    else:
        path = folder / "actions.yaml"
        path.write_text(yaml.safe_dump({"actions": actions}, allow_unicode=True), encoding="utf-8")
    return path


ACTIONS = [
    {"issue": "Slow replies", "action": "More agents", "owner": "Service", "due": "2025-12-30", "status": "open", "kpi": "first_response_hours"},
    {"issue": "NPS dip", "action": "Call detractors", "owner": "CX", "due": "2025-12-31", "status": "in_progress", "kpi": "nps"},
    {"issue": "Repeat buying", "action": "Coupon", "owner": "Growth", "due": "2025-11-01", "status": "Done", "kpi": "repurchase_rate"},
    {"issue": "Typo", "action": "x", "owner": "y", "due": "2025-10-01", "status": "open", "kpi": "nsp"},
]  # fmt: skip


@pytest.mark.parametrize("kind", ["yaml", "csv"])
def test_action_register_movement_and_overdue_boundaries(tmp_path, card, kind):
    actions = load_actions(write_actions(tmp_path, ACTIONS, kind))
    assert actions["due"].tolist()[0] == date(2025, 12, 30)
    reg = review.action_register(actions, card, PERIOD).set_index("issue")
    # due the day before the period's last day and not done: overdue; due on the last day: not yet
    assert reg.loc["Slow replies", "overdue"] and not reg.loc["NPS dip", "overdue"]
    assert not reg.loc["Repeat buying", "overdue"]  # done (status compared case-insensitively)
    assert reg.loc["Typo", "moved"] == "unknown KPI" and reg.loc["Typo", "overdue"]
    scored = card.set_index("kpi")
    for issue, kpi in (
        ("NPS dip", "nps"),
        ("Repeat buying", "repurchase_rate"),
        ("Slow replies", "first_response_hours"),
    ):
        change, direction = scored.loc[kpi, "change"], scored.loc[kpi, "direction"]
        desired = (change > 0) == (direction == "higher")
        assert reg.loc[issue, "moved"] == ("desired" if desired else "wrong way"), issue
    assert reg.loc["NPS dip", "moved"] == "wrong way"  # the planted dip
    shown = review.register_table(reg.reset_index()).set_index("Issue")
    assert shown.loc["Slow replies", "Overdue"] == "yes" and shown.loc["NPS dip", "Overdue"] == ""
    assert shown.loc["NPS dip", "KPI: previous → now"].startswith("NPS: ")
    text = review.action_sentences(reg.reset_index())
    assert (
        text[1].startswith("Overdue: ")
        and "Slow replies (Service, due 2025-12-30, open)" in text[1]
    )


def test_lessons_are_driven_by_the_red_kpis(tmp_path, card):
    reg = review.action_register(load_actions(write_actions(tmp_path, ACTIONS)), card, PERIOD)
    lessons = review.lessons_learned(card, reg)
    reds = card[card["status"] == "red"]
    assert len(lessons) == len(reds)
    nps_lesson = next(x for x in lessons if x.startswith("NPS"))
    assert "'Call detractors' (in progress)" in nps_lesson  # the status's label
    if "active_customers" in set(reds["kpi"]):
        assert any(
            x.startswith("Active customers") and "No action in the register" in x for x in lessons
        )
    green = card.assign(status="green")
    assert review.lessons_learned(green, reg) == ["No KPI is red this period."]
    assert review.lessons_learned(card, reg, "zh")[0].endswith("。")


def test_action_register_errors_name_the_problem(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_actions(tmp_path / "nope.yaml")
    bad = [{**ACTIONS[0], "due": "someday"}, {k: v for k, v in ACTIONS[1].items() if k != "owner"}]
    path = write_actions(tmp_path / "a", [bad[0]])
    with pytest.raises(ConfigError, match=r"unreadable due date 'someday'"):
        load_actions(path)
    path = write_actions(tmp_path / "b", [bad[1]])
    with pytest.raises(ConfigError, match=r"missing field\(s\) \['owner'\]"):
        load_actions(path)
    (tmp_path / "c.yaml").write_text("items: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no `actions:` list"):
        load_actions(tmp_path / "c.yaml")
    empty = review.action_register(None, pd.DataFrame({"kpi": []}), PERIOD)
    assert review.action_sentences(empty)[0].startswith("No action register is configured")


def test_glue_values(card, tables):
    channels = funnels.channel_effectiveness(tables["touches"], PERIOD)
    items = review.findings(card, {}, channels=channels)
    values = review.glue_values(card, channels=channels, items=items)
    for key in (
        "review_n_green",
        "review_n_red",
        "review_active_customers",
        "review_revenue",
        "review_top_finding",
        "review_best_channel",
    ):
        assert key in values
    assert values["review_n_green"] == int((card["status"] == "green").sum())
    assert values["review_n_red"] == int((card["status"] == "red").sum())
    assert values["review_active_customers"] == int(
        card.set_index("kpi").loc["active_customers", "value"]
    )
    assert values["review_top_finding"] == items[0]["text"]
    assert values["review_best_channel"] == channels.iloc[0]["channel"]
    assert all(isinstance(v, int | float | str) for v in values.values())


# --------------------------------------------------------------------------- the notebook


def test_notebook_reads_artifacts_and_fits_no_model():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for forbidden in (
        "custops.segments.segmentation",
        "custops.survival.churn",
        "custops.voice.nps",
        "lifelines",
        "sklearn",
        ".fit(",
        "def ",
    ):
        assert forbidden not in code, forbidden
    assert "chapter.load(ctx)" in code and "from custops.chapters import review as chapter" in code
    assert nb.metadata["kernelspec"]["name"] == "custops"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    langs = [t for c in nb.cells for t in c.metadata.get("tags", []) if t.startswith("lang-")]
    assert langs.count("lang-en") == langs.count("lang-zh") > 0
    assert nb.cells[0].source.startswith("# Quarterly review — {{ period }}")


def _run_notebook(artifacts_dir: Path, config: Path, tmp: Path) -> nbformat.NotebookNode:
    import papermill as pm

    build = tmp / "build"
    shutil.copytree(artifacts_dir, build / PERIOD / "artifacts")
    out = tmp / "05.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"period": PERIOD, "config": str(config), "build_dir": str(build)},
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4), build / PERIOD / "artifacts"


def _texts(nb: nbformat.NotebookNode) -> tuple[str, list[str], dict[str, str]]:
    from custops.run.pipeline import glued_scalars

    shown, stderr = [], []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise AssertionError(f"{out['ename']}: {out['evalue']}")
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                stderr.append(out["text"])
            shown.append(str(out.get("data", {}).get("text/markdown", "")))
    return "\n".join(shown), stderr, glued_scalars(nb)


@pytest.mark.slow
def test_notebook_runs_without_upstream_artifacts(
    small_artifacts, small_demo, tables, cfg, tmp_path
):
    nb, folder = _run_notebook(small_artifacts, small_demo, tmp_path)
    text, stderr, glued = _texts(nb)
    assert not stderr, stderr
    assert "Missing for this period" in text and "segments.parquet" in text
    card = pd.read_csv(folder / "scorecard.csv")
    expected = expected_kpis(tables, "2025Q4", cfg.nps.sla_hours)
    got = card.set_index("kpi")["value"]
    for kpi, value in expected.items():
        assert got[kpi] == pytest.approx(value, rel=1e-9), kpi
    assert list(card.columns[:5]) == ["kpi", "value", "previous", "target", "status"]
    assert int(glued["review_active_customers"]) == expected["active_customers"]
    assert int(glued["review_n_red"]) == int((card["status"] == "red").sum())
    assert int(glued["review_n_green"]) == int((card["status"] == "green").sum())
    assert float(glued["review_revenue"]) == pytest.approx(expected["revenue"], abs=0.01)
    assert glued["review_best_channel"].strip("'") in {"wechat", "app_push", "sms", "email"}
    assert "are red" in glued["review_top_finding"]
    # every figure is shown once (nb.md at the end of a cell must not echo)
    assert text.count("The biggest drop-off is from") == 1
    assert text.count("made their first repurchase this period") == 1
    assert (
        sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
        == 5  # scorecard, funnel, channels, cohorts, KPI control charts
    )


@pytest.mark.slow
def test_notebook_uses_upstream_artifacts_when_present(
    small_artifacts, small_demo, tables, tmp_path
):
    staged = tmp_path / "staged"
    shutil.copytree(small_artifacts, staged)
    from custops.chapters import review as chapter

    files = {key: name for name, (key, _) in chapter.UPSTREAM.items()}
    for key, frame in fake_upstream(tables).items():
        write_artifact(frame, staged, files[key])
    nb, _ = _run_notebook(staged, small_demo, tmp_path / "run")
    text, stderr, glued = _texts(nb)
    assert not stderr, stderr
    assert "All artifacts of notebooks 01–04 are present" in text
    for source in ("02_segmentation", "03_churn_survival", "04_nps"):
        assert f"(notebook {source})" in text
    assert "NPS this period is 10.0" in text


def test_archive_shows_the_headline_kpis_of_every_period(tables, cfg, tmp_path):
    """The archive page's trend table: one row per published period (oldest first), each KPI
    as the scorecard of that period says, formatted here from its value and status."""
    from bs4 import BeautifulSoup

    from custops.run.pipeline import write_archive_index

    cards = {}
    for period in ("2025Q3", "2025Q4"):
        cards[period] = review.scorecard(
            tables, period, cfg.review.targets, sla_hours=cfg.nps.sla_hours, seed=cfg.seed
        )
        folder = tmp_path / period
        (folder / "html").mkdir(parents=True)
        (folder / "html" / "index.html").write_text("x")
        (folder / "artifacts").mkdir()
        cards[period].to_csv(folder / "artifacts" / "scorecard.csv", index=False)
    (tmp_path / "2025Q2" / "html").mkdir(parents=True)  # published before scorecards existed
    (tmp_path / "2025Q2" / "html" / "index.html").write_text("x")

    def shown(card, kpi, zh=False):
        row = card.set_index("kpi").loc[kpi]
        value = {
            "customers": f"{row['value']:,.0f}",
            "share": f"{row['value']:.1%}",
            "points": f"{row['value']:.1f}",
            "hours": f"{row['value']:.2f}",
        }[row["unit"]]
        if row["status"] in ("green", "amber", "red"):
            word = {"green": "达标", "amber": "接近", "red": "未达标"}[row["status"]]
            value += f"（{word}）" if zh else f" ({row['status']})"
        return value

    for lang, title in (("en", "Headline KPIs by period"), ("zh", "各报告期核心 KPI")):
        page = BeautifulSoup(
            write_archive_index(
                tmp_path, company="Acme", language=lang, currency="CNY"
            ).read_text(),
            "html.parser",
        )
        heading = next(h for h in page.select("h2") if h.get_text() == title)
        table = heading.find_next("table")
        header = [th.get_text() for th in table.select("thead th")]
        body = [[td.get_text() for td in tr.select("td")] for tr in table.select("tbody tr")]
        assert [r[0] for r in body] == ["2025Q3", "2025Q4"]
        for kpi in ("active_customers", "repurchase_rate", "churn_rate", "nps"):
            column = header.index(review.KPIS[kpi].label(lang))
            for row in body:
                assert row[column] == shown(cards[row[0]], kpi, lang == "zh"), (kpi, row[0])
        revenue = header.index(review.KPIS["revenue"].label(lang))
        assert body[1][revenue].startswith("CNY ")
