"""The review plots only draw: each takes the Axes to draw into and returns it; what they show
is computed by the domain functions that build their tables (tested here against a direct
computation); the review modules hold no language branch."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from custops.report.plots import takeaway
from custops.review import alerts, cohorts, economics, forecast, funnels
from custops.review import scorecard as review

CARD = pd.DataFrame(
    {
        "label": ["NPS", "Churn", "CSAT"],
        "value": [20.0, 0.2, 4.0],
        "target": [40.0, 0.1, np.nan],
        "status": ["red", "amber", "grey"],
        "direction": ["higher", "lower", "higher"],
    }
)
FUNNEL = pd.DataFrame(
    {
        "group": ["all"] * 3 + ["sms"] * 3,
        "step": ["sent", "delivered", "opened"] * 2,
        "step_no": [0, 1, 2] * 2,
        "step_rate": [1.0, 0.9, 0.5, 1.0, 0.8, np.nan],
        "ci_low": [1.0, 0.85, 0.4, 1.0, 0.7, np.nan],
        "ci_high": [1.0, 0.95, 0.6, 1.0, 0.9, np.nan],
    }
)
CHANNELS = pd.DataFrame(
    {
        "channel": ["wechat", "sms"],
        "conversion": [0.05, 0.02],
        "conversion_low": [0.04, 0.01],
        "conversion_high": [0.06, 0.03],
    }
)
ECONOMICS = pd.DataFrame(
    {
        "channel": ["ads", "organic", "referral", economics.ALL_PAID],
        "cac": [100.0, 0.0, np.nan, 100.0],
        "clv": [300.0, 200.0, 250.0, 300.0],
        "clv_low": [250.0, 150.0, 200.0, 250.0],
        "clv_high": [350.0, 260.0, 300.0, 350.0],
    }
)
CALIBRATION = pd.DataFrame(
    {
        "n": [50, 50],
        "predicted": [0.1, 0.3],
        "actual": [0.15, 0.25],
        "low": [0.1, 0.2],
        "high": [0.2, 0.32],
    }
)
MATRIX = pd.DataFrame({0: [1.0, 1.0], 1: [0.3, 0.2], 2: [0.1, np.nan]}, index=["a", "b"])


def _control_panels() -> list[tuple[str, pd.DataFrame]]:
    chart = pd.DataFrame(
        {
            "kpi": ["nps"] * 3 + ["churn_rate"] * 3,
            "month": ["2025-10", "2025-11", "2025-12"] * 2,
            "value": [40.0, 30.0, 41.0, 0.1, 0.1, 0.2],
            "centre": [40.0] * 3 + [0.1] * 3,
            "lower": [35.0] * 3 + [0.05] * 3,
            "upper": [45.0] * 3 + [0.15] * 3,
            "monitored": [False, True, True] * 2,
            "rules": ["", "beyond_3sigma", "", "", "insufficient_history", "ewma"],
        }
    )
    return alerts.control_panels(alerts.MonitorResult(chart, pd.DataFrame(), "2025Q4"))


PLOTS = {
    "scorecard": lambda ax, note: review.plot_scorecard(
        review.scorecard_bars(CARD), ax=ax, takeaway=note
    ),
    "funnel": lambda ax, note: funnels.plot_funnel(
        funnels.funnel_bars(FUNNEL), ax=ax, takeaway=note
    ),
    "channels": lambda ax, note: funnels.plot_channels(
        funnels.channel_bars(CHANNELS), ax=ax, takeaway=note
    ),
    "cohort_heatmap": lambda ax, note: cohorts.plot_cohort_heatmap(
        MATRIX, vmax=cohorts.heatmap_scale(MATRIX), ax=ax, takeaway=note
    ),
    "cac_clv": lambda ax, note: economics.plot_cac_clv(
        economics.cac_clv_table(ECONOMICS), ax=ax, takeaway=note
    ),
    "calibration": lambda ax, note: forecast.plot_calibration(
        CALIBRATION,
        previous="2025Q3",
        horizon_days=90,
        top=forecast.calibration_scale(CALIBRATION),
        ax=ax,
        takeaway=note,
    ),
}


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_draws_into_the_given_axes_and_returns_it(name: str) -> None:
    fig, ax = plt.subplots()
    before = plt.get_fignums()
    try:
        drawn = PLOTS[name](ax, f"The {name} chart.")
        assert drawn is ax
        assert plt.get_fignums() == before  # no figure of its own
        assert ax.patches or ax.lines or ax.collections or ax.texts
        assert takeaway(fig) == f"The {name} chart."
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_without_axes_makes_its_own(name: str) -> None:
    ax = PLOTS[name](None, None)
    try:
        assert ax.figure is not None and ax in ax.figure.axes
        assert takeaway(ax.figure) == ""  # the caption is handed in, never computed
    finally:
        plt.close(ax.figure)


def test_control_charts_draw_into_the_given_axes() -> None:
    panels = _control_panels()
    fig, grid = plt.subplots(1, 3)
    try:
        drawn = alerts.plot_control_charts(panels, axes=grid[:2], takeaway="Two KPIs.")
        assert drawn == list(grid[:2])
        assert [a.get_title() for a in drawn] == [title for title, _ in panels]
        assert all(a.lines for a in drawn) and not grid[2].lines
        assert takeaway(fig) == "Two KPIs."
    finally:
        plt.close(fig)
    own = alerts.plot_control_charts(panels, ncols=3)
    try:
        assert len(own) == len(own[0].figure.axes) == 2  # the unused third panel is removed
    finally:
        plt.close(own[0].figure)


def test_plot_tables_match_a_direct_computation() -> None:
    bars = review.scorecard_bars(CARD)
    assert bars["label"].tolist() == ["NPS", "Churn"]
    assert bars["ratio"].tolist() == pytest.approx([20 / 40, 0.1 / 0.2])

    fb = funnels.funnel_bars(FUNNEL)
    assert list(fb.index) == ["delivered", "opened"]
    assert fb["rate"]["sms"].tolist()[0] == 0.8 and np.isnan(fb["rate"]["sms"].iloc[1])
    assert fb["err_low"]["all"].tolist() == pytest.approx([0.05, 0.1])
    assert fb["err_high"]["sms"].tolist() == pytest.approx([0.1, 0.0])  # unknown: no bar
    assert list(funnels.funnel_bars(FUNNEL, "zh").index) == ["送达", "打开"]

    cb = funnels.channel_bars(CHANNELS)
    assert cb["err_low"].tolist() == pytest.approx([0.01, 0.01])

    ct = economics.cac_clv_table(ECONOMICS, "zh")
    assert economics.ALL_PAID not in set(ct["channel"])
    assert ct["note"].tolist() == ["", "无获客花费", "未给出花费"]
    assert ct["err_high"].tolist() == pytest.approx([50.0, 60.0, 50.0])

    panels = dict(_control_panels())
    assert list(panels) == ["Monthly churn (inactivity)", "NPS (points)"]  # sorted by key
    assert panels["NPS (points)"]["hit"].tolist() == [False, True, False]
    assert panels["Monthly churn (inactivity)"]["hit"].tolist() == [False, False, True]

    assert cohorts.heatmap_scale(MATRIX) == pytest.approx(0.3)
    assert forecast.calibration_scale(CALIBRATION) == pytest.approx(0.32 * 1.05)


REVIEW_FILES = [
    *sorted(Path(review.__file__).parent.glob("*.py")),
    Path(review.__file__).parents[1] / "chapters" / "review.py",
]


@pytest.mark.parametrize("path", REVIEW_FILES, ids=lambda p: p.name)
def test_no_language_branches(path: Path) -> None:
    pattern = re.compile(r'lang ==|lang !=|== "zh"|== "en"|!= "zh"|!= "en"|"zh":|"zh" if|if zh')
    hits = [
        f"{i}: {line.strip()}"
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert not hits, hits
