"""Open the built book in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Every page loads from a loopback HTTP server, has a title carrying the period, its images
decode (naturalWidth > 0), no output shows "Traceback" or an error name, code is hidden
behind a toggle, and no page asks for anything outside 127.0.0.1 (the report must work
offline). A screenshot of each landing page is saved under build/screenshots/.

Playwright never downloads a browser here: it launches /usr/bin/chromium. The tests are
skipped, with the reason, when that file is missing (CI installs the Debian package).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from custops.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "pipeline_notebooks"
TEMPLATE = ROOT / "book"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "build" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),  # one worker builds the books and runs Chromium
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="/usr/bin/chromium is missing: apt-get install -y chromium (CI installs it); "
        "Playwright must not download its own browser",
    ),
]


def _write_config(folder: Path, language: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "custops.yaml"
    data = {
        "company": "Acme Retail",
        "language": language,
        "sources": {"orders": {"path": "orders.csv"}, "customers": {"path": "customers.csv"}},
    }
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _real_notebooks() -> list[Path]:
    folder = ROOT / "notebooks"
    return sorted(folder.glob(pipeline.NOTEBOOK_GLOB)) if folder.is_dir() else []


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """Build roots: the fixture book in English and Chinese, and the demo book when the
    real notebooks exist."""
    quiet = {"progress": False, "log": lambda line: None, "template": TEMPLATE}
    roots = {}
    for language in ("en", "zh"):
        tmp = tmp_path_factory.mktemp(f"book-{language}")
        pipeline.run(
            _write_config(tmp, language),
            "2025Q4",
            out=tmp / "build",
            notebooks_dir=FIXTURES,
            **quiet,
        )
        roots[f"fixture-{language}"] = tmp / "build"
    if _real_notebooks():
        from custops.demo.synth import write_demo_data

        tmp = tmp_path_factory.mktemp("book-demo")
        config = write_demo_data(tmp / "data", n_customers=800, seed=7)
        pipeline.run(config, "2025Q4", out=tmp / "build", **quiet)
        roots["demo"] = tmp / "build"
    return roots


@pytest.fixture(scope="module")
def server(builds) -> Iterator[dict[str, str]]:
    """One loopback HTTP server per build root; returns base URLs by name."""
    servers, urls = [], {}
    for name, root in builds.items():
        handler = functools.partial(_QuietHandler, directory=str(root))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        urls[name] = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield urls
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # signature of the base class
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _pages(html_dir: Path) -> list[str]:
    skip = {"genindex.html", "search.html"}
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if p.name not in skip and "_static" not in p.parts and "_sources" not in p.parts
    )


_ERROR_NAME = re.compile(r"\b(Traceback|[A-Z]\w*Error|[A-Z]\w*Exception|Error:)")


def _check_book(browser, base: str, build_root: Path, name: str, period: str = "2025Q4") -> dict:
    html_dir = build_root / period / "html"
    pages = _pages(html_dir)
    assert "intro.html" in pages and "methods.html" in pages and "how_to_read.html" in pages
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    report = {}
    for rel in pages:
        response = page.goto(f"{base}/{period}/html/{rel}", wait_until="load")
        assert response is not None and response.ok, rel
        page.wait_for_load_state("networkidle")
        title = page.title()
        assert period in title, f"{rel}: title {title!r} lacks the period"
        h1 = page.locator("article h1").first.inner_text()
        assert period in h1, f"{rel}: heading {h1!r} lacks the period"
        broken = page.evaluate(
            "() => Array.from(document.images)"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert broken == [], f"{rel}: images that did not load: {broken}"
        outputs = page.locator(".cell_output").all_inner_texts()
        bad = [m.group(0) for text in outputs for m in [_ERROR_NAME.search(text)] if m]
        assert bad == [], f"{rel}: error text in outputs: {bad}"
        assert "Traceback" not in page.locator("article").inner_text(), rel
        assert page.locator(".output.stderr, .output.traceback").count() == 0, rel
        # stakeholders see no code: inputs are removed (no "Show code" toggles)
        inputs = page.locator(".cell_input")
        assert all(not inputs.nth(i).is_visible() for i in range(inputs.count())), (
            f"{rel}: code shown"
        )
        report[rel] = {
            "title": title,
            "images": page.evaluate("document.images.length"),
            "inputs": inputs.count(),
        }
    # the landing page: redirect from index.html, headline numbers, screenshot
    page.goto(f"{base}/{period}/html/index.html", wait_until="load")
    page.wait_for_url(re.compile(r"intro\.html$"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"landing-{name}-{period}.png"
    page.screenshot(path=str(shot), full_page=True)
    report["_screenshot"] = shot
    # the per-chapter headline numbers are on the "All figures" page
    page.goto(f"{base}/{period}/html/all_figures.html", wait_until="load")
    report["_headline_values"] = page.locator("article .pasted-text").all_inner_texts()
    report["_figures_text"] = page.locator("article").inner_text()
    # the archive index links to the period
    page.goto(f"{base}/index.html", wait_until="load")
    page.locator(f'a[href="{period}/html/index.html"]').first.click()
    page.wait_for_url(re.compile(r"intro\.html$"))
    context.close()
    assert outside == [], f"pages requested resources outside 127.0.0.1: {outside}"
    assert page_errors == [], f"JavaScript errors: {page_errors}"
    return report


def test_fixture_book_in_browser(browser, server, builds):
    report = _check_book(browser, server["fixture-en"], builds["fixture-en"], "fixture-en")
    assert report["intro.html"]["title"].startswith(
        "Acme Retail — customer operations review 2025Q4"
    )
    assert report["_headline_values"] == ["1,184", "1.8%", "31.2", "Champions"]
    assert report["notebooks/01_collect.html"]["images"] >= 1
    assert report["notebooks/01_collect.html"]["inputs"] == 0  # remove-input: no code toggles
    assert report["_screenshot"].stat().st_size > 10_000


def test_chinese_book_in_browser(browser, server, builds):
    report = _check_book(browser, server["fixture-zh"], builds["fixture-zh"], "fixture-zh")
    assert report["notebooks/01_collect.html"]["title"].startswith("数据收集 — 2025Q4")
    # the glued segment key is shown as its Chinese label (plain text, not a pasted value)
    assert report["_headline_values"] == ["1,184", "1.8%", "31.2"]
    assert "冠军客户" in report["_figures_text"] and "Champions" not in report["_figures_text"]


def test_demo_book_in_browser(browser, server, builds):
    if "demo" not in builds:
        pytest.skip("notebooks/NN_*.ipynb not written yet: only the fixture book was checked")
    report = _check_book(browser, server["demo"], builds["demo"], "demo")
    chapters = [rel for rel in report if rel.startswith("notebooks/")]
    assert len(chapters) == len(_real_notebooks())
    assert sum(report[rel]["images"] for rel in chapters) > 0
    assert report["_headline_values"], "the landing page quotes no glued number"
