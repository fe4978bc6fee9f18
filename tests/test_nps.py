"""NPS maths checked against independent computations, bootstrap coverage, and the demo's planted effects."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from custops.core.config import Period
from custops.ingest.artifacts import read_artifact, read_clean_tables
from custops.voice import nps

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- core maths


def _hand_nps_ci(p_count: int, pas: int, d_count: int) -> tuple[float, float, float]:
    """An independent implementation of the DESIGN.md formula (plain floats, no custops)."""
    n = p_count + pas + d_count
    if n < 100:
        n_adj = n + 3.0
        p, d = (p_count + 0.75) / n_adj, (d_count + 0.75) / n_adj
        n_eff = n_adj
    else:
        p, d, n_eff = p_count / n, d_count / n, n
    centre = 100 * (p - d)
    se = 100 * math.sqrt((p + d - (p - d) ** 2) / n_eff)
    return (
        100 * (p_count - d_count) / n,
        max(-100, centre - 1.959964 * se),
        min(100, centre + 1.959964 * se),
    )


@pytest.mark.parametrize(
    "counts", [(500, 300, 200), (40, 30, 29), (100, 0, 0), (3, 2, 5), (60, 25, 15)]
)
def test_nps_interval_matches_independent_formula(counts):
    est = nps.nps_estimate(*counts)
    value, low, high = _hand_nps_ci(*counts)
    assert est.nps == pytest.approx(value)
    assert est.ci_low == pytest.approx(low, abs=1e-4)
    assert est.ci_high == pytest.approx(high, abs=1e-4)
    assert est.method == ("wald" if sum(counts) >= 100 else "adjusted-wald")


def test_nps_from_scores_equals_counting_with_numpy():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 11, 777)
    est = nps.nps_from_scores(pd.Series(scores))
    assert est.n == 777
    assert est.nps == pytest.approx(100 * (np.mean(scores >= 9) - np.mean(scores <= 6)))
    assert (est.promoters, est.passives, est.detractors) == (
        int((scores >= 9).sum()),
        int(((scores >= 7) & (scores <= 8)).sum()),
        int((scores <= 6).sum()),
    )


def test_empty_group_gives_nan_not_error():
    est = nps.nps_estimate(0, 0, 0)
    assert est.n == 0 and math.isnan(est.nps) and math.isnan(est.ci_low)


def test_standard_error_agrees_with_bootstrap():
    rng = np.random.default_rng(7)
    scores = rng.choice([10, 8, 3], size=400, p=[0.45, 0.3, 0.25])
    est = nps.nps_from_scores(scores)
    boot = [
        100 * (np.mean(s >= 9) - np.mean(s <= 6))
        for s in (rng.choice(scores, size=len(scores), replace=True) for _ in range(3000))
    ]
    assert np.std(boot, ddof=1) == pytest.approx(est.se, rel=0.08)


@pytest.mark.parametrize(("n", "probs"), [(300, (0.5, 0.3, 0.2)), (40, (0.35, 0.35, 0.3))])
def test_interval_coverage_close_to_95_percent(n, probs):
    """Random samples from a known population: the 95% interval covers the true NPS ~95% of the time."""
    rng = np.random.default_rng(11)
    truth = 100 * (probs[0] - probs[2])
    reps = 3000
    counts = rng.multinomial(n, probs, size=reps)
    covered = 0
    for p_count, pas, d_count in counts:
        est = nps.nps_estimate(int(p_count), int(pas), int(d_count))
        covered += est.ci_low <= truth <= est.ci_high
    assert 0.93 <= covered / reps <= 0.97


def test_change_z_test_matches_hand_computation_and_holds_its_size():
    a, b = nps.nps_estimate(400, 300, 300), nps.nps_estimate(500, 300, 200)
    res = nps.compare_estimates(a, b)
    se = math.sqrt(100**2 * (0.7 - 0.01) / 1000 + 100**2 * (0.7 - 0.09) / 1000)
    assert res["se"] == pytest.approx(se)
    assert res["z"] == pytest.approx(-20 / se)
    from scipy.stats import norm

    assert res["p_value"] == pytest.approx(2 * norm.sf(20 / se))
    # no true change: about 5% of comparisons are called significant
    rng = np.random.default_rng(3)
    probs = (0.45, 0.3, 0.25)
    rejections = 0
    for _ in range(1000):
        x, y = rng.multinomial(250, probs), rng.multinomial(250, probs)
        r = nps.compare_estimates(nps.nps_estimate(*x), nps.nps_estimate(*y))
        rejections += r["p_value"] < 0.05
    assert 0.03 <= rejections / 1000 <= 0.075


def test_wilson_and_median_ci_against_independent_formulas():
    rate, low, high = nps.wilson(30, 100)
    z = 1.959964
    p, n = 0.3, 100
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (low, high) == pytest.approx((centre - half, centre + half), abs=1e-6)
    # median interval coverage on skewed data
    rng = np.random.default_rng(5)
    true_median = math.log(2) * 4.0
    hits = sum(
        lo <= true_median <= hi
        for _, lo, hi in (nps.median_ci(rng.exponential(4.0, 60)) for _ in range(1500))
    )
    assert hits / 1500 >= 0.93


# --------------------------------------------------------------------------- tables


def _responses(cats, **columns):
    frame = pd.DataFrame({"nps_category": cats, **columns})
    return frame


def test_small_groups_are_flagged_and_not_ranked():
    r = _responses(
        ["promoter"] * 40 + ["detractor"] * 10 + ["promoter"] * 5, region=["e"] * 50 + ["w"] * 5
    )
    table = nps.nps_table(r, "region", min_n=30)
    west = table.set_index("group").loc["w"]
    assert bool(west["small_group"]) and pd.isna(west["rank"])
    assert table.iloc[0]["group"] == "e"  # ranked groups come first even though w has NPS 100


def test_summary_columns_and_group_types():
    rng = np.random.default_rng(0)
    r = _responses(
        rng.choice(list(nps.CATEGORIES), 300),
        region=rng.choice(["a", "b"], 300),
        touchpoint=rng.choice(["app", "service"], 300),
        month=rng.choice(["2025-10", "2025-11"], 300),
    )
    s = nps.nps_summary(r, min_n=30)
    assert list(s.columns[: len(nps.SUMMARY_COLUMNS)]) == nps.SUMMARY_COLUMNS
    assert s.iloc[0][["group_type", "group", "n"]].tolist() == ["overall", "all", 300]
    assert set(s["group_type"]) == {"overall", "region", "touchpoint", "month"}
    assert (s.groupby("group_type")["n"].sum().drop("overall") == 300).all()


def test_holm_keeps_noise_quiet_across_many_groups():
    """20 groups with no change between quarters: Holm calls almost nothing significant."""
    rng = np.random.default_rng(21)
    probs = [0.45, 0.3, 0.25]
    frames = []
    for quarter_day in ("2025-08-15", "2025-11-15"):
        n = 20 * 120
        frames.append(
            pd.DataFrame(
                {
                    "nps_category": rng.choice(["promoter", "passive", "detractor"], n, p=probs),
                    "responded_at": pd.Timestamp(quarter_day),
                    "store": np.repeat([f"s{i:02d}" for i in range(20)], 120),
                }
            )
        )
    changes = nps.group_changes(pd.concat(frames), "2025Q4", by=["store"])
    assert len(changes) == 20
    assert changes["significant"].sum() == 0
    assert (changes["p_holm"] >= changes["p_value"]).all()


# --------------------------------------------------------------------------- service


def test_service_kpis_against_plain_pandas():
    rng = np.random.default_rng(2)
    n = 400
    created = pd.Timestamp("2025-10-01") + pd.to_timedelta(rng.integers(0, 80 * 24, n), unit="h")
    frt = rng.gamma(2.0, 2.0, n)
    resolved = created + pd.to_timedelta(frt + rng.gamma(2, 10, n), unit="h")
    resolved = resolved.where(rng.random(n) > 0.1)
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(n)],
            "customer_id": [f"c{i % 150}" for i in range(n)],
            "created_at": created,
            "first_response_at": created + pd.to_timedelta(frt, unit="h"),
            "resolved_at": resolved,
            "channel": rng.choice(["phone", "chat"], n),
            "csat": np.where(rng.random(n) < 0.7, rng.integers(1, 6, n), np.nan),
            "reopened": rng.random(n) < 0.1,
        }
    )
    t = nps.ticket_frame(tickets, "2025Q4")
    k = nps.service_kpis(t).set_index("channel")
    end = pd.Timestamp("2026-01-01")
    hours = (tickets["first_response_at"] - tickets["created_at"]).dt.total_seconds() / 3600
    done = tickets["resolved_at"].notna() & (tickets["resolved_at"] < end)
    assert k.loc["all", "frt_median_hours"] == pytest.approx(hours.median())
    assert k.loc["all", "in_time_rate"] == pytest.approx((hours <= 3).mean())
    assert k.loc["all", "fcr_rate"] == pytest.approx((done & ~tickets["reopened"]).mean())
    assert k.loc["all", "reopen_rate"] == pytest.approx(tickets.loc[done, "reopened"].mean())
    assert k.loc["all", "csat_mean"] == pytest.approx(tickets["csat"].mean())
    phone = tickets["channel"] == "phone"
    assert k.loc["phone", "frt_median_hours"] == pytest.approx(hours[phone].median())
    assert (
        k.loc["all", "frt_ci_low"]
        <= k.loc["all", "frt_median_hours"]
        <= k.loc["all", "frt_ci_high"]
    )


def test_drivers_match_statsmodels_formula_api():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(4)
    n = 1500
    frame = pd.DataFrame(
        {
            "slow_first_response": rng.random(n) < 0.3,
            "n_unresolved_complaints": rng.poisson(0.2, n),
            "n_tickets": rng.poisson(1.0, n),
            "tier": rng.choice(["A", "B", "C", "D"], n, p=[0.1, 0.2, 0.3, 0.4]),
        }
    )
    logit = -1.3 + 1.1 * frame["slow_first_response"] + 0.2 * (frame["tier"] == "A")
    det = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame["nps_category"] = np.where(det, "detractor", "promoter")
    res = nps.detractor_drivers(frame)
    assert res.baselines == {"tier": "D"}
    ref = smf.logit(
        "y ~ slow + unresolved + n_tickets + C(tier, Treatment('D'))",
        data=frame.assign(
            y=det.astype(int),
            slow=frame["slow_first_response"].astype(int),
            unresolved=(frame["n_unresolved_complaints"] > 0).astype(int),
        ),
    ).fit(disp=0)
    table = res.table.set_index("term")
    assert table.loc["slow_first_response", "odds_ratio"] == pytest.approx(
        np.exp(ref.params["slow"]), rel=1e-5
    )
    assert table.loc["tier=A", "odds_ratio"] == pytest.approx(
        np.exp(ref.params["C(tier, Treatment('D'))[T.A]"]), rel=1e-5
    )
    low, high = np.exp(ref.conf_int().loc["slow"])
    assert (
        table.loc["slow_first_response", "ci_low"],
        table.loc["slow_first_response", "ci_high"],
    ) == pytest.approx((low, high), rel=1e-5)
    assert "Slow first response" in nps.drivers_text(res)
    assert "倍" in nps.drivers_text(nps.detractor_drivers(frame, lang="zh"), lang="zh")


def test_drivers_drop_constant_and_collinear_columns_and_say_so():
    rng = np.random.default_rng(9)
    n = 600
    frame = pd.DataFrame(
        {
            "nps_category": rng.choice(["detractor", "promoter"], n),
            "slow_first_response": rng.random(n) < 0.3,
            "app_bound": True,  # constant
            "n_tickets": rng.poisson(1, n),
        }
    )
    frame["orders_365d"] = frame["n_tickets"] * 2  # collinear with n_tickets
    res = nps.detractor_drivers(frame)
    assert "app_bound" not in set(res.table["term"])
    assert len(set(res.table["term"]) & {"n_tickets", "orders_365d"}) == 1
    assert any("app_bound" in note for note in res.notes)
    assert any("collinear" in note for note in res.notes)


def test_closed_loop_counts_contacts_in_window_only():
    responses = pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4"],
            "customer_id": ["a", "b", "c", "d"],
            "responded_at": pd.to_datetime(
                ["2025-10-01", "2025-10-01", "2025-10-01", "2025-12-30"]
            ),
            "nps_category": ["detractor", "detractor", "promoter", "detractor"],
        }
    )
    touches = pd.DataFrame(
        {"customer_id": ["a", "b"], "sent_at": pd.to_datetime(["2025-10-05", "2025-10-20"])}
    )
    tickets = pd.DataFrame({"customer_id": ["c"], "created_at": pd.to_datetime(["2025-10-02"])})
    orders = pd.DataFrame(
        {"customer_id": ["a", "b"], "order_date": pd.to_datetime(["2025-11-01", "2025-09-01"])}
    )
    out = nps.closed_loop(
        responses, "2025Q4", touches=touches, tickets=tickets, orders=orders, within_days=7
    )
    rows = out.set_index("measure")
    # r4 is too close to the period end to have a full 7-day window; r3 is a promoter
    assert rows.loc["contacted", ["n", "count"]].tolist() == [2, 1]
    assert rows.loc["bought_again_contacted", "rate"] == 1.0
    assert rows.loc["bought_again_not_contacted", "rate"] == 0.0


def test_functions_accept_missing_tables():
    empty = nps.survey_responses(None)
    assert empty.empty
    assert nps.nps_summary(empty).empty
    assert nps.service_kpis(nps.ticket_frame(None)).empty
    assert nps.closed_loop(empty, "2025Q4").empty
    assert "No survey answers" in nps.summary_text(
        nps.nps_summary(empty), nps.period_comparison(empty, "2025Q4"), "2025Q4"
    )
    assert "没有" in nps.service_text(pd.DataFrame(), lang="zh")


# --------------------------------------------------------------------------- demo data: planted effects


@pytest.fixture(scope="module")
def demo_5k_frames(demo_5k_artifacts):
    tables = read_clean_tables(demo_5k_artifacts)
    features = read_artifact(demo_5k_artifacts, "customer_features.parquet")
    return tables, features


def test_planted_slow_service_gap_and_quarter_dip_recovered(demo_5k_frames, truth_5k):
    tables, features = demo_5k_frames
    truth = truth_5k["nps"]
    period = Period.parse(truth_5k["period"])
    all_r = nps.survey_responses(tables["surveys"], features)
    now = nps.survey_responses(tables["surveys"], features, period=period)
    gap = nps.nps_gap(now, "slow_first_response").iloc[0]
    assert gap["gap"] == pytest.approx(
        truth["slow_service_gap_expected_points"], abs=truth["tolerance"]["gap_points_abs"]
    )
    assert gap["p_value"] < 0.05
    comparison = nps.period_comparison(all_r, period).set_index("comparison")
    prev = comparison.loc["previous"]
    assert prev["change"] == pytest.approx(
        truth["period_dip_expected_points"], abs=truth["tolerance"]["dip_points_abs"]
    )
    assert bool(prev["significant"]) and prev["p_value"] < 0.05
    # the realised quarterly NPS in truth.json was counted on the same answers
    assert prev["nps"] == pytest.approx(truth["nps_by_quarter_realized"][period.label], abs=1.0)
    # drivers: slow first response is the clear detractor driver
    drivers = nps.detractor_drivers(now).table.set_index("term")
    assert drivers.loc["slow_first_response", "ci_low"] > 1.5


def test_response_time_claim_is_tested_not_assumed(demo_5k_frames):
    """In the demo only slow (> 24 h) service lowers NPS: the 2-hour mark itself makes no difference."""
    tables, features = demo_5k_frames
    now = nps.survey_responses(tables["surveys"], features, period="2025Q4")
    linked = nps.link_tickets(now, tables["tickets"])
    tickets = nps.ticket_frame(tables["tickets"], "2025Q4")
    tests = nps.response_time_tests(linked, tickets).set_index("test")
    assert not tests.loc["nps_fast_vs_medium", "significant"]
    assert not tests.loc["csat_fast_vs_medium", "significant"]
    # slow tickets are rated far lower: the > 48 h bin's satisfied share lies below every
    # faster bin's interval (the demo plants a flagged customer's first ticket early in the
    # relationship, so the period holds fewer slow tickets and the <= 2 h vs rest test, with
    # its 66 fast tickets, no longer reaches 5% after Holm; the claim is tested directly)
    bins = nps.csat_by_response_time(tickets).set_index("group")
    slowest = bins.iloc[-1]
    assert (slowest["satisfied_ci_high"] < bins.iloc[:-1]["satisfied_ci_low"]).all()
    assert slowest["csat_mean"] < 2.8  # planted: 2.3 for slow tickets, 4.2 otherwise
    assert (tests["p_holm"] >= tests["p_value"]).all()


# --------------------------------------------------------------------------- notebook


@pytest.mark.slow
def test_notebook_runs_on_small_demo_and_writes_summary(small_demo, small_artifacts, tmp_path):
    import papermill as pm

    build = small_artifacts.parents[1]
    out = tmp_path / "04_nps.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "04_nps.ipynb"),
        str(out),
        parameters={"period": "2025Q4", "config": str(small_demo), "build_dir": str(build)},
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    summary = pd.read_csv(small_artifacts / "nps_summary.csv")
    assert list(summary.columns) == nps.SUMMARY_COLUMNS
    overall = summary[summary["group_type"] == "overall"].iloc[0]
    surveys = pd.read_parquet(small_artifacts / "clean_surveys.parquet")
    inside = surveys[
        (surveys["responded_at"] >= "2025-10-01") & (surveys["responded_at"] < "2026-01-01")
    ]
    assert overall["n"] == len(inside)
    assert overall["nps"] == pytest.approx(
        100 * ((inside["score"] >= 9).mean() - (inside["score"] <= 6).mean())
    )
    assert overall["ci_low"] < overall["nps"] < overall["ci_high"]
    assert {"touchpoint", "region", "month", "slow_first_response"} <= set(summary["group_type"])
    comparison = pd.read_csv(small_artifacts / "nps_comparison.csv")
    assert set(comparison["comparison"]) == {"previous", "last_year"}
    executed = json.loads(out.read_text(encoding="utf-8"))
    text = json.dumps(executed)
    for bad in ("Traceback", "Warning", "13812345678", "139 1234 5678", "@example.com"):
        assert bad not in text, bad
    glued = {
        o["metadata"]["scrapbook"]["name"]
        for c in executed["cells"]
        for o in c.get("outputs", [])
        if "scrapbook" in o.get("metadata", {})
    }
    assert {
        "nps_value",
        "nps_low",
        "nps_high",
        "nps_n",
        "nps_change",
        "nps_change_p",
        "nps_slow_gap",
        "nps_csat_mean",
        "nps_frt_median_hours",
    } <= glued


def test_summary_intervals_contain_their_estimate_and_small_groups_are_not_estimates():
    """n = 1 (NPS -100) was shown with CI [-98.5, 48.5]: now every interval holds its estimate,
    the adjusted NPS where the interval is adjusted, and groups below min_n are not shown."""
    rng = np.random.default_rng(5)
    sizes = {"one": 1, "ten": 10, "fifty": 50, "big": 150}
    region = np.repeat(list(sizes), list(sizes.values()))
    category = rng.choice(["promoter", "passive", "detractor"], len(region), p=[0.5, 0.2, 0.3])
    category[0] = "detractor"  # the n = 1 group: NPS -100
    r = pd.DataFrame({"nps_category": category, "region": region})
    summary = nps.nps_summary(r, min_n=30)
    rows = summary.set_index(["group_type", "group"])
    # the adjusted estimate by hand: 0.75 promoters, 0.75 detractors, 1.5 passives added
    part = r[r["region"] == "fifty"]["nps_category"].value_counts()
    adjusted = 100 * ((part.get("promoter", 0) + 0.75) - (part.get("detractor", 0) + 0.75)) / 53
    assert rows.loc[("region", "fifty"), "estimate"] == pytest.approx(adjusted)
    part = r[r["region"] == "big"]["nps_category"].value_counts()
    plain = 100 * (part.get("promoter", 0) - part.get("detractor", 0)) / 150
    assert rows.loc[("region", "big"), "estimate"] == pytest.approx(plain)  # Wald: the plain NPS
    shown = summary.dropna(subset=["estimate"])
    assert ((shown["ci_low"] <= shown["estimate"]) & (shown["estimate"] <= shown["ci_high"])).all()
    # groups below min_n: counted, not shown as estimates, unranked, stated in a sentence
    for g in ("one", "ten"):
        row = rows.loc[("region", g)]
        assert bool(row["small_group"]) and pd.isna(row["rank"])
        assert row[["nps", "estimate", "ci_low", "ci_high"]].isna().all()
        assert row["n"] == sizes[g]
    text = nps.small_groups_text(summary, min_n=30)
    assert "fewer than 30 answers" in text and "2 of 4 groups (region: one, ten)" in text
    assert "少于 30 份" in nps.small_groups_text(summary, min_n=30, lang="zh")
    # every group plotted has n >= min_n
    axes = nps.plot_nps_panels(nps.panel_table(summary), title="t")
    labels = [t.get_text() for ax in axes for t in ax.get_yticklabels()]
    assert sorted(labels) == ["big (n=150)", "fifty (n=50)"]


def test_demo_nps_summary_csv_intervals_contain_the_estimate(demo_5k_frames):
    tables, features = demo_5k_frames
    now = nps.survey_responses(tables["surveys"], features, period="2025Q4")
    summary = nps.nps_summary(now, min_n=30)
    shown = summary.dropna(subset=["estimate"])
    assert len(shown) > 5
    assert ((shown["ci_low"] <= shown["estimate"]) & (shown["estimate"] <= shown["ci_high"])).all()
    assert (shown.loc[shown["group_type"] != "overall", "n"] >= 30).all()
