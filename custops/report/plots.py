"""One seaborn theme for every chart, with a font that draws Chinese.

Plotting never computes: functions here take finished tables and return a matplotlib
``Figure``. :func:`setup` registers a CJK font (the ``mplfonts`` wheel ships Noto Sans
CJK SC, so no root is needed; Debian's WenQuanYi Micro Hei is used when installed).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg") if not matplotlib.get_backend().lower().startswith(
    ("module://", "nbagg", "ipympl")
) else None
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, PercentFormatter  # noqa: E402

from custops.report.text import t  # noqa: E402

__all__ = [
    "setup",
    "cjk_font",
    "PALETTE",
    "percent_axis",
    "thousands_axis",
    "set_takeaway",
    "takeaway",
    "ledger_chart",
]

#: the attribute of a matplotlib ``Figure`` holding its one-sentence takeaway (the caption)
TAKEAWAY_ATTR = "custops_takeaway"

PALETTE = ["#1f5c99", "#e07b39", "#3a9e6f", "#c8423b", "#7d5ba6", "#8c6d31", "#d17fb3", "#6b6b6b"]
STATUS_COLORS = {"green": "#3a9e6f", "amber": "#e0a526", "red": "#c8423b", "grey": "#9a9a9a"}
_SYSTEM_CJK = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)


def cjk_font() -> str | None:
    """Register and return the name of a font that has Chinese glyphs (None if none found).

    Examples
    --------
    >>> isinstance(cjk_font(), str)
    True
    """
    candidates: list[Path] = []
    try:
        import mplfonts

        candidates.append(Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf")
    except ImportError:
        pass
    candidates += [Path(p) for p in _SYSTEM_CJK]
    for path in candidates:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def setup(language: str = "en", *, dpi: int = 110) -> None:
    """Apply the custops theme; call once at the top of a notebook.

    Parameters
    ----------
    language : {"en", "zh"}
        Chart language (both use a CJK-capable font, since data labels may be Chinese).
    dpi : int
        Figure resolution in the notebook and the book.

    Examples
    --------
    >>> setup("zh")
    >>> "Noto Sans CJK SC" in plt.rcParams["font.sans-serif"] or True
    True
    """
    sns.set_theme(style="whitegrid", palette=PALETTE, context="notebook")
    font = cjk_font()
    sans = [font] if font else []
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*sans, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "figure.dpi": dpi,
            "savefig.dpi": dpi,
            "figure.figsize": (8, 4.2),
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # "no bold weight" notes
    pd.set_option("display.float_format", lambda v: f"{v:,.2f}")


def set_takeaway(chart: Any, text: str | None) -> Any:
    """Record the one-sentence takeaway of a chart on its figure; returns ``chart``.

    The takeaway travels with the figure: the notebook's PNG formatter
    (:func:`custops.report.notebook.describe_figures`) writes it into the image output's
    metadata, and the book numbers it as the figure's caption ("Figure 3.2 — ...",
    :func:`custops.run.pipeline.prepare_notebook`). ``None`` or ``""`` leaves it unset.

    Parameters
    ----------
    chart : matplotlib Figure or Axes
        The chart a plot function made (an Axes records it on its figure).
    text : str or None
        One plain sentence saying what the chart shows, computed from its data.

    Returns
    -------
    Figure or Axes
        ``chart``, so that a plot function can ``return set_takeaway(fig, text)``.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> set_takeaway(ax, "Sales doubled.") is ax, takeaway(fig)
    (True, 'Sales doubled.')
    >>> plt.close(fig)
    """
    figure = getattr(chart, "figure", None) if not isinstance(chart, Figure) else chart
    if figure is not None and text:
        setattr(figure, TAKEAWAY_ATTR, " ".join(str(text).split()))
    return chart


def takeaway(chart: Any) -> str:
    """The takeaway recorded by :func:`set_takeaway` ("" when there is none).

    Examples
    --------
    >>> fig = plt.figure()
    >>> takeaway(fig), takeaway(None)
    ('', '')
    >>> plt.close(fig)
    """
    figure = chart if isinstance(chart, Figure) else getattr(chart, "figure", None)
    return str(getattr(figure, TAKEAWAY_ATTR, "") or "")


def no_data_takeaway(chart: Any, lang: str = "en") -> Any:
    """Mark a chart drawn without enough data to say anything (its caption says so).

    Examples
    --------
    >>> fig = no_data_takeaway(plt.figure())
    >>> takeaway(fig)
    'There are too few data to draw this chart for the period.'
    >>> plt.close(fig)
    """
    return set_takeaway(chart, t("figure.no_data", lang))


def percent_axis(ax: plt.Axes, axis: str = "y", decimals: int = 0) -> None:
    """Show a 0-1 axis as percentages."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(1.0, decimals=decimals))


def thousands_axis(ax: plt.Axes, axis: str = "y") -> None:
    """Thousands separators on an axis."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def ledger_chart(
    parts: pd.DataFrame,
    *,
    title: str,
    labels: dict[str, str] | None = None,
    ax: Any = None,
    takeaway: str | None = None,
) -> Any:
    """Stacked horizontal bars: the kept, merged and rejected share of each table's rows.

    ``parts`` has one row per table: ``table`` (the label shown), the counts ``kept``,
    ``merged``, ``rejected`` (printed on segments wider than 6%) and their shares of the
    table's rows ``kept_share``, ``merged_share``, ``rejected_share``
    (:func:`custops.chapters.collection.ledger_parts`). ``takeaway`` is recorded for the
    caption. Returns the Axes.

    Examples
    --------
    >>> p = pd.DataFrame({"table": ["orders"], "kept": [90], "merged": [4], "rejected": [6],
    ...     "kept_share": [0.9], "merged_share": [0.04], "rejected_share": [0.06]})
    >>> ax = ledger_chart(p, title="t")
    >>> ax.get_title(), len(ax.patches)
    ('t', 3)
    >>> plt.close(ax.figure)
    """
    labels = labels or {"kept": "kept", "merged": "merged (duplicates)", "rejected": "rejected"}
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.6 * len(parts) + 1.6))
    names = parts["table"].to_numpy()
    left = np.zeros(len(parts))
    colors = [STATUS_COLORS["green"], STATUS_COLORS["amber"], STATUS_COLORS["red"]]
    for column, color in zip(("kept", "merged", "rejected"), colors, strict=True):
        shares = parts[f"{column}_share"].to_numpy(dtype=float)
        ax.barh(names, shares, left=left, color=color, label=labels[column])
        for y, (share, count) in enumerate(zip(shares, parts[column], strict=True)):
            if share > 0.06:
                ax.text(
                    left[y] + share / 2,
                    y,
                    f"{count:,}",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                )
        left = left + shares
    percent_axis(ax, "x")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_title(title)
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, -0.45 if len(parts) < 4 else -0.25),
        ncol=3,
        frameon=False,
    )
    ax.figure.tight_layout()
    return set_takeaway(ax, takeaway)
