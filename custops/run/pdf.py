"""Print a built period's landing page and chapters into one PDF for circulation.

``custops pdf`` opens the published book (``build/<P>/html`` or ``html-<lang>``) from its
local files in the headless Chromium the browser check uses (Debian's ``/usr/bin/chromium``,
driven by Playwright; nothing is downloaded), puts the landing page and the chapters, in the
book's order, one after the other into the landing page, and prints that page: A4,
backgrounds printed, print media, code and navigation hidden, each chapter on a new page,
with a bookmark per heading and page numbers in the footer. Every request outside
``file://`` and 127.0.0.1 is refused: the PDF is made offline, like the report is read.

Examples
--------
>>> result = print_pdf("build", "2025Q4")  # doctest: +SKIP
>>> result.path.name, result.pdf_pages  # doctest: +SKIP
('custops-2025Q4-en.pdf', 14)
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from custops.core.config import Period
from custops.core.errors import CustopsError, PipelineError

__all__ = [
    "CHROMIUM",
    "BookPage",
    "BrowserMissing",
    "PdfResult",
    "book_pages",
    "count_pdf_pages",
    "edition_dir",
    "find_chromium",
    "print_pdf",
]

#: the Chromium ``custops pdf`` and the browser check launch (``make browser-deps`` installs it)
CHROMIUM = Path("/usr/bin/chromium")
#: the same switches as the browser check (tests/test_book_browser.py)
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking")
#: the folder of a period's executed chapters inside an edition's HTML
CHAPTER_FOLDER = "notebooks/"
INSTALL_FIX = (
    "Install Debian's Chromium: `make browser-deps` (as root; it runs "
    "`apt-get install -y chromium chromium-driver fonts-wqy-microhei`), or pass "
    "--chromium PATH to a Chromium or Chrome already installed. custops never downloads a "
    "browser."
)

#: hidden in the PDF: site navigation, buttons, the code of cells, heading permalinks
PRINT_CSS = """
@media print {
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-sidebar,
  .prev-next-area, .prev-next-footer, .bd-footer-article, .bd-search, .search-button,
  .theme-switch-button, #pst-back-to-top, .skip-link, .headerlink, .custops-editions,
  .cell_input, .toggle-details__summary, button.toggle-button,
  #jb-print-docs-body { display: none !important; }
  /* the theme prints one page: a title block instead of the article's first heading; here
     every page keeps its own heading (a bookmark each) */
  .bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
  #custops-pdf-0 h1:first-of-type { font-size: 2.4em; margin-top: 0; }
  a:not([href]) { color: inherit !important; text-decoration: none !important; }
  html, body { background: #fff; }
  .bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content,
  .bd-article-container { display: block !important; max-width: none !important;
    width: auto !important; margin: 0 !important; padding: 0 !important; }
  .custops-pdf-page { break-before: page; }
  h1, h2, h3, h4 { break-after: avoid; }
  img, figure, svg, tr { break-inside: avoid; }
  img { max-width: 100% !important; height: auto; }
}
"""

FOOTER = (
    '<div style="width:100%;font-size:7.5pt;color:#555;padding:0 12mm;'
    'display:flex;justify-content:space-between;font-family:sans-serif">'
    '<span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)

Log = Callable[[str], None]


class BrowserMissing(CustopsError):
    """Chromium or Playwright is not there to print with (exit status 2)."""


@dataclass(frozen=True)
class BookPage:
    """One page of the built book that goes into the PDF.

    Attributes
    ----------
    path : Path
        The HTML file.
    title : str
        Its ``<title>``.
    """

    path: Path
    title: str


@dataclass
class PdfResult:
    """What ``print_pdf`` wrote.

    Attributes
    ----------
    path : Path
        The PDF.
    language : str
        The edition printed.
    pages : list of BookPage
        The book pages printed: the landing page first, then the chapters.
    pdf_pages : int
        Pages of the PDF.
    size : int
        Bytes of the PDF.
    refused : list of str
        Requests outside ``file://`` and 127.0.0.1 that were refused (the book should make none).
    broken_images : list of str
        Images that did not load.
    """

    path: Path
    language: str
    pages: list[BookPage]
    pdf_pages: int
    size: int
    refused: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the browser


def find_chromium(path: str | Path | None = None) -> Path:
    """The Chromium to print with, checked: the file exists and Playwright can drive it.

    Parameters
    ----------
    path : str or Path, optional
        A Chromium or Chrome binary (default ``CHROMIUM``, ``/usr/bin/chromium``).

    Returns
    -------
    Path

    Raises
    ------
    BrowserMissing
        The binary is missing or not executable, or the ``playwright`` package is not
        installed; the message says what to install.

    Examples
    --------
    >>> find_chromium("/nonexistent/chromium")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custops.run.pdf.BrowserMissing: Chromium is missing: /nonexistent/chromium does not exist...
    """
    binary = Path(path).expanduser() if path is not None else CHROMIUM
    if not binary.is_file():
        raise BrowserMissing(
            f"Chromium is missing: {binary} does not exist. `custops pdf` prints the report "
            "with the headless Chromium the browser check uses.",
            fix=INSTALL_FIX,
        )
    if not os.access(binary, os.X_OK):
        raise BrowserMissing(
            f"Chromium at {binary} is not executable.",
            fix=f"Reinstall it (`make browser-deps`) or make it executable (chmod +x {binary}).",
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BrowserMissing(
            "The Python package playwright is missing from this environment: it drives "
            "Chromium for `custops pdf`.",
            fix="Install the development tools: `make setup` (or `.venv/bin/pip install -c "
            "requirements/constraints.txt playwright`). No `playwright install` is needed: "
            f"it uses {binary}.",
        ) from None
    return binary


# --------------------------------------------------------------------------- the built book


class _Head(HTMLParser):
    """The ``<title>``, ``<link rel="next">`` and a ``<meta http-equiv="refresh">`` target."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.next: str | None = None
        self.refresh: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "link" and "next" in values.get("rel", "").lower().split():
            self.next = self.next or values.get("href")
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = re.search(r"url\s*=\s*['\"]?([^'\";]+)", values.get("content", ""), re.I)
            self.refresh = match.group(1).strip() if match else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    parser.title = " ".join(parser.title.split())
    return parser


def _local(html_dir: Path, page: Path, href: str | None) -> Path | None:
    """The file a relative link of ``page`` points to, when it is a page of the book."""
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if not target.is_file() or not target.is_relative_to(html_dir):
        return None
    return target


def book_pages(html_dir: str | Path) -> list[BookPage]:
    """The landing page and the chapters of a built edition, in the book's order.

    The order is the book's own: from the landing page (where ``index.html`` redirects) the
    pages' ``<link rel="next">`` are followed through the whole book, and the chapters
    (``notebooks/*.html``) are kept in the order met. A book without those links gives its
    chapters in file order.

    Parameters
    ----------
    html_dir : str or Path
        ``build/<P>/html`` (or ``html-<lang>``).

    Returns
    -------
    list of BookPage
        The landing page first.

    Examples
    --------
    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> (site / "notebooks").mkdir()
    >>> page = '<title>{}</title><link rel="next" href="{}">'
    >>> _ = (site / "index.html").write_text('<meta http-equiv="refresh" content="0; url=intro.html">')
    >>> _ = (site / "intro.html").write_text(page.format("Review", "notebooks/02_b.html"))
    >>> _ = (site / "notebooks" / "02_b.html").write_text(page.format("B", "01_a.html"))
    >>> _ = (site / "notebooks" / "01_a.html").write_text(page.format("A", "../methods.html"))
    >>> _ = (site / "methods.html").write_text("<title>Methods</title>")
    >>> [(p.path.name, p.title) for p in book_pages(site)]
    [('intro.html', 'Review'), ('02_b.html', 'B'), ('01_a.html', 'A')]
    """
    html_dir = Path(html_dir).resolve()
    index = html_dir / "index.html"
    landing = _local(html_dir, index, _head(index).refresh) if index.is_file() else None
    landing = landing or next((p for p in (html_dir / "intro.html", index) if p.is_file()), None)
    if landing is None:
        return []
    pages = [BookPage(landing, _head(landing).title)]
    seen, current = {landing}, landing
    while True:
        following = _local(html_dir, current, _head(current).next)
        if following is None or following in seen:
            break
        seen.add(following)
        if following.relative_to(html_dir).as_posix().startswith(CHAPTER_FOLDER):
            pages.append(BookPage(following, _head(following).title))
        current = following
    if len(pages) == 1:  # no rel="next" links: the chapters in file order
        pages += [
            BookPage(p, _head(p).title) for p in sorted((html_dir / CHAPTER_FOLDER).glob("*.html"))
        ]
    return pages


def _built_config(period_folder: Path) -> str | None:
    """The config of the period's last run, else of the latest run of another period there."""
    others = sorted(
        period_folder.parent.glob("*/run.json"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for manifest in [period_folder / "run.json", *others]:
        try:
            return str(json.loads(manifest.read_text(encoding="utf-8"))["config"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def _edition_language(html_dir: Path) -> str | None:
    from custops.run.pipeline import EDITION_FILE

    try:
        return json.loads((html_dir / EDITION_FILE).read_text(encoding="utf-8"))["language"]
    except (OSError, ValueError, KeyError, TypeError):
        match = re.search(
            r"<html[^>]*\blang=\"([a-z]{2})",
            (html_dir / "intro.html").read_text(encoding="utf-8", errors="replace")
            if (html_dir / "intro.html").is_file()
            else "",
        )
        return match.group(1) if match else None


def edition_dir(
    build_root: str | Path, period: str | Period, language: str | None = None
) -> tuple[Path, str]:
    """The HTML folder of a built edition and its language.

    Parameters
    ----------
    build_root : str or Path
        The build root (``build``).
    period : str or Period
    language : {"en", "zh"}, optional
        The edition; default the config's (``build/<P>/html``).

    Returns
    -------
    (Path, str)
        ``build/<P>/html`` or ``build/<P>/html-<lang>``, and the edition's language.

    Raises
    ------
    CustopsError
        That edition of the period has not been built: names the folder and the command.

    Examples
    --------
    >>> edition_dir("/tmp/no-build-here", "2025Q4")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    custops.core.errors.CustopsError: 2025Q4 has not been built in /tmp/no-build-here: .../html/intro.html is missing.
      fix: Build it first: custops run --config YOUR.yaml --period 2025Q4 --out /tmp/no-build-here
    """
    from custops.report.text import LANGUAGES
    from custops.run.pipeline import edition_folder

    root = Path(build_root).expanduser().resolve()
    label = Period.parse(period).label
    pdir = root / label
    config = _built_config(pdir) or "YOUR.yaml"
    command = f"custops run --config {config} --period {label} --out {root}"
    primary_dir = pdir / "html"
    if not _has_landing(primary_dir):
        # only another language's edition built (`custops run --language zh` of an en config)
        others = {lang: pdir / f"html-{lang}" for lang in LANGUAGES}
        if language is not None and _has_landing(others[language]):
            return others[language], language
        built = [
            f"{lang} (pass --language {lang})" for lang, f in others.items() if _has_landing(f)
        ]
        raise CustopsError(
            f"{label} has not been built in {root}: {primary_dir / 'intro.html'} is missing"
            + (f"; only the edition(s) {', '.join(built)} are there." if built else "."),
            fix=f"Build it first: {command}" + (f" --language {language}" if language else ""),
        )
    primary = _edition_language(primary_dir) or "en"
    if language is None or language == primary:
        return primary_dir, primary
    folder = pdir / edition_folder(language, primary)
    if not _has_landing(folder):
        raise CustopsError(
            f"The {language} edition of {label} has not been built in {root}: "
            f"{folder / 'intro.html'} is missing (the {primary} edition is in {primary_dir}).",
            fix=f"Build it first: {command} --language {language}",
        )
    return folder, language


def _has_landing(folder: Path) -> bool:
    return (folder / "intro.html").is_file() or (folder / "index.html").is_file()


# --------------------------------------------------------------------------- printing

# in each chapter page: its article with every link and image made absolute, and its styles
_CHAPTER_JS = """
() => {
  const article = document.querySelector('article.bd-article')
    || document.querySelector('[role="main"]') || document.body;
  const clone = article.cloneNode(true);
  const base = document.baseURI;
  for (const el of clone.querySelectorAll('[src]')) {
    el.setAttribute('src', new URL(el.getAttribute('src'), base).href);
  }
  for (const el of clone.querySelectorAll('[href]')) {
    const href = el.getAttribute('href');
    if (!href.startsWith('#')) el.setAttribute('href', new URL(href, base).href);
  }
  for (const el of clone.querySelectorAll('[srcset]')) {
    el.setAttribute('srcset', el.getAttribute('srcset').split(',').map(part => {
      const [url, ...size] = part.trim().split(/\\s+/);
      return [new URL(url, base).href, ...size].join(' ');
    }).join(', '));
  }
  return {
    html: clone.innerHTML,
    sheets: Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map(l => l.href),
    styles: Array.from(document.querySelectorAll('head style')).map(s => s.textContent),
  };
}
"""

# on the landing page: append the chapters, link the printed pages inside the PDF, load images
_ASSEMBLE_JS = """
async ({chapters, anchors, css}) => {
  const landing = document.querySelector('article.bd-article')
    || document.querySelector('[role="main"]') || document.body;
  landing.id = 'custops-pdf-0';
  const heading = landing.querySelector('h1');
  if (heading) {  // the PDF's title (and its footer's): the landing page's heading
    const text = heading.cloneNode(true);
    text.querySelectorAll('.headerlink').forEach(a => a.remove());
    document.title = text.textContent.trim() || document.title;
  }
  const sheets = new Set(Array.from(document.querySelectorAll('link[rel="stylesheet"]'))
    .map(l => l.href));
  const styles = new Set(Array.from(document.querySelectorAll('head style'))
    .map(s => s.textContent));
  let last = landing;
  chapters.forEach((chapter, i) => {
    for (const href of chapter.sheets) {
      if (sheets.has(href)) continue;
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      document.head.appendChild(link);
      sheets.add(href);
    }
    for (const text of chapter.styles) {
      if (styles.has(text)) continue;
      const style = document.createElement('style');
      style.textContent = text;
      document.head.appendChild(style);
      styles.add(text);
    }
    const page = document.createElement(landing.tagName);
    page.className = landing.className + ' custops-pdf-page';
    page.id = 'custops-pdf-' + (i + 1);
    page.innerHTML = chapter.html;
    last.after(page);
    last = page;
  });
  anchors[location.href.split('#')[0]] = landing.id;
  for (const a of document.querySelectorAll('a[href]')) {
    const [url, hash] = a.href.split('#');
    if (url in anchors) a.setAttribute('href', '#' + (hash || anchors[url]));
    else if (a.protocol === 'file:') a.removeAttribute('href');  // a page not in the PDF
  }
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
  for (const img of document.images) img.loading = 'eager';
  await Promise.all(Array.from(document.images).map(img => img.complete ? null
    : new Promise(done => { img.onload = img.onerror = done; })));
  await document.fonts.ready;
  return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))
    .map(i => i.src);
}
"""


def count_pdf_pages(data: bytes) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects.

    Examples
    --------
    >>> count_pdf_pages(b"<< /Type /Pages /Count 2 >> << /Type /Page >> <</Type/Page/Parent 1 0 R>>")
    2
    """
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def _default_pdf(pdir: Path, label: str, language: str) -> Path:
    return pdir / f"custops-{label}-{language}.pdf"


def print_pdf(
    build_root: str | Path,
    period: str | Period,
    *,
    language: str | None = None,
    pdf: str | Path | None = None,
    chromium: str | Path | None = None,
    log: Log | None = None,
) -> PdfResult:
    """Print the landing page and the chapters of a built period into one PDF.

    Parameters
    ----------
    build_root : str or Path
        The build root the period was built into (``build``).
    period : str or Period
    language : {"en", "zh"}, optional
        The edition (default: the config's, ``build/<P>/html``).
    pdf : str or Path, optional
        Where to write (default ``build/<P>/custops-<P>-<lang>.pdf``); replaced whole.
    chromium : str or Path, optional
        The browser binary (default ``/usr/bin/chromium``).
    log : callable, optional
        Receives progress lines.

    Returns
    -------
    PdfResult

    Raises
    ------
    BrowserMissing
        No Chromium or no Playwright (exit status 2 in the CLI).
    CustopsError
        The edition has not been built.
    PipelineError
        Chromium failed to open or print the book.

    Examples
    --------
    >>> result = print_pdf("build", "2025Q4", language="zh")  # doctest: +SKIP
    >>> result.path.name  # doctest: +SKIP
    'custops-2025Q4-zh.pdf'
    """
    say = log or (lambda line: None)
    binary = find_chromium(chromium)
    label = Period.parse(period).label
    html_dir, lang = edition_dir(build_root, label, language)
    pages = book_pages(html_dir)
    if not pages:
        raise CustopsError(f"{html_dir} holds no landing page (intro.html or index.html).")
    target = (
        Path(pdf).expanduser().absolute()
        if pdf is not None
        else _default_pdf(html_dir.parent, label, lang)
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    say(f"printing {html_dir} ({lang}): the landing page and {len(pages) - 1} chapter(s)")

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    refused: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            if url not in refused:
                refused.append(url)
            route.abort()

    try:
        with sync_playwright() as p:
            try:
                browser = p.chromium.launch(
                    executable_path=str(binary), args=list(CHROMIUM_ARGS), headless=True
                )
            except PlaywrightError as exc:
                raise BrowserMissing(
                    f"Chromium at {binary} did not start: {_first_line(exc)}",
                    fix="Reinstall it: `make browser-deps` (as root).",
                ) from None
            try:
                context = browser.new_context(viewport={"width": 1100, "height": 1400})
                context.route("**/*", guard)
                page = context.new_page()
                chapters = []
                for item in pages[1:]:
                    page.goto(item.path.as_uri(), wait_until="load")
                    chapters.append(page.evaluate(_CHAPTER_JS))
                anchors = {item.path.as_uri(): f"custops-pdf-{i}" for i, item in enumerate(pages)}
                page.goto(pages[0].path.as_uri(), wait_until="load")
                broken = page.evaluate(
                    _ASSEMBLE_JS, {"chapters": chapters, "anchors": anchors, "css": PRINT_CSS}
                )
                page.emulate_media(media="print")
                page.pdf(
                    path=str(partial),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template="<div></div>",
                    footer_template=FOOTER,
                    margin={"top": "12mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                    outline=True,
                    tagged=True,
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        partial.unlink(missing_ok=True)
        raise PipelineError(
            f"Chromium could not print {html_dir}: {_first_line(exc)}",
            fix="Check that the book opens in a browser; rebuild it with `custops book "
            f"--period {label}` if a page is damaged.",
        ) from None
    os.replace(partial, target)
    data = target.read_bytes()
    if refused:
        say(f"refused {len(refused)} request(s) outside the local files, e.g. {refused[0]}")
    if broken:
        say(f"{len(broken)} image(s) did not load, e.g. {broken[0]}")
    return PdfResult(
        path=target,
        language=lang,
        pages=pages,
        pdf_pages=count_pdf_pages(data),
        size=len(data),
        refused=refused,
        broken_images=list(broken),
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
