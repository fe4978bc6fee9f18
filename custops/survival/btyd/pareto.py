"""Pareto/NBD (Schmittlein, Morrison & Colombo 1987; Fader & Hardie's 2005 derivation note).

While alive a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``; the lifetime is
exponential with rate ``mu ~ Gamma(s, beta)``, so a customer can drop out at any time (P(alive)
is below 1 also for x = 0). The likelihood

``L = Gamma(r + x) alpha^r beta^s / Gamma(r) * [1 / ((alpha + T)^(r + x) (beta + T)^s)
      + s / (r + s + x) * A0]``

uses Fader & Hardie's stable form of ``A0``: with ``m = max(alpha, beta)`` the Gauss
hypergeometric argument ``|alpha - beta| / (m + t)`` stays in ``[0, 1)``,

``A0 = 2F1(r+s+x, c; r+s+x+1; z(t_x)) / (m + t_x)^(r+s+x) - 2F1(...; z(T)) / (m + T)^(r+s+x)``

(``c = s + 1`` when ``alpha >= beta``, else ``r + x``), evaluated in logs: ``log A0 = l1 +
log1p(-exp(l2 - l1))`` and the sum of the two terms with ``logaddexp``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import gammaln, hyp2f1

from custops.survival.btyd.transactions import TransactionModel, unique_pairs

__all__ = ["ParetoNBDFitter"]


Pairs = tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


def distinct_pairs(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> Pairs:
    """The distinct ``(x, t_x)`` and ``(x, T)`` pairs with every customer's codes.

    The hypergeometric terms of the likelihood depend on one pair each, and customers share
    pairs (whole days in a time unit): :func:`_log_terms` evaluates them once per pair.

    Examples
    --------
    >>> (ax, at, ac), (bx, bT, bc) = distinct_pairs(
    ...     np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 2.0]), np.array([5.0, 6.0, 5.0]))
    >>> len(ax), len(bx), ac.tolist(), bc.tolist()
    (2, 3, [0, 0, 1], [0, 1, 2])
    """
    return unique_pairs(x, tx), unique_pairs(x, T)


def _log_terms(
    theta: np.ndarray,
    x: np.ndarray,
    tx: np.ndarray,
    T: np.ndarray,
    pairs: Pairs | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(log of the 'alive at T' term, log of the 'died in (t_x, T]' term) of the likelihood
    bracket; with ``pairs`` (:func:`distinct_pairs` of the same arrays) the hypergeometric
    terms are evaluated once per distinct pair (same values)."""
    r, alpha, s, beta = theta
    rsx = r + s + x
    if alpha >= beta:
        m, d = alpha, alpha - beta
    else:
        m, d = beta, beta - alpha

    def log_term(xx: np.ndarray, t: np.ndarray) -> np.ndarray:
        a = r + s + xx
        c = s + 1.0 if alpha >= beta else r + xx
        return np.log(hyp2f1(a, c, a + 1.0, d / (m + t))) - a * np.log(m + t)

    with np.errstate(divide="ignore", invalid="ignore"):
        if pairs is None:
            l1, l2 = log_term(x, tx), log_term(x, T)
        else:
            (ax, at, ac), (bx, bT, bc) = pairs
            l1, l2 = log_term(ax, at)[ac], log_term(bx, bT)[bc]
        log_a0 = l1 + np.log1p(-np.exp(np.minimum(l2 - l1, 0.0)))
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    died = np.log(s) - np.log(rsx) + log_a0
    return alive, died


class ParetoNBDFitter(TransactionModel):
    """Pareto/NBD purchase-count model fitted by maximum likelihood; ``params_``: ``r, alpha, s, beta``.

    Parameters and attributes as :class:`~custops.survival.btyd.transactions.TransactionModel`.

    Examples
    --------
    >>> ParetoNBDFitter().fit(summary).params_.round(3)  # doctest: +SKIP
    """

    _param_names = ("r", "alpha", "s", "beta")

    def _start(self, data: dict[str, Any]) -> np.ndarray:
        mean_T = data["sum_T"] / data["n"]
        return np.array([*self._purchase_start(data), 1.0, max(mean_T, 1e-3)])

    def _prepare(self, summary: pd.DataFrame, columns: dict[str, str]) -> dict[str, Any]:
        data = super()._prepare(summary, columns)
        # coded once per fit, reused by every likelihood evaluation
        data["pareto_pairs"] = distinct_pairs(data["x"], data["tx"], data["T"])
        return data

    def _neg_ll(self, log_theta: np.ndarray, data: dict[str, Any]) -> float:
        r, alpha, s, beta = theta = np.exp(log_theta)
        ux, cnt, n = data["ux"], data["ucount"], data["n"]
        alive, died = _log_terms(theta, data["x"], data["tx"], data["T"], data["pareto_pairs"])
        ll = (
            float(cnt @ (gammaln(r + ux) - gammaln(r)))
            + n * (r * np.log(alpha) + s * np.log(beta))
            + float(np.logaddexp(alive, died).sum())
        )
        return -ll if np.isfinite(ll) else np.inf

    def _p_alive(
        self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        alive, died = _log_terms(theta, x, tx, T)
        return np.exp(alive - np.logaddexp(alive, died))

    def _alive_expected(
        self, t: float, x: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        r, alpha, s, beta = theta
        log_q = -np.log1p(t / (beta + T))  # log((beta + T) / (beta + T + t))
        ratio = -log_q if abs(s - 1.0) < 1e-8 else -np.expm1((s - 1.0) * log_q) / (s - 1.0)
        return (r + x) * (beta + T) / (alpha + T) * ratio

    def _new_expected(self, t: np.ndarray, theta: np.ndarray) -> np.ndarray:
        r, alpha, s, beta = theta
        log_q = -np.log1p(t / beta)
        ratio = -log_q if abs(s - 1.0) < 1e-8 else -np.expm1((s - 1.0) * log_q) / (s - 1.0)
        return r * beta / alpha * ratio
