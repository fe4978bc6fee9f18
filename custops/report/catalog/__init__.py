"""The text catalog, one module per domain, merged into ``custops.report.text.CATALOG``.

``shared`` (in ``text``) holds the book, landing page, glue labels and units used everywhere;
each domain module holds the sentences of its analyses, keys prefixed by its name
(``collection.``, ``landing.``, ``voice.``, ``review.``, ``survival.``, ``segments.``).
Analysis code never branches on the language: it asks ``t(key, lang, **fields)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from custops.report.catalog import collection, landing, review, segments, survival, voice

__all__ = ["DOMAINS", "merge"]

#: the domain catalogs, in merge order
DOMAINS: dict[str, Mapping[str, Mapping[str, str]]] = {
    "collection": collection.TEXTS,
    "landing": landing.TEXTS,
    "voice": voice.TEXTS,
    "review": review.TEXTS,
    "survival": survival.TEXTS,
    "segments": segments.TEXTS,
}


def merge(
    base: Mapping[str, Mapping[str, str]], parts: Mapping[str, Mapping[str, Mapping[str, str]]]
) -> dict[str, dict[str, str]]:
    """One catalog from a base and the domain parts; a key defined twice is an error.

    Examples
    --------
    >>> merge({"a": {"en": "A"}}, {"voice": {"voice.b": {"en": "B"}}})["voice.b"]
    {'en': 'B'}
    >>> merge({"a": {"en": "A"}}, {"voice": {"a": {"en": "again"}}})
    Traceback (most recent call last):
    ...
    ValueError: catalog key 'a' is defined twice (again in voice)
    """
    out = {key: dict(entry) for key, entry in base.items()}
    for name, texts in parts.items():
        for key, entry in texts.items():
            if key in out:
                raise ValueError(f"catalog key {key!r} is defined twice (again in {name})")
            out[key] = dict(entry)
    return out
