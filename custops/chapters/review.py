"""Notebook 05: the quarterly review: scorecard, alerts, funnels, economics, cohorts, forecasts.

Each function is one section of ``notebooks/05_review_retrospective.ipynb``: it takes what
:func:`load` read, calls :mod:`custops.review` (``scorecard``, ``alerts``, ``funnels``,
``economics``, ``cohorts``, ``forecast``), shows the section and returns what a later
section or the glue needs. The chapter reads the artifacts of notebooks 01-04 (listed in
:data:`UPSTREAM`), never refits their models, and writes :data:`SCORECARD`,
:data:`UNIT_ECONOMICS` and :data:`FORECAST_CHECKS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from custops.chapters.churn import CHURN_RATE, CHURN_SCORES, RETENTION_PRIORITY
from custops.chapters.collection import CUSTOMER_FEATURES, read_observation
from custops.chapters.nps import NPS_SUMMARY
from custops.chapters.segmentation import SEGMENTS
from custops.core.config import Period
from custops.core.index import OrderIndex
from custops.core.results import Headlines
from custops.ingest.actions import read_actions
from custops.ingest.artifacts import artifacts_dir, read_clean_tables, write_artifact
from custops.report import notebook as nb
from custops.report.notebook import Context
from custops.review import alerts, cohorts, economics, forecast, funnels
from custops.review import scorecard as review

__all__ = [
    "read_tables",
    "SCORECARD",
    "UNIT_ECONOMICS",
    "FORECAST_CHECKS",
    "UPSTREAM",
    "ReviewData",
    "read_upstream",
    "report_churn",
    "read_previous",
    "load",
    "upstream_note",
    "scorecard",
    "scorecard_sentences",
    "scorecard_chart",
    "kpi_alerts",
    "alerts_table",
    "control_charts",
    "alerts_sensitivity",
    "touch_funnel",
    "funnel_table",
    "acquisition",
    "unit_economics",
    "economics_table",
    "cac_clv_chart",
    "channels",
    "weak_channel_reach",
    "ab_readout",
    "cohort_retention",
    "repurchase_timing",
    "no_contact",
    "forecasts",
    "forecast_tables",
    "forecast_purchases",
    "forecast_headlines",
    "findings",
    "action_register",
    "lessons",
    "headlines",
    "alerts_headlines",
]

#: the KPI scorecard of the period (the landing page and the archive read it)
SCORECARD = "scorecard.csv"
#: acquisition cost against customer value, by channel
UNIT_ECONOMICS = "unit_economics.csv"
#: how last period's forecasts did (the archive collects it across periods)
FORECAST_CHECKS = "forecast_checks.csv"

#: the earlier chapters' artifacts the review reads: file -> (the name
#: :func:`custops.review.scorecard.findings` takes it under, the notebook that writes it)
UPSTREAM: dict[str, tuple[str, str]] = {
    CUSTOMER_FEATURES: ("features", "01_data_collection"),
    SEGMENTS: ("segments", "02_segmentation"),
    CHURN_SCORES: ("churn_scores", "03_churn_survival"),
    RETENTION_PRIORITY: ("retention_priority", "03_churn_survival"),
    NPS_SUMMARY: ("nps_summary", "04_nps"),
}


@dataclass
class ReviewData:
    """What every section of the chapter reads.

    Attributes
    ----------
    tables : dict of DataFrame
        The clean tables, only the order columns the review uses
        (:func:`read_tables`).
    upstream : dict
        :func:`read_upstream`: each artifact of :data:`UPSTREAM` (None when missing).
    index : OrderIndex or None
        Of ``tables["orders"]`` (None without orders), built once and passed to every section.
    """

    tables: dict[str, pd.DataFrame]
    upstream: dict[str, pd.DataFrame | None]
    index: OrderIndex | None

    def findings_inputs(self) -> dict[str, pd.DataFrame | None]:
        """The upstream artifacts under the names :func:`custops.review.scorecard.findings` reads."""
        return {key: self.upstream.get(name) for name, (key, _) in UPSTREAM.items()}


def read_upstream(folder: Path | str) -> dict[str, pd.DataFrame | None]:
    """The earlier notebooks' artifacts for this period (None for each one that is missing).

    Examples
    --------
    >>> import tempfile
    >>> up = read_upstream(tempfile.mkdtemp())
    >>> sorted(k for k, v in up.items() if v is None)[:2]
    ['churn_scores.parquet', 'customer_features.parquet']
    """
    folder = Path(folder)
    out: dict[str, pd.DataFrame | None] = {}
    for name in UPSTREAM:
        path = folder / name
        if not path.exists():
            out[name] = None
        elif name.endswith(".parquet"):
            out[name] = pd.read_parquet(path)
        else:
            out[name] = pd.read_csv(path)
    return out


def report_churn(folder: Path | str, churn: Any) -> dict[str, float] | None:
    """Notebook 03's churn rate when the report's churn definition is not the orders' inactivity.

    With ``churn.definition: contractual`` the scorecard must quote the same churn as
    chapter 03 (:data:`~custops.chapters.churn.CHURN_RATE`); with inactivity churn it computes
    its own from the orders (``None`` here).

    Examples
    --------
    >>> from custops.core.config import ChurnConfig
    >>> report_churn("/nonexistent", ChurnConfig()) is None
    True
    """
    if getattr(churn, "definition", "inactivity") != "contractual":
        return None
    path = Path(folder) / CHURN_RATE
    if not path.exists():
        return None
    row = pd.read_csv(path).iloc[0]
    return {k: float(row[k]) for k in ("rate", "low", "high", "n")}


def read_previous(build_dir: str | Path, period: Period | str) -> forecast.PreviousReport | None:
    """The previous period's published artifacts, or None when it was never built.

    Reads ``<build_dir>/<previous>/artifacts/`` :data:`~custops.chapters.churn.CHURN_SCORES`
    and :data:`~custops.chapters.churn.RETENTION_PRIORITY` (either may be missing; None
    when both are).

    Examples
    --------
    >>> import tempfile
    >>> read_previous(tempfile.mkdtemp(), "2025Q4") is None
    True
    """
    previous = Period.parse(period).previous()
    folder = artifacts_dir(build_dir, previous, create=False)
    scores_file, list_file = folder / CHURN_SCORES, folder / RETENTION_PRIORITY
    if not scores_file.is_file() and not list_file.is_file():
        return None
    scores = pd.read_parquet(scores_file) if scores_file.is_file() else None
    if scores is not None:
        scores["customer_id"] = scores["customer_id"].astype(str)
    priority = (
        pd.read_csv(list_file, dtype={"customer": str}, keep_default_na=False, na_values=[""])
        if list_file.is_file()
        else None
    )
    if priority is not None and "holdout" in priority:
        priority["holdout"] = priority["holdout"].astype(str).str.lower().eq("true")
    return forecast.PreviousReport(period=previous, folder=folder, scores=scores, priority=priority)


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The clean tables of notebook 01, with only
    :data:`custops.review.scorecard.ORDER_COLUMNS` of the orders (the same error as
    :func:`custops.ingest.artifacts.read_clean_tables` when there is no orders table).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"order_id": ["1"], "customer_id": ["a"], "amount": [1.0], "order_date":
    ...     pd.to_datetime(["2025-10-01"]), "channel": ["web"]}).to_parquet(folder / "clean_orders.parquet")
    >>> list(read_tables(folder)["orders"].columns)
    ['order_id', 'customer_id', 'order_date', 'amount']
    """
    return read_clean_tables(Path(folder), columns={"orders": review.ORDER_COLUMNS})


def load(ctx: Context) -> ReviewData:
    """Read the clean tables (the order columns the review uses) and the earlier artifacts.

    Examples
    --------
    >>> data = load(nb.start(None, "2025Q4"))  # doctest: +SKIP
    """
    tables = read_tables(ctx.artifacts)  # only the order columns the review uses
    upstream = read_upstream(ctx.artifacts)
    # built once, passed to every section (None without an orders table)
    index = OrderIndex.from_orders(tables["orders"]) if "orders" in tables else None
    return ReviewData(tables=tables, upstream=upstream, index=index)


def upstream_note(ctx: Context, data: ReviewData) -> str:
    """Which earlier artifacts are missing (and which findings are skipped), or that all are here.

    Examples
    --------
    >>> nb.md(upstream_note(ctx, data))  # doctest: +SKIP
    """
    writers = {name: notebook for name, (_, notebook) in UPSTREAM.items()}
    return review.upstream_note(data.upstream, ctx.language, writers=writers)


def scorecard(ctx: Context, data: ReviewData) -> pd.DataFrame:
    """The KPI scorecard of the period; writes :data:`SCORECARD` and shows it.

    Examples
    --------
    >>> card = scorecard(ctx, data)  # doctest: +SKIP
    """
    card = review.scorecard(
        data.tables,
        ctx.period,
        ctx.cfg.review.targets,
        sla_hours=ctx.cfg.nps.sla_hours,
        seed=ctx.seed,
        lang=ctx.language,
        index=data.index,
        churn=report_churn(ctx.artifacts, ctx.cfg.churn),
        partial_until=review.partial_until(read_observation(ctx)),
    )
    write_artifact(card, ctx.artifacts, SCORECARD)
    nb.show(review.scorecard_table(card, ctx.language, ctx.cfg.currency))
    return card


def scorecard_sentences(ctx: Context, card: pd.DataFrame) -> str:
    """What the scorecard says, in a few paragraphs.

    Examples
    --------
    >>> nb.md(scorecard_sentences(ctx, card))  # doctest: +SKIP
    """
    return "\n\n".join(review.scorecard_sentences(card, ctx.cfg.review.targets, ctx.language))


def scorecard_chart(ctx: Context, card: pd.DataFrame) -> Any:
    """The KPIs against their targets (a figure, shown as the cell's result).

    Examples
    --------
    >>> scorecard_chart(ctx, card)  # doctest: +SKIP
    """
    ax = review.plot_scorecard(
        review.scorecard_bars(card),
        lang=ctx.language,
        takeaway=review.scorecard_takeaway(card, ctx.language),
    )
    return ax.figure


def kpi_alerts(ctx: Context, data: ReviewData) -> alerts.MonitorResult:
    """Watch the monthly KPIs against their control limits; say what the alerts found.

    Examples
    --------
    >>> kpi_watch = kpi_alerts(ctx, data)  # doctest: +SKIP
    """
    kpis = alerts.monthly_kpis(
        data.tables,
        ctx.period,
        inactivity_days=ctx.cfg.churn.inactivity_days,
        index=data.index,
    )
    kpi_watch = alerts.monitor(kpis, ctx.period)
    nb.md(alerts.alerts_findings(kpi_watch, ctx.language))
    return kpi_watch


def alerts_table(ctx: Context, kpi_watch: alerts.MonitorResult) -> pd.DataFrame:
    """The KPI-months where a rule fired (without the KPI key column).

    Examples
    --------
    >>> nb.table(alerts_table(ctx, kpi_watch))  # doctest: +SKIP
    """
    return alerts.alerts_table(kpi_watch.chart, ctx.language).drop(columns="kpi")


def control_charts(ctx: Context, kpi_watch: alerts.MonitorResult) -> None:
    """The control chart of every monitored KPI.

    Examples
    --------
    >>> control_charts(ctx, kpi_watch)  # doctest: +SKIP
    """
    alerts.plot_control_charts(
        alerts.control_panels(kpi_watch, ctx.language),
        ncols=2,
        takeaway=alerts.control_takeaway(kpi_watch, ctx.language),
    )


def alerts_sensitivity(ctx: Context, kpi_watch: alerts.MonitorResult) -> pd.DataFrame:
    """How many sigmas a 10% change is, per KPI (without the KPI key column).

    Examples
    --------
    >>> nb.table(alerts_sensitivity(ctx, kpi_watch))  # doctest: +SKIP
    """
    return alerts.sensitivity_table(kpi_watch.chart, ctx.language).drop(columns="kpi")


def touch_funnel(ctx: Context, data: ReviewData) -> pd.DataFrame | None:
    """The marketing funnel of the period's touches, in words and as a chart.

    None (said in one sentence) without a touches source.

    Examples
    --------
    >>> funnel = touch_funnel(ctx, data)  # doctest: +SKIP
    """
    if nb.missing_table_note(ctx, "touches", "funnels, channels, A/B tests"):
        return None
    funnel = funnels.touch_funnel(data.tables["touches"], ctx.period)
    nb.md(funnels.funnel_sentence(funnel, ctx.language))
    ax = funnels.plot_funnel(
        funnels.funnel_bars(funnel, ctx.language),
        lang=ctx.language,
        takeaway=funnels.funnel_takeaway(funnel, ctx.language),
    )
    nb.show(ax.figure)
    return funnel


def funnel_table(data: ReviewData, funnel: pd.DataFrame | None) -> None:
    """The marketing funnel as a table (nothing without touches).

    Examples
    --------
    >>> funnel_table(data, funnel)  # doctest: +SKIP
    """
    if "touches" in data.tables:
        nb.show(nb.table(funnel, percent=funnels.PERCENT))


def acquisition(ctx: Context, data: ReviewData) -> pd.DataFrame:
    """The acquisition funnel: sign-ups of the period and how many ordered, in words and a table.

    Examples
    --------
    >>> acquisition(ctx, data)  # doctest: +SKIP
    """
    found = funnels.acquisition_funnel(
        data.tables["customers"], data.tables["orders"], ctx.period, index=data.index
    )
    nb.md(funnels.acquisition_sentence(found, ctx.language))
    nb.show(nb.table(found, percent=funnels.PERCENT))
    return found


def unit_economics(ctx: Context, data: ReviewData) -> economics.UnitEconomics:
    """What a new customer cost and is worth, by acquisition channel, in words.

    Examples
    --------
    >>> economy = unit_economics(ctx, data)  # doctest: +SKIP
    """
    economy = economics.unit_economics(
        data.tables["customers"],
        data.tables["orders"],
        data.upstream[CHURN_SCORES],
        ctx.period,
        ctx.cfg,
        index=data.index,
    )
    nb.md(economy.note(ctx.language))
    nb.md(economics.economics_findings(economy, ctx.language, ctx.cfg.currency))
    return economy


def economics_table(ctx: Context, economy: economics.UnitEconomics) -> Headlines:
    """Write :data:`UNIT_ECONOMICS`, show the table; return the section's glued numbers.

    Examples
    --------
    >>> nb.glue_headlines(economics_table(ctx, economy))  # doctest: +SKIP
    """
    write_artifact(economy.table, ctx.artifacts, UNIT_ECONOMICS)
    nb.show(nb.table(economics.display_economics(economy, ctx.language)))
    return economics.economics_headlines(economy)


def cac_clv_chart(ctx: Context, economy: economics.UnitEconomics) -> None:
    """Acquisition cost against lifetime value by channel (when notebook 03's CLV is there).

    Examples
    --------
    >>> cac_clv_chart(ctx, economy)  # doctest: +SKIP
    """
    if not economy.has_clv:
        return
    lang, currency = ctx.language, ctx.cfg.currency
    table = economics.cac_clv_table(economy.table, lang)
    if not table.empty:  # no customer was acquired in the period: nothing to draw
        takeaway = economics.cac_clv_takeaway(economy.table, lang, currency)
        economics.plot_cac_clv(table, lang, currency, takeaway=takeaway)


def channels(ctx: Context, data: ReviewData, *, min_n: int = 30) -> pd.DataFrame | None:
    """Reach and conversion by channel, in words, a chart and a table (None without touches).

    Examples
    --------
    >>> found = channels(ctx, data, min_n=30)  # doctest: +SKIP
    """
    if "touches" not in data.tables:
        return None
    lang = ctx.language
    found = funnels.channel_effectiveness(data.tables["touches"], ctx.period, min_n=min_n)
    nb.md(funnels.channel_sentence(found, lang))
    ax = funnels.plot_channels(
        funnels.channel_bars(found), lang=lang, takeaway=funnels.channels_takeaway(found, lang)
    )
    nb.show(ax.figure)
    nb.show(nb.table(found, percent=funnels.PERCENT))
    return found


def weak_channel_reach(ctx: Context, data: ReviewData, found: pd.DataFrame | None) -> pd.DataFrame:
    """Customers the weakest channels reach, in words and a table.

    Examples
    --------
    >>> weak_channel_reach(ctx, data, found)  # doctest: +SKIP
    """
    reach = funnels.weak_channel_reach(
        data.tables["customers"],
        data.tables["orders"],
        data.tables.get("touches"),
        ctx.period,
        found,
        index=data.index,
    )
    nb.md(funnels.weak_reach_sentence(reach, ctx.language))
    nb.show(nb.table(reach, percent=funnels.PERCENT))
    return reach


def ab_readout(ctx: Context, data: ReviewData) -> pd.DataFrame | None:
    """Every A/B split of the period's campaigns, in words and a table (None without touches).

    Examples
    --------
    >>> ab = ab_readout(ctx, data)  # doctest: +SKIP
    """
    if "touches" not in data.tables:
        return None
    ab = funnels.ab_readout(data.tables["touches"], ctx.period)
    nb.md("\n\n".join(funnels.ab_sentence(ab, ctx.language)))
    nb.show(nb.table(funnels.ab_display(ab), percent=funnels.PERCENT, decimals={"p_value": 3}))
    return ab


def cohort_retention(ctx: Context, data: ReviewData, *, n_cohorts: int = 12) -> pd.DataFrame:
    """Monthly first-order cohorts and their repurchase, in words and a heatmap.

    Examples
    --------
    >>> cohort_retention(ctx, data, n_cohorts=12)  # doctest: +SKIP
    """
    retention = cohorts.cohort_retention(
        data.tables["orders"], ctx.period, n_cohorts=n_cohorts, index=data.index
    )
    nb.md(cohorts.cohort_sentence(retention, ctx.language))
    matrix = cohorts.cohort_matrix(retention)
    ax = cohorts.plot_cohort_heatmap(
        matrix,
        lang=ctx.language,
        vmax=cohorts.heatmap_scale(matrix),
        takeaway=cohorts.heatmap_takeaway(matrix, ctx.language),
    )
    nb.show(ax.figure)
    return retention


def repurchase_timing(ctx: Context, data: ReviewData) -> pd.DataFrame:
    """How long customers take to order again, in words and a table.

    Examples
    --------
    >>> repurchase_timing(ctx, data)  # doctest: +SKIP
    """
    timing = cohorts.repurchase_timing(data.tables["orders"], ctx.period, index=data.index)
    nb.md(cohorts.repurchase_sentence(timing, ctx.language))
    nb.show(nb.table(timing, percent=funnels.PERCENT, decimals={"median_days": 1}))
    return timing


def no_contact(ctx: Context, data: ReviewData) -> str:
    """Customers not contacted after their first repurchase, in words.

    Examples
    --------
    >>> nb.md(no_contact(ctx, data))  # doctest: +SKIP
    """
    follow_up = cohorts.no_contact_after_repurchase(
        data.tables["orders"],
        ctx.period,
        touches=data.tables.get("touches"),
        tickets=data.tables.get("tickets"),
        index=data.index,
    )
    return cohorts.no_contact_sentence(follow_up, ctx.language)


def forecasts(ctx: Context, data: ReviewData, *, top_n: int = 50) -> forecast.ForecastCheck:
    """Score last period's forecasts against what happened; writes :data:`FORECAST_CHECKS`.

    Examples
    --------
    >>> checked = forecasts(ctx, data, top_n=50)  # doctest: +SKIP
    """
    checked = forecast.score_forecasts(
        read_previous(ctx.build_dir, ctx.period),
        data.tables.get("orders"),
        ctx.period,
        inactivity_days=ctx.cfg.churn.inactivity_days,
        observation_end=read_observation(ctx).observation_end,
        top_n=top_n,
        touches=data.tables.get("touches"),
        retention_campaign=ctx.cfg.review.retention_campaign,
    )
    write_artifact(checked.summary, ctx.artifacts, FORECAST_CHECKS)
    config_name = ctx.config_file.name if ctx.config_file else "FILE"
    nb.md(forecast.forecast_text(checked, ctx.language, config=config_name))
    return checked


def forecast_tables(ctx: Context, checked: forecast.ForecastCheck) -> None:
    """The calibration of last period's churn forecast (table and chart) and its baselines.

    Examples
    --------
    >>> forecast_tables(ctx, checked)  # doctest: +SKIP
    """
    if not checked.available:
        return
    lang = ctx.language
    nb.show(nb.table(forecast.calibration_display(checked, lang)))
    table, previous = checked.calibration, checked.previous.label
    forecast.plot_calibration(
        table,
        previous=previous,
        horizon_days=checked.horizon_days,
        top=forecast.calibration_scale(table),
        lang=lang,
        takeaway=forecast.calibration_takeaway(table, previous, lang),
    )
    if checked.baselines is not None and not checked.baselines.empty:
        nb.show(nb.table(forecast.baselines_display(checked, lang)))


def forecast_purchases(ctx: Context, checked: forecast.ForecastCheck) -> None:
    """Expected against actual purchases and the retention campaign's uplift (when measured).

    Examples
    --------
    >>> forecast_purchases(ctx, checked)  # doctest: +SKIP
    """
    if checked.available and checked.purchases is not None:
        nb.show(nb.table(forecast.purchases_display(checked, ctx.language)))
    if checked.available and checked.uplift.itt is not None:
        nb.show(nb.table(forecast.uplift_display(checked, ctx.language)))


def forecast_headlines(checked: forecast.ForecastCheck) -> Headlines:
    """The forecast section's glued numbers (:func:`custops.review.forecast.forecast_headlines`).

    Examples
    --------
    >>> nb.glue_headlines(forecast_headlines(checked))  # doctest: +SKIP
    """
    return forecast.forecast_headlines(checked)


def findings(
    ctx: Context,
    data: ReviewData,
    card: pd.DataFrame,
    *,
    channels: pd.DataFrame | None = None,
    ab: pd.DataFrame | None = None,
) -> list[dict]:
    """The quarter's findings from the scorecard and the earlier chapters' artifacts, shown.

    Examples
    --------
    >>> items = findings(ctx, data, card, channels=channels, ab=ab)  # doctest: +SKIP
    """
    items = review.findings(
        card,
        data.findings_inputs(),
        channels=channels,
        ab=ab,
        lang=ctx.language,
        currency=ctx.cfg.currency,
    )
    nb.md(review.findings_markdown(items, ctx.language))
    return items


def action_register(ctx: Context, card: pd.DataFrame) -> pd.DataFrame:
    """The PDCA action register joined to the scorecard, in words and a table.

    Examples
    --------
    >>> register = action_register(ctx, card)  # doctest: +SKIP
    """
    lang = ctx.language
    register = review.action_register(read_actions(ctx.cfg), card, ctx.period)
    nb.md("\n\n".join(review.action_sentences(register, lang)))
    nb.show(nb.table(review.register_table(register, lang, ctx.cfg.currency)))
    return register


def lessons(ctx: Context, card: pd.DataFrame, register: pd.DataFrame) -> str:
    """One lesson per red KPI, as Markdown bullets.

    Examples
    --------
    >>> nb.md(lessons(ctx, card, register))  # doctest: +SKIP
    """
    return "\n".join(f"- {x}" for x in review.lessons_learned(card, register, ctx.language))


def headlines(
    card: pd.DataFrame,
    *,
    channels: pd.DataFrame | None = None,
    items: list[dict] | None = None,
) -> Headlines:
    """The review's glued numbers (:func:`custops.review.scorecard.glue_values`).

    Examples
    --------
    >>> nb.glue_headlines(headlines(card, channels=channels, items=items))  # doctest: +SKIP
    """
    return review.glue_values(card, channels=channels, items=items)


def alerts_headlines(kpi_watch: alerts.MonitorResult) -> Headlines:
    """The alerts' glued numbers (:func:`custops.review.alerts.alerts_headlines`).

    Examples
    --------
    >>> nb.glue_headlines(alerts_headlines(kpi_watch))  # doctest: +SKIP
    """
    return alerts.alerts_headlines(kpi_watch)
