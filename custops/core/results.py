"""Typed headline numbers: what a chapter reports, with its kind and its 95% interval.

Every analysis that feeds the book returns its headline numbers as :class:`Headline` objects
collected in :class:`Headlines`. The kind says how a number is read (a count, a share, an
amount of money, hours, …); the landing page and the "All figures" page format each number
from its kind, never from the spelling of its key. A headline with an interval glues its
bounds beside it under ``<stem>_low`` and ``<stem>_high`` (``stem``: the key without a
trailing ``_value`` or ``_total``), see :func:`interval_keys`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

__all__ = ["KINDS", "Headline", "Headlines", "Kind", "format_spec", "interval_keys"]

#: How a headline number is read.
#:
#: ``count`` whole things (customers, events; an expected count too: no decimals);
#: ``share`` a proportion 0–1 (shown as a percentage); ``money`` an amount in the report's
#: currency; ``score`` a score on its own scale (NPS −100…100); ``points`` a difference in
#: percentage points; ``ratio`` a ratio or index (hazard ratio, CLV:CAC, AUC, correlation);
#: ``probability`` a small probability or loss (p-value, Brier score); ``days`` and ``hours``
#: durations; ``label`` a category key shown through the label catalog; ``text`` words.
Kind = Literal[
    "count",
    "share",
    "money",
    "score",
    "points",
    "ratio",
    "probability",
    "days",
    "hours",
    "label",
    "text",
]
KINDS: tuple[str, ...] = get_args(Kind)


def interval_keys(key: str) -> tuple[str, str]:
    """The glue keys of the lower and upper bound of ``key``'s 95% interval.

    Examples
    --------
    >>> interval_keys("nps_value"), interval_keys("churn_value_at_risk_total")
    (('nps_low', 'nps_high'), ('churn_value_at_risk_low', 'churn_value_at_risk_high'))
    >>> interval_keys("churn_period_rate")
    ('churn_period_rate_low', 'churn_period_rate_high')
    """
    stem = key.removesuffix("_value").removesuffix("_total")
    return f"{stem}_low", f"{stem}_high"


@dataclass(frozen=True)
class Headline:
    """One headline number of a chapter.

    Parameters
    ----------
    key : str
        The glue key (unique in the book; one chapter function produces it).
    value : Any
        The number (or label key, or text). ``None`` or NaN: not computed.
    kind : Kind
        How the number is read, see :data:`Kind`.
    low, high : float, optional
        The 95% interval, when the number is an estimate (glued only when both are finite).

    Examples
    --------
    >>> h = Headline("churn_period_rate", 0.183, "share", 0.172, 0.194)
    >>> h.has_interval, h.glued()
    (True, {'churn_period_rate': 0.183, 'churn_period_rate_low': 0.172, 'churn_period_rate_high': 0.194})
    """

    key: str
    value: Any
    kind: Kind
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"headline {self.key!r}: kind {self.kind!r} is not one of {KINDS}")

    @property
    def has_interval(self) -> bool:
        """Whether both bounds are finite numbers."""
        return all(
            isinstance(b, int | float) and not isinstance(b, bool) and math.isfinite(b)
            for b in (self.low, self.high)
        )

    @property
    def computed(self) -> bool:
        """False when the value is None or NaN (nothing to show)."""
        v = self.value
        return v is not None and not (isinstance(v, float) and math.isnan(v))

    def glued(self) -> dict[str, Any]:
        """The glue keys and values this headline puts into the notebook (value, then bounds)."""
        out = {self.key: self.value}
        if self.has_interval:
            low_key, high_key = interval_keys(self.key)
            out[low_key], out[high_key] = self.low, self.high
        return out


class Headlines(Mapping[str, Any]):
    """The headline numbers of one analysis, in order; read like a dict of glue key -> value.

    Iterating gives the glue keys (values and interval bounds), ``h["key"]`` the value,
    :meth:`items` the pairs; :meth:`__iter__` over :attr:`headlines` gives the typed
    :class:`Headline` objects.

    Examples
    --------
    >>> hs = Headlines([Headline("nps_value", 12.5, "score", 8.1, 16.9),
    ...                 Headline("nps_n", 812, "count")])
    >>> hs["nps_value"], hs["nps_low"], list(hs)
    (12.5, 8.1, ['nps_value', 'nps_low', 'nps_high', 'nps_n'])
    >>> hs.kind("nps_n"), hs.headline("nps_value").high, hs == {}
    ('count', 16.9, False)
    """

    def __init__(self, headlines: Iterable[Headline] = ()) -> None:
        self.headlines: tuple[Headline, ...] = tuple(h for h in headlines if h.computed)
        seen: dict[str, Any] = {}
        for h in self.headlines:
            for key, value in h.glued().items():
                if key in seen:
                    raise ValueError(f"glue key {key!r} produced twice")
                seen[key] = value
        self._values = seen
        self._by_key = {h.key: h for h in self.headlines}

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Headlines({list(self.headlines)!r})"

    def headline(self, key: str) -> Headline:
        """The typed headline of ``key`` (a value key, not a bound)."""
        return self._by_key[key]

    def kind(self, key: str) -> str:
        """The kind of ``key``; a bound has the kind of the number it bounds."""
        if key in self._by_key:
            return self._by_key[key].kind
        for h in self.headlines:
            if key in h.glued():
                return h.kind
        raise KeyError(key)

    def glue_metadata(self) -> dict[str, dict[str, Any]]:
        """Glue key -> what the book needs to show it: ``kind``, and ``interval`` (the bound
        keys) for a value with one or ``bound_of`` (the value's key) for a bound.

        Examples
        --------
        >>> Headlines([Headline("churn_km_1y", 0.2, "share", 0.1, 0.3)]).glue_metadata()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'churn_km_1y': {'kind': 'share', 'interval': ['churn_km_1y_low', 'churn_km_1y_high']},
         'churn_km_1y_low': {'kind': 'share', 'bound_of': 'churn_km_1y'},
         'churn_km_1y_high': {'kind': 'share', 'bound_of': 'churn_km_1y'}}
        """
        out: dict[str, dict[str, Any]] = {}
        for h in self.headlines:
            keys = list(h.glued())
            out[h.key] = {"kind": h.kind}
            if len(keys) == 3:
                out[h.key]["interval"] = keys[1:]
                for bound in keys[1:]:
                    out[bound] = {"kind": h.kind, "bound_of": h.key}
        return out


def format_spec(kind: str | None, value: Any) -> str:
    """The format spec a glued value of ``kind`` is quoted with (myst-nb ``{glue:text}``).

    Without a kind (a notebook that glued a bare value) the spec follows the value's type
    only: integers with separators, other numbers by magnitude, anything else as text.

    Examples
    --------
    >>> format_spec("share", 0.183), format_spec("count", 299.4), format_spec("score", 31.52)
    ('.1%', ',.0f', '.1f')
    >>> format_spec("probability", 0.0031), format_spec(None, 4821), format_spec(None, 0.183)
    ('.2g', ',d', '.3f')
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "s"
    if not math.isfinite(value):
        return "s"
    fixed = {
        "count": ",.0f",
        "share": ".1%",
        "money": ",.0f",
        "score": ".1f",
        "points": ".1f",
        "days": ",.0f",
        "hours": ".1f",
    }
    if kind in fixed:
        return fixed[kind]
    if kind == "ratio":
        return ".2f"
    if kind == "probability":
        return ".2g" if 0 < abs(value) < 0.01 else ".3f"
    if isinstance(value, int):
        return ",d"
    if abs(value) >= 1000 or value.is_integer():
        return ",.0f"
    if abs(value) >= 10:
        return ".1f"
    return ".2f" if abs(value) >= 1 else ".3f"


class Result:
    """What an analysis returns, read three ways (as lifelines' ``StatisticalResult``).

    ``summary`` is a DataFrame for code (by default the result's ``table``), the notebook
    shows it as HTML (``_repr_html_``, at most 30 rows), and :meth:`headlines` gives the
    typed headline numbers the book quotes. Subclasses are dataclasses with a ``table`` or
    override :attr:`summary`; each implements :meth:`headlines`.

    Examples
    --------
    >>> import pandas as pd
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Sizes(Result):
    ...     table: pd.DataFrame
    ...     def headlines(self) -> Headlines:
    ...         return Headlines([Headline("n_groups", len(self.table), "count")])
    >>> r = Sizes(pd.DataFrame({"group": ["a", "b"], "n": [3, 4]}))
    >>> r.summary.shape, r.headlines()["n_groups"], r._repr_html_().startswith("<table")
    ((2, 2), 2, True)
    """

    @property
    def summary(self) -> Any:
        """The result as one DataFrame (the ``table`` attribute unless overridden)."""
        return self.table  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        return self.summary.to_html(index=False, max_rows=30)

    def headlines(self) -> Headlines:
        """The typed headline numbers of this result."""
        raise NotImplementedError(f"{type(self).__name__} has no headline numbers")
