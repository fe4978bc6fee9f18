"""Maximum-likelihood fitting shared by the BTYD models (BG/NBD, Pareto/NBD, Gamma-Gamma).

Every model is fitted on the log of its positive parameters with scipy's L-BFGS-B, from
data-driven starting values, minimising the mean negative log-likelihood plus an optional
ridge penalty on the log-parameters, ``penalizer * sum(log(theta) ** 2)`` (it shrinks every
parameter towards 1; 0 is plain maximum likelihood). The standard errors come from the
inverse of the numerical Hessian of the total negative log-likelihood in the log-parameters
(the delta method gives the natural-scale errors). Parameter draws for prediction intervals
are taken from that asymptotic normal in the log-parameters, so every draw is positive.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

__all__ = ["BTYDModel", "ConvergenceWarning", "check_summary", "check_whole", "check_recency"]

_Z95 = 1.959963984540054


class ConvergenceWarning(UserWarning):
    """The optimiser stopped without meeting its tolerance (see ``model.convergence_``)."""


def check_summary(
    summary: pd.DataFrame, columns: Sequence[str], *, what: str = "summary"
) -> dict[str, np.ndarray]:
    """Validate a customer summary and return its columns as float arrays.

    Raises ``ValueError`` naming the column and example rows when a column is missing,
    not finite or negative (``recency > T`` is :func:`check_recency`, a fractional
    ``frequency`` :func:`check_whole`).

    Examples
    --------
    >>> s = pd.DataFrame({"frequency": [1.0], "recency": [-2.0], "T": [1.0]})
    >>> check_summary(s, ["frequency", "recency", "T"])
    Traceback (most recent call last):
    ...
    ValueError: summary: column 'recency' has 1 missing, infinite or negative values (first rows: [0]); drop or fix those customers before fitting.
    """
    missing = [c for c in columns if c not in summary]
    if missing:
        raise ValueError(
            f"{what}: column {missing[0]!r} is missing (have {list(summary.columns)}); "
            "build it with custops.survival.btyd.btyd_summary or name the columns in fit()."
        )
    out: dict[str, np.ndarray] = {}
    for column in columns:
        values = pd.to_numeric(summary[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            rows = summary.index[bad][:5].tolist()
            raise ValueError(
                f"{what}: column {column!r} has {int(bad.sum())} missing, infinite or negative "
                f"values (first rows: {rows}); drop or fix those customers before fitting."
            )
        out[column] = values
    return out


def check_recency(what: str, recency: np.ndarray, T: np.ndarray, index: pd.Index) -> None:
    """Raise ``ValueError`` naming the rows where ``recency > T``."""
    bad = recency > T * (1 + 1e-12) + 1e-12
    if bad.any():
        raise ValueError(
            f"{what}: recency is larger than T in {int(bad.sum())} rows (first rows: "
            f"{index[bad][:5].tolist()}); recency must lie between 0 and T (time from the "
            "first purchase to the observation end)."
        )


def check_whole(what: str, frequency: np.ndarray, index: pd.Index) -> None:
    """Raise ``ValueError`` naming the rows with a fractional ``frequency``."""
    bad = np.abs(frequency - np.round(frequency)) > 1e-9
    if bad.any():
        raise ValueError(
            f"{what}: frequency must count repeat purchase periods (whole numbers); "
            f"{int(bad.sum())} rows are fractional (first rows: {index[bad][:5].tolist()})."
        )


class BTYDModel:
    """Base class: maximum likelihood in the log-parameters, Hessian errors, parameter draws.

    Subclasses set ``_param_names``, implement ``_prepare(summary) -> data``,
    ``_start(data) -> theta0``, ``_neg_ll(log_theta, data) -> float`` (the total negative
    log-likelihood) and optionally ``_neg_ll_grad(log_theta, data) -> (value, gradient)``.

    Parameters
    ----------
    penalizer : float
        Weight of the ridge penalty ``sum(log(theta) ** 2)`` added to the mean negative
        log-likelihood (0: maximum likelihood).
    tol : float
        Gradient tolerance of L-BFGS-B on the mean negative log-likelihood.
    maxiter : int
        Iteration limit.
    """

    _param_names: tuple[str, ...] = ()

    def __init__(self, penalizer: float = 0.0, *, tol: float = 1e-9, maxiter: int = 1000) -> None:
        self.penalizer = penalizer
        self.tol = tol
        self.maxiter = maxiter

    # ---------------------------------------------------------------- subclass hooks

    def _prepare(self, summary: pd.DataFrame, columns: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def _start(self, data: dict[str, Any]) -> np.ndarray:
        raise NotImplementedError

    def _neg_ll(self, log_theta: np.ndarray, data: dict[str, Any]) -> float:
        raise NotImplementedError

    def _neg_ll_grad(self, log_theta: np.ndarray, data: dict[str, Any]) -> tuple[float, np.ndarray]:
        value = self._neg_ll(log_theta, data)
        return value, _numeric_grad(lambda v: self._neg_ll(v, data), log_theta)

    _has_gradient = False

    # ---------------------------------------------------------------- fit

    def _fit(self, summary: pd.DataFrame, columns: dict[str, str]) -> BTYDModel:
        if self.penalizer < 0:
            raise ValueError(f"penalizer must be >= 0, not {self.penalizer}")
        data = self._prepare(summary, columns)
        n = float(data["n"])
        if n < len(self._param_names) + 1:
            raise ValueError(
                f"{type(self).__name__}: {int(n)} customers are too few to fit "
                f"{len(self._param_names)} parameters."
            )
        pen = float(self.penalizer)

        def objective(v: np.ndarray) -> tuple[float, np.ndarray]:
            if self._has_gradient:
                value, grad = self._neg_ll_grad(v, data)
            else:
                value = self._neg_ll(v, data)
                grad = _numeric_grad(lambda w: self._neg_ll(w, data), v)
            if not np.isfinite(value):
                return 1e300, np.zeros_like(v)
            return value / n + pen * float(v @ v), grad / n + 2.0 * pen * v

        start = np.log(self._start(data))
        result = optimize.minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=[(-25.0, 25.0)] * len(start),
            options={"maxiter": self.maxiter, "gtol": self.tol, "ftol": 1e-15, "maxcor": 20},
        )
        # the optimum to 5 significant digits: the optimiser's path depends on the last bits
        # of vectorised log/lgamma sums (memory alignment), which moved the parameters by
        # ~1e-8 between identical runs; far below their standard errors, but the tables
        # must be the same for the same inputs
        log_theta = np.log(_significant(np.exp(result.x), PARAM_DIGITS))
        _, grad = objective(log_theta)
        gnorm = float(np.max(np.abs(grad)))
        self.n_customers_ = int(n)
        self.log_params_ = log_theta
        self.params_ = pd.Series(np.exp(log_theta), index=list(self._param_names), name="coef")
        self.log_likelihood_ = -float(self._neg_ll(log_theta, data))
        self.penalizer_ = pen
        self.iterations_ = int(result.nit)
        self.converged_ = bool(result.success) and gnorm < 1e-4
        self.convergence_ = (
            f"{'converged' if self.converged_ else 'NOT converged'} after {result.nit} iterations "
            f"({result.message if isinstance(result.message, str) else result.message!r}); "
            f"max |gradient| of the mean objective {gnorm:.1e}"
        )
        if not self.converged_:
            warnings.warn(
                f"{type(self).__name__} fit {self.convergence_}. Try penalizer > 0 or check "
                "the summary (frequency, recency, T in one time unit).",
                ConvergenceWarning,
                stacklevel=3,
            )
        hess = _numeric_hessian(lambda v: self._grad_total(v, data), log_theta)
        hess = hess + 2.0 * pen * n * np.eye(len(log_theta))
        try:
            cov = np.linalg.inv(hess)
            if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
                raise np.linalg.LinAlgError("Hessian not positive definite")
        except np.linalg.LinAlgError:
            cov = np.full_like(hess, np.nan)
            warnings.warn(
                f"{type(self).__name__}: the Hessian is singular at the optimum; standard "
                "errors and intervals are unavailable.",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.log_covariance_ = cov
        return self

    def _grad_total(self, log_theta: np.ndarray, data: dict[str, Any]) -> np.ndarray:
        if self._has_gradient:
            return self._neg_ll_grad(log_theta, data)[1]
        return _numeric_grad(lambda w: self._neg_ll(w, data), log_theta, step=1e-4)

    # ---------------------------------------------------------------- results

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted: call fit(summary) first.")

    @property
    def summary(self) -> pd.DataFrame:
        """Estimates with standard errors and 95% intervals (log-scale Wald, back-transformed).

        Columns ``coef``, ``se(coef)`` (delta method), ``coef lower 95%``, ``coef upper 95%``.
        """
        self._check_fitted()
        se_log = np.sqrt(np.diag(self.log_covariance_))
        coef = self.params_.to_numpy()
        return pd.DataFrame(
            {
                "coef": coef,
                "se(coef)": coef * se_log,
                "coef lower 95%": np.exp(self.log_params_ - _Z95 * se_log),
                "coef upper 95%": np.exp(self.log_params_ + _Z95 * se_log),
            },
            index=pd.Index(list(self._param_names), name="param"),
        )

    @property
    def standard_errors_(self) -> pd.Series:
        """Natural-scale standard errors (delta method from the log-parameter Hessian)."""
        return self.summary["se(coef)"].rename("se")

    def print_summary(self, decimals: int = 3) -> None:
        """Print the estimates, the log-likelihood and the convergence report."""
        self._check_fitted()
        print(f"<custops.survival.btyd.{type(self).__name__}>  n = {self.n_customers_:,}")
        print(
            f"log-likelihood = {self.log_likelihood_:,.{decimals}f}; penalizer = {self.penalizer_}"
        )
        print(self.convergence_)
        print(self.summary.round(decimals).to_string())

    def sample_params(
        self, n_draws: int, random_state: int | np.random.Generator | None = None
    ) -> np.ndarray:
        """Parameter draws from the asymptotic normal of the log-parameters, shape (n_draws, k).

        Examples
        --------
        >>> model.sample_params(100, random_state=1).shape  # doctest: +SKIP
        (100, 4)
        """
        self._check_fitted()
        if not np.all(np.isfinite(self.log_covariance_)):
            raise RuntimeError(
                f"{type(self).__name__}: no covariance (singular Hessian), no draws."
            )
        rng = np.random.default_rng(random_state)
        draws = rng.multivariate_normal(self.log_params_, self.log_covariance_, size=n_draws)
        return np.exp(draws)

    def _theta(self, params: Sequence[float] | None) -> np.ndarray:
        self._check_fitted()
        return self.params_.to_numpy() if params is None else np.asarray(params, dtype=float)

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"<{type(self).__name__}: not fitted>"
        ps = ", ".join(f"{k}={v:.3f}" for k, v in self.params_.items())
        return f"<{type(self).__name__}: {ps}; LL {self.log_likelihood_:,.1f}; n {self.n_customers_:,}>"


#: significant digits the fitted parameters are kept to (see ``BTYDModel._fit``)
PARAM_DIGITS = 5


def _significant(values: np.ndarray, digits: int) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits.

    Examples
    --------
    >>> _significant(np.array([0.24137561, 4.3400123, 1234567.0]), 6).tolist()
    [0.241376, 4.34001, 1234570.0]
    """
    values = np.asarray(values, dtype=float)
    scale = np.where(values == 0, 0, np.floor(np.log10(np.abs(np.where(values == 0, 1, values)))))
    factor = 10.0 ** (digits - 1 - scale)
    return np.round(values * factor) / factor


def _numeric_grad(
    f: Callable[[np.ndarray], float], x: np.ndarray, step: float = 1e-6
) -> np.ndarray:
    out = np.empty_like(x)
    for i in range(len(x)):
        h = step * max(1.0, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def _numeric_hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    k = len(x)
    hess = np.empty((k, k))
    for i in range(k):
        h = 1e-4 * max(1.0, abs(x[i]))
        e = np.zeros(k)
        e[i] = h
        hess[:, i] = (grad(x + e) - grad(x - e)) / (2 * h)
    return (hess + hess.T) / 2.0


def log_interval(point: np.ndarray, sd_log: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% interval ``point * exp(-/+ 1.96 sd_log)`` (log-normal; contains the point)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return point * np.exp(-_Z95 * sd_log), point * np.exp(_Z95 * sd_log)
