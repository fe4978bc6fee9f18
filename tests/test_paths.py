"""Behaviour paths: DuckDB statistics equal an independent pandas recount; ties are ordered."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd
import pytest

from custops.core.config import Period
from custops.core.errors import CustopsError
from custops.report.plots import takeaway
from custops.survival import paths


@pytest.fixture(scope="module")
def small_stream() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random stream of 80 customers built from small canonical tables."""
    rng = np.random.default_rng(5)
    ids = [f"c{i:02d}" for i in range(80)]
    base = pd.Timestamp("2024-01-01")
    orders = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 300),
            "order_id": [f"o{i}" for i in range(300)],
            "order_date": base + pd.to_timedelta(rng.integers(0, 700, 300), unit="D"),
            "amount": 10.0,
        }
    )
    touches = pd.DataFrame(
        {
            "touch_id": [f"m{i}" for i in range(250)],
            "customer_id": rng.choice(ids, 250),
            "sent_at": base + pd.to_timedelta(rng.integers(0, 730, 250), unit="D"),
            "channel": "sms",
            "opened": rng.random(250) < 0.4,
            "converted": rng.random(250) < 0.1,
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"t{i}" for i in range(60)],
            "customer_id": rng.choice(ids, 60),
            "created_at": base + pd.to_timedelta(rng.integers(0, 730, 60), unit="D"),
            "category": rng.choice(["complaint", "inquiry"], 60),
        }
    )
    tables = {"orders": orders, "touches": touches, "tickets": tickets}
    stream = paths.event_stream(tables, "2025Q4")
    return stream, paths.outcomes(stream, "2025Q4", inactivity_days=180)


def _cut(stream: pd.DataFrame, out: pd.DataFrame) -> dict[str, list[str]]:
    """Per customer, the events before the cutoff, in order (plain pandas)."""
    m = stream.merge(out, on="customer_id")
    m = m[m["ts"] < m["cutoff"]].sort_values(["customer_id", "seq"])
    return {cid: g["event"].tolist() for cid, g in m.groupby("customer_id")}


def test_transition_matrix_equals_pandas_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    counts: dict[tuple[str, str], int] = {}
    for cid, events in _cut(stream, out).items():
        end = "churned" if churned[cid] else "retained"
        for a, b in zip(events, [*events[1:], end], strict=True):
            counts[(a, b)] = counts.get((a, b), 0) + 1
    tm = paths.transition_matrix(stream, out)
    got = {(r.from_event, r.to_event): r.count for r in tm.itertuples()}
    assert got == counts
    assert tm.groupby("from_event")["share"].sum().round(12).eq(1).all()


def test_step_matrix_and_paths_equal_pandas_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    cut = _cut(stream, out)
    steps = paths.step_matrix(stream, out, n_steps=3).set_index(["group", "step", "event"])
    n_group = {"churned": int(churned.sum()), "retained": int((~churned).sum())}
    manual: dict[tuple[str, int, str], int] = {}
    for cid, events in cut.items():
        g = "churned" if churned[cid] else "retained"
        for k in range(1, min(3, len(events)) + 1):
            key = (g, -k, events[-k])
            manual[key] = manual.get(key, 0) + 1
    assert steps["customers"].to_dict() == manual
    for key, n in manual.items():
        assert steps.loc[key, "share"] == pytest.approx(n / n_group[key[0]])

    diffs = paths.path_differences(stream, out, n_steps=2, min_customers=1, top=100)
    last2 = pd.Series({cid: " → ".join(ev[-2:]) for cid, ev in cut.items()})
    for row in diffs.itertuples():
        ids = last2.index[last2 == row.path]
        kc = int(churned.reindex(ids).sum())
        assert row.churned_n == kc
        assert row.churned_share == pytest.approx(kc / n_group["churned"])
        assert row.retained_share == pytest.approx((len(ids) - kc) / n_group["retained"])
        assert row.ci_low <= row.diff <= row.ci_high
    assert set(diffs["path"]) == set(last2.unique())


def test_no_interaction_after_first_repurchase_equals_recount(small_stream) -> None:
    stream, out = small_stream
    churned = out.set_index("customer_id")["churned"]
    tally = {"churned": [0, 0], "retained": [0, 0]}
    for cid, events in _cut(stream, out).items():
        if "repurchase" not in events:
            continue
        after = events[events.index("repurchase") + 1 :]
        g = "churned" if churned[cid] else "retained"
        tally[g][0] += 1
        tally[g][1] += int(not any(e not in ("first_order", "repurchase") for e in after))
    q = paths.no_interaction_after_repurchase(stream, out).set_index("group")
    for g, (n, k) in tally.items():
        assert (q.loc[g, "customers"], q.loc[g, "no_interaction"]) == (n, k)
        assert q.loc[g, "ci_low"] <= q.loc[g, "share"] <= q.loc[g, "ci_high"]


def test_ties_follow_priority_then_source_id() -> None:
    day = pd.Timestamp("2025-03-01 10:00")
    orders = pd.DataFrame(
        {"customer_id": ["a", "a"], "order_id": ["9", "8"], "order_date": [day, day], "amount": 1.0}
    )
    touches = pd.DataFrame(
        {
            "touch_id": ["m2", "m1"],
            "customer_id": ["a", "a"],
            "sent_at": [day, day],
            "channel": "sms",
            "opened": [False, True],
            "converted": [False, False],
        }
    )
    tickets = pd.DataFrame(
        {"ticket_id": ["t1"], "customer_id": ["a"], "created_at": [day], "category": ["投诉"]}
    )
    s = paths.event_stream({"orders": orders, "touches": touches, "tickets": tickets}, "2025Q1")
    assert s["event"].tolist() == [
        "first_order",
        "repurchase",
        "complaint",
        "touch",
        "touch_opened",
    ]
    assert s["seq"].tolist() == [1, 2, 3, 4, 5]
    # the same tables in another row order give the same stream
    s2 = paths.event_stream(
        {"orders": orders[::-1], "touches": touches[::-1], "tickets": tickets}, "2025Q1"
    )
    pd.testing.assert_frame_equal(s, s2)


def test_demo_paths_and_findings(generated_event_tables: dict) -> None:
    tables = generated_event_tables
    stream = paths.event_stream(tables, "2025Q4")
    out = paths.outcomes(stream, "2025Q4")
    # outcome agrees with a direct inactivity count on the orders
    last = tables["orders"].groupby("customer_id")["order_date"].max().dt.normalize()
    expected = (pd.Timestamp("2025-12-31") - last).dt.days > 180
    assert out.set_index("customer_id")["churned"].sort_index().equals(expected.sort_index())
    diffs = paths.path_differences(stream, out)
    quiet = paths.no_interaction_after_repurchase(stream, out)
    assert (diffs["p_holm"] >= 0).all() and len(diffs) == 10
    assert "first repurchase" in paths.paths_findings(diffs, quiet, "en")
    assert "首次复购" in paths.paths_findings(diffs, quiet, "zh")
    steps = paths.step_matrix(stream, out)
    diff = paths.step_differences(steps, "en")
    # independently: churned minus retained share of one (event, step) cell
    cell = steps[(steps["event"] == "repurchase") & (steps["step"] == -1)].set_index("group")
    share = cell["share"].reindex(["churned", "retained"], fill_value=0)
    assert diff.loc["repurchase", -1] == pytest.approx(share["churned"] - share["retained"])
    assert paths.step_differences(steps, "zh").loc["复购", -1] == diff.loc["repurchase", -1]
    ax = paths.plot_step_matrix(diff, "en", takeaway=paths.step_takeaway(diff, "en"))
    assert len(ax.figure.axes) == 2  # heatmap + colour bar
    assert takeaway(ax).startswith("The largest difference is ")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plot_step_matrix_draws_into_a_given_axes_and_returns_it(lang) -> None:
    import matplotlib.pyplot as plt

    diff = pd.DataFrame({-2: [0.05, 0.0], -1: [-0.3, 0.1]}, index=["repurchase", "complaint"])
    fig, ax = plt.subplots()
    assert paths.plot_step_matrix(diff, lang, takeaway="t.", ax=ax) is ax
    assert len(ax.collections) == 1 and takeaway(fig) == "t."
    plt.close(fig)


def test_missing_orders_error() -> None:
    with pytest.raises(CustopsError, match="need the orders table"):
        paths.event_stream({}, "2025Q4")


# --------------------------------------------------------------------------- reference


def event_stream_duckdb(
    tables: Mapping[str, pd.DataFrame], period: Period | str, *, con=None
) -> pd.DataFrame:
    """The DuckDB window query event_stream used before the numpy version."""
    period = Period.parse(period)
    if "orders" not in tables:
        raise ValueError("orders")
    own = con is None
    con = con or duckdb.connect()
    end = pd.Timestamp(period.end_exclusive)
    parts = []
    o = tables["orders"][["customer_id", "order_id", "order_date"]].dropna()
    con.register("o_src", o)
    parts.append(
        """SELECT customer_id, CASE WHEN row_number() OVER (PARTITION BY customer_id
                  ORDER BY ts, src_id) = 1 THEN 'first_order' ELSE 'repurchase' END AS event,
                  ts, src_id
           FROM (SELECT customer_id, CAST(order_id AS VARCHAR) AS src_id,
                        CAST(min(order_date) AS TIMESTAMP) AS ts
                 FROM o_src GROUP BY customer_id, order_id)"""
    )
    touches = tables.get("touches")
    if touches is not None and len(touches):
        t = touches.copy()
        for col in ("opened", "converted"):
            t[col] = t[col].fillna(False).astype(bool) if col in t else False
        con.register("t_src", t[["touch_id", "customer_id", "sent_at", "opened", "converted"]])
        parts.append(
            """SELECT customer_id, CASE WHEN converted THEN 'touch_converted'
                      WHEN opened THEN 'touch_opened' ELSE 'touch' END AS event,
                      CAST(sent_at AS TIMESTAMP) AS ts, CAST(touch_id AS VARCHAR) AS src_id
               FROM t_src WHERE customer_id IS NOT NULL AND sent_at IS NOT NULL"""
        )
    tickets = tables.get("tickets")
    if tickets is not None and len(tickets):
        k = tickets[["ticket_id", "customer_id", "created_at"]].copy()
        cat = tickets["category"] if "category" in tickets else pd.Series("", index=k.index)
        k["complaint"] = cat.astype("string").str.lower().str.contains("complain|投诉", na=False)
        con.register("k_src", k)
        parts.append(
            """SELECT customer_id, CASE WHEN complaint THEN 'complaint' ELSE 'ticket' END AS event,
                      CAST(created_at AS TIMESTAMP) AS ts, CAST(ticket_id AS VARCHAR) AS src_id
               FROM k_src WHERE customer_id IS NOT NULL AND created_at IS NOT NULL"""
        )
    surveys = tables.get("surveys")
    if surveys is not None and len(surveys):
        s = surveys[["response_id", "customer_id", "responded_at", "score"]].dropna()
        con.register("s_src", s)
        parts.append(
            """SELECT customer_id, CASE WHEN score >= 9 THEN 'survey_promoter'
                      WHEN score >= 7 THEN 'survey_passive' ELSE 'survey_detractor' END AS event,
                      CAST(responded_at AS TIMESTAMP) AS ts, CAST(response_id AS VARCHAR) AS src_id
               FROM s_src"""
        )
    prio = " ".join(f"WHEN '{e}' THEN {p}" for e, p in paths.EVENTS.items())
    sql = f"""
        WITH ev AS ({" UNION ALL ".join(parts)})
        SELECT customer_id, event, ts,
               row_number() OVER (PARTITION BY customer_id
                                  ORDER BY ts, CASE event {prio} END, src_id) AS seq
        FROM ev WHERE ts < ? AND customer_id IN (SELECT customer_id FROM o_src)
        ORDER BY customer_id, seq"""
    out = con.execute(sql, [end.to_pydatetime()]).df()
    if own:
        con.close()
    out["seq"] = out["seq"].astype("int64")
    return out


def _tie_heavy_tables(seed: int = 3) -> dict:
    """Random tables on a coarse clock (many same-time events), order lines, missing values."""
    rng = np.random.default_rng(seed)
    n = 3000
    day = pd.Timestamp("2025-01-01")
    clock = lambda k: day + pd.to_timedelta(rng.integers(0, 200, k) * 6, unit="h")  # noqa: E731
    cust = lambda k: rng.choice([f"c{i:03d}" for i in range(150)] + [None], k)  # noqa: E731
    orders = pd.DataFrame(
        {
            "customer_id": cust(n),
            "order_id": rng.integers(0, 1500, n).astype(str),
            "order_date": clock(n),
            "amount": 1.0,
        }
    )
    orders.loc[::97, "order_date"] = pd.NaT
    touches = pd.DataFrame(
        {
            "touch_id": rng.integers(0, 10**6, n).astype(str),
            "customer_id": rng.choice([f"c{i:03d}" for i in range(170)], n),
            "sent_at": clock(n),
            "opened": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "converted": rng.random(n) < 0.1,
        }
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": rng.integers(0, 10**6, 500).astype(str),
            "customer_id": cust(500),
            "created_at": clock(500),
            "category": rng.choice(["Complaint", "投诉", "question", None], 500),
        }
    )
    surveys = pd.DataFrame(
        {
            "response_id": rng.integers(0, 10**6, 400).astype(str),
            "customer_id": cust(400),
            "responded_at": clock(400),
            "score": rng.choice([0.0, 6.0, 7.0, 9.0, 10.0, np.nan], 400),
        }
    )
    return {"orders": orders, "touches": touches, "tickets": tickets, "surveys": surveys}


@pytest.mark.parametrize("period", ["2025Q1", "2025Q2"])
def test_event_stream_equals_the_duckdb_query(generated_event_tables: dict, period: str) -> None:
    for tables in (generated_event_tables, _tie_heavy_tables()):
        got = paths.event_stream(tables, period)
        want = event_stream_duckdb(tables, period)
        assert len(got) > 1000
        pd.testing.assert_frame_equal(got, want)
    tables = _tie_heavy_tables()
    assert not tables["orders"]["order_id"].is_unique  # order lines grouped per order
    stream = paths.event_stream(tables, "2025Q2")
    assert stream.duplicated(["customer_id", "ts"]).sum() > 100  # the ties were exercised


# --------------------------------------------------------------------------- path statistics


def _cut_duckdb(stream: pd.DataFrame, out: pd.DataFrame, con) -> None:
    con.register("stream", stream)
    con.register("outc", out)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE cut AS
           SELECT s.customer_id, s.event, s.ts, s.seq, o.churned,
                  row_number() OVER (PARTITION BY s.customer_id ORDER BY s.seq DESC) AS back
           FROM stream s JOIN outc o USING (customer_id) WHERE s.ts < o.cutoff"""
    )


def outcomes_pandas(stream: pd.DataFrame, period: str, inactivity_days: int = 180):
    """outcomes() as it was before the integer codes (groupby on the text ids)."""
    period = Period.parse(period)
    end = pd.Timestamp(period.end_exclusive)
    orders = stream[stream["event"].isin(["first_order", "repurchase"])]
    last = orders.groupby("customer_id")["ts"].max()
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


def step_matrix_duckdb(stream, out, n_steps=5):
    con = duckdb.connect()
    _cut_duckdb(stream, out, con)
    df = con.execute(
        """SELECT CASE WHEN churned THEN 'churned' ELSE 'retained' END AS grp,
                  -back AS step, event, count(*) AS customers
           FROM cut WHERE back <= ? GROUP BY ALL""",
        [n_steps],
    ).df()
    con.close()
    size = out.groupby(np.where(out["churned"], "churned", "retained")).size()
    df = df.rename(columns={"grp": "group"})
    df["customers"] = df["customers"].astype("int64")
    df["step"] = df["step"].astype("int64")
    df["share"] = df["customers"] / df["group"].map(size)
    return df.sort_values(["group", "step", "event"], ignore_index=True)


def paths_duckdb(stream, out, n_steps):
    con = duckdb.connect()
    _cut_duckdb(stream, out, con)
    df = con.execute(
        """SELECT customer_id, any_value(churned) AS churned,
                  string_agg(event, ' → ' ORDER BY seq) AS path
           FROM cut WHERE back <= ? GROUP BY customer_id""",
        [n_steps],
    ).df()
    con.close()
    return df


def quiet_duckdb(stream, out):
    con = duckdb.connect()
    _cut_duckdb(stream, out, con)
    df = con.execute(
        """WITH rep AS (SELECT customer_id, min(seq) AS rseq FROM cut
                        WHERE event = 'repurchase' GROUP BY customer_id)
           SELECT c.customer_id, any_value(c.churned) AS churned,
                  count(*) FILTER (WHERE c.seq > r.rseq AND c.event NOT IN
                                   ('first_order', 'repurchase')) AS n_after
           FROM cut c JOIN rep r USING (customer_id) GROUP BY c.customer_id"""
    ).df()
    con.close()
    return {
        g: (
            int((df["churned"] == flag).sum()),
            int(((df["churned"] == flag) & (df["n_after"] == 0)).sum()),
        )
        for g, flag in (("churned", True), ("retained", False))
    }


def _streams(tables: dict, period: str):
    """The stream as event_stream returned it (cached codes), a copy (codes rebuilt from the
    text), and a shuffled copy with a customer missing from the outcomes."""
    stream = paths.event_stream(tables, period)
    yield stream, paths.outcomes(stream, period)
    copy = stream.copy()
    yield copy, paths.outcomes(copy, period)
    shuffled = stream.sample(frac=1.0, random_state=3).reset_index(drop=True)
    out = paths.outcomes(shuffled, period)
    yield shuffled, out.iloc[1:].reset_index(drop=True)


@pytest.mark.parametrize("period", ["2025Q2", "2025Q4"])
def test_path_statistics_equal_the_duckdb_queries(generated_event_tables, period) -> None:
    for tables in (generated_event_tables, _tie_heavy_tables()):
        for stream, out in _streams(tables, period):
            pd.testing.assert_frame_equal(
                paths.outcomes(stream, period, inactivity_days=90),
                outcomes_pandas(stream, period, inactivity_days=90),
            )
            for n in (1, 3, 5):
                pd.testing.assert_frame_equal(
                    paths.step_matrix(stream, out, n_steps=n), step_matrix_duckdb(stream, out, n)
                )
                got = paths._paths(stream, out, n).sort_values("customer_id", ignore_index=True)
                want = paths_duckdb(stream, out, n).sort_values("customer_id", ignore_index=True)
                pd.testing.assert_frame_equal(got, want, check_dtype=False)
            q = paths.no_interaction_after_repurchase(stream, out).set_index("group")
            for g, (n, k) in quiet_duckdb(stream, out).items():
                assert (q.loc[g, "customers"], q.loc[g, "no_interaction"]) == (n, k)
            assert len(paths.path_differences(stream, out, min_customers=1)) > 0


def test_path_statistics_on_an_empty_stream() -> None:
    stream = pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype=object),
            "event": pd.Series([], dtype=object),
            "ts": pd.Series([], dtype="datetime64[us]"),
            "seq": pd.Series([], dtype="int64"),
        }
    )
    out = paths.outcomes(stream, "2025Q4")
    assert out.empty
    assert paths.step_matrix(stream, out).empty
    assert paths._paths(stream, out, 3).empty
    q = paths.no_interaction_after_repurchase(stream, out)
    assert q["customers"].tolist() == [0, 0]
