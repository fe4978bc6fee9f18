"""Behaviour paths: what churned customers did before they left, next to those who stayed.

One event stream is built from orders, touches, tickets and surveys (``customer_id, event,
ts, seq``; ties in time are ordered by a fixed event priority and then by the source id, so
the stream is the same on every run); the statistics are counted with numpy on integer
customer and event codes (kept from :func:`event_stream` for the frame it returned; the
transition matrix in DuckDB). No retentioneering: it sends telemetry and weighs ~400 MB.

Events: ``first_order``, ``repurchase``, ``touch`` (sent, not opened), ``touch_opened``,
``touch_converted``, ``ticket``, ``complaint``, ``survey_promoter``, ``survey_passive``,
``survey_detractor``.

Outcome (inactivity churn with window W, observed at the period end E): churned when
E − last order > W; a churned customer's path is cut at the churn date (last order + W), a
retained customer's at E. "Interaction" means any touch, ticket or survey.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period
from custops.core.errors import CustopsError
from custops.core.index import OrderIndex, order_index_of
from custops.core.results import Headline, Headlines
from custops.core.stats import wilson_ci, z_for
from custops.report import text as catalog

__all__ = [
    "EVENTS",
    "EventStream",
    "events",
    "event_stream",
    "paths_headlines",
    "outcomes",
    "transition_matrix",
    "step_matrix",
    "path_differences",
    "no_interaction_after_repurchase",
    "paths_findings",
    "step_differences",
    "step_takeaway",
    "plot_step_matrix",
]

#: event -> tie-break priority (lower first when two events share a timestamp)
EVENTS: dict[str, int] = {
    "first_order": 0,
    "repurchase": 1,
    "ticket": 2,
    "complaint": 3,
    "survey_promoter": 4,
    "survey_passive": 5,
    "survey_detractor": 6,
    "touch": 7,
    "touch_opened": 8,
    "touch_converted": 9,
}
#: events (and outcomes) with a readable name, the catalog text ``survival.paths.event.<event>``
_NAMED = frozenset((*EVENTS, "churned", "retained"))


def _event_label(event: str, lang: str) -> str:
    """An event's name in ``lang`` (an unknown event as it is)."""
    return catalog.t(f"survival.paths.event.{event}", lang) if event in _NAMED else event


@dataclass(eq=False)
class _Coded:
    """A stream as integer arrays sorted by customer code, then ``seq``.

    ``code`` indexes ``labels`` (customer ids in sorted order), ``event`` indexes ``names``,
    ``ts`` is in nanoseconds since the epoch.
    """

    code: np.ndarray
    labels: np.ndarray
    event: np.ndarray
    names: np.ndarray
    ts: np.ndarray
    seq: np.ndarray


@dataclass(frozen=True, eq=False)
class EventStream:
    """An event stream (:func:`events`) with its integer form, built together once.

    Pass it wherever a stream frame is accepted (:func:`outcomes`, :func:`step_matrix`,
    :func:`path_differences`, ...): the statistics then read the integer arrays built with
    the stream instead of factorising the frame's ids again. It describes ``frame`` as it was
    built: after changing the frame, pass the frame (or build the stream again).

    Attributes
    ----------
    frame : DataFrame
        ``customer_id, event, ts, seq`` (as :func:`event_stream` returns it).
    """

    frame: pd.DataFrame
    coded: _Coded

    def __len__(self) -> int:
        return len(self.frame)


def _frame(stream: pd.DataFrame | EventStream) -> pd.DataFrame:
    return stream.frame if isinstance(stream, EventStream) else stream


def _coded(stream: pd.DataFrame | EventStream) -> _Coded:
    """The integer form of a stream: that of an :class:`EventStream`, else built here."""
    if isinstance(stream, EventStream):
        return stream.coded
    code, labels = pd.factorize(stream["customer_id"], sort=True)
    event, names = pd.factorize(stream["event"])
    ts = pd.to_datetime(stream["ts"]).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    seq = stream["seq"].to_numpy(dtype=np.int64)
    keep = np.flatnonzero((code >= 0) & (event >= 0))  # a missing id or event joins nothing
    keep = keep[np.lexsort((seq[keep], code[keep]))]
    return _Coded(
        code[keep].astype(np.int64),
        np.asarray(labels, dtype=object),
        event[keep].astype(np.int64),
        np.asarray(names, dtype=object),
        ts[keep],
        seq[keep],
    )


def _event_codes(c: _Coded, events) -> np.ndarray:
    """Codes in ``c.names`` of the named events (those that occur)."""
    return np.flatnonzero(np.isin(c.names, list(events)))


def _cut_rows(c: _Coded, out: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the stream before their customer's cutoff, as in the DuckDB ``cut`` table.

    Returns ``(rows, back, churned)``: positions in ``c`` (sorted by customer, then seq),
    ``back`` = 1 for a customer's last row before the cutoff, 2 for the one before, ...,
    and per row whether its customer churned. Customers not in ``out`` are dropped.
    """
    at = pd.Index(c.labels).get_indexer(out["customer_id"])  # outcome row -> code
    found = at >= 0
    cutoff = np.full(len(c.labels), np.iinfo(np.int64).min)  # no outcome: nothing kept
    cutoff[at[found]] = (
        pd.to_datetime(out["cutoff"]).to_numpy(dtype="datetime64[ns]").astype(np.int64)[found]
    )
    churned = np.zeros(len(c.labels), dtype=bool)
    churned[at[found]] = out["churned"].to_numpy(dtype=bool)[found]
    rows = np.flatnonzero(c.ts < cutoff[c.code])
    code = c.code[rows]
    last = np.r_[code[1:] != code[:-1], True] if len(rows) else np.zeros(0, bool)
    end = np.flatnonzero(last)  # the last kept row of each customer
    back = np.repeat(end, np.diff(np.r_[-1, end])) - np.arange(len(rows)) + 1
    return rows, back, churned[code]


def _us(values) -> np.ndarray:
    """Timestamps as int64 microseconds (DuckDB's TIMESTAMP: nanoseconds truncated)."""
    a = pd.to_datetime(values).to_numpy(dtype="datetime64[ns]")
    return a.astype("datetime64[us]").astype(np.int64)


def _src_key(value) -> tuple:
    """Sort key of a source id as DuckDB orders ``CAST(id AS VARCHAR)`` (NULLs last)."""
    return (1, "") if pd.isna(value) else (0, str(value))


def _break_ties(order: np.ndarray, keys: list[np.ndarray], src) -> np.ndarray:
    """Reorder runs of ``order`` whose ``keys`` are all equal by the source id (``src(i)``)."""
    if len(order) < 2:
        return order
    same = np.ones(len(order) - 1, dtype=bool)
    for k in keys:
        v = k[order]
        same &= v[1:] == v[:-1]
    if not same.any():
        return order
    run = np.cumsum(np.r_[True, ~same]) - 1
    tied = np.zeros(run[-1] + 1, dtype=bool)
    tied[run[1:][same]] = True
    pos = np.flatnonzero(tied[run])  # positions inside runs with ties (few)
    order = order.copy()
    for r in np.unique(run[pos]):
        at = pos[run[pos] == r]
        rows = order[at]
        order[at] = sorted(rows, key=lambda i: _src_key(src(i)))
    return order


def _time_order(code: np.ndarray, ts: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Row order by customer code, then time, then event priority (ties in any order).

    One argsort of a packed int64 key when the three fit in 63 bits (times are divided by
    their greatest common step, e.g. whole minutes), else two stable sorts.
    """
    if not len(code):
        return np.arange(0)
    rel = ts - ts.min()
    step = int(np.gcd.reduce(rel)) or 1
    rel = rel // step
    ts_bits = int(rel.max()).bit_length()
    code_bits = int(code.max()).bit_length()
    if code_bits + ts_bits + 4 <= 63:
        return np.argsort((code << (ts_bits + 4)) | (rel << 4) | event)
    inner = np.argsort((rel << 4) | event, kind="stable") if ts_bits + 4 <= 63 else None
    if inner is None:
        return np.lexsort((event, ts, code))
    return inner[np.argsort(code[inner], kind="stable")]


def events(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    *,
    index: OrderIndex | None = None,
) -> EventStream:
    """The event stream of :func:`event_stream` with its integer form (:class:`EventStream`).

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "amount": 1.0})
    >>> s = events({"orders": o}, "2025Q1")
    >>> s.frame["event"].tolist(), outcomes(s, "2025Q1")["churned"].tolist()
    (['first_order', 'repurchase'], [False])
    """
    return _events(tables, period, index)


def event_stream(
    tables: Mapping[str, pd.DataFrame],
    period: Period | str,
    *,
    con=None,
    index: OrderIndex | None = None,
) -> pd.DataFrame:
    """One ordered event stream per customer up to the end of ``period``.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Clean canonical tables; ``orders`` required; ``touches``, ``tickets``, ``surveys``
        add their events when present.
    period : Period or str
        Events after the period end are dropped.
    con : duckdb.DuckDBPyConnection, optional
        Not used (kept for callers; the stream is built with numpy on integer customer codes,
        the same rows and order the DuckDB window query gave: time, then event priority,
        then the source id as text; timestamps in microseconds).
    index : OrderIndex, optional
        The :class:`~custops.core.index.OrderIndex` of ``tables["orders"]`` (built here when
        omitted).

    Returns
    -------
    DataFrame
        ``customer_id, event, ts, seq`` with ``seq`` = 1, 2, ... per customer in time order;
        ties broken by :data:`EVENTS` priority, then by the source row id. Only customers
        with an order (at any date) appear.

    Examples
    --------
    >>> o = pd.DataFrame({"customer_id": ["a", "a"], "order_id": ["1", "2"],
    ...     "order_date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "amount": 1.0})
    >>> t = pd.DataFrame({"touch_id": ["m1"], "customer_id": ["a"], "sent_at":
    ...     pd.to_datetime(["2025-01-01"]), "channel": ["sms"], "opened": [True], "converted": [False]})
    >>> event_stream({"orders": o, "touches": t}, "2025Q1")["event"].tolist()
    ['first_order', 'touch_opened', 'repurchase']
    """
    return _events(tables, period, index).frame


def _events(
    tables: Mapping[str, pd.DataFrame], period: Period | str, index: OrderIndex | None
) -> EventStream:
    period = Period.parse(period)
    if "orders" not in tables:
        raise CustopsError(
            "Behaviour paths need the orders table.", fix="Add an `orders` source to the config."
        )
    end = int(np.datetime64(pd.Timestamp(period.end_exclusive), "us").astype(np.int64))
    orders = tables["orders"]
    ix = order_index_of(orders, index)
    all_codes, labels, unique = ix.codes, ix.labels, ix.ids_unique
    oid_all = orders["order_id"]
    ok = (all_codes >= 0) & orders["order_date"].notna().to_numpy() & oid_all.notna().to_numpy()
    code, ts, oid = all_codes[ok], _us(orders["order_date"])[ok], oid_all.to_numpy()[ok]
    if not unique:  # order lines: one event per (customer, order) at its first line
        oc, _ = pd.factorize(oid)
        key = code * (int(oc.max()) + 1) + oc
        uniq, first_row, inv = np.unique(key, return_index=True, return_inverse=True)
        first_ts = np.full(len(uniq), np.iinfo(np.int64).max)
        np.minimum.at(first_ts, inv, ts)
        code, ts, oid = code[first_row], first_ts, oid[first_row]
    customers = np.zeros(len(labels), dtype=bool)
    customers[code] = True  # customers with an order (any date)
    # first order: the earliest (time, then order id as text) of each customer
    by = _break_ties(
        _time_order(code, ts, np.zeros(len(code), np.int64)), [code, ts], oid.__getitem__
    )
    first = np.r_[True, code[by][1:] != code[by][:-1]] if len(by) else np.zeros(0, bool)
    event = np.full(len(code), EVENTS["repurchase"], dtype=np.int64)
    event[by[first]] = EVENTS["first_order"]
    parts = [(code, ts, event, oid)]

    def coded(frame: pd.DataFrame, when: str, cols: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
        c = ix.codes_of(frame)  # -1 also for a missing id
        keep = (c >= 0) & frame[[when, *cols]].notna().all(axis=1).to_numpy()
        keep[keep] = customers[c[keep]]
        return frame[keep], c[keep]

    touches = tables.get("touches")
    if touches is not None and len(touches):
        t, c = coded(touches, "sent_at", [])
        flag = {
            col: t[col].fillna(False).astype(bool).to_numpy()
            if col in t
            else np.zeros(len(t), bool)
            for col in ("opened", "converted")
        }
        ev = np.where(
            flag["converted"],
            EVENTS["touch_converted"],
            np.where(flag["opened"], EVENTS["touch_opened"], EVENTS["touch"]),
        )
        parts.append((c, _us(t["sent_at"]), ev, t["touch_id"].to_numpy()))
    tickets = tables.get("tickets")
    if tickets is not None and len(tickets):
        k, c = coded(tickets, "created_at", [])
        cat = k["category"] if "category" in k else pd.Series("", index=k.index)
        complaint = cat.astype("string").str.lower().str.contains("complain|投诉", na=False)
        ev = np.where(complaint.to_numpy(dtype=bool), EVENTS["complaint"], EVENTS["ticket"])
        parts.append((c, _us(k["created_at"]), ev, k["ticket_id"].to_numpy()))
    surveys = tables.get("surveys")
    if surveys is not None and len(surveys):
        s, c = coded(surveys, "responded_at", ["response_id", "score"])
        score = s["score"].to_numpy(dtype=float)
        ev = np.where(
            score >= 9,
            EVENTS["survey_promoter"],
            np.where(score >= 7, EVENTS["survey_passive"], EVENTS["survey_detractor"]),
        )
        parts.append((c, _us(s["responded_at"]), ev, s["response_id"].to_numpy()))
    code = np.concatenate([p[0] for p in parts])
    ts = np.concatenate([p[1] for p in parts])
    event = np.concatenate([p[2] for p in parts])
    starts = np.cumsum([0] + [len(p[0]) for p in parts])
    keep = np.flatnonzero(ts < end)  # row numbers in the concatenation
    code, ts, event = code[keep], ts[keep], event[keep]

    def src(i: int):  # the source id of a row, looked up only for ties
        row = int(keep[i])
        part = int(np.searchsorted(starts, row, side="right")) - 1
        return parts[part][3][row - starts[part]]

    order = _break_ties(_time_order(code, ts, event), [code, ts, event], src)
    code, ts, event = code[order], ts[order], event[order]
    start = np.r_[True, code[1:] != code[:-1]] if len(code) else np.zeros(0, bool)
    pos = np.arange(len(code))
    seq = pos - np.maximum.accumulate(np.where(start, pos, 0)) + 1
    names = np.array(list(EVENTS), dtype=object)[np.argsort(list(EVENTS.values()))]
    stream = pd.DataFrame(
        {
            "customer_id": labels[code],
            "event": names[event],
            "ts": ts.astype("datetime64[us]"),
            "seq": seq.astype("int64"),
        }
    )
    # the integer form, for outcomes and the path statistics on the same frame
    return EventStream(stream, _Coded(code, labels, event, names, ts * 1000, seq.astype(np.int64)))


def outcomes(
    stream: pd.DataFrame | EventStream, period: Period | str, *, inactivity_days: int = 180
) -> pd.DataFrame:
    """Churned or retained at the period end, and where each customer's path is cut.

    Returns
    -------
    DataFrame
        ``customer_id, last_order, churned, cutoff`` (cutoff = last order + W for churned
        customers, the period end otherwise).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "event": ["first_order"] * 2,
    ...     "ts": pd.to_datetime(["2025-01-01", "2025-12-01"]), "seq": [1, 1]})
    >>> outcomes(s, "2025Q4")["churned"].tolist()
    [True, False]
    """
    period = Period.parse(period)
    end = pd.Timestamp(period.end_exclusive)
    c = _coded(stream)
    is_order = np.isin(c.event, _event_codes(c, ("first_order", "repurchase")))
    top = np.full(len(c.labels), np.iinfo(np.int64).min)
    np.maximum.at(top, c.code[is_order], c.ts[is_order])
    has = np.flatnonzero(top != np.iinfo(np.int64).min)  # codes in sorted id order
    last = pd.Series(
        top[has].astype("datetime64[ns]").astype(_frame(stream)["ts"].dtype),
        index=pd.Index(c.labels[has], name="customer_id"),
        name="ts",
    )  # = the last order time per customer (groupby max on the text ids)
    last_day = last.dt.normalize()
    churned = (pd.Timestamp(period.end) - last_day).dt.days > inactivity_days
    cutoff = np.where(churned, last_day + pd.Timedelta(days=inactivity_days + 1), end)
    return pd.DataFrame(
        {
            "customer_id": last.index,
            "last_order": last.to_numpy(),
            "churned": churned.to_numpy(),
            "cutoff": pd.to_datetime(cutoff),
        }
    ).reset_index(drop=True)


def _cut(stream: pd.DataFrame | EventStream, out: pd.DataFrame, con) -> None:
    con.register("stream", _frame(stream))
    con.register("outc", out)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE cut AS
           SELECT s.customer_id, s.event, s.ts, s.seq, o.churned,
                  row_number() OVER (PARTITION BY s.customer_id ORDER BY s.seq DESC) AS back
           FROM stream s JOIN outc o USING (customer_id) WHERE s.ts < o.cutoff"""
    )


def transition_matrix(stream: pd.DataFrame | EventStream, out: pd.DataFrame) -> pd.DataFrame:
    """Counts and row shares of event → next event, ending in ``churned``/``retained``.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "a"], "event": ["first_order", "touch"],
    ...     "ts": pd.to_datetime(["2025-01-01", "2025-01-02"]), "seq": [1, 2]})
    >>> tm = transition_matrix(s, outcomes(s, "2025Q1"))
    >>> tm[["from_event", "to_event", "count"]].values.tolist()
    [['first_order', 'touch', 1], ['touch', 'retained', 1]]
    """
    con = duckdb.connect()
    _cut(stream, out, con)
    tm = con.execute(
        """SELECT event AS from_event,
                  coalesce(lead(event) OVER (PARTITION BY customer_id ORDER BY seq),
                           CASE WHEN churned THEN 'churned' ELSE 'retained' END) AS to_event
           FROM cut"""
    ).df()
    con.close()
    counts = tm.groupby(["from_event", "to_event"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts.groupby("from_event")["count"].transform("sum")
    counts["count"] = counts["count"].astype("int64")
    return counts.sort_values(["from_event", "to_event"], ignore_index=True)


def step_matrix(
    stream: pd.DataFrame | EventStream, out: pd.DataFrame, *, n_steps: int = 5
) -> pd.DataFrame:
    """Share of customers whose k-th last event (k = 1..n_steps) is each event, by outcome.

    Returns
    -------
    DataFrame
        ``group ("churned"/"retained"), step (-n..-1), event, customers, share`` where share is
        over all customers of the group (those with fewer events count as ``(none)``).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "a"], "event": ["first_order", "touch"],
    ...     "ts": pd.to_datetime(["2025-01-01", "2025-01-02"]), "seq": [1, 2]})
    >>> step_matrix(s, outcomes(s, "2025Q1"), n_steps=2)[["step", "event", "share"]].values.tolist()
    [[-2, 'first_order', 1.0], [-1, 'touch', 1.0]]
    """
    c = _coded(stream)
    rows, back, churned = _cut_rows(c, out)
    sel = back <= n_steps
    n_ev = max(len(c.names), 1)
    key = ((~churned[sel]).astype(np.int64) * (n_steps + 1) + back[sel]) * n_ev + c.event[rows[sel]]
    uniq, customers = np.unique(key, return_counts=True)
    df = pd.DataFrame(
        {
            "group": np.where(uniq // n_ev // (n_steps + 1) == 0, "churned", "retained").astype(
                object
            ),
            "step": (-(uniq // n_ev % (n_steps + 1))).astype("int64"),
            "event": c.names[uniq % n_ev] if len(uniq) else np.zeros(0, object),
            "customers": customers.astype("int64"),
        }
    )  # one count per (group, k-th last event, event), as the GROUP BY over the cut stream
    size = out.groupby(np.where(out["churned"], "churned", "retained")).size()
    df["step"] = df["step"].astype("int64")
    df["share"] = df["customers"] / df["group"].map(size)
    return df.sort_values(["group", "step", "event"], ignore_index=True)


def _paths(stream: pd.DataFrame | EventStream, out: pd.DataFrame, n_steps: int) -> pd.DataFrame:
    """``customer_id, churned, path``: each customer's last ``n_steps`` events before the cutoff.

    The events are packed into one integer per customer (digit ``k`` = 1 + the event code
    of the k-th last event, base ``len(names) + 1``); the text of each distinct path is
    built once.
    """
    c = _coded(stream)
    rows, back, churned = _cut_rows(c, out)
    sel = np.flatnonzero(back <= n_steps)
    base = len(c.names) + 1
    if n_steps * np.log2(max(base, 2)) >= 62:
        raise CustopsError(
            f"Paths of {n_steps} steps over {len(c.names)} events do not fit in 64 bits.",
            fix="Use fewer steps (the report uses 3).",
        )
    code = c.code[rows[sel]]
    digit = (c.event[rows[sel]] + 1) * base ** (back[sel] - 1)
    start = np.r_[True, code[1:] != code[:-1]] if len(sel) else np.zeros(0, bool)
    first = np.flatnonzero(start)
    packed = np.add.reduceat(digit, first) if len(first) else np.zeros(0, np.int64)
    keys, inverse = np.unique(packed, return_inverse=True)
    texts = []
    for k in keys.tolist():
        events = []
        while k:
            k, d = divmod(k, base)
            events.append(c.names[d - 1])
        texts.append(" → ".join(reversed(events)))  # earliest first, as ORDER BY seq
    return pd.DataFrame(
        {
            "customer_id": c.labels[code[first]],
            "churned": churned[sel][first],
            "path": np.asarray(texts, dtype=object)[inverse] if len(first) else np.zeros(0, object),
        }
    )


def path_differences(
    stream: pd.DataFrame | EventStream,
    out: pd.DataFrame,
    *,
    n_steps: int = 3,
    min_customers: int = 20,
    top: int = 10,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Last-``n_steps`` paths whose share differs most between churned and retained customers.

    The difference of shares gets a Newcombe (Wilson-score) interval and a two-proportion
    z-test p-value with Holm's correction over the paths shown; paths seen in fewer than
    ``min_customers`` customers are left out.

    Returns
    -------
    DataFrame
        ``path, churned_n, churned_share, retained_n, retained_share, diff, ci_low, ci_high,
        p_holm`` sorted by |diff|.

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "b"], "event": ["first_order"] * 2,
    ...     "ts": pd.to_datetime(["2024-01-01", "2025-12-01"]), "seq": [1, 1]})
    >>> path_differences(s, outcomes(s, "2025Q4"), min_customers=1)["path"].tolist()
    ['first_order']
    """
    p = _paths(stream, out, n_steps)
    n_c = int(out["churned"].sum())
    n_r = int((~out["churned"].astype(bool)).sum())
    counts = p.groupby(["path", "churned"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[True, False], fill_value=0)
    counts = counts[counts.sum(axis=1) >= min_customers]
    kc = counts[True].to_numpy(dtype=float)
    kr = counts[False].to_numpy(dtype=float)
    pc = kc / max(n_c, 1)
    pr = kr / max(n_r, 1)
    lc, uc = wilson_ci(kc, np.full(len(kc), n_c), z_for(conf))
    lr, ur = wilson_ci(kr, np.full(len(kr), n_r), z_for(conf))
    d = pc - pr
    low = d - np.sqrt((pc - lc) ** 2 + (ur - pr) ** 2)
    high = d + np.sqrt((uc - pc) ** 2 + (pr - lr) ** 2)
    pool = (kc + kr) / max(n_c + n_r, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        zstat = d / np.sqrt(pool * (1 - pool) * (1 / max(n_c, 1) + 1 / max(n_r, 1)))
    pval = 2 * stats.norm.sf(np.abs(np.nan_to_num(zstat)))
    res = pd.DataFrame(
        {
            "path": counts.index,
            "churned_n": kc.astype(int),
            "churned_share": pc,
            "retained_n": kr.astype(int),
            "retained_share": pr,
            "diff": d,
            "ci_low": low,
            "ci_high": high,
            "p_value": pval,
        }
    )
    res = res.reindex(res["diff"].abs().sort_values(ascending=False).index).head(top)
    from statsmodels.stats.multitest import multipletests

    res["p_holm"] = multipletests(res["p_value"], method="holm")[1] if len(res) else []
    return res.drop(columns="p_value").reset_index(drop=True)


def no_interaction_after_repurchase(
    stream: pd.DataFrame | EventStream, out: pd.DataFrame, *, conf: float = 0.95
) -> pd.DataFrame:
    """Share of customers with no touch, ticket or survey after their first repurchase.

    Only customers with a repurchase count; the window runs from the first repurchase to the
    churn date (churned) or the period end (retained).

    Returns
    -------
    DataFrame
        ``group, customers, no_interaction, share, ci_low, ci_high`` (Wilson interval).

    Examples
    --------
    >>> s = pd.DataFrame({"customer_id": ["a", "a", "a"], "event": ["first_order", "repurchase",
    ...     "touch"], "ts": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]), "seq": [1, 2, 3]})
    >>> q = no_interaction_after_repurchase(s, outcomes(s, "2025Q1"))
    >>> float(q.set_index("group").loc["retained", "share"])
    0.0
    """
    c = _coded(stream)
    rows, _, churned = _cut_rows(c, out)
    code, seq, event = c.code[rows], c.seq[rows], c.event[rows]
    big = np.iinfo(np.int64).max
    rseq = np.full(len(c.labels), big)  # first repurchase (seq) before the cutoff
    rep = np.isin(event, _event_codes(c, ("repurchase",)))
    np.minimum.at(rseq, code[rep], seq[rep])
    other = ~np.isin(event, _event_codes(c, ("first_order", "repurchase")))
    n_after = np.bincount(code[other & (seq > rseq[code])], minlength=len(c.labels))
    has = rseq != big
    per = np.zeros(len(c.labels), dtype=bool)
    per[code] = churned  # churned per customer code
    df = pd.DataFrame({"churned": per[has], "n_after": n_after[has]})
    rows = []
    for name, flag in (("churned", True), ("retained", False)):
        g = df[df["churned"].astype(bool) == flag]
        n = len(g)
        k = int((g["n_after"] == 0).sum())
        lo, hi = wilson_ci(np.array([k]), np.array([n]), z_for(conf))
        rows.append(
            {
                "group": name,
                "customers": n,
                "no_interaction": k,
                "share": k / n if n else np.nan,
                "ci_low": float(lo[0]),
                "ci_high": float(hi[0]),
            }
        )
    return pd.DataFrame(rows)


def paths_headlines(quiet: pd.DataFrame) -> Headlines:
    """The glued headline numbers of the paths section (the landing page quotes them).

    ``churn_quiet_after_repurchase_share``: the share of churned customers with no touch,
    ticket or survey after their first repurchase, with its 95% interval (``_low``/``_high``),
    from :func:`no_interaction_after_repurchase`.

    Examples
    --------
    >>> q = pd.DataFrame({"group": ["churned", "retained"], "share": [0.5, 0.2],
    ...     "ci_low": [0.3, 0.1], "ci_high": [0.7, 0.3]})
    >>> paths_headlines(q)["churn_quiet_after_repurchase_share"]
    0.5
    """
    churned = quiet.set_index("group").loc["churned"]
    share, low, high = (round(float(churned[c]), 3) for c in ("share", "ci_low", "ci_high"))
    return Headlines([Headline("churn_quiet_after_repurchase_share", share, "share", low, high)])


def paths_findings(diffs: pd.DataFrame, quiet: pd.DataFrame, lang: str = "en") -> str:
    """Findings sentences (en/zh) from :func:`path_differences` and
    :func:`no_interaction_after_repurchase`.

    Examples
    --------
    >>> q = pd.DataFrame({"group": ["churned", "retained"], "customers": [100, 200],
    ...     "no_interaction": [40, 20], "share": [0.4, 0.1], "ci_low": [0.31, 0.07],
    ...     "ci_high": [0.5, 0.15]})
    >>> paths_findings(pd.DataFrame(columns=["path", "diff"]), q).split(".")[0]
    '40% of churned customers (95% CI 31%–50%) had no touch, ticket or survey after their first repurchase, against 10% (7%–15%) of retained customers'
    """
    c = quiet.set_index("group")
    ch, re_ = c.loc["churned"], c.loc["retained"]
    top = diffs.iloc[0] if len(diffs) else None
    text = catalog.t(
        "survival.paths.findings.quiet",
        lang,
        share=ch["share"],
        low=ch["ci_low"],
        high=ch["ci_high"],
        r_share=re_["share"],
        r_low=re_["ci_low"],
        r_high=re_["ci_high"],
    )
    if top is not None:
        path = " → ".join(_event_label(e, lang) for e in str(top["path"]).split(" → "))
        text += catalog.t(
            "survival.paths.findings.top",
            lang,
            path=path,
            churned=top["churned_share"],
            retained=top["retained_share"],
            diff=top["diff"] * 100,
            low=top["ci_low"] * 100,
            high=top["ci_high"] * 100,
        )
    return text


def step_differences(steps: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Churned minus retained share per event (rows, named in ``lang``) and step (columns),
    from :func:`step_matrix`.

    Examples
    --------
    >>> st = pd.DataFrame({"group": ["churned", "retained"], "step": [-1, -1],
    ...     "event": ["touch", "touch"], "customers": [1, 1], "share": [0.6, 0.2]})
    >>> step_differences(st, "zh").round(2).to_dict()
    {-1: {'触达': 0.4}}
    """
    wide = steps.pivot_table(index=["event", "step"], columns="group", values="share", fill_value=0)
    wide = wide.reindex(columns=["churned", "retained"], fill_value=0)
    diff = (wide["churned"] - wide["retained"]).unstack("step").fillna(0)
    return diff.rename(index=lambda e: _event_label(e, lang))


def plot_step_matrix(
    diff: pd.DataFrame, lang: str = "en", *, takeaway: str | None = None, ax: Any = None
) -> Any:
    """Heatmap of :func:`step_differences` (churned minus retained share per event and step),
    on a colour scale symmetric around 0; returns the Axes.

    ``takeaway`` (the caption, :func:`step_takeaway`) is recorded on the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> d = pd.DataFrame({-1: [0.4]}, index=["touch"])
    >>> fig, ax = plt.subplots()
    >>> plot_step_matrix(d, ax=ax) is ax
    True
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import set_takeaway

    own = ax is None
    if own:
        _, ax = plt.subplots(figsize=(7, 0.45 * len(diff) + 1.5))
    lim = max(float(np.abs(diff.to_numpy()).max()), 0.01)
    sns.heatmap(diff, ax=ax, cmap="RdBu_r", center=0, vmin=-lim, vmax=lim, annot=True, fmt=".0%")
    ax.set_title(catalog.t("survival.paths.steps.title", lang))
    ax.set_xlabel(catalog.t("survival.paths.steps.xlabel", lang))
    ax.set_ylabel("")
    if own:
        ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)


def step_takeaway(diff: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the step matrix (churned minus retained share, event × step): its
    largest difference.

    Examples
    --------
    >>> d = pd.DataFrame({-2: [0.05, 0.0], -1: [-0.3, 0.1]}, index=["repurchase", "complaint"])
    >>> step_takeaway(d)
    'The largest difference is repurchase 1 step(s) before the end: 30 points less common among churned than retained customers.'
    """
    stacked = diff.stack()
    if stacked.empty or float(stacked.abs().max()) == 0:
        return catalog.t("figure.no_data", lang)
    event, step = stacked.abs().idxmax()
    value = float(stacked[(event, step)])
    return catalog.t(
        "figure.step_matrix.more" if value > 0 else "figure.step_matrix.less",
        lang,
        event=str(event).replace("_", " "),
        k=abs(int(step)),
        points=f"{abs(value) * 100:.0f}",
    )
