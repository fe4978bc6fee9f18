"""Notebook 02: customer segments (RFM, tiers, lifecycle, clusters), concentration, migration, timing.

Each function is one section of ``notebooks/02_segmentation.ipynb``: it reads what it needs
(notebook 01's artifacts through :func:`segment`), calls :mod:`custops.segments.segmentation`
and :mod:`custops.features.timing`, shows the section (tables, sentences, charts) and
returns what a later section or the glue needs. The chapter writes :data:`SEGMENTS` and
:data:`SEGMENTS_CRM`; later chapters import these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from custops.chapters.collection import CLEAN_ORDERS, CUSTOMER_FEATURES, LEDGER, clean_table
from custops.core.index import OrderIndex
from custops.core.results import Headlines
from custops.features import timing as timing_
from custops.features.purchases import ORDER_COLUMNS
from custops.ingest.artifacts import has_artifact, read_artifact, read_columns, write_artifact
from custops.report import notebook as nb
from custops.report import plots
from custops.report.notebook import Context
from custops.segments import segmentation as seg
from custops.segments import timing as timing_text

__all__ = [
    "SEGMENTS",
    "SEGMENTS_CRM",
    "SegmentData",
    "Migration",
    "segment",
    "rules",
    "segments_table",
    "segments_chart",
    "segment_findings",
    "tiers_table",
    "stages_table",
    "cluster_choice",
    "cluster_levels_chart",
    "cluster_profile",
    "clusters_chart",
    "cluster_findings",
    "concentration",
    "migration",
    "migration_chart",
    "tier_migration",
    "timing",
    "timing_chart",
    "write_outputs",
    "headlines",
]

#: every customer's scores, segment, tier, lifecycle stage and cluster (read by chapters 03-05)
SEGMENTS = "segments.parquet"
#: the segment list for the CRM team (readable labels)
SEGMENTS_CRM = "segments_crm.csv"


@dataclass
class SegmentData:
    """What every section of the chapter reads.

    Attributes
    ----------
    segmentation : Segmentation
        :func:`custops.segments.segmentation.segment_customers` of the period.
    tables : dict of DataFrame
        ``orders`` (four columns, :func:`custops.ingest.artifacts.read_columns`) and, when
        notebook 01 wrote one, ``customers``.
    index : OrderIndex
        Of ``tables["orders"]``, built once and passed to every section.
    """

    segmentation: seg.Segmentation
    tables: dict[str, pd.DataFrame]
    index: OrderIndex


@dataclass
class Migration:
    """The previous period's segmentation and the RFM segment movements since then."""

    before: seg.Segmentation
    moves: Any


def _ledger(ctx: Context) -> pd.DataFrame | None:
    """Notebook 01's row ledger (None when absent: an older build)."""
    return read_artifact(ctx.artifacts, LEDGER) if has_artifact(ctx.artifacts, LEDGER) else None


def segment(ctx: Context) -> SegmentData:
    """Read notebook 01's customer view, orders and customers and segment every customer.

    Examples
    --------
    >>> data = segment(nb.start(None, "2025Q4"))  # doctest: +SKIP
    >>> data.segmentation.table.columns[:2].tolist()  # doctest: +SKIP
    ['customer_id', 'r_score']
    """
    features = read_artifact(ctx.artifacts, CUSTOMER_FEATURES)
    # the segments and the weekday x hour table read the orders (four columns) and the customers
    tables = {"orders": read_columns(ctx.artifacts, CLEAN_ORDERS, ORDER_COLUMNS)}
    if has_artifact(ctx.artifacts, clean_table("customers")):
        tables["customers"] = read_artifact(ctx.artifacts, clean_table("customers"))
    index = OrderIndex.from_orders(tables["orders"])  # built once, passed to every section
    s = seg.segment_customers(features, tables["orders"], ctx.period, ctx.cfg, index=index)
    return SegmentData(segmentation=s, tables=tables, index=index)


def rules(ctx: Context) -> pd.DataFrame:
    """The RFM segment rules (score ranges per segment) in the report language.

    Examples
    --------
    >>> rules(ctx)  # doctest: +SKIP
    """
    return seg.segment_rules_table(lang=ctx.language)


def _contribution_table(ctx: Context, frame: pd.DataFrame, by: str) -> None:
    nb.show(
        nb.table(
            seg.display_contribution(frame, by, ctx.language),
            percent=seg.DISPLAY_PERCENT,
            money=seg.DISPLAY_MONEY,
        )
    )


def segments_table(ctx: Context, data: SegmentData) -> pd.DataFrame:
    """Show how big each RFM segment is and what it is worth; return the contribution table.

    Examples
    --------
    >>> by_segment = segments_table(ctx, data)  # doctest: +SKIP
    """
    view = data.segmentation.view
    by_segment = seg.segment_contribution(view, "rfm_segment", order=seg.SEGMENT_ORDER)
    _contribution_table(ctx, by_segment, "rfm_segment")
    return by_segment


def segments_chart(ctx: Context, by_segment: pd.DataFrame) -> None:
    """Show each RFM segment's share of customers against its share of revenue.

    Examples
    --------
    >>> segments_chart(ctx, by_segment)  # doctest: +SKIP
    """
    lang = ctx.language
    seg.plot_share_vs_revenue(
        seg.share_vs_revenue_table(by_segment, "rfm_segment", lang),
        lang,
        takeaway=seg.share_takeaway(by_segment, "rfm_segment", lang),
    )


def segment_findings(ctx: Context, by_segment: pd.DataFrame) -> str:
    """What each segment is and what to do (Markdown bullets).

    Examples
    --------
    >>> nb.md(segment_findings(ctx, by_segment))  # doctest: +SKIP
    """
    return seg.segment_findings(by_segment, ctx.language)


def tiers_table(ctx: Context, data: SegmentData) -> pd.DataFrame:
    """Show the value tiers' size and worth; return the contribution table.

    Examples
    --------
    >>> tiers_table(ctx, data)  # doctest: +SKIP
    """
    order = seg.tier_order(ctx.cfg.segments.tiers)
    by_tier = seg.segment_contribution(data.segmentation.view, "tier", order=order)
    _contribution_table(ctx, by_tier, "tier")
    return by_tier


def stages_table(ctx: Context, data: SegmentData) -> pd.DataFrame:
    """Show the lifecycle stages' size and worth; return the contribution table.

    Examples
    --------
    >>> stages_table(ctx, data)  # doctest: +SKIP
    """
    order = list(seg.LIFECYCLE_STAGES)
    by_stage = seg.segment_contribution(data.segmentation.view, "lifecycle", order=order)
    _contribution_table(ctx, by_stage, "lifecycle")
    return by_stage


def cluster_choice(ctx: Context, data: SegmentData) -> None:
    """Say how the number of clusters was chosen and show the silhouette by k.

    Examples
    --------
    >>> cluster_choice(ctx, data)  # doctest: +SKIP
    """
    clusters = data.segmentation.clusters
    nb.md(clusters.note(ctx.language))
    silhouette, k, lang = clusters.silhouette_, clusters.k_, ctx.language
    seg.plot_silhouette(silhouette, k, lang, takeaway=seg.silhouette_takeaway(silhouette, k, lang))


def cluster_levels_chart(ctx: Context, data: SegmentData) -> None:
    """Show each cluster's centre in standard deviations from the average customer.

    Examples
    --------
    >>> cluster_levels_chart(ctx, data)  # doctest: +SKIP
    """
    clusters = data.segmentation.clusters
    levels, names, lang = clusters.levels_, clusters.names_, ctx.language
    seg.plot_cluster_levels(
        seg.cluster_levels_table(levels, names, lang),
        lang,
        takeaway=seg.levels_takeaway(levels, names, lang),
    )


def cluster_profile(ctx: Context, data: SegmentData) -> pd.DataFrame:
    """Show the clusters' profile table; return it (:func:`custops.segments.segmentation.cluster_profile`).

    Examples
    --------
    >>> profile = cluster_profile(ctx, data)  # doctest: +SKIP
    """
    profile = seg.cluster_profile(data.segmentation.view)
    nb.show(
        nb.table(
            seg.display_profile(profile, ctx.language),
            percent=seg.DISPLAY_PERCENT,
            money=seg.DISPLAY_MONEY,
        )
    )
    return profile


def clusters_chart(ctx: Context, data: SegmentData) -> None:
    """Show each cluster's share of customers against its share of revenue.

    Examples
    --------
    >>> clusters_chart(ctx, data)  # doctest: +SKIP
    """
    view = data.segmentation.view
    by_cluster = seg.segment_contribution(view[view["cluster"] >= 0], "cluster_name")
    lang = ctx.language
    seg.plot_share_vs_revenue(
        seg.share_vs_revenue_table(by_cluster, "cluster_name", lang),
        lang,
        takeaway=seg.share_takeaway(by_cluster, "cluster_name", lang),
    )


def cluster_findings(ctx: Context, profile: pd.DataFrame) -> str:
    """What each cluster is (Markdown).

    Examples
    --------
    >>> nb.md(cluster_findings(ctx, profile))  # doctest: +SKIP
    """
    return seg.cluster_findings(profile, ctx.language, ctx.cfg.currency)


def concentration(ctx: Context, data: SegmentData, top: float = 0.2) -> float:
    """Say how concentrated revenue is and show the Pareto curve; return the top share.

    Examples
    --------
    >>> concentration(ctx, data, 0.2)  # doctest: +SKIP
    """
    revenue = data.segmentation.view["revenue_365d"]
    share = seg.top_share(revenue, top)
    nb.md(seg.concentration_sentence(revenue, top, ctx.language))
    seg.plot_pareto(
        seg.pareto_curve(revenue),
        top,
        share,
        ctx.language,
        takeaway=seg.pareto_takeaway(top, share, ctx.language),
    )
    return share


def migration(ctx: Context, data: SegmentData, n_movements: int = 5) -> Migration:
    """Segment the previous period the same way and name the largest RFM segment movements.

    Examples
    --------
    >>> moved = migration(ctx, data, 5)  # doctest: +SKIP
    """
    before = seg.previous_segmentation(data.tables, ctx.period, ctx.cfg, index=data.index)
    moves = seg.migration(before, data.segmentation, "rfm_segment")
    nb.md(seg.migration_sentences(moves, n_movements, ctx.language))
    return Migration(before=before, moves=moves)


def _transition_chart(ctx: Context, matrix: pd.DataFrame) -> None:
    """Draw a transition matrix of :func:`custops.segments.segmentation.migration` with its takeaway."""
    lang = ctx.language
    seg.plot_transition(
        seg.transition_shares(matrix, lang),
        matrix,
        lang,
        takeaway=seg.transition_takeaway(matrix, lang),
    )


def migration_chart(ctx: Context, moved: Migration) -> None:
    """Show the RFM segment transition matrix since the previous period.

    Examples
    --------
    >>> migration_chart(ctx, moved)  # doctest: +SKIP
    """
    _transition_chart(ctx, moved.moves)


def tier_migration(ctx: Context, data: SegmentData, moved: Migration) -> None:
    """Name the largest value-tier movements and show the tier transition matrix.

    Examples
    --------
    >>> tier_migration(ctx, data, moved)  # doctest: +SKIP
    """
    tier_moves = seg.migration(moved.before, data.segmentation, "tier")
    nb.md(seg.migration_sentences(tier_moves, 3, ctx.language))
    _transition_chart(ctx, tier_moves)


def timing(
    ctx: Context, data: SegmentData, *, window: str = "year", min_n: int = 30
) -> timing_.WeekdayHour:
    """Orders by weekday and hour: the table, its note and the findings.

    Parameters
    ----------
    window : {"year", "period"}
        Trailing 12 months or the period.
    min_n : int
        Cells with fewer orders show no average order value.

    Examples
    --------
    >>> when = timing(ctx, data, window="year", min_n=30)  # doctest: +SKIP
    """
    when = timing_.weekday_hour_table(
        data.tables["orders"],
        ctx.period,
        window=window,
        min_n=min_n,
        timezone=timing_.timezone_label(ctx.cfg, _ledger(ctx)),
        index=data.index,
    )
    nb.md(timing_text.timing_note(when, ctx.language))
    nb.md(timing_text.timing_findings(when, ctx.language, ctx.cfg.currency))
    return when


def timing_chart(ctx: Context, when: timing_.WeekdayHour) -> Headlines:
    """Show the weekday x hour heatmaps (when the orders carry times); return its headlines.

    Examples
    --------
    >>> nb.glue_headlines(timing_chart(ctx, when))  # doctest: +SKIP
    """
    if when.has_times:  # the heatmaps with their caption
        lang = ctx.language
        titles, xlabel = timing_text.weekday_hour_words(lang, ctx.cfg.currency)
        axes = timing_.plot_weekday_hour(
            timing_text.weekday_hour_labelled_panels(when.table, lang), titles, xlabel
        )
        plots.set_takeaway(axes[0], timing_text.weekday_hour_takeaway(when.table, lang))
    return timing_.timing_headlines(when)


def write_outputs(ctx: Context, data: SegmentData) -> pd.DataFrame:
    """Write :data:`SEGMENTS` and :data:`SEGMENTS_CRM`; return what was written.

    Examples
    --------
    >>> nb.table(write_outputs(ctx, data))  # doctest: +SKIP
    """
    s = data.segmentation
    crm = seg.crm_export(s, ctx.language)
    rows = []
    for frame, name in ((s.table, SEGMENTS), (crm, SEGMENTS_CRM)):
        path = write_artifact(frame, ctx.artifacts, name)
        rows.append(
            {"artifact": path.name, "rows": len(frame), "columns": ", ".join(frame.columns)}
        )
    return pd.DataFrame(rows)


def headlines(data: SegmentData, profile: pd.DataFrame | None, *, top: float = 0.2) -> Headlines:
    """The chapter's glued numbers (:func:`custops.segments.segmentation.headlines`).

    Examples
    --------
    >>> nb.glue_headlines(headlines(data, profile, top=0.2))  # doctest: +SKIP
    """
    return seg.headlines(data.segmentation, profile, top=top)
