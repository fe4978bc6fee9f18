"""Holdout validation: fit on a calibration window, predict the purchases of the next window.

``holdout_validation`` splits the purchases at ``calibration_end`` (inclusive), fits the
purchase-count models on the calibration summary of every customer who had bought by then,
and compares each customer's predicted purchase days in ``(calibration_end, holdout_end]``
with the actual count: the total, the average by calibration frequency (0, 1, ..., 7+, as in
Fader, Hardie & Lee 2005, fig. 5), the per-customer mean absolute error and the weekly
cumulative tracking curve. Other predictors (the survival model of chapter 03) join through
``extra``: a callable giving each customer's cumulative expected purchases at given days.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from custops.report import text as catalog
from custops.survival.btyd.bgnbd import BetaGeoFitter
from custops.survival.btyd.pareto import ParetoNBDFitter
from custops.survival.btyd.summary import btyd_summary, fit_sample, holdout_days
from custops.survival.btyd.transactions import TransactionModel

__all__ = ["HoldoutResult", "holdout_validation", "MODELS"]

#: the purchase-count models a holdout fits, by display name
MODELS: dict[str, type[TransactionModel]] = {"BG/NBD": BetaGeoFitter, "Pareto/NBD": ParetoNBDFitter}

#: cumulative expected purchases of customers at offsets (days after the calibration end)
Predictor = Callable[[pd.Series, np.ndarray], np.ndarray]


@dataclass
class HoldoutResult:
    """Actual vs predicted holdout purchases of the calibration customers.

    Attributes
    ----------
    customers : DataFrame
        The calibration summary plus ``actual`` and one ``expected: <model>`` column per
        predictor (purchase days in the holdout).
    tracking : DataFrame
        ``day`` (offset after the calibration end), ``date``, ``actual`` and one column per
        predictor: cumulative purchase days of the calibration customers.
    models : dict
        The fitted purchase-count models.
    """

    calibration_end: pd.Timestamp
    holdout_end: pd.Timestamp
    time_unit_days: float
    customers: pd.DataFrame
    tracking: pd.DataFrame
    models: dict[str, TransactionModel] = field(default_factory=dict)
    predictors: list[str] = field(default_factory=list)

    def totals(self) -> pd.DataFrame:
        """One row per predictor: actual and expected holdout purchases, error, per-customer MAE.

        Examples
        --------
        >>> result.totals()  # doctest: +SKIP
        """
        actual = float(self.customers["actual"].sum())
        rows = []
        for name in self.predictors:
            expected = self.customers[f"expected: {name}"]
            rows.append(
                {
                    "model": name,
                    "customers": len(self.customers),
                    "actual": actual,
                    "expected": float(expected.sum()),
                    "error_pct": float(expected.sum() / actual - 1.0) if actual else np.nan,
                    "mae": float((expected - self.customers["actual"]).abs().mean()),
                }
            )
        return pd.DataFrame(rows)

    def by_frequency(self, max_frequency: int = 7) -> pd.DataFrame:
        """Mean actual and expected holdout purchases by calibration frequency 0..max+."""
        freq = self.customers["frequency"].clip(upper=max_frequency).astype(int)
        columns = ["actual", *[f"expected: {n}" for n in self.predictors]]
        out = self.customers.groupby(freq)[columns].mean()
        out.insert(0, "customers", self.customers.groupby(freq).size())
        out.index = [str(i) if i < max_frequency else f"{max_frequency}+" for i in out.index]
        out.index.name = "frequency"
        return out.reset_index()

    def winner(self) -> str | None:
        """The predictor with the smallest per-customer MAE (None without predictors)."""
        totals = self.totals()
        return None if totals.empty else str(totals.sort_values("mae").iloc[0]["model"])

    def plot_tracking(self, *, ax: Any = None, title: str | None = None, lang: str = "en") -> Any:
        """Weekly cumulative holdout purchases, actual vs each predictor; returns the Axes."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(7, 3.8))[1]
        dates = pd.to_datetime(self.tracking["date"])
        ax.plot(
            dates,
            self.tracking["actual"],
            color="black",
            lw=2,
            label=catalog.t("survival.btyd.actual", lang),
        )
        for name in self.predictors:
            ax.plot(dates, self.tracking[name], ls="--", label=name)
        ax.set_ylabel(catalog.t("survival.btyd.tracking_ylabel", lang))
        ax.legend()
        if title:
            ax.set_title(title)
        ax.figure.autofmt_xdate()
        return ax

    def plot_by_frequency(self, table: pd.DataFrame, *, ax: Any = None, lang: str = "en") -> Any:
        """Mean holdout purchases by calibration frequency, actual vs each predictor, as
        :meth:`by_frequency` tabulates them (``table``); returns the Axes."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots(figsize=(7, 3.8))[1]
        pos = np.arange(len(table))
        ax.plot(
            pos,
            table["actual"],
            color="black",
            lw=2,
            marker="o",
            label=catalog.t("survival.btyd.actual", lang),
        )
        for name in self.predictors:
            ax.plot(pos, table[f"expected: {name}"], ls="--", marker=".", label=name)
        ax.set_xticks(pos, table["frequency"])
        ax.set_xlabel(catalog.t("survival.btyd.frequency_xlabel", lang))
        ax.set_ylabel(catalog.t("survival.btyd.frequency_ylabel", lang))
        ax.legend()
        return ax


def _offsets(calibration_end: pd.Timestamp, holdout_end: pd.Timestamp) -> np.ndarray:
    length = int((holdout_end - calibration_end).days)
    return np.unique(np.append(np.arange(7, length + 1, 7), length)).astype(float)


def holdout_validation(
    orders: pd.DataFrame,
    calibration_end: date | str | pd.Timestamp,
    holdout_end: date | str | pd.Timestamp,
    *,
    time_unit_days: float = 7.0,
    penalizer: float = 0.0,
    models: Mapping[str, type[TransactionModel]] | None = None,
    extra: Mapping[str, Predictor] | None = None,
    summary: pd.DataFrame | None = None,
    max_fit_customers: int | None = None,
    random_state: int | None = None,
) -> HoldoutResult:
    """Fit the purchase-count models on the calibration window and score the holdout.

    Parameters
    ----------
    orders : DataFrame
        Clean orders (``customer_id, order_id, order_date, amount``).
    calibration_end, holdout_end : date-like
        Last day of the calibration and of the holdout window (both inclusive).
    time_unit_days : float
        Time unit of the fits (7: weeks).
    penalizer : float
        Ridge weight of every fit.
    models : mapping, optional
        Display name -> model class (default :data:`MODELS`).
    extra : mapping, optional
        Display name -> ``f(customer_ids, offsets_days) -> array (n, k)`` of cumulative
        expected purchase days (another model's predictions, on the same customers).
    summary : DataFrame, optional
        The calibration summary if already computed (:func:`btyd_summary`).
    max_fit_customers : int, optional
        Fit each model on a seeded random sample of this many customers when there are
        more (:func:`~custops.survival.btyd.summary.fit_sample`); every customer is scored.
    random_state : int, optional
        Seed of that sample.

    Returns
    -------
    HoldoutResult

    Raises
    ------
    ValueError
        When the holdout does not end after the calibration.

    Examples
    --------
    >>> r = holdout_validation(orders, "1997-09-30", "1998-06-30")  # doctest: +SKIP
    >>> r.totals()[["model", "actual", "expected"]]  # doctest: +SKIP
    """
    cal_end = pd.Timestamp(calibration_end).normalize()
    hold_end = pd.Timestamp(holdout_end).normalize()
    if hold_end <= cal_end:
        raise ValueError(
            f"the holdout must end after the calibration: calibration_end {cal_end.date()}, "
            f"holdout_end {hold_end.date()}"
        )
    models = dict(MODELS if models is None else models)
    if summary is None:
        summary = btyd_summary(orders, cal_end, time_unit_days=time_unit_days)
    customers = summary.reset_index(drop=True).copy()
    offsets = _offsets(cal_end, hold_end)
    days = holdout_days(orders, cal_end + pd.Timedelta(days=1), hold_end)
    days = days[days["customer_id"].isin(customers["customer_id"])]
    offset = (pd.to_datetime(days["day"]) - cal_end).dt.days.to_numpy()
    counts = days["customer_id"].value_counts()
    customers["actual"] = customers["customer_id"].map(counts).fillna(0).to_numpy(dtype=float)
    tracking = pd.DataFrame(
        {
            "day": offsets,
            "date": [(cal_end + pd.Timedelta(days=int(d))).date() for d in offsets],
            "actual": np.searchsorted(np.sort(offset), offsets, side="right").astype(float),
        }
    )
    fitted: dict[str, TransactionModel] = {}
    names: list[str] = []
    fit_on = fit_sample(customers, max_fit_customers, random_state)
    for name, cls in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = cls(penalizer=penalizer).fit(fit_on)
        fitted[name] = model
        cum = [
            float(model.expected_purchases(d / time_unit_days, customers).sum()) for d in offsets
        ]
        customers[f"expected: {name}"] = model.expected_purchases(
            offsets[-1] / time_unit_days, customers
        )
        tracking[name] = cum
        names.append(name)
    for name, predict in (extra or {}).items():
        values = np.asarray(predict(customers["customer_id"], offsets), dtype=float)
        customers[f"expected: {name}"] = values[:, -1]
        tracking[name] = values.sum(axis=0)
        names.append(name)
    return HoldoutResult(
        calibration_end=cal_end,
        holdout_end=hold_end,
        time_unit_days=time_unit_days,
        customers=customers,
        tracking=tracking,
        models=fitted,
        predictors=names,
    )
