"""Reporting periods and the YAML report configuration.

``Period`` turns labels such as ``2025Q4``, ``2025-11``, ``2025H2`` or ``2025`` into dates;
``ReportConfig`` is the validated content of ``custops.yaml``. Every validation problem in a
config file is gathered and reported at once, with the key path and a suggestion for typos.
"""

from __future__ import annotations

import calendar
import codecs
import difflib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, get_origin

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from custops.core.errors import ConfigError

__all__ = [
    "Period",
    "ReportConfig",
    "SourceConfig",
    "load_config",
    "TABLES",
]

TABLES = ("customers", "orders", "tickets", "surveys", "touches")

_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})[-_ ]?Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})[-_ ]?H([12])$", re.I), "half"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Period:
    """A calendar reporting period: a month, quarter, half-year or year.

    Parameters
    ----------
    kind : {"month", "quarter", "half", "year"}
        Granularity of the period.
    year : int
        Calendar year.
    index : int
        Month (1-12), quarter (1-4), half (1-2); 1 for a year.

    Examples
    --------
    >>> p = Period.parse("2025Q4")
    >>> p.start, p.end, p.previous().label, p.same_period_last_year().label
    (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31), '2025Q3', '2024Q4')
    """

    kind: Literal["month", "quarter", "half", "year"]
    year: int
    index: int

    _MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Parse ``2025Q4``, ``2025-11``, ``202511``, ``2025H2`` or ``2025``.

        Examples
        --------
        >>> Period.parse("2025-11").label
        '2025-11'
        """
        if isinstance(text, Period):
            return text
        raw = str(text).strip()
        for pattern, kind in _PERIOD_PATTERNS:
            match = pattern.match(raw)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind != "year" else 1
                if kind == "month" and not 1 <= index <= 12:
                    break
                if year < 1:  # no calendar date before year 1
                    break
                return cls(kind, year, index)
        raise ConfigError(
            f"Cannot read the period {raw!r}.",
            cause="A period is a quarter, month, half-year or year.",
            fix="Write it like 2025Q4, 2025-11, 2025H2 or 2025.",
        )

    @property
    def months(self) -> int:
        """Length of the period in months."""
        return self._MONTHS[self.kind]

    @property
    def start(self) -> date:
        """First day of the period."""
        first_month = (self.index - 1) * self.months + 1
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        return self.end_exclusive - timedelta(days=1)

    @property
    def end_exclusive(self) -> date:
        """First day after the period."""
        year, month = _add_months(self.start.year, self.start.month, self.months)
        return date(year, month, 1)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end_exclusive - self.start).days

    @property
    def label(self) -> str:
        """Canonical label, e.g. ``2025Q4``."""
        if self.kind == "quarter":
            return f"{self.year}Q{self.index}"
        if self.kind == "half":
            return f"{self.year}H{self.index}"
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        return str(self.year)

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (negative: earlier)."""
        per_year = 12 // self.months
        position = self.year * per_year + (self.index - 1) + steps
        return Period(self.kind, position // per_year, position % per_year + 1)

    def previous(self) -> Period:
        """The period just before this one."""
        return self.shift(-1)

    def same_period_last_year(self) -> Period:
        """The same period one year earlier."""
        return Period(self.kind, self.year - 1, self.index)

    def month_starts(self) -> list[date]:
        """First day of every month in the period."""
        return [
            date(*_add_months(self.start.year, self.start.month, i), 1) for i in range(self.months)
        ]

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls inside the period."""
        return self.start <= day < self.end_exclusive

    def __str__(self) -> str:
        return self.label

    @staticmethod
    def last_day_of_month(year: int, month: int) -> date:
        """Last calendar day of a month."""
        return date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------- config model


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class CancellationRule(_Strict):
    """How cancelled or returned lines are recognised in an order export."""

    invoice_prefix: str | None = Field(
        None, description="order ids starting with this are cancellations"
    )
    negative_quantity: bool = Field(True, description="a negative quantity marks a return")
    status_values: list[str] = Field(
        default_factory=lambda: ["cancelled", "canceled", "returned", "refunded"],
        description="values of the status column that mark a cancelled line",
    )
    negative_amount: bool = Field(
        True,
        description="a negative amount marks a refund or credit line (set aside as a "
        "cancellation); false: it is rejected as out of range instead",
    )


#: spellings of ``delimiter`` (or ``sep``) that stand for a character class or a control character
DELIMITER_WORDS = {"whitespace": r"\s+", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


class SourceConfig(_Strict):
    """Where one canonical table comes from and how its columns map.

    ``columns`` maps canonical names to source column names; ``derive`` computes canonical
    columns from source columns with a pandas expression over the source columns
    (``amount: Quantity * UnitPrice``; names with spaces or other characters in back quotes:
    ``amount: "`Unit Price` * `数量`"``). Text files: ``delimiter`` (alias ``sep``; ``whitespace``
    for runs of spaces/tabs, ``tab``), ``header: false`` with ``names:`` for files without a
    header line. ``keep_columns`` carries source columns that map to no canonical column into
    the clean table under their own names (``all``: every unmapped one). ``record_ids: true``
    numbers the records as the table's id when the export has none (a transaction log): every
    record is then its own row, and identical records are kept (repeated purchases).
    """

    path: str | None = None
    format: Literal["csv", "excel", "parquet", "sql", "duckdb"] | None = None
    encoding: str = "auto"
    delimiter: str | None = Field(
        None,
        description="field separator of a text file (alias `sep`): a character, or "
        "`whitespace` (runs of spaces and tabs), `tab`; default: sniffed",
    )
    header: bool = Field(True, description="false: the file has no header line (give `names`)")
    names: list[str] | None = Field(
        None, description="column names of a file without a header line, in file order"
    )
    keep_columns: list[str] | Literal["all"] = Field(
        default_factory=list,
        description="source columns (not mapped to a canonical column) carried into the clean "
        "table under their own names; `all`: every unmapped column",
    )
    record_ids: bool = Field(
        False,
        description="the export has no id column: the record number (1, 2, ...) becomes the "
        "table's id, so identical records stay separate rows (repeated purchases)",
    )
    sheet: str | int | None = None
    query: str | None = None
    url: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    derive: dict[str, str] = Field(default_factory=dict)
    date_format: str | None = None
    dayfirst: bool | None = Field(
        None,
        description="true: 05/11/2025 is 5 November; false: 11 May; unset: inferred per column "
        "from the values (25/11/2025 is day first); a column with both kinds is an error",
    )
    timezone: str | None = None
    decimal: Literal[".", ","] | None = Field(
        None,
        description="decimal mark of the numbers in a text file ('.' or ','); unset: detected "
        "per column (98,31 and 1.234,50 need ','); a column with both kinds is an error",
    )
    thousands: str | None = Field(
        None,
        description="grouping mark of the numbers (default: ',' with a decimal point, '.' with "
        "a decimal comma; spaces are always ignored)",
    )
    swap_day_month: list[str] = Field(
        default_factory=list,
        description="date columns (canonical names) whose values with day <= 12 were exported "
        "with day and month swapped: they are swapped back (the check that finds them is "
        "`check_swapped_days`)",
    )
    check_swapped_days: bool = Field(
        True,
        description="stop when a date column looks day/month-swapped for days <= 12 (a hole in "
        "the day-of-month histogram); false: skip the check",
    )
    id_format: Literal["as_is", "strip_zeros", "zero_pad"] = Field(
        "as_is",
        description="how all-digit customer ids are written: as_is; strip_zeros (00961 -> 961); "
        "zero_pad (961 -> 00961, to `id_width` digits); the same ids must match across tables",
    )
    id_width: int | None = Field(
        None,
        ge=1,
        le=64,
        description="the width of zero-padded customer ids (`id_format: zero_pad`)",
    )
    skip_rows: int = Field(
        0, ge=0, description="lines above the header to skip (a title row of a report export)"
    )
    encoding_errors: Literal["strict", "replace"] = Field(
        "strict",
        description="strict: bytes that are invalid in the encoding stop the read (naming the "
        "byte and line); replace: they become U+FFFD and the count is noted in the ledger",
    )
    values: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="per-column value recoding, e.g. score scales"
    )
    cancellation: CancellationRule = Field(default_factory=CancellationRule)

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, value: str) -> str:
        if value != "auto":
            try:
                codecs.lookup(value)
            except LookupError:
                raise ValueError(
                    f"unknown encoding {value!r}; use auto, utf-8, utf-8-sig, gb18030 or latin-1"
                ) from None
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                zoneinfo.ZoneInfo(value)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r}; use an IANA name such as Asia/Shanghai or UTC"
                ) from None
        return value

    @model_validator(mode="before")
    @classmethod
    def _sep(cls, data: Any) -> Any:
        """``sep`` (pandas' name) is accepted for ``delimiter``."""
        if isinstance(data, dict) and "sep" in data:
            data = dict(data)
            if "delimiter" in data:
                raise ValueError("give `delimiter` or `sep`, not both (they are the same key)")
            data["delimiter"] = data.pop("sep")
        return data

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str | None) -> str | None:
        if value is None:
            return value
        word = value.strip().lower()
        if word in DELIMITER_WORDS:
            return DELIMITER_WORDS[word]
        if value == r"\s+" or len(value) == 1:
            return value
        raise ValueError(
            f"unknown delimiter {value!r}; use one character (',', ';', '|'), `tab` or `whitespace`"
        )

    @model_validator(mode="after")
    def _where(self) -> SourceConfig:
        if not self.path and not self.query:
            raise ValueError("give either `path` (a file or glob) or `query` (SQL, with `url`)")
        if self.names is not None and len(set(self.names)) != len(self.names):
            repeated = sorted({n for n in self.names if self.names.count(n) > 1})
            raise ValueError(f"`names` repeats {repeated}; every column needs its own name")
        if self.id_format == "zero_pad" and self.id_width is None:
            raise ValueError("`id_format: zero_pad` needs `id_width:` (the number of digits)")
        if self.decimal is not None and self.thousands == self.decimal:
            raise ValueError("`thousands` and `decimal` must be different marks")
        if not self.header and not self.names:
            raise ValueError(
                "`header: false` needs `names:` (the columns of the file, in order), "
                "e.g. names: [customer_id, date, quantity, amount]"
            )
        return self


class CleaningConfig(_Strict):
    """Cleaning rules that are a matter of policy rather than of the data format.

    The defaults are safe on real exports: zero amounts are purchases (kept), outliers are
    flagged (``is_outlier`` in the clean orders) rather than rejected, and there is no date
    window beyond plausibility (1900-01-01 up to today + ``future_tolerance_days``).
    """

    outlier_method: Literal["log_iqr", "none"] = "log_iqr"
    outlier_k: float = Field(3.0, gt=0, description="IQR multiple on log(amount)")
    outlier_action: Literal["flag", "reject"] = Field(
        "flag",
        description="flag: outlier lines are kept with is_outlier = true (model fits can leave "
        "them out); reject: they are set aside with the reason",
    )
    max_amount: float | None = Field(
        None, gt=0, description="absolute cap; above it a line is rejected"
    )
    min_amount: float | None = Field(
        None,
        ge=0,
        description="lines with an amount below this are rejected (default: none; zero "
        "amounts are purchases)",
    )
    future_tolerance_days: int = Field(1, ge=0)
    category_case: Literal["most_common", "lower", "upper", "keep"] = Field(
        "most_common", description="how case variants of a category are unified"
    )
    min_date: date | None = Field(
        None,
        description="rows dated before this are rejected (default: none; dates before "
        "1900-01-01 are always implausible)",
    )


#: days per unit of a contractual snapshot's tenure (a month is 365.25 / 12 days)
TENURE_DAYS = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12, "years": 365.25}


class ChurnConfig(_Strict):
    """The churn definition and the horizon for churn probabilities."""

    definition: Literal["inactivity", "contractual"] = "inactivity"
    tenure_unit: Literal["days", "weeks", "months", "years"] = Field(
        "days",
        description="unit of a contractual snapshot's `tenure` column (customers mapped with "
        "`tenure` and `churned`, no dates; the snapshot is taken at the observation end)",
    )
    inactivity_days: int = Field(180, gt=0)
    horizon_days: int = Field(90, gt=0)
    penalizer: float = Field(0.01, ge=0)
    max_fit_rows: int = Field(200_000, gt=1000)
    covariates: list[str] | None = Field(
        None,
        description="Cox covariates (customer-view columns; text one-hot with a stated baseline, "
        "numbers as they are); default custops.survival.churn.DEFAULT_COVARIATES",
    )
    baselines: dict[str, str] = Field(
        default_factory=dict, description="categorical covariate -> its baseline level"
    )
    groups: list[str] = Field(
        default_factory=list,
        description="extra categorical columns with Kaplan-Meier curves (e.g. contract, region)",
    )
    horizons_days: list[int] = Field(
        default_factory=lambda: [90, 180, 365],
        description="days at which the survival table reports S(t) (365 is always included)",
    )
    min_group_events: int = Field(
        30,
        gt=0,
        description="survival groups with fewer churn events are flagged small: not plotted, "
        "not compared (a log-rank test and a median need events, not customers)",
    )
    landmark_days: int = Field(
        90,
        gt=0,
        description="landmark of the Cox model, in days after the first order: covariates "
        "are measured up to it, churn risk is counted after it (customers who churned or were "
        "censored before it are not in the model)",
    )


class ClvConfig(_Strict):
    """Parameters of the survival-based customer lifetime value."""

    margin: float = Field(0.3, gt=0, le=1)
    annual_discount_rate: float = Field(0.10, ge=0, lt=1)
    horizon_months: int = Field(24, gt=0)


class BtydConfig(_Strict):
    """Buy-till-you-die models beside survival (chapter 03, "Two views of customer value")."""

    enabled: bool = True
    model: Literal["bgnbd", "pareto"] = Field(
        "bgnbd", description="model behind the p_alive / expected_purchases / clv_btyd columns"
    )
    calibration_end: date | None = Field(
        None,
        description="last calibration day of the holdout check (default: day before the period start)",
    )
    time_unit_days: float = Field(
        7.0, gt=0, description="days per time unit of the fits (7: weeks)"
    )
    penalizer: float = Field(0.0, ge=0, description="ridge weight on the log-parameters")
    n_draws: int = Field(200, ge=0, description="parameter draws of the CLV intervals")
    min_repeat_customers: int = Field(
        30, ge=5, description="fewer repeat customers: section skipped"
    )
    max_fit_customers: int = Field(
        200_000,
        gt=1000,
        description="more customers: the purchase-count models are fitted, and the holdout "
        "backtest scored (the survival model refitted), on a seeded random sample of this many "
        "(every customer is still valued)",
    )
    independence_threshold: float = Field(
        0.3, gt=0, lt=1, description="|corr(frequency, spend)| that fails the Gamma-Gamma check"
    )


class SegmentConfig(_Strict):
    """RFM bins, value tier thresholds (annual spend) and lifecycle windows."""

    rfm_bins: int = Field(5, ge=2, le=10)
    tiers: dict[str, float] = Field(
        default_factory=lambda: {"A": 100_000.0, "B": 30_000.0, "C": 10_000.0},
        description="tier -> minimum annual spend; customers below the lowest are tier D",
    )
    new_days: int = Field(90, gt=0)
    sleeping_days: int = Field(90, gt=0)
    churned_days: int = Field(180, gt=0)
    k_range: tuple[int, int] = (3, 8)
    max_cluster_rows: int = Field(200_000, gt=1000)


class NpsConfig(_Strict):
    """Score scale and small-group threshold for NPS."""

    scale_max: int = Field(10, description="10 for 0-10; 5 maps 1-5 via config values")
    min_group_n: int = Field(30, gt=0)
    slow_response_hours: float = Field(24.0, gt=0)
    sla_hours: float = Field(48.0, gt=0)
    contact_within_days: int = Field(7, gt=0)
    groups: list[str] = Field(
        default_factory=list,
        description="extra survey or customer columns to break NPS down by (e.g. airline, cabin_class)",
    )
    scale_note: dict[str, str] | None = Field(
        None,
        description="how the export's score was mapped to 0-10, in words per language; shown in "
        "the NPS chapter (else the chapter states `sources.surveys.values.score` itself)",
    )


#: the components of the customer health score (custops.survival.health), in display order
HEALTH_COMPONENTS = (
    "recency",
    "frequency_trend",
    "spend_trend",
    "complaints",
    "service",
    "nps_csat",
    "engagement",
)


class HealthConfig(_Strict):
    """The customer health score: component weights (or learned) and the band cut-offs."""

    weights: dict[str, float] | None = Field(
        None,
        description="component -> weight (recency, frequency_trend, spend_trend, complaints, "
        "service, nps_csat, engagement); omitted: learned from past churn",
    )
    red_below: float = Field(50.0, gt=0, lt=100, description="scores below this are red")
    green_from: float = Field(75.0, gt=0, le=100, description="scores from this up are green")
    max_fit_customers: int | None = Field(
        200_000,
        gt=1000,
        description="learned weights: above this many alive customers the regression is fitted "
        "on a seeded random sample of this size, stratified by the outcome; null: never sample",
    )

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        if value is None:
            return value
        known = HEALTH_COMPONENTS
        unknown = [k for k in value if k not in known]
        if unknown:
            hints = "".join(_suggest(k, known) for k in unknown)
            raise ValueError(
                f"unknown health component(s) {unknown}; components are {list(known)}{hints}"
            )
        if any(v < 0 for v in value.values()) or sum(value.values()) <= 0:
            raise ValueError("health weights must be >= 0 and not all zero")
        return value

    @model_validator(mode="after")
    def _bands(self) -> HealthConfig:
        if self.red_below >= self.green_from:
            raise ValueError(
                f"health.red_below ({self.red_below:g}) must be below health.green_from "
                f"({self.green_from:g})"
            )
        return self


class CostsConfig(_Strict):
    """Acquisition spend, for CAC next to CLV by acquisition channel."""

    acquisition: dict[str, float] = Field(
        default_factory=dict,
        description="acquisition channel -> spend in the report period (currency units); "
        "CAC = spend / customers acquired through that channel in the period",
    )

    @field_validator("acquisition")
    @classmethod
    def _spend(cls, value: dict[str, float]) -> dict[str, float]:
        negative = [k for k, v in value.items() if v < 0]
        if negative:
            raise ValueError(f"acquisition spend must be >= 0; negative for {negative}")
        return value


class Target(_Strict):
    """A SMART target for one KPI."""

    kpi: str
    target: float
    direction: Literal["higher", "lower"] = "higher"
    deadline: str | None = None
    amber_tolerance: float = Field(0.05, ge=0, description="relative gap still counted amber")

    @field_validator("deadline", mode="before")
    @classmethod
    def _deadline_text(cls, value: Any) -> Any:
        return _period_text(value)

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Period.parse(value)
            except ConfigError as exc:  # a ValueError is gathered with the other problems
                raise ValueError(f"{exc.message} {exc.fix}") from None
        return value


class ReviewConfig(_Strict):
    """Targets and the PDCA action register for the quarterly review."""

    targets: list[Target] = Field(default_factory=list)
    actions: str | None = Field(None, description="YAML or CSV file with the action register")
    retention_holdout_share: float = Field(
        0.10,
        ge=0.0,
        lt=1.0,
        description="seeded random share of the retention priority list marked 'do not "
        "contact' (the control group the next report measures the outreach against)",
    )
    retention_campaign: str | None = Field(
        None,
        description="touches whose campaign contains this text are the retention outreach "
        "(who was actually contacted; enables the as-treated comparison in chapter 05)",
    )


#: columns that always hold personal data: a config's ``pii_columns`` can only add to them;
#: keeping one needs ``privacy.allow_pii``
BUILTIN_PII_COLUMNS = ("name", "phone", "email", "address", "id_number")


class PrivacyConfig(_Strict):
    """Which columns hold personal data and how ids are shown.

    ``pii_columns`` adds to :data:`BUILTIN_PII_COLUMNS` (it never removes one); a column of
    either list is kept in the clean tables only when named in ``allow_pii`` (the cleaning
    notes and chapter 01 say so). ``agent`` (ticket handlers' names) is personal data too:
    it is replaced by a pseudonym unless ``allow_pii`` names it (staff codes).
    """

    pii_columns: list[str] = Field(default_factory=lambda: list(BUILTIN_PII_COLUMNS))
    allow_pii: list[str] = Field(
        default_factory=list,
        description="personal-data columns deliberately kept in the clean tables (logged)",
    )
    pseudonymize_ids: bool = False
    id_key_env: str = "CUSTOPS_ID_KEY"


class EngineConfig(_Strict):
    """The feature engine: embedded DuckDB (default) or Spark."""

    name: Literal["duckdb", "spark"] = "duckdb"
    database: str = ":memory:"
    memory_limit: str | None = None
    temp_directory: str | None = Field(None, description="DuckDB spill folder (out of core)")
    threads: int | None = Field(None, gt=0, description="DuckDB threads (default: all cores)")
    partitions: int = Field(
        1,
        ge=1,
        description="DuckDB: compute per-customer features in this many passes over hash "
        "partitions of the customers (each pass holds 1/partitions of the aggregation state; "
        "raise it when the order log is far larger than memory_limit)",
    )
    spark_master: str = "local[2]"


class ReportConfig(_Strict):
    """The whole ``custops.yaml``.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate(
    ...     {"sources": {"orders": {"path": "o.csv"}, "customers": {"path": "c.csv"}}}
    ... )
    >>> cfg.churn.inactivity_days, cfg.language
    (180, 'en')
    """

    company: str = "Demo company"
    language: Literal["en", "zh"] = "en"
    currency: str = "CNY"
    seed: int = 42
    period: str | None = None
    observation_end: date | None = Field(
        None,
        description="the day the data are observed to (default: the earlier of the period end "
        "and the last timestamp in the data)",
    )
    sources: dict[str, SourceConfig]
    cleaning: CleaningConfig = Field(default_factory=CleaningConfig)
    churn: ChurnConfig = Field(default_factory=ChurnConfig)
    clv: ClvConfig = Field(default_factory=ClvConfig)
    btyd: BtydConfig = Field(default_factory=BtydConfig)
    segments: SegmentConfig = Field(default_factory=SegmentConfig)
    nps: NpsConfig = Field(default_factory=NpsConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    costs: CostsConfig = Field(default_factory=CostsConfig)
    review: ReviewConfig = Field(default_factory=ReviewConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)
    commentary: str | None = Field(
        "notes/{period}.md",
        description="the team's commentary per period (markdown, one `## <chapter>` section "
        "per chapter; {period} is replaced by the period label; a missing file shows nothing; "
        "null turns it off)",
    )
    base_dir: Path = Field(Path("."), exclude=True, description="folder relative paths start from")

    @field_validator("sources")
    @classmethod
    def _tables(cls, value: dict[str, SourceConfig]) -> dict[str, SourceConfig]:
        unknown = [name for name in value if name not in TABLES]
        if unknown:
            hints = [_suggest(name, TABLES) for name in unknown]
            raise ValueError(
                f"unknown table(s) {unknown}; tables are {list(TABLES)}" + "".join(hints)
            )
        if not value:
            raise ValueError(
                "no table has a source; give at least `orders` (customers are derived from "
                "the orders when there is no customer table)"
            )
        return value

    @field_validator("period", mode="before")
    @classmethod
    def _period_text(cls, value: Any) -> Any:
        return _period_text(value)

    @model_validator(mode="after")
    def _enough_tables(self) -> ReportConfig:
        # any one table with events is enough: customers are derived from orders when absent,
        # and a surveys-only or tickets-only export still gets its NPS / service chapter; a
        # contractual customer snapshot (churn.definition: contractual) stands on its own
        if any(name in self.sources for name in ("orders", "surveys", "tickets")):
            return self
        if self.churn.definition == "contractual" and "customers" in self.sources:
            return self
        raise ValueError(
            "no source for orders, surveys or tickets: at least one of them is needed "
            "(customers alone describe nobody's behaviour, unless they are a contractual "
            "snapshot: churn.definition: contractual)"
        )

    @field_validator("period")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                return Period.parse(value).label
            except ConfigError as exc:  # a ValueError is gathered with the other problems
                raise ValueError(f"{exc.message} {exc.fix}") from None
        return value

    def resolve(self, path: str | Path) -> Path:
        """A path from the config, made absolute against the config's folder."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else (self.base_dir / candidate).resolve()

    def has(self, table: str) -> bool:
        """Whether a source is configured for ``table``."""
        return table in self.sources


def _period_text(value: Any) -> Any:
    """A period written as a YAML number (``period: 2023``, ``202511``) as its text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def _suggest(word: str, options: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at the parent of ``loc`` (for typo suggestions)."""
    current: Any = model
    mapping_key = False  # the part after a dict field (``sources.<table>``) is a key, not a field
    for part in loc[:-1]:
        if isinstance(part, int) or current is None or mapping_key:
            mapping_key = False
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                current = None
                continue
            annotation = field.annotation
            args = getattr(annotation, "__args__", ())
            nested = [
                a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)
            ]
            current = nested[0] if nested else (SourceConfig if part == "sources" else None)
            mapping_key = get_origin(annotation) is dict
        elif current is SourceConfig:
            current = SourceConfig
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def format_validation_error(error: ValidationError, source: str) -> str:
    """Every problem of a config file, one per line, with typo suggestions."""
    lines = [f"{source}: {error.error_count()} problem(s) in the configuration:"]
    for item in error.errors():
        loc = tuple(item["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        if item["type"] == "extra_forbidden":
            hint = _suggest(loc[-1], _allowed_keys(ReportConfig, loc))
            lines.append(f"  - {where}: unknown key{hint}")
        else:
            given = item.get("input")
            shown = "" if isinstance(given, dict) else f" (got {given!r})"
            lines.append(f"  - {where}: {item['msg']}{shown}")
    return "\n".join(lines)


def _read_config_text(file: Path) -> str:
    """The text of a config file, or a ConfigError naming why it cannot be read."""
    if file.is_dir():
        raise ConfigError(
            f"The configuration {file} is a folder, not a file.",
            fix=f"Pass the YAML file itself, e.g. --config {file / 'custops.yaml'}.",
        )
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"The configuration {file} is not UTF-8 text (byte {exc.start}, line {line}: "
            f"{data[exc.start : exc.start + 4]!r}).",
            cause="It was saved in another encoding (GBK, Latin-1), or it is not a YAML file.",
            fix="Save it as UTF-8 (most editors: 'Save with encoding'), or pass the right file.",
        ) from None


def load_config(path: str | Path) -> ReportConfig:
    """Read and validate a ``custops.yaml``; relative paths start from its folder.

    Parameters
    ----------
    path : str or Path
        The YAML file.

    Returns
    -------
    ReportConfig

    Raises
    ------
    ConfigError
        With every problem listed (unknown keys with suggestions, wrong types).

    Examples
    --------
    >>> cfg = load_config("data/sample/custops.yaml")  # doctest: +SKIP
    >>> cfg.sources["orders"].path  # doctest: +SKIP
    'orders.csv'
    """
    file = Path(path).expanduser().resolve()
    if not file.exists():
        raise ConfigError(
            f"The configuration file {file} does not exist.",
            cause="The path is wrong, or the demo data has not been generated yet.",
            fix="Check the path; for the demo run `make demo` (or `custops demo-data --out data/sample`).",
        )
    try:
        raw = yaml.safe_load(_read_config_text(file)) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{file} is not valid YAML: {exc}",
            fix="Check indentation and quoting near the line named above.",
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{file} must hold a mapping of keys to values, not {type(raw).__name__}."
        )
    try:
        config = ReportConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(
            format_validation_error(exc, str(file)),
            fix="Correct the keys listed above; see data/sample/custops.yaml for a complete example.",
        ) from None
    config.base_dir = file.parent
    return config
