"""Notebook 01: collect, clean, describe the data quality and write the period's artifacts."""

from __future__ import annotations

from typing import Any

import pandas as pd

from custops.core.results import Headline, Headlines
from custops.features.engine import connect
from custops.features.features import Observation, customer_features, observation
from custops.features.purchases import order_ids_unique
from custops.ingest.artifacts import has_artifact, read_artifact, write_artifact
from custops.ingest.cleaning import ANNOUNCE_SHARE, CleanResult, load_and_clean
from custops.report import notebook as nb
from custops.report import plots
from custops.report.labels import column_label, value_label
from custops.report.ledger import ledger_text
from custops.report.notebook import Context, fmt_int, fmt_pct
from custops.report.text import t
from custops.segments.segmentation import value_tiers

__all__ = [
    "CUSTOMER_FEATURES",
    "CLEAN_ORDERS",
    "LEDGER",
    "REJECTS",
    "OBSERVATION",
    "INPUTS",
    "clean_table",
    "collect",
    "derived_customers",
    "ensure_inputs",
    "observation_note",
    "observation_sentence",
    "read_observation",
    "source_table",
    "overview",
    "announce_removals",
    "analyst_sample",
    "readable",
    "write_outputs",
    "headlines",
    "sources_section",
    "ledger_parts",
    "ledger_takeaway",
    "ledger_chart",
    "ledger_steps",
    "reject_reasons_table",
    "reject_examples",
    "cleaning_notes",
    "describe",
    "customer_sample",
    "outputs",
    "SAMPLE_COLUMNS",
]

#: the artifacts notebook 01 writes (the only place their names are spelled out; the other
#: chapters import these constants)
CUSTOMER_FEATURES = "customer_features.parquet"
CLEAN_ORDERS = "clean_orders.parquet"
LEDGER = "ledger.csv"
REJECTS = "rejects.csv"
OBSERVATION = "observation.csv"

#: the artifacts of notebook 01 every later chapter reads (the first two only with orders)
INPUTS = (CUSTOMER_FEATURES, CLEAN_ORDERS, LEDGER)


def clean_table(table: str) -> str:
    """The artifact name of a clean table: ``clean_<table>.parquet``.

    Examples
    --------
    >>> clean_table("customers")
    'clean_customers.parquet'
    """
    return f"clean_{table}.parquet"


def collect(ctx: Context) -> tuple[CleanResult, pd.DataFrame]:
    """Read, map and clean every source, then build the unified customer view.

    Returns
    -------
    result : CleanResult
        Clean tables (no personal-data columns), ledger, rejects.
    features : DataFrame
        One row per customer as of the period end (:func:`custops.features.features.customer_features`).

    Examples
    --------
    >>> result, features = collect(nb.start("data/sample/custops.yaml", "2025Q4"))  # doctest: +SKIP
    """
    result = load_and_clean(ctx.cfg, ctx.period)
    # The clean orders are written first and the engine reads that Parquet file (DuckDB scans
    # it in parallel; a frame of text ids is scanned object by object). With one row per order
    # (unique order ids) the engine skips grouping lines to orders: same features.
    orders = result.tables.get("orders")
    tables = dict(result.tables)
    seen = observation(result.tables, ctx.period, ctx.cfg.observation_end)
    write_artifact(pd.DataFrame([seen.to_dict()]), ctx.artifacts, OBSERVATION)
    engine = connect(ctx.cfg.engine)
    if orders is not None:
        orders_file = write_artifact(orders, ctx.artifacts, CLEAN_ORDERS)
        result.written["orders"] = orders_file
        # only DuckDB reads the local file; a SQL database (engine.database URL) cannot read
        # files and a Spark cluster's executors may not see this machine's disk: the frame
        tables["orders"] = str(orders_file) if engine.name == "duckdb" else orders
    try:
        features = customer_features(
            tables,
            ctx.period,
            inactivity_days=ctx.cfg.churn.inactivity_days,
            slow_response_hours=ctx.cfg.nps.slow_response_hours,
            grain="orders" if orders is not None and order_ids_unique(orders) else "lines",
            engine=engine,
            observation_end=seen.observation_end,
        )
    finally:
        engine.close()
    if orders is not None:  # spend tiers; without orders everybody would be the lowest tier
        features["tier"] = value_tiers(
            features, ctx.cfg.segments.tiers
        )  # for the stratified sample
    if "customers" not in result.tables:
        # no customer file: the customers are derived from the other tables (first order =
        # signup; result.notes says so), and the later chapters read them as any customers table
        result.tables["customers"] = derived_customers(features)
    return result, features


def read_observation(ctx: Context) -> Observation:
    """The period's observation end as notebook 01 measured it (:data:`OBSERVATION`).

    Examples
    --------
    >>> read_observation(ctx).partial  # doctest: +SKIP
    False
    """
    if not has_artifact(ctx.artifacts, OBSERVATION):  # an older build: the period's end
        end = ctx.period.end
        return Observation(ctx.period.label, end, None, end, 1.0)
    row = read_artifact(ctx.artifacts, OBSERVATION).iloc[0].to_dict()
    return Observation.from_dict({k: (None if pd.isna(v) else v) for k, v in row.items()})


def observation_note(ctx: Context) -> str:
    """The partial-period sentence every chapter shows ('' when the data cover the period).

    Examples
    --------
    >>> observation_note(ctx)  # doctest: +SKIP
    ''
    """
    return observation_sentence(read_observation(ctx), ctx.language)


def observation_sentence(seen: Observation, lang: str = "en") -> str:
    """The sentence of a partial period ('' when the data cover the whole period).

    Examples
    --------
    >>> from datetime import date
    >>> o = Observation("2011Q4", date(2011, 12, 31), date(2011, 12, 9), date(2011, 12, 9), 0.76)
    >>> observation_sentence(o)[:49]
    '> **The data end on 2011-12-09: 76% of 2011Q4.** '
    """
    if not seen.partial:
        return ""
    day = seen.observation_end.isoformat()
    return t("segments.features.observation", lang, day=day, share=seen.share, period=seen.period)


def derived_customers(features: pd.DataFrame) -> pd.DataFrame:
    """A customers table from the customer view: ``customer_id`` and ``signup_date`` (first order).

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": ["a"], "signup_date": pd.to_datetime(["2025-01-02"]), "n_orders": [3]})
    >>> derived_customers(f).columns.tolist()
    ['customer_id', 'signup_date']
    """
    out = pd.DataFrame({"customer_id": features["customer_id"].to_numpy()})
    signup = features.get("signup_date", pd.NaT)
    out["signup_date"] = pd.to_datetime(pd.Series(signup, index=features.index)).to_numpy()
    return out


def source_table(ctx: Context, result: CleanResult) -> pd.DataFrame:
    """Per table: where it came from, rows in, kept, merged, rejected and the rejected share.

    Examples
    --------
    >>> source_table(ctx, result)  # doctest: +SKIP
    """
    summary = result.summary()
    summary.insert(1, "source", [_source_label(ctx, name) for name in summary["table"]])
    summary["rejected_share"] = summary["rejected"] / summary["rows_in"]
    return summary


def announce_removals(ctx: Context, result: CleanResult) -> pd.DataFrame:
    """Say prominently (en or zh) which cleaning rule removed more than 5 % of a table.

    Each such rule gets a warning paragraph with its config key; nothing is shown when no
    rule removed that much.

    Returns
    -------
    DataFrame
        :meth:`custops.ingest.cleaning.CleanResult.large_removals` (empty: nothing shown).

    Examples
    --------
    >>> announce_removals(ctx, result)  # doctest: +SKIP
    """
    large = result.large_removals()
    for row in large.itertuples():
        nb.md(
            t(
                "collection.large_removal",
                ctx.language,
                threshold=fmt_pct(ANNOUNCE_SHARE, 0),
                table=row.table,
                rule=row.rule,
                removed=fmt_int(row.removed),
                rows_in=fmt_int(row.rows_in),
                share=fmt_pct(row.share),
                knob=", ".join(f"`{k}`" for k in row.knob.split(", ")),
            )
        )
    return large


def _source_label(ctx: Context, table: str) -> str:
    src = ctx.cfg.sources[table]
    return src.path if src.path else "SQL query"


def overview(ctx: Context, result: CleanResult, features: pd.DataFrame) -> str:
    """A plain-language paragraph about what was read and kept (en or zh).

    Examples
    --------
    >>> overview(ctx, result, features)  # doctest: +SKIP
    """
    summary = result.summary()
    rows_in = int(summary["rows_in"].sum())
    rejected = int(summary["rejected"].sum())
    merged = int(summary["merged"].sum())
    buyers = int(features["has_ordered"].sum())
    active = int(features["active_in_period"].sum())
    new = int(features["is_new"].sum())
    return t(
        "collection.overview",
        ctx.language,
        n_tables=len(summary),
        tables=", ".join(summary["table"]),
        rows_in=fmt_int(rows_in),
        kept=fmt_int(rows_in - rejected - merged),
        merged=fmt_int(merged),
        rejected=fmt_int(rejected),
        rejected_share=fmt_pct(rejected / rows_in),
        customers=fmt_int(len(features)),
        buyers=fmt_int(buyers),
        active=fmt_int(active),
        new=fmt_int(new),
        period=ctx.period.label,
    )


def reject_reasons(result: CleanResult) -> pd.DataFrame:
    """Rejected rows counted by table and rule, largest first.

    Examples
    --------
    >>> reject_reasons(result)  # doctest: +SKIP
    """
    if result.rejects.empty:
        return pd.DataFrame(columns=["table", "rule", "rows"])
    counts = result.rejects.groupby(["table", "rule"]).size().rename("rows").reset_index()
    return counts.sort_values("rows", ascending=False, ignore_index=True)


def readable(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The ledger or the rejects with their notes and reasons in the report language
    (:func:`custops.report.ledger.ledger_text`); the other columns as they are.

    Examples
    --------
    >>> f = pd.DataFrame({"rule": ["missing id"], "reason": ["empty customer_id"]})
    >>> readable(f, "zh")["reason"].tolist()
    ['空值：`customer_id`']
    """
    out = frame.copy()
    for column in ("note", "reason"):
        if column in out.columns:
            out[column] = out[column].map(lambda text: ledger_text(text, lang))
    return out


def analyst_sample(
    features: pd.DataFrame,
    by: tuple[str, ...] = ("tier", "region"),
    per_group: int = 2,
    seed: int = 42,
) -> pd.DataFrame:
    """A small stratified sample of the customer view (``per_group`` per stratum), no personal data.

    Examples
    --------
    >>> f = pd.DataFrame({"customer_id": list("abcdef"), "tier": list("AABBCC"), "region": ["x"] * 6})
    >>> analyst_sample(f, per_group=1)["tier"].tolist()
    ['A', 'B', 'C']
    """
    keys = [c for c in by if c in features.columns]
    if not keys:
        return features.sample(min(len(features), per_group * 10), random_state=seed)
    shuffled = features.sample(frac=1.0, random_state=seed)
    sample = shuffled.groupby(keys, dropna=False, sort=False).head(per_group)
    return sample.sort_values([*keys, "customer_id"]).reset_index(drop=True)


def write_outputs(ctx: Context, result: CleanResult, features: pd.DataFrame) -> pd.DataFrame:
    """Write the clean tables, customer view, ledger and rejects; return what was written.

    Examples
    --------
    >>> write_outputs(ctx, result, features)  # doctest: +SKIP
    """
    written = []
    for table, frame in result.tables.items():
        done = result.written.get(table)  # the clean orders, written by collect
        written.append(done or write_artifact(frame, ctx.artifacts, clean_table(table)))
    written.append(write_artifact(features, ctx.artifacts, CUSTOMER_FEATURES))
    written.append(write_artifact(result.ledger, ctx.artifacts, LEDGER))
    written.append(write_artifact(result.rejects, ctx.artifacts, REJECTS))
    return pd.DataFrame(
        {"artifact": [p.name for p in written], "bytes": [p.stat().st_size for p in written]}
    )


def headlines(features: pd.DataFrame, sources: pd.DataFrame) -> Headlines:
    """The glued headline numbers of notebook 01 (the landing page quotes them).

    Customers in the view, customers active in the period, the period's revenue, the input
    rows read and the share of them rejected, from the customer view and
    :func:`source_table`. Without an orders table (``sources`` lists the tables) the active
    customers and the revenue are left out, not shown as 0.

    Examples
    --------
    >>> f = pd.DataFrame({"active_in_period": [True, False], "revenue_period": [10.0, 0.0]})
    >>> s = pd.DataFrame({"rows_in": [90, 10], "rejected": [4, 1]})
    >>> h = headlines(f, s)
    >>> h["data_customers"], h["data_active_customers"], h["data_rows_in"], h["data_reject_share"]
    (2, 1, 100, 0.05)
    >>> sorted(headlines(f, s.assign(table=["customers", "surveys"])))  # no orders: no revenue
    ['data_customers', 'data_reject_share', 'data_rows_in']
    """
    # without an orders table nobody "ordered" and there is no revenue: not 0, unknown
    ordered = "table" not in sources or "orders" in set(sources["table"])
    out = [Headline("data_customers", len(features), "count")]
    if ordered:
        active = int(features["active_in_period"].sum())
        revenue = float(features["revenue_period"].sum())
        out += [
            Headline("data_active_customers", active, "count"),
            Headline("data_revenue_period", revenue, "money"),
        ]
    rows_in = int(sources["rows_in"].sum())
    out += [
        Headline("data_rows_in", rows_in, "count"),
        Headline("data_reject_share", float(sources["rejected"].sum() / rows_in), "share"),
    ]
    return Headlines(out)


def ensure_inputs(ctx: Context, *, build: bool | None = None) -> pd.DataFrame | None:
    """Make sure notebook 01's artifacts exist for the period; build them when they do not.

    Chapters 02-05 read what notebook 01 wrote for the same period. An analyst who opens a
    chapter in JupyterLab and changes ``period`` would otherwise have to run notebook 01 by
    hand first. With the artifacts present this does nothing (and shows nothing).

    Parameters
    ----------
    ctx : Context
        From :func:`custops.report.notebook.start`.
    build : bool, optional
        Build missing artifacts (collect, clean, customer view: what notebook 01 computes).
        Default: yes interactively; no inside ``custops run`` (its staged run executes
        notebook 01 first; a missing artifact there is an error naming the ``--only`` to run).

    Returns
    -------
    DataFrame or None
        The artifacts written (as :func:`write_outputs` lists them), or None when nothing was
        missing.

    Raises
    ------
    CustopsError
        When artifacts are missing and ``build`` is false: which ``custops run --only`` to run.

    Examples
    --------
    >>> ensure_inputs(nb.start(None, "2025Q3"))  # doctest: +SKIP
    """
    import os

    from custops.core.errors import CustopsError
    from custops.ingest.artifacts import STAGE_ENV, has_artifact
    from custops.report.notebook import md

    # a surveys-only or tickets-only export has no orders and so no customer view
    needed = INPUTS if "orders" in ctx.cfg.sources else (LEDGER,)
    missing = [name for name in needed if not has_artifact(ctx.artifacts, name)]
    if not missing:
        return None
    label = ctx.period.label
    config = ctx.config_file or ctx.cfg.base_dir / "custops.yaml"
    command = f"custops run --config {config} --period {label}"
    if build is None:
        build = not os.environ.get(STAGE_ENV)
    if not build:
        raise CustopsError(
            f"The artifacts of notebook 01 for {label} are missing in {ctx.artifacts}: "
            f"{', '.join(missing)}.",
            cause="notebook 01 (data collection) has not run for this period.",
            fix=f"Run `{command} --only 01` first (or the whole report without --only).",
        )
    missing_names = ", ".join(missing)
    md(
        t(
            "collection.ensure.building",
            ctx.language,
            period=label,
            missing=missing_names,
            command=command,
        )
    )
    result, features = collect(ctx)
    written = write_outputs(ctx, result, features)
    md(
        t(
            "collection.ensure.written",
            ctx.language,
            folder=ctx.artifacts,
            customers=fmt_int(len(features)),
        )
    )
    return written


# --------------------------------------------------------------------------- notebook sections


def sources_section(ctx: Context, result: CleanResult, features: pd.DataFrame) -> pd.DataFrame:
    """What was read and kept, in a paragraph, then the table of sources (:func:`source_table`).

    Returns the table of sources (the ledger chart and the headlines use it).

    Examples
    --------
    >>> sources = sources_section(ctx, result, features)  # doctest: +SKIP
    """
    sources = source_table(ctx, result)
    nb.md(overview(ctx, result, features))
    nb.note(observation_note(ctx))
    nb.show(nb.table(sources, percent=("rejected_share",)))
    return sources


def ledger_parts(sources: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Per table (its readable name): rows kept, merged and rejected and their shares.

    Examples
    --------
    >>> s = pd.DataFrame({"table": ["orders"], "kept": [90], "merged": [4], "rejected": [6]})
    >>> ledger_parts(s).iloc[0].to_dict()
    {'table': 'orders', 'kept': 90, 'merged': 4, 'rejected': 6, 'kept_share': 0.9, 'merged_share': 0.04, 'rejected_share': 0.06}
    """
    parts = sources[["table", "kept", "merged", "rejected"]].reset_index(drop=True)
    rows = parts[["kept", "merged", "rejected"]].sum(axis=1)
    for column in ("kept", "merged", "rejected"):
        parts[f"{column}_share"] = parts[column] / rows
    parts["table"] = [value_label(name, lang) for name in parts["table"]]
    return parts


def ledger_takeaway(parts: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the row ledger (:func:`ledger_parts`): the share of input rows kept,
    and the table with the largest share set aside (rejected).

    Examples
    --------
    >>> s = pd.DataFrame({"table": ["orders", "customers"], "kept": [90, 50],
    ...     "merged": [4, 0], "rejected": [6, 0]})
    >>> ledger_takeaway(ledger_parts(s))
    '93% of the 150 input rows were kept; the orders table had the largest share set aside (6%).'
    """
    total = float(parts[["kept", "merged", "rejected"]].to_numpy(dtype=float).sum())
    if total <= 0:
        return t("figure.no_data", lang)
    kept = f"{parts['kept'].sum() / total:.0%}"
    rejected = parts["rejected_share"].astype(float).fillna(0.0)  # a table without rows: 0
    if float(rejected.max()) <= 0:
        return t("figure.ledger.clean", lang, kept=kept, rows=f"{total:,.0f}")
    worst = int(rejected.to_numpy().argmax())
    return t(
        "figure.ledger",
        lang,
        kept=kept,
        rows=f"{total:,.0f}",
        table=parts["table"].iloc[worst],
        rejected=f"{rejected.iloc[worst]:.0%}",
    )


def ledger_chart(ctx: Context, sources: pd.DataFrame) -> Any:
    """Where every input row went, per table (kept, merged, rejected), with its caption.

    Examples
    --------
    >>> ledger_chart(ctx, sources)  # doctest: +SKIP
    """
    lang = ctx.language
    parts = ledger_parts(sources, lang)
    return plots.ledger_chart(
        parts,
        title=t("collection.ledger_title", lang, period=ctx.period.label),
        labels={key: column_label(key, lang) for key in ("kept", "merged", "rejected")},
        takeaway=ledger_takeaway(parts, lang),
    )


def ledger_steps(ctx: Context, result: CleanResult, *, max_rows: int = 60) -> None:
    """The ledger's steps that changed something (and each table's first step), readable.

    Examples
    --------
    >>> ledger_steps(ctx, result)  # doctest: +SKIP
    """
    ledger = readable(result.ledger, ctx.language)
    changed = (
        (ledger["rejected"] > 0)
        | (ledger["merged"] > 0)
        | (ledger["changed"] > 0)
        | (ledger["step"] == 1)
    )
    nb.show(nb.table(ledger[changed], max_rows=max_rows))


def reject_reasons_table(ctx: Context, result: CleanResult) -> None:
    """The rejected rows counted by table and rule (:func:`reject_reasons`).

    Examples
    --------
    >>> reject_reasons_table(ctx, result)  # doctest: +SKIP
    """
    nb.show(nb.table(reject_reasons(result)))


def reject_examples(ctx: Context, result: CleanResult, *, per_rule: int = 2) -> None:
    """The first ``per_rule`` rejected rows of every rule, with their file, row and reason.

    Examples
    --------
    >>> reject_examples(ctx, result)  # doctest: +SKIP
    """
    columns = ["table", "source_file", "source_row", "rule", "reason"]
    rejects = readable(result.rejects, ctx.language)
    nb.show(nb.table(rejects.groupby("rule", group_keys=False).head(per_rule)[columns]))


def cleaning_notes(ctx: Context, result: CleanResult) -> None:
    """The cleaning's notes (derived tables, settings applied), one bullet each.

    Examples
    --------
    >>> cleaning_notes(ctx, result)  # doctest: +SKIP
    """
    for note in result.notes:
        nb.md(f"- {ledger_text(note, ctx.language)}")


def describe(ctx: Context, features: pd.DataFrame, *, max_rows: int = 50) -> None:
    """Count, mean, spread and quantiles of every numeric column of the customer view.

    Examples
    --------
    >>> describe(ctx, features)  # doctest: +SKIP
    """
    summary = features.describe().T.reset_index().rename(columns={"index": "column"})
    nb.show(nb.table(summary, max_rows=max_rows))


#: the customer-view columns of the analysts' sample (those present are shown)
SAMPLE_COLUMNS = (
    "customer_id",
    "tier",
    "region",
    "acquisition_channel",
    "app_bound",
    "n_orders",
    "revenue_365d",
    "recency_days",
    "n_tickets",
    "last_nps_score",
)


def customer_sample(
    ctx: Context, features: pd.DataFrame, *, per_group: int = 2, max_rows: int = 60
) -> None:
    """A small stratified sample of the customer view for analysts (:func:`analyst_sample`).

    Examples
    --------
    >>> customer_sample(ctx, features, per_group=2)  # doctest: +SKIP
    """
    sample = analyst_sample(features, per_group=per_group, seed=ctx.seed)
    nb.show(nb.table(sample[[c for c in SAMPLE_COLUMNS if c in sample.columns]], max_rows=max_rows))


def outputs(ctx: Context, result: CleanResult, features: pd.DataFrame) -> None:
    """Write the period's artifacts (:func:`write_outputs`) and list them with their sizes.

    Examples
    --------
    >>> outputs(ctx, result, features)  # doctest: +SKIP
    """
    nb.show(nb.table(write_outputs(ctx, result, features)))
