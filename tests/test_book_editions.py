"""The stakeholder book of the small demo, built in both languages (issue #22).

One module fixture runs the demo company for 2025Q4 twice: the config's language (en) into
``build/2025Q4/html`` and ``--language zh`` into ``build/2025Q4/html-zh``. The checks read the
built HTML with BeautifulSoup; the numbers on the tiles are compared with the glued values of
the executed notebooks, parsed back from the text a reader sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from custops.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2025Q4"
#: raw keys of the demo's channels that must never reach a reader of the zh edition
RAW_KEYS = ("wechat", "app_push", "search_ads", "offline_store", "online_chat", "referral")


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    from custops.demo.synth import write_demo_data

    tmp = tmp_path_factory.mktemp("editions")
    config = write_demo_data(tmp / "demo", n_customers=300, seed=11)
    build = tmp / "build"
    quiet = {"progress": False, "log": lambda line: None}
    en = pipeline.run(config, PERIOD, out=build, **quiet)
    zh = pipeline.run(config, PERIOD, out=build, language="zh", **quiet)
    return build / PERIOD, en, zh


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.html")
        if "_static" not in p.parts
        and p.name not in ("genindex.html", "search.html")
        and p.name != "index.html"  # the redirect to intro.html
    )


def _visible_text(soup, *, drop_tables: bool = False) -> str:
    article = soup.select_one("article") or soup
    hidden_tags = "script, style, pre, code, .highlight" + (", table" if drop_tables else "")
    for hidden in article.select(hidden_tags):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


def _shown_number(text: str) -> float:
    """The number a reader sees: ``CNY 405.66k`` -> 405660, ``18.6%`` -> 0.186, ``1,234`` -> 1234."""
    match = re.search(r"(-?[\d,]+(?:\.\d+)?)\s*([kMB%])?", text.replace("−", "-"))
    assert match, text
    number = float(match.group(1).replace(",", ""))
    scale = {"k": 1e3, "M": 1e6, "B": 1e9, "%": 0.01}.get(match.group(2) or "", 1.0)
    return number * scale


@pytest.mark.slow
def test_both_editions_exist_and_every_page_links_to_the_other(editions):
    pdir, en, zh = editions
    assert en.index_html == pdir / "html" / "index.html" and en.index_html.is_file()
    assert zh.index_html == pdir / "html-zh" / "index.html" and zh.index_html.is_file()
    assert (pdir / "notebooks-zh" / "04_nps.ipynb").is_file()
    for folder, other, lang_attr in (("html", "html-zh", "zh"), ("html-zh", "html", "en")):
        pages = _pages(pdir / folder)
        assert len(pages) >= 8, pages
        for page in pages:
            links = _soup(page).select("nav.custops-editions a")
            assert len(links) == 1, page
            assert links[0]["hreflang"] == lang_attr
            target = (page.parent / links[0]["href"]).resolve()
            assert target.is_file(), (page, links[0]["href"])
            assert target.relative_to(pdir).parts[0] == other
            assert target.relative_to(pdir / other) == page.relative_to(pdir / folder)
    # the notebooks really ran in each language: chapter 04's own prose differs
    en_text = _visible_text(_soup(pdir / "html" / "notebooks" / "04_nps.html"))
    zh_text = _visible_text(_soup(pdir / "html-zh" / "notebooks" / "04_nps.html"))
    assert "推荐者" in zh_text and "推荐者" not in en_text
    latin = re.findall(r"[A-Za-z]{4,}", zh_text)
    assert len(latin) < 0.2 * len(zh_text.split()), latin[:40]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("folder", "notebooks"), [("html", "notebooks"), ("html-zh", "notebooks-zh")]
)
def test_landing_tiles_quote_the_glued_values_and_findings_link_to_sections(
    editions, folder, notebooks
):
    pdir, _, _ = editions
    soup = _soup(pdir / folder / "intro.html")
    tiles = soup.select("a.custops-tile")
    assert 5 <= len(tiles) <= 7, [t.get_text(" ") for t in tiles]
    glued = {}
    for tile in tiles:
        stem, key = tile["data-glue"].split("::")
        if stem not in glued:
            nb = nbformat.read(pdir / notebooks / f"{stem}.ipynb", as_version=4)
            glued[stem] = pipeline.glued_scalars(nb)
        value = float(glued[stem][key])
        assert float(tile["data-value"]) == value
        shown = _shown_number(tile.select_one(".custops-tile-value").get_text())
        tolerance = max(abs(value) * 0.006, 0.051 if abs(value) < 1000 else 0.0)
        if "%" in tile.select_one(".custops-tile-value").get_text():
            tolerance = 0.0006
        assert abs(shown - value) <= tolerance, (key, shown, value)
        # every tile links to a section that exists
        page, anchor = tile["href"].split("#")
        assert _soup(pdir / folder / page).find(id=anchor) is not None, tile["href"]
    statuses = {c for t in tiles for c in t["class"] if c.startswith("custops-tile-")}
    assert statuses & {"custops-tile-red", "custops-tile-amber", "custops-tile-green"}
    # counts are integers on the tiles
    active = next(t for t in tiles if t["data-glue"].endswith("::review_active_customers"))
    assert re.fullmatch(r"[\d,]+", active.select_one(".custops-tile-value").get_text().strip())

    findings = soup.select(".custops-findings li")
    assert 3 <= len(findings) <= 5, [f.get_text(" ") for f in findings]
    for item in findings:
        links = item.select("a[href]")
        assert links, item
        page, _, anchor = links[-1]["href"].partition("#")
        assert anchor, links[-1]["href"]
        assert _soup(pdir / folder / page).find(id=anchor) is not None, links[-1]["href"]
    # the per-chapter numbers live on their own page
    figures = _visible_text(_soup(pdir / folder / "all_figures.html"))
    assert re.search(r"CNY \d+(\.\d+)?[kM]", figures)
    label = "Expected churners (90 days)" if folder == "html" else "未来 90 天预计流失人数"
    churners = re.search(re.escape(label) + r"\s+([\d,.]+)", figures)
    assert churners and re.fullmatch(r"[\d,]+", churners.group(1)), figures[:400]


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["html", "html-zh"])
def test_no_code_toggles_and_zh_shows_labels_not_keys(editions, folder):
    pdir, _, _ = editions
    for page in _pages(pdir / folder):
        raw = page.read_text(encoding="utf-8")
        assert "tag_hide-input" not in raw and "Show code" not in raw and "显示代码" not in raw, (
            page
        )
        soup = _soup(page)
        # every chart is described in words (its title and axes), never by its file name
        for img in soup.select("article img"):
            alt = img.get("alt", "")
            assert alt and not re.search(r"\.(png|svg|jpe?g)$", alt), (page.name, alt)
            assert alt.startswith("图表：" if folder == "html-zh" else "Chart: "), (page.name, alt)
        text = _visible_text(soup)
        if folder == "html-zh":
            stars = re.findall(r"(?<![\w*])\*{1,2}[^\s*][^*]{0,40}?\*{1,2}", text)
            assert stars == [], (page.name, stars[:5])
            keys = [k for k in RAW_KEYS if re.search(rf"(?<![\w./`-]){k}(?![\w./`-])", text)]
            assert keys == [], (page.name, keys)
            # Chinese prose takes full-width punctuation: no ',;:()' touching a Chinese
            # character in the visible text outside tables (generated sentences included)
            prose = _visible_text(_soup(page), drop_tables=True)
            half = re.findall(r"[\u4e00-\u9fff][,;:()]|[,;()][\u4e00-\u9fff]", prose)
            assert half == [], (
                page.name,
                [prose[max(0, prose.find(h) - 20) :][:40] for h in half[:5]],
            )
    describe = _visible_text(_soup(pdir / folder / "notebooks" / "01_data_collection.html"))
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{3,}", describe)  # no nanosecond timestamps


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["html", "html-zh"])
def test_every_chart_has_a_numbered_caption_with_a_takeaway(editions, folder):
    """Issue #22: every chart of a chapter sits in a <figure> whose <figcaption> reads
    "Figure 3.2 — <takeaway>" ("图 3.2 — …"), numbered 1, 2, ... per chapter in page order;
    the takeaway is a sentence in the edition's language quoting the chart's data."""
    from custops.report.text import t

    pdir, _, _ = editions
    lang = "zh" if folder == "html-zh" else "en"
    word = "图" if lang == "zh" else "Figure"
    too_thin = {t("figure.no_data", lang), t("figure.too_small", lang)}
    total = 0
    for page in sorted((pdir / folder / "notebooks").glob("*.html")):
        chapter = int(page.stem[:2])
        numbers = []
        for img in _soup(page).select("article img"):
            figure = img.find_parent("figure")
            assert figure is not None, (page.name, img.get("alt"))
            caption = figure.find("figcaption")
            assert caption is not None, (page.name, img.get("alt"))
            text = " ".join((caption.select_one(".caption-text") or caption).get_text(" ").split())
            match = re.fullmatch(rf"{word} (\d+)\.(\d+) — (.+)", text)
            assert match, (page.name, text)
            assert int(match.group(1)) == chapter, (page.name, text)
            numbers.append(int(match.group(2)))
            takeaway = match.group(3)
            # a sentence computed from the data (it quotes a number), or one of the sentences
            # saying there were too few data
            assert takeaway in too_thin or re.search(r"\d", takeaway), (page.name, text)
            assert takeaway.endswith("。" if lang == "zh" else "."), (page.name, text)
            if lang == "zh":
                assert re.search(r"[\u4e00-\u9fff]", takeaway), (page.name, text)
                half = re.findall(r"[\u4e00-\u9fff][,;:()]|[,;:()][\u4e00-\u9fff]", takeaway)
                assert half == [], (page.name, text)
            assert "*" not in takeaway and "\\" not in takeaway, (page.name, text)
            # the alt text stays the chart described in words, not the caption or a file name
            assert img["alt"].startswith("图表：" if lang == "zh" else "Chart: "), img["alt"]
        assert numbers == list(range(1, len(numbers) + 1)), (page.name, numbers)
        total += len(numbers)
    assert total >= 20, total
