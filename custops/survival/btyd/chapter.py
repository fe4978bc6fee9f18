"""Chapter 03, "Two views of customer value": survival CLV beside BTYD CLV, both backtested.

:func:`two_views` does the whole section (the notebook calls it once): it fits BG/NBD,
Pareto/NBD and Gamma-Gamma on the purchases up to the observation end, adds ``p_alive``,
``expected_purchases_<h>d``, ``clv_btyd`` (with its 95% interval) to the churn scores,
compares the two CLVs (Spearman rank correlation, top-decile overlap), backtests both model
families on a holdout (fit up to ``btyd.calibration_end``, default the day before the period
start; predict the purchases from then to the observation end) and checks the Gamma-Gamma
independence assumption. A contractual churn definition, missing orders or too few repeat
customers end the section with one sentence.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period
from custops.core.results import Headline, Headlines
from custops.report.text import t
from custops.survival.btyd.gamma_gamma import GammaGammaFitter, independence_check
from custops.survival.btyd.holdout import MODELS, HoldoutResult, holdout_validation
from custops.survival.btyd.summary import btyd_summary, fit_sample
from custops.survival.btyd.value import customer_value

__all__ = [
    "TwoViews",
    "two_views",
    "headlines",
    "BTYD_COLUMNS",
    "rank_agreement",
    "survival_predictor",
]

#: columns the section adds to churn_scores.parquet (and retention_priority.csv)
BTYD_COLUMNS = ("p_alive", "expected_purchases", "clv_btyd", "clv_btyd_low", "clv_btyd_high")


_GREEK = {"alpha": "α", "beta": "β"}


def _t(key: str, lang: str, **kwargs: Any) -> str:
    """The section's text ``btyd.<key>`` from the catalog (custops.report.text)."""
    return t(f"btyd.{key}", lang, **kwargs)


def _money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}".strip()


def rank_agreement(a: pd.Series, b: pd.Series, *, top: float = 0.1) -> dict[str, float]:
    """Spearman correlation and top-share overlap of two value columns (rows with both).

    ``overlap`` is the share of ``a``'s top ``top`` fraction that is also in ``b``'s.

    Examples
    --------
    >>> a = pd.Series(range(100), dtype=float)
    >>> rank_agreement(a, a * 2)
    {'n': 100, 'spearman': 1.0, 'overlap': 1.0}
    """
    both = pd.concat([a.rename("a"), b.rename("b")], axis=1).dropna()
    n = len(both)
    if n < 3:
        return {"n": n, "spearman": float("nan"), "overlap": float("nan")}
    k = max(1, int(np.ceil(top * n)))
    top_a = set(both["a"].sort_values(ascending=False, kind="stable").index[:k])
    top_b = set(both["b"].sort_values(ascending=False, kind="stable").index[:k])
    rho = float(stats.spearmanr(both["a"], both["b"]).statistic)
    return {"n": n, "spearman": round(rho, 12), "overlap": len(top_a & top_b) / k}


def _before(tables: dict[str, pd.DataFrame], end: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """The tables as they were at the end of ``end`` (rows dated later dropped)."""
    columns = {
        "orders": "order_date",
        "tickets": "created_at",
        "surveys": "responded_at",
        "touches": "sent_at",
        "customers": "signup_date",
    }
    out = {}
    for name, frame in tables.items():
        column = columns.get(name)
        if column and column in frame:
            frame = frame[pd.to_datetime(frame[column]) < end + pd.Timedelta(days=1)]
        out[name] = frame
    return out


def survival_predictor(ctx: Any, tables: dict[str, pd.DataFrame], calibration: Period) -> Any:
    """The chapter's Cox model refitted as of ``calibration``'s end, as a holdout predictor.

    Returns ``f(customer_ids, offsets_days) -> (n, k)`` cumulative expected purchase days:
    order rate over the last 12 months (per day, at least 30 days observed) times the
    expected days alive in ``(0, offset]`` (trapezoid over the offsets of the conditional
    survival); 0 for customers churned at the calibration end or unknown to the model.
    """
    from custops.features.features import customer_features
    from custops.survival.churn import ChurnModel, add_covariates, survival_data

    end = pd.Timestamp(calibration.end)
    past = _before(tables, end)
    features = customer_features(past, calibration, inactivity_days=ctx.cfg.churn.inactivity_days)
    surv = survival_data(features, calibration, ctx.cfg.churn)
    surv = add_covariates(surv, past.get("orders"), lang=ctx.language)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ChurnModel(
            penalizer=ctx.cfg.churn.penalizer,
            max_fit_rows=ctx.cfg.churn.max_fit_rows,
            random_state=ctx.seed,
            lang=ctx.language,
        ).fit(surv)
    active = surv[surv["event"] == 0]
    days = active["tenure_days"].astype(float).clip(lower=30.0, upper=365.0)
    rate = active["orders_365d"].astype(float).fillna(0.0).to_numpy() / days.to_numpy()
    ids = active["customer_id"].to_numpy()

    def predict(customers: pd.Series, offsets: np.ndarray) -> np.ndarray:
        grid = np.concatenate([[0.0], np.asarray(offsets, dtype=float)])
        s = np.hstack(
            [
                np.ones((len(active), 1)),
                model.survival_at(active, list(grid[1:]), conditional=True).to_numpy(),
            ]
        )
        alive_days = np.cumsum((s[:, 1:] + s[:, :-1]) / 2.0 * np.diff(grid), axis=1)
        expected = pd.DataFrame(alive_days * rate[:, None], index=ids)
        return expected.reindex(customers.to_numpy()).fillna(0.0).to_numpy()

    return predict


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
    summary = btyd_summary(orders_file or orders, obs_end, time_unit_days=cfg.time_unit_days)
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
    sep, paren = ("，", "（{}）") if lang == "zh" else (", ", " ({})")
    pn_text = sep.join(f"{_GREEK.get(k, k)} = {v:.3f}" for k, v in pn.params_.items())
    pn_text += paren.format(conv["Pareto/NBD"])
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
    agree = rank_agreement(active["clv"], active["clv_btyd"]) if "clv" in active else {"n": 0}
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
        out.figures.append(_scatter(ctx, both))
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
    _holdout(ctx, tables, orders, obs_end, out, orders_file)
    return out


def _holdout(
    ctx: Any,
    tables: dict[str, pd.DataFrame],
    orders: pd.DataFrame,
    obs_end: pd.Timestamp,
    out: TwoViews,
    orders_file: str | None = None,
) -> None:
    lang = ctx.language
    cfg = ctx.cfg.btyd
    cal_end = pd.Timestamp(cfg.calibration_end or ctx.period.start) - pd.Timedelta(
        days=0 if cfg.calibration_end else 1
    )
    cal_summary = (
        btyd_summary(orders_file or orders, cal_end, time_unit_days=cfg.time_unit_days)
        if cal_end < obs_end
        else None
    )
    n_rep = 0 if cal_summary is None else int((cal_summary["frequency"] > 0).sum())
    if cal_summary is None or (obs_end - cal_end).days < 7 or n_rep < cfg.min_repeat_customers:
        out.texts.append(_t("holdout_short", lang, cal=cal_end.date(), end=obs_end.date(), n=n_rep))
        return
    extra = {}
    previous = ctx.period.previous()
    survival_name = _t("survival_name", lang)
    why = None
    if pd.Timestamp(previous.end) == cal_end:
        try:
            extra[survival_name] = survival_predictor(ctx, tables, previous)
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
        summary=cal_summary,
        max_fit_customers=cfg.max_fit_customers,
        random_state=ctx.seed,
    )
    out.holdout = result
    totals = result.totals()
    rows = ("" if lang == "zh" else " ").join(
        _t("holdout_row", lang, model=r.model, expected=r.expected, error=r.error_pct, mae=r.mae)
        for r in totals.itertuples()
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
    out.tables.append(
        (totals, {"percent": ("error_pct",), "decimals": {"mae": 2, "expected": 0, "actual": 0}})
    )
    out.tables.append(
        (result.by_frequency(), {"decimals": {c: 2 for c in result.by_frequency().columns[2:]}})
    )
    out.figures.append(_tracking(ctx, result))
    out.backtest = {
        "actual": float(result.customers["actual"].sum()),
        "expected": float(totals.set_index("model").loc["BG/NBD", "expected"]),
        "winner": str(winner),
    }


def _tracking(ctx: Any, result: HoldoutResult) -> Any:
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    result.plot_tracking(
        ax=axes[0],
        lang=ctx.language,
        title=_t("tracking_title", ctx.language, period=ctx.period.label),
    )
    result.plot_by_frequency(ax=axes[1], lang=ctx.language)
    fig.tight_layout()
    plt.close(fig)  # shown once, by TwoViews.show
    return set_takeaway(fig, holdout_takeaway(result, ctx.language))


def holdout_takeaway(result: HoldoutResult, lang: str = "en") -> str:
    """One sentence on the holdout: the repeat purchases made, and the predictor closest per
    customer (smallest mean absolute error) with its expected total.

    Examples
    --------
    >>> holdout_takeaway(result)  # doctest: +SKIP
    'Customers made 1,204 repeat purchases in the holdout; BG/NBD came closest per customer with 1,150 expected.'
    """
    totals = result.totals()
    winner = result.winner()
    if totals.empty or winner is None:
        return t("figure.no_data", lang)
    expected = float(totals.set_index("model").loc[winner, "expected"])
    return t(
        "figure.btyd_holdout",
        lang,
        actual=f"{float(result.customers['actual'].sum()):,.0f}",
        model=winner,
        expected=f"{expected:,.0f}",
    )


def scatter_takeaway(both: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: how alike the survival and the BTYD lifetime values rank the customers
    (Spearman's ρ; at least 0.7 "much alike", at least 0.4 "partly alike").

    Examples
    --------
    >>> b = pd.DataFrame({"clv": [1.0, 2.0, 3.0, 4.0], "clv_btyd": [1.5, 2.5, 2.0, 9.0]})
    >>> scatter_takeaway(b)
    'The two lifetime values rank the 4 active customers much alike (Spearman ρ = 0.80).'
    """
    rho = float(both["clv"].corr(both["clv_btyd"], method="spearman"))
    if not np.isfinite(rho):
        return t("figure.no_data", lang)
    how = "close" if rho >= 0.7 else "partly" if rho >= 0.4 else "apart"
    return t(
        "figure.btyd_scatter",
        lang,
        n=f"{len(both):,}",
        how=t(f"figure.btyd_scatter.{how}", lang),
        rho=rho,
    )


def _scatter(ctx: Any, both: pd.DataFrame) -> Any:
    import matplotlib.pyplot as plt

    from custops.report.plots import set_takeaway

    fig, ax = plt.subplots(figsize=(5.5, 4))
    x = both["clv"].clip(lower=0.01)
    y = both["clv_btyd"].clip(lower=0.01)
    ax.scatter(x, y, s=6, alpha=0.4)
    lim = [min(x.min(), y.min()), max(x.max(), y.max())]
    ax.plot(lim, lim, color="grey", lw=1, ls=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(_t("scatter_x", ctx.language))
    ax.set_ylabel(_t("scatter_y", ctx.language))
    ax.set_title(_t("scatter_title", ctx.language, period=ctx.period.label))
    fig.tight_layout()
    plt.close(fig)  # shown once, by TwoViews.show
    return set_takeaway(fig, scatter_takeaway(both, ctx.language))
