"""Sentiment map: which service aspects customers complain about, by segment and over time.

Each comment is split into clauses (punctuation and contrast words such as 但/不过/"but"), each
clause is scored in [-1, 1] and assigned to aspects from a configurable dictionary
(``resources/aspects.yaml``: response speed, resolution, staff attitude, membership benefits,
price/value, product quality, delivery, app experience; zh and en keywords).

Scoring: Chinese clauses use snownlp (2·p − 1) and English clauses VADER's compound score,
each blended with a shipped domain lexicon (``resources/lexicon_zh.txt``,
``resources/lexicon_en.txt``) because both general models miss service words: snownlp reads
"价格有点贵" as neutral and VADER scores "Support was slow" as positive ("support" is a
positive word to it) and "never replied" as 0. When a clause has lexicon hits the clause score
is 0.7 · lexicon mean + 0.3 · model score; otherwise the model score. A comment is negative
when the mean of its clause scores is below 0.

``tests/test_sentiment.py`` reports accuracy and AUC on ``resources/labelled_comments.csv``
(212 comments, zh and en, written for this project) for the models alone and with the
lexicon. Caveat: the lexicon and the labelled set were written by the same person, so these
figures are optimistic; label a few hundred of your own comments before trusting the map.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from custops.core.config import Period
from custops.core.stats import holm, wilson_ci
from custops.report import text as catalog

__all__ = [
    "load_lexicon",
    "load_aspects",
    "labelled_comments",
    "detect_language",
    "split_clauses",
    "SentimentScorer",
    "MAX_COMMENTS_PER_PERIOD",
    "sample_comments",
    "sample_sentence",
    "evaluate",
    "clause_table",
    "aspect_segment_table",
    "aspect_changes",
    "sentiment_findings",
    "plot_sentiment_map",
]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_SPLIT = re.compile(r"[，,。.!！?？；;、\n]+|(?=但是|但|不过|可是|就是|只是|然而)")
_EN_SPLIT = re.compile(
    r"[.!?;,\n]+|\s+(?=but\b|however\b|although\b|though\b|except\b)", re.IGNORECASE
)
_ZH_NEGATORS = ("不是很", "不太", "不够", "没有", "不", "没")
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d\s-]{6,}\d")


def _resource(name: str) -> Path:
    return Path(str(resources.files("custops") / "resources" / name))


def load_lexicon(lang: str, path: str | Path | None = None) -> dict[str, float]:
    """Domain lexicon ``term -> score`` (zh: [-1, 1]; en: VADER scale [-4, 4]).

    Examples
    --------
    >>> load_lexicon("zh")["慢"] < 0, load_lexicon("en")["never replied"] < 0
    (True, True)
    """
    file = Path(path) if path else _resource(f"lexicon_{lang}.txt")
    out: dict[str, float] = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, score = line.rsplit("\t", 1)
        out[term.strip().lower()] = float(score)
    return out


def load_aspects(path: str | Path | None = None) -> dict[str, dict]:
    """Aspect dictionary: ``aspect -> {"label": {en, zh}, "zh": [...], "en": [...]}``.

    Examples
    --------
    >>> sorted(load_aspects())[:3]
    ['app_experience', 'delivery', 'membership_benefits']
    """
    file = Path(path) if path else _resource("aspects.yaml")
    return yaml.safe_load(file.read_text(encoding="utf-8"))


def labelled_comments() -> pd.DataFrame:
    """The shipped labelled set: ``comment, language, label, aspect``.

    Examples
    --------
    >>> df = labelled_comments()
    >>> len(df) >= 200, sorted(df["language"].unique())
    (True, ['en', 'zh'])
    """
    return pd.read_csv(_resource("labelled_comments.csv"), comment="#")


def detect_language(text: str) -> str:
    """``zh`` when the text has Chinese characters, else ``en``.

    Examples
    --------
    >>> detect_language("APP很好用"), detect_language("slow reply")
    ('zh', 'en')
    """
    return "zh" if _CJK.search(str(text)) else "en"


def split_clauses(text: str, lang: str | None = None) -> list[str]:
    """Split a comment into clauses at punctuation and contrast words.

    Examples
    --------
    >>> split_clauses("东西不错，就是配送有点慢")
    ['东西不错', '就是配送有点慢']
    >>> split_clauses("Product is fine but delivery was slow")
    ['Product is fine', 'but delivery was slow']
    """
    lang = lang or detect_language(text)
    pattern = _ZH_SPLIT if lang == "zh" else _EN_SPLIT
    return [c.strip() for c in pattern.split(str(text)) if c and c.strip()]


class SentimentScorer:
    """Clause-level sentiment (zh: snownlp, en: VADER) blended with domain lexicons.

    Parameters
    ----------
    lexicon_zh, lexicon_en : mapping, optional
        Domain lexicons (default: the shipped ones); pass ``{}`` to score with the models alone.
    aspects : mapping, optional
        Aspect dictionary (default: ``resources/aspects.yaml``).
    lexicon_weight : float
        Weight of the lexicon mean in a clause with lexicon hits.

    Examples
    --------
    >>> s = SentimentScorer()
    >>> s.score("客服回复太慢，等了两天没人理") < 0 < s.score("物流很快，包装也好")
    True
    >>> s.score("Support was slow and never replied") < 0
    True
    >>> s.aspects_of("delivery was slow", "en")
    ['delivery']
    """

    def __init__(
        self,
        lexicon_zh: Mapping[str, float] | None = None,
        lexicon_en: Mapping[str, float] | None = None,
        aspects: Mapping[str, dict] | None = None,
        lexicon_weight: float = 0.7,
    ) -> None:
        self.lexicon_zh = dict(load_lexicon("zh") if lexicon_zh is None else lexicon_zh)
        self.lexicon_en = dict(load_lexicon("en") if lexicon_en is None else lexicon_en)
        self.aspects = dict(load_aspects() if aspects is None else aspects)
        self.lexicon_weight = lexicon_weight
        self._zh_terms = sorted(self.lexicon_zh, key=len, reverse=True)
        self._en_phrases = sorted(
            (t for t in self.lexicon_en if " " in t or "'" in t), key=len, reverse=True
        )
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        self._vader.lexicon.update(
            {t: v for t, v in self.lexicon_en.items() if " " not in t and "'" not in t and v != 0}
        )
        for t, v in self.lexicon_en.items():
            if v == 0 and " " not in t:
                self._vader.lexicon.pop(t, None)
        self.score_clause = functools.lru_cache(maxsize=50_000)(self._score_clause)

    # ---------------------------------------------------------------- lexicon hits
    def _zh_hits(self, text: str) -> list[float]:
        hits: list[float] = []
        taken = np.zeros(len(text), dtype=bool)
        for term in self._zh_terms:
            start = text.find(term)
            while start >= 0:
                end = start + len(term)
                if not taken[start:end].any():
                    taken[start:end] = True
                    value = self.lexicon_zh[term]
                    if value > 0:
                        before = text[max(0, start - 3) : start]
                        if any(before.endswith(neg) for neg in _ZH_NEGATORS):
                            value = -0.8 * value
                    if value != 0:
                        hits.append(value)
                start = text.find(term, end)
        return hits

    def _en_hits(self, text: str) -> list[float]:
        low = text.lower()
        hits = []
        for phrase in self._en_phrases:
            if phrase in low:
                hits.append(self.lexicon_en[phrase] / 4.0)
                low = low.replace(phrase, " ")
        return hits

    def _model(self, text: str, lang: str) -> float:
        if lang == "zh":
            from snownlp import SnowNLP

            return 2.0 * float(SnowNLP(text).sentiments) - 1.0
        return float(self._vader.polarity_scores(text)["compound"])

    def _score_clause(self, text: str, lang: str) -> float:
        # English single domain words sit inside VADER's lexicon; phrases are matched here
        hits = self._zh_hits(text.lower()) if lang == "zh" else self._en_hits(text)
        base = self._model(text, lang)
        if hits:
            w = self.lexicon_weight
            return float(np.clip(w * np.mean(hits) + (1 - w) * base, -1, 1))
        return base

    # ---------------------------------------------------------------- public
    def score(self, text: str, lang: str | None = None) -> float:
        """Mean clause score of a comment in [-1, 1] (negative below 0)."""
        lang = lang or detect_language(text)
        clauses = split_clauses(text, lang) or [str(text)]
        return float(np.mean([self.score_clause(c, lang) for c in clauses]))

    def aspects_of(self, clause: str, lang: str) -> list[str]:
        """Aspects whose keywords occur in a clause."""
        low = clause.lower()
        return [a for a, spec in self.aspects.items() if any(k.lower() in low for k in spec[lang])]


def evaluate(scorer: SentimentScorer, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Accuracy and AUC of ``scorer`` on a labelled set, per language and overall.

    Returns
    -------
    DataFrame
        ``language, n, accuracy, accuracy_ci_low, accuracy_ci_high, auc`` (AUC of
        −score for the negative label; accuracy with a Wilson interval).
    """
    from sklearn.metrics import roc_auc_score

    frame = labelled_comments() if frame is None else frame
    scores = np.array(
        [scorer.score(t, lang) for t, lang in zip(frame["comment"], frame["language"], strict=True)]
    )
    neg = frame["label"].eq("negative").to_numpy()
    rows = []
    for lang in [*sorted(frame["language"].unique()), "all"]:
        m = np.ones(len(frame), bool) if lang == "all" else frame["language"].eq(lang).to_numpy()
        correct = int(((scores[m] < 0) == neg[m]).sum())
        lo, hi = wilson_ci(np.array([correct]), np.array([m.sum()]))
        rows.append(
            {
                "language": lang,
                "n": int(m.sum()),
                "accuracy": correct / m.sum(),
                "accuracy_ci_low": float(lo[0]),
                "accuracy_ci_high": float(hi[0]),
                "auc": float(roc_auc_score(neg[m], -scores[m])),
            }
        )
    return pd.DataFrame(rows)


#: comments scored per period at most (sentiment_map and aspect_changes read two periods);
#: above it a random sample stratified by segment (proportional, so shares stay unbiased)
MAX_COMMENTS_PER_PERIOD = 20_000


def sample_comments(
    surveys: pd.DataFrame,
    period: Period | str,
    *,
    max_per_period: int | None = MAX_COMMENTS_PER_PERIOD,
    segments: pd.Series | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Comments of ``period`` and the previous one, capped at ``max_per_period`` per period.

    Above the cap a simple random sample per period × segment with the same fraction in every
    segment (proportional allocation: shares need no weights, Wilson CIs are of the sample).
    The counts are kept in ``.attrs["sample"]`` (``period -> (scored, comments)``).

    Examples
    --------
    >>> s = pd.DataFrame({"response_id": [f"r{i}" for i in range(10)], "customer_id": "c",
    ...     "responded_at": pd.to_datetime(["2025-11-02"] * 6 + ["2025-08-01"] * 4),
    ...     "comment": "ok"})
    >>> out = sample_comments(s, "2025Q4", max_per_period=3, seed=1)
    >>> len(out), out.attrs["sample"]
    (6, {'2025Q4': (3, 6), '2025Q3': (3, 4)})
    """
    p = Period.parse(period)
    has = surveys["comment"].notna() & surveys["comment"].astype(str).str.strip().ne("")
    keep, counts = [], {}
    rng = np.random.default_rng(seed)
    for q in (p, p.previous()):
        inq = has & (surveys["responded_at"] >= pd.Timestamp(q.start))
        inq &= surveys["responded_at"] < pd.Timestamp(q.end_exclusive)
        idx = surveys.index[inq.to_numpy()]
        n = len(idx)
        if max_per_period is not None and n > max_per_period:
            strata = (
                surveys.loc[idx, "customer_id"].map(segments).fillna("(none)").astype(str)
                if segments is not None
                else pd.Series("all", index=idx)
            )
            draw = pd.Series(rng.random(n), index=idx)
            rank = draw.groupby(strata.to_numpy()).rank(method="first", pct=True)
            idx = idx[(rank <= max_per_period / n).to_numpy()]
        keep.append(idx)
        counts[str(q)] = (len(idx), n)
    out = surveys.loc[keep[0].append(keep[1])]
    out.attrs["sample"] = counts
    return out


def sample_sentence(clauses: pd.DataFrame, lang: str = "en") -> str:
    """Say how many comments the sentiment figures come from, when they are a sample.

    Examples
    --------
    >>> c = pd.DataFrame(); c.attrs["sample"] = {"2025Q4": (20000, 91000), "2025Q3": (9, 9)}
    >>> sample_sentence(c)
    'The map and the comparison are from a random sample of 20,000 of 91,000 comments in 2025Q4 (stratified by segment; the intervals are of the sample).'
    """
    sample = clauses.attrs.get("sample") or {}
    parts = [(q, k, n) for q, (k, n) in sample.items() if k < n]
    if not parts:
        return ""
    what = catalog.t("punct.semicolon", lang).join(
        catalog.t("voice.sentiment.sample.item", lang, q=q, k=k, n=n) for q, k, n in parts
    )
    return catalog.t("voice.sentiment.sample", lang, what=what)


def clause_table(
    surveys: pd.DataFrame,
    scorer: SentimentScorer | None = None,
    *,
    segments: pd.Series | None = None,
    period: Period | str | None = None,
    max_per_period: int | None = MAX_COMMENTS_PER_PERIOD,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per (comment, clause, aspect) with the clause score.

    Parameters
    ----------
    surveys : DataFrame
        Clean surveys with ``response_id, customer_id, responded_at, comment``.
    scorer : SentimentScorer, optional
    segments : Series, optional
        ``customer_id -> segment label``; missing customers get "(none)".
    period : Period or str, optional
        When given, only the comments of this period and the previous one are scored, at most
        ``max_per_period`` per period (:func:`sample_comments`, seeded with ``seed``; the counts
        are in ``.attrs["sample"]``, see :func:`sample_sentence`).
    max_per_period : int or None
        Cap per period (``None``: every comment).
    seed : int
        Seed of the sample (``cfg.seed``).

    Returns
    -------
    DataFrame
        ``response_id, customer_id, responded_at, language, clause, aspect, score,
        negative, segment`` (clauses without an aspect get ``aspect = "other"``). Phone
        numbers and e-mail addresses in the comments are masked as ``***``.

    Examples
    --------
    >>> s = pd.DataFrame({"response_id": ["r1"], "customer_id": ["c1"],
    ...     "responded_at": pd.to_datetime(["2025-11-02"]),
    ...     "comment": ["物流太慢 请回电 13812345678"]})
    >>> clause_table(s)[["clause", "aspect", "negative"]].values.tolist()
    [['物流太慢 请回电 ***', 'delivery', True]]
    """
    scorer = scorer or SentimentScorer()
    sample = None
    if period is not None:
        surveys = sample_comments(
            surveys, period, max_per_period=max_per_period, segments=segments, seed=seed
        )
        sample = surveys.attrs["sample"]
    s = surveys[surveys["comment"].notna() & surveys["comment"].astype(str).str.strip().ne("")]
    rows = []
    for rid, cid, ts, text in zip(
        s["response_id"], s["customer_id"], s["responded_at"], s["comment"].astype(str), strict=True
    ):
        text = _CONTACT.sub("***", text)  # customers paste phone numbers and e-mails
        lang = detect_language(text)
        for clause in split_clauses(text, lang):
            score = scorer.score_clause(clause, lang)
            for aspect in scorer.aspects_of(clause, lang) or ["other"]:
                rows.append((rid, cid, ts, lang, clause, aspect, score))
    out = pd.DataFrame(
        rows,
        columns=[
            "response_id",
            "customer_id",
            "responded_at",
            "language",
            "clause",
            "aspect",
            "score",
        ],
    )
    out["negative"] = out["score"] < 0
    if segments is not None:
        out["segment"] = out["customer_id"].map(segments).fillna("(none)").astype(str)
    else:
        out["segment"] = "all"
    if sample is not None:
        out.attrs["sample"] = sample
    return out


def aspect_segment_table(
    clauses: pd.DataFrame, period: Period | str, *, min_mentions: int = 20
) -> pd.DataFrame:
    """Share of negative mentions per aspect × segment in ``period``, with Wilson CIs.

    A mention is a (comment, aspect) pair: negative when its most negative clause is.
    Cells with fewer than ``min_mentions`` mentions are flagged ``small`` (not ranked).

    Returns
    -------
    DataFrame
        ``aspect, segment, mentions, negative, share_negative, ci_low, ci_high, small``.
    """
    p = Period.parse(period)
    c = clauses[
        (clauses["responded_at"] >= pd.Timestamp(p.start))
        & (clauses["responded_at"] < pd.Timestamp(p.end_exclusive))
        & clauses["aspect"].ne("other")
    ]
    per = c.groupby(["response_id", "aspect", "segment"], as_index=False)["negative"].max()
    t = per.groupby(["aspect", "segment"])["negative"].agg(mentions="size", negative="sum")
    t = t.reset_index()
    t["negative"] = t["negative"].astype(int)
    t["share_negative"] = t["negative"] / t["mentions"]
    t["ci_low"], t["ci_high"] = wilson_ci(t["negative"], t["mentions"])
    t["small"] = t["mentions"] < min_mentions
    return t.sort_values(["aspect", "segment"], ignore_index=True)


def aspect_changes(
    clauses: pd.DataFrame, period: Period | str, *, alpha: float = 0.05
) -> pd.DataFrame:
    """Share negative per aspect this period vs the previous one (z-test, Holm-corrected).

    Returns
    -------
    DataFrame
        ``aspect, mentions, share_negative, mentions_prev, share_negative_prev, change,
        ci_low, ci_high, p_holm, moved`` sorted by |change|.
    """

    p = Period.parse(period)
    cur = aspect_segment_table(clauses.assign(segment="all"), p, min_mentions=0)
    prev = aspect_segment_table(clauses.assign(segment="all"), p.previous(), min_mentions=0)
    m = cur.merge(prev, on="aspect", suffixes=("", "_prev"), how="outer").fillna(
        {"mentions": 0, "negative": 0, "mentions_prev": 0, "negative_prev": 0}
    )
    m = m[(m["mentions"] > 0) & (m["mentions_prev"] > 0)].copy()
    n1, n2 = m["mentions"].to_numpy(float), m["mentions_prev"].to_numpy(float)
    p1, p2 = m["negative"] / n1, m["negative_prev"] / n2
    d = (p1 - p2).to_numpy()
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2).to_numpy()
    pool = ((m["negative"] + m["negative_prev"]) / (n1 + n2)).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        z = d / np.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    pv = 2 * stats.norm.sf(np.abs(np.nan_to_num(z)))
    out = pd.DataFrame(
        {
            "aspect": m["aspect"].to_numpy(),
            "mentions": n1.astype(int),
            "share_negative": p1.to_numpy(),
            "mentions_prev": n2.astype(int),
            "share_negative_prev": p2.to_numpy(),
            "change": d,
            "ci_low": d - 1.96 * se,
            "ci_high": d + 1.96 * se,
            "p_holm": holm(pv) if len(pv) else [],
        }
    )
    out["moved"] = out["p_holm"] < alpha
    return out.reindex(out["change"].abs().sort_values(ascending=False).index).reset_index(
        drop=True
    )


def _aspect_label(aspect: str, lang: str, aspects: Mapping[str, dict] | None = None) -> str:
    spec = (aspects or load_aspects()).get(aspect)
    return spec["label"][lang] if spec else aspect


def sentiment_findings(
    table: pd.DataFrame,
    changes: pd.DataFrame,
    lang: str = "en",
    clauses: pd.DataFrame | None = None,
) -> str:
    """Findings sentences (en/zh) from :func:`aspect_segment_table` and :func:`aspect_changes`.

    With ``clauses`` from a capped :func:`clause_table`, the sentences end with
    :func:`sample_sentence` (how many comments the figures come from).
    """
    overall = table.groupby("aspect")[["mentions", "negative"]].sum()
    overall = overall[overall["mentions"] >= 20]
    parts = []
    if len(overall):
        share = overall["negative"] / overall["mentions"]
        worst = share.idxmax()
        lo, hi = wilson_ci(
            np.array([overall.loc[worst, "negative"]]), np.array([overall.loc[worst, "mentions"]])
        )
        parts.append(
            catalog.t(
                "voice.sentiment.worst",
                lang,
                name=_aspect_label(worst, lang),
                share=share[worst],
                mentions=int(overall.loc[worst, "mentions"]),
                low=lo[0],
                high=hi[0],
            )
        )
    moved = changes[changes["moved"]] if len(changes) else changes
    items = catalog.t("punct.semicolon", lang).join(
        catalog.t(
            "voice.sentiment.moved.item",
            lang,
            aspect=_aspect_label(r.aspect, lang),
            before=r.share_negative_prev,
            after=r.share_negative,
        )
        for r in moved.itertuples()
    )
    parts.append(
        catalog.t(
            "voice.sentiment.moved",
            lang,
            items=items or catalog.t("voice.sentiment.moved.none", lang),
        )
    )
    if clauses is not None and (note := sample_sentence(clauses, lang)):
        parts.append(note)
    return functools.reduce(
        lambda first, second: catalog.t("voice.sentiment.then", lang, first=first, second=second),
        parts,
    )


#: the aspect x segment map is drawn only with at least this many cells with enough mentions ...
MIN_MAP_CELLS = 4
#: ... and this share of all its cells
MIN_MAP_FILLED = 0.25


def sparse_map_sentence(filled: int, cells: int, lang: str = "en") -> str:
    """The sentence shown instead of a map whose cells are mostly too small.

    Examples
    --------
    >>> sparse_map_sentence(3, 40)
    'Only 3 of 40 aspect × segment cells have enough mentions for a share, so no map is drawn; the aspect table below holds the totals.'
    """
    return catalog.t("voice.sentiment.sparse", lang, filled=filled, cells=cells)


def sentiment_map(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The map :func:`plot_sentiment_map` draws: share negative, aspect (labelled) × segment;
    cells with too few mentions empty.

    Examples
    --------
    >>> t = pd.DataFrame({"aspect": ["delivery", "price"], "segment": ["A", "A"],
    ...     "share_negative": [0.3, 0.5], "small": [False, True]})
    >>> sentiment_map(t).to_dict()
    {'A': {'Delivery': 0.3, 'price': nan}}
    """
    shown = table.assign(share=table["share_negative"].where(~table["small"]))
    wide = shown.pivot(index="aspect", columns="segment", values="share")
    wide.index = [_aspect_label(a, lang) for a in wide.index]
    return wide


def sparse_map_note(wide: pd.DataFrame, lang: str = "en") -> str:
    """The sentence shown instead of the map (:func:`sparse_map_sentence`) when fewer than
    ``MIN_MAP_CELLS`` cells (or ``MIN_MAP_FILLED`` of them) hold enough mentions; else "".

    Examples
    --------
    >>> sparse_map_note(pd.DataFrame({"A": [0.3, None], "B": [None, None]}))[:10]
    'Only 1 of '
    """
    filled = int(wide.notna().sum().sum())
    if filled < MIN_MAP_CELLS or filled < MIN_MAP_FILLED * wide.size:
        return sparse_map_sentence(filled, wide.size, lang)
    return ""


def plot_sentiment_map(
    wide: pd.DataFrame, lang: str = "en", *, takeaway: str | None = None, ax: Any = None
) -> Any:
    """Heatmap of share negative, aspect × segment: the map of :func:`sentiment_map` (small
    cells empty). Draw it only when :func:`sparse_map_note` has nothing to say instead.

    ``takeaway`` (:func:`sentiment_takeaway`) becomes the chart's caption.

    Examples
    --------
    >>> t = pd.DataFrame({"aspect": ["delivery", "price"] * 2, "segment": ["A", "A", "B", "B"],
    ...     "share_negative": [0.3] * 4, "small": [False] * 4})
    >>> len(plot_sentiment_map(sentiment_map(t)).figure.axes)  # the map and its colour bar
    2
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from custops.report.plots import set_takeaway

    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(1.2 * wide.shape[1] + 3, 0.5 * wide.shape[0] + 1.5))
    sns.heatmap(wide, ax=ax, cmap="Reds", vmin=0, vmax=1, annot=True, fmt=".0%", cbar=True)
    ax.set_title(catalog.t("voice.sentiment.plot.title", lang))
    ax.set_xlabel("")
    ax.set_ylabel("")
    if own:
        fig.tight_layout()
    return set_takeaway(ax, takeaway)


def sentiment_takeaway(table: pd.DataFrame, lang: str = "en") -> str:
    """One sentence: the aspect × segment cell (not small) with the largest negative share.

    Examples
    --------
    >>> t = pd.DataFrame({"aspect": ["delivery", "price"], "segment": ["east", "west"],
    ...     "share_negative": [0.3, 0.55], "small": [False, False]})
    >>> sentiment_takeaway(t)
    'The most negative cell: price in west, with 55% of mentions negative.'
    """
    from custops.report.labels import value_label

    rows = table[~table["small"].astype(bool)].dropna(subset=["share_negative"])
    if rows.empty:
        return catalog.t("figure.no_data", lang)
    top = rows.loc[rows["share_negative"].astype(float).idxmax()]
    return catalog.t(
        "figure.sentiment_map",
        lang,
        aspect=_aspect_label(str(top["aspect"]), lang),
        segment=value_label(top["segment"], lang),
        share=f"{float(top['share_negative']):.0%}",
    )
