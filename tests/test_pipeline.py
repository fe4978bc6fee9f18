"""Tests of custops.run.pipeline: notebook selection, the book copy of a notebook, the book
template, and end-to-end runs (papermill + Jupyter Book) on small fixture notebooks and on the
demo data with the real notebooks.

The fixture notebooks (tests/fixtures/pipeline_notebooks) follow the notebook conventions:
a tagged parameters cell, lang-en/lang-zh markdown, glued headline numbers, a figure and a
ledger.csv artifact. 01 raises for periods before 2000 (the injected failure).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from custops.core.config import Period, ReportConfig
from custops.core.errors import ConfigError, PipelineError
from custops.core.results import format_spec
from custops.run import pipeline
from custops.run.pipeline import (
    GLUE_PREFIX,
    BookFailed,
    NotebookFailed,
    artifacts_dir,
    discover_notebooks,
    glued_scalars,
    prepare_notebook,
    select_notebook,
    write_archive_index,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pipeline_notebooks"
TEMPLATE = ROOT / "book"


# --------------------------------------------------------------------------- helpers


def write_config(folder: Path, **extra) -> Path:
    """A minimal valid custops.yaml (the fixture notebooks read no source file)."""
    data = {
        "company": "Acme Retail",
        "sources": {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}},
        **extra,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custops.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def tree_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def page(html_dir: Path, name: str) -> str:
    return (html_dir / name).read_text(encoding="utf-8")


def visible_text(html_text: str) -> str:
    """Text of the article, without tags, scripts and styles."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html_text)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def copy_notebooks(dst: Path) -> Path:
    shutil.copytree(FIXTURES, dst)
    return dst


def add_failing_cell(notebook: Path, source: str) -> None:
    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(new_code_cell(source))
    nbformat.write(nb, notebook)


def run_fixture(tmp: Path, period: str = "2025Q4", **kwargs) -> pipeline.RunResult:
    kwargs.setdefault("notebooks_dir", FIXTURES)
    return pipeline.run(
        write_config(tmp),
        period,
        out=tmp / "build",
        template=TEMPLATE,
        progress=False,
        log=lambda line: None,
        **kwargs,
    )


# --------------------------------------------------------------------------- unit tests


def test_artifacts_dir_creates_period_folder(tmp_path):
    out = artifacts_dir(tmp_path / "build", "2025-q4")
    assert out == (tmp_path / "build" / "2025Q4" / "artifacts").resolve()
    assert out.is_dir()


def test_discover_notebooks_orders_numbered_files_only(tmp_path):
    for name in ["02_b.ipynb", "01_a.ipynb", "scratch.ipynb", "10_c.ipynb"]:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in discover_notebooks(tmp_path)] == [
        "01_a.ipynb",
        "02_b.ipynb",
        "10_c.ipynb",
    ]
    with pytest.raises(ConfigError, match="No notebooks named like"):
        discover_notebooks(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        ("02", "02_segmentation"),
        ("segmentation", "02_segmentation"),
        ("seg", "02_segmentation"),
        ("02_segmentation.ipynb", "02_segmentation"),
        ("notebooks/04_nps.ipynb", "04_nps"),
        ("NPS", "04_nps"),
        ("03_churn", "03_churn_survival"),
    ],
)
def test_select_notebook_by_number_or_name(only, expected):
    nbs = [
        Path(f"{n}.ipynb")
        for n in ["01_data_collection", "02_segmentation", "03_churn_survival", "04_nps"]
    ]
    assert select_notebook(nbs, only).stem == expected


def test_select_notebook_unknown_name_lists_choices():
    nbs = [Path("01_data_collection.ipynb"), Path("02_segmentation.ipynb")]
    with pytest.raises(ConfigError) as info:
        select_notebook(nbs, "segmentaton")
    text = str(info.value)
    assert "No notebook matches --only 'segmentaton'" in text
    assert "Did you mean 'segmentation'?" in text
    assert "01 (data_collection), 02 (segmentation)" in text


def test_select_notebook_ambiguous_prefix():
    nbs = [Path("01_data_collection.ipynb"), Path("02_data_quality.ipynb")]
    with pytest.raises(ConfigError, match="matches several notebooks"):
        select_notebook(nbs, "data")


def _glue_output(name: str, text: str, display: bool = False):
    prefix = "" if display else GLUE_PREFIX
    return new_output(
        "display_data",
        data={prefix + "text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": prefix}},
    )


def test_prepare_notebook_filters_language_and_hides_code():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Segments — {{ period }}", metadata={"tags": ["lang-en"]}),
            new_markdown_cell("# 客群 — {{ period }}", metadata={"tags": ["lang-zh"]}),
            new_markdown_cell("Shared text"),
            new_code_cell('period = "2025Q4"', metadata={"tags": ["parameters"]}),
            new_code_cell('period = "2024Q1"', metadata={"tags": ["injected-parameters"]}),
            new_code_cell(
                "glue('nps', x, display=False)", outputs=[_glue_output("nps", "np.float64(12.5)")]
            ),
            new_code_cell(
                "df",
                outputs=[
                    new_output("execute_result", data={"text/plain": "df"}, execution_count=3)
                ],
            ),
            new_code_cell("helper()", metadata={"tags": ["remove-input"]}, outputs=[]),
        ]
    )
    out = prepare_notebook(nb, "zh")
    assert [c.source for c in out.cells if c.cell_type == "markdown"] == [
        "# 客群 — {{ period }}",
        "Shared text",
    ]
    tags = [c.metadata["tags"] for c in out.cells if c.cell_type == "code"]
    assert tags == [
        ["parameters", "remove-cell"],
        ["injected-parameters", "remove-cell"],
        ["remove-cell"],
        ["remove-input"],  # stakeholders see no code toggle
        ["remove-input"],
    ]
    glue_cell = [c for c in out.cells if c.cell_type == "code"][2]
    assert glue_cell.outputs[0]["data"][GLUE_PREFIX + "text/plain"] == "12.5"
    # the executed notebook itself is not modified
    assert len(nb.cells) == 8 and "tags" not in nb.cells[5].metadata


def test_glued_scalars_skips_figures_tables_and_private_keys():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "",
                outputs=[
                    _glue_output("n_customers", "4821"),
                    _glue_output("_debug", "1"),
                    _glue_output("top_segment", "'Champions'", display=True),
                    new_output(
                        "display_data",
                        data={
                            GLUE_PREFIX + "text/plain": "<Figure>",
                            GLUE_PREFIX + "image/png": "iVBOR",
                        },
                        metadata={"scrapbook": {"name": "fig", "mime_prefix": GLUE_PREFIX}},
                    ),
                ],
            )
        ]
    )
    assert glued_scalars(nb) == {"n_customers": "4821", "top_segment": "'Champions'"}


@pytest.mark.parametrize(
    ("kind", "text", "spec", "shown"),
    [
        ("count", "4821", ",.0f", "4,821"),
        ("count", "299.04", ",.0f", "299"),  # an expected number of churners: no decimals
        ("share", "0.1834", ".1%", "18.3%"),
        ("score", "31.52", ".1f", "31.5"),
        ("ratio", "1.234", ".2f", "1.23"),
        ("money", "1234567.8", ",.0f", "1,234,568"),
        ("label", "'Champions'", "s", "Champions"),
        ("probability", "0.000312", ".2g", "0.00031"),
        ("hours", "6.583", ".1f", "6.6"),
        (None, "4821", ",d", "4,821"),  # glued without a kind: by the value's type only
        (None, "0.1834", ".3f", "0.183"),
        (None, "True", "s", "True"),
    ],
)
def test_format_spec_follows_the_kind(kind, text, spec, shown):
    import ast

    from myst_nb.core.variables import format_plain_text

    assert format_spec(kind, ast.literal_eval(text)) == spec
    assert format_plain_text(text, spec) == shown


def test_figures_page_formats_by_kind_not_by_the_spelling_of_the_key():
    """A key named like a rate but glued as a count is shown as a count, and a key with no
    rate word glued as a share is shown as a percentage; intervals come from the kinds."""
    chapter = pipeline._Chapter(
        "notebooks/03_x",
        "03_x",
        {"churn_rate": "1234.0", "retained": "0.25", "retained_low": "0.2", "retained_high": "0.3"},
        "",
        None,
        "X",
        {
            "churn_rate": {"kind": "count"},
            "retained": {"kind": "share", "interval": ["retained_low", "retained_high"]},
            "retained_low": {"kind": "share", "bound_of": "retained"},
            "retained_high": {"kind": "share", "bound_of": "retained"},
        },
    )
    md = pipeline._headlines_md([chapter], "en")
    assert "`notebooks/03_x.ipynb::churn_rate:,.0f`" in md
    assert "`notebooks/03_x.ipynb::retained:.1%`" in md
    assert "(95% CI {glue:text}`notebooks/03_x.ipynb::retained_low:.1%`" in md
    assert md.count("::retained_low") == 1  # the bound is in the value's cell, not its own row


def test_book_config_quotes_off_and_sets_substitutions(tmp_path):
    cfg = ReportConfig.model_validate(
        {
            "company": "Acme",
            "sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}},
        }
    )
    book = pipeline._book_config(TEMPLATE / "_config.yml", cfg, Period.parse("2025Q4"), "zh", "now")
    dumped = yaml.safe_dump(book, allow_unicode=True)
    assert "execute_notebooks: 'off'" in dumped
    assert yaml.safe_load(dumped)["execute"]["execute_notebooks"] == "off"
    subs = book["parse"]["myst_substitutions"]
    assert (subs["period"], subs["previous_period"], subs["period_end"]) == (
        "2025Q4",
        "2025Q3",
        "2025-12-31",
    )
    assert book["sphinx"]["config"]["language"] == "zh_CN"
    assert book["title"] == "Acme — 客户运营复盘 2025Q4"

    unquoted = tmp_path / "_config.yml"
    unquoted.write_text((TEMPLATE / "_config.yml").read_text().replace('"off"', "off"))
    with pytest.raises(PipelineError, match="jupyter-book#937"):
        pipeline._book_config(unquoted, cfg, Period.parse("2025Q4"), "en", "now")


def test_template_pages_exist_in_both_languages_with_markers():
    for page_name in pipeline.BOOK_PAGES:
        for suffix in (".md", ".zh.md"):
            text = (TEMPLATE / f"{page_name}{suffix}").read_text(encoding="utf-8")
            assert (
                text.startswith("# ")
                and "{{ period }}" in text.splitlines()[0]
                or "{{ company }}" in text
            )
    assert "<!-- custops:landing -->" in (TEMPLATE / "intro.zh.md").read_text(encoding="utf-8")
    assert "<!-- custops:headlines -->" in (TEMPLATE / "all_figures.zh.md").read_text(
        encoding="utf-8"
    )
    assert "<!-- custops:ledger -->" in (TEMPLATE / "methods.zh.md").read_text(encoding="utf-8")


def test_toc_fills_notebooks_and_drops_empty_parts():
    chapters = [pipeline._Chapter("notebooks/01_a", "01_a", {}, "", None)]
    toc = pipeline._toc(TEMPLATE / "_toc.yml", chapters, "en")
    assert toc["root"] == "intro"
    assert [p["caption"] for p in toc["parts"]] == ["Reading this report", "Analyses", "Reference"]
    assert toc["parts"][1]["chapters"] == [{"file": "notebooks/01_a"}]
    empty = pipeline._toc(TEMPLATE / "_toc.yml", [], "zh")
    assert [p["caption"] for p in empty["parts"]] == ["阅读指南", "参考"]


def test_archive_index_lists_newest_first(tmp_path):
    for label in ["2024Q4", "2025Q3", "2025-11", "2025Q4"]:
        (tmp_path / label / "html").mkdir(parents=True)
        (tmp_path / label / "html" / "index.html").write_text("x")
    (tmp_path / "2025Q2" / "html").mkdir(parents=True)  # never published: no index.html
    (tmp_path / "screenshots").mkdir()
    text = write_archive_index(tmp_path, company="Acme", language="zh").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)">20', text)
    assert links == [f"{p}/html/index.html" for p in ["2025Q4", "2025-11", "2025Q3", "2024Q4"]]
    assert "Acme — 报告归档" in text and "2025Q2" not in text


def test_check_parameters_rejects_undeclared_and_missing_cell(tmp_path):
    good = FIXTURES / "01_collect.ipynb"
    declared = pipeline.check_parameters(
        good, {"period": "2025Q4", "config": "c", "build_dir": "b"}
    )
    assert set(declared) == {"period", "config", "build_dir"}
    with pytest.raises(PipelineError, match="does not declare the parameter.s. seed"):
        pipeline.check_parameters(good, {"period": "2025Q4", "seed": 1})
    bare = tmp_path / "01_bare.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), bare)
    with pytest.raises(PipelineError, match="no cell tagged `parameters`"):
        pipeline.check_parameters(bare, {"period": "2025Q4"})


def test_swap_in_replaces_folder(tmp_path):
    target, new = tmp_path / "html", tmp_path / "new"
    target.mkdir()
    (target / "old.html").write_text("old")
    new.mkdir()
    (new / "index.html").write_text("new")
    pipeline._swap_in(new, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]
    assert [p.name for p in target.iterdir()] == ["index.html"]


# --------------------------------------------------------------------------- end to end (fixtures)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One full run of the fixture notebooks for 2025Q4 (shared, do not modify)."""
    tmp = tmp_path_factory.mktemp("published")
    result = run_fixture(tmp)
    return tmp, result


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_run_publishes_book_with_glued_numbers(published):
    tmp, result = published
    html_dir = tmp / "build" / "2025Q4" / "html"
    assert result.index_html == html_dir / "index.html" and result.index_html.exists()
    assert [(r.name, r.status) for r in result.notebooks] == [
        ("01_collect.ipynb", "ok"),
        ("02_review.ipynb", "ok"),
    ]
    assert all(r.seconds > 0 for r in result.notebooks) and result.book_seconds > 0
    assert result.total_seconds >= sum(r.seconds for r in result.notebooks) + result.book_seconds

    intro = page(html_dir, "intro.html")
    assert "<title>Acme Retail — customer operations review 2025Q4" in intro
    assert "2025-10-01 to 2025-12-31" in visible_text(intro)
    # the per-chapter headline numbers moved from the landing page to "All figures"
    figures = page(html_dir, "all_figures.html")
    text = visible_text(figures)
    # 01 glues n_customers = 1180 + quarter index, reject_rate = 120 / 6600; 02 glues np.float64(31.25)
    assert re.search(r"Customers\s+1,184\b", text), text
    assert re.search(r"Share of rows rejected\s+1\.8%", text)
    assert re.search(r"NPS\s+31\.2\b", text)
    assert re.search(r"Largest segment\s+Champions", text)
    assert "2025Q3" in visible_text(intro)
    assert "{{" not in text and "custops:" not in intro and "custops:" not in figures


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_chapters_carry_period_and_hide_code(published):
    tmp, _ = published
    html_dir = tmp / "build" / "2025Q4" / "html"
    collect = page(html_dir, "notebooks/01_collect.html")
    assert "<title>Data collection — 2025Q4" in collect
    assert "数据收集" not in collect  # the zh cells were removed
    assert 'build_dir = "' not in collect  # parameters and injected cells removed
    assert collect.count("tag_remove-input") == 2  # the ledger table and the figure
    assert "tag_hide-input" not in collect and "Show code" not in collect
    assert "artifacts_dir(build_dir, period)" not in visible_text(collect)
    assert re.search(r'<img[^>]+src="[^"]+\.png"', collect)
    review = page(html_dir, "notebooks/02_review.html")
    assert "NPS is 31.2 in 2025Q4" in visible_text(review)
    for name in ["intro.html", "how_to_read.html", "methods.html", "notebooks/02_review.html"]:
        assert "Traceback" not in page(html_dir, name)


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_methods_page_renders_ledger_and_definitions(published):
    tmp, _ = published
    text = visible_text(page(tmp / "build" / "2025Q4" / "html", "methods.html"))
    assert re.search(r"customers\s+1,200\s+1,180\s+20", text)
    assert re.search(r"orders\s+5,400\s+5,300\s+100", text)
    assert "180 days without an order" in text  # churn.inactivity_days default
    assert "orders.csv" in text and "customers.csv" in text


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_run_writes_executed_notebooks_artifacts_and_archive(published):
    tmp, result = published
    pdir = tmp / "build" / "2025Q4"
    executed = nbformat.read(pdir / "notebooks" / "01_collect.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'period = "2025Q4"' in injected[0].source
    assert f'build_dir = "{tmp / "build"}"' in injected[0].source
    assert (pdir / "artifacts" / "ledger.csv").read_text().startswith("table,rows_in,kept,rejected")
    assert not (pdir / "failed").exists()
    assert not [p.name for p in pdir.iterdir() if p.name.startswith((".running", ".stage"))]
    archive = (tmp / "build" / "index.html").read_text(encoding="utf-8")
    assert 'href="2025Q4/html/index.html"' in archive
    manifest = json.loads((pdir / "run.json").read_text())
    assert manifest["period"] == "2025Q4" and manifest["language"] == "en"
    assert [n["status"] for n in manifest["notebooks"]] == ["ok", "ok"]
    conf = yaml.safe_load((pdir / "book-src" / "_config.yml").read_text(encoding="utf-8"))
    assert conf["execute"]["execute_notebooks"] == "off"
    assert conf["parse"]["myst_substitutions"]["period"] == "2025Q4"


@pytest.fixture
def published_copy(published, tmp_path):
    """A private copy of the published build (for tests that rerun)."""
    src, _ = published
    shutil.copytree(src / "build", tmp_path / "build", symlinks=True)
    return tmp_path


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_failing_notebook_keeps_previous_html_byte_identical(published_copy, tmp_path):
    html_dir = published_copy / "build" / "2025Q4" / "html"
    before = tree_digest(html_dir)
    notebooks = copy_notebooks(tmp_path / "nbs")
    add_failing_cell(
        notebooks / "02_review.ipynb", "x = 1\nraise RuntimeError('injected failure for the test')"
    )
    with pytest.raises(NotebookFailed) as info:
        run_fixture(published_copy, notebooks_dir=notebooks)
    err = info.value
    assert err.notebook == "02_review.ipynb"
    assert (err.ename, err.evalue) == ("RuntimeError", "injected failure for the test")
    assert err.exec_count == 6  # In [6]: injected parameters + 5 code cells before it
    assert err.exit_code == 1
    message = str(err)
    assert "Notebook 02_review.ipynb failed in cell In [6]" in message
    assert "RuntimeError: injected failure for the test" in message
    assert "cell begins: x = 1" in message
    assert err.partial == published_copy / "build" / "2025Q4" / "failed" / "02_review.ipynb"
    partial = nbformat.read(err.partial, as_version=4)
    assert partial.metadata["papermill"]["exception"] is True
    assert tree_digest(html_dir) == before
    # the last good executed copy of 02 is still there, so `custops book` could republish it
    assert not pipeline._notebook_failed(
        published_copy / "build" / "2025Q4" / "notebooks" / "02_review.ipynb"
    )


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_bad_period_fails_in_first_notebook_and_builds_nothing(tmp_path):
    with pytest.raises(NotebookFailed) as info:
        run_fixture(tmp_path, "1999Q1")
    assert info.value.notebook == "01_collect.ipynb"
    assert info.value.evalue == "no orders before 2000 (asked for 1999Q1)"
    assert not (tmp_path / "build" / "1999Q1" / "html").exists()
    assert not (tmp_path / "build" / "1999Q1" / "notebooks" / "02_review.ipynb").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_only_reruns_one_notebook_and_rebuilds_book(published_copy):
    pdir = published_copy / "build" / "2025Q4"
    first = (pdir / "notebooks" / "01_collect.ipynb").read_bytes()
    old_review = (pdir / "notebooks" / "02_review.ipynb").read_bytes()
    result = run_fixture(published_copy, only="review")
    assert [(r.name, r.status) for r in result.notebooks] == [
        ("01_collect.ipynb", "kept"),
        ("02_review.ipynb", "ok"),
    ]
    assert (pdir / "notebooks" / "01_collect.ipynb").read_bytes() == first
    assert (pdir / "notebooks" / "02_review.ipynb").read_bytes() != old_review
    figures = visible_text(page(pdir / "html", "all_figures.html"))
    assert re.search(r"Customers\s+1,184\b", figures)  # from 01's kept executed copy
    assert re.search(r"NPS\s+31\.2\b", figures)


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_only_marks_later_chapters_stale_until_a_full_run(published_copy, tmp_path):
    """--only 01 re-runs chapter 01 (which now glues 100 more customers): the landing and
    "All figures" pages quote the new value, chapter 02 (which reads 01's ledger.csv and was
    not re-run) says it is stale and names 01 with the re-run's time, run.json lists it, and
    the next full run clears it."""
    pdir = published_copy / "build" / "2025Q4"
    html_dir = pdir / "html"
    assert "custops-stale" not in page(html_dir, "notebooks/02_review.html")
    notebooks = copy_notebooks(tmp_path / "nbs")
    collect = nbformat.read(notebooks / "01_collect.ipynb", as_version=4)
    code = next(c for c in collect.cells if "n_customers = 1180" in c.source)
    code.source = code.source.replace(
        "n_customers = 1180 + p.index", "n_customers = 1280 + p.index"
    )
    nbformat.write(collect, notebooks / "01_collect.ipynb")

    result = run_fixture(published_copy, only="01", notebooks_dir=notebooks)
    assert [(r.name, r.status) for r in result.notebooks] == [
        ("01_collect.ipynb", "ok"),
        ("02_review.ipynb", "kept"),
    ]
    rerun = nbformat.read(pdir / "notebooks" / "01_collect.ipynb", as_version=4)
    when = rerun.metadata["papermill"]["end_time"][:16].replace("T", " ") + " UTC"
    assert result.stale == {"02_review": [{"chapter": "01_collect", "rerun_at": when}]}
    assert json.loads((pdir / "run.json").read_text())["stale"] == result.stale

    review = page(html_dir, "notebooks/02_review.html")
    assert "custops-stale" in review
    assert (
        "This chapter was computed before Data collection — 2025Q4 was re-run on "
        f"{when}, so it may quote the results that run replaced." in visible_text(review)
    )
    assert "custops-stale" not in page(html_dir, "notebooks/01_collect.html")
    for name in ("intro.html", "all_figures.html"):
        text = visible_text(page(html_dir, name))
        assert re.search(
            r"Review — 2025Q4 ?: computed before Data collection — 2025Q4 was re-run on "
            + re.escape(when),
            text,
        ), name
    # the pages that quote every chapter show the re-run chapter's new number
    assert re.search(r"Customers\s+1,284\b", visible_text(page(html_dir, "all_figures.html")))

    full = run_fixture(published_copy, notebooks_dir=notebooks)
    assert full.stale == {}
    assert json.loads((pdir / "run.json").read_text())["stale"] == {}
    for name in ("intro.html", "all_figures.html", "notebooks/02_review.html"):
        assert "custops-stale" not in page(html_dir, name), name
    assert re.search(r"Customers\s+1,284\b", visible_text(page(html_dir, "all_figures.html")))


def test_stale_chapters_compare_run_times_in_chapter_order_and_read_in_chinese():
    def ran(start: str, end: str):
        return new_notebook(
            metadata={"papermill": {"start_time": f"2025-12-01T{start}", "end_time": end}}
        )

    full = [ran("10:00", "2025-12-01T10:01"), ran("10:01", "2025-12-01T10:05")]
    full.append(ran("10:05", "2025-12-01T10:09"))
    names = ["01_a", "02_b", "03_c"]
    assert pipeline.stale_chapters(full, names) == {}
    # --only 02 at 11:00, then --only 01 at 12:00: 03 is stale twice, 02 once
    later = [ran("12:00", "2025-12-01T12:02:59"), ran("11:00", "2025-12-01T11:03"), full[2]]
    stale = pipeline.stale_chapters(later, names)
    assert stale == {
        "02_b": [{"chapter": "01_a", "rerun_at": "2025-12-01 12:02 UTC"}],
        "03_c": [
            {"chapter": "01_a", "rerun_at": "2025-12-01 12:02 UTC"},
            {"chapter": "02_b", "rerun_at": "2025-12-01 11:03 UTC"},
        ],
    }
    # a chapter never executed (skipped: no input table) is neither stale nor makes others so
    skipped = new_notebook(metadata={"custops": {"skipped": ["tickets"]}})
    assert pipeline.stale_chapters([later[0], skipped, full[2]], names) == {
        "03_c": [{"chapter": "01_a", "rerun_at": "2025-12-01 12:02 UTC"}]
    }
    zh = pipeline._stale_chapter_md(stale["03_c"], "2025Q4", "zh")
    prose = re.sub(r"`[^`]*`", "", zh.split("\n\n", 1)[1])  # without the code spans
    assert "重新运行" in prose and "2025-12-01 11:03 UTC" in prose
    assert not re.findall(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", prose), prose


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_only_with_failure_keeps_html(published_copy, tmp_path):
    html_dir = published_copy / "build" / "2025Q4" / "html"
    before = tree_digest(html_dir)
    notebooks = copy_notebooks(tmp_path / "nbs")
    add_failing_cell(notebooks / "01_collect.ipynb", "1 / 0")
    with pytest.raises(NotebookFailed, match="01_collect.ipynb failed in cell In \\[7\\]") as info:
        run_fixture(published_copy, only="01", notebooks_dir=notebooks)
    assert info.value.ename == "ZeroDivisionError"
    assert tree_digest(html_dir) == before


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_book_failure_keeps_previous_html(published_copy, tmp_path):
    html_dir = published_copy / "build" / "2025Q4" / "html"
    before = tree_digest(html_dir)
    template = tmp_path / "book"
    shutil.copytree(TEMPLATE, template)
    how = template / "how_to_read.md"
    how.write_text(how.read_text() + "\n```{no-such-directive}\n```\n")
    with pytest.raises(BookFailed) as info:
        pipeline.publish(
            config=pipeline.load_config(write_config(published_copy)),
            period=Period.parse("2025Q4"),
            build_root=published_copy / "build",
            notebooks=discover_notebooks(FIXTURES),
            template=template,
            log=lambda line: None,
        )
    assert "no-such-directive" in str(info.value)
    assert tree_digest(html_dir) == before
    assert not list((published_copy / "build" / "2025Q4").glob(".html-build-*"))


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_publish_refuses_incomplete_executed_notebook(published_copy):
    executed = published_copy / "build" / "2025Q4" / "notebooks" / "02_review.ipynb"
    nb = nbformat.read(executed, as_version=4)
    nb.metadata["papermill"]["exception"] = True
    nbformat.write(nb, executed)
    with pytest.raises(PipelineError, match="02_review.ipynb for 2025Q4 is incomplete"):
        pipeline.publish(
            config=pipeline.load_config(write_config(published_copy)),
            period=Period.parse("2025Q4"),
            build_root=published_copy / "build",
            notebooks=discover_notebooks(FIXTURES),
            template=TEMPLATE,
            log=lambda line: None,
        )


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_chinese_edition(tmp_path):
    result = run_fixture(tmp_path, language="zh")
    html_dir = result.index_html.parent
    intro = page(html_dir, "intro.html")
    assert '<html lang="zh-CN"' in intro
    assert "<title>Acme Retail — 客户运营复盘 2025Q4" in intro
    # the fixture notebooks glue no scorecard KPI: the landing page says so, in Chinese, and
    # links the page that lists every glued number
    text = visible_text(intro)
    assert "本期没有计算出核心 KPI" in text and "全部指标" in text
    figures = visible_text(page(html_dir, "all_figures.html"))
    assert re.search(r"客户数\s+1,184\b", figures) and "剔除比例" in figures
    collect = page(html_dir, "notebooks/01_collect.html")
    assert "<title>数据收集 — 2025Q4" in collect
    assert "Rows kept and rejected" not in collect and "各表保留和剔除的行数" in collect
    assert "连续 180 天没有下单" in visible_text(page(html_dir, "methods.html"))


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
def test_archive_lists_several_periods(published_copy):
    run_fixture(published_copy, "2025Q3")
    archive = (published_copy / "build" / "index.html").read_text(encoding="utf-8")
    assert archive.index("2025Q4/html/index.html") < archive.index("2025Q3/html/index.html")
    q3 = visible_text(page(published_copy / "build" / "2025Q3" / "html", "all_figures.html"))
    assert re.search(r"Customers\s+1,183\b", q3)  # 1180 + quarter index 3


# --------------------------------------------------------------------------- end to end (demo data)


def _real_notebooks() -> list[Path]:
    folder = ROOT / "notebooks"
    return sorted(folder.glob(pipeline.NOTEBOOK_GLOB)) if folder.is_dir() else []


@pytest.mark.slow
@pytest.mark.xdist_group("pipeline")  # share the module fixture in one worker
@pytest.mark.skipif(not _real_notebooks(), reason="notebooks/NN_*.ipynb not written yet")
def test_demo_data_end_to_end(tmp_path):
    synth = pytest.importorskip("custops.demo.synth")
    config = synth.write_demo_data(tmp_path / "data", n_customers=800, seed=7)
    result = pipeline.run(
        config, "2025Q4", out=tmp_path / "build", progress=False, log=lambda line: None
    )
    assert result.index_html.exists()
    assert [r.status for r in result.notebooks] == ["ok"] * len(_real_notebooks())
    html_dir = result.index_html.parent
    for nb in _real_notebooks():
        chapter = page(html_dir, f"notebooks/{nb.stem}.html")
        assert "2025Q4" in re.search(r"<title>(.*?)</title>", chapter).group(1)
        assert "Traceback" not in chapter
    ledger = tmp_path / "build" / "2025Q4" / "artifacts" / "ledger.csv"
    assert ledger.exists()
    assert "ledger.csv" not in visible_text(
        page(html_dir, "methods.html")
    )  # rendered, not the 'missing' note


def test_prepare_notebook_puts_findings_first_and_diagnostics_under_for_analysts():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Churn — {{ period }}\n\nIntro."),
            new_markdown_cell("## Method", metadata={"tags": ["custops-analysts"]}),
            new_markdown_cell("### Model check", metadata={"tags": ["custops-analysts"]}),
            new_markdown_cell("## Curves", metadata={"tags": ["custops-anchor-churn-curves"]}),
            new_markdown_cell("### In short", metadata={"tags": ["custops-first"]}),
            new_markdown_cell("**注意：**本期*新客*（`a*b`）"),
        ]
    )
    out = [c.source for c in prepare_notebook(nb, "zh").cells]
    assert out[0].startswith("# Churn")
    assert out[1] == "## In short"  # promoted to open the chapter
    assert out[2] == "(churn-curves)=\n## Curves"
    assert out[3] == "<strong>注意：</strong>本期<em>新客</em>（`a*b`）"
    assert out[4].startswith("## 供分析师参考")
    assert out[5:] == ["### Method", "#### Model check"]


def test_label_keys_and_value_labels():
    assert pipeline.label_keys("<td>wechat</td><td>x</td>", "en", is_html=True) == (
        "<td>WeChat</td><td>x</td>"
    )
    # in English a word of the sentence stays; in Chinese the key becomes its label
    assert pipeline.label_keys("referral customers", "en") == "referral customers"
    assert pipeline.label_keys("渠道 referral 的客户", "zh") == "渠道 老带新 的客户"
    assert pipeline.label_keys("see `search_ads.csv`", "zh") == "see `search_ads.csv`"


def test_landing_tiles_take_the_glued_value_and_the_scorecard_context(tmp_path):
    from custops.chapters import landing

    pd.DataFrame(
        {
            "kpi": ["nps", "churn_rate"],
            "value": [-1.1, 0.2],
            "previous": [20.2, 0.15],
            "target": [30.0, 0.1],
            "status": ["red", "red"],
            "direction": ["higher", "lower"],
            "unit": ["points", "share"],
            "ci_low": [-17.5, 0.16],
            "ci_high": [15.4, 0.25],
        }
    ).to_csv(tmp_path / "scorecard.csv", index=False)
    cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o.csv"}}})
    glue = {
        "04_nps": {"nps_value": "-1.1"},
        "05_review_retrospective": {"review_churn_rate": "0.2"},
    }
    tiles = {t.kpi: t for t in landing.tiles(glue, tmp_path, cfg, Period.parse("2025Q4"))}
    assert list(tiles) == ["churn_rate", "nps"]
    nps = tiles["nps"]
    assert (nps.shown, nps.status, nps.target) == ("-1.1", "red", "target ≥ 30.0")
    assert nps.change == "▼ 21.3" and nps.previous == "vs 2025Q3 20.2"
    churn = tiles["churn_rate"]
    assert churn.shown == "20.0%" and churn.change == "▲ 5.0 pts"
    assert churn.interval == "95% CI 16.0% – 25.0%" and churn.target == "target ≤ 10.0%"


def test_chart_descriptions_become_the_images_alt_text():
    """Each chart whose PNG output carries an alt text (custops.report.notebook.describe_figures)
    becomes a cell of its own with that alt text as mystnb.image.alt in the book's copy; a
    chart without one is left without one."""
    png = {"image/png": "iVBORw0KGgo="}
    charts = new_code_cell(
        "plot()",
        outputs=[
            new_output("display_data", data=png, metadata={"image/png": {"alt": "Chart: A."}}),
            new_output("display_data", data=png, metadata={"image/png": {"alt": "Chart: B."}}),
            new_output("display_data", data=png, metadata={"image/png": {"alt": "Chart: A."}}),
        ],
    )
    plain = new_code_cell("other()", outputs=[new_output("display_data", data=png)])
    out = pipeline.prepare_notebook(new_notebook(cells=[charts, plain]), "en")
    assert [c.metadata.get("mystnb", {}).get("image", {}).get("alt") for c in out.cells] == [
        "Chart: A.",
        "Chart: B.",
        "Chart: A.",
        None,
    ]
    split = pipeline.SPLIT_SOURCE  # not empty: myst-nb drops a code cell without source
    assert [c.source for c in out.cells] == ["plot()", split, split, "other()"]


def test_customer_level_lists_stay_out_of_the_book_with_their_size_and_file(tmp_path):
    """A cell tagged ``custops-list-<file>`` keeps its text; its table is replaced in the
    book by a sentence with the whole file's row count and name (issue #22, item 4)."""
    table = pd.DataFrame({"customer": ["c1", "c2", "c3"], "value": [3.0, 2.0, 1.0]})
    pd.concat([table] * 4).to_csv(tmp_path / "retention_priority.csv", index=False)
    cell = new_code_cell(
        "show()",
        metadata={"tags": ["custops-list-retention_priority.csv"]},
        outputs=[
            new_output("display_data", data={"text/markdown": "The list ranks customers."}),
            new_output("display_data", data={"text/html": table.to_html(), "text/plain": "t"}),
        ],
    )
    sample = new_code_cell(
        "sample()",
        metadata={"tags": ["custops-list"]},
        outputs=[new_output("display_data", data={"text/html": table.to_html()})],
    )
    nb = new_notebook(cells=[new_markdown_cell("# Churn"), cell, sample])
    for lang, words in (("en", "(12 rows)"), ("zh", "（12 行）")):
        out = prepare_notebook(nb, lang, artifacts=tmp_path)
        shown = json.dumps([o.get("data", {}) for c in out.cells for o in c.get("outputs", [])])
        assert "c2" not in shown and "<table" not in shown  # no customer rows in the book
        texts = [o["data"]["text/markdown"] for o in out.cells[1].outputs]
        assert texts[0] == "The list ranks customers."
        assert words in texts[1] and "`retention_priority.csv`" in texts[1]
        assert ("3 rows" if lang == "en" else "3 行") in out.cells[2].outputs[0]["data"][
            "text/markdown"
        ]
    assert "<table" in nb.cells[1].outputs[1]["data"]["text/html"]  # the notebook keeps it


def test_landing_tiles_take_the_trend_and_last_year_from_the_archived_scorecards(tmp_path):
    """Tiles of 2025Q4 with 2024Q4 and 2025Q3 built beside it: the sparkline runs over the
    archived values then this one, and the change from the same period last year is the
    archived 2024Q4 value's (issue #22, item 1)."""
    from custops.chapters import landing

    def card(folder: str, revenue: float, previous: float) -> None:
        (tmp_path / folder / "artifacts").mkdir(parents=True)
        pd.DataFrame(
            {
                "kpi": ["revenue"],
                "value": [revenue],
                "previous": [previous],
                "unit": ["currency"],
                "status": ["grey"],
            }
        ).to_csv(tmp_path / folder / "artifacts" / "scorecard.csv", index=False)

    card("2024Q4", 800.0, 700.0)
    card("2025Q3", 900.0, 850.0)
    card("2025Q4", 1000.0, 900.0)
    card("2026Q1", 5.0, 1000.0)  # a later period is not history
    (tmp_path / "notes").mkdir()  # not a period folder
    period = Period.parse("2025Q4")
    archive = landing.archived_scorecards(tmp_path, period)
    assert sorted(archive) == ["2024Q4", "2025Q3"]
    cfg = ReportConfig.model_validate({"currency": "CNY", "sources": {"orders": {"path": "o.csv"}}})
    glue = {"05_review_retrospective": {"review_revenue": "1000.0"}}
    (tile,) = landing.tiles(
        glue, tmp_path / "2025Q4" / "artifacts", cfg, period, "en", archive=archive
    )
    assert tile.trend == [("2024Q4", 800.0), ("2025Q3", 900.0), ("2025Q4", 1000.0)]
    assert tile.last_year.startswith(f"▲ {1000 / 800 - 1:.1%} vs 2024Q4")
    md = landing.landing_markdown([tile], [], "en")
    assert md.count("<polyline") == 1 and "2024Q4 800, 2025Q3 900, 2025Q4 1,000" in md
