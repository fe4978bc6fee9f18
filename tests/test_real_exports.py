"""Real public exports, cleaned with the project's configs (data/real/*.yaml) and the default rules.

Every figure is checked against an independent plain-pandas computation written here from the
documented rules, or against the published summary of the CDNOW sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from custops.core.config import load_config
from custops.features.features import rfm_summary
from custops.ingest.cleaning import load_and_clean

pytestmark = pytest.mark.slow
CONFIGS = Path(__file__).resolve().parents[1] / "data" / "real"


@pytest.fixture(scope="module")
def retail_raw(real_data: Path) -> pd.DataFrame:
    return pd.read_csv(
        real_data / "online_retail_uci_2010_2011.csv.gz", dtype=str, keep_default_na=False
    )


def _retail_reference(raw: pd.DataFrame, *, positive_price: bool = False) -> pd.DataFrame:
    """The documented default cleaning of the invoice lines, in plain pandas."""
    quantity = pd.to_numeric(raw["Quantity"])
    price = pd.to_numeric(raw["UnitPrice"])
    keep = (
        raw["CustomerID"].str.strip().ne("")  # customer id present
        & ~raw["InvoiceNo"].str.startswith("C")  # not a cancellation
        & (quantity > 0)
        & (quantity * price >= 0)  # zero amounts are purchases
    )
    if positive_price:
        keep &= price > 0
    kept = raw[keep]
    kept = kept[~kept.duplicated(keep="first")]  # exact duplicates over every source column
    out = pd.DataFrame(
        {
            "customer_id": kept["CustomerID"].str.replace(r"\.0$", "", regex=True),
            "order_id": kept["InvoiceNo"],
            "order_date": pd.to_datetime(kept["InvoiceDate"]),
            "amount": pd.to_numeric(kept["Quantity"]) * pd.to_numeric(kept["UnitPrice"]),
        }
    )
    return out


def _retail_clean(tmp_path: Path, extra: str = "") -> pd.DataFrame:
    text = (CONFIGS / "online_retail.yaml").read_text(encoding="utf-8")
    config = CONFIGS / "online_retail.yaml"
    if extra:  # same folder, so the relative paths resolve the same way
        config = CONFIGS / f".test-{tmp_path.name}.yaml"
        config.write_text(text + extra, encoding="utf-8")
    try:
        result = load_and_clean(load_config(config), "2011Q4")
    finally:
        if extra:
            config.unlink()
    ledger = result.summary()
    assert ledger["balanced"].all(), ledger
    return result.tables["orders"]


def _same_totals(clean: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert len(clean) == len(ref)
    assert clean["customer_id"].nunique() == ref["customer_id"].nunique()
    assert clean["order_id"].nunique() == ref["order_id"].nunique()
    assert clean["amount"].sum() == pytest.approx(ref["amount"].sum(), rel=1e-12)


def test_online_retail_default_cleaning_equals_the_documented_rules(retail_raw, tmp_path):
    clean = _retail_clean(tmp_path)
    ref = _retail_reference(retail_raw)
    _same_totals(clean, ref)
    # zero-price lines are kept as purchases; large wholesale lines are kept (flagged)
    assert (clean["amount"] == 0).sum() == (ref["amount"] == 0).sum() > 0
    assert clean["amount"].max() == pytest.approx(ref["amount"].max())


def test_online_retail_min_amount_equals_the_standard_published_cleaning(retail_raw, tmp_path):
    clean = _retail_clean(tmp_path, "cleaning:\n  min_amount: 0.001\n")
    _same_totals(clean, _retail_reference(retail_raw, positive_price=True))


def test_online_retail_rfm_summary_equals_pandas_for_every_customer(retail_raw, tmp_path):
    clean = _retail_clean(tmp_path)
    end = clean["order_date"].max().normalize()
    got = rfm_summary(clean, end).set_index("customer_id").sort_index()
    ref = _retail_reference(retail_raw)
    ref["day"] = ref["order_date"].dt.normalize()
    days = ref.groupby(["customer_id", "day"])["amount"].sum().reset_index()
    first = days.groupby("customer_id")["day"].transform("min")
    repeat = days[days["day"] > first]
    per = days.groupby("customer_id").agg(
        first=("day", "min"), last=("day", "max"), n=("day", "size")
    )
    want = pd.DataFrame(
        {
            "frequency": (per["n"] - 1).astype(float),
            "recency": (per["last"] - per["first"]).dt.days.astype(float),
            "T": (end - per["first"]).dt.days.astype(float),
            "monetary_value": repeat.groupby("customer_id")["amount"].mean(),
        }
    ).fillna({"monetary_value": 0.0})
    want = want.sort_index()
    assert list(got.index) == list(want.index)
    for column in ("frequency", "recency", "T"):
        np.testing.assert_array_equal(got[column].to_numpy(), want[column].to_numpy())
    np.testing.assert_allclose(
        got["monetary_value"].to_numpy(), want["monetary_value"].to_numpy(), rtol=1e-9, atol=1e-9
    )


def test_cdnow_master_every_row_kept(real_data):
    raw = pd.read_csv(real_data / "CDNOW_master.txt", sep=r"\s+")
    result = load_and_clean(load_config(CONFIGS / "cdnow.yaml"))
    ledger = result.ledger[result.ledger["table"] == "orders"]
    assert ledger["rows_in"].iloc[0] == len(raw) == 69_659
    assert ledger["rejected"].sum() == 0 and ledger["merged"].sum() == 0
    orders = result.tables["orders"]
    assert len(orders) == len(raw)
    # repeated same-day purchases and $0 purchases are real purchases: all kept
    assert (orders["amount"] == 0).sum() == (raw["dollar_value"] == 0).sum() > 0
    repeated = raw.duplicated(keep=False).sum()
    assert repeated > 0
    assert orders["amount"].sum() == pytest.approx(raw["dollar_value"].sum())


def test_cdnow_sample_summary_equals_the_published_summary(real_data):
    from custops.survival.btyd.summary import btyd_summary

    result = load_and_clean(load_config(CONFIGS / "cdnow_sample.yaml"))
    assert result.summary()["balanced"].all()
    orders = result.tables["orders"]
    got = btyd_summary(orders, "1997-09-30").set_index("customer_id")
    # the published summary numbers the customers by the sample's customer_index column
    index_of = orders.drop_duplicates("customer_id").set_index("customer_id")["customer_index"]
    got.index = index_of.reindex(got.index).astype(int)
    published = pd.read_csv(real_data / "cdnow_customers_summary.csv").set_index("ID")
    got = got.reindex(published.index)
    assert len(published) == 2_357 and got["frequency"].notna().all()
    np.testing.assert_array_equal(got["frequency"].to_numpy(), published["frequency"].to_numpy())
    for column in ("recency", "T"):  # the published file has two decimals
        diff = np.abs(got[column].to_numpy() - published[column].to_numpy())
        assert diff.max() <= 0.005 + 1e-9, column


def _book_text(path: Path) -> str:
    import html
    import re

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_airline_reviews_publish_the_nps_chapter_by_airline_and_class(real_data, tmp_path):
    """Surveys only, 1-10 ratings: the book is published, its NPS equals pandas, no reviewer named."""
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("custops")
    run = subprocess.run(
        [
            str(exe),
            "run",
            "--config",
            str(CONFIGS / "airline_reviews.yaml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    raw = pd.read_csv(real_data / "airlines_reviews_10_airlines.csv")
    day = pd.to_datetime(raw["Review Date"], format="%m/%d/%Y")
    rating = raw.loc[day.dt.year == 2023, "Overall Rating"]
    nps = 100 * ((rating >= 9).mean() - (rating <= 6).mean())
    page = _book_text(tmp_path / "2023" / "html" / "notebooks" / "04_nps.html")
    assert f"In 2023 the NPS was {nps:.1f}".replace("-", "−") in page
    assert f"n = {len(rating):,} answers" in page
    assert "reads that rating as the 0–10 recommend score unchanged" in page  # scale stated
    summary = pd.read_csv(tmp_path / "2023" / "artifacts" / "nps_summary.csv")
    this = raw[day.dt.year == 2023]
    # groups with fewer answers than nps.min_group_n are counted, not estimated
    min_n = load_config(CONFIGS / "airline_reviews.yaml").nps.min_group_n
    small = 0
    for group, column in (("airline", "Airline"), ("cabin_class", "Class")):
        rows = summary[summary["group_type"] == group].set_index("group")
        for value, answers in this.groupby(column)["Overall Rating"]:
            want = 100 * ((answers >= 9).mean() - (answers <= 6).mean())
            assert rows.loc[value, "n"] == len(answers), (group, value)
            if len(answers) >= min_n:
                assert rows.loc[value, "nps"] == pytest.approx(want, abs=0.05), (group, value)
            else:
                assert pd.isna(rows.loc[value, "nps"]), (group, value)
                small += 1
    assert small == 0 or "are counted but not shown as estimates" in page
    # the export names every reviewer: no name reaches a page, the search index or an artifact
    names = {n.strip() for n in raw["Name"].dropna().astype(str) if len(n.strip()) >= 8}
    names = {n for n in names if " " in n}
    shared = [p for p in (tmp_path / "2023").rglob("*") if p.suffix in {".html", ".js", ".csv"}]
    leaks = {
        n for p in shared for n in names if n in p.read_text(encoding="utf-8", errors="ignore")
    }
    assert not leaks, sorted(leaks)[:5]


def test_cdnow_two_consecutive_quarters_score_the_purchase_forecast(real_data, tmp_path):
    """1998Q1 then 1998Q2 into one folder: the 1998Q2 report scores 1998Q1's BTYD forecast.

    The actual purchase days and revenue of the 90 days after 1998-03-31 are recounted here
    from the raw log (one purchase per customer-day, the BTYD unit), for the customers the
    1998Q1 report scored; the forecast totals are summed from its archived churn scores.
    """
    from custops.run.cli import main

    out = tmp_path / "b"
    for period in ("1998Q1", "1998Q2"):
        code = main(
            ["run", "--config", str(CONFIGS / "cdnow.yaml"), "--period", period, "--out", str(out)]
        )
        assert code == 0, period
    scores = pd.read_parquet(out / "1998Q1" / "artifacts" / "churn_scores.parquet")
    prob = next(c for c in scores.columns if c.startswith("churn_prob_"))
    h = int(prob[len("churn_prob_") : -1])
    expected_col = f"expected_purchases_{h}d"
    scored = scores[(scores["event"] == 0) & scores[prob].notna() & scores[expected_col].notna()]
    assert len(scored) > 1_000

    raw = pd.read_csv(real_data / "CDNOW_master.txt", sep=r"\s+", dtype={"customer_id": str})
    raw["day"] = pd.to_datetime(raw["date"].astype(str), format="%Y%m%d")
    raw["customer_id"] = raw["customer_id"].str.lstrip("0")
    ids = scored["customer_id"].astype(str).str.lstrip("0")
    start = pd.Timestamp("1998-03-31")
    end = min(start + pd.Timedelta(days=h), raw["day"].max())
    assert end == start + pd.Timedelta(days=h)  # the horizon ends inside the data: not partial
    mine = raw[raw["customer_id"].isin(set(ids))]
    after = mine[(mine["day"] > start) & (mine["day"] <= end)]
    actual_days = int(after.groupby("customer_id")["day"].nunique().sum())
    actual_revenue = float(after["dollar_value"].sum())
    before = mine[mine["day"] <= start]
    per_day = (
        before.groupby("customer_id")["dollar_value"].sum()
        / before.groupby("customer_id")["day"].nunique()
    )
    predicted_revenue = float(
        (scored[expected_col].to_numpy() * per_day.reindex(ids).to_numpy()).sum()
    )

    rows = pd.read_csv(out / "1998Q2" / "artifacts" / "forecast_checks.csv")
    assert (rows["previous"] == "1998Q1").all() and not rows["partial"].any()
    got = rows.set_index(["model", "metric"])["value"]
    assert got[("btyd", "actual_purchases")] == actual_days > 0
    assert got[("btyd", "expected_purchases")] == pytest.approx(scored[expected_col].sum())
    assert got[("btyd", "actual_revenue")] == pytest.approx(actual_revenue)
    assert got[("btyd", "predicted_revenue")] == pytest.approx(predicted_revenue)
    page = _book_text(out / "1998Q2" / "html" / "notebooks" / "05_review_retrospective.html")
    assert f"BTYD expected {scored[expected_col].sum():,.0f} purchase days" in page
    assert f"the customers had {actual_days:,}" in page
    # the archive history holds the scored period (1998Q1 had no report before it)
    history = pd.read_csv(out / "forecast_checks.csv")
    assert set(history["period"]) == {"1998Q2"}
