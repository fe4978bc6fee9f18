"""Survival analysis of churn: the survival table, Kaplan-Meier, log-rank tests and a Cox model.

The churn definition comes from the config (``cfg.churn``):

* ``inactivity`` (no contract to cancel): a customer has churned after ``inactivity_days``
  without an order; churn is dated at the last order + the window and measured from the
  first order; everyone else is censored at the period end. These are the ``duration_days``
  / ``event`` columns of ``custops.features.features.customer_features``. No churn can be dated
  earlier than the window itself, so Kaplan-Meier survival is 100% before day
  ``inactivity_days``.
* ``contractual``: churn is ``customers.churned_at``; time runs from the sign-up date.

Every fitter is lifelines' own (``KaplanMeierFitter``, ``CoxPHFitter`` -- through
:mod:`custops.survival.coxfit`, which only sums the Efron terms of its Newton steps with numpy --,
``pairwise_logrank_test``, ``proportional_hazard_test``); this module prepares the data,
guards the design (constant columns, baselines, collinearity), chooses stratification for
covariates that fail the proportional-hazards check, validates out of sample and turns the
fits into tables for people. The customer-value side (CLV, the priority list, early
warnings) is in :mod:`custops.survival.clv`.

Covariates are measured *before* the churn they are meant to explain. Order counts over
the whole history are a consequence of churn (a churned customer stops ordering), so
order frequency enters as the *early-life* rate: distinct purchase days in the first
``early_days`` after the first order (default 90, which ends before any inactivity churn
can be dated). The value tier (last 12 months' spend) and the last NPS answer are
measured after many customers' churn date and are left out of the model by default
(:data:`NOT_MODELLED` says why); they are not survival groups either (churned customers
fall into the lowest tier by construction): the Kaplan-Meier splits of chapter 03 are by
attributes fixed at or before the first order (:data:`FIXED_GROUPS`), and a group with
fewer than ``churn.min_group_events`` churn events is flagged, not plotted, not tested.

The chapter's Cox model uses a landmark design (:func:`landmark_data`, ``churn.landmark_days``):
covariates measured up to the landmark, churn risk counted after it, so events during the
decline to churn (a late complaint) cannot feed back into the hazard ratios.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from custops.core.config import TENURE_DAYS, ChurnConfig, Period
from custops.core.errors import ConfigError, DataError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import strongest_ratio
from custops.report import text as catalog
from custops.report.labels import value_label
from custops.report.text import join_names

__all__ = [
    "DEFAULT_COVARIATES",
    "UNUSED_COLUMNS",
    "NOT_MODELLED",
    "LABELS",
    "survival_data",
    "add_covariates",
    "definition_text",
    "period_churn_rate",
    "KMResult",
    "km_by_group",
    "pairwise_logrank",
    "km_text",
    "DesignNote",
    "CoxDesign",
    "cox_design",
    "ChurnModel",
    "covariate_table",
    "model_text",
    "shown_curves",
    "plot_km",
    "km_takeaway",
    "plot_forest",
    "forest_takeaway",
    "plot_calibration",
    "calibration_takeaway",
]

DAY_MONTH = 365.25 / 12

#: what the survival table's and the Cox model's errors name as their data (a domain module
#: names no artifact file; the chapter that read the file says which one)
CUSTOMER_VIEW = "the customer view"
SURVIVAL_TABLE = "the survival table"

#: covariates of the Cox model, in the order they are shown
DEFAULT_COVARIATES: tuple[str, ...] = (
    "unresolved_complaint",
    "slow_first_response",
    "app_bound",
    "log_early_orders_per_year",
    "acquisition_channel",
)

#: covariates available in the customer view but left out of the model by default (why: the
#: catalog text ``survival.churn.not_modelled.<column>``)
NOT_MODELLED: tuple[str, ...] = ("tier", "nps_category", "log_complaints", "n_orders")

#: model columns with a readable name, the catalog text ``survival.churn.label.<column>``
#: (a one-hot column ``column=level`` is named by its column)
LABELS: tuple[str, ...] = (
    "unresolved_complaint",
    "slow_first_response",
    "app_bound",
    "log_complaints",
    "log_early_orders_per_year",
    "acquisition_channel",
    "tier",
    "nps_category",
    "segment",
    "app_binding",
    "service_issue",
    "early_order_band",
    "region",
    "first_order_band",
    "signup_cohort",
)

#: survival groups fixed at or before the first order (the only ones chapter 03 splits by):
#: a split by a column measured later (value tier, RFM segment, last NPS answer) puts the
#: churned customers into the "lost" group by construction
FIXED_GROUPS: tuple[str, ...] = (
    "acquisition_channel",
    "region",
    "app_binding",
    "first_order_band",
    "signup_cohort",
)


def label(column: str, lang: str = "en") -> str:
    """Readable name of a model column (``column=level`` for one-hot columns).

    Examples
    --------
    >>> label("acquisition_channel=social")
    'acquisition channel: Social media'
    >>> label("app_bound", "zh"), label("region=华南", "zh")
    ('已绑定APP', '地区为华南')
    """
    if "=" in column:
        base, level = column.split("=", 1)
        level = value_label(level, lang)  # a category key (``search_ads``) as its label
        return catalog.t("survival.churn.label.level", lang, column=label(base, lang), level=level)
    return catalog.t(f"survival.churn.label.{column}", lang) if column in LABELS else column


def _group_words(lang: str) -> dict[str, str]:
    """The readable values of the ``app_binding`` and ``service_issue`` groups."""
    words = ("app", "no_app", "unresolved", "slow", "none")
    return {w: catalog.t(f"survival.churn.group.{w}", lang) for w in words}


# --------------------------------------------------------------------------- survival table


def contract_snapshot(features: pd.DataFrame, snapshot: pd.Timestamp, unit: str) -> pd.DataFrame:
    """The survival table of a contractual snapshot: ``tenure`` (in ``unit``) and a ``churned`` flag.

    CRMs export such tables without dates: every customer is observed at the snapshot
    (the observation end); a churned customer's tenure is the time to churn, an active
    customer's the time so far (censored). ``start_date`` = snapshot − tenure.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b"], "tenure": [12, 3], "churned": ["Yes", "no"]})
    >>> s = contract_snapshot(f, pd.Timestamp("2025-12-31"), "months")
    >>> s[["duration_days", "event"]].round(1).to_dict("records")
    [{'duration_days': 365.2, 'event': 1}, {'duration_days': 91.3, 'event': 0}]
    """
    if "churned" not in features:
        raise DataError(
            "customers",
            "churned",
            "the contractual snapshot has a tenure column but no churned flag",
            fix="Map the churn flag to `churned` in sources.customers.columns (values: {churned: {Yes: true, No: false}}).",
        )
    out = features.copy()
    tenure = pd.to_numeric(out["tenure"], errors="coerce")
    flag = out["churned"]
    if not pd.api.types.is_bool_dtype(flag):
        text = flag.astype(str).str.strip().str.lower()
        flag = text.isin(["1", "1.0", "true", "yes", "y", "churned", "是"])
    out = out[tenure.notna() & (tenure >= 0)].copy()
    out["duration_days"] = (tenure[out.index] * TENURE_DAYS[unit]).astype(float)
    out["event"] = flag[out.index].astype(bool).astype(int)
    out["start_date"] = snapshot - pd.to_timedelta(out["duration_days"].round(), unit="D")
    out["churn_date"] = pd.Series(snapshot, index=out.index).where(out["event"] == 1)
    out["contract_snapshot"] = True  # churn is known at the snapshot, not dated
    return out.reset_index(drop=True)


def survival_data(
    features: pd.DataFrame,
    period: Period | str,
    churn: ChurnConfig | None = None,
    *,
    observation_end: date | None = None,
) -> pd.DataFrame:
    """The survival table of the customers who can churn, with every feature column kept.

    Parameters
    ----------
    features : DataFrame
        The customer view (``customer_features.parquet``).
    period : Period or str
        Reporting period; customers are observed until its end.
    churn : ChurnConfig, optional
        The churn definition (default: inactivity with 180 days).
    observation_end : date, optional
        The day the data are observed to (default: the period end); a contractual snapshot
        (``tenure`` + ``churned``, no dates) is taken on that day.

    Returns
    -------
    DataFrame
        One row per customer: the feature columns plus ``start_date``, ``duration_days``
        (float), ``event`` (0/1) and ``churn_date`` (NaT when censored).

    Raises
    ------
    DataError
        For a contractual definition without a ``churned_at`` column, or inactivity without
        the survival columns.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a", "b", "c"], "first_purchase": pd.to_datetime(["2025-01-01"] * 3),
    ...     "duration_days": [200.0, 300.0, None], "event": [1.0, 0.0, None]})
    >>> s = survival_data(f, "2025Q4")
    >>> s[["customer_id", "duration_days", "event"]].to_dict("records")
    [{'customer_id': 'a', 'duration_days': 200.0, 'event': 1}, {'customer_id': 'b', 'duration_days': 300.0, 'event': 0}]
    >>> str(s["churn_date"].iloc[0].date())
    '2025-07-20'
    """
    churn = churn or ChurnConfig()
    period = Period.parse(period)
    end = pd.Timestamp(observation_end or period.end)
    if churn.definition == "contractual" and "tenure" in features and "churned_at" not in features:
        return contract_snapshot(features, end, churn.tenure_unit)
    if churn.definition == "contractual":
        if "churned_at" not in features:
            raise DataError(
                "customers",
                "churned_at",
                "the churn definition is contractual but the customer table has no churned_at column",
                fix="Map the contract end date to `churned_at` in the config, or set churn.definition: inactivity.",
            )
        out = features.copy()
        start = out["signup_date"] if "signup_date" in out else out["first_purchase"]
        out["start_date"] = pd.to_datetime(start)
        out = out[out["start_date"].notna() & (out["start_date"] <= end)].copy()
        churned_at = pd.to_datetime(out["churned_at"])
        happened = churned_at.notna() & (churned_at <= end)
        stop = churned_at.where(happened, end)
        out["duration_days"] = (stop - out["start_date"]).dt.days.clip(lower=0).astype(float)
        out["event"] = happened.astype(int)
        out["churn_date"] = churned_at.where(happened)
    else:
        missing = [c for c in ("duration_days", "event", "first_purchase") if c not in features]
        if missing:
            raise DataError(
                CUSTOMER_VIEW,
                missing[0],
                "the survival columns are missing",
                fix="Rebuild the customer view with custops.features.features.customer_features (notebook 01).",
            )
        out = features[features["duration_days"].notna() & features["event"].notna()].copy()
        out["start_date"] = pd.to_datetime(out["first_purchase"])
        out["duration_days"] = out["duration_days"].astype(float)
        out["event"] = out["event"].astype(int)
        out["churn_date"] = (
            out["start_date"] + pd.to_timedelta(out["duration_days"], unit="D")
        ).where(out["event"] == 1)
    return out.reset_index(drop=True)


def add_covariates(
    surv: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    *,
    early_days: int = 90,
    min_window_days: int = 30,
    lang: str = "en",
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Add the model covariates to a survival table (a new frame; inputs are not changed).

    ``unresolved_complaint`` and ``slow_first_response`` (0/1) come from the service
    columns, ``app_bound`` (0/1; unknown counts as not bound), ``log_complaints`` =
    log(1 + complaints), ``log_early_orders_per_year`` = log(1 + distinct purchase days in
    the first ``early_days`` after the first order, per year; customers younger than that
    are rated over the days observed, at least ``min_window_days``). ``nps_category``
    gets ``no answer`` for customers never surveyed.

    Parameters
    ----------
    surv : DataFrame
        From :func:`survival_data`.
    orders : DataFrame, optional
        Clean orders (``customer_id``, ``order_date``) for the early-life order rate.
    early_days : int
        Length of the early-life window after the first order.
    min_window_days : int
        Shortest window a young customer's rate is computed over.
    lang : {"en", "zh"}
        Language of the readable group columns ``app_binding`` and ``service_issue``.
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``orders`` (built here when omitted).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "start_date": pd.to_datetime(["2025-01-01"] * 2),
    ...     "tenure_days": [300, 300], "n_unresolved_complaints": [1, 0], "n_complaints": [2, 0],
    ...     "slow_first_response": [False, True], "app_bound": [True, None]})
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "a"], "order_date": pd.to_datetime(["2025-01-01", "2025-01-31", "2025-06-01"])})
    >>> c = add_covariates(s, o)
    >>> c[["unresolved_complaint", "slow_first_response", "app_bound"]].values.tolist()
    [[1, 0, 1], [0, 1, 0]]
    >>> round(float(np.expm1(c["log_early_orders_per_year"].iloc[0])), 2)  # one repeat day in 90 days
    4.06
    """
    out = surv.copy()
    if "n_unresolved_complaints" in out:
        out["unresolved_complaint"] = (out["n_unresolved_complaints"].fillna(0) > 0).astype(int)
    if "slow_first_response" in out:
        out["slow_first_response"] = (
            out["slow_first_response"].astype("boolean").fillna(False).astype(int)
        )
    if "app_bound" in out:
        out["app_bound"] = out["app_bound"].astype("boolean").fillna(False).astype(int)
    words = _group_words(lang)
    if "app_bound" in out:
        out["app_binding"] = np.where(out["app_bound"] == 1, words["app"], words["no_app"])
    if "unresolved_complaint" in out and "slow_first_response" in out:
        out["service_issue"] = np.select(
            [out["unresolved_complaint"] == 1, out["slow_first_response"] == 1],
            [words["unresolved"], words["slow"]],
            words["none"],
        )
    if "n_complaints" in out:
        out["log_complaints"] = np.log1p(out["n_complaints"].fillna(0).astype(float))
    if "nps_category" in out:
        out["nps_category"] = out["nps_category"].fillna("no answer").astype(str)
    for column in ("acquisition_channel", "tier", "region", "segment"):
        if column in out:
            out[column] = out[column].fillna("unknown").astype(str)
    cohort_from = "signup_date" if "signup_date" in out else "start_date"
    if cohort_from in out:
        years = pd.to_datetime(out[cohort_from]).dt.year
        out["signup_cohort"] = years.astype("Int64").astype(str).replace("<NA>", "unknown")
    if orders is not None and len(out) and "amount" in orders:
        out["first_order_value"], out["first_order_band"] = first_order_bands(out, orders)
    if orders is not None and len(out):
        # distinct purchase days per customer on integer codes (shared with the health score
        # and the paths) instead of isin/map/groupby on 20M text ids
        from custops.core.arrays import distinct_code_days

        ix = order_index_of(orders, index)
        codes, labels = ix.codes, ix.labels
        at = ix.codes_of(out["customer_id"])  # survival row -> code
        start = np.full(len(labels) + 1, np.iinfo(np.int64).min, dtype=np.int64)
        start_day = pd.to_datetime(out["start_date"]).to_numpy(dtype="datetime64[ns]")
        known = (at >= 0) & ~np.isnat(start_day)
        start[at[known]] = start_day[known].astype("datetime64[D]").astype(np.int64)
        dates = pd.to_datetime(orders["order_date"]).to_numpy(dtype="datetime64[ns]")
        ok = (codes >= 0) & ~np.isnat(dates)
        code = codes[ok]
        day = dates[ok].astype("datetime64[D]").astype(np.int64)
        offset = day - start[code]
        inside = (start[code] != np.iinfo(np.int64).min) & (offset > 0) & (offset <= early_days)
        pair_code, _ = distinct_code_days(code[inside], day[inside].astype("datetime64[D]"))
        repeats = np.bincount(pair_code, minlength=len(labels) + 1)
        count = pd.Series(
            np.where(at >= 0, repeats[np.where(at >= 0, at, len(labels))], 0),
            index=out.index,
        ).astype(float)
        if "tenure_days" in out:
            observed = out["tenure_days"].astype(float)
        else:
            observed = out["duration_days"].astype(float)
        window = observed.clip(lower=min_window_days, upper=early_days)
        out["log_early_orders_per_year"] = np.log1p(count / window * 365.0)
    return out


#: covariates of the survival table recomputed at the landmark from the tickets
SERVICE_COVARIATES = ("unresolved_complaint", "slow_first_response", "log_complaints")


def landmark_data(
    surv: pd.DataFrame,
    tickets: pd.DataFrame | None = None,
    orders: pd.DataFrame | None = None,
    *,
    landmark_days: int = 90,
    slow_hours: float = 24.0,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """The Cox model's landmark table: covariates measured up to the landmark, risk after it.

    Customers still a customer ``landmark_days`` after the start (first order or sign-up) are
    kept; their time is counted from the landmark (``duration_days - landmark_days``) and the
    service covariates are recomputed from the tickets created before the landmark date only:
    ``unresolved_complaint`` (a complaint not resolved by then), ``slow_first_response``
    (median first response of those tickets above ``slow_hours``; a ticket still unanswered
    at the landmark counts its wait so far) and ``log_complaints``. The early order rate is
    recomputed over the landmark window from ``orders``. Attributes fixed at sign-up
    (``app_bound``, ``acquisition_channel``) are kept. Without tickets the lifetime service
    columns are removed (they would count tickets raised after the landmark).

    A complaint raised after the landmark (for instance while a customer drifts away) cannot
    enter the model, so a decline that starts after the landmark cannot feed back into its
    own hazard ratio (reverse causation); a decline already under way at the landmark can,
    and the hazard ratios are associations, not causes.

    Parameters
    ----------
    surv : DataFrame
        :func:`survival_data` (+ :func:`add_covariates`).
    tickets : DataFrame, optional
        Clean tickets (``customer_id``, ``created_at``; ``category``, ``resolved_at``,
        ``first_response_at`` when present).
    orders : DataFrame, optional
        Clean orders, for the early order rate over the landmark window.
    landmark_days : int
    slow_hours : float
    index : OrderIndex, optional

    Returns
    -------
    DataFrame
        The kept rows (original index) with shifted ``duration_days``; ``attrs["landmark"]``
        holds ``days``, ``n_in`` and ``n_out`` (observed for less than the landmark).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "b", "c"], "duration_days": [400.0, 50.0, 300.0],
    ...     "event": [1, 0, 0], "start_date": pd.to_datetime(["2024-01-01"] * 3),
    ...     "unresolved_complaint": [1, 0, 1]})
    >>> t = pd.DataFrame({"customer_id": ["a", "c"], "category": ["complaint"] * 2,
    ...     "created_at": pd.to_datetime(["2024-02-01", "2024-09-01"]), "resolved_at": pd.NaT})
    >>> d = landmark_data(s, t, landmark_days=90)
    >>> d[["customer_id", "duration_days", "unresolved_complaint"]].values.tolist()
    [['a', 310.0, 1], ['c', 210.0, 0]]
    >>> d.attrs["landmark"]
    {'days': 90, 'n_in': 2, 'n_out': 1}
    """
    at_risk = surv["duration_days"].astype(float) > landmark_days
    out = surv[at_risk].copy()
    out["duration_days"] = out["duration_days"].astype(float) - landmark_days
    mark = pd.to_datetime(out["start_date"]) + pd.Timedelta(days=landmark_days)
    if tickets is None or not len(tickets) or "created_at" not in tickets:
        out = out.drop(columns=[c for c in SERVICE_COVARIATES if c in out])
    else:
        when = pd.Series(mark.to_numpy(), index=out["customer_id"].to_numpy())
        when = when[~when.index.duplicated()]
        t = tickets[tickets["customer_id"].isin(when.index)]
        cut = t["customer_id"].map(when)
        created = pd.to_datetime(t["created_at"])
        t = t[created < cut]
        cut, created = cut[t.index], created[t.index]
        complaint = (
            t["category"].astype("string").str.lower().str.contains("complain|投诉", na=False)
            if "category" in t
            else pd.Series(False, index=t.index)
        )
        open_at_mark = (
            t["resolved_at"].isna() | (pd.to_datetime(t["resolved_at"]) >= cut)
            if "resolved_at" in t
            else pd.Series(False, index=t.index)
        )
        if "first_response_at" in t:
            answered = pd.to_datetime(t["first_response_at"])
            reply = answered.where(answered.notna() & (answered < cut), cut)
            hours = (reply - created).dt.total_seconds() / 3600
        else:
            hours = pd.Series(np.nan, index=t.index)
        g = pd.DataFrame(
            {
                "customer_id": t["customer_id"],
                "complaint": complaint.astype(int),
                "unresolved": (complaint & open_at_mark).astype(int),
                "hours": hours,
            }
        ).groupby("customer_id")
        ids = out["customer_id"]
        n_complaints = ids.map(g["complaint"].sum()).fillna(0).astype(float)
        out["unresolved_complaint"] = (ids.map(g["unresolved"].sum()).fillna(0) > 0).astype(int)
        out["slow_first_response"] = (ids.map(g["hours"].median()).fillna(0.0) > slow_hours).astype(
            int
        )
        out["log_complaints"] = np.log1p(n_complaints)
    if orders is not None and len(out):
        rate = add_covariates(
            out[["customer_id", "start_date"]].assign(tenure_days=float(landmark_days)),
            orders,
            early_days=landmark_days,
            index=index,
        )
        out["log_early_orders_per_year"] = rate["log_early_orders_per_year"].to_numpy()
    out.attrs["landmark"] = {
        "days": int(landmark_days),
        "n_in": int(at_risk.sum()),
        "n_out": int((~at_risk).sum()),
    }
    return out


def first_order_bands(
    surv: pd.DataFrame, orders: pd.DataFrame, *, bands: int = 3
) -> tuple[pd.Series, pd.Series]:
    """Value of each customer's first order day and its band (equal-count, labelled by range).

    The first order is fixed the day the relationship starts, so unlike the value tier
    (last 12 months' spend) it cannot be a consequence of churn.

    Parameters
    ----------
    surv : DataFrame
        ``customer_id`` and ``start_date`` (the first order day).
    orders : DataFrame
        Clean orders (``customer_id``, ``order_date``, ``amount``).
    bands : int
        Number of equal-count bands (edges rounded to 2 significant digits).

    Returns
    -------
    value, band : Series
        Same index as ``surv``; band ``unknown`` where the first order is not in ``orders``.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": list("abcdef"), "start_date": pd.to_datetime(["2025-01-01"] * 6)})
    >>> o = pd.DataFrame({"customer_id": list("abcdefa"), "amount": [10, 20, 30, 40, 50, 60, 99],
    ...     "order_date": pd.to_datetime(["2025-01-01"] * 6 + ["2025-02-01"])})
    >>> first_order_bands(s, o, bands=2)[1].tolist()
    ['≤ 35', '≤ 35', '≤ 35', '> 35', '> 35', '> 35']
    """
    day = pd.to_datetime(orders["order_date"]).dt.normalize()
    start = pd.to_datetime(surv.set_index("customer_id")["start_date"]).dt.normalize()
    start = start[~start.index.duplicated()]
    on_first = day.to_numpy() == orders["customer_id"].map(start).to_numpy()
    value = orders.loc[on_first].groupby("customer_id")["amount"].sum().reindex(surv["customer_id"])
    value.index = surv.index
    known = value.dropna()
    band = pd.Series("unknown", index=surv.index, dtype=object)
    if known.nunique() < 2:
        return value.astype(float), band
    raw = np.quantile(known.to_numpy(dtype=float), np.linspace(0, 1, bands + 1)[1:-1])
    edges = np.unique([float(f"{e:.2g}") for e in raw])
    names = [f"≤ {edges[0]:,g}"]
    names += [f"{lo:,g}–{hi:,g}" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    names.append(f"> {edges[-1]:,g}")
    pos = np.searchsorted(edges, known.to_numpy(dtype=float), side="left")
    band.loc[known.index] = np.asarray(names, dtype=object)[pos]
    return value.astype(float), band


def definition_text(surv: pd.DataFrame, churn: ChurnConfig, period: Period | str, lang: str) -> str:
    """The churn definition in words, with how many customers are events and censored.

    Examples
    --------
    >>> s = pd.DataFrame({"event": [1, 0, 0, 1]})
    >>> definition_text(s, ChurnConfig(), "2025Q4", "en").split(".")[0]
    '**Churn definition'
    """
    period = Period.parse(period)
    n = len(surv)
    events = int(surv["event"].sum())
    key = (
        "survival.churn.def.contractual"
        if churn.definition == "contractual"
        else "survival.churn.def.inactivity"
    )
    end = period.end
    if "contract_snapshot" in surv and len(surv):
        key = "survival.churn.def.snapshot"
        end = (
            pd.Timestamp(surv["start_date"].iloc[0])
            + pd.Timedelta(days=round(float(surv["duration_days"].iloc[0])))
        ).date()
    return catalog.t(
        key,
        lang,
        days=churn.inactivity_days,
        period=period.label,
        end=end.isoformat(),
        unit=churn.tenure_unit,
        n=n,
        events=events,
        censored=n - events,
        event_share=events / n if n else 0.0,
    )


def period_churn_rate(surv: pd.DataFrame, period: Period | str) -> dict[str, float]:
    """Share of the customers active at the period start whose churn is dated inside the period.

    Active at the start: first order (or sign-up) before the period and not churned before
    it. The interval is Wilson's (statsmodels).

    Returns
    -------
    dict
        ``n`` (active at start), ``churned``, ``rate``, ``low``, ``high``.

    Examples
    --------
    >>> s = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01"] * 4 + ["2025-11-01"]),
    ...     "churn_date": pd.to_datetime(["2025-11-05", None, None, "2025-02-01", None])})
    >>> r = period_churn_rate(s, "2025Q4")
    >>> r["n"], r["churned"], round(r["rate"], 3)
    (3, 1, 0.333)
    """
    from statsmodels.stats.proportion import proportion_confint

    if "contract_snapshot" in surv and len(surv):  # undated churn: the snapshot's churned share
        n, k = len(surv), int(surv["event"].sum())
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        rate = {"n": n, "churned": k, "rate": k / n, "low": float(low), "high": float(high)}
        return {**rate, "snapshot": 1}
    period = Period.parse(period)
    start = pd.Timestamp(period.start)
    stop = pd.Timestamp(period.end_exclusive)
    churn_date = pd.to_datetime(surv["churn_date"])
    active = (pd.to_datetime(surv["start_date"]) < start) & (
        churn_date.isna() | (churn_date >= start)
    )
    churned = active & churn_date.notna() & (churn_date < stop)
    n, k = int(active.sum()), int(churned.sum())
    if n == 0:
        return {"n": 0, "churned": 0, "rate": math.nan, "low": math.nan, "high": math.nan}
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return {"n": n, "churned": k, "rate": k / n, "low": float(low), "high": float(high)}


def rate_frame(rate: dict[str, float], churn: ChurnConfig) -> pd.DataFrame:
    """The period churn rate as the one-row ``churn_rate.csv`` (with its definition).

    Examples
    --------
    >>> rate_frame({"n": 10, "churned": 2, "rate": 0.2, "low": 0.06, "high": 0.51}, ChurnConfig()).columns.tolist()
    ['definition', 'n', 'churned', 'rate', 'low', 'high']
    """
    return pd.DataFrame([{"definition": churn.definition, **rate}])


def rate_text(rate: dict[str, float], period: Period | str, lang: str) -> str:
    """Sentence for :func:`period_churn_rate`.

    Examples
    --------
    >>> rate_text({"n": 100, "churned": 10, "rate": 0.1, "low": 0.05, "high": 0.17}, "2025Q4", "en")[:30]
    'Of the **100** customers activ'
    """
    key = "survival.churn.rate.snapshot" if rate.get("snapshot") else "survival.churn.rate"
    return catalog.t(key, lang, period=Period.parse(period).label, k=rate["churned"], **rate)


# --------------------------------------------------------------------------- Kaplan-Meier


@dataclass
class KMResult:
    """Kaplan-Meier fits by group, as tables.

    Attributes
    ----------
    group : str or None
        The grouping column (None: everyone).
    fitters : dict
        Group value -> fitted ``lifelines.KaplanMeierFitter``.
    table : DataFrame
        Per group: ``n``, ``events``, ``censored``, ``median_days`` with ``median_low`` /
        ``median_high`` (95% CI; inf = not reached), ``survival_<t>d`` with ``_low`` /
        ``_high`` for each time, and ``small`` (too few customers or events to compare).
    curves : DataFrame
        Long table for plotting: ``group, days, survival, low, high``.
    """

    group: str | None
    fitters: dict[str, Any]
    table: pd.DataFrame
    curves: pd.DataFrame


def _ci_at(frame: pd.DataFrame, t: float) -> tuple[float, float]:
    index = frame.index.values
    pos = int(np.searchsorted(index, t, side="right")) - 1
    if pos < 0:
        return 1.0, 1.0
    row = frame.iloc[pos]
    return float(row.iloc[0]), float(row.iloc[1])


def km_by_group(
    surv: pd.DataFrame,
    group: str | None = None,
    *,
    times: Sequence[int] = (90, 180, 365),
    min_n: int = 1,
    min_events: int = 30,
    max_groups: int = 12,
) -> KMResult:
    """Kaplan-Meier survival overall or per group, with medians and survival at fixed days.

    Parameters
    ----------
    surv : DataFrame
        ``duration_days``, ``event`` and the grouping column.
    group : str, optional
        Column to split by; missing values become ``unknown``. None: one overall curve.
    times : sequence of int
        Days at which survival is reported.
    min_n, min_events : int
        Groups with fewer customers than ``min_n`` or fewer churn events than ``min_events``
        (default 30: a log-rank test and a median need events, not customers) are flagged
        ``small`` (not plotted, not compared).
    max_groups : int
        More levels than this are an error (a continuous column was passed by mistake).

    Returns
    -------
    KMResult

    Examples
    --------
    >>> from lifelines.datasets import load_waltons
    >>> w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    >>> km = km_by_group(w, "group", min_events=10)
    >>> km.table[["group", "n", "median_days"]].to_dict("records")
    [{'group': 'control', 'n': 129, 'median_days': 58.0}, {'group': 'miR-137', 'n': 34, 'median_days': 26.0}]
    """
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    if group is None:
        keys = pd.Series("all", index=surv.index)
    else:
        if group not in surv:
            raise ConfigError(f"There is no column {group!r} to group the survival curves by.")
        keys = surv[group].astype(object).where(surv[group].notna(), "unknown").astype(str)
        if keys.nunique() > max_groups:
            raise ConfigError(
                f"{group!r} has {keys.nunique()} distinct values; survival curves are drawn for at most {max_groups}.",
                fix="Group a continuous column into bands first.",
            )
    rows, curves, fitters = [], [], {}
    for key in sorted(keys.unique(), key=lambda k: (-int((keys == k).sum()), k)):
        part = surv[keys == key]
        kmf = KaplanMeierFitter(label=str(key)).fit(part["duration_days"], part["event"])
        fitters[key] = kmf
        median = float(kmf.median_survival_time_)
        ci = median_survival_times(kmf.confidence_interval_)
        row: dict[str, Any] = {
            "group": key,
            "n": len(part),
            "events": int(part["event"].sum()),
            "censored": int(len(part) - part["event"].sum()),
            "median_days": median,
            "median_low": float(ci.iloc[0, 0]),
            "median_high": float(ci.iloc[0, 1]),
        }
        for t in times:
            row[f"survival_{t}d"] = float(kmf.survival_function_at_times(t).iloc[0])
            low, high = _ci_at(kmf.confidence_interval_survival_function_, t)
            row[f"survival_{t}d_low"], row[f"survival_{t}d_high"] = low, high
        row["small"] = bool(len(part) < min_n or part["event"].sum() < min_events)
        rows.append(row)
        sf = kmf.survival_function_.iloc[:, 0]
        band = kmf.confidence_interval_survival_function_
        curves.append(
            pd.DataFrame(
                {
                    "group": key,
                    "days": sf.index.values,
                    "survival": sf.values,
                    "low": band.iloc[:, 0].values,
                    "high": band.iloc[:, 1].values,
                }
            )
        )
    table = pd.DataFrame(rows)
    if group is not None:
        table = table.sort_values(["small", "n"], ascending=[True, False], kind="stable")
    return KMResult(
        group, fitters, table.reset_index(drop=True), pd.concat(curves, ignore_index=True)
    )


def pairwise_logrank(
    surv: pd.DataFrame, group: str, *, exclude: Sequence[str] = (), alpha: float = 0.05
) -> pd.DataFrame:
    """Pairwise log-rank tests between the levels of ``group`` with Holm's correction.

    Parameters
    ----------
    surv : DataFrame
    group : str
    exclude : sequence of str
        Levels left out (e.g. the small groups of :func:`km_by_group`).
    alpha : float
        Family-wise error rate for the ``significant`` column.

    Returns
    -------
    DataFrame
        ``group_a, group_b, chi2, p, p_holm, significant`` sorted by ``p``.

    Examples
    --------
    >>> from lifelines.datasets import load_waltons
    >>> w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    >>> pairwise_logrank(w, "group")[["group_a", "group_b", "significant"]].to_dict("records")
    [{'group_a': 'control', 'group_b': 'miR-137', 'significant': True}]
    """
    from lifelines.statistics import pairwise_logrank_test
    from statsmodels.stats.multitest import multipletests

    keys = surv[group].astype(object).where(surv[group].notna(), "unknown").astype(str)
    keep = ~keys.isin(list(exclude))
    columns = ["group_a", "group_b", "chi2", "p", "p_holm", "significant"]
    if keys[keep].nunique() < 2:
        return pd.DataFrame(columns=columns)
    result = pairwise_logrank_test(
        surv.loc[keep, "duration_days"], keys[keep], surv.loc[keep, "event"]
    )
    summary = result.summary.reset_index()
    summary.columns = ["group_a", "group_b", *summary.columns[2:]]
    reject, p_holm, _, _ = multipletests(summary["p"].to_numpy(), alpha=alpha, method="holm")
    out = pd.DataFrame(
        {
            "group_a": summary["group_a"].astype(str),
            "group_b": summary["group_b"].astype(str),
            "chi2": summary["test_statistic"].astype(float),
            "p": summary["p"].astype(float),
            "p_holm": p_holm,
            "significant": reject.astype(bool),
        }
    )
    return out.sort_values("p", kind="stable").reset_index(drop=True)


def _days(value: float, lang: str, *, unit: bool = False) -> str:
    if not np.isfinite(value):
        return catalog.t("survival.churn.not_reached", lang)
    text = f"{value:,.0f}"
    return catalog.t("unit.days", lang, value=text) if unit else text


def km_text(
    km: KMResult, lang: str, tests: pd.DataFrame | None = None, *, min_events: int = 30
) -> str:
    """Plain-language summary of a Kaplan-Meier result (overall or by group).

    Examples
    --------
    >>> from lifelines.datasets import load_waltons
    >>> w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    >>> km_text(km_by_group(w, "group"), "en", pairwise_logrank(w, "group"))[:38]
    'By group: the longest-lived group is *'
    """
    table = km.table
    if km.group is None:
        row = table.iloc[0]
        ci = f"{_days(row['median_low'], lang)}–{_days(row['median_high'], lang)}"
        s365 = row.get("survival_365d", math.nan)
        return catalog.t(
            "survival.churn.km.overall",
            lang,
            median=_days(row["median_days"], lang),
            median_ci=ci,
            s365=s365,
            s365_low=row.get("survival_365d_low", math.nan),
            s365_high=row.get("survival_365d_high", math.nan),
            c365=1 - s365,
        )
    big = table[~table["small"]]
    small = table[table["small"]]
    if big.empty:
        return ""
    order = big.assign(_m=big["median_days"].replace(np.inf, 1e12)).sort_values("_m")
    best, worst = order.iloc[-1], order.iloc[0]
    small_text = (
        catalog.t(
            "survival.churn.km.small",
            lang,
            min_events=min_events,
            names=join_names(small["group"], lang),
        )
        if len(small)
        else ""
    )
    tests = tests if tests is not None else pd.DataFrame(columns=["significant"])
    return catalog.t(
        "survival.churn.km.group",
        lang,
        group=label(km.group, lang),
        best=best["group"],
        best_median=_days(best["median_days"], lang, unit=True),
        worst=worst["group"],
        worst_median=_days(worst["median_days"], lang, unit=True),
        n_sig=int(tests["significant"].sum()) if len(tests) else 0,
        n_pairs=len(tests),
        small=small_text,
    )


# --------------------------------------------------------------------------- Cox design


@dataclass
class DesignNote:
    """One statement about how a Cox design was built: a catalog key and its fields.

    Examples
    --------
    >>> note = DesignNote("survival.churn.design.constant", {"column": "k"})
    >>> note.text("en")
    '`k` has the same value for everyone and was dropped'
    """

    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The statement in words, in ``lang``."""
        return catalog.t(self.key, lang, **self.fields)


#: design notes that say a column was dropped
DROPPED_NOTES = frozenset(
    {
        "survival.churn.design.constant",
        "survival.churn.design.collinear",
        "survival.churn.design.dependent",
    }
)


@dataclass
class CoxDesign:
    """The numeric design matrix of a Cox model and what was done to build it.

    Attributes
    ----------
    X : DataFrame
        Numeric covariates (one-hot columns are named ``column=level``), same index as input.
    sources : dict
        Design column -> the input column it came from.
    baselines : dict
        Categorical column -> its baseline level.
    level_maps : dict
        Categorical column -> {original level: level used} (rare levels -> ``other``).
    notes : list of DesignNote
        What was done, as facts (catalog key and fields); :meth:`note_texts` words them.
    dropped : list of str
        Design columns removed (constant or collinear) and input columns missing.
    max_abs_corr : float
        Largest absolute correlation between the kept columns.
    fill_values : dict
        Numeric column -> the median that fills its missing values.
    """

    X: pd.DataFrame
    sources: dict[str, str]
    baselines: dict[str, str]
    level_maps: dict[str, dict[str, str]]
    notes: list[DesignNote]
    dropped: list[str] = field(default_factory=list)
    max_abs_corr: float = 0.0
    fill_values: dict[str, float] = field(default_factory=dict)

    def note_texts(self, lang: str = "en") -> list[str]:
        """The notes in words, in ``lang``."""
        return [note.text(lang) for note in self.notes]

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The same design for other rows (same columns, same baselines, same level merges)."""
        cats = set(self.baselines)
        out = pd.DataFrame(index=frame.index)
        for column in self.X.columns:
            source = self.sources[column]
            if source in cats:
                level = column.split("=", 1)[1]
                values = frame[source].astype(object).where(frame[source].notna(), "unknown")
                values = (
                    values.astype(str).map(self.level_maps[source]).fillna(self.baselines[source])
                )
                out[column] = (values == level).astype(float)
            else:
                out[column] = frame[source].astype(float).fillna(self.fill_values.get(column, 0.0))
        return out


def cox_design(
    frame: pd.DataFrame,
    covariates: Sequence[str],
    *,
    baselines: dict[str, str] | None = None,
    min_level_n: int = 30,
    max_corr: float = 0.95,
) -> CoxDesign:
    """Build a Cox design: one-hot with a stated baseline, constant and collinear columns dropped.

    Parameters
    ----------
    frame : DataFrame
        Rows to model; numeric/boolean covariates are used as numbers, text ones one-hot.
    covariates : sequence of str
        Input columns (missing ones are noted and skipped).
    baselines : dict, optional
        Categorical column -> baseline level (default: the most common level).
    min_level_n : int
        Levels with fewer customers are merged into ``other``.
    max_corr : float
        Above this absolute correlation the later of two columns is dropped.

    Returns
    -------
    CoxDesign

    Examples
    --------
    >>> f = pd.DataFrame({"a": [0, 1, 0, 1] * 10, "same": [0, 1, 0, 1] * 10, "k": [1] * 40,
    ...     "ch": ["x"] * 20 + ["y"] * 15 + ["z"] * 5})
    >>> d = cox_design(f, ["a", "same", "k", "ch"], min_level_n=10)
    >>> list(d.X.columns), d.baselines
    (['a', 'ch=y'], {'ch': 'x'})
    >>> print("\\n".join(d.note_texts("en")))
    `ch` is one-hot encoded with **x** as the baseline (hazard ratios compare each level with it)
    levels of `ch` with fewer than 10 customers (too few even together) were merged into the baseline x: z
    `k` has the same value for everyone and was dropped
    `same` was dropped: it is almost a copy of `a` (correlation 1.00)
    """
    baselines = dict(baselines or {})
    notes: list[DesignNote] = []
    dropped: list[str] = []
    columns: dict[str, pd.Series] = {}
    sources: dict[str, str] = {}
    used_baselines: dict[str, str] = {}
    level_maps: dict[str, dict[str, str]] = {}
    fill_values: dict[str, float] = {}
    constant_notes: list[DesignNote] = []
    for column in covariates:
        if column not in frame:
            notes.append(DesignNote("survival.churn.design.missing", {"column": column}))
            dropped.append(column)
            continue
        values = frame[column]
        numeric = pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values)
        if numeric:
            series = values.astype(float)
            fill_values[column] = float(series.median()) if series.notna().any() else 0.0
            if series.isna().any():
                series = series.fillna(fill_values[column])
            if series.nunique() <= 1:
                constant_notes.append(
                    DesignNote("survival.churn.design.constant", {"column": column})
                )
                dropped.append(column)
                continue
            columns[column] = series
            sources[column] = column
            continue
        text = values.astype(object).where(values.notna(), "unknown").astype(str)
        counts = text.value_counts()
        rare = sorted(counts[counts < min_level_n].index)
        mapping = {lvl: lvl for lvl in counts.index}
        if rare and len(rare) < len(counts):
            for lvl in rare:
                mapping[lvl] = "other"
            merged = counts.rename(index=mapping).groupby(level=0).sum()
            if merged.get("other", 0) < min_level_n:
                keep_base = merged.drop("other").idxmax()
                for lvl in rare:
                    mapping[lvl] = keep_base
        mapped = text.map(mapping)
        merged_counts = mapped.value_counts()
        if len(merged_counts) <= 1:
            constant_notes.append(DesignNote("survival.churn.design.constant", {"column": column}))
            dropped.append(column)
            continue
        base = baselines.get(column)
        if base not in merged_counts.index:
            base = str(merged_counts.sort_index().idxmax())
        used_baselines[column] = base
        level_maps[column] = mapping
        notes.append(
            DesignNote("survival.churn.design.baseline", {"column": column, "baseline": base})
        )
        if rare:
            key = (
                "survival.churn.design.rare"
                if "other" in merged_counts.index
                else "survival.churn.design.rare_base"
            )
            notes.append(
                DesignNote(
                    key,
                    {
                        "column": column,
                        "min_n": min_level_n,
                        "levels": ", ".join(rare),
                        "baseline": base,
                    },
                )
            )
        for level in sorted(merged_counts.index):
            if level == base:
                continue
            name = f"{column}={level}"
            columns[name] = (mapped == level).astype(float)
            sources[name] = column
    notes.extend(constant_notes)
    X = pd.DataFrame(columns, index=frame.index)
    # collinearity guard: near-copies by correlation, then exact linear dependence
    max_abs = 0.0
    if X.shape[1] > 1:
        corr = X.corr().abs().fillna(0.0)
        keep: list[str] = []
        for column in X.columns:
            partner = next((k for k in keep if corr.loc[column, k] > max_corr), None)
            if partner is None:
                keep.append(column)
            else:
                notes.append(
                    DesignNote(
                        "survival.churn.design.collinear",
                        {
                            "column": column,
                            "other": partner,
                            "corr": float(corr.loc[column, partner]),
                        },
                    )
                )
                dropped.append(column)
        X = X[keep]
        kept: list[str] = []
        values = (X - X.mean()) / X.std(ddof=0)
        for column in X.columns:
            trial = values[[*kept, column]].to_numpy()
            if np.linalg.matrix_rank(trial) == len(kept) + 1:
                kept.append(column)
            else:
                notes.append(DesignNote("survival.churn.design.dependent", {"column": column}))
                dropped.append(column)
        X = X[kept]
        if X.shape[1] > 1:
            c = X.corr().abs().to_numpy()
            np.fill_diagonal(c, 0.0)
            max_abs = float(np.nanmax(c))
    if not any(n.key in DROPPED_NOTES for n in notes):
        notes.append(DesignNote("survival.churn.design.ok", {"corr": max_abs}))
    return CoxDesign(
        X=X,
        sources={c: sources[c] for c in X.columns},
        baselines=used_baselines,
        level_maps=level_maps,
        notes=notes,
        dropped=dropped,
        max_abs_corr=max_abs,
        fill_values={c: v for c, v in fill_values.items() if c in X.columns},
    )


# --------------------------------------------------------------------------- the Cox model


def _bands(values: pd.Series, bins: int) -> tuple[pd.Series, np.ndarray]:
    edges = np.unique(np.quantile(values.to_numpy(dtype=float), np.linspace(0, 1, bins + 1)))
    if len(edges) < 3:
        edges = np.unique(np.r_[values.min(), values.median(), values.max()])
    inner = edges[1:-1]
    return pd.Series(
        np.searchsorted(inner, values.to_numpy(dtype=float), side="right"), index=values.index
    ), inner


class NoCovariates(DataError):
    """Every covariate of the Cox model is missing, constant or collinear.

    ``notes`` are the design's notes (:class:`DesignNote`) that say why; :meth:`reason`
    words them (the message is in English).
    """

    def __init__(self, notes: Sequence[DesignNote], *, fix: str | None = None) -> None:
        self.notes = list(notes)
        super().__init__(SURVIVAL_TABLE, None, self.reason("en"), fix=fix)

    def reason(self, lang: str = "en") -> str:
        """Why there is no model, the notes in ``lang``."""
        shown = self.notes[:-1] or self.notes
        return "no covariate is left for the Cox model: " + "; ".join(
            note.text(lang) for note in shown
        )


class ChurnModel:
    """A Cox proportional-hazards churn model with the checks this handbook holds to.

    ``fit`` builds the design (:func:`cox_design`), samples above ``max_fit_rows``
    (stratified by churn status), fits lifelines' ``CoxPHFitter`` without a penalty and
    falls back to ``penalizer`` only when that fails, runs ``proportional_hazard_test``
    (rank time, Holm-corrected) and refits stratified on up to ``max_strata`` failing
    covariates (continuous ones in ``strata_bins`` quantile bands).

    Parameters
    ----------
    covariates : sequence of str
        Input columns (see :data:`DEFAULT_COVARIATES`).
    penalizer : float
        Fallback ridge penalty (lifelines multiplies it by n on standardized covariates).
    max_fit_rows : int
        Above this many customers the fit uses a stratified random sample.
    ph_alpha : float
        Holm-corrected p-value below which a covariate fails the PH check.
    max_strata : int
        At most this many covariates are stratified on.
    strata_bins : int
        Quantile bands for a continuous stratification covariate.
    protect : sequence of str
        Covariates never stratified on (their hazard ratio is the point of the model);
        if they fail the check the text says their HR is an average over time.
    baselines : dict, optional
        Categorical column -> baseline level.
    ph_max_rows : int
        The PH test (scaled Schoenfeld residuals, the slow part at scale) runs on a model
        refitted on a seeded sample of this many fit rows.
    random_state : int
        The one seed (``cfg.seed``) for the sample and the folds.
    landmark_days : float
        The table passed to ``fit`` is a landmark table (:func:`landmark_data`): its time
        runs from this many days after the start. Predictions for a customer observed for
        ``duration_days`` since the start condition on ``duration_days - landmark_days``
        (at least 0) on the model's time scale.

    Attributes
    ----------
    model_ : lifelines.CoxPHFitter
    design_ : CoxDesign
    data_ : DataFrame
        What the final model was fitted on (design columns, strata, duration, event).
    strata_ : list of str
        Stratification columns (``<covariate>_band`` for continuous ones).
    ph_test_ : DataFrame
        PH test per design column before stratification (``test_statistic, p, p_holm, fails``).
    penalizer_ : float
        Penalizer actually used (0 when none was needed).
    n_total_, n_fit_ : int
    timings_ : dict
        Seconds spent in the design, the first fit, the PH test and the stratified refit.

    Examples
    --------
    >>> from lifelines.datasets import load_rossi
    >>> r = load_rossi().rename(columns={"week": "duration_days", "arrest": "event"})
    >>> m = ChurnModel(["fin", "age", "prio"], protect=["fin", "age", "prio"]).fit(r)
    >>> m.hazard_ratios().set_index("covariate")["hr"].round(3).to_dict()
    {'fin': 0.707, 'age': 0.935, 'prio': 1.102}
    """

    def __init__(
        self,
        covariates: Sequence[str] = DEFAULT_COVARIATES,
        *,
        penalizer: float = 0.01,
        max_fit_rows: int = 200_000,
        ph_alpha: float = 0.05,
        max_strata: int = 2,
        strata_bins: int = 4,
        protect: Sequence[str] = ("unresolved_complaint", "slow_first_response", "app_bound"),
        baselines: dict[str, str] | None = None,
        ph_max_rows: int = 50_000,
        random_state: int = 42,
        landmark_days: float = 0.0,
    ) -> None:
        self.covariates = covariates
        self.penalizer = penalizer
        self.max_fit_rows = max_fit_rows
        self.ph_alpha = ph_alpha
        self.max_strata = max_strata
        self.strata_bins = strata_bins
        self.protect = protect
        self.baselines = baselines
        self.ph_max_rows = ph_max_rows
        self.random_state = random_state
        self.landmark_days = landmark_days

    # ---------------------------------------------------------------- fitting

    def _cox(self, data: pd.DataFrame, strata: list[str]) -> Any:
        from custops.survival.coxfit import CoxPHFitter

        reason = ""
        try:
            model = CoxPHFitter(penalizer=0.0).fit(
                data, "duration_days", "event", strata=strata or None
            )
            if np.all(np.isfinite(model.standard_errors_)):
                self.penalizer_ = 0.0
                return model
            reason = "infinite standard errors"
        except Exception as exc:  # ConvergenceError, LinAlgError
            reason = type(exc).__name__
        if self.penalizer <= 0:
            raise DataError(
                SURVIVAL_TABLE,
                None,
                f"the Cox model did not converge ({reason}) and no penalizer is configured",
                cause="constant, collinear or perfectly separating covariates",
                fix="Set churn.penalizer (e.g. 0.01) in the config or remove the covariate.",
            )
        self.penalizer_ = float(self.penalizer)
        self.penalty_reason_ = reason
        return CoxPHFitter(penalizer=self.penalizer).fit(
            data, "duration_days", "event", strata=strata or None
        )

    def fit(self, surv: pd.DataFrame) -> ChurnModel:
        """Fit on a survival table with covariates (:func:`survival_data` + :func:`add_covariates`).

        Returns
        -------
        ChurnModel
            self
        """
        from lifelines.statistics import proportional_hazard_test
        from statsmodels.stats.multitest import multipletests

        if len(surv) < 20 or surv["event"].sum() < 5:
            raise DataError(
                SURVIVAL_TABLE,
                "event",
                f"too few customers ({len(surv)}) or churn events ({int(surv['event'].sum())}) for a Cox model",
                fix="Use a longer history or a shorter inactivity window.",
            )
        clock = time.perf_counter()
        self.timings_: dict[str, float] = {}
        self.landmark_ = dict(surv.attrs.get("landmark") or {})
        self.n_total_ = len(surv)
        rows = surv
        if len(surv) > self.max_fit_rows:
            from sklearn.model_selection import train_test_split

            rows, _ = train_test_split(
                surv,
                train_size=self.max_fit_rows,
                stratify=surv["event"],
                random_state=self.random_state,
            )
            rows = rows.sort_index()
        self.n_fit_ = len(rows)
        self.design_ = cox_design(rows, list(self.covariates), baselines=self.baselines)
        X = self.design_.X
        if X.shape[1] == 0:
            raise NoCovariates(
                self.design_.notes,
                fix="Map customer attributes (e.g. acquisition_channel, app_bound) or add "
                "tickets, so that the model has something to compare; the Kaplan-Meier curves "
                "do not need them.",
            )
        data = X.assign(
            duration_days=rows["duration_days"].astype(float), event=rows["event"].astype(int)
        )
        self.penalty_reason_ = ""
        self.timings_["design_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        first = self._cox(data, [])
        self.timings_["first_fit_s"] = time.perf_counter() - clock
        clock = time.perf_counter()
        ph_rows, ph_model = data, first
        if len(data) > self.ph_max_rows:
            from custops.survival.coxfit import CoxPHFitter

            # lifelines' test needs the model fitted on exactly the rows it checks
            ph_rows = data.sample(self.ph_max_rows, random_state=self.random_state)
            ph_model = CoxPHFitter(penalizer=self.penalizer_).fit(ph_rows, "duration_days", "event")
        self.n_ph_ = len(ph_rows)
        test = proportional_hazard_test(ph_model, ph_rows, time_transform="rank")
        self.timings_["ph_test_s"] = time.perf_counter() - clock
        ph = test.summary[["test_statistic", "p"]].copy()
        ph.index = [str(i) for i in ph.index]
        ph = ph.reindex(X.columns)
        _, p_holm, _, _ = multipletests(ph["p"].fillna(1.0).to_numpy(), method="holm")
        ph["p_holm"] = p_holm
        ph["fails"] = ph["p_holm"] < self.ph_alpha
        ph.insert(0, "source", [self.design_.sources[c] for c in ph.index])
        self.ph_test_ = ph.rename_axis("covariate").reset_index()
        failing = ph[ph["fails"]].sort_values("p")
        sources: list[str] = []
        for source in failing["source"]:
            if source not in sources:
                sources.append(source)
        self.ph_failing_ = sources
        chosen = [s for s in sources if s not in self.protect][: self.max_strata]
        # stratifying on every covariate would leave a Cox model with none: keep the last one
        # in the model (its hazard ratio is then an average over time, said in the notes)
        while chosen and all(self.design_.sources[c] in chosen for c in X.columns):
            chosen.pop()
        self.ph_unstratified_ = [s for s in sources if s not in chosen]
        self.strata_ = []
        self.strata_sources_ = chosen
        self._band_edges: dict[str, np.ndarray] = {}
        if chosen:
            drop = [c for c in X.columns if self.design_.sources[c] in chosen]
            data = data.drop(columns=drop)
            for source in chosen:
                name = f"{source}_band"
                values = rows[source]
                if pd.api.types.is_numeric_dtype(values) and values.nunique() > self.strata_bins:
                    band, edges = _bands(values.astype(float), self.strata_bins)
                    self._band_edges[source] = edges
                    data[name] = band.to_numpy()
                else:
                    data[name] = self._strata_codes(source, values).to_numpy()
                self.strata_.append(name)
            clock = time.perf_counter()
            self.model_ = self._cox(data, self.strata_)
            self.timings_["stratified_fit_s"] = time.perf_counter() - clock
        else:
            self.model_ = first
        self.data_ = data
        self.columns_ = [
            c for c in data.columns if c not in ("duration_days", "event", *self.strata_)
        ]
        return self

    def frame(self, surv: pd.DataFrame) -> pd.DataFrame:
        """The model's input columns (design + strata) for any rows of a survival table."""
        X = self.design_.transform(surv)[self.columns_]
        for source, name in zip(self.strata_sources_, self.strata_, strict=True):
            if source in self._band_edges:
                X[name] = np.searchsorted(
                    self._band_edges[source], surv[source].astype(float).to_numpy(), side="right"
                )
            else:
                X[name] = self._strata_codes(source, surv[source]).to_numpy()
        return X

    def _strata_codes(self, source: str, values: pd.Series) -> pd.Series:
        codes = values.astype(object).where(values.notna(), "unknown").astype(str)
        mapping = self.design_.level_maps.get(source)
        if mapping:
            codes = codes.map(mapping).fillna(self.design_.baselines[source])
        return codes

    # ---------------------------------------------------------------- tables

    def hazard_ratios(self, lang: str = "en") -> pd.DataFrame:
        """Hazard ratios with 95% CIs, one row per design column (strata have none).

        Parameters
        ----------
        lang : {"en", "zh"}
            Language of the ``label`` column.

        Returns
        -------
        DataFrame
            ``covariate, label, hr, hr_low, hr_high, p, baseline``.
        """
        s = self.model_.summary
        baseline = {c: self.design_.baselines.get(self.design_.sources[c], "") for c in s.index}
        return pd.DataFrame(
            {
                "covariate": [str(c) for c in s.index],
                "label": [label(str(c), lang) for c in s.index],
                "hr": s["exp(coef)"].to_numpy(),
                "hr_low": s["exp(coef) lower 95%"].to_numpy(),
                "hr_high": s["exp(coef) upper 95%"].to_numpy(),
                "p": s["p"].to_numpy(),
                "baseline": [baseline[c] for c in s.index],
            }
        )

    def notes(self, lang: str = "en") -> list[str]:
        """Design, sample, penalty and PH-check statements in words, in ``lang``."""
        out = []
        if self.landmark_:
            out.append(catalog.t("survival.churn.landmark", lang, **self.landmark_))
        out.extend(self.design_.note_texts(lang))
        if self.n_fit_ < self.n_total_:
            out.append(
                catalog.t(
                    "survival.churn.fit.sample",
                    lang,
                    n_fit=self.n_fit_,
                    n=self.n_total_,
                    seed=self.random_state,
                )
            )
        else:
            out.append(catalog.t("survival.churn.fit.all", lang, n_fit=self.n_fit_))
        if self.penalizer_ > 0:
            out.append(
                catalog.t(
                    "survival.churn.fit.penalizer",
                    lang,
                    pen=self.penalizer_,
                    reason=self.penalty_reason_,
                )
            )
        else:
            out.append(catalog.t("survival.churn.fit.penalizer0", lang, pen=self.penalizer))
        if self.ph_failing_:
            text = ""
            if self.strata_sources_:
                text = catalog.t(
                    "survival.churn.ph.strata",
                    lang,
                    alpha=self.ph_alpha,
                    names=join_names((label(s, lang) for s in self.strata_sources_), lang),
                    strata=", ".join(f"`{s}`" for s in self.strata_),
                )
            if self.ph_unstratified_:
                text += catalog.t(
                    "survival.churn.ph.left",
                    lang,
                    names=join_names((label(s, lang) for s in self.ph_unstratified_), lang),
                )
            out.append(text.strip())
        else:
            out.append(catalog.t("survival.churn.ph.ok", lang))
        if self.n_ph_ < self.n_fit_:
            out.append(
                catalog.t("survival.churn.ph.sample", lang, n=self.n_ph_, seed=self.random_state)
            )
        return out

    # ---------------------------------------------------------------- prediction

    def survival_at(
        self, surv: pd.DataFrame, days: Sequence[float], *, conditional: bool = False
    ) -> pd.DataFrame:
        """Predicted survival, one row per customer and one column per day in ``days``.

        With ``conditional=True`` it is survival for ``days`` more, given the customer has
        survived ``duration_days`` so far (lifelines' ``conditional_after``).
        """
        X = self.frame(surv).reset_index(drop=True)
        after = (
            np.clip(surv["duration_days"].to_numpy(dtype=float) - self.landmark_days, 0.0, None)
            if conditional
            else None
        )
        sf = self.model_.predict_survival_function(
            X, times=np.asarray(days, dtype=float), conditional_after=after
        )
        sf = sf.reindex(columns=X.index).T
        sf.index = surv.index
        sf.columns = list(days)
        return sf

    def churn_probability(self, surv: pd.DataFrame, horizon_days: int) -> pd.Series:
        """P(churn within ``horizon_days`` | survived ``duration_days``) = 1 - S(t+h)/S(t).

        Examples
        --------
        >>> from lifelines.datasets import load_rossi
        >>> r = load_rossi().rename(columns={"week": "duration_days", "arrest": "event"})
        >>> m = ChurnModel(["fin", "age"], protect=["fin", "age"]).fit(r)
        >>> p = m.churn_probability(r.head(3), 10)
        >>> bool(((p >= 0) & (p <= 1)).all())
        True
        """
        s = self.survival_at(surv, [horizon_days], conditional=True).iloc[:, 0]
        return (1.0 - s).clip(0.0, 1.0).rename(f"churn_prob_{horizon_days}d")

    def max_follow_up(self, surv: pd.DataFrame) -> pd.Series:
        """Longest duration observed in each customer's stratum (beyond it the baseline is flat).

        On the time scale of ``surv`` (days since the start, the landmark added back).
        """
        if not self.strata_:
            return pd.Series(
                float(self.data_["duration_days"].max()) + self.landmark_days, index=surv.index
            )
        longest = self.data_.groupby(self.strata_)["duration_days"].max() + self.landmark_days
        keys = self.frame(surv)[self.strata_]
        index = pd.MultiIndex.from_frame(keys) if len(self.strata_) > 1 else keys.iloc[:, 0]
        return pd.Series(longest.reindex(index).to_numpy(dtype=float), index=surv.index)

    def contributions(self, surv: pd.DataFrame) -> pd.DataFrame:
        """Each covariate's additive part of the log partial hazard, relative to the average customer.

        ``(x - mean of the fit data) * coefficient``; the row sums equal lifelines'
        ``predict_log_partial_hazard``.
        """
        X = self.frame(surv)[self.columns_]
        mean = self.data_[self.columns_].mean()
        return (X - mean) * self.model_.params_[self.columns_]

    # ---------------------------------------------------------------- validation

    def cross_validate(
        self, surv: pd.DataFrame, *, folds: int = 5, at_days: float = 365
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Out-of-sample concordance and calibration, refitting the same specification per fold.

        Folds are stratified by churn status (seed ``random_state``) over the rows the model
        was fitted on. The risk score is the predicted survival at ``at_days`` (it uses the
        stratum baselines, which lifelines' own ``score`` ignores); concordance is
        lifelines' ``concordance_index``.

        Returns
        -------
        folds : DataFrame
            ``fold, n_test, concordance``.
        predictions : DataFrame
            Out-of-fold ``predicted_churn`` (1 - S(at_days)) with ``duration_days``, ``event``.
        """
        from lifelines.utils import concordance_index
        from sklearn.model_selection import StratifiedKFold

        from custops.survival.coxfit import CoxPHFitter

        data = self.data_
        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.random_state)
        rows, predictions = [], []
        for k, (train, test) in enumerate(splitter.split(data, data["event"]), start=1):
            fitter = CoxPHFitter(penalizer=self.penalizer_).fit(
                data.iloc[train], "duration_days", "event", strata=self.strata_ or None
            )
            part = data.iloc[test]
            X = part.drop(columns=["duration_days", "event"]).reset_index(drop=True)
            sf = fitter.predict_survival_function(X, times=[float(at_days)])
            s = sf.reindex(columns=X.index).iloc[0].to_numpy()
            rows.append(
                {
                    "fold": k,
                    "n_test": len(part),
                    "concordance": concordance_index(part["duration_days"], s, part["event"]),
                }
            )
            predictions.append(
                pd.DataFrame(
                    {
                        "duration_days": part["duration_days"].to_numpy(),
                        "event": part["event"].to_numpy(),
                        "predicted_churn": 1.0 - s,
                    },
                    index=part.index,
                )
            )
        return pd.DataFrame(rows), pd.concat(predictions).sort_index()


def calibration_table(predictions: pd.DataFrame, at_days: float, *, bins: int = 10) -> pd.DataFrame:
    """Predicted vs observed (Kaplan-Meier) churn by ``at_days``, by decile of predicted risk.

    Parameters
    ----------
    predictions : DataFrame
        ``predicted_churn``, ``duration_days``, ``event`` (out-of-fold).
    at_days : float
    bins : int

    Returns
    -------
    DataFrame
        ``decile, n, predicted, observed, observed_low, observed_high``.

    Examples
    --------
    >>> p = pd.DataFrame({"predicted_churn": np.linspace(0, 1, 100), "duration_days": np.arange(100.0),
    ...     "event": [1] * 100})
    >>> calibration_table(p, 50, bins=4)["n"].tolist()
    [25, 25, 25, 25]
    """
    from lifelines import KaplanMeierFitter

    ranks = predictions["predicted_churn"].rank(method="first")
    decile = pd.qcut(ranks, bins, labels=False) + 1
    rows = []
    for d, part in predictions.groupby(decile):
        kmf = KaplanMeierFitter().fit(part["duration_days"], part["event"])
        observed = 1.0 - float(kmf.survival_function_at_times(at_days).iloc[0])
        low, high = _ci_at(kmf.confidence_interval_survival_function_, at_days)
        rows.append(
            {
                "decile": int(d),
                "n": len(part),
                "predicted": float(part["predicted_churn"].mean()),
                "observed": observed,
                "observed_low": 1.0 - high,
                "observed_high": 1.0 - low,
            }
        )
    return pd.DataFrame(rows)


def covariate_table(model: ChurnModel, lang: str = "en") -> pd.DataFrame:
    """Which covariates were considered, which are in the model, and why the others are not.

    Examples
    --------
    >>> covariate_table(m)  # doctest: +SKIP
    """
    used_sources = set(model.design_.sources.values())
    rows = []
    for column in model.covariates:
        if column in model.strata_sources_:
            status = catalog.t("survival.churn.status.stratified", lang)
        elif column in used_sources:
            status = catalog.t("survival.churn.status.in_model", lang)
        else:
            status = catalog.t("survival.churn.status.dropped", lang)
        base = model.design_.baselines.get(column, "")
        rows.append(
            {"covariate": label(column, lang), "status": status, "baseline": base, "why": ""}
        )
    for column in NOT_MODELLED:
        if column in model.covariates:
            continue
        rows.append(
            {
                "covariate": label(column, lang),
                "status": catalog.t("survival.churn.status.left_out", lang),
                "baseline": "",
                "why": catalog.t(f"survival.churn.not_modelled.{column}", lang),
            }
        )
    return pd.DataFrame(rows)


def hr_sentences(model: ChurnModel, lang: str = "en", columns: Sequence[str] | None = None) -> str:
    """One bullet per hazard ratio, in words.

    Examples
    --------
    >>> from lifelines.datasets import load_rossi
    >>> r = load_rossi().rename(columns={"week": "duration_days", "arrest": "event"})
    >>> print(hr_sentences(ChurnModel(["fin"], protect=["fin"]).fit(r)))
    - fin: hazard ratio **0.69** (95% CI 0.48–1.00), i.e. churn risk 31% lower at any moment (not distinguishable from no effect)
    """
    table = model.hazard_ratios(lang).set_index("covariate")
    if columns is not None:
        table = table.loc[[c for c in columns if c in table.index]]
    lines = []
    for _, row in table.iterrows():
        effect = (
            catalog.t("survival.churn.hr.up", lang, pct=row["hr"] - 1)
            if row["hr"] >= 1
            else catalog.t("survival.churn.hr.down", lang, pct=1 - row["hr"])
        )
        if row["hr_low"] <= 1 <= row["hr_high"]:
            effect += catalog.t("survival.churn.hr.ns", lang)
        lines.append(
            "- "
            + catalog.t(
                "survival.churn.hr.sentence",
                lang,
                label=row["label"],
                hr=row["hr"],
                low=row["hr_low"],
                high=row["hr_high"],
                effect=effect,
            )
        )
    return "\n".join(lines)


def model_text(
    folds: pd.DataFrame, calibration: pd.DataFrame, at_days: float, *, seed: int, lang: str = "en"
) -> str:
    """Concordance and calibration in words.

    Examples
    --------
    >>> f = pd.DataFrame({"fold": [1, 2], "n_test": [10, 10], "concordance": [0.7, 0.72]})
    >>> c = pd.DataFrame({"predicted": [0.1], "observed": [0.12], "observed_low": [0.05], "observed_high": [0.2]})
    >>> model_text(f, c, 365, seed=42)[:44]
    'Out of sample (2-fold cross-validation, seed'
    """
    c = folds["concordance"]
    text = catalog.t(
        "survival.churn.cv",
        lang,
        folds=len(folds),
        seed=seed,
        c=float(c.mean()),
        lo=float(c.min()),
        hi=float(c.max()),
        days=int(at_days),
    )
    valid = calibration.dropna(subset=["observed"])
    gap = float((valid["predicted"] - valid["observed"]).abs().max()) if len(valid) else math.nan
    inside = int(
        (
            (valid["predicted"] >= valid["observed_low"])
            & (valid["predicted"] <= valid["observed_high"])
        ).sum()
    )
    return (
        text
        + " "
        + catalog.t(
            "survival.churn.calib",
            lang,
            days=int(at_days),
            gap=100 * gap,
            inside=inside,
            n=len(valid),
        )
    )


# --------------------------------------------------------------------------- plots (no computing)


def shown_curves(curves: pd.DataFrame, exclude: Sequence[str] = ()) -> pd.DataFrame:
    """The Kaplan-Meier curves to draw: :attr:`KMResult.curves` without the groups in
    ``exclude`` (the small ones, :func:`small_groups`).

    Examples
    --------
    >>> c = pd.DataFrame({"group": ["a", "a", "b"], "days": [0, 9, 0], "survival": 1.0})
    >>> shown_curves(c, ["b"])["group"].tolist()
    ['a', 'a']
    """
    skip = set(exclude)
    return curves[[g not in skip for g in curves["group"]]]


def plot_km(
    curves: pd.DataFrame,
    *,
    title: str,
    xlabel: str = "days since first order",
    ylabel: str = "share still a customer",
    max_days: float | None = None,
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Kaplan-Meier curves with 95% confidence bands, one per group of ``curves`` (from
    :func:`shown_curves`); returns the Axes.

    ``takeaway`` (the caption, :func:`km_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> c = pd.DataFrame({"group": ["all"] * 2, "days": [0, 9], "survival": [1.0, 0.5],
    ...     "low": [1.0, 0.4], "high": [1.0, 0.6]})
    >>> fig, ax = plt.subplots()
    >>> plot_km(c, title="t", ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots()
    groups = list(dict.fromkeys(curves["group"]))
    for i, g in enumerate(groups):
        part = curves[curves["group"] == g]
        color = PALETTE[i % len(PALETTE)]
        ax.step(part["days"], part["survival"], where="post", color=color, label=str(g), lw=1.6)
        ax.fill_between(
            part["days"], part["low"], part["high"], step="post", color=color, alpha=0.15, lw=0
        )
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    if max_days:
        ax.set_xlim(0, max_days)
    percent_axis(ax)
    if len(groups) > 1:
        ax.legend(frameon=False, fontsize=9)
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def km_takeaway(
    curves: pd.DataFrame,
    lang: str = "en",
    *,
    exclude: Sequence[str] = (),
    landmark: bool = False,
    days: float = 365,
) -> str:
    """One sentence on Kaplan-Meier curves: the share still buying after ``days`` days (or
    the last day every curve reaches), and with several groups the longest- and
    shortest-lived.

    Examples
    --------
    >>> c = pd.DataFrame({"group": ["north"] * 3 + ["south"] * 3, "days": [0, 200, 400] * 2,
    ...     "survival": [1.0, 0.8, 0.7, 1.0, 0.5, 0.4], "low": 0.0, "high": 1.0})
    >>> km_takeaway(c)
    'The group north keeps customers longest: 80% are still buying after 365 days, against 50% for south.'
    >>> km_takeaway(c[c["group"] == "south"].assign(group="all"))
    '50% of customers are still buying 365 days after their first order.'
    """
    shown = curves[~curves["group"].astype(str).isin([str(g) for g in exclude])]
    groups = list(dict.fromkeys(shown["group"]))
    if not groups:
        return catalog.t("figure.no_data", lang)
    reach = float(shown.groupby("group", sort=False)["days"].max().min())
    at = min(float(days), reach)
    share = {
        g: float(part.loc[part["days"] <= at, "survival"].iloc[-1])
        for g, part in ((g, shown[shown["group"] == g].sort_values("days")) for g in groups)
    }
    if len(share) == 1:
        (group, value), days_text = next(iter(share.items())), f"{at:,.0f}"
        if str(group) != "all" and not landmark:  # the one group of a split large enough
            return catalog.t(
                "figure.km.one",
                lang,
                share=f"{value:.0%}",
                group=value_label(group, lang),
                days=days_text,
            )
        key = "figure.km.landmark" if landmark else "figure.km"
        return catalog.t(key, lang, share=f"{value:.0%}", days=days_text)
    best = max(share, key=share.get)
    worst = min(share, key=share.get)
    return catalog.t(
        "figure.km.groups",
        lang,
        best=value_label(best, lang),
        worst=value_label(worst, lang),
        best_share=f"{share[best]:.0%}",
        worst_share=f"{share[worst]:.0%}",
        days=f"{at:,.0f}",
    )


def plot_forest(
    hr: pd.DataFrame,
    *,
    title: str,
    xlabel: str = "hazard ratio (log scale)",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Hazard ratios with 95% CIs on a log axis, from :meth:`ChurnModel.hazard_ratios` (first
    row at the top); returns the Axes.

    ``takeaway`` (the caption, :func:`forest_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> hr = pd.DataFrame({"label": ["a"], "hr": [0.6], "hr_low": [0.5], "hr_high": [0.72]})
    >>> fig, ax = plt.subplots()
    >>> plot_forest(hr, title="t", ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    frame = hr.iloc[::-1].reset_index(drop=True)
    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(8, 0.45 * len(frame) + 1.4))
    y = np.arange(len(frame))
    colors = [
        PALETTE[3] if lo > 1 else PALETTE[2] if hi < 1 else PALETTE[7]
        for lo, hi in zip(frame["hr_low"], frame["hr_high"], strict=True)
    ]
    for yi, row, color in zip(y, frame.itertuples(), colors, strict=True):
        ax.plot([row.hr_low, row.hr_high], [yi, yi], color=color, lw=2)
    ax.scatter(frame["hr"], y, color=colors, zorder=3)
    ax.axvline(1.0, color="#444444", lw=1, ls="--")
    ax.set_xscale("log")
    ax.set_yticks(y)
    ax.set_yticklabels(frame["label"])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    from matplotlib.ticker import FuncFormatter, LogLocator

    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(0.25, 0.5, 1.0, 2.0, 4.0)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def forest_takeaway(hr: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the covariate whose 95% interval excludes 1 with the hazard ratio furthest
    from 1 (on the log scale), or that no interval excludes 1.

    Examples
    --------
    >>> hr = pd.DataFrame({"label": ["APP bound", "slow reply"], "hr": [0.6, 1.3],
    ...     "hr_low": [0.5, 0.9], "hr_high": [0.72, 1.9]})
    >>> forest_takeaway(hr)
    'APP bound goes with the largest change in churn risk: hazard ratio 0.60 (95% CI 0.50–0.72).'
    """
    top = strongest_ratio(hr, "hr", "hr_low", "hr_high")
    if top is None:
        return catalog.t("figure.forest.none", lang)
    return catalog.t(
        "figure.forest",
        lang,
        label=str(top["label"]),
        hr=float(top["hr"]),
        low=float(top["hr_low"]),
        high=float(top["hr_high"]),
    )


def plot_calibration(
    calibration: pd.DataFrame,
    *,
    title: str,
    xlabel: str = "predicted churn",
    ylabel: str = "observed churn (Kaplan-Meier)",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Predicted vs observed churn by decile with the observed 95% CI and the diagonal, from
    :func:`calibration_table`; returns the Axes.

    ``takeaway`` (the caption, :func:`calibration_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> c = pd.DataFrame({"predicted": [0.1, 0.3], "observed": [0.12, 0.25],
    ...     "observed_low": [0.05, 0.2], "observed_high": [0.2, 0.3]})
    >>> fig, ax = plt.subplots()
    >>> plot_calibration(c, title="t", ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(5.6, 5))
    c = calibration
    ax.errorbar(
        c["predicted"],
        c["observed"],
        yerr=[c["observed"] - c["observed_low"], c["observed_high"] - c["observed"]],
        fmt="o",
        color=PALETTE[0],
        capsize=3,
    )
    top = float(np.nanmax([c["predicted"].max(), c["observed_high"].max(), 0.05])) * 1.05
    ax.plot([0, top], [0, top], ls="--", color="#666666", lw=1)
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def calibration_takeaway(calibration: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on :func:`calibration_table`: the mean gap between predicted and observed
    churn over the deciles.

    Examples
    --------
    >>> c = pd.DataFrame({"predicted": [0.1, 0.3], "observed": [0.12, 0.25]})
    >>> calibration_takeaway(c)
    'Predicted churn is 3.5 points from the observed churn on average over the 2 deciles.'
    """
    valid = calibration.dropna(subset=["predicted", "observed"])
    if valid.empty:
        return catalog.t("figure.no_data", lang)
    gap = 100 * float((valid["predicted"] - valid["observed"]).abs().mean())
    return catalog.t("figure.churn_calibration", lang, gap=gap, n=len(valid))


# --------------------------------------------------------------------------- notebook helpers

#: columns of segments.parquet that name a customer's segment, in order of preference
SEGMENT_COLUMNS = ("segment", "rfm_segment", "segment_name")


#: clean-table columns nothing in notebook 03 reads (churn, clv, health, paths); not read by
#: :func:`custops.chapters.churn.load` (string columns of 20M orders and 6M touches cost seconds to read)
UNUSED_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("quantity", "channel", "category"),
    "tickets": ("channel", "reopened", "agent"),
    "surveys": ("comment", "touchpoint"),
    "touches": ("channel", "campaign", "delivered", "clicked", "ab_group"),
}


def small_groups(km: KMResult) -> list[str]:
    """Groups flagged small in a :class:`KMResult`."""
    return km.table.loc[km.table["small"], "group"].astype(str).tolist()


def km_display(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A Kaplan-Meier table for people: medians and survival with their CIs as text.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["all"], "n": [10], "events": [4], "censored": [6], "median_days": [np.inf],
    ...     "median_low": [300.0], "median_high": [np.inf], "survival_365d": [0.8], "survival_365d_low": [0.7],
    ...     "survival_365d_high": [0.9], "small": [False]})
    >>> list(km_display(t).iloc[0].astype(str))
    ['all', '10', '4', 'not reached (300–not reached)', '80% (70%–90%)', '']
    """
    rows = pd.DataFrame(
        {
            catalog.t("survival.churn.head.group", lang): table["group"].astype(str),
            catalog.t("survival.churn.head.n", lang): table["n"].astype(int),
            catalog.t("survival.churn.head.events", lang): table["events"].astype(int),
            catalog.t("survival.churn.head.median", lang): [
                f"{_days(m, lang)} ({_days(lo, lang)}–{_days(hi, lang)})"
                for m, lo, hi in zip(
                    table["median_days"], table["median_low"], table["median_high"], strict=True
                )
            ],
        }
    )
    for column in table.columns:
        if column.startswith("survival_") and column.endswith("d"):
            t = column[len("survival_") : -1]
            rows[catalog.t("survival.churn.head.surv", lang, t=t)] = [
                f"{s:.0%} ({lo:.0%}–{hi:.0%})"
                for s, lo, hi in zip(
                    table[column], table[f"{column}_low"], table[f"{column}_high"], strict=True
                )
            ]
    rows[catalog.t("survival.churn.head.small", lang)] = np.where(
        table["small"], catalog.t("survival.churn.head.small_flag", lang), ""
    )
    return rows


def logrank_display(tests: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Pairwise log-rank results for people.

    Examples
    --------
    >>> t = pd.DataFrame({"group_a": ["x"], "group_b": ["y"], "chi2": [9.0], "p": [0.0027], "p_holm": [0.0081], "significant": [True]})
    >>> logrank_display(t).iloc[0].tolist()
    ['x', 'y', '0.0027', '0.0081', 'yes']
    """
    return pd.DataFrame(
        {
            catalog.t("survival.churn.head.a", lang): tests["group_a"],
            catalog.t("survival.churn.head.b", lang): tests["group_b"],
            catalog.t("survival.churn.head.p", lang): [
                f"{p:.2g}" if p >= 1e-4 else "<0.0001" for p in tests["p"]
            ],
            catalog.t("survival.churn.head.p_holm", lang): [
                f"{p:.2g}" if p >= 1e-4 else "<0.0001" for p in tests["p_holm"]
            ],
            catalog.t("survival.churn.head.sig", lang): np.where(
                tests["significant"],
                catalog.t("survival.churn.head.yes", lang),
                catalog.t("survival.churn.head.no", lang),
            ),
        }
    )


def hr_display(model: ChurnModel, lang: str = "en") -> pd.DataFrame:
    """Hazard ratios with CIs and the PH-check result, for people, in ``lang``."""
    hr = model.hazard_ratios(lang)
    ph = model.ph_test_.set_index("covariate")
    return pd.DataFrame(
        {
            catalog.t("survival.churn.head.covariate", lang): hr["label"],
            catalog.t("survival.churn.head.hr", lang): [
                f"{h:.2f} ({lo:.2f}–{hi:.2f})"
                for h, lo, hi in zip(hr["hr"], hr["hr_low"], hr["hr_high"], strict=True)
            ],
            catalog.t("survival.churn.head.p", lang): [
                f"{p:.2g}" if p >= 1e-4 else "<0.0001" for p in hr["p"]
            ],
            catalog.t("survival.churn.head.baseline", lang): hr["baseline"],
            catalog.t("survival.churn.head.ph_fail", lang): [
                catalog.t("survival.churn.head.yes", lang)
                if ph.loc[c, "fails"]
                else catalog.t("survival.churn.head.no", lang)
                for c in hr["covariate"]
            ],
        }
    )


def km_section(
    ctx: Any, surv: pd.DataFrame, group: str | None = None, *, max_days: float | None = None
) -> tuple[KMResult, pd.DataFrame]:
    """Show one Kaplan-Meier section: the sentence, the curves, the table and the tests.

    Returns
    -------
    km : KMResult
    tests : DataFrame
        Pairwise log-rank tests (empty for the overall curve).
    """
    from IPython.display import display

    from custops.report.notebook import md, table

    lang = ctx.language
    min_events = ctx.cfg.churn.min_group_events
    if group is not None and (group not in surv or surv[group].nunique(dropna=True) < 2):
        md(group_missing_sentence(group, group in surv, lang))
        return None, pd.DataFrame(
            columns=["group_a", "group_b", "chi2", "p", "p_holm", "significant"]
        )
    times = sorted({*ctx.cfg.churn.horizons_days, 365})
    km = km_by_group(surv, group, times=times, min_events=min_events)
    tests = (
        pairwise_logrank(surv, group, exclude=small_groups(km))
        if group is not None
        else pd.DataFrame(columns=["group_a", "group_b", "chi2", "p", "p_holm", "significant"])
    )
    md(km_text(km, lang, tests, min_events=min_events))
    name = label(group, lang) if group else catalog.t("survival.churn.km.all_customers", lang)
    title = catalog.t("survival.churn.km.title", lang, period=ctx.period.label, name=name)
    mark = surv.attrs.get("landmark", {}).get("days")
    exclude = small_groups(km)
    ax = plot_km(
        shown_curves(km.curves, exclude),
        title=title,
        max_days=max_days,
        xlabel=(
            catalog.t("survival.churn.km.xlabel", lang)
            if not mark
            else catalog.t("survival.churn.km.xlabel_landmark", lang, mark=mark)
        ),
        ylabel=catalog.t("survival.churn.km.ylabel", lang),
        takeaway=km_takeaway(km.curves, lang, exclude=exclude, landmark=bool(mark)),
    )
    display(ax.figure)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
    display(table(km_display(km.table, lang)))
    if group is not None:
        overall = overall_logrank(surv, group, exclude=small_groups(km))
        if overall is not None:
            md(overall_logrank_text(overall, lang))
    if len(tests):
        display(table(logrank_display(tests, lang)))
    return km, tests


def overall_logrank(
    surv: pd.DataFrame, group: str, *, exclude: Sequence[str] = ()
) -> dict[str, float] | None:
    """The k-group log-rank test (lifelines' ``multivariate_logrank_test``) over the levels of ``group``.

    Returns ``None`` with fewer than two levels left after ``exclude``.

    Examples
    --------
    >>> from lifelines.datasets import load_waltons
    >>> w = load_waltons().rename(columns={"T": "duration_days", "E": "event"})
    >>> r = overall_logrank(w, "group")
    >>> r["groups"], r["df"], r["p"] < 0.001
    (2, 1, True)
    """
    from lifelines.statistics import multivariate_logrank_test

    keys = surv[group].astype(object).where(surv[group].notna(), "unknown").astype(str)
    keep = ~keys.isin(list(exclude))
    k = int(keys[keep].nunique())
    if k < 2:
        return None
    result = multivariate_logrank_test(
        surv.loc[keep, "duration_days"], keys[keep], surv.loc[keep, "event"]
    )
    return {
        "groups": k,
        "df": k - 1,
        "chi2": float(result.test_statistic),
        "p": float(result.p_value),
    }


def overall_logrank_text(test: dict[str, float], lang: str = "en") -> str:
    """One sentence for :func:`overall_logrank`.

    Examples
    --------
    >>> overall_logrank_text({"groups": 3, "df": 2, "chi2": 12.5, "p": 0.0019})
    'Overall log-rank test across the 3 groups (not small): χ² = 12.5, df = 2, p = 0.0019 — the curves differ.'
    """
    p = f"{test['p']:.2g}" if test["p"] >= 1e-4 else "<0.0001"
    differ = test["p"] < 0.05
    verdict = catalog.t(
        "survival.churn.logrank.differ" if differ else "survival.churn.logrank.same", lang
    )
    return catalog.t(
        "survival.churn.logrank.overall",
        lang,
        groups=test["groups"],
        chi2=test["chi2"],
        df=test["df"],
        p=p,
        verdict=verdict,
    )


def landmark_groups(ctx: Any, surv: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The landmark table of the Cox model with ``service_issue`` from the landmark flags.

    Service experience is not fixed at the first order, so its survival curves are a
    landmark analysis: the group is the service of the first ``churn.landmark_days`` days
    (:func:`landmark_data`), survival is counted from the landmark.

    Examples
    --------
    >>> km_service = km_section(ctx, landmark_groups(ctx, surv, tables), "service_issue")  # doctest: +SKIP
    """
    rows = landmark_data(
        surv,
        tables.get("tickets"),
        None,
        landmark_days=ctx.cfg.churn.landmark_days,
        slow_hours=ctx.cfg.nps.slow_response_hours,
    )
    words = _group_words(ctx.language)
    if "unresolved_complaint" in rows and "slow_first_response" in rows:
        rows["service_issue"] = np.select(
            [rows["unresolved_complaint"] == 1, rows["slow_first_response"] == 1],
            [words["unresolved"], words["slow"]],
            words["none"],
        )
    else:
        rows = rows.drop(columns=["service_issue"], errors="ignore")
    return rows


def km_config_groups(ctx: Any, surv: pd.DataFrame) -> dict[str, KMResult | None]:
    """One Kaplan-Meier section per column of ``churn.groups`` (a heading, curves, tables, tests).

    Examples
    --------
    >>> km_config_groups(ctx, surv)  # doctest: +SKIP
    """
    from custops.report.notebook import md

    out: dict[str, KMResult | None] = {}
    for group in ctx.cfg.churn.groups:
        name = label(group, ctx.language)
        md(catalog.t("survival.churn.km.by", ctx.language, name=name))
        out[group], _ = km_section(ctx, surv, group)
    return out


def headline_numbers(
    km: KMResult,
    model: ChurnModel | None,
    folds: pd.DataFrame | None,
    rate: dict[str, float],
) -> Headlines:
    """The headline numbers of the churn chapter, typed (:class:`~custops.core.results.Headline`).

    Keys: ``churn_period_rate`` (+``_low``/``_high``), ``churn_km_1y`` (+CI), ``churn_median_days``
    (+CI; NaN when not reached), ``churn_hr_unresolved``/``slow``/``app`` (+CI),
    ``churn_concordance``, ``churn_n_events``, ``churn_n_censored``. Every key is written
    out once here, so a grep of a key on the landing page finds this function.
    """
    row = km.table.iloc[0]

    def days(column: str) -> float:
        return float(row[column]) if np.isfinite(row[column]) else math.nan

    out = [
        Headline("churn_period_rate", float(rate["rate"]), "share", rate["low"], rate["high"]),
        Headline(
            "churn_km_1y",
            float(1 - row["survival_365d"]),
            "share",
            float(1 - row["survival_365d_high"]),
            float(1 - row["survival_365d_low"]),
        ),
        Headline(
            "churn_median_days",
            days("median_days"),
            "days",
            days("median_low"),
            days("median_high"),
        ),
    ]
    hr = (
        model.hazard_ratios().set_index("covariate")
        if model is not None
        else pd.DataFrame(index=pd.Index([], name="covariate"))
    )

    def hazard_ratio(key: str, covariate: str) -> Headline:
        r = hr.loc[covariate]
        return Headline(key, float(r["hr"]), "ratio", float(r["hr_low"]), float(r["hr_high"]))

    if "unresolved_complaint" in hr.index:
        out.append(hazard_ratio("churn_hr_unresolved", "unresolved_complaint"))
    if "slow_first_response" in hr.index:
        out.append(hazard_ratio("churn_hr_slow", "slow_first_response"))
    if "app_bound" in hr.index:
        out.append(hazard_ratio("churn_hr_app", "app_bound"))
    if folds is not None:  # no Cox model (no covariate left): no concordance
        out.append(Headline("churn_concordance", float(folds["concordance"].mean()), "ratio"))
    out += [
        Headline("churn_n_events", int(row["events"]), "count"),
        Headline("churn_n_censored", int(row["censored"]), "count"),
    ]
    return Headlines(out)


def needs_orders(ctx: Any, section: str) -> bool:
    """Without an orders table say so in one sentence (``sources.orders``) and return True.

    A contractual customer snapshot has survival curves and a Cox model, but no purchases
    for lifetime value, the health score or the paths.

    Examples
    --------
    >>> needs_orders(ctx, "customer health score")  # doctest: +SKIP
    False
    """
    from custops.report.notebook import md

    if ctx.has("orders"):
        return False
    md(catalog.t("survival.churn.no_orders", ctx.language, section=section))
    return True


def fit_model(
    ctx: Any, surv: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None
) -> ChurnModel | None:
    """Fit the chapter's Cox model; when it cannot be fitted, say why in one sentence and return None.

    With ``tables`` (the clean tables) the model is fitted on the landmark table
    (:func:`landmark_data`, ``churn.landmark_days``): covariates measured up to the
    landmark, risk counted after it. Without them it is fitted on ``surv`` as it is.

    No covariate left (all missing, constant or collinear) or too few churn events: the
    sections built on the model (hazard ratios, churn probabilities, CLV, the priority list)
    are skipped and the Kaplan-Meier curves stand.

    Examples
    --------
    >>> model = fit_model(ctx, surv)  # doctest: +SKIP
    """
    from custops.report.notebook import md

    lang = ctx.language
    landmark = 0
    rows = surv
    if tables is not None and "contract_snapshot" not in surv:
        landmark = ctx.cfg.churn.landmark_days
        rows = landmark_data(
            surv,
            tables.get("tickets"),
            tables.get("orders"),
            landmark_days=landmark,
            slow_hours=ctx.cfg.nps.slow_response_hours,
        )
    try:
        return ChurnModel(
            covariates=ctx.cfg.churn.covariates or DEFAULT_COVARIATES,
            baselines=ctx.cfg.churn.baselines or None,
            penalizer=ctx.cfg.churn.penalizer,
            max_fit_rows=ctx.cfg.churn.max_fit_rows,
            random_state=ctx.seed,
            landmark_days=landmark,
        ).fit(rows)
    except DataError as exc:
        if isinstance(exc, NoCovariates):
            reason = exc.reason(lang)
        else:
            reason = exc.message.split(": ", 1)[-1].splitlines()[0]  # without what it names
        md(catalog.t("survival.churn.no_model", lang, reason=reason))
        return None


def forest_figure(ctx: Any, model: ChurnModel) -> Any:
    """The hazard-ratio forest plot of a fitted model, titled for the period and language;
    returns the Axes."""
    lang = ctx.language
    hr = model.hazard_ratios(lang)
    return plot_forest(
        hr,
        title=catalog.t("survival.churn.forest.title", lang, period=ctx.period.label),
        xlabel=catalog.t("survival.churn.forest.xlabel", lang),
        takeaway=forest_takeaway(hr, lang),
    )


def calibration_figure(ctx: Any, calibration: pd.DataFrame, at_days: float) -> Any:
    """The calibration plot, titled for the period and language; returns the Axes."""
    lang = ctx.language
    return plot_calibration(
        calibration,
        title=catalog.t(
            "survival.churn.calibration.title", lang, period=ctx.period.label, days=at_days
        ),
        xlabel=catalog.t("survival.churn.calibration.xlabel", lang),
        ylabel=catalog.t("survival.churn.calibration.ylabel", lang),
        takeaway=calibration_takeaway(calibration, lang),
    )


#: survival group column -> the config key that provides it (its name in words: the catalog
#: text ``survival.churn.source.<column>``)
GROUP_SOURCES = {
    "acquisition_channel": "sources.customers.columns.acquisition_channel",
    "app_binding": "sources.customers.columns.app_bound",
    "service_issue": "sources.tickets",
    "region": "sources.customers.columns.region",
    "first_order_band": "sources.orders (amount)",
    "signup_cohort": "sources.customers.columns.signup_date",
    "tier": "segments.tiers",
    "segment": "notebook 02 (segments.parquet)",
}


def group_missing_sentence(group: str, constant: bool = False, lang: str = "en") -> str:
    """One sentence: the survival curves by ``group`` are skipped, and which config key provides it.

    Examples
    --------
    >>> group_missing_sentence("acquisition_channel")
    '> The data have no acquisition channel (config key `sources.customers.columns.acquisition_channel`), so the survival curves by it are skipped.'
    """
    key = GROUP_SOURCES.get(group, f"sources.customers.columns.{group}")
    what = (
        catalog.t(f"survival.churn.source.{group}", lang)
        if group in GROUP_SOURCES
        else catalog.t("survival.churn.source.other", lang, group=group)
    )
    if constant:
        return catalog.t("survival.churn.group_constant", lang, what=what)
    return catalog.t("survival.churn.group_missing", lang, what=what, key=key)


def skip_note(ctx: Any, what: str) -> Any:
    """Say (in words) that a section is skipped because its input is missing.

    ``what`` is ``"tier"`` or ``"segment"``.
    """
    from custops.report.notebook import md

    return md(catalog.t(f"survival.churn.skip.{what}", ctx.language))
