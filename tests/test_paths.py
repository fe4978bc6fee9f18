"""Behaviour paths: DuckDB statistics equal an independent pandas recount; ties are ordered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custops import paths
from custops.errors import CustopsError


@pytest.fixture(scope="module")
def small_stream() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random stream of 80 customers built from small canonical tables."""
    rng = np.random.default_rng(5)
    ids = [f"c{i:02d}" for i in range(80)]
    base = pd.Timestamp("2024-01-01")
    orders = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 300),
            "order_id": [f"o{i}" for i in range(300)],
            "order_date": base + pd.to_timedelta(rng.integers(0, 700, 300), unit="D"),
            "amount": 10.0,
        }
    )
    touches = pd.DataFrame(
        {
            "touch_id": [f"m{i}" for i in range(250)],
            "customer_id": rng.choice(ids, 250),
            "sent_at": base + pd.to_timedelta(rng.integers(0, 730, 250), unit="D"),
            "channel": "sms",
            "opened": rng.random(250) < 0.4,
            "converted": rng.random(250) < 0.1,
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(60)],
            "customer_id": rng.choice(ids, 60),
            "created_at": base + pd.to_timedelta(rng.integers(0, 730, 60), unit="D"),
            "category": rng.choice(["complaint", "inquiry"], 60),
        }
    )
    tables = {"orders": orders, "touches": touches, "tickets": tickets}
    stream = paths.event_stream(tables, "2025Q4")
    return stream, paths.outcomes(stream, "2025Q4", inactivity_days=180)


def _cut(stream: pd.DataFrame, out: pd.DataFrame) -> dict[str, list[str]]:
    """Per customer, the events before the cutoff, in order (plain pandas)."""
    m = stream.merge(out, on="customer_id")
    m = m[m["ts"] < m["cutoff"]].sort_values(["customer_id", "seq"])
    return {cid: g["event"].tolist() for cid, g in m.groupby("customer_id")}


def test_transition_matrix_equals_pandas_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    counts: dict[tuple[str, str], int] = {}
    for cid, events in _cut(stream, out).items():
        end = "churned" if churned[cid] else "retained"
        for a, b in zip(events, [*events[1:], end], strict=True):
            counts[(a, b)] = counts.get((a, b), 0) + 1
    tm = paths.transition_matrix(stream, out)
    got = {(r.from_event, r.to_event): r.count for r in tm.itertuples()}
    assert got == counts
    assert tm.groupby("from_event")["share"].sum().round(12).eq(1).all()


def test_step_matrix_and_paths_equal_pandas_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    cut = _cut(stream, out)
    steps = paths.step_matrix(stream, out, n_steps=3).set_index(["group", "step", "event"])
    n_group = {"churned": int(churned.sum()), "retained": int((~churned).sum())}
    manual: dict[tuple[str, int, str], int] = {}
    for cid, events in cut.items():
        g = "churned" if churned[cid] else "retained"
        for k in range(1, min(3, len(events)) + 1):
            key = (g, -k, events[-k])
            manual[key] = manual.get(key, 0) + 1
    assert steps["customers"].to_dict() == manual
    for key, n in manual.items():
        assert steps.loc[key, "share"] == pytest.approx(n / n_group[key[0]])

    diffs = paths.path_differences(stream, out, n_steps=2, min_customers=1, top=100)
    last2 = pd.Series({cid: " → ".join(ev[-2:]) for cid, ev in cut.items()})
    for row in diffs.itertuples():
        ids = last2.index[last2 == row.path]
        kc = int(churned.reindex(ids).sum())
        assert row.churned_n == kc
        assert row.churned_share == pytest.approx(kc / n_group["churned"])
        assert row.retained_share == pytest.approx((len(ids) - kc) / n_group["retained"])
        assert row.ci_low <= row.diff <= row.ci_high
    assert set(diffs["path"]) == set(last2.unique())


def test_no_interaction_after_first_repurchase_equals_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    tally = {"churned": [0, 0], "retained": [0, 0]}
    for cid, events in _cut(stream, out).items():
        if "repurchase" not in events:
            continue
        after = events[events.index("repurchase") + 1 :]
        g = "churned" if churned[cid] else "retained"
        tally[g][0] += 1
        tally[g][1] += int(not any(e not in ("first_order", "repurchase") for e in after))
    q = paths.no_interaction_after_repurchase(stream, out).set_index("group")
    for g, (n, k) in tally.items():
        assert (q.loc[g, "customers"], q.loc[g, "no_interaction"]) == (n, k)
        assert q.loc[g, "ci_low"] <= q.loc[g, "share"] <= q.loc[g, "ci_high"]


def test_ties_follow_priority_then_source_id() -> None:
    day = pd.Timestamp("2025-03-01 10:00")
    orders = pd.DataFrame(
        {"customer_id": ["a", "a"], "order_id": ["9", "8"], "order_date": [day, day], "amount": 1.0}
    )
    touches = pd.DataFrame(
        {
            "touch_id": ["m2", "m1"],
            "customer_id": ["a", "a"],
            "sent_at": [day, day],
            "channel": "sms",
            "opened": [False, True],
            "converted": [False, False],
        }
    )
    tickets = pd.DataFrame(
        {"ticket_id": ["t1"], "customer_id": ["a"], "created_at": [day], "category": ["投诉"]}
    )
    s = paths.event_stream({"orders": orders, "touches": touches, "tickets": tickets}, "2025Q1")
    assert s["event"].tolist() == [
        "first_order",
        "repurchase",
        "complaint",
        "touch",
        "touch_opened",
    ]
    assert s["seq"].tolist() == [1, 2, 3, 4, 5]
    # the same tables in another row order give the same stream
    s2 = paths.event_stream(
        {"orders": orders[::-1], "touches": touches[::-1], "tickets": tickets}, "2025Q1"
    )
    pd.testing.assert_frame_equal(s, s2)


def test_demo_paths_and_findings(generated_event_tables: dict) -> None:
    tables = generated_event_tables
    stream = paths.event_stream(tables, "2025Q4")
    out = paths.outcomes(stream, "2025Q4")
    # outcome agrees with a direct inactivity count on the orders
    last = tables["orders"].groupby("customer_id")["order_date"].max().dt.normalize()
    expected = (pd.Timestamp("2025-12-31") - last).dt.days > 180
    assert out.set_index("customer_id")["churned"].sort_index().equals(expected.sort_index())
    diffs = paths.path_differences(stream, out)
    quiet = paths.no_interaction_after_repurchase(stream, out)
    assert (diffs["p_holm"] >= 0).all() and len(diffs) == 10
    assert "first repurchase" in paths.paths_findings(diffs, quiet, "en")
    assert "首次复购" in paths.paths_findings(diffs, quiet, "zh")
    fig = paths.plot_step_matrix(paths.step_matrix(stream, out), "en")
    assert len(fig.axes) == 2  # heatmap + colour bar


def test_missing_orders_error() -> None:
    with pytest.raises(CustopsError, match="need the orders table"):
        paths.event_stream({}, "2025Q4")
