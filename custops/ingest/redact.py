"""The one redactor of free text: personal data in comments, ticket texts and quotes.

Masks phone numbers (mainland mobiles with or without ``+86``/``0086``, written with spaces
or dashes; landlines; other international numbers), e-mail addresses and Chinese resident
ID numbers. Every module that shows free text calls :func:`redact` (or
:func:`redact_series`) from here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["PLACEHOLDERS", "redact", "redact_series"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 18-digit resident ID (region, birth date 18xx-20xx, sequence, check digit) and the old 15-digit one
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[0-9Xx](?![0-9A-Za-z])"
)
_ID15 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])"
)
_SEP = r"[\s\-\u2010-\u2015.()（）]*"
# mainland mobile: optional +86 / 0086 / 86 / (+86), then 1[3-9] and 9 more digits, any separators
_MOBILE = re.compile(
    rf"(?<![0-9])(?:[(（]?(?:\+|00)?{_SEP}86{_SEP})?1{_SEP}[3-9](?:{_SEP}[0-9]){{9}}(?![0-9])"
)
# landline: 0 + 2-3 digit area code, then 7-8 digits (010-12345678, 021 6123 4567)
_LANDLINE = re.compile(r"(?<![0-9])\(?0\d{2,3}\)?[\s\-]?\d{3,4}[\s\-]?\d{4}(?![0-9])")
# any other international number: + country code and 7-13 more digits
_INTL = re.compile(r"(?<![0-9A-Za-z])[(（]?\+[0-9]{1,3}[)）]?(?:[\s\-]?[0-9]){7,13}(?![0-9])")
# full-width digits and plus sign (common in Chinese input methods) are read as ASCII
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋", "0123456789+")

#: replacement text per kind of personal data
PLACEHOLDERS = {"email": "[email]", "id": "[id]", "phone": "[phone]"}


def redact(text: object) -> str | None:
    """Mask phone numbers, e-mail addresses and Chinese ID numbers in free text.

    Parameters
    ----------
    text : str or None
        A comment in any language. ``None``/NaN is returned as ``None``. Full-width
        digits are turned into ASCII digits.

    Returns
    -------
    str or None
        The text with ``[phone]``, ``[email]`` and ``[id]`` in place of the personal data.

    Examples
    --------
    >>> redact("请回电 13812345678")
    '请回电 [phone]'
    >>> redact("call me at +86 139 1234 5678 or mail me@example.com")
    'call me at [phone] or mail [email]'
    >>> redact("身份证 11010519491231002X，电话 138-1234-5678")
    '身份证 [id]，电话 [phone]'
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return None
    out = str(text).translate(_FULLWIDTH)
    out = _EMAIL.sub(PLACEHOLDERS["email"], out)
    out = _ID18.sub(PLACEHOLDERS["id"], out)
    out = _ID15.sub(PLACEHOLDERS["id"], out)
    out = _INTL.sub(PLACEHOLDERS["phone"], out)
    out = _MOBILE.sub(PLACEHOLDERS["phone"], out)
    out = _LANDLINE.sub(PLACEHOLDERS["phone"], out)
    return out


def redact_series(comments: pd.Series) -> pd.Series:
    """:func:`redact` applied to every comment (missing comments stay missing).

    Examples
    --------
    >>> redact_series(pd.Series(["mail a@b.cn", None])).tolist()
    ['mail [email]', None]
    """
    if pd.api.types.infer_dtype(comments, skipna=True) not in ("string", "empty"):
        return comments.map(redact, na_action="ignore").astype(object).where(comments.notna(), None)
    # text only: each distinct comment once (templated and repeated comments are common)
    codes, uniques = pd.factorize(comments, use_na_sentinel=True)
    done = np.array([redact(v) for v in uniques], dtype=object)
    out = np.full(len(comments), None, dtype=object)
    known = codes >= 0
    out[known] = done[codes[known]]
    return pd.Series(out, index=comments.index, name=comments.name, dtype=object)
