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
churners that were red, calibration by score decile (Wilson CIs). The score is set against
the obvious baselines on the same customers and outcome: *recency alone* (days since the
last order) and *frequency alone* (orders in the last 365 days), each with its AUC and
lift, and the AUC difference score − recency with DeLong's paired 95% interval (DeLong,
DeLong & Clarke-Pearson 1988); a score whose difference interval reaches 0 is reported as
not adding to recency.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custops.core.config import HEALTH_COMPONENTS, Period
from custops.core.errors import CustopsError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import delong, top_decile_lift, wilson_ci
from custops.report import text as catalog

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
    "band_shares",
    "band_history_takeaway",
    "plot_band_history",
    "Validation",
    "HealthData",
    "prepare",
    "health_headlines",
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


def _ts(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


_NEVER = np.int64(2**40)  # a day after every real date (NaT "resolved by" / "responded by")
#: alive customers above which weights are learned on a stratified sample (config
#: ``health.max_fit_customers``)
MAX_FIT_CUSTOMERS = 200_000


def _days(values: pd.Series) -> np.ndarray:
    """Calendar day (days since 1970-01-01, int64) of a datetime column; NaT -> ``_NEVER``."""
    s = pd.to_datetime(values)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    a = s.to_numpy(dtype="datetime64[ns]")
    d = a.astype("datetime64[D]").astype(np.int64)
    d[np.isnat(a)] = _NEVER
    return d


def _day(value) -> int:
    return int(np.datetime64(_ts(value), "D").astype(np.int64))


@dataclass(eq=False)
class _Prepared:
    """The tables as integer arrays, built once per set of tables (see :func:`prepare`).

    Customer codes index ``labels`` (the sorted customer ids of the orders); days are days
    since 1970-01-01. Every array family is sorted by its day so that a window of days is a
    contiguous slice (:func:`_span`).
    """

    labels: np.ndarray
    order_day: np.ndarray  # one entry per order: its first day, sorted
    order_code: np.ndarray
    line_day: np.ndarray  # one entry per order row: its day, sorted
    line_code: np.ndarray
    line_order_day: np.ndarray  # the first day of the row's order (_NEVER: no order id)
    line_amount: np.ndarray
    tickets: dict | None
    surveys: dict | None
    touches: dict | None
    learned: dict

    @property
    def n(self) -> int:
        return len(self.labels)


def _span(days: np.ndarray, first: int, last: int) -> slice:
    """The slice of a sorted day array with ``first <= day <= last``."""
    return slice(
        int(np.searchsorted(days, first, side="left")),
        int(np.searchsorted(days, last, side="right")),
    )


def _sorted_by(days: np.ndarray, **arrays: np.ndarray) -> dict:
    order = np.argsort(days, kind="stable")  # stable: ties keep the table's row order
    out = {"day": days[order]}
    out.update({k: v[order] for k, v in arrays.items()})
    return out


class HealthData(Mapping):
    """The tables of the health score and their integer-coded arrays, prepared once.

    One report scores the same tables at ~30 dates (learning, validation, band history):
    build this once with :func:`prepare` and pass it instead of the tables to
    :func:`components`, :func:`health_scores`, :func:`learn_weights`, :func:`validate`,
    :func:`band_history` and :func:`weight_table`. It reads like the mapping of tables it was
    built from; learned weights are kept on it (one fit per date and settings). It describes
    the tables as they were when it was built: after changing a table, prepare again.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], prepared: _Prepared) -> None:
        self._tables = dict(tables)
        self.prepared = prepared

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def prepare(tables: Mapping[str, pd.DataFrame], *, index: OrderIndex | None = None) -> HealthData:
    """The tables of the health score with their integer-coded arrays (see :class:`HealthData`).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        ``orders`` (required), ``tickets``, ``surveys``, ``touches``.
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built here when
        omitted).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-06-29", "2025-03-01"]), "amount": 10.0})
    >>> data = prepare({"orders": o})
    >>> health_scores(data, "2025-06-30")["band"].tolist()
    ['green', 'red']
    """
    if isinstance(tables, HealthData):
        return tables
    if "orders" not in tables:
        raise CustopsError(
            "The health score needs the orders table.", fix="Add an `orders` source."
        )
    return HealthData(tables, _build(tables, order_index_of(tables["orders"], index)))


def _build(tables: Mapping[str, pd.DataFrame], index: OrderIndex) -> _Prepared:
    o = tables["orders"]
    codes, labels, unique = index.codes, index.labels, index.ids_unique
    day = _days(o["order_date"])
    keep = (codes >= 0) & (day != _NEVER)
    amount = pd.to_numeric(o["amount"], errors="coerce").to_numpy(dtype=float)
    amount = np.where(np.isnan(amount), 0.0, amount)  # a sum skips missing amounts
    code, day, amount = codes[keep].astype(np.int64), day[keep], amount[keep]
    if not unique:
        # order lines: an order counts once, on its first day; its amount is the sum of its
        # lines seen by the as-of date (rows without an order id belong to no order)
        oid, _ = pd.factorize(o["order_id"].to_numpy()[keep])
        okey = code * (int(oid.max()) + 2) + oid
        first = np.full(len(okey), _NEVER)
        has = oid >= 0
        uniq, inv = np.unique(okey[has], return_inverse=True)
        first_of = np.full(len(uniq), _NEVER)
        np.minimum.at(first_of, inv, day[has])
        first[has] = first_of[inv]
        order_code = (uniq // (int(oid.max()) + 2)).astype(np.int64)
        orders = _sorted_by(first_of, code=order_code)
        lines = _sorted_by(day, code=code, order_day=first, amount=amount)
    else:
        lines = _sorted_by(day, code=code, amount=amount)
        lines["order_day"] = lines["day"]
        orders = {"day": lines["day"], "code": lines["code"]}

    def coded(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
        c = index.codes_of(frame)
        d = _days(frame[column])
        return c, (c >= 0) & (d != _NEVER)

    k = tables.get("tickets")
    tickets = None
    if k is not None and len(k):
        c, ok = coded(k, "created_at")
        k = k[ok]
        cat = (
            k["category"].astype("string").str.lower().str.contains("complain|投诉", na=False)
            if "category" in k
            else pd.Series(False, index=k.index)
        )
        arrays = {
            "code": c[ok].astype(np.int64),
            "complaint": cat.to_numpy(dtype=bool),
            "resolved_day": _days(k["resolved_at"])
            if "resolved_at" in k
            else np.full(len(k), -_NEVER),  # no column: every ticket counts as resolved
        }
        if "first_response_at" in k:
            hours = (k["first_response_at"] - k["created_at"]).dt.total_seconds() / 3600
            arrays["response_day"] = _days(k["first_response_at"])
            arrays["log_hours"] = np.log(hours.clip(lower=1 / 60)).to_numpy(dtype=float)
        if "csat" in k:
            arrays["csat"] = ((k["csat"] - 1) / 4).to_numpy(dtype=float)
        tickets = _sorted_by(_days(k["created_at"]), **arrays)
    s = tables.get("surveys")
    surveys = None
    if s is not None and len(s):
        c, ok = coded(s, "responded_at")
        ok &= s["score"].notna().to_numpy()
        s = s[ok]
        surveys = _sorted_by(
            s["responded_at"].to_numpy(dtype="datetime64[ns]").astype(np.int64),
            code=c[ok].astype(np.int64),
            score=s["score"].to_numpy(dtype=float),
        )  # by time, ties in table order: "last answer" = last in time
        surveys["day"] = (
            surveys["day"].astype("datetime64[ns]").astype("datetime64[D]").astype(np.int64)
        )
    m = tables.get("touches")
    touches = None
    if m is not None and len(m) and "opened" in m:
        c, ok = coded(m, "sent_at")
        m = m[ok]
        touches = _sorted_by(
            _days(m["sent_at"]),
            code=c[ok].astype(np.int64),
            opened=m["opened"].fillna(False).astype(float).to_numpy(),
        )
    return _Prepared(
        labels=labels,
        order_day=orders["day"],
        order_code=orders["code"],
        line_day=lines["day"],
        line_code=lines["code"],
        line_order_day=lines["order_day"],
        line_amount=lines["amount"],
        tickets=tickets,
        surveys=surveys,
        touches=touches,
        learned={},
    )


def _mean_by(code: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Mean of ``values`` per code (NaN for codes without values)."""
    total = np.bincount(code, weights=values, minlength=n)
    count = np.bincount(code, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1), np.nan)


def _components_at(p: _Prepared, t: int, inactivity_days: int) -> tuple[np.ndarray, pd.DataFrame]:
    """(alive customer codes, their components) at day ``t`` from the prepared arrays."""
    n = p.n
    # last order: the latest first-day of an order on or before t
    w = _span(p.order_day, t - inactivity_days, t)
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, p.order_code[w], p.order_day[w])
    alive = np.flatnonzero(last >= t - inactivity_days)
    alive_mask = np.zeros(n, dtype=bool)
    alive_mask[alive] = True
    rec = t - last[alive]
    r = _span(p.order_day, t - 89, t)
    b = _span(p.order_day, t - 364, t - 90)
    n90 = np.bincount(p.order_code[r], minlength=n)[alive]
    nprior = np.bincount(p.order_code[b], minlength=n)[alive] * 90 / 275
    lw = _span(p.line_day, t - 364, t)
    od, lc, amt = p.line_order_day[lw], p.line_code[lw], p.line_amount[lw]
    recent = od >= t - 89
    prior = (od >= t - 364) & (od <= t - 90)
    s90 = np.bincount(lc[recent], weights=amt[recent], minlength=n)[alive]
    sprior = np.bincount(lc[prior], weights=amt[prior], minlength=n)[alive] * 90 / 275
    out = pd.DataFrame(index=pd.RangeIndex(len(alive)))
    out["recency"] = np.exp(-rec / 90.0)
    out["frequency_trend"] = (n90 + 0.5) / (n90 + nprior + 1.0)
    tot = s90 + sprior
    with np.errstate(invalid="ignore", divide="ignore"):
        out["spend_trend"] = np.where(tot > 0, s90 / np.where(tot > 0, tot, 1), 0.5)
    for col in COMPONENTS[3:]:
        out[col] = np.nan
    csat = None
    k = p.tickets
    if k is not None:
        seen = _span(k["day"], np.iinfo(np.int64).min // 2, t)
        year = _span(k["day"], t - 364, t)
        code = k["code"][seen]
        on = alive_mask[code]
        open_c = np.bincount(
            code[on & k["complaint"][seen] & (k["resolved_day"][seen] > t)], minlength=n
        )
        code_y = k["code"][year]
        on_y = alive_mask[code_y]
        n_c = np.minimum(np.bincount(code_y[on_y & k["complaint"][year]], minlength=n), 2)
        comp = 1 - 0.25 * n_c[alive]
        comp[open_c[alive] > 0] = 0.0
        out["complaints"] = comp
        if "log_hours" in k:
            ok = on_y & (k["response_day"][year] <= t)
            gm = np.exp(_mean_by(code_y[ok], k["log_hours"][year][ok], n)[alive])
            out["service"] = np.exp(-gm / 24.0)
        if "csat" in k:
            v = k["csat"][year]
            ok = on_y & ~np.isnan(v)
            csat = _mean_by(code_y[ok], v[ok], n)[alive]
    nps = None
    s = p.surveys
    if s is not None:
        y = _span(s["day"], t - 364, t)
        pos = np.full(n, -1)
        np.maximum.at(pos, s["code"][y], np.arange(y.start, y.stop))
        pos = pos[alive]
        nps = np.where(pos >= 0, s["score"][np.maximum(pos, 0)], np.nan) / 10
    parts = [x for x in (nps, csat) if x is not None]
    if parts:
        out["nps_csat"] = pd.DataFrame(dict(enumerate(parts))).mean(axis=1).to_numpy()
    m = p.touches
    if m is not None:
        h = _span(m["day"], t - 179, t)
        code = m["code"][h]
        ok = alive_mask[code]
        out["engagement"] = _mean_by(code[ok], m["opened"][h][ok], n)[alive]
    return alive, out


def _components_of(tables: Mapping[str, pd.DataFrame]) -> _Prepared:
    """The prepared arrays of a :class:`HealthData`, or of plain tables (prepared here)."""
    return prepare(tables).prepared


def components(
    tables: Mapping[str, pd.DataFrame], as_of, *, inactivity_days: int = 180
) -> pd.DataFrame:
    """Health components (0-1) of customers alive at ``as_of``, using data up to ``as_of`` only.

    Alive: last order on or before ``as_of`` within ``inactivity_days`` days. Computed on
    integer-coded arrays of the tables; pass a :class:`HealthData` (:func:`prepare`) to build
    them once for every date (band history, learning and validation score the same tables at
    ~30 dates); plain tables are prepared on each call.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-03-01"]),
    ...     "amount": [10.0, 10.0, 5.0]})
    >>> c = components({"orders": o}, "2025-06-30")
    >>> c.set_index("customer_id")["recency"].round(3).to_dict()
    {'a': 0.725, 'b': 0.261}
    """
    p = _components_of(tables)
    alive, out = _components_at(p, _day(as_of), inactivity_days)
    out.insert(0, "customer_id", p.labels[alive])
    return out


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
    seed: int = 0,
    max_fit_customers: int | None = MAX_FIT_CUSTOMERS,
) -> pd.DataFrame:
    """Score and band of every alive customer as of ``as_of`` (the ``health_scores`` artifact).

    ``weights``: a dict (component -> weight), ``None`` for :data:`DEFAULT_WEIGHTS`, or
    ``"learned"`` for :func:`learn_weights` at ``as_of`` with ``horizon_days`` (outcomes
    observed by ``as_of`` only, so validating "learned" scores at a past date never sees the
    validation outcome; ``seed`` and ``max_fit_customers`` as there). Bands: red below
    ``red_below``, green from ``green_from``, amber between (applied to the rounded score
    people see).

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
        tables = prepare(tables)  # learned and scored on the same prepared arrays
        weights = _learned(tables, as_of, horizon_days, inactivity_days, seed, max_fit_customers)
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


def _learned(tables, as_of, horizon_days, inactivity_days, seed, max_fit_customers) -> dict:
    learned = learn_weights(
        tables,
        as_of,
        horizon_days=horizon_days,
        inactivity_days=inactivity_days,
        seed=seed,
        max_fit_customers=max_fit_customers,
    )
    return dict(zip(learned["component"], learned["weight"], strict=True))


def _bought_in(p: _Prepared, first: int, last: int) -> np.ndarray:
    """Per customer code: any order row on a day in ``[first, last]``."""
    w = _span(p.line_day, first, last)
    return np.bincount(p.line_code[w], minlength=p.n) > 0


def _churned_next(tables: Mapping[str, pd.DataFrame], ids: pd.Series, as_of, horizon_days: int):
    p = _components_of(tables)
    t = _day(as_of)
    bought = _bought_in(p, t + 1, t + horizon_days)
    codes = pd.Index(p.labels).get_indexer(ids)
    return pd.Series(~np.where(codes >= 0, bought[codes], False), index=ids.index, name=ids.name)


def _fit_sample(y: np.ndarray, max_fit_customers: int | None, seed: int) -> np.ndarray | None:
    """Rows of a stratified (by outcome) random sample of ``max_fit_customers``, or None.

    Each outcome class keeps its share (rounded); the generator is seeded with ``seed``.
    """
    if max_fit_customers is None or len(y) <= max_fit_customers:
        return None
    rng = np.random.default_rng(seed)
    frac = max_fit_customers / len(y)
    rows = [
        rng.choice(idx, size=round(frac * len(idx)), replace=False)
        for idx in (np.flatnonzero(~y), np.flatnonzero(y))
    ]
    return np.sort(np.concatenate(rows))


def learn_weights(
    tables: Mapping[str, pd.DataFrame],
    as_of,
    *,
    horizon_days: int = 90,
    inactivity_days: int = 180,
    seed: int = 0,
    max_fit_customers: int | None = MAX_FIT_CUSTOMERS,
) -> pd.DataFrame:
    """Weights learned from past churn, using only outcomes observed by ``as_of``.

    Components at ``as_of − horizon_days``; outcome: no order in the following
    ``horizon_days``. Logistic regression (scikit-learn, L2, C = 1) on the 0-1 components
    (missing filled with the component mean); weight = max(−coefficient, 0), normalised.

    When more than ``max_fit_customers`` customers are alive at the training date (config
    ``health.max_fit_customers``; ``None`` = never), the regression is fitted on a random
    sample of that many, stratified by the outcome (each class keeps its share) and drawn
    with ``seed``; below that size every customer is used. Given a :class:`HealthData`, the
    weights of one date and settings are fitted once and kept on it (a report asks for them
    several times).

    Returns
    -------
    DataFrame
        ``component, coefficient, odds_ratio, weight`` (odds ratio of churn for the best vs the
        worst value of the component); ``attrs["sample"] = (fitted, alive)`` when a sample
        was used.

    Examples
    --------
    >>> w = learn_weights(tables, "2025-12-31")  # doctest: +SKIP
    """
    p = _components_of(tables)
    train = _day(as_of) - horizon_days
    key = (train, horizon_days, inactivity_days, seed, max_fit_customers)
    if key in p.learned:
        return p.learned[key].copy()
    from sklearn.linear_model import LogisticRegression

    alive, comp = _components_at(p, train, inactivity_days)
    y = ~_bought_in(p, train + 1, train + horizon_days)[alive]
    x = comp[list(COMPONENTS)]
    x = x.fillna(x.mean()).fillna(0.5)
    if len(np.unique(y)) < 2:
        train_at = _ts(as_of) - pd.Timedelta(days=horizon_days)
        raise OneClassOutcome(
            f"Cannot learn health weights at {train_at.date()}: the outcome has one class only.",
            fix="Use configured weights (DEFAULT_WEIGHTS) or an earlier as-of date.",
        )
    rows = _fit_sample(y, max_fit_customers, seed)
    alive_n = len(y)
    if rows is not None:
        x, y = x.iloc[rows], y[rows]
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=seed).fit(x, y)
    coef = model.coef_[0]
    raw = np.clip(-coef, 0, None)
    weight = raw / raw.sum() if raw.sum() > 0 else np.full(len(raw), 1 / len(raw))
    out = pd.DataFrame(
        {
            "component": list(COMPONENTS),
            "coefficient": coef,
            "odds_ratio": np.exp(coef),
            "weight": weight,
        }
    )
    if rows is not None:
        out.attrs["sample"] = (len(rows), alive_n)
    p.learned[key] = out.copy()
    return out


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
    baselines: pd.DataFrame = field(default_factory=pd.DataFrame)

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


def baseline_table(y: np.ndarray, scores: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """AUC (DeLong 95% CI), top-decile lift (Wilson) and the AUC difference from the first score.

    ``scores``: name -> health-like values (higher = healthier, i.e. less likely ``y``);
    the first entry is the score under test, the second its reference baseline.

    Returns
    -------
    DataFrame
        ``score, auc, auc_low, auc_high, top_decile_lift, lift_low, lift_high, auc_diff,
        diff_low, diff_high`` (the difference: score under test − this row; 0 on its own row).

    Examples
    --------
    >>> y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0])
    >>> t = baseline_table(y, {"s": np.arange(10.0), "r": np.zeros(10)})
    >>> t[["score", "auc"]].round(2).values.tolist()
    [['s', 0.9], ['r', 0.5]]
    """
    y = np.asarray(y, dtype=bool)
    auc, cov = delong(y, {k: -np.asarray(v, dtype=float) for k, v in scores.items()})
    first = next(iter(scores))
    rows = []
    for name, values in scores.items():
        se = float(np.sqrt(max(cov.loc[name, name], 0.0)))
        diff = float(auc[first] - auc[name])
        var = cov.loc[first, first] + cov.loc[name, name] - 2 * cov.loc[first, name]
        dse = float(np.sqrt(max(var, 0.0)))
        lift, llo, lhi = top_decile_lift(y, -np.asarray(values, dtype=float))
        rows.append(
            {
                "score": name,
                "auc": float(auc[name]),
                "auc_low": float(auc[name]) - 1.96 * se,
                "auc_high": float(auc[name]) + 1.96 * se,
                "top_decile_lift": lift,
                "lift_low": llo,
                "lift_high": lhi,
                "auc_diff": diff,
                "diff_low": diff - 1.96 * dse,
                "diff_high": diff + 1.96 * dse,
            }
        )
    return pd.DataFrame(rows)


def _orders_last_year(tables: Mapping[str, pd.DataFrame], ids: pd.Series, as_of) -> np.ndarray:
    p = _components_of(tables)
    t = _day(as_of)
    w = _span(p.order_day, t - 364, t)
    count = np.bincount(p.order_code[w], minlength=p.n)
    codes = pd.Index(p.labels).get_indexer(ids)
    return np.where(codes >= 0, count[np.where(codes >= 0, codes, 0)], 0).astype(float)


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
    seed: int = 0,
    max_fit_customers: int | None = MAX_FIT_CUSTOMERS,
) -> Validation:
    """Score at ``as_of`` with data up to it only; observe churn in the next ``horizon_days``.

    ``data_end`` is the last day the data cover (default: the last order date); the outcome
    window must end by then. In a notebook use ``as_of = period end − horizon_days``.
    ``seed`` and ``max_fit_customers`` reach :func:`learn_weights` for ``"learned"``.

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
    tables = prepare(tables)  # scored and observed on the same prepared arrays
    sc = health_scores(
        tables,
        t,
        weights,
        inactivity_days=inactivity_days,
        horizon_days=horizon_days,
        red_below=red_below,
        green_from=green_from,
        seed=seed,
        max_fit_customers=max_fit_customers,
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
        baselines=baseline_table(
            y,
            {
                "health score": sc["score"].to_numpy(dtype=float),
                # days since the last order, as a health-like value (fewer days = healthier)
                "recency only": sc["recency"].to_numpy(dtype=float),
                "frequency only": _orders_last_year(tables, sc["customer_id"], t),
            },
        ),
    )


class OneClassOutcome(CustopsError):
    """Weights cannot be learned at a date: every customer alive then had the same outcome."""


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
    seed: int = 0,
    max_fit_customers: int | None = MAX_FIT_CUSTOMERS,
) -> pd.DataFrame:
    """Share of alive customers in each band at each month end (the last ``months`` months).

    Each month end is scored as :func:`health_scores` would score it; ``"learned"`` weights
    are learned again at every month end from the outcomes observed by then (no look-ahead),
    on the integer-coded tables prepared once (see :func:`learn_weights` for
    ``max_fit_customers`` and ``seed``).

    Returns
    -------
    DataFrame
        ``month, band, customers, share``. Months where ``"learned"`` weights cannot be
        learned yet (early in an export: nobody alive then had churned, or nobody was alive)
        are left out and listed in ``attrs["skipped_months"]``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-12-20", "2025-08-01"]), "amount": 10.0})
    >>> band_history({"orders": o}, "2025Q4", months=1)["customers"].tolist()
    [1, 0, 1]
    """
    _check_bands(red_below, green_from)
    tables = prepare(tables)  # every month scored on the same prepared arrays
    p = tables.prepared
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    rows, skipped = [], []
    for i in range(months, 0, -1):
        month_end = (end - pd.DateOffset(months=i - 1)) - pd.Timedelta(days=1)
        if isinstance(weights, str):
            if weights != "learned":
                raise CustopsError(
                    f"Unknown health weights {weights!r}.",
                    fix="Pass a dict of component weights, None (the defaults) or 'learned'.",
                )
            try:
                w = _learned(
                    tables, month_end, horizon_days, inactivity_days, seed, max_fit_customers
                )
            except OneClassOutcome:
                skipped.append(month_end.strftime("%Y-%m"))
                continue
        else:
            w = dict(weights or DEFAULT_WEIGHTS)
            unknown = set(w) - set(COMPONENTS)
            if unknown:
                raise CustopsError(
                    f"Unknown health components in the weights: {sorted(unknown)}.",
                    fix=f"Use only {list(COMPONENTS)}.",
                )
        _, comp = _components_at(p, _day(month_end), inactivity_days)
        band = _band(_score(comp, w).round(1), red_below, green_from)
        counts = band.value_counts().reindex(list(BANDS), fill_value=0)
        for name, n in counts.items():
            rows.append(
                {
                    "month": month_end.strftime("%Y-%m"),
                    "band": name,
                    "customers": int(n),
                    "share": n / max(len(comp), 1),
                }
            )
    out = pd.DataFrame(rows, columns=["month", "band", "customers", "share"])
    out.attrs["skipped_months"] = skipped
    return out


def weights_from_config(config) -> dict[str, float] | str:
    """The weights a run uses: ``config.weights`` when given, else ``"learned"``.

    Parameters
    ----------
    config : custops.core.config.HealthConfig
        The ``health`` section of the report config.

    Examples
    --------
    >>> from custops.core.config import HealthConfig
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
    max_fit_customers: int | None = MAX_FIT_CUSTOMERS,
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
            tables,
            as_of,
            horizon_days=horizon_days,
            inactivity_days=inactivity_days,
            seed=seed,
            max_fit_customers=max_fit_customers,
        )
        out = learned[["component", "weight", "coefficient", "odds_ratio"]].copy()
        out.attrs = dict(learned.attrs)  # "sample" when the weights were fitted on one
        return out
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
    sample: tuple[int, int] | None = None,
    lang: str = "en",
) -> str:
    """How the score is weighted and banded, in words (en/zh), for the chapter text.

    ``sample``: ``(fitted, alive)`` customers when the weights were learned on a sample
    (``weight_table(...).attrs["sample"]``, see :func:`learn_weights`).

    Examples
    --------
    >>> method_text("learned", horizon_days=90).split(". ")[1]
    'Bands: **red** below 50, **amber** 50 to 75, **green** 75 and above.'
    >>> method_text("learned", sample=(200_000, 612_345)).split(". ")[1]
    'It was fitted on a random sample of 200,000 of the 612,345 active customers, stratified by the outcome and drawn with the report seed (health.max_fit_customers)'
    >>> method_text({"recency": 1.0}, red_below=40, lang="zh").startswith("权重由配置给定")
    True
    """
    learned = isinstance(weights, str) and weights == "learned"
    how = catalog.t(
        "survival.health.method.learned"
        if learned
        else "survival.health.method.config"
        if weights is not None
        else "survival.health.method.default",
        lang,
        horizon_days=horizon_days,
    )
    if learned and sample is not None:
        how += catalog.t("survival.health.method.sample", lang, fitted=sample[0], alive=sample[1])
    return catalog.t("survival.health.method.bands", lang, how=how, red=red_below, green=green_from)


def baseline_text(v: Validation, lang: str = "en") -> str:
    """Does the score add anything to recency alone? One sentence from ``v.baselines``.

    Examples
    --------
    >>> b = pd.DataFrame({"score": ["health score", "recency only", "frequency only"],
    ...     "auc": [0.8, 0.78, 0.7], "auc_low": [0.76, 0.74, 0.66], "auc_high": [0.84, 0.82, 0.74],
    ...     "top_decile_lift": [3.0, 2.9, 2.0], "lift_low": [2.5, 2.4, 1.6], "lift_high": [3.4, 3.3, 2.4],
    ...     "auc_diff": [0.0, 0.02, 0.1], "diff_low": [0.0, -0.01, 0.07], "diff_high": [0.0, 0.05, 0.13]})
    >>> v = Validation(pd.Timestamp("2025-10-02"), 90, 100, 20, 0.8, (0.76, 0.84), 3.0, (2.5, 3.4),
    ...     0.5, (0.3, 0.7), pd.DataFrame(), pd.DataFrame(), baselines=b)
    >>> baseline_text(v).split(": ")[-1]
    'the score does **not** rank churners measurably better than recency alone.'
    """
    b = v.baselines.set_index("score")
    if b.empty:
        return ""
    rec, freq = b.loc["recency only"], b.loc["frequency only"]
    adds, worse = bool(rec["diff_low"] > 0), bool(rec["diff_high"] < 0)
    verdict = catalog.t(
        "survival.health.baseline.better"
        if adds
        else "survival.health.baseline.worse"
        if worse
        else "survival.health.baseline.same",
        lang,
    )
    return catalog.t(
        "survival.health.baseline.text",
        lang,
        auc=rec["auc"],
        auc_low=rec["auc_low"],
        auc_high=rec["auc_high"],
        lift=rec["top_decile_lift"],
        f_auc=freq["auc"],
        f_low=freq["auc_low"],
        f_high=freq["auc_high"],
        f_lift=freq["top_decile_lift"],
        diff=rec["auc_diff"],
        diff_low=rec["diff_low"],
        diff_high=rec["diff_high"],
        verdict=verdict,
    )


def health_findings(v: Validation, scores: pd.DataFrame, lang: str = "en") -> str:
    """Findings sentences (en/zh) from a :class:`Validation` and the current scores.

    Ends with :func:`baseline_text` (the score against recency and frequency alone).
    """
    base = baseline_text(v, lang)
    red = scores["band"].eq("red").mean()
    return catalog.t(
        "survival.health.findings",
        lang,
        red=red,
        n=len(scores),
        red_below=v.red_below,
        as_of=v.as_of.date(),
        horizon=v.horizon_days,
        auc=v.auc,
        auc_low=v.auc_ci[0],
        auc_high=v.auc_ci[1],
        lift=v.top_decile_lift,
        lift_low=v.top_decile_lift_ci[0],
        lift_high=v.top_decile_lift_ci[1],
        red_churners=v.red_share_of_churners,
        base=base,
    ).strip()


def plot_calibration(
    v: Validation, lang: str = "en", *, takeaway: str | None = None, ax: Any = None
) -> Any:
    """Churn rate by score decile with Wilson CIs (the finished ``v.calibration`` table);
    returns the Axes.

    ``takeaway`` (the caption, :func:`calibration_takeaway`) is recorded on the figure.
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    cal = v.calibration
    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(6, 3.6))
    ax.errorbar(
        cal["mean_score"],
        cal["churn_rate"],
        yerr=[cal["churn_rate"] - cal["ci_low"], cal["ci_high"] - cal["churn_rate"]],
        fmt="o-",
        capsize=3,
    )
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{y:.0%}"))
    ax.set(
        xlabel=catalog.t("survival.health.calibration.xlabel", lang),
        ylabel=catalog.t("survival.health.calibration.ylabel", lang, days=v.horizon_days),
        title=catalog.t("survival.health.calibration.title", lang),
    )
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def calibration_takeaway(calibration: pd.DataFrame, horizon_days: int, lang: str = "en") -> str:
    """One sentence on the calibration table: churn in the lowest and the highest score decile.

    Examples
    --------
    >>> cal = pd.DataFrame({"mean_score": [80.0, 20.0, 50.0], "churn_rate": [0.05, 0.4, 0.2]})
    >>> calibration_takeaway(cal, 90)
    'Churn in the next 90 days falls from 40% in the lowest health-score decile to 5% in the highest.'
    """
    valid = calibration.dropna(subset=["mean_score", "churn_rate"])
    if valid.empty:
        return catalog.t("figure.no_data", lang)
    ordered = valid.sort_values("mean_score")
    return catalog.t(
        "figure.health_calibration",
        lang,
        days=int(horizon_days),
        low=f"{float(ordered['churn_rate'].iloc[0]):.0%}",
        high=f"{float(ordered['churn_rate'].iloc[-1]):.0%}",
    )


def band_shares(history: pd.DataFrame) -> pd.DataFrame:
    """The share of each band by month (month × ``BANDS``), from :func:`band_history`.

    Examples
    --------
    >>> h = pd.DataFrame({"month": ["2025-11"] * 2 + ["2025-12"] * 2,
    ...     "band": ["red", "green", "red", "green"], "customers": [1, 3, 2, 2],
    ...     "share": [0.25, 0.75, 0.5, 0.5]})
    >>> band_shares(h).to_dict("list")
    {'red': [0.25, 0.5], 'amber': [0, 0], 'green': [0.75, 0.5]}
    """
    return history.pivot(index="month", columns="band", values="share").reindex(
        columns=list(BANDS), fill_value=0
    )


def band_history_takeaway(shares: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on :func:`band_shares`: the red share in the last month against the first.

    Examples
    --------
    >>> s = pd.DataFrame({"red": [0.25, 0.5]}, index=pd.Index(["2025-11", "2025-12"], name="month"))
    >>> band_history_takeaway(s)
    'The red band held 50% of scored customers in 2025-12, against 25% in 2025-11.'
    """
    red = shares["red"]
    return catalog.t(
        "figure.health_bands",
        lang,
        last=f"{float(red.iloc[-1]):.0%}",
        last_month=str(shares.index[-1]),
        first=f"{float(red.iloc[0]):.0%}",
        first_month=str(shares.index[0]),
    )


def plot_band_history(
    shares: pd.DataFrame, lang: str = "en", *, takeaway: str | None = None, ax: Any = None
) -> Any:
    """Stacked shares of red/amber/green customers by month, from :func:`band_shares`;
    returns the Axes.

    ``takeaway`` (the caption, :func:`band_history_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> s = pd.DataFrame({"red": [0.25, 0.5], "amber": [0.5, 0.25], "green": [0.25, 0.25]},
    ...     index=pd.Index(["2025-11", "2025-12"], name="month"))
    >>> fig, ax = plt.subplots()
    >>> plot_band_history(s, ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import STATUS_COLORS, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(7, 3.4))
    bottom = np.zeros(len(shares))
    for band in BANDS:
        label = catalog.t(f"survival.health.band.{band}", lang)
        ax.bar(shares.index, shares[band], bottom=bottom, color=STATUS_COLORS[band], label=label)
        bottom += shares[band].to_numpy()
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda y, _: f"{y:.0%}"))
    ax.set_title(catalog.t("survival.health.bands.title", lang))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), frameon=False)
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def health_headlines(check: Validation, scores: pd.DataFrame) -> Headlines:
    """The glued headline numbers of the health score (the landing page quotes them).

    ``churn_health_auc`` with its 95% interval (``_low``/``_high``) from the out-of-time
    validation, and ``churn_health_red_share``: the share of scored customers in the red band
    now.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "b"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-06-29", "2025-03-01"]), "amount": 10.0})
    >>> now = health_scores({"orders": o}, "2025-06-30")
    >>> check = Validation(pd.Timestamp("2025-03-31"), 90, 2, 1, 0.75, (0.5, 1.0), 1.0,
    ...     (0.5, 1.5), 1.0, (0.2, 1.0), pd.DataFrame(), pd.DataFrame())
    >>> dict(health_headlines(check, now))
    {'churn_health_auc': 0.75, 'churn_health_auc_low': 0.5, 'churn_health_auc_high': 1.0, 'churn_health_red_share': 0.5}
    """
    low, high = (round(b, 2) for b in check.auc_ci)
    red = round(float(scores["band"].eq("red").mean()), 3)
    out = [
        Headline("churn_health_auc", round(check.auc, 2), "ratio", low, high),
        Headline("churn_health_red_share", red, "share"),
    ]
    if not check.baselines.empty:  # the score against recency alone (same back-test)
        rec = check.baselines.set_index("score").loc["recency only"]
        gain = [round(float(rec[c]), 3) for c in ("auc_diff", "diff_low", "diff_high")]
        out += [
            Headline("churn_health_auc_recency", round(float(rec["auc"]), 2), "ratio"),
            Headline("churn_health_auc_gain", gain[0], "ratio", gain[1], gain[2]),
        ]
    return Headlines(out)
