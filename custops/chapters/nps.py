"""Notebook 04: NPS with its uncertainty, service KPIs, agents, comments, sentiment, closed loop.

Each function is one section of ``notebooks/04_nps.ipynb``: it takes what :func:`load`
read, calls :mod:`custops.voice` (``nps``, ``agents``, ``sentiment``, ``text_mining``),
shows the section and returns what a later section or the glue needs. The chapter reads
notebook 01's clean tables and customer view and notebook 02's segments (when present), and
writes :data:`NPS_SUMMARY`, :data:`NPS_COMPARISON` and :data:`AGENT_STATS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from custops.chapters.collection import CLEAN_ORDERS, CUSTOMER_FEATURES
from custops.chapters.segmentation import SEGMENTS
from custops.core.config import Period
from custops.core.results import Headlines
from custops.ingest.artifacts import has_artifact, read_artifact, write_artifact
from custops.report import notebook as nb
from custops.report.notebook import Context
from custops.voice import agents as agents_
from custops.voice import nps, sentiment, text_mining
from custops.voice.nps import NpsInputs

__all__ = [
    "NPS_SUMMARY",
    "NPS_COMPARISON",
    "AGENT_STATS",
    "NpsNow",
    "Service",
    "read_tables",
    "load_segments",
    "load_inputs",
    "load",
    "method",
    "summary",
    "comparison_table",
    "trend",
    "group_chart",
    "small_groups",
    "group_table",
    "group_changes",
    "slow_service",
    "service_kpis",
    "service_kpi_table",
    "agents",
    "agent_table",
    "response_time",
    "response_time_tests",
    "drivers",
    "themes",
    "keywords",
    "quotes",
    "sentiment_by_aspect",
    "aspect_moves_table",
    "closed_loop",
    "headlines",
    "write_outputs",
]

#: NPS overall and by group with its interval (:data:`custops.voice.nps.SUMMARY_COLUMNS`)
NPS_SUMMARY = "nps_summary.csv"
#: the period's NPS against the previous period's (:data:`custops.voice.nps.COMPARISON_COLUMNS`)
NPS_COMPARISON = "nps_comparison.csv"
#: tickets, response times and flags per service agent
AGENT_STATS = "agent_stats.csv"

#: the columns of the orders and touches the chapter reads (closed loop: contacted? bought?)
_NARROW = {"orders": nps.ORDER_COLUMNS, "touches": nps.TOUCH_COLUMNS}


@dataclass
class NpsNow:
    """The period's NPS by group (``summary``) and its comparison with the previous period."""

    summary: pd.DataFrame
    comparison: pd.DataFrame


@dataclass
class Service:
    """The period's tickets (:func:`custops.voice.nps.ticket_frame`) and their service KPIs."""

    tickets: pd.DataFrame | None
    kpis: pd.DataFrame


def read_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The clean tables; orders and touches only with the columns the chapter reads.

    The orders and touches are read with :data:`custops.voice.nps.ORDER_COLUMNS` and
    :data:`custops.voice.nps.TOUCH_COLUMNS` only, customer ids as Arrow-backed strings (20M
    orders at 1M customers: no Python strings): the chapter only asks whether a detractor
    was contacted and bought again.

    Examples
    --------
    >>> tables = read_tables(ctx.artifacts)  # doctest: +SKIP
    >>> list(tables["orders"])  # doctest: +SKIP
    ['customer_id', 'order_date']
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from custops.ingest.artifacts import read_clean_tables

    folder = Path(folder)
    if not (folder / CLEAN_ORDERS).exists():
        return read_clean_tables(folder)  # raises the usual "run notebook 01" error
    tables = {}
    for path in sorted(folder.glob("clean_*.parquet")):
        name = path.stem.removeprefix("clean_")
        if name in _NARROW:
            table = pq.read_table(path, columns=list(_NARROW[name]))
            tables[name] = table.to_pandas(
                types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get
            )
        else:
            tables[name] = pd.read_parquet(path)
    return tables


def load_segments(folder: str | Path) -> pd.DataFrame | None:
    """Notebook 02's :data:`~custops.chapters.segmentation.SEGMENTS` reduced to
    ``customer_id, segment, tier`` (:func:`custops.voice.nps.segment_columns`); None if absent.

    Examples
    --------
    >>> load_segments("/nonexistent") is None
    True
    """
    path = Path(folder) / SEGMENTS
    return nps.segment_columns(pd.read_parquet(path)) if path.exists() else None


def load_inputs(folder: str | Path, period: Period | str) -> NpsInputs:
    """Read the clean tables, the customer view and (if present) the segments of a period.

    The tables as :func:`read_tables` reads them; the answers as
    :func:`custops.voice.nps.inputs` selects them.

    Examples
    --------
    >>> data = load_inputs("build/2025Q4/artifacts", "2025Q4")  # doctest: +SKIP
    >>> data.responses["nps_category"].value_counts()  # doctest: +SKIP
    """
    folder = Path(folder)
    tables = read_tables(folder)
    features = (
        read_artifact(folder, CUSTOMER_FEATURES)
        if has_artifact(folder, CUSTOMER_FEATURES)
        else None
    )
    return nps.inputs(tables, features, load_segments(folder), period)


def load(ctx: Context) -> NpsInputs:
    """The chapter's inputs for ``ctx``'s period (:func:`load_inputs`).

    Examples
    --------
    >>> data = load(nb.start(None, "2025Q4"))  # doctest: +SKIP
    """
    return load_inputs(ctx.artifacts, ctx.period)


def method(ctx: Context, data: NpsInputs) -> None:
    """How NPS is computed: a missing surveys source, the answer scale, the segments used.

    Examples
    --------
    >>> method(ctx, data)  # doctest: +SKIP
    """
    nb.missing_table_note(ctx, "surveys", "NPS")
    nb.note(nps.scale_text(ctx.cfg, ctx.language))
    nb.md(nps.segments_note(data.segments, lang=ctx.language))


def summary(ctx: Context, data: NpsInputs) -> NpsNow:
    """The period's NPS by group and its change since the previous period, in words.

    Examples
    --------
    >>> now = summary(ctx, data)  # doctest: +SKIP
    """
    min_n = ctx.cfg.nps.min_group_n
    groups = nps.summary_groups(ctx.cfg.nps)
    table = nps.nps_summary(data.responses, min_n=min_n, groups=groups)
    comparison = nps.period_comparison(data.responses_all, ctx.period)
    nb.md(nps.summary_text(table, comparison, ctx.period, lang=ctx.language))
    return NpsNow(summary=table, comparison=comparison)


def comparison_table(ctx: Context, data: NpsInputs, now: NpsNow) -> None:
    """Show the comparison with the previous period (a sentence instead without answers).

    Examples
    --------
    >>> comparison_table(ctx, data, now)  # doctest: +SKIP
    """
    if not nps.no_answers_note(data, "comparison table", ctx.language):
        nb.show(
            nb.table(
                now.comparison,
                decimals={"p_value": 4, "z": 2, "nps": 1, "nps_baseline": 1, "change": 1},
            )
        )


def trend(ctx: Context, data: NpsInputs, months: int = 12) -> pd.DataFrame | None:
    """Show NPS month by month (the last ``months``) with its band; return the trend table.

    Examples
    --------
    >>> trend(ctx, data, 12)  # doctest: +SKIP
    """
    if nps.no_answers_note(data, "month by month", ctx.language):
        return None
    min_n = ctx.cfg.nps.min_group_n
    by_month = nps.nps_trend(data.responses_all, ctx.period, n_periods=months, min_n=min_n)
    lang = ctx.language
    nps.plot_nps_trend(by_month, lang=lang, takeaway=nps.trend_takeaway(by_month, lang))
    return by_month


def group_chart(ctx: Context, data: NpsInputs, now: NpsNow) -> None:
    """Show each group's NPS with its 95% interval.

    Examples
    --------
    >>> group_chart(ctx, data, now)  # doctest: +SKIP
    """
    lang = ctx.language
    if not nps.no_answers_note(data, "NPS by group", lang):
        panels = nps.panel_table(now.summary)
        nps.plot_nps_panels(
            panels,
            title=f"NPS {ctx.period.label}",
            lang=lang,
            takeaway=nps.panels_takeaway(panels, lang),
        )


def small_groups(ctx: Context, data: NpsInputs, now: NpsNow) -> None:
    """Name the groups too small to read (nothing without answers).

    Examples
    --------
    >>> small_groups(ctx, data, now)  # doctest: +SKIP
    """
    if not data.responses.empty:
        min_n = ctx.cfg.nps.min_group_n
        nb.md(nps.small_groups_text(now.summary, min_n=min_n, lang=ctx.language))


def group_table(ctx: Context, data: NpsInputs, now: NpsNow) -> None:
    """Show the NPS by group table (nothing without answers: the sentence is above).

    Examples
    --------
    >>> group_table(ctx, data, now)  # doctest: +SKIP
    """
    if len(data.responses):
        nb.show(
            nb.table(
                now.summary.drop(columns=["se"]),
                max_rows=80,
                decimals={"nps": 1, "ci_low": 1, "ci_high": 1},
            )
        )


def group_changes(ctx: Context, data: NpsInputs) -> pd.DataFrame | None:
    """Test every group's change since the previous period (Holm); show and return the table.

    Examples
    --------
    >>> group_changes(ctx, data)  # doctest: +SKIP
    """
    if nps.no_answers_note(data, "group changes", ctx.language):
        return None
    changes = nps.group_changes(data.responses_all, ctx.period, min_n=ctx.cfg.nps.min_group_n)
    nb.md(nps.group_changes_text(changes, lang=ctx.language))
    nb.show(nb.table(changes, max_rows=60, decimals={"p_value": 3, "p_holm": 3}))
    return changes


def slow_service(ctx: Context, data: NpsInputs) -> pd.DataFrame:
    """The NPS gap between customers with slow and fast first responses, in words.

    Examples
    --------
    >>> gap = slow_service(ctx, data)  # doctest: +SKIP
    """
    gap = nps.nps_gap(data.responses, "slow_first_response")
    nb.md(nps.gap_text(gap, slow_hours=ctx.cfg.nps.slow_response_hours, lang=ctx.language))
    return gap


def service_kpis(ctx: Context, data: NpsInputs, *, within_hours: float = 3.0) -> Service:
    """The period's tickets and service KPIs (CSAT, response times, share in time), in words.

    Examples
    --------
    >>> service = service_kpis(ctx, data, within_hours=3.0)  # doctest: +SKIP
    """
    nb.missing_table_note(ctx, "tickets", "Service KPIs")
    tickets = nps.ticket_frame(data.tables.get("tickets"), ctx.period, within_hours=within_hours)
    kpis = nps.service_kpis(tickets, min_n=ctx.cfg.nps.min_group_n)
    nb.md(nps.service_text(kpis, within_hours=within_hours, lang=ctx.language))
    return Service(tickets=tickets, kpis=kpis)


def service_kpi_table(ctx: Context, service: Service, *, within_hours: float = 3.0) -> Any:
    """The service KPIs as a table for people.

    Examples
    --------
    >>> nb.table(service_kpi_table(ctx, service, within_hours=3.0))  # doctest: +SKIP
    """
    return nps.service_kpi_display(service.kpis, lang=ctx.language, within_hours=within_hours)


def agents(ctx: Context, data: NpsInputs, *, mode: str = "auto") -> agents_.AgentStats | None:
    """Service work per agent (:func:`custops.voice.agents.agent_stats`), in words.

    Examples
    --------
    >>> team = agents(ctx, data, mode="auto")  # doctest: +SKIP
    """
    team = agents_.agent_stats(
        data.tables.get("tickets"), ctx.period, ctx.cfg, min_n=ctx.cfg.nps.min_group_n, mode=mode
    )
    nb.md(agents_.agent_findings(team, ctx.language, note=True))
    return team


def agent_table(ctx: Context, team: agents_.AgentStats | None) -> Headlines:
    """Show the agents' table and chart, write :data:`AGENT_STATS`; return the agent headlines.

    Examples
    --------
    >>> nb.glue_headlines(agent_table(ctx, team))  # doctest: +SKIP
    """
    if team is not None:
        nb.show(nb.table(agents_.display_agents(team, ctx.language), max_rows=60))
        lang = ctx.language
        agents_.plot_agents(team.table, lang, takeaway=agents_.agents_takeaway(team.table, lang))
        write_artifact(team.table, ctx.artifacts, AGENT_STATS)
    return agents_.agent_headlines(team)


def response_time(ctx: Context, data: NpsInputs, service: Service) -> pd.DataFrame:
    """Show NPS and CSAT by first-response time; return the answers linked to their tickets.

    Examples
    --------
    >>> linked = response_time(ctx, data, service)  # doctest: +SKIP
    """
    min_n, lang = ctx.cfg.nps.min_group_n, ctx.language
    linked = nps.link_tickets(data.responses, data.tables.get("tickets"))
    nps_by_time = nps.nps_by_response_time(linked, min_n=min_n, lang=lang)
    csat_by_time = nps.csat_by_response_time(service.tickets, min_n=min_n, lang=lang)
    nps.plot_response_time(
        nps_by_time,
        csat_by_time,
        lang=lang,
        takeaway=nps.response_time_takeaway(nps_by_time, csat_by_time, lang),
    )
    return linked


def response_time_tests(
    ctx: Context, linked: pd.DataFrame, service: Service, *, fast_hours: float = 2.0
) -> str:
    """Does a fast answer raise NPS? The tests, in words.

    Examples
    --------
    >>> nb.md(response_time_tests(ctx, linked, service, fast_hours=2.0))  # doctest: +SKIP
    """
    tests = nps.response_time_tests(
        linked,
        service.tickets,
        fast_hours=fast_hours,
        slow_hours=ctx.cfg.nps.slow_response_hours,
    )
    return nps.response_time_text(tests, lang=ctx.language)


def drivers(ctx: Context, data: NpsInputs) -> nps.DriverResult | None:
    """What drives detraction: the logistic regression, in words and as odds ratios.

    Examples
    --------
    >>> drivers(ctx, data)  # doctest: +SKIP
    """
    lang = ctx.language
    if nps.no_answers_note(data, "drivers of detraction", lang):
        return None
    result = nps.detractor_drivers(
        data.responses, slow_hours=ctx.cfg.nps.slow_response_hours, lang=lang
    )
    nb.md(nps.drivers_text(result, lang=lang))
    nps.plot_odds_ratios(result.table, lang=lang, takeaway=nps.odds_takeaway(result.table, lang))
    return result


def themes(ctx: Context, data: NpsInputs) -> pd.DataFrame | None:
    """The comment themes by NPS group, in words and as a chart.

    Examples
    --------
    >>> themes(ctx, data)  # doctest: +SKIP
    """
    lang = ctx.language
    if nps.no_answers_note(data, "comment themes", lang, column="comment"):
        return None
    found = text_mining.themes_by_group(data.responses)
    nb.md(nps.themes_text(found, lang=lang))
    nps.plot_themes(found, lang=lang, takeaway=nps.themes_takeaway(found, lang))
    return found


def keywords(ctx: Context, data: NpsInputs, top_n: int = 6) -> pd.DataFrame | None:
    """Show the keywords of the comments by NPS group.

    Examples
    --------
    >>> keywords(ctx, data)  # doctest: +SKIP
    """
    if nps.no_answers_note(data, "keywords", ctx.language, column="comment"):
        return None
    words = text_mining.keywords_by_group(data.responses, top_n=top_n)
    nb.show(nb.table(words.drop(columns=["weight"]), max_rows=40, percent=("share",)))
    return words


def quotes(ctx: Context, data: NpsInputs, *, per_group: int = 3) -> pd.DataFrame | None:
    """Show representative quotes per NPS group (redacted) and how they were chosen.

    Examples
    --------
    >>> quotes(ctx, data, per_group=3)  # doctest: +SKIP
    """
    lang = ctx.language
    if nps.no_answers_note(data, "quotes", lang, column="comment"):
        return None
    chosen = text_mining.representative_quotes(data.responses, per_group=per_group)
    nb.show(nb.table(text_mining.quotes_table(chosen), max_rows=40))
    nb.md(text_mining.quotes_note(chosen, lang=lang))
    return chosen


def sentiment_by_aspect(ctx: Context, data: NpsInputs) -> pd.DataFrame | None:
    """Sentiment by aspect and region, its findings and map; return the aspects' changes.

    None (and nothing shown) when the answers carry no comments.

    Examples
    --------
    >>> aspect_moves = sentiment_by_aspect(ctx, data)  # doctest: +SKIP
    """
    if "comment" not in data.tables.get("surveys", ()):
        return None
    lang = ctx.language
    clauses = sentiment.clause_table(
        data.tables["surveys"],
        segments=data.tables["customers"].set_index("customer_id").get("region")
        if "customers" in data.tables
        else None,
        period=ctx.period,
        max_per_period=sentiment.MAX_COMMENTS_PER_PERIOD,
        seed=ctx.cfg.seed,
    )
    sentiment_map = sentiment.aspect_segment_table(
        clauses, ctx.period, min_mentions=ctx.cfg.nps.min_group_n
    )
    aspect_moves = sentiment.aspect_changes(clauses, ctx.period)
    nb.md(sentiment.sentiment_findings(sentiment_map, aspect_moves, lang, clauses))
    wide = sentiment.sentiment_map(sentiment_map, lang)
    if not nb.note(sentiment.sparse_map_note(wide, lang)):
        sentiment.plot_sentiment_map(
            wide, lang, takeaway=sentiment.sentiment_takeaway(sentiment_map, lang)
        )
    return aspect_moves


def aspect_moves_table(aspect_moves: pd.DataFrame | None) -> None:
    """Show the aspects' change in negative share since the previous period (when measured).

    Examples
    --------
    >>> aspect_moves_table(aspect_moves)  # doctest: +SKIP
    """
    if aspect_moves is not None:
        nb.show(
            nb.table(
                aspect_moves,
                percent=("share_negative", "share_negative_prev", "change", "ci_low", "ci_high"),
                decimals={"p_holm": 3},
            )
        )


def closed_loop(ctx: Context, data: NpsInputs) -> pd.DataFrame | None:
    """Was every detractor contacted in time, and did they buy again? Show and return the table.

    Examples
    --------
    >>> loop = closed_loop(ctx, data)  # doctest: +SKIP
    """
    if nps.no_answers_note(data, "closed loop", ctx.language):
        return None
    within_days = ctx.cfg.nps.contact_within_days
    loop = nps.closed_loop(
        data.responses,
        ctx.period,
        touches=data.tables.get("touches"),
        tickets=data.tables.get("tickets"),
        orders=data.tables.get("orders"),
        within_days=within_days,
    )
    nb.md(nps.closed_loop_text(loop, within_days=within_days, lang=ctx.language))
    nb.show(nb.table(loop, percent=("rate", "ci_low", "ci_high"), decimals={"p_value": 3}))
    return loop


def headlines(
    now: NpsNow, gap: pd.DataFrame, service: Service, loop: pd.DataFrame | None
) -> Headlines:
    """The chapter's glued numbers (:func:`custops.voice.nps.headlines`).

    Examples
    --------
    >>> nb.glue_headlines(headlines(now, gap, service, loop))  # doctest: +SKIP
    """
    return nps.headlines(now.summary, now.comparison, gap, service.kpis, loop)


def write_outputs(ctx: Context, now: NpsNow) -> pd.DataFrame:
    """Write :data:`NPS_SUMMARY` and :data:`NPS_COMPARISON`; return ``artifact, rows``.

    Examples
    --------
    >>> import tempfile
    >>> from types import SimpleNamespace
    >>> s = nps.nps_summary(pd.DataFrame({"nps_category": ["promoter", "passive"]}), min_n=1)
    >>> ctx = SimpleNamespace(artifacts=Path(tempfile.mkdtemp()))
    >>> now = NpsNow(s, pd.DataFrame(columns=nps.COMPARISON_COLUMNS))
    >>> write_outputs(ctx, now)["rows"].tolist()
    [1, 0]
    """
    table = now.summary.reindex(columns=nps.SUMMARY_COLUMNS)
    comparison = now.comparison.reindex(columns=nps.COMPARISON_COLUMNS)
    write_artifact(table, ctx.artifacts, NPS_SUMMARY)
    write_artifact(comparison, ctx.artifacts, NPS_COMPARISON)
    return pd.DataFrame(
        {"artifact": [NPS_SUMMARY, NPS_COMPARISON], "rows": [len(table), len(now.comparison)]}
    )
