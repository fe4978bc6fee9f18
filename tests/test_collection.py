"""Notebook 01 and the foundation on the demo company: ledger balance, planted mess found, artifacts written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import papermill as pm
import pytest

from custops.chapters.collection import analyst_sample
from custops.core.config import load_config
from custops.ingest.cleaning import load_and_clean

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small_result(small_demo: Path):
    return load_and_clean(load_config(small_demo), "2025Q4")


def test_ledger_balances_for_every_table_and_step(small_result):
    summary = small_result.summary()
    assert summary["balanced"].all()
    ledger = small_result.ledger
    assert (ledger["rows_in"] - ledger["rejected"] - ledger["merged"] == ledger["rows_out"]).all()
    # each step starts where the previous one ended
    for _, steps in ledger.groupby("table"):
        assert (
            steps["rows_in"].iloc[1:].to_numpy() == steps["rows_out"].iloc[:-1].to_numpy()
        ).all()
    # the rejects file has exactly one row per rejected row
    counted = small_result.rejects.groupby("table").size()
    assert (
        counted.reindex(summary["table"]).fillna(0).astype(int).tolist()
        == summary["rejected"].tolist()
    )


def test_planted_mess_is_found_in_the_ledger(small_demo: Path, small_result):
    mess = json.loads((small_demo.parent / "truth.json").read_text())["mess"]
    # independent recount on the raw export
    raw = pd.read_csv(small_demo.parent / "invoice_lines.csv", dtype=str, keep_default_na=False)
    no_id = raw["CustomerID"].str.strip() == ""
    bad_date = raw["InvoiceDate"].isin(["not recorded", "2025-13-45", "00/00/0000"])
    cancelled = raw["InvoiceNo"].str.startswith("C")
    rejects = small_result.rejects
    by_rule = rejects[rejects["table"] == "orders"].groupby("rule").size()
    assert by_rule["missing id"] == no_id.sum()
    assert by_rule["unreadable date"] == (bad_date & ~no_id).sum()
    assert by_rule["cancellation"] == (cancelled & ~no_id & ~bad_date).sum()
    assert by_rule["cancellation"] >= 0.95 * mess["orders_cancellation_lines"]
    assert by_rule["outlier"] >= mess["orders_outlier_lines"]
    ledger = small_result.ledger.set_index(["table", "rule"])
    assert (
        ledger.loc[("orders", "exact duplicate"), "merged"]
        >= 0.9 * mess["orders_exact_duplicate_lines"]
    )
    customers_rej = rejects[rejects["table"] == "customers"]
    assert (customers_rej["rule"] == "unreadable date").sum() == mess["customers_bad_signup_date"]


def test_gbk_customer_file_is_read_with_chinese_values(small_result):
    customers = small_result.tables["customers"]
    assert set(customers["region"]) <= {"华东", "华南", "华北", "西南", "华中"}
    assert customers["app_bound"].isin([True, False]).all()
    # slash dates (2025/1/3) were parsed, not rejected
    assert customers["signup_date"].notna().all()


def test_personal_data_is_not_in_clean_tables_or_rejects(small_demo: Path, small_result):
    raw = pd.read_csv(small_demo.parent / "crm_customers.csv", encoding="gb18030", dtype=str)
    assert not {"name", "phone", "email"} & set(small_result.tables["customers"].columns)
    text = small_result.rejects.to_csv(index=False)
    for value in raw["手机"].head(200).tolist() + raw["邮箱"].head(200).tolist():
        assert value not in text


def test_analyst_sample_is_stratified_and_deterministic():
    frame = pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(40)],
            "tier": list("ABCD") * 10,
            "region": ["x", "y"] * 20,
        }
    )
    one = analyst_sample(frame, per_group=2, seed=7)
    two = analyst_sample(frame, per_group=2, seed=7)
    pd.testing.assert_frame_equal(one, two)
    assert one.groupby(["tier", "region"]).size().max() <= 2
    assert len(one.groupby(["tier", "region"])) == 4  # every stratum present


@pytest.mark.slow
def test_notebook_01_executes_and_writes_its_artifacts(small_demo: Path, tmp_path: Path):
    build = tmp_path / "build"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "01_data_collection.ipynb"),
        str(tmp_path / "01.ipynb"),
        parameters={"period": "2025Q4", "config": str(small_demo), "build_dir": str(build)},
        cwd=str(ROOT / "notebooks"),
        kernel_name="python3",
        progress_bar=False,
    )
    folder = build / "2025Q4" / "artifacts"
    features = pd.read_parquet(folder / "customer_features.parquet")
    ledger = pd.read_csv(folder / "ledger.csv")
    orders = pd.read_parquet(folder / "clean_orders.parquet")
    assert features["customer_id"].is_unique
    # revenue in the period equals an independent sum over the clean order lines
    in_period = orders[
        (orders["order_date"] >= "2025-10-01") & (orders["order_date"] < "2026-01-01")
    ]
    assert features["revenue_period"].sum() == pytest.approx(in_period["amount"].sum(), rel=1e-9)
    first = ledger.groupby("table")["rows_in"].first()
    last = ledger.groupby("table")["rows_out"].last()
    removed = ledger.groupby("table")[["rejected", "merged"]].sum().sum(axis=1)
    assert (first == last + removed).all()
    executed = (tmp_path / "01.ipynb").read_text(encoding="utf-8")
    assert "Traceback" not in executed and "Warning" not in executed


def test_contact_details_typed_into_comments_are_redacted(small_demo: Path, small_result):
    raw = pd.read_csv(small_demo.parent / "nps_survey.csv", encoding="utf-8-sig", dtype=str)
    planted = raw["comment"].dropna()
    planted = planted[planted.str.contains("13812345678|me@example.com|139 1234 5678")]
    assert len(planted) > 0  # the demo plants contact details in some comments
    comments = small_result.tables["surveys"]["comment"].dropna()
    assert len(comments) == raw["comment"].notna().sum()
    for needle in ("13812345678", "me@example.com", "139 1234 5678"):
        assert not comments.str.contains(needle, regex=False).any()
    assert comments.str.contains("[phone]", regex=False).any()


@pytest.mark.parametrize(
    ("shape", "database"),
    [("lines", None), ("one_row_per_order", None), ("one_row_per_order", "sqlite")],
)
def test_collect_features_equal_the_in_memory_view(
    small_demo: Path, small_result, tmp_path: Path, monkeypatch, shape, database
):
    """collect() writes the clean orders first and computes the view from that file, with the
    order grain when order ids are unique: same table as customer_features on the frames."""
    import custops.chapters.collection as collection
    from custops.features.features import customer_features
    from custops.features.purchases import order_ids_unique
    from custops.report import notebook as nb
    from custops.segments.segmentation import value_tiers

    tables = dict(small_result.tables)
    if shape == "one_row_per_order":  # the demo's lines summed per order
        lines = tables["orders"]
        first = lines.drop_duplicates("order_id").set_index("order_id")
        first["amount"] = lines.groupby("order_id")["amount"].sum().round(2)
        tables["orders"] = first.reset_index()[lines.columns]
    assert order_ids_unique(tables["orders"]) is (shape == "one_row_per_order")
    result = type(small_result)(tables, small_result.ledger, small_result.rejects)
    monkeypatch.setattr(collection, "load_and_clean", lambda cfg, period: result)
    ctx = nb.start(small_demo, "2025Q4", build_dir=tmp_path)
    if database == "sqlite":  # a SQL database engine reads no files: it gets the frame
        ctx.cfg.engine.database = f"sqlite:///{tmp_path / 'engine.db'}"
    got_result, features = collection.collect(ctx)
    expected = customer_features(
        tables,
        "2025Q4",
        inactivity_days=ctx.cfg.churn.inactivity_days,
        slow_response_hours=ctx.cfg.nps.slow_response_hours,
    )
    expected["tier"] = value_tiers(expected, ctx.cfg.segments.tiers)
    assert len(features) > 1000 and features["n_orders"].sum() > 1000
    pd.testing.assert_frame_equal(features, expected)
    written = got_result.written["orders"]
    pd.testing.assert_frame_equal(pd.read_parquet(written), tables["orders"])
    listing = collection.write_outputs(ctx, got_result, features)
    assert listing["artifact"].tolist().count("clean_orders.parquet") == 1


@pytest.mark.parametrize(
    ("language", "fragments"),
    [
        (
            "en",
            (
                "**Warning: one cleaning rule removed more than 5% of a table.**",
                "orders: the rule “missing id” removed 135,080 of 541,909 rows (24.9%)",
                "see `sources.orders.columns` in the config",
            ),
        ),
        (
            "zh",
            (
                "移除了超过 5% 的行",
                "移除了 541,909 行中的 135,080 行（24.9%）",
                "`sources.orders.columns`",
            ),
        ),
    ],
)
def test_chapter_01_announces_a_rule_removing_more_than_5_percent(monkeypatch, language, fragments):
    from types import SimpleNamespace

    from custops.chapters import collection
    from custops.ingest.cleaning import LEDGER_COLUMNS, CleanResult

    ledger = pd.DataFrame(
        [
            ("orders", 1, "read and map columns", 541909, 0, 0, 0, 541909, ""),
            ("orders", 2, "missing id", 541909, 135080, 0, 0, 406829, ""),
            ("orders", 3, "exact duplicate", 406829, 0, 5192, 0, 401637, ""),  # 1%: not shown
        ],
        columns=LEDGER_COLUMNS,
    )
    shown: list[str] = []
    monkeypatch.setattr(collection.nb, "md", shown.append)
    large = collection.announce_removals(
        SimpleNamespace(language=language), CleanResult({}, ledger, pd.DataFrame())
    )
    assert large["rule"].tolist() == ["missing id"] and len(shown) == 1
    for fragment in fragments:
        assert fragment in shown[0], shown[0]
    assert "**，" not in shown[0] and "，**" not in shown[0]
