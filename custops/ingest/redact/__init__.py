"""The one redactor of free text: personal data in comments, ticket fields and quotes.

Layers, each a small module of this package:

* :mod:`~custops.ingest.redact.numeric` — phone numbers (mainland mobiles by pattern, every
  other number parsed and validated by ``phonenumbers`` for the regions CN, GB and US and in
  international form), Chinese resident IDs (18 digits with the check character; the old
  15-digit form) and payment-card numbers (Luhn and the card's prefix and length);
* :mod:`~custops.ingest.redact.emails` — e-mails, also written as "john.smithers at gmail dot
  com", ``li[at]qq.com``, with a full-width ＠;
* :mod:`~custops.ingest.redact.places` — Chinese addresses (administrative names from
  ``cpca``'s data + road, number, estate, building, room) and English street addresses;
* :mod:`~custops.ingest.redact.people` — Chinese names (jieba's ``nr`` tag, only run on text
  with Chinese characters, plus surname/given-name patterns) and English names (titles, cue
  words, a first-name list, surnames, hyphenated surnames).

Every layer returns *sure* hits, which are masked (``[phone]``, ``[email]``, ``[id]``,
``[card]``, ``[address]``, ``[name]``), and *unsure* ones, which are left in the text but
reported: capitalised word pairs that are in no name list, digit runs that look like a phone,
ID or card but fail validation, "x at y dot com" between plain words. :func:`scan` returns
both; the quote selection (:func:`custops.voice.text_mining.representative_quotes`) leaves
out every comment with an unsure hit. ``benchmarks/bench_pii.py`` measures recall per kind,
precision, the share of clean comments wrongly withheld and the throughput.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from custops.ingest.redact.emails import find_emails
from custops.ingest.redact.lexicon import Lexicon, load_lexicon
from custops.ingest.redact.numeric import Hit, find_numbers, id_check_ok, luhn_ok
from custops.ingest.redact.people import find_en_names, find_zh_names
from custops.ingest.redact.places import find_en_addresses, find_zh_addresses

__all__ = [
    "KINDS",
    "PLACEHOLDERS",
    "Redaction",
    "Redactor",
    "default_redactor",
    "id_check_ok",
    "luhn_ok",
    "redact",
    "redact_series",
    "scan",
    "scan_series",
    "unsure_mask",
]

#: replacement text per kind of personal data
PLACEHOLDERS = {
    "email": "[email]",
    "id": "[id]",
    "phone": "[phone]",
    "card": "[card]",
    "address": "[address]",
    "name": "[name]",
}
#: the kinds of personal data the redactor finds
KINDS = tuple(PLACEHOLDERS)
# full-width digits, plus, at and full stop (Chinese input methods) are read as ASCII
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋＠．", "0123456789+@.")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# layer order breaks ties between hits of the same length (an e-mail holding a phone number)
_PRIORITY = {"email": 0, "id": 1, "card": 2, "phone": 3, "address": 4, "name": 5, "digits": 6}


@dataclass(frozen=True)
class Redaction:
    """What :func:`scan` found in one text.

    Attributes
    ----------
    text : str
        The text with every sure hit replaced by its placeholder.
    found : tuple of str
        Kinds masked, in text order (``("phone", "name")``).
    unsure : tuple of str
        Kinds of the unsure hits left in the text (``"name"``, ``"digits"``, ``"email"`` ...).
    """

    text: str
    found: tuple[str, ...] = ()
    unsure: tuple[str, ...] = ()

    @property
    def is_unsure(self) -> bool:
        """True when the redactor is unsure about part of the text (leave it out of quotes)."""
        return bool(self.unsure)


@dataclass
class Redactor:
    """The layered redactor: holds its word lists and a private jieba POS tagger.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Word lists (default: the shipped ones, :func:`~custops.ingest.redact.lexicon.load_lexicon`).
    zh_pos : bool
        Run jieba's POS tagging (person names ``nr``) on text with Chinese characters.

    Examples
    --------
    >>> r = Redactor()
    >>> r.scan("客服王芳说会打13812345678").text
    '客服[name]说会打[phone]'
    """

    lexicon: Lexicon | None = None
    zh_pos: bool = True
    _pos: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.lexicon is None:
            self.lexicon = load_lexicon()

    def _tagger(self) -> Any:
        if self._pos is None and self.zh_pos:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import jieba
                import jieba.posseg

            jieba.setLogLevel(logging.ERROR)
            logging.getLogger("jieba").setLevel(logging.ERROR)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            self._pos = jieba.posseg.POSTokenizer(tokenizer)
        return self._pos

    def hits(self, text: str) -> list[Hit]:
        """Every hit of every layer (overlapping, sure and unsure) in the normalised text."""
        lex = self.lexicon
        assert lex is not None
        out = find_emails(text) + find_numbers(text) + find_en_addresses(text)
        out += find_en_names(text, lex)
        if _CJK.search(text):
            out += find_zh_addresses(text, lex)
            out += find_zh_names(text, lex, self._tagger())
        return out

    def scan(self, text: object) -> Redaction | None:
        """Mask the sure hits of ``text`` and report the unsure ones (None for a missing text)."""
        if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
            return None
        value = str(text).translate(_FULLWIDTH)
        hits = self.hits(value)
        # overlapping sure hits are masked as one span (a postcode after a street, a name
        # inside an address): nothing of either is left; the span takes the longest's kind
        sure = sorted((h for h in hits if h[3] and h[2] != "digits"), key=lambda h: h[0])
        taken: list[Hit] = []
        for hit in sure:
            if taken and hit[0] < taken[-1][1]:
                last = taken[-1]
                longer = hit if hit[1] - hit[0] > last[1] - last[0] else last
                if hit[1] - hit[0] == last[1] - last[0]:
                    longer = min(hit, last, key=lambda h: _PRIORITY[h[2]])
                taken[-1] = (last[0], max(last[1], hit[1]), longer[2], True)
            else:
                taken.append(hit)
        unsure = sorted(
            {
                (h[0], h[2])
                for h in hits
                if not h[3] and all(h[1] <= t[0] or h[0] >= t[1] for t in taken)
            }
        )
        parts, pos = [], 0
        for start, end, kind, _ in taken:
            parts += [value[pos:start], PLACEHOLDERS[kind]]
            pos = end
        parts.append(value[pos:])
        return Redaction("".join(parts), tuple(h[2] for h in taken), tuple(k for _, k in unsure))

    def redact(self, text: object) -> str | None:
        """The text with its sure hits masked (see :func:`redact`)."""
        done = self.scan(text)
        return None if done is None else done.text


@lru_cache(maxsize=1)
def default_redactor() -> Redactor:
    """The shared redactor with the shipped lists (built once: its lists are read-only)."""
    return Redactor()


def scan(text: object) -> Redaction | None:
    """Redact ``text`` and say what was masked and what the redactor is unsure about.

    Examples
    --------
    >>> done = scan("Ask for Xavier Quentworth, or mail john.smithers at gmail dot com")
    >>> done.text, done.found, done.unsure
    ('Ask for [name], or mail [email]', ('name', 'email'), ())
    >>> scan("Our courier Bartholomew Quentworth-Ilse was late").unsure
    ()
    >>> scan("met Zorvath Quellon at the door").unsure
    ('name',)
    """
    return default_redactor().scan(text)


def redact(text: object) -> str | None:
    """Mask personal data in free text: phones, e-mails, ID and card numbers, addresses, names.

    Parameters
    ----------
    text : str or None
        A comment in any language. ``None``/NaN is returned as ``None``. Full-width
        digits, ＋, ＠ and ． are turned into ASCII.

    Returns
    -------
    str or None
        The text with ``[phone]``, ``[email]``, ``[id]``, ``[card]``, ``[address]`` and
        ``[name]`` in place of the personal data the redactor is sure about (see :func:`scan`
        for the unsure rest).

    Examples
    --------
    >>> redact("请回电 13812345678")
    '请回电 [phone]'
    >>> redact("call me at +86 139 1234 5678 or mail me@example.com")
    'call me at [phone] or mail [email]'
    >>> redact("身份证 11010519491231002X，电话 138-1234-5678")
    '身份证 [id]，电话 [phone]'
    >>> redact("我叫欧阳娜娜，住北京市朝阳区建国路88号")
    '我叫[name]，住[address]'
    >>> redact("Emily Zhang-Hart lives at 221B Baker Street")
    '[name] lives at [address]'
    """
    return default_redactor().redact(text)


def _distinct(values: pd.Series, fn: Any) -> pd.Series:
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return values.map(fn, na_action="ignore").astype(object).where(values.notna(), None)
    # text only: each distinct comment once (templated and repeated comments are common)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    done = np.empty(len(uniques), dtype=object)
    done[:] = [fn(v) for v in uniques]
    out = np.full(len(values), None, dtype=object)
    known = codes >= 0
    out[known] = done[codes[known]]
    return pd.Series(out, index=values.index, name=values.name, dtype=object)


def redact_series(comments: pd.Series, redactor: Redactor | None = None) -> pd.Series:
    """:func:`redact` applied to every comment (missing comments stay missing).

    Each distinct comment is redacted once.

    Examples
    --------
    >>> redact_series(pd.Series(["mail a@b.cn", None])).tolist()
    ['mail [email]', None]
    """
    r = redactor or default_redactor()
    return _distinct(comments, r.redact)


def scan_series(comments: pd.Series, redactor: Redactor | None = None) -> pd.DataFrame:
    """:func:`scan` of every comment: ``text`` (redacted), ``found`` and ``unsure`` (tuples).

    Examples
    --------
    >>> scan_series(pd.Series(["met Zorvath Quellon today", "ok"]))["unsure"].tolist()
    [('name',), ()]
    """
    r = redactor or default_redactor()
    done = _distinct(comments, r.scan)
    return pd.DataFrame(
        {
            "text": [None if d is None else d.text for d in done],
            "found": [() if d is None else d.found for d in done],
            "unsure": [() if d is None else d.unsure for d in done],
        },
        index=comments.index,
    )


def unsure_mask(texts: Iterable[object], redactor: Redactor | None = None) -> np.ndarray:
    """Boolean array: whether the redactor is unsure about each text.

    Examples
    --------
    >>> unsure_mask(["met Zorvath Quellon today", "ok", None]).tolist()
    [True, False, False]
    """
    series = pd.Series(list(texts), dtype=object)
    return np.array([bool(u) for u in scan_series(series, redactor)["unsure"]], dtype=bool)
