"""The ``custops`` command: demo data, validation, the quarterly run, the book and its PDF.

Exit status: 0 success; 1 a notebook or the book build failed; 2 a problem with the
configuration, the input data or the output folder (printed without a traceback, with the
likely cause and the fix); 3 another run is writing the same output folder; 130 interrupted.

Examples
--------
>>> main(["--version"])  # doctest: +SKIP
custops 0.1.0
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from custops import __version__
from custops.core.config import Period
from custops.core.errors import ConfigError, CustopsError, PipelineError

__all__ = ["build_parser", "main"]

EPILOG = """\
examples:
  custops demo-data --out data/sample
  custops validate --config data/sample/custops.yaml --period 2025Q4
  custops run --config data/sample/custops.yaml --period 2025Q4
  custops run --config data/sample/custops.yaml --period 2025Q4 --only 02
  custops book --period 2025Q4
  custops notes --config data/sample/custops.yaml --period 2025Q4
  custops pdf --period 2025Q4 --language zh

exit status: 0 ok, 1 a notebook or the book failed, 2 configuration or data error,
  3 another run is writing the same BUILD/P folder (see --wait).
"""

#: what ``custops demo-data`` writes (``custops.demo.synth.write_demo_data``); a folder holding
#: anything else is not overwritten
DEMO_FILES = frozenset(
    {
        "crm_customers.csv",
        "invoice_lines.csv",
        "service_tickets.xlsx",
        "nps_survey.csv",
        "marketing_touches.parquet",
        "truth.json",
        "actions.yaml",
        "custops.yaml",
    }
)
_HARMLESS = frozenset({"README.md", ".gitignore", ".DS_Store"})


def _console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:  # piped or in CI: do not squeeze tables into 80 columns
        console = Console(stderr=stderr, highlight=False, soft_wrap=True, width=160)
    return console


# --------------------------------------------------------------------------- commands


def _check_demo_folder(out: str) -> None:
    """Refuse to write the demo into a file, or into a folder holding files that are not demo files."""
    folder = Path(out).expanduser().absolute()
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise ConfigError(
            f"Cannot write the demo data to --out {folder}: {blocker} is a file, not a folder.",
            fix="Pass a new or empty folder, e.g. --out data/sample.",
        )
    if not folder.is_dir():
        return
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in DEMO_FILES | _HARMLESS)
    if foreign:
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        raise ConfigError(
            f"Not writing the demo data into {folder}: it holds {len(foreign)} file(s) that are "
            f"not demo files ({shown}), and the demo would overwrite its custops.yaml and exports.",
            fix="Pass a new or empty folder (e.g. --out data/sample), or one that holds only an "
            "earlier demo.",
        )


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from custops.demo.synth import write_demo_data

    _check_demo_folder(args.out)
    try:
        path = write_demo_data(
            args.out, n_customers=args.customers, seed=args.seed, outreach=args.outreach
        )
    except OSError as exc:
        raise ConfigError(
            f"Cannot write the demo data to --out {args.out}: "
            f"{(exc.strerror or type(exc).__name__).lower()}.",
            fix="Pass a folder you can write to.",
        ) from None
    out = _console()
    out.print(f"demo data written; config: [bold]{path}[/bold]")
    out.print(f"next: custops validate --config {path}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from custops.core.config import Period, load_config
    from custops.ingest.cleaning import load_and_clean

    config = load_config(args.config)
    label = args.period or config.period
    period = Period.parse(label) if label else None
    result = load_and_clean(config, period)
    _print_frame(result.ledger, title=f"Row ledger — {args.config}")
    summary = result.summary()
    summary["balanced"] = summary["balanced"].map({True: "yes", False: "NO"})
    _print_frame(summary, title="Rows in = kept + merged + rejected")
    _print_coverage(result, period)
    for note in result.notes:
        _console().print(f"note: {note}")
    rejects = getattr(result, "rejects", None)
    if rejects is not None and len(rejects):
        _console().print(f"{len(rejects):,} row(s) set aside; reasons are in the rejects table.")
    _print_large_removals(result)
    if period is not None and "orders" in result.tables:
        _check_orders_in_period(result, period, config)
    return 0


def _check_orders_in_period(result, period, config) -> None:
    """``validate --period P``: a period without any clean order is not usable (exit 2)."""
    from custops.core.errors import DataError

    cover = result.coverage(period).set_index("table")
    if "orders" not in cover.index or cover.loc["orders", "in_period"]:
        return
    first, last = cover.loc["orders", "first"], cover.loc["orders", "last"]
    suggestion = f"{last.year}Q{(last.month - 1) // 3 + 1}"
    raise DataError(
        config.sources["orders"].path or "orders query",
        "order_date",
        f"no orders in {period.label}; the data cover {first.date().isoformat()} … "
        f"{last.date().isoformat()}",
        fix=f"Pass a period inside that range with --period (e.g. {suggestion}).",
    )


def _print_coverage(result, period) -> None:
    """The date range of every clean table and, with a period, the period's own rows."""
    import pandas as pd

    cover = result.coverage(period)
    if cover.empty:
        return
    shown = cover.copy()
    for column in ("first", "last"):
        stamps = pd.to_datetime(shown[column])
        midnight = (stamps.dropna() == stamps.dropna().dt.normalize()).all()
        shown[column] = stamps.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M").fillna("")
    if period is None:
        shown = shown.drop(columns=["in_period", "period_days_covered"])
        title = "Dates each clean table covers"
    else:
        shown["in_period"] = shown["in_period"].map(lambda v: f"{int(v):,}")
        shown["period_days_covered"] = shown["period_days_covered"].map(
            lambda v: "" if v is None or v != v else f"{int(v)} of {period.days}"
        )
        shown = shown.rename(
            columns={
                "in_period": f"rows in {period.label}",
                "period_days_covered": f"days of {period.label} with data",
            }
        )
        title = f"Dates each clean table covers, and its rows in {period.label}"
    _print_frame(shown, title=title)


def _print_large_removals(result) -> None:
    """Every rule that removed more than 5 % of a table, with the config key to change."""
    from rich.markup import escape

    large = result.large_removals()
    if large.empty:
        return
    out = _console()
    for row in large.itertuples():
        text = (
            f"{row.table}: the rule '{row.rule}' removed {row.removed:,} of {row.rows_in:,} "
            f"rows ({row.share:.1%})"
            + (f" — {row.note}" if row.note else "")
            + (f"; controlled by {row.knob}" if row.knob else "")
        )
        out.print(f"[bold yellow]WARNING[/bold yellow] {escape(text)}", markup=True)


def _print_frame(frame, title: str) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        numeric = str(frame[column].dtype).startswith(("int", "float", "Int", "Float"))
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:,}" if isinstance(v, int) else str(v) for v in row))
    _console().print(table)


def _run_options(args: argparse.Namespace) -> dict:
    return {
        "notebooks_dir": args.notebooks,
        "template": args.book_template,
        "language": args.language,
        "strict": not args.allow_warnings,
    }


def _cmd_run(args: argparse.Namespace) -> int:
    from custops.report.text import t
    from custops.run.pipeline import run

    err = _console(stderr=True)
    progress = not args.no_progress and sys.stderr.isatty()
    result = run(
        args.config,
        args.period,
        out=args.out,
        only=args.only,
        progress=progress,
        book=not args.no_book,
        timeout=args.timeout,
        log=lambda line: err.print(line, markup=False),
        keep_going=args.keep_going,
        wait=args.wait,
        **_run_options(args),
    )
    _print_summary(result, t, args.language or _language_of(args.config))
    if result.failed:  # --keep-going: published without them, but the run did not succeed
        for nb in result.failed:
            err.print(f"failed: {nb.error}", markup=False)
            err.print(f"  partly executed notebook: {nb.output}", markup=False)
        return 1
    return 0


def _language_of(config_path: str) -> str:
    from custops.core.config import load_config

    try:
        return load_config(config_path).language
    except CustopsError:
        return "en"


def _print_summary(result, t, lang: str) -> None:
    from rich.table import Table

    out = _console()
    table = Table(title=f"custops run {result.period}")
    table.add_column(t("run.summary.notebook", lang))
    table.add_column(t("run.summary.seconds", lang), justify="right")
    table.add_column(t("run.summary.status", lang))
    for nb in result.notebooks:
        seconds = f"{nb.seconds:.1f}" if nb.status == "ok" else "—"
        status = nb.status + (f" ({nb.stderr_cells} stderr)" if nb.stderr_cells else "")
        if nb.name.removesuffix(".ipynb") in getattr(result, "stale", {}):
            status += ", " + t("run.summary.stale", lang)
        table.add_row(nb.name, seconds, status)
    if result.book_seconds:
        table.add_row(t("run.summary.book", lang), f"{result.book_seconds:.1f}", "ok")
    table.add_row(t("run.summary.total", lang), f"{result.total_seconds:.1f}", "", style="bold")
    out.print(table)
    if result.book_seconds:
        out.print(t("run.summary.open", lang, path=result.index_html.as_uri()))
        out.print(f"archive: {result.archive_html.as_uri()}")


def _earlier_run(args: argparse.Namespace, fix: str) -> tuple[Path, Period, str]:
    """``--out``, ``--period`` and ``--config`` (else the config of the period's last run)."""
    build_root = Path(args.out).expanduser().resolve()
    period = Period.parse(args.period)
    config_path = args.config
    if config_path is None:
        manifest = build_root / period.label / "run.json"
        if not manifest.exists():
            raise CustopsError(
                f"No earlier run of {period.label} in {build_root}, so the config is unknown.",
                fix=fix,
            )
        config_path = json.loads(manifest.read_text(encoding="utf-8"))["config"]
    return build_root, period, config_path


def _cmd_book(args: argparse.Namespace) -> int:
    from custops.core.config import load_config
    from custops.report.text import t
    from custops.run.guard import RunLock, check_output_root, clean_stale
    from custops.run.pipeline import (
        default_notebooks_dir,
        discover_notebooks,
        edition_folder,
        publish,
    )

    build_root, period, config_path = _earlier_run(
        args, "Pass --config FILE, or run `custops run` first."
    )
    config = load_config(config_path)
    options = _run_options(args)
    err = _console(stderr=True)
    notebooks = discover_notebooks(options["notebooks_dir"] or default_notebooks_dir())
    build_root = check_output_root(build_root)

    def log(line: str) -> None:
        err.print(line, markup=False)

    with RunLock(build_root / period.label, wait=args.wait, command="custops book", log=log):
        clean_stale(build_root / period.label, log=log)
        seconds = publish(
            config=config,
            period=period,
            build_root=build_root,
            notebooks=notebooks,
            template=Path(options["template"]) if options["template"] else None,
            language=options["language"],
            strict=options["strict"],
            log=log,
        )
    lang = options["language"] or config.language
    out = _console()
    out.print(f"{t('run.summary.book', lang)}: {seconds:.1f} s")
    out.print(
        t(
            "run.summary.open",
            lang,
            path=(
                build_root / period.label / edition_folder(lang, config.language) / "index.html"
            ).as_uri(),
        )
    )
    return 0


def _cmd_notes(args: argparse.Namespace) -> int:
    from custops.core.config import load_config
    from custops.run.pipeline import write_notes

    build_root, period, config_path = _earlier_run(args, "Pass --config FILE.")
    config = load_config(config_path)
    path, built = write_notes(
        config,
        period,
        build_root=build_root,
        notebooks_dir=args.notebooks,
        config_label=str(config_path),
        force=args.force,
    )
    out = _console()
    out.print(f"commentary template written: [bold]{path}[/bold]", markup=True)
    if built:
        out.print("each chapter's key findings are quoted under its heading as prompts (comments)")
    else:
        out.print(
            f"{period.label} has not been built in {build_root}: headings only. "
            f"Run `custops run --config {config_path} --period {period.label}` and then "
            "`custops notes ... --force` for the key findings as prompts."
        )
    out.print(
        "write under each heading; the text appears at the top of that chapter and on the "
        f"landing page at the next `custops run` or `custops book --period {period.label}`"
    )
    return 0


def _cmd_pdf(args: argparse.Namespace) -> int:
    from custops.run.pdf import print_pdf

    err = _console(stderr=True)
    result = print_pdf(
        args.out,
        args.period,
        language=args.language,
        pdf=args.pdf,
        chromium=args.chromium,
        log=lambda line: err.print(line, markup=False),
    )
    out = _console()
    out.print(f"PDF written: [bold]{result.path}[/bold]", markup=True)
    out.print(
        f"{result.pdf_pages} page(s), {result.size / 1024:,.0f} KB: the landing page and "
        f"{len(result.pages) - 1} chapter(s) of the {result.language} edition, A4",
        markup=False,
    )
    return 0


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``custops`` (one sub-command per task).

    Examples
    --------
    >>> args = build_parser().parse_args(["run", "--config", "c.yaml", "--period", "2025Q4"])
    >>> args.command, args.out, args.only
    ('run', 'build', None)
    """
    parser = argparse.ArgumentParser(
        prog="custops",
        description="Customer-operations quarterly review: demo data, validation, the "
        "papermill run of the notebooks and the Jupyter Book report.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"custops {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser(
        "demo-data",
        help="write a demo company's source files, custops.yaml and truth.json",
        description="Write the demo company's source exports, a ready custops.yaml and "
        "truth.json (the planted effects the report should find).",
    )
    demo.add_argument("--out", required=True, help="folder to write into, e.g. data/sample")
    demo.add_argument(
        "--customers", type=int, default=5000, help="number of customers (default 5000)"
    )
    demo.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    demo.add_argument(
        "--outreach",
        action="store_true",
        help="plant a retention outreach of 2025Q3's priority list with a control group "
        "(truth.json 'outreach'); build 2025Q3 then 2025Q4 to see it measured in chapter 05",
    )
    demo.set_defaults(func=_cmd_demo_data)

    validate = sub.add_parser(
        "validate",
        help="read, map and clean the sources; print the row ledger",
        description="Read every source of the config, map its columns, clean it and print "
        "the row ledger (rows in = kept + rejected). Exit 2 with the file, column and example "
        "rows when the data cannot be used.",
    )
    validate.add_argument("--config", required=True, help="the custops.yaml")
    validate.add_argument("--period", help="reporting period, e.g. 2025Q4 (default: the config's)")
    validate.set_defaults(func=_cmd_validate)

    def book_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="build", help="build root (default: build)")
        p.add_argument("--notebooks", help="notebooks folder (default: ./notebooks)")
        p.add_argument("--book-template", help="book template folder (default: ./book)")
        p.add_argument("--language", choices=["en", "zh"], help="override the config's language")
        p.add_argument(
            "--allow-warnings",
            action="store_true",
            help="publish even if Sphinx reports warnings (errors still fail the build)",
        )
        p.add_argument(
            "--wait",
            nargs="?",
            type=float,
            const=-1.0,
            default=None,
            metavar="SECONDS",
            help="when another run is writing BUILD/P, wait for it to finish (up to SECONDS, "
            "default: as long as it takes) instead of stopping at once with exit status 3",
        )

    run = sub.add_parser(
        "run",
        help="execute the notebooks with papermill and publish the book",
        description="Execute notebooks/NN_*.ipynb in order for one period (into "
        "BUILD/P/notebooks/), then build the Jupyter Book into BUILD/P/html/. The published "
        "report is replaced only when everything succeeded; a failing notebook is named with "
        "its cell and error, and its partly executed copy is kept in BUILD/P/failed/. "
        "One run at a time writes BUILD/P: a second one stops at once with 'another run is "
        "writing BUILD/P (pid N)' and exit status 3, or queues behind the first with --wait. "
        "A period without any order stops before any notebook runs (exit status 2).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  custops run --config data/sample/custops.yaml --period 2025Q4\n"
        "  custops run --config data/sample/custops.yaml --period 2025Q4 --only segmentation\n",
    )
    run.add_argument("--config", required=True, help="the custops.yaml")
    run.add_argument("--period", help="reporting period, e.g. 2025Q4 (default: the config's)")
    run.add_argument(
        "--only",
        metavar="NAME",
        help="rerun one notebook (number or name: 02, segmentation) and rebuild the book "
        "from the others' executed copies",
    )
    run.add_argument("--no-book", action="store_true", help="execute the notebooks only")
    run.add_argument(
        "--keep-going",
        action="store_true",
        help="a failing notebook does not stop the run: the book is published from the "
        "chapters that succeeded, with a banner naming the failed chapter, cell and error "
        "(exit status 1)",
    )
    run.add_argument("--no-progress", action="store_true", help="no cell progress bar")
    run.add_argument(
        "--timeout", type=float, help="seconds a single cell may run (default: no limit)"
    )
    book_options(run)
    run.set_defaults(func=_cmd_run)

    book = sub.add_parser(
        "book",
        help="rebuild the book of a period from its executed notebooks",
        description="Rebuild BUILD/P/html/ from BUILD/P/notebooks/ without running any "
        "notebook (e.g. after editing the book template). The config defaults to the one of "
        "the period's last run.",
    )
    book.add_argument("--period", required=True, help="reporting period, e.g. 2025Q4")
    book.add_argument("--config", help="the custops.yaml (default: the one of the last run)")
    book_options(book)
    book.set_defaults(func=_cmd_book)

    notes = sub.add_parser(
        "notes",
        help="write the team's commentary template of a period (one heading per chapter)",
        description="Write the period's commentary file (the `commentary` path of the config, "
        "default notes/{period}.md next to it): one `## <chapter>` heading per chapter, with "
        "the chapter's key findings as prompts when the period has been built. What the team "
        "writes under a heading appears, marked as the team's commentary, at the top of that "
        "chapter and on the landing page.",
    )
    notes.add_argument("--period", required=True, help="reporting period, e.g. 2025Q4")
    notes.add_argument("--config", help="the custops.yaml (default: the one of the last run)")
    notes.add_argument("--out", default="build", help="build root (default: build)")
    notes.add_argument("--notebooks", help="notebooks folder (default: ./notebooks)")
    notes.add_argument("--force", action="store_true", help="replace an existing file")
    notes.set_defaults(func=_cmd_notes)

    pdf = sub.add_parser(
        "pdf",
        help="print the landing page and the chapters of a built period into one PDF",
        description="Print the landing page and the chapters of BUILD/P/html (or html-zh with "
        "--language zh), in the book's order, into one A4 PDF for circulation: backgrounds "
        "printed, code and navigation hidden, one bookmark per heading. It is printed by the "
        "headless Chromium the browser check uses (/usr/bin/chromium; `make browser-deps` "
        "installs it) from the local files only: nothing outside file:// and 127.0.0.1 is "
        "requested. Exit status 2 when Chromium is missing or the period has not been built.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  custops pdf --period 2025Q4\n"
        "  custops pdf --period 2025Q4 --language zh --pdf review-2025Q4-zh.pdf\n",
    )
    pdf.add_argument("--period", required=True, help="reporting period, e.g. 2025Q4")
    pdf.add_argument("--out", default="build", help="build root (default: build)")
    pdf.add_argument(
        "--language",
        choices=["en", "zh"],
        help="the edition to print (default: the config's language, BUILD/P/html)",
    )
    pdf.add_argument(
        "--pdf", metavar="FILE", help="where to write (default: BUILD/P/custops-P-LANG.pdf)"
    )
    pdf.add_argument(
        "--chromium",
        metavar="PATH",
        help="the Chromium or Chrome binary (default: /usr/bin/chromium); never downloaded",
    )
    pdf.set_defaults(func=_cmd_pdf)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``custops`` command line and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 ok, 1 a notebook or the book failed, 2 configuration or data error, 3 another run
        is writing the same output folder, 130 interrupted.

    Examples
    --------
    >>> main(["run", "--config", "missing.yaml", "--period", "2025Q4"])  # doctest: +SKIP
    error: The configuration file .../missing.yaml does not exist.
    2
    """
    from rich.markup import escape

    args = build_parser().parse_args(argv)
    err = _console(stderr=True)
    try:
        return args.func(args)
    except PipelineError as exc:
        err.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        return getattr(exc, "exit_code", 1)
    except CustopsError as exc:
        err.print(f"[bold red]error:[/bold red] {escape(str(exc))}")
        return 2
    except OSError as exc:  # a file system refusal not foreseen above: a sentence, no traceback
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        err.print(
            f"[bold red]error:[/bold red] {escape((exc.strerror or str(exc)) + where)}\n"
            "  fix: Check that the paths given exist and can be read and written."
        )
        return 2
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
