"""A demo company with planted, documented effects.

``write_demo_data`` writes the source exports of a fictional retailer (in the shapes real
exports come in: a GBK-encoded CRM customer list with Chinese headers, invoice-style order
lines, an Excel ticket sheet, a survey CSV with a BOM, a Parquet touch log), a ready
``custops.yaml`` mapping them to the canonical tables, and ``truth.json`` with every planted
effect and the tolerance within which the handbook must recover it.

The clean tables are generated first; the mess of real exports (duplicates, bad dates,
cancellations, missing ids, outliers, inconsistent categories) is injected afterwards and
counted in ``truth.json["mess"]``. The effects for the diagnostics (a first-response breakdown,
delivery complaints in one region, churned customers who went quiet after their first
repurchase) are planted last, on their own random stream, and documented with the
health-score oracle in ``truth.json["diagnostics"]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

__all__ = ["DemoSpec", "generate", "write_demo_data"]

DAY = np.timedelta64(1, "D")
CHANNELS = ["sms", "app_push", "email", "wechat"]
# conditional funnel rates per channel: delivered|sent, opened|delivered, clicked|opened, converted|clicked
FUNNEL = {
    "sms": (0.96, 0.30, 0.12, 0.20),
    "app_push": (0.90, 0.45, 0.25, 0.30),
    "email": (0.85, 0.22, 0.15, 0.15),
    "wechat": (0.97, 0.55, 0.30, 0.25),
}
REGIONS = ["华东", "华南", "华北", "西南", "华中"]
REGION_P = [0.32, 0.24, 0.20, 0.14, 0.10]
ACQ = ["organic", "search_ads", "social", "referral", "offline_store"]
ACQ_P = [0.30, 0.25, 0.20, 0.10, 0.15]
CATEGORIES = ["Electronics", "Home", "Beauty", "Apparel", "Grocery"]
TICKET_CHANNELS = ["phone", "online_chat", "email", "wechat"]
TOUCHPOINTS = ["purchase", "delivery", "service", "app"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚")


@dataclass(frozen=True)
class DemoSpec:
    """Knobs of the demo company; the defaults are what ``truth.json`` documents.

    Examples
    --------
    >>> DemoSpec(n_customers=500).period
    '2025Q4'
    """

    n_customers: int = 5000
    seed: int = 42
    start: date = date(2023, 1, 1)
    end: date = date(2025, 12, 31)
    period: str = "2025Q4"
    high_value_share: float = 0.04
    high_value_amount_multiplier: float = 8.0
    high_value_rate_multiplier: float = 2.0
    mean_days_between_orders: float = 25.0
    rate_gamma_shape: float = 6.0
    median_lifetime_days: float = 420.0
    hazard_ratios: dict[str, float] = field(
        default_factory=lambda: {
            "unresolved_complaint": 2.0,
            "slow_first_response": 1.5,
            "app_bound": 0.6,
        }
    )
    share_unresolved: float = 0.15
    share_slow: float = 0.25
    share_app_bound: float = 0.45
    slow_hours_threshold: float = 24.0
    # a flagged customer's first ticket (the unresolved complaint, else a slow one) is created
    # in these first days after the first order, before the Cox model's landmark
    # (churn.landmark_days)
    planted_ticket_days: float = 60.0
    nps_base: tuple[float, float] = (0.52, 0.18)  # promoter, detractor probability
    nps_slow: tuple[float, float] = (0.30, 0.40)
    nps_dip: tuple[float, float] = (-0.08, 0.07)  # shift in the demo period
    ab_campaign: str = "2025Q4_winback"
    ab_uplift: float = 1.6  # treatment conversion|clicked multiplier
    # effects for custops.alerts/sentiment/paths/health (issue 11), planted after everything
    # else on their own random stream: switching them off leaves every other table unchanged
    plant_diagnostics: bool = True
    frt_breakdown_multiplier: float = 3.0  # first response x3 in the period's last two months
    delivery_region: str = "华南"  # a courier partner failing in this region in the period
    delivery_complaint_share: float = 0.6  # of the region's passives/detractors in the period
    quiet_share: float = 0.5  # of churned repurchasers: no touches after the first repurchase
    # the retention outreach (issue 23), opt-in so every other planted effect is unchanged:
    # the list of `outreach_period` (customers active at its end, i.e. ordered within
    # `outreach_inactivity_days`), its seeded holdout (the same flags custops.survival.clv
    # .priority_list gives with the config's seed), a campaign reaching `outreach_reach` of the
    # assigned customers in the first two weeks after the period, and a planted effect: a
    # reached customer who would have churned within `outreach_horizon_days` is won back (one
    # more order before the churn date) with probability `outreach_win_back`
    outreach: bool = False
    outreach_period: str = "2025Q3"
    outreach_holdout_share: float = 0.10
    outreach_reach: float = 0.85
    outreach_win_back: float = 0.8
    outreach_inactivity_days: int = 180
    outreach_horizon_days: int = 90
    outreach_campaign: str = "2025Q4_retention"


# ----------------------------------------------------------------------------- customers


def _customers(spec: DemoSpec, rng: np.random.Generator) -> pd.DataFrame:
    n = spec.n_customers
    span = (np.datetime64(spec.end) - np.datetime64(spec.start)) // DAY - 10
    # signups grow over time: density proportional to (1 + 1.5 t)
    u = rng.random(n)
    a = 1.5
    t = (-1 + np.sqrt(1 + a * (2 + a) * u)) / a  # inverse CDF of (1 + a t) / (1 + a/2)
    signup = np.datetime64(spec.start) + (t * span).astype(int) * DAY
    ids = np.array([f"C{i:05d}" for i in range(1, n + 1)])
    high_value = rng.random(n) < spec.high_value_share
    app_bound = rng.random(n) < spec.share_app_bound
    unresolved = rng.random(n) < spec.share_unresolved
    slow = rng.random(n) < spec.share_slow
    names = [
        rng.choice(SURNAMES) + "".join(rng.choice(GIVEN, rng.integers(1, 3))) for _ in range(n)
    ]
    phones = [f"1{rng.choice([3, 5, 7, 8, 9])}{rng.integers(0, 10**9):09d}" for _ in range(n)]
    emails = [
        f"user{rng.integers(10**5, 10**6)}@example.{rng.choice(['com', 'cn'])}" for _ in range(n)
    ]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "signup_date": pd.to_datetime(signup),
            "region": rng.choice(REGIONS, n, p=REGION_P),
            "acquisition_channel": rng.choice(ACQ, n, p=ACQ_P),
            "app_bound": app_bound,
            "name": names,
            "phone": phones,
            "email": emails,
            "_high_value": high_value,
            "_unresolved": unresolved,
            "_slow": slow,
        }
    )


def _hazard(spec: DemoSpec, cust: pd.DataFrame) -> np.ndarray:
    """Per-day churn hazard of each customer (exponential lifetime, proportional hazards)."""
    hr = spec.hazard_ratios
    log_hr = (
        np.log(hr["unresolved_complaint"]) * cust["_unresolved"].to_numpy()
        + np.log(hr["slow_first_response"]) * cust["_slow"].to_numpy()
        + np.log(hr["app_bound"]) * cust["app_bound"].to_numpy()
    )
    return np.log(2) / spec.median_lifetime_days * np.exp(log_hr)


def _lifetimes(spec: DemoSpec, cust: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Days from first order to the (latent) end of the relationship: exponential PH model."""
    return rng.exponential(1.0 / _hazard(spec, cust))


# ----------------------------------------------------------------------------- orders


def _orders(
    spec: DemoSpec, cust: pd.DataFrame, life: np.ndarray, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Order headers (one per order), their lines and each customer's order rate per day.

    Customers buy as a Poisson process: a first order on ``first`` (signup + 0-14 days), then
    repeats at ``rate`` per day on the days ``first .. first + active_days − 1`` where
    ``active_days = min(floor(lifetime), end − first)``.
    """
    n = len(cust)
    end = np.datetime64(spec.end)
    first = cust["signup_date"].to_numpy().astype("datetime64[D]") + rng.integers(0, 15, n) * DAY
    buys = (rng.random(n) > 0.08) & (first <= end)  # 8% sign up and never buy
    last_alive = np.minimum(first + np.floor(life).astype(int) * DAY, end)
    active_days = np.maximum((last_alive - first) // DAY, 0)
    hv = cust["_high_value"].to_numpy()
    rate = (
        rng.gamma(spec.rate_gamma_shape, 1.0 / spec.rate_gamma_shape, n)
        / spec.mean_days_between_orders
    )
    rate = rate * np.where(hv, spec.high_value_rate_multiplier, 1.0)
    repeat = np.where(buys, rng.poisson(rate * active_days), 0)
    # every buyer has a first order on `first`; repeats uniform over the active window
    owner = np.concatenate([np.flatnonzero(buys), np.repeat(np.arange(n), repeat)])
    offs = np.concatenate(
        [np.zeros(buys.sum()), rng.random(repeat.sum()) * np.repeat(active_days, repeat)]
    )
    day = first[owner] + np.floor(offs).astype(int) * DAY
    # time of day: evening peak
    # reflected (not clipped) at the shop's hours, 7-23, so no hour collects the tails
    hour = np.round(rng.normal(19.5, 3.2, len(owner)))
    hour = np.where(hour > 23, 46 - hour, hour)
    hour = np.clip(np.where(hour < 7, 14 - hour, hour), 7, 23).astype(int)
    minute = rng.integers(0, 60, len(owner))
    ts = day.astype("datetime64[m]") + (hour * 60 + minute).astype("timedelta64[m]")
    # spend per order: customer-level mean (gamma) x order-level lognormal noise
    cust_mean = rng.gamma(4.0, 280.0 / 4.0, n) * np.where(
        hv, spec.high_value_amount_multiplier, 1.0
    )
    amount = cust_mean[owner] * rng.lognormal(-0.08, 0.4, len(owner))
    orders = pd.DataFrame(
        {
            "customer_id": cust["customer_id"].to_numpy()[owner],
            "order_ts": pd.to_datetime(ts),
            "amount": np.round(amount, 2),
            "channel": rng.choice(["app", "web", "store"], len(owner), p=[0.45, 0.35, 0.20]),
        }
    ).sort_values(["order_ts", "customer_id"], kind="stable", ignore_index=True)
    orders["order_id"] = [f"{536365 + i}" for i in range(len(orders))]
    # split each order into 1-3 lines: quantity x unit price sums to the order amount
    n_lines = rng.choice([1, 2, 3], len(orders), p=[0.5, 0.35, 0.15])
    idx = np.repeat(np.arange(len(orders)), n_lines)
    weights = rng.random(len(idx)) + 0.2
    share = weights / np.bincount(idx, weights)[idx]
    qty = rng.choice([1, 1, 1, 2, 3], len(idx))
    line_amount = np.round(orders["amount"].to_numpy()[idx] * share, 2)
    lines = pd.DataFrame(
        {
            "InvoiceNo": orders["order_id"].to_numpy()[idx],
            "StockCode": [f"SKU{k:05d}" for k in rng.integers(1, 3000, len(idx))],
            "Quantity": qty,
            "UnitPrice": np.round(line_amount / qty, 2),
            "InvoiceDate": orders["order_ts"].to_numpy()[idx],
            "CustomerID": orders["customer_id"].to_numpy()[idx],
            "Channel": orders["channel"].to_numpy()[idx],
            "Category": rng.choice(CATEGORIES, len(idx)),
        }
    )
    # the amount the handbook sees is sum(Quantity * UnitPrice); make the header agree
    lines_amount = (lines["Quantity"] * lines["UnitPrice"]).groupby(lines["InvoiceNo"]).sum()
    orders["amount"] = orders["order_id"].map(lines_amount).round(2)
    return orders, lines, rate


# ----------------------------------------------------------------------------- tickets


def _tickets(
    spec: DemoSpec, cust: pd.DataFrame, orders: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Service tickets; flagged customers get the planted complaint and slow-response tickets."""
    span = orders.groupby("customer_id")["order_ts"].agg(["min", "max"])
    c = cust.set_index("customer_id").loc[span.index]
    first = span["min"].to_numpy()
    last = span["max"].to_numpy()
    width = np.maximum((last - first) / np.timedelta64(1, "h"), 1.0)
    rows = []
    for i, cid in enumerate(span.index):
        slow = bool(c["_slow"].iat[i])
        unresolved = bool(c["_unresolved"].iat[i])
        n_planted = int(slow) + int(unresolved)
        n_t = rng.poisson(0.9) + n_planted
        early = min(width[i], spec.planted_ticket_days * 24.0)
        for k in range(n_t):
            # one planted ticket (the unresolved complaint, else a slow one) early in the
            # relationship, every other ticket anywhere in it
            span_h = early if (k == 0 and n_planted) else width[i]
            created = first[i] + np.timedelta64(int(rng.random() * span_h * 60), "m")
            is_unresolved_case = unresolved and k == 0
            category = (
                "complaint"
                if is_unresolved_case
                else rng.choice(
                    ["inquiry", "complaint", "return", "delivery"], p=[0.45, 0.2, 0.2, 0.15]
                )
            )
            response_h = rng.uniform(26, 80) if slow else rng.gamma(2.0, 2.0)
            responded = created + np.timedelta64(int(response_h * 60), "m")
            resolved = (
                pd.NaT
                if is_unresolved_case
                else responded + np.timedelta64(int(rng.gamma(2.0, 12.0) * 60), "m")
            )
            csat = int(
                np.clip(
                    np.round(rng.normal(2.3 if (slow or is_unresolved_case) else 4.2, 0.9)), 1, 5
                )
            )
            rows.append(
                (
                    cid,
                    created,
                    responded,
                    resolved,
                    rng.choice(TICKET_CHANNELS, p=[0.3, 0.35, 0.15, 0.2]),
                    category,
                    csat if rng.random() < 0.7 else np.nan,
                    bool(rng.random() < (0.25 if slow else 0.08)),
                    f"agent{rng.integers(1, 13):02d}",
                )
            )
    tickets = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "created_at",
            "first_response_at",
            "resolved_at",
            "channel",
            "category",
            "csat",
            "reopened",
            "agent",
        ],
    ).sort_values(["created_at", "customer_id"], kind="stable", ignore_index=True)
    tickets.insert(0, "ticket_id", [f"T{i:06d}" for i in range(1, len(tickets) + 1)])
    end = pd.Timestamp(spec.end) + pd.Timedelta(hours=23, minutes=59)
    for col in ("first_response_at", "resolved_at"):
        tickets.loc[tickets[col] > end, col] = pd.NaT  # not yet happened at the export date
    return tickets


# ----------------------------------------------------------------------------- surveys

_COMMENTS = {
    "promoter": {
        "zh": [
            "客服回复很快，问题当天就解决了",
            "会员权益很实用，还会继续买",
            "物流很快，包装也好",
            "APP很好用，下单方便",
        ],
        "en": [
            "Fast reply from support, solved the same day",
            "Great member benefits, will buy again",
            "Quick delivery and good packaging",
            "The app is easy to use",
        ],
    },
    "passive": {
        "zh": ["还可以，价格有点贵", "东西不错，就是配送有点慢", "一般般，没什么特别"],
        "en": [
            "It is okay, a bit expensive",
            "Product is fine but delivery was slow",
            "Average, nothing special",
        ],
    },
    "detractor": {
        "zh": [
            "客服回复太慢，等了两天没人理",
            "投诉一直没有解决，很差",
            "态度很差，问题没解决",
            "价格贵质量差，不会再买了",
        ],
        "en": [
            "Support was slow and never replied",
            "My complaint was never resolved",
            "Rude staff and the problem is still open",
            "Too expensive for poor quality",
        ],
    },
}


def _score(prom: float, det: float, rng: np.random.Generator) -> int:
    u = rng.random()
    if u < prom:
        return int(rng.choice([9, 10], p=[0.45, 0.55]))
    if u < prom + det:
        return int(rng.choice(range(7), p=[0.04, 0.04, 0.06, 0.1, 0.16, 0.25, 0.35]))
    return int(rng.choice([7, 8]))


def _surveys(
    spec: DemoSpec, cust: pd.DataFrame, orders: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Quarterly relationship NPS: a sample of customers who ordered in the quarter answer."""
    from custops.core.config import Period

    slow = cust.set_index("customer_id")["_slow"]
    demo = Period.parse(spec.period)
    q = Period.parse(f"{spec.start.year}Q1")
    rows = []
    while q.start <= spec.end:
        in_q = orders[
            (orders["order_ts"] >= pd.Timestamp(q.start))
            & (orders["order_ts"] < pd.Timestamp(q.end_exclusive))
        ]
        buyers = in_q["customer_id"].unique()
        respond = buyers[rng.random(len(buyers)) < 0.35]
        for cid in respond:
            is_slow = bool(slow[cid])
            prom, det = spec.nps_slow if is_slow else spec.nps_base
            if q == demo:
                prom, det = prom + spec.nps_dip[0], det + spec.nps_dip[1]
            score = _score(prom, det, rng)
            kind = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            day = pd.Timestamp(q.start) + pd.Timedelta(
                days=int(rng.integers(0, q.days)), hours=int(rng.integers(8, 22))
            )
            comment = None
            if rng.random() < 0.55:
                lang = "zh" if rng.random() < 0.65 else "en"
                comment = str(rng.choice(_COMMENTS[kind][lang]))
                if rng.random() < 0.05:  # customers paste contact details into free text
                    comment += (
                        " 请回电 13812345678"
                        if lang == "zh"
                        else " call me at +86 139 1234 5678 or mail me@example.com"
                    )
            rows.append((cid, day, score, comment, rng.choice(TOUCHPOINTS), is_slow, q.label))
        q = q.shift(1)
    surveys = pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "responded_at",
            "score",
            "comment",
            "touchpoint",
            "_slow",
            "_quarter",
        ],
    ).sort_values(["responded_at", "customer_id"], kind="stable", ignore_index=True)
    surveys.insert(0, "response_id", [f"R{i:06d}" for i in range(1, len(surveys) + 1)])
    return surveys


# ----------------------------------------------------------------------------- touches


def _touches(
    spec: DemoSpec, cust: pd.DataFrame, orders: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Monthly marketing contacts of recently active customers, with planted channel funnels."""
    from custops.core.config import Period

    app = cust.set_index("customer_id")["app_bound"]
    frames = []
    month = Period.parse(f"{spec.end.year - 1}-01")  # touches in the last two years
    ab = Period.parse(spec.period)
    while month.start <= spec.end:
        window = orders[
            (orders["order_ts"] < pd.Timestamp(month.start))
            & (orders["order_ts"] >= pd.Timestamp(month.start) - pd.Timedelta(days=180))
        ]["customer_id"].unique()
        targets = window[rng.random(len(window)) < 0.6]
        if len(targets):
            bound = app.loc[targets].to_numpy()
            p = np.where(bound[:, None], [0.25, 0.35, 0.15, 0.25], [0.40, 0.0, 0.25, 0.35])
            p = p / p.sum(axis=1, keepdims=True)
            ch = np.array([rng.choice(CHANNELS, p=row) for row in p])
            campaign = np.full(len(targets), f"{month.label}_newsletter", dtype=object)
            group = np.full(len(targets), None, dtype=object)
            if ab.contains(month.start):
                test = rng.random(len(targets)) < 0.5
                campaign[test] = spec.ab_campaign
                group[test] = np.where(rng.random(test.sum()) < 0.5, "treatment", "control")
            frames.append(
                pd.DataFrame(
                    {
                        "customer_id": targets,
                        "sent_at": pd.Timestamp(month.start)
                        + pd.to_timedelta(rng.integers(0, month.days * 24, len(targets)), unit="h"),
                        "channel": ch,
                        "campaign": campaign,
                        "ab_group": group,
                    }
                )
            )
        month = month.shift(1)
    t = pd.concat(frames, ignore_index=True)
    rates = np.array([FUNNEL[c] for c in t["channel"]])
    conv = rates[:, 3] * np.where(t["ab_group"].eq("treatment"), spec.ab_uplift, 1.0)
    t["delivered"] = rng.random(len(t)) < rates[:, 0]
    t["opened"] = t["delivered"] & (rng.random(len(t)) < rates[:, 1])
    t["clicked"] = t["opened"] & (rng.random(len(t)) < rates[:, 2])
    t["converted"] = t["clicked"] & (rng.random(len(t)) < conv)
    t = t.sort_values(["sent_at", "customer_id"], kind="stable", ignore_index=True)
    t.insert(0, "touch_id", [f"M{i:07d}" for i in range(1, len(t) + 1)])
    return t


# ----------------------------------------------------------------------------- mess


def _inject_mess(
    lines: pd.DataFrame, cust_src: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Add the problems real exports have; return the messy frames and what was added."""
    lines = lines.copy()
    lines["InvoiceDate"] = lines["InvoiceDate"].dt.strftime("%Y-%m-%d %H:%M")
    n = len(lines)
    pick = rng.permutation(n)
    k = max(1, n // 200)
    missing_id, bad_date, cats = pick[:k], pick[k : 2 * k], pick[2 * k : 4 * k]
    lines.loc[lines.index[missing_id], "CustomerID"] = ""
    lines.loc[lines.index[bad_date], "InvoiceDate"] = rng.choice(
        ["not recorded", "2025-13-45", "00/00/0000"], k
    )
    lines.loc[lines.index[cats], "Category"] = [
        rng.choice(["  ", "", " "]) + c.upper() if i % 2 else f" {c.lower()} "
        for i, c in enumerate(lines["Category"].iloc[cats])
    ]
    # cancellations: a C-prefixed copy with negative quantity of ~1.5% of lines
    canc = lines.iloc[rng.choice(n, max(1, int(n * 0.015)), replace=False)].copy()
    canc["InvoiceNo"] = "C" + canc["InvoiceNo"]
    canc["Quantity"] = -canc["Quantity"]
    # absurd amounts (data-entry errors)
    outl = lines.iloc[rng.choice(n, 5, replace=False)].copy()
    outl["InvoiceNo"] = [f"9{i:06d}" for i in range(5)]
    outl["UnitPrice"] = 999999.0
    # exact duplicate lines (double export)
    dups = lines.iloc[rng.choice(n, max(1, n // 250), replace=False)].copy()
    messy = pd.concat([lines, canc, outl, dups], ignore_index=True)
    messy = messy.iloc[np.argsort(rng.random(len(messy)), kind="stable")].reset_index(drop=True)
    # customers: re-exported rows with a changed region (key duplicates) and unreadable dates
    redo = cust_src.iloc[
        rng.choice(len(cust_src), max(1, len(cust_src) // 100), replace=False)
    ].copy()
    redo["地区"] = rng.choice(REGIONS, len(redo))
    cust_messy = pd.concat([cust_src, redo], ignore_index=True)
    bad = rng.choice(len(cust_src), max(1, len(cust_src) // 250), replace=False)
    cust_messy.loc[bad, "注册日期"] = "未知"
    slash = rng.choice(len(cust_src), max(1, len(cust_src) // 20), replace=False)
    slash = np.setdiff1d(slash, bad)
    cust_messy.loc[slash, "注册日期"] = pd.to_datetime(cust_messy.loc[slash, "注册日期"]).map(
        lambda d: f"{d.year}/{d.month}/{d.day}"
    )
    mess = {
        "orders_missing_customer_id": int(k),
        "orders_bad_date": int(k),
        "orders_category_case_or_space": int(2 * k),
        "orders_cancellation_lines": len(canc),
        "orders_outlier_lines": len(outl),
        "orders_exact_duplicate_lines": len(dups),
        "customers_key_duplicates": len(redo),
        "customers_bad_signup_date": len(bad),
        "customers_slash_dates": len(slash),
    }
    return messy, cust_messy, mess


# ----------------------------------------------------------------------------- outreach


def _churn_within(days: list, start: np.datetime64, end: np.datetime64, window: int) -> bool:
    """Whether a customer active at ``start`` churns by ``end``: from the last purchase on or
    before ``start``, some purchase is followed by more than ``window`` days without one."""
    seq = [d for d in days if d <= end]
    last = max(d for d in seq if d <= start)
    seq = [d for d in seq if d >= last]
    return any(
        ((seq[i + 1] if i + 1 < len(seq) else end) - d) // DAY > window for i, d in enumerate(seq)
    )


def _plant_outreach(
    spec: DemoSpec,
    orders: pd.DataFrame,
    src_orders: pd.DataFrame,
    touches: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The retention outreach of ``spec.outreach_period``'s list and its effect (see DemoSpec).

    Runs on its own random stream, after everything else. Returns the orders, the source
    order lines and the touches with the won-back orders and the campaign's touches added,
    and ``truth["outreach"]``.
    """
    from custops.core.config import Period
    from custops.core.stats import holdout_flags

    rng = np.random.default_rng([spec.seed, 23])
    period = Period.parse(spec.outreach_period)
    start = np.datetime64(period.end, "D")
    end = start + spec.outreach_horizon_days * DAY
    w = spec.outreach_inactivity_days
    day = orders["order_ts"].to_numpy().astype("datetime64[D]")
    by_customer: dict[str, list] = {}
    for cid, d in zip(orders["customer_id"].to_numpy(), day, strict=True):
        by_customer.setdefault(cid, []).append(d)
    listed = sorted(
        cid
        for cid, ds in by_customer.items()
        if min(ds) <= start and (start - max(d for d in ds if d <= start)) // DAY <= w
    )
    held = holdout_flags(listed, spec.outreach_holdout_share, seed=spec.seed, salt=period.label)
    assigned = ~held
    reached = assigned & (rng.random(len(listed)) < spec.outreach_reach)
    touch_day = start + rng.integers(1, 15, len(listed)) * DAY
    would_churn = np.array([_churn_within(by_customer[c], start, end, w) for c in listed])
    last = np.array([max(d for d in by_customer[c] if d <= start) for c in listed])
    churn_day = last + w * DAY
    can = reached & would_churn & (touch_day + DAY <= churn_day)
    won = can & (rng.random(len(listed)) < spec.outreach_win_back)
    ids = np.array(listed, dtype=object)
    span = np.maximum((churn_day - touch_day) // DAY, 1)
    new_day = touch_day + (1 + np.floor(rng.random(len(listed)) * span).astype(int)) * DAY
    new_day = np.minimum(new_day, churn_day)
    n_new = int(won.sum())
    ts = new_day[won].astype("datetime64[m]") + (
        rng.integers(9 * 60, 22 * 60, n_new).astype("timedelta64[m]")
    )
    amount = np.round(rng.gamma(4.0, 280.0 / 4.0, n_new), 2)
    first_id = int(orders["order_id"].astype(int).max()) + 1
    order_ids = [f"{first_id + i}" for i in range(n_new)]
    new_orders = pd.DataFrame(
        {
            "customer_id": ids[won],
            "order_ts": pd.to_datetime(ts),
            "amount": amount,
            "channel": "app",
            "order_id": order_ids,
        }
    )
    new_lines = pd.DataFrame(
        {
            "InvoiceNo": order_ids,
            "StockCode": [f"SKU{k:05d}" for k in rng.integers(1, 3000, n_new)],
            "Quantity": 1,
            "UnitPrice": amount,
            "InvoiceDate": pd.to_datetime(ts).strftime("%Y-%m-%d %H:%M"),
            "CustomerID": ids[won],
            "Channel": "app",
            "Category": rng.choice(CATEGORIES, n_new),
        }
    )
    orders = pd.concat([orders, new_orders[orders.columns]], ignore_index=True)
    src_orders = pd.concat([src_orders, new_lines[src_orders.columns]], ignore_index=True)
    n_touch = int(reached.sum())
    first_touch = int(touches["touch_id"].str[1:].astype(int).max()) + 1
    new_touches = pd.DataFrame(
        {
            "touch_id": [f"M{first_touch + i:07d}" for i in range(n_touch)],
            "customer_id": ids[reached],
            "sent_at": pd.to_datetime(
                touch_day[reached].astype("datetime64[h]")
                + rng.integers(9, 20, n_touch).astype("timedelta64[h]")
            ),
            "channel": rng.choice(["sms", "app_push"], n_touch),
            "campaign": spec.outreach_campaign,
            "ab_group": None,
            "delivered": True,
            "opened": False,
            "clicked": False,
            "converted": False,
        }
    )
    touches = pd.concat([touches, new_touches[touches.columns]], ignore_index=True)
    n_assigned = int(assigned.sum())
    truth = {
        "description": (
            f"retention outreach of the {period.label} priority list: a seeded holdout of "
            f"{spec.outreach_holdout_share:.0%} ('do not contact', the flags of "
            "custops.core.stats.holdout_flags with the config's seed and the list's period), "
            f"the campaign '{spec.outreach_campaign}' reaching {spec.outreach_reach:.0%} of the "
            "assigned customers within 14 days of the period end; a reached customer who would "
            f"have churned within {spec.outreach_horizon_days} days ({w}-day inactivity) is won "
            f"back with probability {spec.outreach_win_back} (one order before the churn date)"
        ),
        "list_period": period.label,
        "campaign": spec.outreach_campaign,
        "holdout_share": spec.outreach_holdout_share,
        "reach": spec.outreach_reach,
        "win_back_probability": spec.outreach_win_back,
        "list_customers": len(listed),
        "holdout_customers": int(held.sum()),
        "assigned_customers": n_assigned,
        "reached_customers": n_touch,
        "would_churn_assigned": int((assigned & would_churn).sum()),
        "won_back": n_new,
        "itt_retention_difference": n_new / n_assigned if n_assigned else float("nan"),
        "att_retention_difference": n_new / n_touch if n_touch else float("nan"),
        "statistic": (
            "itt_retention_difference = won back / assigned: the retention the assignment "
            "added among the assigned customers (their own counterfactual is known here); "
            "retention = not churned within the horizon"
        ),
        "tolerance": "itt_retention_difference inside the 95% CI of contacted minus held-out "
        "retention (chapter 05, intention to treat)",
    }
    return orders, src_orders, touches, truth


# ----------------------------------------------------------------------------- truth


def _nps(scores: pd.Series) -> float:
    return float(100 * ((scores >= 9).mean() - (scores <= 6).mean()))


def _truth(spec: DemoSpec, cust, orders, tickets, surveys, touches, mess) -> dict[str, Any]:
    from custops.core.config import Period

    period = Period.parse(spec.period)
    rev = orders.groupby("customer_id")["amount"].sum()
    hv_ids = cust.loc[cust["_high_value"], "customer_id"]
    hv_rev = rev.reindex(hv_ids).fillna(0).sum()
    buyers = rev.index
    dip_expected = 100 * ((spec.nps_dip[0]) - (spec.nps_dip[1]))
    slow_gap_expected = 100 * (
        (spec.nps_slow[0] - spec.nps_slow[1]) - (spec.nps_base[0] - spec.nps_base[1])
    )
    prev = period.previous().label
    nps_q = surveys.groupby("_quarter")["score"].apply(_nps)
    funnel = {
        ch: {
            "delivered_given_sent": r[0],
            "opened_given_delivered": r[1],
            "clicked_given_opened": r[2],
            "converted_given_clicked": r[3],
            "converted_per_sent": float(np.prod(r)),
        }
        for ch, r in FUNNEL.items()
    }
    ab = touches[touches["campaign"].eq(spec.ab_campaign)]
    return {
        "about": "Planted effects of the custops demo company. 'expected' values follow from the "
        "generator's parameters; 'realized' values were counted on the clean generated data before "
        "the mess was injected. Tolerances are what the handbook's tests allow.",
        "seed": spec.seed,
        "n_customers": spec.n_customers,
        "data_window": [spec.start.isoformat(), spec.end.isoformat()],
        "period": spec.period,
        "high_value_group": {
            "description": "a small group buying more often and spending far more per order",
            "share_of_customers_planted": spec.high_value_share,
            "share_of_buyers_realized": float(len(set(hv_ids) & set(buyers)) / len(buyers)),
            "revenue_share_realized": float(hv_rev / rev.sum()),
            "customer_ids": sorted(hv_ids.tolist()),
            "tolerance": {"revenue_share_abs": 0.05, "size_share_abs": 0.02},
        },
        "churn": {
            "description": "latent lifetime from first order ~ Exponential with proportional hazards; "
            "covariates are customer-level flags; a flagged customer's first ticket (the unresolved "
            f"complaint, else a slow one) is created in the first {spec.planted_ticket_days:g} days after "
            "the first order, before the Cox model's landmark. Churn is observed through inactivity.",
            "median_lifetime_days_baseline": spec.median_lifetime_days,
            "hazard_ratios": spec.hazard_ratios,
            "covariate_definitions": {
                "unresolved_complaint": "customer has at least one complaint ticket with no resolved_at",
                "slow_first_response": f"customer's median first response > {spec.slow_hours_threshold:g} hours",
                "app_bound": "customers.app_bound is true",
            },
            "suggested_inactivity_days": 180,
            "tolerance": "true hazard ratio inside the estimated 95% CI",
        },
        "nps": {
            "description": "promoter/detractor probabilities; slow-service customers score lower; "
            f"a dip in {spec.period}",
            "promoter_detractor_base": list(spec.nps_base),
            "promoter_detractor_slow": list(spec.nps_slow),
            "slow_service_gap_expected_points": slow_gap_expected,
            "period_dip_expected_points": dip_expected,
            "nps_by_quarter_realized": {k: round(v, 2) for k, v in nps_q.items()},
            "period_change_realized_points": float(
                nps_q.get(spec.period, np.nan) - nps_q.get(prev, np.nan)
            ),
            "tolerance": {"gap_points_abs": 12.0, "dip_points_abs": 10.0},
        },
        "touches": {
            "description": "conditional funnel rates per channel; app_push only reaches app-bound customers",
            "funnel_rates_planted": funnel,
            "ab_test": {
                "campaign": spec.ab_campaign,
                "converted_given_clicked_uplift_multiplier": spec.ab_uplift,
                "conversion_per_sent_realized": {
                    g: float(ab.loc[ab["ab_group"].eq(g), "converted"].mean())
                    for g in ("control", "treatment")
                },
            },
            "tolerance": {"rate_abs": 0.03},
        },
        "mess": mess,
        "row_counts_clean": {
            "customers": len(cust),
            "orders": len(orders),
            "tickets": len(tickets),
            "surveys": len(surveys),
            "touches": len(touches),
        },
    }


# ----------------------------------------------------------------------------- diagnostics

# A courier partner failing in one region (issue 11): complaints that custops.voice.sentiment's shipped
# scorer reads as negative and resources/aspects.yaml assigns to the `delivery` aspect only.
_DELIVERY_COMPLAINTS = {
    "zh": [
        "快递太慢了，一个星期才到货",
        "物流一直不更新，丢件了",
        "配送延迟了好几天，很失望",
        "发货太慢，快递到现在还没到",
        "送货很慢，这次物流太差了",
    ],
    "en": [
        "Delivery was very slow this time",
        "The courier lost my parcel",
        "My parcel arrived late",
        "Shipping took forever",
        "The package never arrived",
    ],
}
#: every comment template that mentions delivery -> what the customer meant (the truth counts
#: labels, not a scorer's reading)
_DELIVERY_LABELS = {
    "物流很快，包装也好": "positive",
    "Quick delivery and good packaging": "positive",
    "东西不错，就是配送有点慢": "negative",
    "Product is fine but delivery was slow": "negative",
    **{t: "negative" for texts in _DELIVERY_COMPLAINTS.values() for t in texts},
}


def _delivery_label(comment: object) -> str | None:
    if not isinstance(comment, str):
        return None
    for template, label in _DELIVERY_LABELS.items():
        if comment.startswith(template):  # some comments carry pasted contact details after it
            return label
    return None


def _delivery_shares(surveys: pd.DataFrame, region: pd.Series, quarter: str) -> dict[str, dict]:
    """Negative delivery mentions / delivery mentions per region in a quarter, from labels."""
    s = surveys[surveys["_quarter"].eq(quarter)]
    label = s["comment"].map(_delivery_label)
    reg = s["customer_id"].map(region)
    out = {}
    for r in REGIONS:
        m = label[reg.eq(r)].dropna()
        neg = int(m.eq("negative").sum())
        out[r] = {
            "mentions": len(m),
            "negative": neg,
            "share_negative": neg / len(m) if len(m) else None,
        }
    return out


def _first_response_breakdown(
    spec: DemoSpec, tickets: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """First response times of tickets created in the last two months of the period x3."""
    from custops.core.config import Period

    months = Period.parse(spec.period).month_starts()[-2:]
    start = pd.Timestamp(months[0])
    end = pd.Timestamp(Period.parse(spec.period).end_exclusive)
    t = tickets.copy()
    hit = (t["created_at"] >= start) & (t["created_at"] < end) & t["first_response_at"].notna()
    mult = spec.frt_breakdown_multiplier * rng.uniform(0.9, 1.1, int(hit.sum()))
    delay = (t.loc[hit, "first_response_at"] - t.loc[hit, "created_at"]) * mult
    new = t.loc[hit, "created_at"] + delay
    shift = new - t.loc[hit, "first_response_at"]
    t.loc[hit, "first_response_at"] = new
    t.loc[hit, "resolved_at"] = t.loc[hit, "resolved_at"] + shift
    cutoff = pd.Timestamp(spec.end) + pd.Timedelta(hours=23, minutes=59)
    for col in ("first_response_at", "resolved_at"):
        t.loc[t[col] > cutoff, col] = pd.NaT

    def slow(frame: pd.DataFrame) -> pd.Series:
        hours = (frame["first_response_at"] - frame["created_at"]).dt.total_seconds() / 3600
        return hours.groupby(frame["customer_id"]).median() > spec.slow_hours_threshold

    before, after = slow(tickets), slow(t)
    flipped = int((after.reindex(before.index, fill_value=False) & ~before).sum())
    return t, {
        "description": "a service breakdown: first response times of tickets created in the "
        f"last two months of the period are about {spec.frt_breakdown_multiplier:g}x longer",
        "kpi": "first_response_hours",
        "months": [pd.Timestamp(m).strftime("%Y-%m") for m in months],
        "multiplier": spec.frt_breakdown_multiplier,
        "tickets_affected": int(hit.sum()),
        "customers_made_slow": flipped,
        "customers_made_slow_note": "customers whose median first response crosses "
        f"{spec.slow_hours_threshold:g} h only because of the breakdown: the observed "
        "slow_first_response flag of the churn model differs from the latent one for them",
        "tolerance": "both months flagged as worse; no other KPI flagged worse in the period",
    }


def _delivery_complaints(
    spec: DemoSpec, cust: pd.DataFrame, surveys: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Passives/detractors of one region in the period write delivery complaints (scores kept)."""
    from custops.core.config import Period

    region = cust.set_index("customer_id")["region"]
    prev = Period.parse(spec.period).previous().label
    s = surveys.copy()
    pool = s.index[
        s["_quarter"].eq(spec.period)
        & s["customer_id"].map(region).eq(spec.delivery_region)
        & s["score"].le(8)
    ]
    hit = pool[rng.random(len(pool)) < spec.delivery_complaint_share]
    langs = np.where(rng.random(len(hit)) < 0.65, "zh", "en")
    s.loc[hit, "comment"] = [str(rng.choice(_DELIVERY_COMPLAINTS[lang])) for lang in langs]
    now = _delivery_shares(s, region, spec.period)
    before = _delivery_shares(s, region, prev)
    return s, {
        "description": f"a courier partner failing in {spec.delivery_region} in {spec.period}: "
        f"{spec.delivery_complaint_share:.0%} of the region's passives and detractors in the "
        "period write a delivery complaint instead of their comment (scores unchanged, so NPS "
        "truth is untouched)",
        "aspect": "delivery",
        "region": spec.delivery_region,
        "period": spec.period,
        "previous_period": prev,
        "share_of_passives_detractors_planted": spec.delivery_complaint_share,
        "respondents_eligible": len(pool),
        "comments_planted": len(hit),
        "templates": _DELIVERY_COMPLAINTS,
        "share_negative_realized": now[spec.delivery_region]["share_negative"],
        "share_negative_previous_realized": before[spec.delivery_region]["share_negative"],
        "by_region_realized": now,
        "by_region_previous_realized": before,
        "counting": "a delivery mention is a comment written from a template that mentions "
        "delivery; negative by the template's label (what the customer meant)",
        "tolerance": {"share_abs": 0.08},
    }


def _quiet_after_repurchase(
    spec: DemoSpec,
    orders: pd.DataFrame,
    tickets: pd.DataFrame,
    surveys: pd.DataFrame,
    touches: pd.DataFrame,
    inactivity_days: int = 180,
) -> pd.DataFrame:
    """Per customer with a repurchase: churned at the period end, first repurchase time, churn
    cut-off and the number of touches, tickets and surveys from the first repurchase to the
    cut-off (plain pandas; custops.survival.paths counts the same in DuckDB)."""
    from custops.core.config import Period

    period = Period.parse(spec.period)
    o = orders.sort_values(["customer_id", "order_ts", "order_id"], kind="stable")
    last = o.groupby("customer_id")["order_ts"].max().dt.normalize()
    churned = (pd.Timestamp(period.end) - last).dt.days > inactivity_days
    second = o.groupby("customer_id").nth(1).set_index("customer_id")["order_ts"]
    out = pd.DataFrame({"first_repurchase": second})
    out["churned"] = churned.reindex(out.index)
    out["cutoff"] = (last.reindex(out.index) + pd.Timedelta(days=inactivity_days + 1)).where(
        out["churned"], pd.Timestamp(period.end_exclusive)
    )
    events = pd.concat(
        [
            touches[["customer_id", "sent_at"]].set_axis(["customer_id", "ts"], axis=1),
            tickets[["customer_id", "created_at"]].set_axis(["customer_id", "ts"], axis=1),
            surveys[["customer_id", "responded_at"]].set_axis(["customer_id", "ts"], axis=1),
        ]
    )
    events = events.join(out, on="customer_id", how="inner")
    # an interaction at the same time as the repurchase follows it (paths.EVENTS priority)
    after = (events["ts"] >= events["first_repurchase"]) & (events["ts"] < events["cutoff"])
    out["n_after"] = after.groupby(events["customer_id"]).sum().reindex(out.index, fill_value=0)
    return out


def _quiet_shares(q: pd.DataFrame) -> dict[str, dict]:
    out = {}
    for name, flag in (("churned", True), ("retained", False)):
        g = q[q["churned"].eq(flag)]
        k = int(g["n_after"].eq(0).sum())
        out[name] = {"customers": len(g), "no_interaction": k, "share": k / len(g)}
    return out


def _went_quiet(
    spec: DemoSpec,
    orders: pd.DataFrame,
    tickets: pd.DataFrame,
    surveys: pd.DataFrame,
    touches: pd.DataFrame,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict]:
    """Churned repurchasers whose marketing contact stopped after their first repurchase."""
    q0 = _quiet_after_repurchase(spec, orders, tickets, surveys, touches)
    churned = q0.index[q0["churned"].to_numpy(bool)]
    quiet = churned[rng.random(len(churned)) < spec.quiet_share]
    since = touches["customer_id"].map(q0.loc[quiet, "first_repurchase"])
    drop = since.notna() & (touches["sent_at"] >= since)
    t = touches[~drop].reset_index(drop=True)
    shares = _quiet_shares(_quiet_after_repurchase(spec, orders, tickets, surveys, t))
    return t, {
        "description": f"{spec.quiet_share:.0%} of the customers churned at the period end "
        "(last order more than 180 days before it) who had a repurchase get no marketing "
        "touch after their first repurchase (tickets and surveys untouched)",
        "statistic": "share of customers with a repurchase and no touch, ticket or survey from "
        "their first repurchase to the churn date (churned) or the period end (retained)",
        "inactivity_days": 180,
        "share_of_churned_repurchasers_planted": spec.quiet_share,
        "customers_planted": len(quiet),
        "touches_removed": int(drop.sum()),
        "no_interaction_before_planting": _quiet_shares(q0),
        "no_interaction_realized": shares,
        "gap_realized": shares["churned"]["share"] - shares["retained"]["share"],
        "tolerance": {"share_abs": 0.03, "gap_abs": 0.04},
    }


def _no_order_probability(
    rate: np.ndarray, hazard: np.ndarray, since_last: np.ndarray, window: float
) -> np.ndarray:
    """P(no order in the next ``window`` days | order rate, churn hazard, days since last order).

    Poisson orders at ``rate`` while alive, exponential lifetime with ``hazard`` (memoryless):
    P(alive | Δ) = e^{−(λ+h)Δ} / (e^{−(λ+h)Δ} + h/(λ+h)·(1 − e^{−(λ+h)Δ})),
    P(no order in w | alive) = h/(λ+h)·(1 − e^{−(λ+h)w}) + e^{−(λ+h)w}.
    """
    total = rate + hazard
    a = np.exp(-total * since_last)
    alive = a / (a + hazard / total * (1 - a))
    b = np.exp(-total * window)
    none_if_alive = hazard / total * (1 - b) + b
    return 1 - alive * (1 - none_if_alive)


def _health_oracle(
    spec: DemoSpec,
    cust: pd.DataFrame,
    orders: pd.DataFrame,
    horizon_days: int = 90,
    inactivity_days: int = 180,
) -> dict:
    """The best any health score could do: AUC and top-decile lift of the Bayes-optimal
    probability of no order in the next ``horizon_days`` given the true rate and hazard, on the
    population and outcome of ``custops.survival.health.validate`` at period end − horizon."""
    from sklearn.metrics import roc_auc_score

    from custops.core.config import Period

    end = pd.Timestamp(Period.parse(spec.period).end)
    as_of = end - pd.Timedelta(days=horizon_days)
    cut = as_of + pd.Timedelta(days=1)  # data up to the end of the as-of day
    last = orders[orders["order_ts"] < cut].groupby("customer_id")["order_ts"].max()
    rec = (as_of - last.dt.normalize()).dt.days
    alive = rec[rec <= inactivity_days]
    nxt = orders[
        (orders["order_ts"] >= cut) & (orders["order_ts"] < cut + pd.Timedelta(days=horizon_days))
    ]
    y = ~alive.index.isin(set(nxt["customer_id"]))
    c = cust.set_index("customer_id").loc[alive.index]
    # the last order fell at a uniform time of its day and we know the data to the end of the
    # as-of day; repeats never fall on the data's last day (see _orders), so the window has
    # horizon − 1 days when it ends there
    window = min(horizon_days, (pd.Timestamp(spec.end) - as_of).days - 1)
    p = _no_order_probability(
        c["_order_rate"].to_numpy(),
        c["_churn_hazard"].to_numpy(),
        alive.to_numpy() + 0.5,
        window,
    )
    top = np.argsort(-p, kind="stable")[: int(np.ceil(0.1 * len(p)))]
    return {
        "description": "not planted: the ceiling for the health score. Bayes-optimal probability "
        f"of no order in the {horizon_days} days after {as_of.date()} from each customer's true "
        "order rate and churn hazard (hidden columns _order_rate, _churn_hazard; Poisson orders, "
        "memoryless lifetime) and days since the last order, for the customers "
        "custops.survival.health.validate scores (last order within "
        f"{inactivity_days} days of the as-of date)",
        "as_of": as_of.date().isoformat(),
        "horizon_days": horizon_days,
        "inactivity_days": inactivity_days,
        "customers": len(alive),
        "no_order_next_horizon": int(y.sum()),
        "oracle_mean_probability": float(p.mean()),
        "oracle_auc": float(roc_auc_score(y, p)),
        "oracle_top_decile_lift": float(y[top].mean() / y.mean()),
        "tolerance": {"auc_below_oracle_max": 0.08, "lift_ratio_min": 0.75},
    }


def _plant_diagnostics(
    spec: DemoSpec,
    cust: pd.DataFrame,
    orders: pd.DataFrame,
    tickets: pd.DataFrame,
    surveys: pd.DataFrame,
    touches: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Effects for the diagnostics of issue 11, on their own generator (the main stream, and
    with it every other planted effect, is untouched): a first-response breakdown (tickets),
    delivery complaints in one region (survey comments), churned customers who went quiet
    (touches), and the oracle the health score is judged against."""
    rng = np.random.default_rng([spec.seed, 11])
    tickets, alerts = _first_response_breakdown(spec, tickets, rng)
    surveys, sentiment = _delivery_complaints(spec, cust, surveys, rng)
    touches, quiet = _went_quiet(spec, orders, tickets, surveys, touches, rng)
    truth = {
        "description": "effects for the diagnostics (custops.review.alerts, sentiment, paths, health), "
        "planted after the rest on their own random stream (DemoSpec.plant_diagnostics)",
        "alerts": alerts,
        "sentiment": sentiment,
        "paths": quiet,
        "health": _health_oracle(spec, cust, orders),
    }
    return tickets, surveys, touches, truth


# ----------------------------------------------------------------------------- API


def generate(spec: DemoSpec | None = None) -> dict[str, Any]:
    """Generate the demo company in memory.

    Returns a dict with the clean tables (``customers``, ``orders``, ``order_lines``,
    ``tickets``, ``surveys``, ``touches``; columns starting with ``_`` are hidden truth),
    the messy source frames (``src_orders``, ``src_customers``) and ``truth``.

    Examples
    --------
    >>> demo = generate(DemoSpec(n_customers=300, seed=1))
    >>> sorted(demo["truth"]["churn"]["hazard_ratios"])
    ['app_bound', 'slow_first_response', 'unresolved_complaint']
    """
    spec = spec or DemoSpec()
    rng = np.random.default_rng(spec.seed)
    cust = _customers(spec, rng)
    life = _lifetimes(spec, cust, rng)
    orders, lines, rate = _orders(spec, cust, life, rng)
    cust["_order_rate"] = rate  # hidden truth (per day), never written to the source files
    cust["_churn_hazard"] = _hazard(spec, cust)
    tickets = _tickets(spec, cust, orders, rng)
    surveys = _surveys(spec, cust, orders, rng)
    touches = _touches(spec, cust, orders, rng)
    cust_src = pd.DataFrame(
        {
            "客户编号": cust["customer_id"],
            "注册日期": cust["signup_date"].dt.strftime("%Y-%m-%d"),
            "地区": cust["region"],
            "获客渠道": cust["acquisition_channel"],
            "绑定APP": np.where(cust["app_bound"], "是", "否"),
            "姓名": cust["name"],
            "手机": cust["phone"],
            "邮箱": cust["email"],
        }
    )
    src_orders, src_customers, mess = _inject_mess(lines, cust_src, rng)
    diagnostics = None
    if spec.plant_diagnostics:
        tickets, surveys, touches, diagnostics = _plant_diagnostics(
            spec, cust, orders, tickets, surveys, touches
        )
    outreach = None
    if spec.outreach:
        orders, src_orders, touches, outreach = _plant_outreach(spec, orders, src_orders, touches)
    truth = _truth(spec, cust, orders, tickets, surveys, touches, mess)
    if diagnostics is not None:
        truth["diagnostics"] = diagnostics
    if outreach is not None:
        truth["outreach"] = outreach
    return {
        "customers": cust,
        "orders": orders,
        "order_lines": lines,
        "tickets": tickets,
        "surveys": surveys,
        "touches": touches,
        "src_orders": src_orders,
        "src_customers": src_customers,
        "truth": truth,
    }


def demo_config(spec: DemoSpec) -> dict[str, Any]:
    """The ``custops.yaml`` that maps the demo exports to the canonical tables."""
    config: dict[str, Any] = {
        "company": "Demo Retail Co. (synthetic)",
        "language": "en",
        "currency": "CNY",
        "seed": spec.seed,
        "period": spec.period,
        "sources": {
            "customers": {
                "path": "crm_customers.csv",
                "encoding": "auto",
                "columns": {
                    "customer_id": "客户编号",
                    "signup_date": "注册日期",
                    "region": "地区",
                    "acquisition_channel": "获客渠道",
                    "app_bound": "绑定APP",
                    "name": "姓名",
                    "phone": "手机",
                    "email": "邮箱",
                },
                "values": {"app_bound": {"是": True, "否": False}},
            },
            "orders": {
                "path": "invoice_lines.csv",
                "columns": {
                    "order_id": "InvoiceNo",
                    "customer_id": "CustomerID",
                    "order_date": "InvoiceDate",
                    "quantity": "Quantity",
                    "channel": "Channel",
                    "category": "Category",
                },
                "derive": {"amount": "Quantity * UnitPrice"},
                "cancellation": {"invoice_prefix": "C", "negative_quantity": True},
            },
            "tickets": {"path": "service_tickets.xlsx", "sheet": "tickets"},
            "surveys": {"path": "nps_survey.csv"},
            "touches": {"path": "marketing_touches.parquet"},
        },
        # the demo's planted data-entry errors are rejected, as before outliers were flagged
        # by default (real exports: flagged, custops.ingest.cleaning rule 10)
        "cleaning": {
            "outlier_method": "log_iqr",
            "outlier_k": 3.0,
            "outlier_action": "reject",
            "max_amount": 200000,
        },
        "churn": {"definition": "inactivity", "inactivity_days": 180, "horizon_days": 90},
        "segments": {"tiers": {"A": 20000, "B": 6000, "C": 1500}},
        "nps": {"slow_response_hours": spec.slow_hours_threshold},
        "review": {
            "targets": [
                {
                    "kpi": "active_customers",
                    "target": 2000,
                    "direction": "higher",
                    "deadline": spec.period,
                },
                {
                    "kpi": "repurchase_rate",
                    "target": 0.45,
                    "direction": "higher",
                    "deadline": spec.period,
                },
                {"kpi": "nps", "target": 30, "direction": "higher", "deadline": spec.period},
                {
                    "kpi": "first_response_hours",
                    "target": 8,
                    "direction": "lower",
                    "deadline": spec.period,
                },
                {
                    "kpi": "churn_rate",
                    "target": 0.10,
                    "direction": "lower",
                    "deadline": spec.period,
                },
            ],
            "actions": "actions.yaml",
        },
        "costs": {
            # acquisition spend in the demo period, per acquisition channel (for CAC vs CLV)
            "acquisition": {
                "organic": 0,
                "search_ads": 180000,
                "social": 60000,
                "referral": 15000,
                "offline_store": 45000,
            }
        },
        "privacy": {"pii_columns": ["name", "phone", "email"], "pseudonymize_ids": False},
    }
    if spec.outreach:  # touches of this campaign show who was actually contacted
        config["review"]["retention_campaign"] = spec.outreach_campaign.split("_")[-1]
    return config


def _actions(spec: DemoSpec) -> list[dict[str, Any]]:
    from custops.core.config import Period

    prev = Period.parse(spec.period).previous()
    return [
        {
            "issue": "Slow first response on chat tickets",
            "action": "Add two chat agents at evening peak; auto-acknowledge within 5 minutes",
            "owner": "Service lead",
            "due": prev.end.isoformat(),
            "status": "done",
            "kpi": "first_response_hours",
        },
        {
            "issue": "Detractors not contacted",
            "action": "Call every detractor within 7 days of the survey",
            "owner": "CX manager",
            "due": Period.parse(spec.period).end.isoformat(),
            "status": "in_progress",
            "kpi": "nps",
        },
        {
            "issue": "Low APP binding limits push reach",
            "action": "Offer a coupon for binding the APP at checkout",
            "owner": "Growth team",
            "due": prev.start.isoformat(),
            "status": "open",
            "kpi": "repurchase_rate",
        },
    ]


def _reproducible_xlsx(path: Path) -> None:
    """Fix the timestamps openpyxl writes (zip entries, created/modified) so that the same
    seed gives a byte-identical workbook."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*<",
                    rb"\g<1>2020-01-01T00:00:00Z<",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    tmp.replace(path)


def write_demo_data(
    out_dir: str | Path, n_customers: int = 5000, seed: int = 42, *, outreach: bool = False
) -> Path:
    """Write the demo exports, ``custops.yaml``, ``actions.yaml`` and ``truth.json``.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing).
    n_customers : int
        Number of customers of the demo company.
    seed : int
        Random seed; the same seed gives byte-identical source files.
    outreach : bool
        Plant the retention outreach of 2025Q3's priority list (``DemoSpec.outreach``,
        ``truth.json["outreach"]``); build 2025Q3 then 2025Q4 to see it measured.

    Returns
    -------
    Path
        The written ``custops.yaml``.

    Examples
    --------
    >>> cfg = write_demo_data("/tmp/custops-demo", n_customers=300)  # doctest: +SKIP
    >>> cfg.name  # doctest: +SKIP
    'custops.yaml'
    """
    spec = DemoSpec(n_customers=n_customers, seed=seed, outreach=outreach)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    demo = generate(spec)
    demo["src_customers"].to_csv(out / "crm_customers.csv", index=False, encoding="gb18030")
    demo["src_orders"].to_csv(out / "invoice_lines.csv", index=False, encoding="utf-8")
    tickets = demo["tickets"].drop(columns=[])
    with pd.ExcelWriter(out / "service_tickets.xlsx", engine="openpyxl") as xl:
        tickets.to_excel(xl, sheet_name="tickets", index=False)
    _reproducible_xlsx(out / "service_tickets.xlsx")
    surveys = demo["surveys"].drop(columns=["_slow", "_quarter"])
    surveys.to_csv(out / "nps_survey.csv", index=False, encoding="utf-8-sig")
    demo["touches"].to_parquet(out / "marketing_touches.parquet", index=False)
    (out / "truth.json").write_text(
        json.dumps(demo["truth"], indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (out / "actions.yaml").write_text(
        yaml.safe_dump({"actions": _actions(spec)}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    config_path = out / "custops.yaml"
    header = (
        "# custops configuration for the synthetic demo company.\n"
        "# Copy this file next to your own exports and change `sources` (paths and column names).\n"
    )
    config_path.write_text(
        header + yaml.safe_dump(demo_config(spec), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return config_path
