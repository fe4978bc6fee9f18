"""``custops pdf``: the landing page and the chapters of a built period in one PDF.

The printing test builds the small fixture book (both editions) and prints it with Debian's
/usr/bin/chromium through Playwright (never a downloaded browser); it is skipped, with the
reason, when that file is missing. The other tests need no browser: Chromium or Playwright
missing, and a period that has not been built, each end with exit status 2 and a message
saying what to do.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from custops.run import cli, pipeline
from custops.run import pdf as pdf_module

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pipeline_notebooks"
TEMPLATE = ROOT / "book"
CHROMIUM = Path("/usr/bin/chromium")


def _fake_chromium(tmp_path: Path) -> Path:
    """An executable file standing in for Chromium where no browser is started."""
    binary = tmp_path / "bin" / "chromium"
    binary.parent.mkdir(parents=True, exist_ok=True)
    binary.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    binary.chmod(0o755)
    return binary


def _error(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return re.sub(r"\s+", " ", captured.err)


# --------------------------------------------------------------------------- no browser


def test_missing_chromium_exits_2_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "no-such" / "chromium"
    monkeypatch.setattr(pdf_module, "CHROMIUM", missing)
    code = cli.main(["pdf", "--out", str(tmp_path / "build"), "--period", "2025Q4"])
    err = _error(capsys)
    assert code == 2
    assert f"Chromium is missing: {missing} does not exist" in err
    assert "make browser-deps" in err
    assert "apt-get install -y chromium" in err
    assert "--chromium PATH" in err
    assert not list(tmp_path.rglob("*.pdf"))


def test_missing_playwright_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "playwright", None)  # import playwright -> ImportError
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    code = cli.main(
        [
            "pdf",
            "--period",
            "2025Q4",
            "--out",
            str(tmp_path),
            "--chromium",
            str(_fake_chromium(tmp_path)),
        ]
    )
    err = _error(capsys)
    assert code == 2
    assert "The Python package playwright is missing" in err
    assert "make setup" in err


def test_period_not_built_names_the_folder_and_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf_module, "CHROMIUM", _fake_chromium(tmp_path))
    build = tmp_path / "build"
    code = cli.main(["pdf", "--out", str(build), "--period", "2025q4"])
    err = _error(capsys)
    assert code == 2
    assert f"2025Q4 has not been built in {build}: {build}/2025Q4/html/intro.html is missing" in err
    assert f"custops run --config YOUR.yaml --period 2025Q4 --out {build}" in err

    # an earlier run that failed before the book: its config is named in the command
    (build / "2025Q4").mkdir(parents=True)
    (build / "2025Q4" / "run.json").write_text(json.dumps({"config": "data/my.yaml"}))
    assert cli.main(["pdf", "--out", str(build), "--period", "2025Q4"]) == 2
    assert f"custops run --config data/my.yaml --period 2025Q4 --out {build}" in _error(capsys)
    # another period never run: the config of the runs beside it
    assert cli.main(["pdf", "--out", str(build), "--period", "2026Q1"]) == 2
    assert f"custops run --config data/my.yaml --period 2026Q1 --out {build}" in _error(capsys)


def test_edition_not_built_names_its_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf_module, "CHROMIUM", _fake_chromium(tmp_path))
    html = tmp_path / "2025Q4" / "html"
    html.mkdir(parents=True)
    (html / "intro.html").write_text("<title>Review</title>", encoding="utf-8")
    (html / pipeline.EDITION_FILE).write_text(json.dumps({"language": "en", "links": []}))
    assert pdf_module.edition_dir(tmp_path, "2025Q4") == (html.resolve(), "en")
    assert pdf_module.edition_dir(tmp_path, "2025Q4", "en") == (html.resolve(), "en")
    code = cli.main(["pdf", "--out", str(tmp_path), "--period", "2025Q4", "--language", "zh"])
    err = _error(capsys)
    assert code == 2
    assert f"The zh edition of 2025Q4 has not been built in {tmp_path}" in err
    assert f"{tmp_path}/2025Q4/html-zh/intro.html is missing" in err
    assert err.rstrip().endswith("--period 2025Q4 --out " + f"{tmp_path} --language zh")


def test_book_pages_follow_the_books_order_not_the_file_names(tmp_path):
    site = tmp_path / "html"
    (site / "notebooks").mkdir(parents=True)
    page = '<html><head><title>{}</title><link rel="prev" href="x.html"><link rel="next" href="{}"></head></html>'
    (site / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />')
    (site / "intro.html").write_text(page.format("Landing", "how_to_read.html"))
    (site / "how_to_read.html").write_text(page.format("How to read", "notebooks/02_b.html"))
    (site / "notebooks" / "02_b.html").write_text(page.format("Second &amp; B", "01_a.html"))
    (site / "notebooks" / "01_a.html").write_text(page.format("First", "../methods.html"))
    (site / "methods.html").write_text(page.format("Methods", "intro.html"))  # a loop ends it
    pages = pdf_module.book_pages(site)
    assert [(p.path.relative_to(site.resolve()).as_posix(), p.title) for p in pages] == [
        ("intro.html", "Landing"),
        ("notebooks/02_b.html", "Second & B"),
        ("notebooks/01_a.html", "First"),
    ]


def test_count_pdf_pages_skips_the_page_tree():
    assert pdf_module.count_pdf_pages(b"<</Type /Pages /Kids []>>") == 0
    data = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n2 0 obj <</Type/Page /Parent 3 0 R>>\n"
    assert pdf_module.count_pdf_pages(data) == 2


# --------------------------------------------------------------------------- printed


def _write_config(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custops.yaml"
    data = {
        "company": "Acme Retail",
        "language": "en",
        "sources": {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _pdf_strings(data: bytes, key: str) -> list[str]:
    """The text of every ``/<key> (...)`` or ``/<key> <hex>`` string of a PDF."""
    found = []
    pattern = rb"/" + key.encode() + rb"\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)"
    for match in re.finditer(pattern, data, re.S):
        raw = match.group(1)
        if raw.startswith(b"<"):
            value = bytes.fromhex(re.sub(rb"\s", b"", raw[1:-1]).decode())
        else:
            value = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (
                    bytes([int(m.group(1), 8)])
                    if m.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
                ),
                raw[1:-1],
                flags=re.S,
            )
        text = (
            value[2:].decode("utf-16-be") if value[:2] == b"\xfe\xff" else value.decode("latin-1")
        )
        found.append(text)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture book of 2025Q4, English (html/) and Chinese (html-zh/)."""
    tmp = tmp_path_factory.mktemp("pdf-book")
    config = _write_config(tmp)
    quiet = {"progress": False, "log": lambda line: None, "template": TEMPLATE}
    for language in ("en", "zh"):
        pipeline.run(
            config, "2025Q4", out=tmp / "build", notebooks_dir=FIXTURES, language=language, **quiet
        )
    return tmp / "build"


@pytest.mark.slow
@pytest.mark.xdist_group("browser")  # one worker runs Chromium
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing: apt-get install -y chromium (make browser-deps); "
    "Playwright must not download its own browser",
)
@pytest.mark.parametrize(
    ("language", "title", "chapter_folder"),
    [
        ("en", "Acme Retail — customer operations review 2025Q4", "html"),
        ("zh", "Acme Retail — 客户运营复盘 2025Q4", "html-zh"),
    ],
)
def test_pdf_of_the_landing_page_and_chapters(built, language, title, chapter_folder, capsys):
    pytest.importorskip("playwright.sync_api")
    html_dir = built / "2025Q4" / chapter_folder
    chapters = sorted((html_dir / "notebooks").glob("*.html"))
    assert len(chapters) == 2  # the fixture's two notebooks

    code = cli.main(["pdf", "--out", str(built), "--period", "2025Q4", "--language", language])
    out = capsys.readouterr().out
    target = built / "2025Q4" / f"custops-2025Q4-{language}.pdf"
    assert code == 0, out
    assert str(target) in re.sub(r"\s+", "", out)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    assert pages >= 1 + len(chapters)
    assert f"{pages} page(s)" in out and f"2 chapter(s) of the {language} edition" in out
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= 1  # the chapters' charts

    # the document title is the landing page's heading; a bookmark per page's heading
    strings = _pdf_strings(data, "Title")
    assert title in strings
    headings = [
        re.search(r"<h1>([^<]*)<a class=\"headerlink\"", p.read_text(encoding="utf-8")).group(1)
        for p in [html_dir / "intro.html", *chapters]
    ]
    assert headings[0] == title and all("2025Q4" in h for h in headings)
    # Chromium's bookmarks lose the spaces at line breaks, and now and then repeat the text of
    # a heading that starts a page
    squeezed = [re.sub(r"\s", "", s) for s in strings]
    for heading in headings:
        assert any(s.startswith(re.sub(r"\s", "", heading)) for s in squeezed), (heading, strings)
    # the landing page's links to the chapters point inside the PDF, none to a local file
    assert b"/URI (file:" not in data and b"/Launch" not in data


@pytest.mark.slow
@pytest.mark.xdist_group("browser")
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing")
def test_pdf_to_a_chosen_file(built, tmp_path, capsys):
    pytest.importorskip("playwright.sync_api")
    target = tmp_path / "out" / "review.pdf"
    result = pdf_module.print_pdf(built, "2025Q4", pdf=target)
    assert result.path == target and target.read_bytes().startswith(b"%PDF-")
    assert result.language == "en"
    assert [p.path.name for p in result.pages] == [
        "intro.html",
        "01_collect.html",
        "02_review.html",
    ]
    assert result.refused == [] and result.broken_images == []
    assert result.size == target.stat().st_size and result.pdf_pages >= 3
    assert not list(target.parent.glob(".*.part"))


@pytest.mark.slow
@pytest.mark.xdist_group("browser")
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing")
def test_requests_outside_the_local_files_are_refused(tmp_path):
    pytest.importorskip("playwright.sync_api")
    html = tmp_path / "2025Q4" / "html"
    (html / "notebooks").mkdir(parents=True)
    page = (
        '<html><head><title>{title}</title><link rel="next" href="{next}"></head>'
        '<body><article class="bd-article"><h1>{title}</h1>{body}</article></body></html>'
    )
    (html / "intro.html").write_text(
        page.format(title="Landing 2025Q4", next="notebooks/01_a.html", body="<p>landing</p>")
    )
    (html / "notebooks" / "01_a.html").write_text(
        page.format(
            title="Chapter A",
            next="",
            body='<img src="https://example.com/tracker.png">'
            '<link rel="stylesheet" href="http://cdn.example.org/x.css"><p>chapter</p>',
        )
    )
    result = pdf_module.print_pdf(tmp_path, "2025Q4")
    assert sorted(result.refused) == [
        "http://cdn.example.org/x.css",
        "https://example.com/tracker.png",
    ]
    assert result.broken_images == ["https://example.com/tracker.png"]
    assert result.path == html.parent / "custops-2025Q4-en.pdf"
    assert result.path.read_bytes().startswith(b"%PDF-") and result.pdf_pages == 2


def test_a_chromium_that_does_not_start_exits_2(tmp_path, capsys):
    pytest.importorskip("playwright.sync_api")
    html = tmp_path / "build" / "2025Q4" / "html"
    html.mkdir(parents=True)
    (html / "intro.html").write_text(
        "<title>Landing</title><article class='bd-article'>x</article>"
    )
    fake = _fake_chromium(tmp_path)  # exits 1 at once
    code = cli.main(
        ["pdf", "--out", str(tmp_path / "build"), "--period", "2025Q4", "--chromium", str(fake)]
    )
    err = _error(capsys)
    assert code == 2
    assert f"Chromium at {fake} did not start" in err and "make browser-deps" in err
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob(".*.part"))
