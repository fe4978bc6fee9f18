"""BTYD models: published CDNOW estimates, parameter recovery, P(alive), CLV intervals, holdout."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from custops.survival.btyd import (
    BetaGeoFitter,
    GammaGammaFitter,
    ParetoNBDFitter,
    btyd_summary,
    customer_value,
    independence_check,
)
from custops.survival.btyd.holdout import holdout_validation

CAL_END = "1997-09-30"
HOLDOUT_END = "1998-06-30"


def _cdnow_raw(real_data: Path) -> pd.DataFrame:
    raw = pd.read_csv(
        real_data / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer_id", "customer_index", "date", "number_of_cds", "dollar_value"],
        dtype={"customer_id": str, "date": str},
    )
    return raw


@pytest.fixture(scope="module")
def cdnow_orders(real_data: Path) -> pd.DataFrame:
    raw = _cdnow_raw(real_data)
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"],
            "order_id": np.arange(len(raw)).astype(str),
            "order_date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype(float),
        }
    )


@pytest.fixture(scope="module")
def cdnow(cdnow_orders: pd.DataFrame) -> pd.DataFrame:
    return btyd_summary(cdnow_orders, CAL_END)


@pytest.fixture(scope="module")
def bg(cdnow: pd.DataFrame) -> BetaGeoFitter:
    return BetaGeoFitter().fit(cdnow)


@pytest.fixture(scope="module")
def gg(cdnow: pd.DataFrame) -> GammaGammaFitter:
    return GammaGammaFitter().fit(cdnow)


# --------------------------------------------------------------------------- CDNOW, published


def test_cdnow_summary_matches_the_published_summary(cdnow, real_data):
    published = pd.read_csv(real_data / "cdnow_customers_summary.csv")
    raw = _cdnow_raw(real_data)
    index = raw.drop_duplicates("customer_id").set_index("customer_id")["customer_index"]
    ours = cdnow.assign(ID=cdnow["customer_id"].map(index)).merge(
        published, on="ID", suffixes=("", "_pub")
    )
    assert len(ours) == len(published) == 2357
    assert (ours["frequency"] == ours["frequency_pub"]).all()
    # the published file rounds weeks to 2 decimals
    assert (ours["recency"] - ours["recency_pub"]).abs().max() < 0.0051
    assert (ours["T"] - ours["T_pub"]).abs().max() < 0.0051


def test_summary_from_order_heads_equals_the_engine_and_the_published_summary(
    cdnow_orders, cdnow, real_data
):
    """The numpy summary of the index's heads is the engine's summary (CDNOW, one row per
    transaction), and reproduces the published frequency/recency/T."""
    from custops.core.index import OrderIndex
    from custops.survival.btyd.summary import summary_from_heads

    index = OrderIndex.from_orders(cdnow_orders)
    assert index.one_row_per_order
    ours = summary_from_heads(index.heads, CAL_END)
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True),
        cdnow.reset_index(drop=True),
        check_dtype=False,
        rtol=1e-12,
    )
    published = pd.read_csv(real_data / "cdnow_customers_summary.csv")
    assert len(ours) == len(published) == 2357
    # independently: the repeat purchase days' mean revenue of one customer with repeats
    day = cdnow_orders["order_date"].dt.normalize()
    keep = day <= pd.Timestamp(CAL_END)
    one = ours.loc[ours["frequency"] >= 3, "customer_id"].iloc[0]
    mine = cdnow_orders[keep & (cdnow_orders["customer_id"] == one)]
    per_day = mine.groupby(mine["order_date"].dt.normalize())["amount"].sum().sort_index()
    expected = per_day.iloc[1:].mean()
    got = ours.set_index("customer_id").loc[one]
    assert got["frequency"] == len(per_day) - 1
    assert got["monetary_value"] == pytest.approx(expected, abs=1e-6)


def test_bgnbd_reproduces_fader_hardie_lee_2005(bg):
    assert bg.converged_
    assert bg.params_.round(3).to_dict() == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert round(bg.log_likelihood_, 1) == -9582.4
    expected = bg.expected_purchases(39, frequency=[2], recency=[30.43], T=[38.86])
    assert round(float(expected[0]), 3) == 1.226


def test_bgnbd_standard_errors_match_an_independent_hessian(bg, cdnow):
    # the observed information of the natural parameters by finite differences of an
    # independent log-likelihood written here, against the model's delta-method errors
    from scipy.special import betaln, gammaln

    x, tx, T = (cdnow[c].to_numpy() for c in ("frequency", "recency", "T"))

    def ll(theta):
        r, alpha, a, b = theta
        part = betaln(a, b + x) - betaln(a, b) + gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        part -= (r + x) * np.log(alpha + T)
        extra = np.where(
            x > 0, a / (b + np.maximum(x, 1) - 1) * ((alpha + T) / (alpha + tx)) ** (r + x), 0
        )
        return float((part + np.log1p(extra)).sum())

    theta = bg.params_.to_numpy()
    k = len(theta)
    hess = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            hi, hj = 1e-4 * theta[i], 1e-4 * theta[j]
            ei, ej = np.eye(k)[i] * hi, np.eye(k)[j] * hj
            hess[i, j] = (
                ll(theta + ei + ej)
                - ll(theta + ei - ej)
                - ll(theta - ei + ej)
                + ll(theta - ei - ej)
            ) / (4 * hi * hj)
    se = np.sqrt(np.diag(np.linalg.inv(-hess)))
    np.testing.assert_allclose(bg.summary["se(coef)"].to_numpy(), se, rtol=0.02)


def test_pareto_nbd_reproduces_the_published_estimates(cdnow):
    model = ParetoNBDFitter().fit(cdnow)
    assert model.converged_
    assert model.params_.round(3).to_dict() == {
        "r": 0.553,
        "alpha": 10.578,
        "s": 0.606,
        "beta": 11.669,
    }


def test_gamma_gamma_reproduces_the_published_estimates(gg, cdnow):
    assert gg.n_customers_ == 946 == int((cdnow["frequency"] > 0).sum())
    assert gg.params_.round(2).to_dict() == {"p": 6.25, "q": 3.74, "v": 15.44}


# --------------------------------------------------------------------------- recovery


def _simulate_bgnbd(n, r, alpha, a, b, seed):
    """BG/NBD customers by direct simulation: Poisson purchases, dropout after each with p."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    T = rng.uniform(20, 80, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        t[idx] += rng.exponential(1.0 / lam[idx])
        inside = t[idx] <= T[idx]
        buy = idx[inside]
        x[buy] += 1
        tx[buy] = t[buy]
        alive[idx[~inside]] = False
        dies = buy[rng.random(len(buy)) < p[buy]]
        alive[dies] = False
    return pd.DataFrame({"frequency": x, "recency": tx, "T": T})


def _simulate_pareto(n, r, alpha, s, beta, seed):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    mu = rng.gamma(s, 1.0 / beta, n)
    T = rng.uniform(20, 80, n)
    death = np.minimum(rng.exponential(1.0 / mu), T)
    x = rng.poisson(lam * death).astype(float)
    # given x purchases in (0, death], the last one is the max of x uniforms
    tx = np.where(x > 0, death * rng.random(n) ** (1.0 / np.maximum(x, 1)), 0.0)
    return pd.DataFrame({"frequency": x, "recency": tx, "T": T})


def test_bgnbd_recovers_simulated_parameters():
    truth = {"r": 0.5, "alpha": 6.0, "a": 0.8, "b": 2.5}
    data = _simulate_bgnbd(40_000, *truth.values(), seed=7)
    model = BetaGeoFitter().fit(data)
    table = model.summary
    for name, value in truth.items():
        # within 3 standard errors and 15% of the truth
        assert abs(table.loc[name, "coef"] - value) < 3 * table.loc[name, "se(coef)"], name
        assert abs(table.loc[name, "coef"] / value - 1) < 0.15, name
    # the closed-form P(X(T) = x) (FHL 2005 eq. 8) at the true parameters vs the simulated counts
    model.params_ = pd.Series(truth)
    probs = model.frequency_probabilities(data["T"].to_numpy(), 7)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    counts = np.bincount(np.minimum(data["frequency"].to_numpy(), 7).astype(int), minlength=8)
    np.testing.assert_allclose(probs.sum(axis=0), counts, rtol=0.06, atol=60)


def test_pareto_nbd_recovers_simulated_parameters():
    truth = {"r": 0.6, "alpha": 8.0, "s": 0.8, "beta": 12.0}
    data = _simulate_pareto(20_000, *truth.values(), seed=3)
    model = ParetoNBDFitter().fit(data)
    table = model.summary
    for name, value in truth.items():
        assert abs(table.loc[name, "coef"] - value) < 3 * table.loc[name, "se(coef)"], name


def test_gamma_gamma_recovers_simulated_parameters():
    rng = np.random.default_rng(11)
    p, q, v = 4.0, 3.0, 20.0
    n = 20_000
    x = rng.integers(1, 8, n).astype(float)
    nu = rng.gamma(q, 1.0 / v, n)
    mean = rng.gamma(p * x, 1.0 / (nu * x))  # mean of x Gamma(p, nu) spends
    model = GammaGammaFitter().fit(pd.DataFrame({"frequency": x, "monetary_value": mean}))
    for name, value in {"p": p, "q": q, "v": v}.items():
        assert abs(model.params_[name] / value - 1) < 0.1, name


# --------------------------------------------------------------------------- definitions


def test_p_alive_follows_each_models_definition(bg, cdnow):
    # BG/NBD: a customer can only drop out right after a purchase, so x = 0 means alive
    assert np.all(bg.p_alive(frequency=[0, 0], recency=[0, 0], T=[5.0, 70.0]) == 1.0)
    # the same formula written out here (FHL 2005 eq. 9)
    r, alpha, a, b = bg.params_
    x, tx, T = 3.0, 20.0, 38.0
    direct = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))
    assert bg.p_alive(frequency=[x], recency=[tx], T=[T])[0] == pytest.approx(direct, rel=1e-12)
    # more recent last purchase: more likely alive; longer silence: less
    recency = np.linspace(1, 38, 20)
    assert np.all(
        np.diff(bg.p_alive(frequency=np.full(20, 3.0), recency=recency, T=np.full(20, 38.0))) > 0
    )
    # Pareto/NBD: dropout at any time, so even x = 0 decays with T
    pn = ParetoNBDFitter().fit(cdnow)
    zero = pn.p_alive(frequency=np.zeros(5), recency=np.zeros(5), T=np.linspace(1, 70, 5))
    assert np.all((zero > 0) & (zero < 1)) and np.all(np.diff(zero) < 0)
    assert np.all((pn.p_alive(cdnow) >= 0) & (pn.p_alive(cdnow) <= 1))


def test_pareto_conditional_expectation_matches_monte_carlo():
    # E[X(t) | x, tx, T] by simulation of the posterior: draw lambda, mu from the priors, weight
    # each draw by the likelihood of (x, tx, T) and average its expected future purchases
    theta = (0.553, 10.578, 0.606, 11.669)
    r, alpha, s, beta = theta
    model = ParetoNBDFitter()
    model.params_ = pd.Series(theta, index=["r", "alpha", "s", "beta"])
    rng = np.random.default_rng(5)
    lam = rng.gamma(r, 1 / alpha, 2_000_000)
    mu = rng.gamma(s, 1 / beta, 2_000_000)
    x, tx, T, t = 2.0, 30.43, 38.86, 39.0
    # individual likelihood: lam^x e^{-(lam+mu) T} + lam^x mu/(lam+mu) (e^{-(lam+mu)tx} - e^{-(lam+mu)T})
    alive_part = lam**x * np.exp(-(lam + mu) * T)
    died_part = lam**x * mu / (lam + mu) * (np.exp(-(lam + mu) * tx) - np.exp(-(lam + mu) * T))
    weight = alive_part + died_part
    future = alive_part / weight * lam / mu * (1 - np.exp(-mu * t))
    mc = float((weight * future).sum() / weight.sum())
    ours = float(model.expected_purchases(t, frequency=[x], recency=[tx], T=[T])[0])
    assert ours == pytest.approx(mc, rel=0.03)


# --------------------------------------------------------------------------- value, intervals, seeds


def test_clv_interval_contains_the_point_and_is_seeded(bg, gg, cdnow):
    one = customer_value(bg, gg, cdnow, n_draws=100, random_state=3, method="draws")
    two = customer_value(bg, gg, cdnow, n_draws=100, random_state=3, method="draws")
    other = customer_value(bg, gg, cdnow, n_draws=100, random_state=4, method="draws")
    pd.testing.assert_frame_equal(one, two)
    assert one.attrs["total_low"] < one.attrs["total"] < one.attrs["total_high"]
    # no wider than the sum of the customers' upper bounds
    assert one.attrs["total_high"] <= one["clv_btyd_high"].sum() * 1.0001
    assert not np.allclose(one["clv_btyd_low"], other["clv_btyd_low"])
    assert (
        (one["clv_btyd_low"] <= one["clv_btyd"]) & (one["clv_btyd"] <= one["clv_btyd_high"])
    ).all()
    assert (one["clv_btyd_high"] > one["clv_btyd_low"]).all()
    delta = customer_value(bg, gg, cdnow, method="delta")
    assert delta.attrs["interval_method"] == "delta"
    # the linearised interval is close to the draws' one
    width_draws = (one["clv_btyd_high"] - one["clv_btyd_low"]).median()
    width_delta = (delta["clv_btyd_high"] - delta["clv_btyd_low"]).median()
    assert width_delta == pytest.approx(width_draws, rel=0.25)


def test_clv_equals_an_independent_monthly_sum(bg, gg, cdnow):
    value = customer_value(
        bg, gg, cdnow, margin=0.3, annual_discount_rate=0.1, horizon_months=12, n_draws=0
    )
    i = int(np.flatnonzero(cdnow["frequency"].to_numpy() == 3)[0])
    row = cdnow.iloc[[i]]
    p, q, v = gg.params_
    x, m = float(row["frequency"].iloc[0]), float(row["monetary_value"].iloc[0])
    spend = (q - 1) / (p * x + q - 1) * v * p / (q - 1) + p * x / (p * x + q - 1) * m
    total, previous = 0.0, 0.0
    for month in range(1, 13):
        cum = float(bg.expected_purchases(month * 365.25 / 12 / 7, row)[0])
        total += (cum - previous) * 1.1 ** (-month / 12)
        previous = cum
    assert value["clv_btyd"].iloc[i] == pytest.approx(0.3 * spend * total, rel=1e-9)
    assert value["expected_spend"].iloc[i] == pytest.approx(spend, rel=1e-12)


def test_bad_summary_is_refused_with_the_rows(cdnow):
    bad = cdnow.copy()
    bad.loc[5, "recency"] = bad.loc[5, "T"] + 1
    with pytest.raises(
        ValueError, match=r"recency is larger than T in 1 rows \(first rows: \[5\]\)"
    ):
        BetaGeoFitter().fit(bad)
    with pytest.raises(ValueError, match="column 'T' is missing"):
        ParetoNBDFitter().fit(cdnow.drop(columns="T"))


def test_penalizer_shrinks_the_log_parameters(cdnow):
    plain = BetaGeoFitter().fit(cdnow)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shrunk = BetaGeoFitter(penalizer=0.1).fit(cdnow)
    assert np.abs(np.log(shrunk.params_)).sum() < np.abs(np.log(plain.params_)).sum()
    assert shrunk.log_likelihood_ < plain.log_likelihood_


def test_independence_check_on_cdnow_and_a_failing_case(cdnow):
    check = independence_check(cdnow)
    rep = cdnow[cdnow["frequency"] > 0]
    assert check["pearson"] == pytest.approx(
        np.corrcoef(rep["frequency"], rep["monetary_value"])[0, 1]
    )
    assert check["passed"]
    linked = rep.assign(monetary_value=rep["frequency"] * 10 + 1)
    assert not independence_check(linked)["passed"]


# --------------------------------------------------------------------------- holdout


def test_cdnow_holdout_tracking_against_an_independent_recount(cdnow_orders, real_data):
    result = holdout_validation(cdnow_orders, CAL_END, HOLDOUT_END)
    raw = _cdnow_raw(real_data)
    date = raw["date"].astype(int)
    first = raw.groupby("customer_id")["date"].transform("min").astype(int)
    cal = raw[date <= 19970930].drop_duplicates(["customer_id", "date"])
    freq = cal.groupby("customer_id").size() - 1
    hold = raw[(date >= 19971001) & (date <= 19980630) & (first <= 19970930)]
    hold = hold.drop_duplicates(["customer_id", "date"])
    actual = hold.groupby("customer_id").size().reindex(freq.index, fill_value=0)
    assert result.customers["actual"].sum() == actual.sum()
    by = result.by_frequency().set_index("frequency")
    bins = freq.clip(upper=7).map(lambda k: str(k) if k < 7 else "7+")
    recount = actual.groupby(bins).mean()
    np.testing.assert_allclose(by["actual"].to_numpy(), recount.reindex(by.index).to_numpy())
    assert by["customers"].to_dict() == freq.groupby(bins).size().to_dict()
    # weekly cumulative: the last point is the total, every point a recount
    assert result.tracking["actual"].iloc[-1] == actual.sum()
    days = (pd.to_datetime(hold["date"], format="%Y%m%d") - pd.Timestamp(CAL_END)).dt.days
    week4 = result.tracking.set_index("day").loc[28.0, "actual"]
    assert week4 == int((days <= 28).sum())
    totals = result.totals().set_index("model")
    # the models' expected totals are within 15% of the actual (they under-predict CDNOW's holdout)
    assert (totals["error_pct"].abs() < 0.15).all()
    mae = (result.customers["expected: BG/NBD"] - result.customers["actual"]).abs().mean()
    assert totals.loc["BG/NBD", "mae"] == pytest.approx(mae)
    ax = result.plot_tracking()
    assert len(ax.get_lines()) == 3
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    assert result.plot_tracking(ax=axes[0], lang="zh") is axes[0]
    table = result.by_frequency()
    assert result.plot_by_frequency(table, ax=axes[1], lang="zh") is axes[1]
    assert [t.get_text() for t in axes[1].get_xticklabels()] == table["frequency"].tolist()
    assert axes[1].get_legend().get_texts()[0].get_text() == "实际"
    plt.close(fig)
    plt.close(ax.figure)


def test_fit_plots_draw_the_tables_they_are_given_into_a_given_axes(bg, gg, cdnow):
    import matplotlib.pyplot as plt

    table = bg.frequency_fit(cdnow, max_frequency=7)
    # independently: customers per calibration frequency (7 and more in the last bin)
    counts = cdnow["frequency"].clip(upper=7).astype(int).value_counts().sort_index()
    assert table["actual"].tolist() == counts.reindex(range(8), fill_value=0).tolist()
    assert table["expected"].sum() == pytest.approx(len(cdnow))  # each customer's P sum to 1
    spend, density = gg.spend_fit(cdnow)
    repeat = cdnow[(cdnow["frequency"] > 0) & (cdnow["monetary_value"] > 0)]
    assert np.array_equal(spend, repeat["monetary_value"].to_numpy(dtype=float))
    assert len(density) == 200 and (density["density"] > 0).all()
    fig, axes = plt.subplots(1, 2)
    assert bg.plot_frequency_fit(table, ax=axes[0]) is axes[0]
    assert len(axes[0].patches) == 16
    assert axes[0].get_xticklabels()[-1].get_text() == "7+"
    assert gg.plot_spend_fit(spend, density, ax=axes[1]) is axes[1]
    assert len(axes[1].get_lines()) == 1 and len(axes[1].patches) == 40
    plt.close(fig)


# --------------------------------------------------------------------------- the chapter section


@pytest.fixture(scope="module")
def section_inputs(small_demo, small_artifacts):
    from custops.chapters import churn as chapter
    from custops.report import notebook as nb
    from custops.survival import churn, clv

    ctx = nb.start(small_demo, "2025Q4", small_artifacts.parents[1])
    data = chapter.load(ctx)
    surv, tables = data.surv, data.tables
    model = churn.ChurnModel(random_state=ctx.seed).fit(surv)
    scores = clv.churn_scores(model, surv, horizon_days=90, clv_config=ctx.cfg.clv)
    return ctx, tables, scores


def test_chapter_section_adds_columns_and_backtests_both_families(section_inputs):
    from custops.chapters.btyd import headlines, two_views

    ctx, tables, scores = section_inputs
    views = two_views(ctx, tables, scores)
    for column in (
        "p_alive",
        "expected_purchases_90d",
        "clv_btyd",
        "clv_btyd_low",
        "clv_btyd_high",
    ):
        assert column in views.scores
    assert views.scores["p_alive"].between(0, 1).all()
    names = views.holdout.predictors
    assert names[:2] == ["BG/NBD", "Pareto/NBD"] and len(names) == 3  # + the survival model
    # independent recount of the holdout purchase days of the calibration customers
    orders = tables["orders"]
    day = pd.to_datetime(orders["order_date"]).dt.normalize()
    first = day.groupby(orders["customer_id"]).transform("min")
    end = min(pd.Timestamp("2025-12-31"), day.max())
    keep = (day > pd.Timestamp("2025-09-30")) & (day <= end) & (first <= pd.Timestamp("2025-09-30"))
    recount = pd.DataFrame({"c": orders["customer_id"][keep], "d": day[keep]}).drop_duplicates()
    assert headlines(views)["btyd_holdout_actual"] == len(recount)
    assert "Spearman" in views.texts[1]
    assert -1 <= headlines(views)["btyd_clv_spearman"] <= 1


def test_backtest_above_max_fit_customers_scores_a_seeded_sample(section_inputs):
    """Above btyd.max_fit_customers the backtest scores (and refits the survival model on) a
    seeded sample of the calibration customers, says so, and still values every customer."""
    from custops.chapters.btyd import headlines, two_views

    ctx, tables, scores = section_inputs
    cap = 300
    cfg = ctx.cfg.model_copy(
        update={"btyd": ctx.cfg.btyd.model_copy(update={"max_fit_customers": cap})}
    )
    small = type(ctx)(cfg=cfg, period=ctx.period, artifacts=ctx.artifacts, build_dir=ctx.build_dir)
    views = two_views(small, tables, scores)
    scored = views.holdout.customers
    assert len(scored) == cap and scored["customer_id"].is_unique
    assert len(views.holdout.predictors) == 3  # the survival model was refitted on the sample
    # the sample's actual holdout purchase days, recounted from the orders
    orders = tables["orders"]
    day = pd.to_datetime(orders["order_date"]).dt.normalize()
    end = min(pd.Timestamp("2025-12-31"), day.max())
    keep = (day > pd.Timestamp("2025-09-30")) & (day <= end)
    keep &= orders["customer_id"].isin(scored["customer_id"])
    recount = pd.DataFrame({"c": orders["customer_id"][keep], "d": day[keep]}).drop_duplicates()
    assert headlines(views)["btyd_holdout_actual"] == len(recount)
    text = " ".join(views.texts)
    assert f"random sample of {cap} of them" in text
    # every customer with a survival CLV still gets a BTYD value
    valued = views.scores[(views.scores["event"] == 0) & views.scores["clv"].notna()]
    assert valued["clv_btyd"].notna().all()
    # the same seed draws the same sample
    again = two_views(small, tables, scores).holdout.customers["customer_id"]
    assert again.tolist() == scored["customer_id"].tolist()


def test_chapter_section_in_chinese_and_when_it_cannot_apply(section_inputs):
    from custops.chapters.btyd import two_views

    ctx, tables, scores = section_inputs
    zh = type(ctx)(
        cfg=ctx.cfg.model_copy(update={"language": "zh"}),
        period=ctx.period,
        artifacts=ctx.artifacts,
        build_dir=ctx.build_dir,
    )
    views = two_views(zh, tables, scores)
    assert "回测" in " ".join(views.texts)
    # Chinese sentences follow each other without a space (the full stop ends them)
    assert [text for text in views.texts if "。 " in text] == []
    few = ctx.cfg.model_copy(
        update={"btyd": ctx.cfg.btyd.model_copy(update={"min_repeat_customers": 10**6})}
    )
    small = two_views(
        type(ctx)(cfg=few, period=ctx.period, artifacts=ctx.artifacts, build_dir=ctx.build_dir),
        tables,
        scores,
    )
    assert len(small.texts) == 1 and "at least 1000000 are needed" in small.texts[0]
    assert "p_alive" not in small.scores
    contract = ctx.cfg.model_copy(
        update={"churn": ctx.cfg.churn.model_copy(update={"definition": "contractual"})}
    )
    skipped = two_views(
        type(ctx)(
            cfg=contract, period=ctx.period, artifacts=ctx.artifacts, build_dir=ctx.build_dir
        ),
        tables,
        scores,
    )
    assert len(skipped.texts) == 1 and "non-contractual" in skipped.texts[0]
    # no survival model (too few events, or a contractual snapshot): the section still runs
    alone = two_views(ctx, tables, None)
    assert alone.scores["customer_id"].nunique() == tables["orders"]["customer_id"].nunique()
    assert alone.scores["p_alive"].between(0, 1).all() and "clv" not in alone.scores
    assert alone.comparison == {"n": 0}
    assert (
        two_views(
            type(ctx)(
                cfg=contract, period=ctx.period, artifacts=ctx.artifacts, build_dir=ctx.build_dir
            ),
            tables,
            None,
        ).scores
        is None
    )


def test_unique_pairs_code_every_row_and_number_pairs_by_first_appearance():
    from custops.survival.btyd.transactions import unique_pairs

    rng = np.random.default_rng(5)
    x = rng.integers(0, 6, 5000).astype(float)
    T = rng.integers(0, 40, 5000) / 7.0
    ux, uT, codes = unique_pairs(x, T)
    assert np.array_equal(ux[codes], x) and np.array_equal(uT[codes], T)
    pairs = list(zip(ux.tolist(), uT.tolist(), strict=True))
    assert len(set(pairs)) == len(pairs)  # distinct
    first = list(dict.fromkeys(zip(x.tolist(), T.tolist(), strict=True)))
    assert pairs == first  # numbered in order of first appearance


def test_pareto_likelihood_per_distinct_pair_equals_the_per_customer_one():
    """The fit evaluates the hypergeometric terms once per distinct (x, t_x) and (x, T):
    the same log-likelihood terms as evaluating every customer, to the last bit."""
    from custops.survival.btyd.pareto import _log_terms, distinct_pairs

    rng = np.random.default_rng(9)
    n = 4000
    x = rng.integers(0, 8, n).astype(float)
    T = rng.integers(1, 104, n).astype(float)
    tx = np.where(x > 0, np.floor(rng.uniform(0, 1, n) * T), 0.0)
    for theta in ([0.55, 10.6, 0.61, 11.7], [0.9, 4.0, 1.3, 2.0]):  # alpha >= beta and <
        plain = _log_terms(np.array(theta), x, tx, T)
        paired = _log_terms(np.array(theta), x, tx, T, distinct_pairs(x, tx, T))
        assert np.array_equal(plain[0], paired[0]) and np.array_equal(plain[1], paired[1])


def test_fit_sample_caps_the_customers_a_model_is_fitted_on():
    from custops.survival.btyd.summary import fit_sample

    s = pd.DataFrame({"customer_id": [f"c{i}" for i in range(5000)], "frequency": 1})
    a, b = fit_sample(s, 1200, random_state=3), fit_sample(s, 1200, random_state=3)
    assert len(a) == 1200 and a.equals(b) and a.index.is_monotonic_increasing
    assert a["customer_id"].is_unique and fit_sample(s, 5000, random_state=3) is s
