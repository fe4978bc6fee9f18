"""Time patterns and unit economics (issue 11): custops.features.timing, custops.review.economics, custops.voice.agents.

Every number is checked against an independent pandas / numpy recount on small frames and
on the small demo; the degraded paths (date-only times, no costs, no churn scores, no agent
column) are checked by the note they show; agent names never reach any output.

Operations (issue 19, second half of the file): one run at a time per output folder (two
concurrent runs publish one of them, file by file), a killed run and `custops book`, stale
staging folders, unwritable --out, a --config that is a folder or not UTF-8, demo-data over
foreign files, periods without orders.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from custops.core.config import ReportConfig, load_config
from custops.core.errors import ConfigError
from custops.features import timing
from custops.ingest.artifacts import read_clean_tables
from custops.report import plots
from custops.review import economics
from custops.run import cli, guard, pipeline
from custops.segments import timing as timing_text
from custops.voice import agents

PERIOD = "2025Q4"
KEY = {"CUSTOPS_ID_KEY": "a-test-key-of-24-chars!!"}
ROOT = Path(__file__).resolve().parents[1]


def _cfg(**extra) -> ReportConfig:
    return ReportConfig.model_validate(
        {"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}, **extra}
    )


@pytest.fixture(scope="module")
def demo_tables(small_artifacts: Path) -> dict[str, pd.DataFrame]:
    return read_clean_tables(small_artifacts)


# --------------------------------------------------------------------------- timing


def _orders(stamps: list[str], amounts: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "order_id": [str(i) for i in range(len(stamps))],
            "customer_id": ["c"] * len(stamps),
            "order_date": pd.to_datetime(stamps, format="ISO8601"),
            "amount": amounts,
        }
    )


def test_weekday_hour_counts_and_aov_match_a_recount(demo_tables):
    orders = demo_tables["orders"]
    result = timing.weekday_hour_table(orders, PERIOD, min_n=30)
    assert result.resolution == "time"
    # independent recount: orders = distinct order ids, time = first line, amount = sum
    end = pd.Timestamp("2026-01-01")
    start = end - pd.Timedelta(days=365)
    first = orders.sort_values("order_date").drop_duplicates("order_id")
    heads = first.set_index("order_id")["order_date"].to_frame()
    heads["amount"] = orders.groupby("order_id")["amount"].sum()
    heads = heads[(heads["order_date"] >= start) & (heads["order_date"] < end)]
    assert result.n_orders == len(heads) == result.table["orders"].sum()
    key = heads["order_date"].dt.weekday * 24 + heads["order_date"].dt.hour
    table = result.table.assign(key=result.table["weekday"] * 24 + result.table["hour"])
    counts = key.value_counts()
    got = table.set_index("key")["orders"]
    assert (got.reindex(counts.index) == counts).all()
    assert got.drop(counts.index).eq(0).all()
    fri20 = table.set_index("key").loc[4 * 24 + 20]
    cell = heads[key == 4 * 24 + 20]["amount"]
    fridays = sum(1 for d in pd.date_range(start, end - pd.Timedelta(days=1)) if d.weekday() == 4)
    assert fri20["days"] == fridays
    assert fri20["orders_per_day"] == pytest.approx(len(cell) / fridays)
    assert fri20["aov"] == pytest.approx(cell.mean())
    half = 1.959963984540054 * cell.std() / np.sqrt(len(cell))
    assert fri20["aov_ci_high"] - fri20["aov"] == pytest.approx(half, rel=0.01)
    assert (table["small"] == (table["orders"] < 30)).all()
    assert len(table) == 168


def test_demo_evening_peak_is_found(demo_tables):
    result = timing.weekday_hour_table(demo_tables["orders"], PERIOD)
    heads = timing.timing_headlines(result)
    start = int(heads["seg_peak_hour_block"][:2])
    assert 18 <= start <= 21  # the demo plants an evening peak (hour ~ N(19.5, 3.2))
    assert heads.kind("seg_peak_weekday") == "label"
    assert heads["seg_peak_weekday"] in (
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    )
    assert 17 <= int(heads["seg_peak_hour"][:2]) <= 22
    hours = demo_tables["orders"].drop_duplicates("order_id")["order_date"].dt.hour
    assert hours.between(0, 6).mean() < 0.01
    text = timing_text.timing_findings(result, "en", "CNY")
    assert f"{heads['seg_peak_block_order_share']:.0%} of orders" in text
    assert "Kruskal-Wallis" in text and "周" in timing_text.timing_findings(result, "zh")


def test_date_only_timestamps_skip_the_heatmap():
    orders = _orders(["2025-10-01", "2025-10-02", "2025-11-03"], [10.0, 20.0, 30.0])
    result = timing.weekday_hour_table(orders, PERIOD, window="period")
    assert result.resolution == "date_only" and not result.has_times
    assert result.table.empty and result.n_orders == 3
    note = timing_text.timing_note(result, "en")
    assert "only a date" in note and "fake midnight spike" in note
    assert "只有日期" in timing_text.timing_note(result, "zh")
    assert timing_text.timing_findings(result) == note
    assert timing.timing_facts(result) is None
    assert timing.timing_headlines(result) == {}


def test_mixed_timestamps_leave_the_date_only_rows_out():
    stamps = ["2025-10-01 19:00"] * 6 + ["2025-10-02 00:00:00"] * 4
    result = timing.weekday_hour_table(_orders(stamps, [1.0] * 10), PERIOD, window="period")
    assert result.resolution == "mixed" and result.n_untimed == 4
    assert result.table["orders"].sum() == 6
    assert result.table.query("hour == 0")["orders"].sum() == 0  # no fake midnight spike
    assert "4 of them (40%) carry only a date" in timing_text.timing_note(result)


def test_time_resolution_thresholds():
    real = pd.Series(pd.date_range("2025-10-01", periods=1440, freq="min"))
    assert timing.time_resolution(real) == ("time", pytest.approx(1 / 1440))
    assert timing.time_resolution(pd.Series([], dtype="datetime64[ns]"))[0] == "empty"


def test_timezone_label(tmp_path):
    assert timing.timezone_label(_cfg()) is None
    tz = _cfg(
        sources={"orders": {"path": "o", "timezone": "Asia/Shanghai"}, "customers": {"path": "c"}}
    )
    assert timing.timezone_label(tz) == "Asia/Shanghai"
    ledger = pd.DataFrame(
        {
            "table": ["orders"],
            "note": ["3 order_date value(s) carried a UTC offset and were converted to UTC"],
        }
    )
    assert timing.timezone_label(_cfg(), ledger) == "UTC"
    assert timing.timezone_label(_cfg(), ledger.assign(table="tickets")) is None
    assert timing.timezone_label(_cfg(), None) is None
    result = timing.weekday_hour_table(
        _orders(["2025-10-01 19:00"], [1.0]), PERIOD, window="period", timezone="UTC"
    )
    assert "Times are in UTC." in timing_text.timing_note(result)


def test_window_argument_is_checked():
    with pytest.raises(ValueError, match="window must be 'year' or 'period'"):
        timing.weekday_hour_table(_orders(["2025-10-01 19:00"], [1.0]), PERIOD, window="month")


def test_plot_weekday_hour_draws_two_panels_in_chinese(demo_tables):
    plots.setup("zh")  # a CJK font, as nb.start does
    result = timing.weekday_hour_table(demo_tables["orders"], PERIOD)
    titles, xlabel = timing_text.weekday_hour_words("zh", "CNY")
    panels = timing_text.weekday_hour_labelled_panels(result.table, "zh")
    axes = timing.plot_weekday_hour(panels, titles, xlabel)
    fig = axes[0].figure
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0].startswith("每天订单数") and titles[1] == "客单价（CNY），订单过少的格子留空"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][:2] == ["周一", "周二"]
    assert axes[1].get_xlabel() == "时段（点）"


def test_plot_weekday_hour_draws_into_the_given_axes():
    import matplotlib.pyplot as plt

    table = pd.DataFrame(
        [(d, h, (d + h) / 13, 10.0 + h, h % 5 == 0) for d in range(7) for h in range(24)],
        columns=["weekday", "hour", "orders_per_day", "aov", "small"],
    )
    counts, aov = timing.weekday_hour_panels(table)
    assert counts.shape == aov.shape == (7, 24)
    assert counts.at[2, 5] == table.query("weekday == 2 and hour == 5")["orders_per_day"].item()
    assert aov[5].isna().all() and aov.at[0, 1] == 11.0  # small cells blank
    fig, given = plt.subplots(2, 1)
    try:
        axes = timing.plot_weekday_hour((counts, aov), ("a", "b"), "hour", axes=given)
        assert axes is given and [ax.get_title() for ax in given] == ["a", "b"]
        assert all(ax.collections for ax in given)
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- economics


def _econ_frames():
    customers = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e", "old"],
            "acquisition_channel": ["Ads", "ads", "ads", "organic", None, "ads"],
            "signup_date": pd.to_datetime(
                ["2025-10-01", "2025-10-05", "2025-12-31", "2025-11-01", "2025-11-02", "2024-01-01"]
            ),
        }
    )
    orders = pd.DataFrame(
        {
            "order_id": ["1", "2", "3", "4", "5"],
            "customer_id": ["a", "a", "b", "d", "a"],
            "order_date": pd.to_datetime(
                ["2025-10-02", "2025-11-02", "2025-10-06", "2025-11-05", "2026-01-05"]
            ),
            "amount": [100.0, 50.0, 200.0, 80.0, 999.0],  # the last is after the period
        }
    )
    scores = pd.DataFrame(
        {"customer_id": ["a", "b", "d"], "event": [0, 1, 0], "clv": [500.0, np.nan, 120.0]}
    )
    return customers, orders, scores


def test_cac_and_clv_arithmetic():
    customers, orders, scores = _econ_frames()
    cfg = _cfg(costs={"acquisition": {"ads": 900.0}}, clv={"margin": 0.5})
    result = economics.unit_economics(customers, orders, scores, PERIOD, cfg, min_n=2)
    t = result.table.set_index("channel")
    # case variants of a channel are one channel (the cleaning step unifies them too)
    value = result.customers.set_index("customer_id")
    assert value.loc["a", "margin_to_date"] == 75.0  # (100 + 50) * 0.5; the January order is out
    assert value.loc["a", "clv"] == 575.0
    assert value.loc["b", "clv"] == 100.0  # churned: no future margin
    assert value.loc["c", "clv"] == 0.0  # signed up, never bought
    ads = customers["acquisition_channel"].str.lower().eq("ads") & (
        customers["signup_date"] >= "2025-10-01"
    )
    n_ads = int(ads.sum())
    assert n_ads == 3
    row = t.loc[t.index.str.lower() == "ads"].iloc[0]
    assert row["new_customers"] == 3 and row["buyers"] == 2
    assert row["cac"] == pytest.approx(900.0 / 3)
    assert row["cost_per_buyer"] == pytest.approx(900.0 / 2)
    assert row["clv"] == pytest.approx((575.0 + 100.0 + 0.0) / 3)
    assert row["clv_to_cac"] == pytest.approx(row["clv"] / row["cac"])
    assert row["ratio_low"] == pytest.approx(row["clv_low"] / row["cac"])
    assert row["clv_low"] <= row["clv"] <= row["clv_high"]
    assert t.loc["organic", "status"] == "no spend given" and np.isnan(t.loc["organic", "cac"])
    assert t.loc[economics.UNKNOWN_CHANNEL, "new_customers"] == 1
    assert economics.ALL_PAID not in t.index  # only one paid channel


def test_bootstrap_is_seeded_and_matches_an_independent_bootstrap():
    rng = np.random.default_rng(5)
    n = 300
    customers = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "acquisition_channel": "ads",
            "signup_date": pd.Timestamp("2025-11-01"),
        }
    )
    orders = pd.DataFrame(columns=["order_id", "customer_id", "order_date", "amount"]).astype(
        {"order_date": "datetime64[ns]", "amount": float}
    )
    scores = pd.DataFrame(
        {"customer_id": customers["customer_id"], "event": 0, "clv": rng.lognormal(7, 1, n)}
    )
    cfg = _cfg(costs={"acquisition": {"ads": 30000.0}}, seed=7)
    one = economics.unit_economics(customers, orders, scores, PERIOD, cfg, n_boot=4000)
    two = economics.unit_economics(customers, orders, scores, PERIOD, cfg, n_boot=4000)
    pd.testing.assert_frame_equal(one.table, two.table)
    values = scores["clv"].to_numpy()
    means = [rng.choice(values, n).mean() for _ in range(4000)]
    low, high = np.percentile(means, [2.5, 97.5])
    row = one.table.iloc[0]
    width = high - low
    assert row["clv"] == pytest.approx(values.mean())
    assert row["clv_low"] == pytest.approx(low, abs=0.05 * width)
    assert row["clv_high"] == pytest.approx(high, abs=0.05 * width)
    assert row["ratio_high"] == pytest.approx(row["clv_high"] / 100.0)


def test_a_period_without_new_customers_gives_an_empty_table_and_no_chart():
    """CDNOW 1998Q2: the whole cohort signed up in 1997, nobody is acquired in the period."""
    customers, orders, scores = _econ_frames()
    old = customers.assign(signup_date=pd.Timestamp("2020-01-01"))
    result = economics.unit_economics(old, orders, scores, PERIOD, _cfg(), min_n=2)
    assert len(result.table) == 0
    assert list(result.table.columns) == list(economics.ECONOMICS_COLUMNS)
    assert economics.cac_clv_table(result.table).empty  # nothing to draw
    assert economics.economics_findings(result, "en", "CNY") == "> No customer signed up in 2025Q4."
    assert len(economics.display_economics(result, "en")) == 0
    assert economics.economics_headlines(result) == {}  # nothing glued that was not computed


def test_unknown_channel_in_the_config_names_it_and_the_channels_present():
    customers, orders, scores = _econ_frames()
    cfg = _cfg(costs={"acquisition": {"ads": 1.0, "search_adz": 5.0}})
    with pytest.raises(ConfigError) as err:
        economics.unit_economics(customers, orders, scores, PERIOD, cfg)
    text = str(err.value)
    assert "'search_adz'" in text and "no customer came from" in text
    assert "Channels in the customer table: ['ads', 'organic']" in text
    assert "fix:" in text


def test_spend_on_a_channel_without_new_customers_and_free_channels():
    customers, orders, scores = _econ_frames()
    cfg = _cfg(costs={"acquisition": {"ads": 300.0, "organic": 0, "referral": 50.0}})
    customers = pd.concat(
        [customers, pd.DataFrame({"customer_id": ["r"], "acquisition_channel": ["referral"],
                                  "signup_date": pd.to_datetime(["2024-05-01"])})]
    )  # fmt: skip
    result = economics.unit_economics(customers, orders, scores, PERIOD, cfg, min_n=1)
    t = result.table.set_index("channel")
    assert t.loc["referral", "status"] == "no new customers" and t.loc["referral", "spend"] == 50
    assert t.loc["organic", "status"] == "free" and t.loc["organic", "cac"] == 0
    assert np.isnan(t.loc["organic", "clv_to_cac"])
    paid = t.loc[economics.ALL_PAID]
    assert paid["spend"] == 350.0  # referral's spend bought nobody but is part of the blended CAC
    assert paid["cac"] == pytest.approx(350.0 / 3)
    text = economics.economics_findings(result, "en", "CNY")
    assert "**referral** spent CNY 50 in the period but brought no new customer" in text
    assert "**organic** (no acquisition spend)" in text


def test_missing_costs_and_missing_scores_degrade_with_notes():
    customers, orders, scores = _econ_frames()
    result = economics.unit_economics(customers, orders, None, PERIOD, _cfg())
    assert {"no_costs", "no_clv"} <= set(result.notes)
    assert result.table["cac"].isna().all() and result.table["clv"].isna().all()
    note = result.note("en")
    assert "`costs.acquisition`" in note and "`churn_scores.parquet` is missing" in note
    assert "获客花费" in result.note("zh")
    assert economics.economics_headlines(result) == {}
    no_channel = economics.unit_economics(
        customers.drop(columns="acquisition_channel"), orders, scores, PERIOD, _cfg()
    )
    assert "no `acquisition_channel` column" in no_channel.note()


def test_unit_economics_on_the_small_demo(small_demo, demo_tables):
    cfg = load_config(small_demo)
    assert cfg.costs.acquisition["search_ads"] == 180000  # the demo config carries spend
    c = demo_tables["customers"]
    scores = pd.DataFrame(
        {"customer_id": c["customer_id"], "event": 0, "clv": np.arange(len(c), dtype=float)}
    )
    result = economics.unit_economics(c, demo_tables["orders"], scores, PERIOD, cfg)
    new = c[(c["signup_date"] >= "2025-10-01") & (c["signup_date"] < "2026-01-01")]
    counts = new["acquisition_channel"].value_counts()
    t = result.table.set_index("channel")
    for channel, spend in cfg.costs.acquisition.items():
        assert t.loc[channel, "new_customers"] == counts[channel]
        if spend:
            assert t.loc[channel, "cac"] == pytest.approx(spend / counts[channel])
    o = demo_tables["orders"]
    rev = o[o["order_date"] < "2026-01-01"].groupby("customer_id")["amount"].sum()
    expected = (
        (
            new["customer_id"].map(rev).fillna(0) * cfg.clv.margin
            + new["customer_id"].map(scores.set_index("customer_id")["clv"])
        )
        .groupby(new["acquisition_channel"])
        .mean()
    )
    assert np.allclose(t.loc[expected.index, "clv"], expected)
    paid = [k for k, v in cfg.costs.acquisition.items() if v > 0]
    assert t.loc[economics.ALL_PAID, "cac"] == pytest.approx(
        sum(cfg.costs.acquisition[k] for k in paid) / counts[paid].sum()
    )


# --------------------------------------------------------------------------- agents


def _tickets() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    names = ["张伟"] * 40 + ["李娜"] * 35 + ["王芳"] * 5
    for i, name in enumerate(names):
        created = pd.Timestamp("2025-10-01") + pd.Timedelta(hours=int(rng.integers(0, 2000)))
        slow = 10 if name == "李娜" else 1
        rows.append(
            {
                "ticket_id": f"T{i}",
                "customer_id": f"C{i}",
                "agent": name,
                "created_at": created,
                "first_response_at": created + pd.Timedelta(hours=float(rng.gamma(2, slow))),
                "resolved_at": created + pd.Timedelta(hours=float(rng.gamma(2, 5 * slow)))
                if i % 7
                else pd.NaT,
                "reopened": bool(i % 5 == 0),
                "csat": float(rng.integers(1, 6)),
            }
        )
    rows.append({**rows[0], "ticket_id": "T-old", "created_at": pd.Timestamp("2025-05-01")})
    rows.append({**rows[1], "ticket_id": "T-none", "agent": None})
    return pd.DataFrame(rows)


def test_agent_stats_match_a_recount():
    tickets = _tickets()
    result = agents.agent_stats(tickets, PERIOD, _cfg(), min_n=30, environ={})
    assert result.n_tickets == 81 and result.n_unassigned == 1 and result.mode == "ranked"
    t = result.table.set_index("agent")
    inside = tickets[(tickets["created_at"] >= "2025-10-01") & tickets["agent"].notna()]
    # Agent 01 has the most tickets
    for label, name in (("Agent 01", "张伟"), ("Agent 02", "李娜"), ("Agent 03", "王芳")):
        mine = inside[inside["agent"] == name]
        frt = (mine["first_response_at"] - mine["created_at"]).dt.total_seconds() / 3600
        res = (mine["resolved_at"] - mine["created_at"]).dt.total_seconds() / 3600
        resolved = mine["resolved_at"].notna()
        assert t.loc[label, "tickets"] == len(mine)
        assert t.loc[label, "frt_median_h"] == pytest.approx(frt.median())
        assert t.loc[label, "frt_p90_h"] == pytest.approx(frt.quantile(0.9))
        assert t.loc[label, "resolution_median_h"] == pytest.approx(res.dropna().median())
        assert t.loc[label, "open_at_end"] == (~resolved).sum()
        rate = (mine["reopened"] & resolved).sum() / resolved.sum()
        assert t.loc[label, "reopen_rate"] == pytest.approx(rate)
        assert t.loc[label, "csat_mean"] == pytest.approx(mine["csat"].mean())
    assert t.loc["Agent 03", "small"] and "small n" in t.loc["Agent 03", "flag"]
    assert np.isnan(t.loc["Agent 03", "resolution_p_holm"])
    assert "slower" in t.loc["Agent 02", "flag"]  # planted: ten times slower
    assert "faster" in t.loc["Agent 01", "flag"]
    assert t.loc["team", "tickets"] == len(inside)
    text = agents.agent_findings(result, "en", note=True)
    assert "**Agent 02** (slower" in text and "Agent 03 (fewer than 30 tickets)" in text
    assert agents.agent_headlines(result) == {
        "service_agents": 3,
        "service_agents_flagged": 2,
        "service_agent_top_share": pytest.approx(40 / 80),
    }


def test_median_interval_matches_the_binomial_order_statistics():
    from scipy import stats

    from custops.core.stats import median_ci  # the one median interval (agents and NPS)

    x = np.random.default_rng(1).exponential(size=57)
    med, low, high = median_ci(x)
    assert med == np.median(x)
    s = np.sort(x)
    k = max(j for j in range(1, 29) if stats.binom.cdf(j - 1, 57, 0.5) <= 0.025)
    assert (low, high) == (s[k - 1], s[57 - k])
    assert 2 * stats.binom.cdf(k - 1, 57, 0.5) <= 0.05 < 2 * stats.binom.cdf(k, 57, 0.5)
    assert np.isnan(median_ci(np.arange(5.0))[1]) and np.isnan(median_ci(np.arange(5.0))[2])


def test_agent_pseudonyms_are_stable_and_no_raw_names_leave():
    tickets = _tickets()
    keyed = agents.agent_stats(tickets, PERIOD, _cfg(), environ=KEY)
    again = agents.agent_stats(tickets.iloc[::-1], PERIOD, _cfg(), environ=KEY)
    assert keyed.mode == "keyed"
    assert set(keyed.table["agent"]) == set(again.table["agent"])
    lookup = agents.agent_lookup(["张伟", "李娜"], _cfg(), environ=KEY)
    assert set(lookup.values()) < set(keyed.table["agent"])
    assert all(v.startswith("A-") and len(v) == 10 for v in lookup.values())
    # next quarter: the same agent, the same label
    later = tickets.assign(created_at=tickets["created_at"] + pd.DateOffset(months=3))
    q1 = agents.agent_stats(later, "2026Q1", _cfg(), environ=KEY)
    assert lookup["张伟"] in set(q1.table["agent"])
    for result in (keyed, agents.agent_stats(tickets, PERIOD, _cfg(), environ={})):
        shown = "\n".join(
            [
                result.table.to_csv(),
                agents.display_agents(result, "en").to_csv(),
                agents.display_agents(result, "zh").to_csv(),
                agents.agent_findings(result, "en", note=True),
                agents.agent_findings(result, "zh", note=True),
            ]
        )
        for name in ("张伟", "李娜", "王芳"):
            assert name not in shown


def test_keyed_mode_without_key_and_raw_mode():
    with pytest.raises(ConfigError, match="CUSTOPS_ID_KEY"):
        agents.agent_stats(_tickets(), PERIOD, _cfg(), mode="keyed", environ={})
    raw = agents.agent_stats(_tickets(), PERIOD, _cfg(), mode="raw", environ=KEY)
    assert "张伟" in set(raw.table["agent"]) and raw.mode == "raw"
    assert "as exported" in raw.note()


def test_no_agent_column_or_no_tickets():
    assert agents.agent_stats(_tickets().drop(columns="agent"), PERIOD, _cfg()) is None
    assert agents.agent_stats(None, PERIOD, _cfg()) is None
    assert "no `agent` column" in agents.agent_findings(None)
    assert "没有 `agent`" in agents.agent_findings(None, "zh")
    assert agents.agent_headlines(None) == {}


def test_agents_on_the_small_demo(demo_tables, small_demo):
    cfg = load_config(small_demo)
    result = agents.agent_stats(demo_tables["tickets"], PERIOD, cfg, environ={})
    t = demo_tables["tickets"]
    inside = t[(t["created_at"] >= "2025-10-01") & (t["created_at"] < "2026-01-01")]
    counts = inside["agent"].value_counts()
    got = result.table.query("agent != 'team'")
    assert sorted(got["tickets"], reverse=True) == sorted(counts, reverse=True)
    assert len(got) == 12 and not set(got["agent"]) & set(counts.index)
    team = result.table.query("agent == 'team'").iloc[0]
    frt = (inside["first_response_at"] - inside["created_at"]).dt.total_seconds() / 3600
    assert team["frt_median_h"] == pytest.approx(frt.median())
    # agents are assigned at random in the demo: nobody should stand out beyond chance
    assert agents.agent_headlines(result)["service_agents_flagged"] == 0


def test_plots_take_finished_tables():
    plots.setup("zh")
    result = agents.agent_stats(_tickets(), PERIOD, _cfg(), environ={})
    axes = agents.plot_agents(result.table, "zh")
    assert [t.get_text() for t in axes[0].get_yticklabels()] == [
        "Agent 01",
        "Agent 02",
        "Agent 03",
    ]
    customers, orders, scores = _econ_frames()
    econ = economics.unit_economics(
        customers, orders, scores, PERIOD, _cfg(costs={"acquisition": {"ads": 9.0}})
    )
    ax = economics.plot_cac_clv(economics.cac_clv_table(econ.table, "zh"), "zh", "CNY")
    assert ax.get_title().startswith("获客成本")
    assert "未给出花费" in [t.get_text().strip() for t in ax.texts]


# --------------------------------------------------------------------------- notebooks


def _run(name: str, config: Path, artifacts: Path, tmp: Path):
    import shutil

    import nbformat
    import papermill as pm

    from custops.run.pipeline import glued_scalars

    build = tmp / "build"
    shutil.copytree(artifacts, build / PERIOD / "artifacts")
    out = tmp / f"{name}.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / f"{name}.ipynb"),
        str(out),
        parameters={"period": PERIOD, "config": str(config), "build_dir": str(build)},
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    shown = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", o.get("evalue")
            assert o.get("name") != "stderr", o.get("text")
            shown.append(str(o.get("data", {}).get("text/markdown", "")))
    return nb, "\n".join(shown), glued_scalars(nb), build / PERIOD / "artifacts"


@pytest.mark.slow
def test_notebook_04_agent_section(small_demo, small_artifacts, demo_tables, tmp_path):
    nb, text, glued, folder = _run("04_nps", small_demo, small_artifacts, tmp_path)
    stats_file = pd.read_csv(folder / "agent_stats.csv")
    t = demo_tables["tickets"]
    inside = t[(t["created_at"] >= "2025-10-01") & (t["created_at"] < "2026-01-01")]
    assert int(glued["service_agents"]) == inside["agent"].nunique() == 12
    assert stats_file.query("agent == 'team'")["tickets"].item() == len(inside)
    assert not set(stats_file["agent"]) & set(t["agent"])
    assert "Agents are numbered by ticket volume" in text
    cells = [
        c
        for c in nb.cells
        if c.get("id") == "2938b56e"  # the agents' table, chart and glue
    ]
    assert len(cells) == 1 and sum("image/png" in o.get("data", {}) for o in cells[0].outputs) == 1


@pytest.mark.slow
def test_notebook_05_cac_section_without_and_with_churn_scores(
    small_demo, small_artifacts, demo_tables, tmp_path
):
    cfg = load_config(small_demo)
    _, text, glued, folder = _run(
        "05_review_retrospective", small_demo, small_artifacts, tmp_path / "a"
    )
    assert "`churn_scores.parquet` is missing" in text
    econ = pd.read_csv(folder / "unit_economics.csv").set_index("channel")
    c = demo_tables["customers"]
    new = c[(c["signup_date"] >= "2025-10-01") & (c["signup_date"] < "2026-01-01")]
    paid = [k for k, v in cfg.costs.acquisition.items() if v > 0]
    blended = (
        sum(cfg.costs.acquisition[k] for k in paid) / new["acquisition_channel"].isin(paid).sum()
    )
    assert float(glued["review_cac"]) == pytest.approx(blended)
    assert econ.loc["search_ads", "cac"] == pytest.approx(
        180000 / (new["acquisition_channel"] == "search_ads").sum()
    )
    # with notebook 03's scores present: CLV, the ratio and its interval appear
    art = tmp_path / "with-scores"
    import shutil

    shutil.copytree(small_artifacts, art)
    scores = pd.DataFrame({"customer_id": c["customer_id"], "event": 0, "clv": 1000.0})
    scores.to_parquet(art / "churn_scores.parquet")
    _, text, glued, folder = _run("05_review_retrospective", small_demo, art, tmp_path / "b")
    econ = pd.read_csv(folder / "unit_economics.csv").set_index("channel")
    assert econ.loc["search_ads", "clv"] > 1000.0  # + margin earned so far
    assert float(glued["review_clv_to_cac"]) == pytest.approx(
        econ.loc[economics.ALL_PAID, "clv"] / blended
    )
    assert float(glued["review_clv_to_cac_low"]) < float(glued["review_clv_to_cac"])
    assert "**search_ads** cost CNY" in text


@pytest.mark.slow
def test_notebook_02_timing_section_with_date_only_orders(small_demo, small_artifacts, tmp_path):
    import shutil

    art = tmp_path / "date-only"
    shutil.copytree(small_artifacts, art)
    orders = pd.read_parquet(art / "clean_orders.parquet")
    orders["order_date"] = orders["order_date"].dt.normalize()
    orders.to_parquet(art / "clean_orders.parquet")
    nb, text, glued, _ = _run("02_segmentation", small_demo, art, tmp_path)
    assert "carry only a date" in text
    assert "seg_peak_hour_block" not in glued
    cells = [c for c in nb.cells if c.get("id") == "e87da9e7"]  # the weekday x hour chart
    assert len(cells) == 1 and not any("image/png" in o.get("data", {}) for o in cells[0].outputs)


# --------------------------------------------------------------------------- one writer per folder
# (issue 19, operations) Two runs into one --out, a killed run, stale staging folders,
# unwritable --out, a --config that is a folder or not UTF-8, periods without orders.


CUSTOPS = Path(sys.executable).with_name("custops")

# 01 writes an artifact whose content comes from input.txt next to the config and waits while
# `hold` exists there; 02 reads it back. Two data folders = two different data sets.
TOY_COLLECT = """\
import time
from pathlib import Path
import pandas as pd
from custops.ingest.artifacts import artifacts_dir, write_artifact
here = Path(config).parent
value = (here / "input.txt").read_text().strip()
write_artifact(pd.DataFrame({"value": [value]}), artifacts_dir(build_dir, period), "marker.csv")
while (here / "hold").exists():
    time.sleep(0.2)
print(value)
"""
TOY_REVIEW = """\
from pathlib import Path
import pandas as pd
from custops.ingest.artifacts import artifacts_dir, read_artifact, write_artifact
here = Path(config).parent
marker = read_artifact(artifacts_dir(build_dir, period), "marker.csv")
write_artifact(marker.assign(reviewed=True), artifacts_dir(build_dir, period), "review.csv")
print(marker["value"].iloc[0])
"""


def _toy_notebook(title: str, code: str) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {title} — {{{{ period }}}}"),
            new_code_cell(
                'period = "2025Q4"\nconfig = "custops.yaml"\nbuild_dir = "../build"',
                metadata={"tags": ["parameters"]},
            ),
            new_code_cell(code),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@pytest.fixture
def toy(tmp_path) -> Path:
    """Fixture notebooks and two data folders ``alpha`` and ``beta`` (different data sets)."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_toy_notebook("Collect", TOY_COLLECT), notebooks / "01_collect.ipynb")
    nbformat.write(_toy_notebook("Review", TOY_REVIEW), notebooks / "02_review.ipynb")
    for name in ("alpha", "beta"):
        data = tmp_path / name
        data.mkdir()
        (data / "input.txt").write_text(name)
        (data / "custops.yaml").write_text(
            yaml.safe_dump(
                {
                    "company": name,
                    "sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}},
                }
            )
        )
    return tmp_path


def _cmd(toy: Path, data: str, out: Path, *extra: str) -> list[str]:
    return [
        str(CUSTOPS), "run", "--config", str(toy / data / "custops.yaml"), "--period", PERIOD,
        "--out", str(out), "--notebooks", str(toy / "notebooks"),
        "--book-template", str(ROOT / "book"), "--no-progress", *extra,
    ]  # fmt: skip


def _env() -> dict:
    # one build time for every run: the book is then byte-identical for the same inputs
    return dict(os.environ, COLUMNS="200", NO_COLOR="1", SOURCE_DATE_EPOCH="1767225600")


def _tree(folder: Path) -> dict[str, str]:
    """sha256 of every published file (html, artifacts), by relative path.

    The build root appears in the injected parameters (``build_dir``) of the notebooks and of
    the book's ``_sources``; it is replaced by ``BUILD`` so that builds into two folders compare.
    """
    out = {}
    root = str(folder.parent).encode()
    for sub in ("html", "artifacts"):  # executed notebooks carry their run times
        for p in sorted((folder / sub).rglob("*")):
            if p.is_file():
                data = p.read_bytes().replace(root, b"BUILD")
                out[p.relative_to(folder).as_posix()] = hashlib.sha256(data).hexdigest()
    return out


def _wait_for_owner(folder: Path, pid: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if json.loads((folder / guard.OWNER_NAME).read_text())["pid"] == pid:
                return
        time.sleep(0.1)
    raise AssertionError(f"pid {pid} never took the lock of {folder}")


@pytest.mark.slow
def test_two_runs_into_one_folder_publish_one_of_them_file_by_file(toy):
    out = toy / "shared"
    pdir = out / PERIOD
    (toy / "alpha" / "hold").touch()
    first = subprocess.Popen(_cmd(toy, "alpha", out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env())  # fmt: skip
    try:
        _wait_for_owner(pdir, first.pid)
        # without --wait the second run stops at once and names the first
        busy = subprocess.run(_cmd(toy, "beta", out), capture_output=True, text=True, env=_env(),
                              timeout=120)  # fmt: skip
        assert busy.returncode == 3, busy.stderr
        flat = " ".join(busy.stderr.split())
        assert f"error: Another custops run is writing {pdir} (pid {first.pid}, started" in flat
        assert "--wait" in flat and "Traceback" not in busy.stderr
        # with --wait it queues behind the first one and then publishes its own data
        second = subprocess.Popen(_cmd(toy, "beta", out, "--wait"), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=_env())  # fmt: skip
        time.sleep(3.0)  # it is blocked on the lock, not finished
        assert second.poll() is None, "the waiting run did not wait"
    finally:
        (toy / "alpha" / "hold").unlink()
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    out2, err2 = second.communicate(timeout=300)
    assert second.returncode == 0, err2
    assert f"Another custops run is writing {pdir} (pid {first.pid}" in " ".join(err2.split())
    assert "waiting for it to finish" in err2
    published = _tree(pdir)
    # the same two runs, each alone in its own folder
    refs = {}
    for name in ("alpha", "beta"):
        ref = subprocess.run(_cmd(toy, name, toy / f"ref-{name}"), capture_output=True, text=True,
                             env=_env(), timeout=300)  # fmt: skip
        assert ref.returncode == 0, ref.stderr
        refs[name] = _tree(toy / f"ref-{name}" / PERIOD)
    assert refs["alpha"] != refs["beta"]
    # file by file: the published report is the second run's, nothing of the first is left
    assert published == refs["beta"]
    assert pd.read_csv(pdir / "artifacts" / "review.csv")["value"].tolist() == ["beta"]
    assert not [
        p.name for p in pdir.iterdir() if p.name.startswith((".stage", ".html-build", ".running"))
    ]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_staging_folders_of_dead_runs_are_removed(tmp_path):
    dead = _dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        names = [f".html-build-{dead}", f".stage-{dead}", f".html.old-{dead}",
                 f".artifacts.old-{dead}", f".running-{dead}", ".stage", ".running",
                 f".html-build-{sleeper.pid}", "html", "artifacts", ".hidden-1"]  # fmt: skip
        for name in names:
            (tmp_path / name / "sub").mkdir(parents=True)
            (tmp_path / name / "sub" / "page.html").write_text("x" * 1000)
        lines = []
        removed = guard.clean_stale(tmp_path, log=lines.append)
        assert sorted(p.name for p in removed) == sorted(names[:7])
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted([f".html-build-{sleeper.pid}", "html", "artifacts", ".hidden-1"])
        assert lines == [
            "removed 7 staging folder(s) left by an interrupted run: "
            + ", ".join(sorted(names[:7]))
        ]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_lock_held_by_another_process_stops_or_waits(tmp_path):
    folder = tmp_path / "build" / PERIOD
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from custops.run.guard import RunLock\n"
         "with RunLock(Path(sys.argv[1]), command='custops run'):\n"
         "    print('locked', flush=True); time.sleep(120)", str(folder)],
        stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(guard.FolderBusy) as info, guard.RunLock(folder):
            pass
        message = str(info.value)
        assert re.match(
            rf"Another custops run is writing {re.escape(folder.as_posix())} "
            rf"\(pid {holder.pid}, started \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.",
            message,
        ), message
        assert "--wait" in message and info.value.exit_code == 3
        told = []
        with (
            pytest.raises(guard.FolderBusy, match=r"gave up after waiting \d+ s"),
            guard.RunLock(folder, wait=0.5, log=told.append),
        ):
            pass
        assert told and "waiting for it to finish" in told[0]
    finally:
        holder.send_signal(signal.SIGKILL)  # killed: the OS releases its lock
        holder.wait()
    with guard.RunLock(folder, wait=None) as lock:
        assert lock.owner()["pid"] == os.getpid()
    assert not (folder / guard.OWNER_NAME).exists()


@pytest.mark.slow
def test_killed_run_leaves_book_and_staging_consistent(toy):
    out = toy / "build"
    pdir = out / PERIOD
    done = subprocess.run(_cmd(toy, "alpha", out), capture_output=True, text=True, env=_env(),
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    good = _tree(pdir)
    good_notebooks = {p.name: p.read_bytes() for p in (pdir / "notebooks").iterdir()}
    (toy / "beta" / "hold").touch()
    proc = subprocess.Popen(_cmd(toy, "beta", out), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=_env(), start_new_session=True)  # fmt: skip
    try:
        # notebook 01 of the second run has written beta's artifact into its stage and waits
        staged = pdir / f".stage-{proc.pid}" / PERIOD / "artifacts" / "marker.csv"
        deadline = time.monotonic() + 240
        while not staged.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert staged.exists(), "the second run never got into notebook 01"
        time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its kernel
        proc.wait(timeout=30)
        (toy / "beta" / "hold").unlink()
    assert (pdir / f".stage-{proc.pid}").exists()  # what a killed run leaves behind
    assert {p.name: p.read_bytes() for p in (pdir / "notebooks").iterdir()} == good_notebooks
    # `custops book` now rebuilds alpha's report exactly, and removes the dead run's staging
    book = subprocess.run(
        [str(CUSTOPS), "book", "--period", PERIOD, "--out", str(out), "--notebooks",
         str(toy / "notebooks"), "--book-template", str(ROOT / "book")],
        capture_output=True, text=True, env=_env(), timeout=300,
    )  # fmt: skip
    assert book.returncode == 0, book.stderr
    assert "staging folder(s) left by an interrupted run: " in book.stderr
    assert f".stage-{proc.pid}" in book.stderr
    assert _tree(pdir) == good
    assert not [p for p in pdir.iterdir() if re.match(r"\.(stage|html-build|running)", p.name)]


# --------------------------------------------------------------------------- clear CLI errors


def _cli(*args: str, capsys) -> tuple[int, str]:
    code = cli.main(list(args))
    err = " ".join(capsys.readouterr().err.split())
    assert "Traceback" not in err
    return code, err


def test_unwritable_out_is_one_sentence_exit_2(tmp_path, capsys, small_demo):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = {
        str(blocker): f"Cannot write the report to --out {blocker}: it is a file, not a folder.",
        str(blocker / "build"): f"it is below {blocker}, which is a file, not a folder.",
        "/proc/custops-no-such-root/build": "Cannot create --out /proc/custops-no-such-root/build:",
    }
    for out, says in cases.items():
        code, err = _cli("run", "--config", str(small_demo), "--period", PERIOD, "--out", out,
                         capsys=capsys)  # fmt: skip
        assert code == 2 and err.startswith("error:") and says in err, err
        assert "fix:" in err
    code, err = _cli("book", "--period", PERIOD, "--out", str(blocker), "--config",
                     str(small_demo), capsys=capsys)  # fmt: skip
    assert code == 2 and "it is a file, not a folder" in err


def test_config_that_is_a_folder_or_not_utf8_exit_2(tmp_path, capsys):
    folder = tmp_path / "cfg"
    folder.mkdir()
    code, err = _cli("validate", "--config", str(folder), capsys=capsys)
    assert code == 2 and f"The configuration {folder} is a folder, not a file." in err
    gbk = tmp_path / "custops.yaml"
    gbk.write_bytes("company: 演示公司\nsources: {}\n".encode("gbk"))
    code, err = _cli("run", "--config", str(gbk), "--period", PERIOD, capsys=capsys)
    assert code == 2 and f"The configuration {gbk} is not UTF-8 text (byte 9, line 1:" in err
    assert "Save it as UTF-8" in err


def test_demo_data_refuses_a_folder_with_other_files(tmp_path, capsys):
    mine = tmp_path / "exports"
    mine.mkdir()
    (mine / "orders_2025.csv").write_text("my real data")
    (mine / "custops.yaml").write_text("company: Mine\n")
    code, err = _cli("demo-data", "--out", str(mine), "--customers", "200", capsys=capsys)
    assert code == 2
    assert (
        f"Not writing the demo data into {mine}: it holds 1 file(s) that are not demo files (orders_2025.csv)"
        in err
    )
    assert (mine / "custops.yaml").read_text() == "company: Mine\n"  # untouched
    code, err = _cli("demo-data", "--out", str(mine / "orders_2025.csv"), capsys=capsys)
    assert code == 2 and "is a file, not a folder" in err
    # a new folder, and again over the demo just written, are fine
    demo = tmp_path / "demo"
    assert cli.main(["demo-data", "--out", str(demo), "--customers", "200"]) == 0
    assert {p.name for p in demo.iterdir()} == cli.DEMO_FILES
    assert cli.main(["demo-data", "--out", str(demo), "--customers", "200", "--seed", "7"]) == 0


# --------------------------------------------------------------------------- periods without data


@pytest.fixture(scope="module")
def demo_range(small_demo) -> tuple[str, str]:
    raw = pd.read_csv(small_demo.parent / "invoice_lines.csv", usecols=["InvoiceDate"])
    # the demo plants unreadable and implausible dates (00/00/0000, 2099): cleaning rejects them
    dates = pd.to_datetime(raw["InvoiceDate"], format="mixed", errors="coerce")
    dates = dates[(dates >= "2000-01-01") & (dates <= pd.Timestamp.now() + pd.Timedelta(days=1))]
    return dates.min().date().isoformat(), dates.max().date().isoformat()


@pytest.mark.parametrize("period", ["2019Q4", "2030Q1", "9999Q4", "2026-03"])
def test_period_without_orders_stops_before_any_notebook(
    period, small_demo, demo_range, tmp_path, capsys
):
    first, last = demo_range
    out = tmp_path / "build"
    code, err = _cli("run", "--config", str(small_demo), "--period", period, "--out", str(out),
                     capsys=capsys)  # fmt: skip
    assert code == 2, err
    assert (
        f"error: invoice_lines.csv, column 'order_date': no orders in {period}; the data cover {first} … {last}"
        in err
    )
    assert "fix: Pass a period inside that range with --period (e.g. 2025Q4)" in err
    assert not (out / period).exists()  # nothing ran, nothing was written for the period


@pytest.mark.parametrize("period", ["0000Q1", "2025Q5", "2025-13", "25Q4", "Q4 2025"])
def test_malformed_period_exit_2(period, small_demo, capsys):
    code, err = _cli("validate", "--config", str(small_demo), "--period", period, capsys=capsys)
    assert code == 2 and f"Cannot read the period {period.strip()!r}." in err
    assert "Write it like 2025Q4, 2025-11, 2025H2 or 2025." in err


def test_period_with_orders_passes_the_check(small_demo):
    pipeline.check_period_has_orders(load_config(small_demo), pipeline.Period.parse(PERIOD))
