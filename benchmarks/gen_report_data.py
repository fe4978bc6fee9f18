"""Generate the demo company at scale (1M customers / 20M orders) as Parquet, vectorised.

    python benchmarks/gen_report_data.py --customers 1000000 --orders 20000000 [--seed 42] [--out DIR]

``custops.demo.synth`` is the reference for the shapes, proportions and planted effects, but its
per-row Python loops (tickets, surveys, names) take hours at a million customers. This script
draws the same distributions with numpy, per table, in one pass:

* customers: signups growing over 2023-2025 (density 1 + 1.5 t), region, acquisition channel,
  APP binding, hidden flags (high value 4 %, unresolved complaint 15 %, slow service 25 %); no
  names, phones or e-mails (the privacy code is not what this measures);
* orders (one row per order, canonical columns): first order 0-14 days after signup (8 % never
  buy), exponential lifetimes with the demo's hazard ratios, Poisson repeats whose rate is
  scaled so that the expected number of orders is ``--orders``, gamma x lognormal amounts;
* tickets: Poisson(0.9) + slow + unresolved per buyer, the demo's categories, response times,
  CSAT and reopen rates; first responses in the period's last two months x3 (the planted
  breakdown);
* surveys: per quarter 35 % of that quarter's buyers answer, promoter/detractor probabilities
  of the demo (slow-service gap, the dip in the period), 55 % leave a comment, 65 % of those in
  Chinese, the demo's comment templates (5 % with contact details pasted in), and the delivery
  complaints in 华南 in the period;
* touches: every month of the last two years 60 % of the customers who bought in the previous
  180 days get a contact (channel mix by APP binding), the demo's channel funnels and the A/B
  win-back campaign in the period.

Not reproduced: the mess of real exports (bad dates, duplicates, cancellations: the cleaning
ledger is measured on the demo), order lines (one row per order) and the "went quiet" paths
effect. Files go to ``benchmarks/data/report_<customers>/`` (git-ignored) with ``custops.yaml``,
``actions.yaml`` and ``_manifest.json``; an existing complete data set is reused.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
START = np.datetime64("2023-01-01", "D")
END = np.datetime64("2025-12-31", "D")
PERIOD = "2025Q4"
VERSION = 1

# the demo company's constants, from custops/demo/synth.py (one source for both generators)
from custops.demo.synth import _COMMENTS as COMMENTS  # noqa: E402
from custops.demo.synth import _DELIVERY_COMPLAINTS as DELIVERY_COMPLAINTS  # noqa: E402
from custops.demo.synth import (  # noqa: E402
    ACQ,
    ACQ_P,
    CATEGORIES,
    CHANNELS,
    FUNNEL,
    REGION_P,
    REGIONS,
    TICKET_CHANNELS,
    TOUCHPOINTS,
    DemoSpec,
)

_SPEC = DemoSpec()
TICKET_CATEGORIES = ["inquiry", "complaint", "return", "delivery"]
HAZARD_RATIOS = dict(_SPEC.hazard_ratios)
MEDIAN_LIFETIME_DAYS = _SPEC.median_lifetime_days
NPS_BASE, NPS_SLOW, NPS_DIP = _SPEC.nps_base, _SPEC.nps_slow, _SPEC.nps_dip
AB_CAMPAIGN, AB_UPLIFT = _SPEC.ab_campaign, _SPEC.ab_uplift
CONTACT = {
    "zh": " 请回电 13812345678",
    "en": " call me at +86 139 1234 5678 or mail me@example.com",
}


def data_dir(customers: int, seed: int = 42) -> Path:
    """Folder of the data set for ``customers`` customers."""
    return DATA / (f"report_{customers}" if seed == 42 else f"report_{customers}_s{seed}")


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    """``prefix`` + zero-padded 1..n as an Arrow string array (no Python strings)."""
    digits = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def _pick(rng: np.random.Generator, values: list[str], n: int, p=None) -> pa.Array:
    """n random choices of ``values`` as a dictionary-decoded Arrow string array."""
    codes = rng.choice(len(values), n, p=p).astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(values)).cast(pa.string())


def _quarter(day: np.ndarray) -> np.ndarray:
    """Quarter index since 2023Q1 of datetime64[D] values."""
    months = day.astype("datetime64[M]").astype(np.int64) - START.astype("datetime64[M]").astype(
        np.int64
    )
    return months // 3


def _write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, row_group_size=1_000_000, compression="zstd")


def generate(
    customers: int = 1_000_000,
    orders: int = 20_000_000,
    seed: int = 42,
    *,
    out: Path | None = None,
    force: bool = False,
) -> Path:
    """Write (or reuse) the five Parquet sources and ``custops.yaml``; return the folder."""
    out = Path(out) if out else data_dir(customers, seed)
    manifest = out / "_manifest.json"
    meta = {"customers": customers, "orders": orders, "seed": seed, "version": VERSION}
    if not force and manifest.exists() and json.loads(manifest.read_text()).get("meta") == meta:
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    n = customers

    # ------------------------------------------------------------------ customers
    span = int((END - START) / np.timedelta64(1, "D")) - 10
    a = 1.5
    t = (-1 + np.sqrt(1 + a * (2 + a) * rng.random(n))) / a
    signup = START + (t * span).astype(np.int64).astype("timedelta64[D]")
    high_value = rng.random(n) < 0.04
    app_bound = rng.random(n) < 0.45
    unresolved = rng.random(n) < 0.15
    slow = rng.random(n) < 0.25
    region_code = rng.choice(len(REGIONS), n, p=REGION_P)
    customer_id = _ids("C", n, 7)
    _write(
        pa.table(
            {
                "customer_id": customer_id,
                "signup_date": pa.array(signup.astype("datetime64[ms]")),
                "region": pa.DictionaryArray.from_arrays(
                    pa.array(region_code.astype(np.int32)), pa.array(REGIONS)
                ).cast(pa.string()),
                "acquisition_channel": _pick(rng, ACQ, n, ACQ_P),
                "app_bound": pa.array(app_bound),
            }
        ),
        out / "customers.parquet",
    )
    timings["customers"] = time.perf_counter() - started

    # ------------------------------------------------------------------ orders
    hr = HAZARD_RATIOS
    log_hr = (
        np.log(hr["unresolved_complaint"]) * unresolved
        + np.log(hr["slow_first_response"]) * slow
        + np.log(hr["app_bound"]) * app_bound
    )
    hazard = np.log(2) / MEDIAN_LIFETIME_DAYS * np.exp(log_hr)
    life = rng.exponential(1.0 / hazard)
    first = signup + rng.integers(0, 15, n).astype("timedelta64[D]")
    buys = (rng.random(n) > 0.08) & (first <= END)
    last_alive = np.minimum(first + np.floor(life).astype(np.int64).astype("timedelta64[D]"), END)
    active_days = np.maximum((last_alive - first).astype(np.int64), 0)
    rate = rng.gamma(6.0, 1.0 / 6.0, n) * np.where(high_value, 2.0, 1.0)
    # the demo's 25 days between orders, scaled so that E[orders] = --orders
    exposure = float(np.sum(rate * active_days * buys))
    scale = max(orders - int(buys.sum()), 0) / exposure if exposure else 0.0
    repeat = np.where(buys, rng.poisson(rate * scale * active_days), 0)
    owner = np.concatenate([np.flatnonzero(buys), np.repeat(np.arange(n), repeat)])
    offs = np.concatenate(
        [np.zeros(int(buys.sum())), rng.random(int(repeat.sum())) * np.repeat(active_days, repeat)]
    )
    del repeat
    day = first[owner] + np.floor(offs).astype(np.int64).astype("timedelta64[D]")
    del offs
    m = len(owner)
    hour = np.clip(np.round(rng.normal(19.5, 3.2, m)), 7, 23).astype(np.int64)
    minute = (hour * 60 + rng.integers(0, 60, m)).astype("timedelta64[m]")
    ts = day.astype("datetime64[m]") + minute
    del hour, minute
    order = np.argsort(ts, kind="stable")  # exports come in time order
    owner, day, ts = owner[order], day[order], ts[order]
    del order
    cust_mean = rng.gamma(4.0, 70.0, n) * np.where(high_value, 8.0, 1.0)
    amount = np.round(cust_mean[owner] * rng.lognormal(-0.08, 0.4, m), 2)
    quantity = rng.choice([1, 1, 1, 2, 3], m)
    _write(
        pa.table(
            {
                "order_id": _ids("O", m, 9),
                "customer_id": customer_id.take(pa.array(owner)),
                "order_date": pa.array(ts.astype("datetime64[ms]")),
                "amount": pa.array(amount),
                "quantity": pa.array(quantity),
                "channel": _pick(rng, ["app", "web", "store"], m, [0.45, 0.35, 0.20]),
                "category": _pick(rng, CATEGORIES, m),
            }
        ),
        out / "orders.parquet",
    )
    del amount, quantity
    timings["orders"] = time.perf_counter() - started - sum(timings.values())

    # per-buyer first/last order time and per-(customer, quarter) buyers for the other tables
    ts_min = ts.astype(np.int64)  # minutes since epoch
    first_ts = np.zeros(n, dtype=np.int64)
    last_ts = np.zeros(n, dtype=np.int64)
    # orders are sorted by time: a customer's first order is its first occurrence
    who, at = np.unique(owner, return_index=True)
    first_ts[who] = ts_min[at]
    who, at = np.unique(owner[::-1], return_index=True)
    last_ts[who] = ts_min[m - 1 - at]
    del who, at
    del ts, ts_min

    # ------------------------------------------------------------------ tickets
    buyers = np.flatnonzero(buys)
    n_t = rng.poisson(0.9, len(buyers)) + slow[buyers] + unresolved[buyers]
    tk_owner = np.repeat(buyers, n_t)
    k_in = np.arange(len(tk_owner)) - np.repeat(np.cumsum(n_t) - n_t, n_t)  # 0.. per customer
    width = np.maximum(last_ts[tk_owner] - first_ts[tk_owner], 60)
    created = first_ts[tk_owner] + (rng.random(len(tk_owner)) * width).astype(np.int64)
    is_unres = unresolved[tk_owner] & (k_in == 0)
    cat_code = np.where(is_unres, 1, rng.choice(4, len(tk_owner), p=[0.45, 0.2, 0.2, 0.15]))
    tk_slow = slow[tk_owner]
    response_h = np.where(
        tk_slow, rng.uniform(26, 80, len(tk_owner)), rng.gamma(2.0, 2.0, len(tk_owner))
    )
    # planted breakdown: first responses x3 (x0.9-1.1) for tickets of the period's last 2 months
    breakdown_start = np.datetime64("2025-11-01", "m").astype(np.int64)
    hit = created >= breakdown_start
    response_h = np.where(hit, response_h * 3.0 * rng.uniform(0.9, 1.1, len(tk_owner)), response_h)
    responded = created + (response_h * 60).astype(np.int64)
    resolved = responded + (rng.gamma(2.0, 12.0, len(tk_owner)) * 60).astype(np.int64)
    cutoff = np.datetime64("2025-12-31T23:59", "m").astype(np.int64)
    csat = np.clip(np.round(rng.normal(np.where(tk_slow | is_unres, 2.3, 4.2), 0.9)), 1, 5).astype(
        float
    )
    csat[rng.random(len(tk_owner)) >= 0.7] = np.nan
    reopened = rng.random(len(tk_owner)) < np.where(tk_slow, 0.25, 0.08)
    order = np.argsort(created, kind="stable")

    def _ts(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
        arr = values.astype("datetime64[m]").astype("datetime64[ms]")
        return pa.array(arr, mask=missing)

    nt = len(tk_owner)
    tickets = pa.table(
        {
            "ticket_id": _ids("T", nt, 8),
            "customer_id": customer_id.take(pa.array(tk_owner[order])),
            "created_at": _ts(created[order]),
            "first_response_at": _ts(responded[order], (responded > cutoff)[order]),
            "resolved_at": _ts(resolved[order], (is_unres | (resolved > cutoff))[order]),
            "channel": _pick(rng, TICKET_CHANNELS, nt, [0.3, 0.35, 0.15, 0.2]).take(
                pa.array(order)
            ),
            "category": pa.DictionaryArray.from_arrays(
                pa.array(cat_code[order].astype(np.int32)), pa.array(TICKET_CATEGORIES)
            ).cast(pa.string()),
            "csat": pa.array(csat[order]),
            "reopened": pa.array(reopened[order]),
            "agent": pa.array(
                np.char.add("agent", np.char.zfill(rng.integers(1, 13, nt).astype(str), 2))
            ),
        }
    )
    _write(tickets, out / "tickets.parquet")
    del tickets, created, responded, resolved, tk_owner, k_in, width, csat, reopened, order
    timings["tickets"] = time.perf_counter() - started - sum(timings.values())

    # ------------------------------------------------------------------ surveys
    q_of_order = _quarter(day)
    n_q = int(_quarter(np.array([END]))[0]) + 1
    pairs = np.unique(owner.astype(np.int64) * n_q + q_of_order)
    del q_of_order
    pairs = pairs[rng.random(len(pairs)) < 0.35]
    s_cust = pairs // n_q
    s_q = pairs % n_q
    ns = len(pairs)
    demo_q = n_q - 1  # 2025Q4
    s_slow = slow[s_cust]
    prom = np.where(s_slow, NPS_SLOW[0], NPS_BASE[0]) + np.where(s_q == demo_q, NPS_DIP[0], 0)
    det = np.where(s_slow, NPS_SLOW[1], NPS_BASE[1]) + np.where(s_q == demo_q, NPS_DIP[1], 0)
    u = rng.random(ns)
    score = np.where(
        u < prom,
        rng.choice([9, 10], ns, p=[0.45, 0.55]),
        np.where(
            u < prom + det,
            rng.choice(7, ns, p=[0.04, 0.04, 0.06, 0.1, 0.16, 0.25, 0.35]),
            rng.choice([7, 8], ns),
        ),
    )
    q_start = (START.astype("datetime64[M]") + (3 * s_q).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    )
    q_days = (
        (START.astype("datetime64[M]") + (3 * s_q + 3).astype("timedelta64[M]")).astype(
            "datetime64[D]"
        )
        - q_start
    ).astype(np.int64)
    responded_at = (
        q_start.astype("datetime64[h]")
        + (np.floor(rng.random(ns) * q_days) * 24).astype("timedelta64[h]")
        + rng.integers(8, 22, ns).astype("timedelta64[h]")
    )
    kind = np.where(score >= 9, "promoter", np.where(score >= 7, "passive", "detractor"))
    has_comment = rng.random(ns) < 0.55
    lang = np.where(rng.random(ns) < 0.65, "zh", "en")
    comment = np.full(ns, None, dtype=object)
    for k in COMMENTS:
        for lg in ("zh", "en"):
            sel = np.flatnonzero(has_comment & (kind == k) & (lang == lg))
            comment[sel] = np.array(COMMENTS[k][lg], dtype=object)[
                rng.integers(0, len(COMMENTS[k][lg]), len(sel))
            ]
    # delivery complaints: 60 % of 华南's passives/detractors in the period
    south = region_code[s_cust] == REGIONS.index("华南")
    pool = np.flatnonzero((s_q == demo_q) & south & (score <= 8))
    planted = pool[rng.random(len(pool)) < 0.6]
    for lg in ("zh", "en"):
        sel = planted[lang[planted] == lg]
        comment[sel] = np.array(DELIVERY_COMPLAINTS[lg], dtype=object)[
            rng.integers(0, len(DELIVERY_COMPLAINTS[lg]), len(sel))
        ]
    paste = np.flatnonzero(has_comment & (rng.random(ns) < 0.05))
    comment[paste] = comment[paste] + np.where(lang[paste] == "zh", CONTACT["zh"], CONTACT["en"])
    order = np.argsort(responded_at, kind="stable")
    _write(
        pa.table(
            {
                "response_id": _ids("R", ns, 8),
                "customer_id": customer_id.take(pa.array(s_cust[order])),
                "responded_at": pa.array(responded_at[order].astype("datetime64[ms]")),
                "score": pa.array(score[order].astype(np.int64)),
                "comment": pa.array(comment[order], type=pa.string()),
                "touchpoint": _pick(rng, TOUCHPOINTS, ns).take(pa.array(order)),
            }
        ),
        out / "surveys.parquet",
    )
    n_comments = int(sum(c is not None for c in comment))
    del comment, pairs, s_cust, s_q, order
    timings["surveys"] = time.perf_counter() - started - sum(timings.values())

    # ------------------------------------------------------------------ touches
    parts = []
    day_i = day.astype(np.int64)
    month = np.datetime64("2024-01", "M")
    while month <= END.astype("datetime64[M]"):
        m_start = month.astype("datetime64[D]")
        m_days = int(((month + 1).astype("datetime64[D]") - m_start).astype(np.int64))
        lo, hi = (m_start - 180).astype(np.int64), m_start.astype(np.int64)
        active = np.zeros(n, dtype=bool)
        # orders are sorted by time: the window is one slice of them
        a_, b_ = np.searchsorted(day_i, [lo, hi])
        active[owner[a_:b_]] = True
        targets = np.flatnonzero(active & (rng.random(n) < 0.6))
        k = len(targets)
        p = np.where(
            app_bound[targets][:, None],
            np.array([0.25, 0.35, 0.15, 0.25]),
            np.array([0.40, 0.0, 0.25, 0.35]),
        )
        cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
        ch = (rng.random(k)[:, None] > cum).sum(axis=1).clip(0, 3)
        campaign = np.full(k, f"{str(month)}_newsletter", dtype=object)
        group = np.full(k, None, dtype=object)
        if month >= np.datetime64("2025-10", "M"):
            test = rng.random(k) < 0.5
            campaign[test] = AB_CAMPAIGN
            group[test] = np.where(rng.random(int(test.sum())) < 0.5, "treatment", "control")
        sent = m_start.astype("datetime64[h]") + rng.integers(0, m_days * 24, k).astype(
            "timedelta64[h]"
        )
        parts.append((targets, sent, ch, campaign, group))
        month += 1
    del day_i
    t_owner = np.concatenate([p[0] for p in parts])
    t_sent = np.concatenate([p[1] for p in parts])
    t_ch = np.concatenate([p[2] for p in parts])
    t_campaign = np.concatenate([p[3] for p in parts])
    t_group = np.concatenate([p[4] for p in parts])
    del parts
    nm = len(t_owner)
    rates = np.array([FUNNEL[c] for c in CHANNELS])[t_ch]
    conv = rates[:, 3] * np.where(t_group == "treatment", AB_UPLIFT, 1.0)
    delivered = rng.random(nm) < rates[:, 0]
    opened = delivered & (rng.random(nm) < rates[:, 1])
    clicked = opened & (rng.random(nm) < rates[:, 2])
    converted = clicked & (rng.random(nm) < conv)
    order = np.argsort(t_sent, kind="stable")
    _write(
        pa.table(
            {
                "touch_id": _ids("M", nm, 9),
                "customer_id": customer_id.take(pa.array(t_owner[order])),
                "sent_at": pa.array(t_sent[order].astype("datetime64[ms]")),
                "channel": pa.DictionaryArray.from_arrays(
                    pa.array(t_ch[order].astype(np.int32)), pa.array(CHANNELS)
                ).cast(pa.string()),
                "campaign": pa.array(t_campaign[order], type=pa.string()),
                "ab_group": pa.array(t_group[order], type=pa.string()),
                "delivered": pa.array(delivered[order]),
                "opened": pa.array(opened[order]),
                "clicked": pa.array(clicked[order]),
                "converted": pa.array(converted[order]),
            }
        ),
        out / "touches.parquet",
    )
    timings["touches"] = time.perf_counter() - started - sum(timings.values())

    # ------------------------------------------------------------------ config
    scale_k = n / 5000
    config = {
        "company": f"Demo Retail Co. at scale ({n:,} customers, synthetic)",
        "language": "en",
        "currency": "CNY",
        "seed": seed,
        "period": PERIOD,
        "sources": {
            "customers": {"path": "customers.parquet"},
            "orders": {"path": "orders.parquet"},
            "tickets": {"path": "tickets.parquet"},
            "surveys": {"path": "surveys.parquet"},
            "touches": {"path": "touches.parquet"},
        },
        "cleaning": {"outlier_method": "log_iqr", "outlier_k": 3.0, "max_amount": 200000},
        "churn": {"definition": "inactivity", "inactivity_days": 180, "horizon_days": 90},
        "segments": {"tiers": {"A": 20000, "B": 6000, "C": 1500}},
        "nps": {"slow_response_hours": 24.0},
        "review": {
            "targets": [
                {"kpi": "active_customers", "target": int(2000 * scale_k), "direction": "higher"},
                {"kpi": "repurchase_rate", "target": 0.45, "direction": "higher"},
                {"kpi": "nps", "target": 30, "direction": "higher"},
                {"kpi": "first_response_hours", "target": 8, "direction": "lower"},
                {"kpi": "churn_rate", "target": 0.10, "direction": "lower"},
            ],
            "actions": "actions.yaml",
        },
        "costs": {
            "acquisition": {
                "organic": 0,
                "search_ads": round(180000 * scale_k),
                "social": round(60000 * scale_k),
                "referral": round(15000 * scale_k),
                "offline_store": round(45000 * scale_k),
            }
        },
        "privacy": {"pii_columns": ["name", "phone", "email"], "pseudonymize_ids": False},
    }
    for target in config["review"]["targets"]:
        target["deadline"] = PERIOD
    (out / "custops.yaml").write_text(
        "# custops configuration for the scaled demo company (benchmarks/gen_report_data.py)\n"
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    actions = [
        {
            "issue": "Slow first response on chat tickets",
            "action": "Add two chat agents at evening peak; auto-acknowledge within 5 minutes",
            "owner": "Service lead",
            "due": "2025-09-30",
            "status": "done",
            "kpi": "first_response_hours",
        },
        {
            "issue": "Detractors not contacted",
            "action": "Call every detractor within 7 days of the survey",
            "owner": "CX manager",
            "due": "2025-12-31",
            "status": "in_progress",
            "kpi": "nps",
        },
    ]
    (out / "actions.yaml").write_text(
        yaml.safe_dump({"actions": actions}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    counts = {
        "customers": n,
        "orders": m,
        "tickets": nt,
        "surveys": ns,
        "survey_comments": n_comments,
        "touches": nm,
    }
    manifest.write_text(
        json.dumps(
            {
                "meta": meta,
                "rows": counts,
                "seconds": {k: round(v, 1) for k, v in timings.items()},
            },
            indent=2,
        )
    )
    print(
        "wrote "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        + f" to {out} in {time.perf_counter() - started:.0f} s"
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=None, help="default 20 per customer")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    args = parser.parse_args(argv)
    orders = args.orders if args.orders is not None else 20 * args.customers
    print(generate(args.customers, orders, args.seed, out=args.out, force=args.force))


if __name__ == "__main__":
    main()
