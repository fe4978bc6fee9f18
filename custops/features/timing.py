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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from custops.core.config import Period, ReportConfig
from custops.core.index import OrderIndex

__all__ = [
    "WEEKDAYS",
    "DATE_ONLY_SHARE",
    "MIXED_SHARE",
    "WeekdayHour",
    "order_heads",
    "time_resolution",
    "timezone_label",
    "weekday_hour_table",
    "timing_findings",
    "timing_headlines",
    "plot_weekday_hour",
]

WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
_WEEKDAY_LONG = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
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


def timezone_label(
    cfg: ReportConfig, ledger: pd.DataFrame | Path | str | None = None
) -> str | None:
    """The zone the clean order times are in, when known.

    ``sources.orders.timezone`` when set; ``"UTC"`` when the cleaning ledger says order
    times carried UTC offsets and no zone was configured (they were converted to UTC);
    ``None`` when the times are as recorded in the export (its local time, presumably).
    ``ledger`` is the ledger frame or the path of ``ledger.csv`` (ignored when missing).

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
    if isinstance(ledger, str | Path):
        ledger = pd.read_csv(ledger) if Path(ledger).exists() else None
    if ledger is not None and {"table", "note"} <= set(ledger.columns):
        notes = ledger.loc[ledger["table"] == "orders", "note"].dropna().astype(str)
        if notes.str.contains("order_date value(s) carried a UTC offset", regex=False).any():
            return "UTC"
    return None


@dataclass
class WeekdayHour:
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

    def note(self, lang: str = "en") -> str:
        """What the table covers (window, orders, zone) or why there is no heatmap.

        Examples
        --------
        >>> r = WeekdayHour(pd.DataFrame(), "date_only", 1.0, pd.Timestamp("2025-01-01"),
        ...     pd.Timestamp("2026-01-01"), 120, 120, 30, "year")
        >>> print(r.note())  # doctest: +ELLIPSIS
        > The order timestamps carry only a date ...
        """
        zh = lang == "zh"
        first = self.start.date().isoformat()
        last = (self.end - pd.Timedelta(days=1)).date().isoformat()
        if self.resolution == "empty":
            return (
                f"> {first} 至 {last} 没有订单，不绘制星期 × 时段热力图。"
                if zh
                else f"> There are no orders from {first} to {last}, so there is no weekday × hour heatmap."
            )
        if self.resolution == "date_only":
            return (
                f"> 订单时间只有日期（{self.midnight_share:.0%} 的时间戳恰为 00:00:00），无法看出一天中的时段，"
                "因此不绘制星期 × 时段热力图（否则会在午夜出现一个虚假的高峰）。如果源系统能导出下单时刻，"
                "请在配置中把 `order_date` 映射到带时间的列。"
                if zh
                else f"> The order timestamps carry only a date ({self.midnight_share:.0%} are exactly "
                "00:00:00), so the time of day is unknown and no weekday × hour heatmap is drawn "
                "(it would show a fake midnight spike). If the source system can export the time "
                "of the order, map `order_date` to that column in the config."
            )
        if zh:
            scope = "近 12 个月" if self.window == "year" else "本期"
            text = (
                f"> 范围：{scope}（{first} 至 {last}）的 {self.n_orders:,} 笔订单"
                f"（按订单号合并订单行，时间取最早一行）。"
            )
            if self.n_untimed:
                text += (
                    f"其中 {self.n_untimed:,} 笔（{self.n_untimed / self.n_orders:.0%}）只有日期"
                    "（恰为 00:00:00），不计入热力图。"
                )
            text += f"少于 {self.min_n} 笔订单的格子不显示客单价。" + (
                f"时间为 {self.timezone} 时间。"
                if self.timezone
                else "时间为导出文件中记录的时间（未做时区换算）。"
            )
            return text
        scope = "the trailing 12 months" if self.window == "year" else "the period"
        text = (
            f"> Scope: {self.n_orders:,} orders in {scope} ({first} to {last}), lines merged by "
            "order id (an order's time is its earliest line)."
        )
        if self.n_untimed:
            text += (
                f" {self.n_untimed:,} of them ({self.n_untimed / self.n_orders:.0%}) carry only "
                "a date (exactly 00:00:00) and are left out of the heatmap."
            )
        text += f" Cells with fewer than {self.min_n} orders show no average order value. " + (
            f"Times are in {self.timezone}."
            if self.timezone
            else "Times are as recorded in the export (no time-zone conversion)."
        )
        return text


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


def _hour_span(hour: int) -> str:
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


def timing_headlines(result: WeekdayHour, lang: str = "en") -> dict[str, Any]:
    """Glue values: the busiest weekday × hour cell (its weekday in ``lang``) and the share of
    the busiest 3-hour block.

    Returns an empty dict when there is no time of day.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50"]), "amount": [1.0, 2.0]})
    >>> timing_headlines(weekday_hour_table(o, "2025Q4", window="period"))["seg_peak_hour_block"]
    '18:00–21:00'
    """
    if not result.has_times:
        return {}
    table = result.table
    top = table.loc[table["orders_per_day"].idxmax()]
    start, share = _peak_block(table)
    return {
        "seg_peak_weekday_hour": (
            f"{WEEKDAYS['zh' if lang == 'zh' else 'en'][int(top.weekday)]} {_hour_span(int(top.hour))}"
        ),
        "seg_peak_hour_block": f"{start:02d}:00–{(start + 3) % 24:02d}:00",
        "seg_peak_block_order_share": share,
    }


def timing_findings(result: WeekdayHour, lang: str = "en", currency: str = "") -> str:
    """Plain-language findings: busiest hours and days, and whether order value varies by hour.

    Examples
    --------
    >>> o = pd.DataFrame({"order_id": [str(i) for i in range(4)], "customer_id": list("abcd"),
    ...     "order_date": pd.to_datetime(["2025-10-06 19:10", "2025-10-06 19:50", "2025-10-07 20:00",
    ...     "2025-10-08 09:00"]), "amount": [1.0, 2.0, 3.0, 4.0]})
    >>> print(timing_findings(weekday_hour_table(o, "2025Q4", window="period", min_n=1)))  # doctest: +ELLIPSIS
    - **Busiest hours:** 75% of orders fall in the three hours 18:00–21:00; ...
    """
    if not result.has_times:
        return result.note(lang)
    zh = lang == "zh"
    table = result.table
    start, share = _peak_block(table)
    top = table.loc[table["orders_per_day"].idxmax()]
    by_day = table.groupby("weekday").agg(orders=("orders", "sum"), days=("days", "first"))
    per_day = by_day["orders"] / by_day["days"]
    best_day, worst_day = int(per_day.idxmax()), int(per_day.idxmin())
    names = _WEEKDAY_LONG["zh" if zh else "en"]
    block = f"{start:02d}:00–{(start + 3) % 24:02d}:00"
    lines = []
    if zh:
        lines.append(
            f"- **最忙的时段：** {share:.0%} 的订单落在 {block} 这三个小时；单格最高是"
            f"{names[int(top.weekday)]} {_hour_span(int(top.hour))}，平均每个{names[int(top.weekday)]}"
            f"该小时 {top.orders_per_day:.1f} 笔。"
        )
        lines.append(
            f"- **星期：** {names[best_day]}平均每天 {per_day[best_day]:.0f} 笔订单最多，"
            f"{names[worst_day]} {per_day[worst_day]:.0f} 笔最少。"
        )
    else:
        lines.append(
            f"- **Busiest hours:** {share:.0%} of orders fall in the three hours {block}; "
            f"the busiest single cell is {names[int(top.weekday)]} "
            f"{_hour_span(int(top.hour))}, with {top.orders_per_day:.1f} orders on an average "
            f"{names[int(top.weekday)]}."
        )
        lines.append(
            f"- **Weekdays:** {names[best_day]} brings the most orders "
            f"({per_day[best_day]:.0f} a day on average) and {names[worst_day]} the fewest "
            f"({per_day[worst_day]:.0f})."
        )
    lines.append(_aov_sentence(result, zh, currency))
    return "\n".join(line for line in lines if line)


def _aov_sentence(result: WeekdayHour, zh: bool, currency: str) -> str:
    table = result.table
    hours = table.groupby("hour").agg(orders=("orders", "sum"), revenue=("revenue", "sum"))
    hours = hours[hours["orders"] >= result.min_n]
    if len(hours) < 2 or "p_value" not in result.hour_test:
        return (
            f"- **客单价：** 订单数不少于 {result.min_n} 的时段不足两个，无法比较各时段客单价。"
            if zh
            else f"- **Order value:** fewer than two hours have {result.min_n} orders or more, so "
            "order values cannot be compared across hours."
        )
    aov = hours["revenue"] / hours["orders"]
    hi, lo = int(aov.idxmax()), int(aov.idxmin())
    p = result.hour_test["p_value"]
    cur = f"{currency} " if currency else ""
    differs = p < 0.05
    if zh:
        verdict = (
            "各时段客单价的差异超出随机波动"
            if differs
            else "各时段客单价的差异在随机波动范围内，不宜按时段调整客单价策略"
        )
        return (
            f"- **客单价：** 最高 {_hour_span(hi)}（{cur}{aov[hi]:,.0f}），最低 {_hour_span(lo)}"
            f"（{cur}{aov[lo]:,.0f}）；{verdict}（Kruskal-Wallis 检验，p = {p:.3g}，"
            f"仅含订单数不少于 {result.min_n} 的时段）。"
        )
    verdict = (
        "the differences between hours are larger than chance"
        if differs
        else "the differences between hours are within chance, so there is no case for "
        "hour-specific pricing or basket offers on this evidence"
    )
    return (
        f"- **Order value:** highest at {_hour_span(hi)} ({cur}{aov[hi]:,.0f}), lowest at "
        f"{_hour_span(lo)} ({cur}{aov[lo]:,.0f}); {verdict} (Kruskal-Wallis test, p = {p:.3g}, "
        f"hours with at least {result.min_n} orders)."
    )


def plot_weekday_hour(table: pd.DataFrame, lang: str = "en", currency: str = "") -> Figure:
    """Two heatmaps of a finished :func:`weekday_hour_table` table: orders per day and AOV.

    Small cells (``small``) are left blank in the AOV panel.

    Examples
    --------
    >>> t = pd.DataFrame([(d, h, 1, 13, 1 / 13, 10.0, 10.0, 9.0, 11.0, True)
    ...     for d in range(7) for h in range(24)], columns=["weekday", "hour", "orders", "days",
    ...     "orders_per_day", "revenue", "aov", "aov_ci_low", "aov_ci_high", "small"])
    >>> len(plot_weekday_hour(t).axes)
    4
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    zh = lang == "zh"
    days = WEEKDAYS["zh" if zh else "en"]
    counts = table.pivot(index="weekday", columns="hour", values="orders_per_day")
    aov = table.assign(shown=table["aov"].where(~table["small"])).pivot(
        index="weekday", columns="hour", values="shown"
    )
    fig, axes = plt.subplots(2, 1, figsize=(11, 6.4))
    panels = (
        (counts, "Blues", "每天订单数（星期 × 时段）" if zh else "Orders per day (weekday × hour)"),
        (
            aov,
            "Oranges",
            f"客单价{f'（{currency}）' if currency else ''}，订单过少的格子留空"
            if zh
            else f"Average order value{f' ({currency})' if currency else ''}; "
            "cells with too few orders left blank",
        ),
    )
    for ax, (wide, cmap, title) in zip(axes, panels, strict=True):
        wide = wide.reindex(index=range(7), columns=range(24))
        wide.index = list(days)
        sns.heatmap(wide, ax=ax, cmap=cmap, cbar=True, linewidths=0.3, linecolor="white")
        ax.set_facecolor("#f2f2f2")
        ax.grid(False)
        ax.set_title(title)
        ax.set_xlabel("时段（点）" if zh else "hour of day")
        ax.set_ylabel("")
        ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig
