"""custops.survival.coxfit against lifelines' own Efron sums and fits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter as LifelinesCox
from lifelines.datasets import load_rossi
from lifelines.fitters.coxph_fitter import SemiParametricPHFitter

from custops.survival.coxfit import CoxPHFitter, efron_values


def _data(n: int, d: int, n_times: int, seed: int, weighted: bool):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    T = rng.integers(1, n_times, n).astype(float)
    E = rng.random(n) < 0.4
    order = np.lexsort((E, T))  # as lifelines sorts: by time, deaths last in a tie
    w = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    return X[order], T[order], E[order], w, rng.normal(size=d) * 0.3


@pytest.mark.parametrize(
    ("n", "d", "n_times", "weighted"),
    [(40, 2, 5, False), (600, 4, 20, False), (600, 4, 20, True), (300, 3, 1000, False)],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_efron_values_equal_lifelines(n, d, n_times, weighted, seed) -> None:
    X, T, E, w, beta = _data(n, d, n_times, seed, weighted)
    args = (pd.DataFrame(X), pd.Series(T), pd.Series(E), pd.Series(w), None, beta)
    lifelines = SemiParametricPHFitter()
    for want in (
        lifelines._get_efron_values_batch(*args),
        lifelines._get_efron_values_single(*args),
    ):
        got = efron_values(X, T, E, w, beta)
        scale = max(1.0, float(np.abs(want[0]).max()))
        np.testing.assert_allclose(got[0], want[0], rtol=0, atol=1e-10 * scale)
        np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-10 * scale)
        assert got[2] == pytest.approx(want[2], rel=1e-12)


def test_efron_values_without_deaths_or_rows() -> None:
    X = np.ones((3, 2))
    h, g, ll = efron_values(X, np.array([1.0, 2, 3]), np.zeros(3), np.ones(3), np.zeros(2))
    assert ll == 0.0 and not h.any() and not g.any()
    h, g, ll = efron_values(np.zeros((0, 2)), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(2))
    assert h.shape == (2, 2) and ll == 0.0


def _tied_frame(seed: int = 3, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    t = np.ceil(rng.exponential(60 * np.exp(-0.4 * x[:, 0] + 0.2 * x[:, 1]))).clip(max=200)
    return pd.DataFrame(
        {
            "a": x[:, 0],
            "b": x[:, 1],
            "c": (x[:, 2] > 0).astype(int),
            "band": rng.integers(0, 3, n),
            "duration_days": t,
            "event": (rng.random(n) < 0.6).astype(int),
        }
    )


@pytest.mark.parametrize("penalizer", [0.0, 0.01])
@pytest.mark.parametrize("strata", [None, ["band"]])
def test_fit_equals_lifelines(strata, penalizer) -> None:
    frame = _tied_frame()
    if strata is None:
        frame = frame.drop(columns="band")
    want = LifelinesCox(penalizer=penalizer).fit(frame, "duration_days", "event", strata=strata)
    got = CoxPHFitter(penalizer=penalizer).fit(frame, "duration_days", "event", strata=strata)
    assert got._model._choose_gradient_calculator.__qualname__.startswith("_SemiParametric")
    pd.testing.assert_frame_equal(got.summary, want.summary, rtol=1e-9, atol=1e-12)
    assert got.log_likelihood_ == pytest.approx(want.log_likelihood_, rel=1e-12)
    new = frame.head(50)
    pd.testing.assert_frame_equal(
        got.predict_survival_function(new, times=[30.0, 90.0]),
        want.predict_survival_function(new, times=[30.0, 90.0]),
        rtol=1e-9,
    )


def test_rossi_equals_lifelines() -> None:
    r = load_rossi()
    want = LifelinesCox().fit(r, "week", "arrest").summary
    pd.testing.assert_frame_equal(CoxPHFitter().fit(r, "week", "arrest").summary, want, rtol=1e-10)


@pytest.mark.parametrize(("n", "n_times"), [(40, 5), (600, 20), (300, 1000)])
def test_schoenfeld_residuals_equal_lifelines(n, n_times) -> None:
    from custops.survival.coxfit import schoenfeld_residuals

    X, T, E, w, beta = _data(n, 3, n_times, 7, False)
    fitter = SemiParametricPHFitter()
    fitter.params_ = pd.Series(beta)
    want = fitter._compute_schoenfeld_within_strata(
        pd.DataFrame(X), pd.Series(T), pd.Series(E), pd.Series(w), None
    )
    np.testing.assert_allclose(schoenfeld_residuals(X, T, E, w, beta), want, rtol=1e-10, atol=1e-12)
    assert not schoenfeld_residuals(X, T, np.zeros(n, bool), w, beta).any()


@pytest.mark.parametrize("strata", [None, ["band"]])
def test_ph_test_equals_lifelines(strata) -> None:
    from lifelines.statistics import proportional_hazard_test

    frame = _tied_frame(n=2000)
    if strata is None:
        frame = frame.drop(columns="band")
    want_model = LifelinesCox().fit(frame, "duration_days", "event", strata=strata)
    got_model = CoxPHFitter().fit(frame, "duration_days", "event", strata=strata)
    for transform in ("rank", "km"):
        want = proportional_hazard_test(want_model, frame, time_transform=transform).summary
        got = proportional_hazard_test(got_model, frame, time_transform=transform).summary
        pd.testing.assert_frame_equal(got, want, rtol=1e-9)
    pd.testing.assert_frame_equal(
        got_model.compute_residuals(frame, "schoenfeld"),
        want_model.compute_residuals(frame, "schoenfeld"),
        rtol=1e-9,
        atol=1e-12,
    )


def test_stratified_fit_pickles_and_keeps_no_cache() -> None:
    import pickle

    frame = _tied_frame(n=500)
    model = CoxPHFitter().fit(frame, "duration_days", "event", strata=["band"])
    assert model._model._strata_parts is None
    again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(again.summary, model.summary)
