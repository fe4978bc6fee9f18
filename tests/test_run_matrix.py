"""``custops run`` over the table combinations real exports come in: the book is always published.

One 300-customer demo company is written per worker; every variant is a copy of its
``custops.yaml`` with tables left out or customer columns unmapped (the source files are
shared, read-only). Each run must publish ``index.html`` and every chapter page, and each
section that lost its input must carry its one sentence naming what is missing and the
config key that provides it. No page may show a traceback.

The runs are slow (a whole book each); the groups spread them over two pytest-xdist workers
(``--dist loadgroup``), each building its own demo once.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from custops.demo.synth import write_demo_data

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = (
    "01_data_collection",
    "02_segmentation",
    "03_churn_survival",
    "04_nps",
    "05_review_retrospective",
)
NEEDS_ORDERS = "This chapter needs the orders table (config key `sources.orders`)"
NEEDS_VOICE = (
    "This chapter needs a surveys table (config key `sources.surveys`) or a tickets table "
    "(config key `sources.tickets`)"
)
NO_ANSWERS = "There are no survey answers (config key `sources.surveys`)"
NO_CHANNEL = (
    "The data have no acquisition channel (config key "
    "`sources.customers.columns.acquisition_channel`)"
)
NO_APP = "The data have no APP binding (config key `sources.customers.columns.app_bound`)"
NO_TICKETS_KM = "The data have no service tickets (config key `sources.tickets`)"
NO_CUSTOMERS = "There is no customers table (sources.customers)"
NO_TOUCHES = "The configuration has no touches source"
NO_ORDERS_SECTION = "There is no orders table (config key `sources.orders`), so this section"

ALL = ("orders", "customers", "tickets", "surveys", "touches")

#: variant -> (tables kept, customer columns unmapped, {chapter: sentences its page must carry})
VARIANTS = {
    "orders_only": (
        ("orders",),
        (),
        {
            "01_data_collection": [NO_CUSTOMERS],
            "03_churn_survival": [NO_CHANNEL, NO_APP, NO_TICKETS_KM],
            "04_nps": [NEEDS_VOICE],
            "05_review_retrospective": [NO_TOUCHES],
        },
    ),
    "orders_customers": (
        ("orders", "customers"),
        (),
        {"03_churn_survival": [NO_TICKETS_KM], "04_nps": [NEEDS_VOICE]},
    ),
    "plus_tickets": (
        ("orders", "customers", "tickets"),
        (),
        {"04_nps": [NO_ANSWERS], "05_review_retrospective": [NO_TOUCHES]},
    ),
    "plus_surveys": (
        ("orders", "customers", "tickets", "surveys"),
        (),
        {"05_review_retrospective": [NO_TOUCHES]},
    ),
    "plus_touches": (ALL, (), {}),
    "surveys_only": (
        ("surveys",),
        (),
        {
            "02_segmentation": [NEEDS_ORDERS],
            "03_churn_survival": [NEEDS_ORDERS],
            "05_review_retrospective": [NEEDS_ORDERS],
        },
    ),
    "tickets_only": (
        ("tickets",),
        (),
        {
            "02_segmentation": [NEEDS_ORDERS],
            "03_churn_survival": [NEEDS_ORDERS],
            "04_nps": [NO_ANSWERS, "tickets were opened"],
            "05_review_retrospective": [NEEDS_ORDERS],
        },
    ),
    "customers_without_attributes": (
        ALL,
        ("region", "acquisition_channel", "app_bound"),
        {"03_churn_survival": [NO_CHANNEL, NO_APP]},
    ),
    # a CRM's contract snapshot: tenure in months and a churned flag, no churn dates, no other table
    "contract_snapshot": (
        ("contract",),
        (),
        {
            "02_segmentation": [NEEDS_ORDERS],
            "03_churn_survival": [NO_ORDERS_SECTION, NO_APP],
            "04_nps": [NEEDS_VOICE],
            "05_review_retrospective": [NEEDS_ORDERS],
        },
    ),
}
#: two groups of about equal run time (two whole books vs. short skipped chapters)
GROUPS = {
    "orders_only": "matrix-a",
    "plus_tickets": "matrix-a",
    "plus_touches": "matrix-a",
    "surveys_only": "matrix-a",
    "orders_customers": "matrix-b",
    "plus_surveys": "matrix-b",
    "tickets_only": "matrix-b",
    "customers_without_attributes": "matrix-b",
    "contract_snapshot": "matrix-a",
}


def custops(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed ``custops`` command, as a user runs it (no TTY)."""
    exe = Path(sys.executable).with_name("custops")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "custops.run.cli"]
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900
    )


def page_text(path: Path) -> str:
    """The visible text of a built page (tags, scripts and styles removed, spaces collapsed)."""
    import html

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text)))


def visible(sentence: str) -> str:
    """A sentence as a page shows it (Markdown code marks gone)."""
    return sentence.replace("`", "")


@pytest.fixture(scope="session")
def matrix_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo company (300 customers, seed 42) for every variant of a worker."""
    return write_demo_data(tmp_path_factory.mktemp("matrix-demo"), n_customers=300, seed=42)


def write_contract(demo: Path, folder: Path) -> dict:
    """A contract snapshot of the demo's customers: tenure (months) and churned (是/否), no churn date."""
    import numpy as np
    import pandas as pd

    customers = pd.read_csv(demo.parent / "crm_customers.csv", encoding="gb18030")
    rng = np.random.default_rng(7)
    snapshot = pd.DataFrame(
        {
            "客户编号": customers["客户编号"],
            "在网月数": rng.integers(1, 60, len(customers)),
            "已流失": rng.choice(["是", "否"], len(customers), p=[0.3, 0.7]),
            "地区": customers["地区"],
            "获客渠道": customers["获客渠道"],
        }
    )
    folder.mkdir(parents=True, exist_ok=True)
    snapshot.to_csv(folder / "contract.csv", index=False)
    return {
        "path": str(folder / "contract.csv"),
        "columns": {
            "customer_id": "客户编号",
            "tenure": "在网月数",  # no dates at all: signup = snapshot day - tenure
            "churned": "已流失",
            "region": "地区",
            "acquisition_channel": "获客渠道",
        },
        "values": {"churned": {"是": True, "否": False}},
    }


def write_variant(demo: Path, folder: Path, keep: tuple[str, ...], unmapped: tuple[str, ...]):
    config = yaml.safe_load(demo.read_text(encoding="utf-8"))
    sources = {}
    for table, src in config["sources"].items():
        if table not in keep:
            continue
        src = dict(src, path=str(demo.parent / src["path"]))
        if table == "customers":
            src["columns"] = {k: v for k, v in src["columns"].items() if k not in unmapped}
            src["values"] = {k: v for k, v in src.get("values", {}).items() if k not in unmapped}
        sources[table] = src
    if keep == ("contract",):
        sources["customers"] = write_contract(demo, folder)
        config["churn"].update(definition="contractual", tenure_unit="months")
    config["sources"] = sources
    config["review"]["actions"] = str(demo.parent / config["review"]["actions"])
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "custops.yaml"
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return target


@pytest.mark.slow
@pytest.mark.parametrize(
    "variant",
    [pytest.param(name, marks=pytest.mark.xdist_group(GROUPS[name])) for name in VARIANTS],
)
def test_book_is_published_for_every_table_combination(variant, matrix_demo, tmp_path):
    keep, unmapped, sentences = VARIANTS[variant]
    config = write_variant(matrix_demo, tmp_path / "cfg", keep, unmapped)
    build = tmp_path / "build"
    run = custops(
        "run", "--config", str(config), "--period", "2025Q4", "--out", str(build), cwd=ROOT
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    html_dir = build / "2025Q4" / "html"
    assert (html_dir / "index.html").exists()
    pages = {name: html_dir / "notebooks" / f"{name}.html" for name in CHAPTERS}
    missing = [name for name, page in pages.items() if not page.exists()]
    assert not missing, f"{variant}: no page for {missing}"
    texts = {name: page_text(page) for name, page in pages.items()}
    texts["index"] = page_text(html_dir / "intro.html")
    for name, text in texts.items():
        assert "Traceback" not in text, f"{variant}: a traceback on {name}"
        assert "This edition is incomplete" not in text, f"{variant}: a chapter failed ({name})"
    for chapter, expected in sentences.items():
        for sentence in expected:
            assert visible(sentence) in texts[chapter], f"{variant}: {chapter} lacks {sentence!r}"
    # a chapter that has its tables is computed, not a one-sentence stub
    for chapter in CHAPTERS[1:]:
        stubbed = visible(NEEDS_ORDERS) in texts[chapter] or visible(NEEDS_VOICE) in texts[chapter]
        needs = {"04_nps": ("surveys", "tickets"), "03_churn_survival": ("orders", "contract")}
        assert stubbed == (not any(t in keep for t in needs.get(chapter, ("orders",)))), (
            f"{variant}: {chapter}"
        )


# --------------------------------------------------------------------------- airline reviews


def reviewer_names(csv_path: Path) -> list[str]:
    """The reviewer names that cannot occur in any other column of the file (so a hit is a leak)."""
    opener = gzip.open if csv_path.suffix == ".gz" else open
    with opener(csv_path, "rt", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    other = " ".join(v for row in rows for k, v in row.items() if k != "Name").lower()
    names = {row["Name"].strip() for row in rows}
    return sorted(n for n in names if len(n) >= 6 and " " in n and n.lower() not in other)


@pytest.mark.slow
@pytest.mark.xdist_group("matrix-b")
def test_airline_reviews_nps_chapter(real_data, tmp_path):
    config = ROOT / "data" / "real" / "airline_reviews.yaml"
    build = tmp_path / "build"
    run = custops("run", "--config", str(config), "--out", str(build), cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    page = page_text(build / "2023" / "html" / "notebooks" / "04_nps.html")
    # the scale mapping is stated, and NPS is broken down by airline and by cabin class
    assert "reads that rating as the 0–10 recommend score unchanged" in page
    with open(real_data / "airlines_reviews_10_airlines.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Review Date"].endswith("/2023")]
    for column in ("Airline", "Class"):
        for level in {r[column] for r in rows}:
            assert level in page, f"{level} ({column}) is not on the NPS page"
    # overall NPS of 2023, computed here from the file: 9-10 promoters, 1-6 detractors
    scores = [int(r["Overall Rating"]) for r in rows]
    nps = 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
    assert f"{nps:.1f}" in page or f"{nps:.0f}" in page
    # no reviewer name in any file under the build folder (pages, notebooks, artifacts)
    names = reviewer_names(real_data / "airlines_reviews_10_airlines.csv")
    assert len(names) > 1000
    pattern = re.compile("|".join(re.escape(n) for n in names).encode())
    leaks = []
    for path in build.rglob("*"):
        if path.is_file():
            hit = pattern.search(path.read_bytes())
            if hit:
                leaks.append((str(path.relative_to(build)), hit.group().decode()))
    assert not leaks, leaks[:5]


# --------------------------------------------------------------------------- --keep-going


@pytest.mark.slow
@pytest.mark.xdist_group("matrix-a")
def test_keep_going_publishes_the_chapters_that_succeeded(tmp_path):
    import shutil

    import nbformat

    fixtures = ROOT / "tests" / "fixtures" / "pipeline_notebooks"
    notebooks = tmp_path / "nbs"
    shutil.copytree(fixtures, notebooks)
    shutil.copy(notebooks / "02_review.ipynb", notebooks / "03_after.ipynb")  # runs after it
    config = tmp_path / "cfg" / "custops.yaml"
    config.parent.mkdir()
    sources = {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}}
    config.write_text(yaml.safe_dump({"company": "Acme", "sources": sources}), "utf-8")
    build = tmp_path / "build"
    common = ["--config", str(config), "--period", "2025Q4", "--out", str(build)]
    common += ["--notebooks", str(notebooks), "--book-template", str(ROOT / "book")]
    assert custops("run", *common, cwd=tmp_path).returncode == 0
    index = build / "2025Q4" / "html" / "index.html"
    first = index.stat().st_mtime_ns

    failing = nbformat.read(notebooks / "02_review.ipynb", as_version=4)
    failing.cells.insert(
        4, nbformat.v4.new_code_cell("raise ValueError('the review table is empty')")
    )
    nbformat.write(failing, notebooks / "02_review.ipynb")

    # without --keep-going: the published report stays, the run's artifacts are kept aside
    stopped = custops("run", *common, cwd=tmp_path)
    assert stopped.returncode == 1
    assert "ValueError: the review table is empty" in stopped.stderr
    assert index.stat().st_mtime_ns == first
    assert (build / "2025Q4" / "failed" / "artifacts" / "ledger.csv").exists()

    # with it: the other chapters are published under a banner naming chapter, cell and error
    going = custops("run", *common, "--keep-going", cwd=tmp_path)
    assert going.returncode == 1, going.stderr
    assert "failed: 02_review, cell In [" in going.stderr
    html_dir = build / "2025Q4" / "html"
    assert index.stat().st_mtime_ns != first
    assert (html_dir / "notebooks" / "01_collect.html").exists()
    assert (html_dir / "notebooks" / "03_after.html").exists()
    assert not (html_dir / "notebooks" / "02_review.html").exists()
    intro = page_text(html_dir / "intro.html")
    assert "This edition is incomplete" in intro
    assert re.search(r"02_review, cell In \[\d+\]: ValueError: the review table is empty", intro)
    banner = page_text(html_dir / "notebooks" / "03_after.html")  # on every page
    assert "These chapters failed" in intro and "This edition is incomplete" in banner
    for page in html_dir.rglob("*.html"):
        assert "Traceback" not in page.read_text(encoding="utf-8"), page
