"""Quarterly batch run: papermill execution of the notebooks and the Jupyter Book build.

The run for one period has three steps, and the published report is only replaced when all
of them succeed:

1. every ``notebooks/[0-9][0-9]_*.ipynb`` is executed in order by papermill (absolute paths,
   ``cwd`` = the notebooks folder, parameters ``period``, ``config``, ``build_dir`` checked
   against the notebook's ``parameters`` cell first) into ``build/<P>/notebooks/``;
2. the book source is assembled in ``build/<P>/book-src/`` from the template in ``book/``:
   executed notebooks filtered to the report language and tagged so that code is hidden,
   the landing page quoting every glued headline number by reference, the methods page with
   the row ledger, ``_config.yml`` with the period as a MyST substitution;
3. ``jupyter-book build -W --keep-going`` writes into a temporary folder, which is renamed
   over ``build/<P>/html/`` only when the build succeeded.

Notebooks write their artifacts into a staging copy (``build/<P>/.stage/<P>/artifacts``, see
``custops.ingest.artifacts.STAGE_ENV``); it replaces ``build/<P>/artifacts`` by renames only after
every step succeeded, so a failed or killed run leaves the artifacts the
published book was built from untouched, and the next run discards the leftover stage.

A failing notebook stops the run before any book is built (Jupyter Book would otherwise
publish the broken page, jupyter-book#2011); its partly executed copy is kept in
``build/<P>/failed/``. ``build/index.html`` lists every published period, newest first.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import nbformat
import yaml

from custops.chapters import landing
from custops.chapters.collection import LEDGER
from custops.chapters.review import FORECAST_CHECKS, SCORECARD
from custops.core.config import Period, ReportConfig, load_config
from custops.core.errors import ConfigError, PipelineError
from custops.core.results import format_spec
from custops.ingest.artifacts import STAGE_ENV
from custops.ingest.cleaning import EARLIEST_DATE
from custops.report.labels import VALUE_LABELS, cell_text, column_label, value_label
from custops.report.ledger import ledger_text
from custops.report.notebook import LANGUAGE_ENV, fmt_money
from custops.report.text import LANGUAGES, glue_label, t
from custops.run import commentary as notes
from custops.run.guard import RunLock, check_output_root, clean_stale

__all__ = [
    "BookFailed",
    "NotebookFailed",
    "NotebookRun",
    "RunResult",
    "artifacts_dir",
    "build_book",
    "edition_folder",
    "chapter_findings",
    "check_period_has_orders",
    "discover_notebooks",
    "kernel_name",
    "period_dir",
    "prepare_notebook",
    "run",
    "select_notebook",
    "write_archive_index",
    "write_notes",
]

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
REQUIRED_PARAMETERS = ("period", "config", "build_dir")
#: the project's kernel, registered inside the venv by `make setup`
#: (``python -m ipykernel install --sys-prefix --name custops``); notebooks name it in their metadata
KERNEL_NAME = "custops"
FALLBACK_KERNEL = "python3"
BOOK_PAGES = ("intro", "how_to_read", "all_figures", "methods")
GLUE_PREFIX = "application/papermill.record/"
_HIDING_TAGS = {
    "remove-cell",
    "remove_cell",
    "remove-input",
    "remove_input",
    "hide-cell",
    "hide_cell",
    "hide-input",
    "hide_input",
}
_NUMPY_REPR = re.compile(r"^(?:np|numpy)\.\w+\((.*)\)$", re.S)

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- paths


def period_dir(build_dir: str | Path, period: str | Period) -> Path:
    """The folder of one period inside the build root: ``<build_dir>/<period label>``.

    Parameters
    ----------
    build_dir : str or Path
        The build root (``build/``); relative paths start from the current directory.
    period : str or Period
        Any label ``Period.parse`` reads; the canonical label names the folder.

    Returns
    -------
    Path
        Absolute path (not created).

    Examples
    --------
    >>> period_dir("/tmp/build", "2025-q4").as_posix()
    '/tmp/build/2025Q4'
    """
    return Path(build_dir).expanduser().resolve() / Period.parse(period).label


def artifacts_dir(build_dir: str | Path, period: str | Period) -> Path:
    """Create and return ``<build_dir>/<period>/artifacts``, where notebooks write their outputs.

    Notebooks receive ``build_dir`` (the build root) and ``period`` as papermill parameters
    and call this to find the folder; the next notebook reads what the previous one wrote.

    Parameters
    ----------
    build_dir : str or Path
        The build root; a relative path starts from the current directory (the notebooks
        folder when papermill runs them).
    period : str or Period
        The reporting period.

    Returns
    -------
    Path
        The absolute artifacts folder, created if missing.

    Examples
    --------
    >>> import tempfile
    >>> root = tempfile.mkdtemp()
    >>> out = artifacts_dir(root, "2025Q4")
    >>> out.is_dir(), out.relative_to(root).as_posix()
    (True, '2025Q4/artifacts')
    """
    from custops.ingest.artifacts import artifacts_dir as _artifacts_dir  # the one definition

    return _artifacts_dir(build_dir, period, create=True)


def edition_folder(language: str, primary: str, kind: str = "html") -> str:
    """The folder of one edition inside ``build/<P>/``: the config's language gets ``html``.

    The edition in the config's language (``primary``) keeps the plain names ``html/`` and
    ``notebooks/``; another language's edition is built next to it, into ``html-<lang>/``
    from the notebooks executed in that language in ``notebooks-<lang>/``. The pages of each
    edition link to the same page of the other one.

    Parameters
    ----------
    language : {"en", "zh"}
        The edition's language.
    primary : {"en", "zh"}
        The config's ``language``.
    kind : {"html", "notebooks"}

    Examples
    --------
    >>> edition_folder("en", "en"), edition_folder("zh", "en"), edition_folder("zh", "en", "notebooks")
    ('html', 'html-zh', 'notebooks-zh')
    >>> edition_folder("zh", "zh"), edition_folder("en", "zh")
    ('html', 'html-en')
    """
    return kind if language == primary else f"{kind}-{language}"


def _project_root() -> Path:
    return Path(__file__).resolve().parents[2]  # custops/run/pipeline.py -> the project


def default_notebooks_dir() -> Path:
    """``./notebooks`` when it holds notebooks, else the ``notebooks/`` next to the package."""
    here = Path.cwd() / "notebooks"
    if here.is_dir() and any(here.glob(NOTEBOOK_GLOB)):
        return here.resolve()
    return _project_root() / "notebooks"


def default_book_template() -> Path:
    """``./book`` when it holds a ``_config.yml``, else the ``book/`` next to the package."""
    here = Path.cwd() / "book"
    if (here / "_config.yml").is_file():
        return here.resolve()
    return _project_root() / "book"


# --------------------------------------------------------------------------- selecting notebooks


def discover_notebooks(notebooks_dir: str | Path) -> list[Path]:
    """The numbered notebooks ``NN_name.ipynb`` of a folder, in run order.

    Parameters
    ----------
    notebooks_dir : str or Path

    Returns
    -------
    list of Path
        Absolute paths sorted by file name.

    Raises
    ------
    ConfigError
        When the folder is missing or holds no numbered notebook.

    Examples
    --------
    >>> [p.name for p in discover_notebooks("notebooks")]  # doctest: +SKIP
    ['01_data_collection.ipynb', '02_segmentation.ipynb', ...]
    """
    folder = Path(notebooks_dir).expanduser().resolve()
    found = sorted(folder.glob(NOTEBOOK_GLOB)) if folder.is_dir() else []
    if not found:
        raise ConfigError(
            f"No notebooks named like {NOTEBOOK_GLOB} in {folder}.",
            cause="The notebooks folder is wrong or empty.",
            fix="Run from the project root or pass --notebooks DIR.",
        )
    return found


def select_notebook(notebooks: Sequence[Path], only: str) -> Path:
    """Pick the notebook that ``--only`` names: by number, full name, or name without number.

    Parameters
    ----------
    notebooks : sequence of Path
        Candidates, e.g. from ``discover_notebooks``.
    only : str
        ``"02"``, ``"02_segmentation"``, ``"segmentation"``, ``"seg"`` or the file name.

    Returns
    -------
    Path

    Raises
    ------
    ConfigError
        When nothing or more than one notebook matches; the message lists the choices.

    Examples
    --------
    >>> nbs = [Path("01_data_collection.ipynb"), Path("02_segmentation.ipynb")]
    >>> select_notebook(nbs, "02").name, select_notebook(nbs, "segmentation").name
    ('02_segmentation.ipynb', '02_segmentation.ipynb')
    """
    key = Path(only.strip()).name.removesuffix(".ipynb").lower()
    stems = {nb: nb.stem.lower() for nb in notebooks}
    names = {nb: stem.split("_", 1)[1] if "_" in stem else stem for nb, stem in stems.items()}
    tiers = [
        [nb for nb in notebooks if stems[nb] == key or names[nb] == key],
        [nb for nb in notebooks if key and stems[nb].startswith(key)],
        [nb for nb in notebooks if key and names[nb].startswith(key)],
    ]
    choices = ", ".join(f"{nb.stem[:2]} ({names[nb]})" for nb in notebooks)
    for matches in tiers:
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ConfigError(
                f"--only {only!r} matches several notebooks: {', '.join(m.name for m in matches)}.",
                fix=f"Give the number or the full name; the notebooks are {choices}.",
            )
    import difflib

    close = difflib.get_close_matches(key, list(names.values()) + list(stems.values()), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ConfigError(
        f"No notebook matches --only {only!r}.{hint}",
        fix=f"Use the number (e.g. 02) or the name (e.g. segmentation); the notebooks are {choices}.",
    )


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """Check the parameters against the notebook's tagged ``parameters`` cell.

    papermill only warns about a parameter the notebook does not declare and then runs with
    the notebook's default, which would silently report the wrong period; this raises.

    Parameters
    ----------
    notebook : Path
    parameters : dict
        The values to inject.

    Returns
    -------
    dict
        What ``papermill.inspect_notebook`` reports about the declared parameters.

    Raises
    ------
    PipelineError
        When the notebook has no ``parameters`` cell or does not declare one of ``parameters``.

    Examples
    --------
    >>> check_parameters(Path("notebooks/01_data_collection.ipynb"),
    ...                  {"period": "2025Q4"})  # doctest: +SKIP
    """
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    if not declared:
        raise PipelineError(
            f"{notebook.name} has no cell tagged `parameters`.",
            cause="papermill needs the tag to know where to inject period, config and build_dir.",
            fix=(
                "Tag the first code cell `parameters` (JupyterLab: property inspector > cell tags) "
                f"and declare {', '.join(REQUIRED_PARAMETERS)} in it."
            ),
        )
    unknown = [name for name in parameters if name not in declared]
    if unknown:
        raise PipelineError(
            f"{notebook.name} does not declare the parameter(s) {', '.join(unknown)}.",
            cause=f"Its parameters cell declares only {', '.join(declared)}.",
            fix=f"Add {', '.join(f'{n} = ...' for n in unknown)} to the cell tagged `parameters`.",
        )
    return declared


# --------------------------------------------------------------------------- results and errors


@dataclass
class NotebookRun:
    """What happened to one notebook in a run."""

    name: str
    seconds: float
    status: str  # "ok", "failed", "kept" (not rerun with --only), "skipped" (no input table)
    output: Path
    stderr_cells: int = 0
    error: str = ""  # with status "failed" (--keep-going): chapter, cell and error in one line


@dataclass
class RunResult:
    """Outcome of ``run``: timings, and where the report is.

    Attributes
    ----------
    period : str
    notebooks : list of NotebookRun
    book_seconds : float
    total_seconds : float
    index_html : Path
        ``build/<P>/html/index.html``.
    archive_html : Path
        ``build/index.html``.
    stale : dict
        Chapters computed before an earlier chapter was re-run (``--only``): notebook stem ->
        the re-run chapters, each ``{"chapter": stem, "rerun_at": "YYYY-MM-DD HH:MM UTC"}``
        (:func:`stale_chapters`); empty after a full run.
    """

    period: str
    notebooks: list[NotebookRun] = field(default_factory=list)
    book_seconds: float = 0.0
    total_seconds: float = 0.0
    index_html: Path = Path()
    archive_html: Path = Path()
    stale: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def failed(self) -> list[NotebookRun]:
        """Notebooks that failed in a ``keep_going`` run (left out of the book)."""
        return [r for r in self.notebooks if r.status == "failed"]


class NotebookFailed(PipelineError):
    """A notebook raised during the papermill run.

    Attributes
    ----------
    notebook : str
        File name of the notebook.
    exec_count : int or None
        The ``In [n]`` number of the failing cell.
    cell_index : int or None
        Position of the cell in the executed notebook (0-based, injected cell included).
    ename, evalue : str
        Exception class name and message.
    partial : Path or None
        The partly executed notebook.
    exit_code : int
        2 when the notebook raised a ``DataError``/``ConfigError`` (bad input), else 1.
    """

    def __init__(
        self,
        notebook: str,
        *,
        exec_count: int | None,
        cell_index: int | None,
        ename: str,
        evalue: str,
        source: str = "",
        partial: Path | None = None,
        published: Path | None = None,
    ) -> None:
        self.notebook = notebook
        self.exec_count = exec_count
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        self.partial = partial
        self.exit_code = 2 if ename in {"DataError", "ConfigError"} else 1
        where = f"cell In [{exec_count}]" if exec_count is not None else "a cell"
        first = next((line for line in source.splitlines() if line.strip()), "")
        lines = [f"Notebook {notebook} failed in {where}:", f"  {ename}: {evalue}".rstrip()]
        if first:
            lines.append(f"  cell begins: {first.strip()[:100]}")
        if partial is not None:
            lines.append(f"  partly executed notebook: {partial}")
        if published is not None:
            lines.append(f"  the published report was not changed: {published}")
        super().__init__(
            "\n".join(lines),
            fix=f"Open the partly executed notebook, fix the cause, then rerun with --only {notebook[:2]}.",
        )


class BookFailed(PipelineError):
    """The Jupyter Book build failed or reported errors (warnings are errors when strict)."""


# --------------------------------------------------------------------------- executing


def kernel_name() -> str:
    """The kernel papermill runs the notebooks in: ``custops`` when registered, else ``python3``.

    ``make setup`` registers the ``custops`` kernel inside the venv (its ``kernel.json`` names
    the venv's Python by absolute path, so JupyterLab and papermill use the interpreter that
    has custops installed). A venv set up without ``make`` may lack it; the run then uses the
    ``python3`` kernel of the same interpreter (jupyter_client maps ``python`` to the running
    Python).

    Examples
    --------
    >>> kernel_name() in {"custops", "python3"}
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return FALLBACK_KERNEL
    return KERNEL_NAME


def _execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    progress_bar: bool | dict[str, Any],
    timeout: float | None,
) -> None:
    import papermill
    from traitlets.config import Config

    env_before = os.environ.get("PYDEVD_DISABLE_FILE_VALIDATION")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # silence the debugger banner of ipykernel
    # IPC sockets in a private folder: no open TCP ports, and no ipykernel warning about them.
    sockets = tempfile.mkdtemp(prefix="custops-kernel-")
    try:
        kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": f"{sockets}/k"}})
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel_name(),
            cwd=str(cwd),
            progress_bar=progress_bar,
            request_save_on_cell_execute=True,
            execution_timeout=timeout,
            config=kernel_config,
        )
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        if env_before is None:
            os.environ.pop("PYDEVD_DISABLE_FILE_VALIDATION", None)
        else:
            os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = env_before


def _stderr_cells(nb: nbformat.NotebookNode) -> int:
    return sum(
        any(
            o.get("output_type") == "stream" and o.get("name") == "stderr"
            for o in c.get("outputs", [])
        )
        for c in nb.cells
        if c.cell_type == "code"
    )


def _notebook_failed(nb_path: Path) -> bool:
    try:
        nb = nbformat.read(nb_path, as_version=4)
    except Exception:
        return True
    return bool(nb.metadata.get("papermill", {}).get("exception"))


def execute_notebooks(
    notebooks: Sequence[Path],
    *,
    period: str,
    config_path: Path,
    build_root: Path,
    progress: bool = True,
    log: Progress = print,
    total: int | None = None,
    first_index: int = 1,
    timeout: float | None = None,
    keep_going: bool = False,
    available: Sequence[str] | None = None,
    out_dir: Path | None = None,
) -> list[NotebookRun]:
    """Execute notebooks in order with papermill into ``build/<P>/notebooks/``.

    Each notebook runs into a staging file; only a notebook that finished moves to
    ``build/<P>/notebooks/<name>.ipynb``, so that folder never holds a half-run notebook.
    A failure moves the partial notebook to ``build/<P>/failed/`` and raises.

    Parameters
    ----------
    notebooks : sequence of Path
    period : str
        Canonical period label.
    config_path, build_root : Path
        Absolute; passed to the notebooks as ``config`` and ``build_dir``.
    progress : bool
        Show papermill's per-cell progress bar.
    log : callable
        Receives one line per notebook started and finished.
    total, first_index : int
        For the "[i/n]" display when running a subset.
    timeout : float, optional
        Seconds a single cell may run.
    keep_going : bool
        A failing notebook is recorded (status ``"failed"`` with its cell and error) and the
        next ones still run, instead of raising.
    available : sequence of str, optional
        Tables the config has a source for (default: read from ``config_path``). A notebook
        whose ``requires_any`` tables are all absent is not executed: its executed copy is
        its title and one sentence naming the missing table and config key (status
        ``"skipped"``).
    out_dir : Path, optional
        Where the finished notebooks go (default ``build/<P>/notebooks``; ``run`` passes its
        staging folder, renamed over ``build/<P>/notebooks`` when the whole run succeeded).

    Returns
    -------
    list of NotebookRun

    Raises
    ------
    NotebookFailed
        With notebook, cell and error; nothing after the failing notebook runs
        (unless ``keep_going``).

    Examples
    --------
    >>> execute_notebooks(discover_notebooks("notebooks"), period="2025Q4",
    ...     config_path=Path("data/sample/custops.yaml").resolve(),
    ...     build_root=Path("build").resolve())  # doctest: +SKIP
    """
    from papermill.exceptions import PapermillExecutionError

    pdir = build_root / period
    out_dir = out_dir or pdir / "notebooks"
    staging = pdir / f".running-{os.getpid()}"
    failed_dir = pdir / "failed"
    for folder in (out_dir, staging):
        folder.mkdir(parents=True, exist_ok=True)
    artifacts_dir(build_root, period)
    parameters = {"period": period, "config": str(config_path), "build_dir": str(build_root)}
    total = total or len(notebooks)
    if available is None:
        available = available_tables(load_config(config_path))
    runs: list[NotebookRun] = []
    for offset, notebook in enumerate(notebooks):
        check_parameters(notebook, parameters)
        step = f"[{first_index + offset}/{total}] {notebook.stem}"
        needs = notebook_requirements(notebook)
        if needs and not any(table in available for table in needs):
            final = out_dir / notebook.name
            nbformat.write(skipped_notebook(notebook, needs, period), final)
            with contextlib.suppress(FileNotFoundError):
                (failed_dir / notebook.name).unlink()
            runs.append(NotebookRun(notebook.name, 0.0, "skipped", final))
            keys = " or ".join(_TABLE_KEYS.get(n, f"sources.{n}").replace("`", "") for n in needs)
            log(f"{step} skipped: no {' or '.join(needs)} table ({keys})")
            continue
        log(f"{step} ...")
        staged = staging / notebook.name
        bar: bool | dict[str, Any] = {"desc": step, "leave": False} if progress else False
        started = time.perf_counter()
        failure: NotebookFailed | None = None
        try:
            _execute(
                notebook, staged, parameters, cwd=notebook.parent, progress_bar=bar, timeout=timeout
            )
        except PapermillExecutionError as exc:
            partial = _keep_failed(staged, failed_dir)
            failure = NotebookFailed(
                notebook.name,
                exec_count=exc.exec_count,
                cell_index=exc.cell_index,
                ename=exc.ename,
                evalue=exc.evalue,
                source=exc.source or "",
                partial=partial,
                published=None if keep_going else pdir / "html",
            )
        except Exception as exc:  # kernel died, timeout, unreadable notebook
            partial = _keep_failed(staged, failed_dir)
            failure = NotebookFailed(
                notebook.name,
                exec_count=None,
                cell_index=None,
                ename=type(exc).__name__,
                evalue=str(exc).strip().splitlines()[-1] if str(exc).strip() else "",
                partial=partial,
                published=None if keep_going else pdir / "html",
            )
        if failure is not None:
            if not keep_going:
                raise failure from None
            where = (
                f"cell In [{failure.exec_count}]" if failure.exec_count is not None else "a cell"
            )
            error = f"{notebook.stem}, {where}: {failure.ename}: {failure.evalue}".strip()
            # the chapter is left out of this edition, not shown from an older run
            with contextlib.suppress(FileNotFoundError):
                (out_dir / notebook.name).unlink()
            runs.append(
                NotebookRun(
                    notebook.name,
                    time.perf_counter() - started,
                    "failed",
                    failure.partial or Path(),
                    error=error.splitlines()[0][:400],
                )
            )
            log(f"{step} FAILED ({error.splitlines()[0][:300]}); going on (--keep-going)")
            continue
        seconds = time.perf_counter() - started
        final = out_dir / notebook.name
        os.replace(staged, final)
        with contextlib.suppress(FileNotFoundError):
            (failed_dir / notebook.name).unlink()
        stderr = _stderr_cells(nbformat.read(final, as_version=4))
        runs.append(NotebookRun(notebook.name, seconds, "ok", final, stderr))
        note = f"; {stderr} cell(s) wrote to stderr (hidden in the book)" if stderr else ""
        log(f"{step} done in {seconds:.1f} s{note}")
    with contextlib.suppress(OSError):
        staging.rmdir()
    return runs


# --------------------------------------------------------------------------- absent tables

#: the config key that provides each table, named in the sentence of a skipped chapter
_TABLE_WORDS = {
    "orders": ("the orders table", "订单表"),
    "customers": ("the customers table", "客户表"),
    "surveys": ("a surveys table", "问卷表"),
    "tickets": ("a tickets table", "服务工单表"),
    "touches": ("a touches table", "营销触达表"),
    "contract": ("a contractual customer snapshot", "合同制客户快照"),
}
#: the config keys named for each requirement (``contract``: a contractual customer table)
_TABLE_KEYS = {"contract": "churn.definition: contractual` with `sources.customers"}


def available_tables(config: ReportConfig) -> list[str]:
    """The tables a config provides, plus ``contract`` for a contractual customer snapshot.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"customers": {"path": "c.csv"}},
    ...     "churn": {"definition": "contractual"}})
    >>> available_tables(cfg)
    ['customers', 'contract']
    """
    tables = list(config.sources)
    if config.churn.definition == "contractual" and "customers" in tables:
        tables.append("contract")
    return tables


def notebook_requirements(notebook: Path | nbformat.NotebookNode) -> list[str]:
    """The tables a notebook needs at least one of (``metadata.custops.requires_any``).

    An empty list means the notebook runs on any export (it says itself what it skips).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(metadata={"custops": {"requires_any": ["orders"]}})
    >>> notebook_requirements(nb)
    ['orders']
    """
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(notebook, 4)
    return list(nb.metadata.get("custops", {}).get("requires_any", []))


def missing_tables_sentence(tables: Sequence[str], period: str, lang: str) -> str:
    """One sentence: the chapter needs one of ``tables`` (with their config keys) and has none.

    Examples
    --------
    >>> missing_tables_sentence(["orders"], "2025Q4", "en")
    'This chapter needs the orders table (config key `sources.orders`); this export has none, so the chapter is not computed for 2025Q4.'
    """
    if lang == "zh":
        names = " 或 ".join(
            f"{_TABLE_WORDS[n][1]}（配置项 `{_TABLE_KEYS.get(n, f'sources.{n}')}`）" for n in tables
        )
        return f"本章需要{names}；本次导出没有，所以 {period} 不计算本章。"
    names = " or ".join(
        f"{_TABLE_WORDS[n][0]} (config key `{_TABLE_KEYS.get(n, f'sources.{n}')}`)" for n in tables
    )
    return f"This chapter needs {names}; this export has none, so the chapter is not computed for {period}."


def skipped_notebook(notebook: Path, tables: Sequence[str], period: str) -> nbformat.NotebookNode:
    """The executed copy of a chapter whose tables are absent: its title and one sentence per language.

    Examples
    --------
    >>> nb = skipped_notebook(discover_notebooks("notebooks")[1], ["orders"], "2025Q4")  # doctest: +SKIP
    """
    source = nbformat.read(notebook, as_version=4)
    cells = []
    for lang in ("en", "zh"):
        heading = next(
            (
                line
                for c in source.cells
                if c.cell_type == "markdown" and f"lang-{lang}" in c.metadata.get("tags", [])
                for line in c.source.splitlines()
                if line.startswith("# ")
            ),
            f"# {notebook.stem}",
        )
        text = f"{heading}\n\n> {missing_tables_sentence(tables, period, lang)}"
        cells.append(nbformat.v4.new_markdown_cell(text, metadata={"tags": [f"lang-{lang}"]}))
    out = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(source.metadata))
    out.metadata["custops"] = {**out.metadata.get("custops", {}), "skipped": list(tables)}
    return out


def _keep_failed(staged: Path, failed_dir: Path) -> Path | None:
    if not staged.exists():
        return None
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = failed_dir / staged.name
    os.replace(staged, target)
    return target


# --------------------------------------------------------------------------- preparing notebooks


def _visible_outputs(cell: nbformat.NotebookNode) -> bool:
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stderr":
            continue
        if kind == "display_data" and output.get("metadata", {}).get("scrapbook", {}).get(
            "mime_prefix"
        ):
            continue  # glue(..., display=False)
        return True
    return False


def _plain_glue_text(text: str) -> str:
    """``np.float64(0.5)`` -> ``0.5`` so that myst-nb can format the glued value."""
    match = _NUMPY_REPR.match(text.strip())
    return match.group(1) if match else text


_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"


def _join_cjk_lines(text: str) -> str:
    r"""Join wrapped lines between Chinese characters: HTML would show the line break as a space.

    Examples
    --------
    >>> _join_cjk_lines("本报告的所有数字\n都来自导出。\n\n下一段")
    '本报告的所有数字都来自导出。\n\n下一段'
    """
    return re.sub(rf"(?<={_CJK})\n(?={_CJK})", "", text)


_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_STRONG = re.compile(r"(?<![*\\])\*\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*\*(?!\*)")
_EM = re.compile(r"(?<![*\\A-Za-z0-9])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*A-Za-z0-9])")
#: a cell tag ``custops-anchor-<label>`` puts the MyST target ``(<label>)=`` before the cell, so
#: the landing page links to the section by a label that is the same in both editions
ANCHOR_TAG = "custops-anchor-"
#: cells moved right after the chapter's title (its findings) ...
FIRST_TAG = "custops-first"
#: ... and cells moved to the end, under "For analysts" (method notes, diagnostics, file lists)
ANALYSTS_TAG = "custops-analysts"
#: customer-level tables (retention list, row samples) stay in the notebooks: in the book the
#: cell's tables are replaced by a sentence with their row count and, for
#: ``custops-list-<file>``, the artifact file that holds the whole list
LIST_TAG = "custops-list"


def _body_rows(table_html: str) -> int:
    """Rows of an HTML table's body (``<tbody>``; without one, all rows but the first)."""
    body = table_html.split("<tbody", 1)
    if len(body) == 2:
        return len(re.findall(r"<tr\b", body[1]))
    return max(len(re.findall(r"<tr\b", table_html)) - 1, 0)


def _list_note(
    cell: nbformat.NotebookNode, tag: str, language: str, artifacts: Path | None
) -> None:
    """Drop the HTML tables of a ``custops-list`` cell and say where the rows are instead."""
    tables = [o for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]
    if not tables:
        return
    shown = sum(_body_rows(o["data"]["text/html"]) for o in tables)
    file = tag[len(LIST_TAG) + 1 :] if tag.startswith(LIST_TAG + "-") else ""
    rows = shown
    if file and artifacts is not None and (artifacts / file).is_file():
        with open(artifacts / file, encoding="utf-8") as handle:
            rows = max(sum(1 for _ in handle) - 1, 0)  # a CSV with its header line
    text = (
        t("book.list.file", language, rows=f"{rows:,}", file=file)
        if file
        else t("book.list.notebook", language, rows=f"{shown:,}")
    )
    note = nbformat.v4.new_output("display_data", data={"text/markdown": text})
    outputs = [o for o in cell["outputs"] if o not in tables]
    at = cell["outputs"].index(tables[0])
    cell["outputs"] = [*outputs[:at], note, *outputs[at:]]


def cjk_emphasis(text: str) -> str:
    """Markdown ``**bold**`` / ``*italic*`` as HTML tags, outside code spans.

    CommonMark does not close emphasis before a letter when the run ends in punctuation
    (``**注意：**本期``), and Chinese text puts full-width punctuation right next to it: the
    reader would see the asterisks. ``<strong>`` and ``<em>`` always render.

    Examples
    --------
    >>> cjk_emphasis("**注意：**本期 *新客*（`a*b*c`）")
    '<strong>注意：</strong>本期 <em>新客</em>（`a*b*c`）'
    >>> cjk_emphasis("* a list item, 2 * 3")
    '* a list item, 2 * 3'
    """
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(
            _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", text[last : match.start()]))
        )
        parts.append(match.group(0))
        last = match.end()
    tail = text[last:]
    parts.append(_EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", tail)))
    return "".join(parts)


#: raw category keys replaced by their labels in outputs (``custops.report.labels.VALUE_LABELS``);
#: in English only the ones that are not words of the sentence
_KEYS_EN = ("search_ads", "offline_store", "app_push", "online_chat", "wechat", "sms")
_KEYS_ZH = ("referral", "organic", "social", "email", "unknown", "promoter", "passive", "detractor")


def label_keys(text: str, lang: str, *, is_html: bool = False) -> str:
    """Raw category keys in an output shown as labels (``wechat`` -> "WeChat" / "微信").

    In HTML only whole table cells are replaced; in markdown whole words outside code spans
    and file names. In Chinese every listed key is replaced, in English the ``snake_case``
    ones and brand names.

    Examples
    --------
    >>> label_keys("<td>wechat</td><td>search_ads</td>", "zh", is_html=True)
    '<td>微信</td><td>搜索广告</td>'
    >>> label_keys('<td class="app_push">app_push 转化率</td>', "zh", is_html=True)
    '<td class="app_push">APP 推送 转化率</td>'
    >>> label_keys("Best channel: app_push; see `app_push.csv`", "en")
    'Best channel: App push; see `app_push.csv`'
    """
    if is_html:  # a whole cell is a key
        keys = [k for k in VALUE_LABELS if lang == "zh" or k in _KEYS_EN]
    else:  # words of a sentence (a quoted English comment keeps its "service")
        keys = [k for k in VALUE_LABELS if k in _KEYS_EN or (lang == "zh" and k in _KEYS_ZH)]
    names = "|".join(sorted(map(re.escape, keys), key=len, reverse=True))
    if is_html:
        pattern = re.compile(rf"(>\s*)({names})(\s*<)")
        text = pattern.sub(lambda m: m.group(1) + value_label(m.group(2), lang) + m.group(3), text)
        words = [k for k in VALUE_LABELS if k in _KEYS_EN or (lang == "zh" and k in _KEYS_ZH)]
        inner = re.compile(
            rf"(?<![\w`/.\-])({'|'.join(sorted(map(re.escape, words), key=len, reverse=True))})"
            rf"(?![\w`/.\-])"
        )
        return re.sub(  # a key among other words of a cell: "app_push 触达转化率"
            r">([^<>]+)<",
            lambda m: ">" + inner.sub(lambda k: value_label(k.group(1), lang), m.group(1)) + "<",
            text,
        )
    pattern = re.compile(rf"(?<![\w`/.\-])({names})(?![\w`/.\-])")

    def swap(chunk: str) -> str:
        return pattern.sub(lambda m: value_label(m.group(1), lang), chunk)

    parts, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        parts += [swap(text[last : match.start()]), match.group(0)]
        last = match.end()
    parts.append(swap(text[last:]))
    return "".join(parts)


def _demote(text: str) -> str:
    """``## x`` -> ``### x`` (a section moved under "For analysts")."""
    return re.sub(r"^(#{1,5}) ", r"#\1 ", text, flags=re.M)


def _reorder(cells: list, language: str) -> list:
    """Findings (``custops-first``) after the title; analysts' cells at the end, under a heading."""
    first = [c for c in cells if FIRST_TAG in c.metadata.get("tags", [])]
    analysts = [c for c in cells if ANALYSTS_TAG in c.metadata.get("tags", [])]
    if not first and not analysts:
        return cells
    rest = [c for c in cells if c not in first and c not in analysts]
    top = [
        len(m.group(1))
        for c in first
        if c.cell_type == "markdown"
        for m in re.finditer(r"^(#{2,6}) ", c.source, flags=re.M)
    ]
    for cell in first if top and min(top) > 2 else ():  # findings open the chapter at ##
        if cell.cell_type == "markdown":
            cell.source = re.sub(
                r"^(#{2,6}) ", lambda m: m.group(1)[min(top) - 2 :] + " ", cell.source, flags=re.M
            )
    at = next(
        (
            i + 1
            for i, c in enumerate(rest)
            if c.cell_type == "markdown" and re.search(r"^# ", c.source, flags=re.M)
        ),
        0,
    )
    out = rest[:at] + first + rest[at:]
    if analysts:
        levels = [
            len(m.group(1))
            for c in analysts
            if c.cell_type == "markdown"
            for m in re.finditer(r"^(#{1,6}) ", c.source, flags=re.M)
        ]
        shift = max(3 - min(levels), 0) if levels else 0  # the highest moved heading -> ###
        for cell in analysts:
            if cell.cell_type == "markdown":
                for _ in range(shift):
                    cell.source = _demote(cell.source)
        heading = nbformat.v4.new_markdown_cell(
            "## " + t("book.analysts.title", language) + "\n\n" + t("book.analysts.lead", language),
            metadata={"tags": ["custops-analysts-heading"]},
        )
        heading["id"] = "custops-for-analysts"
        out += [heading, *analysts]
    return out


_IMAGE_MIMES = ("image/png", "image/svg+xml", "image/jpeg")
#: the source of the second and later parts of a cell cut by :func:`_split_figures`
SPLIT_SOURCE = "# (outputs of the cell above)"
#: markdown characters escaped in a caption's takeaway (it is plain text, not markup)
_CAPTION_ESCAPE = re.compile(r"([\\`*_\[\]<>{}|$#])")


def _is_image(output: Any) -> bool:
    return output.get("output_type") in ("display_data", "execute_result") and any(
        mime in output.get("data", {}) for mime in _IMAGE_MIMES
    )


def _split_figures(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """One cell per chart: a code cell's outputs cut so that every image is a cell of its own.

    myst-nb applies a cell's figure options (caption, name) to every output of the cell, so
    a chart shown between a sentence and a table must be a cell by itself to get its own
    caption. The first part keeps the source; the others get a one-line comment (myst-nb
    drops a code cell whose source is empty, outputs and all; the input is hidden anyway).
    Cells with at most one output, or without an image, are returned as they are.

    Examples
    --------
    >>> png = {"image/png": "iVBORw0KGgo="}
    >>> cell = nbformat.v4.new_code_cell("show()", outputs=[
    ...     nbformat.v4.new_output("display_data", data={"text/markdown": "A"}),
    ...     nbformat.v4.new_output("display_data", data=png),
    ...     nbformat.v4.new_output("display_data", data={"text/markdown": "B"})])
    >>> [(c.source, len(c.outputs)) for c in _split_figures(cell)]
    [('show()', 1), ('# (outputs of the cell above)', 1), ('# (outputs of the cell above)', 1)]
    """
    outputs = cell.get("outputs", [])
    if len(outputs) < 2 or not any(_is_image(o) for o in outputs):
        return [cell]
    groups: list[list[Any]] = [[]]
    for output in outputs:
        if _is_image(output):
            groups += [[output], []]
        else:
            groups[-1].append(output)
    parts = []
    for number, group in enumerate(g for g in groups if g):
        part = copy.deepcopy(cell)
        part.outputs = group
        if number:
            part.source = SPLIT_SOURCE
            part.execution_count = None
            if "id" in part:
                part["id"] = f"{cell.get('id', 'cell')}-{number}"
        parts.append(part)
    return parts


def chapter_number(stem: str, position: int) -> int:
    """The chapter number of a notebook: its leading digits (``03_churn`` -> 3), else its position.

    Examples
    --------
    >>> chapter_number("03_churn_survival", 1), chapter_number("scratch", 2)
    (3, 2)
    """
    match = re.match(r"(\d+)", stem)
    return int(match.group(1)) if match else position


def figure_caption(chapter: int, number: int, takeaway: str, language: str) -> str:
    """The caption of a chapter's ``number``-th chart: "Figure 3.2 — <takeaway>" / "图 3.2 — …".

    The takeaway is plain text: raw category keys become their labels (:func:`label_keys`,
    as in the outputs) and markdown characters are escaped, so a label such as ``*new*``
    reads as written.

    Examples
    --------
    >>> figure_caption(2, 1, "Champions carry 41% of revenue.", "en")
    'Figure 2.1 — Champions carry 41% of revenue.'
    >>> figure_caption(3, 12, "", "zh")
    '图 3.12'
    """
    label = f"{chapter}.{number}"
    if not takeaway:
        return t("figure.caption.bare", language, number=label)
    text = _CAPTION_ESCAPE.sub(r"\\\1", label_keys(takeaway, language))
    return t("figure.caption", language, number=label, takeaway=text)


def _number_figures(cells: list, chapter: int, language: str) -> None:
    """Caption every chart the reader sees, numbered in page order (``mystnb.figure``)."""
    number = 0
    for cell in cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & {"remove-cell", "remove_cell", "remove-output", "remove_output"}:
            continue
        images = [o for o in cell.get("outputs", []) if _is_image(o)]
        if not images:
            continue
        number += 1
        meta = images[0].get("metadata", {})
        info = next((meta[m] for m in _IMAGE_MIMES if isinstance(meta.get(m), dict)), {})
        options = cell.metadata.setdefault("mystnb", {})
        options["figure"] = {
            "caption": figure_caption(chapter, number, str(info.get("takeaway", "")), language),
            "name": f"fig-{chapter}-{number}",
        }


def prepare_notebook(
    nb: nbformat.NotebookNode,
    language: str,
    chapter: int | None = None,
    artifacts: Path | None = None,
) -> nbformat.NotebookNode:
    """The book's copy of an executed notebook: one language, code hidden, glue values plain.

    * markdown or code cells tagged ``lang-xx`` are kept only when ``xx`` is ``language``
      (cells without a language tag are kept);
    * the ``parameters`` and ``injected-parameters`` cells get ``remove-cell``;
    * other code cells get ``remove-input`` (stakeholders see no code; the analysts have the
      notebooks) when they show something, and ``remove-cell`` when they show nothing; cells
      already tagged with a hide/remove tag are left as they are;
    * cells tagged ``custops-first`` move right after the title, cells tagged
      ``custops-analysts`` to the end under "For analysts"; ``custops-anchor-<label>`` puts a
      MyST target before the cell;
    * the tables of a cell tagged ``custops-list`` (customer-level rows) are replaced by a
      sentence with their row count; ``custops-list-<file>`` names the artifact that holds
      the whole list (its rows counted in ``artifacts`` when given);
    * in Chinese, markdown emphasis becomes ``<strong>``/``<em>`` (:func:`cjk_emphasis`);
    * every chart becomes a cell of its own (:func:`_split_figures`); one whose output
      carries an alt text (:func:`custops.report.notebook.describe_figures`) gets it as its
      image's ``alt`` (``mystnb.image.alt``);
    * with ``chapter``, every chart the reader sees gets a numbered caption in page order,
      "Figure 3.2 — <takeaway>" (:func:`figure_caption`; the takeaway the plot function
      recorded, :func:`custops.report.plots.set_takeaway`), and the target name
      ``fig-3-2`` (``mystnb.figure``);
    * glued numbers written as numpy reprs (``np.float64(3.2)``) become plain literals.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook (not modified).
    language : {"en", "zh"}
    chapter : int, optional
        The chapter's number in the figure captions (:func:`chapter_number`); ``None``
        leaves the charts without a caption.
    artifacts : Path, optional
        The period's artifacts folder (row counts of the lists named by ``custops-list-<file>``).

    Returns
    -------
    NotebookNode

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("# Hello", metadata={"tags": ["lang-en"]}),
    ...     nbformat.v4.new_markdown_cell("# 你好", metadata={"tags": ["lang-zh"]}),
    ...     nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output(
    ...         "execute_result", data={"text/plain": "2"}, execution_count=1)])])
    >>> out = prepare_notebook(nb, "zh")
    >>> [c.source for c in out.cells], out.cells[1].metadata["tags"]
    (['# 你好', '1 + 1'], ['remove-input'])
    """
    out = copy.deepcopy(nb)
    cells = []
    for cell in (part for whole in out.cells for part in _split_figures(whole)):
        tags = set(cell.get("metadata", {}).get("tags", []))
        languages = {tag[5:] for tag in tags if tag.startswith("lang-")}
        if languages and language not in languages:
            continue
        if cell.cell_type == "markdown" and language == "zh":
            cell.source = cjk_emphasis(_join_cjk_lines(cell.source))
        anchors = sorted(tag[len(ANCHOR_TAG) :] for tag in tags if tag.startswith(ANCHOR_TAG))
        if anchors and cell.cell_type == "markdown":
            cell.source = "".join(f"({a})=\n" for a in anchors) + cell.source
        if cell.cell_type == "code":
            for tag in sorted(tags):
                if tag == LIST_TAG or tag.startswith(LIST_TAG + "-"):
                    _list_note(cell, tag, language, artifacts)
            if tags & {"parameters", "injected-parameters"}:
                tags.add("remove-cell")
            elif not tags & _HIDING_TAGS:
                tags.add("remove-input" if _visible_outputs(cell) else "remove-cell")
            alts = [
                output["metadata"]["image/png"]["alt"]
                for output in cell.get("outputs", [])
                if isinstance(output.get("metadata", {}).get("image/png"), dict)
                and output["metadata"]["image/png"].get("alt")
            ]
            if alts:  # the chart's description (custops.report.notebook.describe_figures)
                options = cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})
                options.setdefault("alt", " / ".join(dict.fromkeys(alts)))
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if isinstance(data.get("text/markdown"), str):
                    md_text = label_keys(data["text/markdown"], language)
                    data["text/markdown"] = cjk_emphasis(md_text) if language == "zh" else md_text
                if isinstance(data.get("text/html"), str):
                    data["text/html"] = label_keys(data["text/html"], language, is_html=True)
                if "scrapbook" not in output.get("metadata", {}):
                    continue
                for mime, value in list(output.get("data", {}).items()):
                    if mime.endswith("text/plain") and isinstance(value, str):
                        output["data"][mime] = _plain_glue_text(value)
        cell.setdefault("metadata", {})["tags"] = sorted(tags)
        cells.append(cell)
    out.cells = _reorder(cells, language)
    if chapter is not None:
        _number_figures(out.cells, chapter, language)
    return _stable(out)


_STYLER_ID = re.compile(r"T_[0-9a-f]{5}(?![0-9a-zA-Z])")
_ADDRESS = re.compile(r"(<[^<>\n]*?) at 0x[0-9a-fA-F]+>")
#: metadata papermill and the kernel stamp on every execution (times, durations)
_VOLATILE_CELL_META = ("papermill", "execution", "ExecuteTime")


def _stable(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    r"""Make the book copy of a notebook the same for every run of the same inputs.

    * pandas Styler tables get a random id per render (``T_3f9a2``): renumbered by order of
      appearance in the notebook (``T_00001``), so ids stay unique on the page;
    * reprs with an object address (``<Figure size 640x480 with 1 Axes at 0x7f3a...>``) lose
      the address;
    * papermill's and the kernel's execution times are dropped from the metadata, and cell
      ids (random for the cell papermill injects) follow the cell order.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("s", outputs=[
    ...     nbformat.v4.new_output("display_data", data={
    ...         "text/html": '<style>#T_3f9a2_row0_col0 {}</style><table id="T_3f9a2">',
    ...         "text/plain": "<pandas.io.formats.style.Styler at 0x7f3a9c1d2e50>"})])])
    >>> out = _stable(nb).cells[0].outputs[0].data
    >>> out["text/html"], out["text/plain"]
    ('<style>#T_00001_row0_col0 {}</style><table id="T_00001">', '<pandas.io.formats.style.Styler>')
    """
    ids: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        return ids.setdefault(match.group(0), f"T_{len(ids) + 1:05d}")

    nb.metadata.pop("papermill", None)
    for number, cell in enumerate(nb.cells):
        if "id" in cell:  # papermill gives the injected cell a random id
            cell["id"] = f"cell-{number:03d}"
        for key in _VOLATILE_CELL_META:
            cell.get("metadata", {}).pop(key, None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime, value in list(data.items()):
                if not isinstance(value, str):
                    continue
                if mime.endswith("text/html"):
                    value = _STYLER_ID.sub(renumber, value)
                if mime.endswith(("text/plain", "text/html")):
                    value = _ADDRESS.sub(r"\1>", value)
                data[mime] = value
            if output.get("output_type") == "stream" and isinstance(output.get("text"), str):
                output["text"] = _ADDRESS.sub(r"\1>", output["text"])
    return nb


def _input_files(config: ReportConfig) -> list[Path]:
    """The source files of ``config`` (globs expanded; SQL URLs left out)."""
    import glob as _glob

    files = []
    for src in config.sources.values():
        if not src.path:
            continue
        resolved = str(config.resolve(src.path))
        files += [Path(p) for p in sorted(_glob.glob(resolved, recursive=True))]
    return files


def _build_time(inputs: Sequence[Path] = ()) -> datetime:
    """``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the last
    modification of ``inputs`` (to the minute), else now.

    Examples
    --------
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    >>> _build_time().isoformat()
    '2026-01-01T00:00:00+00:00'
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    stamps = [p.stat().st_mtime for p in inputs if p.exists()]
    if stamps:
        return datetime.fromtimestamp(int(max(stamps)) // 60 * 60, UTC)
    return datetime.now(UTC)


def glued_scalars(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Glued values that are plain text (numbers, short strings), by key, in notebook order.

    Figures and tables (glued with an image or HTML representation) are left out; so are
    keys starting with ``_``.

    Parameters
    ----------
    nb : NotebookNode

    Returns
    -------
    dict
        key -> the ``text/plain`` representation (numpy reprs made plain).

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[
    ...     nbformat.v4.new_output("display_data",
    ...         data={GLUE_PREFIX + "text/plain": "np.float64(31.5)"},
    ...         metadata={"scrapbook": {"name": "nps", "mime_prefix": GLUE_PREFIX}})])])
    >>> glued_scalars(nb)
    {'nps': '31.5'}
    """
    values: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta or str(meta.get("name", "")).startswith("_"):
                continue
            prefix = meta.get("mime_prefix", "") or ""
            mimes = {
                m[len(prefix) :] if m.startswith(prefix) else m for m in output.get("data", {})
            }
            if mimes != {"text/plain"}:
                continue
            text = output["data"][prefix + "text/plain"]
            values[str(meta["name"])] = _plain_glue_text(
                text if isinstance(text, str) else "".join(text)
            )
    return values


def glued_kinds(nb: nbformat.NotebookNode) -> dict[str, dict[str, Any]]:
    """What the chapter said about each glued value: its kind and its interval keys.

    ``custops.report.notebook.glue_headlines`` writes ``{"kind": ..., "interval": [low, high]}``
    (or ``"bound_of"``) into each glue output's ``custops`` metadata. Values glued without
    it (a notebook that called myst-nb's ``glue`` directly) are absent here.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", outputs=[
    ...     nbformat.v4.new_output("display_data",
    ...         data={GLUE_PREFIX + "text/plain": "0.18"},
    ...         metadata={"scrapbook": {"name": "churn_rate", "mime_prefix": GLUE_PREFIX},
    ...                   "custops": {"kind": "share"}})])])
    >>> glued_kinds(nb)
    {'churn_rate': {'kind': 'share'}}
    """
    out: dict[str, dict[str, Any]] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            meta = output.get("metadata", {})
            name = meta.get("scrapbook", {}).get("name")
            if name and isinstance(meta.get("custops"), dict):
                out[str(name)] = dict(meta["custops"])
    return out


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text.strip()


# --------------------------------------------------------------------------- book source


def substitutions(
    config: ReportConfig, period: Period, language: str, built_at: str
) -> dict[str, str]:
    """The MyST substitutions of the book: period, dates and the definitions from the config.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate(
    ...     {"sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}}})
    >>> subs = substitutions(cfg, Period.parse("2025Q4"), "en", "2026-01-05 08:00")
    >>> subs["period"], subs["previous_period"], subs["churn_inactivity_days"]
    ('2025Q4', '2025Q3', '180')
    """
    tiers = sorted(config.segments.tiers.items(), key=lambda kv: -kv[1])
    below = "D"
    tier_text = "; ".join(f"{name} ≥ {amount:,.0f} {config.currency}" for name, amount in tiers)
    tier_text += f"; {below} " + ("below" if language == "en" else "低于此") if tiers else ""
    values = {
        "period": period.label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "previous_period": period.previous().label,
        "company": config.company,
        "currency": config.currency,
        "seed": config.seed,
        "churn_definition": config.churn.definition,
        "churn_inactivity_days": config.churn.inactivity_days,
        "churn_horizon_days": config.churn.horizon_days,
        "nps_min_group_n": config.nps.min_group_n,
        "rfm_bins": config.segments.rfm_bins,
        "segments_new_days": config.segments.new_days,
        "segments_sleeping_days": config.segments.sleeping_days,
        "segments_churned_days": config.segments.churned_days,
        "tiers": tier_text,
        "clv_margin": f"{config.clv.margin:.0%}",
        "clv_discount_rate": f"{config.clv.annual_discount_rate:.0%}",
        "clv_horizon_months": config.clv.horizon_months,
        "built_at": built_at,
    }
    return {key: str(value) for key, value in values.items()}


def _run_times(nb: nbformat.NotebookNode) -> tuple[datetime, datetime] | None:
    """When papermill started and finished executing ``nb`` (UTC), or None (never executed)."""
    meta = nb.metadata.get("papermill", {})
    if nb.metadata.get("custops", {}).get("skipped"):
        return None
    try:
        start = datetime.fromisoformat(str(meta["start_time"]))
        end = datetime.fromisoformat(str(meta["end_time"]))
    except (KeyError, TypeError, ValueError):
        return None
    return (
        start if start.tzinfo else start.replace(tzinfo=UTC),
        end if end.tzinfo else end.replace(tzinfo=UTC),
    )


def stale_chapters(
    executed: Sequence[Path | nbformat.NotebookNode], names: Sequence[str] | None = None
) -> dict[str, list[dict[str, str]]]:
    """The chapters computed before an earlier chapter was re-run (``custops run --only``).

    A chapter reads what the chapters before it wrote (chapter order is the dependency), so
    a chapter whose execution started before an earlier chapter's last execution finished
    quotes that chapter's old results: it is stale until a full run. The times are the ones
    papermill stamps on each executed notebook, so ``custops book`` sees the same as the run.

    Parameters
    ----------
    executed : sequence of Path or NotebookNode
        The executed notebooks, in chapter order.
    names : sequence of str, optional
        Their names (default: the paths' stems).

    Returns
    -------
    dict
        Stale chapter -> the earlier chapters re-run after it, in order, each
        ``{"chapter": name, "rerun_at": "YYYY-MM-DD HH:MM UTC"}``.

    Examples
    --------
    >>> def ran(start, end):
    ...     return nbformat.v4.new_notebook(metadata={"papermill": {
    ...         "start_time": f"2025-12-01T{start}", "end_time": f"2025-12-01T{end}"}})
    >>> full = [ran("10:00", "10:01"), ran("10:01", "10:02"), ran("10:02", "10:03")]
    >>> stale_chapters(full, ["01", "02", "03"])
    {}
    >>> rerun = [full[0], ran("11:00", "11:01"), full[2]]  # --only 02 an hour later
    >>> stale_chapters(rerun, ["01", "02", "03"])
    {'03': [{'chapter': '02', 'rerun_at': '2025-12-01 11:01 UTC'}]}
    """
    books = [
        nbformat.read(item, as_version=4) if isinstance(item, str | Path) else item
        for item in executed
    ]
    labels = list(names) if names is not None else [Path(str(p)).stem for p in executed]
    times = [_run_times(nb) for nb in books]
    out: dict[str, list[dict[str, str]]] = {}
    for later, (name, ran) in enumerate(zip(labels, times, strict=True)):
        if ran is None:
            continue
        reruns = [
            {"chapter": labels[i], "rerun_at": before[1].strftime("%Y-%m-%d %H:%M UTC")}
            for i, before in enumerate(times[:later])
            if before is not None and before[1] > ran[0]
        ]
        if reruns:
            out[name] = reruns
    return out


def _stale_reruns(reruns: Sequence[dict[str, str]], lang: str, prefix: str = "") -> str:
    """Each re-run chapter as "<link> was re-run on <time>", joined for one sentence."""
    parts = [
        t("stale.rerun", lang, chapter=f"{{doc}}`{prefix}{r['chapter']}`", time=r["rerun_at"])
        for r in reruns
    ]
    return t("stale.and", lang).join(parts)


def _stale_chapter_md(reruns: Sequence[dict[str, str]], period: str, lang: str) -> str:
    """The warning at the top of a stale chapter (its re-run chapters are its siblings)."""
    return (
        f":::{{admonition}} {t('stale.title', lang)}\n:class: warning custops-stale\n\n"
        + t("stale.chapter", lang, reruns=_stale_reruns(reruns, lang), period=period)
        + "\n:::"
    )


def _stale_landing_md(stale: dict[str, list[dict[str, str]]], period: str, lang: str) -> str:
    """The warning on the landing and "All figures" pages naming every stale chapter."""
    if not stale:
        return ""
    items = "\n".join(
        "- "
        + t(
            "stale.item",
            lang,
            chapter=f"{{doc}}`notebooks/{name}`",
            reruns=_stale_reruns(reruns, lang, "notebooks/"),
        )
        for name, reruns in stale.items()
    )
    return (
        f":::{{admonition}} {t('stale.title', lang)}\n:class: warning custops-stale\n\n"
        + t("stale.landing", lang, period=period)
        + "\n\n"
        + items
        + "\n:::\n\n"
    )


@dataclass
class _Chapter:
    doc: str  # e.g. notebooks/02_segmentation (no suffix)
    name: str
    glue: dict[str, str]
    executed_at: str
    seconds: float | None
    title: str = ""
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)  # ``glued_kinds``

    def kind(self, key: str) -> str | None:
        """The kind the chapter gave ``key`` (None: glued without one)."""
        return self.kinds.get(key, {}).get("kind")

    def interval(self, key: str) -> tuple[str, str] | None:
        """The glue keys of ``key``'s 95% interval, when the chapter glued one."""
        pair = self.kinds.get(key, {}).get("interval")
        if pair and all(b in self.glue for b in pair):
            return pair[0], pair[1]
        return None

    def shown_keys(self) -> list[str]:
        """The glued values to list, in order: interval bounds and ``_private`` keys left out."""
        return [
            k
            for k in self.glue
            if not k.startswith("_") and "bound_of" not in self.kinds.get(k, {})
        ]


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _title(notebook: nbformat.NotebookNode) -> str:
    """The first ``# `` heading of a notebook's markdown cells (MyST substitutions still inside)."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _glue_ref(chapter: _Chapter, name: str, kind: str | None) -> str:
    """A ``{glue:text}`` reference to a chapter's glued value, formatted by ``kind``."""
    fmt = format_spec(kind, _literal(chapter.glue[name]))
    return f"{{glue:text}}`{chapter.doc}.ipynb::{name}:{fmt}`"


def _shown_glue(chapter: _Chapter, key: str, kind: str | None, currency: str, lang: str) -> str:
    """A glued value on the figures page, by its kind: money as ``CNY 4.28M``, a label key as
    its label, text as it is, numbers as a ``{glue:text}`` reference with the kind's format."""
    value = _literal(chapter.glue[key])
    if isinstance(value, str) and kind in ("label", None) and value_label(value, lang) != value:
        return value_label(value, lang)  # a raw key (``app_push``) as its label
    if isinstance(value, int | float) and not isinstance(value, bool) and kind == "money":
        return fmt_money(float(value), currency)
    return _glue_ref(chapter, key, kind)


def _commentary_md(
    chapters: Sequence[_Chapter], lang: str, commentary: dict[str, str] | None
) -> str:
    """The team's commentary boxes on the landing page, one per chapter that has one."""
    blocks = [
        f"### [{c.title or c.name}]({c.doc}.ipynb)\n\n" + notes.commentary_block(note, lang)
        for c in chapters
        if (note := (commentary or {}).get(c.name))
    ]
    return "\n\n" + "\n\n".join(blocks) if blocks else ""


def _headlines_md(
    chapters: Sequence[_Chapter],
    lang: str,
    commentary: dict[str, str] | None = None,
    currency: str = "",
) -> str:
    """One short two-column table per chapter; estimates show their 95% interval in the same cell.

    The team's commentary of a chapter (``commentary``: notebook stem -> markdown) follows
    its table.
    """
    commentary = commentary or {}
    blocks = []
    header = [t("intro.headlines.figure", lang), t("intro.headlines.value", lang)]
    interval = " (95% CI {} – {})" if lang == "en" else "（95% 置信区间 {} – {}）"
    for chapter in chapters:
        rows = []
        for key in chapter.shown_keys():
            kind = chapter.kind(key)
            value = _shown_glue(chapter, key, kind, currency, lang)
            pair = chapter.interval(key)
            if pair:
                low, high = (_shown_glue(chapter, b, kind, currency, lang) for b in pair)
                value += interval.format(low, high)
            rows.append([glue_label(key, lang), value])
        note = commentary.get(chapter.name)
        if rows or note:
            block = f"## [{chapter.title or chapter.name}]({chapter.doc}.ipynb)"
            if rows:
                block += (
                    "\n\n:::{table}\n:class: custops-headlines\n\n"
                    + _md_table(header, rows)
                    + "\n:::"
                )
            if note:
                block += "\n\n" + notes.commentary_block(note, lang)
            blocks.append(block)
    if not blocks:
        return t("intro.headlines.none", lang)
    return "\n\n".join(blocks)


def _edition_md(
    chapters: Sequence[_Chapter], missing: Sequence[str], period: str, lang: str
) -> str:
    rows = [
        [
            f"{{doc}}`{c.doc}`",
            c.executed_at or "—",
            f"{c.seconds:.1f}" if c.seconds is not None else "—",
        ]
        for c in chapters
    ]
    header = [
        t("intro.headlines.chapter", lang),
        t("intro.edition.executed", lang),
        t("intro.edition.seconds", lang),
    ]
    text = (
        ":::{table}\n:class: custops-numbers\n\n" + _md_table(header, rows) + "\n:::"
        if rows
        else ""
    )
    if missing:
        text += "\n\n" + t("intro.edition.missing", lang, period=period, names=", ".join(missing))
    return text


def _failure_banner(failures: Sequence[str], lang: str) -> str:
    if lang == "zh":
        return "本期报告不完整：以下章节运行失败，未包含在内：" + "；".join(failures)
    return "This edition is incomplete: these chapters failed and are left out: " + "; ".join(
        failures
    )


def _failures_md(failures: Sequence[str], lang: str) -> str:
    """A warning box naming each failed chapter, its cell and error (no traceback)."""
    if not failures:
        return ""
    title = "本期报告不完整" if lang == "zh" else "This edition is incomplete"
    lead = (
        "以下章节运行失败，未包含在本期报告中（其他章节正常）："
        if lang == "zh"
        else "These chapters failed in this run and are left out (the other chapters are complete):"
    )
    items = "\n".join(f"- `{line.replace('`', '')}`" for line in failures)
    return f":::{{danger}} {title}\n{lead}\n\n{items}\n:::\n\n"


def _ledger_md(artifacts: Path, lang: str) -> str:
    path = artifacts / LEDGER
    if not path.exists():
        return t("methods.ledger.none", lang)
    import pandas as pd

    frame = pd.read_csv(path)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            if value is None:
                cells.append("—")
            elif isinstance(value, bool | str):  # labels, yes/no, names as code
                cells.append(cell_text(ledger_text(value, lang), lang))
            elif isinstance(value, int) or (
                hasattr(value, "is_integer") and float(value).is_integer()
            ):
                cells.append(f"{int(value):,}")
            elif isinstance(value, float):
                cells.append("—" if math.isnan(value) else f"{value:,.2f}")
            else:
                cells.append(str(value))
        rows.append(cells)
    return (
        ":::{table}\n:class: custops-numbers\n\n"
        + _md_table([column_label(c, lang) for c in frame.columns], rows)
        + "\n:::"
    )


def _sources_md(config: ReportConfig, lang: str) -> str:
    rows = []
    for table, src in config.sources.items():
        where = Path(src.path).name if src.path else t("methods.sources.query", lang)
        fmt = src.format or (Path(src.path).suffix.lstrip(".") if src.path else "sql")
        rows.append([f"`{table}`", f"`{where}`", f"`{fmt}`" if fmt else "—"])
    header = [
        t("methods.sources.table", lang),
        t("methods.sources.source", lang),
        t("methods.sources.format", lang),
    ]
    return _md_table(header, rows)


def _churn_md(config: ReportConfig, lang: str) -> str:
    key = f"methods.churn.{config.churn.definition}"
    return t(key, lang, days=config.churn.inactivity_days, horizon=config.churn.horizon_days)


def _chapter_meta(nb: nbformat.NotebookNode) -> tuple[str, float | None]:
    meta = nb.metadata.get("papermill", {})
    end = str(meta.get("end_time") or "")
    executed = end[:16].replace("T", " ") if end else ""
    duration = meta.get("duration")
    return executed, float(duration) if isinstance(duration, int | float) else None


def _fill(path: Path, markers: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for name, value in markers.items():
        text = text.replace(f"<!-- custops:{name} -->", value)
    path.write_text(text, encoding="utf-8")


def _toc(template: Path, chapters: Sequence[_Chapter], lang: str) -> dict[str, Any]:
    toc = yaml.safe_load(template.read_text(encoding="utf-8"))

    def fill(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if value == "@notebooks":
                    value = [{"file": c.doc} for c in chapters]
                elif isinstance(value, str) and value.startswith("@t:"):
                    value = t(value[3:], lang)
                else:
                    value = fill(value)
                out[key] = value
            return out
        if isinstance(node, list):
            items = [fill(item) for item in node]
            return [i for i in items if not (isinstance(i, dict) and i.get("chapters") == [])]
        return node

    return fill(toc)


def _book_config(
    template: Path, config: ReportConfig, period: Period, lang: str, built_at: str
) -> dict[str, Any]:
    book = yaml.safe_load(template.read_text(encoding="utf-8"))
    mode = book.get("execute", {}).get("execute_notebooks")
    if mode != "off":
        raise PipelineError(
            f"{template}: execute.execute_notebooks is {mode!r}; it must be the string 'off'.",
            cause="An unquoted off is read as False by YAML (jupyter-book#937), and the book "
            "would then execute the notebooks again.",
            fix='Write execute_notebooks: "off" (quoted).',
        )
    book["title"] = t("book.title", lang, company=config.company, period=period.label)
    book["author"] = t("book.author", lang)
    book.setdefault("parse", {})["myst_substitutions"] = substitutions(
        config, period, lang, built_at
    )
    book.setdefault("html", {})["extra_footer"] = html.escape(
        t("book.footer", lang, built_at=built_at, period=period.label)
    )
    sphinx_config = book.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["language"] = "zh_CN" if lang == "zh" else "en"
    sphinx_config["nb_code_prompt_show"] = t("book.code.show", lang)
    sphinx_config["nb_code_prompt_hide"] = t("book.code.hide", lang)
    return book


def prepare_book_source(
    *,
    template: Path,
    source: Path,
    config: ReportConfig,
    period: Period,
    language: str,
    executed: Sequence[Path],
    missing: Sequence[str] = (),
    artifacts: Path,
    durations: dict[str, float] | None = None,
    commentary: dict[str, str] | None = None,
    failures: Sequence[str] = (),
    editions: dict[str, str] | None = None,
) -> list[str]:
    """Assemble the book source folder for one period from the template and executed notebooks.

    Parameters
    ----------
    template : Path
        The ``book/`` folder.
    source : Path
        Folder to (re)create, e.g. ``build/<P>/book-src``.
    config : ReportConfig
    period : Period
    language : {"en", "zh"}
    executed : sequence of Path
        Executed notebooks, in chapter order.
    missing : sequence of str
        Notebooks not run for this period (named on the landing page).
    artifacts : Path
        ``build/<P>/artifacts`` (the ledger is read from there).
    durations : dict, optional
        Seconds per notebook name. Accepted for callers; the pages show no run times or
        durations (they would make two builds of the same inputs differ; see ``run.json``).
    commentary : dict, optional
        The team's commentary, notebook stem -> markdown (``custops.run.commentary``): shown
        in a box below the chapter's title and under its headline numbers on the landing
        page. Chapters without an entry are unchanged.
    failures : sequence of str
        Chapters that failed in this run (``--keep-going``), one line each with the cell and
        the error: a banner on every page and on the landing page names them.
    editions : dict, optional
        The other editions, language -> folder beside this one (``html-zh``): every page
        links to the same page there.

    Returns
    -------
    list of str
        The glue keys quoted on the landing page, as ``doc::key``.

    Examples
    --------
    >>> prepare_book_source(template=Path("book"), source=Path("build/2025Q4/book-src"),
    ...     config=cfg, period=Period.parse("2025Q4"), language="en",
    ...     executed=[], artifacts=Path("build/2025Q4/artifacts"))  # doctest: +SKIP
    []
    """
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(
        template,
        source,
        ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__"),
    )
    for page in BOOK_PAGES:
        localized = source / f"{page}.{language}.md"
        if localized.exists():
            os.replace(localized, source / f"{page}.md")
    for stray in [*source.glob("*.zh.md"), *source.glob("*.en.md")]:
        stray.unlink()

    # no clock readings in the pages: the same inputs give the same HTML (the run times
    # are in run.json); the stated time is SOURCE_DATE_EPOCH, else the inputs' last change
    built_at = _build_time(_input_files(config)).strftime("%Y-%m-%d %H:%M UTC")
    chapters: list[_Chapter] = []
    (source / "notebooks").mkdir(exist_ok=True)
    stale = stale_chapters(executed)
    for position, path in enumerate(executed, start=1):
        nb = nbformat.read(path, as_version=4)
        book_nb = prepare_notebook(
            nb, language, chapter_number(path.stem, position), artifacts=artifacts
        )
        if commentary and commentary.get(path.stem):
            _insert_commentary(book_nb, notes.commentary_block(commentary[path.stem], language))
        if path.stem in stale:  # above the commentary: the whole page is out of date
            _insert_after_title(
                book_nb,
                _stale_chapter_md(stale[path.stem], period.label, language),
                "custops-stale",
            )
        nbformat.write(book_nb, source / "notebooks" / path.name)
        # no clock readings (execution times, durations: in run.json and the run summary)
        executed_at, seconds = built_at.removesuffix(" UTC"), None
        chapters.append(
            _Chapter(
                f"notebooks/{path.stem}",
                path.stem,
                glued_scalars(book_nb),
                executed_at,
                seconds,
                _title(book_nb),
                glued_kinds(book_nb),
            )
        )

    glue = {Path(c.doc).name: c.glue for c in chapters}
    kinds = {Path(c.doc).name: c.kinds for c in chapters}
    archive = landing.archived_scorecards(Path(artifacts).parent.parent, period)
    tile_list = landing.tiles(glue, artifacts, config, period, language, kinds, archive)
    finding_list = [
        f for f in landing.findings(glue, artifacts, config, period, language) if f.doc in glue
    ]
    stale_note = _stale_landing_md(stale, period.label, language)
    figures = source / "all_figures.md"
    if figures.exists():
        _fill(
            figures,
            {"headlines": stale_note + _headlines_md(chapters, language, None, config.currency)},
        )
    intro = source / "intro.md"
    if intro.exists():
        _fill(
            intro,
            {
                "landing": stale_note
                + landing.landing_markdown(tile_list, finding_list, language)
                + _commentary_md(chapters, language, commentary),
                "headlines": _headlines_md(chapters, language, commentary, config.currency),
                "chapters": "\n".join(f"- {{doc}}`{c.doc}`" for c in chapters),
                "edition": _failures_md(failures, language)
                + _edition_md(chapters, missing, period.label, language),
            },
        )
    methods = source / "methods.md"
    if methods.exists():
        _fill(
            methods,
            {
                "ledger": _ledger_md(artifacts, language),
                "sources": _sources_md(config, language),
                "churn": _churn_md(config, language),
            },
        )
    book = _book_config(template / "_config.yml", config, period, language, built_at)
    sphinx_config = book.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["custops_editions"] = {
        lang: {"folder": folder, "label": t("book.edition.switch", lang)}
        for lang, folder in sorted((editions or {}).items())
    }
    if failures:
        book.setdefault("html", {})["announcement"] = html.escape(
            _failure_banner(failures, language)
        )
    (source / "_config.yml").write_text(
        yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    toc = _toc(template / "_toc.yml", chapters, language)
    (source / "_toc.yml").write_text(
        yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return [f"{c.doc}::{key}" for c in chapters for key in c.glue]


def _insert_commentary(nb: nbformat.NotebookNode, block: str) -> None:
    """Put the commentary box right after the cell holding the chapter's ``# `` title."""
    _insert_after_title(nb, block, "custops-commentary")


def _insert_after_title(nb: nbformat.NotebookNode, block: str, name: str) -> None:
    """Put a markdown cell (id and tag ``name``) right after the cell holding the ``# `` title."""
    at = next(
        (
            i + 1
            for i, cell in enumerate(nb.cells)
            if cell.cell_type == "markdown"
            and any(line.startswith("# ") for line in cell.source.splitlines())
        ),
        0,
    )
    cell = nbformat.v4.new_markdown_cell(block, metadata={"tags": [name]})
    cell["id"] = name  # stable: the same book source from the same inputs
    nb.cells.insert(at, cell)


def chapter_findings(
    executed: Path, lang: str, period: str | None = None, currency: str = ""
) -> tuple[str, list[str]]:
    """A chapter's title and its glued headline numbers, as the landing page formats them.

    Parameters
    ----------
    executed : Path
        The executed notebook (``build/<P>/notebooks/NN_name.ipynb``).
    lang : {"en", "zh"}
    period : str, optional
        The period, when the notebook does not record the one it ran for.
    currency : str
        Currency code money is shown with (``CNY 4.28M``).

    Returns
    -------
    (str, list of str)
        The title (period filled in) and one markdown list item per headline number,
        ``- <label>: <value>`` with its 95% interval when the chapter glued one.

    Examples
    --------
    >>> chapter_findings(Path("build/2025Q4/notebooks/03_churn_survival.ipynb"), "en")
    ... # doctest: +SKIP
    ('Churn and customer lifetime — 2025Q4', ['- Churn rate: 18.3% (95% CI 17.2% – 19.4%)', ...])
    """
    nb = prepare_notebook(nbformat.read(executed, as_version=4), lang)
    # the period the notebook ran for (papermill's parameters), else the caller's
    period = str(
        nb.metadata.get("papermill", {}).get("parameters", {}).get("period") or period or ""
    )
    title = _title(nb) or executed.stem
    if period:
        title = re.sub(r"\{\{\s*period\s*\}\}", period, title)
    chapter = _Chapter(executed.stem, executed.stem, glued_scalars(nb), "", None, title)
    chapter.kinds = glued_kinds(nb)

    def shown(key: str, kind: str | None) -> str:
        value = _literal(chapter.glue[key])
        if isinstance(value, str):
            return value_label(value, lang) if kind in ("label", None) else value
        if kind == "money" and not isinstance(value, bool):
            return fmt_money(float(value), currency)
        try:
            return format(value, format_spec(kind, value))
        except (ValueError, TypeError):
            return str(value)

    lines = []
    for key in chapter.shown_keys():
        kind = chapter.kind(key)
        value = shown(key, kind)
        pair = chapter.interval(key)
        if pair:
            value += f" (95% CI {shown(pair[0], kind)} – {shown(pair[1], kind)})"
        lines.append(f"- {glue_label(key, lang)}: {value}")
    return title, lines


def write_notes(
    config: ReportConfig,
    period: str | Period,
    *,
    build_root: str | Path = "build",
    notebooks_dir: str | Path | None = None,
    config_label: str = "FILE",
    force: bool = False,
) -> tuple[Path, bool]:
    """Write the period's commentary template to the config's ``commentary`` path.

    One ``## <chapter>`` heading per chapter; when the period has been built, the chapter's
    title and key findings (its glued headline numbers) are quoted under it as prompts, inside
    an HTML comment that the book never shows.

    Parameters
    ----------
    config : ReportConfig
    period : str or Period
    build_root : str or Path
        The build root whose ``<P>/notebooks/`` hold the executed chapters.
    notebooks_dir : str or Path, optional
        Default ``./notebooks`` (else the project's).
    config_label : str
        How the config is named in the hint for an unbuilt period.
    force : bool
        Replace an existing file.

    Returns
    -------
    (Path, bool)
        The file written, and whether the period had been built (findings quoted).

    Raises
    ------
    ConfigError
        When the config turns commentary off, or the file exists and ``force`` is false.

    Examples
    --------
    >>> write_notes(load_config("data/sample/custops.yaml"), "2025Q4")  # doctest: +SKIP
    (PosixPath('.../data/sample/notes/2025Q4.md'), True)
    """
    label = Period.parse(period).label
    path = notes.commentary_path(config, label)
    if path is None:
        raise ConfigError(
            "The config turns commentary off (commentary: null).",
            fix="Set `commentary: notes/{period}.md` in the config.",
        )
    if path.exists() and not force:
        raise ConfigError(
            f"The commentary file {path} already exists.",
            fix="Edit it, or pass --force to replace it with a fresh template.",
        )
    lang = config.language
    notebooks = discover_notebooks(notebooks_dir or default_notebooks_dir())
    executed_dir = Path(build_root).expanduser().resolve() / label / "notebooks"
    chapters = []
    built = False
    for nb in notebooks:
        heading = notes.chapter_key(nb, notebooks)
        executed = executed_dir / nb.name
        if executed.is_file() and not _notebook_failed(executed):
            title, findings = chapter_findings(
                executed, lang, period=label, currency=config.currency
            )
            built = True
        else:
            title, findings = nb.stem, []
        chapters.append((heading, title, findings))
    note = (
        ""
        if built
        else t(
            "commentary.template.unbuilt",
            lang,
            period=label,
            build=str(build_root),
            config=config_label,
        )
    )
    text = notes.notes_template(chapters, period=label, lang=lang, unbuilt_note=note)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, built


# --------------------------------------------------------------------------- building the book

_PROBLEM = re.compile(
    r"(WARNING|ERROR|CRITICAL|SEVERE):|Traceback \(most recent call last\)|Exception occurred"
)


def build_book(
    source: Path, html_out: Path, *, strict: bool = True, log_file: Path | None = None
) -> float:
    """Build the book with Jupyter Book 1.x and swap it in over ``html_out`` on success.

    The book is written to a temporary folder next to ``html_out``; only when
    ``jupyter-book build`` exits 0 and reported no error is the old folder replaced (a rename,
    so a reader never sees half a site). With ``strict`` every Sphinx warning is an error
    (``-W --keep-going``); without it warnings are allowed but errors still fail.

    Parameters
    ----------
    source : Path
        The assembled book source (see ``prepare_book_source``).
    html_out : Path
        ``build/<P>/html``.
    strict : bool
        Treat warnings as errors.
    log_file : Path, optional
        Where the full Jupyter Book output is written.

    Returns
    -------
    float
        Seconds the build took.

    Raises
    ------
    BookFailed
        With the warning and error lines and the log path; ``html_out`` is untouched.

    Examples
    --------
    >>> build_book(Path("build/2025Q4/book-src"), Path("build/2025Q4/html"))  # doctest: +SKIP
    14.2
    """
    started = time.perf_counter()
    html_out = html_out.resolve()
    work = html_out.parent / f".html-build-{os.getpid()}"
    if work.exists():
        shutil.rmtree(work)
    cmd = [
        sys.executable,
        "-c",
        "import sys; from jupyter_book.cli.main import main; sys.exit(main())",
        "build",
        str(source),
        "--path-output",
        str(work),
        "--all",
    ]
    if strict:
        cmd += ["-W", "--keep-going"]
    env = dict(os.environ, PYTHONWARNINGS="ignore", PYDEVD_DISABLE_FILE_VALIDATION="1")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=source, check=False)
    output = proc.stdout + ("\n" + proc.stderr if proc.stderr else "")
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(output, encoding="utf-8")
    problems = [line.strip() for line in output.splitlines() if _PROBLEM.search(line)]
    errors = [p for p in problems if "WARNING:" not in p]
    built = work / "_build" / "html"
    if proc.returncode != 0 or errors or not (built / "index.html").exists():
        shutil.rmtree(work, ignore_errors=True)
        shown = "\n".join(f"  {p[:300]}" for p in problems[:10]) or "\n".join(
            f"  {line}" for line in output.strip().splitlines()[-10:]
        )
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise BookFailed(
            f"The book build failed (exit code {proc.returncode}; {len(problems)} warning/error "
            f"line(s){', warnings count as errors' if strict else ''}):\n{shown}{more}\n"
            f"  the published report was not changed: {html_out}",
            fix=f"See the full log{f' in {log_file}' if log_file else ''}; fix the page or notebook named "
            "above (`custops book` rebuilds without rerunning the notebooks).",
        )
    _swap_in(built, html_out)
    shutil.rmtree(work, ignore_errors=True)
    return time.perf_counter() - started


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames; restore ``target`` if the second rename fails."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old)
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if had_old:
            os.replace(old, target)
        raise
    if had_old:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- archive


def write_archive_index(
    build_root: Path, *, company: str = "", language: str = "en", currency: str = ""
) -> Path:
    """Write ``build/index.html`` listing every published period, newest first.

    A period counts as published when ``build/<P>/html/index.html`` exists. Below the list:
    the headline KPIs of the periods side by side (from each period's ``scorecard.csv``,
    :func:`custops.review.scorecard.kpi_trend`) and the forecast checks.

    Parameters
    ----------
    build_root : Path
    company : str
        Shown in the title.
    language : {"en", "zh"}
    currency : str
        Prefix of money values in the KPI trend.

    Returns
    -------
    Path
        The index file.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> for p in ("2025Q3", "2025Q4"):
    ...     (root / p / "html").mkdir(parents=True)
    ...     _ = (root / p / "html" / "index.html").write_text("x")
    >>> text = write_archive_index(root, company="Acme").read_text()
    >>> text.index("2025Q4/html/index.html") < text.index("2025Q3/html/index.html")
    True
    """
    build_root = Path(build_root)
    periods: list[tuple[Period, Path]] = []
    for child in build_root.iterdir() if build_root.is_dir() else []:
        if not (child / "html" / "index.html").is_file():
            continue
        try:
            periods.append((Period.parse(child.name), child))
        except ConfigError:
            continue
    periods.sort(key=lambda item: (item[0].end, item[0].start), reverse=True)
    title = t("archive.title", language, company=company or "custops")
    rows = []
    for period, folder in periods:
        stamp = datetime.fromtimestamp((folder / "html" / "index.html").stat().st_mtime, UTC)
        href = f"{period.label}/html/index.html"
        rows.append(
            f'<tr><td><a href="{html.escape(href)}">{html.escape(period.label)}</a></td>'
            f"<td>{period.start.isoformat()} – {period.end.isoformat()}</td>"
            f"<td>{stamp:%Y-%m-%d %H:%M}</td>"
            f'<td><a href="{html.escape(href)}">{html.escape(t("archive.open", language))}</a>'
            + "".join(
                f' · <a href="{period.label}/{other.name}/index.html">'
                f"{html.escape(t('book.edition.switch', other.name[5:]))}</a>"
                for other in sorted(folder.glob("html-*"))
                if other.name[5:] in LANGUAGES and (other / "index.html").is_file()
            )
            + "</td></tr>"
        )
    body = (
        "<table><thead><tr>"
        f"<th>{html.escape(t('archive.period', language))}</th><th></th>"
        f"<th>{html.escape(t('archive.built', language))}</th><th></th>"
        "</tr></thead><tbody>" + "\n".join(rows) + "</tbody></table>"
        if rows
        else f"<p>{html.escape(t('archive.none', language))}</p>"
    )
    body += _kpi_trend_html([folder for _, folder in periods], language, currency)
    body += _forecast_history_html(build_root, [folder for _, folder in periods], language)
    page = f"""<!DOCTYPE html>
<html lang="{"zh-CN" if language == "zh" else "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
       max-width: 64rem; margin: 3rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }}
th, td {{ text-align: left; padding: .5rem .75rem; border-bottom: 1px solid #ddd; }}
a {{ color: #0b5cad; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>{html.escape(t("archive.intro", language))}</p>
{body}
</body>
</html>
"""
    target = build_root / "index.html"
    build_root.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target


def _kpi_trend_html(folders: Sequence[Path], language: str, currency: str) -> str:
    """The headline KPIs per published period (oldest first), of the periods with a scorecard."""
    import pandas as pd

    from custops.review import scorecard

    cards = {
        folder.name: pd.read_csv(folder / "artifacts" / SCORECARD)
        for folder in folders
        if (folder / "artifacts" / SCORECARD).is_file()
    }
    if not cards:
        return ""
    table = scorecard.kpi_trend(cards, language, currency).to_html(index=False, border=0)
    return (
        f"\n<h2>{html.escape(t('archive.kpis.title', language))}</h2>\n"
        f"<p>{html.escape(t('archive.kpis.intro', language))}</p>\n{table}"
    )


def _forecast_history_html(build_root: Path, folders: Sequence[Path], language: str) -> str:
    """Accumulate ``build/forecast_checks.csv`` and render the trend table (issue 23).

    The archive's file keeps every row it held; each published period's
    ``artifacts/forecast_checks.csv`` (chapter 05) replaces that period's rows.
    """
    import pandas as pd

    from custops.review import forecast

    target = build_root / FORECAST_CHECKS  # the archive's file: same name, every period
    frames = [pd.read_csv(target)] if target.is_file() else []
    frames += [
        pd.read_csv(f / "artifacts" / FORECAST_CHECKS)
        for f in sorted(folders)
        if (f / "artifacts" / FORECAST_CHECKS).is_file()
    ]
    history = forecast.collect_history(frames)
    if history.empty:
        return ""
    tmp = target.with_suffix(".csv.tmp")
    history.to_csv(tmp, index=False)
    os.replace(tmp, target)
    table = forecast.history_table(history, language).to_html(index=False, border=0)
    return (
        f"\n<h2>{html.escape(t('archive.forecast.title', language))}</h2>\n"
        f"<p>{html.escape(t('archive.forecast.intro', language))}</p>\n{table}"
    )


# --------------------------------------------------------------------------- the run


def _resolve_period(period: str | Period | None, config: ReportConfig) -> Period:
    if period is None:
        if config.period is None:
            raise ConfigError(
                "No period given.",
                fix="Pass --period (e.g. 2025Q4) or set `period:` in the config.",
            )
        period = config.period
    return Period.parse(period)


def _period_end(period: Period) -> date:
    """Last day of the period, also for the last periods of year 9999."""
    try:
        return period.end
    except ValueError:
        return date.max


def _order_dates(config: ReportConfig):
    """The plausible order dates of the orders source and its label, or ``None``.

    Reads the orders and parses their ``order_date`` as cleaning does; dates before
    ``cleaning.min_date`` or in the future (which cleaning rejects) do not count. ``None``
    when the orders cannot be read or hold no date: the run then reports the problem in
    notebook 01, as before.
    """
    from custops.core.errors import CustopsError
    from custops.core.parsing import day_order, parse_dates
    from custops.ingest.sources import map_columns, read_source

    src = config.sources.get("orders")
    if src is None:
        return None
    label = src.path or "orders query"
    try:
        raw = read_source("orders", src, config)
        mapped = map_columns("orders", raw, src, label)
        if "order_date" not in mapped or mapped.empty:
            return None
        dates = parse_dates(
            mapped["order_date"],
            date_format=src.date_format,
            dayfirst=src.dayfirst
            if src.dayfirst is not None
            else day_order(mapped["order_date"]).dayfirst,
            timezone=src.timezone,
        )
    except (CustopsError, OSError, ValueError, TypeError):
        return None
    # the plausible window of the cleaning step (EARLIEST_DATE unless min_date is set)
    floor = config.cleaning.min_date
    low = EARLIEST_DATE if floor is None else datetime.combine(floor, datetime.min.time())
    high = datetime.combine(datetime.now().date(), datetime.min.time()) + timedelta(
        days=config.cleaning.future_tolerance_days + 1
    )
    dates = dates[(dates >= low) & (dates < high)]
    return (dates, Path(label).name) if len(dates) else None


def check_period_has_orders(config: ReportConfig, period: Period) -> None:
    """Stop before any notebook runs when no order falls inside ``period``.

    A period before the first or after the last order (or in a gap of the data) would
    otherwise fail deep inside a chapter (a clustering error after a minute) or publish
    empty pages. When the orders cannot be read, nothing is checked here: notebook 01
    reports that problem with its file and column.

    Raises
    ------
    DataError
        ``invoice_lines.csv, column 'order_date': no orders in 2030Q1; the data cover
        2023-01-04 … 2025-12-31``.

    Examples
    --------
    >>> check_period_has_orders(load_config("data/sample/custops.yaml"),
    ...                         Period.parse("2030Q1"))  # doctest: +SKIP
    Traceback (most recent call last):
    DataError: invoice_lines.csv, column 'order_date': no orders in 2030Q1; ...
    """
    from custops.core.errors import DataError

    found = _order_dates(config)
    if found is None:
        return
    dates, label = found
    start = datetime.combine(period.start, datetime.min.time())
    end = _period_end(period)
    inside = dates >= start
    if end < date.max:
        inside &= dates < datetime.combine(end, datetime.min.time()) + timedelta(days=1)
    if inside.any():
        return
    first, last = dates.min().date(), dates.max().date()
    suggestion = Period("quarter", last.year, (last.month - 1) // 3 + 1).label
    raise DataError(
        label,
        "order_date",
        f"no orders in {period.label}; the data cover {first.isoformat()} … {last.isoformat()}",
        fix=f"Pass a period inside that range with --period (e.g. {suggestion}), or point "
        "`sources.orders` at the export that covers it.",
    )


#: written into every edition's folder: its language and the editions it links to
EDITION_FILE = ".custops-edition.json"


def _editions(pdir: Path, primary: str, language: str, also: Sequence[str] = ()) -> dict[str, str]:
    """The other editions a page links to: language -> folder, for those built (or to be)."""
    out = {}
    for other in LANGUAGES:
        if other == language:
            continue
        folder = edition_folder(other, primary)
        if other in also or (pdir / folder / "index.html").is_file():
            out[other] = folder
    return out


def _needs_link(pdir: Path, primary: str, edition: str, to: str) -> bool:
    """Whether the built ``edition`` lacks its link to the edition in ``to`` (and can be rebuilt)."""
    folder = pdir / edition_folder(edition, primary)
    executed = pdir / edition_folder(edition, primary, "notebooks")
    if not (folder / "index.html").is_file() or not executed.is_dir():
        return False
    try:
        links = json.loads((folder / EDITION_FILE).read_text(encoding="utf-8")).get("links", [])
    except (OSError, ValueError):
        links = []
    return to not in links


def publish(
    *,
    config: ReportConfig,
    period: Period,
    build_root: Path,
    notebooks: Sequence[Path],
    template: Path | None = None,
    language: str | None = None,
    strict: bool = True,
    durations: dict[str, float] | None = None,
    log: Progress = print,
    artifacts: Path | None = None,
    failures: Sequence[str] = (),
    executed_dir: Path | None = None,
    also_editions: Sequence[str] = (),
    relink: bool = True,
) -> float:
    """Build the book of one period from the executed notebooks present, and the archive index.

    The edition in ``language`` goes to ``build/<P>/html`` when it is the config's language,
    else to ``build/<P>/html-<lang>`` (``edition_folder``); its pages link to the other
    edition when that has been built (or is in ``also_editions``). An edition built earlier
    without the link to this one is rebuilt from its executed notebooks (``relink``).

    Every notebook of ``notebooks`` that has an executed copy in ``build/<P>/notebooks/``
    becomes a chapter; the others are named on the landing page as not part of the edition.

    Parameters
    ----------
    artifacts : Path, optional
        Where the ledger for the methods page is read (default ``build/<P>/artifacts``;
        ``run`` passes its staged copy).
    executed_dir : Path, optional
        Where the executed notebooks are read (default ``build/<P>/notebooks``; ``run``
        passes its staged copy).

    Returns
    -------
    float
        Seconds the book build took.

    Raises
    ------
    PipelineError
        When no notebook has been executed for the period, or one notebook's last run failed.
    BookFailed
        When Jupyter Book fails.

    Examples
    --------
    >>> publish(config=load_config("data/sample/custops.yaml"), period=Period.parse("2025Q4"),
    ...         build_root=Path("build").resolve(),
    ...         notebooks=discover_notebooks("notebooks"))  # doctest: +SKIP
    """
    language = language or config.language
    pdir = build_root / period.label
    executed_dir = executed_dir or pdir / edition_folder(language, config.language, "notebooks")
    html_out = pdir / edition_folder(language, config.language)
    executed = [executed_dir / nb.name for nb in notebooks if (executed_dir / nb.name).exists()]
    missing = [
        nb.stem
        for nb in notebooks
        if not (executed_dir / nb.name).exists()
        and not any(f.startswith(f"{nb.stem},") for f in failures)  # named in the banner
    ]
    if not executed:
        raise PipelineError(
            f"No executed notebook for {period.label} in {executed_dir}.",
            fix=f"Run `custops run --period {period.label}` first.",
        )
    broken = [p.name for p in executed if _notebook_failed(p)]
    if broken:
        raise PipelineError(
            f"The executed copy of {', '.join(broken)} for {period.label} is incomplete.",
            fix=f"Rerun it: custops run --period {period.label} --only {broken[0][:2]}",
        )
    if missing:
        log(f"not part of this edition (never run for {period.label}): {', '.join(missing)}")
    commentary = notes.read_commentary(config, period, notebooks, select_notebook)
    if commentary:
        log(
            f"team commentary for {', '.join(commentary)} from {notes.commentary_path(config, period)}"
        )
    source = pdir / ("book-src" if language == config.language else f"book-src-{language}")
    editions = _editions(pdir, config.language, language, also=also_editions)
    prepare_book_source(
        template=template or default_book_template(),
        source=source,
        config=config,
        period=period,
        language=language,
        executed=executed,
        missing=missing,
        artifacts=artifacts or artifacts_dir(build_root, period),
        durations=durations,
        commentary=commentary,
        failures=failures,
        editions=editions,
    )
    log(f"building the book ({len(executed)} chapter(s), {language} edition) ...")
    log_name = "book-build.log" if language == config.language else f"book-build-{language}.log"
    seconds = build_book(source, html_out, strict=strict, log_file=pdir / "logs" / log_name)
    (html_out / EDITION_FILE).write_text(
        json.dumps({"language": language, "links": sorted(editions)}), encoding="utf-8"
    )
    if relink:  # an edition built before this one gets its link to this one
        for other in LANGUAGES:
            if other == language or not _needs_link(pdir, config.language, other, language):
                continue
            log(f"adding the link to the {language} edition to the {other} edition ...")
            seconds += publish(
                config=config,
                period=period,
                build_root=build_root,
                notebooks=notebooks,
                template=template,
                language=other,
                strict=strict,
                log=log,
                artifacts=artifacts,
                failures=(),
                relink=False,
            )
    write_archive_index(
        build_root, company=config.company, language=config.language, currency=config.currency
    )
    return seconds


def run(
    config_path: str | Path,
    period: str | Period | None = None,
    *,
    out: str | Path = "build",
    only: str | None = None,
    notebooks_dir: str | Path | None = None,
    template: str | Path | None = None,
    language: str | None = None,
    strict: bool = True,
    progress: bool = True,
    book: bool = True,
    timeout: float | None = None,
    log: Progress = print,
    keep_going: bool = False,
    wait: float | None = None,
    check_period: bool = True,
) -> RunResult:
    """Execute the notebooks of one period and publish its book.

    Parameters
    ----------
    config_path : str or Path
        The ``custops.yaml``.
    period : str or Period, optional
        Defaults to ``period`` in the config.
    out : str or Path
        The build root; the report lands in ``<out>/<P>/html/index.html``.
    only : str, optional
        Rerun this notebook only (``"02"``, ``"segmentation"``); the book is rebuilt from the
        other notebooks' executed copies.
    notebooks_dir, template : str or Path, optional
        Default to ``./notebooks`` and ``./book`` (else the folders next to the package).
    language : {"en", "zh"}, optional
        Overrides ``language`` of the config.
    strict : bool
        Sphinx warnings fail the book build.
    progress : bool
        Show papermill's cell progress bar.
    book : bool
        Build the book after the notebooks (``False``: notebooks only).
    timeout : float, optional
        Seconds one cell may run.
    log : callable
        Receives progress lines.
    keep_going : bool
        A failing notebook does not stop the run: the book is published from the chapters
        that succeeded, with a banner naming each failed chapter, its cell and error
        (``RunResult.failed``). Without it a failure leaves the published report and its
        artifacts as they were; the artifacts the run had written are kept in
        ``build/<P>/failed/artifacts`` (nothing is lost).
    wait : float, optional
        When another run is writing the same ``<out>/<P>``: ``None``/``0`` stop at once
        (``FolderBusy``), a number of seconds to wait for it, a negative number wait as long
        as it takes.
    check_period : bool
        Before any notebook runs, check that the orders have a date inside the period
        (``check_period_has_orders``; skipped with ``only``).

    Returns
    -------
    RunResult

    Raises
    ------
    ConfigError
        Bad config, period or ``only``; ``out`` cannot be written.
    DataError
        No order falls in the period.
    FolderBusy
        Another run holds the lock of ``<out>/<P>``.
    NotebookFailed
        A notebook raised (without ``keep_going``); the published HTML is unchanged.
    BookFailed
        The book build failed; the published HTML is unchanged.

    Examples
    --------
    >>> result = run("data/sample/custops.yaml", "2025Q4", out="build")  # doctest: +SKIP
    >>> result.index_html  # doctest: +SKIP
    PosixPath('/work/main/build/2025Q4/html/index.html')
    """
    started = time.perf_counter()
    config_file = Path(config_path).expanduser().resolve()
    config = load_config(config_file)
    the_period = _resolve_period(period, config)
    all_notebooks = discover_notebooks(notebooks_dir or default_notebooks_dir())
    chosen = [select_notebook(all_notebooks, only)] if only else list(all_notebooks)
    if book:  # a heading that names no chapter fails now, before anything is written
        notes.read_commentary(config, the_period, all_notebooks, select_notebook)
    build_root = check_output_root(out)
    first = all_notebooks.index(chosen[0]) + 1
    if check_period and not only:
        check_period_has_orders(config, the_period)
    pdir = build_root / the_period.label
    with RunLock(pdir, wait=wait, command="custops run", log=log), _cleaning_stale(pdir, log):
        result = _run_locked(
            _RunPlan(
                chosen=chosen,
                all_notebooks=all_notebooks,
                first=first,
                only=only,
                config=config,
                config_file=config_file,
                the_period=the_period,
                build_root=build_root,
                template=template,
                language=language,
                strict=strict,
                progress=progress,
                book=book,
                timeout=timeout,
                log=log,
                keep_going=keep_going,
            )
        )
        result.total_seconds = time.perf_counter() - started
        result.index_html = (
            pdir / edition_folder(language or config.language, config.language) / "index.html"
        )
        result.archive_html = build_root / "index.html"
        if book and result.index_html.is_file():  # again, now this run's artifacts are published
            write_archive_index(
                build_root,
                company=config.company,
                language=language or config.language,
                currency=config.currency,
            )
        _write_manifest(result, config_file, language or config.language)
    return result


@contextlib.contextmanager
def _cleaning_stale(pdir: Path, log: Callable[[str], None]) -> Iterator[None]:
    """Remove stale staging folders before the run and again after it (inside the lock).

    A killed run's kernel lives in its own session and outlives the run by up to a second
    (ipykernel's parent poller), so it can re-create its staging folder after the next run
    removed it; the second pass takes that away.
    """
    clean_stale(pdir, log=log)
    try:
        yield
    finally:
        clean_stale(pdir, log=log, include_own=False)


@dataclass(frozen=True)
class _RunPlan:
    """What one ``custops run`` executes and publishes (resolved by :func:`run`)."""

    chosen: list[Path]
    all_notebooks: list[Path]
    first: int
    only: str | None
    config: ReportConfig
    config_file: Path
    the_period: Period
    build_root: Path
    template: str | Path | None
    language: str | None
    strict: bool
    progress: bool
    book: bool
    timeout: float | None
    log: Progress
    keep_going: bool = False


def _run_locked(plan: _RunPlan) -> RunResult:
    """The run, holding the folder's lock: stage, execute, publish, swap in."""
    build_root, the_period = plan.build_root, plan.the_period
    pdir = build_root / the_period.label
    live_artifacts = artifacts_dir(build_root, the_period)
    edition = plan.language or plan.config.language
    live_notebooks = pdir / edition_folder(edition, plan.config.language, "notebooks")
    stage_root, staged = _stage_artifacts(live_artifacts, the_period)
    staged_notebooks = _stage_notebooks(live_notebooks, stage_root, keep=bool(plan.only))
    redirect_before = os.environ.get(STAGE_ENV)
    language_before = os.environ.get(LANGUAGE_ENV)
    os.environ[STAGE_ENV] = f"{live_artifacts}{os.pathsep}{staged}"  # read by the kernels
    os.environ[LANGUAGE_ENV] = edition  # the notebooks write this edition's language
    try:
        result = _run_staged(
            plan, stage_root=stage_root, staged=staged, staged_notebooks=staged_notebooks
        )
        # the book is in place; the notebooks and artifacts it was built from follow at once
        _swap_in(staged_notebooks, live_notebooks)
        _swap_in(staged, live_artifacts)
    except NotebookFailed:
        # the published report keeps its artifacts; the ones this run wrote are kept aside
        kept = build_root / the_period.label / "failed" / "artifacts"
        shutil.rmtree(kept, ignore_errors=True)
        with contextlib.suppress(OSError):
            shutil.copytree(staged, kept, ignore=shutil.ignore_patterns(".*.tmp"))
        raise
    finally:
        if redirect_before is None:
            os.environ.pop(STAGE_ENV, None)
        else:
            os.environ[STAGE_ENV] = redirect_before
        if language_before is None:
            os.environ.pop(LANGUAGE_ENV, None)
        else:
            os.environ[LANGUAGE_ENV] = language_before
        shutil.rmtree(stage_root, ignore_errors=True)
    for nb_run in result.notebooks:
        nb_run.output = live_notebooks / nb_run.output.name
    return result


def _stage_artifacts(live: Path, period: Period) -> tuple[Path, Path]:
    """Copy the period's artifacts into ``build/<P>/.stage-<pid>/<P>/artifacts`` for the notebooks.

    During the run ``custops.ingest.artifacts.artifacts_dir`` sends the notebooks there (through the
    ``CUSTOPS_ARTIFACTS_STAGE`` environment variable the kernels inherit; their ``build_dir``
    parameter is unchanged), not into ``build/<P>/artifacts``: the artifacts the published
    book was built from stay as they are until the whole run succeeded (a failed or killed
    run leaves them intact; the next run removes the leftover stage, see
    ``custops.run.guard.clean_stale``).
    """
    stage_root = live.parent / f".stage-{os.getpid()}"
    shutil.rmtree(stage_root, ignore_errors=True)
    staged = artifacts_dir(stage_root, period)
    shutil.rmtree(staged)
    shutil.copytree(live, staged, ignore=shutil.ignore_patterns(".*.tmp"))
    return stage_root, staged


def _stage_notebooks(live: Path, stage_root: Path, *, keep: bool) -> Path:
    """The staging folder of the executed notebooks (``.stage-<pid>/notebooks``).

    With ``keep`` (``--only``) it starts as a copy of ``build/<P>/notebooks`` (the book is
    built from the other notebooks' executed copies); otherwise empty. It replaces
    ``build/<P>/notebooks`` only when the whole run succeeded, so ``custops book`` after a
    killed run sees the notebooks that belong to the published artifacts, never a mix.
    """
    staged = stage_root / "notebooks"
    if keep and live.is_dir():
        shutil.copytree(live, staged, ignore=shutil.ignore_patterns(".*"))
    else:
        staged.mkdir(parents=True, exist_ok=True)
    return staged


def _run_staged(
    plan: _RunPlan, *, stage_root: Path, staged: Path, staged_notebooks: Path
) -> RunResult:
    chosen, all_notebooks, only, the_period = (
        plan.chosen,
        plan.all_notebooks,
        plan.only,
        plan.the_period,
    )
    runs = execute_notebooks(
        chosen,
        period=the_period.label,
        config_path=plan.config_file,
        build_root=plan.build_root,
        progress=plan.progress,
        log=plan.log,
        total=len(all_notebooks) if only else len(chosen),
        first_index=plan.first if only else 1,
        timeout=plan.timeout,
        keep_going=plan.keep_going,
        available=available_tables(plan.config),
        out_dir=staged_notebooks,
    )
    result = RunResult(period=the_period.label, notebooks=runs)
    if only:
        for nb in all_notebooks:
            if nb not in chosen and (staged_notebooks / nb.name).exists():
                result.notebooks.append(
                    NotebookRun(nb.name, 0.0, "kept", staged_notebooks / nb.name)
                )
        result.notebooks.sort(key=lambda r: r.name)
    present = [staged_notebooks / nb.name for nb in all_notebooks]
    result.stale = stale_chapters([p for p in present if p.exists()])
    for name, reruns in result.stale.items():
        plan.log(
            f"stale: {name} was computed before {', '.join(r['chapter'] for r in reruns)} "
            f"was re-run; run without --only to refresh it"
        )
    if plan.book:
        result.book_seconds = publish(
            config=plan.config,
            period=the_period,
            build_root=plan.build_root,
            notebooks=all_notebooks,
            template=Path(plan.template) if plan.template else None,
            language=plan.language,
            strict=plan.strict,
            durations={r.name: r.seconds for r in runs},
            log=plan.log,
            artifacts=staged,
            failures=[r.error for r in runs if r.status == "failed"],
            executed_dir=staged_notebooks,
        )
    return result


def _write_manifest(result: RunResult, config_file: Path, language: str) -> None:
    manifest = asdict(result)
    manifest.update(
        config=str(config_file), language=language, finished=datetime.now(UTC).isoformat()
    )
    target = result.index_html.parent.parent / "run.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
