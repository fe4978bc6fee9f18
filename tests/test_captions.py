"""Figure captions (issue #22): each chart's one-sentence takeaway is computed from the data it
shows, and the book numbers it by chapter ("Figure 2.1 — ...", "图 2.1 — ...").

The takeaways are compared with numbers computed here independently of the package (plain
pandas / numpy on the raw rows); the numbering with notebooks built by hand.
"""

from __future__ import annotations

import re
from collections import Counter

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from custops.report import plots
from custops.report.labels import value_label
from custops.report.plots import takeaway
from custops.run.pipeline import figure_caption, prepare_notebook
from custops.segments import segmentation as seg
from custops.survival import churn

PNG = {"image/png": "iVBORw0KGgo="}


def _image(alt: str, text: str | None) -> nbformat.NotebookNode:
    meta = {"alt": alt, **({"takeaway": text} if text else {})}
    return new_output("display_data", data=PNG, metadata={"image/png": meta})


def _markdown(text: str) -> nbformat.NotebookNode:
    return new_output("display_data", data={"text/markdown": text, "text/plain": text})


# --------------------------------------------------------------------------- takeaways


def test_share_vs_revenue_takeaway_names_the_largest_revenue_share():
    rng = np.random.default_rng(3)
    segments = rng.choice(
        ["Champions", "Loyal", "At risk", "Lost"], size=400, p=[0.1, 0.3, 0.3, 0.3]
    )
    revenue = rng.gamma(2.0, 100.0, size=400) * np.where(segments == "Champions", 6.0, 1.0)
    view = pd.DataFrame(
        {
            "rfm_segment": segments,
            "revenue_365d": revenue,
            "orders_365d": 1,
            "revenue_total": revenue,
            "n_orders": 1,
            "event": 0,
        }
    )
    # independently: the segment with the largest revenue, its revenue and customer shares
    by_revenue = {s: revenue[segments == s].sum() for s in set(segments)}
    top = max(by_revenue, key=by_revenue.get)
    revenue_share = by_revenue[top] / revenue.sum()
    customer_share = (segments == top).mean()
    contribution = seg.segment_contribution(view)
    table = seg.share_vs_revenue_table(contribution, "rfm_segment", "en")
    text = seg.share_takeaway(contribution, "rfm_segment", "en")
    assert takeaway(seg.plot_share_vs_revenue(table, "en", takeaway=text)) == text
    assert text == (
        f"{top} carry {revenue_share:.0%} of 12-month revenue with {customer_share:.0%} of "
        "customers."
    )
    zh = seg.share_takeaway(contribution, "rfm_segment", "zh")
    assert zh == (
        f"{seg.label(top, 'zh')}以 {customer_share:.0%} 的客户贡献了近 12 个月 "
        f"{revenue_share:.0%} 的销售额。"
    )


def _km_at(duration: np.ndarray, event: np.ndarray, at: float) -> float:
    """Product-limit survival at ``at``, written out (no lifelines)."""
    survival = 1.0
    for time in np.unique(duration[(event == 1) & (duration <= at)]):
        at_risk = (duration >= time).sum()
        deaths = ((duration == time) & (event == 1)).sum()
        survival *= 1 - deaths / at_risk
    return survival


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_km_takeaway_quotes_survival_at_a_year_for_the_best_and_worst_group(lang):
    rng = np.random.default_rng(7)
    n = 600
    group = rng.choice(["wechat", "sms", "email"], size=n)
    scale = np.select([group == "wechat", group == "sms"], [900.0, 500.0], 250.0)
    life = rng.exponential(scale).round()
    censor = rng.uniform(200, 800, size=n).round()
    surv = pd.DataFrame(
        {
            "duration_days": np.minimum(life, censor),
            "event": (life <= censor).astype(int),
            "channel": group,
        }
    )
    km = churn.km_by_group(surv, "channel", times=(365,), min_events=5)
    fig = churn.plot_km(km.curves, title="t", takeaway=churn.km_takeaway(km.curves, lang))
    expected = {
        g: _km_at(
            surv.loc[surv["channel"] == g, "duration_days"].to_numpy(),
            surv.loc[surv["channel"] == g, "event"].to_numpy(),
            365,
        )
        for g in ("wechat", "sms", "email")
    }
    best, worst = max(expected, key=expected.get), min(expected, key=expected.get)
    assert (best, worst) == ("wechat", "email")  # the planted order
    text = takeaway(fig)
    if lang == "en":
        assert text == (
            f"The group WeChat keeps customers longest: {expected[best]:.0%} are still buying "
            f"after 365 days, against {expected[worst]:.0%} for {value_label('email')}."
        )
    else:
        assert text == (
            f"微信组的客户留存最久：365 天后仍有 {expected[best]:.0%} 在购买，"
            f"邮件组只有 {expected[worst]:.0%}。"
        )


def test_ledger_takeaway_counts_rows_kept_and_the_worst_table():
    summary = pd.DataFrame(
        {
            "table": ["customers", "orders", "tickets"],
            "kept": [1180, 5300, 790],
            "merged": [0, 40, 0],
            "rejected": [20, 60, 110],
        }
    )
    rows = {r.table: r.kept + r.merged + r.rejected for r in summary.itertuples()}
    kept = summary["kept"].sum() / sum(rows.values())
    worst = max(rows, key=lambda k: summary.set_index("table").loc[k, "rejected"] / rows[k])
    share = summary.set_index("table").loc[worst, "rejected"] / rows[worst]
    from custops.chapters.collection import ledger_parts, ledger_takeaway

    ax = plots.ledger_chart(
        ledger_parts(summary), title="t", takeaway=ledger_takeaway(ledger_parts(summary), "en")
    )
    assert takeaway(ax.figure) == (
        f"{kept:.0%} of the {sum(rows.values()):,} input rows were kept; the {worst} table had "
        f"the largest share set aside ({share:.0%})."
    )
    assert worst == "tickets"
    assert ledger_takeaway(ledger_parts(summary, "zh"), "zh") == (  # the table by its Chinese name
        f"{sum(rows.values()):,} 行输入中保留了 {kept:.0%}；工单表被隔离的比例最高（{share:.0%}）。"
    )
    # the chart draws into a given Axes: each table's three bars end at 100% of its rows
    import matplotlib.pyplot as plt

    fig, given = plt.subplots()
    assert plots.ledger_chart(ledger_parts(summary, "zh"), title="t", ax=given) is given
    ends = {}
    for bar in given.patches:
        y = round(bar.get_y() + bar.get_height() / 2)
        ends[y] = max(ends.get(y, 0.0), bar.get_x() + bar.get_width())
    assert sorted(ends) == [0, 1, 2] and all(abs(v - 1.0) < 1e-12 for v in ends.values())
    assert [x.get_text() for x in given.get_yticklabels()] == ["客户", "订单", "工单"]
    plt.close(fig)


def test_transition_takeaway_counts_who_stayed_and_the_largest_move():
    rng = np.random.default_rng(11)
    names = ["Champions", "Loyal", "At risk"]
    before = rng.choice(names, size=300)
    after = np.where(rng.uniform(size=300) < 0.8, before, rng.choice(names, size=300))
    after[np.flatnonzero(before == "Loyal")[:40]] = "At risk"  # one clearly largest move
    matrix = pd.crosstab(pd.Series(before, name="from"), pd.Series(after, name="to"))
    stayed = (before == after).mean()
    moves = Counter((a, b) for a, b in zip(before, after, strict=True) if a != b)
    (source, target), count = moves.most_common(1)[0]
    assert sorted(moves.values())[-2] < count
    text = seg.transition_takeaway(matrix, "en", "segment")
    ax = seg.plot_transition(
        seg.transition_shares(matrix),
        matrix,
        "en",
        what="segment",
        previous="Q3",
        current="Q4",
        takeaway=text,
    )
    assert takeaway(ax) == text
    assert text == (
        f"{stayed:.0%} of customers kept their RFM segment; the largest move was {count} "
        f"customers from {source} to {target}."
    )


# --------------------------------------------------------------------------- numbering


def test_figure_caption_escapes_markup_and_labels_raw_keys():
    assert figure_caption(5, 3, "*new* customers via wechat", "en") == (
        "Figure 5.3 — \\*new\\* customers via WeChat"
    )
    assert figure_caption(5, 3, "referral 的客户最多", "zh") == "图 5.3 — 老带新 的客户最多"


def test_prepare_notebook_gives_each_chart_its_cell_caption_and_alt():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Segments"),
            new_code_cell(
                "section()",
                outputs=[
                    _markdown("Sentence before."),
                    _image("Chart: A.", "A rose."),
                    _markdown("Between."),
                    _image("Chart: B.", "B fell."),
                ],
            ),
            new_code_cell("diagnostic()", outputs=[_image("Chart: C.", None)]),
            new_code_cell(
                "hidden()", metadata={"tags": ["remove-cell"]}, outputs=[_image("Chart: D.", "D.")]
            ),
            new_code_cell("first()", outputs=[_image("Chart: E.", "E first.")]),
        ]
    )
    nb.cells[-1].metadata["tags"] = ["custops-first"]  # moved up: numbered where it is read
    out = prepare_notebook(nb, "en", chapter=2)
    figures = [
        (c.metadata["mystnb"]["figure"], c.metadata["mystnb"]["image"]["alt"])
        for c in out.cells
        if "figure" in c.metadata.get("mystnb", {})
    ]
    assert figures == [
        ({"caption": "Figure 2.1 — E first.", "name": "fig-2-1"}, "Chart: E."),
        ({"caption": "Figure 2.2 — A rose.", "name": "fig-2-2"}, "Chart: A."),
        ({"caption": "Figure 2.3 — B fell.", "name": "fig-2-3"}, "Chart: B."),
        ({"caption": "Figure 2.4", "name": "fig-2-4"}, "Chart: C."),
    ]
    # the sentences stay outside the figures, in their order
    texts = [
        o["data"]["text/markdown"]
        for c in out.cells
        for o in c.get("outputs", [])
        if "text/markdown" in o.get("data", {})
    ]
    assert texts == ["Sentence before.", "Between."]
    assert len({c["id"] for c in out.cells}) == len(out.cells)
    zh = prepare_notebook(nb, "zh", chapter=2)
    captions = [
        c.metadata["mystnb"]["figure"]["caption"]
        for c in zh.cells
        if "figure" in c.metadata.get("mystnb", {})
    ]
    assert captions[0] == "图 2.1 — E first." and re.fullmatch(r"图 2\.4", captions[-1])
