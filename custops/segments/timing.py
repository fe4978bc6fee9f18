"""The weekday × hour analysis in words: notes, findings, the chart's labels and its takeaway.

:mod:`custops.features.timing` computes the table (:func:`~custops.features.timing.weekday_hour_table`),
the numbers behind the findings (:func:`~custops.features.timing.timing_facts`) and draws the
heatmaps (:func:`~custops.features.timing.plot_weekday_hour`); it sits below the report layer,
so the sentences and labels, from the text catalog (``segments.timing.*``), are put together
here.
"""

from __future__ import annotations

import pandas as pd

from custops.features.timing import WeekdayHour, hour_span, timing_facts, weekday_hour_panels
from custops.report.text import t

__all__ = [
    "weekday_name",
    "timing_note",
    "timing_findings",
    "weekday_hour_words",
    "weekday_hour_labelled_panels",
    "weekday_hour_takeaway",
]


def weekday_name(day: int, lang: str = "en", *, short: bool = False) -> str:
    """The name of weekday ``day`` (0 = Monday) in ``lang``.

    Examples
    --------
    >>> weekday_name(6), weekday_name(6, "zh"), weekday_name(0, short=True)
    ('Sunday', '周日', 'Mon')
    """
    return t(f"segments.timing.weekday{'_short' if short else ''}.{int(day)}", lang)


def timing_note(result: WeekdayHour, lang: str = "en") -> str:
    """What the table covers (window, orders, zone) or why there is no heatmap.

    Examples
    --------
    >>> r = WeekdayHour(pd.DataFrame(), "date_only", 1.0, pd.Timestamp("2025-01-01"),
    ...     pd.Timestamp("2026-01-01"), 120, 120, 30, "year")
    >>> print(timing_note(r))  # doctest: +ELLIPSIS
    > The order timestamps carry only a date ...
    """
    first = result.start.date().isoformat()
    last = (result.end - pd.Timedelta(days=1)).date().isoformat()
    if result.resolution == "empty":
        return t("segments.timing.note.empty", lang, first=first, last=last)
    if result.resolution == "date_only":
        return t("segments.timing.note.date_only", lang, share=result.midnight_share)
    scope = t(f"segments.timing.note.scope.{result.window}", lang)
    text = t(
        "segments.timing.note.scope", lang, n=result.n_orders, scope=scope, first=first, last=last
    )
    if result.n_untimed:
        text += t(
            "segments.timing.note.untimed",
            lang,
            n=result.n_untimed,
            share=result.n_untimed / result.n_orders,
        )
    text += t("segments.timing.note.min_n", lang, min_n=result.min_n)
    if result.timezone:
        return text + t("segments.timing.note.timezone", lang, zone=result.timezone)
    return text + t("segments.timing.note.no_timezone", lang)


def timing_findings(result: WeekdayHour, lang: str = "en", currency: str = "") -> str:
    """Plain-language findings: busiest hours and days, and whether order value varies by hour
    (:func:`custops.features.timing.timing_facts`); without times the note.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": [str(i) for i in range(4)], "customer_id": list("abcd"),
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50", "2025-10-07 20:00",
    ...     "2025-10-08 09:00"]), "amount": [1.0, 2.0, 3.0, 4.0]})
    >>> from custops.features.timing import weekday_hour_table
    >>> print(timing_findings(weekday_hour_table(o, "2025Q4", window="period", min_n=1)))  # doctest: +ELLIPSIS
    - **Busiest hours:** 75% of orders fall in the three hours 18:00–21:00; ...
    """
    facts = timing_facts(result)
    if facts is None:
        return timing_note(result, lang)
    day = weekday_name(facts.top_weekday, lang)
    lines = [
        t(
            "segments.timing.findings.hours",
            lang,
            share=facts.block_share,
            block=facts.block,
            day=day,
            span=hour_span(facts.top_hour),
            per_day=facts.top_orders_per_day,
        ),
        t(
            "segments.timing.findings.days",
            lang,
            best=weekday_name(facts.best_day, lang),
            best_n=facts.best_per_day,
            worst=weekday_name(facts.worst_day, lang),
            worst_n=facts.worst_per_day,
        ),
    ]
    if facts.aov_high_hour is None or facts.aov_low_hour is None:
        lines.append(t("segments.timing.findings.aov.none", lang, min_n=result.min_n))
    else:
        verdict = "differs" if facts.aov_differs else "chance"
        lines.append(
            t(
                "segments.timing.findings.aov",
                lang,
                hi_span=hour_span(facts.aov_high_hour),
                hi=facts.aov_high,
                lo_span=hour_span(facts.aov_low_hour),
                lo=facts.aov_low,
                cur=f"{currency} " if currency else "",
                verdict=t(f"segments.timing.findings.aov.{verdict}", lang),
                p=facts.p_value,
                min_n=result.min_n,
            )
        )
    return "\n".join(line for line in lines if line)


def weekday_hour_words(lang: str = "en", currency: str = "") -> tuple[tuple[str, str], str]:
    """The titles of the two heatmaps of :func:`custops.features.timing.plot_weekday_hour` and
    its hour axis label.

    Examples
    --------
    >>> weekday_hour_words("en", "CNY")
    (('Orders per day (weekday × hour)', 'Average order value (CNY); cells with too few orders left blank'), 'hour of day')
    """
    unit = t("segments.timing.plot.aov.unit", lang, currency=currency) if currency else ""
    titles = (
        t("segments.timing.plot.orders", lang),
        t("segments.timing.plot.aov", lang, unit=unit),
    )
    return titles, t("segments.timing.plot.hour", lang)


def weekday_hour_labelled_panels(
    table: pd.DataFrame, lang: str = "en"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`custops.features.timing.weekday_hour_panels` with the weekdays named in ``lang``.

    Examples
    --------
    >>> t_ = pd.DataFrame({"weekday": [0], "hour": [9], "orders_per_day": [1.0], "aov": [5.0],
    ...     "small": [False]})
    >>> weekday_hour_labelled_panels(t_, "zh")[0].index.tolist()[:2]
    ['周一', '周二']
    """
    days = [weekday_name(day, lang, short=True) for day in range(7)]
    counts, aov = weekday_hour_panels(table)
    return counts.set_axis(days, axis=0), aov.set_axis(days, axis=0)


def weekday_hour_takeaway(table: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the weekday × hour heatmap: the busiest weekday and hour.

    ``table`` is :func:`custops.features.timing.weekday_hour_table`'s ``table``
    (``weekday`` 0 = Monday, ``hour``, ``orders_per_day``).

    Examples
    --------
    >>> t_ = pd.DataFrame({"weekday": [0, 5], "hour": [9, 20], "orders_per_day": [1.5, 4.25]})
    >>> weekday_hour_takeaway(t_)
    'Orders peak on Saturday at 20:00, with 4.2 orders on an average Saturday in that hour.'
    """
    rates = table["orders_per_day"].astype(float)
    if table.empty or not (rates > 0).any():
        return t("figure.no_data", lang)
    peak = table.loc[rates.idxmax()]
    orders = float(peak["orders_per_day"])
    return t(
        "figure.weekday_hour",
        lang,
        weekday=weekday_name(int(peak["weekday"]), lang),
        hour=int(peak["hour"]),
        orders=f"{orders:,.1f}" if orders < 10 else f"{orders:,.0f}",
    )
