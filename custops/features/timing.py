"""When customers order: weekday × hour tables of orders and average order value.

The table covers the **trailing 12 months** that end with the report period (the same window
as ``revenue_365d`` in notebook 02): a quarter alone leaves many of the 168 weekday × hour
cells with a handful of orders, and a year averages over seasons and holidays.
``window="period"`` restricts it to the period itself.

* An **order** is one ``order_id``: its time is the earliest line's timestamp and its amount
  the sum of its lines (cleaned order tables hold lines).
* ``orders_per_day`` = orders in the cell / number of such weekdays in the window, i.e. the
  orders an average Monday brings between 19:00 and 20:00. Counts are shown for every cell.
* The **average order value** (AOV) of a cell carries a 95% t-interval; cells with fewer
  than ``min_n`` orders are *small*: kept in the table, blank in the heatmap.
* **Date-only timestamps.** Many exports carry only the date (every time is 00:00:00). Then
  there is no time of day to show: the result says so and no heatmap is drawn (a heatmap
  would show one fake midnight spike). When only part of the rows are date-only (a share at
  exactly midnight far above what real times give), those rows are left out and counted.
* **Time zones.** Clean timestamps carry no zone: they are the export's local time, or, when
  the export carried UTC offsets, converted to ``sources.orders.timezone`` (UTC when that is
  not set). :func:`timezone_label` tells which, so the hours are read correctly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period, ReportConfig
from custops.core.index import OrderIndex
from custops.core.results import Headline, Headlines, Result

__all__ = [
    "WEEKDAY_KEYS",
    "DATE_ONLY_SHARE",
    "MIXED_SHARE",
    "WeekdayHour",
    "order_heads",
    "time_resolution",
    "timezone_label",
    "weekday_hour_table",
    "TimingFacts",
    "hour_span",
    "timing_facts",
    "timing_headlines",
    "weekday_hour_panels",
    "plot_weekday_hour",
]

#: weekday label keys, Monday first (``seg_peak_weekday``; :func:`custops.report.labels.value_label`
#: reads them); the weekday names of the sentences and charts are in the text catalog
#: (``segments.timing.weekday.<0-6>``, ``segments.timing.weekday_short.<0-6>``)
WEEKDAY_KEYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
#: at least this share of timestamps at exactly 00:00:00 -> the column is date-only
DATE_ONLY_SHARE = 0.98
#: above this share at exactly midnight (but below DATE_ONLY_SHARE) part of the rows are date-only
MIXED_SHARE = 0.10

Resolution = Literal["time", "date_only", "mixed", "empty"]


def order_heads(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per order: ``order_id``, ``customer_id``, ``order_ts`` (earliest line), ``amount`` (sum).

    Parameters
    ----------
    orders : DataFrame
        Clean orders (lines): ``order_id``, ``customer_id``, ``order_date``, ``amount``.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> lines = pd.DataFrame({"order_id": ["1", "1", "2"], "customer_id": ["a", "a", "b"],
    ...     "order_date": pd.to_datetime(["2025-10-01 19:05", "2025-10-01 19:06", "2025-10-02 08:00"]),
    ...     "amount": [10.0, 5.0, 7.0]})
    >>> order_heads(lines)[["order_id", "amount"]].to_dict("list")
    {'order_id': ['1', '2'], 'amount': [15.0, 7.0]}
    """
    frame = orders[["order_id", "customer_id", "order_date", "amount"]].dropna(
        subset=["order_id", "order_date"]
    )
    ids = frame["order_id"]
    if (
        ids.dtype == object
        and pd.api.types.infer_dtype(ids, skipna=False) == "string"
        and ids.is_unique
    ):  # one line per order (20M orders at 1M customers): no groupby, an Arrow sort
        import pyarrow as pa
        import pyarrow.compute as pc

        order = pc.sort_indices(pa.array(ids, type=pa.string())).to_numpy()
        return pd.DataFrame(
            {
                "order_id": ids.to_numpy()[order],
                "customer_id": frame["customer_id"].to_numpy()[order],
                "order_ts": frame["order_date"].to_numpy()[order],
                "amount": frame["amount"].fillna(0.0).to_numpy(dtype=float)[order],
            }
        )
    return (
        frame.groupby("order_id", sort=True, observed=True)
        .agg(
            customer_id=("customer_id", "first"),
            order_ts=("order_date", "min"),
            amount=("amount", "sum"),
        )
        .reset_index()
    )


def time_resolution(timestamps: pd.Series) -> tuple[Resolution, float]:
    """Whether timestamps carry a time of day: ``time``, ``date_only``, ``mixed`` or ``empty``.

    A timestamp is *date-only* when it is exactly midnight (00:00:00.000). Real times put
    about 1/1440 of minute-precision stamps (1/24 of hour-precision ones) there.

    Parameters
    ----------
    timestamps : Series of datetime64

    Returns
    -------
    (resolution, share_at_midnight)
        ``date_only`` when at least :data:`DATE_ONLY_SHARE` of the values are at midnight,
        ``mixed`` when more than :data:`MIXED_SHARE` are, ``time`` otherwise.

    Examples
    --------
    >>> time_resolution(pd.to_datetime(pd.Series(["2025-10-01", "2025-10-02"])))
    ('date_only', 1.0)
    >>> time_resolution(pd.to_datetime(pd.Series(["2025-10-01 19:30", "2025-10-02 08:10"])))
    ('time', 0.0)
    """
    values = pd.to_datetime(timestamps.dropna())
    if values.empty:
        return "empty", float("nan")
    share = float((values == values.dt.normalize()).mean())
    if share >= DATE_ONLY_SHARE:
        return "date_only", share
    if share > MIXED_SHARE:
        return "mixed", share
    return "time", share


def timezone_label(cfg: ReportConfig, ledger: pd.DataFrame | None = None) -> str | None:
    """The zone the clean order times are in, when known.

    ``sources.orders.timezone`` when set; ``"UTC"`` when the cleaning ledger says order
    times carried UTC offsets and no zone was configured (they were converted to UTC);
    ``None`` when the times are as recorded in the export (its local time, presumably).
    ``ledger`` is notebook 01's row ledger (``None``: not known).

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> timezone_label(cfg) is None
    True
    >>> ledger = pd.DataFrame({"table": ["orders"], "note": ["12 order_date value(s) carried a UTC offset and were converted to UTC"]})
    >>> timezone_label(cfg, ledger)
    'UTC'
    """
    src = cfg.sources.get("orders")
    if src is not None and src.timezone:
        return src.timezone
    if ledger is not None and {"table", "note"} <= set(ledger.columns):
        notes = ledger.loc[ledger["table"] == "orders", "note"].dropna().astype(str)
        if notes.str.contains("order_date value(s) carried a UTC offset", regex=False).any():
            return "UTC"
    return None


@dataclass
class WeekdayHour(Result):
    """Result of :func:`weekday_hour_table`.

    Attributes
    ----------
    table : DataFrame
        168 rows (weekday 0 = Monday, hour 0-23): ``weekday, hour, orders, days,
        orders_per_day, revenue, aov, aov_ci_low, aov_ci_high, small``. Empty when the
        timestamps carry no time.
    resolution : str
        ``time``, ``mixed`` (date-only rows left out), ``date_only`` or ``empty``.
    midnight_share : float
        Share of the window's orders stamped exactly 00:00:00.
    start, end : Timestamp
        The window, ``[start, end)``.
    n_orders : int
        Orders in the window (all of them, timed or not).
    n_untimed : int
        Orders left out because they carry only a date.
    min_n : int
        Cells with fewer orders are small.
    window : str
        ``year`` or ``period``.
    timezone : str or None
        See :func:`timezone_label`.
    hour_test : dict
        Kruskal-Wallis test of order value across hours (hours with at least ``min_n`` orders).
    """

    table: pd.DataFrame
    resolution: Resolution
    midnight_share: float
    start: pd.Timestamp
    end: pd.Timestamp
    n_orders: int
    n_untimed: int
    min_n: int
    window: str
    timezone: str | None = None
    hour_test: dict[str, float] = field(default_factory=dict)

    @property
    def has_times(self) -> bool:
        """Whether a heatmap can be drawn."""
        return self.resolution in ("time", "mixed") and not self.table.empty

    def headlines(self) -> Headlines:
        """The busiest weekday × hour and 3-hour block (:func:`timing_headlines`)."""
        return timing_headlines(self)


def _window(period: Period, window: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    end = pd.Timestamp(period.end_exclusive)
    if window == "year":
        return end - pd.Timedelta(days=365), end
    if window == "period":
        return pd.Timestamp(period.start), end
    raise ValueError(f"window must be 'year' or 'period', not {window!r}")


def _weekday_counts(start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    days = pd.date_range(start, end - pd.Timedelta(days=1), freq="D")
    return np.bincount(days.weekday, minlength=7)


def weekday_hour_table(
    orders: pd.DataFrame,
    period: Period | str,
    *,
    window: Literal["year", "period"] = "year",
    min_n: int = 30,
    timezone: str | None = None,
    conf: float = 0.95,
    index: OrderIndex | None = None,
) -> WeekdayHour:
    """Orders and average order value per weekday × hour.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (``order_id, customer_id, order_date, amount``).
    period : Period or str
        The report period.
    window : {"year", "period"}
        Trailing 365 days ending with the period (default), or the period only.
    min_n : int
        Cells with fewer orders are flagged ``small`` (their AOV is not shown in the heatmap).
    timezone : str, optional
        Label of the zone the times are in (see :func:`timezone_label`); only reported.
    conf : float
        Confidence level of the AOV intervals.
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``orders`` (its order-id uniqueness is
        reused; tested here when omitted).

    Returns
    -------
    WeekdayHour

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2", "3"], "customer_id": ["a", "b", "c"],
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50", "2025-10-07 08:00"]),
    ...     "amount": [100.0, 300.0, 50.0]})
    >>> r = weekday_hour_table(o, "2025Q4", window="period", min_n=2)
    >>> cell = r.table.query("weekday == 0 and hour == 19").iloc[0]
    >>> int(cell.orders), int(cell.days), float(cell.aov), bool(cell.small)
    (2, 13, 200.0, False)
    >>> r.resolution, int(r.table["orders"].sum())
    ('time', 3)
    """
    period = Period.parse(period)
    start, end = _window(period, window)
    ts_all, amount_all = _window_orders(orders, start, end, index)
    resolution, share = time_resolution(pd.Series(ts_all))
    base = {
        "start": start,
        "end": end,
        "n_orders": len(ts_all),
        "min_n": min_n,
        "window": window,
        "timezone": timezone,
        "midnight_share": share,
    }
    if resolution in ("date_only", "empty"):
        return WeekdayHour(
            pd.DataFrame(), resolution, n_untimed=len(ts_all) if len(ts_all) else 0, **base
        )
    ns = ts_all.astype("datetime64[ns]").astype(np.int64)
    day = ns // _NS_PER_DAY
    untimed = ns == day * _NS_PER_DAY
    n_untimed = int(untimed.sum()) if resolution == "mixed" else 0
    if resolution == "mixed":
        ns, day, amount_all = ns[~untimed], day[~untimed], amount_all[~untimed]
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
    hour = (ns - day * _NS_PER_DAY) // _NS_PER_HOUR
    # one integer key per cell; the rows keep their order (by order id), so the sums, means
    # and standard deviations are those of the two-key groupby
    g = pd.Series(amount_all, dtype=float).groupby(weekday * 24 + hour)
    cells = pd.RangeIndex(168)
    table = pd.DataFrame(
        {
            "orders": g.size(),
            "revenue": g.sum(),
            "aov": g.mean(),
            "sd": g.std(ddof=1),
        }
    ).reindex(cells)
    # the column types of the two-key groupby reindexed to the 168 cells: the accessor's
    # int32 when every cell has orders (the index is kept), int64 otherwise (the grid's)
    cell = pd.Series(ts_all[:0]).dt.hour.dtype if g.ngroups == len(cells) else np.int64
    table.insert(0, "weekday", np.repeat(np.arange(7), 24).astype(cell))
    table.insert(1, "hour", np.tile(np.arange(24), 7).astype(cell))
    table["orders"] = table["orders"].fillna(0).astype(int)
    table["revenue"] = table["revenue"].fillna(0.0)
    table = table.reset_index(drop=True)
    table["days"] = _weekday_counts(start, end)[table["weekday"].to_numpy()]
    table["orders_per_day"] = table["orders"] / table["days"]
    n = table["orders"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = stats.t.ppf(0.5 + conf / 2, np.maximum(n - 1, 1))
        half = np.where(n >= 2, tq * table["sd"].to_numpy() / np.sqrt(n), np.nan)
    table["aov_ci_low"] = table["aov"] - half
    table["aov_ci_high"] = table["aov"] + half
    table["small"] = table["orders"] < min_n
    table = table[
        [
            "weekday",
            "hour",
            "orders",
            "days",
            "orders_per_day",
            "revenue",
            "aov",
            "aov_ci_low",
            "aov_ci_high",
            "small",
        ]
    ]
    per_hour = np.bincount(hour, minlength=24)
    groups = [amount_all[hour == h] for h in range(24) if per_hour[h] >= min_n]
    test: dict[str, float] = {"hours": float(len(groups))}
    if len(groups) >= 2:
        h, p = stats.kruskal(*groups)
        test.update(statistic=float(h), p_value=float(p))
    return WeekdayHour(table, resolution, n_untimed=n_untimed, hour_test=test, **base)


_NS_PER_HOUR = 3_600 * 10**9
_NS_PER_DAY = 24 * _NS_PER_HOUR


def _window_orders(
    orders: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, index: OrderIndex | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Time (datetime64, the column's unit) and amount of the orders in ``[start, end)``, by order id.

    With one row per order only the window's rows are sorted (the rows of
    :func:`order_heads` in the window, in the same order); order lines take
    :func:`order_heads`.
    """
    from custops.features.purchases import order_ids_unique

    ids = orders["order_id"]
    plain = pd.api.types.is_numeric_dtype(ids) or _string_ids(ids)
    if plain and order_ids_unique(orders, index):
        ts = pd.to_datetime(orders["order_date"]).to_numpy()
        inside = np.flatnonzero((ts >= start.to_datetime64()) & (ts < end.to_datetime64()))
        ids = orders["order_id"].iloc[inside]
        order = inside[_id_order(ids)]
        amount = orders["amount"].to_numpy(dtype=float, na_value=np.nan)[order]
        return ts[order], np.where(np.isnan(amount), 0.0, amount)
    heads = order_heads(orders)
    heads = heads[(heads["order_ts"] >= start) & (heads["order_ts"] < end)]
    return heads["order_ts"].to_numpy(), heads["amount"].to_numpy(dtype=float)


def _string_ids(ids: pd.Series) -> bool:
    if ids.dtype == object:
        return pd.api.types.infer_dtype(ids, skipna=False) == "string"
    return pd.api.types.is_string_dtype(ids)


def _id_order(ids: pd.Series) -> np.ndarray:
    """Positions that sort distinct order ids as ``groupby(order_id, sort=True)`` does."""
    if _string_ids(ids):
        import pyarrow as pa
        import pyarrow.compute as pc

        return pc.sort_indices(pa.array(ids, type=pa.string())).to_numpy()
    return np.argsort(ids.to_numpy(), kind="stable")


def hour_span(hour: int) -> str:
    """The hour ``hour`` as a span: ``"19:00–20:00"``.

    Examples
    --------
    >>> hour_span(23)
    '23:00–00:00'
    """
    return f"{hour:02d}:00–{(hour + 1) % 24:02d}:00"


def _peak_block(table: pd.DataFrame, width: int = 3) -> tuple[int, float]:
    """Start hour and order share of the busiest ``width`` consecutive hours (wrapping)."""
    by_hour = table.groupby("hour")["orders"].sum().reindex(range(24), fill_value=0).to_numpy()
    total = by_hour.sum()
    sums = np.array([by_hour[np.arange(h, h + width) % 24].sum() for h in range(24)])
    # ties: the block centred on its busiest hour
    centre = np.array([by_hour[(h + width // 2) % 24] for h in range(24)])
    start = int(np.lexsort((-centre, -sums))[0])
    return start, float(sums[start] / total) if total else float("nan")


def timing_headlines(result: WeekdayHour) -> Headlines:
    """Glue values: the busiest weekday × hour cell and the share of the busiest 3-hour block.

    Returns an empty dict when there is no time of day.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50"]), "amount": [1.0, 2.0]})
    >>> timing_headlines(weekday_hour_table(o, "2025Q4", window="period"))["seg_peak_hour_block"]
    '18:00–21:00'
    """
    if not result.has_times:
        return Headlines()
    table = result.table
    top = table.loc[table["orders_per_day"].idxmax()]
    start, share = _peak_block(table)
    weekday = WEEKDAY_KEYS[int(top.weekday)]  # a label key: "Sunday" / "星期日"
    block = f"{start:02d}:00–{(start + 3) % 24:02d}:00"
    return Headlines(
        [
            Headline("seg_peak_weekday", weekday, "label"),
            Headline("seg_peak_hour", hour_span(int(top.hour)), "text"),
            Headline("seg_peak_hour_block", block, "text"),
            Headline("seg_peak_block_order_share", share, "share"),
        ]
    )


@dataclass(frozen=True)
class TimingFacts:
    """The numbers behind the weekday × hour findings (:func:`timing_facts`); the sentences are
    worded by :func:`custops.segments.timing.timing_findings`.

    Attributes
    ----------
    block : str
        The busiest three hours, ``"18:00–21:00"``.
    block_share : float
        Their share of the orders.
    top_weekday, top_hour : int
        The busiest weekday × hour cell (weekday 0 = Monday).
    top_orders_per_day : float
        Its orders on an average such weekday.
    best_day, worst_day : int
        The weekdays with the most and the fewest orders per day.
    best_per_day, worst_per_day : float
        Their orders per day.
    aov_high_hour, aov_low_hour : int or None
        The hours with the highest and the lowest average order value among the hours with at
        least ``min_n`` orders; ``None`` when fewer than two hours qualify (or no test ran).
    aov_high, aov_low : float or None
        Those average order values.
    p_value : float or None
        Kruskal-Wallis test of order value across those hours.
    """

    block: str
    block_share: float
    top_weekday: int
    top_hour: int
    top_orders_per_day: float
    best_day: int
    worst_day: int
    best_per_day: float
    worst_per_day: float
    aov_high_hour: int | None = None
    aov_low_hour: int | None = None
    aov_high: float | None = None
    aov_low: float | None = None
    p_value: float | None = None

    @property
    def aov_differs(self) -> bool:
        """Whether order value differs across hours beyond chance (p < 0.05)."""
        return self.p_value is not None and self.p_value < 0.05


def timing_facts(result: WeekdayHour) -> TimingFacts | None:
    """Busiest hours and days, and whether order value varies by hour (``None`` without times).

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": [str(i) for i in range(4)], "customer_id": list("abcd"),
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50", "2025-10-07 20:00",
    ...     "2025-10-08 09:00"]), "amount": [1.0, 2.0, 3.0, 4.0]})
    >>> f = timing_facts(weekday_hour_table(o, "2025Q4", window="period", min_n=1))
    >>> f.block, f.block_share, f.top_weekday, f.top_hour
    ('18:00–21:00', 0.75, 0, 19)
    """
    if not result.has_times:
        return None
    table = result.table
    start, share = _peak_block(table)
    top = table.loc[table["orders_per_day"].idxmax()]
    by_day = table.groupby("weekday").agg(orders=("orders", "sum"), days=("days", "first"))
    per_day = by_day["orders"] / by_day["days"]
    best_day, worst_day = int(per_day.idxmax()), int(per_day.idxmin())
    facts: dict[str, Any] = {
        "block": f"{start:02d}:00–{(start + 3) % 24:02d}:00",
        "block_share": share,
        "top_weekday": int(top.weekday),
        "top_hour": int(top.hour),
        "top_orders_per_day": top.orders_per_day,
        "best_day": best_day,
        "worst_day": worst_day,
        "best_per_day": per_day[best_day],
        "worst_per_day": per_day[worst_day],
    }
    hours = table.groupby("hour").agg(orders=("orders", "sum"), revenue=("revenue", "sum"))
    hours = hours[hours["orders"] >= result.min_n]
    if len(hours) >= 2 and "p_value" in result.hour_test:
        aov = hours["revenue"] / hours["orders"]
        hi, lo = int(aov.idxmax()), int(aov.idxmin())
        facts.update(
            aov_high_hour=hi,
            aov_low_hour=lo,
            aov_high=aov[hi],
            aov_low=aov[lo],
            p_value=result.hour_test["p_value"],
        )
    return TimingFacts(**facts)


def weekday_hour_panels(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two panels :func:`plot_weekday_hour` draws, weekday (0 = Monday) × hour (7 × 24):
    orders per day, and the average order value with the small cells blank.

    Examples
    --------
    >>> t = pd.DataFrame({"weekday": [0, 0], "hour": [9, 10], "orders_per_day": [1.0, 2.0],
    ...     "aov": [5.0, 7.0], "small": [False, True]})
    >>> counts, aov = weekday_hour_panels(t)
    >>> counts.shape, float(counts.at[0, 10]), float(aov.at[0, 9]), bool(aov.isna().at[0, 10])
    ((7, 24), 2.0, 5.0, True)
    """
    counts = table.pivot(index="weekday", columns="hour", values="orders_per_day")
    aov = table.assign(shown=table["aov"].where(~table["small"])).pivot(
        index="weekday", columns="hour", values="shown"
    )
    return (
        counts.reindex(index=range(7), columns=range(24)),
        aov.reindex(index=range(7), columns=range(24)),
    )


def plot_weekday_hour(
    panels: Sequence[pd.DataFrame],
    titles: Sequence[str],
    xlabel: str,
    *,
    axes: Any = None,
) -> Any:  # -> array of two Axes
    """Two heatmaps, one above the other: orders per day (blues) and average order value
    (oranges), as :func:`weekday_hour_panels` gives them with the rows labelled.

    The words come from the caller (:func:`custops.segments.timing.weekday_hour_words`):
    ``titles`` of the two panels and the hours' ``xlabel``. Draws into ``axes`` (two Axes; a
    new figure when omitted) and returns them. Blank cells stay grey.

    Examples
    --------
    >>> t = pd.DataFrame([(d, h, 1 / 13, 10.0, False) for d in range(7) for h in range(24)],
    ...     columns=["weekday", "hour", "orders_per_day", "aov", "small"])
    >>> axes = plot_weekday_hour(weekday_hour_panels(t), ("orders", "value"), "hour")
    >>> len(axes), len(axes[0].figure.axes)
    (2, 4)
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    own = axes is None
    if own:
        _, axes = plt.subplots(2, 1, figsize=(11, 6.4))
    for ax, wide, cmap, title in zip(axes, panels, ("Blues", "Oranges"), titles, strict=True):
        sns.heatmap(wide, ax=ax, cmap=cmap, cbar=True, linewidths=0.3, linecolor="white")
        ax.set_facecolor("#f2f2f2")
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        ax.tick_params(axis="y", rotation=0)
    if own:
        axes[0].figure.tight_layout()
    return axes
