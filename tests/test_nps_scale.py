"""chapters.nps.load_inputs and nps.closed_loop at scale, against the plain pandas versions."""

from __future__ import annotations

import pandas as pd
import pytest

from custops.chapters import nps as chapter
from custops.core.config import Period
from custops.ingest.artifacts import read_artifact, read_clean_tables
from custops.voice import nps

PERIOD = "2025Q4"


def _old_closed_loop(responses, period, *, touches=None, tickets=None, orders=None, within_days=7):
    """The merge on every event and order (before the detractor pre-filter)."""
    end = pd.Timestamp(Period.parse(period).end_exclusive)
    det = responses[
        (responses["nps_category"] == "detractor")
        & (responses["responded_at"] + pd.Timedelta(days=within_days) < end)
    ][["response_id", "customer_id", "responded_at"]]
    events = []
    if touches is not None and not touches.empty:
        events.append(touches[["customer_id", "sent_at"]].rename(columns={"sent_at": "at"}))
    if tickets is not None and not tickets.empty:
        events.append(tickets[["customer_id", "created_at"]].rename(columns={"created_at": "at"}))
    pairs = det.merge(pd.concat(events, ignore_index=True), on="customer_id")
    hit = (pairs["at"] > pairs["responded_at"]) & (
        pairs["at"] <= pairs["responded_at"] + pd.Timedelta(days=within_days)
    )
    contacted = det["response_id"].isin(set(pairs.loc[hit, "response_id"]))
    bought = None
    if orders is not None and not orders.empty:
        po = det.merge(orders[["customer_id", "order_date"]], on="customer_id")
        po = po[(po["order_date"] > po["responded_at"]) & (po["order_date"] < end)]
        bought = det["response_id"].isin(set(po["response_id"]))
    return contacted, bought


@pytest.fixture(scope="module")
def loaded(small_artifacts):
    return chapter.load_inputs(small_artifacts, PERIOD)


def test_load_inputs_equals_survey_responses_of_the_period(small_artifacts, loaded):
    tables = read_clean_tables(small_artifacts)
    features = read_artifact(small_artifacts, "customer_features.parquet")
    segments = chapter.load_segments(small_artifacts)
    want_all = nps.survey_responses(tables["surveys"], features, segments)
    want = nps.survey_responses(tables["surveys"], features, segments, period=PERIOD)
    pd.testing.assert_frame_equal(loaded.responses_all, want_all)
    pd.testing.assert_frame_equal(loaded.responses, want)
    assert 0 < len(want) < len(want_all)
    # the orders: the two columns the chapter reads, same values
    got = loaded.tables["orders"]
    assert list(got.columns) == list(nps.ORDER_COLUMNS)
    assert got["customer_id"].astype(object).tolist() == tables["orders"]["customer_id"].tolist()
    assert (got["order_date"] == tables["orders"]["order_date"]).all()
    touches = loaded.tables["touches"]
    assert list(touches.columns) == list(nps.TOUCH_COLUMNS)
    assert (
        touches["customer_id"].astype(object).tolist() == tables["touches"]["customer_id"].tolist()
    )
    assert (touches["sent_at"] == tables["touches"]["sent_at"]).all()
    for name in set(tables) - {"orders", "touches"}:
        pd.testing.assert_frame_equal(loaded.tables[name], tables[name])
    # a period without answers: the empty frame survey_responses builds
    empty = chapter.load_inputs(small_artifacts, "2019Q1").responses
    pd.testing.assert_frame_equal(
        empty, nps.survey_responses(tables["surveys"], features, segments, period="2019Q1")
    )


def test_month_and_quarter_labels_equal_strftime_and_to_period():
    stamps = pd.Series(
        pd.to_datetime(
            [
                "2025-12-31 23:59:59",
                None,
                "2025-01-01 00:00:00",
                "1969-12-31 12:00:00",
                "2024-02-29 08:00:00",
                "2025-12-01 00:00:00",
            ]
        )
    )
    month, quarter = nps._month_quarter(stamps)
    assert (
        month.tolist()[:1] + month.tolist()[2:]
        == stamps.dt.strftime("%Y-%m").tolist()[:1] + stamps.dt.strftime("%Y-%m").tolist()[2:]
    )
    assert pd.isna(month[1]) and pd.isna(stamps.dt.strftime("%Y-%m")[1])
    assert quarter.tolist() == stamps.dt.to_period("Q").astype(str).tolist()
    m0, q0 = nps._month_quarter(stamps.iloc[:0])
    assert len(m0) == len(q0) == 0


@pytest.mark.parametrize("arrow_orders", [False, True])
def test_closed_loop_equals_the_merge_on_every_event(small_artifacts, loaded, arrow_orders):
    tables = read_clean_tables(small_artifacts)
    orders = tables["orders"][["customer_id", "order_date"]]
    touches = tables["touches"]
    if arrow_orders:  # as load_inputs reads them
        orders = orders.astype({"customer_id": "string[pyarrow]"})
        touches = touches[["customer_id", "sent_at"]].astype({"customer_id": "string[pyarrow]"})
    responses = loaded.responses
    for within in (3, 7, 30):
        out = nps.closed_loop(
            responses,
            PERIOD,
            touches=touches,
            tickets=tables["tickets"],
            orders=orders,
            within_days=within,
        ).set_index("measure")
        contacted, bought = _old_closed_loop(
            responses,
            PERIOD,
            touches=tables["touches"],
            tickets=tables["tickets"],
            orders=tables["orders"],
            within_days=within,
        )
        assert out.loc["contacted", ["n", "count"]].tolist() == [len(contacted), contacted.sum()]
        k1, n1 = int(bought[contacted].sum()), int(contacted.sum())
        k2, n2 = int(bought[~contacted].sum()), int((~contacted).sum())
        assert out.loc["bought_again_contacted", ["n", "count"]].tolist() == [n1, k1]
        assert out.loc["bought_again_not_contacted", ["n", "count"]].tolist() == [n2, k2]
        assert 0 < k1 + k2 < n1 + n2
    # touches only, tickets only, no orders
    only = nps.closed_loop(responses, PERIOD, touches=tables["touches"], orders=orders)
    contacted, bought = _old_closed_loop(
        responses, PERIOD, touches=tables["touches"], orders=tables["orders"]
    )
    assert only.set_index("measure").loc["contacted", "count"] == contacted.sum()
    none = nps.closed_loop(responses, PERIOD, tickets=tables["tickets"])
    assert list(none["measure"]) == ["contacted"]
    # a customer with no events at all still counts as a detractor
    odd = responses.copy()
    odd.loc[odd["nps_category"] == "detractor", "customer_id"] = "nobody"
    out = nps.closed_loop(odd, PERIOD, touches=tables["touches"], orders=orders)
    assert out.set_index("measure").loc["contacted", "count"] == 0
