"""Survival CLV beside BTYD CLV: rank agreement, the survival model as a holdout predictor,
the two charts of the section and their one-sentence takeaways.

The chapter (:mod:`custops.chapters.btyd`) reads the tables, calls these and shows them;
nothing here reads files or knows the notebook context.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import ChurnConfig, Period
from custops.report.text import t
from custops.survival.btyd.holdout import HoldoutResult

__all__ = [
    "rank_agreement",
    "tables_before",
    "survival_predictor",
    "scatter_takeaway",
    "holdout_takeaway",
    "plot_clv_scatter",
    "plot_holdout",
]

#: ``f(customer_ids, offsets_days) -> (n, k)`` cumulative expected purchase days
Predictor = Callable[[pd.Series, np.ndarray], np.ndarray]


def rank_agreement(a: pd.Series, b: pd.Series, *, top: float = 0.1) -> dict[str, float]:
    """Spearman correlation and top-share overlap of two value columns (rows with both).

    ``overlap`` is the share of ``a``'s top ``top`` fraction that is also in ``b``'s.

    Examples
    --------
    >>> a = pd.Series(range(100), dtype=float)
    >>> rank_agreement(a, a * 2)
    {'n': 100, 'spearman': 1.0, 'overlap': 1.0}
    """
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    n = len(both)
    if n < 3:
        return {"n": n, "spearman": float("nan"), "overlap": float("nan")}
    k = max(1, int(np.ceil(top * n)))
    top_a = set(both["a"].sort_values(ascending=False, kind="stable").index[:k])
    top_b = set(both["b"].sort_values(ascending=False, kind="stable").index[:k])
    rho = float(stats.spearmanr(both["a"], both["b"]).statistic)
    return {"n": n, "spearman": round(rho, 12), "overlap": len(top_a & top_b) / k}


#: the date column of each table that says when a row became known
_DATED = {
    "orders": "order_date",
    "tickets": "created_at",
    "surveys": "responded_at",
    "touches": "sent_at",
    "customers": "signup_date",
}


def tables_before(tables: dict[str, pd.DataFrame], end: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The tables as they were at the end of the day ``end`` (rows dated later dropped).

    Examples
    --------
    >>> o = pd.DataFrame({"order_date": pd.to_datetime(["2025-09-30 23:00", "2025-10-01 00:00"])})
    >>> len(tables_before({"orders": o}, pd.Timestamp("2025-09-30"))["orders"])
    1
    """
    out = {}
    for name, frame in tables.items():
        column = _DATED.get(name)
        if column and column in frame:
            frame = frame[pd.to_datetime(frame[column]) < end + pd.Timedelta(days=1)]
        out[name] = frame
    return out


def survival_predictor(
    tables: dict[str, pd.DataFrame],
    calibration: Period,
    churn: ChurnConfig,
    *,
    random_state: int | None = None,
) -> Predictor:
    """The chapter's Cox model refitted as of ``calibration``'s end, as a holdout predictor.

    Returns ``f(customer_ids, offsets_days) -> (n, k)`` cumulative expected purchase days:
    order rate over the last 12 months (per day, at least 30 days observed) times the
    expected days alive in ``(0, offset]`` (trapezoid over the offsets of the conditional
    survival); 0 for customers churned at the calibration end or unknown to the model.
    Pass ``tables`` restricted to the customers to be scored to save time.

    Examples
    --------
    >>> f = survival_predictor(tables, Period.parse("2025Q3"), cfg.churn)  # doctest: +SKIP
    >>> f(pd.Series(["c1"]), np.array([7.0, 14.0]))  # doctest: +SKIP
    """
    from custops.features.features import customer_features
    from custops.survival.churn import ChurnModel, add_covariates, survival_data

    end = pd.Timestamp(calibration.end)
    past = tables_before(tables, end)
    features = customer_features(past, calibration, inactivity_days=churn.inactivity_days)
    surv = survival_data(features, calibration, churn)
    surv = add_covariates(surv, past.get("orders"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ChurnModel(
            penalizer=churn.penalizer,
            max_fit_rows=churn.max_fit_rows,
            random_state=random_state,
        ).fit(surv)
    active = surv[surv["event"] == 0]
    days = active["tenure_days"].astype(float).clip(lower=30.0, upper=365.0)
    rate = active["orders_365d"].astype(float).fillna(0.0).to_numpy() / days.to_numpy()
    ids = active["customer_id"].to_numpy()

    def predict(customers: pd.Series, offsets: np.ndarray) -> np.ndarray:
        grid = np.concatenate([[0.0], np.asarray(offsets, dtype=float)])
        s = np.hstack(
            [
                np.ones((len(active), 1)),
                model.survival_at(active, list(grid[1:]), conditional=True).to_numpy(),
            ]
        )
        alive_days = np.cumsum((s[:, 1:] + s[:, :-1]) / 2.0 * np.diff(grid), axis=1)
        expected = pd.DataFrame(alive_days * rate[:, None], index=ids)
        return expected.reindex(customers.to_numpy()).fillna(0.0).to_numpy()

    return predict


def holdout_takeaway(result: HoldoutResult, lang: str = "en") -> str:
    """One sentence on the holdout: the repeat purchases made, and the predictor closest per
    customer (smallest mean absolute error) with its expected total.

    Examples
    --------
    >>> holdout_takeaway(result)  # doctest: +SKIP
    'Customers made 1,204 repeat purchases in the holdout; BG/NBD came closest per customer with 1,150 expected.'
    """
    totals = result.totals()
    winner = result.winner()
    if totals.empty or winner is None:
        return t("figure.no_data", lang)
    expected = float(totals.set_index("model").loc[winner, "expected"])
    return t(
        "figure.btyd_holdout",
        lang,
        actual=f"{float(result.customers['actual'].sum()):,.0f}",
        model=winner,
        expected=f"{expected:,.0f}",
    )


def scatter_takeaway(both: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: how alike the survival and the BTYD lifetime values rank the customers
    (Spearman's ρ; at least 0.7 "much alike", at least 0.4 "partly alike").

    Examples
    --------
    >>> b = pd.DataFrame({"clv": [1.0, 2.0, 3.0, 4.0], "clv_btyd": [1.5, 2.5, 2.0, 9.0]})
    >>> scatter_takeaway(b)
    'The two lifetime values rank the 4 active customers much alike (Spearman ρ = 0.80).'
    """
    rho = float(both["clv"].corr(both["clv_btyd"], method="spearman"))
    if not np.isfinite(rho):
        return t("figure.no_data", lang)
    how = "close" if rho >= 0.7 else "partly" if rho >= 0.4 else "apart"
    return t(
        "figure.btyd_scatter",
        lang,
        n=f"{len(both):,}",
        how=t(f"figure.btyd_scatter.{how}", lang),
        rho=rho,
    )


def plot_clv_scatter(
    both: pd.DataFrame,
    *,
    ax: Any = None,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
) -> Any:
    """Survival CLV against BTYD CLV per customer, both on log scales, with the diagonal.

    Returns the Axes.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> b = pd.DataFrame({"clv": [1.0, 20.0, 300.0], "clv_btyd": [2.0, 10.0, 500.0]})
    >>> plot_clv_scatter(b, ax=ax) is ax, ax.get_xscale()
    (True, 'log')
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4))
    x = both["clv"].clip(lower=0.01)
    y = both["clv_btyd"].clip(lower=0.01)
    ax.scatter(x, y, s=6, alpha=0.4)
    lim = [min(x.min(), y.min()), max(x.max(), y.max())]
    ax.plot(lim, lim, color="grey", lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(t("btyd.scatter_x", lang))
    ax.set_ylabel(t("btyd.scatter_y", lang))
    if title:
        ax.set_title(title)
    ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def plot_holdout(
    result: HoldoutResult,
    by_frequency: pd.DataFrame,
    *,
    axes: Any = None,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
) -> Any:
    """The holdout in two panels: cumulative repeat purchases over time (actual vs each
    predictor) and the mean holdout purchases by calibration frequency (``by_frequency``,
    :meth:`HoldoutResult.by_frequency`). Returns the two Axes.

    Examples
    --------
    >>> plot_holdout(result, result.by_frequency(), title="2025Q4")  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    result.plot_tracking(ax=axes[0], lang=lang, title=title)
    result.plot_by_frequency(by_frequency, ax=axes[1], lang=lang)
    axes[0].figure.tight_layout()
    set_takeaway(axes[0], takeaway)
    return axes
