"""The notebook cells proposed for notebooks 03/04/05 (issue 11) run in a kernel, in zh.

The lead pastes these cells into the chapters; this test keeps them honest until then.
"""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SETUP = """from datetime import timedelta
from types import SimpleNamespace
from custops import notebook as nb
from custops import alerts, artifacts, health, paths, sentiment
ctx = nb.start(config, period, build_dir)
lang = ctx.language
tables = artifacts.read_clean_tables(ctx.artifacts)
data = SimpleNamespace(tables=tables)  # notebook 04 has data.tables"""

#: code cells for notebook 03 (churn): health score and behaviour paths
NB03 = [
    'health_weights = health.learn_weights(tables, ctx.period.end, horizon_days=ctx.cfg.churn.horizon_days, inactivity_days=ctx.cfg.churn.inactivity_days, seed=ctx.seed)\nhealth_now = health.health_scores(tables, ctx.period.end, "learned", inactivity_days=ctx.cfg.churn.inactivity_days)\nartifacts.write_artifact(health_now, ctx.artifacts, "health_scores.parquet")\nhealth_check = health.validate(tables, ctx.period.end - timedelta(days=ctx.cfg.churn.horizon_days), "learned", horizon_days=ctx.cfg.churn.horizon_days, data_end=ctx.period.end)',
    'nb.md(health.health_findings(health_check, health_now, lang))\nnb.glue("churn_health_auc", round(health_check.auc, 2))\nnb.glue("churn_health_red_share", round(float(health_now["band"].eq("red").mean()), 3));',
    'nb.table(health_weights, decimals={"coefficient": 2, "odds_ratio": 2, "weight": 2})',
    'nb.table(health_check.summary(), decimals={"value": 2, "ci_low": 2, "ci_high": 2})',
    "health.plot_calibration(health_check, lang);",
    'health.plot_band_history(health.band_history(tables, ctx.period, "learned", inactivity_days=ctx.cfg.churn.inactivity_days), lang);',
    'stream = paths.event_stream(tables, ctx.period)\noutcome = paths.outcomes(stream, ctx.period, inactivity_days=ctx.cfg.churn.inactivity_days)\npath_diffs = paths.path_differences(stream, outcome)\nquiet = paths.no_interaction_after_repurchase(stream, outcome)\nnb.md(paths.paths_findings(path_diffs, quiet, lang))\nnb.glue("churn_quiet_after_repurchase", round(float(quiet.set_index("group").loc["churned", "share"]), 3));',
    'nb.table(path_diffs, percent=("churned_share", "retained_share", "diff", "ci_low", "ci_high"), decimals={"p_holm": 4})',
    "paths.plot_step_matrix(paths.step_matrix(stream, outcome), lang);",
]
#: code cells for notebook 04 (NPS): sentiment map (min_n is a notebook-04 parameter)
NB04 = [
    'clauses = sentiment.clause_table(data.tables["surveys"], segments=data.tables["customers"].set_index("customer_id")["region"])\nsentiment_map = sentiment.aspect_segment_table(clauses, ctx.period, min_mentions=min_n)\naspect_moves = sentiment.aspect_changes(clauses, ctx.period)\nnb.md(sentiment.sentiment_findings(sentiment_map, aspect_moves, lang));',
    "sentiment.plot_sentiment_map(sentiment_map, lang);",
    'nb.table(aspect_moves, percent=("share_negative", "share_negative_prev", "change", "ci_low", "ci_high"), decimals={"p_holm": 3})',
]
#: code cells for notebook 05 (review): KPI alerts
NB05 = [
    'kpi_watch = alerts.monitor(alerts.monthly_kpis(tables, ctx.period, inactivity_days=ctx.cfg.churn.inactivity_days), ctx.period)\nnb.md(alerts.alerts_findings(kpi_watch, lang))\nnb.glue("review_kpi_alerts_worse", int(kpi_watch.alerts["change"].eq("worse").sum()));',
    'nb.table(alerts.alerts_table(kpi_watch.chart, lang), decimals={"value": 3, "expected": 3, "lower": 3, "upper": 3})',
    "alerts.plot_control_charts(kpi_watch, lang);",
    'nb.table(alerts.sensitivity_table(kpi_watch.chart, lang), decimals={"expected": 3, "sigma": 3, "sigma_of_10pct": 1})',
]


@pytest.mark.slow
def test_proposed_cells_run_in_chinese(small_demo, small_artifacts, tmp_path):
    import papermill as pm

    cfg = yaml.safe_load(small_demo.read_text(encoding="utf-8"))
    cfg["language"] = "zh"
    zh_config = small_demo.parent / "custops_zh_issue11.yaml"
    zh_config.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    build = small_artifacts.parents[1]
    params = 'period = "2025Q4"\nconfig = ""\nbuild_dir = ""\nmin_n = 30'
    cells = [
        new_markdown_cell("# 诊断 — {{ period }}"),
        new_code_cell(params, metadata={"tags": ["parameters"]}),
        new_code_cell(SETUP),
    ] + [new_code_cell(src) for src in NB03 + NB04 + NB05]
    notebook = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    src, out = tmp_path / "cells.ipynb", tmp_path / "cells_out.ipynb"
    nbformat.write(notebook, src)
    pm.execute_notebook(
        str(src),
        str(out),
        parameters={"config": str(zh_config), "build_dir": str(build)},
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    glued, problems, markdown, images = {}, [], [], 0
    for cell in nbformat.read(out, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" or output.get("name") == "stderr":
                problems.append(output)
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                glued[meta["name"]] = next(iter(output["data"].values()))
            data = output.get("data", {})
            markdown += [data["text/markdown"]] if "text/markdown" in data else []
            images += "image/png" in data
    assert not problems
    assert images == 5
    assert any("健康区" in m for m in markdown) and any("预警" in m for m in markdown)
    scores = pd.read_parquet(small_artifacts / "health_scores.parquet")
    assert float(glued["churn_health_red_share"]) == pytest.approx(
        round(float(scores["band"].eq("red").mean()), 3)
    )
    assert 0.7 < float(glued["churn_health_auc"]) < 1
    assert 0 <= float(glued["churn_quiet_after_repurchase"]) < 0.2
    assert int(glued["review_kpi_alerts_worse"]) == 0
