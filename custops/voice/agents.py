"""Service work per agent: tickets, first-response and resolution times, reopens.

Only when the tickets carry an ``agent`` column (optional in the data contract). Agent
values are often staff **names**, which are personal data: nothing this module returns for
display carries them. :func:`agent_labels` replaces them by labels:

* ``keyed`` (the default whenever the key in ``privacy.id_key_env`` is set): ``A-`` + a keyed
  hash (HMAC-SHA256, :func:`custops.ingest.privacy.pseudonymize`). The same agent gets the same
  label every quarter; whoever holds the key (the team lead) recomputes an agent's label with
  :func:`agent_lookup`; readers of the report cannot.
* ``ranked`` (the default without a key): ``Agent 01``, ``Agent 02`` ... by ticket volume in
  the period (ties in a fixed, name-independent order). The team lead, who knows the
  workload, can tell who is who; the labels change when volumes change.
* ``raw``: the values as exported, for columns that already hold staff codes (an analyst's
  explicit choice; never the default).

Statistics of tickets **created in the period** (the same population as the service KPIs of
notebook 04): first response = ``first_response_at − created_at`` of answered tickets,
resolution = ``resolved_at − created_at`` of resolved tickets, both in hours, median with a
distribution-free 95% interval (order statistics) and the 90th percentile; the reopen rate of
resolved tickets with a Wilson interval. Each agent is compared with the rest of the team
(Mann-Whitney for times, two-proportion z-test for reopens), Holm-corrected over agents;
agents with fewer than ``min_n`` tickets are flagged *small* and not compared. Agents handle
different mixes of ticket categories and channels, so a difference is a question for the team
lead, not a verdict.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from custops.core.config import Period, ReportConfig
from custops.core.errors import ConfigError
from custops.core.results import Headline, Headlines, Result
from custops.core.stats import holm, median_ci, wilson_ci
from custops.ingest.privacy import MIN_KEY_LENGTH, id_key, pseudonymize
from custops.report import text as catalog

__all__ = [
    "LabelMode",
    "agent_labels",
    "agent_lookup",
    "shown_agent",
    "AgentStats",
    "agent_stats",
    "agent_findings",
    "agent_headlines",
    "display_agents",
    "plot_agents",
]

LabelMode = Literal["auto", "keyed", "ranked", "raw"]


def _has_key(cfg: ReportConfig, environ: Mapping[str, str] | None) -> bool:
    value = (os.environ if environ is None else environ).get(cfg.privacy.id_key_env, "")
    return len(value) >= MIN_KEY_LENGTH


def agent_labels(
    agents: pd.Series,
    cfg: ReportConfig,
    *,
    mode: LabelMode = "auto",
    environ: Mapping[str, str] | None = None,
) -> tuple[pd.Series, str]:
    """Display labels for the agent values of a ticket table (one label per distinct agent).

    Parameters
    ----------
    agents : Series
        The ``agent`` column of the tickets to label (their volumes set the ``ranked`` order).
    cfg : ReportConfig
        ``privacy.id_key_env`` names the environment variable holding the key.
    mode : {"auto", "keyed", "ranked", "raw"}
        ``auto``: keyed when the key is set, else ranked.
    environ : mapping, optional
        Where the key is read (default ``os.environ``).

    Returns
    -------
    (labels, mode)
        ``labels`` has the same index as ``agents`` (missing stays missing); ``mode`` is the
        one used.

    Raises
    ------
    ConfigError
        ``mode="keyed"`` without a usable key.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> labels, used = agent_labels(pd.Series(["王芳", "李雷", "王芳", None]), cfg, environ={})
    >>> labels.tolist(), used
    (['Agent 01', 'Agent 02', 'Agent 01', None], 'ranked')
    >>> agent_labels(pd.Series(["王芳"]), cfg, environ={"CUSTOPS_ID_KEY": "k" * 16})[0].tolist()
    ['A-17d10a65']
    """
    if mode == "auto":
        mode = "keyed" if _has_key(cfg, environ) else "ranked"
    values = agents.astype(object).where(agents.notna(), None)
    present = values.dropna().astype(str).str.strip()
    if mode == "raw":
        return values.astype(object), mode
    if mode == "keyed":
        key = id_key(cfg, environ)
        # the cleaning step already replaced names by these keyed labels (privacy): keep them
        done = values.astype(str).str.fullmatch(r"A-[0-9a-f]{8}") & values.notna()
        labels = pseudonymize(values.where(~done, None), key, length=8, prefix="A-")
        return labels.where(~done, values).astype(object), mode
    if mode != "ranked":
        raise ConfigError(
            f"Unknown agent label mode {mode!r}.",
            fix="Use 'auto', 'keyed', 'ranked' or 'raw'.",
        )
    counts = present.value_counts()
    # ties broken by a hash of the value: a fixed order that does not follow the alphabet
    order = sorted(
        counts.index,
        key=lambda v: (-counts[v], hashlib.sha256(v.encode("utf-8")).hexdigest()),
    )
    width = max(2, len(str(len(order))))
    codes = {v: f"Agent {i:0{width}d}" for i, v in enumerate(order, start=1)}
    out = pd.Series([None] * len(values), index=values.index, dtype=object)
    out[present.index] = present.map(codes).to_numpy()
    return out, mode


def agent_lookup(
    names: Sequence[str], cfg: ReportConfig, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """For the key holder: the keyed label of each agent name (run locally, never in the report).

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> agent_lookup(["王芳"], cfg, environ={"CUSTOPS_ID_KEY": "k" * 16})
    {'王芳': 'A-17d10a65'}
    """
    labels = pseudonymize(
        pd.Series(list(names), dtype=object), id_key(cfg, environ), length=8, prefix="A-"
    )
    return dict(zip(names, labels, strict=True))


@dataclass
class AgentStats(Result):
    """Result of :func:`agent_stats`.

    Attributes
    ----------
    table : DataFrame
        One row per agent label (by tickets, descending) then ``team``: ``agent, tickets,
        share, answered, frt_median_h, frt_low_h, frt_high_h, frt_p90_h, resolved,
        resolution_median_h, resolution_low_h, resolution_high_h, resolution_p90_h,
        open_at_end, reopened, reopen_rate, reopen_low, reopen_high, csat_mean, csat_n,
        resolution_p_holm, reopen_p_holm, small, flag``.
    mode : str
        The label mode used (see :func:`agent_labels`).
    n_tickets : int
        Tickets created in the period (with or without an agent).
    n_unassigned : int
        Of them, without an agent.
    min_n : int
    period : str
    """

    table: pd.DataFrame
    mode: str
    n_tickets: int
    n_unassigned: int
    min_n: int
    period: str
    key_env: str = "CUSTOPS_ID_KEY"

    def headlines(self) -> Headlines:
        """Agents, agents who stand out, the busiest agent's share (:func:`agent_headlines`)."""
        return agent_headlines(self)

    def note(self, lang: str = "en") -> str:
        """How agents are labelled and which tickets count.

        Examples
        --------
        >>> print(AgentStats(pd.DataFrame(), "ranked", 10, 2, 30, "2025Q4").note())  # doctest: +ELLIPSIS
        > Tickets created in 2025Q4: 10, of which 2 have no agent and are left out. ...
        """
        how = catalog.t(f"voice.agents.how.{self.mode}", lang, key=self.key_env)
        head = (
            catalog.t("voice.agents.note.head", lang, period=self.period, n=self.n_tickets)
            + (
                catalog.t("voice.agents.note.unassigned", lang, n=self.n_unassigned)
                if self.n_unassigned
                else catalog.t("punct.sentence_end", lang)
            )
            + catalog.t("voice.agents.note.rest", lang, min_n=self.min_n)
        )
        return head + "\n>\n> " + how


def _hours(end: pd.Series, start: pd.Series) -> pd.Series:
    return (end - start).dt.total_seconds() / 3600.0


def _summary(group: pd.DataFrame) -> dict[str, Any]:
    frt = group["frt_h"].dropna().to_numpy()
    res = group["resolution_h"].dropna().to_numpy()
    resolved = group["resolved_at"].notna()
    reopened = int((group["reopened"].fillna(False).astype(bool) & resolved).sum())
    n_res = int(resolved.sum())
    low, high = wilson_ci(reopened, n_res)
    frt_ci = median_ci(frt)[1:]
    res_ci = median_ci(res)[1:]
    csat = group["csat"].dropna() if "csat" in group else pd.Series(dtype=float)
    return {
        "tickets": len(group),
        "answered": len(frt),
        "frt_median_h": float(np.median(frt)) if len(frt) else np.nan,
        "frt_low_h": frt_ci[0],
        "frt_high_h": frt_ci[1],
        "frt_p90_h": float(np.quantile(frt, 0.9)) if len(frt) else np.nan,
        "resolved": n_res,
        "resolution_median_h": float(np.median(res)) if len(res) else np.nan,
        "resolution_low_h": res_ci[0],
        "resolution_high_h": res_ci[1],
        "resolution_p90_h": float(np.quantile(res, 0.9)) if len(res) else np.nan,
        "open_at_end": int(len(group) - n_res),
        "reopened": reopened,
        "reopen_rate": reopened / n_res if n_res else np.nan,
        "reopen_low": float(low),
        "reopen_high": float(high),
        "csat_mean": float(csat.mean()) if len(csat) else np.nan,
        "csat_n": len(csat),
    }


def agent_stats(
    tickets: pd.DataFrame | None,
    period: Period | str,
    cfg: ReportConfig,
    *,
    min_n: int = 30,
    mode: LabelMode = "auto",
    environ: Mapping[str, str] | None = None,
) -> AgentStats | None:
    """Per-agent service statistics of the tickets created in the period.

    Parameters
    ----------
    tickets : DataFrame or None
        Clean tickets (None: no ticket source) with an ``agent`` column (``created_at``; optional
        ``first_response_at``, ``resolved_at``, ``reopened``, ``csat``).
    period : Period or str
    cfg : ReportConfig
        Privacy settings (the label key).
    min_n : int
        Agents with fewer tickets are flagged ``small`` and not compared.
    mode : {"auto", "keyed", "ranked", "raw"}
        See :func:`agent_labels`.
    environ : mapping, optional
        Where the key is read (default ``os.environ``).

    Returns
    -------
    AgentStats or None
        None when there are no tickets, no ``agent`` column or no agent is named.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> t = pd.DataFrame({"ticket_id": ["1", "2", "3"], "agent": ["王芳", "王芳", "李雷"],
    ...     "created_at": pd.to_datetime(["2025-10-01 09:00"] * 3),
    ...     "first_response_at": pd.to_datetime(["2025-10-01 10:00", "2025-10-01 12:00", None]),
    ...     "resolved_at": pd.to_datetime(["2025-10-02 09:00", None, None]), "reopened": [True, False, False]})
    >>> s = agent_stats(t, "2025Q4", cfg, min_n=1, environ={})
    >>> s.table[["agent", "tickets", "frt_median_h", "resolved", "reopen_rate"]].to_dict("records")[0]
    {'agent': 'Agent 01', 'tickets': 2, 'frt_median_h': 2.0, 'resolved': 1, 'reopen_rate': 1.0}
    """
    if tickets is None or "agent" not in tickets.columns:
        return None
    period = Period.parse(period)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end_exclusive)
    t = tickets[(tickets["created_at"] >= start) & (tickets["created_at"] < end)].copy()
    agent = t["agent"].astype(object).where(t["agent"].notna(), None)
    agent = agent.where(agent.astype(str).str.strip() != "", None)
    named = agent.notna()
    n_tickets, n_unassigned = len(t), int((~named).sum())
    t = t[named]
    if t.empty:
        return None
    labels, used = agent_labels(agent[named], cfg, mode=mode, environ=environ)
    t["agent"] = labels.to_numpy()  # raw values leave the frame here
    for column in ("first_response_at", "resolved_at"):
        if column not in t:
            t[column] = pd.NaT
    if "reopened" not in t:
        t["reopened"] = False
    t["frt_h"] = _hours(t["first_response_at"], t["created_at"])
    t["resolution_h"] = _hours(t["resolved_at"], t["created_at"])
    t.loc[t["frt_h"] < 0, "frt_h"] = np.nan
    t.loc[t["resolution_h"] < 0, "resolution_h"] = np.nan
    rows = []
    for name, group in t.groupby("agent", sort=False):
        rows.append({"agent": name, **_summary(group)})
    table = pd.DataFrame(rows)
    table["small"] = table["tickets"] < min_n
    # each agent against the rest of the team
    p_res, p_reopen = {}, {}
    for i, r in table.iterrows():
        if r["small"]:
            continue
        mine = t["agent"] == r["agent"]
        a, b = t.loc[mine, "resolution_h"].dropna(), t.loc[~mine, "resolution_h"].dropna()
        if len(a) and len(b):
            p_res[i] = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
        rest_resolved = t.loc[~mine, "resolved_at"].notna()
        n2 = int(rest_resolved.sum())
        x2 = int((t.loc[~mine, "reopened"].fillna(False).astype(bool) & rest_resolved).sum())
        n1, x1 = int(r["resolved"]), int(r["reopened"])
        pooled = (x1 + x2) / (n1 + n2) if n1 + n2 else np.nan
        if n1 and n2 and 0 < pooled < 1:
            se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            p_reopen[i] = float(2 * stats.norm.sf(abs(x1 / n1 - x2 / n2) / se))
    table["resolution_p_holm"] = holm(pd.Series(p_res, index=table.index, dtype=float))
    table["reopen_p_holm"] = holm(pd.Series(p_reopen, index=table.index, dtype=float))
    team = {"agent": "team", **_summary(t), "small": False}
    table = table.sort_values(["tickets", "agent"], ascending=[False, True], kind="stable")
    table = pd.concat([table, pd.DataFrame([team])], ignore_index=True)
    table["share"] = table["tickets"] / len(t)
    team_res, team_reopen = team["resolution_median_h"], team["reopen_rate"]
    flags = []
    for r in table.itertuples(index=False):
        items = []
        if r.agent == "team":
            flags.append("")
            continue
        if r.small:
            items.append("small n")
        if r.resolution_p_holm < 0.05:
            items.append("slower" if r.resolution_median_h > team_res else "faster")
        if r.reopen_p_holm < 0.05:
            items.append("more reopens" if r.reopen_rate > team_reopen else "fewer reopens")
        flags.append(", ".join(items))
    table["flag"] = flags
    order = [
        "agent", "tickets", "share", "answered", "frt_median_h", "frt_low_h", "frt_high_h",
        "frt_p90_h", "resolved", "resolution_median_h", "resolution_low_h", "resolution_high_h",
        "resolution_p90_h", "open_at_end", "reopened", "reopen_rate", "reopen_low",
        "reopen_high", "csat_mean", "csat_n", "resolution_p_holm", "reopen_p_holm", "small",
        "flag",
    ]  # fmt: skip
    return AgentStats(
        table[order], used, n_tickets, n_unassigned, min_n, period.label, cfg.privacy.id_key_env
    )


def _flags(flag: str, lang: str) -> str:
    """An agent's flags (``"slower, more reopens"``) in ``lang`` (``voice.agents.flag.*``)."""
    if not flag:
        return ""
    words = (catalog.t_or(f"voice.agents.flag.{f}", lang, f) for f in flag.split(", "))
    return catalog.t("punct.list", lang).join(words)


def agent_findings(result: AgentStats | None, lang: str = "en", *, note: bool = False) -> str:
    """What a team lead needs: workload spread, who stands out (beyond chance), small n.

    With ``note=True`` the scope and labelling note (:meth:`AgentStats.note`) comes first.

    Examples
    --------
    >>> print(agent_findings(None))  # doctest: +ELLIPSIS
    > The tickets have no `agent` column...
    """
    if result is None:
        return catalog.t("voice.agents.none", lang)
    table = result.table
    team = table[table["agent"] == "team"].iloc[0]
    agents = table[table["agent"] != "team"]
    big = agents[~agents["small"]]
    lines = [result.note(lang), ""] if note else []
    lines.append(
        catalog.t(
            "voice.agents.workload",
            lang,
            n_agents=len(agents),
            tickets=int(team.tickets),
            top=agents["share"].max(),
            even=1 / len(agents),
            frt=team.frt_median_h,
            frt_p90=team.frt_p90_h,
            res=team.resolution_median_h,
            res_p90=team.resolution_p90_h,
            reopen=team.reopen_rate,
            reopen_low=team.reopen_low,
            reopen_high=team.reopen_high,
        )
    )
    flagged = big[big["flag"] != ""]
    if big.empty:
        lines.append(catalog.t("voice.agents.none_big", lang, min_n=result.min_n))
    elif flagged.empty:
        lines.append(
            catalog.t("voice.agents.none_flagged", lang, n_big=len(big), min_n=result.min_n)
        )
    else:
        for r in flagged.itertuples(index=False):
            lines.append(
                catalog.t(
                    "voice.agents.flagged",
                    lang,
                    agent=shown_agent(r.agent, lang),
                    what=_flags(r.flag, lang),
                    res=r.resolution_median_h,
                    res_low=r.resolution_low_h,
                    res_high=r.resolution_high_h,
                    reopen=r.reopen_rate,
                    reopen_low=r.reopen_low,
                    reopen_high=r.reopen_high,
                    tickets=int(r.tickets),
                )
            )
    small = agents[agents["small"]]
    if len(small):
        names = catalog.t("punct.list", lang).join(shown_agent(a, lang) for a in small["agent"])
        lines.append(catalog.t("voice.agents.small", lang, names=names, min_n=result.min_n))
    return "\n".join(lines)


def agent_headlines(result: AgentStats | None) -> Headlines:
    """Glue values: number of agents, agents flagged beyond chance, largest workload share.

    Examples
    --------
    >>> dict(agent_headlines(None))
    {}
    """
    if result is None:
        return Headlines()
    agents = result.table[result.table["agent"] != "team"]
    stand_out = agents["flag"].str.contains("slower|faster|reopens", regex=True)
    return Headlines(
        [
            Headline("service_agents", len(agents), "count"),
            Headline("service_agents_flagged", int(stand_out.sum()), "count"),
            Headline("service_agent_top_share", float(agents["share"].max()), "share"),
        ]
    )


def shown_agent(label: str, lang: str = "en") -> str:
    """An agent's label in the report language: ``Agent 03`` -> "坐席 03", ``team`` -> "团队";
    keyed pseudonyms and exported codes as they are.

    Examples
    --------
    >>> shown_agent("Agent 03", "zh"), shown_agent("team", "zh"), shown_agent("A-1f2e3d4c", "zh")
    ('坐席 03', '团队', 'A-1f2e3d4c')
    """
    text = str(label)
    if text == "team":
        return catalog.t("voice.agents.team", lang)
    numbered = re.match(r"^Agent (\d+)$", text)
    return catalog.t("voice.agents.numbered", lang, number=numbered[1]) if numbered else text


def display_agents(result: AgentStats, lang: str = "en") -> pd.DataFrame:
    """The per-agent table for people: medians with intervals in one cell, flags translated.

    Examples
    --------
    >>> cfg = ReportConfig.model_validate({"sources": {"orders": {"path": "o"}, "customers": {"path": "c"}}})
    >>> t = pd.DataFrame({"ticket_id": ["1"], "agent": ["x"], "created_at": pd.to_datetime(["2025-10-01"])})
    >>> list(display_agents(agent_stats(t, "2025Q4", cfg, environ={})).columns)[:3]
    ['agent', 'tickets', 'share']
    """
    table = result.table

    def cell(v: float, lo: float, hi: float) -> str:
        if pd.isna(v):
            return "–"
        return f"{v:.1f} ({lo:.1f}–{hi:.1f})" if not pd.isna(lo) else f"{v:.1f}"

    def pct(v: float, lo: float, hi: float) -> str:
        return "–" if pd.isna(v) else f"{v:.1%} ({lo:.1%}–{hi:.1%})"

    flag = table["flag"].map(lambda s: _flags(s, lang))
    out = pd.DataFrame(
        {
            "agent": table["agent"].map(lambda a: shown_agent(a, lang)),
            "tickets": table["tickets"],
            "share": table["share"].map(lambda v: f"{v:.1%}"),
            "frt_median_h": [
                cell(*v)
                for v in zip(
                    table["frt_median_h"], table["frt_low_h"], table["frt_high_h"], strict=True
                )
            ],
            "frt_p90_h": table["frt_p90_h"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}"),
            "resolution_median_h": [
                cell(*v)
                for v in zip(
                    table["resolution_median_h"],
                    table["resolution_low_h"],
                    table["resolution_high_h"],
                    strict=True,
                )
            ],
            "resolution_p90_h": table["resolution_p90_h"].map(
                lambda v: "–" if pd.isna(v) else f"{v:.1f}"
            ),
            "open_at_end": table["open_at_end"],
            "reopen_rate": [
                pct(*v)
                for v in zip(
                    table["reopen_rate"], table["reopen_low"], table["reopen_high"], strict=True
                )
            ],
            "csat_mean": table["csat_mean"].map(lambda v: "–" if pd.isna(v) else f"{v:.2f}"),
            "flag": flag,
        }
    )
    if table["csat_n"].sum() == 0:
        out = out.drop(columns="csat_mean")
    return out.rename(columns={c: catalog.t(f"voice.agents.column.{c}", lang) for c in out.columns})


def plot_agents(
    table: pd.DataFrame,
    lang: str = "en",
    *,
    takeaway: str | None = None,
    axes: Sequence[Any] | None = None,
) -> Any:
    """Median resolution time (95% interval) and reopen rate per agent, from a finished table.

    The team's values (its row ``agent == "team"``) are dashed lines; small agents are drawn
    hollow and grey. Two panels: ``axes`` (two Axes sharing y), else a figure of its own;
    returns the two Axes. ``takeaway`` (:func:`agents_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> t = pd.DataFrame({"agent": ["Agent 01", "team"], "resolution_median_h": [20.0, 22.0],
    ...     "resolution_low_h": [18.0, 21.0], "resolution_high_h": [23.0, 23.0],
    ...     "reopen_rate": [0.1, 0.08], "reopen_low": [0.05, 0.07], "reopen_high": [0.2, 0.1],
    ...     "small": [False, False]})
    >>> len(plot_agents(t))
    2
    """
    import matplotlib.pyplot as plt

    from custops.report.plots import PALETTE, percent_axis, set_takeaway

    team = table[table["agent"] == "team"].iloc[0]
    t = table[table["agent"] != "team"].reset_index(drop=True)
    y = np.arange(len(t))
    own = axes is None
    if own:
        fig, axes = plt.subplots(1, 2, figsize=(10, 0.32 * len(t) + 1.8), sharey=True)
    else:
        fig = axes[0].figure
    panels = (
        ("resolution_median_h", "resolution_low_h", "resolution_high_h",
         catalog.t("voice.agents.plot.resolution", lang)),
        ("reopen_rate", "reopen_low", "reopen_high", catalog.t("voice.agents.plot.reopen", lang)),
    )  # fmt: skip
    for ax, (col, lo, hi, title) in zip(axes, panels, strict=True):
        for small, color, face in ((False, PALETTE[0], PALETTE[0]), (True, "#9a9a9a", "white")):
            part = t[t["small"] == small]
            if part.empty:
                continue
            yy = y[part.index]
            err = np.vstack([part[col] - part[lo], part[hi] - part[col]])
            ax.errorbar(part[col], yy, xerr=np.nan_to_num(np.abs(err)), fmt="o", color=color,
                        mfc=face, ecolor=color, capsize=2)  # fmt: skip
        ax.axvline(team[col], ls="--", color="#666", lw=1)
        ax.set_title(title)
        ax.set_xlabel("")
    percent_axis(axes[1], "x")
    axes[0].set_yticks(y, t["agent"])
    axes[0].invert_yaxis()
    fig.suptitle(catalog.t("voice.agents.plot.title", lang), fontsize=11)
    if own:
        fig.tight_layout()
    set_takeaway(axes[0], takeaway)
    return axes


def agents_takeaway(table: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the range of median resolution times over the agents (not small), and
    the team's.

    Examples
    --------
    >>> t = pd.DataFrame({"agent": ["A", "B", "C", "team"],
    ...     "resolution_median_h": [12.0, 30.5, 99.0, 20.0], "small": [False, False, True, False]})
    >>> print(agents_takeaway(t))
    Median resolution time ranges from 12.0 h (A) to 30.5 h (B) across agents; the team's is 20.0 h.
    >>> agents_takeaway(t.assign(small=True))
    'Every group in this chart is too small to compare; it is shown for reference.'
    """
    team = table[table["agent"] == "team"]
    rows = table[(table["agent"] != "team") & ~table["small"].astype(bool)].dropna(
        subset=["resolution_median_h"]
    )
    if team.empty:
        return catalog.t("figure.no_data", lang)
    if len(rows) < 2:  # drawn, hollow and grey: nothing to rank
        return catalog.t("figure.too_small", lang)
    low = rows.loc[rows["resolution_median_h"].astype(float).idxmin()]
    high = rows.loc[rows["resolution_median_h"].astype(float).idxmax()]
    return catalog.t(
        "figure.agents",
        lang,
        low=f"{float(low['resolution_median_h']):.1f}",
        low_agent=str(low["agent"]),
        high=f"{float(high['resolution_median_h']):.1f}",
        high_agent=str(high["agent"]),
        team=f"{float(team['resolution_median_h'].iloc[0]):.1f}",
    )
