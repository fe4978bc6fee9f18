"""The landing page of the book: headline KPI tiles and findings that connect the chapters.

Every number comes from what the chapters produced: the glued values of the executed
notebooks (``glue``: notebook stem -> key -> the glued text) and the artifacts the review
chapter wrote (``scorecard.csv``: previous period, target, status and interval of each KPI;
``customer_features.parquet``: revenue per customer in this and the previous period). Nothing
is recomputed from the raw data. A tile or finding whose inputs are absent is left out.
"""

from __future__ import annotations

import ast
import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from custops.chapters.collection import CUSTOMER_FEATURES
from custops.chapters.review import SCORECARD
from custops.core.config import Period, ReportConfig
from custops.core.errors import ConfigError
from custops.core.results import interval_keys
from custops.report.labels import quoted_html, value_label
from custops.report.notebook import fmt_money
from custops.report.text import t

__all__ = [
    "Finding",
    "Tile",
    "archived_scorecards",
    "findings",
    "landing_markdown",
    "sparkline",
    "tiles",
]

#: (scorecard kpi, the glued value as ``stem::key`` (the reference myst-nb's glue roles use),
#: section label the tile links to)
TILE_SPECS: tuple[tuple[str, str, str], ...] = (
    ("revenue", "05_review_retrospective::review_revenue", "review-scorecard"),
    ("active_customers", "05_review_retrospective::review_active_customers", "review-scorecard"),
    ("churn_rate", "05_review_retrospective::review_churn_rate", "review-scorecard"),
    ("nps", "04_nps::nps_value", "nps-change"),
    ("first_response_hours", "04_nps::nps_frt_median_hours", "service-kpis"),
    ("value_at_risk", "03_churn_survival::churn_value_at_risk_total", "churn-priority"),
)


#: the landing page's unit for a headline kind (``custops.core.results.Kind``)
_KIND_UNITS = {
    "money": "currency",
    "share": "share",
    "count": "count",
    "hours": "hours",
    "score": "points",
}


def _glued(glue: dict[str, dict[str, str]], ref: str) -> float | None:
    """The number glued as ``stem::key``, or None."""
    stem, _, key = ref.partition("::")
    return _number(glue.get(stem, {}).get(key))


def _interval(glue: dict[str, dict[str, str]], ref: str) -> tuple[float | None, float | None]:
    """The 95% interval glued beside ``stem::key`` (``custops.core.results.interval_keys``)."""
    stem, _, key = ref.partition("::")
    low, high = interval_keys(key)
    return _glued(glue, f"{stem}::{low}"), _glued(glue, f"{stem}::{high}")


#: the KPIs with a tile, each labelled by the catalog's ``landing.kpi.<kpi>``
_TILE_KPIS = frozenset(kpi for kpi, _, _ in TILE_SPECS)

#: action statuses the catalog words (``landing.action_status.<status>``); others are shown as
#: the register writes them
_ACTION_STATUSES = ("done", "in_progress", "open", "closed")


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = ast.literal_eval(str(text).strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_value(value: float, unit: str, currency: str, lang: str = "en") -> str:
    """A KPI value as the landing page shows it, by the scorecard's unit.

    Examples
    --------
    >>> format_value(405661.76, "currency", "CNY"), format_value(0.1862, "share", "CNY")
    ('CNY 405.66k', '18.6%')
    >>> format_value(256.0, "customers", ""), format_value(14.36, "hours", "", "zh")
    ('256', '14.4 小时')
    """
    if unit == "currency":
        return fmt_money(value, currency)
    if unit == "share":
        return f"{value:.1%}"
    if unit in ("customers", "count"):
        return f"{value:,.0f}"
    if unit == "hours":
        return t("unit.hours", lang, value=f"{value:.1f}")
    return f"{value:.1f}"


def format_change(value: float, previous: float, unit: str, currency: str, lang: str) -> str:
    """The change from ``previous`` to ``value``: relative for money and counts, absolute else.

    Examples
    --------
    >>> format_change(405661.76, 430615.02, "currency", "CNY", "en")
    '▼ 5.8%'
    >>> format_change(0.186, 0.169, "share", "", "en"), format_change(-1.1, 20.2, "points", "", "en")
    ('▲ 1.7 pts', '▼ 21.3')
    """
    diff = value - previous
    arrow = "▲" if diff > 0 else ("▼" if diff < 0 else "＝")
    if unit in ("currency", "customers", "count") and previous:
        return f"{arrow} {abs(diff) / abs(previous):.1%}"
    if unit == "share":
        return f"{arrow} " + t("landing.unit.points", lang, value=f"{abs(diff) * 100:.1f}")
    if unit == "hours":
        return f"{arrow} " + t("unit.hours", lang, value=f"{abs(diff):.1f}")
    return f"{arrow} {abs(diff):.1f}"


@dataclass
class Tile:
    """One headline KPI on the landing page."""

    kpi: str
    label: str
    doc: str  # notebook stem
    glue_key: str
    value: float  # the glued value
    shown: str
    anchor: str
    change: str = ""
    previous: str = ""
    last_year: str = ""  # change vs the same period a year earlier (from the archive)
    trend: list[tuple[str, float]] = field(default_factory=list)  # archived periods, oldest first
    interval: str = ""
    target: str = ""
    status: str = ""  # green / amber / red / grey / ""


@dataclass
class Finding:
    """One generated finding: markdown text and the section it links to."""

    text: str
    doc: str
    anchor: str
    sources: list[str] = field(default_factory=list)  # "stem::glue key" quoted


def archived_scorecards(build_root: Path, period: Period) -> dict[str, pd.DataFrame]:
    """The scorecards of the periods built beside ``period`` (same kind, not after it).

    ``build_root/<P>/artifacts/scorecard.csv`` of every other period folder: the landing
    tiles take their sparkline and the same period last year from them. The current period
    is not included (its numbers are the chapters' own).

    Examples
    --------
    >>> archived_scorecards(Path("/nonexistent"), Period.parse("2025Q4"))
    {}
    """
    out: dict[str, pd.DataFrame] = {}
    for child in sorted(build_root.iterdir()) if build_root.is_dir() else []:
        card = child / "artifacts" / SCORECARD
        if child.name == period.label or not card.is_file():
            continue
        try:
            other = Period.parse(child.name)
        except ConfigError:  # not a period folder
            continue
        if other.kind == period.kind and other.end < period.end:
            out[other.label] = pd.read_csv(card)
    return out


def _archived_value(card: pd.DataFrame, kpi: str) -> float | None:
    rows = card[card["kpi"] == kpi] if "kpi" in card else card.iloc[0:0]
    return _finite(rows["value"].iloc[0]) if len(rows) else None


def sparkline(points: list[tuple[str, float]], label: str) -> str:
    """A small inline SVG line of a KPI over the archived periods (no script, works offline).

    Examples
    --------
    >>> svg = sparkline([("2025Q3", 10.0), ("2025Q4", 12.0)], "Revenue")
    >>> svg.startswith("<svg") and 'aria-label="Revenue: 2025Q3 10, 2025Q4 12"' in svg
    True
    >>> sparkline([("2025Q4", 12.0)], "Revenue")  # one point: no line
    ''
    """
    if len(points) < 2:
        return ""
    width, height, pad = 96.0, 22.0, 2.0
    values = [v for _, v in points]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(points) - 1)
    xy = [
        (pad + i * step, height - pad - (v - low) / span * (height - 2 * pad))
        for i, v in enumerate(values)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    said = ", ".join(f"{p} {v:,.4g}" for p, v in points)
    last_x, last_y = xy[-1]
    return (
        f'<svg class="custops-spark" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" role="img" aria-label="{html.escape(label)}: {html.escape(said)}">'
        f"<title>{html.escape(label)}: {html.escape(said)}</title>"
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2" fill="currentColor"/></svg>'
    )


def _scorecard(artifacts: Path) -> pd.DataFrame:
    path = artifacts / SCORECARD
    if not path.is_file():
        return pd.DataFrame(columns=["kpi"])
    return pd.read_csv(path)


def tiles(
    glue: dict[str, dict[str, str]],
    artifacts: Path,
    cfg: ReportConfig,
    period: Period,
    lang: str = "en",
    kinds: dict[str, dict[str, dict[str, Any]]] | None = None,
    archive: dict[str, pd.DataFrame] | None = None,
) -> list[Tile]:
    """The headline KPI tiles: the glued value, and from the scorecard its change, interval,
    target and status.

    Parameters
    ----------
    glue : dict
        Notebook stem -> glue key -> glued text (``custops.run.pipeline.glued_scalars``).
    artifacts : Path
        ``build/<P>/artifacts`` (``scorecard.csv`` is read when present).
    cfg : ReportConfig
    period : Period
    lang : {"en", "zh"}
    kinds : dict, optional
        Notebook stem -> glue key -> what the chapter said of the value
        (``custops.run.pipeline.glued_kinds``): a KPI without a scorecard row is formatted
        by the kind its chapter gave it.
    archive : dict, optional
        Period label -> scorecard of the earlier periods built beside this one
        (:func:`archived_scorecards`): each tile gets the trend over them and the change
        from the same period last year when that period is archived.

    Returns
    -------
    list of Tile
        In the order of ``TILE_SPECS``; a KPI whose glued value is absent is left out.

    Examples
    --------
    >>> from custops.core.config import ReportConfig
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o.csv"}}})
    >>> [t.shown for t in tiles({"04_nps": {"nps_value": "-1.1"}}, Path("/nonexistent"), cfg,
    ...     Period.parse("2025Q4"))]
    ['-1.1']
    """
    card = _scorecard(artifacts).set_index("kpi")
    out = []
    previous_label = period.previous().label
    for kpi, ref, anchor in TILE_SPECS:
        stem, _, key = ref.partition("::")
        value = _glued(glue, ref)
        if value is None:
            continue
        row = card.loc[kpi] if kpi in card.index else None
        kind = (kinds or {}).get(stem, {}).get(key, {}).get("kind")
        unit = str(row["unit"]) if row is not None else _KIND_UNITS.get(kind, "points")
        tile = Tile(
            kpi=kpi,
            label=t(f"landing.kpi.{kpi}", lang),
            doc=stem,
            glue_key=key,
            value=value,
            shown=format_value(value, unit, cfg.currency, lang),
            anchor=anchor,
        )
        if kpi == "value_at_risk":
            low, high = _interval(glue, ref)
            if low is not None and high is not None:
                tile.interval = t(
                    "landing.ci",
                    lang,
                    lo=format_value(low, unit, cfg.currency, lang),
                    hi=format_value(high, unit, cfg.currency, lang),
                )
        if row is not None:
            previous = _finite(row.get("previous"))
            if previous is not None:
                tile.change = format_change(value, previous, unit, cfg.currency, lang)
                tile.previous = t(
                    "landing.vs",
                    lang,
                    p=f"{previous_label} {format_value(previous, unit, cfg.currency, lang)}",
                )
            low, high = _finite(row.get("ci_low")), _finite(row.get("ci_high"))
            if low is not None and high is not None and unit not in ("currency",):
                tile.interval = t(
                    "landing.ci",
                    lang,
                    lo=format_value(low, unit, cfg.currency, lang),
                    hi=format_value(high, unit, cfg.currency, lang),
                )
            target = _finite(row.get("target"))
            history = [
                (label, v)
                for label, card_then in sorted(
                    (archive or {}).items(), key=lambda kv: Period.parse(kv[0]).end
                )
                if (v := _archived_value(card_then, kpi)) is not None
            ]
            tile.trend = [*history, (period.label, value)]
            year_ago = period.same_period_last_year().label
            then = dict(history).get(year_ago)
            if then is not None:
                tile.last_year = (
                    format_change(value, then, unit, cfg.currency, lang)
                    + " "
                    + t(
                        "landing.vs",
                        lang,
                        p=f"{year_ago} {format_value(then, unit, cfg.currency, lang)}",
                    )
                )
            if target is not None:
                sign = "≥ " if row.get("direction") == "higher" else "≤ "
                tile.target = t(
                    "landing.target", lang, t=sign + format_value(target, unit, cfg.currency, lang)
                )
                tile.status = str(row.get("status") or "")
        out.append(tile)
    return out


def _revenue_loss(artifacts: Path, lang: str) -> tuple[str, float, float, str] | None:
    """The attribute value (acquisition channel or region) carrying most of the revenue drop."""
    path = artifacts / CUSTOMER_FEATURES
    if not path.is_file():
        return None
    needed = ["revenue_period", "revenue_prev"]
    frame = pd.read_parquet(path)
    if any(c not in frame for c in needed):
        return None
    drop = float(frame["revenue_prev"].sum() - frame["revenue_period"].sum())
    if not drop > 0:
        return None
    best = None
    for column in ("acquisition_channel", "region"):
        if column not in frame:
            continue
        by = frame.groupby(column, observed=True)[needed].sum()
        loss = (by["revenue_prev"] - by["revenue_period"]).sort_values(ascending=False)
        if loss.empty or not loss.iloc[0] > 0:
            continue
        if best is None or loss.iloc[0] > best[1]:
            best = (column, float(loss.iloc[0]), drop, value_label(loss.index[0], lang))
    return best


def findings(
    glue: dict[str, dict[str, str]],
    artifacts: Path,
    cfg: ReportConfig,
    period: Period,
    lang: str = "en",
) -> list[Finding]:
    """Three to five findings that connect the chapters, each linked to its section.

    * service slowdown -> NPS (scorecard first response and NPS, chapter 04's slow-service
      gap and the interval of the NPS change);
    * the action of the register whose KPI moved the wrong way (review chapter);
    * which acquisition channel or region carries the revenue drop (customer view);
    * what raises churn (chapter 03's hazard ratios, when their interval excludes 1);
    * how concentrated revenue is (chapter 02).

    Examples
    --------
    >>> from custops.core.config import ReportConfig
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o.csv"}}})
    >>> glue = {"02_segmentation": {"seg_top_share": "0.7"}}
    >>> [f.anchor for f in findings(glue, Path("/nonexistent"), cfg, Period.parse("2025Q4"))]
    ['seg-concentration']
    """
    card = _scorecard(artifacts).set_index("kpi")
    prev = period.previous().label
    out: list[Finding] = []

    def kpi(name: str) -> pd.Series | None:
        return card.loc[name] if name in card.index else None

    frt, nps = kpi("first_response_hours"), kpi("nps")
    if frt is not None and nps is not None:
        f_now, f_prev = _finite(frt["value"]), _finite(frt["previous"])
        n_now, n_prev = _finite(nps["value"]), _finite(nps["previous"])
        if None not in (f_now, f_prev, n_now, n_prev) and f_now > f_prev and n_now < n_prev:
            gap = _glued(glue, "04_nps::nps_slow_gap")
            lo, hi = _interval(glue, "04_nps::nps_change")
            ci = (
                t("landing.slowdown.ci", lang, lo=lo, hi=hi)
                if lo is not None and hi is not None
                else ""
            )
            text = t(
                "landing.slowdown",
                lang,
                prev=prev,
                f_prev=f_prev,
                f_now=f_now,
                n_prev=n_prev,
                n_now=n_now,
                ci=ci,
            )
            if gap is not None and gap < 0:
                text += t("landing.slowdown.gap", lang, gap=abs(gap))
            out.append(Finding(text, "04_nps", "nps-slow-service", ["04_nps::nps_slow_gap"]))

    wrong = _wrong_way_action(cfg, card, period, lang)
    if wrong is not None:
        action, status, label, before, now = wrong
        text = t(
            "landing.wrong_action",
            lang,
            action=quoted_html(action, lang),
            status=status,
            label=label,
            before=before,
            now=now,
        )
        out.append(Finding(text, "05_review_retrospective", "review-actions"))

    loss = _revenue_loss(artifacts, lang)
    if loss is not None:
        column, lost, drop, name = loss
        share = min(lost / drop, 1.0) if drop else 0.0
        kind = t(f"landing.loss.kind.{column}", lang)
        whole = lost >= drop  # other groups grew: this one lost more than the total drop
        tail = t(
            "landing.loss.whole" if whole else "landing.loss.part",
            lang,
            kind=kind,
            lost=fmt_money(lost, cfg.currency),
            share=share,
        )
        text = t(
            "landing.loss",
            lang,
            kind=kind,
            name=name,
            money=fmt_money(drop, cfg.currency),
            prev=prev,
            tail=tail,
        )
        out.append(Finding(text, "05_review_retrospective", "review-scorecard"))

    drivers = []
    for key, driver in (
        ("03_churn_survival::churn_hr_unresolved", "unresolved"),
        ("03_churn_survival::churn_hr_slow", "slow"),
    ):
        hr, (lo, hi) = _glued(glue, key), _interval(glue, key)
        if None not in (hr, lo, hi) and lo > 1:
            drivers.append((t(f"landing.churn.driver.{driver}", lang), hr, lo, hi, key))
    if drivers:
        parts = t("punct.semicolon", lang).join(
            t("landing.churn.driver", lang, name=name, hr=hr, lo=lo, hi=hi)
            for name, hr, lo, hi, _ in drivers
        )
        # the sentence starts with the first driver (capitalised; no change to Chinese)
        text = t("landing.churn", lang, drivers=parts[0].upper() + parts[1:])
        out.append(
            Finding(
                text,
                "03_churn_survival",
                "churn-cox",
                [d[4] for d in drivers],
            )
        )

    top = _glued(glue, "02_segmentation::seg_top_share")
    if top is not None:
        text = t("landing.concentration", lang, top=top)
        out.append(Finding(text, "02_segmentation", "seg-concentration"))
    return out[:5]


def _wrong_way_action(cfg: ReportConfig, card: pd.DataFrame, period: Period, lang: str):
    """The first action of the register whose KPI moved the wrong way, done ones first."""
    if card.empty or not cfg.review.actions:
        return None
    from custops.ingest.actions import read_actions
    from custops.review.scorecard import KPIS, action_register

    try:
        register = action_register(read_actions(cfg), card.reset_index(), period)
    except Exception:  # an unreadable register is reported by the review chapter itself
        return None
    wrong = register[register["moved"] == "wrong way"]
    if wrong.empty:
        return None
    done = wrong["status"].astype(str).str.lower().isin(["done", "closed", "completed", "完成"])
    row = wrong[done].iloc[0] if done.any() else wrong.iloc[0]
    kpi_row = card.loc[row["kpi"]]
    unit = str(kpi_row.get("unit", ""))
    status = str(row["status"])
    # the KPI's name in this edition's language: the scorecard's label is in the language of
    # the run that wrote it (both editions share the artifacts)
    label = str(row.get("kpi_label") or row["kpi"])
    if row["kpi"] in KPIS:
        label = KPIS[row["kpi"]].label(lang)
    if row["kpi"] in _TILE_KPIS:
        label = t(f"landing.kpi.{row['kpi']}", lang)
    if status.lower() in _ACTION_STATUSES:
        status = t(f"landing.action_status.{status.lower()}", lang, status=status)

    def shown(v: Any) -> str:
        number = _finite(v)
        return "—" if number is None else format_value(number, unit, cfg.currency, lang)

    return (
        str(row["action"]),
        status,
        label,
        shown(kpi_row.get("previous")),
        shown(kpi_row.get("value")),
    )


def _tile_html(tile: Tile, lang: str) -> str:
    e = html.escape
    href = f"notebooks/{tile.doc}.html#{tile.anchor}"
    status = tile.status if tile.status in ("green", "amber", "red") else "none"
    badge = (
        f'<span class="custops-status custops-status-{status}">{e(t("landing.status." + tile.status, lang))}</span>'
        if tile.status in ("green", "amber", "red")
        else ""
    )
    lines = [
        f'<a class="custops-tile custops-tile-{status}" href="{e(href)}" '
        f'data-glue="{e(tile.doc)}::{e(tile.glue_key)}" data-value="{tile.value!r}">',
        f'<span class="custops-tile-label">{e(tile.label)}</span>',
        f'<span class="custops-tile-value">{e(tile.shown)}</span>',
    ]
    if tile.change:
        lines.append(
            f'<span class="custops-tile-change">{e(tile.change)} {e(tile.previous)}</span>'
        )
    if tile.last_year:
        lines.append(f'<span class="custops-tile-change">{e(tile.last_year)}</span>')
    spark = sparkline(tile.trend, tile.label)
    if spark:
        lines.append(f'<span class="custops-tile-spark">{spark}</span>')
    if tile.interval:
        lines.append(f'<span class="custops-tile-ci">{e(tile.interval)}</span>')
    if tile.target or badge:
        lines.append(f'<span class="custops-tile-target">{e(tile.target)} {badge}</span>')
    lines.append("</a>")
    return "".join(lines)


def landing_markdown(tile_list: list[Tile], finding_list: list[Finding], lang: str) -> str:
    """The tiles (raw HTML) and the findings (a numbered list with ``{ref}`` links) as MyST.

    Examples
    --------
    >>> md = landing_markdown([], [Finding("**A.** b.", "02_segmentation", "seg-concentration")], "en")
    >>> "{ref}`Details <seg-concentration>`" in md
    True
    """
    parts = []
    if tile_list:
        parts.append(
            '<div class="custops-tiles">\n'
            + "\n".join(_tile_html(tile, lang) for tile in tile_list)
            + "\n</div>"
        )
    if finding_list:
        items = [
            f"{i}. {f.text} {{ref}}`{t('landing.more', lang)} <{f.anchor}>`"
            for i, f in enumerate(finding_list, 1)
        ]
        parts.append(
            f"## {t('landing.findings', lang)}\n\n:::{{div}} custops-findings\n"
            + "\n".join(items)
            + "\n:::"
        )
    if not parts:
        parts.append(t("landing.none", lang))
    parts.append(t("landing.all", lang, link=f"[{t('landing.all.link', lang)}](all_figures.md)"))
    return "\n\n".join(parts)
