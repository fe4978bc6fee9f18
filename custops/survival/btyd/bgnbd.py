"""BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").

While alive a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``; after every
purchase they drop out with probability ``p ~ Beta(a, b)``. With ``x`` repeat purchases, the
last at ``t_x``, observed for ``T``:

``L = B(a, b + x) / B(a, b) * Gamma(r + x) alpha^r / (Gamma(r) (alpha + T)^(r + x))
      * [1 + 1{x > 0} a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)]``

evaluated in logs (``betaln``/``gammaln`` once per distinct ``x``, the bracket with
``logaddexp``), with its analytic gradient. A customer can only drop out right after a
purchase, so **P(alive) is 1 for x = 0** by the model's definition.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from custops.survival.btyd.transactions import TransactionModel

__all__ = ["BetaGeoFitter"]


class BetaGeoFitter(TransactionModel):
    """BG/NBD purchase-count model fitted by maximum likelihood; ``params_``: ``r, alpha, a, b``.

    Parameters and attributes as :class:`~custops.survival.btyd.transactions.TransactionModel`.

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [2, 1, 0, 0], "recency": [30.43, 1.71, 0, 0],
    ...     "T": [38.86, 38.86, 38.86, 38.86]})  # doctest: +SKIP
    >>> BetaGeoFitter().fit(s).params_  # doctest: +SKIP
    """

    _param_names = ("r", "alpha", "a", "b")
    _has_gradient = True

    def _start(self, data: dict[str, Any]) -> np.ndarray:
        return np.array([*self._purchase_start(data), 1.0, 3.0])

    def _neg_ll(self, log_theta: np.ndarray, data: dict[str, Any]) -> float:
        return self._neg_ll_grad(log_theta, data, gradient=False)[0]

    def _neg_ll_grad(
        self, log_theta: np.ndarray, data: dict[str, Any], gradient: bool = True
    ) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(log_theta)
        ux, cnt, n = data["ux"], data["ucount"], data["n"]
        x, T = data["x"], data["T"]
        xp, txp, Tp = data["xp"], data["txp"], data["Tp"]
        LT = np.log(alpha + T)
        LTp = np.log(alpha + Tp)
        Lxp = np.log(alpha + txp)
        u = np.log(a) - np.log(b + xp - 1.0) + (r + xp) * (LTp - Lxp)
        per_x = gammaln(r + ux) - gammaln(r) + betaln(a, b + ux) - betaln(a, b)
        ll = (
            float(cnt @ per_x)
            + n * r * np.log(alpha)
            - r * LT.sum()
            - float(x @ LT)
            + float(np.logaddexp(0.0, u).sum())
        )
        if not gradient:
            return -ll, np.empty(0)
        w = expit(u)
        d_r = (
            float(cnt @ (digamma(r + ux) - digamma(r)))
            + n * np.log(alpha)
            - LT.sum()
            + float(w @ (LTp - Lxp))
        )
        d_alpha = (
            n * r / alpha
            - float(((r + x) / (alpha + T)).sum())
            + float(w @ ((r + xp) * (1.0 / (alpha + Tp) - 1.0 / (alpha + txp))))
        )
        d_a = float(cnt @ (digamma(a + b) - digamma(a + b + ux))) + w.sum() / a
        d_b = float(
            cnt @ (digamma(b + ux) - digamma(a + b + ux) - digamma(b) + digamma(a + b))
        ) - float((w / (b + xp - 1.0)).sum())
        grad = np.array([d_r, d_alpha, d_a, d_b]) * np.array([r, alpha, a, b])
        return -ll, -grad

    def _p_alive(
        self, x: np.ndarray, tx: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        r, alpha, a, b = theta
        rep = x > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.log(a) - np.log(b + x - 1.0) + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
        return np.where(rep, expit(-np.where(rep, u, 0.0)), 1.0)

    def _alive_expected(
        self, t: float, x: np.ndarray, T: np.ndarray, theta: np.ndarray
    ) -> np.ndarray:
        r, alpha, a, b = theta
        if t <= 0:
            return np.zeros_like(x, dtype=float)
        z = t / (alpha + T + t)
        q = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
        return (a + b + x - 1.0) / (a - 1.0) * (1.0 - q * hyp2f1(r + x, b + x, a + b + x - 1.0, z))

    def _new_expected(self, t: np.ndarray, theta: np.ndarray) -> np.ndarray:
        r, alpha, a, b = theta
        z = t / (alpha + t)
        q = np.exp(r * (np.log(alpha) - np.log(alpha + t)))
        return (a + b - 1.0) / (a - 1.0) * (1.0 - q * hyp2f1(r, b, a + b - 1.0, z))

    def frequency_probabilities(self, T: np.ndarray, max_frequency: int) -> np.ndarray:
        """P(X(T) = x), x = 0..max-1, and P(X(T) >= max) (FHL 2005, eq. 8), per customer."""
        r, alpha, a, b = self.params_.to_numpy()
        T = np.asarray(T, dtype=float)[:, None]
        xs = np.arange(max_frequency)[None, :]
        lq = np.log(alpha) - np.log(alpha + T)
        lt = np.log(T) - np.log(alpha + T)
        first = np.exp(
            betaln(a, b + xs)
            - betaln(a, b)
            + gammaln(r + xs)
            - gammaln(r)
            - gammaln(xs + 1)
            + r * lq
            + xs * lt
        )
        # second term: delta(x>0) B(a+1, b+x-1)/B(a,b) [1 - (alpha/(alpha+T))^r sum_{j<x} ...]
        out = first.copy()
        for k in range(1, max_frequency):
            js = np.arange(k)[None, :]
            partial = np.exp(gammaln(r + js) - gammaln(r) - gammaln(js + 1) + r * lq + js * lt).sum(
                axis=1, keepdims=True
            )
            out[:, k : k + 1] += np.exp(betaln(a + 1, b + k - 1) - betaln(a, b)) * (1.0 - partial)
        rest = np.clip(1.0 - out.sum(axis=1, keepdims=True), 0.0, 1.0)
        return np.hstack([out, rest])
