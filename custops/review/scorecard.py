"""The quarterly review (复盘): KPI scorecard vs the previous period and targets, findings drawn
from the other notebooks' artifacts, and the PDCA action register.

KPI definitions (period P; each period is computed from the data known at its own end):

=========================  ==================================================================
``active_customers``       customers with at least one order in P
``new_customers``          customers whose first order ever falls in P
``churn_rate``             share of the customers active in the previous period who placed
                           no order in P (a period-over-period definition; notebook 03 uses
                           the inactivity definition ``churn.inactivity_days`` instead)
``retention_rate``         1 - ``churn_rate``
``repurchase_rate``        share of P's buyers with two or more distinct orders in P (复购率)
``avg_order_value``        revenue / distinct orders in P
``revenue``                sum of order amounts in P
``revenue_per_customer``   revenue / active customers
``nps``                    100 x (promoters - detractors) / answers, surveys answered in P
``csat``                   mean CSAT (1-5) of tickets opened in P
``first_response_hours``   median hours to the first response, tickets opened in P and
                           answered by its end (unanswered tickets are left out)
``sla_resolved_share``     share of tickets resolved within ``nps.sla_hours``, over tickets
                           opened in P at least ``sla_hours`` before its end (so every ticket
                           had the full SLA window)
``touch_reach``            delivered / sent, touches sent in P
``touch_conversion``       converted / sent, touches sent in P
=========================  ==================================================================

Status (per KPI with a target): **green** when the target is met (``>=`` for "higher",
``<=`` for "lower"); **amber** when missed by at most ``amber_tolerance`` of the target
(relative gap ``|value - target| / |target|``, inclusive); **red** otherwise; **grey** when
there is no target or no value.

Change vs the previous period and whether it could be noise: rates use the pooled
two-proportion z-test, counts an exact conditional Poisson test (the two counts split
binomially in proportion to the period lengths), means Welch's t-test, the median a
bootstrap of the difference of medians (2,000 resamples, seeded by ``cfg.seed``), NPS a
z-test with the two variances summed (DESIGN.md). Totals (revenue) are not tested. Each
KPI is its own question, so its mark comes from its own 95% interval of the change
(``change_low``, ``change_high``: Newcombe for rates, scaled Poisson for counts, Welch for
means, bootstrap percentiles for the median, summed variances for NPS): ``significant``
("beyond noise") when the interval excludes 0, "could be noise" when it contains it. No
correction across the scorecard: unrelated KPIs are not one family, and a correction over
them would make every mark "could be noise" and say nothing about any one KPI. ``p_value``
is the KPI's own test (``p_raw``, kept for older readers).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period, Target
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import Z95, two_proportion_test, wilson_ci
from custops.features.order_heads import order_heads_of
from custops.ingest.actions import ACTION_FIELDS
from custops.report.labels import Quoted, group_label, quoted_html, value_label
from custops.report.text import join_names, paragraph, t, t_or

__all__ = [
    "KPIS",
    "KpiSpec",
    "Measure",
    "SCORECARD_COLUMNS",
    "period_measures",
    "kpi_status",
    "nps_interval",
    "scorecard",
    "scorecard_table",
    "TREND_KPIS",
    "kpi_trend",
    "scorecard_sentences",
    "UPSTREAM_KEYS",
    "ORDER_COLUMNS",
    "upstream_note",
    "findings",
    "findings_table",
    "findings_markdown",
    "action_register",
    "register_table",
    "action_sentences",
    "lessons_learned",
    "glue_values",
    "scorecard_bars",
    "plot_scorecard",
]


# --------------------------------------------------------------------------- KPI catalogue


@dataclass(frozen=True)
class KpiSpec:
    """What a KPI is: how it is compared and shown."""

    name: str
    kind: str  # count | rate | mean | median | nps | total
    unit: str  # customers | share | currency | points | score | hours
    direction: str  # higher | lower
    table: str  # the canonical table it needs

    def label(self, lang: str) -> str:
        """The KPI's name for people (the catalog's ``review.scorecard.kpi.<name>``)."""
        return t(f"review.scorecard.kpi.{self.name}", lang)


KPIS: dict[str, KpiSpec] = {
    s.name: s
    for s in (
        KpiSpec("active_customers", "count", "customers", "higher", "orders"),
        KpiSpec("new_customers", "count", "customers", "higher", "orders"),
        KpiSpec("churn_rate", "rate", "share", "lower", "orders"),
        KpiSpec("retention_rate", "rate", "share", "higher", "orders"),
        KpiSpec("repurchase_rate", "rate", "share", "higher", "orders"),
        KpiSpec("avg_order_value", "mean", "currency", "higher", "orders"),
        KpiSpec("revenue", "total", "currency", "higher", "orders"),
        KpiSpec("revenue_per_customer", "mean", "currency", "higher", "orders"),
        KpiSpec("nps", "nps", "points", "higher", "surveys"),
        KpiSpec("csat", "mean", "score", "higher", "tickets"),
        KpiSpec("first_response_hours", "median", "hours", "lower", "tickets"),
        KpiSpec("sla_resolved_share", "rate", "share", "higher", "tickets"),
        KpiSpec("touch_reach", "rate", "share", "higher", "touches"),
        KpiSpec("touch_conversion", "rate", "share", "higher", "touches"),
    )
}  # fmt: skip

SCORECARD_COLUMNS = [
    "kpi",
    "value",
    "previous",
    "target",
    "status",
    "direction",
    "change",
    "change_low",
    "change_high",
    "p_value",
    "significant",
    "unit",
    "label",
    "ci_low",
    "ci_high",
    "n",
    "n_previous",
    "test",
    "p_raw",
    "deadline",
    "amber_tolerance",
    "kind",
]


@dataclass
class Measure:
    """One KPI in one period: the value, its CI and what a comparison test needs."""

    value: float = np.nan
    n: int = 0  # trials / observations
    x: float = np.nan  # successes (rates) or the count (counts)
    sample: np.ndarray | None = None  # observations (means, medians)
    counts: tuple[int, int, int] | None = None  # promoters, passives, detractors (NPS)
    ci_low: float = np.nan
    ci_high: float = np.nan
    days: int = 0  # length of the period (Poisson exposure)
    extra: dict[str, Any] = field(default_factory=dict)


def _true(flags: pd.Series) -> pd.Series:
    """A boolean mask from a column of True / False / missing (missing counts as False)."""
    return flags.astype("boolean").fillna(False).astype(bool)


def _window(frame: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    when = frame[column]
    return frame[(when >= pd.Timestamp(start)) & (when < pd.Timestamp(end))]


def _rate(x: float, n: int) -> Measure:
    low, high = wilson_ci(x, n)
    return Measure(
        value=x / n if n else np.nan, n=int(n), x=float(x), ci_low=float(low), ci_high=float(high)
    )


def _mean(sample: np.ndarray) -> Measure:
    sample = np.asarray(sample, dtype=float)
    sample = sample[np.isfinite(sample)]
    n = len(sample)
    if n == 0:
        return Measure(n=0, sample=sample)
    mean = float(sample.mean())
    half = float(stats.t.ppf(0.975, n - 1) * sample.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    return Measure(value=mean, n=n, sample=sample, ci_low=mean - half, ci_high=mean + half)


#: half-width of the rank window of :func:`_boot_medians`, in units of sqrt(n)
_BOOT_WINDOW = 8


def _boot_medians(sample: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Medians of ``n_boot`` resamples, drawn in blocks of rows (bounded memory at any n).

    The blocks consume the generator exactly as one ``(n_boot, n)`` draw would: same numbers.
    A resample's median is read off the ranks of the drawn values (the sample sorted once): a
    histogram of the ranks near the middle, with one bin below and one above, instead of a
    partition of every resample; a resample whose middle falls outside the window (rare) is
    sorted. Same medians as ``np.median`` of each resample.
    """
    n = len(sample)
    order = np.argsort(sample, kind="stable")
    ordered = sample[order]
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    lo_k, hi_k = (n - 1) // 2, n // 2  # 0-based ranks of the middle value(s)
    half = _BOOT_WINDOW * math.isqrt(n) + 16  # ~16 sd of the resampled middle rank
    first, last = max(0, lo_k - half), min(n - 1, hi_k + half)
    width = last - first + 3  # bin 0: ranks below ``first``; bin width - 1: above ``last``
    to_bin = np.clip(rank - (first - 1), 0, width - 1)  # sample position -> bin
    step = max(1, 4_000_000 // max(n, 1))
    out = np.empty(n_boot)
    for start in range(0, n_boot, step):
        rows = min(step, n_boot - start)
        idx = rng.integers(0, n, (rows, n))
        binned = to_bin[idx]
        counts = np.empty((rows, width), dtype=np.int64)
        for j in range(rows):
            counts[j] = np.bincount(binned[j], minlength=width)
        cum = np.cumsum(counts, axis=1)
        lo = (cum <= lo_k).sum(axis=1)
        hi = (cum <= hi_k).sum(axis=1)
        outside = np.flatnonzero((lo == 0) | (hi == width - 1))
        lo, hi = lo + first - 1, hi + first - 1
        for j in outside:
            ranks = np.sort(rank[idx[j]])
            lo[j], hi[j] = ranks[lo_k], ranks[hi_k]
        # as np.median: the middle value, or the mean of the two middle values
        out[start : start + rows] = (ordered[lo] + ordered[hi]) / 2 if n % 2 == 0 else ordered[lo]
    return out


def _median(sample: np.ndarray, rng: np.random.Generator, n_boot: int) -> Measure:
    sample = np.asarray(sample, dtype=float)
    sample = sample[np.isfinite(sample)]
    n = len(sample)
    if n == 0:
        return Measure(n=0, sample=sample)
    boot = _boot_medians(sample, rng, n_boot)
    low, high = np.percentile(boot, [2.5, 97.5])
    return Measure(
        value=float(np.median(sample)), n=n, sample=sample, ci_low=float(low), ci_high=float(high)
    )


def nps_interval(
    promoters: int, passives: int, detractors: int
) -> tuple[float, float, float, float]:
    """NPS, its variance and 95% interval as in DESIGN.md.

    Variance ``100² (p + d - (p - d)²) / n``; below 100 answers the adjusted-Wald interval
    (add 0.75 promoters, 0.75 detractors and 1.5 passives, n + 3), centred on the adjusted NPS;
    the interval is clipped to [-100, 100]. The NPS itself is the raw one.

    Returns
    -------
    (nps, variance, ci_low, ci_high)

    Examples
    --------
    >>> [round(v, 2) for v in nps_interval(50, 30, 20)]
    [30.0, 61.0, 14.69, 45.31]
    """
    n = promoters + passives + detractors
    if n == 0:
        return (np.nan, np.nan, np.nan, np.nan)
    nps = 100 * (promoters - detractors) / n
    if n < 100:
        pa, da, na = promoters + 0.75, detractors + 0.75, n + 3
    else:
        pa, da, na = promoters, detractors, n
    p, d = pa / na, da / na
    var = 100**2 * (p + d - (p - d) ** 2) / na
    centre = 100 * (p - d)
    half = Z95 * np.sqrt(var)
    return (
        float(nps),
        float(var),
        float(max(-100.0, centre - half)),
        float(min(100.0, centre + half)),
    )


def period_measures(
    tables: dict[str, pd.DataFrame],
    period: Period | str,
    *,
    sla_hours: float = 48.0,
    seed: int = 42,
    n_boot: int = 2000,
    index: OrderIndex | None = None,
) -> dict[str, Measure]:
    """Every KPI of one period, with what its comparison test needs.

    Parameters
    ----------
    tables : dict of DataFrame
        Clean canonical tables (``orders`` required; the others when present).
    period : Period or str
    sla_hours : float
        Resolution SLA (``cfg.nps.sla_hours``).
    seed : int
        Seed of the bootstrap (``cfg.seed``).
    n_boot : int
        Bootstrap resamples for the median.
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built here when
        omitted).

    Returns
    -------
    dict
        KPI name -> :class:`Measure`; KPIs whose table is missing are absent.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-07-05", "2025-10-03", "2025-10-09"]), "amount": [10.0, 20.0, 40.0]})
    >>> m = period_measures({"orders": o}, "2025Q4")
    >>> m["active_customers"].value, m["new_customers"].value, m["churn_rate"].value, m["avg_order_value"].value
    (2.0, 1.0, 0.0, 30.0)
    """
    p = Period.parse(period)
    start, end = pd.Timestamp(p.start), pd.Timestamp(p.end_exclusive)
    prev = p.previous()
    rng = np.random.default_rng(seed)
    out: dict[str, Measure] = {}

    h = order_heads_of(tables["orders"], index)
    lo, hi = h.stamp(start), h.stamp(end)
    now = (h.ts >= lo) & (h.ts < hi)
    before = (h.ts >= h.stamp(prev.start)) & (h.ts < h.stamp(prev.end_exclusive))
    # distinct buyers; a missing customer id (code -1) counts as one buyer, as unique() does
    size = len(h.labels) + 1
    buyers = np.bincount(h.code[now] + 1, minlength=size) > 0
    prev_buyers = np.bincount(h.code[before] + 1, minlength=size) > 0
    n_buyers = int(buyers.sum())
    n_new = int(((h.first >= lo) & (h.first < hi)).sum())
    out["active_customers"] = Measure(value=float(n_buyers), n=n_buyers, x=n_buyers, days=p.days)
    out["new_customers"] = Measure(value=float(n_new), n=n_new, x=n_new, days=p.days)
    lost = int((prev_buyers & ~buyers).sum())
    out["churn_rate"] = _rate(lost, int(prev_buyers.sum()))
    out["retention_rate"] = _rate(int(prev_buyers.sum()) - lost, int(prev_buyers.sum()))
    amount = h.amount[now]
    known = h.code[now] >= 0
    # per customer in the order of the sorted ids (as a groupby on the ids), same summation
    revenue = pd.Series(amount[known]).groupby(h.code[now][known]).sum()
    n_orders = np.bincount(h.code[now][known], minlength=size)
    out["repurchase_rate"] = _rate(int((n_orders >= 2).sum()), len(revenue))
    out["avg_order_value"] = _mean(amount)
    out["revenue"] = Measure(value=float(pd.Series(amount).sum()), n=len(amount))
    out["revenue_per_customer"] = _mean(revenue.to_numpy())

    surveys = tables.get("surveys")
    if surveys is not None:
        s = _window(surveys, "responded_at", start, end)["score"].dropna()
        counts = (int((s >= 9).sum()), int(((s >= 7) & (s < 9)).sum()), int((s <= 6).sum()))
        nps, var, low, high = nps_interval(*counts)
        out["nps"] = Measure(
            value=nps, n=len(s), counts=counts, ci_low=low, ci_high=high, extra={"var": var}
        )

    tickets = tables.get("tickets")
    if tickets is not None:
        t = _window(tickets, "created_at", start, end)
        if "csat" in t:
            out["csat"] = _mean(t["csat"].to_numpy())
        if "first_response_at" in t:
            answered = t[t["first_response_at"].notna() & (t["first_response_at"] < end)]
            hours = (
                answered["first_response_at"] - answered["created_at"]
            ).dt.total_seconds() / 3600
            out["first_response_hours"] = _median(hours.to_numpy(), rng, n_boot)
        if "resolved_at" in t:
            sla = pd.Timedelta(hours=sla_hours)
            eligible = t[t["created_at"] < end - sla]
            took = eligible["resolved_at"] - eligible["created_at"]
            within = eligible["resolved_at"].notna() & (took <= sla)
            out["sla_resolved_share"] = _rate(int(within.sum()), len(eligible))

    touches = tables.get("touches")
    if touches is not None:
        t = _window(touches, "sent_at", start, end)
        for name, flag in (("touch_reach", "delivered"), ("touch_conversion", "converted")):
            if flag in t:
                hits = int(t[flag].astype("boolean").fillna(False).sum())
                out[name] = _rate(hits, len(t))
    return out


# --------------------------------------------------------------------------- status and tests


def kpi_status(
    value: float, target: float | None, direction: str = "higher", amber_tolerance: float = 0.05
) -> str:
    """Green / amber / red against a target; grey without a target or a value.

    Green when the target is met (``value >= target`` for "higher", ``<=`` for "lower");
    amber when the relative gap ``|value - target| / |target|`` is at most
    ``amber_tolerance`` (inclusive, with 1e-9 slack for float rounding); red otherwise. A
    target of 0 that is missed is red.

    Examples
    --------
    >>> kpi_status(0.45, 0.45), kpi_status(0.43, 0.45), kpi_status(0.40, 0.45), kpi_status(8.4, 8, "lower")
    ('green', 'amber', 'red', 'amber')
    >>> kpi_status(float("nan"), 1.0), kpi_status(3.0, None)
    ('grey', 'grey')
    """
    if target is None or value is None or not np.isfinite(value) or not np.isfinite(target):
        return "grey"
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction must be 'higher' or 'lower', not {direction!r}")
    met = value >= target if direction == "higher" else value <= target
    if met:
        return "green"
    if target == 0:
        return "red"
    gap = abs(value - target) / abs(target)
    return "amber" if gap <= amber_tolerance + 1e-9 else "red"


def _compare(
    kind: str, cur: Measure, prev: Measure, rng: np.random.Generator, n_boot: int
) -> tuple[str, float, float, float]:
    """(test name, two-sided p-value, 95% interval of the change) from ``prev`` to ``cur``.

    The interval is the KPI's own: Newcombe's hybrid score interval of the difference of two
    rates; for a count, the difference after scaling the previous count to this period's
    length, with the two Poisson variances summed; Welch's interval of the difference of
    means; percentiles of the bootstrapped difference of medians; for NPS the difference
    with the two variances summed (DESIGN.md).
    """
    nan = float("nan")
    if kind == "rate":
        if cur.n == 0 or prev.n == 0:
            return "two-proportion z", nan, nan, nan
        r = two_proportion_test(cur.x, cur.n, prev.x, prev.n)
        return "two-proportion z", r.p_value, r.diff_low, r.diff_high
    if kind == "count":
        total = cur.x + prev.x
        if not total:
            return "Poisson (exact conditional)", nan, nan, nan
        share = cur.days / (cur.days + prev.days)
        scale = cur.days / prev.days
        diff = cur.x - prev.x * scale
        half = Z95 * math.sqrt(cur.x + prev.x * scale**2)
        p = float(stats.binomtest(int(cur.x), int(total), share).pvalue)
        return "Poisson (exact conditional)", p, diff - half, diff + half
    if kind == "mean":
        if cur.n < 2 or prev.n < 2:
            return "Welch t", nan, nan, nan
        res = stats.ttest_ind(cur.sample, prev.sample, equal_var=False)
        ci = res.confidence_interval(0.95)
        return "Welch t", float(res.pvalue), float(ci.low), float(ci.high)
    if kind == "median":
        if cur.n < 2 or prev.n < 2:
            return "bootstrap (median)", nan, nan, nan
        a = _boot_medians(cur.sample, rng, n_boot)
        b = _boot_medians(prev.sample, rng, n_boot)
        diff = a - b
        p = 2 * min(np.mean(diff <= 0), np.mean(diff >= 0))
        low, high = np.quantile(diff, [0.025, 0.975])
        return "bootstrap (median)", float(min(1.0, max(p, 1 / n_boot))), float(low), float(high)
    if kind == "nps":
        var = cur.extra.get("var", np.nan) + prev.extra.get("var", np.nan)
        if not np.isfinite(var) or var <= 0:
            return "NPS z (summed variances)", nan, nan, nan
        diff = cur.value - prev.value
        z = diff / np.sqrt(var)
        half = Z95 * float(np.sqrt(var))
        return (
            "NPS z (summed variances)",
            float(2 * stats.norm.sf(abs(z))),
            diff - half,
            diff + half,
        )
    return "not tested (total)", nan, nan, nan


def _targets_by_kpi(targets: Iterable[Target | dict] | None) -> dict[str, Target]:
    out = {}
    for target in targets or ():
        t = target if isinstance(target, Target) else Target.model_validate(target)
        out[t.kpi] = t
    return out


def scorecard(
    tables: dict[str, pd.DataFrame],
    period: Period | str,
    targets: Iterable[Target | dict] | None = None,
    *,
    sla_hours: float = 48.0,
    seed: int = 42,
    alpha: float = 0.05,
    n_boot: int = 2000,
    lang: str = "en",
    index: OrderIndex | None = None,
    churn: dict[str, float] | None = None,
    partial_until: str | None = None,
) -> pd.DataFrame:
    """The KPI scorecard: this period vs the previous one vs the target.

    Parameters
    ----------
    tables : dict of DataFrame
        Clean canonical tables.
    period : Period or str
    targets : iterable of Target or dict, optional
        ``cfg.review.targets``; each has ``kpi, target, direction, deadline, amber_tolerance``.
    sla_hours : float
        ``cfg.nps.sla_hours``.
    seed : int
        ``cfg.seed`` (bootstrap).
    alpha : float
        Level of a test whose KPI has no interval of the change (otherwise the 95% interval
        decides).
    n_boot : int
        Bootstrap resamples.
    lang : {"en", "zh"}
        Language of the ``label`` column.
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built here when
        omitted); both periods read its order heads.
    churn : dict, optional
        The report's churn rate when the churn definition is not the orders' inactivity
        (``churn_rate.csv`` of notebook 03: ``rate, low, high, n``; a contractual churn):
        ``churn_rate`` and ``retention_rate`` use it, so every churn figure of the report
        has one definition (no previous-period test: the snapshot has no history).
    partial_until : str, optional
        The observation end when the data stop before the period ends: every label says
        the KPI covers a partial period.

    Returns
    -------
    DataFrame
        One row per KPI (``SCORECARD_COLUMNS``): ``kpi, value, previous, target, status,
        direction, change, change_low, change_high`` (95% interval of the change),
        ``p_value`` (the KPI's own test), ``significant`` (the interval excludes 0), ``unit,
        label, ci_low, ci_high, n, n_previous, test, p_raw, deadline, amber_tolerance, kind``.
        KPIs whose source table is missing have no value and status grey.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-07-05", "2025-10-03", "2025-10-09"]), "amount": [10.0, 20.0, 40.0]})
    >>> card = scorecard({"orders": o}, "2025Q4", [{"kpi": "active_customers", "target": 2}])
    >>> card.set_index("kpi").loc["active_customers", ["value", "previous", "status"]].to_dict()
    {'value': 2.0, 'previous': 1.0, 'status': 'green'}
    """
    p = Period.parse(period)
    if "orders" in tables:
        index = order_index_of(tables["orders"], index)
    cur = period_measures(tables, p, sla_hours=sla_hours, seed=seed, n_boot=n_boot, index=index)
    prev = period_measures(
        tables, p.previous(), sla_hours=sla_hours, seed=seed + 1, n_boot=n_boot, index=index
    )
    if churn is not None and np.isfinite(churn.get("rate", np.nan)):
        n = int(churn.get("n", 0))
        for name, value, low, high in (
            ("churn_rate", churn["rate"], churn["low"], churn["high"]),
            ("retention_rate", 1 - churn["rate"], 1 - churn["high"], 1 - churn["low"]),
        ):
            cur[name] = Measure(value=float(value), n=n, ci_low=float(low), ci_high=float(high))
            prev.pop(name, None)
    rng = np.random.default_rng(seed)
    by_kpi = _targets_by_kpi(targets)
    rows = []
    for name, spec in KPIS.items():
        c, b = cur.get(name, Measure()), prev.get(name, Measure())
        tgt = by_kpi.get(name)
        direction = tgt.direction if tgt else spec.direction
        test, p_raw, change_low, change_high = (
            _compare(spec.kind, c, b, rng, n_boot)
            if name in cur and name in prev
            else ("", np.nan, np.nan, np.nan)
        )
        rows.append(
            {
                "kpi": name,
                "value": c.value,
                "previous": b.value,
                "target": tgt.target if tgt else np.nan,
                "status": kpi_status(
                    c.value,
                    tgt.target if tgt else None,
                    direction,
                    tgt.amber_tolerance if tgt else 0.0,
                ),
                "direction": direction,
                "change": c.value - b.value,
                "change_low": change_low,
                "change_high": change_high,
                "unit": spec.unit,
                "label": (
                    # the report's own churn (contractual): named churn; otherwise the orders'
                    # lapse rate, never called churn beside the survival chapter's churn
                    t("review.scorecard.kpi.churn_own", lang)
                    if name == "churn_rate"
                    and churn is not None
                    and "churn_rate" in cur
                    and np.isfinite(churn.get("rate", np.nan))
                    else spec.label(lang)
                )
                + (
                    ""
                    if not partial_until
                    else t("review.scorecard.partial", lang, until=partial_until)
                ),
                "ci_low": c.ci_low,
                "ci_high": c.ci_high,
                "n": c.n,
                "n_previous": b.n,
                "test": test,
                "p_raw": p_raw,
                "deadline": tgt.deadline if tgt else None,
                "amber_tolerance": tgt.amber_tolerance if tgt else np.nan,
                "kind": spec.kind,
            }
        )
    card = pd.DataFrame(rows)
    card["p_value"] = card["p_raw"]
    beyond = []
    for low, high, p_value in card[["change_low", "change_high", "p_value"]].itertuples(
        index=False
    ):
        if np.isfinite(low) and np.isfinite(high):
            beyond.append(bool(low > 0 or high < 0))
        else:
            beyond.append(bool(p_value < alpha) if np.isfinite(p_value) else pd.NA)
    card["significant"] = pd.array(beyond, dtype="boolean")
    return card[SCORECARD_COLUMNS]


# --------------------------------------------------------------------------- showing the scorecard


def _fmt(value: float, unit: str, currency: str = "") -> str:
    if value is None or not np.isfinite(value):
        return "–"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "currency":
        return (
            f"{currency} {value:,.0f}".strip()
            if abs(value) < 1e6
            else f"{currency} {value / 1e6:,.2f}M".strip()
        )
    if unit == "customers":
        return f"{value:,.0f}"
    if unit == "points":
        return f"{value:.1f}"
    if unit in ("hours", "score"):
        return f"{value:.2f}"
    return f"{value:,.2f}"


def _fmt_change(value: float, unit: str, currency: str = "", lang: str = "en") -> str:
    """A KPI's change in its unit; a share's in percentage points ("pp", "个百分点")."""
    if value is None or not np.isfinite(value):
        return "–"
    sign = "+" if value >= 0 else "−"
    if unit == "share":
        return t("unit.pp", lang, value=f"{sign}{100 * abs(value):.1f}")
    return sign + _fmt(abs(value), unit, currency)


def _status(status: str, lang: str) -> str:
    """A KPI status (green/amber/red/grey) for people."""
    return t(f"review.scorecard.status.{status}", lang)


#: the headline KPIs of the archive's trend table, in this order (those a period has)
TREND_KPIS = (
    "active_customers",
    "new_customers",
    "repurchase_rate",
    "churn_rate",
    "revenue",
    "nps",
    "first_response_hours",
)


def kpi_trend(
    cards: Mapping[str, pd.DataFrame], lang: str = "en", currency: str = ""
) -> pd.DataFrame:
    """The headline KPIs of several periods side by side: one row per period, oldest first.

    ``cards``: period label -> that period's ``scorecard.csv``. Each cell is the KPI's value
    in the scorecard's format, with its status against the target when it has one; a KPI
    no period has is left out, one a period lacks reads "–".

    Examples
    --------
    >>> card = lambda v: pd.DataFrame({"kpi": ["active_customers", "nps"], "value": [v, 20.0],
    ...     "unit": ["customers", "points"], "status": ["red", "grey"]})
    >>> kpi_trend({"2025Q4": card(1300.0), "2025Q3": card(1250.0)}).values.tolist()
    [['2025Q3', '1,250 (red)', '20.0'], ['2025Q4', '1,300 (red)', '20.0']]
    """
    periods = sorted(cards, key=lambda label: (Period.parse(label).end, label))
    present = [k for k in TREND_KPIS if any(k in set(cards[p]["kpi"]) for p in periods)]
    rows = []
    for label in periods:
        card = cards[label].set_index("kpi")
        row = {t("review.scorecard.col.period", lang): label}
        for kpi in present:
            cell = "–"
            if kpi in card.index and np.isfinite(float(card.loc[kpi, "value"])):
                r = card.loc[kpi]
                cell = _fmt(float(r["value"]), KPIS[kpi].unit, currency)
                status = str(r.get("status", "grey"))
                if status in ("green", "amber", "red"):
                    cell += t("review.scorecard.bracket", lang, inner=_status(status, lang))
            row[KPIS[kpi].label(lang)] = cell
        rows.append(row)
    return pd.DataFrame(rows)


def scorecard_table(card: pd.DataFrame, lang: str = "en", currency: str = "") -> Any:
    """The scorecard for people: formatted values with CIs, status coloured, noise marked.

    Returns a pandas ``Styler`` (status cells coloured green/amber/red/grey).

    Examples
    --------
    >>> card = pd.DataFrame([{"kpi": "nps", "label": "NPS", "unit": "points", "value": 20.0, "ci_low": 15.0,
    ...     "ci_high": 25.0, "previous": 25.0, "change": -5.0, "target": 30.0, "status": "red",
    ...     "p_value": 0.2, "significant": False, "direction": "higher", "deadline": "2025Q4"}])
    >>> "could be noise" in scorecard_table(card).to_html()
    True
    """
    from custops.report.plots import STATUS_COLORS

    col = {
        k: t(f"review.scorecard.col.{k}", lang)
        for k in ("kpi", "value", "previous", "change", "target", "status", "noise")
    }
    rows = []
    for r in card.itertuples(index=False):
        ci = ""
        if np.isfinite(r.ci_low) and np.isfinite(r.ci_high):
            dash = " to " if r.ci_low < 0 else "–"
            ci = f" ({_fmt(r.ci_low, r.unit, currency)}{dash}{_fmt(r.ci_high, r.unit, currency)})"
        low, high = getattr(r, "change_low", np.nan), getattr(r, "change_high", np.nan)
        span = (
            f"{_fmt_change(low, r.unit, currency, lang)}{t('review.scorecard.to', lang)}"
            f"{_fmt_change(high, r.unit, currency, lang)}"
            if np.isfinite(low) and np.isfinite(high)
            else f"p={r.p_value:.3f}"
        )
        span = t("review.scorecard.bracket", lang, inner=span)
        if pd.isna(r.significant):
            noise = "–"
        elif r.significant:
            noise = t("review.scorecard.real_change", lang) + span
        else:
            noise = t("review.scorecard.could_be_noise", lang) + span
        arrow = "↑" if r.direction == "higher" else "↓"
        rows.append(
            {
                col["kpi"]: f"{r.label} {arrow}",
                col["value"]: _fmt(r.value, r.unit, currency) + ci,
                col["previous"]: _fmt(r.previous, r.unit, currency),
                col["change"]: _fmt_change(r.change, r.unit, currency, lang),
                col["target"]: _fmt(r.target, r.unit, currency),
                col["status"]: _status(r.status, lang),
                col["noise"]: noise,
            }
        )
    shown = pd.DataFrame(rows)
    status_col = col["status"]
    colours = {_status(k, lang): v for k, v in STATUS_COLORS.items()}

    def _colour(value: str) -> str:
        c = colours.get(value)
        return f"background-color: {c}; color: white; font-weight: bold" if c else ""

    return shown.style.map(_colour, subset=[status_col]).hide(axis="index")


def scorecard_sentences(
    card: pd.DataFrame, targets: Iterable[Target | dict] | None = None, lang: str = "en"
) -> list[str]:
    """What the scorecard says, in a few sentences (counts by status, reds, real changes, target typos).

    Examples
    --------
    >>> card = pd.DataFrame({"kpi": ["nps", "csat"], "label": ["NPS", "CSAT"], "status": ["red", "grey"],
    ...     "value": [20.0, 4.1], "target": [30.0, float("nan")], "unit": ["points", "score"],
    ...     "change": [-5.0, 0.1], "previous": [25.0, 4.0], "significant": [True, False], "p_value": [0.01, 0.5]})
    >>> scorecard_sentences(card)[:2]
    ['Of 1 KPIs with a target, 0 are green, 0 amber and 1 red.', 'Off target: NPS (20.0 vs target 30.0).']
    """
    with_target = card[card["status"] != "grey"]
    counts = with_target["status"].value_counts()
    g, a, r = (int(counts.get(k, 0)) for k in ("green", "amber", "red"))
    out = [t("review.scorecard.counts", lang, n=len(with_target), green=g, amber=a, red=r)]
    reds = card[card["status"] == "red"]
    if len(reds):
        items = [
            t(
                "review.scorecard.red_item",
                lang,
                label=x.label,
                value=_fmt(x.value, x.unit),
                target=_fmt(x.target, x.unit),
            )
            for x in reds.itertuples()
        ]
        out.append(t("review.scorecard.off_target", lang, items=join_names(items, lang)))
    real = card[_true(card["significant"])]
    if len(real):
        items = [
            f"{x.label} {_fmt(x.previous, x.unit)} → {_fmt(x.value, x.unit)}"
            for x in real.itertuples()
        ]
        out.append(t("review.scorecard.real", lang, items=join_names(items, lang)))
    else:
        out.append(t("review.scorecard.no_real", lang))
    for name in _targets_by_kpi(targets):
        if name not in KPIS:
            close = difflib.get_close_matches(name, list(KPIS), n=1)
            hint = t("review.scorecard.did_you_mean", lang, name=close[0]) if close else ""
            out.append(t("review.scorecard.unknown_target", lang, name=name, hint=hint))
    return out


def scorecard_bars(card: pd.DataFrame) -> pd.DataFrame:
    """What :func:`plot_scorecard` draws: each KPI with a target (status not grey), its
    achievement ``ratio`` = value / target (target / value when lower is better) and status.

    Examples
    --------
    >>> card = pd.DataFrame({"label": ["NPS", "Churn", "CSAT"], "value": [20.0, 0.2, 4.0],
    ...     "target": [40.0, 0.1, None], "status": ["red", "red", "grey"],
    ...     "direction": ["higher", "lower", "higher"]})
    >>> scorecard_bars(card).to_dict("list")
    {'label': ['NPS', 'Churn'], 'ratio': [0.5, 0.5], 'status': ['red', 'red']}
    """
    data = card[card["status"] != "grey"]
    ratio = np.where(
        data["direction"] == "higher",
        data["value"] / data["target"],
        data["target"] / data["value"],
    )
    return pd.DataFrame(
        {
            "label": data["label"].to_numpy(),
            "ratio": np.asarray(ratio, dtype=float),
            "status": data["status"].to_numpy(),
        }
    )


def plot_scorecard(
    bars: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:
    """Each KPI with a target as value / target (1 = on target; beyond 1 is better), coloured
    by status: draws a :func:`scorecard_bars` table; returns the Axes.

    Examples
    --------
    >>> card = pd.DataFrame({"label": ["NPS"], "value": [20.0], "target": [30.0], "status": ["red"], "direction": ["higher"]})
    >>> plot_scorecard(scorecard_bars(card), title="t").get_title()
    't'
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import STATUS_COLORS, set_takeaway

    if title is None:
        title = t("review.scorecard.plot.title", lang)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(bars), 3) + 1))
    y = np.arange(len(bars))[::-1]
    ax.barh(y, bars["ratio"], color=[STATUS_COLORS[s] for s in bars["status"]])
    ax.axvline(1.0, color="black", lw=1)
    ax.set_yticks(y, bars["label"])
    ax.set_xlabel(t("review.scorecard.plot.xlabel", lang))
    ax.set_title(title)
    if own:
        fig.tight_layout()
        plt.close(fig)  # shown once, as the cell's result
    return set_takeaway(ax, takeaway)


def scorecard_takeaway(card: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the scorecard: how many KPIs with a target are on target (green), and
    the one furthest from its target (value / target, inverted for "lower is better").

    Examples
    --------
    >>> card = pd.DataFrame({"label": ["NPS", "Churn", "CSAT"], "value": [20.0, 0.1, 4.5],
    ...     "target": [40.0, 0.1, 4.0], "status": ["red", "green", "green"],
    ...     "direction": ["higher", "lower", "higher"]})
    >>> scorecard_takeaway(card)
    'On target: 2 of the 3 KPIs with a target; furthest from its target: NPS, at 50% of it.'
    """
    data = card[card["status"] != "grey"]
    if data.empty:
        return t("figure.no_data", lang)
    ratio = pd.Series(
        np.where(
            data["direction"] == "higher",
            data["value"] / data["target"],
            data["target"] / data["value"],
        ),
        index=data.index,
    ).replace([np.inf, -np.inf], np.nan)
    worst = ratio.idxmin() if ratio.notna().any() else data.index[0]
    return t(
        "figure.scorecard",
        lang,
        green=int((data["status"] == "green").sum()),
        n=len(data),
        label=str(data.loc[worst, "label"]),
        ratio=f"{float(ratio[worst]):.0%}" if pd.notna(ratio[worst]) else "–",
    )


# --------------------------------------------------------------------------- upstream artifacts

#: the order columns the review uses; the others (text columns of 20M rows at scale) stay unread
ORDER_COLUMNS = ("order_id", "customer_id", "order_date", "amount")


def partial_until(observation: Any) -> str | None:
    """The observation end as text when the period is partial, else None (for :func:`scorecard`).

    Examples
    --------
    >>> partial_until(None) is None
    True
    """
    if observation is None or not getattr(observation, "partial", False):
        return None
    return observation.observation_end.isoformat()


def upstream_note(
    upstream: Mapping[str, pd.DataFrame | None],
    lang: str = "en",
    *,
    writers: Mapping[str, str] | None = None,
) -> str:
    """Which artifacts are missing (and so which findings are skipped), or that all are present.

    ``upstream`` maps each artifact's file name to its frame (None: missing); ``writers``
    maps a file name to the notebook that writes it.

    Examples
    --------
    >>> upstream_note({"segments.parquet": None, "nps_summary.csv": pd.DataFrame()},
    ...     writers={"segments.parquet": "02_segmentation"})
    '> Missing for this period: `segments.parquet` (notebook 02_segmentation). The findings that need it are skipped; run that notebook first to include them.'
    """
    writers = writers or {}
    missing = [name for name, frame in upstream.items() if frame is None]
    if not missing:
        return t("review.scorecard.upstream.complete", lang)
    items = t("punct.list", lang).join(
        t("review.scorecard.upstream.item", lang, name=name, writer=writers.get(name, "?"))
        for name in missing
    )
    return t("review.scorecard.upstream.missing", lang, items=items)


# --------------------------------------------------------------------------- findings

#: what :func:`findings` reads from the earlier chapters, by the name it is given under
UPSTREAM_KEYS = ("features", "segments", "churn_scores", "retention_priority", "nps_summary")


def _finding(text: str, source: str, kind: str, value: Any) -> dict:
    return {"text": text, "source": source, "kind": kind, "value": value}


def _scorecard_findings(card: pd.DataFrame, lang: str) -> list[dict]:
    out = []
    with_target = card[card["status"] != "grey"]
    if len(with_target):
        reds = with_target[with_target["status"] == "red"]
        greens = int((with_target["status"] == "green").sum())
        names = join_names(reds["label"], lang)
        text = t(
            "review.scorecard.finding.targets",
            lang,
            green=greens,
            n=len(with_target),
            red=len(reds),
            names=t("review.scorecard.finding.red_names", lang, names=names) if len(reds) else "",
        )
        out.append(_finding(text, "05_review_retrospective", "scorecard", int(len(reds))))
    real = card[_true(card["significant"])].sort_values("p_value")
    if len(real):
        r = real.iloc[0]
        better = (r["change"] > 0) == (r["direction"] == "higher")
        text = t(
            "review.scorecard.finding.clearest",
            lang,
            label=r["label"],
            word=t(
                "review.scorecard.finding.improved"
                if better
                else "review.scorecard.finding.worsened",
                lang,
            ),
            previous=_fmt(r["previous"], r["unit"]),
            value=_fmt(r["value"], r["unit"]),
            change=_fmt_change(r["change"], r["unit"], lang=lang),
            low=_fmt_change(r["change_low"], r["unit"], lang=lang),
            high=_fmt_change(r["change_high"], r["unit"], lang=lang),
        )
        out.append(_finding(text, "05_review_retrospective", "change", float(r["change"])))
    return out


def _label(name: str, lang: str) -> str:
    """Display name of a segment / stage from notebook 02's catalogue (unchanged if unknown)."""
    try:
        from custops.segments.segmentation import label
    except ImportError:  # pragma: no cover - segment module absent
        return name
    try:
        return label(name, lang)
    except Exception:  # pragma: no cover - an unexpected catalogue shape
        return name


def _segment_findings(
    segments: pd.DataFrame, features: pd.DataFrame | None, lang: str, currency: str
) -> list[dict]:
    out = []
    source = "02_segmentation"
    value_col = None
    if features is not None:
        value_col = next((c for c in ("revenue_365d", "revenue_total") if c in features), None)
    if "tier" in segments and value_col:
        joined = segments[["customer_id", "tier"]].merge(
            features[["customer_id", value_col]], on="customer_id", how="left"
        )
        revenue = joined.groupby("tier")[value_col].sum()
        total = revenue.sum()
        if total > 0:
            top = sorted(revenue.index.astype(str))[0]
            share_c = float((joined["tier"].astype(str) == top).mean())
            share_r = float(revenue.loc[revenue.index.astype(str) == top].sum() / total)
            text = t(
                "review.scorecard.finding.tier",
                lang,
                top=top,
                share_c=f"{share_c:.1%}",
                share_r=f"{share_r:.1%}",
            )
            out.append(_finding(text, source, "tier_revenue_share", share_r))
    if "rfm_segment" in segments and len(segments):
        shares = segments["rfm_segment"].astype(str).value_counts(normalize=True)
        name, share = _label(shares.index[0], lang), float(shares.iloc[0])
        text = t(
            "review.scorecard.finding.top_segment",
            lang,
            name=name,
            share=f"{share:.1%}",
            n=len(shares),
        )
        out.append(_finding(text, source, "top_segment", name))
    if "lifecycle" in segments and len(segments):
        life = segments["lifecycle"].astype(str)
        risky = life[life.str.contains("sleep|churn|lapse|lost|at.risk|沉睡|流失|预警", case=False)]
        if len(risky):
            share = len(risky) / len(life)
            names = join_names((_label(x, lang) for x in sorted(risky.unique())), lang)
            text = t("review.scorecard.finding.lifecycle", lang, share=f"{share:.1%}", names=names)
            out.append(_finding(text, source, "at_risk_lifecycle", share))
    return out


def _churn_findings(
    churn: pd.DataFrame, priority: pd.DataFrame | None, lang: str, currency: str
) -> list[dict]:
    out = []
    source = "03_churn_survival"
    prob = next((c for c in churn.columns if c.startswith("churn_prob")), None)
    if prob is not None and len(churn):
        alive = churn[churn["event"] == 0] if "event" in churn else churn
        likely = alive[prob] >= 0.5
        share = float(likely.mean()) if len(alive) else np.nan
        horizon = prob.removeprefix("churn_prob_").removesuffix("d")
        text = t(
            "review.scorecard.finding.likely_churners",
            lang,
            n=f"{int(likely.sum()):,}",
            share=f"{share:.1%}",
            horizon=horizon,
        )
        out.append(_finding(text, source, "likely_churners", int(likely.sum())))
    if "value_at_risk" in churn and len(churn):
        at_risk = float(churn["value_at_risk"].sum())
        from custops.report.notebook import fmt_money

        listed = (
            t("review.scorecard.finding.priority_list", lang, n=f"{len(priority):,}")
            if priority is not None
            else ""
        )
        text = t(
            "review.scorecard.finding.value_at_risk",
            lang,
            total=fmt_money(at_risk, currency),
            listed=listed,
        )
        out.append(_finding(text, source, "value_at_risk", at_risk))
    if "drivers" in churn and len(churn):
        alive = churn[churn["event"] == 0] if "event" in churn else churn
        first = alive["drivers"].fillna("").astype(str).str.split(";").str[0].str.strip()
        named = first[first != ""]
        if len(named):
            counts = named.value_counts()
            driver, n = str(counts.index[0]), int(counts.iloc[0])
            share = n / len(alive)
            text = t(
                "review.scorecard.finding.driver",
                lang,
                driver=driver,
                n=f"{n:,}",
                share=f"{share:.1%}",
            )
            out.append(_finding(text, source, "top_churn_driver", driver))
    return out


def _nps_findings(nps: pd.DataFrame, lang: str) -> list[dict]:
    out = []
    source = "04_nps"
    if not {"group_type", "nps"} <= set(nps.columns) or nps.empty:
        return out
    kind = nps["group_type"].astype(str).str.lower()
    overall = nps[kind.isin(["overall", "all", "total", "period"])]
    if len(overall):
        r = overall.iloc[0]
        ci = (
            t(
                "review.scorecard.finding.nps_ci",
                lang,
                low=f"{r['ci_low']:.1f}",
                high=f"{r['ci_high']:.1f}",
            )
            if "ci_low" in r and pd.notna(r.get("ci_low"))
            else ""
        )
        n = f", n = {int(r['n']):,}" if "n" in r and pd.notna(r.get("n")) else ""
        text = t("review.scorecard.finding.nps", lang, nps=f"{r['nps']:.1f}", ci=ci, n=n)
        out.append(_finding(text, source, "nps", float(r["nps"])))
    groups = nps[~kind.isin(["overall", "all", "total", "period", "month", "quarter", "week"])]
    if "small_group" in groups:
        groups = groups[~groups["small_group"].astype("boolean").fillna(False).astype(bool)]
    groups = groups.dropna(subset=["nps"])
    if len(groups) >= 2:
        low = groups.loc[groups["nps"].idxmin()]
        ci = (
            t(
                "review.scorecard.finding.lowest_ci",
                lang,
                low=f"{low['ci_low']:.1f}",
                high=f"{low['ci_high']:.1f}",
            )
            if "ci_low" in low and pd.notna(low.get("ci_low"))
            else ""
        )
        group = group_label(low["group_type"], low["group"], lang)
        text = t(
            "review.scorecard.finding.lowest_nps", lang, nps=f"{low['nps']:.1f}", ci=ci, group=group
        )
        out.append(_finding(text, source, "lowest_nps_group", float(low["nps"])))
    return out


def findings(
    card: pd.DataFrame,
    upstream: Mapping[str, pd.DataFrame | None] | None = None,
    *,
    channels: pd.DataFrame | None = None,
    ab: pd.DataFrame | None = None,
    lang: str = "en",
    currency: str = "",
) -> list[dict]:
    """The quarter's top findings, each a sentence with its figure and the notebook it comes from.

    Built only from numbers already computed: the scorecard, the channel and A/B tables of
    this notebook and the artifacts of notebooks 01-04, given in ``upstream`` by what they
    hold: ``features`` (the customer view), ``segments``, ``churn_scores``,
    ``retention_priority`` and ``nps_summary`` (:data:`UPSTREAM_KEYS`); an artifact that is
    missing (None or absent) contributes nothing. Order: scorecard, NPS, churn, segments,
    channels, A/B.

    Returns
    -------
    list of dict
        ``text, source, kind, value``.

    Examples
    --------
    >>> card = pd.DataFrame({"kpi": ["nps"], "label": ["NPS"], "status": ["red"], "value": [20.0],
    ...     "target": [30.0], "unit": ["points"], "change": [-5.0], "previous": [25.0],
    ...     "significant": [False], "p_value": [0.3], "direction": ["higher"]})
    >>> [f["text"] for f in findings(card)]
    ['0 of 1 KPIs with a target are on target and 1 are red (NPS).']
    """
    upstream = upstream or {}
    out = _scorecard_findings(card, lang)
    if upstream.get("nps_summary") is not None:
        out += _nps_findings(upstream["nps_summary"], lang)
    if upstream.get("churn_scores") is not None:
        out += _churn_findings(
            upstream["churn_scores"], upstream.get("retention_priority"), lang, currency
        )
    if upstream.get("segments") is not None:
        out += _segment_findings(upstream["segments"], upstream.get("features"), lang, currency)
    if channels is not None and len(channels):
        from custops.review.funnels import best_channel, channel_sentence

        b = best_channel(channels)
        if b:
            out.append(
                _finding(
                    channel_sentence(channels, lang),
                    "05_review_retrospective",
                    "best_channel",
                    b["channel"],
                )
            )
    if ab is not None and len(ab):
        from custops.review.funnels import ab_sentence

        for sentence, row in zip(ab_sentence(ab, lang), ab.itertuples(), strict=True):
            out.append(_finding(sentence, "05_review_retrospective", "ab_test", float(row.diff)))
    return out


def findings_table(items: Sequence[dict], lang: str = "en") -> pd.DataFrame:
    """The findings as a numbered table (finding, source notebook).

    Examples
    --------
    >>> findings_table([{"text": "x", "source": "04_nps", "kind": "nps", "value": 1}]).to_dict("records")
    [{'#': 1, 'Finding': 'x', 'Notebook': '04_nps'}]
    """
    return pd.DataFrame(
        {
            "#": range(1, len(items) + 1),
            t("review.scorecard.findings.col.finding", lang): [f["text"] for f in items],
            t("review.scorecard.findings.col.source", lang): [f["source"] for f in items],
        }
    )


def findings_markdown(items: Sequence[dict], lang: str = "en") -> str:
    """The findings as a numbered Markdown list, each with the notebook it comes from.

    Examples
    --------
    >>> print(findings_markdown([{"text": "NPS is 20.", "source": "04_nps", "kind": "nps", "value": 20}]))
    1. NPS is 20. *(notebook 04_nps)*
    """
    if not items:
        return t("review.scorecard.findings.none", lang)
    return "\n".join(
        t("review.scorecard.findings.item", lang, i=i, text=f["text"], source=f["source"])
        for i, f in enumerate(items, 1)
    )


# --------------------------------------------------------------------------- PDCA register

DONE = {"done", "closed", "completed", "complete", "finished", "已完成", "完成", "关闭"}


def action_register(
    actions: pd.DataFrame | None, card: pd.DataFrame, period: Period | str
) -> pd.DataFrame:
    """The register joined to the scorecard: did each action's KPI move the desired way? Overdue?

    ``moved``: ``desired`` / ``wrong way`` / ``unchanged`` compared with the previous period
    (``no data`` without both values, ``unknown KPI`` when the KPI is not on the scorecard);
    ``beyond_noise`` is the scorecard's ``significant``. ``overdue``: due before the last day
    of the period and the status is not done (``done``, ``closed``, ``completed``, 完成 ...).

    Examples
    --------
    >>> from datetime import date
    >>> a = pd.DataFrame({"issue": ["i"], "action": ["a"], "owner": ["o"], "due": [date(2025, 11, 1)],
    ...     "status": ["open"], "kpi": ["nps"]})
    >>> card = pd.DataFrame({"kpi": ["nps"], "value": [20.0], "previous": [25.0], "change": [-5.0],
    ...     "direction": ["higher"], "status": ["red"], "significant": [False], "label": ["NPS"], "unit": ["points"]})
    >>> action_register(a, card, "2025Q4")[["moved", "overdue"]].to_dict("records")
    [{'moved': 'wrong way', 'overdue': True}]
    """
    p = Period.parse(period)
    if actions is None:
        return pd.DataFrame(
            columns=[*ACTION_FIELDS, "kpi_label", "moved", "beyond_noise", "overdue"]
        )
    scored = card.set_index("kpi")
    rows = []
    for a in actions.itertuples(index=False):
        row = a._asdict()
        if a.kpi in scored.index:
            s = scored.loc[a.kpi]
            change = s["change"]
            if not np.isfinite(change):
                moved = "no data"
            elif change == 0:
                moved = "unchanged"
            else:
                moved = "desired" if (change > 0) == (s["direction"] == "higher") else "wrong way"
            row.update(
                kpi_label=s.get("label", a.kpi),
                value=s["value"],
                previous=s["previous"],
                change=change,
                unit=s.get("unit", ""),
                kpi_status=s["status"],
                moved=moved,
                beyond_noise=s["significant"],
            )
        else:
            row.update(
                kpi_label=a.kpi,
                value=np.nan,
                previous=np.nan,
                change=np.nan,
                unit="",
                kpi_status="grey",
                moved="unknown KPI",
                beyond_noise=pd.NA,
            )
        row["overdue"] = bool(a.due < p.end and a.status not in DONE)
        rows.append(row)
    return pd.DataFrame(rows)


def _moved(moved: str, lang: str) -> str:
    """How an action's KPI moved (desired, wrong way ...) for people; unknown values as given."""
    return t_or(f"review.scorecard.moved.{moved}", lang, moved)


def register_table(register: pd.DataFrame, lang: str = "en", currency: str = "") -> pd.DataFrame:
    """The action register for people: KPI values formatted in their unit, movement and overdue.

    Examples
    --------
    >>> from datetime import date
    >>> reg = pd.DataFrame({"issue": ["i"], "action": ["a"], "owner": ["o"], "due": [date(2025, 11, 1)],
    ...     "status": ["open"], "kpi_label": ["NPS"], "previous": [25.0], "value": [20.0], "unit": ["points"],
    ...     "moved": ["wrong way"], "beyond_noise": [False], "overdue": [True]})
    >>> register_table(reg).iloc[0].to_dict()["KPI: previous → now"]
    'NPS: 25.0 → 20.0'
    """
    if register.empty:
        return pd.DataFrame()
    col = {
        k: t(f"review.scorecard.register.col.{k}", lang)
        for k in ("issue", "action", "owner", "due", "status", "kpi", "moved", "overdue")
    }
    rows = []
    for r in register.itertuples(index=False):
        unit = getattr(r, "unit", "") or ""
        moved = _moved(r.moved, lang)
        if pd.notna(r.beyond_noise) and bool(r.beyond_noise):
            moved += t("review.scorecard.moved.beyond_noise", lang)
        rows.append(
            {
                col["issue"]: Quoted(r.issue),
                col["action"]: Quoted(r.action),
                col["owner"]: Quoted(r.owner),
                col["due"]: str(r.due),
                col["status"]: value_label(r.status, lang),
                col["kpi"]: (
                    f"{r.kpi_label}: {_fmt(r.previous, unit, currency)} → {_fmt(r.value, unit, currency)}"
                ),
                col["moved"]: moved,
                col["overdue"]: t("review.scorecard.register.yes", lang) if r.overdue else "",
            }
        )
    return pd.DataFrame(rows)


def action_sentences(register: pd.DataFrame, lang: str = "en") -> list[str]:
    """How the actions did: KPIs moved the desired way or not, and the overdue ones.

    Examples
    --------
    >>> from datetime import date
    >>> reg = pd.DataFrame({"issue": ["i"], "owner": ["o"], "due": [date(2025, 11, 1)], "status": ["open"],
    ...     "kpi_label": ["NPS"], "moved": ["wrong way"], "beyond_noise": [False], "overdue": [True]})
    >>> action_sentences(reg)
    ['0 of 1 actions saw their KPI move the desired way; 1 did not: i (NPS).', 'Overdue: i (o, due 2025-11-01, open).']
    """
    if register.empty:
        return [t("review.scorecard.actions.none", lang)]
    good = register[register["moved"] == "desired"]
    bad = register[register["moved"] != "desired"]
    sep = t("punct.list", lang)
    real = (
        t("review.scorecard.actions.real", lang, n=int(_true(good["beyond_noise"]).sum()))
        if len(good)
        else ""
    )
    missed = (
        t(
            "review.scorecard.actions.bad",
            lang,
            n=len(bad),
            items=sep.join(
                t(
                    "review.scorecard.actions.bad_item",
                    lang,
                    issue=r.issue,
                    issue_html=quoted_html(r.issue, lang),
                    kpi=r.kpi_label,
                )
                for r in bad.itertuples()
            ),
        )
        if len(bad)
        else ""
    )
    out = [
        t(
            "review.scorecard.actions.moved",
            lang,
            good=len(good),
            n=len(register),
            real=real,
            bad=missed,
        )
    ]
    overdue = register[register["overdue"]]
    if len(overdue):
        items = sep.join(
            t(
                "review.scorecard.actions.overdue_item",
                lang,
                issue=r.issue,
                issue_html=quoted_html(r.issue, lang),
                owner=r.owner,
                owner_html=quoted_html(r.owner, lang),
                due=r.due,
                status=r.status,
                status_label=value_label(r.status, lang),
            )
            for r in overdue.itertuples()
        )
        out.append(t("review.scorecard.actions.overdue", lang, items=items))
    else:
        out.append(t("review.scorecard.actions.none_overdue", lang))
    return out


def lessons_learned(
    card: pd.DataFrame, register: pd.DataFrame | None = None, lang: str = "en"
) -> list[str]:
    """One lesson per red KPI: the gap to target, and what the register did (or did not) do about it.

    Examples
    --------
    >>> card = pd.DataFrame({"kpi": ["nps"], "label": ["NPS"], "status": ["red"], "value": [20.0],
    ...     "target": [30.0], "unit": ["points"], "previous": [25.0], "change": [-5.0], "significant": [False]})
    >>> lessons_learned(card)[0]
    'NPS is 20.0 against a target of 30.0 (previous 25.0; the change could be noise). No action in the register addresses it: add one with an owner and a due date for the next cycle.'
    """
    reds = card[card["status"] == "red"]
    if reds.empty:
        return [t("review.scorecard.lessons.none", lang)]
    out = []
    for r in reds.itertuples():
        noise = t(
            "review.scorecard.lessons.real"
            if (pd.notna(r.significant) and bool(r.significant))
            else "review.scorecard.lessons.noise",
            lang,
        )
        head = t(
            "review.scorecard.lessons.head",
            lang,
            label=r.label,
            value=_fmt(r.value, r.unit),
            target=_fmt(r.target, r.unit),
            previous=_fmt(r.previous, r.unit),
            noise=noise,
        )
        acts = (
            register[register["kpi"] == r.kpi]
            if register is not None and len(register)
            else pd.DataFrame()
        )
        if acts.empty:
            tail = t("review.scorecard.lessons.no_action", lang)
        else:
            items = []
            for a in acts.itertuples():
                state = value_label(a.status, lang) + (
                    t("review.scorecard.lessons.overdue", lang) if a.overdue else ""
                )
                action = quoted_html(a.action, lang)
                items.append(t("review.scorecard.lessons.action", lang, action=action, state=state))
            joined = t("review.scorecard.lessons.action_sep", lang).join(items)
            done = acts["status"].isin(DONE).any()
            tail = t(
                "review.scorecard.lessons.done" if done else "review.scorecard.lessons.open",
                lang,
                joined=joined,
            )
        out.append(paragraph((head, tail), lang))
    return out


# --------------------------------------------------------------------------- headline numbers


def glue_values(
    card: pd.DataFrame,
    *,
    channels: pd.DataFrame | None = None,
    items: Sequence[dict] = (),
) -> Headlines:
    """The review's headline numbers for ``nb.glue`` (plain Python types).

    Keys: ``review_n_green, review_n_amber, review_n_red, review_active_customers,
    review_revenue, review_churn_rate, review_nps, review_top_finding, review_best_channel``.

    Examples
    --------
    >>> card = pd.DataFrame({"kpi": ["active_customers", "revenue"], "value": [10.0, 99.5], "status": ["green", "grey"]})
    >>> v = glue_values(card)
    >>> v["review_n_green"], v["review_active_customers"], v["review_revenue"], v["review_best_channel"]
    (1, 10, 99.5, '–')
    """
    values = card.set_index("kpi")["value"]
    counts = card["status"].value_counts()

    def get(name: str) -> float:
        v = values.get(name, np.nan)
        return float(v) if pd.notna(v) else float("nan")

    best = "–"
    if channels is not None and len(channels):
        from custops.review.funnels import best_channel

        best = best_channel(channels).get("channel", "–")
    active = get("active_customers")
    return Headlines(
        [
            Headline("review_n_green", int(counts.get("green", 0)), "count"),
            Headline("review_n_amber", int(counts.get("amber", 0)), "count"),
            Headline("review_n_red", int(counts.get("red", 0)), "count"),
            Headline("review_active_customers", int(active) if np.isfinite(active) else 0, "count"),
            Headline("review_revenue", round(get("revenue"), 2), "money"),
            Headline("review_churn_rate", round(get("churn_rate"), 4), "share"),
            Headline("review_nps", round(get("nps"), 1), "score"),
            Headline("review_top_finding", items[0]["text"] if items else "–", "text"),
            Headline("review_best_channel", best, "label"),
        ]
    )
