"""The quarterly review's order questions on integer codes against their definitions, written
here in plain Python (loops over rows and dicts; nothing of custops but ``Period``): the
scorecard's period measures, the acquisition funnel, cohorts, weak channels, new-customer value,
the bootstrap of the median, repurchase timing and the follow-up gap
(custops.features.order_heads); the monthly KPIs of custops.review.alerts customer by customer
and on a hand-worked example; on the demo company and on small tables with order lines,
missing ids and dates, ties and other time units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from custops.core import index as core_index
from custops.core.config import Period
from custops.core.errors import CustopsError
from custops.features import order_heads
from custops.features.order_heads import order_headers
from custops.ingest.artifacts import read_clean_tables
from custops.review import alerts, cohorts, economics, funnels
from custops.review import scorecard as review

PERIOD = "2025Q4"

# --------------------------------------------------------------------------- plain-Python oracles
# Written for the test from the documented definitions: loops over the rows and dicts, nothing
# of custops but ``Period``; statsmodels' Wilson interval and scipy's t quantile.


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def reference_heads(orders: pd.DataFrame) -> list[tuple[object, pd.Timestamp, float]]:
    """One (customer, time, amount) per order id with a known date: the customer of the first
    line that names one, the earliest line's time, the lines' amounts summed (missing = 0)."""
    heads: dict = {}
    for oid, cid, when, amount in zip(
        orders["order_id"],
        orders["customer_id"],
        orders["order_date"],
        orders["amount"],
        strict=True,
    ):
        if _missing(oid):
            continue
        head = heads.setdefault(oid, [None, None, 0.0])
        if head[0] is None and not _missing(cid):
            head[0] = cid
        if not _missing(when) and (head[1] is None or when < head[1]):
            head[1] = pd.Timestamp(when)
        if not _missing(amount):
            head[2] += float(amount)
    return [(c, t, a) for c, t, a in heads.values() if t is not None]


def _wilson(x: int, n: int) -> tuple[float, float]:
    if not n:
        return math.nan, math.nan
    low, high = proportion_confint(x, n, alpha=0.05, method="wilson")
    return float(low), float(high)


def _mean_ci(values: list[float]) -> tuple[float, float, float]:
    n = len(values)
    if not n:
        return math.nan, math.nan, math.nan
    mean = sum(values) / n
    if n < 2:
        return mean, math.nan, math.nan
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def reference_period_orders(tables, period) -> dict[str, dict[str, float]]:
    """The scorecard's order KPIs from their definitions: value, n, x and the 95% interval.

    Buyers are the distinct customers of the period's orders (an order without a customer
    counts as one more buyer); new = first order ever in the period; lapse = previous
    period's buyers without an order now; repurchase = known buyers with two or more orders;
    the average order value over every order of the period, revenue per known buyer.
    """
    p = Period.parse(period)
    prev = p.previous()
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    pstart, pend = pd.Timestamp(prev.start), pd.Timestamp(prev.end_exclusive)
    heads = reference_heads(tables["orders"])
    none = object()  # the one "customer" of orders without a customer id
    now = [h for h in heads if start <= h[1] < end]
    before = [h for h in heads if pstart <= h[1] < pend]
    buyers = {none if c is None else c for c, _, _ in now}
    prev_buyers = {none if c is None else c for c, _, _ in before}
    first: dict = {}
    for c, t, _ in heads:
        if c is not None:
            first[c] = min(first.get(c, t), t)
    n_new = sum(start <= t < end for t in first.values())
    lost = len(prev_buyers - buyers)
    per: dict = {}
    for c, _, a in now:
        if c is not None:
            orders_, revenue = per.get(c, (0, 0.0))
            per[c] = (orders_ + 1, revenue + a)
    n_rep = sum(k >= 2 for k, _ in per.values())
    out = {
        "active_customers": {"value": len(buyers), "n": len(buyers), "x": len(buyers)},
        "new_customers": {"value": n_new, "n": n_new, "x": n_new},
    }
    for name, x, n in (
        ("churn_rate", lost, len(prev_buyers)),
        ("retention_rate", len(prev_buyers) - lost, len(prev_buyers)),
        ("repurchase_rate", n_rep, len(per)),
    ):
        low, high = _wilson(x, n)
        out[name] = {
            "value": x / n if n else math.nan,
            "n": n,
            "x": x,
            "ci_low": low,
            "ci_high": high,
        }
    for name, values in (
        ("avg_order_value", [a for _, _, a in now]),
        ("revenue_per_customer", [r for _, r in per.values()]),
    ):
        mean, low, high = _mean_ci(values)
        out[name] = {"value": mean, "n": len(values), "ci_low": low, "ci_high": high}
    out["revenue"] = {"value": sum(a for _, _, a in now), "n": len(now)}
    return out


def reference_acquisition_counts(customers, orders, period) -> list[int]:
    """Per quarter (previous, this): customers who signed up, of them with >= 1 and >= 2
    orders before the quarter's end (the signup cohort may hold one customer without id)."""
    p = Period.parse(period)
    heads = reference_heads(orders)
    counts = []
    for q in (p.previous(), p):
        start, end = pd.Timestamp(q.start), pd.Timestamp(q.end_exclusive)
        cohort = set()
        for cid, signup in zip(customers["customer_id"], customers["signup_date"], strict=True):
            if not _missing(signup) and start <= signup < end:
                cohort.add(None if _missing(cid) else cid)
        n_orders: dict = {}
        for c, t, _ in heads:
            if c is not None and c in cohort and t < end:
                n_orders[c] = n_orders.get(c, 0) + 1
        counts += [len(cohort), len(n_orders), sum(k >= 2 for k in n_orders.values())]
    return counts


def reference_first_two(orders: pd.DataFrame, end: pd.Timestamp) -> dict:
    """customer -> (first, second or None) order time before ``end``, in plain Python: an order
    is its id's lines (customer: the first line's known one, time: the earliest line)."""
    heads: dict = {}
    for oid, cid, when in zip(
        orders["order_id"], orders["customer_id"], orders["order_date"], strict=True
    ):
        if pd.isna(oid):
            continue
        head = heads.setdefault(oid, [None, None])
        if head[0] is None and isinstance(cid, str):
            head[0] = cid
        if not pd.isna(when) and (head[1] is None or when < head[1]):
            head[1] = pd.Timestamp(when)
    times: dict = {}
    for cid, when in heads.values():
        if cid is not None and when is not None and when < end:
            times.setdefault(cid, []).append(when)
    return {c: (min(v), sorted(v)[1] if len(v) > 1 else None) for c, v in times.items()}


def reference_repurchase_timing(orders, period, windows) -> pd.DataFrame:
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    day = pd.Timedelta(days=1)
    rows = []
    for w in windows:
        eligible, gaps = 0, []
        for first, second in reference_first_two(orders, end).values():
            if (end - first) / day >= w:
                eligible += 1
                if second is not None and (second - first) / day <= w:
                    gaps.append((second - first) / day)
        share = len(gaps) / eligible if eligible else np.nan
        rows.append((w, eligible, len(gaps), share, float(np.median(gaps)) if gaps else np.nan))
    return pd.DataFrame(
        rows, columns=["window_days", "eligible", "repurchased", "share", "median_days"]
    )


def reference_no_contact(orders, period, *, touches=None, tickets=None) -> dict:
    p = Period.parse(period)
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    last: dict = {}
    for frame, column in ((touches, "sent_at"), (tickets, "created_at")):
        if frame is None:
            continue
        for cid, at in zip(frame["customer_id"], frame[column], strict=True):
            if not pd.isna(at) and at < end:
                last[cid] = max(last.get(cid, at), at)
    repeat = {
        c: s
        for c, (_, s) in reference_first_two(orders, end).items()
        if s is not None and s >= start
    }
    silent = [c for c, s in repeat.items() if not (c in last and last[c] > s)]
    since = [(end - repeat[c]) / pd.Timedelta(days=1) for c in silent]
    return {
        "repurchasers": len(repeat),
        "no_contact": len(silent),
        "share": len(silent) / len(repeat) if repeat else np.nan,
        "median_days_since": float(np.median(since)) if since else np.nan,
    }


# --------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def demo(small_artifacts: Path) -> dict[str, pd.DataFrame]:
    return read_clean_tables(small_artifacts)


def edge_tables(unit: str = "ns", lines: bool = True, seed: int = 3) -> dict[str, pd.DataFrame]:
    """Orders with several lines per order (or one row per order), missing customer ids, order
    ids and dates, missing amounts, many orders at the same time, customers without orders."""
    rng = np.random.default_rng(seed)
    n_cust, n_orders = 60, 400
    ids = np.array([f"c{i:03d}" for i in range(n_cust)], dtype=object)
    base = pd.Timestamp("2025-03-01")
    # coarse clock: whole days and a few fixed hours, so many ties
    when = base + pd.to_timedelta(rng.integers(0, 330, n_orders), "D")
    when = when + pd.to_timedelta(rng.choice([0, 0, 9, 13], n_orders), "h")
    heads = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(n_orders)],
            "customer_id": rng.choice(ids[: n_cust - 10], n_orders),
            "order_date": when,
            "amount": rng.gamma(2.0, 30.0, n_orders).round(2),
        }
    )
    # orders exactly at quarter starts (period boundaries), several per customer
    bounds = pd.to_datetime(["2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"])
    at_bound = rng.choice(n_orders, 60, replace=False)
    heads.loc[at_bound, "order_date"] = rng.choice(bounds, 60)
    heads.loc[at_bound, "customer_id"] = rng.choice(ids[:20], 60)
    heads.loc[rng.choice(n_orders, 8, replace=False), "customer_id"] = None
    heads.loc[rng.choice(n_orders, 6, replace=False), "order_date"] = pd.NaT
    heads.loc[rng.choice(n_orders, 6, replace=False), "amount"] = np.nan
    if lines:
        extra = heads.sample(250, replace=True, random_state=seed).copy()
        # later lines of the same order: a minute later or earlier, an own amount
        extra["order_date"] = extra["order_date"] + pd.to_timedelta(
            rng.choice([-1, 1, 2], len(extra)), "min"
        )
        extra["amount"] = rng.gamma(1.0, 5.0, len(extra))
        heads = pd.concat([heads, extra]).sample(frac=1.0, random_state=seed)
    orders = heads.reset_index(drop=True)
    orders.loc[rng.choice(len(orders), 3, replace=False), "order_id"] = None
    orders["order_date"] = orders["order_date"].astype(f"datetime64[{unit}]")
    customers = pd.DataFrame(
        {
            "customer_id": np.append(ids, [None]),
            "signup_date": base + pd.to_timedelta(rng.integers(0, 320, n_cust + 1), "D"),
        }
    )
    n_t = 300
    touches = pd.DataFrame(
        {
            "customer_id": rng.choice(np.append(ids, ["nobody", None]), n_t),
            "sent_at": base + pd.to_timedelta(rng.integers(0, 340 * 24, n_t), "h"),
        }
    )
    # touches at the very time of an order of the same customer (a tie is not "after")
    same = heads.dropna(subset=["customer_id", "order_date"]).sample(80, random_state=seed)
    touches.loc[: len(same) - 1, "customer_id"] = same["customer_id"].to_numpy()
    touches.loc[: len(same) - 1, "sent_at"] = same["order_date"].to_numpy()
    touches.loc[rng.choice(n_t, 5, replace=False), "sent_at"] = pd.NaT
    tickets = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 40),
            "created_at": base + pd.to_timedelta(rng.integers(0, 340 * 24 * 60, 40), "min"),
        }
    )
    tickets["created_at"] = tickets["created_at"].astype("datetime64[us]")
    return {"orders": orders, "customers": customers, "touches": touches, "tickets": tickets}


CASES = [
    pytest.param(dict(unit="ns", lines=True), id="lines-ns"),
    pytest.param(dict(unit="us", lines=True), id="lines-us"),
    pytest.param(dict(unit="ns", lines=False), id="one-row-per-order"),
    pytest.param(dict(unit="s", lines=False, seed=5), id="one-row-per-order-s"),
]


def same_as_reference(got: review.Measure, want: dict[str, float], kpi: str) -> None:
    for name, value in want.items():
        assert np.isclose(getattr(got, name), value, rtol=1e-12, equal_nan=True), (kpi, name)


def check_all(tables: dict, periods=("2025Q4", "2025Q3", "2025Q2", "2024Q4")) -> None:
    for period in periods:
        want = reference_period_orders(tables, period)
        got = review.period_measures(tables, period)
        for kpi, values in want.items():
            same_as_reference(got[kpi], values, kpi)
        acq = funnels.acquisition_funnel(tables["customers"], tables["orders"], period)
        assert acq["n"].tolist() == reference_acquisition_counts(
            tables["customers"], tables["orders"], period
        )
        windows = (0, 1, 30, 90, 180, 400)
        got = cohorts.repurchase_timing(tables["orders"], period, windows=windows)
        want = reference_repurchase_timing(tables["orders"], period, windows)
        for column in want:
            np.testing.assert_allclose(got[column], want[column], rtol=1e-12, err_msg=column)
        bounds = [_wilson(x, n) for x, n in zip(want["repurchased"], want["eligible"], strict=True)]
        low, high = [b[0] for b in bounds], [b[1] for b in bounds]
        np.testing.assert_allclose(got["ci_low"], low)
        np.testing.assert_allclose(got["ci_high"], high)
        for touches, tickets in (
            (tables["touches"], tables["tickets"]),
            (tables["touches"], None),
            (None, tables["tickets"]),
            (tables["touches"].iloc[:0], None),
        ):
            got = cohorts.no_contact_after_repurchase(
                tables["orders"], period, touches=touches, tickets=tickets
            )
            want = reference_no_contact(tables["orders"], period, touches=touches, tickets=tickets)
            assert set(got) == {*want, "ci_low", "ci_high"}
            for key in want:
                np.testing.assert_allclose(got[key], want[key], rtol=1e-12, err_msg=key)
            low, high = _wilson(want["no_contact"], want["repurchasers"])
            assert np.allclose([got["ci_low"], got["ci_high"]], [low, high], equal_nan=True)


def test_order_questions_match_their_definitions_on_the_demo(demo):
    assert demo["orders"]["order_id"].duplicated().any(), "the demo has order lines"
    check_all(demo)


@pytest.mark.parametrize("kwargs", CASES)
def test_order_questions_match_their_definitions_at_the_edges(kwargs):
    tables = edge_tables(**kwargs)
    if kwargs["lines"]:
        assert tables["orders"]["order_id"].dropna().duplicated().any()
    else:
        assert not tables["orders"]["order_id"].dropna().duplicated().any()
    check_all(tables)


def test_order_questions_on_empty_and_order_free_periods():
    tables = edge_tables()
    check_all(tables, periods=("2023Q1", "2027Q2"))
    empty = {k: v.iloc[:0] for k, v in tables.items()}
    check_all(empty, periods=("2025Q4",))


def test_first_two_orders_per_customer_against_a_sort():
    rng = np.random.default_rng(0)
    code = rng.integers(-1, 50, 2000)
    ts = rng.integers(0, 30, 2000)  # many ties
    first, second = core_index._first_two(code, ts, 52)
    frame = pd.DataFrame({"c": code, "t": ts}).query("c >= 0").sort_values(["c", "t"])
    ranks = frame.groupby("c").cumcount()
    want_first = (
        frame[ranks == 0].set_index("c")["t"].reindex(range(52), fill_value=order_heads.NONE)
    )
    want_second = (
        frame[ranks == 1].set_index("c")["t"].reindex(range(52), fill_value=order_heads.NONE)
    )
    none = order_heads.NONE
    assert np.array_equal(first, want_first.to_numpy())
    assert np.array_equal(second, want_second.to_numpy())
    assert (second == none).any() and (first == none).any() and (first == second).any()


def test_order_heads_are_kept_by_the_index_of_their_table():
    tables = edge_tables()
    ix = core_index.OrderIndex.from_orders(tables["orders"])
    a = order_heads.order_heads_of(tables["orders"], ix)
    assert order_heads.order_heads_of(tables["orders"], ix) is a is ix.heads
    other = tables["orders"].copy()
    with pytest.raises(ValueError, match="another orders table"):
        order_heads.order_heads_of(other, ix)
    fresh = order_heads.order_heads_of(other)  # no index: built for this table
    assert fresh is not a and np.array_equal(fresh.code, a.code)


def test_order_heads_follow_an_in_place_edit():
    orders = edge_tables()["orders"].copy()
    before = order_heads.order_heads_of(orders)
    orders.loc[orders.index[0], "customer_id"] = "zz-new"
    after = order_heads.order_heads_of(orders)
    heads = order_headers(orders)
    heads = heads[heads["order_date"].notna()]
    assert sorted(after.labels[after.code[after.code >= 0]]) == sorted(
        heads["customer_id"].dropna()
    )
    assert "zz-new" in after.labels.tolist() and "zz-new" not in before.labels.tolist()


# --------------------------------------------------------------------------- cohorts


def reference_cohort_retention(
    orders: pd.DataFrame, period: Period | str, *, n_cohorts: int = 12, max_k: int = 12
) -> pd.DataFrame:
    """Monthly first-order cohorts from the definition, customer by customer: a customer's
    cohort is the month of their first order line before the period end; they count as a
    buyer in month k of the cohort when they have an order line k months after it."""
    p = Period.parse(period)
    end = pd.Timestamp(p.end_exclusive)
    months: dict = {}
    for cid, when in zip(orders["customer_id"], orders["order_date"], strict=True):
        if not _missing(cid) and not _missing(when) and when < end:
            months.setdefault(cid, set()).add(when.year * 12 + when.month - 1)
    last_month = p.end.year * 12 + p.end.month - 1
    cohort_of = {c: min(m) for c, m in months.items() if min(m) > last_month - n_cohorts}
    rows = []
    for cohort in sorted(set(cohort_of.values())):
        members = [c for c, k in cohort_of.items() if k == cohort]
        for k in range(0, min(max_k, last_month - cohort) + 1):
            buyers = sum(cohort + k in months[c] for c in members)
            low, high = _wilson(buyers, len(members))
            label = f"{cohort // 12}-{cohort % 12 + 1:02d}"
            rows.append((label, k, len(members), buyers, buyers / len(members), low, high))
    columns = ["cohort", "k", "cohort_size", "buyers", "share", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)


def same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert sorted(got.columns) == sorted(want.columns) and len(got) == len(want)
    for column in want:
        if want[column].dtype == object:
            assert got[column].tolist() == want[column].tolist(), column
        else:
            np.testing.assert_allclose(
                got[column].to_numpy(dtype=float),
                want[column].to_numpy(dtype=float),
                rtol=1e-12,
                atol=1e-12,
                err_msg=column,
            )


def test_cohort_retention_matches_its_definition(demo):
    for args in ((PERIOD, 12, 12), ("2025Q2", 6, 3), (PERIOD, 1, 0)):
        period, n_cohorts, max_k = args
        same_frame(
            cohorts.cohort_retention(demo["orders"], period, n_cohorts=n_cohorts, max_k=max_k),
            reference_cohort_retention(demo["orders"], period, n_cohorts=n_cohorts, max_k=max_k),
        )
    for kwargs in ({"unit": "ns"}, {"unit": "us"}, {"unit": "s", "lines": False, "seed": 5}):
        with_missing = edge_tables(**kwargs)["orders"]
        # lines without a customer id are left out, as a groupby would
        orders = with_missing.dropna(subset=["customer_id"])
        for period, n_cohorts, max_k in ((PERIOD, 12, 12), ("2025Q3", 3, 1), ("2024Q1", 12, 12)):
            got = cohorts.cohort_retention(orders, period, n_cohorts=n_cohorts, max_k=max_k)
            same_frame(
                got, reference_cohort_retention(orders, period, n_cohorts=n_cohorts, max_k=max_k)
            )
            pd.testing.assert_frame_equal(
                got,
                cohorts.cohort_retention(with_missing, period, n_cohorts=n_cohorts, max_k=max_k),
            )


# --------------------------------------------------------------------------- weak channels


def reference_weak_channel_reach(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    touches: pd.DataFrame | None,
    period: Period | str,
    weak: set[str],
) -> pd.DataFrame:
    """Shares of the period's active customers (distinct ids of its order lines, one more for
    lines without an id) that are not APP-bound (the customer's first row; unknown = not
    bound), whose touches of the period all went through a ``weak`` channel, and who were not
    touched at all."""
    p = Period.parse(period)
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    none = object()
    active = {
        none if _missing(c) else c
        for c, when in zip(orders["customer_id"], orders["order_date"], strict=True)
        if not _missing(when) and start <= when < end
    }
    rows = []
    if "app_bound" in customers:
        bound: dict = {}
        for c, b in zip(customers["customer_id"], customers["app_bound"], strict=True):
            key = none if _missing(c) else c
            if key not in bound:
                bound[key] = b
        not_bound = sum(
            not (k is not none and k in bound and not _missing(bound[k]) and bool(bound[k]))
            for k in active
        )
        rows.append(("not_app_bound", not_bound, len(active)))
    if touches is not None and len(touches):
        channels: dict = {}
        for c, ch, when in zip(
            touches["customer_id"], touches["channel"], touches["sent_at"], strict=True
        ):
            if not _missing(c) and c in active and not _missing(when) and start <= when < end:
                channels.setdefault(c, set()).add(ch)
        only_weak = sum(all(ch in weak for ch in chs) for chs in channels.values())
        rows.append(("touched_only_weak", only_weak, len(active)))
        rows.append(("not_touched", len(active) - len(channels), len(active)))
    out = []
    for measure, n, of in rows:
        low, high = _wilson(n, of)
        out.append((measure, n, of, n / of if of else math.nan, low, high))
    return pd.DataFrame(out, columns=["measure", "n", "of", "share", "ci_low", "ci_high"])


def test_weak_channel_reach_matches_its_definition(demo):
    channels = funnels.channel_effectiveness(demo["touches"], PERIOD)
    assert channels["weak"].any()
    weak = set(channels.loc[channels["weak"], "channel"])
    for period in (PERIOD, "2025Q2"):
        args = (demo["customers"], demo["orders"], demo["touches"], period)
        want = reference_weak_channel_reach(*args, weak)
        same_frame(funnels.weak_channel_reach(*args, channels), want)
        if period == PERIOD:  # without the table, the channels of this period are computed
            same_frame(funnels.weak_channel_reach(*args), want)
    rng = np.random.default_rng(1)
    for kwargs in ({"unit": "ns"}, {"unit": "s", "lines": False, "seed": 5}):
        t = edge_tables(**kwargs)
        t["touches"]["channel"] = rng.choice(["sms", "app", "email", None], len(t["touches"]))
        t["customers"]["app_bound"] = rng.choice([True, False, None], len(t["customers"]))
        weak = pd.DataFrame({"channel": ["sms", "email", "app"], "weak": [True, True, False]})
        for period in (PERIOD, "2025Q2", "2024Q1"):
            for touches in (t["touches"], None, t["touches"].iloc[:0]):
                args = (t["customers"], t["orders"], touches, period)
                same_frame(
                    funnels.weak_channel_reach(*args, weak),
                    reference_weak_channel_reach(*args, {"sms", "email"}),
                )


# --------------------------------------------------------------------------- unit economics


def reference_new_customer_value(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    scores: pd.DataFrame | None,
    period: Period | str,
    *,
    margin: float,
) -> pd.DataFrame:
    """The customers who signed up in the period, row by row: their channel (spellings that
    differ only in case and spaces written as the most common one; none = "(unknown)"), the
    revenue of their order lines before the period end, the margin on it, and the expected
    margin of the churn scores (the first row of the customer; 0 for a churned or unscored
    customer)."""
    p = Period.parse(period)
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    spelling: dict = {}
    if "acquisition_channel" in customers:
        seen: dict = {}
        for v in customers["acquisition_channel"]:
            if not _missing(v):
                seen[str(v)] = seen.get(str(v), 0) + 1
        for v, _ in sorted(seen.items(), key=lambda kv: -kv[1]):  # stable: first seen wins a tie
            spelling.setdefault(v.strip().casefold(), v)
    revenue: dict = {}
    for c, when, amount in zip(
        orders["customer_id"], orders["order_date"], orders["amount"], strict=True
    ):
        if not _missing(when) and when < end:
            revenue[c] = revenue.get(c, 0.0) + (0.0 if _missing(amount) else float(amount))
    future: dict = {}
    if scores is not None:
        for c, event, value in zip(
            scores["customer_id"], scores["event"], scores["clv"], strict=True
        ):
            if c not in future:
                future[c] = 0.0 if event != 0 or _missing(value) else float(value)
    rows = []
    channels = (
        customers["acquisition_channel"]
        if "acquisition_channel" in customers
        else [None] * len(customers)
    )
    for c, signup, channel in zip(
        customers["customer_id"], customers["signup_date"], channels, strict=True
    ):
        if _missing(signup) or not start <= signup < end:
            continue
        if _missing(channel):
            channel = "(unknown)"
        else:
            channel = spelling.get(str(channel).strip().casefold(), channel)
        bought = not _missing(c) and c in revenue
        value = revenue.get(c, 0.0) if bought else 0.0
        expected = future.get(c, 0.0) if scores is not None else math.nan
        rows.append(
            (
                c,
                channel,
                signup,
                bought,
                value,
                value * margin,
                expected,
                scores is not None and c in future,
                value * margin + expected,
            )
        )
    columns = [
        "customer_id",
        "channel",
        "signup_date",
        "bought",
        "revenue",
        "margin_to_date",
        "expected_margin",
        "scored",
        "clv",
    ]
    return pd.DataFrame(rows, columns=columns)


def test_new_customer_value_matches_its_definition(demo):
    ids = demo["customers"]["customer_id"]
    rng = np.random.default_rng(2)
    scores = pd.DataFrame(
        {
            "customer_id": ids.sample(frac=0.7, random_state=1).to_numpy(),
            "event": rng.integers(0, 2, int(round(len(ids) * 0.7))),
            "clv": rng.gamma(2.0, 50.0, int(round(len(ids) * 0.7))),
        }
    )
    for period in (PERIOD, "2025Q2"):
        for s in (scores, None):
            args = (demo["customers"], demo["orders"], s, period)
            same_frame(
                economics.new_customer_value(*args, margin=0.3),
                reference_new_customer_value(*args, margin=0.3),
            )
    for kwargs in ({"unit": "ns"}, {"unit": "us", "lines": False, "seed": 5}):
        t = edge_tables(**kwargs)
        t["customers"]["acquisition_channel"] = rng.choice(
            ["Ads", "ads", None], len(t["customers"])
        )
        for period in (PERIOD, "2025Q3", "2024Q1"):
            args = (t["customers"], t["orders"], None, period)
            same_frame(
                economics.new_customer_value(*args, margin=0.25),
                reference_new_customer_value(*args, margin=0.25),
            )


# --------------------------------------------------------------------------- bootstrap medians


def reference_boot_medians(sample: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """The definition: ``n_boot`` resamples of the sample's positions drawn at once, one row
    each (``rng.integers(0, n, (n_boot, n))``), and the median of every row."""
    n = len(sample)
    return np.array([float(np.median(sample[row])) for row in rng.integers(0, n, (n_boot, n))])


@pytest.mark.parametrize("window", [8, 0])
def test_bootstrap_medians_match_np_median_of_each_resample(monkeypatch, window):
    # window 0: the rank window is narrow, so many resamples take the sorting fallback
    monkeypatch.setattr(review, "_BOOT_WINDOW", window)
    rng = np.random.default_rng(7)
    for n in (1, 2, 3, 7, 8, 100, 101, 2000, 2001):
        for sample in (
            rng.lognormal(1.0, 1.5, n),
            rng.lognormal(1.0, 1.5, n).round(0),  # many ties
            np.full(n, 2.5),
        ):
            got = review._boot_medians(sample, np.random.default_rng(n), 300)
            want = reference_boot_medians(sample, np.random.default_rng(n), 300)
            assert np.array_equal(got, want), n
    # the generator is left where one draw of the whole matrix leaves it
    a, b = np.random.default_rng(1), np.random.default_rng(1)
    review._boot_medians(rng.random(50), a, 10)
    reference_boot_medians(rng.random(50), b, 10)
    assert a.integers(0, 10**9) == b.integers(0, 10**9)


# --------------------------------------------------------------------------- alerts.monthly_kpis


def _month_label(ts: pd.Timestamp) -> str:
    return f"{ts.year:04d}-{ts.month:02d}"


def _next_month(label: str) -> str:
    y, m = int(label[:4]), int(label[5:])
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def reference_monthly_kpis(
    tables: Mapping[str, pd.DataFrame],
    period: str,
    *,
    inactivity_days: int = 180,
    activation_days: int = 30,
    min_n: int = 20,
) -> pd.DataFrame:
    """The monthly KPIs from their definitions, customer by customer in plain Python (dicts of
    day lists, no groupby, nothing of custops but ``Period``): an independent oracle."""
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    w = pd.Timedelta(days=inactivity_days)
    days: dict[str, set] = {}
    for cid, when in zip(
        tables["orders"]["customer_id"], tables["orders"]["order_date"], strict=True
    ):
        if isinstance(cid, str) and not pd.isna(when) and when < end:
            days.setdefault(cid, set()).add(pd.Timestamp(when))
    first_seen = min(min(v) for v in days.values())
    months, m = [], _month_label(first_seen)
    while m <= _month_label(end - pd.Timedelta(days=1)):
        months.append(m)
        m = _next_month(m)
    rows = []  # (kpi, month, numerator, denominator, value)

    def rates(kpi, num, den, in_months):
        for m in in_months:
            if den.get(m, 0) > 0:
                rows.append((kpi, m, num.get(m, 0), den[m], num.get(m, 0) / den[m]))

    # repurchase in m: of the customers who bought in m-1, those who buy in m
    num, den = {}, {}
    for stamps in days.values():
        bought = {_month_label(t) for t in stamps}
        for m in bought:
            nxt = _next_month(m)
            den[nxt] = den.get(nxt, 0) + 1
            num[nxt] = num.get(nxt, 0) + (nxt in bought)
    rates("repurchase_rate", num, den, months[1:])

    # churn in m: an order day d whose next order day is later than d + W (or none), with
    # d + W in m (and before the end); denominator: customers whose last order day before the
    # start of m is at most W days before it
    num, den = {}, {}
    for stamps in days.values():
        d = sorted({t.normalize() for t in stamps})
        for i, day in enumerate(d):
            lapse = day + w
            if (i + 1 == len(d) or d[i + 1] > lapse) and lapse < end:
                num[_month_label(lapse)] = num.get(_month_label(lapse), 0) + 1
        for m in months:
            start = pd.Timestamp(m + "-01")
            before = [x for x in d if x < start]
            if before and before[-1] >= start - w:
                den[m] = den.get(m, 0) + 1
    rates("churn_rate", num, den, months)

    customers = tables.get("customers")
    if customers is not None and "signup_date" in customers:
        a = pd.Timedelta(days=activation_days)
        num, den = {}, {}
        for cid, signup in zip(customers["customer_id"], customers["signup_date"], strict=True):
            if not isinstance(cid, str) or pd.isna(signup) or not signup + a < end:
                continue
            m = _month_label(signup)
            den[m] = den.get(m, 0) + 1
            num[m] = num.get(m, 0) + (cid in days and min(days[cid]) <= signup + a)
        # a month counts once its last member's window has closed before the end
        complete = [
            m for m in months if pd.Timestamp(_next_month(m) + "-01") - pd.Timedelta(1) + a < end
        ]
        rates("activation_rate", num, den, complete)

    def values(kpi, per_month, summary):
        for m in sorted(per_month):
            if len(per_month[m]) >= min_n:
                rows.append((kpi, m, np.nan, len(per_month[m]), summary(per_month[m])))

    surveys = tables.get("surveys")
    if surveys is not None and {"responded_at", "score"} <= set(surveys.columns):
        scores: dict[str, list] = {}
        for at, score in zip(surveys["responded_at"], surveys["score"], strict=True):
            if not pd.isna(at) and at < end and not pd.isna(score):
                scores.setdefault(_month_label(at), []).append(score)
        values(
            "nps",
            scores,
            lambda s: 100 * (sum(x >= 9 for x in s) - sum(x <= 6 for x in s)) / len(s),
        )
    tickets = tables.get("tickets")
    if tickets is not None and "first_response_at" in tickets:
        hours: dict[str, list] = {}
        for created, reply in zip(tickets["created_at"], tickets["first_response_at"], strict=True):
            if not pd.isna(created) and created < end and not pd.isna(reply):
                h = max((reply - created).total_seconds() / 3600, 1 / 60)
                hours.setdefault(_month_label(created), []).append(h)
        values("first_response_hours", hours, lambda h: float(np.prod(np.array(h) ** (1 / len(h)))))
    touches = tables.get("touches")
    if touches is not None and {"channel", "converted"} <= set(touches.columns):
        sent: dict[str, dict] = {}
        won: dict[str, dict] = {}
        for at, ch, conv in zip(
            touches["sent_at"], touches["channel"], touches["converted"], strict=True
        ):
            if pd.isna(at) or not at < end or not isinstance(ch, str):
                continue
            m = _month_label(at)
            sent.setdefault(ch, {})[m] = sent.setdefault(ch, {}).get(m, 0) + 1
            won.setdefault(ch, {})[m] = won.setdefault(ch, {}).get(m, 0) + (
                not pd.isna(conv) and bool(conv)
            )
        for ch in sent:
            big = [m for m in sorted(sent[ch]) if sent[ch][m] >= min_n]
            rates(f"conversion_{ch}", won[ch], sent[ch], big)
    out = pd.DataFrame(rows, columns=["kpi", "month", "numerator", "denominator", "value"])
    out = out[out["denominator"] >= min_n]
    return out.sort_values(["kpi", "month"], ignore_index=True)


def check(tables, period, **kwargs) -> None:
    got = alerts.monthly_kpis(tables, period, **kwargs)
    want = reference_monthly_kpis(tables, period, **kwargs)
    assert got[["kpi", "month"]].values.tolist() == want[["kpi", "month"]].values.tolist()
    for column in ("numerator", "denominator", "value"):
        np.testing.assert_allclose(
            got[column].to_numpy(float), want[column].to_numpy(float), rtol=1e-12, err_msg=column
        )
    assert (got["n"] == want["denominator"]).all()
    kinds = {k: spec[:2] for k, spec in alerts.KPI_LABELS.items()}
    for kpi, kind, direction in got[["kpi", "kind", "direction"]].itertuples(index=False):
        assert (kind, direction) == kinds.get(kpi, ("rate", "higher")), kpi
    assert {"repurchase_rate", "churn_rate"} <= set(got["kpi"])
    return got


def test_monthly_kpis_match_their_definition_on_the_demo(demo):
    for period in ("2025Q4", "2025Q2"):
        got = check(demo, period)
    got = check(demo, "2025Q4", inactivity_days=45, activation_days=7, min_n=1)
    rates = got[got["kind"] == "rate"].groupby("kpi")["numerator"].sum()
    # a comparison on empty numerators proves little: the retention rates must have events, and
    # most channels' conversions too (a small demo's email channel can convert nobody by chance)
    conversion = rates.index.str.startswith("conversion_")
    assert (rates[~conversion] > 0).all(), "every retention rate has events"
    assert (rates[conversion] > 0).sum() >= 2, "conversions in at least two channels"
    assert {"nps", "first_response_hours", "activation_rate"} <= set(got["kpi"])
    assert got["kpi"].str.startswith("conversion_").any()


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(unit="ns", lines=True),
        dict(unit="us", lines=True),
        dict(unit="ns", lines=False),
        dict(unit="s", lines=False, seed=5),
    ],
)
def test_monthly_kpis_match_their_definition_at_the_edges(kwargs):
    tables = edge_tables(**kwargs)
    tables = {k: tables[k] for k in ("orders", "customers")}
    churned = 0
    for days in (1, 30, 31, 92, 180):
        for period in ("2025Q4", "2025Q3", "2026Q2"):
            got = check(
                tables, period, inactivity_days=days, activation_days=min(days, 30), min_n=1
            )
            churned += got.loc[got["kpi"] == "churn_rate", "numerator"].sum()
    assert churned > 0
    with pytest.raises(CustopsError, match="No orders before the end of 2024Q4"):
        alerts.monthly_kpis(tables, "2024Q4")


# --------------------------------------------------------------------------- reading the tables


def test_read_tables_reads_the_clean_tables_with_the_order_columns_the_review_uses(
    small_artifacts: Path, demo
):
    from custops.chapters.review import read_tables

    got = read_tables(small_artifacts)
    assert got.keys() == demo.keys()
    for name, frame in demo.items():
        want = frame[list(review.ORDER_COLUMNS)] if name == "orders" else frame
        pd.testing.assert_frame_equal(got[name], want)
    assert set(demo["orders"].columns) > set(review.ORDER_COLUMNS), "fewer columns are read"
    # the scorecard on the narrow orders is the scorecard on the full table
    pd.testing.assert_frame_equal(review.scorecard(got, PERIOD), review.scorecard(demo, PERIOD))


def test_read_tables_without_orders_says_what_to_run(tmp_path: Path):
    from custops.chapters.review import read_tables

    with pytest.raises(CustopsError, match="No clean tables"):
        read_tables(tmp_path)


def test_monthly_kpis_on_a_hand_worked_example():
    # a: orders on Jan 5, Feb 3, Mar 20; b: Jan 9 only; c: signs up Jan 10, first order on
    # Feb 9 = exactly 30 days later (activated); d: signs up Jan 20, orders Feb 20 (31 days)
    o = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c", "d"],
            "order_id": list("123456"),
            "order_date": pd.to_datetime(
                ["2025-01-05", "2025-02-03", "2025-03-20", "2025-01-09", "2025-02-09", "2025-02-20"]
            ),
            "amount": 1.0,
        }
    )
    c = pd.DataFrame(
        {"customer_id": ["c", "d"], "signup_date": pd.to_datetime(["2025-01-10", "2025-01-20"])}
    )
    k = alerts.monthly_kpis({"orders": o, "customers": c}, "2025Q1", inactivity_days=30, min_n=1)
    rows = {(r.kpi, r.month): (r.numerator, r.denominator) for r in k.itertuples()}
    # repurchase: Jan buyers {a, b} -> Feb {a}; Feb buyers {a, c, d} -> Mar {a}
    assert rows[("repurchase_rate", "2025-02")] == (1, 2)
    assert rows[("repurchase_rate", "2025-03")] == (1, 3)
    # churn, W = 30: b lapses Feb 8 (alive on Feb 1: last order Jan 9); a's Feb 3 -> Mar 20 gap
    # lapses Mar 5; c lapses Mar 11, d Mar 22; alive on Mar 1: a, c, d (b's Jan 9 is too old)
    assert rows[("churn_rate", "2025-02")] == (1, 2)
    assert rows[("churn_rate", "2025-03")] == (3, 3)
    # activation: January's members c (30 days: in) and d (31 days: out)
    assert rows[("activation_rate", "2025-01")] == (1, 2)


def test_repurchase_timing_and_follow_up_on_a_hand_worked_example():
    # a: first order Oct 1, second exactly 30 days later (within 30); b: Oct 1 and Nov 15
    # (45 days); c: one order. A touch of a at the very time of its second order is not
    # "after" it; b was e-mailed a day after its second order.
    o = pd.DataFrame(
        {
            "order_id": list("12345"),
            "customer_id": ["a", "a", "b", "b", "c"],
            "order_date": pd.to_datetime(
                ["2025-10-01", "2025-10-31", "2025-10-01", "2025-11-15", "2025-10-01"]
            ),
            "amount": 1.0,
        }
    )
    t = cohorts.repurchase_timing(o, "2025Q4", windows=[30, 60])
    assert t[["eligible", "repurchased"]].values.tolist() == [[3, 1], [3, 2]]
    assert t["median_days"].tolist() == [30.0, 37.5]
    touches = pd.DataFrame(
        {"customer_id": ["a", "b"], "sent_at": pd.to_datetime(["2025-10-31", "2025-11-16"])}
    )
    r = cohorts.no_contact_after_repurchase(o, "2025Q4", touches=touches)
    assert (r["repurchasers"], r["no_contact"]) == (2, 1)
    assert r["median_days_since"] == 62.0  # a: Oct 31 -> Jan 1
