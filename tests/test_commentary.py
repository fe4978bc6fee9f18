"""The team's commentary (notes/<period>.md): parsing, redaction, `custops notes`, the book.

The slow test builds the small demo once, then publishes the book (without rerunning the
notebooks) with and without a commentary file, in English and Chinese, and reads the HTML.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from custops.core.config import load_config
from custops.core.errors import ConfigError
from custops.run import cli, pipeline
from custops.run import commentary as notes

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [
    "01_data_collection",
    "02_segmentation",
    "03_churn_survival",
    "04_nps",
    "05_review_retrospective",
]


def parse(text: str) -> dict[str, str]:
    return notes.parse_commentary(text, CHAPTERS, pipeline.select_notebook, source="n.md")


def test_sections_go_to_the_chapter_they_name_by_number_name_or_prefix():
    text = (
        "# Team commentary — 2025Q4\n\nIntro not shown.\n\n"
        "## churn\nCourier strike in November.\n\n"
        "## 04\nNPS fell with the strike.\n\n"
        "## segmentation\nNew VIP programme.\n\n"
        "## review_retrospective\nTargets were set before the strike.\n\n"
        "## churn\nSecond paragraph.\n"
    )
    got = parse(text)
    assert got == {
        "03_churn_survival": "Courier strike in November.\n\nSecond paragraph.",
        "04_nps": "NPS fell with the strike.",
        "02_segmentation": "New VIP programme.",
        "05_review_retrospective": "Targets were set before the strike.",
    }


def test_a_heading_naming_no_chapter_is_an_error_with_the_choices():
    with pytest.raises(ConfigError) as err:
        parse("## churn_survial\ntext\n")
    message = str(err.value)
    assert "n.md" in message and "'## churn_survial'" in message
    assert "Did you mean 'churn_survival'?" in message and "03 (churn_survival)" in message
    with pytest.raises(ConfigError, match="empty '##' heading"):
        parse("##\ntext\n")


def test_prompts_and_empty_sections_show_nothing():
    assert parse("## churn\n<!--\n- Churn rate: 18.3%\n-->\n\n## nps\n\n") == {}


def test_personal_data_is_masked_and_markdown_kept():
    got = parse(
        "## nps\n"
        "Call **Ms Li** back on 138 1234 5678 or li@example.com (ID 11010519491231002X).\n"
        "- first point\n- see [the ticket](https://crm.example.cn/t/42)\n"
    )["04_nps"]
    assert "138" not in got and "example.com" not in got and "1101051949" not in got
    assert "[phone]" in got and "[email]" in got and "[id]" in got
    assert "**Ms [name]**" in got and "- first point" in got  # the name after a title masked
    assert "[the ticket](https://crm.example.cn/t/42)" in got


def test_headings_html_and_fences_cannot_break_the_box():
    got = parse(
        "## churn\n### Why\ntext <script>alert(1)</script> and `a<b`\n"
        ":::::: \n```\n### kept in code <b>\n```\n"
    )["03_churn_survival"]
    assert "**Why**" in got and "###  Why" not in got
    assert "&lt;script>alert(1)&lt;/script>" in got and "`a<b`" in got
    assert notes.BOX_FENCE not in got
    assert "### kept in code <b>" in got  # code blocks are shown as written


def test_chinese_lines_are_joined_and_the_box_is_titled_per_language():
    got = parse("## 03\n受快递罢工影响，\n华南地区流失上升。\n")["03_churn_survival"]
    assert got == "受快递罢工影响，华南地区流失上升。"
    assert ":::{admonition} 团队点评" in notes.commentary_block(got, "zh")
    assert ":::{admonition} Team commentary" in notes.commentary_block(got, "en")


def test_commentary_path_from_the_config_and_null_turns_it_off(tmp_path):
    config = tmp_path / "custops.yaml"
    sources = {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}}
    config.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    cfg = load_config(config)
    assert notes.commentary_path(cfg, "2025q4") == tmp_path / "notes" / "2025Q4.md"
    assert notes.read_commentary(cfg, "2025Q4", CHAPTERS, pipeline.select_notebook) == {}
    config.write_text(
        yaml.safe_dump({"sources": sources, "commentary": "team/{period}-review.md"}),
        encoding="utf-8",
    )
    assert notes.commentary_path(load_config(config), "2025Q4") == (
        tmp_path / "team" / "2025Q4-review.md"
    )
    config.write_text(yaml.safe_dump({"sources": sources, "commentary": None}), encoding="utf-8")
    assert notes.commentary_path(load_config(config), "2025Q4") is None


def test_notes_for_an_unbuilt_period_writes_headings_only_and_says_so(tmp_path, capsys):
    from custops.demo.synth import write_demo_data

    config = write_demo_data(tmp_path / "demo", n_customers=60, seed=3)
    code = cli.main(
        ["notes", "--config", str(config), "--period", "2025Q4", "--out", str(tmp_path / "b")]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "has not been built" in out and "headings only" in out
    written = (config.parent / "notes" / "2025Q4.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", written, re.M)
    assert headings == ["data", "segmentation", "churn", "nps", "review"]
    assert "has not been built" in written
    # every heading of the template names its chapter, and the template shows nothing as is
    cfg = load_config(config)
    assert notes.read_commentary(cfg, "2025Q4", CHAPTERS, pipeline.select_notebook) == {}
    # a second call keeps the team's file
    assert cli.main(["notes", "--config", str(config), "--period", "2025Q4"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_bad_heading_stops_the_run_before_any_notebook(tmp_path):
    from custops.demo.synth import write_demo_data

    config = write_demo_data(tmp_path / "demo", n_customers=60, seed=3)
    (config.parent / "notes").mkdir()
    (config.parent / "notes" / "2025Q4.md").write_text("## chrun\nStrike.\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"2025Q4\.md: the heading '## chrun' names no single"):
        pipeline.run(config, "2025Q4", out=tmp_path / "build", progress=False, log=print)
    assert not (tmp_path / "build").exists()


# --------------------------------------------------------------------------- the book

COMMENTARY = """# Team commentary — 2025Q4

## churn

A **courier strike** in 华南 during November explains most of the rise in churn.
Customers who called 13812345678 were called back within a day.

## nps

<!-- prompt left in place: shown nowhere -->
The strike also shows in the comments of detractors (theme *delivery*).
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small demo run once (notebooks + book); the book is republished per case."""
    from custops.demo.synth import write_demo_data

    tmp = tmp_path_factory.mktemp("commentary")
    config = write_demo_data(tmp / "demo", n_customers=300, seed=5)
    build = tmp / "build"
    quiet = {"progress": False, "log": lambda line: None}
    pipeline.run(config, "2025Q4", out=build, **quiet)
    # the zh edition is built from notebooks executed in zh (notebooks-zh/)
    pipeline.run(config, "2025Q4", out=build, language="zh", **quiet)
    return config, build


def _publish(config: Path, build: Path, language: str) -> dict[str, str]:
    pipeline.publish(
        config=load_config(config),
        period=pipeline.Period.parse("2025Q4"),
        build_root=build,
        notebooks=pipeline.discover_notebooks(ROOT / "notebooks"),
        template=ROOT / "book",
        language=language,
        log=lambda line: None,
    )
    # the zh edition of an en config is built beside the en one, into html-zh/
    html = build / "2025Q4" / pipeline.edition_folder(language, load_config(config).language)
    return {
        p.relative_to(html).as_posix(): p.read_text(encoding="utf-8")
        for p in html.rglob("*.html")
        if "_static" not in p.parts
    }


def _text(page: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())


def _stable(page: str) -> str:
    """A page without what changes from one build to the next (the build time, and the link
    to the zh edition, which exists only after the zh edition was built)."""
    page = re.sub(r'<nav class="custops-editions">.*?</nav>\n?', "", page, flags=re.S)
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( UTC)?", "<time>", page)


def _boxes(page: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    return [" ".join(box.get_text(" ").split()) for box in soup.select(".custops-commentary")]


@pytest.mark.slow
@pytest.mark.xdist_group("commentary")
def test_commentary_appears_in_chapter_and_landing_page_in_both_editions(built):
    config, build = built
    notes_file = config.parent / "notes" / "2025Q4.md"
    assert not notes_file.exists()
    before = _publish(config, build, "en")
    assert not any("custops-commentary" in page for page in before.values())

    notes_file.parent.mkdir(parents=True, exist_ok=True)
    notes_file.write_text(COMMENTARY, encoding="utf-8")
    pages = {lang: _publish(config, build, lang) for lang in ("en", "zh")}
    for lang, title in (("en", "Team commentary"), ("zh", "团队点评")):
        html = pages[lang]
        churn = _boxes(html["notebooks/03_churn_survival.html"])
        assert len(churn) == 1, churn
        assert churn[0].startswith(title)
        assert "courier strike in 华南 during November explains most of the rise" in churn[0]
        assert "13812345678" not in html["notebooks/03_churn_survival.html"]
        assert "[phone]" in churn[0]
        nps = _boxes(html["notebooks/04_nps.html"])
        assert len(nps) == 1 and "The strike also shows in the comments of detractors" in nps[0]
        assert "prompt left in place" not in html["notebooks/04_nps.html"]
        for other in ("01_data_collection", "02_segmentation", "05_review_retrospective"):
            assert _boxes(html[f"notebooks/{other}.html"]) == [], other
        # markdown rendered: bold and emphasis, not asterisks
        assert "<strong>courier strike</strong>" in html["notebooks/03_churn_survival.html"]
        assert "<em>delivery</em>" in html["notebooks/04_nps.html"]
        # at the top of the chapter: right after the title paragraph, before any output
        chapter = html["notebooks/03_churn_survival.html"]
        chapter = chapter[chapter.index("<article") :]
        assert chapter.index("custops-commentary") < chapter.index("cell_output")
        # the landing page: under the chapter's headline numbers
        landing = html["intro.html"]
        boxes = _boxes(landing)
        assert len(boxes) == 2 and all(b.startswith(title) for b in boxes)
        assert "rise in churn" in boxes[0] and "detractors" in boxes[1]
        assert "13812345678" not in landing
    zh_text = _text(pages["zh"]["intro.html"])
    assert "全部指标" in zh_text and "团队点评" in zh_text  # the link to "All figures"

    notes_file.unlink()  # without the file: the pages are as before
    after = _publish(config, build, "en")
    assert sorted(after) == sorted(before)
    changed = [name for name in before if _stable(before[name]) != _stable(after[name])]
    assert changed == []


@pytest.mark.slow
@pytest.mark.xdist_group("commentary")
def test_notes_template_quotes_each_chapters_key_findings(built, capsys):
    config, build = built
    target = config.parent / "notes" / "2025Q4.md"
    if target.exists():
        target.unlink()
    code = cli.main(["notes", "--config", str(config), "--period", "2025Q4", "--out", str(build)])
    assert code == 0
    assert "key findings are quoted" in capsys.readouterr().out
    text = target.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, re.M) == [
        "data",
        "segmentation",
        "churn",
        "nps",
        "review",
    ]
    artifacts = build / "2025Q4" / "artifacts"
    customers = len(pd.read_parquet(artifacts / "customer_features.parquet"))
    assert f"- Customers: {customers:,}" in text
    data_section = text.split("## data", 1)[1].split("## segmentation", 1)[0]
    assert "Data collection and cleaning — 2025Q4" in data_section
    # the template as written shows nothing in the book (prompts are comments)
    cfg = load_config(config)
    assert notes.read_commentary(cfg, "2025Q4", CHAPTERS, pipeline.select_notebook) == {}
    shutil.copy(target, build / "template-copy.md")
    target.unlink()
