"""NPS with confidence intervals, period tests, CSAT and service KPIs, drivers, closed loop.

Definitions used throughout:

* **NPS** = % promoters (scores 9-10) − % detractors (0-6); passives score 7-8. With
  ``p`` and ``d`` the promoter and detractor shares of ``n`` answers the variance of NPS (in
  points) is ``100² · (p + d − (p − d)²) / n``. From ``n ≥ 100`` the 95% interval is
  ``NPS ± 1.96 · SE`` (Wald). Below ``n = 100`` the adjusted-Wald interval is used: add 3
  answers (0.75 promoters, 0.75 detractors, 1.5 passives), compute the adjusted NPS and
  variance with ``n + 3``, and centre the interval on the adjusted NPS. Intervals are clipped
  to [−100, 100]. The estimate reported with an interval (``estimate`` in the tables) is the
  value it is centred on: the plain NPS from ``n ≥ 100``, the adjusted NPS below, so every
  interval contains its estimate (the plain NPS stays in ``nps``). In ``nps_summary.csv`` and
  the charts, groups with fewer answers than ``nps.min_group_n`` are counted but not shown
  as estimates, not plotted and not ranked (:func:`small_groups_text` says how many).
* **Change between periods** (or between two groups): ``z = Δ / sqrt(SE₁² + SE₂²)``,
  two-sided normal p-value. When many groups are compared, p-values get Holm's correction.
* **Rates** (first-contact resolution, reopen rate, answered in time, share of detractors
  contacted, repurchase) get Wilson 95% intervals; medians get the distribution-free
  order-statistic interval; mean CSAT gets a t interval.
* **Slow service**: a customer's median first response exceeds ``nps.slow_response_hours``
  (``slow_first_response`` in the customer view).

Everything here takes plain DataFrames (the clean tables and the customer view written by
notebook 01) and returns DataFrames; sentences for the report come from the ``*_text``
functions, their words from the text catalog (``voice.nps.*`` in
:mod:`custops.report.catalog.voice`); the ``plot_*`` functions draw the finished tables they
are given into ``ax`` (or a figure of their own) and return the Axes; their captions come from
the ``*_takeaway`` functions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period
from custops.core.results import Headline, Headlines
from custops.core.stats import holm, median_ci, strongest_ratio, wilson_ci, z_for
from custops.report import text as catalog
from custops.report.labels import column_label, group_label, value_label
from custops.report.text import join_names
from custops.voice.text_mining import redact_series

__all__ = [
    "SUMMARY_COLUMNS",
    "COMPARISON_COLUMNS",
    "NpsEstimate",
    "DriverResult",
    "NpsInputs",
    "inputs",
    "plot_nps_panels",
    "nps_category",
    "nps_value",
    "nps_estimate",
    "nps_from_scores",
    "compare_estimates",
    "wilson",
    "median_ci",
    "segment_columns",
    "survey_responses",
    "nps_table",
    "nps_summary",
    "nps_trend",
    "period_comparison",
    "group_changes",
    "nps_gap",
    "ticket_frame",
    "service_kpis",
    "service_kpi_display",
    "link_tickets",
    "nps_by_response_time",
    "csat_by_response_time",
    "response_time_tests",
    "detractor_drivers",
    "closed_loop",
    "headlines",
    "summary_text",
    "gap_text",
    "group_changes_text",
    "service_text",
    "response_time_text",
    "drivers_text",
    "closed_loop_text",
    "themes_text",
    "segments_note",
    "group_rows",
    "panel_table",
    "plot_nps_groups",
    "plot_nps_trend",
    "plot_response_time",
    "plot_odds_ratios",
    "plot_themes",
]

SUMMARY_COLUMNS = [
    "group_type",
    "group",
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "ci_low",
    "ci_high",
    "small_group",
    "estimate",
]
COMPARISON_COLUMNS = [
    "comparison",
    "period",
    "baseline_period",
    "n",
    "n_baseline",
    "nps",
    "nps_baseline",
    "change",
    "ci_low",
    "ci_high",
    "z",
    "p_value",
    "significant",
]
CATEGORIES = ("promoter", "passive", "detractor")
SMALL_N = 100
RESPONSE_BINS_HOURS = (0.0, 2.0, 8.0, 24.0, 48.0, math.inf)


# =========================================================================== core NPS maths


def nps_category(scores: pd.Series | Sequence[float]) -> pd.Series:
    """Promoter (9-10), passive (7-8) or detractor (0-6) for every 0-10 score.

    Missing or out-of-range scores give a missing category.

    Examples
    --------
    >>> nps_category([10, 8, 6, None, 11]).tolist()
    ['promoter', 'passive', 'detractor', nan, nan]
    """
    s = pd.Series(scores, dtype="float64")
    out = pd.Series(None, index=s.index, dtype=object)
    out[(s >= 9) & (s <= 10)] = "promoter"
    out[(s >= 7) & (s < 9)] = "passive"
    out[(s >= 0) & (s < 7)] = "detractor"
    return out


def nps_value(scores: pd.Series | Sequence[float]) -> float:
    """Plain NPS in points (−100..100) of 0-10 scores; NaN when there are none.

    Examples
    --------
    >>> nps_value([10, 9, 8, 3])
    25.0
    """
    cat = nps_category(scores).dropna()
    if cat.empty:
        return float("nan")
    return float(100 * ((cat == "promoter").mean() - (cat == "detractor").mean()))


@dataclass(frozen=True)
class NpsEstimate:
    """NPS of a group of answers with its standard error and confidence interval.

    Attributes
    ----------
    n, promoters, passives, detractors : int
        Counts of answers.
    nps : float
        Plain NPS in points.
    se : float
        Standard error in points (adjusted when ``method == "adjusted-wald"``).
    ci_low, ci_high : float
        Interval bounds in points, clipped to [−100, 100].
    method : str
        ``"wald"`` (n ≥ 100) or ``"adjusted-wald"`` (n < 100).
    nps_adjusted : float
        The centre of the interval: the adjusted NPS for ``"adjusted-wald"``, else ``nps``.
    """

    n: int
    promoters: int
    passives: int
    detractors: int
    nps: float
    se: float
    ci_low: float
    ci_high: float
    method: str
    nps_adjusted: float = float("nan")

    def as_dict(self) -> dict[str, Any]:
        """The fields as a plain dict."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def nps_estimate(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    conf: float = 0.95,
    small_n: int = SMALL_N,
) -> NpsEstimate:
    """NPS and its confidence interval from counts (see the module docstring for the formula).

    Parameters
    ----------
    promoters, passives, detractors : int
        Counts of answers scoring 9-10, 7-8 and 0-6.
    conf : float
        Confidence level.
    small_n : int
        Below this many answers the adjusted-Wald interval is used.

    Returns
    -------
    NpsEstimate

    Examples
    --------
    >>> e = nps_estimate(500, 300, 200)
    >>> round(e.nps, 1), round(e.se, 3), (round(e.ci_low, 1), round(e.ci_high, 1)), e.method
    (30.0, 2.47, (25.2, 34.8), 'wald')
    >>> nps_estimate(5, 3, 2).method
    'adjusted-wald'
    """
    n = int(promoters + passives + detractors)
    if n <= 0:
        nan = float("nan")
        return NpsEstimate(0, 0, 0, 0, nan, nan, nan, nan, "none")
    z = float(stats.norm.ppf(0.5 + conf / 2))
    nps = 100.0 * (promoters - detractors) / n
    if n >= small_n:
        p, d, n_eff, method = promoters / n, detractors / n, n, "wald"
    else:
        n_eff = n + 3
        p, d, method = (promoters + 0.75) / n_eff, (detractors + 0.75) / n_eff, "adjusted-wald"
    centre = 100.0 * (p - d)
    var = 100.0**2 * (p + d - (p - d) ** 2) / n_eff
    se = math.sqrt(max(var, 0.0))
    low, high = max(-100.0, centre - z * se), min(100.0, centre + z * se)
    return NpsEstimate(
        n, int(promoters), int(passives), int(detractors), nps, se, low, high, method, centre
    )


def nps_from_scores(scores: pd.Series | Sequence[float], *, conf: float = 0.95) -> NpsEstimate:
    """:func:`nps_estimate` from raw 0-10 scores (missing scores ignored).

    Examples
    --------
    >>> nps_from_scores([10, 9, 7, 2]).nps
    25.0
    """
    cat = nps_category(scores)
    counts = cat.value_counts()
    return nps_estimate(
        int(counts.get("promoter", 0)),
        int(counts.get("passive", 0)),
        int(counts.get("detractor", 0)),
        conf=conf,
    )


def compare_estimates(
    current: NpsEstimate, baseline: NpsEstimate, *, conf: float = 0.95
) -> dict[str, float]:
    """Difference ``current − baseline`` with a z-test (variances summed) and its interval.

    Returns
    -------
    dict
        ``change, se, z, p_value, ci_low, ci_high`` (NaN when either side is empty).

    Examples
    --------
    >>> c = compare_estimates(nps_estimate(400, 300, 300), nps_estimate(500, 300, 200))
    >>> round(c["change"], 1), round(c["z"], 2), c["p_value"] < 0.001
    (-20.0, -5.55, True)
    """
    change = current.nps - baseline.nps
    se = math.sqrt(current.se**2 + baseline.se**2) if current.n and baseline.n else float("nan")
    if not se or not math.isfinite(se):
        nan = float("nan")
        return {"change": change, "se": se, "z": nan, "p_value": nan, "ci_low": nan, "ci_high": nan}
    z = change / se
    zc = float(stats.norm.ppf(0.5 + conf / 2))
    return {
        "change": change,
        "se": se,
        "z": z,
        "p_value": float(2 * stats.norm.sf(abs(z))),
        "ci_low": change - zc * se,
        "ci_high": change + zc * se,
    }


def wilson(count: int, n: int, *, conf: float = 0.95) -> tuple[float, float, float]:
    """Share ``count / n`` with its Wilson interval (NaNs when ``n`` is 0).

    Examples
    --------
    >>> [round(v, 3) for v in wilson(30, 100)]
    [0.3, 0.219, 0.396]
    """
    if n <= 0:
        return (float("nan"),) * 3
    low, high = wilson_ci(count, n, z_for(conf))
    return count / n, float(low), float(high)


# =========================================================================== inputs


def segment_columns(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Notebook 02's segments reduced to ``customer_id, segment, tier``; None if absent.

    Column names accepted: ``segment``/``rfm_segment`` and ``tier``/``value_tier``.

    Examples
    --------
    >>> segment_columns(None) is None
    True
    >>> segment_columns(pd.DataFrame({"customer_id": ["a"], "rfm_segment": ["Champions"]}))
      customer_id    segment
    0           a  Champions
    """
    if frame is None:
        return None
    out = pd.DataFrame({"customer_id": frame["customer_id"]})
    for name, candidates in {
        "segment": ("segment", "rfm_segment", "segment_name"),
        "tier": ("tier", "value_tier"),
    }.items():
        for column in candidates:
            if column in frame.columns:
                out[name] = frame[column].astype(str).to_numpy()
                break
    return out if out.shape[1] > 1 else None


_FEATURE_COLUMNS = (
    "region",
    "acquisition_channel",
    "app_bound",
    "slow_first_response",
    "median_first_response_hours",
    "n_tickets",
    "n_complaints",
    "n_unresolved_complaints",
    "orders_365d",
    "revenue_365d",
    "tenure_days",
    "is_new",
    "tier",
    "segment",
)


def _month_quarter(stamps: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``dt.strftime("%Y-%m")`` and ``dt.to_period("Q").astype(str)``, formatted once per month.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2025-11-30 23:59", None, "1969-12-01 00:00"]))
    >>> m, q = _month_quarter(s)
    >>> m.tolist(), q.tolist()
    (['2025-11', nan, '1969-12'], ['2025Q4', 'NaT', '1969Q4'])
    """
    key = stamps.dt.year.to_numpy(dtype="float64") * 12 + stamps.dt.month.to_numpy(dtype="float64")
    known = np.flatnonzero(~np.isnan(key))
    codes, _ = pd.factorize(key[known])
    first = np.unique(codes, return_index=True)[1]  # a stamp of every month, by code
    reps = pd.Series(stamps.to_numpy()[known[first]], dtype=stamps.dtype)
    month = np.full(len(stamps), np.nan, dtype=object)
    quarter = np.full(len(stamps), "NaT", dtype=object)
    month[known] = reps.dt.strftime("%Y-%m").to_numpy(dtype=object)[codes]
    quarter[known] = reps.dt.to_period("Q").astype(str).to_numpy(dtype=object)[codes]
    return month, quarter


def survey_responses(
    surveys: pd.DataFrame | None,
    features: pd.DataFrame | None = None,
    segments: pd.DataFrame | None = None,
    *,
    period: Period | str | None = None,
) -> pd.DataFrame:
    """One row per survey answer with its NPS category, month, quarter and customer attributes.

    Comments are redacted (:func:`custops.voice.text_mining.redact`) here, so nothing downstream
    sees personal data.

    Parameters
    ----------
    surveys : DataFrame or None
        Clean survey table (``response_id, customer_id, responded_at, score`` and optional
        ``comment, touchpoint``). None gives an empty frame.
    features : DataFrame, optional
        The customer view (``customer_features.parquet``); its service, segment-free
        attributes are joined by ``customer_id``.
    segments : DataFrame, optional
        ``customer_id, segment, tier`` from :func:`segment_columns`; they replace columns of the
        same name in ``features``.
    period : Period or str, optional
        Keep only answers inside this period (default: all answers).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> s = pd.DataFrame({"response_id": ["r1", "r2"], "customer_id": ["a", "b"],
    ...     "responded_at": pd.to_datetime(["2025-10-02", "2025-07-01"]), "score": [9, 3],
    ...     "comment": ["call 13812345678", None]})
    >>> r = survey_responses(s, period="2025Q4")
    >>> r[["nps_category", "month", "quarter", "comment"]].to_dict("records")
    [{'nps_category': 'promoter', 'month': '2025-10', 'quarter': '2025Q4', 'comment': 'call [phone]'}]
    """
    base = ["response_id", "customer_id", "responded_at", "score", "nps_category", "month"]
    if surveys is None or surveys.empty:
        return pd.DataFrame(columns=[*base, "quarter"])
    r = surveys.copy()
    r["responded_at"] = pd.to_datetime(r["responded_at"])
    if period is not None:
        p = Period.parse(period)
        r = r[
            (r["responded_at"] >= pd.Timestamp(p.start))
            & (r["responded_at"] < pd.Timestamp(p.end_exclusive))
        ]
    r["score"] = pd.to_numeric(r["score"], errors="coerce")
    r["nps_category"] = nps_category(r["score"]).to_numpy()
    r = r.dropna(subset=["nps_category"])
    r["month"], r["quarter"] = _month_quarter(r["responded_at"])
    if "comment" in r:
        r["comment"] = redact_series(r["comment"])
    if features is not None:
        keep = ["customer_id", *[c for c in _FEATURE_COLUMNS if c in features.columns]]
        r = r.merge(features[keep], on="customer_id", how="left")
        if "slow_first_response" in r:
            r["slow_first_response"] = r["slow_first_response"].astype("boolean").fillna(False)
    if segments is not None:
        overlap = [c for c in segments.columns if c != "customer_id" and c in r.columns]
        r = r.drop(columns=overlap).merge(segments, on="customer_id", how="left")
        for column in ("segment", "tier"):
            if column in r:
                r[column] = r[column].fillna("unknown")
    return r.sort_values(["responded_at", "response_id"], kind="stable").reset_index(drop=True)


@dataclass
class NpsInputs:
    """What the NPS chapter reads from the artifacts folder.

    Attributes
    ----------
    tables : dict of DataFrame
        Clean canonical tables written by notebook 01 (those that exist).
    features : DataFrame or None
        The customer view (``customer_features.parquet``).
    segments : DataFrame or None
        ``customer_id, segment, tier`` from notebook 02, None when it has not run.
    responses_all, responses : DataFrame
        Survey answers of every period / of the report period, with customer attributes.
    """

    tables: dict[str, pd.DataFrame]
    features: pd.DataFrame | None
    segments: pd.DataFrame | None
    responses_all: pd.DataFrame
    responses: pd.DataFrame


#: the only columns of the orders the chapter reads (closed_loop: bought again?)
ORDER_COLUMNS = ("customer_id", "order_date")
#: the only columns of the touches the chapter reads (closed_loop: contacted?)
TOUCH_COLUMNS = ("customer_id", "sent_at")


def inputs(
    tables: dict[str, pd.DataFrame],
    features: pd.DataFrame | None,
    segments: pd.DataFrame | None,
    period: Period | str,
) -> NpsInputs:
    """The chapter's inputs: the clean tables, the customer view, the segments and the answers.

    The answers of the period are those of every period inside it (the same rows, order and
    values as :func:`survey_responses` with ``period``; the comments are redacted once).
    Reading the artifacts is :func:`custops.chapters.nps.load_inputs`.

    Parameters
    ----------
    tables : dict of DataFrame
        The clean tables of notebook 01 (orders and touches may hold only
        :data:`ORDER_COLUMNS` and :data:`TOUCH_COLUMNS`).
    features : DataFrame or None
        The customer view.
    segments : DataFrame or None
        :func:`segment_columns` of notebook 02's segments.
    period : Period or str

    Examples
    --------
    >>> data = inputs({}, None, None, "2025Q4")
    >>> len(data.responses_all), len(data.responses)
    (0, 0)
    """
    surveys = tables.get("surveys")
    responses_all = survey_responses(surveys, features, segments)
    p = Period.parse(period)
    inside = (
        (responses_all["responded_at"] >= pd.Timestamp(p.start))
        & (responses_all["responded_at"] < pd.Timestamp(p.end_exclusive))
        if len(responses_all)
        else pd.Series(False, index=responses_all.index)
    )
    if inside.any():
        responses = responses_all[inside].reset_index(drop=True)
    else:  # the empty frame exactly as survey_responses builds it
        responses = survey_responses(surveys, features, segments, period=period)
    return NpsInputs(
        tables=tables,
        features=features,
        segments=segments,
        responses_all=responses_all,
        responses=responses,
    )


def summary_groups(config: Any = None) -> dict[str, str]:
    """The NPS breakdowns: :data:`SUMMARY_GROUPS` plus the config's ``nps.groups`` columns.

    Examples
    --------
    >>> from custops.core.config import NpsConfig
    >>> list(summary_groups(NpsConfig(groups=["airline"])))[-2:]
    ['month', 'airline']
    """
    groups = dict(SUMMARY_GROUPS)
    for column in getattr(config, "groups", None) or []:
        groups.setdefault(column, column)
    return groups


def scale_text(cfg: Any, lang: str = "en") -> str:
    """How the export's score became the 0–10 recommend score, in one sentence ('' when unchanged).

    ``nps.scale_note`` (per language) when the config gives one; otherwise the recoding of
    ``sources.surveys.values.score`` written out.

    Examples
    --------
    >>> from custops.core.config import ReportConfig
    >>> cfg = ReportConfig.model_validate({"sources": {"surveys": {"path": "s.csv",
    ...     "values": {"score": {"1": 0, "5": 10}}}}})
    >>> scale_text(cfg)
    '> The survey scores were recoded to the 0–10 scale by the config (`sources.surveys.values.score`): 1 → 0, 5 → 10.'
    """
    note = getattr(cfg.nps, "scale_note", None)
    if note:
        return "> " + note.get(lang, note.get("en", next(iter(note.values()))))
    src = cfg.sources.get("surveys")
    mapping = src.values.get("score") if src is not None else None
    if not mapping:
        return ""
    pairs = join_names((f"{k} → {v}" for k, v in mapping.items()), lang)
    return catalog.t("voice.nps.scale_recoded", lang, pairs=pairs)


def no_answers_note(
    data: NpsInputs, section: str, lang: str = "en", *, column: str | None = None
) -> bool:
    """Without survey answers (or their ``column``), say so in one sentence and return True.

    Sections built on the answers call this first and skip when it is True; the service
    KPIs of the tickets do not depend on it. The sentence names the config key that
    provides what is missing (``sources.surveys`` or ``sources.surveys.columns.<column>``).

    Examples
    --------
    >>> empty = NpsInputs({}, None, None, pd.DataFrame(), pd.DataFrame())
    >>> no_answers_note(empty, "Drivers of detraction")  # doctest: +ELLIPSIS
    <IPython...Markdown object>
    True
    """
    from custops.report.notebook import md

    if "surveys" in data.tables and len(data.responses_all):
        if column is None or column in data.tables["surveys"].columns:
            return False
        md(catalog.t("voice.nps.no_column", lang, column=column, section=section))
        return True

    md(catalog.t("voice.nps.no_answers", lang, section=section))
    return True


# =========================================================================== NPS tables


def _rows(frame: pd.DataFrame, by: str | None, conf: float) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    if by is None:
        groups: Iterable[tuple[Any, pd.DataFrame]] = [("all", frame)]
    else:
        groups = frame.groupby(by, sort=True, dropna=True, observed=True)
    rows = []
    for name, part in groups:
        counts = part["nps_category"].value_counts()
        est = nps_estimate(
            int(counts.get("promoter", 0)),
            int(counts.get("passive", 0)),
            int(counts.get("detractor", 0)),
            conf=conf,
        )
        rows.append({"group": name, **est.as_dict()})
    return rows


def nps_table(
    responses: pd.DataFrame,
    by: str | None = None,
    *,
    group_type: str | None = None,
    min_n: int = 30,
    conf: float = 0.95,
    rank: bool = True,
) -> pd.DataFrame:
    """NPS with interval and counts per group; small groups flagged and left unranked.

    Parameters
    ----------
    responses : DataFrame
        Answers with ``nps_category`` (from :func:`survey_responses`).
    by : str, optional
        Grouping column; None gives one row ``group = "all"``.
    group_type : str, optional
        Value of the ``group_type`` column (default: ``by`` or ``"overall"``).
    min_n : int
        Groups with fewer answers get ``small_group = True`` and no rank.
    conf : float
        Confidence level.
    rank : bool
        Sort by NPS (ranked groups first, small groups after, alphabetically).

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS` plus ``se, method, rank``.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter"] * 40 + ["detractor"] * 10 + ["passive"] * 5,
    ...                   "region": ["east"] * 50 + ["west"] * 5})
    >>> nps_table(r, "region", min_n=30)[["group", "n", "nps", "small_group", "rank"]].to_dict("records")
    [{'group': 'east', 'n': 50, 'nps': 60.0, 'small_group': False, 'rank': 1}, {'group': 'west', 'n': 5, 'nps': 0.0, 'small_group': True, 'rank': None}]
    """
    rows = _rows(responses, by, conf)
    columns = [*SUMMARY_COLUMNS, "se", "method", "rank"]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows)
    out.insert(0, "group_type", group_type or by or "overall")
    out["group"] = out["group"].astype(str)
    out["estimate"] = out["nps_adjusted"]  # the value the interval is centred on
    out["small_group"] = out["n"] < min_n
    out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    big = ~out["small_group"]
    out.loc[big, "rank"] = out.loc[big, "nps"].rank(ascending=False, method="min").astype(int)
    if rank:
        out = out.sort_values(
            ["small_group", "nps", "group"], ascending=[True, False, True], kind="stable"
        )
    return out[columns].reset_index(drop=True)


#: group_type -> column of the response frame, in the order of the summary
SUMMARY_GROUPS: dict[str, str] = {
    "segment": "segment",
    "tier": "tier",
    "acquisition_channel": "acquisition_channel",
    "touchpoint": "touchpoint",
    "region": "region",
    "slow_first_response": "slow_first_response",
    "month": "month",
}


def nps_summary(
    responses: pd.DataFrame,
    *,
    min_n: int = 30,
    conf: float = 0.95,
    groups: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The period's NPS overall and by every available grouping (``nps_summary.csv``).

    Parameters
    ----------
    responses : DataFrame
        The period's answers (:func:`survey_responses` with ``period``).
    min_n : int
        Small-group threshold (``cfg.nps.min_group_n``).
    conf : float
        Confidence level.
    groups : mapping, optional
        ``group_type -> column``; defaults to :data:`SUMMARY_GROUPS` (absent columns skipped).

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS` plus ``se, method, rank``; first row ``overall / all``.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter", "detractor", "passive", "promoter"],
    ...                   "region": ["e", "e", "w", "w"]})
    >>> nps_summary(r, min_n=1)[["group_type", "group", "nps"]].to_dict("records")
    [{'group_type': 'overall', 'group': 'all', 'nps': 25.0}, {'group_type': 'region', 'group': 'w', 'nps': 50.0}, {'group_type': 'region', 'group': 'e', 'nps': 0.0}]
    """
    groups = SUMMARY_GROUPS if groups is None else groups
    parts = [nps_table(responses, None, group_type="overall", min_n=min_n, conf=conf)]
    for group_type, column in groups.items():
        if column in responses.columns and responses[column].notna().any():
            parts.append(
                nps_table(
                    responses,
                    column,
                    group_type=group_type,
                    min_n=min_n,
                    conf=conf,
                    rank=group_type != "month",
                )
            )
    parts = [p for p in parts if not p.empty]
    if not parts:
        return nps_table(responses)
    out = pd.concat(parts, ignore_index=True)
    # groups below min_n are counted, not shown as estimates (the overall row always is)
    hide = out["small_group"].astype(bool) & (out["group_type"] != "overall")
    out.loc[hide, ["nps", "estimate", "ci_low", "ci_high", "se"]] = np.nan
    return out


def small_groups_text(summary: pd.DataFrame, *, min_n: int, lang: str = "en") -> str:
    """How many groups of :func:`nps_summary` fall below ``min_n`` answers and are not shown.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter"] * 40 + ["detractor"] * 3,
    ...                   "region": ["east"] * 40 + ["west"] * 3})
    >>> small_groups_text(nps_summary(r, min_n=30), min_n=30)
    'Groups with fewer than 30 answers (`nps.min_group_n`) are counted but not shown as estimates, plotted or ranked: 1 of 2 groups (region: west).'
    """
    groups = summary[summary["group_type"] != "overall"]
    small = groups[groups["small_group"].astype(bool)]
    if small.empty:
        return ""
    colon, semicolon = catalog.t("punct.colon", lang), catalog.t("punct.semicolon", lang)
    by_type = semicolon.join(
        column_label(kind, lang)
        + colon
        + join_names((value_label(g, lang) for g in sorted(part["group"].astype(str))), lang)
        for kind, part in small.groupby("group_type", sort=False)
    )
    return catalog.t(
        "voice.nps.small_groups",
        lang,
        min_n=min_n,
        n_small=len(small),
        n_groups=len(groups),
        by_type=by_type,
    )


def nps_trend(
    responses_all: pd.DataFrame,
    period: Period | str,
    *,
    freq: str = "month",
    n_periods: int = 12,
    min_n: int = 30,
    conf: float = 0.95,
) -> pd.DataFrame:
    """NPS per month (or quarter) for the ``n_periods`` up to the end of ``period``.

    Returns
    -------
    DataFrame
        ``group`` (month or quarter label), counts, ``nps, ci_low, ci_high, small_group`` and
        ``in_period``.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter", "detractor"],
    ...     "responded_at": pd.to_datetime(["2025-11-03", "2025-12-09"]),
    ...     "month": ["2025-11", "2025-12"], "quarter": ["2025Q4", "2025Q4"]})
    >>> nps_trend(r, "2025Q4", n_periods=3, min_n=1)[["group", "n", "in_period"]].to_dict("records")
    [{'group': '2025-10', 'n': 0, 'in_period': True}, {'group': '2025-11', 'n': 1, 'in_period': True}, {'group': '2025-12', 'n': 1, 'in_period': True}]
    """
    p = Period.parse(period)
    column = "month" if freq == "month" else "quarter"
    last = (
        Period.parse(p.end.strftime("%Y-%m"))
        if freq == "month"
        else Period("quarter", p.end.year, (p.end.month - 1) // 3 + 1)
    )
    labels = [last.shift(-k).label for k in range(n_periods - 1, -1, -1)]
    inside = (
        responses_all[responses_all[column].isin(labels)] if len(responses_all) else responses_all
    )
    table = nps_table(
        inside,
        column if len(inside) else None,
        group_type=column,
        min_n=min_n,
        conf=conf,
        rank=False,
    )
    table = table[table["group"] != "all"] if len(inside) else table.iloc[0:0]
    table = table.set_index("group").reindex(labels)
    table["group_type"] = column
    for c in ("n", "promoters", "passives", "detractors"):
        table[c] = table[c].fillna(0).astype(int)
    table["small_group"] = table["n"] < min_n
    table["in_period"] = [
        Period.parse(label).start >= p.start and Period.parse(label).start < p.end_exclusive
        for label in labels
    ]
    return table.reset_index().rename(columns={"index": "group"})[
        [*SUMMARY_COLUMNS, "se", "method", "in_period"]
    ]


def _estimate(frame: pd.DataFrame, conf: float) -> NpsEstimate:
    counts = frame["nps_category"].value_counts() if len(frame) else pd.Series(dtype=int)
    return nps_estimate(
        int(counts.get("promoter", 0)),
        int(counts.get("passive", 0)),
        int(counts.get("detractor", 0)),
        conf=conf,
    )


def _in(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    if frame.empty:
        return frame
    t = frame["responded_at"]
    return frame[(t >= pd.Timestamp(period.start)) & (t < pd.Timestamp(period.end_exclusive))]


def period_comparison(
    responses_all: pd.DataFrame,
    period: Period | str,
    *,
    conf: float = 0.95,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The period's NPS against the previous period and the same period last year.

    A baseline without answers is left out (the data do not reach back that far).

    Returns
    -------
    DataFrame
        :data:`COMPARISON_COLUMNS`; ``comparison`` is ``previous`` or ``last_year``.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter"] * 60 + ["detractor"] * 40 + ["promoter"] * 80 + ["detractor"] * 20,
    ...     "responded_at": pd.to_datetime(["2025-11-01"] * 100 + ["2025-08-01"] * 100)})
    >>> c = period_comparison(r, "2025Q4")
    >>> c[["comparison", "baseline_period", "nps", "nps_baseline", "change", "significant"]].to_dict("records")
    [{'comparison': 'previous', 'baseline_period': '2025Q3', 'nps': 20.0, 'nps_baseline': 60.0, 'change': -40.0, 'significant': True}]
    """
    p = Period.parse(period)
    current = _estimate(_in(responses_all, p), conf)
    rows = []
    for name, base in (("previous", p.previous()), ("last_year", p.same_period_last_year())):
        baseline = _estimate(_in(responses_all, base), conf)
        if baseline.n == 0 or current.n == 0:
            continue
        test = compare_estimates(current, baseline, conf=conf)
        rows.append(
            {
                "comparison": name,
                "period": p.label,
                "baseline_period": base.label,
                "n": current.n,
                "n_baseline": baseline.n,
                "nps": current.nps,
                "nps_baseline": baseline.nps,
                "change": test["change"],
                "ci_low": test["ci_low"],
                "ci_high": test["ci_high"],
                "z": test["z"],
                "p_value": test["p_value"],
                "significant": bool(test["p_value"] < alpha),
            }
        )
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def group_changes(
    responses_all: pd.DataFrame,
    period: Period | str,
    *,
    by: Sequence[str] = ("touchpoint", "region", "acquisition_channel", "tier"),
    baseline: str = "previous",
    min_n: int = 30,
    conf: float = 0.95,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Change of NPS per group against a baseline period, Holm-corrected over all groups.

    Groups with fewer than ``min_n`` answers in either period are shown but not tested
    (``small_group``) and do not count in the correction.

    Parameters
    ----------
    responses_all : DataFrame
        Answers of all periods (:func:`survey_responses` without ``period``).
    period : Period or str
    by : sequence of str
        Grouping columns (absent ones skipped).
    baseline : {"previous", "last_year"}
    min_n, conf, alpha
        Small-group threshold, confidence level, family-wise error rate.

    Returns
    -------
    DataFrame
        ``group_type, group, n, nps, n_baseline, nps_baseline, change, ci_low, ci_high,
        p_value, p_holm, significant, small_group``.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter", "detractor", "promoter", "promoter"] * 50,
    ...     "responded_at": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-08-01", "2025-08-01"] * 50),
    ...     "region": "east"})
    >>> group_changes(r, "2025Q4", by=["region"])[["group", "change", "significant"]].to_dict("records")
    [{'group': 'east', 'change': -100.0, 'significant': True}]
    """

    p = Period.parse(period)
    base = p.previous() if baseline == "previous" else p.same_period_last_year()
    now, then = _in(responses_all, p), _in(responses_all, base)
    rows = []
    for column in by:
        if column not in responses_all.columns:
            continue
        levels = sorted(
            set(now[column].dropna().astype(str)) | set(then[column].dropna().astype(str))
        )
        for level in levels:
            a = _estimate(now[now[column].astype(str) == level], conf)
            b = _estimate(then[then[column].astype(str) == level], conf)
            test = compare_estimates(a, b, conf=conf)
            rows.append(
                {
                    "group_type": column,
                    "group": level,
                    "n": a.n,
                    "nps": a.nps,
                    "n_baseline": b.n,
                    "nps_baseline": b.nps,
                    "change": test["change"],
                    "ci_low": test["ci_low"],
                    "ci_high": test["ci_high"],
                    "p_value": test["p_value"],
                    "small_group": bool(a.n < min_n or b.n < min_n),
                }
            )
    columns = [
        "group_type",
        "group",
        "n",
        "nps",
        "n_baseline",
        "nps_baseline",
        "change",
        "ci_low",
        "ci_high",
        "p_value",
        "p_holm",
        "significant",
        "small_group",
    ]
    out = pd.DataFrame(rows, columns=[c for c in columns if c not in ("p_holm", "significant")])
    out["p_holm"] = np.nan
    tested = ~out["small_group"] & out["p_value"].notna()
    if tested.any():
        out.loc[tested, "p_holm"] = holm(out.loc[tested, "p_value"].to_numpy())
    out["significant"] = (out["p_holm"] < alpha).fillna(False).astype(bool)
    return out[columns]


def nps_gap(
    responses: pd.DataFrame,
    flag: str = "slow_first_response",
    *,
    conf: float = 0.95,
) -> pd.DataFrame:
    """NPS of answers with ``flag`` true minus NPS of the others, with interval and z-test.

    Returns
    -------
    DataFrame
        One row: ``flag, n_yes, nps_yes, n_no, nps_no, gap, ci_low, ci_high, z, p_value``
        (empty when the column is missing).

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["detractor"] * 50 + ["promoter"] * 50,
    ...                   "slow": [True] * 50 + [False] * 50})
    >>> nps_gap(r, "slow")[["nps_yes", "nps_no", "gap"]].to_dict("records")
    [{'nps_yes': -100.0, 'nps_no': 100.0, 'gap': -200.0}]
    """
    columns = [
        "flag",
        "n_yes",
        "nps_yes",
        "n_no",
        "nps_no",
        "gap",
        "ci_low",
        "ci_high",
        "z",
        "p_value",
    ]
    if flag not in responses.columns or responses.empty:
        return pd.DataFrame(columns=columns)
    mask = responses[flag].astype("boolean").fillna(False).astype(bool)
    yes, no = _estimate(responses[mask], conf), _estimate(responses[~mask], conf)
    test = compare_estimates(yes, no, conf=conf)
    return pd.DataFrame(
        [
            {
                "flag": flag,
                "n_yes": yes.n,
                "nps_yes": yes.nps,
                "n_no": no.n,
                "nps_no": no.nps,
                "gap": test["change"],
                "ci_low": test["ci_low"],
                "ci_high": test["ci_high"],
                "z": test["z"],
                "p_value": test["p_value"],
            }
        ],
        columns=columns,
    )


# =========================================================================== service KPIs


def ticket_frame(
    tickets: pd.DataFrame | None,
    period: Period | str | None = None,
    *,
    within_hours: float = 3.0,
) -> pd.DataFrame:
    """Tickets created in ``period`` with their service measures.

    Added columns: ``first_response_hours``, ``resolve_hours`` (created -> resolved, for tickets
    resolved by the period end), ``resolved``, ``reopened``, ``fcr`` (first-contact
    resolution: resolved and not reopened), ``answered_in_time`` (first response within
    ``within_hours``), ``satisfied`` (CSAT 4-5, missing without CSAT).

    Examples
    --------
    >>> t = pd.DataFrame({"ticket_id": ["t1"], "customer_id": ["a"],
    ...     "created_at": pd.to_datetime(["2025-10-01 09:00"]),
    ...     "first_response_at": pd.to_datetime(["2025-10-01 10:30"]),
    ...     "resolved_at": pd.to_datetime(["2025-10-02 09:00"]), "csat": [5.0], "reopened": [False]})
    >>> ticket_frame(t, "2025Q4")[["first_response_hours", "resolve_hours", "fcr", "answered_in_time"]].to_dict("records")
    [{'first_response_hours': 1.5, 'resolve_hours': 24.0, 'fcr': True, 'answered_in_time': True}]
    """
    if tickets is None or tickets.empty:
        return pd.DataFrame(
            columns=["ticket_id", "customer_id", "created_at", "channel", "first_response_hours"]
        )
    t = tickets.copy()
    end = pd.Timestamp.max
    if period is not None:
        p = Period.parse(period)
        end = pd.Timestamp(p.end_exclusive)
        t = t[(t["created_at"] >= pd.Timestamp(p.start)) & (t["created_at"] < end)].copy()
    hours = pd.Timedelta(hours=1)
    if "first_response_at" in t:
        answered = t["first_response_at"].notna() & (t["first_response_at"] < end)
        t["first_response_hours"] = ((t["first_response_at"] - t["created_at"]) / hours).where(
            answered
        )
    else:
        t["first_response_hours"] = np.nan
    if "resolved_at" in t:
        t["resolved"] = t["resolved_at"].notna() & (t["resolved_at"] < end)
        t["resolve_hours"] = ((t["resolved_at"] - t["created_at"]) / hours).where(t["resolved"])
    else:
        t["resolved"] = pd.NA
        t["resolve_hours"] = np.nan
    reopened = (
        t["reopened"].astype("boolean").fillna(False).astype(bool)
        if "reopened" in t
        else pd.Series(False, index=t.index)
    )
    t["reopened"] = reopened
    t["fcr"] = t["resolved"].astype("boolean") & ~reopened if "resolved_at" in t else pd.NA
    t["answered_in_time"] = t["first_response_hours"] <= within_hours
    if "csat" in t:
        t["satisfied"] = (t["csat"] >= 4).astype("boolean").where(t["csat"].notna(), pd.NA)
    if "channel" not in t:
        t["channel"] = "all"
    return t.reset_index(drop=True)


def _rate_cols(prefix: str, mask: pd.Series, base: pd.Series, conf: float) -> dict[str, float]:
    base = base.astype(bool)
    n = int(base.sum())
    k = int((mask.astype("boolean").fillna(False).astype(bool) & base).sum())
    rate, low, high = wilson(k, n, conf=conf)
    return {f"{prefix}_rate": rate, f"{prefix}_ci_low": low, f"{prefix}_ci_high": high}


def _kpi_row(t: pd.DataFrame, conf: float) -> dict[str, Any]:
    row: dict[str, Any] = {"n_tickets": len(t)}
    frt, frt_lo, frt_hi = median_ci(t["first_response_hours"], conf=conf)
    row.update(frt_median_hours=frt, frt_ci_low=frt_lo, frt_ci_high=frt_hi)
    answered = t["first_response_hours"].notna()
    row.update(_rate_cols("in_time", t["answered_in_time"], answered, conf))
    if "resolve_hours" in t:
        res, res_lo, res_hi = median_ci(t["resolve_hours"], conf=conf)
        row.update(resolve_median_hours=res, resolve_ci_low=res_lo, resolve_ci_high=res_hi)
        resolved = t["resolved"].astype("boolean").fillna(False).astype(bool)
        row["n_resolved"] = int(resolved.sum())
        row.update(_rate_cols("fcr", t["fcr"], pd.Series(True, index=t.index), conf))
        row.update(_rate_cols("reopen", t["reopened"], resolved, conf))
    if "csat" in t:
        c = t["csat"].dropna().astype(float)
        row["csat_n"] = len(c)
        mean = float(c.mean()) if len(c) else float("nan")
        if len(c) > 1:
            half = float(
                stats.t.ppf(0.5 + conf / 2, len(c) - 1) * c.std(ddof=1) / math.sqrt(len(c))
            )
        else:
            half = float("nan")
        row.update(csat_mean=mean, csat_ci_low=mean - half, csat_ci_high=mean + half)
        sat = t["satisfied"].dropna().astype(bool)
        rate, lo, hi = wilson(int(sat.sum()), len(sat), conf=conf)
        row.update(satisfied_rate=rate, satisfied_ci_low=lo, satisfied_ci_high=hi)
    return row


def service_kpis(
    tickets: pd.DataFrame,
    *,
    by: str = "channel",
    min_n: int = 30,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Service KPIs overall (``all``) and per ``by`` group, each with its interval.

    Parameters
    ----------
    tickets : DataFrame
        Output of :func:`ticket_frame` (the period's tickets).
    by : str
        Grouping column (ticket channel).
    min_n : int
        Groups with fewer tickets are flagged ``small_group``.
    conf : float

    Returns
    -------
    DataFrame
        ``<by>, n_tickets, frt_median_hours (+ci), in_time_rate (+ci), resolve_median_hours
        (+ci), n_resolved, fcr_rate (+ci), reopen_rate (+ci, among resolved tickets), csat_n,
        csat_mean (+ci), satisfied_rate (+ci), small_group``.

    Examples
    --------
    >>> t = ticket_frame(pd.DataFrame({"ticket_id": list("abcdefgh"), "customer_id": list("abcdefgh"),
    ...     "created_at": pd.to_datetime(["2025-10-01"] * 8), "channel": ["chat"] * 8,
    ...     "first_response_at": pd.to_datetime(["2025-10-01"] * 8) + pd.to_timedelta(range(1, 9), unit="h")}))
    >>> k = service_kpis(t, min_n=5)
    >>> k[["channel", "n_tickets", "frt_median_hours", "in_time_rate"]].to_dict("records")[0]
    {'channel': 'all', 'n_tickets': 8, 'frt_median_hours': 4.5, 'in_time_rate': 0.375}
    """
    if tickets is None or tickets.empty:
        return pd.DataFrame(columns=[by, "n_tickets", "small_group"])
    rows = [{by: "all", **_kpi_row(tickets, conf)}]
    for name, part in tickets.groupby(by, sort=True, dropna=True):
        rows.append({by: str(name), **_kpi_row(part, conf)})
    out = pd.DataFrame(rows)
    out["small_group"] = out["n_tickets"] < min_n
    return out


def _fmt_ci(value: float, low: float, high: float, kind: str) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if kind == "pct":
        main = f"{value:.1%}"
        bounds = f" ({low:.0%}–{high:.0%})" if np.isfinite(low) else ""
    elif kind == "nps":
        main = f"{value:+.1f}"
        bounds = f" ({low:+.0f} to {high:+.0f})" if np.isfinite(low) else ""
    else:
        main = f"{value:.1f}"
        bounds = f" ({low:.1f}–{high:.1f})" if np.isfinite(low) else ""
    return main + bounds


def service_kpi_display(
    kpis: pd.DataFrame, *, lang: str = "en", within_hours: float = 3.0, by: str = "channel"
) -> pd.DataFrame:
    """The KPI table for people: each value followed by its 95% interval.

    Examples
    --------
    >>> k = pd.DataFrame({"channel": ["all"], "n_tickets": [10], "frt_median_hours": [2.0],
    ...     "frt_ci_low": [1.0], "frt_ci_high": [3.0], "small_group": [False]})
    >>> service_kpi_display(k).iloc[0].astype(str).tolist()
    ['all', '10', '2.0 (1.0–3.0)', 'False']
    """

    def lab(key: str) -> str:
        return catalog.t(f"voice.nps.kpi.{key}", lang, h=within_hours)

    out = pd.DataFrame({lab("channel"): kpis[by], lab("n_tickets"): kpis["n_tickets"]})
    spec = [
        ("frt", "frt_median_hours", "frt_ci_low", "frt_ci_high", "num"),
        ("in_time", "in_time_rate", "in_time_ci_low", "in_time_ci_high", "pct"),
        ("resolve", "resolve_median_hours", "resolve_ci_low", "resolve_ci_high", "num"),
        ("fcr", "fcr_rate", "fcr_ci_low", "fcr_ci_high", "pct"),
        ("reopen", "reopen_rate", "reopen_ci_low", "reopen_ci_high", "pct"),
        ("csat", "csat_mean", "csat_ci_low", "csat_ci_high", "num"),
        ("satisfied", "satisfied_rate", "satisfied_ci_low", "satisfied_ci_high", "pct"),
    ]
    for key, v, lo, hi, kind in spec:
        if v in kpis:
            out[lab(key)] = [
                _fmt_ci(a, b, c, kind) for a, b, c in zip(kpis[v], kpis[lo], kpis[hi], strict=True)
            ]
    out[lab("small")] = kpis["small_group"].to_numpy()
    return out


# =========================================================================== response time


def link_tickets(
    responses: pd.DataFrame,
    tickets: pd.DataFrame | None,
    *,
    lookback_days: int = 365,
) -> pd.DataFrame:
    """Add the customer's service experience *before* each answer.

    For every answer, the customer's tickets created in the ``lookback_days`` before it are
    found: ``prior_tickets`` (count) and ``prior_frt_median_hours`` (median first response).

    Examples
    --------
    >>> r = pd.DataFrame({"response_id": ["r"], "customer_id": ["a"],
    ...                   "responded_at": pd.to_datetime(["2025-10-10"])})
    >>> t = pd.DataFrame({"customer_id": ["a", "a"], "created_at": pd.to_datetime(["2025-10-01", "2025-10-20"]),
    ...                   "first_response_at": pd.to_datetime(["2025-10-01 03:00", "2025-10-20 01:00"])})
    >>> link_tickets(r, t)[["prior_tickets", "prior_frt_median_hours"]].to_dict("records")
    [{'prior_tickets': 1, 'prior_frt_median_hours': 3.0}]
    """
    out = responses.copy()
    if tickets is None or tickets.empty or out.empty or "first_response_at" not in tickets:
        out["prior_tickets"] = 0
        out["prior_frt_median_hours"] = np.nan
        return out
    t = tickets[["customer_id", "created_at", "first_response_at"]].copy()
    t["frt"] = (t["first_response_at"] - t["created_at"]) / pd.Timedelta(hours=1)
    pairs = out[["response_id", "customer_id", "responded_at"]].merge(t, on="customer_id")
    window = (pairs["created_at"] < pairs["responded_at"]) & (
        pairs["created_at"] >= pairs["responded_at"] - pd.Timedelta(days=lookback_days)
    )
    pairs = pairs[window]
    agg = pairs.groupby("response_id").agg(
        prior_tickets=("created_at", "size"), prior_frt_median_hours=("frt", "median")
    )
    out = out.merge(agg, left_on="response_id", right_index=True, how="left")
    out["prior_tickets"] = out["prior_tickets"].fillna(0).astype(int)
    return out


def _bin_labels(bins: Sequence[float], lang: str) -> list[str]:
    labels = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        if lo == 0:
            value = f"≤{hi:g}"
        elif math.isinf(hi):
            value = f">{lo:g}"
        else:
            value = f"{lo:g}–{hi:g}"
        labels.append(catalog.t("unit.hours", lang, value=value))
    return labels


def _binned(hours: pd.Series, bins: Sequence[float], lang: str) -> pd.Series:
    labels = _bin_labels(bins, lang)
    cut = pd.cut(hours, list(bins), labels=labels, right=True, include_lowest=True)
    return cut.astype(object)


def nps_by_response_time(
    linked: pd.DataFrame,
    *,
    bins: Sequence[float] = RESPONSE_BINS_HOURS,
    min_n: int = 30,
    conf: float = 0.95,
    lang: str = "en",
) -> pd.DataFrame:
    """NPS by the customer's median first response before answering (binned), with intervals.

    Answers without a prior ticket form their own row (``no ticket`` / ``无工单``).

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter", "detractor", "passive"],
    ...                   "prior_frt_median_hours": [1.0, 50.0, np.nan]})
    >>> nps_by_response_time(r, min_n=1)[["group", "nps"]].to_dict("records")
    [{'group': '≤2 h', 'nps': 100.0}, {'group': '>48 h', 'nps': -100.0}, {'group': 'no ticket', 'nps': 0.0}]
    """
    if linked.empty:
        return nps_table(linked)
    frame = linked.copy()
    none = catalog.t("voice.nps.no_ticket", lang)
    frame["response_bin"] = _binned(frame["prior_frt_median_hours"], bins, lang).fillna(none)
    order = [*_bin_labels(bins, lang), none]
    table = nps_table(
        frame, "response_bin", group_type="first_response", min_n=min_n, conf=conf, rank=False
    )
    table["order"] = table["group"].map({k: i for i, k in enumerate(order)})
    table = table.sort_values("order").drop(columns="order").reset_index(drop=True)
    return table


def csat_by_response_time(
    tickets: pd.DataFrame,
    *,
    bins: Sequence[float] = RESPONSE_BINS_HOURS,
    min_n: int = 30,
    conf: float = 0.95,
    lang: str = "en",
) -> pd.DataFrame:
    """Mean CSAT and share satisfied (4-5) of tickets by first-response time, with intervals.

    Examples
    --------
    >>> t = pd.DataFrame({"first_response_hours": [1, 1, 30, 30], "csat": [5, 4, 2, 1.0]})
    >>> csat_by_response_time(t, min_n=1)[["group", "csat_n", "csat_mean", "satisfied_rate"]].to_dict("records")
    [{'group': '≤2 h', 'csat_n': 2, 'csat_mean': 4.5, 'satisfied_rate': 1.0}, {'group': '24–48 h', 'csat_n': 2, 'csat_mean': 1.5, 'satisfied_rate': 0.0}]
    """
    columns = [
        "group",
        "csat_n",
        "csat_mean",
        "csat_ci_low",
        "csat_ci_high",
        "satisfied_rate",
        "satisfied_ci_low",
        "satisfied_ci_high",
        "small_group",
    ]
    if tickets is None or tickets.empty or "csat" not in tickets:
        return pd.DataFrame(columns=columns)
    t = tickets.dropna(subset=["csat", "first_response_hours"]).copy()
    t["group"] = _binned(t["first_response_hours"], bins, lang)
    rows = []
    for label in _bin_labels(bins, lang):
        c = t.loc[t["group"] == label, "csat"].astype(float)
        if c.empty:
            continue
        mean = float(c.mean())
        half = (
            float(stats.t.ppf(0.5 + conf / 2, len(c) - 1) * c.std(ddof=1) / math.sqrt(len(c)))
            if len(c) > 1
            else float("nan")
        )
        rate, lo, hi = wilson(int((c >= 4).sum()), len(c), conf=conf)
        rows.append(
            {
                "group": label,
                "csat_n": len(c),
                "csat_mean": mean,
                "csat_ci_low": mean - half,
                "csat_ci_high": mean + half,
                "satisfied_rate": rate,
                "satisfied_ci_low": lo,
                "satisfied_ci_high": hi,
                "small_group": len(c) < min_n,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _two_props(k1: int, n1: int, k2: int, n2: int, conf: float) -> dict[str, float]:
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    if min(n1, n2) == 0:
        nan = float("nan")
        return {"difference": nan, "ci_low": nan, "ci_high": nan, "p_value": nan}
    _, p = proportions_ztest([k1, k2], [n1, n2])
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", alpha=1 - conf)
    return {
        "difference": k1 / n1 - k2 / n2,
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": float(p),
    }


def response_time_tests(
    linked: pd.DataFrame,
    tickets: pd.DataFrame | None,
    *,
    fast_hours: float = 2.0,
    slow_hours: float = 24.0,
    conf: float = 0.95,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Test "answered within ``fast_hours`` -> higher NPS / CSAT" instead of assuming it.

    Four comparisons, Holm-corrected together:

    1. NPS of customers whose median first response was ≤ ``fast_hours`` vs > ``fast_hours``;
    2. the same but against ``fast_hours``–``slow_hours`` only (leaves slow service out, so
       it asks whether the fast mark itself matters);
    3. and 4. the share of tickets rated 4-5 (CSAT), ≤ ``fast_hours`` vs the other two groups.

    Returns
    -------
    DataFrame
        ``test, measure, group_a, group_b, n_a, n_b, value_a, value_b, difference, ci_low,
        ci_high, p_value, p_holm, significant``. NPS values in points, CSAT shares 0-1.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter"] * 60 + ["detractor"] * 60,
    ...                   "prior_frt_median_hours": [1.0] * 60 + [30.0] * 60})
    >>> res = response_time_tests(r, None)
    >>> res[["test", "difference", "significant"]].to_dict("records")[0]
    {'test': 'nps_fast_vs_rest', 'difference': 200.0, 'significant': True}
    """

    rows = []
    h = linked.get("prior_frt_median_hours", pd.Series(dtype=float))
    fast = linked[h <= fast_hours]
    groups = {
        "nps_fast_vs_rest": (f"≤{fast_hours:g}h", f">{fast_hours:g}h", linked[h > fast_hours]),
        "nps_fast_vs_medium": (
            f"≤{fast_hours:g}h",
            f"{fast_hours:g}-{slow_hours:g}h",
            linked[(h > fast_hours) & (h <= slow_hours)],
        ),
    }
    a = _estimate(fast, conf)
    for name, (ga, gb, other) in groups.items():
        b = _estimate(other, conf)
        test = compare_estimates(a, b, conf=conf)
        rows.append(
            {
                "test": name,
                "measure": "nps",
                "group_a": ga,
                "group_b": gb,
                "n_a": a.n,
                "n_b": b.n,
                "value_a": a.nps,
                "value_b": b.nps,
                "difference": test["change"],
                "ci_low": test["ci_low"],
                "ci_high": test["ci_high"],
                "p_value": test["p_value"],
            }
        )
    if tickets is not None and not tickets.empty and "csat" in tickets:
        t = tickets.dropna(subset=["csat", "first_response_hours"])
        fh = t["first_response_hours"]
        sat = t["csat"] >= 4
        fast_t = fh <= fast_hours
        for name, gb, mask in (
            ("csat_fast_vs_rest", f">{fast_hours:g}h", fh > fast_hours),
            (
                "csat_fast_vs_medium",
                f"{fast_hours:g}-{slow_hours:g}h",
                (fh > fast_hours) & (fh <= slow_hours),
            ),
        ):
            k1, n1 = int(sat[fast_t].sum()), int(fast_t.sum())
            k2, n2 = int(sat[mask].sum()), int(mask.sum())
            res = _two_props(k1, n1, k2, n2, conf)
            rows.append(
                {
                    "test": name,
                    "measure": "csat_4_5_share",
                    "group_a": f"≤{fast_hours:g}h",
                    "group_b": gb,
                    "n_a": n1,
                    "n_b": n2,
                    "value_a": k1 / n1 if n1 else np.nan,
                    "value_b": k2 / n2 if n2 else np.nan,
                    **res,
                }
            )
    out = pd.DataFrame(rows)
    out["p_holm"] = np.nan
    ok = out["p_value"].notna()
    if ok.any():
        out.loc[ok, "p_holm"] = holm(out.loc[ok, "p_value"].to_numpy())
    out["significant"] = (out["p_holm"] < alpha).fillna(False).astype(bool)
    return out


# =========================================================================== drivers


@dataclass
class DriverResult:
    """A fitted detractor model: odds ratios for people and the statsmodels fit for code.

    Attributes
    ----------
    table : DataFrame
        ``term, label, odds_ratio, ci_low, ci_high, p_value`` (intercept left out).
    n, n_detractors : int
        Answers used and detractors among them.
    baselines : dict
        Categorical variable -> its baseline level.
    notes : list of str
        Columns dropped (constant, collinear) and fit warnings, in words.
    model : object
        The statsmodels ``LogitResults`` (None when the model could not be fitted).
    """

    table: pd.DataFrame
    n: int
    n_detractors: int
    baselines: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    model: Any = None


#: the covariates of :func:`detractor_drivers` with a label in the catalog (``voice.nps.driver.*``)
_DRIVER_TERMS = (
    "slow_first_response",
    "unresolved_complaint",
    "n_tickets",
    "app_bound",
    "orders_365d",
    "tenure_years",
    "is_new",
)


def detractor_drivers(
    responses: pd.DataFrame,
    *,
    categorical: Sequence[str] = ("tier", "segment"),
    slow_hours: float = 24.0,
    conf: float = 0.95,
    lang: str = "en",
) -> DriverResult:
    """Logistic regression of detractor (0-6) vs the rest on service, segment and behaviour.

    Covariates (those present): slow first response, an unresolved complaint, number of
    tickets, APP binding, orders in the last 365 days, tenure in years, new customer, and
    the first available of ``categorical`` (one-hot; the most common level is the baseline).
    Constant columns are dropped; columns that are linear combinations of others are dropped
    one by one (say so in ``notes``). Fitted with statsmodels ``Logit``; odds ratios are
    ``exp(coef)`` with profile-free Wald intervals.

    Parameters
    ----------
    responses : DataFrame
        The period's answers joined to the customer view (:func:`survey_responses`).
    categorical : sequence of str
        Candidate segment columns; the first present one is used.
    slow_hours : float
        Only for the label of the slow-response term.
    conf : float
    lang : {"en", "zh"}

    Returns
    -------
    DriverResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> slow = rng.random(2000) < 0.3
    >>> det = rng.random(2000) < np.where(slow, 0.5, 0.2)
    >>> r = pd.DataFrame({"nps_category": np.where(det, "detractor", "promoter"), "slow_first_response": slow})
    >>> res = detractor_drivers(r)
    >>> round(float(res.table.loc[0, "odds_ratio"]), 1)  # true odds ratio: 4
    4.4
    """
    from statsmodels.discrete.discrete_model import Logit

    r = responses.copy()
    y = (r["nps_category"] == "detractor").astype(float)
    x = pd.DataFrame(index=r.index)
    notes: list[str] = []
    if "slow_first_response" in r:
        x["slow_first_response"] = (
            r["slow_first_response"].astype("boolean").fillna(False).astype(float)
        )
    if "n_unresolved_complaints" in r:
        x["unresolved_complaint"] = (r["n_unresolved_complaints"].fillna(0) > 0).astype(float)
    for column in ("n_tickets", "orders_365d"):
        if column in r:
            x[column] = r[column].fillna(0).astype(float)
    if "app_bound" in r:
        x["app_bound"] = r["app_bound"].astype("boolean").fillna(False).astype(float)
    if "tenure_days" in r:
        x["tenure_years"] = r["tenure_days"].astype(float) / 365.25
    if "is_new" in r:
        x["is_new"] = r["is_new"].astype("boolean").fillna(False).astype(float)
    baselines: dict[str, str] = {}
    labels = {k: catalog.t(f"voice.nps.driver.{k}", lang, slow=slow_hours) for k in _DRIVER_TERMS}
    for column in categorical:
        if column in r and r[column].nunique(dropna=True) > 1:
            levels = r[column].astype(str)
            base = levels.value_counts().index[0]
            baselines[column] = base
            dummies = pd.get_dummies(levels, prefix=column, prefix_sep="=", dtype=float)
            dummies = dummies.drop(columns=f"{column}={base}")
            for d in dummies.columns:
                level = d.split("=", 1)[1]
                name, shown, versus = (
                    column_label(column, lang),
                    value_label(level, lang),
                    value_label(base, lang),
                )
                labels[d] = catalog.t(
                    "voice.nps.driver.level", lang, name=name, shown=shown, versus=versus
                )
            x = x.join(dummies)
            break
    keep = x.notna().all(axis=1)
    x, y = x[keep], y[keep]
    constant = [c for c in x.columns if x[c].nunique() <= 1]
    if constant:
        x = x.drop(columns=constant)
        notes.append(catalog.t("voice.nps.driver.constant", lang, names=join_names(constant, lang)))
    design = x.assign(const=1.0)
    dropped = []
    rank = np.linalg.matrix_rank(design.to_numpy())
    while rank < design.shape[1]:
        for c in reversed([c for c in design.columns if c != "const"]):
            trial = design.drop(columns=c)
            if np.linalg.matrix_rank(trial.to_numpy()) == rank:  # c adds nothing
                design = trial
                dropped.append(c)
                break
        else:  # pragma: no cover - only the constant left
            break
    if dropped:
        notes.append(catalog.t("voice.nps.driver.collinear", lang, names=join_names(dropped, lang)))
    columns = ["term", "label", "odds_ratio", "ci_low", "ci_high", "p_value"]
    n, n_det = len(y), int(y.sum())
    if n_det == 0 or n_det == n or design.shape[1] < 2:
        notes.append(catalog.t("voice.nps.driver.one_class", lang))
        return DriverResult(pd.DataFrame(columns=columns), n, n_det, baselines, notes, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit = Logit(y.to_numpy(), design).fit(disp=0, maxiter=200)
    for w in caught:  # the fit's warning in words (statsmodels names its internals)
        message = str(w.message).lower()
        if "separation" in message:
            notes.append(catalog.t("voice.nps.driver.separation", lang))
        elif "converge" in message:
            notes.append(catalog.t("voice.nps.driver.no_convergence", lang))
    ci = fit.conf_int(alpha=1 - conf)
    terms = [c for c in design.columns if c != "const"]
    table = pd.DataFrame(
        {
            "term": terms,
            "label": [labels.get(c, c) for c in terms],
            "odds_ratio": np.exp(fit.params[terms].to_numpy()),
            "ci_low": np.exp(ci.loc[terms, 0].to_numpy()),
            "ci_high": np.exp(ci.loc[terms, 1].to_numpy()),
            "p_value": fit.pvalues[terms].to_numpy(),
        },
        columns=columns,
    )
    return DriverResult(table, n, n_det, baselines, notes, fit)


# =========================================================================== closed loop


def closed_loop(
    responses: pd.DataFrame,
    period: Period | str,
    *,
    touches: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    orders: pd.DataFrame | None = None,
    within_days: int = 7,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Were detractors contacted within ``within_days``, and did they buy again?

    A detractor counts as contacted when a marketing touch was sent to them or a service
    ticket of theirs was opened in the ``within_days`` after the answer. Only answers at least
    ``within_days`` before the period end are counted (their window is complete). Bought again:
    an order after the answer, up to the period end (follow-up time differs between answers;
    contacted and not-contacted detractors are compared over the same span of the period).

    Returns
    -------
    DataFrame
        Rows ``contacted`` (share of detractors), ``bought_again_contacted``,
        ``bought_again_not_contacted`` and ``difference`` with ``n, count, rate, ci_low,
        ci_high, p_value`` (the p-value of the two-proportion test on the difference row).
        Empty when there are no detractors or no contact data.

    Examples
    --------
    >>> r = pd.DataFrame({"response_id": ["a", "b"], "customer_id": ["x", "y"],
    ...     "responded_at": pd.to_datetime(["2025-10-01", "2025-10-01"]), "nps_category": "detractor"})
    >>> touches = pd.DataFrame({"customer_id": ["x"], "sent_at": pd.to_datetime(["2025-10-03"])})
    >>> orders = pd.DataFrame({"customer_id": ["x"], "order_date": pd.to_datetime(["2025-11-01"])})
    >>> out = closed_loop(r, "2025Q4", touches=touches, orders=orders)
    >>> out.set_index("measure")["rate"].to_dict()
    {'contacted': 0.5, 'bought_again_contacted': 1.0, 'bought_again_not_contacted': 0.0, 'difference': 1.0}
    """
    columns = ["measure", "n", "count", "rate", "ci_low", "ci_high", "p_value"]
    p = Period.parse(period)
    end = pd.Timestamp(p.end_exclusive)
    if responses.empty or (touches is None and tickets is None):
        return pd.DataFrame(columns=columns)
    det = responses[
        (responses["nps_category"] == "detractor")
        & (responses["responded_at"] + pd.Timedelta(days=within_days) < end)
    ][["response_id", "customer_id", "responded_at"]]
    if det.empty:
        return pd.DataFrame(columns=columns)
    # only the detractors' events and orders (20M orders: a merge on every text id took ~10 s)
    who = pd.unique(det["customer_id"].to_numpy())
    events = []
    for frame, at in ((touches, "sent_at"), (tickets, "created_at")):
        if frame is not None and not frame.empty:
            mine = frame.loc[frame["customer_id"].isin(who), ["customer_id", at]]
            events.append(
                mine.rename(columns={at: "at"}).astype({"customer_id": det["customer_id"].dtype})
            )
    ev = pd.concat(events, ignore_index=True)
    pairs = det.merge(ev, on="customer_id")
    hit = (pairs["at"] > pairs["responded_at"]) & (
        pairs["at"] <= pairs["responded_at"] + pd.Timedelta(days=within_days)
    )
    contacted_ids = set(pairs.loc[hit, "response_id"])
    det = det.assign(contacted=det["response_id"].isin(contacted_ids))
    rows = []
    rate, lo, hi = wilson(int(det["contacted"].sum()), len(det), conf=conf)
    rows.append(("contacted", len(det), int(det["contacted"].sum()), rate, lo, hi, np.nan))
    if orders is not None and not orders.empty:
        o = orders[["customer_id", "order_date"]]
        o = o[o["customer_id"].isin(who)].astype({"customer_id": det["customer_id"].dtype})
        po = det.merge(o, on="customer_id")
        bought = po[(po["order_date"] > po["responded_at"]) & (po["order_date"] < end)]
        det["bought_again"] = det["response_id"].isin(set(bought["response_id"]))
        counts = {}
        for name, mask in (
            ("bought_again_contacted", det["contacted"]),
            ("bought_again_not_contacted", ~det["contacted"]),
        ):
            k, n = int(det.loc[mask, "bought_again"].sum()), int(mask.sum())
            rate, lo, hi = wilson(k, n, conf=conf)
            rows.append((name, n, k, rate, lo, hi, np.nan))
            counts[name] = (k, n)
        (k1, n1), (k2, n2) = counts["bought_again_contacted"], counts["bought_again_not_contacted"]
        if n1 and n2:
            res = _two_props(k1, n1, k2, n2, conf)
            rows.append(
                (
                    "difference",
                    n1 + n2,
                    k1 + k2,
                    res["difference"],
                    res["ci_low"],
                    res["ci_high"],
                    res["p_value"],
                )
            )
    return pd.DataFrame(rows, columns=columns)


# =========================================================================== headlines and text


def _num(value: Any, digits: int = 1) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return round(v, digits) if math.isfinite(v) else None


def _row(frame: pd.DataFrame, **match: Any) -> pd.Series | None:
    if frame is None or frame.empty:
        return None
    mask = pd.Series(True, index=frame.index)
    for key, value in match.items():
        if key not in frame:
            return None
        mask &= frame[key] == value
    hit = frame[mask]
    return None if hit.empty else hit.iloc[0]


def headlines(
    summary: pd.DataFrame,
    comparison: pd.DataFrame,
    gap: pd.DataFrame,
    kpis: pd.DataFrame,
    loop: pd.DataFrame | None = None,
) -> Headlines:
    """The headline numbers of the NPS chapter, typed, with their 95% intervals.

    ``nps_value`` (interval ``nps_low``/``nps_high``), ``nps_n``, ``nps_change`` (interval
    ``nps_change_low``/``nps_change_high``), ``nps_change_p``, ``nps_slow_gap``,
    ``nps_csat_mean``, ``nps_frt_median_hours`` and, when the closed loop could be measured,
    ``nps_contacted_share``. Numbers that cannot be computed (no previous period, no tickets)
    are left out.

    Examples
    --------
    >>> s = nps_summary(pd.DataFrame({"nps_category": ["promoter", "passive"]}), min_n=1)
    >>> h = headlines(s, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    >>> h["nps_value"], h["nps_n"], "nps_change" in h
    (50.0, 2, False)
    """
    overall = _row(summary, group_type="overall")
    prev = _row(comparison, comparison="previous")
    g = _row(gap)
    k = _row(kpis, channel="all") if kpis is not None and "channel" in kpis else None
    c = _row(loop, measure="contacted") if loop is not None else None
    out: list[Headline] = []

    def estimate(key: str, row: pd.Series, column: str) -> Headline:
        """An NPS figure with the 95% interval of its row."""
        return Headline(key, _num(row[column]), "score", _num(row["ci_low"]), _num(row["ci_high"]))

    if overall is not None:
        out.append(estimate("nps_value", overall, "nps"))
    out.append(Headline("nps_n", int(overall["n"]) if overall is not None else 0, "count"))
    if prev is not None:
        out += [
            estimate("nps_change", prev, "change"),
            Headline("nps_change_p", _num(prev["p_value"], 4), "probability"),
        ]
    if g is not None:
        out.append(Headline("nps_slow_gap", _num(g["gap"]), "score"))
    if k is not None and "csat_mean" in k:
        out.append(Headline("nps_csat_mean", _num(k["csat_mean"], 2), "score"))
    if k is not None:
        out.append(Headline("nps_frt_median_hours", _num(k["frt_median_hours"], 2), "hours"))
    if c is not None:
        out.append(Headline("nps_contacted_share", _num(c["rate"], 3), "share"))
    return Headlines(out)


def _pts(value: float, digits: int = 1) -> str:
    return f"{value:+.{digits}f}".replace("-", "−") if np.isfinite(value) else "–"


def _p(value: float) -> str:
    if not np.isfinite(value):
        return "p = –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def _ci(low: float, high: float, lang: str, pct: bool = False) -> str:
    inner = f"{low:.0%}–{high:.0%}" if pct else f"{_pts(low)} … {_pts(high)}"
    return catalog.t("unit.ci95", lang, inner=inner)


def summary_text(
    summary: pd.DataFrame, comparison: pd.DataFrame, period: Period | str, *, lang: str = "en"
) -> str:
    """The headline sentence: the period's NPS, its interval, and the tested change.

    Examples
    --------
    >>> s = nps_summary(pd.DataFrame({"nps_category": ["promoter"] * 3 + ["detractor"]}), min_n=1)
    >>> summary_text(s, pd.DataFrame(columns=COMPARISON_COLUMNS), "2025Q4").split(":")[0]
    'In 2025Q4 the NPS was **+50.0** (95% CI −33.6 … +90.7; n = 4 answers'
    """
    label = Period.parse(period).label
    o = _row(summary, group_type="overall")
    if o is None or not o["n"]:
        return catalog.t("voice.nps.summary.none", lang, label=label)
    n = int(o["n"])
    text = catalog.t(
        "voice.nps.summary.head",
        lang,
        label=label,
        nps=_pts(o["nps"]),
        ci=_ci(o["ci_low"], o["ci_high"], lang),
        n=n,
        prom=o["promoters"] / n,
        det=o["detractors"] / n,
    )
    for _, c in comparison.iterrows():
        key = _COMPARISON_NAMES.get(c["comparison"])
        verdict = "significant" if bool(c["significant"]) else "noise"
        text += catalog.t(
            "voice.nps.summary.change",
            lang,
            name=catalog.t(key, lang) if key else c["comparison"],
            baseline_period=c["baseline_period"],
            baseline=_pts(c["nps_baseline"]),
            n_baseline=int(c["n_baseline"]),
            change=_pts(c["change"]),
            ci=_ci(c["ci_low"], c["ci_high"], lang),
            z=_pts(c["z"], 2).lstrip("+"),
            p=_p(c["p_value"]),
            verdict=catalog.t(f"voice.nps.summary.{verdict}", lang),
        )
    if comparison.empty:
        text += catalog.t("voice.nps.summary.no_comparison", lang)
    return text


#: the periods :func:`summary_text` compares with, by their catalog key
_COMPARISON_NAMES = {
    "previous": "voice.nps.comparison.previous",
    "last_year": "voice.nps.comparison.last_year",
}


def gap_text(gap: pd.DataFrame, *, slow_hours: float = 24.0, lang: str = "en") -> str:
    """The slow-service NPS gap in one sentence.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["detractor"] * 50 + ["promoter"] * 50, "slow_first_response": [True] * 50 + [False] * 50})
    >>> gap_text(nps_gap(r)).startswith("Customers whose median first response was above 24 h")
    True
    """
    g = _row(gap)
    if g is None:
        return catalog.t("voice.nps.gap.none", lang)
    return catalog.t(
        "voice.nps.gap",
        lang,
        hours=slow_hours,
        nps_yes=_pts(g["nps_yes"]),
        n_yes=int(g["n_yes"]),
        nps_no=_pts(g["nps_no"]),
        n_no=int(g["n_no"]),
        gap=_pts(g["gap"]),
        ci=_ci(g["ci_low"], g["ci_high"], lang),
        p=_p(g["p_value"]),
    )


def group_changes_text(changes: pd.DataFrame, *, lang: str = "en") -> str:
    """Which groups changed significantly after Holm's correction.

    Examples
    --------
    >>> group_changes_text(pd.DataFrame(columns=["small_group", "significant"]))[:9]
    'No groups'
    """
    if changes.empty:
        return catalog.t("voice.nps.changes.none", lang)
    tested = changes[~changes["small_group"]]
    sig = tested[tested["significant"]]
    small = int(changes["small_group"].sum())
    text = catalog.t("voice.nps.changes.tested", lang, n=len(tested))
    text += (
        catalog.t("voice.nps.changes.small", lang, small=small)
        if small
        else catalog.t("punct.sentence_end", lang)
    )
    if sig.empty:
        text += catalog.t("voice.nps.changes.none_significant", lang)
    else:
        items = catalog.t("punct.list", lang).join(
            catalog.t(
                "voice.nps.changes.item",
                lang,
                group=group_label(r.group_type, r.group, lang),
                change=_pts(r.change),
                p=_p(r.p_holm),
            )
            for r in sig.itertuples()
        )
        text += catalog.t("voice.nps.changes.significant", lang, items=items)
    return text


def service_text(kpis: pd.DataFrame, *, within_hours: float = 3.0, lang: str = "en") -> str:
    """Overall service KPIs in one paragraph, and the slowest channel.

    Examples
    --------
    >>> service_text(pd.DataFrame())[:10]
    'No service'
    """
    a = _row(kpis, channel="all") if not kpis.empty and "channel" in kpis else None
    if a is None:
        return catalog.t("voice.nps.service.none", lang)
    ch = kpis[(kpis["channel"] != "all") & ~kpis["small_group"]].dropna(subset=["frt_median_hours"])
    slowest = ch.sort_values("frt_median_hours").iloc[-1] if len(ch) else None
    text = catalog.t(
        "voice.nps.service.head",
        lang,
        n=int(a["n_tickets"]),
        frt=a["frt_median_hours"],
        low=a["frt_ci_low"],
        high=a["frt_ci_high"],
        rate=a["in_time_rate"],
        hours=within_hours,
        ci=_ci(a["in_time_ci_low"], a["in_time_ci_high"], lang, True),
    )
    if "fcr_rate" in a:
        text += catalog.t(
            "voice.nps.service.fcr",
            lang,
            fcr=a["fcr_rate"],
            ci=_ci(a["fcr_ci_low"], a["fcr_ci_high"], lang, True),
            reopen=a["reopen_rate"],
            resolve=a["resolve_median_hours"],
        )
    if "csat_mean" in a and np.isfinite(a["csat_mean"]):
        text += catalog.t(
            "voice.nps.service.csat",
            lang,
            mean=a["csat_mean"],
            low=a["csat_ci_low"],
            high=a["csat_ci_high"],
            n=int(a["csat_n"]),
        )
    if slowest is not None:
        text += catalog.t(
            "voice.nps.service.slowest",
            lang,
            channel=slowest["channel"],
            frt=slowest["frt_median_hours"],
        )
    return text


def response_time_text(tests: pd.DataFrame, *, lang: str = "en") -> str:
    """Whether "answered fast -> higher NPS/CSAT" holds, from :func:`response_time_tests`.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter"] * 60 + ["detractor"] * 60,
    ...                   "prior_frt_median_hours": [1.0] * 60 + [30.0] * 60})
    >>> "not enough" in response_time_text(response_time_tests(r, None))
    True
    """
    t = tests.set_index("test") if not tests.empty else tests
    lines = []
    for name in (
        "nps_fast_vs_rest",
        "nps_fast_vs_medium",
        "csat_fast_vs_rest",
        "csat_fast_vs_medium",
    ):
        if name not in t.index:
            continue
        r = t.loc[name]
        if not (r["n_a"] and r["n_b"]):
            lines.append(catalog.t("voice.nps.rt.not_enough", lang, a=r["group_a"], b=r["group_b"]))
            continue
        if r["measure"] == "nps":
            va, vb = _pts(r["value_a"]), _pts(r["value_b"])
            d = catalog.t("voice.nps.rt.points", lang, value=_pts(r["difference"]))
            ci = _ci(r["ci_low"], r["ci_high"], lang)
            what = "NPS"
        else:
            va, vb = f"{r['value_a']:.0%}", f"{r['value_b']:.0%}"
            d = catalog.t("unit.pp", lang, value=f"{r['difference'] * 100:+.1f}".replace("-", "−"))
            ci = _ci(r["ci_low"], r["ci_high"], lang, True)
            what = catalog.t("voice.nps.rt.csat_share", lang)
        verdict = "significant" if bool(r["significant"]) else "not_significant"
        lines.append(
            catalog.t(
                "voice.nps.rt.line",
                lang,
                what=what,
                a=r["group_a"],
                b=r["group_b"],
                va=va,
                na=int(r["n_a"]),
                vb=vb,
                nb=int(r["n_b"]),
                d=d,
                ci=ci,
                p=_p(r["p_holm"]),
                verdict=catalog.t(f"voice.nps.rt.{verdict}", lang),
            )
        )
    if {"nps_fast_vs_rest", "nps_fast_vs_medium"} <= set(t.index):
        rest, medium = (
            bool(t.loc["nps_fast_vs_rest", "significant"]),
            bool(t.loc["nps_fast_vs_medium", "significant"]),
        )
        verdict = "slow_only" if rest and not medium else "both" if rest else "none"
        lines.append(catalog.t(f"voice.nps.rt.verdict.{verdict}", lang))
    return "\n".join(lines)


def drivers_text(result: DriverResult, *, lang: str = "en") -> str:
    """The detractor model in plain words: which factors raise or lower the odds.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> slow = rng.random(2000) < 0.3
    >>> det = rng.random(2000) < np.where(slow, 0.5, 0.2)
    >>> r = pd.DataFrame({"nps_category": np.where(det, "detractor", "promoter"), "slow_first_response": slow})
    >>> "times the odds" in drivers_text(detractor_drivers(r))
    True
    """
    t = result.table
    if t.empty:
        return " ".join(result.notes) or catalog.t("voice.nps.drivers.none", lang)
    clear = t[(t["ci_low"] > 1) | (t["ci_high"] < 1)].sort_values("odds_ratio", ascending=False)
    unclear = t[~t.index.isin(clear.index)]
    lines = [catalog.t("voice.nps.drivers.head", lang, n=result.n, n_det=result.n_detractors)]
    for r in clear.itertuples():
        lines.append(
            catalog.t(
                "voice.nps.drivers.clear",
                lang,
                label=r.label,
                ratio=r.odds_ratio,
                low=r.ci_low,
                high=r.ci_high,
                p=_p(r.p_value),
            )
        )
    if len(unclear):
        labels = catalog.t("punct.list", lang).join(unclear["label"])
        lines.append(catalog.t("voice.nps.drivers.unclear", lang, labels=labels))
    if result.baselines:
        items = catalog.t("voice.nps.drivers.baseline_sep", lang).join(
            group_label(k, v, lang) for k, v in result.baselines.items()
        )
        lines.append(catalog.t("voice.nps.drivers.baselines", lang, items=items))
    lines.append(catalog.t("voice.nps.drivers.association", lang))
    lines += [f"_{n}_" for n in result.notes]
    return "\n".join(lines)


def closed_loop_text(loop: pd.DataFrame, *, within_days: int = 7, lang: str = "en") -> str:
    """Closed-loop follow-up of detractors in words.

    Examples
    --------
    >>> closed_loop_text(pd.DataFrame())[:5]
    'No de'
    """
    c = _row(loop, measure="contacted")
    if c is None:
        return catalog.t("voice.nps.loop.none", lang)
    a, b, d = (
        _row(loop, measure=m)
        for m in ("bought_again_contacted", "bought_again_not_contacted", "difference")
    )
    text = catalog.t(
        "voice.nps.loop.contacted",
        lang,
        rate=c["rate"],
        n=int(c["n"]),
        days=within_days,
        ci=_ci(c["ci_low"], c["ci_high"], lang, True),
    )
    if a is not None and b is not None:
        text += catalog.t(
            "voice.nps.loop.bought",
            lang,
            rate_a=a["rate"],
            ci_a=_ci(a["ci_low"], a["ci_high"], lang, True),
            n_a=int(a["n"]),
            rate_b=b["rate"],
            ci_b=_ci(b["ci_low"], b["ci_high"], lang, True),
            n_b=int(b["n"]),
        )
        text += (
            catalog.t("voice.nps.loop.p", lang, p=_p(d["p_value"]))
            if d is not None
            else catalog.t("punct.sentence_end", lang)
        )
        text += catalog.t("voice.nps.loop.not_random", lang)
    return text


def _theme_name(theme: Any, lang: str) -> str:
    """A comment theme's name in ``lang`` (``voice.theme.*``); an unknown theme as it is."""
    return catalog.t_or(f"voice.theme.{theme}", lang, theme)


def themes_text(themes: pd.DataFrame, *, lang: str = "en", top: int = 3) -> str:
    """The most mentioned themes of detractors and promoters, with intervals.

    Examples
    --------
    >>> from custops.voice.text_mining import themes_by_group
    >>> f = pd.DataFrame({"comment": ["回复太慢", "too expensive"], "nps_category": "detractor"})
    >>> themes_text(themes_by_group(f)).startswith("Detractors mention")
    True
    """
    if themes.empty:
        return catalog.t("voice.nps.themes.none", lang)
    parts = []
    for group in ("detractor", "promoter"):
        g = themes[(themes["group"] == group) & (themes["n_mentions"] > 0)]
        if g.empty:
            continue
        g = g.sort_values("share", ascending=False).head(top)
        items = catalog.t("punct.list", lang).join(
            catalog.t(
                "voice.nps.themes.item",
                lang,
                theme=_theme_name(r.theme, lang),
                share=r.share,
                low=r.ci_low,
                high=r.ci_high,
            )
            for r in g.itertuples()
        )
        parts.append(
            catalog.t(
                "voice.nps.themes.group",
                lang,
                group=catalog.t(f"voice.nps.themes.{group}", lang),
                n=int(g["n_comments"].iloc[0]),
                items=items,
            )
        )
    return " ".join(parts)


def segments_note(segments: pd.DataFrame | None, *, lang: str = "en") -> str:
    """A note when ``segments.parquet`` is absent (segment and tier breakdowns skipped).

    Examples
    --------
    >>> segments_note(None)[:20]
    '> `segments.parquet`'
    """
    if segments is not None:
        cols = [c for c in ("segment", "tier") if c in segments]
        columns = catalog.t("punct.list", lang).join(
            catalog.t("voice.nps.segments.column", lang, column=c, label=column_label(c, lang))
            for c in cols
        )
        return catalog.t("voice.nps.segments.joined", lang, columns=columns)
    return catalog.t("voice.nps.segments.missing", lang)


# =========================================================================== plots (finished tables only)


def _err(low_gap: Any, high_gap: Any) -> np.ndarray:
    """Error-bar lengths, never negative (an adjusted-Wald interval may sit beside the raw NPS)."""
    return np.clip(
        np.vstack([np.atleast_1d(low_gap), np.atleast_1d(high_gap)]).astype(float), 0, None
    )


def _empty_axes(message: str, ax: Any = None) -> Any:
    """A chart that only says ``message`` (drawn into ``ax``, else into a small figure of its own)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 1.5))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center")
    return ax


def _nps_text(value: float) -> str:
    return f"{value:.1f}".replace("-", "−")


def _group_title(kind: Any, lang: str) -> str:
    """A grouping's name in ``lang`` (``voice.nps.group_title.*``); an unknown one as it is."""
    return catalog.t_or(f"voice.nps.group_title.{kind}", lang, kind)


def trend_takeaway(trend: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the monthly NPS: its first and last month with a value.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["2025-10", "2025-11", "2025-12"], "nps": [12.0, None, 20.5]})
    >>> trend_takeaway(t)
    'NPS went from 12.0 in 2025-10 to 20.5 in 2025-12.'
    """
    rows = trend.dropna(subset=["nps"])
    if rows.empty:
        return catalog.t("figure.no_data", lang)
    first, last = rows.iloc[0], rows.iloc[-1]
    return catalog.t(
        "figure.nps_trend",
        lang,
        first=_nps_text(float(first["nps"])),
        first_month=str(first["group"]),
        last=_nps_text(float(last["nps"])),
        last_month=str(last["group"]),
    )


def group_rows(summary: pd.DataFrame, group_type: str) -> pd.DataFrame:
    """The groups of one grouping that :func:`plot_nps_groups` draws: those not small.

    Examples
    --------
    >>> s = pd.DataFrame({"group_type": ["overall", "region", "region"], "group": ["all", "e", "w"],
    ...     "small_group": [False, False, True]})
    >>> group_rows(s, "region")["group"].tolist()
    ['e']
    """
    return summary[(summary["group_type"] == group_type) & ~summary["small_group"].astype(bool)]


def panel_table(summary: pd.DataFrame, group_types: Sequence[str] | None = None) -> pd.DataFrame:
    """The rows :func:`plot_nps_panels` draws: the overall row, then per grouping its groups
    that are not small.

    ``group_types`` (default: every grouping of the summary, in its order) are kept when present
    and when at least one of their groups is not small. Empty when none of ``group_types`` is in
    the summary; only the overall row when every group of them is small.

    Examples
    --------
    >>> s = pd.DataFrame({"group_type": ["overall", "region", "region", "tier"],
    ...     "group": ["all", "e", "w", "a"], "small_group": [False, False, True, True]})
    >>> panel_table(s)[["group_type", "group"]].values.tolist()
    [['overall', 'all'], ['region', 'e']]
    """
    present = set(summary["group_type"])
    kinds = [
        k
        for k in (
            group_types or [g for g in dict.fromkeys(summary["group_type"]) if g != "overall"]
        )
        if k in present
    ]
    if not kinds:
        return summary.iloc[0:0]
    shown = summary[~summary["small_group"].astype(bool) | (summary["group_type"] == "overall")]
    parts = [shown[shown["group_type"] == k] for k in ("overall", *kinds)]
    return pd.concat(parts)


def panels_takeaway(panels: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on NPS by group: the highest and the lowest group of the panels
    (:func:`panel_table`), and the overall NPS.

    Examples
    --------
    >>> s = pd.DataFrame({"group_type": ["overall", "region", "region", "region"],
    ...     "group": ["all", "east", "west", "north"], "nps": [20.0, 35.0, 5.0, 50.0],
    ...     "small_group": [False, False, False, True]})
    >>> panels_takeaway(panel_table(s, ["region"]))
    'NPS is highest for region east (35.0) and lowest for region west (5.0); overall 20.0.'
    """
    if panels.empty:
        return catalog.t("figure.no_data", lang)
    rows = panels[panels["group_type"] != "overall"].dropna(subset=["nps"])
    overall = panels[panels["group_type"] == "overall"]
    if len(rows) < 2 or overall.empty:
        return catalog.t("figure.no_data", lang)

    def name(row: Any) -> str:
        kind = _group_title(row["group_type"], lang)
        return catalog.t(
            "figure.nps_panels.group",
            lang,
            group=value_label(row["group"], lang),
            kind=catalog.t("voice.nps.panel_kind", lang, kind=kind, lower=kind.lower()),
        )

    high = rows.loc[rows["nps"].astype(float).idxmax()]
    low = rows.loc[rows["nps"].astype(float).idxmin()]
    return catalog.t(
        "figure.nps_panels",
        lang,
        high=name(high),
        high_nps=_nps_text(float(high["nps"])),
        low=name(low),
        low_nps=_nps_text(float(low["nps"])),
        overall=_nps_text(float(overall["nps"].iloc[0])),
    )


def response_time_takeaway(
    nps_bins: pd.DataFrame, csat_bins: pd.DataFrame, lang: str = "en"
) -> str:
    """One sentence on NPS (else CSAT) by first-response time: the fastest and the slowest bin.

    Examples
    --------
    >>> n = pd.DataFrame({"group": ["≤2 h", "2–8 h", ">24 h"], "nps": [30.0, 20.0, -10.0],
    ...     "small_group": [False, False, False]})
    >>> response_time_takeaway(n, pd.DataFrame())
    'NPS is 30.0 when the first response came in ≤2 h and −10.0 when it came in >24 h.'
    """
    if len(nps_bins):
        rows = nps_bins[~nps_bins["small_group"].astype(bool)].dropna(subset=["nps"])
        if len(rows) >= 2:
            first, last = rows.iloc[0], rows.iloc[-1]
            return catalog.t(
                "figure.response_time",
                lang,
                first=_nps_text(float(first["nps"])),
                first_group=str(first["group"]),
                last=_nps_text(float(last["nps"])),
                last_group=str(last["group"]),
            )
    rows = csat_bins.dropna(subset=["satisfied_rate"]) if len(csat_bins) else csat_bins
    if len(rows) >= 2:
        first, last = rows.iloc[0], rows.iloc[-1]
        return catalog.t(
            "figure.response_time.csat",
            lang,
            first=f"{float(first['satisfied_rate']):.0%}",
            first_group=str(first["group"]),
            last=f"{float(last['satisfied_rate']):.0%}",
            last_group=str(last["group"]),
        )
    return catalog.t("figure.no_data", lang)


def odds_takeaway(table: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the factor whose 95% interval excludes 1 with the odds ratio furthest from
    1 (log scale), or that no interval excludes 1.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["slow reply", "app"], "odds_ratio": [2.0, 0.9],
    ...     "ci_low": [1.5, 0.7], "ci_high": [2.7, 1.2]})
    >>> odds_takeaway(t)
    'slow reply goes with the largest change in the odds of being a detractor: odds ratio 2.00 (95% CI 1.50–2.70).'
    """
    if table.empty:
        return catalog.t("figure.no_data", lang)
    top = strongest_ratio(table, "odds_ratio", "ci_low", "ci_high")
    if top is None:
        return catalog.t("figure.odds_ratios.none", lang)
    return catalog.t(
        "figure.odds_ratios",
        lang,
        label=str(top["label"]),
        ratio=float(top["odds_ratio"]),
        low=float(top["ci_low"]),
        high=float(top["ci_high"]),
    )


def themes_takeaway(themes: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the theme the detractors (else the first group present) mention most.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["detractor", "detractor", "promoter"],
    ...     "theme": ["delivery", "price", "delivery"], "share": [0.4, 0.25, 0.1]})
    >>> themes_takeaway(t)
    'The theme detractors mention most is delivery, in 40% of their comments.'
    """
    present = [g for g in ("detractor", "passive", "promoter") if g in set(themes["group"])]
    if not present:
        return catalog.t("figure.no_data", lang)
    rows = themes[themes["group"] == present[0]].dropna(subset=["share"])
    if rows.empty:
        return catalog.t("figure.no_data", lang)
    top = rows.loc[rows["share"].astype(float).idxmax()]
    return catalog.t(
        "figure.themes",
        lang,
        group=catalog.t(f"figure.themes.{present[0]}", lang),
        theme=_theme_name(top["theme"], lang),
        share=f"{float(top['share']):.0%}",
    )


def plot_nps_groups(
    rows: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """NPS per group with its 95% interval (the estimate it is centred on): the rows of
    :func:`group_rows`.

    Examples
    --------
    >>> s = nps_summary(pd.DataFrame({"nps_category": ["promoter", "detractor"] * 20, "region": ["e", "w"] * 20}), min_n=5)
    >>> plot_nps_groups(group_rows(s, "region"), title="t").get_title()
    't'
    """
    title = title or catalog.t("voice.nps.plot.groups_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    if rows.empty:
        return set_takeaway(_empty_axes(catalog.t("voice.nps.plot.no_data", lang), ax), takeaway)
    d = rows.iloc[::-1]
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(8, 0.45 * len(d) + 1.4))
    y = np.arange(len(d))
    for i, r in enumerate(d.itertuples()):
        point = float(getattr(r, "estimate", r.nps))
        ax.errorbar(
            point,
            i,
            xerr=_err(point - r.ci_low, r.ci_high - point),
            fmt="o",
            color=PALETTE[0],
            capsize=3,
        )
    labels = [f"{g} (n={n:,})" for g, n in zip(d["group"], d["n"], strict=True)]
    ax.set_yticks(y, labels)
    ax.axvline(0, color="#444", lw=0.8)
    ax.set_xlabel(catalog.t("voice.nps.plot.groups_xlabel", lang))
    ax.set_title(title)
    if own:
        fig.tight_layout()
    return set_takeaway(ax, takeaway)


def plot_nps_trend(
    trend: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """NPS per month with its 95% band; months of the report period shaded.

    ``takeaway`` (:func:`trend_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["2025-11", "2025-12"], "nps": [10.0, 5.0], "ci_low": [0.0, -5.0],
    ...     "ci_high": [20.0, 15.0], "in_period": [True, True], "small_group": [False, True]})
    >>> plot_nps_trend(t, title="t").get_title()
    't'
    """
    title = title or catalog.t("voice.nps.plot.trend_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    if trend.empty or trend["nps"].notna().sum() == 0:
        return set_takeaway(_empty_axes(catalog.t("voice.nps.plot.no_data", lang), ax), takeaway)
    own = ax is None
    if own:
        fig, ax = plt.subplots()
    x = np.arange(len(trend))
    ax.fill_between(
        x,
        trend["ci_low"].astype(float),
        trend["ci_high"].astype(float),
        color=PALETTE[0],
        alpha=0.15,
        lw=0,
    )
    ax.plot(x, trend["nps"].astype(float), marker="o", color=PALETTE[0])
    inside = np.flatnonzero(trend["in_period"].to_numpy())
    if len(inside):
        ax.axvspan(inside[0] - 0.5, inside[-1] + 0.5, color=PALETTE[1], alpha=0.08)
    ax.set_xticks(x, trend["group"], rotation=45, ha="right")
    ax.set_ylabel("NPS")
    ax.set_title(title)
    if own:
        fig.tight_layout()
    return set_takeaway(ax, takeaway)


def plot_response_time(
    nps_bins: pd.DataFrame,
    csat_bins: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    axes: Sequence[Any] | None = None,
) -> Any:
    """NPS and the share of CSAT 4-5 by first-response time, with 95% intervals.

    Two panels: ``axes`` (two Axes), else a figure of its own; returns the two Axes.
    ``takeaway`` (:func:`response_time_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> n = pd.DataFrame({"group": ["≤2 h"], "nps": [10.0], "ci_low": [0.0], "ci_high": [20.0], "small_group": [False]})
    >>> c = pd.DataFrame({"group": ["≤2 h"], "satisfied_rate": [0.8], "satisfied_ci_low": [0.7], "satisfied_ci_high": [0.9]})
    >>> len(plot_response_time(n, c, title="t"))
    2
    """
    title = title or catalog.t("voice.nps.plot.response_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    own = axes is None
    if own:
        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    else:
        fig = axes[0].figure
    if not nps_bins.empty:
        x = np.arange(len(nps_bins))
        v = nps_bins["nps"].to_numpy(float)
        err = np.vstack(
            [v - nps_bins["ci_low"].to_numpy(float), nps_bins["ci_high"].to_numpy(float) - v]
        )
        axes[0].bar(x, v, color=PALETTE[0], alpha=0.85)
        axes[0].errorbar(x, v, yerr=np.clip(err, 0, None), fmt="none", color="#333", capsize=3)
        axes[0].set_xticks(x, nps_bins["group"], rotation=30, ha="right")
        axes[0].axhline(0, color="#444", lw=0.8)
    axes[0].set_title(catalog.t("voice.nps.plot.response_nps", lang))
    if not csat_bins.empty:
        x = np.arange(len(csat_bins))
        rate = csat_bins["satisfied_rate"].to_numpy(float)
        err = np.vstack(
            [
                rate - csat_bins["satisfied_ci_low"].to_numpy(float),
                csat_bins["satisfied_ci_high"].to_numpy(float) - rate,
            ]
        )
        axes[1].bar(x, rate, color=PALETTE[2], alpha=0.85)
        axes[1].errorbar(x, rate, yerr=np.clip(err, 0, None), fmt="none", color="#333", capsize=3)
        axes[1].set_xticks(x, csat_bins["group"], rotation=30, ha="right")
        percent_axis(axes[1])
    axes[1].set_title(catalog.t("voice.nps.plot.response_csat", lang))
    fig.suptitle(title, fontweight="bold")
    if own:
        fig.tight_layout()
    set_takeaway(axes[0], takeaway)
    return axes


def plot_odds_ratios(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Forest plot of detractor odds ratios (log scale) with 95% intervals; an interval that
    excludes 1 in colour.

    ``takeaway`` (:func:`odds_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> t = pd.DataFrame({"label": ["a"], "odds_ratio": [2.0], "ci_low": [1.5], "ci_high": [2.7]})
    >>> plot_odds_ratios(t, title="t").get_xscale()
    'log'
    """
    title = title or catalog.t("voice.nps.plot.odds_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    if table.empty:
        return set_takeaway(_empty_axes(catalog.t("voice.nps.plot.no_model", lang), ax), takeaway)
    d = table.iloc[::-1]
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(8, 0.45 * len(d) + 1.4))
    y = np.arange(len(d))
    clear = (d["ci_low"] > 1) | (d["ci_high"] < 1)
    colors = np.where(clear, PALETTE[3], "#9a9a9a")
    for i, (r, c) in enumerate(zip(d.itertuples(), colors, strict=True)):
        ax.errorbar(
            r.odds_ratio,
            i,
            xerr=_err(r.odds_ratio - r.ci_low, r.ci_high - r.odds_ratio),
            fmt="o",
            color=c,
            capsize=3,
        )
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    lo = float(np.nanmin(d["ci_low"].to_numpy(float)))
    hi = float(np.nanmax(d["ci_high"].to_numpy(float)))
    ticks = [t for t in (0.1, 0.25, 0.5, 1, 2, 4, 8, 16) if lo / 1.5 <= t <= hi * 1.5] or [1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.axvline(1, color="#444", lw=0.8)
    ax.set_yticks(y, d["label"])
    ax.set_xlabel(catalog.t("voice.nps.plot.odds_xlabel", lang))
    ax.set_title(title)
    if own:
        fig.tight_layout()
    return set_takeaway(ax, takeaway)


def plot_themes(
    themes: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    ax: Any = None,
) -> Any:
    """Share of comments per theme for promoters, passives and detractors, with 95% intervals.

    ``takeaway`` (:func:`themes_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> from custops.voice.text_mining import themes_by_group
    >>> f = pd.DataFrame({"comment": ["回复太慢", "great app"], "nps_category": ["detractor", "promoter"]})
    >>> plot_themes(themes_by_group(f), title="t").get_title()
    't'
    """
    title = title or catalog.t("voice.nps.plot.themes_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    if themes.empty:
        return set_takeaway(
            _empty_axes(catalog.t("voice.nps.plot.no_comments", lang), ax), takeaway
        )
    order = [g for g in ("promoter", "passive", "detractor") if g in set(themes["group"])]
    theme_list = list(dict.fromkeys(themes["theme"]))
    colors = {"promoter": PALETTE[2], "passive": "#9a9a9a", "detractor": PALETTE[3]}
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(9, 0.55 * len(theme_list) + 1.5))
    height = 0.8 / max(len(order), 1)
    y = np.arange(len(theme_list))
    for j, g in enumerate(order):
        d = themes[themes["group"] == g].set_index("theme").reindex(theme_list)
        pos = y + (j - (len(order) - 1) / 2) * height
        share = d["share"].to_numpy(float)
        ax.barh(pos, share, height=height, color=colors.get(g, PALETTE[0]), label=g)
        ax.errorbar(
            share,
            pos,
            xerr=_err(share - d["ci_low"].to_numpy(float), d["ci_high"].to_numpy(float) - share),
            fmt="none",
            color="#333",
            lw=0.8,
        )
    ax.set_yticks(y, [_theme_name(t, lang) for t in theme_list])
    ax.invert_yaxis()
    percent_axis(ax, "x")
    ax.set_xlabel(catalog.t("voice.nps.plot.themes_xlabel", lang))
    ax.legend(loc="lower right")
    ax.set_title(title)
    if own:
        fig.tight_layout()
    return set_takeaway(ax, takeaway)


def plot_nps_panels(
    panels: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    takeaway: str | None = None,
    axes: Sequence[Any] | None = None,
) -> Any:
    """One panel per grouping of :func:`panel_table`: NPS with 95% intervals, the overall NPS
    dashed; small groups are not in the table.

    ``axes`` (one Axes per grouping), else a figure of its own; returns the Axes.
    ``takeaway`` (:func:`panels_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> r = pd.DataFrame({"nps_category": ["promoter", "detractor"] * 20, "region": ["e", "w"] * 20,
    ...                   "touchpoint": ["app"] * 40})
    >>> len(plot_nps_panels(panel_table(nps_summary(r, min_n=5)), title="t"))
    2
    """
    title = title or catalog.t("voice.nps.plot.groups_title", lang)
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway

    kinds = [k for k in dict.fromkeys(panels["group_type"]) if k != "overall"]
    if not kinds:
        message = "voice.nps.plot.all_small" if len(panels) else "voice.nps.plot.no_data"
        ax = _empty_axes(catalog.t(message, lang), axes[0] if axes is not None else None)
        return [set_takeaway(ax, takeaway)]
    sizes = [int((panels["group_type"] == k).sum()) for k in kinds]
    own = axes is None
    if own:
        fig, grid = plt.subplots(
            len(kinds),
            1,
            figsize=(8, 0.38 * sum(sizes) + 0.9 * len(kinds) + 0.6),
            squeeze=False,
            gridspec_kw={"height_ratios": sizes},
        )
        axes = list(grid[:, 0])
    else:
        fig = axes[0].figure
    overall = _row(panels, group_type="overall")
    for ax, kind in zip(axes, kinds, strict=True):
        d = panels[panels["group_type"] == kind].iloc[::-1]
        for i, r in enumerate(d.itertuples()):
            point = float(getattr(r, "estimate", r.nps))
            ax.errorbar(
                point,
                i,
                xerr=_err(point - r.ci_low, r.ci_high - point),
                fmt="o",
                color=PALETTE[0],
                capsize=3,
            )
        ax.set_yticks(
            np.arange(len(d)),
            [f"{value_label(g, lang)} (n={n:,})" for g, n in zip(d["group"], d["n"], strict=True)],
        )
        if overall is not None:
            ax.axvline(float(overall["nps"]), color=PALETTE[1], lw=1, ls="--")
        ax.axvline(0, color="#444", lw=0.8)
        ax.set_title(_group_title(kind, lang), loc="left", fontsize=11)
        ax.set_xlim(-100, 100)
    axes[-1].set_xlabel(catalog.t("voice.nps.plot.panels_xlabel", lang))
    fig.suptitle(title, fontweight="bold")
    if own:
        fig.tight_layout()
    set_takeaway(axes[0], takeaway)
    return axes
