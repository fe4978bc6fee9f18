"""Survey comments: personal-data redaction, tokens, keywords, themes and quotes.

Comments are free text in Chinese or English. Customers paste contact details into them,
so :func:`redact` (the layered redactor of :mod:`custops.ingest.redact`) masks phone
numbers, e-mail addresses (also obfuscated), resident-ID and card numbers, addresses and
person names. Every function here that returns comment text redacts it first; quotes in
which the redactor is unsure (an unknown pair of capitalised words, a digit run that looks
like a phone but does not validate) are left out.

Chinese is segmented with jieba. jieba builds its prefix dictionary on first use, caches it
in the temporary folder and logs that to stderr: the log is silenced here. ``enable_paddle``
is never called (it pip-installs a package at run time). English is tokenised by
scikit-learn's vectorizers.

Themes are assigned with a small bilingual lexicon (:data:`THEMES`, replaceable by the
caller): a comment belongs to every theme whose words it contains. Keywords are the terms
with the highest mean TF-IDF weight inside a group; representative quotes are the distinct
comments nearest to their group's TF-IDF centroid.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from custops.ingest.redact import PLACEHOLDERS, redact, redact_series, unsure_mask
from custops.report import text as catalog

__all__ = [
    "quotes_table",
    "THEMES",
    "ZH_STOPWORDS",
    "redact",
    "redact_series",
    "detect_language",
    "tokenize_zh",
    "keywords_by_group",
    "themes_by_group",
    "assign_themes",
    "representative_quotes",
    "quotes_note",
]

# --------------------------------------------------------------------------- language, tokens

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")

#: Chinese function words and fillers left out of keywords
_ZH_STOP_TEXT = (
    "的 了 和 是 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 我 你 他 她 它 也 还 很 太 有 在 "
    "这 那 又 吧 啊 呢 吗 么 把 被 让 给 对 从 到 会 要 能 可以 但 但是 就是 不 没 一直 "
    "还是 有点 一下 非常 比较 特别 真的 已经 什么 所以 因为 如果 然后 还会 继续 当天 两天"
)
ZH_STOPWORDS = frozenset(_ZH_STOP_TEXT.split(" "))
#: service words jieba should keep whole
_ZH_WORDS = (
    "客服",
    "回复",
    "太慢",
    "很慢",
    "没人理",
    "没解决",
    "没有解决",
    "很差",
    "态度",
    "物流",
    "配送",
    "包装",
    "会员权益",
    "价格",
    "质量差",
    "下单",
    "好用",
)
_TOKEN_OK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]")


def detect_language(text: object) -> str | None:
    """``"zh"`` when a comment has Chinese characters, ``"en"`` when it has Latin letters only.

    Examples
    --------
    >>> detect_language("APP很好用"), detect_language("Great app"), detect_language("123")
    ('zh', 'en', None)
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    value = str(text)
    if _CJK.search(value):
        return "zh"
    if _LATIN.search(value):
        return "en"
    return None


@lru_cache(maxsize=1)
def _jieba_tokenizer() -> Any:
    """A private jieba tokenizer with the service words added; quiet on first load."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.ERROR)
    logging.getLogger("jieba").setLevel(logging.ERROR)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in _ZH_WORDS:
        tokenizer.add_word(word, freq=100_000)
    return tokenizer


def tokenize_zh(text: str, *, stopwords: Iterable[str] = ZH_STOPWORDS) -> list[str]:
    """Chinese words of a comment (jieba, precise mode), without punctuation and stop words.

    Latin-letter words in the text are kept in lower case.

    Parameters
    ----------
    text : str
    stopwords : iterable of str
        Words to leave out.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize_zh("客服回复太慢，等了两天没人理")
    ['客服', '回复', '太慢', '等', '没人理']
    """
    stop = stopwords if isinstance(stopwords, frozenset | set) else set(stopwords)
    words = []
    for word in _jieba_tokenizer().cut(str(text), HMM=True):
        word = word.strip().lower()
        if word and _TOKEN_OK.search(word) and word not in stop and not word.isdigit():
            words.append(word)
    return words


def _vectorizer(lang: str, min_df: int) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if lang == "zh":
        return TfidfVectorizer(
            tokenizer=tokenize_zh,
            token_pattern=None,
            lowercase=False,
            min_df=min_df,
            sublinear_tf=True,
        )
    return TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=min_df,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b",
    )


_PLACEHOLDER_RE = re.compile("|".join(re.escape(v) for v in PLACEHOLDERS.values()))


def _for_terms(texts: pd.Series) -> list[str]:
    """Redacted comments without the placeholders (``[phone]`` is not a keyword)."""
    return [_PLACEHOLDER_RE.sub(" ", t) for t in texts]


def _prepare(frame: pd.DataFrame, text: str, group: str) -> pd.DataFrame:
    missing = [c for c in (text, group) if c not in frame.columns]
    if missing:
        raise KeyError(f"columns {missing} not found; the frame has {list(frame.columns)}")
    out = frame[[group, text]].dropna(subset=[text]).copy()
    out[text] = redact_series(out[text].astype(str).str.strip())
    out = out[out[text].str.len() > 0]
    out["language"] = out[text].map(detect_language)
    return out.dropna(subset=["language"])


def _is_phrase(terms: np.ndarray, texts: list[str], min_df: int) -> np.ndarray:
    """Whether each term is a word, or a two-word term written as adjacent words in at least
    ``min_df`` comments (the vectorizer also pairs words around a removed stop word or comma).

    Examples
    --------
    >>> _is_phrase(np.array(["slow", "slow reply", "expensive poor"]),
    ...            ["slow reply", "Slow  reply!", "expensive, and poor", "expensive and poor"], 2)
    array([ True,  True, False])
    """
    lowered = [t.lower() for t in texts]
    out = np.ones(len(terms), dtype=bool)
    for j, term in enumerate(terms.astype(str)):
        words = term.split()
        if len(words) < 2:
            continue
        pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b")
        out[j] = sum(bool(pattern.search(t)) for t in lowered) >= min_df
    return out


def keywords_by_group(
    frame: pd.DataFrame,
    *,
    text: str = "comment",
    group: str = "nps_category",
    top_n: int = 8,
    min_df: int = 2,
) -> pd.DataFrame:
    """The terms that characterise each group's comments, per language.

    Comments are redacted, split by language (Chinese: jieba words; English: words and
    two-word phrases without English stop words) and weighted by TF-IDF fitted on all comments
    of that language. A group's keywords are the terms with the highest mean weight over its
    comments.

    Parameters
    ----------
    frame : DataFrame
        One row per comment.
    text, group : str
        Comment column and grouping column (e.g. promoter / passive / detractor).
    top_n : int
        Keywords per group and language.
    min_df : int
        A term must appear in at least this many comments.

    Returns
    -------
    DataFrame
        ``language, group, rank, term, weight, n_comments`` (comments of the group that use the
        term), ``share`` (of the group's comments in that language).

    Examples
    --------
    >>> f = pd.DataFrame({"comment": ["slow reply", "slow reply again", "great app", "great app!"],
    ...                   "nps_category": ["detractor", "detractor", "promoter", "promoter"]})
    >>> kw = keywords_by_group(f, top_n=3)
    >>> kw.groupby("group")["term"].apply(list).to_dict()
    {'detractor': ['slow reply'], 'promoter': ['great app']}
    """
    data = _prepare(frame, text, group)
    rows = []
    for lang, part in data.groupby("language", sort=True):
        if len(part) < min_df:
            continue
        vec = _vectorizer(str(lang), min_df)
        try:
            matrix = vec.fit_transform(_for_terms(part[text]))
        except ValueError:  # no term left after min_df / stop words
            continue
        terms = np.asarray(vec.get_feature_names_out())
        present = matrix > 0
        phrase = _is_phrase(terms, _for_terms(part[text]), min_df)
        for name, idx in part.groupby(group, sort=True).indices.items():
            sub = matrix[idx]
            weight = np.asarray(sub.mean(axis=0)).ravel()
            counts = np.asarray(present[idx].sum(axis=0)).ravel()
            n_words = np.char.count(terms.astype(str), " ") + 1
            # ties: longer phrases first; a word inside a chosen phrase with the same count is
            # the same evidence and is skipped
            order = np.lexsort((terms, -n_words, -np.round(weight, 12)))
            chosen: list[int] = []
            for j in order:
                if len(chosen) == top_n or weight[j] <= 0:
                    break
                if not phrase[j]:  # "expensive poor": two words joined across a stop word
                    continue
                words = set(str(terms[j]).split())
                if any(
                    counts[k] == counts[j] and (words <= set(str(terms[k]).split())) for k in chosen
                ):
                    continue
                chosen.append(j)
            for rank, j in enumerate(chosen, start=1):
                rows.append(
                    {
                        "language": lang,
                        "group": name,
                        "rank": rank,
                        "term": str(terms[j]),
                        "weight": float(weight[j]),
                        "n_comments": int(counts[j]),
                        "share": float(counts[j] / len(idx)),
                    }
                )
    columns = ["language", "group", "rank", "term", "weight", "n_comments", "share"]
    return pd.DataFrame(rows, columns=columns)


#: theme -> words (Chinese and English, matched case-insensitively as substrings)
THEMES: dict[str, tuple[str, ...]] = {
    "service_speed": (
        "回复",
        "没人理",
        "等了",
        "响应",
        "reply",
        "replied",
        "respond",
        "response",
        "waited",
        "support was slow",
    ),
    "problem_resolution": (
        "解决",
        "投诉",
        "resolved",
        "solved",
        "complaint",
        "still open",
        "problem",
    ),
    "staff_attitude": ("态度", "服务员", "rude", "attitude", "staff", "friendly"),
    "price": ("价格", "贵", "便宜", "性价比", "expensive", "price", "cheap", "value for money"),
    "product_quality": ("质量", "东西", "产品", "quality", "product", "broken"),
    "delivery": ("物流", "配送", "快递", "包装", "delivery", "shipping", "packaging", "courier"),
    "app_experience": ("app", "下单", "界面", "easy to use", "website", "checkout"),
    "membership": ("会员", "权益", "积分", "member", "loyalty", "points", "benefit"),
}


def assign_themes(
    comments: pd.Series, themes: Mapping[str, Sequence[str]] | None = None
) -> pd.DataFrame:
    """One boolean column per theme: whether each comment mentions one of its words.

    Examples
    --------
    >>> assign_themes(pd.Series(["客服回复太慢", "Too expensive"]))[["service_speed", "price"]].to_dict("list")
    {'service_speed': [True, False], 'price': [False, True]}
    """
    themes = THEMES if themes is None else themes
    lower = comments.fillna("").astype(str).str.lower()
    out = {}
    for name, words in themes.items():
        pattern = "|".join(re.escape(w.lower()) for w in words)
        out[name] = lower.str.contains(pattern, regex=True) if pattern else False
    return pd.DataFrame(out, index=comments.index)


def themes_by_group(
    frame: pd.DataFrame,
    *,
    text: str = "comment",
    group: str = "nps_category",
    themes: Mapping[str, Sequence[str]] | None = None,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Share of each group's comments that mention each theme, with Wilson intervals.

    Parameters
    ----------
    frame : DataFrame
        One row per comment (missing comments are left out).
    text, group : str
        Comment column and grouping column.
    themes : mapping, optional
        Theme -> words; defaults to :data:`THEMES`.
    conf : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``theme, group, n_comments, n_mentions, share, ci_low, ci_high`` sorted by theme
        and group.

    Examples
    --------
    >>> f = pd.DataFrame({"comment": ["回复太慢", "reply was slow", "nice"],
    ...                   "nps_category": ["detractor", "detractor", "promoter"]})
    >>> t = themes_by_group(f)
    >>> t.query("theme == 'service_speed'")[["group", "n_mentions", "share"]].to_dict("records")
    [{'group': 'detractor', 'n_mentions': 2, 'share': 1.0}, {'group': 'promoter', 'n_mentions': 0, 'share': 0.0}]
    """
    from statsmodels.stats.proportion import proportion_confint

    data = _prepare(frame, text, group)
    flags = assign_themes(data[text], themes)
    rows = []
    for name, idx in data.groupby(group, sort=True).indices.items():
        sub = flags.iloc[idx]
        n = len(sub)
        for theme in flags.columns:
            k = int(sub[theme].sum())
            low, high = proportion_confint(k, n, alpha=1 - conf, method="wilson")
            rows.append(
                {
                    "theme": theme,
                    "group": name,
                    "n_comments": n,
                    "n_mentions": k,
                    "share": k / n,
                    "ci_low": float(low),
                    "ci_high": float(high),
                }
            )
    columns = ["theme", "group", "n_comments", "n_mentions", "share", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)


def representative_quotes(
    frame: pd.DataFrame,
    *,
    text: str = "comment",
    group: str = "nps_category",
    per_group: int = 3,
    min_df: int = 1,
) -> pd.DataFrame:
    """A few typical comments per group and language, redacted.

    A comment's typicality is the cosine similarity of its TF-IDF vector to the mean vector
    of its group (same language); identical comments are shown once, with how often they
    occur. A comment in which the redactor is unsure (:func:`custops.ingest.redact.scan`: an
    unknown pair of capitalised words, a digit run that looks like a phone but does not
    validate ...) is never quoted; how many were passed over is in
    ``result.attrs["withheld"]`` (see :func:`quotes_note`).

    Parameters
    ----------
    frame : DataFrame
        One row per comment.
    text, group : str
        Comment column and grouping column.
    per_group : int
        Quotes per group and language.
    min_df : int
        Minimum document frequency of the terms used for similarity.

    Returns
    -------
    DataFrame
        ``group, language, quote, times, similarity``.

    Examples
    --------
    >>> f = pd.DataFrame({"comment": ["slow reply, call 13812345678", "slow reply", "slow reply"],
    ...                   "nps_category": "detractor"})
    >>> representative_quotes(f, per_group=2)[["quote", "times"]].to_dict("records")
    [{'quote': 'slow reply', 'times': 2}, {'quote': 'slow reply, call [phone]', 'times': 1}]
    >>> f = pd.DataFrame({"comment": ["slow reply", "met Zorvath Quellon, slow reply"],
    ...                   "nps_category": "detractor"})
    >>> q = representative_quotes(f, per_group=2)
    >>> q["quote"].tolist(), q.attrs["withheld"]
    (['slow reply'], 1)
    """
    data = _prepare(frame, text, group)
    rows = []
    withheld = 0
    for lang, part in data.groupby("language", sort=True):
        vec = _vectorizer(str(lang), min_df)
        try:
            matrix = vec.fit_transform(_for_terms(part[text]))
        except ValueError:
            matrix = None
        for name, idx in part.groupby(group, sort=True).indices.items():
            sub = part.iloc[idx]
            if matrix is not None:
                m = matrix[idx]
                centroid = np.asarray(m.mean(axis=0)).ravel()
                norm = np.linalg.norm(centroid)
                sims = (m @ centroid) / norm if norm > 0 else np.zeros(len(idx))
                sims = np.asarray(sims).ravel()
            else:
                sims = np.zeros(len(idx))
            scored = pd.DataFrame({"quote": sub[text].to_numpy(), "similarity": sims})
            agg = scored.groupby("quote", sort=False).agg(
                times=("similarity", "size"), similarity=("similarity", "max")
            )
            agg = agg.reset_index().sort_values(
                ["similarity", "times", "quote"], ascending=[False, False, True]
            )
            # quotes reach the book only when the redactor is sure about all of the text
            unsure = unsure_mask(agg["quote"])
            sure_at = np.flatnonzero(~unsure)
            cutoff = sure_at[per_group - 1] + 1 if len(sure_at) >= per_group else len(unsure)
            withheld += int(unsure[:cutoff].sum())
            agg = agg[~unsure]
            for record in agg.head(per_group).itertuples(index=False):
                rows.append(
                    {
                        "group": name,
                        "language": lang,
                        "quote": record.quote,
                        "times": int(record.times),
                        "similarity": round(float(record.similarity), 3),
                    }
                )
    columns = ["group", "language", "quote", "times", "similarity"]
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["group", "language"], kind="stable").reset_index(drop=True)
    out.attrs["withheld"] = withheld
    return out


def quotes_note(quotes: pd.DataFrame, lang: str = "en") -> str:
    """One sentence on the quotes left out because the redactor was unsure about them.

    Examples
    --------
    >>> q = pd.DataFrame(columns=["quote"]); q.attrs["withheld"] = 2
    >>> quotes_note(q)  # doctest: +ELLIPSIS
    '2 comments that would have been quoted were left out: ...'
    >>> quotes_note(pd.DataFrame(columns=["quote"]))
    ''
    """
    n = int(quotes.attrs.get("withheld", 0))
    if not n:
        return ""
    return catalog.t(f"voice.text_mining.withheld.{'one' if n == 1 else 'other'}", lang, n=n)


def quotes_table(quotes: pd.DataFrame) -> pd.DataFrame:
    """:func:`representative_quotes` for display: each quote marked as written, in its
    language (:class:`custops.report.labels.Quoted`), so the book never relabels a customer's
    words and marks an English comment in the Chinese edition as English.

    Examples
    --------
    >>> q = quotes_table(pd.DataFrame({"language": ["en"], "quote": ["delivery was late"]}))
    >>> type(q["quote"].iloc[0]).__name__, q["quote"].iloc[0].lang
    ('Quoted', 'en')
    """
    from custops.report.labels import Quoted

    out = quotes.copy()
    if "quote" in out.columns:
        languages = out["language"] if "language" in out.columns else [None] * len(out)
        out["quote"] = [
            Quoted(text, lang if lang in ("en", "zh") else None)
            for text, lang in zip(out["quote"], languages, strict=True)
        ]
    return out
