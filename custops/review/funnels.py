"""Funnels, channel effectiveness and A/B readouts for the quarterly review, with the rate statistics
they share.

Every rate carries a Wilson 95% interval. Comparisons of two rates use the pooled
two-proportion z-test; the difference of two rates gets Newcombe's hybrid-score interval
(built from the two Wilson intervals) and the ratio a Katz log interval.

* **Touch funnel** (marketing contacts): ``sent -> delivered -> opened -> clicked -> converted``
  per channel. A step rate is conditional on the step before (``opened`` of ``delivered``);
  a later flag without the earlier one (``clicked`` but not ``opened``) still counts at its own
  step only when every earlier flag is set, so the funnel never widens.
* **Acquisition funnel**: customers who signed up in the period -> placed a first order ->
  placed a second order, all observed up to the end of the period (a customer who signed up
  on the last day had one day; the same window applies to the previous period's cohort).
* **Channels**: reach = delivered / sent, conversion = converted / sent, per channel.
  Channels whose conversion per sent is below the all-channel rate are *weak*.
* **A/B readout**: per campaign with an ``ab_group`` of ``control`` and ``treatment``:
  conversion per sent in each arm, the difference (treatment - control) and the ratio
  (treatment / control) with 95% intervals and the two-sided p-value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from custops.core.config import Period
from custops.core.index import OrderIndex, order_index_of
from custops.core.stats import Z95, TwoProportions, holm, two_proportion_test, wilson_ci
from custops.features.order_heads import order_headers, order_heads_of
from custops.report.text import paragraph, t, t_or

__all__ = [
    "ab_display",
    "Z95",
    "PERCENT",
    "FUNNEL_STEPS",
    "wilson_ci",
    "two_proportion_test",
    "TwoProportions",
    "holm",
    "touch_funnel",
    "biggest_drop_off",
    "funnel_sentence",
    "acquisition_funnel",
    "channel_effectiveness",
    "best_channel",
    "channel_sentence",
    "weak_channel_reach",
    "weak_reach_sentence",
    "acquisition_sentence",
    "ab_readout",
    "ab_sentence",
    "funnel_bars",
    "plot_funnel",
    "funnel_takeaway",
    "channel_bars",
    "plot_channels",
    "channels_takeaway",
]

#: columns of this module's tables that hold a 0-1 share (shown as percentages by ``nb.table``)
PERCENT = (
    "step_rate",
    "ci_low",
    "ci_high",
    "rate_from_sent",
    "rate_from_signup",
    "reach",
    "reach_low",
    "reach_high",
    "conversion",
    "conversion_low",
    "conversion_high",
    "share",
    "rate_control",
    "rate_treatment",
    "diff",
    "diff_low",
    "diff_high",
)
FUNNEL_STEPS = ("sent", "delivered", "opened", "clicked", "converted")


# --------------------------------------------------------------------------- rate statistics


def _in_period(frame: pd.DataFrame, column: str, period: Period | str | None) -> pd.DataFrame:
    if period is None:
        return frame
    p = Period.parse(period)
    when = frame[column]
    return frame[(when >= pd.Timestamp(p.start)) & (when < pd.Timestamp(p.end_exclusive))]


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    return frame[column].astype("boolean").fillna(False).astype(bool)


def _step_label(step: str, lang: str) -> str:
    return t_or(f"review.funnels.step.{step}", lang, step)


# --------------------------------------------------------------------------- touch funnel


def touch_funnel(
    touches: pd.DataFrame,
    period: Period | str | None = None,
    *,
    by: str = "channel",
    total: bool = True,
) -> pd.DataFrame:
    """The marketing funnel ``sent -> delivered -> opened -> clicked -> converted`` per group.

    Parameters
    ----------
    touches : DataFrame
        Clean touches (``sent_at``, ``channel`` and the boolean step flags that exist).
    period : Period or str, optional
        Keep touches sent in this period (all touches when None).
    by : str
        Grouping column (``channel``; ``campaign`` works too).
    total : bool
        Add an ``all`` group over every touch.

    Returns
    -------
    DataFrame
        One row per group and step: ``group, step, step_no, n, step_rate`` (share of the
        previous step), ``ci_low, ci_high`` (Wilson 95% of the step rate), ``rate_from_sent``,
        ``lost`` (previous step minus this one). Steps whose flag is missing are left out.

    Examples
    --------
    >>> t = pd.DataFrame({"sent_at": pd.to_datetime(["2025-10-01"] * 4), "channel": ["sms"] * 4,
    ...     "delivered": [True, True, True, False], "opened": [True, True, False, False],
    ...     "clicked": [True, False, False, False], "converted": [False] * 4})
    >>> f = touch_funnel(t, "2025Q4", total=False)
    >>> f[["step", "n", "step_rate"]].to_dict("list")
    {'step': ['sent', 'delivered', 'opened', 'clicked', 'converted'], 'n': [4, 3, 2, 1, 0], 'step_rate': [1.0, 0.75, 0.6666666666666666, 0.5, 0.0]}
    """
    t = _in_period(touches, "sent_at", period)
    steps = ["sent"] + [s for s in FUNNEL_STEPS[1:] if s in t.columns]
    reached = pd.DataFrame(index=t.index)
    reached["sent"] = True
    previous = reached["sent"]
    for step in steps[1:]:
        previous = previous & _flag(t, step)
        reached[step] = previous
    groups = t[by].astype("string").fillna("unknown") if by in t else pd.Series("all", t.index)
    counts = reached.groupby(groups.to_numpy()).sum()
    if total:
        counts.loc["all"] = reached.sum()
    rows = []
    for group, row in counts.iterrows():
        prev_n = None
        sent = int(row["sent"])
        for i, step in enumerate(steps):
            n = int(row[step])
            base = sent if prev_n is None else prev_n
            rows.append((str(group), step, i, n, base, n / sent if sent else np.nan))
            prev_n = n
    out = pd.DataFrame(
        rows, columns=["group", "step", "step_no", "n", "base", "rate_from_sent"]
    ).astype({"n": "int64", "base": "int64"})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["step_rate"] = np.where(out["base"] > 0, out["n"] / out["base"], np.nan)
    out["ci_low"], out["ci_high"] = wilson_ci(out["n"], out["base"])
    out["lost"] = out["base"] - out["n"]
    return out[
        [
            "group",
            "step",
            "step_no",
            "n",
            "step_rate",
            "ci_low",
            "ci_high",
            "rate_from_sent",
            "lost",
        ]
    ].reset_index(drop=True)


def biggest_drop_off(funnel: pd.DataFrame, group: str = "all") -> dict:
    """The step of ``group`` with the lowest step rate (where the largest share is lost).

    Returns
    -------
    dict
        ``group, from_step, to_step, step_rate, ci_low, ci_high, lost`` (empty when no step).

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["all"] * 3, "step": ["sent", "delivered", "opened"],
    ...     "step_no": [0, 1, 2], "n": [100, 90, 30], "step_rate": [1.0, 0.9, 1 / 3],
    ...     "ci_low": [1, .8, .2], "ci_high": [1, .95, .4], "rate_from_sent": [1, .9, .3], "lost": [0, 10, 60]})
    >>> biggest_drop_off(f)["to_step"]
    'opened'
    """
    g = funnel[(funnel["group"] == group) & (funnel["step_no"] > 0)].dropna(subset=["step_rate"])
    if g.empty:
        return {}
    row = g.loc[g["step_rate"].idxmin()]
    prev_step = funnel.loc[
        (funnel["group"] == group) & (funnel["step_no"] == row["step_no"] - 1), "step"
    ].iloc[0]
    return {
        "group": group,
        "from_step": prev_step,
        "to_step": row["step"],
        "step_rate": float(row["step_rate"]),
        "ci_low": float(row["ci_low"]),
        "ci_high": float(row["ci_high"]),
        "lost": int(row["lost"]),
    }


def funnel_sentence(funnel: pd.DataFrame, lang: str = "en") -> str:
    """One sentence naming the biggest drop-off overall and the channel where it is worst.

    Examples
    --------
    >>> t = pd.DataFrame({"sent_at": pd.to_datetime(["2025-10-01"] * 4), "channel": ["sms", "sms", "email", "email"],
    ...     "delivered": [True] * 4, "opened": [True, False, False, False], "clicked": [False] * 4})
    >>> funnel_sentence(touch_funnel(t))
    'The biggest drop-off is from opened to clicked: 0.0% of opened touches went on (95% CI 0.0%–79.3%), 1 lost. Of the channels, sms loses the most at this step (0.0% of opened went on).'
    """
    top = biggest_drop_off(funnel)
    if not top:
        return t("review.funnels.no_touches", lang)
    rows = funnel[(funnel["group"] != "all") & (funnel["step"] == top["to_step"])].dropna(
        subset=["step_rate"]
    )
    worst = rows.sort_values(["step_rate", "lost"], ascending=[True, False]).head(1)
    a, b = _step_label(top["from_step"], lang), _step_label(top["to_step"], lang)
    rate, low, high = (f"{top[k]:.1%}" for k in ("step_rate", "ci_low", "ci_high"))
    text = t(
        "review.funnels.drop_off",
        lang,
        a=a,
        b=b,
        rate=rate,
        low=low,
        high=high,
        lost=f"{top['lost']:,}",
    )
    if len(worst):
        w = worst.iloc[0]
        text += t(
            "review.funnels.drop_off.worst",
            lang,
            group=w["group"],
            rate=f"{w['step_rate']:.1%}",
            a=a,
        )
    return text


# --------------------------------------------------------------------------- acquisition funnel


def _order_headers(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per order (lines summed): ``order_id, customer_id, order_date, amount``."""
    return order_headers(orders)


def acquisition_funnel(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    period: Period | str,
    *,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """Signed up -> first order -> second order for this and the previous period's sign-ups.

    Each cohort (customers whose ``signup_date`` is in the period) is observed up to the end
    of its own period, so both cohorts had the same time to convert.

    Parameters
    ----------
    customers : DataFrame
        Clean customers with ``customer_id`` and ``signup_date``.
    orders : DataFrame
        Clean order lines.
    period : Period or str

    Returns
    -------
    DataFrame
        ``cohort, step, step_no, n, step_rate, ci_low, ci_high, rate_from_signup``
        (empty when there is no ``signup_date``).

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "signup_date": pd.to_datetime(["2025-10-02", "2025-11-01"])})
    >>> o = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "a"],
    ...     "order_date": pd.to_datetime(["2025-10-03", "2025-12-01"]), "amount": [1.0, 2.0]})
    >>> acquisition_funnel(c, o, "2025Q4").query("cohort == '2025Q4'")["n"].tolist()
    [2, 1, 1]
    """
    columns = [
        "cohort",
        "step",
        "step_no",
        "n",
        "step_rate",
        "ci_low",
        "ci_high",
        "rate_from_signup",
    ]
    if "signup_date" not in customers:
        return pd.DataFrame(columns=columns)
    p = Period.parse(period)
    h = order_heads_of(orders, index)
    rows = []
    for q in (p.previous(), p):
        start, end = pd.Timestamp(q.start), pd.Timestamp(q.end_exclusive)
        cohort = customers.loc[
            (customers["signup_date"] >= start) & (customers["signup_date"] < end), "customer_id"
        ].unique()
        code = h.codes_of(cohort)
        code = code[code >= 0]
        stop = h.stamp(end)
        counts = [
            len(cohort),
            int((h.first[code] < stop).sum()),
            int((h.second[code] < stop).sum()),
        ]
        for i, (step, n) in enumerate(
            zip(("signed_up", "first_order", "second_order"), counts, strict=True)
        ):
            base = counts[i - 1] if i else counts[0]
            rows.append((q.label, step, i, n, base, n / counts[0] if counts[0] else np.nan))
    out = pd.DataFrame(rows, columns=["cohort", "step", "step_no", "n", "base", "rate_from_signup"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["step_rate"] = np.where(out["base"] > 0, out["n"] / out["base"], np.nan)
    out["ci_low"], out["ci_high"] = wilson_ci(out["n"], out["base"])
    return out[columns]


# --------------------------------------------------------------------------- channels


def channel_effectiveness(
    touches: pd.DataFrame, period: Period | str | None = None, *, min_n: int = 30
) -> pd.DataFrame:
    """Reach (delivered / sent) and conversion (converted / sent) per channel, with Wilson CIs.

    Parameters
    ----------
    touches : DataFrame
        Clean touches.
    period : Period or str, optional
        Keep touches sent in this period.
    min_n : int
        Channels with fewer touches are flagged ``small`` and not ranked.

    Returns
    -------
    DataFrame
        ``channel, sent, customers, delivered, reach, reach_low, reach_high, converted,
        conversion, conversion_low, conversion_high, small, weak, rank`` sorted by conversion
        (``weak``: conversion below the all-channel rate; ``rank`` 1 = best, NaN when small).

    Examples
    --------
    >>> t = pd.DataFrame({"sent_at": pd.to_datetime(["2025-10-01"] * 4), "customer_id": list("abcd"),
    ...     "channel": ["sms", "sms", "wechat", "wechat"], "delivered": [True] * 4,
    ...     "converted": [False, False, True, False]})
    >>> channel_effectiveness(t, min_n=1)[["channel", "conversion", "weak", "rank"]].to_dict("list")
    {'channel': ['wechat', 'sms'], 'conversion': [0.5, 0.0], 'weak': [False, True], 'rank': [1.0, 2.0]}
    """
    t = _in_period(touches, "sent_at", period).copy()
    t["_delivered"] = _flag(t, "delivered")
    t["_converted"] = _flag(t, "converted")
    g = t.groupby(t["channel"].astype("string").fillna("unknown").to_numpy())
    out = pd.DataFrame(
        {
            "sent": g.size(),
            "customers": g["customer_id"].nunique() if "customer_id" in t else np.nan,
            "delivered": g["_delivered"].sum(),
            "converted": g["_converted"].sum(),
        }
    )
    out.index.name = "channel"
    out = out.reset_index()
    out["reach"] = out["delivered"] / out["sent"]
    out["reach_low"], out["reach_high"] = wilson_ci(out["delivered"], out["sent"])
    out["conversion"] = out["converted"] / out["sent"]
    out["conversion_low"], out["conversion_high"] = wilson_ci(out["converted"], out["sent"])
    overall = out["converted"].sum() / out["sent"].sum() if out["sent"].sum() else np.nan
    out["small"] = out["sent"] < min_n
    out["weak"] = out["conversion"] < overall
    out = out.sort_values(["conversion", "sent"], ascending=[False, False], ignore_index=True)
    ranked = ~out["small"]
    out["rank"] = np.nan
    out.loc[ranked, "rank"] = np.arange(1, ranked.sum() + 1, dtype=float)
    for column in ("sent", "delivered", "converted"):
        out[column] = out[column].astype("int64")
    return out[
        [
            "channel",
            "sent",
            "customers",
            "delivered",
            "reach",
            "reach_low",
            "reach_high",
            "converted",
            "conversion",
            "conversion_low",
            "conversion_high",
            "small",
            "weak",
            "rank",
        ]
    ]


def best_channel(channels: pd.DataFrame) -> dict:
    """The top-ranked channel and whether it beats the runner-up beyond noise (z-test).

    Examples
    --------
    >>> ch = pd.DataFrame({"channel": ["wechat", "sms"], "sent": [1000, 1000], "converted": [40, 10],
    ...     "conversion": [0.04, 0.01], "conversion_low": [.03, .005], "conversion_high": [.05, .02], "rank": [1.0, 2.0]})
    >>> b = best_channel(ch)
    >>> b["channel"], b["runner_up"], b["p_value"] < 0.05
    ('wechat', 'sms', True)
    """
    ranked = channels.dropna(subset=["rank"]).sort_values("rank")
    if ranked.empty:
        return {}
    top = ranked.iloc[0]
    out = {
        "channel": str(top["channel"]),
        "conversion": float(top["conversion"]),
        "ci_low": float(top["conversion_low"]),
        "ci_high": float(top["conversion_high"]),
        "runner_up": None,
        "p_value": np.nan,
    }
    if len(ranked) > 1:
        second = ranked.iloc[1]
        test = two_proportion_test(
            top["converted"], top["sent"], second["converted"], second["sent"]
        )
        out.update(
            runner_up=str(second["channel"]),
            runner_up_conversion=float(second["conversion"]),
            p_value=test.p_value,
        )
    return out


def channel_sentence(channels: pd.DataFrame, lang: str = "en") -> str:
    """The best channel by conversion per sent, with its CI and whether the lead is noise.

    Examples
    --------
    >>> ch = pd.DataFrame({"channel": ["wechat", "sms"], "sent": [1000, 1000], "converted": [40, 10],
    ...     "conversion": [0.04, 0.01], "conversion_low": [.03, .005], "conversion_high": [.05, .02], "rank": [1.0, 2.0]})
    >>> channel_sentence(ch)
    'wechat converts best: 4.0% of touches sent (95% CI 3.0%–5.0%), ahead of sms (1.0%); the lead is larger than noise (p = 0.000).'
    """
    b = best_channel(channels)
    if not b:
        return t("review.funnels.channels.too_few", lang)
    rate, low, high = (f"{b[k]:.1%}" for k in ("conversion", "ci_low", "ci_high"))
    if b["runner_up"] is None:
        return t(
            "review.funnels.channels.one", lang, channel=b["channel"], rate=rate, low=low, high=high
        )
    real = b["p_value"] < 0.05
    return t(
        "review.funnels.channels.best",
        lang,
        channel=b["channel"],
        rate=rate,
        low=low,
        high=high,
        runner_up=b["runner_up"],
        second=f"{b['runner_up_conversion']:.1%}",
        verdict=t(
            "review.funnels.channels.real" if real else "review.funnels.channels.noise", lang
        ),
        p=f"{b['p_value']:.3f}",
    )


def weak_channel_reach(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    touches: pd.DataFrame | None,
    period: Period | str,
    channels: pd.DataFrame | None = None,
    *,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """How many of the period's active customers can only be reached through weak channels.

    Two measures, each a share of the customers with an order in the period (Wilson 95% CI):

    * ``not_app_bound``: customers not bound to the APP (``app_bound`` false or unknown), so
      APP push cannot reach them;
    * ``touched_only_weak``: customers whose touches in the period all went through weak
      channels (conversion per sent below the all-channel rate, see
      :func:`channel_effectiveness`); customers with no touch are counted separately as
      ``not_touched``.

    Returns
    -------
    DataFrame
        ``measure, n, of, share, ci_low, ci_high`` (rows whose data is missing are left out).

    Examples
    --------
    >>> c = pd.DataFrame({"customer_id": ["a", "b"], "app_bound": [True, False]})
    >>> o = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
    ...     "order_date": pd.to_datetime(["2025-10-03", "2025-11-01"]), "amount": [1.0, 2.0]})
    >>> weak_channel_reach(c, o, None, "2025Q4")[["measure", "n", "share"]].to_dict("records")
    [{'measure': 'not_app_bound', 'n': 1, 'share': 0.5}]
    """
    p = Period.parse(period)
    ix = order_index_of(orders, index)  # the customer codes shared with the other sections
    codes, labels = ix.codes, ix.labels
    when = orders["order_date"]
    in_p = ((when >= pd.Timestamp(p.start)) & (when < pd.Timestamp(p.end_exclusive))).to_numpy()
    is_active = np.bincount(codes[in_p] + 1, minlength=len(labels) + 1)[1:] > 0
    # a missing customer id counts as one active customer, as unique() does
    missing = bool((codes[in_p] < 0).any())
    active = pd.Index(labels[is_active])
    if missing:
        active = active.append(pd.Index([np.nan], dtype=object))
    rows = []
    if "app_bound" in customers:
        bound = customers.drop_duplicates("customer_id").set_index("customer_id")["app_bound"]
        bound = bound.reindex(active).astype("boolean").fillna(False).astype(bool)
        rows.append(("not_app_bound", int((~bound).sum()), len(active)))
    if touches is not None and len(touches):
        channels = channels if channels is not None else channel_effectiveness(touches, p)
        weak = channels.loc[channels["weak"], "channel"].tolist()
        sent = touches["sent_at"]
        t_in = ((sent >= pd.Timestamp(p.start)) & (sent < pd.Timestamp(p.end_exclusive))).to_numpy()
        code = ix.codes_of(touches)
        reached = t_in & (code >= 0)
        reached[reached] = is_active[code[reached]]
        other = reached & ~touches["channel"].isin(weak).to_numpy()  # a missing channel too
        touched = np.bincount(code[reached], minlength=len(labels)) > 0
        not_only_weak = np.bincount(code[other], minlength=len(labels)) > 0
        n_touched = int(touched.sum())
        rows.append(("touched_only_weak", int((touched & ~not_only_weak).sum()), len(active)))
        rows.append(("not_touched", int(len(active) - n_touched), len(active)))
    out = pd.DataFrame(rows, columns=["measure", "n", "of"])
    out["share"] = np.where(out["of"] > 0, out["n"] / out["of"].clip(lower=1), np.nan)
    out["ci_low"], out["ci_high"] = wilson_ci(out["n"], out["of"])
    return out


def weak_reach_sentence(reach: pd.DataFrame, lang: str = "en") -> str:
    """The weak-channel exposure of active customers in one or two sentences.

    Examples
    --------
    >>> r = pd.DataFrame({"measure": ["not_app_bound", "touched_only_weak"], "n": [40, 30], "of": [100, 100],
    ...     "share": [0.4, 0.3], "ci_low": [0.31, 0.22], "ci_high": [0.5, 0.4]})
    >>> weak_reach_sentence(r)
    '40.0% of active customers (95% CI 31.0%–50.0%) are not bound to the APP, so APP push cannot reach them. 30.0% (95% CI 22.0%–40.0%) were contacted this period only through weak channels (conversion below the all-channel rate).'
    """
    rows = reach.set_index("measure")
    out = []
    for measure in ("not_app_bound", "touched_only_weak"):
        if measure in rows.index:
            r = rows.loc[measure]
            out.append(
                t(
                    f"review.funnels.reach.{measure}",
                    lang,
                    share=f"{r['share']:.1%}",
                    ci=f"{r['ci_low']:.1%}–{r['ci_high']:.1%}",
                )
            )
    if not out:
        return t("review.funnels.reach.none", lang)
    return paragraph(out, lang)


def acquisition_sentence(funnel: pd.DataFrame, lang: str = "en") -> str:
    """This period's sign-up cohort: share with a first and a second order, vs the previous cohort.

    Examples
    --------
    >>> f = pd.DataFrame({"cohort": ["2025Q3"] * 3 + ["2025Q4"] * 3, "step_no": [0, 1, 2] * 2,
    ...     "n": [100, 80, 50, 120, 90, 60], "rate_from_signup": [1, .8, .5, 1, .75, .5]})
    >>> acquisition_sentence(f)
    'Of the 120 customers who signed up in 2025Q4, 75.0% placed a first order and 50.0% a second one by the period end (2025Q3 cohort: 80.0% and 50.0%).'
    """
    if funnel.empty:
        return t("review.funnels.acquisition.no_signup", lang)
    cohorts = list(dict.fromkeys(funnel["cohort"]))
    cur = funnel[funnel["cohort"] == cohorts[-1]].set_index("step_no")
    prev = funnel[funnel["cohort"] == cohorts[0]].set_index("step_no") if len(cohorts) > 1 else None
    previous = (
        t(
            "review.funnels.acquisition.previous",
            lang,
            cohort=cohorts[0],
            first=f"{prev.loc[1, 'rate_from_signup']:.1%}",
            second=f"{prev.loc[2, 'rate_from_signup']:.1%}",
        )
        if prev is not None
        else ""
    )
    return t(
        "review.funnels.acquisition",
        lang,
        n=f"{int(cur.loc[0, 'n']):,}",
        cohort=cohorts[-1],
        first=f"{cur.loc[1, 'rate_from_signup']:.1%}",
        second=f"{cur.loc[2, 'rate_from_signup']:.1%}",
        previous=previous,
    )


# --------------------------------------------------------------------------- A/B tests


def ab_readout(
    touches: pd.DataFrame,
    period: Period | str | None = None,
    *,
    control: str = "control",
    treatment: str = "treatment",
) -> pd.DataFrame:
    """Conversion per sent, treatment vs control, for every campaign with an A/B split.

    Parameters
    ----------
    touches : DataFrame
        Clean touches with ``campaign``, ``ab_group`` and ``converted``.
    period : Period or str, optional
        Keep touches sent in this period.
    control, treatment : str
        The ``ab_group`` labels (compared case-insensitively).

    Returns
    -------
    DataFrame
        One row per campaign: ``campaign, n_control, conv_control, rate_control, n_treatment,
        conv_treatment, rate_treatment, diff, diff_low, diff_high, ratio, ratio_low, ratio_high,
        p_value, significant`` (empty when no campaign has both arms).

    Examples
    --------
    >>> t = pd.DataFrame({"sent_at": pd.to_datetime(["2025-10-01"] * 4), "campaign": ["w"] * 4,
    ...     "ab_group": ["control", "control", "treatment", "treatment"], "converted": [False, True, True, True]})
    >>> ab_readout(t)[["campaign", "rate_control", "rate_treatment", "diff"]].to_dict("records")
    [{'campaign': 'w', 'rate_control': 0.5, 'rate_treatment': 1.0, 'diff': 0.5}]
    """
    columns = [
        "campaign",
        "n_control",
        "conv_control",
        "rate_control",
        "n_treatment",
        "conv_treatment",
        "rate_treatment",
        "diff",
        "diff_low",
        "diff_high",
        "ratio",
        "ratio_low",
        "ratio_high",
        "p_value",
        "significant",
    ]
    if not {"ab_group", "campaign"} <= set(touches.columns):
        return pd.DataFrame(columns=columns)
    t = _in_period(touches, "sent_at", period)
    arm = t["ab_group"].astype("string").str.strip().str.lower()
    t = t.assign(_arm=arm, _conv=_flag(t, "converted"))
    t = t[t["_arm"].isin([control.lower(), treatment.lower()])]
    rows = []
    for campaign, g in t.groupby("campaign", sort=True):
        c = g[g["_arm"] == control.lower()]
        tr = g[g["_arm"] == treatment.lower()]
        if c.empty or tr.empty:
            continue
        r = two_proportion_test(tr["_conv"].sum(), len(tr), c["_conv"].sum(), len(c))
        rows.append(
            (
                str(campaign),
                len(c),
                int(c["_conv"].sum()),
                r.p2,
                len(tr),
                int(tr["_conv"].sum()),
                r.p1,
                r.diff,
                r.diff_low,
                r.diff_high,
                r.ratio,
                r.ratio_low,
                r.ratio_high,
                r.p_value,
                bool(r.p_value < 0.05),
            )
        )
    return pd.DataFrame(rows, columns=columns)


def ab_sentence(readout: pd.DataFrame, lang: str = "en") -> list[str]:
    """One sentence per A/B campaign: direction, size with CI, and whether it could be noise.

    Examples
    --------
    >>> r = pd.DataFrame([{"campaign": "w", "rate_control": 0.02, "rate_treatment": 0.04, "diff": 0.02,
    ...     "diff_low": 0.005, "diff_high": 0.035, "ratio": 2.0, "ratio_low": 1.2, "ratio_high": 3.3,
    ...     "p_value": 0.01, "n_control": 1000, "n_treatment": 1000}])
    >>> ab_sentence(r)[0]
    'Campaign w: treatment converted 4.0% vs 2.0% for control, +2.0 points (95% CI +0.5 to +3.5), 2.00× (1.20–3.30); the difference is unlikely to be noise (p = 0.010).'
    """
    if readout.empty:
        return [t("review.funnels.ab.none", lang)]
    out = []
    for r in readout.itertuples(index=False):
        ratio = f"{r.ratio:.2f}×" if np.isfinite(r.ratio) else "–"
        rci = (
            f"{r.ratio_low:.2f}–{r.ratio_high:.2f}"
            if np.isfinite(r.ratio_low) and np.isfinite(r.ratio_high)
            else "–"
        )
        real = r.p_value < 0.05
        out.append(
            t(
                "review.funnels.ab",
                lang,
                campaign=r.campaign,
                treatment=f"{r.rate_treatment:.1%}",
                control=f"{r.rate_control:.1%}",
                diff=f"{100 * r.diff:+.1f}",
                low=f"{100 * r.diff_low:+.1f}",
                high=f"{100 * r.diff_high:+.1f}",
                ratio=ratio,
                rci=rci,
                verdict=t("review.funnels.ab.real" if real else "review.funnels.ab.noise", lang),
                p=f"{r.p_value:.3f}",
            )
        )
    return out


# --------------------------------------------------------------------------- plots (no computing)


def funnel_bars(funnel: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """What :func:`plot_funnel` draws: one row per step after ``sent`` (its label as index),
    per group (columns in order of appearance) the step rate (``rate``) and the lengths of its
    95% interval below and above (``err_low``, ``err_high``; 0 where unknown).

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["all"] * 3, "step": ["sent", "delivered", "opened"],
    ...     "step_no": [0, 1, 2], "step_rate": [1.0, 0.9, 0.5], "ci_low": [1.0, 0.8, 0.4],
    ...     "ci_high": [1.0, 0.95, 0.6]})
    >>> funnel_bars(f)["rate"].round(2).to_dict("list")
    {'all': [0.9, 0.5]}
    """
    data = funnel[funnel["step_no"] > 0]
    groups = list(dict.fromkeys(data["group"]))
    steps = list(dict.fromkeys(data["step"]))
    columns = pd.MultiIndex.from_product([("rate", "err_low", "err_high"), groups])
    out = pd.DataFrame(
        np.nan,
        index=pd.Index([_step_label(s, lang) for s in steps], name="step"),
        columns=columns,
        dtype=float,
    )
    for group in groups:
        g = data[data["group"] == group].set_index("step").reindex(steps)
        err = np.vstack(
            [(g["step_rate"] - g["ci_low"]).to_numpy(), (g["ci_high"] - g["step_rate"]).to_numpy()]
        )
        err = np.clip(np.nan_to_num(err), 0, None)
        out[("rate", group)] = g["step_rate"].to_numpy(dtype=float)
        out[("err_low", group)] = err[0]
        out[("err_high", group)] = err[1]
    return out


def plot_funnel(
    bars: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:
    """Step rates per channel with their Wilson intervals: draws a :func:`funnel_bars` table;
    returns the Axes.

    Examples
    --------
    >>> t = pd.DataFrame({"sent_at": pd.to_datetime(["2025-10-01"] * 2), "channel": ["sms", "email"],
    ...     "delivered": [True, False]})
    >>> plot_funnel(funnel_bars(touch_funnel(t)), title="t").get_title()
    't'
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    if title is None:
        title = t("review.funnels.plot.funnel_title", lang)
    rates = bars["rate"]
    groups = list(rates.columns)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(8.5, 4.2))
    width = 0.8 / max(len(groups), 1)
    x = np.arange(len(bars))
    for i, group in enumerate(groups):
        ax.bar(
            x + (i - (len(groups) - 1) / 2) * width,
            rates[group],
            width,
            yerr=np.vstack([bars[("err_low", group)], bars[("err_high", group)]]),
            capsize=2,
            label=group,
            color=PALETTE[i % len(PALETTE)],
        )
    ax.set_xticks(x, list(bars.index))
    ax.set_ylim(0, 1.05)
    percent_axis(ax)
    ax.set_title(title)
    ax.legend(ncol=min(len(groups), 5), fontsize=8, frameon=False)
    if own:
        fig.tight_layout()
        plt.close(fig)  # shown once, as the cell's result
    return set_takeaway(ax, takeaway)


def funnel_takeaway(funnel: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the touch funnel: the step with the lowest step rate, for the ``all``
    group when there is one (else the first group).

    Examples
    --------
    >>> f = pd.DataFrame({"group": ["all"] * 3, "step": ["sent", "delivered", "opened"],
    ...     "step_no": [0, 1, 2], "step_rate": [1.0, 0.95, 0.3]})
    >>> funnel_takeaway(f)
    'The largest drop is at opened: 30% of the previous step go on (all channels).'
    """
    from custops.report.labels import value_label

    data = funnel[funnel["step_no"] > 0].dropna(subset=["step_rate"])
    if data.empty:
        return t("figure.no_data", lang)
    groups = list(dict.fromkeys(data["group"]))
    group = "all" if "all" in groups else groups[0]
    rows = data[data["group"] == group]
    low = rows.loc[rows["step_rate"].astype(float).idxmin()]
    return t(
        "figure.funnel",
        lang,
        step=_step_label(str(low["step"]), lang),
        rate=f"{float(low['step_rate']):.0%}",
        group=t("figure.funnel.all", lang) if group == "all" else value_label(group, lang),
    )


def channel_bars(channels: pd.DataFrame) -> pd.DataFrame:
    """What :func:`plot_channels` draws: per channel its conversion per touch sent and the
    lengths of its 95% interval below and above (``err_low``, ``err_high``; 0 where unknown).

    Examples
    --------
    >>> ch = pd.DataFrame({"channel": ["a"], "conversion": [0.1], "conversion_low": [0.05],
    ...     "conversion_high": [0.2]})
    >>> channel_bars(ch).round(2).to_dict("records")
    [{'channel': 'a', 'conversion': 0.1, 'err_low': 0.05, 'err_high': 0.1}]
    """
    err = np.vstack(
        [
            (channels["conversion"] - channels["conversion_low"]).to_numpy(),
            (channels["conversion_high"] - channels["conversion"]).to_numpy(),
        ]
    )
    err = np.clip(np.nan_to_num(err), 0, None)
    return pd.DataFrame(
        {
            "channel": channels["channel"].to_numpy(),
            "conversion": channels["conversion"].to_numpy(),
            "err_low": err[0],
            "err_high": err[1],
        }
    )


def plot_channels(
    bars: pd.DataFrame,
    *,
    title: str | None = None,
    lang: str = "en",
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:
    """Conversion per sent by channel with Wilson intervals: draws a :func:`channel_bars`
    table (first channel on top); returns the Axes.

    Examples
    --------
    >>> ch = pd.DataFrame({"channel": ["a"], "conversion": [0.1], "conversion_low": [0.05], "conversion_high": [0.2]})
    >>> plot_channels(channel_bars(ch), title="t").get_title()
    't'
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    if title is None:
        title = t("review.funnels.plot.channels_title", lang)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(7, 3.6))
    y = np.arange(len(bars))[::-1]
    ax.barh(
        y,
        bars["conversion"],
        xerr=np.vstack([bars["err_low"], bars["err_high"]]),
        capsize=3,
        color=PALETTE[0],
    )
    ax.set_yticks(y, bars["channel"])
    percent_axis(ax, "x", decimals=1)
    ax.set_xlabel(t("review.funnels.plot.channels_xlabel", lang))
    ax.set_title(title)
    if own:
        fig.tight_layout()
        plt.close(fig)  # shown once, as the cell's result
    return set_takeaway(ax, takeaway)


def channels_takeaway(channels: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the channels converting best and least per touch sent (small ones left
    out when the table flags them).

    Examples
    --------
    >>> ch = pd.DataFrame({"channel": ["sms", "wechat", "email"], "conversion": [0.02, 0.05, 0.4],
    ...     "small": [False, False, True]})
    >>> channels_takeaway(ch)
    'WeChat converts best with 5.0% per touch sent; SMS converts least with 2.0%.'
    """
    from custops.report.labels import value_label

    rows = channels.dropna(subset=["conversion"])
    if "small" in rows and (~rows["small"].astype(bool)).any():
        rows = rows[~rows["small"].astype(bool)]
    if rows.empty:
        return t("figure.no_data", lang)
    best = rows.loc[rows["conversion"].astype(float).idxmax()]
    worst = rows.loc[rows["conversion"].astype(float).idxmin()]
    if len(rows) == 1:
        return t(
            "figure.channels.one",
            lang,
            best=value_label(best["channel"], lang),
            best_rate=f"{float(best['conversion']):.1%}",
        )
    return t(
        "figure.channels",
        lang,
        best=value_label(best["channel"], lang),
        best_rate=f"{float(best['conversion']):.1%}",
        worst=value_label(worst["channel"], lang),
        worst_rate=f"{float(worst['conversion']):.1%}",
    )


def ab_display(ab: pd.DataFrame) -> pd.DataFrame:
    """:func:`ab_readout` for people: each arm's conversions and size in one cell
    ("12 / 187"), so the table fits the page; the rates, difference and ratio stay numbers.

    Examples
    --------
    >>> ab = pd.DataFrame({"campaign": ["w"], "n_control": [211], "conv_control": [7],
    ...     "rate_control": [0.033], "n_treatment": [1187], "conv_treatment": [12],
    ...     "rate_treatment": [0.064]})
    >>> ab_display(ab)[["conv_control", "conv_treatment"]].iloc[0].tolist()
    ['7 / 211', '12 / 1,187']
    """
    out = ab.copy()
    for arm in ("control", "treatment"):
        n, k = f"n_{arm}", f"conv_{arm}"
        if n in out.columns and k in out.columns:
            out[k] = [
                "–" if pd.isna(a) or pd.isna(b) else f"{int(a):,} / {int(b):,}"
                for a, b in zip(out[k], out[n], strict=True)
            ]
            out = out.drop(columns=n)
    return out
