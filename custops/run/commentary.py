"""The team's own commentary: a markdown file per period, shown in the book.

Every chapter is generated; what the analysts know (a courier strike, a price change) goes in
``notes/<period>.md`` (the ``commentary`` key of the config, relative to the config file)::

    # Team commentary — 2025Q4

    ## churn
    Churn rose because the courier partner in 华南 failed in November; see ticket theme "delivery".

    ## nps
    ...

Each ``## <chapter>`` section (a chapter named by number or name, as ``custops run --only``
takes it) appears, marked as the team's commentary, at the top of that chapter and under the
chapter's headline numbers on the landing page. A missing file shows nothing; a section holding
only HTML comments (the prompts of the template ``custops notes`` writes) shows nothing.

The text is the team's markdown, rendered as markdown, but it passes the same personal-data
redactor as every other free text (:func:`custops.ingest.redact.redact`), raw HTML tags are
shown as text, and headings inside a section become bold lines (a heading inside the
commentary box would break the chapter's outline).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from custops.core.config import Period, ReportConfig
from custops.core.errors import ConfigError
from custops.ingest.redact import redact
from custops.report.text import t

__all__ = [
    "chapter_key",
    "commentary_block",
    "commentary_path",
    "notes_template",
    "parse_commentary",
    "read_commentary",
]

_SECTION = re.compile(r"^##(?!#)[ \t]*(.*?)[ \t#]*$", re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.M)
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
#: the fence of the commentary box: longer than any fence a team would write inside it
BOX_FENCE = "::::::"


def commentary_path(config: ReportConfig, period: str | Period) -> Path | None:
    """The commentary file of a period (``commentary`` in the config, ``{period}`` filled in).

    Parameters
    ----------
    config : ReportConfig
    period : str or Period

    Returns
    -------
    Path or None
        Absolute (relative paths start from the config's folder); ``None`` when the config
        turns commentary off (``commentary: null``). The file need not exist.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate(
    ...     {"sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}}})
    >>> cfg.base_dir = Path("/data/acme")
    >>> commentary_path(cfg, "2025-q4").as_posix()
    '/data/acme/notes/2025Q4.md'
    """
    if not config.commentary:
        return None
    label = Period.parse(period).label
    return config.resolve(config.commentary.replace("{period}", label))


def chapter_key(notebook: str | Path, notebooks: Sequence[str | Path]) -> str:
    """The short heading that names a chapter in the commentary file: its first word.

    The first word of the name after the number (``03_churn_survival`` -> ``churn``) when no
    other chapter starts with it, else the whole name.

    Examples
    --------
    >>> nbs = ["01_data_collection", "02_segmentation", "03_churn_survival"]
    >>> [chapter_key(nb, nbs) for nb in nbs]
    ['data', 'segmentation', 'churn']
    >>> chapter_key("03_churn_survival", [*nbs, "06_churn_drivers"])
    'churn_survival'
    """
    stem = Path(notebook).name.removesuffix(".ipynb")
    name = stem.split("_", 1)[1] if "_" in stem else stem
    word = name.split("_", 1)[0]
    others = [Path(nb).name.removesuffix(".ipynb") for nb in notebooks]
    others = [o.split("_", 1)[1] if "_" in o else o for o in others if o != stem]
    return name if any(o.startswith(word) for o in others) else word


def _clean(body: str) -> str:
    """A section's markdown made safe for the commentary box (see the module docstring)."""
    text = _COMMENT.sub("", body)
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        opened = _FENCE.match(line)
        if fence is not None:  # inside a code block: shown verbatim
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        line = line.replace(BOX_FENCE, ":::::")  # cannot close the box
        heading = _HEADING.match(line)
        if heading:
            line = f"**{heading.group(1)}**"
        parts = line.split("`")  # inline code (odd parts) keeps its "<"
        line = "`".join(p if i % 2 else _TAG.sub("&lt;", p) for i, p in enumerate(parts))
        out.append(line)
    cleaned = "\n".join(out).strip()
    cleaned = re.sub(rf"(?<={_CJK})\n(?={_CJK})", "", cleaned)
    return redact(cleaned) or ""


def parse_commentary(
    text: str,
    notebooks: Sequence[str | Path],
    select: Callable[[Sequence[Path], str], Path],
    *,
    source: str = "the commentary file",
) -> dict[str, str]:
    """The commentary of each chapter: ``## <chapter>`` sections matched to notebook stems.

    Parameters
    ----------
    text : str
        The markdown file's content.
    notebooks : sequence of str or Path
        The chapters (notebook paths or stems), in book order.
    select : callable
        Picks the notebook a heading names, raising ``ConfigError`` when none or several
        match: :func:`custops.run.pipeline.select_notebook` (the ``--only`` rules).
    source : str
        Named in errors.

    Returns
    -------
    dict
        notebook stem -> cleaned, redacted markdown; chapters without text are left out.
        Text before the first ``##`` heading (a title, instructions) is not shown.

    Raises
    ------
    ConfigError
        When a heading names no chapter or several (with the choices).

    Examples
    --------
    >>> from custops.run.pipeline import select_notebook
    >>> nbs = ["01_data_collection", "03_churn_survival"]
    >>> text = "# Notes\\n## churn\\nCall 13812345678.\\n## data\\n<!-- prompt -->"
    >>> parse_commentary(text, nbs, select_notebook)
    {'03_churn_survival': 'Call [phone].'}
    """
    paths = [Path(Path(nb).name.removesuffix(".ipynb") + ".ipynb") for nb in notebooks]
    heads = list(_SECTION.finditer(text))
    found: dict[str, list[str]] = {}
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        name = head.group(1).strip()
        try:
            chosen = select(paths, name) if name else None
        except ConfigError as exc:
            raise ConfigError(
                f"{source}: the heading '## {name}' names no single chapter. {exc.message}",
                fix=exc.fix + " (one '## <chapter>' heading per chapter; use ### inside a section)",
            ) from None
        if chosen is None:
            raise ConfigError(
                f"{source}: an empty '##' heading.",
                fix="Name the chapter after ##, e.g. '## churn' or '## 03'.",
            )
        body = _clean(text[head.end() : end])
        if body:
            found.setdefault(chosen.stem, []).append(body)
    return {stem: "\n\n".join(parts) for stem, parts in found.items()}


def read_commentary(
    config: ReportConfig,
    period: str | Period,
    notebooks: Sequence[str | Path],
    select: Callable[[Sequence[Path], str], Path],
) -> dict[str, str]:
    """The period's commentary by chapter, or ``{}`` when there is no file.

    Parameters
    ----------
    config : ReportConfig
    period : str or Period
    notebooks : sequence of str or Path
        The chapters the headings may name.
    select : callable
        As for :func:`parse_commentary`.

    Returns
    -------
    dict
        notebook stem -> markdown (see :func:`parse_commentary`).

    Raises
    ------
    ConfigError
        When the file is unreadable or a heading names no chapter.

    Examples
    --------
    >>> read_commentary(load_config("data/sample/custops.yaml"), "2025Q4",
    ...                 ["03_churn_survival"], select_notebook)  # doctest: +SKIP
    {}
    """
    path = commentary_path(config, period)
    if path is None or not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"The commentary file {path} cannot be read: {exc}.",
            fix="Save it as UTF-8 markdown, or remove it to publish without commentary.",
        ) from None
    return parse_commentary(text, notebooks, select, source=str(path))


def commentary_block(text: str, lang: str) -> str:
    """The MyST markup of the commentary box: an admonition titled "Team commentary".

    Examples
    --------
    >>> print(commentary_block("Strike in Nov.", "en"))
    ::::::{admonition} Team commentary
    :class: custops-commentary
    <BLANKLINE>
    Strike in Nov.
    ::::::
    """
    return (
        f"{BOX_FENCE}{{admonition}} {t('commentary.title', lang)}\n"
        f":class: custops-commentary\n\n{text}\n{BOX_FENCE}"
    )


def notes_template(
    chapters: Sequence[tuple[str, str, Sequence[str]]],
    *,
    period: str | Period,
    lang: str = "en",
    unbuilt_note: str = "",
) -> str:
    """The commentary template: one ``## <chapter>`` heading per chapter, findings as prompts.

    Parameters
    ----------
    chapters : sequence of (heading, title, findings)
        Per chapter in book order: the heading that names it (:func:`chapter_key`), its title
        and its key findings as markdown list items (none when the period was not built).
        Title and findings are written inside an HTML comment, so a prompt left in place is
        never shown in the book.
    period : str or Period
    lang : {"en", "zh"}
    unbuilt_note : str
        Said at the top (also in a comment) when the period has not been built.

    Returns
    -------
    str

    Examples
    --------
    >>> print(notes_template([("churn", "Churn — 2025Q4", ["- Churn rate: 18.3%"])],
    ...                      period="2025Q4"))  # doctest: +ELLIPSIS
    # Team commentary — 2025Q4
    <BLANKLINE>
    <!-- Written by the team. ... -->
    <BLANKLINE>
    ## churn
    <BLANKLINE>
    <!--
    Churn — 2025Q4. The chapter's key findings, to explain:
    - Churn rate: 18.3%
    -->
    <BLANKLINE>
    """
    label = Period.parse(period).label
    lines = [f"# {t('commentary.template.title', lang, period=label)}", ""]
    lines += [f"<!-- {t('commentary.template.help', lang)} -->", ""]
    if unbuilt_note:
        lines += [f"<!-- {unbuilt_note} -->", ""]
    for heading, title, findings in chapters:
        lines += [f"## {heading}", ""]
        if findings:
            head = t("commentary.template.findings", lang, title=title)
            lines += ["<!--", head, *(f.replace("--", "–") for f in findings), "-->", ""]
        else:
            lines += [f"<!-- {title} -->", ""]
    return "\n".join(lines)
