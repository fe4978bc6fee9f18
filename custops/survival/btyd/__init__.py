"""Buy-till-you-die models: BG/NBD, Pareto/NBD and Gamma-Gamma, with holdout validation.

``fit(summary)`` returns the model; learned values end in ``_`` (``params_``,
``log_likelihood_``, ``converged_``); ``summary`` is a DataFrame; plots take ``ax=`` and
return the Axes. The customer summary is :func:`btyd_summary` (custops' ``rfm_summary`` on
purchase days, in continuous weeks by default).
"""

from custops.survival.btyd.base import BTYDModel, ConvergenceWarning
from custops.survival.btyd.bgnbd import BetaGeoFitter
from custops.survival.btyd.gamma_gamma import GammaGammaFitter, independence_check
from custops.survival.btyd.pareto import ParetoNBDFitter
from custops.survival.btyd.summary import btyd_summary, holdout_counts
from custops.survival.btyd.value import customer_value

__all__ = [
    "BTYDModel",
    "ConvergenceWarning",
    "BetaGeoFitter",
    "ParetoNBDFitter",
    "GammaGammaFitter",
    "independence_check",
    "btyd_summary",
    "holdout_counts",
    "customer_value",
]
