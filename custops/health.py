"""Customer health score: a 0-100 index per customer as of a date, and its validation.

Components (each 0-1, higher = healthier, computed from data up to the as-of date T only;
a component a customer has no data for is left out and the weights of the others are
rescaled):

======================  ====================================================================
``recency``             exp(−days since last order / 90)
``frequency_trend``     orders in the last 90 days against the customer's own 90-day rate of
                        the 275 days before: (n90 + 0.5) / (n90 + prior90 + 1)
``spend_trend``         the same with spend (0.5 when both are zero)
``complaints``          0 with a complaint still unresolved at T; else 1 − 0.25 per complaint
                        in the last 365 days (at most two counted)
``service``             exp(−geometric-mean first response hours (365 days) / 24)
``nps_csat``            mean of last survey score / 10 and (mean CSAT − 1) / 4 (365 days)
``engagement``          share of touches opened in the last 180 days
======================  ====================================================================

Score = 100 · Σ wᵢ cᵢ / Σ wᵢ over the available components. Weights come from the caller
(e.g. a notebook parameter) or are learned from past churn: a logistic regression of "no
order in the next 90 days" on the components at T − 90 days (so the outcome is observed by
T); weight = max(−coefficient, 0), normalised. Bands: red < 50 ≤ amber < 75 ≤ green by
default; the cut-offs are arguments (``red_below``, ``green_from``; config ``health``).

Validation (what a sceptical manager asks): score at T with data up to T only, observe
churn (no order) in the next 90 days: AUC (Hanley-McNeil CI), top-decile lift, share of
churners that were red, calibration by score decile (Wilson CIs).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from custops.config import HEALTH_COMPONENTS, Period
from custops.errors import CustopsError
from custops.stats import wilson_ci

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "BANDS",
    "components",
    "health_scores",
    "learn_weights",
    "validate",
    "band_history",
    "weights_from_config",
    "weight_table",
    "method_text",
    "health_findings",
    "plot_calibration",
    "plot_band_history",
    "Validation",
]

COMPONENTS = HEALTH_COMPONENTS
DEFAULT_WEIGHTS: dict[str, float] = {
    "recency": 0.25,
    "frequency_trend": 0.15,
    "spend_trend": 0.10,
    "complaints": 0.15,
    "service": 0.10,
    "nps_csat": 0.15,
    "engagement": 0.10,
}
#: band -> (lower, upper) score limits
BANDS: dict[str, tuple[float, float]] = {"red": (0, 50), "amber": (50, 75), "green": (75, 100.01)}
_ZH = {
    "recency": "最近购买",
    "frequency_trend": "购买频次趋势",
    "spend_trend": "消费趋势",
    "complaints": "投诉与解决",
    "service": "服务体验",
    "nps_csat": "NPS/满意度",
    "engagement": "营销互动",
    "red": "红",
    "amber": "黄",
    "green": "绿",
}


def _ts(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


_CODES: dict = {}


def _order_codes(orders: pd.DataFrame, *, cache: bool = True):
    """(customer codes, sorted customer ids, order dates) of a one-row-per-order table.

    ``None`` for order lines (an ``order_id`` on several rows). Kept for the last table seen
    (by identity), since one report scores the same orders at many dates.
    """
    hit = _CODES.get("frame")
    if cache and hit is not None and hit[0]() is orders and hit[1] == len(orders):
        return _CODES["value"]
    if "order_id" in orders and not orders["order_id"].is_unique:
        value = None
    else:
        codes, labels = pd.factorize(orders["customer_id"], sort=True)
        dates = orders["order_date"]
        value = (codes, labels, dates.to_numpy() if dates.dt.tz is None else None)
    if cache:
        _CODES["frame"], _CODES["value"] = (weakref.ref(orders), len(orders)), value
    return value


def components(
    tables: Mapping[str, pd.DataFrame], as_of, *, inactivity_days: int = 180
) -> pd.DataFrame:
    """Health components (0-1) of customers alive at ``as_of``, using data up to ``as_of`` only.

    Alive: last order on or before ``as_of`` within ``inactivity_days`` days.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-03-01"]),
    ...     "amount": [10.0, 10.0, 5.0]})
    >>> c = components({"orders": o}, "2025-06-30")
    >>> c.set_index("customer_id")["recency"].round(3).to_dict()
    {'a': 0.725, 'b': 0.261}
    """
    t = _ts(as_of)
    cut = t + pd.Timedelta(days=1)  # data up to the end of the as-of day
    if "orders" not in tables:
        raise CustopsError(
            "The health score needs the orders table.", fix="Add an `orders` source."
        )
    o = tables["orders"]
    prep = _order_codes(o)
    if prep is None:  # order lines: merge the lines of each order seen by the cut
        o = o[o["order_date"] < cut]
        o = o.groupby(["customer_id", "order_id"], as_index=False).agg(
            order_date=("order_date", "min"), amount=("amount", "sum")
        )
        codes, labels, _ = _order_codes(o, cache=False)
    else:
        codes, labels, dates = prep
        seen = (
            o["order_date"].to_numpy() < cut.to_datetime64()
            if dates is None
            else dates < cut.to_datetime64()
        )
        o, codes = o[seen], codes[seen]
    # group by integer codes of the (sorted) customer ids: one factorisation of 20M ids
    # (cached per orders table: band_history scores 12 month ends) instead of one per groupby
    o = o[codes >= 0]
    key = pd.Series(codes[codes >= 0], index=o.index)
    last = o["order_date"].groupby(key).max().dt.normalize()
    rec = (t - last).dt.days
    alive_codes = rec[rec <= inactivity_days].index
    keep = np.zeros(len(labels), dtype=bool)
    keep[alive_codes.to_numpy()] = True
    inside = keep[key.to_numpy()]
    o, key = o[inside], key[inside]
    alive = pd.Index(np.asarray(labels, dtype=object)[alive_codes.to_numpy()], name="customer_id")
    age = (t - o["order_date"].dt.normalize()).dt.days
    recent = age < 90
    prior = (age >= 90) & (age < 365)

    def per_customer(values: pd.Series) -> np.ndarray:
        return values.groupby(key).sum().reindex(alive_codes, fill_value=0).to_numpy()

    n90 = pd.Series(per_customer(recent), index=alive)
    nprior = pd.Series(per_customer(prior), index=alive) * 90 / 275
    s90 = pd.Series(per_customer(o["amount"].where(recent, 0)), index=alive)
    sprior = pd.Series(per_customer(o["amount"].where(prior, 0)), index=alive) * 90 / 275
    rec = pd.Series(rec.reindex(alive_codes).to_numpy(), index=alive)
    out = pd.DataFrame(index=pd.Index(alive, name="customer_id"))
    out["recency"] = np.exp(-rec.reindex(alive) / 90.0)
    out["frequency_trend"] = (n90 + 0.5) / (n90 + nprior + 1.0)
    tot = s90 + sprior
    out["spend_trend"] = np.where(tot > 0, s90 / tot.where(tot > 0, 1), 0.5)
    for col in COMPONENTS[3:]:
        out[col] = np.nan

    tickets = tables.get("tickets")
    if tickets is not None and len(tickets):
        k = tickets[(tickets["created_at"] < cut) & tickets["customer_id"].isin(alive)].copy()
        k_age = (t - k["created_at"].dt.normalize()).dt.days
        cat = k["category"].astype("string").str.lower() if "category" in k else ""
        complaint = cat.str.contains("complain|投诉", na=False)
        resolved_by_t = (
            k["resolved_at"].notna() & (k["resolved_at"] < cut)
            if "resolved_at" in k
            else pd.Series(True, index=k.index)
        )
        open_c = (complaint & ~resolved_by_t).groupby(k["customer_id"]).any()
        n_c = (complaint & (k_age < 365)).groupby(k["customer_id"]).sum().clip(upper=2)
        comp = 1 - 0.25 * n_c.reindex(alive, fill_value=0)
        comp[open_c.reindex(alive, fill_value=False).to_numpy()] = 0.0
        out["complaints"] = comp.to_numpy()
        if "first_response_at" in k:
            r = k[(k_age < 365) & k["first_response_at"].notna() & (k["first_response_at"] < cut)]
            h = ((r["first_response_at"] - r["created_at"]).dt.total_seconds() / 3600).clip(
                lower=1 / 60
            )
            gm = np.exp(np.log(h).groupby(r["customer_id"]).mean())
            out["service"] = np.exp(-gm.reindex(alive) / 24.0).to_numpy()
        csat = None
        if "csat" in k:
            cs = k[(k_age < 365) & k["csat"].notna()]
            csat = ((cs["csat"] - 1) / 4).groupby(cs["customer_id"]).mean().reindex(alive)
    else:
        csat = None
    surveys = tables.get("surveys")
    nps = None
    if surveys is not None and len(surveys):
        s = surveys[
            (surveys["responded_at"] < cut)
            & (surveys["responded_at"] >= cut - pd.Timedelta(days=365))
            & surveys["score"].notna()
        ].sort_values("responded_at")
        nps = (s.groupby("customer_id")["score"].last() / 10).reindex(alive)
    parts = [x for x in (nps, csat) if x is not None]
    if parts:
        out["nps_csat"] = pd.concat(parts, axis=1).mean(axis=1).to_numpy()
    touches = tables.get("touches")
    if touches is not None and len(touches) and "opened" in touches:
        m = touches[
            (touches["sent_at"] < cut)
            & (touches["sent_at"] >= cut - pd.Timedelta(days=180))
            & touches["customer_id"].isin(alive)
        ]
        opened = m["opened"].fillna(False).astype(float)
        out["engagement"] = opened.groupby(m["customer_id"]).mean().reindex(alive).to_numpy()
    return out.reset_index()


def _score(comp: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    w = pd.Series({c: float(weights.get(c, 0.0)) for c in COMPONENTS})
    vals = comp[list(COMPONENTS)]
    avail = vals.notna()
    num = (vals.fillna(0) * w).sum(axis=1)
    den = (avail * w).sum(axis=1)
    return 100 * num / den.where(den > 0)


def _check_bands(red_below: float, green_from: float) -> None:
    if not 0 < red_below < green_from <= 100:
        raise CustopsError(
            f"Health bands need 0 < red_below < green_from <= 100; got red_below={red_below:g}, "
            f"green_from={green_from:g}.",
            fix="Set health.red_below below health.green_from in the config (defaults 50, 75).",
        )


def _band(
    score: pd.Series,
    red_below: float = BANDS["amber"][0],
    green_from: float = BANDS["green"][0],
) -> pd.Series:
    _check_bands(red_below, green_from)
    bins = [-np.inf, red_below, green_from, np.inf]
    return pd.cut(score, bins, labels=list(BANDS), right=False).astype(str)


def health_scores(
    tables: Mapping[str, pd.DataFrame],
    as_of,
    weights: Mapping[str, float] | str | None = None,
    *,
    inactivity_days: int = 180,
    horizon_days: int = 90,
    red_below: float = 50.0,
    green_from: float = 75.0,
) -> pd.DataFrame:
    """Score and band of every alive customer as of ``as_of`` (the ``health_scores`` artifact).

    ``weights``: a dict (component -> weight), ``None`` for :data:`DEFAULT_WEIGHTS`, or
    ``"learned"`` for :func:`learn_weights` at ``as_of`` with ``horizon_days`` (outcomes
    observed by ``as_of`` only, so validating "learned" scores at a past date never sees the
    validation outcome). Bands: red below ``red_below``, green from ``green_from``, amber
    between (applied to the rounded score people see).

    Returns
    -------
    DataFrame
        ``customer_id, as_of, score, band, top_components`` (the two components that cost
        the customer most points, ``;``-separated) and the component columns.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-06-29", "2025-03-01"]), "amount": 10.0})
    >>> health_scores({"orders": o}, "2025-06-30")[["customer_id", "band"]].values.tolist()
    [['a', 'green'], ['b', 'red']]
    """
    if isinstance(weights, str):
        if weights != "learned":
            raise CustopsError(
                f"Unknown health weights {weights!r}.",
                fix="Pass a dict of component weights, None (the defaults) or 'learned'.",
            )
        learned = learn_weights(
            tables, as_of, horizon_days=horizon_days, inactivity_days=inactivity_days
        )
        weights = dict(zip(learned["component"], learned["weight"], strict=True))
    _check_bands(red_below, green_from)
    weights = dict(weights or DEFAULT_WEIGHTS)
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise CustopsError(
            f"Unknown health components in the weights: {sorted(unknown)}.",
            fix=f"Use only {list(COMPONENTS)}.",
        )
    comp = components(tables, as_of, inactivity_days=inactivity_days)
    score = _score(comp, weights)
    w = pd.Series({c: float(weights.get(c, 0.0)) for c in COMPONENTS})
    lost = (1 - comp[list(COMPONENTS)]).mul(w).fillna(0)
    order = np.argsort(-lost.to_numpy(), axis=1)[:, :2]
    names = np.array(COMPONENTS)
    values = lost.to_numpy()
    rows = np.arange(len(values))
    first, second = names[order[:, 0]].astype(object), names[order[:, 1]].astype(object)
    has1, has2 = values[rows, order[:, 0]] > 0, values[rows, order[:, 1]] > 0
    top = np.where(
        has1 & has2, first + ";" + second, np.where(has1, first, np.where(has2, second, ""))
    ).tolist()  # the two largest losses, vectorised (a per-customer loop: 1M customers)
    out = pd.DataFrame(
        {
            "customer_id": comp["customer_id"],
            "as_of": _ts(as_of),
            "score": score.round(1),
            "band": _band(score.round(1), red_below, green_from),  # of the score people see
            "top_components": top,
        }
    )
    return pd.concat([out, comp[list(COMPONENTS)]], axis=1)


def _churned_next(tables: Mapping[str, pd.DataFrame], ids: pd.Series, as_of, horizon_days: int):
    t = _ts(as_of) + pd.Timedelta(days=1)
    o = tables["orders"]
    nxt = o[(o["order_date"] >= t) & (o["order_date"] < t + pd.Timedelta(days=horizon_days))]
    return ~ids.isin(pd.unique(nxt["customer_id"].to_numpy()))  # hash table, not a Python set


def learn_weights(
    tables: Mapping[str, pd.DataFrame],
    as_of,
    *,
    horizon_days: int = 90,
    inactivity_days: int = 180,
    seed: int = 0,
) -> pd.DataFrame:
    """Weights learned from past churn, using only outcomes observed by ``as_of``.

    Components at ``as_of − horizon_days``; outcome: no order in the following
    ``horizon_days``. Logistic regression (scikit-learn, L2, C = 1) on the 0-1 components
    (missing filled with the component mean); weight = max(−coefficient, 0), normalised.

    Returns
    -------
    DataFrame
        ``component, coefficient, odds_ratio, weight`` (odds ratio of churn for the best vs the
        worst value of the component).

    Examples
    --------
    >>> w = learn_weights(tables, "2025-12-31")  # doctest: +SKIP
    """
    from sklearn.linear_model import LogisticRegression

    train_at = _ts(as_of) - pd.Timedelta(days=horizon_days)
    comp = components(tables, train_at, inactivity_days=inactivity_days)
    y = _churned_next(tables, comp["customer_id"], train_at, horizon_days).to_numpy()
    x = comp[list(COMPONENTS)]
    x = x.fillna(x.mean()).fillna(0.5)
    if len(np.unique(y)) < 2:
        raise CustopsError(
            f"Cannot learn health weights at {train_at.date()}: the outcome has one class only.",
            fix="Use configured weights (DEFAULT_WEIGHTS) or an earlier as-of date.",
        )
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=seed).fit(x, y)
    coef = model.coef_[0]
    raw = np.clip(-coef, 0, None)
    weight = raw / raw.sum() if raw.sum() > 0 else np.full(len(raw), 1 / len(raw))
    return pd.DataFrame(
        {
            "component": list(COMPONENTS),
            "coefficient": coef,
            "odds_ratio": np.exp(coef),
            "weight": weight,
        }
    )


@dataclass
class Validation:
    """Out-of-time validation of the health score."""

    as_of: pd.Timestamp
    horizon_days: int
    n: int
    churners: int
    auc: float
    auc_ci: tuple[float, float]
    top_decile_lift: float
    top_decile_lift_ci: tuple[float, float]
    red_share_of_churners: float
    red_share_ci: tuple[float, float]
    calibration: pd.DataFrame
    scored: pd.DataFrame
    red_below: float = 50.0
    green_from: float = 75.0

    def summary(self) -> pd.DataFrame:
        """One row per metric: ``metric, value, ci_low, ci_high``."""
        return pd.DataFrame(
            {
                "metric": ["auc", "top_decile_lift", "red_share_of_churners", "churn_rate"],
                "value": [
                    self.auc,
                    self.top_decile_lift,
                    self.red_share_of_churners,
                    self.churners / self.n,
                ],
                "ci_low": [
                    self.auc_ci[0],
                    self.top_decile_lift_ci[0],
                    self.red_share_ci[0],
                    wilson_ci(self.churners, self.n)[0],
                ],
                "ci_high": [
                    self.auc_ci[1],
                    self.top_decile_lift_ci[1],
                    self.red_share_ci[1],
                    wilson_ci(self.churners, self.n)[1],
                ],
            }
        )


def validate(
    tables: Mapping[str, pd.DataFrame],
    as_of,
    weights: Mapping[str, float] | str | None = None,
    *,
    horizon_days: int = 90,
    inactivity_days: int = 180,
    data_end=None,
    red_below: float = 50.0,
    green_from: float = 75.0,
) -> Validation:
    """Score at ``as_of`` with data up to it only; observe churn in the next ``horizon_days``.

    ``data_end`` is the last day the data cover (default: the last order date); the outcome
    window must end by then. In a notebook use ``as_of = period end − horizon_days``.

    Raises
    ------
    CustopsError
        When the outcome window runs past the last order in the data.

    Examples
    --------
    >>> v = validate(tables, "2025-10-02")  # doctest: +SKIP
    >>> v.summary()  # doctest: +SKIP
    """
    t = _ts(as_of)
    data_end = _ts(data_end) if data_end is not None else tables["orders"]["order_date"].max()
    data_end = data_end.normalize()
    if t + pd.Timedelta(days=horizon_days) > data_end:
        raise CustopsError(
            f"Cannot validate the health score at {t.date()}: the {horizon_days}-day outcome "
            f"window ends after the last order in the data ({data_end.date()}).",
            fix=f"Validate at {(data_end - pd.Timedelta(days=horizon_days)).date()} or earlier.",
        )
    sc = health_scores(
        tables,
        t,
        weights,
        inactivity_days=inactivity_days,
        horizon_days=horizon_days,
        red_below=red_below,
        green_from=green_from,
    )
    y = _churned_next(tables, sc["customer_id"], t, horizon_days).to_numpy()
    sc["churned_next"] = y
    from sklearn.metrics import roc_auc_score

    n1, n0 = int(y.sum()), int((~y).sum())
    auc = float(roc_auc_score(y, -sc["score"]))
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    se = np.sqrt(
        (auc * (1 - auc) + (n1 - 1) * (q1 - auc**2) + (n0 - 1) * (q2 - auc**2)) / (n1 * n0)
    )
    rank = sc["score"].rank(method="first")
    low = rank <= np.ceil(0.1 * len(sc))
    base = y.mean()
    k_top, n_top = int(y[low].sum()), int(low.sum())
    lo, hi = wilson_ci(k_top, n_top)
    red = sc["band"].eq("red").to_numpy()
    rlo, rhi = wilson_ci(int((red & y).sum()), n1)
    dec = pd.qcut(sc["score"].rank(method="first"), 10, labels=False) + 1
    cal = (
        sc.assign(decile=dec)
        .groupby("decile")
        .agg(
            mean_score=("score", "mean"),
            customers=("score", "size"),
            churners=("churned_next", "sum"),
        )
        .reset_index()
    )
    cal["churn_rate"] = cal["churners"] / cal["customers"]
    cal["ci_low"], cal["ci_high"] = wilson_ci(cal["churners"], cal["customers"])
    return Validation(
        as_of=t,
        horizon_days=horizon_days,
        n=len(sc),
        churners=n1,
        auc=auc,
        auc_ci=(auc - 1.96 * se, auc + 1.96 * se),
        top_decile_lift=k_top / n_top / base,
        top_decile_lift_ci=(lo / base, hi / base),
        red_share_of_churners=float((red & y).sum() / n1),
        red_share_ci=(float(rlo), float(rhi)),
        calibration=cal,
        scored=sc,
        red_below=red_below,
        green_from=green_from,
    )


def band_history(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    weights: Mapping[str, float] | str | None = None,
    *,
    months: int = 12,
    inactivity_days: int = 180,
    horizon_days: int = 90,
    red_below: float = 50.0,
    green_from: float = 75.0,
) -> pd.DataFrame:
    """Share of alive customers in each band at each month end (the last ``months`` months).

    Returns
    -------
    DataFrame
        ``month, band, customers, share``.
    """
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    rows = []
    for i in range(months, 0, -1):
        month_end = (end - pd.DateOffset(months=i - 1)) - pd.Timedelta(days=1)
        sc = health_scores(
            tables,
            month_end,
            weights,
            inactivity_days=inactivity_days,
            horizon_days=horizon_days,
            red_below=red_below,
            green_from=green_from,
        )
        counts = sc["band"].value_counts().reindex(list(BANDS), fill_value=0)
        for band, n in counts.items():
            rows.append(
                {
                    "month": month_end.strftime("%Y-%m"),
                    "band": band,
                    "customers": int(n),
                    "share": n / max(len(sc), 1),
                }
            )
    return pd.DataFrame(rows)


def weights_from_config(config) -> dict[str, float] | str:
    """The weights a run uses: ``config.weights`` when given, else ``"learned"``.

    Parameters
    ----------
    config : custops.config.HealthConfig
        The ``health`` section of the report config.

    Examples
    --------
    >>> from custops.config import HealthConfig
    >>> weights_from_config(HealthConfig())
    'learned'
    >>> weights_from_config(HealthConfig(weights={"recency": 2, "complaints": 1}))
    {'recency': 2.0, 'complaints': 1.0}
    """
    return dict(config.weights) if config.weights is not None else "learned"


def weight_table(
    tables: Mapping[str, pd.DataFrame],
    as_of,
    weights: Mapping[str, float] | str | None = "learned",
    *,
    horizon_days: int = 90,
    inactivity_days: int = 180,
    seed: int = 0,
) -> pd.DataFrame:
    """The component weights a score at ``as_of`` uses, normalised to sum to 1.

    ``"learned"``: :func:`learn_weights` (with coefficients and odds ratios); a dict: the
    configured weights; ``None``: :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    DataFrame
        ``component, weight`` (and ``coefficient, odds_ratio`` when learned).

    Examples
    --------
    >>> weight_table({}, "2025-12-31", {"recency": 3, "complaints": 1})["weight"].tolist()
    [0.75, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0]
    """
    if isinstance(weights, str) and weights == "learned":
        learned = learn_weights(
            tables, as_of, horizon_days=horizon_days, inactivity_days=inactivity_days, seed=seed
        )
        return learned[["component", "weight", "coefficient", "odds_ratio"]]
    w = pd.Series({c: float((weights or DEFAULT_WEIGHTS).get(c, 0.0)) for c in COMPONENTS})
    unknown = set(weights or {}) - set(COMPONENTS)
    if unknown or w.sum() <= 0:
        raise CustopsError(
            f"Health weights must name known components and not all be zero: {dict(weights)}.",
            fix=f"Use only {list(COMPONENTS)} with weights >= 0.",
        )
    return pd.DataFrame({"component": list(COMPONENTS), "weight": (w / w.sum()).to_numpy()})


def method_text(
    weights: Mapping[str, float] | str | None,
    *,
    red_below: float = 50.0,
    green_from: float = 75.0,
    horizon_days: int = 90,
    lang: str = "en",
) -> str:
    """How the score is weighted and banded, in words (en/zh), for the chapter text.

    Examples
    --------
    >>> method_text("learned", horizon_days=90).split(". ")[1]
    'Bands: **red** below 50, **amber** 50 to 75, **green** 75 and above.'
    >>> method_text({"recency": 1.0}, red_below=40, lang="zh").startswith("权重由配置给定")
    True
    """
    learned = isinstance(weights, str) and weights == "learned"
    if lang == "zh":
        how = (
            f"权重从过去的流失中学习：用各分项对“此后 {horizon_days} 天没有下单”做逻辑回归，"
            "只使用当时已经观察到的结果"
            if learned
            else "权重由配置给定（config 的 health.weights）"
            if weights is not None
            else "权重为默认值"
        )
        return (
            f"{how}。分区：**红**低于 {red_below:g} 分，**黄** {red_below:g}–{green_from:g} 分，"
            f"**绿** {green_from:g} 分及以上。"
        )
    how = (
        "The weights are learned from past churn: a logistic regression of “no order in the next "
        f"{horizon_days} days” on the components, fitted on outcomes that were already observed"
        if learned
        else "The weights are set in the configuration (health.weights)"
        if weights is not None
        else "The weights are the defaults"
    )
    return (
        f"{how}. Bands: **red** below {red_below:g}, **amber** {red_below:g} to {green_from:g}, "
        f"**green** {green_from:g} and above."
    )


def health_findings(v: Validation, scores: pd.DataFrame, lang: str = "en") -> str:
    """Findings sentences (en/zh) from a :class:`Validation` and the current scores."""
    red = scores["band"].eq("red").mean()
    if lang == "zh":
        return (
            f"当前 {len(scores):,} 名活跃客户中 {red:.0%} 处于红色健康区（<{v.red_below:g} 分）。"
            f"回测：用截至 {v.as_of.date()} 的数据打分、观察此后 {v.horizon_days} 天是否再购，"
            f"AUC = {v.auc:.2f}（95% CI {v.auc_ci[0]:.2f}–{v.auc_ci[1]:.2f}）；"
            f"得分最低 10% 的客户流失率是平均的 {v.top_decile_lift:.1f} 倍"
            f"（{v.top_decile_lift_ci[0]:.1f}–{v.top_decile_lift_ci[1]:.1f}）；"
            f"{v.red_share_of_churners:.0%} 的流失客户事先处于红色区。"
        )
    return (
        f"{red:.0%} of the {len(scores):,} active customers are in the red health band "
        f"(< {v.red_below:g}). "
        f"Back-test: scored with data up to {v.as_of.date()} and followed for {v.horizon_days} "
        f"days, the score separates churners with AUC {v.auc:.2f} (95% CI {v.auc_ci[0]:.2f}–"
        f"{v.auc_ci[1]:.2f}); the lowest-scoring 10% churn {v.top_decile_lift:.1f}× as often as "
        f"average ({v.top_decile_lift_ci[0]:.1f}–{v.top_decile_lift_ci[1]:.1f}), and "
        f"{v.red_share_of_churners:.0%} of churners were red beforehand."
    )


def plot_calibration(v: Validation, lang: str = "en"):
    """Churn rate by score decile with Wilson CIs (a finished calibration table)."""
    import matplotlib.pyplot as plt

    cal = v.calibration
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.errorbar(
        cal["mean_score"],
        cal["churn_rate"],
        yerr=[cal["churn_rate"] - cal["ci_low"], cal["ci_high"] - cal["churn_rate"]],
        fmt="o-",
        capsize=3,
    )
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{y:.0%}"))
    if lang == "zh":
        ax.set(
            xlabel="健康分（十分位均值）",
            ylabel=f"此后 {v.horizon_days} 天流失率",
            title="健康分校准",
        )
    else:
        ax.set(
            xlabel="health score (decile mean)",
            ylabel=f"churn in next {v.horizon_days} days",
            title="Health score calibration",
        )
    fig.tight_layout()
    return fig


def plot_band_history(history: pd.DataFrame, lang: str = "en"):
    """Stacked shares of red/amber/green customers by month, from :func:`band_history`.

    Examples
    --------
    >>> h = pd.DataFrame({"month": ["2025-11"] * 3 + ["2025-12"] * 3,
    ...     "band": ["red", "amber", "green"] * 2, "customers": [1, 2, 1, 2, 1, 1],
    ...     "share": [0.25, 0.5, 0.25, 0.5, 0.25, 0.25]})
    >>> len(plot_band_history(h).axes)
    1
    """
    import matplotlib.pyplot as plt

    from custops.plots import STATUS_COLORS

    wide = history.pivot(index="month", columns="band", values="share").reindex(
        columns=list(BANDS), fill_value=0
    )
    fig, ax = plt.subplots(figsize=(7, 3.4))
    bottom = np.zeros(len(wide))
    for band in BANDS:
        label = _ZH[band] if lang == "zh" else band
        ax.bar(wide.index, wide[band], bottom=bottom, color=STATUS_COLORS[band], label=label)
        bottom += wide[band].to_numpy()
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{y:.0%}"))
    ax.set_title("各月健康分区分布" if lang == "zh" else "Health bands by month")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    fig.tight_layout()
    return fig
