"""What every notebook needs at the top, and the display helpers that keep cells short.

Typical first cells of a notebook::

    from custops.report import notebook as nb
    ctx = nb.start(config, period, build_dir)     # config, period, artifacts folder, theme

Then narrative Markdown cells and one-line calls into ``custops``; headline numbers are
``nb.glue``-d so the book's landing page quotes the same value.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from custops.core.config import Period, ReportConfig, load_config
from custops.core.results import Headlines
from custops.ingest.artifacts import artifacts_dir
from custops.report.labels import cell_html, column_label

__all__ = [
    "CONFIG_ENV",
    "BUILD_DIR_ENV",
    "LANGUAGE_ENV",
    "Context",
    "project_root",
    "resolve_config",
    "resolve_build_dir",
    "start",
    "table",
    "glue",
    "glue_headlines",
    "md",
    "show",
    "missing_table_note",
    "fmt_int",
    "fmt_pct",
    "fmt_money",
]


@dataclass
class Context:
    """Everything a notebook cell needs: the config, the period and where artifacts go."""

    cfg: ReportConfig
    period: Period
    artifacts: Path
    build_dir: Path
    config_file: Path | None = None

    @property
    def language(self) -> str:
        """``en`` or ``zh``."""
        return self.cfg.language

    @property
    def seed(self) -> int:
        """The one seed every sampler, split and model uses."""
        return self.cfg.seed

    def has(self, table: str) -> bool:
        """Whether the config has a source for ``table``."""
        return self.cfg.has(table)


_LANGUAGE = "en"  # set by start(); the default language of table headers

#: the config a notebook opened in JupyterLab uses when its ``config`` parameter is None
#: (``make lab`` sets it to the absolute path of ``CONFIG``)
CONFIG_ENV = "CUSTOPS_CONFIG"
#: the build root a notebook uses when its ``build_dir`` parameter is None
BUILD_DIR_ENV = "CUSTOPS_BUILD_DIR"
#: the edition's language, set by ``custops run --language`` for the kernels it starts; overrides
#: ``language`` of the config (a notebook opened in JupyterLab uses the config's language)
LANGUAGE_ENV = "CUSTOPS_LANGUAGE"
DEMO_CONFIG = Path("data") / "sample" / "custops.yaml"


def project_root() -> Path:
    """The project folder holding ``custops/`` (and ``notebooks/``, ``data/``, ``build/``).

    Examples
    --------
    >>> (project_root() / "custops" / "report" / "notebook.py").is_file()
    True
    """
    return Path(__file__).resolve().parents[2]


def resolve_config(config: str | Path | None) -> Path:
    """The config file a notebook reads, as an absolute path.

    ``None`` (the notebooks' default) means ``$CUSTOPS_CONFIG`` when set, else the demo config
    ``data/sample/custops.yaml`` of the project: resolved from the project, not from the
    kernel's working directory, which differs between JupyterLab, papermill and a copied
    notebook (papermill#316). A relative path given explicitly starts from the working
    directory, as everywhere in Python.

    Examples
    --------
    >>> import os
    >>> os.environ.pop(CONFIG_ENV, None) and None
    >>> resolve_config(None) == project_root() / "data" / "sample" / "custops.yaml"
    True
    """
    if config is None or str(config) == "":
        config = os.environ.get(CONFIG_ENV) or project_root() / DEMO_CONFIG
    return Path(config).expanduser().resolve()


def resolve_build_dir(build_dir: str | Path | None) -> Path:
    """The build root a notebook writes to: ``None`` means ``$CUSTOPS_BUILD_DIR``, else the
    project's ``build/`` (see :func:`resolve_config`).

    Examples
    --------
    >>> import os
    >>> os.environ.pop(BUILD_DIR_ENV, None) and None
    >>> resolve_build_dir(None) == project_root() / "build"
    True
    """
    if build_dir is None or str(build_dir) == "":
        build_dir = os.environ.get(BUILD_DIR_ENV) or project_root() / "build"
    return Path(build_dir).expanduser().resolve()


def figure_alt_text(fig: Any, lang: str = "en") -> str:
    """A chart described in words for readers who cannot see it (the image's alt text).

    The figure's title (or each panel's), and the horizontal and vertical axis labels of its
    panels, in the report language.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set(title="NPS by month", xlabel="month", ylabel="NPS")
    >>> figure_alt_text(fig)
    'Chart: NPS by month. Horizontal axis: month; vertical axis: NPS.'
    >>> figure_alt_text(fig, "zh")
    '图表：NPS by month。横轴：month；纵轴：NPS。'
    >>> plt.close(fig)
    """
    zh = lang == "zh"
    suptitle = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    titles = [suptitle] if suptitle else [ax.get_title() for ax in axes if ax.get_title()]
    xlabels = list(dict.fromkeys(ax.get_xlabel() for ax in axes if ax.get_xlabel()))
    ylabels = list(dict.fromkeys(ax.get_ylabel() for ax in axes if ax.get_ylabel()))
    sep = "；" if zh else "; "
    text = ("图表：" if zh else "Chart: ") + (
        sep.join(titles) if titles else ("未命名" if zh else "untitled")
    )
    text += "。" if zh else "."
    axes_text = []
    if xlabels:
        axes_text.append(("横轴：" if zh else "Horizontal axis: ") + "、".join(xlabels))
    if ylabels:
        axes_text.append(("纵轴：" if zh else "vertical axis: ") + "、".join(ylabels))
    if axes_text:
        text += ("" if zh else " ") + sep.join(axes_text) + ("。" if zh else ".")
    return text


def figure_metadata(fig: Any, lang: str = "en") -> dict[str, str]:
    """The metadata of a chart's image output: its alt text, and its takeaway when the plot
    function recorded one (:func:`custops.report.plots.set_takeaway`).

    Parameters
    ----------
    fig : matplotlib Figure
    lang : {"en", "zh"}

    Returns
    -------
    dict
        ``{"alt": ...}`` and, when recorded, ``"takeaway"`` (the book's caption text).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from custops.report.plots import set_takeaway
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Orders")
    >>> figure_metadata(set_takeaway(fig, "Orders doubled."))
    {'alt': 'Chart: Orders.', 'takeaway': 'Orders doubled.'}
    >>> plt.close(fig)
    """
    from custops.report.plots import takeaway

    out = {"alt": figure_alt_text(fig, lang)}
    if text := takeaway(fig):
        out["takeaway"] = text
    return out


def describe_figures(lang: str = "en") -> None:
    """Give every chart the notebook shows an alt text (:func:`figure_alt_text`) and its takeaway.

    In an IPython kernel, the PNG formatter of matplotlib figures is wrapped so that each
    image output carries ``{"alt": ..., "takeaway": ...}`` in its metadata
    (:func:`figure_metadata`); the book build moves the alt text onto the image and numbers
    the takeaway as the figure's caption (:func:`custops.run.pipeline.prepare_notebook`).
    The PNG bytes are unchanged. The
    inline backend registers its formatter when the backend is first resolved (done here with
    an empty figure), and may register it again, so the wrap is (re)applied before and after
    every cell runs; calling this again changes the language.
    Outside IPython this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    first = not hasattr(shell, "_custops_figure_language")
    shell._custops_figure_language = lang
    import matplotlib.pyplot as plt

    plt.close(plt.figure())  # resolves the backend: the inline one registers its formatter now
    if first:
        shell.events.register("pre_run_cell", lambda *_: _wrap_png_formatter(shell))
        shell.events.register("post_execute", lambda: _wrap_png_formatter(shell))
    _wrap_png_formatter(shell)


def _wrap_png_formatter(shell: Any) -> None:
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        current = formatter.lookup_by_type(Figure)
    except KeyError:  # the inline backend has not registered its formatter yet
        return
    if getattr(current, "_custops_alt", False):
        return
    base = current

    def png_with_alt(fig: Any) -> Any:
        data = base(fig)
        lang = getattr(shell, "_custops_figure_language", "en")
        return None if data is None else (data, figure_metadata(fig, lang))

    png_with_alt._custops_alt = True  # type: ignore[attr-defined]
    formatter.for_type(Figure, png_with_alt)


def start(
    config: str | Path | None, period: str | None, build_dir: str | Path | None = None
) -> Context:
    """Load the config, parse the period, apply the chart theme and quiet library warnings.

    The report language is the config's ``language``, unless ``$CUSTOPS_LANGUAGE`` names
    another (``custops run --language zh`` sets it for the notebooks it executes).

    Parameters
    ----------
    config : str, Path or None
        ``custops.yaml``; ``None`` takes ``$CUSTOPS_CONFIG``, else the project's demo config
        (:func:`resolve_config`).
    period : str or None
        ``2025Q4`` etc.; ``None`` takes ``period`` from the config.
    build_dir : str, Path or None
        Root of the build folder; artifacts go to ``<build_dir>/<period>/artifacts``;
        ``None`` takes ``$CUSTOPS_BUILD_DIR``, else the project's ``build/``.

    Returns
    -------
    Context

    Examples
    --------
    >>> ctx = start("data/sample/custops.yaml", "2025Q4")  # doctest: +SKIP
    >>> ctx.artifacts.name  # doctest: +SKIP
    'artifacts'
    """
    warnings.filterwarnings("ignore")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    logging.getLogger("jieba").setLevel(logging.ERROR)
    config_file = resolve_config(config)
    cfg = load_config(config_file)
    override = os.environ.get(LANGUAGE_ENV, "").strip()
    if override in ("en", "zh") and override != cfg.language:
        cfg = cfg.model_copy(update={"language": override})
    build_dir = resolve_build_dir(build_dir)
    label = period or cfg.period
    if not label:
        from custops.core.errors import ConfigError

        raise ConfigError(
            "No period given.", fix="Pass period='2025Q4' or set `period:` in the config."
        )
    p = Period.parse(label)
    from custops.report import plots

    plots.setup(cfg.language)
    describe_figures(cfg.language)
    global _LANGUAGE
    _LANGUAGE = cfg.language
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    return Context(
        cfg=cfg,
        period=p,
        artifacts=artifacts_dir(build_dir, p),
        build_dir=build_dir,
        config_file=config_file,
    )


def fmt_int(value: float) -> str:
    """``12,345``.

    Examples
    --------
    >>> fmt_int(12345.4)
    '12,345'
    """
    return f"{value:,.0f}"


def fmt_pct(value: float, decimals: int = 1) -> str:
    """``12.3%`` from a 0-1 share.

    Examples
    --------
    >>> fmt_pct(0.1234)
    '12.3%'
    """
    return f"{value:.{decimals}%}"


def fmt_money(value: float, currency: str = "") -> str:
    """``¥1.2M``-style compact money (currency code as prefix when given).

    Examples
    --------
    >>> fmt_money(1234567, "CNY"), fmt_money(12345), fmt_money(612232)
    ('CNY 1.23M', '12.35k', '612.23k')
    """
    prefix = f"{currency} " if currency else ""
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{prefix}{value / limit:,.2f}{suffix}"
    return f"{prefix}{value:,.0f}"


def _format_cell(value: Any) -> str:
    """A date as ``2025-12-31`` (``2025-12-31 14:05`` when it has a time); floats rounded.

    Examples
    --------
    >>> _format_cell(pd.Timestamp("2025-12-31")), _format_cell(pd.Timestamp("2025-12-31 14:05:07.123"))
    ('2025-12-31', '2025-12-31 14:05')
    >>> _format_cell(1234.5678), _format_cell(299.0), _format_cell("x")
    ('1,234.57', '299', 'x')
    """
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return "–"
        if value == value.normalize():
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        if value != value:
            return "–"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return str(value)


def _whole(values: pd.Series) -> bool:
    """Whether a float column holds whole numbers only (a count that went through NaN).

    Examples
    --------
    >>> _whole(pd.Series([1.0, 2.0, None])), _whole(pd.Series([1.5])), _whole(pd.Series([None]))
    (True, False, False)
    """
    finite = values.dropna()
    finite = finite[finite.abs() < 1e15]
    return len(finite) > 0 and bool((finite == finite.round()).all())


def _blank(value: Any) -> bool:
    """A missing value or empty text.

    Examples
    --------
    >>> _blank(None), _blank(""), _blank(float("nan")), _blank(0), _blank("x")
    (True, True, True, False, False)
    """
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _interval_columns(frame: pd.DataFrame) -> dict[Any, tuple[Any, Any]]:
    """Numeric columns shown with their 95% interval: ``x`` with ``x_low``/``x_high``, and the
    column right before ``ci_low`` when ``ci_high`` exists.

    Examples
    --------
    >>> f = pd.DataFrame(columns=["n", "nps", "ci_low", "ci_high", "reach", "reach_low", "reach_high"])
    >>> _interval_columns(f.astype(float))
    {'reach': ('reach_low', 'reach_high'), 'nps': ('ci_low', 'ci_high')}
    """
    columns = list(frame.columns)

    def numeric(*names: Any) -> bool:
        return all(pd.api.types.is_numeric_dtype(frame[n]) for n in names)

    out: dict[Any, tuple[Any, Any]] = {}
    for column in columns:
        low, high = f"{column}_low", f"{column}_high"
        if low in columns and high in columns and numeric(column, low, high):
            out[column] = (low, high)
    if "ci_low" in columns and "ci_high" in columns:
        at = columns.index("ci_low")
        base = columns[at - 1] if at > 0 else None
        taken = {c for pair in out.values() for c in pair}
        if (
            base is not None
            and base not in out
            and base not in taken
            and base != "ci_high"
            and numeric(base, "ci_low", "ci_high")
        ):
            out[base] = ("ci_low", "ci_high")
    return out


def _with_interval(value: Any, low: Any, high: Any, fmt: Any, lang: str) -> str:
    """``20.0 (7.7–32.3)``; ``−2.1 (−36.6 to 32.3)`` when a bound is negative; the value
    alone when the interval is missing.

    Examples
    --------
    >>> _with_interval(0.2, 0.1, 0.3, "{:.1%}", "en"), _with_interval(-2.0, -5.0, 1.0, "{:.1f}", "zh")
    ('20.0% (10.0%–30.0%)', '-2.0 (-5.0 至 1.0)')
    >>> _with_interval(float("nan"), float("nan"), float("nan"), "{:.1f}", "en")
    '–'
    """

    def shown(x: Any) -> str:
        if x is None or (isinstance(x, float) and x != x):
            return "–"
        return fmt.format(x) if isinstance(fmt, str) else str(fmt(x))

    if shown(value) == "–":
        return "–"
    if shown(low) == "–" or shown(high) == "–":
        return shown(value)
    negative = any(isinstance(b, int | float) and b < 0 for b in (low, high))
    dash = (" 至 " if lang == "zh" else " to ") if negative else "–"
    return f"{shown(value)} ({shown(low)}{dash}{shown(high)})"


def _cell(value: Any, lang: str = "en") -> str:
    """A text, truth or mixed cell of :func:`table`: labels and code through
    :func:`custops.report.labels.cell_html`, dates and numbers through :func:`_format_cell`.

    Examples
    --------
    >>> _cell("signed_up"), _cell(True, "zh"), _cell(1234.5), _cell(pd.Timestamp("2025-12-31"))
    ('signed up', '是', '1,234.50', '2025-12-31')
    """
    if isinstance(value, str | bool | np.bool_):
        return cell_html(bool(value) if isinstance(value, np.bool_) else value, lang)
    return _format_cell(value)


def table(
    frame: pd.DataFrame,
    *,
    percent: tuple[str, ...] = (),
    money: tuple[str, ...] = (),
    integer: tuple[str, ...] = (),
    decimals: Mapping[str, int] | None = None,
    caption: str | None = None,
    max_rows: int = 30,
    lang: str | None = None,
) -> Any:
    """A formatted, index-free table for people (thousands separators, percentages).

    Column headers are shown through :func:`custops.report.labels.column_label` in the report
    language (``lang``; by default the language of the config given to :func:`start`), so raw
    names such as ``ci_low`` read "95% CI low" / "95% 置信下限". Formats refer to raw names.
    A numeric column followed by ``ci_low``/``ci_high``, or with ``<name>_low``/``<name>_high``
    beside it, is shown as one column "value (low–high)" headed "<label> (95% CI)", in the
    value's format (tables stay within the page); a column with nothing in the shown rows is
    left out. Text cells go through :func:`custops.report.labels.cell_html` (category keys and raw
    column names as labels, ``True``/``False`` as yes/no, file names as code); a float column
    of whole numbers shows no decimals (a count that went through a missing value).

    Examples
    --------
    >>> styled = table(pd.DataFrame({"share": [0.5], "n": [1200]}), percent=("share",), integer=("n",))
    >>> "50.0%" in styled.to_html()
    True
    """
    shown = frame.head(max_rows)
    filled = [i for i in range(shown.shape[1]) if not shown.iloc[:, i].map(_blank).all()]
    if len(shown):
        shown = shown.iloc[:, filled]  # a column with nothing in it says nothing
    language = lang or _LANGUAGE
    intervals = _interval_columns(shown)
    formats: dict[Any, Any] = {}
    for column in shown.columns:
        values = shown[column]
        if column in intervals:  # the value and its interval take one format
            values = pd.concat([values, *(shown[c] for c in intervals[column])])
        if column in percent:
            formats[column] = "{:.1%}"
        elif (
            column in money
            or column in integer
            or pd.api.types.is_integer_dtype(values)
            or (
                pd.api.types.is_float_dtype(values)
                and _whole(values)
                and column not in (decimals or {})
            )
        ):
            formats[column] = "{:,.0f}"  # counts, and floats that only hold whole numbers
        elif decimals and column in decimals:
            formats[column] = f"{{:,.{decimals[column]}f}}"
        elif pd.api.types.is_float_dtype(values):
            formats[column] = "{:,.2f}"
        elif pd.api.types.is_bool_dtype(values) or pd.api.types.is_object_dtype(values):
            formats[column] = functools.partial(_cell, lang=language)
    for column in shown.columns:
        if column not in formats and pd.api.types.is_datetime64_any_dtype(shown[column]):
            formats[column] = _format_cell  # dates without a midnight time, no nanoseconds
    headers = {c: column_label(c, language) for c in shown.columns}
    if intervals:  # "20.0 (7.7–32.3)" under "NPS (95% CI)": one column instead of three
        shown = shown.copy()
        for column, (low, high) in intervals.items():
            shown[column] = [
                _with_interval(v, lo, hi, formats[column], language)
                for v, lo, hi in zip(shown[column], shown[low], shown[high], strict=True)
            ]
            formats[column] = str
            headers[column] += "（95% 置信区间）" if language == "zh" else " (95% CI)"
        shown = shown.drop(columns=[c for pair in intervals.values() for c in pair])
    styled = shown.style.format(formats, na_rep="–").hide(axis="index")
    styled = styled.relabel_index([headers[c] for c in shown.columns], axis=1)
    if caption:
        styled = styled.set_caption(caption)
    return styled


def glue(name: str, value: Any, *, display: bool = False) -> Any:
    """Glue a value for the book (myst-nb); outside a build it is simply returned.

    Examples
    --------
    >>> glue("x", 3)
    3
    """
    try:
        from myst_nb import glue as _glue

        _glue(name, value, display=display)
    except Exception:  # outside a kernel (e.g. doctests) there is nothing to glue into
        pass
    return value


def glue_headlines(headlines: Headlines) -> None:
    """Glue every number of ``headlines`` for the book, each with its kind and interval keys.

    Each glue output carries ``{"custops": {"kind": ..., "interval" | "bound_of": ...}}`` in
    its metadata (beside myst-nb's ``scrapbook`` entry), which the book build reads to format
    the number (``custops.run.pipeline.glued_headlines``). Outside a kernel nothing is glued.

    Returns nothing, so a cell that ends with this call shows nothing.

    Examples
    --------
    >>> from custops.core.results import Headline
    >>> glue_headlines(Headlines([Headline("nps_n", 812, "count")]))  # outside a kernel: no-op
    """
    metadata = headlines.glue_metadata()
    try:
        from IPython import get_ipython
        from IPython.core.formatters import format_display_data
        from IPython.display import display as ipy_display
    except ImportError:  # no IPython: nothing to glue into
        return
    if get_ipython() is None:
        return
    for key, value in headlines.items():
        bundle, meta = format_display_data(value)
        meta["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
        meta["custops"] = metadata[key]
        ipy_display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=meta)


#: myst-nb's prefix for glued outputs that are not displayed (``glue(..., display=False)``)
GLUE_PREFIX = "application/papermill.record/"


def show(obj: Any) -> None:
    """Display ``obj`` in the running notebook (a table, a figure, a result object).

    The chapter functions show their section's tables with it.

    Examples
    --------
    >>> show("text")  # doctest: +SKIP
    """
    from IPython.display import display

    display(obj)


def md(text: str) -> Any:
    """Show Markdown built from numbers (for sentences whose figures change each period).

    Examples
    --------
    >>> _ = md("**bold**")  # doctest: +ELLIPSIS
    <IPython.core.display.Markdown object>
    """
    from IPython.display import Markdown, display

    out = Markdown(text)
    with contextlib.suppress(Exception):
        display(out)
    return out


def note(text: str) -> Any:
    """Show ``text`` as Markdown only when it says something (a cell with '' shows nothing).

    Examples
    --------
    >>> note("") is None
    True
    """
    return md(text) if text else None


def missing_table_note(ctx: Context, table: str, section: str) -> bool:
    """If ``table`` has no source, say so (in words) and return True so the caller skips.

    Examples
    --------
    >>> class C:  # a stand-in context
    ...     language = "en"
    ...     def has(self, t): return False
    >>> missing_table_note(C(), "tickets", "Service KPIs")  # doctest: +ELLIPSIS
    <IPython...Markdown object>
    True
    """
    if ctx.has(table):
        return False
    if ctx.language == "zh":
        md(f"> 配置中没有 `{table}` 数据源，本节（{section}）跳过。")
    else:
        md(f"> The configuration has no `{table}` source, so this section ({section}) is skipped.")
    return True
