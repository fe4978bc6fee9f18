"""The voice plots only draw: each takes the Axes to draw into, creates no figure of its own
then, returns the Axes it drew into and records the takeaway it is given (issue #17)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from custops.report.plots import takeaway
from custops.voice import agents, nps, sentiment

_SUMMARY = nps.nps_summary(
    pd.DataFrame(
        {
            "nps_category": ["promoter", "detractor", "passive"] * 20,
            "region": ["east", "west", "north"] * 20,
        }
    ),
    min_n=5,
)
_BINS = pd.DataFrame(
    {
        "group": ["≤2 h", ">24 h"],
        "nps": [30.0, -10.0],
        "ci_low": [10.0, -30.0],
        "ci_high": [50.0, 10.0],
        "small_group": [False, False],
    }
)
_CSAT = pd.DataFrame(
    {
        "group": ["≤2 h", ">24 h"],
        "satisfied_rate": [0.8, 0.5],
        "satisfied_ci_low": [0.7, 0.4],
        "satisfied_ci_high": [0.9, 0.6],
    }
)
_TREND = pd.DataFrame(
    {
        "group": ["2025-11", "2025-12"],
        "nps": [10.0, 5.0],
        "ci_low": [0.0, -5.0],
        "ci_high": [20.0, 15.0],
        "in_period": [True, True],
        "small_group": [False, False],
    }
)
_ODDS = pd.DataFrame(
    {
        "label": ["slow", "app"],
        "odds_ratio": [2.0, 0.9],
        "ci_low": [1.5, 0.7],
        "ci_high": [2.7, 1.2],
    }
)
_THEMES = pd.DataFrame(
    {
        "group": ["detractor", "promoter"],
        "theme": ["delivery", "delivery"],
        "share": [0.4, 0.1],
        "ci_low": [0.3, 0.05],
        "ci_high": [0.5, 0.2],
    }
)
_AGENTS = pd.DataFrame(
    {
        "agent": ["Agent 01", "Agent 02", "team"],
        "resolution_median_h": [20.0, 30.0, 22.0],
        "resolution_low_h": [18.0, 25.0, 21.0],
        "resolution_high_h": [23.0, 35.0, 23.0],
        "reopen_rate": [0.1, 0.2, 0.12],
        "reopen_low": [0.05, 0.1, 0.1],
        "reopen_high": [0.2, 0.3, 0.15],
        "small": [False, True, False],
    }
)
_MAP = sentiment.sentiment_map(
    pd.DataFrame(
        {
            "aspect": ["delivery", "price"] * 2,
            "segment": ["A", "A", "B", "B"],
            "share_negative": [0.3, 0.4, 0.2, 0.5],
            "small": [False] * 4,
        }
    )
)


def _one(given: list | None) -> object:
    """The one Axes of a single-panel plot, or None (the plot makes its own)."""
    return given[0] if given else None


#: name -> (number of panels, call drawing into the given Axes)
PLOTS = {
    "plot_nps_groups": (
        1,
        lambda ax, text: nps.plot_nps_groups(
            nps.group_rows(_SUMMARY, "region"), takeaway=text, ax=_one(ax)
        ),
    ),
    "plot_nps_trend": (1, lambda ax, text: nps.plot_nps_trend(_TREND, takeaway=text, ax=_one(ax))),
    "plot_response_time": (
        2,
        lambda ax, text: nps.plot_response_time(_BINS, _CSAT, takeaway=text, axes=ax),
    ),
    "plot_odds_ratios": (
        1,
        lambda ax, text: nps.plot_odds_ratios(_ODDS, takeaway=text, ax=_one(ax)),
    ),
    "plot_themes": (1, lambda ax, text: nps.plot_themes(_THEMES, takeaway=text, ax=_one(ax))),
    "plot_nps_panels": (
        1,
        lambda ax, text: nps.plot_nps_panels(nps.panel_table(_SUMMARY), takeaway=text, axes=ax),
    ),
    "plot_agents": (2, lambda ax, text: agents.plot_agents(_AGENTS, takeaway=text, axes=ax)),
    "plot_sentiment_map": (
        1,
        lambda ax, text: sentiment.plot_sentiment_map(_MAP, takeaway=text, ax=_one(ax)),
    ),
}


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_draws_into_the_axes_it_is_given(name: str) -> None:
    n_panels, draw = PLOTS[name]
    fig, grid = plt.subplots(1, n_panels, squeeze=False)
    given = list(grid[0])
    try:
        before = plt.get_fignums()
        returned = draw(given, "What the chart shows.")
        assert plt.get_fignums() == before  # no figure of its own
        assert list(np.atleast_1d(returned)) == given  # returns the Axes it drew into
        for ax in given:
            drawn = ax.lines + ax.collections + ax.patches + ax.texts
            assert drawn, f"{name} drew nothing into {ax}"
        assert takeaway(fig) == "What the chart shows."
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_without_axes_makes_its_own_figure(name: str) -> None:
    _, draw = PLOTS[name]
    before = set(plt.get_fignums())
    axes = list(np.atleast_1d(draw(None, None)))
    try:
        assert len(set(plt.get_fignums()) - before) == 1
        assert all(ax.figure is axes[0].figure for ax in axes)
        assert takeaway(axes[0]) == ""  # no takeaway given, none recorded
    finally:
        plt.close(axes[0].figure)
