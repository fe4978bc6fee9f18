"""Typed headline numbers (issue #17): kinds, intervals and what gets glued."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from custops.core.results import KINDS, Headline, Headlines, format_spec, interval_keys


def test_a_headline_with_an_unknown_kind_is_refused_with_the_kinds_named():
    with pytest.raises(ValueError, match=r"headline 'x': kind 'percent' is not one of .*'share'"):
        Headline("x", 0.5, "percent")  # type: ignore[arg-type]


def test_bounds_are_glued_beside_the_value_only_when_both_are_finite():
    hs = Headlines(
        [
            Headline("churn_median_days", 412.0, "days", 380.0, math.nan),  # upper not reached
            Headline("nps_value", 12.5, "score", 8.1, 16.9),
            Headline("churn_km_1y", math.nan, "share", 0.1, 0.2),  # not computed: left out
            Headline("btyd_holdout_winner", None, "label"),
        ]
    )
    assert list(hs) == ["churn_median_days", "nps_value", "nps_low", "nps_high"]
    meta = hs.glue_metadata()
    assert meta["nps_value"] == {"kind": "score", "interval": ["nps_low", "nps_high"]}
    assert meta["nps_high"] == {"kind": "score", "bound_of": "nps_value"}
    assert meta["churn_median_days"] == {"kind": "days"}
    assert hs.kind("nps_low") == "score"


def test_a_key_produced_twice_is_an_error():
    with pytest.raises(ValueError, match="glue key 'nps_low' produced twice"):
        Headlines([Headline("nps_value", 1.0, "score", 0.0, 2.0), Headline("nps_low", 3, "count")])


def test_headlines_compare_like_the_dict_of_their_glued_values():
    hs = Headlines([Headline("a_rate", 0.25, "share", 0.2, 0.3)])
    assert hs == {"a_rate": 0.25, "a_rate_low": 0.2, "a_rate_high": 0.3}
    assert Headlines() == {}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_format_that_python_accepts(kind):
    value = 1234.5678
    spec = format_spec(kind, value)
    shown = format(value, spec) if spec != "s" else str(value)
    assert shown and "e" not in shown  # no scientific notation for an ordinary number


def test_interval_keys_drop_value_and_total_suffixes_once():
    assert interval_keys("churn_clv_total") == ("churn_clv_low", "churn_clv_high")
    assert interval_keys("value") == ("value_low", "value_high")


def test_results_read_three_ways_summary_html_headlines():
    """An analysis result has ``.summary`` (DataFrame), ``_repr_html_`` and typed
    ``headlines()``; checked on the service-agent result built from a small ticket table."""
    from custops.voice import agents

    rng = pd.Series(range(60))
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in rng],
            "customer_id": [f"c{i % 17}" for i in rng],
            "agent": [f"agent-{i % 3}" for i in rng],
            "created_at": pd.Timestamp("2025-10-02") + pd.to_timedelta(rng * 7, unit="h"),
            "first_response_at": pd.Timestamp("2025-10-02")
            + pd.to_timedelta(rng * 7 + 1 + (rng % 3), unit="h"),
            "resolved_at": pd.Timestamp("2025-10-02") + pd.to_timedelta(rng * 7 + 5, unit="h"),
            "status": "resolved",
        }
    )
    from custops.core.config import ReportConfig

    cfg = ReportConfig.model_validate(
        {"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}}
    )
    result = agents.agent_stats(tickets, "2025Q4", cfg, min_n=5, environ={})
    assert isinstance(result.summary, pd.DataFrame) and len(result.summary) >= 3
    assert result._repr_html_().startswith("<table")
    heads = result.headlines()
    assert heads.kind("service_agents") == "count" and heads["service_agents"] == 3
    assert heads.kind("service_agent_top_share") == "share"
    assert heads["service_agent_top_share"] == pytest.approx(20 / 60)
