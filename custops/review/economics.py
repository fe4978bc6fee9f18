"""Unit economics: customer acquisition cost (CAC) next to customer lifetime value (CLV).

Definitions (stated in every output):

* **New customers** of a channel are the customers whose ``signup_date`` falls in the report
  period and whose ``acquisition_channel`` is that channel. Sign-up, not first order, is the
  acquisition event: the spend in ``costs.acquisition`` buys sign-ups, and a sign-up who has
  not bought yet is part of what the money bought. ``cost_per_buyer`` divides the same
  spend by the new customers who had ordered by the period end.
* **CAC** = ``costs.acquisition[channel]`` / new customers. It is a realised figure (spend
  and head count are known), so it carries no interval.
* **CLV of a new customer** = margin earned so far (``clv.margin`` × revenue up to the period
  end) + the expected margin of the next ``clv.horizon_months`` months, discounted, from
  notebook 03's ``churn_scores.parquet`` (column ``clv``: survival-weighted margin of active
  customers). Churned customers add no future margin, and sign-ups without an order count
  as 0 (the model cannot value them): the channel's mean CLV is a lower bound in that sense.
* The **95% interval** of the mean CLV is a percentile bootstrap over the channel's new
  customers (``seed`` from the config). It covers customer-to-customer variation, not the
  uncertainty of the churn model. The CLV/CAC interval is the CLV interval divided by CAC.

Channels without spend in the config keep their CLV; their CAC is "not given". A channel
named in the config that never occurs in the customer table is a configuration error
(usually a typo): :func:`check_channels` names it and lists the channels present.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from custops.core.config import Period, ReportConfig
from custops.core.errors import ConfigError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines, Result
from custops.report.text import t, t_or

__all__ = [
    "UNKNOWN_CHANNEL",
    "ALL_PAID",
    "UnitEconomics",
    "check_channels",
    "new_customer_value",
    "unit_economics",
    "economics_findings",
    "economics_headlines",
    "display_economics",
    "cac_clv_table",
    "plot_cac_clv",
]

#: label of new customers without an acquisition channel
UNKNOWN_CHANNEL = "(unknown)"
#: label of the total row over the channels with spend
ALL_PAID = "(channels with spend)"


def _norm(value: object) -> str:
    return str(value).strip().casefold()


def _spellings(channels: pd.Series) -> dict[str, str]:
    """Normalised channel -> its most common spelling in the data."""
    values = channels.dropna().astype(str)
    out: dict[str, str] = {}
    for value in values.value_counts().index:  # most common first
        out.setdefault(_norm(value), value)
    return out


def check_channels(spend: dict[str, float], channels: pd.Series) -> dict[str, float]:
    """Match the config's spend to the channel names in the data (case and spaces ignored).

    Parameters
    ----------
    spend : dict
        ``costs.acquisition``: channel -> spend.
    channels : Series
        ``acquisition_channel`` of all customers (every period).

    Returns
    -------
    dict
        Spend keyed by the data's spelling of each channel.

    Raises
    ------
    ConfigError
        Naming every configured channel that never occurs, the channels present and the
        closest match.

    Examples
    --------
    >>> check_channels({"Search_Ads ": 100.0}, pd.Series(["search_ads", "organic"]))
    {'search_ads': 100.0}
    >>> check_channels({"search_ad": 1.0}, pd.Series(["search_ads", "organic"]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custops.core.errors.ConfigError: costs.acquisition names a channel that no customer came from: 'search_ad' (did you mean 'search_ads'?).
    ...
    """
    present = _spellings(channels)
    out: dict[str, float] = {}
    unknown = []
    for name, amount in spend.items():
        key = _norm(name)
        if key in present:
            out[present[key]] = out.get(present[key], 0.0) + float(amount)
        else:
            unknown.append(name)
    if unknown:
        names = sorted(present.values())
        parts = []
        for name in unknown:
            close = difflib.get_close_matches(_norm(name), list(present), n=1, cutoff=0.6)
            hint = f" (did you mean {present[close[0]]!r}?)" if close else ""
            parts.append(f"{name!r}{hint}")
        raise ConfigError(
            "costs.acquisition names "
            + ("a channel" if len(unknown) == 1 else "channels")
            + " that no customer came from: "
            + ", ".join(parts)
            + ".",
            cause="A typo in the channel name, or the customers' `acquisition_channel` column is "
            f"mapped to a different field. Channels in the customer table: {names}.",
            fix="Spell the channel exactly as in the customer table (case does not matter), or "
            "remove it from `costs.acquisition`.",
        )
    return out


def new_customer_value(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    scores: pd.DataFrame | None,
    period: Period | str,
    *,
    margin: float,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """One row per customer who signed up in the period: channel, margin so far, expected margin.

    Parameters
    ----------
    customers, orders : DataFrame
        Clean tables.
    scores : DataFrame or None
        ``churn_scores.parquet`` (``customer_id, event, clv``); None when notebook 03 has
        not run (then ``expected_margin`` is NaN).
    period : Period or str
    margin : float
        ``clv.margin``: gross margin on revenue.

    Returns
    -------
    DataFrame
        ``customer_id, channel, signup_date, bought, revenue, margin_to_date,
        expected_margin, scored, clv``. ``scored`` is False for buyers missing from
        ``scores`` (their expected margin counts as 0).

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b", "z"], "acquisition_channel": ["x", "x", "x"],
    ...     "signup_date": pd.to_datetime(["2025-10-02", "2025-11-01", "2024-01-01"])})
    >>> o = pd.DataFrame({"order_id": ["1"], "customer_id": ["a"],
    ...     "order_date": pd.to_datetime(["2025-10-03"]), "amount": [100.0]})
    >>> s = pd.DataFrame({"customer_id": ["a"], "event": [0], "clv": [50.0]})
    >>> new_customer_value(c, o, s, "2025Q4", margin=0.3)[["customer_id", "margin_to_date", "clv"]].to_dict("list")
    {'customer_id': ['a', 'b'], 'margin_to_date': [30.0, 0.0], 'clv': [80.0, 0.0]}
    """
    period = Period.parse(period)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end_exclusive)
    new = customers[(customers["signup_date"] >= start) & (customers["signup_date"] < end)]
    channel = (
        new["acquisition_channel"].astype(object)
        if "acquisition_channel" in new
        else pd.Series(None, index=new.index, dtype=object)
    )
    spelling = (
        _spellings(customers["acquisition_channel"]) if "acquisition_channel" in customers else {}
    )
    channel = channel.map(lambda v: spelling.get(_norm(v), v) if isinstance(v, str) else v)
    out = pd.DataFrame(
        {
            "customer_id": new["customer_id"].to_numpy(),
            "channel": channel.where(channel.notna(), UNKNOWN_CHANNEL).to_numpy(),
            "signup_date": new["signup_date"].to_numpy(),
        }
    )
    # order lines of the new customers on the shared integer customer codes; the revenue is a
    # groupby sum over the same lines in the same order as a groupby on the ids
    ix = order_index_of(orders, index)
    codes, labels = ix.codes, ix.labels
    new_code = ix.codes_of(out["customer_id"])
    is_new = np.zeros(len(labels) + 1, dtype=bool)
    is_new[new_code + 1] = True
    is_new[0] = False  # no customer id / not an ordering customer
    lines = (orders["order_date"] < end).to_numpy() & is_new[codes + 1]
    revenue = pd.Series(orders["amount"].to_numpy()[lines]).groupby(codes[lines]).sum()
    out["bought"] = revenue.index.get_indexer(new_code) >= 0
    out["revenue"] = revenue.reindex(new_code).fillna(0.0).to_numpy(dtype=float)
    out["margin_to_date"] = out["revenue"] * margin
    if scores is None:
        out["expected_margin"] = np.nan
        out["scored"] = False
    else:
        s = scores.drop_duplicates("customer_id").set_index("customer_id")
        future = s["clv"].where(s["event"] == 0, 0.0).fillna(0.0)  # churned: no future margin
        out["scored"] = out["customer_id"].isin(s.index).to_numpy()
        out["expected_margin"] = out["customer_id"].map(future).fillna(0.0).astype(float)
    out["clv"] = out["margin_to_date"] + out["expected_margin"]
    return out


def _bootstrap_mean(
    values: np.ndarray, rng: np.random.Generator, n_boot: int, conf: float
) -> tuple[float, float]:
    if len(values) < 2:
        return float("nan"), float("nan")
    n = len(values)
    step = max(1, 4_000_000 // n)  # blocks of resamples: bounded memory, the same draws
    means = np.empty(n_boot)
    for start in range(0, n_boot, step):
        rows = min(step, n_boot - start)
        means[start : start + rows] = values[rng.integers(0, n, size=(rows, n))].mean(axis=1)
    tail = (1 - conf) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return float(low), float(high)


@dataclass
class UnitEconomics(Result):
    """Result of :func:`unit_economics`.

    Attributes
    ----------
    table : DataFrame
        One row per channel (then the total over channels with spend): ``channel, spend,
        new_customers, buyers, cac, cost_per_buyer, margin_to_date, expected_margin, clv,
        clv_low, clv_high, clv_to_cac, ratio_low, ratio_high, small, status``.
        ``status``: ``ok``, ``no spend given``, ``free`` (spend 0), ``no new customers``.
    customers : DataFrame
        :func:`new_customer_value` (one row per new customer; ids only, no personal data).
    has_clv : bool
        Whether notebook 03's scores were available.
    horizon_months : int
    n_unscored : int
        New buyers missing from the churn scores.
    notes : list of str
        Keys of conditions worth saying (``no_costs``, ``no_clv``, ``no_channel``).
    """

    table: pd.DataFrame
    customers: pd.DataFrame
    has_clv: bool
    horizon_months: int
    n_unscored: int = 0
    notes: list[str] = field(default_factory=list)
    period: str = ""
    min_n: int = 30

    def headlines(self) -> Headlines:
        """CAC, CLV:CAC with its interval, the best channel (:func:`economics_headlines`)."""
        return economics_headlines(self)

    def note(self, lang: str = "en") -> str:
        """Definitions and what is missing, as Markdown.

        Examples
        --------
        >>> r = UnitEconomics(pd.DataFrame(), pd.DataFrame(), False, 24, notes=["no_costs", "no_clv"])
        >>> print(r.note())  # doctest: +ELLIPSIS
        > **Definitions.** ...
        """
        parts = [
            t(
                "review.economics.note.definitions",
                lang,
                period=self.period,
                horizon=self.horizon_months,
            )
        ]
        for key in ("no_channel", "no_costs", "no_clv"):
            if key in self.notes:
                parts.append(t(f"review.economics.note.{key}", lang))
        if self.n_unscored:
            parts.append(t("review.economics.note.unscored", lang, n=f"{self.n_unscored:,}"))
        return "\n>\n".join(parts)


#: the columns of :attr:`UnitEconomics.table` (one row per acquisition channel)
ECONOMICS_COLUMNS = (
    "channel",
    "spend",
    "new_customers",
    "buyers",
    "cac",
    "cost_per_buyer",
    "margin_to_date",
    "expected_margin",
    "clv",
    "clv_low",
    "clv_high",
    "clv_to_cac",
    "ratio_low",
    "ratio_high",
    "small",
    "status",
)


def unit_economics(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    scores: pd.DataFrame | None,
    period: Period | str,
    cfg: ReportConfig,
    *,
    min_n: int = 30,
    n_boot: int = 2000,
    conf: float = 0.95,
    index: OrderIndex | None = None,
) -> UnitEconomics:
    """CAC, CLV and CLV/CAC by acquisition channel for the customers acquired in the period.

    Parameters
    ----------
    customers, orders : DataFrame
        Clean tables.
    scores : DataFrame or None
        Notebook 03's ``churn_scores.parquet`` (None when missing).
    period : Period or str
    cfg : ReportConfig
        ``costs.acquisition``, ``clv.margin``, ``clv.horizon_months`` and ``seed``.
    min_n : int
        Channels with fewer new customers are flagged ``small`` (not ranked).
    n_boot : int
        Bootstrap resamples.
    conf : float
        Confidence level.

    Returns
    -------
    UnitEconomics

    Raises
    ------
    ConfigError
        When ``costs.acquisition`` names a channel absent from the customer table.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}},
    ...     "costs": {"acquisition": {"ads": 300.0}}})
    >>> c = pd.DataFrame({"customer_id": list("abc"), "acquisition_channel": ["ads", "ads", "organic"],
    ...     "signup_date": pd.to_datetime(["2025-10-02", "2025-11-01", "2025-11-05"])})
    >>> o = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "c"],
    ...     "order_date": pd.to_datetime(["2025-10-03", "2025-11-06"]), "amount": [100.0, 40.0]})
    >>> s = pd.DataFrame({"customer_id": ["a", "c"], "event": [0, 0], "clv": [500.0, 90.0]})
    >>> r = unit_economics(c, o, s, "2025Q4", cfg, min_n=1)
    >>> [float(v) for v in r.table.set_index("channel").loc["ads", ["spend", "new_customers", "cac", "clv", "clv_to_cac"]]]
    [300.0, 2.0, 150.0, 265.0, 1.7666666666666666]
    >>> r.table.set_index("channel").loc["organic", "status"]
    'no spend given'
    """
    period = Period.parse(period)
    notes: list[str] = []
    if "acquisition_channel" not in customers.columns:
        notes.append("no_channel")
        customers = customers.assign(acquisition_channel=UNKNOWN_CHANNEL)
    spend_cfg = dict(cfg.costs.acquisition)
    if not spend_cfg:
        notes.append("no_costs")
    # without channels the spend cannot be matched to anyone: the note says so, no error
    spend = (
        check_channels(spend_cfg, customers["acquisition_channel"])
        if spend_cfg and "no_channel" not in notes
        else {}
    )
    value = new_customer_value(
        customers, orders, scores, period, margin=cfg.clv.margin, index=index
    )
    has_clv = scores is not None
    if not has_clv:
        notes.append("no_clv")
    rng = np.random.default_rng(cfg.seed)
    channels = sorted(set(value["channel"]) | set(spend))
    rows = []

    def row(name: str, group: pd.DataFrame, amount: float | None) -> dict[str, Any]:
        n = len(group)
        clv_values = group["clv"].to_numpy(dtype=float)
        low, high = _bootstrap_mean(clv_values, rng, n_boot, conf) if has_clv else (np.nan, np.nan)
        mean_clv = float(clv_values.mean()) if has_clv and n else float("nan")
        buyers = int(group["bought"].sum())
        if amount is None:
            status, cac, per_buyer = "no spend given", np.nan, np.nan
        elif n == 0:
            status, cac, per_buyer = "no new customers", np.nan, np.nan
        elif amount == 0:
            status, cac, per_buyer = "free", 0.0, 0.0
        else:
            status, cac = "ok", amount / n
            per_buyer = amount / buyers if buyers else np.nan
        ratio_ok = status == "ok" and has_clv
        return {
            "channel": name,
            "spend": np.nan if amount is None else float(amount),
            "new_customers": n,
            "buyers": buyers,
            "cac": cac,
            "cost_per_buyer": per_buyer,
            "margin_to_date": float(group["margin_to_date"].mean()) if n else np.nan,
            "expected_margin": float(group["expected_margin"].mean()) if n else np.nan,
            "clv": mean_clv,
            "clv_low": low,
            "clv_high": high,
            "clv_to_cac": mean_clv / cac if ratio_ok else np.nan,
            "ratio_low": low / cac if ratio_ok else np.nan,
            "ratio_high": high / cac if ratio_ok else np.nan,
            "small": n < min_n,
            "status": status,
        }

    for name in channels:
        rows.append(row(name, value[value["channel"] == name], spend.get(name)))
    paid = [c for c in channels if spend.get(c, 0) > 0]
    if len(paid) > 1:
        rows.append(
            row(ALL_PAID, value[value["channel"].isin(paid)], float(sum(spend[c] for c in paid)))
        )
    n_unscored = int((value["bought"] & ~value["scored"]).sum()) if has_clv else 0
    return UnitEconomics(
        table=pd.DataFrame(rows, columns=ECONOMICS_COLUMNS),  # columns even with no channel
        customers=value,
        has_clv=has_clv,
        horizon_months=cfg.clv.horizon_months,
        n_unscored=n_unscored,
        notes=notes,
        period=period.label,
        min_n=min_n,
    )


def _money(value: float, currency: str) -> str:
    prefix = f"{currency} " if currency else ""
    return f"{prefix}{value:,.0f}"


def economics_findings(result: UnitEconomics, lang: str = "en", currency: str = "") -> str:
    """One sentence per channel with spend: what a new customer cost and what one is worth.

    Examples
    --------
    >>> t = pd.DataFrame([{"channel": "search_ads", "spend": 180000.0, "new_customers": 125,
    ...     "buyers": 115, "cac": 1440.0, "clv": 3400.0, "clv_low": 2900.0, "clv_high": 3950.0,
    ...     "clv_to_cac": 2.36, "ratio_low": 2.01, "ratio_high": 2.74, "small": False, "status": "ok"}])
    >>> r = UnitEconomics(t, pd.DataFrame(), True, 24, period="2025Q4")
    >>> print(economics_findings(r, currency="CNY"))  # doctest: +NORMALIZE_WHITESPACE
    - **search_ads** cost CNY 1,440 per new customer (125 sign-ups for CNY 180,000); a new
      customer from search_ads is worth CNY 3,400 (95% CI 2,900–3,950) in margin, earned so far
      plus expected over the next 24 months: CLV/CAC 2.4 (2.0–2.7) — returns more than it costs.
    """
    table = result.table
    if table.empty:
        return t("review.economics.no_signups", lang, period=result.period)
    lines = []
    for r in table[table["channel"] != ALL_PAID].itertuples(index=False):
        small = t("review.economics.small", lang, n=r.new_customers) if r.small else ""
        if r.status == "ok" and result.has_clv:
            if r.ratio_low > 1:
                verdict = t("review.economics.verdict.pays", lang)
            elif r.ratio_high < 1:
                verdict = t("review.economics.verdict.costs", lang)
            else:
                verdict = t("review.economics.verdict.unclear", lang)
            lines.append(
                t(
                    "review.economics.line.full",
                    lang,
                    channel=r.channel,
                    cac=_money(r.cac, currency),
                    spend=_money(r.spend, currency),
                    n=r.new_customers,
                    clv=_money(r.clv, currency),
                    low=f"{r.clv_low:,.0f}",
                    high=f"{r.clv_high:,.0f}",
                    horizon=result.horizon_months,
                    ratio=f"{r.clv_to_cac:.1f}",
                    ratio_low=f"{r.ratio_low:.1f}",
                    ratio_high=f"{r.ratio_high:.1f}",
                    verdict=verdict,
                    small=small,
                )
            )
        elif r.status == "ok":
            lines.append(
                t(
                    "review.economics.line.no_clv",
                    lang,
                    channel=r.channel,
                    cac=_money(r.cac, currency),
                    n=r.new_customers,
                )
            )
        elif r.status == "no new customers":
            lines.append(
                t(
                    "review.economics.line.no_new",
                    lang,
                    channel=r.channel,
                    spend=_money(r.spend, currency),
                )
            )
        elif result.has_clv:
            what = t(
                "review.economics.what.free"
                if r.status == "free"
                else "review.economics.what.not_given",
                lang,
            )
            lines.append(
                t(
                    "review.economics.line.unpaid",
                    lang,
                    channel=r.channel,
                    what=what,
                    n=r.new_customers,
                    clv=_money(r.clv, currency),
                    low=f"{r.clv_low:,.0f}",
                    high=f"{r.clv_high:,.0f}",
                    small=small,
                )
            )
    return "\n".join(lines)


def economics_headlines(result: UnitEconomics) -> Headlines:
    """Glue values: the blended CAC and CLV/CAC over channels with spend, and the best paid channel.

    Examples
    --------
    >>> t = pd.DataFrame([{"channel": "a", "cac": 100.0, "clv_to_cac": 3.0, "ratio_low": 2.0,
    ...     "ratio_high": 4.0, "small": False, "status": "ok", "new_customers": 40}])
    >>> economics_headlines(UnitEconomics(t, pd.DataFrame(), True, 24))["review_best_clv_cac_channel"]
    'a'
    """
    table = result.table
    out: list[Headline] = []
    if table.empty:
        return Headlines(out)
    paid = table[(table["status"] == "ok") & (table["channel"] != ALL_PAID)]
    total = table[table["channel"] == ALL_PAID]
    overall = total.iloc[0] if len(total) else (paid.iloc[0] if len(paid) == 1 else None)
    if overall is not None:
        out.append(Headline("review_cac", float(overall["cac"]), "money"))
        if result.has_clv:
            ratio = [float(overall[c]) for c in ("clv_to_cac", "ratio_low", "ratio_high")]
            out.append(Headline("review_clv_to_cac", ratio[0], "ratio", ratio[1], ratio[2]))
    ranked = paid[~paid["small"]].dropna(subset=["clv_to_cac"])
    if len(ranked):
        best = str(ranked.loc[ranked["clv_to_cac"].idxmax(), "channel"])
        out.append(Headline("review_best_clv_cac_channel", best, "label"))
    return Headlines(out)


#: the columns of :func:`display_economics`, in order (headers: ``review.economics.col.*``)
_DISPLAY = (
    "channel",
    "spend",
    "new_customers",
    "buyers",
    "cac",
    "cost_per_buyer",
    "margin_to_date",
    "expected_margin",
    "clv",
    "clv_to_cac",
    "status",
)


def _status_label(status: str, lang: str) -> str:
    return t_or(f"review.economics.status.{status}", lang, status)


def display_economics(result: UnitEconomics, lang: str = "en") -> pd.DataFrame:
    """The table for people: money rounded, estimates with their interval in one cell.

    Examples
    --------
    >>> t = pd.DataFrame([{"channel": "a", "spend": 100.0, "new_customers": 2, "buyers": 1,
    ...     "cac": 50.0, "cost_per_buyer": 100.0, "margin_to_date": 5.0, "expected_margin": 70.0,
    ...     "clv": 75.0, "clv_low": 60.0, "clv_high": 90.0, "clv_to_cac": 1.5, "ratio_low": 1.2,
    ...     "ratio_high": 1.8, "small": True, "status": "ok"}])
    >>> [str(v) for v in display_economics(UnitEconomics(t, pd.DataFrame(), True, 24)).iloc[0]]
    ['a', '100', '2', '1', '50', '100', '5', '70', '75 (60–90)', '1.5 (1.2–1.8)', 'small n']
    """
    headers = {k: t(f"review.economics.col.{k}", lang) for k in _DISPLAY}
    table = result.table
    if table.empty:
        return pd.DataFrame(columns=list(headers.values()))

    def money(v: float) -> str:
        return "–" if pd.isna(v) else f"{v:,.0f}"

    def interval(v: float, lo: float, hi: float, fmt: str) -> str:
        if pd.isna(v):
            return "–"
        return f"{v:{fmt}} ({lo:{fmt}}–{hi:{fmt}})" if not pd.isna(lo) else f"{v:{fmt}}"

    status = [_status_label(s, lang) for s in table["status"]]
    small = np.where(table["small"], t("review.economics.small_n", lang), "")
    note = [", ".join(x for x in (s, m) if x) for s, m in zip(status, small, strict=True)]
    out = pd.DataFrame(
        {
            "channel": table["channel"],
            "spend": table["spend"].map(money),
            "new_customers": table["new_customers"],
            "buyers": table["buyers"],
            "cac": table["cac"].map(money),
            "cost_per_buyer": table["cost_per_buyer"].map(money),
            "margin_to_date": table["margin_to_date"].map(money),
            "expected_margin": table["expected_margin"].map(money),
            "clv": [
                interval(v, lo, hi, ",.0f")
                for v, lo, hi in zip(table["clv"], table["clv_low"], table["clv_high"], strict=True)
            ],
            "clv_to_cac": [
                interval(v, lo, hi, ".1f")
                for v, lo, hi in zip(
                    table["clv_to_cac"], table["ratio_low"], table["ratio_high"], strict=True
                )
            ],
            "status": note,
        }
    )
    return out.rename(columns=headers)


def cac_clv_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The rows :func:`plot_cac_clv` draws: one per channel (the total row left out), with the
    CLV error bar's extents and the note written where the CAC bar is missing or zero.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["a", "b", ALL_PAID], "cac": [100.0, float("nan"), 90.0],
    ...     "clv": [300.0, 200.0, 280.0], "clv_low": [250.0, 150.0, 240.0],
    ...     "clv_high": [350.0, 260.0, 320.0]})
    >>> cac_clv_table(t)[["channel", "err_low", "err_high", "note"]].to_dict("list")
    {'channel': ['a', 'b'], 'err_low': [50.0, 50.0], 'err_high': [50.0, 60.0], 'note': ['', 'spend not given']}
    """
    rows = table[table["channel"] != ALL_PAID].reset_index(drop=True)
    out = rows[["channel", "cac", "clv", "clv_low", "clv_high"]].copy()
    out["err_low"] = rows["clv"] - rows["clv_low"]
    out["err_high"] = rows["clv_high"] - rows["clv"]
    out["note"] = [
        ""
        if not (pd.isna(v) or v == 0)
        else t(
            "review.economics.plot.no_spend"
            if not pd.isna(v)
            else "review.economics.plot.not_given",
            lang,
        )
        for v in rows["cac"]
    ]
    return out


def plot_cac_clv(
    table: pd.DataFrame,
    lang: str = "en",
    currency: str = "",
    *,
    ax: Axes | None = None,
    takeaway: str | None = None,
) -> Axes:
    """CAC next to mean CLV (with its 95% interval) per channel: draws a :func:`cac_clv_table`.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["a", "b"], "cac": [100.0, float("nan")],
    ...     "clv": [300.0, 200.0], "clv_low": [250.0, 150.0], "clv_high": [350.0, 260.0]})
    >>> ax = plot_cac_clv(cac_clv_table(t))
    >>> [x.get_text() for x in ax.get_yticklabels()]
    ['a', 'b']
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, set_takeaway, thousands_axis

    y = np.arange(len(table))
    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.6))
    ax.barh(y + 0.2, table["clv"].fillna(0), height=0.38, color=PALETTE[0], label="CLV")
    err = np.vstack([table["err_low"], table["err_high"]])
    ax.errorbar(
        table["clv"], y + 0.2, xerr=np.nan_to_num(err), fmt="none", ecolor="#333", capsize=3
    )
    ax.barh(y - 0.2, table["cac"].fillna(0), height=0.38, color=PALETTE[1], label="CAC")
    for i, label in enumerate(table["note"]):
        if label:
            ax.text(0, i - 0.2, "  " + label, va="center", fontsize=8, color="#666")
    ax.set_yticks(y, table["channel"])
    ax.invert_yaxis()
    unit = f" ({currency})" if currency else ""
    ax.set_xlabel(t("review.economics.plot.xlabel", lang, unit=unit))
    ax.set_title(t("review.economics.plot.title", lang))
    thousands_axis(ax, "x")
    ax.legend(loc="lower right")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def cac_clv_takeaway(table: pd.DataFrame, lang: str = "en", currency: str = "") -> str:
    """One sentence: the channel with the highest CLV per acquisition cost (channels with a
    cost above 0), else the channel whose new customers are worth the most.

    Examples
    --------
    >>> t = pd.DataFrame({"channel": ["wechat", "sms", ALL_PAID], "cac": [100.0, 50.0, 80.0],
    ...     "clv": [300.0, 200.0, 260.0]})
    >>> cac_clv_takeaway(t, currency="CNY")
    'SMS gives the most value per acquisition cost: a new customer is worth CNY 200 and cost CNY 50.'
    """
    from custops.report.labels import value_label
    from custops.report.notebook import fmt_money

    rows = table[table["channel"] != ALL_PAID].dropna(subset=["clv"])
    if rows.empty:
        return t("figure.no_data", lang)
    paid = rows[rows["cac"].fillna(0).astype(float) > 0]
    if paid.empty:
        top = rows.loc[rows["clv"].astype(float).idxmax()]
        return t(
            "figure.cac_clv.no_cost",
            lang,
            channel=value_label(top["channel"], lang),
            clv=fmt_money(float(top["clv"]), currency),
        )
    top = paid.loc[(paid["clv"].astype(float) / paid["cac"].astype(float)).idxmax()]
    return t(
        "figure.cac_clv",
        lang,
        channel=value_label(top["channel"], lang),
        clv=fmt_money(float(top["clv"]), currency),
        cac=fmt_money(float(top["cac"]), currency),
    )
