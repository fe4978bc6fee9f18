"""Same inputs and seed, same outputs; a failed or killed run loses nothing.

* ``write_demo_data`` twice with one seed gives byte-identical source files;
* ``load_and_clean`` + ``customer_features`` twice give identical tables and artifacts
  (compared by content, not by timestamps), and never touch the raw inputs;
* the notebook run twice gives the same artifacts (slow);
* a run whose notebook fails, or that is killed mid-way, leaves the period's last good
  artifacts and book as they were, and the next run works (slow).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from custops.core.config import load_config
from custops.core.errors import PipelineError
from custops.demo.synth import write_demo_data
from custops.features.features import customer_features
from custops.ingest.artifacts import write_artifact
from custops.ingest.cleaning import load_and_clean
from custops.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2025Q4"


def digest(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every file under ``folder``."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(skip)
    }


def contents(folder: Path) -> dict[str, pd.DataFrame]:
    """Every parquet/csv artifact of a folder, read back (content, not bytes)."""
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".parquet":
            out[path.name] = pd.read_parquet(path)
        elif path.suffix == ".csv":
            out[path.name] = pd.read_csv(path)
    return out


# DuckDB sums floating-point columns in parallel, in an order that varies from run to run,
# so revenue totals can differ in the last bits (1e-12 relative). Everything else - ids,
# counts, dates, text, the clean tables, the ledger and the rejects - must be identical.
FLOAT_RTOL = 1e-9


def assert_same_artifacts(a: Path, b: Path) -> None:
    left, right = contents(a), contents(b)
    assert sorted(left) == sorted(right)
    for name in left:
        floats = [c for c in left[name].columns if pd.api.types.is_float_dtype(left[name][c])]
        exact = name.startswith("clean_") or name in ("ledger.csv", "rejects.csv")
        pd.testing.assert_frame_equal(
            left[name].drop(columns=[] if exact else floats),
            right[name].drop(columns=[] if exact else floats),
            check_exact=True,
            obj=name,
        )
        if not exact:
            pd.testing.assert_frame_equal(
                left[name][floats],
                right[name][floats],
                check_exact=False,
                rtol=FLOAT_RTOL,
                obj=name,
            )


def build_artifacts(config: Path, out: Path) -> Path:
    cfg = load_config(config)
    result = load_and_clean(cfg, PERIOD)
    features = customer_features(
        result.tables,
        PERIOD,
        inactivity_days=cfg.churn.inactivity_days,
        slow_response_hours=cfg.nps.slow_response_hours,
    )
    for table, frame in result.tables.items():
        write_artifact(frame, out, f"clean_{table}.parquet")
    write_artifact(features, out, "customer_features.parquet")
    write_artifact(result.ledger, out, "ledger.csv")
    write_artifact(result.rejects, out, "rejects.csv")
    return out


# --------------------------------------------------------------------------- demo data and cleaning


def test_demo_data_is_byte_identical_for_one_seed(small_demo, tmp_path):
    again = write_demo_data(tmp_path / "again", n_customers=1500, seed=42).parent
    first = small_demo.parent
    names = sorted(
        p.name for p in first.iterdir() if p.is_file() and not p.name.startswith("custops-")
    )
    assert {
        "crm_customers.csv",
        "invoice_lines.csv",
        "service_tickets.xlsx",
        "nps_survey.csv",
        "marketing_touches.parquet",
    } <= set(names)
    for name in names:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    other = write_demo_data(tmp_path / "other", n_customers=1500, seed=7).parent
    assert (other / "invoice_lines.csv").read_bytes() != (first / "invoice_lines.csv").read_bytes()


def test_cleaning_and_features_are_deterministic_and_leave_inputs_untouched(small_demo, tmp_path):
    inputs = small_demo.parent
    before = digest(inputs, skip=("custops-",))
    a = build_artifacts(small_demo, tmp_path / "a")
    b = build_artifacts(small_demo, tmp_path / "b")
    assert_same_artifacts(a, b)
    assert digest(inputs, skip=("custops-",)) == before
    features = pd.read_parquet(a / "customer_features.parquet")
    assert features["customer_id"].is_unique and len(features) > 1000


# --------------------------------------------------------------------------- notebook runs


@pytest.mark.slow
@pytest.mark.xdist_group("notebook-run")
def test_notebook_run_is_deterministic_and_leaves_inputs_untouched(small_demo, tmp_path):
    inputs = small_demo.parent
    before = digest(inputs, skip=("custops-",))
    for build in ("a", "b"):
        pipeline.run(
            small_demo,
            PERIOD,
            out=tmp_path / build,
            book=False,
            progress=False,
            log=lambda line: None,
        )
    assert digest(inputs, skip=("custops-",)) == before
    assert_same_artifacts(
        tmp_path / "a" / PERIOD / "artifacts", tmp_path / "b" / PERIOD / "artifacts"
    )


# --------------------------------------------------------------------------- failed and killed runs


def _notebook(title: str, code: str) -> nbformat.NotebookNode:
    nb = new_notebook(
        cells=[
            new_markdown_cell(f"# {title} — {{{{ period }}}}"),
            new_code_cell(
                'period = "2025Q4"\nconfig = "custops.yaml"\nbuild_dir = "../build"',
                metadata={"tags": ["parameters"]},
            ),
            new_code_cell(code),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


# 01 writes an artifact whose content comes from an input file next to the config;
# 02 reads it, fails when `fail` exists there and waits while `hold` exists.
COLLECT = """\
from pathlib import Path
import pandas as pd
from custops.ingest.artifacts import artifacts_dir, write_artifact
here = Path(config).parent
value = (here / "input.txt").read_text().strip()
write_artifact(pd.DataFrame({"value": [value]}), artifacts_dir(build_dir, period), "marker.csv")
print(value)
"""
REVIEW = """\
import time
from pathlib import Path
import pandas as pd
from custops.ingest.artifacts import artifacts_dir, read_artifact, write_artifact
here = Path(config).parent
marker = read_artifact(artifacts_dir(build_dir, period), "marker.csv")
while (here / "hold").exists():
    time.sleep(0.2)
if (here / "fail").exists():
    raise RuntimeError("injected failure")
write_artifact(marker.assign(reviewed=True), artifacts_dir(build_dir, period), "review.csv")
marker
"""


@pytest.fixture
def toy_project(tmp_path) -> Path:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(_notebook("Collect", COLLECT), notebooks / "01_collect.ipynb")
    nbformat.write(_notebook("Review", REVIEW), notebooks / "02_review.ipynb")
    data = tmp_path / "data"
    data.mkdir()
    (data / "input.txt").write_text("first")
    (data / "custops.yaml").write_text(
        yaml.safe_dump(
            {
                "company": "Toy",
                "sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}},
            }
        )
    )
    return tmp_path


def _run(project: Path, **kwargs):
    return pipeline.run(
        project / "data" / "custops.yaml",
        PERIOD,
        out=project / "build",
        notebooks_dir=project / "notebooks",
        template=ROOT / "book",
        progress=False,
        log=lambda line: None,
        **kwargs,
    )


@pytest.mark.slow
@pytest.mark.xdist_group("notebook-run")
def test_failed_run_keeps_last_good_artifacts_and_book(toy_project):
    _run(toy_project)
    period_dir = toy_project / "build" / PERIOD
    artifacts = period_dir / "artifacts"
    assert pd.read_csv(artifacts / "marker.csv")["value"].tolist() == ["first"]
    good_artifacts = digest(artifacts)
    good_html = digest(period_dir / "html")

    (toy_project / "data" / "input.txt").write_text("second")
    (toy_project / "data" / "fail").touch()
    with pytest.raises(PipelineError, match="injected failure"):
        _run(toy_project)
    # 01 succeeded with new input, 02 failed: the artifacts the book was built from stay
    assert digest(artifacts) == good_artifacts
    assert digest(period_dir / "html") == good_html
    assert not any(p.name.startswith(".stage") for p in period_dir.iterdir())

    (toy_project / "data" / "fail").unlink()
    _run(toy_project, book=False)  # rerunning is safe
    assert pd.read_csv(artifacts / "review.csv")["value"].tolist() == ["second"]
    assert digest(period_dir / "html") == good_html  # no book asked for: the book is untouched


@pytest.mark.slow
@pytest.mark.xdist_group("notebook-run")
def test_killed_run_keeps_last_good_artifacts(toy_project):
    _run(toy_project, book=False)
    artifacts = toy_project / "build" / PERIOD / "artifacts"
    good = digest(artifacts)
    (toy_project / "data" / "input.txt").write_text("second")
    (toy_project / "data" / "hold").touch()
    cmd = [
        str(Path(sys.executable).with_name("custops")),
        "run",
        "--config",
        str(toy_project / "data" / "custops.yaml"),
        "--period",
        PERIOD,
        "--out",
        str(toy_project / "build"),
        "--notebooks",
        str(toy_project / "notebooks"),
        "--no-book",
        "--no-progress",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 240
        # wait until 02 is running: 01's executed copy is in the run's staging folder
        executed = toy_project / "build" / PERIOD / f".stage-{proc.pid}" / "notebooks"
        executed = executed / "01_collect.ipynb"
        while not executed.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert executed.exists(), "the second run never got to notebook 02"
        time.sleep(1.0)
    finally:
        # the run at once; its kernel has its own session and exits within about a second
        # (ipykernel's parent poller), possibly writing into its staging folder meanwhile
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert digest(artifacts) == good
    (toy_project / "data" / "hold").unlink()
    _run(toy_project, book=False)  # the next run cleans up after the killed one
    assert pd.read_csv(artifacts / "marker.csv")["value"].tolist() == ["second"]
    left = [
        p.name for p in (toy_project / "build" / PERIOD).iterdir() if p.name.startswith(".stage")
    ]
    assert not left, (left, os.getpid())
