"""Chapter 03, section "Two views of customer value": survival CLV beside BTYD CLV, both
backtested.

:func:`two_views` does the whole section (notebook 03 calls it through
:func:`custops.chapters.churn.two_views`): it fits BG/NBD, Pareto/NBD and Gamma-Gamma on the
purchases up to the observation end, adds ``p_alive``, ``expected_purchases_<h>d``,
``clv_btyd`` (with its 95% interval) to the churn scores, compares the two CLVs (Spearman rank
correlation, top-decile overlap), backtests both model families on a holdout (fit up to
``btyd.calibration_end``, default the day before the period start; predict the purchases from
then to the observation end) and checks the Gamma-Gamma independence assumption. A
contractual churn definition, missing orders or too few repeat customers end the section with
one sentence. Above ``btyd.max_fit_customers`` customers the models are fitted, and the
backtest scored, on a seeded random sample (every customer is still valued).

The computations are :mod:`custops.survival.btyd` (models, summaries, holdout, value) and
:mod:`custops.survival.btyd.compare` (rank agreement, survival predictor, charts).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custops.core.index import OrderIndex
from custops.core.results import Headline, Headlines
from custops.report.text import paragraph, t
from custops.survival.btyd import compare
from custops.survival.btyd.gamma_gamma import GammaGammaFitter, independence_check
from custops.survival.btyd.holdout import MODELS, HoldoutResult, holdout_validation
from custops.survival.btyd.summary import PurchaseDays, btyd_summary, fit_sample
from custops.survival.btyd.value import customer_value

__all__ = ["TwoViews", "two_views", "headlines", "BTYD_COLUMNS"]

#: columns the section adds to the churn scores (and the retention priority list)
BTYD_COLUMNS = ("p_alive", "expected_purchases", "clv_btyd", "clv_btyd_low", "clv_btyd_high")


_GREEK = {"alpha": "α", "beta": "β"}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    """The section's text ``btyd.<key>`` from the catalog (custops.report.text)."""
    return t(f"btyd.{key}", lang, **kwargs)


def _money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}".strip()


def _closed(ax: Any) -> Any:
    """The figure of a chart, closed so that it is shown once, by :meth:`TwoViews.show`."""
    import matplotlib.pyplot as plt

    fig = ax.figure
    plt.close(fig)
    return fig


def _summaries(
    orders: pd.DataFrame,
    end: pd.Timestamp,
    unit: float,
    orders_file: str | None,
    index: OrderIndex | None,
) -> Any:
    """``f(day) -> `` the BTYD summary at ``day`` (at most ``end``): from the index's order
    heads when the orders have one row per order (purchase days aggregated once, the same
    numbers), else by the engine for each day."""
    if index is not None and index.check(orders).one_row_per_order:
        days = PurchaseDays.from_heads(index.heads, end)
        return lambda day: days.summary(day, time_unit_days=unit)
    return lambda day: btyd_summary(orders_file or orders, day, time_unit_days=unit)


def _of_customers(
    tables: dict[str, pd.DataFrame], ids: pd.Series, index: OrderIndex | None = None
) -> dict[str, pd.DataFrame]:
    """The tables' rows of the customers ``ids`` (tables without ``customer_id`` kept whole);
    the orders through the index's integer codes when there is one."""
    keep = pd.Index(ids.unique())
    out = {}
    for name, frame in tables.items():
        if name == "orders" and index is not None and index.orders is frame:
            wanted = np.zeros(index.n_customers + 1, dtype=bool)  # the last slot: code -1
            wanted[index.label_index.get_indexer(keep)] = True
            wanted[-1] = False
            out[name] = frame[wanted[index.codes]]
        elif "customer_id" in frame:
            out[name] = frame[frame["customer_id"].isin(keep)]
        else:
            out[name] = frame
    return out


@dataclass
class TwoViews:
    """What the section shows: texts, tables, figures, glued numbers and the scores."""

    scores: pd.DataFrame | None
    texts: list[str] = field(default_factory=list)
    holdout: HoldoutResult | None = None
    comparison: dict[str, float] = field(default_factory=dict)
    independence: dict[str, Any] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)
    #: holdout totals: ``actual``, ``expected`` (BG/NBD) repeat purchases and the ``winner``
    backtest: dict[str, Any] = field(default_factory=dict)
    figures: list[Any] = field(default_factory=list)
    tables: list[tuple[pd.DataFrame, dict[str, Any]]] = field(default_factory=list)

    def show(self) -> None:
        """Display the section (Markdown, tables and figures, in order)."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        from custops.report.notebook import md, table

        for text in self.texts:
            md(text)
        for frame, formats in self.tables:
            display(table(frame, **formats))
        for fig in self.figures:
            display(fig)
            plt.close(fig)


def headlines(views: TwoViews) -> Headlines:
    """The section's glued numbers (``btyd_*`` keys), from what :func:`two_views` found.

    Only the numbers the section could compute are present: the rank agreement when at
    least three customers have both values, the spend-frequency correlation when the
    Gamma-Gamma check ran, the holdout totals when there was a holdout.

    Examples
    --------
    >>> v = TwoViews(scores=pd.DataFrame(), comparison={"n": 5, "spearman": 0.81234,
    ...     "overlap": 0.5, "total": 120.0})
    >>> dict(headlines(v))
    {'btyd_clv_spearman': 0.812, 'btyd_clv_top_decile_overlap': 0.5, 'btyd_clv_total': 120.0}
    """
    out: list[Headline] = []
    agree = views.comparison
    if agree.get("n", 0) >= 3:
        out += [
            Headline("btyd_clv_spearman", round(agree["spearman"], 3), "ratio"),
            Headline("btyd_clv_top_decile_overlap", round(agree["overlap"], 3), "share"),
            Headline("btyd_clv_total", float(agree["total"]), "money"),
        ]
    if views.independence:
        pearson = round(float(views.independence["pearson"]), 3)
        out.append(Headline("btyd_spend_frequency_corr", pearson, "ratio"))
    if views.backtest:
        out += [
            Headline("btyd_holdout_actual", float(views.backtest["actual"]), "count"),
            Headline("btyd_holdout_expected", float(views.backtest["expected"]), "count"),
            Headline("btyd_holdout_winner", str(views.backtest["winner"]), "label"),
        ]
    return Headlines(out)


def two_views(
    ctx: Any,
    tables: dict[str, pd.DataFrame],
    scores: pd.DataFrame | None,
    orders_file: str | None = None,
    index: OrderIndex | None = None,
) -> TwoViews:
    """The whole "Two views of customer value" section; see the module docs.

    Parameters
    ----------
    ctx : custops.report.notebook.Context
    tables : dict of DataFrame
        The clean tables (``orders`` needed).
    scores : DataFrame or None
        :func:`custops.survival.clv.churn_scores` (``customer_id``, ``event``, ``clv``);
        ``None`` when the survival model was not fitted: the BTYD models are still fitted
        on the orders and ``scores`` becomes one row per customer with their columns.
    orders_file : str, optional
        The same clean orders as a Parquet file: the BTYD summaries are then computed by
        DuckDB from the file instead of copying the frame into the engine (faster at
        millions of rows, same summaries).
    index : OrderIndex, optional
        The index of ``tables["orders"]``; with one row per order the summaries come from its
        order heads (:func:`custops.survival.btyd.summary.summary_from_heads`).

    Returns
    -------
    TwoViews
        ``scores`` gains :data:`BTYD_COLUMNS` (with ``expected_purchases_<h>d``) when the
        models are fitted.

    Examples
    --------
    >>> views = two_views(ctx, tables, scores)  # doctest: +SKIP
    >>> views.show()  # doctest: +SKIP
    """
    lang = ctx.language
    cfg = ctx.cfg.btyd
    out = TwoViews(scores=scores)
    if not cfg.enabled:
        out.texts.append(_t("disabled", lang))
        return out
    if ctx.cfg.churn.definition == "contractual":
        out.texts.append(_t("contractual", lang))
        return out
    orders = tables.get("orders")
    if orders is None or orders.empty:
        out.texts.append(_t("no_orders", lang))
        return out
    last = pd.to_datetime(orders["order_date"]).max().normalize()
    obs_end = min(pd.Timestamp(ctx.period.end), last)
    summary_at = _summaries(orders, obs_end, cfg.time_unit_days, orders_file, index)
    summary = summary_at(obs_end)
    n_rep = int((summary["frequency"] > 0).sum())
    if n_rep < cfg.min_repeat_customers:
        out.texts.append(
            _t("too_few", lang, n=n_rep, end=obs_end.date(), need=cfg.min_repeat_customers)
        )
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_on = fit_sample(summary, cfg.max_fit_customers, ctx.seed)
        fits = {name: cls(penalizer=cfg.penalizer).fit(fit_on) for name, cls in MODELS.items()}
        spend = GammaGammaFitter(penalizer=cfg.penalizer).fit(summary)
    out.models = {**fits, "Gamma-Gamma": spend}
    chosen = "BG/NBD" if cfg.model == "bgnbd" else "Pareto/NBD"
    conv = {
        k: _t("converged" if m.converged_ else "not_converged", lang) for k, m in out.models.items()
    }
    bg, pn = fits["BG/NBD"], fits["Pareto/NBD"]
    pn_text = _t("params_sep", lang).join(
        f"{_GREEK.get(k, k)} = {v:.3f}" for k, v in pn.params_.items()
    )
    pn_text += _t("status_paren", lang, status=conv["Pareto/NBD"])
    out.texts.append(
        _t(
            "fits",
            lang,
            n=f"{len(summary):,}",
            end=obs_end.date(),
            unit=cfg.time_unit_days,
            **bg.params_.to_dict(),
            bg_conv=conv["BG/NBD"],
            pn_conv=pn_text,
            n_rep=f"{spend.n_customers_:,}",
            **spend.params_.to_dict(),
            gg_conv=conv["Gamma-Gamma"],
            model=chosen,
        )
    )
    if len(fit_on) < len(summary):
        out.texts.append(
            _t("sampled", lang, n=f"{len(fit_on):,}", of=f"{len(summary):,}", seed=ctx.seed)
        )

    # ------------------------------------------------------------ the BTYD columns
    horizon = ctx.cfg.churn.horizon_days
    if scores is None:
        scores = summary[["customer_id"]].copy()
    valued = scores
    if "event" in valued:
        valued = valued[valued["event"] == 0]
    if "clv" in valued:
        valued = valued[valued["clv"].notna()]
    value = customer_value(
        fits[chosen],
        spend,
        summary,
        margin=ctx.cfg.clv.margin,
        annual_discount_rate=ctx.cfg.clv.annual_discount_rate,
        horizon_months=ctx.cfg.clv.horizon_months,
        time_unit_days=cfg.time_unit_days,
        purchases_days=horizon,
        n_draws=cfg.n_draws,
        random_state=ctx.seed,
        total_of=summary["customer_id"].isin(valued["customer_id"]).to_numpy(),
    )
    value.index = summary["customer_id"].to_numpy()
    purchases_col = f"expected_purchases_{horizon}d"
    added = scores.copy()
    for column in BTYD_COLUMNS:
        target = purchases_col if column == "expected_purchases" else column
        added[target] = added["customer_id"].map(value[column]).to_numpy(dtype=float)
    out.scores = added

    # ------------------------------------------------------------ side by side
    active = added[(added["event"] == 0)] if "event" in added else added
    agree = (
        compare.rank_agreement(active["clv"], active["clv_btyd"]) if "clv" in active else {"n": 0}
    )
    out.comparison = agree
    cur = ctx.cfg.currency
    if agree["n"] >= 3:
        both = active[active["clv"].notna() & active["clv_btyd"].notna()]
        low, high = value.attrs["total_low"], value.attrs["total_high"]
        out.texts.append(
            _t(
                "compare",
                lang,
                n=f"{agree['n']:,}",
                surv=_money(both["clv"].sum(), cur),
                btyd=_money(both["clv_btyd"].sum(), cur),
                low=_money(low, cur),
                high=_money(high, cur),
                rho=agree["spearman"],
                overlap=agree["overlap"],
            )
        )
        agree["total"] = float(both["clv_btyd"].sum())
        out.figures.append(
            _closed(
                compare.plot_clv_scatter(
                    both,
                    title=_t("scatter_title", lang, period=ctx.period.label),
                    lang=lang,
                    takeaway=compare.scatter_takeaway(both, lang),
                )
            )
        )
    else:
        out.texts.append(_t("no_compare", lang))

    # ------------------------------------------------------------ independence check
    check = independence_check(summary, threshold=cfg.independence_threshold)
    out.independence = check
    if np.isfinite(check["pearson"]):
        key = "gg_ok" if check["passed"] else "gg_fail"
        out.texts.append(
            _t(
                key,
                lang,
                n=f"{check['n']:,}",
                r=check["pearson"],
                rho=check["spearman"],
                p=check["p_value"],
                threshold=cfg.independence_threshold,
            )
        )

    # ------------------------------------------------------------ holdout
    _holdout(ctx, tables, orders, obs_end, out, summary_at, index)
    return out


def _holdout(
    ctx: Any,
    tables: dict[str, pd.DataFrame],
    orders: pd.DataFrame,
    obs_end: pd.Timestamp,
    out: TwoViews,
    summary_at: Any,
    index: OrderIndex | None = None,
) -> None:
    lang = ctx.language
    cfg = ctx.cfg.btyd
    cal_end = pd.Timestamp(cfg.calibration_end or ctx.period.start) - pd.Timedelta(
        days=0 if cfg.calibration_end else 1
    )
    cal_summary = summary_at(cal_end) if cal_end < obs_end else None
    n_rep = 0 if cal_summary is None else int((cal_summary["frequency"] > 0).sum())
    if cal_summary is None or (obs_end - cal_end).days < 7 or n_rep < cfg.min_repeat_customers:
        out.texts.append(_t("holdout_short", lang, cal=cal_end.date(), end=obs_end.date(), n=n_rep))
        return
    # above btyd.max_fit_customers the backtest scores a seeded sample of the customers (the
    # models are fitted on the same sample), and the survival model is refitted on it too
    scored = fit_sample(cal_summary, cfg.max_fit_customers, ctx.seed)
    sampled = len(scored) < len(cal_summary)
    if sampled:
        tables = _of_customers(tables, scored["customer_id"], index)
        orders = tables["orders"]
    extra = {}
    previous = ctx.period.previous()
    survival_name = _t("survival_name", lang)
    why = None
    if pd.Timestamp(previous.end) == cal_end:
        try:
            extra[survival_name] = compare.survival_predictor(
                tables, previous, ctx.cfg.churn, random_state=ctx.seed
            )
        except Exception as error:  # a failed refit is reported in words, not raised
            why = str(error).splitlines()[0][:160]
    else:
        why = "btyd.calibration_end is not the end of the previous period"
    result = holdout_validation(
        orders,
        cal_end,
        obs_end,
        time_unit_days=cfg.time_unit_days,
        penalizer=cfg.penalizer,
        extra=extra,
        summary=scored,
        max_fit_customers=cfg.max_fit_customers,
        random_state=ctx.seed,
    )
    out.holdout = result
    totals = result.totals()
    rows = paragraph(
        (
            _t(
                "holdout_row",
                lang,
                model=r.model,
                expected=r.expected,
                error=r.error_pct,
                mae=r.mae,
            )
            for r in totals.itertuples()
        ),
        lang,
    )
    winner = result.winner()
    out.texts.append(
        _t(
            "holdout",
            lang,
            cal=cal_end.date(),
            end=obs_end.date(),
            days=(obs_end - cal_end).days,
            n=f"{len(result.customers):,}",
            actual=float(result.customers["actual"].sum()),
            rows=rows,
            winner=winner,
        )
    )
    out.texts.append(_t("survival_note", lang) if why is None else _t("no_survival", lang, why=why))
    if sampled:
        n, of = f"{len(scored):,}", f"{len(cal_summary):,}"
        out.texts.append(_t("holdout_sampled", lang, n=n, of=of, seed=ctx.seed))
    out.tables.append(
        (totals, {"percent": ("error_pct",), "decimals": {"mae": 2, "expected": 0, "actual": 0}})
    )
    by_frequency = result.by_frequency()
    out.tables.append((by_frequency, {"decimals": {c: 2 for c in by_frequency.columns[2:]}}))
    axes = compare.plot_holdout(
        result,
        by_frequency,
        title=_t("tracking_title", lang, period=ctx.period.label),
        lang=lang,
        takeaway=compare.holdout_takeaway(result, lang),
    )
    out.figures.append(_closed(axes[0]))
    out.backtest = {
        "actual": float(result.customers["actual"].sum()),
        "expected": float(totals.set_index("model").loc["BG/NBD", "expected"]),
        "winner": str(winner),
    }
