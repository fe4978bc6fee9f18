"""Churn survival: planted hazard ratios recovered, wrapper equal to lifelines, values checked independently."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.statistics import logrank_test

from custops.core.config import ChurnConfig, ClvConfig, Period, PrivacyConfig, load_config
from custops.core.errors import ConfigError, DataError
from custops.ingest.artifacts import read_artifact, read_clean_tables
from custops.report.text import t
from custops.survival import churn, clv

ROOT = Path(__file__).resolve().parents[1]
ROSSI_COVARIATES = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]


def _surv(artifacts: Path, config: Path) -> pd.DataFrame:
    cfg = load_config(config)
    features = read_artifact(artifacts, "customer_features.parquet")
    tables = read_clean_tables(artifacts)
    surv = churn.survival_data(features, "2025Q4", cfg.churn)
    return churn.add_covariates(surv, tables["orders"])


@pytest.fixture(scope="module")
def surv_5k(demo_5k_artifacts: Path, demo_5k: Path) -> pd.DataFrame:
    return _surv(demo_5k_artifacts, demo_5k)


LANDMARK_DAYS = 90


@pytest.fixture(scope="module")
def landmark_5k(surv_5k: pd.DataFrame, demo_5k_artifacts: Path) -> pd.DataFrame:
    tables = read_clean_tables(demo_5k_artifacts)
    return churn.landmark_data(
        surv_5k, tables["tickets"], tables["orders"], landmark_days=LANDMARK_DAYS
    )


@pytest.fixture(scope="module")
def model_5k(landmark_5k: pd.DataFrame) -> churn.ChurnModel:
    """The chapter's design: covariates up to the landmark, churn risk after it."""
    return churn.ChurnModel(random_state=42, landmark_days=LANDMARK_DAYS).fit(landmark_5k)


@pytest.fixture(scope="module")
def surv_small(small_artifacts: Path, small_demo: Path) -> pd.DataFrame:
    return _surv(small_artifacts, small_demo)


@pytest.fixture(scope="module")
def rossi() -> pd.DataFrame:
    return load_rossi().rename(columns={"week": "duration_days", "arrest": "event"})


# --------------------------------------------------------------------------- planted effects


def test_planted_hazard_ratios_inside_the_95pct_ci(model_5k, truth_5k):
    truth = truth_5k["churn"]["hazard_ratios"]
    hr = model_5k.hazard_ratios().set_index("covariate")
    for column, true in truth.items():
        low, high = hr.loc[column, ["hr_low", "hr_high"]]
        assert low <= true <= high, (column, true, low, high)
    # the planted flags are never stratified away, and the early order rate (non-PH) is
    assert model_5k.strata_sources_ == ["log_early_orders_per_year"]


def test_landmark_table_against_a_ticket_recount(landmark_5k, surv_5k, demo_5k_artifacts):
    """Rows, shifted time and the service flags recounted from the tickets before each landmark."""
    tickets = read_clean_tables(demo_5k_artifacts)["tickets"]
    kept = surv_5k[surv_5k["duration_days"] > LANDMARK_DAYS]
    assert landmark_5k.index.equals(kept.index)
    assert landmark_5k.attrs["landmark"] == {
        "days": LANDMARK_DAYS,
        "n_in": len(kept),
        "n_out": len(surv_5k) - len(kept),
    }
    np.testing.assert_allclose(landmark_5k["duration_days"], kept["duration_days"] - LANDMARK_DAYS)
    mark = kept.set_index("customer_id")["start_date"] + pd.Timedelta(days=LANDMARK_DAYS)
    t = tickets.merge(mark.rename("mark"), left_on="customer_id", right_index=True)
    t = t[t["created_at"] < t["mark"]]
    open_complaint = t["category"].str.lower().str.contains("complain") & (
        t["resolved_at"].isna() | (t["resolved_at"] >= t["mark"])
    )
    expected = kept["customer_id"].isin(t.loc[open_complaint, "customer_id"]).astype(int)
    assert (landmark_5k["unresolved_complaint"] == expected).all()
    wait = (
        t["first_response_at"].where(t["first_response_at"] < t["mark"], t["mark"])
        - t["created_at"]
    )
    median_h = (wait.dt.total_seconds() / 3600).groupby(t["customer_id"]).median()
    slow = kept["customer_id"].map(median_h).fillna(0) > 24
    assert (landmark_5k["slow_first_response"] == slow.astype(int)).all()


def _churn_causes_complaints(n: int = 6000, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Customers whose complaint is a *consequence* of leaving: in the 30 days before churn.

    The complaint has no effect on the hazard (true HR 1); APP binding has a real one (0.6).
    As with the inactivity definition (no churn dated before day 180), nobody leaves before
    day 180, so the decline starts after the landmark; the hazard after day 180 is constant.
    """
    rng = np.random.default_rng(seed)
    app = rng.random(n) < 0.45
    life = 180 + rng.exponential(400 / np.log(2) / np.where(app, 0.6, 1.0))
    follow = rng.uniform(200, 1000, n)  # administrative censoring
    event = life <= follow
    duration = np.minimum(life, follow)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    ids = [f"S{i:05d}" for i in range(n)]
    # churners complain while they drift away (60%), everyone else rarely (5%, at any time)
    late = event & (rng.random(n) < 0.6)
    background = rng.random(n) < 0.05
    when = np.where(late, life - rng.uniform(0, 30, n), rng.uniform(0, duration))
    has = late | background
    tickets = pd.DataFrame(
        {
            "customer_id": np.asarray(ids)[has],
            "created_at": (start + pd.to_timedelta(when, unit="D"))[has],
            "category": "complaint",
            "resolved_at": pd.NaT,
            "first_response_at": (start + pd.to_timedelta(when + 0.1, unit="D"))[has],
        }
    )
    surv = pd.DataFrame(
        {
            "customer_id": ids,
            "start_date": start,
            "duration_days": duration,
            "event": event.astype(int),
            "app_bound": app.astype(int),
            "unresolved_complaint": has.astype(int),  # counted over the whole history
        }
    )
    return surv, tickets


def test_landmark_design_removes_the_reverse_causation_the_lifetime_design_finds():
    surv, tickets = _churn_causes_complaints()
    columns = ["unresolved_complaint", "app_bound"]
    lifetime = churn.ChurnModel(columns, protect=columns).fit(surv)
    hr = lifetime.hazard_ratios().set_index("covariate")
    # the whole-history flag: churn made the complaints, the model reports a large "effect"
    assert hr.loc["unresolved_complaint", "hr_low"] > 2.0
    lm = churn.landmark_data(surv, tickets, landmark_days=LANDMARK_DAYS)
    landmark = churn.ChurnModel(columns, protect=columns, landmark_days=LANDMARK_DAYS).fit(lm)
    hr = landmark.hazard_ratios().set_index("covariate")
    low, high = hr.loc["unresolved_complaint", ["hr_low", "hr_high"]]
    assert low <= 1.0 <= high, (low, high)  # truth: no effect
    low, high = hr.loc["app_bound", ["hr_low", "hr_high"]]
    assert low <= 0.6 <= high, (low, high)  # the real effect is still recovered
    # the notes state the design and that hazard ratios are associations
    text = " ".join(landmark.notes())
    assert "Landmark design" in text and "associations" in text
    assert f"{lm.attrs['landmark']['n_in']:,} customers" in text


def test_small_survival_groups_are_defined_by_churn_events():
    rng = np.random.default_rng(3)
    n = 400
    group = np.where(np.arange(n) < 300, "big", "few events")
    event = np.where(group == "big", rng.random(n) < 0.5, np.arange(n) < 325)  # 25 events
    frame = pd.DataFrame(
        {"duration_days": rng.uniform(10, 500, n), "event": event.astype(int), "g": group}
    )
    km = churn.km_by_group(frame, "g")
    small = km.table.set_index("group")["small"]
    assert int(frame.loc[frame["g"] == "few events", "event"].sum()) == 25
    assert small.to_dict() == {"big": False, "few events": True}  # 100 customers, 25 events
    text = churn.km_text(km, "en", churn.pairwise_logrank(frame, "g", exclude=["few events"]))
    assert "fewer than 30 churn events are flagged and not compared: few events" in text
    zh = churn.km_text(km, "zh")
    assert "流失事件少于 30 个的组" in zh


def test_first_order_band_from_the_first_order_day(surv_5k, demo_5k_artifacts):
    orders = read_clean_tables(demo_5k_artifacts)["orders"]
    first_day = orders.groupby("customer_id")["order_date"].transform("min").dt.normalize()
    on_first = orders["order_date"].dt.normalize() == first_day
    value = orders[on_first].groupby("customer_id")["amount"].sum()
    expected = surv_5k["customer_id"].map(value)
    np.testing.assert_allclose(surv_5k["first_order_value"], expected)
    # three equal-count bands: each holds about a third of the customers
    shares = surv_5k["first_order_band"].value_counts(normalize=True)
    assert len(shares) == 3 and (shares - 1 / 3).abs().max() < 0.03
    assert set(churn.FIXED_GROUPS) <= set(surv_5k.columns)


def test_held_out_concordance_above_065(model_5k, surv_5k):
    folds, predictions = model_5k.cross_validate(surv_5k, folds=5, at_days=365)
    assert folds["concordance"].mean() > 0.65
    assert len(predictions) == model_5k.n_fit_
    calibration = churn.calibration_table(predictions, 365)
    # predicted vs observed one-year churn by decile: within 8 points everywhere
    assert (calibration["predicted"] - calibration["observed"]).abs().max() < 0.08


def test_whole_history_order_count_is_a_post_outcome_covariate(surv_5k, truth_5k):
    """Why the model uses the early-life rate: lifetime order counts distort the planted effects."""
    leaky = surv_5k.assign(
        log_orders_per_year=np.log(
            surv_5k["n_orders"] / surv_5k["customer_age_days"].clip(lower=30) * 365
        )
    )
    columns = ["unresolved_complaint", "slow_first_response", "app_bound", "log_orders_per_year"]
    fit = CoxPHFitter().fit(leaky[[*columns, "duration_days", "event"]], "duration_days", "event")
    true = truth_5k["churn"]["hazard_ratios"]["unresolved_complaint"]
    assert fit.summary.loc["unresolved_complaint", "exp(coef) upper 95%"] < true


# --------------------------------------------------------------------------- equal to lifelines


def test_cox_wrapper_equals_lifelines_on_rossi(rossi):
    model = churn.ChurnModel(ROSSI_COVARIATES, protect=ROSSI_COVARIATES).fit(rossi)
    direct = CoxPHFitter().fit(rossi, "week" if "week" in rossi else "duration_days", "event")
    ours = model.hazard_ratios().set_index("covariate")["hr"]
    np.testing.assert_allclose(ours[ROSSI_COVARIATES], direct.hazard_ratios_[ROSSI_COVARIATES])
    assert model.penalizer_ == 0.0
    # lifelines' own test flags age and wexp (rank transform), as in its documentation
    failing = set(model.ph_test_.loc[model.ph_test_["p"] < 0.05, "covariate"])
    assert {"age", "wexp"} <= failing


def test_stratified_fit_equals_lifelines_with_the_same_strata(rossi):
    model = churn.ChurnModel(ROSSI_COVARIATES, protect=("fin",), max_strata=1).fit(rossi)
    assert model.strata_sources_ == ["age"]  # the strongest PH violation, in quartile bands
    edges = np.quantile(rossi["age"], [0.25, 0.5, 0.75])
    banded = rossi.assign(age_band=np.searchsorted(edges, rossi["age"], side="right"))
    direct = CoxPHFitter().fit(
        banded.drop(columns="age"), "duration_days", "event", strata=["age_band"]
    )
    ours = model.hazard_ratios().set_index("covariate")["hr"]
    np.testing.assert_allclose(ours.sort_index(), direct.hazard_ratios_.sort_index())
    assert any("stratified" in note for note in model.notes())


def test_the_model_holds_no_language_and_words_its_notes_when_asked(rossi):
    model = churn.ChurnModel(ROSSI_COVARIATES, protect=("fin",), max_strata=1).fit(rossi)
    assert not hasattr(model, "lang")
    en, zh = model.notes("en"), model.notes(lang="zh")
    assert len(en) == len(zh) and en != zh
    assert model.notes() == en  # English by default
    assert any("分层" in note for note in zh), zh
    design = model.design_.notes
    assert en[: len(design)] == [n.text("en") for n in design]
    assert zh[: len(design)] == [n.text("zh") for n in design]
    hr_en, hr_zh = model.hazard_ratios("en"), model.hazard_ratios(lang="zh")
    assert hr_en.drop(columns="label").equals(hr_zh.drop(columns="label"))
    assert list(hr_zh["label"]) == [churn.label(c, "zh") for c in hr_zh["covariate"]]


def test_large_fits_sample_rows_and_the_ph_check_and_say_so(rossi):
    model = churn.ChurnModel(
        ROSSI_COVARIATES, protect=ROSSI_COVARIATES, max_fit_rows=1001, ph_max_rows=300
    )
    big = pd.concat([rossi] * 3, ignore_index=True)
    model.fit(big)
    assert (model.n_total_, model.n_fit_, model.n_ph_) == (1296, 1001, 300)
    # the sample keeps the event share (stratified by churn status)
    assert model.data_["event"].mean() == pytest.approx(big["event"].mean(), abs=0.002)
    notes = " ".join(model.notes())
    assert "random sample of **1,001** of 1,296 customers" in notes
    assert "random sample of 300 of the fitted customers" in notes


def test_kaplan_meier_equals_lifelines_on_waltons():
    w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    km = churn.km_by_group(w, "group", times=(30, 60))
    for group, part in w.groupby("group"):
        kmf = KaplanMeierFitter().fit(part["duration_days"], part["event"])
        row = km.table.set_index("group").loc[group]
        assert row["median_days"] == kmf.median_survival_time_
        assert row["survival_30d"] == pytest.approx(kmf.predict(30))
    tests = churn.pairwise_logrank(w, "group")
    a, b = (w[w["group"] == g] for g in ("control", "miR-137"))
    direct = logrank_test(a["duration_days"], b["duration_days"], a["event"], b["event"])
    assert tests["p"].iloc[0] == pytest.approx(direct.p_value)


def test_kaplan_meier_against_a_hand_product_limit(surv_5k):
    km = churn.km_by_group(surv_5k, times=(90, 365))
    t = surv_5k["duration_days"].to_numpy()
    e = surv_5k["event"].to_numpy()
    s = 1.0
    for time in np.unique(t[(e == 1) & (t <= 365)]):
        at_risk = (t >= time).sum()
        deaths = ((t == time) & (e == 1)).sum()
        s *= 1 - deaths / at_risk
    assert km.table.loc[0, "survival_365d"] == pytest.approx(s, rel=1e-12)
    assert km.table.loc[0, "survival_365d_low"] < s < km.table.loc[0, "survival_365d_high"]
    # inactivity churn cannot be dated before the window
    assert km.table.loc[0, "survival_90d"] == 1.0


def test_holm_correction_matches_a_hand_computation(surv_5k):
    tests = churn.pairwise_logrank(surv_5k, "acquisition_channel", exclude=["unknown"])
    p = tests["p"].to_numpy()
    order = np.argsort(p)
    m = len(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order]).clip(max=1)
    expected = np.empty(m)
    expected[order] = adjusted
    np.testing.assert_allclose(tests["p_holm"], expected)
    assert len(tests) == 10  # five channels, "unknown" left out


# --------------------------------------------------------------------------- design guards


def test_cox_design_drops_constant_and_collinear_columns_and_states_the_baseline():
    frame = pd.DataFrame(
        {
            "x": [0.0, 1.0] * 50,
            "x_copy": [0.0, 1.0] * 50,
            "flat": [3.0] * 100,
            "channel": ["web"] * 60 + ["store"] * 35 + ["fax"] * 5,
        }
    )
    design = churn.cox_design(frame, ["x", "x_copy", "flat", "channel", "nowhere"], min_level_n=10)
    assert list(design.X.columns) == ["x", "channel=store"]
    assert design.baselines == {"channel": "web"}
    assert all(isinstance(n, churn.DesignNote) for n in design.notes)  # facts, not sentences
    text = "\n".join(design.note_texts("en"))
    assert "`flat` has the same value for everyone and was dropped" in text
    assert "`x_copy` was dropped: it is almost a copy of `x`" in text
    assert "`nowhere` is not in the data" in text
    assert "with **web** as the baseline" in text


def test_exact_linear_dependence_is_dropped():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=200), rng.normal(size=200)
    frame = pd.DataFrame({"a": a, "b": b, "total": a + b})
    design = churn.cox_design(frame, ["a", "b", "total"])
    assert list(design.X.columns) == ["a", "b"]
    assert any("linear combination" in n for n in design.note_texts())
    assert [n.key for n in design.notes] == ["survival.churn.design.dependent"]


def test_too_few_events_is_a_clear_error():
    frame = pd.DataFrame({"duration_days": [1.0] * 30, "event": [0] * 29 + [1], "x": [0, 1] * 15})
    with pytest.raises(DataError, match="too few customers .* or churn events") as err:
        churn.ChurnModel(["x"]).fit(frame)
    # the model names what it was given, not an artifact file (the chapter knows the file)
    assert str(err.value).startswith("the survival table, column 'event': too few customers (30)")
    assert ".parquet" not in str(err.value)


def test_contractual_definition_needs_churned_at_and_uses_it():
    features = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "signup_date": pd.to_datetime(["2025-01-01", "2025-03-01"]),
            "first_purchase": pd.to_datetime(["2025-01-02", "2025-03-02"]),
        }
    )
    with pytest.raises(DataError, match="no churned_at column"):
        churn.survival_data(features, "2025Q4", ChurnConfig(definition="contractual"))
    features["churned_at"] = pd.to_datetime(["2025-07-01", None])
    surv = churn.survival_data(features, "2025Q4", ChurnConfig(definition="contractual"))
    assert surv["event"].tolist() == [1, 0]
    assert surv["duration_days"].tolist() == [181.0, 305.0]


def test_period_churn_rate_against_pandas(surv_5k):
    rate = churn.period_churn_rate(surv_5k, "2025Q4")
    churn_day = surv_5k["first_purchase"] + pd.to_timedelta(surv_5k["duration_days"], unit="D")
    churned_when = churn_day.where(surv_5k["event"] == 1)
    start, end = pd.Timestamp("2025-10-01"), pd.Timestamp("2026-01-01")
    active = (surv_5k["first_purchase"] < start) & ~(churned_when < start)
    k = (active & (churned_when >= start) & (churned_when < end)).sum()
    assert (rate["n"], rate["churned"]) == (active.sum(), k)
    assert rate["low"] < rate["rate"] < rate["high"]


# --------------------------------------------------------------------------- probabilities and value


@pytest.fixture(scope="module")
def rossi_model(rossi) -> churn.ChurnModel:
    return churn.ChurnModel(["fin", "age", "prio"], protect=["fin", "age", "prio"]).fit(rossi)


def test_conditional_churn_probability_from_the_baseline(rossi_model, rossi):
    rows = rossi.iloc[:25]
    got = rossi_model.churn_probability(rows, 10)
    # independent path: S(t | x) = S0(t) ** partial hazard, interpolated like lifelines
    cox = rossi_model.model_
    base = cox.baseline_cumulative_hazard_.iloc[:, 0]
    ph = cox.predict_partial_hazard(rows[["fin", "age", "prio"]]).to_numpy()
    t = rows["duration_days"].to_numpy(dtype=float)
    h0_t = np.interp(t, base.index.values, base.values)
    h0_th = np.interp(t + 10, base.index.values, base.values)
    expected = 1 - np.exp(-(h0_th - h0_t) * ph)
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=1e-10, atol=1e-12)


def test_clv_is_the_discounted_survival_weighted_margin(rossi_model, rossi):
    rows = rossi.iloc[:5].assign(revenue_365d=1200.0, tenure_days=400)
    cfg = ClvConfig(margin=0.5, annual_discount_rate=0.12, horizon_months=6)
    got = clv.clv(rossi_model, rows, cfg)
    for i, (_, row) in enumerate(rows.iterrows()):
        x = row[["fin", "age", "prio"]].to_frame().T.astype(float)
        t = row["duration_days"]
        times = [t] + [t + m * clv.DAYS_PER_MONTH for m in range(1, 7)]
        s = rossi_model.model_.predict_survival_function(x, times=times).iloc[:, 0].to_numpy()
        spend = 1200.0 / 365.0 * clv.DAYS_PER_MONTH
        value = sum(s[m] / s[0] * spend * 0.5 / 1.12 ** (m / 12) for m in range(1, 7))
        assert got["clv"].iloc[i] == pytest.approx(value, rel=1e-9)


def test_value_at_risk_interval_method_and_estimate_inside(rossi_model, rossi):
    """The interval recomputed with lifelines directly: the same customer resamples of the fit
    data (seeded), a refit each, the active customers held fixed; centred on the plug-in."""
    cols = ["fin", "age", "prio"]
    # the customers scored: 150 "active" ones 30 weeks in (rossi's censored are all at 52)
    rows = rossi.iloc[:150].assign(
        duration_days=30.0,
        event=0,
        revenue_365d=900.0,
        tenure_days=300,
        customer_id=lambda f: f.index.astype(str),
    )
    cfg = ClvConfig(margin=0.3, annual_discount_rate=0.1, horizon_months=6)
    h = 10
    got = clv.value_at_risk_interval(rossi_model, rows, h, cfg, n_boot=20)

    def total(fitter: CoxPHFitter) -> tuple[float, float]:
        x = rows[cols].astype(float).reset_index(drop=True)
        t = rows["duration_days"].to_numpy(dtype=float)
        months = np.arange(1, 7) * clv.DAYS_PER_MONTH
        spend = 900.0 / 300.0 * clv.DAYS_PER_MONTH
        var = churners = total_clv = 0.0
        for i in range(len(x)):
            times = np.r_[t[i], t[i] + h, t[i] + months]
            s = fitter.predict_survival_function(x.iloc[[i]], times=times).iloc[:, 0].to_numpy()
            p = 1 - s[1] / s[0]
            value = sum(s[2 + m] / s[0] * spend * 0.3 / 1.1 ** ((m + 1) / 12) for m in range(6))
            var += p * value
            churners += p
            total_clv += value
        return var, churners, total_clv

    data = rossi_model.data_
    plug = CoxPHFitter().fit(data, "duration_days", "event")
    estimate, n_churn, clv_total = total(plug)
    rng = np.random.default_rng(rossi_model.random_state)
    draws = []
    for _ in range(20):
        sample = data.iloc[rng.integers(0, len(data), len(data))].reset_index(drop=True)
        draws.append(total(CoxPHFitter().fit(sample, "duration_days", "event")))
    var_draws = np.array([d[0] for d in draws])
    assert got["n_boot"] == 20 and got["n_active"] == len(rows)
    assert got["var_estimate"] == pytest.approx(estimate, rel=1e-6)
    assert got["churners_estimate"] == pytest.approx(n_churn, rel=1e-6)
    assert got["var_boot_sd"] == pytest.approx(var_draws.std(ddof=1), rel=1e-4)
    assert got["var_boot_median"] == pytest.approx(np.median(var_draws), rel=1e-6)
    assert got["var_low"] == pytest.approx(estimate - 1.96 * var_draws.std(ddof=1), rel=1e-4)
    assert got["var_low"] < got["var_estimate"] < got["var_high"]
    assert got["churners_low"] < got["churners_estimate"] < got["churners_high"]
    clv_draws = np.array([d[2] for d in draws])
    assert got["clv_estimate"] == pytest.approx(clv_total, rel=1e-6)
    assert got["clv_low"] == pytest.approx(clv_total - 1.96 * clv_draws.std(ddof=1), rel=1e-4)
    assert got["clv_low"] < got["clv_estimate"] < got["clv_high"]
    # the estimate is the figure of the scores, and the text states the method
    scores = clv.churn_scores(rossi_model, rows, horizon_days=h, clv_config=cfg)
    assert scores["value_at_risk"].sum() == pytest.approx(got["var_estimate"], rel=1e-9)
    text = clv.clv_text(scores, horizon_days=h, config=cfg, interval=got)
    assert "resampled with replacement 20 times" in text
    assert "held fixed" in text and "bootstrap median" in text
    assert (
        f"95% interval {clv._money(got['clv_low'], '')}–{clv._money(got['clv_high'], '')}" in text
    )
    assert "有放回地重抽样 20 次" in clv.clv_text(
        scores, horizon_days=h, config=cfg, interval=got, lang="zh"
    )


def test_contributions_add_up_to_the_log_partial_hazard(model_5k, surv_5k):
    rows = surv_5k.iloc[:200]
    contributions = model_5k.contributions(rows)
    expected = model_5k.model_.predict_log_partial_hazard(model_5k.frame(rows))
    np.testing.assert_allclose(contributions.sum(axis=1).to_numpy(), expected.to_numpy())


def test_top_drivers_name_the_planted_flags(model_5k, surv_5k):
    rows = surv_5k[
        (surv_5k["unresolved_complaint"] == 1)
        & (surv_5k["slow_first_response"] == 1)
        & (surv_5k["app_bound"] == 0)
    ].head(20)
    drivers = clv.top_drivers(
        model_5k.contributions(rows),
        model_5k.frame(rows)[model_5k.columns_],
        model_5k.hazard_ratios(),
    )
    assert (drivers["top_driver"] == "unresolved_complaint").all()
    assert drivers["drivers"].str.contains("slow first response").all()
    assert drivers["drivers"].str.contains("not APP bound").all()


# --------------------------------------------------------------------------- warnings and the list


def test_early_warning_flags_on_hand_made_cases():
    orders = pd.DataFrame(
        {
            # steady buyer who stopped (drop), silent after repurchase, steady buyer
            "customer_id": ["drop"] * 8 + ["silent"] * 2 + ["steady"] * 6,
            "order_id": [str(i) for i in range(16)],
            "order_date": pd.to_datetime(
                [f"2025-0{m}-10" for m in range(1, 9)]
                + ["2025-03-01", "2025-04-01"]
                + [
                    "2025-06-15",
                    "2025-08-15",
                    "2025-10-15",
                    "2025-11-01",
                    "2025-11-20",
                    "2025-12-05",
                ]
            ),
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": ["t1", "t2", "t3"],
            "customer_id": ["steady", "steady", "drop"],
            "created_at": pd.to_datetime(["2025-11-01", "2025-12-28", "2025-05-01"]),
            "first_response_at": pd.to_datetime(["2025-11-02", None, "2025-05-02"]),
            "resolved_at": pd.to_datetime(["2025-11-20", None, "2025-05-03"]),
            "category": ["Complaint", "complaint", "complaint"],
        }
    )
    touches = pd.DataFrame(
        {
            "touch_id": ["x"],
            "customer_id": ["drop"],
            "sent_at": pd.to_datetime(["2025-09-01"]),
            "channel": ["sms"],
        }
    )
    flags = clv.early_warnings(
        {"orders": orders, "tickets": tickets, "touches": touches}, "2025Q4"
    ).set_index("customer_id")
    # steady: a complaint resolved after 19 days (late); the one 3 days before the end is not yet due
    assert flags.loc["steady", "flag_complaint_no_followup"]
    assert not flags.loc["drop", "flag_complaint_no_followup"]
    assert flags.loc["silent", "flag_silent_after_repurchase"]
    assert not flags.loc["drop", "flag_silent_after_repurchase"]
    assert flags.loc["drop", "flag_frequency_drop"]
    assert not flags.loc["steady", "flag_frequency_drop"]


def test_pseudonymized_priority_list_keeps_the_ids_cleaning_gave(monkeypatch):
    from custops.ingest.privacy import pseudonymize

    raw = pd.Series(["C1", "C2"])
    scores = pd.DataFrame(
        {
            "customer_id": raw,
            "event": [0, 0],
            "churn_prob_90d": [0.1, 0.4],
            "clv": [500.0, 300.0],
            "value_at_risk": [50.0, 120.0],
            "top_driver": ["", "unresolved_complaint"],
            "drivers": ["", "unresolved complaint"],
            "tier": ["B", "C"],
        }
    )
    privacy = PrivacyConfig(pseudonymize_ids=True, id_key_env="CUSTOPS_TEST_KEY")
    # raw ids with pseudonymisation on: the tables skipped cleaning; refuse, never hash here
    with pytest.raises(ConfigError, match="not pseudonyms"):
        clv.priority_list(scores, horizon_days=90, privacy=privacy)
    key = "k3y-k3y-k3y-k3y-k3y"
    cleaned = scores.assign(customer_id=pseudonymize(raw, key))  # as cleaning writes them
    monkeypatch.delenv("CUSTOPS_TEST_KEY", raising=False)  # no key needed: no second hash
    out = clv.priority_list(cleaned, horizon_days=90, privacy=privacy)
    expected = "P" + hmac.new(key.encode(), b"C2", hashlib.sha256).hexdigest()[:16]
    assert out["customer"].tolist() == [expected, cleaned["customer_id"].iloc[0]]
    assert "C1" not in out.to_csv() and "C2" not in out.to_csv()
    assert out["playbook"].iloc[0].startswith("First close the open complaint")


def _priority_texts_reference(scores: pd.DataFrame, lang: str) -> tuple[list, list]:
    """Warnings and playbooks row by row, as priority_list built them before (iterrows)."""
    active = scores[scores["event"] == 0].sort_values(
        ["value_at_risk", "customer_id"], ascending=[False, True]
    )
    flags = active[[f for f in clv.FLAGS if f in active]]
    warn = [
        "; ".join(t(f"survival.clv.flag.{f}", lang) for f in flags.columns if row[f])
        for _, row in flags.iterrows()
    ]
    group = active["segment"].fillna(active["tier"])
    plays = []
    for i, (g, d) in enumerate(zip(group, active["top_driver"].fillna(""), strict=True)):
        for f in (
            "flag_complaint_no_followup",
            "flag_frequency_drop",
            "flag_silent_after_repurchase",
        ):
            if d == "" and flags[f].iloc[i]:
                d = f
        one = clv.playbook(pd.Series([g]), pd.Series([d]), lang=lang).iloc[0]
        plays.append(one)
    return warn, plays


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_priority_list_texts_equal_a_row_by_row_recount(lang: str) -> None:
    rng = np.random.default_rng(5)
    n = 400
    segments = np.array(
        ["Champions", "At Risk", "Hibernating", None, "new customers"], dtype=object
    )
    scores = pd.DataFrame(
        {
            "customer_id": [f"C{i:04d}" for i in range(n)],
            "event": rng.integers(0, 2, n) * (rng.random(n) < 0.3),
            "churn_prob_90d": rng.random(n),
            "clv": rng.gamma(2, 100, n),
            "top_driver": rng.choice(["", "unresolved_complaint", "app_bound", "x"], n),
            "drivers": "",
            "tier": rng.choice(["A", "B", "C", "D"], n),
            "segment": segments[rng.integers(0, len(segments), n)],
            **{f: rng.random(n) < 0.3 for f in clv.FLAGS},
        }
    )
    scores["value_at_risk"] = scores["churn_prob_90d"] * scores["clv"]
    out = clv.priority_list(scores, horizon_days=90, lang=lang)
    warn, plays = _priority_texts_reference(scores, lang)
    assert out["warnings"].tolist() == warn
    assert out["playbook"].tolist() == plays
    assert out["warnings"].str.contains("; ").any() and out["warnings"].eq("").any()
    assert out["playbook"].nunique() > 5


def test_the_chapter_names_the_customer_view_file_the_survival_table_lacks(
    small_demo: Path, small_artifacts: Path, monkeypatch: pytest.MonkeyPatch
):
    from custops.chapters import churn as chapter
    from custops.chapters.collection import CUSTOMER_FEATURES
    from custops.report import notebook as nb

    features = read_artifact(small_artifacts, CUSTOMER_FEATURES).drop(columns="duration_days")
    with pytest.raises(DataError, match="the survival columns are missing") as err:
        churn.survival_data(features, "2025Q4", ChurnConfig())
    assert str(err.value).startswith("the customer view, column 'duration_days': ")
    read = chapter.read_artifact
    monkeypatch.setattr(
        chapter,
        "read_artifact",
        lambda folder, name: features if name == CUSTOMER_FEATURES else read(folder, name),
    )
    ctx = nb.start(small_demo, "2025Q4", small_artifacts.parents[1])
    with pytest.raises(DataError, match="the survival columns are missing") as err:
        chapter.load(ctx)
    assert str(err.value).startswith(
        "customer_features.parquet, column 'duration_days': the survival columns are missing"
    )
    assert "notebook 01" in str(err.value)  # the fix is kept


# --------------------------------------------------------------------------- the notebook


@pytest.mark.slow
def test_notebook_03_executes_and_writes_scores_and_the_priority_list(
    small_demo: Path, small_artifacts: Path, tmp_path: Path
):
    import shutil

    build = tmp_path / "build"
    shutil.copytree(small_artifacts, build / "2025Q4" / "artifacts")
    out = tmp_path / "03.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "03_churn_survival.ipynb"),
        str(out),
        parameters={
            "period": "2025Q4",
            "config": str(small_demo),
            "build_dir": str(build),
            "n_boot": 3,
        },
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
    )
    folder = build / "2025Q4" / "artifacts"
    scores = pd.read_parquet(folder / "churn_scores.parquet")
    priority = pd.read_csv(folder / "retention_priority.csv")
    for column in (
        "customer_id",
        "duration_days",
        "event",
        "churn_prob_90d",
        "clv",
        "value_at_risk",
        "partial_hazard",
        *clv.FLAGS,
    ):
        assert column in scores, column
    active = scores[scores["event"] == 0]
    assert active["churn_prob_90d"].between(0, 1).all()
    assert (active["clv"] >= 0).all()
    np.testing.assert_allclose(active["value_at_risk"], active["churn_prob_90d"] * active["clv"])
    assert scores.loc[scores["event"] == 1, "clv"].isna().all()
    assert len(priority) == len(active)
    assert priority["value_at_risk"].is_monotonic_decreasing
    assert priority["rank"].tolist() == list(range(1, len(priority) + 1))
    # no personal data in the list
    raw = pd.read_csv(small_demo.parent / "crm_customers.csv", encoding="gb18030", dtype=str)
    text = priority.to_csv(index=False) + out.read_text(encoding="utf-8")
    for value in raw["手机"].head(100).tolist() + raw["姓名"].head(100).tolist():
        assert value not in text
    executed = out.read_text(encoding="utf-8")
    assert "Traceback" not in executed and "Warning" not in executed
    for key in (
        "churn_period_rate",
        "churn_median_days",
        "churn_hr_unresolved",
        "churn_hr_slow",
        "churn_hr_app",
        "churn_concordance",
        "churn_value_at_risk_total",
        "churn_health_red_share",
        "churn_quiet_after_repurchase_share",
    ):
        assert f'"name": "{key}"' in executed, key


def test_early_warning_order_flags_match_a_groupby_recount(small_artifacts: Path) -> None:
    tables = read_clean_tables(small_artifacts)
    flags = clv.early_warnings(tables, "2025Q4", recent_days=90).set_index("customer_id")
    # recount with plain pandas groupbys (the integer-code path is what early_warnings uses)
    end = pd.Timestamp("2026-01-01")
    o = tables["orders"][tables["orders"]["order_date"] < end]
    o = o.assign(day=o["order_date"].dt.normalize())
    per_order = o.drop_duplicates(["customer_id", "order_id"])
    cut, before = end - pd.Timedelta(days=90), end - pd.Timedelta(days=455)
    recent = per_order[per_order["day"] >= cut].groupby("customer_id").size()
    prior = per_order[(per_order["day"] >= before) & (per_order["day"] < cut)]
    prior = prior.groupby("customer_id").size().reindex(flags.index, fill_value=0)
    expected = prior * 90 / 365.0
    want = (expected >= 1.0) & (recent.reindex(flags.index, fill_value=0) <= 0.5 * expected)
    assert want.sum() > 10
    pd.testing.assert_series_equal(flags["flag_frequency_drop"], want, check_names=False)
    days = o.drop_duplicates(["customer_id", "day"]).sort_values(["customer_id", "day"])
    second = days.groupby("customer_id")["day"].nth(1).groupby(days["customer_id"]).first()
    silent = flags.index[flags["flag_silent_after_repurchase"]]
    assert len(silent) > 0
    last = days.groupby("customer_id")["day"].max()
    # a silent customer repurchased at least 30 days before the end and ordered nothing after
    assert (second.reindex(silent) <= end - pd.Timedelta(days=30)).all()
    assert (last.reindex(silent) <= second.reindex(silent)).all()


def reference_early_warnings(
    tables: Mapping[str, pd.DataFrame],
    period: str,
    *,
    contact_within_days: int = 7,
    silent_min_days: int = 30,
    recent_days: int = 90,
    drop_ratio: float = 0.5,
    min_expected_orders: float = 1.0,
) -> pd.DataFrame:
    """The three flags from their definitions, customer by customer in plain Python (dicts and
    sorted lists, no groupby, nothing of custops but ``Period``): an independent oracle."""
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    days: dict = {}  # customer -> distinct order days before the end (first-seen order)
    order_day: dict = {}  # (customer, order) -> the day of its first line
    for cid, oid, when in zip(
        tables["orders"]["customer_id"],
        tables["orders"]["order_id"],
        tables["orders"]["order_date"],
        strict=True,
    ):
        if pd.isna(when) or not when < end:
            continue
        day = pd.Timestamp(when).normalize()
        days.setdefault(cid, set()).add(day)
        order_day.setdefault((cid, oid), day)
    late: set = set()
    other: dict = {}  # customer -> latest reply or touch before the end
    tickets = tables.get("tickets")
    if tickets is not None:
        for row in tickets.to_dict("records"):
            created = row["created_at"]
            if pd.isna(created) or not created < end:
                continue
            due = created + pd.Timedelta(days=contact_within_days)
            category = str(row.get("category") or "").lower()
            resolved = row.get("resolved_at", pd.NaT)
            complaint = "complain" in category or "投诉" in category
            if complaint and due < end and (pd.isna(resolved) or resolved > due):
                late.add(row["customer_id"])
            reply = row.get("first_response_at", pd.NaT)
            if not pd.isna(reply) and reply < end:
                other[row["customer_id"]] = max(other.get(row["customer_id"], reply), reply)
    touches = tables.get("touches")
    if touches is not None:
        for cid, sent in zip(touches["customer_id"], touches["sent_at"], strict=True):
            if not pd.isna(sent) and sent < end:
                other[cid] = max(other.get(cid, sent), sent)
    recent_cut = end - pd.Timedelta(days=recent_days)
    prior_cut = recent_cut - pd.Timedelta(days=365)
    recent: dict = {}
    prior: dict = {}
    for (cid, _), day in order_day.items():
        if day >= recent_cut:
            recent[cid] = recent.get(cid, 0) + 1
        elif day >= prior_cut:
            prior[cid] = prior.get(cid, 0) + 1
    rows = []
    for cid, seen in days.items():
        d = sorted(seen)
        silent = (
            len(d) == 2  # a repurchase and no order after it
            and d[1] <= end - pd.Timedelta(days=silent_min_days)
            and (cid not in other or other[cid].normalize() <= d[1])
        )
        expected = prior.get(cid, 0) * recent_days / 365.0
        drop = expected >= min_expected_orders and recent.get(cid, 0) <= drop_ratio * expected
        rows.append((cid, cid in late, silent, drop))
    return pd.DataFrame(rows, columns=["customer_id", *clv.FLAGS])


@pytest.mark.parametrize("period", ["2025Q2", "2025Q3", "2025Q4"])
def test_early_warnings_match_their_definition(small_artifacts: Path, period: str) -> None:
    from custops.core.index import OrderIndex

    tables = read_clean_tables(small_artifacts)
    got = clv.early_warnings(tables, period, contact_within_days=7)
    want = reference_early_warnings(tables, period, contact_within_days=7)
    pd.testing.assert_frame_equal(got, want)
    ix = OrderIndex.from_orders(tables["orders"])  # the index a notebook passes
    pd.testing.assert_frame_equal(
        clv.early_warnings(tables, period, contact_within_days=7, index=ix), want
    )
    assert got[list(clv.FLAGS)].sum().gt(0).all()
    # order lines (a second line for every fifth order) and rows after the period end
    o = tables["orders"]
    lines = dict(tables, orders=pd.concat([o, o.iloc[::5]], ignore_index=True))
    pd.testing.assert_frame_equal(
        clv.early_warnings(lines, period, recent_days=60),
        reference_early_warnings(lines, period, recent_days=60),
    )
    heads = dict(tables, orders=o.drop_duplicates("order_id"))  # one row per order
    assert heads["orders"]["order_id"].is_unique
    pd.testing.assert_frame_equal(
        clv.early_warnings(heads, period), reference_early_warnings(heads, period)
    )


def _early_days_reference(surv: pd.DataFrame, orders: pd.DataFrame, early_days: int) -> pd.Series:
    """Distinct purchase days in the early window, with the isin/map/groupby add_covariates had."""
    start = surv.set_index("customer_id")["start_date"]
    o = orders[["customer_id", "order_date"]].copy()
    o = o[o["customer_id"].isin(start.index)]
    day = pd.to_datetime(o["order_date"]).dt.normalize()
    offset = (day - o["customer_id"].map(start).dt.normalize()).dt.days
    o = o.assign(day=day)[(offset > 0) & (offset <= early_days)]
    repeats = o.groupby("customer_id")["day"].nunique()
    return surv["customer_id"].map(repeats).fillna(0).astype(float)


@pytest.mark.parametrize("early_days", [30, 90])
def test_early_order_rate_equals_a_groupby_recount(small_artifacts: Path, early_days: int) -> None:
    from custops.core.index import OrderIndex

    tables = read_clean_tables(small_artifacts)
    features = read_artifact(small_artifacts, "customer_features.parquet")
    surv = churn.survival_data(features, "2025Q4")
    surv.loc[surv.index[:5], "start_date"] = pd.NaT  # no start: no early orders
    ix = OrderIndex.from_orders(tables["orders"])
    got = churn.add_covariates(surv, tables["orders"], early_days=early_days, index=ix)
    count = _early_days_reference(surv, tables["orders"], early_days)
    window = surv["tenure_days"].astype(float).clip(lower=30, upper=early_days)
    want = np.log1p(count / window * 365.0)
    assert (count > 1).sum() > 50 and (count == 0).sum() > 50
    np.testing.assert_array_equal(got["log_early_orders_per_year"].to_numpy(), want.to_numpy())


def test_read_tables_leaves_out_only_unused_columns_and_changes_no_result(
    small_artifacts: Path,
) -> None:
    from custops.survival import health, paths

    full = read_clean_tables(small_artifacts)
    from custops.chapters.churn import read_tables

    slim = read_tables(small_artifacts)
    assert set(slim) == set(full)
    dropped = 0
    for name, frame in full.items():
        skip = [c for c in churn.UNUSED_COLUMNS.get(name, ()) if c in frame]
        dropped += len(skip)
        pd.testing.assert_frame_equal(slim[name], frame.drop(columns=skip))
    assert dropped >= 8  # the demo has most of the unused columns: the test drops something
    period = "2025Q4"
    pd.testing.assert_frame_equal(
        clv.early_warnings(slim, period), clv.early_warnings(full, period)
    )
    for as_of in ("2025-09-30", "2025-12-31"):
        pd.testing.assert_frame_equal(
            health.health_scores(slim, as_of, "learned"),
            health.health_scores(full, as_of, "learned"),
        )
    pd.testing.assert_frame_equal(
        health.band_history(slim, period, months=3), health.band_history(full, period, months=3)
    )
    s_slim, s_full = paths.event_stream(slim, period), paths.event_stream(full, period)
    pd.testing.assert_frame_equal(s_slim, s_full)
    pd.testing.assert_frame_equal(
        paths.step_matrix(s_slim, paths.outcomes(s_slim, period)),
        paths.step_matrix(s_full, paths.outcomes(s_full, period)),
    )


def test_read_tables_without_orders_raises(tmp_path: Path) -> None:
    from custops.chapters.churn import read_tables
    from custops.core.errors import CustopsError

    with pytest.raises(CustopsError, match="No clean tables"):
        read_tables(tmp_path)


def test_service_issue_curves_are_a_landmark_analysis():
    from types import SimpleNamespace

    from custops.core.config import NpsConfig

    surv, tickets = _churn_causes_complaints(n=400)
    surv = surv.drop(columns=["unresolved_complaint"])
    ctx = SimpleNamespace(
        cfg=SimpleNamespace(churn=ChurnConfig(landmark_days=90), nps=NpsConfig()), language="en"
    )
    rows = churn.landmark_groups(ctx, surv, {"tickets": tickets})
    # only customers still there on day 90, time counted from it, groups from tickets before it
    kept = surv[surv["duration_days"] > 90]
    assert rows.index.equals(kept.index)
    np.testing.assert_allclose(rows["duration_days"], kept["duration_days"] - 90)
    mark = kept.set_index("customer_id")["start_date"] + pd.Timedelta(days=90)
    early = tickets[tickets["created_at"] < tickets["customer_id"].map(mark)]
    expected = np.where(
        kept["customer_id"].isin(early["customer_id"]), "unresolved complaint", "neither"
    )
    assert (rows["service_issue"].to_numpy() == expected).all()


def test_early_warnings_on_a_hand_worked_example() -> None:
    # a: complaint on Nov 1 resolved exactly 7 days later (in time); b: complaint on Nov 1
    # resolved after 8 days (late); both repurchased on Oct 1 and heard nothing since except
    # a's reply on Oct 1 (same day: not after) and b's touch on Oct 2 (after: not silent)
    o = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b"],
            "order_id": ["1", "2", "3", "4"],
            "order_date": pd.to_datetime(["2025-09-01", "2025-10-01", "2025-09-01", "2025-10-01"]),
        }
    )
    t = pd.DataFrame(
        {
            "customer_id": ["a", "b", "a"],
            "created_at": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-09-30"]),
            "first_response_at": [pd.NaT, pd.NaT, pd.Timestamp("2025-10-01 18:00")],
            "resolved_at": pd.to_datetime(["2025-11-08", "2025-11-09", "2025-09-30"]),
            "category": ["Complaint", "投诉", "billing"],
        }
    )
    touches = pd.DataFrame({"customer_id": ["b"], "sent_at": pd.to_datetime(["2025-10-02"])})
    flags = clv.early_warnings({"orders": o, "tickets": t, "touches": touches}, "2025Q4")
    flags = flags.set_index("customer_id")
    assert flags["flag_complaint_no_followup"].to_dict() == {"a": False, "b": True}
    assert flags["flag_silent_after_repurchase"].to_dict() == {"a": True, "b": False}


# --------------------------------------------------------------------------- plots only draw


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_churn_plots_draw_into_a_given_axes_and_return_it(lang: str) -> None:
    import matplotlib.pyplot as plt

    from custops.report.plots import takeaway

    w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    km = churn.km_by_group(w, "group", times=(30,), min_events=5)
    curves = churn.shown_curves(km.curves, ["miR-137"])
    assert set(curves["group"]) == {"control"}  # the excluded group is not drawn
    hr = pd.DataFrame(
        {"label": ["a", "b"], "hr": [0.6, 1.3], "hr_low": [0.5, 0.9], "hr_high": [0.72, 1.9]}
    )
    cal = pd.DataFrame(
        {
            "predicted": [0.1, 0.3],
            "observed": [0.12, 0.25],
            "observed_low": [0.05, 0.2],
            "observed_high": [0.2, 0.3],
        }
    )
    var = pd.DataFrame({"tier": ["A", "B", "C"], "value_at_risk": [300.0, 200.0, 100.0]})
    fig, axes = plt.subplots(2, 2)
    drawn = [
        churn.plot_km(curves, title="km", takeaway="caption.", ax=axes[0, 0]),
        churn.plot_forest(hr, title="hr", ax=axes[0, 1]),
        churn.plot_calibration(cal, title="cal", ax=axes[1, 0]),
        clv.plot_value_at_risk(var, "tier", title="var", currency="CNY", ax=axes[1, 1]),
    ]
    assert all(got is ax for got, ax in zip(drawn, axes.ravel(), strict=True))
    assert [ax.get_title() for ax in axes.ravel()] == ["km", "hr", "cal", "var"]
    assert len(axes[0, 0].get_lines()) == 1  # one group's step curve
    assert len(axes[0, 1].collections) == 1  # the point estimates
    assert len(axes[1, 1].patches) == 3
    assert [x.get_text() for x in axes[1, 1].texts] == ["300", "200", "100"]  # bar labels
    assert takeaway(fig) == "caption."
    plt.close(fig)
    # the takeaways are computed from the same tables, outside the plots
    gap = 100 * np.mean(np.abs(cal["predicted"] - cal["observed"]))
    assert churn.calibration_takeaway(cal, "en") == (
        f"Predicted churn is {gap:.1f} points from the observed churn on average over the 2 deciles."
    )
    assert churn.forest_takeaway(hr, lang) == t(
        "figure.forest", lang, label="a", hr=0.6, low=0.5, high=0.72
    )
