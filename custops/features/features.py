"""Customer-level features, computed in the engine.

Two recency columns exist and they are different things:

* ``recency_days`` (RFM): days from the last purchase to the end of the period;
* ``recency`` (BG/NBD summary, in ``time_unit``): time from the first to the last purchase.

The BG/NBD summary follows ``pymc_marketing.clv.utils.rfm_summary``: purchases are grouped
into periods of ``time_unit``; ``frequency`` = distinct purchase periods - 1; ``recency`` =
last - first purchase period; ``T`` = observation end - first purchase period;
``monetary_value`` = mean revenue of the repeat periods (0 without repeats).

Survival (inactivity churn with window W days, observed at the period end E):
a customer has churned (``event`` = 1) when E - last purchase > W; churn is dated at
last purchase + W, so ``duration_days`` = last + W - first. Otherwise the customer is
censored at E: ``duration_days`` = E - first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import pandas as pd

from custops.core.config import Period
from custops.features.engine import Engine, connect

__all__ = ["rfm_summary", "order_features", "customer_features", "survival_table", "epoch_day"]

_TIME_UNIT_DAYS = {"D": 1, "W": 7}
_GRAINS = ("lines", "orders")
#: backends with the aggregate min_by(value, key) (DuckDB, an alias of arg_min; Spark >= 3.0)
_ARG_MIN_ENGINES = ("duckdb", "spark")


#: money units per currency unit in the engine's exact sums (:func:`rfm_summary`)
_MICRO = 1_000_000


@ibis.udf.agg.builtin(name="min_by")
def _min_by(arg: int, key: int) -> int:  # type: ignore[empty-body]
    """``value`` at the row with the smallest ``key`` (the engine's own min_by).

    Ibis' ``argmin`` compiles to ``FIRST(value ORDER BY key)`` on DuckDB, an ordered aggregate
    that sorts every group (10M order rows: about twice the time of the whole summary).
    """


#: per-customer order counts (0 for customers who never bought)
_ORDER_COUNTS = ("n_orders", "n_purchase_days", "orders_365d", "n_orders_period", "n_orders_prev")
#: per-customer money sums, rounded to cents
_MONEY = ("revenue_total", "revenue_365d", "revenue_period", "revenue_prev")


def epoch_day(column: ibis.Value) -> ibis.Value:
    """Days since 1970-01-01 of the calendar date of a date or timestamp column (int64).

    Computed as a date difference, not from epoch seconds: the day is the wall-clock date on
    DuckDB and on Spark alike, whatever the Spark session's time zone.

    Examples
    --------
    >>> t = ibis.memtable({"ts": pd.to_datetime(["1970-01-02 23:30", "2025-01-01 00:10"])})
    >>> connect().to_pandas(t.select(day=epoch_day(t.ts))).day.tolist()
    [1, 20089]
    """
    return column.cast("timestamp").date().epoch_days().cast("int64")


def _day(value: date | pd.Timestamp) -> int:
    return int((pd.Timestamp(value) - pd.Timestamp("1970-01-01")).days)


def _period_index(day: ibis.Value | int, time_unit: str) -> ibis.Value | int:
    if time_unit == "D":
        return day
    # weeks start on Monday like pandas' W-SUN periods: 1970-01-05 (day 4) opens week 1
    return (day + 3) // 7


def _orders(lines: ibis.Table, end_day: int, grain: str) -> ibis.Table:
    """Rows -> one row per order (customer, order id, day, amount) up to ``end_day``.

    ``grain="lines"``: rows are order lines; an order is dated by its first line's day.
    ``grain="orders"``: the caller guarantees one row per order (or lines that share their
    order's day), so the grouping is skipped (it is the largest aggregation of the features:
    one group per order).
    """
    if grain not in _GRAINS:
        raise ValueError(f"grain must be one of {list(_GRAINS)}, not {grain!r}")
    lines = lines.mutate(day=epoch_day(lines.order_date))
    lines = lines.filter(lines.day <= end_day)
    if grain == "orders":
        return lines.select("customer_id", "order_id", "day", "amount")
    return lines.group_by(["customer_id", "order_id"]).aggregate(
        day=lines.day.min(), amount=lines.amount.sum()
    )


def rfm_summary(
    orders: pd.DataFrame | str,
    observation_period_end: date | str | pd.Timestamp,
    *,
    time_unit: str = "D",
    grain: str = "lines",
    engine: Engine | None = None,
    partitions: int | None = None,
) -> pd.DataFrame:
    """BG/NBD-style summary per customer, equal to pymc-marketing's ``rfm_summary``.

    Parameters
    ----------
    orders : DataFrame or str
        Order lines with ``customer_id``, ``order_id``, ``order_date``, ``amount`` (or a
        Parquet path/glob with those columns).
    observation_period_end : date-like
        Last day observed; later purchases are ignored.
    time_unit : {"D", "W"}
        Unit of ``frequency`` periods, ``recency`` and ``T``.
    grain : {"lines", "orders"}
        ``"lines"`` (default): rows are order lines, grouped to orders first (an order is
        dated by its first line). ``"orders"``: rows are already one per order (the contract
        of pymc-marketing's ``rfm_summary``, which sums rows); skips that grouping.
    engine : Engine, optional
        Defaults to a new in-memory DuckDB.
    partitions : int, optional
        Passes over hash partitions of the customers (DuckDB; default ``engine.partitions``):
        less memory for more scans, same result (:meth:`custops.features.engine.Engine.customer_frame`).

    Returns
    -------
    DataFrame
        ``customer_id, frequency, recency, T, monetary_value`` sorted by ``customer_id``.
        ``monetary_value`` is (total - first period's revenue) / ``frequency``, the money
        summed exactly in integer micro-units (each amount to 1e-6 of the currency unit): the
        mean of the repeat periods, the same in any row order and on any number of threads.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "order_id": ["1", "2", "3", "4"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-11", "2025-01-05"]),
    ...     "amount": [10.0, 5.0, 30.0, 8.0]})
    >>> rfm_summary(o, "2025-01-31").to_dict("records")[0]
    {'customer_id': 'a', 'frequency': 1.0, 'recency': 10.0, 'T': 30.0, 'monetary_value': 30.0}
    """
    if time_unit not in _TIME_UNIT_DAYS:
        raise ValueError(f"time_unit must be one of {sorted(_TIME_UNIT_DAYS)}, not {time_unit!r}")
    own = engine is None
    engine = engine or connect()
    end_day = _day(observation_period_end)
    end_p = _period_index(end_day, time_unit)

    def summarise(lines: ibis.Table) -> ibis.Table:
        per_order = _orders(lines, end_day, grain)
        # amounts in integer micro-units: the engine sums in parallel, in no fixed order, and
        # float sums then differ in their last bits between runs (one customer's mean spend
        # crossed a rounding step and moved its BTYD value by 4e-9); integer sums are exact
        per_order = per_order.mutate(
            p=_period_index(per_order.day, time_unit),
            micro=(per_order.amount * _MICRO).round().cast("int64"),
        )
        periods = per_order.group_by(["customer_id", "p"]).aggregate(revenue=per_order.micro.sum())
        if engine.name in _ARG_MIN_ENGINES:
            # one aggregation per customer: the first period's revenue by arg-min (periods
            # are unique per customer here), repeat revenue = total - first (no join back)
            summary = periods.group_by("customer_id").aggregate(
                n_periods=periods.p.count(),
                first_p=periods.p.min(),
                last_p=periods.p.max(),
                total=periods.revenue.sum(),
                first_revenue=_min_by(periods.revenue, periods.p),
            )
        else:  # SQL databases without a reliable arg_min (SQLite): join the first period back
            first = periods.group_by("customer_id").aggregate(first_p=periods.p.min())
            joined = periods.join(first, "customer_id")
            summary = joined.group_by("customer_id").aggregate(
                n_periods=joined.p.count(),
                first_p=joined.first_p.min(),
                last_p=joined.p.max(),
                total=joined.revenue.sum(),
                first_revenue=joined.revenue.sum(where=joined.p == joined.first_p),
            )
        return summary.select(
            "customer_id",
            frequency=(summary.n_periods - 1).cast("float64"),
            recency=(summary.last_p - summary.first_p).cast("float64"),
            T=(ibis.literal(end_p) - summary.first_p).cast("float64"),
            monetary_value=ibis.ifelse(
                summary.n_periods > 1,
                (summary.total - summary.first_revenue).cast("float64")
                / _MICRO
                / (summary.n_periods - 1),
                0.0,
            ).cast("float64"),
        )

    try:
        lines = engine.table("orders", orders)
        frame = engine.customer_frame(lines, summarise, partitions=partitions)
    finally:
        if own:
            engine.close()
    return frame


def order_features(
    orders: pd.DataFrame | str,
    period: Period | str,
    *,
    inactivity_days: int = 180,
    grain: str = "lines",
    engine: Engine | None = None,
    partitions: int | None = None,
    observation_end: date | None = None,
) -> pd.DataFrame:
    """Purchase features per customer as of the end of ``period``, computed in the engine.

    Parameters
    ----------
    orders : DataFrame or str
        Clean order lines (or a Parquet path/glob).
    period : Period or str
        The reporting period; purchases after its end are ignored.
    inactivity_days : int
        Churn window W of the survival columns.
    grain : {"lines", "orders"}
        ``"orders"`` when rows are already one per order (skips grouping lines to orders).
    engine : Engine, optional
        Defaults to a new in-memory DuckDB.
    partitions : int, optional
        Passes over hash partitions of the customers (DuckDB; default ``engine.partitions``).
    observation_end : date, optional
        The day the data are observed to (default the period end; earlier when the data stop
        before the period ends): recency, tenure, ``T`` and the churn censoring count to it.

    Returns
    -------
    DataFrame
        One row per customer who has bought: first/last purchase, ``n_orders``,
        ``revenue_total``, ``orders_365d``, ``revenue_365d``, period and previous-period
        orders and revenue, ``recency_days``, ``tenure_days``, ``avg_order_value``, the
        BG/NBD summary (daily) and the survival columns ``duration_days``/``event``.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a", "b"], "order_id": ["1", "2", "3"],
    ...     "order_date": pd.to_datetime(["2025-01-10", "2025-11-02", "2025-02-01"]), "amount": [10.0, 20.0, 5.0]})
    >>> f = order_features(o, "2025Q4", inactivity_days=180)
    >>> f[["customer_id", "n_orders_period", "recency_days", "event", "duration_days"]].to_dict("records")
    [{'customer_id': 'a', 'n_orders_period': 1, 'recency_days': 59, 'event': 0, 'duration_days': 355}, {'customer_id': 'b', 'n_orders_period': 0, 'recency_days': 333, 'event': 1, 'duration_days': 180}]
    """
    period = Period.parse(period)
    own = engine is None
    engine = engine or connect()
    observed_to = observation_end or period.end
    end = _day(observed_to)
    start = _day(period.start)
    prev = period.previous()
    prev_start, prev_end = _day(prev.start), _day(prev.end)

    def aggregate(lines: ibis.Table) -> ibis.Table:
        o = _orders(lines, end, grain)
        # one row per customer and purchase day first: every window below is a set of days,
        # and plain sums spill to disk where COUNT(DISTINCT) does not (100M rows in a few GB)
        daily = o.group_by(["customer_id", "day"]).aggregate(
            n=o.order_id.count(), revenue=o.amount.sum()
        )
        in_period = (daily.day >= start) & (daily.day <= end)
        in_prev = (daily.day >= prev_start) & (daily.day <= prev_end)
        last_year = daily.day > end - 365
        agg = daily.group_by("customer_id").aggregate(
            first_day=daily.day.min(),
            last_day=daily.day.max(),
            n_orders=daily.n.sum(),
            n_purchase_days=daily.day.count(),
            revenue_total=daily.revenue.sum(),
            orders_365d=daily.n.sum(where=last_year).coalesce(0),
            revenue_365d=daily.revenue.sum(where=last_year),
            n_orders_period=daily.n.sum(where=in_period).coalesce(0),
            revenue_period=daily.revenue.sum(where=in_period),
            n_orders_prev=daily.n.sum(where=in_prev).coalesce(0),
            revenue_prev=daily.revenue.sum(where=in_prev),
        )
        churned = (end - agg.last_day) > inactivity_days
        return agg.mutate(
            recency_days=(end - agg.last_day),
            tenure_days=(end - agg.first_day),
            event=churned.cast("int64"),
            duration_days=ibis.ifelse(
                churned, agg.last_day + inactivity_days - agg.first_day, end - agg.first_day
            ),
        )

    try:
        lines = engine.table("orders", orders)
        frame = engine.customer_frame(lines, aggregate, partitions=partitions)
    finally:
        if own:
            engine.close()
    epoch = pd.Timestamp("1970-01-01")
    frame.insert(1, "first_purchase", epoch + pd.to_timedelta(frame.pop("first_day"), unit="D"))
    frame.insert(2, "last_purchase", epoch + pd.to_timedelta(frame.pop("last_day"), unit="D"))
    # the engine adds floats in parallel, in no fixed order: money is rounded to cents so
    # that the same inputs always give the same table
    for column in _MONEY:
        frame[column] = frame[column].fillna(0.0).round(2)
    frame["avg_order_value"] = frame["revenue_total"] / frame["n_orders"]
    # BG/NBD summary (time unit: days) from the same aggregation
    frame["frequency"] = (frame["n_purchase_days"] - 1).astype(float)
    frame["recency"] = (frame["last_purchase"] - frame["first_purchase"]).dt.days.astype(float)
    frame["T"] = (pd.Timestamp(observed_to) - frame["first_purchase"]).dt.days.astype(float)
    for column in (*_ORDER_COUNTS, "recency_days", "tenure_days", "event", "duration_days"):
        frame[column] = frame[column].astype("int64")
    return frame


def survival_table(features: pd.DataFrame) -> pd.DataFrame:
    """The survival table (one row per customer who bought): ``customer_id, duration_days, event``.

    Examples
    --------
    >>> frame = pd.DataFrame({"customer_id": ["a"], "duration_days": [10], "event": [1], "x": [0]})
    >>> survival_table(frame).columns.tolist()
    ['customer_id', 'duration_days', 'event']
    """
    return features[["customer_id", "duration_days", "event"]].copy()


#: the timestamp column of each event table (the data end is the last of them)
EVENT_TIMES = {
    "orders": "order_date",
    "tickets": "created_at",
    "surveys": "responded_at",
    "touches": "sent_at",
}


@dataclass(frozen=True)
class Observation:
    """How far the data reach into the period.

    Attributes
    ----------
    period_end : date
    data_end : date or None
        Last day with an event (orders, tickets, surveys, touches) up to the period end.
    observation_end : date
        The day recency, tenure, ``T`` and churn censoring count to: the config's
        ``observation_end`` if set, else the earlier of the period end and ``data_end``.
    share : float
        Share of the period's days the data cover (1.0 when complete).
    """

    period: str
    period_end: date
    data_end: date | None
    observation_end: date
    share: float

    @property
    def partial(self) -> bool:
        """Whether the observation stops before the period ends (its KPIs are partial)."""
        return self.observation_end < self.period_end

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings)."""
        return {
            "period": self.period,
            "period_end": self.period_end.isoformat(),
            "data_end": self.data_end.isoformat() if self.data_end else None,
            "observation_end": self.observation_end.isoformat(),
            "share": self.share,
            "partial": self.partial,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Observation:
        """The inverse of :meth:`to_dict`."""
        return cls(
            data["period"],
            date.fromisoformat(data["period_end"]),
            date.fromisoformat(data["data_end"]) if data.get("data_end") else None,
            date.fromisoformat(data["observation_end"]),
            float(data["share"]),
        )


def observation(
    tables: dict[str, pd.DataFrame], period: Period | str, override: date | None = None
) -> Observation:
    """The observation end of a period: the earlier of its end and the last event in the data.

    Parameters
    ----------
    tables : dict of DataFrame
        Clean tables; the timestamps of :data:`EVENT_TIMES` count (rows after the period end
        are ignored).
    period : Period or str
    override : date, optional
        The config's ``observation_end`` (wins when set).

    Examples
    --------
    >>> o = pd.DataFrame({"order_date": pd.to_datetime(["2011-10-02 08:00", "2011-12-09 12:00"])})
    >>> obs = observation({"orders": o}, "2011Q4")
    >>> obs.observation_end.isoformat(), round(obs.share, 2), obs.partial
    ('2011-12-09', 0.76, True)
    """
    period = Period.parse(period)
    stop = pd.Timestamp(period.end_exclusive)
    last = None
    for table, column in EVENT_TIMES.items():
        frame = tables.get(table)
        if isinstance(frame, pd.DataFrame) and column in frame and len(frame):
            times = pd.to_datetime(frame[column])
            times = times[times < stop]
            if len(times) and times.notna().any():
                day = times.max().date()
                last = day if last is None or day > last else last
    if override is not None:
        end = min(override, period.end)
    elif last is not None:
        end = min(last, period.end)
    else:
        end = period.end
    covered = (end - period.start).days + 1
    share = max(0.0, min(1.0, covered / period.days))
    return Observation(period.label, period.end, last, end, share)


def _service(
    tables: dict[str, pd.DataFrame], end: pd.Timestamp, slow_hours: float
) -> pd.DataFrame | None:
    tickets = tables.get("tickets")
    if tickets is None:
        return None
    t = tickets[tickets["created_at"] < end].copy()
    if "first_response_at" in t:
        t["first_response_hours"] = (
            t["first_response_at"] - t["created_at"]
        ).dt.total_seconds() / 3600
    else:
        t["first_response_hours"] = float("nan")
    category = (
        t["category"].astype("string").str.lower()
        if "category" in t
        else pd.Series("", index=t.index)
    )
    complaint = category.str.contains("complain|投诉", na=False)
    unresolved = (
        t["resolved_at"].isna() | (t["resolved_at"] >= end)
        if "resolved_at" in t
        else pd.Series(False, index=t.index)
    )
    t["complaint"] = complaint
    t["unresolved_complaint"] = complaint & unresolved
    g = t.groupby("customer_id")
    out = pd.DataFrame(
        {
            "n_tickets": g.size(),
            "n_complaints": g["complaint"].sum(),
            "n_unresolved_complaints": g["unresolved_complaint"].sum(),
            "median_first_response_hours": g["first_response_hours"].median(),
            "csat_mean": g["csat"].mean() if "csat" in t else float("nan"),
        }
    )
    out["slow_first_response"] = out["median_first_response_hours"] > slow_hours
    return out


def customer_features(
    tables: dict[str, pd.DataFrame],
    period: Period | str,
    *,
    inactivity_days: int = 180,
    slow_response_hours: float = 24.0,
    grain: str = "lines",
    engine: Engine | None = None,
    observation_end: date | None = None,
) -> pd.DataFrame:
    """The unified customer view: one row per customer, joining every source.

    Customers present only in orders (or other tables) are added with unknown attributes.
    Service, survey and touch columns appear when those tables exist.

    Parameters
    ----------
    tables : dict of DataFrame
        Clean canonical tables (``customers`` and ``orders`` required; ``orders`` may also
        be a Parquet path, read by the engine).
    period : Period or str
        Reporting period; everything is as of its end.
    inactivity_days : int
        Churn window of the survival columns.
    slow_response_hours : float
        Median first response above this marks ``slow_first_response``.
    grain : {"lines", "orders"}
        ``"orders"`` when the orders are one row per order (see :func:`order_features`).
    engine : Engine, optional
        Engine for the order features.
    observation_end : date, optional
        See :func:`order_features` (default: the period end).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> tables = {"customers": pd.DataFrame({"customer_id": ["a", "z"], "signup_date": pd.to_datetime(["2024-12-01"] * 2)}),
    ...           "orders": pd.DataFrame({"customer_id": ["a"], "order_id": ["1"],
    ...                                   "order_date": pd.to_datetime(["2025-01-10"]), "amount": [10.0]})}
    >>> customer_features(tables, "2025Q1")[["customer_id", "n_orders", "has_ordered"]].to_dict("records")
    [{'customer_id': 'a', 'n_orders': 1, 'has_ordered': True}, {'customer_id': 'z', 'n_orders': 0, 'has_ordered': False}]
    """
    period = Period.parse(period)
    end = pd.Timestamp(period.end_exclusive)
    base = tables.get("customers")
    if base is None:  # no customer file: every customer id seen in the other tables
        seen = [
            pd.Index(frame["customer_id"].dropna())
            for name, frame in tables.items()
            if isinstance(frame, pd.DataFrame) and "customer_id" in frame
        ]
        ids = seen[0].append(seen[1:]).unique() if seen else pd.Index([])
        base = pd.DataFrame({"customer_id": pd.Series(ids, dtype=object)})
    base = base[base["signup_date"] < end] if "signup_date" in base else base
    if "orders" in tables:
        orders = order_features(
            tables["orders"],
            period,
            inactivity_days=inactivity_days,
            grain=grain,
            engine=engine,
            observation_end=observation_end,
        )
    else:  # surveys- or tickets-only export: nobody has an order
        orders = pd.DataFrame({"customer_id": pd.Series([], dtype=object)})
        for column in (*_ORDER_COUNTS, *_MONEY):
            orders[column] = pd.Series([], dtype=float)
    ids = pd.Index(base["customer_id"]).union(pd.Index(orders["customer_id"]))
    view = pd.DataFrame({"customer_id": ids}).merge(base, on="customer_id", how="left")
    view = view.merge(orders, on="customer_id", how="left")
    view["has_ordered"] = view["n_orders"].notna()
    for column in _ORDER_COUNTS:
        view[column] = view[column].fillna(0).astype("int64")
    for column in _MONEY:
        view[column] = view[column].fillna(0.0)
    if "signup_date" not in view and "first_purchase" in view:
        view["signup_date"] = view["first_purchase"]  # derived customers: first order = signup
    if "signup_date" in view and "first_purchase" in view:
        view["signup_date"] = view["signup_date"].fillna(view["first_purchase"])
    if "signup_date" in view:
        view["customer_age_days"] = (
            pd.Timestamp(observation_end or period.end) - view["signup_date"]
        ).dt.days
    view["is_new"] = (
        view["signup_date"] >= pd.Timestamp(period.start) if "signup_date" in view else False
    )
    view["active_in_period"] = view["n_orders_period"] > 0
    for column in ("region", "acquisition_channel"):
        if column in view:
            view[column] = view[column].fillna("unknown")
    service = _service(tables, end, slow_response_hours)
    if service is not None:
        view = view.merge(service, left_on="customer_id", right_index=True, how="left")
        for column in ("n_tickets", "n_complaints", "n_unresolved_complaints"):
            view[column] = view[column].fillna(0).astype("int64")
        view["slow_first_response"] = (
            view["slow_first_response"].astype("boolean").fillna(False).astype(bool)
        )
    surveys = tables.get("surveys")
    if surveys is not None:
        s = surveys[surveys["responded_at"] < end].sort_values(["responded_at", "response_id"])
        last = s.groupby("customer_id").tail(1).set_index("customer_id")
        view["last_nps_score"] = view["customer_id"].map(last["score"])
        view["nps_category"] = pd.cut(
            view["last_nps_score"],
            [-0.1, 6.5, 8.5, 10.1],
            labels=["detractor", "passive", "promoter"],
        ).astype(object)
    touches = tables.get("touches")
    if touches is not None:
        t = touches[touches["sent_at"] < end]
        g = t.groupby("customer_id")
        view["n_touches"] = view["customer_id"].map(g.size()).fillna(0).astype("int64")
        if "converted" in t:
            view["n_touch_conversions"] = (
                view["customer_id"].map(g["converted"].sum()).fillna(0).astype("int64")
            )
    return view.reset_index(drop=True)
