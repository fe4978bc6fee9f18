"""Observation end: the earlier of the period end and the last day with data (or the config's)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from custops.features.features import observation, order_features

ORDERS = pd.DataFrame(
    {
        "customer_id": ["a", "a", "b", "c"],
        "order_id": ["1", "2", "3", "4"],
        "order_date": pd.to_datetime(
            ["2025-01-10 09:00", "2025-11-02 10:00", "2025-02-01 11:00", "2025-11-20 18:30"]
        ),
        "amount": [10.0, 20.0, 5.0, 7.0],
    }
)


def test_data_that_stop_early_set_the_observation_end():
    obs = observation({"orders": ORDERS}, "2025Q4")
    assert obs.observation_end == date(2025, 11, 20)
    covered = (date(2025, 11, 20) - date(2025, 10, 1)).days + 1
    assert abs(obs.share - covered / 92) < 1e-12
    assert obs.partial
    from custops.chapters.collection import observation_sentence

    assert "The data end on 2025-11-20: 55% of 2025Q4." in observation_sentence(obs, "en")
    assert "数据截止于 2025-11-20：覆盖 2025Q4 的 55%" in observation_sentence(obs, "zh")
    # the config's observation_end wins; later than the period end it is the period end
    assert observation({"orders": ORDERS}, "2025Q4", date(2025, 12, 1)).observation_end == date(
        2025, 12, 1
    )
    assert not observation({"orders": ORDERS}, "2025Q4", date(2026, 3, 1)).partial
    # a later event in any table counts; events after the period do not
    tickets = pd.DataFrame({"created_at": pd.to_datetime(["2025-12-31 08:00", "2026-01-05 09:00"])})
    assert observation({"orders": ORDERS, "tickets": tickets}, "2025Q4").share == 1.0


def test_recency_tenure_T_and_censoring_count_to_the_observation_end():
    end = pd.Timestamp("2025-11-20")
    f = order_features(ORDERS, "2025Q4", inactivity_days=180, observation_end=end.date())
    f = f.set_index("customer_id")
    first = ORDERS.groupby("customer_id")["order_date"].min().dt.normalize()
    last = ORDERS.groupby("customer_id")["order_date"].max().dt.normalize()
    for customer in "abc":
        assert f.loc[customer, "T"] == (end - first[customer]).days
        assert f.loc[customer, "recency_days"] == (end - last[customer]).days
        assert f.loc[customer, "tenure_days"] == (end - first[customer]).days
        churned = (end - last[customer]).days > 180
        assert f.loc[customer, "event"] == int(churned)
        expected = (
            (last[customer] - first[customer]).days + 180
            if churned
            else (end - first[customer]).days
        )
        assert f.loc[customer, "duration_days"] == expected
    # b: last order 2025-02-01, 292 days before the observation end -> churned
    assert f.loc["b", "event"] == 1
    # with the period end instead, T is 41 days longer for everyone
    full = order_features(ORDERS, "2025Q4", inactivity_days=180).set_index("customer_id")
    assert ((full["T"] - f["T"]) == (pd.Timestamp("2025-12-31") - end).days).all()


def test_the_partial_period_sentence_names_day_share_and_period():
    """The chapter's sentence fills the catalog entry with the observation's day, share, period."""
    from custops.chapters.collection import observation_sentence

    obs = observation({"orders": ORDERS}, "2025Q4")
    share = ((date(2025, 11, 20) - date(2025, 10, 1)).days + 1) / 92
    assert observation_sentence(obs, "en").startswith(
        f"> **The data end on 2025-11-20: {share:.0%} of 2025Q4.** Recency, tenure, T"
    )
    assert observation_sentence(obs, "zh").startswith(
        f"> **数据截止于 2025-11-20：覆盖 2025Q4 的 {share:.0%}。**"
    )
    full = observation({"orders": ORDERS}, "2025Q4", date(2026, 3, 1))
    assert observation_sentence(full, "en") == "" == observation_sentence(full, "zh")
