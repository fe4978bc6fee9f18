"""Customer-level value from a purchase-count model and the Gamma-Gamma spend model.

CLV over ``H`` months, discounted monthly at the annual rate ``d``:

``CLV = margin * E[spend] * P(alive) * sum_{m=1..H} (G(t_m) - G(t_{m-1})) (1 + d)^(-m/12)``

with ``G(t)`` the expected purchases in the next ``t`` of a customer alive now and ``t_m`` the
end of month ``m`` in the model's time unit (the lifetimes / Fader-Hardie discrete sum).

Intervals carry the parameter uncertainty of both models (independent fits): parameter
draws from their asymptotic normals (in the log-parameters, seeded), each customer's CLV
recomputed per draw, the 2.5% and 97.5% quantiles (``method="draws"``). When that is too
much work (distinct ``(x, T)`` pairs x draws x months above ``max_evaluations``; a million
customers in continuous time), the same normal is propagated to first order instead
(``method="delta"``: ``log CLV`` linearised in the log-parameters, a log-normal interval,
which is what the draws converge to when the parameters are as tightly known as they are
with that many customers). The method used is in ``frame.attrs["interval_method"]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from custops.survival.btyd.base import log_interval
from custops.survival.btyd.gamma_gamma import GammaGammaFitter
from custops.survival.btyd.transactions import TransactionModel, unique_pairs

__all__ = ["customer_value", "DAYS_PER_MONTH"]

DAYS_PER_MONTH = 365.25 / 12


def _discounted_alive(
    model: TransactionModel,
    theta: np.ndarray,
    ux: np.ndarray,
    uT: np.ndarray,
    grid: np.ndarray,
    disc: np.ndarray,
) -> np.ndarray:
    total = np.zeros_like(ux)
    previous = np.zeros_like(ux)
    for t, w in zip(grid, disc, strict=True):
        current = model.alive_expected(float(t), ux, uT, theta, distinct=True)
        total += w * (current - previous)
        previous = current
    return total


def customer_value(
    transactions: TransactionModel,
    spend: GammaGammaFitter,
    summary: pd.DataFrame,
    *,
    margin: float = 0.3,
    annual_discount_rate: float = 0.1,
    horizon_months: int = 24,
    time_unit_days: float = 7.0,
    purchases_days: float = 90.0,
    n_draws: int = 200,
    random_state: int | np.random.Generator | None = None,
    max_evaluations: float = 5e6,
    chunk: int = 50_000,
    method: str = "auto",
    total_of: np.ndarray | None = None,
) -> pd.DataFrame:
    """P(alive), expected purchases and spend, and CLV with a 95% interval, per customer.

    Parameters
    ----------
    transactions : BetaGeoFitter or ParetoNBDFitter
        Fitted purchase-count model.
    spend : GammaGammaFitter
        Fitted spend model.
    summary : DataFrame
        ``frequency, recency, T, monetary_value`` (the units of the fit).
    margin, annual_discount_rate, horizon_months : float, float, int
        The CLV definition (``clv`` section of the config).
    time_unit_days : float
        Days per time unit of the summary.
    purchases_days : float
        Window of the ``expected_purchases`` column (days).
    n_draws : int
        Parameter draws for the intervals.
    random_state : int or Generator, optional
        Seed of the draws.
    max_evaluations : float
        Work limit of the exact draws (see the module docs).
    method : {"auto", "draws", "delta"}
    total_of : array of bool, optional
        Customers whose CLV total gets an interval (default all):
        ``frame.attrs["total"]``, ``["total_low"]``, ``["total_high"]`` (the quantiles of the
        total over the draws, not the sum of the customers' bounds).

    Returns
    -------
    DataFrame
        ``p_alive, expected_purchases, expected_spend, clv_btyd, clv_btyd_low,
        clv_btyd_high``, index of ``summary``.

    Examples
    --------
    >>> v = customer_value(bg, gg, summary, random_state=1)  # doctest: +SKIP
    >>> bool(((v.clv_btyd_low <= v.clv_btyd) & (v.clv_btyd <= v.clv_btyd_high)).all())  # doctest: +SKIP
    True
    """
    if method not in ("auto", "draws", "delta"):
        raise ValueError(f"method must be 'auto', 'draws' or 'delta', not {method!r}")
    x = summary["frequency"].to_numpy(dtype=float)
    tx = summary["recency"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    m = summary["monetary_value"].to_numpy(dtype=float)
    months = np.arange(1, horizon_months + 1)
    grid = months * DAYS_PER_MONTH / time_unit_days
    disc = (1.0 + annual_discount_rate) ** (-months / 12.0)
    ux, uT, codes = unique_pairs(x, T)

    theta_t = transactions.params_.to_numpy()
    theta_s = spend.params_.to_numpy()
    alive = transactions.p_alive(frequency=x, recency=tx, T=T, params=theta_t)
    amount = spend.expected_spend(frequency=x, monetary_value=m)
    dsum = _discounted_alive(transactions, theta_t, ux, uT, grid, disc)
    clv = margin * amount * alive * dsum[codes]
    out = pd.DataFrame(
        {
            "p_alive": alive,
            "expected_purchases": alive
            * transactions.alive_expected(purchases_days / time_unit_days, x, T, theta_t),
            "expected_spend": amount,
            "clv_btyd": clv,
        },
        index=summary.index,
    )
    cov_ok = np.all(np.isfinite(transactions.log_covariance_)) and np.all(
        np.isfinite(spend.log_covariance_)
    )
    mask = np.ones(len(x), dtype=bool) if total_of is None else np.asarray(total_of, dtype=bool)
    out.attrs["total"] = float(clv[mask].sum())
    out.attrs["total_low"] = out.attrs["total_high"] = float("nan")
    if not cov_ok or n_draws <= 0:
        out["clv_btyd_low"] = np.nan
        out["clv_btyd_high"] = np.nan
        out.attrs["interval_method"] = "none"
        return out
    work = len(ux) * n_draws * horizon_months
    use = method if method != "auto" else ("draws" if work <= max_evaluations else "delta")
    if use == "draws":
        rng = np.random.default_rng(random_state)
        draws_t = transactions.sample_params(n_draws, rng)
        draws_s = spend.sample_params(n_draws, rng)
        dmat = np.vstack([_discounted_alive(transactions, d, ux, uT, grid, disc) for d in draws_t])
        low = np.empty(len(x))
        high = np.empty(len(x))
        totals = np.zeros(n_draws)
        for start in range(0, len(x), chunk):
            sl = slice(start, start + chunk)
            values = np.empty((len(x[sl]), n_draws))
            for j in range(n_draws):
                values[:, j] = (
                    transactions.p_alive(
                        frequency=x[sl], recency=tx[sl], T=T[sl], params=draws_t[j]
                    )
                    * spend.expected_spend(frequency=x[sl], monetary_value=m[sl], params=draws_s[j])
                    * dmat[j, codes[sl]]
                )
            low[sl], high[sl] = np.quantile(values, [0.025, 0.975], axis=1) * margin
            totals += values[mask[sl]].sum(axis=0) * margin
        out.attrs["total_low"], out.attrs["total_high"] = map(
            float, np.quantile(totals, [0.025, 0.975])
        )
        out["clv_btyd_low"] = low
        out["clv_btyd_high"] = high
    else:
        var = np.zeros(len(x))
        h = 1e-5
        with np.errstate(divide="ignore", invalid="ignore"):
            log_a = np.log(alive)
            log_d = np.log(dsum)
            grads_t = []
            for i in range(len(theta_t)):
                step = theta_t * np.exp(h * (np.arange(len(theta_t)) == i))
                g = (
                    np.log(transactions.p_alive(frequency=x, recency=tx, T=T, params=step)) - log_a
                ) / h
                g += (
                    (np.log(_discounted_alive(transactions, step, ux, uT, grid, disc)) - log_d) / h
                )[codes]
                grads_t.append(np.nan_to_num(g))
            log_s = np.log(amount)
            grads_s = []
            for i in range(len(theta_s)):
                step = theta_s * np.exp(h * (np.arange(len(theta_s)) == i))
                g = (
                    np.log(spend.expected_spend(frequency=x, monetary_value=m, params=step)) - log_s
                ) / h
                grads_s.append(np.nan_to_num(g))
        var_total = 0.0
        for grads, cov in (
            (grads_t, transactions.log_covariance_),
            (grads_s, spend.log_covariance_),
        ):
            tot = np.array([float((clv * g)[mask].sum()) for g in grads])
            var_total += float(tot @ cov @ tot)
            for i, gi in enumerate(grads):
                for j, gj in enumerate(grads):
                    var += cov[i, j] * gi * gj
        total = out.attrs["total"]
        if total > 0:
            sd = np.sqrt(max(var_total, 0.0)) / total
            out.attrs["total_low"], out.attrs["total_high"] = (
                float(total * np.exp(-1.959963984540054 * sd)),
                float(total * np.exp(1.959963984540054 * sd)),
            )
        low, high = log_interval(clv, np.sqrt(np.maximum(var, 0.0)))
        out["clv_btyd_low"] = low
        out["clv_btyd_high"] = high
    out.attrs["interval_method"] = use
    out.attrs["n_draws"] = n_draws
    return out


def describe_interval_method(frame: pd.DataFrame) -> dict[str, Any]:
    """``{"method": ..., "n_draws": ...}`` of a :func:`customer_value` frame."""
    return {"method": frame.attrs.get("interval_method"), "n_draws": frame.attrs.get("n_draws")}
