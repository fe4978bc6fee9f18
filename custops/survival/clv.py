"""Customer value at risk: churn probability, survival-based CLV, early warnings, the priority list.

For every active customer (not churned at the period end) with time already survived t:

* churn probability within the horizon h: ``1 - S(t + h) / S(t)`` from the fitted Cox model
  (lifelines' ``conditional_after``);
* CLV: ``sum over months m = 1..H of S(t + m) / S(t) x monthly margin x (1 + r) ** (-m / 12)``
  where the monthly margin is the customer's monthly spend over the last 12 months (at
  least ``min_window_days`` observed) times ``cfg.clv.margin``;
* value at risk = churn probability x CLV.

The retention priority list ranks active customers by value at risk, names the largest
positive contributions to each customer's partial hazard (the drivers) and suggests a
playbook from the customer's segment (or value tier) and top driver. Early-warning flags are
computed from the clean tables: a complaint not resolved within ``contact_within_days``,
no interaction after the first repurchase, and a sharp drop in order frequency.

The BG/NBD + Gamma-Gamma CLV beside it is custops' own fit (:mod:`custops.survival.btyd`,
chapter 03's "Two views of customer value"); :func:`bgnbd_note` points there.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from custops.core.arrays import distinct_code_days
from custops.core.config import ClvConfig, Period, PrivacyConfig
from custops.core.errors import ConfigError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import holdout_flags
from custops.ingest.privacy import is_pseudonym
from custops.report import text as catalog
from custops.survival.churn import ChurnModel, label

__all__ = [
    "value_headlines",
    "DAYS_PER_MONTH",
    "PLAYBOOKS",
    "DRIVER_ACTIONS",
    "monthly_spend",
    "clv",
    "early_warnings",
    "top_drivers",
    "playbook",
    "churn_scores",
    "priority_list",
    "value_at_risk_interval",
    "value_at_risk_by",
    "bgnbd_note",
    "clv_text",
    "priority_text",
    "story_text",
    "plot_value_at_risk",
]

DAYS_PER_MONTH = 365.25 / 12
FLAGS = ("flag_complaint_no_followup", "flag_silent_after_repurchase", "flag_frequency_drop")

#: segment or tier keyword (lower case) -> playbook (the catalog key of its text); the first
#: keyword found in the name wins
PLAYBOOKS: dict[str, str] = {
    "champion": "survival.clv.playbook.vip",
    "loyal": "survival.clv.playbook.vip",
    "can't lose": "survival.clv.playbook.win_back",
    "cannot lose": "survival.clv.playbook.win_back",
    "at risk": "survival.clv.playbook.win_back",
    "new": "survival.clv.playbook.onboarding",
    "promising": "survival.clv.playbook.onboarding",
    "potential": "survival.clv.playbook.grow",
    "attention": "survival.clv.playbook.re_engage",
    "sleep": "survival.clv.playbook.reactivation",
    "hibernat": "survival.clv.playbook.reactivation",
    "lost": "survival.clv.playbook.reactivation",
    "a": "survival.clv.playbook.tier_a",
    "b": "survival.clv.playbook.tier_b",
    "c": "survival.clv.playbook.tier_c",
    "d": "survival.clv.playbook.tier_d",
}

#: the action that comes first when a driver or warning is present (the catalog key of its text)
DRIVER_ACTIONS: dict[str, str] = {
    "unresolved_complaint": "survival.clv.action.close_complaint",
    "flag_complaint_no_followup": "survival.clv.action.close_complaint",
    "slow_first_response": "survival.clv.action.priority_queue",
    "app_bound": "survival.clv.action.bind_app",
    "flag_frequency_drop": "survival.clv.action.ask_why",
    "flag_silent_after_repurchase": "survival.clv.action.follow_up",
}

#: drivers whose low side has a name of its own (``survival.clv.negative.<driver>``)
_NEGATIVE = ("app_bound", "slow_first_response", "unresolved_complaint")


def _money(value: float, currency: str) -> str:
    """``CNY 612.2k``-style money.

    Examples
    --------
    >>> _money(612_232, "CNY"), _money(7_753_004, ""), _money(950, "CNY")
    ('CNY 612.2k', '7.75M', 'CNY 950')
    """
    if not np.isfinite(value):
        return "–"
    prefix = f"{currency} " if currency else ""
    if abs(value) >= 1e6:
        return f"{prefix}{value / 1e6:,.2f}M"
    if abs(value) >= 1e4:
        return f"{prefix}{value / 1e3:,.1f}k"
    return f"{prefix}{value:,.0f}"


# --------------------------------------------------------------------------- value


def monthly_spend(surv: pd.DataFrame, *, min_window_days: int = 30) -> pd.Series:
    """Monthly spend rate over the last 12 months: revenue_365d / observed days x days per month.

    The observed span is the customer's tenure, capped at 365 and at least ``min_window_days``
    (a week-old customer's one order is not a monthly rate of 4 orders).

    Examples
    --------
    >>> s = pd.DataFrame({"revenue_365d": [1200.0, 300.0], "tenure_days": [700, 10]})
    >>> monthly_spend(s).round(1).tolist()
    [100.1, 304.4]
    """
    days = surv["tenure_days"].astype(float).clip(lower=min_window_days, upper=365.0)
    return (surv["revenue_365d"].astype(float).fillna(0.0) / days * DAYS_PER_MONTH).rename(
        "monthly_spend"
    )


def clv(
    model: ChurnModel,
    active: pd.DataFrame,
    config: ClvConfig | None = None,
    *,
    spend: pd.Series | None = None,
) -> pd.DataFrame:
    """Survival-based expected remaining margin of active customers.

    ``sum_{m=1..H} S(t + m months | x) / S(t | x) x spend x margin x (1 + r) ** (-m / 12)``.

    Parameters
    ----------
    model : ChurnModel
        Fitted.
    active : DataFrame
        Survival table rows of customers still active (``event == 0``).
    config : ClvConfig, optional
        Margin, annual discount rate, horizon in months.
    spend : Series, optional
        Monthly spend per customer (default :func:`monthly_spend`).

    Returns
    -------
    DataFrame
        ``monthly_spend``, ``expected_months`` (survival-weighted months in the horizon),
        ``clv``; same index as ``active``.

    Examples
    --------
    >>> clv(model, active, ClvConfig())  # doctest: +SKIP
    """
    config = config or ClvConfig()
    spend = monthly_spend(active) if spend is None else spend
    months = np.arange(1, config.horizon_months + 1)
    s = model.survival_at(active, list(months * DAYS_PER_MONTH), conditional=True).to_numpy()
    discount = (1.0 + config.annual_discount_rate) ** (-months / 12.0)
    value = s @ discount * spend.to_numpy() * config.margin
    return pd.DataFrame(
        {
            "monthly_spend": spend.to_numpy(),
            "expected_months": s.sum(axis=1),
            "clv": value,
        },
        index=active.index,
    )


def value_at_risk_interval(
    model: ChurnModel,
    surv: pd.DataFrame,
    horizon_days: int,
    config: ClvConfig | None = None,
    *,
    n_boot: int = 10,
    max_active: int = 20_000,
) -> dict[str, float]:
    """95% intervals of total value at risk, expected churners and total CLV: model uncertainty.

    What is resampled: the customers the Cox model was fitted on (``model.data_``, rows
    drawn with replacement, seed ``model.random_state``); the model is refitted on each of
    ``n_boot`` resamples (same design, strata and penalizer), which re-estimates its
    coefficients and baseline hazard. What is held fixed: the active customers being scored
    (their covariates, time survived and monthly spend) and the CLV settings (margin,
    discount rate, horizon). Churn probability and CLV are recomputed on the active
    customers with each refit (a seeded sample of ``max_active`` of them, scaled up, when
    there are more).

    The estimate is the plug-in one (the fitted model on every active customer: the
    figure of :func:`churn_scores`), and the interval is centred on it:
    estimate +/- 1.96 bootstrap standard deviations (a normal bootstrap interval, suited
    to the few resamples a report can afford). So the estimate lies inside its interval
    by construction; the bootstrap median is returned beside it, and a median far from the
    estimate (more than half the half-width) says the distribution is skewed and the
    normal interval is rough.

    Returns
    -------
    dict
        ``var_estimate``, ``var_low``, ``var_high``, ``var_boot_median``, ``var_boot_sd``,
        the same for ``churners_*`` and ``clv_*`` (the total CLV of the active customers),
        ``n_boot`` (resamples that converged) and ``n_active``.
    """
    import copy

    from custops.survival.coxfit import CoxPHFitter

    config = config or ClvConfig()
    rng = np.random.default_rng(model.random_state)
    active = surv[surv["event"] == 0]
    n_active = len(active)
    plug_p = model.churn_probability(active, horizon_days) if n_active else pd.Series(dtype=float)
    plug_value = clv(model, active, config)["clv"] if n_active else pd.Series(dtype=float)
    plug_var = float((plug_p * plug_value).sum())
    plug_churners = float(plug_p.sum())
    plug_clv = float(plug_value.sum())
    scale = 1.0
    if len(active) > max_active:
        scale = len(active) / max_active
        active = active.sample(max_active, random_state=model.random_state)
    data = model.data_
    totals, churners, clv_totals = [], [], []
    for _ in range(n_boot):
        sample = data.iloc[rng.integers(0, len(data), len(data))].reset_index(drop=True)
        try:
            fitted = CoxPHFitter(penalizer=model.penalizer_).fit(
                sample, "duration_days", "event", strata=model.strata_ or None
            )
        except Exception:  # a resample that does not converge is skipped
            continue
        boot = copy.copy(model)
        boot.model_ = fitted
        try:
            p = boot.churn_probability(active, horizon_days)
        except Exception:  # a stratum missing from the resample
            continue
        value = clv(boot, active, config)["clv"]
        totals.append(float((p * value).sum()) * scale)
        churners.append(float(p.sum()) * scale)
        clv_totals.append(float(value.sum()) * scale)
    out: dict[str, float] = {"n_boot": len(totals), "n_active": n_active}
    for name, plug, draws in (
        ("var", plug_var, totals),
        ("churners", plug_churners, churners),
        ("clv", plug_clv, clv_totals),
    ):
        sd = float(np.std(draws, ddof=1)) if len(draws) >= 2 else math.nan
        out[f"{name}_estimate"] = plug
        out[f"{name}_low"] = plug - 1.96 * sd
        out[f"{name}_high"] = plug + 1.96 * sd
        out[f"{name}_boot_median"] = float(np.median(draws)) if draws else math.nan
        out[f"{name}_boot_sd"] = sd
    return out


# --------------------------------------------------------------------------- early warnings


def early_warnings(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    *,
    contact_within_days: int = 7,
    silent_min_days: int = 30,
    recent_days: int = 90,
    drop_ratio: float = 0.5,
    min_expected_orders: float = 1.0,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Early-warning flags per customer as of the period end, from the clean tables.

    * ``flag_complaint_no_followup``: a complaint ticket (category containing "complain"
      or 投诉) opened at least ``contact_within_days`` before the period end and not
      resolved within that many days (a reply alone does not close it);
    * ``flag_silent_after_repurchase``: the customer repurchased (a second purchase day) at
      least ``silent_min_days`` before the end and since then nothing happened: no order,
      no ticket reply, no marketing touch;
    * ``flag_frequency_drop``: orders in the last ``recent_days`` are at most
      ``drop_ratio`` x the number expected from the previous 12 months' rate, where at least
      ``min_expected_orders`` were expected.

    ``index``: the :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built
    here when omitted), shared with the health score and the paths.

    Returns
    -------
    DataFrame
        ``customer_id`` and the three boolean flags, one row per customer with orders.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a"] * 6 + ["b"] * 2, "order_id": list("12345678"),
    ...     "order_date": pd.to_datetime(["2025-01-05", "2025-02-05", "2025-03-05", "2025-04-05",
    ...                                   "2025-05-05", "2025-06-05", "2025-01-01", "2025-02-01"])})
    >>> t = pd.DataFrame({"ticket_id": ["t1"], "customer_id": ["b"], "created_at": pd.to_datetime(["2025-03-01"]),
    ...     "first_response_at": pd.to_datetime(["2025-03-02"]), "resolved_at": [pd.NaT], "category": ["complaint"]})
    >>> early_warnings({"orders": o, "tickets": t}, "2025Q4").set_index("customer_id").astype(int).values.tolist()
    [[0, 0, 1], [1, 0, 0]]
    """
    period = Period.parse(period)
    end = pd.Timestamp(period.end_exclusive)
    orders = tables["orders"]
    # integer customer codes shared with the health score and the paths (one factorisation
    # of the 20M order rows per notebook); customers in order of first appearance
    ix = order_index_of(orders, index)
    all_codes, labels, unique_orders = ix.codes, ix.labels, ix.ids_unique
    seen = np.flatnonzero((pd.to_datetime(orders["order_date"]) < end).to_numpy())
    row_code = all_codes[seen]
    missing = row_code < 0
    if missing.any():  # a missing customer id is one more customer, as in unique()
        labels = np.append(labels, np.nan)
        row_code = np.where(missing, len(labels) - 1, row_code)
    first_row = np.full(len(labels), len(seen))
    np.minimum.at(first_row, row_code, np.arange(len(seen)))
    present = np.argsort(first_row, kind="stable")[: int((first_row < len(seen)).sum())]
    position = np.full(len(labels), -1)
    position[present] = np.arange(len(present))
    codes = position[row_code]  # codes index ``ids``
    day = pd.to_datetime(orders["order_date"]).to_numpy()[seen].astype("datetime64[D]")
    ids = pd.Index(labels[present], name="customer_id")

    def per_customer(frame: pd.DataFrame) -> np.ndarray:
        """Positions in ``ids`` of a table's rows (-1: not a customer with orders by the end)."""
        c = ix.codes_of(frame)
        return np.where(c >= 0, position[np.maximum(c, 0)], -1)

    def latest(values: pd.Series, where: np.ndarray, pos: np.ndarray) -> pd.Series:
        """Per customer of ``ids``: the latest of ``values`` at rows ``where`` (NaT: none)."""
        v = pd.to_datetime(values).to_numpy(dtype="datetime64[ns]")
        ok = where & (pos >= 0) & ~np.isnat(v)
        top = np.full(len(ids), np.iinfo(np.int64).min)
        np.maximum.at(top, pos[ok], v[ok].astype(np.int64))
        top_v = np.where(top == np.iinfo(np.int64).min, np.datetime64("NaT"), top.view("M8[ns]"))
        return pd.Series(top_v, index=ids, dtype="datetime64[ns]")

    out = pd.DataFrame(index=ids)
    # 1. complaint not resolved within the contact window
    tickets = tables.get("tickets")
    flag1 = pd.Series(False, index=ids)
    replies = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if tickets is not None and len(tickets):
        in_t = (pd.to_datetime(tickets["created_at"]) < end).to_numpy()
        t = tickets[in_t].copy()
        created = pd.to_datetime(t["created_at"])
        due = created + pd.Timedelta(days=contact_within_days)
        category = (
            t["category"].astype("string").str.lower()
            if "category" in t
            else pd.Series("", index=t.index, dtype="string")
        )
        complaint = category.str.contains("complain|投诉", na=False)
        resolved = (
            pd.to_datetime(t["resolved_at"])
            if "resolved_at" in t
            else pd.Series(pd.NaT, index=t.index)
        )
        late = complaint & (due < end) & (resolved.isna() | (resolved > due))
        pos = per_customer(tickets)[in_t]
        hit = late.to_numpy(dtype=bool) & (pos >= 0)
        flag1 = pd.Series(np.bincount(pos[hit], minlength=len(ids)) > 0, index=ids, dtype=bool)
        if "first_response_at" in t:
            reply = pd.to_datetime(t["first_response_at"])
            replies = latest(reply, (reply < end).to_numpy(), pos)
    out["flag_complaint_no_followup"] = flag1
    # 2. silent since the first repurchase (integer codes and one sort: 20M orders at 1M
    # customers; the drop_duplicates + sort on text ids was the slow part of notebook 03)
    pair_code, pair_day = distinct_code_days(codes, day)
    first = np.r_[True, pair_code[1:] != pair_code[:-1]] if len(pair_code) else np.zeros(0, bool)
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(pair_code)), 0))
    second = (np.arange(len(pair_code)) - group_start) == 1
    last = np.r_[pair_code[1:] != pair_code[:-1], True] if len(pair_code) else np.zeros(0, bool)
    as_day = lambda d: d.astype("datetime64[D]").astype("datetime64[ns]")  # noqa: E731
    repurchase = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    repurchase.iloc[pair_code[second]] = as_day(pair_day[second])
    last_order = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    last_order.iloc[pair_code[last]] = as_day(pair_day[last])
    touches = tables.get("touches")
    last_touch = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if touches is not None and len(touches):
        sent = pd.to_datetime(touches["sent_at"])
        last_touch = latest(sent, (sent < end).to_numpy(), per_customer(touches))
    latest_other = pd.concat([replies, last_touch], axis=1).max(axis=1)
    old_enough = repurchase <= end - pd.Timedelta(days=silent_min_days)
    nothing_after = (last_order <= repurchase) & (
        latest_other.isna() | (latest_other.dt.normalize() <= repurchase)
    )
    out["flag_silent_after_repurchase"] = (old_enough & nothing_after).fillna(False).astype(bool)
    # 3. frequency drop: last `recent_days` vs the previous 12 months' rate
    cut = end - pd.Timedelta(days=recent_days)
    before = cut - pd.Timedelta(days=365)
    if unique_orders:  # one row per order: every row is the first line of its order
        first_line = np.arange(len(seen))
    else:
        order_codes, order_ids = pd.factorize(
            orders["order_id"].to_numpy()[seen], use_na_sentinel=False
        )
        _, first_line = np.unique(
            codes.astype(np.int64) * max(len(order_ids), 1) + order_codes, return_index=True
        )  # the first line of each (customer, order), as drop_duplicates keeps
    line_day = day[first_line]
    line_code = codes[first_line]
    in_recent = line_day >= np.datetime64(cut)
    in_prior = (line_day >= np.datetime64(before)) & ~in_recent
    recent = pd.Series(np.bincount(line_code[in_recent], minlength=len(ids)), index=ids)
    prior = pd.Series(np.bincount(line_code[in_prior], minlength=len(ids)), index=ids)
    expected = prior * recent_days / 365.0
    out["flag_frequency_drop"] = (expected >= min_expected_orders) & (
        recent <= drop_ratio * expected
    )
    return out.reset_index()


# --------------------------------------------------------------------------- drivers and playbooks


def top_drivers(
    contributions: pd.DataFrame,
    values: pd.DataFrame,
    hazard_ratios: pd.DataFrame,
    *,
    k: int = 3,
    min_contribution: float = 0.05,
    lang: str = "en",
) -> pd.DataFrame:
    """The largest positive contributions to each customer's partial hazard, named.

    Only covariates whose hazard ratio is significant (95% CI excludes 1) count. A binary
    covariate at 0 that raises the risk is named in the negative ("not APP bound").

    Parameters
    ----------
    contributions : DataFrame
        From :meth:`ChurnModel.contributions`.
    values : DataFrame
        The design values of the same rows (``ChurnModel.frame``).
    hazard_ratios : DataFrame
        From :meth:`ChurnModel.hazard_ratios`.
    k : int
    min_contribution : float
        Smaller log-hazard contributions are not named.
    lang : {"en", "zh"}

    Returns
    -------
    DataFrame
        ``top_driver`` (design column of the largest, or empty) and ``drivers`` (labels joined by "; ").

    Examples
    --------
    >>> c = pd.DataFrame({"app_bound": [0.3, -0.2], "unresolved_complaint": [0.5, -0.1]})
    >>> v = pd.DataFrame({"app_bound": [0.0, 1.0], "unresolved_complaint": [1.0, 0.0]})
    >>> hr = pd.DataFrame({"covariate": ["app_bound", "unresolved_complaint"], "hr_low": [0.5, 1.5], "hr_high": [0.7, 2.5]})
    >>> top_drivers(c, v, hr).to_dict("records")
    [{'top_driver': 'unresolved_complaint', 'drivers': 'unresolved complaint; not APP bound'}, {'top_driver': '', 'drivers': ''}]
    """
    hr = hazard_ratios.set_index("covariate")
    significant = [
        c
        for c in contributions.columns
        if c in hr.index and not (hr.loc[c, "hr_low"] <= 1 <= hr.loc[c, "hr_high"])
    ]
    c = contributions[significant]
    if c.empty:
        return pd.DataFrame({"top_driver": "", "drivers": ""}, index=contributions.index)
    binary = {col: set(np.unique(values[col].dropna())) <= {0.0, 1.0} for col in significant}
    names: dict[tuple[str, bool], str] = {}
    for col in significant:
        names[(col, True)] = label(col, lang)
        if col in _NEGATIVE:
            names[(col, False)] = catalog.t(f"survival.clv.negative.{col}", lang)
        elif binary[col]:
            names[(col, False)] = catalog.t(
                "survival.clv.driver.absent", lang, label=label(col, lang)
            )
        else:
            names[(col, False)] = catalog.t("survival.clv.driver.low", lang, label=label(col, lang))
    arr = c.to_numpy()
    vals = values[significant].to_numpy()
    order = np.argsort(-arr, axis=1)[:, :k]
    tops, texts = [], []
    for i in range(len(c)):
        picked = []
        for j in order[i]:
            if arr[i, j] < min_contribution:
                break
            col = significant[j]
            if "=" in col and vals[i, j] == 0:
                continue  # "not in this channel" is not a reason
            # a positive contribution is a high value when the hazard ratio is above 1
            high = bool(vals[i, j] == 1) if binary[col] else bool(hr.loc[col, "hr_low"] > 1)
            picked.append((col, names[(col, high)]))
        tops.append(picked[0][0] if picked else "")
        texts.append("; ".join(p[1] for p in picked))
    return pd.DataFrame({"top_driver": tops, "drivers": texts}, index=contributions.index)


def playbook(
    group: pd.Series,
    top_driver: pd.Series,
    flags: pd.DataFrame | None = None,
    *,
    lang: str = "en",
    playbooks: Mapping[str, str] = PLAYBOOKS,
    driver_actions: Mapping[str, str] = DRIVER_ACTIONS,
) -> pd.Series:
    """Suggested playbook: the first action for the top driver or warning, then the segment's play.

    ``group`` is the segment name (or value tier). A named RFM segment gets notebook 02's
    action (``custops.segments.segmentation.SEGMENT_ACTIONS``); otherwise the playbook is the first key of
    ``playbooks`` contained in the lower-cased name (exact match for one-letter tier keys).

    Examples
    --------
    >>> playbook(pd.Series(["At Risk", "A"]), pd.Series(["unresolved_complaint", ""])).tolist()
    ['First close the open complaint (call within 48 h), then: Win-back now: personal outreach with a tailored offer', 'Account manager call within a week']
    """

    segment_actions = _segment_actions()

    def segment_play(name: Any) -> str:
        action = segment_actions.get(str(name))
        if action:
            return action.get(lang, action["en"])
        text = str(name).strip().lower()
        for key, play in playbooks.items():
            if (len(key) == 1 and text == key) or (len(key) > 1 and key in text):
                return catalog.t(play, lang)
        return catalog.t(playbooks.get("d", "survival.clv.playbook.tier_d"), lang)

    first = top_driver.astype(str).copy()
    if flags is not None:
        for flag in (
            "flag_complaint_no_followup",
            "flag_frequency_drop",
            "flag_silent_after_repurchase",
        ):
            if flag in flags:
                first = first.where(~((first == "") & flags[flag].astype(bool)), flag)

    def text_of(g: Any, d: str) -> str:
        play = segment_play(g)
        action = driver_actions.get(d)
        if action:
            return catalog.t(
                "survival.clv.first_then", lang, action=catalog.t(action, lang), play=play
            )
        return play

    # one text per distinct (group, first action) pair, mapped back by code (1M customers
    # share a few dozen pairs)
    pairs = pd.MultiIndex.from_arrays(  # segment_play reads str(name): NaN is "nan"
        [pd.Series(group).astype(str).to_numpy(), first.to_numpy()]
    )
    codes, uniques = pd.factorize(pairs)
    texts = np.array([text_of(g, d) for g, d in uniques], dtype=object)
    out = texts[codes] if len(codes) else np.array([], dtype=object)
    return pd.Series(out, index=group.index, name="playbook", dtype=object)


def _segment_actions() -> Mapping[str, Mapping[str, str]]:
    """Notebook 02's suggested action per named RFM segment (``custops.segments.segmentation.SEGMENT_ACTIONS``)."""
    try:
        from custops.segments.segmentation import SEGMENT_ACTIONS
    except ImportError:  # the segmentation module is optional for this chapter
        return {}
    return SEGMENT_ACTIONS


# --------------------------------------------------------------------------- artifacts


def churn_scores(
    model: ChurnModel,
    surv: pd.DataFrame,
    *,
    horizon_days: int,
    clv_config: ClvConfig | None = None,
    warnings: pd.DataFrame | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The ``churn_scores.parquet`` artifact: one row per customer of the survival table.

    Columns: ``customer_id, duration_days, event, churn_prob_<h>d, clv, value_at_risk,
    partial_hazard``, ``monthly_spend``, ``beyond_follow_up`` (the horizon passes the longest
    lifetime observed in the customer's stratum, so the probability is a lower bound),
    the early-warning flags, ``top_driver``, ``drivers`` and the grouping columns
    ``segment``/``tier`` when present. Probability, CLV and value at risk are NaN for
    churned customers.
    """
    prob_col = f"churn_prob_{horizon_days}d"
    out = surv[["customer_id", "duration_days", "event"]].copy()
    out["partial_hazard"] = model.model_.predict_partial_hazard(model.frame(surv)).to_numpy()
    active = surv[surv["event"] == 0]
    out[prob_col] = np.nan
    out["clv"] = np.nan
    out["monthly_spend"] = np.nan
    if len(active):
        out.loc[active.index, prob_col] = model.churn_probability(active, horizon_days)
        value = clv(model, active, clv_config)
        out.loc[active.index, "clv"] = value["clv"]
        out.loc[active.index, "monthly_spend"] = value["monthly_spend"]
    out["value_at_risk"] = out[prob_col] * out["clv"]
    out["beyond_follow_up"] = (
        (surv["duration_days"] + horizon_days > model.max_follow_up(surv)) & (surv["event"] == 0)
    ).to_numpy()
    if warnings is not None:
        flags = warnings.set_index("customer_id")
        for flag in FLAGS:
            if flag in flags:
                out[flag] = out["customer_id"].map(flags[flag]).fillna(False).astype(bool)
    drivers = top_drivers(
        model.contributions(surv),
        model.frame(surv)[model.columns_],
        model.hazard_ratios(lang),
        lang=lang,
    )
    out["top_driver"] = drivers["top_driver"].to_numpy()
    out["drivers"] = drivers["drivers"].to_numpy()
    for column in ("segment", "tier"):
        if column in surv:
            out[column] = surv[column].to_numpy()
    return out.reset_index(drop=True)


def _warning_texts(flags: pd.DataFrame, lang: str) -> np.ndarray:
    """The raised flags of each row as labels joined by "; " (one text per combination)."""
    labels = [catalog.t(f"survival.clv.flag.{f}", lang) for f in flags.columns]
    bits = np.zeros(len(flags), dtype=np.int64)
    for i, f in enumerate(flags.columns):
        bits |= flags[f].fillna(False).to_numpy(dtype=bool).astype(np.int64) << i
    combos = np.array(
        [
            "; ".join(lab for i, lab in enumerate(labels) if k >> i & 1)
            for k in range(2 ** len(labels))
        ],
        dtype=object,
    )
    return combos[bits]


def priority_list(
    scores: pd.DataFrame,
    *,
    horizon_days: int,
    privacy: PrivacyConfig | None = None,
    lang: str = "en",
    playbooks: Mapping[str, str] = PLAYBOOKS,
    holdout_share: float = 0.0,
    seed: int = 0,
    period: Period | str | None = None,
) -> pd.DataFrame:
    """The ``retention_priority.csv`` artifact: active customers ranked by value at risk.

    ``holdout`` marks a seeded random control group (about ``holdout_share`` of the list,
    :func:`custops.core.stats.holdout_flags` with ``seed`` and the ``period`` label): its
    playbook reads "Do not contact", so the next report can measure what the outreach did
    (chapter 05, :mod:`custops.review.forecast`). Chapter 03 passes
    ``review.retention_holdout_share`` (default 0.10) and the config's seed.

    No personal data: the customer id, numbers, drivers, warnings and the playbook. With
    ``privacy.pseudonymize_ids`` the ids are already the keyed pseudonyms cleaning gave
    every table (:func:`custops.ingest.privacy.pseudonymize_result`, the one pseudonymiser),
    so the list joins the clean tables and the CRM export; they are not hashed again.

    Raises
    ------
    ConfigError
        When pseudonymization is on but the ids are not pseudonyms (tables that did not go
        through cleaning with this config).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "event": [0, 0], "churn_prob_90d": [0.2, 0.5],
    ...     "clv": [100.0, 50.0], "value_at_risk": [20.0, 25.0], "top_driver": ["", "app_bound"],
    ...     "drivers": ["", "not APP bound"], "tier": ["A", "C"]})
    >>> priority_list(s, horizon_days=90)[["rank", "customer", "playbook"]].values.tolist()
    [[1, 'b', 'First invite to bind the APP (coupon), then: Targeted offer on favourite categories'], [2, 'a', 'Account manager call within a week']]
    >>> priority_list(s, horizon_days=90, holdout_share=0.5, seed=3, period="2025Q3")[
    ...     ["customer", "holdout", "playbook"]].values.tolist()[0]
    ['b', True, 'Do not contact: control group of the retention outreach (review.retention_holdout_share)']
    """
    privacy = privacy or PrivacyConfig()
    prob_col = f"churn_prob_{horizon_days}d"
    active = scores[scores["event"] == 0].copy()
    active = active.sort_values(["value_at_risk", "customer_id"], ascending=[False, True])
    group = active["segment"] if "segment" in active else active.get("tier")
    if group is None:
        group = pd.Series("", index=active.index)
    flags = active[[f for f in FLAGS if f in active]]
    plays = playbook(
        group.fillna(active.get("tier", "")),
        active["top_driver"].fillna(""),
        flags,
        lang=lang,
        playbooks=playbooks,
    )
    ids = active["customer_id"].astype(str)
    if privacy.pseudonymize_ids and not is_pseudonym(ids).all():
        raise ConfigError(
            "privacy.pseudonymize_ids is on, but the scores hold customer ids that are not "
            f"pseudonyms (e.g. {ids[~is_pseudonym(ids)].iloc[0][:3]}…).",
            cause="The tables were not cleaned with this config (cleaning pseudonymises the ids).",
            fix="Run notebook 01 (or `custops run`) with this config, then this chapter.",
        )
    warn = _warning_texts(flags, lang)
    held = holdout_flags(
        ids, holdout_share, seed=seed, salt="" if period is None else Period.parse(period).label
    )
    plays = pd.Series(
        np.where(held, catalog.t("survival.clv.holdout", lang), plays.to_numpy()), index=plays.index
    )
    out = pd.DataFrame(
        {
            "rank": np.arange(1, len(active) + 1),
            "customer": ids.to_numpy(),
            "segment": group.to_numpy(),
            prob_col: active[prob_col].to_numpy(),
            "clv": active["clv"].to_numpy(),
            "value_at_risk": active["value_at_risk"].to_numpy(),
            "drivers": active["drivers"].to_numpy(),
            "warnings": warn,
            "playbook": plays.to_numpy(),
            "holdout": held,
        }
    )
    if "tier" in active and "segment" in active:
        out.insert(3, "tier", active["tier"].to_numpy())
    # the BTYD columns of chapter 03's "Two views of customer value", when present
    for column in active.columns:
        if column in ("p_alive", "clv_btyd") or column.startswith("expected_purchases_"):
            out[column] = active[column].to_numpy()
    return out


def value_at_risk_by(scores: pd.DataFrame, column: str) -> pd.DataFrame:
    """Value at risk and customers per group of active customers (for a chart).

    Examples
    --------
    >>> s = pd.DataFrame({"event": [0, 0, 1], "tier": ["A", "B", "A"], "value_at_risk": [5.0, 1.0, None]})
    >>> value_at_risk_by(s, "tier").to_dict("records")
    [{'tier': 'A', 'customers': 1, 'value_at_risk': 5.0, 'share': 0.8333333333333334}, {'tier': 'B', 'customers': 1, 'value_at_risk': 1.0, 'share': 0.16666666666666666}]
    """
    active = scores[scores["event"] == 0]
    out = (
        active.groupby(column)
        .agg(customers=("value_at_risk", "size"), value_at_risk=("value_at_risk", "sum"))
        .reset_index()
        .sort_values("value_at_risk", ascending=False, kind="stable")
    )
    out["share"] = out["value_at_risk"] / out["value_at_risk"].sum()
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- words


def bgnbd_note(lang: str = "en") -> str:
    """Where the BG/NBD + Gamma-Gamma comparison of this chapter is, in words.

    Examples
    --------
    >>> bgnbd_note("en").startswith(("A BG/NBD", "`pymc_marketing`"))
    True
    """
    present = importlib.util.find_spec("pymc_marketing") is not None
    return catalog.t(
        "survival.clv.bgnbd.present" if present else "survival.clv.bgnbd.missing", lang
    )


def clv_text(
    scores: pd.DataFrame,
    *,
    horizon_days: int,
    config: ClvConfig,
    interval: Mapping[str, float],
    currency: str = "",
    lang: str = "en",
) -> str:
    """CLV, expected churners and value at risk in words (with the bootstrap interval)."""
    active = scores[scores["event"] == 0]
    prob_col = f"churn_prob_{horizon_days}d"
    text = catalog.t(
        "survival.clv.clv",
        lang,
        n=len(active),
        total=_money(float(active["clv"].sum()), currency),
        clv_low=_money(interval.get("clv_low", math.nan), currency),
        clv_high=_money(interval.get("clv_high", math.nan), currency),
        months=config.horizon_months,
        margin=config.margin,
        rate=config.annual_discount_rate,
        churners=float(active[prob_col].sum()),
        horizon=horizon_days,
        var=_money(float(active["value_at_risk"].sum()), currency),
        low=_money(interval.get("var_low", math.nan), currency),
        high=_money(interval.get("var_high", math.nan), currency),
        median=_money(interval.get("var_boot_median", math.nan), currency),
    )
    if "n_boot" in interval:
        text += catalog.t("survival.clv.var_method", lang, n_boot=int(interval["n_boot"]))
    beyond = int(active.get("beyond_follow_up", pd.Series(dtype=bool)).sum())
    if beyond:
        text += catalog.t("survival.clv.follow_up", lang, n=beyond)
    return text


def flags_text(scores: pd.DataFrame, *, contact_within_days: int = 7, lang: str = "en") -> str:
    """How many active customers carry each early-warning flag.

    Examples
    --------
    >>> s = pd.DataFrame({"event": [0, 0], "flag_complaint_no_followup": [True, False],
    ...     "flag_silent_after_repurchase": [False, False], "flag_frequency_drop": [True, True]})
    >>> flags_text(s)[:40]
    'Early warnings among active customers: *'
    """
    active = scores[scores["event"] == 0]

    def count(flag: str) -> int:
        return int(active[flag].sum()) if flag in active else 0

    return catalog.t(
        "survival.clv.flags",
        lang,
        a=count(FLAGS[0]),
        b=count(FLAGS[1]),
        c=count(FLAGS[2]),
        days=contact_within_days,
    )


def priority_text(
    priority: pd.DataFrame, *, top: int = 100, pseudonymized: bool = False, lang: str = "en"
) -> str:
    """What the priority list is and how concentrated the value at risk is."""
    head = priority.head(top)
    total = float(priority["value_at_risk"].sum())
    drivers = head["drivers"].fillna("").str.split("; ").str[0]
    drivers = drivers[drivers != ""]
    text = catalog.t(
        "survival.clv.priority",
        lang,
        n=len(priority),
        top=min(top, len(priority)),
        share=float(head["value_at_risk"].sum()) / total if total else 0.0,
        flagged=int((head["warnings"].fillna("") != "").sum()),
        driver=drivers.mode().iat[0] if len(drivers) else "–",
        ids=catalog.t("survival.clv.ids.hashed" if pseudonymized else "survival.clv.ids.raw", lang),
    )
    if "holdout" in priority and priority["holdout"].any():
        note = catalog.t("survival.clv.holdout_note", lang, n=int(priority["holdout"].sum()))
        text += catalog.t("survival.clv.then", lang, text=note)
    return text


def story_text(
    km_overall: pd.DataFrame, hazard_ratios: pd.DataFrame, *, inactivity_days: int, lang: str = "en"
) -> str:
    """The chapter's plain-language narrative: who leaves, when, why, and what the list is for."""
    row = km_overall.iloc[0]
    hr = hazard_ratios.set_index("covariate")["hr"]
    median = row["median_days"]
    return catalog.t(
        "survival.clv.story",
        lang,
        days=inactivity_days,
        c365=1 - row.get("survival_365d", math.nan),
        median=f"{median:,.0f}" if np.isfinite(median) else ("–"),
        hr_u=float(hr.get("unresolved_complaint", math.nan)),
        hr_s=float(hr.get("slow_first_response", math.nan)),
        hr_a=float(hr.get("app_bound", math.nan)),
    )


def plot_value_at_risk(
    table: pd.DataFrame,
    column: str,
    *,
    title: str,
    currency: str = "",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Horizontal bars of value at risk per group, from :func:`value_at_risk_by`, each bar
    labelled with its amount; returns the Axes.

    ``takeaway`` (the caption, :func:`value_at_risk_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> t = pd.DataFrame({"tier": ["gold", "silver"], "value_at_risk": [6000.0, 2000.0]})
    >>> fig, ax = plt.subplots()
    >>> plot_value_at_risk(t, "tier", title="t", ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import PALETTE, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots()
    sns.barplot(data=table, y=column, x="value_at_risk", ax=ax, color=PALETTE[0], orient="h")
    ax.set_title(title)
    ax.set_xlabel(currency)
    ax.set_ylabel("")
    for container in ax.containers:
        ax.bar_label(
            container, labels=[f"{v:,.0f}" for v in container.datavalues], padding=2, fontsize=9
        )
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def value_at_risk_figure(ctx: Any, scores: pd.DataFrame, has_segments: bool) -> Any:
    """Value at risk by segment (or value tier when there are no segments), titled for the
    period; returns the Axes."""
    column = "segment" if has_segments else "tier"
    lang = ctx.language
    title = catalog.t(f"survival.clv.var_title.{column}", lang, period=ctx.period.label)
    by_group = value_at_risk_by(scores, column)
    return plot_value_at_risk(
        by_group,
        column,
        title=title,
        currency=ctx.cfg.currency,
        takeaway=value_at_risk_takeaway(by_group, column, lang, ctx.cfg.currency),
    )


def value_at_risk_takeaway(
    table: pd.DataFrame, column: str, lang: str = "en", currency: str = ""
) -> str:
    """One sentence on :func:`value_at_risk_by`: the group holding the most value at risk.

    Examples
    --------
    >>> t = pd.DataFrame({"tier": ["gold", "silver"], "customers": [3, 9],
    ...     "value_at_risk": [6000.0, 2000.0], "share": [0.75, 0.25]})
    >>> value_at_risk_takeaway(t, "tier", currency="CNY")
    'gold hold the most value at risk: CNY 6.00k, 75% of the total.'
    """
    from custops.report.labels import value_label
    from custops.report.notebook import fmt_money
    from custops.segments.segmentation import label as segment_label

    rows = table[table["value_at_risk"].astype(float) > 0]
    if rows.empty:
        return catalog.t("figure.no_data", lang)
    top = rows.loc[rows["value_at_risk"].astype(float).idxmax()]
    total = float(rows["value_at_risk"].sum())
    return catalog.t(
        "figure.value_at_risk",
        lang,
        group=value_label(segment_label(str(top[column]), lang), lang),
        amount=fmt_money(float(top["value_at_risk"]), currency),
        share=f"{float(top['value_at_risk']) / total:.0%}",
    )


def value_headlines(scores: pd.DataFrame, interval: dict, horizon_days: int) -> Headlines:
    """The glued headline numbers of the value-at-risk section (the landing page quotes them).

    Over the active customers (``event == 0``) of :func:`churn_scores`: the value at risk
    (``churn_value_at_risk_total`` with the bootstrap interval of
    :func:`value_at_risk_interval` as ``_low``/``_high``), the expected churners within
    ``horizon_days`` and the total CLV.

    Examples
    --------
    >>> s = pd.DataFrame({"event": [0, 0, 1], "value_at_risk": [10.0, 5.0, 99.0],
    ...     "churn_prob_365d": [0.5, 0.25, 1.0], "clv": [100.0, 50.0, 0.0]})
    >>> dict(value_headlines(s, {"var_low": 12.0, "var_high": 18.0}, 365))
    {'churn_value_at_risk_total': 15.0, 'churn_value_at_risk_low': 12.0, 'churn_value_at_risk_high': 18.0, 'churn_expected_churners': 0.75, 'churn_clv_total': 150.0}
    """
    active = scores[scores["event"] == 0]
    at_risk = float(active["value_at_risk"].sum())
    churners = float(active[f"churn_prob_{horizon_days}d"].sum())
    return Headlines(
        [
            Headline(
                "churn_value_at_risk_total",
                at_risk,
                "money",
                interval["var_low"],
                interval["var_high"],
            ),
            Headline("churn_expected_churners", churners, "count"),
            Headline("churn_clv_total", float(active["clv"].sum()), "money"),
        ]
    )
