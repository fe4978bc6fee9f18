"""The diagnostics of issue 11 in the real chapters, run in Chinese.

Notebook 03 carries the customer health score and the behaviour paths, notebook 04 the
sentiment by aspect, notebook 05 the monthly KPI alerts. The English runs of the same
notebooks are in test_churn / test_nps / test_review; here each notebook runs once with
``language: zh`` on the small demo, and its diagnostics glue is checked against the
artifact it wrote or an independent pandas / scipy computation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from custops.core.config import Period, load_config
from custops.ingest.artifacts import read_clean_tables
from custops.report.text import CATALOG
from custops.survival import health

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PERIOD = "2025Q4"
GLUE_KEYS = {
    "03_churn_survival": [
        "churn_health_auc",
        "churn_health_red_share",
        "churn_quiet_after_repurchase_share",
    ],
    "05_review_retrospective": ["review_kpi_alerts_worse"],
}
#: the sentence shown instead of a map of mostly empty cells (sentiment.sparse_map_note)
SPARSE = re.compile(r"so no map is drawn|因此不绘制热力图")
#: the id of every diagnostics code cell that draws a chart (health calibration, band
#: history, step matrix; sentiment map; KPI control charts)
PLOT_CELLS = {
    "03_churn_survival": ("aef79e3f", "c16fa49e", "055b3846"),
    "04_nps": ("22c39f3e",),
    "05_review_retrospective": ("290fce2c",),
}


def _zh_config(small_demo: Path) -> Path:
    """A copy of the small demo's config with ``language: zh`` (next to it: relative source paths)."""
    path = small_demo.parent / "custops_zh_diagnostics.yaml"
    if not path.exists():
        cfg = yaml.safe_load(small_demo.read_text(encoding="utf-8"))
        cfg["language"] = "zh"
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def _run(name: str, small_demo: Path, small_artifacts: Path, tmp: Path, **params):
    """Execute ``notebooks/<name>.ipynb`` in zh on a private copy of the notebook-01 artifacts."""
    import papermill as pm

    build = tmp / "build"
    shutil.copytree(small_artifacts, build / PERIOD / "artifacts")
    out = tmp / f"{name}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters={
            "period": PERIOD,
            "config": str(_zh_config(small_demo)),
            "build_dir": str(build),
            **params,
        },
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    return nbformat.read(out, as_version=4), build / PERIOD / "artifacts"


def _outputs(nb: nbformat.NotebookNode) -> tuple[str, dict[str, str]]:
    """All markdown shown, and the glued scalars; fails on an error or anything on stderr."""
    from custops.run.pipeline import glued_scalars

    shown = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", f"{out.get('ename')}: {out.get('evalue')}"
            assert out.get("name") != "stderr", out.get("text")
            shown.append(str(out.get("data", {}).get("text/markdown", "")))
    return "\n".join(shown), glued_scalars(nb)


def _check_cells(nb: nbformat.NotebookNode, name: str) -> None:
    """Each diagnostics chart appears exactly once; a cell shows one markdown per ``nb.md``."""
    for cell_id in PLOT_CELLS[name]:
        cells = [c for c in nb.cells if c.cell_type == "code" and c.get("id") == cell_id]
        assert len(cells) == 1, cell_id
        images = [o for o in cells[0].outputs if "image/png" in o.get("data", {})]
        # a map of mostly empty cells is replaced by one sentence (sentiment.sparse_map_note)
        sparse = [
            o for o in cells[0].outputs if SPARSE.search(o.get("data", {}).get("text/markdown", ""))
        ]
        assert (len(images), len(sparse)) in {(1, 0), (0, 1)}, cell_id
    for cell in nb.cells:
        if cell.cell_type == "code" and "nb.md(" in cell.source:
            shown = [o for o in cell.outputs if "text/markdown" in o.get("data", {})]
            extra = sum(bool(SPARSE.search(o["data"]["text/markdown"])) for o in shown)
            assert len(shown) == cell.source.count("nb.md(") + extra, cell.source


def _quiet_share_pandas(tables: dict, period: Period, inactivity_days: int) -> float:
    """Share of churned repurchasers with no touch, ticket or survey after the first repurchase.

    An independent pandas version of ``paths.no_interaction_after_repurchase`` (DuckDB): the
    first repurchase is a customer's second distinct order (ties by order id); a churned
    customer's window ends at last order + W + 1 day, events at the repurchase time count
    as after it (an order sorts before any other event at the same time).
    """
    end = pd.Timestamp(period.end_exclusive)
    o = tables["orders"][["customer_id", "order_id", "order_date"]].dropna()
    heads = o.groupby(["customer_id", "order_id"], as_index=False)["order_date"].min()
    heads = heads[heads["order_date"] < end].assign(oid=lambda d: d["order_id"].astype(str))
    heads = heads.sort_values(["customer_id", "order_date", "oid"])
    first_repurchase = heads[heads.groupby("customer_id").cumcount() == 1].set_index("customer_id")[
        "order_date"
    ]
    last_day = heads.groupby("customer_id")["order_date"].max().dt.normalize()
    churned = (pd.Timestamp(period.end) - last_day).dt.days > inactivity_days
    cutoff = last_day.where(~churned, last_day + pd.Timedelta(days=inactivity_days + 1))
    cutoff = cutoff.where(churned, end)
    events = [
        tables["touches"][["customer_id", "sent_at"]].set_axis(["customer_id", "ts"], axis=1),
        tables["tickets"][["customer_id", "created_at"]].set_axis(["customer_id", "ts"], axis=1),
        tables["surveys"][["response_id", "customer_id", "responded_at", "score"]]
        .dropna()[["customer_id", "responded_at"]]
        .set_axis(["customer_id", "ts"], axis=1),
    ]
    ev = pd.concat(events).dropna()
    ev = ev[ev["customer_id"].isin(first_repurchase.index) & (ev["ts"] < end)]
    ev = ev.assign(rep=ev["customer_id"].map(first_repurchase), cut=ev["customer_id"].map(cutoff))
    after = ev[(ev["ts"] >= ev["rep"]) & (ev["ts"] < ev["cut"])].groupby("customer_id").size()
    churned_rep = first_repurchase.index[churned.reindex(first_repurchase.index).to_numpy()]
    return float((after.reindex(churned_rep).fillna(0) == 0).mean())


# --------------------------------------------------------------------------- static


def test_sections_are_bilingual_and_their_glue_is_labelled():
    for name in ("03_churn_survival", "04_nps", "05_review_retrospective"):
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "markdown"]
        flat = [t for ts in tags for t in ts if t.startswith("lang-")]
        assert flat[0::2] == ["lang-en"] * (len(flat) // 2), name  # en then zh, in pairs
        assert flat[1::2] == ["lang-zh"] * (len(flat) // 2), name
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), name
        assert not any(re.search(r"^\s*def ", c.source, re.M) for c in code), name
    for keys in GLUE_KEYS.values():
        for key in keys:
            assert CATALOG[f"glue.{key}"]["en"] and CATALOG[f"glue.{key}"]["zh"], key
    review = nbformat.read(NOTEBOOKS / "05_review_retrospective.ipynb", as_version=4)
    zh = "\n".join(c.source for c in review.cells if "lang-zh" in c.metadata.get("tags", []))
    en = "\n".join(c.source for c in review.cells if "lang-en" in c.metadata.get("tags", []))
    assert "A single-month 10% drop is often only a 2σ event" in en
    assert "单月下降 10% 往往只是一个 2σ 事件" in zh


# --------------------------------------------------------------------------- executed, zh


@pytest.mark.slow
def test_notebook_03_health_and_paths_in_chinese(small_demo, small_artifacts, tmp_path):
    nb, folder = _run("03_churn_survival", small_demo, small_artifacts, tmp_path, n_boot=3)
    text, glued = _outputs(nb)
    _check_cells(nb, "03_churn_survival")
    assert "处于红色健康区" in text and "AUC" in text
    assert "在首次复购后再无触达、工单或问卷互动" in text
    assert "Back-test" not in text and "of churned customers" not in text
    cfg = load_config(_zh_config(small_demo))
    period = Period.parse(PERIOD)
    tables = read_clean_tables(folder)

    scores = pd.read_parquet(folder / "health_scores.parquet")
    assert scores["customer_id"].is_unique and scores["score"].between(0, 100).all()
    assert (scores["as_of"] == pd.Timestamp(period.end)).all()
    expected_band = np.select(
        [scores["score"] < 50, scores["score"] < 75], ["red", "amber"], default="green"
    )
    # the band comes from the unrounded score: 49.96 is shown as 50.0 and stays red
    edge = scores["score"].isin([50.0, 75.0]) & scores["band"].eq(
        np.where(scores["score"] == 50.0, "red", "amber")
    )
    assert ((scores["band"] == expected_band) | edge).all()
    red_share = float(glued["churn_health_red_share"])
    assert red_share == pytest.approx(round(float(scores["band"].eq("red").mean()), 3))

    # back-test AUC: scores at T = end - horizon, outcome "no order in (T, T + horizon]"
    # from the orders table, AUC as the Mann-Whitney U over all churner/stayer pairs
    horizon = cfg.churn.horizon_days
    as_of = pd.Timestamp(period.end) - pd.Timedelta(days=horizon)
    back = health.health_scores(tables, as_of, "learned", inactivity_days=cfg.churn.inactivity_days)
    orders = tables["orders"]
    window = orders["order_date"].between(
        as_of + pd.Timedelta(days=1), as_of + pd.Timedelta(days=horizon + 1), inclusive="left"
    )
    churner = ~back["customer_id"].isin(set(orders.loc[window, "customer_id"]))
    u = stats.mannwhitneyu(-back["score"][churner], -back["score"][~churner]).statistic
    auc = u / (churner.sum() * (~churner).sum())
    assert float(glued["churn_health_auc"]) == pytest.approx(round(auc, 2), abs=1e-9)
    assert 0.7 < auc < 1
    assert float(glued["churn_health_auc_low"]) < auc < float(glued["churn_health_auc_high"])

    quiet = _quiet_share_pandas(tables, period, cfg.churn.inactivity_days)
    glued_quiet = float(glued["churn_quiet_after_repurchase_share"])
    assert glued_quiet == pytest.approx(round(quiet, 3), abs=1e-9)
    low = float(glued["churn_quiet_after_repurchase_share_low"])
    high = float(glued["churn_quiet_after_repurchase_share_high"])
    assert low <= glued_quiet <= high


@pytest.mark.slow
def test_notebook_04_sentiment_in_chinese(small_demo, small_artifacts, tmp_path):
    nb, _ = _run("04_nps", small_demo, small_artifacts, tmp_path)
    text, _ = _outputs(nb)
    _check_cells(nb, "04_nps")
    assert "与上期相比，负面占比显著变化的方面" in text
    assert "Aspects whose negative share moved" not in text
    moves = [c for c in nb.cells if c.get("id") == "c3e744ff"]  # the aspects' changes
    assert len(moves) == 1 and "aspect_moves" in moves[0].source
    html = "".join(o["data"].get("text/html", "") for o in moves[0].outputs if "data" in o)
    # headers in Chinese, the aspect key as its label (响应速度), never the raw key
    assert "上期负面占比" in html and "响应速度" in html and "response_speed" not in html


@pytest.mark.slow
def test_notebook_05_kpi_alerts_in_chinese(small_demo, small_artifacts, tmp_path):
    nb, _ = _run("05_review_retrospective", small_demo, small_artifacts, tmp_path)
    text, glued = _outputs(nb)
    _check_cells(nb, "05_review_retrospective")
    assert "预警" in text and "σ" in text
    assert "control limits" not in text
    table = [c for c in nb.cells if c.get("id") == "daddedcf"][0]  # the alerts table
    html = "".join(o["data"].get("text/html", "") for o in table.outputs if "data" in o)
    shown_worse = len(re.findall(r">\s*worse\s*<", html))
    assert int(glued["review_kpi_alerts_worse"]) == shown_worse
