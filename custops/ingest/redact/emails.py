"""E-mail addresses, plain and obfuscated ("john.smithers at gmail dot com", "li[at]qq.com",
"zhang艾特163点com"; full-width ＠ and ． are turned into ASCII before)."""

from __future__ import annotations

import re

from custops.ingest.redact.numeric import Hit

__all__ = ["find_emails"]

_PLAIN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TLD = (
    r"(?:com|net|org|cn|co|uk|io|edu|gov|info|me|biz|de|fr|jp|hk|tw|us|ca|au|sg|in|cc|top|xyz|"
    r"mail|email)"
)
_DOT = r"(?:\s*(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>|\bdot\b|点|\.)\s*)"
_AT = (
    r"(?P<at>\s*(?:\[\s*(?:at|@)\s*\]|\(\s*(?:at|@)\s*\)|\{\s*at\s*\}|<\s*at\s*>|@|艾特|圈a)\s*"
    r"|\s+at\s+)"
)
_USER = rf"(?P<user>[A-Za-z0-9][A-Za-z0-9_%+-]*(?:{_DOT}[A-Za-z0-9_%+-]+)*)"
_DOMAIN = (
    rf"(?P<domain>[A-Za-z0-9][A-Za-z0-9-]*(?:{_DOT}[A-Za-z0-9-]+)*?){_DOT}{_TLD}(?![A-Za-z0-9])"
)
_OBFUSCATED = re.compile(rf"(?<![A-Za-z0-9._%+-]){_USER}{_AT}{_DOMAIN}", re.IGNORECASE)
_PROVIDERS = frozenset(
    [
        "gmail",
        "googlemail",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "yahoo",
        "icloud",
        "me",
        "aol",
        "protonmail",
        "proton",
        "gmx",
        "qq",
        "foxmail",
        "163",
        "126",
        "yeah",
        "sina",
        "sohu",
        "139",
        "aliyun",
        "189",
        "21cn",
        "tom",
        "wo",
        "btinternet",
        "sky",
        "virginmedia",
        "mail",
        "example",
    ]
)


def find_emails(text: str) -> list[Hit]:
    """E-mail addresses in ``text``: sure when written with ``@`` or a bracketed "at", when the
    user part has a dot, digit or underscore, or the domain is a known mail provider; an
    "x at y dot com" between plain words is unsure ("bought it at amazon dot com").

    Examples
    --------
    >>> find_emails("mail john.smithers at gmail dot com")
    [(5, 35, 'email', True)]
    >>> find_emails("bought it at amazon dot com")
    [(7, 27, 'email', False)]
    """
    hits: list[Hit] = [(m.start(), m.end(), "email", True) for m in _PLAIN.finditer(text)]
    low = text.lower()
    if not any(w in low for w in ("at", "@", "艾特", "圈a")):
        return hits
    for m in _OBFUSCATED.finditer(text):
        at = m.group("at").strip().lower()
        user = m.group("user")
        first = re.split(r"\W|点|dot", m.group("domain").lower())[0]
        sure = (
            at != "at"
            or bool(re.search(r"[._0-9+]|\bdot\b|\[|\(", user, re.IGNORECASE))
            or first in _PROVIDERS
        )
        hits.append((m.start(), m.end(), "email", sure))
    return hits
