"""Monthly KPI monitoring: control limits that flag real shifts and stay quiet otherwise.

Monthly KPIs (activation of new members, repurchase, churn, NPS, first response time,
conversion per touch channel) are computed from the clean tables and checked against limits
estimated on the months *before* the reporting period (the baseline, up to 24 months):

* rates (``kind == "rate"``) use **Laney p′** limits: the binomial standard error of each
  month is widened (or narrowed) by ``sigma_z``, the moving-range spread of the baseline
  z-scores, so large denominators with extra-binomial month-to-month variation do not flag
  every month (a plain p chart would);
* values (``kind == "value"``: NPS points, median first response hours) use **XmR**
  (individuals) limits: centre ± 3 · MR̄ / 1.128.

Each month then has a standardised deviation ``u`` (in sigmas of its own limits). Four rules
run on the monitored months of the period:

* ``beyond_3sigma``: |u| > 3 (the control limit);
* ``2_of_3_beyond_2sigma``: two of the last three months beyond 2σ on the same side
  (Western Electric rule 2, for sustained shifts);
* ``3_in_a_row_beyond_1.5sigma``: three consecutive months beyond 1.5σ on the same side (a
  quarter-long shift of moderate size, e.g. the demo's 15-point NPS dip, about 2σ a month);
* ``ewma``: an EWMA of u (λ = 0.2) beyond its 3σ limit (small sustained drifts).

With at least 24 baseline months, a month-of-year seasonal index (multiplicative for rates,
additive for values) is estimated and used when a one-way ANOVA of the baseline by calendar
month gives p < 0.01 (``seasonal="auto"``); otherwise two years of noise would be mistaken
for seasonality.

A single-month 10% drop is often only a 2σ event: the table says, per KPI, how many sigmas a
10% change is (``sigma_of_10pct``), and the findings say so rather than over-alert. On stable
simulated series the rules together raise a false alarm in about 1% of series per
three monitored months (``tests/test_alerts.py`` measures it on 300 series; 0.9% on 3,000),
because σ and the centre estimated from 24 baseline months are uncertain and the limits are
widened for it (:func:`limit_factor`, 1.23 for 24 months). Without that widening the rate was
4.0%. With nine KPIs monitored, expect a false alarm somewhere about one quarter in twelve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.arrays import distinct_code_days
from custops.core.config import Period
from custops.core.errors import CustopsError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines, Result
from custops.report.labels import value_label
from custops.report.text import join_names, paragraph, t

__all__ = [
    "alerts_headlines",
    "KPI_LABELS",
    "monthly_kpis",
    "control_limits",
    "alerts_table",
    "alerts_findings",
    "control_panels",
    "plot_control_charts",
    "control_takeaway",
    "MonitorResult",
    "monitor",
    "limit_factor",
    "sensitivity_table",
]

#: kpi -> (kind, better direction); the readable names are the catalog's
#: ``review.alerts.kpi.<kpi>``
KPI_LABELS: dict[str, tuple[str, str]] = {
    "activation_rate": ("rate", "higher"),
    "repurchase_rate": ("rate", "higher"),
    "churn_rate": ("rate", "lower"),
    "nps": ("value", "higher"),
    "first_response_hours": ("value", "lower"),
}
_MR_D2 = 1.128
_EWMA_LAMBDA = 0.2
_EWMA_L = 3.0


def _rules(fired: str, lang: str) -> str:
    """The fired rules (``beyond_3sigma;ewma``) as a reader says them.

    Examples
    --------
    >>> _rules("beyond_3sigma;ewma", "en"), _rules("beyond_3sigma", "zh")
    ('beyond 3σ, EWMA drift', '超出 3σ')
    """
    return t("punct.list", lang).join(value_label(r, lang) for r in str(fired).split(";"))


def _label(kpi: str, lang: str) -> str:
    if kpi.startswith("conversion_"):
        return t("review.alerts.kpi.conversion", lang, channel=kpi.removeprefix("conversion_"))
    if kpi not in KPI_LABELS:
        return kpi
    return t(f"review.alerts.kpi.{kpi}", lang)


def _kind_direction(kpi: str) -> tuple[str, str]:
    if kpi.startswith("conversion_"):
        return "rate", "higher"
    spec = KPI_LABELS[kpi]
    return spec[0], spec[1]


def _months(first: pd.Timestamp, last: pd.Timestamp) -> pd.PeriodIndex:
    return pd.period_range(first.to_period("M"), last.to_period("M"), freq="M")


def _rate_rows(kpi: str, months: pd.PeriodIndex, num: pd.Series, den: pd.Series) -> pd.DataFrame:
    den = den.reindex(months, fill_value=0)
    num = num.reindex(months, fill_value=0)
    ok = den > 0
    return pd.DataFrame(
        {
            "kpi": kpi,
            "month": months[ok].astype(str),
            "numerator": num[ok].to_numpy(dtype=float),
            "denominator": den[ok].to_numpy(dtype=float),
            "value": (num[ok] / den[ok]).to_numpy(dtype=float),
        }
    )


_NONE = np.iinfo(np.int64).max


def _order_arrays(orders: pd.DataFrame, end: pd.Timestamp, index: OrderIndex | None) -> dict:
    """Order lines before ``end`` with a customer and a date, on the shared customer codes."""
    ix = order_index_of(orders, index)
    codes, labels = ix.codes, ix.labels
    when = orders["order_date"].to_numpy()
    keep = (codes >= 0) & (orders["order_date"] < end).to_numpy()
    return {"code": codes[keep], "when": when[keep], "labels": labels, "index": ix}


def _month_series(counts: np.ndarray, months: pd.PeriodIndex) -> pd.Series:
    """Counts per month offset from ``months[0]`` as a Series on a monthly PeriodIndex."""
    index = pd.period_range(months[0], periods=len(counts), freq="M")
    return pd.Series(counts, index=index)


def _repurchase_rows(code: np.ndarray, when: np.ndarray, months: pd.PeriodIndex) -> pd.DataFrame:
    """Buyers of month m-1 who buy in m, from distinct (customer, month) keys."""
    k = len(months) + 1
    month = when.astype("datetime64[M]").astype(np.int64) - months[0].ordinal
    pairs = np.unique(code * k + month)
    pm = pairs % k
    pos = np.searchsorted(pairs, pairs + 1)
    again = pos < len(pairs)
    again[again] = pairs[pos[again]] == pairs[again] + 1
    return _rate_rows(
        "repurchase_rate",
        months[1:],
        _month_series(np.bincount(pm[again] + 1, minlength=k + 1), months),
        _month_series(np.bincount(pm + 1, minlength=k + 1), months),
    )


def _churn_rows(
    code: np.ndarray,
    when: np.ndarray,
    months: pd.PeriodIndex,
    end: pd.Timestamp,
    inactivity_days: int,
) -> pd.DataFrame:
    """Monthly churn: ``last order + W`` falls in the month with no order in between, over
    the customers whose last order before the month start is at most W days old."""
    c, day = distinct_code_days(code, when.astype("datetime64[D]"))
    day_n = day.astype(np.int64)
    same = np.append(c[1:] == c[:-1], False)
    has_next = same.copy()
    next_day = np.append(day_n[1:], 0)
    churn_day = day_n + inactivity_days
    end_day = np.datetime64(end.to_datetime64(), "ns")
    churns = (~has_next | (next_day > churn_day)) & (churn_day.astype("datetime64[D]") < end_day)
    churn_month = churn_day[churns].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    num = _month_series(np.bincount(churn_month - months[0].ordinal, minlength=len(months)), months)
    # alive at the start s of m: the last order day d before s (next order on or after s)
    # has s <= d + W; so each distinct day counts for the month starts in (d, min(next, d+W)]
    starts = months.start_time.to_numpy().astype("datetime64[D]").astype(np.int64)
    upper = np.where(has_next, np.minimum(next_day, churn_day), churn_day)
    lo = np.searchsorted(starts, day_n, side="right")
    hi = np.searchsorted(starts, upper, side="right")
    size = len(months) + 1
    den = np.cumsum(np.bincount(lo, minlength=size) - np.bincount(hi, minlength=size))
    den = pd.Series(den[: len(months)], index=months)
    return _rate_rows("churn_rate", months, num, den)


def monthly_kpis(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    *,
    inactivity_days: int = 180,
    activation_days: int = 30,
    min_n: int = 20,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Monthly KPIs from the clean tables, up to the end of ``period``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Clean canonical tables; ``orders`` is required, ``customers``, ``surveys``,
        ``tickets`` and ``touches`` add their KPIs when present.
    period : Period or str
        Reporting period; later data are ignored.
    inactivity_days : int
        Churn window W: a customer churns in the month in which ``last order + W`` falls
        without a new order. Denominator: customers alive at the month start.
    activation_days : int
        New members of month m are activated when they order within this many days of signup;
        months whose window is not complete by the period end are left out.
    min_n : int
        Months with fewer observations (surveys, tickets, touches) are left out.

    Returns
    -------
    DataFrame
        ``kpi, month ("YYYY-MM"), numerator, denominator, value, n, kind, direction``;
        for values ``numerator`` is NaN and ``denominator``/``n`` is the number of
        observations. Repurchase in month m = share of month m−1's buyers who buy in m.
        First response time is the geometric mean of hours (the distribution is skewed and
        bimodal, so a monthly median jumps between the modes).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": list("aabbc"), "order_id": list("12345"),
    ...     "order_date": pd.to_datetime(["2025-01-05", "2025-02-03", "2025-01-09",
    ...                                   "2025-03-01", "2025-02-11"]), "amount": 1.0})
    >>> k = monthly_kpis({"orders": o}, "2025Q1", min_n=1)
    >>> k[k.kpi == "repurchase_rate"][["month", "numerator", "denominator"]].values.tolist()
    [['2025-02', 1.0, 2.0], ['2025-03', 0.0, 2.0]]
    """
    period = Period.parse(period)
    end = pd.Timestamp(period.end_exclusive)
    if "orders" not in tables:
        raise CustopsError(
            "Monthly KPIs need the orders table.",
            fix="Add an `orders` source to the configuration.",
        )
    o = _order_arrays(tables["orders"], end, index)
    if not len(o["code"]):
        raise CustopsError(f"No orders before the end of {period.label}.")
    months = _months(pd.Timestamp(o["when"].min()), end - pd.Timedelta(days=1))
    frames = [
        _repurchase_rows(o["code"], o["when"], months),
        _churn_rows(o["code"], o["when"], months, end, inactivity_days),
    ]

    customers = tables.get("customers")
    if customers is not None and "signup_date" in customers:
        c = customers[["customer_id", "signup_date"]].dropna()
        c = c[c["signup_date"] + pd.Timedelta(days=activation_days) < end]
        first = np.full(len(o["labels"]), _NONE, dtype=np.int64)
        np.minimum.at(first, o["code"], o["when"].astype(np.int64))
        code = o["index"].codes_of(c["customer_id"])
        f_int = np.where(code >= 0, first[code], _NONE)
        f = pd.Series(
            np.where(f_int == _NONE, np.iinfo(np.int64).min, f_int).view(o["when"].dtype),
            index=c.index,
        )
        active = (f.notna()) & (f <= c["signup_date"] + pd.Timedelta(days=activation_days))
        sm = c["signup_date"].dt.to_period("M")
        complete = months[months.end_time + pd.Timedelta(days=activation_days) < end]
        frames.append(
            _rate_rows(
                "activation_rate",
                complete,
                active.groupby(sm).sum(),
                sm.value_counts(),
            )
        )

    value_rows = []
    surveys = tables.get("surveys")
    if surveys is not None and {"responded_at", "score"} <= set(surveys.columns):
        s = surveys[(surveys["responded_at"] < end) & surveys["score"].notna()]
        g = s.groupby(s["responded_at"].dt.to_period("M"))["score"]
        nps = 100 * (g.apply(lambda x: (x >= 9).mean() - (x <= 6).mean()))
        value_rows.append(("nps", nps, g.size()))
    tickets = tables.get("tickets")
    if tickets is not None and "first_response_at" in tickets:
        t = tickets[(tickets["created_at"] < end) & tickets["first_response_at"].notna()]
        hours = (t["first_response_at"] - t["created_at"]).dt.total_seconds() / 3600
        logh = np.log(hours.clip(lower=1 / 60))
        g = logh.groupby(t["created_at"].dt.to_period("M"))
        value_rows.append(("first_response_hours", np.exp(g.mean()), g.size()))
    for kpi, value, n in value_rows:
        keep = n[n >= min_n].index
        frames.append(
            pd.DataFrame(
                {
                    "kpi": kpi,
                    "month": keep.astype(str),
                    "numerator": np.nan,
                    "denominator": n[keep].to_numpy(dtype=float),
                    "value": value[keep].to_numpy(dtype=float),
                }
            )
        )

    touches = tables.get("touches")
    if touches is not None and {"channel", "converted"} <= set(touches.columns):
        t = touches[touches["sent_at"] < end]
        tm = t["sent_at"].dt.to_period("M")
        conv = t["converted"].fillna(False).astype(bool)
        for ch in sorted(t["channel"].dropna().unique()):
            sel = t["channel"].eq(ch)
            den_ch = sel.groupby(tm).sum()
            num_ch = (conv & sel).groupby(tm).sum()
            den_ch = den_ch[den_ch >= min_n]
            frames.append(_rate_rows(f"conversion_{ch}", den_ch.index, num_ch, den_ch))

    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    out = out[out["denominator"] >= min_n].copy()
    out["n"] = out["denominator"].astype(int)
    kinds = out["kpi"].map(lambda k: _kind_direction(k))
    out["kind"] = kinds.str[0]
    out["direction"] = kinds.str[1]
    return out.sort_values(["kpi", "month"], ignore_index=True)


# --------------------------------------------------------------------------- limits


def _seasonal(base: pd.DataFrame, kind: str, mode: str) -> pd.Series | None:
    """Month-of-year index from the baseline, or None when not used."""
    if mode == "off" or len(base) < 24:
        return None
    moy = base["month"].str[-2:]
    if moy.value_counts().min() < 2 or moy.nunique() < 12:
        return None
    if mode == "auto":
        groups = [g.to_numpy() for _, g in base["value"].groupby(moy)]
        if stats.f_oneway(*groups).pvalue >= 0.01:
            return None
    means = base["value"].groupby(moy).mean()
    if kind == "rate":
        centre = base["numerator"].sum() / base["denominator"].sum()
        return means / means.mean() if centre > 0 else None
    return means - means.mean()


def limit_factor(n_baseline: int) -> float:
    """Factor that widens 3σ limits for a σ and centre estimated from ``n_baseline`` months.

    σ from the average moving range has about 0.62 (n − 1) degrees of freedom; the factor is
    t(0.99865, df) · √(1 + 1/n) / 3, so a stable month crosses the limit with the nominal
    0.27% chance instead of about three times as often with 24 months of history.

    Examples
    --------
    >>> round(limit_factor(24), 2), round(limit_factor(1000), 2)
    (1.23, 1.0)
    """
    df = max(0.62 * (n_baseline - 1), 1.0)
    return float(stats.t.ppf(0.99865, df) * np.sqrt(1 + 1 / n_baseline) / 3)


def _ewma(
    u: np.ndarray, lam: float = _EWMA_LAMBDA, width: float = _EWMA_L
) -> tuple[np.ndarray, np.ndarray]:
    z = np.zeros(len(u))
    prev = 0.0
    for i, x in enumerate(u):
        prev = lam * x + (1 - lam) * prev
        z[i] = prev
    t = np.arange(1, len(u) + 1)
    lim = width * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    return z, lim


def control_limits(
    series: pd.DataFrame,
    monitor_months: Sequence[str],
    *,
    baseline_months: int = 24,
    min_baseline: int = 8,
    seasonal: str = "auto",
    widen: bool = True,
) -> pd.DataFrame:
    """Limits, standardised deviations and fired rules for one KPI's monthly series.

    Parameters
    ----------
    series : DataFrame
        One KPI from :func:`monthly_kpis` (``month, value, numerator, denominator, kind``).
    monitor_months : sequence of str
        Months checked against the limits (``"2025-10"`` ...); the baseline is the up to
        ``baseline_months`` months before the first of them.
    baseline_months, min_baseline : int
        Length of the baseline; with fewer than ``min_baseline`` months nothing is flagged.
    seasonal : {"auto", "on", "off"}
        Month-of-year index (needs 24 baseline months; "auto" uses it only when an ANOVA by
        calendar month gives p < 0.01).
    widen : bool
        Widen the limits by :func:`limit_factor` for the estimation error of a short baseline
        (all rules then work on ``u / limit_factor``).

    Returns
    -------
    DataFrame
        The baseline and monitored months with ``centre, lower, upper, sigma, u, ewma,
        ewma_limit, monitored, seasonal, rules`` (``rules``: ``;``-joined names that fired).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> months = pd.period_range("2023-01", "2025-03", freq="M").astype(str)
    >>> s = pd.DataFrame({"month": months, "value": rng.normal(50, 2, len(months)),
    ...     "numerator": np.nan, "denominator": 100.0, "kind": "value"})
    >>> s.loc[s.index[-1], "value"] = 30
    >>> control_limits(s, ["2025-01", "2025-02", "2025-03"])["rules"].iloc[-1]
    'beyond_3sigma;ewma'
    """
    s = series.sort_values("month").reset_index(drop=True)
    kind = str(s["kind"].iloc[0])
    first_mon = min(monitor_months)
    last_mon = max(monitor_months)
    base = s[s["month"] < first_mon].tail(baseline_months).copy()
    mon = s[(s["month"] >= first_mon) & (s["month"] <= last_mon)].copy()
    frame = pd.concat([base.assign(monitored=False), mon.assign(monitored=True)], ignore_index=True)
    for col in ("centre", "lower", "upper", "sigma", "u", "ewma", "ewma_limit"):
        frame[col] = np.nan
    frame["seasonal"] = False
    frame["rules"] = ""
    # a rate with no events (or only events) in the baseline has no variation to set limits
    # from: its clipped centre would turn a month at 0 into a "25-sigma" drop
    degenerate = kind == "rate" and (
        base["numerator"].sum() <= 0 or base["numerator"].sum() >= base["denominator"].sum()
    )
    if len(base) < min_baseline or frame.empty or degenerate:
        frame["rules"] = np.where(frame["monitored"], "insufficient_history", "")
        return frame
    index = _seasonal(base, kind, seasonal)
    # with k baseline months per calendar month, residuals around the seasonal means have
    # variance (1 - 1/k) sigma^2 and a new month deviates with (1 + 1/k) sigma^2
    k = base["month"].str[-2:].value_counts().min() if index is not None else 0
    inflate = float(np.sqrt((1 + 1 / k) / (1 - 1 / k))) if k >= 2 else 1.0
    moy = frame["month"].str[-2:]
    if kind == "rate":
        pbar = base["numerator"].sum() / base["denominator"].sum()
        factor = moy.map(index).to_numpy(dtype=float) if index is not None else 1.0
        centre = np.clip(pbar * factor, 1e-9, 1 - 1e-9)
        se = np.sqrt(centre * (1 - centre) / frame["denominator"].to_numpy(dtype=float))
        z = (frame["value"].to_numpy(dtype=float) - centre) / se
        zb = z[: len(base)]
        sigma_z = np.mean(np.abs(np.diff(zb))) / _MR_D2 if len(zb) > 1 else 1.0
        sigma_z *= inflate
        sigma = se * sigma_z
    else:
        xbar = base["value"].mean()
        offset = moy.map(index).to_numpy(dtype=float) if index is not None else 0.0
        centre = xbar + offset
        resid = (
            base["value"].to_numpy(dtype=float) - np.asarray(centre)[: len(base)]
            if index is not None
            else base["value"].to_numpy(dtype=float)
        )
        sig = np.mean(np.abs(np.diff(resid))) / _MR_D2 * inflate
        sigma = np.full(len(frame), sig)
    centre = np.broadcast_to(centre, (len(frame),)).astype(float)
    sigma = np.where(sigma > 0, sigma, np.nan)
    u = (frame["value"].to_numpy(dtype=float) - centre) / sigma
    f = limit_factor(len(base)) if widen else 1.0
    frame["centre"] = centre
    frame["sigma"] = sigma
    frame["limit_factor"] = f
    frame["lower"] = centre - 3 * f * sigma
    frame["upper"] = centre + 3 * f * sigma
    if kind == "rate":
        frame["lower"] = frame["lower"].clip(lower=0.0)
        frame["upper"] = frame["upper"].clip(upper=1.0)
    frame["u"] = u
    ua = np.nan_to_num(u) / f
    ew, lim = _ewma(ua)
    frame["ewma"] = ew
    frame["ewma_limit"] = lim
    frame["seasonal"] = index is not None
    rules = []
    for i in range(len(frame)):
        fired = []
        if frame["monitored"].iat[i] and np.isfinite(u[i]):
            if abs(ua[i]) > 3:
                fired.append("beyond_3sigma")
            window = ua[max(0, i - 2) : i + 1]
            side = np.sign(ua[i])
            if abs(ua[i]) > 2 and np.sum((np.abs(window) > 2) & (np.sign(window) == side)) >= 2:
                fired.append("2_of_3_beyond_2sigma")
            run = ua[i - 2 : i + 1] if i >= 2 else np.array([])
            if len(run) == 3 and (np.all(run > 1.5) or np.all(run < -1.5)):
                fired.append("3_in_a_row_beyond_1.5sigma")
            if abs(ew[i]) > lim[i]:
                fired.append("ewma")
        rules.append(";".join(fired))
    frame["rules"] = rules
    return frame


@dataclass
class MonitorResult(Result):
    """Control charts of every KPI and the alerts that fired."""

    chart: pd.DataFrame
    alerts: pd.DataFrame
    period: str

    @property
    def summary(self) -> pd.DataFrame:
        """The alerts that fired."""
        return self.alerts

    def headlines(self) -> Headlines:
        """KPIs that alerted for the worse (:func:`alerts_headlines`)."""
        return alerts_headlines(self)


def monitor(
    kpis: pd.DataFrame,
    period: Period | str,
    *,
    baseline_months: int = 24,
    seasonal: str = "auto",
) -> MonitorResult:
    """Run :func:`control_limits` for every KPI on the months of ``period``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> months = pd.period_range("2023-01", "2025-12", freq="M").astype(str)
    >>> k = pd.DataFrame({"kpi": "nps", "month": months, "value": rng.normal(40, 3, 36),
    ...     "numerator": np.nan, "denominator": 200.0, "kind": "value", "direction": "higher"})
    >>> monitor(k, "2025Q4").alerts.empty
    True
    """
    period = Period.parse(period)
    months = [pd.Timestamp(d).strftime("%Y-%m") for d in period.month_starts()]
    charts = []
    for kpi, series in kpis.groupby("kpi", sort=True):
        c = control_limits(series, months, baseline_months=baseline_months, seasonal=seasonal)
        c["kpi"] = kpi
        c["direction"] = series["direction"].iloc[0] if "direction" in series else "higher"
        charts.append(c)
    chart = pd.concat(charts, ignore_index=True) if charts else pd.DataFrame()
    return MonitorResult(chart=chart, alerts=alerts_table(chart), period=period.label)


def alerts_table(chart: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """One row per monitored KPI-month where a rule fired.

    Returns
    -------
    DataFrame
        ``kpi, label, month, value, expected, lower, upper, sigmas, change, rule`` where
        ``change`` is ``worse``/``better`` given the KPI's better direction.

    Examples
    --------
    >>> alerts_table(pd.DataFrame(columns=["kpi", "month", "value", "centre", "lower", "upper",
    ...     "u", "rules", "monitored", "direction"])).empty
    True
    """
    cols = [
        "kpi",
        "label",
        "month",
        "value",
        "expected",
        "lower",
        "upper",
        "sigmas",
        "change",
        "rule",
    ]
    if chart.empty:
        return pd.DataFrame(columns=cols)
    hit = chart[
        chart["monitored"].astype(bool)
        & chart["rules"].ne("")
        & chart["rules"].ne("insufficient_history")
    ]
    if hit.empty:
        return pd.DataFrame(columns=cols)
    worse = np.where(hit["direction"].eq("higher"), hit["u"] < 0, hit["u"] > 0)
    out = pd.DataFrame(
        {
            "kpi": hit["kpi"],
            "label": hit["kpi"].map(lambda k: _label(k, lang)),
            "month": hit["month"],
            "value": hit["value"],
            "expected": hit["centre"],
            "lower": hit["lower"],
            "upper": hit["upper"],
            "sigmas": hit["u"].round(1),
            "change": np.where(worse, "worse", "better"),
            "rule": hit["rules"],
        }
    )
    return out.sort_values(
        ["change", "kpi", "month"], ascending=[False, True, True], ignore_index=True
    )


def sensitivity_table(chart: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """How many sigmas a single-month 10% change is, per KPI (last monitored month).

    Examples
    --------
    >>> c = pd.DataFrame({"kpi": ["nps"], "monitored": [True], "centre": [40.0], "sigma": [4.0]})
    >>> sensitivity_table(c)["sigma_of_10pct"].tolist()
    [1.0]
    """
    last = chart[chart["monitored"].astype(bool)].groupby("kpi").tail(1)
    out = pd.DataFrame(
        {
            "kpi": last["kpi"],
            "label": last["kpi"].map(lambda k: _label(k, lang)),
            "expected": last["centre"],
            "sigma": last["sigma"],
            "sigma_of_10pct": (0.1 * last["centre"].abs() / last["sigma"]).round(1),
        }
    )
    return out.reset_index(drop=True)


def alerts_findings(result: MonitorResult, lang: str = "en") -> str:
    """Plain-language summary of the alerts (en or zh), with the 10%-drop caveat.

    Examples
    --------
    >>> r = MonitorResult(pd.DataFrame({"kpi": ["nps"], "monitored": [True], "centre": [40.0],
    ...     "sigma": [4.0]}), alerts_table(pd.DataFrame()), "2025Q4")
    >>> "no alert fired" in alerts_findings(r)
    True
    """
    alerts = result.alerts
    sens = sensitivity_table(result.chart, lang) if not result.chart.empty else pd.DataFrame()
    weak = sens[sens["sigma_of_10pct"] < 3] if len(sens) else sens
    n_kpi = result.chart["kpi"].nunique() if len(result.chart) else 0
    worse = alerts[alerts["change"].eq("worse")] if len(alerts) else alerts
    parts = []
    if alerts.empty:
        parts.append(t("review.alerts.none_fired", lang, n=n_kpi, period=result.period))
    else:
        items = t("review.alerts.item_sep", lang).join(
            t(
                "review.alerts.item",
                lang,
                label=_label(k, lang),
                months=", ".join(g["month"]),
                sigmas=f"{g['sigmas'].abs().max():.1f}",
                rules=_rules(g["rule"].iloc[-1], lang),
            )
            for k, g in worse.groupby("kpi")
        )
        parts.append(
            t(
                "review.alerts.fired",
                lang,
                period=result.period,
                n=alerts["kpi"].nunique(),
                items=items or t("review.alerts.none_worse", lang),
            )
        )
    if len(weak):
        parts.append(t("review.alerts.weak", lang, weak=len(weak), n=n_kpi))
    parts.append(t("review.alerts.false_alarm", lang))
    return paragraph(parts, lang)


def control_panels(result: MonitorResult, lang: str = "en") -> list[tuple[str, pd.DataFrame]]:
    """What :func:`plot_control_charts` draws: per KPI (sorted by key) its title and its
    months with ``value, centre, lower, upper, monitored`` and ``hit`` (a rule fired).

    Examples
    --------
    >>> chart = pd.DataFrame({"kpi": ["nps", "nps"], "month": ["2025-09", "2025-10"],
    ...     "value": [40.0, 20.0], "centre": 40.0, "lower": 30.0, "upper": 50.0,
    ...     "monitored": [False, True], "rules": ["", "beyond_3sigma"]})
    >>> [(title, c["hit"].tolist()) for title, c in control_panels(MonitorResult(chart, pd.DataFrame(), "2025Q4"))]
    [('NPS (points)', [False, True])]
    """
    chart = result.chart
    panels = []
    for kpi in sorted(chart["kpi"].unique()):
        c = chart[chart["kpi"].eq(kpi)].reset_index(drop=True)
        mon = c["monitored"].to_numpy(dtype=bool)
        hit = mon & c["rules"].ne("").to_numpy() & c["rules"].ne("insufficient_history").to_numpy()
        panel = c[["month", "value", "centre", "lower", "upper"]].assign(monitored=mon, hit=hit)
        panels.append((_label(kpi, lang), panel))
    return panels


def plot_control_charts(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    ncols: int = 3,
    axes: Sequence[Any] | None = None,
    takeaway: str | None = None,
) -> list[Any]:
    """Small-multiple control charts, one panel per KPI of :func:`control_panels`, into
    ``axes`` (one per panel) or a new figure with ``ncols`` columns; returns the Axes.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> months = pd.period_range("2023-01", "2025-12", freq="M").astype(str)
    >>> k = pd.DataFrame({"kpi": "nps", "month": months, "value": rng.normal(40, 3, 36),
    ...     "numerator": np.nan, "denominator": 200.0, "kind": "value", "direction": "higher"})
    >>> len(plot_control_charts(control_panels(monitor(k, "2025Q4"))))
    1
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    fig = None
    if axes is None:
        ncols = max(1, min(ncols, len(panels)))
        nrows = int(np.ceil(len(panels) / ncols))
        fig, grid = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 2.6 * nrows), squeeze=False)
        for ax in grid.ravel()[len(panels) :]:
            ax.remove()
        axes = grid.ravel()[: len(panels)]
    axes = list(axes)
    for ax, (title, c) in zip(axes, panels, strict=False):
        x = np.arange(len(c))
        ax.plot(x, c["value"], marker="o", ms=3, lw=1.2, color="#1f5c99")
        ax.plot(x, c["centre"], lw=0.9, color="#6b6b6b")
        ax.fill_between(x, c["lower"], c["upper"], step="mid", color="#9a9a9a", alpha=0.18, lw=0)
        mon = c["monitored"].to_numpy(dtype=bool)
        if mon.any():
            ax.axvspan(x[mon].min() - 0.5, x[mon].max() + 0.5, color="#e0a526", alpha=0.12, lw=0)
        hit = c["hit"].to_numpy(dtype=bool)
        ax.scatter(x[hit], c["value"][hit], color="#c8423b", zorder=5, s=28)
        ax.set_title(title, fontsize=9)
        step = max(1, len(c) // 4)
        ax.set_xticks(x[::step])
        ax.set_xticklabels(c["month"][::step], fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
    if fig is not None:
        fig.tight_layout()
    if axes:
        set_takeaway(axes[0], takeaway)
    return axes


def control_takeaway(result: MonitorResult, lang: str = "en") -> str:
    """One sentence on the control charts: which KPIs broke a control rule in the monitored
    months (a rule other than ``insufficient_history``).

    Examples
    --------
    >>> chart = pd.DataFrame({"kpi": ["nps", "nps", "csat"], "monitored": [False, True, True],
    ...     "rules": ["", "beyond_3sigma", ""]})
    >>> control_takeaway(MonitorResult(chart, pd.DataFrame(), "2025Q4"))
    '1 of the 2 monthly KPIs broke a control rule in the period: NPS (points).'
    """
    chart = result.chart
    kpis = sorted(chart["kpi"].unique()) if len(chart) else []
    if not kpis:
        return t("figure.no_data", lang)
    fired = (
        chart["monitored"].astype(bool)
        & chart["rules"].ne("")
        & chart["rules"].ne("insufficient_history")
    )
    hit = [k for k in kpis if fired[chart["kpi"].eq(k)].any()]
    if not hit:
        return t("figure.control_charts.none", lang, n=len(kpis))

    def name(kpi: str) -> str:
        if kpi.startswith("conversion_"):  # the channel as its label, not its raw key
            return _label("conversion_" + value_label(kpi.removeprefix("conversion_"), lang), lang)
        return _label(kpi, lang)

    return t(
        "figure.control_charts",
        lang,
        hit=len(hit),
        n=len(kpis),
        names=join_names([name(k) for k in hit], lang),
    )


def alerts_headlines(watch: MonitorResult) -> Headlines:
    """The glued headline number of the monthly KPI watch (the landing page quotes it).

    ``review_kpi_alerts_worse``: the alerts of :func:`monitor` whose change is for the worse.

    Examples
    --------
    >>> w = MonitorResult(pd.DataFrame(), pd.DataFrame({"change": ["worse", "better"]}), "2025Q4")
    >>> dict(alerts_headlines(w))
    {'review_kpi_alerts_worse': 1}
    """
    worse = int(watch.alerts["change"].eq("worse").sum())
    return Headlines([Headline("review_kpi_alerts_worse", worse, "count")])
