"""Notebook 03: churn, survival curves, the Cox model, lifetime value, health score, paths.

Each function is one section of ``notebooks/03_churn_survival.ipynb``: it takes what
:func:`load` read, calls :mod:`custops.survival` (``churn``, ``clv``, ``health``, ``paths``
and ``btyd``), shows the section and returns what a later section or the glue needs. The
chapter reads notebook 01's artifacts and notebook 02's segments (when present) and writes
:data:`CHURN_RATE`, :data:`CHURN_SCORES`, :data:`RETENTION_PRIORITY` and
:data:`HEALTH_SCORES`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from custops.chapters import btyd
from custops.chapters.collection import CLEAN_ORDERS, CUSTOMER_FEATURES, read_observation
from custops.chapters.segmentation import SEGMENTS
from custops.core.errors import DataError
from custops.core.index import OrderIndex
from custops.core.results import Headlines
from custops.ingest.artifacts import has_artifact, read_artifact, read_clean_tables, write_artifact
from custops.report import notebook as nb
from custops.report.notebook import Context
from custops.survival import churn, clv, health, paths

__all__ = [
    "read_tables",
    "CHURN_RATE",
    "CHURN_SCORES",
    "RETENTION_PRIORITY",
    "HEALTH_SCORES",
    "ChurnData",
    "ModelCheck",
    "Value",
    "HealthRun",
    "PathsRun",
    "load",
    "churn_rate",
    "km",
    "km_service",
    "km_config_groups",
    "cox_model",
    "model_notes",
    "hazard_ratios",
    "forest",
    "model_check",
    "calibration_chart",
    "headlines",
    "lifetime_value",
    "value_headlines",
    "early_warnings",
    "two_views",
    "two_views_headlines",
    "priority_list",
    "value_at_risk_chart",
    "health_score",
    "health_summary",
    "health_weights",
    "health_check",
    "health_baselines",
    "health_calibration",
    "health_history",
    "paths_before_churn",
    "paths_summary",
    "paths_table",
    "paths_steps",
    "in_short",
]

#: the period's churn rate with its interval (the review's scorecard quotes it when churn is
#: contractual)
CHURN_RATE = "churn_rate.csv"
#: churn probability, CLV and flags of every active customer (read by chapter 05 and by the
#: next period's forecast check)
CHURN_SCORES = "churn_scores.parquet"
#: the retention team's work queue (read by the next period's forecast check)
RETENTION_PRIORITY = "retention_priority.csv"
#: every alive customer's health score and band
HEALTH_SCORES = "health_scores.parquet"


@dataclass
class ChurnData:
    """What every section of the chapter reads.

    Attributes
    ----------
    surv : DataFrame
        :func:`custops.survival.churn.survival_data` + :func:`~custops.survival.churn.add_covariates`
        (+ ``segment`` when notebook 02 ran).
    tables : dict of DataFrame
        The clean tables without the columns the chapter does not read
        (:func:`read_tables`).
    has_segments : bool
    index : OrderIndex or None
        Of ``tables["orders"]`` (None without orders), built once and passed to every section.
    """

    surv: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    has_segments: bool
    index: OrderIndex | None


@dataclass
class ModelCheck:
    """Cross-validation folds and the calibration table of the Cox model (None without one)."""

    folds: pd.DataFrame | None = None
    calibration: pd.DataFrame | None = None


@dataclass
class Value:
    """Churn probabilities and lifetime values of the active customers (``scored`` False: none)."""

    scored: bool
    horizon: int
    scores: pd.DataFrame | None = None
    interval: dict | None = None


@dataclass
class HealthRun:
    """The health score's inputs, weights, today's scores and the backtest."""

    weights: Any
    bands: dict[str, float]
    fit: dict[str, Any]
    data: health.HealthData
    weight_table: pd.DataFrame
    now: pd.DataFrame
    check: health.Validation
    horizon: int


@dataclass
class PathsRun:
    """The event stream, outcomes, path differences and the quiet-after-repurchase table."""

    stream: Any
    outcome: pd.DataFrame
    diffs: pd.DataFrame
    quiet: pd.DataFrame


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The clean tables of notebook 01 without the columns in
    :data:`custops.survival.churn.UNUSED_COLUMNS` (every other column, including ones added
    later, is read).

    Examples
    --------
    >>> tables = read_tables(ctx.artifacts)  # doctest: +SKIP
    >>> "comment" in tables["surveys"]  # doctest: +SKIP
    False
    """
    return read_clean_tables(Path(folder), skip=churn.UNUSED_COLUMNS)


def load(ctx: Context, *, early_days: int = 90) -> ChurnData:
    """Read notebook 01's artifacts (and notebook 02's segments if present) into a survival table.

    Parameters
    ----------
    ctx : Context
    early_days : int
        Early-life window of the order-rate covariate.

    Examples
    --------
    >>> data = load(nb.start(None, "2025Q4"))  # doctest: +SKIP
    >>> data.surv["event"].mean()  # doctest: +SKIP
    """
    features = read_artifact(ctx.artifacts, CUSTOMER_FEATURES)
    tables = read_tables(ctx.artifacts)
    has_segments = False
    if has_artifact(ctx.artifacts, SEGMENTS):
        segments = read_artifact(ctx.artifacts, SEGMENTS)
        column = next((c for c in churn.SEGMENT_COLUMNS if c in segments), None)
        if column is not None and "customer_id" in segments:
            names = segments.drop_duplicates("customer_id").set_index("customer_id")[column]
            features = features.drop(columns=["segment"], errors="ignore")
            features["segment"] = features["customer_id"].map(names)
            has_segments = bool(features["segment"].notna().any())
    seen = read_observation(ctx)
    try:
        surv = churn.survival_data(
            features, ctx.period, ctx.cfg.churn, observation_end=seen.observation_end
        )
    except DataError as exc:  # the domain names what it was given; the chapter names the file
        raise DataError(
            CUSTOMER_FEATURES,
            exc.column,
            exc.problem,
            examples=exc.examples,
            cause=exc.cause,
            fix=exc.fix,
        ) from exc
    orders = tables.get("orders")
    # the orders index (customer codes), built once here, passed to every section
    index = OrderIndex.from_orders(orders) if orders is not None else None
    surv = churn.add_covariates(surv, orders, early_days=early_days, lang=ctx.language, index=index)
    return ChurnData(surv=surv, tables=tables, has_segments=has_segments, index=index)


def churn_rate(ctx: Context, data: ChurnData) -> dict[str, float]:
    """Who counts as churned and the period's churn rate; writes :data:`CHURN_RATE`.

    Examples
    --------
    >>> rate = churn_rate(ctx, data)  # doctest: +SKIP
    """
    lang = ctx.language
    nb.md(churn.definition_text(data.surv, ctx.cfg.churn, ctx.period, lang))
    rate = churn.period_churn_rate(data.surv, ctx.period)
    write_artifact(churn.rate_frame(rate, ctx.cfg.churn), ctx.artifacts, CHURN_RATE)
    nb.md(churn.rate_text(rate, ctx.period, lang))
    return rate


def km(ctx: Context, data: ChurnData, group: str | None = None) -> tuple:
    """One Kaplan-Meier section (:func:`custops.survival.churn.km_section`), overall or by ``group``.

    Examples
    --------
    >>> km_all, _ = km(ctx, data)  # doctest: +SKIP
    >>> km_region = km(ctx, data, "region")  # doctest: +SKIP
    """
    return churn.km_section(ctx, data.surv, group)


def km_service(ctx: Context, data: ChurnData) -> tuple:
    """Kaplan-Meier by service experience, measured at the landmark.

    Examples
    --------
    >>> km_service(ctx, data)  # doctest: +SKIP
    """
    groups = churn.landmark_groups(ctx, data.surv, data.tables)
    return churn.km_section(ctx, groups, "service_issue")


def km_config_groups(ctx: Context, data: ChurnData) -> dict:
    """Kaplan-Meier by each group of the config's ``churn.groups``.

    Examples
    --------
    >>> km_config_groups(ctx, data)  # doctest: +SKIP
    """
    return churn.km_config_groups(ctx, data.surv)


def cox_model(ctx: Context, data: ChurnData) -> churn.ChurnModel | None:
    """Fit the landmark Cox model and show its covariates (None, said in words, when it cannot).

    Examples
    --------
    >>> model = cox_model(ctx, data)  # doctest: +SKIP
    """
    model = churn.fit_model(ctx, data.surv, data.tables)  # landmark table built inside
    if model is not None:
        nb.show(nb.table(churn.covariate_table(model, ctx.language)))
    return model


def model_notes(ctx: Context, model: churn.ChurnModel | None) -> None:
    """The model's notes (dropped covariates, the proportional-hazards check) as bullets.

    Examples
    --------
    >>> model_notes(ctx, model)  # doctest: +SKIP
    """
    if model is not None:
        nb.md("\n".join(f"- {note}" for note in model.notes(ctx.language)))


def hazard_ratios(ctx: Context, model: churn.ChurnModel | None) -> None:
    """The hazard ratios in words and as a table.

    Examples
    --------
    >>> hazard_ratios(ctx, model)  # doctest: +SKIP
    """
    if model is not None:
        nb.md(churn.hr_sentences(model, ctx.language))
        nb.show(nb.table(churn.hr_display(model, ctx.language)))


def forest(ctx: Context, model: churn.ChurnModel | None) -> None:
    """The hazard-ratio forest plot.

    Examples
    --------
    >>> forest(ctx, model)  # doctest: +SKIP
    """
    if model is not None:
        churn.forest_figure(ctx, model)


def model_check(
    ctx: Context,
    data: ChurnData,
    model: churn.ChurnModel | None,
    *,
    folds: int = 5,
    at_days: int = 365,
) -> ModelCheck:
    """Cross-validate the model and check its calibration at ``at_days``, in words.

    Examples
    --------
    >>> check = model_check(ctx, data, model, folds=5, at_days=365)  # doctest: +SKIP
    """
    if model is None:
        return ModelCheck()
    fold_table, predictions = model.cross_validate(data.surv, folds=folds, at_days=at_days)
    calibration = churn.calibration_table(predictions, at_days)
    nb.md(churn.model_text(fold_table, calibration, at_days, seed=ctx.seed, lang=ctx.language))
    return ModelCheck(folds=fold_table, calibration=calibration)


def calibration_chart(
    ctx: Context, model: churn.ChurnModel | None, check: ModelCheck, at_days: int = 365
) -> None:
    """The model's calibration plot.

    Examples
    --------
    >>> calibration_chart(ctx, model, check, 365)  # doctest: +SKIP
    """
    if model is not None:
        churn.calibration_figure(ctx, check.calibration, at_days)


def headlines(
    km_all: Any, model: churn.ChurnModel | None, check: ModelCheck, rate: dict[str, float]
) -> Headlines:
    """The churn section's glued numbers (:func:`custops.survival.churn.headline_numbers`).

    Examples
    --------
    >>> nb.glue_headlines(headlines(km_all, model, check, rate))  # doctest: +SKIP
    """
    return churn.headline_numbers(km_all, model, check.folds, rate)


def lifetime_value(
    ctx: Context, data: ChurnData, model: churn.ChurnModel | None, *, n_boot: int = 10
) -> Value:
    """Churn probability and lifetime value of the active customers, in words.

    Nothing is scored without a model or without orders (the latter said in one sentence).

    Examples
    --------
    >>> value = lifetime_value(ctx, data, model, n_boot=10)  # doctest: +SKIP
    """
    horizon = ctx.cfg.churn.horizon_days
    scored = model is not None and not churn.needs_orders(ctx, "lifetime value")
    if not scored:
        return Value(scored=False, horizon=horizon)
    lang = ctx.language
    warnings = clv.early_warnings(
        data.tables,
        ctx.period,
        contact_within_days=ctx.cfg.nps.contact_within_days,
        index=data.index,
    )
    scores = clv.churn_scores(
        model,
        data.surv,
        horizon_days=horizon,
        clv_config=ctx.cfg.clv,
        warnings=warnings,
        lang=lang,
    )
    interval = clv.value_at_risk_interval(model, data.surv, horizon, ctx.cfg.clv, n_boot=n_boot)
    nb.md(
        clv.clv_text(
            scores,
            horizon_days=horizon,
            config=ctx.cfg.clv,
            interval=interval,
            currency=ctx.cfg.currency,
            lang=lang,
        )
    )
    nb.md(clv.bgnbd_note(lang))
    return Value(scored=True, horizon=horizon, scores=scores, interval=interval)


def value_headlines(value: Value) -> Headlines:
    """The value section's glued numbers (:func:`custops.survival.clv.value_headlines`; none
    when nothing was scored).

    Examples
    --------
    >>> len(value_headlines(Value(scored=False, horizon=90)))
    0
    """
    if not value.scored:
        return Headlines([])
    return clv.value_headlines(value.scores, value.interval, value.horizon)


def early_warnings(ctx: Context, value: Value) -> None:
    """The early-warning flags of the scored customers, in words.

    Examples
    --------
    >>> early_warnings(ctx, value)  # doctest: +SKIP
    """
    if value.scored:
        within = ctx.cfg.nps.contact_within_days
        nb.md(clv.flags_text(value.scores, contact_within_days=within, lang=ctx.language))


def two_views(ctx: Context, data: ChurnData, value: Value) -> tuple[btyd.TwoViews, Value]:
    """Survival CLV beside BTYD CLV (:func:`custops.chapters.btyd.two_views`).

    Returns the section and ``value`` with the scores the section extended (``p_alive``,
    ``clv_btyd``, ...), which the priority list and :data:`CHURN_SCORES` carry.

    Examples
    --------
    >>> views, value = two_views(ctx, data, value)  # doctest: +SKIP
    """
    orders_file = ctx.artifacts / CLEAN_ORDERS  # written by notebook 01 with the clean orders
    views = btyd.two_views(
        ctx,
        data.tables,
        value.scores if value.scored else None,
        str(orders_file) if orders_file.is_file() else None,
        index=data.index,
    )
    return views, dataclasses.replace(value, scores=views.scores)


def two_views_headlines(views: btyd.TwoViews) -> Headlines:
    """The two-views section's glued numbers (:func:`custops.chapters.btyd.headlines`).

    Examples
    --------
    >>> nb.glue_headlines(two_views_headlines(views))  # doctest: +SKIP
    """
    return btyd.headlines(views)


def priority_list(ctx: Context, value: Value, *, top_n: int = 15) -> pd.DataFrame | None:
    """The retention priority list; writes :data:`CHURN_SCORES` and :data:`RETENTION_PRIORITY`.

    Shows how the list is built and its first ``top_n`` rows.

    Examples
    --------
    >>> priority_list(ctx, value, top_n=15)  # doctest: +SKIP
    """
    if not value.scored:
        return None
    lang, horizon = ctx.language, value.horizon
    priority = clv.priority_list(
        value.scores,
        horizon_days=horizon,
        privacy=ctx.cfg.privacy,
        lang=lang,
        holdout_share=ctx.cfg.review.retention_holdout_share,  # marked "do not contact"
        seed=ctx.seed,
        period=ctx.period,
    )
    write_artifact(value.scores, ctx.artifacts, CHURN_SCORES)
    write_artifact(priority, ctx.artifacts, RETENTION_PRIORITY)
    pseudonymized = ctx.cfg.privacy.pseudonymize_ids
    nb.md(clv.priority_text(priority, pseudonymized=pseudonymized, lang=lang))
    nb.show(
        nb.table(
            # the purchase-model columns are compared in their own section; the CSV has them
            priority.head(top_n).drop(
                columns=["p_alive", f"expected_purchases_{horizon}d", "clv_btyd"], errors="ignore"
            ),
            percent=(f"churn_prob_{horizon}d",),
            money=("clv", "value_at_risk"),
        )
    )
    return priority


def value_at_risk_chart(ctx: Context, data: ChurnData, value: Value) -> None:
    """Value at risk by segment (or tier).

    Examples
    --------
    >>> value_at_risk_chart(ctx, data, value)  # doctest: +SKIP
    """
    if value.scored:
        clv.value_at_risk_figure(ctx, value.scores, data.has_segments)


def health_score(ctx: Context, data: ChurnData) -> HealthRun | None:
    """Score every alive customer's health, backtest the score; writes :data:`HEALTH_SCORES`.

    None (said in one sentence) without orders.

    Examples
    --------
    >>> run = health_score(ctx, data)  # doctest: +SKIP
    """
    if churn.needs_orders(ctx, "customer health score"):
        return None
    cfg = ctx.cfg
    horizon = cfg.churn.horizon_days
    inactivity = cfg.churn.inactivity_days
    weights = health.weights_from_config(cfg.health)
    bands = {"red_below": cfg.health.red_below, "green_from": cfg.health.green_from}
    fit = {"seed": ctx.seed, "max_fit_customers": cfg.health.max_fit_customers}
    prepared = health.prepare(data.tables, index=data.index)  # coded once for every date
    weight_table = health.weight_table(
        prepared,
        ctx.period.end,
        weights,
        horizon_days=horizon,
        inactivity_days=inactivity,
        **fit,
    )
    now = health.health_scores(
        prepared,
        ctx.period.end,
        weights,
        inactivity_days=inactivity,
        horizon_days=horizon,
        **bands,
        **fit,
    )
    write_artifact(now, ctx.artifacts, HEALTH_SCORES)
    check = health.validate(
        prepared,
        ctx.period.end - timedelta(days=horizon),
        weights,
        horizon_days=horizon,
        inactivity_days=inactivity,
        data_end=ctx.period.end,
        **bands,
        **fit,
    )
    return HealthRun(
        weights=weights,
        bands=bands,
        fit=fit,
        data=prepared,
        weight_table=weight_table,
        now=now,
        check=check,
        horizon=horizon,
    )


def health_summary(ctx: Context, run: HealthRun | None) -> Headlines:
    """How the score is built and what it found, in words; return its glued numbers.

    Examples
    --------
    >>> nb.glue_headlines(health_summary(ctx, run))  # doctest: +SKIP
    """
    if run is None:
        return Headlines([])
    nb.md(
        health.method_text(
            run.weights,
            **run.bands,
            horizon_days=run.horizon,
            sample=run.weight_table.attrs.get("sample"),
            lang=ctx.language,
        )
    )
    nb.md(health.health_findings(run.check, run.now, ctx.language))
    return health.health_headlines(run.check, run.now)


def health_weights(run: HealthRun | None) -> None:
    """The health score's weights as a table.

    Examples
    --------
    >>> health_weights(run)  # doctest: +SKIP
    """
    if run is not None:
        decimals = {"coefficient": 2, "odds_ratio": 2, "weight": 2}
        nb.show(nb.table(run.weight_table, decimals=decimals))


def health_check(run: HealthRun | None) -> None:
    """The backtest of the score (AUC, calibration) as a table.

    Examples
    --------
    >>> health_check(run)  # doctest: +SKIP
    """
    if run is not None:
        decimals = {"value": 2, "ci_low": 2, "ci_high": 2}
        nb.show(nb.table(run.check.summary(), decimals=decimals))


def health_baselines(run: HealthRun | None) -> None:
    """The score against simple baselines as a table.

    Examples
    --------
    >>> health_baselines(run)  # doctest: +SKIP
    """
    if run is not None:
        decimals = {"auc_diff": 3, "diff_low": 3, "diff_high": 3}
        nb.show(nb.table(run.check.baselines, decimals=decimals))


def health_calibration(ctx: Context, run: HealthRun | None) -> None:
    """The backtest's calibration chart.

    Examples
    --------
    >>> health_calibration(ctx, run)  # doctest: +SKIP
    """
    if run is not None:
        lang = ctx.language
        cal = run.check.calibration
        takeaway = health.calibration_takeaway(cal, run.check.horizon_days, lang)
        health.plot_calibration(run.check, lang, takeaway=takeaway)


def health_history(ctx: Context, run: HealthRun | None) -> None:
    """The share of customers in each band over the past periods, as a chart.

    Examples
    --------
    >>> health_history(ctx, run)  # doctest: +SKIP
    """
    if run is None:
        return
    history = health.band_history(
        run.data,
        ctx.period,
        run.weights,
        inactivity_days=ctx.cfg.churn.inactivity_days,
        horizon_days=run.horizon,
        **run.bands,
        **run.fit,
    )
    if history.empty:  # no month could be scored (band_history's skipped_months)
        return
    shares = health.band_shares(history)
    takeaway = health.band_history_takeaway(shares, ctx.language)
    health.plot_band_history(shares, ctx.language, takeaway=takeaway)


def paths_before_churn(ctx: Context, data: ChurnData) -> PathsRun | None:
    """Every event per customer, the outcome and how churned and retained paths differ.

    None (said in one sentence) without orders.

    Examples
    --------
    >>> found = paths_before_churn(ctx, data)  # doctest: +SKIP
    """
    if churn.needs_orders(ctx, "paths before churn"):
        return None
    stream = paths.events(data.tables, ctx.period, index=data.index)
    outcome = paths.outcomes(stream, ctx.period, inactivity_days=ctx.cfg.churn.inactivity_days)
    diffs = paths.path_differences(stream, outcome)
    quiet = paths.no_interaction_after_repurchase(stream, outcome)
    return PathsRun(stream=stream, outcome=outcome, diffs=diffs, quiet=quiet)


def paths_summary(ctx: Context, found: PathsRun | None) -> Headlines:
    """What the paths show, in words; return their glued numbers.

    Examples
    --------
    >>> nb.glue_headlines(paths_summary(ctx, found))  # doctest: +SKIP
    """
    if found is None:
        return Headlines([])
    nb.md(paths.paths_findings(found.diffs, found.quiet, ctx.language))
    return paths.paths_headlines(found.quiet)


def paths_table(found: PathsRun | None) -> None:
    """The path differences between churned and retained customers as a table.

    Examples
    --------
    >>> paths_table(found)  # doctest: +SKIP
    """
    if found is not None:
        nb.show(
            nb.table(
                found.diffs,
                percent=("churned_share", "retained_share", "diff", "ci_low", "ci_high"),
                decimals={"p_holm": 4},
            )
        )


def paths_steps(ctx: Context, found: PathsRun | None) -> None:
    """The last steps before churn (or the period end) as a chart.

    Examples
    --------
    >>> paths_steps(ctx, found)  # doctest: +SKIP
    """
    if found is not None:
        lang = ctx.language
        diff = paths.step_differences(paths.step_matrix(found.stream, found.outcome), lang)
        paths.plot_step_matrix(diff, lang, takeaway=paths.step_takeaway(diff, lang))


def in_short(ctx: Context, km_all: Any, model: churn.ChurnModel | None) -> None:
    """The chapter in a few sentences (nothing without a model).

    Examples
    --------
    >>> in_short(ctx, km_all, model)  # doctest: +SKIP
    """
    if model is not None:
        nb.md(
            clv.story_text(
                km_all.table,
                model.hazard_ratios(ctx.language),
                inactivity_days=ctx.cfg.churn.inactivity_days,
                lang=ctx.language,
            )
        )
