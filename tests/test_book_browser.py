"""Open the built book in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Every page loads from a loopback HTTP server, has a title carrying the period, its images
decode (naturalWidth > 0), no output shows "Traceback" or an error name, code is hidden
behind a toggle, and no page asks for anything outside 127.0.0.1 (the report must work
offline). A screenshot of each landing page is saved under build/screenshots/.

The demo book (800 customers) is built in both editions, English (``html/``) and Chinese
(``html-zh/``), and read the way a stakeholder sees it (issue #22): the landing page's KPI
tiles fit one 1400 x 900 screen; no table or figure is wider than its column; the visible
text (code excluded) has no ``snake_case`` key, no missing-value marker, no Python repr and
no count with a decimal point, and the Chinese edition is Chinese outside proper names and
units; every image has an alt text that is not a file name, and a caption. Each check
collects every problem of every page (page, offending token, its context) before it fails.
Screenshots of the landing page and two chapters of each edition go to build/screenshots/.

Playwright never downloads a browser here: it launches /usr/bin/chromium. The tests are
skipped, with the reason, when that file is missing (CI installs the Debian package).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections import Counter
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
#: the demo's two editions: name -> (language, folder of the period)
DEMO_EDITIONS = {"demo": ("en", "html"), "demo-zh": ("zh", "html-zh")}
#: the reader's screen of issue #22
VIEWPORT = {"width": 1400, "height": 900}
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
    """Build roots: the fixture book in English and Chinese, and the demo book in both
    editions (``html/`` and ``html-zh/`` of one build root) when the real notebooks exist."""
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
        # the Chinese edition of the same run: build/2025Q4/html-zh
        pipeline.run(config, "2025Q4", out=tmp / "build", language="zh", **quiet)
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


def _check_book(
    browser, base: str, build_root: Path, name: str, period: str = "2025Q4", folder: str = "html"
) -> dict:
    html_dir = build_root / period / folder
    pages = _pages(html_dir)
    assert "intro.html" in pages and "methods.html" in pages and "how_to_read.html" in pages
    context = browser.new_context(viewport=VIEWPORT)
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
        response = page.goto(f"{base}/{period}/{folder}/{rel}", wait_until="load")
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
    page.goto(f"{base}/{period}/{folder}/index.html", wait_until="load")
    page.wait_for_url(re.compile(r"intro\.html$"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"landing-{name}-{period}.png"
    page.screenshot(path=str(shot), full_page=True)
    report["_screenshot"] = shot
    # the per-chapter headline numbers are on the "All figures" page
    page.goto(f"{base}/{period}/{folder}/all_figures.html", wait_until="load")
    report["_headline_values"] = page.locator("article .pasted-text").all_inner_texts()
    report["_figures_text"] = page.locator("article").inner_text()
    # the archive index links to the period
    page.goto(f"{base}/index.html", wait_until="load")
    page.locator(f'a[href="{period}/{folder}/index.html"]').first.click()
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


@pytest.mark.parametrize("name", list(DEMO_EDITIONS))
def test_demo_book_in_browser(browser, server, builds, name):
    if "demo" not in builds:
        pytest.skip("notebooks/NN_*.ipynb not written yet: only the fixture book was checked")
    folder = DEMO_EDITIONS[name][1]
    report = _check_book(browser, server["demo"], builds["demo"], name, folder=folder)
    chapters = [rel for rel in report if rel.startswith("notebooks/")]
    assert len(chapters) == len(_real_notebooks())
    assert sum(report[rel]["images"] for rel in chapters) > 0
    assert report["_headline_values"], "the landing page quotes no glued number"


# --- what a reader of the demo sees (issue #22) ------------------------------------------------

#: chapters photographed for the review, besides the landing page
SCREENSHOT_CHAPTERS = ("notebooks/02_segmentation.html", "notebooks/04_nps.html")

#: the article's text as shown on screen (``innerText``: hidden elements left out), without
#: code (inputs, code spans, highlighted blocks) and without the link to the other edition,
#: which is named in that edition's language on purpose; with ``true``, also without passages
#: marked as written in another language than the page's (``<span lang="en">`` in the zh
#: edition: an action the team wrote in English, quoted)
_VISIBLE_TEXT_JS = """(ownLanguageOnly) => {
  const article = document.querySelector('article');
  if (!article) return '';
  const own = (document.documentElement.lang || 'en').split('-')[0];
  const other = Array.from(article.querySelectorAll('[lang]'))
    .filter(e => ownLanguageOnly && e.lang.split('-')[0] !== own);
  other.forEach(e => e.setAttribute('data-custops-skip', ''));
  const style = document.createElement('style');
  style.textContent = 'pre, code, .highlight, .cell_input, nav.custops-editions, .headerlink,'
    + ' script, style, [data-custops-skip] { display: none !important; }';
  document.head.appendChild(style);
  const text = article.innerText;
  style.remove();
  other.forEach(e => e.removeAttribute('data-custops-skip'));
  return text;
}"""

#: every table of the article as its header row and body rows (cell text as shown)
_TABLES_JS = """() => Array.from(document.querySelectorAll('article table')).map(t => {
  const cells = row => Array.from(row.cells).map(c => c.innerText.trim());
  const head = t.tHead && t.tHead.rows.length ? cells(t.tHead.rows[t.tHead.rows.length - 1]) : [];
  const rows = Array.from(t.tBodies).flatMap(b => Array.from(b.rows)).map(cells);
  return {headers: head, rows: rows};
})"""

#: tables, figures and images wider than their column: the element's own scroll width, the
#: scroll width of every ancestor up to the article that scrolls sideways, and the element's
#: right edge against the article's
_OVERFLOW_JS = """() => {
  const article = document.querySelector('article');
  if (!article) return [];
  const edge = article.getBoundingClientRect().right;
  const describe = el => {
    if (el.tagName === 'IMG') return 'image "' + (el.getAttribute('alt') || el.src).slice(0, 60) + '"';
    const caption = el.querySelector('caption, figcaption');
    const head = el.querySelector('th, td');
    const what = caption ? caption.innerText : head ? head.innerText : '';
    return el.tagName.toLowerCase() + ' "' + what.trim().slice(0, 60) + '"';
  };
  const out = [];
  for (const el of article.querySelectorAll('table, figure, img')) {
    if (!el.getClientRects().length) continue;  // not rendered
    const boxes = [el];
    for (let up = el.parentElement; up && up !== article; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') boxes.push(up);
    }
    for (const box of boxes) {
      if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) {
        const where = box === el ? '' : ' in its scroll box ' + box.tagName.toLowerCase()
          + (box.className ? '.' + String(box.className).trim().split(/\\s+/).join('.') : '');
        out.push(describe(el) + where + ': scrollWidth ' + box.scrollWidth
          + ' > clientWidth ' + box.clientWidth);
        break;
      }
    }
    const right = el.getBoundingClientRect().right;
    if (right > edge + 1) out.push(describe(el) + ': right edge ' + Math.round(right)
      + ' beyond the article ' + Math.round(edge));
  }
  return out;
}"""

#: every image of the article: its alt text and the caption shown with it (the figcaption of
#: its figure, else a caption element of the same cell output)
_IMAGES_JS = """() => Array.from(document.querySelectorAll('article img')).map(img => {
  const figure = img.closest('figure');
  let caption = figure ? figure.querySelector('figcaption') : null;
  if (!caption || !caption.innerText.trim()) {
    const cell = img.closest('.cell_output, .cell');
    caption = cell ? cell.querySelector('figcaption, .caption, caption') : null;
  }
  return {src: img.getAttribute('src') || '', alt: img.getAttribute('alt') || '',
          caption: caption ? caption.innerText.trim() : ''};
})"""

#: the landing page's KPI tiles where the first screen shows them (no scrolling)
_TILES_JS = """() => {
  window.scrollTo(0, 0);
  return {width: window.innerWidth, height: window.innerHeight,
    tiles: Array.from(document.querySelectorAll('a.custops-tile')).map(a => {
      const r = a.getBoundingClientRect();
      return {label: a.innerText.split('\\n')[0], top: r.top, bottom: r.bottom, right: r.right};
    })};
}"""


def _read_edition(browser, base: str, html_dir: Path, name: str, period: str = "2025Q4") -> dict:
    """Everything the reader checks need from one edition, read in one pass of the browser.

    Returns ``{"pages": {page: {"text", "own_text", "tables", "overflow", "images"}},
    "tiles": ...}``; saves screenshots of the landing page's first screen and of
    :data:`SCREENSHOT_CHAPTERS` (whole pages).
    """
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    out: dict = {"pages": {}}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    url = f"{base}/{period}/{html_dir.name}"
    for rel in _pages(html_dir):
        if rel == "index.html":  # the redirect to intro.html
            continue
        page.goto(f"{url}/{rel}", wait_until="load")
        page.wait_for_load_state("networkidle")
        out["pages"][rel] = {
            "text": page.evaluate(_VISIBLE_TEXT_JS, False),
            "own_text": page.evaluate(_VISIBLE_TEXT_JS, True),
            "tables": page.evaluate(_TABLES_JS),
            "overflow": page.evaluate(_OVERFLOW_JS),
            "images": page.evaluate(_IMAGES_JS),
        }
        if rel in SCREENSHOT_CHAPTERS:
            stem = Path(rel).stem
            page.screenshot(path=str(SCREENSHOTS / f"{stem}-{name}-{period}.png"), full_page=True)
        if rel == "intro.html":
            out["tiles"] = page.evaluate(_TILES_JS)
            page.screenshot(path=str(SCREENSHOTS / f"landing-{name}-{period}-screen.png"))
    context.close()
    return out


@pytest.fixture(scope="module")
def demo_editions(browser, server, builds) -> dict[str, dict]:
    """What a reader of each demo edition sees (:func:`_read_edition`), by edition name."""
    if "demo" not in builds:
        pytest.skip("notebooks/NN_*.ipynb not written yet: there is no demo book to read")
    return {
        name: _read_edition(browser, server["demo"], builds["demo"] / "2025Q4" / folder, name)
        for name, (_, folder) in DEMO_EDITIONS.items()
    }


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    """``…text around [start:end]…`` on one line."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return " ".join(f"…{before}[{text[start:end]}]{after}…".split())


#: a raw name: letters/digits joined by underscores (``nps_comparison``, ``mle_retvals``)
_SNAKE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![A-Za-z0-9_])")
#: what pandas and numpy print for a missing or infinite value
_MISSING = re.compile(r"(?<![A-Za-z0-9_])(?:nan|NaN|None|NaT|inf|-inf)(?![A-Za-z0-9_])|<NA>")
#: Python reprs and literals: an object's repr, an address, numpy/pandas constructors,
#: booleans as Python writes them
_REPR = re.compile(
    r"<(?:IPython|matplotlib|pandas|Figure|Axes|Styler)\b[^>]{0,80}>?"
    r"|\bobject at 0x[0-9a-fA-F]+|\bat 0x[0-9a-fA-F]{6,}"
    r"|\b(?:np|numpy)\.\w+\(|\bTimestamp\(|\bdtype: \w+"
    r"|(?<![A-Za-z0-9_])(?:True|False)(?![A-Za-z0-9_])"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
#: a count of people or things written with a decimal point ("12.0 customers", "3.5 位客户"),
#: number and noun on one line (not across table cells); averages ("2.3 orders per customer",
#: "2.5 orders on an average Sunday", "平均 2.3 单") are not counts
_COUNT = {
    "en": re.compile(
        rf"(?<![\d.,])(?:{_NUMBER})\.\d+[ \u00a0]+(?:customers?|orders?|tickets?|comments?|responses?"
        r"|respondents?|churners?|buyers?|people|rows?|agents?|promoters?|passives?"
        r"|detractors?|mentions?|surveys?|events?)\b(?!\s*(?:per\b|/|a\b|each\b))"
    ),
    "zh": re.compile(
        rf"(?<![\d.,])(?:{_NUMBER})\.\d+[ \u00a0]*(?:位|名|个)?(?:客户|订单|工单|评论|条|笔|人)(?!\s*[/每])"
    ),
}
_MEAN_WORDS = re.compile(r"(?i)average|mean|median|per\b|平均|人均|均值|中位")
#: raw column names (custops.report.labels) whose values are counts
_COUNT_COLUMNS = (
    "n", "count", "rows", "rows_in", "rows_out", "kept", "merged", "rejected", "lost",
    "customers", "n_orders", "n_comments", "n_tickets", "Tickets", "promoters", "passives",
    "detractors", "mentions", "mentions_prev", "negative", "negative_prev", "sent",
    "delivered", "converted", "eligible", "n_control", "n_treatment", "conv_control",
    "conv_treatment", "n_baseline", "times", "bytes",
)  # fmt: skip
_DECIMAL = re.compile(rf"-?(?:{_NUMBER})\.\d+")
#: a whole number in the default two-decimal float format: a count that went through NaN
#: ("12.00"); one decimal ("20.0") is a measure's chosen precision
_WHOLE_WITH_ZEROS = re.compile(rf"-?(?:{_NUMBER})\.00+")


def _text_problems(text: str, lang: str) -> list[str]:
    """Every snake_case key, missing-value marker, Python repr and decimal count of ``text``.

    Returns one line per hit: ``rule: token in …context…``.
    """
    problems = []
    for rule, pattern in (
        ("snake_case", _SNAKE),
        ("missing value", _MISSING),
        ("Python repr", _REPR),
        ("count with decimals", _COUNT[lang]),
    ):
        for m in pattern.finditer(text):
            if rule == "count with decimals" and _MEAN_WORDS.search(
                text[max(0, m.start() - 25) : m.end() + 25]
            ):
                continue
            problems.append(f"{rule}: {m.group(0)!r} in {_context(text, m.start(), m.end())}")
    return problems


def _table_problems(tables: list[dict], lang: str) -> list[str]:
    """Counts shown with a decimal point in tables.

    A column whose header is the label of a count column (``custops.report.labels``) shows
    integers; a column of whole numbers never shows them as ``12.00`` (a column of ``0.000`` and
    ``1.000`` may be probabilities, ``20.0`` a measure with one decimal).
    """
    from custops.report.labels import column_label

    count_headers = {column_label(c, lang) for c in _COUNT_COLUMNS}
    problems = []
    for table in tables:
        headers = table["headers"]
        for j, header in enumerate(headers):
            column = [row[j] for row in table["rows"] if j < len(row) and len(row) == len(headers)]
            numeric = [c for c in column if re.fullmatch(rf"-?(?:{_NUMBER})(?:\.\d+)?", c)]
            decimal = [c for c in numeric if _DECIMAL.fullmatch(c)]
            if header in count_headers and decimal:
                problems.append(f"count with decimals: column {header!r} shows {decimal[:3]}")
            elif (
                len(numeric) >= 2
                and all(_WHOLE_WITH_ZEROS.fullmatch(c) for c in numeric)
                and any(abs(float(c.replace(",", ""))) >= 2 for c in numeric)  # not p = 1.000
            ):
                problems.append(
                    f"count with decimals: column {header!r} shows whole numbers as {numeric[:3]}"
                )
    return problems


#: Latin words a reader of the Chinese edition is expected to see, besides the company's name
#: (from the config): acronyms (all capitals: NPS, CLV, KPI, CNY, UTC), names of methods and of
#: the people they are named after (below; Kaplan–Meier, log-rank), and the authors of a
#: citation (a name before a year: "van Houwelingen 2007"). Single letters are statistical
#: symbols and units (p, n, z, k, M, h); words with digits are IDs (C00123, 2025Q4_winback).
ZH_METHOD_NAMES = frozenset(
    {"Cox", "Kaplan", "Meier", "log-rank", "Wald", "Wilson", "Holm", "DeLong", "Pearson"}
    | {"Spearman", "Welch", "Brier", "Kruskal", "Wallis", "Gamma", "Pareto", "lowess", "k-means"}
)
_WORD = re.compile(r"[A-Za-z0-9_]+(?:[-'’][A-Za-z0-9_]+)*")
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_CITATION = re.compile(
    r"(?:(?:van|de|von) )?[A-Z][A-Za-z'’-]+(?:(?:,| &| and) (?:(?:van|de|von) )?[A-Z][A-Za-z'’-]+)*"
    r"(?: et al\.)? (?:19|20)\d{2}"
)
_HAN = re.compile(r"[\u3400-\u9fff]")


def _latin_share(text: str, allowed: frozenset[str]) -> tuple[float, list[str]]:
    """Share of Latin-letter words among all words of ``text`` (Chinese words cut by jieba),
    leaving out ``allowed`` words, acronyms, citations, single letters and words with digits;
    and those words."""
    import jieba

    words = [w for w in _WORD.findall(text) if not any(ch.isdigit() for ch in w)]
    chinese = [w for w in jieba.lcut(text) if _HAN.search(w)]
    cited = {w for m in _CITATION.finditer(text) for w in _WORD.findall(m.group(0))}
    foreign = [
        w
        for w in words
        if len(w) > 1
        and w not in allowed
        and not set(w.split("-")) <= allowed  # Kaplan-Meier, Gamma-Gamma
        and w not in cited
        and not _ACRONYM.fullmatch(w)
    ]
    total = len(words) + len(chinese)
    return (len(foreign) / total if total else 0.0), foreign


def _report(problems: list[str], what: str) -> str:
    return f"{len(problems)} {what}:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", list(DEMO_EDITIONS))
def test_demo_landing_tiles_fit_one_screen(demo_editions, name):
    screen = demo_editions[name]["tiles"]
    assert screen["tiles"], "the landing page shows no KPI tile"
    below = [
        f"{t['label']!r}: bottom {t['bottom']:.0f} px, right {t['right']:.0f} px"
        for t in screen["tiles"]
        if t["bottom"] > screen["height"] or t["right"] > screen["width"] or t["top"] < 0
    ]
    assert below == [], _report(
        below, f"tiles outside the {screen['width']} x {screen['height']} screen"
    )


@pytest.mark.parametrize("name", list(DEMO_EDITIONS))
def test_demo_tables_and_figures_fit_their_column(demo_editions, name):
    problems = [
        f"{rel}: {line}"
        for rel, seen in demo_editions[name]["pages"].items()
        for line in seen["overflow"]
    ]
    assert problems == [], _report(problems, "tables or figures wider than their column")


@pytest.mark.parametrize("name", list(DEMO_EDITIONS))
def test_demo_visible_text_has_no_keys_reprs_or_decimal_counts(demo_editions, name):
    lang = DEMO_EDITIONS[name][0]
    problems = []
    for rel, seen in demo_editions[name]["pages"].items():
        problems += [f"{rel}: {line}" for line in _text_problems(seen["text"], lang)]
        problems += [f"{rel}: {line}" for line in _table_problems(seen["tables"], lang)]
    assert problems == [], _report(problems, "problems in the visible text")


def test_demo_chinese_edition_is_chinese(demo_editions, builds):
    from custops.core.config import load_config

    company = load_config(builds["demo"].parent / "data" / "custops.yaml").company
    allowed = ZH_METHOD_NAMES | set(_WORD.findall(company))
    problems = []
    for rel, seen in demo_editions["demo-zh"]["pages"].items():
        share, foreign = _latin_share(seen["own_text"], allowed)
        if share >= 0.02:
            common = ", ".join(f"{w} ×{n}" for w, n in Counter(foreign).most_common(15))
            problems.append(f"{rel}: {share:.1%} Latin words ({len(foreign)}): {common}")
    assert problems == [], _report(problems, "pages of the zh edition with 2% or more Latin words")


@pytest.mark.parametrize("name", list(DEMO_EDITIONS))
def test_demo_images_have_alt_text_and_caption(demo_editions, name):
    images = [
        (rel, image)
        for rel, seen in demo_editions[name]["pages"].items()
        for image in seen["images"]
    ]
    assert images, "the demo book shows no image"
    bad_alt = [
        f"{rel}: {image['src']} has alt {image['alt']!r}"
        for rel, image in images
        if not image["alt"].strip()
        or re.search(r"\.(png|jpe?g|svg|gif|webp)$", image["alt"].strip(), re.I)
        or image["alt"].strip() == Path(image["src"]).name
    ]
    assert bad_alt == [], _report(bad_alt, "images without a described alt text")
    uncaptioned = [f"{rel}: {image['alt'][:70]!r}" for rel, image in images if not image["caption"]]
    assert uncaptioned == [], _report(uncaptioned, "images without a caption")
