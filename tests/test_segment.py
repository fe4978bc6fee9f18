"""Segments: scores and mapping on hand-made frames, planted effects on demo data, migration
against an independent recount, the notebook end to end."""

from __future__ import annotations

import json
import math
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from custops.core.config import Period, SegmentConfig, load_config
from custops.demo.synth import write_demo_data
from custops.features.features import customer_features
from custops.ingest.artifacts import artifacts_dir, write_artifact
from custops.ingest.cleaning import load_and_clean
from custops.segments import segmentation as seg

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2025Q4"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """1,500-customer demo: config, clean tables, customer views of two periods, truth."""
    folder = tmp_path_factory.mktemp("seg_demo")
    write_demo_data(folder, 1500, 42)
    cfg = load_config(folder / "custops.yaml")
    tables = load_and_clean(cfg, PERIOD).tables
    kwargs = {
        "inactivity_days": cfg.churn.inactivity_days,
        "slow_response_hours": cfg.nps.slow_response_hours,
    }
    current = customer_features(tables, PERIOD, **kwargs)
    previous = customer_features(tables, Period.parse(PERIOD).previous(), **kwargs)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return {
        "folder": folder,
        "cfg": cfg,
        "tables": tables,
        "features": current,
        "previous": previous,
        "truth": truth,
    }


@pytest.fixture(scope="session")
def segmented(demo):
    return seg.segment_customers(demo["features"], demo["tables"]["orders"], PERIOD, demo["cfg"])


# --------------------------------------------------------------------------- quantile scores


def test_scores_without_ties_equal_qcut_on_ranks():
    values = pd.Series(np.random.default_rng(1).permutation(1000).astype(float) * 3.7)
    expected = pd.qcut(values.rank(method="first"), 5, labels=False) + 1
    assert seg.quantile_scores(values, 5).astype(int).tolist() == expected.astype(int).tolist()
    # recency: the smallest values get the highest score
    reverse = seg.quantile_scores(values, 5, higher_is_better=False).astype(int)
    assert (reverse == 6 - expected.astype(int)).all()


def test_scores_one_customer_and_all_ties_get_the_middle_score():
    assert seg.quantile_scores(pd.Series([42.0]), 5).tolist() == [3]
    assert seg.quantile_scores(pd.Series([7] * 9), 5).tolist() == [3] * 9
    assert seg.quantile_scores(pd.Series([7] * 4), 4).tolist() == [3] * 4


def test_tied_values_share_a_score_and_scores_rise_with_value():
    values = pd.Series([1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 7])
    scores = seg.quantile_scores(values, 5)
    for _, group in scores.groupby(values):
        assert group.nunique() == 1
    ordered = scores[values.sort_values(kind="stable").index]
    assert ordered.is_monotonic_increasing
    assert scores.min() >= 1 and scores.max() <= 5


def test_scores_keep_missing_and_check_bins():
    scores = seg.quantile_scores(pd.Series([3.0, None, 1.0]), 5)
    assert scores.isna().tolist() == [False, True, False]
    with pytest.raises(ValueError, match="bins must be between 2 and 10"):
        seg.quantile_scores(pd.Series([1.0]), 1)


def test_rfm_scores_zero_spend_and_never_bought():
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d"],
            "recency_days": [10, 200, 50, None],
            "n_orders": [3, 1, 2, 0],
            "revenue_total": [0.0, 0.0, 0.0, 0.0],
        }
    )
    out = seg.score_rfm(frame)
    assert out.loc[:2, "m_score"].tolist() == [3, 3, 3]  # all zero spend: one tie
    assert out.loc[:2, "r_score"].tolist() == [5, 1, 3]
    assert out.loc[3, "rfm_segment"] == "Never bought"
    assert pd.isna(out.loc[3, "r_score"]) and out.loc[3, "rfm_score"] is None
    assert out.loc[0, "rfm_score"] == "553"


def test_rfm_scores_names_missing_columns():
    with pytest.raises(KeyError, match=r"needs the column\(s\) \['revenue_total'\]"):
        seg.rfm_scores(pd.DataFrame({"customer_id": ["a"], "recency_days": [1], "n_orders": [1]}))


# --------------------------------------------------------------------------- segment mapping


def test_default_mapping_covers_every_cell_once():
    grid = seg._rule_lookup(seg.RFM_SEGMENTS)
    assert (grid >= 0).all()
    names = list(seg.RFM_SEGMENTS)
    cells = {}
    for r in range(1, 6):
        for fm in range(1, 6):
            hits = [
                n
                for n, rule in seg.RFM_SEGMENTS.items()
                if rule["r"][0] <= r <= rule["r"][1] and rule["fm"][0] <= fm <= rule["fm"][1]
            ]
            assert len(hits) == 1, (r, fm, hits)
            cells[(r, fm)] = hits[0]
    assert set(cells.values()) == set(names)  # all eleven segments are reachable


@pytest.mark.parametrize(
    ("r", "f", "m", "expected"),
    [
        (5, 5, 5, "Champions"),
        (5, 4, 3, "Champions"),  # fm = ceil(3.5) = 4
        (4, 5, 3, "Loyal"),
        (4, 2, 3, "Potential loyalist"),
        (5, 1, 1, "New"),
        (4, 1, 1, "Promising"),
        (3, 3, 3, "Need attention"),
        (3, 1, 2, "About to sleep"),
        (1, 5, 5, "Cannot lose them"),
        (2, 3, 4, "At risk"),
        (2, 1, 1, "Hibernating"),
        (1, 1, 2, "Lost"),
    ],
)
def test_segment_of_hand_made_scores(r, f, m, expected):
    scores = pd.DataFrame({"r_score": [r], "f_score": [f], "m_score": [m]})
    assert seg.rfm_segments(scores).tolist() == [expected]


def test_mapping_can_be_replaced_and_is_checked():
    scores = pd.DataFrame({"r_score": [5, 1], "f_score": [1, 5], "m_score": [1, 5]})
    custom = {"Recent": {"r": (4, 5)}}
    assert seg.rfm_segments(scores, custom).tolist() == ["Recent", "Other"]
    with pytest.raises(ValueError, match="uses \\['x'\\]"):
        seg.rfm_segments(scores, {"Bad": {"x": (1, 2)}})
    with pytest.raises(ValueError, match="1 <= low <= high <= 5"):
        seg.rfm_segments(scores, {"Bad": {"r": (4, 9)}})


def test_ten_bins_are_graded_onto_the_rule_scale():
    frame = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(20)],
            "recency_days": np.arange(20),
            "n_orders": np.arange(20) + 1,
            "revenue_total": np.arange(20) * 10.0 + 5,
        }
    )
    out = seg.score_rfm(frame, bins=10)
    assert out["r_score"].max() == 10 and out["r_score"].min() == 1
    assert out.loc[0, "rfm_score"] == "10.1.1"  # most recent, fewest orders, least spend
    assert out.loc[0, "rfm_segment"] == "New"
    assert out.loc[19, "rfm_segment"] == "Cannot lose them"


def test_rules_table_lists_every_segment_with_an_action():
    table = seg.segment_rules_table()
    assert table["segment"].tolist() == list(seg.RFM_SEGMENTS)
    assert (table["suggested action"].str.len() > 10).all()
    zh = seg.segment_rules_table(lang="zh")
    assert "冠军客户" in zh["客群"].tolist()
    for name in [*seg.RFM_SEGMENTS, seg.NEVER_BOUGHT]:
        assert set(seg.SEGMENT_ACTIONS[name]) == {"en", "zh"}


# --------------------------------------------------------------------------- tiers, lifecycle


def test_value_tiers_boundaries_and_errors():
    frame = pd.DataFrame({"revenue_365d": [20000.0, 19999.99, 6000.0, 1500.0, 1499.0, 0.0]})
    tiers = {"C": 1500, "A": 20000, "B": 6000}  # order of the dict does not matter
    assert seg.value_tiers(frame, tiers).tolist() == ["A", "B", "B", "C", "D", "D"]
    with pytest.raises(ValueError, match="tiers is empty"):
        seg.value_tiers(frame, {})
    with pytest.raises(ValueError, match="must be positive"):
        seg.value_tiers(frame, {"A": -5})
    with pytest.raises(ValueError, match="same minimum"):
        seg.value_tiers(frame, {"A": 10, "B": 10})


def test_lifecycle_precedence_and_window_check():
    end = pd.Timestamp("2025-12-31")
    frame = pd.DataFrame(
        {
            "customer_id": ["new", "back", "act", "sleep", "gone", "none", "edge"],
            "first_purchase": [end - pd.Timedelta(days=89)] + [pd.Timestamp("2024-01-01")] * 6,
            "recency_days": [5, 3, 90, 180, 181, None, 91],
        }
    )
    stages = seg.lifecycle_stages(frame, PERIOD, reactivated=["back"])
    assert stages.tolist() == [
        "new",
        "reactivated",
        "active",
        "sleeping",
        "churned",
        "never bought",
        "sleeping",
    ]
    with pytest.raises(ValueError, match="must be at least sleeping_days"):
        seg.lifecycle_stages(frame, PERIOD, sleeping_days=120, churned_days=100)


def test_reactivated_equals_a_plain_python_recount(demo):
    orders = demo["tables"]["orders"]
    found = set(seg.reactivated_customers(orders, PERIOD, 90))
    period = Period.parse(PERIOD)
    expected = set()
    days: dict[str, set] = {}
    for cid, ts in zip(orders["customer_id"], orders["order_date"], strict=True):
        if ts.date() <= period.end:
            days.setdefault(cid, set()).add(ts.date())
    for cid, dates in days.items():
        ordered = sorted(dates)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if period.contains(after) and (after - before).days > 90:
                expected.add(cid)
    assert found == expected
    assert len(found) > 20


def test_lifecycle_counts_on_demo(demo, segmented):
    view = segmented.view
    s = SegmentConfig(**demo["cfg"].segments.model_dump())
    bought = view["has_ordered"]
    new = bought & ((pd.Timestamp("2025-12-31") - view["first_purchase"]).dt.days < s.new_days)
    stages = segmented.table["lifecycle"]
    assert (stages == "never bought").sum() == (~bought).sum()
    assert (stages == "new").sum() == new.sum()
    rest = bought & ~new & (stages != "reactivated")
    assert (stages[rest & (view["recency_days"] > s.churned_days)] == "churned").all()
    assert ((stages == "churned") == (rest & (view["recency_days"] > s.churned_days))).all()


# --------------------------------------------------------------------------- planted effects


def test_high_value_group_is_found(segmented, demo):
    truth = demo["truth"]["high_value_group"]
    planted = set(truth["customer_ids"])
    profile = seg.cluster_profile(segmented.view)
    top = seg.high_value_cluster(profile)
    assert str(top["cluster_name"]).startswith("high-value")
    table = segmented.table
    members = set(table.loc[table["cluster"] == top["cluster"], "customer_id"])
    buyers = set(table.loc[table["cluster"] >= 0, "customer_id"])
    precision = len(members & planted) / len(members)
    recall = len(members & planted) / len(planted & buyers)
    assert precision >= 0.85, precision
    assert recall >= 0.85, recall
    tol = truth["tolerance"]
    assert abs(top["share_revenue"] - truth["revenue_share_realized"]) <= tol["revenue_share_abs"]
    assert abs(top["share_customers"] - truth["share_of_buyers_realized"]) <= tol["size_share_abs"]
    # the top value tier is almost only planted customers (it misses the lapsed ones)
    tier_a = set(table.loc[table["tier"] == "A", "customer_id"])
    assert len(tier_a & planted) / len(tier_a) >= 0.9


def test_clusters_are_reproducible_and_k_in_range(segmented, demo):
    model = segmented.clusters
    lo, hi = demo["cfg"].segments.k_range
    assert lo <= model.k_ <= hi
    assert model.k_ == int(model.silhouette_.sort_values("silhouette").iloc[-1]["k"])
    view = segmented.view[segmented.view["has_ordered"]]
    again = seg.CustomerClusters(k_range=(lo, hi), random_state=demo["cfg"].seed).fit(view)
    assert (again.predict(view) == model.predict(view)).all()
    assert len(set(model.names_.values())) == model.k_


def test_stratified_sample_above_max_rows(segmented):
    view = segmented.view[segmented.view["has_ordered"]].reset_index(drop=True)
    strata = segmented.table.loc[segmented.table["cluster"] >= 0, "rfm_segment"].reset_index(
        drop=True
    )
    model = seg.CustomerClusters(k_range=(3, 4), max_rows=600, random_state=7).fit(view, strata)
    assert model.stratified_ and model.n_rows_ == len(view)
    assert abs(model.n_fit_ - 600) <= strata.nunique()
    assert len(model.predict(view)) == len(view)
    assert "sample of" in model.note("en")


def test_clustering_errors_name_the_columns():
    frame = pd.DataFrame(
        {c: [1.0, 2.0, 3.0, 4.0, np.nan] for c in seg.CLUSTER_FEATURES} | {"n_orders": [1] * 5}
    )
    with pytest.raises(ValueError, match="recency_days"):
        seg.CustomerClusters(k_range=(2, 3)).fit(frame)
    frame = frame.fillna(1.0).assign(avg_order_value=-1.0)
    with pytest.raises(ValueError, match=r"\['avg_order_value'\] have negative values"):
        seg.CustomerClusters(k_range=(2, 3)).fit(frame)


# --------------------------------------------------------------------------- summaries


def test_contribution_matches_plain_pandas(segmented):
    view = segmented.view
    c = seg.segment_contribution(view, "rfm_segment", order=seg.SEGMENT_ORDER).set_index(
        "rfm_segment"
    )
    assert c["customers"].sum() == len(view)
    assert math.isclose(c["share_revenue"].sum(), 1.0)
    at_risk = view[view["rfm_segment"] == "At risk"]
    row = c.loc["At risk"]
    assert row["customers"] == len(at_risk)
    assert math.isclose(row["revenue"], at_risk["revenue_365d"].sum())
    assert math.isclose(row["churn_rate"], at_risk["event"].mean())
    assert math.isclose(row["repurchase_rate"], (at_risk["n_orders"] >= 2).mean())
    # Wilson interval by its formula
    n, p, z = len(at_risk), at_risk["event"].mean(), 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert math.isclose(row["churn_low"], centre - half, rel_tol=1e-9)
    assert math.isclose(row["churn_high"], centre + half, rel_tol=1e-9)
    assert pd.isna(c.loc["Never bought", "churn_rate"])
    # the churned segments churn more than the active ones
    assert c.loc["Lost", "churn_rate"] > 0.9 > 0.1 > c.loc["Champions", "churn_rate"]


def test_concentration_against_numpy(segmented):
    revenue = segmented.view["revenue_365d"].to_numpy()
    positive = np.sort(revenue[revenue > 0])[::-1]
    k = math.ceil(0.2 * len(positive))
    expected = positive[:k].sum() / positive.sum()
    assert math.isclose(seg.top_share(revenue, 0.2), expected)
    curve = seg.pareto_curve(revenue)
    assert curve["revenue_share"].iloc[0] == 0 and math.isclose(curve["revenue_share"].iloc[-1], 1)
    assert curve["revenue_share"].is_monotonic_increasing
    sentence = seg.concentration_sentence(revenue, 0.2)
    assert f"top 20% of customers bring {expected:.1%} of revenue" in sentence
    assert "前 20% 的客户" in seg.concentration_sentence(revenue, 0.2, "zh")
    with pytest.raises(ValueError, match="top must be a share"):
        seg.top_share(revenue, 1.5)


def test_migration_equals_independent_crosstab(demo, segmented):
    before = seg.previous_segmentation(demo["tables"], PERIOD, demo["cfg"])
    assert before.period.label == "2025Q3" and before.clusters is None
    matrix = seg.migration(before, segmented, "rfm_segment")
    assert matrix.attrs == {"previous": "2025Q3", "current": "2025Q4", "what": "segment"}
    # independent recount: score each period separately and cross-tabulate
    bins = demo["cfg"].segments.rfm_bins
    prev = seg.score_rfm(demo["previous"], bins=bins)[["customer_id", "rfm_segment"]]
    cur = seg.score_rfm(demo["features"], bins=bins)[["customer_id", "rfm_segment"]]
    both = cur.merge(prev, on="customer_id", how="left", suffixes=("_now", "_before"))
    both["rfm_segment_before"] = both["rfm_segment_before"].fillna(seg.NEW_CUSTOMER)
    recount = pd.crosstab(both["rfm_segment_before"], both["rfm_segment_now"])
    recount = recount.reindex(index=matrix.index, columns=matrix.columns, fill_value=0)
    assert (matrix.to_numpy() == recount.to_numpy()).all()
    assert matrix.to_numpy().sum() == len(demo["features"])
    existing = both[both["rfm_segment_before"] != seg.NEW_CUSTOMER]
    both_stay = (existing["rfm_segment_before"] == existing["rfm_segment_now"]).mean()
    moves = seg.top_movements(matrix, 3)
    first = moves.iloc[0]
    assert first["customers"] == recount.loc[first["from"], first["to"]]
    text = seg.migration_sentences(matrix, 3)
    assert text.startswith(f"{both_stay:.1%} of the customers who were already customers in 2025Q3")
    assert f"{first['customers']:,} customers moved from **{first['from']}**" in text
    tiers = seg.migration(before, segmented, "tier")
    assert list(tiers.columns) == [c for c in ["A", "B", "C", "D"] if c in tiers.columns]
    assert tiers.to_numpy().sum() == len(demo["features"])


def test_crm_export_has_no_personal_data(segmented, demo):
    crm = seg.crm_export(segmented, "zh")
    assert crm.columns.tolist() == [
        "customer_id",
        "segment",
        "tier",
        "lifecycle",
        "suggested_action",
    ]
    assert len(crm) == len(demo["features"])
    assert (crm["suggested_action"].str.len() > 0).all()
    assert set(segmented.table.columns) == set(seg.Segmentation.ARTIFACT_COLUMNS)
    pii = set(demo["cfg"].privacy.pii_columns)
    assert not pii & set(crm.columns) and not pii & set(segmented.table.columns)


def test_headlines(segmented):
    out = seg.headlines(segmented)
    assert out["seg_n_champions"] == (segmented.table["rfm_segment"] == "Champions").sum()
    assert out["seg_n_at_risk"] == (segmented.table["rfm_segment"] == "At risk").sum()
    assert 0.5 < out["seg_top_share"] < 0.95
    assert 0.01 < out["seg_high_value_cluster_share"] < 0.1


# --------------------------------------------------------------------------- plots


def _plot_cases():
    contribution = pd.DataFrame(
        {
            "rfm_segment": ["Loyal", "Lost"],
            "share_customers": [0.2, 0.8],
            "share_revenue": [0.7, 0.3],
        }
    )
    matrix = pd.DataFrame(
        [[5, 3], [1, 7]], index=["Loyal", "At risk"], columns=["Loyal", "At risk"]
    )
    levels = pd.DataFrame({"recency_days": [-0.5, 1.2], "avg_order_value": [2.5, -0.1]})
    silhouette = pd.DataFrame({"k": [3, 4], "silhouette": [0.25, 0.31]})
    return {
        "share_vs_revenue": lambda ax: seg.plot_share_vs_revenue(
            seg.share_vs_revenue_table(contribution), ax=ax, takeaway="given"
        ),
        "pareto": lambda ax: seg.plot_pareto(
            seg.pareto_curve(pd.Series([5.0, 3.0, 1.0, 1.0])), 0.25, 0.5, ax=ax, takeaway="given"
        ),
        "transition": lambda ax: seg.plot_transition(
            seg.transition_shares(matrix), matrix, ax=ax, takeaway="given"
        ),
        "silhouette": lambda ax: seg.plot_silhouette(silhouette, 4, ax=ax, takeaway="given"),
        "cluster_levels": lambda ax: seg.plot_cluster_levels(
            seg.cluster_levels_table(levels, {0: "high-value loyal", 1: "lapsed"}),
            ax=ax,
            takeaway="given",
        ),
    }


@pytest.mark.parametrize("name", sorted(_plot_cases()))
def test_plot_draws_into_the_given_axes_and_returns_it(name):
    import matplotlib.pyplot as plt

    from custops.report.plots import takeaway

    fig, (ax, other) = plt.subplots(1, 2)
    try:
        assert _plot_cases()[name](ax) is ax
        assert ax.has_data() and ax.get_title()
        assert not other.has_data() and len(fig.axes) == 2  # no new Axes, nothing elsewhere
        assert takeaway(fig) == "given"
    finally:
        plt.close(fig)


def test_plot_tables_hold_labels_and_shares():
    contribution = pd.DataFrame(
        {"tier": ["A", "B"], "share_customers": [0.1, 0.9], "share_revenue": [0.6, 0.4]}
    )
    table = seg.share_vs_revenue_table(contribution, "tier", "zh")
    assert table["share"].tolist() == [0.1, 0.9, 0.6, 0.4]
    assert table["measure"].tolist() == ["客户占比"] * 2 + ["销售额占比"] * 2
    matrix = pd.DataFrame([[2, 6], [0, 0]], index=["Loyal", "Lost"], columns=["Loyal", "Lost"])
    shares = seg.transition_shares(matrix)
    assert shares.to_numpy().tolist() == [[0.25, 0.75], [0.0, 0.0]]
    assert seg.transition_shares(matrix, "zh").index.tolist() == ["忠诚客户", "已流失"]
    levels = pd.DataFrame({"n_orders": [1.0], "other": [0.5]})
    shown = seg.cluster_levels_table(levels, {0: "lapsed regular"}, "zh")
    assert shown.index.tolist() == ["0: 流失常客"] and shown.columns.tolist() == ["订单数", "other"]
    assert seg.silhouette_takeaway(pd.DataFrame({"k": [3], "silhouette": [0.2]}), 4) is None


# --------------------------------------------------------------------------- notebook


@pytest.mark.slow
def test_notebook_runs_and_writes_segments(demo, tmp_path):
    import papermill as pm

    build = tmp_path / "build"
    folder = artifacts_dir(build, PERIOD)
    for name, frame in demo["tables"].items():
        write_artifact(frame, folder, f"clean_{name}.parquet")
    write_artifact(demo["features"], folder, "customer_features.parquet")
    out = tmp_path / "02.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "02_segmentation.ipynb"),
        str(out),
        parameters={
            "period": PERIOD,
            "config": str(demo["folder"] / "custops.yaml"),
            "build_dir": str(build),
        },
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    segments = pd.read_parquet(folder / "segments.parquet")
    assert segments.columns.tolist() == list(seg.Segmentation.ARTIFACT_COLUMNS)
    assert len(segments) == len(demo["features"])
    planted = set(demo["truth"]["high_value_group"]["customer_ids"])
    high = segments[segments["cluster_name"].str.startswith("high-value")]
    assert len(set(high["customer_id"]) & planted) / len(high) >= 0.85
    crm = pd.read_csv(folder / "segments_crm.csv")
    assert crm.columns.tolist() == [
        "customer_id",
        "segment",
        "tier",
        "lifecycle",
        "suggested_action",
    ]
    assert (
        crm["segment"].value_counts().to_dict() == segments["rfm_segment"].value_counts().to_dict()
    )

    nb = nbformat.read(out, as_version=4)
    glued, problems = {}, []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" or output.get("name") == "stderr":
                problems.append(output)
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                glued[meta["name"]] = output["data"]
    assert not problems
    for key in (
        "seg_top_share",
        "seg_n_champions",
        "seg_n_at_risk",
        "seg_high_value_cluster_share",
    ):
        assert key in glued
    n_champions = next(iter(glued["seg_n_champions"].values()))
    assert int(n_champions) == (segments["rfm_segment"] == "Champions").sum()
    # weekday x hour (issue 11): the demo's evening peak
    block = next(iter(glued["seg_peak_hour_block"].values())).strip("'")
    assert 18 <= int(block[:2]) <= 21, block
