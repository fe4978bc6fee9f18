"""KPI alerts: planted service breakdown flagged, false-alarm rate on stable series, limits by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custops.core.errors import CustopsError
from custops.demo.synth import DemoSpec, generate
from custops.review import alerts

MONTHS = pd.period_range("2023-10", "2025-12", freq="M").astype(str)  # 24 baseline + 3
MONITOR = ["2025-10", "2025-11", "2025-12"]


def canonical(demo: dict) -> dict[str, pd.DataFrame]:
    """The generator's clean tables under canonical names (orders: order_ts -> order_date)."""
    return {
        "orders": demo["orders"].rename(columns={"order_ts": "order_date"}),
        "customers": demo["customers"],
        "tickets": demo["tickets"],
        "surveys": demo["surveys"],
        "touches": demo["touches"],
    }


@pytest.fixture(scope="module")
def planted(generated_small: dict) -> dict:
    """The default demo (1,500 customers): the diagnostics effects are planted."""
    return generated_small


@pytest.fixture(scope="module")
def default_demo() -> dict:
    """The same company without the diagnostics effects."""
    return generate(DemoSpec(n_customers=1500, plant_diagnostics=False))


def test_planted_first_response_breakdown_is_flagged(planted: dict) -> None:
    truth = planted["truth"]["diagnostics"]["alerts"]
    kpis = alerts.monthly_kpis(canonical(planted), "2025Q4")
    result = alerts.monitor(kpis, "2025Q4")
    hit = result.alerts[result.alerts["kpi"].eq(truth["kpi"])]
    assert set(truth["months"]) <= set(hit["month"])
    assert (hit["change"] == "worse").all()
    assert (hit["sigmas"] > 3).all()
    # no other KPI is flagged worse in the period, except the planted NPS dip
    others = result.alerts[
        ~result.alerts["kpi"].isin([truth["kpi"], "nps"]) & result.alerts["change"].eq("worse")
    ]
    assert others.empty, others
    text = alerts.alerts_findings(result, "en")
    assert "first response" in text and "2025-11" in text
    assert "首次响应" in alerts.alerts_findings(result, "zh")


def test_default_demo_has_no_service_alert(default_demo: dict) -> None:
    kpis = alerts.monthly_kpis(canonical(default_demo), "2025Q4")
    result = alerts.monitor(kpis, "2025Q4")
    assert not result.alerts["kpi"].eq("first_response_hours").any()
    assert {
        "activation_rate",
        "repurchase_rate",
        "churn_rate",
        "nps",
        "first_response_hours",
    } <= set(kpis["kpi"])
    assert kpis["kpi"].str.startswith("conversion_").sum() > 0


def test_kpis_against_independent_pandas_recount(default_demo: dict) -> None:
    tables = canonical(default_demo)
    kpis = alerts.monthly_kpis(tables, "2025Q4").set_index(["kpi", "month"])
    o = tables["orders"]
    # repurchase 2025-11: buyers of October who also buy in November
    oct_ = set(o.loc[o["order_date"].dt.strftime("%Y-%m").eq("2025-10"), "customer_id"])
    nov = set(o.loc[o["order_date"].dt.strftime("%Y-%m").eq("2025-11"), "customer_id"])
    row = kpis.loc[("repurchase_rate", "2025-11")]
    assert row["denominator"] == len(oct_)
    assert row["value"] == pytest.approx(len(oct_ & nov) / len(oct_))
    # churn 2025-06 with W = 180 by a customer loop
    start, end = pd.Timestamp("2025-06-01"), pd.Timestamp("2025-07-01")
    alive = churned = 0
    for _, days in o.groupby("customer_id")["order_date"]:
        d = np.sort(days.dt.normalize().unique())
        before = d[d < start]
        if len(before) == 0 or before[-1] < start - pd.Timedelta(days=180):
            continue
        alive += 1
        due = before[-1] + pd.Timedelta(days=180)
        if start <= due < end and not ((d >= start) & (d <= due)).any():
            churned += 1
    row = kpis.loc[("churn_rate", "2025-06")]
    assert (row["numerator"], row["denominator"]) == (churned, alive)
    # NPS of 2025-12 straight from the scores
    s = tables["surveys"]
    sc = s.loc[s["responded_at"].dt.strftime("%Y-%m").eq("2025-12"), "score"]
    assert kpis.loc[("nps", "2025-12"), "value"] == pytest.approx(
        100 * ((sc >= 9).mean() - (sc <= 6).mean())
    )


def test_laney_limits_match_a_hand_computation() -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(400, 900, len(MONTHS)).astype(float)
    p = np.clip(0.3 + rng.normal(0, 0.02, len(MONTHS)), 0, 1)
    x = rng.binomial(n.astype(int), p).astype(float)
    series = pd.DataFrame(
        {"month": MONTHS, "numerator": x, "denominator": n, "value": x / n, "kind": "rate"}
    )
    chart = alerts.control_limits(series, MONITOR, seasonal="off", widen=False)
    b = slice(0, 24)
    pbar = x[b].sum() / n[b].sum()
    se = np.sqrt(pbar * (1 - pbar) / n)
    z = (x / n - pbar) / se
    sigma_z = np.abs(np.diff(z[b])).mean() / 1.128
    np.testing.assert_allclose(chart["upper"], np.minimum(pbar + 3 * se * sigma_z, 1.0))
    np.testing.assert_allclose(chart["lower"], np.maximum(pbar - 3 * se * sigma_z, 0.0))
    assert sigma_z > 1.5  # extra-binomial variation: a plain p chart would be far too narrow


def test_xmr_limits_match_a_hand_computation() -> None:
    rng = np.random.default_rng(4)
    v = rng.normal(40, 5, len(MONTHS))
    series = pd.DataFrame(
        {"month": MONTHS, "numerator": np.nan, "denominator": 100.0, "value": v, "kind": "value"}
    )
    chart = alerts.control_limits(series, MONITOR, seasonal="off", widen=False)
    sigma = np.abs(np.diff(v[:24])).mean() / 1.128
    np.testing.assert_allclose(chart["upper"], v[:24].mean() + 3 * sigma)
    np.testing.assert_allclose(chart["u"], (v - v[:24].mean()) / sigma)
    # default: limits widened for a 24-month baseline, t(0.99865, 0.62 * 23) * sqrt(1 + 1/24) / 3
    from scipy import stats

    factor = stats.t.ppf(0.99865, 0.62 * 23) * np.sqrt(1 + 1 / 24) / 3
    wide = alerts.control_limits(series, MONITOR, seasonal="off")
    np.testing.assert_allclose(wide["upper"], v[:24].mean() + 3 * factor * sigma)


def _stable(rng: np.random.Generator, kind: str) -> pd.DataFrame:
    if kind == "rate":
        # a denominator that drifts by up to +-30% around its level, as monthly bases do
        n = np.round(rng.uniform(200, 3000) * rng.uniform(0.7, 1.3, len(MONTHS)))
        p = np.clip(rng.uniform(0.05, 0.7) + rng.normal(0, 0.01, len(MONTHS)), 0.001, 0.999)
        x = rng.binomial(n.astype(int), p).astype(float)
        return pd.DataFrame(
            {"month": MONTHS, "numerator": x, "denominator": n, "value": x / n, "kind": "rate"}
        )
    v = rng.normal(rng.uniform(-20, 60), rng.uniform(1, 10), len(MONTHS))
    return pd.DataFrame(
        {"month": MONTHS, "numerator": np.nan, "denominator": 100.0, "value": v, "kind": "value"}
    )


def test_false_alarm_rate_on_stable_series_is_at_most_5pct() -> None:
    rng = np.random.default_rng(2025)
    fired = []
    for i in range(300):  # 150 rate series (overdispersed) + 150 value series
        chart = alerts.control_limits(_stable(rng, "rate" if i % 2 else "value"), MONITOR)
        fired.append(chart.loc[chart["monitored"], "rules"].ne("").any())
    rate = float(np.mean(fired))
    print(f"false-alarm rate per 3 monitored months: {rate:.1%} of 300 stable series")
    assert rate <= 0.05


def test_sustained_small_shift_is_caught_by_run_rules() -> None:
    rng = np.random.default_rng(7)
    v = rng.normal(50, 2, len(MONTHS))
    v[-3:] -= 6.4  # ~3.2 sigma below in each month: inside the widened limit (3.7 sigma)
    series = pd.DataFrame(
        {"month": MONTHS, "numerator": np.nan, "denominator": 1.0, "value": v, "kind": "value"}
    )
    chart = alerts.control_limits(series, MONITOR, seasonal="off")
    rules = ";".join(chart.loc[chart["monitored"], "rules"])
    assert "2_of_3_beyond_2sigma" in rules or "ewma" in rules


def test_seasonal_index_prevents_december_false_alarm() -> None:
    months = pd.period_range("2023-01", "2025-12", freq="M").astype(str)
    rng = np.random.default_rng(11)
    season = np.where(pd.Index(months).str[-2:].isin(["11", "12"]), 15.0, 0.0)
    v = 40 + season + rng.normal(0, 1.5, len(months))
    series = pd.DataFrame(
        {"month": months, "numerator": np.nan, "denominator": 1.0, "value": v, "kind": "value"}
    )
    with_index = alerts.control_limits(series, MONITOR, seasonal="auto")
    without = alerts.control_limits(series, MONITOR, seasonal="off")
    assert with_index["seasonal"].all()
    assert with_index.loc[with_index["monitored"], "rules"].eq("").all()
    assert without.loc[without["monitored"], "rules"].ne("").any()


def test_short_history_is_not_flagged_and_says_so() -> None:
    series = pd.DataFrame(
        {
            "month": ["2025-08", "2025-09", "2025-10"],
            "numerator": np.nan,
            "denominator": 1.0,
            "value": [1.0, 2.0, 30.0],
            "kind": "value",
        }
    )
    chart = alerts.control_limits(series, ["2025-10"])
    assert chart.loc[chart["monitored"], "rules"].tolist() == ["insufficient_history"]


def test_missing_orders_error_names_the_fix() -> None:
    with pytest.raises(CustopsError, match="need the orders table"):
        alerts.monthly_kpis({}, "2025Q4")


def test_control_chart_figure_has_one_panel_per_kpi(default_demo: dict) -> None:
    from custops.report import plots

    plots.setup("zh")
    result = alerts.monitor(alerts.monthly_kpis(canonical(default_demo), "2025Q4"), "2025Q4")
    axes = alerts.plot_control_charts(alerts.control_panels(result, "zh"))
    assert len(axes) == len(axes[0].figure.axes) == result.chart["kpi"].nunique()


def test_on_notebook01_artifacts(small_artifacts, generated_small) -> None:
    """The clean tables of notebook 01 (order lines) give the same KPIs as the generator's."""
    from custops.ingest.artifacts import read_clean_tables

    tables = read_clean_tables(small_artifacts)
    kpis = alerts.monthly_kpis(tables, "2025Q4").set_index(["kpi", "month"])
    nps = kpis.loc[("nps", "2025-11"), "value"]
    s = tables["surveys"]
    sc = s.loc[s["responded_at"].dt.strftime("%Y-%m").eq("2025-11"), "score"]
    assert nps == pytest.approx(100 * ((sc >= 9).mean() - (sc <= 6).mean()))
    result = alerts.monitor(kpis.reset_index(), "2025Q4")
    frt = result.alerts[result.alerts["kpi"].eq("first_response_hours")]
    assert set(frt["month"]) == set(generated_small["truth"]["diagnostics"]["alerts"]["months"])
    assert (frt["change"] == "worse").all()


def test_planted_nps_dip_and_service_breakdown_are_flagged_on_5k_demo(
    demo_5k_artifacts, truth_5k
) -> None:
    """The generator's NPS dip in the period (about -15 points, truth.json) is a ~2σ monthly
    shift held for three months: the sustained-shift rules flag it, a 3σ rule alone would not.
    The first-response breakdown of the last two months is flagged too; nothing else is."""
    from custops.ingest.artifacts import read_clean_tables

    kpis = alerts.monthly_kpis(read_clean_tables(demo_5k_artifacts), truth_5k["period"])
    result = alerts.monitor(kpis, truth_5k["period"])
    nps = result.alerts[result.alerts["kpi"].eq("nps")]
    assert truth_5k["nps"]["period_change_realized_points"] < -10
    assert "2025-12" in set(nps["month"]) and (nps["change"] == "worse").all()
    assert not nps["rule"].str.contains("beyond_3sigma").any()
    planted = truth_5k["diagnostics"]["alerts"]
    frt = result.alerts[result.alerts["kpi"].eq(planted["kpi"])]
    assert set(frt["month"]) == set(planted["months"])
    assert (frt["change"] == "worse").all() and (frt["sigmas"] > 3).all()
    others = result.alerts[
        ~result.alerts["kpi"].isin(["nps", planted["kpi"]]) & result.alerts["change"].eq("worse")
    ]
    assert others.empty, others


def test_plant_diagnostics_changes_only_what_it_documents() -> None:
    """Planting is a post-processing step on its own random stream: compared with the same
    company without it, only the documented columns, rows and truth entries differ."""
    off = generate(DemoSpec(n_customers=600, seed=9, plant_diagnostics=False))
    on = generate(DemoSpec(n_customers=600, seed=9))
    diag = on["truth"]["diagnostics"]
    assert "diagnostics" not in off["truth"]
    assert set(diag) == {"description", "alerts", "sentiment", "paths", "health"}
    for name in ("customers", "orders", "order_lines", "src_orders", "src_customers"):
        pd.testing.assert_frame_equal(on[name], off[name])
    # tickets: response and resolution times of tickets created in the two months, nothing else
    t_on, t_off = on["tickets"], off["tickets"]
    changed = [c for c in t_off.columns if not t_on[c].equals(t_off[c])]
    assert changed == ["first_response_at", "resolved_at"]
    moved = (
        t_on["first_response_at"].ne(t_off["first_response_at"])
        & t_off["first_response_at"].notna()
    )
    months = t_off.loc[moved, "created_at"].dt.strftime("%Y-%m")
    assert set(months) == set(diag["alerts"]["months"])
    assert moved.sum() <= diag["alerts"]["tickets_affected"]
    # surveys: comments of the region's passives/detractors in the period, nothing else
    s_on, s_off = on["surveys"], off["surveys"]
    changed = [c for c in s_off.columns if not s_on[c].equals(s_off[c])]
    assert changed == ["comment"]
    new = s_on["comment"].fillna("").ne(s_off["comment"].fillna(""))
    region = on["customers"].set_index("customer_id")["region"]
    sent = diag["sentiment"]
    hit = s_on[new]
    assert hit["customer_id"].map(region).eq(sent["region"]).all()
    assert hit["_quarter"].eq(sent["period"]).all() and hit["score"].le(8).all()
    templates = {t for texts in sent["templates"].values() for t in texts}
    assert hit["comment"].isin(templates).all()
    assert new.sum() == sent["comments_planted"]
    # touches: rows removed (touches of churned repurchasers after the first repurchase)
    m_on, m_off = on["touches"], off["touches"]
    assert set(m_on["touch_id"]) < set(m_off["touch_id"])
    kept = m_off[m_off["touch_id"].isin(set(m_on["touch_id"]))].reset_index(drop=True)
    pd.testing.assert_frame_equal(m_on, kept)
    assert len(m_off) - len(m_on) == diag["paths"]["touches_removed"]
    # truth: the same except the diagnostics and the counts that follow from removed touches
    t_on, t_off = dict(on["truth"]), dict(off["truth"])
    t_on.pop("diagnostics")
    for truth in (t_on, t_off):
        truth["touches"] = {**truth["touches"], "ab_test": dict(truth["touches"]["ab_test"])}
        truth["touches"]["ab_test"].pop("conversion_per_sent_realized")
        truth["row_counts_clean"] = dict(truth["row_counts_clean"])
        truth["row_counts_clean"].pop("touches")
    assert t_on == t_off
    assert on["truth"]["row_counts_clean"]["touches"] == len(m_on)
    ab = m_on[m_on["campaign"].eq(on["truth"]["touches"]["ab_test"]["campaign"])]
    realized = on["truth"]["touches"]["ab_test"]["conversion_per_sent_realized"]
    for group in ("control", "treatment"):
        assert realized[group] == ab.loc[ab["ab_group"].eq(group), "converted"].mean()


def test_a_rate_never_seen_in_the_baseline_is_not_an_alert() -> None:
    """Email conversions 0 in every month: no limits can be set, so 0 is not a '25-sigma' drop."""
    months = pd.period_range("2023-01", "2025-12", freq="M").astype(str)
    s = pd.DataFrame(
        {"month": months, "value": 0.0, "numerator": 0.0, "denominator": 40.0, "kind": "rate"}
    )
    chart = alerts.control_limits(s, ["2025-10", "2025-11", "2025-12"])
    monitored = chart[chart["monitored"]]
    assert (monitored["rules"] == "insufficient_history").all()
    # one conversion in the baseline: limits exist and a month at 0 is within them
    s.loc[30, ["numerator", "value"]] = [1.0, 1 / 40]
    chart = alerts.control_limits(s, ["2025-10", "2025-11", "2025-12"])
    assert (chart[chart["monitored"]]["rules"] != "insufficient_history").all()
