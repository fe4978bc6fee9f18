"""lifelines' Cox model with the Efron sums of its Newton steps computed without a Python loop.

lifelines' ``_get_efron_values_batch`` walks the distinct durations one by one (thousands
of whole days, in every stratum, at every Newton step: ~75% of a 200,000-row fit). The
same Hessian, gradient and log partial likelihood are sums over the risk sets, which
cumulative sums over the duration groups give at once (see :func:`efron_values`); only the
order of the floating-point additions differs, so the fit converges to the same
coefficients (to ~1e-10; tested against lifelines). Everything else (standard errors,
baseline hazards, predictions, PH test) is lifelines' own code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter as _LifelinesCox
from lifelines import utils
from lifelines.fitters.coxph_fitter import SemiParametricPHFitter

__all__ = ["CoxPHFitter", "efron_values", "schoenfeld_residuals"]


def efron_values(
    X: np.ndarray, T: np.ndarray, E: np.ndarray, weights: np.ndarray, beta: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """Hessian, gradient and log partial likelihood of a Cox model with Efron ties.

    The rows must be sorted by ascending ``T`` (as lifelines sorts them). For each distinct
    time with ``m`` deaths, death ``l = 0..m-1`` has denominator ``R − (l/m)·D`` (``R``: the
    risk-set sum of ``w·exp(xβ)``, ``D``: the same over the tied deaths), as in lifelines'
    ``_get_efron_values_batch``, whose results this returns.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [0.5]])
    >>> h, g, ll = efron_values(X, np.array([1.0, 2.0, 2.0]), np.array([1, 1, 0]),
    ...                         np.ones(3), np.zeros(1))
    >>> round(ll, 4), g.round(4).tolist()
    (-1.7918, [-0.25])
    """
    X = np.asarray(X, dtype=float)
    T = np.asarray(T)
    dead = np.asarray(E).astype(bool)
    w = np.asarray(weights, dtype=float)
    n, d = X.shape
    if n == 0 or not dead.any():
        return np.zeros((d, d)), np.zeros(d), 0.0
    start = np.r_[True, T[1:] != T[:-1]]
    gid = np.cumsum(start) - 1  # duration group, ascending
    n_groups = int(gid[-1]) + 1
    scores = w * np.exp(X @ beta)
    phi_x = scores[:, None] * X

    def by_group(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
        if values.ndim == 1:
            return np.bincount(groups, weights=values, minlength=n_groups)
        return np.stack(
            [np.bincount(groups, weights=values[:, j], minlength=n_groups) for j in range(d)],
            axis=1,
        )

    # risk set of group g: every row with a group >= g (reverse cumulative sums)
    risk_phi = np.cumsum(by_group(scores, gid)[::-1])[::-1]
    risk_phi_x = np.cumsum(by_group(phi_x, gid)[::-1], axis=0)[::-1]
    gd = gid[dead]
    n_dead = np.bincount(gd, minlength=n_groups)
    tie_phi = by_group(scores[dead], gd)
    tie_phi_x = by_group(phi_x[dead], gd)
    w_dead = w[dead]
    weighted_average = by_group(w_dead, gd)[gd] / n_dead[gd]
    first = np.r_[0, np.flatnonzero(gd[1:] != gd[:-1]) + 1]
    rank = np.arange(len(gd)) - np.repeat(first, np.diff(np.r_[first, len(gd)]))
    prop = rank / n_dead[gd]  # l / m for the l-th of m tied deaths
    denom = 1.0 / (risk_phi[gd] - prop * tie_phi[gd])
    summand = (risk_phi_x[gd] - prop[:, None] * tie_phi_x[gd]) * denom[:, None]
    x_dead = X[dead]
    gradient = (w_dead[:, None] * x_dead).sum(0) - (weighted_average[:, None] * summand).sum(0)
    log_lik = float((w_dead * (x_dead @ beta)).sum() + (weighted_average * np.log(denom)).sum())
    a2 = (weighted_average[:, None] * summand).T @ summand
    # a1 = Σ_g [R_xx(g)·Σ_l wa·denom − D_xx(g)·Σ_l wa·(l/m)·denom]; a row is in the risk sets of
    # every group up to its own, so R_xx terms collapse to one weighted X'X
    s1 = np.bincount(gd, weights=weighted_average * denom, minlength=n_groups)
    s2 = np.bincount(gd, weights=weighted_average * prop * denom, minlength=n_groups)
    c1 = np.cumsum(s1)[gid]
    a1 = (X * (scores * c1)[:, None]).T @ X - (x_dead * (scores[dead] * s2[gd])[:, None]).T @ x_dead
    return a2 - a1, gradient, log_lik


def schoenfeld_residuals(
    X: np.ndarray, T: np.ndarray, E: np.ndarray, weights: np.ndarray, beta: np.ndarray
) -> np.ndarray:
    """Schoenfeld residuals with Efron ties, one row per input row (0 for censored rows).

    Rows sorted by ascending ``T``. A death at a time with ``m`` tied deaths gets
    ``x − Σ_l (R_x − l·D_x/m) / ((R − l·D/m)·m)`` (``R``, ``D`` as in :func:`efron_values`),
    as lifelines' ``_compute_schoenfeld_within_strata`` computes it.

    Examples
    --------
    >>> r = schoenfeld_residuals(np.array([[0.0], [1.0], [0.5]]), np.array([1.0, 2.0, 2.0]),
    ...                          np.array([1, 1, 0]), np.ones(3), np.zeros(1))
    >>> r.ravel().tolist()
    [-0.5, 0.25, 0.0]
    """
    X = np.asarray(X, dtype=float)
    T = np.asarray(T)
    dead = np.asarray(E).astype(bool)
    n, d = X.shape
    if not dead.any():
        return np.zeros((n, d))
    start = np.r_[True, T[1:] != T[:-1]]
    gid = np.cumsum(start) - 1
    first_row = np.flatnonzero(start)
    scores = np.asarray(weights, dtype=float) * np.exp(X @ beta)
    # risk sums at each time: rows from the group's first row on, added from the last row
    # backwards as lifelines adds them
    risk_phi = np.cumsum(scores[::-1])[::-1][first_row]
    risk_phi_x = np.cumsum((scores[:, None] * X)[::-1], axis=0)[::-1][first_row]
    gd = gid[dead]
    n_groups = len(first_row)
    m = np.bincount(gd, minlength=n_groups)
    tie_phi = np.bincount(gd, weights=scores[dead], minlength=n_groups)
    phi_x_dead = scores[dead][:, None] * X[dead]
    tie_phi_x = np.stack(
        [np.bincount(gd, weights=phi_x_dead[:, j], minlength=n_groups) for j in range(d)], axis=1
    )
    firsts = np.r_[0, np.flatnonzero(gd[1:] != gd[:-1]) + 1]
    rank = np.arange(len(gd)) - np.repeat(firsts, np.diff(np.r_[firsts, len(gd)]))
    numer = risk_phi_x[gd] - rank[:, None] * tie_phi_x[gd] / m[gd][:, None]
    denom = risk_phi[gd] - rank * tie_phi[gd] / m[gd]
    term = numer / (denom * m[gd])[:, None]
    mean = np.stack(
        [np.bincount(gd, weights=term[:, j], minlength=n_groups) for j in range(d)], axis=1
    )
    out = np.zeros((n, d))
    out[dead] = X[dead] - mean[gd]
    return out


class _SemiParametric(SemiParametricPHFitter):
    def _choose_gradient_calculator(self, T, X, entries):
        if entries is not None:
            return super()._choose_gradient_calculator(T, X, entries)

        def get(X: pd.DataFrame, T: pd.Series, E: pd.Series, weights: pd.Series, entries, beta):
            return efron_values(X.to_numpy(), T.to_numpy(), E.to_numpy(), weights.to_numpy(), beta)

        return get

    def fit(self, *args, **kwargs):
        self._in_fit, self._strata_parts = True, None
        try:
            return super().fit(*args, **kwargs)
        finally:
            self._in_fit, self._strata_parts = False, None

    def _partition_by_strata(self, X, T, E, entries, weights):
        """lifelines' split by stratum, kept for the last inputs (by identity).

        lifelines splits the same frames again at every Newton step (a groupby and four
        ``.loc`` look-ups on a non-unique index per stratum); the parts are only read.
        Only during :meth:`fit`, on this fitter (the inputs are held while lifelines holds
        them; the fitted model keeps no parts and pickles as lifelines').
        """
        args = (X, T, E, entries, weights)
        if not getattr(self, "_in_fit", False):
            yield from super()._partition_by_strata(*args)
            return
        hit = getattr(self, "_strata_parts", None)
        if hit is not None and all(held is a for held, a in zip(hit[0], args, strict=True)):
            yield from hit[1]
            return
        parts = list(super()._partition_by_strata(*args))
        self._strata_parts = (args, parts)
        yield from parts

    def _compute_schoenfeld_within_strata(self, X, T, E, weights, entries) -> np.ndarray:
        """lifelines' Schoenfeld residuals (Efron ties) without its row loop (see
        :func:`schoenfeld_residuals`; lifelines grows the result with ``np.append`` row by
        row, quadratic in the rows of the PH test)."""
        return schoenfeld_residuals(
            X.to_numpy(), T.to_numpy(), E.to_numpy(), weights.to_numpy(), self.params_.to_numpy()
        )


class CoxPHFitter(_LifelinesCox):
    """``lifelines.CoxPHFitter`` (Breslow baseline) with :func:`efron_values` in its Newton steps.

    Examples
    --------
    >>> from lifelines.datasets import load_rossi
    >>> m = CoxPHFitter().fit(load_rossi(), "week", "arrest")
    >>> round(float(m.params_["fin"]), 4)
    -0.3794
    """

    def _fit_model_breslow(self, *args, **kwargs):
        if self.baseline_estimation_method != "breslow":  # pragma: no cover
            return super()._fit_model_breslow(*args, **kwargs)
        model = _SemiParametric(
            penalizer=self.penalizer,
            l1_ratio=self.l1_ratio,
            strata=self.strata,
            alpha=self.alpha,
            label=self._label,
        )
        if not utils.CensoringType.is_right_censoring(self):  # pragma: no cover
            return super()._fit_model_breslow(*args, **kwargs)  # lifelines' error
        model.fit(*args, **kwargs)
        return model
